//! The rules: each with a stable code, a severity and documentation, judging
//! measurements against the profile's numbers.

use crate::colour::ColourName;
use crate::face::Rect;
use crate::input::FileFacts;
use crate::measure::{
    BackgroundMeasure, ClothingColour, ClothingMeasure, Framing, GlarePlace, LightMeasure,
    Measurements,
};
use crate::profile::{Naming, Profile};
use crate::report::{Finding, Severity};

/// A rule's identity and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable code.
    pub code: &'static str,
    /// Stable name.
    pub name: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// What it checks and why, English.
    pub doc_en: &'static str,
    /// What it checks and why, Chinese.
    pub doc_zh: &'static str,
    /// The profile keys that tune it (dotted TOML paths).
    pub keys: &'static [&'static str],
}

/// Exactly one face.
pub const FACE_COUNT: RuleInfo = RuleInfo {
    code: "F001",
    name: "one-face",
    severity: Severity::Error,
    doc_en: "The photo must show exactly one face. No face means the subject is not recognisable (or not frontal); several faces mean it is not an ID photo.",
    doc_zh: "照片中必须有且只有一张人脸。检测不到人脸说明人像不可辨认或非正面；多张人脸不是证件照。",
    keys: &[],
};
/// Crown position.
pub const CROWN: RuleInfo = RuleInfo {
    code: "F002",
    name: "crown-position",
    severity: Severity::Error,
    doc_en: "The top of the head (hair included) must lie in the profile's band below the top edge (chsi-diploma: 50-110 px of 640). 学信网 rejects uploads on top-of-head position. Tuned by framing.crown_y.",
    doc_zh: "头顶（含头发）须位于距上边缘的规定范围内（学历照：640 像素中的 50–110 像素）。学信网按头顶位置自动退回。由 framing.crown_y 设定。",
    keys: &["framing.crown_y"],
};
/// Eye line position.
pub const EYE_LINE: RuleInfo = RuleInfo {
    code: "F003",
    name: "eye-line-position",
    severity: Severity::Error,
    doc_en: "The eye line (mid-point of the eye centres) must lie in the profile's band (chsi-diploma: 200-300 px of 640). 学信网 checks the eye-centre position automatically. Tuned by framing.eye_y.",
    doc_zh: "眼睛中心连线须位于规定范围内（学历照：640 像素中的 200–300 像素）。学信网自动检测眼睛中心位置。由 framing.eye_y 设定。",
    keys: &["framing.eye_y"],
};
/// Face width.
pub const FACE_WIDTH: RuleInfo = RuleInfo {
    code: "F004",
    name: "face-width",
    severity: Severity::Error,
    doc_en: "The face, cheek to cheek, must be as wide as the profile says (chsi-diploma: 180-300 px of 480): too small and the portrait fails identity checks, too large and the head is cropped. Tuned by framing.face_width.",
    doc_zh: "脸宽（两颊之间）须在规定范围内（学历照：480 像素中的 180–300 像素）：过小无法比对身份，过大则头部被裁切。由 framing.face_width 设定。",
    keys: &["framing.face_width"],
};
/// Horizontal centring.
pub const CENTRED: RuleInfo = RuleInfo {
    code: "F005",
    name: "face-centred",
    severity: Severity::Error,
    doc_en: "The face must be horizontally centred: the mid-point of the eyes within the profile's tolerance of the frame's centre line. Tuned by framing.centre_tolerance.",
    doc_zh: "人脸须水平居中：两眼中点与画面中线的偏差不超过规定值。由 framing.centre_tolerance 设定。",
    keys: &["framing.centre_tolerance"],
};
/// Roll.
pub const ROLL: RuleInfo = RuleInfo {
    code: "F006",
    name: "head-roll",
    severity: Severity::Error,
    doc_en: "The eye line must be level: a tilted head is rejected (学信网 checks the pupil tilt angle). Tuned by framing.max_roll_degrees.",
    doc_zh: "两眼连线须保持水平：头部歪斜会被退回（学信网检测瞳孔倾斜角度）。由 framing.max_roll_degrees 设定。",
    keys: &["framing.max_roll_degrees"],
};
/// Head inside the frame.
pub const HEAD_IN_FRAME: RuleInfo = RuleInfo {
    code: "F007",
    name: "head-in-frame",
    severity: Severity::Error,
    doc_en: "The whole head, hair included, must be inside the frame: it must not touch the top or side edges.",
    doc_zh: "整个头部（含头发）须完整在画面内，不得触及上边缘或左右边缘。",
    keys: &[],
};
/// Shoulders inside the frame.
pub const SHOULDERS_IN_FRAME: RuleInfo = RuleInfo {
    code: "F008",
    name: "shoulders-in-frame",
    severity: Severity::Error,
    doc_en: "Both shoulders must be in the picture: the silhouette must widen into shoulders on each side of the face below the chin, inside the frame.",
    doc_zh: "双肩须完整入镜：下巴以下人像轮廓须在脸两侧展开为肩部，且在画面内。",
    keys: &[],
};
/// Shoulders level.
pub const SHOULDER_TILT: RuleInfo = RuleInfo {
    code: "F009",
    name: "shoulders-level",
    severity: Severity::Warning,
    doc_en: "The shoulders should be level. A warning: clothing makes the shoulder line a coarser measurement than the eye line. Tuned by framing.max_shoulder_tilt_degrees.",
    doc_zh: "双肩应保持水平。仅为提示：衣着会影响肩线测量精度。由 framing.max_shoulder_tilt_degrees 设定。",
    keys: &["framing.max_shoulder_tilt_degrees"],
};

/// Head height.
pub const HEAD_HEIGHT: RuleInfo = RuleInfo {
    code: "F010",
    name: "head-height",
    severity: Severity::Error,
    doc_en: "The head, crown to chin, must be as tall as the profile says (icao-passport: 70-80 % of the photo's height). Checked only by profiles that set framing.head_height.",
    doc_zh: "头部高度（头顶至下巴）须在规定范围内（护照照片：占照片高度的 70%–80%）。仅在规格设定了 framing.head_height 时检查。",
    keys: &["framing.head_height"],
};
/// Eye distance (resolution of the face).
pub const EYE_DISTANCE: RuleInfo = RuleInfo {
    code: "F011",
    name: "eye-distance",
    severity: Severity::Error,
    doc_en: "The eye centres must be at least the profile's distance apart in the photo's own pixels (icao-passport: 90 px): below it the face is recorded at too low a resolution for identity checks. Checked only by profiles that set framing.min_eye_distance.",
    doc_zh: "两眼中心在照片原始像素中的距离不得小于规定值（护照照片：90 像素），否则人脸分辨率不足以进行身份比对。仅在规格设定了 framing.min_eye_distance 时检查。",
    keys: &["framing.min_eye_distance"],
};

/// Background colour.
pub const BACKGROUND_COLOUR: RuleInfo = RuleInfo {
    code: "B001",
    name: "background-colour",
    severity: Severity::Error,
    doc_en: "The background must be the profile's colour (chsi-diploma: light blue, RGB 100,197,255): its mean colour within the profile's CIEDE2000 distance of an allowed colour. The message names the colour seen. Tuned by background.allowed and background.max_delta_e.",
    doc_zh: "背景须为规定颜色（学历照：浅蓝色 RGB 100,197,255），其平均颜色与允许颜色的 CIEDE2000 色差不超过规定值。提示中给出实际颜色。由 background.allowed 与 background.max_delta_e 设定。",
    keys: &["background.allowed", "background.max_delta_e"],
};
/// Background evenness.
pub const BACKGROUND_UNEVEN: RuleInfo = RuleInfo {
    code: "B002",
    name: "background-even",
    severity: Severity::Error,
    doc_en: "The background must be one even colour: no gradient (top against bottom, left against right), no vignette (corners against the middle), no blotches. Tuned by background.max_gradient and background.max_spread.",
    doc_zh: "背景须为均匀的单一颜色：无渐变（上下、左右）、无暗角（四角与中间）、无斑块。由 background.max_gradient 与 background.max_spread 设定。",
    keys: &["background.max_gradient", "background.max_spread"],
};
/// Shadow behind the head.
pub const BACKGROUND_SHADOW: RuleInfo = RuleInfo {
    code: "B003",
    name: "background-shadow",
    severity: Severity::Error,
    doc_en: "No shadow on the background beside the head: background darkened next to the outline, as cast by a lamp in front of the person onto the backdrop. Tuned by background.shadow_darkening and background.max_shadow_area.",
    doc_zh: "头部旁的背景上不得有阴影（人像轮廓旁背景变暗，通常由灯光把人影投在背景上所致）。由 background.shadow_darkening 与 background.max_shadow_area 设定。",
    keys: &["background.shadow_darkening", "background.max_shadow_area"],
};
/// Clutter in the background.
pub const BACKGROUND_CLUTTER: RuleInfo = RuleInfo {
    code: "B004",
    name: "background-clutter",
    severity: Severity::Error,
    doc_en: "Nothing but backdrop behind the person: no objects, edges, furniture or other people. Tuned by background.clutter_delta_e and background.max_clutter_share.",
    doc_zh: "人像背后只能是纯色背景：不得有物体、边框、家具或其他人。由 background.clutter_delta_e 与 background.max_clutter_share 设定。",
    keys: &["background.clutter_delta_e", "background.max_clutter_share"],
};
/// Clothing too close to the background.
pub const CLOTHING_LIKE_BACKGROUND: RuleInfo = RuleInfo {
    code: "C001",
    name: "clothing-contrast",
    severity: Severity::Error,
    doc_en: "The top must differ clearly from the background, or the outline of the shoulders melts into it (学信网's 黑边检测 rejects such photos). Tuned by clothing.min_delta_e_background and clothing.min_share.",
    doc_zh: "上衣颜色须与背景明显不同，否则肩部轮廓融入背景（学信网“黑边检测”会退回）。由 clothing.min_delta_e_background 与 clothing.min_share 设定。",
    keys: &["clothing.min_delta_e_background", "clothing.min_share"],
};
/// Blue clothing.
pub const CLOTHING_BLUE: RuleInfo = RuleInfo {
    code: "C002",
    name: "clothing-blue",
    severity: Severity::Error,
    doc_en: "No sky-blue, light-blue or blue top on the light-blue background (both notices and the standard). Dark navy suits pass. Tuned by clothing.blue.",
    doc_zh: "浅蓝背景下不得穿天蓝色、浅蓝色或蓝色上衣（两份通知及标准均有要求）；深藏青色西装可以。由 clothing.blue 设定。",
    keys: &["clothing.blue"],
};
/// Yellow clothing.
pub const CLOTHING_YELLOW: RuleInfo = RuleInfo {
    code: "C003",
    name: "clothing-yellow",
    severity: Severity::Error,
    doc_en: "No yellow top (2023 notice). Tuned by clothing.yellow.",
    doc_zh: "不得穿黄色上衣（2023 年通知）。由 clothing.yellow 设定。",
    keys: &["clothing.yellow"],
};
/// Green clothing.
pub const CLOTHING_GREEN: RuleInfo = RuleInfo {
    code: "C004",
    name: "clothing-green",
    severity: Severity::Error,
    doc_en: "No green top (2023 notice). Tuned by clothing.green.",
    doc_zh: "不得穿绿色上衣（2023 年通知）。由 clothing.green 设定。",
    keys: &["clothing.green"],
};
/// Yellow-green clothing.
pub const CLOTHING_YELLOW_GREEN: RuleInfo = RuleInfo {
    code: "C005",
    name: "clothing-yellow-green",
    severity: Severity::Error,
    doc_en: "No yellow-green top (黄绿色, named by both notices). Tuned by clothing.yellow_green.",
    doc_zh: "不得穿黄绿色上衣（两份通知均有要求）。由 clothing.yellow_green 设定。",
    keys: &["clothing.yellow_green"],
};
/// Skin-like clothing.
pub const CLOTHING_SKIN: RuleInfo = RuleInfo {
    code: "C006",
    name: "clothing-skin-like",
    severity: Severity::Error,
    doc_en: "No top close to the person's own skin colour (肉色, 2023 notice): compared with the skin measured on the cheeks, not a fixed beige. Tuned by clothing.skin_delta_e.",
    doc_zh: "上衣颜色不得接近本人肤色（肉色，2023 年通知）：与脸颊实测肤色比较，而非固定的米色。由 clothing.skin_delta_e 设定。",
    keys: &["clothing.skin_delta_e"],
};
/// Bare shoulders.
pub const BARE_SHOULDERS: RuleInfo = RuleInfo {
    code: "C007",
    name: "bare-shoulders",
    severity: Severity::Error,
    doc_en: "The shoulders must be covered: no sleeveless or off-shoulder tops (the standard asks for formal, collared clothing). Skin at both shoulder points fails. Tuned by clothing.bare_skin_delta_e and clothing.bare_shoulder_share.",
    doc_zh: "双肩须有衣物遮盖：不得穿无袖或露肩上衣（标准要求着正装、有领）。双肩处为皮肤即不合格。由 clothing.bare_skin_delta_e 与 clothing.bare_shoulder_share 设定。",
    keys: &["clothing.bare_skin_delta_e", "clothing.bare_shoulder_share"],
};

/// Light too low.
pub const UNDEREXPOSED: RuleInfo = RuleInfo {
    code: "L001",
    name: "underexposed",
    severity: Severity::Error,
    doc_en: "The photo must not be too dark: exposure is read on the backdrop, whose true colour the profile knows (so a dark skin is never mistaken for a dark photo), and the face must not be crushed to black. Tuned by light.max_exposure_ev and light.max_dark_share.",
    doc_zh: "照片不得过暗：曝光按已知颜色的背景测量（因此不会把深肤色误判为曝光不足），且面部不得大面积死黑。由 light.max_exposure_ev 与 light.max_dark_share 设定。",
    keys: &["light.max_exposure_ev", "light.max_dark_share"],
};
/// Light too high.
pub const OVEREXPOSED: RuleInfo = RuleInfo {
    code: "L002",
    name: "overexposed",
    severity: Severity::Error,
    doc_en: "The photo must not be too bright: exposure read on the backdrop, and no blown-out face. Tuned by light.max_exposure_ev and light.max_bright_share.",
    doc_zh: "照片不得过亮：按背景测量曝光，且面部不得大面积过曝发白。由 light.max_exposure_ev 与 light.max_bright_share 设定。",
    keys: &["light.max_exposure_ev", "light.max_bright_share"],
};
/// Uneven light on the face.
pub const SIDE_LIGHT: RuleInfo = RuleInfo {
    code: "L003",
    name: "face-light-even",
    severity: Severity::Error,
    doc_en: "The face must be evenly lit, with no shadow across it: the light on the two cheeks (skin under each eye, clear of hair, beard and eye sockets) may differ by at most the profile's stops. Tuned by light.max_side_ev.",
    doc_zh: "面部光线须均匀，不得有阴影：左右脸颊（眼下皮肤，不含头发、胡须和眼窝）亮度之差不超过规定档数。由 light.max_side_ev 设定。",
    keys: &["light.max_side_ev"],
};
/// Blur.
pub const SHARPNESS: RuleInfo = RuleInfo {
    code: "L004",
    name: "sharpness",
    severity: Severity::Error,
    doc_en: "The face must be in focus (学信网 checks sharpness): variance of the Laplacian over the variance of the face, on the face resampled to a fixed width. Tuned by light.min_sharpness.",
    doc_zh: "面部须清晰对焦（学信网检测清晰度）：在固定宽度的面部图像上，拉普拉斯方差与亮度方差之比。由 light.min_sharpness 设定。",
    keys: &["light.min_sharpness"],
};
/// Glare on the face.
pub const GLARE_FACE: RuleInfo = RuleInfo {
    code: "G001",
    name: "glare-face",
    severity: Severity::Error,
    doc_en: "No light spots on the face: a specular highlight (standing out from the skin around it, with a near-white, colourless core) larger than the profile allows. A soft sheen on a well-lit face, pale skin and the teeth of a smile are not one. Tuned by light.max_glare_face.",
    doc_zh: "面部不得有光斑：高光（明显亮于周围皮肤、中心接近纯白无色）面积不得超过规定值；正常光照下的柔和光泽、白皙的皮肤和微笑露出的牙齿不算。由 light.max_glare_face 设定。",
    keys: &["light.max_glare_face"],
};
/// Glare on the eyes or glasses.
pub const GLARE_EYES: RuleInfo = RuleInfo {
    code: "G002",
    name: "glare-eyes",
    severity: Severity::Error,
    doc_en: "No reflection on the eyes or glasses lenses beyond a natural catchlight. The whites of the eyes are not one. Tuned by light.max_glare_eyes.",
    doc_zh: "眼睛或眼镜镜片上不得有反光（自然的眼神光除外）；眼白不算。由 light.max_glare_eyes 设定。",
    keys: &["light.max_glare_eyes"],
};
/// Glare on the clothing.
pub const GLARE_CLOTHING: RuleInfo = RuleInfo {
    code: "G003",
    name: "glare-clothing",
    severity: Severity::Error,
    doc_en: "No reflective fabric: no specular highlight on the clothing larger than the profile allows. A white shirt or collar is white fabric, not a reflection. Tuned by light.max_glare_clothing.",
    doc_zh: "服装不得反光：衣物上的高光面积不得超过规定值；白衬衫、白衣领是白色面料，不算反光。由 light.max_glare_clothing 设定。",
    keys: &["light.max_glare_clothing"],
};
/// File format.
pub const FILE_FORMAT: RuleInfo = RuleInfo {
    code: "D001",
    name: "file-format",
    severity: Severity::Error,
    doc_en: "The file must be the profile's format (chsi-diploma: JPEG), judged by its content, with a matching extension (.jpg): a PNG renamed .jpg is caught. Tuned by file.format and file.extensions.",
    doc_zh: "文件须为规定格式（学历照：JPEG，按文件内容判断），扩展名须一致（.jpg）：改了扩展名的 PNG 也会被发现。由 file.format 与 file.extensions 设定。",
    keys: &["file.format", "file.extensions"],
};
/// Pixel size.
pub const FILE_PIXELS: RuleInfo = RuleInfo {
    code: "D002",
    name: "pixel-size",
    severity: Severity::Error,
    doc_en: "The photo must be exactly the profile's size (chsi-diploma: 480 wide x 640 high). Tuned by file.width and file.height.",
    doc_zh: "照片尺寸须与规定完全一致（学历照：宽 480 × 高 640 像素）。由 file.width 与 file.height 设定。",
    keys: &["file.width", "file.height"],
};
/// Colour depth.
pub const FILE_COLOUR: RuleInfo = RuleInfo {
    code: "D003",
    name: "colour-depth",
    severity: Severity::Error,
    doc_en: "24-bit true colour: 3 channels of 8 bits. Greyscale, CMYK, alpha channels and 16-bit files are refused. Tuned by file.channels and file.bits_per_channel.",
    doc_zh: "须为 24 位真彩色（3 通道、每通道 8 位）；灰度、CMYK、带透明通道或 16 位文件不合格。由 file.channels 与 file.bits_per_channel 设定。",
    keys: &["file.channels", "file.bits_per_channel"],
};
/// Resolution.
pub const FILE_DPI: RuleInfo = RuleInfo {
    code: "D004",
    name: "resolution-dpi",
    severity: Severity::Error,
    doc_en: "The file must record the profile's resolution (chsi-diploma: 300 dpi) in its JFIF or EXIF density. Tuned by file.dpi and file.dpi_tolerance.",
    doc_zh: "文件须记录规定分辨率（学历照：300 dpi，JFIF 或 EXIF 中的密度）。由 file.dpi 与 file.dpi_tolerance 设定。",
    keys: &["file.dpi", "file.dpi_tolerance"],
};
/// JPEG quality.
pub const FILE_QUALITY: RuleInfo = RuleInfo {
    code: "D005",
    name: "jpeg-quality",
    severity: Severity::Error,
    doc_en: "The JPEG compression quality factor, estimated from the quantisation tables (libjpeg scale), must be at least the profile's (chsi-diploma: 60). Tuned by file.min_jpeg_quality.",
    doc_zh: "JPEG 压缩质量系数（由量化表按 libjpeg 标准估算）不得低于规定值（学历照：60）。由 file.min_jpeg_quality 设定。",
    keys: &["file.min_jpeg_quality"],
};
/// File size.
pub const FILE_SIZE: RuleInfo = RuleInfo {
    code: "D006",
    name: "file-size",
    severity: Severity::Warning,
    doc_en: "The file size should lie in the profile's band (chsi-diploma: \"generally\" 20-40 KB). A warning, not a failure. Tuned by file.size_kb.",
    doc_zh: "文件大小宜在规定范围内（学历照：“一般”为 20–40 KB）。仅为提示，不判为不合格。由 file.size_kb 设定。",
    keys: &["file.size_kb"],
};

/// File name.
pub const FILE_NAME: RuleInfo = RuleInfo {
    code: "N001",
    name: "file-name",
    severity: Severity::Error,
    doc_en: "The file name (without extension) must follow the profile's naming rule: an 18-character resident ID number (GB 11643: a known province code, a valid birth date and the MOD 11-2 check character) or a regular expression. Graduate offices that collect photos named by ID number use it to catch typing errors before the upload. Off unless the profile sets naming.rule.",
    doc_zh: "文件名（不含扩展名）须符合规格的命名规则：18 位居民身份证号码（GB 11643：有效的省级代码、出生日期和 MOD 11-2 校验码），或正则表达式。按身份证号收集照片的院系可借此在上传前发现录入错误。规格未设定 naming.rule 时不检查。",
    keys: &["naming.rule", "naming.pattern"],
};

/// Every rule, in code order.
pub const ALL: &[RuleInfo] = &[
    FACE_COUNT,
    CROWN,
    EYE_LINE,
    FACE_WIDTH,
    CENTRED,
    ROLL,
    HEAD_IN_FRAME,
    SHOULDERS_IN_FRAME,
    SHOULDER_TILT,
    HEAD_HEIGHT,
    EYE_DISTANCE,
    BACKGROUND_COLOUR,
    BACKGROUND_UNEVEN,
    BACKGROUND_SHADOW,
    BACKGROUND_CLUTTER,
    CLOTHING_LIKE_BACKGROUND,
    CLOTHING_BLUE,
    CLOTHING_YELLOW,
    CLOTHING_GREEN,
    CLOTHING_YELLOW_GREEN,
    CLOTHING_SKIN,
    BARE_SHOULDERS,
    UNDEREXPOSED,
    OVEREXPOSED,
    SIDE_LIGHT,
    SHARPNESS,
    GLARE_FACE,
    GLARE_EYES,
    GLARE_CLOTHING,
    FILE_FORMAT,
    FILE_PIXELS,
    FILE_COLOUR,
    FILE_DPI,
    FILE_QUALITY,
    FILE_SIZE,
    FILE_NAME,
];

/// Looks a rule up by code or name.
pub fn find(code_or_name: &str) -> Option<&'static RuleInfo> {
    ALL.iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

struct Ctx<'a> {
    out: Vec<Finding>,
    profile: &'a Profile,
}

impl Ctx<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &RuleInfo,
        en: String,
        zh: String,
        value: Option<f64>,
        allowed: Option<[f64; 2]>,
        unit: &str,
        region: Option<Rect>,
    ) {
        if self.profile.is_disabled(rule.code) {
            return;
        }
        self.out.push(Finding {
            code: rule.code.into(),
            rule: rule.name.into(),
            severity: rule.severity,
            message_en: en,
            message_zh: zh,
            value: value.map(|v| (v * 10.0).round() / 10.0),
            allowed,
            unit: unit.into(),
            region,
        });
    }

    /// A position or size that must lie in `range`.
    fn band(&mut self, rule: &RuleInfo, what: (&str, &str), v: f64, range: [f64; 2], region: Rect) {
        if v < range[0] || v > range[1] {
            let (en_dir, zh_dir) = if v < range[0] {
                ("too small", "过小")
            } else {
                ("too large", "过大")
            };
            let en = format!(
                "{} is {:.0} px, allowed {:.0}-{:.0} ({en_dir})",
                what.0, v, range[0], range[1]
            );
            let zh = format!(
                "{}为 {:.0} 像素，应在 {:.0}–{:.0} 之间（{zh_dir}）",
                what.1, v, range[0], range[1]
            );
            self.push(rule, en, zh, Some(v), Some(range), "px", Some(region));
        }
    }
}

/// Judges `m` and the file facts against `profile`; findings come out in
/// the order of [`ALL`].
pub fn judge(m: &Measurements, facts: &FileFacts, profile: &Profile, image_w: u32) -> Vec<Finding> {
    let mut cx = Ctx {
        out: Vec::new(),
        profile,
    };
    if m.face_count != 1 {
        let (en, zh) = if m.face_count == 0 {
            ("no face found".to_string(), "未检测到人脸".to_string())
        } else {
            (
                format!("{} faces found, exactly one allowed", m.face_count),
                format!("检测到 {} 张人脸，只允许一张", m.face_count),
            )
        };
        cx.push(
            &FACE_COUNT,
            en,
            zh,
            Some(m.face_count as f64),
            Some([1.0, 1.0]),
            "count",
            None,
        );
    }
    if let Some(f) = &m.framing {
        framing(&mut cx, f, image_w);
    }
    if let Some(b) = &m.background {
        background(&mut cx, b);
    }
    if let Some(c) = &m.clothing {
        clothing(&mut cx, c, m.background.as_ref());
    }
    if let Some(l) = &m.light {
        light(&mut cx, l);
    }
    file(&mut cx, facts);
    naming(&mut cx, facts);
    let mut out = cx.out;
    out.sort_by_key(|a| rank(&a.code));
    out
}

/// Position of a code in [`ALL`] (framing, then background, then clothing).
fn rank(code: &str) -> usize {
    ALL.iter()
        .position(|r| r.code == code)
        .unwrap_or(usize::MAX)
}

fn background(cx: &mut Ctx, b: &BackgroundMeasure) {
    let p = &cx.profile.background;
    let seen = b.colour;
    if b.delta_e as f64 > p.max_delta_e {
        let allowed_en: Vec<&str> = p.allowed.iter().map(|c| c.name_en.as_str()).collect();
        let allowed_zh: Vec<&str> = p.allowed.iter().map(|c| c.name_zh.as_str()).collect();
        let [r, g, bl] = b.mean_rgb;
        cx.push(
            &BACKGROUND_COLOUR,
            format!(
                "background is {} (RGB {r},{g},{bl}), {:.1} from {} (allowed {:.0})",
                seen.en(),
                b.delta_e,
                allowed_en.join(" or "),
                p.max_delta_e
            ),
            format!(
                "背景为{}（RGB {r},{g},{bl}），与{}色差 {:.1}（允许 {:.0}）",
                seen.zh(),
                allowed_zh.join("或"),
                b.delta_e,
                p.max_delta_e
            ),
            Some(b.delta_e as f64),
            Some([0.0, p.max_delta_e]),
            "delta-e",
            None,
        );
    }
    let g = b.gradient;
    let worst = g.max() as f64;
    if worst > p.max_gradient || b.spread as f64 > p.max_spread {
        let (en, zh) = if worst > p.max_gradient {
            let (en, zh) = if g.top_bottom >= g.left_right && g.top_bottom >= g.centre_corners {
                ("top to bottom", "上下")
            } else if g.left_right >= g.centre_corners {
                ("left to right", "左右")
            } else {
                ("corners to middle", "四角与中间")
            };
            (
                format!(
                    "background is uneven: it changes {worst:.1} from {en} (allowed {:.0})",
                    p.max_gradient
                ),
                format!(
                    "背景不均匀：{zh}色差 {worst:.1}（允许 {:.0}）",
                    p.max_gradient
                ),
            )
        } else {
            (
                format!(
                    "background is blotchy: colours spread {:.1} (allowed {:.0})",
                    b.spread, p.max_spread
                ),
                format!(
                    "背景颜色不均：色差离散 {:.1}（允许 {:.0}）",
                    b.spread, p.max_spread
                ),
            )
        };
        let (v, allowed) = if worst > p.max_gradient {
            (worst, p.max_gradient)
        } else {
            (b.spread as f64, p.max_spread)
        };
        cx.push(
            &BACKGROUND_UNEVEN,
            en,
            zh,
            Some(v),
            Some([0.0, allowed]),
            "delta-e",
            None,
        );
    }
    if b.shadow.area > p.max_shadow_area {
        cx.push(
            &BACKGROUND_SHADOW,
            format!(
                "shadow on the background beside the head: {:.0} px², {:.0} % darker (allowed {:.0} px²)",
                b.shadow.area,
                b.shadow.darkening * 100.0,
                p.max_shadow_area
            ),
            format!(
                "头部旁背景有阴影：面积 {:.0} 平方像素，暗 {:.0}%（允许 {:.0}）",
                b.shadow.area,
                b.shadow.darkening * 100.0,
                p.max_shadow_area
            ),
            Some(b.shadow.area),
            Some([0.0, p.max_shadow_area]),
            "px2",
            b.shadow.region,
        );
    }
    if b.clutter_share as f64 > p.max_clutter_share {
        cx.push(
            &BACKGROUND_CLUTTER,
            format!(
                "{:.0} % of the background is not plain backdrop (objects, edges or another person; allowed {:.0} %)",
                b.clutter_share * 100.0,
                p.max_clutter_share * 100.0
            ),
            format!(
                "背景中有 {:.0}% 不是纯色背景（物体、边框或他人；允许 {:.0}%）",
                b.clutter_share * 100.0,
                p.max_clutter_share * 100.0
            ),
            Some(b.clutter_share as f64),
            Some([0.0, p.max_clutter_share]),
            "share",
            b.clutter_region,
        );
    }
}

/// The dominant colour of the clothing that falls in `keep`, for messages.
fn dominant_name(c: &ClothingMeasure, keep: &dyn Fn(&ClothingColour) -> bool) -> ColourName {
    c.colours
        .iter()
        .find(|k| keep(k))
        .or(c.colours.first())
        .map_or(ColourName::Grey, |k| k.name)
}

fn clothing(cx: &mut Ctx, c: &ClothingMeasure, bg: Option<&BackgroundMeasure>) {
    if !c.visible {
        return;
    }
    let p = &cx.profile.clothing;
    let min = p.min_share;
    let pct = |v: f32| v * 100.0;
    let region = c.region;
    if let Some(bg) = bg {
        if c.like_background_share as f64 >= min {
            let name = dominant_name(c, &|k| {
                (k.lab.delta_e(bg.mean) as f64) < p.min_delta_e_background
            });
            cx.push(
                &CLOTHING_LIKE_BACKGROUND,
                format!(
                    "the top ({}) is too close to the {} background: {:.0} % of it within {:.0} (CIEDE2000)",
                    name.en(),
                    bg.colour.en(),
                    pct(c.like_background_share),
                    p.min_delta_e_background
                ),
                format!(
                    "上衣（{}）与{}背景颜色过于接近：{:.0}% 的色差小于 {:.0}",
                    name.zh(),
                    bg.colour.zh(),
                    pct(c.like_background_share),
                    p.min_delta_e_background
                ),
                Some(c.like_background_share as f64),
                Some([0.0, min]),
                "share",
                region,
            );
        }
    }
    for (rule, key, en, zh) in [
        (&CLOTHING_BLUE, "blue", "blue", "蓝色"),
        (&CLOTHING_YELLOW, "yellow", "yellow", "黄色"),
        (&CLOTHING_GREEN, "green", "green", "绿色"),
        (
            &CLOTHING_YELLOW_GREEN,
            "yellow_green",
            "yellow-green",
            "黄绿色",
        ),
    ] {
        let Some((_, class)) = p.classes().into_iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let share = c.class_share(key);
        if share as f64 >= min {
            let name = dominant_name(c, &|k| crate::measure::in_class(k.lab, class));
            // "blue (light blue)" says more than "blue"; "yellow (yellow)" does not.
            let (en_name, zh_name) = if name.en() == en {
                (String::new(), String::new())
            } else {
                (format!(" ({})", name.en()), format!("（{}）", name.zh()))
            };
            cx.push(
                rule,
                format!(
                    "the top is {en}{en_name}: {:.0} % of the clothing",
                    pct(share)
                ),
                format!("上衣为{zh}{zh_name}，占衣物 {:.0}%", pct(share)),
                Some(share as f64),
                Some([0.0, min]),
                "share",
                region,
            );
        }
    }
    let bare = {
        let sides: Vec<f32> = c.shoulder_skin.iter().flatten().copied().collect();
        !sides.is_empty() && sides.iter().all(|&s| s as f64 >= p.bare_shoulder_share)
    };
    if bare {
        let worst = c
            .shoulder_skin
            .iter()
            .flatten()
            .fold(0f32, |a, &b| a.max(b));
        cx.push(
            &BARE_SHOULDERS,
            format!(
                "bare shoulders: {:.0} % skin where the shoulders are",
                pct(worst)
            ),
            format!("肩部裸露：肩部 {:.0}% 为皮肤", pct(worst)),
            Some(worst as f64),
            Some([0.0, p.bare_shoulder_share]),
            "share",
            region,
        );
    } else if c.skin_like_share as f64 >= min {
        let name = dominant_name(c, &|k| {
            c.skin
                .is_some_and(|s| (k.lab.delta_e(s.lab) as f64) <= p.skin_delta_e)
        });
        cx.push(
            &CLOTHING_SKIN,
            format!(
                "the top ({}) is close to the skin colour: {:.0} % of the clothing",
                name.en(),
                pct(c.skin_like_share)
            ),
            format!(
                "上衣（{}）接近肤色，占衣物 {:.0}%",
                name.zh(),
                pct(c.skin_like_share)
            ),
            Some(c.skin_like_share as f64),
            Some([0.0, min]),
            "share",
            region,
        );
    }
}

fn light(cx: &mut Ctx, l: &LightMeasure) {
    let p = &cx.profile.light;
    let ev = l.exposure_ev.unwrap_or(0.0) as f64;
    let pct = |v: f32| v * 100.0;
    let exposure =
        |under: bool| {
            let (en, zh) = if under {
                ("dark", "暗")
            } else {
                ("bright", "亮")
            };
            (
                format!(
                "photo too {en}: {:+.1} stops on the backdrop (allowed ±{:.1}); face {:.0} % {}",
                ev,
                p.max_exposure_ev,
                pct(if under { l.face_dark_share } else { l.face_bright_share }),
                if under { "crushed to black" } else { "blown to white" }
            ),
                format!(
                    "照片过{zh}：背景曝光偏差 {:+.1} 档（允许 ±{:.1}）；面部{} {:.0}%",
                    ev,
                    p.max_exposure_ev,
                    if under { "死黑" } else { "过曝" },
                    pct(if under {
                        l.face_dark_share
                    } else {
                        l.face_bright_share
                    })
                ),
            )
        };
    if ev < -p.max_exposure_ev || l.face_dark_share as f64 > p.max_dark_share {
        let (en, zh) = exposure(true);
        cx.push(
            &UNDEREXPOSED,
            en,
            zh,
            Some(ev),
            Some([-p.max_exposure_ev, p.max_exposure_ev]),
            "ev",
            None,
        );
    }
    if ev > p.max_exposure_ev || l.face_bright_share as f64 > p.max_bright_share {
        let (en, zh) = exposure(false);
        cx.push(
            &OVEREXPOSED,
            en,
            zh,
            Some(ev),
            Some([-p.max_exposure_ev, p.max_exposure_ev]),
            "ev",
            None,
        );
    }
    if (l.side_ev as f64).abs() > p.max_side_ev {
        let (en, zh) = if l.side_ev < 0.0 {
            ("left", "左")
        } else {
            ("right", "右")
        };
        cx.push(
            &SIDE_LIGHT,
            format!(
                "uneven light on the face: the image-{en} cheek is {:.1} stops darker (allowed {:.1})",
                l.side_ev.abs(),
                p.max_side_ev
            ),
            format!(
                "面部光线不均：画面{zh}侧脸颊暗 {:.1} 档（允许 {:.1}）",
                l.side_ev.abs(),
                p.max_side_ev
            ),
            Some(l.side_ev as f64),
            Some([-p.max_side_ev, p.max_side_ev]),
            "ev",
            None,
        );
    }
    if (l.sharpness as f64) < p.min_sharpness {
        cx.push(
            &SHARPNESS,
            format!(
                "face is blurred: focus measure {:.3}, at least {:.3} needed",
                l.sharpness, p.min_sharpness
            ),
            format!(
                "面部模糊：清晰度 {:.3}，至少应为 {:.3}",
                l.sharpness, p.min_sharpness
            ),
            Some(l.sharpness as f64),
            // The ratio cannot exceed 64 (the Laplacian gains at most 8).
            Some([p.min_sharpness, 64.0]),
            "focus",
            None,
        );
    }
    for (rule, place, limit, en, zh) in [
        (
            &GLARE_FACE,
            GlarePlace::Face,
            p.max_glare_face,
            "on the face",
            "面部",
        ),
        (
            &GLARE_EYES,
            GlarePlace::Eyes,
            p.max_glare_eyes,
            "on the eyes or glasses",
            "眼睛或眼镜",
        ),
        (
            &GLARE_CLOTHING,
            GlarePlace::Clothing,
            p.max_glare_clothing,
            "on the clothing",
            "衣物",
        ),
    ] {
        // Glare is sorted largest first: the first of a place is its largest.
        if let Some(g) = l.glare.iter().find(|g| g.place == place && g.area > limit) {
            let part_zh = match g.part.as_str() {
                "forehead" => "额头",
                "nose" => "鼻子",
                "cheek" => "脸颊",
                "chin" => "下巴",
                "left eye" => "画面左侧眼睛",
                "right eye" => "画面右侧眼睛",
                "between the eyes" => "两眼之间",
                _ => zh,
            };
            cx.push(
                rule,
                format!(
                    "light spot {en} ({}): {:.0} px², peak {} (allowed {:.0} px²)",
                    g.part, g.area, g.peak, limit
                ),
                format!(
                    "{zh}（{part_zh}）有光斑：{:.0} 平方像素，峰值 {}（允许 {:.0}）",
                    g.area, g.peak, limit
                ),
                Some(g.area),
                Some([0.0, limit]),
                "px2",
                Some(g.region),
            );
        }
    }
}

fn file(cx: &mut Ctx, f: &FileFacts) {
    let p = &cx.profile.file;
    let ext_ok = f
        .extension
        .as_ref()
        .is_none_or(|e| p.extensions.iter().any(|a| a.eq_ignore_ascii_case(e)));
    if f.format != p.format || !ext_ok {
        let ext = f.extension.clone().unwrap_or_default();
        let (named_en, named_zh) = if ext.is_empty() {
            (String::new(), String::new())
        } else {
            (format!(", named .{ext}"), format!("（扩展名 .{ext}）"))
        };
        let (found, wanted) = (f.format.to_uppercase(), p.format.to_uppercase());
        let (en, zh) = if f.format != p.format {
            (
                format!("the file is {found} (by its content{named_en}), {wanted} required"),
                format!("文件实际为 {found} 格式{named_zh}，要求 {wanted}"),
            )
        } else {
            let want = p.extensions.first().map_or("", String::as_str);
            if ext.is_empty() {
                (
                    format!("the file name has no extension, .{want} expected"),
                    format!("文件名没有扩展名，应为 .{want}"),
                )
            } else {
                (
                    format!("the file is named .{ext}, .{want} expected"),
                    format!("扩展名为 .{ext}，应为 .{want}"),
                )
            }
        };
        cx.push(&FILE_FORMAT, en, zh, None, None, "format", None);
    }
    if (p.width != 0 && f.width != p.width) || (p.height != 0 && f.height != p.height) {
        cx.push(
            &FILE_PIXELS,
            format!(
                "the photo is {}x{} px, {}x{} required",
                f.width, f.height, p.width, p.height
            ),
            format!(
                "照片为 {}×{} 像素，要求 {}×{}",
                f.width, f.height, p.width, p.height
            ),
            Some(f.width as f64),
            Some([p.width as f64, p.width as f64]),
            "px",
            None,
        );
    }
    if f.channels != p.channels || f.bits_per_channel != p.bits_per_channel {
        let what = match (f.channels, f.color_type.as_str()) {
            (_, "cmyk8") => ("CMYK", "CMYK"),
            (1, _) => ("greyscale", "灰度"),
            (2, _) => ("greyscale with alpha", "带透明通道的灰度"),
            (4, _) => ("colour with an alpha channel", "带透明通道的彩色"),
            _ => ("colour", "彩色"),
        };
        cx.push(
            &FILE_COLOUR,
            format!(
                "the file is {} with {} channel(s) of {} bits; {} channels of {} bits (24-bit colour) required",
                what.0, f.channels, f.bits_per_channel, p.channels, p.bits_per_channel
            ),
            format!(
                "文件为{}，{} 通道、每通道 {} 位；要求 {} 通道、每通道 {} 位（24 位真彩色）",
                what.1, f.channels, f.bits_per_channel, p.channels, p.bits_per_channel
            ),
            Some(f.channels as f64 * f.bits_per_channel as f64),
            Some([
                (p.channels as u32 * p.bits_per_channel as u32) as f64,
                (p.channels as u32 * p.bits_per_channel as u32) as f64,
            ]),
            "bits",
            None,
        );
    }
    if p.dpi > 0.0 {
        let ok = f.density.as_ref().is_some_and(|d| {
            (d.x_dpi - p.dpi).abs() <= p.dpi_tolerance && (d.y_dpi - p.dpi).abs() <= p.dpi_tolerance
        });
        if !ok {
            let (en, zh) = match &f.density {
                Some(d) => (
                    format!(
                        "resolution is {:.0} dpi ({}), {:.0} dpi required",
                        d.x_dpi, d.source, p.dpi
                    ),
                    format!(
                        "分辨率为 {:.0} dpi（{}），要求 {:.0} dpi",
                        d.x_dpi, d.source, p.dpi
                    ),
                ),
                None => (
                    format!(
                        "no resolution recorded in the file, {:.0} dpi required",
                        p.dpi
                    ),
                    format!("文件未记录分辨率，要求 {:.0} dpi", p.dpi),
                ),
            };
            cx.push(
                &FILE_DPI,
                en,
                zh,
                f.density.as_ref().map(|d| d.x_dpi),
                Some([p.dpi - p.dpi_tolerance, p.dpi + p.dpi_tolerance]),
                "dpi",
                None,
            );
        }
    }
    if let Some(q) = f.jpeg_quality {
        if q.value < p.min_jpeg_quality {
            cx.push(
                &FILE_QUALITY,
                format!(
                    "JPEG quality about {} (from its quantisation tables), at least {} required",
                    q.value, p.min_jpeg_quality
                ),
                format!(
                    "JPEG 质量约为 {}（由量化表估算），要求不低于 {}",
                    q.value, p.min_jpeg_quality
                ),
                Some(q.value as f64),
                Some([p.min_jpeg_quality as f64, 100.0]),
                "quality",
                None,
            );
        }
    }
    let kb = f.file_size as f64 / 1024.0;
    if let Some(band) = p.size_kb.filter(|b| kb < b[0] || kb > b[1]) {
        cx.push(
            &FILE_SIZE,
            format!(
                "file size {:.1} KB, generally {:.0}-{:.0} KB",
                kb, band[0], band[1]
            ),
            format!(
                "文件大小 {:.1} KB，一般应为 {:.0}–{:.0} KB",
                kb, band[0], band[1]
            ),
            Some(kb),
            Some(band),
            "kb",
            None,
        );
    }
}

fn framing(cx: &mut Ctx, f: &Framing, image_w: u32) {
    let p = &cx.profile.framing;
    let fb = f.face_box;
    let row = |y: f64| Rect {
        x: 0.0,
        y: y as f32 - 1.0,
        w: image_w as f32,
        h: 3.0,
    };
    match f.crown_y {
        Some(c) => cx.band(
            &CROWN,
            ("top of head", "头顶位置"),
            c.reference,
            p.crown_y,
            row(c.px),
        ),
        None => cx.push(
            &CROWN,
            "top of head not found against the background".into(),
            "无法在背景上找到头顶".into(),
            None,
            Some(p.crown_y),
            "px",
            None,
        ),
    }
    cx.band(
        &EYE_LINE,
        ("eye line", "眼睛位置"),
        f.eye_y.reference,
        p.eye_y,
        row(f.eye_y.px),
    );
    cx.band(
        &FACE_WIDTH,
        ("face width", "脸宽"),
        f.face_width.reference,
        p.face_width,
        fb,
    );
    let centre = cx.profile.reference_width as f64 / 2.0;
    let off = f.face_centre_x.reference - centre;
    if off.abs() > p.centre_tolerance {
        let (en_dir, zh_dir) = if off < 0.0 {
            ("left", "左")
        } else {
            ("right", "右")
        };
        cx.push(
            &CENTRED,
            format!(
                "face centre is {:.0} px {en_dir} of the middle, allowed {:.0}",
                off.abs(),
                p.centre_tolerance
            ),
            format!(
                "人脸中心偏{zh_dir} {:.0} 像素，允许 {:.0}",
                off.abs(),
                p.centre_tolerance
            ),
            Some(off),
            Some([-p.centre_tolerance, p.centre_tolerance]),
            "px",
            Some(fb),
        );
    }
    if f.roll_degrees.abs() > p.max_roll_degrees {
        cx.push(
            &ROLL,
            format!(
                "head tilted {:.1} degrees, allowed {:.1}",
                f.roll_degrees.abs(),
                p.max_roll_degrees
            ),
            format!(
                "头部倾斜 {:.1} 度，允许 {:.1} 度",
                f.roll_degrees.abs(),
                p.max_roll_degrees
            ),
            Some(f.roll_degrees),
            Some([-p.max_roll_degrees, p.max_roll_degrees]),
            "deg",
            Some(fb),
        );
    }
    if f.head_touches_top || f.head_touches_side {
        let (en, zh) = if f.head_touches_top {
            (
                "the top of the head is cut off by the frame",
                "头顶被画面裁切",
            )
        } else {
            (
                "the head touches the side of the frame",
                "头部触及画面左右边缘",
            )
        };
        cx.push(
            &HEAD_IN_FRAME,
            en.into(),
            zh.into(),
            None,
            None,
            "px",
            Some(fb),
        );
    }
    if !(f.shoulder_left_found && f.shoulder_right_found) {
        let side = match (f.shoulder_left_found, f.shoulder_right_found) {
            (false, false) => ("both shoulders are", "双肩"),
            (false, true) => ("the left shoulder is", "左肩"),
            _ => ("the right shoulder is", "右肩"),
        };
        cx.push(
            &SHOULDERS_IN_FRAME,
            format!("{} not in the frame", side.0),
            format!("{}未完整入镜", side.1),
            None,
            None,
            "px",
            None,
        );
    }
    if let (Some(range), Some(h)) = (p.head_height, f.head_height) {
        cx.band(
            &HEAD_HEIGHT,
            ("head height", "头部高度"),
            h.reference,
            range,
            Rect {
                x: fb.x,
                y: (fb.y + fb.h) - h.px as f32,
                w: fb.w,
                h: h.px as f32,
            },
        );
    }
    if let Some(min) = p.min_eye_distance.filter(|&m| f.eye_distance.px < m) {
        cx.push(
            &EYE_DISTANCE,
            format!(
                "the eye centres are {:.0} px apart in the photo, at least {min:.0} required (resolution too low)",
                f.eye_distance.px
            ),
            format!(
                "照片中两眼中心相距 {:.0} 像素，要求至少 {min:.0} 像素（分辨率不足）",
                f.eye_distance.px
            ),
            Some(f.eye_distance.px),
            Some([min, f64::INFINITY]),
            "px",
            Some(fb),
        );
    }
    if let Some(t) = f.shoulder_tilt_degrees {
        if t.abs() > p.max_shoulder_tilt_degrees {
            cx.push(
                &SHOULDER_TILT,
                format!(
                    "shoulders tilted {:.1} degrees, allowed {:.1}",
                    t.abs(),
                    p.max_shoulder_tilt_degrees
                ),
                format!(
                    "双肩倾斜 {:.1} 度，允许 {:.1} 度",
                    t.abs(),
                    p.max_shoulder_tilt_degrees
                ),
                Some(t),
                Some([-p.max_shoulder_tilt_degrees, p.max_shoulder_tilt_degrees]),
                "deg",
                None,
            );
        }
    }
}

fn naming(cx: &mut Ctx, f: &FileFacts) {
    let Some(name) = f.file_name.as_deref() else {
        return;
    };
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let problem = match &cx.profile.naming {
        Naming::None => None,
        Naming::ResidentId => crate::naming::resident_id_problem(stem),
        Naming::Regex { pattern } => match regex::Regex::new(&format!("^(?:{pattern})$")) {
            Ok(re) if re.is_match(stem) => None,
            Ok(_) => Some((
                format!("does not match the naming pattern {pattern}"),
                format!("不符合命名规则 {pattern}"),
            )),
            Err(_) => Some((
                "cannot be checked: the profile's naming pattern is invalid".to_string(),
                "无法检查：规格中的命名规则无效".to_string(),
            )),
        },
    };
    if let Some((en, zh)) = problem {
        cx.push(
            &FILE_NAME,
            format!("file name {stem:?} {en}"),
            format!("文件名“{stem}”{zh}"),
            None,
            None,
            "name",
            None,
        );
    }
}

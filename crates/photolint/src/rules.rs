//! The rules: each with a stable code, a severity and documentation, judging
//! measurements against the profile's numbers.

use crate::face::Rect;
use crate::measure::{Framing, Measurements};
use crate::profile::Profile;
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
}

/// Exactly one face.
pub const FACE_COUNT: RuleInfo = RuleInfo {
    code: "F001",
    name: "one-face",
    severity: Severity::Error,
    doc_en: "The photo must show exactly one face. No face means the subject is not recognisable (or not frontal); several faces mean it is not an ID photo.",
    doc_zh: "照片中必须有且只有一张人脸。检测不到人脸说明人像不可辨认或非正面；多张人脸不是证件照。",
};
/// Crown position.
pub const CROWN: RuleInfo = RuleInfo {
    code: "F002",
    name: "crown-position",
    severity: Severity::Error,
    doc_en: "The top of the head (hair included) must lie in the profile's band below the top edge (chsi-diploma: 50-110 px of 640). 学信网 rejects uploads on top-of-head position. Tuned by framing.crown_y.",
    doc_zh: "头顶（含头发）须位于距上边缘的规定范围内（学历照：640 像素中的 50–110 像素）。学信网按头顶位置自动退回。由 framing.crown_y 设定。",
};
/// Eye line position.
pub const EYE_LINE: RuleInfo = RuleInfo {
    code: "F003",
    name: "eye-line-position",
    severity: Severity::Error,
    doc_en: "The eye line (mid-point of the eye centres) must lie in the profile's band (chsi-diploma: 200-300 px of 640). 学信网 checks the eye-centre position automatically. Tuned by framing.eye_y.",
    doc_zh: "眼睛中心连线须位于规定范围内（学历照：640 像素中的 200–300 像素）。学信网自动检测眼睛中心位置。由 framing.eye_y 设定。",
};
/// Face width.
pub const FACE_WIDTH: RuleInfo = RuleInfo {
    code: "F004",
    name: "face-width",
    severity: Severity::Error,
    doc_en: "The face, cheek to cheek, must be as wide as the profile says (chsi-diploma: 180-300 px of 480): too small and the portrait fails identity checks, too large and the head is cropped. Tuned by framing.face_width.",
    doc_zh: "脸宽（两颊之间）须在规定范围内（学历照：480 像素中的 180–300 像素）：过小无法比对身份，过大则头部被裁切。由 framing.face_width 设定。",
};
/// Horizontal centring.
pub const CENTRED: RuleInfo = RuleInfo {
    code: "F005",
    name: "face-centred",
    severity: Severity::Error,
    doc_en: "The face must be horizontally centred: the mid-point of the eyes within the profile's tolerance of the frame's centre line. Tuned by framing.centre_tolerance.",
    doc_zh: "人脸须水平居中：两眼中点与画面中线的偏差不超过规定值。由 framing.centre_tolerance 设定。",
};
/// Roll.
pub const ROLL: RuleInfo = RuleInfo {
    code: "F006",
    name: "head-roll",
    severity: Severity::Error,
    doc_en: "The eye line must be level: a tilted head is rejected (学信网 checks the pupil tilt angle). Tuned by framing.max_roll_degrees.",
    doc_zh: "两眼连线须保持水平：头部歪斜会被退回（学信网检测瞳孔倾斜角度）。由 framing.max_roll_degrees 设定。",
};
/// Head inside the frame.
pub const HEAD_IN_FRAME: RuleInfo = RuleInfo {
    code: "F007",
    name: "head-in-frame",
    severity: Severity::Error,
    doc_en: "The whole head, hair included, must be inside the frame: it must not touch the top or side edges.",
    doc_zh: "整个头部（含头发）须完整在画面内，不得触及上边缘或左右边缘。",
};
/// Shoulders inside the frame.
pub const SHOULDERS_IN_FRAME: RuleInfo = RuleInfo {
    code: "F008",
    name: "shoulders-in-frame",
    severity: Severity::Error,
    doc_en: "Both shoulders must be in the picture: the silhouette must widen into shoulders on each side of the face below the chin, inside the frame.",
    doc_zh: "双肩须完整入镜：下巴以下人像轮廓须在脸两侧展开为肩部，且在画面内。",
};
/// Shoulders level.
pub const SHOULDER_TILT: RuleInfo = RuleInfo {
    code: "F009",
    name: "shoulders-level",
    severity: Severity::Warning,
    doc_en: "The shoulders should be level. A warning: clothing makes the shoulder line a coarser measurement than the eye line. Tuned by framing.max_shoulder_tilt_degrees.",
    doc_zh: "双肩应保持水平。仅为提示：衣着会影响肩线测量精度。由 framing.max_shoulder_tilt_degrees 设定。",
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

/// Judges `m` against `profile`; findings come out in rule-code order.
pub fn judge(m: &Measurements, profile: &Profile, image_w: u32) -> Vec<Finding> {
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
    let mut out = cx.out;
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
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

//! `fix`: a photo whose only faults are its framing or its file, cropped,
//! scaled and saved again so that it passes; anything else refused.
//!
//! The crop and scale come from the check's own measurements (crown, eye
//! line, face width, face centre): they put the head at the middle of the
//! profile's bands, kept a margin inside them, using only the photo's own
//! pixels. The result is resampled (the mean of the pixels each output
//! pixel covers when scaling down, Lanczos3 when enlarging), written at the profile's
//! pixel size and dpi, at the highest quality that keeps it within the
//! size band, and checked again. What a person looks like or wears (the
//! backdrop, clothing, light, glare, glasses, hair, eyes) is never edited:
//! a photo with such a fault is refused, with the reason.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use crate::decode::FileFormat;
use crate::profile::Profile;
use crate::report::{Rect, Report, Severity, Verdict};
use crate::{Checker, Error, Lang, Source};

/// Rule codes `fix` mends: where the head sits and how large, and the
/// file itself. Every other error needs a new photo.
const MENDS: &[&str] = &[
    "F002", "F003", "F004", "F005", "F008", "F010", "D001", "D002", "D003", "D004", "D005", "D006",
];

/// What `fix` did with a photo it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Cropped, scaled and saved again: the new photo passes.
    Fixed,
    /// The photo already passes; its bytes are returned as they were.
    Unchanged,
}

/// A photo `fix` accepted: the bytes to write and how they were made.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// Fixed, or unchanged because it already passed.
    pub action: Action,
    /// The photo to write: a new JPEG, or the original bytes when unchanged.
    pub bytes: Vec<u8>,
    /// The file name to write it under: the input's name with the
    /// profile's extension (`None` for bytes without a name).
    pub file_name: Option<String>,
    /// The part of the (upright) photo used, in its own pixels; `None`
    /// when unchanged.
    pub crop: Option<Rect>,
    /// Output pixels per photo pixel (1 when unchanged).
    pub scale: f64,
    /// The JPEG quality written at (`None` when unchanged or not a JPEG).
    pub quality: Option<u8>,
    /// The report on the photo as given.
    pub before: Report,
    /// The report on the photo written (the same as `before` when unchanged).
    pub after: Report,
}

/// Which edge of the photo a crop would need pixels beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Above the top edge (the head is too close to it, or cut).
    Top,
    /// Below the bottom edge (the photo ends too soon under the chin).
    Bottom,
    /// Beyond the left edge.
    Left,
    /// Beyond the right edge.
    Right,
    /// All round: the framing needs a larger photo than this one.
    Around,
}

impl Side {
    fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Side::Top, Lang::Zh) => "上方",
            (Side::Bottom, Lang::Zh) => "下方",
            (Side::Left, Lang::Zh) => "左侧",
            (Side::Right, Lang::Zh) => "右侧",
            (Side::Around, Lang::Zh) => "四周",
            (Side::Top, _) => "above the top edge",
            (Side::Bottom, _) => "below the bottom edge",
            (Side::Left, _) => "beyond the left edge",
            (Side::Right, _) => "beyond the right edge",
            (Side::Around, _) => "round the head",
        }
    }

    /// The edge itself.
    fn edge(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Side::Top, Lang::Zh) => "上",
            (Side::Bottom, Lang::Zh) => "下",
            (Side::Left, Lang::Zh) => "左",
            (Side::Right, Lang::Zh) => "右",
            (Side::Around, Lang::Zh) => "",
            (Side::Top, _) => "top",
            (Side::Bottom, _) => "bottom",
            (Side::Left, _) => "left",
            (Side::Right, _) => "right",
            (Side::Around, _) => "",
        }
    }
}

/// Why `fix` left a photo unwritten.
#[derive(Debug, thiserror::Error)]
pub enum Reason {
    /// The photo could not be checked at all.
    #[error("{0}")]
    Unreadable(#[from] Error),
    /// The profile says nothing about fixing (no `[fix]` section).
    #[error("the profile {0} has no [fix] section: fix does not know how far it may go")]
    NoFixRules(String),
    /// Not exactly one face.
    #[error("{count} faces found: fix needs exactly one person in the photo")]
    Faces {
        /// How many faces were found.
        count: usize,
    },
    /// Faults fix must not edit: they need a new photo.
    #[error("fix changes only the framing and the file; these need a new photo: {}", .codes.join(", "))]
    NotFixable {
        /// The rules that failed, as `code rule-name`.
        codes: Vec<String>,
    },
    /// The framing needs pixels the photo does not have.
    #[error("{}", outside_en(*side, *px))]
    OutsidePhoto {
        /// Where the pixels are missing.
        side: Side,
        /// How many photo pixels are missing; `None` when the head itself
        /// reaches that edge (cut off).
        px: Option<f64>,
    },
    /// The face would have to be enlarged more than the profile allows.
    #[error("the face is too small in this photo: it would have to be enlarged {needed:.2} times, at most {allowed:.2} allowed; take the photo closer or at a higher resolution")]
    Upscale {
        /// The enlargement the bands need.
        needed: f64,
        /// The profile's limit.
        allowed: f64,
    },
    /// No scale puts both the face width and the crown-to-eye distance in
    /// their bands: the head's proportions do not fit the profile.
    #[error("no scale puts the face width and the height from the top of the head to the eyes in their bands together")]
    Proportions,
    /// The photo made still fails its check.
    #[error("the fixed photo would still fail: {}", .codes.join(", "))]
    StillFails {
        /// The rules it fails, as `code rule-name`.
        codes: Vec<String>,
    },
}

/// `code rule-name` entries as `code 中文标题`.
fn titles_zh(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| {
            let code = c.split(' ').next().unwrap_or(c);
            match crate::rules::find(code) {
                Some(r) => format!("{code} {}", r.title(Lang::Zh)),
                None => c.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn outside_en(side: Side, px: Option<f64>) -> String {
    match px {
        Some(px) => format!(
            "the photo ends too soon: the framing needs {px:.0} px {} that the photo does not have; take it again with more room",
            side.words(Lang::En)
        ),
        None => format!(
            "the head reaches the {} edge of the photo: it is cut off and cannot be framed again; take it again",
            side.edge(Lang::En)
        ),
    }
}

impl Reason {
    /// A stable, machine-readable code: the error's E-code when the photo
    /// could not be read, else `R001`-`R006`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Unreadable(e) => e.code(),
            Reason::NoFixRules(_) => "R001-no-fix-rules",
            Reason::Faces { .. } => "R002-faces",
            Reason::NotFixable { .. } => "R003-not-fixable",
            Reason::OutsidePhoto { .. } => "R004-outside-photo",
            Reason::Upscale { .. } => "R005-upscale",
            Reason::Proportions => "R006-proportions",
            Reason::StillFails { .. } => "R007-still-fails",
        }
    }

    /// Why, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang != Lang::Zh {
            return self.to_string();
        }
        match self {
            Reason::Unreadable(e) => e.message(lang),
            Reason::NoFixRules(p) => format!("规格 {p} 没有 [fix] 一节，无法自动修正"),
            Reason::Faces { count } => {
                format!("检测到 {count} 张人脸：自动修正需要照片中恰好一人")
            }
            Reason::NotFixable { codes } => format!(
                "自动修正只调整构图和文件，以下问题需要重新拍摄：{}",
                titles_zh(codes)
            ),
            Reason::OutsidePhoto { side, px: Some(px) } => format!(
                "照片边缘不够：按标准构图需要照片{}再多 {px:.0} 像素，请重新拍摄并留出空间",
                side.words(lang)
            ),
            Reason::OutsidePhoto { side, px: None } => format!(
                "头部已触及照片{}边缘（被裁掉），无法重新构图，请重新拍摄",
                side.edge(lang)
            ),
            Reason::Upscale { needed, allowed } => format!(
                "人脸在照片中太小：需要放大 {needed:.2} 倍，最多允许 {allowed:.2} 倍；请靠近拍摄或使用更高分辨率"
            ),
            Reason::Proportions => {
                "无论怎样缩放，脸宽与头顶到眼睛的距离都无法同时落在标准范围内".into()
            }
            Reason::StillFails { codes } => {
                format!("修正后的照片仍不合格：{}", titles_zh(codes))
            }
        }
    }
}

/// A photo `fix` did not write, why, and the report on it when it could be
/// checked.
#[derive(Debug, thiserror::Error)]
#[error("{reason}")]
pub struct Refusal {
    /// Why.
    pub reason: Reason,
    /// The report on the photo as given, when it could be checked.
    pub before: Option<Box<Report>>,
}

impl Refusal {
    fn new(reason: Reason, before: &Report) -> Refusal {
        Refusal {
            reason,
            before: Some(Box::new(before.clone())),
        }
    }
}

impl From<Error> for Refusal {
    fn from(e: Error) -> Refusal {
        Refusal {
            reason: Reason::Unreadable(e),
            before: None,
        }
    }
}

/// `code rule-name` for each error in `report`.
fn failed(report: &Report, keep: impl Fn(&str) -> bool) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && keep(&f.code))
        .map(|f| format!("{} {}", f.code, f.rule))
        .collect()
}

/// The allowed interval `[lo, hi]` narrowed by `margin` of its width at
/// each end.
fn inside(band: [f64; 2], margin: f64) -> [f64; 2] {
    let m = margin * (band[1] - band[0]);
    [band[0] + m, band[1] - m]
}

fn meet(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    [a[0].max(b[0]), a[1].min(b[1])]
}

/// Where the head is in the photo, in its own pixels.
struct Head {
    crown: f64,
    eye: f64,
    centre: f64,
    face_width: f64,
    /// Crown to chin.
    height: Option<f64>,
}

/// The crop (photo pixels) and scale that frame `head` in a `w` x `h`
/// photo for `profile`, written `out` (width, height) pixels: with the
/// profile's margin inside each band, else with half of it, else at the
/// bands' own edges (the check of the result says whether that holds).
fn plan(
    head: &Head,
    size: (f64, f64),
    out: (f64, f64),
    profile: &Profile,
    fix: &crate::profile::FixRules,
) -> Result<(Rect, f64), Reason> {
    // The reason told is the first that names an edge, else the last
    // (at the bands' own edges).
    let mut edge = None;
    let mut last = Reason::Proportions;
    for margin in [fix.band_margin, fix.band_margin / 2.0, 0.0] {
        match plan_within(head, size, out, profile, fix, margin) {
            Ok(p) => return Ok(p),
            Err(e @ Reason::OutsidePhoto { side, .. }) if side != Side::Around => {
                edge.get_or_insert(e);
            }
            Err(e) => last = e,
        }
    }
    Err(edge.unwrap_or(last))
}

/// [`plan`] with `margin` of each band kept clear.
fn plan_within(
    head: &Head,
    (w, h): (f64, f64),
    out: (f64, f64),
    profile: &Profile,
    fix: &crate::profile::FixRules,
    margin: f64,
) -> Result<(Rect, f64), Reason> {
    if head.eye <= head.crown || head.face_width <= 0.0 {
        return Err(Reason::Proportions);
    }
    let fr = &profile.framing;
    // The profile's bands in output pixels.
    let k = out.0 / profile.reference_width.max(1) as f64;
    let band = |b: [f64; 2]| inside([b[0] * k, b[1] * k], margin);
    let (crown, eye, width) = (band(fr.crown_y), band(fr.eye_y), band(fr.face_width));
    let tol = fr.centre_tolerance * k * (1.0 - 2.0 * margin);
    // Scales that keep the face width, the crown-to-eye distance and the
    // head's height in their bands.
    let mut s = meet(
        [width[0] / head.face_width, width[1] / head.face_width],
        [
            (eye[0] - crown[1]).max(0.0) / (head.eye - head.crown),
            (eye[1] - crown[0]) / (head.eye - head.crown),
        ],
    );
    let mut ideal = vec![
        (width[0] + width[1]) / 2.0 / head.face_width,
        ((eye[0] + eye[1]) - (crown[0] + crown[1])) / 2.0 / (head.eye - head.crown),
    ];
    if let (Some(hh), Some(b)) = (head.height, fr.head_height) {
        let b = band(b);
        s = meet(s, [b[0] / hh, b[1] / hh]);
        ideal.push((b[0] + b[1]) / 2.0 / hh);
    }
    if !matches!(
        s[0].partial_cmp(&s[1]),
        Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
    ) {
        return Err(Reason::Proportions);
    }
    // The band's middle, as near as the bands allow; no enlargement where
    // the bands can do without.
    let geo = (ideal.iter().map(|v| v.ln()).sum::<f64>() / ideal.len() as f64).exp();
    let mut start = geo.clamp(s[0], s[1]);
    if start > 1.0 {
        start = s[0].max(1.0).min(start);
    }
    if start > fix.max_upscale {
        return Err(Reason::Upscale {
            needed: start,
            allowed: fix.max_upscale,
        });
    }
    // A larger scale needs fewer of the photo's pixels: step up until the
    // crop fits.
    let top = s[1].min(fix.max_upscale);
    let mut scale = start;
    loop {
        match place(head, (w, h), out, scale, crown, eye, tol) {
            Ok(r) => return Ok((r, scale)),
            // What the smallest crop still lacks is what the photo lacks.
            Err(e) if scale >= top => return Err(e),
            Err(_) => scale = (scale * 1.02).min(top),
        }
    }
}

/// The crop at `scale`, or which edge it would cross.
fn place(
    head: &Head,
    (w, h): (f64, f64),
    out: (f64, f64),
    scale: f64,
    crown: [f64; 2],
    eye: [f64; 2],
    tol: f64,
) -> Result<Rect, Reason> {
    let (cw, ch) = (out.0 / scale, out.1 / scale);
    // Vertical: the crop's top edge keeps both the crown and the eye line
    // in their bands; aim at the middle of both.
    let band_y = meet(
        [head.crown - crown[1] / scale, head.crown - crown[0] / scale],
        [head.eye - eye[1] / scale, head.eye - eye[0] / scale],
    );
    let aim_y = ((head.crown - (crown[0] + crown[1]) / 2.0 / scale)
        + (head.eye - (eye[0] + eye[1]) / 2.0 / scale))
        / 2.0;
    let y = fit(band_y, [0.0, h - ch], aim_y, Side::Top, Side::Bottom)?;
    let band_x = [
        head.centre - (out.0 / 2.0 + tol) / scale,
        head.centre - (out.0 / 2.0 - tol) / scale,
    ];
    let aim_x = head.centre - out.0 / 2.0 / scale;
    let x = fit(band_x, [0.0, w - cw], aim_x, Side::Left, Side::Right)?;
    Ok(Rect {
        x: x as f32,
        y: y as f32,
        w: cw as f32,
        h: ch as f32,
    })
}

/// The point of `band` nearest `aim` that is also in `photo`, or the edge
/// the band lies beyond and by how much.
fn fit(band: [f64; 2], photo: [f64; 2], aim: f64, low: Side, high: Side) -> Result<f64, Reason> {
    // Two bands that meet at a point may cross by a rounding error.
    let band = match band {
        [a, b] if a <= b => [a, b],
        [a, b] if a - b < 1e-6 => [b, a],
        _ => return Err(Reason::Proportions),
    };
    if photo[1] < photo[0] {
        // The crop is larger than the photo.
        return Err(Reason::OutsidePhoto {
            side: Side::Around,
            px: Some(photo[0] - photo[1]),
        });
    }
    let both = meet(band, photo);
    if both[0] <= both[1] {
        return Ok(aim.clamp(both[0], both[1]));
    }
    // The band is beyond the photo's low edge (it would start before 0),
    // or the photo is too short on the high side.
    if band[1] < photo[0] {
        Err(Reason::OutsidePhoto {
            side: low,
            px: Some(photo[0] - band[1]),
        })
    } else {
        Err(Reason::OutsidePhoto {
            side: high,
            px: Some(band[0] - photo[1]),
        })
    }
}

/// Crops `img` to `r` and resamples it to `out` pixels: the mean of the
/// pixels each output pixel covers when scaling down (no aliasing, every
/// source pixel read once), Lanczos3 when enlarging, a copy when neither.
fn resample(img: &RgbImage, r: Rect, out: (u32, u32)) -> RgbImage {
    let (iw, ih) = (img.width() as usize, img.height() as usize);
    if (r.x, r.y) == (0.0, 0.0) && (r.w, r.h) == (iw as f32, ih as f32) && img.dimensions() == out {
        return img.clone();
    }
    let (dw, dh) = (out.0 as usize, out.1 as usize);
    let x = (r.x.round().max(0.0) as usize).min(iw.saturating_sub(1));
    let y = (r.y.round().max(0.0) as usize).min(ih.saturating_sub(1));
    let w = (r.w.round() as usize).clamp(1, iw - x);
    let h = (r.h.round() as usize).clamp(1, ih - y);
    let pixels = if w >= dw && h >= dh {
        let from = &img.as_raw()[(y * iw + x) * 3..];
        crate::kernels::resample::area_average(from, w, h, iw * 3, 3, dw, dh)
            .into_iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect()
    } else {
        crate::kernels::resample::lanczos3_rgb(
            img.as_raw(),
            (iw, ih),
            (r.x as f64, r.y as f64, r.w as f64, r.h as f64),
            (dw, dh),
        )
    };
    RgbImage::from_raw(out.0, out.1, pixels).unwrap_or_else(|| RgbImage::new(out.0, out.1))
}

/// Encodes `img` as a baseline JPEG (4:2:0) at `quality`, recording `dpi`
/// (none when 0).
fn encode_jpeg(img: &RgbImage, quality: u8, dpi: f64) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut buf, quality);
    // 4:2:0 at every quality (the encoder's own choice switches to 4:4:4
    // from 90, a jump in size that would leave the best quality unfound).
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    if dpi > 0.0 {
        enc.set_density(jpeg_encoder::PixelDensity::dpi(
            dpi.round().clamp(1.0, 65535.0) as u16,
        ));
    }
    let (w, h) = (
        u16::try_from(img.width()).map_err(|_| Error::Internal("output too wide".into()))?,
        u16::try_from(img.height()).map_err(|_| Error::Internal("output too high".into()))?,
    );
    enc.encode(img.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| Error::Internal(format!("JPEG encoding: {e}")))?;
    Ok(buf)
}

/// The highest quality from the profile's least to `max_q` whose file
/// stays within the size band (the least when none does). Size grows with
/// quality smoothly, so after a first try at a usual quality each next try
/// is where the sizes seen so far put the band's top: three or four
/// encodings, where halving the range would take six or seven.
fn encode_to_size(img: &RgbImage, profile: &Profile, max_q: u8) -> Result<(Vec<u8>, u8), Error> {
    let f = &profile.file;
    let lo_q = f.min_jpeg_quality.clamp(1, 100);
    let hi_q = max_q.clamp(lo_q, 100);
    let Some([_, max_kb]) = f.size_kb else {
        return Ok((encode_jpeg(img, hi_q, f.dpi)?, hi_q));
    };
    let limit = (max_kb * 1024.0) as usize;
    // The highest quality seen to fit (with its bytes), the lowest seen not to.
    let mut fits: Option<(u8, usize, Vec<u8>)> = None;
    let mut over: Option<(u8, usize)> = None;
    let mut q = 90u8.clamp(lo_q, hi_q);
    loop {
        let bytes = encode_jpeg(img, q, f.dpi)?;
        let size = bytes.len();
        if size <= limit {
            fits = Some((q, size, bytes));
        } else if q == lo_q {
            // Too large even at the least quality: that, with its warning.
            return Ok((bytes, q));
        } else {
            over = Some((q, size));
        }
        // One side seen: the size grows by about 3.7 % a quality step
        // (4:2:0 portraits at 480x640 grow 1.44 times from 80 to 90).
        let steps = |size: usize| ((limit as f64 / size as f64).ln() / 0.037).round();
        q = match (&fits, over) {
            (Some((fq, _, _)), _) if *fq == hi_q => break,
            (Some((fq, fs, _)), None) => (*fq as f64 + steps(*fs).max(1.0)).min(hi_q as f64) as u8,
            (None, Some((oq, os))) => (oq as f64 + steps(os).min(-1.0)).max(lo_q as f64) as u8,
            (Some((fq, fs, _)), Some((oq, os))) => {
                if oq - fq <= 1 {
                    break;
                }
                let t = (limit - fs) as f64 / (os - fs).max(1) as f64;
                let guess = *fq as f64 + t * (oq - fq) as f64;
                (guess.round() as u8).clamp(fq + 1, oq - 1)
            }
            (None, None) => break,
        };
    }
    match fits {
        Some((q, _, bytes)) => Ok((bytes, q)),
        None => Ok((encode_jpeg(img, lo_q, f.dpi)?, lo_q)),
    }
}

/// The input's name with the profile's extension.
fn out_name(name: Option<&str>, profile: &Profile) -> Option<String> {
    let name = name?;
    let stem = std::path::Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    let ext = profile
        .file
        .extensions
        .first()
        .cloned()
        .unwrap_or_else(|| "jpg".into());
    Some(format!("{stem}.{ext}"))
}

/// Fixes one photo for `profile` with the default decoder limits: see
/// [`Checker::fix`] (which reuses one checker for many photos).
///
/// ```no_run
/// let profile = photolint::Profile::built_in("chsi-diploma")?;
/// match photolint::fix::fix(std::path::Path::new("raw.jpg"), &profile) {
///     Ok(done) => std::fs::write("ready.jpg", &done.bytes)?,
///     Err(refused) => eprintln!("{}: {}", refused.reason.code(), refused.reason),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn fix<'a>(source: impl Into<Source<'a>>, profile: &Profile) -> Result<Fixed, Refusal> {
    Checker::new(profile.clone()).fix(source)
}

impl Checker {
    /// Fixes one photo for this checker's profile: see the [module
    /// documentation](crate::fix). Returns the photo to write (new, or as
    /// it was when it already passes) with the reports before and after,
    /// or why it was left alone. Reads the input only; writes nothing.
    pub fn fix<'a>(&self, source: impl Into<Source<'a>>) -> Result<Fixed, Refusal> {
        let source = source.into();
        let owned;
        let (bytes, name) = match source {
            Source::File(path) => {
                owned = crate::read_file(path, self.limits())?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                (owned.as_slice(), name)
            }
            Source::Bytes { bytes, name } => (bytes, name.map(str::to_string)),
        };
        let checked = self.check(Source::Bytes {
            bytes,
            name: name.as_deref(),
        })?;
        let before = checked.report;
        let profile = self.profile();
        let file_name = out_name(name.as_deref(), profile);
        if before.verdict == Verdict::Pass {
            return Ok(Fixed {
                action: Action::Unchanged,
                bytes: bytes.to_vec(),
                file_name: name,
                crop: None,
                scale: 1.0,
                quality: None,
                after: before.clone(),
                before,
            });
        }
        let Some(fix) = &profile.fix else {
            return Err(Refusal::new(
                Reason::NoFixRules(profile.name.clone()),
                &before,
            ));
        };
        if before.measurements.face_count != 1 {
            return Err(Refusal::new(
                Reason::Faces {
                    count: before.measurements.face_count,
                },
                &before,
            ));
        }
        let not_fixable = failed(&before, |c| !MENDS.contains(&c) && c != "F007");
        if !not_fixable.is_empty() {
            return Err(Refusal::new(
                Reason::NotFixable { codes: not_fixable },
                &before,
            ));
        }
        let (w, h) = (checked.image.width() as f64, checked.image.height() as f64);
        let head = match &before.measurements.framing {
            Some(fr) if !fr.head_touches_top => fr.crown_y.map(|c| Head {
                crown: c.px,
                eye: fr.eye_y.px,
                centre: fr.face_centre_x.px,
                face_width: fr.face_width.px,
                height: fr.head_height.map(|v| v.px),
            }),
            _ => None,
        };
        let Some(head) = head else {
            // No crown to place: the head is cut by the top edge.
            return Err(Refusal::new(
                Reason::OutsidePhoto {
                    side: Side::Top,
                    px: None,
                },
                &before,
            ));
        };
        let side_touch = before
            .measurements
            .framing
            .as_ref()
            .is_some_and(|f| f.head_touches_side);
        if side_touch {
            let side = if head.centre < w / 2.0 {
                Side::Left
            } else {
                Side::Right
            };
            return Err(Refusal::new(
                Reason::OutsidePhoto { side, px: None },
                &before,
            ));
        }
        let f = &profile.file;
        let out = if f.width > 0 && f.height > 0 {
            (f.width, f.height)
        } else {
            (profile.reference_width, profile.reference_height)
        };
        // Framed right already, in the right proportions: the whole photo,
        // only resized (if at all) and saved again.
        let framed = !before
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error && f.code.starts_with('F'));
        let same_shape = (w / h - out.0 as f64 / out.1 as f64).abs() < 0.005 * w / h;
        let (crop, scale) = if framed && same_shape {
            let whole = Rect {
                x: 0.0,
                y: 0.0,
                w: w as f32,
                h: h as f32,
            };
            let scale = out.0 as f64 / w;
            if scale > fix.max_upscale {
                return Err(Refusal::new(
                    Reason::Upscale {
                        needed: scale,
                        allowed: fix.max_upscale,
                    },
                    &before,
                ));
            }
            (whole, scale)
        } else {
            plan(&head, (w, h), (out.0 as f64, out.1 as f64), profile, fix)
                .map_err(|r| Refusal::new(r, &before))?
        };
        let pixels = resample(&checked.image, crop, out);
        let (bytes, quality) = match f.format {
            FileFormat::Jpeg => {
                let (b, q) = encode_to_size(&pixels, profile, fix.max_jpeg_quality)?;
                (b, Some(q))
            }
            _ => {
                let mut buf = Vec::new();
                pixels
                    .write_to(&mut std::io::Cursor::new(&mut buf), image::ImageFormat::Png)
                    .map_err(|e| Error::Internal(format!("PNG encoding: {e}")))?;
                (buf, None)
            }
        };
        let after = self
            .check(Source::Bytes {
                bytes: &bytes,
                name: file_name.as_deref(),
            })?
            .report;
        if after.verdict != Verdict::Pass {
            return Err(Refusal::new(
                Reason::StillFails {
                    codes: failed(&after, |_| true),
                },
                &before,
            ));
        }
        Ok(Fixed {
            action: Action::Fixed,
            bytes,
            file_name,
            crop: Some(crop),
            scale,
            quality,
            before,
            after,
        })
    }
}

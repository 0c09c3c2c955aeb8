//! Framing: one face, where the head and eyes sit, how large the face is,
//! centring, roll, the head and shoulders in the frame.

use super::text::Text;
use super::{Ctx, Found, RuleInfo};
use crate::detect::Rect;
use crate::measure::Framing;
use crate::report::{Severity, Unit};

/// Exactly one face.
pub const FACE_COUNT: RuleInfo = RuleInfo {
    code: "F001",
    name: "one-face",
    severity: Severity::Error,
    doc_en: "The photo must show exactly one face. No face means the subject is not recognisable (or not frontal); several faces mean it is not an ID photo.",
    keys: &[],
};
/// Crown position.
pub const CROWN: RuleInfo = RuleInfo {
    code: "F002",
    name: "crown-position",
    severity: Severity::Error,
    doc_en: "The top of the head (hair included) must lie in the profile's band below the top edge ({profile}: {framing.crown_y} px of {reference_height}). 学信网 rejects uploads on top-of-head position. Tuned by framing.crown_y.",
    keys: &["framing.crown_y"],
};
/// Eye line position.
pub const EYE_LINE: RuleInfo = RuleInfo {
    code: "F003",
    name: "eye-line-position",
    severity: Severity::Error,
    doc_en: "The eye line (mid-point of the eye centres) must lie in the profile's band ({profile}: {framing.eye_y} px of {reference_height}). 学信网 checks the eye-centre position automatically. Tuned by framing.eye_y.",
    keys: &["framing.eye_y"],
};
/// Face width.
pub const FACE_WIDTH: RuleInfo = RuleInfo {
    code: "F004",
    name: "face-width",
    severity: Severity::Error,
    doc_en: "The face, cheek to cheek, must be as wide as the profile says ({profile}: {framing.face_width} px of {reference_width}): too small and the portrait fails identity checks, too large and the head is cropped. Tuned by framing.face_width.",
    keys: &["framing.face_width"],
};
/// Horizontal centring.
pub const CENTRED: RuleInfo = RuleInfo {
    code: "F005",
    name: "face-centred",
    severity: Severity::Error,
    doc_en: "The face must be horizontally centred: the mid-point of the eyes within the profile's tolerance of the frame's centre line. Tuned by framing.centre_tolerance.",
    keys: &["framing.centre_tolerance"],
};
/// Roll.
pub const ROLL: RuleInfo = RuleInfo {
    code: "F006",
    name: "head-roll",
    severity: Severity::Error,
    doc_en: "The eye line must be level: a tilted head is rejected (学信网 checks the pupil tilt angle). Tuned by framing.max_roll_degrees.",
    keys: &["framing.max_roll_degrees"],
};
/// Head inside the frame.
pub const HEAD_IN_FRAME: RuleInfo = RuleInfo {
    code: "F007",
    name: "head-in-frame",
    severity: Severity::Error,
    doc_en: "The whole head, hair included, must be inside the frame: it must not touch the top or side edges.",
    keys: &[],
};
/// Shoulders inside the frame.
pub const SHOULDERS_IN_FRAME: RuleInfo = RuleInfo {
    code: "F008",
    name: "shoulders-in-frame",
    severity: Severity::Error,
    doc_en: "Both shoulders must be in the picture: the silhouette must widen into shoulders on each side of the face below the chin, inside the frame.",
    keys: &[],
};
/// Shoulders level.
pub const SHOULDER_TILT: RuleInfo = RuleInfo {
    code: "F009",
    name: "shoulders-level",
    severity: Severity::Warning,
    doc_en: "The shoulders should be level. A warning: clothing makes the shoulder line a coarser measurement than the eye line. Tuned by framing.max_shoulder_tilt_degrees.",
    keys: &["framing.max_shoulder_tilt_degrees"],
};
/// Head height.
pub const HEAD_HEIGHT: RuleInfo = RuleInfo {
    code: "F010",
    name: "head-height",
    severity: Severity::Error,
    doc_en: "The head, crown to chin, must be as tall as the profile says ({profile}: {framing.head_height} px of {reference_height}). Checked only by profiles that set framing.head_height.",
    keys: &["framing.head_height"],
};
/// Eye distance (resolution of the face).
pub const EYE_DISTANCE: RuleInfo = RuleInfo {
    code: "F011",
    name: "eye-distance",
    severity: Severity::Error,
    doc_en: "The eye centres must be at least the profile's distance apart in the photo's own pixels ({profile}: {framing.min_eye_distance} px): below it the face is recorded at too low a resolution for identity checks. Checked only by profiles that set framing.min_eye_distance.",
    keys: &["framing.min_eye_distance"],
};

/// F001: exactly one face.
pub(super) fn face_count(cx: &mut Ctx, n: usize) {
    if n == 1 {
        return;
    }
    let text = if n == 0 {
        Text::new("F001.none", "no face found")
    } else {
        Text::new("F001.many", "{n} faces found, exactly one allowed").plain("n", n)
    };
    cx.push(
        Found::new(&FACE_COUNT, text, Unit::Count)
            .value(n as f64)
            .allowed([1.0, 1.0]),
    );
}

/// A position or size that must lie in `range`; `what` is an English term.
fn band(
    cx: &mut Ctx,
    rule: &'static RuleInfo,
    what: &'static str,
    v: f64,
    range: [f64; 2],
    region: Rect,
) {
    if v >= range[0] && v <= range[1] {
        return;
    }
    let dir = if v < range[0] {
        "too small"
    } else {
        "too large"
    };
    let text = Text::new("band", "{what} is {v} px, allowed {min}-{max} ({dir})")
        .term("what", what)
        .num("v", v, 0)
        .num("min", range[0], 0)
        .num("max", range[1], 0)
        .term("dir", dir);
    cx.push(
        Found::new(rule, text, Unit::Px)
            .value(v)
            .allowed(range)
            .region(Some(region)),
    );
}

pub(super) fn judge(cx: &mut Ctx, f: &Framing, image_w: u32) {
    let p = &cx.profile.framing;
    let fb = f.face_box;
    let row = |y: f64| Rect {
        x: 0.0,
        y: y as f32 - 1.0,
        w: image_w as f32,
        h: 3.0,
    };
    match f.crown_y {
        Some(c) => band(cx, &CROWN, "top of head", c.reference, p.crown_y, row(c.px)),
        None => cx.push(
            Found::new(
                &CROWN,
                Text::new(
                    "F002.missing",
                    "top of head not found against the background",
                ),
                Unit::Px,
            )
            .allowed(p.crown_y),
        ),
    }
    band(
        cx,
        &EYE_LINE,
        "eye line",
        f.eye_y.reference,
        p.eye_y,
        row(f.eye_y.px),
    );
    band(
        cx,
        &FACE_WIDTH,
        "face width",
        f.face_width.reference,
        p.face_width,
        fb,
    );
    let centre = cx.profile.reference_width as f64 / 2.0;
    let off = f.face_centre_x.reference - centre;
    if off.abs() > p.centre_tolerance {
        let text = Text::new(
            "F005",
            "face centre is {off} px {dir} of the middle, allowed {max}",
        )
        .num("off", off.abs(), 0)
        .term("dir", if off < 0.0 { "left" } else { "right" })
        .num("max", p.centre_tolerance, 0);
        cx.push(
            Found::new(&CENTRED, text, Unit::Px)
                .value(off)
                .allowed([-p.centre_tolerance, p.centre_tolerance])
                .region(Some(fb)),
        );
    }
    if f.roll_degrees.abs() > p.max_roll_degrees {
        let text = Text::new("F006", "head tilted {v} degrees, allowed {max}")
            .num("v", f.roll_degrees.abs(), 1)
            .num("max", p.max_roll_degrees, 1);
        cx.push(
            Found::new(&ROLL, text, Unit::Degrees)
                .value(f.roll_degrees)
                .allowed([-p.max_roll_degrees, p.max_roll_degrees])
                .region(Some(fb)),
        );
    }
    if f.head_touches_top || f.head_touches_side {
        let text = if f.head_touches_top {
            Text::new("F007.top", "the top of the head is cut off by the frame")
        } else {
            Text::new("F007.side", "the head touches the side of the frame")
        };
        cx.push(Found::new(&HEAD_IN_FRAME, text, Unit::Px).region(Some(fb)));
    }
    if !(f.shoulder_left_found && f.shoulder_right_found) {
        let text = match (f.shoulder_left_found, f.shoulder_right_found) {
            (false, false) => Text::new("F008.both", "both shoulders are not in the frame"),
            (false, true) => Text::new("F008.left", "the left shoulder is not in the frame"),
            _ => Text::new("F008.right", "the right shoulder is not in the frame"),
        };
        cx.push(Found::new(&SHOULDERS_IN_FRAME, text, Unit::Px));
    }
    if let (Some(range), Some(h)) = (p.head_height, f.head_height) {
        let region = Rect {
            x: fb.x,
            y: (fb.y + fb.h) - h.px as f32,
            w: fb.w,
            h: h.px as f32,
        };
        band(cx, &HEAD_HEIGHT, "head height", h.reference, range, region);
    }
    if let Some(min) = p.min_eye_distance.filter(|&m| f.eye_distance.px < m) {
        let text = Text::new(
            "F011",
            "the eye centres are {v} px apart in the photo, at least {min} required (resolution too low)",
        )
        .num("v", f.eye_distance.px, 0)
        .num("min", min, 0);
        cx.push(
            Found::new(&EYE_DISTANCE, text, Unit::Px)
                .value(f.eye_distance.px)
                .allowed([min, f64::INFINITY])
                .region(Some(fb)),
        );
    }
    if let Some(t) = f.shoulder_tilt_degrees {
        let max = p.max_shoulder_tilt_degrees;
        if t.abs() > max {
            let text = Text::new("F009", "shoulders tilted {v} degrees, allowed {max}")
                .num("v", t.abs(), 1)
                .num("max", max, 1);
            cx.push(
                Found::new(&SHOULDER_TILT, text, Unit::Degrees)
                    .value(t)
                    .allowed([-max, max]),
            );
        }
    }
}

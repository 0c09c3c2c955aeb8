//! The face as the mesh shows it: no glasses, the mouth closed. Photos on which the
//! mesh is not read (no single face, a face too small, a profile without
//! face rules) leave these rules unjudged, never passed.

use super::text::Text;
use super::{Ctx, Found, RuleInfo};
use crate::measure::Measurements;
use crate::report::{Severity, Unit};

/// Spectacles.
pub const GLASSES: RuleInfo = RuleInfo {
    code: "H001",
    name: "glasses",
    severity: Severity::Error,
    doc_en: "No glasses ({profile}: {face.glasses_severity}): a frame's bridge across the nose and the lower rims under the eyes are thin lines the bare skin there does not have. Their contrast against the skin on both sides (the bridge's plus the fainter rim's), read where the face mesh puts them, at most the profile's ({profile}: {face.max_frame_contrast}). Tuned by face.max_frame_contrast and face.glasses_severity.",
    keys: &[
        "face.max_frame_contrast",
        "face.glasses_severity",
        "face.min_face_px",
    ],
};

/// An open mouth.
pub const MOUTH_CLOSED: RuleInfo = RuleInfo {
    code: "H008",
    name: "mouth-closed",
    severity: Severity::Warning,
    doc_en: "The mouth should be closed, with a natural expression: the gap between the inner lips over the mouth's width, read on the face mesh, at most the profile's ({profile}: {face.max_mouth_openness}); a smile showing teeth is over it. A warning or an error as the profile says ({profile}: {face.mouth_severity}). Tuned by face.max_mouth_openness and face.mouth_severity.",
    keys: &[
        "face.max_mouth_openness",
        "face.mouth_severity",
        "face.min_face_px",
    ],
};

pub(super) fn judge(cx: &mut Ctx, m: &Measurements) {
    let rules = [&GLASSES, &MOUTH_CLOSED];
    let Some(p) = cx.profile.face.clone() else {
        let why = Text::new("face-no-rules", "the profile sets no face rules");
        for r in rules {
            cx.unjudged(r, why.clone());
        }
        return;
    };
    let Some(f) = &m.face else {
        let why = if m.face_count != 1 {
            Text::new(
                "face-not-one",
                "the face rules are read on exactly one face",
            )
        } else {
            let width = m.framing.as_ref().map_or(0.0, |fr| fr.face_box.w as f64);
            Text::new(
                "face-too-small",
                "the face is {w} px wide, too small to read its features (at least {min} px)",
            )
            .num("w", width, 0)
            .num("min", p.min_face_px, 0)
        };
        for r in rules {
            cx.unjudged(r, why.clone());
        }
        return;
    };
    let g = &f.glasses;
    if g.score > p.max_frame_contrast {
        let text = Text::new(
            "H001",
            "glasses: frame lines across the nose and under the eyes (contrast {v}, at most {max} allowed); take them off",
        )
        .num("v", g.score, 2)
        .num("max", p.max_frame_contrast, 2);
        cx.push(
            Found::new(&GLASSES, text, Unit::Ratio)
                .value(g.score)
                .allowed([0.0, p.max_frame_contrast])
                .region(Some(g.region))
                .severity(p.glasses_severity),
        );
    }
    if f.mouth_openness > p.max_mouth_openness {
        let text = Text::new(
            "H008",
            "mouth open or teeth showing: lip gap {v} of the mouth's width, at most {max} allowed",
        )
        .num("v", f.mouth_openness, 2)
        .num("max", p.max_mouth_openness, 2);
        cx.push(
            Found::new(&MOUTH_CLOSED, text, Unit::Ratio)
                .value(f.mouth_openness)
                .allowed([0.0, p.max_mouth_openness])
                .region(Some(f.mouth_region))
                .severity(p.mouth_severity),
        );
    }
}

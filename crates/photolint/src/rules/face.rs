//! The face as the mesh shows it: the mouth closed. Photos on which the
//! mesh is not read (no single face, a face too small, a profile without
//! face rules) leave these rules unjudged, never passed.

use super::text::Text;
use super::{Ctx, Found, RuleInfo};
use crate::measure::Measurements;
use crate::report::{Severity, Unit};

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
    let rules = [&MOUTH_CLOSED];
    let Some(p) = cx.profile.face.clone() else {
        let why = Text::new("face-no-rules", "the profile sets no face rules");
        for r in rules {
            cx.unjudged(r, why.clone());
        }
        return;
    };
    let Some(f) = &m.face else {
        let why = if m.face_count != 1 {
            Text::new("face-not-one", "the mouth is read on exactly one face")
        } else {
            let width = m.framing.as_ref().map_or(0.0, |fr| fr.face_box.w as f64);
            Text::new(
                "face-too-small",
                "the face is {w} px wide, too small to read the mouth (at least {min} px)",
            )
            .num("w", width, 0)
            .num("min", p.min_face_px, 0)
        };
        for r in rules {
            cx.unjudged(r, why.clone());
        }
        return;
    };
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

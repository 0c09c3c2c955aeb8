//! What the scorecard needs of a report, shared by the accuracy test and
//! the `scorecard` example.

use photolint::{Checked, Verdict};
use photolint_testkit::score::Outcome;

/// The verdict, the codes fired and the measured geometry of `c`, in px of
/// the profile's reference frame (`ref_w` wide).
pub fn outcome_of(c: &Checked, ref_w: u32) -> Outcome {
    let r = &c.report;
    let fr = r.measurements.framing.as_ref();
    let k = ref_w as f32 / c.image.width().max(1) as f32;
    Outcome {
        passed: r.verdict == Verdict::Pass,
        fired: r.findings.iter().map(|f| f.code.clone()).collect(),
        crown_y: fr.and_then(|f| f.crown_y).map(|v| v.reference as f32),
        eye_y: fr.map(|f| f.eye_y.reference as f32),
        eyes: r.faces.first().filter(|_| r.faces.len() == 1).map(|face| {
            [
                (face.eye_left.x * k, face.eye_left.y * k),
                (face.eye_right.x * k, face.eye_right.y * k),
            ]
        }),
        face_width: fr.map(|f| f.face_width.reference as f32),
        roll_degrees: fr.map(|f| f.roll_degrees as f32),
    }
}

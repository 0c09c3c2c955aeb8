//! Framing: where the head, eyes and shoulders are in the frame.

use serde::{Deserialize, Serialize};

use crate::detect::{Face, Point, Rect};
use crate::silhouette::{Background, Silhouette};

use super::Px;

/// Everything measured about the framing of one face.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Framing {
    /// Top of the head (hair included), from the top edge.
    pub crown_y: Option<Px>,
    /// Eye line: vertical position of the mid-point of the eye centres.
    pub eye_y: Px,
    /// Distance between the eye centres.
    pub eye_distance: Px,
    /// Face width, cheek to cheek: the detector's box width (its sides sit
    /// on the face outline at cheekbone height).
    pub face_width: Px,
    /// Horizontal face centre (mid-point of the eye centres).
    pub face_centre_x: Px,
    /// Eye-line angle, degrees; positive when the image-right eye is lower.
    pub roll_degrees: f64,
    /// Shoulder-line angle, degrees, when both shoulders were found.
    pub shoulder_tilt_degrees: Option<f64>,
    /// Crown to chin.
    pub head_height: Option<Px>,
    /// The head reaches the top edge.
    pub head_touches_top: bool,
    /// The head reaches the left or right edge.
    pub head_touches_side: bool,
    /// The shoulder on the image-left side is inside the frame.
    pub shoulder_left_found: bool,
    /// The shoulder on the image-right side is inside the frame.
    pub shoulder_right_found: bool,
    /// Where the shoulder lines were taken, image-left then image-right
    /// (original pixels), when found: the ends of the shoulder line drawn
    /// on the annotated photo.
    pub shoulder_points: [Option<Point>; 2],
    /// The background model the silhouette was cut against.
    pub background: Background,
    /// Face box (detector), original pixels.
    pub face_box: Rect,
}

/// Face width, cheek to cheek, in pixels.
///
/// Calibrated from the landmarks' detector: YuNet's box is trained to span the
/// face from cheek to cheek (its sides sit on the face outline at cheekbone
/// height, inside the ears), so its width is the face width. Checked by eye
/// with the box sides drawn on the sample portraits (the `detect` example):
/// 216.6 px against about 213 px of cheek outline on sample 2, 235.6 against
/// about 233 on sample 3, within 2 %.
pub fn face_width_px(face: &Face) -> f32 {
    face.bbox.w
}

/// Measures the framing of `face` on a `w` x `h` photo judged in a
/// `ref_w` x `ref_h` reference frame.
pub fn framing(face: &Face, sil: &Silhouette, ref_w: u32, ref_h: u32) -> Framing {
    let sx = ref_w as f64 / sil.width.max(1) as f64;
    let sy = ref_h as f64 / sil.height.max(1) as f64;
    let xs = |v: f32| Px {
        px: v as f64,
        reference: v as f64 * sx,
    };
    let ys = |v: f32| Px {
        px: v as f64,
        reference: v as f64 * sy,
    };
    let mid = face.eye_mid();
    let chin = face.bbox.y + face.bbox.h;
    let shoulder_tilt = match (sil.shoulder_left, sil.shoulder_right) {
        (Some(l), Some(r)) => Some(
            (((r.1 - l.1) as f64) * sy)
                .atan2(((r.0 - l.0) as f64) * sx)
                .to_degrees(),
        ),
        _ => None,
    };
    Framing {
        crown_y: sil.crown_y.map(ys),
        eye_y: ys(mid.y),
        eye_distance: xs(face.eye_distance()),
        face_width: xs(face_width_px(face)),
        face_centre_x: xs(mid.x),
        roll_degrees: face.roll_degrees() as f64,
        shoulder_tilt_degrees: shoulder_tilt,
        head_height: sil.crown_y.map(|c| ys(chin - c)),
        head_touches_top: sil.head_touches_top,
        head_touches_side: sil.head_touches_side,
        shoulder_left_found: sil.shoulder_left.is_some(),
        shoulder_right_found: sil.shoulder_right.is_some(),
        shoulder_points: [sil.shoulder_left, sil.shoulder_right]
            .map(|p| p.map(|(x, y)| Point { x, y })),
        background: sil.background,
        face_box: face.bbox,
    }
}

//! What the face mesh shows of the face: how open the eyes and the mouth
//! are, and where they are.

use serde::{Deserialize, Serialize};

use image::RgbImage;

use super::eyes::{eyes_open, EyesOpen};
use super::forehead::{forehead, Forehead};
use super::glasses::{glasses, Glasses};
use super::headwear::{headwear, Headwear};
use crate::detect::{Mesh, Rect};
use crate::silhouette::Silhouette;

/// Three pairs of points across an opening (upper, lower), and its two
/// corners, in MediaPipe's numbering.
type Opening = ([(usize, usize); 3], (usize, usize));

/// Upper and lower lid points across each eye, and its corners (outer,
/// inner): the subject's right eye (on the image's left) first.
const EYES: [Opening; 2] = [
    ([(160, 144), (159, 145), (158, 153)], (33, 133)),
    ([(385, 380), (386, 374), (387, 373)], (362, 263)),
];

/// Upper and lower inner-lip points across the mouth, and its corners.
const LIPS: Opening = ([(82, 87), (13, 14), (312, 317)], (78, 308));

/// The eyes and the mouth as the mesh places them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceFeatures {
    /// Lid gap over eye width (mean of three gaps across the eye), the eye
    /// on the image's left first. Open eyes measure about 0.2-0.4, but lids
    /// drawn closed still measure 0.19-0.26 (the mesh's lid points follow
    /// its prior more than the pixels): the eyes-open rule reads `eyes`.
    pub eye_openness: [f64; 2],
    /// Inner-lip gap over mouth width (mean of three gaps): near 0 with the
    /// lips closed, above 0.1 with teeth showing.
    pub mouth_openness: f64,
    /// How open each eye looks in the pixels between the lids.
    pub eyes: EyesOpen,
    /// A box round each eye, image-left first (original pixels).
    pub eye_regions: [Rect; 2],
    /// A box round the mouth (original pixels).
    pub mouth_region: Rect,
    /// The mesh model's confidence that a face fills its crop, 0..1.
    pub mesh_presence: f64,
    /// What the pixels show of spectacle frames.
    pub glasses: Glasses,
    /// What covers the forehead above the brows.
    pub forehead: Forehead,
    /// What covers the top of the head.
    pub headwear: Headwear,
}

/// Gap over width for one eye or the mouth.
fn openness(mesh: &Mesh, gaps: &[(usize, usize); 3], corners: (usize, usize)) -> f64 {
    let width = mesh.dist(corners.0, corners.1).max(1.0) as f64;
    let gap: f64 = gaps
        .iter()
        .map(|&(a, b)| mesh.dist(a, b) as f64)
        .sum::<f64>()
        / 3.0;
    gap / width
}

/// The box round points `ids`, grown by `margin` of its width on each side.
fn around(mesh: &Mesh, ids: &[usize], margin: f32) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &i in ids {
        let p = mesh.at(i);
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    let m = (x1 - x0) * margin;
    Rect {
        x: x0 - m,
        y: y0 - m,
        w: x1 - x0 + 2.0 * m,
        h: y1 - y0 + 2.0 * m,
    }
}

/// Measures the eyes, the mouth, the forehead, any frames and headwear on
/// `img` where `mesh` (and, for the top of the head, `sil`) place them.
pub fn features(img: &RgbImage, mesh: &Mesh, sil: &Silhouette) -> FaceFeatures {
    let eye_box = |e: &Opening| {
        let mut ids: Vec<usize> = e.0.iter().flat_map(|&(a, b)| [a, b]).collect();
        ids.extend([e.1 .0, e.1 .1]);
        around(mesh, &ids, 0.25)
    };
    let mut mouth_ids: Vec<usize> = LIPS.0.iter().flat_map(|&(a, b)| [a, b]).collect();
    // The outer lips too, so the box holds the whole mouth.
    mouth_ids.extend([LIPS.1 .0, LIPS.1 .1, 0, 17, 61, 291]);
    FaceFeatures {
        eye_openness: EYES.map(|e| openness(mesh, &e.0, e.1)),
        mouth_openness: openness(mesh, &LIPS.0, LIPS.1),
        eyes: eyes_open(img, mesh),
        eye_regions: [eye_box(&EYES[0]), eye_box(&EYES[1])],
        mouth_region: around(mesh, &mouth_ids, 0.15),
        mesh_presence: mesh.presence as f64,
        glasses: glasses(img, mesh),
        forehead: forehead(img, mesh),
        headwear: headwear(img, mesh, sil),
    }
}

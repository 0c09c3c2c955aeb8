//! Whether the eyes are open, read in the pixels where the mesh puts them.
//! The mesh's own lid points follow its prior more than the photo (lids
//! drawn closed still measure open on them), but the photo shows an open
//! eye plainly: between the lids sit the iris and pupil, darker than the
//! skin, and the white of the eye, without the skin's colour. A closed lid
//! is skin down to a thin lash line.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::face_frame::{grid_points, lab_at, median, Frame, SKIN_BOXES};
use crate::colour::Lab;
use crate::detect::Mesh;

/// Eye corners (outer, inner), image-left eye first.
const CORNERS: [(usize, usize); 2] = [(33, 133), (362, 263)];

/// Columns read across each eye, and samples down each.
const COLUMNS: usize = 13;
const ROWS: usize = 32;

/// Lightness below this share of the skin's counts as iris, pupil or lash.
const DARK: f32 = 0.65;
/// Chroma below this share of the skin's, while not dark, is the white.
const PALE: f32 = 0.6;

/// How open each eye looks, image-left eye first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EyesOpen {
    /// Height of the eye's dark (iris, pupil) and white over its width:
    /// across the eye, the upper quartile over columns. About 0.15-0.6 on
    /// open eyes, a lash line's few hundredths on a closed one.
    pub iris_height: [f64; 2],
}

/// Reads both eyes on `img` where `mesh` puts them.
pub fn eyes_open(img: &RgbImage, mesh: &Mesh) -> EyesOpen {
    let f = Frame::of(mesh);
    // The skin's lightness and chroma, over the nose and cheeks.
    let lab_at = |a: f32, b: f32| lab_at(img, &f, a, b);
    let (mut ls, mut cs) = (Vec::new(), Vec::new());
    for (a, b) in SKIN_BOXES {
        for (pa, pb) in grid_points(a, b, 6) {
            let lab = lab_at(pa, pb);
            ls.push(lab.l);
            cs.push(lab.chroma());
        }
    }
    let (skin_lab_l, skin_c) = (median(&mut ls), median(&mut cs));
    let mut out = EyesOpen {
        iris_height: [0.0; 2],
    };
    for (k, &(o, i)) in CORNERS.iter().enumerate() {
        let (p, q) = (f.of_point(mesh.at(o)), f.of_point(mesh.at(i)));
        let c = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
        let w = (q.0 - p.0).hypot(q.1 - p.1).max(0.05);
        // Dark or white, column by column down the eye.
        let (top, bottom) = (c.1 - 0.3 * w, c.1 + 0.25 * w);
        let grid: Vec<Lab> = (0..COLUMNS)
            .flat_map(|j| {
                let a = c.0 + w * (-0.3 + 0.6 * j as f32 / (COLUMNS - 1) as f32);
                (0..ROWS).map(move |r| (a, top + (bottom - top) * (r as f32 + 0.5) / ROWS as f32))
            })
            .map(|(a, b)| lab_at(a, b))
            .collect();
        let mut runs: Vec<f32> = grid
            .chunks(ROWS)
            .map(|col| {
                let n = col
                    .iter()
                    .filter(|lab| {
                        let dark = lab.l < DARK * skin_lab_l;
                        // A grey photo has no colour to tell the white by.
                        let white = !dark && skin_c > 8.0 && lab.chroma() < PALE * skin_c;
                        dark || white
                    })
                    .count();
                n as f32 / ROWS as f32 * (bottom - top) / w
            })
            .collect();
        runs.sort_by(f32::total_cmp);
        let height = runs[runs.len() * 3 / 4];
        out.iris_height[k] = height as f64;
    }
    out
}

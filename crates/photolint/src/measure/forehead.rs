//! Hair over the forehead: the forehead from just above the brows, where
//! the mesh puts them, up to 0.6 eye distances above them. Bare forehead
//! there is skin, about as light as the cheeks; a fringe is hair, much
//! darker than the skin. (A fringe lighter than 0.6 of the skin's luma,
//! fair hair on fair skin, is not seen.)

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::face_frame::{brow_line, grid, skin_luma, Frame};
use crate::detect::{Mesh, Rect};

/// What covers the forehead above the brows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forehead {
    /// Share of the forehead (0.07-0.6 eye distances above the brows, 1.2
    /// eye distances wide) darker than 0.6 of the skin's luma (the nose and
    /// cheeks): 0 on a bare forehead, near 1 under a dark fringe cut to
    /// the brows.
    pub hair_share: f64,
    /// The forehead read (photo pixels).
    pub region: Rect,
}

/// Reads the forehead above the brows on `img` where `mesh` puts them.
pub fn forehead(img: &RgbImage, mesh: &Mesh) -> Forehead {
    let f = Frame::of(mesh);
    let brow = brow_line(&f, mesh);
    let skin = skin_luma(img, &f);
    // The lower two thirds of a forehead: a hairline sits about 0.8-0.95
    // eye distances above the brows, so a band 0.6 high stays on the skin
    // of a bare forehead, and a fringe over its upper half still reaches in.
    let (a, b) = ([-0.6, 0.6], [brow - 0.6, brow - 0.07]);
    let mut band = Vec::new();
    grid(img, &f, a, b, 24, &mut band);
    let dark = band.iter().filter(|&&l| l < 0.6 * skin).count();
    Forehead {
        hair_share: dark as f64 / band.len().max(1) as f64,
        region: f.rect(a, b),
    }
}

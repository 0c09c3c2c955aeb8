//! Headwear: the top of the head, from the crown down to just above the
//! hairline, where the mesh and the silhouette put them. Bare, it is hair
//! (or a bald scalp, skin); under a hat or cap it is the hat's colour. The
//! hair's own colour is read at the temples, beside the upper face, which
//! most hats leave showing; what is clearly coloured, of neither the
//! skin's colour nor that hair's, and not dark and dull like hair, is
//! taken for headwear.
//! A black, grey or white hat is not told from hair this way.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::face_frame::{brow_line, grid_points, lab_at, median, Frame, SKIN_BOXES};
use crate::colour::Lab;
use crate::detect::{Mesh, Point, Rect};
use crate::silhouette::Silhouette;

/// Lightness under this share of the skin's, with chroma under DULL, is
/// dark hair.
const DARK: f32 = 0.6;
const DULL: f32 = 20.0;
/// CIEDE2000 distance within which a point at the temples is the skin.
const SKIN_DE: f32 = 15.0;
/// Least chroma of headwear, and its least distance in colour (a*, b*)
/// from the skin's and the hair's.
const MIN_CHROMA: f32 = 15.0;
const APART: f32 = 18.0;

/// What covers the top of the head.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headwear {
    /// Share of the top of the head (person pixels) of a colour that is
    /// neither hair nor skin: 0 on bare heads, most of it under a coloured
    /// hat. `None` when too little of the head's top is in the photo.
    pub share: Option<f64>,
    /// The top of the head read (photo pixels).
    pub region: Rect,
}

/// Reads the top of the head on `img` where `mesh` and `sil` put it.
pub fn headwear(img: &RgbImage, mesh: &Mesh, sil: &Silhouette) -> Headwear {
    let f = Frame::of(mesh);
    let person = |(a, b): &(f32, f32)| {
        let (x, y) = f.at(*a, *b);
        x >= 0.0 && y >= 0.0 && sil.person_at(x as u32, y as u32)
    };
    // Samples of a face-frame box, person pixels only.
    let samples = |a: [f32; 2], b: [f32; 2], n: usize| -> Vec<Lab> {
        grid_points(a, b, n)
            .filter(person)
            .map(|(pa, pb)| lab_at(img, &f, pa, pb))
            .collect()
    };
    let skin: Vec<Lab> = SKIN_BOXES
        .iter()
        .flat_map(|&(a, b)| samples(a, b, 6))
        .collect();
    let skin = median_lab(&skin);
    let brow = brow_line(&f, mesh);
    // The hair at the temples: not skin, inside the person.
    let mut temples = samples([-0.95, -0.75], [brow - 0.25, brow + 0.15], 8);
    temples.extend(samples([0.75, 0.95], [brow - 0.25, brow + 0.15], 8));
    temples.retain(|p| p.delta_e(skin) >= SKIN_DE);
    let hair = (temples.len() >= 20).then(|| median_lab(&temples));
    // From the crown down to 0.5 eye distances above the brows, where a
    // hairline sits at the lowest.
    let crown = sil.crown_y.map(|y| {
        let (x, _) = f.at(0.0, 0.0);
        f.of_point(Point { x, y }).1
    });
    let (a, bottom) = ([-0.6, 0.6], brow - 0.5);
    let top = crown.map_or(bottom, |c| c + 0.05);
    let region = f.rect(a, [top, bottom]);
    // A head cut by the top edge has no crown to read from (and on a busy
    // background the silhouette that says so is not to be trusted).
    if bottom - top < 0.15 || sil.head_touches_top {
        return Headwear {
            share: None,
            region,
        };
    }
    let head = samples(a, [top, bottom], 24);
    if head.len() < 60 {
        return Headwear {
            share: None,
            region,
        };
    }
    // Colour apart from the colour (a*, b*) of both the skin and the hair,
    // whatever the light and shade: a hair's sheen or a shaded forehead
    // keeps its hue.
    let ab = |p: &Lab, q: Lab| (p.a - q.a).hypot(p.b - q.b);
    let other = head
        .iter()
        .filter(|p| {
            // Dark and dull is hair, whatever the temples show.
            let dark_hair = p.l < DARK * skin.l && p.chroma() < DULL;
            !dark_hair
                && p.chroma() > MIN_CHROMA
                && ab(p, skin) > APART
                && !hair.is_some_and(|h| ab(p, h) <= APART)
        })
        .count();
    Headwear {
        share: Some(other as f64 / head.len() as f64),
        region,
    }
}

/// The median of each CIELAB channel (0 when empty).
fn median_lab(v: &[Lab]) -> Lab {
    let mut l: Vec<f32> = v.iter().map(|p| p.l).collect();
    let mut a: Vec<f32> = v.iter().map(|p| p.a).collect();
    let mut b: Vec<f32> = v.iter().map(|p| p.b).collect();
    Lab {
        l: median(&mut l),
        a: median(&mut a),
        b: median(&mut b),
    }
}

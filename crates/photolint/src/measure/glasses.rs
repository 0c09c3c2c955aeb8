//! Spectacle frames, read where the mesh says a frame would cross the skin:
//! the nose bridge between the eyes, and the cheek under each eye where a
//! lens's lower rim runs. Bare skin there shades smoothly; a frame is a thin
//! line darker (or, polished metal, brighter) than the skin on both sides.
//!
//! Everything is sampled in the face's own frame ([`Frame`]), so a tilted
//! head or a larger photo measures the same.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::face_frame::{colour, luma, Frame};
use crate::detect::{Mesh, Rect};

/// Mean colour of each row of a strip: rows one pixel apart from `b[0]` to
/// `b[1]` (eye distances down), each the mean across `a[0]..a[1]`.
fn rows(img: &RgbImage, f: &Frame, a: [f32; 2], b: [f32; 2]) -> Vec<[f32; 3]> {
    let step = 1.0 / f.ed;
    let rows = (((b[1] - b[0]) / step).ceil() as usize).max(1);
    let cols = (((a[1] - a[0]) / step).ceil() as usize).max(1);
    (0..=rows)
        .map(|i| {
            let bb = b[0] + i as f32 * step;
            let mut sum = [0.0f32; 3];
            for j in 0..=cols {
                let (x, y) = f.at(a[0] + j as f32 * step, bb);
                for (s, v) in sum.iter_mut().zip(colour(img, x, y)) {
                    *s += v;
                }
            }
            sum.map(|s| s / (cols + 1) as f32)
        })
        .collect()
}

/// Line contrast of each row of `profile`, at its strongest over the
/// half-widths `2..=widest`. In each colour channel a row is a line where
/// it is darker (or brighter) than both rows `t` above and below it, by
/// the smaller difference; the contrast is the length of those three
/// differences over the brighter flank's luma: 0 on smoothly shaded skin,
/// and a gold frame on skin of its own lightness still shows in its hue.
fn contrasts(profile: &[[f32; 3]], widest: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; profile.len()];
    for t in 2..=widest {
        for i in t..profile.len().saturating_sub(t) {
            let (up, down, here) = (profile[i - t], profile[i + t], profile[i]);
            let mut sq = 0.0;
            for ch in 0..3 {
                let dark = up[ch].min(down[ch]) - here[ch];
                let bright = here[ch] - up[ch].max(down[ch]);
                sq += dark.max(bright).max(0.0).powi(2);
            }
            let c = (sq / 3.0).sqrt() / luma(up).max(luma(down)).max(1.0);
            out[i] = out[i].max(c);
        }
    }
    out
}

/// The strongest thin line running right across a strip of the face
/// (`a` across, `b` down, eye distances). The strip's two halves are read
/// apart and a row counts by the weaker half (within a row either way, for
/// a curved rim): a frame crosses the whole strip, while the skin's pores
/// and blemishes make short marks that the other half does not share.
/// Half-widths up to `flank`: a frame is a few pixels wide, while the skin's
/// own shading (the brow ridge, the bridge of the nose) rises and falls
/// over many.
fn line_contrast(img: &RgbImage, f: &Frame, a: [f32; 2], b: [f32; 2], flank: f32) -> f64 {
    let widest = ((flank * f.ed).round() as usize).max(2);
    let centre = (a[0] + a[1]) / 2.0;
    let left = contrasts(&rows(img, f, [a[0], centre], b), widest);
    let right = contrasts(&rows(img, f, [centre, a[1]], b), widest);
    let near = |c: &[f32], i: usize| {
        c[i.saturating_sub(1)..(i + 2).min(c.len())]
            .iter()
            .fold(0.0f32, |m, v| m.max(*v))
    };
    (0..left.len())
        .map(|i| near(&left, i).min(near(&right, i)))
        .fold(0.0f32, f32::max) as f64
}

/// What the pixels show of spectacle frames.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Glasses {
    /// Line contrast across the nose bridge between the eyes (0 on bare
    /// skin; a frame's bridge is a line darker or brighter than the skin
    /// above and below it).
    pub bridge: f64,
    /// Line contrast across the cheek under each eye, where a lens's lower
    /// rim runs, image-left first.
    pub rims: [f64; 2],
    /// The evidence the rule judges: the bridge line plus the fainter of
    /// the two rims, so a crease under one eye alone is not a frame.
    pub score: f64,
    /// Where the frame would sit: both eyes and the bridge (photo pixels).
    pub region: Rect,
}

/// Reads the frame evidence on `img` where `mesh` places the eyes.
pub fn glasses(img: &RgbImage, mesh: &Mesh) -> Glasses {
    let f = Frame::of(mesh);
    let flank = 0.04;
    let bridge = line_contrast(img, &f, [-0.08, 0.08], [-0.28, 0.12], flank);
    let rim = |side: f32| {
        line_contrast(
            img,
            &f,
            [side * 0.5 - 0.12, side * 0.5 + 0.12],
            [0.18, 0.55],
            flank,
        )
    };
    let rims = [rim(-1.0), rim(1.0)];
    Glasses {
        bridge,
        rims,
        score: bridge + rims[0].min(rims[1]),
        region: f.rect([-0.95, 0.95], [-0.4, 0.5]),
    }
}

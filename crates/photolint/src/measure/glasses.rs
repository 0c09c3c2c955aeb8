//! Spectacle frames, read where the mesh says a frame would cross the skin:
//! the nose bridge between the eyes, and the cheek under each eye where a
//! lens's lower rim runs. Bare skin there shades smoothly; a frame is a thin
//! line darker (or, polished metal, brighter) than the skin on both sides.
//!
//! Everything is sampled in the face's own frame: along the line between
//! the eye centres and across it, in units of that distance, so a tilted
//! head or a larger photo measures the same.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use crate::detect::{Mesh, Point, Rect};

/// Eye corners (outer, inner) in MediaPipe's numbering, image-left first.
const EYE_CORNERS: [(usize, usize); 2] = [(33, 133), (362, 263)];

/// The face's frame: the eye mid-point, the unit step along the eye line
/// and across it (down the face), and the eye distance in pixels.
struct Frame {
    mid: Point,
    along: (f32, f32),
    down: (f32, f32),
    ed: f32,
}

impl Frame {
    fn of(mesh: &Mesh) -> Frame {
        let centre = |(a, b): (usize, usize)| {
            let (p, q) = (mesh.at(a), mesh.at(b));
            Point {
                x: (p.x + q.x) / 2.0,
                y: (p.y + q.y) / 2.0,
            }
        };
        let (l, r) = (centre(EYE_CORNERS[0]), centre(EYE_CORNERS[1]));
        let ed = (r.x - l.x).hypot(r.y - l.y).max(1.0);
        let along = ((r.x - l.x) / ed, (r.y - l.y) / ed);
        Frame {
            mid: Point {
                x: (l.x + r.x) / 2.0,
                y: (l.y + r.y) / 2.0,
            },
            along,
            down: (-along.1, along.0),
            ed,
        }
    }

    /// The photo point `a` eye distances along and `b` down from the mid-point.
    fn at(&self, a: f32, b: f32) -> (f32, f32) {
        (
            self.mid.x + self.ed * (a * self.along.0 + b * self.down.0),
            self.mid.y + self.ed * (a * self.along.1 + b * self.down.1),
        )
    }

    /// The photo box round the face-frame box `a0..a1` x `b0..b1`.
    fn rect(&self, a: [f32; 2], b: [f32; 2]) -> Rect {
        let corners = [
            self.at(a[0], b[0]),
            self.at(a[1], b[0]),
            self.at(a[0], b[1]),
            self.at(a[1], b[1]),
        ];
        let x0 = corners.iter().map(|c| c.0).fold(f32::MAX, f32::min);
        let y0 = corners.iter().map(|c| c.1).fold(f32::MAX, f32::min);
        let x1 = corners.iter().map(|c| c.0).fold(f32::MIN, f32::max);
        let y1 = corners.iter().map(|c| c.1).fold(f32::MIN, f32::max);
        Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        }
    }
}

/// Colour at a photo point, bilinear, clamped to the photo.
fn colour(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (img.width() as f32 - 1.0, img.height() as f32 - 1.0);
    let (x, y) = (x.clamp(0.0, w), y.clamp(0.0, h));
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let mut out = [0.0; 3];
    for (dx, dy, k) in [
        (0.0, 0.0, (1.0 - fx) * (1.0 - fy)),
        (1.0, 0.0, fx * (1.0 - fy)),
        (0.0, 1.0, (1.0 - fx) * fy),
        (1.0, 1.0, fx * fy),
    ] {
        let p = img
            .get_pixel((x0 + dx).min(w) as u32, (y0 + dy).min(h) as u32)
            .0;
        for (o, v) in out.iter_mut().zip(p) {
            *o += k * v as f32;
        }
    }
    out
}

fn luma(c: [f32; 3]) -> f32 {
    0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
}

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

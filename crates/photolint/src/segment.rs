//! The person's silhouette against the background: background colour from the
//! image border, the person mask, the crown and the shoulder line.

use image::{Rgb, RgbImage};
use serde::{Deserialize, Serialize};

use crate::face::Face;

/// Smallest colour distance (RGB, 0..441) that separates person from background.
const MIN_THRESHOLD: f32 = 28.0;
/// The threshold is at least this many times the border's own colour noise.
const NOISE_FACTOR: f32 = 3.0;
/// Border pixels further than this from the background colour are not noise.
const OUTLIER: f32 = 40.0;

/// The background colour model estimated from the image border.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Background {
    /// Median border colour (R, G, B).
    pub rgb: [u8; 3],
    /// 90th percentile of the border pixels' distance to that colour.
    pub noise: f32,
    /// Distance above which a pixel counts as person.
    pub threshold: f32,
}

/// The person mask and the silhouette landmarks found on it.
#[derive(Debug, Clone)]
pub struct Silhouette {
    /// Background model used.
    pub background: Background,
    /// Person mask, row-major, `true` = person.
    pub mask: Vec<bool>,
    /// Mask width.
    pub width: u32,
    /// Mask height.
    pub height: u32,
    /// Top of the head (hair included), pixels from the top; `None` if not found.
    pub crown_y: Option<f32>,
    /// True when the head reaches the top edge (the crown is cut off).
    pub head_touches_top: bool,
    /// True when the head (crown to nose) reaches the left or right edge.
    pub head_touches_side: bool,
    /// Shoulder point on the image-left side, `(x, y)`, if inside the frame.
    pub shoulder_left: Option<(f32, f32)>,
    /// Shoulder point on the image-right side, `(x, y)`, if inside the frame.
    pub shoulder_right: Option<(f32, f32)>,
    /// The background colour expected at each pixel, followed down both edges.
    pub edges: EdgeModel,
}

/// The background colour along the left and right edges of the photo, row
/// by row. It starts from the voted border colour and follows slow changes
/// down each edge (a gradient or uneven light), and stops following where
/// the edge colour jumps (hair or a shoulder reaching the edge). Between the
/// edges the colour is interpolated, so the person is cut against the
/// background as it really is at that height.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeModel {
    left: Vec<[f32; 3]>,
    right: Vec<[f32; 3]>,
    width: u32,
}

/// Largest change of an edge's row median from one row to the next that is
/// still the same background (RGB units): a gradient changes by well under 1
/// per row, hair or clothing entering the edge by tens.
const EDGE_STEP: f32 = 6.0;

impl EdgeModel {
    fn track(img: &RgbImage, start: [u8; 3]) -> EdgeModel {
        let (w, h) = img.dimensions();
        let bx = (w / 12).max(1);
        let follow = |x0: u32| -> Vec<[f32; 3]> {
            let mut cur = start.map(|v| v as f32);
            let mut out = Vec::with_capacity(h as usize);
            let mut buf: Vec<u8> = Vec::with_capacity(bx as usize);
            for y in 0..h {
                let line = &img.as_raw()
                    [3 * (y * w + x0) as usize..3 * (y * w + (x0 + bx).min(w)) as usize];
                // The row's median per channel (the upper one, as `median`).
                let m = [0, 1, 2].map(|c| {
                    buf.clear();
                    buf.extend(line.iter().skip(c).step_by(3).copied());
                    let rank = buf.len() / 2;
                    if buf.is_empty() {
                        0.0
                    } else {
                        *buf.select_nth_unstable(rank).1 as f32
                    }
                });
                let d: f32 = (0..3).map(|i| (m[i] - cur[i]).powi(2)).sum::<f32>().sqrt();
                if d <= EDGE_STEP {
                    cur = m;
                }
                out.push(cur);
            }
            out
        };
        EdgeModel {
            left: follow(0),
            right: follow(w.saturating_sub(bx)),
            width: w,
        }
    }

    /// The background colour at the left and right edges of row `y`, RGB.
    pub fn row(&self, y: usize) -> ([f32; 3], [f32; 3]) {
        let y = y.min(self.left.len().saturating_sub(1));
        match (self.left.get(y), self.right.get(y)) {
            (Some(l), Some(r)) => (*l, *r),
            _ => ([0.0; 3], [0.0; 3]),
        }
    }

    /// The background colour expected at `(x, y)`, RGB.
    pub fn at(&self, x: u32, y: u32) -> [f32; 3] {
        let (l, r) = self.row(y as usize);
        let t = x as f32 / (self.width.max(2) - 1) as f32;
        [0, 1, 2].map(|i| l[i] + t * (r[i] - l[i]))
    }
}

fn dist(a: &Rgb<u8>, b: [u8; 3]) -> f32 {
    distf(a, b.map(|v| v as f32))
}

fn distf(a: &Rgb<u8>, b: [f32; 3]) -> f32 {
    let d: f32 = (0..3).map(|i| (a[i] as f32 - b[i]).powi(2)).sum();
    d.sqrt()
}

/// Estimates the background from five border patches (the two top corners,
/// the middle of the top edge and the upper halves of the two side edges):
/// each patch votes with its median colour, and the colour most patches
/// agree on wins. A head that fills the top band, or reaches one side, is
/// outvoted by the patches that still show background.
pub fn background(img: &RgbImage) -> Background {
    let (w, h) = img.dimensions();
    let bx = (w / 12).max(1);
    let by = (h / 16).max(1);
    // (x0, y0, x1, y1), exclusive ends.
    let patches = [
        (0, 0, bx, by),
        (w.saturating_sub(bx), 0, w, by),
        (w / 2 - bx.min(w / 2), 0, (w / 2 + bx).min(w), by),
        (0, by, bx.min(w), h / 2),
        (w.saturating_sub(bx), by, w, h / 2),
    ];
    let pixels = |(x0, y0, x1, y1): (u32, u32, u32, u32)| -> Vec<Rgb<u8>> {
        let (x1, y1) = (x1.min(w), y1.min(h));
        let mut v = Vec::with_capacity((x1.saturating_sub(x0) * y1.saturating_sub(y0)) as usize);
        if x1 <= x0 {
            return v;
        }
        for y in y0..y1 {
            let line = &img.as_raw()[3 * (y * w + x0) as usize..3 * (y * w + x1) as usize];
            v.extend(line.chunks_exact(3).map(|p| Rgb([p[0], p[1], p[2]])));
        }
        v
    };
    let patch_px: Vec<Vec<Rgb<u8>>> = patches.iter().map(|&p| pixels(p)).collect();
    let medians: Vec<[u8; 3]> = patch_px.iter().map(|px| median(px)).collect();
    let agree = |m: [u8; 3]| medians.iter().filter(|&&o| dist(&Rgb(o), m) < 25.0).count();
    let mut best = 0;
    for i in 1..medians.len() {
        if agree(medians[i]) > agree(medians[best]) {
            best = i;
        }
    }
    let rgb = medians[best];
    // Pixels far from the winning colour (hair reaching into a patch) are
    // not background noise.
    let mut d: Vec<f32> = patch_px
        .iter()
        .zip(&medians)
        .filter(|(_, m)| dist(&Rgb(**m), rgb) < 25.0)
        .flat_map(|(px, _)| px.iter().map(|p| dist(p, rgb)))
        .filter(|&d| d < OUTLIER)
        .collect();
    let at = d.len() * 9 / 10;
    let noise = if at < d.len() {
        *d.select_nth_unstable_by(at, f32::total_cmp).1
    } else {
        0.0
    };
    Background {
        rgb,
        noise,
        threshold: (noise * NOISE_FACTOR).max(MIN_THRESHOLD),
    }
}

fn median(px: &[Rgb<u8>]) -> [u8; 3] {
    // Per channel, the value at rank len / 2 (the upper median), counted in
    // a histogram: linear in the number of pixels, without sorting.
    let rank = px.len() / 2;
    let mut hist = [[0u32; 256]; 3];
    for p in px {
        for c in 0..3 {
            hist[c][p[c] as usize] += 1;
        }
    }
    hist.map(|h| {
        let mut seen = 0;
        for (v, &n) in h.iter().enumerate() {
            seen += n as usize;
            if seen > rank {
                return v as u8;
            }
        }
        0
    })
}

/// Builds the silhouette of the person whose face is `face`.
pub fn silhouette(img: &RgbImage, face: &Face) -> Silhouette {
    let (w, h) = img.dimensions();
    let bg = background(img);
    let edges = EdgeModel::track(img, bg.rgb);
    let t2 = bg.threshold * bg.threshold;
    let mut raw = vec![false; (w * h) as usize];
    for (y, (row, out)) in img
        .as_raw()
        .chunks_exact(3 * w as usize)
        .zip(raw.chunks_exact_mut(w as usize))
        .enumerate()
    {
        let (l, r) = edges.row(y);
        let step = [0, 1, 2].map(|i| (r[i] - l[i]) / (w.max(2) - 1) as f32);
        let mut c = l;
        for (p, o) in row.chunks_exact(3).zip(out.iter_mut()) {
            let d2: f32 = (0..3).map(|i| (p[i] as f32 - c[i]).powi(2)).sum();
            *o = d2 > t2;
            for i in 0..3 {
                c[i] += step[i];
            }
        }
    }
    let mask = connected_from(&raw, w, h, face);
    let at = |x: i64, y: i64| -> bool {
        x >= 0
            && y >= 0
            && (x as u32) < w
            && (y as u32) < h
            && mask[(y as u32 * w + x as u32) as usize]
    };
    let b = face.bbox;
    // Crown: first row with a run of person pixels over the head's columns.
    let hx0 = (b.cx() - 0.6 * b.w).floor().max(0.0) as i64;
    let hx1 = (b.cx() + 0.6 * b.w).ceil().min(w as f32 - 1.0) as i64;
    let need = ((0.02 * b.w).round() as usize).max(2);
    let chin = (b.y + b.h).clamp(0.0, h as f32 - 1.0) as i64;
    let mut crown_y = None;
    for y in 0..=chin.max(0) {
        let n = (hx0..=hx1).filter(|&x| at(x, y)).count();
        if n >= need {
            crown_y = Some(y as f32);
            break;
        }
    }
    let head_touches_top = crown_y == Some(0.0);
    // The head's sides: crown down to the nose (hair falling on the
    // shoulders below that is not the head being cut).
    let top = crown_y.unwrap_or(0.0) as i64;
    let nose = (face.nose.y.round() as i64).clamp(0, h as i64 - 1);
    let head_touches_side = (top..=nose).any(|y| at(0, y) || at(w as i64 - 1, y));
    // Shoulders: where the silhouette starts below the chin, 0.9 face widths
    // either side of the face centre.
    let shoulder = |x: f32| -> Option<(f32, f32)> {
        let xi = x.round() as i64;
        if xi < 0 || xi >= w as i64 {
            return None;
        }
        (chin..h as i64)
            .find(|&y| at(xi, y) && at(xi, (y + 1).min(h as i64 - 1)))
            .map(|y| (x, y as f32))
    };
    Silhouette {
        background: bg,
        width: w,
        height: h,
        crown_y,
        head_touches_top,
        head_touches_side,
        shoulder_left: shoulder(b.cx() - 0.9 * b.w),
        shoulder_right: shoulder(b.cx() + 0.9 * b.w),
        mask,
        edges,
    }
}

/// Keeps the foreground pixels 4-connected to the face; all of them if the
/// face centre itself is not foreground.
fn connected_from(raw: &[bool], w: u32, h: u32, face: &Face) -> Vec<bool> {
    let b = face.bbox;
    let mut seeds = Vec::new();
    for (fx, fy) in [(0.5, 0.5), (0.5, 0.7), (0.3, 0.5), (0.7, 0.5)] {
        let x = (b.x + fx * b.w).round() as i64;
        let y = (b.y + fy * b.h).round() as i64;
        if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
            let i = (y as u32 * w + x as u32) as usize;
            if raw[i] {
                seeds.push(i);
            }
        }
    }
    if seeds.is_empty() {
        return raw.to_vec();
    }
    // Scanline fill: each stack entry is a pixel; its whole horizontal run
    // of foreground is filled at once, and the rows above and below are
    // searched for runs to continue from (one entry per run, not per pixel).
    let (wu, hu) = (w as usize, h as usize);
    let mut out = vec![false; raw.len()];
    let mut stack = seeds;
    while let Some(i) = stack.pop() {
        if out[i] || !raw[i] {
            continue;
        }
        let (y, row) = (i / wu, i / wu * wu);
        let (mut x0, mut x1) = (i - row, i - row);
        while x0 > 0 && raw[row + x0 - 1] && !out[row + x0 - 1] {
            x0 -= 1;
        }
        while x1 + 1 < wu && raw[row + x1 + 1] && !out[row + x1 + 1] {
            x1 += 1;
        }
        out[row + x0..=row + x1].iter_mut().for_each(|v| *v = true);
        for ny in [y.wrapping_sub(1), y + 1] {
            if ny >= hu {
                continue;
            }
            let nrow = ny * wu;
            let mut in_run = false;
            for x in x0..=x1 {
                let open = raw[nrow + x] && !out[nrow + x];
                if open && !in_run {
                    stack.push(nrow + x);
                }
                in_run = open;
            }
        }
    }
    out
}

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
            for y in 0..h {
                let line = &img.as_raw()
                    [3 * (y * w + x0) as usize..3 * (y * w + (x0 + bx).min(w)) as usize];
                if let Some(m) = near_median(line, cur) {
                    let d: f32 = (0..3).map(|i| (m[i] - cur[i]).powi(2)).sum::<f32>().sqrt();
                    if d <= EDGE_STEP {
                        cur = m;
                    }
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

/// The per-channel median (the upper one, at rank `len / 2`) of the RGB
/// pixels in `line`, when every channel's median lies within [`EDGE_STEP`]
/// of `cur`'s (whole numbers: a median or the voted border colour); `None`
/// when one does not, as then the row cannot be followed anyway. Counted in
/// a histogram of the few levels around `cur` (below, each level, above)
/// instead of selecting among the row's values.
fn near_median(line: &[u8], cur: [f32; 3]) -> Option<[f32; 3]> {
    const REACH: i32 = EDGE_STEP as i32;
    const BINS: usize = 2 * REACH as usize + 3;
    let n = line.len() / 3;
    if n == 0 {
        return None;
    }
    let rank = n / 2;
    let mut out = [0f32; 3];
    for c in 0..3 {
        let lo = cur[c] as i32 - REACH;
        let mut hist = [0u32; BINS];
        for p in line.chunks_exact(3) {
            let bin = (p[c] as i32 - lo + 1).clamp(0, BINS as i32 - 1);
            hist[bin as usize] += 1;
        }
        let mut seen = 0usize;
        let mut found = None;
        for (b, &count) in hist.iter().enumerate() {
            seen += count as usize;
            if seen > rank {
                found = Some(b);
                break;
            }
        }
        match found {
            Some(b) if b > 0 && b < BINS - 1 => out[c] = (lo + b as i32 - 1) as f32,
            _ => return None,
        }
    }
    Some(out)
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
    // not background noise. Squared distances of whole levels are whole
    // numbers: counted, the 90th percentile is found without sorting, and
    // its square root is the percentile of the distances themselves.
    const OUTLIER_SQ: usize = (OUTLIER * OUTLIER) as usize;
    let mut counts = vec![0u32; OUTLIER_SQ];
    for (px, m) in patch_px.iter().zip(&medians) {
        if dist(&Rgb(*m), rgb) >= 25.0 {
            continue;
        }
        for p in px {
            let d2: i32 = (0..3).map(|i| (p[i] as i32 - rgb[i] as i32).pow(2)).sum();
            if let Some(c) = counts.get_mut(d2 as usize) {
                *c += 1;
            }
        }
    }
    let total: usize = counts.iter().map(|&c| c as usize).sum();
    let at = total * 9 / 10;
    let mut seen = 0usize;
    let mut noise = 0.0;
    for (d2, &c) in counts.iter().enumerate() {
        seen += c as usize;
        if seen > at {
            noise = (d2 as f32).sqrt();
            break;
        }
    }
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
    let wu = w as usize;
    // The expected colour is stepped along each row (not computed as
    // l + x * step): the closed form rounds differently and moved a few
    // threshold pixels on 2 of 1,000 throughput photos. Stepping is a chain
    // of additions, each waiting for the one before, so four rows are
    // stepped at once as the four lanes of a vector: the same additions,
    // four chains in the time of one.
    let mut blocks = img.as_raw().chunks_exact(4 * 3 * wu.max(1));
    let mut outs = raw.chunks_exact_mut(4 * wu.max(1));
    for (y0, (rows, out)) in (0..).step_by(4).zip(blocks.by_ref().zip(outs.by_ref())) {
        threshold_rows4(rows, out, wu, y0, &edges, t2);
    }
    let done = (h as usize / 4) * 4;
    for (y, (row, out)) in blocks
        .remainder()
        .chunks_exact(3 * wu.max(1))
        .zip(outs.into_remainder().chunks_exact_mut(wu.max(1)))
        .enumerate()
    {
        threshold_row(row, out, edges.row(done + y), t2);
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

/// The background test of one photo row `row` into `out`, the expected
/// backdrop colour stepped from `l` at the left end to `r` at the right end.
fn threshold_row(row: &[u8], out: &mut [bool], (l, r): ([f32; 3], [f32; 3]), t2: f32) {
    let step = [0, 1, 2].map(|i| (r[i] - l[i]) / (out.len().max(2) - 1) as f32);
    let mut c = l;
    for (p, o) in row.chunks_exact(3).zip(out.iter_mut()) {
        let d2: f32 = (0..3).map(|i| (p[i] as f32 - c[i]).powi(2)).sum();
        *o = d2 > t2;
        for i in 0..3 {
            c[i] += step[i];
        }
    }
}

/// The background test of four photo rows (`rows`, `w` pixels each, the
/// first at row `y0`) into `out`: a pixel is foreground when its squared
/// distance to the expected backdrop colour exceeds `t2`. Each lane of the
/// vectors is one row and does exactly the scalar loop's arithmetic.
fn threshold_rows4(rows: &[u8], out: &mut [bool], w: usize, y0: usize, edges: &EdgeModel, t2: f32) {
    use wide::f32x4;
    let ends: [([f32; 3], [f32; 3]); 4] = std::array::from_fn(|r| edges.row(y0 + r));
    let span = (w.max(2) - 1) as f32;
    let lane = |f: &dyn Fn(usize) -> f32| f32x4::from([f(0), f(1), f(2), f(3)]);
    let mut c: [f32x4; 3] = std::array::from_fn(|i| lane(&|r| ends[r].0[i]));
    let step: [f32x4; 3] = std::array::from_fn(|i| lane(&|r| (ends[r].1[i] - ends[r].0[i]) / span));
    let limit = f32x4::splat(t2);
    let (r01, r23) = rows.split_at(6 * w);
    let ((r0, r1), (r2, r3)) = (r01.split_at(3 * w), r23.split_at(3 * w));
    let (o01, o23) = out.split_at_mut(2 * w);
    let ((o0, o1), (o2, o3)) = (o01.split_at_mut(w), o23.split_at_mut(w));
    fn px(r: &[u8]) -> std::slice::Iter<'_, [u8; 3]> {
        r.as_chunks::<3>().0.iter()
    }
    let pixels = px(r0).zip(px(r1)).zip(px(r2).zip(px(r3)));
    let outs = o0
        .iter_mut()
        .zip(o1.iter_mut())
        .zip(o2.iter_mut().zip(o3.iter_mut()));
    for (((p0, p1), (p2, p3)), ((f0, f1), (f2, f3))) in pixels.zip(outs) {
        let d: [f32x4; 3] = std::array::from_fn(|i| {
            f32x4::from([p0[i] as f32, p1[i] as f32, p2[i] as f32, p3[i] as f32]) - c[i]
        });
        let d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        let fg = d2.simd_gt(limit).to_bitmask();
        (*f0, *f1, *f2, *f3) = (fg & 1 != 0, fg & 2 != 0, fg & 4 != 0, fg & 8 != 0);
        for i in 0..3 {
            c[i] += step[i];
        }
    }
}

/// Keeps the foreground pixels 4-connected to the face; all of them if the
/// face centre itself is not foreground.
///
/// Works on runs: each row's foreground is cut into horizontal runs, runs
/// of neighbouring rows that share a column are joined (union-find), and
/// the runs joined to a seed's are written into the mask. The same pixels
/// as a flood fill from the seeds; each pixel is read once (to cut the
/// runs), where the fill read it and its rows above and below.
fn connected_from(raw: &[bool], w: u32, h: u32, face: &Face) -> Vec<bool> {
    let b = face.bbox;
    let mut seeds = Vec::new();
    for (fx, fy) in [(0.5, 0.5), (0.5, 0.7), (0.3, 0.5), (0.7, 0.5)] {
        let x = (b.x + fx * b.w).round() as i64;
        let y = (b.y + fy * b.h).round() as i64;
        if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
            let i = (y as u32 * w + x as u32) as usize;
            if raw[i] {
                seeds.push((x as usize, y as usize));
            }
        }
    }
    if seeds.is_empty() {
        return raw.to_vec();
    }
    let (wu, hu) = (w as usize, h as usize);
    // Runs as (first, last) columns, inclusive; row y's are
    // runs[starts[y]..starts[y + 1]].
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut starts = Vec::with_capacity(hu + 1);
    for row in raw.chunks_exact(wu.max(1)).take(hu) {
        starts.push(runs.len());
        let mut x = 0;
        while x < wu {
            match row[x..].iter().position(|&v| v) {
                None => break,
                Some(skip) => x += skip,
            }
            let len = row[x..].iter().position(|&v| !v).unwrap_or(wu - x);
            runs.push((x, x + len - 1));
            x += len;
        }
    }
    starts.push(runs.len());
    let mut parent: Vec<usize> = (0..runs.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for y in 1..hu {
        let (mut i, ie) = (starts[y - 1], starts[y]);
        let (mut j, je) = (starts[y], starts[y + 1]);
        while i < ie && j < je {
            let (a, c) = (runs[i], runs[j]);
            if a.0 <= c.1 && c.0 <= a.1 {
                let (ra, rc) = (root(&mut parent, i), root(&mut parent, j));
                parent[ra.max(rc)] = ra.min(rc);
            }
            if a.1 <= c.1 {
                i += 1;
            }
            if c.1 <= a.1 {
                j += 1;
            }
        }
    }
    let mut keep: Vec<usize> = Vec::new();
    for (x, y) in seeds {
        if let Some(k) = (starts[y]..starts[y + 1]).find(|&k| runs[k].0 <= x && x <= runs[k].1) {
            keep.push(root(&mut parent, k));
        }
    }
    let mut out = vec![false; raw.len()];
    for (y, span) in starts.windows(2).enumerate() {
        for (k, &(x0, x1)) in runs.iter().enumerate().take(span[1]).skip(span[0]) {
            if keep.contains(&root(&mut parent, k)) {
                out[y * wu + x0..=y * wu + x1].fill(true);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{connected_from, threshold_row, threshold_rows4, EdgeModel};
    use crate::face::{Face, Point, Rect};

    /// The pixels 4-connected to the seeds, by a plain fill from pixel to
    /// neighbouring pixel.
    fn flood(raw: &[bool], w: usize, h: usize, seeds: &[usize]) -> Vec<bool> {
        let mut out = vec![false; raw.len()];
        let mut queue: Vec<usize> = seeds.iter().copied().filter(|&i| raw[i]).collect();
        while let Some(i) = queue.pop() {
            if out[i] {
                continue;
            }
            out[i] = true;
            let (x, y) = (i % w, i / w);
            let mut visit = |j: usize| {
                if raw[j] && !out[j] {
                    queue.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        out
    }

    fn differ(a: &[bool], b: &[bool]) -> usize {
        a.iter().zip(b).filter(|(x, y)| x != y).count()
    }

    #[test]
    fn runs_keep_the_same_pixels_as_a_flood_fill() {
        let (w, h) = (61usize, 47usize);
        let point = |x: f32, y: f32| Point { x, y };
        // A face box whose seeds (centre, lower centre, the two cheeks) fall
        // at (30, 23), (30, 28), (24, 23) and (36, 23).
        let face = Face {
            bbox: Rect {
                x: 15.0,
                y: 10.0,
                w: 30.0,
                h: 26.0,
            },
            score: 1.0,
            eye_left: point(24.0, 18.0),
            eye_right: point(36.0, 18.0),
            nose: point(30.0, 23.0),
            mouth_left: point(25.0, 28.0),
            mouth_right: point(35.0, 28.0),
        };
        let seeds = [23 * w + 30, 28 * w + 30, 23 * w + 24, 23 * w + 36];
        let agree = |raw: &[bool], what: &str| {
            let got = connected_from(raw, w as u32, h as u32, &face);
            let want = flood(raw, w, h, &seeds);
            assert_eq!(differ(&got, &want), 0, "{what}");
            assert!(want.iter().filter(|&&v| v).count() > 1, "{what}");
        };
        // Noise masks of several densities (a fixed linear congruential
        // sequence), with the seeds set so the fill has somewhere to start,
        // plus a comb whose teeth join only along the bottom row.
        let mut state = 12345u32;
        for density in [20u32, 45, 55, 70, 90] {
            let mut raw: Vec<bool> = (0..w * h)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (state >> 16) % 100 < density
                })
                .collect();
            for &s in &seeds {
                raw[s] = true;
            }
            agree(&raw, &format!("density {density}"));
        }
        // A comb: teeth joined only along the bottom row.
        let mut comb = vec![false; w * h];
        for y in 0..h {
            for x in 0..w {
                comb[y * w + x] = y == h - 1 || x % 3 == 0;
            }
        }
        for &s in &seeds {
            comb[s] = true;
        }
        agree(&comb, "comb");
        // No seed on the foreground: the whole foreground is kept.
        let mut bare = comb.clone();
        for &s in &seeds {
            bare[s] = false;
        }
        assert_eq!(
            differ(&connected_from(&bare, w as u32, h as u32, &face), &bare),
            0
        );
    }

    /// Four rows as vector lanes mark exactly the pixels the one-row loop
    /// marks: rows with different backdrop gradients, pixels spread around
    /// the threshold, odd widths (one pixel included).
    #[test]
    fn four_rows_at_once_equal_one_row_at_a_time() {
        for w in [1usize, 2, 37, 480] {
            let rows: Vec<u8> = (0..4 * 3 * w)
                .map(|i| (100 + (i * 7919 % 61) as i32 - 30).clamp(0, 255) as u8)
                .collect();
            let edges = EdgeModel {
                left: (0..4)
                    .map(|r| [95.0 + r as f32, 110.0, 90.5 - r as f32])
                    .collect(),
                right: (0..4)
                    .map(|r| [105.25, 98.0 - 2.0 * r as f32, 101.0])
                    .collect(),
                width: w as u32,
            };
            for t2 in [100.0, 400.0, 900.0] {
                let mut four = vec![false; 4 * w];
                threshold_rows4(&rows, &mut four, w, 0, &edges, t2);
                let mut one = vec![false; 4 * w];
                for (r, out) in one.chunks_exact_mut(w).enumerate() {
                    threshold_row(&rows[r * 3 * w..(r + 1) * 3 * w], out, edges.row(r), t2);
                }
                assert_eq!(four, one, "width {w}, t2 {t2}");
                assert!(
                    four.iter().any(|&v| v) || w < 3,
                    "width {w}, t2 {t2}: no foreground"
                );
            }
        }
    }
}

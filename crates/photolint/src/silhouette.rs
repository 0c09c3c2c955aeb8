//! The person's silhouette against the background: background colour from the
//! image border, the person mask, the crown and the shoulder line.

use image::{Rgb, RgbImage};
use serde::{Deserialize, Serialize};

use crate::kernels::lanes::{self, Kernel, Lanes};

use crate::detect::Face;
use crate::kernels::blocks::Blocks;

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
    /// Person mask in 2x2 blocks of the photo ([`crate::kernels::blocks`]),
    /// row-major, `true` = person; [`Silhouette::person_at`] reads it by
    /// photo pixel.
    pub mask: Vec<bool>,
    /// Mask width in blocks.
    pub mask_w: u32,
    /// Mask height in blocks.
    pub mask_h: u32,
    /// Photo width, pixels.
    pub width: u32,
    /// Photo height, pixels.
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
        lanes::run(Track { img, start })
    }
}

/// [`EdgeModel::track`] as a [`Kernel`] (the counts of [`near_median`]'s
/// usual row vectorise).
struct Track<'a> {
    img: &'a RgbImage,
    start: [u8; 3],
}

impl Kernel for Track<'_> {
    type Output = EdgeModel;

    #[inline(always)]
    fn run<L: Lanes>(self) -> EdgeModel {
        let Track { img, start } = self;
        let (w, h) = img.dimensions();
        let bx = (w / 12).max(1);
        // Both edges in one loop, row by row (a closure called twice would
        // be compiled apart from this function, without its instructions).
        let starts = [0, w.saturating_sub(bx)];
        let mut cur = [start.map(|v| v as f32); 2];
        let mut out = [
            Vec::with_capacity(h as usize),
            Vec::with_capacity(h as usize),
        ];
        for y in 0..h {
            for side in 0..2 {
                let x0 = starts[side];
                let line = &img.as_raw()
                    [3 * (y * w + x0) as usize..3 * (y * w + (x0 + bx).min(w)) as usize];
                let c = &mut cur[side];
                if let Some(m) = near_median(line, *c) {
                    let d: f32 = (0..3).map(|i| (m[i] - c[i]).powi(2)).sum::<f32>().sqrt();
                    if d <= EDGE_STEP {
                        *c = m;
                    }
                }
                out[side].push(*c);
            }
        }
        let [left, right] = out;
        EdgeModel {
            left,
            right,
            width: w,
        }
    }
}

impl EdgeModel {
    /// The background colour at the left and right edges of row `y`, RGB.
    pub fn row(&self, y: usize) -> ([f32; 3], [f32; 3]) {
        let y = y.min(self.left.len().saturating_sub(1));
        match (self.left.get(y), self.right.get(y)) {
            (Some(l), Some(r)) => (*l, *r),
            _ => ([0.0; 3], [0.0; 3]),
        }
    }

    /// True when photo pixel `(x, y)` of `img` lies further than
    /// `threshold` (RGB distance) from the background colour expected
    /// there; false outside the photo.
    pub fn stands_out(&self, img: &RgbImage, x: u32, y: u32, threshold: f32) -> bool {
        img.get_pixel_checked(x, y)
            .is_some_and(|p| distf(p, self.at(x, y)) > threshold)
    }

    /// The background colour expected at `(x, y)`, RGB.
    pub fn at(&self, x: u32, y: u32) -> [f32; 3] {
        let (l, r) = self.row(y as usize);
        EdgeModel::between(l, r, self.width, x)
    }

    /// The photo's width.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// The colour at column `x` of a row whose left and right edge colours
    /// are `l` and `r`, on a photo `width` wide (what [`EdgeModel::at`] gives).
    #[inline(always)]
    pub fn between(l: [f32; 3], r: [f32; 3], width: u32, x: u32) -> [f32; 3] {
        let t = x as f32 / (width.max(2) - 1) as f32;
        [0, 1, 2].map(|i| l[i] + t * (r[i] - l[i]))
    }
}

/// The per-channel median (the upper one, at rank `len / 2`) of the RGB
/// pixels in `line`, when every channel's median lies within [`EDGE_STEP`]
/// of `cur`'s (whole numbers: a median or the voted border colour); `None`
/// when one does not, as then the row cannot be followed anyway. Counted in
/// a histogram of the few levels around `cur` (below, each level, above)
/// instead of selecting among the row's values.
#[inline(always)]
fn near_median(line: &[u8], cur: [f32; 3]) -> Option<[f32; 3]> {
    const REACH: i32 = EDGE_STEP as i32;
    const BINS: usize = 2 * REACH as usize + 3;
    let n = line.len() / 3;
    if n == 0 {
        return None;
    }
    let rank = n / 2;
    // The usual row: each channel's median within one level of `cur`
    // (whole numbers, as the medians are). How many values lie at or below
    // cur - 2 .. cur + 1, counted for all three channels in one pass: the
    // median is the first level whose count passes `rank`. Only a channel
    // this does not settle is counted into its histogram below.
    let (px, _) = line.as_chunks::<3>();
    let t: [i32; 3] = cur.map(|v| v as i32);
    let mut at_most = [[0u32; 4]; 3];
    for p in px {
        for c in 0..3 {
            let v = p[c] as i32 - t[c];
            for (d, count) in at_most[c].iter_mut().enumerate() {
                *count += (v <= d as i32 - 2) as u32;
            }
        }
    }
    let mut out = [0f32; 3];
    for c in 0..3 {
        let counts = at_most[c];
        if let Some(d) =
            (1..4).find(|&d| counts[d - 1] as usize <= rank && rank < counts[d] as usize)
        {
            // The median is t + d - 2, one of t - 1, t, t + 1: within reach.
            out[c] = (t[c] + d as i32 - 2) as f32;
            continue;
        }
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

impl Silhouette {
    /// True when photo pixel `(x, y)` lies in the person mask (an odd last
    /// column or row reads the blocks beside it); false outside the photo.
    pub fn person_at(&self, x: u32, y: u32) -> bool {
        let blocks = (self.mask_w, self.mask_h);
        in_block_mask(
            &self.mask,
            blocks,
            (self.width, self.height),
            x as i64,
            y as i64,
        )
    }

    /// True when photo pixel `(x, y)` of `img` (the photo this silhouette
    /// was built on) is person by itself: in a person block and, alone,
    /// further from the backdrop than the threshold. Finer than
    /// [`Silhouette::person_at`] where one pixel matters: a near-white eye or
    /// highlight against a white backdrop, hair at the photo's edge.
    pub fn person_pixel(&self, img: &RgbImage, x: u32, y: u32) -> bool {
        self.person_at(x, y) && self.edges.stands_out(img, x, y, self.background.threshold)
    }
}

/// True when pixel `(x, y)` of a `w` x `h` photo lies in a person block of
/// `mask` (`bw` x `bh` blocks of 2x2 pixels; an odd last column or row
/// reads the blocks beside it); false outside the photo.
fn in_block_mask(mask: &[bool], (bw, bh): (u32, u32), (w, h): (u32, u32), x: i64, y: i64) -> bool {
    if x < 0 || y < 0 || x >= w as i64 || y >= h as i64 || bw == 0 || bh == 0 {
        return false;
    }
    let (bx, by) = ((x as u32 / 2).min(bw - 1), (y as u32 / 2).min(bh - 1));
    mask.get((by * bw + bx) as usize).copied().unwrap_or(false)
}

/// Builds the silhouette of the person whose face is `face`, on the photo
/// `img` whose 2x2 block sums are `blocks`.
///
/// The backdrop test runs on blocks (a quarter of the pixels, and half the
/// noise of one pixel); the crown, which the framing bands read to the
/// pixel, is then settled on the photo's own rows.
pub fn silhouette(img: &RgbImage, blocks: &Blocks, face: &Face) -> Silhouette {
    let (w, h) = img.dimensions();
    let bg = background(img);
    let edges = EdgeModel::track(img, bg.rgb);
    let t2 = bg.threshold * bg.threshold;
    let (bw, bh) = (blocks.w, blocks.h);
    let mut raw = vec![false; (bw * bh) as usize];
    for (by, out) in (0..bh).zip(raw.chunks_exact_mut(bw.max(1) as usize)) {
        threshold_blocks(blocks.row(by), out, &edges, by, t2);
    }
    let mask = connected_from(&raw, bw, bh, 2, face);
    let at_block = |x: i64, y: i64| -> bool {
        x >= 0
            && y >= 0
            && (x as u32) < bw
            && (y as u32) < bh
            && mask[(y as u32 * bw + x as u32) as usize]
    };
    // A photo pixel's block, as `Silhouette::person_at` reads it.
    let at = |x: i64, y: i64| in_block_mask(&mask, (bw, bh), (w, h), x, y);
    let b = face.bbox;
    // Crown: first row with a run of person pixels over the head's columns,
    // found on the blocks, then on the photo's rows from a block above it.
    let hx0 = (b.cx() - 0.6 * b.w).floor().max(0.0) as i64;
    let hx1 = (b.cx() + 0.6 * b.w).ceil().min(w as f32 - 1.0) as i64;
    let need = ((0.02 * b.w).round() as usize).max(2);
    let chin = (b.y + b.h).clamp(0.0, h as f32 - 1.0) as i64;
    let mut crown_y = None;
    for by in 0..=(chin / 2).max(0) {
        let n = (hx0 / 2..=hx1 / 2).filter(|&x| at_block(x, by)).count();
        if 2 * n >= need {
            crown_y = Some(
                crown_row(img, &edges, bg.threshold, by, (hx0, hx1), need, &|x| {
                    at_block(x / 2, by)
                }) as f32,
            );
            break;
        }
    }
    let head_touches_top = crown_y == Some(0.0);
    // The head's sides: crown down to the nose (hair falling on the
    // shoulders below that is not the head being cut).
    let top = crown_y.unwrap_or(0.0) as i64;
    let nose = (face.nose.y.round() as i64).clamp(0, h as i64 - 1);
    // A pixel at the side, as `Silhouette::person_pixel` judges it.
    let edge_person =
        |x: u32, y: i64| at(x as i64, y) && edges.stands_out(img, x, y as u32, bg.threshold);
    let head_touches_side =
        (top..=nose).any(|y| edge_person(0, y) || edge_person(w.saturating_sub(1), y));
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
        mask_w: bw,
        mask_h: bh,
        edges,
    }
}

/// The expected backdrop colour across a photo row whose ends are `l` and
/// `r`: where it is at `x`, and its change per pixel.
fn across((l, r): ([f32; 3], [f32; 3]), width: u32) -> ([f32; 3], [f32; 3]) {
    let span = (width.max(2) - 1) as f32;
    (l, [0, 1, 2].map(|i| (r[i] - l[i]) / span))
}

/// The backdrop test of block row `by` (`row`, its blocks' sums) into
/// `out`: a block is foreground when its mean colour's squared distance to
/// the backdrop colour expected at its centre exceeds `t2`.
fn threshold_blocks(row: &[[u16; 3]], out: &mut [bool], edges: &EdgeModel, by: u32, t2: f32) {
    let (l0, s0) = across(edges.row(2 * by as usize), edges.width);
    let (l1, s1) = across(edges.row(2 * by as usize + 1), edges.width);
    // The mean of the block's four expected colours: both rows' at its centre.
    let (l, step) = (
        [0, 1, 2].map(|i| (l0[i] + l1[i]) / 2.0),
        [0, 1, 2].map(|i| (s0[i] + s1[i]) / 2.0),
    );
    lanes::run(BlockTest {
        row,
        out,
        l,
        step,
        t2,
    });
}

/// The loop of [`threshold_blocks`] as a [`Kernel`] (plain loops: the
/// compiler vectorises them for the instructions at hand).
struct BlockTest<'a> {
    row: &'a [[u16; 3]],
    out: &'a mut [bool],
    l: [f32; 3],
    step: [f32; 3],
    t2: f32,
}

impl Kernel for BlockTest<'_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        let BlockTest {
            row,
            out,
            l,
            step,
            t2,
        } = self;
        for (bx, (b, o)) in row.iter().zip(out.iter_mut()).enumerate() {
            let x = 2.0 * bx as f32 + 0.5;
            let d2: f32 = (0..3)
                .map(|i| (b[i] as f32 * 0.25 - (l[i] + x * step[i])).powi(2))
                .sum();
            *o = d2 > t2;
        }
    }
}

/// The crown's photo row, once the blocks put it in block row `by`: the
/// first row, from the block row above, with at least `need` foreground
/// pixels (the same backdrop test, pixel by pixel) among the head's columns
/// `x0..=x1` that lie over person blocks of row `by` (`person`); the block
/// row's first pixel row if none has.
fn crown_row(
    img: &RgbImage,
    edges: &EdgeModel,
    threshold: f32,
    by: i64,
    (x0, x1): (i64, i64),
    need: usize,
    person: &dyn Fn(i64) -> bool,
) -> i64 {
    let (w, h) = (img.width() as i64, img.height() as i64);
    for y in (2 * by - 2).max(0)..(2 * by + 2).min(h) {
        let n = (x0.max(0)..=x1.min(w - 1))
            .filter(|&x| person(x) && edges.stands_out(img, x as u32, y as u32, threshold))
            .count();
        if n >= need {
            return y;
        }
    }
    2 * by
}

/// Keeps the foreground cells 4-connected to the face (a mask of `w` x `h`
/// cells of `cell` x `cell` photo pixels); all of them if the face centre
/// itself is not foreground.
///
/// Works on runs: each row's foreground is cut into horizontal runs, runs
/// of neighbouring rows that share a column are joined (union-find), and
/// the runs joined to a seed's are written into the mask. The same pixels
/// as a flood fill from the seeds; each pixel is read once (to cut the
/// runs), where the fill read it and its rows above and below.
fn connected_from(raw: &[bool], w: u32, h: u32, cell: u32, face: &Face) -> Vec<bool> {
    let b = face.bbox;
    let mut seeds = Vec::new();
    for (fx, fy) in [(0.5, 0.5), (0.5, 0.7), (0.3, 0.5), (0.7, 0.5)] {
        let x = ((b.x + fx * b.w).round() as i64).div_euclid(cell.max(1) as i64);
        let y = ((b.y + fy * b.h).round() as i64).div_euclid(cell.max(1) as i64);
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
    use super::{connected_from, threshold_blocks, EdgeModel};
    use crate::detect::{Face, Point, Rect};

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
            let got = connected_from(raw, w as u32, h as u32, 1, &face);
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
            differ(&connected_from(&bare, w as u32, h as u32, 1, &face), &bare),
            0
        );
    }

    /// A block is foreground when its mean stands further than the
    /// threshold from the backdrop expected at its centre, the mean of its
    /// two rows' colours there: on a steep gradient (12.75 levels a pixel
    /// across, rows 20 levels apart), a centre off by a pixel or a row's
    /// colour taken for both would misjudge the blocks placed near it.
    #[test]
    fn blocks_are_judged_against_the_backdrop_at_their_centre() {
        let width = 21u32;
        let edges = EdgeModel {
            left: vec![[0.0, 100.0, 200.0], [20.0, 100.0, 180.0]],
            right: vec![[255.0, 100.0, 200.0], [275.0, 100.0, 180.0]],
            width,
        };
        let t2 = 10.0 * 10.0;
        let offsets = [0.0f32, 6.0, -6.0, 16.0, -16.0, 0.0, 30.0, 4.0, -25.0, 0.0];
        let row: Vec<[u16; 3]> = offsets
            .iter()
            .enumerate()
            .map(|(bx, &off)| {
                let x = 2.0 * bx as f32 + 0.5;
                let red = 10.0 + x * 12.75 + off;
                [(4.0 * red).round() as u16, 400, 760]
            })
            .collect();
        let mut out = vec![false; row.len()];
        threshold_blocks(&row, &mut out, &edges, 0, t2);
        let want: Vec<bool> = offsets.iter().map(|o| o.abs() > 10.0).collect();
        assert_eq!(out, want);
    }
}

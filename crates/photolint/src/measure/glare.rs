//! Glare: specular highlights on the face, the eyes and the clothing.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use crate::detect::{Face, Rect};
use crate::kernels::blocks::Blocks;
use crate::kernels::lanes::{self, Kernel, Lanes, LANES};
use crate::silhouette::Silhouette;

/// Around a highlight, pixels this many luma levels below its mean count
/// as darker surroundings...
const RING_DROP: f32 = 20.0;

/// ...and at least this share of the ring around it must be darker.
const MIN_ENCLOSED: f32 = 0.6;

/// Where a highlight sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GlarePlace {
    /// Face skin: forehead, nose, cheeks, chin.
    Face,
    /// Around and between the eyes: eyes, glasses lenses.
    Eyes,
    /// The clothing (reflective fabric).
    Clothing,
}

/// One specular highlight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Glare {
    /// Where it is.
    pub place: GlarePlace,
    /// The part of the face, for glare on the face: `forehead`, `nose`,
    /// `cheek` or `chin`; the eye side (`left eye`, `right eye`, `between the
    /// eyes`) for the eyes; `clothing`.
    pub part: String,
    /// Area, reference px².
    pub area: f64,
    /// Area of its specular core (near-white, colourless pixels outside the
    /// mouth), reference px².
    pub core: f64,
    /// Brightest luma in it, 0-255.
    pub peak: u8,
    /// How far it stands out from its surroundings (mean white top-hat, luma levels).
    pub contrast: f32,
    /// Bounding box, original pixels.
    pub region: Rect,
}

/// Least luma of a small spot's cells.
const SPOT_MIN_LUMA: f32 = 200.0;

/// Largest channel spread of a small spot's cells.
const SPOT_MAX_CHROMA: u8 = 60;

/// Least luma of a broad hot-spot's core (clipped or nearly so).
const WIDE_MIN_LUMA: f32 = 242.0;

/// Largest channel spread of a broad hot-spot's core (colourless).
const WIDE_MAX_CHROMA: u8 = 40;

/// Least luma of a pixel of a highlight's specular core: light reflected
/// off the surface, near the sensor's clip. Diffuse white material in a
/// correctly exposed photo (a white shirt, the whites of the eyes, pale
/// retouched skin on the nose) stays under it.
const CORE_MIN_LUMA: f32 = 235.0;

/// Largest channel spread of a core pixel: a reflection takes the light's
/// colour (white), while bright skin keeps its hue (spread 14-30).
const CORE_MAX_CHROMA: u8 = 12;

/// A spot is a highlight only with at least this much specular core,
/// reference px²: a one-pixel catchlight inside bright skin is not one.
const CORE_MIN_AREA: f64 = 8.0;

/// A shine on fabric that does not clip still counts when it rises this far
/// (mean white top-hat, luma levels) above the fabric around it: a satin
/// sheen on a dark suit. A white shirt between dark lapels rises 40-65.
const SHINE_MIN_RISE: f32 = 150.0;

/// ...and its brightest cell is at least this bright.
const SHINE_MIN_PEAK: f32 = 225.0;

/// Specular highlights: near-white, near-colourless pixels that a grey
/// opening (erosion then dilation over about a tenth of the face width)
/// removes, i.e. small bright spots standing out from what surrounds them;
/// and the clipped, colourless core of a broad flash hot-spot, which only an
/// opening over a quarter of the face width removes. A soft sheen (bright
/// but not clipped) survives both and is not glare. A spot counts only with
/// a specular core (near-white, colourless pixels: the light's own colour)
/// outside the mouth, or as a shine rising far above dark fabric: white
/// material (a shirt, teeth, the whites of the eyes, pale skin) stands out
/// of the opening too, but reflects no core.
pub(super) fn glare(
    img: &RgbImage,
    blocks: &Blocks,
    face: &Face,
    sil: &Silhouette,
    ref_scale: f32,
) -> Vec<Glare> {
    let (w, h) = img.dimensions();
    let b = face.bbox;
    // Work at half resolution when the face is large: glare spots are
    // several px across at any size the rules care about.
    let k = if b.w > 120.0 { 2 } else { 1 };
    // Region of interest: the face box widened, down to the bottom
    // (clothing); at half resolution from an even corner, so that its cells
    // are the photo's own 2x2 blocks.
    let rx0 = (b.x - 0.6 * b.w).max(0.0) as u32 / k * k;
    let rx1 = ((b.x + 1.6 * b.w).max(0.0) as u32).min(w);
    let ry0 = (b.y - 0.3 * b.h).max(0.0) as u32 / k * k;
    let ry1 = h;
    if rx1 <= rx0 + 2 || ry1 <= ry0 + 2 {
        return Vec::new();
    }
    let (gw, gh) = ((rx1 - rx0) / k, (ry1 - ry0) / k);
    if gw < 3 || gh < 3 {
        return Vec::new();
    }
    let raw = img.as_raw();
    let (ku, gwu, stride) = (k as usize, gw as usize, 3 * w as usize);
    let mut y_img = Vec::with_capacity(gwu * gh as usize);
    if k == 2 {
        // A cell's mean luma is the luma of its mean colour: the photo's
        // 2x2 blocks under the region.
        let (bx, by, bw) = ((rx0 / 2) as usize, (ry0 / 2) as usize, blocks.w as usize);
        for row in blocks
            .sums
            .chunks_exact(bw.max(1))
            .skip(by)
            .take(gh as usize)
        {
            match row.get(bx..bx + gwu) {
                Some(cells) => lanes::run(BlockLumas {
                    sums: cells,
                    out: &mut y_img,
                }),
                // Blocks of another photo: the rows stay in place.
                None => y_img.resize(y_img.len() + gwu, 0.0),
            }
        }
        y_img.resize(gwu * gh as usize, 0.0);
    } else {
        for y in ry0 as usize..ry1 as usize {
            let start = y * stride + 3 * rx0 as usize;
            crate::colour::extend_lumas(&mut y_img, &raw[start..start + 3 * gwu]);
        }
    }
    // The largest channel spread in each cell says how colourless it is;
    // only a bright cell's is ever asked (each spot test wants a least mean
    // luma first), so only those are measured. Two scales: spots up to
    // about a fifth of the face wide (`small`: bright and colourless
    // enough) stand out of an opening over a tenth of the face width; a
    // broad flash hot-spot (up to half the face) only out of a wider one,
    // and there only its clipped, colourless core counts (`broad`), so a
    // soft sheen on bright skin does not.
    let least = SPOT_MIN_LUMA.min(WIDE_MIN_LUMA);
    let (mut small, mut broad) = (vec![false; y_img.len()], vec![false; y_img.len()]);
    for (gy, row) in y_img.chunks_exact(gwu).enumerate() {
        // Most of the region is darker than a spot: whole groups of cells
        // are passed over with one test (no early exit, so it vectorises).
        let groups = row.chunks(LANES).enumerate();
        let bright_groups = groups.filter(|(_, g)| g.iter().fold(false, |a, &v| a | (v >= least)));
        let cells = bright_groups.flat_map(|(j, g)| (j * LANES..).zip(g));
        for (gx, &yv) in cells {
            if yv < least {
                continue;
            }
            let i = gy * gwu + gx;
            let mut chroma = 0u8;
            for dy in 0..ku {
                let start = (ry0 as usize + gy * ku + dy) * stride + 3 * (rx0 as usize + gx * ku);
                for p in raw[start..start + 3 * ku].chunks_exact(3) {
                    chroma = chroma.max(p[0].max(p[1]).max(p[2]) - p[0].min(p[1]).min(p[2]));
                }
            }
            small[i] = yv >= SPOT_MIN_LUMA && chroma <= SPOT_MAX_CHROMA;
            broad[i] = yv >= WIDE_MIN_LUMA && chroma <= WIDE_MAX_CHROMA;
        }
    }
    let radius = |frac: f32| ((frac * b.w / k as f32).round() as usize).max(2);
    let r_small = radius(0.1);
    let (gwu, ghu) = (gw as usize, gh as usize);
    // The opening is only read where a pixel is bright and colourless
    // enough to be a spot (`bright`). It is computed on the box around those
    // pixels widened by twice the radius, which holds everything the
    // opening there depends on, so the values are the same as over the
    // whole region; elsewhere the photo itself stands in (no top-hat).
    let open = |frac: f32, bright: &[bool]| -> Option<Opened> {
        let r = radius(frac);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        for (y, row) in bright.chunks_exact(gwu).enumerate() {
            // A row without a bright cell is read once, not from both ends.
            if let Some(a) = row.iter().position(|&v| v) {
                let b = row.iter().rposition(|&v| v).unwrap_or(a);
                (x0, y0, x1, y1) = (x0.min(a), y0.min(y), x1.max(b), y1.max(y));
            }
        }
        if x0 > x1 {
            return None;
        }
        let (x0, y0) = (x0.saturating_sub(2 * r), y0.saturating_sub(2 * r));
        let (x1, y1) = ((x1 + 2 * r).min(gwu - 1), (y1 + 2 * r).min(ghu - 1));
        let (sw, sh) = (x1 - x0 + 1, y1 - y0 + 1);
        let mut sub = Vec::with_capacity(sw * sh);
        for y in y0..=y1 {
            sub.extend_from_slice(&y_img[y * gwu + x0..=y * gwu + x1]);
        }
        let values = opening(&sub, sw, sh, r);
        Some(Opened {
            x0,
            y0,
            w: sw,
            h: sh,
            values,
        })
    };
    let opened = open(0.1, &small);
    let opened_wide = open(0.25, &broad);
    // The opening at cell i: its box's value, the photo elsewhere.
    let opened_at = |o: &Option<Opened>, i: usize| {
        o.as_ref()
            .and_then(|o| o.at(i % gwu, i / gwu))
            .unwrap_or(y_img[i])
    };
    let small_spot = |i: usize| small[i] && y_img[i] - opened_at(&opened, i) >= 30.0;
    // Candidates: small or broad spots. Outside an opening's box no cell
    // stands out of it (the opening is the photo there), so only the boxes
    // are walked.
    let mut cand = vec![false; y_img.len()];
    for (o, bright, rise) in [(&opened, &small, 30.0), (&opened_wide, &broad, 40.0)] {
        let Some(o) = o else { continue };
        for (dy, row) in o.values.chunks_exact(o.w).enumerate() {
            let at = (o.y0 + dy) * gwu + o.x0;
            let cells = cand[at..at + o.w].iter_mut().zip(&bright[at..at + o.w]);
            for ((c, &is), (&yv, &ov)) in cells.zip(y_img[at..at + o.w].iter().zip(row)) {
                *c |= is && yv - ov >= rise;
            }
        }
    }
    // Every candidate lies in one of the boxes: the search for spots walks
    // the rows and columns they span, in index order.
    let span = [&opened, &opened_wide].into_iter().flatten().fold(
        None,
        |acc: Option<(usize, usize, usize, usize)>, o| {
            let (x1, y1) = (o.x0 + o.w - 1, o.y0 + o.h - 1);
            Some(match acc {
                None => (o.x0, o.y0, x1, y1),
                Some((a, b, c, d)) => (a.min(o.x0), b.min(o.y0), c.max(x1), d.max(y1)),
            })
        },
    );
    let ed = face.eye_distance().max(1.0);
    let chin = b.y + b.h;
    let px_area = (k as f64 * ref_scale as f64).powi(2);
    let person_at = |x: u32, y: u32| sil.person_pixel(img, x, y);
    // Teeth between parted lips are white and may clip: the mouth, an
    // ellipse over the mouth corners, holds no specular core.
    let (ml, mr) = (face.mouth_left, face.mouth_right);
    let mouth_w = (mr.x - ml.x).hypot(mr.y - ml.y).max(0.2 * ed);
    let mouth_c = ((ml.x + mr.x) / 2.0, (ml.y + mr.y) / 2.0);
    let in_mouth = |px: usize, py: usize| {
        let dx = (px as f32 + 0.5 - mouth_c.0) / (0.65 * mouth_w);
        let dy = (py as f32 + 0.5 - mouth_c.1) / (0.4 * mouth_w);
        dx * dx + dy * dy <= 1.0
    };
    // The specular core of cell (x, y): its pixels near white and
    // colourless, outside the mouth.
    let core_pixels = |x: u32, y: u32| {
        let mut n = 0u32;
        for py in (ry0 + y * k) as usize..(ry0 + y * k + k) as usize {
            let start = py * stride + 3 * (rx0 + x * k) as usize;
            for (dx, p) in raw[start..start + 3 * ku].chunks_exact(3).enumerate() {
                let spread = p[0].max(p[1]).max(p[2]) - p[0].min(p[1]).min(p[2]);
                let core = spread <= CORE_MAX_CHROMA
                    && crate::colour::luma_rgb([p[0], p[1], p[2]].map(f32::from)) >= CORE_MIN_LUMA
                    && !in_mouth((rx0 + x * k) as usize + dx, py);
                n += core as u32;
            }
        }
        n
    };
    let mut seen = vec![false; cand.len()];
    let mut out = Vec::new();
    let starts = span.into_iter().flat_map(|(x0, y0, x1, y1)| {
        (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| y * gwu + x))
    });
    for start in starts {
        if !cand[start] || seen[start] {
            continue;
        }
        let mut stack = vec![start];
        seen[start] = true;
        let (mut cnt, mut peak, mut hat, mut ysum) = (0u32, 0f32, 0f32, 0f32);
        let (mut broad, mut cores) = (0u32, 0u32);
        let (mut mx0, mut my0, mut mx1, mut my1) = (u32::MAX, u32::MAX, 0u32, 0u32);
        while let Some(i) = stack.pop() {
            let (x, y) = (i as u32 % gw, i as u32 / gw);
            cnt += 1;
            cores += core_pixels(x, y);
            ysum += y_img[i];
            peak = peak.max(y_img[i]);
            if small_spot(i) {
                hat += y_img[i] - opened_at(&opened, i);
            } else {
                hat += y_img[i] - opened_at(&opened_wide, i);
                broad += 1;
            }
            mx0 = mx0.min(x);
            my0 = my0.min(y);
            mx1 = mx1.max(x);
            my1 = my1.max(y);
            for (dx, dy) in [
                (-1i32, 0i32),
                (1, 0),
                (0, -1),
                (0, 1),
                (-1, -1),
                (1, 1),
                (-1, 1),
                (1, -1),
            ] {
                let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                if nx < 0 || ny < 0 || nx >= gw as i32 || ny >= gh as i32 {
                    continue;
                }
                let j = (ny as u32 * gw + nx as u32) as usize;
                if cand[j] && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        // A highlight is a spot darker surroundings enclose on every side;
        // a bright strip of white fabric beside the neck or hair is not.
        let blob_mean = ysum / cnt.max(1) as f32;
        // A broad hot-spot's core fades out slowly: look for the darker
        // surroundings a whole core's width away instead of half of it.
        let extent = (mx1 - mx0).max(my1 - my0);
        let broad_blob = broad > 0 || extent * 4 >= 3 * r_small as u32;
        let margin = if broad_blob { extent } else { extent / 2 }.max(3);
        let (bx0, by0) = (mx0.saturating_sub(margin), my0.saturating_sub(margin));
        let (bx1, by1) = ((mx1 + margin).min(gw - 1), (my1 + margin).min(gh - 1));
        let (mut ring, mut darker, mut outside) = (0u32, 0u32, 0u32);
        for y in by0..=by1 {
            for x in bx0..=bx1 {
                let i = (y * gw + x) as usize;
                if cand[i] {
                    continue;
                }
                if !person_at(rx0 + x * k, ry0 + y * k) {
                    // The backdrop around a garment's edge is not what
                    // encloses a highlight.
                    outside += 1;
                    continue;
                }
                ring += 1;
                darker += (y_img[i] < blob_mean - RING_DROP) as u32;
            }
        }
        let enclosed = ring > 0 && darker as f32 >= MIN_ENCLOSED * ring as f32;
        // A spot on the outline (half its surroundings backdrop) is an edge.
        if !enclosed || outside * 10 > (ring + outside) * 3 {
            continue;
        }
        let region = Rect {
            x: (rx0 + mx0 * k) as f32,
            y: (ry0 + my0 * k) as f32,
            w: ((mx1 - mx0 + 1) * k) as f32,
            h: ((my1 - my0 + 1) * k) as f32,
        };
        let (gx, gy) = (region.x + region.w / 2.0, region.y + region.h / 2.0);
        let near_eye = [face.eye_left, face.eye_right]
            .iter()
            .any(|e| (e.x - gx).hypot(e.y - gy) <= 0.45 * ed);
        let between =
            (gx - face.eye_mid().x).abs() <= 0.5 * ed && (gy - face.eye_mid().y).abs() <= 0.25 * ed;
        let in_mask = |x: f32, y: f32| sil.person_pixel(img, x as u32, y as u32);
        if !in_mask(gx, gy) {
            // The backdrop (a white one is bright and colourless too).
            continue;
        }
        let place = if near_eye || between {
            GlarePlace::Eyes
        } else if gy < chin && gy > b.y - 0.2 * b.h && (gx - b.x - b.w / 2.0).abs() < 0.5 * b.w {
            // The face box, and the forehead above it (the detector's box
            // stops near the eyebrows).
            GlarePlace::Face
        } else if gy >= chin && in_mask(gx, gy) {
            GlarePlace::Clothing
        } else {
            // Hair, the backdrop: not this rule's business.
            continue;
        };
        // A highlight has a specular core; without one, only a shine that
        // rises far above dark fabric counts.
        let rise = hat / cnt.max(1) as f32;
        let core = cores as f64 * (ref_scale as f64).powi(2);
        let shine =
            place == GlarePlace::Clothing && rise >= SHINE_MIN_RISE && peak >= SHINE_MIN_PEAK;
        if core < CORE_MIN_AREA && !shine {
            continue;
        }
        let mid = face.eye_mid();
        let part = match place {
            GlarePlace::Eyes if between && !near_eye => "between the eyes",
            GlarePlace::Eyes if gx < mid.x => "left eye",
            GlarePlace::Eyes => "right eye",
            GlarePlace::Face if gy < mid.y - 0.15 * ed => "forehead",
            GlarePlace::Face if (gx - mid.x).abs() < 0.25 * ed && gy < mid.y + 0.8 * ed => "nose",
            GlarePlace::Face if gy < mid.y + 1.0 * ed => "cheek",
            GlarePlace::Face => "chin",
            GlarePlace::Clothing => "clothing",
        };
        out.push(Glare {
            place,
            part: part.into(),
            area: cnt as f64 * px_area,
            core,
            peak: peak.round().clamp(0.0, 255.0) as u8,
            contrast: rise,
            region,
        });
    }
    out.sort_by(|a, b| {
        b.area
            .total_cmp(&a.area)
            .then(a.region.x.total_cmp(&b.region.x))
    });
    out
}

/// A grey opening worked out on a box of glare's cells (`w` x `h` from
/// `(x0, y0)`), row after row.
struct Opened {
    x0: usize,
    y0: usize,
    w: usize,
    h: usize,
    values: Vec<f32>,
}

impl Opened {
    /// The value at cell `(x, y)` of the region, `None` outside the box.
    fn at(&self, x: usize, y: usize) -> Option<f32> {
        let (dx, dy) = (x.checked_sub(self.x0)?, y.checked_sub(self.y0)?);
        (dx < self.w && dy < self.h).then(|| self.values[dy * self.w + dx])
    }
}

/// The luma of each 2x2 block's mean colour (its sums' luma over four),
/// appended to `out`; as a [`Kernel`] (a plain loop: it vectorises).
struct BlockLumas<'a> {
    sums: &'a [[u16; 3]],
    out: &'a mut Vec<f32>,
}

impl Kernel for BlockLumas<'_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        self.out.extend(
            self.sums
                .iter()
                .map(|s| crate::colour::luma_rgb([s[0] as f32, s[1] as f32, s[2] as f32]) * 0.25),
        );
    }
}

/// Grey opening over a (2r+1) square (clipped at the edges): the minimum
/// over the square around every pixel, then the maximum of that.
///
/// Each filter is separable, and the order of its row and column passes
/// does not matter, so the opening is arranged as column pass, rows, rows,
/// column pass, and the two row passes run as column passes on the
/// transposed image: every pass then works on whole rows at a time, which
/// the compiler vectorises, instead of one value after another along a row.
fn opening(v: &[f32], w: usize, h: usize, r: usize) -> Vec<f32> {
    lanes::run(Opening { v, w, h, r })
}

/// [`opening`] as a [`Kernel`] (its passes are plain loops over whole rows).
struct Opening<'a> {
    v: &'a [f32],
    w: usize,
    h: usize,
    r: usize,
}

impl Kernel for Opening<'_> {
    type Output = Vec<f32>;

    #[inline(always)]
    fn run<L: Lanes>(self) -> Vec<f32> {
        let Opening { v, w, h, r } = self;
        debug_assert_eq!(v.len(), w * h);
        // Plain comparisons (the luma has no NaN): they compile to vector
        // minimum and maximum instructions, unlike f32::min's NaN handling.
        let min = |a: f32, b: f32| if b < a { b } else { a };
        let max = |a: f32, b: f32| if b > a { b } else { a };
        let (mut pre, mut suf) = (Vec::new(), Vec::new());
        let mut a = vec![0f32; v.len()];
        running(v, w, r, min, &mut pre, &mut suf, &mut a);
        let t = transpose(&a, w, h);
        running(&t, h, r, min, &mut pre, &mut suf, &mut a);
        let mut b = vec![0f32; v.len()];
        running(&a, h, r, max, &mut pre, &mut suf, &mut b);
        let t = transpose(&b, h, w);
        running(&t, w, r, max, &mut pre, &mut suf, &mut b);
        b
    }
}

/// The `w` x `h` image `v` (row after row) turned into its `h` x `w` transpose.
#[inline(always)]
fn transpose(v: &[f32], w: usize, h: usize) -> Vec<f32> {
    let mut out = vec![0f32; v.len()];
    for (y, row) in v.chunks_exact(w.max(1)).take(h).enumerate() {
        for (x, &val) in row.iter().enumerate() {
            out[x * h + y] = val;
        }
    }
    out
}

/// `out[i] = f(v[i - r ..= i + r])` (clipped at the ends) for a sequence of
/// `n = v.len() / lanes` items, each `lanes` values wide (1 for a row; a
/// whole row for a column pass, so that pass runs row by row, in order).
/// Linear time whatever r: van Herk / Gil-Werman, with prefix and suffix
/// extremes inside blocks of the window's length; a window inside the
/// sequence spans at most two blocks, and the suffix of the first with the
/// prefix of the second covers it exactly.
#[inline(always)]
fn running<F: Fn(f32, f32) -> f32 + Copy>(
    v: &[f32],
    lanes: usize,
    r: usize,
    f: F,
    pre: &mut Vec<f32>,
    suf: &mut Vec<f32>,
    out: &mut [f32],
) {
    let n = v.len() / lanes.max(1);
    if n == 0 {
        return;
    }
    let at = |i: usize| i * lanes..(i + 1) * lanes;
    // acc = f(acc, x), lane by lane.
    let fold = |acc: &mut [f32], x: &[f32]| {
        for (a, &b) in acc.iter_mut().zip(x) {
            *a = f(*a, b);
        }
    };
    let k = 2 * r + 1;
    if n <= k {
        // Every window is clipped: fold each directly (short sequences only).
        for i in 0..n {
            let (a, b) = (i.saturating_sub(r), (i + r).min(n - 1));
            let dst = &mut out[at(i)];
            dst.copy_from_slice(&v[at(a)]);
            for j in a + 1..=b {
                fold(dst, &v[at(j)]);
            }
        }
        return;
    }
    pre.clear();
    pre.extend_from_slice(v);
    suf.clear();
    suf.extend_from_slice(v);
    for start in (0..n).step_by(k) {
        let end = (start + k).min(n);
        for i in start + 1..end {
            let (done, rest) = pre.split_at_mut(i * lanes);
            fold(&mut rest[..lanes], &done[(i - 1) * lanes..]);
        }
        for i in (start..end - 1).rev() {
            let (head, tail) = suf.split_at_mut((i + 1) * lanes);
            fold(&mut head[i * lanes..], &tail[..lanes]);
        }
    }
    for i in r..n - r {
        let dst = &mut out[at(i)];
        for ((d, &a), &b) in dst.iter_mut().zip(&suf[at(i - r)]).zip(&pre[at(i + r)]) {
            *d = f(a, b);
        }
    }
    // The clipped windows at the ends: [0, i + r] and [i - r, n - 1].
    let mut acc = v[at(0)].to_vec();
    for j in 1..r {
        fold(&mut acc, &v[at(j)]);
    }
    for i in 0..r {
        fold(&mut acc, &v[at(i + r)]);
        out[at(i)].copy_from_slice(&acc);
    }
    acc.copy_from_slice(&v[at(n - 1)]);
    for j in n - r..n - 1 {
        fold(&mut acc, &v[at(j)]);
    }
    for i in (n - r..n).rev() {
        fold(&mut acc, &v[at(i - r)]);
        out[at(i)].copy_from_slice(&acc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_extremes_match_the_plain_definition() {
        let v: Vec<f32> = (0..97)
            .map(|i| ((i * 37 % 23) as f32) - (i % 5) as f32)
            .collect();
        for r in [1usize, 2, 5, 11, 48, 60] {
            for f in [f32::min as fn(f32, f32) -> f32, f32::max] {
                let (mut pre, mut suf) = (Vec::new(), Vec::new());
                let mut out = vec![0f32; v.len()];
                running(&v, 1, r, f, &mut pre, &mut suf, &mut out);
                for (i, got) in out.iter().enumerate() {
                    let (a, b) = (i.saturating_sub(r), (i + r).min(v.len() - 1));
                    let want = v[a..=b].iter().copied().reduce(f).unwrap_or(0.0);
                    assert_eq!(*got, want, "r {r} at {i}");
                }
            }
        }
    }

    #[test]
    fn opening_matches_the_plain_definition() {
        // Not square, so a transpose that mixed up the sides would show.
        let (w, h) = (23usize, 17usize);
        let v: Vec<f32> = (0..w * h).map(|i| ((i * 61 % 37) as f32) * 1.5).collect();
        let square = |src: &[f32], r: usize, f: fn(f32, f32) -> f32, start: f32| {
            let mut out = vec![0f32; w * h];
            for y in 0..h {
                for x in 0..w {
                    let mut acc = start;
                    for yy in y.saturating_sub(r)..=(y + r).min(h - 1) {
                        for xx in x.saturating_sub(r)..=(x + r).min(w - 1) {
                            acc = f(acc, src[yy * w + xx]);
                        }
                    }
                    out[y * w + x] = acc;
                }
            }
            out
        };
        for r in [1usize, 3, 9, 20] {
            let eroded = square(&v, r, f32::min, f32::MAX);
            let want = square(&eroded, r, f32::max, f32::MIN);
            assert_eq!(opening(&v, w, h, r), want, "r {r}");
        }
    }
}

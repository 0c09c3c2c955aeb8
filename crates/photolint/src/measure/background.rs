//! The background around the person: its colour, how even it is, a shadow
//! cast behind the head, and anything in it that is not background.

use serde::{Deserialize, Serialize};

use crate::colour::{ColourName, Lab};
use crate::detect::{Face, Rect};
use crate::kernels::lanes::{self, Kernel, Lanes};
use crate::profile::BackgroundRules;

use super::Grid;

/// Background cells lie at least this far from the person's outline
/// (reference px): the soft edge of hair and shoulders is neither.
const MARGIN_PX: f32 = 6.0;

/// A shadow is looked for up to this far outside the outline (reference px).
const SHADOW_REACH_PX: f32 = 40.0;

/// A shadow's light level changes smoothly over this many reference px; a
/// hair fringe's does not.
const SMOOTH_PX: f32 = 10.0;

/// Cells whose Lab distance to the smooth background model exceeds this are
/// left out of the next fit (Lab units).
const FIT_TRIM: f32 = 10.0;

/// Fewer background cells than this and the background is not measured.
const MIN_CELLS: usize = 200;

/// Settings the measurement takes from the profile.
pub type BackgroundSettings = BackgroundRules;

/// Colour differences between parts of the background (CIEDE2000).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Gradient {
    /// Top band against the lowest band of background beside the shoulders.
    pub top_bottom: f32,
    /// Left band against right band.
    pub left_right: f32,
    /// Top corners against the top middle (a vignette or a spotlight).
    pub centre_corners: f32,
}

impl Gradient {
    /// The largest of the three.
    pub fn max(&self) -> f32 {
        self.top_bottom
            .max(self.left_right)
            .max(self.centre_corners)
    }
}

/// A shadow on the background beside the head.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Shadow {
    /// Area of background darkened into a shadow, reference px².
    pub area: f64,
    /// Mean darkening of those pixels, 0..1 (0.2: a fifth less light).
    pub darkening: f32,
    /// Where, original pixels.
    pub region: Option<Rect>,
}

/// Everything measured about the background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackgroundMeasure {
    /// Share of the frame measured as background (away from the person's outline).
    pub share: f32,
    /// Mean colour of the even background (clutter left out), CIELAB.
    pub mean: Lab,
    /// The same mean colour, sRGB.
    pub mean_rgb: [u8; 3],
    /// Its plain name.
    pub colour: ColourName,
    /// The allowed colour nearest to it (English name).
    pub nearest_allowed: Option<String>,
    /// CIEDE2000 distance to that allowed colour.
    pub delta_e: f32,
    /// 95th percentile of the CIEDE2000 distance of background pixels to the mean.
    pub spread: f32,
    /// Differences between parts of the background.
    pub gradient: Gradient,
    /// Shadow beside the head.
    pub shadow: Shadow,
    /// Share of the background that is not background-like (objects, edges,
    /// another person): further from the smooth background than the
    /// profile's clutter distance.
    pub clutter_share: f32,
    /// Bounding box of the clutter, original pixels.
    pub clutter_region: Option<Rect>,
}

/// A smooth colour field: each Lab channel a quadratic in the cell position.
struct Smooth {
    coef: [[f64; 6]; 3],
}

fn features(u: f64, v: f64) -> [f64; 6] {
    [1.0, u, v, u * u, u * v, v * v]
}

impl Smooth {
    fn fit(pts: &[(f64, f64, Lab)]) -> Option<Smooth> {
        let mut ata = [[0f64; 6]; 6];
        let mut atb = [[0f64; 6]; 3];
        for &(u, v, c) in pts {
            let f = features(u, v);
            for i in 0..6 {
                // The normal matrix is symmetric: its upper half is summed
                // and the lower copied after (the same sums).
                for j in i..6 {
                    ata[i][j] += f[i] * f[j];
                }
                for (k, val) in [c.l, c.a, c.b].into_iter().enumerate() {
                    atb[k][i] += f[i] * val as f64;
                }
            }
        }
        let upper = ata;
        for (i, row) in ata.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate().take(i) {
                *v = upper[j][i];
            }
        }
        let mut coef = [[0f64; 6]; 3];
        for k in 0..3 {
            coef[k] = solve6(ata, atb[k])?;
        }
        Some(Smooth { coef })
    }

    fn at(&self, u: f64, v: f64) -> Lab {
        let f = features(u, v);
        let dot = |c: &[f64; 6]| c.iter().zip(f).map(|(a, b)| a * b).sum::<f64>() as f32;
        Lab {
            l: dot(&self.coef[0]),
            a: dot(&self.coef[1]),
            b: dot(&self.coef[2]),
        }
    }
}

/// Solves a 6x6 linear system by Gaussian elimination with partial pivoting;
/// `None` when it is singular (too few or collinear cells).
fn solve6(mut a: [[f64; 6]; 6], mut b: [f64; 6]) -> Option<[f64; 6]> {
    for col in 0..6 {
        let piv = (col..6).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-9 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        let pivot_row = a[col];
        for row in col + 1..6 {
            let f = a[row][col] / pivot_row[col];
            for (v, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *v -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0f64; 6];
    for row in (0..6).rev() {
        let s: f64 = (row + 1..6).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

fn lab_dist(a: Lab, b: Lab) -> f32 {
    ((a.l - b.l).powi(2) + (a.a - b.a).powi(2) + (a.b - b.b).powi(2)).sqrt()
}

/// Bounding box (original pixels) of the cells in `cells`.
fn bbox(grid: &Grid, cells: &[usize]) -> Option<Rect> {
    let s = grid.step as f32;
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &i in cells {
        let (x, y) = (
            (i as u32 % grid.w) as f32 * s,
            (i as u32 / grid.w) as f32 * s,
        );
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x + s);
        y1 = y1.max(y + s);
    }
    (!cells.is_empty()).then_some(Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    })
}

/// Measures the background of a photo whose grid is `grid` and whose face is
/// `face`; `ref_scale` converts photo pixels to reference pixels. `None` when
/// too little background is visible to judge.
pub fn background(
    grid: &Grid,
    face: &Face,
    ref_scale: f32,
    rules: &BackgroundSettings,
) -> Option<BackgroundMeasure> {
    let cell_ref = grid.step as f32 * ref_scale;
    let margin = MARGIN_PX / cell_ref;
    let (gw, gh) = (grid.w as f64, grid.h as f64);
    // The background cells, row by row, each with its place in the frame
    // (0..1 across and down) and whether it is on an even row and column:
    // worked out once, from the walk, not by dividing each index.
    // Grown as they fill, not sized for the whole grid: with the system
    // allocator, a few hundred kB asked for at once come as fresh pages
    // from the kernel on every call (a whole check 0.3-1 ms slower).
    let mut cells = Vec::new();
    let mut uvs = Vec::new();
    let mut sparse = Vec::new();
    for y in 0..grid.h {
        for x in 0..grid.w {
            let i = (y * grid.w + x) as usize;
            if grid.outline_distance[i] >= margin {
                if x.is_multiple_of(2) && y.is_multiple_of(2) {
                    sparse.push(cells.len());
                }
                cells.push(i);
                uvs.push((x as f64 / gw, y as f64 / gh));
            }
        }
    }
    if cells.len() < MIN_CELLS {
        return None;
    }
    // A smooth model of the background, refitted without the cells that
    // stand out from it (objects, a second person). Every other cell each
    // way (`sparse`, places in `cells`) is plenty to fit six coefficients.
    let lab_of = |k: usize| grid.lab[cells[k]];
    // Three fits at most; the last one's model is kept without trimming
    // again, and a trim that keeps the same cells would give the same
    // model again, so the fitting stops there.
    let mut inliers = sparse.clone();
    let mut model = None;
    for round in 0..3 {
        let pts: Vec<(f64, f64, Lab)> = inliers
            .iter()
            .map(|&k| (uvs[k].0, uvs[k].1, lab_of(k)))
            .collect();
        let Some(m) = Smooth::fit(&pts) else { break };
        if round == 2 {
            model = Some(m);
            break;
        }
        let next: Vec<usize> = sparse
            .iter()
            .copied()
            .filter(|&k| lab_dist(lab_of(k), m.at(uvs[k].0, uvs[k].1)) < FIT_TRIM)
            .collect();
        model = Some(m);
        if next.len() < MIN_CELLS / 8 || next == inliers {
            break;
        }
        inliers = next;
    }
    let (clutter, even): (Vec<usize>, Vec<usize>) = match &model {
        Some(m) => {
            let labs: Vec<Lab> = cells.iter().map(|&i| grid.lab[i]).collect();
            let model = |k: usize| m.at(uvs[k].0, uvs[k].1);
            let even = Lab::within_many(&labs, model, rules.clutter_delta_e);
            let (even, clutter): (Vec<_>, Vec<_>) = cells.iter().zip(even).partition(|c| c.1);
            (
                clutter.into_iter().map(|c| *c.0).collect(),
                even.into_iter().map(|c| *c.0).collect(),
            )
        }
        None => (Vec::new(), cells.clone()),
    };
    let even_lab: Vec<Lab> = even.iter().map(|&i| grid.lab[i]).collect();
    let mean = Lab::mean(&even_lab)?;
    // Every sixth cell is plenty for the 95th percentile: about 1,700 on a
    // 480x640 photo. Every third cell (twice the CIEDE2000s) gave the same
    // value on 213 of 223 corpus photos and within 0.13 on the others.
    let sample: Vec<Lab> = even_lab.iter().step_by(6).copied().collect();
    let mut spread = Lab::delta_e_many(&sample, mean);
    let at = spread.len() * 95 / 100;
    let spread = if at < spread.len() {
        *spread.select_nth_unstable_by(at, f32::total_cmp).1
    } else {
        0.0
    };
    let (nearest_allowed, delta_e) = rules
        .allowed
        .iter()
        .map(|c| (c.name_en.clone(), Lab::from_rgb(c.rgb).delta_e(mean)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or((None, f32::INFINITY), |(n, d)| (Some(n), d));
    Some(BackgroundMeasure {
        share: cells.len() as f32 / grid.lab.len() as f32,
        mean,
        mean_rgb: mean.to_rgb(),
        colour: mean.name(),
        nearest_allowed,
        delta_e,
        spread,
        gradient: gradient(grid, &even),
        shadow: shadow(grid, face, cell_ref, rules),
        clutter_share: clutter.len() as f32 / cells.len() as f32,
        clutter_region: bbox(grid, &clutter),
    })
}

/// Median colours of bands of the even background, compared.
fn gradient(grid: &Grid, even: &[usize]) -> Gradient {
    let (gw, gh) = (grid.w as f32, grid.h as f32);
    let pos = |i: usize| {
        (
            (i as u32 % grid.w) as f32 / gw,
            (i as u32 / grid.w) as f32 / gh,
        )
    };
    // Each even cell's position, worked out once for all the bands.
    let at: Vec<(f32, f32, Lab)> = even
        .iter()
        .map(|&i| {
            let (u, v) = pos(i);
            (u, v, grid.lab[i])
        })
        .collect();
    // Generic over the band's test (not a `dyn` one), so each band's
    // filter is compiled with its test inlined.
    fn band_of(at: &[(f32, f32, Lab)], keep: impl Fn(f32, f32) -> bool) -> Option<Lab> {
        let v: Vec<Lab> = at
            .iter()
            .filter(|&&(u, v, _)| keep(u, v))
            .map(|&(_, _, c)| c)
            .collect();
        // A band of a handful of cells says nothing.
        (v.len() >= 20).then(|| Lab::median(&v)).flatten()
    }
    let diff = |a: Option<Lab>, b: Option<Lab>| match (a, b) {
        (Some(a), Some(b)) => a.delta_e(b),
        _ => 0.0,
    };
    let lowest = at.iter().map(|&(_, v, _)| v).fold(0.0f32, f32::max);
    let top = band_of(&at, |_, v| v < 0.15);
    let bottom = if lowest > 0.45 {
        band_of(&at, |_, v| v > lowest - 0.15)
    } else {
        None
    };
    Gradient {
        top_bottom: diff(top, bottom),
        left_right: diff(band_of(&at, |u, _| u < 0.12), band_of(&at, |u, _| u > 0.88)),
        centre_corners: diff(
            band_of(&at, |u, v| v < 0.12 && !(0.12..=0.88).contains(&u)),
            band_of(&at, |u, v| v < 0.12 && (u - 0.5).abs() < 0.15),
        ),
    }
}

/// A shadow cast on the background beside the head: cells next to the
/// outline (outside it, or swallowed into it because they are dark) whose
/// colour is the expected background colour at reduced light (the same
/// colour direction, less of it), and which change smoothly (a soft-edged
/// hair fringe over the background has the same colour mix but is full of
/// strands).
fn shadow(grid: &Grid, face: &Face, cell_ref: f32, rules: &BackgroundSettings) -> Shadow {
    let reach = SHADOW_REACH_PX / cell_ref;
    let r = ((SMOOTH_PX / 2.0 / cell_ref).round() as i32).max(1);
    let s = grid.step as f32;
    let b = face.bbox;
    // Head zone: from well above the face box down to the chin, beside the face.
    let y0 = ((b.y - 0.6 * b.h) / s).max(0.0) as u32;
    let y1 = (((b.y + b.h) / s).max(0.0) as u32).min(grid.h);
    let (fx0, fx1) = ((b.x + 0.05 * b.w) / s, (b.x + 0.95 * b.w) / s);
    let (fy0, fy1) = (b.y / s, (b.y + b.h) / s);
    // Only the head zone's rows and those within the smoothness window
    // around them are ever read.
    let rows = y0.saturating_sub(r as u32) as usize..(y1 + r as u32).min(grid.h) as usize;
    let wu = grid.w as usize;
    let mut light = vec![0f32; grid.rgb.len()];
    let read = rows.start * wu..(rows.end * wu).min(light.len());
    if !read.is_empty() {
        lanes::run(ShadowLight {
            rgb: &grid.rgb[read.clone()],
            expected: &grid.expected[read.clone()],
            out: &mut light[read],
        });
    }
    let mut cells = Vec::new();
    let mut dark = 0f32;
    for y in y0..y1 {
        for x in 0..grid.w {
            let (xf, yf) = (x as f32, y as f32);
            if xf >= fx0 && xf <= fx1 && yf >= fy0 && yf <= fy1 {
                continue;
            }
            let i = grid.idx(x, y);
            if grid.outline_distance[i] > reach {
                continue;
            }
            let k = light[i];
            if !(0.35..=1.0 - rules.shadow_darkening).contains(&k) {
                continue;
            }
            // Smooth: the light level barely changes over about 10 reference px.
            let mut n = 0f32;
            let (mut sum, mut sq) = (0f32, 0f32);
            for dy in -r..=r {
                for dx in -r..=r {
                    let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                    if nx < 0 || ny < 0 || nx >= grid.w as i32 || ny >= grid.h as i32 {
                        continue;
                    }
                    let v = light[grid.idx(nx as u32, ny as u32)];
                    n += 1.0;
                    sum += v;
                    sq += v * v;
                }
            }
            let var = sq / n - (sum / n).powi(2);
            if var.max(0.0).sqrt() > 0.04 {
                continue;
            }
            cells.push(i);
            dark += 1.0 - k;
        }
    }
    Shadow {
        area: cells.len() as f64 * (cell_ref as f64).powi(2),
        darkening: if cells.is_empty() {
            0.0
        } else {
            dark / cells.len() as f32
        },
        region: bbox(grid, &cells),
    }
}

/// Each cell's light level along the colour the backdrop is expected to
/// have there (0 where nothing is expected, -1 off that colour: not a
/// shadow), for [`shadow`]; as a [`Kernel`] (a plain loop: it vectorises).
struct ShadowLight<'a> {
    rgb: &'a [[f32; 3]],
    expected: &'a [[f32; 3]],
    out: &'a mut [f32],
}

impl Kernel for ShadowLight<'_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        let ShadowLight { rgb, expected, out } = self;
        for ((o, p), e) in out.iter_mut().zip(rgb).zip(expected) {
            let ee: f32 = e.iter().map(|v| v * v).sum();
            if ee < 1.0 {
                *o = 0.0;
                continue;
            }
            let k = p.iter().zip(e).map(|(a, b)| a * b).sum::<f32>() / ee;
            // Off the colour direction: not a shadow on this background.
            let off: f32 = p
                .iter()
                .zip(e)
                .map(|(a, b)| (a - k * b).powi(2))
                .sum::<f32>()
                .sqrt()
                / ee.sqrt();
            *o = if off < 0.06 { k } else { -1.0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smooth_fit_recovers_a_gradient() {
        let mut pts = Vec::new();
        for y in 0..20 {
            for x in 0..20 {
                let (u, v) = (x as f64 / 20.0, y as f64 / 20.0);
                let c = Lab {
                    l: (70.0 + 10.0 * v) as f32,
                    a: -10.0,
                    b: (-40.0 + 5.0 * u * u) as f32,
                };
                pts.push((u, v, c));
            }
        }
        let m = Smooth::fit(&pts).expect("fits");
        let c = m.at(0.5, 0.5);
        assert!(
            (c.l - 75.0).abs() < 1e-3 && (c.b + 38.75).abs() < 1e-3,
            "{c:?}"
        );
    }
}

//! The clothing below the chin: where it is, its dominant colours, and how
//! much of it falls in each colour class a profile forbids.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::colour::{ColourName, Lab};
use crate::detect::{Face, Rect};
use crate::profile::{ClothingRules, ColourClass};

use super::Grid;

/// Settings the measurement takes from the profile.
pub type ClothingSettings = ClothingRules;

/// Colours closer than this (Lab units) join the same dominant colour.
const CLUSTER_RADIUS: f32 = 14.0;

/// Dominant colours smaller than this share of the clothing are not listed.
const MIN_LISTED_SHARE: f32 = 0.03;

/// Clothing is read this far inside the outline (reference px), clear of
/// the edge where it blends with the background.
const EDGE_PX: f32 = 4.0;

/// At most this many dominant colours are listed.
const MAX_LISTED: usize = 6;

/// One dominant colour of the clothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClothingColour {
    /// Mean colour, CIELAB.
    pub lab: Lab,
    /// Mean colour, sRGB.
    pub rgb: [u8; 3],
    /// Its chroma C* (LCh).
    pub chroma: f32,
    /// Its hue angle h, degrees (LCh).
    pub hue: f32,
    /// Plain name.
    pub name: ColourName,
    /// Share of the clothing area, 0..1.
    pub share: f32,
}

/// The person's own skin colour, measured on the cheeks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClothingSkin {
    /// Median cheek colour, CIELAB.
    pub lab: Lab,
    /// The same, sRGB.
    pub rgb: [u8; 3],
}

/// Everything measured about the clothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClothingMeasure {
    /// Share of the frame the clothing covers.
    pub area_share: f32,
    /// Enough clothing is visible to judge its colour.
    pub visible: bool,
    /// The torso stands out from the background; when false the clothing
    /// was read from where the torso must be, because its colour melts into
    /// the background.
    pub separated: bool,
    /// Bounding box of the clothing, original pixels.
    pub region: Option<Rect>,
    /// Dominant colours, largest first.
    pub colours: Vec<ClothingColour>,
    /// The person's skin colour the skin-like check compares with.
    pub skin: Option<ClothingSkin>,
    /// Share of the clothing closer to the background than the profile's minimum distance.
    pub like_background_share: f32,
    /// Share of the clothing close to the person's skin colour.
    pub skin_like_share: f32,
    /// Share of each colour class the profile defines, by class key
    /// (`blue`, `yellow`, `green`, `yellow_green`).
    pub class_shares: BTreeMap<String, f32>,
    /// Share of skin at the two shoulder points (image-left, image-right),
    /// where a shoulder is inside the frame.
    pub shoulder_skin: [Option<f32>; 2],
}

impl ClothingMeasure {
    /// The share measured for a colour class key, 0 when not measured.
    pub fn class_share(&self, key: &str) -> f32 {
        self.class_shares.get(key).copied().unwrap_or(0.0)
    }
}

/// True when `c` falls in `class`: its lightness and chroma (or those of
/// the class's further shades), and its hue sector.
/// Tested in that order, cheapest first: most colours fail on lightness or
/// chroma, and the hue (an arctangent) is only worked out for the rest.
pub fn in_class(c: Lab, class: &ColourClass) -> bool {
    let within = |lightness: [f64; 2], min_chroma: f64| {
        (lightness[0] as f32..=lightness[1] as f32).contains(&c.l)
            && c.chroma() >= min_chroma as f32
    };
    let shade = class
        .shades
        .as_ref()
        .is_some_and(|d| within(d.lightness, d.min_chroma));
    if !shade && !within(class.lightness, class.min_chroma) {
        return false;
    }
    let h = c.hue();
    if class.hue[0] <= class.hue[1] {
        h >= class.hue[0] as f32 && h < class.hue[1] as f32
    } else {
        // A sector across 0 degrees, e.g. [345, 20].
        h >= class.hue[0] as f32 || h < class.hue[1] as f32
    }
}

/// Neck and chest skin: the hue of the person's skin, at any lightness
/// down to deep shadow (the neck under the chin is darker than the cheeks),
/// with a chroma that goes with it.
fn skin_family(c: Lab, skin: Lab) -> bool {
    let (cc, sc) = (c.chroma(), skin.chroma().max(1.0));
    let ratio = cc / sc;
    // Hue within 20 degrees: the cosine of the angle between the a*b* vectors.
    let cos = (c.a * skin.a + c.b * skin.b) / (cc * sc).max(1e-6);
    cos >= 0.9397 && (0.45..=1.6).contains(&ratio) && c.l <= skin.l + 12.0 && c.l >= 8.0
}

/// The person's skin: median colour of two cheek patches below the eyes.
fn skin(grid: &Grid, face: &Face) -> Option<Lab> {
    let ed = face.eye_distance().max(1.0);
    let s = grid.step as f32;
    let mut v = Vec::new();
    for e in [face.eye_left, face.eye_right] {
        let (cx, cy, r) = (e.x, e.y + 0.5 * ed, 0.12 * ed);
        let (x0, x1) = (((cx - r) / s).max(0.0) as u32, ((cx + r) / s) as u32);
        let (y0, y1) = (((cy - r) / s).max(0.0) as u32, ((cy + r) / s) as u32);
        for y in y0..=y1.min(grid.h.saturating_sub(1)) {
            for x in x0..=x1.min(grid.w.saturating_sub(1)) {
                v.push(grid.lab[grid.idx(x, y)]);
            }
        }
    }
    Lab::median(&v)
}

/// Hair hanging below the chin (long hair over the shoulders) is not the
/// top: the person's cells of the hair's colour (CIEDE2000 within this)...
const HAIR_DELTA_E: f32 = 15.0;

/// ...connected to the hair beside the face, unless that would take more
/// than this share of the clothing (a top of the hair's own colour, where
/// the colour verdict is the same either way).
const HAIR_MAX_SHARE: f32 = 0.7;

/// A cell this far (RGB) from the backdrop expected there stands out of it.
const HAIR_BACKDROP_RGB: f32 = 40.0;

/// The hair that frames the face and hangs below it: the colour of the
/// cells just outside the face box between the eye line and the chin that
/// are the person or stand out of the backdrop, and are not skin (when hair
/// fills at least a quarter of them), followed down through such cells of
/// that colour. `None` when no hair frames the face
/// (short hair, ears, the backdrop beside the cheeks).
fn hair_mask(grid: &Grid, face: &Face, skin: Option<Lab>) -> Option<Vec<bool>> {
    let b = face.bbox;
    let fw = b.w.max(1.0);
    let (top, bottom) = (face.eye_mid().y, b.y + b.h);
    let beside = |x: f32| {
        (b.x - 0.3 * fw..b.x + 0.02 * fw).contains(&x)
            || (b.x + b.w - 0.02 * fw..b.x + b.w + 0.3 * fw).contains(&x)
    };
    // The person, or a cell that stands out from the backdrop expected
    // there (the silhouette can lose dark hair against a dark backdrop edge).
    let body = |i: usize| {
        let (c, e) = (grid.rgb[i], grid.expected[i]);
        let d = (0..3).map(|k| (c[k] - e[k]).powi(2)).sum::<f32>().sqrt();
        grid.person[i] || d > HAIR_BACKDROP_RGB
    };
    let (mut seeds, mut band) = (Vec::new(), 0usize);
    for (i, (x, y)) in grid.cells_in_rows(|y| y >= top && y <= bottom) {
        if y < top || y > bottom || !beside(x) {
            continue;
        }
        band += 1;
        if body(i) && !skin.is_some_and(|sk| skin_family(grid.lab[i], sk)) {
            seeds.push(i);
        }
    }
    if band == 0 || seeds.len() * 4 < band {
        return None;
    }
    let hair = Lab::median(&seeds.iter().map(|&i| grid.lab[i]).collect::<Vec<_>>())?;
    let mut mask = vec![false; grid.lab.len()];
    let mut stack: Vec<usize> = Vec::new();
    for &i in &seeds {
        if grid.lab[i].within(hair, HAIR_DELTA_E) {
            mask[i] = true;
            stack.push(i);
        }
    }
    let (w, h) = (grid.w as usize, grid.h as usize);
    while let Some(i) = stack.pop() {
        let (x, y) = (i % w, i / w);
        let next = [
            (x > 0).then(|| i - 1),
            (x + 1 < w).then(|| i + 1),
            (y > 0).then(|| i - w),
            (y + 1 < h).then(|| i + w),
        ];
        for j in next.into_iter().flatten() {
            if !mask[j] && body(j) && grid.lab[j].within(hair, HAIR_DELTA_E) {
                mask[j] = true;
                stack.push(j);
            }
        }
    }
    Some(mask)
}

/// Groups colours into dominant colours: coarse Lab bins, then the largest
/// bins absorb every bin within [`CLUSTER_RADIUS`] of them. Deterministic
/// (ties broken by bin position).
fn dominant(colours: &[Lab]) -> Vec<ClothingColour> {
    let mut bins: BTreeMap<(i32, i32, i32), (u32, [f64; 3])> = BTreeMap::new();
    for c in colours {
        let key = (
            (c.l / 8.0).floor() as i32,
            (c.a / 8.0).floor() as i32,
            (c.b / 8.0).floor() as i32,
        );
        let e = bins.entry(key).or_insert((0, [0.0; 3]));
        e.0 += 1;
        e.1[0] += c.l as f64;
        e.1[1] += c.a as f64;
        e.1[2] += c.b as f64;
    }
    let mut order: Vec<((i32, i32, i32), u32, Lab)> = bins
        .into_iter()
        .map(|(k, (n, s))| {
            let m = |v: f64| (v / n as f64) as f32;
            (
                k,
                n,
                Lab {
                    l: m(s[0]),
                    a: m(s[1]),
                    b: m(s[2]),
                },
            )
        })
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total = colours.len().max(1) as f32;
    let mut taken = vec![false; order.len()];
    let mut out = Vec::new();
    for i in 0..order.len() {
        if taken[i] {
            continue;
        }
        let seed = order[i].2;
        let (mut n, mut sum) = (0u32, [0f64; 3]);
        for j in i..order.len() {
            let c = order[j].2;
            let d =
                ((c.l - seed.l).powi(2) + (c.a - seed.a).powi(2) + (c.b - seed.b).powi(2)).sqrt();
            if !taken[j] && d <= CLUSTER_RADIUS {
                taken[j] = true;
                let k = order[j].1;
                n += k;
                sum[0] += c.l as f64 * k as f64;
                sum[1] += c.a as f64 * k as f64;
                sum[2] += c.b as f64 * k as f64;
            }
        }
        let m = |v: f64| (v / n.max(1) as f64) as f32;
        let lab = Lab {
            l: m(sum[0]),
            a: m(sum[1]),
            b: m(sum[2]),
        };
        out.push(ClothingColour {
            lab,
            rgb: lab.to_rgb(),
            chroma: lab.chroma(),
            hue: lab.hue(),
            name: lab.name(),
            share: n as f32 / total,
        });
    }
    out.sort_by(|a, b| b.share.total_cmp(&a.share));
    out.retain(|c| c.share >= MIN_LISTED_SHARE);
    out.truncate(MAX_LISTED);
    out
}

/// The clothing's cells on the grid.
#[derive(Debug, Clone)]
pub struct ClothingRegion {
    /// Grid cell indices of the clothing.
    pub cells: Vec<usize>,
    /// The torso stands out from the background (see [`ClothingMeasure::separated`]).
    pub separated: bool,
    /// The person's skin colour, from the cheeks.
    pub skin: Option<Lab>,
}

/// Finds the clothing: the person below the chin, clear of the outline,
/// without the neck and chest skin in the neckline and without long hair
/// hanging over the shoulders. When the torso does not
/// stand out from the background (its colour melts into it), the clothing is
/// read where the torso must be.
pub fn clothing_region(grid: &Grid, face: &Face, ref_scale: f32) -> ClothingRegion {
    let s = grid.step as f32;
    let edge = EDGE_PX / (s * ref_scale);
    let b = face.bbox;
    let fw = b.w.max(1.0);
    let cx = face.eye_mid().x;
    let chin = b.y + b.h;
    let skin = skin(grid, face);
    // The torso box: where the body must be, below the neck.
    let torso_top = chin + 0.3 * fw;
    let in_torso = |x: f32, y: f32| y >= torso_top && (x - cx).abs() < 0.8 * fw;
    // Whether it stands out is judged beside the neckline (the neck and
    // chest skin in it always stand out).
    let (mut torso_cells, mut torso_person) = (0u32, 0u32);
    for (i, (x, y)) in grid.cells_in_rows(|y| y >= torso_top) {
        if y >= torso_top && (0.5 * fw..1.0 * fw).contains(&(x - cx).abs()) {
            torso_cells += 1;
            torso_person += grid.person[i] as u32;
        }
    }
    let separated = torso_cells == 0 || torso_person * 5 >= torso_cells * 2;
    let mut cells = Vec::new();
    for (i, (x, y)) in grid.cells_in_rows(|y| y >= chin + 0.05 * fw) {
        let body = if separated {
            grid.person[i]
        } else {
            grid.person[i] || in_torso(x, y)
        };
        if !body {
            continue;
        }
        // Cells on the outline mix clothing with the background.
        if separated && grid.outline_distance[i] > -edge {
            continue;
        }
        // Neck and chest skin in the neckline is the person, not the clothing.
        if (x - cx).abs() < 0.6 * fw && skin.is_some_and(|sk| skin_family(grid.lab[i], sk)) {
            continue;
        }
        cells.push(i);
    }
    if let Some(hair) = hair_mask(grid, face, skin) {
        let kept: Vec<usize> = cells.iter().copied().filter(|&i| !hair[i]).collect();
        if (kept.len() as f32) >= (1.0 - HAIR_MAX_SHARE) * cells.len() as f32 {
            cells = kept;
        }
    }
    ClothingRegion {
        cells,
        separated,
        skin,
    }
}

/// Measures the clothing of the person whose face is `face`, against the
/// background colour `background` (when measured). The shoulder points come
/// from the silhouette; `ref_scale` converts photo px to reference px.
pub fn clothing(
    grid: &Grid,
    face: &Face,
    background: Option<Lab>,
    shoulders: [Option<(f32, f32)>; 2],
    ref_scale: f32,
    rules: &ClothingSettings,
) -> ClothingMeasure {
    let s = grid.step as f32;
    let fw = face.bbox.w.max(1.0);
    let ClothingRegion {
        cells,
        separated,
        skin,
    } = clothing_region(grid, face, ref_scale);
    let is_skin = |c: Lab, tol: f32| -> bool { skin.is_some_and(|sk| c.within_or_at(sk, tol)) };
    let area_share = cells.len() as f32 / grid.lab.len().max(1) as f32;
    let visible = area_share >= rules.min_area as f32;
    // Every other cell each way is plenty for colour shares.
    let labs: Vec<Lab> = cells
        .iter()
        .filter(|&&i| {
            (i as u32 % grid.w).is_multiple_of(2) && (i as u32 / grid.w).is_multiple_of(2)
        })
        .map(|&i| grid.lab[i])
        .collect();
    let n = labs.len().max(1) as f32;
    let share = |f: &dyn Fn(Lab) -> bool| labs.iter().filter(|&&c| f(c)).count() as f32 / n;
    let like_background_share = background.map_or(0.0, |bg| {
        share(&|c| c.within(bg, rules.min_delta_e_background as f32))
    });
    let skin_like_share = share(&|c| is_skin(c, rules.skin_delta_e as f32));
    let class_shares = rules
        .classes()
        .into_iter()
        .map(|(key, class)| (key.to_string(), share(&|c| in_class(c, class))))
        .collect();
    // Skin where the shoulders are: a patch just inside the silhouette at
    // each shoulder point.
    let shoulder_skin = shoulders.map(|p| {
        p.map(|(sx, sy)| {
            let r = 0.1 * fw;
            let (mut n, mut k) = (0u32, 0u32);
            for (i, (x, y)) in grid.cells_in_rows(|y| y >= sy && y <= sy + 2.0 * r) {
                if grid.person[i] && (x - sx).abs() <= r && y >= sy && y <= sy + 2.0 * r {
                    n += 1;
                    k += is_skin(grid.lab[i], rules.bare_skin_delta_e as f32) as u32;
                }
            }
            if n == 0 {
                0.0
            } else {
                k as f32 / n as f32
            }
        })
    });
    let region = (!cells.is_empty()).then(|| {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &i in &cells {
            let (x, y) = grid.centre(i);
            x0 = x0.min(x - s / 2.0);
            y0 = y0.min(y - s / 2.0);
            x1 = x1.max(x + s / 2.0);
            y1 = y1.max(y + s / 2.0);
        }
        Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        }
    });
    ClothingMeasure {
        area_share,
        visible,
        separated,
        region,
        colours: dominant(&labs),
        skin: skin.map(|lab| ClothingSkin {
            lab,
            rgb: lab.to_rgb(),
        }),
        like_background_share,
        skin_like_share,
        class_shares,
        shoulder_skin,
    }
}

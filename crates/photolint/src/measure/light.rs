//! Light on the face: exposure, left/right balance and sharpness; the
//! specular highlights (glare) are measured in `glare.rs`.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use crate::colour::Lab;
use crate::detect::{Face, Rect};
use crate::kernels::blocks::Blocks;
use crate::silhouette::Silhouette;

use super::glare::{glare, Glare};

/// The face is resampled to this width before the focus measure, so the
/// measure does not depend on the photo's resolution.
const SHARPNESS_WIDTH: u32 = 96;

/// A backdrop channel this close to full scale may be clipped: it says
/// nothing about exposure.
const CLIPPED: f32 = 0.97;

/// Channels of the reference colour darker than this (linear) are too noisy
/// to read exposure from.
const MIN_REFERENCE: f32 = 0.02;

/// Everything measured about the light.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LightMeasure {
    /// Exposure error in stops, read on the backdrop whose true colour the
    /// profile knows (positive: too bright). `None` when the backdrop is not
    /// an allowed colour at some exposure (a wrong backdrop says nothing
    /// about exposure).
    pub exposure_ev: Option<f32>,
    /// Mean face luma, 0-255.
    pub face_mean_luma: f32,
    /// Share of face pixels at luma 25 or below (crushed shadows).
    pub face_dark_share: f32,
    /// Share of face pixels at luma 247 or above (blown highlights).
    pub face_bright_share: f32,
    /// Light on the image-left cheek against the image-right one, in stops
    /// (log2 of the ratio of their median luminances; 0 is even).
    pub side_ev: f32,
    /// Focus measure: variance of the Laplacian over the variance of the
    /// face (resampled to 96 px wide), so neither size nor skin tone sets it.
    pub sharpness: f32,
    /// Specular highlights found, largest first.
    pub glare: Vec<Glare>,
}

/// Exposure in stops from the backdrop's mean colour against the allowed
/// colour `reference`: exposure scales every linear channel alike, so the
/// unclipped channels must agree on the ratio.
pub fn exposure_from_backdrop(mean: Lab, reference: [u8; 3]) -> Option<f32> {
    let t = Lab::linear_table();
    let seen = mean.to_rgb().map(|v| t[v as usize]);
    let want = reference.map(|v| t[v as usize]);
    let ratios: Vec<f32> = (0..3)
        .filter(|&c| want[c] > MIN_REFERENCE && seen[c] < CLIPPED)
        .map(|c| seen[c] / want[c])
        .collect();
    let lo = ratios.iter().copied().fold(f32::MAX, f32::min);
    let hi = ratios.iter().copied().fold(0f32, f32::max);
    if ratios.is_empty() || lo <= 0.0 || hi / lo > 1.35 {
        return None;
    }
    let mean = ratios.iter().sum::<f32>() / ratios.len() as f32;
    Some(mean.log2())
}

/// True for pixels inside the face ellipse (within the detector's box).
fn in_face(b: &Rect, x: f32, y: f32) -> bool {
    let (cx, cy) = (b.x + b.w / 2.0, b.y + b.h / 2.0);
    let (ax, ay) = (0.42 * b.w, 0.5 * b.h);
    ((x - cx) / ax).powi(2) + ((y - cy) / ay).powi(2) <= 1.0
}

/// Measures the light of `img` around `face`; `blocks` are the photo's 2x2
/// block sums, `exposure_ev` comes from the backdrop, `ref_scale` converts
/// photo px to reference px.
pub fn light(
    img: &RgbImage,
    blocks: &Blocks,
    face: &Face,
    sil: &Silhouette,
    exposure_ev: Option<f32>,
    ref_scale: f32,
) -> LightMeasure {
    let (w, h) = img.dimensions();
    let b = face.bbox;
    let mut lumas = Vec::new();
    let (mut n, mut sum, mut dark, mut bright) = (0u32, 0f32, 0u32, 0u32);
    let y0 = b.y.max(0.0) as u32;
    let y1 = ((b.y + b.h).max(0.0) as u32).min(h);
    let x0 = b.x.max(0.0) as u32;
    let x1 = ((b.x + b.w).max(0.0) as u32).min(w);
    let (ecx, ecy) = (b.x + b.w / 2.0, b.y + b.h / 2.0);
    let (ax, ay) = (0.42 * b.w, 0.5 * b.h);
    let stride = 3 * w as usize;
    for y in y0..y1 {
        let yf = y as f32 + 0.5;
        // The face pixels of a row are one run: estimated from the ellipse,
        // then settled with the same test pixel by pixel at its ends.
        let q = 1.0 - ((yf - ecy) / ay).powi(2);
        if q.is_nan() || q < 0.0 {
            continue;
        }
        let half = ax * q.sqrt();
        let inside = |x: u32| in_face(&b, x as f32 + 0.5, yf);
        let mut a = ((ecx - half - 0.5).ceil().max(x0 as f32) as u32).min(x1);
        let mut e = ((ecx + half - 0.5).floor().max(0.0) as u32 + 1).clamp(a, x1);
        while a > x0 && inside(a - 1) {
            a -= 1;
        }
        while a < e && !inside(a) {
            a += 1;
        }
        while e < x1 && inside(e) {
            e += 1;
        }
        while e > a && !inside(e - 1) {
            e -= 1;
        }
        let line = &img.as_raw()[y as usize * stride..(y as usize + 1) * stride];
        let run = &line[3 * a as usize..3 * e as usize];
        lumas.clear();
        crate::colour::extend_lumas(&mut lumas, run);
        for &l in &lumas {
            sum += l;
            dark += (l <= 25.0) as u32;
            bright += (l >= 247.0) as u32;
        }
        n += e - a;
    }
    let nf = n.max(1) as f32;
    let side_ev = match (cheek_light(img, face, true), cheek_light(img, face, false)) {
        (Some(l), Some(r)) if l > 0.0 && r > 0.0 => (l / r).log2(),
        _ => 0.0,
    };
    LightMeasure {
        exposure_ev,
        face_mean_luma: sum / nf,
        face_dark_share: dark as f32 / nf,
        face_bright_share: bright as f32 / nf,
        side_ev,
        sharpness: sharpness(img, face),
        glare: glare(img, blocks, face, sil, ref_scale),
    }
}

/// The light on one cheek (`left`: the image-left one): the median linear
/// luminance of a patch under the eye, 0.45-0.75 eye distances below it
/// (along the face's own vertical) and 0.4 eye distances wide. Cheeks are
/// skin on both sides whatever the hair, the beard or the eye sockets do,
/// and a lamp from one side darkens its whole half of the face, cheek
/// included; the median leaves out a mole, a glasses frame's edge or a
/// small highlight. `None` when the patch is outside the photo.
fn cheek_light(img: &RgbImage, face: &Face, left: bool) -> Option<f32> {
    let (w, h) = img.dimensions();
    let ed = face.eye_distance();
    if !(ed.is_finite() && ed >= 4.0) {
        return None;
    }
    let eye = if left { face.eye_left } else { face.eye_right };
    // Down the face: the eye line turned a quarter.
    let (ux, uy) = (
        (face.eye_right.x - face.eye_left.x) / ed,
        (face.eye_right.y - face.eye_left.y) / ed,
    );
    let (cx, cy) = (eye.x - uy * 0.6 * ed, eye.y + ux * 0.6 * ed);
    let (hw, hh) = (0.2 * ed, 0.15 * ed);
    let x0 = (cx - hw).max(0.0) as u32;
    let x1 = ((cx + hw).max(0.0) as u32).min(w);
    let y0 = (cy - hh).max(0.0) as u32;
    let y1 = ((cy + hh).max(0.0) as u32).min(h);
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let t = Lab::linear_table();
    let stride = 3 * w as usize;
    let mut v: Vec<f32> = Vec::with_capacity(((x1 - x0) * (y1 - y0)) as usize);
    for y in y0..y1 {
        let start = y as usize * stride + 3 * x0 as usize;
        let run = &img.as_raw()[start..start + 3 * (x1 - x0) as usize];
        v.extend(run.chunks_exact(3).map(|p| {
            0.2126 * t[p[0] as usize] + 0.7152 * t[p[1] as usize] + 0.0722 * t[p[2] as usize]
        }));
    }
    let at = v.len() / 2;
    Some(*v.select_nth_unstable_by(at, f32::total_cmp).1)
}

/// Variance of the 4-neighbour Laplacian over the variance of the luma, on
/// the central face (eyes to mouth, inside the cheeks) resampled to
/// [`SHARPNESS_WIDTH`] px wide.
fn sharpness(img: &RgbImage, face: &Face) -> f32 {
    let b = face.bbox;
    let (w, h) = img.dimensions();
    let x0 = (b.x + 0.15 * b.w).clamp(0.0, w as f32 - 1.0) as u32;
    let x1 = (b.x + 0.85 * b.w).clamp(0.0, w as f32) as u32;
    let y0 = (b.y + 0.2 * b.h).clamp(0.0, h as f32 - 1.0) as u32;
    let y1 = (b.y + 0.9 * b.h).clamp(0.0, h as f32) as u32;
    if x1 <= x0 + 4 || y1 <= y0 + 4 {
        return 0.0;
    }
    let (cw, ch) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let mut grey = Vec::with_capacity(cw * ch);
    let mut luma = Vec::with_capacity(cw);
    let stride = 3 * w as usize;
    for y in y0 as usize..y1 as usize {
        let line = &img.as_raw()[y * stride + 3 * x0 as usize..y * stride + 3 * x1 as usize];
        luma.clear();
        crate::colour::extend_lumas(&mut luma, line);
        // Rounded by adding a half (the luma is never negative): the
        // library round is a call per pixel on the baseline x86-64.
        grey.extend(luma.iter().map(|&l| (l + 0.5) as u8));
    }
    let th = (SHARPNESS_WIDTH as f32 * (y1 - y0) as f32 / (x1 - x0) as f32).round() as u32;
    let (gw, gh) = (SHARPNESS_WIDTH, th.max(8));
    let g = crate::kernels::resample::triangle_grey(&grey, cw, ch, gw as usize, gh as usize);
    // Whole numbers throughout (levels, and the Laplacian of levels), so
    // the sums are exact in integers: row by row in 32 bits (a row of 96
    // squared Laplacians is at most about 10^8), then in 64, and exact as
    // f64 too (far below 2^53).
    let gwu = gw as usize;
    let (mut n, mut s, mut s2, mut l, mut l2) = (0i64, 0i64, 0i64, 0i64, 0i64);
    for rows in g.chunks_exact(gwu).collect::<Vec<_>>().windows(3) {
        let (up, mid, down) = (rows[0], rows[1], rows[2]);
        let (mut rs, mut rs2, mut rl, mut rl2) = (0i32, 0i32, 0i32, 0i32);
        for (x, &c) in mid.iter().enumerate().take(gwu - 1).skip(1) {
            let v = c as i32;
            let lap = mid[x - 1] as i32 + mid[x + 1] as i32 + up[x] as i32 + down[x] as i32 - 4 * v;
            rs += v;
            rs2 += v * v;
            rl += lap;
            rl2 += lap * lap;
        }
        n += gwu as i64 - 2;
        s += rs as i64;
        s2 += rs2 as i64;
        l += rl as i64;
        l2 += rl2 as i64;
    }
    let (n, s, s2, l, l2) = (n as f64, s as f64, s2 as f64, l as f64, l2 as f64);
    let var = s2 / n - (s / n).powi(2);
    let lap_var = l2 / n - (l / n).powi(2);
    if var <= 1.0 {
        return 0.0;
    }
    (lap_var / var) as f32
}

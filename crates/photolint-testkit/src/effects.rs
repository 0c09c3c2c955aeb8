//! Light edits on a finished frame: a specular highlight with a soft
//! falloff, a change of exposure, a shadow across one side of the face, blur.

use image::RgbImage;

/// Adds a round highlight on the forehead: centred above the mid-point of
/// the eye centres `eyes` by 0.6 eye distances, with `sigma` and `peak` as in
/// [`specular`].
pub fn forehead_spot(img: &mut RgbImage, eyes: [(f32, f32); 2], sigma: f32, peak: f32) {
    let (x, y) = ((eyes[0].0 + eyes[1].0) / 2.0, (eyes[0].1 + eyes[1].1) / 2.0);
    let ed = eyes[1].0 - eyes[0].0;
    specular(img, (x, y - 0.6 * ed), sigma, peak, 1.0);
}

/// Adds a specular highlight: each pixel moves towards white by
/// `peak * exp(-r² / 2σ²)`, r measured from `centre` with the vertical
/// distance divided by `aspect` (1: round).
pub fn specular(img: &mut RgbImage, centre: (f32, f32), sigma: f32, peak: f32, aspect: f32) {
    let reach = 4.0 * sigma * aspect.max(1.0);
    let (w, h) = img.dimensions();
    let x0 = (centre.0 - reach).max(0.0) as u32;
    let x1 = ((centre.0 + reach).max(0.0) as u32).min(w);
    let y0 = (centre.1 - reach).max(0.0) as u32;
    let y1 = ((centre.1 + reach).max(0.0) as u32).min(h);
    for y in y0..y1 {
        for x in x0..x1 {
            let dx = x as f32 + 0.5 - centre.0;
            let dy = (y as f32 + 0.5 - centre.1) / aspect;
            let a = peak * (-(dx * dx + dy * dy) / (2.0 * sigma * sigma)).exp();
            let p = img.get_pixel_mut(x, y);
            for c in p.0.iter_mut() {
                *c = (*c as f32 + a * (255.0 - *c as f32))
                    .round()
                    .clamp(0.0, 255.0) as u8;
            }
        }
    }
}

fn to_linear(v: u8) -> f32 {
    let c = v as f32 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn to_srgb(l: f32) -> u8 {
    let l = l.clamp(0.0, 1.0);
    let c = if l <= 0.003_130_8 {
        12.92 * l
    } else {
        1.055 * l.powf(1.0 / 2.4) - 0.055
    };
    (c * 255.0).round() as u8
}

/// Changes exposure by `ev` stops: every linear channel times 2^ev, clipped
/// at white as a camera sensor clips.
pub fn exposure(img: &mut RgbImage, ev: f32) {
    let k = 2f32.powf(ev);
    let table: Vec<u8> = (0..=255u8).map(|v| to_srgb(to_linear(v) * k)).collect();
    for p in img.pixels_mut() {
        for c in p.0.iter_mut() {
            *c = table[*c as usize];
        }
    }
}

/// A shadow across the image-right half of the face, as from a lamp on the
/// left: light falls off to `1 - strength` from the face's centre line
/// `centre_x` to 0.35 face widths right of it, inside a soft ellipse around
/// the face (centre `(centre_x, centre_y)`, semi-axes 0.5 and 0.8 face
/// widths) so the backdrop is not darkened.
pub fn side_shadow(img: &mut RgbImage, centre: (f32, f32), face_width: f32, strength: f32) {
    let (w, h) = img.dimensions();
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as f32 + 0.5 - centre.0, y as f32 + 0.5 - centre.1);
            let e = (dx / (0.5 * face_width)).powi(2) + (dy / (0.8 * face_width)).powi(2);
            if e >= 1.2 {
                continue;
            }
            let inside = ((1.2 - e) / 0.3).clamp(0.0, 1.0);
            let t = ((dx + 0.1 * face_width) / (0.45 * face_width)).clamp(0.0, 1.0);
            let ramp = t * t * (3.0 - 2.0 * t);
            let k = 1.0 - strength * ramp * inside;
            let p = img.get_pixel_mut(x, y);
            for c in p.0.iter_mut() {
                *c = to_srgb(to_linear(*c) * k);
            }
        }
    }
}

//! Compositing: the person cut from the sample's grey backdrop with a soft
//! matte, continued below the photographed crop, placed in the frame on a
//! chosen backdrop, and dressed in a chosen colour.

use image::{imageops, GrayImage, Luma, Rgb, RgbImage};
use palette::{FromColor, Lch, Srgb};

use crate::{Base, Placement};

/// Rows added below each portrait, so the body reaches the bottom of any
/// frame it is placed in (the smallest face the fixtures use is about 0.6x
/// the source).
const EXTRA_ROWS: u32 = 600;

/// The soft matte: opacity rises from 0 to 1 as a pixel's RGB distance to the
/// local grey goes from `MATTE_LO` to `MATTE_HI`.
const MATTE_LO: f32 = 14.0;
const MATTE_HI: f32 = 36.0;

/// Below the crop, the last rows are stretched downwards: extension row `d`
/// shows source row `last - STRETCH * (1 - exp(-d / STRETCH))`.
const STRETCH: f32 = 30.0;

/// Width of a crew neck's rib either side of the neckline opening, px.
const RIB: u32 = 6;

/// A colour in CIE LCh (D65): lightness, chroma, hue in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LchColour {
    /// Lightness L*, 0..100.
    pub l: f32,
    /// Chroma C*.
    pub c: f32,
    /// Hue angle, degrees.
    pub h: f32,
}

impl LchColour {
    /// The LCh value of an sRGB colour.
    pub fn from_rgb(p: [f32; 3]) -> LchColour {
        let s = Srgb::new(p[0] / 255.0, p[1] / 255.0, p[2] / 255.0).into_linear::<f32>();
        let lch: Lch = Lch::from_color(s);
        LchColour {
            l: lch.l,
            c: lch.chroma,
            h: lch.hue.into_positive_degrees(),
        }
    }

    /// The colour moved lighter and paler (equal steps of L* and C*) until
    /// it is `delta_e` (CIEDE2000) from this one.
    pub fn lighter_by(self, delta_e: f32) -> LchColour {
        use palette::color_difference::Ciede2000;
        let at = |t: f32| LchColour {
            l: (self.l + t).min(100.0),
            c: (self.c - t).max(0.0),
            h: self.h,
        };
        let lab =
            |c: LchColour| -> palette::Lab { palette::Lab::from_color(Lch::new(c.l, c.c, c.h)) };
        let (mut lo, mut hi) = (0f32, 60f32);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if lab(self).difference(lab(at(mid))) < delta_e {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        at(lo)
    }

    /// The sRGB value (clipped to the gamut).
    pub fn to_rgb(self) -> [f32; 3] {
        let lch: Lch = Lch::new(self.l, self.c, self.h);
        let s: Srgb = Srgb::from_linear(palette::LinSrgb::from_color(lch));
        [s.red, s.green, s.blue].map(|v| v.clamp(0.0, 1.0) * 255.0)
    }
}

/// Dark, nearly colourless fabric (the samples' black tops): 1 for fabric,
/// falling to 0 towards skin, hair highlights and the backdrop.
fn fabric_weight(p: [f32; 3]) -> f32 {
    let c = LchColour::from_rgb(p);
    ((30.0 - c.l) / 10.0).clamp(0.0, 1.0) * ((14.0 - c.c) / 6.0).clamp(0.0, 1.0)
}

fn rgb_dist(a: [f32; 3], b: [f32; 3]) -> f32 {
    (0..3).map(|i| (a[i] - b[i]).powi(2)).sum::<f32>().sqrt()
}

fn px(img: &RgbImage, x: u32, y: u32) -> [f32; 3] {
    img.get_pixel(x, y).0.map(|v| v as f32)
}

/// The backdrop grey row by row along each edge, followed from the top
/// while it changes slowly (the samples' grey darkens towards the bottom),
/// held where hair or shoulders reach the edge.
fn edge_greys(src: &RgbImage, start: [u8; 3]) -> [Vec<[f32; 3]>; 2] {
    let (w, h) = src.dimensions();
    let band = 10.min(w);
    [0, w - band].map(|x0| {
        let mut cur = start.map(|v| v as f32);
        (0..h)
            .map(|y| {
                let mut m = [0f32; 3];
                for x in x0..x0 + band {
                    let p = px(src, x, y);
                    for i in 0..3 {
                        m[i] += p[i] / band as f32;
                    }
                }
                if rgb_dist(m, cur) < 5.0 {
                    cur = m;
                }
                cur
            })
            .collect()
    })
}

/// A base ready to be placed: colour, matte and garment weight, with rows
/// added below the photographed crop.
pub struct Prepared {
    /// The portrait (backdrop pixels still grey), extended downwards.
    pub rgb: RgbImage,
    /// Opacity of the person, 0..255.
    pub alpha: GrayImage,
    /// How much of each pixel is the top (recoloured when dressing), 0..255.
    pub garment: GrayImage,
    /// Height of the portrait as photographed, before rows were added.
    pub source_height: u32,
    /// Where the neckline closes below the crop (source px), the top of a tie.
    pub neckline_bottom: (f32, f32),
    /// The person's skin on the cheeks.
    pub skin: LchColour,
}

/// Mattes `base` off its grey backdrop and extends it downwards: below the
/// crop the clothing band is mirrored (keeping its texture), and the skin in
/// the neckline closes in a rounded U, the rest of the opening taking the
/// colour of the fabric beside it.
pub fn prepare(base: &Base) -> Prepared {
    let src = crate::base_pixels(base);
    let (w, h) = src.dimensions();
    let [left, right] = edge_greys(&src, base.background);
    let mut alpha = GrayImage::new(w, h + EXTRA_ROWS);
    let mut garment = GrayImage::new(w, h + EXTRA_ROWS);
    let garment_at = |x: u32, y: u32, p: [f32; 3]| -> f32 {
        let (xf, yf) = (x as f32, y as f32);
        if !base.dressed {
            return 0.0;
        }
        // A soft 3 px edge along the line, not a cut.
        let below = ((yf - base.garment_top_at(xf)) / 3.0).clamp(0.0, 1.0);
        below * fabric_weight(p)
    };
    for y in 0..h {
        for x in 0..w {
            let t = x as f32 / (w - 1) as f32;
            let (l, r) = (left[y as usize], right[y as usize]);
            let grey = [0, 1, 2].map(|i| l[i] + t * (r[i] - l[i]));
            let p = px(&src, x, y);
            let a = ((rgb_dist(p, grey) - MATTE_LO) / (MATTE_HI - MATTE_LO)).clamp(0.0, 1.0);
            alpha.put_pixel(x, y, Luma([(a * 255.0).round() as u8]));
            let g = garment_at(x, y, p) * a;
            garment.put_pixel(x, y, Luma([(g * 255.0).round() as u8]));
        }
    }
    // The whites of the eyes are as light as the studio backdrop, so the
    // colour matte above takes them for backdrop; inside the eyes nothing
    // is backdrop.
    let ed = base.eye_right.0 - base.eye_left.0;
    for e in [base.eye_left, base.eye_right] {
        let (x0, x1) = (
            (e.0 - 0.4 * ed).max(0.0) as u32,
            ((e.0 + 0.4 * ed) as u32).min(w),
        );
        let (y0, y1) = (
            (e.1 - 0.2 * ed).max(0.0) as u32,
            ((e.1 + 0.2 * ed) as u32).min(h),
        );
        for y in y0..y1 {
            for x in x0..x1 {
                alpha.put_pixel(x, y, Luma([255]));
                let g = garment_at(x, y, px(&src, x, y));
                garment.put_pixel(x, y, Luma([(g * 255.0).round() as u8]));
            }
        }
    }
    // The neck in the last row: the run of skin around the face's centre line.
    let cx = ((base.eye_left.0 + base.eye_right.0) / 2.0).round() as u32;
    let last = h - 1;
    let neck_ref = px(&src, cx.min(w - 1), last);
    // With a top, the opening is everything between the fabric; without
    // one (hair falling to the crop), the skin close to the neck's colour.
    let opening = |y: u32| -> (u32, u32) {
        let is_neck = |x: u32| {
            let p = px(&src, x, y);
            fabric_weight(p) < 0.5 && (base.dressed || rgb_dist(p, neck_ref) < 45.0)
        };
        let (mut l, mut r) = (cx.min(w - 1), cx.min(w - 1));
        while l > 0 && is_neck(l - 1) {
            l -= 1;
        }
        while r + 1 < w && is_neck(r + 1) {
            r += 1;
        }
        (l, r)
    };
    let (nl, nr) = opening(last);
    let half = (nr - nl) as f32 / 2.0;
    let centre = (nl + nr) as f32 / 2.0;
    let depth = 0.6 * half;
    // Fabric colours either side of the opening (a dark top when the sample
    // shows none, as for hair falling to the crop).
    let side = |x: i64, y: u32| -> [f32; 3] {
        let x = x.clamp(0, w as i64 - 1) as u32;
        let p = px(&src, x, y);
        if fabric_weight(p) > 0.5 {
            p
        } else {
            [24.0, 23.0, 26.0]
        }
    };
    let mut rgb = RgbImage::new(w, h + EXTRA_ROWS);
    imageops::replace(&mut rgb, &src, 0, 0);
    for d in 0..EXTRA_ROWS {
        let y = h + d;
        // The rows just above the crop, stretched smoothly downwards: the
        // fabric's texture and shading continue without mirrored seams.
        let ys = last - (STRETCH * (1.0 - (-(d as f32) / STRETCH).exp())) as u32;
        let open = half * (1.0 - d as f32 / depth).max(0.0).sqrt();
        // The opening in the stretched row, and the collar's rib either
        // side of it, are filled with fabric.
        let (ol, or) = opening(ys);
        let (rl, rr) = (ol.saturating_sub(RIB), (or + RIB).min(w - 1));
        let (fl, fr) = (side(rl as i64 - 1, ys), side(rr as i64 + 1, ys));
        for x in 0..w {
            let xf = x as f32;
            let (p, a, g) = if open >= 0.5 && (xf - centre).abs() < open {
                // Skin closing the neckline.
                (px(&src, x, last), 1.0, 0.0)
            } else if x >= rl && x <= rr {
                // Fabric across the closed opening, shaded from side to side.
                let t = (xf - rl as f32) / (rr - rl).max(1) as f32;
                let p = [0, 1, 2].map(|i| fl[i] + t * (fr[i] - fl[i]));
                (p, 1.0, if base.dressed { 1.0 } else { 0.0 })
            } else {
                let a = alpha.get_pixel(x, ys)[0] as f32 / 255.0;
                let p = px(&src, x, ys);
                (p, a, garment_at(x, y, p) * a)
            };
            rgb.put_pixel(x, y, Rgb(p.map(|v| v.round() as u8)));
            alpha.put_pixel(x, y, Luma([(a * 255.0).round() as u8]));
            garment.put_pixel(x, y, Luma([(g * 255.0).round() as u8]));
        }
    }
    // Skin: median of two cheek patches below the eyes.
    let mut cheeks: Vec<LchColour> = Vec::new();
    for e in [base.eye_left, base.eye_right] {
        let (sx, sy, r) = (e.0, e.1 + 0.5 * ed, (0.12 * ed) as i32);
        for dy in -r..=r {
            for dx in -r..=r {
                let (x, y) = ((sx as i32 + dx) as u32, (sy as i32 + dy) as u32);
                cheeks.push(LchColour::from_rgb(px(&src, x.min(w - 1), y.min(h - 1))));
            }
        }
    }
    let mid = |f: fn(&LchColour) -> f32| {
        let mut v: Vec<f32> = cheeks.iter().map(f).collect();
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    Prepared {
        rgb,
        alpha,
        garment,
        source_height: h,
        neckline_bottom: (centre, last as f32 + depth),
        skin: LchColour {
            l: mid(|c| c.l),
            c: mid(|c| c.c),
            h: mid(|c| c.h),
        },
    }
}

/// What is behind the person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backdrop {
    /// One even colour.
    Flat([u8; 3]),
    /// A vertical gradient from the top colour to the bottom colour.
    Vertical([u8; 3], [u8; 3]),
    /// An even colour darkening towards the corners (a vignette): light
    /// falls to `1 - strength` at the corners, with the square of the
    /// distance from the centre.
    Vignette([u8; 3], f32),
    /// An even colour with the person's soft shadow cast on it, offset
    /// `(dx, dy)` px and darkening by `strength` (0..1) at its core, above
    /// the chin only (a lamp in front and to one side of the head).
    Shadow {
        /// The backdrop colour.
        colour: [u8; 3],
        /// Offset of the shadow, frame px.
        offset: (f32, f32),
        /// Darkening at the shadow's core.
        strength: f32,
    },
}

/// What the person wears.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dress {
    /// The sample's own black top.
    AsPhotographed,
    /// The top recoloured: lightness, chroma and hue set, the fabric's
    /// shading kept (its lightness variations amplified `shading` times).
    Colour(LchColour, f32),
    /// A top near the person's own skin colour: lighter and paler than the
    /// cheeks by this CIEDE2000 distance (0: the skin itself).
    SkinTone(f32),
    /// The top recoloured and a tie of another colour down the middle.
    WithTie(LchColour, LchColour),
}

/// Draws `src` (from [`prepare`]) into `frame` at `p`, over `backdrop` and
/// dressed in `dress`, in the columns `columns`. Outside the prepared
/// portrait the edge pixels are continued (clamped sampling). Returns
/// whether the canvas had to be extended beyond the photographed source.
pub fn place(
    frame: &mut RgbImage,
    src: &Prepared,
    base: &Base,
    p: &Placement,
    backdrop: Backdrop,
    dress: Dress,
    columns: std::ops::Range<u32>,
) -> bool {
    let t = Transform::new(base, p);
    let (fw, fh) = frame.dimensions();
    let sw = src.rgb.width() as f32;
    let orig_h = src.source_height as f32;
    let mut extended = false;
    let mut alpha = vec![0f32; (fw * fh) as usize];
    let mut garment = vec![0f32; (fw * fh) as usize];
    let mut person = vec![[0f32; 3]; (fw * fh) as usize];
    for v in 0..fh {
        for u in columns.clone() {
            let (x, y) = t.inverse((u as f32 + 0.5, v as f32 + 0.5));
            let (x, y) = (x - 0.5, y - 0.5);
            if x < 0.0 || y < 0.0 || x > sw - 1.0 || y > orig_h - 1.0 {
                extended = true;
            }
            // Beyond the sides of the sample, where the person reaches its
            // edge (the shoulders), the columns next to the edge are mirrored
            // so the clothing keeps its texture; elsewhere (backdrop) the edge
            // column is continued.
            let person_at = |xe: u32| {
                let ye = y.clamp(0.0, (src.alpha.height() - 1) as f32) as u32;
                src.alpha.get_pixel(xe, ye)[0] > 128
            };
            let last_col = src.rgb.width() - 1;
            let x = if x < 0.0 && person_at(0) {
                -x
            } else if x > sw - 1.0 && person_at(last_col) {
                2.0 * (sw - 1.0) - x
            } else {
                x
            };
            let i = (v * fw + u) as usize;
            person[i] = bilinear3(&src.rgb, x, y);
            alpha[i] = bilinear1(&src.alpha, x, y) / 255.0;
            garment[i] = bilinear1(&src.garment, x, y) / 255.0;
        }
    }
    let shade = shadow_map(
        &alpha,
        fw,
        fh,
        backdrop,
        t.forward((0.0, base.eye_left.1)).1,
        p,
    );
    let fabric_l = mean_fabric_lightness(&person, &garment);
    let tie = dress_tie(src, &t, p);
    for v in 0..fh {
        for u in columns.clone() {
            let i = (v * fw + u) as usize;
            let bg = backdrop_at(backdrop, u, v, fw, fh).map(|c| c * (1.0 - shade[i]));
            let a = alpha[i];
            let mut out = [0, 1, 2].map(|k| a * person[i][k] + (1.0 - a) * bg[k]);
            let g = garment[i];
            if g > 0.0 {
                let target = match dress {
                    Dress::AsPhotographed => None,
                    Dress::Colour(c, k) => Some((c, k)),
                    Dress::SkinTone(de) => Some((src.skin.lighter_by(de), 1.0)),
                    Dress::WithTie(shirt, tie_colour) => {
                        if tie.is_some_and(|t| t.contains(u as f32, v as f32)) {
                            Some((tie_colour, 2.0))
                        } else {
                            Some((shirt, 2.0))
                        }
                    }
                };
                if let Some((c, k)) = target {
                    let here = LchColour::from_rgb(out);
                    let new = LchColour {
                        l: (c.l + k * (here.l - fabric_l)).clamp(0.0, 100.0),
                        ..c
                    }
                    .to_rgb();
                    out = [0, 1, 2].map(|j| g * new[j] + (1.0 - g) * out[j]);
                }
            }
            frame.put_pixel(u, v, Rgb(out.map(|c| c.round().clamp(0.0, 255.0) as u8)));
        }
    }
    extended
}

/// Mean lightness of the fully garment pixels (the fabric's own level, the
/// centre of its shading).
fn mean_fabric_lightness(person: &[[f32; 3]], garment: &[f32]) -> f32 {
    let (mut sum, mut n) = (0f32, 0f32);
    for (p, &g) in person.iter().zip(garment).step_by(7) {
        if g > 0.9 {
            sum += LchColour::from_rgb(*p).l;
            n += 1.0;
        }
    }
    if n > 0.0 {
        sum / n
    } else {
        7.0
    }
}

/// A tie: a narrow trapezoid from the bottom of the neckline to the bottom
/// of the frame.
#[derive(Debug, Clone, Copy)]
struct Tie {
    x: f32,
    top: f32,
    half_top: f32,
    half_bottom: f32,
    bottom: f32,
}

impl Tie {
    fn contains(&self, u: f32, v: f32) -> bool {
        if v < self.top || v > self.bottom {
            return false;
        }
        let t = (v - self.top) / (self.bottom - self.top).max(1.0);
        (u - self.x).abs() <= self.half_top + t * (self.half_bottom - self.half_top)
    }
}

fn dress_tie(src: &Prepared, t: &Transform, p: &Placement) -> Option<Tie> {
    let (x, top) = t.forward(src.neckline_bottom);
    Some(Tie {
        x,
        top: top - 4.0,
        half_top: 0.05 * p.face_width,
        half_bottom: 0.09 * p.face_width,
        bottom: crate::FRAME_H as f32,
    })
}

/// The darkening (0..1) the backdrop gets from a cast shadow: the person's
/// matte, offset and blurred, above the eye line plus one face width.
fn shadow_map(
    alpha: &[f32],
    w: u32,
    h: u32,
    backdrop: Backdrop,
    eye_y: f32,
    p: &Placement,
) -> Vec<f32> {
    let Backdrop::Shadow {
        offset, strength, ..
    } = backdrop
    else {
        return vec![0.0; alpha.len()];
    };
    let mut shifted = GrayImage::new(w, h);
    let limit = eye_y + p.face_width;
    for v in 0..h {
        for u in 0..w {
            let (x, y) = (u as f32 - offset.0, v as f32 - offset.1);
            if x < 0.0 || y < 0.0 || x >= w as f32 || y >= h as f32 || v as f32 > limit {
                continue;
            }
            let a = alpha[(y as u32 * w + x as u32) as usize];
            shifted.put_pixel(u, v, Luma([(a * 255.0) as u8]));
        }
    }
    let soft = imageops::blur(&shifted, 6.0);
    soft.pixels()
        .map(|q| strength * q[0] as f32 / 255.0)
        .collect()
}

fn backdrop_at(b: Backdrop, u: u32, v: u32, w: u32, h: u32) -> [f32; 3] {
    match b {
        Backdrop::Vignette(c, strength) => {
            let dx = (u as f32 + 0.5) / w as f32 - 0.5;
            let dy = (v as f32 + 0.5) / h as f32 - 0.5;
            // Light falls off in linear light, as a lens vignette does.
            let k = 1.0 - strength * (dx * dx + dy * dy) / 0.5;
            c.map(|x| {
                let l = (x as f32 / 255.0).powf(2.2) * k;
                l.max(0.0).powf(1.0 / 2.2) * 255.0
            })
        }
        Backdrop::Flat(c) | Backdrop::Shadow { colour: c, .. } => c.map(|x| x as f32),
        Backdrop::Vertical(top, bottom) => {
            let t = v as f32 / (h - 1).max(1) as f32;
            [0, 1, 2].map(|i| top[i] as f32 + t * (bottom[i] as f32 - top[i] as f32))
        }
    }
}

fn bilinear_with(w: u32, h: u32, x: f32, y: f32, get: impl Fn(u32, u32) -> [f32; 3]) -> [f32; 3] {
    let (wf, hf) = (w as f32, h as f32);
    let x = x.clamp(0.0, wf - 1.0);
    let y = y.clamp(0.0, hf - 1.0);
    let (x0, y0) = (x.floor(), y.floor());
    let (x1, y1) = ((x0 + 1.0).min(wf - 1.0), (y0 + 1.0).min(hf - 1.0));
    let (fx, fy) = (x - x0, y - y0);
    let (a, b, c, d) = (
        get(x0 as u32, y0 as u32),
        get(x1 as u32, y0 as u32),
        get(x0 as u32, y1 as u32),
        get(x1 as u32, y1 as u32),
    );
    [0, 1, 2].map(|i| {
        let top = a[i] * (1.0 - fx) + b[i] * fx;
        let bot = c[i] * (1.0 - fx) + d[i] * fx;
        top * (1.0 - fy) + bot * fy
    })
}

fn bilinear3(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    bilinear_with(img.width(), img.height(), x, y, |x, y| px(img, x, y))
}

fn bilinear1(img: &GrayImage, x: f32, y: f32) -> f32 {
    bilinear_with(img.width(), img.height(), x, y, |x, y| {
        [img.get_pixel(x, y)[0] as f32; 3]
    })[0]
}

/// The similarity transform of a placement: source point -> frame point.
pub(crate) struct Transform {
    scale: f32,
    cos: f32,
    sin: f32,
    src_mid: (f32, f32),
    dst_mid: (f32, f32),
}

impl Transform {
    pub(crate) fn new(base: &Base, p: &Placement) -> Transform {
        let t = p.roll_degrees.to_radians();
        Transform {
            scale: p.face_width / base.face_width,
            cos: t.cos(),
            sin: t.sin(),
            src_mid: (
                (base.eye_left.0 + base.eye_right.0) / 2.0,
                (base.eye_left.1 + base.eye_right.1) / 2.0,
            ),
            dst_mid: (p.centre_x, p.eye_y),
        }
    }
    pub(crate) fn forward(&self, (x, y): (f32, f32)) -> (f32, f32) {
        let (dx, dy) = (x - self.src_mid.0, y - self.src_mid.1);
        (
            self.dst_mid.0 + self.scale * (self.cos * dx - self.sin * dy),
            self.dst_mid.1 + self.scale * (self.sin * dx + self.cos * dy),
        )
    }
    fn inverse(&self, (u, v): (f32, f32)) -> (f32, f32) {
        let (du, dv) = (
            (u - self.dst_mid.0) / self.scale,
            (v - self.dst_mid.1) / self.scale,
        );
        (
            self.src_mid.0 + self.cos * du + self.sin * dv,
            self.src_mid.1 - self.sin * du + self.cos * dv,
        )
    }
}

//! Colour in CIELAB / LCh (D65): conversion from 8-bit sRGB, CIEDE2000
//! distance, and the plain colour names a report uses ("white", "dark blue").

use std::sync::OnceLock;

use crate::kernels::lanes::{self, Kernel, Lanes};

use wide::{f32x4, f32x8, i32x4};

use palette::color_difference::Ciede2000;
use palette::FromColor;
#[cfg(test)]
use palette::LinSrgb;
use serde::{Deserialize, Serialize};

/// A CIELAB colour (D65 white, L* 0..100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Lab {
    /// Lightness L*, 0 (black) to 100 (white).
    pub l: f32,
    /// a*: green (negative) to red (positive).
    pub a: f32,
    /// b*: blue (negative) to yellow (positive).
    pub b: f32,
}

/// sRGB transfer function, decoded once: 8-bit value -> linear light.
fn linear_table() -> &'static [f32; 256] {
    static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| srgb_to_linear(i as f32 / 255.0)))
}

/// The linear light of the mean of four 8-bit sRGB values, by their sum
/// (0..=1020): a 2x2 block's light from its channel sum ([`crate::kernels::blocks`]).
pub fn block_linear_table() -> &'static [f32; 1021] {
    static TABLE: OnceLock<[f32; 1021]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| srgb_to_linear(i as f32 / 1020.0)))
}

fn srgb_to_linear(c: f32) -> f32 {
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Rec. 601 luma weights times each 8-bit level, one table per channel:
/// `(t[0][r] + t[1][g]) + t[2][b]` is bit for bit
/// `0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32`, with three
/// table reads in place of three conversions and multiplications. The
/// reference the vector path ([`extend_lumas`]) is tested against.
#[cfg(test)]
pub fn luma_tables() -> &'static [[f32; 256]; 3] {
    static TABLE: OnceLock<[[f32; 256]; 3]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let level = |weight: f32| std::array::from_fn(|v| weight * v as f32);
        [level(0.299), level(0.587), level(0.114)]
    })
}

/// The luma (ITU-R BT.601 weights) of an RGB colour given as `f32`s, in
/// the formula's order of additions: what [`luma_tables`] hold, summed.
#[inline(always)]
pub(crate) fn luma_rgb([r, g, b]: [f32; 3]) -> f32 {
    0.299 * r + 0.587 * g + 0.114 * b
}

/// The luma of each RGB pixel of `px` (three bytes each), appended to
/// `out`: the same value as the sum of [`luma_tables`], from the formula's multiplications
/// (which vectorise, with AVX2 where there is one) instead of table reads.
pub(crate) fn extend_lumas(out: &mut Vec<f32>, px: &[u8]) {
    lanes::run(Lumas { px, out });
}

/// [`extend_lumas`] as a [`Kernel`].
struct Lumas<'a> {
    px: &'a [u8],
    out: &'a mut Vec<f32>,
}

impl Kernel for Lumas<'_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        let (px, _) = self.px.as_chunks::<3>();
        self.out
            .extend(px.iter().map(|p| luma_rgb(p.map(f32::from))));
    }
}

/// The cube root of four non-negative values: a first guess from the
/// floats' bits (a third of the exponent), then three Newton steps, each
/// tripling the correct digits; within a few units in the last place.
/// Plain vector arithmetic, where the library root is one value at a time.
fn cbrt4(x: f32x4) -> f32x4 {
    let bits: i32x4 = wide::bytemuck::cast(x);
    let guess =
        (bits.round_float() * f32x4::splat(1.0 / 3.0)).fast_trunc_int() + i32x4::splat(709_921_077);
    let mut y: f32x4 = wide::bytemuck::cast(guess);
    for _ in 0..3 {
        y = (y + y + x / (y * y)) * f32x4::splat(1.0 / 3.0);
    }
    y
}

/// CIELAB's f(t) for four values: the cube root above (6/29)^3, linear below.
fn lab_f4(t: f32x4) -> f32x4 {
    const E: f32 = 216.0 / 24389.0;
    const K: f32 = 24389.0 / 27.0;
    let linear = (f32x4::splat(K) * t + f32x4::splat(16.0)) / f32x4::splat(116.0);
    t.simd_gt(f32x4::splat(E)).select(cbrt4(t), linear)
}

/// CIEDE2000 between eight pairs of colours (L*, a*, b* lanes); see
/// [`Lab::delta_e_many`].
fn ciede2000_8([l1, a1, b1]: [f32x8; 3], [l2, a2, b2]: [f32x8; 3]) -> f32x8 {
    let s = f32x8::splat;
    let (zero, deg) = (s(0.0), s(180.0 / std::f32::consts::PI));
    let rad = |d: f32x8| d * s(std::f32::consts::PI / 180.0);
    let pow7 = |v: f32x8| {
        let v2 = v * v;
        v2 * v2 * v2 * v
    };
    let c1 = (a1 * a1 + b1 * b1).sqrt();
    let c2 = (a2 * a2 + b2 * b2).sqrt();
    let cbar7 = pow7((c1 + c2) * s(0.5));
    let g = s(0.5) * (s(1.0) - (cbar7 / (cbar7 + s(6_103_515_625.0))).sqrt());
    let (a1p, a2p) = ((s(1.0) + g) * a1, (s(1.0) + g) * a2);
    let c1p = (a1p * a1p + b1 * b1).sqrt();
    let c2p = (a2p * a2p + b2 * b2).sqrt();
    // Hue angles in degrees, 0..360 (0 for a grey).
    let hue = |b: f32x8, a: f32x8| {
        let h = b.atan2(a) * deg;
        let h = h.simd_lt(zero).select(h + s(360.0), h);
        (a.simd_eq(zero) & b.simd_eq(zero)).select(zero, h)
    };
    let (h1, h2) = (hue(b1, a1p), hue(b2, a2p));
    let cc = c1p * c2p;
    let grey = cc.simd_eq(zero);
    let dl = l2 - l1;
    let dc = c2p - c1p;
    let dh = h2 - h1;
    let dh = dh.simd_gt(s(180.0)).select(dh - s(360.0), dh);
    let dh = dh.simd_lt(s(-180.0)).select(dh + s(360.0), dh);
    let dh = grey.select(zero, dh);
    let big_h = s(2.0) * cc.sqrt() * (rad(dh) * s(0.5)).sin_cos().0;
    let lbar = (l1 + l2) * s(0.5);
    let cbarp = (c1p + c2p) * s(0.5);
    let sum = h1 + h2;
    let hbar = (h1 - h2).abs().simd_le(s(180.0)).select(
        sum * s(0.5),
        sum.simd_lt(s(360.0))
            .select((sum + s(360.0)) * s(0.5), (sum - s(360.0)) * s(0.5)),
    );
    let hbar = grey.select(sum, hbar);
    let cos_deg = |d: f32x8| rad(d).sin_cos().1;
    let t = s(1.0) - s(0.17) * cos_deg(hbar - s(30.0))
        + s(0.24) * cos_deg(s(2.0) * hbar)
        + s(0.32) * cos_deg(s(3.0) * hbar + s(6.0))
        - s(0.20) * cos_deg(s(4.0) * hbar - s(63.0));
    let x = (hbar - s(275.0)) * s(1.0 / 25.0);
    let dtheta = s(30.0) * (-(x * x)).exp();
    let cbarp7 = pow7(cbarp);
    let rc = s(2.0) * (cbarp7 / (cbarp7 + s(6_103_515_625.0))).sqrt();
    let lm = (lbar - s(50.0)) * (lbar - s(50.0));
    let sl = s(1.0) + s(0.015) * lm / (s(20.0) + lm).sqrt();
    let sc = s(1.0) + s(0.045) * cbarp;
    let sh = s(1.0) + s(0.015) * cbarp * t;
    let rt = -(rad(s(2.0) * dtheta)).sin_cos().0 * rc;
    let (tl, tc, th) = (dl / sl, dc / sc, big_h / sh);
    (tl * tl + tc * tc + th * th + rt * tc * th)
        .max(zero)
        .sqrt()
}

/// CIELAB L*, a* and b* of four linear-light sRGB colours, one per lane.
fn lab4([r, g, b]: [f32x4; 3]) -> [f32x4; 3] {
    let s = f32x4::splat;
    // sRGB (D65) to XYZ, each row divided by the D65 white's X, Y, Z.
    let x = (s(0.412_456_4) * r + s(0.357_576_1) * g + s(0.180_437_5) * b) / s(0.950_47);
    let y = s(0.212_672_9) * r + s(0.715_152_2) * g + s(0.072_175) * b;
    let z = (s(0.019_333_9) * r + s(0.119_192) * g + s(0.950_304_1) * b) / s(1.088_83);
    let (fx, fy, fz) = (lab_f4(x), lab_f4(y), lab_f4(z));
    [
        s(116.0) * fy - s(16.0),
        s(500.0) * (fx - fy),
        s(200.0) * (fy - fz),
    ]
}

impl Lab {
    /// The CIELAB value of an 8-bit sRGB colour.
    pub fn from_rgb(rgb: [u8; 3]) -> Lab {
        let t = linear_table();
        Lab::from_linear([t[rgb[0] as usize], t[rgb[1] as usize], t[rgb[2] as usize]])
    }

    /// The CIELAB value of a linear-light sRGB colour (components 0..1).
    pub fn from_linear(rgb: [f32; 3]) -> Lab {
        let [l, a, b] = lab4(rgb.map(f32x4::splat)).map(|v| v.to_array()[0]);
        Lab { l, a, b }
    }

    /// [`Lab::from_linear`] of each colour in `rgb`, appended to `out`:
    /// four at a time (the same arithmetic, lane by lane, so the same values).
    pub fn extend_from_linear(out: &mut Vec<Lab>, rgb: &[[f32; 3]]) {
        let (quads, rest) = rgb.as_chunks::<4>();
        for q in quads {
            let lab = lab4(std::array::from_fn(|c| {
                f32x4::from([q[0][c], q[1][c], q[2][c], q[3][c]])
            }))
            .map(|v| v.to_array());
            out.extend((0..4).map(|k| Lab {
                l: lab[0][k],
                a: lab[1][k],
                b: lab[2][k],
            }));
        }
        out.extend(rest.iter().map(|&c| Lab::from_linear(c)));
    }

    /// Linear light (0..1) of each 8-bit sRGB component value.
    pub fn linear_table() -> &'static [f32; 256] {
        linear_table()
    }

    /// The nearest 8-bit sRGB colour (for drawing and for people who think in RGB).
    pub fn to_rgb(self) -> [u8; 3] {
        let lab = palette::Lab::<palette::white_point::D65, f32>::new(self.l, self.a, self.b);
        let s = palette::Srgb::<f32>::from_color(lab);
        let q = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        [q(s.red), q(s.green), q(s.blue)]
    }

    /// Chroma C*: distance from the grey axis.
    pub fn chroma(self) -> f32 {
        self.a.hypot(self.b)
    }

    /// Hue angle h, degrees 0..360 (0 red, about 90 yellow, 140 green, 250-300 blue).
    pub fn hue(self) -> f32 {
        self.b.atan2(self.a).to_degrees().rem_euclid(360.0)
    }

    /// CIEDE2000 colour difference. About 1 is just noticeable side by side;
    /// above 10 two colours read as different shades.
    pub fn delta_e(self, other: Lab) -> f32 {
        let p = |c: Lab| palette::Lab::<palette::white_point::D65, f32>::new(c.l, c.a, c.b);
        p(self).difference(p(other))
    }

    /// The CIEDE2000 distance from each colour of `colours` to `to`
    /// (Sharma, Wu and Dalal's formulas), eight at a time in vector
    /// arithmetic: where [`Lab::delta_e`] makes a library call for every
    /// arctangent, sine, cosine and exponential, these are polynomial
    /// approximations over eight lanes at once. Within 1e-3 of
    /// [`Lab::delta_e`] (a test holds it), far below what a person sees.
    pub fn delta_e_many(colours: &[Lab], to: Lab) -> Vec<f32> {
        Lab::delta_e_pairs(colours, |_| to)
    }

    /// [`Lab::delta_e_many`] from each colour of `colours` to its own
    /// `to(k)` (`k` its place in `colours`).
    pub fn delta_e_pairs(colours: &[Lab], to: impl Fn(usize) -> Lab) -> Vec<f32> {
        let mut out = Vec::with_capacity(colours.len().div_ceil(8) * 8);
        for (g, group) in colours.chunks(8).enumerate() {
            let other: [Lab; 8] = std::array::from_fn(|k| {
                if k < group.len() {
                    to(8 * g + k)
                } else {
                    Lab {
                        l: 0.0,
                        a: 0.0,
                        b: 0.0,
                    }
                }
            });
            let lanes = |cs: &[Lab]| -> [f32x8; 3] {
                let lane = |f: fn(&Lab) -> f32| {
                    f32x8::new(std::array::from_fn(|k| cs.get(k).map_or(0.0, f)))
                };
                [lane(|c| c.l), lane(|c| c.a), lane(|c| c.b)]
            };
            let d = ciede2000_8(lanes(group), lanes(&other));
            out.extend_from_slice(&d.to_array()[..group.len()]);
        }
        out
    }

    /// [`Lab::within`] for each colour of `colours` and its own limit
    /// colour `to(k)`: the bounds settle most pairs, the rest are measured
    /// eight at a time ([`Lab::delta_e_pairs`]).
    pub fn within_many(colours: &[Lab], to: impl Fn(usize) -> Lab, limit: f32) -> Vec<bool> {
        let mut out = Vec::with_capacity(colours.len());
        let mut open = Vec::new();
        for (k, &c) in colours.iter().enumerate() {
            let other = to(k);
            out.push(c.within_by_bounds(other, limit).unwrap_or_else(|| {
                open.push((k, c, other));
                false
            }));
        }
        let unsettled: Vec<Lab> = open.iter().map(|o| o.1).collect();
        let d = Lab::delta_e_pairs(&unsettled, |j| open[j].2);
        for (&(k, _, _), d) in open.iter().zip(d) {
            out[k] = d < limit;
        }
        out
    }

    /// True when the CIEDE2000 distance to `other` is below `limit`,
    /// skipping the full formula when a bound already settles it.
    pub fn within(self, other: Lab, limit: f32) -> bool {
        self.within_by_bounds(other, limit)
            .unwrap_or_else(|| self.delta_e(other) < limit)
    }

    /// [`Lab::within`] when the bounds settle it, `None` when only the
    /// distance itself can.
    fn within_by_bounds(self, other: Lab, limit: f32) -> Option<bool> {
        match self.delta_e_bounds(other) {
            (_, hi) if hi < limit => Some(true),
            (lo, _) if lo >= limit => Some(false),
            _ => None,
        }
    }

    /// True when the CIEDE2000 distance to `other` is at most `limit`
    /// (as [`Lab::within`], the limit included).
    pub fn within_or_at(self, other: Lab, limit: f32) -> bool {
        match self.delta_e_bounds(other) {
            (_, hi) if hi <= limit => true,
            (lo, _) if lo > limit => false,
            _ => self.delta_e(other) <= limit,
        }
    }

    /// Bounds of the CIEDE2000 distance to `other` that need no angles.
    ///
    /// Above: at most 2.12 times the plain Lab distance (its weights are at
    /// least 1, a* is stretched at most 1.5 times, so the chroma and hue
    /// differences together are at most 1.5 times the a*b* distance, and
    /// the rotation term at most doubles that part); 2.2 is used. Below: at
    /// least the lightness term alone, |dL| / S_L, since the chroma, hue and
    /// rotation terms together are never negative (the rotation factor is
    /// at most 2 in size, and 2|xy| <= x^2 + y^2); taken 0.1 % lower, far
    /// beyond the formula's rounding in `f32`.
    fn delta_e_bounds(self, other: Lab) -> (f32, f32) {
        let (dl, da, db) = (self.l - other.l, self.a - other.a, self.b - other.b);
        let hi = 2.2 * (dl * dl + da * da + db * db).sqrt();
        let t = (self.l + other.l) / 2.0 - 50.0;
        let s_l = 1.0 + 0.015 * t * t / (t * t + 20.0).sqrt();
        (0.999 * dl.abs() / s_l, hi)
    }

    /// Mean of a set of colours (component-wise; `None` when empty).
    pub fn mean(colours: &[Lab]) -> Option<Lab> {
        if colours.is_empty() {
            return None;
        }
        let n = colours.len() as f64;
        let (mut l, mut a, mut b) = (0f64, 0f64, 0f64);
        for c in colours {
            l += c.l as f64;
            a += c.a as f64;
            b += c.b as f64;
        }
        Some(Lab {
            l: (l / n) as f32,
            a: (a / n) as f32,
            b: (b / n) as f32,
        })
    }

    /// Component-wise median (robust to a few odd pixels; `None` when empty).
    pub fn median(colours: &[Lab]) -> Option<Lab> {
        if colours.is_empty() {
            return None;
        }
        let mid = |f: fn(&Lab) -> f32| {
            let mut v: Vec<f32> = colours.iter().map(f).collect();
            let at = v.len() / 2;
            *v.select_nth_unstable_by(at, f32::total_cmp).1
        };
        Some(Lab {
            l: mid(|c| c.l),
            a: mid(|c| c.a),
            b: mid(|c| c.b),
        })
    }

    /// The plain name of this colour.
    pub fn name(self) -> ColourName {
        ColourName::of(self)
    }
}

/// Plain colour names, as a person would say them about a background or a top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColourName {
    /// White.
    White,
    /// Light grey.
    LightGrey,
    /// Grey.
    Grey,
    /// Dark grey / charcoal.
    DarkGrey,
    /// Black.
    Black,
    /// Red.
    Red,
    /// Dark red / maroon.
    DarkRed,
    /// Pink.
    Pink,
    /// Orange.
    Orange,
    /// Brown.
    Brown,
    /// Beige / skin tones / khaki.
    Beige,
    /// Yellow.
    Yellow,
    /// Olive.
    Olive,
    /// Yellow-green.
    YellowGreen,
    /// Green.
    Green,
    /// Cyan / teal.
    Cyan,
    /// Light blue / sky blue.
    LightBlue,
    /// Blue.
    Blue,
    /// Dark blue / navy.
    DarkBlue,
    /// Purple / violet.
    Purple,
}

impl ColourName {
    /// Names a CIELAB colour by lightness, chroma and hue. The hue sectors
    /// follow where the CIELAB hue angle puts everyday colours (red about 35,
    /// orange 65, yellow 95, yellow-green 120, green 145, cyan 210, sky blue
    /// 235-265, blue 295, purple 330 degrees).
    pub fn of(c: Lab) -> ColourName {
        use ColourName::*;
        let (l, ch, h) = (c.l, c.chroma(), c.hue());
        if ch < 10.0 {
            return match l {
                l if l >= 90.0 => White,
                l if l >= 72.0 => LightGrey,
                l if l >= 40.0 => Grey,
                l if l >= 20.0 => DarkGrey,
                _ => Black,
            };
        }
        if l < 12.0 && ch < 25.0 {
            return Black;
        }
        match h {
            // Muted red-oranges are skin tones, tan and brown, not red.
            h if (20.0..45.0).contains(&h) && ch < 35.0 => {
                if l >= 65.0 {
                    Beige
                } else {
                    Brown
                }
            }
            h if !(45.0..345.0).contains(&h) => {
                if l >= 70.0 && ch < 50.0 {
                    Pink
                } else if l < 30.0 {
                    DarkRed
                } else {
                    Red
                }
            }
            h if h < 80.0 => {
                if l >= 62.0 && ch < 40.0 {
                    Beige
                } else if l < 50.0 {
                    Brown
                } else {
                    Orange
                }
            }
            h if h < 110.0 => {
                if l >= 62.0 && ch < 28.0 {
                    Beige
                } else if l < 55.0 {
                    Olive
                } else {
                    Yellow
                }
            }
            h if h < 135.0 => YellowGreen,
            h if h < 195.0 => Green,
            h if h < 225.0 => Cyan,
            h if h < 315.0 => {
                if l >= 60.0 {
                    LightBlue
                } else if l < 35.0 {
                    DarkBlue
                } else {
                    Blue
                }
            }
            _ => Purple,
        }
    }

    /// English name.
    pub fn en(self) -> &'static str {
        use ColourName::*;
        match self {
            White => "white",
            LightGrey => "light grey",
            Grey => "grey",
            DarkGrey => "dark grey",
            Black => "black",
            Red => "red",
            DarkRed => "dark red",
            Pink => "pink",
            Orange => "orange",
            Brown => "brown",
            Beige => "beige",
            Yellow => "yellow",
            Olive => "olive",
            YellowGreen => "yellow-green",
            Green => "green",
            Cyan => "cyan",
            LightBlue => "light blue",
            Blue => "blue",
            DarkBlue => "dark blue",
            Purple => "purple",
        }
    }

    /// Chinese name (from the Chinese catalogue, `locales/zh.toml`).
    pub fn zh(self) -> &'static str {
        crate::rules::text::term(crate::Lang::Zh, self.en())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn luma_tables_add_up_to_the_formula_bit_for_bit() {
        let t = super::luma_tables();
        for r in (0..=255u8).step_by(3) {
            for g in 0..=255u8 {
                for b in (0..=255u8).step_by(5) {
                    let want = 0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32;
                    let got = t[0][r as usize] + t[1][g as usize] + t[2][b as usize];
                    assert_eq!(got.to_bits(), want.to_bits(), "{r} {g} {b}");
                }
            }
        }
    }

    use super::*;

    /// The vector CIEDE2000 follows the library's on colour pairs all
    /// round the hue circle (the wrap-around at 0/360, opposite hues,
    /// greys, the blue region where the rotation term is largest), and
    /// keeps the list's order and length.
    #[test]
    fn vector_ciede2000_follows_the_library() {
        let mut colours = Vec::new();
        for l in [5.0f32, 30.0, 55.0, 76.0, 98.0] {
            for c in [0.0f32, 0.4, 3.0, 12.0, 35.0, 70.0] {
                for h in (0..360).step_by(7) {
                    let (s, co) = (h as f32).to_radians().sin_cos();
                    colours.push(Lab {
                        l,
                        a: c * co,
                        b: c * s,
                    });
                }
            }
        }
        let targets = [
            Lab {
                l: 76.0,
                a: -8.0,
                b: -30.0,
            },
            Lab {
                l: 50.0,
                a: 0.0,
                b: 0.0,
            },
            Lab {
                l: 60.0,
                a: 40.0,
                b: 2.0,
            },
            Lab {
                l: 35.0,
                a: 0.5,
                b: -0.3,
            },
        ];
        for to in targets {
            let many = Lab::delta_e_many(&colours[..colours.len() - 3], to);
            assert_eq!(many.len(), colours.len() - 3);
            for (c, d) in colours.iter().zip(&many) {
                let want = c.delta_e(to);
                assert!(
                    (d - want).abs() <= 1e-3 * want.max(1.0),
                    "{c:?} {to:?}: {d} vs {want}"
                );
            }
        }
    }

    #[test]
    fn reference_values() {
        // sRGB white is L* 100, a* b* 0; the diploma blue is L* 76, h 252.
        let w = Lab::from_rgb([255, 255, 255]);
        assert!((w.l - 100.0).abs() < 0.1 && w.chroma() < 0.1);
        let blue = Lab::from_rgb([100, 197, 255]);
        assert!((blue.l - 76.0).abs() < 0.5, "{blue:?}");
        assert!((blue.hue() - 252.0).abs() < 1.5, "{}", blue.hue());
        assert_eq!(blue.to_rgb(), [100, 197, 255]);
    }

    /// The vector cube root is the library's within a few units in the
    /// last place over the range CIELAB takes it on (past the linear part
    /// up to a little over white), and the batch conversion gives exactly
    /// the one-colour conversion's values.
    #[test]
    fn vector_cube_root_and_batch_conversion() {
        let mut worst = 0f32;
        for i in 0..=20_000 {
            let x = 0.008 + i as f32 * (1.2 / 20_000.0);
            let got = super::cbrt4(f32x4::splat(x)).to_array()[0];
            worst = worst.max((got - x.cbrt()).abs() / x.cbrt());
        }
        assert!(worst < 4.0 * f32::EPSILON, "relative error {worst}");
        let colours: Vec<[f32; 3]> = (0..23)
            .map(|i| {
                let v = i as f32 / 22.0;
                [v, (v * 7.0) % 1.0, 1.0 - v]
            })
            .collect();
        let mut batch = Vec::new();
        Lab::extend_from_linear(&mut batch, &colours);
        let one: Vec<Lab> = colours.iter().map(|&c| Lab::from_linear(c)).collect();
        assert_eq!(batch, one);
    }

    #[test]
    fn fast_conversion_matches_palette() {
        for rgb in [
            [0u8, 0, 0],
            [3, 2, 1],
            [100, 197, 255],
            [255, 255, 255],
            [210, 35, 40],
            [20, 60, 10],
        ] {
            let t = linear_table();
            let lin = LinSrgb::new(t[rgb[0] as usize], t[rgb[1] as usize], t[rgb[2] as usize]);
            let p = palette::Lab::<palette::white_point::D65, f32>::from_color(lin);
            let q = Lab::from_rgb(rgb);
            let err = (p.l - q.l)
                .abs()
                .max((p.a - q.a).abs())
                .max((p.b - q.b).abs());
            assert!(err < 0.01, "{rgb:?}: palette {p:?}, fast {q:?}");
        }
    }

    #[test]
    fn within_agrees_with_the_full_formula() {
        let mut n = 0;
        for r in (0..=255).step_by(17) {
            for g in (0..=255).step_by(17) {
                for b in (0..=255).step_by(17) {
                    let c = Lab::from_rgb([r as u8, g as u8, b as u8]);
                    let refc = Lab::from_rgb([100, 197, 255]);
                    for limit in [3.0, 8.0, 12.0] {
                        assert_eq!(
                            c.within(refc, limit),
                            c.delta_e(refc) < limit,
                            "{r},{g},{b}"
                        );
                        n += 1;
                    }
                    // Both bounds hold, against a skin tone too.
                    let skin = Lab::from_rgb([224, 172, 140]);
                    for other in [refc, skin] {
                        let (lo, hi) = c.delta_e_bounds(other);
                        let d = c.delta_e(other);
                        assert!(lo <= d && d <= hi, "{r},{g},{b}: {lo} {d} {hi}");
                        for limit in [5.0, 12.0, d] {
                            assert_eq!(c.within_or_at(other, limit), d <= limit);
                            assert_eq!(c.within(other, limit), d < limit);
                        }
                    }
                }
            }
        }
        assert!(n > 10_000);
    }

    #[test]
    fn ciede2000_sharma_pair() {
        // Sharma, Wu & Dalal (2005) test data, pair 1: 2.0425.
        let a = Lab {
            l: 50.0,
            a: 2.6772,
            b: -79.7751,
        };
        let b = Lab {
            l: 50.0,
            a: 0.0,
            b: -82.7485,
        };
        assert!((a.delta_e(b) - 2.0425).abs() < 1e-3, "{}", a.delta_e(b));
    }

    #[test]
    fn everyday_names() {
        use ColourName::*;
        for (rgb, name) in [
            ([100, 197, 255], LightBlue),
            ([135, 206, 235], LightBlue),
            ([255, 255, 255], White),
            ([240, 240, 240], White),
            ([209, 213, 215], LightGrey),
            ([128, 128, 128], Grey),
            ([50, 52, 58], DarkGrey),
            ([15, 15, 18], Black),
            ([20, 30, 80], DarkBlue),
            ([30, 80, 200], Blue),
            ([220, 30, 30], Red),
            ([250, 220, 40], Yellow),
            ([154, 205, 50], YellowGreen),
            ([40, 160, 60], Green),
            ([225, 195, 160], Beige),
            ([120, 75, 40], Brown),
            ([149, 109, 97], Brown),
            ([136, 91, 77], Brown),
            ([235, 182, 155], Beige),
            ([255, 180, 200], Pink),
            ([128, 0, 128], Purple),
        ] {
            assert_eq!(Lab::from_rgb(rgb).name(), name, "{rgb:?}");
        }
    }
}

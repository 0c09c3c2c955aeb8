//! Area-average downscaling: each output pixel is the mean of the source
//! pixels it covers, fractional edges weighted by how much of them it covers.
//!
//! The face detector and the focus measure both want a reduced copy of part
//! of the photo. A general-purpose filter (the image crate's triangle
//! resize) widens its kernel with the reduction and cost more than the
//! detector itself; the box average reads every source pixel once.

use crate::kernels::lanes::{self, Kernel, Lanes};

/// Weights of one output sample: the first source index and the share of
/// each source sample from there on.
struct Taps {
    start: usize,
    weights: Vec<f32>,
}

/// For each of `dst` outputs over `src` inputs (`dst <= src`), the source
/// samples it covers and their weights (summing to 1).
fn taps(src: usize, dst: usize) -> Vec<Taps> {
    let ratio = src as f64 / dst as f64;
    (0..dst)
        .map(|o| {
            let (a, b) = (o as f64 * ratio, ((o + 1) as f64 * ratio).min(src as f64));
            let start = a.floor() as usize;
            let end = (b.ceil() as usize).clamp(start + 1, src);
            let weights = (start..end)
                .map(|s| {
                    let cover = (b.min(s as f64 + 1.0) - a.max(s as f64)).max(0.0);
                    (cover / ratio) as f32
                })
                .collect();
            Taps { start, weights }
        })
        .collect()
}

/// Averages the `width` x `height` image `src` (`channels` interleaved
/// bytes per pixel, rows `stride` bytes apart) down to `dw` x `dh`
/// (each at most the source's, at least 1), interleaved `f32` out.
pub(crate) fn area_average(
    src: &[u8],
    width: usize,
    height: usize,
    stride: usize,
    channels: usize,
    dw: usize,
    dh: usize,
) -> Vec<f32> {
    let (dw, dh) = (dw.clamp(1, width.max(1)), dh.clamp(1, height.max(1)));
    let mut out = vec![0f32; dw * dh * channels];
    if width == 0 || height == 0 || src.len() < (height - 1) * stride + width * channels {
        return out;
    }
    if width.is_multiple_of(dw) && height.is_multiple_of(dh) {
        block_average(
            src,
            stride,
            channels,
            width / dw,
            height / dh,
            dw,
            dh,
            &mut out,
        );
        return out;
    }
    match channels {
        1 => lanes::run(Fractional::<1>(
            src,
            (width, height, stride),
            (dw, dh),
            &mut out,
        )),
        3 => lanes::run(Fractional::<3>(
            src,
            (width, height, stride),
            (dw, dh),
            &mut out,
        )),
        4 => lanes::run(Fractional::<4>(
            src,
            (width, height, stride),
            (dw, dh),
            &mut out,
        )),
        _ => plain(src, (width, height, stride, channels, dw, dh), &mut out),
    }
    out
}

/// The source rows of one output row (`t`) added down each column with
/// their weights, top to bottom, into `col` (one value per byte of a row).
#[inline(always)]
fn column_sums(src: &[u8], stride: usize, t: &Taps, col: &mut [f32]) {
    col.fill(0.0);
    let n = col.len();
    for (k, &wy) in t.weights.iter().enumerate() {
        let start = (t.start + k) * stride;
        for (a, &v) in col.iter_mut().zip(&src[start..start + n]) {
            *a += wy * v as f32;
        }
    }
}

/// Source width, height and row stride, channels, output width and height.
type Shape = (usize, usize, usize, usize, usize, usize);

/// The fractional-ratio case for any number of channels, one value at a
/// time: the reference [`fractional`] is tested against. Each output is
/// its source rows added down each column first (with their weights, top to
/// bottom), then those column sums added across (left to right).
fn plain(src: &[u8], shape: Shape, out: &mut [f32]) {
    let channels = shape.3;
    rows_then_columns(src, shape, out, |col, tx, cell| {
        for (c, v) in cell.iter_mut().enumerate() {
            let mut s = 0f32;
            for (j, &wx) in tx.weights.iter().enumerate() {
                s += wx * col[(tx.start + j) * channels + c];
            }
            *v = s;
        }
    });
}

/// [`fractional`] as a [`Kernel`] (plain loops: the compiler vectorises
/// the column sums for the instructions at hand).
struct Fractional<'a, const C: usize>(
    &'a [u8],
    (usize, usize, usize),
    (usize, usize),
    &'a mut [f32],
);

impl<const C: usize> Kernel for Fractional<'_, C> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        let Fractional(src, shape, size, out) = self;
        fractional::<C>(src, shape, size, out);
    }
}

/// The fractional-ratio case for `C` interleaved channels, in the order of
/// [`plain`]: the weighted sum down the columns runs over whole rows (it
/// vectorises), then each output adds its few column sums across, a whole
/// pixel at a time.
#[inline(always)]
fn fractional<const C: usize>(
    src: &[u8],
    (width, height, stride): (usize, usize, usize),
    (dw, dh): (usize, usize),
    out: &mut [f32],
) {
    rows_then_columns(
        src,
        (width, height, stride, C, dw, dh),
        out,
        |col, tx, cell| {
            let px = &col[tx.start * C..(tx.start + tx.weights.len()) * C];
            let mut acc = [0f32; C];
            for (&wx, p) in tx.weights.iter().zip(px.chunks_exact(C)) {
                for c in 0..C {
                    acc[c] += wx * p[c];
                }
            }
            cell.copy_from_slice(&acc);
        },
    );
}

/// The frame of both fractional cases: for each output row, the column
/// sums of its source rows ([`column_sums`]), then `across` fills each
/// output pixel (`channels` values) from them and its horizontal taps.
#[inline(always)]
fn rows_then_columns(
    src: &[u8],
    (width, height, stride, channels, dw, dh): Shape,
    out: &mut [f32],
    across: impl Fn(&[f32], &Taps, &mut [f32]),
) {
    let horizontal = taps(width, dw);
    let mut col = vec![0f32; width * channels];
    for (t, dst) in taps(height, dh)
        .iter()
        .zip(out.chunks_exact_mut(dw * channels))
    {
        column_sums(src, stride, t, &mut col);
        for (tx, cell) in horizontal.iter().zip(dst.chunks_exact_mut(channels)) {
            across(&col, tx, cell);
        }
    }
}

/// The whole-ratio case: plain sums over `kx` x `ky` blocks.
#[allow(clippy::too_many_arguments)]
fn block_average(
    src: &[u8],
    stride: usize,
    channels: usize,
    kx: usize,
    ky: usize,
    dw: usize,
    dh: usize,
    out: &mut [f32],
) {
    match channels {
        1 => block_sums::<1>(src, stride, kx, ky, dw, dh, out),
        3 => block_sums::<3>(src, stride, kx, ky, dw, dh, out),
        4 => block_sums::<4>(src, stride, kx, ky, dw, dh, out),
        _ => {
            // Any other layout: one channel at a time through the 1-channel
            // code would need a de-interleave; plain loops are fine here.
            let scale = 1.0 / (kx * ky) as f32;
            for oy in 0..dh {
                for ox in 0..dw {
                    for c in 0..channels {
                        let mut s = 0u32;
                        for sy in oy * ky..(oy + 1) * ky {
                            for sx in ox * kx..(ox + 1) * kx {
                                s += src[sy * stride + sx * channels + c] as u32;
                            }
                        }
                        out[(oy * dw + ox) * channels + c] = s as f32 * scale;
                    }
                }
            }
        }
    }
}

/// [`block_average`] for `C` interleaved channels: the `ky` rows of a
/// block row are first added into one row of counts (a plain vectorisable
/// sum over bytes), then each run of `kx` pixels of that row is added up.
fn block_sums<const C: usize>(
    src: &[u8],
    stride: usize,
    kx: usize,
    ky: usize,
    dw: usize,
    dh: usize,
    out: &mut [f32],
) {
    let scale = 1.0 / (kx * ky) as f32;
    let span = dw * kx * C;
    // u16 holds the column sums of up to 257 rows of bytes.
    let narrow = ky <= 257;
    let mut acc16 = vec![0u16; if narrow { span } else { 0 }];
    let mut acc32 = vec![0u32; if narrow { 0 } else { span }];
    for (oy, dst) in out.chunks_exact_mut(dw * C).enumerate().take(dh) {
        let rows = (oy * ky..(oy + 1) * ky).map(|sy| &src[sy * stride..sy * stride + span]);
        if narrow {
            acc16.fill(0);
            for row in rows {
                for (a, &v) in acc16.iter_mut().zip(row) {
                    *a += v as u16;
                }
            }
        } else {
            acc32.fill(0);
            for row in rows {
                for (a, &v) in acc32.iter_mut().zip(row) {
                    *a += v as u32;
                }
            }
        }
        for (ox, d) in dst.chunks_exact_mut(C).enumerate() {
            let mut t = [0u32; C];
            for j in 0..kx {
                let at = (ox * kx + j) * C;
                for c in 0..C {
                    t[c] += if narrow {
                        acc16[at + c] as u32
                    } else {
                        acc32[at + c]
                    };
                }
            }
            for c in 0..C {
                d[c] = t[c] as f32 * scale;
            }
        }
    }
}

/// The weights of the triangle filter for `dst` samples over `src`, as the
/// image crate's `resize` computes them: the kernel widened by the
/// reduction, centred on each output sample, normalised to sum 1.
fn triangle_taps(src: usize, dst: usize) -> Vec<Taps> {
    let ratio = src as f32 / dst as f32;
    let sratio = if ratio < 1.0 { 1.0 } else { ratio };
    (0..dst)
        .map(|o| {
            let centre = (o as f32 + 0.5) * ratio;
            let left = ((centre - sratio).floor() as i64).clamp(0, src as i64 - 1);
            let right = ((centre + sratio).ceil() as i64).clamp(left + 1, src as i64);
            let centre = centre - 0.5;
            let mut weights: Vec<f32> = (left..right)
                .map(|i| {
                    let x = ((i as f32 - centre) / sratio).abs();
                    if x < 1.0 {
                        1.0 - x
                    } else {
                        0.0
                    }
                })
                .collect();
            let sum: f32 = weights.iter().sum();
            weights.iter_mut().for_each(|w| *w /= sum);
            Taps {
                start: left as usize,
                weights,
            }
        })
        .collect()
}

/// Resizes a grey `width` x `height` image to `dw` x `dh` with the
/// triangle filter, giving the same bytes as the image crate's
/// `imageops::resize(.., FilterType::Triangle)` (rows first, then columns,
/// the same weights added in the same order, rounded to the nearest
/// level), without its per-pixel generic access.
pub(crate) fn triangle_grey(
    src: &[u8],
    width: usize,
    height: usize,
    dw: usize,
    dh: usize,
) -> Vec<u8> {
    if width == 0 || height == 0 || dw == 0 || dh == 0 || src.len() < width * height {
        return vec![0; dw * dh];
    }
    if (dw, dh) == (width, height) {
        return src[..width * height].to_vec();
    }
    lanes::run(Triangle {
        src,
        width,
        height,
        dw,
        dh,
    })
}

/// [`triangle_grey`]'s two passes as a [`Kernel`] (plain loops: the
/// compiler vectorises the first, and inlines the rounding of the second
/// where the processor has a rounding instruction).
struct Triangle<'a> {
    src: &'a [u8],
    width: usize,
    height: usize,
    dw: usize,
    dh: usize,
}

impl Kernel for Triangle<'_> {
    type Output = Vec<u8>;

    #[inline(always)]
    fn run<L: Lanes>(self) -> Vec<u8> {
        let Triangle {
            src,
            width,
            height,
            dw,
            dh,
        } = self;
        let down = triangle_taps(height, dh);
        let mut tmp = vec![0f32; width * dh];
        for (t, row) in down.iter().zip(tmp.chunks_exact_mut(width)) {
            // Tap by tap over the whole row: each output still adds its taps
            // in order, starting from zero, and the row loop vectorises.
            for (k, &w) in t.weights.iter().enumerate() {
                let line = &src[(t.start + k) * width..(t.start + k + 1) * width];
                for (out, &p) in row.iter_mut().zip(line) {
                    *out += p as f32 * w;
                }
            }
        }
        let across = triangle_taps(width, dw);
        let mut out = vec![0u8; dw * dh];
        for (row, dst) in tmp.chunks_exact(width).zip(out.chunks_exact_mut(dw)) {
            for (t, o) in across.iter().zip(dst.iter_mut()) {
                let mut v = 0f32;
                for (k, &w) in t.weights.iter().enumerate() {
                    v += row[t.start + k] * w;
                }
                *o = v.clamp(0.0, 255.0).round() as u8;
            }
        }
        out
    }
}

/// The Lanczos kernel with three lobes.
fn lanczos3(x: f64) -> f64 {
    let x = x.abs();
    if x < 1e-9 {
        1.0
    } else if x >= 3.0 {
        0.0
    } else {
        let px = std::f64::consts::PI * x;
        3.0 * px.sin() * (px / 3.0).sin() / (px * px)
    }
}

/// Lanczos3 taps of `dst` outputs spread over the source span `from` ..
/// `from + span` (pixel edges) of a line of `len` samples: six source
/// samples each (an enlargement: at most one source sample per output),
/// clamped to the line, weights summing to 1.
fn lanczos_taps(len: usize, from: f64, span: f64, dst: usize) -> Vec<Taps> {
    let step = span / dst as f64;
    let last = len.saturating_sub(1) as i64;
    (0..dst)
        .map(|o| {
            // The output's centre, in source sample coordinates.
            let c = from + (o as f64 + 0.5) * step - 0.5;
            let first = c.floor() as i64 - 2;
            let start = first.clamp(0, last - 5.min(last)) as usize;
            let mut weights: Vec<f64> = (0..6)
                .map(|k| lanczos3(c - (start + k) as f64).max(-1.0))
                .collect();
            let sum: f64 = weights.iter().sum();
            if sum.abs() > 1e-9 {
                weights.iter_mut().for_each(|w| *w /= sum);
            }
            Taps {
                start,
                weights: weights.into_iter().map(|w| w as f32).collect(),
            }
        })
        .collect()
}

/// Enlarges the part `crop` (x, y, width, height, in pixels, fractional)
/// of the interleaved RGB image `src` (`width` x `height`) to `dw` x `dh`
/// with a separable Lanczos3 filter; for a crop smaller than the output in
/// both directions (an enlargement). Samples near the photo's edges are
/// the edge's own.
pub(crate) fn lanczos3_rgb(
    src: &[u8],
    (width, height): (usize, usize),
    crop: (f64, f64, f64, f64),
    (dw, dh): (usize, usize),
) -> Vec<u8> {
    let mut out = vec![0u8; dw * dh * 3];
    if width < 6 || height < 6 || src.len() < width * height * 3 || dw == 0 || dh == 0 {
        return out;
    }
    let tx = lanczos_taps(width, crop.0, crop.2, dw);
    let ty = lanczos_taps(height, crop.1, crop.3, dh);
    // The source rows the vertical taps read, each filtered across first.
    let (r0, r1) = (
        ty.first().map_or(0, |t| t.start),
        ty.last().map_or(0, |t| t.start + 6).min(height),
    );
    let mut across = vec![0f32; (r1 - r0) * dw * 3];
    for (r, row) in across.chunks_exact_mut(dw * 3).enumerate() {
        let line = &src[(r0 + r) * width * 3..(r0 + r + 1) * width * 3];
        for (t, cell) in tx.iter().zip(row.chunks_exact_mut(3)) {
            let mut acc = [0f32; 3];
            for (k, &w) in t.weights.iter().enumerate() {
                let p = &line[(t.start + k) * 3..(t.start + k) * 3 + 3];
                for c in 0..3 {
                    acc[c] += w * p[c] as f32;
                }
            }
            cell.copy_from_slice(&acc);
        }
    }
    let n = dw * 3;
    let mut col = vec![0f32; n];
    for (t, row) in ty.iter().zip(out.chunks_exact_mut(n)) {
        col.fill(0.0);
        for (k, &w) in t.weights.iter().enumerate() {
            let at = (t.start + k - r0) * n;
            for (a, &v) in col.iter_mut().zip(&across[at..at + n]) {
                *a += w * v;
            }
        }
        for (o, v) in row.iter_mut().zip(&col) {
            *o = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{area_average, lanczos3_rgb, plain, triangle_grey};

    #[test]
    fn triangle_matches_the_image_crate_byte_for_byte() {
        for (w, h, dw, dh) in [
            (140, 180, 96, 123),
            (97, 61, 96, 60),
            (300, 200, 31, 17),
            (50, 40, 96, 77),
        ] {
            let px: Vec<u8> = (0..w * h)
                .map(|i| ((i * 97 + i / w * 31) % 256) as u8)
                .collect();
            let img = image::GrayImage::from_raw(w as u32, h as u32, px.clone()).expect("size");
            let want = image::imageops::resize(
                &img,
                dw as u32,
                dh as u32,
                image::imageops::FilterType::Triangle,
            );
            assert_eq!(
                triangle_grey(&px, w, h, dw, dh),
                want.into_raw(),
                "{w}x{h} -> {dw}x{dh}"
            );
        }
    }

    #[test]
    fn integer_ratio_gives_the_block_means() {
        // 4x2 grey image to 2x1: means of the two 2x2 blocks.
        let src = [0u8, 10, 100, 200, 20, 30, 50, 50];
        let out = area_average(&src, 4, 2, 4, 1, 2, 1);
        assert_eq!(out, vec![15.0, 100.0]);
        // Blocks taller than 257 rows of 255 add up past u16.
        let tall = vec![255u8; 2 * 600];
        assert_eq!(area_average(&tall, 2, 600, 2, 1, 1, 2), vec![255.0, 255.0]);
    }

    #[test]
    fn fractional_ratio_keeps_the_mean_and_a_flat_image_flat() {
        let (w, h) = (7usize, 5usize);
        let flat = vec![77u8; w * h * 3];
        for v in area_average(&flat, w, h, w * 3, 3, 3, 2) {
            assert!((v - 77.0).abs() < 1e-3, "{v}");
        }
        let ramp: Vec<u8> = (0..w * h).map(|i| (i * 7 % 251) as u8).collect();
        let out = area_average(&ramp, w, h, w, 1, 3, 2);
        let mean_in = ramp.iter().map(|&v| v as f64).sum::<f64>() / (w * h) as f64;
        let mean_out = out.iter().map(|&v| v as f64).sum::<f64>() / out.len() as f64;
        assert!((mean_in - mean_out).abs() < 1e-3, "{mean_in} {mean_out}");
    }

    /// The per-layout fractional code gives exactly the plain loops' values
    /// (the same sums in the same order), on a crop with a row stride wider
    /// than the crop, for 1, 3 and 4 channels and ratios from just over 1
    /// to over 5, including the close-up's sizes.
    #[test]
    fn fractional_layouts_equal_the_plain_loops() {
        for channels in [1usize, 3, 4] {
            for (w, h, dw, dh) in [(97, 131, 96, 96), (392, 392, 96, 96), (50, 41, 7, 9)] {
                let stride = (w + 5) * channels;
                let src: Vec<u8> = (0..stride * h)
                    .map(|i| ((i * 37 + i / 11 * 5) % 256) as u8)
                    .collect();
                let fast = area_average(&src, w, h, stride, channels, dw, dh);
                let mut slow = vec![0f32; dw * dh * channels];
                plain(&src, (w, h, stride, channels, dw, dh), &mut slow);
                assert_eq!(fast, slow, "{channels} channels, {w}x{h} to {dw}x{dh}");
            }
        }
    }

    #[test]
    fn lanczos_enlarges_a_flat_image_flat_and_keeps_a_ramp_in_order() {
        let (w, h) = (40, 30);
        let flat = vec![120u8; w * h * 3];
        let big = lanczos3_rgb(&flat, (w, h), (0.0, 0.0, w as f64, h as f64), (56, 42));
        assert!(big.iter().all(|&v| v == 120));
        // A horizontal ramp, enlarged 1.4 times: still rising left to right.
        let ramp: Vec<u8> = (0..h)
            .flat_map(|_| (0..w).flat_map(|x| [(x * 6) as u8; 3]))
            .collect();
        let big = lanczos3_rgb(&ramp, (w, h), (0.0, 0.0, w as f64, h as f64), (56, 42));
        let row: Vec<u8> = (0..56).map(|x| big[(20 * 56 + x) * 3]).collect();
        assert!(row.windows(2).all(|p| p[1] >= p[0]), "{row:?}");
        assert!(row[0] <= 3 && row[55] >= 228, "{row:?}");
    }
}

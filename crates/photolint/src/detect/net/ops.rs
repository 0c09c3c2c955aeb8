//! The graph's operations as loops the compiler vectorises: convolutions
//! (pointwise, depthwise, the strided first layer), pooling, upsampling,
//! additions and the move to row order.

use std::borrow::Cow;

use super::{Across, Conv, Map};
use crate::kernels::lanes::{self, Kernel, Lanes, LANES};

pub(super) fn map(m: &Map, f: impl Fn(f32) -> f32) -> Map {
    Map {
        data: m.data.iter().map(|&v| f(v)).collect(),
        ..*m
    }
}

pub(super) fn max_pool(m: &Map) -> Map {
    lanes::run(MaxPool(m))
}

/// [`max_pool`] as a [`Kernel`] (a plain loop: with AVX2 the compiler
/// vectorises the pairs' maxima).
pub(super) struct MaxPool<'a>(&'a Map);

impl Kernel for MaxPool<'_> {
    type Output = Map;

    #[inline(always)]
    fn run<L: Lanes>(self) -> Map {
        let m = self.0;
        let (h, w) = (m.h / 2, m.w / 2);
        let mut data = Vec::with_capacity(m.c * h * w);
        for plane in m.data.chunks_exact(m.h * m.w) {
            for y in 0..h {
                let (r0, r1) = (&plane[2 * y * m.w..], &plane[(2 * y + 1) * m.w..]);
                data.extend((0..w).map(|x| {
                    r0[2 * x]
                        .max(r0[2 * x + 1])
                        .max(r1[2 * x])
                        .max(r1[2 * x + 1])
                }));
            }
        }
        Map { c: m.c, h, w, data }
    }
}

pub(super) fn upsample(m: &Map) -> Map {
    let (h, w) = (2 * m.h, 2 * m.w);
    let mut data = Vec::with_capacity(m.c * h * w);
    for plane in m.data.chunks_exact(m.h * m.w) {
        for y in 0..h {
            let row = &plane[(y / 2) * m.w..(y / 2 + 1) * m.w];
            data.extend((0..w).map(|x| row[x / 2]));
        }
    }
    Map { c: m.c, h, w, data }
}

pub(super) fn add(a: &Map, b: &Map) -> Result<Map, String> {
    if (a.c, a.h, a.w) != (b.c, b.h, b.w) {
        return Err(format!(
            "adding {}x{}x{} to {}x{}x{}",
            a.c, a.h, a.w, b.c, b.h, b.w
        ));
    }
    Ok(Map {
        data: a.data.iter().zip(&b.data).map(|(x, y)| x + y).collect(),
        ..*a
    })
}

/// Negative values times their channel's slope, in place.
pub(super) fn prelu(m: &mut Map, slope: &[f32]) -> Result<(), String> {
    if slope.len() != m.c {
        return Err(format!(
            "PRelu of {} slopes on {} channels",
            slope.len(),
            m.c
        ));
    }
    let n = m.h * m.w;
    lanes::run(PRelu {
        data: &mut m.data,
        n,
        slope,
    });
    Ok(())
}

/// `a + b`, then negative values times their channel's slope: an
/// addition and the PReLU reading it in one pass. When `a` is the
/// addition's only use its buffer takes the result.
pub(super) fn add_prelu(a: Cow<'_, Map>, b: &Map, slope: &[f32]) -> Result<Map, String> {
    if (a.c, a.h, a.w) != (b.c, b.h, b.w) || slope.len() != a.c {
        return Err(format!(
            "adding {}x{}x{} to {}x{}x{} before {} PRelu slopes",
            a.c,
            a.h,
            a.w,
            b.c,
            b.h,
            b.w,
            slope.len()
        ));
    }
    let mut m = a.into_owned();
    let n = m.h * m.w;
    lanes::run(AddPRelu {
        data: &mut m.data,
        other: &b.data,
        n,
        slope,
    });
    Ok(m)
}

/// [`add_prelu`] as a [`Kernel`].
struct AddPRelu<'a> {
    data: &'a mut [f32],
    other: &'a [f32],
    n: usize,
    slope: &'a [f32],
}

impl Kernel for AddPRelu<'_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        let n = self.n.max(1);
        for ((plane, other), &a) in self
            .data
            .chunks_exact_mut(n)
            .zip(self.other.chunks_exact(n))
            .zip(self.slope)
        {
            for (v, &w) in plane.iter_mut().zip(other) {
                let sum = *v + w;
                *v = if sum < 0.0 { sum * a } else { sum };
            }
        }
    }
}

/// [`prelu`] as a [`Kernel`]: a select the compiler vectorises.
struct PRelu<'a> {
    data: &'a mut [f32],
    n: usize,
    slope: &'a [f32],
}

impl Kernel for PRelu<'_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        for (plane, &a) in self.data.chunks_exact_mut(self.n.max(1)).zip(self.slope) {
            for v in plane {
                *v = if *v < 0.0 { *v * a } else { *v };
            }
        }
    }
}

/// A 3x3 convolution at stride 2, full or depthwise, with the zero row and
/// column TFLite adds below and right of the map (and none above or left):
/// the input rows are split into their even and odd columns once, so that
/// every tap is a run of neighbouring values.
pub(super) fn conv3_stride2_end(m: &Map, c: &Conv) -> Map {
    lanes::run(Conv3Stride2End(m, c))
}

struct Conv3Stride2End<'a>(&'a Map, &'a Conv);

impl Kernel for Conv3Stride2End<'_> {
    type Output = Map;

    #[inline(always)]
    fn run<L: Lanes>(self) -> Map {
        let Conv3Stride2End(m, c) = self;
        let (h, w) = (m.h, m.w);
        let (oh, ow) = (h / 2, w / 2);
        let depthwise = c.group > 1;
        // Per channel and row: the even columns (and the zero column past
        // the end), then the odd ones.
        let stride = 2 * ow + 1;
        let mut split = vec![0f32; m.c * h * stride];
        for (src, dst) in m
            .data
            .chunks_exact((h * w).max(1))
            .zip(split.chunks_exact_mut((h * stride).max(1)))
        {
            for (row, d) in src.chunks_exact(w.max(1)).zip(dst.chunks_exact_mut(stride)) {
                // Written as a zip so that the compiler vectorises it.
                let (even, odd) = d.split_at_mut(ow + 1);
                for ((e, o), pair) in even
                    .iter_mut()
                    .zip(odd.iter_mut())
                    .zip(row.as_chunks::<2>().0)
                {
                    *e = pair[0];
                    *o = pair[1];
                }
            }
        }
        let mut out = vec![0f32; c.cout * oh * ow];
        if !depthwise {
            full_rows::<L>(&split, h, ow, c, &mut out);
            return Map {
                c: c.cout,
                h: oh,
                w: ow,
                data: out,
            };
        }
        for (o, dst) in out.chunks_exact_mut((oh * ow).max(1)).enumerate() {
            dst.fill(c.bias[o]);
            // A depthwise output reads its own channel; a full one all.
            let inputs = if depthwise { o..o + 1 } else { 0..c.cin };
            for (oy, acc) in dst.chunks_exact_mut(ow.max(1)).enumerate() {
                for ci in inputs.clone() {
                    let at = if depthwise { o } else { o * c.cin + ci } * 9;
                    let k = &c.weight[at..at + 9];
                    for ky in 0..3 {
                        let y = 2 * oy + ky;
                        if y >= h {
                            continue; // the zero row below the map
                        }
                        let at = (ci * h + y) * stride;
                        let (even, odd) = split[at..at + stride].split_at(ow + 1);
                        let (k0, k1, k2) = (k[3 * ky], k[3 * ky + 1], k[3 * ky + 2]);
                        for j in 0..ow {
                            acc[j] += k0 * even[j] + k1 * odd[j] + k2 * even[j + 1];
                        }
                    }
                }
            }
        }
        Map {
            c: c.cout,
            h: oh,
            w: ow,
            data: out,
        }
    }
}

/// Output channels [`full_rows`] computes together.
const ROW_BLOCK: usize = 8;

/// [`Conv3Stride2End`] over every input channel: [`ROW_BLOCK`] output
/// channels at a time, their sums kept in registers for [`LANES`]
/// positions of an output row while every input row is read once. Each
/// output adds its bias, then for each input channel and kernel row
/// `(k0 e + k1 o) + k2 e'` (even column, odd, next even), as the plane by
/// plane loop did.
#[inline(always)]
fn full_rows<L: Lanes>(split: &[f32], h: usize, ow: usize, c: &Conv, out: &mut [f32]) {
    let (cin, cout) = (c.cin, c.cout);
    let stride = 2 * ow + 1;
    let n = (h / 2) * ow;
    let blocks = cout.div_ceil(ROW_BLOCK);
    // Per block, input channel and kernel row: each output's three weights.
    let mut wb = vec![[0f32; 3]; blocks * cin * 3 * ROW_BLOCK];
    for (o, k) in c.weight.chunks_exact(cin * 9).take(cout).enumerate() {
        for (ci, k) in k.chunks_exact(9).enumerate() {
            for (ky, k) in k.chunks_exact(3).enumerate() {
                wb[(((o / ROW_BLOCK) * cin + ci) * 3 + ky) * ROW_BLOCK + o % ROW_BLOCK] =
                    [k[0], k[1], k[2]];
            }
        }
    }
    for oy in 0..h / 2 {
        // The kernel rows inside the map (the zero row below adds nothing).
        let rows = (h - 2 * oy).min(3);
        for b in 0..blocks {
            let outs = cout.min((b + 1) * ROW_BLOCK) - b * ROW_BLOCK;
            let mut b0 = [0f32; ROW_BLOCK];
            b0[..outs].copy_from_slice(&c.bias[b * ROW_BLOCK..b * ROW_BLOCK + outs]);
            let wb = &wb[b * cin * 3 * ROW_BLOCK..(b + 1) * cin * 3 * ROW_BLOCK];
            let mut j = 0;
            while j + LANES <= ow {
                let mut acc = b0.map(L::splat);
                for ci in 0..cin {
                    for ky in 0..rows {
                        let at = (ci * h + 2 * oy + ky) * stride;
                        let row = &split[at..at + stride];
                        let e = L::load(lanes_at(row, j));
                        let o = L::load(lanes_at(row, ow + 1 + j));
                        let e1 = L::load(lanes_at(row, j + 1));
                        let w = &wb[(ci * 3 + ky) * ROW_BLOCK..(ci * 3 + ky + 1) * ROW_BLOCK];
                        for (a, w) in acc.iter_mut().zip(w) {
                            *a = *a
                                + (L::splat(w[0]) * e + L::splat(w[1]) * o + L::splat(w[2]) * e1);
                        }
                    }
                }
                for (k, a) in acc.iter().enumerate().take(outs) {
                    let at = (b * ROW_BLOCK + k) * n + oy * ow + j;
                    out[at..at + LANES].copy_from_slice(&a.store());
                }
                j += LANES;
            }
            for j in j..ow {
                let mut acc = b0;
                for ci in 0..cin {
                    for ky in 0..rows {
                        let at = (ci * h + 2 * oy + ky) * stride;
                        let row = &split[at..at + stride];
                        let w = &wb[(ci * 3 + ky) * ROW_BLOCK..(ci * 3 + ky + 1) * ROW_BLOCK];
                        for (a, w) in acc.iter_mut().zip(w) {
                            *a += w[0] * row[j] + w[1] * row[ow + 1 + j] + w[2] * row[j + 1];
                        }
                    }
                }
                for (k, a) in acc.iter().enumerate().take(outs) {
                    out[(b * ROW_BLOCK + k) * n + oy * ow + j] = *a;
                }
            }
        }
    }
}

/// `extra` zero planes appended.
pub(super) fn pad_channels(m: &Map, extra: usize) -> Map {
    let mut data = Vec::with_capacity((m.c + extra) * m.h * m.w);
    data.extend_from_slice(&m.data);
    data.resize((m.c + extra) * m.h * m.w, 0.0);
    Map {
        c: m.c + extra,
        data,
        ..*m
    }
}

/// Values stored position by position (HWC) restored plane after plane.
pub(super) fn from_rows(m: &Map) -> Map {
    let n = m.h * m.w;
    let mut data = vec![0f32; m.c * n];
    for (p, px) in m.data.chunks_exact(m.c.max(1)).enumerate().take(n) {
        for (ch, &v) in px.iter().enumerate() {
            data[ch * n + p] = v;
        }
    }
    Map { data, ..*m }
}

/// The map with `rows` zero rows below and `cols` zero columns on the right.
fn pad_end(m: &Map, extra: usize) -> Map {
    let (h, w) = (m.h + extra, m.w + extra);
    let mut data = vec![0f32; m.c * h * w];
    for (src, dst) in m
        .data
        .chunks_exact((m.h * m.w).max(1))
        .zip(data.chunks_exact_mut(h * w))
    {
        for y in 0..m.h {
            dst[y * w..y * w + m.w].copy_from_slice(&src[y * m.w..(y + 1) * m.w]);
        }
    }
    Map { c: m.c, h, w, data }
}

/// A depthwise convolution of any size, stride and padding, by its
/// definition (the mesh's stride-2 layers: few, on small maps).
fn depthwise_direct(m: &Map, c: &Conv, oh: usize, ow: usize) -> Map {
    let k = c.k;
    let mut data = Vec::with_capacity(c.cout * oh * ow);
    for ch in 0..c.cout {
        let plane = &m.data[ch * m.h * m.w..(ch + 1) * m.h * m.w];
        let w = &c.weight[ch * k * k..(ch + 1) * k * k];
        for oy in 0..oh {
            for ox in 0..ow {
                let mut acc = c.bias[ch];
                for ky in 0..k {
                    let Some(y) = (oy * c.stride + ky).checked_sub(c.pad).filter(|&y| y < m.h)
                    else {
                        continue;
                    };
                    for kx in 0..k {
                        if let Some(x) =
                            (ox * c.stride + kx).checked_sub(c.pad).filter(|&x| x < m.w)
                        {
                            acc += w[ky * k + kx] * plane[y * m.w + x];
                        }
                    }
                }
                data.push(acc);
            }
        }
    }
    Map {
        c: c.cout,
        h: oh,
        w: ow,
        data,
    }
}

pub(super) fn to_rows(m: &Map) -> Map {
    let n = m.h * m.w;
    let mut data = vec![0f32; m.c * n];
    for (ch, plane) in m.data.chunks_exact(n).enumerate() {
        for (p, &v) in plane.iter().enumerate() {
            data[p * m.c + ch] = v;
        }
    }
    Map { data, ..*m }
}

pub(super) fn conv(m: &Map, c: &Conv) -> Result<Map, String> {
    let mut out = conv_linear(m, c)?;
    if c.relu {
        lanes::run(Relu(&mut out.data));
    }
    Ok(out)
}

/// Negative values to zero, as a [`Kernel`].
pub(super) struct Relu<'a>(&'a mut [f32]);

impl Kernel for Relu<'_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        self.0
            .iter_mut()
            .for_each(|v| *v = if *v > 0.0 { *v } else { 0.0 });
    }
}

pub(super) fn conv_linear(m: &Map, c: &Conv) -> Result<Map, String> {
    // TFLite's stride-2 layers, full or depthwise, on split rows.
    let full_or_depthwise = c.group == 1 || (c.group == c.cin && c.cin == c.cout);
    if full_or_depthwise
        && m.c == c.cin
        && c.k == 3
        && c.stride == 2
        && c.pad == 0
        && c.pad_end == 1
        && m.h.is_multiple_of(2)
        && m.w.is_multiple_of(2)
        && m.h >= 2
        && m.w >= 2
    {
        return Ok(conv3_stride2_end(m, c));
    }
    let padded;
    let m = if c.pad_end > 0 {
        padded = pad_end(m, c.pad_end);
        &padded
    } else {
        m
    };
    if m.c != c.cin || m.h + 2 * c.pad < c.k || m.w + 2 * c.pad < c.k {
        return Err(format!(
            "convolution of {} channels at {}x{} given {}x{}x{}",
            c.cin, c.k, c.k, m.c, m.h, m.w
        ));
    }
    let oh = (m.h + 2 * c.pad - c.k) / c.stride + 1;
    let ow = (m.w + 2 * c.pad - c.k) / c.stride + 1;
    if c.group == 1 && c.k == 1 && c.stride == 1 && c.pad == 0 {
        let n = m.h * m.w;
        if let Some(a) = c.across.as_ref().filter(|_| n < ACROSS_BELOW) {
            let mut data = vec![0f32; c.cout * n];
            lanes::run(PointwiseAcross {
                input: &m.data,
                n,
                cin: c.cin,
                cout: c.cout,
                across: a,
                out: &mut data,
            });
            return Ok(Map {
                c: c.cout,
                h: oh,
                w: ow,
                data,
            });
        }
        return Ok(Map {
            c: c.cout,
            h: oh,
            w: ow,
            data: pointwise(&m.data, m.h * m.w, &c.weight, &c.bias, c.cin),
        });
    }
    if c.group == c.cin && c.cin == c.cout && c.k == 3 && c.stride == 1 && c.pad == 1 {
        return Ok(depthwise3(m, c));
    }
    if c.group == 1
        && c.k == 3
        && c.stride == 2
        && c.pad == 1
        && m.h.is_multiple_of(2)
        && m.w.is_multiple_of(2)
        && m.h >= 2
        && m.w >= 2
    {
        return Ok(conv3_stride2(m, c));
    }
    if c.group == c.cin && c.cin == c.cout {
        return Ok(depthwise_direct(m, c, oh, ow));
    }
    if c.group == 1 && oh * ow == 1 {
        // One position (the mesh's heads): a dot product per output.
        let col = im2col(m, c, 1, 1);
        let data = c
            .weight
            .chunks_exact(col.len().max(1))
            .zip(&c.bias)
            .map(|(w, &b)| b + dot(w, &col))
            .collect();
        return Ok(Map {
            c: c.cout,
            h: 1,
            w: 1,
            data,
        });
    }
    if c.group == 1 {
        let cols = im2col(m, c, oh, ow);
        return Ok(Map {
            c: c.cout,
            h: oh,
            w: ow,
            data: pointwise(&cols, oh * ow, &c.weight, &c.bias, c.cin * c.k * c.k),
        });
    }
    Err(format!(
        "grouped convolution ({} groups of {} channels) is not supported",
        c.group, c.cin
    ))
}

/// The sum of `a[i] * b[i]`, in eight running sums (vectorised).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ac, ar) = a.as_chunks::<8>();
    let (bc, br) = b.as_chunks::<8>();
    for (x, y) in ac.iter().zip(bc) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let tail: f32 = ar.iter().zip(br).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

/// `dst += w * src`, element by element.
#[inline(always)]
pub(super) fn axpy<L: Lanes>(dst: &mut [f32], w: f32, src: &[f32]) {
    let n = dst.len().min(src.len());
    let full = n / LANES * LANES;
    let (d8, _) = dst[..full].as_chunks_mut::<LANES>();
    let (s8, _) = src[..full].as_chunks::<LANES>();
    let wv = L::splat(w);
    for (d, s) in d8.iter_mut().zip(s8) {
        *d = (L::load(*d) + wv * L::load(*s)).store();
    }
    for (dv, sv) in dst[full..n].iter_mut().zip(&src[full..n]) {
        *dv += w * sv;
    }
}

/// out[o] = bias[o] + sum over i of weight[o][i] * input[i], plane by plane.
pub(super) fn pointwise(
    input: &[f32],
    n: usize,
    weight: &[f32],
    bias: &[f32],
    cin: usize,
) -> Vec<f32> {
    let planes: Vec<&[f32]> = input.chunks_exact(n.max(1)).take(cin).collect();
    // Each plane starts as its bias (no zeroing first: these maps are most
    // of what the model writes).
    let mut out = Vec::with_capacity(bias.len() * n);
    for &b in bias {
        out.resize(out.len() + n, b);
    }
    for (o, dst) in out.chunks_exact_mut(n.max(1)).enumerate() {
        weighted_sum(dst, &weight[o * cin..(o + 1) * cin], &planes);
    }
    out
}

/// The [`LANES`] values of `plane` from `p`.
#[inline(always)]
fn lanes_at(plane: &[f32], p: usize) -> [f32; LANES] {
    let mut v = [0f32; LANES];
    v.copy_from_slice(&plane[p..p + LANES]);
    v
}

/// Maps of fewer positions than this run their 1x1 convolutions through
/// [`PointwiseAcross`]. Measured on the model's 64-channel layers (AVX2):
/// 3x2 positions 7.3 -> 1.3 us, 3x3 4.4 -> 1.9, 6x4 5.1 -> 4.5, 6x6 8.9 ->
/// 6.6; at 12x8 (96) it is slower, 15 -> 19 us.
pub(super) const ACROSS_BELOW: usize = 40;

/// [`pointwise`] on a map of few positions, where a plane's row is too
/// short to fill the lanes: [`LANES`] output channels at a time along the
/// lanes, position by position, adding the products in [`weighted_sum`]'s
/// order (so the values are the same).
pub(super) struct PointwiseAcross<'a> {
    input: &'a [f32],
    n: usize,
    cin: usize,
    cout: usize,
    across: &'a Across,
    /// `cout` planes of `n`.
    out: &'a mut [f32],
}

impl Kernel for PointwiseAcross<'_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        let PointwiseAcross {
            input,
            n,
            cin,
            cout,
            across,
            out,
        } = self;
        if n == 0 || cin == 0 || input.len() < cin * n || out.len() < cout * n {
            return;
        }
        let mut col = vec![0f32; cin];
        for p in 0..n {
            for (c, v) in col.iter_mut().zip(input[p..].iter().step_by(n)) {
                *c = *v;
            }
            let (cq, cr) = col.as_chunks::<4>();
            for (ob, (panel, b)) in across
                .panels
                .chunks_exact(cin)
                .zip(&across.bias)
                .enumerate()
            {
                let mut acc = L::load(*b);
                let (pq, pr) = panel.as_chunks::<4>();
                for (w, c) in pq.iter().zip(cq) {
                    let sum = L::load(w[0]) * L::splat(c[0])
                        + L::load(w[1]) * L::splat(c[1])
                        + L::load(w[2]) * L::splat(c[2])
                        + L::load(w[3]) * L::splat(c[3]);
                    acc = acc + sum;
                }
                for (w, &c) in pr.iter().zip(cr) {
                    acc = acc + L::load(*w) * L::splat(c);
                }
                let o0 = ob * LANES;
                for (l, v) in acc
                    .store()
                    .into_iter()
                    .enumerate()
                    .take(cout.saturating_sub(o0))
                {
                    out[(o0 + l) * n + p] = v;
                }
            }
        }
    }
}

/// `dst += sum over i of w[i] * taps[i]`, element by element, each tap at
/// least as long as `dst` (which holds the bias on entry). Four taps are
/// added per pass over `dst`, as `((w0 t0 + w1 t1) + w2 t2) + w3 t3`, then
/// the rest one by one: every convolution path adds its products in this
/// one order.
pub(super) fn weighted_sum(dst: &mut [f32], w: &[f32], taps: &[&[f32]]) {
    lanes::run(WeightedSum { dst, w, taps });
}

/// [`weighted_sum`] as a [`Kernel`].
pub(super) struct WeightedSum<'a, 'b> {
    dst: &'a mut [f32],
    w: &'a [f32],
    taps: &'a [&'b [f32]],
}

impl Kernel for WeightedSum<'_, '_> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        let WeightedSum { dst, w, taps } = self;
        let n = dst.len();
        let mut i = 0;
        while i + 4 <= taps.len().min(w.len()) {
            let ws = [w[i], w[i + 1], w[i + 2], w[i + 3]];
            let (p0, p1, p2, p3) = (
                &taps[i][..n],
                &taps[i + 1][..n],
                &taps[i + 2][..n],
                &taps[i + 3][..n],
            );
            let full = n / LANES * LANES;
            // Written in lanes: the compiler's own vectorising of this loop
            // came and went with unrelated changes to the module.
            let (d8, _) = dst[..full].as_chunks_mut::<LANES>();
            let (a8, _) = p0[..full].as_chunks::<LANES>();
            let (b8, _) = p1[..full].as_chunks::<LANES>();
            let (c8, _) = p2[..full].as_chunks::<LANES>();
            let (e8, _) = p3[..full].as_chunks::<LANES>();
            let wv = ws.map(L::splat);
            for ((((d, a), b), c), e) in d8.iter_mut().zip(a8).zip(b8).zip(c8).zip(e8) {
                let sum = wv[0] * L::load(*a)
                    + wv[1] * L::load(*b)
                    + wv[2] * L::load(*c)
                    + wv[3] * L::load(*e);
                *d = (L::load(*d) + sum).store();
            }
            for at in full..n {
                dst[at] += ws[0] * p0[at] + ws[1] * p1[at] + ws[2] * p2[at] + ws[3] * p3[at];
            }
            i += 4;
        }
        for (&wk, tap) in w.iter().zip(taps).skip(i) {
            axpy::<L>(dst, wk, &tap[..n]);
        }
    }
}

/// 3x3 convolution with stride 2 and zero padding 1 over every input
/// channel (the model's first layer), on a map of even sides.
///
/// The padded input is split into its four phases (even or odd row, even or
/// odd column), so every tap of the kernel is a plain shifted view of one
/// phase: along a phase read as one flat row, output `j` takes tap `(ky,
/// kx)` at `j + (ky / 2) * (w / 2 + 1) + kx / 2` of phase `(ky % 2, kx % 2)`.
/// The column past each output row is garbage and dropped. Products are
/// added in the order of the taps `(channel, ky, kx)`, as an im2col
/// followed by [`pointwise`] adds them.
pub(super) fn conv3_stride2(m: &Map, c: &Conv) -> Map {
    let (oh, ow) = (m.h / 2, m.w / 2);
    let (qh, qw) = (oh + 1, ow + 1);
    let q = qh * qw;
    let mut phases = vec![0f32; m.c * 4 * q];
    for (ch, plane) in m.data.chunks_exact(m.h * m.w).enumerate() {
        for (y, row) in plane.chunks_exact(m.w).enumerate() {
            let (py, qy) = ((y + 1) % 2, y.div_ceil(2));
            // Column x goes to phase (x + 1) % 2 at x.div_ceil(2): even
            // columns to phase 1 at x / 2, odd ones to phase 0 one further
            // (the width is even: the caller checks).
            let at = |px: usize| (ch * 4 + py * 2 + px) * q + qy * qw;
            let (odd0, even0) = (at(0) + 1, at(1));
            let (pairs, _) = row.as_chunks::<2>();
            for (j, &[even, odd]) in pairs.iter().enumerate() {
                phases[even0 + j] = even;
                phases[odd0 + j] = odd;
            }
        }
    }
    let len = (oh - 1) * qw + ow;
    let taps: Vec<&[f32]> = (0..m.c * 9)
        .map(|r| {
            let (ch, ky, kx) = (r / 9, (r / 3) % 3, r % 3);
            let phase = &phases[(ch * 4 + (ky % 2) * 2 + kx % 2) * q..][..q];
            let off = (ky / 2) * qw + kx / 2;
            &phase[off..off + len]
        })
        .collect();
    let kin = m.c * 9;
    let mut out = vec![0f32; c.cout * oh * ow];
    let mut flat = vec![0f32; len];
    for (o, dst) in out.chunks_exact_mut(oh * ow).enumerate() {
        flat.fill(c.bias[o]);
        weighted_sum(&mut flat, &c.weight[o * kin..(o + 1) * kin], &taps);
        for (y, row) in dst.chunks_exact_mut(ow).enumerate() {
            row.copy_from_slice(&flat[y * qw..y * qw + ow]);
        }
    }
    Map {
        c: c.cout,
        h: oh,
        w: ow,
        data: out,
    }
}

/// 3x3 depthwise convolution, stride 1, zero padding 1.
///
/// Each plane is copied into a zero border, so that every output is the
/// same nine products whatever its place: along the padded plane read as one
/// flat row, output `j` is the sum of the nine values at `j + ky * (w + 2) +
/// kx`. The two columns past each row's end come out as garbage and are
/// dropped. Long flat rows keep the vector loop busy on the small maps of
/// the model's deep layers, where rows are a few values wide. The products
/// are added in the same order as a direct loop (row above, own row, row
/// below; left to right), so the result does not depend on the method.
pub(super) fn depthwise3(m: &Map, c: &Conv) -> Map {
    lanes::run(Depthwise3(m, c))
}

/// [`depthwise3`] as a [`Kernel`].
pub(super) struct Depthwise3<'a>(&'a Map, &'a Conv);

impl Kernel for Depthwise3<'_> {
    type Output = Map;

    #[inline(always)]
    fn run<L: Lanes>(self) -> Map {
        let Depthwise3(m, c) = self;
        let (h, w) = (m.h, m.w);
        if h == 0 || w == 0 {
            return Map {
                c: m.c,
                h,
                w,
                data: Vec::new(),
            };
        }
        let pw = w + 2;
        let mut out = vec![0f32; m.c * h * w];
        // Outputs along the padded rows: the last row stops at its last
        // real value, rounded up to whole lanes (the values past it are
        // garbage too, read from a few zeros past the padded plane).
        let len = ((h - 1) * pw + w).div_ceil(LANES) * LANES;
        let mut pad = vec![0f32; (h + 2) * pw + LANES];
        let mut flat = vec![0f32; len];
        for (ch, (src, dst)) in m
            .data
            .chunks_exact(h * w)
            .zip(out.chunks_exact_mut(h * w))
            .enumerate()
        {
            for (y, row) in src.chunks_exact(w).enumerate() {
                pad[(y + 1) * pw + 1..(y + 1) * pw + 1 + w].copy_from_slice(row);
            }
            let k: [f32; 9] = std::array::from_fn(|i| c.weight[ch * 9 + i]);
            let bias = c.bias[ch];
            let kv = k.map(L::splat);
            let (f8, _) = flat.as_chunks_mut::<LANES>();
            let rows3 = [&pad[..], &pad[pw..], &pad[2 * pw..]];
            for (c8, o) in f8.iter_mut().enumerate() {
                let j0 = c8 * LANES;
                let mut v = L::splat(bias);
                for (r, row) in rows3.iter().enumerate() {
                    // Always inside the plane and its zeros past the end.
                    let Some(win) = row.get(j0..j0 + LANES + 2) else {
                        break;
                    };
                    let win: [f32; LANES + 2] = std::array::from_fn(|i| win[i]);
                    let t0: [f32; LANES] = std::array::from_fn(|i| win[i]);
                    let t1: [f32; LANES] = std::array::from_fn(|i| win[i + 1]);
                    let t2: [f32; LANES] = std::array::from_fn(|i| win[i + 2]);
                    v = v + kv[3 * r] * L::load(t0);
                    v = v + kv[3 * r + 1] * L::load(t1);
                    v = v + kv[3 * r + 2] * L::load(t2);
                }
                *o = v.store();
            }
            for (y, row) in dst.chunks_exact_mut(w).enumerate() {
                row.copy_from_slice(&flat[y * pw..y * pw + w]);
            }
        }
        Map {
            c: m.c,
            h,
            w,
            data: out,
        }
    }
}

/// The patches under each output position, one plane per (channel, ky, kx).
pub(super) fn im2col(m: &Map, c: &Conv, oh: usize, ow: usize) -> Vec<f32> {
    let n = oh * ow;
    let mut cols = vec![0f32; c.cin * c.k * c.k * n];
    for ch in 0..c.cin {
        let plane = &m.data[ch * m.h * m.w..(ch + 1) * m.h * m.w];
        for ky in 0..c.k {
            for kx in 0..c.k {
                let row = (ch * c.k + ky) * c.k + kx;
                let dst = &mut cols[row * n..(row + 1) * n];
                for oy in 0..oh {
                    let Some(sy) = (oy * c.stride + ky).checked_sub(c.pad).filter(|&s| s < m.h)
                    else {
                        continue;
                    };
                    for ox in 0..ow {
                        if let Some(sx) =
                            (ox * c.stride + kx).checked_sub(c.pad).filter(|&s| s < m.w)
                        {
                            dst[oy * ow + ox] = plane[sy * m.w + sx];
                        }
                    }
                }
            }
        }
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;

    /// Values of a fixed pseudo-random sequence in -1..1.
    fn noise(n: usize, seed: u32) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((s >> 8) % 2001) as f32 / 1000.0 - 1.0
            })
            .collect()
    }

    /// A `c` x `h` x `w` map of [`noise`].
    fn noise_map(c: usize, h: usize, w: usize, seed: u32) -> Map {
        Map {
            c,
            h,
            w,
            data: noise(c * h * w, seed),
        }
    }

    fn conv(cin: usize, cout: usize, stride: usize, group: usize) -> Conv {
        Conv {
            weight: noise(cout * cin / group * 9, 7),
            bias: noise(cout, 11),
            cin,
            cout,
            k: 3,
            stride,
            pad: 1,
            pad_end: 0,
            group,
            relu: false,
            across: None,
        }
    }

    /// The convolution written as its definition, summed in f64.
    fn direct(m: &Map, c: &Conv) -> Vec<f32> {
        let oh = (m.h + 2 * c.pad - c.k) / c.stride + 1;
        let ow = (m.w + 2 * c.pad - c.k) / c.stride + 1;
        let per = c.cin / c.group;
        let mut out = Vec::new();
        for o in 0..c.cout {
            let g = o / (c.cout / c.group);
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut v = c.bias[o] as f64;
                    for i in 0..per {
                        let ch = g * per + i;
                        for ky in 0..3 {
                            for kx in 0..3 {
                                let (y, x) = (oy * c.stride + ky, ox * c.stride + kx);
                                if y < 1 || x < 1 || y > m.h || x > m.w {
                                    continue;
                                }
                                let px = m.data[(ch * m.h + y - 1) * m.w + x - 1] as f64;
                                v += c.weight[((o * per + i) * 3 + ky) * 3 + kx] as f64 * px;
                            }
                        }
                    }
                    out.push(v as f32);
                }
            }
        }
        out
    }

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-4)
    }

    #[test]
    fn stride_two_by_phases_equals_im2col_bit_for_bit_and_the_definition() {
        let m = noise_map(3, 10, 14, 3);
        let c = conv(3, 5, 2, 1);
        let phases = conv3_stride2(&m, &c);
        let (oh, ow) = (5, 7);
        let cols = im2col(&m, &c, oh, ow);
        let general = pointwise(&cols, oh * ow, &c.weight, &c.bias, 27);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&phases.data), bits(&general));
        assert!(close(&phases.data, &direct(&m, &c)));
    }

    /// The kernels give the same bits on the baseline lanes and on AVX2
    /// (skipped, and said so, on a processor without it).
    #[test]
    fn kernels_agree_bit_for_bit_on_every_instruction_set() {
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        // Seven taps (a group of four and three alone), 37 values (four
        // whole lane groups and five past them).
        let data: Vec<Vec<f32>> = (0..7).map(|i| noise(37, 20 + i)).collect();
        let taps: Vec<&[f32]> = data.iter().map(Vec::as_slice).collect();
        let w = noise(7, 3);
        let mut base = noise(37, 1);
        let mut wide = base.clone();
        lanes::run_baseline(WeightedSum {
            dst: &mut base,
            w: &w,
            taps: &taps,
        });
        let m = noise_map(3, 7, 13, 5);
        let c = conv(3, 3, 1, 3);
        let depth = lanes::run_baseline(Depthwise3(&m, &c));
        let avx2 = lanes::run_avx2(WeightedSum {
            dst: &mut wide,
            w: &w,
            taps: &taps,
        });
        match (avx2, lanes::run_avx2(Depthwise3(&m, &c))) {
            (Some(()), Some(d)) => {
                assert_eq!(bits(&base), bits(&wide));
                assert_eq!(bits(&depth.data), bits(&d.data));
            }
            _ => eprintln!("SKIPPED: this processor has no AVX2; only the baseline kernels ran"),
        }
        assert!(close(&depth.data, &direct(&m, &c)));
    }

    /// The output-channel lanes give the plane path's bits: eleven inputs
    /// (two groups of four and three alone), ten outputs (a whole lane
    /// block and two in a padded one), on both instruction sets.
    #[test]
    fn pointwise_across_the_channels_equals_the_plane_path_bit_for_bit() {
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let (cin, cout) = (11, 10);
        let (weight, bias) = (noise(cin * cout, 4), noise(cout, 6));
        let across = Across::of(&weight, &bias, cin, cout);
        for (h, w) in [(3, 2), (6, 6), (1, 1)] {
            let m = noise_map(cin, h, w, 8);
            let n = h * w;
            let planes = pointwise(&m.data, n, &weight, &bias, cin);
            let run = |avx2: bool| {
                let mut out = vec![0f32; cout * n];
                let k = PointwiseAcross {
                    input: &m.data,
                    n,
                    cin,
                    cout,
                    across: &across,
                    out: &mut out,
                };
                let done = if avx2 {
                    lanes::run_avx2(k).is_some()
                } else {
                    lanes::run_baseline(k);
                    true
                };
                done.then_some(out)
            };
            assert_eq!(bits(&run(false).unwrap_or_default()), bits(&planes));
            match run(true) {
                Some(out) => assert_eq!(bits(&out), bits(&planes), "{h}x{w}"),
                None => eprintln!("SKIPPED: this processor has no AVX2; only the baseline ran"),
            }
        }
        // Through the convolution, below and above the size where it is used.
        let c = Conv {
            weight: weight.clone(),
            bias: bias.clone(),
            cin,
            cout,
            k: 1,
            stride: 1,
            pad: 0,
            pad_end: 0,
            group: 1,
            relu: false,
            across: Some(Across::of(&weight, &bias, cin, cout)),
        };
        for (h, w) in [(3, 3), (8, 8)] {
            let m = noise_map(cin, h, w, 12);
            let got = conv_linear(&m, &c).expect("supported");
            assert_eq!(
                bits(&got.data),
                bits(&pointwise(&m.data, h * w, &weight, &bias, cin))
            );
            assert!(close(&got.data, &direct_pointwise(&m, &c)));
        }
    }

    /// [`conv3_stride2_end`] over every input channel, plane by plane (the
    /// order [`full_rows`] must keep).
    fn conv3_stride2_end_planes(m: &Map, c: &Conv) -> Vec<f32> {
        let (h, w) = (m.h, m.w);
        let (oh, ow) = (h / 2, w / 2);
        let pad = pad_end(m, 1);
        let mut out = vec![0f32; c.cout * oh * ow];
        for (o, dst) in out.chunks_exact_mut(oh * ow).enumerate() {
            dst.fill(c.bias[o]);
            for (oy, acc) in dst.chunks_exact_mut(ow).enumerate() {
                for ci in 0..c.cin {
                    let k = &c.weight[(o * c.cin + ci) * 9..][..9];
                    for ky in 0..3 {
                        let y = 2 * oy + ky;
                        if y >= h {
                            continue;
                        }
                        let row = &pad.data[(ci * (h + 1) + y) * (w + 1)..][..w + 1];
                        for (j, a) in acc.iter_mut().enumerate() {
                            *a += k[3 * ky] * row[2 * j]
                                + k[3 * ky + 1] * row[2 * j + 1]
                                + k[3 * ky + 2] * row[2 * j + 2];
                        }
                    }
                }
            }
        }
        out
    }

    /// An addition with its PReLU in one pass gives the bits of the two
    /// done in turn, on both instruction sets, with the sum in a new
    /// buffer or in the first term's.
    #[test]
    fn addition_and_prelu_in_one_pass_equal_the_two_in_turn() {
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let (a, b) = (noise_map(5, 3, 7, 1), noise_map(5, 3, 7, 2));
        let slope = noise(5, 3);
        let mut want = add(&a, &b).expect("same shapes");
        prelu(&mut want, &slope).expect("five slopes");
        let borrowed = add_prelu(Cow::Borrowed(&a), &b, &slope).expect("same shapes");
        let owned = add_prelu(Cow::Owned(a.clone()), &b, &slope).expect("same shapes");
        assert_eq!(bits(&borrowed.data), bits(&want.data));
        assert_eq!(bits(&owned.data), bits(&want.data));
        let mut base = a.data.clone();
        lanes::run_baseline(AddPRelu {
            data: &mut base,
            other: &b.data,
            n: 21,
            slope: &slope,
        });
        assert_eq!(bits(&base), bits(&want.data));
        let mut wide = a.data.clone();
        let ran = lanes::run_avx2(AddPRelu {
            data: &mut wide,
            other: &b.data,
            n: 21,
            slope: &slope,
        });
        match ran {
            Some(()) => assert_eq!(bits(&wide), bits(&want.data)),
            None => eprintln!("SKIPPED: this processor has no AVX2; only the baseline ran"),
        }
        assert!(add_prelu(Cow::Borrowed(&a), &b, &slope[..4]).is_err());
    }

    /// The first layer's blocked rows give the bits of the plane by plane
    /// loop, on both instruction sets: a whole lane group and a tail, a
    /// tail alone, outputs filling one block and part of another.
    #[test]
    fn first_layer_rows_keep_the_plane_order_bit_for_bit() {
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for (h, w, cout) in [(10, 26, 16), (6, 10, 11), (4, 4, 3)] {
            let m = noise_map(3, h, w, 5);
            let mut c = conv(3, cout, 2, 1);
            c.pad = 0;
            c.pad_end = 1;
            let want = bits(&conv3_stride2_end_planes(&m, &c));
            assert_eq!(
                bits(&lanes::run_baseline(Conv3Stride2End(&m, &c)).data),
                want
            );
            match lanes::run_avx2(Conv3Stride2End(&m, &c)) {
                Some(got) => assert_eq!(bits(&got.data), want, "{h}x{w}"),
                None => eprintln!("SKIPPED: this processor has no AVX2; only the baseline ran"),
            }
        }
    }

    /// A 1x1 convolution written as its definition, summed in f64.
    fn direct_pointwise(m: &Map, c: &Conv) -> Vec<f32> {
        let n = m.h * m.w;
        (0..c.cout)
            .flat_map(|o| {
                (0..n).map(move |p| {
                    let mut v = c.bias[o] as f64;
                    for i in 0..c.cin {
                        v += c.weight[o * c.cin + i] as f64 * m.data[i * n + p] as f64;
                    }
                    v as f32
                })
            })
            .collect()
    }

    #[test]
    fn general_and_depthwise_paths_follow_the_definition() {
        // Odd sides and a stride-1 group-1 kernel take the im2col path.
        let m = noise_map(4, 7, 9, 5);
        let general = conv(4, 3, 1, 1);
        let got = conv_linear(&m, &general).expect("supported");
        assert_eq!((got.c, got.h, got.w), (3, 7, 9));
        assert!(close(&got.data, &direct(&m, &general)));
        let depthwise = conv(4, 4, 1, 4);
        let got = conv_linear(&m, &depthwise).expect("supported");
        assert!(close(&got.data, &direct(&m, &depthwise)));
        // A one-pixel map: every tap but the centre falls in the border.
        let dot = noise_map(4, 1, 1, 9);
        assert!(close(
            &conv_linear(&dot, &depthwise).expect("supported").data,
            &direct(&dot, &depthwise)
        ));
    }
}

//! Eight `f32` lanes for the hot loops, and the instructions they run on.
//!
//! A kernel is written once, generic over [`Lanes`], and run through
//! [`run`]: on a processor with AVX2 (checked once, at run time) it runs
//! with plain arrays ([`Arr8`]) inside a function compiled for AVX2, where
//! the compiler turns each eight-lane operation into one 256-bit
//! instruction; elsewhere with `wide`'s eight-lane type on the baseline
//! instruction set (two 128-bit halves), where plain arrays would be
//! gathered lane by lane. A kernel of plain loops ignores the lanes type:
//! the compiler vectorises its loops for whichever instructions the
//! function it lands in is compiled with. Both do the same IEEE additions and
//! multiplications in the same order (no fused multiply-add), so a kernel's
//! result does not depend on the processor. `PHOTOLINT_SIMD=baseline` in
//! the environment keeps every kernel on the baseline path (a test runs the
//! command-line tool both ways and compares the reports byte for byte).

use std::ops::{Add, Mul};

/// Lanes of the vector types.
pub(crate) const LANES: usize = 8;

/// Eight `f32` lanes, added and multiplied lane by lane.
pub(crate) trait Lanes: Copy + Add<Output = Self> + Mul<Output = Self> {
    /// Every lane `v`.
    fn splat(v: f32) -> Self;
    /// The lanes of `a`.
    fn load(a: [f32; LANES]) -> Self;
    /// The lanes as an array.
    fn store(self) -> [f32; LANES];
}

impl Lanes for wide::f32x8 {
    #[inline(always)]
    fn splat(v: f32) -> Self {
        wide::f32x8::splat(v)
    }
    #[inline(always)]
    fn load(a: [f32; LANES]) -> Self {
        wide::f32x8::new(a)
    }
    #[inline(always)]
    fn store(self) -> [f32; LANES] {
        self.to_array()
    }
}

/// Eight lanes as a plain array, for code compiled with AVX2 enabled.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
#[derive(Clone, Copy)]
pub(crate) struct Arr8([f32; LANES]);

impl Add for Arr8 {
    type Output = Arr8;
    #[inline(always)]
    fn add(self, o: Arr8) -> Arr8 {
        let mut r = self.0;
        for (a, b) in r.iter_mut().zip(o.0) {
            *a += b;
        }
        Arr8(r)
    }
}

impl Mul for Arr8 {
    type Output = Arr8;
    #[inline(always)]
    fn mul(self, o: Arr8) -> Arr8 {
        let mut r = self.0;
        for (a, b) in r.iter_mut().zip(o.0) {
            *a *= b;
        }
        Arr8(r)
    }
}

impl Lanes for Arr8 {
    #[inline(always)]
    fn splat(v: f32) -> Self {
        Arr8([v; LANES])
    }
    #[inline(always)]
    fn load(a: [f32; LANES]) -> Self {
        Arr8(a)
    }
    #[inline(always)]
    fn store(self) -> [f32; LANES] {
        self.0
    }
}

/// A loop written once for any [`Lanes`]. Implementations mark `run`
/// `#[inline(always)]`: it must be compiled inside [`run`]'s AVX2 function.
pub(crate) trait Kernel {
    /// What the kernel returns.
    type Output;
    /// Runs the kernel with lanes `L`.
    fn run<L: Lanes>(self) -> Self::Output;
}

/// AVX2 (with the rest of x86-64-v3) when the processor has it and the
/// environment variable `PHOTOLINT_SIMD` is not `baseline` (read once; the
/// baseline path is there to compare the two, the results are the same).
#[cfg(target_arch = "x86_64")]
fn avx2() -> Option<pulp::x86::V3> {
    static BASELINE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let baseline = *BASELINE
        .get_or_init(|| std::env::var_os("PHOTOLINT_SIMD").is_some_and(|v| v == "baseline"));
    if baseline {
        None
    } else {
        pulp::x86::V3::try_new()
    }
}

/// Runs `k` with the widest instructions the processor has (see the module
/// documentation).
#[inline]
pub(crate) fn run<K: Kernel>(k: K) -> K::Output {
    #[cfg(target_arch = "x86_64")]
    if let Some(v3) = avx2() {
        return pulp::Simd::vectorize(v3, WithArrays(k));
    }
    k.run::<wide::f32x8>()
}

/// A kernel run with [`Arr8`] lanes, as pulp's vectorised operation (its
/// `with_simd` is compiled inside the function that enables AVX2).
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
struct WithArrays<K>(K);

impl<K: Kernel> pulp::WithSimd for WithArrays<K> {
    type Output = K::Output;
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> K::Output {
        self.0.run::<Arr8>()
    }
}

/// Runs `k` on the baseline lanes whatever the processor has (for tests
/// that compare the two).
#[cfg(test)]
pub(crate) fn run_baseline<K: Kernel>(k: K) -> K::Output {
    k.run::<wide::f32x8>()
}

/// Runs `k` with plain-array lanes, compiled for AVX2 when the processor
/// has it (for tests that compare the two); `None` when it has not.
#[cfg(test)]
pub(crate) fn run_avx2<K: Kernel>(k: K) -> Option<K::Output> {
    #[cfg(target_arch = "x86_64")]
    if let Some(v3) = pulp::x86::V3::try_new() {
        return Some(pulp::Simd::vectorize(v3, WithArrays(k)));
    }
    let _ = k;
    None
}

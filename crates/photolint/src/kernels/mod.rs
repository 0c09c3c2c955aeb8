//! Kernels shared by the stages: eight-lane arithmetic, area-average
//! resampling, and the photo in 2x2 pixel blocks.

pub mod blocks;
pub(crate) mod lanes;
pub(crate) mod resample;

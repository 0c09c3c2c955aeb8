//! The photo in blocks of 2x2 pixels, each block the sum of its four
//! pixels per channel. One pass after decoding builds it, and the
//! measurements that look at areas rather than single pixels (the analysis
//! grid, glare on a large face) read a quarter as many values from it.

use image::RgbImage;

use crate::kernels::lanes::{self, Kernel, Lanes};

/// A photo's 2x2 block sums.
#[derive(Debug, Clone, Default)]
pub struct Blocks {
    /// Blocks across: the photo's width halved (an odd last column is left out).
    pub w: u32,
    /// Blocks down: the photo's height halved (an odd last row is left out).
    pub h: u32,
    /// Per block, row after row: the R, G and B sums of its four pixels (0..=1020).
    pub sums: Vec<[u16; 3]>,
}

impl Blocks {
    /// Sums the 2x2 blocks of `img`.
    pub fn new(img: &RgbImage) -> Blocks {
        let (iw, ih) = img.dimensions();
        Blocks::region(img, 0, 0, iw / 2, ih / 2)
    }

    /// Sums the `w` x `h` blocks of `img` whose first has its top left
    /// pixel at `(x0, y0)`; blocks reaching past the photo's edge are left
    /// out (fewer rows, shorter rows: `w` and `h` say what was summed).
    pub fn region(img: &RgbImage, x0: u32, y0: u32, w: u32, h: u32) -> Blocks {
        lanes::run(Region { img, x0, y0, w, h })
    }

    /// The mean colour of each `2 * n` x `2 * n` pixel square (`n` x `n`
    /// blocks), the first `cw` across and `ch` down, RGB interleaved, row
    /// after row: what [`crate::kernels::resample`]'s whole-factor area average gives
    /// for the same squares (the same integer totals, scaled the same way),
    /// read from a quarter as many values. Squares past the blocks are left
    /// out (fewer rows or columns than asked).
    pub fn average(&self, n: usize, cw: usize, ch: usize) -> Vec<f32> {
        lanes::run(Average {
            blocks: self,
            n,
            cw,
            ch,
        })
    }

    /// The blocks of block row `y` (empty past the last row).
    pub fn row(&self, y: u32) -> &[[u16; 3]] {
        let (w, y) = (self.w as usize, y as usize);
        self.sums.get(y * w..(y + 1) * w).unwrap_or(&[])
    }
}

/// [`Blocks::region`] as a [`Kernel`] (plain loops: the compiler
/// vectorises them for the instructions at hand).
struct Region<'a> {
    img: &'a RgbImage,
    x0: u32,
    y0: u32,
    w: u32,
    h: u32,
}

impl Kernel for Region<'_> {
    type Output = Blocks;

    #[inline(always)]
    fn run<L: Lanes>(self) -> Blocks {
        let Region { img, x0, y0, w, h } = self;
        let (iw, ih) = img.dimensions();
        let w = w.min(iw.saturating_sub(x0) / 2);
        let h = h.min(ih.saturating_sub(y0) / 2);
        let mut sums = Vec::with_capacity(w as usize * h as usize);
        let stride = 3 * iw as usize;
        let (from, used) = (3 * x0 as usize, 6 * w as usize);
        let rows = img.as_raw().get(y0 as usize * stride..).unwrap_or(&[]);
        // Each pair of rows added down first (whole rows of bytes: this
        // vectorises), then each block's two pixels across.
        let mut down = vec![0u16; used];
        for pair in rows.chunks_exact(2 * stride.max(1)).take(h as usize) {
            let (top, bottom) = pair.split_at(stride);
            let (top, bottom) = (&top[from..from + used], &bottom[from..from + used]);
            for ((d, &a), &b) in down.iter_mut().zip(top).zip(bottom) {
                *d = a as u16 + b as u16;
            }
            let (pairs, _) = down.as_chunks::<6>();
            sums.extend(
                pairs
                    .iter()
                    .map(|p| [p[0] + p[3], p[1] + p[4], p[2] + p[5]]),
            );
        }
        Blocks { w, h, sums }
    }
}

/// [`Blocks::average`] as a [`Kernel`] (plain loops: the compiler
/// vectorises them for the instructions at hand).
struct Average<'a> {
    blocks: &'a Blocks,
    n: usize,
    cw: usize,
    ch: usize,
}

impl Kernel for Average<'_> {
    type Output = Vec<f32>;

    #[inline(always)]
    fn run<L: Lanes>(self) -> Vec<f32> {
        let Average { blocks, n, cw, ch } = self;
        let n = n.max(1);
        let cw = cw.min(blocks.w as usize / n);
        let ch = ch.min(blocks.h as usize / n);
        let scale = 1.0 / (4 * n * n) as f32;
        let mut out = Vec::with_capacity(3 * cw * ch);
        let mut acc = vec![[0u32; 3]; cw * n];
        for v in 0..ch {
            acc.iter_mut().for_each(|a| *a = [0; 3]);
            for by in v * n..(v + 1) * n {
                for (a, b) in acc.iter_mut().zip(blocks.row(by as u32)) {
                    for c in 0..3 {
                        a[c] += b[c] as u32;
                    }
                }
            }
            for square in acc.chunks_exact(n) {
                let mut t = [0u32; 3];
                for a in square {
                    for c in 0..3 {
                        t[c] += a[c];
                    }
                }
                out.extend(t.map(|v| v as f32 * scale));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Blocks;
    use image::RgbImage;

    /// A `w` x `h` photo whose channels vary differently across and down.
    fn pattern(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([
                (x * 37 + y * 11) as u8,
                (255 - (x * y * 9) % 256) as u8,
                (200 - (x + 3 * y) % 200) as u8,
            ])
        })
    }

    /// Each block is the sum of its four pixels, on a photo of odd sides
    /// (the last column and row belong to no block).
    #[test]
    fn blocks_sum_their_four_pixels() {
        let img = pattern(7, 5);
        // Every block of `b` against its four pixels, the first block's
        // top left pixel at (x0, y0).
        let check = |b: &Blocks, (x0, y0): (u32, u32)| {
            for by in 0..b.h {
                for (bx, got) in b.row(by).iter().enumerate() {
                    let (x, y) = (x0 + 2 * bx as u32, y0 + 2 * by);
                    let want: [u16; 3] = std::array::from_fn(|c| {
                        [(0, 0), (1, 0), (0, 1), (1, 1)]
                            .iter()
                            .map(|&(dx, dy)| img.get_pixel(x + dx, y + dy)[c] as u16)
                            .sum()
                    });
                    assert_eq!(*got, want, "block ({bx}, {by}) from ({x0}, {y0})");
                }
            }
        };
        let b = Blocks::new(&img);
        assert_eq!((b.w, b.h, b.sums.len()), (3, 2, 6));
        check(&b, (0, 0));
        assert!(b.row(2).is_empty());
        // A region from an odd corner, asked for more than fits: cut at
        // the photo's edge.
        let r = Blocks::region(&img, 1, 1, 5, 5);
        assert_eq!((r.w, r.h), (3, 2));
        check(&r, (1, 1));
    }

    /// The mean of whole squares from the blocks is bit for bit the
    /// whole-factor area average of the pixels, for squares of 2, 4 and 8
    /// pixels, on a photo whose sides are not multiples of them.
    #[test]
    fn block_averages_equal_the_pixel_area_average() {
        let (w, h) = (37u32, 29u32);
        let img = pattern(w, h);
        let blocks = Blocks::new(&img);
        for n in [1usize, 2, 4] {
            let k = 2 * n;
            let (cw, ch) = (w as usize / k, h as usize / k);
            let want = crate::kernels::resample::area_average(
                img.as_raw(),
                cw * k,
                ch * k,
                3 * w as usize,
                3,
                cw,
                ch,
            );
            assert_eq!(blocks.average(n, cw, ch), want, "{k}x{k} squares");
        }
    }
}

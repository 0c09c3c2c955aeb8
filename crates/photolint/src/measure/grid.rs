//! A coarse analysis grid: the photo in cells of a few pixels, each with its
//! mean colour, whether it belongs to the person, and how far it lies from
//! the person's outline. Colour measurements work on cells, not pixels: the
//! photo's JPEG noise averages out and a 480x640 photo needs 19,200 colour
//! conversions instead of 307,200.

use crate::colour::Lab;
use crate::kernels::blocks::Blocks;
use crate::kernels::lanes::{self, Kernel, Lanes};
use crate::silhouette::Silhouette;

/// Cells are about this many pixels across on a photo's longer side.
const CELLS_LONG_SIDE: u32 = 160;

/// The analysis grid of one photo.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Photo pixels per cell side.
    pub step: u32,
    /// Cells across.
    pub w: u32,
    /// Cells down.
    pub h: u32,
    /// Mean colour of each cell, RGB.
    pub rgb: Vec<[f32; 3]>,
    /// Mean colour of each cell, CIELAB.
    pub lab: Vec<Lab>,
    /// The cell is mostly person (the silhouette mask).
    pub person: Vec<bool>,
    /// For cells outside the person: distance to the nearest person cell, in
    /// cells; for person cells: distance to the nearest cell outside, negated.
    pub outline_distance: Vec<f32>,
    /// The background colour expected at the cell (the silhouette's edge model), RGB.
    pub expected: Vec<[f32; 3]>,
}

impl Grid {
    /// Builds the grid of the photo whose 2x2 block sums are `blocks`, with
    /// the person mask of `sil` (whose size is the photo's).
    pub fn new(blocks: &Blocks, sil: &Silhouette) -> Grid {
        let (iw, ih) = (sil.width, sil.height);
        // An even step, so every cell is whole blocks.
        let step = 2 * (iw.max(ih) / (2 * CELLS_LONG_SIDE)).max(1);
        let (w, h) = ((iw / step).max(1), (ih / step).max(1));
        let n = (w * h) as usize;
        let mut rgb = Vec::with_capacity(n);
        let mut person = Vec::with_capacity(n);
        let mut expected = Vec::with_capacity(n);
        let mut lab = Vec::with_capacity(n);
        // A band of cells at a time. Channel sums in integers; light in
        // f32, each block's from its mean (a table), so the cell's colour is
        // its mean light, not the colour of its mean gamma-encoded values.
        let (bs, wu) = ((step / 2) as usize, w as usize);
        let mut sums: Vec<CellSums> = vec![([0u32; 3], [0f32; 3], 0u32); wu];
        let mut means = Vec::with_capacity(wu);
        let mw = sil.mask_w as usize;
        for cy in 0..h {
            if bs == 2 {
                cells_of_four(&mut sums, blocks, &sil.mask, mw, cy);
            } else {
                add_blocks(&mut sums, blocks, &sil.mask, mw, cy, bs);
            }
            let count = step * step;
            let (c, per_cell) = (count as f32, count / 4);
            let centre = |cx: u32| cx * step + step / 2;
            let (l, r) = sil.edges.row(centre(cy) as usize);
            lanes::run(CellRow {
                sums: &sums,
                c,
                per_cell,
                xs: (0..w).map(centre),
                edges: (l, r, sil.edges.width()),
                out: (&mut means, &mut rgb, &mut person, &mut expected),
            });
            Lab::extend_from_linear(&mut lab, &means);
        }
        let outside = chamfer(&person, w, h);
        let not_person: Vec<bool> = person.iter().map(|p| !p).collect();
        let inside = chamfer(&not_person, w, h);
        let outline_distance = person
            .iter()
            .zip(outside.iter().zip(&inside))
            .map(|(&p, (&o, &i))| if p { -i } else { o })
            .collect();
        Grid {
            step,
            w,
            h,
            rgb,
            lab,
            person,
            outline_distance,
            expected,
        }
    }

    /// Index of cell `(x, y)`.
    pub fn idx(&self, x: u32, y: u32) -> usize {
        (y * self.w + x) as usize
    }

    /// The cells of the rows whose centre's photo row `y` passes `keep`, in
    /// index order, each as its index and centre (the values of
    /// [`Grid::centre`]): rows that do not pass are skipped whole.
    pub fn cells_in_rows<'a>(
        &'a self,
        keep: impl Fn(f32) -> bool + 'a,
    ) -> impl Iterator<Item = (usize, (f32, f32))> + 'a {
        (0..self.h)
            .filter(move |&r| keep(self.centre_of(r)))
            .flat_map(move |r| {
                (0..self.w).map(move |x| {
                    (
                        (r * self.w + x) as usize,
                        (self.centre_of(x), self.centre_of(r)),
                    )
                })
            })
    }

    /// Photo pixel at the centre of cell column (or row) `v`.
    fn centre_of(&self, v: u32) -> f32 {
        (v * self.step) as f32 + self.step as f32 / 2.0
    }

    /// Photo pixel at the centre of cell index `i`.
    pub fn centre(&self, i: usize) -> (f32, f32) {
        let (x, y) = (i as u32 % self.w, i as u32 / self.w);
        (self.centre_of(x), self.centre_of(y))
    }
}

/// What each cell of a row gets from its sums (`c` pixels, `per_cell`
/// blocks): its mean light (into `out.0`, cleared first), its mean colour,
/// whether it is person, and the backdrop colour the edge model expects at
/// its centre (photo column from `xs`; `edges` holds the row's left and
/// right colours and the photo's width), added to the grid's lists. As a
/// [`Kernel`] (plain loops: its divisions and the interpolation vectorise).
struct CellRow<'a, X> {
    sums: &'a [CellSums],
    c: f32,
    per_cell: u32,
    xs: X,
    edges: ([f32; 3], [f32; 3], u32),
    #[allow(clippy::type_complexity)]
    out: (
        &'a mut Vec<[f32; 3]>,
        &'a mut Vec<[f32; 3]>,
        &'a mut Vec<bool>,
        &'a mut Vec<[f32; 3]>,
    ),
}

impl<X: Iterator<Item = u32>> Kernel for CellRow<'_, X> {
    type Output = ();

    #[inline(always)]
    fn run<L: Lanes>(self) {
        let CellRow {
            sums,
            c,
            per_cell,
            xs,
            edges: (l, r, width),
            out: (means, rgb, person, expected),
        } = self;
        means.clear();
        means.extend(
            sums.iter()
                .map(|(_, lin, _)| lin.map(|s| s / per_cell as f32)),
        );
        rgb.extend(sums.iter().map(|(sum, _, _)| sum.map(|s| s as f32 / c)));
        person.extend(sums.iter().map(|&(_, _, inside)| inside * 2 > per_cell));
        expected.extend(xs.map(|x| crate::silhouette::EdgeModel::between(l, r, width, x)));
    }
}

/// A cell's channel sums, light sums and person-block count.
type CellSums = ([u32; 3], [f32; 3], u32);

/// The sums of cell row `cy` (cells of `bs` x `bs` blocks): its blocks
/// added from zero, block row by block row, left to right; `mask` is the
/// person mask in blocks, `mw` blocks wide.
fn add_blocks(
    sums: &mut [CellSums],
    blocks: &Blocks,
    mask: &[bool],
    mw: usize,
    cy: u32,
    bs: usize,
) {
    let table = crate::colour::block_linear_table();
    sums.iter_mut()
        .for_each(|s| *s = ([0u32; 3], [0f32; 3], 0u32));
    let rows = cy as usize * bs..(cy as usize + 1) * bs;
    for by in rows.clone() {
        let row = blocks.row(by as u32);
        for ((sum, lin, _), cell) in sums.iter_mut().zip(row.chunks_exact(bs)) {
            for b in cell {
                for k in 0..3 {
                    sum[k] += b[k] as u32;
                    lin[k] += table[b[k] as usize];
                }
            }
        }
    }
    // The person mask is in blocks too: a cell is person when most of its
    // blocks are (each block four of its pixels).
    for by in rows {
        let line = mask.get(by * mw..by * mw + sums.len() * bs).unwrap_or(&[]);
        for (s, m) in sums.iter_mut().zip(line.chunks_exact(bs)) {
            s.2 += m.iter().map(|&v| v as u32).sum::<u32>();
        }
    }
}

/// [`add_blocks`] for cells of 2x2 blocks (the usual step, on 480x640
/// photos): each cell's four blocks at once, added in the same order (its
/// top two, then its bottom two), and written once per cell instead of once
/// per block. A cell row reaching past the blocks or the mask (never on a
/// grid the photo's size made) goes to the general loop.
fn cells_of_four(sums: &mut [CellSums], blocks: &Blocks, mask: &[bool], mw: usize, cy: u32) {
    let table = crate::colour::block_linear_table();
    let (r0, _) = blocks.row(2 * cy).as_chunks::<2>();
    let (r1, _) = blocks.row(2 * cy + 1).as_chunks::<2>();
    let mask_row = |by: usize| mask.get(by * mw..by * mw + 2 * sums.len());
    let (Some(m0), Some(m1)) = (mask_row(2 * cy as usize), mask_row(2 * cy as usize + 1)) else {
        return add_blocks(sums, blocks, mask, mw, cy, 2);
    };
    if r0.len() < sums.len() || r1.len() < sums.len() {
        return add_blocks(sums, blocks, mask, mw, cy, 2);
    }
    let ((m0, _), (m1, _)) = (m0.as_chunks::<2>(), m1.as_chunks::<2>());
    let cells = r0.iter().zip(r1).zip(m0.iter().zip(m1));
    for (s, ((a, b), (m0, m1))) in sums.iter_mut().zip(cells) {
        let four = [a[0], a[1], b[0], b[1]];
        let sum = std::array::from_fn(|c| four.iter().map(|v| v[c] as u32).sum());
        let lin = std::array::from_fn(|c| {
            ((table[four[0][c] as usize] + table[four[1][c] as usize]) + table[four[2][c] as usize])
                + table[four[3][c] as usize]
        });
        let inside = m0[0] as u32 + m0[1] as u32 + m1[0] as u32 + m1[1] as u32;
        *s = (sum, lin, inside);
    }
}

/// Distance (chamfer 3-4, in cells) from every cell to the nearest cell
/// where `target` is true; 0 on target cells, a large value if there is none.
fn chamfer(target: &[bool], w: u32, h: u32) -> Vec<f32> {
    lanes::run(Chamfer { target, w, h })
}

/// [`chamfer`] as a [`Kernel`] (plain loops: the compiler vectorises them
/// for the instructions at hand).
struct Chamfer<'a> {
    target: &'a [bool],
    w: u32,
    h: u32,
}

impl Kernel for Chamfer<'_> {
    type Output = Vec<f32>;

    #[inline(always)]
    fn run<L: Lanes>(self) -> Vec<f32> {
        // Distances in thirds of a cell, in 16 bits (eight to a 128-bit
        // register, where the baseline x86-64 has a minimum and a saturating
        // add): the grid is at most 320 cells a side (see `Grid::new`), so
        // a distance is at most 4 x 320 and never reaches FAR, which stands
        // for "no target" and which adding a step leaves as it is.
        const FAR: i16 = i16::MAX;
        let Chamfer { target, w, h } = self;
        let (w, h) = (w as usize, h as usize);
        // A border of FAR cells all round: every cell has its eight neighbours,
        // and a border neighbour never lowers a distance.
        let pw = w + 2;
        let mut d = vec![FAR; pw * (h + 2)];
        for (y, row) in target.chunks_exact(w.max(1)).take(h).enumerate() {
            for (x, &t) in row.iter().enumerate() {
                if t {
                    d[(y + 1) * pw + x + 1] = 0;
                }
            }
        }
        // Each pass takes a row in two steps with the same result as one loop
        // over the cells (the minimum of the same candidates): first what the
        // finished neighbour row gives (no cell waits for the one before, so
        // this vectorises), then the run along the row, the only chain left.
        let mut from_row = vec![FAR; w];
        for y in 1..=h {
            let (done, rest) = d.split_at_mut(y * pw);
            let near = &done[(y - 1) * pw..y * pw];
            let row = &mut rest[..pw];
            for (x, t) in from_row.iter_mut().enumerate() {
                // Cell x + 1 of the bordered row; its neighbours above are x..=x+2.
                let up = near[x].min(near[x + 2]).saturating_add(4);
                *t = row[x + 1].min(up).min(near[x + 1].saturating_add(3));
            }
            let mut left = row[0];
            for (v, &t) in row[1..=w].iter_mut().zip(&from_row) {
                left = t.min(left.saturating_add(3));
                *v = left;
            }
        }
        for y in (1..=h).rev() {
            let (head, done) = d.split_at_mut((y + 1) * pw);
            let near = &done[..pw];
            let row = &mut head[y * pw..];
            for (x, t) in from_row.iter_mut().enumerate() {
                let down = near[x].min(near[x + 2]).saturating_add(4);
                *t = row[x + 1].min(down).min(near[x + 1].saturating_add(3));
            }
            let mut right = row[w + 1];
            for (v, &t) in row[1..=w].iter_mut().zip(&from_row).rev() {
                right = t.min(right.saturating_add(3));
                *v = right;
            }
        }
        // "No target" reads as it always has: a quarter of u32's range, in cells.
        let none = (u32::MAX / 4) as f32 / 3.0;
        let mut out = Vec::with_capacity(w * h);
        for y in 1..=h {
            out.extend(d[y * pw + 1..y * pw + 1 + w].iter().map(|&v| {
                if v == FAR {
                    none
                } else {
                    v as f32 / 3.0
                }
            }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::chamfer;

    #[test]
    fn chamfer_distances() {
        // One target in the middle of a 5x5 grid.
        let mut t = vec![false; 25];
        t[12] = true;
        let d = chamfer(&t, 5, 5);
        assert_eq!(d[12], 0.0);
        assert_eq!(d[13], 1.0);
        assert!((d[18] - 4.0 / 3.0).abs() < 1e-6);
        assert_eq!(d[14], 2.0);
    }

    /// The chamfer 3-4 distance by its definition: the cheapest path to a
    /// target in steps of 3 (sideways) and 4 (diagonal), found by relaxing
    /// every cell until nothing changes.
    fn by_definition(target: &[bool], w: usize, h: usize) -> Vec<f32> {
        const FAR: u32 = u32::MAX / 4;
        let mut d: Vec<u32> = target.iter().map(|&t| if t { 0 } else { FAR }).collect();
        loop {
            let mut changed = false;
            for y in 0..h {
                for x in 0..w {
                    for (dx, dy, c) in [(1i64, 0i64, 3u32), (0, 1, 3), (1, 1, 4), (1, -1, 4)] {
                        for s in [1i64, -1] {
                            let (nx, ny) = (x as i64 + s * dx, y as i64 + s * dy);
                            if nx < 0 || ny < 0 || nx >= w as i64 || ny >= h as i64 {
                                continue;
                            }
                            let v = d[ny as usize * w + nx as usize] + c;
                            if v < d[y * w + x] {
                                d[y * w + x] = v;
                                changed = true;
                            }
                        }
                    }
                }
            }
            if !changed {
                return d.into_iter().map(|v| v as f32 / 3.0).collect();
            }
        }
    }

    /// Scattered targets, a wall with a gap and no target at all, on grids
    /// of odd shapes (one cell wide, one cell tall): the two passes give the
    /// definition's distances exactly.
    #[test]
    fn chamfer_passes_equal_the_definition() {
        for (w, h, every) in [
            (13usize, 9usize, 7usize),
            (1, 11, 4),
            (17, 1, 5),
            (20, 20, 37),
        ] {
            let scattered: Vec<bool> = (0..w * h).map(|i| (i * 31 + i / 3) % every == 0).collect();
            let wall: Vec<bool> = (0..w * h)
                .map(|i| i % w == w / 2 && i / w != h / 2)
                .collect();
            for t in [scattered, wall, vec![false; w * h]] {
                assert_eq!(
                    chamfer(&t, w as u32, h as u32),
                    by_definition(&t, w, h),
                    "{w}x{h}"
                );
            }
        }
    }

    /// The usual step's cells of four blocks get exactly the sums of the
    /// general block-row loop (the same additions in the same order), on
    /// varied blocks and mask, with a ragged last cell row (its second
    /// block row missing).
    #[test]
    fn cells_of_four_equal_the_general_loop() {
        use super::{add_blocks, cells_of_four, CellSums};
        use crate::kernels::blocks::Blocks;
        let (w, h) = (14u32, 5u32);
        let sums = (0..w * h)
            .map(|i| {
                [
                    (i * 97 % 1021) as u16,
                    (i * 389 % 1021) as u16,
                    (i * 53 % 1021) as u16,
                ]
            })
            .collect();
        let blocks = Blocks { w, h, sums };
        let mask: Vec<bool> = (0..w * h).map(|i| (i * 7 + i / 3) % 5 < 2).collect();
        for cy in 0..3 {
            // Whatever the sums held before, both start the row from zero.
            let junk: CellSums = ([7; 3], [1.5; 3], 9);
            let mut four = vec![junk; 7];
            cells_of_four(&mut four, &blocks, &mask, w as usize, cy);
            let mut general = vec![junk; 7];
            add_blocks(&mut general, &blocks, &mask, w as usize, cy, 2);
            assert_eq!(four, general, "cell row {cy}");
        }
    }
}

//! A coarse analysis grid: the photo in cells of a few pixels, each with its
//! mean colour, whether it belongs to the person, and how far it lies from
//! the person's outline. Colour measurements work on cells, not pixels: the
//! photo's JPEG noise averages out and a 480x640 photo needs 77k colour
//! conversions instead of 307k.

use image::RgbImage;

use crate::colour::Lab;
use crate::segment::Silhouette;

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
    /// Builds the grid of `img` with the person mask of `sil`.
    pub fn new(img: &RgbImage, sil: &Silhouette) -> Grid {
        let (iw, ih) = img.dimensions();
        let step = (iw.max(ih) / CELLS_LONG_SIDE).max(1);
        let (w, h) = ((iw / step).max(1), (ih / step).max(1));
        let n = (w * h) as usize;
        let mut rgb = Vec::with_capacity(n);
        let mut person = Vec::with_capacity(n);
        let mut expected = Vec::with_capacity(n);
        let mut lab = Vec::with_capacity(n);
        let raw = img.as_raw();
        let table = Lab::linear_table();
        // A band of `step` rows at a time, each row added into the cells it
        // crosses (every cell is a whole step x step block).
        let (su, wu, iwu) = (step as usize, w as usize, iw as usize);
        // Byte sums in integers (exact, as the f32 sums of a few thousand
        // levels were); light in f32 from the linear table.
        let mut sums = vec![([0u32; 3], [0f32; 3], 0u32); wu];
        for cy in 0..h {
            sums.iter_mut()
                .for_each(|s| *s = ([0u32; 3], [0f32; 3], 0u32));
            for y in (cy * step) as usize..((cy + 1) * step) as usize {
                let line = raw.get(3 * y * iwu..3 * (y * iwu + wu * su)).unwrap_or(&[]);
                if su == 4 {
                    // The usual step (480x640 photos): whole arrays, unrolled.
                    let (cells, _) = line.as_chunks::<12>();
                    for ((sum, lin, _), px) in sums.iter_mut().zip(cells) {
                        for k in 0..3 {
                            let v = [px[k], px[3 + k], px[6 + k], px[9 + k]];
                            sum[k] += v.iter().map(|&b| b as u32).sum::<u32>();
                            for b in v {
                                lin[k] += table[b as usize];
                            }
                        }
                    }
                } else {
                    for ((sum, lin, _), px) in sums.iter_mut().zip(line.chunks_exact(3 * su)) {
                        for p in px.chunks_exact(3) {
                            for k in 0..3 {
                                sum[k] += p[k] as u32;
                                lin[k] += table[p[k] as usize];
                            }
                        }
                    }
                }
                let mask = sil.mask.get(y * iwu..y * iwu + wu * su).unwrap_or(&[]);
                for (s, m) in sums.iter_mut().zip(mask.chunks_exact(su)) {
                    s.2 += m.iter().filter(|&&v| v).count() as u32;
                }
            }
            let count = step * step;
            let c = count as f32;
            for (cx, (sum, lin, inside)) in sums.iter().enumerate() {
                rgb.push(sum.map(|s| s as f32 / c));
                // The cell's colour is the mean light, not the mean of gamma-encoded values.
                lab.push(Lab::from_linear(lin.map(|s| s / c)));
                person.push(inside * 2 > count);
                let cx = cx as u32;
                expected.push(sil.edges.at(cx * step + step / 2, cy * step + step / 2));
            }
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

    /// Photo pixel at the centre of cell index `i`.
    pub fn centre(&self, i: usize) -> (f32, f32) {
        let (x, y) = (i as u32 % self.w, i as u32 / self.w);
        (
            ((x * self.step) as f32 + self.step as f32 / 2.0),
            ((y * self.step) as f32 + self.step as f32 / 2.0),
        )
    }
}

/// Distance (chamfer 3-4, in cells) from every cell to the nearest cell
/// where `target` is true; 0 on target cells, a large value if there is none.
fn chamfer(target: &[bool], w: u32, h: u32) -> Vec<f32> {
    const FAR: u32 = u32::MAX / 4;
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
    for y in 1..=h {
        for i in y * pw + 1..y * pw + 1 + w {
            let up = d[i - pw - 1].min(d[i - pw + 1]) + 4;
            d[i] = d[i].min(up).min(d[i - pw] + 3).min(d[i - 1] + 3);
        }
    }
    for y in (1..=h).rev() {
        for i in (y * pw + 1..y * pw + 1 + w).rev() {
            let down = d[i + pw - 1].min(d[i + pw + 1]) + 4;
            d[i] = d[i].min(down).min(d[i + pw] + 3).min(d[i + 1] + 3);
        }
    }
    let mut out = Vec::with_capacity(w * h);
    for y in 1..=h {
        out.extend(
            d[y * pw + 1..y * pw + 1 + w]
                .iter()
                .map(|&v| v as f32 / 3.0),
        );
    }
    out
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
}

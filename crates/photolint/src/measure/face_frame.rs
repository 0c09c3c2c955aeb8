//! The face's own frame, read from the mesh: along the line between the eye
//! centres and across it, in units of that distance, so that a tilted head
//! or a larger photo measures the same; and bilinear sampling in it.

use image::RgbImage;

use crate::detect::{Mesh, Point, Rect};

/// Eye corners (outer, inner) in MediaPipe's numbering, image-left first.
const EYE_CORNERS: [(usize, usize); 2] = [(33, 133), (362, 263)];

/// The face's frame: the eye mid-point, the unit step along the eye line
/// and across it (down the face), and the eye distance in pixels.
pub(crate) struct Frame {
    mid: Point,
    along: (f32, f32),
    down: (f32, f32),
    /// The eye distance, pixels.
    pub(crate) ed: f32,
}

impl Frame {
    pub(crate) fn of(mesh: &Mesh) -> Frame {
        let centre = |(a, b): (usize, usize)| {
            let (p, q) = (mesh.at(a), mesh.at(b));
            Point {
                x: (p.x + q.x) / 2.0,
                y: (p.y + q.y) / 2.0,
            }
        };
        let (l, r) = (centre(EYE_CORNERS[0]), centre(EYE_CORNERS[1]));
        let ed = (r.x - l.x).hypot(r.y - l.y).max(1.0);
        let along = ((r.x - l.x) / ed, (r.y - l.y) / ed);
        Frame {
            mid: Point {
                x: (l.x + r.x) / 2.0,
                y: (l.y + r.y) / 2.0,
            },
            along,
            down: (-along.1, along.0),
            ed,
        }
    }

    /// The photo point `a` eye distances along and `b` down from the mid-point.
    pub(crate) fn at(&self, a: f32, b: f32) -> (f32, f32) {
        (
            self.mid.x + self.ed * (a * self.along.0 + b * self.down.0),
            self.mid.y + self.ed * (a * self.along.1 + b * self.down.1),
        )
    }

    /// Where the photo point `p` is in the face's frame: (along, down).
    pub(crate) fn of_point(&self, p: Point) -> (f32, f32) {
        let (dx, dy) = (p.x - self.mid.x, p.y - self.mid.y);
        (
            (dx * self.along.0 + dy * self.along.1) / self.ed,
            (dx * self.down.0 + dy * self.down.1) / self.ed,
        )
    }

    /// The photo box round the face-frame box `a0..a1` x `b0..b1`.
    pub(crate) fn rect(&self, a: [f32; 2], b: [f32; 2]) -> Rect {
        let corners = [
            self.at(a[0], b[0]),
            self.at(a[1], b[0]),
            self.at(a[0], b[1]),
            self.at(a[1], b[1]),
        ];
        let x0 = corners.iter().map(|c| c.0).fold(f32::MAX, f32::min);
        let y0 = corners.iter().map(|c| c.1).fold(f32::MAX, f32::min);
        let x1 = corners.iter().map(|c| c.0).fold(f32::MIN, f32::max);
        let y1 = corners.iter().map(|c| c.1).fold(f32::MIN, f32::max);
        Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        }
    }
}

/// Colour at a photo point, bilinear, clamped to the photo.
pub(crate) fn colour(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (img.width() as f32 - 1.0, img.height() as f32 - 1.0);
    let (x, y) = (x.clamp(0.0, w), y.clamp(0.0, h));
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let mut out = [0.0; 3];
    for (dx, dy, k) in [
        (0.0, 0.0, (1.0 - fx) * (1.0 - fy)),
        (1.0, 0.0, fx * (1.0 - fy)),
        (0.0, 1.0, (1.0 - fx) * fy),
        (1.0, 1.0, fx * fy),
    ] {
        let p = img
            .get_pixel((x0 + dx).min(w) as u32, (y0 + dy).min(h) as u32)
            .0;
        for (o, v) in out.iter_mut().zip(p) {
            *o += k * v as f32;
        }
    }
    out
}

pub(crate) fn luma(c: [f32; 3]) -> f32 {
    0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
}

/// Median of `v` (0 when empty).
pub(crate) fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let at = v.len() / 2;
    *v.select_nth_unstable_by(at, f32::total_cmp).1
}

/// Lumas on an `n` x `n` grid over the face-frame box `a` x `b`.
pub(crate) fn grid(
    img: &RgbImage,
    f: &Frame,
    a: [f32; 2],
    b: [f32; 2],
    n: usize,
    out: &mut Vec<f32>,
) {
    for i in 0..n {
        for j in 0..n {
            let (x, y) = f.at(
                a[0] + (a[1] - a[0]) * (j as f32 + 0.5) / n as f32,
                b[0] + (b[1] - b[0]) * (i as f32 + 0.5) / n as f32,
            );
            out.push(luma(colour(img, x, y)));
        }
    }
}

/// Upper edge of each brow, outer end to inner, image-left brow first.
const BROW_TOPS: [usize; 10] = [70, 63, 105, 66, 107, 300, 293, 334, 296, 336];

/// How far down the face (eye distances from the eye line, negative above
/// it) the brows' upper edges lie, on average.
pub(crate) fn brow_line(f: &Frame, mesh: &Mesh) -> f32 {
    BROW_TOPS
        .iter()
        .map(|&i| f.of_point(mesh.at(i)).1)
        .sum::<f32>()
        / BROW_TOPS.len() as f32
}

/// Where the skin is read, as face-frame boxes (along, down): down the
/// nose and over both cheeks, where neither hair nor glasses reach.
pub(crate) const SKIN_BOXES: [([f32; 2], [f32; 2]); 3] = [
    ([-0.05, 0.05], [0.25, 0.5]),
    ([-0.55, -0.3], [0.45, 0.65]),
    ([0.3, 0.55], [0.45, 0.65]),
];

/// The skin's luma: the median over [`SKIN_BOXES`].
pub(crate) fn skin_luma(img: &RgbImage, f: &Frame) -> f32 {
    let mut skin = Vec::new();
    for (a, b) in SKIN_BOXES {
        grid(img, f, a, b, 8, &mut skin);
    }
    median(&mut skin)
}

/// The CIELAB colour at the face-frame point (`a` along, `b` down).
pub(crate) fn lab_at(img: &RgbImage, f: &Frame, a: f32, b: f32) -> crate::colour::Lab {
    let (x, y) = f.at(a, b);
    crate::colour::Lab::from_rgb(colour(img, x, y).map(|v| v.round().clamp(0.0, 255.0) as u8))
}

/// Points on an `n` x `n` grid over the face-frame box `a` x `b`, row by
/// row.
pub(crate) fn grid_points(a: [f32; 2], b: [f32; 2], n: usize) -> impl Iterator<Item = (f32, f32)> {
    (0..n * n).map(move |k| {
        let (i, j) = (k / n, k % n);
        (
            a[0] + (a[1] - a[0]) * (j as f32 + 0.5) / n as f32,
            b[0] + (b[1] - b[0]) * (i as f32 + 0.5) / n as f32,
        )
    })
}

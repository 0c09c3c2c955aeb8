//! Face detection with the bundled YuNet model, run by a small direct
//! interpreter of its graph (read with the project's own ONNX types).
//!
//! The model runs on small canvases: once on the whole photo reduced by a
//! whole factor into [`DETECT_W`] x [`DETECT_H`], which only finds the faces,
//! then on a close-up around each face found, reduced into a [`CLOSE_SIDE`]
//! square, which measures it. Boxes and landmarks are mapped back to the
//! original image's pixel coordinates, and the eyes are then moved onto the
//! irises at full resolution ([`refine_eyes`]). The model is read once
//! per process and shared by every thread. The face mesh ([`MeshModel`],
//! `mesh.rs`) is the second model, run on one face's crop by the same
//! interpreter (`net/`).

mod mesh;
mod net;
mod onnx;

use std::sync::OnceLock;

use image::RgbImage;
use serde::{Deserialize, Serialize};
#[cfg(test)]
use tract_onnx::prelude::*;

use crate::error::Error;
use crate::kernels::blocks::Blocks;
pub use mesh::{Mesh, MeshModel};
use net::{Map, Net};

/// The YuNet face detector (OpenCV Zoo, 2023mar), MIT licence, see `models/`.
pub const YUNET_ONNX: &[u8] = include_bytes!("../../models/face_detection_yunet_2023mar.onnx");

/// Width of the whole-photo canvas (a multiple of 32). A 480x640 photo is
/// reduced 8 times into it (60x80 of its 64x96): a passport face is then
/// about 27 px wide, plenty to be found. Measured on the compliant example
/// scaled down on its backdrop: a face 71 px wide (9 canvas px) is found, one
/// 60 px wide is not.
pub const DETECT_W: usize = 64;

/// Height of the whole-photo canvas (a multiple of 32).
pub const DETECT_H: usize = 96;

/// Longer side of the finer whole-photo pass (a multiple of 32), run when
/// the coarse pass finds no face or one small face: a face 8 % of a wide
/// photo's width is then about 25 px wide, large enough to be found.
const FINE_SIDE: usize = 320;

/// A face narrower than this share of the photo's longer side is small:
/// the coarse pass may have missed others of its size.
const FINE_TRIGGER: f32 = 0.15;

/// Side of the close-up canvas (a multiple of 32).
pub const CLOSE_SIDE: usize = 96;

/// The close-up crop's side over the face box's longer side (rounded to
/// whole pixels, and at least the canvas side).
const CLOSE_MARGIN: f32 = 1.4;

/// Candidates scoring below this are ignored.
const SCORE_THRESHOLD: f32 = 0.6;

/// Overlap above which the weaker of two candidates is suppressed.
const NMS_IOU: f32 = 0.3;
const STRIDES: [usize; 3] = [8, 16, 32];

/// `v` rounded up to a multiple of 32 (at least 32): the model's largest
/// stride, so every canvas side it runs on is one.
fn whole_strides(v: usize) -> usize {
    v.max(32).div_ceil(32) * 32
}

/// A point in image pixel coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Horizontal position, pixels from the left edge.
    pub x: f32,
    /// Vertical position, pixels from the top edge.
    pub y: f32,
}

/// An axis-aligned rectangle in image pixel coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// Horizontal centre.
    pub fn cx(&self) -> f32 {
        self.x + self.w / 2.0
    }
    /// Vertical centre.
    pub fn cy(&self) -> f32 {
        self.y + self.h / 2.0
    }
    fn iou(&self, o: &Rect) -> f32 {
        let ix = (self.x + self.w).min(o.x + o.w) - self.x.max(o.x);
        let iy = (self.y + self.h).min(o.y + o.h) - self.y.max(o.y);
        if ix <= 0.0 || iy <= 0.0 {
            return 0.0;
        }
        let inter = ix * iy;
        inter / (self.w * self.h + o.w * o.h - inter)
    }
}

/// One detected face: box (eyebrows to chin), confidence and five landmarks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Face {
    /// Face box in original-image pixels.
    pub bbox: Rect,
    /// Detector confidence, 0..1.
    pub score: f32,
    /// The eye on the left of the image (the subject's right eye).
    pub eye_left: Point,
    /// The eye on the right of the image (the subject's left eye).
    pub eye_right: Point,
    /// Tip of the nose.
    pub nose: Point,
    /// Mouth corner on the left of the image.
    pub mouth_left: Point,
    /// Mouth corner on the right of the image.
    pub mouth_right: Point,
}

impl Face {
    /// Mid-point between the two eyes.
    pub fn eye_mid(&self) -> Point {
        Point {
            x: (self.eye_left.x + self.eye_right.x) / 2.0,
            y: (self.eye_left.y + self.eye_right.y) / 2.0,
        }
    }
    /// Distance between the eye centres, pixels.
    pub fn eye_distance(&self) -> f32 {
        (self.eye_right.x - self.eye_left.x).hypot(self.eye_right.y - self.eye_left.y)
    }
    /// Angle of the eye line in degrees; positive when the image-right eye is lower.
    pub fn roll_degrees(&self) -> f32 {
        (self.eye_right.y - self.eye_left.y)
            .atan2(self.eye_right.x - self.eye_left.x)
            .to_degrees()
    }
}

/// What runs the model's graph: the project's interpreter, or in tests
/// tract, the reference it is compared with.
enum Engine {
    Own(Net),
    #[cfg(test)]
    Tract(tests::Tract),
}

/// The compiled face detector. Cheap to share: one per process via [`Detector::shared`].
pub struct Detector {
    engine: Engine,
    width: usize,
    height: usize,
    close: usize,
}

static SHARED: OnceLock<Result<Detector, String>> = OnceLock::new();

impl Detector {
    /// The detector photolint uses: a [`DETECT_W`] x [`DETECT_H`] whole-photo
    /// pass and a [`CLOSE_SIDE`]-square close-up pass per face.
    pub fn new() -> Result<Self, Error> {
        Detector::with_input(DETECT_W, DETECT_H, CLOSE_SIDE)
    }

    /// A detector whose whole-photo pass runs on a `width` x `height`
    /// canvas and whose close-up pass on a `close` square (0: no close-up
    /// pass); sides are rounded up to multiples of 32.
    pub fn with_input(width: usize, height: usize, close: usize) -> Result<Self, Error> {
        let net = Net::from_onnx(YUNET_ONNX).map_err(Error::Model)?;
        Ok(Detector {
            engine: Engine::Own(net),
            width: whole_strides(width),
            height: whole_strides(height),
            close: if close == 0 { 0 } else { whole_strides(close) },
        })
    }

    /// The process-wide detector, built on first use.
    pub fn shared() -> Result<&'static Detector, Error> {
        SHARED
            .get_or_init(|| Detector::new().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Model(e.clone()))
    }

    /// Finds the faces in `img`, strongest first, in `img`'s pixel
    /// coordinates: a coarse pass over the whole photo finds them, then each
    /// is measured on a close-up (see [`Detector::close_up`]); a face the
    /// close-up does not find again keeps the coarse pass's measurement.
    #[cfg(any(test, feature = "internals"))]
    pub fn detect(&self, img: &RgbImage) -> Result<Vec<Face>, Error> {
        self.detect_with(img, None)
    }

    /// [`Detector::detect`], given the photo's 2x2 block sums when the
    /// caller has them: the coarse pass then reduces the photo from the
    /// blocks when its factor is even (the same values, from a quarter as
    /// many reads).
    pub fn detect_with(&self, img: &RgbImage, blocks: Option<&Blocks>) -> Result<Vec<Face>, Error> {
        let (w, h) = (img.width() as usize, img.height() as usize);
        if w == 0 || h == 0 {
            return Ok(Vec::new());
        }
        // Whole pixel blocks: the photo reduced by the smallest whole
        // factor that fits the canvas (a few edge pixels may be left out).
        let k = w.div_ceil(self.width).max(h.div_ceil(self.height)).max(1);
        let mut faces = self.run_on(img, blocks, k, (self.width, self.height))?;
        // Faces under about a seventh of the photo are lost in the coarse
        // pass: where it finds none, or only one that small (a group, a
        // wide shot), a finer pass looks again.
        let small = |f: &Face| f.bbox.w < FINE_TRIGGER * w.max(h) as f32;
        if faces.is_empty() || (faces.len() == 1 && faces.iter().all(small)) {
            let kf = w.max(h).div_ceil(FINE_SIDE).max(1);
            if kf < k {
                let canvas = (
                    whole_strides((w / kf).min(FINE_SIDE)),
                    whole_strides((h / kf).min(FINE_SIDE)),
                );
                let fine = self.run_on(img, blocks, kf, canvas)?;
                if fine.len() > faces.len() {
                    faces = fine;
                }
            }
        }
        if self.close > 0 {
            for f in &mut faces {
                if let Some(again) = self.close_up(img, f)? {
                    *f = again;
                }
            }
        }
        Ok(faces)
    }

    /// Measures `face` again on a square crop centred on it, `CLOSE_MARGIN`
    /// times its box's longer side (a whole number of pixels, at least the
    /// canvas side), area-averaged onto the close-up canvas. The reduction
    /// need not be whole: the face fills the same share of the canvas
    /// whatever the photo's size, and the model's box (read for the face
    /// width) depends on that share. The coarse pass alone measures the
    /// face's width too roughly for the width rule (on the scorecard, faces
    /// just under the minimum pass). `None` when the close-up finds no face
    /// near the centre.
    pub fn close_up(&self, img: &RgbImage, face: &Face) -> Result<Option<Face>, Error> {
        let side = face.bbox.w.max(face.bbox.h) * CLOSE_MARGIN;
        if !(side.is_finite() && side > 0.0) || self.close == 0 {
            return Ok(None);
        }
        let (w, h) = (img.width() as i64, img.height() as i64);
        // Beyond twice the photo's longer side the crop is mostly letterbox;
        // a photo smaller than the canvas is not enlarged.
        let close = self.close as i64;
        let s = (side.round() as i64).clamp(close, (2 * w.max(h)).max(close));
        let origin = (
            (face.bbox.cx() - s as f32 / 2.0).round() as i64,
            (face.bbox.cy() - s as f32 / 2.0).round() as i64,
        );
        // Canvas cells whose share of the crop lies inside the photo; the
        // others stay black, as the whole-photo pass's letterbox. Cell edges
        // fall between pixels, so the inside part is rounded to whole pixels
        // (when the whole crop is inside, it is the crop exactly).
        let f = s as f64 / self.close as f64;
        let cells = |o: i64, size: i64| {
            let first = if o >= 0 {
                0
            } else {
                ((-o) as f64 / f).ceil() as usize
            };
            let last = (((size - o) as f64 / f).floor().max(0.0) as usize).min(self.close);
            let px = |c: usize| ((o as f64 + c as f64 * f).round() as i64).clamp(0, size) as usize;
            (first, last, px(first), px(last))
        };
        let (u0, u1, x0, x1) = cells(origin.0, w);
        let (v0, v1, y0, y1) = cells(origin.1, h);
        let mut data = vec![0f32; 3 * self.close * self.close];
        if u1 > u0 && v1 > v0 && x1 > x0 && y1 > y0 {
            let stride = 3 * w as usize;
            let small = crate::kernels::resample::area_average(
                &img.as_raw()[y0 * stride + 3 * x0..],
                x1 - x0,
                y1 - y0,
                stride,
                3,
                u1 - u0,
                v1 - v0,
            );
            fill_planes(&mut data, &small, u1 - u0, self.close, (u0, v0), self.close);
        }
        let scale = s as f32 / self.close as f32;
        let origin = (origin.0 as f32, origin.1 as f32);
        let found = self.run_canvas(data, (self.close, self.close), origin, scale)?;
        let (cx, cy) = (face.bbox.cx(), face.bbox.cy());
        Ok(found
            .into_iter()
            .filter(|f| {
                (f.bbox.cx() - cx).abs() < 0.5 * face.bbox.w
                    && (f.bbox.cy() - cy).abs() < 0.5 * face.bbox.h
            })
            .max_by(|a, b| a.score.total_cmp(&b.score)))
    }

    /// Runs the model on the `dw` x `dh` canvas whose cell `(u, v)` is the
    /// mean of the `k` x `k` photo block at `k * (u, v)`; cells whose block
    /// is not wholly inside the photo are zero (letterbox, as OpenCV's
    /// FaceDetectorYN pads). The means come from `blocks` (the photo's 2x2
    /// block sums) when given and `k` is even, the same values as from the
    /// pixels. Faces come back in photo pixels.
    fn run_on(
        &self,
        img: &RgbImage,
        blocks: Option<&Blocks>,
        k: usize,
        (dw, dh): (usize, usize),
    ) -> Result<Vec<Face>, Error> {
        let k = k.max(1);
        // Cells whose blocks lie inside the photo.
        let cw = (img.width() as usize / k).min(dw);
        let ch = (img.height() as usize / k).min(dh);
        let mut data = vec![0f32; 3 * dh * dw];
        if cw > 0 && ch > 0 {
            let from_blocks = blocks
                .filter(|_| k.is_multiple_of(2))
                .map(|b| b.average(k / 2, cw, ch))
                .filter(|small| small.len() == 3 * cw * ch);
            let small = from_blocks.unwrap_or_else(|| {
                let stride = 3 * img.width() as usize;
                crate::kernels::resample::area_average(
                    img.as_raw(),
                    cw * k,
                    ch * k,
                    stride,
                    3,
                    cw,
                    ch,
                )
            });
            fill_planes(&mut data, &small, cw, dh, (0, 0), dw);
        }
        self.run_canvas(data, (dw, dh), (0.0, 0.0), k as f32)
    }

    /// Runs the model on a canvas of BGR planes whose cell `(u, v)` stands
    /// for the photo at `origin + scale * (u, v)`; faces come back in photo
    /// pixels.
    fn run_canvas(
        &self,
        data: Vec<f32>,
        (dw, dh): (usize, usize),
        (ox, oy): (f32, f32),
        scale: f32,
    ) -> Result<Vec<Face>, Error> {
        let input = Map {
            c: 3,
            h: dh,
            w: dw,
            data,
        };
        let outputs = match &self.engine {
            Engine::Own(net) => net.run(input),
            #[cfg(test)]
            Engine::Tract(t) => t.run(input),
        }
        .map_err(Error::Model)?;
        let mut faces = decode(&outputs, dw).map_err(Error::Model)?;
        for f in &mut faces {
            f.bbox = Rect {
                x: ox + f.bbox.x * scale,
                y: oy + f.bbox.y * scale,
                w: f.bbox.w * scale,
                h: f.bbox.h * scale,
            };
            for p in [
                &mut f.eye_left,
                &mut f.eye_right,
                &mut f.nose,
                &mut f.mouth_left,
                &mut f.mouth_right,
            ] {
                p.x = ox + p.x * scale;
                p.y = oy + p.y * scale;
            }
        }
        Ok(faces)
    }
}

/// Writes the interleaved RGB cells `small` (`cw` wide) into the `dw`-wide
/// canvas `data` as B, G and R planes of raw 0..255 values (the model's
/// input), the first cell at `(u0, v0)`; `dh` is the canvas height.
fn fill_planes(
    data: &mut [f32],
    small: &[f32],
    cw: usize,
    dh: usize,
    (u0, v0): (usize, usize),
    dw: usize,
) {
    let plane = dh * dw;
    for (v, row) in small.chunks_exact(3 * cw).enumerate() {
        for (u, p) in row.chunks_exact(3).enumerate() {
            let i = (v + v0) * dw + u + u0;
            data[i] = p[2];
            data[plane + i] = p[1];
            data[2 * plane + i] = p[0];
        }
    }
}

/// tract's own run of the model file, the reference the interpreter is tested against.
#[cfg(test)]
fn build_plan(w: usize, h: usize) -> TractResult<std::sync::Arc<TypedRunnableModel>> {
    let mut model = tract_onnx::onnx().model_for_read(&mut &YUNET_ONNX[..])?;
    // The file carries 640x640 shapes on every node: forget them so tract
    // re-infers the graph for our input size.
    for node in model.nodes.iter_mut() {
        for out in node.outputs.iter_mut() {
            out.fact = InferenceFact::default();
        }
    }
    model.set_input_fact(0, f32::fact([1, 3, h, w]).into())?;
    model.into_optimized()?.into_runnable()
}

/// Output order of the ONNX graph: cls, obj, bbox, kps, each for strides 8, 16, 32.
fn decode(outputs: &[Vec<f32>], width: usize) -> Result<Vec<Face>, String> {
    if outputs.len() != 12 {
        return Err(format!("expected 12 model outputs, got {}", outputs.len()));
    }
    let mut cands: Vec<Face> = Vec::new();
    for (si, &stride) in STRIDES.iter().enumerate() {
        let cls = &outputs[si];
        let obj = &outputs[3 + si];
        let bbox = &outputs[6 + si];
        let kps = &outputs[9 + si];
        let cols = width / stride;
        let s = stride as f32;
        for i in 0..cls.len().min(obj.len()) {
            let score = (cls[i].clamp(0.0, 1.0) * obj[i].clamp(0.0, 1.0)).sqrt();
            if score < SCORE_THRESHOLD || bbox.len() < 4 * i + 4 || kps.len() < 10 * i + 10 {
                continue;
            }
            let (col, row) = ((i % cols) as f32, (i / cols) as f32);
            let cx = (col + bbox[4 * i]) * s;
            let cy = (row + bbox[4 * i + 1]) * s;
            let bw = bbox[4 * i + 2].exp() * s;
            let bh = bbox[4 * i + 3].exp() * s;
            let k = &kps[10 * i..10 * i + 10];
            let p = |j: usize| Point {
                x: (col + k[2 * j]) * s,
                y: (row + k[2 * j + 1]) * s,
            };
            cands.push(Face {
                bbox: Rect {
                    x: cx - bw / 2.0,
                    y: cy - bh / 2.0,
                    w: bw,
                    h: bh,
                },
                score,
                eye_left: p(0),
                eye_right: p(1),
                nose: p(2),
                mouth_left: p(3),
                mouth_right: p(4),
            });
        }
    }
    cands.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Face> = Vec::new();
    for c in cands {
        if kept.iter().all(|k| k.bbox.iou(&c.bbox) < NMS_IOU) {
            kept.push(c);
        }
    }
    Ok(kept)
}

/// Moves each eye landmark onto the centre of the iris found at full resolution.
///
/// The detector's landmarks, regressed on a reduced copy, wander by a few
/// pixels; the iris is the darkest compact blob around each of them. In a
/// window of 0.44 x 0.30 eye distances around the estimate (small enough to
/// leave the eyebrows out), the darkest 8 % of the smoothed luminance are
/// taken and their darkness-weighted centroid is the eye centre. An estimate
/// that would move further than a quarter of the eye distance is kept as it was.
///
/// The window is only 0.30 eye distances tall, little more than an iris
/// (about 0.2), so on a turned head, where the detector's estimate can sit
/// half an iris too high or low, it cuts the iris and the centroid leans to
/// the part it holds. The window is then moved to the height found and the
/// search repeated, keeping its horizontal place: moving it sideways as
/// well lets a lens reflection over the iris pull it to the eye's corner.
pub fn refine_eyes(img: &RgbImage, face: &mut Face) {
    let ed = face.eye_distance();
    if !(ed.is_finite() && ed >= 8.0) {
        return;
    }
    for eye in [&mut face.eye_left, &mut face.eye_right] {
        let first = iris_centre(img, *eye, ed);
        let second = first.and_then(|p| iris_centre(img, Point { x: eye.x, y: p.y }, ed));
        if let Some(p) = second.or(first) {
            if (p.x - eye.x).hypot(p.y - eye.y) <= 0.25 * ed {
                *eye = p;
            }
        }
    }
}

fn iris_centre(img: &RgbImage, at: Point, ed: f32) -> Option<Point> {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let hx = (0.22 * ed).round() as i64;
    let hy = (0.15 * ed).round() as i64;
    let (cx, cy) = (at.x.round() as i64, at.y.round() as i64);
    let x0 = (cx - hx).max(1);
    let x1 = (cx + hx).min(w - 2);
    let y0 = (cy - hy).max(1);
    let y1 = (cy + hy).min(h - 2);
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    // The lumas of the window and a pixel round it (inside the photo: the
    // window keeps a pixel from every edge), read once.
    let (lw, stride) = ((x1 - x0 + 3) as usize, 3 * w as usize);
    let mut luma = Vec::with_capacity(lw * (y1 - y0 + 3) as usize);
    for y in y0 - 1..=y1 + 1 {
        let start = y as usize * stride + 3 * (x0 - 1) as usize;
        crate::colour::extend_lumas(&mut luma, &img.as_raw()[start..start + 3 * lw]);
    }
    let mut vals = Vec::with_capacity(((x1 - x0 + 1) * (y1 - y0 + 1)) as usize);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let (ly, lx) = ((y - y0 + 1) as usize, (x - x0 + 1) as usize);
            let mut s = 0.0;
            for dy in [-1isize, 0, 1] {
                let row = &luma[(ly as isize + dy) as usize * lw..];
                for dx in [-1isize, 0, 1] {
                    s += row[(lx as isize + dx) as usize];
                }
            }
            vals.push((x, y, s / 9.0));
        }
    }
    // The 8th percentile: selected, not sorted (the same value).
    let mut order: Vec<f32> = vals.iter().map(|v| v.2).collect();
    let at = (order.len() as f32 * 0.08) as usize;
    let thr = *order.select_nth_unstable_by(at, f32::total_cmp).1;
    let (mut sx, mut sy, mut sw) = (0.0f64, 0.0f64, 0.0f64);
    for &(x, y, l) in &vals {
        if l <= thr {
            let wgt = (thr - l + 1.0) as f64;
            sx += x as f64 * wgt;
            sy += y as f64 * wgt;
            sw += wgt;
        }
    }
    (sw > 0.0).then(|| Point {
        x: (sx / sw) as f32 + 0.5,
        y: (sy / sw) as f32 + 0.5,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The photo's pixels as the detector's input planes, and the canvas.
    fn canvas(w: usize, h: usize) -> Vec<f32> {
        let bytes = include_bytes!("../../../../testdata/examples/compliant.jpg");
        let img = crate::decode::decode(bytes, Default::default())
            .expect("example decodes")
            .rgb;
        let small = crate::kernels::resample::area_average(
            img.as_raw(),
            img.width() as usize,
            img.height() as usize,
            3 * img.width() as usize,
            3,
            w,
            h,
        );
        let plane = w * h;
        let mut data = vec![0f32; 3 * plane];
        for (i, p) in small.chunks_exact(3).enumerate() {
            data[i] = p[2];
            data[plane + i] = p[1];
            data[2 * plane + i] = p[0];
        }
        data
    }

    /// Photos of any shape, down to one pixel, and faces cut by the edge of
    /// the photo give faces or none, never an error or a panic; the
    /// close-up of a face found near an edge lands on the same face.
    #[test]
    fn odd_shapes_and_edge_faces() {
        let det = Detector::shared().expect("model reads");
        for (w, h) in [(1u32, 1u32), (7, 300), (300, 7), (33, 33), (2000, 40)] {
            let img = RgbImage::from_pixel(w, h, image::Rgb([100, 197, 255]));
            assert_eq!(det.detect(&img).expect("runs").len(), 0, "{w}x{h}");
        }
        let bytes = include_bytes!("../../../../testdata/examples/compliant.jpg");
        let img = crate::decode::decode(bytes, Default::default())
            .expect("example decodes")
            .rgb;
        // Photos smaller than the close-up canvas, with the face in them:
        // found or not, never a panic.
        for (w, h) in [(36u32, 48u32), (24, 32), (72, 96)] {
            let small = image::imageops::resize(&img, w, h, image::imageops::FilterType::Triangle);
            for f in det.detect(&small).expect("runs") {
                assert!(f.bbox.w.is_finite() && f.bbox.w > 0.0, "{w}x{h}: {f:?}");
            }
        }
        // The photo shifted left by 150 px: the face's left half is gone.
        let cut = image::imageops::crop_imm(&img, 150, 0, 330, 640).to_image();
        let faces = det.detect(&cut).expect("runs");
        let full = det.detect(&img).expect("runs");
        let (a, b) = (&faces[0], &full[0]);
        // Half a face is less certain: within 6 px of the whole face's.
        assert!(
            (a.eye_right.x + 150.0 - b.eye_right.x).abs() < 6.0,
            "{a:?} {b:?}"
        );
        assert!((a.eye_right.y - b.eye_right.y).abs() < 6.0, "{a:?} {b:?}");
    }

    /// A file that is not the model, or a graph with an operation the
    /// interpreter does not know, is refused with an error.
    #[test]
    fn interpreter_refuses_what_it_cannot_run() {
        assert!(Net::from_onnx(b"not an onnx file").is_err());
        // The first node's operation "Relu" (field 4 of a NodeProto, 4 bytes
        // long) renamed "Relx" in the file's bytes: same length, unknown op.
        let at = YUNET_ONNX
            .windows(6)
            .position(|w| w == b"\x22\x04Relu")
            .expect("the model has a ReLU");
        let mut bytes = YUNET_ONNX.to_vec();
        bytes[at + 5] = b'x';
        match Net::from_onnx(&bytes) {
            Ok(_) => panic!("a graph with an unknown operation was accepted"),
            Err(e) => assert!(e.contains("Relx"), "{e}"),
        }
    }

    /// tract's run of the model, planned once per canvas size.
    pub(super) struct Tract {
        plans: std::sync::Mutex<HashMap<(usize, usize), Arc<TypedRunnableModel>>>,
    }

    impl Tract {
        pub(super) fn run(&self, input: Map) -> Result<Vec<Vec<f32>>, String> {
            let (w, h) = (input.w, input.h);
            let plan = {
                let mut plans = self.plans.lock().map_err(|e| e.to_string())?;
                match plans.get(&(w, h)) {
                    Some(p) => p.clone(),
                    None => {
                        let p = build_plan(w, h).map_err(|e| e.to_string())?;
                        plans.insert((w, h), p.clone());
                        p
                    }
                }
            };
            let array = tract_ndarray::Array4::from_shape_vec((1, 3, h, w), input.data)
                .map_err(|e| e.to_string())?;
            let outputs = plan
                .run(tvec!(Tensor::from(array).into()))
                .map_err(|e| e.to_string())?;
            outputs
                .iter()
                .map(|t| {
                    let view = t.try_as_plain_ram().map_err(|e| e.to_string())?;
                    Ok(view.as_slice::<f32>().map_err(|e| e.to_string())?.to_vec())
                })
                .collect()
        }
    }

    /// The photos the detector is compared on: the generated evaluation
    /// corpus and, when it is beside the clone, the real-photo set.
    fn oracle_photos() -> Vec<(String, RgbImage)> {
        let mut photos: Vec<(String, RgbImage)> = photolint_testkit::corpus::evaluation_corpus()
            .into_iter()
            .map(|f| (f.label.name, f.pixels))
            .collect();
        let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/realdev");
        let mut files = Vec::new();
        for sub in ["photos", "variants"] {
            if let Ok(dir) = std::fs::read_dir(real.join(sub)) {
                files.extend(dir.flatten().map(|e| e.path()));
            }
        }
        if files.is_empty() {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "*** SKIPPED: ../shared/realdev is absent: the detector was compared with \
                 tract on the generated corpus only"
            );
        }
        files.sort();
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            if let Ok(decoded) = crate::decode::decode(&bytes, Default::default()) {
                photos.push((path.display().to_string(), decoded.rgb));
            }
        }
        photos
    }

    /// The faces the detector finds (boxes, scores, landmarks, after the
    /// close-up pass and suppression) are the faces it finds when tract
    /// runs the graph, on every generated and real photo: the same number,
    /// within 0.001 px and 1e-6 of score (measured: 0.0003 px, 1.2e-7).
    #[test]
    fn faces_match_tract_on_corpus_and_real_photos() {
        let own = Detector::new().expect("model reads");
        let tract = Detector {
            engine: Engine::Tract(Tract {
                plans: Default::default(),
            }),
            ..Detector::new().expect("model reads")
        };
        let (mut worst_px, mut worst_score, mut faces) = (0f32, 0f32, 0usize);
        let photos = oracle_photos();
        for (name, img) in &photos {
            let a = own.detect(img).expect("interpreter runs");
            let b = tract.detect(img).expect("tract runs");
            assert_eq!(a.len(), b.len(), "{name}: {a:?} vs {b:?}");
            for (x, y) in a.iter().zip(&b) {
                let coords = |f: &Face| {
                    [
                        f.bbox.x,
                        f.bbox.y,
                        f.bbox.w,
                        f.bbox.h,
                        f.eye_left.x,
                        f.eye_left.y,
                        f.eye_right.x,
                        f.eye_right.y,
                        f.nose.x,
                        f.nose.y,
                        f.mouth_left.x,
                        f.mouth_left.y,
                        f.mouth_right.x,
                        f.mouth_right.y,
                    ]
                };
                for (p, q) in coords(x).iter().zip(coords(y)) {
                    worst_px = worst_px.max((p - q).abs());
                }
                worst_score = worst_score.max((x.score - y.score).abs());
                faces += 1;
            }
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "detector vs tract: {} photos, {faces} faces, worst {worst_px} px, score {worst_score}",
            photos.len()
        );
        assert!(
            worst_px <= 0.001,
            "worst coordinate difference {worst_px} px"
        );
        assert!(worst_score <= 1e-6, "worst score difference {worst_score}");
    }

    /// Every output of the interpreter matches tract's run of the same file
    /// on the same input, at the canvas photolint uses and a larger one.
    #[test]
    fn interpreter_matches_tract_on_every_output() {
        let net = Net::from_onnx(YUNET_ONNX).expect("graph reads");
        for (w, h) in [(96usize, 128usize), (256, 320)] {
            let data = canvas(w, h);
            let ours = net
                .run(Map {
                    c: 3,
                    h,
                    w,
                    data: data.clone(),
                })
                .expect("interpreter runs");
            let plan = build_plan(w, h).expect("tract compiles");
            let input = tract_ndarray::Array4::from_shape_vec((1, 3, h, w), data).expect("shape");
            let theirs = plan
                .run(tvec!(Tensor::from(input).into()))
                .expect("tract runs");
            assert_eq!(ours.len(), theirs.len());
            let mut worst = 0f32;
            for (k, (a, b)) in ours.iter().zip(theirs.iter()).enumerate() {
                let view = b.try_as_plain_ram().expect("plain output");
                let b = view.as_slice::<f32>().expect("f32 output");
                assert_eq!(a.len(), b.len(), "output {k} at {w}x{h}");
                for (x, y) in a.iter().zip(b) {
                    worst = worst.max((x - y).abs() / y.abs().max(1.0));
                }
            }
            assert!(worst < 1e-5, "{w}x{h}: worst relative difference {worst}");
        }
    }
}

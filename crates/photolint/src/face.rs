//! Face detection with the bundled YuNet model (run by tract-onnx, pure Rust).
//!
//! The model runs on a reduced copy of the photo (letterboxed into
//! [`DETECT_W`] x [`DETECT_H`]); boxes and landmarks are mapped back to the
//! original image's pixel coordinates. The compiled model is built once per
//! process and shared by every thread.

use std::sync::{Arc, OnceLock};

use image::{imageops, RgbImage};
use serde::{Deserialize, Serialize};
use tract_onnx::prelude::*;

use crate::error::Error;

/// The YuNet face detector (OpenCV Zoo, 2023mar), MIT licence, see `models/`.
pub const YUNET_ONNX: &[u8] = include_bytes!("../models/face_detection_yunet_2023mar.onnx");

/// Width of the detector's input canvas (a multiple of 32).
pub const DETECT_W: usize = 256;
/// Height of the detector's input canvas (a multiple of 32).
pub const DETECT_H: usize = 320;

/// Candidates scoring below this are ignored.
const SCORE_THRESHOLD: f32 = 0.6;
/// Overlap above which the weaker of two candidates is suppressed.
const NMS_IOU: f32 = 0.3;
const STRIDES: [usize; 3] = [8, 16, 32];

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

type Plan = Arc<TypedRunnableModel>;

/// The compiled face detector. Cheap to share: one per process via [`Detector::shared`].
pub struct Detector {
    plan: Plan,
}

static SHARED: OnceLock<Result<Detector, String>> = OnceLock::new();

impl Detector {
    /// Compiles the bundled model for the [`DETECT_W`] x [`DETECT_H`] input.
    pub fn new() -> Result<Self, Error> {
        let plan = build_plan(DETECT_W, DETECT_H).map_err(|e| Error::Model(e.to_string()))?;
        Ok(Detector { plan })
    }

    /// The process-wide detector, compiled on first use.
    pub fn shared() -> Result<&'static Detector, Error> {
        SHARED
            .get_or_init(|| Detector::new().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Model(e.clone()))
    }

    /// Finds the faces in `img`, strongest first, in `img`'s pixel coordinates.
    pub fn detect(&self, img: &RgbImage) -> Result<Vec<Face>, Error> {
        let (w, h) = (img.width() as f32, img.height() as f32);
        if w < 1.0 || h < 1.0 {
            return Ok(Vec::new());
        }
        let scale = (DETECT_W as f32 / w).min(DETECT_H as f32 / h);
        let sw = ((w * scale).round() as u32).clamp(1, DETECT_W as u32);
        let sh = ((h * scale).round() as u32).clamp(1, DETECT_H as u32);
        let small = imageops::resize(img, sw, sh, imageops::FilterType::Triangle);
        // Letterbox at the top-left with zeros, as OpenCV's FaceDetectorYN does.
        let mut input = tract_ndarray::Array4::<f32>::zeros((1, 3, DETECT_H, DETECT_W));
        for (x, y, p) in small.enumerate_pixels() {
            let (x, y) = (x as usize, y as usize);
            // BGR order, raw 0..255 values.
            input[[0, 0, y, x]] = p[2] as f32;
            input[[0, 1, y, x]] = p[1] as f32;
            input[[0, 2, y, x]] = p[0] as f32;
        }
        let outputs = self
            .plan
            .run(tvec!(Tensor::from(input).into()))
            .map_err(|e| Error::Model(e.to_string()))?;
        let mut faces = decode(&outputs).map_err(|e| Error::Model(e.to_string()))?;
        // Back to original pixels: the actual resize ratio per axis.
        let (fx, fy) = (w / sw as f32, h / sh as f32);
        for f in &mut faces {
            f.bbox = Rect {
                x: f.bbox.x * fx,
                y: f.bbox.y * fy,
                w: f.bbox.w * fx,
                h: f.bbox.h * fy,
            };
            for p in [
                &mut f.eye_left,
                &mut f.eye_right,
                &mut f.nose,
                &mut f.mouth_left,
                &mut f.mouth_right,
            ] {
                p.x *= fx;
                p.y *= fy;
            }
        }
        Ok(faces)
    }
}

fn build_plan(w: usize, h: usize) -> TractResult<Plan> {
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
fn decode(outputs: &[TValue]) -> TractResult<Vec<Face>> {
    if outputs.len() != 12 {
        return Err(TractError::msg(format!(
            "expected 12 model outputs, got {}",
            outputs.len()
        )));
    }
    let mut cands: Vec<Face> = Vec::new();
    for (si, &stride) in STRIDES.iter().enumerate() {
        let cls_view = outputs[si].try_as_plain_ram()?;
        let cls = cls_view.as_slice::<f32>()?;
        let obj_view = outputs[3 + si].try_as_plain_ram()?;
        let obj = obj_view.as_slice::<f32>()?;
        let bbox_view = outputs[6 + si].try_as_plain_ram()?;
        let bbox = bbox_view.as_slice::<f32>()?;
        let kps_view = outputs[9 + si].try_as_plain_ram()?;
        let kps = kps_view.as_slice::<f32>()?;
        let cols = DETECT_W / stride;
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

/// Luminance (Rec. 601 weights) of a pixel, 0..255.
pub fn luma(p: &image::Rgb<u8>) -> f32 {
    0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32
}

/// Moves each eye landmark onto the centre of the iris found at full resolution.
///
/// The detector's landmarks, regressed on a reduced copy, wander by a few
/// pixels; the iris is the darkest compact blob around each of them. In a
/// window of 0.44 x 0.30 eye distances around the estimate (small enough to
/// leave the eyebrows out), the darkest 8 % of the smoothed luminance are
/// taken and their darkness-weighted centroid is the eye centre. An estimate
/// that would move further than a quarter of the eye distance is kept as it was.
pub fn refine_eyes(img: &RgbImage, face: &mut Face) {
    let ed = face.eye_distance();
    if !(ed.is_finite() && ed >= 8.0) {
        return;
    }
    for eye in [&mut face.eye_left, &mut face.eye_right] {
        if let Some(p) = iris_centre(img, *eye, ed) {
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
    let mut vals = Vec::with_capacity(((x1 - x0 + 1) * (y1 - y0 + 1)) as usize);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let mut s = 0.0;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    s += luma(img.get_pixel((x + dx) as u32, (y + dy) as u32));
                }
            }
            vals.push((x, y, s / 9.0));
        }
    }
    let mut sorted: Vec<f32> = vals.iter().map(|v| v.2).collect();
    sorted.sort_by(f32::total_cmp);
    let thr = sorted[(sorted.len() as f32 * 0.08) as usize];
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

//! The face mesh: MediaPipe's face-landmark model (468 points), run by the
//! same interpreter as the detector on a 192x192 crop around each face.
//!
//! The crop is the square MediaPipe's own pipeline gives the model: 1.5
//! times the face box's longer side, centred on the box and turned by the
//! eye line's roll so that the face is upright in it. The points come back
//! in the photo's pixels. The model places every point even where hair,
//! glasses or a hat cover the face: the mesh says where to look, the pixels
//! there say what is seen.

use std::sync::OnceLock;

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::net::{Map, Net};
use super::{Face, Point};
use crate::error::Error;

/// MediaPipe's face-landmark model converted to ONNX, Apache-2.0, see `models/`.
#[cfg(not(target_arch = "wasm32"))]
pub const FACEMESH_ONNX: &[u8] = include_bytes!("../../models/face_landmark.onnx");

/// The same model deflated by build.rs: in the browser it is most of the
/// download.
#[cfg(target_arch = "wasm32")]
const FACEMESH_ONNX_DEFLATED: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/face_landmark.onnx.deflate"));

/// The model's bytes.
fn facemesh_onnx() -> Result<std::borrow::Cow<'static, [u8]>, String> {
    #[cfg(not(target_arch = "wasm32"))]
    return Ok(std::borrow::Cow::Borrowed(FACEMESH_ONNX));
    #[cfg(target_arch = "wasm32")]
    miniz_oxide::inflate::decompress_to_vec(FACEMESH_ONNX_DEFLATED)
        .map(std::borrow::Cow::Owned)
        .map_err(|e| format!("the bundled face-mesh model does not inflate: {e:?}"))
}

/// Side of the model's square input.
pub const MESH_SIDE: usize = 192;

/// Points in the mesh.
pub const MESH_POINTS: usize = 468;

/// The crop's side over the face box's longer side (MediaPipe's ROI scale).
const CROP_SCALE: f32 = 1.5;

/// The 468 points of one face, in the photo's pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mesh {
    /// x, y in the photo's pixels, z (depth) in the same scale, relative to
    /// the face's centre; MediaPipe's canonical numbering.
    pub points: Vec<[f32; 3]>,
    /// The model's confidence that a face fills the crop, 0..1.
    pub presence: f32,
}

impl Mesh {
    /// Point `i` in the photo (x, y).
    pub fn at(&self, i: usize) -> Point {
        self.points
            .get(i)
            .map_or(Point { x: 0.0, y: 0.0 }, |p| Point { x: p[0], y: p[1] })
    }

    /// Distance between points `a` and `b`, pixels.
    pub fn dist(&self, a: usize, b: usize) -> f32 {
        let (p, q) = (self.at(a), self.at(b));
        (p.x - q.x).hypot(p.y - q.y)
    }
}

/// Where the crop sits in the photo: centre, side and the turn (radians)
/// that makes the face upright.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Crop {
    cx: f32,
    cy: f32,
    side: f32,
    angle: f32,
}

impl Crop {
    /// The crop around `face`.
    pub(crate) fn around(face: &Face) -> Crop {
        Crop {
            cx: face.bbox.cx(),
            cy: face.bbox.cy(),
            side: face.bbox.w.max(face.bbox.h) * CROP_SCALE,
            angle: face.roll_degrees().to_radians(),
        }
    }

    /// The photo point seen at crop pixel (u, v) (model pixels, 0..192).
    fn to_photo(self, u: f32, v: f32) -> (f32, f32) {
        let k = self.side / MESH_SIDE as f32;
        let (dx, dy) = (
            (u - MESH_SIDE as f32 / 2.0) * k,
            (v - MESH_SIDE as f32 / 2.0) * k,
        );
        let (s, c) = self.angle.sin_cos();
        (self.cx + c * dx - s * dy, self.cy + s * dx + c * dy)
    }
}

/// The model's input for `crop` of `img`: 192x192 RGB in 0..1, position by
/// position. The part of the photo under the crop is first area-averaged
/// to about one pixel per model pixel (so a large photo is not aliased),
/// then sampled bilinearly along the turned grid; outside the photo is
/// black, as MediaPipe pads.
pub(crate) fn crop_input(img: &RgbImage, crop: Crop) -> Vec<f32> {
    let (iw, ih) = (img.width() as f32, img.height() as f32);
    // The photo's pixels under the turned square, and the reduction that
    // brings them to the model's scale.
    let reach = crop.side / 2.0 * (crop.angle.cos().abs() + crop.angle.sin().abs()) + 2.0;
    let x0 = (crop.cx - reach).floor().clamp(0.0, iw) as usize;
    let x1 = (crop.cx + reach).ceil().clamp(0.0, iw) as usize;
    let y0 = (crop.cy - reach).floor().clamp(0.0, ih) as usize;
    let y1 = (crop.cy + reach).ceil().clamp(0.0, ih) as usize;
    let mut out = vec![0f32; MESH_SIDE * MESH_SIDE * 3];
    if x1 <= x0 || y1 <= y0 {
        return out;
    }
    // A whole reduction factor, so the averaging is by whole blocks; below
    // a factor of 2 the model gets bilinear samples of the photo itself,
    // as MediaPipe's own crop does.
    let n = ((crop.side / MESH_SIDE as f32).floor() as usize).max(1);
    let (rw, rh) = ((x1 - x0) / n * n, (y1 - y0) / n * n);
    if rw == 0 || rh == 0 {
        return out;
    }
    let stride = 3 * img.width() as usize;
    let origin = (x0 as f32, y0 as f32);
    if n == 1 {
        // The photo's own pixels, read in place.
        let src = &img.as_raw()[y0 * stride + 3 * x0..];
        sample(&mut out, src, stride, (rw, rh), crop, origin, 1.0);
    } else {
        let small = crate::kernels::resample::area_average(
            &img.as_raw()[y0 * stride + 3 * x0..],
            rw,
            rh,
            stride,
            3,
            rw / n,
            rh / n,
        );
        let k = 1.0 / n as f32;
        sample(
            &mut out,
            &small,
            3 * (rw / n),
            (rw / n, rh / n),
            crop,
            origin,
            k,
        );
    }
    out
}

/// Fills `out` (the model's input) with bilinear samples of `src`, a
/// `w` x `h` image of interleaved RGB rows `stride` values apart whose
/// pixel (0, 0) is the photo's `origin`, scaled by `k` from the photo.
fn sample<T: Copy + Into<f32>>(
    out: &mut [f32],
    src: &[T],
    stride: usize,
    (w, h): (usize, usize),
    crop: Crop,
    origin: (f32, f32),
    k: f32,
) {
    let px = |x: i64, y: i64| -> [f32; 3] {
        if x < 0 || y < 0 || x >= w as i64 || y >= h as i64 {
            return [0.0; 3];
        }
        let i = y as usize * stride + 3 * x as usize;
        [src[i].into(), src[i + 1].into(), src[i + 2].into()]
    };
    // The photo point under model pixel (u, v) moves by fixed steps along
    // a row and down the rows: in `src` pixels, centres at +0.5.
    let (ox, oy) = crop.to_photo(0.5, 0.5);
    let (ux, uy) = crop.to_photo(1.5, 0.5);
    let (vx, vy) = crop.to_photo(0.5, 1.5);
    let start = ((ox - origin.0) * k - 0.5, (oy - origin.1) * k - 0.5);
    let along = ((ux - ox) * k, (uy - oy) * k);
    let down = ((vx - ox) * k, (vy - oy) * k);
    for v in 0..MESH_SIDE {
        for u in 0..MESH_SIDE {
            let sx = start.0 + along.0 * u as f32 + down.0 * v as f32;
            let sy = start.1 + along.1 * u as f32 + down.1 * v as f32;
            // Floor without a library call (baseline x86 has no rounding
            // instruction): truncate, one less below zero.
            let xa = sx as i64 - i64::from(sx < 0.0);
            let ya = sy as i64 - i64::from(sy < 0.0);
            let (fx, fy) = (sx - xa as f32, sy - ya as f32);
            let (a, b, c, d) = if xa >= 0 && ya >= 0 && xa + 1 < w as i64 && ya + 1 < h as i64 {
                let i = ya as usize * stride + 3 * xa as usize;
                let j = i + stride;
                let at = |p: usize| -> [f32; 3] {
                    [src[p].into(), src[p + 1].into(), src[p + 2].into()]
                };
                (at(i), at(i + 3), at(j), at(j + 3))
            } else {
                (
                    px(xa, ya),
                    px(xa + 1, ya),
                    px(xa, ya + 1),
                    px(xa + 1, ya + 1),
                )
            };
            let at = 3 * (v * MESH_SIDE + u);
            for ch in 0..3 {
                let top = a[ch] + (b[ch] - a[ch]) * fx;
                let bottom = c[ch] + (d[ch] - c[ch]) * fx;
                out[at + ch] = (top + (bottom - top) * fy) / 255.0;
            }
        }
    }
}

/// The compiled face-mesh model. One per process via [`MeshModel::shared`].
pub struct MeshModel {
    net: Net,
}

static SHARED: OnceLock<Result<MeshModel, String>> = OnceLock::new();

impl MeshModel {
    /// Reads the bundled model.
    pub fn new() -> Result<Self, Error> {
        Ok(MeshModel {
            net: Net::from_onnx(&facemesh_onnx().map_err(Error::Model)?).map_err(Error::Model)?,
        })
    }

    /// The process-wide model, built on first use.
    pub fn shared() -> Result<&'static MeshModel, Error> {
        SHARED
            .get_or_init(|| MeshModel::new().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::Model(e.clone()))
    }

    /// The raw outputs for one model input (see [`crop_input`]): 1404
    /// coordinates in model pixels and the presence logit.
    pub(crate) fn run_input(&self, input: Vec<f32>) -> Result<(Vec<f32>, f32), Error> {
        let map = Map {
            c: 3,
            h: MESH_SIDE,
            w: MESH_SIDE,
            data: input,
        };
        let mut out = self.net.run(map).map_err(Error::Model)?;
        let presence = out
            .get(1)
            .and_then(|v| v.first().copied())
            .ok_or_else(|| Error::Model("the mesh gave no presence score".into()))?;
        let coords = out.swap_remove(0);
        if coords.len() != 3 * MESH_POINTS {
            return Err(Error::Model(format!(
                "the mesh gave {} coordinates, {} expected",
                coords.len(),
                3 * MESH_POINTS
            )));
        }
        Ok((coords, presence))
    }

    /// The mesh of `face` in `img`.
    pub fn mesh(&self, img: &RgbImage, face: &Face) -> Result<Mesh, Error> {
        let crop = Crop::around(face);
        let (coords, logit) = self.run_input(crop_input(img, crop))?;
        let zk = crop.side / MESH_SIDE as f32;
        let points = coords
            .chunks_exact(3)
            .map(|p| {
                let (x, y) = crop.to_photo(p[0], p[1]);
                [x, y, p[2] * zk]
            })
            .collect();
        Ok(Mesh {
            points,
            presence: 1.0 / (1.0 + (-logit).exp()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tract_onnx::prelude::*;

    fn sample(name: &str) -> RgbImage {
        let path = format!(
            "{}/../../testdata/samples/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        image::open(&path).expect(&path).to_rgb8()
    }

    /// tract's run of the model file on one input.
    fn tract_run(input: &[f32]) -> (Vec<f32>, f32) {
        let plan = tract_onnx::onnx()
            .model_for_read(&mut &FACEMESH_ONNX[..])
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .expect("tract builds the mesh");
        let t = tract_ndarray::Array4::from_shape_vec((1, MESH_SIDE, MESH_SIDE, 3), input.to_vec())
            .expect("shape");
        let out = plan.run(tvec!(Tensor::from(t).into())).expect("tract runs");
        let values = |k: usize| -> Vec<f32> {
            let view = out[k].try_as_plain_ram().expect("plain output");
            view.as_slice::<f32>().expect("f32 output").to_vec()
        };
        let (coords, logit) = (values(0), values(1)[0]);
        (coords, logit)
    }

    #[test]
    fn interpreter_matches_tract_on_the_sample_faces() {
        let model = MeshModel::new().expect("the mesh reads");
        let det = crate::detect::Detector::new().expect("detector");
        let mut worst = 0f32;
        let mut faces = 0;
        for entry in std::fs::read_dir(format!(
            "{}/../../testdata/samples",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("samples")
        {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "png" && e != "jpg") {
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let img = sample(name);
            let Some(face) = det.detect(&img).expect("detects").into_iter().next() else {
                continue;
            };
            let input = crop_input(&img, Crop::around(&face));
            let (ours, our_logit) = model.run_input(input.clone()).expect("runs");
            let (theirs, their_logit) = tract_run(&input);
            let d = ours
                .iter()
                .zip(&theirs)
                .map(|(a, b)| (a - b).abs())
                .fold(0f32, f32::max);
            worst = worst.max(d);
            assert!((our_logit - their_logit).abs() < 1e-3, "{name}: presence");
            faces += 1;
        }
        assert!(faces >= 3, "only {faces} sample faces");
        assert!(worst < 1e-3, "worst difference {worst} model px");
    }
}

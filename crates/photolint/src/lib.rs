//! photolint: checks portrait photos against ID-photo rules.
//!
//! The pipeline runs one way: bytes → decoded pixels and
//! [`report::FileFacts`] (`decode/`) → faces (`detect/`) → the person's
//! silhouette (`silhouette.rs`) → [`report::Measurements`] (`measure/`) →
//! findings ([`rules`]) → [`Report`]. The stages are internal; one call,
//! [`Checker::check`], runs them. The library never prints and never exits.
//!
//! ```no_run
//! let checker = photolint::Checker::new(photolint::Profile::built_in("chsi-diploma")?);
//! let checked = checker.check(std::path::Path::new("photo.jpg"))?;
//! println!("{:?}", checked.report.verdict);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// The pipeline: decode -> detect -> silhouette -> measure -> rules ->
// report. The stages are internal; what a report holds is public through
// `report`.
mod decode;
mod detect;
mod measure;
pub mod report;
pub mod rules;
mod silhouette;
// What the stages share, and the rest of the public API.
pub mod annotate;
mod colour;
pub mod error;
pub mod fix;
mod kernels;
mod naming;
pub mod profile;
pub mod walk;

/// The pipeline's stages, for the stage benches and the diagnostic
/// examples (`--features internals`). Not a stable API.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::decode::jpeg::{estimate_quality, headers};
    pub use crate::decode::{decode, Input};
    pub use crate::detect::{refine_eyes, Detector, Mesh, MeshModel, YUNET_ONNX};
    pub use crate::kernels::blocks::Blocks;
    pub use crate::measure::{
        background, clothing, clothing_region, exposure_from_backdrop, framing, light,
        ClothingRegion, Grid,
    };
    pub use crate::silhouette::silhouette;
}

pub use error::{Error, ErrorInfo};
pub use fix::{Fixed, Refusal};
pub use profile::Profile;
pub use report::{Finding, Report, Severity, Unit, Unjudged, Verdict};
pub use rules::Lang;

pub use decode::DecodeLimits;
use detect::Detector;
use measure::Measurements;
use std::io::Read;

/// Checks photos against one profile. Cheap to clone and safe to share across threads.
#[derive(Debug, Clone)]
pub struct Checker {
    profile: Profile,
    limits: DecodeLimits,
}

impl Checker {
    /// A checker for `profile` with the default decoder limits.
    pub fn new(profile: Profile) -> Checker {
        Checker {
            profile,
            limits: DecodeLimits::default(),
        }
    }

    /// Replaces the decoder limits.
    pub fn with_limits(mut self, limits: DecodeLimits) -> Checker {
        self.limits = limits;
        self
    }

    /// The decoder limits in force.
    pub fn limits(&self) -> DecodeLimits {
        self.limits
    }

    /// The profile photos are judged by.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Checks one photo: a file (read, never changed; see [`read_file`]) or
    /// bytes with the name they came under, if any. A name's extension is
    /// judged too (a PNG named `.jpg` is caught) and the profile's naming
    /// rule reads it; bytes without a name are judged on their content.
    /// The result holds the report and the upright pixels it was made from
    /// (for an annotated copy).
    pub fn check<'a>(&self, source: impl Into<Source<'a>>) -> Result<Checked, Error> {
        let owned;
        let (bytes, name) = match source.into() {
            Source::File(path) => {
                owned = read_file(path, self.limits)?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (owned.as_slice(), Some(name))
            }
            Source::Bytes { bytes, name } => (bytes, name.map(str::to_string)),
        };
        let mut input = decode::decode(bytes, self.limits)?;
        if let Some(name) = name {
            input.facts.extension = Some(
                std::path::Path::new(&name)
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .unwrap_or_default(),
            );
            input.facts.file_name = Some(name);
        }
        self.check_input(input)
    }

    fn check_input(&self, input: decode::Input) -> Result<Checked, Error> {
        let detector = Detector::shared()?;
        // The 2x2 block sums serve the detector's whole-photo pass as well
        // as the silhouette and the colour grid.
        let blocks = kernels::blocks::Blocks::new(&input.rgb);
        let mut faces = detector.detect_with(&input.rgb, Some(&blocks))?;
        for f in &mut faces {
            detect::refine_eyes(&input.rgb, f);
        }
        let mut measurements = Measurements {
            face_count: faces.len(),
            framing: None,
            background: None,
            clothing: None,
            light: None,
            face: None,
        };
        if let [one] = faces.as_slice() {
            let p = &self.profile;
            let sil = silhouette::silhouette(&input.rgb, &blocks, one);
            let grid = measure::Grid::new(&blocks, &sil);
            let ref_scale = p.reference_width as f32 / input.rgb.width().max(1) as f32;
            let background = measure::background(&grid, one, ref_scale, &p.background);
            measurements.clothing = Some(measure::clothing(
                &grid,
                one,
                background.as_ref().map(|b| b.mean),
                [sil.shoulder_left, sil.shoulder_right],
                ref_scale,
                &p.clothing,
            ));
            // Exposure is read on the backdrop, whose true colour the profile
            // knows: the allowed colour it is a brighter or darker copy of.
            let exposure = background.as_ref().and_then(|b| {
                p.background
                    .allowed
                    .iter()
                    .filter_map(|c| measure::exposure_from_backdrop(b.mean, c.rgb))
                    .min_by(|a, b| a.abs().total_cmp(&b.abs()))
            });
            measurements.light = Some(measure::light(
                &input.rgb, &blocks, one, &sil, exposure, ref_scale,
            ));
            measurements.background = background;
            measurements.framing = Some(measure::framing(
                one,
                &sil,
                p.reference_width,
                p.reference_height,
            ));
            // The mesh only where its rules are judged: a face wide enough
            // to show its lips and a frame's lines, and a profile with face
            // rules.
            if p.face
                .as_ref()
                .is_some_and(|fr| one.bbox.w as f64 >= fr.min_face_px)
            {
                let mesh = detect::MeshModel::shared()?.mesh(&input.rgb, one)?;
                measurements.face = Some(measure::features(&input.rgb, &mesh, &sil));
            }
        }
        let rules::Judged { findings, unjudged } = rules::judge(
            &measurements,
            &input.facts,
            &self.profile,
            input.rgb.width(),
        );
        let verdict = if findings.iter().any(|f| f.severity == Severity::Error) {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
        Ok(Checked {
            report: Report {
                profile: self.profile.name.clone(),
                verdict,
                file: input.facts,
                faces,
                measurements,
                findings,
                unjudged,
            },
            image: input.rgb,
        })
    }
}

/// A photo to check: a file, or bytes with the file name they came under.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A file on disk, read within the decoder limits.
    File(&'a std::path::Path),
    /// Bytes already in memory, with their file name when there is one.
    Bytes {
        /// The encoded photo.
        bytes: &'a [u8],
        /// The name it came under (e.g. an upload's), extension included.
        name: Option<&'a str>,
    },
}

impl<'a> Source<'a> {
    /// Bytes that came under `name`.
    pub fn named(bytes: &'a [u8], name: &'a str) -> Source<'a> {
        Source::Bytes {
            bytes,
            name: Some(name),
        }
    }
}

impl<'a> From<&'a std::path::Path> for Source<'a> {
    fn from(p: &'a std::path::Path) -> Source<'a> {
        Source::File(p)
    }
}

impl<'a> From<&'a std::path::PathBuf> for Source<'a> {
    fn from(p: &'a std::path::PathBuf) -> Source<'a> {
        Source::File(p)
    }
}

impl<'a> From<&'a [u8]> for Source<'a> {
    fn from(bytes: &'a [u8]) -> Source<'a> {
        Source::Bytes { bytes, name: None }
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Source<'a> {
    fn from(bytes: &'a [u8; N]) -> Source<'a> {
        Source::Bytes { bytes, name: None }
    }
}

impl<'a> From<&'a Vec<u8>> for Source<'a> {
    fn from(bytes: &'a Vec<u8>) -> Source<'a> {
        Source::Bytes { bytes, name: None }
    }
}

/// A report with the pixels it was made from.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The report.
    pub report: Report,
    /// The decoded photo, upright (EXIF orientation applied), 8-bit RGB.
    pub image: image::RgbImage,
}

/// Decodes a photo to its upright 8-bit RGB pixels (EXIF orientation
/// applied), within `limits`: the pixels [`Checker::check`] judges, for
/// pictures of a photo whose report is already at hand.
pub fn decode_upright(bytes: &[u8], limits: DecodeLimits) -> Result<image::RgbImage, Error> {
    decode::decode(bytes, limits).map(|i| i.rgb)
}

/// Reads a photo file: only a regular file (a folder, pipe or device is
/// refused without being opened for reading, so a pipe cannot block), and
/// no more than `limits.max_file_bytes`.
pub fn read_file(path: &std::path::Path, limits: DecodeLimits) -> Result<Vec<u8>, Error> {
    let io = |source: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder, not a file"
        } else {
            "not a regular file (a pipe, socket or device)"
        };
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            what,
        )));
    }
    limits.check_file_size(meta.len())?;
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte past the limit tells a file that grew while being read.
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    limits.check_file_size(bytes.len() as u64)?;
    Ok(bytes)
}

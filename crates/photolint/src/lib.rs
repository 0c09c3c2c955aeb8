//! photolint: checks portrait photos against ID-photo rules.
//!
//! The pipeline runs one way: bytes → [`input::Input`] (pixels and file
//! facts) → faces and silhouette → [`measure::Measurements`] → findings
//! ([`rules`]) → [`Report`]. The library never prints and never exits.
//!
//! ```no_run
//! let checker = photolint::Checker::new(photolint::Profile::built_in("chsi-diploma")?);
//! let report = checker.check_bytes(&std::fs::read("photo.jpg")?)?;
//! println!("{:?}", report.verdict);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod annotate;
pub mod blocks;
pub mod colour;
pub mod error;
pub mod face;
pub mod input;
pub mod jpeg;
mod lanes;
pub mod measure;
pub mod naming;
mod onnx;
pub mod profile;
pub mod report;
mod resample;
pub mod rules;
pub mod segment;
mod yunet;

pub use error::Error;
pub use profile::Profile;
pub use report::{Finding, Report, Severity, Unit, Verdict};
pub use rules::Lang;

use face::Detector;
pub use input::DecodeLimits;
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

    /// Reads and checks a file. Its name's extension is judged too (a PNG
    /// named `.jpg` is caught); the file is only read, never changed.
    pub fn check_file(&self, path: &std::path::Path) -> Result<Report, Error> {
        self.check_file_keep(path).map(|c| c.report)
    }

    /// Like [`Checker::check_file`], keeping the decoded, upright pixels
    /// (for thumbnails and annotated images).
    pub fn check_file_keep(&self, path: &std::path::Path) -> Result<Checked, Error> {
        let bytes = read_file(path, self.limits)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.check_bytes_as(&bytes, &name)
    }

    /// Checks the encoded bytes of a photo whose file was called
    /// `file_name` (the last path component): its extension and, when the
    /// profile has a naming rule, its name are judged too.
    pub fn check_bytes_as(&self, bytes: &[u8], file_name: &str) -> Result<Checked, Error> {
        let mut input = input::decode(bytes, self.limits)?;
        input.facts.extension = Some(
            std::path::Path::new(file_name)
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default(),
        );
        input.facts.file_name = Some(file_name.to_string());
        self.check_input(input)
    }

    /// Checks the encoded bytes of a photo whose file name ended in
    /// `extension` (without the dot; empty for none).
    pub fn check_bytes_named(
        &self,
        bytes: &[u8],
        extension: Option<&str>,
    ) -> Result<Report, Error> {
        let mut input = input::decode(bytes, self.limits)?;
        input.facts.extension = extension.map(str::to_lowercase);
        self.check_input(input).map(|c| c.report)
    }

    /// Checks the encoded bytes of a photo (JPEG, PNG or WebP).
    pub fn check_bytes(&self, bytes: &[u8]) -> Result<Report, Error> {
        self.check_bytes_named(bytes, None)
    }

    fn check_input(&self, input: input::Input) -> Result<Checked, Error> {
        let detector = Detector::shared()?;
        // The 2x2 block sums serve the detector's whole-photo pass as well
        // as the silhouette and the colour grid.
        let blocks = blocks::Blocks::new(&input.rgb);
        let mut faces = detector.detect_with(&input.rgb, Some(&blocks))?;
        for f in &mut faces {
            face::refine_eyes(&input.rgb, f);
        }
        let mut measurements = Measurements {
            face_count: faces.len(),
            framing: None,
            background: None,
            clothing: None,
            light: None,
        };
        if let [one] = faces.as_slice() {
            let p = &self.profile;
            let sil = segment::silhouette(&input.rgb, &blocks, one);
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
        }
        let findings = rules::judge(
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
            },
            image: input.rgb,
        })
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
    if meta.len() > limits.max_file_bytes {
        return Err(input::too_big_file(meta.len(), limits));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte past the limit tells a file that grew while being read.
    file.take(limits.max_file_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(input::too_big_file(bytes.len() as u64, limits));
    }
    Ok(bytes)
}

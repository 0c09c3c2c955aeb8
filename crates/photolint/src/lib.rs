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

pub mod colour;
pub mod error;
pub mod face;
pub mod input;
pub mod measure;
pub mod profile;
pub mod report;
pub mod rules;
pub mod segment;

pub use error::Error;
pub use profile::Profile;
pub use report::{Finding, Report, Severity, Verdict};

use face::Detector;
use input::DecodeLimits;
use measure::Measurements;

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

    /// The profile photos are judged by.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Reads and checks a file.
    pub fn check_file(&self, path: &std::path::Path) -> Result<Report, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        self.check_bytes(&bytes)
    }

    /// Checks the encoded bytes of a photo (JPEG or PNG).
    pub fn check_bytes(&self, bytes: &[u8]) -> Result<Report, Error> {
        let input = input::decode(bytes, self.limits)?;
        let detector = Detector::shared()?;
        let mut faces = detector.detect(&input.rgb)?;
        for f in &mut faces {
            face::refine_eyes(&input.rgb, f);
        }
        let mut measurements = Measurements {
            face_count: faces.len(),
            framing: None,
            background: None,
            clothing: None,
        };
        if let [one] = faces.as_slice() {
            let p = &self.profile;
            let sil = segment::silhouette(&input.rgb, one);
            let grid = measure::Grid::new(&input.rgb, &sil);
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
            measurements.background = background;
            measurements.framing = Some(measure::framing(
                one,
                &sil,
                p.reference_width,
                p.reference_height,
            ));
        }
        let findings = rules::judge(&measurements, &self.profile, input.rgb.width());
        let verdict = if findings.iter().any(|f| f.severity == Severity::Error) {
            Verdict::Fail
        } else {
            Verdict::Pass
        };
        Ok(Report {
            profile: self.profile.name.clone(),
            verdict,
            file: input.facts,
            faces,
            measurements,
            findings,
        })
    }
}

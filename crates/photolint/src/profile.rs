//! Profiles: the numbers a photo standard is judged by, as data files.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// An inclusive range `[min, max]`.
pub type Range = [f64; 2];

/// Framing thresholds, in pixels of the profile's reference frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framing {
    /// Allowed top-of-head position, px from the top edge.
    pub crown_y: Range,
    /// Allowed eye-line position, px from the top edge.
    pub eye_y: Range,
    /// Allowed face width, px.
    pub face_width: Range,
    /// Allowed horizontal offset of the face centre from the frame centre, px.
    pub centre_tolerance: f64,
    /// Largest eye-line tilt, degrees.
    pub max_roll_degrees: f64,
    /// Largest shoulder-line tilt, degrees (a warning).
    pub max_shoulder_tilt_degrees: f64,
}

/// A photo standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short stable name, e.g. `chsi-diploma`.
    pub name: String,
    /// Human title, English.
    pub title_en: String,
    /// Human title, Chinese.
    pub title_zh: String,
    /// Width of the reference frame the pixel numbers refer to.
    pub reference_width: u32,
    /// Height of the reference frame the pixel numbers refer to.
    pub reference_height: u32,
    /// Framing rules.
    pub framing: Framing,
}

const BUILT_IN: &[(&str, &str)] = &[(
    "chsi-diploma",
    include_str!("../profiles/chsi-diploma.toml"),
)];

/// Name of the default profile.
pub const DEFAULT_PROFILE: &str = "chsi-diploma";

impl Profile {
    /// Parses a profile from TOML text and checks that its numbers make sense.
    pub fn from_toml(text: &str) -> Result<Profile, Error> {
        let p: Profile = toml::from_str(text).map_err(|e| Error::Profile(e.to_string()))?;
        p.validate()?;
        Ok(p)
    }

    /// Reads a profile file (TOML).
    pub fn from_file(path: &std::path::Path) -> Result<Profile, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Profile::from_toml(&text)
    }

    /// A built-in profile by name.
    pub fn built_in(name: &str) -> Result<Profile, Error> {
        BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| Error::Profile(format!("no built-in profile named {name:?}")))
            .and_then(|(_, text)| Profile::from_toml(text))
    }

    /// Names of the built-in profiles.
    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(n, _)| *n).collect()
    }

    fn validate(&self) -> Result<(), Error> {
        let f = &self.framing;
        if self.reference_width == 0 || self.reference_height == 0 {
            return Err(Error::Profile("reference size must be positive".into()));
        }
        for (key, r) in [
            ("crown_y", f.crown_y),
            ("eye_y", f.eye_y),
            ("face_width", f.face_width),
        ] {
            if !(r[0].is_finite() && r[1].is_finite() && r[0] <= r[1]) {
                return Err(Error::Profile(format!(
                    "framing.{key}: min must not exceed max"
                )));
            }
        }
        Ok(())
    }
}

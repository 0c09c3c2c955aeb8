//! Reports and findings: serialisable, with stable field names.

use serde::{Deserialize, Serialize};

// Everything a report holds, nameable from here.
pub use crate::colour::{ColourName, Lab};
pub use crate::decode::jpeg::{Density, DensitySource, Quality};
pub use crate::decode::{ColorType, DecodeLimits, FileFacts, FileFormat};
pub use crate::detect::{Face, Point, Rect};
pub use crate::measure::{
    BackgroundMeasure, ClothingColour, ClothingMeasure, ClothingSkin, EyesOpen, Forehead, Framing,
    Glare, GlarePlace, Glasses, Gradient, Headwear, LightMeasure, Measurements, Px, Shadow,
};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the photo still passes.
    Warning,
    /// The photo would be rejected.
    Error,
}

/// One rule broken by a photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule code, e.g. `F003`.
    pub code: String,
    /// Stable rule name, e.g. `eye-line-position`.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// One-line message, English.
    pub message_en: String,
    /// One-line message, Chinese.
    pub message_zh: String,
    /// The measured value, in the unit below (reference-frame pixels or degrees).
    pub value: Option<f64>,
    /// The allowed range `[min, max]`, same unit.
    pub allowed: Option<[f64; 2]>,
    /// Unit of value and allowed.
    pub unit: Unit,
    /// Where on the photo, in original pixels.
    pub region: Option<Rect>,
}

/// The unit of a finding's value and allowed range, written as the
/// lower-case names below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    /// Pixels of the profile's reference frame (`px`).
    #[serde(rename = "px")]
    Px,
    /// Square pixels of the reference frame (`px2`).
    #[serde(rename = "px2")]
    Px2,
    /// Degrees (`deg`).
    #[serde(rename = "deg")]
    Degrees,
    /// A number of things, e.g. faces (`count`).
    #[serde(rename = "count")]
    Count,
    /// CIEDE2000 colour difference (`delta-e`).
    #[serde(rename = "delta-e")]
    DeltaE,
    /// A share, 0..1 (`share`).
    #[serde(rename = "share")]
    Share,
    /// One length over another, e.g. the lid gap over the eye's width (`ratio`).
    #[serde(rename = "ratio")]
    Ratio,
    /// Exposure stops (`ev`).
    #[serde(rename = "ev")]
    Ev,
    /// The focus measure (`focus`).
    #[serde(rename = "focus")]
    Focus,
    /// Dots per inch (`dpi`).
    #[serde(rename = "dpi")]
    Dpi,
    /// JPEG quality factor, 1..100 (`quality`).
    #[serde(rename = "quality")]
    Quality,
    /// Kilobytes of 1,024 bytes (`kb`).
    #[serde(rename = "kb")]
    Kb,
    /// Bits per pixel (`bits`).
    #[serde(rename = "bits")]
    Bits,
    /// No number: the file format (`format`).
    #[serde(rename = "format")]
    Format,
    /// No number: the file name (`name`).
    #[serde(rename = "name")]
    Name,
}

impl Unit {
    /// The name written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Px => "px",
            Unit::Px2 => "px2",
            Unit::Degrees => "deg",
            Unit::Count => "count",
            Unit::DeltaE => "delta-e",
            Unit::Share => "share",
            Unit::Ratio => "ratio",
            Unit::Ev => "ev",
            Unit::Focus => "focus",
            Unit::Dpi => "dpi",
            Unit::Quality => "quality",
            Unit::Kb => "kb",
            Unit::Bits => "bits",
            Unit::Format => "format",
            Unit::Name => "name",
        }
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No finding of error severity.
    Pass,
    /// At least one error.
    Fail,
}

/// The result of checking one photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Profile the photo was judged by.
    pub profile: String,
    /// Pass or fail.
    pub verdict: Verdict,
    /// Facts about the file.
    pub file: FileFacts,
    /// Faces found, strongest first, eye centres refined.
    pub faces: Vec<Face>,
    /// Measurements.
    pub measurements: Measurements,
    /// Findings, in rule-code order.
    pub findings: Vec<Finding>,
    /// Rules that could not be judged on this photo (no single face, a
    /// face too small to read, or a profile that does not set them), in
    /// rule-code order: neither passed nor failed.
    #[serde(default)]
    pub unjudged: Vec<Unjudged>,
}

/// A rule left unjudged, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unjudged {
    /// Rule code, e.g. `H007`.
    pub code: String,
    /// Rule name, e.g. `eyes-open`.
    pub rule: String,
    /// Why, in English.
    pub reason_en: String,
    /// Why, in Chinese.
    pub reason_zh: String,
}

impl Report {
    /// True when the finding list has this rule code.
    pub fn has(&self, code: &str) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

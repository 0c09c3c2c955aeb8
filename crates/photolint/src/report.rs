//! Reports and findings: serialisable, with stable field names.

use serde::{Deserialize, Serialize};

use crate::face::{Face, Rect};
use crate::input::FileFacts;
use crate::measure::Measurements;

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
    /// Unit of value and allowed: `px` (reference frame), `px2` (reference
    /// frame area), `deg`, `count`, `delta-e` (CIEDE2000), `share` (0..1),
    /// `ev` (stops), `focus`, `dpi`, `quality`, `kb`, `bits`, `format`, `name`.
    pub unit: String,
    /// Where on the photo, in original pixels.
    pub region: Option<Rect>,
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
}

impl Report {
    /// True when the finding list has this rule code.
    pub fn has(&self, code: &str) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

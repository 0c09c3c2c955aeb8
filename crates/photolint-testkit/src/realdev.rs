//! The real-photo scorecard: photolint's findings on the development set of
//! real photos (`../shared/realdev`, read in place, never copied) against
//! their labels.
//!
//! `variants/` holds diploma-photo edits of two real portraits with one
//! fault each (`labels.jsonl`: the faults a check must report, what it may
//! also report, and whether the photo must pass); `photos/` holds unedited
//! photos (`labels.json`: what a check must and must not report). Labels use
//! their own codes (`CROWN_LOW`, `GLARE`, ...); [`label_codes`] says which
//! label code a finding is. Only findings of error severity count as
//! reported: warnings leave the verdict as it is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The label codes of the rule families photolint checks today. Labels of
/// other families (earrings, hair over the ears) are not scored.
pub const JUDGED: &[&str] = &[
    "NO_FACE",
    "MULTI_FACE",
    "CROWN_HIGH",
    "CROWN_LOW",
    "HEAD_CROPPED",
    "EYE_HIGH",
    "EYE_LOW",
    "FACE_SMALL",
    "FACE_LARGE",
    "OFF_CENTER",
    "ROLL",
    "BG_COLOR",
    "BG_GRADIENT",
    "BG_SHADOW",
    "BG_CLUTTER",
    "CLOTHING_COLOR",
    "GLARE",
    "FILE_SIZE",
    "FILE_FORMAT",
    "FILE_QUALITY",
    "FILE_COLORMODE",
    "FILE_DPI",
    "MOUTH_OPEN",
    "GLASSES",
    "HAIR_OVER_FOREHEAD",
    "HAT",
];

/// One finding as the scorecard needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    /// Rule code, e.g. `F002`.
    pub code: String,
    /// Error severity (a warning is not counted as reported).
    pub error: bool,
    /// Measured value.
    pub value: Option<f64>,
    /// Allowed range.
    pub allowed: Option<[f64; 2]>,
}

/// What photolint said of one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Judged {
    /// A report: every finding (it passes with no finding of error
    /// severity, as the report's verdict does).
    Report(Vec<Reported>),
    /// The file could not be judged: the error code (`E002-...`).
    Unjudged(String),
}

impl Judged {
    /// The label codes reported (warnings included), sorted.
    pub fn codes(&self) -> BTreeSet<&'static str> {
        match self {
            // A warning counts: the labels say what a check must report
            // (an open mouth is a warning for the diploma photo), not
            // what must fail; the warnings no label names map to nothing.
            Judged::Report(findings) => findings.iter().filter_map(label_codes).collect(),
            Judged::Unjudged(_) => BTreeSet::new(),
        }
    }

    /// The rule codes of the error findings, in report order.
    pub fn error_codes(&self) -> Vec<String> {
        match self {
            Judged::Report(findings) => findings
                .iter()
                .filter(|f| f.error)
                .map(|f| f.code.clone())
                .collect(),
            Judged::Unjudged(code) => vec![code.clone()],
        }
    }

    fn passed(&self) -> bool {
        matches!(self, Judged::Report(findings) if findings.iter().all(|f| !f.error))
    }
}

/// The label code a finding stands for; `None` for rules the labels do not
/// name (shoulders, light, file size in bytes, naming).
pub fn label_codes(f: &Reported) -> Option<&'static str> {
    // Below the allowed range, or above it.
    let low = match (f.value, f.allowed) {
        (Some(v), Some([lo, _])) => v < lo,
        _ => false,
    };
    let side = |below: &'static str, above: &'static str| Some(if low { below } else { above });
    match f.code.as_str() {
        "F001" => Some(if f.value == Some(0.0) {
            "NO_FACE"
        } else {
            "MULTI_FACE"
        }),
        // Positions in px from the top: a small value is high in the frame.
        "F002" => side("CROWN_HIGH", "CROWN_LOW"),
        "F003" => side("EYE_HIGH", "EYE_LOW"),
        "F004" => side("FACE_SMALL", "FACE_LARGE"),
        "F005" => Some("OFF_CENTER"),
        "F006" => Some("ROLL"),
        "F007" => Some("HEAD_CROPPED"),
        "B001" => Some("BG_COLOR"),
        "B002" => Some("BG_GRADIENT"),
        "B003" => Some("BG_SHADOW"),
        "B004" => Some("BG_CLUTTER"),
        "C001" | "C002" | "C003" | "C004" | "C005" | "C006" => Some("CLOTHING_COLOR"),
        "G001" | "G002" | "G003" => Some("GLARE"),
        "D001" => Some("FILE_FORMAT"),
        "D002" => Some("FILE_SIZE"),
        "D003" => Some("FILE_COLORMODE"),
        "D004" => Some("FILE_DPI"),
        "D005" => Some("FILE_QUALITY"),
        "H001" => Some("GLASSES"),
        "H003" => Some("HAT"),
        "H005" => Some("HAIR_OVER_FOREHEAD"),
        "H007" => Some("EYES_CLOSED"),
        "H008" => Some("MOUTH_OPEN"),
        _ => None,
    }
}

/// One line of `variants/labels.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct VariantLabel {
    /// File name in `variants/`.
    pub file: String,
    /// The verdict a correct check gives.
    pub expect_pass: bool,
    /// What it must report.
    pub faults: Vec<String>,
    /// What it may also report.
    #[serde(default)]
    pub allowed_extra: Vec<String>,
}

/// One entry of `photos/labels.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct PhotoLabel {
    /// What a correct check must report.
    #[serde(default)]
    pub must: Vec<String>,
    /// What it must not report.
    #[serde(default)]
    pub must_not: Vec<String>,
    /// What is in the photo.
    #[serde(default)]
    pub note: String,
}

/// Errors reading the labels.
#[derive(Debug)]
pub struct LabelError(pub String);

impl std::fmt::Display for LabelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LabelError {}

impl LabelError {
    /// What went wrong reading the labels at `path`.
    fn at(path: &Path, what: impl std::fmt::Display) -> LabelError {
        LabelError(format!("{}: {what}", path.display()))
    }
}

/// Reads `variants/labels.jsonl` under `root`.
pub fn variant_labels(root: &Path) -> Result<Vec<VariantLabel>, LabelError> {
    let path = root.join("variants/labels.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|e| LabelError::at(&path, e))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| LabelError::at(&path, e)))
        .collect()
}

/// Reads `photos/labels.json` under `root` (keys starting with `_` are notes).
pub fn photo_labels(root: &Path) -> Result<BTreeMap<String, PhotoLabel>, LabelError> {
    let path = root.join("photos/labels.json");
    let text = std::fs::read_to_string(&path).map_err(|e| LabelError::at(&path, e))?;
    let all: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| LabelError::at(&path, e))?;
    all.into_iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| {
            serde_json::from_value(v)
                .map(|l| (k.clone(), l))
                .map_err(|e| LabelError::at(&path, format!("{k}: {e}")))
        })
        .collect()
}

/// Counts for one label code on the variants.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CodeScore {
    /// Variants whose faults include the code.
    pub positives: u32,
    /// ...and it was reported.
    pub found: u32,
    /// Variants where the code is neither a fault nor allowed.
    pub negatives: u32,
    /// ...and it was reported all the same.
    pub false_alarms: u32,
}

impl CodeScore {
    /// Share of the faults found; `None` with no fault of this code.
    pub fn recall(&self) -> Option<f64> {
        (self.positives > 0).then(|| self.found as f64 / self.positives as f64)
    }
    /// Share of the photos without the fault where it was reported.
    pub fn false_positive_rate(&self) -> Option<f64> {
        (self.negatives > 0).then(|| self.false_alarms as f64 / self.negatives as f64)
    }
}

/// The real-photo scorecard.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RealCard {
    /// Per label code, on the variants.
    pub codes: BTreeMap<String, CodeScore>,
    /// Variants that must pass.
    pub compliant: u32,
    /// The file names of those that failed.
    pub compliant_failures: Vec<String>,
    /// Variants judged differently from their label, with what was reported.
    pub variant_mistakes: Vec<String>,
    /// Unedited photos scored.
    pub photos: u32,
    /// `must` labels of the judged families.
    pub must: u32,
    /// `must_not` labels of the judged families.
    pub must_not: u32,
    /// Photos where a `must` was missed or a `must_not` reported.
    pub photo_mistakes: Vec<String>,
    /// `must_not` labels reported: the hard failures.
    pub must_not_broken: Vec<String>,
    /// `must` labels not reported, as `file: CODE`.
    pub must_missed: Vec<String>,
}

/// Scores the variants and photos. `judge` gives photolint's result for a
/// file path; a missing file of a label is a [`LabelError`].
pub fn score_real(
    root: &Path,
    judge: &mut dyn FnMut(&Path) -> Judged,
) -> Result<RealCard, LabelError> {
    let mut card = RealCard::default();
    for code in JUDGED {
        card.codes.insert((*code).to_string(), CodeScore::default());
    }
    for label in variant_labels(root)? {
        let path = root.join("variants").join(&label.file);
        if !path.is_file() {
            return Err(LabelError::at(&path, "labelled but missing"));
        }
        let judged = judge(&path);
        let got = judged.codes();
        for (code, s) in card.codes.iter_mut() {
            let fault = label.faults.iter().any(|f| f == code);
            let allowed = label.allowed_extra.iter().any(|f| f == code);
            let reported = got.contains(code.as_str());
            if fault {
                s.positives += 1;
                s.found += reported as u32;
            } else if !allowed {
                s.negatives += 1;
                s.false_alarms += reported as u32;
            }
        }
        if label.expect_pass {
            card.compliant += 1;
            if !judged.passed() {
                card.compliant_failures.push(label.file.clone());
            }
        }
        let missed: Vec<&str> = label
            .faults
            .iter()
            .map(String::as_str)
            .filter(|f| JUDGED.contains(f) && !got.contains(f))
            .collect();
        let extra: Vec<&str> = got
            .iter()
            .copied()
            .filter(|c| {
                !label
                    .faults
                    .iter()
                    .chain(&label.allowed_extra)
                    .any(|f| f == c)
            })
            .collect();
        let wrong_verdict = label.expect_pass && !judged.passed();
        if !missed.is_empty() || !extra.is_empty() || wrong_verdict {
            card.variant_mistakes.push(format!(
                "`{}`: {}{}{}reported [{}]",
                label.file,
                if wrong_verdict {
                    "must pass, failed; "
                } else {
                    ""
                },
                list("missed", &missed),
                list("not expected", &extra),
                judged.error_codes().join(", ")
            ));
        }
    }
    for (file, label) in photo_labels(root)? {
        let path = root.join("photos").join(&file);
        if !path.is_file() {
            return Err(LabelError::at(&path, "labelled but missing"));
        }
        card.photos += 1;
        let judged = judge(&path);
        let got = judged.codes();
        let judged_code = |c: &&String| JUDGED.contains(&c.as_str());
        let missed: Vec<&str> = label
            .must
            .iter()
            .filter(judged_code)
            .map(String::as_str)
            .filter(|c| !got.contains(c))
            .collect();
        let broken: Vec<&str> = label
            .must_not
            .iter()
            .filter(judged_code)
            .map(String::as_str)
            .filter(|c| got.contains(c))
            .collect();
        let musts = label.must.iter().filter(judged_code).count() as u32;
        let must_nots = label.must_not.iter().filter(judged_code).count() as u32;
        card.must += musts;
        card.must_not += must_nots;
        for b in &broken {
            card.must_not_broken.push(format!("{file}: {b}"));
        }
        for m in &missed {
            card.must_missed.push(format!("{file}: {m}"));
        }
        if !missed.is_empty() || !broken.is_empty() {
            card.photo_mistakes.push(format!(
                "`{file}` ({}): {}{}reported [{}]",
                label.note,
                list("missed", &missed),
                list("must not, reported", &broken),
                judged.error_codes().join(", ")
            ));
        }
    }
    Ok(card)
}

fn list(what: &str, codes: &[&str]) -> String {
    if codes.is_empty() {
        String::new()
    } else {
        format!("{what} {}; ", codes.join(", "))
    }
}

fn rate(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

impl RealCard {
    /// The scorecard as Markdown: per-code table on the variants, the
    /// compliant false-alarm rate, the photo labels held, every mistake.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        s.push_str(&format!(
            "Compliant variants failed: **{} of {}**. Unedited photos: {} of {} `must` \
             reported, {} of {} `must_not` respected ({} photos).\n\n",
            self.compliant_failures.len(),
            self.compliant,
            self.must as usize - self.must_missed.len(),
            self.must,
            self.must_not as usize - self.must_not_broken.len(),
            self.must_not,
            self.photos
        ));
        s.push_str(
            "| code | faults | found | recall | others | false alarms | false-positive rate |\n",
        );
        s.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
        for (code, c) in &self.codes {
            s.push_str(&format!(
                "| {code} | {} | {} | {} | {} | {} | {} |\n",
                c.positives,
                c.found,
                rate(c.recall()),
                c.negatives,
                c.false_alarms,
                rate(c.false_positive_rate())
            ));
        }
        s.push_str("\n### Variants judged differently from their label\n\n");
        push_list(&mut s, &self.variant_mistakes);
        s.push_str("\n### Unedited photos where a label does not hold\n\n");
        push_list(&mut s, &self.photo_mistakes);
        s
    }
}

fn push_list(s: &mut String, items: &[String]) {
    if items.is_empty() {
        s.push_str("None.\n");
    }
    for m in items {
        s.push_str(&format!("- {m}\n"));
    }
}

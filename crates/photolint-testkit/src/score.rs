//! The scorecard: how a checker's findings compare with the labels.
//!
//! Per rule: a true positive is a photo whose label says the rule must
//! fire and it fired; a false negative, must fire and did not; a false
//! positive, fired on a photo whose label neither requires nor allows it.
//! A rule that fires where the label allows it (a consequence of the same
//! fault, e.g. a low eye line dragging the crown out of its band) counts as
//! neither. Geometry is compared with the true crown, eye line, eye centres,
//! face width and roll the generator placed, in px of the 480x640 frame.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Label;

/// What the checker said of one photo.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// No finding of error severity.
    pub passed: bool,
    /// Codes of the findings (any severity).
    pub fired: Vec<String>,
    /// Measured crown, px from the top.
    pub crown_y: Option<f32>,
    /// Measured eye line, px from the top.
    pub eye_y: Option<f32>,
    /// Measured eye centres (image-left, image-right).
    pub eyes: Option<[(f32, f32); 2]>,
    /// Measured face width, px.
    pub face_width: Option<f32>,
    /// Measured roll, degrees.
    pub roll_degrees: Option<f32>,
}

/// Counts and rates for one rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleScore {
    /// Fired where it must.
    pub tp: u32,
    /// Fired where the label neither requires nor allows it.
    pub fp: u32,
    /// Did not fire where it must.
    pub fn_: u32,
    /// Photos whose label requires the rule.
    pub positives: u32,
    /// tp / (tp + fp); 1 when it never fired.
    pub precision: f64,
    /// tp / (tp + fn); 1 when no photo requires it.
    pub recall: f64,
}

/// Median and 95th percentile of an absolute error.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorStats {
    /// Number of photos measured.
    pub n: usize,
    /// Median absolute error.
    pub median: f64,
    /// 95th percentile of the absolute error.
    pub p95: f64,
    /// Largest absolute error.
    pub max: f64,
}

impl ErrorStats {
    fn of(mut v: Vec<f64>) -> ErrorStats {
        if v.is_empty() {
            return ErrorStats::default();
        }
        v.sort_by(f64::total_cmp);
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        ErrorStats {
            n: v.len(),
            median: at(0.5),
            p95: at(0.95),
            max: v[v.len() - 1],
        }
    }
}

/// The whole scorecard.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scorecard {
    /// Photos scored.
    pub photos: usize,
    /// Photos whose verdict (pass/fail) matches the label.
    pub verdicts_right: usize,
    /// Photos labelled compliant.
    pub compliant: usize,
    /// Compliant photos that were failed.
    pub false_alarms: usize,
    /// false_alarms / compliant.
    pub false_alarm_rate: f64,
    /// Per rule, by code.
    pub rules: BTreeMap<String, RuleScore>,
    /// Crown position error, px.
    pub crown_error: ErrorStats,
    /// Eye-line error, px.
    pub eye_line_error: ErrorStats,
    /// Eye-centre error (each eye, Euclidean), px.
    pub eye_centre_error: ErrorStats,
    /// Face-width error, px.
    pub face_width_error: ErrorStats,
    /// Roll error, degrees.
    pub roll_error: ErrorStats,
    /// Photos whose verdict or rules disagree with the label, with why.
    pub mistakes: Vec<String>,
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores `results` (label, outcome); `rules` lists every rule code that
/// should appear in the table even where no photo exercises it.
pub fn score(results: &[(Label, Outcome)], rules: &[&str]) -> Scorecard {
    let mut card = Scorecard {
        photos: results.len(),
        ..Scorecard::default()
    };
    for r in rules {
        card.rules.insert(r.to_string(), RuleScore::default());
    }
    let (mut crown, mut eye, mut centres, mut width, mut roll) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (label, out) in results {
        let expect_pass = label.expected == "pass";
        if expect_pass == out.passed {
            card.verdicts_right += 1;
        }
        if expect_pass && label.must_fire.is_empty() {
            card.compliant += 1;
            if !out.passed {
                card.false_alarms += 1;
            }
        }
        let problems = crate::label_problems(label, out.passed, &out.fired);
        card.mistakes.extend(problems);
        for code in &label.must_fire {
            let s = card.rules.entry(code.clone()).or_default();
            s.positives += 1;
            if out.fired.contains(code) {
                s.tp += 1;
            } else {
                s.fn_ += 1;
            }
        }
        for code in &out.fired {
            if !label.must_fire.contains(code) && !label.may_fire.contains(code) {
                card.rules.entry(code.clone()).or_default().fp += 1;
            }
        }
        // Geometry: only on photos in the 480x640 frame with one face placed.
        if let (Some(t), Some(m)) = (label.crown_y, out.crown_y) {
            crown.push((t - m).abs() as f64);
        }
        if let (Some(t), Some(m)) = (label.eye_y, out.eye_y) {
            eye.push((t - m).abs() as f64);
        }
        if let (Some(t), Some(m)) = (label.eyes, out.eyes) {
            for k in 0..2 {
                centres.push(((t[k].0 - m[k].0).hypot(t[k].1 - m[k].1)) as f64);
            }
        }
        if let (Some(t), Some(m)) = (label.face_width, out.face_width) {
            width.push((t - m).abs() as f64);
        }
        if let (Some(t), Some(m)) = (label.roll_degrees, out.roll_degrees) {
            roll.push((t - m).abs() as f64);
        }
    }
    for s in card.rules.values_mut() {
        s.precision = ratio(s.tp, s.tp + s.fp);
        s.recall = ratio(s.tp, s.tp + s.fn_);
    }
    card.false_alarm_rate = if card.compliant == 0 {
        0.0
    } else {
        card.false_alarms as f64 / card.compliant as f64
    };
    card.crown_error = ErrorStats::of(crown);
    card.eye_line_error = ErrorStats::of(eye);
    card.eye_centre_error = ErrorStats::of(centres);
    card.face_width_error = ErrorStats::of(width);
    card.roll_error = ErrorStats::of(roll);
    card
}

impl Scorecard {
    /// The scorecard as a Markdown table (rules in the order given by
    /// `order`, then any others), with the verdict and geometry summaries.
    pub fn markdown(&self, order: &[&str]) -> String {
        let mut s = String::new();
        s.push_str(&format!(
            "{} photos; verdict right on {} ({:.1} %); {} compliant photos, {} failed (false-alarm rate {:.1} %).\n\n",
            self.photos,
            self.verdicts_right,
            100.0 * self.verdicts_right as f64 / self.photos.max(1) as f64,
            self.compliant,
            self.false_alarms,
            100.0 * self.false_alarm_rate
        ));
        s.push_str("| rule | photos with the fault | TP | FP | FN | precision | recall |\n");
        s.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
        let mut codes: Vec<&String> = self.rules.keys().collect();
        let rank = |c: &str| order.iter().position(|o| *o == c).unwrap_or(usize::MAX);
        codes.sort_by_key(|c| (rank(c), c.to_string()));
        for code in codes {
            let r = &self.rules[code];
            // A rule no photo breaks and that never fired has no rates.
            let rate = |v: f64, seen: bool| {
                if seen {
                    format!("{v:.3}")
                } else {
                    "-".to_string()
                }
            };
            s.push_str(&format!(
                "| {code} | {} | {} | {} | {} | {} | {} |\n",
                r.positives,
                r.tp,
                r.fp,
                r.fn_,
                rate(r.precision, r.tp + r.fp > 0),
                rate(r.recall, r.positives > 0)
            ));
        }
        s.push_str("\n| geometry | photos | median | p95 | max |\n|---|---:|---:|---:|---:|\n");
        for (name, e) in [
            ("crown, px", &self.crown_error),
            ("eye line, px", &self.eye_line_error),
            ("eye centres, px (each eye)", &self.eye_centre_error),
            ("face width, px", &self.face_width_error),
            ("roll, degrees", &self.roll_error),
        ] {
            s.push_str(&format!(
                "| {name} | {} | {:.1} | {:.1} | {:.1} |\n",
                e.n, e.median, e.p95, e.max
            ));
        }
        s
    }
}

/// Fixtures a rule is known to miss: (fixture, rule, why). The CI tests set
/// them aside from their minimums and assert that they are still missed, so
/// the list stays true; the full scorecard (docs/ACCURACY.md) counts them.
pub const KNOWN_MISSES: &[(&str, &str, &str)] = &[
    (
        "id1-glasses-tinted",
        "H001",
        "thin bronze frames as light as the darkest face's skin, their rims \
         hidden by the brown lenses above them; a tint measure is still to come",
    ),
    (
        "id1-eyes-nearly-closed",
        "H007",
        "a slit of dark iris in dark skin, 0.14 of the eye's width: over the \
         limit, which a small, dim real photo of open eyes (0.14) holds up",
    ),
    (
        "id2-eyes-nearly-closed",
        "H007",
        "a slit of light grey-green iris, 0.15 of the eye's width: a light \
         iris is barely darker than the skin",
    ),
];

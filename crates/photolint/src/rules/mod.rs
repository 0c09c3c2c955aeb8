//! The rules: each with a stable code, a severity and documentation, judging
//! measurements against the profile's numbers.
//!
//! One file per family: framing (and the face count), background,
//! clothing, light and glare, the face (the mouth, read on the face mesh),
//! the file, its name. Each keeps its rules'
//! identities, English documentation, judging and English message
//! templates together; other languages are catalogues ([`text`]).

mod background;
mod clothing;
mod face;
mod file;
mod framing;
mod light;
mod naming;
pub mod text;

pub use background::{BACKGROUND_CLUTTER, BACKGROUND_COLOUR, BACKGROUND_SHADOW, BACKGROUND_UNEVEN};
pub use clothing::{
    BARE_SHOULDERS, CLOTHING_BLUE, CLOTHING_GREEN, CLOTHING_LIKE_BACKGROUND, CLOTHING_SKIN,
    CLOTHING_YELLOW, CLOTHING_YELLOW_GREEN,
};
pub use face::{EYES_OPEN, GLASSES, HAIR_FOREHEAD, HEADWEAR, MOUTH_CLOSED};
pub use file::{FILE_COLOUR, FILE_DPI, FILE_FORMAT, FILE_PIXELS, FILE_QUALITY, FILE_SIZE};
pub use framing::{
    CENTRED, CROWN, EYE_DISTANCE, EYE_LINE, FACE_COUNT, FACE_WIDTH, HEAD_HEIGHT, HEAD_IN_FRAME,
    ROLL, SHOULDERS_IN_FRAME, SHOULDER_TILT,
};
pub use light::{
    GLARE_CLOTHING, GLARE_EYES, GLARE_FACE, OVEREXPOSED, SHARPNESS, SIDE_LIGHT, UNDEREXPOSED,
};
pub use naming::FILE_NAME;
pub use text::Lang;

use crate::decode::FileFacts;
use crate::detect::Rect;
use crate::measure::Measurements;
use crate::profile::Profile;
use crate::report::{Finding, Severity, Unit, Unjudged};
use text::Text;

/// A rule's identity and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable code.
    pub code: &'static str,
    /// Stable name.
    pub name: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// What it checks and why, English (other languages: [`RuleInfo::doc`]).
    pub doc_en: &'static str,
    /// The profile keys that tune it (dotted TOML paths).
    pub keys: &'static [&'static str],
}

impl RuleInfo {
    /// What it checks and why, in `lang`, as a template: the numbers a
    /// profile sets appear as `{profile}` and `{dotted.key}` placeholders
    /// ([`RuleInfo::doc_for`] fills them).
    pub fn doc(&self, lang: Lang) -> &'static str {
        text::doc(lang, self.code, self.doc_en)
    }

    /// Its short title in `lang` (English: its name), as labelled on the
    /// annotated photo.
    pub fn title(&self, lang: Lang) -> &'static str {
        text::title(lang, self.code, self.name)
    }

    /// What it checks and why, in `lang`, with `profile`'s name and numbers.
    pub fn doc_for(&self, lang: Lang, profile: &crate::Profile) -> String {
        text::fill_doc(self.doc(lang), lang, profile)
    }
}

/// Every rule, in code order.
pub const ALL: &[RuleInfo] = &[
    FACE_COUNT,
    CROWN,
    EYE_LINE,
    FACE_WIDTH,
    CENTRED,
    ROLL,
    HEAD_IN_FRAME,
    SHOULDERS_IN_FRAME,
    SHOULDER_TILT,
    HEAD_HEIGHT,
    EYE_DISTANCE,
    BACKGROUND_COLOUR,
    BACKGROUND_UNEVEN,
    BACKGROUND_SHADOW,
    BACKGROUND_CLUTTER,
    CLOTHING_LIKE_BACKGROUND,
    CLOTHING_BLUE,
    CLOTHING_YELLOW,
    CLOTHING_GREEN,
    CLOTHING_YELLOW_GREEN,
    CLOTHING_SKIN,
    BARE_SHOULDERS,
    UNDEREXPOSED,
    OVEREXPOSED,
    SIDE_LIGHT,
    SHARPNESS,
    GLARE_FACE,
    GLARE_EYES,
    GLARE_CLOTHING,
    GLASSES,
    HEADWEAR,
    HAIR_FOREHEAD,
    EYES_OPEN,
    MOUTH_CLOSED,
    FILE_FORMAT,
    FILE_PIXELS,
    FILE_COLOUR,
    FILE_DPI,
    FILE_QUALITY,
    FILE_SIZE,
    FILE_NAME,
];

/// Looks a rule up by code or name.
pub fn find(code_or_name: &str) -> Option<&'static RuleInfo> {
    ALL.iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// A finding being built: the one way a rule reports.
pub(crate) struct Found {
    rule: &'static RuleInfo,
    text: Text,
    value: Option<f64>,
    allowed: Option<[f64; 2]>,
    unit: Unit,
    region: Option<Rect>,
    severity: Option<Severity>,
}

impl Found {
    /// `rule` found what `text` says, measured in `unit`.
    pub(crate) fn new(rule: &'static RuleInfo, text: Text, unit: Unit) -> Found {
        Found {
            rule,
            text,
            value: None,
            allowed: None,
            unit,
            region: None,
            severity: None,
        }
    }
    /// A severity the profile sets instead of the rule's own.
    pub(crate) fn severity(mut self, s: Severity) -> Found {
        self.severity = Some(s);
        self
    }
    /// The measured value.
    pub(crate) fn value(mut self, v: f64) -> Found {
        self.value = Some(v);
        self
    }
    /// The measured value, when there is one.
    pub(crate) fn value_opt(mut self, v: Option<f64>) -> Found {
        self.value = v;
        self
    }
    /// The allowed range.
    pub(crate) fn allowed(mut self, range: [f64; 2]) -> Found {
        self.allowed = Some(range);
        self
    }
    /// Where on the photo.
    pub(crate) fn region(mut self, r: Option<Rect>) -> Found {
        self.region = r;
        self
    }
}

/// A value rounded as far as its unit carries meaning: shares (0..1) and
/// the focus measure to three decimals, so that a share's value says what
/// its message's whole percentage says (0.913, "91 %"); the rest to one.
fn round_for(v: f64, unit: Unit) -> f64 {
    let scale = match unit {
        Unit::Share | Unit::Focus | Unit::Ratio => 1000.0,
        _ => 10.0,
    };
    (v * scale).round() / scale
}

/// What judging collects: the findings of the rules the profile keeps,
/// and the rules it could not judge.
pub(crate) struct Ctx<'a> {
    out: Vec<Finding>,
    unjudged: Vec<Unjudged>,
    pub profile: &'a Profile,
}

impl Ctx<'_> {
    /// Adds a finding, unless the profile turns its rule off.
    pub(crate) fn push(&mut self, f: Found) {
        if self.profile.is_disabled(f.rule.code) {
            return;
        }
        self.out.push(Finding {
            code: f.rule.code.into(),
            rule: f.rule.name.into(),
            severity: f.severity.unwrap_or(f.rule.severity),
            message_en: f.text.render(Lang::En),
            message_zh: f.text.render(Lang::Zh),
            value: f.value.map(|v| round_for(v, f.unit)),
            allowed: f.allowed,
            unit: f.unit,
            region: f.region,
        });
    }
}

impl Ctx<'_> {
    /// Records that `rule` could not be judged, and why.
    pub(crate) fn unjudged(&mut self, rule: &'static RuleInfo, why: Text) {
        if self.profile.is_disabled(rule.code) {
            return;
        }
        self.unjudged.push(Unjudged {
            code: rule.code.into(),
            rule: rule.name.into(),
            reason_en: why.render(Lang::En),
            reason_zh: why.render(Lang::Zh),
        });
    }
}

/// What judging gives: the findings and the rules left unjudged, each in
/// the order of [`ALL`].
pub struct Judged {
    /// The findings.
    pub findings: Vec<Finding>,
    /// The rules that could not be judged.
    pub unjudged: Vec<Unjudged>,
}

/// Judges `m` and the file facts against `profile`.
pub fn judge(m: &Measurements, facts: &FileFacts, profile: &Profile, image_w: u32) -> Judged {
    let mut cx = Ctx {
        out: Vec::new(),
        unjudged: Vec::new(),
        profile,
    };
    framing::face_count(&mut cx, m.face_count);
    if let Some(f) = &m.framing {
        framing::judge(&mut cx, f, image_w);
    }
    if let Some(b) = &m.background {
        background::judge(&mut cx, b);
    }
    if let Some(c) = &m.clothing {
        clothing::judge(&mut cx, c, m.background.as_ref());
    }
    if let Some(l) = &m.light {
        light::judge(&mut cx, l);
    }
    face::judge(&mut cx, m);
    file::judge(&mut cx, facts);
    naming::judge(&mut cx, facts);
    let mut findings = cx.out;
    findings.sort_by_key(|a| rank(&a.code));
    let mut unjudged = cx.unjudged;
    unjudged.sort_by_key(|a| rank(&a.code));
    Judged { findings, unjudged }
}

/// Position of a code in [`ALL`] (framing, then background, then clothing).
fn rank(code: &str) -> usize {
    ALL.iter()
        .position(|r| r.code == code)
        .unwrap_or(usize::MAX)
}

//! The language of what photolint prints. Rule codes, rule names and JSON
//! keys are the same in both; messages and headings follow the language.

use clap::ValueEnum;
use photolint::{Error, Finding, Severity};

/// Language of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Chinese (简体中文).
    Zh,
}

impl From<Lang> for photolint::Lang {
    fn from(l: Lang) -> photolint::Lang {
        match l {
            Lang::En => photolint::Lang::En,
            Lang::Zh => photolint::Lang::Zh,
        }
    }
}

impl Lang {
    /// The language the environment asks for: `LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG`; Chinese when it starts with `zh`.
    pub fn from_env() -> Lang {
        let v = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if v.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Picks the English or Chinese text.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// A finding's message in this language.
    pub fn message(self, f: &Finding) -> &str {
        self.pick(&f.message_en, &f.message_zh)
    }

    /// A severity's name in this language.
    pub fn severity(self, s: Severity) -> &'static str {
        match (s, self) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
        }
    }

    /// Why a file could not be checked, in this language.
    pub fn error(self, e: &Error) -> String {
        e.message(self.into())
    }
}

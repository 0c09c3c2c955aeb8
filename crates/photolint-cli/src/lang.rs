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
        match self {
            Lang::En => e.to_string(),
            Lang::Zh => error_zh(e),
        }
    }
}

fn error_zh(e: &Error) -> String {
    match e {
        Error::Empty => "文件为空".into(),
        Error::UnsupportedFormat(detail) => {
            // The detail is ": found gif" or the decoder's own words.
            let found = match detail.strip_prefix(": found ") {
                Some(format) => format!("，实际为 {format}"),
                None => detail
                    .strip_prefix(": ")
                    .map(|d| format!("：{d}"))
                    .unwrap_or_default(),
            };
            format!("不是可识别的图像格式（应为 JPEG、PNG 或 WebP）{found}")
        }
        Error::TooLarge(_) => "图像过大，无法安全解码".into(),
        Error::Decode(_) => "图像数据损坏或不完整，无法解码".into(),
        Error::Io { source, .. } => format!("无法读取文件（{}）", io_kind_zh(source.kind())),
        Error::Profile(m) => format!("规格文件无效：{m}"),
        Error::Model(m) => format!("人脸模型出错：{m}"),
        Error::Truncated(_) => {
            "文件不完整（数据在图像结束前中断），可能是上传或复制中断，请重新上传".into()
        }
        Error::Internal(m) => format!("photolint 内部错误（程序缺陷，请连同该文件一起报告）：{m}"),
    }
}

fn io_kind_zh(k: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind::*;
    match k {
        NotFound => "文件不存在",
        PermissionDenied => "没有读取权限",
        IsADirectory => "这是一个文件夹",
        _ => "读写错误",
    }
}

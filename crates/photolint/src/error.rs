//! Errors: a photo that cannot be judged at all. A photo that breaks a rule is
//! not an error; it gets a report with findings.

use thiserror::Error;

/// Why a file could not be checked.
#[derive(Debug, Error)]
pub enum Error {
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The content is not an image format photolint reads (JPEG, PNG).
    #[error("not a supported image (JPEG, PNG or WebP expected){0}")]
    UnsupportedFormat(String),
    /// The image header claims more pixels or memory than the decoder limits allow.
    #[error("image too large to decode safely: {0}")]
    TooLarge(String),
    /// The image data is damaged.
    #[error("cannot decode the image: {0}")]
    Decode(String),
    /// The file ends before the image does: an interrupted upload or copy.
    #[error(
        "the file is truncated: it ends before the image does ({0}); an interrupted upload or copy"
    )]
    Truncated(String),
    /// The file could not be read.
    #[error("cannot read {path}: {}", io_words(source))]
    Io {
        /// The path that failed.
        path: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A profile file is missing, malformed or inconsistent.
    #[error("invalid profile: {0}")]
    Profile(String),
    /// The face model failed to load or run.
    #[error("face model: {0}")]
    Model(String),
    /// photolint itself failed on this file (a bug, caught so that the
    /// other files are still checked).
    #[error("internal error, a bug in photolint (please report it with the file): {0}")]
    Internal(String),
}

/// Why a file could not be checked, as every report gives it: the error's
/// code and its message in both languages. Serialises as the `error`
/// object of a JSON entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ErrorInfo {
    /// The stable code, e.g. `E004-decode`.
    pub code: &'static str,
    /// Why, in English.
    pub message_en: String,
    /// Why, in Chinese.
    pub message_zh: String,
}

impl ErrorInfo {
    /// A path a folder walk could not read (no such file, a link loop, no
    /// permission); `why` is the walk's own words.
    pub fn unreadable_path(why: &str) -> ErrorInfo {
        ErrorInfo {
            code: "E005-io",
            message_en: format!("cannot read: {why}"),
            message_zh: "无法读取该路径".into(),
        }
    }
}

impl Error {
    /// The error as reports give it: its code and both messages.
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.code(),
            message_en: self.message(crate::Lang::En),
            message_zh: self.message(crate::Lang::Zh),
        }
    }

    /// Why the file could not be checked, in `lang` (English: the error's
    /// display text; the same words the command line prints).
    pub fn message(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::Zh => message_zh(self),
            _ => self.to_string(),
        }
    }

    /// A stable, machine-readable code for this kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Empty => "E001-empty",
            Error::UnsupportedFormat(_) => "E002-unsupported-format",
            Error::TooLarge(_) => "E003-too-large",
            Error::Decode(_) => "E004-decode",
            Error::Io { .. } => "E005-io",
            Error::Profile(_) => "E006-profile",
            Error::Model(_) => "E007-model",
            Error::Truncated(_) => "E008-truncated",
            Error::Internal(_) => "E009-internal",
        }
    }
}

fn message_zh(e: &Error) -> String {
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

/// An I/O error in words: the common kinds said plainly, the rest without
/// the operating system's "(os error N)" suffix.
pub(crate) fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".into(),
        PermissionDenied => "permission denied".into(),
        IsADirectory => "it is a folder, not a file".into(),
        _ => {
            let text = e.to_string();
            match text.rfind(" (os error ") {
                Some(i) if text.ends_with(')') => text[..i].to_string(),
                _ => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_are_said_without_the_os_error_number() {
        let missing = Error::Io {
            path: "nope.jpg".into(),
            source: std::io::Error::from_raw_os_error(2),
        };
        assert_eq!(
            missing.to_string(),
            "cannot read nope.jpg: no such file or folder"
        );
        let other = Error::Io {
            path: "x.jpg".into(),
            source: std::io::Error::from_raw_os_error(5),
        };
        assert_eq!(other.to_string(), "cannot read x.jpg: Input/output error");
    }
}

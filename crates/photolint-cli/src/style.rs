//! Colour on a terminal, as ripgrep does it: `--color auto|always|never`,
//! with `NO_COLOR` (no-color.org) and `TERM=dumb` turning `auto` off.
//! Verdicts, severities and rule codes are coloured; files never are
//! unless `always` asks.

use std::io::IsTerminal;

use clap::ValueEnum;
use photolint::Severity;

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set or TERM is dumb.
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// The `--color` option, for the commands that print.
#[derive(clap::Args, Debug, Clone, Copy)]
pub(crate) struct ColorArg {
    /// When to colour the output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub(crate) color: ColorChoice,
}

impl ColorChoice {
    /// Whether to colour what goes to standard output.
    pub(crate) fn stdout(self) -> Paint {
        self.resolve(std::io::stdout().is_terminal())
    }

    /// Whether to colour what goes to a stream that is (or is not) a terminal.
    pub(crate) fn resolve(self, terminal: bool) -> Paint {
        Paint(match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
                terminal && !no_color && !dumb
            }
        })
    }
}

/// Colours text, or leaves it plain.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Paint(bool);

const RESET: &str = "\x1b[0m";
const RED_BOLD: &str = "\x1b[1;31m";
const GREEN_BOLD: &str = "\x1b[1;32m";
const YELLOW_BOLD: &str = "\x1b[1;33m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

impl Paint {
    fn wrap(self, style: &str, text: &str) -> String {
        if self.0 && !text.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// A passing verdict (green).
    pub(crate) fn pass(self, text: &str) -> String {
        self.wrap(GREEN_BOLD, text)
    }

    /// A failing verdict (red).
    pub(crate) fn fail(self, text: &str) -> String {
        self.wrap(RED_BOLD, text)
    }

    /// A file that could not be judged (yellow).
    pub(crate) fn unreadable(self, text: &str) -> String {
        self.wrap(YELLOW_BOLD, text)
    }

    /// A rule code or severity word in its severity's colour.
    pub(crate) fn severity(self, s: Severity, text: &str) -> String {
        match s {
            Severity::Error => self.wrap(RED, text),
            Severity::Warning => self.wrap(YELLOW, text),
        }
    }

    /// A file name or heading.
    pub(crate) fn strong(self, text: &str) -> String {
        self.wrap(BOLD, text)
    }

    /// Figures that support the verdict (measurements).
    pub(crate) fn quiet(self, text: &str) -> String {
        self.wrap(DIM, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paint_adds_nothing_and_colour_wraps() {
        assert_eq!(Paint(false).fail("FAIL"), "FAIL");
        assert_eq!(Paint(true).fail("FAIL"), "\x1b[1;31mFAIL\x1b[0m");
        assert_eq!(ColorChoice::Never.resolve(true).pass("x"), "x");
        assert_eq!(
            ColorChoice::Always.resolve(false).pass("x"),
            "\x1b[1;32mx\x1b[0m"
        );
    }
}

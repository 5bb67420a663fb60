//! Colour: plain ANSI escape codes, only on a terminal unless asked otherwise.

use std::io::IsTerminal;

use shoal::Severity;

use crate::args::ColorChoice;

/// Whether to colour output written to a stream.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Never => false,
        ColorChoice::Always => true,
        ColorChoice::Auto => {
            if env("NO_COLOR").is_some() {
                false
            } else if env("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else {
                is_terminal && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// Should stdout (or stderr) be coloured?
pub fn for_stdout(choice: ColorChoice) -> Style {
    Style::new(use_color(choice, std::io::stdout().is_terminal()))
}

pub fn for_stderr(choice: ColorChoice) -> Style {
    Style::new(use_color(choice, std::io::stderr().is_terminal()))
}

/// Paints text when colour is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub enabled: bool,
}

pub const BOLD: &str = "1";
pub const RED: &str = "1;31";
pub const YELLOW: &str = "1;33";
pub const CYAN: &str = "1;36";
pub const BLUE: &str = "1;34";
pub const DIM: &str = "2";

impl Style {
    pub const fn new(enabled: bool) -> Self {
        Self { enabled }
    }

    pub fn paint(self, code: &str, text: &str) -> String {
        if self.enabled && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn severity_code(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => RED,
            Severity::Warning => YELLOW,
            Severity::Info => CYAN,
        }
    }
}

//! Compiler-style text output: one diagnostic with a code frame per finding, then a summary.

use std::io::{self, Write};

use shoal::{Applicability, ColumnEncoding, Finding, LineIndex, Severity, SourceFile, TextRange};

use crate::report::Report;
use crate::style::{Style, BLUE, BOLD, DIM};

/// Columns a tab is shown as (in both the source line and the underline).
pub const TAB_WIDTH: usize = 4;
/// Most columns of a source line shown; longer lines are cut around the span.
pub const MAX_LINE_WIDTH: usize = 120;
/// Columns kept before the span when a long line is cut.
const CONTEXT_BEFORE: usize = 40;
const ELLIPSIS: &str = "...";

/// One source line and the underline below it, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// 1-based line number.
    pub line: usize,
    /// The line as displayed: tabs expanded, control characters replaced, maybe cut.
    pub source: String,
    /// Spaces then `^` under the span.
    pub marker: String,
}

/// Renders the first line of `range`. The span is underlined to the end of that line when it
/// goes on; an empty span gets one `^`. Tabs become [`TAB_WIDTH`] spaces, wide characters
/// (CJK, emoji) take two columns, control characters (including a stray `\r`) are shown as `�`.
pub fn frame(text: &str, index: &LineIndex, range: TextRange) -> Frame {
    let start = floor(text, range.start().min(text.len()));
    let end = floor(text, range.end().clamp(start, text.len()));
    let line0 = index.line_of(start);
    let line_range = index.line_range(line0, text);
    let line_text = line_range.slice(text);
    let rel_start = start.clamp(line_range.start(), line_range.end()) - line_range.start();
    let rel_end = end.clamp(line_range.start(), line_range.end()) - line_range.start();

    // Each character as a displayed cell.
    struct Cell<'a> {
        byte: usize,
        col: usize,
        text: &'a str,
        width: usize,
    }
    let mut cells = Vec::with_capacity(line_text.len());
    let mut col = 0;
    for (byte, c) in line_text.char_indices() {
        let (shown, width): (&str, usize) = match c {
            '\t' => ("    ", TAB_WIDTH),
            '\u{feff}' => ("", 0),
            c if c.is_control() => ("\u{fffd}", 1),
            c => (&line_text[byte..byte + c.len_utf8()], char_width(c)),
        };
        cells.push(Cell {
            byte,
            col,
            text: shown,
            width,
        });
        col += width;
    }
    let total = col;
    let col_at = |byte: usize| {
        cells
            .iter()
            .find(|c| c.byte >= byte)
            .map_or(total, |c| c.col)
    };
    let span_start = col_at(rel_start);
    let span_end = col_at(rel_end).max(span_start);

    // The window of columns shown.
    let (mut left, mut right) = (0, total);
    if total > MAX_LINE_WIDTH {
        left = span_start
            .saturating_sub(CONTEXT_BEFORE)
            .min(total - MAX_LINE_WIDTH);
        right = left + MAX_LINE_WIDTH;
    }
    let mut source = String::new();
    let mut shown_left = None;
    let mut shown_right = left;
    for cell in &cells {
        if cell.col >= left && cell.col + cell.width <= right {
            shown_left.get_or_insert(cell.col);
            source.push_str(cell.text);
            shown_right = cell.col + cell.width;
        }
    }
    let shown_left = shown_left.unwrap_or(left);
    let mut prefix = 0;
    if shown_left > 0 {
        source.insert_str(0, ELLIPSIS);
        prefix = ELLIPSIS.len();
    }
    if shown_right < total {
        source.push_str(ELLIPSIS);
    }
    let caret_start = span_start.clamp(shown_left, shown_right.max(shown_left));
    let caret_end = span_end.min(shown_right).max(caret_start);
    let carets = (caret_end - caret_start).max(1);
    let marker = format!(
        "{}{}",
        " ".repeat(prefix + caret_start - shown_left),
        "^".repeat(carets)
    );
    Frame {
        line: line0 + 1,
        source: source.trim_end().to_string(),
        marker,
    }
}

fn floor(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Terminal columns of a character: 0 for combining marks and zero-width characters, 2 for
/// East Asian wide characters and emoji, else 1. An approximation without a Unicode table.
pub fn char_width(c: char) -> usize {
    let cp = c as u32;
    const ZERO: &[(u32, u32)] = &[
        (0x0300, 0x036F),
        (0x0483, 0x0489),
        (0x0591, 0x05BD),
        (0x0610, 0x061A),
        (0x064B, 0x065F),
        (0x1AB0, 0x1AFF),
        (0x1DC0, 0x1DFF),
        (0x200B, 0x200F),
        (0x2028, 0x202E),
        (0x2060, 0x2064),
        (0x20D0, 0x20FF),
        (0xFE00, 0xFE0F),
        (0xFE20, 0xFE2F),
        (0xFEFF, 0xFEFF),
        (0xE0100, 0xE01EF),
    ];
    const WIDE: &[(u32, u32)] = &[
        (0x1100, 0x115F),
        (0x2E80, 0x303E),
        (0x3041, 0x33FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xA000, 0xA4CF),
        (0xAC00, 0xD7A3),
        (0xF900, 0xFAFF),
        (0xFE30, 0xFE4F),
        (0xFF00, 0xFF60),
        (0xFFE0, 0xFFE6),
        (0x1F300, 0x1F64F),
        (0x1F680, 0x1F6FF),
        (0x1F900, 0x1F9FF),
        (0x20000, 0x3FFFD),
    ];
    let within = |table: &[(u32, u32)]| table.iter().any(|&(lo, hi)| lo <= cp && cp <= hi);
    if within(ZERO) {
        0
    } else if within(WIDE) {
        2
    } else {
        1
    }
}

/// A message on one line, with control characters neutralised (no terminal escapes from
/// file contents).
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Writes one finding as a diagnostic.
pub fn write_finding(
    out: &mut dyn Write,
    finding: &Finding,
    file: &SourceFile,
    index: &LineIndex,
    style: Style,
) -> io::Result<()> {
    let severity = finding.severity;
    let sev_code = Style::severity_code(severity);
    let pos = index.line_col(&file.text, finding.range.start(), ColumnEncoding::Utf32);
    let frame = frame(&file.text, index, finding.range);
    let number = frame.line.to_string();
    let pad = " ".repeat(number.len());
    writeln!(
        out,
        "{}{} {}",
        style.paint(
            sev_code,
            &format!("{}[{}]", severity.as_str(), finding.code)
        ),
        style.paint(BOLD, &format!(" {}:", finding.name)),
        style.paint(BOLD, &one_line(&finding.message)),
    )?;
    writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.paint(BLUE, "-->"),
        one_line(&file.name),
        pos.line,
        pos.column
    )?;
    let bar = style.paint(BLUE, "|");
    writeln!(out, "{pad} {bar}")?;
    writeln!(
        out,
        "{} {bar}{}{}",
        style.paint(BLUE, &number),
        if frame.source.is_empty() { "" } else { " " },
        frame.source
    )?;
    writeln!(out, "{pad} {bar} {}", style.paint(sev_code, &frame.marker))?;
    let eq = style.paint(BLUE, "=");
    if !finding.help.trim().is_empty() {
        writeln!(
            out,
            "{pad} {eq} {} {}",
            style.paint(BOLD, "help:"),
            one_line(&finding.help)
        )?;
    }
    if let Some(fix) = &finding.fix {
        let kind = match fix.applicability {
            Applicability::Safe => "fix (safe):",
            Applicability::Unsafe => "fix (unsafe):",
        };
        writeln!(
            out,
            "{pad} {eq} {} {}",
            style.paint(BOLD, kind),
            one_line(&fix.title)
        )?;
    }
    writeln!(out)
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// The summary line, e.g. `3 errors, 5 warnings, 2 infos (4 fixable with --fix) (2 suppressed)`.
pub fn summary(report: &Report<'_>) -> String {
    let findings = &report.analysis.findings;
    let suppressed = report.analysis.suppressed.len();
    let suppressed_note = if suppressed > 0 {
        format!(" ({suppressed} suppressed)")
    } else {
        String::new()
    };
    if findings.is_empty() {
        let files = plural(report.files.len(), "file");
        return if suppressed > 0 {
            format!("No problems found in {files}{suppressed_note}.")
        } else {
            format!("No problems found in {files}.")
        };
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ]
    .into_iter()
    .filter(|(s, _)| count(*s) > 0)
    .map(|(s, word)| plural(count(s), word))
    .collect();
    let mut line = parts.join(", ");
    let fixable = |a: Applicability| {
        findings
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|fix| fix.applicability == a))
            .count()
    };
    let (safe, unsafe_) = (fixable(Applicability::Safe), fixable(Applicability::Unsafe));
    match (safe, unsafe_) {
        (0, 0) => {}
        (safe, 0) => line.push_str(&format!(" ({safe} fixable with --fix)")),
        (0, u) => line.push_str(&format!(" ({u} fixable with --fix --unsafe-fixes)")),
        (safe, u) => line.push_str(&format!(
            " ({safe} fixable with --fix, {u} more with --unsafe-fixes)"
        )),
    }
    line.push_str(&suppressed_note);
    line
}

/// Writes every finding, then the summary.
pub fn write(out: &mut dyn Write, report: &Report<'_>, style: Style) -> io::Result<()> {
    let indexes: Vec<LineIndex> = report
        .files
        .iter()
        .map(|f| LineIndex::new(&f.text))
        .collect();
    for finding in &report.analysis.findings {
        let Some(file) = report.files.get(finding.file) else {
            continue;
        };
        write_finding(out, finding, file, &indexes[finding.file], style)?;
    }
    let line = summary(report);
    if report.analysis.findings.is_empty() {
        writeln!(out, "{}", style.paint(DIM, &line))
    } else {
        writeln!(out, "{}", style.paint(BOLD, &line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_of(text: &str, needle: &str) -> Frame {
        let start = text.find(needle).unwrap();
        frame(
            text,
            &LineIndex::new(text),
            TextRange::new(start, start + needle.len()),
        )
    }

    #[test]
    fn plain_span() {
        let text = "limits:\n  memory: 400Mi\n";
        let f = frame_of(text, "memory");
        assert_eq!(f.line, 2);
        assert_eq!(f.source, "  memory: 400Mi");
        assert_eq!(f.marker, "  ^^^^^^");
    }

    #[test]
    fn tabs_expand_the_same_in_both_lines() {
        let text = "FROM scratch\n\tENTRYPOINT\t/app\n";
        let f = frame_of(text, "/app");
        assert_eq!(f.source, "    ENTRYPOINT    /app");
        assert_eq!(f.marker, "                  ^^^^");
        assert_eq!(f.source.find("/app"), Some(f.marker.find('^').unwrap()));
    }

    #[test]
    fn non_ascii_and_wide_characters() {
        let text = "name: \"héllo\" # 名前😀 x: y\n";
        let f = frame_of(text, "x: y");
        // é is one column, 名 and 前 and 😀 two each.
        let before = "name: \"héllo\" # ";
        let expected = before.chars().count() + 2 + 2 + 2 + 1;
        assert_eq!(f.marker, format!("{}^^^^", " ".repeat(expected)));
        let f = frame_of(text, "名前");
        assert_eq!(
            f.marker,
            format!("{}^^^^", " ".repeat(before.chars().count()))
        );
    }

    #[test]
    fn crlf_never_prints_a_carriage_return() {
        let text = "a: 1\r\nimage: nginx\r\nc: 3\r\n";
        let f = frame_of(text, "nginx");
        assert_eq!(f.line, 2);
        assert_eq!(f.source, "image: nginx");
        assert!(!f.source.contains('\r') && !f.marker.contains('\r'));
        assert_eq!(f.marker, "       ^^^^^");
        // A span that covers the line terminator.
        let start = text.find("nginx").unwrap();
        let f = frame(
            text,
            &LineIndex::new(text),
            TextRange::new(start, start + 7),
        );
        assert_eq!(f.marker, "       ^^^^^");
        // A lone \r inside a line is shown as a replacement character.
        let text = "x\ry: 1\n";
        let f = frame_of(text, "y");
        assert_eq!(f.source, "x\u{fffd}y: 1");
        assert_eq!(f.marker, "  ^");
    }

    #[test]
    fn multi_line_span_underlines_to_end_of_first_line() {
        let text = "spec:\n  containers:\n  - name: api\n";
        let start = text.find("containers").unwrap();
        let f = frame(
            text,
            &LineIndex::new(text),
            TextRange::new(start, text.len()),
        );
        assert_eq!(f.source, "  containers:");
        assert_eq!(f.marker, "  ^^^^^^^^^^^");
    }

    #[test]
    fn empty_span_gets_one_caret_even_at_end_of_line() {
        let text = "key: value\n";
        let f = frame(text, &LineIndex::new(text), TextRange::empty(10));
        assert_eq!(f.marker, "          ^");
        let f = frame(text, &LineIndex::new(text), TextRange::empty(text.len()));
        assert_eq!(f.line, 2);
        assert_eq!(f.marker, "^");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let mut text = "x".repeat(100_000);
        text.push_str(" needle ");
        text.push_str(&"y".repeat(100_000));
        let f = frame_of(&text, "needle");
        assert!(f.source.chars().count() <= MAX_LINE_WIDTH + 2 * ELLIPSIS.len());
        assert!(f.source.starts_with(ELLIPSIS) && f.source.ends_with(ELLIPSIS));
        let at = f.marker.find('^').unwrap();
        assert_eq!(&f.source[at..at + 6], "needle");
        assert_eq!(f.marker.trim_start(), "^^^^^^");
        // At the very end of a long line.
        let text = format!("{}end", "z".repeat(5_000));
        let f = frame_of(&text, "end");
        assert!(f.source.starts_with(ELLIPSIS) && f.source.ends_with("end"));
        let at = f.marker.find('^').unwrap();
        assert_eq!(&f.source[at..], "end");
    }

    #[test]
    fn control_characters_are_neutralised() {
        let text = "a: \u{1b}[31mred\n";
        let f = frame_of(text, "red");
        assert!(!f.source.contains('\u{1b}'));
        assert_eq!(one_line("two\nlines\u{1b}"), "two lines\u{fffd}");
    }

    #[test]
    fn bom_is_not_shown() {
        let text = "\u{feff}image: nginx\n";
        let f = frame_of(text, "nginx");
        assert_eq!(f.source, "image: nginx");
        assert_eq!(f.marker, "       ^^^^^");
    }
}

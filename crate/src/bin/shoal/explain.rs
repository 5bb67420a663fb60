//! `shoal rules` and `shoal explain`.

use std::io::{self, Write};

use shoal::RuleInfo;

use crate::args::Format;
use crate::style::{Style, BOLD};

/// Writes the rule table (or a JSON list).
pub fn write_rules(out: &mut dyn Write, format: Format, style: Style) -> io::Result<()> {
    let rules = shoal::rules();
    if format == Format::Json {
        serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({"version": 1, "rules": rules}),
        )
        .map_err(io::Error::from)?;
        return writeln!(out);
    }
    let flags = |r: &RuleInfo| {
        let mut flags = Vec::new();
        if r.fixable {
            flags.push("fix");
        }
        if !r.enabled_by_default {
            flags.push("off");
        }
        flags.join(",")
    };
    let header = ["CODE", "NAME", "SEVERITY", "FLAGS", "SUMMARY"];
    let rows: Vec<[String; 5]> = rules
        .iter()
        .map(|r| {
            [
                r.code.to_string(),
                r.name.to_string(),
                r.severity.as_str().to_string(),
                flags(r),
                r.summary.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        text
    };
    writeln!(out, "{}", style.paint(BOLD, line(header).trim_end()))?;
    for row in &rows {
        writeln!(
            out,
            "{}",
            line([&row[0], &row[1], &row[2], &row[3], &row[4]]).trim_end()
        )?;
    }
    writeln!(out)?;
    let count = if rules.len() == 1 {
        "1 rule".to_string()
    } else {
        format!("{} rules", rules.len())
    };
    writeln!(
        out,
        "{count}. FLAGS: fix = has an automatic fix (`shoal check --fix`); off = off by default \
         (enable it in .shoal.yaml)."
    )?;
    writeln!(out, "Run `shoal explain CODE` for a rule's documentation.")
}

/// Writes one rule's documentation.
pub fn write_explain(
    out: &mut dyn Write,
    rule: &RuleInfo,
    format: Format,
    style: Style,
) -> io::Result<()> {
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, rule).map_err(io::Error::from)?;
        return writeln!(out);
    }
    writeln!(
        out,
        "{}",
        style.paint(BOLD, &format!("{} {}", rule.code, rule.name))
    )?;
    writeln!(out)?;
    writeln!(out, "{}.", rule.summary)?;
    writeln!(out)?;
    writeln!(
        out,
        "Default severity: {}. {}. {}.",
        rule.severity,
        if rule.enabled_by_default {
            "Enabled by default"
        } else {
            "Off by default (enable it in .shoal.yaml)"
        },
        if rule.fixable {
            "Has an automatic fix (`shoal check --fix`)"
        } else {
            "No automatic fix"
        }
    )?;
    writeln!(out)?;
    for line in rule.docs.trim_end().lines() {
        if line.starts_with('#') {
            writeln!(out, "{}", style.paint(BOLD, line))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

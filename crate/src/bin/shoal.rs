//! The `shoal` command line: `check`, `rules`, `explain`.
//!
//! Exit status: 0 when nothing at or above `--fail-on` was found, 1 when something was, 2 for a
//! usage error or unreadable input (with a one-line `error:` reason on stderr).
//!
//! The modules live in `src/bin/shoal/` (named with `#[path]`: a binary's root is its own
//! directory).

#[path = "shoal/args.rs"]
mod args;
#[path = "shoal/explain.rs"]
mod explain;
#[path = "shoal/json.rs"]
mod json;
#[path = "shoal/report.rs"]
mod report;
#[path = "shoal/sarif.rs"]
mod sarif;
#[path = "shoal/style.rs"]
mod style;
#[path = "shoal/text.rs"]
mod text;
#[path = "shoal/walk.rs"]
mod walk;

use std::ffi::OsString;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use shoal::config::Pair;
use shoal::{Analysis, ColumnEncoding, Config, LineIndex, SourceFile};

use args::{CheckArgs, ColorChoice, Command, Format};
use report::Report;
use walk::Origin;

/// Exit status: nothing at or above `--fail-on`.
const EXIT_OK: u8 = 0;
/// Exit status: findings at or above `--fail-on`.
const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage error or unreadable input.
const EXIT_ERROR: u8 = 2;

/// The configuration file read from the current directory when `--config` is not given.
const DEFAULT_CONFIG: &str = ".shoal.yaml";

fn main() -> ExitCode {
    let status = match run(std::env::args_os().skip(1)) {
        Ok(status) => status,
        Err(reason) => {
            let _ = writeln!(io::stderr(), "error: {reason}");
            EXIT_ERROR
        }
    };
    ExitCode::from(status)
}

fn run(args: impl IntoIterator<Item = OsString>) -> Result<u8, String> {
    match args::parse(args)? {
        Command::Help(usage) => {
            emit(Stream::Stdout, |out| out.write_all(usage.as_bytes()))?;
            Ok(EXIT_OK)
        }
        Command::Version => {
            emit(Stream::Stdout, |out| {
                writeln!(out, "shoal {}", shoal::VERSION)
            })?;
            Ok(EXIT_OK)
        }
        Command::Rules { format } => {
            let style = style::for_stdout(ColorChoice::Auto);
            emit(Stream::Stdout, |out| {
                explain::write_rules(out, format, style)
            })?;
            Ok(EXIT_OK)
        }
        Command::Explain { rule, format } => {
            let info = shoal::explain(rule.trim()).ok_or_else(|| {
                format!("unknown rule `{rule}`; run `shoal rules` to see every code and name")
            })?;
            let style = style::for_stdout(ColorChoice::Auto);
            emit(Stream::Stdout, |out| {
                explain::write_explain(out, &info, format, style)
            })?;
            Ok(EXIT_OK)
        }
        Command::Check(args) => check(&args),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

/// Writes to a stream through a buffer. A closed pipe (`shoal check . | head`) ends the output
/// quietly; any other write error is a failure.
fn emit(
    stream: Stream,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let result = match stream {
        Stream::Stdout => {
            let mut out = BufWriter::new(io::stdout().lock());
            write(&mut out).and_then(|()| out.flush())
        }
        Stream::Stderr => {
            let mut out = BufWriter::new(io::stderr().lock());
            write(&mut out).and_then(|()| out.flush())
        }
    };
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {}", walk::io_reason(&e)))
        }
        _ => Ok(()),
    }
}

fn note(message: &str) {
    let _ = writeln!(io::stderr(), "{message}");
}

/// Reads `--config FILE`, else `.shoal.yaml` when present, else the defaults.
fn load_config(path: Option<&Path>) -> Result<Config, String> {
    let (path, explicit) = match path {
        Some(path) => (path, true),
        None => (Path::new(DEFAULT_CONFIG), false),
    };
    if !explicit && !path.is_file() {
        return Ok(Config::default());
    }
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {}", walk::io_reason(&e)))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{shown}: not valid UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Config::from_yaml(&text).map_err(|e| {
        let pos = LineIndex::new(&text).line_col(&text, e.range.start(), ColumnEncoding::Utf32);
        format!("{shown}:{}:{}: {}", pos.line, pos.column, e.message)
    })
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

fn check(args: &CheckArgs) -> Result<u8, String> {
    let mut config = load_config(args.config.as_deref())?;
    // Pairs from the command line come first: the first matching pair wins.
    let cli_pairs = args.pairs.iter().map(|(image, dockerfile)| Pair {
        image: image.clone(),
        dockerfile: dockerfile.clone(),
    });
    config.pairs = cli_pairs.chain(std::mem::take(&mut config.pairs)).collect();
    if args.go_version.is_some() {
        config.go_version = args.go_version;
    }

    let collected = walk::collect(&args.paths, &args.stdin_filename)?;
    for warning in &collected.warnings {
        note(&format!("warning: {warning}"));
    }
    if collected.inputs.is_empty() {
        let empty = Analysis::default();
        let report = Report {
            files: &[],
            analysis: &empty,
        };
        match args.format {
            Format::Text => emit(Stream::Stdout, |out| writeln!(out, "No files to check."))?,
            format => {
                note("No files to check.");
                emit(Stream::Stdout, |out| {
                    write_report(out, format, &report, args.color, Stream::Stdout)
                })?;
            }
        }
        return Ok(EXIT_OK);
    }
    let mut files = walk::read(&collected.inputs)?;

    let mut report_stream = Stream::Stdout;
    if args.fix {
        let fixed = shoal::fix_all(&files, &config, args.unsafe_fixes);
        let (mut problems, mut changed) = (0, 0);
        for ((input, file), fixed) in collected.inputs.iter().zip(&mut files).zip(fixed) {
            if input.origin == Origin::Stdin {
                // The fixed text goes to stdout; the findings to stderr.
                report_stream = Stream::Stderr;
                emit(Stream::Stdout, |out| out.write_all(fixed.text.as_bytes()))?;
            }
            if fixed.text == file.text {
                continue;
            }
            if let Origin::Path(path) = &input.origin {
                std::fs::write(path, &fixed.text).map_err(|e| {
                    format!(
                        "{}: cannot write the fixed file: {}",
                        input.name,
                        walk::io_reason(&e)
                    )
                })?;
            }
            problems += fixed.applied;
            changed += 1;
            *file = SourceFile::new(file.name.clone(), fixed.text);
        }
        note(&format!(
            "Fixed {} in {}.",
            plural(problems, "problem"),
            plural(changed, "file")
        ));
    }

    let analysis = shoal::analyze(&files, &config);
    let failing = match args.fail_on {
        None => false,
        Some(level) => analysis.findings.iter().any(|f| f.severity >= level),
    };
    let report = Report {
        files: &files,
        analysis: &analysis,
    };
    emit(report_stream, |out| {
        write_report(out, args.format, &report, args.color, report_stream)
    })?;
    Ok(if failing { EXIT_FINDINGS } else { EXIT_OK })
}

fn write_report(
    out: &mut dyn Write,
    format: Format,
    report: &Report<'_>,
    color: ColorChoice,
    stream: Stream,
) -> io::Result<()> {
    match format {
        Format::Text => {
            let style = match stream {
                Stream::Stdout => style::for_stdout(color),
                Stream::Stderr => style::for_stderr(color),
            };
            text::write(out, report, style)
        }
        Format::Json => json::write(out, report),
        Format::Sarif => sarif::write(out, report),
    }
}

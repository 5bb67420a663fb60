//! Command-line parsing (with `lexopt`).

use std::ffi::OsString;
use std::path::PathBuf;

use shoal::goversion::GoVersion;
use shoal::Severity;

pub const USAGE: &str = "\
shoal — finds the pitfalls of running Go services on Kubernetes

Usage:
  shoal check [OPTIONS] [PATH]...   check manifests and Dockerfiles (default: .)
  shoal rules [--format text|json]  list every rule
  shoal explain CODE|NAME           show a rule's documentation
  shoal help [COMMAND]              show this help, or a command's
  shoal --version                   print the version

PATH is a file, a directory (searched for *.yaml, *.yml, Dockerfile, *.Dockerfile,
Dockerfile.*, Containerfile) or `-` for standard input.

Run `shoal help check` for the options of `check`.
";

pub const CHECK_USAGE: &str = "\
Usage: shoal check [OPTIONS] [PATH]...

Checks every file together (Dockerfiles are paired with the manifests that run their image).

Options:
  --format text|json|sarif     output format (default: text)
  --fix                        apply safe fixes in place, then report what remains
                               (with `-`: print the fixed text to stdout, findings to stderr)
  --unsafe-fixes               with --fix, also apply unsafe fixes
  --config FILE                configuration file (default: .shoal.yaml if present)
  --pair IMAGE=DOCKERFILE      pair an image with a Dockerfile (repeatable)
  --go-version X.Y             Go version to assume (overrides the configuration)
  --fail-on error|warning|info|never
                               exit 1 when a finding is at least this severe (default: warning)
  --stdin-filename NAME        name to report for `-` (default: <stdin>)
  --color auto|always|never    colour the text output (default: auto; honours NO_COLOR
                               and CLICOLOR_FORCE)
  --no-color                   same as --color never
  -h, --help                   show this help

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error or
unreadable input.
";

pub const RULES_USAGE: &str = "\
Usage: shoal rules [--format text|json]

Lists every rule: code, name, default severity, whether it has a fix, whether it is off by
default, and a summary.
";

pub const EXPLAIN_USAGE: &str = "\
Usage: shoal explain [--format text|json] CODE|NAME

Prints a rule's documentation, e.g. `shoal explain KS105` or `shoal explain image-tag-latest`.
";

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The least severity that makes `check` exit with status 1, or `None` for never.
pub type FailOn = Option<Severity>;

/// Everything `shoal check` was asked to do.
#[derive(Clone, Debug)]
pub struct CheckArgs {
    pub paths: Vec<OsString>,
    pub format: Format,
    pub fix: bool,
    pub unsafe_fixes: bool,
    pub config: Option<PathBuf>,
    pub pairs: Vec<(String, String)>,
    pub fail_on: FailOn,
    pub go_version: Option<GoVersion>,
    pub color: ColorChoice,
    pub stdin_filename: String,
}

impl Default for CheckArgs {
    fn default() -> Self {
        Self {
            paths: Vec::new(),
            format: Format::Text,
            fix: false,
            unsafe_fixes: false,
            config: None,
            pairs: Vec::new(),
            fail_on: Some(Severity::Warning),
            go_version: None,
            color: ColorChoice::Auto,
            stdin_filename: "<stdin>".to_string(),
        }
    }
}

/// A parsed command line.
#[derive(Clone, Debug)]
pub enum Command {
    Check(CheckArgs),
    Rules {
        format: Format,
    },
    Explain {
        rule: String,
        format: Format,
    },
    /// Print this text to stdout and exit 0.
    Help(&'static str),
    Version,
}

/// Parses the arguments after the program name. Errors are one-line reasons.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next().map_err(|e| e.to_string())? {
        None => {
            return Err("no command given; try `shoal check .` or `shoal --help`".into());
        }
        Some(Short('h') | Long("help")) => return Ok(Command::Help(USAGE)),
        Some(Short('V') | Long("version")) => return Ok(Command::Version),
        Some(Value(value)) => string(value)?,
        Some(other) => return Err(other.unexpected().to_string()),
    };
    match command.as_str() {
        "check" => parse_check(&mut parser),
        "rules" => {
            let format = parse_simple(&mut parser, RULES_USAGE, &mut |_| false)?;
            match format {
                Ok(format) => Ok(Command::Rules { format }),
                Err(help) => Ok(help),
            }
        }
        "explain" => {
            let mut rule = None;
            let format = parse_simple(&mut parser, EXPLAIN_USAGE, &mut |value| {
                if rule.is_some() {
                    return false;
                }
                rule = Some(value);
                true
            })?;
            let format = match format {
                Ok(format) => format,
                Err(help) => return Ok(help),
            };
            let rule =
                rule.ok_or("`explain` needs a rule code or name, e.g. `shoal explain KS105`")?;
            Ok(Command::Explain { rule, format })
        }
        "help" => {
            let topic = match parser.next().map_err(|e| e.to_string())? {
                Some(Value(value)) => Some(string(value)?),
                _ => None,
            };
            Ok(Command::Help(match topic.as_deref() {
                Some("check") => CHECK_USAGE,
                Some("rules") => RULES_USAGE,
                Some("explain") => EXPLAIN_USAGE,
                None | Some("help") => USAGE,
                Some(other) => return Err(format!("no help for unknown command `{other}`")),
            }))
        }
        "version" => Ok(Command::Version),
        other => Err(format!(
            "unknown command `{other}`; the commands are check, rules, explain and help"
        )),
    }
}

/// Parses `[--format F] [VALUE]` for `rules` and `explain`; `Err(help)` for `--help`. The
/// closure takes positional values and returns false to reject them.
fn parse_simple(
    parser: &mut lexopt::Parser,
    usage: &'static str,
    take: &mut dyn FnMut(String) -> bool,
) -> Result<Result<Format, Command>, String> {
    use lexopt::prelude::*;
    let mut format = Format::Text;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Err(Command::Help(usage))),
            Long("format") => {
                format = match value(parser)?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => return Err(format!("unknown format `{other}`; use text or json")),
                }
            }
            Value(v) => {
                let v = string(v)?;
                if !take(v.clone()) {
                    return Err(format!("unexpected argument `{v}`"));
                }
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(Ok(format))
}

fn parse_check(parser: &mut lexopt::Parser) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut args = CheckArgs::default();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(CHECK_USAGE)),
            Long("format") => {
                args.format = match value(parser)?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    other => {
                        return Err(format!("unknown format `{other}`; use text, json or sarif"))
                    }
                }
            }
            Long("fix") => args.fix = true,
            Long("unsafe-fixes") => args.unsafe_fixes = true,
            Long("config") => args.config = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("pair") => {
                let pair = value(parser)?;
                match pair.split_once('=') {
                    Some((image, dockerfile))
                        if !image.trim().is_empty() && !dockerfile.trim().is_empty() =>
                    {
                        args.pairs
                            .push((image.trim().to_string(), dockerfile.trim().to_string()))
                    }
                    _ => return Err(format!("--pair takes IMAGE=DOCKERFILE, not `{pair}`")),
                }
            }
            Long("fail-on") => {
                let level = value(parser)?;
                args.fail_on = match level.to_ascii_lowercase().as_str() {
                    "never" | "none" => None,
                    other => Some(Severity::parse(other).ok_or_else(|| {
                        format!("--fail-on takes error, warning, info or never, not `{level}`")
                    })?),
                }
            }
            Long("go-version") => {
                let version = value(parser)?;
                args.go_version = Some(GoVersion::parse(version.trim()).ok_or_else(|| {
                    format!("--go-version takes a version like 1.22, not `{version}`")
                })?);
            }
            Long("color" | "colour") => {
                args.color = match value(parser)?.as_str() {
                    "auto" => ColorChoice::Auto,
                    "always" => ColorChoice::Always,
                    "never" => ColorChoice::Never,
                    other => {
                        return Err(format!(
                            "--color takes auto, always or never, not `{other}`"
                        ))
                    }
                }
            }
            Long("no-color" | "no-colour") => args.color = ColorChoice::Never,
            Long("stdin-filename") => args.stdin_filename = value(parser)?,
            Value(path) => args.paths.push(path),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if args.unsafe_fixes && !args.fix {
        return Err("--unsafe-fixes only makes sense with --fix".into());
    }
    Ok(Command::Check(args))
}

fn value(parser: &mut lexopt::Parser) -> Result<String, String> {
    string(parser.value().map_err(|e| e.to_string())?)
}

fn string(value: OsString) -> Result<String, String> {
    value
        .into_string()
        .map_err(|v| format!("argument `{}` is not valid UTF-8", v.to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn check_options() {
        let Ok(Command::Check(args)) = parse_str(&[
            "check",
            "--format=json",
            "--fix",
            "--unsafe-fixes",
            "--pair",
            "ghcr.io/acme/api=services/api/Dockerfile",
            "--fail-on",
            "never",
            "--go-version",
            "1.22",
            "deploy",
            "-",
        ]) else {
            panic!("not a check");
        };
        assert_eq!(args.format, Format::Json);
        assert!(args.fix && args.unsafe_fixes);
        assert_eq!(
            args.pairs,
            vec![("ghcr.io/acme/api".into(), "services/api/Dockerfile".into())]
        );
        assert_eq!(args.fail_on, None);
        assert_eq!(
            args.paths,
            vec![OsString::from("deploy"), OsString::from("-")]
        );
        assert!(args.go_version.is_some());
    }

    #[test]
    fn usage_errors() {
        assert!(parse_str(&[]).is_err());
        assert!(parse_str(&["frobnicate"]).is_err());
        assert!(parse_str(&["check", "--format", "xml"]).is_err());
        assert!(parse_str(&["check", "--pair", "nodockerfile"]).is_err());
        assert!(parse_str(&["check", "--fail-on", "fatal"]).is_err());
        assert!(parse_str(&["check", "--bogus"]).is_err());
        assert!(parse_str(&["check", "--unsafe-fixes"]).is_err());
        assert!(parse_str(&["explain"]).is_err());
    }

    #[test]
    fn explain_and_help() {
        assert!(
            matches!(parse_str(&["explain", "ks105"]), Ok(Command::Explain { rule, .. }) if rule == "ks105")
        );
        assert!(matches!(
            parse_str(&["help", "check"]),
            Ok(Command::Help(CHECK_USAGE))
        ));
        assert!(matches!(parse_str(&["--version"]), Ok(Command::Version)));
    }
}

//! DF016 dockerfile-syntax.

use crate::dockerfile::Dockerfile;
use crate::finding::{ObjectRef, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::source::TextRange;
use crate::workspace::Workspace;

pub struct DockerfileSyntax;

pub static META: RuleMeta = RuleMeta {
    code: "DF016",
    name: "dockerfile-syntax",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "The Dockerfile has a syntax error or an exec form that is not valid JSON",
    help: "fix the syntax; `docker build` rejects or misreads this line",
    fix: FixAvailability::None,
    docs: rule_docs!(
        r#"## What it does

Reports every syntax problem the Dockerfile parser finds, one finding each: an empty Dockerfile,
an unknown instruction (with the likely intended one, or a hint about a missing line
continuation), no `FROM`, instructions other than `ARG` before the first `FROM`, a heredoc
without its closing delimiter, unknown `--flags`, missing arguments, malformed `ENV`/`LABEL`
pairs, invalid stage names and duplicate parser directives.

It also reports `RUN`, `CMD`, `ENTRYPOINT`, `COPY`, `ADD`, `SHELL` and `VOLUME` arguments that
start like a JSON array but are not valid JSON (single quotes, a trailing or missing comma, a
missing `]`). Docker does not reject those: it silently treats them as a shell command.

## Why it matters

A syntax error stops `docker build`, usually in CI after a long wait, with a terse message. The
broken exec form is worse because nothing fails at build time: `CMD ['/api']` becomes
`/bin/sh -c "['/api']"`, so the container runs a shell that tries to execute a command named
`[/api]`. On a distroless or `scratch` image there is no `/bin/sh` at all, the container cannot
start and the pod goes into `CrashLoopBackOff`; on other images the shell becomes PID 1 and the
service never receives SIGTERM on rollout.

## Example

```dockerfile bad
FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN apt-get update && apt-get install -y \
    git
    make
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ['/api']
```

```dockerfile good
FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN apt-get update && apt-get install -y \
    git \
    make
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

## References

- Docker: [Dockerfile reference](https://docs.docker.com/reference/dockerfile/)
- Docker: [Shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
- Docker: [Here-documents](https://docs.docker.com/reference/dockerfile/#here-documents)
- Peers: hadolint reports parse errors (`DL1000`); Docker build checks `JSONArgsRecommended`
"#
    ),
};

/// Edit distance with adjacent transpositions (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The known instruction `keyword` is most likely a typo of.
fn suggestion(keyword: &str) -> Option<&'static str> {
    if keyword.chars().count() > 20 {
        return None;
    }
    let limit = if keyword.len() >= 5 { 2 } else { 1 };
    crate::dockerfile::KNOWN_INSTRUCTIONS
        .iter()
        .map(|k| (distance(keyword, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// A user-facing message for a parser error at `range`.
fn explain(df: &Dockerfile, range: TextRange, message: &str) -> String {
    if let Some(keyword) = message.strip_prefix("unknown instruction: ") {
        let hint = match suggestion(keyword) {
            Some(known) => format!(" (did you mean `{known}`?)"),
            None => {
                let previous = df
                    .instructions
                    .iter()
                    .take_while(|i| i.range.start() < range.start())
                    .last();
                if previous.is_some_and(|p| p.is("RUN")) {
                    let escape = if df.escape == '`' { "`` ` ``" } else { "`\\`" };
                    format!(" (is a {escape} missing at the end of the previous line?)")
                } else {
                    String::new()
                }
            }
        };
        return format!("unknown instruction `{keyword}`{hint}: `docker build` stops at this line");
    }
    if message == "the Dockerfile has no instructions" {
        return "the Dockerfile is empty (no instructions): `docker build` fails with \"the Dockerfile cannot be empty\"".into();
    }
    if message == "the Dockerfile has no FROM instruction" {
        return "the Dockerfile has no `FROM`: `docker build` fails with \"no build stage in current context\"".into();
    }
    if let Some(keyword) =
        message.strip_suffix(" before the first FROM (only ARG may precede FROM)")
    {
        return format!(
            "`{keyword}` comes before the first `FROM` (only `ARG` may): `docker build` fails with \"no build stage in current context\""
        );
    }
    if let Some(marker) = message.strip_prefix("unterminated heredoc ") {
        return format!(
            "heredoc `{marker}` is never closed: its delimiter must stand alone on a line, otherwise the rest of the file becomes part of it"
        );
    }
    format!("Dockerfile syntax error: {message}; `docker build` rejects it")
}

/// Why the arguments are not a JSON array.
fn json_cause(args: &str) -> &'static str {
    let t = args.trim_end();
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains('\'') && !t.contains('"') {
        "single quotes; JSON strings need double quotes"
    } else if compact.contains(",]") {
        "a trailing comma"
    } else if !t.ends_with(']') {
        "no closing `]`"
    } else if compact.contains("\"\"") {
        "a missing comma between strings"
    } else {
        "invalid JSON"
    }
}

impl Rule for DockerfileSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let stage_at = |offset: usize| {
                df.instructions
                    .iter()
                    .find(|i| i.range.start() <= offset && offset <= i.range.end())
                    .and_then(|i| i.stage)
                    .and_then(|s| df.stages.get(s))
                    .map(|s| s.name.clone().unwrap_or_else(|| s.image.clone()))
            };
            let object = |offset: usize| ObjectRef {
                document: 0,
                kind: "Dockerfile".into(),
                name: stage_at(offset).map(Into::into),
                ..ObjectRef::default()
            };
            let mut kept: Vec<(TextRange, &str)> = Vec::new();
            for error in &df.errors {
                // The parser may report one missing argument twice (instruction and value).
                let duplicate = kept.iter().any(|(r, m)| {
                    *m == error.message
                        && r.start() <= error.range.start()
                        && error.range.start() <= r.end()
                });
                if duplicate {
                    continue;
                }
                kept.push((error.range, &error.message));
                let range = if error.message == "the Dockerfile has no instructions" {
                    TextRange::empty(0)
                } else {
                    error.range
                };
                out.report(
                    ctx.file,
                    range,
                    object(range.start()),
                    explain(df, range, &error.message),
                );
            }
            for inst in df.instructions.iter().filter(|i| i.looks_like_broken_json) {
                let (range, args) = match inst.shell_text() {
                    Some(s) => (s.range(), s.text.as_str()),
                    None => (inst.range, ""),
                };
                out.report(
                    ctx.file,
                    range,
                    object(range.start()),
                    format!(
                        "the `{}` arguments look like a JSON array but are not valid JSON ({}): Docker runs them as a shell command through `/bin/sh -c` instead of executing the program",
                        inst.keyword,
                        json_cause(args)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    const CODE: &str = "DF016";

    #[test]
    fn empty_dockerfiles() {
        for text in ["", "# syntax=docker/dockerfile:1\n# nothing yet\n", "\n\n"] {
            let found = check_dockerfile(CODE, text);
            assert_eq!(lines(&found, text), [1], "{text:?}");
            assert!(found[0].message.contains("empty"));
            assert!(found[0].fix.is_none());
        }
    }

    #[test]
    fn unknown_instructions_with_hints() {
        let text = "FROM golang:1.24 AS build\nRUNN go version\nRUN apk add --no-cache \\\n    git\n    make\nWORKIDR /src\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2, 5, 6]);
        assert!(found[0].message.contains("`RUNN` (did you mean `RUN`?)"));
        assert!(
            found[1].message.contains("is a `\\` missing"),
            "{}",
            found[1].message
        );
        assert!(found[2].message.contains("did you mean `WORKDIR`?"));
        assert_eq!(spans(&found, text)[1], "make");
        assert_eq!(found[0].object.name.as_deref(), Some("build"));
    }

    #[test]
    fn missing_continuation_with_backtick_escape() {
        let text = "# escape=`\nFROM alpine:3.21\nRUN apk add `\n    git\n    curl\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [5]);
        assert!(
            found[0].message.contains("is a `` ` `` missing")
                || found[0].message.contains("is a ``` missing"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn missing_from_and_before_from() {
        let text = "ARG GO=1.24\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [1]);
        assert!(found[0].message.contains("no `FROM`"));
        assert!(found[0].object.name.is_none());

        let text = "RUN echo hi\nFROM alpine:3.21\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [1]);
        assert!(found[0]
            .message
            .contains("`RUN` comes before the first `FROM`"));
    }

    #[test]
    fn unterminated_heredoc() {
        let text = "FROM alpine:3.21\nRUN <<EOF\napk add --no-cache git\n  EOF\nCMD [\"/app\"]\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2]);
        assert!(found[0].message.contains("heredoc `<<EOF` is never closed"));
    }

    #[test]
    fn broken_json_arrays() {
        let text = "FROM gcr.io/distroless/static-debian12\nENTRYPOINT ['/api']\nCMD [\"--port\", \"8080\",]\nRUN [\"go\" \"build\"]\nCMD [\"/api\"\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2, 3, 4, 5]);
        assert_eq!(spans(&found, text)[0], "['/api']");
        assert!(found[0].message.contains("single quotes"));
        assert!(found[1].message.contains("trailing comma"));
        assert!(found[2].message.contains("missing comma"));
        assert!(found[3].message.contains("no closing"));
        assert!(found[0].message.contains("`ENTRYPOINT`"));
    }

    #[test]
    fn one_finding_per_error() {
        let text = "FROM alpine:3.21\nENV\nLABEL x\nEXPOSE --proto=tcp 80\nFROM alpine AS Bad!\nCOPY --chown=1 onlyone\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2, 3, 4, 5, 6]);
        assert!(found
            .iter()
            .all(|f| f.severity == crate::finding::Severity::Error));
    }

    #[test]
    fn silent_on_valid_dockerfiles() {
        let text = "# syntax=docker/dockerfile:1.7\r\n# escape=\\\r\nARG GO=1.24\r\nFROM golang:${GO} AS build\r\nRUN <<EOF\r\ngo build -o /app .\r\nEOF\r\nRUN echo '[not json' && \\\r\n  # comment inside\r\n  true\r\nFROM scratch\r\nCOPY --from=build /app /app\r\nCMD [\"/app\"]\r\nHEALTHCHECK NONE\r\n";
        assert!(check_dockerfile(CODE, text).is_empty());
        let shell_cmd =
            "FROM alpine:3.21\nCMD echo [ready]\nRUN [ -f /etc/os-release ] && echo ok\n";
        assert!(check_dockerfile(CODE, shell_cmd).is_empty());
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggestion("COPPY"), Some("COPY"));
        assert_eq!(suggestion("ENTRYPONT"), Some("ENTRYPOINT"));
        assert_eq!(suggestion("MAKE"), None);
        assert_eq!(suggestion("GO"), None);
        assert_eq!(suggestion(""), None);
    }

    #[test]
    fn rules_df009_to_df016_survive_odd_input() {
        let inputs = [
            "\u{feff}FROM scratch\nRUN apk add \\",
            "FROM\nRUN\nCOPY\nHEALTHCHECK\nFROM golang:\n",
            "FROM a AS a\nFROM a AS b\nFROM b\nCOPY . .\nRUN go build\n",
            "FROM golang:1.99999999999999999999 AS b\nRUN go build\n",
            "FROM alpine\nRUN [\"sh\", \"-c\", \"apk add \\u00e9x\"]\nRUN <<A <<B\napk add x\nA\nupx\n",
            "FROM alpine\nRUN apk\nRUN apk --\nRUN upx\nENV GOTOOLCHAIN=go\nRUN GOTOOLCHAIN=\nCMD [\n",
            "FROM é\nRUN é'ü && apk add é\n",
        ];
        for code in [
            "DF009", "DF010", "DF011", "DF012", "DF013", "DF014", "DF015", "DF016",
        ] {
            for text in inputs {
                for f in check_dockerfile(code, text) {
                    assert!(f.range.end() <= text.len());
                }
            }
        }
    }
}

//! DF006 shell-form-entrypoint.

use crate::dockerfile::facts::{chain, root_image};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::finding::{Edit, Fix, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::stage_ref;

pub struct ShellFormEntrypoint;

pub static META: RuleMeta = RuleMeta {
    code: "DF006",
    name: "shell-form-entrypoint",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "The final image's `ENTRYPOINT` (or `CMD`) is in shell form",
    help: "use the JSON exec form: `ENTRYPOINT [\"/app\", \"--flag\"]`",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Looks at the instruction that starts the final image: its last `ENTRYPOINT` (the final stage's
own, else one inherited through `FROM <stage>`), or its last `CMD` when there is no
`ENTRYPOINT`. It reports the instruction when it is written in shell form
(`ENTRYPOINT /app --port 8080`) rather than as a JSON array. It is an **error** when the final
base has no shell (`scratch`, distroless `static`/`base` without `:debug`), and a warning
otherwise.

A shell-form command that starts with `exec` (`ENTRYPOINT exec /app`) is accepted on images with
a shell: the shell replaces itself with the program, which becomes PID 1. It is still an error
on a base without a shell.

## Why it matters

Shell form runs `/bin/sh -c "<command>"`, so `/bin/sh` is PID 1 and the Go program is its child.
When Kubernetes stops the pod (rollout, scale-down, node drain) it sends SIGTERM to PID 1 only;
the shell does not pass it on, the Go server never runs its `Shutdown` path, keeps accepting
requests, and is killed with SIGKILL when `terminationGracePeriodSeconds` runs out: in-flight
requests fail and every rollout costs 30 seconds per pod. Shell form also ignores `CMD` and the
pod's `args`. On an image without `/bin/sh` the container cannot start at all
(`exec: "/bin/sh": stat /bin/sh: no such file or directory`).

## Example

```dockerfile bad
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM alpine:3.20
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
ENTRYPOINT /usr/local/bin/api --port 8080
```

```dockerfile good
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM alpine:3.20
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api", "--port", "8080"]
```

## Fix safety

When the command has no shell syntax (no variables, quotes with escapes, redirections, pipes,
`&&`, globs, ...) the fix rewrites the arguments as a JSON array, keeping the keyword (a leading
`exec` is dropped). It is safe, except for an `ENTRYPOINT` in a final stage that also has a
`CMD`: in exec form the `CMD` becomes arguments of the entrypoint, which shell form ignored, so
that fix is marked unsafe.

## References

- Docker: [Dockerfile reference — shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
- Docker: [ENTRYPOINT — exec form vs shell form](https://docs.docker.com/reference/dockerfile/#entrypoint)
- Kubernetes: [Pod lifecycle — termination of pods](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination)
- Go: [os/signal — handling SIGTERM](https://pkg.go.dev/os/signal)
- Peers: hadolint `DL3025` (use JSON notation for CMD and ENTRYPOINT)
"#
    ),
};

/// The instruction that starts the final image: last ENTRYPOINT, else last CMD.
fn start_instruction(df: &Dockerfile) -> Option<&Instruction> {
    let last = df.final_stage()?;
    let stages = chain(df, last);
    for keyword in ["ENTRYPOINT", "CMD"] {
        for stage in &stages {
            if let Some(inst) = df
                .stage_instructions(stage)
                .iter()
                .rev()
                .find(|i| i.is(keyword))
            {
                return Some(inst);
            }
        }
    }
    None
}

/// The JSON array for a shell-form command without shell syntax.
fn exec_form(inst: &Instruction) -> Option<String> {
    let text = &inst.shell_text()?.text;
    const SHELL_SYNTAX: &[char] = &[
        '$', '|', '&', ';', '<', '>', '*', '?', '`', '(', ')', '{', '}', '[', ']', '~', '#', '\\',
        '!', '\n', '\r',
    ];
    if text.contains(SHELL_SYNTAX) {
        return None;
    }
    let words = inst.words();
    let mut values: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
    if values.first() == Some(&"exec") {
        values.remove(0);
    }
    let first = values.first()?;
    if first.contains('=') || first.starts_with('-') {
        return None;
    }
    let json: Vec<String> = values.iter().map(|v| crate::json::string(v)).collect();
    Some(format!("[{}]", json.join(", ")))
}

impl Rule for ShellFormEntrypoint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let (Some(last), Some(inst)) = (df.final_stage(), start_instruction(df)) else {
                continue;
            };
            let Some(shell) = inst.shell_text() else {
                continue;
            };
            let words = inst.words();
            let Some(program) = words.first() else {
                continue;
            };
            let uses_exec = program.value == "exec";
            let no_shell = !ctx.facts.has_shell;
            if uses_exec && !no_shell {
                continue;
            }
            let keyword = inst.keyword.as_str();
            let message = if no_shell {
                format!(
                    "`{keyword}` is in shell form but the final image `{}` has no /bin/sh: the container cannot start (`exec: \"/bin/sh\": no such file or directory`)",
                    root_image(df, last)
                )
            } else {
                format!(
                    "`{keyword}` is in shell form: /bin/sh is PID 1 and does not forward SIGTERM, so the Go server never shuts down gracefully and is SIGKILLed after the grace period"
                )
            };
            let finding = out.report(ctx.file, inst.range, stage_ref(last), message);
            if no_shell {
                finding.severity = Severity::Error;
            }
            if let Some(json) = exec_form(inst) {
                let edit = Edit::replace(shell.range(), json);
                let has_cmd = inst.is("ENTRYPOINT")
                    && df.stage_instructions(last).iter().any(|i| i.is("CMD"));
                let title = format!("Use the exec form for `{keyword}`");
                finding.fix = Some(if has_cmd {
                    Fix::unsafe_(title, vec![edit])
                } else {
                    Fix::safe(title, vec![edit])
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::rules::testing::*;

    #[test]
    fn warning_with_a_safe_fix() {
        let text = "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nENTRYPOINT /app --port 8080 --name \"my svc\"\n";
        let found = check_dockerfile("DF006", text);
        assert_eq!(lines(&found, text), [5]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(is_safe(&found[0]));
        assert_eq!(
            fixed_dockerfile("DF006", text),
            text.replace(
                "ENTRYPOINT /app --port 8080 --name \"my svc\"",
                "ENTRYPOINT [\"/app\", \"--port\", \"8080\", \"--name\", \"my svc\"]"
            )
        );
    }

    #[test]
    fn static_base_is_an_error_even_with_exec() {
        let text = "FROM scratch\nCOPY app /app\nCMD exec /app\n";
        let found = check_dockerfile("DF006", text);
        assert_eq!(lines(&found, text), [3]);
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(
            fixed_dockerfile("DF006", text),
            "FROM scratch\nCOPY app /app\nCMD [\"/app\"]\n"
        );
        let distroless = "FROM gcr.io/distroless/static-debian12:nonroot\nENTRYPOINT /app\n";
        let found = check_dockerfile("DF006", distroless);
        assert_eq!(found[0].severity, Severity::Error);
    }

    #[test]
    fn continuation_lines_and_crlf() {
        let text = "FROM alpine:3.20\r\nENTRYPOINT /app \\\r\n    --port 8080\r\n";
        let found = check_dockerfile("DF006", text);
        assert_eq!(lines(&found, text), [2]);
        assert_eq!(
            fixed_dockerfile("DF006", text),
            "FROM alpine:3.20\r\nENTRYPOINT [\"/app\", \"--port\", \"8080\"]\r\n"
        );
    }

    #[test]
    fn entrypoint_with_cmd_gets_an_unsafe_fix() {
        let text = "FROM alpine:3.20\nENTRYPOINT /app\nCMD [\"serve\"]\n";
        let found = check_dockerfile("DF006", text);
        assert_eq!(lines(&found, text), [2]);
        assert!(!is_safe(&found[0]));
    }

    #[test]
    fn shell_syntax_gets_no_fix() {
        for text in [
            "FROM alpine:3.20\nENTRYPOINT /app --port $PORT\n",
            "FROM alpine:3.20\nCMD /app 2>&1 | tee /log\n",
            "FROM alpine:3.20\nCMD ./migrate && /app\n",
            "FROM alpine:3.20\nCMD GOGC=50 /app\n",
        ] {
            let found = check_dockerfile("DF006", text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(found[0].fix.is_none(), "{text}");
        }
    }

    #[test]
    fn silent_cases() {
        for text in [
            "FROM alpine:3.20\nENTRYPOINT [\"/app\"]\nCMD --help\n",
            "FROM alpine:3.20\nENTRYPOINT exec /app --port 8080\n",
            "FROM alpine:3.20 AS base\nCMD /app\nFROM alpine:3.20\nCMD [\"/app\"]\n",
            "FROM alpine:3.20\nCMD /old\nCMD [\"/app\"]\n",
            "FROM alpine:3.20\nCOPY app /app\n",
        ] {
            assert!(check_dockerfile("DF006", text).is_empty(), "{text}");
        }
        // Inherited through a stage chain.
        let text = "FROM alpine:3.20 AS base\nENTRYPOINT /app\nFROM base\nCMD [\"x\"]\n";
        assert_eq!(lines(&check_dockerfile("DF006", text), text), [2]);
    }
}

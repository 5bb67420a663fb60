//! DF004 runs-as-root.

use crate::dockerfile::facts::root_image;
use crate::dockerfile::{Dockerfile, Instruction};
use crate::finding::{Edit, Fix, Severity};
use crate::image::ImageRef;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::stage_ref;

pub struct RunsAsRoot;

pub static META: RuleMeta = RuleMeta {
    code: "DF004",
    name: "runs-as-root",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "The final image runs as root",
    help: "add `USER 65532:65532` (a numeric, non-root UID:GID) before `ENTRYPOINT`",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports the final stage (following `FROM <stage>` chains) when no `USER` is set, or when the
last `USER` is `root` or `0`. It is reported at the final `FROM` when there is no `USER`, and at
the `USER` instruction otherwise.

Base images that already default to a non-root user are accepted without a `USER`: the
distroless `:nonroot` tags (`gcr.io/distroless/static-debian12:nonroot`, UID 65532) and
Chainguard's `cgr.dev/chainguard/static` and `glibc-dynamic` (non-`dev` tags, UID 65532). A `USER`
given as a variable that cannot be resolved is not judged.

## Why it matters

Without a `USER` the Go binary runs as UID 0. Any bug that lets an attacker run code or write
files (a path traversal in a file server, a template injection) then acts as root inside the
container, which is one kernel or runtime bug away from root on the node. Clusters that enforce
the `restricted` Pod Security Standard or set `runAsNonRoot: true` refuse to start the pod:
the kubelet reports `CreateContainerConfigError: container has runAsNonRoot and image will run as
root`, and a rollout stalls with the old ReplicaSet still serving.

## Example

```dockerfile bad
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```dockerfile good
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/api /api
USER 65532:65532
ENTRYPOINT ["/api"]
```

## Fix safety

The fix inserts `USER 65532:65532` on its own line before the final stage's first `ENTRYPOINT`
or `CMD` (or at the end of the file when there is neither). It is unsafe: the program may need
to write to files or directories owned by root (copied without `--chown`), or to bind a port
below 1024, and fails at run time as UID 65532. Check file ownership (`COPY --chown=65532:65532`)
and listen on a high port.

## References

- Docker: [Dockerfile reference — USER](https://docs.docker.com/reference/dockerfile/#user)
- Docker: [Building best practices — USER](https://docs.docker.com/build/building/best-practices/#user)
- Kubernetes: [Pod Security Standards — running as non-root](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
- Kubernetes: [Configure a security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
- Distroless: [nonroot images](https://github.com/GoogleContainerTools/distroless#what-images-are-available)
- Peers: hadolint `DL3002` (last USER should not be root), kube-score `container-security-context-user-group-id`, Polaris `runAsRootAllowed`
"#
    ),
};

/// Base images whose default user is already non-root.
pub(crate) fn is_nonroot_base(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let repo = image.repository.to_ascii_lowercase();
    tag.contains("nonroot")
        || (image
            .registry
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("cgr.dev"))
            && (repo == "chainguard/static" || repo == "chainguard/glibc-dynamic")
            && !tag.contains("dev"))
}

/// The instruction of `df` whose range contains `offset`.
pub(crate) fn instruction_at(df: &Dockerfile, offset: usize) -> Option<&Instruction> {
    let n = df
        .instructions
        .partition_point(|i| i.range.start() <= offset);
    n.checked_sub(1)
        .and_then(|i| df.instructions.get(i))
        .filter(|i| i.range.start() <= offset && offset <= i.range.end())
}

/// The line terminator the file uses.
fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// Inserts `USER 65532:65532` before the first `ENTRYPOINT`/`CMD` of the final stage that comes
/// after `after` (the offending USER), or at the end of the file.
fn fix(df: &Dockerfile, text: &str, after: usize) -> Option<Edit> {
    let last = df.final_stage()?;
    let eol = line_ending(text);
    let line = format!("USER 65532:65532{eol}");
    let target = df
        .stage_instructions(last)
        .iter()
        .find(|i| (i.is("ENTRYPOINT") || i.is("CMD")) && i.range.start() > after);
    if let Some(inst) = target {
        let start = text
            .get(..inst.range.start())
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        return Some(Edit::insert(start, line));
    }
    // Append; refuse when the file ends inside a line continuation.
    let trimmed = text.trim_end_matches(['\n', '\r', ' ', '\t']);
    if trimmed.ends_with(df.escape) {
        return None;
    }
    if text.is_empty() || text.ends_with('\n') {
        Some(Edit::insert(text.len(), line))
    } else {
        Some(Edit::insert(text.len(), format!("{eol}{line}")))
    }
}

impl Rule for RunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let text = ws.text(ctx.file);
            let Some(last) = df.final_stage() else {
                continue;
            };
            if !ctx.facts.runs_as_root() {
                continue;
            }
            let base = root_image(df, last);
            let (range, after, message) = match &ctx.facts.user {
                None => {
                    if is_nonroot_base(&base) {
                        continue;
                    }
                    let Some(from) = df.instructions.get(last.from) else {
                        continue;
                    };
                    (
                        from.range,
                        0,
                        format!(
                            "the final image `{base}` sets no `USER`, so the service runs as root: a compromised process acts as UID 0 and pods with `runAsNonRoot: true` are refused (CreateContainerConfigError)"
                        ),
                    )
                }
                Some((user, word)) => {
                    if user.is_empty() && word.slice(text).contains('$') {
                        continue; // an unresolved variable
                    }
                    let range = instruction_at(df, word.start()).map_or(*word, |i| i.range);
                    (
                        range,
                        range.start(),
                        format!(
                            "the final image runs as `USER {user}` (root): a compromised process acts as UID 0 and pods with `runAsNonRoot: true` are refused (CreateContainerConfigError)"
                        ),
                    )
                }
            };
            let finding = out.report(ctx.file, range, stage_ref(last), message);
            if let Some(edit) = fix(df, text, after) {
                finding.fix = Some(Fix::unsafe_("Run as `USER 65532:65532`", vec![edit]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const NO_USER: &str = "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nEXPOSE 8080\nENTRYPOINT [\"/app\"]\nCMD [\"serve\"]\n";

    #[test]
    fn no_user_is_reported_at_the_final_from() {
        let found = check_dockerfile("DF004", NO_USER);
        assert_eq!(lines(&found, NO_USER), [4]);
        assert_eq!(
            spans(&found, NO_USER),
            ["FROM gcr.io/distroless/static-debian12"]
        );
        assert!(!is_safe(&found[0]));
        assert_eq!(
            fixed_dockerfile("DF004", NO_USER),
            NO_USER.replace("ENTRYPOINT", "USER 65532:65532\nENTRYPOINT")
        );
    }

    #[test]
    fn root_user_is_reported_at_the_user() {
        let text = "FROM alpine:3.20\nRUN adduser -D app\nUSER app\nCOPY app /app\nUSER 0:0\nRUN chown -R app /data\nCMD [\"/app\"]\n";
        let found = check_dockerfile("DF004", text);
        assert_eq!(lines(&found, text), [5]);
        assert_eq!(spans(&found, text), ["USER 0:0"]);
        assert_eq!(
            fixed_dockerfile("DF004", text),
            text.replace("CMD", "USER 65532:65532\nCMD")
        );
        let root = "FROM alpine:3.20\nUSER root\n";
        assert_eq!(lines(&check_dockerfile("DF004", root), root), [2]);
    }

    #[test]
    fn fix_appends_with_crlf_when_there_is_no_entrypoint() {
        let text = "FROM golang:1.22 AS build\r\nRUN go build -o /app .\r\nFROM scratch\r\nCOPY --from=build /app /app";
        assert_eq!(
            fixed_dockerfile("DF004", text),
            format!("{text}\r\nUSER 65532:65532\r\n")
        );
        let nl = "FROM scratch\nCOPY app /app\n";
        assert_eq!(
            fixed_dockerfile("DF004", nl),
            "FROM scratch\nCOPY app /app\nUSER 65532:65532\n"
        );
    }

    #[test]
    fn entrypoint_in_a_parent_stage_and_user_in_a_chain() {
        // The USER of the parent stage counts for the final stage.
        let text = "FROM alpine:3.20 AS base\nUSER 10001\nFROM base\nCOPY app /app\n";
        assert!(check_dockerfile("DF004", text).is_empty());
        let text = "FROM alpine:3.20 AS base\nENTRYPOINT [\"/app\"]\nFROM base\nCOPY app /app\n";
        assert_eq!(
            fixed_dockerfile("DF004", text),
            format!("{text}USER 65532:65532\n")
        );
    }

    #[test]
    fn silent_on_nonroot_bases_and_users() {
        for text in [
            "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
            "FROM gcr.io/distroless/base-debian12:debug-nonroot\nCOPY app /app\n",
            "FROM cgr.dev/chainguard/static:latest\nCOPY app /app\n",
            "FROM cgr.dev/chainguard/static\nCOPY app /app\n",
            "FROM scratch\nCOPY app /app\nUSER 65532:65532\n",
            "FROM alpine:3.20\nUSER nobody\n",
            "FROM alpine:3.20\nARG UID\nUSER ${UID}\n",
            "ARG UID=1000\nFROM alpine:3.20\nARG UID\nUSER ${UID}:${UID}\n",
        ] {
            assert!(check_dockerfile("DF004", text).is_empty(), "{text}");
        }
        // An explicit root USER on a nonroot base is still reported.
        let text = "FROM gcr.io/distroless/static-debian12:nonroot\nUSER root\n";
        assert_eq!(check_dockerfile("DF004", text).len(), 1);
    }
}

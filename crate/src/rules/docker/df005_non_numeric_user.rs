//! DF005 non-numeric-user.

use crate::dockerfile::facts::{chain, root_image};
use crate::dockerfile::Dockerfile;
use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::df004_runs_as_root::instruction_at;
use super::stage_ref;

pub struct NonNumericUser;

pub static META: RuleMeta = RuleMeta {
    code: "DF005",
    name: "non-numeric-user",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "The final `USER` is a name instead of a numeric UID",
    help: "use a numeric `USER UID:GID`, e.g. `USER 65532:65532`",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports the final image's last `USER` when it names a user (`USER app`, `USER nonroot`) instead
of giving a numeric UID. It is an **error** when the final stage is `FROM scratch` and no
`/etc/passwd` is copied into it (`COPY --from=build /etc/passwd /etc/passwd`), and advice
otherwise. A `USER` given as a variable that cannot be resolved is not judged.

## Why it matters

With `runAsNonRoot: true` (required by the `restricted` Pod Security Standard) the kubelet must
prove that the image does not run as root before starting it, and it only looks at the image's
configuration, not inside its `/etc/passwd`: a name gives
`CreateContainerConfigError: container has runAsNonRoot and image has non-numeric user (app),
cannot verify user is non-root`, unless the pod also sets `runAsUser`.

On `scratch` it is worse: there is no `/etc/passwd` to look the name up in, so the runtime cannot
start the process at all (`unable to find user app: no matching entries in passwd file`) and the
pod sits in `CreateContainerError` / `CrashLoopBackOff`.

## Example

```dockerfile bad
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM scratch
COPY --from=build /out/api /api
USER app
ENTRYPOINT ["/api"]
```

```dockerfile good
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM scratch
COPY --from=build /out/api /api
USER 65532:65532
ENTRYPOINT ["/api"]
```

## References

- Kubernetes: [Pod security context — runAsNonRoot](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context)
- Kubernetes: [Pod Security Standards — restricted](https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted)
- Docker: [Dockerfile reference — USER](https://docs.docker.com/reference/dockerfile/#user)
- Peers: kube-score `container-security-context-user-group-id`, Polaris `runAsRootAllowed`
"#
    ),
};

/// Whether the final stage (or a stage it builds on) copies `/etc/passwd` in.
fn copies_passwd(df: &Dockerfile) -> bool {
    let Some(last) = df.final_stage() else {
        return false;
    };
    chain(df, last).iter().any(|s| {
        df.stage_instructions(s).iter().any(|i| {
            (i.is("COPY") || i.is("ADD")) && {
                let words = i.words();
                let sources = words.len().saturating_sub(1);
                words.iter().take(sources).any(|w| {
                    let v = w.value.trim_end_matches('/');
                    v == "/etc/passwd" || v == "/etc" || v.ends_with("/etc/passwd")
                })
            }
        })
    })
}

impl Rule for NonNumericUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let (Some(last), Some((user, word))) = (df.final_stage(), &ctx.facts.user) else {
                continue;
            };
            if !ctx.facts.user_is_name() || user.contains('$') {
                continue;
            }
            let name = user.split(':').next().unwrap_or(user);
            let range = instruction_at(df, word.start()).map_or(*word, |i| i.range);
            let scratch = root_image(df, last).is_scratch();
            if scratch && !copies_passwd(df) {
                let finding = out.report(
                    ctx.file,
                    range,
                    stage_ref(last),
                    format!(
                        "`USER {user}` names a user but the final image is `scratch`, which has no /etc/passwd: the container cannot start (`unable to find user {name}: no matching entries in passwd file`)"
                    ),
                );
                finding.severity = Severity::Error;
            } else {
                out.report(
                    ctx.file,
                    range,
                    stage_ref(last),
                    format!(
                        "`USER {user}` is a name, not a numeric UID: with `runAsNonRoot: true` and no `runAsUser` the kubelet cannot verify it is non-root and refuses to start the pod"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::rules::testing::*;

    #[test]
    fn name_on_scratch_is_an_error() {
        let text = "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER app:app\nENTRYPOINT [\"/app\"]\n";
        let found = check_dockerfile("DF005", text);
        assert_eq!(lines(&found, text), [5]);
        assert_eq!(spans(&found, text), ["USER app:app"]);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("unable to find user app"));
    }

    #[test]
    fn name_with_passwd_or_on_other_bases_is_info() {
        for text in [
            "FROM golang:1.22 AS build\nRUN adduser --disabled-password app\nFROM scratch\nCOPY --from=build /etc/passwd /etc/passwd\nUSER app\n",
            "FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /etc/passwd /etc/group /etc/\nUSER app\n",
            "FROM gcr.io/distroless/static-debian12\nUSER nonroot\n",
            "ARG RUNTIME_USER=app\nFROM alpine:3.20\nARG RUNTIME_USER\nRUN adduser -D ${RUNTIME_USER}\nUSER ${RUNTIME_USER}\n",
        ] {
            let found = check_dockerfile("DF005", text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].severity, Severity::Info, "{text}");
        }
    }

    #[test]
    fn silent_on_numeric_and_unknown_users() {
        for text in [
            "FROM scratch\nUSER 65532:65532\n",
            "FROM scratch\nUSER 10001\n",
            "FROM alpine:3.20\nARG UID\nUSER $UID\n",
            "FROM alpine:3.20\n",
            "FROM alpine:3.20\nUSER app\nUSER 1000\n",
        ] {
            assert!(check_dockerfile("DF005", text).is_empty(), "{text}");
        }
    }
}

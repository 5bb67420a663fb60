//! XF002 exec-hook-without-shell.

use crate::dockerfile::facts::chain;
use crate::finding::{Fix, Severity};
use crate::rules::cross::paired;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::source::TextRange;
use crate::workspace::{DockerfileCtx, Workspace};
use crate::yaml::{Entry, Node};

pub struct ExecHookWithoutShell;

pub static META: RuleMeta = RuleMeta {
    code: "XF002",
    name: "exec-hook-without-shell",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "exec hook or probe runs a shell tool that the paired static image does not contain",
    help: "use the native `sleep` action, an httpGet/grpc/tcpSocket probe, or a binary shipped in the image",
    fix: FixAvailability::Edit,
    docs: rule_docs!(r#"## What it does

Reports an `exec` lifecycle hook (`preStop`, `postStart`) or an `exec` probe (`livenessProbe`,
`readinessProbe`, `startupProbe`) whose command starts with a shell, busybox or coreutils tool
or a download tool (`sh`, `bash`, `sleep`, `curl`, `wget`, `cat`, `test`, `ls`, ...) when the
paired Dockerfile's final image is built on a base without a shell: `scratch`, or a distroless
static/base image (their `:debug` variants have busybox and are not reported). A command whose
binary the Dockerfile copies into the final image (say `COPY --from=build /bin/grpc_health_probe`,
or busybox) is not reported.

## Why it matters

A static Go image holds the binary, CA certificates and little else: there is no `/bin/sh` and
no `sleep`. The kubelet still accepts the manifest, and the failure only shows at run time:

- a `preStop` hook that cannot run fails immediately, so the "sleep a few seconds before
  shutting down" delay meant to let endpoints and load balancers drop the pod never happens —
  requests are cut during every rollout, with only a `FailedPreStopHook` event as a trace;
- an exec liveness probe fails every time, and the kubelet restarts a perfectly healthy container
  in a loop; an exec readiness probe keeps the pod out of its Service forever.

## Example

```dockerfile bad
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
        lifecycle:
          preStop:
            exec:
              command: ["sleep", "5"]
```

```dockerfile good
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.8.2
        lifecycle:
          preStop:
            sleep:
              seconds: 5
```

For a `preStop` hook that only sleeps (`["sleep", "5"]` or `["sh", "-c", "sleep 5"]`) the fix
replaces the `exec` action with the kubelet's built-in `sleep` action, which needs nothing in the
image (beta and on by default since Kubernetes 1.30). Probes are left to you: prefer `httpGet`,
`grpc` (Kubernetes 1.27+) or `tcpSocket`, or ship the probe binary in the image.

## References

- Kubernetes: [Container lifecycle hooks — hook handlers (exec, httpGet, sleep)](https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations)
- Kubernetes: [Configure liveness, readiness and startup probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
- Kubernetes: [Pod termination](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination)
- Distroless: [GoogleContainerTools/distroless — debug images](https://github.com/GoogleContainerTools/distroless#debug-images)
"#),
};

/// Commands that come from a shell, busybox, coreutils or a download tool: none of them is in a
/// static base image. (`grpc_health_probe` and the service's own binary are not listed: they
/// are usually copied into the image.)
const SHELL_TOOLS: &[&str] = &[
    "sh", "bash", "ash", "dash", "zsh", "busybox", "sleep", "curl", "wget", "cat", "test", "[",
    "ls", "echo", "grep", "pgrep", "pkill", "kill", "ps", "nc", "netcat", "timeout", "touch", "rm",
    "stat", "find", "true", "false", "env", "printf", "head", "tail",
];

const HOOKS: &[&str] = &["preStop", "postStart"];
const PROBES: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe"];

/// Does the Dockerfile copy this tool (or busybox, which provides them all) into the final
/// image?
fn image_ships(ctx: &DockerfileCtx<'_>, tool: &str) -> bool {
    let df = ctx.dockerfile;
    let Some(last) = df.final_stage() else {
        return false;
    };
    chain(df, last).iter().any(|stage| {
        df.stage_instructions(stage)
            .iter()
            .filter(|i| i.is("COPY") || i.is("ADD"))
            .any(|i| {
                i.words().iter().any(|w| {
                    let base = basename(w.value.trim_end_matches('/'));
                    base == tool || base == "busybox"
                })
            })
    })
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The seconds of a preStop command that only sleeps: `sleep N`, `sh -c "sleep N"`.
fn sleep_seconds(words: &[&str]) -> Option<u32> {
    let parse = |w: &[&str]| match w {
        [cmd, n] if basename(cmd) == "sleep" => n.parse::<u32>().ok(),
        _ => None,
    };
    match words {
        [shell, "-c", script] if matches!(basename(shell), "sh" | "bash" | "ash" | "dash") => {
            let inner: Vec<&str> = script.split_whitespace().collect();
            parse(&inner)
        }
        _ => parse(words),
    }
}

/// The column of the byte at `offset`, when only spaces precede it on its line.
fn column(text: &str, offset: usize) -> Option<usize> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    Some(offset - line_start)
}

/// One edit replacing the `exec` entry (key and value) with `sleep: {seconds: N}`, in the
/// style the `exec` value was written in.
fn sleep_edit(text: &str, exec: &Entry, seconds: u32) -> Option<crate::Edit> {
    if exec.key.via_alias || exec.value.via_alias {
        return None;
    }
    let range = TextRange::new(exec.key.range.start(), exec.value.range.end());
    text.get(range.start()..range.end())?;
    let mapping = exec.value.as_mapping()?;
    let content = if mapping.flow {
        format!("sleep: {{seconds: {seconds}}}")
    } else {
        let first = mapping.entries.first()?;
        let col = column(text, first.key.range.start())?;
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        format!("sleep:{nl}{}seconds: {seconds}", " ".repeat(col))
    };
    Some(crate::Edit::replace(range, content))
}

impl Rule for ExecHookWithoutShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let Some(ctx) = paired(ws, container) else {
                continue;
            };
            if ctx.facts.has_shell {
                continue;
            }
            let base = ctx
                .facts
                .final_base
                .as_ref()
                .map(|b| b.to_string())
                .unwrap_or_default();
            let mut handlers: Vec<(&str, bool, &Node)> = Vec::new();
            if let Some(lifecycle) = container.node.get("lifecycle") {
                for hook in HOOKS {
                    if let Some(h) = lifecycle.get(hook) {
                        handlers.push((hook, *hook == "preStop", h));
                    }
                }
            }
            for probe in PROBES {
                if let Some(p) = container.probe(probe) {
                    handlers.push((probe, false, &p.value));
                }
            }
            let file = ws.file_of(container);
            let text = ws.text(file);
            for (what, pre_stop, handler) in handlers {
                let Some(exec) = handler.entry("exec") else {
                    continue;
                };
                let Some(command) = exec.value.entry("command") else {
                    continue;
                };
                let words: Vec<&str> = command
                    .value
                    .items()
                    .iter()
                    .map(|w| w.as_scalar().map_or("", |s| s.text.as_str()))
                    .collect();
                let Some(first) = words.first() else {
                    continue;
                };
                let tool = basename(first.trim());
                if !SHELL_TOOLS.contains(&tool) || image_ships(ctx, tool) {
                    continue;
                }
                let consequence = match what {
                    "preStop" => "the hook fails at once, so the shutdown delay never happens and requests are dropped on every rollout",
                    "postStart" => "the hook fails and the kubelet kills the container",
                    "livenessProbe" => "the probe always fails and the kubelet restarts the container over and over",
                    "readinessProbe" => "the probe always fails and the pod never receives traffic",
                    _ => "the probe always fails and the container is restarted before it starts",
                };
                let finding = out.report(
                    file,
                    command.key.range,
                    ws.container_ref(container),
                    format!(
                        "the {what} of {} runs `{tool}`, but its image is built on `{base}`, which has no shell or `{tool}`: {consequence}",
                        ws.describe(container)
                    ),
                );
                if pre_stop {
                    if let Some(seconds) = sleep_seconds(&words) {
                        if let Some(edit) = sleep_edit(text, exec, seconds) {
                            finding.fix = Some(Fix::safe(
                                format!("use the native sleep action ({seconds}s)"),
                                vec![edit],
                            ));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "XF002";

    const STATIC: &str = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n";

    fn deploy(container_extra: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api}}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.0\n{container_extra}")
    }

    fn check(df: &str, yaml: &str) -> Vec<crate::Finding> {
        check_files(CODE, &[("api/Dockerfile", df), ("deploy.yaml", yaml)])
    }

    fn fix(df: &str, yaml: &str) -> String {
        fixed(CODE, &[("deploy.yaml", yaml), ("api/Dockerfile", df)])
    }

    const PRESTOP: &str = "        lifecycle:\n          preStop:\n            exec:\n              command: [\"sleep\", \"5\"] # drain\n";

    #[test]
    fn fires_at_the_command_key() {
        let yaml = deploy(PRESTOP);
        let found = check(STATIC, &yaml);
        assert_eq!(lines(&found, &yaml), [13]);
        assert_eq!(spans(&found, &yaml), ["command"]);
        assert!(found[0].message.contains("preStop"));
        assert!(found[0]
            .message
            .contains("gcr.io/distroless/static:nonroot"));
        assert!(is_safe(&found[0]));
    }

    #[test]
    fn fix_uses_the_native_sleep_action() {
        let yaml = deploy(PRESTOP);
        assert_eq!(
            fix(STATIC, &yaml),
            deploy("        lifecycle:\n          preStop:\n            sleep:\n              seconds: 5 # drain\n")
        );
        let shell = deploy("        lifecycle:\n          preStop:\n            exec:\n              command:\n              - /bin/sh\n              - -c\n              - sleep 15\n        ports:\n        - containerPort: 8080\n");
        assert_eq!(
            fix(STATIC, &shell),
            deploy("        lifecycle:\n          preStop:\n            sleep:\n              seconds: 15\n        ports:\n        - containerPort: 8080\n")
        );
        let flow =
            deploy("        lifecycle: {preStop: {exec: {command: [sh, -c, \"sleep 10\"]}}}\n");
        assert_eq!(
            fix(STATIC, &flow),
            deploy("        lifecycle: {preStop: {sleep: {seconds: 10}}}\n")
        );
    }

    #[test]
    fn probes_fire_without_a_fix() {
        let yaml = deploy("        livenessProbe:\n          exec:\n            command: [\"/bin/sh\", \"-c\", \"curl -sf localhost:8080/healthz\"]\n        readinessProbe:\n          exec: {command: [cat, /tmp/ready]}\n        startupProbe:\n          exec:\n            command: [\"/usr/local/bin/grpc_health_probe\", \"-addr=:9090\"]\n");
        let found = check(STATIC, &yaml);
        assert_eq!(lines(&found, &yaml), [12, 14]);
        assert!(found.iter().all(|f| f.fix.is_none()));
        assert!(found[1].message.contains("never receives traffic"));
    }

    #[test]
    fn a_non_sleep_pre_stop_has_no_fix() {
        let yaml = deploy("        lifecycle:\n          preStop:\n            exec:\n              command: [\"sh\", \"-c\", \"sleep 5 && kill -TERM 1\"]\n");
        let found = check(STATIC, &yaml);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_images_with_a_shell_or_shipped_tools() {
        let yaml = deploy(PRESTOP);
        for base in [
            "alpine:3.20",
            "gcr.io/distroless/static:debug-nonroot",
            "debian:bookworm-slim",
        ] {
            let df = STATIC.replace("gcr.io/distroless/static:nonroot", base);
            assert!(check(&df, &yaml).is_empty(), "{base}");
        }
        let df = STATIC.replace(
            "ENTRYPOINT",
            "COPY --from=busybox:1.36-musl /bin/busybox /bin/busybox\nENTRYPOINT",
        );
        assert!(check(&df, &yaml).is_empty());
        let probe = deploy("        readinessProbe:\n          exec:\n            command: [\"/bin/curl\", \"-f\", \"localhost\"]\n");
        let df = STATIC.replace(
            "ENTRYPOINT",
            "COPY --from=build /usr/bin/curl /bin/curl\nENTRYPOINT",
        );
        assert!(check(&df, &probe).is_empty());
        assert_eq!(check(STATIC, &probe).len(), 1);
        // No Dockerfile: nothing is known about the image.
        assert!(check_yaml(CODE, &yaml).is_empty());
        // The service's own binary is fine.
        let own = deploy("        livenessProbe:\n          exec:\n            command: [\"/app\", \"healthcheck\"]\n");
        assert!(check(STATIC, &own).is_empty());
        // httpGet hooks need nothing in the image.
        let http = deploy("        lifecycle:\n          preStop:\n            httpGet: {path: /drain, port: 8080}\n");
        assert!(check(STATIC, &http).is_empty());
    }

    #[test]
    fn scratch_too() {
        let df = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        let yaml = deploy(PRESTOP);
        assert_eq!(check(df, &yaml).len(), 1);
    }
}

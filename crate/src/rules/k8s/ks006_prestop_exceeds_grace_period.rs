//! KS006 prestop-exceeds-grace-period.

use crate::dockerfile::shell::commands;
use crate::finding::Severity;
use crate::k8s::{Container, Pod};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct PrestopExceedsGracePeriod;

pub static META: RuleMeta = RuleMeta {
    code: "KS006",
    name: "prestop-exceeds-grace-period",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "preStop sleep is as long as the termination grace period",
    help: "keep the preStop sleep well below `terminationGracePeriodSeconds` (e.g. sleep 5-10 s, grace period 30-60 s) so the process still gets time to shut down",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a container whose `preStop` hook sleeps at least as long as the pod's
`terminationGracePeriodSeconds` (30 when not set). Both ways of sleeping are recognised:
the native `sleep: {seconds: N}` action, and an `exec` hook running `sleep N` directly
(`["sleep", "5"]`, `["/bin/sleep", "5"]`) or through a shell (`["sh", "-c", "sleep 5 && …"]`,
where the sleeps of the script are added up). `sleep` suffixes (`5s`, `1m`) and `infinity` are
understood; a sleep of a variable (`sleep $DELAY`) is not judged.

## Why it matters

The grace period is one budget for the whole shutdown, and it starts running when the pod is
deleted, before the preStop hook. The kubelet sends SIGTERM to the container only after the
hook has returned. If the hook sleeps for the whole grace period, the process receives SIGTERM
when the budget is already spent; the kubelet grants a single two-second extension and then
sends SIGKILL. The Go server never gets to run `Server.Shutdown` or `GracefulStop`: in-flight
requests are cut off, transactions are left half done, buffered logs, traces and metrics are
lost, and the pod takes the full grace period to go away on every rollout.

The preStop sleep only has to cover the few seconds endpoints, kube-proxy and load balancers need
to stop sending new connections; the rest of the budget belongs to the application.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
spec:
  selector:
    matchLabels: {app: gateway}
  template:
    metadata:
      labels: {app: gateway}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
      - name: gateway
        image: ghcr.io/acme/gateway:2.0.0
        ports:
        - {name: http, containerPort: 8080}
        lifecycle:
          preStop:
            exec:
              command: ["/bin/sh", "-c", "sleep 30"]
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
spec:
  selector:
    matchLabels: {app: gateway}
  template:
    metadata:
      labels: {app: gateway}
    spec:
      terminationGracePeriodSeconds: 45
      containers:
      - name: gateway
        image: ghcr.io/acme/gateway:2.0.0
        ports:
        - {name: http, containerPort: 8080}
        lifecycle:
          preStop:
            sleep:
              seconds: 10
```

## References

- Kubernetes: [Pod lifecycle — termination of pods](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination)
- Kubernetes: [Container lifecycle hooks — hook handler execution](https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-execution)
- Go: [`net/http.Server.Shutdown`](https://pkg.go.dev/net/http#Server.Shutdown), [`os/signal.NotifyContext`](https://pkg.go.dev/os/signal#NotifyContext)
"#),
};

/// The pod's effective `terminationGracePeriodSeconds`: its value, 30 when not set, `None` when
/// it is set to something that is not an integer.
pub(crate) fn grace_period_seconds(pod: &Pod<'_>) -> Option<i64> {
    match pod.grace_period() {
        None => Some(30),
        Some(entry) if entry.value.is_null() => Some(30),
        Some(entry) => entry.value.int(),
    }
}

/// A sleep found in a preStop hook: how long, and the node that says so.
pub(crate) struct PreStopSleep<'a> {
    pub seconds: f64,
    pub node: &'a Node,
}

/// The preStop sleep of a container, if its hook sleeps a known amount of time.
pub(crate) fn prestop_sleep<'a>(container: &Container<'a>) -> Option<PreStopSleep<'a>> {
    let hook = container.node.path(&["lifecycle", "preStop"])?;
    if let Some(seconds) = hook.path(&["sleep", "seconds"]) {
        let value = seconds.int()?;
        return Some(PreStopSleep {
            seconds: value as f64,
            node: seconds,
        });
    }
    let command = hook.path(&["exec", "command"])?.items();
    exec_sleep(command)
}

/// `sleep N…`, `busybox sleep N`, or a shell running a script with `sleep N` in it.
fn exec_sleep(command: &[Node]) -> Option<PreStopSleep<'_>> {
    let words: Vec<&str> = command
        .iter()
        .map(|n| n.as_scalar().map(|s| s.text.as_str()))
        .collect::<Option<_>>()?;
    let mut start = 0;
    if words.first().map(|w| basename(w)) == Some("busybox") {
        start = 1;
    }
    let program = basename(words.get(start)?);
    if program == "sleep" {
        let seconds = sleep_args(words.get(start + 1..)?.iter().copied())?;
        return Some(PreStopSleep {
            seconds,
            node: command.get(start + 1)?,
        });
    }
    if !matches!(program, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh") {
        return None;
    }
    // The script follows the first option cluster holding `c` (`-c`, `-ec`, `-xc`).
    let rest = words.get(start + 1..)?;
    let flag = rest
        .iter()
        .position(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('c'))?;
    let index = start + 1 + flag + 1;
    let script = words.get(index)?;
    let mut total = 0.0;
    for cmd in commands(script) {
        if cmd.name().map(basename) != Some("sleep") {
            continue;
        }
        if let Some(seconds) = sleep_args(cmd.args().iter().map(|(w, _)| w.as_str())) {
            total += seconds;
        }
    }
    (total > 0.0).then_some(PreStopSleep {
        seconds: total,
        node: command.get(index)?,
    })
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Seconds slept by `sleep ARGS…` (GNU and BusyBox add the arguments up; `s`, `m`, `h`, `d`
/// suffixes; `infinity`). `None` when an argument is not a plain duration.
fn sleep_args<'w>(args: impl Iterator<Item = &'w str>) -> Option<f64> {
    let mut total = 0.0;
    let mut any = false;
    for arg in args {
        total += duration(arg)?;
        any = true;
    }
    any.then_some(total)
}

fn duration(arg: &str) -> Option<f64> {
    let arg = arg.trim();
    if matches!(arg, "inf" | "infinity") {
        return Some(f64::INFINITY);
    }
    let (number, unit) = match arg.char_indices().last()? {
        (i, 's') => (arg.get(..i)?, 1.0),
        (i, 'm') => (arg.get(..i)?, 60.0),
        (i, 'h') => (arg.get(..i)?, 3600.0),
        (i, 'd') => (arg.get(..i)?, 86400.0),
        _ => (arg, 1.0),
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    Some(decimal(number)? * unit)
}

/// `12`, `1.5`, `.5` or `1.` (digits and dots only) as a number. Written out rather than
/// `str::parse::<f64>` so that the wasm builds carry no float parser.
fn decimal(number: &str) -> Option<f64> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if fraction.contains('.') || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let mut value = 0.0_f64;
    for digit in whole.bytes() {
        value = value * 10.0 + f64::from(digit.checked_sub(b'0')?);
    }
    let mut scale = 1.0_f64;
    for digit in fraction.bytes() {
        scale /= 10.0;
        value += f64::from(digit.checked_sub(b'0')?) * scale;
    }
    Some(value)
}

fn format_seconds(seconds: f64) -> String {
    if seconds.is_infinite() {
        "forever".to_string()
    } else if seconds.fract() == 0.0 {
        format!("{} s", seconds as i64)
    } else {
        // To the millisecond, written with integers: no float formatting in the wasm builds.
        let millis = (seconds * 1000.0).round() as i64;
        let fraction = format!("{:03}", millis % 1000);
        format!("{}.{} s", millis / 1000, fraction.trim_end_matches('0'))
    }
}

impl Rule for PrestopExceedsGracePeriod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if !container.is_long_running_kind() {
                continue;
            }
            let Some(sleep) = prestop_sleep(container) else {
                continue;
            };
            let pod = ws.pod_of(container);
            let Some(grace) = grace_period_seconds(pod) else {
                continue;
            };
            if sleep.seconds <= 0.0 || sleep.seconds < grace as f64 {
                continue;
            }
            let grace_text = if pod.grace_period().is_some_and(|e| !e.value.is_null()) {
                format!("terminationGracePeriodSeconds is {grace}")
            } else {
                "terminationGracePeriodSeconds is not set (30 s by default)".to_string()
            };
            out.report(
                ws.file_of(container),
                sleep.node.range,
                ws.container_ref(container),
                format!(
                    "the preStop hook of {} sleeps {} but the pod's {grace_text}: SIGTERM arrives only when the grace period is used up and the process is SIGKILLed about 2 s later, cutting off in-flight requests",
                    ws.describe(container),
                    format_seconds(sleep.seconds)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_without_the_float_parser() {
        use super::{decimal, duration, format_seconds};
        assert_eq!(decimal("12"), Some(12.0));
        assert_eq!(decimal("1.5"), Some(1.5));
        assert_eq!(decimal(".5"), Some(0.5));
        assert_eq!(decimal("1."), Some(1.0));
        assert_eq!(decimal("."), None);
        assert_eq!(decimal("1.2.3"), None);
        assert_eq!(duration("2m"), Some(120.0));
        assert_eq!(duration("0.25s"), Some(0.25));
        assert_eq!(format_seconds(90.0), "90 s");
        assert_eq!(format_seconds(0.25), "0.25 s");
        assert_eq!(format_seconds(12.5), "12.5 s");
        assert_eq!(format_seconds(f64::INFINITY), "forever");
    }

    use crate::rules::testing::*;

    fn pod(grace: &str, hook: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{grace}  containers:\n  - name: app\n    image: ghcr.io/acme/app:1.0\n    lifecycle:\n      preStop:\n{hook}"
        )
    }

    fn span(grace: &str, hook: &str) -> Option<String> {
        let text = pod(grace, hook);
        let found = check_yaml("KS006", &text);
        assert!(found.len() <= 1);
        found.first().map(|f| f.range.slice(&text).to_string())
    }

    #[test]
    fn native_sleep() {
        let text = pod("", "        sleep:\n          seconds: 30\n");
        let found = check_yaml("KS006", &text);
        assert_eq!(lines(&found, &text), [12]);
        assert_eq!(spans(&found, &text), ["30"]);
        assert!(found[0].message.contains("sleeps 30 s"));
        assert!(found[0].message.contains("not set (30 s by default)"));
        assert_eq!(
            span(
                "  terminationGracePeriodSeconds: 20\n",
                "        sleep: {seconds: 25}\n"
            ),
            Some("25".into())
        );
        assert_eq!(span("", "        sleep: {seconds: 29}\n"), None);
        assert_eq!(
            span(
                "  terminationGracePeriodSeconds: 60\n",
                "        sleep: {seconds: 30}\n"
            ),
            None
        );
    }

    #[test]
    fn exec_sleep_forms() {
        let grace = "  terminationGracePeriodSeconds: 10\n";
        assert_eq!(
            span(
                grace,
                "        exec:\n          command: [\"sleep\", \"10\"]\n"
            ),
            Some("\"10\"".into())
        );
        assert_eq!(
            span(
                grace,
                "        exec:\n          command:\n          - /bin/sleep\n          - 15\n"
            ),
            Some("15".into())
        );
        assert_eq!(
            span(grace, "        exec: {command: [sh, -c, sleep 10]}\n"),
            Some("sleep 10".into())
        );
        assert_eq!(
            span(
                grace,
                "        exec:\n          command: [\"/bin/sh\", \"-c\", \"sleep 5 && nginx -s quit && sleep 5\"]\n"
            ),
            Some("\"sleep 5 && nginx -s quit && sleep 5\"".into())
        );
        assert_eq!(
            span(grace, "        exec: {command: [busybox, sleep, 1m]}\n"),
            Some("1m".into())
        );
        assert_eq!(
            span(grace, "        exec: {command: [sleep, infinity]}\n"),
            Some("infinity".into())
        );
    }

    #[test]
    fn near_misses() {
        let grace = "  terminationGracePeriodSeconds: 10\n";
        assert_eq!(
            span(grace, "        exec: {command: [sleep, \"5\"]}\n"),
            None
        );
        assert_eq!(
            span(
                grace,
                "        exec: {command: [sh, -c, \"sleep $DELAY\"]}\n"
            ),
            None
        );
        assert_eq!(
            span(
                grace,
                "        exec: {command: [sh, -c, \"echo sleep 60\"]}\n"
            ),
            None
        );
        assert_eq!(
            span(grace, "        exec: {command: [/app/drain, --wait=60s]}\n"),
            None
        );
        assert_eq!(
            span(grace, "        httpGet: {path: /drain, port: 8080}\n"),
            None
        );
        assert_eq!(span(grace, "        sleep: {seconds: \"60\"}\n"), None);
        assert_eq!(
            span(
                "  terminationGracePeriodSeconds: \"{{ .Values.grace }}\"\n",
                "        sleep: {seconds: 60}\n"
            ),
            None
        );
        assert_eq!(
            span(
                "  terminationGracePeriodSeconds: 0\n",
                "        sleep: {seconds: 0}\n"
            ),
            None
        );
        // plain init containers cannot have hooks; not looked at
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: init\n    image: busybox:1.36\n    lifecycle: {preStop: {sleep: {seconds: 60}}}\n  containers:\n  - name: app\n    image: ghcr.io/acme/app:1.0\n";
        assert!(check_yaml("KS006", text).is_empty());
    }

    #[test]
    fn sidecar_in_deployment_with_short_grace() {
        let text = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: edge}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 15
      initContainers:
      - name: envoy
        image: envoyproxy/envoy:v1.31.0
        restartPolicy: Always
        lifecycle:
          preStop:
            exec:
              command: ["/bin/sh", "-c", "sleep 20; kill -TERM 1"]
      containers:
      - name: web
        image: ghcr.io/acme/web:1.0
"#;
        let found = check_yaml("KS006", text);
        assert_eq!(lines(&found, text), [17]);
        assert!(found[0]
            .message
            .contains("container `envoy` of Deployment/edge/web sleeps 20 s but the pod's terminationGracePeriodSeconds is 15"));
    }
}

//! KS004 liveness-initial-delay-short.

use crate::finding::{Fix, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{set_path, Frag};

use super::ks001_readiness_probe_missing::has_key;

pub struct LivenessInitialDelayShort;

pub static META: RuleMeta = RuleMeta {
    code: "KS004",
    name: "liveness-initial-delay-short",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "livenessProbe starts checking within 10 seconds and there is no startupProbe",
    help: "set `initialDelaySeconds: 15` on the livenessProbe, or add a startupProbe that covers the slowest start",
    fix: FixAvailability::Edit,
    docs: rule_docs!(r#"## What it does

Reports a container with a `livenessProbe`, no `startupProbe`, and an `initialDelaySeconds`
below 10 on the liveness probe (a missing value counts as 0, the Kubernetes default). The fix
sets `initialDelaySeconds: 15`.

## Why it matters

The liveness probe starts counting as soon as the container starts, after the initial delay.
Many Go services are not answering within the first few seconds: they load configuration and
secrets, run migrations, fill caches, wait for a sidecar proxy, or start slowly because a low
CPU limit throttles them during the busy startup phase. If the probe fails `failureThreshold`
times before the server is up, the kubelet kills the container and starts it again, and the
same thing happens on the next attempt: the pod ends in CrashLoopBackOff although nothing is
wrong with it. It often shows up only in production, where nodes are busier and caches bigger
than in staging.

A startup probe is the better tool when the start time varies a lot: liveness checks are held
back until it succeeds, so the liveness probe can stay strict afterwards. Without one, give the
liveness probe at least 10 to 15 seconds of initial delay.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata:
  name: catalog
spec:
  selector:
    matchLabels: {app: catalog}
  template:
    metadata:
      labels: {app: catalog}
    spec:
      containers:
      - name: catalog
        image: ghcr.io/acme/catalog:4.7.1
        ports:
        - {name: http, containerPort: 8080}
        livenessProbe:
          httpGet: {path: /livez, port: http}
          initialDelaySeconds: 3
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata:
  name: catalog
spec:
  selector:
    matchLabels: {app: catalog}
  template:
    metadata:
      labels: {app: catalog}
    spec:
      containers:
      - name: catalog
        image: ghcr.io/acme/catalog:4.7.1
        ports:
        - {name: http, containerPort: 8080}
        startupProbe:
          httpGet: {path: /livez, port: http}
          periodSeconds: 2
          failureThreshold: 30
        livenessProbe:
          httpGet: {path: /livez, port: http}
          initialDelaySeconds: 3
```

## References

- Kubernetes: [Configure Liveness, Readiness and Startup Probes — protect slow starting containers with startup probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes)
- Kubernetes: [Configure probes — `initialDelaySeconds`](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes)
- Kubernetes: [Debug running pods — CrashLoopBackOff](https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/)
"#),
};

impl Rule for LivenessInitialDelayShort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if !container.is_long_running_kind() || has_key(container, "startupProbe") {
                continue;
            }
            let Some(liveness) = container.probe("livenessProbe") else {
                continue;
            };
            let probe = &liveness.value;
            if probe.as_mapping().is_none() {
                continue;
            }
            let delay_entry = probe.entry("initialDelaySeconds");
            let delay = match delay_entry {
                None => 0,
                Some(e) if e.value.is_null() => 0,
                Some(e) => match e.value.int() {
                    Some(n) => n,
                    // A template or a quoted value: not something we can judge.
                    None => continue,
                },
            };
            if delay >= 10 {
                continue;
            }
            let anchor = delay_entry.map_or(liveness.key.range, |e| e.key.range);
            let when = if delay <= 0 {
                "as soon as the container starts".to_string()
            } else {
                format!("after only {delay} s")
            };
            let file = ws.file_of(container);
            let finding = out.report(
                file,
                anchor,
                ws.container_ref(container),
                format!(
                    "the livenessProbe of {} starts checking {when} and there is no startupProbe: a slow start (config, migrations, cache warm-up, CPU throttling) gets the container killed before it is up, ending in CrashLoopBackOff",
                    ws.describe(container)
                ),
            );
            if let Some(edit) = set_path(
                ws.text(file),
                probe,
                &["initialDelaySeconds"],
                &Frag::scalar("15"),
            ) {
                finding.fix = Some(Fix::safe(
                    "set `initialDelaySeconds: 15` on the livenessProbe",
                    vec![edit],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const DEPLOY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: catalog
spec:
  selector: {matchLabels: {app: catalog}}
  template:
    metadata: {labels: {app: catalog}}
    spec:
      containers:
      - name: catalog
        image: ghcr.io/acme/catalog:4.7.1
        livenessProbe:
          httpGet:
            path: /livez
            port: 8080
          initialDelaySeconds: 5 # too short
          periodSeconds: 10
      - name: flow
        image: ghcr.io/acme/flow:1.0
        livenessProbe: {httpGet: {path: /healthz, port: 8080}}
      - name: started
        image: ghcr.io/acme/started:1.0
        startupProbe: {tcpSocket: {port: 8080}, failureThreshold: 30}
        livenessProbe: {tcpSocket: {port: 8080}}
      - name: patient
        image: ghcr.io/acme/patient:1.0
        livenessProbe:
          tcpSocket: {port: 8080}
          initialDelaySeconds: 10
      - name: templated
        image: ghcr.io/acme/templated:1.0
        livenessProbe:
          tcpSocket: {port: 8080}
          initialDelaySeconds: "5"
"#;

    #[test]
    fn fires_on_short_and_missing_delay() {
        let found = check_yaml("KS004", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [17, 21]);
        assert_eq!(
            spans(&found, DEPLOY),
            ["initialDelaySeconds", "livenessProbe"]
        );
        assert!(found[0].message.contains("after only 5 s"));
        assert!(found[1].message.contains("as soon as the container starts"));
        assert!(found.iter().all(is_safe));
    }

    #[test]
    fn fix_replaces_or_inserts_the_delay() {
        let out = fixed_yaml("KS004", DEPLOY);
        let expected = DEPLOY
            .replace(
                "initialDelaySeconds: 5 # too short",
                "initialDelaySeconds: 15 # too short",
            )
            .replace(
                "{httpGet: {path: /healthz, port: 8080}}",
                "{httpGet: {path: /healthz, port: 8080}, initialDelaySeconds: 15}",
            );
        assert_eq!(out, expected);
    }

    #[test]
    fn fix_inserts_into_block_probe() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: ghcr.io/acme/app:1.0\n    livenessProbe:\n      exec:\n        command: [/bin/grpc_health_probe, -addr=:9090]\n    ports:\n    - containerPort: 9090\n";
        let expected = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: ghcr.io/acme/app:1.0\n    livenessProbe:\n      exec:\n        command: [/bin/grpc_health_probe, -addr=:9090]\n      initialDelaySeconds: 15\n    ports:\n    - containerPort: 9090\n";
        assert_eq!(fixed_yaml("KS004", text), expected);
    }

    #[test]
    fn silent_on_init_containers() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: init\n    image: busybox:1.36\n    livenessProbe: {exec: {command: [\"true\"]}}\n  containers:\n  - name: app\n    image: ghcr.io/acme/app:1.0\n";
        assert!(check_yaml("KS004", text).is_empty());
    }

    #[test]
    fn aliased_probe_is_reported_but_only_the_anchor_is_edited() {
        let text = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: pair}
spec:
  selector: {matchLabels: {app: pair}}
  template:
    metadata: {labels: {app: pair}}
    spec:
      containers:
      - name: one
        image: ghcr.io/acme/one:1.0
        livenessProbe: &live
          httpGet: {path: /livez, port: 8080}
          initialDelaySeconds: 2
      - name: two
        image: ghcr.io/acme/two:1.0
        livenessProbe: *live
"#;
        let found = check_yaml("KS004", text);
        assert_eq!(lines(&found, text), [14, 14]);
        assert!(found[0].fix.is_some() != found[1].fix.is_some());
        assert_eq!(
            fixed_yaml("KS004", text),
            text.replace("initialDelaySeconds: 2", "initialDelaySeconds: 15")
        );
    }
}

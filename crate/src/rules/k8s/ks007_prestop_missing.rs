//! KS007 prestop-missing.

use crate::finding::{Fix, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{set_path, Frag};

use super::ks001_readiness_probe_missing::{has_key, is_long_running};
use super::ks006_prestop_exceeds_grace_period::grace_period_seconds;

pub struct PrestopMissing;

/// The fix is offered only when the grace period leaves the application at least this much
/// time after the 5 s sleep.
const MIN_GRACE_FOR_FIX: i64 = 10;

pub static META: RuleMeta = RuleMeta {
    code: "KS007",
    name: "prestop-missing",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "Container that serves traffic has no preStop hook",
    help: "add `lifecycle: {preStop: {sleep: {seconds: 5}}}` so endpoints and load balancers stop routing to the pod before it gets SIGTERM",
    fix: FixAvailability::Edit,
    docs: rule_docs!(r#"## What it does

Reports a container of a long-running workload that serves traffic (it declares `ports` or has
a `readinessProbe`) and has no `lifecycle.preStop` hook. Main containers and native sidecars are
checked; plain init containers, Jobs, CronJobs and run-to-completion Pods are not. The fix adds
the native sleep action:

```yaml
lifecycle:
  preStop:
    sleep:
      seconds: 5
```

## Why it matters

When a pod is deleted (a rollout, a scale-down, a node drain), two things start at the same
time: the kubelet begins stopping the containers, and the control plane removes the pod from
the Service's EndpointSlices, after which every kube-proxy, ingress controller, service mesh and
cloud load balancer has to notice and update its own state. That second path takes from a few
hundred milliseconds to several seconds. Without a preStop hook, the container gets SIGTERM
immediately; a Go server that reacts correctly with `Server.Shutdown` closes its listeners
at once, and the connections that the rest of the cluster still sends to it are refused or
reset. The result is a burst of 502/503 errors and `connection refused` on every deployment,
even though each pod shuts down "gracefully".

A short preStop sleep keeps the process serving normally for those few seconds, so that by the
time SIGTERM arrives nobody is routing new requests to it any more. The sleep counts against
`terminationGracePeriodSeconds`, so keep it short (see KS006).

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 4
  selector:
    matchLabels: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      containers:
      - name: frontend
        image: ghcr.io/acme/frontend:7.2.0
        ports:
        - {name: http, containerPort: 8080}
        readinessProbe:
          httpGet: {path: /readyz, port: http}
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 4
  selector:
    matchLabels: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      containers:
      - name: frontend
        image: ghcr.io/acme/frontend:7.2.0
        ports:
        - {name: http, containerPort: 8080}
        readinessProbe:
          httpGet: {path: /readyz, port: http}
        lifecycle:
          preStop:
            sleep:
              seconds: 5
```

## Fix safety

The fix is **unsafe** (applied only on request), for two reasons:

- The `sleep` action needs a recent cluster. It was added in Kubernetes 1.29 as an alpha feature
  behind the `PodLifecycleSleepAction` feature gate (off by default), became beta and enabled by
  default in **1.30**, and GA in 1.34. On an older API server, or a 1.29 one without the gate,
  the field is unknown: strict field validation rejects the manifest, and otherwise the field is
  dropped and the now empty `preStop` handler fails validation. Either way the apply fails
  loudly rather than at runtime, but it fails. On such clusters write an `exec` hook running
  `sleep 5` instead, which works only if the image contains a `sleep` binary (not on `scratch`
  or distroless images; see XF002).
- It changes shutdown timing: every pod takes 5 s longer to stop, and those 5 s come out of the
  grace period. The fix is not offered when `terminationGracePeriodSeconds` is below 10 s, since
  the application would be left with almost no time to shut down.

## References

- Kubernetes: [Container lifecycle hooks — sleep handler](https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations)
- Kubernetes: [Pod lifecycle — termination of pods](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination)
- Kubernetes: [KEP-3960: Pod lifecycle sleep action](https://github.com/kubernetes/enhancements/issues/3960) (alpha 1.29, beta 1.30, GA 1.34)
- Kubernetes blog: [v1.33: Updates to container lifecycle](https://kubernetes.io/blog/2025/05/14/kubernetes-v1-33-updates-to-container-lifecycle/)
- Go: [`net/http.Server.Shutdown`](https://pkg.go.dev/net/http#Server.Shutdown)
"#),
};

impl Rule for PrestopMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if !is_long_running(ws, container) {
                continue;
            }
            if container.ports().is_empty() && !has_key(container, "readinessProbe") {
                continue;
            }
            let has_prestop = container
                .node
                .path(&["lifecycle", "preStop"])
                .is_some_and(|hook| !hook.is_null());
            if has_prestop {
                continue;
            }
            let file = ws.file_of(container);
            let finding = out.report(
                file,
                container.name_range(),
                ws.container_ref(container),
                format!(
                    "{} serves traffic but has no preStop hook: on every rollout it gets SIGTERM while endpoints, kube-proxy and load balancers still route new connections to it, which then fail",
                    ws.describe(container)
                ),
            );
            let grace = grace_period_seconds(ws.pod_of(container));
            if grace.is_some_and(|g| g >= MIN_GRACE_FOR_FIX) {
                if let Some(edit) = set_path(
                    ws.text(file),
                    container.node,
                    &["lifecycle", "preStop", "sleep", "seconds"],
                    &Frag::scalar("5"),
                ) {
                    finding.fix = Some(Fix::unsafe_(
                        "add a 5 s preStop sleep (native sleep action, Kubernetes >= 1.30)",
                        vec![edit],
                    ));
                }
            } else {
                finding.help = format!(
                    "raise terminationGracePeriodSeconds first, then add a short preStop sleep; {}",
                    META.help
                )
                .into();
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
  name: frontend
  namespace: web
spec:
  selector:
    matchLabels: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      initContainers:
      - name: wait-db
        image: busybox:1.36
        ports: [{containerPort: 1}]
      containers:
      - name: frontend
        image: ghcr.io/acme/frontend:7.2.0
        ports:
        - name: http
          containerPort: 8080
      - name: ready-only
        image: ghcr.io/acme/frontend:7.2.0
        readinessProbe: {exec: {command: [cat, /tmp/ready]}}
        lifecycle: {postStart: {exec: {command: [touch, /tmp/started]}}}
      - name: worker
        image: ghcr.io/acme/worker:7.2.0
      - name: drained
        image: ghcr.io/acme/frontend:7.2.0
        ports: [{containerPort: 8081}]
        lifecycle:
          preStop:
            httpGet: {path: /drain, port: 8081}
"#;

    #[test]
    fn fires_on_serving_containers_without_prestop() {
        let found = check_yaml("KS007", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [18, 23]);
        assert_eq!(spans(&found, DEPLOY), ["frontend", "ready-only"]);
        assert!(found.iter().all(|f| f.fix.is_some() && !is_safe(f)));
        assert!(found[0]
            .message
            .starts_with("container `frontend` of Deployment/web/frontend serves traffic"));
    }

    #[test]
    fn fix_adds_native_sleep() {
        let expected = DEPLOY
            .replace(
                "          containerPort: 8080\n",
                "          containerPort: 8080\n        lifecycle:\n          preStop:\n            sleep:\n              seconds: 5\n",
            )
            .replace(
                "{postStart: {exec: {command: [touch, /tmp/started]}}}",
                "{postStart: {exec: {command: [touch, /tmp/started]}}, preStop: {sleep: {seconds: 5}}}",
            );
        assert_eq!(fixed_yaml("KS007", DEPLOY), expected);
    }

    #[test]
    fn fix_into_block_lifecycle_with_post_start() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    ports:\n    - containerPort: 8080\n    lifecycle:\n      postStart:\n        exec:\n          command: [/app/warmup]\n    resources: {}\n";
        let expected = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    ports:\n    - containerPort: 8080\n    lifecycle:\n      postStart:\n        exec:\n          command: [/app/warmup]\n      preStop:\n        sleep:\n          seconds: 5\n    resources: {}\n";
        assert_eq!(fixed_yaml("KS007", text), expected);
    }

    #[test]
    fn fix_on_flow_container() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers: [{name: api, image: \"ghcr.io/acme/api:1.0\", ports: [{containerPort: 8080}]}]\n";
        let expected = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers: [{name: api, image: \"ghcr.io/acme/api:1.0\", ports: [{containerPort: 8080}], lifecycle: {preStop: {sleep: {seconds: 5}}}}]\n";
        assert_eq!(fixed_yaml("KS007", text), expected);
    }

    #[test]
    fn no_fix_when_grace_period_is_short() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  terminationGracePeriodSeconds: 5\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    ports:\n    - containerPort: 8080\n";
        let found = check_yaml("KS007", text);
        assert_eq!(lines(&found, text), [8]);
        assert!(found[0].fix.is_none());
        assert!(found[0]
            .help
            .starts_with("raise terminationGracePeriodSeconds"));
    }

    #[test]
    fn silent_on_jobs_and_cronjobs() {
        let text = r#"apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: nightly
            image: ghcr.io/acme/nightly:1.0
            ports: [{containerPort: 9102, name: metrics}]
            readinessProbe: {httpGet: {path: /, port: metrics}}
"#;
        assert!(check_yaml("KS007", text).is_empty());
    }
}

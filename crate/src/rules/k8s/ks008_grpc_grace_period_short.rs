//! KS008 grpc-grace-period-short.

use crate::finding::{Fix, Severity};
use crate::k8s::Container;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{set_path, Frag};
use crate::yaml::Node;

pub struct GrpcGracePeriodShort;

pub static META: RuleMeta = RuleMeta {
    code: "KS008",
    name: "grpc-grace-period-short",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "Pod serving gRPC has a termination grace period under 60 seconds",
    help: "set `terminationGracePeriodSeconds: 60` and call `GracefulStop` on SIGTERM so streams and long-lived connections can drain",
    fix: FixAvailability::Edit,
    docs: rule_docs!(r#"## What it does

Reports a pod (of any workload) with a container that serves gRPC, and a
`terminationGracePeriodSeconds` below 60 (30 when not set). A container serves gRPC when one of
its `ports` is named `grpc` or `grpc-…` (any name starting with `grpc`), or carries
`appProtocol: grpc` or `appProtocol: kubernetes.io/h2c`. Main containers and native sidecars
count. The finding is reported once per pod, at `terminationGracePeriodSeconds` or, when it is
not set, at the pod's `spec` key. The fix sets it to 60.

## Why it matters

gRPC clients keep one HTTP/2 connection open for a long time and multiplex all their calls over
it, often with server-streaming or bidirectional streams that last minutes. A graceful stop of a
Go gRPC server (`GracefulStop`) sends GOAWAY so clients open new connections elsewhere, then
waits for every in-flight RPC and stream to finish. Clients need a moment to react to GOAWAY and
re-resolve, and long streams need time to complete or be re-established. With the default 30 s
budget (minus any preStop sleep) the kubelet often sends SIGKILL first: open streams are cut,
in-flight calls fail with `UNAVAILABLE`, and every rollout shows up as an error spike on the
client side. Sixty seconds is a common budget for gRPC services; pair it with
`keepalive.ServerParameters.MaxConnectionAge`/`MaxConnectionAgeGrace` so connections are
recycled regularly and shutdown has less to drain.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata:
  name: inventory
spec:
  selector:
    matchLabels: {app: inventory}
  template:
    metadata:
      labels: {app: inventory}
    spec:
      containers:
      - name: inventory
        image: ghcr.io/acme/inventory:3.0.0
        ports:
        - name: grpc
          containerPort: 9090
        readinessProbe:
          grpc: {port: 9090}
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata:
  name: inventory
spec:
  selector:
    matchLabels: {app: inventory}
  template:
    metadata:
      labels: {app: inventory}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
      - name: inventory
        image: ghcr.io/acme/inventory:3.0.0
        ports:
        - name: grpc
          containerPort: 9090
        readinessProbe:
          grpc: {port: 9090}
```

## References

- Kubernetes: [Pod lifecycle — termination of pods](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination)
- Kubernetes: [Service — application protocol](https://kubernetes.io/docs/concepts/services-networking/service/#application-protocol)
- Go: [`grpc.Server.GracefulStop`](https://pkg.go.dev/google.golang.org/grpc#Server.GracefulStop), [`keepalive.ServerParameters`](https://pkg.go.dev/google.golang.org/grpc/keepalive#ServerParameters)
- gRPC: [Graceful shutdown guide](https://grpc.io/docs/guides/server-graceful-stop/)
"#),
};

/// The first port of the container that serves gRPC, described for a message.
fn grpc_port(container: &Container<'_>) -> Option<String> {
    container.ports().iter().find_map(|port| {
        let name = port.get("name").and_then(Node::str);
        let app_protocol = port.get("appProtocol").and_then(Node::str);
        let named = name.is_some_and(|n| n.to_ascii_lowercase().starts_with("grpc"));
        let by_protocol = app_protocol.is_some_and(|p| {
            p.eq_ignore_ascii_case("grpc") || p.eq_ignore_ascii_case("kubernetes.io/h2c")
        });
        if !named && !by_protocol {
            return None;
        }
        let number = port
            .get("containerPort")
            .and_then(Node::int)
            .map(|n| n.to_string());
        Some(match (name, number) {
            (Some(name), Some(number)) => format!("port `{name}` ({number})"),
            (Some(name), None) => format!("port `{name}`"),
            (None, Some(number)) => format!("port {number}"),
            (None, None) => "a gRPC port".to_string(),
        })
    })
}

impl Rule for GrpcGracePeriodShort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for (index, pod) in ws.pods.iter().enumerate() {
            let Some((container, port)) = ws
                .containers_of_pod(index)
                .iter()
                .filter(|c| c.is_long_running_kind())
                .find_map(|c| grpc_port(c).map(|p| (c, p)))
            else {
                continue;
            };
            let (grace, anchor, set) = match pod.grace_period() {
                None => (30, pod.spec_key, false),
                Some(entry) if entry.value.is_null() => (30, entry.key.range, false),
                Some(entry) => match entry.value.int() {
                    Some(n) => (n, entry.key.range, true),
                    None => continue,
                },
            };
            if grace >= 60 {
                continue;
            }
            let grace_text = if set {
                format!("terminationGracePeriodSeconds is {grace}")
            } else {
                "terminationGracePeriodSeconds is not set (30 s by default)".to_string()
            };
            let file = ws.objects[pod.object].file;
            let finding = out.report(
                file,
                anchor,
                ws.container_ref(container),
                format!(
                    "{} serves gRPC on {port} and the pod's {grace_text}: long-lived HTTP/2 connections and streams may not drain after GOAWAY before SIGKILL, so clients see UNAVAILABLE errors on every rollout",
                    ws.describe(container)
                ),
            );
            if let Some(edit) = set_path(
                ws.text(file),
                pod.spec,
                &["terminationGracePeriodSeconds"],
                &Frag::scalar("60"),
            ) {
                finding.fix = Some(Fix::safe(
                    "set `terminationGracePeriodSeconds: 60`",
                    vec![edit],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: inventory
  namespace: shop
spec:
  selector:
    matchLabels: {app: inventory}
  template:
    metadata:
      labels: {app: inventory}
    spec:
      containers:
      - name: inventory
        image: ghcr.io/acme/inventory:3.0.0
        ports:
        - name: http
          containerPort: 8080
        - name: grpc-api
          containerPort: 9090
      - name: second
        image: ghcr.io/acme/second:3.0.0
        ports: [{name: grpc, containerPort: 9091}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ledger
spec:
  serviceName: ledger
  selector: {matchLabels: {app: ledger}}
  template:
    metadata: {labels: {app: ledger}}
    spec:
      terminationGracePeriodSeconds: 45 # keep in sync with the drain timeout
      containers:
      - name: ledger
        image: ghcr.io/acme/ledger:1.2.0
        ports:
        - containerPort: 7000
          appProtocol: kubernetes.io/h2c
---
apiVersion: v1
kind: Pod
metadata: {name: flow}
spec: {containers: [{name: flow, image: "ghcr.io/acme/flow:1.0", ports: [{name: grpc, containerPort: 9000}]}]}
"#;

    #[test]
    fn fires_once_per_pod() {
        let found = check_yaml("KS008", TEXT);
        assert_eq!(lines(&found, TEXT), [12, 35, 46]);
        assert_eq!(
            spans(&found, TEXT),
            ["spec", "terminationGracePeriodSeconds", "spec"]
        );
        assert!(found[0].message.contains(
            "container `inventory` of Deployment/shop/inventory serves gRPC on port `grpc-api` (9090)"
        ));
        assert!(found[0].message.contains("not set (30 s by default)"));
        assert!(found[1].message.contains("port 7000"));
        assert!(found[1]
            .message
            .contains("terminationGracePeriodSeconds is 45"));
        assert!(found.iter().all(is_safe));
    }

    #[test]
    fn fix_sets_sixty() {
        let expected = TEXT
            .replace(
                "        ports: [{name: grpc, containerPort: 9091}]\n",
                "        ports: [{name: grpc, containerPort: 9091}]\n      terminationGracePeriodSeconds: 60\n",
            )
            .replace(
                "terminationGracePeriodSeconds: 45 # keep",
                "terminationGracePeriodSeconds: 60 # keep",
            )
            .replace(
                "containerPort: 9000}]}]}",
                "containerPort: 9000}]}], terminationGracePeriodSeconds: 60}",
            );
        assert_eq!(fixed_yaml("KS008", TEXT), expected);
    }

    #[test]
    fn silent_without_grpc_or_with_long_grace() {
        let text = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
      - name: web
        image: ghcr.io/acme/web:1.0
        ports: [{name: grpc, containerPort: 9090}]
---
apiVersion: v1
kind: Pod
metadata: {name: http}
spec:
  initContainers:
  - name: seed
    image: ghcr.io/acme/seed:1.0
    ports: [{name: grpc, containerPort: 9090}]
  containers:
  - name: http
    image: ghcr.io/acme/http:1.0
    ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9102}]
---
apiVersion: v1
kind: Pod
metadata: {name: templated}
spec:
  terminationGracePeriodSeconds: "{{ .Values.grace }}"
  containers:
  - name: t
    image: ghcr.io/acme/t:1.0
    ports: [{name: grpc, containerPort: 9090}]
"#;
        assert!(check_yaml("KS008", text).is_empty());
    }

    #[test]
    fn native_sidecar_serving_grpc_counts() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: bridge\n    image: ghcr.io/acme/bridge:1.0\n    restartPolicy: Always\n    ports:\n    - {containerPort: 50051, appProtocol: grpc}\n  containers:\n  - name: app\n    image: ghcr.io/acme/app:1.0\n";
        let found = check_yaml("KS008", text);
        assert_eq!(lines(&found, text), [5]);
        assert_eq!(found[0].object.container.as_deref(), Some("bridge"));
        let expected = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: bridge\n    image: ghcr.io/acme/bridge:1.0\n    restartPolicy: Always\n    ports:\n    - {containerPort: 50051, appProtocol: grpc}\n  containers:\n  - name: app\n    image: ghcr.io/acme/app:1.0\n  terminationGracePeriodSeconds: 60\n";
        assert_eq!(fixed_yaml("KS008", text), expected);
    }
}

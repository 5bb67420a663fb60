//! KS306 service-target-port-unknown.

use crate::finding::Severity;
use crate::k8s::workload::containers_of;
use crate::k8s::{ContainerKind, Pod};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

use super::ks305_service_selector_no_match::selector;

pub struct ServiceTargetPortUnknown;

pub static META: RuleMeta = RuleMeta {
    code: "KS306",
    name: "service-target-port-unknown",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "Service `targetPort` is not a port of the pods it selects",
    help: "point `targetPort` at a `containerPort` number or a port `name` the selected containers declare",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

For each Service with a selector that matches at least one workload of the input (see KS305),
checks every port's `targetPort` against the ports the selected pods declare:

- a named `targetPort` must be the `name` of a port of one of the selected pods' containers;
- a numeric `targetPort` must be one of their `containerPort`s. A pod whose containers declare no
  ports at all is given the benefit of the doubt (declaring ports is optional, and the traffic
  reaches whatever listens on that number), so numbers are only checked against pods that do
  declare ports.

Without `targetPort` Kubernetes uses the Service `port`; that number is then checked and the
finding points at `port`.

## Why it matters

A named `targetPort` that no container declares gives the Service no usable endpoint for those
pods: the EndpointSlice lists no port, and every request fails although the pods are ready. A
numeric `targetPort` that differs from the port the Go server listens on (`:8080` in code,
`targetPort: 80` in the Service) sends traffic to a closed port: connections are refused, and an
Ingress in front answers 502/503. Both typically happen when a port is renamed or renumbered in
the Deployment and not in the Service.

## Example

```yaml bad
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports:
  - {name: http, port: 80, targetPort: web}
---
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
        ports:
        - {name: http, containerPort: 8080}
```

```yaml good
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports:
  - {name: http, port: 80, targetPort: http}
---
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
        ports:
        - {name: http, containerPort: 8080}
```

## References

- Kubernetes: [Services — port definitions](https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports)
- Kubernetes: [Container ports (`containerPort` is informational)](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports)
- Kubernetes: [Debug Services](https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/)
- Peers: kube-score `service-targets-pod`, kube-linter `dangling-service`
"#),
};

/// What the selected pods declare.
#[derive(Default)]
struct Declared<'a> {
    names: Vec<&'a str>,
    numbers: Vec<i64>,
    /// Some selected pod declares no port at all: any number may be served.
    open: bool,
}

fn declared<'a>(pods: &[&Pod<'a>]) -> Declared<'a> {
    let mut out = Declared::default();
    for pod in pods {
        let mut any = false;
        for (container, kind) in containers_of(pod.spec) {
            if kind == ContainerKind::Init {
                continue;
            }
            for port in container.get("ports").map(Node::items).unwrap_or_default() {
                any = true;
                if let Some(name) = port.get("name").and_then(Node::str) {
                    out.names.push(name);
                }
                if let Some(number) = port.get("containerPort").and_then(Node::int) {
                    out.numbers.push(number);
                }
            }
        }
        out.open |= !any;
    }
    out
}

impl Rule for ServiceTargetPortUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for service in &ws.objects {
            let Some((_, pairs)) = selector(service) else {
                continue;
            };
            let pods: Vec<&Pod<'_>> = ws.selected_pods(service.namespace_or_default(), &pairs);
            if pods.is_empty() {
                continue;
            }
            let declared = declared(&pods);
            let workloads: Vec<String> = pods
                .iter()
                .map(|p| ws.objects[p.object].display_name())
                .collect();
            let workloads = workloads.join(", ");
            let ports = service
                .node
                .path(&["spec", "ports"])
                .map(Node::items)
                .unwrap_or_default();
            for port in ports {
                let (node, field) = match port.get("targetPort") {
                    Some(target) => (target, "targetPort"),
                    None => match port.get("port") {
                        Some(port) => (port, "port"),
                        None => continue,
                    },
                };
                let message = if let Some(number) = node.int() {
                    if declared.open || declared.numbers.contains(&number) {
                        continue;
                    }
                    let known: Vec<String> =
                        declared.numbers.iter().map(|n| n.to_string()).collect();
                    format!(
                        "{} sends {field} {number} to {workloads}, whose containers declare containerPort {}: connections to the Service are refused",
                        service.display_name(),
                        known.join(", ")
                    )
                } else if let Some(name) = node.str() {
                    if declared.names.contains(&name) {
                        continue;
                    }
                    if name.bytes().all(|b| b.is_ascii_digit()) {
                        format!(
                            "{} has {field} `\"{name}\"` quoted: Kubernetes reads it as a port name, which must contain a letter, and rejects the Service",
                            service.display_name()
                        )
                    } else {
                        format!(
                            "{} targets port name `{name}` but no container of {workloads} declares a port with that name: the Service has no endpoint port and every request fails",
                            service.display_name()
                        )
                    }
                } else {
                    continue;
                };
                out.report(service.file, node.range, service.object_ref(None), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const TEXT: &str = "\
# Service, Deployment and ConfigMap of one app
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app: api
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: grpc
    port: 9090
    targetPort: rpc
  - name: metrics
    port: 9100
  - name: admin
    port: 81
    targetPort: 8081
  - name: debug
    port: 82
    targetPort: 6060
  - name: quoted
    port: 83
    targetPort: \"8080\"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api-config, namespace: shop}
data: {LOG_LEVEL: info}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: ghcr.io/acme/api:1.2
        ports:
        - {name: http, containerPort: 8080}
        - {name: grpc, containerPort: 9090}
        - containerPort: 6060
      - name: exporter
        image: ghcr.io/acme/exporter:1
        ports:
        - {name: metrics, containerPort: 9100}
";

    #[test]
    fn fires_on_unknown_names_and_numbers() {
        let found = check_yaml("KS306", TEXT);
        assert_eq!(lines(&found, TEXT), [16, 21, 27]);
        assert_eq!(spans(&found, TEXT), ["rpc", "8081", "\"8080\""]);
        assert!(found[0].message.contains("port name `rpc`"));
        assert!(found[0].message.contains("Deployment/shop/api"));
        assert!(found[1].message.contains("8080, 9090, 6060, 9100"));
        assert!(found[2].message.contains("quoted"));
    }

    #[test]
    fn absent_target_port_checks_port() {
        let text = "\
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}, {port: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports: [{containerPort: 8080}]
";
        let found = check_yaml("KS306", text);
        assert_eq!(lines(&found, text), [4]);
        assert_eq!(spans(&found, text), ["80"]);
    }

    #[test]
    fn numbers_are_not_checked_against_pods_without_ports() {
        let text = "\
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}, {port: 81, targetPort: http}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1}]
";
        let found = check_yaml("KS306", text);
        assert_eq!(spans(&found, text), ["http"]);
    }

    #[test]
    fn silent_without_selected_workloads() {
        let text = "\
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: nope}]}
---
apiVersion: v1
kind: Pod
metadata: {name: other, labels: {app: other}}
spec: {containers: [{name: o, image: o:1, ports: [{containerPort: 1}]}]}
";
        assert!(check_yaml("KS306", text).is_empty());
    }
}

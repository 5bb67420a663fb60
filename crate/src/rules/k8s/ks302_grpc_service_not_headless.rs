//! KS302 grpc-service-not-headless.

use crate::finding::Severity;
use crate::k8s::Object;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct GrpcServiceNotHeadless;

pub static META: RuleMeta = RuleMeta {
    code: "KS302",
    name: "grpc-service-not-headless",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "A gRPC Service has a cluster IP, so each client sticks to one backend pod",
    help: "use a headless Service (`clusterIP: None`) with the client's `round_robin` policy, or a service mesh",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a `ClusterIP` Service that exposes a gRPC port (a port whose `name` starts with `grpc`,
or whose `appProtocol` is `grpc`, `h2c` or `kubernetes.io/h2c`) and is not headless
(`clusterIP` is not `None`).

## Why it matters

kube-proxy balances *connections*, not requests. gRPC multiplexes every call over one long-lived
HTTP/2 connection, so a client that dials the Service's virtual IP picks one backend pod and
sends it all its traffic for as long as the connection lives. After a scale-up the new pods get
nothing, one pod runs hot while the others idle, and p99 latency follows the busiest pod.

With a headless Service the cluster DNS returns every ready pod's IP; grpc-go's `dns:///`
resolver sees them all, and `{"loadBalancingPolicy":"round_robin"}` spreads calls across them
(combine it with `MaxConnectionAge` on the server so clients re-resolve when pods come and go).
A service mesh (Istio, Linkerd) balances per request as well; if one handles this traffic, the
finding can be ignored.

## Example

```yaml bad
apiVersion: v1
kind: Service
metadata: {name: orders}
spec:
  selector: {app: orders}
  ports:
  - name: grpc
    port: 9090
    targetPort: grpc
```

```yaml good
apiVersion: v1
kind: Service
metadata: {name: orders}
spec:
  clusterIP: None
  selector: {app: orders}
  ports:
  - name: grpc
    port: 9090
    targetPort: grpc
```

The client then dials `dns:///orders.shop.svc.cluster.local:9090` with
`grpc.WithDefaultServiceConfig(`{"loadBalancingPolicy":"round_robin"}`)`.

## References

- Kubernetes: [Headless Services](https://kubernetes.io/docs/concepts/services-networking/service/#headless-services)
- Kubernetes: [Application protocol](https://kubernetes.io/docs/concepts/services-networking/service/#application-protocol)
- gRPC: [Load balancing in gRPC](https://github.com/grpc/grpc/blob/master/doc/load-balancing.md)
- gRPC: [Service config](https://github.com/grpc/grpc/blob/master/doc/service_config.md)
- Kubernetes blog: [gRPC load balancing on Kubernetes without tears](https://kubernetes.io/blog/2018/11/07/grpc-load-balancing-on-kubernetes-without-tears/)
"#),
};

/// A core `v1` Service (not, say, a Knative `serving.knative.dev/v1` Service).
pub(super) fn is_core_service(object: &Object<'_>) -> bool {
    object.kind == "Service" && matches!(object.api_version, None | Some("v1"))
}

/// The Service's `type` (`ClusterIP` when unset).
pub(super) fn service_type<'a>(object: &Object<'a>) -> &'a str {
    object
        .node
        .path(&["spec", "type"])
        .and_then(Node::str)
        .unwrap_or("ClusterIP")
}

/// Does a Service port carry gRPC? Its name starts with `grpc` or its `appProtocol` says so.
fn is_grpc_port(port: &Node) -> bool {
    let name = port.get("name").and_then(Node::str).unwrap_or_default();
    let protocol = port
        .get("appProtocol")
        .and_then(Node::str)
        .unwrap_or_default();
    name.to_ascii_lowercase().starts_with("grpc")
        || matches!(
            protocol.to_ascii_lowercase().as_str(),
            "grpc" | "h2c" | "kubernetes.io/h2c"
        )
}

impl Rule for GrpcServiceNotHeadless {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for object in ws.objects.iter().filter(|o| is_core_service(o)) {
            let Some(spec) = object.node.entry("spec") else {
                continue;
            };
            // Only ClusterIP Services can be headless; NodePort/LoadBalancer/ExternalName ones
            // are reached from outside or are DNS aliases.
            if service_type(object) != "ClusterIP" {
                continue;
            }
            if spec.value.get("clusterIP").and_then(Node::str) == Some("None") {
                continue;
            }
            let ports = spec.value.get("ports").map(Node::items).unwrap_or_default();
            let Some(port) = ports.iter().find(|p| is_grpc_port(p)) else {
                continue;
            };
            let label = port
                .get("name")
                .and_then(Node::str)
                .or_else(|| port.get("port").and_then(Node::str))
                .unwrap_or("grpc");
            out.report(
                object.file,
                spec.key.range,
                object.object_ref(None),
                format!(
                    "{} exposes gRPC port `{label}` behind a cluster IP: kube-proxy balances connections, so each client's single HTTP/2 connection pins all its calls to one pod and new replicas get no traffic",
                    object.display_name()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const SERVICES: &str = "\
apiVersion: v1
kind: Service
metadata: {name: a}
spec:
  selector: {app: a}
  ports:
  - {name: http, port: 80}
  - {name: grpc-api, port: 9090}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: shop}
spec: {selector: {app: b}, clusterIP: 10.0.0.12, ports: [{port: 50051, appProtocol: kubernetes.io/h2c}]}
---
apiVersion: v1
kind: Service
metadata: {name: c}
spec:
  clusterIP: None
  ports:
  - {name: grpc, port: 9090}
---
apiVersion: v1
kind: Service
metadata: {name: d}
spec:
  type: LoadBalancer
  ports:
  - {name: grpc, port: 9090}
---
apiVersion: v1
kind: Service
metadata: {name: e}
spec:
  ports:
  - {name: http, port: 80, appProtocol: http}
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: f}
spec:
  ports:
  - {name: grpc, port: 9090}
";

    #[test]
    fn fires_on_grpc_cluster_ip_services() {
        let found = check_yaml("KS302", SERVICES);
        assert_eq!(lines(&found, SERVICES), [4, 13]);
        assert_eq!(spans(&found, SERVICES), ["spec", "spec"]);
        assert!(found[0].message.contains("Service/a"));
        assert!(found[0].message.contains("`grpc-api`"));
        assert!(found[1].message.contains("Service/shop/b"));
        assert_eq!(found[1].object.document, 1);
    }

    #[test]
    fn list_items_are_checked() {
        let text = "\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: a}
  spec:
    ports:
    - {name: GRPC, port: 9090, appProtocol: grpc}
";
        let found = check_yaml("KS302", text);
        assert_eq!(lines(&found, text), [7]);
    }
}

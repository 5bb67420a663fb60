//! KS303 nodeport-service.

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

use super::ks302_grpc_service_not_headless::is_core_service;

pub struct NodeportService;

pub static META: RuleMeta = RuleMeta {
    code: "KS303",
    name: "nodeport-service",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "A Service opens a port on every node, or asks for a node port outside 30000-32767",
    help: "expose HTTP through an Ingress or Gateway, or a LoadBalancer Service without a fixed nodePort",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a Service of `type: NodePort` (info, at the `type` value) and any `nodePort` outside the
default node port range 30000–32767 (error, at the `nodePort` value; this also applies to
`LoadBalancer` Services that pin their node ports).

## Why it matters

A NodePort Service makes every node of the cluster listen on the port and forward to the pods,
bypassing whatever an Ingress or Gateway would enforce (TLS, authentication, rate limits). Clients
that dial one node's IP lose their connections when that node is drained or replaced, and
hard-coded node ports collide between teams: the second Service asking for the same port is
rejected.

The API server only hands out node ports from its `--service-node-port-range` (30000–32767
unless the cluster changed it). A Service that asks for `nodePort: 8080` is refused with
`provided port is not in the valid range`, so the `kubectl apply` or the Helm release fails.

## Example

```yaml bad
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  type: NodePort
  selector: {app: api}
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 8080
```

```yaml good
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports:
  - name: http
    port: 80
    targetPort: http
```

Keep the Service `ClusterIP` and route external traffic through an Ingress or a Gateway, or use a
`LoadBalancer` Service and let Kubernetes pick the node ports. If the cluster runs with a
non-default `--service-node-port-range`, the range error can be ignored.

## References

- Kubernetes: [Service type NodePort](https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport)
- Kubernetes: [kube-apiserver `--service-node-port-range`](https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/)
- Kubernetes: [Ingress](https://kubernetes.io/docs/concepts/services-networking/ingress/)
- Peers: kube-score `service-type`, kube-linter `exposed-services`
"#),
};

/// The default `--service-node-port-range`.
const NODE_PORTS: std::ops::RangeInclusive<i64> = 30000..=32767;

impl Rule for NodeportService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for object in ws.objects.iter().filter(|o| is_core_service(o)) {
            let Some(spec) = object.node.get("spec") else {
                continue;
            };
            if let Some(kind) = spec.get("type").filter(|t| t.str() == Some("NodePort")) {
                out.report(
                    object.file,
                    kind.range,
                    object.object_ref(None),
                    format!(
                        "{} is of type NodePort: every node of the cluster listens on its port and forwards to the pods, outside any Ingress or Gateway",
                        object.display_name()
                    ),
                );
            }
            for port in spec.get("ports").map(Node::items).unwrap_or_default() {
                let Some(node) = port.get("nodePort") else {
                    continue;
                };
                // 0 (or unset) lets Kubernetes allocate one.
                let Some(number) = node.int().filter(|&n| n != 0) else {
                    continue;
                };
                if NODE_PORTS.contains(&number) {
                    continue;
                }
                let finding = out.report(
                    object.file,
                    node.range,
                    object.object_ref(None),
                    format!(
                        "{} asks for nodePort {number}, outside the default node port range 30000-32767: the API server rejects the Service",
                        object.display_name()
                    ),
                );
                finding.severity = Severity::Error;
                finding.help = "use a nodePort between 30000 and 32767, or leave it out and let Kubernetes allocate one".into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::rules::testing::*;

    const TEXT: &str = "\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, nodePort: 30080}
  - {name: admin, port: 81, nodePort: 8081}
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec: {type: LoadBalancer, ports: [{port: 443, nodePort: 32768}, {port: 80, nodePort: 0}]}
---
apiVersion: v1
kind: Service
metadata: {name: plain}
spec:
  type: ClusterIP
  ports:
  - port: 80
";

    #[test]
    fn fires_on_nodeport_type_and_out_of_range_ports() {
        let found = check_yaml("KS303", TEXT);
        assert_eq!(lines(&found, TEXT), [5, 9, 14]);
        assert_eq!(spans(&found, TEXT), ["NodePort", "8081", "32768"]);
        assert_eq!(
            found.iter().map(|f| f.severity).collect::<Vec<_>>(),
            [Severity::Info, Severity::Error, Severity::Error]
        );
        assert!(found[0].message.contains("Service/shop/web"));
        assert!(found[2].message.contains("nodePort 32768"));
    }

    #[test]
    fn silent_on_cluster_ip_and_quoted_type() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: \"ClusterIP\"\n  ports: [{port: 80, nodePort: 30000}, {port: 81, nodePort: 32767}]\n";
        assert!(check_yaml("KS303", text).is_empty());
    }
}

//! KS003 probes-identical.

use crate::finding::Severity;
use crate::k8s::Container;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

use super::ks009_probe_port_unknown::{port_ref, resolve_port, PortRef};

pub struct ProbesIdentical;

pub static META: RuleMeta = RuleMeta {
    code: "KS003",
    name: "probes-identical",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Liveness and readiness probes use the same handler",
    help: "serve `/livez` (the process only) for liveness and `/readyz` (can it serve now, dependencies included) for readiness",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a container whose `livenessProbe` and `readinessProbe` run the same check, whatever
their timings: the same `httpGet` path and port (and host, scheme and headers when set), the
same `tcpSocket` port, the same `exec` command, or the same `grpc` port and service. A named
port and the number it stands for count as the same port, `8080` and `"8080"` too, and a missing
`path` is `/`.

## Why it matters

The two probes answer different questions and trigger very different actions. A failed
readiness probe only takes the pod out of the Service until it recovers; a failed liveness
probe kills and restarts the container. With one handler for both, every situation where the pod
should merely stop taking traffic also gets it restarted:

- if the endpoint checks dependencies (database, cache, a downstream service), a short outage
  of that dependency fails liveness in every replica at the same moment, and the whole
  Deployment restarts at once: cold starts, lost in-memory state and a thundering herd of
  reconnects right when the dependency comes back;
- if the endpoint is slow under load (GC pauses, a saturated CPU limit), the overloaded pods are
  restarted instead of being relieved, and the remaining ones get even more load;
- a readiness endpoint that turns unhealthy on SIGTERM to drain traffic gets the container
  killed during its graceful shutdown.

Use a liveness handler that only proves the process is alive and not deadlocked, and a
readiness handler that says whether this pod can serve requests right now.

The Kubernetes task page mentions sharing one cheap endpoint with a higher liveness
`failureThreshold`. That only delays the restart: when the shared endpoint fails for longer than
the liveness budget (a dependency outage, sustained overload), every replica is still restarted.
If you deliberately rely on it, and the endpoint checks nothing but the process itself, ignore the
finding for that container.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments
spec:
  selector:
    matchLabels: {app: payments}
  template:
    metadata:
      labels: {app: payments}
    spec:
      containers:
      - name: payments
        image: ghcr.io/acme/payments:3.2.0
        ports:
        - name: http
          containerPort: 8080
        livenessProbe:
          httpGet: {path: /healthz, port: http}
          failureThreshold: 6
        readinessProbe:
          httpGet: {path: /healthz, port: 8080}
          periodSeconds: 5
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments
spec:
  selector:
    matchLabels: {app: payments}
  template:
    metadata:
      labels: {app: payments}
    spec:
      containers:
      - name: payments
        image: ghcr.io/acme/payments:3.2.0
        ports:
        - name: http
          containerPort: 8080
        livenessProbe:
          httpGet: {path: /livez, port: http}
          failureThreshold: 6
        readinessProbe:
          httpGet: {path: /readyz, port: http}
          periodSeconds: 5
```

## References

- Kubernetes: [Liveness, Readiness, and Startup Probes](https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/)
- Kubernetes: [Kubernetes API health endpoints](https://kubernetes.io/docs/reference/using-api/health-checks/) (the `/livez` and `/readyz` split the API server itself uses)
- Go: [`google.golang.org/grpc/health`](https://pkg.go.dev/google.golang.org/grpc/health) (per-service serving status for gRPC probes)
- Peers: kube-score `pod-probes-identical`
"#),
};

/// What a probe runs, normalised for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Handler {
    Http {
        scheme: String,
        host: String,
        path: String,
        port: PortRef,
        headers: Vec<(String, String)>,
    },
    Tcp {
        host: String,
        port: PortRef,
    },
    Exec(Vec<String>),
    Grpc {
        port: PortRef,
        service: String,
    },
}

impl Handler {
    fn describe(&self) -> String {
        match self {
            Handler::Http { path, port, .. } => format!("httpGet `{path}` on port {port}"),
            Handler::Tcp { port, .. } => format!("tcpSocket on port {port}"),
            Handler::Exec(command) => format!("exec `{}`", command.join(" ")),
            Handler::Grpc { port, service } if service.is_empty() => {
                format!("grpc on port {port}")
            }
            Handler::Grpc { port, service } => {
                format!("grpc service `{service}` on port {port}")
            }
        }
    }
}

fn text_of(node: &Node, key: &str) -> String {
    node.get(key)
        .and_then(Node::str)
        .unwrap_or_default()
        .to_string()
}

fn port_of(container: &Container<'_>, handler: &Node) -> Option<PortRef> {
    let port = port_ref(handler.get("port")?)?;
    Some(resolve_port(container, port))
}

/// The handler of a probe, `None` when it has none we can read.
fn handler(container: &Container<'_>, probe: &Node) -> Option<Handler> {
    if let Some(http) = probe.get("httpGet") {
        let mut path = text_of(http, "path");
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let mut scheme = text_of(http, "scheme").to_ascii_uppercase();
        if scheme.is_empty() {
            scheme = "HTTP".to_string();
        }
        let mut headers: Vec<(String, String)> = http
            .get("httpHeaders")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|h| (text_of(h, "name").to_ascii_lowercase(), text_of(h, "value")))
            .collect();
        headers.sort();
        return Some(Handler::Http {
            scheme,
            host: text_of(http, "host").to_ascii_lowercase(),
            path,
            port: port_of(container, http)?,
            headers,
        });
    }
    if let Some(tcp) = probe.get("tcpSocket") {
        return Some(Handler::Tcp {
            host: text_of(tcp, "host").to_ascii_lowercase(),
            port: port_of(container, tcp)?,
        });
    }
    if let Some(exec) = probe.get("exec") {
        let items = exec.get("command")?.items();
        let command: Option<Vec<String>> = items
            .iter()
            .map(|item| item.as_scalar().map(|s| s.text.to_string()))
            .collect();
        let command = command?;
        return (!command.is_empty()).then_some(Handler::Exec(command));
    }
    if let Some(grpc) = probe.get("grpc") {
        return Some(Handler::Grpc {
            port: port_of(container, grpc)?,
            service: text_of(grpc, "service"),
        });
    }
    None
}

impl Rule for ProbesIdentical {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if !container.is_long_running_kind() {
                continue;
            }
            let (Some(liveness), Some(readiness)) = (
                container.probe("livenessProbe"),
                container.node.get("readinessProbe"),
            ) else {
                continue;
            };
            let (Some(live), Some(ready)) = (
                handler(container, &liveness.value),
                handler(container, readiness),
            ) else {
                continue;
            };
            if live != ready {
                continue;
            }
            out.report(
                ws.file_of(container),
                liveness.key.range,
                ws.container_ref(container),
                format!(
                    "{} uses the same {} for liveness and readiness: whenever the pod should only leave the Service (a slow dependency, overload, draining on shutdown) the kubelet restarts it too, in every replica at once",
                    ws.describe(container),
                    live.describe()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    fn pod(probes: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: ghcr.io/acme/app:1.0\n    ports:\n    - name: http\n      containerPort: 8080\n{probes}"
        )
    }

    fn fires(probes: &str) -> bool {
        !check_yaml("KS003", &pod(probes)).is_empty()
    }

    #[test]
    fn fires_on_same_http_handler_with_other_timings() {
        let text = pod("    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: http\n      failureThreshold: 6\n    readinessProbe:\n      httpGet: {path: /healthz, port: 8080}\n      periodSeconds: 5\n");
        let found = check_yaml("KS003", &text);
        assert_eq!(lines(&found, &text), [12]);
        assert_eq!(spans(&found, &text), ["livenessProbe"]);
        assert!(found[0]
            .message
            .contains("same httpGet `/healthz` on port 8080"));
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn equivalent_handlers() {
        // quoted number, default path, scheme case
        assert!(fires("    livenessProbe: {httpGet: {port: 8080}}\n    readinessProbe: {httpGet: {path: /, port: \"8080\", scheme: http}}\n"));
        assert!(fires("    livenessProbe: {tcpSocket: {port: http}}\n    readinessProbe:\n      tcpSocket:\n        port: 8080\n"));
        assert!(fires("    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n    readinessProbe:\n      exec:\n        command:\n        - cat\n        - /tmp/healthy\n"));
        assert!(fires("    livenessProbe: {grpc: {port: 9090}}\n    readinessProbe: {grpc: {port: 9090, service: \"\"}}\n"));
        // an alias of the same probe
        assert!(fires("    livenessProbe: &probe\n      httpGet: {path: /healthz, port: http}\n    readinessProbe: *probe\n"));
    }

    #[test]
    fn different_handlers_stay_silent() {
        assert!(!fires("    livenessProbe: {httpGet: {path: /livez, port: http}}\n    readinessProbe: {httpGet: {path: /readyz, port: http}}\n"));
        assert!(!fires("    livenessProbe: {tcpSocket: {port: 8080}}\n    readinessProbe: {httpGet: {path: /, port: 8080}}\n"));
        assert!(!fires("    livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n    readinessProbe: {httpGet: {path: /healthz, port: 8081}}\n"));
        assert!(!fires("    livenessProbe: {httpGet: {path: /healthz, port: 8080, scheme: HTTPS}}\n    readinessProbe: {httpGet: {path: /healthz, port: 8080}}\n"));
        assert!(!fires("    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n        httpHeaders: [{name: X-Probe, value: live}]\n    readinessProbe: {httpGet: {path: /healthz, port: 8080}}\n"));
        assert!(!fires("    livenessProbe: {exec: {command: [cat, /tmp/live]}}\n    readinessProbe: {exec: {command: [cat, /tmp/ready]}}\n"));
        assert!(!fires("    livenessProbe: {grpc: {port: 9090}}\n    readinessProbe: {grpc: {port: 9090, service: readiness}}\n"));
        // unknown name is not resolved to 8080
        assert!(!fires("    livenessProbe: {tcpSocket: {port: web}}\n    readinessProbe: {tcpSocket: {port: 8080}}\n"));
        // one of them missing or empty
        assert!(!fires(
            "    livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n"
        ));
        assert!(!fires(
            "    livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n    readinessProbe:\n"
        ));
        assert!(!fires(
            "    livenessProbe: {exec: {command: []}}\n    readinessProbe: {exec: {command: []}}\n"
        ));
    }
}

//! KS009 probe-port-unknown.

use crate::finding::Severity;
use crate::k8s::Container;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct ProbePortUnknown;

pub static META: RuleMeta = RuleMeta {
    code: "KS009",
    name: "probe-port-unknown",
    severity: Severity::Error,
    enabled_by_default: true,
    summary:
        "Probe names a port the container does not declare, or checks an undeclared port number",
    help: "use a port name from the container's `ports`, or its `containerPort` number",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Looks at the `port` of every `httpGet`, `tcpSocket` and `grpc` handler of a container's
`livenessProbe`, `readinessProbe` and `startupProbe`, and of its `postStart`/`preStop` hooks:

- a port given as a string (a name) that no entry of the container's own `ports` declares is an
  **error**; a quoted number such as `"8080"` is a string too, and so is any string in a `grpc`
  handler, whose port can only be a number;
- a port number that is not among the container's `containerPort`s is **info**, reported only
  when the container declares ports at all and the handler does not set another `host`.

Main containers and native sidecars are checked (plain init containers cannot have probes).

## Why it matters

The kubelet resolves a named probe port against the `ports` of the probed container only, at
every probe run. When the name is missing (a typo, a port renamed from `http` to `web`, a name
declared on a sibling container), resolution fails and the probe counts as failed: a liveness
or startup probe then restarts the container forever (CrashLoopBackOff with a perfectly healthy
process), a readiness probe keeps the pod out of every Service, and a lifecycle hook fails (a
failed `postStart` kills the container, a failed `preStop` skips the drain it was meant to do).
A quoted number is worse: Kubernetes reads `"8080"` as a port *name*, names must contain a
letter, and the API server rejects the whole object (`must contain at least one letter`), which
typically surfaces as a failed Helm upgrade.

A numeric port does not have to be declared for the probe to work, so that case is only info:
it is usually right (a separate health listener), but it is also what a probe left behind after
the server moved to another port looks like, which ends in the same restart loop.

## Example

```yaml bad
apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
spec:
  selector:
    matchLabels: {app: search}
  template:
    metadata:
      labels: {app: search}
    spec:
      containers:
      - name: search
        image: ghcr.io/acme/search:5.0.3
        ports:
        - name: web
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /readyz
            port: http
        livenessProbe:
          httpGet:
            path: /livez
            port: "8080"
```

```yaml good
apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
spec:
  selector:
    matchLabels: {app: search}
  template:
    metadata:
      labels: {app: search}
    spec:
      containers:
      - name: search
        image: ghcr.io/acme/search:5.0.3
        ports:
        - name: web
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /readyz
            port: web
        livenessProbe:
          httpGet:
            path: /livez
            port: 8080
```

## References

- Kubernetes: [Configure Liveness, Readiness and Startup Probes — named ports](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port)
- Kubernetes API: [Probe / HTTPGetAction — `port`](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe)
- Kubernetes: [Container lifecycle hooks](https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/)
- Peers: kube-linter `liveness-port`, `readiness-port`, `startup-port`
"#
    ),
};

/// A port as a probe or hook gives it (an `IntOrString`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PortRef {
    Number(i64),
    Name(String),
}

impl std::fmt::Display for PortRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(name) => write!(f, "`{name}`"),
        }
    }
}

/// Reads a `port` value: an integer, or a name (a quoted number counts as that number, which is
/// how people mean it, even though the API server would reject it).
pub(crate) fn port_ref(node: &Node) -> Option<PortRef> {
    if let Some(n) = node.int() {
        return Some(PortRef::Number(n));
    }
    let text = node.str()?;
    if is_digits(text) {
        return text.parse().ok().map(PortRef::Number);
    }
    Some(PortRef::Name(text.to_string()))
}

/// Resolves a port name to the number the container declares for it, as the kubelet does (the
/// first `ports` entry with that name); numbers and unknown names come back unchanged.
pub(crate) fn resolve_port(container: &Container<'_>, port: PortRef) -> PortRef {
    if let PortRef::Name(name) = &port {
        let declared = container
            .ports()
            .iter()
            .find(|p| p.get("name").and_then(Node::str) == Some(name.as_str()))
            .and_then(|p| p.get("containerPort"))
            .and_then(Node::int);
        if let Some(n) = declared {
            return PortRef::Number(n);
        }
    }
    port
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// What happens when a handler of this kind cannot resolve its port.
fn consequence(owner: &str) -> &'static str {
    match owner {
        "livenessProbe" => {
            "the probe fails on every run and the kubelet restarts a healthy container in a loop"
        }
        "readinessProbe" => "the pod never becomes ready and never receives Service traffic",
        "startupProbe" => {
            "the startup probe never succeeds and the kubelet keeps killing the container"
        }
        "postStart" => "the hook fails and the kubelet kills the container",
        _ => "the hook fails and the shutdown step it was meant to perform is skipped",
    }
}

impl Rule for ProbePortUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if !container.is_long_running_kind() {
                continue;
            }
            let mut handlers: Vec<(&str, &str, &Node)> = Vec::new();
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                let Some(node) = container.node.get(probe) else {
                    continue;
                };
                for kind in ["httpGet", "tcpSocket", "grpc"] {
                    if let Some(handler) = node.get(kind) {
                        handlers.push((probe, kind, handler));
                    }
                }
            }
            for hook in ["postStart", "preStop"] {
                let Some(node) = container.node.path(&["lifecycle", hook]) else {
                    continue;
                };
                for kind in ["httpGet", "tcpSocket"] {
                    if let Some(handler) = node.get(kind) {
                        handlers.push((hook, kind, handler));
                    }
                }
            }
            for (owner, kind, handler) in handlers {
                check_port(ws, container, owner, kind, handler, out);
            }
        }
    }
}

fn check_port(
    ws: &Workspace<'_>,
    container: &Container<'_>,
    owner: &str,
    kind: &str,
    handler: &Node,
    out: &mut Reporter,
) {
    let Some(port) = handler.get("port") else {
        return;
    };
    if port.as_scalar().is_none() || port.is_null() {
        return;
    }
    let what = match owner {
        "postStart" | "preStop" => format!("{owner} hook"),
        _ => owner.to_string(),
    };
    let ports = container.ports();
    let names: Vec<&str> = ports
        .iter()
        .filter_map(|p| p.get("name").and_then(Node::str))
        .collect();
    let numbers: Vec<i64> = ports
        .iter()
        .filter_map(|p| p.get("containerPort").and_then(Node::int))
        .collect();
    let file = ws.file_of(container);
    let subject = format!("the {what} of {}", ws.describe(container));
    if let Some(number) = port.int() {
        let other_host = handler
            .get("host")
            .and_then(Node::str)
            .is_some_and(|h| !h.trim().is_empty());
        if numbers.is_empty() || numbers.contains(&number) || other_host {
            return;
        }
        let declared: Vec<String> = numbers.iter().map(i64::to_string).collect();
        let finding = out.report(
            file,
            port.range,
            ws.container_ref(container),
            format!(
                "{subject} checks port {number}, which is not among its declared containerPorts ({}): if the server does not listen there, {}",
                declared.join(", "),
                consequence(owner)
            ),
        );
        finding.severity = Severity::Info;
        finding.help =
            "make sure the server listens on this port, or declare it in `ports` with a name and probe the name"
                .into();
        return;
    }
    let Some(text) = port.str() else {
        return;
    };
    let message = if kind == "grpc" {
        format!(
            "{subject} gives the gRPC port as the string `{text}`: a grpc handler takes only a port number, so the API server rejects the object"
        )
    } else if is_digits(text) {
        format!(
            "{subject} gives port `\"{text}\"` as a quoted string: Kubernetes reads it as a port name, names must contain a letter, and the API server rejects the object"
        )
    } else if names.contains(&text) {
        return;
    } else {
        let known = if names.is_empty() {
            "it declares no named ports".to_string()
        } else {
            format!(
                "it declares {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!(
            "{subject} uses port name `{text}`, which the container does not declare ({known}): {}",
            consequence(owner)
        )
    };
    let finding = out.report(file, port.range, ws.container_ref(container), message);
    if is_digits(text) {
        finding.help = format!("write the port as a number: `port: {text}`").into();
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::rules::testing::*;

    const TEXT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
spec:
  selector: {matchLabels: {app: search}}
  template:
    metadata: {labels: {app: search}}
    spec:
      containers:
      - name: search
        image: ghcr.io/acme/search:5.0.3
        ports:
        - name: web
          containerPort: 8080
        - name: admin
          containerPort: 9000
        readinessProbe:
          httpGet:
            path: /readyz
            port: http
        livenessProbe:
          httpGet: {path: /livez, port: "8080"}
        startupProbe:
          tcpSocket:
            port: web
        lifecycle:
          preStop:
            httpGet: {path: /drain, port: 'admin'}
      - name: grpc
        image: ghcr.io/acme/ledger:1.0
        ports:
        - containerPort: 9090
        livenessProbe:
          grpc: {port: grpc}
        readinessProbe:
          grpc: {port: 9091}
        startupProbe:
          httpGet: {path: /, port: 9090}
      - name: bare
        image: ghcr.io/acme/bare:1.0
        livenessProbe: {httpGet: {path: /livez, port: 8086}}
        readinessProbe:
          httpGet: {host: 10.0.0.1, path: /, port: 7777}
"#;

    #[test]
    fn reports_unknown_names_quoted_numbers_and_undeclared_numbers() {
        let found = check_yaml("KS009", TEXT);
        assert_eq!(lines(&found, TEXT), [21, 23, 35, 37]);
        assert_eq!(spans(&found, TEXT), ["http", "\"8080\"", "grpc", "9091"]);
        let severities: Vec<Severity> = found.iter().map(|f| f.severity).collect();
        assert_eq!(
            severities,
            [
                Severity::Error,
                Severity::Error,
                Severity::Error,
                Severity::Info
            ]
        );
        assert!(found[0].message.contains("port name `http`"));
        assert!(found[0].message.contains("it declares `web`, `admin`"));
        assert!(found[0].message.contains("never becomes ready"));
        assert!(found[1].message.contains("quoted string"));
        assert_eq!(found[1].help, "write the port as a number: `port: 8080`");
        assert!(found[3].message.contains("(9090)"));
    }

    #[test]
    fn silent_on_declared_names_and_containers_without_ports() {
        let found = check_yaml("KS009", TEXT);
        assert!(found
            .iter()
            .all(|f| f.object.container.as_deref() != Some("bare")));
    }

    #[test]
    fn name_declared_only_by_a_sibling_is_unknown() {
        let text = r#"apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: proxy
    image: envoyproxy/envoy:v1.31.0
    restartPolicy: Always
    ports: [{name: health, containerPort: 15021}]
    readinessProbe: {httpGet: {path: /ready, port: health}}
  - name: init
    image: busybox:1.36
    command: [sh, -c, "true"]
  containers:
  - name: app
    image: ghcr.io/acme/app:1.0
    ports: [{name: http, containerPort: 8080}]
    livenessProbe: {httpGet: {path: /livez, port: health}}
"#;
        let found = check_yaml("KS009", text);
        assert_eq!(lines(&found, text), [18]);
        assert_eq!(spans(&found, text), ["health"]);
        assert!(found[0].message.contains("restarts a healthy container"));
    }
}

//! XF003 port-mismatch.

use crate::finding::Severity;
use crate::rules::cross::paired;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct PortMismatch;

pub static META: RuleMeta = RuleMeta {
    code: "XF003",
    name: "port-mismatch",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "None of the container's ports is a port the paired Dockerfile exposes",
    help: "make containerPort match the port the program listens on (and EXPOSE it)",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a container whose `ports[].containerPort` values have nothing in common with the ports
its paired Dockerfile `EXPOSE`s. It stays silent when the Dockerfile exposes nothing or the
container declares no ports, and when at least one port matches.

## Why it matters

`EXPOSE` and `containerPort` are both documentation, but they are the documentation people trust:
the Dockerfile says where the program listens, the manifest says where Kubernetes should send
traffic. When they disagree, one of them is stale, and the manifest's port is usually also the
target of the Service, the probes and the NetworkPolicy. If the program really listens on the
Dockerfile's port, probes fail (`connection refused`), the pod never becomes ready or is
restarted by its liveness probe, and a Service that targets the port by name sends traffic to a
closed port.

## Example

```dockerfile bad
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/api /api
EXPOSE 8080
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
        ports:
        - name: http
          containerPort: 80
```

```dockerfile good
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/api /api
EXPOSE 8080
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
        ports:
        - name: http
          containerPort: 8080
```

Nothing is changed automatically: only the program knows which port it listens on. Fix the
side that is stale.

## References

- Kubernetes: [Container ports (ContainerPort API reference)](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports)
- Kubernetes: [Service — defining a Service and targetPort](https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service)
- Docker: [Dockerfile reference — EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
"#
    ),
};

/// A `containerPort` value: a YAML integer, or a string of digits.
fn port_number(node: &Node) -> Option<i64> {
    node.int()
        .or_else(|| node.str().and_then(|s| s.trim().parse().ok()))
}

impl Rule for PortMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let Some(ctx) = paired(ws, container) else {
                continue;
            };
            let exposed = &ctx.facts.exposed_ports;
            if exposed.is_empty() {
                continue;
            }
            let declared: Vec<(&Node, i64)> = container
                .ports()
                .iter()
                .filter_map(|p| p.get("containerPort"))
                .filter_map(|n| Some((n, port_number(n)?)))
                .collect();
            let Some((first, _)) = declared.first() else {
                continue;
            };
            if declared
                .iter()
                .any(|(_, port)| exposed.iter().any(|e| i64::from(*e) == *port))
            {
                continue;
            }
            let list = |ports: Vec<String>| ports.join(", ");
            let declared_list = list(declared.iter().map(|(_, p)| p.to_string()).collect());
            let exposed_list = list(exposed.iter().map(u16::to_string).collect());
            out.report(
                ws.file_of(container),
                first.range,
                ws.container_ref(container),
                format!(
                    "{} declares containerPort {declared_list} but `{}` exposes {exposed_list}: if the program listens on the exposed port, probes and Services aimed at the declared one get connection refused",
                    ws.describe(container),
                    ws.files[ctx.file].name
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "XF003";

    fn dockerfile(expose: &str) -> String {
        format!("FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n{expose}ENTRYPOINT [\"/app\"]\n")
    }

    fn deploy(ports: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api}}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.0\n{ports}")
    }

    fn check(df: &str, yaml: &str) -> Vec<crate::Finding> {
        check_files(CODE, &[("api/Dockerfile", df), ("deploy.yaml", yaml)])
    }

    #[test]
    fn fires_at_the_first_container_port() {
        let yaml = deploy("        ports:\n        - name: http\n          containerPort: 80\n        - {name: metrics, containerPort: 9090}\n");
        let found = check(&dockerfile("EXPOSE 8080/tcp\n"), &yaml);
        assert_eq!(lines(&found, &yaml), [12]);
        assert_eq!(spans(&found, &yaml), ["80"]);
        assert!(found[0].message.contains("containerPort 80, 9090"));
        assert!(found[0].message.contains("`api/Dockerfile` exposes 8080"));
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_when_one_matches_or_nothing_to_compare() {
        let yaml = deploy(
            "        ports:\n        - containerPort: 9090\n        - containerPort: 8080\n",
        );
        assert!(check(&dockerfile("EXPOSE 8080 9090\n"), &yaml).is_empty());
        assert!(check(&dockerfile("EXPOSE 9090\n"), &yaml).is_empty());
        assert!(check(&dockerfile(""), &yaml).is_empty());
        assert!(check(&dockerfile("EXPOSE 8080\n"), &deploy("")).is_empty());
        assert!(check_yaml(CODE, &yaml).is_empty());
        // Variables are expanded.
        let df = format!(
            "ARG PORT=8080\n{}",
            dockerfile("ARG PORT\nEXPOSE ${PORT}\n")
        );
        assert!(check(&df, &yaml).is_empty());
        let quoted = deploy("        ports:\n        - containerPort: \"8080\"\n");
        assert!(check(&dockerfile("EXPOSE 8080\n"), &quoted).is_empty());
    }

    #[test]
    fn flow_style_ports() {
        let yaml = deploy("        ports: [{containerPort: 3000}]\n");
        let found = check(&dockerfile("EXPOSE 8080\n"), &yaml);
        assert_eq!(spans(&found, &yaml), ["3000"]);
    }
}

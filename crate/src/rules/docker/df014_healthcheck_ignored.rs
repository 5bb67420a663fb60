//! DF014 healthcheck-ignored.

use crate::finding::{ObjectRef, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct HealthcheckIgnored;

pub static META: RuleMeta = RuleMeta {
    code: "DF014",
    name: "healthcheck-ignored",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "`HEALTHCHECK` has no effect on Kubernetes",
    help: "declare liveness/readiness probes in the pod spec instead",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports every `HEALTHCHECK` instruction except `HEALTHCHECK NONE`.

## Why it matters

`HEALTHCHECK` is a Docker Engine feature: the Docker daemon runs the command and marks the
container unhealthy. On Kubernetes the kubelet talks to containerd or CRI-O through the CRI,
and neither runs image health checks; the kubelet only runs the probes declared in the pod spec.
So a service whose image declares a health check, but whose manifest has no probes, gets no
health checking at all in the cluster: a deadlocked process keeps receiving traffic and is never
restarted, while the team believes "the image has a health check". The instruction also tends
to bake `curl`/`wget` into otherwise minimal images just for the check.

Move the check into the manifest: a `livenessProbe` for "the process is stuck, restart it" and
a `readinessProbe` for "do not send traffic yet". Go services can serve both with `net/http`
handlers (or the gRPC health protocol with a `grpc` probe), so no extra binary is needed in the
image.

## Example

```dockerfile bad
FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM alpine:3.21
RUN apk add --no-cache ca-certificates tzdata curl
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
HEALTHCHECK --interval=10s --timeout=2s CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/api"]
```

```dockerfile good
FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
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
        ports: [{name: http, containerPort: 8080}]
        livenessProbe:
          httpGet: {path: /livez, port: http}
        readinessProbe:
          httpGet: {path: /readyz, port: http}
```

## References

- Docker: [Dockerfile reference — HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
- Kubernetes: [Configure liveness, readiness and startup probes](https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/)
- Kubernetes: [Container probes](https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes)
- Peers: hadolint `DL3057` asks for the opposite (a missing `HEALTHCHECK`); for images that
  only run on Kubernetes that advice does not apply
"#
    ),
};

impl Rule for HealthcheckIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            for inst in &df.instructions {
                if !inst.is("HEALTHCHECK") {
                    continue;
                }
                let words = inst.words();
                match words.first() {
                    None => continue,
                    Some(w) if w.value.eq_ignore_ascii_case("none") => continue,
                    Some(_) => {}
                }
                let stage = inst.stage.and_then(|s| df.stages.get(s));
                let name = stage.map(|s| s.name.clone().unwrap_or_else(|| s.image.clone()));
                out.report(
                    ctx.file,
                    inst.range,
                    ObjectRef {
                        document: 0,
                        kind: "Dockerfile".into(),
                        name: name.map(Into::into),
                        ..ObjectRef::default()
                    },
                    "`HEALTHCHECK` is never run on Kubernetes (the kubelet and containerd/CRI-O ignore it): without liveness and readiness probes in the manifest, a hung pod keeps getting traffic and is never restarted",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DF014";

    #[test]
    fn fires_on_healthcheck() {
        let text = concat!(
            "FROM alpine:3.21\n",
            "healthcheck --interval=30s \\\n",
            "  CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1\n",
            "HEALTHCHECK --start-period=5s CMD [\"/app\", \"healthcheck\"]\n",
            "ENTRYPOINT [\"/app\"]\n",
        );
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2, 4]);
        assert_eq!(
            spans(&found, text)[0],
            "healthcheck --interval=30s \\\n  CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1"
        );
        assert_eq!(found[0].object.name.as_deref(), Some("alpine:3.21"));
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_none_and_comments() {
        let text =
            "FROM alpine:3.21\n# HEALTHCHECK CMD true\nHEALTHCHECK NONE\nRUN echo HEALTHCHECK\n";
        assert!(check_dockerfile(CODE, text).is_empty());
    }
}

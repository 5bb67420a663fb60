//! GO007 gomemlimit-unsupported-go.

use crate::finding::Severity;
use crate::goversion::GOMEMLIMIT_SINCE;
use crate::rules::go::{env_setting, item_anchor, targets, EnvSetting};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct GomemlimitUnsupportedGo;

pub static META: RuleMeta = RuleMeta {
    code: "GO007",
    name: "gomemlimit-unsupported-go",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "GOMEMLIMIT is set but the service is built with Go older than 1.19",
    help: "build with Go 1.19 or later (the runtime ignores GOMEMLIMIT before that)",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a Go container that sets `GOMEMLIMIT` in its `env` while the Go version it is built with
is older than 1.19. The version comes from the configuration (`go-version`) or from the
`golang:` builder image of the paired Dockerfile; without either the rule stays silent.

## Why it matters

The soft memory limit arrived in Go 1.19. Older runtimes do not know the variable and silently
ignore it, so the manifest promises a memory ceiling that the garbage collector never sees: the
heap still grows with `GOGC` alone and the pod is `OOMKilled` under load, while everyone reading
the manifest believes the problem was already handled.

## Example

```dockerfile bad
FROM golang:1.18-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/api /api
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
        env:
        - name: GOMEMLIMIT
          valueFrom:
            resourceFieldRef:
              resource: limits.memory
        resources:
          limits:
            memory: 400Mi
```

```dockerfile good
FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static:nonroot
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
        env:
        - name: GOMEMLIMIT
          valueFrom:
            resourceFieldRef:
              resource: limits.memory
        resources:
          limits:
            memory: 400Mi
```

Upgrade the builder image (Go versions before 1.19 no longer receive security fixes either).
Until then, the only levers are a lower `GOGC` or a larger memory limit.

## References

- Go: [Go 1.19 release notes — runtime (soft memory limit)](https://go.dev/doc/go1.19#runtime)
- Go: [A Guide to the Go Garbage Collector — Memory limit](https://go.dev/doc/gc-guide#Memory_limit)
- Go: [Release history and support policy](https://go.dev/doc/devel/release)
"#
    ),
};

impl Rule for GomemlimitUnsupportedGo {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in targets(ws) {
            let Some(version) = container.go_version else {
                continue;
            };
            if version >= GOMEMLIMIT_SINCE {
                continue;
            }
            let setting = env_setting(ws, container, "GOMEMLIMIT");
            // A value or any valueFrom; an empty value is "unset" to the runtime anyway.
            let item = match setting {
                EnvSetting::Value { item, .. } | EnvSetting::ValueFrom { item, .. } => item,
                _ => continue,
            };
            out.report(
                ws.file_of(container),
                item_anchor(container, item),
                ws.container_ref(container),
                format!(
                    "{} sets GOMEMLIMIT but is built with Go {version}, whose runtime ignores it (it needs Go 1.19): the heap is not kept under the limit",
                    ws.describe(container)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::goversion::GoVersion;
    use crate::rules::testing::*;

    const CODE: &str = "GO007";

    const YAML: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.0\n        env:\n        - name: GOMEMLIMIT\n          value: 900MiB\n        resources:\n          limits:\n            memory: 1Gi\n";

    fn dockerfile(go: &str) -> String {
        format!("FROM golang:{go} AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n")
    }

    #[test]
    fn fires_with_an_old_paired_go() {
        let df = dockerfile("1.18");
        let found = check_files(CODE, &[("api/Dockerfile", &df), ("deploy.yaml", YAML)]);
        assert_eq!(lines(&found, YAML), [11]);
        assert_eq!(spans(&found, YAML), ["name: GOMEMLIMIT"]);
        assert!(found[0].message.contains("Go 1.18"));
    }

    #[test]
    fn value_from_counts_as_set() {
        let yaml = YAML.replace(
            "          value: 900MiB\n",
            "          valueFrom: {configMapKeyRef: {name: tuning, key: memlimit}}\n",
        );
        let df = dockerfile("1.17.5-alpine");
        assert_eq!(
            check_files(CODE, &[("Dockerfile", &df), ("d.yaml", &yaml)]).len(),
            1
        );
    }

    #[test]
    fn silent_on_new_or_unknown_versions_and_without_the_variable() {
        for go in ["1.19", "1.22.3", "alpine"] {
            let df = dockerfile(go);
            assert!(
                check_files(CODE, &[("Dockerfile", &df), ("d.yaml", YAML)]).is_empty(),
                "{go}"
            );
        }
        assert!(check_yaml(CODE, YAML).is_empty());
        let df = dockerfile("1.18");
        let yaml = YAML.replace("GOMEMLIMIT", "GOGC");
        assert!(check_files(CODE, &[("Dockerfile", &df), ("d.yaml", &yaml)]).is_empty());
    }

    #[test]
    fn configured_version() {
        let config = Config {
            go_version: GoVersion::parse("1.16"),
            ..Config::default()
        };
        assert_eq!(check_with(CODE, &[("d.yaml", YAML)], config).len(), 1);
    }
}

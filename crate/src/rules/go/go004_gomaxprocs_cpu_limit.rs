//! GO004 gomaxprocs-cpu-limit.

use crate::finding::{Fix, Severity};
use crate::goversion::CONTAINER_AWARE_GOMAXPROCS_SINCE;
use crate::rules::go::{downward_env, env_setting, targets, EnvSetting};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{append_to_list, set_path, Frag};

pub struct GomaxprocsCpuLimit;

pub static META: RuleMeta = RuleMeta {
    code: "GO004",
    name: "gomaxprocs-cpu-limit",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary:
        "Go container has a CPU limit but no GOMAXPROCS and a Go version that ignores the limit",
    help: "set env GOMAXPROCS from resourceFieldRef limits.cpu, or build with Go 1.25 or later",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a Go container that sets `resources.limits.cpu` but no `GOMAXPROCS` environment
variable, when the service is built with a Go version older than 1.25 (warning). The Go version
comes from the configuration (`go-version`) or from the `golang:` builder image of the paired
Dockerfile; when it is unknown the finding is only advice (info). With Go 1.25 or later the rule
is silent, unless `GODEBUG` turns the container-aware default off (`containermaxprocs=0`).

## Why it matters

Before Go 1.25 the runtime sets `GOMAXPROCS` to the number of CPUs of the *node*, not to the
container's CPU limit. A service limited to `250m` on a 16-core node runs Go code on 16 threads
at once. The kernel enforces the limit as a time quota per 100 ms period: the threads burn
through the quota in a few milliseconds and the whole container is then frozen for the rest of
the period. The result is CPU throttling and p99 latencies of tens or hundreds of milliseconds
while average CPU usage looks low — even the garbage collector's background workers can use up
the quota on their own.

Go 1.25 made the default container-aware: it reads the cgroup CPU limit at start-up (and keeps
watching it), rounds it up, and uses at least 2. That default depends on the main module's
`go` line in `go.mod` being 1.25 or later, since older language versions keep the old
behaviour through `GODEBUG` defaults; set `go-version` in the configuration when the builder
image's version says nothing about it. Libraries such as `go.uber.org/automaxprocs` do the same
in older versions; shoal cannot see them in a manifest, so suppress the finding if you use one.

## Example

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
        resources:
          limits:
            cpu: 250m
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
        - name: GOMAXPROCS
          valueFrom:
            resourceFieldRef:
              resource: limits.cpu
        resources:
          limits:
            cpu: 250m
```

The fix adds that `env` item. With the default divisor `1` the kubelet exposes the CPU limit as
whole cores rounded *up* (it computes `ceil(milli-CPU / 1000)`): `250m` gives `GOMAXPROCS=1`,
`1500m` gives `2`, `2` gives `2`. That is exactly what `GOMAXPROCS` needs: a positive integer
no larger than the cores the quota pays for, and never 0 (which the runtime would ignore).

## Fix safety

The fix is marked unsafe when the container has `envFrom` sources that are not among the
checked files: the variable may already come from there, and an `env` item would override it.

## References

- Go: [Container-aware GOMAXPROCS (Go blog)](https://go.dev/blog/container-aware-gomaxprocs)
- Go: [Go 1.25 release notes — runtime](https://go.dev/doc/go1.25#runtime)
- Go: [runtime package — GOMAXPROCS](https://pkg.go.dev/runtime#GOMAXPROCS)
- Kubernetes: [Expose container information through environment variables](https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/)
- Kubernetes: [CPU resource units and limits](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run)
"#
    ),
};

impl Rule for GomaxprocsCpuLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in targets(ws) {
            let Some(entry) = container.resource("limits", "cpu") else {
                continue;
            };
            let Some(limit) = entry.value.str() else {
                continue;
            };
            let setting = env_setting(ws, container, "GOMAXPROCS");
            let maybe = match &setting {
                EnvSetting::Unset { .. } => false,
                EnvSetting::MaybeEnvFrom => true,
                _ => continue,
            };
            let aware_disabled = env_setting(ws, container, "GODEBUG")
                .literal()
                .is_some_and(|v| v.split(',').any(|kv| kv.trim() == "containermaxprocs=0"));
            let (severity, why) = match container.go_version {
                Some(v) if v >= CONTAINER_AWARE_GOMAXPROCS_SINCE && !aware_disabled => continue,
                Some(v) if v >= CONTAINER_AWARE_GOMAXPROCS_SINCE => (
                    Severity::Warning,
                    format!("GODEBUG turns off Go {v}'s container-aware default, so"),
                ),
                Some(v) => (Severity::Warning, format!("it is built with Go {v}, so")),
                None => (
                    Severity::Info,
                    "unless it is built with Go 1.25 or later (the Go version is unknown: pair its Dockerfile or set go-version),".to_string(),
                ),
            };
            let file = ws.file_of(container);
            let text = ws.text(file);
            let edit = match setting.item() {
                Some(item) => set_path(
                    text,
                    item,
                    &["valueFrom"],
                    &Frag::map([(
                        "resourceFieldRef",
                        Frag::map([("resource", Frag::scalar("limits.cpu"))]),
                    )]),
                ),
                None => append_to_list(
                    text,
                    container.node,
                    "env",
                    &downward_env("GOMAXPROCS", "limits.cpu"),
                ),
            };
            let finding = out.report(
                file,
                entry.key.range,
                ws.container_ref(container),
                format!(
                    "{} has a CPU limit of {limit} and no GOMAXPROCS; {why} the runtime runs Go code on as many threads as the node has CPUs and the container gets throttled",
                    ws.describe(container)
                ),
            );
            finding.severity = severity;
            if let Some(edit) = edit {
                let title = "set GOMAXPROCS from limits.cpu (Downward API)";
                finding.fix = Some(if maybe {
                    Fix::unsafe_(title, vec![edit])
                } else {
                    Fix::safe(title, vec![edit])
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Pair};
    use crate::finding::Severity;
    use crate::goversion::GoVersion;
    use crate::rules::testing::*;

    const CODE: &str = "GO004";

    const YAML: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.0\n        resources:\n          limits:\n            cpu: 250m\n";

    fn dockerfile(go: &str) -> String {
        format!("FROM golang:{go} AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n")
    }

    #[test]
    fn unknown_version_is_info_at_the_cpu_key() {
        let found = check_yaml(CODE, YAML);
        assert_eq!(lines(&found, YAML), [12]);
        assert_eq!(spans(&found, YAML), ["cpu"]);
        assert_eq!(found[0].severity, Severity::Info);
        assert!(found[0].message.contains("unknown"));
        assert!(is_safe(&found[0]));
    }

    #[test]
    fn paired_by_directory_name() {
        let df = dockerfile("1.24-alpine");
        let found = check_files(CODE, &[("api/Dockerfile", &df), ("deploy.yaml", YAML)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("Go 1.24"));
        let df = dockerfile("1.25.1");
        assert!(check_files(CODE, &[("api/Dockerfile", &df), ("deploy.yaml", YAML)]).is_empty());
    }

    #[test]
    fn two_dockerfiles_directory_names_decide() {
        let old = dockerfile("1.22");
        let new = dockerfile("1.25");
        // `api` is built with 1.25: silent, even though another service uses 1.22.
        let files = [
            ("services/worker/Dockerfile", old.as_str()),
            ("services/api/Dockerfile", new.as_str()),
            ("deploy.yaml", YAML),
        ];
        assert!(check_files(CODE, &files).is_empty());
        let files = [
            ("services/worker/Dockerfile", new.as_str()),
            ("services/api/Dockerfile", old.as_str()),
            ("deploy.yaml", YAML),
        ];
        let found = check_files(CODE, &files);
        assert_eq!(found[0].severity, Severity::Warning);
        // Two Dockerfiles and no matching directory: no pairing, unknown version.
        let files = [
            ("a/Dockerfile", old.as_str()),
            ("b/Dockerfile", new.as_str()),
            ("deploy.yaml", YAML),
        ];
        assert_eq!(check_files(CODE, &files)[0].severity, Severity::Info);
    }

    #[test]
    fn explicit_pairs_and_configured_version() {
        let old = dockerfile("1.21");
        let new = dockerfile("1.25");
        let mut config = Config::default();
        config.pairs.push(Pair {
            image: "ghcr.io/acme/api".into(),
            dockerfile: "build/Dockerfile".into(),
        });
        let files = [
            ("api/Dockerfile", new.as_str()),
            ("build/Dockerfile", old.as_str()),
            ("deploy.yaml", YAML),
        ];
        let found = check_with(CODE, &files, config);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("Go 1.21"));

        let config = Config {
            go_version: GoVersion::parse("1.25"),
            ..Config::default()
        };
        assert!(check_with(CODE, &[("deploy.yaml", YAML)], config).is_empty());
        let config = Config {
            go_version: GoVersion::parse("1.23"),
            ..Config::default()
        };
        // The configured version wins over the Dockerfile's.
        let found = check_with(
            CODE,
            &[("api/Dockerfile", &new), ("deploy.yaml", YAML)],
            config,
        );
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn godebug_can_turn_the_new_default_off() {
        let yaml = YAML.replace(
            "        resources:",
            "        env:\n        - name: GODEBUG\n          value: \"http2client=0,containermaxprocs=0\"\n        resources:",
        );
        let df = dockerfile("1.25");
        let found = check_files(CODE, &[("Dockerfile", &df), ("deploy.yaml", &yaml)]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("GODEBUG"));
    }

    #[test]
    fn fix_adds_gomaxprocs() {
        assert_eq!(
            fixed_yaml(CODE, YAML),
            YAML.replace(
                "            cpu: 250m\n",
                "            cpu: 250m\n        env:\n        - name: GOMAXPROCS\n          valueFrom:\n            resourceFieldRef:\n              resource: limits.cpu\n"
            )
        );
        let flow = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: api, image: ghcr.io/acme/api, env: [], resources: {limits: {cpu: \"2\"}}}\n";
        assert_eq!(
            fixed_yaml(CODE, flow),
            flow.replace(
                "env: []",
                "env: [{name: GOMAXPROCS, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}]"
            )
        );
    }

    #[test]
    fn silent_when_set_or_no_cpu_limit() {
        for env in [
            "        env:\n        - {name: GOMAXPROCS, value: \"1\"}\n",
            "        env:\n        - {name: GOMAXPROCS, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}\n",
        ] {
            let yaml = YAML.replace("        resources:", &format!("{env}        resources:"));
            assert!(check_yaml(CODE, &yaml).is_empty(), "{yaml}");
        }
        let yaml = YAML.replace("limits:", "requests:");
        assert!(check_yaml(CODE, &yaml).is_empty());
        let yaml = YAML.replace("ghcr.io/acme/api:1.0", "envoyproxy/envoy:v1.31");
        assert!(check_yaml(CODE, &yaml).is_empty());
    }
}

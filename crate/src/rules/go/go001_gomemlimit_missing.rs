//! GO001 gomemlimit-missing.

use crate::finding::{Fix, Severity};
use crate::rules::go::{downward_env, env_setting, targets, EnvSetting};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{append_to_list, set_path, Frag};

pub struct GomemlimitMissing;

pub static META: RuleMeta = RuleMeta {
    code: "GO001",
    name: "gomemlimit-missing",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Go container has a memory limit but no GOMEMLIMIT",
    help: "pass the limit to the Go runtime: env GOMEMLIMIT from resourceFieldRef limits.memory",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a Go container that sets `resources.limits.memory` but gives the Go runtime no
`GOMEMLIMIT` environment variable (neither a literal `value` nor a `valueFrom`, nor through an
`envFrom` ConfigMap/Secret found among the checked files, nor an `ENV` in the paired Dockerfile).

## Why it matters

The Go garbage collector does not read the cgroup memory limit. By default it lets the heap grow
to twice the live data before collecting again (`GOGC=100`), whatever the container's limit is.
A service whose live heap is 150 MiB can therefore aim for a 300 MiB heap, and a burst such as
encoding one large JSON response pushes the next target well beyond a `400Mi` limit: the kernel's
OOM killer ends the pod (`OOMKilled`, exit code 137) although the program never "leaked"
anything. Doubling the limit makes the symptom go away and wastes memory on every replica.

Since Go 1.19 `GOMEMLIMIT` gives the collector a soft ceiling: as the total memory the runtime
manages gets close to it, the collector runs more often instead of letting the heap grow. Setting
it from the container's own limit with the Downward API keeps the two in step when someone
changes the limit later.

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
            memory: 400Mi
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

The fix adds exactly that `env` item (creating `env:` when the container has none). It does
not write a `divisor`: the default divisor `1` makes the kubelet pass the limit as a plain
number of bytes (`419430400` for `400Mi`), which is a valid `GOMEMLIMIT`. A divisor such as
`1Mi` would pass `400`, which the Go runtime reads as 400 *bytes* and then collects garbage
non-stop.

The variable then equals 100% of the limit. The runtime counts all the memory it manages
(heap, stacks, runtime structures), so that is usually enough; if the program also uses memory
the Go runtime does not manage (cgo, large memory-mapped files), set a literal value of about
90% of the limit instead (`GOMEMLIMIT: 360MiB` — Go's syntax, not Kubernetes' `360Mi`).
`GOMEMLIMIT` is a soft limit: a program whose live data really exceeds the limit is still killed.

## Fix safety

The fix is marked unsafe when the container has `envFrom` sources that are not among the
checked files: the variable may already come from there, and an `env` item would override it.

## References

- Go: [A Guide to the Go Garbage Collector — Memory limit](https://go.dev/doc/gc-guide#Memory_limit)
- Go: [runtime package — environment variables](https://pkg.go.dev/runtime#hdr-Environment_Variables)
- Kubernetes: [Expose container information through environment variables (Downward API)](https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/)
- Kubernetes: [Resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
"#
    ),
};

impl Rule for GomemlimitMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in targets(ws) {
            let Some(entry) = container.resource("limits", "memory") else {
                continue;
            };
            let Some(limit) = entry.value.str() else {
                continue;
            };
            let setting = env_setting(ws, container, "GOMEMLIMIT");
            let maybe = match &setting {
                EnvSetting::Unset { .. } => false,
                EnvSetting::MaybeEnvFrom => true,
                _ => continue,
            };
            let text = ws.text(ws.file_of(container));
            let edit = match setting.item() {
                // `- name: GOMEMLIMIT` with an empty value: give that item a `valueFrom`.
                Some(item) => set_path(
                    text,
                    item,
                    &["valueFrom"],
                    &Frag::map([(
                        "resourceFieldRef",
                        Frag::map([("resource", Frag::scalar("limits.memory"))]),
                    )]),
                ),
                None => append_to_list(
                    text,
                    container.node,
                    "env",
                    &downward_env("GOMEMLIMIT", "limits.memory"),
                ),
            };
            let empty = if setting.item().is_some() {
                " sets GOMEMLIMIT to an empty value (no limit)"
            } else if maybe {
                " sets no GOMEMLIMIT in `env` (its `envFrom` sources are not among the files)"
            } else {
                " sets no GOMEMLIMIT"
            };
            let finding = out.report(
                ws.file_of(container),
                entry.key.range,
                ws.container_ref(container),
                format!(
                    "{} has a memory limit of {limit} but{empty}: the Go garbage collector ignores the limit and lets the heap grow until the pod is OOMKilled",
                    ws.describe(container)
                ),
            );
            if let Some(edit) = edit {
                let title = "set GOMEMLIMIT from limits.memory (Downward API)";
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
    use crate::rules::testing::*;

    const CODE: &str = "GO001";

    fn pod(container: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n{container}"
        )
    }

    #[test]
    fn fires_at_the_memory_key() {
        let text = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    resources:\n      limits:\n        cpu: 500m\n        memory: 400Mi\n");
        let found = check_yaml(CODE, &text);
        assert_eq!(lines(&found, &text), [12]);
        assert_eq!(spans(&found, &text), ["memory"]);
        assert!(found[0].message.contains("container `api` of Pod/p"));
        assert!(found[0].message.contains("400Mi"));
        assert!(is_safe(&found[0]));
    }

    #[test]
    fn fix_creates_env_when_absent() {
        let text = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    resources:\n      limits:\n        memory: 400Mi # hard\n");
        assert_eq!(
            fixed_yaml(CODE, &text),
            pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    resources:\n      limits:\n        memory: 400Mi # hard\n    env:\n    - name: GOMEMLIMIT\n      valueFrom:\n        resourceFieldRef:\n          resource: limits.memory\n")
        );
    }

    #[test]
    fn fix_appends_to_a_block_env_list() {
        let text = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n      - name: LOG_LEVEL\n        value: info\n    resources:\n      limits: {memory: 1Gi}\n");
        assert_eq!(
            fixed_yaml(CODE, &text),
            pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n      - name: LOG_LEVEL\n        value: info\n      - name: GOMEMLIMIT\n        valueFrom:\n          resourceFieldRef:\n            resource: limits.memory\n    resources:\n      limits: {memory: 1Gi}\n")
        );
    }

    #[test]
    fn fix_appends_to_a_flow_env_list() {
        let text = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    env: [{name: A, value: \"1\"}]\n    resources:\n      limits:\n        memory: 1Gi\n");
        assert_eq!(
            fixed_yaml(CODE, &text),
            pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    env: [{name: A, value: \"1\"}, {name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}]\n    resources:\n      limits:\n        memory: 1Gi\n")
        );
    }

    #[test]
    fn fix_fills_a_null_env() {
        let text = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n    resources:\n      limits:\n        memory: 1Gi\n");
        assert_eq!(
            fixed_yaml(CODE, &text),
            pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n    - name: GOMEMLIMIT\n      valueFrom:\n        resourceFieldRef:\n          resource: limits.memory\n    resources:\n      limits:\n        memory: 1Gi\n")
        );
    }

    #[test]
    fn fix_on_a_flow_container() {
        let text = pod("  - {name: api, image: \"ghcr.io/acme/api:1.0\", resources: {limits: {memory: 256Mi}}}\n");
        let found = check_yaml(CODE, &text);
        assert_eq!(spans(&found, &text), ["memory"]);
        assert_eq!(
            fixed_yaml(CODE, &text),
            pod("  - {name: api, image: \"ghcr.io/acme/api:1.0\", resources: {limits: {memory: 256Mi}}, env: [{name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}]}\n")
        );
    }

    #[test]
    fn fix_gives_an_empty_item_a_value_from() {
        let text = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n    - name: GOMEMLIMIT\n      value: \"\"\n    resources:\n      limits:\n        memory: 1Gi\n");
        let found = check_yaml(CODE, &text);
        assert!(found[0].message.contains("empty value"));
        assert_eq!(
            fixed_yaml(CODE, &text),
            pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    env:\n    - name: GOMEMLIMIT\n      value: \"\"\n      valueFrom:\n        resourceFieldRef:\n          resource: limits.memory\n    resources:\n      limits:\n        memory: 1Gi\n")
        );
    }

    #[test]
    fn silent_when_gomemlimit_is_set_any_way() {
        for env in [
            "    env:\n    - name: GOMEMLIMIT\n      value: 360MiB\n",
            "    env:\n    - name: GOMEMLIMIT\n      value: 'off'\n",
            "    env:\n    - {name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}\n",
            "    env:\n    - name: GOMEMLIMIT\n      valueFrom:\n        configMapKeyRef: {name: tuning, key: memlimit}\n",
        ] {
            let text = pod(&format!(
                "  - name: api\n    image: ghcr.io/acme/api:1.0\n{env}    resources:\n      limits:\n        memory: 1Gi\n"
            ));
            assert!(check_yaml(CODE, &text).is_empty(), "{text}");
        }
    }

    #[test]
    fn silent_without_a_memory_limit_and_for_non_go_and_init_containers() {
        let text = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    resources:\n      requests:\n        memory: 1Gi\n  - name: cache\n    image: redis:7\n    resources:\n      limits: {memory: 1Gi}\n  - name: proxy\n    image: nginx:1.27\n    resources:\n      limits: {memory: 1Gi}\n  initContainers:\n  - name: migrate\n    image: ghcr.io/acme/migrate:1.0\n    resources:\n      limits: {memory: 1Gi}\n");
        assert!(check_yaml(CODE, &text).is_empty());
    }

    #[test]
    fn fires_on_native_sidecars_jobs_and_lists() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: Job\n  metadata: {name: j}\n  spec:\n    template:\n      spec:\n        restartPolicy: Never\n        initContainers:\n        - name: agent\n          image: ghcr.io/acme/agent:2\n          restartPolicy: Always\n          resources: {limits: {memory: 64Mi}}\n        containers:\n        - name: batch\n          image: ghcr.io/acme/batch:2\n          resources: {limits: {memory: 2Gi}}\n";
        let found = check_yaml(CODE, text);
        assert_eq!(lines(&found, text), [15, 19]);
    }

    #[test]
    fn env_from_configmap_in_the_files() {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tuning}\ndata:\n  GOMEMLIMIT: 900MiB\n---\n";
        let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.0\n        envFrom:\n        - configMapRef: {name: tuning}\n        resources: {limits: {memory: 1Gi}}\n";
        assert!(check_yaml(CODE, &format!("{cm}{deploy}")).is_empty());
        // A ConfigMap without the key: fires, safely fixable.
        let other = cm.replace("GOMEMLIMIT", "LOG_LEVEL");
        let found = check_yaml(CODE, &format!("{other}{deploy}"));
        assert_eq!(found.len(), 1);
        assert!(is_safe(&found[0]));
        // The ConfigMap is not among the files: fires, but the fix is unsafe.
        let found = check_yaml(CODE, deploy);
        assert_eq!(found.len(), 1);
        assert!(!is_safe(&found[0]));
        assert!(found[0].message.contains("envFrom"));
    }

    #[test]
    fn silent_when_the_paired_image_sets_it() {
        let df = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nENV GOMEMLIMIT=900MiB\nCOPY --from=build /app /app\n";
        let yaml = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    resources:\n      limits:\n        memory: 1Gi\n");
        assert!(check_files(CODE, &[("api/Dockerfile", df), ("deploy.yaml", &yaml)]).is_empty());
    }

    #[test]
    fn a_single_dockerfile_does_not_make_nginx_a_go_service() {
        let df = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\n";
        let yaml = pod("  - name: api\n    image: ghcr.io/acme/api:1.0\n    resources:\n      limits:\n        memory: 1Gi\n  - name: proxy\n    image: nginx:1.27\n    resources:\n      limits:\n        memory: 128Mi\n");
        let found = check_files(CODE, &[("Dockerfile", df), ("deploy.yaml", &yaml)]);
        assert_eq!(lines(&found, &yaml), [11]);
    }

    #[test]
    fn aliases_are_reported_but_not_edited() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - &base\n    name: a\n    image: ghcr.io/acme/api:1.0\n    resources: {limits: {memory: 1Gi}}\n  - *base\n";
        let found = check_yaml(CODE, text);
        assert_eq!(found.len(), 2);
        assert!(found[0].fix.is_some());
        assert!(found[1].fix.is_none());
    }
}

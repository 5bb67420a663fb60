//! XF001 run-as-non-root-image-user.

use crate::dockerfile::facts::ImageFacts;
use crate::finding::{Fix, Severity};
use crate::rules::cross::paired;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::edit::{set_path, Frag};
use crate::yaml::{Entry, Node};

pub struct RunAsNonRootImageUser;

pub static META: RuleMeta = RuleMeta {
    code: "XF001",
    name: "run-as-non-root-image-user",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "runAsNonRoot without runAsUser while the paired image runs as root or as a user name",
    help: "set securityContext.runAsUser to a numeric non-root UID (e.g. 65532), or USER <uid> in the Dockerfile",
    fix: FixAvailability::Edit,
    docs: rule_docs!(r#"## What it does

Reports a container that must run as non-root (`securityContext.runAsNonRoot: true`, on the
container or inherited from the pod) without a `runAsUser` at either level, when the paired
Dockerfile's final image would run as root (no `USER`, `USER root`, `USER 0`) or names its user
instead of giving a number (`USER nonroot`, `USER app:app`).

Without a `USER`, a final stage based on a distroless `:nonroot` image or a Chainguard image is
not reported: those base images already set the numeric UID 65532.

## Why it matters

`runAsNonRoot` is checked by the kubelet when it creates the container, from the image's
configured user. If that user is root, the kubelet refuses with "container has runAsNonRoot and
image will run as root". If it is a name, the kubelet cannot look it up in the image's
`/etc/passwd` and refuses too, with "container has runAsNonRoot and image has non-numeric user
(nonroot), cannot verify user is non-root". Either way the pod is stuck in
`CreateContainerConfigError` and the rollout never progresses — typically discovered only when a
hardened security policy is applied to a service whose Dockerfile writes `USER nonroot:nonroot`.

## Example

```dockerfile bad
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static
COPY --from=build /out/api /api
USER nonroot:nonroot
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
        securityContext:
          runAsNonRoot: true
          allowPrivilegeEscalation: false
```

```dockerfile good
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static
COPY --from=build /out/api /api
USER 65532:65532
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
        securityContext:
          runAsNonRoot: true
          allowPrivilegeEscalation: false
```

The fix adds `runAsUser: 65532` to the securityContext that holds `runAsNonRoot` (for a
pod-level `runAsNonRoot`, to the container's own securityContext, so other containers of the pod
keep their images' users). Writing a numeric `USER` in the Dockerfile is the better long-term
change.

## Fix safety

The fix is safe when the image's user is `nonroot` (distroless and Chainguard images define it
as UID 65532). Otherwise it is unsafe: the process then runs as UID 65532 instead of the user
the image was built for, which may not own the files the program reads or writes.

## References

- Kubernetes: [Configure a security context for a pod or container](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
- Kubernetes: [SecurityContext API reference — runAsNonRoot](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1)
- Docker: [Dockerfile reference — USER](https://docs.docker.com/reference/dockerfile/#user)
- Distroless: [Running as non-root](https://github.com/GoogleContainerTools/distroless#how-do-i-use-distroless-images)
- Peers: kube-score `container-security-context-user-group-id`, kube-linter `run-as-non-root`, Polaris `runAsRootAllowed`, hadolint `DL3002`
"#),
};

/// The UID the fix writes when the image has no numeric user (distroless' `nonroot`).
const NONROOT_UID: u32 = 65532;

/// What the image says about its user, for this rule.
enum ImageUser<'f> {
    /// Runs as root: no USER, `root`, `0`.
    Root,
    /// A user name the kubelet cannot verify.
    Name(&'f str),
}

fn image_user(facts: &ImageFacts) -> Option<ImageUser<'_>> {
    match &facts.user {
        Some((user, _)) if user.contains('$') => None,
        Some(_) if facts.runs_as_root() => Some(ImageUser::Root),
        Some((user, _)) if facts.user_is_name() => {
            Some(ImageUser::Name(user.split(':').next().unwrap_or(user)))
        }
        Some(_) => None,
        None => {
            // The base image's own USER applies; only a few are known to be non-root.
            let base = facts.final_base.as_ref()?;
            let nonroot_tag = base
                .tag
                .as_deref()
                .is_some_and(|t| t.to_ascii_lowercase().contains("nonroot"));
            let chainguard = base.registry.as_deref() == Some("cgr.dev");
            if nonroot_tag || chainguard {
                None
            } else {
                Some(ImageUser::Root)
            }
        }
    }
}

fn set_in<'n>(node: Option<&'n Node>, key: &str) -> Option<&'n Entry> {
    node?.entry(key).filter(|e| !e.value.is_null())
}

impl Rule for RunAsNonRootImageUser {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let Some(ctx) = paired(ws, container) else {
                continue;
            };
            let pod = ws.pod_of(container);
            if pod.spec.path(&["os", "name"]).and_then(Node::str) == Some("windows") {
                continue;
            }
            let own = container.security_context();
            let pod_sc = pod.security_context();
            // The container's setting overrides the pod's.
            let (entry, at_pod) = match set_in(own, "runAsNonRoot") {
                Some(e) => (e, false),
                None => match set_in(pod_sc, "runAsNonRoot") {
                    Some(e) => (e, true),
                    None => continue,
                },
            };
            if entry.value.bool() != Some(true) {
                continue;
            }
            if set_in(own, "runAsUser").is_some() || set_in(pod_sc, "runAsUser").is_some() {
                continue;
            }
            let Some(user) = image_user(&ctx.facts) else {
                continue;
            };
            let dockerfile = &ws.files[ctx.file].name;
            let (kubelet, name) = match user {
                ImageUser::Root => (
                    "container has runAsNonRoot and image will run as root".to_string(),
                    None,
                ),
                ImageUser::Name(name) => (
                    format!("container has runAsNonRoot and image has non-numeric user ({name}), cannot verify user is non-root"),
                    Some(name),
                ),
            };
            let image_says = match &ctx.facts.user {
                Some((user, _)) => format!("`{dockerfile}` sets `USER {user}`"),
                None => format!("`{dockerfile}` sets no USER"),
            };
            let file = ws.file_of(container);
            let text = ws.text(file);
            let uid = ctx.facts.numeric_uid().unwrap_or(NONROOT_UID);
            let value = Frag::scalar(uid.to_string());
            let edit = if at_pod {
                set_path(
                    text,
                    container.node,
                    &["securityContext", "runAsUser"],
                    &value,
                )
            } else {
                own.and_then(|sc| set_path(text, sc, &["runAsUser"], &value))
            };
            let finding = out.report(
                file,
                entry.key.range,
                ws.container_ref(container),
                format!(
                    "{} requires runAsNonRoot without a runAsUser and {image_says}: the kubelet refuses to start it (\"{kubelet}\") and the pod stays in CreateContainerConfigError",
                    ws.describe(container)
                ),
            );
            if let Some(edit) = edit {
                let title = format!("set runAsUser: {uid}");
                finding.fix = Some(if name == Some("nonroot") {
                    Fix::safe(title, vec![edit])
                } else {
                    Fix::unsafe_(title, vec![edit])
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "XF001";

    fn dockerfile(user: &str) -> String {
        format!("FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\n{user}ENTRYPOINT [\"/app\"]\n")
    }

    const YAML: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.0\n        securityContext:\n          runAsNonRoot: true\n          readOnlyRootFilesystem: true\n";

    fn check(df: &str, yaml: &str) -> Vec<crate::Finding> {
        check_files(CODE, &[("api/Dockerfile", df), ("deploy.yaml", yaml)])
    }

    #[test]
    fn image_without_user_runs_as_root() {
        let found = check(&dockerfile(""), YAML);
        assert_eq!(lines(&found, YAML), [11]);
        assert_eq!(spans(&found, YAML), ["runAsNonRoot"]);
        assert!(found[0]
            .message
            .contains("container has runAsNonRoot and image will run as root"));
        assert!(found[0].message.contains("`api/Dockerfile` sets no USER"));
        assert!(!is_safe(&found[0]));
    }

    #[test]
    fn root_and_named_users() {
        for user in ["USER root\n", "USER 0:0\n"] {
            let found = check(&dockerfile(user), YAML);
            assert!(found[0].message.contains("will run as root"), "{user}");
        }
        let found = check(&dockerfile("USER nonroot:nonroot\n"), YAML);
        assert!(found[0].message.contains(
            "container has runAsNonRoot and image has non-numeric user (nonroot), cannot verify user is non-root"
        ));
        assert!(is_safe(&found[0]));
        let found = check(&dockerfile("USER app\n"), YAML);
        assert!(found[0].message.contains("non-numeric user (app)"));
        assert!(!is_safe(&found[0]));
    }

    #[test]
    fn silent_with_a_numeric_user_or_a_run_as_user() {
        assert!(check(&dockerfile("USER 65532\n"), YAML).is_empty());
        assert!(check(&dockerfile("USER 10001:10001\n"), YAML).is_empty());
        let yaml = YAML.replace(
            "          runAsNonRoot: true\n",
            "          runAsNonRoot: true\n          runAsUser: 1000\n",
        );
        assert!(check(&dockerfile(""), &yaml).is_empty());
        let pod_level = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  securityContext: {runAsUser: 1000}\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    securityContext: {runAsNonRoot: true}\n";
        assert!(check(&dockerfile(""), pod_level).is_empty());
    }

    #[test]
    fn silent_without_run_as_non_root_or_pairing() {
        let yaml = YAML.replace("runAsNonRoot: true", "runAsNonRoot: false");
        assert!(check(&dockerfile(""), &yaml).is_empty());
        // The container overrides the pod's setting.
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n    securityContext: {runAsNonRoot: false}\n";
        assert!(check(&dockerfile(""), pod).is_empty());
        assert!(check_yaml(CODE, YAML).is_empty());
        // Windows pods use runAsUserName.
        let windows = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n";
        assert!(check(&dockerfile(""), windows).is_empty());
    }

    #[test]
    fn base_images_known_to_be_non_root() {
        let df = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n";
        assert!(check(df, YAML).is_empty());
        let df = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM cgr.dev/chainguard/static:latest\nCOPY --from=build /app /app\n";
        assert!(check(df, YAML).is_empty());
        let df = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n";
        assert_eq!(check(df, YAML).len(), 1);
    }

    #[test]
    fn yes_is_true() {
        let yaml = YAML.replace("runAsNonRoot: true", "runAsNonRoot: yes");
        assert_eq!(check(&dockerfile(""), &yaml).len(), 1);
        let yaml = YAML.replace("runAsNonRoot: true", "runAsNonRoot: \"true\"");
        assert!(check(&dockerfile(""), &yaml).is_empty());
    }

    #[test]
    fn fix_next_to_run_as_non_root() {
        let df = dockerfile("USER nonroot\n");
        assert_eq!(
            fixed(CODE, &[("deploy.yaml", YAML), ("api/Dockerfile", &df)]),
            YAML.replace(
                "          readOnlyRootFilesystem: true\n",
                "          readOnlyRootFilesystem: true\n          runAsUser: 65532\n"
            )
        );
        let flow = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n  - {name: api, image: ghcr.io/acme/api:1.0, securityContext: {runAsNonRoot: true}}\n";
        assert_eq!(
            fixed(CODE, &[("pod.yaml", flow), ("Dockerfile", &df)]),
            flow.replace(
                "{runAsNonRoot: true}",
                "{runAsNonRoot: true, runAsUser: 65532}"
            )
        );
    }

    #[test]
    fn pod_level_fix_goes_to_the_container() {
        let df = dockerfile("");
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: api\n    image: ghcr.io/acme/api:1.0\n";
        let found = check(&df, yaml);
        assert_eq!(lines(&found, yaml), [6]);
        assert_eq!(
            fixed(CODE, &[("pod.yaml", yaml), ("Dockerfile", &df)]),
            format!("{yaml}    securityContext:\n      runAsUser: 65532\n")
        );
    }
}

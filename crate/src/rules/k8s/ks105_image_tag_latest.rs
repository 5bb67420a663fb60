//! KS105 image-tag-latest.

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct ImageTagLatest;

pub static META: RuleMeta = RuleMeta {
    code: "KS105",
    name: "image-tag-latest",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Container image has no tag or uses `latest`",
    help: "pin the image to a version tag or a digest",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a container whose `image` has neither a tag nor a digest, or whose tag is `latest`.

## Why it matters

`latest` is whatever was pushed last. Two pods of the same Deployment can run different code when
a node pulls at a different moment, a rollback to the "previous" ReplicaSet brings back the same
moving tag instead of the old build, and nobody can tell from the manifest which commit is in
production. An untagged image also makes the kubelet default `imagePullPolicy` to `Always`, so
every pod start depends on the registry being reachable.

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
        image: ghcr.io/acme/api:latest
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
```

## References

- Kubernetes: [Images — image names](https://kubernetes.io/docs/concepts/containers/images/#image-names)
- Kubernetes: [Configuration best practices — container images](https://kubernetes.io/docs/concepts/configuration/overview/#container-images)
- Peers: kube-score `container-image-tag`, kube-linter `latest-tag`, Polaris `tagNotSpecified`
"#
    ),
};

impl Rule for ImageTagLatest {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let (Some(image), Some(node)) = (&container.image, container.node.get("image")) else {
                continue;
            };
            if !image.is_latest_or_untagged() {
                continue;
            }
            let what = if image.tag.is_some() {
                "the `latest` tag"
            } else {
                "no tag or digest"
            };
            out.report(
                ws.file_of(container),
                node.range,
                ws.container_ref(container),
                format!(
                    "{} uses image `{}` with {what}: pods can run different builds and a rollback does not bring the old one back",
                    ws.describe(container),
                    node.str().unwrap_or_default()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx\n  - name: b\n    image: ghcr.io/acme/api:latest\n  - name: c\n    image: ghcr.io/acme/api:1.2\n  - name: d\n    image: ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n  - name: e\n    image: registry:5000/api\n";

    #[test]
    fn fires_on_latest_and_untagged() {
        let found = check_yaml("KS105", POD);
        assert_eq!(lines(&found, POD), [8, 10, 16]);
        assert_eq!(
            spans(&found, POD),
            ["nginx", "ghcr.io/acme/api:latest", "registry:5000/api"]
        );
    }

    #[test]
    fn silent_on_tags_and_digests() {
        let found = check_yaml("KS105", POD);
        assert!(found
            .iter()
            .all(|f| f.object.container.as_deref() != Some("c")));
        assert!(found
            .iter()
            .all(|f| f.object.container.as_deref() != Some("d")));
    }
}

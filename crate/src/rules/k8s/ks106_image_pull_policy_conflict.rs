//! KS106 image-pull-policy-conflict.
//!
//! Every container, plain init containers included (they are pulled like any other).

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct ImagePullPolicyConflict;

pub static META: RuleMeta = RuleMeta {
    code: "KS106",
    name: "image-pull-policy-conflict",
    severity: Severity::Error,
    enabled_by_default: true,
    summary: "`imagePullPolicy` Never or IfNotPresent with a `latest` or untagged image",
    help: "pin the image to a version tag or digest, or use `imagePullPolicy: Always` for a moving tag",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports a container whose image is untagged or tagged `latest` (and not pinned by a digest) and
whose `imagePullPolicy` is:

- `Never` (error): the kubelet only uses an image already on the node;
- `IfNotPresent` (warning): the kubelet pulls only when the node has no copy yet.

## Why it matters

With `Never`, a pod scheduled on a node that has never seen the image fails with
`ErrImageNeverPull` and stays there; on nodes that do have it, it runs whatever `latest` was
loaded there at some point. This setting is meant for images side-loaded into local clusters
(kind, minikube) and breaks as soon as the manifest reaches a real cluster.

With `IfNotPresent`, each node keeps the first `latest` it pulled. After a new push, new pods on
old nodes run the old build while pods on fresh nodes run the new one: the same Deployment serves
two versions, and "redeploying" does not pick up the fix. Pin a version or digest so the
manifest says exactly what runs (then `IfNotPresent` is the right policy), or use `Always` if the
tag really must float.

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
        imagePullPolicy: IfNotPresent
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
        imagePullPolicy: IfNotPresent
```

## References

- Kubernetes: [Images — image pull policy](https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy)
- Kubernetes: [Images — ImagePullBackOff and ErrImageNeverPull](https://kubernetes.io/docs/concepts/containers/images/#imagepullbackoff)
- Peers: kube-score `container-image-pull-policy` (asks for `Always`); kube-linter and Polaris only check the tag (`latest-tag`, `tagNotSpecified`)
"#),
};

impl Rule for ImagePullPolicyConflict {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            let (Some(image), Some(policy)) =
                (&container.image, container.node.get("imagePullPolicy"))
            else {
                continue;
            };
            if !image.is_latest_or_untagged() {
                continue;
            }
            let image_text = container
                .node
                .get("image")
                .and_then(Node::str)
                .unwrap_or_default();
            let (severity, consequence) = match policy.str() {
                Some("Never") => (
                    Severity::Error,
                    "the kubelet never pulls it, so pods on nodes without a local copy fail with ErrImageNeverPull and the others run whatever build that node happens to have",
                ),
                Some("IfNotPresent") => (
                    Severity::Warning,
                    "each node keeps the first copy it pulled, so after a push pods run different builds depending on their node and a redeploy does not pick up the new one",
                ),
                _ => continue,
            };
            let what = if image.tag.is_some() {
                "the moving `latest` tag"
            } else {
                "no tag (so `latest`)"
            };
            out.report(
                ws.file_of(container),
                policy.range,
                ws.container_ref(container),
                format!(
                    "{} uses image `{image_text}` with {what} and `imagePullPolicy: {}`: {consequence}",
                    ws.describe(container),
                    policy.str().unwrap_or_default(),
                ),
            )
            .severity = severity;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::rules::testing::*;

    const POD: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: seed
    image: busybox
    imagePullPolicy: Never
  containers:
  - name: api
    image: ghcr.io/acme/api:latest
    imagePullPolicy: IfNotPresent
  - name: always
    image: ghcr.io/acme/api:latest
    imagePullPolicy: Always
  - name: pinned
    image: ghcr.io/acme/api:1.2.3
    imagePullPolicy: Never
  - name: digest
    image: ghcr.io/acme/api:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    imagePullPolicy: IfNotPresent
  - {name: flow, image: \"redis\", imagePullPolicy: \"IfNotPresent\"}
  - name: default-policy
    image: ghcr.io/acme/api
  - name: templated
    image: \"{{ .Values.image }}\"
    imagePullPolicy: IfNotPresent
";

    #[test]
    fn fires_on_never_and_if_not_present_with_moving_images() {
        let found = check_yaml("KS106", POD);
        assert_eq!(lines(&found, POD), [8, 12, 22]);
        assert_eq!(
            spans(&found, POD),
            ["Never", "IfNotPresent", "\"IfNotPresent\""]
        );
        let severities: Vec<Severity> = found.iter().map(|f| f.severity).collect();
        assert_eq!(
            severities,
            [Severity::Error, Severity::Warning, Severity::Warning]
        );
        assert!(found[0]
            .message
            .contains("container `seed` of Pod/p uses image `busybox` with no tag"));
        assert!(found[0].message.contains("ErrImageNeverPull"));
    }
}

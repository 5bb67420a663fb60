//! KS301 configmap-subpath-no-reload.

use crate::finding::Severity;
use crate::k8s::ContainerKind;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct ConfigmapSubpathNoReload;

pub static META: RuleMeta = RuleMeta {
    code: "KS301",
    name: "configmap-subpath-no-reload",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary:
        "A ConfigMap, Secret or projected volume is mounted with `subPath` and never sees updates",
    help: "mount the whole volume as a directory and read the file from it",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports a `volumeMount` that uses `subPath` (or `subPathExpr`) on a volume whose source is a
`configMap`, a `secret` or a `projected` volume of the same pod.

## Why it matters

The kubelet refreshes ConfigMap and Secret volumes by writing the new files into a fresh
timestamped directory and swapping a `..data` symlink. A `subPath` mount binds one file of the
old directory into the container when it starts, so it is cut off from that swap: after
`kubectl apply` of a new ConfigMap or a rotated Secret the pod keeps reading the old content
until it is restarted. A Go service that watches its config file (fsnotify, viper's
`WatchConfig`) never gets an event, and a rotated TLS certificate or database password silently
stays stale until the old one expires and requests start failing.

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
        volumeMounts:
        - name: config
          mountPath: /etc/api/config.yaml
          subPath: config.yaml
      volumes:
      - name: config
        configMap: {name: api-config}
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
        args: ["--config=/etc/api/config.yaml"]
        volumeMounts:
        - name: config
          mountPath: /etc/api
      volumes:
      - name: config
        configMap: {name: api-config}
```

Mount the volume on its own directory (it may contain only the keys you list with `items`) and
point the program at the file inside it. If the file must appear at a fixed path in an existing
directory, restart the pods on change instead (a checksum annotation on the pod template).

## References

- Kubernetes: [ConfigMaps — mounted ConfigMaps are updated automatically](https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically)
- Kubernetes: [Volumes — using subPath](https://kubernetes.io/docs/concepts/storage/volumes/#using-subpath)
- Kubernetes: [Secrets — mounted Secrets are updated automatically](https://kubernetes.io/docs/concepts/configuration/secret/#mounted-secrets-are-updated-automatically)
"#
    ),
};

/// The kind of source of a pod volume that the kubelet refreshes in place.
fn refreshed_source(volume: &Node) -> Option<&'static str> {
    ["configMap", "secret", "projected"]
        .into_iter()
        .find(|key| volume.get(key).is_some_and(|v| !v.is_null()))
}

impl Rule for ConfigmapSubpathNoReload {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            if container.kind == ContainerKind::Init {
                continue;
            }
            let volumes = ws
                .pod_of(container)
                .spec
                .get("volumes")
                .map(Node::items)
                .unwrap_or_default();
            let mounts = container
                .node
                .get("volumeMounts")
                .map(Node::items)
                .unwrap_or_default();
            for mount in mounts {
                let Some(entry) = mount
                    .entry("subPath")
                    .or_else(|| mount.entry("subPathExpr"))
                else {
                    continue;
                };
                let Some(sub_path) = entry.value.str().filter(|s| !s.is_empty()) else {
                    continue;
                };
                let Some(volume_name) = mount.get("name").and_then(Node::str) else {
                    continue;
                };
                let Some(source) = volumes
                    .iter()
                    .rev()
                    .find(|v| v.get("name").and_then(Node::str) == Some(volume_name))
                    .and_then(refreshed_source)
                else {
                    continue;
                };
                let what = match source {
                    "configMap" => "ConfigMap",
                    "secret" => "Secret",
                    _ => "projected",
                };
                out.report(
                    ws.file_of(container),
                    entry.key.range,
                    ws.container_ref(container),
                    format!(
                        "{} mounts `{sub_path}` of {what} volume `{volume_name}` with `{}`: the file is copied once at start and never receives updates, so the pod keeps the old content until it restarts",
                        ws.describe(container),
                        entry.key.str().unwrap_or("subPath"),
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const DEPLOY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      initContainers:
      - name: init
        image: busybox:1.36
        volumeMounts:
        - {name: cfg, mountPath: /init/app.yaml, subPath: app.yaml}
      containers:
      - name: api
        image: ghcr.io/acme/api:1.2
        volumeMounts:
        - name: cfg
          mountPath: /etc/api/app.yaml
          subPath: app.yaml
        - name: tls
          mountPath: /etc/tls/tls.crt
          subPathExpr: tls.crt
        - name: all
          mountPath: /etc/all/x
          subPath: x
        - name: data
          mountPath: /data/db
          subPath: db
        - name: cfg
          mountPath: /etc/api/dir
        - {name: cfg, mountPath: /etc/flow.yaml, subPath: flow.yaml}
      volumes:
      - name: cfg
        configMap:
          name: api-config
      - name: tls
        secret: {secretName: api-tls}
      - name: all
        projected:
          sources:
          - configMap: {name: api-config}
      - name: data
        emptyDir: {}
";

    #[test]
    fn fires_on_refreshed_volumes() {
        let found = check_yaml("KS301", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [24, 27, 30, 36]);
        assert_eq!(
            spans(&found, DEPLOY),
            ["subPath", "subPathExpr", "subPath", "subPath"]
        );
        assert!(found[0]
            .message
            .contains("container `api` of Deployment/shop/api"));
        assert!(found[0].message.contains("ConfigMap volume `cfg`"));
        assert!(found[1].message.contains("Secret volume `tls`"));
        assert!(found[2].message.contains("projected volume `all`"));
        assert_eq!(found[0].object.container.as_deref(), Some("api"));
    }

    #[test]
    fn silent_on_other_volumes_and_directory_mounts() {
        let text = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: app:1
    volumeMounts:
    - {name: data, mountPath: /var/lib/x, subPath: x}
    - {name: cfg, mountPath: /etc/cfg}
    - {name: missing, mountPath: /etc/m, subPath: m}
    - {name: cfg, mountPath: /etc/e, subPath: ''}
  volumes:
  - {name: data, persistentVolumeClaim: {claimName: d}}
  - {name: cfg, configMap: {name: c}}
";
        assert!(check_yaml("KS301", text).is_empty());
    }
}

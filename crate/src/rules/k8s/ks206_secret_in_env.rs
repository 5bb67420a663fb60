//! KS206 secret-in-env.
//!
//! Every container, plain init containers included. Reported at the `env` item with
//! `valueFrom.secretKeyRef`, and at the `envFrom` item with `secretRef`.

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct SecretInEnv;

pub static META: RuleMeta = RuleMeta {
    code: "KS206",
    name: "secret-in-env",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "Secret exposed to the container as environment variables",
    help: "mount the Secret as a volume and read the file, which also picks up rotations",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports each `env` entry whose value comes from `valueFrom.secretKeyRef`, and each `envFrom`
entry with a `secretRef`, in every container (plain init containers included).

## Why it matters

Environment variables are the leakiest place for a secret. Every child process inherits them,
they are readable in `/proc/<pid>/environ` by anything running as the same user, crash
reporters and debug endpoints dump them (`/debug/vars` in a Go service publishes the command
line, and many error trackers attach the environment), and people paste them into tickets when
sharing `env` output. They are also fixed at container start: when the Secret is rotated,
running pods keep the old value until they restart, so a rotation needs a rollout and a missed
pod keeps failing authentication.

A Secret mounted as a volume is a file only the container's user can read, and the kubelet
updates it in place when the Secret changes (not with `subPath`, see KS301), so the service can
reload it without a restart.

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
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db-credentials, key: password}
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
        - name: DB_PASSWORD_FILE
          value: /etc/secrets/db/password
        volumeMounts:
        - {name: db-credentials, mountPath: /etc/secrets/db, readOnly: true}
      volumes:
      - name: db-credentials
        secret: {secretName: db-credentials, defaultMode: 0400}
```

## References

- Kubernetes: [Secrets — using Secrets as files from a Pod](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod)
- Kubernetes: [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
- Peers: kube-linter `read-secret-from-env-var` (off by default; CIS Benchmark 5.4.1); Polaris and kube-score have no equivalent
"#
    ),
};

impl Rule for SecretInEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            for item in container.env() {
                let Some(secret) = item.path(&["valueFrom", "secretKeyRef"]) else {
                    continue;
                };
                if secret.as_mapping().is_none() {
                    continue;
                }
                let var = item.get("name").and_then(Node::str).unwrap_or("?");
                let source = match (
                    secret.get("name").and_then(Node::str),
                    secret.get("key").and_then(Node::str),
                ) {
                    (Some(name), Some(key)) => format!("key `{key}` of Secret `{name}`"),
                    (Some(name), None) => format!("Secret `{name}`"),
                    _ => "a Secret".to_string(),
                };
                out.report(
                    ws.file_of(container),
                    item.range,
                    ws.container_ref(container),
                    format!(
                        "{} reads {source} into the environment variable `{var}`: child processes, crash dumps and debug output can expose it, and it keeps its old value after the Secret is rotated",
                        ws.describe(container)
                    ),
                );
            }
            for item in container
                .node
                .get("envFrom")
                .map(Node::items)
                .unwrap_or_default()
            {
                let Some(secret) = item.get("secretRef") else {
                    continue;
                };
                if secret.as_mapping().is_none() {
                    continue;
                }
                let source = secret
                    .get("name")
                    .and_then(Node::str)
                    .map_or("a Secret".to_string(), |n| format!("Secret `{n}`"));
                out.report(
                    ws.file_of(container),
                    item.range,
                    ws.container_ref(container),
                    format!(
                        "{} loads every key of {source} into its environment: child processes, crash dumps and debug output can expose them, and they keep their old values after the Secret is rotated",
                        ws.describe(container)
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
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers:
      - name: migrate
        image: ghcr.io/acme/migrate:1.0
        envFrom:
        - configMapRef: {name: api-config}
        - secretRef:
            name: db-credentials
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        env:
        - name: GOMEMLIMIT
          valueFrom:
            resourceFieldRef: {resource: limits.memory}
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db-credentials
              key: password
        - {name: API_TOKEN, valueFrom: {secretKeyRef: {name: tokens, key: api}}}
        - name: REGION
          valueFrom:
            configMapKeyRef: {name: api-config, key: region}
        - name: DB_PASSWORD_FILE
          value: /etc/secrets/db/password
";

    #[test]
    fn fires_at_env_and_env_from_items() {
        let found = check_yaml("KS206", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [14, 23, 28]);
        assert_eq!(
            spans(&found, DEPLOY)[2],
            "{name: API_TOKEN, valueFrom: {secretKeyRef: {name: tokens, key: api}}}"
        );
        assert!(spans(&found, DEPLOY)[0].starts_with("secretRef:"));
        assert!(spans(&found, DEPLOY)[1].starts_with("name: DB_PASSWORD"));
        assert!(found[0].message.contains(
            "container `migrate` of Deployment/shop/api loads every key of Secret `db-credentials`"
        ));
        assert!(found[1]
            .message
            .contains("reads key `password` of Secret `db-credentials` into the environment variable `DB_PASSWORD`"));
    }
}

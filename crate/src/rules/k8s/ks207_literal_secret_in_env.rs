//! KS207 literal-secret-in-env.
//!
//! Every container, plain init containers included. The name is split into words (`_`, `-`,
//! `.` and camelCase boundaries); it looks secret when a word is (or ends with) PASSWORD,
//! PASSWD, PASSPHRASE, SECRET, TOKEN, CREDENTIAL(S), APIKEY, or two words read API KEY, PRIVATE
//! KEY or ACCESS KEY. Not secret: names whose last word describes the secret rather than holds
//! it (`*_FILE`, `*_PATH`, `*_NAME`, `*_TTL`, `*_URL`, `*_ID`, ...) or that count things
//! (`MAX_TOKENS`). Values that are empty, booleans, `$(VAR)` references, template placeholders,
//! absolute paths or references to an external secret store are not literals worth reporting.

use crate::finding::Severity;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct LiteralSecretInEnv;

pub static META: RuleMeta = RuleMeta {
    code: "KS207",
    name: "literal-secret-in-env",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "Secret-looking environment variable with a literal value in the manifest",
    help: "move the value to a Secret and mount it as a file (or at least use `valueFrom.secretKeyRef`)",
    fix: FixAvailability::Advice,
    docs: rule_docs!(r#"## What it does

Reports an `env` entry with a literal `value` whose name looks like it holds a secret: it
contains the word `PASSWORD`, `PASSWD`, `PASSPHRASE`, `SECRET`, `TOKEN`, `CREDENTIALS`,
`APIKEY`/`API_KEY`, `PRIVATE_KEY` or `ACCESS_KEY` (case-insensitive, as a word of the name:
`DB_PASSWORD`, `dbPassword`, `PGPASSWORD`, `GITHUB_TOKEN`). The message never repeats the value.

To keep false positives down, these are not reported:

- names whose last word says what the value *is about* rather than being the secret:
  `PASSWORD_FILE`, `GITHUB_TOKEN_PATH`, `SECRET_NAME`, `TOKEN_TTL`, `TOKEN_URL`,
  `AWS_ACCESS_KEY_ID`, `PASSWORD_MIN_LENGTH`, ... and counters such as `MAX_TOKENS`;
- values that are empty, booleans (`"true"`), `$(OTHER_VAR)` references, unrendered template
  placeholders (`${DB_PASSWORD}`, `{{ .Values.password }}`), absolute paths, or references
  resolved by a secret-injection tool (`vault:secret/...`, `ref+vault://...`,
  `arn:aws:secretsmanager:...`, `berglas://...`, `sm://...`).

## Why it matters

A value written in a manifest is a secret in plain text in every copy of that manifest: the Git
history (forever, even after it is "removed"), CI logs that print rendered templates, `kubectl
get deployment -o yaml` for anyone with read access to Deployments (a much wider group than
those allowed to read Secrets), and backups of etcd. Rotating it means editing and redeploying
the workload, so in practice it is never rotated.

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
          value: s3cr3t-Pa55
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
        - name: TOKEN_TTL
          value: 15m
        - name: MAX_TOKENS
          value: "4096"
        volumeMounts:
        - {name: db, mountPath: /etc/secrets/db, readOnly: true}
      volumes:
      - name: db
        secret: {secretName: db-credentials}
```

## References

- Kubernetes: [Secrets](https://kubernetes.io/docs/concepts/configuration/secret/)
- Kubernetes: [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
- Peers: kube-linter `env-var-secret`, Polaris has no built-in equivalent; secret scanners (gitleaks, trufflehog) catch known token formats
"#),
};

/// Words that make a name look secret (also matched as the end of a longer word, and plural).
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "CREDENTIAL",
    "CREDENTIALS",
    "APIKEY",
    "PRIVATEKEY",
    "ACCESSKEY",
];

/// First words of two-word names that, followed by KEY, look secret.
const KEY_PREFIXES: &[&str] = &["API", "PRIVATE", "ACCESS"];

/// Last words that describe a secret rather than hold it.
const DESCRIPTORS: &[&str] = &[
    "FILE",
    "FILES",
    "PATH",
    "DIR",
    "DIRECTORY",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "NAME",
    "NAMES",
    "REF",
    "KEYREF",
    "ID",
    "USER",
    "USERNAME",
    "LOCATION",
    "MOUNT",
    "TTL",
    "TIMEOUT",
    "EXPIRY",
    "EXPIRE",
    "EXPIRES",
    "EXPIRATION",
    "DURATION",
    "LIFETIME",
    "INTERVAL",
    "AGE",
    "SECONDS",
    "MINUTES",
    "HOURS",
    "DAYS",
    "LENGTH",
    "LEN",
    "SIZE",
    "LIMIT",
    "COUNT",
    "MAX",
    "MIN",
    "RETRIES",
    "ENABLED",
    "DISABLED",
    "REQUIRED",
    "TYPE",
    "MODE",
    "HEADER",
    "AUDIENCE",
    "ISSUER",
    "SCOPE",
    "SCOPES",
    "ALGORITHM",
    "VERSION",
    "FORMAT",
    "POLICY",
    "PROVIDER",
];

/// First words of counters: `MAX_TOKENS`, `NUM_TOKENS`.
const COUNTER_PREFIXES: &[&str] = &["MAX", "MIN", "NUM"];

/// Prefixes of values that point at an external secret store instead of holding the secret.
const REFERENCE_PREFIXES: &[&str] = &[
    "vault:",
    "ref+",
    "arn:aws:secretsmanager:",
    "arn:aws:ssm:",
    "berglas://",
    "sm://",
    "gcp:secretmanager:",
    "azurekeyvault://",
    "@Microsoft.KeyVault(",
    "file://",
];

/// Splits an environment variable name into upper-case words at `_`, `-`, `.` and camelCase
/// boundaries: `dbPassword` → `DB`, `PASSWORD`.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Does the name look like it holds a secret?
pub(crate) fn looks_secret(name: &str) -> bool {
    let words = words(name);
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if DESCRIPTORS.contains(&last.as_str()) && words.len() > 1 {
        return false;
    }
    if COUNTER_PREFIXES.contains(&first.as_str()) {
        return false;
    }
    let secret_word = words.iter().any(|w| {
        let singular = w.strip_suffix('S').unwrap_or(w);
        SECRET_WORDS
            .iter()
            .any(|s| w.ends_with(s) || singular.ends_with(s))
    });
    let key_pair = words.windows(2).any(|pair| {
        KEY_PREFIXES.contains(&pair[0].as_str()) && (pair[1] == "KEY" || pair[1] == "KEYS")
    });
    secret_word || key_pair
}

/// Is the value a literal that may be a secret (not empty, a boolean, a reference or a path)?
fn is_literal_secret_value(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return false;
    }
    if matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off"
    ) {
        return false;
    }
    if has_var_reference(v) || v.contains("${") || v.contains("{{") {
        return false;
    }
    if v.starts_with('/') || REFERENCE_PREFIXES.iter().any(|p| v.starts_with(p)) {
        return false;
    }
    true
}

/// Contains a Kubernetes `$(VAR)` reference (not the `$$(VAR)` escape).
fn has_var_reference(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' {
            if bytes[i + 1] == b'$' {
                i += 2;
                continue;
            }
            if bytes[i + 1] == b'(' {
                if let Some(close) = value[i + 2..].find(')') {
                    let name = &value[i + 2..i + 2 + close];
                    if !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                    {
                        return true;
                    }
                }
            }
        }
        i += 1;
    }
    false
}

impl Rule for LiteralSecretInEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for container in &ws.containers {
            for item in container.env() {
                let (Some(name), Some(value)) = (
                    item.get("name").and_then(Node::str),
                    item.get("value").filter(|v| !v.is_null()),
                ) else {
                    continue;
                };
                let Some(text) = value.as_scalar().map(|s| s.text.as_str()) else {
                    continue;
                };
                if !looks_secret(name) || !is_literal_secret_value(text) {
                    continue;
                }
                out.report(
                    ws.file_of(container),
                    value.range,
                    ws.container_ref(container),
                    format!(
                        "{} sets `{name}` to a literal value in the manifest: anyone who can read the manifest (its Git history, CI logs, `kubectl get -o yaml`) can read the secret, and rotating it means redeploying",
                        ws.describe(container)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_literal_secret_value, looks_secret};
    use crate::rules::testing::*;

    #[test]
    fn secret_names() {
        for name in [
            "DB_PASSWORD",
            "db_password",
            "dbPassword",
            "PGPASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "REDIS_PASSWD",
            "GITHUB_TOKEN",
            "AUTH_TOKENS",
            "CLIENT_SECRET",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY_BASE",
            "STRIPE_API_KEY",
            "SENDGRID_APIKEY",
            "SSH_PRIVATE_KEY",
            "MINIO_ACCESS_KEY",
            "GOOGLE_APPLICATION_CREDENTIALS_JSON",
            "KEY_PASSPHRASE",
            "apiKey",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in [
            "PASSWORD_FILE",
            "GITHUB_TOKEN_PATH",
            "SECRET_NAME",
            "TOKEN_TTL",
            "TOKEN_URL",
            "OAUTH_TOKEN_ENDPOINT",
            "AWS_ACCESS_KEY_ID",
            "PASSWORD_MIN_LENGTH",
            "MAX_TOKENS",
            "TOKENIZER_MODEL",
            "PASSTHROUGH",
            "PWD",
            "KEY",
            "CACHE_KEY_PREFIX",
            "SECRETS_DIR",
            "JWT_TOKEN_EXPIRATION",
            "DB_USER",
            "",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn literal_values() {
        assert!(is_literal_secret_value("hunter2"));
        assert!(is_literal_secret_value("1234"));
        assert!(is_literal_secret_value("$$(NOT_A_REF)x"));
        for v in [
            "",
            "  ",
            "true",
            "On",
            "$(DB_PASS)",
            "prefix-$(DB_PASS)",
            "${DB_PASSWORD}",
            "{{ .Values.db.password }}",
            "/var/run/secrets/token",
            "vault:secret/data/db#password",
            "ref+vault://secret/db#/password",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
        ] {
            assert!(!is_literal_secret_value(v), "{v:?}");
        }
    }

    const DEPLOY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers:
      - name: wait
        image: busybox:1.36
        env: [{name: REDIS_PASSWORD, value: 'changeme'}]
      containers:
      - name: api
        image: ghcr.io/acme/api:1.0
        env:
        - name: DB_PASSWORD
          value: hunter2
        - name: DB_PASSWORD_FILE
          value: /etc/secrets/db/password
        - name: API_TOKEN
          valueFrom:
            secretKeyRef: {name: tokens, key: api}
        - name: DSN
          value: postgres://app:$(DB_PASSWORD)@db:5432/app
        - name: SESSION_SECRET
          value: \"\"
        - name: ENABLE_TOKEN_AUTH
          value: \"true\"
        - name: STRIPE_API_KEY
          value: >-
            sk_live_0123456789abcdef
";

    #[test]
    fn fires_at_the_value_without_echoing_it() {
        let found = check_yaml("KS207", DEPLOY);
        assert_eq!(lines(&found, DEPLOY), [12, 18, 32]);
        assert_eq!(spans(&found, DEPLOY)[..2], ["'changeme'", "hunter2"]);
        for f in &found {
            assert!(!f.message.contains("changeme"));
            assert!(!f.message.contains("hunter2"));
            assert!(!f.message.contains("sk_live"));
        }
        assert!(found[1]
            .message
            .contains("container `api` of Deployment/api sets `DB_PASSWORD` to a literal value"));
    }
}

//! Container image references (`registry:5000/org/app:1.2@sha256:...`) and the classifications
//! rules need (scratch / distroless / alpine / golang base images, well-known non-Go images).
//!
//! Parsing is best effort and never fails: references containing unexpanded variables
//! (`$REPO/app:${TAG}`, Helm `{{ .Values.tag }}`) are split the same way and their text kept as
//! written.

use crate::goversion::GoVersion;

/// A parsed container image reference, following docker/distribution's reference grammar
/// `[registry/]repository[:tag][@digest]` without normalisation (`nginx` stays `nginx`, it does
/// not become `docker.io/library/nginx`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// Registry host (with optional port), e.g. `ghcr.io`, `registry:5000`, `localhost`; `None`
    /// when the reference does not name one (Docker Hub).
    pub registry: Option<String>,
    /// Repository path as written, minus the registry: `nginx`, `library/nginx`, `org/app`.
    pub repository: String,
    /// Tag, e.g. `1.22-alpine`.
    pub tag: Option<String>,
    /// Digest, e.g. `sha256:0123...`.
    pub digest: Option<String>,
}

/// Last repository path segments of well-known images that do not run a Go program.
///
/// Matched case-insensitively against [`ImageRef::last_segment`], whatever the registry or
/// organisation (so `bitnami/redis`, `quay.io/.../redis` and `redis` all match). Go programs
/// (grafana, traefik, prometheus, consul, vault, etcd, coredns, caddy, minio, otel collector,
/// jaeger, loki, nats, ...) are deliberately absent.
pub const WELL_KNOWN_NON_GO_NAMES: &[&str] = &[
    // Web servers and proxies (C/C++).
    "nginx",
    "nginx-unprivileged",
    "openresty",
    "httpd",
    "haproxy",
    "envoy",
    "varnish",
    "squid",
    // Data stores and brokers.
    "redis",
    "valkey",
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "memcached",
    "rabbitmq",
    "elasticsearch",
    "opensearch",
    "kafka",
    "zookeeper",
    "cassandra",
    // Observability tools not written in Go.
    "kibana",
    "logstash",
    "fluentd",
    "fluent-bit",
    // Language runtimes and general-purpose OS images used as application images.
    "python",
    "node",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "ibm-semeru-runtimes",
    "tomcat",
    "ruby",
    "php",
    "perl",
    "busybox",
    "alpine",
    "ubuntu",
    "debian",
    // Small utilities.
    "curl",
    "pause",
];

/// Repository path suffixes (matched case-insensitively against the repository, on a `/`
/// boundary) of well-known non-Go images whose last segment alone is too generic.
pub const WELL_KNOWN_NON_GO_PATHS: &[&str] =
    &["istio/proxyv2", "envoyproxy/envoy", "timberio/vector"];

/// Prefixes of `gcr.io/distroless/<name>` image names that ship a non-Go language runtime
/// (`distroless/java17-debian12`, `distroless/python3-debian12`, `distroless/nodejs20-debian12`).
pub const DISTROLESS_NON_GO_PREFIXES: &[&str] = &["java", "python", "nodejs"];

/// Repository path prefixes of well-known non-Go image families (e.g. every
/// `mcr.microsoft.com/dotnet/*` image). Matched case-insensitively against the repository.
pub const WELL_KNOWN_NON_GO_PREFIXES: &[&str] = &["dotnet/"];

impl ImageRef {
    /// Parses an image reference. Never fails; see the module documentation.
    ///
    /// The first path segment is the registry iff there is more than one segment and it contains
    /// a `.` or a `:`, or is `localhost` (docker/distribution rules). The tag is what follows the
    /// last `:` of the last path segment; the digest is what follows the first `@`.
    pub fn parse(text: &str) -> ImageRef {
        let text = text.trim();
        let (name, digest) = match text.split_once('@') {
            Some((name, digest)) => (name, Some(digest.to_string())),
            None => (text, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), rest)
            }
            _ => (None, name),
        };
        let last_slash = path.rfind('/').map_or(0, |index| index + 1);
        let (repository, tag) = match path.get(last_slash..).and_then(|last| last.rfind(':')) {
            Some(colon) => {
                let split = last_slash + colon;
                (
                    path.get(..split).unwrap_or(path),
                    path.get(split + 1..).map(str::to_string),
                )
            }
            None => (path, None),
        };
        ImageRef {
            registry,
            repository: repository.to_string(),
            tag,
            digest,
        }
    }

    /// The repository's last path segment: `ghcr.io/acme/payments-api:1.4` → `payments-api`.
    pub fn last_segment(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }

    /// Whether the reference contains unexpanded variables or templates (`$`, `{{`).
    pub fn has_variables(&self) -> bool {
        let has = |text: &str| text.contains('$') || text.contains("{{");
        self.registry.as_deref().is_some_and(has)
            || has(&self.repository)
            || self.tag.as_deref().is_some_and(has)
            || self.digest.as_deref().is_some_and(has)
    }

    /// Whether the image floats: no tag and no digest, or the tag `latest` without a digest.
    ///
    /// A digest pins the image, so `app:latest@sha256:...` is not floating. `scratch` (which
    /// cannot be tagged) is never floating, and neither is a reference whose last segment
    /// contains a variable (`$IMAGE`, `{{ .Values.image }}`), as the variable may carry a tag.
    pub fn is_latest_or_untagged(&self) -> bool {
        if self.digest.is_some() || self.is_scratch() {
            return false;
        }
        match self.tag.as_deref() {
            Some(tag) => tag == "latest",
            None => {
                let last = self.last_segment();
                !(last.contains('$') || last.contains("{{") || last.contains('}'))
            }
        }
    }

    /// `scratch`: the empty image.
    pub fn is_scratch(&self) -> bool {
        self.registry.is_none() && self.repository.eq_ignore_ascii_case("scratch")
    }

    /// Distroless "static" images (`gcr.io/distroless/static*`, `cgr.dev/chainguard/static`):
    /// no libc, no shell (except `:debug*` tags).
    pub fn is_distroless_static(&self) -> bool {
        let (parent, last) = self.parent_and_last();
        (parent.eq_ignore_ascii_case("distroless") && starts_with_ignore_case(&last, "static"))
            || (parent.eq_ignore_ascii_case("chainguard") && last.eq_ignore_ascii_case("static"))
    }

    /// Distroless "base" images with a libc (`gcr.io/distroless/base*`, `distroless/cc*`).
    pub fn is_distroless_base(&self) -> bool {
        let (parent, last) = self.parent_and_last();
        parent.eq_ignore_ascii_case("distroless")
            && (starts_with_ignore_case(&last, "base") || starts_with_ignore_case(&last, "cc"))
    }

    /// A base image without a shell: `scratch`, or a distroless static/base image whose tag is not
    /// a `debug` (busybox) or `-dev` variant.
    pub fn is_static_base(&self) -> bool {
        if self.is_scratch() {
            return true;
        }
        let shell_variant = self.tag.as_deref().is_some_and(|tag| {
            let tag = tag.to_ascii_lowercase();
            tag.contains("debug") || tag.ends_with("-dev")
        });
        (self.is_distroless_static() || self.is_distroless_base()) && !shell_variant
    }

    /// Alpine-based: repository `alpine`, or a tag mentioning alpine (`golang:1.22-alpine`,
    /// `nginx:alpine3.20`).
    pub fn is_alpine(&self) -> bool {
        self.last_segment().eq_ignore_ascii_case("alpine")
            || self
                .tag
                .as_deref()
                .is_some_and(|tag| tag.to_ascii_lowercase().contains("alpine"))
    }

    /// The official Go image: repository `golang`, or any repository ending in `library/golang`
    /// (`docker.io/library/golang`, `public.ecr.aws/docker/library/golang`, mirrors).
    pub fn is_golang(&self) -> bool {
        let repository = self.repository.to_ascii_lowercase();
        repository == "golang"
            || repository == "library/golang"
            || repository.ends_with("/library/golang")
    }

    /// The Go version of an official Go image, from its tag: `golang:1.22.3-alpine3.19` →
    /// `1.22.3`, `golang:1.25rc1` → `1.25`; `None` for `golang:alpine`, `golang:latest`, an
    /// untagged reference or a non-Go image.
    pub fn golang_version(&self) -> Option<GoVersion> {
        if !self.is_golang() {
            return None;
        }
        GoVersion::parse(self.tag.as_deref()?)
    }

    /// Whether this is a well-known image that does not run a Go program (databases, web servers,
    /// other language runtimes, ...): see [`WELL_KNOWN_NON_GO_NAMES`],
    /// [`WELL_KNOWN_NON_GO_PATHS`], [`WELL_KNOWN_NON_GO_PREFIXES`] and
    /// [`DISTROLESS_NON_GO_PREFIXES`].
    pub fn is_well_known_non_go(&self) -> bool {
        let repository = self.repository.to_ascii_lowercase();
        let last = self.last_segment();
        WELL_KNOWN_NON_GO_NAMES
            .iter()
            .any(|name| last.eq_ignore_ascii_case(name))
            || WELL_KNOWN_NON_GO_PATHS.iter().any(|path| {
                repository == *path
                    || repository
                        .strip_suffix(path)
                        .is_some_and(|start| start.ends_with('/'))
            })
            || {
                let (parent, last) = self.parent_and_last();
                parent.eq_ignore_ascii_case("distroless")
                    && DISTROLESS_NON_GO_PREFIXES
                        .iter()
                        .any(|prefix| starts_with_ignore_case(&last, prefix))
            }
            || WELL_KNOWN_NON_GO_PREFIXES
                .iter()
                .any(|prefix| repository.starts_with(prefix))
    }

    /// The repository's second-to-last segment (empty when none) and its last segment.
    fn parent_and_last(&self) -> (&str, String) {
        let mut segments = self.repository.rsplit('/');
        let last = segments.next().unwrap_or("").to_string();
        let parent = segments.next().unwrap_or("");
        (parent, last)
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

impl ImageRef {
    /// Registry and repository without tag or digest, e.g. `ghcr.io/acme/api`.
    pub fn name(&self) -> String {
        match &self.registry {
            Some(registry) => format!("{registry}/{}", self.repository),
            None => self.repository.clone(),
        }
    }
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(
        registry: Option<&str>,
        repository: &str,
        tag: Option<&str>,
        digest: Option<&str>,
    ) -> ImageRef {
        ImageRef {
            registry: registry.map(str::to_string),
            repository: repository.to_string(),
            tag: tag.map(str::to_string),
            digest: digest.map(str::to_string),
        }
    }

    #[test]
    fn parses_references() {
        assert_eq!(ImageRef::parse("nginx"), image(None, "nginx", None, None));
        assert_eq!(
            ImageRef::parse("library/nginx:1.27"),
            image(None, "library/nginx", Some("1.27"), None)
        );
        assert_eq!(
            ImageRef::parse("registry:5000/org/app:1.2@sha256:abcd"),
            image(
                Some("registry:5000"),
                "org/app",
                Some("1.2"),
                Some("sha256:abcd")
            )
        );
        assert_eq!(
            ImageRef::parse("registry:5000/org/app"),
            image(Some("registry:5000"), "org/app", None, None)
        );
        assert_eq!(
            ImageRef::parse("localhost/app"),
            image(Some("localhost"), "app", None, None)
        );
        assert_eq!(
            ImageRef::parse("localhost:5000/app:dev"),
            image(Some("localhost:5000"), "app", Some("dev"), None)
        );
        // A lone `localhost` is a repository, not a registry.
        assert_eq!(
            ImageRef::parse("localhost"),
            image(None, "localhost", None, None)
        );
        assert_eq!(
            ImageRef::parse("ghcr.io/org/app:v1"),
            image(Some("ghcr.io"), "org/app", Some("v1"), None)
        );
        assert_eq!(
            ImageRef::parse("gcr.io/distroless/static-debian12:nonroot"),
            image(
                Some("gcr.io"),
                "distroless/static-debian12",
                Some("nonroot"),
                None
            )
        );
        assert_eq!(
            ImageRef::parse("$REPO/app:${TAG}"),
            image(None, "$REPO/app", Some("${TAG}"), None)
        );
        assert_eq!(
            ImageRef::parse("golang@sha256:0123"),
            image(None, "golang", None, Some("sha256:0123"))
        );
        assert_eq!(
            ImageRef::parse("  nginx:1.27  "),
            image(None, "nginx", Some("1.27"), None)
        );
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let long = "a/".repeat(50_000);
        for text in [
            "",
            ":",
            "@",
            "/",
            "//",
            ":::",
            "a:",
            "@@@",
            "é/ü:ß@☃",
            "ghcr.io/",
            "x.y/",
            "{{ .Values.image }}",
            long.as_str(),
        ] {
            let parsed = ImageRef::parse(text);
            let _ = parsed.last_segment();
            let _ = parsed.is_latest_or_untagged();
            let _ = parsed.is_static_base();
            let _ = parsed.is_alpine();
            let _ = parsed.golang_version();
            let _ = parsed.is_well_known_non_go();
            let _ = parsed.has_variables();
        }
        assert_eq!(ImageRef::parse("").repository, "");
        assert_eq!(ImageRef::parse("a:").tag.as_deref(), Some(""));
        assert_eq!(
            ImageRef::parse("é/ü:ß@☃"),
            image(None, "é/ü", Some("ß"), Some("☃"))
        );
    }

    #[test]
    fn last_segment() {
        assert_eq!(
            ImageRef::parse("ghcr.io/acme/payments-api:1.4").last_segment(),
            "payments-api"
        );
        assert_eq!(ImageRef::parse("nginx").last_segment(), "nginx");
        assert_eq!(
            ImageRef::parse("registry:5000/a/b/c@sha256:1").last_segment(),
            "c"
        );
    }

    #[test]
    fn latest_or_untagged() {
        assert!(ImageRef::parse("nginx").is_latest_or_untagged());
        assert!(ImageRef::parse("nginx:latest").is_latest_or_untagged());
        assert!(ImageRef::parse("registry:5000/org/app").is_latest_or_untagged());
        assert!(ImageRef::parse("${REGISTRY}/app").is_latest_or_untagged());
        assert!(!ImageRef::parse("nginx:1.27").is_latest_or_untagged());
        assert!(!ImageRef::parse("nginx@sha256:1").is_latest_or_untagged());
        assert!(!ImageRef::parse("nginx:latest@sha256:1").is_latest_or_untagged());
        assert!(!ImageRef::parse("scratch").is_latest_or_untagged());
        assert!(!ImageRef::parse("$IMAGE").is_latest_or_untagged());
        assert!(!ImageRef::parse("${IMAGE}").is_latest_or_untagged());
        assert!(!ImageRef::parse("{{ .Values.image }}").is_latest_or_untagged());
        assert!(!ImageRef::parse("$REPO/app:${TAG}").is_latest_or_untagged());
        assert!(ImageRef::parse("$REPO/app:${TAG}").has_variables());
        assert!(!ImageRef::parse("nginx:1").has_variables());
    }

    #[test]
    fn base_kinds() {
        let scratch = ImageRef::parse("scratch");
        assert!(scratch.is_scratch() && scratch.is_static_base());
        assert!(!ImageRef::parse("example.com/scratch").is_scratch());

        for text in [
            "gcr.io/distroless/static",
            "gcr.io/distroless/static-debian12:nonroot",
            "gcr.io/distroless/static-debian11@sha256:1",
            "cgr.dev/chainguard/static:latest",
        ] {
            let parsed = ImageRef::parse(text);
            assert!(parsed.is_distroless_static(), "{text}");
            assert!(!parsed.is_distroless_base(), "{text}");
            assert!(parsed.is_static_base(), "{text}");
        }
        for text in [
            "gcr.io/distroless/base",
            "gcr.io/distroless/base-debian12:nonroot",
            "gcr.io/distroless/base-nossl-debian12",
            "gcr.io/distroless/cc-debian12",
        ] {
            let parsed = ImageRef::parse(text);
            assert!(parsed.is_distroless_base(), "{text}");
            assert!(!parsed.is_distroless_static(), "{text}");
            assert!(parsed.is_static_base(), "{text}");
        }
        let debug = ImageRef::parse("gcr.io/distroless/static-debian12:debug-nonroot");
        assert!(debug.is_distroless_static() && !debug.is_static_base());
        for text in [
            "alpine",
            "golang:1.22",
            "gcr.io/distroless/java17-debian12",
            "ubuntu",
        ] {
            assert!(!ImageRef::parse(text).is_static_base(), "{text}");
        }
    }

    #[test]
    fn alpine_and_golang() {
        assert!(ImageRef::parse("alpine:3.20").is_alpine());
        assert!(ImageRef::parse("golang:1.22-alpine").is_alpine());
        assert!(ImageRef::parse("nginx:ALPINE").is_alpine());
        assert!(!ImageRef::parse("golang:1.22-bookworm").is_alpine());
        assert!(!ImageRef::parse("debian").is_alpine());

        for text in [
            "golang",
            "golang:1.22",
            "library/golang:1.22",
            "docker.io/library/golang:1.22",
            "public.ecr.aws/docker/library/golang:1.22",
        ] {
            assert!(ImageRef::parse(text).is_golang(), "{text}");
        }
        assert!(!ImageRef::parse("acme/golang-tools").is_golang());
        assert!(!ImageRef::parse("ghcr.io/acme/golang").is_golang());

        let version = |text: &str| ImageRef::parse(text).golang_version();
        assert_eq!(version("golang:1.22"), Some(GoVersion::new(1, 22)));
        assert_eq!(
            version("golang:1.22.3-alpine3.19").map(|v| v.to_string()),
            Some("1.22.3".to_string())
        );
        assert_eq!(version("golang:1.21-bookworm"), Some(GoVersion::new(1, 21)));
        assert_eq!(version("golang:1.25rc1"), Some(GoVersion::new(1, 25)));
        assert_eq!(
            version("docker.io/library/golang:1.23@sha256:1"),
            Some(GoVersion::new(1, 23))
        );
        assert_eq!(version("golang:alpine"), None);
        assert_eq!(version("golang:latest"), None);
        assert_eq!(version("golang"), None);
        assert_eq!(version("golang:1"), None);
        assert_eq!(version("node:1.22"), None);
    }

    #[test]
    fn well_known_non_go() {
        for text in [
            "nginx",
            "nginxinc/nginx-unprivileged:1.27-alpine",
            "redis:7",
            "bitnami/redis:7.2",
            "quay.io/bitnami/postgresql",
            "postgres:16",
            "mysql",
            "mariadb",
            "mongo:7",
            "memcached",
            "envoyproxy/envoy:v1.31",
            "docker.io/istio/proxyv2:1.23.0",
            "busybox:1.36",
            "alpine:3.20",
            "python:3.12-slim",
            "node:20",
            "openjdk:21",
            "eclipse-temurin:21-jre",
            "amazoncorretto:21",
            "ruby:3.3",
            "php:8.3-fpm",
            "httpd:2.4",
            "haproxy:3.0",
            "rabbitmq:3-management",
            "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
            "docker.elastic.co/kibana/kibana:8.15.0",
            "fluent/fluentd:v1.17",
            "cr.fluentbit.io/fluent/fluent-bit:3.1",
            "registry.k8s.io/pause:3.10",
            "curlimages/curl:8.9.1",
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "mcr.microsoft.com/dotnet/runtime-deps:8.0",
            "gcr.io/distroless/java17-debian12",
            "gcr.io/distroless/python3-debian12",
            "gcr.io/distroless/nodejs20-debian12",
            "REDIS",
        ] {
            assert!(ImageRef::parse(text).is_well_known_non_go(), "{text}");
        }
        for text in [
            "grafana/grafana:11.2.0",
            "traefik:v3.1",
            "prom/prometheus",
            "otel/opentelemetry-collector-contrib",
            "hashicorp/vault",
            "ghcr.io/acme/payments-api:1.4",
            "golang:1.22",
            "gcr.io/distroless/static-debian12",
            "scratch",
            "",
            "registry.k8s.io/ingress-nginx/controller:v1.11.2",
            "acme/proxyv2-tools",
        ] {
            assert!(!ImageRef::parse(text).is_well_known_non_go(), "{text}");
        }
    }
}

//! DF015 go-version-old.

use crate::dockerfile::facts::{chain, stage_runs_go_build};
use crate::dockerfile::{Dockerfile, Stage};
use crate::finding::{ObjectRef, Severity};
use crate::goversion::{GoVersion, CONTAINER_AWARE_GOMAXPROCS_SINCE, GOMEMLIMIT_SINCE};
use crate::image::ImageRef;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

pub struct GoVersionOld;

pub static META: RuleMeta = RuleMeta {
    code: "DF015",
    name: "go-version-old",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "The builder's Go version predates GOMEMLIMIT or container-aware GOMAXPROCS",
    help: "build with golang:1.25 or newer",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports the image of a `FROM golang:<version>` build stage whose Go version is older than 1.25,
in two steps:

- before Go 1.19 the runtime has no soft memory limit: `GOMEMLIMIT` is ignored;
- before Go 1.25 the default `GOMAXPROCS` is the number of CPUs of the node, not the
  container's CPU limit.

The version comes from the tag after build-argument defaults are substituted
(`ARG GO_VERSION=1.22` + `FROM golang:${GO_VERSION}-alpine`). A `GOTOOLCHAIN=go1.25.1` set in the
stage (ENV, ARG or inline in a `RUN`) counts as the version actually used. Tags without a version
(`golang:alpine`, `golang:latest`) are not reported, nor are `golang` stages that only serve
other purposes when another stage runs the build. The Go toolchain that `GOTOOLCHAIN=auto`
downloads because of a newer `go`/`toolchain` line in `go.mod` is invisible to the rule.

## Why it matters

The Go version of the builder decides how the runtime behaves in a pod:

- Without `GOMEMLIMIT` (Go < 1.19), the garbage collector sizes the heap only by `GOGC`: a
  service with a 512 MiB limit lets its heap double after each collection and is OOMKilled
  under a burst, although half the memory was garbage.
- Without container-aware `GOMAXPROCS` (Go < 1.25), a pod limited to 2 CPUs on a 64-core node
  runs 64 Ps: the CFS quota is used up in a few milliseconds of each 100 ms period and the
  process is throttled for the rest, which shows up as p99 latency spikes. The workaround is to
  set `GOMAXPROCS` from `limits.cpu` (or use `go.uber.org/automaxprocs`); Go 1.25 does it by
  default.

Shoal's manifest rules use the same version (GO004, GO007) when the Dockerfile is paired with a
container.

## Example

```dockerfile bad
FROM golang:1.21-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```dockerfile good
FROM golang:1.25-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

## References

- Go: [Go 1.19 release notes — soft memory limit](https://go.dev/doc/go1.19#runtime)
- Go: [A guide to the Go garbage collector — memory limit](https://go.dev/doc/gc-guide#Memory_limit)
- Go: [Go 1.25 release notes — container-aware GOMAXPROCS](https://go.dev/doc/go1.25#runtime)
- Go: [Go toolchains and `GOTOOLCHAIN`](https://go.dev/doc/toolchain)
- Kubernetes: [CPU limits and the CFS quota](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#how-pods-with-resource-limits-are-run)
"#
    ),
};

/// The newest Go version a `GOTOOLCHAIN=goX.Y[.Z][+auto|+path]` in the stage asks for.
fn toolchain_version(df: &Dockerfile, stage: &Stage) -> Option<GoVersion> {
    let mut best: Option<GoVersion> = None;
    for inst in df.stage_instructions(stage) {
        let Some(text) = inst.shell_text() else {
            continue;
        };
        let mut rest = text.text.as_str();
        while let Some(at) = rest.find("GOTOOLCHAIN") {
            rest = rest.get(at + "GOTOOLCHAIN".len()..).unwrap_or("");
            let value = rest
                .trim_start_matches(['=', ' ', '\t'])
                .trim_start_matches(['"', '\'']);
            let version = value
                .strip_prefix("go")
                .and_then(|v| GoVersion::parse(v.split('+').next().unwrap_or(v)));
            if let Some(v) = version {
                best = Some(best.map_or(v, |b| b.max(v)));
            }
        }
    }
    best
}

impl Rule for GoVersionOld {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let builders: Vec<&Stage> = df
                .stages
                .iter()
                .filter(|s| stage_runs_go_build(df, s))
                .collect();
            for stage in &df.stages {
                let image = ImageRef::parse(&stage.image);
                let Some(tag_version) = image.golang_version() else {
                    continue;
                };
                // A golang stage matters when it (or a stage built on it) runs the build, or when
                // no stage visibly runs `go build` (e.g. `RUN make`).
                let builds = builders.is_empty()
                    || builders
                        .iter()
                        .any(|b| chain(df, b).iter().any(|s| s.index == stage.index));
                if !builds {
                    continue;
                }
                let toolchain = toolchain_version(df, stage);
                let version = toolchain.map_or(tag_version, |t| t.max(tag_version));
                if version >= CONTAINER_AWARE_GOMAXPROCS_SINCE {
                    continue;
                }
                let source = if toolchain.is_some_and(|t| t > tag_version) {
                    format!("`{}` with GOTOOLCHAIN go{version}", stage.image)
                } else {
                    format!("`{}`", stage.image)
                };
                let message = if version < GOMEMLIMIT_SINCE {
                    format!(
                        "{source} builds with Go {version}, which has no GOMEMLIMIT (Go 1.19+): the garbage collector ignores the memory limit and bursts end in OOMKilled; GOMAXPROCS also follows the node's CPUs, not the CPU limit (fixed in Go 1.25)"
                    )
                } else {
                    format!(
                        "{source} builds with Go {version}: GOMAXPROCS defaults to the node's CPU count, not the container's CPU limit, so a CPU-limited pod is throttled (container-aware since Go 1.25)"
                    )
                };
                let name = stage.name.clone().unwrap_or_else(|| stage.image.clone());
                out.report(
                    ctx.file,
                    stage.image_range,
                    ObjectRef {
                        document: 0,
                        kind: "Dockerfile".into(),
                        name: Some(name.into()),
                        ..ObjectRef::default()
                    },
                    message,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DF015";

    fn final_stage(build: &str) -> String {
        format!("{build}\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\n")
    }

    #[test]
    fn fires_below_1_19_and_below_1_25() {
        let old = final_stage("FROM golang:1.18-alpine AS build\nRUN go build -o /app .");
        let found = check_dockerfile(CODE, &old);
        assert_eq!(lines(&found, &old), [1]);
        assert_eq!(spans(&found, &old), ["golang:1.18-alpine"]);
        assert!(found[0].message.contains("no GOMEMLIMIT"));
        assert_eq!(found[0].object.name.as_deref(), Some("build"));

        let mid = final_stage("FROM --platform=$BUILDPLATFORM golang:1.24.3-bookworm AS build\nRUN go build -o /app .");
        let found = check_dockerfile(CODE, &mid);
        assert_eq!(spans(&found, &mid), ["golang:1.24.3-bookworm"]);
        assert!(found[0].message.contains("Go 1.24.3"));
        assert!(found[0].message.contains("GOMAXPROCS"));
        assert!(!found[0].message.contains("GOMEMLIMIT"));
    }

    #[test]
    fn version_from_build_arg_default() {
        let text = final_stage("ARG GO_VERSION=1.21\nFROM docker.io/library/golang:${GO_VERSION}-alpine AS build\nRUN go build -o /app .");
        let found = check_dockerfile(CODE, &text);
        assert_eq!(lines(&found, &text), [2]);
        assert_eq!(
            spans(&found, &text),
            ["docker.io/library/golang:${GO_VERSION}-alpine"]
        );
        assert!(found[0].message.contains("Go 1.21"));
    }

    #[test]
    fn version_matches_the_facts_used_by_manifest_rules() {
        // XF004: the same Go version feeds DF015 and the paired containers' `go_version`.
        let text = final_stage("ARG GO=1.22\nFROM golang:${GO} AS build\nRUN go build -o /app .");
        let df = crate::dockerfile::parse(&text);
        let facts = crate::dockerfile::facts::ImageFacts::of(&df);
        assert_eq!(facts.go_version, crate::goversion::GoVersion::parse("1.22"));
        assert!(check_dockerfile(CODE, &text)[0].message.contains("Go 1.22"));
    }

    #[test]
    fn base_stage_of_a_builder_is_reported() {
        let text = "FROM golang:1.20 AS base\nWORKDIR /src\nFROM base AS build\nRUN go build -o /app .\nFROM golang:1.19 AS lint\nRUN go vet ./...\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(spans(&found, text), ["golang:1.20"]);
    }

    #[test]
    fn gotoolchain_overrides_the_tag() {
        let newer =
            "FROM golang:1.22 AS build\nENV GOTOOLCHAIN=go1.25.1+auto\nRUN go build -o /app .\n";
        assert!(check_dockerfile(CODE, newer).is_empty());
        let inline = "FROM golang:1.23 AS build\nRUN GOTOOLCHAIN=\"go1.25.0\" go build -o /app .\n";
        assert!(check_dockerfile(CODE, inline).is_empty());
        let still_old =
            "FROM golang:1.22 AS build\nENV GOTOOLCHAIN=go1.24.2\nRUN go build -o /app .\n";
        let found = check_dockerfile(CODE, still_old);
        assert!(
            found[0].message.contains("GOTOOLCHAIN go1.24.2"),
            "{}",
            found[0].message
        );
        let local = "FROM golang:1.22 AS build\nENV GOTOOLCHAIN=local\nRUN go build -o /app .\n";
        assert_eq!(check_dockerfile(CODE, local).len(), 1);
    }

    #[test]
    fn silent_near_misses() {
        for text in [
            "FROM golang:1.25 AS build\nRUN go build -o /app .\n",
            "FROM golang:1.26rc1-alpine AS build\nRUN go build -o /app .\n",
            "FROM golang:alpine AS build\nRUN go build -o /app .\n",
            "FROM golang:latest AS build\nRUN go build -o /app .\n",
            "FROM golang AS build\nRUN go build -o /app .\n",
            "FROM golang:${GO_VERSION} AS build\nRUN go build -o /app .\n",
            "FROM ghcr.io/acme/golang-tools:1.18\nRUN make\n",
            "FROM node:18-alpine\nRUN npm ci\n",
            "FROM golang:1.18 AS tools\nRUN echo tools\nFROM golang:1.25 AS build\nRUN go build -o /app .\n",
        ] {
            assert!(check_dockerfile(CODE, text).is_empty(), "{text}");
        }
        // No stage visibly builds: every golang stage counts.
        let make = "FROM golang:1.23 AS build\nRUN make build\n";
        assert_eq!(check_dockerfile(CODE, make).len(), 1);
    }
}

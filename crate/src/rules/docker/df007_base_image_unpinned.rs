//! DF007 base-image-unpinned.

use crate::finding::Severity;
use crate::image::ImageRef;
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::stage_ref;

pub struct BaseImageUnpinned;

pub static META: RuleMeta = RuleMeta {
    code: "DF007",
    name: "base-image-unpinned",
    severity: Severity::Warning,
    enabled_by_default: true,
    summary: "`FROM` image without a tag or with `:latest`",
    help: "pin the base image to a version tag (and ideally a digest)",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports every `FROM` whose image has no tag and no digest, or the tag `latest`, after global
`ARG`s are substituted (`ARG BASE=alpine` / `FROM ${BASE}` is reported; `ARG GO=1.22` /
`FROM golang:${GO}-alpine` is not). `scratch`, references to earlier stages (`FROM build`) and
digests (`@sha256:...`) are fine, and so is a reference whose variable has no default (its value
comes from `--build-arg`).

## Why it matters

`FROM golang` means "whatever `golang:latest` is on the day of the build". The same commit then
builds with Go 1.22 one week and 1.23 the next: a new toolchain changes defaults (GOMAXPROCS,
GODEBUG settings, TLS), the runtime base moves to a new Debian or Alpine release with a different
libc or CA bundle, and a rebuild of an old tag for a hotfix produces a different binary from the
one that was tested. Nobody can tell from the Dockerfile which base an image in production was
built on, and builds break without any change in the repository.

## Example

```dockerfile bad
FROM golang AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM alpine:latest
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```dockerfile good
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM alpine:3.20
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

## References

- Docker: [Building best practices — pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
- Docker: [Dockerfile reference — FROM](https://docs.docker.com/reference/dockerfile/#from)
- Peers: hadolint `DL3006` (always tag the image explicitly) and `DL3007` (using latest is prone to errors)
"#
    ),
};

impl Rule for BaseImageUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            for stage in &df.stages {
                if stage.parent_stage.is_some() || stage.image.trim().is_empty() {
                    continue;
                }
                let image = ImageRef::parse(&stage.image);
                if !image.is_latest_or_untagged() || image.has_variables() {
                    continue;
                }
                let what = if image.tag.is_some() {
                    "uses the moving `latest` tag"
                } else {
                    "has no tag, which means `latest`"
                };
                out.report(
                    ctx.file,
                    stage.image_range,
                    stage_ref(stage),
                    format!(
                        "base image `{}` {what}: every build can get a different Go toolchain or OS release without a change in the repository",
                        stage.image
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires_on_untagged_and_latest() {
        let text = "ARG BASE=alpine\nFROM golang AS build\nFROM --platform=$BUILDPLATFORM golang:latest AS tools\nFROM ${BASE}\nFROM gcr.io/distroless/static:latest\n";
        let found = check_dockerfile("DF007", text);
        assert_eq!(lines(&found, text), [2, 3, 4, 5]);
        assert_eq!(
            spans(&found, text),
            [
                "golang",
                "golang:latest",
                "${BASE}",
                "gcr.io/distroless/static:latest"
            ]
        );
        assert!(found[2].message.contains("`alpine`"));
    }

    #[test]
    fn silent_on_pinned_scratch_stages_and_variables() {
        let text = "ARG GO_VERSION=1.22\nARG RUNTIME\nFROM golang:${GO_VERSION}-alpine AS build\nFROM build AS test\nFROM scratch\nFROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nFROM registry.example.com:5000/base:1.2\nFROM ${RUNTIME}\nFROM Build\n";
        assert!(check_dockerfile("DF007", text).is_empty());
    }
}

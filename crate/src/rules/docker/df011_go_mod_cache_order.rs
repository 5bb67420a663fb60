//! DF011 go-mod-cache-order.

use std::collections::BTreeSet;

use crate::dockerfile::facts::{chain, stage_runs_go_build};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::finding::{ObjectRef, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::df012_apk_no_cache::{run_commands, RunCommand};

pub struct GoModCacheOrder;

pub static META: RuleMeta = RuleMeta {
    code: "DF011",
    name: "go-mod-cache-order",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "The whole build context is copied before the Go modules are downloaded",
    help: "copy `go.mod` and `go.sum` first, run `go mod download`, then copy the sources",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

In a stage that runs `go build` or `go install` (its parent stages included), reports the first
whole-context copy (`COPY . .`, `COPY ./ /src`, `ADD . .`) that comes before the build when the
modules were not already downloaded in a layer of their own, that is when no `go.mod`/`go.sum`
copy followed by `RUN go mod download` comes before it. A `go mod download` that bind-mounts
`go.mod`/`go.sum` (`RUN --mount=type=bind,source=go.mod,target=go.mod go mod download`) counts
as such a layer, and so does copying a module cache from another stage
(`COPY --from=deps /go/pkg/mod /go/pkg/mod`). Builds that compile from a bind mount without any
whole-context copy, and vendored builds (`-mod=vendor`, `go mod vendor`, a copied `vendor/`),
are not reported, nor is `go install tool@version`, which ignores the local `go.mod`.

## Why it matters

Docker reuses a layer only while everything copied into it so far is unchanged. When the whole
source tree is copied first, editing one `.go` file invalidates that layer and every layer after
it, so `go build` (or a `go mod download` placed after the copy) fetches every module again: on
a fresh CI runner that is minutes per build and a hard dependency on the module proxy being
reachable, for a `go.sum` that did not change. Copying `go.mod` and `go.sum` alone and running
`go mod download` puts the modules in a layer that is rebuilt only when the dependencies change.
A BuildKit cache mount on `/go/pkg/mod` helps on a warm local builder, but CI builders that start
empty gain nothing from it, while the split layer can be shared through a registry cache.

Importing modules from a `vendor/` directory that the Dockerfile cannot see is invisible to this
rule; `go build -mod=vendor` (or a comment mentioning it) keeps it quiet.

## Example

```dockerfile bad
FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

```dockerfile good
FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
ENTRYPOINT ["/api"]
```

## References

- Docker: [Optimize cache usage in builds — order your layers](https://docs.docker.com/build/cache/optimize/#order-your-layers)
- Docker: [Go language guide — build images](https://docs.docker.com/guides/golang/build-images/)
- Go: [`go mod download`](https://go.dev/ref/mod#go-mod-download)
"#
    ),
};

/// Source words of a COPY/ADD (all words but the destination), `None` for other instructions,
/// heredoc copies and copies from another stage or image.
fn context_sources(inst: &Instruction) -> Option<Vec<String>> {
    if !(inst.is("COPY") || inst.is("ADD")) || !inst.heredocs.is_empty() {
        return None;
    }
    let mut words: Vec<String> = inst.words().into_iter().map(|w| w.value).collect();
    words.pop()?;
    Some(words)
}

fn is_whole_context(source: &str) -> bool {
    let trimmed = source.trim_end_matches('/');
    trimmed == "." || trimmed == "./."
}

fn base_name(path: &str) -> &str {
    let path = path.trim_end_matches('/');
    path.rsplit('/').next().unwrap_or(path)
}

/// `go.mod`, `go.sum`, `go.*`, `go.work`…
fn is_module_file(path: &str) -> bool {
    base_name(path).starts_with("go.")
}

fn is_go(word: &str) -> bool {
    word == "go" || word.ends_with("/go")
}

/// `go build` / `go install` of the local module (`go install tool@v1.2.3` does not read
/// `go.mod`).
fn runs_go_build(c: &RunCommand) -> bool {
    c.words.windows(2).any(|p| {
        is_go(&p[0])
            && (p[1] == "build" || (p[1] == "install" && !c.words.iter().any(|w| w.contains('@'))))
    })
}

fn runs_mod_download(c: &RunCommand) -> bool {
    c.words
        .windows(3)
        .any(|p| is_go(&p[0]) && p[1] == "mod" && p[2] == "download")
}

/// `RUN --mount=type=bind,source=go.mod,...`.
fn binds_module_files(inst: &Instruction) -> bool {
    inst.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .any(|v| {
            let parts: Vec<(&str, &str)> = v
                .split(',')
                .map(|p| p.split_once('=').unwrap_or((p, "")))
                .collect();
            let bind = parts
                .iter()
                .any(|(k, v)| k.trim() == "type" && v.trim() == "bind");
            bind && parts
                .iter()
                .any(|(k, v)| matches!(k.trim(), "source" | "src") && is_module_file(v.trim()))
        })
}

/// `COPY --from=deps /go/pkg/mod /go/pkg/mod`: a module cache from another stage.
fn copies_module_cache(inst: &Instruction) -> bool {
    (inst.is("COPY") || inst.is("ADD"))
        && inst.flag("from").is_some()
        && inst
            .words()
            .iter()
            .any(|w| w.value.contains("/go/pkg") || w.value.contains("pkg/mod"))
}

/// The build uses vendored modules (visible in the Dockerfile text).
fn vendored(df: &Dockerfile, text: &str) -> bool {
    text.contains("-mod=vendor")
        || text.contains("mod vendor")
        || df.instructions.iter().any(|i| {
            context_sources(i).is_some_and(|s| {
                i.flag("from").is_none() && s.iter().any(|w| base_name(w) == "vendor")
            })
        })
}

/// What the layers before the whole-context copy did.
enum Problem {
    /// `go mod download` runs only after the whole-context copy.
    DownloadAfter,
    /// No `go.mod`/`go.sum` + `go mod download` layer at all.
    NoModuleLayer,
}

impl Rule for GoModCacheOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            if vendored(df, ws.text(ctx.file)) {
                continue;
            }
            let mut reported = BTreeSet::new();
            for stage in &df.stages {
                if !stage_runs_go_build(df, stage) {
                    continue;
                }
                // Instructions of the stage and its parents, in build order, with their indices.
                let mut seq: Vec<(usize, &Instruction)> = Vec::new();
                for s in chain(df, stage).into_iter().rev() {
                    let start = s.instructions.start;
                    seq.extend(
                        df.stage_instructions(s)
                            .iter()
                            .enumerate()
                            .map(|(k, i)| (start + k, i)),
                    );
                }
                let commands: Vec<Vec<RunCommand>> = seq
                    .iter()
                    .map(|(_, i)| {
                        if i.is("RUN") {
                            run_commands(i)
                        } else {
                            Vec::new()
                        }
                    })
                    .collect();
                let Some(last_build) = commands.iter().rposition(|cs| cs.iter().any(runs_go_build))
                else {
                    continue;
                };
                let mut module_files = false;
                let mut module_layer = false;
                let mut whole: Option<usize> = None;
                let mut download_after = false;
                for (pos, (_, inst)) in seq.iter().enumerate().take(last_build + 1) {
                    let cmds = commands.get(pos).map(Vec::as_slice).unwrap_or(&[]);
                    if let Some(sources) =
                        context_sources(inst).filter(|_| inst.flag("from").is_none())
                    {
                        if whole.is_none() && sources.iter().any(|s| is_whole_context(s)) {
                            whole = Some(pos);
                        } else if sources.iter().any(|s| is_module_file(s)) {
                            module_files = true;
                        }
                    }
                    if copies_module_cache(inst) && whole.is_none() {
                        module_layer = true;
                    }
                    if cmds.iter().any(runs_mod_download) {
                        if whole.is_none() {
                            if module_files || binds_module_files(inst) {
                                module_layer = true;
                            }
                        } else {
                            download_after = true;
                        }
                    }
                }
                let Some(whole) = whole else { continue };
                if module_layer {
                    continue;
                }
                let Some(&(index, inst)) = seq.get(whole) else {
                    continue;
                };
                if !reported.insert(index) {
                    continue;
                }
                let problem = if download_after {
                    Problem::DownloadAfter
                } else {
                    Problem::NoModuleLayer
                };
                let shown = inst.range.slice(ws.text(ctx.file));
                let shown = shown.lines().next().unwrap_or(shown).trim_end();
                let owner = inst.stage.and_then(|s| df.stages.get(s)).unwrap_or(stage);
                let name = owner.name.clone().unwrap_or_else(|| owner.image.clone());
                let message = match problem {
                    Problem::DownloadAfter => format!(
                        "`{shown}` comes before `go mod download`: any source change invalidates the download layer, so every build downloads all modules again"
                    ),
                    Problem::NoModuleLayer => format!(
                        "`{shown}` comes before `go build` with no earlier `go.mod`/`go.sum` copy and `go mod download`: every source change downloads all modules again"
                    ),
                };
                out.report(
                    ctx.file,
                    inst.range,
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

    const CODE: &str = "DF011";

    #[test]
    fn fires_when_copy_all_precedes_download() {
        let text = "FROM golang:1.24-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /out/api ./cmd/api\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/api /api\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [3]);
        assert_eq!(spans(&found, text), ["COPY . ."]);
        assert!(found[0].message.contains("before `go mod download`"));
        assert_eq!(found[0].object.name.as_deref(), Some("build"));
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn fires_without_module_layer() {
        for copy in [
            "COPY . /src",
            "COPY ./ ./",
            "ADD . .",
            "COPY --link --chown=1000 . .",
        ] {
            let text = format!(
                "FROM golang:1.22 AS build\nWORKDIR /src\n{copy}\nRUN CGO_ENABLED=0 \\\n    go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n"
            );
            let found = check_dockerfile(CODE, &text);
            assert_eq!(lines(&found, &text), [3], "{copy}");
            assert!(found[0].message.contains("no earlier `go.mod`"));
        }
    }

    #[test]
    fn fires_when_go_mod_copied_but_not_downloaded() {
        let text =
            "FROM golang:1.24 AS build\nCOPY go.mod go.sum ./\nCOPY . .\nRUN go build -o /app .\n";
        assert_eq!(lines(&check_dockerfile(CODE, text), text), [3]);
    }

    #[test]
    fn fires_with_cache_mount_and_heredoc_build() {
        let text = "# syntax=docker/dockerfile:1\nFROM golang:1.24 AS build\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod <<EOF\nset -e\ngo build -o /app ./cmd/app\nEOF\n";
        assert_eq!(lines(&check_dockerfile(CODE, text), text), [3]);
    }

    #[test]
    fn parent_stage_copy_is_reported_once() {
        let text = "FROM golang:1.24 AS src\nWORKDIR /src\nCOPY . .\nFROM src AS api\nRUN go build -o /api ./cmd/api\nFROM src AS worker\nRUN go build -o /worker ./cmd/worker\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [3]);
        assert_eq!(found[0].object.name.as_deref(), Some("src"));
    }

    #[test]
    fn silent_with_module_layer() {
        for text in [
            "FROM golang:1.24 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n",
            "FROM golang:1.24 AS build\nCOPY go.* ./\nRUN go mod download && go mod verify\nCOPY . .\nRUN go build -o /app .\n",
            "FROM golang:1.24 AS build\nCOPY [\"go.mod\", \"go.sum\", \"./\"]\nRUN [\"go\", \"mod\", \"download\"]\nCOPY . .\nRUN go build -o /app .\n",
            "FROM golang:1.24 AS build\nRUN --mount=type=bind,source=go.sum,target=go.sum \\\n    --mount=type=bind,source=go.mod,target=go.mod \\\n    go mod download -x\nCOPY . .\nRUN go build -o /app .\n",
            "FROM golang:1.24 AS deps\nCOPY go.mod go.sum ./\nRUN go mod download\nFROM deps AS build\nCOPY . .\nRUN go build -o /app .\n",
            "FROM golang:1.24 AS mods\nCOPY go.mod go.sum ./\nRUN go mod download\nFROM golang:1.24 AS build\nCOPY --from=mods /go/pkg/mod /go/pkg/mod\nCOPY . .\nRUN go build -o /app .\n",
        ] {
            assert!(check_dockerfile(CODE, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn silent_near_misses() {
        for text in [
            // Bind-mount build: no whole-context copy.
            "FROM golang:1.24 AS build\nRUN --mount=type=bind,target=. --mount=type=cache,target=/go/pkg/mod go build -o /app .\n",
            // Partial copies only.
            "FROM golang:1.24 AS build\nCOPY cmd/ cmd/\nCOPY internal/ internal/\nRUN go build -o /app ./cmd/app\n",
            // Not a Go build stage.
            "FROM node:22 AS web\nCOPY . .\nRUN npm ci && npm run build\n",
            // Copy from another stage.
            "FROM golang:1.24 AS build\nCOPY --from=src . .\nRUN go build -o /app .\n",
            // The whole copy comes after the build.
            "FROM golang:1.24 AS build\nCOPY main.go go.mod ./\nRUN go build -o /app .\nCOPY . .\n",
            // Vendored modules.
            "FROM golang:1.24 AS build\nCOPY . .\nRUN go build -mod=vendor -o /app .\n",
            // Installing a released tool does not read go.mod.
            "FROM golang:1.24 AS tools\nCOPY . .\nRUN go install github.com/golang-migrate/migrate/v4/cmd/migrate@v4.18.1\n",
            // Only a comment mentions go build.
            "FROM golang:1.24 AS build\nCOPY . .\n# RUN go build\nRUN make test\n",
        ] {
            assert!(check_dockerfile(CODE, text).is_empty(), "{text}");
        }
    }
}

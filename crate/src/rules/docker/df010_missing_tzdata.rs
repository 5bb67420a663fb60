//! DF010 missing-tzdata.

use crate::dockerfile::facts::{chain, root_image};
use crate::finding::{ObjectRef, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::workspace::Workspace;

use super::df012_apk_no_cache::run_commands;

pub struct MissingTzdata;

pub static META: RuleMeta = RuleMeta {
    code: "DF010",
    name: "missing-tzdata",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "The final image on scratch or Alpine has no time zone database",
    help: "build with `-tags timetzdata`, or copy/install tzdata into the final image",
    fix: FixAvailability::Advice,
    docs: rule_docs!(
        r#"## What it does

Reports the final `FROM` when the final stage is built on `scratch` or Alpine and nothing
provides time zone data:

- no `COPY`/`ADD` of `/usr/share/zoneinfo` or a `zoneinfo.zip` into the final stage,
- no `apk add … tzdata` in it,
- no `ZONEINFO` environment variable set in it,
- and the Dockerfile nowhere mentions `timetzdata` (`go build -tags timetzdata`,
  `GOFLAGS=-tags=timetzdata`) or `time/tzdata`.

A Go program that imports `time/tzdata` embeds the database itself; that import is in the Go
code, which this rule cannot see. Say so in a comment (`# the binary imports time/tzdata`) and
the rule stays quiet. Distroless images are not reported: they include `/usr/share/zoneinfo`;
neither are `golang:*-alpine` images (the toolchain ships `zoneinfo.zip`) nor Alpine variants of
well-known non-Go images such as `nginx:alpine` or `python:alpine`, which install tzdata
themselves.

## Why it matters

Go reads time zones from the files of the operating system (`/usr/share/zoneinfo`, or the file
named by `ZONEINFO`). `scratch` has none, and Alpine installs `tzdata` only on request. Then
`time.LoadLocation("Europe/Berlin")` returns the error `unknown time zone Europe/Berlin`, which
surfaces as failed requests or a crash at start-up for services that schedule jobs, render
local business hours or parse zone names; and a `TZ=Europe/Berlin` environment variable is
silently ignored, so `time.Local` stays UTC and timestamps in logs and reports are off by hours.
It works on the developer's machine and in CI (which have tzdata), and breaks only in the
container.

## Example

```dockerfile bad
FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM alpine:3.21
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api"]
```

```dockerfile good
FROM golang:1.24 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -tags timetzdata -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM alpine:3.21
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api"]
```

Other ways out: `RUN apk add --no-cache tzdata` on Alpine, or
`COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo` on `scratch`. The `timetzdata` tag
(or importing `time/tzdata`) adds about 450 KB to the binary.

## References

- Go: [`time.LoadLocation`](https://pkg.go.dev/time#LoadLocation)
- Go: [`time/tzdata`](https://pkg.go.dev/time/tzdata)
- Alpine: [Setting the timezone](https://wiki.alpinelinux.org/wiki/Setting_the_timezone)
"#
    ),
};

impl Rule for MissingTzdata {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            let Some(last) = df.final_stage() else {
                continue;
            };
            let base = root_image(df, last);
            let scratch = base.is_scratch();
            // Alpine itself, or an Alpine variant of an image that is not a well-known non-Go
            // image (those, e.g. `nginx:alpine` or `python:alpine`, install tzdata themselves).
            let alpine = base.is_alpine()
                && !base.is_golang()
                && (base.last_segment().eq_ignore_ascii_case("alpine")
                    || !base.is_well_known_non_go());
            if !(scratch || alpine) {
                continue;
            }
            let text = ws.text(ctx.file);
            if text.contains("timetzdata") || text.contains("time/tzdata") {
                continue;
            }
            let provided = chain(df, last).into_iter().any(|stage| {
                df.stage_instructions(stage).iter().any(|inst| {
                    if inst.is("ENV") {
                        inst.key_values().iter().any(|kv| kv.name == "ZONEINFO")
                    } else if inst.is("COPY") || inst.is("ADD") {
                        inst.words()
                            .iter()
                            .any(|w| w.value.to_ascii_lowercase().contains("zoneinfo"))
                    } else if inst.is("RUN") {
                        run_commands(inst).iter().any(|c| {
                            c.name().is_some_and(|n| n == "apk" || n.ends_with("/apk"))
                                && c.has_word("add")
                                && c.words.iter().any(|w| w == "tzdata")
                        })
                    } else {
                        false
                    }
                })
            });
            if provided {
                continue;
            }
            let Some(from) = df.instructions.get(last.from) else {
                continue;
            };
            let what = if scratch {
                "`scratch`".to_string()
            } else {
                format!("`{base}`")
            };
            let name = last.name.clone().unwrap_or_else(|| last.image.clone());
            out.report(
                ctx.file,
                from.range,
                ObjectRef {
                    document: 0,
                    kind: "Dockerfile".into(),
                    name: Some(name.into()),
                    ..ObjectRef::default()
                },
                format!(
                    "the final image is built on {what} without time zone data: time.LoadLocation(\"Europe/Berlin\") fails with \"unknown time zone Europe/Berlin\" and a TZ variable is ignored (UTC)"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DF010";

    const BUILD: &str = "FROM golang:1.24-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/api .\n\n";

    #[test]
    fn fires_on_scratch_and_alpine() {
        for (last, image) in [
            ("FROM scratch", "`scratch`"),
            ("FROM alpine:3.21 AS runtime", "`alpine:3.21`"),
            (
                "from docker.io/library/alpine",
                "`docker.io/library/alpine`",
            ),
            (
                "FROM ghcr.io/acme/runtime-base:2.1-alpine3.21",
                "`ghcr.io/acme/runtime-base:2.1-alpine3.21`",
            ),
        ] {
            let text = format!("{BUILD}{last}\nCOPY --from=build /out/api /api\n");
            let found = check_dockerfile(CODE, &text);
            assert_eq!(lines(&found, &text), [6], "{last}");
            assert_eq!(spans(&found, &text), [last]);
            assert!(found[0].message.contains(image), "{}", found[0].message);
            assert!(found[0].message.contains("unknown time zone"));
        }
    }

    #[test]
    fn tzdata_in_builder_only_does_not_count() {
        let text = "FROM golang:1.24-alpine AS build\nRUN apk add --no-cache tzdata\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert_eq!(lines(&check_dockerfile(CODE, text), text), [4]);
    }

    #[test]
    fn silent_when_tzdata_is_provided() {
        for last in [
            "FROM scratch\nCOPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo\n",
            "FROM scratch\nCOPY --from=build /usr/local/go/lib/time/zoneinfo.zip /zoneinfo.zip\nENV ZONEINFO=/zoneinfo.zip\n",
            "FROM scratch\nENV ZONEINFO=/data/zoneinfo.zip\n",
            "FROM alpine:3.21\nRUN apk add --no-cache ca-certificates tzdata\n",
            "FROM alpine:3.21\nRUN <<EOF\napk add \\\n  --no-cache tzdata\nEOF\n",
            "FROM alpine:3.21 AS base\nRUN apk add tzdata\nFROM base\n",
            "FROM scratch\n# main.go imports time/tzdata\n",
        ] {
            let text = format!("{BUILD}{last}");
            assert!(check_dockerfile(CODE, &text).is_empty(), "{last}");
        }
        let tags = "FROM golang:1.24 AS build\nRUN CGO_ENABLED=0 go build -tags netgo,timetzdata -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
        assert!(check_dockerfile(CODE, tags).is_empty());
        let goflags = "FROM golang:1.24 AS build\nENV GOFLAGS=\"-tags=timetzdata\"\nRUN go build -o /app .\nFROM alpine:3.21\nCOPY --from=build /app /app\n";
        assert!(check_dockerfile(CODE, goflags).is_empty());
    }

    #[test]
    fn silent_on_other_bases() {
        for last in [
            "FROM gcr.io/distroless/static-debian12:nonroot\n",
            "FROM debian:bookworm-slim\n",
            "FROM golang:1.24-alpine\n",
            "FROM cgr.dev/chainguard/static\n",
            "FROM nginx:1.27-alpine\n",
            "FROM python:3.13-alpine\n",
        ] {
            let text = format!("{BUILD}{last}");
            assert!(check_dockerfile(CODE, &text).is_empty(), "{last}");
        }
        assert!(check_dockerfile(CODE, "# nothing\n").is_empty());
    }
}

//! DF012 apk-no-cache.
//!
//! Also holds [`run_commands`], the RUN command reader shared by the docker rules DF010–DF013.

use std::ops::Range;

use crate::dockerfile::{shell, Heredoc, Instruction, ShellText};
use crate::finding::{Edit, Fix, ObjectRef, Severity};
use crate::rules::{FixAvailability, Reporter, Rule, RuleMeta};
use crate::source::TextRange;
use crate::workspace::Workspace;

pub struct ApkNoCache;

pub static META: RuleMeta = RuleMeta {
    code: "DF012",
    name: "apk-no-cache",
    severity: Severity::Info,
    enabled_by_default: true,
    summary: "`apk add` without `--no-cache` leaves the package index in the image layer",
    help: "use `apk add --no-cache …`",
    fix: FixAvailability::Edit,
    docs: rule_docs!(
        r#"## What it does

Reports a `RUN` whose `apk add` has no `--no-cache` flag, unless the same `RUN` deletes
`/var/cache/apk` afterwards or mounts a BuildKit cache on `/var/cache/apk` (or `/etc/apk/cache`).
Shell-form, exec-form and heredoc `RUN`s are read, including `apk --update add …` and
`apk add --virtual .build-deps …`.

## Why it matters

Without `--no-cache`, `apk add` (and the `apk update` that usually precedes it) stores the
APKINDEX archives of every configured repository under `/var/cache/apk`. They end up in the
layer, so every image built from this Dockerfile carries a few megabytes of package indexes that
nothing at runtime reads: slower pulls on every node a pod is scheduled to, a larger attack
surface for image scanners to wade through, and a registry bill that grows with every tag. With
`--no-cache` apk fetches the index into a temporary location and removes it when it is done, so
`apk update` is no longer needed either.

## Example

```dockerfile bad
FROM golang:1.24-alpine AS build
RUN apk update && apk add git make
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM alpine:3.21
RUN apk add ca-certificates tzdata
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api"]
```

```dockerfile good
FROM golang:1.24-alpine AS build
RUN apk add --no-cache git make
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM alpine:3.21
RUN --mount=type=cache,target=/var/cache/apk apk add ca-certificates tzdata
COPY --from=build /out/api /usr/local/bin/api
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/api"]
```

The fix inserts `--no-cache` right after `add`, in every `apk add` of the `RUN` that lacks it,
keeping continuation lines, comments and heredoc bodies as they are.

## References

- Alpine: [apk — Alpine Package Keeper](https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper)
- Docker: [Building best practices — RUN](https://docs.docker.com/build/building/best-practices/#run)
- Docker: [Cache mounts](https://docs.docker.com/build/cache/optimize/#use-cache-mounts)
- Peers: hadolint `DL3019`
"#
    ),
};

impl Rule for ApkNoCache {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ws: &Workspace<'_>, out: &mut Reporter) {
        for ctx in &ws.dockerfiles {
            let df = ctx.dockerfile;
            for inst in &df.instructions {
                if !inst.is("RUN") || has_apk_cache_mount(inst) {
                    continue;
                }
                let commands = run_commands(inst);
                if commands.iter().any(removes_apk_cache) {
                    continue;
                }
                let offenders: Vec<&RunCommand> = commands
                    .iter()
                    .filter(|c| apk_add_position(c).is_some() && !c.has_word("--no-cache"))
                    .collect();
                let Some(first) = offenders.first() else {
                    continue;
                };
                let mut edits = Vec::new();
                for c in &offenders {
                    let Some(add) = apk_add_position(c) else {
                        continue;
                    };
                    if let Some(range) = c.ranges.get(add).copied().flatten() {
                        let text = if c.json {
                            ", \"--no-cache\""
                        } else {
                            " --no-cache"
                        };
                        edits.push(Edit::insert(range.end(), text));
                    }
                }
                let stage = inst.stage.and_then(|s| df.stages.get(s));
                let name = stage.map(|s| s.name.clone().unwrap_or_else(|| s.image.clone()));
                let shown = first.words.join(" ");
                let finding = out.report(
                    ctx.file,
                    inst.range,
                    ObjectRef {
                        document: 0,
                        kind: "Dockerfile".into(),
                        name: name.map(Into::into),
                        ..ObjectRef::default()
                    },
                    format!(
                        "`{}` runs without `--no-cache`: the APK index cache stays in the image layer and every pull downloads it",
                        short(&shown)
                    ),
                );
                // Only fix when every offending `apk add` can be edited.
                if !edits.is_empty() && edits.len() == offenders.len() {
                    finding.fix = Some(Fix::safe("insert `--no-cache` after `apk add`", edits));
                }
            }
        }
    }
}

/// Shortens a command for a message.
fn short(text: &str) -> String {
    const MAX: usize = 60;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", text.get(..end).unwrap_or(""))
}

/// `--mount=type=cache,target=/var/cache/apk` (or `/etc/apk/cache`) on the RUN.
fn has_apk_cache_mount(inst: &Instruction) -> bool {
    inst.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .any(|value| {
            let mut is_cache = false;
            let mut target_ok = false;
            for part in value.split(',') {
                let (key, val) = part.split_once('=').unwrap_or((part, ""));
                match key.trim().to_ascii_lowercase().as_str() {
                    "type" => is_cache = val.trim() == "cache",
                    "target" | "dst" | "destination" => {
                        let t = val.trim().trim_end_matches('/');
                        target_ok = t == "/var/cache/apk" || t == "/etc/apk/cache";
                    }
                    _ => {}
                }
            }
            is_cache && target_ok
        })
}

/// `rm -rf /var/cache/apk/*` (or the directory itself).
fn removes_apk_cache(c: &RunCommand) -> bool {
    c.name() == Some("rm")
        && c.words
            .iter()
            .skip(1)
            .any(|w| w.starts_with("/var/cache/apk"))
}

/// Index of the `add` word of an `apk add` command (options may precede it:
/// `apk --update add`).
fn apk_add_position(c: &RunCommand) -> Option<usize> {
    if !c.name().is_some_and(|n| n == "apk" || n.ends_with("/apk")) {
        return None;
    }
    let (index, verb) = c
        .words
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, w)| !w.starts_with('-'))?;
    (verb == "add").then_some(index)
}

/// One simple command of a RUN, with source ranges of its words where they can be mapped.
#[derive(Clone, Debug)]
pub(crate) struct RunCommand {
    /// The words, quotes removed (inline `NAME=value` assignments are not included).
    pub words: Vec<String>,
    /// Source range of each word (`None` when it cannot be mapped, e.g. inside a JSON string
    /// with escapes).
    pub ranges: Vec<Option<TextRange>>,
    /// The words are JSON string tokens of an exec-form RUN (an insertion needs `, "…"`).
    pub json: bool,
}

impl RunCommand {
    /// The command name with any leading path kept (`/sbin/apk`).
    pub fn name(&self) -> Option<&str> {
        self.words.first().map(String::as_str)
    }

    /// The command name without its directory: `/usr/bin/upx` → `upx`.
    pub fn base_name(&self) -> Option<&str> {
        self.name().map(|n| n.rsplit('/').next().unwrap_or(n))
    }

    pub fn has_word(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }

    fn from_shell(c: shell::Command, map: &dyn Fn(Range<usize>) -> Option<TextRange>) -> Self {
        let (words, ranges) = c.words.into_iter().map(|(w, r)| (w, map(r))).unzip();
        RunCommand {
            words,
            ranges,
            json: false,
        }
    }
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

fn is_shell(word: &str) -> bool {
    SHELLS.contains(&word.rsplit('/').next().unwrap_or(word))
}

/// The simple commands a RUN executes: its shell-form text, the heredoc bodies that are shell
/// scripts (`RUN <<EOF`, `RUN bash <<EOF`, not `RUN cat <<EOF > file`), or its exec-form words
/// (and the script of `["sh", "-c", "…"]`).
pub(crate) fn run_commands(inst: &Instruction) -> Vec<RunCommand> {
    let mut out = Vec::new();
    if let Some(words) = inst.exec_words() {
        let shell_script = words.len() >= 3
            && words.first().is_some_and(|w| is_shell(&w.value))
            && words
                .get(1)
                .is_some_and(|w| w.value.starts_with('-') && w.value.ends_with('c'));
        if let (true, Some(script)) = (shell_script, words.get(2)) {
            // Offsets map straight into the JSON string when it holds no escapes.
            let plain = script.range.len() == script.value.len() + 2;
            let base = script.range.start() + 1;
            let map = |r: Range<usize>| plain.then(|| TextRange::new(base + r.start, base + r.end));
            for c in shell::commands(&script.value) {
                out.push(RunCommand::from_shell(c, &map));
            }
        } else {
            out.push(RunCommand {
                words: words.iter().map(|w| w.value.clone()).collect(),
                ranges: words.iter().map(|w| Some(w.range)).collect(),
                json: true,
            });
        }
        return out;
    }
    let Some(text) = inst.shell_text() else {
        return out;
    };
    let commands = text.commands();
    for heredoc in &inst.heredocs {
        if heredoc_is_script(text, &commands, heredoc) {
            let map = |r: Range<usize>| Some(heredoc.source_range(r));
            for c in heredoc.commands() {
                out.push(RunCommand::from_shell(c, &map));
            }
        }
    }
    let map = |r: Range<usize>| Some(text.source_range(r));
    let mut shell_commands: Vec<RunCommand> = commands
        .into_iter()
        .map(|c| RunCommand::from_shell(c, &map))
        .collect();
    shell_commands.append(&mut out);
    shell_commands
}

/// A heredoc is a shell script when its marker is the command itself (`RUN <<EOF`) or the
/// input of a shell (`RUN bash -e <<EOF`).
fn heredoc_is_script(text: &ShellText, commands: &[shell::Command], heredoc: &Heredoc) -> bool {
    commands.iter().any(|c| {
        let Some(pos) = c.words.iter().position(|(_, r)| {
            text.source_range(r.clone()).start() == heredoc.marker_range.start()
        }) else {
            return false;
        };
        let first = c.words.first().map(|w| w.0.as_str()).unwrap_or("");
        pos == 0 || (is_shell(first) && !c.words.iter().any(|w| w.0 == "-c"))
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    const CODE: &str = "DF012";

    #[test]
    fn fires_on_plain_apk_add_with_fix() {
        let text = "FROM alpine:3.21\nRUN apk update && apk add git ca-certificates\nUSER 65532\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2]);
        assert_eq!(
            spans(&found, text),
            ["RUN apk update && apk add git ca-certificates"]
        );
        assert!(is_safe(&found[0]));
        assert!(found[0].message.contains("`apk add git ca-certificates`"));
        assert_eq!(
            fixed_dockerfile(CODE, text),
            "FROM alpine:3.21\nRUN apk update && apk add --no-cache git ca-certificates\nUSER 65532\n"
        );
    }

    #[test]
    fn options_before_add_and_virtual() {
        let text = "FROM golang:1.24-alpine AS build\nRUN apk --update add git \\\n && apk add --virtual .build-deps gcc musl-dev\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2]);
        assert_eq!(
            fixed_dockerfile(CODE, text),
            "FROM golang:1.24-alpine AS build\nRUN apk --update add --no-cache git \\\n && apk add --no-cache --virtual .build-deps gcc musl-dev\n"
        );
    }

    #[test]
    fn fix_inside_multiline_run_with_comments_and_crlf() {
        let text = "FROM alpine:3.21\r\nRUN set -eux; \\\r\n    # build tools\r\n    apk add \\\r\n        git \\\r\n        make\r\nCMD [\"/app\"]\r\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2]);
        assert_eq!(
            fixed_dockerfile(CODE, text),
            "FROM alpine:3.21\r\nRUN set -eux; \\\r\n    # build tools\r\n    apk add --no-cache \\\r\n        git \\\r\n        make\r\nCMD [\"/app\"]\r\n"
        );
    }

    #[test]
    fn fix_with_backtick_escape() {
        let text = "# escape=`\nFROM alpine:3.21\nRUN apk `\n    add `\n    tzdata\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [3]);
        assert_eq!(
            fixed_dockerfile(CODE, text),
            "# escape=`\nFROM alpine:3.21\nRUN apk `\n    add --no-cache `\n    tzdata\n"
        );
    }

    #[test]
    fn fix_in_heredoc_run() {
        let text = "# syntax=docker/dockerfile:1\nFROM alpine:3.21\nRUN <<EOF\nset -e\napk add \\\n  curl\nEOF\nRUN bash -e <<SCRIPT\n  /sbin/apk add jq\nSCRIPT\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [3, 8]);
        assert_eq!(
            fixed_dockerfile(CODE, text),
            "# syntax=docker/dockerfile:1\nFROM alpine:3.21\nRUN <<EOF\nset -e\napk add --no-cache \\\n  curl\nEOF\nRUN bash -e <<SCRIPT\n  /sbin/apk add --no-cache jq\nSCRIPT\n"
        );
    }

    #[test]
    fn fix_in_exec_form() {
        let text = "FROM alpine:3.21\nRUN [\"apk\", \"add\", \"git\"]\nRUN [\"/bin/sh\", \"-c\", \"apk add make\"]\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(lines(&found, text), [2, 3]);
        assert_eq!(
            fixed_dockerfile(CODE, text),
            "FROM alpine:3.21\nRUN [\"apk\", \"add\", \"--no-cache\", \"git\"]\nRUN [\"/bin/sh\", \"-c\", \"apk add --no-cache make\"]\n"
        );
    }

    #[test]
    fn fixes_every_apk_add_of_one_run() {
        let text = "FROM alpine:3.21\nRUN apk add --no-cache git && apk add make; apk add gcc\n";
        let found = check_dockerfile(CODE, text);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`apk add make`"));
        assert_eq!(
            fixed_dockerfile(CODE, text),
            "FROM alpine:3.21\nRUN apk add --no-cache git && apk add --no-cache make; apk add --no-cache gcc\n"
        );
    }

    #[test]
    fn silent_near_misses() {
        let text = concat!(
            "FROM alpine:3.21\n",
            "RUN apk add --no-cache git\n",
            "RUN apk --no-cache add make\n",
            "RUN apk update && apk add curl && rm -rf /var/cache/apk/*\n",
            "RUN --mount=type=cache,target=/var/cache/apk,sharing=locked apk add jq\n",
            "RUN --mount=type=cache,id=apk,dst=/etc/apk/cache apk add gcc\n",
            "RUN apk del git && apk info && echo 'apk add x'\n",
            "RUN cat <<EOF > /notes.txt\napk add git\nEOF\n",
            "RUN apt-get install -y git\n",
            "# RUN apk add git\n",
            "RUN apk upgrade\n",
        );
        assert!(check_dockerfile(CODE, text).is_empty());
    }

    #[test]
    fn other_cache_mounts_do_not_count() {
        let text =
            "FROM alpine:3.21\nRUN --mount=type=cache,target=/root/.cache/go-build apk add git\n";
        assert_eq!(lines(&check_dockerfile(CODE, text), text), [2]);
    }
}

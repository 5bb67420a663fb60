//! What a Dockerfile tells about the image it builds: the facts that refine manifest rules
//! for the containers running that image.

use crate::goversion::GoVersion;
use crate::image::ImageRef;
use crate::source::TextRange;

use super::{Dockerfile, Stage};

/// Facts about the image a Dockerfile builds (its final stage).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImageFacts {
    /// Go version of the `golang:` image that builds the binary (the stage running `go build`,
    /// else any `golang:` stage).
    pub go_version: Option<GoVersion>,
    /// Some stage runs `go build`/`go install` or starts from a `golang:` image.
    pub builds_go: bool,
    /// The external base image of the final stage (following `FROM <stage>` chains).
    pub final_base: Option<ImageRef>,
    /// The final stage's effective `USER` (after substitution) and where it is set.
    pub user: Option<(String, TextRange)>,
    /// Ports the final image `EXPOSE`s.
    pub exposed_ports: Vec<u16>,
    /// The final image has a shell (`/bin/sh`): false for scratch and distroless static/base
    /// (except their `:debug` variants).
    pub has_shell: bool,
}

impl ImageFacts {
    pub fn of(df: &Dockerfile) -> Self {
        let mut facts = ImageFacts {
            has_shell: true,
            ..ImageFacts::default()
        };
        let go_builder = df
            .stages
            .iter()
            .find(|s| stage_runs_go_build(df, s))
            .or_else(|| {
                df.stages
                    .iter()
                    .find(|s| ImageRef::parse(&s.image).is_golang())
            });
        facts.builds_go = go_builder.is_some();
        facts.go_version = go_builder.and_then(|s| root_image(df, s).golang_version());
        let Some(last) = df.final_stage() else {
            return facts;
        };
        let base = root_image(df, last);
        facts.has_shell =
            !base.is_static_base() || base.tag.as_deref().is_some_and(|t| t.contains("debug"));
        facts.final_base = Some(base);
        for stage in chain(df, last).into_iter().rev() {
            for (offset, instruction) in df.stage_instructions(stage).iter().enumerate() {
                let at = stage.instructions.start + offset;
                match instruction.keyword.as_str() {
                    "USER" => {
                        if let Some(word) = instruction.words().first() {
                            facts.user = Some((df.expand_at(at, &word.value), word.range));
                        }
                    }
                    "EXPOSE" => {
                        for word in instruction.words() {
                            let expanded = df.expand_at(at, &word.value);
                            let port = expanded.split('/').next().unwrap_or("");
                            if let Ok(port) = port.parse::<u16>() {
                                facts.exposed_ports.push(port);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        facts
    }

    /// The final USER is root: unset, `root`, `0`, or `0:…`/`root:…`.
    pub fn runs_as_root(&self) -> bool {
        match &self.user {
            None => true,
            Some((user, _)) => {
                let name = user.split(':').next().unwrap_or("");
                name == "root" || name == "0" || name.is_empty()
            }
        }
    }

    /// The final USER is a name rather than a numeric UID.
    pub fn user_is_name(&self) -> bool {
        self.user.as_ref().is_some_and(|(user, _)| {
            let name = user.split(':').next().unwrap_or("");
            !name.is_empty() && !name.bytes().all(|b| b.is_ascii_digit())
        })
    }

    /// The numeric UID of the final USER, when it is numeric and not 0.
    pub fn numeric_uid(&self) -> Option<u32> {
        let (user, _) = self.user.as_ref()?;
        user.split(':').next()?.parse().ok().filter(|uid| *uid != 0)
    }
}

/// The stage and its ancestors (`FROM <earlier stage>`), final stage first.
pub fn chain<'d>(df: &'d Dockerfile, stage: &'d Stage) -> Vec<&'d Stage> {
    let mut out = vec![stage];
    let mut current = stage;
    while let Some(parent) = current.parent_stage.and_then(|p| df.stages.get(p)) {
        if out.iter().any(|s| s.index == parent.index) || out.len() > df.stages.len() {
            break;
        }
        out.push(parent);
        current = parent;
    }
    out
}

/// The external image at the root of a stage's `FROM <stage>` chain.
pub fn root_image(df: &Dockerfile, stage: &Stage) -> ImageRef {
    let root = chain(df, stage).last().copied().unwrap_or(stage);
    ImageRef::parse(&root.image)
}

/// Does the stage run `go build` or `go install` (in a RUN's shell text or heredoc)?
pub fn stage_runs_go_build(df: &Dockerfile, stage: &Stage) -> bool {
    df.stage_instructions(stage).iter().any(|i| {
        i.keyword == "RUN"
            && (i.shell_text().is_some_and(|s| mentions_go_build(&s.text))
                || i.exec_words().is_some_and(|w| {
                    w.iter().any(|w| mentions_go_build(&w.value))
                        || (w.len() >= 2 && w[0].value == "go" && is_build_verb(&w[1].value))
                })
                || i.heredocs.iter().any(|h| mentions_go_build(&h.body)))
    })
}

fn is_build_verb(word: &str) -> bool {
    word == "build" || word == "install"
}

/// Does a shell script contain a `go build` / `go install` command?
pub fn mentions_go_build(script: &str) -> bool {
    super::shell::commands(script).iter().any(|c| {
        let words: Vec<&str> = c.words.iter().map(|(w, _)| w.as_str()).collect();
        words
            .windows(2)
            .any(|pair| (pair[0] == "go" || pair[0].ends_with("/go")) && is_build_verb(pair[1]))
    })
}

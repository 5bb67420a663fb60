//! Engine configuration: which rules run and at what severity, the Go version, image pairing.
//!
//! The CLI reads it from a `.shoal.yaml` file ([`Config::from_yaml`]); the web app builds the
//! same value directly.
//!
//! ```yaml
//! rules:
//!   KS304: on                 # enable an off-by-default rule
//!   KS104: off                # disable a rule
//!   GO004: error              # change a severity
//!   KS201: {enabled: true, severity: info}
//! go-version: "1.22"          # the Go version when no Dockerfile tells (overrides it when set)
//! pairs:                      # explicit image ↔ Dockerfile pairing
//!   - image: ghcr.io/acme/api
//!     dockerfile: services/api/Dockerfile
//! images:
//!   go: [ghcr.io/acme/envoy-wrapper]     # treat as Go services
//!   not-go: [ghcr.io/acme/legacy-java]   # never apply the GO rules
//! ```

use std::collections::BTreeMap;

use crate::finding::Severity;
use crate::goversion::GoVersion;
use crate::image::ImageRef;
use crate::source::TextRange;
use crate::workspace::image_matches;
use crate::yaml::{self, Node};

/// Per-rule settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// An explicit image ↔ Dockerfile pairing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// Image as written, without tag, or its last path segment.
    pub image: String,
    /// The Dockerfile's file name (path) as given to the engine.
    pub dockerfile: String,
}

/// Options for [`crate::analyze`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Settings by rule code.
    pub rules: BTreeMap<String, RuleSetting>,
    /// Go version to assume (overrides what a paired Dockerfile says).
    pub go_version: Option<GoVersion>,
    pub pairs: Vec<Pair>,
    /// Images to treat as Go services.
    pub go_images: Vec<String>,
    /// Images that are not Go services.
    pub non_go_images: Vec<String>,
}

/// A configuration file problem, at its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub range: TextRange,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Config {
    /// Is the rule enabled, given its default?
    pub fn enabled(&self, code: &str, by_default: bool) -> bool {
        self.rules
            .get(code)
            .and_then(|s| s.enabled)
            .unwrap_or(by_default)
    }

    /// The configured severity for a rule, if changed.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.rules.get(code).and_then(|s| s.severity)
    }

    pub fn is_go(&self, image: &ImageRef) -> bool {
        self.go_images.iter().any(|p| image_matches(p, image))
    }

    pub fn is_non_go(&self, image: &ImageRef) -> bool {
        self.non_go_images.iter().any(|p| image_matches(p, image))
    }

    /// Reads a `.shoal.yaml` configuration. Unknown keys and rule codes are errors, so typos
    /// do not silently do nothing.
    pub fn from_yaml(text: &str) -> Result<Config, ConfigError> {
        let file = yaml::parse(text);
        if let Some(error) = file.errors.first() {
            return Err(ConfigError {
                range: error.range,
                message: format!("invalid YAML: {}", error.message),
            });
        }
        let mut config = Config::default();
        let Some(root) = file.documents.first().and_then(|d| d.root.as_ref()) else {
            return Ok(config);
        };
        if root.is_null() {
            return Ok(config);
        }
        if root.as_mapping().is_none() {
            return Err(err(root, "the configuration must be a mapping"));
        }
        for entry in root.entries() {
            let key = entry.key.str().unwrap_or("");
            let value = &entry.value;
            match key {
                "rules" => config.rules = read_rules(value)?,
                "go-version" | "go_version" | "goVersion" => {
                    let text = value.as_scalar().map(|s| s.text.as_str()).unwrap_or("");
                    config.go_version = Some(
                        GoVersion::parse(text)
                            .ok_or_else(|| err(value, "go-version must look like 1.22"))?,
                    );
                }
                "pairs" => {
                    for item in value.items() {
                        let image = item.get("image").and_then(Node::str);
                        let dockerfile = item.get("dockerfile").and_then(Node::str);
                        match (image, dockerfile) {
                            (Some(image), Some(dockerfile)) => config.pairs.push(Pair {
                                image: image.to_string(),
                                dockerfile: dockerfile.to_string(),
                            }),
                            _ => return Err(err(item, "a pair needs `image` and `dockerfile`")),
                        }
                    }
                }
                "images" => {
                    for e in value.entries() {
                        let list: Vec<String> = e
                            .value
                            .items()
                            .iter()
                            .filter_map(|i| i.str().map(str::to_string))
                            .collect();
                        match e.key.str() {
                            Some("go") => config.go_images = list,
                            Some("not-go" | "not_go" | "notGo") => config.non_go_images = list,
                            _ => return Err(err(&e.key, "images takes `go` and `not-go` lists")),
                        }
                    }
                }
                _ => return Err(err(&entry.key, &format!("unknown setting `{key}`"))),
            }
        }
        Ok(config)
    }
}

fn read_rules(node: &Node) -> Result<BTreeMap<String, RuleSetting>, ConfigError> {
    let mut rules = BTreeMap::new();
    for entry in node.entries() {
        let code = entry
            .key
            .as_scalar()
            .map(|s| s.text.to_ascii_uppercase().to_string())
            .unwrap_or_default();
        if crate::registry::find(&code).is_none() {
            return Err(err(&entry.key, &format!("unknown rule code `{code}`")));
        }
        let setting = match &entry.value {
            v if v.as_mapping().is_some() => RuleSetting {
                enabled: v.get("enabled").and_then(Node::bool),
                severity: match v.get("severity") {
                    Some(s) => Some(
                        s.str()
                            .and_then(Severity::parse)
                            .ok_or_else(|| err(s, "severity is error, warning or info"))?,
                    ),
                    None => None,
                },
            },
            v => {
                if let Some(enabled) = v.bool() {
                    RuleSetting {
                        enabled: Some(enabled),
                        severity: None,
                    }
                } else if let Some(severity) = v.str().and_then(Severity::parse) {
                    RuleSetting {
                        enabled: Some(true),
                        severity: Some(severity),
                    }
                } else {
                    return Err(err(v, "use on, off, error, warning, info or a mapping"));
                }
            }
        };
        rules.insert(code, setting);
    }
    Ok(rules)
}

fn err(node: &Node, message: &str) -> ConfigError {
    ConfigError {
        range: node.range,
        message: message.to_string(),
    }
}

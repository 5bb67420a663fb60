//! Rules of the `go` group.

pub mod go001_gomemlimit_missing;
pub mod go002_gomemlimit_without_memory_limit;
pub mod go003_gomemlimit_exceeds_limit;
pub mod go004_gomaxprocs_cpu_limit;
pub mod go005_gomaxprocs_exceeds_cpu_limit;
pub mod go006_gogc_off_without_memlimit;
pub mod go007_gomemlimit_unsupported_go;

use super::Rule;
use crate::k8s::quantity::{parse_manifest_quantity, Quantity};
use crate::k8s::Container;
use crate::workspace::Workspace;
use crate::yaml::edit::Frag;
use crate::yaml::{Entry, Node};

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[
    &go001_gomemlimit_missing::GomemlimitMissing,
    &go002_gomemlimit_without_memory_limit::GomemlimitWithoutMemoryLimit,
    &go003_gomemlimit_exceeds_limit::GomemlimitExceedsLimit,
    &go004_gomaxprocs_cpu_limit::GomaxprocsCpuLimit,
    &go005_gomaxprocs_exceeds_cpu_limit::GomaxprocsExceedsCpuLimit,
    &go006_gogc_off_without_memlimit::GogcOffWithoutMemlimit,
    &go007_gomemlimit_unsupported_go::GomemlimitUnsupportedGo,
];

/// The containers the GO rules look at: Go services that keep running (main containers and
/// native sidecars), in any workload kind.
pub(crate) fn targets<'w, 'a>(ws: &'w Workspace<'a>) -> impl Iterator<Item = &'w Container<'a>> {
    ws.go_containers().filter(|c| c.is_long_running_kind())
}

/// How a container gets an environment variable.
#[derive(Debug)]
pub(crate) enum EnvSetting<'a> {
    /// An `env` item with a non-empty `value` (a string, or a number YAML typed as one).
    Value { item: &'a Node, value: &'a Node },
    /// An `env` item with `valueFrom`.
    ValueFrom { item: &'a Node, from: &'a Node },
    /// Not in `env`, but in a ConfigMap or Secret of the files that `envFrom` loads.
    EnvFrom,
    /// Not in `env`, but set by an `ENV` of the paired Dockerfile's final image.
    Image,
    /// Not in `env`; the container has `envFrom` sources that are not among the files, so it
    /// may come from there.
    MaybeEnvFrom,
    /// Not set, or set to an empty string (which the Go runtime treats as unset); the item is
    /// given when one exists.
    Unset { item: Option<&'a Node> },
}

impl<'a> EnvSetting<'a> {
    /// The `env` item, when the variable has one.
    pub(crate) fn item(&self) -> Option<&'a Node> {
        match self {
            EnvSetting::Value { item, .. } | EnvSetting::ValueFrom { item, .. } => Some(item),
            EnvSetting::Unset { item } => *item,
            _ => None,
        }
    }

    /// The literal value's text.
    pub(crate) fn literal(&self) -> Option<&'a str> {
        match self {
            EnvSetting::Value { value, .. } => value.as_scalar().map(|s| s.text.as_str()),
            _ => None,
        }
    }

    /// The `resourceFieldRef` of a `valueFrom`.
    pub(crate) fn resource_field_ref(&self) -> Option<&'a Node> {
        match self {
            EnvSetting::ValueFrom { from, .. } => from.get("resourceFieldRef"),
            _ => None,
        }
    }
}

/// How `container` sets the variable `name`: its `env` (the last item with that name wins, as
/// in Kubernetes), then its `envFrom` sources found among the files, then the paired
/// Dockerfile's `ENV`.
pub(crate) fn env_setting<'a>(
    ws: &Workspace<'a>,
    container: &Container<'a>,
    name: &str,
) -> EnvSetting<'a> {
    let item = container.env_var(name);
    if let Some(item) = item {
        if let Some(from) = item.get("valueFrom").filter(|v| !v.is_null()) {
            return EnvSetting::ValueFrom { item, from };
        }
        return match item.get("value") {
            Some(value) if value.str().is_some_and(|s| !s.is_empty()) => {
                EnvSetting::Value { item, value }
            }
            // `value: ""`, `value:` or no value: an empty variable, which Go reads as unset.
            _ => EnvSetting::Unset { item: Some(item) },
        };
    }
    let mut unknown = false;
    for source in container
        .node
        .get("envFrom")
        .map(Node::items)
        .unwrap_or_default()
    {
        let prefix = source.get("prefix").and_then(Node::str).unwrap_or("");
        let Some(key) = name.strip_prefix(prefix) else {
            continue;
        };
        let (kind, reference) = match (source.get("configMapRef"), source.get("secretRef")) {
            (Some(r), _) => ("ConfigMap", r),
            (None, Some(r)) => ("Secret", r),
            _ => continue,
        };
        match env_source_keys(ws, container, kind, reference) {
            Some(keys) if keys.contains(&key) => return EnvSetting::EnvFrom,
            Some(_) => {}
            None => unknown = true,
        }
    }
    if image_env(ws, container, name) {
        return EnvSetting::Image;
    }
    if unknown {
        return EnvSetting::MaybeEnvFrom;
    }
    EnvSetting::Unset { item: None }
}

/// Keys of the ConfigMap/Secret an `envFrom` source names, when it is among the files.
fn env_source_keys<'a>(
    ws: &Workspace<'a>,
    container: &Container<'a>,
    kind: &str,
    reference: &Node,
) -> Option<Vec<&'a str>> {
    let name = reference.get("name").and_then(Node::str)?;
    let namespace = ws.object_of(container).namespace_or_default();
    let object = ws.objects.iter().find(|o| {
        o.kind == kind && o.name == Some(name) && o.namespace_or_default() == namespace
    })?;
    let mut keys = Vec::new();
    for section in ["data", "stringData"] {
        if let Some(data) = object.node.get(section) {
            keys.extend(data.entries().filter_map(|e| e.key.str()));
        }
    }
    Some(keys)
}

/// Does the paired Dockerfile's final image set `name` with `ENV`?
fn image_env(ws: &Workspace<'_>, container: &Container<'_>, name: &str) -> bool {
    let Some(ctx) = container.dockerfile.and_then(|d| ws.dockerfiles.get(d)) else {
        return false;
    };
    let df = ctx.dockerfile;
    let Some(last) = df.final_stage() else {
        return false;
    };
    crate::dockerfile::facts::chain(df, last)
        .iter()
        .any(|stage| {
            df.stage_instructions(stage)
                .iter()
                .filter(|i| i.is("ENV"))
                .any(|i| {
                    i.key_values().iter().any(|kv| {
                        kv.name == name && kv.value.as_deref().is_some_and(|v| !v.is_empty())
                    })
                })
        })
}

/// A resource limit (`cpu` or `memory`) that parses as a non-zero quantity: its entry and value.
pub(crate) fn limit<'a>(
    container: &Container<'a>,
    resource: &str,
) -> Option<(&'a Entry, Quantity)> {
    let entry = container.resource("limits", resource)?;
    let text = entry.value.as_scalar()?.text.as_str();
    let quantity = parse_manifest_quantity(text).ok()?;
    (!quantity.is_zero() && !quantity.is_saturated()).then_some((entry, quantity))
}

/// The `limits` entry of a container's resources, present and non-null.
pub(crate) fn has_limit(container: &Container<'_>, resource: &str) -> bool {
    container
        .resource("limits", resource)
        .is_some_and(|e| !e.value.is_null())
}

/// `{name: NAME, valueFrom: {resourceFieldRef: {resource: RESOURCE}}}`: an env item reading a
/// container's own resource through the Downward API (default divisor `1`: bytes, whole cores).
pub(crate) fn downward_env(name: &str, resource: &str) -> Frag {
    Frag::map([
        ("name", Frag::scalar(name)),
        (
            "valueFrom",
            Frag::map([(
                "resourceFieldRef",
                Frag::map([("resource", Frag::scalar(resource))]),
            )]),
        ),
    ])
}

/// Where a finding about an env item points: from the item's start through its `name` value
/// (`name: GOMEMLIMIT`), else the container's name.
pub(crate) fn item_anchor(container: &Container<'_>, item: &Node) -> crate::TextRange {
    match item.get("name") {
        Some(name) if !item.via_alias && name.range.end() >= item.range.start() => {
            crate::TextRange::new(item.range.start(), name.range.end())
        }
        _ => container.name_range(),
    }
}

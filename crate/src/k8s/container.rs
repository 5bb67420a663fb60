//! A container of a pod spec, with the accessors rules need.

use crate::goversion::GoVersion;
use crate::image::ImageRef;
use crate::source::TextRange;
use crate::yaml::{Entry, Node};

use super::workload::ContainerKind;

/// A container in a workload's pod spec.
#[derive(Clone, Debug)]
pub struct Container<'a> {
    /// Index into [`crate::workspace::Workspace::pods`].
    pub pod: usize,
    /// The container's mapping.
    pub node: &'a Node,
    pub kind: ContainerKind,
    pub name: Option<&'a str>,
    /// The parsed `image`, when set.
    pub image: Option<ImageRef>,
    /// Index into [`crate::workspace::Workspace::dockerfiles`] of the paired Dockerfile.
    pub dockerfile: Option<usize>,
    /// Treated as a Go service (the GO rules apply).
    pub is_go: bool,
    /// The Go version the service is built with: configuration override, else the paired
    /// Dockerfile's builder image.
    pub go_version: Option<GoVersion>,
}

impl<'a> Container<'a> {
    /// The container's name for messages (`?` when unnamed).
    pub fn display_name(&self) -> &'a str {
        self.name.unwrap_or("?")
    }

    /// Range of the `name` value, else of the container's first key.
    pub fn name_range(&self) -> TextRange {
        self.node
            .get("name")
            .map(|n| n.range)
            .unwrap_or(TextRange::empty(self.node.range.start()))
    }

    /// A long-running container (a main container or a native sidecar).
    pub fn is_long_running_kind(&self) -> bool {
        self.kind != ContainerKind::Init
    }

    /// The `env` list items.
    pub fn env(&self) -> &'a [Node] {
        self.node.get("env").map(Node::items).unwrap_or_default()
    }

    /// The last `env` item named `name` (the one Kubernetes uses).
    pub fn env_var(&self, name: &str) -> Option<&'a Node> {
        self.env()
            .iter()
            .rev()
            .find(|item| item.get("name").and_then(Node::str) == Some(name))
    }

    /// A resource entry: `section` is `limits` or `requests`, `resource` is `cpu` or `memory`.
    pub fn resource(&self, section: &str, resource: &str) -> Option<&'a Entry> {
        self.node.get("resources")?.get(section)?.entry(resource)
    }

    /// The `resources` key's range, else the name's range (where resource findings point).
    pub fn resources_anchor(&self) -> TextRange {
        self.node
            .entry("resources")
            .map(|e| e.key.range)
            .unwrap_or_else(|| self.name_range())
    }

    /// The container's `securityContext`.
    pub fn security_context(&self) -> Option<&'a Node> {
        self.node.get("securityContext")
    }

    /// The `securityContext` key's range, else the name's range.
    pub fn security_anchor(&self) -> TextRange {
        self.node
            .entry("securityContext")
            .map(|e| e.key.range)
            .unwrap_or_else(|| self.name_range())
    }

    /// Declared `ports` items.
    pub fn ports(&self) -> &'a [Node] {
        self.node.get("ports").map(Node::items).unwrap_or_default()
    }

    /// A probe entry: `livenessProbe`, `readinessProbe` or `startupProbe`.
    pub fn probe(&self, key: &str) -> Option<&'a Entry> {
        self.node.entry(key)
    }
}

//! Pod templates and containers of workloads.

use crate::source::TextRange;
use crate::yaml::{Entry, Node};

use super::object::Object;

/// Where a workload kind keeps its pod template spec, and whether it runs indefinitely.
pub fn pod_spec_path(kind: &str) -> Option<(&'static [&'static str], bool)> {
    Some(match kind {
        "Pod" => (&["spec"], true),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" => {
            (&["spec", "template", "spec"], true)
        }
        "Job" => (&["spec", "template", "spec"], false),
        "CronJob" => (&["spec", "jobTemplate", "spec", "template", "spec"], false),
        _ => return None,
    })
}

/// A pod spec: of a Pod, or the template of a workload.
#[derive(Clone, Debug)]
pub struct Pod<'a> {
    /// Index into [`crate::workspace::Workspace::objects`].
    pub object: usize,
    /// The pod spec mapping.
    pub spec: &'a Node,
    /// The `spec` key of the pod spec (where pod-level findings point).
    pub spec_key: TextRange,
    /// The pod's (or template's) metadata mapping.
    pub metadata: Option<&'a Node>,
    /// Runs indefinitely (not a Job, CronJob or run-to-completion Pod).
    pub long_running: bool,
}

impl<'a> Pod<'a> {
    /// Finds the pod spec of a workload object.
    pub fn of(object_index: usize, object: &Object<'a>) -> Option<Pod<'a>> {
        let (path, mut long_running) = pod_spec_path(object.kind)?;
        let (parent_path, last) = path.split_at(path.len() - 1);
        let parent = object.node.path(parent_path)?;
        let entry = parent.entry(last[0])?;
        entry.value.as_mapping()?;
        if object.kind == "Pod" {
            let policy = entry.value.get("restartPolicy").and_then(Node::str);
            long_running = !matches!(policy, Some("Never" | "OnFailure"));
        }
        let metadata = if object.kind == "Pod" {
            object.node.get("metadata")
        } else {
            parent.get("metadata")
        };
        Some(Pod {
            object: object_index,
            spec: &entry.value,
            spec_key: entry.key.range,
            metadata,
            long_running,
        })
    }

    /// The template's labels.
    pub fn labels(&self) -> Vec<(&'a str, &'a str)> {
        string_map(self.metadata.and_then(|m| m.get("labels")))
    }

    /// An annotation's entry on the pod template.
    pub fn annotation(&self, key: &str) -> Option<&'a Entry> {
        self.metadata?.get("annotations")?.entry(key)
    }

    /// `terminationGracePeriodSeconds` (entry), if set.
    pub fn grace_period(&self) -> Option<&'a Entry> {
        self.spec.entry("terminationGracePeriodSeconds")
    }

    /// The pod-level `securityContext`.
    pub fn security_context(&self) -> Option<&'a Node> {
        self.spec.get("securityContext")
    }
}

/// Reads a mapping of strings (labels, selectors) as pairs; non-string values are skipped.
pub fn string_map(node: Option<&Node>) -> Vec<(&str, &str)> {
    node.map(|n| {
        n.entries()
            .filter_map(|e| Some((e.key.str()?, e.value.as_scalar()?.text.as_str())))
            .collect()
    })
    .unwrap_or_default()
}

/// Which list a container comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    /// `containers`
    Main,
    /// `initContainers` with `restartPolicy: Always` (a native sidecar).
    Sidecar,
    /// A plain init container (runs to completion before the others start).
    Init,
}

/// The containers of a pod spec with their kind.
pub fn containers_of(spec: &Node) -> Vec<(&Node, ContainerKind)> {
    let mut out = Vec::new();
    for node in spec.get("containers").map(Node::items).unwrap_or_default() {
        if node.as_mapping().is_some() {
            out.push((node, ContainerKind::Main));
        }
    }
    for node in spec
        .get("initContainers")
        .map(Node::items)
        .unwrap_or_default()
    {
        if node.as_mapping().is_some() {
            let sidecar = node.get("restartPolicy").and_then(Node::str) == Some("Always");
            let kind = if sidecar {
                ContainerKind::Sidecar
            } else {
                ContainerKind::Init
            };
            out.push((node, kind));
        }
    }
    out
}

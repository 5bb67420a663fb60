//! Kubernetes objects found in YAML documents (a `List`'s items included).

use crate::finding::ObjectRef;
use crate::source::TextRange;
use crate::yaml::{Node, YamlFile};

/// One Kubernetes object: a YAML mapping with a `kind`.
#[derive(Clone, Debug)]
pub struct Object<'a> {
    /// Index of the file in the workspace.
    pub file: usize,
    /// Index of the YAML document in its file.
    pub document: usize,
    /// The object's mapping.
    pub node: &'a Node,
    pub api_version: Option<&'a str>,
    pub kind: &'a str,
    pub name: Option<&'a str>,
    pub namespace: Option<&'a str>,
}

impl<'a> Object<'a> {
    /// Where findings about the object as a whole point: its `kind` value, else its start.
    pub fn anchor(&self) -> TextRange {
        self.node
            .get("kind")
            .map_or(TextRange::empty(self.node.range.start()), |k| k.range)
    }

    /// A reference to this object (and optionally one of its containers) for a finding.
    pub fn object_ref(&self, container: Option<&str>) -> ObjectRef {
        ObjectRef {
            document: self.document,
            kind: self.kind.into(),
            namespace: self.namespace.map(Into::into),
            name: self.name.map(Into::into),
            container: container.map(Into::into),
        }
    }

    /// `Kind/namespace/name` (or `Kind/name`, or `Kind`) for messages.
    pub fn display_name(&self) -> String {
        let mut out = String::with_capacity(64);
        self.write_display_name(&mut out);
        out
    }

    /// Appends [`Object::display_name`] to `out` (messages are built often: no `format!`).
    pub fn write_display_name(&self, out: &mut String) {
        out.push_str(self.kind);
        if let Some(name) = self.name {
            if let Some(ns) = self.namespace {
                out.push('/');
                out.push_str(ns);
            }
            out.push('/');
            out.push_str(name);
        }
    }

    /// The namespace the object lives in (`default` when unset).
    pub fn namespace_or_default(&self) -> &'a str {
        self.namespace.unwrap_or("default")
    }
}

/// All objects in a YAML file, in document order; a `kind: List` contributes its items.
pub fn objects_in(file_index: usize, file: &YamlFile) -> Vec<Object<'_>> {
    let mut out = Vec::new();
    for doc in &file.documents {
        let Some(root) = &doc.root else { continue };
        match root.get("kind").and_then(Node::str) {
            Some(kind) if kind.ends_with("List") && root.get("items").is_some() => {
                for item in root.get("items").map(Node::items).unwrap_or_default() {
                    if let Some(object) = object(file_index, doc.index, item) {
                        out.push(object);
                    }
                }
            }
            _ => out.extend(object(file_index, doc.index, root)),
        }
    }
    out
}

fn object(file: usize, document: usize, node: &Node) -> Option<Object<'_>> {
    let kind = node.get("kind")?.str()?;
    let metadata = node.get("metadata");
    Some(Object {
        file,
        document,
        node,
        api_version: node.get("apiVersion").and_then(Node::str),
        kind,
        name: metadata.and_then(|m| m.get("name")).and_then(Node::str),
        namespace: metadata
            .and_then(|m| m.get("namespace"))
            .and_then(Node::str),
    })
}

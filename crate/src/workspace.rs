//! The set of files being checked, parsed once and indexed for the rules: Kubernetes objects,
//! pod specs, containers, and Dockerfiles with the facts paired containers need.

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::config::Config;
use crate::dockerfile::{self, facts::ImageFacts, Dockerfile};
use crate::image::ImageRef;
use crate::k8s::object::objects_in;
use crate::k8s::workload::containers_of;
use crate::k8s::{Container, Object, Pod};
use crate::yaml::{self, Node, YamlFile};

/// A file to check: a name (a path, or any label) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(serde::Serialize))]
#[cfg_attr(feature = "cli", serde(rename_all = "lowercase"))]
pub enum FileKind {
    Manifest,
    Dockerfile,
}

/// Decides whether a file is a Dockerfile or a YAML manifest: by name first (`Dockerfile`,
/// `*.Dockerfile`, `Dockerfile.*`, `Containerfile`), then by content (the first instruction-like
/// line is `FROM`, `ARG` or a `# syntax=` directive).
pub fn detect_kind(name: &str, text: &str) -> FileKind {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".containerfile")
    {
        return FileKind::Dockerfile;
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json") {
        return FileKind::Manifest;
    }
    for line in text.lines().take(200) {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let directive = comment.trim().to_ascii_lowercase();
            if directive.starts_with("syntax=") || directive.starts_with("escape=") {
                return FileKind::Dockerfile;
            }
            continue;
        }
        let word = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        return if word == "FROM" || word == "ARG" {
            FileKind::Dockerfile
        } else {
            FileKind::Manifest
        };
    }
    FileKind::Manifest
}

/// A parsed file.
#[derive(Debug)]
pub enum Content {
    Yaml(YamlFile),
    Dockerfile(Dockerfile),
}

/// A file with its parse (borrowing the file's name and text).
#[derive(Debug)]
pub struct ParsedFile<'s> {
    pub name: &'s str,
    pub text: &'s str,
    pub content: Content,
}

/// What a file of 4 GiB or more is read as: nothing but an error.
fn too_large() -> yaml::YamlFile {
    yaml::YamlFile {
        errors: vec![yaml::YamlError {
            range: crate::TextRange::empty(0),
            message: "the file is 4 GiB or larger, more than shoal reads".into(),
        }],
        ..yaml::YamlFile::default()
    }
}

impl<'s> ParsedFile<'s> {
    pub fn parse(file: &'s SourceFile) -> Self {
        let content = if file.text.len() > crate::source::MAX_TEXT_LEN {
            // Offsets are `u32`: refuse the file with a parse error rather than misplace findings.
            Content::Yaml(too_large())
        } else {
            match detect_kind(&file.name, &file.text) {
                FileKind::Manifest => Content::Yaml(yaml::parse(&file.text)),
                FileKind::Dockerfile => Content::Dockerfile(dockerfile::parse(&file.text)),
            }
        };
        Self {
            name: &file.name,
            text: &file.text,
            content,
        }
    }

    pub fn kind(&self) -> FileKind {
        match self.content {
            Content::Yaml(_) => FileKind::Manifest,
            Content::Dockerfile(_) => FileKind::Dockerfile,
        }
    }

    /// Every comment: its range and its text after `#`.
    pub fn comments(&self) -> Box<dyn Iterator<Item = (crate::TextRange, &str)> + '_> {
        match &self.content {
            Content::Yaml(y) => Box::new(y.comments.iter().map(|c| (c.range, c.text.as_str()))),
            Content::Dockerfile(d) => {
                Box::new(d.comments.iter().map(|c| (c.range, c.text.as_str())))
            }
        }
    }
}

/// A Dockerfile with what it tells about the image it builds.
#[derive(Debug)]
pub struct DockerfileCtx<'a> {
    /// Index of the file in the workspace.
    pub file: usize,
    pub dockerfile: &'a Dockerfile,
    pub facts: ImageFacts,
}

/// Everything the rules look at.
pub struct Workspace<'a> {
    pub config: &'a Config,
    pub files: &'a [ParsedFile<'a>],
    pub objects: Vec<Object<'a>>,
    pub pods: Vec<Pod<'a>>,
    pub containers: Vec<Container<'a>>,
    pub dockerfiles: Vec<DockerfileCtx<'a>>,
    /// Pods by namespace and template label, built on first use (see [`Workspace::selected_pods`]).
    label_index: OnceCell<LabelIndex>,
}

/// Pod indices by namespace, and by namespace + label key + label value (joined with NULs:
/// owned keys keep [`Workspace`] covariant in its lifetime).
#[derive(Default)]
struct LabelIndex {
    by_namespace: HashMap<String, Vec<usize>>,
    by_label: HashMap<String, Vec<usize>>,
}

fn label_key(namespace: &str, key: &str, value: &str) -> String {
    format!("{namespace}\0{key}\0{value}")
}

impl<'a> Workspace<'a> {
    pub fn new(files: &'a [ParsedFile<'a>], config: &'a Config) -> Self {
        let mut objects = Vec::new();
        let mut dockerfiles = Vec::new();
        for (index, file) in files.iter().enumerate() {
            match &file.content {
                Content::Yaml(y) => objects.extend(objects_in(index, y)),
                Content::Dockerfile(d) => dockerfiles.push(DockerfileCtx {
                    file: index,
                    dockerfile: d,
                    facts: ImageFacts::of(d),
                }),
            }
        }
        let pods: Vec<Pod<'a>> = objects
            .iter()
            .enumerate()
            .filter_map(|(i, o)| Pod::of(i, o))
            .collect();
        let mut ws = Workspace {
            config,
            files,
            objects,
            pods,
            containers: Vec::new(),
            dockerfiles,
            label_index: OnceCell::new(),
        };
        ws.containers = ws.build_containers();
        ws
    }

    fn build_containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (pod_index, pod) in self.pods.iter().enumerate() {
            for (node, kind) in containers_of(pod.spec) {
                let image = node.get("image").and_then(Node::str).map(ImageRef::parse);
                let dockerfile = image.as_ref().and_then(|i| self.pair(i));
                let is_go = self.is_go(image.as_ref(), dockerfile);
                let go_version = self
                    .config
                    .go_version
                    .or_else(|| dockerfile.and_then(|d| self.dockerfiles[d].facts.go_version));
                out.push(Container {
                    pod: pod_index,
                    node,
                    kind,
                    name: node.get("name").and_then(Node::str),
                    image,
                    dockerfile,
                    is_go,
                    go_version,
                });
            }
        }
        out
    }

    /// Pairs an image with a Dockerfile: an explicit pairing in the configuration wins; else a
    /// Dockerfile whose directory name equals the image's last path segment; else, when exactly
    /// one Dockerfile is given, that one (for Go containers: not for well-known non-Go images).
    fn pair(&self, image: &ImageRef) -> Option<usize> {
        for pair in &self.config.pairs {
            if image_matches(&pair.image, image) {
                return self
                    .dockerfiles
                    .iter()
                    .position(|d| paths_match(self.files[d.file].name, &pair.dockerfile));
            }
        }
        let segment = image.last_segment();
        if let Some(found) = self
            .dockerfiles
            .iter()
            .position(|d| directory_name(self.files[d.file].name).is_some_and(|dir| dir == segment))
        {
            return Some(found);
        }
        if self.dockerfiles.len() == 1
            && !self.config.is_non_go(image)
            && (self.config.is_go(image) || !image.is_well_known_non_go())
        {
            return Some(0);
        }
        None
    }

    fn is_go(&self, image: Option<&ImageRef>, dockerfile: Option<usize>) -> bool {
        let Some(image) = image else { return true };
        if self.config.is_go(image) {
            return true;
        }
        if self.config.is_non_go(image) {
            return false;
        }
        if dockerfile.is_some_and(|d| self.dockerfiles[d].facts.builds_go) {
            return true;
        }
        !image.is_well_known_non_go()
    }

    pub fn text(&self, file: usize) -> &'a str {
        self.files[file].text
    }

    pub fn object_of(&self, container: &Container<'a>) -> &Object<'a> {
        &self.objects[self.pods[container.pod].object]
    }

    pub fn pod_of(&self, container: &Container<'a>) -> &Pod<'a> {
        &self.pods[container.pod]
    }

    /// File index of a container's manifest.
    pub fn file_of(&self, container: &Container<'a>) -> usize {
        self.object_of(container).file
    }

    /// A finding's object reference for a container.
    pub fn container_ref(&self, container: &Container<'a>) -> crate::ObjectRef {
        self.object_of(container).object_ref(container.name)
    }

    /// The containers of `ws.pods[pod]` (init containers too), in the order of `containers`. They
    /// are built pod by pod, so this is a slice found by binary search.
    pub fn containers_of_pod(&self, pod: usize) -> &[Container<'a>] {
        let start = self.containers.partition_point(|c| c.pod < pod);
        let end = self.containers.partition_point(|c| c.pod <= pod);
        &self.containers[start..end]
    }

    /// "container `api` of Deployment/shop/api" for messages.
    pub fn describe(&self, container: &Container<'a>) -> String {
        let mut out = String::with_capacity(96);
        out.push_str("container `");
        out.push_str(container.display_name());
        out.push_str("` of ");
        self.object_of(container).write_display_name(&mut out);
        out
    }

    fn label_index(&self) -> &LabelIndex {
        self.label_index.get_or_init(|| {
            let mut index = LabelIndex::default();
            for (i, pod) in self.pods.iter().enumerate() {
                let namespace = self.objects[pod.object].namespace_or_default();
                index
                    .by_namespace
                    .entry(namespace.to_string())
                    .or_default()
                    .push(i);
                for (key, value) in pod.labels() {
                    index
                        .by_label
                        .entry(label_key(namespace, key, value))
                        .or_default()
                        .push(i);
                }
            }
            index
        })
    }

    /// Pods (of workloads) in `namespace` (unset counts as `default`).
    pub fn pods_in_namespace(&self, namespace: &str) -> impl Iterator<Item = &Pod<'a>> {
        let found = self.label_index().by_namespace.get(namespace);
        found.into_iter().flatten().map(|&i| &self.pods[i])
    }

    /// Pods in `namespace` whose template labels contain every pair of `selector` (a Service's
    /// selector). An empty selector selects nothing. Uses an index, so checking every Service
    /// against every workload stays linear.
    pub fn selected_pods(&self, namespace: &str, selector: &[(&str, &str)]) -> Vec<&Pod<'a>> {
        let Some(((key, value), rest)) = selector.split_first() else {
            return Vec::new();
        };
        let index = self.label_index();
        let Some(candidates) = index.by_label.get(&label_key(namespace, key, value)) else {
            return Vec::new();
        };
        candidates
            .iter()
            .map(|&i| &self.pods[i])
            .filter(|pod| {
                let labels = pod.labels();
                rest.iter().all(|pair| labels.contains(pair))
            })
            .collect()
    }

    /// Containers that the GO rules look at.
    pub fn go_containers(&self) -> impl Iterator<Item = &Container<'a>> {
        self.containers.iter().filter(|c| c.is_go)
    }
}

/// Does a configured image pattern name this image? Matches the image as written, without its
/// tag/digest, or by its last path segment.
pub fn image_matches(pattern: &str, image: &ImageRef) -> bool {
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return false;
    }
    pattern == image.to_string()
        || pattern == image.name()
        || pattern == image.repository
        || pattern == image.last_segment()
}

fn directory_name(path: &str) -> Option<&str> {
    let normalized = path.trim_end_matches(['/', '\\']);
    let mut parts = normalized.rsplit(['/', '\\']);
    let file = parts.next()?;
    if let Some(stem) = file
        .strip_suffix(".Dockerfile")
        .or_else(|| file.strip_suffix(".dockerfile"))
    {
        return Some(stem);
    }
    parts.next().filter(|d| !d.is_empty() && *d != ".")
}

fn paths_match(file_name: &str, wanted: &str) -> bool {
    let clean = |p: &str| p.trim_start_matches("./").replace('\\', "/");
    let (a, b) = (clean(file_name), clean(wanted));
    a == b || a.ends_with(&format!("/{b}")) || b.ends_with(&format!("/{a}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name_and_content() {
        assert_eq!(detect_kind("svc/Dockerfile", ""), FileKind::Dockerfile);
        assert_eq!(detect_kind("api.Dockerfile", ""), FileKind::Dockerfile);
        assert_eq!(detect_kind("Containerfile", ""), FileKind::Dockerfile);
        assert_eq!(detect_kind("deploy.yaml", "FROM x"), FileKind::Manifest);
        assert_eq!(
            detect_kind("pasted", "# syntax=docker/dockerfile:1\nFROM x"),
            FileKind::Dockerfile
        );
        assert_eq!(
            detect_kind("pasted", "\n# c\nfrom golang AS b"),
            FileKind::Dockerfile
        );
        assert_eq!(
            detect_kind("pasted", "apiVersion: v1\nkind: Pod"),
            FileKind::Manifest
        );
    }

    #[test]
    fn directory_names() {
        assert_eq!(directory_name("services/api/Dockerfile"), Some("api"));
        assert_eq!(directory_name("build/api.Dockerfile"), Some("api"));
        assert_eq!(directory_name("Dockerfile"), None);
    }

    #[test]
    fn containers_of_each_pod() {
        let text = "\
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  initContainers: [{name: init, image: busybox}]
  containers: [{name: a1, image: x}, {name: a2, image: y}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  containers: [{name: b1, image: z}]
---
apiVersion: v1
kind: Pod
metadata: {name: empty}
spec: {containers: []}
";
        let source = SourceFile::new("p.yaml", text);
        let files = [ParsedFile::parse(&source)];
        let config = Config::default();
        let ws = Workspace::new(&files, &config);
        let names = |pod| {
            ws.containers_of_pod(pod)
                .iter()
                .map(|c| c.display_name())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(0), ["a1", "a2", "init"]);
        assert_eq!(names(1), ["b1"]);
        assert!(names(2).is_empty());
        assert!(names(3).is_empty());
    }
}

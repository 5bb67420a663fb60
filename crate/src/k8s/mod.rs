//! Kubernetes objects, pod templates and containers, read from the YAML tree.

pub mod container;
pub mod object;
pub mod quantity;
pub mod workload;

pub use container::Container;
pub use object::Object;
pub use workload::{ContainerKind, Pod};

//! Kubernetes-specific value types (resource quantities, ...).

pub mod quantity;

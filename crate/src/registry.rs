//! The one list of rules.

use crate::rules::{cross, docker, go, k8s, Rule};

/// Every rule, in catalog order.
pub fn all() -> impl Iterator<Item = &'static dyn Rule> {
    go::RULES
        .iter()
        .chain(k8s::RULES)
        .chain(docker::RULES)
        .chain(cross::RULES)
        .copied()
}

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<&'static dyn Rule> {
    all().find(|r| r.meta().code.eq_ignore_ascii_case(code))
}

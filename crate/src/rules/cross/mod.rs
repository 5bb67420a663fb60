//! Rules of the `cross` group.

use super::Rule;

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[];

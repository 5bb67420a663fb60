//! Rules of the `k8s` group.

pub mod ks105_image_tag_latest;

use super::Rule;

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[&ks105_image_tag_latest::ImageTagLatest];

//! Rules of the `k8s` group.

pub mod ks101_resources_requests_missing;
pub mod ks102_memory_limit_missing;
pub mod ks105_image_tag_latest;

use super::Rule;

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[
    &ks101_resources_requests_missing::ResourcesRequestsMissing,
    &ks102_memory_limit_missing::MemoryLimitMissing,
    &ks105_image_tag_latest::ImageTagLatest,
];

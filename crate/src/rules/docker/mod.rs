//! Rules of the `docker` group.

pub mod df009_scratch_missing_ca_certificates;
pub mod df010_missing_tzdata;
pub mod df011_go_mod_cache_order;
pub mod df012_apk_no_cache;
pub mod df013_upx_packed_binary;
pub mod df014_healthcheck_ignored;
pub mod df015_go_version_old;
pub mod df016_dockerfile_syntax;

use super::Rule;

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[
    &df009_scratch_missing_ca_certificates::ScratchMissingCaCertificates,
    &df010_missing_tzdata::MissingTzdata,
    &df011_go_mod_cache_order::GoModCacheOrder,
    &df012_apk_no_cache::ApkNoCache,
    &df013_upx_packed_binary::UpxPackedBinary,
    &df014_healthcheck_ignored::HealthcheckIgnored,
    &df015_go_version_old::GoVersionOld,
    &df016_dockerfile_syntax::DockerfileSyntax,
];

//! Rules of the `docker` group.

pub mod df001_cgo_not_disabled;
pub mod df002_go_toolchain_in_final_image;
pub mod df003_go_build_flags;
pub mod df004_runs_as_root;
pub mod df005_non_numeric_user;
pub mod df006_shell_form_entrypoint;
pub mod df007_base_image_unpinned;
pub mod df008_alpine_cgo_dns;
pub mod df009_scratch_missing_ca_certificates;
pub mod df010_missing_tzdata;
pub mod df011_go_mod_cache_order;
pub mod df012_apk_no_cache;
pub mod df013_upx_packed_binary;
pub mod df014_healthcheck_ignored;
pub mod df015_go_version_old;
pub mod df016_dockerfile_syntax;

use super::Rule;
use crate::dockerfile::Stage;
use crate::finding::ObjectRef;

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[
    &df001_cgo_not_disabled::CgoNotDisabled,
    &df002_go_toolchain_in_final_image::GoToolchainInFinalImage,
    &df003_go_build_flags::GoBuildFlags,
    &df004_runs_as_root::RunsAsRoot,
    &df005_non_numeric_user::NonNumericUser,
    &df006_shell_form_entrypoint::ShellFormEntrypoint,
    &df007_base_image_unpinned::BaseImageUnpinned,
    &df008_alpine_cgo_dns::AlpineCgoDns,
    &df009_scratch_missing_ca_certificates::ScratchMissingCaCertificates,
    &df010_missing_tzdata::MissingTzdata,
    &df011_go_mod_cache_order::GoModCacheOrder,
    &df012_apk_no_cache::ApkNoCache,
    &df013_upx_packed_binary::UpxPackedBinary,
    &df014_healthcheck_ignored::HealthcheckIgnored,
    &df015_go_version_old::GoVersionOld,
    &df016_dockerfile_syntax::DockerfileSyntax,
];

/// The object of a Dockerfile finding about `stage`: named by the stage's `AS` name, else by its
/// base image.
pub(crate) fn stage_ref(stage: &Stage) -> ObjectRef {
    ObjectRef {
        document: 0,
        kind: "Dockerfile".into(),
        name: Some(
            stage
                .name
                .clone()
                .unwrap_or_else(|| stage.image.clone())
                .into(),
        ),
        ..ObjectRef::default()
    }
}

//! Rules of the `k8s` group.

pub mod ks101_resources_requests_missing;
pub mod ks102_memory_limit_missing;
pub mod ks103_requests_exceed_limits;
pub mod ks104_cpu_limit_throttling;
pub mod ks105_image_tag_latest;
pub mod ks106_image_pull_policy_conflict;
pub mod ks107_quantity_suspicious;
pub mod ks201_run_as_non_root_missing;
pub mod ks202_privilege_escalation_allowed;
pub mod ks203_privileged_container;
pub mod ks204_writable_root_filesystem;
pub mod ks205_capabilities_not_dropped;
pub mod ks206_secret_in_env;
pub mod ks207_literal_secret_in_env;

use super::Rule;

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[
    &ks101_resources_requests_missing::ResourcesRequestsMissing,
    &ks102_memory_limit_missing::MemoryLimitMissing,
    &ks103_requests_exceed_limits::RequestsExceedLimits,
    &ks104_cpu_limit_throttling::CpuLimitThrottling,
    &ks105_image_tag_latest::ImageTagLatest,
    &ks106_image_pull_policy_conflict::ImagePullPolicyConflict,
    &ks107_quantity_suspicious::QuantitySuspicious,
    &ks201_run_as_non_root_missing::RunAsNonRootMissing,
    &ks202_privilege_escalation_allowed::PrivilegeEscalationAllowed,
    &ks203_privileged_container::PrivilegedContainer,
    &ks204_writable_root_filesystem::WritableRootFilesystem,
    &ks205_capabilities_not_dropped::CapabilitiesNotDropped,
    &ks206_secret_in_env::SecretInEnv,
    &ks207_literal_secret_in_env::LiteralSecretInEnv,
];

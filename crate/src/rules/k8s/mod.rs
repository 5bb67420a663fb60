//! Rules of the `k8s` group.

pub mod ks001_readiness_probe_missing;
pub mod ks002_liveness_probe_missing;
pub mod ks003_probes_identical;
pub mod ks004_liveness_initial_delay_short;
pub mod ks005_liveness_failure_threshold_one;
pub mod ks006_prestop_exceeds_grace_period;
pub mod ks007_prestop_missing;
pub mod ks008_grpc_grace_period_short;
pub mod ks009_probe_port_unknown;
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
pub mod ks301_configmap_subpath_no_reload;
pub mod ks302_grpc_service_not_headless;
pub mod ks303_nodeport_service;
pub mod ks304_dns_ndots_default;
pub mod ks305_service_selector_no_match;
pub mod ks306_service_target_port_unknown;
pub mod ks307_host_network;
pub mod ks308_istio_hold_application;
pub mod ks401_deprecated_api_version;
pub mod ks402_selector_template_mismatch;
pub mod ks403_duplicate_key;
pub mod ks404_duplicate_env;
pub mod ks405_config_ref_missing;

use super::Rule;

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[
    &ks001_readiness_probe_missing::ReadinessProbeMissing,
    &ks002_liveness_probe_missing::LivenessProbeMissing,
    &ks003_probes_identical::ProbesIdentical,
    &ks004_liveness_initial_delay_short::LivenessInitialDelayShort,
    &ks005_liveness_failure_threshold_one::LivenessFailureThresholdOne,
    &ks006_prestop_exceeds_grace_period::PrestopExceedsGracePeriod,
    &ks007_prestop_missing::PrestopMissing,
    &ks008_grpc_grace_period_short::GrpcGracePeriodShort,
    &ks009_probe_port_unknown::ProbePortUnknown,
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
    &ks301_configmap_subpath_no_reload::ConfigmapSubpathNoReload,
    &ks302_grpc_service_not_headless::GrpcServiceNotHeadless,
    &ks303_nodeport_service::NodeportService,
    &ks304_dns_ndots_default::DnsNdotsDefault,
    &ks305_service_selector_no_match::ServiceSelectorNoMatch,
    &ks306_service_target_port_unknown::ServiceTargetPortUnknown,
    &ks307_host_network::HostNetwork,
    &ks308_istio_hold_application::IstioHoldApplication,
    &ks401_deprecated_api_version::DeprecatedApiVersion,
    &ks402_selector_template_mismatch::SelectorTemplateMismatch,
    &ks403_duplicate_key::DuplicateKey,
    &ks404_duplicate_env::DuplicateEnv,
    &ks405_config_ref_missing::ConfigRefMissing,
];

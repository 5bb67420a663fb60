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
pub mod ks105_image_tag_latest;

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
    &ks105_image_tag_latest::ImageTagLatest,
];

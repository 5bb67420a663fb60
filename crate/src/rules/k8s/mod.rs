//! Rules of the `k8s` group.

pub mod ks105_image_tag_latest;
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
    &ks105_image_tag_latest::ImageTagLatest,
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

//! Rules of the `cross` group.
//!
//! XF004 (go-version-informs-runtime) is not a rule: the Go version of a paired Dockerfile is
//! carried by [`crate::k8s::Container::go_version`] and drives GO004 and GO007 (and DF015); the
//! tests below show that effect.

pub mod xf001_run_as_non_root_image_user;
pub mod xf002_exec_hook_without_shell;
pub mod xf003_port_mismatch;

use super::Rule;
use crate::k8s::Container;
use crate::workspace::{DockerfileCtx, Workspace};

/// The group's rules, in code order.
pub static RULES: &[&dyn Rule] = &[
    &xf001_run_as_non_root_image_user::RunAsNonRootImageUser,
    &xf002_exec_hook_without_shell::ExecHookWithoutShell,
    &xf003_port_mismatch::PortMismatch,
];

/// The Dockerfile paired with a container, if any.
pub(crate) fn paired<'w, 'a>(
    ws: &'w Workspace<'a>,
    container: &Container<'a>,
) -> Option<&'w DockerfileCtx<'a>> {
    container.dockerfile.and_then(|d| ws.dockerfiles.get(d))
}

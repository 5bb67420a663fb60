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

#[cfg(test)]
mod tests {
    //! XF004 go-version-informs-runtime: the paired Dockerfile's Go version changes what the GO
    //! rules report.

    use crate::finding::Severity;
    use crate::rules::testing::*;

    const YAML: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ghcr.io/acme/api:1.4.0\n        env:\n        - name: GOMEMLIMIT\n          valueFrom:\n            resourceFieldRef: {resource: limits.memory}\n        resources:\n          limits:\n            cpu: 500m\n            memory: 512Mi\n";

    fn dockerfile(go: &str) -> String {
        format!("FROM golang:{go} AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/api ./cmd/api\n\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /out/api /api\nENTRYPOINT [\"/api\"]\n")
    }

    fn with(code: &str, go: Option<&str>) -> Vec<crate::Finding> {
        match go {
            Some(go) => {
                let df = dockerfile(go);
                check_files(code, &[("api/Dockerfile", &df), ("deploy.yaml", YAML)])
            }
            None => check_files(code, &[("deploy.yaml", YAML)]),
        }
    }

    #[test]
    fn go_1_24_makes_go004_a_warning() {
        let found = with("GO004", Some("1.24-alpine"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(lines(&found, YAML), [16]);
    }

    #[test]
    fn go_1_25_silences_go004() {
        assert!(with("GO004", Some("1.25")).is_empty());
        assert!(with("GO004", Some("1.26.1-bookworm")).is_empty());
    }

    #[test]
    fn no_dockerfile_makes_go004_info() {
        let found = with("GO004", None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        // A Dockerfile whose builder tag has no version does not tell either.
        assert_eq!(with("GO004", Some("alpine"))[0].severity, Severity::Info);
    }

    #[test]
    fn go_1_18_triggers_go007() {
        let found = with("GO007", Some("1.18"));
        assert_eq!(lines(&found, YAML), [11]);
        assert!(with("GO007", Some("1.19")).is_empty());
        assert!(with("GO007", None).is_empty());
        // The same Go 1.18 Dockerfile also makes GO004 a warning.
        assert_eq!(with("GO004", Some("1.18"))[0].severity, Severity::Warning);
    }
}

//! Realistic broken inputs for the "load example" menu, compiled in from `static/examples/`.

/// One example: a title and its files (name, text).
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

macro_rules! file {
    ($name:literal, $path:literal) => {
        (
            $name,
            include_str!(concat!("../../static/examples/", $path)),
        )
    };
}

/// Every example, in menu order.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "oomkilled",
        title: "OOMKilled at 400Mi (no GOMEMLIMIT)",
        files: &[file!("deployment.yaml", "oomkilled/deployment.yaml")],
    },
    Example {
        id: "old-go-cpu",
        title: "250m CPU limit on Go 1.21",
        files: &[
            file!("deployment.yaml", "old-go-cpu/deployment.yaml"),
            file!("pricing.Dockerfile", "old-go-cpu/pricing.Dockerfile"),
        ],
    },
    Example {
        id: "probes",
        title: "Identical liveness and readiness probes",
        files: &[file!("deployment.yaml", "probes/deployment.yaml")],
    },
    Example {
        id: "scratch-entrypoint",
        title: "Shell-form ENTRYPOINT on scratch",
        files: &[file!("Dockerfile", "scratch-entrypoint/Dockerfile")],
    },
    Example {
        id: "root-image",
        title: "runAsNonRoot against an image running as root",
        files: &[
            file!("deployment.yaml", "root-image/deployment.yaml"),
            file!("billing/Dockerfile", "root-image/billing/Dockerfile"),
        ],
    },
];

/// The example with this id.
pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses_and_kinds_match_names() {
        for example in EXAMPLES {
            for (name, text) in example.files {
                let by_name = shoal::detect_kind(name, text);
                let by_content = shoal::detect_kind("pasted", text);
                assert_eq!(by_name, by_content, "{}: {name}", example.id);
            }
        }
    }

    #[test]
    fn oomkilled_example_shows_findings() {
        let files: Vec<shoal::SourceFile> = find("oomkilled")
            .unwrap()
            .files
            .iter()
            .map(|(n, t)| shoal::SourceFile::new(*n, *t))
            .collect();
        let analysis = shoal::analyze(&files, &shoal::Config::default());
        assert!(analysis.findings.iter().any(|f| f.code == "KS105"));
    }
}

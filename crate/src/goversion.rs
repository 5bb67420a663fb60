//! Go release versions (`1.22`, `1.22.3`, `go1.22.3`), as found in image tags, `go.mod` files and
//! toolchain names.
//!
//! Only the numeric `major.minor[.patch]` prefix is kept: pre-release and build suffixes
//! (`1.25rc1`, `1.21-alpine`) are dropped, so `1.25rc1` is treated as `1.25`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A Go release version.
///
/// Comparison (`Eq`, `Ord`, `Hash`) uses `(major, minor, patch)` with a missing patch counted as
/// `0`, so `1.22 == 1.22.0` and `1.22 < 1.22.1`.
#[derive(Debug, Clone, Copy)]
pub struct GoVersion {
    /// Major version (always `1` today).
    pub major: u32,
    /// Minor version (`22` in `1.22.3`).
    pub minor: u32,
    /// Patch version (`3` in `1.22.3`), `None` when not written.
    pub patch: Option<u32>,
}

/// First Go release whose runtime honours the `GOMEMLIMIT` soft memory limit.
pub const GOMEMLIMIT_SINCE: GoVersion = GoVersion::new(1, 19);

/// First Go release whose runtime derives the default `GOMAXPROCS` from the container's CPU limit
/// (cgroup quota) instead of the node's CPU count.
pub const CONTAINER_AWARE_GOMAXPROCS_SINCE: GoVersion = GoVersion::new(1, 25);

impl GoVersion {
    /// A version `major.minor` without a patch number.
    pub const fn new(major: u32, minor: u32) -> GoVersion {
        GoVersion {
            major,
            minor,
            patch: None,
        }
    }

    /// Parses `1.22`, `1.22.3`, `go1.22.3`, `1.25rc1` (→ `1.25`), `1.21-alpine` (→ `1.21`).
    ///
    /// Reading stops at the first character that cannot continue the version. Returns `None` when
    /// there is no `major.minor` prefix (`latest`, `alpine`, ``, `1`, `abc`) or a number does not
    /// fit in a `u32`.
    pub fn parse(text: &str) -> Option<GoVersion> {
        let rest = text.strip_prefix("go").unwrap_or(text);
        let (major, rest) = leading_number(rest)?;
        let rest = rest.strip_prefix('.')?;
        let (minor, rest) = leading_number(rest)?;
        let patch = rest
            .strip_prefix('.')
            .and_then(leading_number)
            .map(|(patch, _)| patch);
        Some(GoVersion {
            major,
            minor,
            patch,
        })
    }

    fn key(&self) -> (u32, u32, u32) {
        (self.major, self.minor, self.patch.unwrap_or(0))
    }
}

/// Splits a leading run of ASCII digits off `text` and parses it; `None` when there are no
/// digits or the number overflows `u32`.
fn leading_number(text: &str) -> Option<(u32, &str)> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if end == 0 {
        return None;
    }
    let (digits, rest) = text.split_at(end);
    let number = digits.parse::<u32>().ok()?;
    Some((number, rest))
}

impl PartialEq for GoVersion {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for GoVersion {}

impl Hash for GoVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for GoVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for GoVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for GoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.patch {
            Some(patch) => write!(f, "{}.{}.{}", self.major, self.minor, patch),
            None => write!(f, "{}.{}", self.major, self.minor),
        }
    }
}

/// Reads the Go version a `go.mod` file asks for.
///
/// Looks at the first `go 1.22` and the first `toolchain go1.22.3` directive (comments after
/// `//` are ignored). When both are present the greater one is returned: a valid `go.mod` never
/// has a toolchain older than its `go` line, so in practice the toolchain wins, and an invalid
/// older toolchain cannot lower the requirement (the go command ignores it too).
pub fn from_go_mod(text: &str) -> Option<GoVersion> {
    let mut go = None;
    let mut toolchain = None;
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}');
        let line = match line.find("//") {
            Some(comment) => line.get(..comment).unwrap_or(line),
            None => line,
        };
        let mut words = line.split_whitespace();
        let (Some(keyword), Some(value), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        match keyword {
            "go" if go.is_none() => go = GoVersion::parse(value),
            "toolchain" if toolchain.is_none() => {
                toolchain = value.strip_prefix("go").and_then(GoVersion::parse)
            }
            _ => {}
        }
    }
    match (go, toolchain) {
        (Some(go), Some(toolchain)) => Some(go.max(toolchain)),
        (go, toolchain) => toolchain.or(go),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(major: u32, minor: u32, patch: Option<u32>) -> GoVersion {
        GoVersion {
            major,
            minor,
            patch,
        }
    }

    #[test]
    fn parses_versions() {
        assert_eq!(GoVersion::parse("1.22"), Some(v(1, 22, None)));
        assert_eq!(GoVersion::parse("1.22.3"), Some(v(1, 22, Some(3))));
        assert_eq!(GoVersion::parse("go1.22.3"), Some(v(1, 22, Some(3))));
        assert_eq!(GoVersion::parse("1.25rc1"), Some(v(1, 25, None)));
        assert_eq!(GoVersion::parse("1.21-alpine"), Some(v(1, 21, None)));
        assert_eq!(
            GoVersion::parse("1.22.3-alpine3.19"),
            Some(v(1, 22, Some(3)))
        );
        assert_eq!(GoVersion::parse("1.21-bookworm"), Some(v(1, 21, None)));
        assert_eq!(GoVersion::parse("1.22."), Some(v(1, 22, None)));
        assert_eq!(GoVersion::parse("1.22.3.4"), Some(v(1, 22, Some(3))));
        assert_eq!(GoVersion::parse("1.20é"), Some(v(1, 20, None)));
    }

    #[test]
    fn rejects_non_versions() {
        for text in [
            "",
            "latest",
            "alpine",
            "1",
            "1.",
            "abc",
            "go",
            ".22",
            "v1.22",
            " 1.22",
            "+1.22",
            "1.x",
            "１.２２", // full-width digits are not ASCII digits
            "99999999999.1",
            "1.99999999999",
            "é",
        ] {
            assert_eq!(GoVersion::parse(text), None, "{text:?}");
        }
        let long = "9".repeat(100_000);
        assert_eq!(GoVersion::parse(&long), None);
        assert_eq!(GoVersion::parse(&format!("1.{long}")), None);
        // An overflowing patch is simply dropped.
        assert_eq!(
            GoVersion::parse(&format!("1.22.{long}")),
            Some(v(1, 22, None))
        );
    }

    #[test]
    fn ordering_treats_missing_patch_as_zero() {
        assert_eq!(v(1, 22, None), v(1, 22, Some(0)));
        assert!(v(1, 22, None) < v(1, 22, Some(1)));
        assert!(v(1, 9, Some(9)) < v(1, 10, None));
        assert!(v(1, 25, None) >= CONTAINER_AWARE_GOMAXPROCS_SINCE);
        assert!(v(1, 24, Some(9)) < CONTAINER_AWARE_GOMAXPROCS_SINCE);
        assert!(v(1, 19, None) >= GOMEMLIMIT_SINCE);
        assert!(v(1, 18, Some(10)) < GOMEMLIMIT_SINCE);
        assert!(v(2, 0, None) > v(1, 99, Some(99)));
        let mut set = std::collections::HashSet::new();
        set.insert(v(1, 22, None));
        assert!(set.contains(&v(1, 22, Some(0))));
    }

    #[test]
    fn displays() {
        assert_eq!(GoVersion::new(1, 22).to_string(), "1.22");
        assert_eq!(v(1, 22, Some(3)).to_string(), "1.22.3");
        assert_eq!(GOMEMLIMIT_SINCE.to_string(), "1.19");
        assert_eq!(CONTAINER_AWARE_GOMAXPROCS_SINCE.to_string(), "1.25");
    }

    #[test]
    fn reads_go_mod() {
        let text = "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.1.0\n)\n";
        assert_eq!(from_go_mod(text), Some(v(1, 22, None)));
        let text = "module m\ngo 1.22.0 // minimum\ntoolchain go1.22.3\n";
        assert_eq!(from_go_mod(text), Some(v(1, 22, Some(3))));
        let text = "\u{feff}module m\r\ngo 1.21\r\n";
        assert_eq!(from_go_mod(text), Some(v(1, 21, None)));
        // Toolchain only.
        assert_eq!(from_go_mod("toolchain go1.23.1"), Some(v(1, 23, Some(1))));
        // An (invalid) older toolchain does not lower the requirement.
        assert_eq!(
            from_go_mod("go 1.23\ntoolchain go1.21.0\n"),
            Some(v(1, 23, None))
        );
        // Commented-out directives, module paths and requirements are ignored.
        assert_eq!(from_go_mod("// go 1.22\nmodule go\n"), None);
        assert_eq!(from_go_mod("require go 1.2\n"), None);
        assert_eq!(from_go_mod(""), None);
        assert_eq!(from_go_mod("go latest\n"), None);
        assert_eq!(from_go_mod("toolchain default\n"), None);
        assert_eq!(from_go_mod("ü\u{0}go 1.22"), None);
    }
}

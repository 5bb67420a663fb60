//! Finding the files to check and reading them.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};

use shoal::SourceFile;

/// Where an input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Stdin,
    Path(PathBuf),
}

/// A file to check, with the name it is reported under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub origin: Origin,
}

/// The inputs found, and warnings about what was skipped.
#[derive(Debug, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    pub warnings: Vec<String>,
}

/// Directories never searched.
const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "target"];

/// Does a file found while walking a directory look like something shoal checks?
pub fn is_checkable(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") || lower.ends_with(".containerignore") {
        return false;
    }
    lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
}

/// Expands the command-line paths into files: files as given, directories searched recursively
/// in sorted order, `-` for standard input. No paths means the current directory. A file named
/// twice is checked once.
pub fn collect(paths: &[OsString], stdin_name: &str) -> Result<Collected, String> {
    let mut out = Collected::default();
    let mut seen = HashSet::new();
    if paths.is_empty() {
        walk_dir(Path::new("."), true, &mut out, &mut seen)?;
        return Ok(out);
    }
    let mut stdin_seen = false;
    for raw in paths {
        let Some(path) = raw.to_str() else {
            out.warnings.push(format!(
                "skipping {}: the path is not valid UTF-8",
                raw.to_string_lossy()
            ));
            continue;
        };
        if path == "-" {
            if stdin_seen {
                return Err("`-` (standard input) is given more than once".into());
            }
            stdin_seen = true;
            out.inputs.push(Input {
                name: stdin_name.to_string(),
                origin: Origin::Stdin,
            });
            continue;
        }
        let fs_path = Path::new(path);
        let meta = std::fs::metadata(fs_path).map_err(|e| format!("{path}: {}", io_reason(&e)))?;
        if meta.is_dir() {
            walk_dir(fs_path, false, &mut out, &mut seen)?;
        } else {
            push_file(fs_path, path.to_string(), &mut out, &mut seen);
        }
    }
    Ok(out)
}

fn push_file(path: &Path, name: String, out: &mut Collected, seen: &mut HashSet<PathBuf>) {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if seen.insert(key) {
        out.inputs.push(Input {
            name,
            origin: Origin::Path(path.to_path_buf()),
        });
    }
}

/// Searches a directory. `implicit` is the current directory when no path was given: its files
/// are named without a leading `./`.
fn walk_dir(
    dir: &Path,
    implicit: bool,
    out: &mut Collected,
    seen: &mut HashSet<PathBuf>,
) -> Result<(), String> {
    let shown = |p: &Path| p.display().to_string();
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("{}: {}", shown(dir), io_reason(&e)))?;
    let mut entries: Vec<(OsString, std::fs::DirEntry)> = entries
        .map(|e| e.map(|e| (e.file_name(), e)))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {}", shown(dir), io_reason(&e)))?;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (file_name, entry) in entries {
        let path = if implicit {
            PathBuf::from(&file_name)
        } else {
            dir.join(&file_name)
        };
        let Some(name) = file_name.to_str() else {
            out.warnings.push(format!(
                "skipping {}: the path is not valid UTF-8",
                path.to_string_lossy()
            ));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if !SKIPPED_DIRS.contains(&name) {
                walk_dir(&path, false, out, seen)?;
            }
            continue;
        }
        // Symbolic links are followed to files, never to directories (no cycles).
        let is_file = file_type.is_file()
            || (file_type.is_symlink() && std::fs::metadata(&path).is_ok_and(|m| m.is_file()));
        if is_file && is_checkable(name) {
            let Some(display) = path.to_str() else {
                continue;
            };
            push_file(&path, display.to_string(), out, seen);
        }
    }
    Ok(())
}

/// Reads every input as UTF-8 text. Errors are one-line reasons naming the file.
pub fn read(inputs: &[Input]) -> Result<Vec<SourceFile>, String> {
    inputs
        .iter()
        .map(|input| {
            let bytes = match &input.origin {
                Origin::Stdin => {
                    let mut bytes = Vec::new();
                    std::io::stdin()
                        .lock()
                        .read_to_end(&mut bytes)
                        .map_err(|e| format!("{}: {}", input.name, io_reason(&e)))?;
                    bytes
                }
                Origin::Path(path) => {
                    std::fs::read(path).map_err(|e| format!("{}: {}", input.name, io_reason(&e)))?
                }
            };
            let text = String::from_utf8(bytes).map_err(|e| {
                format!(
                    "{}: not valid UTF-8 (byte {})",
                    input.name,
                    e.utf8_error().valid_up_to()
                )
            })?;
            Ok(SourceFile::new(input.name.clone(), text))
        })
        .collect()
}

/// A short, lowercase reason for an I/O error, without the OS error number.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkable_names() {
        for name in [
            "deploy.yaml",
            "x.YML",
            "Dockerfile",
            "api.Dockerfile",
            "Dockerfile.prod",
            "Containerfile",
        ] {
            assert!(is_checkable(name), "{name}");
        }
        for name in [
            "main.go",
            "Dockerfile.dockerignore",
            "README.md",
            "values.json",
        ] {
            assert!(!is_checkable(name), "{name}");
        }
    }
}

//! What a fix changes, line by line, for the preview shown before applying it.

use shoal::{apply_fixes, Fix, LineIndex};

/// The lines a fix replaces and the lines it writes instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    /// 1-based number of the first changed line.
    pub first_line: usize,
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// The whole text after the fix.
    pub after: String,
}

/// The preview of `fix` on `text`; `None` when the fix does not apply.
pub fn preview(text: &str, fix: &Fix) -> Option<Preview> {
    let range = fix.range()?;
    let (after, applied) = apply_fixes(text, [fix]);
    if applied == 0 {
        return None;
    }
    let index = LineIndex::new(text);
    let first = index.line_of(range.start());
    let last = index.line_of(range.end());
    let start = index.line_start(first);
    let end = index.line_range(last, text).end();
    let delta = after.len() as isize - text.len() as isize;
    let new_end = (end as isize + delta) as usize;
    let new_end = after[new_end..]
        .find('\n')
        .map_or(after.len(), |n| new_end + n);
    let lines = |s: &str| -> Vec<String> {
        s.trim_end_matches('\r')
            .split('\n')
            .map(|l| l.trim_end_matches('\r').to_string())
            .collect()
    };
    Some(Preview {
        first_line: first + 1,
        removed: lines(&text[start..end]),
        added: lines(&after[start..new_end]),
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shoal::{Edit, TextRange};

    #[test]
    fn replacement_within_a_line() {
        let text = "a: 1\nimage: x:latest\nc: 3\n";
        let at = text.find("latest").unwrap();
        let fix = Fix::safe(
            "pin",
            vec![Edit::replace(TextRange::new(at, at + 6), "1.2")],
        );
        let p = preview(text, &fix).unwrap();
        assert_eq!(p.first_line, 2);
        assert_eq!(p.removed, ["image: x:latest"]);
        assert_eq!(p.added, ["image: x:1.2"]);
        assert_eq!(p.after, "a: 1\nimage: x:1.2\nc: 3\n");
    }

    #[test]
    fn insertion_of_lines() {
        let text = "env:\nlimits:\n  memory: 1Gi\n";
        let at = text.find("limits").unwrap();
        let fix = Fix::safe("add", vec![Edit::insert(at, "- name: X\n  value: 1\n")]);
        let p = preview(text, &fix).unwrap();
        assert_eq!(p.first_line, 2);
        assert_eq!(p.removed, ["limits:"]);
        assert_eq!(p.added, ["- name: X", "  value: 1", "limits:"]);
    }

    #[test]
    fn crlf_and_out_of_range() {
        let text = "a\r\nb\r\n";
        let fix = Fix::safe("x", vec![Edit::replace(TextRange::new(3, 4), "B")]);
        let p = preview(text, &fix).unwrap();
        assert_eq!(
            (p.removed.clone(), p.added.clone()),
            (vec!["b".to_string()], vec!["B".to_string()])
        );
        let bad = Fix::safe("x", vec![Edit::insert(99, "y")]);
        assert!(preview(text, &bad).is_none());
    }
}

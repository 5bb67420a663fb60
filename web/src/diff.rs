//! What a fix changes, line by line, for the preview shown before applying it: the changed
//! lines only (lines a fix rewrites unchanged are context), with two lines of context around.

use shoal::{apply_fixes, Fix, LineIndex};

/// Unchanged lines shown before and after the change.
const CONTEXT: usize = 2;

/// A line of the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub change: Change,
    /// 1-based line number before the fix (context and removed lines).
    pub old: Option<usize>,
    /// 1-based line number after the fix (context and added lines).
    pub new: Option<usize>,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
}

/// The lines a fix changes, in context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    /// 1-based number of the first changed line (before the fix).
    pub first_line: usize,
    pub lines: Vec<Line>,
    /// The whole text after the fix.
    pub after: String,
}

/// The lines of `text`, without line breaks; a text ending with a line break has no empty
/// line after it.
fn lines_of(text: &str) -> Vec<&str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// The preview of `fix` on `text`; `None` when the fix does not apply.
pub fn preview(text: &str, fix: &Fix) -> Option<Preview> {
    let range = fix.range()?;
    let (after, applied) = apply_fixes(text, [fix]);
    if applied == 0 {
        return None;
    }
    // The whole lines the fix touches, before and after it.
    let index = LineIndex::new(text);
    let first = index.line_of(range.start());
    let start = index.line_start(first);
    let end = index.line_range(index.line_of(range.end()), text).end();
    let new_end = (end as isize + after.len() as isize - text.len() as isize) as usize;
    let new_end = after[new_end..]
        .find('\n')
        .map_or(after.len(), |n| new_end + n);
    let old = lines_of(&text[start..end]);
    let new = lines_of(&after[start..new_end]);
    // Lines the fix rewrote unchanged, at either end, are context.
    let same_head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let most = old.len().min(new.len()) - same_head;
    let same_tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(most)
        .take_while(|(a, b)| a == b)
        .count();
    let removed = &old[same_head..old.len() - same_tail];
    let added = &new[same_head..new.len() - same_tail];
    // 0-based index of the first changed line, the same before and after the fix.
    let at = first + same_head;
    let all = lines_of(text);
    let same = |i: usize, shift: isize| Line {
        change: Change::Same,
        old: Some(i + 1),
        new: Some((i as isize + shift) as usize + 1),
        text: all[i].to_string(),
    };
    let mut lines: Vec<Line> = (at.saturating_sub(CONTEXT)..at.min(all.len()))
        .map(|i| same(i, 0))
        .collect();
    lines.extend(removed.iter().enumerate().map(|(i, l)| Line {
        change: Change::Removed,
        old: Some(at + i + 1),
        new: None,
        text: l.to_string(),
    }));
    lines.extend(added.iter().enumerate().map(|(i, l)| Line {
        change: Change::Added,
        old: None,
        new: Some(at + i + 1),
        text: l.to_string(),
    }));
    let resume = at + removed.len();
    let shift = added.len() as isize - removed.len() as isize;
    lines.extend((resume..(resume + CONTEXT).min(all.len())).map(|i| same(i, shift)));
    Some(Preview {
        first_line: at + 1,
        lines,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shoal::{Edit, TextRange};

    /// The preview as `"old new sign text"` rows.
    fn rows(p: &Preview) -> Vec<String> {
        let n = |x: Option<usize>| x.map_or("-".to_string(), |n| n.to_string());
        p.lines
            .iter()
            .map(|l| {
                let sign = match l.change {
                    Change::Same => ' ',
                    Change::Removed => '-',
                    Change::Added => '+',
                };
                format!("{} {} {sign}{}", n(l.old), n(l.new), l.text)
            })
            .collect()
    }

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
        assert_eq!(
            rows(&p),
            [
                "1 1  a: 1",
                "2 - -image: x:latest",
                "- 2 +image: x:1.2",
                "3 3  c: 3"
            ]
        );
        assert_eq!(p.after, "a: 1\nimage: x:1.2\nc: 3\n");
    }

    #[test]
    fn insertion_of_lines_shows_the_rewritten_line_as_context() {
        let text = "a: 0\nb: 0\nenv:\nlimits:\n  memory: 1Gi\nx: 1\ny: 2\nz: 3\n";
        let at = text.find("limits").unwrap();
        let fix = Fix::safe("add", vec![Edit::insert(at, "- name: X\n  value: 1\n")]);
        let p = preview(text, &fix).unwrap();
        assert_eq!(p.first_line, 4);
        assert_eq!(
            rows(&p),
            [
                "2 2  b: 0",
                "3 3  env:",
                "- 4 +- name: X",
                "- 5 +  value: 1",
                "4 6  limits:",
                "5 7    memory: 1Gi",
            ]
        );
    }

    #[test]
    fn insertion_at_the_end_of_the_file() {
        let text = "a: 1\nb: 2\n";
        let fix = Fix::safe("add", vec![Edit::insert(text.len(), "c: 3\n")]);
        let p = preview(text, &fix).unwrap();
        assert_eq!(p.first_line, 3);
        assert_eq!(rows(&p), ["1 1  a: 1", "2 2  b: 2", "- 3 +c: 3"]);
    }

    #[test]
    fn removal_of_lines() {
        let text = "a\nb\nc\nd\n";
        let fix = Fix::safe("rm", vec![Edit::replace(TextRange::new(2, 6), "")]);
        let p = preview(text, &fix).unwrap();
        assert_eq!(rows(&p), ["1 1  a", "2 - -b", "3 - -c", "4 2  d"]);
    }

    #[test]
    fn crlf_and_out_of_range() {
        let text = "a\r\nb\r\n";
        let fix = Fix::safe("x", vec![Edit::replace(TextRange::new(3, 4), "B")]);
        let p = preview(text, &fix).unwrap();
        assert_eq!(rows(&p), ["1 1  a", "2 - -b", "- 2 +B"]);
        let bad = Fix::safe("x", vec![Edit::insert(99, "y")]);
        assert!(preview(text, &bad).is_none());
    }
}

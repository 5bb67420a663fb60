//! A small Markdown parser for the subset the rule docs use: ATX headings, paragraphs, bullet
//! and numbered lists, fenced code blocks, and inline code, links, `**strong**` and `*emphasis*`.
//!
//! It produces a tree of plain text; the view renders every piece of text as a text node, so
//! nothing in the docs can become HTML. Links keep their target only for `http:`/`https:`.

/// A block of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    /// A fenced code block: its info string (e.g. `yaml bad`) and text.
    Code {
        info: String,
        text: String,
    },
}

/// Inline content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    /// A link; `href` is `None` when the target is not http(s).
    Link {
        href: Option<String>,
        label: Vec<Inline>,
    },
}

/// Parses a document.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().peekable();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            flush(&mut paragraph, &mut blocks);
            let mut code = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(l);
            }
            blocks.push(Block::Code {
                info: info.trim().to_string(),
                text: code.join("\n"),
            });
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some((level, rest)) = heading(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading(level, inline(rest)));
        } else if let Some((ordered, first)) = list_item(trimmed) {
            flush(&mut paragraph, &mut blocks);
            let mut items = vec![first.to_string()];
            while let Some(next) = lines.peek() {
                let t = next.trim_start();
                if let Some((o, item)) = list_item(t).filter(|(o, _)| *o == ordered) {
                    let _ = o;
                    items.push(item.to_string());
                } else if !t.is_empty() && next.starts_with("  ") {
                    let last = items.last_mut().expect("a list has an item");
                    last.push(' ');
                    last.push_str(t);
                } else {
                    break;
                }
                lines.next();
            }
            blocks.push(Block::List {
                ordered,
                items: items.iter().map(|i| inline(i)).collect(),
            });
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    let rest = &line[hashes..];
    ((1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with(' ')))
        .then(|| (hashes as u8, rest.trim()))
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = line[digits..].strip_prefix(". ") {
            return Some((true, rest));
        }
    }
    None
}

/// Parses inline content.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let parsed = match c {
            '`' => code_span(rest),
            '[' => link(rest),
            '*' if rest.starts_with("**") => {
                delimited(rest, "**").map(|(inner, used)| (Inline::Strong(inline(inner)), used))
            }
            '*' => {
                delimited(rest, "*").map(|(inner, used)| (Inline::Emphasis(inline(inner)), used))
            }
            _ => None,
        };
        match parsed {
            Some((node, used)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(node);
                rest = &rest[used..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

fn code_span(text: &str) -> Option<(Inline, usize)> {
    let ticks = text.bytes().take_while(|b| *b == b'`').count();
    let fence = &text[..ticks];
    let end = text[ticks..].find(fence)?;
    let inner = &text[ticks..ticks + end];
    let inner = if inner.starts_with(' ') && inner.ends_with(' ') && inner.trim() != "" {
        &inner[1..inner.len() - 1]
    } else {
        inner
    };
    Some((Inline::Code(inner.to_string()), ticks + end + ticks))
}

fn delimited<'a>(text: &'a str, marker: &str) -> Option<(&'a str, usize)> {
    let body = text.strip_prefix(marker)?;
    if body.starts_with(' ') {
        return None;
    }
    let end = body.find(marker)?;
    (end > 0).then(|| (&body[..end], marker.len() * 2 + end))
}

fn link(text: &str) -> Option<(Inline, usize)> {
    let mut depth = 0usize;
    let mut close = None;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let after = text[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    let target = after[..end].trim();
    let href = (target.starts_with("https://") || target.starts_with("http://"))
        .then(|| target.to_string());
    Some((
        Inline::Link {
            href,
            label: inline(&text[1..close]),
        },
        close + 2 + end + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn blocks() {
        let doc = "## What it does\n\nReports a `thing`\nover two lines.\n\n- one\n- two [k8s](https://k8s.io/x)\n  continued\n\n1. first\n2. second\n\n```yaml bad\nkind: Pod\n\n  x: 1\n```\n";
        let blocks = parse(doc);
        assert_eq!(blocks[0], Block::Heading(2, vec![t("What it does")]));
        assert_eq!(
            blocks[1],
            Block::Paragraph(vec![
                t("Reports a "),
                Inline::Code("thing".into()),
                t(" over two lines.")
            ])
        );
        let Block::List {
            ordered: false,
            items,
        } = &blocks[2]
        else {
            panic!("{:?}", blocks[2])
        };
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[1],
            vec![
                t("two "),
                Inline::Link {
                    href: Some("https://k8s.io/x".into()),
                    label: vec![t("k8s")]
                },
                t(" continued")
            ]
        );
        assert!(matches!(&blocks[3], Block::List { ordered: true, items } if items.len() == 2));
        assert_eq!(
            blocks[4],
            Block::Code {
                info: "yaml bad".into(),
                text: "kind: Pod\n\n  x: 1".into()
            }
        );
    }

    #[test]
    fn unsafe_links_lose_their_target_and_html_stays_text() {
        let inl = inline("[x](javascript:alert(1)) <script>alert(1)</script> **b** *e*");
        assert!(matches!(&inl[0], Inline::Link { href: None, .. }));
        assert!(
            inl.contains(&t(" <script>alert(1)</script> "))
                || inl
                    .iter()
                    .any(|i| matches!(i, Inline::Text(s) if s.contains("<script>")))
        );
        assert!(inl.contains(&Inline::Strong(vec![t("b")])));
        assert!(inl.contains(&Inline::Emphasis(vec![t("e")])));
    }

    #[test]
    fn unbalanced_markers_are_text() {
        assert_eq!(
            inline("a `b and [c and * d"),
            vec![t("a `b and [c and * d")]
        );
        assert_eq!(inline("GOGC=off *"), vec![t("GOGC=off *")]);
    }
}

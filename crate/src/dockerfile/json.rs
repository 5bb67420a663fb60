//! Exec form: a JSON array of strings, parsed by hand to keep each string's position.

use std::ops::Range;

/// Why a text is not a JSON string array.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum JsonError {
    /// Not valid JSON (or not an array): Docker treats the text as shell form.
    Syntax,
    /// A valid JSON array with an element that is not a string: Docker rejects it.
    NotStrings,
}

/// Parses `text` (which should start with `[`) as a JSON array of strings. Returns each
/// string's value and its range in `text` (quotes included).
pub(crate) fn parse_string_array(text: &str) -> Result<Vec<(String, Range<usize>)>, JsonError> {
    match parse_strict(text) {
        Some(v) => Ok(v),
        None => {
            if matches!(crate::json::parse(text), Ok(crate::json::Value::Array(_))) {
                Err(JsonError::NotStrings)
            } else {
                Err(JsonError::Syntax)
            }
        }
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn parse_strict(text: &str) -> Option<Vec<(String, Range<usize>)>> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let skip = |i: &mut usize| {
        while bytes.get(*i).is_some_and(|b| is_ws(*b)) {
            *i += 1;
        }
    };
    skip(&mut i);
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    skip(&mut i);
    let mut out = Vec::new();
    if bytes.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            skip(&mut i);
            let start = i;
            let value = string(text, &mut i)?;
            out.push((value, start..i));
            skip(&mut i);
            match bytes.get(i) {
                Some(b',') => i += 1,
                Some(b']') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    skip(&mut i);
    (i == bytes.len()).then_some(out)
}

/// A JSON string at `*i` (which must be `"`); advances past the closing quote.
fn string(text: &str, i: &mut usize) -> Option<String> {
    let bytes = text.as_bytes();
    if bytes.get(*i) != Some(&b'"') {
        return None;
    }
    *i += 1;
    let mut out = String::new();
    loop {
        let rest = text.get(*i..)?;
        let c = rest.chars().next()?;
        *i += c.len_utf8();
        match c {
            '"' => return Some(out),
            '\\' => {
                let e = *bytes.get(*i)?;
                *i += 1;
                match e {
                    b'"' => out.push('"'),
                    b'\\' => out.push('\\'),
                    b'/' => out.push('/'),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'n' => out.push('\n'),
                    b'r' => out.push('\r'),
                    b't' => out.push('\t'),
                    b'u' => {
                        let hi = hex4(text, i)?;
                        if (0xD800..0xDC00).contains(&hi) {
                            // A surrogate pair, or U+FFFD as Go decodes a lone surrogate.
                            let save = *i;
                            if text.get(*i..*i + 2) == Some("\\u") {
                                *i += 2;
                                match hex4(text, i) {
                                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                        out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                                        continue;
                                    }
                                    _ => *i = save,
                                }
                            }
                            out.push('\u{fffd}');
                        } else {
                            out.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
                        }
                    }
                    _ => return None,
                }
            }
            c if (c as u32) < 0x20 => return None,
            c => out.push(c),
        }
    }
}

fn hex4(text: &str, i: &mut usize) -> Option<u32> {
    let digits = text.get(*i..*i + 4)?;
    let v = u32::from_str_radix(digits, 16).ok()?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    *i += 4;
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_arrays() {
        let t = r#"["/app", "--port", "8080"]"#;
        let v = parse_string_array(t).unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(v[1].0, "--port");
        assert_eq!(&t[v[1].1.clone()], "\"--port\"");
        assert_eq!(parse_string_array("[]").unwrap().len(), 0);
        assert_eq!(
            parse_string_array(r#"["a\"b\u00e9\ud83d\ude00"]"#).unwrap()[0].0,
            "a\"bé😀"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(parse_string_array(r#"["a", "b""#), Err(JsonError::Syntax));
        assert_eq!(parse_string_array(r#"["a",]"#), Err(JsonError::Syntax));
        assert_eq!(parse_string_array(r#"['a']"#), Err(JsonError::Syntax));
        assert_eq!(parse_string_array(r#"["a"] x"#), Err(JsonError::Syntax));
        assert_eq!(
            parse_string_array(r#"[1, "a"]"#),
            Err(JsonError::NotStrings)
        );
        assert_eq!(parse_string_array("[\"a\tb\"]"), Err(JsonError::Syntax));
    }
}

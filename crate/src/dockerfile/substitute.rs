//! Word processing as Docker's shell lexer does it for ENV, ARG, LABEL, COPY, FROM, ...:
//! quote removal, the escape character and `$VAR` / `${VAR...}` expansion.

/// Looks a variable up; `None` means unset.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// `${...}` nesting deeper than this is copied literally (keeps recursion bounded).
const MAX_DEPTH: usize = 32;

/// Processes one word: removes quotes, applies the escape character and, when `lookup` is
/// given, expands variables (unset ones expand to nothing). Without `lookup`, `$` is literal.
pub(crate) fn process_word(word: &str, escape: char, lookup: Option<Lookup<'_>>) -> String {
    let mut p = Processor {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        lookup,
    };
    p.run(None, 0)
}

struct Processor<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    lookup: Option<Lookup<'a>>,
}

impl Processor<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    /// Processes until `stop` (consumed) or the end.
    fn run(&mut self, stop: Option<char>, depth: usize) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += 1;
                break;
            }
            match c {
                '\'' => {
                    self.pos += 1;
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == '\'' {
                            break;
                        }
                        out.push(c);
                    }
                }
                '"' => {
                    self.pos += 1;
                    self.double_quoted(&mut out, depth);
                }
                '$' if self.lookup.is_some() => self.dollar(&mut out, depth),
                c if c == self.escape => {
                    self.pos += 1;
                    if let Some(n) = self.peek() {
                        out.push(n);
                        self.pos += 1;
                    }
                }
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        out
    }

    fn double_quoted(&mut self, out: &mut String, depth: usize) {
        while let Some(c) = self.peek() {
            if c == '"' {
                self.pos += 1;
                return;
            }
            if c == '$' && self.lookup.is_some() {
                self.dollar(out, depth);
                continue;
            }
            self.pos += 1;
            if c == self.escape {
                match self.peek() {
                    None => continue,
                    Some(n) if n == '"' || n == '$' || n == self.escape => {
                        out.push(n);
                        self.pos += 1;
                        continue;
                    }
                    Some(_) => {}
                }
            }
            out.push(c);
        }
    }

    fn lookup(&self, name: &str) -> Option<String> {
        self.lookup.and_then(|f| f(name))
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                    name.push(c);
                    self.pos += 1;
                }
                return name;
            }
            Some(c) if "@*#?-$!".contains(c) => {
                self.pos += 1;
                name.push(c);
                return name;
            }
            _ => {}
        }
        while let Some(c) = self.peek() {
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            name.push(c);
            self.pos += 1;
        }
        name
    }

    /// At a `$`.
    fn dollar(&mut self, out: &mut String, depth: usize) {
        self.pos += 1;
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.braced(out, depth);
            }
            Some(c) if c.is_alphanumeric() || c == '_' || "@*#?-$!".contains(c) => {
                let name = self.name();
                out.push_str(&self.lookup(&name).unwrap_or_default());
            }
            _ => out.push('$'),
        }
    }

    /// After `${`.
    fn braced(&mut self, out: &mut String, depth: usize) {
        let name = self.name();
        let value = self.lookup(&name);
        if self.peek() == Some('}') {
            self.pos += 1;
            out.push_str(&value.unwrap_or_default());
            return;
        }
        let colon = self.peek() == Some(':');
        let op = if colon { self.peek_at(1) } else { self.peek() };
        let op = match op {
            Some(op @ ('-' | '+' | '?')) => {
                self.pos += if colon { 2 } else { 1 };
                op
            }
            _ => {
                // Unsupported modifier (patterns, substrings): skip to the closing brace and
                // use the plain value.
                self.skip_to_brace();
                out.push_str(&value.unwrap_or_default());
                return;
            }
        };
        let word = if depth >= MAX_DEPTH {
            self.raw_to_brace()
        } else {
            self.run(Some('}'), depth + 1)
        };
        let set = match &value {
            Some(v) => !colon || !v.is_empty(),
            None => false,
        };
        match op {
            '-' => out.push_str(&if set { value.unwrap_or_default() } else { word }),
            '+' => {
                if set {
                    out.push_str(&word);
                }
            }
            _ => out.push_str(&value.unwrap_or_default()),
        }
    }

    fn skip_to_brace(&mut self) {
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '}' {
                break;
            }
        }
    }

    fn raw_to_brace(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '}' {
                break;
            }
            s.push(c);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "GO" => Some("1.22".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    fn x(word: &str) -> String {
        process_word(word, '\\', Some(&env))
    }

    #[test]
    fn expansions() {
        assert_eq!(x("golang:${GO}-alpine"), "golang:1.22-alpine");
        assert_eq!(x("$GO/x"), "1.22/x");
        assert_eq!(x("${NOPE:-dflt}"), "dflt");
        assert_eq!(x("${EMPTY:-dflt}"), "dflt");
        assert_eq!(x("${EMPTY-dflt}"), "");
        assert_eq!(x("${NOPE-dflt}"), "dflt");
        assert_eq!(x("${GO:+alt}"), "alt");
        assert_eq!(x("${EMPTY:+alt}"), "");
        assert_eq!(x("${EMPTY+alt}"), "alt");
        assert_eq!(x("${NOPE+alt}"), "");
        assert_eq!(x("${NOPE:-${GO}}"), "1.22");
        assert_eq!(x("\\$GO"), "$GO");
        assert_eq!(x("'$GO'"), "$GO");
        assert_eq!(x("\"$GO x\""), "1.22 x");
        assert_eq!(x("a$"), "a$");
        assert_eq!(x("$NOPE"), "");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let word = "${A:-".repeat(10_000) + &"}".repeat(10_000);
        let _ = x(&word);
    }

    #[test]
    fn without_lookup_dollar_is_literal() {
        assert_eq!(process_word("\"$A b\"", '\\', None), "$A b");
        assert_eq!(process_word("a`$b", '`', None), "a$b");
    }
}

//! The `Expect:` line of a feedparser test file, read: the Python expression
//! its test suite evaluates against `feedparser.parse(file)`, reduced to the
//! checks on an entry's title, body, link and id that compare with a string
//! (`entries[0]['title'] == u'Example'`). Clauses of any other shape
//! (`not bozo`, `len(...)`, `ord(...)`, feed-level keys) are not checks of
//! those kinds and are left out.

/// What a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Title,
    Body,
    Link,
    Id,
}

/// The entry field a check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    /// `summary`, `description`, `summary_detail.value`.
    Summary,
    /// `content[n].value`.
    Content,
    Link,
    Id,
}

impl Field {
    pub fn kind(self) -> Kind {
        match self {
            Field::Title => Kind::Title,
            Field::Summary | Field::Content => Kind::Body,
            Field::Link => Kind::Link,
            Field::Id => Kind::Id,
        }
    }
}

/// `entries[entry][field] == expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub entry: usize,
    pub field: Field,
    pub expected: String,
}

/// The expression after `Expect:` in a test file's leading comment.
pub fn expect_line(file: &str) -> Option<&str> {
    let description = file.find("Description:")?;
    let at = description + file[description..].find("Expect:")?;
    let line = file[at + "Expect:".len()..].lines().next()?;
    Some(line.trim().trim_end_matches("-->").trim())
}

/// The checks the expression makes, in order.
pub fn checks(expression: &str) -> Vec<Check> {
    let Some(tokens) = tokenize(expression) else {
        return Vec::new();
    };
    tokens
        .split(|t| *t == Token::Ident("and".into()))
        .flat_map(clause)
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Str(String),
    Ident(String),
    Int(usize),
    Open,
    Close,
    Equal,
    Plus,
    /// Any other operator or punctuation.
    Other,
}

/// One side of an `==` chain.
enum Operand {
    Path(usize, Field),
    Literal(String),
}

fn clause(tokens: &[Token]) -> Vec<Check> {
    let operands: Option<Vec<Operand>> =
        tokens.split(|t| *t == Token::Equal).map(operand).collect();
    let Some(operands) = operands.filter(|o| o.len() >= 2) else {
        return Vec::new();
    };
    let literals: Vec<&String> = operands
        .iter()
        .filter_map(|o| match o {
            Operand::Literal(s) => Some(s),
            Operand::Path(..) => None,
        })
        .collect();
    let [expected] = literals[..] else {
        return Vec::new();
    };
    operands
        .iter()
        .filter_map(|o| match o {
            Operand::Path(entry, field) => Some(Check {
                entry: *entry,
                field: *field,
                expected: expected.clone(),
            }),
            Operand::Literal(_) => None,
        })
        .collect()
}

fn operand(tokens: &[Token]) -> Option<Operand> {
    match tokens {
        [Token::Str(_), ..] => {
            let mut text = String::new();
            for (i, token) in tokens.iter().enumerate() {
                match (i % 2, token) {
                    (0, Token::Str(s)) => text.push_str(s),
                    (1, Token::Plus) => {}
                    _ => return None,
                }
            }
            Some(Operand::Literal(text))
        }
        [Token::Ident(name), rest @ ..] if name == "entries" => {
            let mut keys = Vec::new();
            let mut rest = rest;
            while let [Token::Open, key, Token::Close, tail @ ..] = rest {
                keys.push(key.clone());
                rest = tail;
            }
            if !rest.is_empty() {
                return None;
            }
            let (Token::Int(entry), keys) = keys.split_first()? else {
                return None;
            };
            let keys: Vec<String> = keys
                .iter()
                .map(|k| match k {
                    Token::Str(s) => s.clone(),
                    Token::Int(n) => n.to_string(),
                    _ => String::from("?"),
                })
                .collect();
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let field = match keys[..] {
                ["title"] | ["title_detail", "value"] => Field::Title,
                ["summary"] | ["description"] | ["summary_detail", "value"] => Field::Summary,
                ["content", _, "value"] => Field::Content,
                ["link"] => Field::Link,
                ["id"] | ["guid"] => Field::Id,
                _ => return None,
            };
            Some(Operand::Path(*entry, field))
        }
        _ => None,
    }
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let prefix_len = chars[i..]
            .iter()
            .take_while(|c| matches!(c, 'u' | 'U' | 'r' | 'R' | 'b' | 'B'))
            .count();
        if prefix_len <= 2 && matches!(chars.get(i + prefix_len), Some('\'' | '"')) {
            let raw = chars[i..i + prefix_len]
                .iter()
                .any(|c| matches!(c, 'r' | 'R'));
            let (value, end) = string(&chars, i + prefix_len, raw)?;
            tokens.push(Token::Str(value));
            i = end;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = i + chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            tokens.push(Token::Ident(chars[i..end].iter().collect()));
            i = end;
        } else if c.is_ascii_digit() {
            let end = i + chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            tokens.push(Token::Int(
                chars[i..end].iter().collect::<String>().parse().ok()?,
            ));
            i = end;
        } else if c == '=' && chars.get(i + 1) == Some(&'=') {
            tokens.push(Token::Equal);
            i += 2;
        } else {
            tokens.push(match c {
                '[' => Token::Open,
                ']' => Token::Close,
                '+' => Token::Plus,
                _ => Token::Other,
            });
            i += 1;
        }
    }
    Some(tokens)
}

/// A Python string literal starting at `chars[start]` (its opening quote):
/// its value and the index after it.
fn string(chars: &[char], start: usize, raw: bool) -> Option<(String, usize)> {
    let quote = chars[start];
    let triple = chars.get(start + 1) == Some(&quote) && chars.get(start + 2) == Some(&quote);
    let delimiter = if triple { 3 } else { 1 };
    let mut i = start + delimiter;
    let mut out = String::new();
    loop {
        let c = *chars.get(i)?;
        let closes = c == quote
            && (!triple || (chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote)));
        if closes {
            return Some((out, i + delimiter));
        }
        if c == '\\' && !raw {
            let next = *chars.get(i + 1)?;
            let hex = |len: usize| -> Option<char> {
                let digits: String = chars.get(i + 2..i + 2 + len)?.iter().collect();
                char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
            };
            let (decoded, used) = match next {
                'n' => ('\n', 2),
                't' => ('\t', 2),
                'r' => ('\r', 2),
                '\\' => ('\\', 2),
                '\'' => ('\'', 2),
                '"' => ('"', 2),
                'x' => (hex(2)?, 4),
                'u' => (hex(4)?, 6),
                'U' => (hex(8)?, 10),
                // Not an escape in Python: the backslash stays.
                _ => ('\\', 1),
            };
            out.push(decoded);
            i += used;
            continue;
        }
        out.push(c);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_checks_the_suite_makes() {
        let checks = checks(
            r#"not bozo and entries[0]['title_detail']['value'] == u'Example \u2026 <b>x</b>' and len(entries) == 1"#,
        );
        assert_eq!(
            checks,
            vec![Check {
                entry: 0,
                field: Field::Title,
                expected: "Example \u{2026} <b>x</b>".into()
            }]
        );
        let checks = super::checks(
            r#"entries[0]['content'][0]['value'] == 'a -' + '- b\n' and entries[1]['id'] == entries[0]['id'] == """x'y""""#,
        );
        assert_eq!(checks.len(), 3);
        assert_eq!(checks[0].expected, "a -- b\n");
        assert_eq!(checks[1].field, Field::Id);
        assert_eq!(checks[2].expected, "x'y");
        assert!(super::checks("not bozo and feed['title'] == 'x'").is_empty());
        assert!(super::checks("ord(entries[0]['description']) == 8230").is_empty());
    }

    #[test]
    fn finds_the_expect_line() {
        let file =
            "<!--\nDescription: x\nExpect:      not bozo and entries[0]['id'] == 'a'\n-->\n<rss/>";
        assert_eq!(
            expect_line(file),
            Some("not bozo and entries[0]['id'] == 'a'")
        );
    }
}

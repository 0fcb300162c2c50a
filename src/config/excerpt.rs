//! A TOML syntax error as the config error shows it: where it is, the line
//! it is on with a caret under the place, and what was expected, as the
//! TOML reader words it, but with the line's secrets masked: every URL
//! redacted as errors show URLs ([`crate::redact::url`]), the value of a
//! key that holds a URL ([`URL_KEYS`]) redacted whole, and the value of a
//! key that holds a secret ([`super::SECRET_KEYS`]) shown as `***`, so a
//! stray character after a password or token never prints it. A key is
//! recognised however it is written, escapes and all.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::SECRET_KEYS;
use crate::redact::{self, HIDDEN};

/// The syntax error `message` the TOML reader found at `span` of `text`,
/// in the reader's own layout:
///
/// ```text
/// TOML parse error at line 2, column 13
///   |
/// 2 | token = *** ,
///   |             ^
/// unexpected key or value, expected newline, `#`
/// ```
///
/// The line and column are those of the file; the caret points at the
/// same place in the line as shown.
pub(super) fn syntax_error(text: &str, span: Range<usize>, message: &str) -> String {
    // Where the error is, as the TOML reader counts it: a span at the very
    // end of the text is on the last line, after its last character.
    let at = span.start.min(text.len());
    let last = at.min(text.len().saturating_sub(1));
    let line_start = text[..last].rfind('\n').map_or(0, |newline| newline + 1);
    let line = text[..line_start].matches('\n').count() + 1;
    let column = text[line_start..at].chars().count() + 1;
    let content = text[line_start..].split('\n').next().unwrap_or_default();
    let (shown, replaced) = masked(content, secret_continued(text, line_start));
    // A place past the line's end (the end of a text that ends with its
    // newline) is shown after it, as the TOML reader shows it.
    let from = (at - line_start).min(content.len());
    let past_the_end = at - line_start - from;
    let to = span
        .end
        .saturating_sub(line_start)
        .clamp(from, content.len());
    let start = shown_offset(&replaced, from, false);
    let end = shown_offset(&replaced, to, true);
    let before = shown[..start].chars().count() + past_the_end;
    let carets = shown[start..end.max(start)].chars().count().max(1);
    let gutter = " ".repeat(line.to_string().len() + 1);
    format!(
        "TOML parse error at line {line}, column {column}\n{gutter}|\n{line} | {shown}\n\
         {gutter}|{} {}\n{message}",
        " ".repeat(before),
        "^".repeat(carets)
    )
}

/// `line` with its secrets masked, and what was replaced: each range of
/// `line` with the length of what stands in its place, in order. When
/// the line goes on with a multi-line string a secret's value opened on
/// an earlier line (`continued` is its closing quote), the line is masked
/// up to that quote, or whole.
fn masked(line: &str, continued: Option<&str>) -> (String, Vec<(Range<usize>, usize)>) {
    let mut secrets = secret_values(line);
    if let Some(quote) = continued {
        let rest = closing_quote(&format!("{quote}{line}"), quote)
            .map_or(line.len(), |length| length - quote.len());
        secrets.retain(|secret| secret.start >= rest);
        secrets.insert(0, 0..rest);
        secrets.retain(|secret| !secret.is_empty());
    }
    let overlaps_a_secret = |span: &Range<usize>| {
        secrets
            .iter()
            .any(|secret| secret.start < span.end && span.start < secret.end)
    };
    let mut replacements: Vec<(Range<usize>, String)> = secrets
        .iter()
        .map(|range| (range.clone(), HIDDEN.to_string()))
        .collect();
    let url_values = url_values(line, &secrets);
    for value in &url_values {
        replacements.push((value.clone(), url_value_shown(&line[value.clone()])));
    }
    for span in redact::url_spans(line) {
        let shown = redact::url(&line[span.clone()]);
        let in_a_value = url_values
            .iter()
            .any(|value| value.start < span.end && span.start < value.end);
        if !overlaps_a_secret(&span) && !in_a_value && shown != line[span.clone()] {
            replacements.push((span, shown.into_owned()));
        }
    }
    replacements.sort_by_key(|(range, _)| range.start);
    let mut shown = String::with_capacity(line.len());
    let mut kept_from = 0;
    for (range, replacement) in &replacements {
        shown.push_str(&line[kept_from..range.start]);
        shown.push_str(replacement);
        kept_from = range.end;
    }
    shown.push_str(&line[kept_from..]);
    let replaced = replacements
        .into_iter()
        .map(|(range, replacement)| (range, replacement.len()))
        .collect();
    (shown, replaced)
}

/// Where the value of each key of [`SECRET_KEYS`] on `line` is (see
/// [`values_of`]).
fn secret_values(line: &str) -> Vec<Range<usize>> {
    values_of(line, &SECRET_KEYS)
}

/// Where the value of each key of [`URL_KEYS`] on `line` is (see
/// [`values_of`]), up to the first of `secrets` in it, which is masked
/// whole; a value that starts inside a secret is part of it.
fn url_values(line: &str, secrets: &[Range<usize>]) -> Vec<Range<usize>> {
    values_of(line, &URL_KEYS)
        .into_iter()
        .filter(|value| {
            !secrets
                .iter()
                .any(|secret| secret.start <= value.start && value.start < secret.end)
        })
        .map(|value| {
            let end = secrets
                .iter()
                .map(|secret| secret.start)
                .filter(|&start| value.start < start && start < value.end)
                .min()
                .unwrap_or(value.end);
            value.start..end
        })
        .collect()
}

/// The keys whose values are URLs, which may hold a user name and password
/// or a key in their query: shown redacted ([`redact::url`]) as a whole
/// value, so a quote pasted into one hides no part of it from redaction.
const URL_KEYS: [&str; 4] = ["feed", "sitemap", "websub_hub", "base_url"];

/// `value`, the value of a key of [`URL_KEYS`] as written (quotes and all),
/// as shown: what its quotes hold redacted as a URL, the quotes kept.
fn url_value_shown(value: &str) -> String {
    let Some(quote) = QUOTES.into_iter().find(|quote| value.starts_with(quote)) else {
        return redact::url(value).into_owned();
    };
    let inside = &value[quote.len()..];
    match inside.strip_suffix(quote) {
        Some(url) => format!("{quote}{}{quote}", redact::url(url)),
        None => format!("{quote}{}", redact::url(inside)),
    }
}

/// The quotes a TOML string may open with, the longest first.
const QUOTES: [&str; 4] = ["\"\"\"", "'''", "\"", "'"];

/// Where the value of each key of `keys` on `line` is: a quoted string up
/// to its closing quote (or the end of the line, when it has none there),
/// anything else (a bare word, a number, a list) up to the end of the line.
/// A key is recognised however TOML lets it be written: bare, quoted,
/// with escapes (`"\u0074oken"`), or as the last part of a dotted key.
fn values_of(line: &str, keys: &[&str]) -> Vec<Range<usize>> {
    static KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:^|[\s{,.])([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')\s*=\s*"#)
            .expect("a valid pattern")
    });
    let mut values = Vec::new();
    let mut from = 0;
    while let Some(found) = KEY.captures_at(line, from) {
        let whole = found.get(0).expect("the whole match");
        from = whole.end();
        if !key_named(&found[1]).is_some_and(|key| keys.contains(&key.as_str())) {
            continue;
        }
        let value = &line[whole.end()..];
        let length = QUOTES
            .into_iter()
            .find(|quote| value.starts_with(quote))
            .and_then(|quote| closing_quote(value, quote))
            .filter(|&length| ends_the_value(&value[length..]))
            .unwrap_or(value.len());
        if length > 0 {
            values.push(whole.end()..whole.end() + length);
            from = whole.end() + length;
        }
    }
    values
}

/// The key `written` names, as the TOML reader reads it: a bare key as it
/// is, a quoted one without its quotes and with its escapes read; `None`
/// when it is no key TOML reads.
fn key_named(written: &str) -> Option<String> {
    if !written.starts_with(['"', '\'']) {
        return Some(written.to_string());
    }
    let table: toml::Table = toml::from_str(&format!("{written} = 0")).ok()?;
    table.keys().next().cloned()
}

/// Whether `rest`, what follows a secret's closing quote on its line, shows
/// that the quote ended the value: it goes on after a space, a comma or a
/// bracket and holds no other quote. Otherwise the quote was part of the
/// secret, pasted unescaped (`token = "Xk9"more"`), and the rest of the
/// line is taken as the secret's too.
fn ends_the_value(rest: &str) -> bool {
    let separated =
        rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || ",}]#".contains(c));
    separated && !rest.contains(['"', '\''])
}

/// The closing quote of the multi-line string a secret's value opened
/// before `line_start` and still open there, when there is one: the TOML
/// before the line is read for its strings and comments, as far as the
/// error lets it be read.
fn secret_continued(text: &str, line_start: usize) -> Option<&'static str> {
    let before = &text[..line_start];
    let mut at = 0;
    while at < before.len() {
        let rest = &before[at..];
        let Some(c) = rest.chars().next() else { break };
        if c == '#' {
            at += rest.find('\n').map_or(rest.len(), |newline| newline + 1);
            continue;
        }
        let Some(quote) = QUOTES.into_iter().find(|quote| rest.starts_with(quote)) else {
            at += c.len_utf8();
            continue;
        };
        match closing_quote(rest, quote) {
            Some(length) => at += length,
            None if quote.len() == 3 => {
                let line_of_quote = before[..at].rfind('\n').map_or(0, |newline| newline + 1);
                let line = &before[line_of_quote..];
                let line = line.split('\n').next().unwrap_or_default();
                let opened_by_secret = secret_values(line)
                    .iter()
                    .any(|secret| secret.start == at - line_of_quote);
                return opened_by_secret.then_some(quote);
            }
            // A single-line string left open ends with its line.
            None => at += rest.find('\n').unwrap_or(rest.len()),
        }
    }
    None
}

/// The length of the string `value` starts with, opened by `quote`, up to
/// and with its closing quote; `None` when it is not closed on this line.
/// In a basic string (`"`), a backslash escapes the character after it.
fn closing_quote(value: &str, quote: &str) -> Option<usize> {
    let mut rest = value[quote.len()..].char_indices();
    while let Some((i, c)) = rest.next() {
        if c == '\\' && quote.starts_with('"') {
            rest.next();
        } else if value[quote.len() + i..].starts_with(quote) {
            return Some(quote.len() + i + quote.len());
        }
    }
    None
}

/// Where `offset`, a place in the line as written, is in the line as
/// shown, `replaced` being what was masked in it: a place inside a masked
/// range is at the start of what stands in its place, or, for the `end`
/// of a highlight, at its end.
fn shown_offset(replaced: &[(Range<usize>, usize)], offset: usize, end: bool) -> usize {
    let mut shift: isize = 0;
    for (range, length) in replaced {
        let inside = if end {
            range.start < offset && offset <= range.end
        } else {
            range.start <= offset && offset < range.end
        };
        if inside {
            let start = range.start.saturating_add_signed(shift);
            return if end { start + length } else { start };
        }
        if offset < range.start {
            break;
        }
        shift += *length as isize - range.len() as isize;
    }
    offset.saturating_add_signed(shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt and caret lines of the error at `span` of `text`.
    fn excerpt(text: &str, span: Range<usize>) -> String {
        let error = syntax_error(text, span, "what was expected");
        error.lines().skip(2).take(2).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn the_values_of_secret_keys_are_masked_however_written() {
        for (line, shown) in [
            (r#"token = "S3cret" ,"#, "token = *** ,"),
            ("token = 'S3cret' ,", "token = *** ,"),
            (r#"token = "S3\"cr" x"#, "token = *** x"),
            (r#"token = """S3cret""" ,"#, "token = *** ,"),
            ("token = S3cret, more", "token = ***"),
            (r#"token = "S3cret"#, "token = ***"),
            (r#"server.token="S3cret" ,"#, "server.token=*** ,"),
            (r#""token" = "S3cret" ,"#, r#""token" = *** ,"#),
            (
                r#"store = { url = "host=db password=S3cret" x }"#,
                "store = { url = *** x }",
            ),
            (r#"title = "Token" ,"#, r#"title = "Token" ,"#),
            (r#"tokens = "S" ,"#, r#"tokens = "S" ,"#),
            // A quote pasted into the secret unescaped: the rest is the secret's.
            (r#"token = "Xk9"S3cretPart""#, "token = ***"),
            (r#"token = "Xk9"S3cretPart"#, "token = ***"),
            (r#"token = "Xk9" S3cretPart""#, "token = ***"),
            (
                r#"url = "postgres://feed:pa"S3cret@db.example/feeds""#,
                "url = ***",
            ),
            (
                r#"store = { url = "host=db password='pa" S3cret'" }"#,
                "store = { url = ***",
            ),
        ] {
            assert_eq!(masked(line, None).0, shown, "{line}");
        }
    }

    #[test]
    fn urls_are_shown_as_errors_show_them() {
        assert_eq!(
            masked(r#"feed="https://u:FeedPass@example.org/?key=K" junk"#, None).0,
            r#"feed="https://example.org/?key=***" junk"#
        );
        assert_eq!(
            masked(
                r#"url = "postgres://feed:PgPassw0rd@db.example/feeds" ,"#,
                None
            )
            .0,
            "url = *** ,"
        );
        let plain = r#"feed = "https://example.org/rss" ,"#;
        assert_eq!(masked(plain, None).0, plain);
    }

    #[test]
    fn a_url_with_a_quote_pasted_into_it_is_redacted_whole() {
        for (line, shown) in [
            (
                r#"feed = "https://alice:Xk9"S3cret@news.example/rss""#,
                r#"feed = "https://news.example/rss""#,
            ),
            (
                r#"feed = "https://h.example/rss?key=K1"Q2""#,
                r#"feed = "https://h.example/rss?key=***""#,
            ),
            (
                r#"sitemap='https://alice:Xk9'S3cret@news.example/map.xml'"#,
                "sitemap='https://news.example/map.xml'",
            ),
            (
                r#"publish.websub_hub = "https://a:Xk9"S3cret@hub.example/" x"#,
                r#"publish.websub_hub = "https://hub.example/" x"#,
            ),
            (
                r#"base_url = "https://a:Xk9"S3cret@news.example/""#,
                r#"base_url = "https://news.example/""#,
            ),
            // A secret after the URL is masked whole, the URL up to it.
            (
                r#"x = { feed = "https://a:Xk9"S3@h.example/", token = "T0k" }"#,
                r#"x = { feed = "https://h.example/", token = *** }"#,
            ),
        ] {
            assert_eq!(masked(line, None).0, shown, "{line}");
        }
    }

    #[test]
    fn a_key_written_with_escapes_is_the_key_it_names() {
        for (line, shown) in [
            (
                r#""\u0074oken" = "Xk9S3cret"more""#,
                r#""\u0074oken" = ***"#,
            ),
            (
                r#"store."u\u0072l" = "S3cret" x"#,
                r#"store."u\u0072l" = *** x"#,
            ),
            (
                r#""\U00000074oken" = "S3cret" x"#,
                r#""\U00000074oken" = *** x"#,
            ),
            (
                r#""f\u0065ed" = "https://a:Xk9"S3cret@h.example/""#,
                r#""f\u0065ed" = "https://h.example/""#,
            ),
            (r#""\u0074okens" = "S" ,"#, r#""\u0074okens" = "S" ,"#),
        ] {
            assert_eq!(masked(line, None).0, shown, "{line}");
        }
    }

    #[test]
    fn the_caret_points_at_the_same_place_in_the_line_as_shown() {
        let text = "[server]\ntoken = \"S3cretT0ken\" ,\n";
        let comma = text.find(',').unwrap();
        assert_eq!(
            syntax_error(text, comma..comma + 1, "unexpected key or value"),
            "TOML parse error at line 2, column 23\n  |\n2 | token = *** ,\n  |             ^\n\
             unexpected key or value"
        );
        // An error inside a masked value points at the mask.
        let inside = text.find("T0ken").unwrap();
        assert_eq!(
            excerpt(text, inside..inside + 1),
            "2 | token = *** ,\n  |         ^^^"
        );
        // After a redacted URL.
        let text = "[[source]]\nfeed=\"https://u:pw@example.org/?key=K\" junk\n";
        let junk = text.find("junk").unwrap();
        assert_eq!(
            excerpt(text, junk..junk + 4),
            "2 | feed=\"https://example.org/?key=***\" junk\n  |                                     ^^^^"
        );
    }

    #[test]
    fn the_continuation_of_a_secret_written_over_lines_is_masked() {
        let text = "[server]\ntoken = \"\"\"\nS3cret\"\"\" x\n";
        let error = toml::from_str::<toml::Table>(text).unwrap_err();
        let shown = syntax_error(text, error.span().unwrap(), error.message());
        assert!(!shown.contains("S3cret"), "{shown}");
        assert!(shown.contains("3 | *** x"), "{shown}");
        // Still open at the error: the whole line is masked.
        let text = "token = '''\nS3cret \u{7}\n";
        let error = toml::from_str::<toml::Table>(text).unwrap_err();
        let shown = syntax_error(text, error.span().unwrap(), error.message());
        assert!(!shown.contains("S3cret"), "{shown}");
        // Another key's multi-line string, or a secret's quote in a
        // comment or another string, masks nothing.
        for text in [
            "title = \"\"\"\nNouvelles\"\"\" x\n",
            "# token = \"\"\"\nname = \"Nouvelles\" x\n",
            "title = \"token = '''\"\nname = \"Nouvelles\" x\n",
        ] {
            let error = toml::from_str::<toml::Table>(text).unwrap_err();
            let shown = syntax_error(text, error.span().unwrap(), error.message());
            assert!(shown.contains("Nouvelles"), "{text:?}: {shown}");
        }
    }

    #[test]
    fn a_line_without_secrets_is_shown_as_the_toml_reader_shows_it() {
        for text in [
            "[store]\npath = \"x.db\" ,\n",
            "title = \"Nouvelles\u{e9}\" x",
            "[server\n",
            "a = 1\nb = ",
            "title = '''\nNouvelles\n",
            "title = \"\"\"\nNouvelles\n\n",
        ] {
            let error = toml::from_str::<toml::Table>(text).unwrap_err();
            assert_eq!(
                syntax_error(text, error.span().unwrap(), error.message()),
                error.to_string().trim_end(),
                "{text:?}"
            );
        }
    }
}

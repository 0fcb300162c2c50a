//! Upstream keys as the `upstream_key` table holds them. An entry's id is
//! what its feed or its pusher gives, and may hold U+0000 (JSON writes it
//! `\u0000`), which SQLite keeps but no PostgreSQL text can. So the table
//! holds each key with U+0000 written as U+FFFF `0` and U+FFFF itself (a
//! noncharacter, which no XML document may hold) doubled: every key keeps
//! a text of its own, and a key with neither character is written as it
//! is. The key itself, which the article's id is made from
//! ([`crate::dedup::fingerprint::entry_id`]), is the same on both
//! backends; only its column text differs. Migration 30 doubled U+FFFF in
//! the keys stored before.

use std::borrow::Cow;

/// What stands before `0` for U+0000, and doubles for itself.
const ESCAPE: char = '\u{FFFF}';

/// The text the `key` column holds for upstream key `key`.
pub(super) fn column_text(key: &str) -> Cow<'_, str> {
    if !key.contains(['\0', ESCAPE]) {
        return Cow::Borrowed(key);
    }
    let mut text = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        match c {
            '\0' => text.extend([ESCAPE, '0']),
            ESCAPE => text.extend([ESCAPE, ESCAPE]),
            c => text.push(c),
        }
    }
    Cow::Owned(text)
}

/// The upstream key the `key` column's `text` holds ([`column_text`]).
pub(super) fn key_of(text: String) -> String {
    if !text.contains(ESCAPE) {
        return text;
    }
    let mut key = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != ESCAPE {
            key.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => key.push('\0'),
            Some(ESCAPE) => key.push(ESCAPE),
            // A lone U+FFFF, which no column text holds, is kept as read.
            other => {
                key.push(ESCAPE);
                key.extend(other);
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_without_nul_or_the_escape_are_written_as_they_are() {
        for key in ["urn:j:1", "C:\\feeds\\1", "id https://a.example/1", ""] {
            assert!(matches!(column_text(key), Cow::Borrowed(k) if k == key));
            assert_eq!(key_of(key.to_string()), key);
        }
    }

    #[test]
    fn nul_and_the_escape_come_back_and_no_two_keys_share_a_text() {
        let keys = [
            "urn:j:1\0",
            "urn:j:1\u{FFFF}0",
            "urn:j:1\u{FFFF}",
            "urn:j:1\u{FFFF}\u{FFFF}",
            "\0\0x\u{FFFF}\0",
            "urn:j:1",
            "urn:j:10",
        ];
        let texts: Vec<String> = keys.iter().map(|k| column_text(k).into_owned()).collect();
        for (key, text) in keys.iter().zip(&texts) {
            assert!(!text.contains('\0'), "{text:?}");
            assert_eq!(key_of(text.clone()), *key);
        }
        let distinct: std::collections::HashSet<&String> = texts.iter().collect();
        assert_eq!(distinct.len(), keys.len());
        assert_eq!(column_text("a\0b"), "a\u{FFFF}0b");
    }
}

//! Plain words for the errors met while reading `config.toml` into its
//! raw form: the dotted key (`feed[0].sources`) and what was expected and
//! found, in place of serde's wording and Rust's type names.

use serde_path_to_error::{Path, Segment};

use super::SECRET_KEYS;

/// The key `message` (serde's text of an error met at `path`) is about,
/// and what to tell of it. `written` is the value as the file has it,
/// which tells a date from a table (serde calls both a map).
pub(super) fn describe(path: &Path, message: &str, written: &str) -> (String, String) {
    // toml reads a `Spanned` value through a map of private keys.
    let mut segments: Vec<&Segment> = path
        .iter()
        .filter(|s| !matches!(s, Segment::Map { key } if key.starts_with("$__")))
        .collect();
    // An item of a list of values is told of at its list's key; the items
    // of a top-level list ([[feed]]) are keys themselves (`feed[0]`).
    let item = match segments[..] {
        [_, _, .., Segment::Seq { index }] => {
            segments.pop();
            Some(index + 1)
        }
        _ => None,
    };
    let mut key = dotted(&segments);
    let secret = matches!(segments.last(), Some(Segment::Map { key }) if SECRET_KEYS.contains(&key.as_str()));
    let top_level = (segments.len() == 1).then_some(key.as_str());
    let message = if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        let plain = plain_expected(expected, top_level);
        let found = match plain_found(found, written) {
            // The value of a secret key is told by its type only.
            _ if secret => type_found(found, written),
            // A whole number where one is expected is outside the range taken.
            whole if plain.contains("whole number") && whole.starts_with("the whole number ") => {
                out_of_range(&whole["the whole number ".len()..], expected)
            }
            found => found,
        };
        let found = match top_level {
            Some(section) if written.starts_with("[[") && found == "a list" => {
                format!("[[{section}]], a list of tables")
            }
            _ => found,
        };
        let expected = plain;
        match item {
            Some(n) => {
                let one = expected
                    .strip_prefix("a ")
                    .or_else(|| expected.strip_prefix("an "))
                    .unwrap_or(&expected);
                format!("expected a list of {one}s, but item {n} is {found}")
            }
            None => format!("expected {expected}, found {found}"),
        }
    } else if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        key = if key.is_empty() {
            field.to_string()
        } else {
            format!("{key}.{field}")
        };
        "required, but missing".to_string()
    } else if let Some(rest) = message.strip_prefix("unknown field `") {
        let accepted = rest.split_once("`, ").map_or("", |(_, accepted)| accepted);
        format!("unknown key, {accepted}")
            .trim_end_matches(", ")
            .to_string()
    } else {
        message.to_string()
    };
    (key, message)
}

/// `feed[0].sources`, `server.max_age`.
fn dotted(segments: &[&Segment]) -> String {
    let mut key = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => key.push_str(&format!("[{index}]")),
            Segment::Map { key: name } | Segment::Enum { variant: name } => {
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(name);
            }
            Segment::Unknown => key.push_str(".?"),
        }
    }
    key
}

/// What serde says a value should have been, in plain words. A list at the
/// top of the config is a list of tables (`[[source]]`, `[[feed]]`).
fn plain_expected(expected: &str, top_level: Option<&str>) -> String {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" => {
            "a whole number".to_string()
        }
        "a boolean" => "true or false".to_string(),
        "a map" => "a table".to_string(),
        "a sequence" => match top_level {
            Some(key) => format!("one or more [[{key}]] tables"),
            None => "a list".to_string(),
        },
        struct_ if struct_.starts_with("struct ") => "a table".to_string(),
        other => other.to_string(),
    }
}

/// `number`, a whole number that serde's `expected` (a Rust integer type,
/// else a value read as a 64-bit signed one) cannot hold: which end of the
/// range it passes.
fn out_of_range(number: &str, expected: &str) -> String {
    let (least, largest): (i128, u128) = match expected {
        "i8" => (i8::MIN.into(), i8::MAX as u128),
        "i16" => (i16::MIN.into(), i16::MAX as u128),
        "i32" => (i32::MIN.into(), i32::MAX as u128),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX as u128),
    };
    if number.starts_with('-') {
        format!("{number}, which is too small: the least allowed is {least}")
    } else {
        format!("{number}, which is too large: the largest allowed is {largest}")
    }
}

/// What type of value serde says a value was, in plain words, without
/// the value: `a whole number` where [`plain_found`] says `the whole
/// number 5`.
fn type_found(found: &str, written: &str) -> String {
    let kind = found.split_once(' ').map_or(found, |(kind, _)| kind);
    match kind {
        "integer" => "a whole number".to_string(),
        "floating" => "a number".to_string(),
        "boolean" => "true or false".to_string(),
        "string" => "a string".to_string(),
        _ => plain_found(found, written),
    }
}

/// What serde says a value was (`integer `5``, `string "x"`, `map`), in
/// plain words.
fn plain_found(found: &str, written: &str) -> String {
    let quoted = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('`'))
            .and_then(|rest| rest.split_once('`'))
    };
    if let Some((number, rest)) = quoted("integer ") {
        return if rest.is_empty() {
            format!("the whole number {number}")
        } else {
            format!("{number}, which is too large")
        };
    }
    if let Some((number, _)) = quoted("floating point ") {
        return format!("the number {number}");
    }
    if let Some((value, _)) = quoted("boolean ") {
        return format!("`{value}`");
    }
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the string {text}");
    }
    match found {
        "map" if written.starts_with(|c: char| c.is_ascii_digit()) => "a date".to_string(),
        "map" => "a table".to_string(),
        "sequence" => "a list".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_number_out_of_range_says_which_end_it_passes() {
        assert_eq!(
            out_of_range("9223372036854775808", "i64"),
            "9223372036854775808, which is too large: the largest allowed is 9223372036854775807"
        );
        assert_eq!(
            out_of_range("18446744073709551615", "a size"),
            "18446744073709551615, which is too large: the largest allowed is 9223372036854775807"
        );
        assert_eq!(
            out_of_range("-1", "u32"),
            "-1, which is too small: the least allowed is 0"
        );
    }

    #[test]
    fn the_value_of_a_secret_key_is_told_by_its_type_only() {
        assert_eq!(
            type_found("integer `123456789`", "123456789"),
            "a whole number"
        );
        assert_eq!(
            type_found(
                "integer `99999999999999999999` as i128",
                "99999999999999999999"
            ),
            "a whole number"
        );
        assert_eq!(type_found("floating point `1.5`", "1.5"), "a number");
        assert_eq!(type_found("boolean `true`", "true"), "true or false");
        assert_eq!(type_found("string \"x\"", "\"x\""), "a string");
        assert_eq!(type_found("map", "1979-05-27"), "a date");
        assert_eq!(type_found("sequence", "[1]"), "a list");
    }

    #[test]
    fn found_and_expected_values_are_said_in_plain_words() {
        assert_eq!(plain_found("integer `5`", "5"), "the whole number 5");
        assert_eq!(
            plain_found(
                "integer `99999999999999999999` as i128",
                "99999999999999999999"
            ),
            "99999999999999999999, which is too large"
        );
        assert_eq!(plain_found("floating point `1.5`", "1.5"), "the number 1.5");
        assert_eq!(plain_found("boolean `true`", "true"), "`true`");
        assert_eq!(
            plain_found("string \"300\"", "\"300\""),
            "the string \"300\""
        );
        assert_eq!(plain_found("map", "1979-05-27"), "a date");
        assert_eq!(plain_found("map", "{ a = 1 }"), "a table");
        assert_eq!(plain_found("sequence", "[1]"), "a list");
        assert_eq!(plain_expected("i64", None), "a whole number");
        assert_eq!(plain_expected("struct RawStore", None), "a table");
        assert_eq!(plain_expected("a boolean", None), "true or false");
        assert_eq!(
            plain_expected("a sequence", Some("feed")),
            "one or more [[feed]] tables"
        );
        assert_eq!(plain_expected("a string", None), "a string");
    }
}

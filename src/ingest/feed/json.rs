//! JSON Feed 1.0 and 1.1 documents, read leniently: a numeric id is the
//! number as written, an exponent with its sign (serde_json's `arbitrary_precision` keeps it, so a
//! number no `f64` holds, `1e400`, is read, not refused, and ids of 30
//! digits stay apart), a number out of range for its field (a
//! `size_in_bytes` beyond `u64`) is left out as one of the wrong type is,
//! a field of the wrong type is left out (not the whole
//! feed; but `items` that is not a list is no feed; a date that is no
//! string is an unreadable date, and an item that is no object an entry
//! holding nothing, each left out with a warning), a string cut inside a
//! UTF-16 surrogate pair reads as U+FFFD, and a C1 control character
//! written as an escape (`\u0092`, as PHP's `json_encode` writes
//! Windows-1252 text read as Latin-1) is the Windows-1252 character its
//! author meant, as one written raw is.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::media::{Enclosure, EntryMedia, MediaContent, MediaText, Picture};
use super::raw::{Located, RawEntry, RawFeed, RawText};
use super::text::named_elements_as_text;
use super::{FeedErrorKind, FeedFormat};
use crate::normalize::windows_1252_controls;
use crate::normalize::{Names, clean_text};
use crate::position::LineCounter;

/// Reads a whole JSON Feed document.
pub(super) fn read(text: &str) -> Result<(FeedFormat, RawFeed), FeedErrorKind> {
    let mut feed = RawFeed::default();
    let repaired = replace_lone_surrogates(text);
    if repaired.is_some() {
        feed.warnings.push(
            "lone UTF-16 surrogates in \\u escapes (a string cut inside a character) replaced with U+FFFD"
                .to_string(),
        );
    }
    let text = repaired.as_deref().unwrap_or(text);
    let mut value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) if e.is_eof() => {
            // Cut short: the whole items before the cut stand, as in an XML
            // feed cut inside an entry.
            let (whole, items) = whole_items_before_cut(text).ok_or_else(|| json_error(&e))?;
            let value = serde_json::from_str(&whole).map_err(|_| json_error(&e))?;
            feed.truncated = true;
            feed.warnings.push(format!(
                "{}; read up to there: the {} before the cut",
                json_error(&e),
                crate::plural::count(items, "whole item", "whole items")
            ));
            value
        }
        Err(e) => return Err(json_error(&e)),
    };
    windows_1252_strings(&mut value);
    let Value::Object(object) = value else {
        return Err(FeedErrorKind::NotAFeed {
            found: "a JSON document that is not an object".to_string(),
        });
    };
    let Some(version) = object.get("version").and_then(Value::as_str) else {
        return Err(FeedErrorKind::NotAFeed {
            found: "a JSON document without a JSON Feed `version`".to_string(),
        });
    };
    let format = match version.trim_end_matches('/') {
        "https://jsonfeed.org/version/1" => FeedFormat::JsonFeed10,
        "https://jsonfeed.org/version/1.1" => FeedFormat::JsonFeed11,
        other => {
            return Err(FeedErrorKind::JsonVersion {
                version: other.to_string(),
            });
        }
    };
    feed.title = string(&object, "title").map(|t| RawText {
        value: t.to_string(),
        html: false,
    });
    feed.link = string(&object, "home_page_url").map(|l| Located {
        value: l.to_string(),
        base: None,
    });
    feed.authors = authors(&object);
    match object.get("items") {
        Some(Value::Array(items)) => {
            // A member that is no object (`null`) holds no entry: it keeps
            // its place, so later entries keep their numbers, and is left
            // out with the warning for an entry holding nothing.
            let mut lines = LineCounter::new(text);
            let starts = item_starts(text);
            feed.entries = items
                .iter()
                .enumerate()
                .map(|(i, item)| RawEntry {
                    // Every item parsed has its start found, as both read
                    // the same nesting; the document's first line stands
                    // in should one not.
                    line: starts.get(i).map_or(1, |&start| lines.line_at(start)),
                    ..item.as_object().map(entry).unwrap_or_default()
                })
                .collect();
        }
        Some(other) => {
            return Err(FeedErrorKind::NotAFeed {
                found: format!(
                    "a JSON Feed whose `items` is {}, not a list",
                    json_kind(other)
                ),
            });
        }
        None => {}
    }
    Ok((format, feed))
}

/// Every string in `value` with its C1 control characters read as the
/// Windows-1252 characters of the same bytes: decoding did that for those
/// written raw, this does it for those written as `\u0080`–`\u009F`.
fn windows_1252_strings(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let Cow::Owned(repaired) = windows_1252_controls(Cow::Borrowed(text.as_str())) {
                *text = repaired;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(windows_1252_strings),
        Value::Object(members) => members.values_mut().for_each(windows_1252_strings),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// What a JSON value is, for an error: `an object`, `a string`, ….
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn entry(item: &Map<String, Value>) -> RawEntry {
    let text = |key: &str, html: bool| {
        string(item, key).map(|value| RawText {
            value: value.to_string(),
            html,
        })
    };
    let id = match item.get("id") {
        Some(Value::String(id)) => Some(id.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let content = text("content_html", true)
        .map(|html| RawText {
            value: named_elements_as_text(html.value),
            html: true,
        })
        .or_else(|| text("content_text", false));
    let mut media = EntryMedia::default();
    let image = ["image", "banner_image"]
        .iter()
        .find_map(|k| string(item, k));
    if let Some(url) = image {
        media.top.contents.push(picture(url, None));
    }
    for attachment in item
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
    {
        let mime_type = string(attachment, "mime_type");
        let is_image = mime_type.is_some_and(|t| t.starts_with("image/"));
        match (is_image, string(attachment, "url")) {
            (true, Some(url)) => {
                let title = string(attachment, "title").map(clean_text);
                media.top.contents.push(picture(url, title));
            }
            (false, Some(url)) => media.enclosures.push(Enclosure {
                url: url.to_string(),
                media_type: mime_type.map(str::to_string),
                length: attachment.get("size_in_bytes").and_then(Value::as_u64),
            }),
            (_, None) => {}
        }
    }
    RawEntry {
        title: text("title", false),
        summary: text("summary", false),
        content: content.map(|value| Located { value, base: None }),
        // A linkblog's item may link only to the page it is about.
        link: string(item, "url")
            .or_else(|| string(item, "external_url"))
            .map(|l| Located {
                value: l.to_string(),
                base: None,
            }),
        id,
        published: date(item, "date_published"),
        updated: date(item, "date_modified"),
        authors: authors(item),
        categories: item
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(clean_text)
            .collect(),
        media,
        ..RawEntry::default()
    }
}

/// A date as written: RFC 3339 text, or a value of another kind (a Unix
/// timestamp `1733047200`) in its JSON form, which no date reading reads,
/// so it is left out with a warning naming it; `null` is no date.
fn date(item: &Map<String, Value>, key: &str) -> Option<String> {
    match item.get(key)? {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// An image, with its title as the caption.
fn picture(url: &str, title: Option<String>) -> MediaContent {
    MediaContent {
        picture: Picture {
            url: url.to_string(),
            width: None,
        },
        is_image: true,
        file: None,
        is_default: false,
        text: MediaText {
            description: title.filter(|t| !t.is_empty()),
            ..MediaText::default()
        },
        thumbnail: None,
    }
}

fn string<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// `authors` (1.1) or `author` (1.0): each name, else its URL.
fn authors(object: &Map<String, Value>) -> Names {
    let list: Vec<&Map<String, Value>> = match (object.get("authors"), object.get("author")) {
        (Some(Value::Array(list)), _) => list.iter().filter_map(Value::as_object).collect(),
        (_, Some(Value::Object(one))) => vec![one],
        _ => Vec::new(),
    };
    list.into_iter()
        .filter_map(|person| string(person, "name").or_else(|| string(person, "url")))
        .map(clean_text)
        .collect()
}

/// The longest JSON Feed that `text`, a document cut short, begins with
/// whole: `items` closed after its last whole item, then the top-level
/// object; with the number of whole items. `None` when the cut came
/// before `items` opened or before its first item was whole: nothing read
/// stands alone. Outside strings JSON has no quotes or brackets, so
/// counting brackets outside strings follows the document's nesting.
fn whole_items_before_cut(text: &str) -> Option<(String, usize)> {
    // Open containers, innermost last; the top-level object is the first.
    let mut depth = 0usize;
    let mut in_items = false;
    let mut last_whole_item = None;
    let mut whole_items = 0;
    let mut items_closed_at = None;
    let mut scan = OutsideStrings::of(text);
    while let Some((at, byte)) = scan.next() {
        match byte {
            b'{' | b'[' => {
                // At the top level, the string before a list is its key.
                if byte == b'[' && depth == 1 && scan.last_string() == "items" {
                    in_items = true;
                }
                depth += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if in_items && depth == 2 {
                    last_whole_item = Some(at + 1);
                    whole_items += 1;
                } else if in_items && depth == 1 {
                    in_items = false;
                    items_closed_at = Some(at + 1);
                }
            }
            _ => {}
        }
    }
    if depth == 0 {
        return None;
    }
    if in_items {
        Some((format!("{}]}}", &text[..last_whole_item?]), whole_items))
    } else {
        Some((format!("{}}}", &text[..items_closed_at?]), whole_items))
    }
}

/// Where each member of the top-level `items` list of `text` starts, in
/// order (a byte offset), read as [`whole_items_before_cut`] reads the
/// nesting: a document cut short gives the members begun before the cut.
fn item_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut in_items = false;
    let mut member_next = false;
    let mut scan = OutsideStrings::of(text);
    while let Some((at, byte)) = scan.next() {
        if member_next && !byte.is_ascii_whitespace() && byte != b']' {
            starts.push(at);
            member_next = false;
        }
        match byte {
            b'{' | b'[' => {
                // At the top level, the string before a list is its key;
                // of two `items`, the last counts, as it does when parsed.
                if byte == b'[' && depth == 1 && scan.last_string() == "items" {
                    in_items = true;
                    member_next = true;
                    starts.clear();
                }
                depth += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    in_items = false;
                    member_next = false;
                }
            }
            b',' if in_items && depth == 2 => member_next = true,
            _ => {}
        }
    }
    starts
}

/// The bytes of a JSON text outside its strings, each with its offset, a
/// string's opening quote among them and the rest of the string passed
/// over: outside strings JSON has no quotes or brackets, so these follow
/// the document's nesting. A text cut inside a string ends there.
struct OutsideStrings<'a> {
    text: &'a str,
    /// The offset of the next byte to read.
    at: usize,
    /// The contents of the last string read whole.
    last_string: std::ops::Range<usize>,
}

impl<'a> OutsideStrings<'a> {
    fn of(text: &'a str) -> OutsideStrings<'a> {
        OutsideStrings {
            text,
            at: 0,
            last_string: 0..0,
        }
    }

    /// The contents of the last string read whole (escapes as written): a
    /// member's key, when the byte just given opens its value.
    fn last_string(&self) -> &'a str {
        &self.text[self.last_string.clone()]
    }
}

impl Iterator for OutsideStrings<'_> {
    type Item = (usize, u8);

    fn next(&mut self) -> Option<(usize, u8)> {
        let bytes = self.text.as_bytes();
        let at = self.at;
        let byte = *bytes.get(at)?;
        self.at += 1;
        if byte == b'"' {
            let mut escaped = false;
            while let Some(&inside) = bytes.get(self.at) {
                self.at += 1;
                if escaped {
                    escaped = false;
                } else if inside == b'\\' {
                    escaped = true;
                } else if inside == b'"' {
                    self.last_string = at + 1..self.at - 1;
                    break;
                }
            }
        }
        Some((at, byte))
    }
}

fn json_error(e: &serde_json::Error) -> FeedErrorKind {
    FeedErrorKind::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// `text` with each `\uD800`–`\uDFFF` escape that is not half of a
/// surrogate pair replaced by `\uFFFD`; `None` when there is none. Programs
/// that cut a UTF-16 string inside a character write such escapes, and
/// serde_json rightly refuses them, which would lose the whole feed for one
/// broken character. Outside strings JSON has no backslashes, so every
/// backslash starts an escape.
pub(crate) fn replace_lone_surrogates(text: &str) -> Option<String> {
    fn escape_at(bytes: &[u8], at: usize) -> Option<u16> {
        let hex = bytes.get(at..at + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    }
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"\\u")?;
    let mut out: Option<String> = None;
    let (mut copied, mut i) = (0, 0);
    while let Some(found) = bytes.get(i..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let at = i + found;
        let lone = match escape_at(bytes, at) {
            Some(0xD800..=0xDBFF) => match escape_at(bytes, at + 6) {
                Some(0xDC00..=0xDFFF) => {
                    i = at + 12;
                    continue;
                }
                _ => true,
            },
            Some(0xDC00..=0xDFFF) => true,
            Some(_) => false,
            // Any other escape is two characters long.
            None => {
                i = at + 2;
                continue;
            }
        };
        if lone {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..at]);
            out.push_str("\\uFFFD");
            copied = at + 6;
        }
        i = at + 6;
    }
    let mut out = out?;
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_the_wrong_type_are_left_out_not_the_feed() {
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":7,"items":[
            {"id":{"x":1},"title":["no"],"url":"https://a.example/1","content_text":"Kept.",
             "tags":["a",1,"a"],"attachments":"none"},
            "not an item",
            {"id":12.5,"title":"Second","attachments":[{"url":"https://i.example/p.png","mime_type":"image/png"},{"url":3}]}]}"#;
        let (format, feed) = read(doc).expect("read");
        assert_eq!(format, FeedFormat::JsonFeed11);
        assert_eq!(feed.title, None);
        let [first, not_an_item, second] = &feed.entries[..] else {
            panic!("{:?}", feed.entries);
        };
        assert!(not_an_item.is_empty());
        assert_eq!(first.id, None);
        assert_eq!(first.title, None);
        assert_eq!(first.categories.as_slice(), vec!["a"]);
        assert_eq!(second.id.as_deref(), Some("12.5"));
        assert_eq!(second.media.top.contents.len(), 1);
    }

    #[test]
    fn numbers_beyond_a_float_are_read_not_the_feed() {
        // Numbers no f64 holds (`1e400`, an integer of 30 digits), `-0`
        // and `1e2`: in fields not read they change nothing; a length out
        // of range is left out of its attachment, the entry kept; an id
        // is the number as written (an exponent with its sign), so ids a
        // float cannot tell apart stay apart.
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Big",
            "_extensions":{"weight":1e400,"list":[-1E+999,123456789012345678901234567890]},
            "unknown":1e400,"items":[
            {"id":123456789012345678901234567890,"title":"One","content_text":"A.",
             "_ext":{"n":1e400},"date_published":1e400,
             "attachments":[{"url":"https://a.example/1.mp3","mime_type":"audio/mpeg",
               "size_in_bytes":1e400,"duration_in_seconds":1e400}]},
            {"id":123456789012345678901234567891,"title":"Two","content_text":"B.",
             "attachments":[{"url":"https://a.example/2.mp3","size_in_bytes":18446744073709551616},
               {"url":"https://a.example/3.mp3","size_in_bytes":18446744073709551615},
               {"url":"https://a.example/4.mp3","size_in_bytes":-0}]},
            {"id":-0,"title":"Three","content_text":"C."},
            {"id":1e2,"title":"Four","content_text":"D."}]}"#;
        let (_, feed) = read(doc).expect("read");
        let ids: Vec<_> = feed
            .entries
            .iter()
            .filter_map(|e| e.id.as_deref())
            .collect();
        assert_eq!(
            ids,
            [
                "123456789012345678901234567890",
                "123456789012345678901234567891",
                "-0",
                "1e+2"
            ]
        );
        let lengths = |entry: &RawEntry| -> Vec<Option<u64>> {
            entry.media.enclosures.iter().map(|e| e.length).collect()
        };
        assert_eq!(lengths(&feed.entries[0]), [None]);
        assert_eq!(lengths(&feed.entries[1]), [None, Some(u64::MAX), None]);
        assert_eq!(feed.entries[0].published.as_deref(), Some("1e+400"));
    }

    #[test]
    fn an_items_link_is_its_url_else_the_page_it_is_about() {
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Links","items":[
            {"id":"1","url":"https://links.example/1","external_url":"https://other.example/a","content_text":"Own page."},
            {"id":"2","external_url":"https://other.example/b","content_text":"Worth reading."}]}"#;
        let (_, feed) = read(doc).expect("read");
        let links: Vec<Option<&str>> = feed
            .entries
            .iter()
            .map(|e| e.link.as_ref().map(|l| l.value.as_str()))
            .collect();
        assert_eq!(
            links,
            vec![
                Some("https://links.example/1"),
                Some("https://other.example/b")
            ]
        );
    }

    #[test]
    fn escaped_c1_controls_are_windows_1252_characters() {
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Caf\u0080",
            "items":[{"id":"1","title":"Don\u0092t \u0093quote\u0094 me",
            "content_text":"It\u0092s here.","tags":["\u0096"],"authors":[{"name":"Ren\u00e9e"}]}]}"#;
        let (_, feed) = read(doc).expect("read");
        assert_eq!(feed.title.unwrap().value, "Caf€");
        let [entry] = &feed.entries[..] else {
            panic!("{:?}", feed.entries);
        };
        assert_eq!(entry.title.as_ref().unwrap().value, "Don’t “quote” me");
        assert_eq!(entry.content.as_ref().unwrap().value.value, "It’s here.");
        assert_eq!(entry.categories.as_slice(), vec!["–"]);
        assert_eq!(
            entry.authors.as_slice(),
            vec!["Renée"],
            "other escapes are as written"
        );
    }

    #[test]
    fn a_feed_cut_short_keeps_the_whole_items_before_the_cut() {
        let whole = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Harbour Post",
            "items": [
              {"id": "1", "title": "Rail line returns", "content_text": "The council voted on Tuesday. {\"quoted\": [1]}"},
              {"id": "2", "title": "Ferry timetable", "tags": ["ferry", "winter"], "content_text": "Winter sailings start in November."},
              {"id": "3", "title": "Harbour wall", "content_text": "Repairs start in spring."}
            ], "home_page_url": "https://harbour.example/"}"#;
        let third = whole.find(r#"{"id": "3""#).unwrap();
        let items_end = whole.rfind(']').unwrap();
        let third_end = whole[..items_end].rfind('}').unwrap();
        // Every cut inside the third item keeps the first two.
        for cut in third..=third_end {
            let (_, feed) = read(&whole[..cut]).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            let ids: Vec<_> = feed.entries.iter().filter_map(|e| e.id.clone()).collect();
            assert_eq!(ids, ["1", "2"], "cut at {cut}");
            assert!(feed.truncated, "cut at {cut}");
            assert!(
                feed.warnings.iter().any(|w| w.contains("2 whole items")),
                "cut at {cut}"
            );
        }
        // Cut after the third item or after `items` closed: all three,
        // still marked cut.
        for cut in third_end + 1..whole.len() {
            let (_, feed) = read(&whole[..cut]).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            assert_eq!(feed.entries.len(), 3, "cut at {cut}");
            assert!(feed.truncated, "cut at {cut}");
        }
        // Cut before the first item is whole: refused, naming where.
        let first_end = whole.find(r#"{"id": "2""#).unwrap() - 20;
        for cut in [20, whole.find("items").unwrap() + 3, first_end] {
            assert!(
                matches!(read(&whole[..cut]), Err(FeedErrorKind::Json { .. })),
                "cut at {cut}"
            );
        }
        // Malformed, not cut: refused as before.
        let broken = whole.replacen("\"title\": \"Ferry", "\"title\" \"Ferry", 1);
        assert!(matches!(read(&broken), Err(FeedErrorKind::Json { .. })));
        // Whole: not marked.
        assert!(!read(whole).unwrap().1.truncated);
    }

    #[test]
    fn items_that_are_not_a_list_are_no_feed() {
        for (items, kind) in [
            (r#"{"id":"1"}"#, "an object"),
            ("null", "null"),
            (r#""x""#, "a string"),
        ] {
            let doc =
                format!(r#"{{"version":"https://jsonfeed.org/version/1.1","items":{items}}}"#);
            assert_eq!(
                read(&doc).map(|_| ()),
                Err(FeedErrorKind::NotAFeed {
                    found: format!("a JSON Feed whose `items` is {kind}, not a list")
                }),
                "{items}"
            );
        }
    }
}

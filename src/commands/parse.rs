//! What `feedfold parse` reads and shows: whether a path is a scraped dump, a
//! feed document or an HTML page, and for each article a human summary line
//! or one JSON object per line for scripts.

use serde::Serialize;

use crate::dedup::fingerprint::{article_id, content_key, entry_id};
use crate::dedup::update_as_stored;
use crate::ingest::FoldStats;
use crate::ingest::feed::FeedFormat;
use crate::model::rfc3339;
use crate::model::{Article, Block, Caption};
use crate::plural::count;

/// How `parse` reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A scraped text dump.
    Dump,
    /// An RSS, Atom or JSON Feed document.
    Feed,
    /// An HTML page, whose article is extracted.
    Page,
}

/// How many opening bytes of an input [`sniff_bytes`] needs: room for
/// long comments or blank lines before a page's first tag.
pub const SNIFF_BYTES: u64 = 64 * 1024;

/// The kind of an input that opens with `head` (its first
/// [`SNIFF_BYTES`] bytes, or all of it when shorter, or as much as
/// [`needs_more`] asks for). Tells an HTML page (it opens with a doctype
/// or an `<html>` tag, after any byte-order mark, white space, comments and
/// XML declaration) from a feed document (its first character is `<` or
/// `{`) and from a text dump, in UTF-8 or UTF-16 (with or without a
/// byte-order mark).
pub fn sniff_bytes(head: &[u8]) -> InputKind {
    if let Some(narrow) = utf16_as_ascii(head) {
        return sniff_bytes(&narrow);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let opening = text.trim_ascii_start();
    if !matches!(opening.first(), Some(b'<' | b'{')) {
        return InputKind::Dump;
    }
    let start = after_prolog(opening);
    let opens = |tag: &[u8]| {
        start.len() > tag.len()
            && start[..tag.len()].eq_ignore_ascii_case(tag)
            && !start[tag.len()].is_ascii_alphanumeric()
    };
    if opens(b"<!doctype html") || opens(b"<html") {
        return InputKind::Page;
    }
    InputKind::Feed
}

/// `opening` past the XML declaration and comments that may come first
/// (XHTML pages, saved pages): what follows them decides.
fn after_prolog(opening: &[u8]) -> &[u8] {
    let mut start = opening;
    while let Some(rest) = start
        .strip_prefix(b"<!--")
        .and_then(|r| memchr::memmem::find(r, b"-->").map(|end| &r[end + 3..]))
        .or_else(|| {
            start
                .strip_prefix(b"<?xml")
                .and_then(|r| memchr::memmem::find(r, b"?>").map(|end| &r[end + 2..]))
        })
    {
        start = rest.trim_ascii_start();
    }
    start
}

/// Whether [`sniff_bytes`] would decide more surely with more of the input
/// than `head`: nothing but white space so far, or a declaration or
/// comment still open, or nothing after them yet. A reader of a stream
/// reads on only while this holds, so a dump piped in is read as it comes.
pub fn needs_more(head: &[u8]) -> bool {
    if let Some(narrow) = utf16_as_ascii(head) {
        return needs_more(&narrow);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let opening = text.trim_ascii_start();
    match opening.first() {
        None => true,
        Some(b'<') => {
            let rest = after_prolog(opening);
            // Still inside a declaration or comment, or too little after.
            rest.starts_with(b"<!--")
                || rest.starts_with(b"<?")
                || rest.len() < b"<!doctype html ".len()
        }
        Some(_) => false,
    }
}

/// The low byte of each character of `head` when it is UTF-16: it opens
/// with a byte-order mark, or its first two characters are ASCII with a
/// zero high byte (`<\0?\0` or `\0<\0?`). Enough to tell the kinds apart.
fn utf16_as_ascii(head: &[u8]) -> Option<Vec<u8>> {
    let ascii_pair = |a: u8, b: u8| a == 0 && b.is_ascii() && b != 0;
    let low_first = match head {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        [a, 0, b, 0, ..] if ascii_pair(0, *a) && ascii_pair(0, *b) => true,
        [0, a, 0, b, ..] if ascii_pair(0, *a) && ascii_pair(0, *b) => false,
        _ => return None,
    };
    let units = head
        .strip_prefix(&[0xFF, 0xFE])
        .or_else(|| head.strip_prefix(&[0xFE, 0xFF]));
    let units = units.unwrap_or(head);
    Some(
        units
            .chunks_exact(2)
            .map(|pair| {
                let (low, high) = if low_first {
                    (pair[0], pair[1])
                } else {
                    (pair[1], pair[0])
                };
                if high == 0 { low } else { b'?' }
            })
            .collect(),
    )
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    id: String,
    title: &'a str,
    published: Option<String>,
    captions: &'a [Caption],
    body: &'a [Block],
    source: &'a str,
    line: usize,
    link: Option<&'a str>,
    upstream_id: Option<&'a str>,
    summary: Option<&'a str>,
    content_html: Option<&'a str>,
    updated: Option<String>,
    authors: &'a [String],
    categories: &'a [String],
}

/// The id `article` gets when first stored from a source named `source`:
/// from its upstream key when it has one, else from its content.
pub fn new_id(article: &Article, source: &str) -> String {
    match &article.upstream_key {
        Some(key) => entry_id(source, key),
        None => article_id(&content_key(article)),
    }
}

/// One JSON object (no trailing newline) describing `article`, with the id
/// it would get in a source named `source`; a URL it was read from is
/// shown without credentials and query values.
pub fn json_line(article: &Article, source: &str) -> String {
    let record = ArticleJson {
        id: new_id(article, source),
        title: &article.title,
        published: article.published.map(rfc3339),
        captions: &article.captions,
        body: &article.body,
        source: &crate::redact::urls_in(&article.origin.location),
        line: article.origin.line,
        link: article.link.as_deref(),
        upstream_id: article.upstream_id.as_deref(),
        summary: article.summary.as_deref(),
        content_html: article.content_html.as_deref(),
        // The update date `run` stores: one before the publication date
        // counts as the publication date.
        updated: update_as_stored(article.published, article.updated).map(rfc3339),
        authors: &article.authors,
        categories: &article.categories,
    };
    serde_json::to_string(&record).expect("article JSON serializes")
}

/// `  3. Headline [2024-07-29] (line 40): 1 caption, 15 paragraphs, 1 subhead`
pub fn human_line(index: usize, article: &Article) -> String {
    let paragraphs = article
        .body
        .iter()
        .filter(|b| b.kind == crate::model::BlockKind::Paragraph)
        .count();
    let subheads = article.body.len() - paragraphs;
    let date = article
        .published
        .map(|d| format!(" [{}]", rfc3339(d)))
        .unwrap_or_default();
    let link = article
        .link
        .as_deref()
        .map(|l| format!(" <{l}>"))
        .unwrap_or_default();
    format!(
        "{index:>4}. {}{date}{link} (line {}): {}, {}, {}",
        super::headline::shown(&article.title),
        article.origin.line,
        count(article.captions.len(), "caption", "captions"),
        count(paragraphs, "paragraph", "paragraphs"),
        count(subheads, "subhead", "subheads"),
    )
}

/// The closing line for one feed document.
pub fn feed_summary(location: &str, feed: &crate::ingest::feed::ParsedFeed) -> String {
    format!(
        "{location}: {} from {} read as {}",
        count(feed.articles.len(), "article", "articles"),
        document_named(feed.format),
        feed.encoding
    )
}

/// `an RSS 2.0 document`, `a JSON Feed 1.1 document`: the format's name
/// with the article its spoken name takes.
fn document_named(format: FeedFormat) -> String {
    let article = match format {
        FeedFormat::Rss090
        | FeedFormat::Rss091
        | FeedFormat::Rss092
        | FeedFormat::Rss10
        | FeedFormat::Rss20
        | FeedFormat::Atom03
        | FeedFormat::Atom10 => "an",
        FeedFormat::JsonFeed10 | FeedFormat::JsonFeed11 | FeedFormat::Cdf => "a",
    };
    format!("{article} {format} document")
}

/// The closing line for one HTML page.
pub fn page_summary(location: &str, page: &crate::ingest::page::Page) -> String {
    format!(
        "{location}: 1 article from an HTML page, {}, {}",
        count(page.article.captions.len(), "caption", "captions"),
        count(page.article.body.len(), "block", "blocks")
    )
}

/// The closing line for one parsed file.
pub fn file_summary(location: &str, stats: &FoldStats) -> String {
    format!(
        "{location}: {} from {}, {} folded",
        count(stats.articles, "article", "articles"),
        count(stats.lines, "line", "lines"),
        count(stats.repeats_folded, "repeated line", "repeated lines")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_tells_feeds_from_dumps() {
        let utf16le =
            |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let utf16be =
            |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_be_bytes).collect() };
        let page_le = [&b"\xFF\xFE"[..], &utf16le("<!DOCTYPE html><html>")].concat();
        let feed_be = utf16be("<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss>");
        let dump_le = [&b"\xFF\xFE"[..], &utf16le("Headline\n\nBody.")].concat();
        let late = [" \n".repeat(600).as_bytes(), b"<rss version=\"2.0\">"].concat();
        let more: [(&[u8], InputKind); 5] = [
            (&page_le, InputKind::Page),
            (&feed_be, InputKind::Feed),
            (&dump_le, InputKind::Dump),
            (&late, InputKind::Feed),
            (b"<?xml version=\"1.0\"?>", InputKind::Feed),
        ];
        let cases: [(&[u8], InputKind); 11] = [
            (
                b"<!--?xml version=\"1.0\" ?--><!DOCTYPE html PUBLIC \"-//W3C\">",
                InputKind::Page,
            ),
            (
                b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">",
                InputKind::Feed,
            ),
            (b"<!DOCTYPE html>\n<html><p>x</p>", InputKind::Page),
            (b"\xEF\xBB\xBF\n  <html lang=\"en\">", InputKind::Page),
            (b"<HTML>", InputKind::Page),
            (b"<htmlfeed/>", InputKind::Feed),
            (
                b"\xEF\xBB\xBF  <?xml version=\"1.0\"?><rss/>",
                InputKind::Feed,
            ),
            (
                b"\n{\"version\": \"https://jsonfeed.org/version/1.1\"}",
                InputKind::Feed,
            ),
            (b"\xFF\xFE<\0r\0", InputKind::Feed),
            (b"Headline Here\n\nBody.", InputKind::Dump),
            (b"", InputKind::Dump),
        ];
        assert!(needs_more(b"  \n"));
        assert!(needs_more(b"<?xml version=\"1.0\""));
        assert!(needs_more(b"<!-- saved from"));
        assert!(!needs_more(b"Headline"));
        assert!(!needs_more(b"{"));
        assert!(!needs_more(b"<?xml version=\"1.0\"?><rss version=\"2.0\">"));
        for (i, (bytes, kind)) in cases.into_iter().chain(more).enumerate() {
            assert_eq!(sniff_bytes(bytes), kind, "case {i}");
        }
    }

    #[test]
    fn formats_are_named_with_their_article() {
        assert_eq!(document_named(FeedFormat::Rss20), "an RSS 2.0 document");
        assert_eq!(document_named(FeedFormat::Rss10), "an RSS 1.0 document");
        assert_eq!(document_named(FeedFormat::Atom10), "an Atom 1.0 document");
        assert_eq!(
            document_named(FeedFormat::JsonFeed11),
            "a JSON Feed 1.1 document"
        );
        assert_eq!(document_named(FeedFormat::Cdf), "a CDF document");
    }

    #[test]
    fn feed_entries_get_source_ids_and_dumps_content_ids() {
        let mut article = Article {
            title: "T".into(),
            body: vec![Block::paragraph("B.")],
            ..Article::default()
        };
        let by_content = new_id(&article, "a");
        assert_eq!(by_content, new_id(&article, "b"));
        article.upstream_key = Some("guid-1".into());
        assert_ne!(new_id(&article, "a"), new_id(&article, "b"));
        let line: serde_json::Value = serde_json::from_str(&json_line(&article, "a")).unwrap();
        assert_eq!(line["link"], serde_json::Value::Null);
        assert!(line["id"].as_str().unwrap().contains(":entry:"));
        assert_eq!(line["updated"], serde_json::Value::Null);
        assert_eq!(line["authors"], serde_json::json!([]));
        article.authors = vec!["Ada Reyes".into()];
        article.categories = vec!["Harbour".into()];
        article.updated = Some(chrono::DateTime::UNIX_EPOCH);
        let line: serde_json::Value = serde_json::from_str(&json_line(&article, "a")).unwrap();
        assert_eq!(line["authors"], serde_json::json!(["Ada Reyes"]));
        assert_eq!(line["categories"], serde_json::json!(["Harbour"]));
        assert_eq!(line["updated"], "1970-01-01T00:00:00Z");
        article.origin.location = "https://desk:hunter2@wire.example/feed?key=s3cret".into();
        let line: serde_json::Value = serde_json::from_str(&json_line(&article, "a")).unwrap();
        assert_eq!(line["source"], "https://wire.example/feed?key=***");
    }

    #[test]
    fn an_update_date_before_the_publication_date_is_shown_as_run_stores_it() {
        let at = |day| {
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, day, 10, 0, 0).unwrap()
        };
        let mut scheduled = Article {
            title: "Pier to close for a week of repairs in January".into(),
            body: vec![Block::paragraph(
                "The pier will close for a week of repairs in January, the council said.",
            )],
            published: Some(at(3)),
            updated: Some(at(2)),
            ..Article::default()
        };
        let line: serde_json::Value = serde_json::from_str(&json_line(&scheduled, "a")).unwrap();
        assert_eq!(line["updated"], "2026-12-03T10:00:00Z");
        assert_eq!(line["published"], "2026-12-03T10:00:00Z");
        scheduled.updated = Some(at(4));
        let line: serde_json::Value = serde_json::from_str(&json_line(&scheduled, "a")).unwrap();
        assert_eq!(line["updated"], "2026-12-04T10:00:00Z");
    }
}

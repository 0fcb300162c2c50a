//! What `feedfold parse` reads and shows: whether a path is a scraped dump, a
//! feed document or an HTML page, and for each article a human summary line
//! or one JSON object per line for scripts.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::dedup::fingerprint::{article_id, content_key, entry_id};
use crate::ingest::FoldStats;
use crate::model::rfc3339;
use crate::model::{Article, Block, Caption};

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

/// Tells an HTML page (it opens with a doctype or an `<html>` tag, after
/// any byte-order mark, white space, comments and XML declaration) from a feed document (its first
/// character is `<` or `{`, or it is UTF-16) and from a text dump.
pub fn sniff(path: &Path) -> std::io::Result<InputKind> {
    let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
    std::fs::File::open(path)?
        .take(SNIFF_BYTES)
        .read_to_end(&mut head)?;
    Ok(sniff_bytes(&head))
}

/// How many opening bytes of an input [`sniff_bytes`] needs.
pub const SNIFF_BYTES: u64 = 512;

/// The kind of an input that opens with `head` (its first
/// [`SNIFF_BYTES`] bytes, or all of it when shorter): see [`sniff`].
pub fn sniff_bytes(head: &[u8]) -> InputKind {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return InputKind::Feed;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut start = text.trim_ascii_start();
    // An XML declaration or comments may come first (XHTML pages, saved
    // pages); what follows them decides.
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
    let opens = |tag: &[u8]| {
        start.len() > tag.len()
            && start[..tag.len()].eq_ignore_ascii_case(tag)
            && !start[tag.len()].is_ascii_alphanumeric()
    };
    if opens(b"<!doctype html") || opens(b"<html") {
        return InputKind::Page;
    }
    match start.first() {
        Some(b'<' | b'{') => InputKind::Feed,
        _ => InputKind::Dump,
    }
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
/// it would get in a source named `source`.
pub fn json_line(article: &Article, source: &str) -> String {
    let record = ArticleJson {
        id: new_id(article, source),
        title: &article.title,
        published: article.published.map(rfc3339),
        captions: &article.captions,
        body: &article.body,
        source: &article.origin.location,
        line: article.origin.line,
        link: article.link.as_deref(),
        upstream_id: article.upstream_id.as_deref(),
        summary: article.summary.as_deref(),
        content_html: article.content_html.as_deref(),
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
        "{index:>4}. {}{date}{link} (line {}): {} caption(s), {paragraphs} paragraph(s), {subheads} subhead(s)",
        article.title,
        article.origin.line,
        article.captions.len(),
    )
}

/// The closing line for one feed document.
pub fn feed_summary(location: &str, feed: &crate::ingest::feed::ParsedFeed) -> String {
    format!(
        "{location}: {} article(s) from a {:?} document read as {}",
        feed.articles.len(),
        feed.format,
        feed.encoding
    )
}

/// The closing line for one HTML page.
pub fn page_summary(location: &str, page: &crate::ingest::page::Page) -> String {
    format!(
        "{location}: 1 article from an HTML page, {} caption(s), {} block(s)",
        page.article.captions.len(),
        page.article.body.len()
    )
}

/// The closing line for one parsed file.
pub fn file_summary(location: &str, stats: &FoldStats) -> String {
    format!(
        "{location}: {} article(s) from {} line(s), {} repeated line(s) folded",
        stats.articles, stats.lines, stats.repeats_folded
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_tells_feeds_from_dumps() {
        let dir = tempfile::tempdir().unwrap();
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
        for (i, (bytes, kind)) in cases.into_iter().enumerate() {
            let path = dir.path().join(format!("{i}"));
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(sniff(&path).unwrap(), kind, "case {i}");
        }
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
    }
}

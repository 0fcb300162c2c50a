//! What `feedfold parse` reads and shows: whether a path is a scraped dump or
//! a feed document, and for each article a human summary line or one JSON
//! object per line for scripts.

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
}

/// Tells a feed document (its first character, after any byte-order mark
/// and white space, is `<` or `{`, or it is UTF-16) from a text dump.
pub fn sniff(path: &Path) -> std::io::Result<InputKind> {
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)?
        .take(512)
        .read_to_end(&mut head)?;
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Ok(InputKind::Feed);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    Ok(match first {
        Some(b'<' | b'{') => InputKind::Feed,
        _ => InputKind::Dump,
    })
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
        let cases: [(&[u8], InputKind); 5] = [
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

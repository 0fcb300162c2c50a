//! What `feedfold parse` shows for each article: a human summary line, or one
//! JSON object per line for scripts.

use serde::Serialize;

use crate::dedup::fingerprint::{article_id, content_key};
use crate::ingest::FoldStats;
use crate::model::{Article, Block, Caption};
use crate::publish::rfc3339;

#[derive(Serialize)]
struct ArticleJson<'a> {
    id: String,
    title: &'a str,
    published: Option<String>,
    captions: &'a [Caption],
    body: &'a [Block],
    source: &'a str,
    line: usize,
}

/// One JSON object (no trailing newline) describing `article`.
pub fn json_line(article: &Article) -> String {
    let record = ArticleJson {
        id: article_id(&content_key(article)),
        title: &article.title,
        published: article.published.map(rfc3339),
        captions: &article.captions,
        body: &article.body,
        source: &article.origin.location,
        line: article.origin.line,
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
    format!(
        "{index:>4}. {}{date} (line {}): {} caption(s), {paragraphs} paragraph(s), {subheads} subhead(s)",
        article.title,
        article.origin.line,
        article.captions.len(),
    )
}

/// The closing line for one parsed file.
pub fn file_summary(location: &str, stats: &FoldStats) -> String {
    format!(
        "{location}: {} article(s) from {} line(s), {} repeated line(s) folded",
        stats.articles, stats.lines, stats.repeats_folded
    )
}

//! Renders a stored article as the HTML that feed readers show (each caption
//! once in a `<figure>`, crossheads as headings, each paragraph once) and as
//! a plain-text summary.

use crate::model::{BlockKind, StoredArticle};
use crate::normalize::truncate_words;

/// Longest summary, in characters.
const SUMMARY_CHARS: usize = 300;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The article body as HTML: captions as figures, then the source's
/// sanitized HTML when it gave some, else the body blocks.
pub fn article_html(article: &StoredArticle) -> String {
    let mut html = String::new();
    for caption in &article.captions {
        html.push_str("<figure>");
        if let Some(image) = &caption.image {
            html.push_str(&format!("<img src=\"{}\" alt=\"\">", escape(image)));
        }
        if !caption.text.is_empty() || caption.credit.is_some() {
            html.push_str("<figcaption>");
            html.push_str(&escape(&caption.text));
            if let Some(credit) = &caption.credit {
                html.push_str(" <small>(");
                html.push_str(&escape(credit));
                html.push_str(")</small>");
            }
            html.push_str("</figcaption>");
        }
        html.push_str("</figure>\n");
    }
    if let Some(content) = &article.content_html {
        html.push_str(content);
        if !content.ends_with('\n') {
            html.push('\n');
        }
        return html;
    }
    for block in &article.body {
        let tag = match block.kind {
            BlockKind::Paragraph => "p",
            BlockKind::Subhead => "h3",
        };
        html.push_str(&format!("<{tag}>{}</{tag}>\n", escape(&block.text)));
    }
    html
}

/// A plain-text summary: the source's own, else the first paragraph,
/// shortened at a word boundary.
pub fn summary(article: &StoredArticle) -> String {
    if let Some(summary) = article.summary.as_deref().filter(|s| !s.is_empty()) {
        return truncate_words(summary, SUMMARY_CHARS);
    }
    article
        .body
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph)
        .map(|b| truncate_words(&b.text, SUMMARY_CHARS))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Caption};
    use chrono::Utc;

    fn article() -> StoredArticle {
        StoredArticle {
            id: "tag:x,2026:1".into(),
            title: "T".into(),
            published: Utc::now(),
            updated: Utc::now(),
            captions: vec![Caption::credited("Crowds <gather> & wait", "AFP")],
            body: vec![
                Block::paragraph("First \"quoted\" paragraph."),
                Block::subhead("Carried out raids"),
                Block::paragraph("Second."),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn html_has_each_part_once_and_escaped() {
        let html = article_html(&article());
        assert_eq!(
            html,
            "<figure><figcaption>Crowds &lt;gather&gt; &amp; wait <small>(AFP)</small></figcaption></figure>\n\
             <p>First &quot;quoted&quot; paragraph.</p>\n<h3>Carried out raids</h3>\n<p>Second.</p>\n"
        );
    }

    #[test]
    fn summary_is_the_first_paragraph() {
        assert_eq!(summary(&article()), "First \"quoted\" paragraph.");
    }

    #[test]
    fn source_html_and_images_are_used_when_given() {
        let mut a = article();
        a.content_html = Some("<p>From the source.</p>".into());
        a.summary = Some("Their summary.".into());
        a.captions[0].image = Some("https://img.example/a.jpg?x=1&y=2".into());
        let html = article_html(&a);
        assert!(
            html.starts_with(
                "<figure><img src=\"https://img.example/a.jpg?x=1&amp;y=2\" alt=\"\"><figcaption>"
            ),
            "{html}"
        );
        assert!(html.ends_with("<p>From the source.</p>\n"), "{html}");
        assert!(!html.contains("Second."), "{html}");
        assert_eq!(summary(&a), "Their summary.");
    }
}

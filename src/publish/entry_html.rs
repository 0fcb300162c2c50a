//! Renders a stored article as the HTML that feed readers show (each caption
//! once in a `<figure>`, crossheads as headings, each paragraph once) and as
//! a plain-text summary. A picture or caption text the source's HTML
//! already shows (a feed that gives its picture both as Media RSS and in its
//! content) is shown once, where the source's HTML has it.

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult};

use crate::furniture::{only_link_labels, page_furniture};
use crate::ingest::sanitize::tokenize_into;
use crate::model::{Block, BlockKind, Caption, StoredArticle};
use crate::normalize::{clean_text, fold, truncate_words_within};

/// Longest summary, in characters, the ellipsis of one that is cut
/// included.
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
    let shown = article
        .content_html
        .as_deref()
        .map(|content| tokenize_into(ShownPictures::default(), content))
        .unwrap_or_default();
    for caption in &article.captions {
        // A picture the source's HTML shows is shown there, and its
        // caption would stand apart from it here.
        if shown.has_text_of(caption)
            || caption.image.as_deref().is_some_and(|i| shown.has_image(i))
        {
            continue;
        }
        let image = caption.image.as_deref();
        // A caption that is the body's text (a video's or a picture's
        // description, an entry's only words) is read once, as the body;
        // without a picture, its credit alone would credit nothing.
        let body_text = is_body_text(article, &caption.text);
        if body_text && image.is_none() {
            continue;
        }
        let text = if body_text { "" } else { caption.text.as_str() };
        let has_text = !text.is_empty() || caption.credit.is_some();
        if image.is_none() && !has_text {
            continue;
        }
        html.push_str("<figure>");
        if let Some(image) = image {
            let alt = caption.alt.as_deref().unwrap_or_default();
            html.push_str(&format!(
                "<img src=\"{}\" alt=\"{}\">",
                escape(image),
                escape(alt)
            ));
        }
        if has_text {
            html.push_str("<figcaption>");
            html.push_str(&escape(text));
            if let Some(credit) = &caption.credit {
                if !text.is_empty() {
                    html.push(' ');
                }
                html.push_str("<small>(");
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
    for block in shown_blocks(article) {
        let tag = match block.kind {
            BlockKind::Paragraph => "p",
            BlockKind::Subhead => "h3",
        };
        html.push_str(&format!("<{tag}>{}</{tag}>\n", escape(&block.text)));
    }
    html
}

/// The body blocks readers are shown: all but the page furniture a dump
/// kept between paragraphs as it was scraped ([`page_furniture`]:
/// `Advertisement`, `Read more: …`). The store keeps those as read, so
/// that the article's id and its folding stay what they were.
pub fn shown_blocks(article: &StoredArticle) -> impl Iterator<Item = &Block> {
    article
        .body
        .iter()
        .filter(|b| b.kind != BlockKind::Paragraph || !page_furniture(&b.text))
}

/// Whether `text` is the article's body: all of it, or one of its
/// paragraphs, as folding compares lines.
fn is_body_text(article: &StoredArticle, text: &str) -> bool {
    let text = fold(text);
    if text.is_empty() {
        return false;
    }
    let whole: Vec<&str> = article.body.iter().map(|b| b.text.as_str()).collect();
    fold(&whole.join(" ")) == text || article.body.iter().any(|b| fold(&b.text) == text)
}

/// The pictures and caption text an HTML fragment shows: its `img`
/// sources and the text of its `figcaption`s.
#[derive(Default)]
struct ShownPictures {
    images: RefCell<HashSet<String>>,
    /// The text of every `figcaption`, each followed by a line break.
    captions: RefCell<String>,
    /// How many `figcaption`s are open where the tokenizer is.
    open_captions: RefCell<usize>,
}

impl ShownPictures {
    /// Whether `image` is one of the pictures shown.
    fn has_image(&self, image: &str) -> bool {
        self.images.borrow().contains(image)
    }

    /// Whether the text of `caption` is in a `figcaption` (with its credit
    /// or without).
    fn has_text_of(&self, caption: &Caption) -> bool {
        let text = clean_text(&caption.text);
        !text.is_empty()
            && self
                .captions
                .borrow()
                .lines()
                .any(|shown| clean_text(shown).contains(&text))
    }
}

impl TokenSink for ShownPictures {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if &*tag.name == "img" && tag.kind == TagKind::StartTag => {
                let src = tag.attrs.iter().find(|a| &*a.name.local == "src");
                if let Some(src) = src {
                    self.images
                        .borrow_mut()
                        .insert(src.value.trim().to_string());
                }
            }
            Token::TagToken(tag) if &*tag.name == "figcaption" => {
                let mut open = self.open_captions.borrow_mut();
                if tag.kind == TagKind::StartTag {
                    *open += 1;
                } else if *open > 0 {
                    *open -= 1;
                    self.captions.borrow_mut().push('\n');
                }
            }
            Token::CharacterTokens(text) if *self.open_captions.borrow() > 0 => {
                self.captions
                    .borrow_mut()
                    .push_str(&text.replace('\n', " "));
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// A plain-text summary: the source's own, else the first paragraph shown,
/// shortened at a word boundary to at most 300 characters, its ellipsis
/// included; `None` for an article that shows no paragraph (an upstream
/// entry whose only text was its headline), which the feeds then give no
/// summary rather than an empty one. The source's own summary is passed
/// over when it only repeats the headline or is only a link label (`Read
/// more`, `Continue reading →`).
pub fn summary(article: &StoredArticle) -> Option<String> {
    let cut = |text: &str| truncate_words_within(text, SUMMARY_CHARS);
    if let Some(summary) = article
        .summary
        .as_deref()
        .filter(|s| !s.is_empty() && fold(s) != fold(&article.title) && !only_link_labels(s))
    {
        return Some(cut(summary));
    }
    shown_blocks(article)
        .find(|b| b.kind == BlockKind::Paragraph)
        .map(|b| cut(&b.text))
        .filter(|summary| !summary.is_empty())
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
    fn page_furniture_kept_in_the_body_is_never_shown() {
        let mut a = article();
        a.body = vec![
            Block::paragraph("Advertisement"),
            Block::paragraph("The council approved the cycle lanes."),
            Block::paragraph("Story continues below advertisement"),
            Block::paragraph("Read more: Tram Fares to Rise in January"),
            Block::paragraph("Work begins in March."),
        ];
        let html = article_html(&a);
        assert!(!html.contains("dvertisement"), "{html}");
        assert!(!html.contains("Read more"), "{html}");
        assert!(html.contains("<p>Work begins in March.</p>"), "{html}");
        assert_eq!(
            summary(&a).as_deref(),
            Some("The council approved the cycle lanes.")
        );
        assert_eq!(shown_blocks(&a).count(), 2);
    }

    #[test]
    fn a_summary_of_only_a_link_label_is_passed_over() {
        for label in ["Read more", "Continue reading →", "Read more »"] {
            let mut a = article();
            a.summary = Some(label.into());
            assert_eq!(
                summary(&a).as_deref(),
                Some("First \"quoted\" paragraph."),
                "{label}"
            );
        }
        let mut a = article();
        a.summary = Some("Read more about the budget vote.".into());
        assert_eq!(
            summary(&a).as_deref(),
            Some("Read more about the budget vote.")
        );
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
    fn a_picture_the_source_html_shows_is_shown_once() {
        let mut a = article();
        a.captions = vec![
            Caption {
                image: Some("https://img.example/1.jpg?w=1&h=2".into()),
                ..Caption::credited("Crowds gather in the square", "Jane Doe/AP")
            },
            Caption {
                image: Some("https://img.example/2.jpg".into()),
                ..Caption::credited("The mayor at the podium", "AFP")
            },
            Caption {
                image: Some("https://img.example/3.jpg".into()),
                ..Caption::credited("Boats in the harbour", "Reuters")
            },
        ];
        a.content_html = Some(
            "<figure><img src=\"https://img.example/1.jpg?w=1&amp;h=2\"></figure>\
             <figure><img src=\"https://img.example/2-large.jpg\"><figcaption>The mayor \
             at the podium (AFP)</figcaption></figure><p>Text.</p>"
                .into(),
        );
        let html = article_html(&a);
        for shown_once in ["img.example/1.jpg", "The mayor", "Boats in the harbour"] {
            assert_eq!(html.matches(shown_once).count(), 1, "{shown_once}: {html}");
        }
        // The caption of a picture the source's HTML shows does not stand
        // on its own, apart from its picture.
        assert!(!html.contains("Crowds gather"), "{html}");
        assert!(
            html.starts_with("<figure><img src=\"https://img.example/3.jpg\""),
            "{html}"
        );
    }

    #[test]
    fn a_caption_that_is_the_body_is_read_once() {
        // A video's description (with a credit), the only text of a post.
        let mut a = article();
        a.captions = vec![Caption {
            image: Some("https://i.example/hqdefault.jpg".into()),
            ..Caption::credited(
                "Drone footage of the storm.\nFilmed on Monday.",
                "Harbour TV",
            )
        }];
        a.body = vec![
            Block::paragraph("Drone footage of the storm."),
            Block::paragraph("Filmed on Monday."),
        ];
        assert_eq!(
            article_html(&a),
            "<figure><img src=\"https://i.example/hqdefault.jpg\" alt=\"\"><figcaption><small>(Harbour TV)</small></figcaption></figure>\n\
             <p>Drone footage of the storm.</p>\n<p>Filmed on Monday.</p>\n"
        );
        // A picture's alt text, one paragraph of the body; a caption
        // without a picture that is the body adds nothing, not even its
        // credit.
        a.captions = vec![
            Caption {
                text: "A grey seal asleep".into(),
                credit: None,
                image: Some("https://i.example/seal.jpg".into()),
                alt: None,
                declared: false,
            },
            Caption {
                text: "Filmed  on Monday.".into(),
                credit: None,
                image: None,
                alt: None,
                declared: false,
            },
            Caption::credited("Drone footage of the storm.", "Harbour TV"),
        ];
        assert_eq!(
            article_html(&a),
            "<figure><img src=\"https://i.example/seal.jpg\" alt=\"\"><figcaption>A grey seal asleep</figcaption></figure>\n\
             <p>Drone footage of the storm.</p>\n<p>Filmed on Monday.</p>\n"
        );
    }

    #[test]
    fn summary_is_the_first_paragraph() {
        assert_eq!(
            summary(&article()).as_deref(),
            Some("First \"quoted\" paragraph.")
        );
    }

    #[test]
    fn an_article_showing_no_paragraph_has_no_summary() {
        let mut a = article();
        a.body = vec![Block::subhead("Carried out raids")];
        assert_eq!(summary(&a), None);
        a.body.clear();
        a.summary = Some(String::new());
        assert_eq!(summary(&a), None);
        a.title = "Ferry services suspended after storm".into();
        a.summary = Some("Ferry Services Suspended After Storm".into());
        assert_eq!(summary(&a), None);
    }

    #[test]
    fn a_cut_summary_is_at_most_its_length_with_the_ellipsis() {
        let long = [
            "word ".repeat(80),
            format!("See https://ex.example/{}", "x".repeat(400)),
            "中文新闻内容".repeat(100),
            "y".repeat(500),
        ];
        for text in long {
            let mut a = article();
            a.body[0].text = text.clone();
            let mut own = article();
            own.summary = Some(text.clone());
            for summary in [summary(&a).unwrap(), summary(&own).unwrap()] {
                assert!(summary.ends_with('…'), "{summary}");
                assert!(
                    summary.chars().count() <= SUMMARY_CHARS,
                    "{text}: {summary}"
                );
            }
        }
    }

    #[test]
    fn a_summary_that_fits_is_whole_and_one_character_more_is_cut() {
        // `abcd abcd … abcZ`: spaces inside, none at the end.
        let of_length = |n: usize| format!("{}Z", &"abcd ".repeat(100)[..n - 1]);
        for n in [299, SUMMARY_CHARS] {
            let mut a = article();
            a.body[0].text = of_length(n);
            let mut own = article();
            own.summary = Some(of_length(n));
            assert_eq!(summary(&a), Some(of_length(n)));
            assert_eq!(summary(&own), Some(of_length(n)));
        }
        let mut a = article();
        a.body[0].text = of_length(SUMMARY_CHARS + 1);
        let cut = summary(&a).unwrap();
        assert!(cut.ends_with("abcd…"), "{cut}");
        assert!(cut.chars().count() <= SUMMARY_CHARS, "{cut}");
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
        assert_eq!(summary(&a).as_deref(), Some("Their summary."));
    }
}

//! Cross-page boilerplate: paragraphs a site prints on many of its pages
//! ("Sign up for our newsletter", "Related coverage") are its template, not
//! the article. A paragraph is known by the key dumps fold it by (the
//! sha256 of its folded form), so `Sign up  for our Newsletter` and
//! `Sign up for our newsletter` are one paragraph.
//!
//! Pure: how many of a site's other pages printed each paragraph is given
//! ([`SiteCounts`]); whoever keeps those counts adds each page's
//! [`paragraph_keys`] after reading it.

use std::collections::HashMap;

use crate::model::{Article, BlockKind};
use crate::normalize::{Key, folded_key};

/// On how many other pages of a site a paragraph must appear before it is
/// taken for the site's template. A sentence two articles quote stays.
pub const MIN_PAGES: u32 = 3;

/// What is known of a site's other pages.
pub trait SiteCounts {
    /// On how many of them the paragraph with this key appeared.
    fn pages_with(&self, key: &Key) -> u32;
}

impl SiteCounts for HashMap<Key, u32> {
    fn pages_with(&self, key: &Key) -> u32 {
        self.get(key).copied().unwrap_or(0)
    }
}

/// The keys of an article's paragraphs, each once: what a page adds to its
/// site's counts.
pub fn paragraph_keys(article: &Article) -> Vec<Key> {
    let mut scratch = String::new();
    let mut keys: Vec<Key> = article
        .body
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .map(|b| folded_key(&b.text, &mut scratch))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Drops from `article` each paragraph that `counts` says the site printed
/// on at least `min_pages` other pages, and returns how many it dropped.
/// When that would take half the paragraphs or more, nothing is dropped:
/// such a page repeats an article the site already printed (a copy, a
/// reprint), which folding handles, rather than its template.
pub fn drop_template(article: &mut Article, counts: &impl SiteCounts, min_pages: u32) -> usize {
    let mut scratch = String::new();
    let template: Vec<bool> = article
        .body
        .iter()
        .map(|b| {
            b.kind == BlockKind::Paragraph
                && counts.pages_with(&folded_key(&b.text, &mut scratch)) >= min_pages
        })
        .collect();
    let dropped = template.iter().filter(|&&t| t).count();
    let paragraphs = article
        .body
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .count();
    if dropped == 0 || dropped * 2 >= paragraphs {
        return 0;
    }
    if let Some(keys) = &mut article.line_keys {
        let mut flags = template.iter();
        keys.blocks
            .retain(|_| !flags.next().copied().unwrap_or(false));
    }
    let mut flags = template.into_iter();
    article
        .body
        .retain(|_| !flags.next().expect("one flag per block"));
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    const TEMPLATE: &str = "Sign up for our morning newsletter and get the day's news first.";
    const QUOTE: &str = "\"We will not be moved,\" the harbour master said on Tuesday, standing by the closed gates.";

    fn page(n: usize, extra: &[&str]) -> Article {
        let mut body = vec![
            Block::paragraph(format!("Story {n} opens with its own first paragraph.")),
            Block::paragraph(format!(
                "Story {n} goes on with a second paragraph of its own."
            )),
            Block::paragraph(format!(
                "Story {n} ends with a third one that no other page has."
            )),
        ];
        body.extend(extra.iter().map(|p| Block::paragraph(*p)));
        Article {
            title: format!("Story {n}"),
            body,
            ..Article::default()
        }
    }

    fn count(counts: &mut HashMap<Key, u32>, article: &Article) {
        for key in paragraph_keys(article) {
            *counts.entry(key).or_insert(0) += 1;
        }
    }

    #[test]
    fn a_template_sentence_on_five_pages_is_dropped_from_the_sixth() {
        let mut counts = HashMap::new();
        for n in 1..=5 {
            count(&mut counts, &page(n, &[TEMPLATE]));
        }
        let mut sixth = page(6, &[TEMPLATE]);
        // Written a little differently: folded, it is the same paragraph.
        sixth.body[3] =
            Block::paragraph("Sign up for our  morning Newsletter and get the day’s news first.");
        sixth.line_keys = Some(crate::model::LineKeys {
            title: [0; 32],
            blocks: (0..4u8).map(|n| [n; 32]).collect(),
        });
        assert_eq!(drop_template(&mut sixth, &counts, MIN_PAGES), 1);
        let kept = &sixth.line_keys.as_ref().unwrap().blocks;
        assert_eq!(
            kept,
            &[[0; 32], [1; 32], [2; 32]],
            "the keys follow the blocks"
        );
        let texts: Vec<&str> = sixth.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts.len(), 3);
        assert!(texts.iter().all(|t| t.starts_with("Story 6")));
    }

    #[test]
    fn a_sentence_quoted_in_two_articles_is_kept() {
        let mut counts = HashMap::new();
        count(&mut counts, &page(1, &[QUOTE]));
        for n in 2..=5 {
            count(&mut counts, &page(n, &[]));
        }
        let mut second = page(6, &[QUOTE]);
        assert_eq!(drop_template(&mut second, &counts, MIN_PAGES), 0);
        assert_eq!(second.body.len(), 4);
        assert_eq!(second.body[3].text, QUOTE);
    }

    #[test]
    fn a_reprinted_article_is_not_mistaken_for_template() {
        let mut counts = HashMap::new();
        for _ in 0..5 {
            count(&mut counts, &page(1, &[]));
        }
        let mut reprint = page(1, &[]);
        assert_eq!(drop_template(&mut reprint, &counts, MIN_PAGES), 0);
        assert_eq!(reprint.body.len(), 3);
    }
}

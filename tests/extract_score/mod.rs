//! Scores article body extraction against the development set of HTML
//! pages (`<name>/source.html`, the expected article `<name>/expected.html`
//! and `<name>/expected-metadata.json`): the body text an extractor finds
//! is compared with the text of `expected.html` as 4-gram word shingles.
//!
//! The metric is the one of the public article-extraction benchmarks:
//! words are the runs of word characters (`\w+`, letter case kept); a
//! text's shingles are its runs of 4 consecutive words, counted with
//! repeats (a text of fewer than 4 words is one shingle). Per page, the
//! shingles both texts share (the smaller count of each) are true
//! positives, the extra ones extracted false positives, the missing ones
//! false negatives, and the three are divided by their sum so that long
//! pages weigh no more than short ones. Precision is averaged over the
//! pages where something was extracted, recall over the pages with an
//! expected text, and F1 is taken from the two averages:
//! `2·P·R / (P + R)`.
//!
//! Shared by `examples/extract_eval.rs` (which prints the table) and
//! `tests/extract_devset.rs` (which asserts the floor).

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult};

/// Words per shingle.
pub const SHINGLE: usize = 4;

/// One page of the development set.
#[derive(Debug, Clone)]
pub struct Page {
    pub name: String,
    pub source: PathBuf,
    /// The text of `expected.html`: what a perfect extractor finds.
    pub truth: String,
}

/// The pages under `dir`, sorted by name: every folder holding both a
/// `source.html` and an `expected.html`.
pub fn load(dir: &Path) -> std::io::Result<Vec<Page>> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let folder = entry?.path();
        let (source, expected) = (folder.join("source.html"), folder.join("expected.html"));
        if !source.is_file() || !expected.is_file() {
            continue;
        }
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let truth = html_text(&String::from_utf8_lossy(&std::fs::read(&expected)?));
        pages.push(Page {
            name,
            source,
            truth,
        });
    }
    pages.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(pages)
}

/// The text of an HTML document as a reader sees it: entities decoded,
/// tags stripped, a line break between blocks (so that the last word of
/// one paragraph and the first of the next stay two words), the contents
/// of `script`, `style` and similar elements left out. Inline elements
/// (`a`, `b`, `span`…) break nothing.
pub fn html_text(html: &str) -> String {
    feedfold::ingest::sanitize::tokenize_into(TextSink::default(), html)
        .text
        .into_inner()
}

#[derive(Default)]
struct TextSink {
    text: RefCell<String>,
    /// Inside an element whose text is not shown.
    hidden: RefCell<Option<String>>,
}

const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
    "var", "wbr",
];

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let mut hidden = self.hidden.borrow_mut();
                if let Some(open) = hidden.as_deref() {
                    if tag.kind == TagKind::EndTag && open == name {
                        *hidden = None;
                    }
                    return TokenSinkResult::Continue;
                }
                if !INLINE.contains(&name) {
                    self.text.borrow_mut().push('\n');
                }
                if tag.kind == TagKind::StartTag && !tag.self_closing {
                    let raw = match name {
                        "script" => Some(RawKind::ScriptData),
                        "style" | "noscript" | "template" | "iframe" => Some(RawKind::Rawtext),
                        "title" | "textarea" => Some(RawKind::Rcdata),
                        _ => None,
                    };
                    if let Some(raw) = raw {
                        *hidden = Some(name.to_string());
                        return TokenSinkResult::RawData(raw);
                    }
                }
            }
            Token::CharacterTokens(text) if self.hidden.borrow().is_none() => {
                self.text.borrow_mut().push_str(&text)
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The words of `text`: maximal runs of word characters (letters, marks,
/// digits, connectors).
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The shingles of `text` with their counts.
pub fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let words = words(text);
    let mut counts = HashMap::new();
    if words.is_empty() {
        return counts;
    }
    if words.len() < SHINGLE {
        counts.insert(words, 1);
        return counts;
    }
    for window in words.windows(SHINGLE) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// True positives, false positives and false negatives of one page,
/// divided by their sum (all zero when both texts are empty).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Match {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
}

impl Match {
    pub fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0.0).then(|| self.tp / (self.tp + self.fp))
    }

    pub fn recall(&self) -> Option<f64> {
        (self.tp + self.fn_ > 0.0).then(|| self.tp / (self.tp + self.fn_))
    }
}

/// Compares an extracted text with the expected one.
pub fn compare(truth: &str, extracted: &str) -> Match {
    let (truth, extracted) = (shingles(truth), shingles(extracted));
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (shingle, &want) in &truth {
        let got = extracted.get(shingle).copied().unwrap_or(0);
        tp += want.min(got);
        fn_ += want.saturating_sub(got);
    }
    for (shingle, &got) in &extracted {
        fp += got.saturating_sub(truth.get(shingle).copied().unwrap_or(0));
    }
    let sum = (tp + fp + fn_) as f64;
    if sum == 0.0 {
        return Match::default();
    }
    Match {
        tp: tp as f64 / sum,
        fp: fp as f64 / sum,
        fn_: fn_ as f64 / sum,
    }
}

/// Precision, recall and F1 over a set of pages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Averages per-page matches (see the module documentation).
pub fn score(matches: &[Match]) -> Score {
    let mean = |values: Vec<f64>| {
        if values.is_empty() {
            0.0
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        }
    };
    let precision = mean(matches.iter().filter_map(Match::precision).collect());
    let recall = mean(matches.iter().filter_map(Match::recall).collect());
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Score {
        precision,
        recall,
        f1,
    }
}

/// The body text of an extracted article as it is scored: its paragraphs
/// and crossheads, one a line (captions are not body text).
pub fn body_text(article: &feedfold::model::Article) -> String {
    article
        .body
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of an extracted article as a feed entry shows it: each caption
/// (with its credit), then the body, one a line.
pub fn entry_text(article: &feedfold::model::Article) -> String {
    let mut lines: Vec<String> = article
        .captions
        .iter()
        .map(|c| match &c.credit {
            Some(credit) => format!("{} {credit}", c.text),
            None => c.text.clone(),
        })
        .collect();
    lines.push(body_text(article));
    lines.join("\n")
}

/// Everything feedfold's extractor finds in a page, in page order, before
/// folding: paragraphs, crossheads and captions (with their credit), one a
/// line, repeats kept as other extractors keep them. Datelines are the
/// page's metadata, no text.
pub fn unfolded_text(html: &str) -> String {
    use feedfold::ingest::page::blocks::Piece;
    let texts: Vec<String> = feedfold::ingest::page::pieces(html, None)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Paragraph(t) | Piece::Subhead(t) => Some(t),
            Piece::Caption(c) => Some(match c.credit {
                Some(credit) => format!("{} {credit}", c.text),
                None => c.text,
            }),
            Piece::Dateline(_) => None,
        })
        .collect();
    texts.join("\n")
}

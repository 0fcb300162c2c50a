//! Page furniture: the lines a scraper keeps from around a story that are
//! not the story (advertising labels, share and listen buttons, a share
//! rail's networks, reading times, a gallery's slide counters, links to
//! other stories and the labels over them). Dump reading,
//! page extraction, folding and publishing all pass them over.

use std::sync::OnceLock;

use regex::Regex;

/// Whether `text` is page furniture a scraper kept from around a story's
/// header or between its paragraphs (`Advertisement`, `Share`, a share
/// rail's `Facebook` or `Copy link`, `Share on WhatsApp`, `Subscribe`,
/// `Continue reading`, `Most read`, `Listen to this article`, `Story
/// continues below advertisement`, a reading time, a gallery's slide
/// counter, `1 of 6`, a link to another story, `Read more: …`): never a
/// headline, no text of the story in its header, and, kept in the body as
/// read, never published ([`crate::publish::entry_html::shown_blocks`]).
pub fn page_furniture(text: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    if link_to_another_story(text) || other_stories_label(text) {
        return true;
    }
    if text.len() > 60 {
        return false;
    }
    let furniture = CELL.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:advertisement|advertising|sponsored(?: content)?|ad|skip advertisement|(?:story|article) continues below(?: advertisement)?|share(?: (?:this|on|via|to)(?: (?:article|story|page|post|facebook|twitter|x|whatsapp|linkedin|reddit|telegram|pinterest|messenger|bluesky|e-?mail))?)?|facebook|twitter|whatsapp|linkedin|reddit|telegram|pinterest|messenger|flipboard|bluesky|copy(?: the)? (?:link|url)|link copied|save(?: (?:article|story|for later))?|print|e-?mail|subscribe(?: now)?|continue reading|most read|most popular|listen(?: to (?:this|the) (?:article|story))?(?:\s*[·|•:-]?\s*\d+ min(?:utes?|s)?\.?)?)[.:]?$",
        )
        .expect("the pattern is valid")
    });
    let text = text.trim();
    furniture.is_match(text) || reading_time(text) || gallery_counter(text)
}

/// Whether `text` is only a photo gallery's slide counter: `1 of 6`, `2 /
/// 6`, `Photo 3 of 6`, `Image 4/6` (the slide's number at most the
/// number of slides).
fn gallery_counter(text: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    let Some(numbers) = CELL
        .get_or_init(|| {
            Regex::new(
                r"(?i)^(?:(?:photo|image|picture|slide)\s+)?(\d{1,3})\s*(?:of|/)\s*(\d{1,3})$",
            )
            .expect("the pattern is valid")
        })
        .captures(text)
    else {
        return false;
    };
    let number = |i: usize| numbers[i].parse::<u16>().unwrap_or(0);
    (1..=number(2)).contains(&number(1))
}

/// The labels a page puts before links to other stories (matched in any
/// case): `Read more`, `Related`, `See also`.
const OTHER_STORIES_LABELS: [&str; 8] = [
    "read more",
    "read also",
    "also read",
    "read next",
    "see also",
    "related",
    "related stories",
    "related articles",
];

/// Whether `text` is a link to another story a page puts between paragraphs:
/// a label and its colon (in any case: `Read more: …`, `READ MORE: …`,
/// `Related: …`, `See also: …`) before the other story's headline. A
/// sentence after the label ([`sentence`]: `See also: the regulator said
/// it would look at the deal.`) is the story's own text.
fn link_to_another_story(text: &str) -> bool {
    // A headline's length at most after the label.
    if text.len() > 320 {
        return false;
    }
    OTHER_STORIES_LABELS.iter().any(|label| {
        text.get(..label.len())
            .is_some_and(|opening| opening.eq_ignore_ascii_case(label))
            && text[label.len()..]
                .trim_start()
                .strip_prefix(':')
                .is_some_and(|title| title.chars().any(char::is_alphanumeric) && !sentence(title))
    })
}

/// Whether `text` is written as a sentence, not as a headline: it closes
/// with a full stop (not the dots of a headline cut short). Its case tells
/// nothing: the near-duplicate rules ask of text folded to lower case.
fn sentence(text: &str) -> bool {
    let closed = text.trim_end().trim_end_matches(['"', '\'', '’', '”', ')']);
    closed.ends_with('.') && !closed.ends_with("..")
}

/// Whether `text` is only a label over a list of links to other stories
/// (`Related:`, `Read more`, `See also:`), the list's items following as
/// blocks of their own.
pub fn other_stories_label(text: &str) -> bool {
    let bare = text.trim().trim_end_matches(':').trim_end();
    OTHER_STORIES_LABELS
        .iter()
        .any(|label| bare.eq_ignore_ascii_case(label))
}

/// The words of link labels that summary-only feeds give as a teaser or
/// end one with, folded: they point to the story and tell none of it.
pub const LINK_LABELS: [&[&str]; 13] = [
    &["read", "more"],
    &["read", "on"],
    &["read", "the", "full", "story"],
    &["read", "the", "full", "article"],
    &["full", "story"],
    &["continue", "reading"],
    &["keep", "reading"],
    &["click", "here"],
    &["weiterlesen"],
    &["lire", "la", "suite"],
    &["leer", "más"],
    &["continua", "a", "leggere"],
    &["comments"],
];

/// Whether `text` is only link labels ([`LINK_LABELS`]: `Read more`,
/// `Continue reading →`, `Read more…`, `Read more »`, a link aggregator's
/// `Comments`), whatever arrows, ellipses or guillemets follow them, as a
/// summary-only feed gives for a description: it tells nothing of the
/// story, so it is never published as a summary, nor as an entry's text.
pub fn only_link_labels(text: &str) -> bool {
    let words = crate::dedup::simhash::words(text);
    let mut rest = words.as_slice();
    while !rest.is_empty() {
        let label = LINK_LABELS.iter().find(|label| {
            rest.len() >= label.len() && rest.iter().zip(label.iter()).all(|(w, l)| w == l)
        });
        match label {
            Some(label) => rest = &rest[label.len()..],
            None => return false,
        }
    }
    !words.is_empty()
}

/// Whether `text` is only a reading or listening time: `4 min read`, `12
/// minute read`, `6 min listen`, `4 min`, `1 hr.`, perhaps after its label
/// or with its words in German, French, Spanish, Italian, Portuguese or
/// Dutch (`Reading time: 4 min`, `Temps de lecture 3 min.`, `Lesezeit: 4
/// Minuten`, `3 min de lecture`).
pub fn reading_time(text: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:(?:reading|read|listening) time|temps de lecture|lesezeit|tiempo de lectura|tempo di lettura|tempo de leitura|leestijd)?\s*:?\s*\d+\s*(?:min(?:ute)?s?|minuten|minutos|minuti|hours?|hrs?)\.?(?:\s+(?:read|listen|de lecture|lesezeit|de lectura|di lettura|de leitura|leestijd))?$",
        )
        .expect("the pattern is valid")
    })
    .is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_time_is_only_the_time() {
        for text in [
            "4 min read",
            "12 minute read",
            "4 min",
            "6 min listen",
            "1 hr.",
            "2 HOURS",
            "Reading time: 4 min",
            "Temps de Lecture 3 min.",
            "3 min de lecture",
            "Lesezeit: 4 Minuten",
            "4 Min. Lesezeit",
            "Tiempo de lectura: 5 minutos",
        ] {
            assert!(reading_time(text), "{text}");
        }
        for text in [
            "read in 4 min",
            "4 min read today",
            "min read",
            "4 minutes ago",
            "2026",
        ] {
            assert!(!reading_time(text), "{text}");
        }
    }

    #[test]
    fn a_share_rail_a_gallery_counter_and_reading_prompts_are_furniture() {
        for line in [
            "Facebook",
            "Twitter",
            "WhatsApp",
            "Copy link",
            "Share on Facebook",
            "Share via email",
            "Subscribe",
            "Continue reading",
            "Most read",
            "1 of 6",
            "6 of 6",
            "2 / 6",
            "Photo 3 of 12",
        ] {
            assert!(page_furniture(line), "{line}");
        }
        for line in [
            "7 of 6",
            "0 of 6",
            "24/7",
            "Facebook fined over data breach",
            "Continue reading the report",
            "1 of 6 councillors voted against",
        ] {
            assert!(!page_furniture(line), "{line}");
        }
    }

    #[test]
    fn a_label_over_links_to_other_stories_is_furniture() {
        for line in [
            "Related:",
            "RELATED",
            "Read more:",
            "See also",
            "Related stories:",
        ] {
            assert!(other_stories_label(line), "{line}");
            assert!(page_furniture(line), "{line}");
        }
        for line in ["Related: Tram fares to rise", "Relatedly:", "More"] {
            assert!(!other_stories_label(line), "{line}");
        }
        for line in [
            "Related: Tram fares to rise",
            "Read more: iPhone Sales Slow in Calder",
            "See also: Harbour Plan Wins Council...",
            "read more: tram fares to rise in january",
        ] {
            assert!(page_furniture(line), "{line}");
        }
    }

    #[test]
    fn link_labels_with_arrows_ellipses_or_guillemets_are_only_link_labels() {
        for text in [
            "Read more",
            "Continue reading →",
            "Continue reading \u{2192}",
            "Read more »",
            "Read more...",
            "Read more…",
            "Continue reading...",
            "[Continue reading]",
            "Comments",
        ] {
            assert!(only_link_labels(text), "{text}");
        }
        for text in [
            "Read more about the budget vote.",
            "Comments closed on the harbour plan",
            "→",
            "",
        ] {
            assert!(!only_link_labels(text), "{text}");
        }
    }

    #[test]
    fn a_sentence_after_a_link_label_is_no_link() {
        for line in [
            "See also: the regulator said on Monday that it would look at the deal.",
            "related: the firm also said it would hire 200 staff.",
            "Read more: The council will vote on the plan in March.",
        ] {
            assert!(!page_furniture(line), "{line}");
        }
    }
}

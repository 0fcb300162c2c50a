//! Whether a short body line reads as a sentence of the story ("The
//! council said it would appeal.") or is page furniture a scraper kept
//! ("Advertisement", "Read more: …", "Listen to this article"): only a
//! sentence can carry on a lead of its own ([`super::ParagraphPrint::sentence`]);
//! and where a paragraph's first sentence ends, a place a republisher
//! splits or joins paragraphs at ([`split_first`]).

/// Fewest words of a sentence: a subject, a verb and something more ("No
/// one was hurt.", "Police declined to comment.").
pub const MIN_SENTENCE_WORDS: usize = 3;

/// How page furniture opens (in any case): labels and links a page puts
/// between paragraphs, never a sentence of the story.
const FURNITURE: [&str; 22] = [
    "advertisement",
    "advertising",
    "sponsored",
    "read more",
    "read also",
    "also read",
    "read next",
    "see also",
    "related:",
    "more:",
    "listen to this article",
    "listen:",
    "watch:",
    "photo:",
    "image:",
    "sign up",
    "subscribe",
    "share this",
    "follow us",
    "click here",
    "continue reading",
    "copyright",
];

/// Whether `text` reads as a sentence: at least [`MIN_SENTENCE_WORDS`]
/// words, ending with a full stop, a question or exclamation mark or an
/// ellipsis (a closing quote or bracket after it allowed), and not opening
/// as page furniture does ("Advertisement", "Read more", a copyright
/// sign).
pub fn is_sentence(text: &str) -> bool {
    let text = text.trim();
    if text.split_whitespace().count() < MIN_SENTENCE_WORDS {
        return false;
    }
    let closed = ends_as_sentence(text);
    let opens_as = |shape: &str| {
        text.get(..shape.len())
            .is_some_and(|opening| opening.eq_ignore_ascii_case(shape))
    };
    closed && !text.starts_with('\u{A9}') && !FURNITURE.iter().any(|shape| opens_as(shape))
}

/// Whether `text` ends as a sentence ends: with a full stop, a question or
/// exclamation mark or an ellipsis, a closing quote or bracket after it
/// allowed. A paragraph that does not, last in a body, breaks off there (a
/// copy cut short: [`super::NearPrints::cut_text`]).
pub fn ends_as_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', '\u{BB}', ')', ']'])
        .ends_with(['.', '!', '?', '\u{2026}'])
}

/// The full stops, question and exclamation marks of scripts written
/// without spaces between words (Chinese, Japanese).
pub const FULL_WIDTH_STOPS: [char; 4] = ['\u{3002}', '\u{FF01}', '\u{FF1F}', '\u{FF61}'];

/// The closing quotes and brackets a full-width stop may have after it
/// (`」`, `』`, `）`, `”`).
const FULL_WIDTH_CLOSERS: [char; 7] = [
    '\u{300D}', '\u{300F}', '\u{FF09}', '\u{3011}', '\u{201D}', '\u{2019}', '"',
];

/// `text` cut after each sentence it holds that ends with a full-width
/// stop ([`FULL_WIDTH_STOPS`], a closing quote or bracket after it kept
/// with it): the sentences of Chinese or Japanese text, which no space
/// separates, in order, and what follows the last. The pieces joined are
/// `text`; one piece when no such sentence ends inside it.
pub fn full_width_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if !FULL_WIDTH_STOPS.contains(&c) {
            continue;
        }
        while chars.peek().is_some_and(|(_, next)| {
            FULL_WIDTH_STOPS.contains(next) || FULL_WIDTH_CLOSERS.contains(next)
        }) {
            chars.next();
        }
        let end = chars.peek().map_or(text.len(), |&(at, _)| at);
        out.push(&text[start..end]);
        start = end;
    }
    if start < text.len() || out.is_empty() {
        out.push(&text[start..]);
    }
    out
}

/// Whether `text` ends with a full-width stop ([`FULL_WIDTH_STOPS`]), a
/// closing quote or bracket after it allowed: a sentence of Chinese or
/// Japanese ends there.
pub fn ends_with_full_width_stop(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(FULL_WIDTH_CLOSERS)
        .ends_with(FULL_WIDTH_STOPS)
}

/// `text` cut after its first sentence: the sentence, and the rest (both
/// trimmed), or `None` when it is one sentence or none. A sentence ends
/// ([`ends_as_sentence`]) where a space follows and the next one opens
/// with a capital, a figure or an opening quote or bracket; a stop after
/// an abbreviation ("Dr. Smith") ends one too.
pub fn split_first(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    text.char_indices()
        .filter(|&(i, c)| c.is_whitespace() && ends_as_sentence(&text[..i]))
        .find_map(|(i, _)| {
            let rest = text[i..].trim_start();
            let opens = rest.chars().next().is_some_and(|first| {
                first.is_uppercase()
                    || first.is_ascii_digit()
                    || matches!(
                        first,
                        '"' | '\'' | '\u{201C}' | '\u{2018}' | '\u{AB}' | '(' | '['
                    )
            });
            opens.then(|| (text[..i].trim_end(), rest))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_of_a_lead_are_sentences() {
        for line in [
            "The council said it would appeal.",
            "No one was hurt.",
            "Police declined to comment.",
            "\"We will fight this all the way,\" she said.",
            "\u{201C}We will appeal.\u{201D}",
            "Was the vote lawful?",
            "A hearing is expected in January (the date is not yet set.)",
        ] {
            assert!(is_sentence(line), "{line}");
        }
    }

    #[test]
    fn page_furniture_is_no_sentence() {
        for line in [
            "Advertisement",
            "ADVERTISEMENT",
            "Advertisement.",
            "Read more: Harbour expansion approved after year-long dispute",
            "Read more: Why the harbour matters to Calder.",
            "Listen to this article",
            "Listen to this article. 4 min.",
            "By Staff Writer",
            "Related: The tram line in numbers",
            "Sign up for our morning newsletter.",
            "Copyright Coastal Herald. All rights reserved.",
            "\u{A9} Coastal Herald 2026. All rights reserved.",
            "What happens next:",
            "",
        ] {
            assert!(!is_sentence(line), "{line}");
        }
    }

    #[test]
    fn a_text_cut_short_does_not_end_as_a_sentence() {
        for line in ["Said so.", "\"Yes!\" ", "(Wait\u{2026})", "Why?\u{201D}"] {
            assert!(ends_as_sentence(line), "{line}");
        }
        for line in [
            "work would begin i",
            "and sets as",
            "What happens next:",
            "Yes,",
            "",
        ] {
            assert!(!ends_as_sentence(line), "{line}");
        }
    }

    #[test]
    fn chinese_and_japanese_text_is_cut_after_each_sentence() {
        assert_eq!(
            full_width_sentences("市議会は承認した。市長は「進めたい。」と述べた。以上"),
            [
                "市議会は承認した。",
                "市長は「進めたい。」",
                "と述べた。",
                "以上"
            ]
        );
        assert_eq!(full_width_sentences("承認した"), ["承認した"]);
        assert!(ends_with_full_width_stop("承認した。"));
        assert!(ends_with_full_width_stop("「進めたい！」"));
        assert!(!ends_with_full_width_stop("承認した"));
    }

    #[test]
    fn a_paragraph_is_cut_after_its_first_sentence() {
        assert_eq!(
            split_first("The bridge shut on Monday. Engineers found cracks. It is unsafe."),
            Some((
                "The bridge shut on Monday.",
                "Engineers found cracks. It is unsafe."
            ))
        );
        assert_eq!(
            split_first("\"It is unsafe,\" he said. \"Nobody may cross.\""),
            Some(("\"It is unsafe,\" he said.", "\"Nobody may cross.\""))
        );
        assert_eq!(
            split_first("Why? 2,000 cars a day"),
            Some(("Why?", "2,000 cars a day"))
        );
        assert_eq!(split_first("He left at 3 p.m. and came back."), None);
        assert_eq!(split_first("One sentence only.  "), None);
        assert_eq!(split_first("Ends with no stop"), None);
        assert_eq!(split_first(""), None);
    }
}

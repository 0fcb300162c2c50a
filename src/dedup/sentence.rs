//! Whether a short body line reads as a sentence of the story ("The
//! council said it would appeal.") or is page furniture a scraper kept
//! ("Advertisement", "Read more: …", "Listen to this article"): only a
//! sentence can carry on a lead of its own ([`super::ParagraphPrint::sentence`]);
//! and where a paragraph's sentences end, the places a republisher splits or
//! joins paragraphs at ([`sentences`]).

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

/// The sentences of `text`, in order, as slices of it that together hold
/// all of it but the spaces between them: a sentence ends
/// ([`ends_as_sentence`]) where a space follows and the next one opens with
/// a capital, a figure or an opening quote or bracket. A break after an
/// abbreviation ("Dr. Smith") is one too many: what is split here is
/// joined again by whoever groups the pieces, so a break missed would cost
/// more than one too many.
pub fn sentences(text: &str) -> Vec<&str> {
    let text = text.trim();
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_whitespace() || !ends_as_sentence(&text[start..i]) {
            continue;
        }
        let next = text[i..].trim_start();
        let opens = next.chars().next().is_some_and(|first| {
            first.is_uppercase()
                || first.is_ascii_digit()
                || matches!(
                    first,
                    '"' | '\'' | '\u{201C}' | '\u{2018}' | '\u{AB}' | '(' | '['
                )
        });
        if opens {
            out.push(text[start..i].trim_end());
            start = text.len() - next.len();
            while chars.peek().is_some_and(|&(j, _)| j < start) {
                chars.next();
            }
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
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
    fn a_paragraph_splits_into_its_sentences() {
        assert_eq!(
            sentences(
                "The bridge shut on Monday. Engineers found cracks. \"It is unsafe,\" he said. 2,000 cars a day use it."
            ),
            [
                "The bridge shut on Monday.",
                "Engineers found cracks.",
                "\"It is unsafe,\" he said.",
                "2,000 cars a day use it."
            ]
        );
        assert_eq!(sentences("  One sentence only.  "), ["One sentence only."]);
        assert_eq!(
            sentences("He left at 3 p.m. and came back."),
            ["He left at 3 p.m. and came back."]
        );
        assert_eq!(
            sentences("Why? Nobody knows\u{2026} yet"),
            ["Why?", "Nobody knows\u{2026} yet"]
        );
        assert_eq!(sentences("Ends with no stop"), ["Ends with no stop"]);
        assert!(sentences("   ").is_empty());
    }
}

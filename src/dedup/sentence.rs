//! Whether a short body line reads as a sentence of the story ("The
//! council said it would appeal.") or is page furniture a scraper kept
//! ("Advertisement", "Read more: …", "Listen to this article"): only a
//! sentence can carry on a lead of its own ([`super::ParagraphPrint::sentence`]).

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
}

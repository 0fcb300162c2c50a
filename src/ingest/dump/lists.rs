//! Lists in a dump's body written as captions are (`Ana Ruiz (Labour)`,
//! `Old Town FC v Calder United (H)`): what in brackets is no photo's
//! credit, which words may join a list item's names, and the items read as
//! text, which head no story.

use super::*;

/// Whether `credit`, in brackets after a line, is one letter (`(H)` and
/// `(A)` after a fixture, home and away; `(R)` after a candidate, a
/// party's initial): no photo's credit.
pub(super) fn bracket_letter(credit: &str) -> bool {
    let mut chars = credit.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some(c), None) if c.is_uppercase() || c.is_lowercase()
    )
}

/// Whether `word` joins two names of a list item in lower case: the `v`
/// or `vs` between the sides of a fixture (`Old Town FC v Calder United`).
pub(super) fn joining_word(word: &str) -> bool {
    matches!(word, "v" | "v." | "vs" | "vs.")
}

/// Whether a line read as `kind` is a caption whose credit is one letter
/// ([`bracket_letter`]): it is read as text, as a list's item is.
pub(super) fn letter_credit(kind: &Kind) -> bool {
    matches!(kind, Kind::Caption { credit, .. } if bracket_letter(credit))
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::tests::{paragraphs, parse};

    const HEADER: &str = "Old Town FC Sign New Striker Jan Berg\n\n\
        Jan Berg at the training ground. (Old Town FC)\n\
        Jan Berg at the training ground. (Old Town FC)\n\n\
        Old Town FC Sign New Striker Jan Berg\n\n6 December 2026\n\n\
        Old Town FC have signed striker Jan Berg on a two-year deal.\n\n";

    #[test]
    fn the_last_item_of_a_list_heads_no_story() {
        for (intro, items) in [
            (
                "The candidates are:",
                &[
                    "Ana Ruiz (Labour)",
                    "Tom Reyes (Conservative)",
                    "Ida Lund (Green Party)",
                    "Owen James Mark Hale (Liberal Democrats)",
                ][..],
            ),
            (
                "Upcoming fixtures:",
                &[
                    "Old Town FC - Calder United (H)",
                    "Pinewood Athletic - Old Town FC (A)",
                    "Old Town FC - Westport Rovers (H)",
                ][..],
            ),
            (
                "Upcoming fixtures:",
                &[
                    "Saturday 12 December: Old Town FC v Calder United (H)",
                    "Saturday 19 December: Pinewood Athletic v Old Town FC (A)",
                    "Saturday 26 December: Old Town FC v Westport Rovers (H)",
                ][..],
            ),
        ] {
            let input = format!(
                "{HEADER}{intro}\n{}\n\nBerg is expected to make his debut on Saturday.\n",
                items.join("\n")
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{articles:#?}");
            let a = &articles[0];
            assert_eq!(a.title, "Old Town FC Sign New Striker Jan Berg");
            assert_eq!(
                a.captions,
                vec![Caption::credited(
                    "Jan Berg at the training ground.",
                    "Old Town FC"
                )]
            );
            let mut want = vec![
                "Old Town FC have signed striker Jan Berg on a two-year deal.",
                intro,
            ];
            want.extend(items);
            want.push("Berg is expected to make his debut on Saturday.");
            assert_eq!(paragraphs(a), want);
        }
    }

    #[test]
    fn a_letter_in_brackets_is_no_credit() {
        assert!(bracket_letter("H"));
        assert!(bracket_letter("a"));
        assert!(!bracket_letter("AP"));
        assert!(!bracket_letter("共"));
        let input = format!(
            "{HEADER}His first match is at home.\n\
             Saturday 12 December: Old Town FC v Calder United (H)\n\n\
             Berg is expected to make his debut then.\n"
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1, "{articles:#?}");
        assert_eq!(articles[0].captions.len(), 1, "{articles:#?}");
        assert!(
            paragraphs(&articles[0])
                .contains(&"Saturday 12 December: Old Town FC v Calder United (H)"),
            "{articles:#?}"
        );
    }
}

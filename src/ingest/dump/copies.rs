//! The two copies of a doubled header's headline, as a page's `<title>`
//! and `<h1>` give it: what one copy wears that the other lacks (quotes, a
//! site name) and so which copy is the headline.

use super::*;

/// Whether `copy` is set in quotes (`"Minister Resigns Over Expenses
/// Row"`) that `title`, the headline's other copy, lacks: the quotes are
/// the page's dress, and the copy is not the plainer one.
pub(super) fn quoted_over(copy: &str, title: &str) -> bool {
    let quoted = |text: &str| without_outer_quotes(text).len() != text.len();
    quoted(copy) && !quoted(title)
}

/// `title`, the headline's first copy, without the site name after it
/// ([`strip_site_suffix`]: `Minister Resigns Over Expenses Row | Calder
/// Herald`) when `copy`, its repeat, closes with none (`Minister Resigns
/// Over Expenses Row.`, `LIVE: Minister Resigns Over Expenses Row`, cut
/// short, in quotes): a site name is never the headline's own.
pub(super) fn without_site_name_over<'a>(title: &'a str, copy: &str) -> Option<&'a str> {
    let bare = strip_site_suffix(title);
    let name = title.trim()[bare.len()..]
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    let copy_end = copy.trim_end_matches(|c: char| !c.is_alphanumeric());
    let copy_names_it = copy_end.len() >= name.len()
        && copy_end.is_char_boundary(copy_end.len() - name.len())
        && copy_end[copy_end.len() - name.len()..].eq_ignore_ascii_case(name);
    (!name.is_empty() && strip_site_suffix(copy) == copy.trim() && !copy_names_it).then_some(bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::tests::parse;

    fn doubled(first: &str, repeat: &str) -> String {
        let caption = "The minister leaves Downing Street on Monday. (AFP)";
        format!(
            "{first}\n\n{caption}\n{caption}\n\n{repeat}\n\n{caption}\n{caption}\n\n\
             The minister resigned on Monday after a row over her expenses.\n"
        )
    }

    #[test]
    fn the_headline_is_a_copy_without_the_site_name() {
        let headline = "Minister Resigns Over Expenses Row";
        for site in [" | Calder Herald", " - Calder Herald"] {
            for repeat in [
                format!("{headline}."),
                format!("{headline}…"),
                format!("LIVE: {headline}"),
                format!("Calder Herald: {headline}"),
                format!("\"{headline}\""),
                format!("“{headline}”"),
            ] {
                for (first, second) in [
                    (format!("{headline}{site}"), repeat.clone()),
                    (repeat.clone(), format!("{headline}{site}")),
                ] {
                    let articles = parse(&doubled(&first, &second));
                    assert_eq!(articles.len(), 1, "{first} over {second}: {articles:#?}");
                    // The first copy, unless it alone wears something; a
                    // headline in quotes is as written.
                    let want = if first.starts_with(['"', '“']) {
                        first.as_str()
                    } else {
                        headline
                    };
                    assert_eq!(articles[0].title, want, "{first} over {second}");
                }
            }
        }
    }

    #[test]
    fn a_site_name_the_repeat_gives_too_stays() {
        assert_eq!(
            without_site_name_over(
                "Old Town FC - Calder United",
                "Old Town FC - Calder United."
            ),
            None
        );
        assert_eq!(
            without_site_name_over("Fuel Duty Rises | Calder Herald", "Fuel Duty Rises!"),
            Some("Fuel Duty Rises")
        );
        assert_eq!(
            without_site_name_over("Fuel Duty Rises", "Fuel Duty Rises."),
            None
        );
        assert!(quoted_over(
            "“Fuel Duty Rises”",
            "Fuel Duty Rises | Calder Herald"
        ));
        assert!(!quoted_over("Fuel Duty Rises", "\"Fuel Duty Rises\""));
    }
}

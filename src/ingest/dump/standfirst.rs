//! The header a headline in sentence case and its standfirst open (the
//! Guardian's and the BBC's shape): the lead photo's caption may come
//! between the standfirst and the date line or byline.

use super::*;

impl<R: BufRead> DumpReader<R> {
    /// Whether the line at `at` in the lookahead, under a standfirst, is a
    /// date line or a byline ([`Self::date_or_byline`]), or captions (the
    /// lead photo's) over one, as folding leaves them (within
    /// [`HEADER_LOOKAHEAD`] lines).
    pub(super) fn date_or_byline_past_captions(
        &mut self,
        draft: &Draft,
        at: usize,
    ) -> Result<bool, TextError> {
        let mut at = at;
        for _ in 0..HEADER_LOOKAHEAD {
            let line = &self.lookahead[at];
            if !matches!(line.kind, Kind::Caption { .. }) {
                return Ok(self.date_or_byline(at));
            }
            let key = line.key;
            match self.following(draft, key, at)?.0 {
                Some(next) => at = next,
                None => return Ok(false),
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::tests::{paragraphs, parse};

    const FIRST: &str = "Harbour council approves new ferry terminal\n\
        The 40m terminal will open in spring, officials say\n\
        By Martha Quill\nTue 3 Dec 2026 10.15 GMT\n\n\
        The harbour council voted eight to three on Tuesday.\n\n\
        Opponents said the plan would increase traffic on the coast road.\n\n";

    #[test]
    fn a_caption_may_come_between_a_standfirst_and_its_date_line() {
        for (caption, under) in [
            (
                "Waves crash over the sea wall in Calder. (PA)\n",
                "Wed 4 Dec 2026 08.00 GMT\n",
            ),
            (
                "Waves crash over the sea wall in Calder. (PA)\nWaves crash over the sea wall in Calder. (PA)\n",
                "By Tom Reyes\n",
            ),
        ] {
            let input = format!(
                "{FIRST}Storm batters Calder coast as thousands lose power\n\
                 Amber warning for wind remains in place until noon on Thursday\n\
                 {caption}{under}\n\
                 A storm battered the Calder coast overnight.\n\n\
                 Engineers were working to restore power.\n"
            );
            let articles = parse(&input);
            let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(
                titles,
                [
                    "Harbour council approves new ferry terminal",
                    "Storm batters Calder coast as thousands lose power"
                ],
                "{articles:#?}"
            );
            assert_eq!(
                paragraphs(&articles[0]).last(),
                Some(&"Opponents said the plan would increase traffic on the coast road.")
            );
            let second = &articles[1];
            assert_eq!(
                paragraphs(second),
                [
                    "Amber warning for wind remains in place until noon on Thursday",
                    "A storm battered the Calder coast overnight.",
                    "Engineers were working to restore power."
                ]
            );
            assert_eq!(
                second.captions,
                vec![Caption::credited(
                    "Waves crash over the sea wall in Calder.",
                    "PA"
                )]
            );
        }
    }

    #[test]
    fn a_caption_without_a_date_line_under_it_makes_no_header() {
        // Two lines without a full stop closing a story, a photo and its
        // caption then the next paragraph: the story goes on.
        let input = format!(
            "{FIRST}Ferries will run every hour in the summer months\n\
             Tickets will go on sale from the harbour office in the spring\n\
             The old terminal seen from the harbour wall. (PA)\n\n\
             Work begins in January.\n"
        );
        let articles = parse(&input);
        assert_eq!(
            articles[0].title, "Harbour council approves new ferry terminal",
            "{articles:#?}"
        );
        assert!(
            paragraphs(&articles[0]).contains(&"Ferries will run every hour in the summer months"),
            "{articles:#?}"
        );
    }
}

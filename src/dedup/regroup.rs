//! Copies whose paragraphs were cut anew: a partner's system runs two of
//! the wire's one-sentence paragraphs together, or breaks a long one at a
//! sentence. The words are the story's, but no paragraph is, and the body
//! SimHash moves with every break added or taken away. Such a copy is
//! weighed again with its words grouped as the stored article's
//! paragraphs are ([`regrouped`]), by the same rules; and when its own keys
//! find no stored story it is looked up by its first words, which a
//! story's copies keep however they are paragraphed ([`opening_probes`]).

use crate::model::{Article, Block, BlockKind};

use super::near_rules::{self, NearConfig, Rule, Verdict};
use super::{
    ANCHOR_WORDS, Candidate, Decision, IndexKey, KeyFamily, NearPrints, OPENING_KEY_WORDS, anchors,
    compared_text, headline, opening_key, sentence, simhash, word_hash,
};

/// The most blocks of a copy that is regrouped: a body longer than any
/// story is a digest, not a re-paragraphed copy.
const MAX_BLOCKS: usize = 200;

/// How many words a copy's break may be off the stored text's and still
/// be taken as it ([`regrouped`]).
pub const SLACK_WORDS: u32 = 2;

/// One piece of a copy's body: a word of a paragraph as written (with its
/// punctuation), or a block that is none (a crosshead, which stays whole
/// and alone); with how many words [`NearPrints`] count in it (none in a
/// lead's dateline), whether it opens a block of the copy, whether it
/// ends a sentence, and whether it follows the piece before with no space
/// between (a sentence of Chinese or Japanese text).
struct Piece<'a> {
    text: &'a str,
    words: u32,
    kind: BlockKind,
    opens_block: bool,
    ends_sentence: bool,
    glued: bool,
}

/// `article`'s body regrouped as `stored`'s paragraphs: its words, in
/// order, run together between the places where as many words came
/// before them as before a break of `stored`. A break is taken at a
/// sentence's end within [`SLACK_WORDS`] of that count (a word or two
/// edited in before it), else at the count itself; one missed leaves the
/// others found. A block that is no paragraph stands alone; past the
/// stored text, the copy's own breaks stay. `None` when that changes
/// nothing, or there is nothing to group by.
pub fn regrouped(article: &Article, stored: &NearPrints) -> Option<Article> {
    if stored.paragraphs.len() < 2 || article.body.len() > MAX_BLOCKS {
        return None;
    }
    let breaks: Vec<u32> = stored
        .paragraphs
        .iter()
        .scan(0, |before, p| {
            *before += p.words;
            Some(*before)
        })
        .collect();
    let end = *breaks.last().expect("two paragraphs or more");
    let mut next_break = 0;
    let mut words: u32 = 0;
    let mut sentence_ended = false;
    let mut groups: Vec<(BlockKind, String)> = Vec::new();
    let pieces = pieces(article);
    for (i, piece) in pieces.iter().enumerate() {
        while breaks
            .get(next_break)
            .is_some_and(|&b| b + SLACK_WORDS < words)
        {
            next_break += 1;
        }
        let at_break = piece.words > 0
            && breaks.get(next_break).is_some_and(|&b| {
                (sentence_ended && b.abs_diff(words) <= SLACK_WORDS)
                    || (b == words && !sentence_ends_within(&pieces[i..], SLACK_WORDS))
            });
        if at_break {
            next_break += 1;
        }
        let own_break = words > end + SLACK_WORDS && piece.opens_block;
        match groups.last_mut() {
            Some((kind, text))
                if *kind == BlockKind::Paragraph
                    && piece.kind == BlockKind::Paragraph
                    && !at_break
                    && !own_break =>
            {
                if !piece.glued {
                    text.push(' ');
                }
                text.push_str(piece.text);
            }
            _ => groups.push((piece.kind, piece.text.to_string())),
        }
        words += piece.words;
        if piece.words > 0 {
            sentence_ended = piece.ends_sentence;
        }
    }
    let body: Vec<Block> = groups
        .into_iter()
        .map(|(kind, text)| Block { kind, text })
        .collect();
    let unchanged = body.len() == article.body.len()
        && body
            .iter()
            .zip(&article.body)
            .all(|(a, b)| a.text == b.text.split_whitespace().collect::<Vec<_>>().join(" "));
    (!unchanged).then(|| Article {
        body,
        ..article.clone()
    })
}

/// Whether one of `ahead`, the pieces still to come, ends a sentence
/// within `words` words: a break at the count that a sentence's end so
/// close follows is taken there instead (a word or two added before it,
/// a label run into the lead).
fn sentence_ends_within(ahead: &[Piece], words: u32) -> bool {
    let mut read = 0;
    for piece in ahead {
        read += piece.words;
        if read > words {
            return false;
        }
        if piece.words > 0 && piece.ends_sentence {
            return true;
        }
    }
    false
}

/// The pieces of `article`'s body in order: each paragraph's words (a
/// first paragraph's dateline one piece of no words; text written without
/// spaces, Chinese or Japanese, cut at its sentences' ends:
/// [`sentence::full_width_sentences`]), each other block whole.
fn pieces(article: &Article) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for (i, block) in article.body.iter().enumerate() {
        if block.kind != BlockKind::Paragraph {
            out.push(Piece {
                text: block.text.trim(),
                words: simhash::words(&block.text).len() as u32,
                kind: block.kind,
                opens_block: true,
                ends_sentence: true,
                glued: false,
            });
            continue;
        }
        let text = block.text.trim();
        let (dateline, counted) = if i == 0 {
            let counted = headline::strip_dateline(text);
            (text[..text.len() - counted.len()].trim(), counted)
        } else {
            ("", text)
        };
        let first = out.len();
        if !dateline.is_empty() {
            out.push(Piece {
                text: dateline,
                words: 0,
                kind: BlockKind::Paragraph,
                opens_block: true,
                ends_sentence: false,
                glued: false,
            });
        }
        for word in counted.split_whitespace() {
            for (k, text) in sentence::full_width_sentences(word).into_iter().enumerate() {
                out.push(Piece {
                    text,
                    words: simhash::words(text).len() as u32,
                    kind: BlockKind::Paragraph,
                    opens_block: out.len() == first,
                    ends_sentence: sentence::ends_as_sentence(text)
                        || sentence::ends_with_full_width_stop(text),
                    glued: k > 0,
                });
            }
        }
    }
    out
}

/// The verdict on `article`, whose own prints are no copy of `stored`'s
/// by the rules, with its words regrouped as `stored`'s paragraphs
/// ([`regrouped`]): a same-story verdict under [`Rule::Regrouped`], the
/// rule the regrouped copy met telling the rest (distance, evidence,
/// update). Only when the paragraphs then line up: two or more of them
/// the stored text's, holding most of the shorter body's words
/// ([`NearConfig::min_shared`]); regrouping that finds no break of the
/// stored text says nothing of the copy. `None` too when regrouping
/// changes nothing, and for a copy of a text too short for the near
/// rules: a brief's sentences are too few to tell a regrouping from a
/// rewrite.
pub fn regrouped_verdict(
    article: &Article,
    stored: &NearPrints,
    config: &NearConfig,
) -> Option<Verdict> {
    let regrouped = NearPrints::of(&regrouped(article, stored)?);
    if regrouped.shingles < config.min_shingles {
        return None;
    }
    let verdict = near_rules::compare(&regrouped, stored, config);
    let lined_up = verdict.overlap.found >= 2 && verdict.shared >= config.min_shared;
    (verdict.is_same() && lined_up).then_some(Verdict {
        rule: Rule::Regrouped,
        ..verdict
    })
}

/// How far apart the body SimHashes of a copy and a candidate its own
/// keys found may be for the copy to be regrouped as the candidate
/// ([`decide_regrouped`]). The same words paragraphed anew are a few bits
/// apart (each break added or taken away changes two shingles of
/// hundreds); two stories' some thirty-two. A copy cut short or
/// corrected as well, further apart, is weighed when its headline is the
/// stored one's, or found by its opening ([`opening_probes`]).
pub const REGROUP_DISTANCE: u32 = 10;

/// The most stored articles one key of [`opening_probes`] brings, the
/// newest: an opening that many stories share is a template's, not the
/// story's.
pub const PROBED_PER_KEY: usize = 2;

/// The most candidates one copy is regrouped against, nearest first.
pub const MAX_REGROUPED: usize = 4;

/// The most paragraphs with anchors [`could_line_up`] looks for.
pub const MAX_ANCHORS_TRIED: usize = 3;

/// What a copy that [`super::decide`] found new (`own` its prints) is,
/// weighed again with its words regrouped as a candidate's paragraphs
/// ([`regrouped_verdict`]): a fold into the nearest it is then a copy of,
/// or `None`. Weighed are the candidates its own keys `found` within
/// [`REGROUP_DISTANCE`] or under its headline ([`weighed_when_found`]),
/// and those `probed` by its opening ([`opening_probes`]) however far
/// apart, whose lead or paragraph openings lie where the copy's words put
/// them ([`could_line_up`]), at most [`MAX_REGROUPED`], nearest first:
/// regrouping costs a new print of the copy per candidate, and a copy
/// found new has many unrelated ones.
pub fn decide_regrouped(
    article: &Article,
    opening: &mut Opening,
    own: &NearPrints,
    found: &[Candidate],
    probed: &[Candidate],
    config: &NearConfig,
) -> Option<Decision> {
    let mut weighed: Vec<(&Candidate, u32)> = found
        .iter()
        .filter(|c| weighed_when_found(own, c))
        .chain(probed)
        .map(|c| (c, simhash::hamming(own.simhash, c.prints.simhash)))
        .collect();
    if weighed.is_empty() {
        return None;
    }
    let words = opening.lined_up_words();
    weighed.retain(|(c, _)| could_line_up(words, &c.prints));
    weighed.sort_by_key(|&(_, distance)| distance);
    let (candidate, verdict) = weighed
        .into_iter()
        .take(MAX_REGROUPED)
        .filter_map(|(c, _)| regrouped_verdict(article, &c.prints, config).map(|v| (c, v)))
        .min_by_key(|(_, verdict)| verdict.distance)?;
    Some(Decision::Near {
        id: candidate.id.clone(),
        rule: verdict.rule,
        distance: verdict.distance,
        update: verdict.update,
        evidence: verdict.evidence(),
    })
}

/// `decision` named by the rule that tells why the copy `article` (`own`
/// its prints) is the story: a fold by matching headlines (rule
/// `same-headline` or `folded-headline`, which hold for bodies within
/// `max_distance` bits, or within twice that unless each body opens with a
/// lead of its own), when the copy regrouped as the candidate's paragraphs
/// is a copy of it ([`regrouped_verdict`]) whose body lies nearer the
/// candidate's than the copy's own, is named [`Rule::Regrouped`], with the
/// regrouped copy's distance and evidence: the same words paragraphed anew
/// are what moved the body. A copy paragraphed as the candidate is (a word
/// corrected, a paragraph appended) is not regrouped, and one that a
/// regrouping brings no nearer (a paragraph taken out) keeps its rule. Whether the fold
/// replaces the stored text stays as decided. Any other decision is
/// returned as it is.
pub fn named_when_regrouped(
    article: &Article,
    own: &NearPrints,
    decision: Decision,
    candidates: &[Candidate],
    config: &NearConfig,
) -> Decision {
    let Decision::Near {
        id,
        rule: Rule::SameHeadline | Rule::FoldedHeadline,
        distance,
        update,
        ..
    } = &decision
    else {
        return decision;
    };
    let Some(candidate) = candidates.iter().find(|c| &c.id == id) else {
        return decision;
    };
    let words = |prints: &NearPrints| {
        prints
            .paragraphs
            .iter()
            .map(|p| p.words)
            .collect::<Vec<_>>()
    };
    if words(own) == words(&candidate.prints) {
        return decision;
    }
    let verdict = regrouped_verdict(article, &candidate.prints, config)
        .filter(|verdict| verdict.distance < *distance);
    match verdict {
        Some(verdict) => Decision::Near {
            id: id.clone(),
            rule: verdict.rule,
            distance: verdict.distance,
            update: *update,
            evidence: verdict.evidence(),
        },
        None => decision,
    }
}

/// Whether a candidate a copy's own keys found is regrouped
/// ([`decide_regrouped`]): within [`REGROUP_DISTANCE`] of the copy
/// (`own` its prints), or under its headline.
pub fn weighed_when_found(own: &NearPrints, candidate: &Candidate) -> bool {
    simhash::hamming(own.simhash, candidate.prints.simhash) <= REGROUP_DISTANCE
        || candidate.prints.headline == own.headline
}

/// The most words of a copy's opening read ([`Opening`]): a long lead's
/// and the first paragraphs' after it.
pub const OPENING_WORDS: usize = 400;

/// A copy's opening words as [`NearPrints`] count them, in order, a first
/// paragraph's dateline left out, read block by block as they are
/// needed: its first [`OPENING_KEY_WORDS`] for the keys it is looked up by
/// ([`opening_probes`]), up to [`OPENING_WORDS`] when a candidate is to be
/// lined up with them ([`decide_regrouped`]). Read once for a copy found
/// new.
pub struct Opening<'a> {
    article: &'a Article,
    words: Vec<String>,
    blocks_read: usize,
}

impl<'a> Opening<'a> {
    pub fn of(article: &'a Article) -> Opening<'a> {
        Opening {
            article,
            words: Vec::new(),
            blocks_read: 0,
        }
    }

    /// Reads blocks until there are `words` words, or the body ends.
    fn read_until(&mut self, words: usize) {
        let mut scratch = String::new();
        let mut block_words = Vec::new();
        while self.blocks_read < self.article.body.len() && self.words.len() < words {
            let text = compared_text(&self.article.body[self.blocks_read]);
            simhash::words_into(text, &mut scratch, &mut block_words);
            self.words.append(&mut block_words);
            self.blocks_read += 1;
        }
    }

    /// The first words, up to [`OPENING_WORDS`] of them, read on as needed.
    fn lined_up_words(&mut self) -> &[String] {
        self.first_words(OPENING_WORDS)
    }

    /// The first `words` words, or all there are, read on as needed.
    fn first_words(&mut self, words: usize) -> &[String] {
        self.read_until(words);
        &self.words[..words.min(self.words.len())]
    }
}

/// Whether `stored`'s paragraphs could be the copy's `words` grouped
/// anew, told from what its prints keep of its words: its lead's words
/// open them (nine in ten at their places), a lead too long for its words
/// to be kept opens with theirs ([`NearPrints::long_lead_opening`]: a
/// partner's copy with the story's first paragraphs run into one), or one
/// of its first
/// [`MAX_ANCHORS_TRIED`] paragraphs that keep anchors
/// ([`NearPrints::paragraph_anchors`]) opens as many words in, within
/// [`SLACK_WORDS`]. A cheap test before a copy is printed again as the
/// candidate's paragraphs: of two stories, it holds once in some 65,000.
pub fn could_line_up(words: &[String], stored: &NearPrints) -> bool {
    let lead = &stored.lead_words;
    if !lead.is_empty() && words.len() >= lead.len() {
        let same = lead
            .iter()
            .zip(words)
            .filter(|&(hash, word)| *hash == word_hash(word))
            .count();
        if same * 10 >= lead.len() * 9 {
            return true;
        }
    }
    if stored.long_lead_opening.is_some()
        && stored.long_lead_opening == opening_key(words.iter().map(|w| word_hash(w)))
    {
        return true;
    }
    let slack = SLACK_WORDS as usize;
    let mut before = 0;
    let anchored = stored
        .paragraphs
        .iter()
        .zip(&stored.paragraph_anchors)
        .map(|(p, anchors)| {
            let at = before;
            before += p.words as usize;
            (at, anchors)
        })
        .filter_map(|(at, anchors)| anchors.map(|[opening, _]| (at, opening)))
        .take(MAX_ANCHORS_TRIED);
    for (at, opening) in anchored {
        let found = (at.saturating_sub(slack)..=at + slack).any(|from| {
            words
                .get(from..from + ANCHOR_WORDS)
                .is_some_and(|run| anchors(run)[0] == opening)
        });
        if found {
            return true;
        }
    }
    false
}

/// The keys a copy whose own keys found no stored story is looked up
/// by: its first [`OPENING_KEY_WORDS`] words, as a stored story's first
/// paragraph begins with them ([`KeyFamily::Opening`]), whatever the
/// copy's paragraphs (a lead broken at its sentences, or run together
/// with the next paragraph). When its first word may be a one-word label
/// ([`after_a_label`]: a picture's label run into the lead, on a page a
/// copy was scraped from), also the words after it: the first twelve, and
/// the rest of its first paragraph as a stored paragraph
/// ([`KeyFamily::Paragraph`]: the lead of a story that kept the label as
/// a paragraph of its own). One read, three for a first word that may be
/// a label: every copy found new pays for them.
pub fn opening_probes(article: &Article, opening: &mut Opening) -> Vec<IndexKey> {
    let after_label = article.body.first().and_then(|block| {
        let text = block.text.trim();
        (block.kind == BlockKind::Paragraph && headline::strip_dateline(text) == text)
            .then(|| after_a_label(text))
            .flatten()
    });
    let words = opening.first_words(OPENING_KEY_WORDS + 1);
    let mut keys: Vec<IndexKey> = (0..=usize::from(after_label.is_some()))
        .filter_map(|label| opening_key(words.iter().skip(label).map(|w| word_hash(w))))
        .map(|key| IndexKey::exact(KeyFamily::Opening, key))
        .collect();
    if let Some(lead) = after_label {
        let (print, shingles) = simhash::simhash(&simhash::words(lead), simhash::SHINGLE_WORDS);
        if shingles >= near_rules::MIN_FUZZY_SHINGLES {
            keys.push(IndexKey::exact(KeyFamily::Paragraph, print));
        }
    }
    keys
}

/// What follows a one-word label run into a paragraph ("Photo", "Video",
/// "Watch" before its first sentence), told by the capital that opens
/// both and no stop between them: the lead a picture's label went
/// before, on a page a copy was scraped from.
pub fn after_a_label(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let (label, rest) = text.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    let capital = |word: &str| word.chars().next().is_some_and(char::is_uppercase);
    (capital(label) && label.chars().all(char::is_alphabetic) && capital(rest)).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    const WIRE: [&str; 8] = [
        "CALDER - The port board on Tuesday approved a plan to extend the northern harbour by 400 metres, ending a dispute that has run for more than a year.",
        "The extension will let container ships of up to 300 metres dock at Calder for the first time, the board said in a statement after a four-hour meeting.",
        "Work is due to begin in the spring and to take about three years, with most of the cost met by a loan from the regional development bank.",
        "Fishing crews had opposed the plan, saying the new quay would close off the inner harbour where most of the town's boats are moored.",
        "The board said a new channel would be dredged along the eastern wall so that the fishing fleet could still reach its moorings at any state of the tide.",
        "Harbour master Joan Pryce said the channel had been the price of getting the crews to drop their objection at the final hearing in March.",
        "Shipping lines have said they would add Calder to their northern routes once the quay opened, bringing about 200 jobs to the port.",
        "The council's planning committee will consider the road links to the new quay at its meeting next month, the board said.",
    ];

    fn story(title: &str, paragraphs: &[String]) -> Article {
        Article {
            title: title.to_string(),
            body: paragraphs.iter().map(Block::paragraph).collect(),
            ..Article::default()
        }
    }

    fn wire() -> Article {
        let paragraphs: Vec<String> = WIRE.iter().map(|p| p.to_string()).collect();
        story(
            "Calder port board backs northern harbour expansion",
            &paragraphs,
        )
    }

    fn joined_in_pairs(title: &str) -> Article {
        let joined: Vec<String> = WIRE.chunks(2).map(|pair| pair.join(" ")).collect();
        story(title, &joined)
    }

    #[test]
    fn a_copy_with_paragraphs_joined_is_grouped_as_the_stored_story() {
        let stored = NearPrints::of(&wire());
        let copy = joined_in_pairs("Ships of 300 metres to dock at Calder after harbour vote");
        let regrouped = regrouped(&copy, &stored).expect("regrouped");
        let texts: Vec<&str> = regrouped.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, WIRE);
        assert_eq!(regrouped.title, copy.title);
    }

    #[test]
    fn a_japanese_copy_with_paragraphs_joined_is_grouped_at_its_sentences() {
        let paragraphs: Vec<String> = [
            "県教育委員会は4日、来年度から県立高校の全教室に冷房を設置すると発表した。総事業費は約45億円で、夏休み前の完了を目指す。",
            "対象は県内の62校で、老朽化した校舎の改修も合わせて行う。県は国の補助金の活用も検討している。",
            "一方、保護者からは電気代の負担増を心配する声も上がっており、県は運用方法を今後詰める方針だ。",
            "教育長は記者会見で「生徒が安心して学べる環境を一日も早く整えたい」と語った。",
        ]
        .map(String::from)
        .to_vec();
        let stored = NearPrints::of(&story("県立高校の全教室に冷房", &paragraphs));
        let joined: Vec<String> = paragraphs.chunks(2).map(|pair| pair.concat()).collect();
        let copy = story("県立高校の全教室に冷房", &joined);
        let regrouped = regrouped(&copy, &stored).expect("regrouped");
        let texts: Vec<&str> = regrouped.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, paragraphs);
    }

    #[test]
    fn a_copy_with_paragraphs_split_is_grouped_as_the_stored_story() {
        // The wire's paragraphs joined in pairs stored; the copy is the
        // wire's own paragraphing.
        let stored = NearPrints::of(&joined_in_pairs("Calder harbour to grow"));
        let regrouped = regrouped(&wire(), &stored).expect("regrouped");
        assert_eq!(regrouped.body, joined_in_pairs("x").body);
    }

    #[test]
    fn a_word_added_before_a_break_moves_it_to_the_sentences_end() {
        let stored = NearPrints::of(&wire());
        let mut copy = joined_in_pairs("Ships to dock at Calder");
        copy.body[0].text = format!("Photo {}", copy.body[0].text);
        let regrouped = regrouped(&copy, &stored).expect("regrouped");
        let texts: Vec<&str> = regrouped.body.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts[0], format!("Photo {}", WIRE[0]));
        assert_eq!(texts[1..], WIRE[1..]);
    }

    #[test]
    fn the_same_paragraphing_is_not_regrouped() {
        let stored = NearPrints::of(&wire());
        assert_eq!(regrouped(&wire(), &stored), None);
        let single = story("One paragraph", &[WIRE[0].to_string()]);
        assert_eq!(regrouped(&wire(), &NearPrints::of(&single)), None);
    }

    #[test]
    fn a_crosshead_stays_alone_and_the_copys_own_breaks_stay_past_the_stored_text() {
        let stored = NearPrints::of(&story(
            "Calder",
            &[WIRE[0].to_string(), WIRE[1].to_string()],
        ));
        let mut copy = joined_in_pairs("Calder harbour");
        copy.body.insert(2, Block::subhead("What happens next"));
        let regrouped = regrouped(&copy, &stored).expect("regrouped");
        let texts: Vec<&str> = regrouped.body.iter().map(|b| b.text.as_str()).collect();
        let rest = [WIRE[2], WIRE[3]].join(" ");
        let last = [WIRE[4], WIRE[5]].join(" ");
        let tail = [WIRE[6], WIRE[7]].join(" ");
        assert_eq!(
            texts,
            [WIRE[0], WIRE[1], &rest, "What happens next", &last, &tail]
        );
        assert_eq!(regrouped.body[3].kind, BlockKind::Subhead);
    }

    #[test]
    fn a_rejoined_copy_under_a_rewritten_headline_is_the_same_story() {
        let config = NearConfig::default();
        let stored = NearPrints::of(&wire());
        let copy = joined_in_pairs("Ships of 300 metres to dock at Calder after harbour vote");
        assert!(!near_rules::compare(&NearPrints::of(&copy), &stored, &config).is_same());
        let verdict = regrouped_verdict(&copy, &stored, &config).expect("a copy");
        assert_eq!(verdict.rule, Rule::Regrouped);
        assert_eq!((verdict.overlap.found, verdict.overlap.of), (8, 8));
        assert_eq!(verdict.update, None, "the same words replace nothing");
    }

    #[test]
    fn a_correction_broken_at_its_sentences_replaces_the_story_it_corrects() {
        let config = NearConfig::default();
        let stored = NearPrints::of(&joined_in_pairs("Calder port board backs 400m extension"));
        let mut corrected: Vec<String> = WIRE.iter().map(|p| p.replace("400", "450")).collect();
        corrected.push(
            "Correction: an earlier version of this article gave the length of the extension as 400 metres."
                .to_string(),
        );
        corrected.push("It is 450 metres, the board said in its statement.".to_string());
        let copy = story("Calder port board backs 450m extension", &corrected);
        let verdict = regrouped_verdict(&copy, &stored, &config).expect("a copy");
        assert_eq!(verdict.rule, Rule::Regrouped);
        assert_eq!(verdict.update, Some(near_rules::Update::Longer));
    }

    #[test]
    fn another_story_regrouped_is_no_copy() {
        let config = NearConfig::default();
        let stored = NearPrints::of(&wire());
        let other: Vec<String> = [
            "Two Dunmore libraries could close next year under a draft budget the council published on Monday to save 4 million pounds.",
            "The branches at Eastgate and Mill Lane lend about 60,000 books a year between them and host the town's only free homework clubs.",
            "Council leader Sam Okafor said no decision had been made and that residents would be asked for their views over the next ten weeks.",
            "A petition against the closures had gathered more than 3,000 names by Monday evening, its organisers said.",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        let copy = story("Dunmore libraries face closure", &other);
        assert_eq!(regrouped_verdict(&copy, &stored, &config), None);
    }

    #[test]
    fn a_label_run_into_a_lead_is_told_by_its_capitals() {
        assert_eq!(
            after_a_label("Photo Yahoo's sale to Verizon is complicated."),
            Some("Yahoo's sale to Verizon is complicated.")
        );
        assert_eq!(after_a_label("The sale is complicated."), None);
        assert_eq!(after_a_label("CALDER - The board voted."), None);
        assert_eq!(after_a_label("Photo"), None);
    }

    fn opening_of(stored: &NearPrints) -> IndexKey {
        IndexKey::exact(
            KeyFamily::Opening,
            stored.opening_key().expect("a long lead"),
        )
    }

    fn probes(copy: &Article) -> Vec<IndexKey> {
        opening_probes(copy, &mut Opening::of(copy))
    }

    #[test]
    fn a_copy_however_paragraphed_is_looked_up_by_the_stored_storys_opening() {
        let stored = NearPrints::of(&wire());
        let key = opening_of(&stored);
        assert_eq!(probes(&wire()), [key], "one read");
        assert_eq!(probes(&joined_in_pairs("Ships to dock at Calder")), [key]);
        // A lead of two sentences, found by a copy that broke it in two.
        let two_sentences = NearPrints::of(&joined_in_pairs("Calder harbour to grow"));
        assert_eq!(probes(&wire()), [opening_of(&two_sentences)]);
        // Its own keys never look the opening up: only a copy found new.
        assert!(stored.index_keys(3).contains(&key));
        assert!(!stored.lookup_keys(3).contains(&key));
    }

    /// The wire's story as a partner's scraper gives it: its first five
    /// paragraphs run into one, too long for its words to be kept, and the
    /// rest into another.
    fn run_into_a_long_lead(title: &str) -> Article {
        story(title, &[WIRE[..5].join(" "), WIRE[5..].join(" ")])
    }

    #[test]
    fn a_story_whose_first_paragraphs_ran_into_one_is_filed_under_its_opening() {
        let stored = NearPrints::of(&run_into_a_long_lead("Calder quay vote ends dispute"));
        assert!(stored.lead_words.is_empty(), "a lead too long to keep");
        let key = opening_of(&stored);
        assert!(stored.index_keys(3).contains(&key));
        assert_eq!(probes(&wire()), [key]);
        // The wire's own paragraphing lines up with it by that opening,
        // though no paragraph of the stored story keeps anchors.
        let unanchored = NearPrints {
            paragraph_anchors: vec![None; stored.paragraphs.len()],
            ..stored.clone()
        };
        let copy = wire();
        let words = Opening::of(&copy).lined_up_words().to_vec();
        assert!(could_line_up(&words, &unanchored));
        let other = story("Dunmore libraries", &[WIRE[1..6].join(" ")]);
        let words = Opening::of(&other).lined_up_words().to_vec();
        assert!(!could_line_up(&words, &unanchored));
        let verdict = regrouped_verdict(&copy, &stored, &NearConfig::default()).expect("a copy");
        assert_eq!(verdict.rule, Rule::Regrouped);
    }

    #[test]
    fn a_copy_with_a_label_run_into_its_lead_is_looked_up_with_and_without_it() {
        let key = opening_of(&NearPrints::of(&wire()));
        let mut labelled = joined_in_pairs("Ships to dock at Calder");
        let lead = labelled.body[0].text.trim_start_matches("CALDER - ");
        labelled.body[0].text = format!("Photo {lead}");
        assert_eq!(probes(&labelled).len(), 3);
        assert_eq!(probes(&labelled)[1], key);
        // A story that kept the label as a paragraph of its own is found by
        // its lead.
        let lead = WIRE[0].trim_start_matches("CALDER - ");
        let mut captioned = wire();
        captioned.body[0] = Block::paragraph(lead);
        captioned.body.insert(0, Block::paragraph("Photo"));
        let mut copy = wire();
        copy.body[0] = Block::paragraph(format!("Photo {lead}"));
        let print = NearPrints::of(&captioned).paragraphs[1].simhash;
        assert_eq!(
            probes(&copy)[2],
            IndexKey::exact(KeyFamily::Paragraph, print)
        );
        // A name that opens the lead may be a label: a read more, and the
        // lead is still found with it.
        let mut named = wire();
        named.body[0].text =
            "Calder Harbour Board members on Tuesday approved a plan to extend the quay.".into();
        let named_key = opening_of(&NearPrints::of(&named));
        assert_eq!(probes(&named).len(), 3);
        assert_eq!(probes(&named)[0], named_key);
    }
}

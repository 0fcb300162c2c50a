//! The near-duplicate decision: given the fingerprints of an incoming copy
//! and of one stored candidate, are they the same story, by which rule, and
//! should the new copy replace the stored content? Pure: the store returns
//! the candidates (articles sharing one of the copy's
//! [`NearPrints::index_keys`]) and [`super::decide`] acts on the
//! [`Verdict`].
//!
//! Headlines "match" when they fold to the same text, as every line does
//! ([`crate::normalize::fold`]: case, white space, quotes), or once site
//! suffix, dateline, wire tags and punctuation are gone too
//! ([`headline::fold_headline`]). Headlines that differ beyond that are
//! "similar" when their [`headline::similarity`] is at least
//! `headline_similarity` and each is about its body: at least `min_support`
//! of its terms occur in the body ([`NearPrints::support`]). Word overlap
//! alone cannot tell a rewritten headline from a follow-up story's (both
//! share names and places); what a consent wall or paywall scraped in place
//! of two stories lacks is any word of either headline.
//!
//! The rules, in order (thresholds in [`NearConfig`], measured in
//! `BENCHMARKS.md` (near-duplicate folding)):
//!
//! 1. `exact`: equal content keys.
//! 2. Either body has fewer than `min_shingles` shingles: a one- or
//!    two-sentence body has too few features for its SimHash to mean much
//!    (one edited word moves a tenth of them), and in so little text one
//!    changed word is usually the news ("closed at junction 4" / "junction
//!    5"). Such copies fold only with equal body keys and matching headlines
//!    (`same-headline` or `folded-headline`); otherwise `too-short`.
//! 3. Body SimHashes within `max_distance` bits:
//!    - `same-headline` or `folded-headline` when the headlines match;
//!    - `similar-headline` when they are similar;
//!    - otherwise `headline-differs`: one text under two stories' headlines.
//! 4. Bodies further apart, where at least `min_shared` of one body's words
//!    lie in paragraphs the other has too ([`shared_fraction`]): a paragraph
//!    appended to a 250-word story moves its SimHash about eight bits,
//!    beyond any band index, but every paragraph it had is still there:
//!    - `shared-paragraphs` when the headlines match;
//!    - `similar-headline-shared-paragraphs` when they are similar.
//! 5. Otherwise `same-headline-distant-body` when the headlines match
//!    ("Morning Briefing", "Live updates"), else `unrelated`.
//!
//! A copy of the same story updates the stored one when it has more words
//! ([`Update::Longer`]), or when it is dated later and has at least nine
//! tenths of the stored words ([`Update::Newer`]: a later, shorter excerpt
//! must not replace the full text). An exact repeat never does.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use super::simhash::hamming;
use super::{NearPrints, ParagraphPrint, headline};

/// The thresholds of the decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearConfig {
    /// Largest Hamming distance between body SimHashes for the distance
    /// rules, and the `k` of the band index (`[dedup] max_distance`).
    pub max_distance: u32,
    /// Fewest body shingles for the near rules.
    pub min_shingles: u32,
    /// Least [`headline::similarity`] of similar headlines.
    pub headline_similarity: f64,
    /// Least [`NearPrints::support`] of each of two similar headlines.
    pub min_support: f64,
    /// Least [`shared_fraction`] for the shared-paragraph rules.
    pub min_shared: f64,
}

impl Default for NearConfig {
    fn default() -> Self {
        NearConfig {
            max_distance: 3,
            min_shingles: 40,
            headline_similarity: 0.2,
            min_support: 0.3,
            min_shared: 0.8,
        }
    }
}

/// Largest Hamming distance at which two paragraphs count as one (a typo
/// fixed or a word changed); paragraphs with fewer than
/// [`MIN_FUZZY_SHINGLES`] shingles must match exactly.
pub const PARAGRAPH_DISTANCE: u32 = 16;

/// Fewest shingles for a paragraph to match another within
/// [`PARAGRAPH_DISTANCE`].
pub const MIN_FUZZY_SHINGLES: u32 = 8;

/// Why two copies are, or are not, the same story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    Exact,
    SameHeadline,
    FoldedHeadline,
    SimilarHeadline,
    SharedParagraphs,
    SimilarSharedParagraphs,
    TooShort,
    HeadlineDiffers,
    DistantBody,
    Unrelated,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::Exact,
        Rule::SameHeadline,
        Rule::FoldedHeadline,
        Rule::SimilarHeadline,
        Rule::SharedParagraphs,
        Rule::SimilarSharedParagraphs,
        Rule::TooShort,
        Rule::HeadlineDiffers,
        Rule::DistantBody,
        Rule::Unrelated,
    ];

    /// Whether the rule makes the copies one story.
    pub fn is_same(self) -> bool {
        matches!(
            self,
            Rule::Exact
                | Rule::SameHeadline
                | Rule::FoldedHeadline
                | Rule::SimilarHeadline
                | Rule::SharedParagraphs
                | Rule::SimilarSharedParagraphs
        )
    }

    /// The stable name stored and printed for the rule.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Exact => "exact",
            Rule::SameHeadline => "same-headline",
            Rule::FoldedHeadline => "folded-headline",
            Rule::SimilarHeadline => "similar-headline",
            Rule::SharedParagraphs => "shared-paragraphs",
            Rule::SimilarSharedParagraphs => "similar-headline-shared-paragraphs",
            Rule::TooShort => "too-short",
            Rule::HeadlineDiffers => "headline-differs",
            Rule::DistantBody => "same-headline-distant-body",
            Rule::Unrelated => "unrelated",
        }
    }

    /// How strong a match the rule is, for choosing among candidates: the
    /// rules that ask less of the headline rank lower.
    fn strength(self) -> u8 {
        match self {
            Rule::Exact => 4,
            Rule::SameHeadline => 3,
            Rule::FoldedHeadline => 2,
            Rule::SharedParagraphs => 1,
            Rule::SimilarHeadline => 1,
            _ => 0,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule name that [`Rule::as_str`] never gives.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown near-duplicate rule `{0}`")]
pub struct UnknownRule(pub String);

impl FromStr for Rule {
    type Err = UnknownRule;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rule::ALL
            .into_iter()
            .find(|rule| rule.as_str() == s)
            .ok_or_else(|| UnknownRule(s.to_string()))
    }
}

/// Why a copy of the same story replaces the stored content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// It has more words.
    Longer,
    /// It is dated later and not markedly shorter.
    Newer,
}

impl Update {
    pub fn as_str(self) -> &'static str {
        match self {
            Update::Longer => "longer",
            Update::Newer => "newer",
        }
    }
}

/// The outcome of comparing a new copy with one stored candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub rule: Rule,
    /// Hamming distance between the body SimHashes.
    pub distance: u32,
    /// [`headline::similarity`] of the folded headlines.
    pub similarity: f64,
    /// [`shared_fraction`] of the bodies.
    pub shared: f64,
    /// The lower [`NearPrints::support`] of the two headlines.
    pub support: f64,
    /// For the same story: whether and why the new copy replaces the
    /// stored content (its id and published date stay).
    pub update: Option<Update>,
}

impl Verdict {
    pub fn is_same(&self) -> bool {
        self.rule.is_same()
    }
}

/// Compares the new copy `new` with the stored candidate `stored`.
pub fn compare(new: &NearPrints, stored: &NearPrints, config: &NearConfig) -> Verdict {
    let distance = hamming(new.simhash, stored.simhash);
    let similarity = headline::similarity(&new.headline, &stored.headline);
    let shared = shared_fraction(&new.paragraphs, &stored.paragraphs);
    let same_title = new.title == stored.title;
    let same_headline = same_title || new.headline == stored.headline;
    let support = new.support().min(stored.support());
    let similar_headline =
        similarity >= config.headline_similarity && support >= config.min_support;
    let rule = if new.content_key == stored.content_key {
        Rule::Exact
    } else if new.shingles.min(stored.shingles) < config.min_shingles {
        match (new.body_key == stored.body_key, same_title, same_headline) {
            (true, true, _) => Rule::SameHeadline,
            (true, false, true) => Rule::FoldedHeadline,
            _ => Rule::TooShort,
        }
    } else if distance <= config.max_distance {
        if same_title {
            Rule::SameHeadline
        } else if same_headline {
            Rule::FoldedHeadline
        } else if similar_headline {
            Rule::SimilarHeadline
        } else {
            Rule::HeadlineDiffers
        }
    } else if same_headline && shared >= config.min_shared {
        Rule::SharedParagraphs
    } else if same_headline {
        Rule::DistantBody
    } else if similar_headline && shared >= config.min_shared {
        Rule::SimilarSharedParagraphs
    } else {
        Rule::Unrelated
    };
    let update = if rule.is_same() && rule != Rule::Exact {
        update(new, stored)
    } else {
        None
    };
    Verdict {
        rule,
        distance,
        similarity,
        shared,
        support,
        update,
    }
}

fn update(new: &NearPrints, stored: &NearPrints) -> Option<Update> {
    if new.words > stored.words {
        return Some(Update::Longer);
    }
    let newer = matches!((new.date(), stored.date()), (Some(n), Some(s)) if n > s);
    (newer && u64::from(new.words) * 10 >= u64::from(stored.words) * 9).then_some(Update::Newer)
}

/// The best same-story match for `new` among `candidates`: the strongest
/// rule, then the smallest distance, then the first. Its index and verdict.
pub fn best_match<'a>(
    new: &NearPrints,
    candidates: impl IntoIterator<Item = &'a NearPrints>,
    config: &NearConfig,
) -> Option<(usize, Verdict)> {
    candidates
        .into_iter()
        .map(|stored| compare(new, stored, config))
        .enumerate()
        .filter(|(_, verdict)| verdict.is_same())
        .min_by_key(|(i, verdict)| (u8::MAX - verdict.rule.strength(), verdict.distance, *i))
}

/// How much of one body lies in paragraphs of the other: for each direction,
/// the share of the first body's words in paragraphs that the second has
/// too (the same paragraph SimHash, or within [`PARAGRAPH_DISTANCE`] bits
/// when both have at least [`MIN_FUZZY_SHINGLES`] shingles); the larger of
/// the two. A story and the same story with paragraphs appended give 1.
pub fn shared_fraction(a: &[ParagraphPrint], b: &[ParagraphPrint]) -> f64 {
    contained(a, b).max(contained(b, a))
}

fn contained(inner: &[ParagraphPrint], outer: &[ParagraphPrint]) -> f64 {
    let total: u64 = inner.iter().map(|p| u64::from(p.words)).sum();
    if total == 0 {
        return 0.0;
    }
    let found: u64 = inner
        .iter()
        .filter(|p| outer.iter().any(|q| paragraphs_match(p, q)))
        .map(|p| u64::from(p.words))
        .sum();
    found as f64 / total as f64
}

fn paragraphs_match(p: &ParagraphPrint, q: &ParagraphPrint) -> bool {
    if p.shingles >= MIN_FUZZY_SHINGLES && q.shingles >= MIN_FUZZY_SHINGLES {
        hamming(p.simhash, q.simhash) <= PARAGRAPH_DISTANCE
    } else {
        p.simhash == q.simhash && p.words == q.words
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::{Article, Block};

    const PARAGRAPHS: [&str; 5] = [
        "The board of the Port of Calder voted on Monday to approve a long-delayed expansion of \
         the northern harbour, ending a dispute with fishing cooperatives that had stalled the \
         project for more than a year.",
        "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay for \
         the town's fishing fleet, which had objected to earlier drafts.",
        "\"Nobody got everything they wanted, and that is usually the sign of a fair deal,\" board \
         chair Imogen Ashworth told reporters after the vote.",
        "Construction is expected to begin in the spring and to take three years, with the first \
         berth open to ships before the end of the second summer.",
        "Environmental groups said they would study the final plan before deciding whether to \
         appeal to the planning inspectorate.",
    ];

    const HEADLINE: &str = "Port of Calder Approves Harbour Expansion After Year-Long Dispute";

    fn article(title: &str, paragraphs: &[&str]) -> Article {
        Article {
            title: title.into(),
            body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
            ..Default::default()
        }
    }

    fn verdict(new: &Article, stored: &Article) -> Verdict {
        compare(
            &NearPrints::of(new),
            &NearPrints::of(stored),
            &NearConfig::default(),
        )
    }

    #[test]
    fn exact_repeats_are_exact() {
        let a = article(HEADLINE, &PARAGRAPHS);
        let mut b = article(&HEADLINE.to_uppercase(), &PARAGRAPHS);
        b.updated = Some(Utc.with_ymd_and_hms(2026, 10, 6, 9, 0, 0).unwrap());
        let v = verdict(&b, &a);
        assert_eq!((v.rule, v.distance, v.update), (Rule::Exact, 0, None));
    }

    #[test]
    fn a_site_suffix_and_a_dateline_fold_by_headline() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let mut body = PARAGRAPHS;
        let first = format!("CALDER (Reuters) - {}", PARAGRAPHS[0]);
        body[0] = &first;
        let new = article(&format!("{HEADLINE} - Reuters"), &body);
        let v = verdict(&new, &stored);
        assert_eq!(
            (v.rule, v.distance, v.update),
            (Rule::FoldedHeadline, 0, None)
        );
    }

    #[test]
    fn a_fixed_typo_under_the_same_headline_is_the_same_story() {
        let mut body = PARAGRAPHS;
        let typo = PARAGRAPHS[1].replace("berths", "bertsh");
        body[1] = &typo;
        let mut stored = article(HEADLINE, &body);
        stored.published = Some(Utc.with_ymd_and_hms(2026, 10, 5, 9, 0, 0).unwrap());
        let mut new = article(HEADLINE, &PARAGRAPHS);
        new.published = stored.published;
        new.updated = Some(Utc.with_ymd_and_hms(2026, 10, 5, 12, 0, 0).unwrap());
        let v = verdict(&new, &stored);
        assert!(v.is_same(), "{v:?}");
        assert!(matches!(
            v.rule,
            Rule::SameHeadline | Rule::SharedParagraphs
        ));
        assert_eq!(v.update, Some(Update::Newer));
    }

    #[test]
    fn an_appended_paragraph_updates_the_story() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let mut longer = PARAGRAPHS.to_vec();
        longer.push(
            "Late on Monday the cooperatives said they would not oppose the plan in court, \
             clearing the way for work to begin as soon as contracts are signed.",
        );
        let new = article(HEADLINE, &longer);
        let v = verdict(&new, &stored);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.shared, 1.0);
        assert_eq!(v.update, Some(Update::Longer));
        // The shorter copy arriving after the longer one is folded, no update.
        let v = verdict(&stored, &new);
        assert!(v.is_same());
        assert_eq!(v.update, None);
    }

    #[test]
    fn a_same_titled_briefing_with_another_body_is_another_story() {
        let a = article("Morning Briefing", &PARAGRAPHS[..3]);
        let b = article("Morning Briefing", &PARAGRAPHS[3..]);
        let mut b_longer = b.clone();
        b_longer.body.extend(a.body[..1].iter().cloned());
        for other in [&b, &b_longer] {
            let v = verdict(other, &a);
            assert_eq!(v.rule, Rule::DistantBody, "{v:?}");
            assert!(v.distance > 3);
            assert_eq!(v.update, None);
        }
    }

    #[test]
    fn the_same_body_under_another_stories_headline_is_not_folded() {
        let a = article(HEADLINE, &PARAGRAPHS);
        let b = article(
            "Volunteers Count Record Number of Wading Birds",
            &PARAGRAPHS,
        );
        let v = verdict(&b, &a);
        assert_eq!((v.rule, v.distance), (Rule::HeadlineDiffers, 0));
        let c = article(
            "Calder harbour expansion approved by port board",
            &PARAGRAPHS,
        );
        let v = verdict(&c, &a);
        assert_eq!(v.rule, Rule::SimilarHeadline, "{v:?}");
    }

    #[test]
    fn a_rewritten_headline_over_an_updated_body_is_the_same_story() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let mut longer = PARAGRAPHS.to_vec();
        longer.push(
            "Late on Monday the cooperatives said they would not oppose the plan in court, \
             clearing the way for work to begin as soon as contracts are signed.",
        );
        let new = article("Calder harbour expansion approved by port board", &longer);
        let v = verdict(&new, &stored);
        assert_eq!(v.rule, Rule::SimilarSharedParagraphs, "{v:?}");
        assert!(v.distance > 3);
        assert_eq!(v.update, Some(Update::Longer));
        // Every stored paragraph is still there, so the paragraph keys find
        // the pair.
        let (a, b) = (NearPrints::of(&new), NearPrints::of(&stored));
        let keys = a.index_keys(3);
        assert!(b.index_keys(3).iter().any(|k| keys.contains(k)));
    }

    #[test]
    fn a_follow_up_sharing_a_background_paragraph_is_another_story() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let follow_up = article(
            "Environmental Groups Appeal Port of Calder Harbour Expansion",
            &[
                "Three environmental groups have lodged an appeal against the Port of Calder's \
                 plan to expand its northern harbour, arguing that dredging would destroy \
                 feeding grounds used by migrating birds.",
                "The port said it was confident its plans would survive scrutiny and that it \
                 would stop dredging during the spring and autumn migrations.",
                PARAGRAPHS[1],
            ],
        );
        let v = verdict(&follow_up, &stored);
        assert_eq!(v.rule, Rule::Unrelated, "{v:?}");
        assert!(v.similarity > 0.4 && v.support > 0.5 && v.shared < 0.5);
    }

    #[test]
    fn related_headlines_over_a_consent_wall_are_two_stories() {
        let wall = [
            "We value your privacy. We and our partners store and access information on your \
             device, such as cookies, and process personal data to show you personalised \
             advertising and content and to measure it.",
            "You can accept all cookies, reject those that are not strictly necessary, or \
             choose which purposes you allow by selecting manage options at any time.",
        ];
        let a = article(HEADLINE, &wall);
        let b = article(
            "Environmental Groups Appeal Port of Calder Harbour Expansion",
            &wall,
        );
        let v = verdict(&b, &a);
        assert_eq!((v.rule, v.distance), (Rule::HeadlineDiffers, 0));
        assert!(v.similarity > 0.4, "the headlines alone look alike: {v:?}");
        assert_eq!(v.support, 0.0);
    }

    #[test]
    fn short_bodies_fold_only_when_exact() {
        let a = article(
            "Traffic update",
            &["The A12 is closed at junction 4 after a crash; expect delays."],
        );
        let b = article(
            "Traffic update",
            &["The A12 is closed at junction 5 after a crash; expect delays."],
        );
        let v = verdict(&b, &a);
        assert_eq!(v.rule, Rule::TooShort);
        assert!(!v.is_same());
        assert_eq!(verdict(&a.clone(), &a).rule, Rule::Exact);
        // The same short body under the same headline with a site suffix,
        // a dateline and other quotes: equal body keys fold it.
        let mut syndicated = a.clone();
        syndicated.title = "Traffic Update | Coast FM".into();
        syndicated.body[0].text = format!("CALDER (Reuters) - {}", a.body[0].text.to_uppercase());
        assert_eq!(verdict(&syndicated, &a).rule, Rule::FoldedHeadline);
        // One short side is enough to keep the near rules out.
        let long = article("Traffic update", &PARAGRAPHS);
        assert_eq!(verdict(&long, &a).rule, Rule::TooShort);
    }

    #[test]
    fn paragraph_sharing_counts_words_and_tolerates_small_edits() {
        let fp = |paras: &[&str]| NearPrints::of(&article("T", paras)).paragraphs;
        let all = fp(&PARAGRAPHS);
        assert_eq!(shared_fraction(&all, &fp(&PARAGRAPHS[..2])), 1.0);
        let typo = PARAGRAPHS[0].replace("expansion", "expnasion");
        let edited = fp(&[&typo, PARAGRAPHS[1]]);
        assert_eq!(shared_fraction(&all, &edited), 1.0);
        let half = shared_fraction(&fp(&PARAGRAPHS[..2]), &fp(&PARAGRAPHS[1..4]));
        assert!(half > 0.3 && half < 0.7, "{half}");
        assert_eq!(shared_fraction(&[], &all), 0.0);
    }

    #[test]
    fn best_match_prefers_the_strongest_rule_then_the_nearest() {
        let new = NearPrints::of(&article(HEADLINE, &PARAGRAPHS));
        let briefing = NearPrints::of(&article("Morning Briefing", &PARAGRAPHS[..3]));
        let suffixed = NearPrints::of(&article(&format!("{HEADLINE} | Herald"), &PARAGRAPHS));
        let same = NearPrints::of(&article(&HEADLINE.to_lowercase(), &PARAGRAPHS));
        let config = NearConfig::default();
        let (i, v) = best_match(&new, [&briefing, &suffixed, &same], &config).unwrap();
        assert_eq!((i, v.rule), (2, Rule::Exact));
        let (i, v) = best_match(&new, [&briefing, &suffixed], &config).unwrap();
        assert_eq!((i, v.rule), (1, Rule::FoldedHeadline));
        assert!(best_match(&new, [&briefing], &config).is_none());
    }

    #[test]
    fn rule_names_round_trip() {
        for rule in Rule::ALL {
            assert_eq!(rule.as_str().parse::<Rule>(), Ok(rule));
            assert_eq!(rule.to_string(), rule.as_str());
        }
        assert_eq!(
            "nearly".parse::<Rule>(),
            Err(UnknownRule("nearly".to_string()))
        );
        assert_eq!(Update::Longer.as_str(), "longer");
        assert_eq!(Update::Newer.as_str(), "newer");
    }
}

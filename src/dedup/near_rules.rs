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
//! 2. Copies published more than [`MAX_DAYS_APART`] days apart are
//!    `dated-apart`: this year's report of an annual event, this month's
//!    figures, reuse the last one's headline and most of its sentences with
//!    other names and numbers, and a republished copy of a story comes
//!    within days. Only an exact repeat folds across that gap. So are
//!    copies whose headlines differ only in the day they name, on two days
//!    (a daily bulletin's editions: `Tide times for Monday 30 November`,
//!    `… for Tuesday 1 December`), and copies dated at least
//!    [`EDITION_HOURS_APART`] hours apart whose bodies differ only in their
//!    figures (a bulletin's editions under one headline: `Calder tide
//!    times`).
//! 3. `cut-copy`: the stored copy is the new one cut short (a dump read
//!    while it was still being written, a push or page broken off): the
//!    same headline and, when both give one, the same publication date;
//!    the same paragraphs before the one it breaks off in (none when it
//!    breaks off in the first), and the new one's paragraph there going on
//!    from it inside a word (anywhere, under the stored article's link), or
//!    no body at all (only the header had been written). Judged before the
//!    short-body guard: a story cut inside its second paragraph is too
//!    short for the rules below. The whole copy replaces the cut one
//!    (`longer`). A new copy with no body at all, the header of a stored
//!    whole one, is `cut-copy` too and leaves the stored text as it is; a
//!    new copy cut inside its text is left to the rules below: the store
//!    keeps no paragraph text of a whole copy to check it against.
//! 4. Either body has fewer than `min_shingles` shingles in fewer than
//!    [`MIN_SHORT_SENTENCES`] sentences (`too_short`): a one- or
//!    two-sentence body has too few features for its SimHash to mean much
//!    (one edited word moves a tenth of them), and in so little text one
//!    changed word is usually the news ("closed at junction 4" / "junction
//!    5"). Such copies fold only with equal body keys and matching headlines
//!    (`same-headline` or `folded-headline`), or headlines that are one
//!    another with words added or a spelling corrected, one of them about
//!    the text (`similar-headline`: a teaser retitled, a typo fixed);
//!    otherwise `too-short`. A
//!    three-sentence wire brief as short is left to the rules below: a
//!    paragraph appended to it leaves every one of its paragraphs whole.
//!    A copy with the stored article's canonical link is that article
//!    whatever its length: its headlines alone then say whether it is a
//!    later version ([`same_link_update`]).
//! 5. Two partners' intros over one story, under matching headlines, are
//!    `shared-lead` whatever their prints' distance (rule 9). Otherwise,
//!    body SimHashes within `max_distance` bits, unless both bodies open
//!    with one paragraph of their own, nowhere in the other, over all the
//!    other has but its own, and are dated
//!    [`EDITION_HOURS_APART`] hours apart or more (a follow-up's new lead
//!    over the story under its headline):
//!    - `same-headline` or `folded-headline` when the headlines match;
//!    - `similar-headline` when they are similar.
//! 6. Bodies further apart, where at least `min_shared` of one body's words
//!    lie in paragraphs the other has too ([`shared_fraction`]): a paragraph
//!    appended to a 250-word story moves its SimHash about eight bits,
//!    beyond any band index, but every paragraph it had is still there:
//!    - `shared-paragraphs` when the headlines match, unless both bodies
//!      open with a lead of their own and neither lead is anywhere in the
//!      other body (the same closing lines under two stories, under a
//!      generic headline or a specific one; two partners' intros over one
//!      story are weighed under rule 9); and when
//!      the headlines match and the first paragraphs are one lead
//!      corrected on the day the story ran (`lead_corrected_on_its_date`:
//!      one publication date, a dated correction, fewer than
//!      [`MIN_CLAUSE_WORDS`] words edited), with the rest of either body
//!      in the other.
//! 7. Where the shared paragraphs sit ([`Overlap`]): a body that opens with
//!    more than [`MAX_NEW_LEAD`] paragraphs of its own before those it
//!    shares, and would otherwise be contained, is a new lead over reused
//!    background, a follow-up: `new-lead`. A short paragraph after one of
//!    its own counts in that lead when it reads as a sentence ("The council
//!    said it would appeal."), never when it is page furniture
//!    ("Advertisement", "Read more: …"; [`super::sentence`]).
//!    Otherwise, unless both open with one paragraph of their own, nowhere
//!    in the other, over all the other has but its own (two stories' leads
//!    over one site's closing lines), matching headlines over bodies within twice `max_distance`
//!    bits are `same-headline` or `folded-headline` still: one word changed
//!    in a short paragraph can move its SimHash beyond
//!    [`PARAGRAPH_DISTANCE`] and the body's just beyond `max_distance`, and
//!    two stories under one headline ("Morning Briefing") lie about 32 bits
//!    apart.
//! 8. Bodies further apart, similar headlines, `min_shared` shared:
//!    `similar-headline-shared-paragraphs`.
//!
//! Rules 8 and 9 hold only when at most one of the bodies opens with a
//! paragraph of its own before the first one they share. When both do,
//! what they share is boilerplate, not the story (a police appeal's closing
//! lines, a forecast's template, a newsletter footer under two short
//! stories): two stories. So it is when both open with the same paragraph
//! (a series standfirst) and then each with one of its own
//! ([`Overlap::own_under_shared_top`]). Nor do they hold when the longer body has
//! paragraphs of its own both before and after all it shares: a morning
//! briefing or roundup quoting a story is another article. Nor when it
//! goes on after all it shares with [`ROUNDUP_ITEMS`] paragraphs of its own
//! or more under a headline neither matching nor similar to the other's,
//! and fewer than `min_support` of that headline's terms occur in the
//! paragraphs they share (`longer_headline_support_in_shared`): a digest
//! ("Business briefing: what moved the markets today") that opens with a
//! whole story and moves on to other companies. An update or a correction
//! appends one paragraph, and a story's own headline, rewritten or not, is
//! about its opening paragraphs, so a retitled or cut copy still folds. Two first
//! paragraphs at most [`MAX_LEAD_EDITS`] words apart are one lead edited
//! ([`lead_edited`]), shared by both bodies, so neither opens with a lead of
//! its own: a story retitled, its lead respelled and a paragraph appended
//! is no roundup of itself, while a follow-up rewriting the lead around
//! the story's (a clause added) still is.
//! 9. Containment, whatever the headlines, as long as one of them is about
//!    the text (`min_support` of its terms in the body):
//!    - `contained`: at least `min_shared` of the shorter body's words in
//!      paragraphs of the longer (a retitled, truncated or cut copy, a
//!      paragraph appended; not a digest that opens with the story, above);
//!    - `shared-lead`: one body opens with one paragraph of its own (a local
//!      intro) over the other's opening paragraph, and at least `min_shared`
//!      of the rest, two paragraphs or more, lies in the other; or, under
//!      matching headlines, both do, each over all of the other but its
//!      intro, on the day (`intros_over_one_story`): two partners' intros
//!      over the wire's text, whose own copy has not come (judged before
//!      rule 5: neither replaces the other's text). The guard above keeps
//!      them apart otherwise; the headline tells them from two leads over
//!      one site's closing lines
//!      (it names a lead's story, not the lines), and the dates from a
//!      follow-up's new lead over the story the next day.
//!
//!    A paragraph is found in the other body when it is one of its
//!    paragraphs (within [`CONTAINED_PARAGRAPH_DISTANCE`] bits), or that
//!    paragraph lightly edited at its place or one place up or down
//!    (`edited_one_place_apart`: the wire's lead, a figure corrected
//!    since, under a partner's local intro).
//! 10. Otherwise `headline-differs` for bodies within `max_distance` (one
//!     text, a consent wall, under two stories' headlines),
//!     `same-headline-distant-body` when the headlines match ("Morning
//!     Briefing", "Live updates"), else `unrelated`.
//!
//! A copy of the same story replaces the stored text, headline included,
//! only when it extends it or is a later version of it, or when the stored
//! text is it read before it was all written (cut short, between two words
//! too) (see `update`); a
//! copy that is only contained in the stored text never does, and neither
//! does an exact repeat: the original's text and headline survive.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SubsecRound, Utc};
use thiserror::Error;

use super::simhash::hamming;
use super::{NearPrints, ParagraphPrint, headline};
use crate::furniture::page_furniture;

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
    Contained,
    SharedLead,
    SameLink,
    TooShort,
    DatedApart,
    OtherMedia,
    OtherNames,
    HeadlineDiffers,
    NewLead,
    DistantBody,
    Unrelated,
    CutCopy,
    Regrouped,
}

impl Rule {
    pub const ALL: [Rule; 19] = [
        Rule::Exact,
        Rule::SameHeadline,
        Rule::FoldedHeadline,
        Rule::SimilarHeadline,
        Rule::SharedParagraphs,
        Rule::SimilarSharedParagraphs,
        Rule::Contained,
        Rule::SharedLead,
        Rule::SameLink,
        Rule::TooShort,
        Rule::DatedApart,
        Rule::OtherMedia,
        Rule::OtherNames,
        Rule::HeadlineDiffers,
        Rule::NewLead,
        Rule::DistantBody,
        Rule::Unrelated,
        Rule::CutCopy,
        Rule::Regrouped,
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
                | Rule::Contained
                | Rule::SharedLead
                | Rule::SameLink
                | Rule::CutCopy
                | Rule::Regrouped
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
            Rule::Contained => "contained",
            Rule::SharedLead => "shared-lead",
            Rule::SameLink => "same-link",
            Rule::TooShort => "too-short",
            Rule::DatedApart => "dated-apart",
            Rule::OtherMedia => "other-media",
            Rule::OtherNames => "other-names",
            Rule::HeadlineDiffers => "headline-differs",
            Rule::NewLead => "new-lead",
            Rule::DistantBody => "same-headline-distant-body",
            Rule::Unrelated => "unrelated",
            Rule::CutCopy => "cut-copy",
            Rule::Regrouped => "re-paragraphed",
        }
    }

    /// How strong a match the rule is, for choosing among candidates: the
    /// rules that ask less of the headline rank lower.
    fn strength(self) -> u8 {
        match self {
            Rule::Exact => 4,
            Rule::SameHeadline | Rule::CutCopy => 3,
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
    /// It is the stored text without the republisher's note that text
    /// carries ([`original_of_republished`]).
    Original,
}

impl Update {
    pub fn as_str(self) -> &'static str {
        match self {
            Update::Longer => "longer",
            Update::Newer => "newer",
            Update::Original => "original",
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
    /// How the bodies' paragraphs line up ([`Overlap::of`]).
    pub overlap: Overlap,
    /// For the same story: whether and why the new copy replaces the
    /// stored content (its id and published date stay).
    pub update: Option<Update>,
}

impl Verdict {
    pub fn is_same(&self) -> bool {
        self.rule.is_same()
    }

    /// What the containment rules rest on, for `feedfold dups`; `None` for
    /// the other rules.
    pub fn evidence(&self) -> Option<Evidence> {
        matches!(
            self.rule,
            Rule::Contained | Rule::SharedLead | Rule::NewLead | Rule::Regrouped
        )
        .then(|| self.overlap.evidence())
    }
}

/// Compares the new copy `new` with the stored candidate `stored`.
pub fn compare(new: &NearPrints, stored: &NearPrints, config: &NearConfig) -> Verdict {
    let distance = hamming(new.simhash, stored.simhash);
    let similarity = headline::similarity(&new.headline, &stored.headline);
    let shared = shared_fraction(new, stored);
    let overlap = Overlap::of(new, stored);
    let same_title = new.title == stored.title;
    let same_headline = same_title || new.headline == stored.headline;
    let support = new.support().min(stored.support());
    let similar_headline =
        similarity >= config.headline_similarity && support >= config.min_support;
    // A headline that names what its body is about: equal to the other's,
    // or with enough of its terms in its body (a consent wall scraped under
    // two headlines is about neither).
    let grounded = same_headline || new.support().max(stored.support()) >= config.min_support;
    let would_contain = overlap.contained >= config.min_shared
        || (overlap.after_lead >= config.min_shared && overlap.found >= 2);
    let new_lead = overlap.new_lead() > MAX_NEW_LEAD;
    let both_lead = overlap.both_lead();
    let boilerplate = shares_only_boilerplate(new, stored, &overlap);
    // The longer body has paragraphs of its own before and after all it
    // shares, or, under a headline neither matching nor similar, goes on
    // after all of it with several items of its own: a roundup that quotes
    // the other story, not a copy of it. Its headline is then about those
    // items (some of its terms only there), not about what they share; a
    // retitled copy of the whole story whose headline's words are not in
    // a truncated copy's paragraphs is not about its last paragraphs
    // either.
    let longer_support = if overlap.new_is_longer { new } else { stored }.support();
    let roundup = (overlap.longer_lead > 0 && overlap.longer_trailing > 0)
        || (!same_headline
            && similarity < config.headline_similarity
            && overlap.longer_trailing >= ROUNDUP_ITEMS
            && longer_headline_support_in_shared(new, stored, &overlap)
                .is_some_and(|support| support < config.min_support && longer_support > support));
    let apart = both_lead || roundup;
    // Each opens with one lead of its own, nowhere in the other, over all
    // the other has but its own.
    let one_lead_each =
        leads_of_their_own(new, stored, &overlap) && one_paragraph_of_its_own_each(&overlap);
    let intros =
        same_headline && one_lead_each && intros_over_one_story(new, stored, &overlap, config);
    // Each opening with a lead of its own over what they share, a day or
    // more apart: a follow-up's new lead over the story, however near.
    let new_lead_days_apart = one_lead_each
        && span_gap(new, stored)
            .is_some_and(|gap| gap >= chrono::Duration::hours(EDITION_HOURS_APART));
    // Worked out once, for the rules that ask, in the order they ask.
    let lead_edit = std::cell::OnceCell::new();
    let lead_edit = || lead_edit.get_or_init(|| LeadEdit::of(new, stored)).as_ref();
    // With no words and no media file, the content key is the headline
    // alone: a recurring one (`Photo of the day`) ties no two copies to one
    // story; the other rules weigh them (`cut-copy`: a header under the
    // same date). The same episode's file under one headline is one item.
    let rule = if new.content_key == stored.content_key && (new.words > 0 || new.media != 0) {
        Rule::Exact
    } else if dated_apart(new, stored)
        || headlines_name_other_days(new, stored)
        || (!dated_the_same_day(new, stored) && lead_edit().is_some_and(LeadEdit::names_other_days))
        || editions_of_figures(new, stored)
    {
        Rule::DatedApart
    } else if other_media(new, stored) {
        Rule::OtherMedia
    } else if leads_name_others(new, stored) {
        Rule::OtherNames
    } else if cut_short_of(stored, new, BreaksOff::InsideAWord) || header_of(new, stored) {
        Rule::CutCopy
    } else if too_short(new, config) || too_short(stored, config) {
        // Two headers with no words are tied by their date alone
        // (`cut-copy` above), never by the headline they share.
        (new.body_key == stored.body_key && (new.words > 0 || new.media != 0))
            .then(|| short_body_headline_rule(new, stored, config))
            .flatten()
            .unwrap_or(Rule::TooShort)
    } else if intros {
        Rule::SharedLead
    } else if distance <= config.max_distance && same_title && !new_lead_days_apart {
        Rule::SameHeadline
    } else if distance <= config.max_distance && same_headline && !new_lead_days_apart {
        Rule::FoldedHeadline
    } else if distance <= config.max_distance && similar_headline && !new_lead_days_apart {
        Rule::SimilarHeadline
    } else if same_headline
        && ((distance > config.max_distance && shared >= config.min_shared && !boilerplate)
            || (lead_corrected_on_its_date(new, stored)
                && overlap.new_lead() <= MAX_NEW_LEAD
                && overlap.after_lead >= config.min_shared))
    {
        Rule::SharedParagraphs
    } else if new_lead && (would_contain || shared >= config.min_shared) {
        Rule::NewLead
    } else if distance <= 2 * config.max_distance && same_title && !one_lead_each {
        Rule::SameHeadline
    } else if distance <= 2 * config.max_distance && same_headline && !one_lead_each {
        Rule::FoldedHeadline
    } else if distance > config.max_distance
        && similar_headline
        && shared >= config.min_shared
        && !apart
    {
        Rule::SimilarSharedParagraphs
    } else if grounded && overlap.contained >= config.min_shared && !apart {
        Rule::Contained
    } else if grounded && would_contain && !apart {
        Rule::SharedLead
    } else if distance <= config.max_distance {
        Rule::HeadlineDiffers
    } else if same_headline {
        Rule::DistantBody
    } else {
        Rule::Unrelated
    };
    let update = if rule == Rule::CutCopy {
        // The whole copy replaces the header read before its text, never
        // the other way round.
        (!header_of(new, stored)).then_some(Update::Longer)
    } else if rule.is_same() && rule != Rule::Exact {
        update(new, stored, &overlap, rule)
    } else {
        None
    };
    Verdict {
        rule,
        distance,
        similarity,
        shared,
        support,
        overlap,
        update,
    }
}

/// Whether the two copies are one story whose lead was corrected on the
/// day it ran: both give the same publication date, one of them a later
/// update date too ([`NearPrints::revised`]: a dated correction), the
/// words of both first paragraphs are known ([`lead_edited`] can weigh
/// them), and they are not a lead rewritten around the other
/// ([`lead_rewritten_around`]): at most a few words inserted, deleted or
/// replaced ("thousands of patients" made "more than four thousand
/// patients"), more than the [`MAX_LEAD_EDITS`] that make one lead under
/// any dates when it comes to that. A bulletin's editions, a follow-up and
/// two stories under one headline each give a publication date of their
/// own.
fn lead_corrected_on_its_date(new: &NearPrints, stored: &NearPrints) -> bool {
    let published = new.given_published();
    published.is_some()
        && published == stored.given_published()
        && (new.revised().is_some() || stored.revised().is_some())
        && lead_edited(new, stored).is_some()
        && !lead_rewritten_around(new, stored)
}

/// The fewest sentences that keep a body of fewer than `min_shingles`
/// shingles in the near rules (`too_short`): one or two sentences are
/// a brief whose one changed word is the news, or a bulletin's line that
/// its next edition goes on from; three (a wire brief) are a story that an
/// update extends.
pub const MIN_SHORT_SENTENCES: usize = 3;

/// Whether a body is too short for the near rules (`too-short`): fewer
/// than `min_shingles` shingles in fewer than [`MIN_SHORT_SENTENCES`]
/// sentences, counted as the paragraphs long enough to compare (at least
/// [`MIN_FUZZY_SHINGLES`] shingles) and the short ones that read as a
/// sentence ([`ParagraphPrint::sentence`]; none does in prints stored
/// before that was kept).
fn too_short(prints: &NearPrints, config: &NearConfig) -> bool {
    prints.shingles < config.min_shingles
        && prints
            .paragraphs
            .iter()
            .filter(|p| p.shingles >= MIN_FUZZY_SHINGLES || p.sentence)
            .count()
            < MIN_SHORT_SENTENCES
}

/// The rule that ties a body too short for the near rules (`too_short`)
/// to the stored one by their headlines alone: `same-headline` or
/// `folded-headline` when they match, `similar-headline` when one is the
/// other with words added or a spelling corrected and one of them is about
/// its text; `None` otherwise (a word or a number changed in so short a
/// text is the news). Whether the bodies are the same is for the caller:
/// equal body keys for the near rules, the canonical link for
/// [`same_link_update`].
fn short_body_headline_rule(
    new: &NearPrints,
    stored: &NearPrints,
    config: &NearConfig,
) -> Option<Rule> {
    if new.title == stored.title {
        Some(Rule::SameHeadline)
    } else if new.headline == stored.headline {
        Some(Rule::FoldedHeadline)
    } else {
        let grounded = new.support().max(stored.support()) >= config.min_support;
        (grounded
            && !new.paragraphs.is_empty()
            && headline::retitled_by_additions_or_corrections(&new.headline, &stored.headline))
        .then_some(Rule::SimilarHeadline)
    }
}

/// Whether a copy of the same story replaces the stored text, which then
/// brings its headline along:
///
/// - [`Update::Longer`] when it extends the stored text: more words, at
///   least four fifths of the stored words in paragraphs it has too, at
///   least one paragraph of its own long enough to compare (a byline or a
///   copyright line added is no extension), and nothing of its own on top
///   (a local intro, a new lead, a byline);
/// - [`Update::Newer`] when it is a later version of the same text: no
///   shorter than nine tenths of the stored words, and dated later, by its
///   publication date when the headlines match, by an update date after
///   its own publication date ([`NearPrints::revised`]) when they are only
///   similar (a partner publishing the story later under its own headline
///   is not a revision, whatever update date its format makes it give;
///   over an undated stored text, whose date is only when it was read,
///   also by an update date after its own publication date whatever the
///   rule),
///   not the same words again ([`same_words`]: a copy republished
///   word for word, paragraphed anew or under a dateline, is a sighting),
///   and, under a headline only similar, not opening with paragraphs of
///   its own over the stored lead (a partner's local intro, whatever its
///   dates).
///   The containment rules never replace by date.
///
/// A copy with a republisher's note ([`NearPrints::republished`]) does
/// neither.
fn update(new: &NearPrints, stored: &NearPrints, overlap: &Overlap, rule: Rule) -> Option<Update> {
    // A republisher's copy is never the story's next version, whatever it
    // adds: its note would end up in the publisher's text.
    if new.republished() {
        return None;
    }
    // More words: the new copy is the longer body, and `contained` is the
    // share of the stored words it holds.
    // A stored copy cut short (between two words too: the rule already
    // says the copies are one story) is the new copy's text read before it
    // was all written: every stored word is in the new copy.
    if extends(new, stored, overlap)
        || fills_run_together_teaser(new, stored)
        || cut_short_of(stored, new, BreaksOff::Anywhere)
    {
        return Some(Update::Longer);
    }
    // The date an undated stored copy has is when it was read, no date of
    // the story's: a copy that says it was revised is later than it,
    // whatever its dates, as is one dated after it was read.
    let later = |date: Option<DateTime<Utc>>| {
        let after_stored = matches!((date, stored.date()), (Some(n), Some(s)) if n > s);
        after_stored || (stored.undated && date.is_some() && new.revised().is_some())
    };
    let newer = match rule {
        Rule::SameHeadline | Rule::FoldedHeadline | Rule::SharedParagraphs => later(new.date()),
        // Under a headline of its own, a copy with paragraphs on top of the
        // stored lead is a partner's local intro over the story, however
        // its entry is dated; under the story's headline it is the story's
        // own next version (an update written on top).
        Rule::SimilarHeadline | Rule::SimilarSharedParagraphs => {
            later(new.revised()) && !opens_over_the_stored_lead(overlap)
        }
        _ => false,
    };
    (newer && u64::from(new.words) * 10 >= u64::from(stored.words) * 9 && !same_words(new, stored))
        .then_some(Update::Newer)
}

/// Whether `new`, an upstream entry folded into the `stored` story as a
/// copy and edited upstream since (about as long as the stored text, and
/// still the same story by `verdict`), is a later version of that text, as
/// the test of a copy has it (`update`), its edit dated by its arrival
/// (an entry's edit is as new as its arrival): under the story's headline,
/// or that headline with words added or a word's spelling corrected
/// ([`headline::retitled_by_additions_or_corrections`]) over no paragraphs
/// of its own on top of the stored lead, the edit is the story's next
/// version; under a headline of its own (a partner's retitled copy, a
/// local intro over the story, the story cut), it is one only when the copy
/// itself would replace the stored text (it extends it, or it says it was
/// updated after it was published and gives no intro of its own), so the
/// edit of a partner's copy never takes the story over.
pub fn edit_is_later_version(new: &NearPrints, stored: &NearPrints, verdict: &Verdict) -> bool {
    if verdict.update.is_some() || new.title == stored.title || new.headline == stored.headline {
        return true;
    }
    matches!(
        verdict.rule,
        Rule::SimilarHeadline | Rule::SimilarSharedParagraphs
    ) && headline::retitled_by_additions_or_corrections(&new.headline, &stored.headline)
        && !opens_over_the_stored_lead(&verdict.overlap)
}

/// Whether `new`, the stored text under the same headline, is dated later
/// than it ([`NearPrints::date`]: when it says it was revised, else its
/// publication date), as a later version under a matching headline is:
/// a copy of the same words with its captions corrected is the story's
/// next version only so, never a copy read earlier or dated the same.
pub fn dated_later(new: &NearPrints, stored: &NearPrints) -> bool {
    matches!((new.date(), stored.date()), (Some(n), Some(s)) if n > s)
}

/// Whether the new copy opens with paragraphs of its own on top of the
/// stored text's lead, which it goes on with (a partner's local intro
/// over the wire's copy), rather than in place of it (a wire's update
/// with a new lead).
fn opens_over_the_stored_lead(overlap: &Overlap) -> bool {
    let (new_lead, stored_lead) = if overlap.new_is_longer {
        (overlap.longer_lead, overlap.shorter_lead)
    } else {
        (overlap.shorter_lead, overlap.longer_lead)
    };
    new_lead > 0 && stored_lead == 0
}

/// Whether the two bodies are the same words in the same order, however
/// they are paragraphed: equal [`NearPrints::body_key`]s (case, quotes,
/// punctuation and a wire dateline aside), or the new copy's words,
/// grouped again where the stored body breaks its paragraphs, give the
/// stored key. Such a copy is the text republished, not a later version
/// of it. Paragraphs run together or broken anew are told only for an
/// incoming copy, whose paragraph texts are kept whole.
pub fn same_words(new: &NearPrints, stored: &NearPrints) -> bool {
    if new.body_key == stored.body_key {
        return true;
    }
    if new.words != stored.words || new.paragraph_texts.len() != new.paragraphs.len() {
        return false;
    }
    let words: Vec<String> = new
        .paragraph_texts
        .iter()
        .flat_map(|text| super::simhash::words(text))
        .collect();
    if words.len() != new.words as usize {
        // A paragraph longer than the text kept of it.
        return false;
    }
    let mut key = super::simhash::StableHasher::default();
    let mut rest = &words[..];
    for (i, paragraph) in stored.paragraphs.iter().enumerate() {
        let (these, after) = rest.split_at(paragraph.words as usize);
        if i > 0 {
            key.write(b"\n");
        }
        for (n, word) in these.iter().enumerate() {
            if n > 0 {
                key.write(b" ");
            }
            key.write(word.as_bytes());
        }
        rest = after;
    }
    key.finish() == stored.body_key
}

/// Whether the stored text is a feed's teaser that runs the new copy's
/// first paragraphs together (its one paragraph opens with every word of
/// the new copy's first, and goes on), and the new copy is at least twice
/// as long: the full story, which replaces the teaser as `longer`.
fn fills_run_together_teaser(new: &NearPrints, stored: &NearPrints) -> bool {
    is_teaser(stored)
        && new.words >= 2 * stored.words
        && !new.lead_words.is_empty()
        && stored.lead_words.len() > new.lead_words.len()
        && stored.lead_words.starts_with(&new.lead_words)
}

/// The least share of the stored words a longer copy must hold to replace
/// the stored text.
const EXTENDS: f64 = 0.8;

/// Whether `new` extends the stored text (`overlap` is how their
/// paragraphs line up): more words, not counting those of its notes and
/// page furniture (`Related: …`), at least [`EXTENDS`] of the stored
/// words in paragraphs it has too, a full paragraph of its own, and
/// nothing of its own on top.
fn extends(new: &NearPrints, stored: &NearPrints, overlap: &Overlap) -> bool {
    let notes = if overlap.new_is_longer {
        overlap.longer_note_words
    } else {
        0
    };
    u64::from(new.words).saturating_sub(notes) > u64::from(stored.words)
        && overlap.contained >= EXTENDS
        && !overlap.longer_opens_with_own
        && overlap.longer_own_long > 0
}

/// Whether the stored copy `cut` is the new copy `whole` cut short
/// ([`Rule::CutCopy`]): their headlines fold to the same text; when both
/// give a publication date, it is the same (a dump read half-written
/// carries its whole's date line; two editions of a bulletin a day apart
/// are two items); and either `cut` has no body at all and `whole` has one
/// (a dump read after its header: headline, captions, date line, byline),
/// both give a publication date, and `cut` has no media files or the same
/// ones as `whole`,
/// or `cut` breaks off ([`NearPrints::cut_text`]), each of its paragraphs
/// before the last is `whole`'s paragraph at the same place (as the
/// containment rules say "the same paragraph"), `whole`'s paragraph at
/// the last one's place starts with the text `cut` breaks off with, folded
/// ([`NearPrints::paragraph_texts`]: "highs of 9c" opens no "highs of
/// 11c"), going on from where `cut` breaks off as `breaks_off` says, and
/// `whole` has no fewer words.
fn cut_short_of(cut: &NearPrints, whole: &NearPrints, breaks_off: BreaksOff) -> bool {
    let published = |prints: &NearPrints| prints.given_published().map(|d| d.trunc_subsecs(0));
    let dates = (published(cut), published(whole));
    if !same_headline_and_date(cut, whole) {
        return false;
    }
    let Some(last) = cut.paragraphs.len().checked_sub(1) else {
        // The header alone: with no text to match, only its date ties it
        // to this story and not to another under the headline ("Weather
        // Outlook"), so both must give it. No media files, or the same
        // ones (an episode's or a gallery's page has no text of its own).
        let dated = dates.0.is_some() && dates.1.is_some();
        return dated && whole.words > 0 && (cut.media == 0 || cut.media == whole.media);
    };
    !cut.cut_text.is_empty()
        && whole.words >= cut.words
        && whole
            .paragraph_texts
            .get(last)
            .is_some_and(|text| match breaks_off {
                BreaksOff::InsideAWord => continues_mid_word(text, &cut.cut_text),
                // Strictly longer: the same text again is no fuller copy.
                BreaksOff::Anywhere => {
                    text.starts_with(&cut.cut_text)
                        && (text.len() > cut.cut_text.len()
                            || whole.paragraphs.len() > cut.paragraphs.len())
                }
            })
        && cut.paragraphs[..last]
            .iter()
            .zip(&whole.paragraphs)
            .all(|(p, q)| same_paragraph(p, q))
}

/// Whether `cut` and `whole` could be one text read at two lengths: their
/// headlines fold to the same text and, when both give a publication
/// date, it is the same (a dump read half-written carries its whole's
/// date line; two editions of a bulletin a day apart are two items).
fn same_headline_and_date(cut: &NearPrints, whole: &NearPrints) -> bool {
    let published = |prints: &NearPrints| prints.given_published().map(|d| d.trunc_subsecs(0));
    let same_date = match (published(cut), published(whole)) {
        (Some(cut), Some(whole)) => cut == whole,
        _ => true,
    };
    !whole.headline.is_empty() && whole.headline == cut.headline && same_date
}

/// Whether the new copy `header` is the stored copy `whole`'s header read
/// before its text ([`Rule::CutCopy`] the other way round: a page or dump
/// read half-written after the whole story was stored): no body at all,
/// and `whole` is its whole copy as [`cut_short_of`] takes one with no
/// body. The stored text stays; the header is one more sighting of it.
fn header_of(header: &NearPrints, whole: &NearPrints) -> bool {
    header.paragraphs.is_empty() && cut_short_of(header, whole, BreaksOff::InsideAWord)
}

/// Where a copy cut short must break off for [`cut_short_of`] to take it.
#[derive(Debug, Clone, Copy)]
enum BreaksOff {
    /// Inside a word: all that tells the copy from a finished text whose
    /// next edition goes on from it (see [`continues_mid_word`]).
    InsideAWord,
    /// Anywhere: something else already says they are one article (the
    /// copies share the canonical link, or a rule folded them).
    Anywhere,
}

/// Whether `text` goes on from `cut` inside a word: it starts with `cut`,
/// which ends with a letter or digit, and a letter or digit follows, but
/// not a digit after a digit. A file read while it was written breaks off
/// anywhere, most often inside a word; a finished line that the next
/// edition extends ("No incidents reported", then "No incidents reported
/// on the A38 …") ends with a whole one, and so may a number the next
/// edition's starts with ("Delays on the A3", then "Delays on the A38").
fn continues_mid_word(text: &str, cut: &str) -> bool {
    text.strip_prefix(cut).is_some_and(|rest| {
        match (cut.chars().next_back(), rest.chars().next()) {
            (Some(last), Some(next)) => {
                last.is_alphanumeric()
                    && next.is_alphanumeric()
                    && !(last.is_numeric() && next.is_numeric())
            }
            _ => false,
        }
    })
}

/// The most words of a stored text that is a teaser (a feed's summary of
/// the article its link leads to).
pub const TEASER_WORDS: u32 = 80;

/// Whether a copy with the stored article's canonical link (the same
/// article by its address, found again elsewhere: a feed's teaser, then
/// its page) replaces the stored text ([`Rule::SameLink`]): when it
/// extends it, as a near-duplicate must to replace as `longer`, or when
/// the stored text is a teaser of at most [`TEASER_WORDS`] words and the
/// copy at least twice as long, with two full paragraphs of its own.
pub fn link_update(new: &NearPrints, stored: &NearPrints) -> Option<Update> {
    if new.words <= stored.words {
        return None;
    }
    let overlap = Overlap::of(new, stored);
    let fills_teaser = stored.words <= TEASER_WORDS
        && new.words >= 2 * stored.words
        && overlap.longer_own_long >= 2;
    (extends(new, stored, &overlap) || fills_teaser).then_some(Update::Longer)
}

/// Whether both copies have media files and not the same ones
/// ([`Rule::OtherMedia`]): one text over different recordings, a daily
/// bulletin's or a podcast's episodes, is different items.
pub fn other_media(new: &NearPrints, stored: &NearPrints) -> bool {
    new.media != 0 && stored.media != 0 && new.media != stored.media
}

/// Whether a copy with the stored article's canonical link tells the
/// stored story at all: it is the same story by the near-duplicate rules,
/// it fills or extends the stored text ([`link_update`]) under a headline
/// that matches or is similar or with a paragraph of it, the two bodies
/// share a paragraph that is not boilerplate (`shares_only_boilerplate`),
/// or its headline matches the stored one or is similar to it (one of the
/// two is about its text, and what they share about the copy's:
/// `shared_headline_terms_in_new_text`) and one of the two bodies is a teaser
/// (`is_teaser`). Two short bodies that share no paragraph are tied by a
/// headline only when they are dated less than [`EDITION_HOURS_APART`]
/// hours apart (`short_editions_days_apart`). Pages of two stories whose template gives one section
/// page as their canonical link do none of this: that link names no story,
/// and they stay apart; so do a newsletter's editions, each its own news
/// under the newsletter's headline and landing page. Nor does a copy over
/// other media files ([`other_media`]) whatever its text (a podcast's or a
/// bulletin's episodes each link to the show's page), or one dated more
/// than [`MAX_DAYS_APART`] days from it or an edition of another day
/// (`dated-apart`): only an exact repeat folds across that gap; nor one
/// whose lead names another place or person ([`Rule::OtherNames`]: two
/// towns' forecasts under a section page's link).
pub fn link_tells_the_story(new: &NearPrints, stored: &NearPrints, config: &NearConfig) -> bool {
    let verdict = compare(new, stored, config);
    if verdict.is_same() {
        return true;
    }
    if matches!(
        verdict.rule,
        Rule::DatedApart | Rule::OtherMedia | Rule::OtherNames
    ) {
        return false;
    }
    let similar = verdict.similarity >= config.headline_similarity
        && new.support().max(stored.support()) >= config.min_support
        && shared_headline_terms_in_new_text(new, stored, config);
    let headline_matches =
        new.title == stored.title || (!new.headline.is_empty() && new.headline == stored.headline);
    // Bodies that share no paragraph are tied by their headlines alone, and
    // not when both are short and dated a day or more apart: a
    // newsletter's or a bulletin's editions under its headline and landing
    // page, each its own news.
    let by_headline = (headline_matches || similar)
        && (verdict.overlap.found > 0 || !short_editions_days_apart(new, stored));
    // A text that fills a stored teaser tells its story only when the two
    // are about one thing by their headlines or a paragraph they share: a
    // teaser of another story filed under the page's link (an aggregator's
    // slip) stays apart whichever came first, as it does when it comes
    // after the page.
    let related = by_headline || verdict.overlap.found > 0;
    (related && link_update(new, stored).is_some())
        || (verdict.overlap.found > 0 && !shares_only_boilerplate(new, stored, &verdict.overlap))
        || (by_headline && (is_teaser(new) || is_teaser(stored)))
}

/// Whether two short bodies (each read as a teaser, [`is_teaser`]) are
/// dated [`EDITION_HOURS_APART`] hours apart or more (each spanning its
/// publication date to its update date): under one headline and link with
/// no paragraph in common, a daily newsletter's or bulletin's editions,
/// not a teaser corrected (dated from its first version on) nor a teaser
/// and the longer text it stands for.
fn short_editions_days_apart(new: &NearPrints, stored: &NearPrints) -> bool {
    is_teaser(new)
        && is_teaser(stored)
        && span_gap(new, stored)
            .is_some_and(|gap| gap >= chrono::Duration::hours(EDITION_HOURS_APART))
}

/// Whether what the two headlines share is about the new copy's text: at
/// least `min_support` of the [`headline::terms`] they have in common
/// occur in it. Headlines alike only by a series label they share
/// (`Morning Briefing: Storm Warnings Issued`, `Morning Briefing: Election
/// Results Delayed`) name nothing of the copy's story; one headline whose
/// terms are all the other's names the same story. Judged where the
/// copy's text is known (an incoming copy's,
/// [`NearPrints::paragraph_texts`]); true otherwise.
fn shared_headline_terms_in_new_text(
    new: &NearPrints,
    stored: &NearPrints,
    config: &NearConfig,
) -> bool {
    if new.paragraph_texts.is_empty() {
        return true;
    }
    let theirs = headline::terms(&stored.headline);
    let mine = headline::terms(&new.headline);
    let shared: Vec<&str> = mine
        .iter()
        .copied()
        .filter(|term| theirs.binary_search(term).is_ok())
        .collect();
    // One headline with words added to the other (`Harbour bridge
    // reopens`, `… after repairs`) names one story, whatever a teaser's
    // few words say.
    if shared.len() == mine.len() || shared.len() == theirs.len() {
        return true;
    }
    headline_support_in(
        &shared.join(" "),
        new.paragraph_texts.iter().map(String::as_str),
    ) >= config.min_support
}

/// Whether what two bodies share is boilerplate, not the story: both open
/// with a paragraph of their own ([`Overlap::both_lead`]), and neither's
/// own opening is anywhere in the other (a live page adds on top of its
/// lead, a word or two edited) — a newsletter footer or a police appeal's
/// closing lines under two stories, even under one generic headline; or
/// both open with one shared paragraph and then each with its own
/// ([`Overlap::own_under_shared_top`]).
fn shares_only_boilerplate(new: &NearPrints, stored: &NearPrints, overlap: &Overlap) -> bool {
    overlap.own_under_shared_top || leads_of_their_own(new, stored, overlap)
}

/// Whether both bodies open with a lead of their own before what they
/// share ([`Overlap::both_lead`], one shared paragraph on top aside), and
/// neither lead is anywhere in the other body: two stories' leads over
/// one set of closing lines, a follow-up's new lead over the story, two
/// partners' intros over the wire's text.
fn leads_of_their_own(new: &NearPrints, stored: &NearPrints, overlap: &Overlap) -> bool {
    overlap.shorter_lead > 0
        && overlap.longer_lead > 0
        && !overlap.leads_match
        && !opening_found_in(new, stored)
        && !opening_found_in(stored, new)
}

/// The fewest paragraphs two bodies must share under their local intros
/// for `intros_over_one_story`: the bulk of a story, not a closing line
/// or two.
pub const MIN_SHARED_UNDER_INTROS: u32 = 3;

/// Whether each body opens with one paragraph of its own and has no
/// other (`overlap`): everything after it lies in the other, at least
/// [`MIN_SHARED_UNDER_INTROS`] paragraphs. Two partners' intros over the
/// wire's text, a follow-up's new first paragraph over the story, or two
/// stories' leads over one site's closing lines.
fn one_paragraph_of_its_own_each(overlap: &Overlap) -> bool {
    overlap.shorter_lead == 1
        && overlap.longer_lead == 1
        && overlap.shorter_own == 1
        && overlap.longer_own == 1
        && !overlap.own_under_shared_top
        && overlap.found >= MIN_SHARED_UNDER_INTROS
}

/// Whether two copies under matching headlines, each opening with a lead
/// of its own over all of the other but its own
/// ([`one_paragraph_of_its_own_each`], [`leads_of_their_own`]), are two
/// partners' local intros over one story (the wire's text, whole): each
/// intro a whole paragraph (a newsletter's one-line items over its footer
/// are no intros), what they share at least [`MIN_SHARE_UNDER_INTROS`] of each body's
/// words; the headline is about it ([`headline_about_shared_not_intro`]:
/// a police appeal's closing lines name no burglary and no street); and
/// they are dated less than [`EDITION_HOURS_APART`] hours apart, or either
/// is undated (partners run the wire's story on the day; a follow-up that
/// puts a new lead over the story under its headline, or a bulletin's
/// next edition, comes a day later). Both opening with a paragraph of
/// their own otherwise keeps them apart ([`shares_only_boilerplate`]).
fn intros_over_one_story(
    new: &NearPrints,
    stored: &NearPrints,
    overlap: &Overlap,
    config: &NearConfig,
) -> bool {
    overlap.shorter_own_long == 1
        && overlap.longer_own_long == 1
        && contained(new, stored).min(contained(stored, new)) >= MIN_SHARE_UNDER_INTROS
        && span_gap(new, stored)
            .is_none_or(|gap| gap < chrono::Duration::hours(EDITION_HOURS_APART))
        && headline_about_shared_not_intro(new, stored, overlap, config)
}

/// The least share of each body's words in the paragraphs two bodies
/// share under their local intros (`intros_over_one_story`): more than
/// the intros, however short the story.
pub const MIN_SHARE_UNDER_INTROS: f64 = 0.5;

/// Whether the headline (both match) is about what two bodies share at
/// least as much as about the new copy's own first paragraph: at least
/// `min_support` of its terms in the paragraphs they share
/// ([`longer_headline_support_in_shared`]), and no fewer than in that
/// first paragraph. A partner's intro adds a local angle to the wire's
/// story, which the headline names; a story's own lead over a site's
/// closing lines is what the headline names, and the closing lines may
/// share a word or two with it (the town in the paper's name).
fn headline_about_shared_not_intro(
    new: &NearPrints,
    stored: &NearPrints,
    overlap: &Overlap,
    config: &NearConfig,
) -> bool {
    let in_intro = new
        .paragraph_texts
        .first()
        .map(|intro| headline_support_in(&new.headline, [intro.as_str()]));
    match (
        longer_headline_support_in_shared(new, stored, overlap),
        in_intro,
    ) {
        (Some(shared), Some(intro)) => shared >= config.min_support && shared >= intro,
        _ => false,
    }
}

/// The share of a folded headline's terms ([`headline::terms`]) that
/// occur, as stems of their words, in `texts`; 0 for a headline without
/// terms.
fn headline_support_in<'a>(headline: &str, texts: impl IntoIterator<Item = &'a str>) -> f64 {
    let terms = headline::terms(headline);
    let (mut scratch, mut words) = (String::new(), Vec::new());
    for text in texts {
        super::simhash::words_into(text, &mut scratch, &mut words);
    }
    let stems: std::collections::HashSet<&str> = words.iter().map(|w| headline::stem(w)).collect();
    let found = terms.iter().filter(|t| stems.contains(*t)).count();
    ratio(found as u64, terms.len() as u64)
}

/// Whether a body reads as a feed's teaser of a page: at most
/// [`TEASER_WORDS`] words, in one paragraph of [`MIN_FUZZY_SHINGLES`]
/// shingles or more at most. Under one headline, a teaser and another text
/// are one story told at two lengths; two bodies of several paragraphs
/// with nothing in common are two stories (a newsletter's editions).
fn is_teaser(prints: &NearPrints) -> bool {
    prints.words <= TEASER_WORDS
        && prints
            .paragraphs
            .iter()
            .filter(|p| p.shingles >= MIN_FUZZY_SHINGLES)
            .count()
            <= 1
}

/// How a copy with the stored article's canonical link that tells its
/// story ([`link_tells_the_story`]) replaces the stored text: as
/// [`link_update`] has it, or as the whole text of a stored copy cut short
/// (a page or push broken off, [`Update::Longer`]), else
/// when the near-duplicate rules find it a later version of the text
/// ([`Update::Newer`]: a corrected page, dated later, no shorter than nine
/// tenths of it). Bodies too short for those rules (`too_short`: a feed's
/// one- or two-sentence teaser, corrected upstream under a new guid) are
/// the one article by the link, and are weighed under the rule their
/// headlines give (`short_body_headline_rule`): under a matching
/// headline, a copy dated later is the later version however short, as
/// long as it keeps nine tenths of the stored words.
/// A bulletin's next edition under the link stays apart before this
/// ([`link_tells_the_story`], `dated-apart`).
pub fn same_link_update(
    new: &NearPrints,
    stored: &NearPrints,
    config: &NearConfig,
) -> Option<Update> {
    let longer = link_update(new, stored)
        .or_else(|| cut_short_of(stored, new, BreaksOff::Anywhere).then_some(Update::Longer));
    longer.or_else(|| {
        let verdict = compare(new, stored, config);
        // The link says the bodies are one article; too short for the near
        // rules, their headlines tell how the copy is dated against it.
        let replaces = match verdict.rule {
            Rule::TooShort => short_body_headline_rule(new, stored, config)
                .and_then(|rule| update(new, stored, &verdict.overlap, rule)),
            _ => verdict.update,
        };
        (replaces == Some(Update::Newer)).then_some(Update::Newer)
    })
}

/// The most days two dated copies of one story lie apart: each spans its
/// publication date to its update date, and the gap between the spans
/// counts (`dated-apart`, [`Rule::DatedApart`]).
pub const MAX_DAYS_APART: i64 = 14;

/// Whether the two copies are dated more than [`MAX_DAYS_APART`] days
/// apart: each spans its publication date to its update date, and the gap
/// between the spans counts. An undated copy is near every date.
fn dated_apart(new: &NearPrints, stored: &NearPrints) -> bool {
    span_gap(new, stored).is_some_and(|gap| gap > chrono::Duration::days(MAX_DAYS_APART))
}

/// The time between two dated copies: each spans its publication date to
/// its update date, and the gap between the spans counts (none when they
/// overlap, negative). `None` when either is undated.
fn span_gap(new: &NearPrints, stored: &NearPrints) -> Option<chrono::Duration> {
    let span = |prints: &NearPrints| {
        prints.given_published().map(|published| {
            (
                published,
                super::update_as_stored(Some(published), prints.updated).unwrap_or(published),
            )
        })
    };
    let ((new_from, new_to), (stored_from, stored_to)) = (span(new)?, span(stored)?);
    Some(new_from.max(stored_from) - new_to.min(stored_to))
}

/// The fewest hours between two dated copies whose bodies differ only in
/// their figures for them to be a bulletin's editions
/// (`editions_of_figures`): a day's edition comes a day after the last.
pub const EDITION_HOURS_APART: i64 = 20;

/// Whether the two bodies differ only in their figures (equal
/// [`NearPrints::figures_key`], other [`NearPrints::body_key`]) and the
/// copies are dated at least [`EDITION_HOURS_APART`] hours apart: a daily
/// bulletin's editions under one headline (`Calder tide times`, the day's
/// fuel prices or exchange rates over the same explanatory text), each its
/// own news. A story corrected in a figure keeps its publication date, so
/// its span reaches the correction's; a copy of it republished the next day
/// with the figure it had is the same text.
fn editions_of_figures(new: &NearPrints, stored: &NearPrints) -> bool {
    if new.figures_key == 0 || new.figures_key != stored.figures_key {
        return false;
    }
    if new.body_key == stored.body_key {
        return false;
    }
    span_gap(new, stored).is_some_and(|gap| gap >= chrono::Duration::hours(EDITION_HOURS_APART))
}

/// Whether the headlines differ only in the day they name, and each names
/// a day the other does not (`Tide times for Monday 30 November`, `… for
/// Tuesday 1 December`): a daily bulletin's editions, whose bodies share
/// their template, not one story. Every word the headlines do not share
/// is part of a date (a weekday, a month, a day of the month, a year),
/// each side has a weekday or a month among them, and copies that both
/// give a publication date give two days. A death toll that rose from 12
/// to 15 names no other day.
fn headlines_name_other_days(new: &NearPrints, stored: &NearPrints) -> bool {
    if new.headline == stored.headline || dated_the_same_day(new, stored) {
        return false;
    }
    let named = |word: &str| crate::ingest::date::day_or_month_name(word);
    let words = |prints: &NearPrints| {
        prints
            .headline
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (a, b) = (words(new), words(stored));
    let only = |x: &[String], y: &[String]| {
        let mut rest = y.to_vec();
        x.iter()
            .filter(|w| match rest.iter().position(|r| r == *w) {
                Some(at) => {
                    rest.swap_remove(at);
                    false
                }
                None => true,
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    let (a_only, b_only) = (only(&a, &b), only(&b, &a));
    let dates_only = |words: &[String]| {
        words.iter().any(|w| named(w)) && words.iter().all(|w| named(w) || date_numeral(w))
    };
    let shared = a.len() - a_only.len();
    shared >= 2 && dates_only(&a_only) && dates_only(&b_only)
}

/// Whether a folded word is a date's number: a day of the month (`3`,
/// `3rd`) or a year (`2026`).
fn date_numeral(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    matches!(suffix, "" | "st" | "nd" | "rd" | "th")
        && digits
            .parse::<u32>()
            .is_ok_and(|n| (1..=31).contains(&n) || (1900..=2100).contains(&n))
}

/// Whether both copies give a publication date, on the same day.
fn dated_the_same_day(new: &NearPrints, stored: &NearPrints) -> bool {
    let day = |prints: &NearPrints| prints.given_published().map(|d| d.date_naive());
    matches!((day(new), day(stored)), (Some(x), Some(y)) if x == y)
}

/// How the new copy's first paragraph edits the stored one, when the two
/// are one lead edited with a word or more in place of others: lightly
/// ([`light_edit`]) for [`LeadEdit::names_other_days`], or with fewer
/// words than a clause changed ([`LeadEdit::naming`]) for
/// [`LeadEdit::names_others`]. What tells two editions of a template
/// apart. Known for an incoming copy only, whose lead's words are kept.
struct LeadEdit {
    /// Which of the new copy's first two paragraphs is weighed: its lead,
    /// or the lead under its local intro.
    at: usize,
    /// The folded words of that paragraph ([`opening_word_texts`]).
    words: Vec<String>,
    /// Where they replace the stored lead's ([`word_replacements`]):
    /// never empty.
    replacements: Vec<(usize, u16)>,
    /// Whether the replacements are all that differs: no word inserted or
    /// dropped, every other word the stored one at its place.
    in_place: bool,
}

impl LeadEdit {
    /// The light edit from `stored`'s lead to `new`'s ([`light_edit`]);
    /// `None` when no word stands in place of another, the leads are
    /// further apart, or `new`'s lead words are not known.
    fn of(new: &NearPrints, stored: &NearPrints) -> Option<LeadEdit> {
        let (ours, theirs) = (new.opening_words(0)?, stored.opening_words(0)?);
        let most = MAX_LEAD_EDITS.max(ours.len().max(theirs.len()) / LIGHT_EDIT_WORDS);
        LeadEdit::between(new, 0, stored, 0, most)
    }

    /// The edit from `stored`'s paragraph `j` to `new`'s paragraph `i`,
    /// each one of the first two, when they are fewer than
    /// [`MIN_CLAUSE_WORDS`] words apart: one lead, or a template's lead
    /// with its slots filled anew (another town, and the day's figures and
    /// sky: "Westmere will see a cloudy start … highs of 9C", "Port Calder
    /// will see a bright start … highs of 11C"), not a lead rewritten
    /// around the other ([`lead_rewritten_around`]). What
    /// [`LeadEdit::names_others`] weighs.
    fn naming(new: &NearPrints, i: usize, stored: &NearPrints, j: usize) -> Option<LeadEdit> {
        LeadEdit::between(new, i, stored, j, MIN_CLAUSE_WORDS - 1)
    }

    /// The edit from `stored`'s paragraph `j` to `new`'s paragraph `i`,
    /// each one of the first two, whose words the prints keep
    /// ([`NearPrints::opening_words`]), at most `most` words apart; `None`
    /// when no word stands in place of another, they are further apart,
    /// or the words of either, or `new`'s texts, are not kept.
    fn between(
        new: &NearPrints,
        i: usize,
        stored: &NearPrints,
        j: usize,
        most: usize,
    ) -> Option<LeadEdit> {
        let (ours, theirs) = (new.opening_words(i)?, stored.opening_words(j)?);
        let replacements = word_replacements(ours, theirs, most);
        if replacements.is_empty() {
            return None;
        }
        let in_place = ours.len() == theirs.len()
            && ours.iter().zip(theirs).filter(|(a, b)| a != b).count() == replacements.len();
        let words = opening_word_texts(new, i)?;
        Some(LeadEdit {
            at: i,
            words,
            replacements,
            in_place,
        })
    }

    /// Whether a word put in is a weekday or a month ("sunny spells on
    /// Friday" for "on Thursday"), or the number of a date beside a month
    /// ("4 December" for "3 December"). A daily bulletin's editions (a
    /// forecast, a tide table) repeat their template under one headline,
    /// and the day is all that tells one from the next; a day corrected in
    /// a story on the day it ran is an edit, so [`compare`] asks only of
    /// copies not both dated on one day.
    fn names_other_days(&self) -> bool {
        let words = &self.words;
        let month_beside = |i: usize| {
            [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| words.get(j))
                .any(|w| crate::ingest::date::day_or_month_name(w))
        };
        self.replacements.iter().any(|&(i, _)| {
            crate::ingest::date::day_or_month_name(&words[i])
                || (date_numeral(&words[i]) && month_beside(i))
        })
    }

    /// Whether a word put in is written as a name in `new`
    /// ([`NearPrints::lead_names`]: a place, a person, not a day) and is
    /// not the stored word respelled (one letter added, dropped, changed
    /// or two swapped). Two towns' forecasts, or two clubs' results, from
    /// one template under one headline are two reports
    /// ([`Rule::OtherNames`]); a name's typo fixed is an edit.
    fn names_others(&self, new: &NearPrints) -> bool {
        let names = new.opening_names(self.at);
        if names.len() == self.words.len()
            && self.replacements.iter().any(|&(i, stored_word)| {
                names[i]
                    && !crate::ingest::date::day_or_month_name(&self.words[i])
                    && !respelled(&self.words[i], stored_word)
            })
        {
            return true;
        }
        self.names_others_without_case()
    }

    /// Whether the words put in, in Chinese, which has no capitals to tell
    /// a name by, are another place's or body's name: two ideographs or
    /// more side by side in one span of a lead whose other words are the
    /// stored lead's, in their places (a template's slot filled anew), the
    /// span ending in, or followed by, the mark of a place or an
    /// organisation (`北京市` made `天津市`). One ideograph put right is a
    /// typo fixed; a word rewritten (`增加` made `减少`), figures and
    /// numerals (`三四级` made `四五级`) and words inserted or dropped are
    /// edits, as with names told by their capitals.
    fn names_others_without_case(&self) -> bool {
        let mut at: Vec<usize> = self.replacements.iter().map(|&(i, _)| i).collect();
        at.sort_unstable();
        let side_by_side = at.windows(2).all(|pair| pair[1] == pair[0] + 1);
        let ideograph = |word: &str| {
            let mut chars = word.chars();
            chars
                .next()
                .is_some_and(crate::dedup::headline::is_ideograph)
                && chars.next().is_none()
                && caseless_word(word)
        };
        let (Some(&first), Some(&last)) = (at.first(), at.last()) else {
            return false;
        };
        let place_mark = |i: usize| {
            self.words
                .get(i)
                .is_some_and(|word| PLACE_MARKS.contains(word.as_str()))
        };
        self.in_place
            && side_by_side
            && last > first
            && at.iter().all(|&i| ideograph(&self.words[i]))
            && (place_mark(last) || place_mark(last + 1))
    }
}

/// The ideographs that close a Chinese name of a place or an organisation:
/// city, province, county, district, state, town, village, island, port,
/// country, team, station, bureau, department, institute, agency.
const PLACE_MARKS: &str = "市省县縣区區州镇鎮村乡鄉岛島港国國队隊站局厅廳部院社";

/// Numerals written in ideographs (`三`, `万`, `億`), which count and
/// measure as figures do: no part of a name.
const IDEOGRAPHIC_NUMERALS: &str = "〇零一二两兩三四五六七八九十百千万萬亿億兆";

/// Whether `word` (folded) is written in a script without capitals and is
/// no figure: letters none of which has a case, none a digit nor an
/// ideographic numeral.
fn caseless_word(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
        && word.chars().all(|c| {
            !(c.is_uppercase()
                || c.is_lowercase()
                || c.is_numeric()
                || IDEOGRAPHIC_NUMERALS.contains(c))
        })
}

/// Whether the two copies' leads are one template's with a name put in
/// place of another word ([`LeadEdit::naming`], [`LeadEdit::names_others`]):
/// the two first paragraphs, or one copy's lead under the other's local
/// intro, one place down (the new copy's lead against the paragraph under
/// a stored article's intro, or the paragraph under the new copy's intro
/// against the stored lead). Two towns' reports from one template stay two
/// reports whichever carries a partner's intro on top.
fn leads_name_others(new: &NearPrints, stored: &NearPrints) -> bool {
    [(0, 0), (0, 1), (1, 0)].into_iter().any(|(i, j)| {
        LeadEdit::naming(new, i, stored, j).is_some_and(|edit| edit.names_others(new))
    })
}

/// The folded words of the new copy's paragraph `i`, one of the first
/// two, one for each word its prints keep of it
/// ([`NearPrints::opening_words`]); `None` when its prints keep no
/// paragraph text (a stored article's) or no words of it.
fn opening_word_texts(prints: &NearPrints, i: usize) -> Option<Vec<String>> {
    let kept = prints.opening_words(i)?;
    let text = prints.paragraph_texts.get(i)?;
    let words = super::simhash::words(text);
    (words.len() == kept.len()).then_some(words)
}

/// Where the paragraphs with the words `a` (the new copy's) and `b` (the
/// stored one's), at most `most` words apart, have one word in place of
/// another: each such word's place in `a`, and the stored word's hash (as
/// [`NearPrints::lead_words`] keep it). Words inserted or deleted ("on
/// Monday" made "on Monday night") are no replacement. Empty for
/// paragraphs further apart.
fn word_replacements(a: &[u16], b: &[u16], most: usize) -> Vec<(usize, u16)> {
    if a == b || !word_edits_within(a, b, most) {
        return Vec::new();
    }
    let (n, m) = (a.len(), b.len());
    // The word edit distance of every pair of prefixes, then the way back
    // through the table, taking a replacement where one costs no more.
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let replaced = table[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            table[i][j] = replaced.min(table[i - 1][j] + 1).min(table[i][j - 1] + 1);
        }
    }
    let (mut i, mut j, mut replacements) = (n, m, Vec::new());
    while i > 0 && j > 0 {
        let differ = a[i - 1] != b[j - 1];
        if table[i][j] == table[i - 1][j - 1] + usize::from(differ) {
            if differ {
                replacements.push((i - 1, b[j - 1]));
            }
            (i, j) = (i - 1, j - 1);
        } else if table[i][j] == table[i - 1][j] + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    replacements
}

/// Whether the word with hash `other` (as [`NearPrints::lead_words`] keep
/// it) is `word` respelled: one letter added, dropped or changed (for a
/// letter of the Latin alphabet or of the word), or two
/// side by side swapped ("Brannigan" and "Branigan", "centre" and
/// "center"), or two letters side by side dropped or added, vowels or
/// letters the word has ("jewellery" and "jewelry", "catalogue" and
/// "catalog"). A hash shared by chance (about one in 65,536 per spelling
/// tried, some fifteen hundred spellings for a name of eight letters) only
/// takes another name for a respelling, as before names were told apart;
/// two letters added anywhere apart would be ten thousand spellings, and
/// take one town in seven for another respelled, as one copy's name
/// against the other's hash and not the other way round.
fn respelled(word: &str, other: u16) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let mut letters: Vec<char> = ('a'..='z').chain(chars.iter().copied()).collect();
    letters.sort_unstable();
    letters.dedup();
    let mut own: Vec<char> = "aeiou".chars().chain(chars.iter().copied()).collect();
    own.sort_unstable();
    own.dedup();
    let matches =
        |spelling: &Vec<char>| super::word_hash(&spelling.iter().collect::<String>()) == other;
    let pairs: Vec<Vec<char>> = own
        .iter()
        .flat_map(|&first| own.iter().map(move |&second| vec![first, second]))
        .collect();
    spellings_one_edit_away(&chars, &letters)
        .iter()
        .chain(&dropped_side_by_side(&chars, 2))
        .chain(&inserted_anywhere(&chars, &pairs))
        .any(matches)
}

/// The spellings one edit away from `chars`: a letter of `letters` added
/// anywhere, a letter dropped or changed for one of `letters`, or two side
/// by side swapped.
fn spellings_one_edit_away(chars: &[char], letters: &[char]) -> Vec<Vec<char>> {
    let single: Vec<Vec<char>> = letters.iter().map(|&letter| vec![letter]).collect();
    let mut out = inserted_anywhere(chars, &single);
    out.extend(dropped_side_by_side(chars, 1));
    for at in 0..chars.len() {
        for &letter in letters {
            let mut changed = chars.to_vec();
            changed[at] = letter;
            out.push(changed);
        }
        if at + 1 < chars.len() {
            let mut swapped = chars.to_vec();
            swapped.swap(at, at + 1);
            out.push(swapped);
        }
    }
    out
}

/// `chars` with `count` letters side by side dropped, at each place in
/// turn.
fn dropped_side_by_side(chars: &[char], count: usize) -> Vec<Vec<char>> {
    (0..chars.len().saturating_sub(count - 1))
        .map(|at| {
            let mut dropped = chars.to_vec();
            dropped.drain(at..at + count);
            dropped
        })
        .collect()
}

/// `chars` with each of `pieces` inserted, at each place in turn.
fn inserted_anywhere(chars: &[char], pieces: &[Vec<char>]) -> Vec<Vec<char>> {
    (0..=chars.len())
        .flat_map(|at| {
            pieces.iter().map(move |piece| {
                let mut inserted = chars.to_vec();
                inserted.splice(at..at, piece.iter().copied());
                inserted
            })
        })
        .collect()
}

/// The most paragraphs of its own a text may open with before the
/// paragraphs it shares with the other, for the containment rules: one (a
/// local paper's intro over wire copy). More is a new lead over reused
/// background: a follow-up, another story.
pub const MAX_NEW_LEAD: u32 = 1;

/// The fewest paragraphs of its own (of at least [`MIN_FUZZY_SHINGLES`]
/// shingles) that a longer body goes on with after all it shares, under a
/// headline neither matching nor similar to the other's, for it to be a
/// digest that opens with the other story and moves on to other items, not
/// the story extended: an update or a correction appends one.
pub const ROUNDUP_ITEMS: u32 = 2;

/// The share of the longer body's headline terms ([`headline::terms`])
/// that occur, as stems of their words, in the paragraphs the two bodies
/// share (`overlap`): whether the longer one is headlined as the story
/// they share or as something else (a digest's "Business briefing: what
/// moved the markets today" over an earnings story). Read in the new
/// copy's [`NearPrints::paragraph_texts`], its paragraphs the stored body
/// has too: whichever copy is longer, the new one holds what they share,
/// and the store keeps no paragraph text. `None` when the new copy's
/// prints keep no paragraph text either, or the longer headline has no
/// terms.
fn longer_headline_support_in_shared(
    new: &NearPrints,
    stored: &NearPrints,
    overlap: &Overlap,
) -> Option<f64> {
    let longer = if overlap.new_is_longer { new } else { stored };
    if headline::terms(&longer.headline).is_empty()
        || new.paragraph_texts.len() != new.paragraphs.len()
    {
        return None;
    }
    let first_found = overlap.lead_edited;
    let in_stored = ParagraphFinder::of(&stored.paragraphs);
    let shared = new
        .paragraphs
        .iter()
        .zip(&new.paragraph_texts)
        .enumerate()
        .filter(|(i, (p, _))| {
            (*i == 0 && first_found) || in_stored.has(p, *i, same_paragraph, |_| false)
        })
        .map(|(_, (_, text))| text.as_str());
    Some(headline_support_in(&longer.headline, shared))
}

/// How the paragraphs of two bodies line up, as the containment rules see
/// it: the shorter body (fewer words) against the longer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Overlap {
    /// Paragraphs of the shorter body found in the longer (the same
    /// paragraph, or within [`PARAGRAPH_DISTANCE`] bits).
    pub found: u32,
    /// Paragraphs of the shorter body.
    pub of: u32,
    /// The share of the shorter body's words in paragraphs found in the
    /// longer.
    pub contained: f64,
    /// The larger of the two bodies' shares of words found in the other,
    /// each counted without the paragraphs it opens with of its own.
    pub after_lead: f64,
    /// Paragraphs of its own (of at least [`MIN_FUZZY_SHINGLES`]
    /// shingles, or short sentences, first or after one of those: a
    /// one-line lead of its own) that the shorter
    /// and the longer body open with before the first one they share.
    pub shorter_lead: u32,
    pub longer_lead: u32,
    /// Whether the longer body opens with anything of its own, however
    /// short (a byline, a one-line intro), before what it shares: a local
    /// intro known as such ([`NearPrints::intro_over_story`]) too.
    pub longer_opens_with_own: bool,
    /// Paragraphs of the shorter and of the longer body, of at least
    /// [`MIN_FUZZY_SHINGLES`] shingles, that the other has not.
    pub shorter_own_long: u32,
    pub longer_own_long: u32,
    /// Paragraphs of the shorter and of the longer body that the other has
    /// not and that count as text of its own: those of at least
    /// [`MIN_FUZZY_SHINGLES`] shingles, and the short sentences its lead
    /// counts (`shorter_lead`, `longer_lead`).
    pub shorter_own: u32,
    pub longer_own: u32,
    /// Those of them after the last paragraph the longer shares.
    pub longer_trailing: u32,
    /// Words of the longer body in notes and page furniture of its own (a
    /// republisher's note, `Related: …`), no text of the story.
    pub longer_note_words: u64,
    /// Whether the two bodies' first paragraphs are one lead, edited or
    /// not: at most [`MAX_LEAD_EDITS`] words apart ([`lead_edited`]), or,
    /// when the prints of either keep no lead words (stored before they
    /// were kept, or a lead too short or too long to keep them for), within
    /// [`PARAGRAPH_DISTANCE`] bits.
    pub leads_match: bool,
    /// Whether the first paragraphs are at most [`MAX_LEAD_EDITS`] words
    /// apart ([`lead_edited`]): then each counts as found in the other,
    /// and neither opens with a lead of its own.
    pub lead_edited: bool,
    /// Whether both bodies open with the same paragraph (as
    /// `same_paragraph` has it, or their first paragraphs a word or two
    /// apart) and go on each with a paragraph of its own (as `shorter_lead`
    /// counts them) before anything else they share, and neither of these
    /// is anywhere in the other body even within [`PARAGRAPH_DISTANCE`]
    /// bits (not one paragraph with a typo fixed): a series standfirst or
    /// an editor's note on top of two stories, which share no more than
    /// that and their footer.
    pub own_under_shared_top: bool,
    /// Whether the new copy is the longer body.
    pub new_is_longer: bool,
}

impl Overlap {
    /// Whether both bodies open with a paragraph of their own before what
    /// they share (not one lead with a word or two edited), or with one
    /// paragraph they share on top (a series standfirst, an editor's note)
    /// and then each with one of its own.
    pub fn both_lead(&self) -> bool {
        (self.shorter_lead > 0 && self.longer_lead > 0 && !self.leads_match)
            || self.own_under_shared_top
    }

    /// How `new`'s paragraphs and `stored`'s line up.
    pub fn of(new_prints: &NearPrints, stored_prints: &NearPrints) -> Overlap {
        let (new, stored) = (&new_prints.paragraphs[..], &stored_prints.paragraphs[..]);
        let words = |ps: &[ParagraphPrint]| ps.iter().map(|p| u64::from(p.words)).sum::<u64>();
        let new_is_longer = words(new) > words(stored);
        let (shorter, longer) = if new_is_longer {
            (stored, new)
        } else {
            (new, stored)
        };
        let edited = lead_edited(new_prints, stored_prints);
        let lead_edited = edited == Some(true);
        let leads_apart = lead_rewritten_around(new_prints, stored_prints);
        // Which paragraphs are the other body's at their place, edited: the
        // first a word or two apart, any other lightly edited.
        let in_place = (0..new.len().max(stored.len()))
            .map(|i| {
                if i == 0 {
                    lead_edited
                } else {
                    edited_in_place(new_prints, stored_prints, i)
                }
            })
            .collect::<Vec<bool>>();
        // And which are the other body's one place up or down, edited: the
        // wire's lead, a figure corrected since, under a local intro.
        let (new_moved, stored_moved) = edited_one_place_apart(new_prints, stored_prints);
        let marked = |moved: &[bool]| -> Vec<bool> {
            (0..moved.len())
                .map(|i| moved[i] || in_place.get(i) == Some(&true))
                .collect()
        };
        let (in_shorter, in_longer) = if new_is_longer {
            (marked(&stored_moved), marked(&new_moved))
        } else {
            (marked(&new_moved), marked(&stored_moved))
        };
        // A note the longer body adds on where it was published first, and
        // page furniture it keeps (a link to another story, `Related: …`),
        // are no text of the story: the shorter's are never weighed as the
        // longer's own.
        let (shorter_prints, longer_prints) = if new_is_longer {
            (stored_prints, new_prints)
        } else {
            (new_prints, stored_prints)
        };
        let notes: Vec<bool> = (0..longer.len())
            .map(|i| {
                longer_prints
                    .paragraph_texts
                    .get(i)
                    .is_some_and(|text| republication_note(text) || page_furniture(text))
            })
            .collect();
        // An editor's note, a correction or an update line on top of
        // either body ([`editors_note_at`]) is no lead of its own: two
        // copies of one story under two such notes are that story, not two
        // one-line leads over shared closing lines.
        let editors_notes = |prints: &NearPrints, len: usize| -> Vec<bool> {
            (0..len).map(|i| editors_note_at(prints, i)).collect()
        };
        let (mut s, mut l) = (
            Side::of(
                shorter,
                longer,
                &in_shorter,
                leads_apart,
                (&[], &editors_notes(shorter_prints, shorter.len())),
            ),
            Side::of(
                longer,
                shorter,
                &in_longer,
                leads_apart,
                (&notes, &editors_notes(longer_prints, longer.len())),
            ),
        );
        // Whether the longer body opens with text of its own is told
        // before a known local intro is left out below: the intro is no
        // lead for telling the story, but it is still on top of the text a
        // copy would bring ([`extends`]).
        let longer_opens_with_own = l.lead_words > 0;
        // A stored article's local intro, known from a copy of the story
        // without it folded into it, is no paragraph of its own, whichever
        // side it is on: the other is weighed as against the story under
        // it (a stored article weighed again once so marked is the new side).
        for (prints, is_new) in [(new_prints, true), (stored_prints, false)] {
            if prints.intro_over_story
                && let Some(intro) = prints.paragraphs.first()
            {
                let side = if is_new == new_is_longer {
                    &mut l
                } else {
                    &mut s
                };
                side.leave_out_intro(intro);
            }
        }
        Overlap {
            found: s.found,
            of: shorter.len() as u32,
            contained: s.share(),
            after_lead: s.share_after_lead().max(l.share_after_lead()),
            shorter_lead: s.lead,
            longer_lead: l.lead,
            longer_opens_with_own,
            shorter_own_long: s.own_long,
            longer_own_long: l.own_long,
            shorter_own: s.own,
            longer_own: l.own,
            longer_trailing: l.trailing,
            longer_note_words: l.note_words,
            leads_match: edited.unwrap_or_else(|| {
                matches!((new.first(), stored.first()), (Some(p), Some(q)) if paragraphs_match(p, q))
            }),
            lead_edited,
            own_under_shared_top: shorter.len() > 1
                && longer.len() > 1
                && (lead_edited || same_paragraph(&shorter[0], &longer[0]))
                && Side::of(&shorter[1..], longer, &in_place[1..], false, (&[], &[])).lead > 0
                && Side::of(&longer[1..], shorter, &in_place[1..], false, (&notes[1..], &[])).lead > 0
                && !longer.iter().any(|q| paragraphs_match(&shorter[1], q))
                && !shorter.iter().any(|q| paragraphs_match(&longer[1], q)),
            new_is_longer,
        }
    }

    /// The larger of the two bodies' new leads, in paragraphs.
    pub fn new_lead(&self) -> u32 {
        self.shorter_lead.max(self.longer_lead)
    }

    /// The figures behind the verdict, as `feedfold dups` shows them.
    pub fn evidence(&self) -> Evidence {
        Evidence {
            found: self.found,
            of: self.of,
            new_lead: self.new_lead(),
        }
    }
}

/// One body's paragraphs as found in the other's.
struct Side {
    words: u64,
    found_words: u64,
    found: u32,
    /// Paragraphs of its own it opens with (of at least
    /// [`MIN_FUZZY_SHINGLES`] shingles, or a short one that reads as a
    /// sentence, first or after one of those), and their words (of every paragraph of
    /// its own it opens with, however short).
    lead: u32,
    lead_words: u64,
    /// Paragraphs of its own anywhere, of at least [`MIN_FUZZY_SHINGLES`]
    /// shingles, and those after the last it shares.
    own_long: u32,
    trailing: u32,
    /// Paragraphs of its own that count: those `own_long` counts and the
    /// short sentences `lead` counts.
    own: u32,
    /// Words of the notes it has of its own.
    note_words: u64,
}

impl Side {
    /// `inner`'s paragraphs as found in `outer`; those `in_place` marks
    /// (by their index in `inner`) are found: each is `outer`'s paragraph
    /// at its place, edited (the first a word or two apart, [`lead_edited`];
    /// any other lightly, [`edited_in_place`]). With `leads_apart`, the
    /// first paragraphs of the two are not one whatever their prints
    /// ([`lead_rewritten_around`]). Those `notes` marks are, when not
    /// found, no paragraph of its own however long: a note on where the
    /// text was published first ([`republication_note`]); and those
    /// `editors_notes` marks are no paragraph of a lead (an editor's note
    /// on top, [`editors_note_at`]), though still text of its own.
    fn of(
        inner: &[ParagraphPrint],
        outer: &[ParagraphPrint],
        in_place: &[bool],
        leads_apart: bool,
        (notes, editors_notes): (&[bool], &[bool]),
    ) -> Side {
        let mut side = Side {
            words: 0,
            found_words: 0,
            found: 0,
            lead: 0,
            lead_words: 0,
            own_long: 0,
            trailing: 0,
            own: 0,
            note_words: 0,
        };
        let mut opening = true;
        let outer = ParagraphFinder::of(outer);
        for (i, p) in inner.iter().enumerate() {
            side.words += u64::from(p.words);
            let found_in_outer =
                outer.has(p, i, same_paragraph, |j| leads_apart && i == 0 && j == 0);
            if in_place.get(i) == Some(&true) || found_in_outer {
                opening = false;
                side.found += 1;
                side.found_words += u64::from(p.words);
                side.trailing = 0;
            } else {
                let note = notes.get(i) == Some(&true);
                side.note_words += if note { u64::from(p.words) } else { 0 };
                let long = p.shingles >= MIN_FUZZY_SHINGLES && !note;
                // A short sentence opening the body is a lead of its own ("A
                // house in Westmere was burgled on Thursday night."), and
                // one carries on the lead it follows ("The council said it
                // would appeal."); page furniture ("Advertisement", "Read
                // more: …") is no paragraph of a lead.
                let in_lead = opening
                    && editors_notes.get(i) != Some(&true)
                    && (long || (p.sentence && (i == 0 || side.lead > 0)));
                side.own_long += u32::from(long);
                side.own += u32::from(long || in_lead);
                side.trailing += u32::from(long && !opening);
                if opening {
                    side.lead_words += u64::from(p.words);
                    side.lead += u32::from(in_lead);
                }
            }
        }
        side
    }

    /// This side without `intro`, its first paragraph, when that is a
    /// paragraph of its own it opens with (not found in the other body):
    /// neither its words nor a lead or a paragraph of its own.
    fn leave_out_intro(&mut self, intro: &ParagraphPrint) {
        if self.lead_words < u64::from(intro.words) {
            return;
        }
        let long = u32::from(intro.shingles >= MIN_FUZZY_SHINGLES);
        let counted = u32::from(long == 1 || intro.sentence);
        self.words -= u64::from(intro.words);
        self.lead_words -= u64::from(intro.words);
        self.lead = self.lead.saturating_sub(counted);
        self.own_long = self.own_long.saturating_sub(long);
        self.own = self.own.saturating_sub(counted);
    }

    fn share(&self) -> f64 {
        ratio(self.found_words, self.words)
    }

    fn share_after_lead(&self) -> f64 {
        ratio(self.found_words, self.words - self.lead_words)
    }
}

/// Whether `copy`, folded into `stored` without replacing its text, shows
/// that the stored body opens with a local intro over the story: the copy
/// is the stored body without its first paragraph (a long one, the only
/// long paragraph of the stored body's own, none of the copy's), two
/// paragraphs or more found and at least `min_shared` of the copy's words
/// in the stored body. The wire's whole copy under a partner's intro shows
/// it; a trimmed copy (the stored body goes on after it) does not.
pub fn shows_local_intro(copy: &NearPrints, stored: &NearPrints, config: &NearConfig) -> bool {
    if stored.intro_over_story
        || stored
            .paragraphs
            .first()
            .is_none_or(|intro| intro.shingles < MIN_FUZZY_SHINGLES)
    {
        return false;
    }
    let overlap = Overlap::of(copy, stored);
    !overlap.new_is_longer
        && overlap.shorter_lead == 0
        && overlap.longer_lead == 1
        && overlap.longer_own_long == 1
        && overlap.longer_trailing == 0
        && overlap.found >= 2
        && overlap.contained >= config.min_shared
}

/// The most words of a note on where a text was published first.
pub const MAX_NOTE_WORDS: usize = 80;

/// Whether `new`, a copy of the story folded into `stored` without
/// replacing its text, is that text without the republisher's note it
/// carries ([`republication_note`], on top or below): the publisher's own
/// copy read after a partner's republished one. Its text replaces the
/// stored one ([`Update::Original`]), so the story's text is the same
/// whichever copy came first and never ends up with the partner's note.
/// `stored` must keep its paragraph texts (a stored article read again,
/// [`NearPrints::with_paragraph_texts`]); a copy with a note of its own
/// replaces nothing.
pub fn original_of_republished(new: &NearPrints, stored: &NearPrints, config: &NearConfig) -> bool {
    if new.republished() || !stored.republished() {
        return false;
    }
    let overlap = Overlap::of(new, stored);
    !overlap.new_is_longer
        && overlap.longer_note_words > 0
        && overlap.longer_own_long == 0
        && overlap.shorter_own_long == 0
        && overlap.contained >= config.min_shared
        && u64::from(stored.words.saturating_sub(new.words)) <= overlap.longer_note_words
}

/// Whether the folded text of a paragraph is a republisher's note on where
/// the story was published first, or under what licence it is republished
/// ("This article was originally published on The Conversation. Read the
/// original article.", "A version of this story first appeared in …",
/// "This story was produced by … and republished with permission"): of at
/// most [`MAX_NOTE_WORDS`] words, naming the piece and its first or
/// repeated publication. A copy that adds one adds nothing to the story.
pub fn republication_note(folded: &str) -> bool {
    const PIECE: [&str; 9] = [
        "this article",
        "this story",
        "this piece",
        "this report",
        "this post",
        "this column",
        "a version of this",
        "our articles",
        "read the original",
    ];
    const PUBLISHED: [&str; 8] = [
        "originally appeared",
        "originally published",
        "originally ran",
        "first appeared",
        "first published",
        "republish",
        "reprinted",
        "creative commons",
    ];
    folded.split_whitespace().count() <= MAX_NOTE_WORDS
        && PIECE.iter().any(|p| folded.contains(p))
        && PUBLISHED.iter().any(|p| folded.contains(p))
}

/// Whether paragraph `i` of the body `prints` describe is an editor's
/// note, a correction or an update line on the article ([`editors_note`])
/// where a desk puts one over the story: first, over at least two
/// paragraphs more. Told where the text is known (an incoming copy's,
/// [`NearPrints::paragraph_texts`]); one copy's note is enough to tell one
/// story under two notes from two one-line leads over the same lines.
fn editors_note_at(prints: &NearPrints, i: usize) -> bool {
    i == 0
        && prints.paragraphs.len() > 2
        && prints
            .paragraph_texts
            .first()
            .is_some_and(|text| editors_note(text))
}

/// The most words of an editor's note, a correction or an update line
/// ([`editors_note`]).
pub const MAX_EDITORS_NOTE_WORDS: usize = 50;

/// Whether the folded text of a paragraph is a desk's note on the article
/// itself rather than a line of its news: an editor's note, a correction,
/// a clarification or an update line ("Editor's note: an earlier version
/// misnamed the school.", "This story was updated at 9am to include a
/// statement from the council.", "Correction: …"), in English, French,
/// German, Spanish, Portuguese or Italian, of at most
/// [`MAX_EDITORS_NOTE_WORDS`] words: opening with a note's label and a
/// colon or a dash, or naming an earlier version of the piece, or the
/// piece as updated, corrected or amended. A line of news that uses the
/// words ("The council said it would update residents", "Police have
/// corrected the time", "MPs passed the bill after an earlier version
/// was rejected", "… an earlier version of this year's budget") is none,
/// and so is an update label over news ("UPDATE: a bicycle was taken from
/// a garage on Quay Street", as police and councils open an appeal of
/// their own; "UPDATE 2: The council voted 7-2 on Tuesday night"): under
/// an update label, numbered or timed ("Update 2:", "Updated at 9am:")
/// or not, only a line about the piece ("this story", "this article",
/// "this version", …) is a note.
pub fn editors_note(folded: &str) -> bool {
    const NOTE_LABELS: [&str; 23] = [
        "editor's note",
        "editors' note",
        "editors note",
        "note to readers",
        "correction",
        "corrections",
        "clarification",
        "note de la rédaction",
        "note de la redaction",
        "rectificatif",
        "correctif",
        "anmerkung der redaktion",
        "korrektur",
        "berichtigung",
        "nota del editor",
        "nota de la redacción",
        "fe de erratas",
        "corrección",
        "nota do editor",
        "correção",
        "nota della redazione",
        "correzione",
        "rettifica",
    ];
    const UPDATE_LABELS: [&str; 7] = [
        "update",
        "updated",
        "mise à jour",
        "aktualisierung",
        "actualización",
        "atualização",
        "aggiornamento",
    ];
    const EARLIER_VERSION: [&str; 10] = [
        "an earlier version",
        "a previous version",
        "une version précédente",
        "une version antérieure",
        "une précédente version",
        "einer früheren version",
        "einer vorherigen version",
        "una versión anterior",
        "uma versão anterior",
        "una versione precedente",
    ];
    const PIECE: [&str; 6] = [
        "this story",
        "this article",
        "this report",
        "this piece",
        "this post",
        "this version",
    ];
    const REVISED: [&str; 8] = [
        "was updated",
        "has been updated",
        "was corrected",
        "has been corrected",
        "was amended",
        "has been amended",
        "was changed",
        "has been changed",
    ];
    const OF_THE_PIECE: [&str; 9] = [
        "de cet article",
        "de ce texte",
        "dieses artikels",
        "dieses beitrags",
        "de este artículo",
        "de esta nota",
        "deste artigo",
        "desta reportagem",
        "di questo articolo",
    ];
    if folded.split_whitespace().count() > MAX_EDITORS_NOTE_WORDS {
        return false;
    }
    let after_label = |labels: &[&str], qualified: bool| {
        labels.iter().find_map(|label| {
            let rest = folded.strip_prefix(label)?;
            let rest = if qualified {
                without_update_qualifier(rest)
            } else {
                rest
            }
            .trim_start();
            rest.strip_prefix(':')
                .or_else(|| rest.strip_prefix('-'))
                .map(str::trim_start)
        })
    };
    let names_the_piece = |text: &str| {
        PIECE
            .iter()
            .chain(&OF_THE_PIECE)
            .any(|piece| text.contains(piece))
    };
    let earlier_version = |text: &str| {
        EARLIER_VERSION.iter().any(|phrase| {
            text.starts_with(phrase) || (text.contains(phrase) && names_the_piece(text))
        })
    };
    let revised = |text: &str| {
        PIECE.iter().any(|piece| {
            REVISED
                .iter()
                .any(|revised| text.contains(&format!("{piece} {revised}")))
        })
    };
    let about_the_piece = |text: &str| earlier_version(text) || revised(text);
    after_label(&NOTE_LABELS, false).is_some()
        || after_label(&UPDATE_LABELS, true)
            .is_some_and(|rest| about_the_piece(rest) || names_the_piece(rest))
        || about_the_piece(folded)
}

/// `rest`, the folded text after an update label, without the number or
/// the moment that may follow the label ("update 2:", "update, 9am:",
/// "updated at 10.30am:", "update (3 march):"): up to the colon or dash
/// after at most four such words (each with a digit, or `at`, `on`, a
/// clock's or a zone's abbreviation, a month or a weekday), else `rest`.
fn without_update_qualifier(rest: &str) -> &str {
    const MOMENT_WORDS: [&str; 48] = [
        "at",
        "on",
        "am",
        "pm",
        "a.m",
        "p.m",
        "gmt",
        "utc",
        "bst",
        "cet",
        "cest",
        "et",
        "est",
        "edt",
        "pt",
        "pst",
        "pdt",
        "jan",
        "january",
        "feb",
        "february",
        "mar",
        "march",
        "apr",
        "april",
        "may",
        "jun",
        "june",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let end = rest
        .match_indices([':', '-'])
        .map(|(at, _)| at)
        .find(|&at| {
            // A colon or dash inside a clock time or a date is no end.
            let next = rest[at + 1..].chars().next();
            !next.is_some_and(|c| c.is_ascii_digit())
        });
    let Some(end) = end else {
        return rest;
    };
    let head = &rest[..end];
    let words: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '#'))
        .filter(|w| !w.is_empty())
        .collect();
    // The label is a word of its own ("updates to the timetable:" is none).
    let starts_apart = head.starts_with(|c: char| !c.is_alphanumeric());
    let moment = |word: &&str| {
        let word = word.trim_end_matches('.');
        word.chars().any(|c| c.is_ascii_digit()) || MOMENT_WORDS.contains(&word)
    };
    if starts_apart && words.len() <= 4 && words.iter().all(moment) {
        &rest[end..]
    } else {
        rest
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// What a containment verdict rests on: `found` of the shorter body's `of`
/// paragraphs are in the longer, and the larger number of paragraphs either
/// opens with of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence {
    pub found: u32,
    pub of: u32,
    pub new_lead: u32,
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "contained: {} of {} paragraphs, ", self.found, self.of)?;
        match self.new_lead {
            0 => f.write_str("shared lead"),
            1 => f.write_str("one new paragraph on top"),
            n => write!(f, "new lead of {n} paragraphs"),
        }
    }
}

/// The best same-story match for `new` among `candidates`: the strongest
/// rule, then one whose body shares its lead with `new` (neither opens with
/// a paragraph of its own over the other's: [`Overlap::new_lead`]), then
/// one whose text `new` replaces, then the smallest distance, then the
/// first. Its index and verdict.
///
/// The lead decides before the distance: a copy of the story that both
/// extends a stored copy (a partner's, its last paragraphs cut) and lies
/// under another stored article's local intro is folded into the copy it
/// extends, so its text replaces the cut one, and the article under the
/// intro then joins that story as a copy of it ("Stored articles merged"),
/// however near its prints lie: the story's own text and headline survive
/// whichever of the two was stored first. So too between two partners'
/// copies that each open with an intro of their own over the story cut
/// short: the whole story is folded into the one whose text it extends,
/// not into the other that only has it in, whichever of them lies nearer,
/// and the other then joins it as a copy.
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
        .min_by_key(|(i, verdict)| {
            (
                u8::MAX - verdict.rule.strength(),
                verdict.overlap.new_lead() > 0,
                verdict.update.is_none(),
                verdict.distance,
                *i,
            )
        })
}

/// How much of one body lies in paragraphs of the other: for each direction,
/// the share of the first body's words in paragraphs that the second has
/// too (`has_paragraph`); the larger of the two. A story and the same
/// story with paragraphs appended give 1.
pub fn shared_fraction(a: &NearPrints, b: &NearPrints) -> f64 {
    contained(a, b).max(contained(b, a))
}

fn contained(inner: &NearPrints, outer: &NearPrints) -> f64 {
    let total: u64 = inner.paragraphs.iter().map(|p| u64::from(p.words)).sum();
    if total == 0 {
        return 0.0;
    }
    let in_outer = ParagraphFinder::of(&outer.paragraphs);
    let found: u64 = inner
        .paragraphs
        .iter()
        .enumerate()
        .filter(|&(i, _)| has_paragraph(outer, &in_outer, inner, i))
        .map(|(_, p)| u64::from(p.words))
        .sum();
    found as f64 / total as f64
}

/// Whether `body` has `other`'s paragraph `i`, as the shared-paragraph
/// rules see it: the same paragraph SimHash, or within
/// [`PARAGRAPH_DISTANCE`] bits when both have at least
/// [`MIN_FUZZY_SHINGLES`] shingles; and the two first paragraphs, when the
/// prints of both keep their words ([`NearPrints::lead_words`]), only when
/// they are one paragraph lightly edited ([`light_edit`]). Sixteen bits is
/// a typo in a short paragraph, but a dozen words in a longer one: the
/// only paragraph of two fire reports under one headline, with another
/// street, town, time and casualties, or of two death notices with other
/// names and ages, lies a dozen bits apart. Or `body`'s paragraph at the
/// same place is that paragraph lightly edited ([`edited_in_place`]).
/// `paragraphs` finds `body`'s paragraphs.
fn has_paragraph(
    body: &NearPrints,
    paragraphs: &ParagraphFinder,
    other: &NearPrints,
    i: usize,
) -> bool {
    let p = &other.paragraphs[i];
    let firsts_apart = i == 0 && light_edit(body, other) == Some(false);
    paragraphs.has(p, i, paragraphs_match, |j| j == 0 && firsts_apart)
        || edited_in_place(body, other, i)
}

/// Whether `body`'s paragraph at the place of `other`'s paragraph `i`
/// (after the first: two first paragraphs are told by their words,
/// [`light_edit`]) is that paragraph lightly edited, where the prints of
/// both keep its anchors ([`NearPrints::paragraph_anchors`]): their
/// lengths at most one word in [`LIGHT_EDIT_WORDS`] of the longer apart,
/// and at least [`MAX_LEAD_EDITS`], and the first eight words or the
/// last the same (by their hash,
/// [`ANCHOR_WORDS`](super::ANCHOR_WORDS)). Two words changed in a short
/// paragraph ("forty eight hours" made "thirty six hours") move its
/// SimHash some twenty bits, as far as two paragraphs of one story can lie
/// apart, so distance cannot tell a paragraph corrected in place; a
/// correction leaves its opening or its close as it was, and another
/// story's paragraph at that place, of about its length, opens and closes
/// with other words. Anchored paragraphs have more than eight words
/// ([`crate::dedup::anchored`]), so an anchor always leaves a word out: in
/// a short paragraph the anchor kept covers all but its last or first few
/// words, where the edit lies (an edit where the two anchors overlap,
/// under sixteen words, changes both: the paragraph is another); in a
/// longer one the words it leaves out may differ more, but the paragraph
/// is at the other's place, of its length and with its opening or its
/// close, in a body that has to share most of the rest for this to count.
pub fn edited_in_place(body: &NearPrints, other: &NearPrints, i: usize) -> bool {
    let at = |prints: &NearPrints| {
        let anchors = prints.paragraph_anchors.get(i).copied().flatten()?;
        Some((anchors, prints.paragraphs.get(i)?.words))
    };
    let (Some((a, m)), Some((b, n))) = (at(body), at(other)) else {
        return false;
    };
    let most = MAX_LEAD_EDITS.max(m.max(n) as usize / LIGHT_EDIT_WORDS);
    m.abs_diff(n) as usize <= most && (a[0] == b[0] || a[1] == b[1])
}

/// Of each paragraph of `new`, and of each of `stored`, whether it is a
/// paragraph of the other one place up or down, lightly edited
/// ([`edited_at`]): a paragraph put on top of the story (a partner's local
/// intro) or taken out moves the rest one place, and a figure corrected
/// in one of them since moves its SimHash beyond
/// [`CONTAINED_PARAGRAPH_DISTANCE`].
fn edited_one_place_apart(new: &NearPrints, stored: &NearPrints) -> (Vec<bool>, Vec<bool>) {
    let mut in_new = vec![false; new.paragraphs.len()];
    let mut in_stored = vec![false; stored.paragraphs.len()];
    for (i, found) in in_new.iter_mut().enumerate() {
        for j in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
            if j < in_stored.len() && edited_at(new, i, stored, j) {
                *found = true;
                in_stored[j] = true;
            }
        }
    }
    (in_new, in_stored)
}

/// Whether paragraph `i` of `a` is paragraph `j` of `b` lightly edited:
/// their lengths at most one word in [`LIGHT_EDIT_WORDS`] of the longer
/// apart, and at least [`MAX_LEAD_EDITS`]; and as many words edited at
/// most, where the words of both are known
/// ([`NearPrints::paragraph_words`]), else the first eight words or the
/// last the same, where the anchors of both are ([`NearPrints::anchors_of`],
/// as [`edited_in_place`] has them).
fn edited_at(a: &NearPrints, i: usize, b: &NearPrints, j: usize) -> bool {
    let (Some(p), Some(q)) = (a.paragraphs.get(i), b.paragraphs.get(j)) else {
        return false;
    };
    let most = MAX_LEAD_EDITS.max(p.words.max(q.words) as usize / LIGHT_EDIT_WORDS);
    if p.words.abs_diff(q.words) as usize > most {
        return false;
    }
    if let (Some(x), Some(y)) = (a.paragraph_words(i), b.paragraph_words(j)) {
        return word_edits_within(&x, &y, most);
    }
    matches!((a.anchors_of(i), b.anchors_of(j)), (Some(x), Some(y)) if x[0] == y[0] || x[1] == y[1])
}

/// One word edited in this many, at least [`MAX_LEAD_EDITS`], is a light
/// edit of a paragraph ([`light_edit`]).
pub const LIGHT_EDIT_WORDS: usize = 20;

/// Whether the first paragraphs of `a` and `b` are one paragraph lightly
/// edited (a typo fixed, a word changed, a clause respelled): at most one
/// word in [`LIGHT_EDIT_WORDS`] of the longer, and at least
/// [`MAX_LEAD_EDITS`], inserted, deleted or replaced. `None` when either
/// prints keep no lead words.
pub fn light_edit(a: &NearPrints, b: &NearPrints) -> Option<bool> {
    (!a.lead_words.is_empty() && !b.lead_words.is_empty()).then(|| {
        let longer = a.lead_words.len().max(b.lead_words.len());
        let most = MAX_LEAD_EDITS.max(longer / LIGHT_EDIT_WORDS);
        word_edits_within(&a.lead_words, &b.lead_words, most)
    })
}

/// The most words two first paragraphs may differ by, counting each word
/// inserted, deleted or replaced, and still be one lead edited: "a word or
/// two" (a typo fixed, "centre" respelled "center", "on Monday" made "on
/// Monday night"). A follow-up that rewrites the story's lead around it
/// adds a clause, eight words or more.
pub const MAX_LEAD_EDITS: usize = 2;

/// Whether the first paragraphs of `new` and `stored` are one lead, a word
/// or two edited: at most [`MAX_LEAD_EDITS`] words apart
/// (word-level edit distance over their [`NearPrints::lead_words`]). `None`
/// when either prints keep no lead words.
pub fn lead_edited(new: &NearPrints, stored: &NearPrints) -> Option<bool> {
    (!new.lead_words.is_empty() && !stored.lead_words.is_empty())
        .then(|| word_edits_within(&new.lead_words, &stored.lead_words, MAX_LEAD_EDITS))
}

/// The fewest words a clause has that a follow-up writes its lead around
/// the story's lead with ("MPs called on Wednesday for an inquiry into the
/// operator, which was fined …").
pub const MIN_CLAUSE_WORDS: usize = 8;

/// Whether the first paragraphs of `new` and `stored` are two leads, one
/// rewritten around the other: [`MIN_CLAUSE_WORDS`] words or more apart
/// (inserted, deleted or replaced), however near their prints. `false`
/// when either prints keep no lead words.
pub fn lead_rewritten_around(new: &NearPrints, stored: &NearPrints) -> bool {
    !new.lead_words.is_empty()
        && !stored.lead_words.is_empty()
        && !word_edits_within(&new.lead_words, &stored.lead_words, MIN_CLAUSE_WORDS - 1)
}

/// Whether `a` becomes `b` by at most `most` words inserted, deleted or
/// replaced (their Levenshtein distance over words). Only the cells within
/// `most` of the diagonal are computed: any path through another costs
/// more than `most`.
fn word_edits_within(a: &[u16], b: &[u16], most: usize) -> bool {
    if a.len().abs_diff(b.len()) > most {
        return false;
    }
    let beyond = most + 1;
    let mut row: Vec<usize> = (0..=b.len()).map(|j| j.min(beyond)).collect();
    for (i, x) in a.iter().enumerate() {
        let (from, to) = ((i + 1).saturating_sub(most), (i + 1 + most).min(b.len()));
        let mut diagonal = if from == 0 { row[0] } else { row[from - 1] };
        if from == 0 {
            row[0] = (i + 1).min(beyond);
        } else {
            row[from - 1] = beyond;
        }
        for j in from.max(1)..=to {
            let replaced = diagonal + usize::from(*x != b[j - 1]);
            diagonal = row[j];
            row[j] = replaced.min(row[j - 1] + 1).min(diagonal + 1).min(beyond);
        }
    }
    row[b.len()] <= most
}

/// Whether the first paragraph of `body` is one of `other`'s (as
/// [`shared_fraction`] matches them, [`has_paragraph`]).
fn opening_found_in(body: &NearPrints, other: &NearPrints) -> bool {
    !body.paragraphs.is_empty()
        && has_paragraph(other, &ParagraphFinder::of(&other.paragraphs), body, 0)
}

/// Whether two paragraphs are one for the containment rules: within
/// [`CONTAINED_PARAGRAPH_DISTANCE`] bits, or equal when short. Tighter than
/// [`paragraphs_match`]: where a paragraph sits decides there, and two
/// openings of a story and its follow-up (the same names, the same figures)
/// can sit 16 bits apart.
fn same_paragraph(p: &ParagraphPrint, q: &ParagraphPrint) -> bool {
    if p.shingles >= MIN_FUZZY_SHINGLES && q.shingles >= MIN_FUZZY_SHINGLES {
        hamming(p.simhash, q.simhash) <= CONTAINED_PARAGRAPH_DISTANCE
    } else {
        p.simhash == q.simhash && p.words == q.words
    }
}

/// A body's paragraphs, filed to tell whether it has a paragraph as
/// [`same_paragraph`] or [`paragraphs_match`] sees it without going
/// through all of them for each paragraph of the other body, which took
/// time quadratic in their length (a live page of tens of thousands of
/// paragraphs read again took minutes). Both tests take a short paragraph
/// (fewer than [`MIN_FUZZY_SHINGLES`] shingles on either side) only for
/// its exact twin, of the same SimHash; so the paragraphs of that SimHash
/// are tried first, and only a long paragraph without a match among them
/// is weighed against the long ones, from its own place on (an edited
/// paragraph most often sits where it was). The answer is the one going
/// through them all would give. A body of at most [`FILED_PARAGRAPHS`] is
/// gone through as it is.
struct ParagraphFinder<'a> {
    paragraphs: &'a [ParagraphPrint],
    /// `None` for a body gone through as it is.
    filed: Option<FiledParagraphs>,
}

/// `(SimHash, place)` of each paragraph of a body in SimHash order, and the
/// places of its long ones ([`ParagraphFinder`]).
type FiledParagraphs = (Vec<(u64, usize)>, Vec<usize>);

/// Paragraphs a body has at most to be gone through as it is when looking
/// for one ([`ParagraphFinder`]): filing them costs more.
const FILED_PARAGRAPHS: usize = 64;

impl<'a> ParagraphFinder<'a> {
    fn of(paragraphs: &'a [ParagraphPrint]) -> Self {
        let filed = (paragraphs.len() > FILED_PARAGRAPHS).then(|| {
            let mut by_simhash: Vec<(u64, usize)> = paragraphs
                .iter()
                .enumerate()
                .map(|(j, q)| (q.simhash, j))
                .collect();
            by_simhash.sort_unstable();
            let long = (0..paragraphs.len())
                .filter(|&j| paragraphs[j].shingles >= MIN_FUZZY_SHINGLES)
                .collect();
            (by_simhash, long)
        });
        ParagraphFinder { paragraphs, filed }
    }

    /// Whether a paragraph of the body (but those at places `skip`
    /// leaves out) is `p`, which sits at place `near` in its own body, as
    /// `matches` tells.
    fn has(
        &self,
        p: &ParagraphPrint,
        near: usize,
        matches: fn(&ParagraphPrint, &ParagraphPrint) -> bool,
        skip: impl Fn(usize) -> bool,
    ) -> bool {
        let is = |j: usize| !skip(j) && matches(p, &self.paragraphs[j]);
        let Some((by_simhash, long)) = &self.filed else {
            return (0..self.paragraphs.len()).any(is);
        };
        let twins = by_simhash.partition_point(|&(simhash, _)| simhash < p.simhash);
        by_simhash[twins..]
            .iter()
            .take_while(|&&(simhash, _)| simhash == p.simhash)
            .any(|&(_, j)| is(j))
            || (p.shingles >= MIN_FUZZY_SHINGLES && {
                let from = long.partition_point(|&j| j < near);
                long[from..].iter().chain(&long[..from]).any(|&j| is(j))
            })
    }
}

/// Largest Hamming distance at which two paragraphs count as one for the
/// containment rules (a word or two changed).
pub const CONTAINED_PARAGRAPH_DISTANCE: u32 = 8;

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
    use crate::dedup::CUT_TEXT_BYTES;
    use crate::model::{Article, Block, Caption, Enclosure};

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
    fn one_word_changed_in_a_short_paragraph_under_a_site_suffix_is_the_same_story() {
        // One word changed in the second paragraph moves its SimHash 18
        // bits and the body's 4: the body distance is not enough alone,
        // nor, by SimHash, the shared paragraphs (0.79 of the words); the
        // paragraph's length and anchors tell it is the one edited.
        let body = [
            "Wenka moampel wengarlek stazipel hadunha vintessta vorka renbro am bromolo vortraren \
             delgaram dun hawenzi dunvor stanu mo amha lekcorwen dun bro del qui trarenha \
             renbrosho tra pel movor.",
            "Stalodun sta stamogar tessta teszi vorka vorlekcor zi vin pelvorgar dunam tes am pel \
             mistaren vincorvor stalek amwen lonuzi delmonu ka shotes habrogar sta gargar momibro \
             tescortes dunam brozivin.",
            "Deldelha shoqui wenteska tra lolo amduntra zi del pel leklo amnu lekdunmi vinduntra ha \
             tesshodun wenwen zista lo shovintes wenlekvin amvorvor nu wenstadel milovin bromi \
             nudel dun lek del delhazi pello tra am am katradun teskaqui lektes zimi.",
            "Ammoqui vin stami shotestes gar renlo shodel shosta numiwen dun sho ka dunmi wenbro \
             dun brolo zimoam lektra pel mo garleksta vin brotra renbronu vor mohasta ziwentes \
             nukasta brovor bromigar bronu rencor zilo lek sta lekamha tes shonu stacortes mogar \
             teslek.",
        ];
        let stored = article("Zi Mowen Zi Lek Del Nudelpel", &body);
        let mut edited = body;
        let changed = body[1].replace("stamogar", "leklo");
        edited[1] = &changed;
        let new = article("Zi Mowen Zi Lek Del Nudelpel - The Daily Courier", &edited);
        let v = verdict(&new, &stored);
        assert_eq!(
            (v.rule, v.distance, v.update, v.shared),
            (Rule::SharedParagraphs, 4, None, 1.0)
        );
        // Against prints stored before each paragraph's anchors were kept:
        // the body distance under matching headlines.
        let (new, old) = (NearPrints::of(&new), NearPrints::of(&stored));
        let old = NearPrints {
            paragraph_anchors: Vec::new(),
            ..old
        };
        let v = compare(&new, &old, &NearConfig::default());
        assert_eq!((v.rule, v.distance), (Rule::FoldedHeadline, 4), "{v:?}");
        assert!(v.shared < 0.8, "{v:?}");
        let same = NearPrints::of(&article("Zi Mowen Zi Lek Del Nudelpel", &edited));
        assert_eq!(
            compare(&same, &old, &NearConfig::default()).rule,
            Rule::SameHeadline
        );
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
    fn links_to_other_stories_make_no_copy_longer() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let related = [
            "Related: Westport tram line finally opens two years late after its main \
             contractor collapsed and costs doubled",
            "Related: Bus fares across the Calder Valley will rise by ten percent in January, \
             operators confirm",
        ];
        let with_links = |at: usize, label: bool| {
            let mut body = PARAGRAPHS.to_vec();
            if label {
                body.insert(at, "Related:");
            }
            for (n, link) in related.iter().enumerate() {
                body.insert(at + usize::from(label) + n, link);
            }
            body
        };
        for body in [
            with_links(3, false),
            with_links(3, true),
            with_links(5, false),
        ] {
            let v = verdict(&article(HEADLINE, &body), &stored);
            assert!(v.is_same(), "{v:?}");
            assert_eq!(v.update, None, "{body:?}");
        }
        // A paragraph of the story's own still makes it longer, links or not.
        let mut longer = with_links(3, true);
        longer.push(
            "Late on Monday the cooperatives said they would not oppose the plan in court, \
             clearing the way for work to begin as soon as contracts are signed.",
        );
        let v = verdict(&article(HEADLINE, &longer), &stored);
        assert_eq!(v.update, Some(Update::Longer), "{v:?}");
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
    fn the_same_body_under_any_headline_is_the_same_story() {
        // The headline is one signal, not a gate: the body is the story.
        let a = article(HEADLINE, &PARAGRAPHS);
        let b = article(
            "Volunteers Count Record Number of Wading Birds",
            &PARAGRAPHS,
        );
        let v = verdict(&b, &a);
        assert_eq!((v.rule, v.distance), (Rule::Contained, 0));
        assert_eq!(
            v.evidence().map(|e| e.to_string()).as_deref(),
            Some("contained: 5 of 5 paragraphs, shared lead")
        );
        assert_eq!(v.update, None, "the original's text and headline stay");
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
        assert!(a.reaches(&b, 3));
    }

    #[test]
    fn a_retitled_copy_is_a_later_version_only_by_an_update_after_its_publication() {
        let at = |hour: u32| Some(Utc.with_ymd_and_hms(2026, 12, 3, hour, 0, 0).unwrap());
        let mut stored = article(HEADLINE, &PARAGRAPHS);
        (stored.published, stored.updated) = (at(9), at(9));
        let mut copy = article(
            "Calder harbour expansion approved by port board",
            &PARAGRAPHS,
        );
        // A partner's copy published three hours later under its own
        // headline, its update date its publication date (Atom's mandatory
        // `<updated>`, a page's `modified_time` for a post never edited),
        // or saved before it went out: a sighting.
        for updated in [at(12), at(11)] {
            (copy.published, copy.updated) = (at(12), updated);
            let v = verdict(&copy, &stored);
            assert_eq!((v.rule, v.update), (Rule::SimilarHeadline, None), "{v:?}");
        }
        // The story revised under a rewritten headline, dated by its
        // publication and a later update: a later version.
        let revised = PARAGRAPHS[3].replace("three years", "four years");
        let mut body = PARAGRAPHS;
        body[3] = &revised;
        copy.body = article("", &body).body;
        (copy.published, copy.updated) = (at(9), at(12));
        let v = verdict(&copy, &stored);
        assert!(
            matches!(
                v.rule,
                Rule::SimilarHeadline | Rule::SimilarSharedParagraphs
            ) && v.update == Some(Update::Newer),
            "{v:?}"
        );
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

    const INTRO: &str = "Readers in the Calder valley have been asking what the vote means \
        for them, and two local councillors said on Tuesday that they would raise it at the \
        next full council meeting.";

    const LATER: &str = "Three environmental groups lodged an appeal on Thursday against the \
        harbour plan, arguing that dredging for the new berths would destroy feeding grounds \
        used by thousands of migrating birds.";

    const LATER_TOO: &str = "The appeal, filed with the national planning inspectorate, says \
        the port underestimated how much silt would be carried onto the Calder mudflats.";

    #[test]
    fn a_local_intro_over_the_cut_story_is_the_same_story() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let new = article(
            "Fishing fleet wins protected quay",
            &[INTRO, PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2]],
        );
        let v = verdict(&new, &stored);
        assert_eq!(v.rule, Rule::SharedLead, "{v:?}");
        assert_eq!(
            v.evidence().unwrap().to_string(),
            "contained: 3 of 4 paragraphs, one new paragraph on top"
        );
        assert_eq!(v.update, None, "the wire text stays");
    }

    /// The stored prints of a partner's local intro over the whole story,
    /// once the wire's whole copy was folded into it (or not yet).
    fn local_intro_story(intro_shown: bool) -> NearPrints {
        let mut body = vec![INTRO];
        body.extend(PARAGRAPHS);
        let stored = NearPrints {
            paragraph_texts: Vec::new(),
            ..NearPrints::of(&article("Fishing fleet wins protected quay", &body))
        };
        let whole = NearPrints::of(&article(HEADLINE, &PARAGRAPHS));
        let config = NearConfig::default();
        assert_eq!(
            shows_local_intro(&whole, &stored, &config),
            !stored.intro_over_story
        );
        NearPrints {
            intro_over_story: intro_shown,
            ..stored
        }
    }

    #[test]
    fn the_whole_story_folded_under_a_local_intro_shows_it_and_a_cut_or_other_copy_does_not() {
        let config = NearConfig::default();
        let stored = local_intro_story(false);
        let cut = NearPrints::of(&article(HEADLINE, &PARAGRAPHS[..4]));
        assert!(
            !shows_local_intro(&cut, &stored, &config),
            "goes on after it"
        );
        let mut other = vec![LATER];
        other.extend(PARAGRAPHS);
        let other = NearPrints::of(&article(HEADLINE, &other));
        assert!(
            !shows_local_intro(&other, &stored, &config),
            "an intro of its own"
        );
        let whole = NearPrints {
            paragraph_texts: Vec::new(),
            ..NearPrints::of(&article(HEADLINE, &PARAGRAPHS))
        };
        let under = NearPrints::of(&article("Fishing fleet wins protected quay", &{
            let mut body = vec![INTRO];
            body.extend(PARAGRAPHS);
            body
        }));
        assert!(
            !shows_local_intro(&under, &whole, &config),
            "the wire's own text"
        );
    }

    #[test]
    fn a_cut_copy_is_the_story_under_a_local_intro_once_the_whole_story_folded_into_it() {
        let config = NearConfig::default();
        let cut = NearPrints::of(&article(HEADLINE, &PARAGRAPHS[..4]));
        // Before: paragraphs of its own before and after all it shares.
        let v = compare(&cut, &local_intro_story(false), &config);
        assert_eq!(v.rule, Rule::Unrelated, "{v:?}");
        // Once the wire's whole copy showed the intro, the cut copy lies in
        // the story under it.
        let v = compare(&cut, &local_intro_story(true), &config);
        assert_eq!(v.rule, Rule::Contained, "{v:?}");
        assert_eq!(v.update, None, "the local intro's text stays");
        // So does another partner's intro over the whole story.
        let mut other = vec![
            "Hauliers at the port said on Tuesday that the vote would bring more lorries \
             through the town centre, and asked the council to look again at the bypass.",
        ];
        other.extend(PARAGRAPHS);
        let other = NearPrints::of(&article("Hauliers brace for busier port", &other));
        assert!(
            !compare(&other, &local_intro_story(false), &config)
                .rule
                .is_same()
        );
        let v = compare(&other, &local_intro_story(true), &config);
        assert!(v.rule.is_same(), "{v:?}");
        assert_eq!(v.update, None);
    }

    /// A follow-up of the port story: a new lead of two paragraphs over
    /// its first two.
    fn port_follow_up() -> NearPrints {
        NearPrints::of(&article(
            "Harbour plan faces appeal from bird groups",
            &[LATER, LATER_TOO, PARAGRAPHS[0], PARAGRAPHS[1]],
        ))
    }

    /// Another port's story under the port story's headline.
    fn another_port_story() -> NearPrints {
        NearPrints::of(&article(
            HEADLINE,
            &[
                "The board of the Port of Halden voted on Friday to shelve its plan for a \
                 new container terminal, citing the cost of dredging the approach channel.",
                "Halden's harbour master said the decision would be reviewed next year once \
                 the government's infrastructure fund had published its priorities.",
            ],
        ))
    }

    #[test]
    fn a_follow_up_or_another_story_stays_apart_from_a_local_intro_shown_as_such() {
        let config = NearConfig::default();
        let stored = local_intro_story(true);
        let follow_up = port_follow_up();
        let v = compare(&follow_up, &stored, &config);
        assert!(!v.rule.is_same(), "{v:?}");
        let another = another_port_story();
        let v = compare(&another, &stored, &config);
        assert!(!v.rule.is_same(), "{v:?}");
    }

    #[test]
    fn a_local_intro_shown_as_such_counts_on_the_new_side_too() {
        // The marked article weighed again against what was stored before
        // the mark: another partner's intro over the whole story, a
        // follow-up, another story under the same headline.
        let config = NearConfig::default();
        let marked = local_intro_story(true);
        let mut other = vec![
            "Hauliers at the port said on Tuesday that the vote would bring more lorries \
             through the town centre, and asked the council to look again at the bypass.",
        ];
        other.extend(PARAGRAPHS);
        let other = NearPrints::of(&article("Hauliers brace for busier port", &other));
        assert!(
            !compare(&local_intro_story(false), &other, &config)
                .rule
                .is_same()
        );
        let v = compare(&marked, &other, &config);
        assert!(
            matches!(v.rule, Rule::Contained | Rule::SharedLead),
            "{v:?}"
        );
        assert_eq!(v.update, None, "neither intro replaces the other");
        let follow_up = port_follow_up();
        let v = compare(&marked, &follow_up, &config);
        assert!(!v.rule.is_same(), "{v:?}");
        let another = another_port_story();
        let v = compare(&marked, &another, &config);
        assert!(!v.rule.is_same(), "{v:?}");
    }

    /// The stored prints of a partner's copy of the port story under a
    /// headline of its own, its last paragraph cut.
    fn retitled_cut_story() -> NearPrints {
        NearPrints {
            paragraph_texts: Vec::new(),
            ..NearPrints::of(&article("Calder fleet gets its own quay", &PARAGRAPHS[..4]))
        }
    }

    #[test]
    fn the_whole_story_folds_into_the_cut_copy_it_extends_before_a_local_intro_over_it() {
        // Both stored, kept apart: the intro's body goes on after all the
        // cut copy has. The whole story lies under the intro (nearer) and
        // extends the cut copy: it replaces the cut text, and the intro's
        // article then joins that story, whichever of the two came first.
        let config = NearConfig::default();
        let whole = NearPrints::of(&article(HEADLINE, &PARAGRAPHS));
        for candidates in [
            [local_intro_story(false), retitled_cut_story()],
            [retitled_cut_story(), local_intro_story(false)],
        ] {
            let (i, v) = best_match(&whole, &candidates, &config).unwrap();
            assert_eq!(candidates[i], retitled_cut_story(), "{v:?}");
            assert_eq!(v.update, Some(Update::Longer), "{v:?}");
        }
    }

    #[test]
    fn a_local_intro_shown_as_such_never_replaces_the_story_it_lies_over() {
        // The marked article weighed again against a partner's cut copy,
        // which it extends but for its intro: one story, whose text stays.
        let config = NearConfig::default();
        let v = compare(&local_intro_story(true), &retitled_cut_story(), &config);
        assert!(v.rule.is_same(), "{v:?}");
        assert_eq!(v.update, None, "{v:?}");
    }

    /// A lorry crash report from one template, in `town`, with a
    /// partner's local intro on top when `intro`.
    fn crash_report(town: &str, intro: bool) -> Article {
        let lead = format!(
            "A lorry carrying animal feed overturned on the main road in {town} on Wednesday, \
             closing it in both directions for most of the day."
        );
        let mut body = Vec::new();
        if intro {
            body.push(
                "Shopkeepers said trade had all but stopped on Wednesday as traffic queued \
                 through the town for hours after the crash, with some closing early."
                    .to_string(),
            );
        }
        body.push(lead);
        body.extend(
            [
                "The driver was freed by firefighters and taken to hospital as a precaution. \
                 No other vehicles were involved in the crash.",
                "Recovery crews had to transfer the load to another vehicle before the lorry \
                 could be lifted, a job that took several hours.",
                "Drivers were advised to avoid the area and allow extra time for their \
                 journeys, and bus services were diverted.",
                "Police said the cause of the crash was under investigation and asked anyone \
                 with dashcam footage to call 101.",
            ]
            .map(String::from),
        );
        let paragraphs: Vec<&str> = body.iter().map(String::as_str).collect();
        let title = if intro {
            "Lorry crash brings town to a standstill"
        } else {
            "Lorry overturns on main road"
        };
        article(title, &paragraphs)
    }

    /// The prints a store keeps of `article`.
    fn stored_prints(article: &Article) -> NearPrints {
        NearPrints::of(article).as_stored()
    }

    #[test]
    fn another_towns_report_from_one_template_stays_apart_from_a_local_intro_over_it() {
        let config = NearConfig::default();
        // Against a partner's intro over the Settle report, stored: the
        // Clitheroe report's lead is the one under the intro with another
        // town put in.
        let v = compare(
            &NearPrints::of(&crash_report("Clitheroe", false)),
            &stored_prints(&crash_report("Settle", true)),
            &config,
        );
        assert_eq!(v.rule, Rule::OtherNames, "{v:?}");
        // And the other way round: the intro's copy arriving.
        let v = compare(
            &NearPrints::of(&crash_report("Settle", true)),
            &stored_prints(&crash_report("Clitheroe", false)),
            &config,
        );
        assert_eq!(v.rule, Rule::OtherNames, "{v:?}");
        // The same town's report, under the intro or over it, is the story.
        for (new, stored) in [(false, true), (true, false)] {
            let v = compare(
                &NearPrints::of(&crash_report("Settle", new)),
                &stored_prints(&crash_report("Settle", stored)),
                &config,
            );
            assert!(v.rule.is_same(), "{v:?}");
        }
        // A town's name respelled under the intro is an edit.
        let v = compare(
            &NearPrints::of(&crash_report("Setle", false)),
            &stored_prints(&crash_report("Settle", true)),
            &config,
        );
        assert!(v.rule.is_same(), "{v:?}");
    }

    #[test]
    fn a_local_intro_over_the_earlier_wording_of_a_corrected_lead_is_the_same_story() {
        // The wire's lead opens with its dateline, left out of a first
        // paragraph's prints but not of a second's.
        let lead = format!("CALDER (Calder Wire) - {}", PARAGRAPHS[0]);
        let corrected_lead = lead
            .replace("on Monday", "on Tuesday")
            .replace("than a year", "than a decade");
        let corrected = [
            corrected_lead.as_str(),
            PARAGRAPHS[1],
            PARAGRAPHS[2],
            PARAGRAPHS[3],
            PARAGRAPHS[4],
        ];
        let stored = NearPrints {
            paragraph_texts: Vec::new(),
            ..NearPrints::of(&article(HEADLINE, &corrected))
        };
        let mut earlier = vec![INTRO, lead.as_str()];
        earlier.extend(&PARAGRAPHS[1..]);
        let new = NearPrints::of(&article("Fishing fleet wins protected quay", &earlier));
        let apart = hamming(new.paragraphs[1].simhash, stored.paragraphs[0].simhash);
        assert!(apart > CONTAINED_PARAGRAPH_DISTANCE, "{apart} bits apart");
        let v = compare(&new, &stored, &NearConfig::default());
        assert_eq!(v.rule, Rule::Contained, "{v:?}");
        assert_eq!(
            v.evidence().unwrap().to_string(),
            "contained: 5 of 5 paragraphs, one new paragraph on top"
        );
        assert_eq!(v.update, None, "the corrected text stays");
    }

    #[test]
    fn a_truncated_or_edited_copy_is_contained_and_replaces_nothing() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let mut half = article(HEADLINE, &PARAGRAPHS[..3]);
        half.published = Some(Utc.with_ymd_and_hms(2026, 10, 6, 9, 0, 0).unwrap());
        let v = verdict(&half, &stored);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, None);
        // New headline, a dateline, curly quotes, a middle paragraph gone.
        let first = format!("CALDER (Reuters) - {}", PARAGRAPHS[0]);
        let quoted = PARAGRAPHS[2].replace('"', "\u{201C}");
        let edited = article(
            "Fishing fleet wins protected quay",
            &[&first, PARAGRAPHS[1], &quoted, PARAGRAPHS[4]],
        );
        let v = verdict(&edited, &stored);
        assert_eq!(v.rule, Rule::Contained, "{v:?}");
        assert_eq!(
            v.evidence().unwrap().to_string(),
            "contained: 4 of 4 paragraphs, shared lead"
        );
        assert_eq!(v.update, None);
        // The stored copy was the cut one: the full text extends it.
        let v = verdict(&stored, &edited);
        assert_eq!((v.rule, v.update), (Rule::Contained, Some(Update::Longer)));
    }

    #[test]
    fn a_new_lead_over_reused_background_is_another_story() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let mut body = vec![LATER, LATER_TOO];
        body.extend_from_slice(&PARAGRAPHS);
        let follow_up = article("Port of Calder harbour plan faces appeal", &body);
        let v = verdict(&follow_up, &stored);
        assert_eq!(v.rule, Rule::NewLead, "{v:?}");
        assert_eq!(v.overlap.contained, 1.0, "all of the story is background");
        assert_eq!(
            v.evidence().unwrap().to_string(),
            "contained: 5 of 5 paragraphs, new lead of 2 paragraphs"
        );
        // One paragraph on top is a local intro, not a new lead.
        let introduced = article(
            "Port of Calder harbour plan faces appeal",
            &[&[INTRO][..], &PARAGRAPHS[..]].concat(),
        );
        let v = verdict(&introduced, &stored);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, None, "more words, but not an extension");
    }

    const APPEAL: [&str; 2] = [
        "Anyone with information is asked to contact police on 112 or the non-emergency \
         number 114, quoting the incident reference given on the force website.",
        "Information can also be passed on anonymously through the independent charity \
         Crimestoppers, which does not record calls or trace phone numbers.",
    ];

    #[test]
    fn two_stories_over_the_same_boilerplate_are_two_stories() {
        let burglary = article(
            "Police appeal for witnesses after jewellery shop burglary in Lindvik",
            &[
                "Police are appealing for witnesses after a jewellery shop on Harbour Street \
                 in Lindvik was broken into overnight on Sunday and watches worth about \
                 20,000 euros were taken.",
                APPEAL[0],
                APPEAL[1],
            ],
        );
        let collision = article(
            "Police appeal after elderly man injured in Sundby hit-and-run",
            &[
                "Officers are searching for the driver of a dark blue van that struck an \
                 81-year-old man on the Sundby ring road on Monday evening and failed to \
                 stop; the man is in hospital with serious injuries.",
                APPEAL[0],
                APPEAL[1],
            ],
        );
        for (new, stored) in [(&collision, &burglary), (&burglary, &collision)] {
            let v = verdict(new, stored);
            assert!(!v.is_same(), "{v:?}");
        }
        // A local intro on top of the whole story still folds.
        let mut introduced = burglary.clone();
        introduced.title = "Lindvik jeweller robbed".into();
        introduced.body.insert(0, Block::paragraph(INTRO));
        let v = verdict(&introduced, &burglary);
        assert!(v.is_same(), "{v:?}");
    }

    #[test]
    fn two_stories_under_a_shared_standfirst_and_footer_are_two_stories() {
        let story = |title: &str, news: &str| {
            article(
                title,
                &[
                    "This story is part of Streets Ahead, our year-long series on how Calder \
                     gets around. Read every part of the series on our transport page.",
                    news,
                    APPEAL[0],
                    APPEAL[1],
                ],
            )
        };
        let lane = story(
            "Calder Council Approves New Cycle Lane on Mill Street",
            "Calder council voted on Thursday to build a protected cycle lane along Mill \
             Street, removing 40 parking spaces between the station and the market square.",
        );
        let fares = story(
            "Bus Fares to Rise by 20p Across the County in January",
            "Single bus fares across the county will rise by 20p from January, the operator \
             Coastline Buses said, blaming higher fuel and staff costs.",
        );
        for (new, stored) in [(&fares, &lane), (&lane, &fares)] {
            let v = verdict(new, stored);
            assert!(v.overlap.own_under_shared_top, "{v:?}");
            assert!(!v.is_same(), "{v:?}");
        }
        // Under one generic headline too.
        let mut generic = fares.clone();
        generic.title = lane.title.clone();
        let v = verdict(&generic, &lane);
        assert!(!v.is_same(), "{v:?}");
        // The same story retitled, with a paragraph appended, still folds.
        let mut retitled = lane.clone();
        retitled.title = "Mill Street to Get Protected Cycle Lane".into();
        retitled.body.push(Block::paragraph(PARAGRAPHS[3]));
        let v = verdict(&retitled, &lane);
        assert!(!v.overlap.own_under_shared_top, "{v:?}");
        assert!(v.is_same(), "{v:?}");
    }

    #[test]
    fn two_appeals_under_one_headline_over_the_same_closing_lines_are_two_stories() {
        const CLOSING: [&str; 4] = [
            "Officers are keen to hear from anyone who was in the area at the time and saw \
             anything suspicious, or who has doorbell or dashcam footage that could help.",
            "Anyone with information is asked to call 101, quoting the crime reference \
             number, or to contact Crimestoppers anonymously, where calls cannot be traced.",
            "Information can also be given through the force's website using the online \
             reporting form, which is available twenty-four hours a day.",
            "Residents are reminded to keep doors and windows locked, to use timer switches \
             on lights, and to mark valuables with a postcode.",
        ];
        let appeal = |lead| {
            article(
                "Appeal for Witnesses After Burglary",
                &[&[lead][..], &CLOSING[..]].concat(),
            )
        };
        let mill_lane = appeal(
            "Jewellery and a laptop were taken from a house on Mill Lane, Northgate, on \
             Sunday evening.",
        );
        let quay_street = appeal(
            "A bicycle and power tools were stolen from a garage on Quay Street, \
             Harbourside, overnight on Wednesday.",
        );
        for (new, stored) in [(&quay_street, &mill_lane), (&mill_lane, &quay_street)] {
            let v = verdict(new, stored);
            assert!(v.shared >= 0.8, "{v:?}");
            assert!(!v.is_same(), "{v:?}");
        }
        // So are two appeals whose leads a force labels as updates: an
        // update label over news is no editor's note.
        let labelled = |appeal: &Article| {
            let mut labelled = appeal.clone();
            labelled.body[0].text = format!("UPDATE: {}", labelled.body[0].text);
            labelled
        };
        let (mill_lane_update, quay_street_update) = (labelled(&mill_lane), labelled(&quay_street));
        for (new, stored) in [
            (&quay_street_update, &mill_lane_update),
            (&mill_lane_update, &quay_street_update),
        ] {
            assert!(
                !verdict(new, stored).is_same(),
                "{:?}",
                verdict(new, stored)
            );
        }
        // The same appeal with its lead edited and a line appended is one.
        let mut edited = mill_lane.clone();
        edited.body[0].text = edited.body[0].text.replace("Jewellery", "Jewelry");
        edited.body.push(Block::paragraph(
            "A man has since been arrested and released on bail pending further enquiries.",
        ));
        assert!(verdict(&edited, &mill_lane).is_same());
    }

    const INTRO_TOO: &str = "Fishing families in Saltmarsh, who fought the first plans for the \
        harbour, said on Tuesday that they would wait to see the protected quay built before \
        they celebrated.";

    fn dated(article: &Article, hour: u32) -> Article {
        Article {
            published: Some(Utc.with_ymd_and_hms(2026, 11, 3, 0, 0, 0).unwrap())
                .map(|day| day + chrono::Duration::hours(i64::from(hour))),
            ..article.clone()
        }
    }

    #[test]
    fn two_partners_intros_over_the_whole_story_under_its_headline_are_one_story() {
        let body = |intro| [&[intro][..], &PARAGRAPHS[..]].concat();
        let first = dated(&article(HEADLINE, &body(INTRO)), 9);
        for hour in [9, 13, 28] {
            let second = dated(&article(HEADLINE, &body(INTRO_TOO)), hour);
            for (new, stored) in [(&second, &first), (&first, &second)] {
                let v = verdict(new, stored);
                assert!(v.distance > 6, "the bodies' prints alone fold them: {v:?}");
                if hour < 9 + EDITION_HOURS_APART as u32 {
                    assert_eq!((v.rule, v.update), (Rule::SharedLead, None), "{v:?}");
                } else {
                    // A new lead over the story under its headline a day
                    // later is a follow-up.
                    assert_eq!(v.rule, Rule::DistantBody, "{v:?}");
                }
            }
        }
        // Under headlines of their own, they wait for the story's own copy.
        let retitled = dated(&article("Harbour vote: what it means", &body(INTRO_TOO)), 9);
        assert!(!verdict(&retitled, &first).is_same());
        // A closing line or two under two intros is no story.
        let short = |intro| {
            dated(
                &article(HEADLINE, &[intro, PARAGRAPHS[3], PARAGRAPHS[4]]),
                9,
            )
        };
        let v = verdict(&short(INTRO_TOO), &short(INTRO));
        assert!(!v.is_same(), "{v:?}");
    }

    #[test]
    fn two_appeals_under_one_specific_headline_over_the_same_closing_lines_are_two_stories() {
        const CLOSING: [&str; 4] = [
            "Police said officers were keen to hear from anyone who was in the area at the \
             time and saw anything suspicious, or who has doorbell or dashcam footage.",
            "Anyone with information is asked to call 101, quoting the crime reference \
             number, or to contact Crimestoppers anonymously, where calls cannot be traced.",
            "Information can also be given through the force's website using the online \
             reporting form, which is available twenty-four hours a day.",
            "Residents are reminded to keep doors and windows locked, to use timer switches \
             on lights, and to mark valuables with a postcode.",
        ];
        let appeal = |lead, hour| {
            dated(
                &article(
                    "Police Appeal After Burglaries in Northgate",
                    &[&[lead][..], &CLOSING[..]].concat(),
                ),
                hour,
            )
        };
        let mill_lane = appeal(
            "Jewellery and a laptop were taken in a burglary at a house on Mill Lane, \
             Northgate, on Sunday evening.",
            9,
        );
        let quay_street = appeal(
            "A bicycle and power tools were stolen in a burglary at a garage on Quay Street, \
             Northgate, overnight on Wednesday.",
            14,
        );
        for (new, stored) in [(&quay_street, &mill_lane), (&mill_lane, &quay_street)] {
            let v = verdict(new, stored);
            assert!(v.shared >= 0.8 && v.distance > 6, "{v:?}");
            assert!(!v.is_same(), "{v:?}");
        }
    }

    #[test]
    fn a_live_page_adding_on_top_of_its_edited_lead_is_one_story() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let edited_lead = PARAGRAPHS[0].replace("on Monday", "on Monday night");
        let mut live = vec![LATER, edited_lead.as_str()];
        live.extend_from_slice(&PARAGRAPHS[1..]);
        let v = verdict(&article(HEADLINE, &live), &stored);
        assert_eq!(v.rule, Rule::SharedParagraphs, "{v:?}");
        assert!(v.is_same(), "{v:?}");
    }

    /// A story as a health desk files it, shared with the end-to-end tests:
    /// its headline, then a lead, six paragraphs, a last one.
    const MATERNITY_STORY: &str = include_str!("../../tests/fixtures/texts/maternity-wing.txt");

    static MATERNITY: std::sync::LazyLock<Vec<&str>> =
        std::sync::LazyLock::new(|| MATERNITY_STORY.trim_end().split("\n\n").skip(1).collect());

    static MATERNITY_HEADLINE: std::sync::LazyLock<&str> =
        std::sync::LazyLock::new(|| MATERNITY_STORY.lines().next().unwrap());

    #[test]
    fn leads_a_word_or_two_apart_are_one_lead_and_a_rewritten_lead_is_not() {
        let lead = |text: &str| NearPrints::of(&article("T", &[text]));
        let story = lead(MATERNITY[0]);
        for edited in [
            MATERNITY[0].replace("in labour", "in labor"),
            MATERNITY[0].replace("neighbouring towns", "nearby towns"),
            MATERNITY[0].replace("the health board said", "the board said"),
            MATERNITY[0]
                .replace("in April", "in late April")
                .replace("labour", "labor"),
        ] {
            assert_eq!(lead_edited(&lead(&edited), &story), Some(true), "{edited}");
        }
        for rewritten in [
            // Eight words more: 13 bits from the story's lead.
            MATERNITY[0].replace(
                "Riverside Hospital will open",
                "Midwives will challenge the staffing plan of Riverside Hospital, which will open",
            ),
            // The same words, the clauses in another order.
            "Riverside Hospital's new maternity wing, which the health board said on Wednesday \
             would open in April, will double the number of delivery rooms and end the transfer \
             of mothers in labour to hospitals in neighbouring towns."
                .to_string(),
        ] {
            assert_eq!(
                lead_edited(&lead(&rewritten), &story),
                Some(false),
                "{rewritten}"
            );
        }
        // Prints that keep no lead words (stored before they were kept, or
        // a lead too short to compare) cannot tell.
        let mut old = story.clone();
        old.lead_words.clear();
        assert_eq!(lead_edited(&old, &story), None);
        assert!(lead("Police declined to comment.").lead_words.is_empty());
        assert!(word_edits_within(&[1, 2, 3], &[1, 3], 1));
        assert!(word_edits_within(&[1, 2, 3], &[3, 2, 1], 2));
        assert!(!word_edits_within(&[1, 2, 3], &[3, 2, 1], 1));
        assert!(!word_edits_within(&[1, 2, 3, 4, 5], &[1, 2], 2));
        assert!(word_edits_within(&[], &[7, 8], 2));
    }

    #[test]
    fn the_banded_word_edit_test_agrees_with_the_whole_table() {
        fn levenshtein(a: &[u16], b: &[u16]) -> usize {
            let mut row: Vec<usize> = (0..=b.len()).collect();
            for (i, x) in a.iter().enumerate() {
                let mut diagonal = row[0];
                row[0] = i + 1;
                for (j, y) in b.iter().enumerate() {
                    let replaced = diagonal + usize::from(x != y);
                    diagonal = row[j + 1];
                    row[j + 1] = replaced.min(row[j] + 1).min(diagonal + 1);
                }
            }
            row[b.len()]
        }
        // Every word sequence of up to five words over three words.
        let mut all: Vec<Vec<u16>> = vec![vec![]];
        for len in 1..=5 {
            let mut next = Vec::new();
            for s in all.iter().filter(|s| s.len() == len - 1) {
                for w in 1..=3 {
                    next.push([&s[..], &[w]].concat());
                }
            }
            all.extend(next);
        }
        for a in &all {
            for b in &all {
                let d = levenshtein(a, b);
                for most in 0..=3 {
                    assert_eq!(
                        word_edits_within(a, b, most),
                        d <= most,
                        "{a:?} {b:?} {most}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_story_retitled_with_its_lead_respelled_and_a_paragraph_added_or_cut_is_one_story() {
        let stored = article(*MATERNITY_HEADLINE, &MATERNITY);
        let respelled = MATERNITY[0].replace("in labour", "in labor");
        // An update: a new headline, the lead respelled, a paragraph
        // appended. It extends the story and replaces its text.
        let filled = "On Friday the board said it had now filled all sixty midwife posts, and \
            that the first mothers would be admitted to the wing on the second of April.";
        let mut update = vec![respelled.as_str()];
        update.extend_from_slice(&MATERNITY[1..]);
        update.push(filled);
        let v = verdict(
            &article(
                "Maternity Wing Opening Confirmed as Midwife Posts Are Filled",
                &update,
            ),
            &stored,
        );
        assert!(v.is_same(), "{v:?}");
        assert!(v.overlap.lead_edited && v.overlap.new_lead() == 0, "{v:?}");
        assert_eq!(v.update, Some(Update::Longer), "{v:?}");
        // A partner's copy: its own headline, the lead respelled, the last
        // paragraph cut. Folded, replacing nothing.
        let mut cut = vec![respelled.as_str()];
        cut.extend_from_slice(&MATERNITY[1..7]);
        let partner = article("Valley mothers to give birth closer to home", &cut);
        for (new, stored) in [(&partner, &stored), (&stored, &partner)] {
            let v = verdict(new, stored);
            assert!(v.is_same() && v.overlap.lead_edited, "{v:?}");
        }
        assert_eq!(verdict(&partner, &stored).update, None);
    }

    /// Asserts that a follow-up of the port story is another story, whichever
    /// is stored first: its lead is the story's rewritten around `around`
    /// (in place of the story's opening words), over `background` and a
    /// closing line of its own, under its own headline.
    fn assert_follow_up_apart(around: &str, background: &[&str]) {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let rewritten =
            PARAGRAPHS[0].replace("The board of the Port of Calder voted on Monday", around);
        let mut body = vec![rewritten.as_str()];
        body.extend_from_slice(background);
        body.push(
            "A hearing is expected before the end of January, and the port said work would \
             start on time whatever its outcome.",
        );
        let follow_up = article(
            "Environmental Groups Appeal Port of Calder Harbour Expansion",
            &body,
        );
        for (new, stored) in [(&follow_up, &stored), (&stored, &follow_up)] {
            let v = verdict(new, stored);
            assert!(!v.overlap.lead_edited, "{v:?}");
            assert!(!v.is_same(), "{v:?}");
        }
    }

    #[test]
    fn a_follow_up_rewriting_the_lead_around_the_original_is_another_story() {
        let background = [&PARAGRAPHS[1..4], &[LATER, LATER_TOO][..]].concat();
        assert_follow_up_apart(
            "Environmental groups will appeal the decision of the board of the Port of Calder on \
             Monday",
            &background,
        );
    }

    #[test]
    fn a_follow_up_rewriting_the_lead_around_the_original_over_all_of_it_is_another_story() {
        assert_follow_up_apart(
            "Environmental groups said on Tuesday they would appeal after the board of the Port \
             of Calder voted on Monday",
            &PARAGRAPHS[1..],
        );
    }

    #[test]
    fn a_follow_up_whose_lead_goes_on_in_a_short_sentence_is_another_story() {
        let stored = article(*MATERNITY_HEADLINE, &MATERNITY);
        let follow_up = article(
            "Health Board Delays Riverside Maternity Wing",
            &[
                &[
                    "The opening of Riverside Hospital's new maternity wing has been put back \
                     until the autumn after inspectors found faults in its ventilation system, \
                     the health board said on Thursday.",
                    "Mothers will still be sent to Carrow.",
                ][..],
                &MATERNITY[..6],
            ]
            .concat(),
        );
        for (new, stored) in [(&follow_up, &stored), (&stored, &follow_up)] {
            let v = verdict(new, stored);
            assert_eq!(v.rule, Rule::NewLead, "{v:?}");
            assert_eq!(
                v.evidence().unwrap().to_string(),
                "contained: 6 of 8 paragraphs, new lead of 2 paragraphs"
            );
        }
    }

    #[test]
    fn page_furniture_under_a_local_intro_is_no_lead() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        for furniture in [
            "Advertisement",
            "Read more: Harbour vote explained",
            "Listen to this article",
            "Copyright Ardmore Gazette. All rights reserved.",
        ] {
            let local = article(
                "Harbour Expansion Approved: What It Means for Ardmore",
                &[&[INTRO, furniture][..], &PARAGRAPHS[..]].concat(),
            );
            for (new, stored) in [(&local, &stored), (&stored, &local)] {
                let v = verdict(new, stored);
                assert!(v.is_same(), "{furniture}: {v:?}");
                assert_eq!(v.overlap.new_lead(), 1, "{furniture}: {v:?}");
            }
        }
        // A short sentence on top of the story, with no lead before it, is
        // a one-line intro.
        let introduced = article(
            HEADLINE,
            &[
                &["Residents of the east quay have waited two years."][..],
                &PARAGRAPHS[..],
            ]
            .concat(),
        );
        assert!(verdict(&introduced, &stored).is_same());
    }

    #[test]
    fn a_briefing_quoting_a_story_is_another_article() {
        let story = article(
            "Rail Strike Called Off After Late Talks",
            &[
                "A planned rail strike was called off late on Monday after talks between the \
                 union and the operator produced a new pay offer.",
                "The union said members would vote on the offer over the next two weeks, and \
                 services would run normally in the meantime.",
            ],
        );
        let briefing = article(
            "Morning Briefing: budget, storms and a rail strike called off",
            &[
                "Parliament returns from its summer break today with the budget at the top of \
                 the agenda, and the opposition has promised a fight over fuel duty.",
                &story.body[0].text,
                &story.body[1].text,
                "Overnight, storms brought down power lines across the north, leaving 12,000 \
                 homes without electricity until the early hours.",
                "In sport, Rovers beat United 2-1 to move into the top half of the table after \
                 a late goal from Tom Baker.",
            ],
        );
        for (new, stored) in [(&briefing, &story), (&story, &briefing)] {
            let v = verdict(new, stored);
            assert!(!v.is_same(), "{v:?}");
        }
    }

    const TRAINS: [&str; 5] = [
        "Northline Rail has ordered 40 new electric trains worth 620 million pounds to replace \
         the oldest diesel units on its coastal routes, the operator said on Tuesday.",
        "The trains will be built at the Dunmore works, securing around 900 jobs there until \
         the end of the decade, and the first are due to enter service in the spring of 2029.",
        "Managing director Alan Purcell said the fleet would cut journey times between Calder \
         and Westport by up to 12 minutes and carry a third more passengers at peak times.",
        "The order is the largest placed by a regional operator since the network was split \
         into franchises, according to the industry body Rail Partners.",
        "Unions welcomed the deal but said Northline must recruit more drivers if the extra \
         services are to run as promised.",
    ];

    #[test]
    fn a_digest_opening_with_a_whole_story_and_going_on_to_other_items_is_another_article() {
        let story = article(
            "Northline Rail Orders 40 Electric Trains in 620m Deal",
            &TRAINS,
        );
        let mut body = TRAINS.to_vec();
        body.extend([
            "In other news, Calder Water said it would raise bills by 7% from April to pay for \
             new sewage works, the largest rise in the region for a decade.",
            "Shares in the software maker Quillon fell 9% after it warned that large customers \
             were delaying contracts until the new year.",
            "The FTSE 100 closed 0.4% higher, led by miners, while the pound edged down against \
             the dollar ahead of Thursday's inflation figures.",
            "Get the evening briefing in your inbox every weekday.",
        ]);
        let digest = article("Evening briefing: the day's business news", &body);
        for (new, stored) in [(&digest, &story), (&story, &digest)] {
            let v = verdict_stored(new, stored);
            assert!(!v.is_same(), "{v:?}");
            assert_eq!(v.overlap.contained, 1.0, "{v:?}");
        }
        // A retitled copy of the story with one paragraph appended (an
        // update, a correction) still extends it, under any headline.
        let mut updated = TRAINS.to_vec();
        updated.push(
            "Correction: an earlier version of this story said the trains would be built at \
             Carrow. They will be built at Dunmore.",
        );
        let retitled = article("Dunmore works to build coastal fleet", &updated);
        let v = verdict_stored(&retitled, &story);
        assert!(v.similarity < NearConfig::default().headline_similarity);
        assert_eq!((v.rule, v.update), (Rule::Contained, Some(Update::Longer)));
        assert_eq!(verdict_stored(&story, &retitled).rule, Rule::Contained);
        // Two paragraphs appended: still the story under a headline about
        // it, whether or not it is like the stored one.
        updated.push(
            "Rail Partners said on Wednesday that two other operators were in talks with the \
             Dunmore works over similar orders.",
        );
        let retitled = article("Dunmore works to build coastal fleet", &updated);
        for (new, stored) in [(&retitled, &story), (&story, &retitled)] {
            let v = verdict_stored(new, stored);
            assert_eq!((v.rule, v.overlap.longer_trailing), (Rule::Contained, 2));
        }
        let related = article(
            "Northline Rail signs 620m train order with Dunmore",
            &updated,
        );
        for (new, stored) in [(&related, &story), (&story, &related)] {
            assert!(verdict_stored(new, stored).is_same());
        }
        assert_eq!(
            verdict_stored(&related, &story).update,
            Some(Update::Longer)
        );
    }

    #[test]
    fn one_text_over_different_media_files_is_two_items() {
        let bulletin = |file: Option<&str>| {
            let mut item = article(HEADLINE, &PARAGRAPHS);
            item.enclosures = file
                .map(|url| crate::model::Enclosure {
                    url: url.into(),
                    ..Default::default()
                })
                .into_iter()
                .collect();
            item
        };
        let monday = bulletin(Some("https://radio.example/0601.mp3"));
        let tuesday = bulletin(Some("https://radio.example/0602.mp3"));
        let v = verdict(&tuesday, &monday);
        assert_eq!((v.rule, v.is_same()), (Rule::OtherMedia, false), "{v:?}");
        // The same file, or a copy without one, is the same story.
        let again = bulletin(Some("https://radio.example/0601.mp3"));
        assert_eq!(verdict(&again, &monday).rule, Rule::Exact);
        for (new, stored) in [(&bulletin(None), &monday), (&monday, &bulletin(None))] {
            let v = verdict(new, stored);
            assert!(v.is_same(), "{v:?}");
        }
    }

    #[test]
    fn headlines_with_no_text_are_no_exact_repeat() {
        let at =
            |month: u32, day: u32| Some(Utc.with_ymd_and_hms(2026, month, day, 6, 0, 0).unwrap());
        let header = |published| Article {
            published,
            ..article("Council meeting tonight", &[])
        };
        // Months apart, a day apart or under one date, or undated, under
        // one recurring headline: nothing ties them to one story.
        for stored in [header(at(3, 3)), header(at(12, 2)), header(at(12, 3))] {
            let v = verdict(&header(at(12, 3)), &stored);
            assert!(!v.is_same(), "{v:?}");
        }
        let v = verdict(&header(None), &header(None));
        assert!(!v.is_same(), "{v:?}");
        // A header under the date of the whole story is its start.
        let whole = Article {
            published: at(12, 3),
            ..article(HEADLINE, &PARAGRAPHS)
        };
        let start = Article {
            published: at(12, 3),
            ..article(HEADLINE, &[])
        };
        assert_eq!(verdict(&whole, &start).rule, Rule::CutCopy);
    }

    #[test]
    fn copies_dated_weeks_apart_are_two_stories() {
        let dated =
            |year: i32, day: u32| Some(Utc.with_ymd_and_hms(year, 9, day, 9, 0, 0).unwrap());
        let mut last_year = article(HEADLINE, &PARAGRAPHS);
        last_year.published = dated(2025, 3);
        let mut body = PARAGRAPHS;
        let changed = PARAGRAPHS[3].replace("three years", "four years");
        body[3] = &changed;
        let mut this_year = article(HEADLINE, &body);
        this_year.published = dated(2026, 1);
        let v = verdict(&this_year, &last_year);
        assert_eq!((v.rule, v.update), (Rule::DatedApart, None), "{v:?}");
        // Days apart, the same copy is a later version of the story.
        this_year.published = dated(2025, 5);
        let v = verdict(&this_year, &last_year);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, Some(Update::Newer));
        // An exact repeat is one story whenever it comes back.
        let mut again = last_year.clone();
        again.published = dated(2026, 1);
        assert_eq!(verdict(&again, &last_year).rule, Rule::Exact);
        // An undated copy has no date to tell it apart.
        this_year.published = None;
        assert!(verdict(&this_year, &last_year).is_same());
        // Nor has a stored article that came undated, though the store
        // dates it when first seen; one that gave that date is dated.
        this_year.published = dated(2026, 1);
        let (new, mut stored) = (NearPrints::of(&this_year), NearPrints::of(&last_year));
        stored.undated = true;
        let config = NearConfig::default();
        assert!(compare(&new, &stored, &config).is_same());
        stored.undated = false;
        assert_eq!(compare(&new, &stored, &config).rule, Rule::DatedApart);
    }

    #[test]
    fn a_daily_bulletins_editions_are_two_items() {
        const TEMPLATE: [&str; 3] = [
            "Tide times are published each day by the Calder harbour office for the main harbour, the marina and the outer anchorage, and are given in local time.",
            "Times can vary by up to twenty minutes in strong winds or unusual air pressure, and mariners should always check with the harbour office before setting out.",
            "The harbour office is open from seven in the morning until seven in the evening and can be reached on channel twelve at all other times.",
        ];
        let edition = |title: &str, day: u32, figures: &str| {
            let mut body = TEMPLATE.to_vec();
            body.push(figures);
            let mut a = article(title, &body);
            a.published = Some(Utc.with_ymd_and_hms(2026, 11, day, 5, 0, 0).unwrap());
            a
        };
        let monday = edition(
            "Calder tide times for Monday 30 November",
            30,
            "High water 06:12 and 18:40; low water 00:05 and 12:27.",
        );
        let mut tuesday = edition(
            "Calder tide times for Tuesday 1st December",
            30,
            "High water 06:58 and 19:21; low water 00:49 and 13:10.",
        );
        tuesday.published = Some(Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap());
        let v = verdict(&tuesday, &monday);
        assert_eq!((v.rule, v.is_same()), (Rule::DatedApart, false), "{v:?}");
        // Undated, the headlines alone tell the days apart.
        let (mut a, mut b) = (tuesday.clone(), monday.clone());
        (a.published, b.published) = (None, None);
        assert_eq!(verdict(&a, &b).rule, Rule::DatedApart);
        // The same day written two ways on one date is one story.
        let mut renamed = monday.clone();
        renamed.title = "Calder tide times for 30 November".into();
        assert!(verdict(&renamed, &monday).is_same());
        // Numbers that are no date: a later version of one story.
        let toll = |n: &str| {
            let mut body = TEMPLATE.to_vec();
            let lead = format!("The death toll rose to {n} on Monday, the harbour office said.");
            body.insert(0, &lead);
            let mut a = article(&format!("Calder ferry death toll rises to {n}"), &body);
            a.published = monday.published;
            NearPrints::of(&a)
        };
        let v = compare(&toll("15"), &toll("12"), &NearConfig::default());
        assert_ne!(v.rule, Rule::DatedApart, "{v:?}");
    }

    /// A forecast written from one template: `place` and `day` in its
    /// lead, the figures the same every time.
    fn forecast(title: &str, place: &str, day: &str, published: u32) -> Article {
        let lead = format!(
            "{place} will see sunny spells on {day}, with a high of 7C and an overnight low of 1C."
        );
        let mut a = article(
            title,
            &[
                &lead,
                "Winds will be light and westerly, easing later in the evening.",
                "There is a low chance of rain, under 20 percent, for most of the day.",
                "The outlook for the weekend is settled, with high pressure building from the south.",
            ],
        );
        a.published = Some(Utc.with_ymd_and_hms(2026, 12, published, 5, 0, 0).unwrap());
        a
    }

    #[test]
    fn a_forecasts_editions_naming_their_day_in_the_lead_are_two_items() {
        let thursday = forecast("Halden weather forecast", "Halden", "Thursday", 3);
        for (day, published) in [("Friday", 4), ("Saturday", 5)] {
            let next = forecast("Halden weather forecast", "Halden", day, published);
            let v = verdict(&next, &thursday);
            assert_eq!((v.rule, v.is_same()), (Rule::DatedApart, false), "{v:?}");
        }
        // A date in the lead, beside its month, tells editions apart too.
        let dated = |day: &str, published: u32| {
            forecast("Weather", "Halden", &format!("{day} December"), published)
        };
        let v = verdict(&dated("4", 4), &dated("3", 3));
        assert_eq!(v.rule, Rule::DatedApart, "{v:?}");
        // The day corrected on the day the story ran is an edit of it.
        let mut corrected = forecast("Halden weather forecast", "Halden", "Friday", 3);
        corrected.published = Some(Utc.with_ymd_and_hms(2026, 12, 3, 7, 0, 0).unwrap());
        let v = verdict(&corrected, &thursday);
        assert_eq!(
            (v.is_same(), v.update),
            (true, Some(Update::Newer)),
            "{v:?}"
        );
    }

    #[test]
    fn reports_from_one_template_naming_other_places_in_the_lead_are_two_stories() {
        let halden = forecast("Weather forecast", "Halden", "Thursday", 3);
        let portmore = forecast("Weather forecast", "Portmore", "Thursday", 3);
        let v = verdict(&portmore, &halden);
        assert_eq!((v.rule, v.is_same()), (Rule::OtherNames, false), "{v:?}");
        // Inside a sentence, a name is told by its capital as well.
        let lead = |town: &str| {
            format!(
                "Forecasters expect sunny spells over {town} on Thursday, with a high of 7C and an overnight low of 1C."
            )
        };
        let (a, b) = (lead("Halden"), lead("Portmore"));
        let rest = "Winds will be light and westerly, easing later in the evening.";
        let v = verdict(
            &article("Weather forecast", &[&b, rest]),
            &article("Weather forecast", &[&a, rest]),
        );
        assert_eq!(v.rule, Rule::OtherNames, "{v:?}");
        // A name's typo fixed, and a common word corrected at a sentence's
        // start, are edits of one story.
        let typo = forecast("Weather forecast", "Hadlen", "Thursday", 3);
        let v = verdict(&halden, &typo);
        assert!(v.is_same(), "{v:?}");
        let mut twelve = PARAGRAPHS;
        let (lead_12, lead_15) = (
            format!("Twelve {}", PARAGRAPHS[0]),
            format!("Fifteen {}", PARAGRAPHS[0]),
        );
        twelve[0] = &lead_12;
        let mut fifteen = PARAGRAPHS;
        fifteen[0] = &lead_15;
        let v = verdict(&article(HEADLINE, &fifteen), &article(HEADLINE, &twelve));
        assert!(v.is_same(), "{v:?}");
    }

    #[test]
    fn template_leads_with_a_name_and_the_figures_filled_anew_are_two_reports() {
        let lead = |town: &str, sky: &str, high: u32| {
            format!(
                "{town} will see a {sky} start to Saturday with outbreaks of rain spreading \
                 from the west by late morning, and highs of {high}C."
            )
        };
        let forecast = |lead: &str| {
            article(
                "Weather forecast",
                &[
                    lead,
                    "Winds will be fresh to strong from the south-west, gusting up to 45 mph on \
                     exposed coasts during the afternoon.",
                    "Overnight, temperatures will fall to around 4C under clearing skies, with a \
                     risk of patchy fog inland.",
                    "Sunday looks drier and brighter for most, though showers may return to \
                     western areas later in the day.",
                ],
            )
        };
        let westmere = forecast(&lead("Westmere", "cloudy", 9));
        // Another town (of two words) and the day's figure, or another town,
        // sky and figure: three words apart, more than a light edit.
        for other in [
            lead("Port Calder", "cloudy", 11),
            lead("Halden", "bright", 11),
        ] {
            let v = verdict(&forecast(&other), &westmere);
            assert_eq!(
                (v.rule, v.is_same()),
                (Rule::OtherNames, false),
                "{other}: {v:?}"
            );
        }
        // The town's forecast with its sky and figures corrected is the story.
        let v = verdict(&forecast(&lead("Westmere", "bright", 11)), &westmere);
        assert!(v.is_same(), "{v:?}");
        // Two obituaries from one template: a name and an age in the lead.
        let obituary = |name: &str, age: u32| {
            let lead = format!(
                "{name}, who has died aged {age}, spent more than half a century working on the \
                 harbour at Westmere, first as a deckhand and later as its longest-serving \
                 harbourmaster."
            );
            let mut body = vec![lead];
            body.extend(PARAGRAPHS[1..].iter().map(|p| p.to_string()));
            let body: Vec<&str> = body.iter().map(String::as_str).collect();
            article("Obituary: a life devoted to the harbour", &body)
        };
        let v = verdict(
            &obituary("Robert Hughes", 79),
            &obituary("Margaret Ellis", 87),
        );
        assert_eq!((v.rule, v.is_same()), (Rule::OtherNames, false), "{v:?}");
        // Her name respelled and her age corrected: an edit of hers.
        let v = verdict(
            &obituary("Margret Ellis", 88),
            &obituary("Margaret Ellis", 87),
        );
        assert!(v.is_same(), "{v:?}");
    }

    #[test]
    fn another_towns_name_is_no_respelling_whichever_copy_names_it() {
        // Two letters added apart would make a spelling of "westmere" whose
        // hash is that of "halden" ("wesetmaere"): the plain Halden report
        // stored, a partner's intro over the Westmere one, folded.
        let intro = "The Westmere Gazette brings you the weekend outlook from our partners at \
                     the regional weather centre, as clean-up continues after the storm.";
        let forecast = |town: &str, intro: Option<&str>| {
            let lead = format!(
                "{town} will see a cloudy start to Saturday with outbreaks of rain spreading \
                 from the west by late morning, and highs of 9C."
            );
            let mut body: Vec<&str> = intro.into_iter().collect();
            body.extend([
                lead.as_str(),
                "Winds will be fresh to strong from the south-west, gusting up to 45 mph on \
                 exposed coasts during the afternoon.",
                "Overnight, temperatures will fall to around 4C under clearing skies, with a \
                 risk of patchy fog inland.",
                "Sunday looks drier and brighter for most, though showers may return to \
                 western areas later in the day.",
            ]);
            article("Weather forecast", &body)
        };
        let config = NearConfig::default();
        for (new, stored) in [
            (forecast("Westmere", Some(intro)), forecast("Halden", None)),
            (forecast("Halden", None), forecast("Westmere", Some(intro))),
        ] {
            let v = compare(&NearPrints::of(&new), &stored_prints(&stored), &config);
            assert_eq!((v.rule, v.is_same()), (Rule::OtherNames, false), "{v:?}");
        }
        assert!(!respelled("westmere", crate::dedup::word_hash("halden")));
        for (word, other) in [("jewellery", "jewelry"), ("catalog", "catalogue")] {
            assert!(respelled(word, crate::dedup::word_hash(other)), "{word}");
        }
    }

    #[test]
    fn one_line_leads_of_their_own_over_shared_closing_lines_stay_apart() {
        let closing = [
            "Anyone with information is asked to contact Calder Police on 101, quoting the \
             crime reference number, or to call Crimestoppers anonymously on 0800 555 111.",
            "Officers are also keen to view any doorbell, dashcam or CCTV footage recorded in \
             the area at the time, which may help with their inquiries.",
            "Residents are reminded to keep doors and windows locked, to mark valuables with a \
             postcode and to report any suspicious activity immediately.",
        ];
        let appeal = |title: &str, lead: &str, hour: u32| {
            let mut body = vec![lead];
            body.extend(closing);
            let mut a = article(title, &body);
            a.published = Some(Utc.with_ymd_and_hms(2026, 12, 5, hour, 0, 0).unwrap());
            a
        };
        let (westmere, port_calder) = (
            "A house in Westmere was burgled on Thursday night.",
            "A flat in Port Calder was burgled on Friday evening.",
        );
        const APPEAL: &str = "Appeal for Witnesses After Burglary";
        for (first, second) in [
            (APPEAL, APPEAL),
            ("Westmere House Burgled", "Port Calder Flat Burgled"),
        ] {
            let v = verdict(
                &appeal(second, port_calder, 15),
                &appeal(first, westmere, 10),
            );
            assert!(!v.is_same(), "{first} / {second}: {v:?}");
            assert!(v.overlap.both_lead(), "{v:?}");
        }
        // The same appeal with its one line corrected is the appeal.
        let corrected = "A house in Westmere was burgled on Thursday evening.";
        let v = verdict(
            &appeal(APPEAL, corrected, 15),
            &appeal(APPEAL, westmere, 10),
        );
        assert!(v.is_same(), "{v:?}");
        // A newsletter's editions, one short item each over its footer.
        let footer = [
            "You are receiving this newsletter because you signed up on the Westmere Gazette \
             website; you can change your preferences or unsubscribe at any time.",
            "The Westmere Gazette is published by Calder Media, 12 Quay Road, Westmere, and is \
             a member of the Independent Press Standards Organisation.",
            "Got a story for us? Email the newsdesk or call us on 01632 960 000, and follow us \
             for the latest news, sport and what's on across the district.",
        ];
        let edition = |item: &str| {
            let mut body = vec![item];
            body.extend(footer);
            article("Westmere Gazette newsletter", &body)
        };
        let v = verdict(
            &edition("The library reopens on Monday after its refit."),
            &edition("Road works close Quay Road until Friday."),
        );
        assert!(!v.is_same(), "{v:?}");
    }

    /// Editor's notes, corrections and update lines a desk puts on top of
    /// (or under) a story it has already run, in the languages whose dates
    /// the reader knows.
    const EDITORS_NOTES: [&str; 8] = [
        "This story was updated at 9am to include a statement from the council.",
        "Editor's note: an earlier version misnamed the school.",
        "Correction: an earlier version of this article gave the wrong date for the vote.",
        "Clarification: this article has been amended to make clear that the vote was advisory.",
        "Update: this article now includes the date of the vote, confirmed by the council.",
        "Note de la rédaction : une version précédente de cet article comportait une erreur.",
        "Korrektur: In einer früheren Version dieses Artikels stand ein falsches Datum.",
        "Nota del editor: una versión anterior de este artículo contenía un error.",
    ];

    /// A short story (a lead and two paragraphs), with `note` on top or,
    /// `below`, under it.
    fn noted_school_story(title: &str, note: Option<&str>, below: bool) -> Article {
        let mut body = vec![
            "The council has approved plans for a new primary school on the former bus depot \
             site in Westmere, ending two years of debate over the future of the land.",
            "Councillors voted seven to two in favour of the scheme on Tuesday evening, after \
             officers said the building would ease pressure on places across the town.",
            "Work is expected to begin next spring, with the school opening to its first pupils \
             in September 2028 if the timetable holds.",
        ];
        match (note, below) {
            (Some(note), false) => body.insert(0, note),
            (Some(note), true) => body.push(note),
            (None, _) => {}
        }
        article(title, &body)
    }

    #[test]
    fn one_story_under_an_editors_note_of_its_own_folds_whichever_came_first() {
        const TITLE: &str = "Council Approves New Westmere School";
        const RETITLED: &str = "Westmere School Plan Approved by Council";
        let plain = noted_school_story(TITLE, None, false);
        for (i, note) in EDITORS_NOTES.iter().enumerate() {
            assert!(editors_note(&crate::normalize::fold(note)), "{note}");
            let on_top = noted_school_story(TITLE, Some(note), false);
            let below = noted_school_story(RETITLED, Some(note), true);
            let other = EDITORS_NOTES[(i + 1) % EDITORS_NOTES.len()];
            let other_on_top = noted_school_story(TITLE, Some(other), false);
            let retitled_other = noted_school_story(RETITLED, Some(other), false);
            for (a, b) in [
                (&on_top, &other_on_top),
                (&on_top, &retitled_other),
                (&on_top, &plain),
                (&below, &plain),
                (&below, &other_on_top),
            ] {
                for (new, stored) in [(a, b), (b, a)] {
                    let v = verdict_stored(new, stored);
                    assert!(
                        v.is_same(),
                        "{:?} over {:?}: {v:?}",
                        new.body[0].text,
                        stored.body[0].text
                    );
                }
            }
        }
    }

    #[test]
    fn a_note_is_about_the_article_not_a_line_of_news() {
        for line in [
            "A house in Westmere was burgled on Thursday night.",
            "The library reopens on Monday after its refit.",
            "The council said it would update residents next week.",
            "Police have corrected the time of the collision to 9.40pm.",
            "UPDATE: A bicycle and power tools were stolen from a garage on Quay Street.",
            "Update - the missing man has been found safe and well.",
            "MPs passed the housing bill after an earlier version was rejected in March.",
            "The firm released a fix for a crash in a previous version of its app.",
        ] {
            assert!(!editors_note(&crate::normalize::fold(line)), "{line}");
        }
    }

    #[test]
    fn news_under_an_update_label_is_no_note_and_a_line_about_the_piece_is() {
        for line in [
            "Update: police have now named the man.",
            "UPDATE 2: The council voted 7-2 on Tuesday night.",
            "UPDATE: The council voted 7-2 on Tuesday night, its second vote of this year.",
            "Updated: the road will stay closed for the rest of this week.",
            "Update 3 - the fire service said crews would stay at the scene of this morning's blaze.",
            "MPs passed the bill after an earlier version of this year's budget was rejected.",
        ] {
            assert!(!editors_note(&crate::normalize::fold(line)), "{line}");
        }
        for line in [
            "UPDATE 2: This article now includes the council's vote count.",
            "Update, 9am: this story now includes a statement from police.",
            "Updated at 10.30am: an earlier version of this report gave the wrong date.",
            "Update (3 March): this version adds the names of the councillors.",
            "Correction: an earlier version of this story misnamed the school.",
        ] {
            assert!(editors_note(&crate::normalize::fold(line)), "{line}");
        }
    }

    #[test]
    fn news_under_an_update_label_is_a_lead_of_its_own_as_without_the_label() {
        const CLOSING: [&str; 3] = [
            "Anyone with information is asked to call the force on its non-emergency \
             number, or to contact Crimestoppers anonymously, where calls cannot be traced.",
            "Information can also be given through the force's website using the online \
             reporting form, which is available twenty-four hours a day.",
            "Residents are reminded to keep doors and windows locked, to use timer switches \
             on lights, and to mark valuables with a postcode.",
        ];
        let appeal = |lead: Option<&str>| {
            let mut body: Vec<&str> = lead.into_iter().collect();
            body.extend(CLOSING);
            article("Appeal for Witnesses After Burglary", &body)
        };
        let news = [
            "Jewellery and a laptop were taken from a house on Mill Lane, Northgate, on \
             Sunday evening, the third break-in of this month.",
            "A bicycle and power tools were stolen from a garage on Quay Street, Harbourside, \
             overnight on Wednesday, the second of this week.",
        ];
        let same = |leads: [Option<String>; 2]| {
            let [a, b] = leads.map(|lead| appeal(lead.as_deref()));
            [verdict_stored(&a, &b), verdict_stored(&b, &a)].map(|v| v.is_same())
        };
        let plain = |i: usize| Some(news[i].to_string());
        assert_eq!(same([plain(0), plain(1)]), [false, false], "two appeals");
        // Under update labels, numbered or not, the two leads are the news
        // they are: two appeals still, as a lead over the closing lines alone is.
        for labels in [["Update: ", "UPDATE 2: "], ["UPDATE: ", "Update 3 - "]] {
            let labelled = |i: usize| Some(format!("{}{}", labels[i], news[i]));
            assert_eq!(
                same([labelled(0), labelled(1)]),
                [false, false],
                "{labels:?}"
            );
            for i in 0..2 {
                assert_eq!(
                    same([labelled(i), None]),
                    same([plain(i), None]),
                    "{labels:?} {i}"
                );
            }
        }
        // A note about the piece under an update label is no lead: one story,
        // under another note or none.
        const TITLE: &str = "Council Approves New Westmere School";
        let noted = noted_school_story(
            TITLE,
            Some("UPDATE 2: This article now includes the council's vote count."),
            false,
        );
        let corrected = noted_school_story(
            TITLE,
            Some("Editor's note: an earlier version of this story misnamed the depot."),
            false,
        );
        let plain = noted_school_story(TITLE, None, false);
        for (a, b) in [(&noted, &corrected), (&noted, &plain)] {
            for (new, stored) in [(a, b), (b, a)] {
                let v = verdict_stored(new, stored);
                assert!(v.is_same(), "{v:?}");
            }
        }
    }

    #[test]
    fn reports_naming_other_places_in_a_script_without_capitals_are_two_stories() {
        let rest = [
            "气象专家提醒，本周后期将有一次较强冷空气过程，气温明显下降，请市民及时增添衣物。",
            "受降雨影响，部分路段能见度较低，驾车出行请减速慢行，注意交通安全。",
        ];
        let chinese = |lead: String| {
            let mut paragraphs = vec![lead.as_str()];
            paragraphs.extend(rest);
            article("天气预报", &paragraphs)
        };
        let lead = |city: &str, sky: &str, wind: &str| {
            format!(
                "{city}气象台今天上午发布预报：今天阴有{sky}，东南风{wind}级，最高气温14℃；明天多云，最低气温8℃。"
            )
        };
        let guangzhou = chinese(lead("广州市", "小雨", "二三"));
        let v = verdict(&chinese(lead("深圳市", "小雨", "二三")), &guangzhou);
        assert_eq!((v.rule, v.is_same()), (Rule::OtherNames, false), "{v:?}");
        // One ideograph put right, and numerals, are edits.
        for edited in [
            lead("广州市", "小语", "二三"),
            lead("广州市", "小雨", "三四"),
        ] {
            let v = verdict(&guangzhou, &chinese(edited));
            assert!(v.is_same(), "{v:?}");
        }
        // A word rewritten in place is an edit, whatever its length.
        let v = verdict(&guangzhou, &chinese(lead("广州市", "大雨", "二三")));
        assert!(v.is_same(), "{v:?}");
        let rewritten = chinese(lead("广州市", "小雨", "二三").replace("最高气温", "最低气温"));
        assert!(verdict(&guangzhou, &rewritten).is_same());
        // Two ideographs rewritten that close no name: the wind turned.
        let turned = chinese(lead("广州市", "小雨", "二三").replace("东南风", "西北风"));
        let v = verdict(&guangzhou, &turned);
        assert!(v.is_same(), "{v:?}");
    }

    #[test]
    fn a_copy_republished_word_for_word_later_is_no_later_version() {
        let at = |hour: u32| Some(Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap());
        let mut stored = article(HEADLINE, &PARAGRAPHS);
        stored.published = at(8);
        let later = |title: &str, body: &[&str]| {
            let mut copy = article(title, body);
            copy.published = at(11);
            copy
        };
        let suffixed = format!("{HEADLINE} | Island Times");
        let v = verdict(&later(&suffixed, &PARAGRAPHS), &stored);
        assert_eq!((v.rule, v.update), (Rule::FoldedHeadline, None), "{v:?}");
        // Its paragraphs run together, or a dateline on top: the same words.
        let merged = format!("{} {}", PARAGRAPHS[0], PARAGRAPHS[1]);
        let mut body = vec![merged.as_str()];
        body.extend(&PARAGRAPHS[2..]);
        let v = verdict(&later(HEADLINE, &body), &stored);
        assert!(v.is_same() && v.update.is_none(), "{v:?}");
        let datelined = format!("PORTMORE (Calder Wire) - {}", PARAGRAPHS[0]);
        let mut body = PARAGRAPHS;
        body[0] = &datelined;
        let v = verdict(&later(HEADLINE, &body), &stored);
        assert!(v.is_same() && v.update.is_none(), "{v:?}");
        // A word of it changed: a later version.
        let corrected = PARAGRAPHS[3].replace("three years", "four years");
        let mut body = PARAGRAPHS;
        body[3] = &corrected;
        let v = verdict(&later(HEADLINE, &body), &stored);
        assert_eq!(v.update, Some(Update::Newer), "{v:?}");
    }

    #[test]
    fn a_revised_copy_is_later_than_an_undated_stored_text_read_after_it() {
        let at = |day: u32| Some(Utc.with_ymd_and_hms(2026, 12, day, 9, 0, 0).unwrap());
        // Stored from an undated dump on the 7th: its date is when it was read.
        let mut stored = NearPrints::of(&article(HEADLINE, &PARAGRAPHS));
        assert!(stored.undated);
        stored.published = at(7);
        let corrected = PARAGRAPHS[3].replace("three years", "four years");
        let mut body = PARAGRAPHS;
        body[3] = &corrected;
        let mut copy = article(HEADLINE, &body);
        copy.published = at(1);
        let compared =
            |copy: &Article| compare(&NearPrints::of(copy), &stored, &NearConfig::default());
        // Published on the 1st, and no more: nothing says which text came later.
        assert_eq!(compared(&copy).update, None);
        // Revised on the 2nd: the story's next version.
        copy.updated = at(2);
        let v = compared(&copy);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, Some(Update::Newer), "{v:?}");
        // Published after the stored text was read: a later version too.
        copy.updated = None;
        copy.published = at(8);
        assert_eq!(compared(&copy).update, Some(Update::Newer));
    }

    #[test]
    fn a_local_intro_under_its_own_headline_never_replaces_the_wires_text() {
        let at = |hour: u32| Some(Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap());
        let mut stored = article(HEADLINE, &PARAGRAPHS);
        stored.published = at(8);
        let intro = "Fishing families in Westport said on Monday night they would hold the \
                     harbour board to its promise of a protected quay for their boats.";
        let mut body = vec![intro];
        body.extend(PARAGRAPHS);
        // Under the partner's own headline with an update date after its
        // publication date (a feed whose entries say they were edited): a
        // sighting.
        let mut retitled = article(
            "Harbour Expansion Approved: What It Means for Westport",
            &body,
        );
        retitled.published = at(10);
        retitled.updated = at(12);
        let v = verdict(&retitled, &stored);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, None, "{v:?}");
        // Under the story's own headline, dated later: the story's next
        // version, an update written on top of it.
        let mut same = article(HEADLINE, &body);
        same.published = at(11);
        let v = verdict(&same, &stored);
        assert_eq!(v.update, Some(Update::Newer), "{v:?}");
        // The wire's own update with its lead corrected in place, dated
        // later, is still the story's next version.
        let corrected = PARAGRAPHS[0].replace("on Monday", "late on Monday");
        let mut body = PARAGRAPHS;
        body[0] = &corrected;
        let mut update = article(HEADLINE, &body);
        update.published = at(11);
        let v = verdict(&update, &stored);
        assert_eq!(v.update, Some(Update::Newer), "{v:?}");
    }

    #[test]
    fn a_lead_corrected_by_a_few_words_on_the_day_it_ran_is_the_same_story() {
        const BREACH: [&str; 4] = [
            "The hospital trust has apologised after the personal details of thousands of \
             patients were sent to the wrong address.",
            "The trust said a mistake in a mailing system meant letters meant for one patient \
             went to another over a period of three weeks.",
            "The information commissioner has been told and an investigation is under way, a \
             spokesperson said.",
            "Patients affected will be contacted by letter in the coming days and offered \
             support.",
        ];
        const TITLE: &str = "Hospital Trust Apologises After Data Breach";
        let at = |hour: u32| Some(Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap());
        let mut stored = article(TITLE, &BREACH);
        stored.published = at(10);
        let copy = |lead: &str, published, updated| {
            let mut body = BREACH;
            body[0] = lead;
            let mut copy = article(TITLE, &body);
            (copy.published, copy.updated) = (published, updated);
            copy
        };
        for figure in [
            "more than four thousand patients",
            "some four thousand patients",
            "about four thousand of its patients",
        ] {
            let lead = BREACH[0].replace("thousands of patients", figure);
            // Corrected and dated so: the story's next version.
            let v = verdict(&copy(&lead, at(10), at(18)), &stored);
            assert!(v.is_same(), "{figure}: {v:?}");
            assert_eq!(v.update, Some(Update::Newer), "{figure}: {v:?}");
            // The old text seen again after the correction: no reversal.
            let corrected = copy(&lead, at(10), at(18));
            let v = verdict(&copy(BREACH[0], at(10), None), &corrected);
            assert!(v.is_same() && v.update.is_none(), "{figure}: {v:?}");
        }
        // A follow-up rewriting the lead around the story's, on the same
        // date, is another story.
        let around = format!(
            "Patients' groups demanded an inquiry on Tuesday night into a mailing error at the \
             hospital trust, which {}",
            BREACH[0].trim_start_matches("The hospital trust ")
        );
        let v = verdict(&copy(&around, at(10), at(18)), &stored);
        assert!(!v.is_same(), "{v:?}");
        // The same text under another publication date is left to the rules
        // that hold under any dates.
        let lead = BREACH[0].replace("thousands of patients", "more than four thousand patients");
        let v = verdict(&copy(&lead, at(14), at(18)), &stored);
        assert_ne!(v.rule, Rule::SharedParagraphs, "{v:?}");
    }

    #[test]
    fn a_bulletins_editions_under_one_headline_are_two_items() {
        const TEMPLATE: [&str; 3] = [
            "Tide times are published each day by the Calder harbour office for the main harbour, the marina and the outer anchorage, and are given in local time.",
            "Times can vary by up to twenty minutes in strong winds or unusual air pressure, and mariners should always check with the harbour office before setting out.",
            "The harbour office is open from seven in the morning until seven in the evening and can be reached on channel twelve at all other times.",
        ];
        let at =
            |day: u32, hour: u32| Some(Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap());
        let edition = |published, figures: &str| {
            let mut body = TEMPLATE.to_vec();
            body.push(figures);
            let mut a = article("Calder tide times", &body);
            a.published = published;
            a
        };
        let monday = edition(
            at(23, 5),
            "High water 06:12 and 18:40; low water 00:05 and 12:27.",
        );
        let tuesday = edition(
            at(24, 5),
            "High water 06:58 and 19:21; low water 00:49 and 13:10.",
        );
        let v = verdict(&tuesday, &monday);
        assert_eq!((v.rule, v.is_same()), (Rule::DatedApart, false), "{v:?}");
        // The day's figures corrected on the day: one item, updated.
        let corrected = edition(
            at(23, 9),
            "High water 06:14 and 18:40; low water 00:05 and 12:27.",
        );
        assert!(verdict(&corrected, &monday).is_same());
        // A correction that keeps its publication date reaches the next day.
        let mut late = corrected.clone();
        (late.published, late.updated) = (monday.published, at(24, 9));
        assert!(verdict(&late, &monday).is_same());
        // The same text the next day is a copy, not an edition.
        let again = edition(
            at(24, 5),
            "High water 06:12 and 18:40; low water 00:05 and 12:27.",
        );
        assert!(verdict(&again, &monday).is_same());
        // Undated, nothing tells the days apart: folded as before.
        let (mut a, mut b) = (tuesday.clone(), monday.clone());
        (a.published, b.published) = (None, None);
        assert!(verdict(&a, &b).is_same());
        // Words changed besides the figures: the rules decide as before.
        let reworded = edition(
            at(24, 5),
            "High tide 06:58 and 19:21; low tide 00:49 and 13:10.",
        );
        assert_ne!(verdict(&reworded, &monday).rule, Rule::DatedApart);
        // Prints stored before the figures key was kept: as before.
        let old = NearPrints {
            figures_key: 0,
            ..NearPrints::of(&monday)
        };
        let v = compare(&NearPrints::of(&tuesday), &old, &NearConfig::default());
        assert_ne!(v.rule, Rule::DatedApart, "{v:?}");
    }

    #[test]
    fn short_lines_around_a_copy_replace_nothing() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        let byline = "By Staff Writer";
        let copyright = "Copyright Coastal Herald. All rights reserved.";
        let short_intro = "Residents of the east quay have waited two years.";
        let wrapped = [&[byline][..], &PARAGRAPHS[..], &[copyright][..]].concat();
        let signed = [&PARAGRAPHS[..], &[copyright][..]].concat();
        let introduced = [&[short_intro][..], &PARAGRAPHS[..]].concat();
        for body in [wrapped, signed, introduced] {
            let v = verdict(&article(HEADLINE, &body), &stored);
            assert!(v.is_same(), "{v:?}");
            assert_eq!(v.update, None, "{body:?}");
        }
    }

    #[test]
    fn a_republishers_note_on_where_the_story_first_ran_replaces_nothing() {
        let stored = article(HEADLINE, &PARAGRAPHS);
        for notes in [
            &[
                "This article was originally published on The Coastal Herald. Read the original \
                 article, and more of the newsroom's reporting on the port, on its website.",
            ][..],
            &[
                "A version of this story first appeared in the Coastal Herald, an independent \
                 newsroom covering the ports and harbours of the east coast.",
                "This article is republished under a Creative Commons licence. You may republish \
                 our articles for free, online or in print.",
            ][..],
        ] {
            let body = [&PARAGRAPHS[..], notes].concat();
            let v = verdict(&article(HEADLINE, &body), &stored);
            assert!(v.is_same(), "{v:?}");
            assert_eq!(v.update, None, "{notes:?}");
        }
        // A paragraph of news added after the story extends it; with a
        // republisher's note too, or published a day later, the copy is
        // still no next version of the story.
        let more = "Harbour officials later confirmed that the first contracts for the new \
                    berths would be signed before the end of the year, ahead of schedule.";
        let note = "This story originally appeared in the Coastal Herald and is republished \
                    here with permission.";
        let body = [&PARAGRAPHS[..], &[more][..]].concat();
        let v = verdict(&article(HEADLINE, &body), &stored);
        assert_eq!(v.update, Some(Update::Longer), "{v:?}");
        let body = [&PARAGRAPHS[..], &[more, note][..]].concat();
        let v = verdict(&article(HEADLINE, &body), &stored);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, None, "{v:?}");
        let day = |d| Some(Utc.with_ymd_and_hms(2026, 10, d, 9, 0, 0).unwrap());
        let dated = |d, body: &[&str]| Article {
            published: day(d),
            ..article(HEADLINE, body)
        };
        let body = [&PARAGRAPHS[..], &[note][..]].concat();
        let v = verdict(&dated(6, &body), &dated(5, &PARAGRAPHS));
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, None, "{v:?}");
    }

    #[test]
    fn a_note_names_the_piece_and_where_it_ran_first() {
        for note in [
            "this article was originally published on the conversation. read the original article.",
            "this story originally appeared in grist and is republished here as part of covering climate now.",
            "this story was produced by kff health news and republished with permission.",
        ] {
            assert!(republication_note(note), "{note}");
        }
        for text in [
            "the report, first published in 2019, found the harbour was silting up.",
            "this article is about the harbour and the people who work there.",
            "the paper originally published the figures in march; the council disputed them.",
        ] {
            assert!(!republication_note(text), "{text}");
        }
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
    fn an_equal_short_body_folds_under_a_headline_retitled_by_additions_or_a_correction() {
        let teaser = &[
            "The new tram line extension opened on Monday morning with free rides for \
                        all residents of the eastern districts. Officials expect twenty thousand \
                        passengers a day on the route.",
        ];
        let stored = article("Tram extnsion opens", teaser);
        assert!(too_short(&NearPrints::of(&stored), &NearConfig::default()));
        for retitled in ["Tram extension opens", "New tram extension opens in east"] {
            let v = verdict(&article(retitled, teaser), &stored);
            assert_eq!(v.rule, Rule::SimilarHeadline, "{retitled}: {v:?}");
            assert_eq!(v.update, None, "{retitled}");
        }
        // Another word, a number changed, or a headline about nothing the
        // text says: the headline is the news, and the copies stay apart.
        for other in ["Tram extension closes", "Tram extension 2 opens"] {
            let v = verdict(
                &article(other, teaser),
                &article("Tram extension opens", teaser),
            );
            assert_eq!(v.rule, Rule::TooShort, "{other}: {v:?}");
        }
        let generic = &["Police are at the scene. More to follow."];
        let v = verdict(
            &article("Crash closes M5 near Bristol", generic),
            &article("Crash closes M5", generic),
        );
        assert_eq!(v.rule, Rule::TooShort, "{v:?}");
    }

    #[test]
    fn a_short_teaser_corrected_under_its_link_and_dated_later_is_its_later_version() {
        let at = |hour: u32, minute: u32| {
            Some(Utc.with_ymd_and_hms(2026, 12, 5, hour, minute, 0).unwrap())
        };
        let teaser = |title: &str, text: &str, published| {
            let mut a = article(title, &[text]);
            a.published = published;
            NearPrints::of(&a)
        };
        let headline = "Train drivers' union announces new strike dates";
        let first =
            "The union says members at 12 operators will walk out on three days in January.";
        let corrected = "The union says members at 12 operators will walk out on four days in \
                         January, in a long-running dispute over pay.";
        let stored = teaser(headline, first, at(16, 2)).as_stored();
        assert!(too_short(&stored, &NearConfig::default()));
        let config = NearConfig::default();
        let newer = |new: &NearPrints| same_link_update(new, &stored, &config);
        // Without the link the near rules keep the short bodies apart;
        // with it, the copy dated later under the headline is the
        // article's later version, in one sentence or two, under the
        // headline as written or with a site name.
        let later = teaser(headline, corrected, at(17, 10));
        assert_eq!(compare(&later, &stored, &config).rule, Rule::TooShort);
        assert_eq!(newer(&later), Some(Update::Newer));
        let two = format!("{corrected} Talks broke down on Friday.");
        assert_eq!(
            newer(&teaser(headline, &two, at(17, 10))),
            Some(Update::Newer)
        );
        let suffixed = format!("{headline} - BBC News");
        assert_eq!(
            newer(&teaser(&suffixed, corrected, at(17, 10))),
            Some(Update::Newer)
        );
        // Not dated later, the same words again, or much shorter: the
        // stored text stays.
        assert_eq!(newer(&teaser(headline, corrected, at(16, 2))), None);
        assert_eq!(newer(&teaser(headline, corrected, None)), None);
        assert_eq!(
            newer(&teaser(headline, &first.to_uppercase(), at(17, 10))),
            None
        );
        assert_eq!(
            newer(&teaser(headline, "Strikes in January.", at(17, 10))),
            None
        );
        // Another headline under the link is no later version of it.
        assert_eq!(
            newer(&teaser("Rail fares rise in March", corrected, at(17, 10))),
            None
        );
        // A bulletin's next edition under the link, its figures changed a
        // day later, stays another item.
        let edition = |text: &str, published| teaser("Calder tide times", text, published);
        let monday = edition(
            "High water 06:12 and 18:40; low water 00:05 and 12:27.",
            Some(Utc.with_ymd_and_hms(2026, 11, 23, 5, 0, 0).unwrap()),
        );
        let tuesday = edition(
            "High water 06:58 and 19:21; low water 00:49 and 13:10.",
            Some(Utc.with_ymd_and_hms(2026, 11, 24, 5, 0, 0).unwrap()),
        );
        assert!(!link_tells_the_story(
            &tuesday,
            &monday.as_stored(),
            &config
        ));
        assert_eq!(
            same_link_update(&tuesday, &monday.as_stored(), &config),
            None
        );
    }

    const WATER_MAIN: [&str; 3] = [
        "A burst water main flooded the High Street on Friday morning, forcing a dozen shops to \
         close.",
        "Engineers from the water company said the pipe, laid in the 1930s, had split along a \
         seam.",
        "The street is expected to reopen to traffic by Saturday afternoon.",
    ];

    #[test]
    fn a_short_story_of_three_sentences_with_a_paragraph_appended_is_extended() {
        let headline = "Water Main Burst Floods High Street";
        let stored = article(headline, &WATER_MAIN);
        assert!(NearPrints::of(&stored).shingles < NearConfig::default().min_shingles);
        for appended in [
            "The water company apologised and said affected shops could claim compensation.",
            "The water company apologised. It said affected shops could claim compensation for \
             the day's lost trade and for any stock the water had ruined.",
        ] {
            let mut longer = WATER_MAIN.to_vec();
            longer.push(appended);
            let new = article(headline, &longer);
            let v = verdict(&new, &stored);
            assert_eq!(v.rule, Rule::SharedParagraphs, "{appended}: {v:?}");
            assert_eq!(v.update, Some(Update::Longer), "{appended}");
        }
        // Two sentences are still too short: a bulletin's next line.
        let two = article(headline, &WATER_MAIN[..2]);
        let v = verdict(&article(headline, &WATER_MAIN), &two);
        assert_eq!(v.rule, Rule::TooShort, "{v:?}");
    }

    #[test]
    fn a_teaser_running_the_first_paragraphs_together_is_replaced_by_the_story() {
        let mut teaser = article(HEADLINE, &[&format!("{} {}", PARAGRAPHS[0], PARAGRAPHS[1])]);
        let mut story = article(HEADLINE, &PARAGRAPHS);
        let day = Some(Utc.with_ymd_and_hms(2026, 11, 3, 9, 15, 0).unwrap());
        (teaser.published, story.published) = (day, day);
        let v = verdict(&story, &teaser);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, Some(Update::Longer), "{v:?}");
        // The teaser never replaces the story.
        let v = verdict(&teaser, &story);
        assert_eq!(v.update, None, "{v:?}");
    }

    #[test]
    fn one_paragraph_briefs_with_other_facts_share_no_paragraph() {
        let fire = |place: &str, time: &str, hurt: &str| {
            NearPrints::of(&article(
                "Crews Tackle House Fire",
                &[&format!(
                    "Firefighters were called to a house fire on {place} at about {time} on \
                     Friday, and {hurt} treated for smoke inhalation at the scene by \
                     paramedics before being taken to hospital as a precaution; the cause of \
                     the fire is not yet known, and an investigation will begin once the \
                     building is safe, a county fire service spokesperson said."
                )],
            ))
        };
        let westport = fire("Station Road in Westport", "2am", "two people were");
        let eastport = fire("Church Lane in Eastport", "11am", "an elderly woman was");
        // A dozen bits apart, within PARAGRAPH_DISTANCE.
        assert_eq!(
            hamming(
                westport.paragraphs[0].simhash,
                eastport.paragraphs[0].simhash
            ),
            12
        );
        assert_eq!(light_edit(&westport, &eastport), Some(false));
        assert_eq!(shared_fraction(&westport, &eastport), 0.0);
        let v = compare(&eastport, &westport, &NearConfig::default());
        assert!(!v.is_same(), "{v:?}");
        // A word or three changed are a light edit of it.
        let edited = fire("Station Road, Westport,", "2am", "two men were");
        assert_eq!(light_edit(&westport, &edited), Some(true));
        let edited = fire("Station Street in Westport", "2 am", "two people were");
        assert_eq!(light_edit(&westport, &edited), Some(true));
        // Prints that keep no lead words match as before, by SimHash.
        let old = NearPrints {
            lead_words: Vec::new(),
            paragraph_anchors: Vec::new(),
            ..eastport.clone()
        };
        assert_eq!(light_edit(&westport, &old), None);
        assert_eq!(shared_fraction(&westport, &old), 1.0);
    }

    #[test]
    fn a_figure_corrected_in_a_short_paragraph_is_that_paragraph_edited() {
        const STRIKE: [&str; 5] = [
            "Train drivers across the north walked out on Thursday in a dispute over pay, \
             halting almost all services between Leeds and Manchester.",
            "The union said the strike would last forty eight hours and warned of further \
             action in January.",
            "Operators advised passengers not to travel and said replacement buses would run \
             on only two routes.",
            "Talks between the union and the operators broke down on Tuesday evening.",
            "The operators said on Thursday afternoon that they were ready to return to talks \
             at any time.",
        ];
        const TITLE: &str = "Rail Strike Halts Services Across the North";
        let stored = NearPrints::of(&article(TITLE, &STRIKE)).as_stored();
        let with_second = |text: &str| {
            let mut body = STRIKE;
            body[1] = text;
            NearPrints::of(&article(TITLE, &body))
        };
        for figure in ["thirty six", "seventy two"] {
            let new = with_second(&STRIKE[1].replace("forty eight", figure));
            let moved = hamming(new.paragraphs[1].simhash, stored.paragraphs[1].simhash);
            assert!(moved > PARAGRAPH_DISTANCE, "{figure}: {moved} bits");
            assert_eq!(shared_fraction(&new, &stored), 1.0, "{figure}");
            let v = compare(&new, &stored, &NearConfig::default());
            assert_eq!(v.rule, Rule::SharedParagraphs, "{v:?}");
            // Prints stored before each paragraph's anchors were kept match
            // by SimHash alone, as before.
            let old = NearPrints {
                paragraph_anchors: Vec::new(),
                ..stored.clone()
            };
            assert!(shared_fraction(&new, &old) < 0.8, "{figure}");
        }
        // Another paragraph at that place is no edit of it.
        let other = with_second(
            "The union said members would vote next week on whether to strike again over \
             the new year.",
        );
        assert!(!edited_in_place(&other, &stored, 1));
        // A word or two changed at its opening or its close leaves the
        // other anchor; a word or two more or fewer, too.
        for edited in [
            STRIKE[1].replace("The union said", "The drivers' union said"),
            STRIKE[1].replace("action in January", "walkouts in January"),
            STRIKE[1].replace("and warned of", "and it warned of"),
        ] {
            assert!(
                edited_in_place(&with_second(&edited), &stored, 1),
                "{edited}"
            );
        }
        // Three words more is more than a light edit of 17, whatever the
        // anchors.
        let longer = STRIKE[1].replace("forty eight hours", "forty eight hours at least, it said");
        assert!(!edited_in_place(&with_second(&longer), &stored, 1));
        // Under sixteen words the anchors overlap: an edit where they do
        // changes both.
        let talks = |text: &str| {
            let mut body = STRIKE;
            body[3] = text;
            NearPrints::of(&article(TITLE, &body))
        };
        assert!(edited_in_place(
            &talks(&STRIKE[3].replace("Tuesday", "Wednesday")),
            &stored,
            3
        ));
        assert!(!edited_in_place(
            &talks(&STRIKE[3].replace("operators broke", "rail companies broke")),
            &stored,
            3
        ));
        // A paragraph of eight words or fewer keeps no anchors.
        let short = talks("Talks broke down on Tuesday evening.");
        assert_eq!(short.paragraph_anchors[3], None);
        assert_eq!(
            stored.paragraph_anchors[0], None,
            "the lead keeps its words"
        );
        assert!(shared_fraction(&other, &stored) < 0.8);
    }

    #[test]
    fn paragraph_sharing_counts_words_and_tolerates_small_edits() {
        let fp = |paras: &[&str]| NearPrints::of(&article("T", paras));
        let all = fp(&PARAGRAPHS);
        assert_eq!(shared_fraction(&all, &fp(&PARAGRAPHS[..2])), 1.0);
        let typo = PARAGRAPHS[0].replace("expansion", "expnasion");
        let edited = fp(&[&typo, PARAGRAPHS[1]]);
        assert_eq!(shared_fraction(&all, &edited), 1.0);
        let half = shared_fraction(&fp(&PARAGRAPHS[..2]), &fp(&PARAGRAPHS[1..4]));
        assert!(half > 0.3 && half < 0.7, "{half}");
        assert_eq!(shared_fraction(&fp(&[]), &all), 0.0);
    }

    #[test]
    fn best_match_prefers_the_strongest_rule_then_the_nearest() {
        let new = NearPrints::of(&article(HEADLINE, &PARAGRAPHS));
        let briefing = NearPrints::of(&article("Morning Briefing", &PARAGRAPHS[2..4]));
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
    fn a_page_replaces_the_teaser_its_link_stood_for_and_nothing_fuller() {
        let teaser = NearPrints::of(&article(
            HEADLINE,
            &["The port board approved the harbour expansion on Monday."],
        ));
        let page = NearPrints::of(&article(HEADLINE, &PARAGRAPHS));
        assert_eq!(link_update(&page, &teaser), Some(Update::Longer));
        assert_eq!(link_update(&teaser, &page), None, "a teaser never replaces");
        // A fuller copy of a full text replaces it only as an extension.
        let cut = NearPrints::of(&article(HEADLINE, &PARAGRAPHS[..4]));
        assert_eq!(link_update(&page, &cut), Some(Update::Longer));
        let other = NearPrints::of(&article(
            HEADLINE,
            &[&[INTRO, LATER, LATER_TOO][..], &PARAGRAPHS[..1]].concat(),
        ));
        assert_eq!(link_update(&other, &cut), None);
    }

    #[test]
    fn a_teaser_of_another_story_under_the_link_is_not_filled_whichever_came_first() {
        let config = NearConfig::default();
        let page = NearPrints::of(&article(HEADLINE, &PARAGRAPHS));
        let other = NearPrints::of(&article(
            "Kestwick workshop to reopen on Wednesday",
            &[
                "Firefighters were called to a small joinery workshop in Kestwick on Tuesday \
               evening after a dust extractor caught fire during a late shift.",
            ],
        ));
        assert!(!link_tells_the_story(&page, &other, &config));
        assert!(!link_tells_the_story(&other, &page, &config));
        // A teaser of the page's own story, under its headline or sharing
        // its lead, is filled by it whichever came first.
        let teaser = NearPrints::of(&article(HEADLINE, &[PARAGRAPHS[0]]));
        assert!(link_tells_the_story(&page, &teaser, &config));
        assert!(link_tells_the_story(&teaser, &page, &config));
        let retitled = NearPrints::of(&article("Calder port deal done", &[PARAGRAPHS[0]]));
        assert!(link_tells_the_story(&page, &retitled, &config));
    }

    #[test]
    fn short_editions_under_one_headline_and_link_sharing_no_paragraph_stay_apart() {
        let config = NearConfig::default();
        let edition = |title: &str, body: &[&str], day: Option<u32>| {
            let mut a = article(title, body);
            a.published = day.map(|d| Utc.with_ymd_and_hms(2026, 12, d, 7, 0, 0).unwrap());
            NearPrints::of(&a)
        };
        let storm = [
            "Forecasters issued storm warnings for the whole coast on Monday as winds of up to \
             120 km/h were expected overnight.",
            "Schools in three districts will stay closed on Tuesday.",
            "Ferries to the islands were cancelled.",
        ];
        let count = [
            "The count in the mayoral election was delayed by a power cut at the town hall, \
             officials said on Wednesday.",
            "Results are now expected on Thursday afternoon.",
            "Both candidates urged patience.",
        ];
        // A newsletter's editions a day apart, each read as a teaser.
        let monday = edition("Daily Digest", &storm, Some(1));
        let tuesday = edition("Daily Digest", &count, Some(2));
        assert!(is_teaser(&monday) && is_teaser(&tuesday));
        assert!(!link_tells_the_story(
            &tuesday,
            &monday.as_stored(),
            &config
        ));
        assert!(!link_tells_the_story(
            &monday,
            &tuesday.as_stored(),
            &config
        ));
        // A one-paragraph bulletin's next edition.
        let first = edition("Radio Bulletin", &storm[..1], Some(1));
        let next = edition("Radio Bulletin", &count[..1], Some(2));
        assert!(!link_tells_the_story(&next, &first.as_stored(), &config));
        // Undated, headlines alike only by the series label they share.
        let warnings = edition("Morning Briefing: Storm Warnings Issued", &storm, None);
        let delayed = edition("Morning Briefing: Election Results Delayed", &count, None);
        assert!(!link_tells_the_story(
            &delayed,
            &warnings.as_stored(),
            &config
        ));
        assert!(!link_tells_the_story(
            &warnings,
            &delayed.as_stored(),
            &config
        ));
        // A teaser of the story on the day it ran, or retitled, still tells it.
        let teaser = edition(
            "Storm warnings for the coast",
            &["Winds of up to 120 km/h are expected overnight along the coast."],
            Some(1),
        );
        let story = edition("Storm Warnings Issued for the Coast", &storm, Some(1));
        assert!(link_tells_the_story(&story, &teaser.as_stored(), &config));
        assert!(link_tells_the_story(&teaser, &story.as_stored(), &config));
        let same = edition("Daily Digest", &count[..1], Some(2));
        assert!(link_tells_the_story(&tuesday, &same.as_stored(), &config));
        // The origin's teaser in a few words of its own, under its
        // headline that a partner's copy adds words to.
        let bridge = [
            "The harbour bridge reopened to traffic on Sunday after six weeks of repairs to its \
             deck, the council said.",
            "The first buses crossed shortly after dawn.",
            "Tolls stay suspended until January.",
        ];
        let partner = edition("Harbour Bridge Reopens After Repairs", &bridge, Some(1));
        let origin = edition(
            "Harbour Bridge Reopens",
            &["Drivers can cross again."],
            Some(1),
        );
        assert!(link_tells_the_story(&origin, &partner.as_stored(), &config));
    }

    /// `paragraph` cut short after `words` words and two letters of the
    /// next.
    fn cut_after(paragraph: &str, words: usize) -> String {
        let all: Vec<&str> = paragraph.split(' ').collect();
        format!("{} {}", all[..words].join(" "), &all[words][..2])
    }

    /// `new` compared with `stored` as the store gives it back.
    fn verdict_stored(new: &Article, stored: &Article) -> Verdict {
        compare(
            &NearPrints::of(new),
            &NearPrints::of(stored).as_stored(),
            &NearConfig::default(),
        )
    }

    #[test]
    fn a_stored_copy_cut_short_is_replaced_by_the_whole_text_and_never_replaces_it() {
        let whole = article(HEADLINE, &PARAGRAPHS);
        for at in [1, 2] {
            let tail = cut_after(PARAGRAPHS[at], 8);
            let mut body = PARAGRAPHS[..at].to_vec();
            body.push(&tail);
            let cut = article(HEADLINE, &body);
            assert!(!NearPrints::of(&cut).cut_text.is_empty());
            let v = verdict_stored(&whole, &cut);
            assert_eq!(
                (v.rule, v.update),
                (Rule::CutCopy, Some(Update::Longer)),
                "{at}"
            );
            // A cut copy of a stored whole one is left to the other rules:
            // the store keeps no text of the whole copy's paragraphs.
            let v = verdict_stored(&cut, &whole);
            assert_ne!(v.rule, Rule::CutCopy, "{at}");
            assert_eq!(v.update, None, "{at}");
            // Cut again further on, the copy still extends the first cut.
            let further = cut_after(PARAGRAPHS[at + 1], 5);
            let mut longer = PARAGRAPHS[..=at].to_vec();
            longer.push(&further);
            let v = verdict_stored(&article(HEADLINE, &longer), &cut);
            assert_eq!(
                (v.rule, v.update),
                (Rule::CutCopy, Some(Update::Longer)),
                "{at}"
            );
            // With the stored copy's canonical link (a page broken off,
            // then whole), the whole text replaces it too, never the other
            // way.
            let (whole, cut) = (NearPrints::of(&whole), NearPrints::of(&cut));
            let config = NearConfig::default();
            assert_eq!(
                same_link_update(&whole, &cut.as_stored(), &config),
                Some(Update::Longer),
                "{at}"
            );
            assert_eq!(same_link_update(&cut, &whole.as_stored(), &config), None);
        }
    }

    #[test]
    fn a_stored_copy_cut_between_two_words_is_replaced_once_folded() {
        let whole = article(HEADLINE, &PARAGRAPHS);
        // Cut after whole words of its third paragraph: judged by the
        // other rules, which fold it, and then the whole text replaces it.
        let words: Vec<&str> = PARAGRAPHS[2].split(' ').collect();
        let tail = words[..words.len() / 2].join(" ");
        let mut body = PARAGRAPHS[..2].to_vec();
        body.push(&tail);
        let cut = article(HEADLINE, &body);
        let v = verdict_stored(&whole, &cut);
        assert!(v.is_same(), "{v:?}");
        assert_eq!(v.update, Some(Update::Longer), "{v:?}");
        // Never the other way round.
        assert_eq!(verdict_stored(&cut, &whole).update, None);
    }

    #[test]
    fn a_stored_copy_with_no_whole_paragraph_is_replaced_by_the_whole_text() {
        let day = Utc.with_ymd_and_hms(2026, 11, 12, 9, 0, 0).unwrap();
        let dated = |mut article: Article| {
            article.published = Some(day);
            article
        };
        let whole = dated(article(HEADLINE, &PARAGRAPHS));
        // Read after its header: headline, caption, date and byline, no
        // paragraph yet.
        let mut header = dated(article(HEADLINE, &[]));
        header.captions = vec![Caption::credited(
            "The northern harbour at dawn.",
            "Calder Herald",
        )];
        header.authors = vec!["Ana Ruiz".into()];
        // Read inside its first paragraph.
        let lead = cut_after(PARAGRAPHS[0], 6);
        let in_lead = dated(article(HEADLINE, &[&lead]));
        assert!(!NearPrints::of(&in_lead).cut_text.is_empty());
        let config = NearConfig::default();
        for cut in [&header, &in_lead] {
            let v = verdict_stored(&whole, cut);
            assert_eq!((v.rule, v.update), (Rule::CutCopy, Some(Update::Longer)));
            // The whole copy under the headline with a site name.
            let suffixed = dated(article(&format!("{HEADLINE} | Calder Herald"), &PARAGRAPHS));
            assert_eq!(verdict_stored(&suffixed, cut).rule, Rule::CutCopy);
            // Undated on one side: a copy cut in its first paragraph has
            // its text to match; a header alone has only its date.
            let undated = article(HEADLINE, &PARAGRAPHS);
            let expected = if cut.body.is_empty() {
                Rule::TooShort
            } else {
                Rule::CutCopy
            };
            assert_eq!(verdict_stored(&undated, cut).rule, expected);
            assert_ne!(verdict_stored(cut, &undated).rule, Rule::CutCopy);
            // Under the stored copy's link too.
            assert_eq!(
                same_link_update(
                    &NearPrints::of(&whole),
                    &NearPrints::of(cut).as_stored(),
                    &config
                ),
                Some(Update::Longer)
            );
            // The other way round, the stored text stays: a header read
            // after the whole story is one more sighting of it; a copy cut
            // inside its text is left to the rules below.
            let v = verdict_stored(cut, &whole);
            if cut.body.is_empty() {
                assert_eq!((v.rule, v.update), (Rule::CutCopy, None));
            } else {
                assert_ne!(v.rule, Rule::CutCopy);
            }
            assert_eq!(v.update, None);
            // Another day's story under the same headline is another item.
            let next_day = Article {
                published: Some(day + chrono::Duration::days(1)),
                ..whole.clone()
            };
            assert!(!verdict_stored(&next_day, cut).is_same());
            assert!(!verdict_stored(cut, &next_day).is_same());
            // Another headline over the story is another item.
            let other = dated(article(
                "Volunteers Count Record Number of Wading Birds",
                &[],
            ));
            assert!(!verdict_stored(&whole, &other).is_same());
        }
        // "Morning Briefing": yesterday's header read before its text,
        // today's briefing whole.
        let mut yesterday = article("Morning Briefing", &[]);
        yesterday.published = Some(day - chrono::Duration::days(1));
        let today = dated(article("Morning Briefing", &PARAGRAPHS));
        assert!(!verdict_stored(&today, &yesterday).is_same());
        assert!(!verdict_stored(&yesterday, &today).is_same());
        // A page with no text over media files of its own (an episode)
        // is no header cut short of a text without them.
        let mut episode = header.clone();
        episode.enclosures = vec![Enclosure {
            url: "https://news.example/episode-12.mp3".into(),
            ..Default::default()
        }];
        assert!(!verdict_stored(&whole, &episode).is_same());
        assert!(!verdict_stored(&episode, &whole).is_same());
        // A header-only copy under the headline of a header-only copy is
        // no fuller text.
        assert_eq!(verdict_stored(&header, &header).update, None);
        // A first paragraph that is whole, or goes on after a whole word,
        // is no copy cut short.
        let ended = dated(article(HEADLINE, &PARAGRAPHS[..1]));
        assert!(NearPrints::of(&ended).cut_text.is_empty());
        assert_ne!(verdict_stored(&whole, &ended).rule, Rule::CutCopy);
        let words: Vec<&str> = PARAGRAPHS[0].split(' ').collect();
        let at_a_word = dated(article(HEADLINE, &[&words[..6].join(" ")]));
        assert_ne!(verdict_stored(&whole, &at_a_word).rule, Rule::CutCopy);
        // A first paragraph that is not the whole copy's first.
        let misplaced = cut_after(PARAGRAPHS[1], 6);
        let shifted = dated(article(HEADLINE, &[&misplaced]));
        assert_ne!(verdict_stored(&whole, &shifted).rule, Rule::CutCopy);
    }

    #[test]
    fn a_cut_copy_is_dated_as_its_whole_one() {
        let tail = cut_after(PARAGRAPHS[2], 8);
        let mut cut = article(HEADLINE, &[PARAGRAPHS[0], PARAGRAPHS[1], &tail]);
        let mut whole = article(HEADLINE, &PARAGRAPHS);
        let day = Utc.with_ymd_and_hms(2026, 12, 3, 7, 0, 0).unwrap();
        cut.published = Some(day);
        whole.published = Some(day);
        assert_eq!(verdict_stored(&whole, &cut).rule, Rule::CutCopy);
        // Undated on one side, nothing to compare.
        whole.published = None;
        assert_eq!(verdict_stored(&whole, &cut).rule, Rule::CutCopy);
        // The next day's edition is another item.
        whole.published = Some(day + chrono::Duration::days(1));
        assert_ne!(verdict_stored(&whole, &cut).rule, Rule::CutCopy);
    }

    #[test]
    fn a_story_that_breaks_off_elsewhere_or_ends_as_a_sentence_is_no_cut_copy() {
        let whole = article(HEADLINE, &PARAGRAPHS);
        // The same headline and lead, another second paragraph that breaks
        // off: another story.
        let other = article(
            HEADLINE,
            &[
                PARAGRAPHS[0],
                "Fishing cooperatives said they had not yet seen the final plan and would meet \
                 on Thursday to decide whether to back it",
            ],
        );
        // A follow-up under the same headline: another second paragraph,
        // then the story's third cut short.
        let third = cut_after(PARAGRAPHS[2], 8);
        let follow_up = article(HEADLINE, &[PARAGRAPHS[0], LATER, &third]);
        // The cut words open another paragraph than the one at their place.
        let misplaced = cut_after(PARAGRAPHS[3], 8);
        let shifted = article(HEADLINE, &[PARAGRAPHS[0], PARAGRAPHS[1], &misplaced]);
        // Another headline over the story cut short.
        let retitled = article(
            "Volunteers Count Record Number of Wading Birds",
            &[PARAGRAPHS[0], PARAGRAPHS[1], &third],
        );
        for cut in [&other, &follow_up, &shifted, &retitled] {
            for (new, stored) in [(&whole, cut), (cut, &whole)] {
                let v = verdict_stored(new, stored);
                assert_ne!(v.rule, Rule::CutCopy, "{v:?}");
            }
        }
        assert!(!verdict_stored(&whole, &other).is_same());
        // A body whose last paragraph ends as a sentence ends never breaks
        // off.
        let ended = article(HEADLINE, &PARAGRAPHS[..3]);
        assert!(NearPrints::of(&ended).cut_text.is_empty());
        assert_ne!(verdict_stored(&whole, &ended).rule, Rule::CutCopy);
        // A line that ends without a full stop whose text is no start of
        // the other's line there: "9C" opens no "11C".
        let intro =
            "Here is the weather forecast for Calder and the valleys from our weather desk.";
        let today = article(
            "Weather",
            &[intro, "Today: Dry and bright with highs of 9C"],
        );
        let tomorrow = article(
            "Weather",
            &[
                intro,
                "Today: Dry and bright with highs of 11C and a light westerly breeze",
                "Tonight: Rain spreading from the west, lows of 4C",
            ],
        );
        assert_ne!(verdict_stored(&tomorrow, &today).rule, Rule::CutCopy);
        let cut = article("Weather", &[intro, "Today: Dry and bright with hi"]);
        assert_eq!(verdict_stored(&tomorrow, &cut).rule, Rule::CutCopy);
        // Nor does a number another starts with: "A3" then "A38".
        let a3 = article("Weather", &[intro, "Today: Dry and bright with highs of 1"]);
        assert_ne!(verdict_stored(&tomorrow, &a3).rule, Rule::CutCopy);
        // A finished line the next edition goes on from after a whole
        // word: "No incidents reported", then "No incidents reported on
        // the A38": two bulletins.
        let desk = "Live traffic and travel news for Calder and the valleys, updated through \
            the morning by our travel desk.";
        let quiet = article("Traffic and travel", &[desk, "No incidents reported"]);
        let busy = article(
            "Traffic and travel",
            &[
                desk,
                "No incidents reported on the motorway, but the A38 is closed southbound at Wotton",
            ],
        );
        assert_ne!(verdict_stored(&busy, &quiet).rule, Rule::CutCopy);
        // Under one canonical link it is one article, broken off anywhere.
        assert_eq!(
            same_link_update(
                &NearPrints::of(&busy),
                &NearPrints::of(&quiet).as_stored(),
                &NearConfig::default()
            ),
            Some(Update::Longer)
        );
        // The same text again under the link is no fuller copy.
        assert_eq!(
            same_link_update(
                &NearPrints::of(&quiet),
                &NearPrints::of(&quiet).as_stored(),
                &NearConfig::default()
            ),
            None
        );
        // Cut inside its last word, the copy has as many words as the
        // whole: still cut short.
        let last_word = article("Traffic and travel", &[desk, "No incidents repor"]);
        let whole_line = article("Traffic and travel", &[desk, "No incidents reported"]);
        let v = verdict_stored(&whole_line, &last_word);
        assert_eq!((v.rule, v.update), (Rule::CutCopy, Some(Update::Longer)));
        // A copy cut in a paragraph longer than the prints keep is not
        // judged a cut copy.
        let long = format!(
            "{} and",
            PARAGRAPHS[1].repeat(CUT_TEXT_BYTES / PARAGRAPHS[1].len() + 1)
        );
        let long_cut = NearPrints::of(&article(HEADLINE, &[PARAGRAPHS[0], &long]));
        assert!(long_cut.cut_text.is_empty());
        assert_eq!(long_cut.paragraph_texts[1].len(), CUT_TEXT_BYTES);
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

    #[test]
    fn the_paragraph_finder_answers_as_going_through_every_paragraph() {
        // Paragraphs long and short, some the same, some a few bits apart,
        // in bodies below and above the size that gets filed.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut paragraph = |near: &[ParagraphPrint]| {
            let r = next();
            let simhash = match (r % 4, near.last()) {
                (0, Some(q)) => q.simhash,
                (1, Some(q)) => q.simhash ^ (next() & next() & next()),
                _ => next(),
            };
            let shingles = [2, 8, 30][(r >> 8) as usize % 3];
            ParagraphPrint {
                simhash,
                words: [5, 12][(r >> 12) as usize % 2],
                shingles,
                sentence: false,
            }
        };
        for len in [3, FILED_PARAGRAPHS + 1, 300] {
            let mut body = Vec::new();
            let mut other = Vec::new();
            for _ in 0..len {
                let p = paragraph(&body);
                body.push(p);
                let q = paragraph(&body);
                other.push(q);
            }
            let finder = ParagraphFinder::of(&body);
            for matches in [same_paragraph as fn(&_, &_) -> bool, paragraphs_match] {
                for (i, p) in other.iter().chain(&body).enumerate() {
                    let skip = |j: usize| j == 0 || j == i % 7;
                    let every = body
                        .iter()
                        .enumerate()
                        .any(|(j, q)| !skip(j) && matches(p, q));
                    assert_eq!(finder.has(p, i % len, matches, skip), every, "{len} {i}");
                }
            }
        }
    }
}

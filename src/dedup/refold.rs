//! Weighing a stored article again once its text changed. A copy that
//! replaces a stored article's text (extends it, or is a later version)
//! can make it a copy of another stored article that it was kept apart
//! from: a trimmed copy, extended to the whole wire story, is then the
//! story under another site's local intro. The pipeline looks the new text
//! up as an incoming copy is looked up (the same index, the same
//! near-duplicate rules: [`same_story`]); two stored articles found to be
//! one story are merged ([`merge`] decides how, the store carries it out).
//! A fold that gives a stored article a canonical link another stored
//! article is filed under (a teaser of the page, seen before the story
//! gained the page's link) has the two weighed as a copy with a stored
//! article's link is ([`link_merge`]).

use chrono::{DateTime, Utc};

use super::fingerprint::link_anchor;
use super::near_rules::{self, NearConfig, Rule, Verdict};
use super::{Candidate, FoldReason, NearPrints, simhash};

/// A stored article as a re-check weighs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub id: String,
    /// The prints of its text now, as a near-duplicate candidate's are
    /// read (its `updated` only when a source gave it), with the
    /// [`NearPrints::paragraph_texts`] of its body, so it can be weighed as
    /// an incoming copy is.
    pub prints: NearPrints,
    /// Its link as stored, in the form a source gave it.
    pub link: Option<String>,
    /// When it was first seen.
    pub first_seen: DateTime<Utc>,
    /// A number the store gives its articles in the order it stored them:
    /// of two first seen at one moment, the one stored first has the lower.
    pub stored_order: i64,
}

impl Settled {
    /// Whether this article was first seen before `other` (stored first,
    /// when both were first seen at one moment).
    fn seen_before(&self, other: &Settled) -> bool {
        (self.first_seen, self.stored_order) < (other.first_seen, other.stored_order)
    }
}

/// Two stored articles found to be copies of one story, and how the store
/// merges them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The article first seen earliest: its id and published date stay,
    /// and it takes the other's sightings, exact keys and folds.
    pub survivor: String,
    /// The other article, which leaves the store (and every feed).
    pub absorbed: String,
    /// Why the two are one story, as the fold of `absorbed` into
    /// `survivor` is recorded: the rule, distance and evidence that found
    /// them so. Its `update` says whether and why the absorbed article's
    /// text replaces the survivor's ([`merge`]).
    pub reason: FoldReason,
    /// Whether the absorbed article's text, which the survivor does not
    /// take, is the survivor's without its first paragraph, which is so a
    /// local intro ([`near_rules::shows_local_intro`]): the survivor's
    /// prints then say so, as after such a copy folded into it.
    pub shows_local_intro: bool,
}

impl Merge {
    /// Whether the survivor takes the absorbed article's text.
    pub fn takes_text(&self) -> bool {
        self.reason.update.is_some()
    }

    /// Whether the merge shows the survivor, which keeps its own text, to
    /// open with a local intro, which its prints then say.
    pub fn marks_survivor_intro(&self) -> bool {
        self.shows_local_intro && !self.takes_text()
    }

    /// The merge with the survivor keeping its own text, as a fold keeps
    /// a stored text the copy may not replace
    /// ([`Decision::keeping_text`](super::Decision::keeping_text): a push
    /// never replaces an upstream entry's).
    pub fn keeping_text(self) -> Merge {
        Merge {
            reason: FoldReason {
                update: None,
                ..self.reason
            },
            ..self
        }
    }
}

/// A merge undone: the upstream entry of an article merged into another
/// gives the article's own story again ([`gives_own_story_again`]), and
/// the store restores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmerge {
    /// The article merged into `survivor`, restored under its id.
    pub absorbed: String,
    /// The article it was merged into, which keeps its own text.
    pub survivor: String,
    /// The upstream key (of the writer's source) the entry was found under,
    /// which leads to `absorbed` again.
    pub entry_key: String,
}

/// Whether an upstream entry whose article was merged into another story
/// (the entry's key leads there) gives its own story again: its text
/// (`copy`) is no copy of that story's text now (`story`) by the
/// near-duplicate rules (`near`; exact repeats only without), and it is
/// the text the article had when it was merged (`own`): the same content,
/// or a copy of it by those rules. The change that made the two one story
/// (the entry showing the other's text for a while, or the other's text
/// changing) is then undone upstream; an entry whose text still is the
/// story's (a stub updated to the full story) stays merged.
pub fn gives_own_story_again(
    copy: &NearPrints,
    story: &NearPrints,
    own: &NearPrints,
    near: Option<&NearConfig>,
) -> bool {
    let same = |other: &NearPrints| {
        copy.content_key == other.content_key
            || near.is_some_and(|config| near_rules::compare(copy, other, config).is_same())
    };
    !same(story) && same(own)
}

/// The stored article of `candidates` (the index lookup of `changed`'s
/// prints, which finds `changed` itself too) that the changed text is
/// another copy of, by the rules an incoming copy is folded by
/// ([`near_rules::best_match`]), with the verdict; `None` when it is a copy
/// of none.
pub fn same_story(
    changed: &Settled,
    candidates: &[Candidate],
    config: &NearConfig,
) -> Option<(usize, Verdict)> {
    let others: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].id != changed.id)
        .collect();
    near_rules::best_match(
        &changed.prints,
        others.iter().map(|&i| &candidates[i].prints),
        config,
    )
    .map(|(i, verdict)| (others[i], verdict))
}

/// How `changed` and `other`, one story by `verdict` ([`same_story`]), are
/// merged: the article first seen earliest survives, with its id and
/// published date; its text is chosen as a fold chooses it, the absorbed
/// article's text weighed as a copy arriving at the survivor: it replaces
/// the survivor's text only when it extends it or is a later version of it
/// ([`near_rules::compare`]'s update), else the survivor keeps its own.
pub fn merge(changed: &Settled, other: &Settled, verdict: &Verdict, config: &NearConfig) -> Merge {
    let (survivor, absorbed, update) = if other.seen_before(changed) {
        // The changed text is the copy arriving at the survivor: the
        // verdict that found them one story says whether it replaces.
        (other, changed, verdict.update)
    } else {
        let arriving = near_rules::compare(&other.prints, &changed.prints, config);
        (
            changed,
            other,
            arriving.update.filter(|_| arriving.is_same()),
        )
    };
    Merge {
        survivor: survivor.id.clone(),
        absorbed: absorbed.id.clone(),
        reason: FoldReason {
            rule: verdict.rule.as_str(),
            distance: Some(verdict.distance),
            update,
            evidence: verdict.evidence(),
        },
        shows_local_intro: update.is_none()
            && near_rules::shows_local_intro(&absorbed.prints, &survivor.prints, config),
    }
}

/// How `changed`, which gained a canonical link that `other` is filed
/// under, and `other` are merged, when the link says they are one article:
/// the later seen weighed as a copy with the link arriving at the one first
/// seen, as had it come after it ([`near_rules::link_tells_the_story`]: a
/// teaser of the story, the same story by the near-duplicate rules, …),
/// and its text replacing the survivor's as such a copy's would
/// ([`near_rules::same_link_update`]: a teaser first seen takes the whole
/// story). `None` when the link tells two stories (a section page two
/// stories' pages give, another day's edition, other media files) or their
/// links name two posts of one live page by their anchors.
pub fn link_merge(changed: &Settled, other: &Settled, config: &NearConfig) -> Option<Merge> {
    let (survivor, absorbed) = if other.seen_before(changed) {
        (other, changed)
    } else {
        (changed, other)
    };
    if names_other_posts(changed.link.as_deref(), other.link.as_deref())
        || !near_rules::link_tells_the_story(&absorbed.prints, &survivor.prints, config)
    {
        return None;
    }
    let update = near_rules::same_link_update(&absorbed.prints, &survivor.prints, config);
    Some(Merge {
        survivor: survivor.id.clone(),
        absorbed: absorbed.id.clone(),
        reason: FoldReason {
            rule: Rule::SameLink.as_str(),
            distance: Some(simhash::hamming(
                absorbed.prints.simhash,
                survivor.prints.simhash,
            )),
            update,
            evidence: None,
        },
        shows_local_intro: update.is_none()
            && near_rules::shows_local_intro(&absorbed.prints, &survivor.prints, config),
    })
}

/// Whether two links of one page each name a post of it by their anchors
/// ([`link_anchor`]: a live page's `live.html#post-1` and `#post-2`), which
/// makes them two links, as a copy's is told from a stored one's.
fn names_other_posts(link: Option<&str>, other: Option<&str>) -> bool {
    match (link.and_then(link_anchor), other.and_then(link_anchor)) {
        (Some(anchor), Some(other_anchor)) => anchor != other_anchor,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::dedup::near_rules::Update;
    use crate::model::{Article, Block};

    const WIRE: &str = "Government Announces Rail Fare Freeze for Next Year";
    const LOCAL: &str = "Rail Fares Frozen: What It Means for Calder Commuters";
    const INTRO: &str = "Commuters at Calder station, where a season ticket to Leeds costs \
        more than 3,000 pounds, will be among those to benefit from the change.";
    const STORY: [&str; 5] = [
        "The transport secretary announced on Friday that regulated rail fares in England \
         will be frozen for the whole of next year, the first freeze since 2021.",
        "Passenger groups welcomed the decision but said it did little to offset increases \
         of almost 15 per cent over the past three years.",
        "The Treasury said the freeze would cost about 230 million pounds and would be \
         funded from savings in the rail reform programme.",
        "Operators will be compensated for lost revenue under existing contracts, a \
         Department for Transport spokesperson said.",
        "Labour backbenchers had pressed ministers for months to act on fares before the \
         spring local elections.",
    ];

    /// A stored article `id` with `title` over `paragraphs`, first seen
    /// at `minute` past seven and stored `order`th.
    fn settled(id: &str, title: &str, paragraphs: &[&str], minute: u32, order: i64) -> Settled {
        let published = Utc.with_ymd_and_hms(2026, 12, 4, 6, 10, 0).unwrap();
        let article = Article {
            title: title.into(),
            body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
            published: Some(published),
            ..Default::default()
        };
        let prints = NearPrints::of(&article);
        assert_eq!(
            prints.clone().with_paragraph_texts(&article.body),
            prints,
            "the texts a store's prints are made whole with are the copy's"
        );
        Settled {
            id: id.into(),
            prints,
            link: None,
            first_seen: Utc.with_ymd_and_hms(2026, 12, 4, 7, minute, 0).unwrap(),
            stored_order: order,
        }
    }

    fn candidate(settled: &Settled) -> Candidate {
        Candidate {
            id: settled.id.clone(),
            prints: NearPrints {
                paragraph_texts: Vec::new(),
                ..settled.prints.clone()
            },
        }
    }

    fn local_intro(minute: u32, order: i64) -> Settled {
        let mut paragraphs = vec![INTRO];
        paragraphs.extend(STORY);
        settled("herald", LOCAL, &paragraphs, minute, order)
    }

    #[test]
    fn a_trimmed_copy_is_no_copy_of_a_local_intro_over_the_whole_story() {
        let config = NearConfig::default();
        let herald = local_intro(0, 1);
        let gazette = settled("gazette", WIRE, &STORY[..4], 0, 2);
        let found = [candidate(&herald), candidate(&gazette)];
        assert!(same_story(&gazette, &found, &config).is_none());
    }

    #[test]
    fn a_trimmed_copy_extended_to_the_whole_story_merges_into_the_local_intro_first_seen() {
        let config = NearConfig::default();
        let herald = local_intro(0, 1);
        // The gazette's trimmed copy, its text replaced by the wire's whole.
        let gazette = settled("gazette", WIRE, &STORY, 0, 2);
        let found = [candidate(&gazette), candidate(&herald)];
        let (i, verdict) = same_story(&gazette, &found, &config).expect("one story now");
        assert_eq!(found[i].id, "herald", "never itself");
        let merge = merge(&gazette, &herald, &verdict, &config);
        assert_eq!(merge.survivor, "herald", "stored first in the same run");
        assert_eq!(merge.absorbed, "gazette");
        assert!(
            !merge.takes_text(),
            "the wire text does not extend the local intro's: the herald keeps its own"
        );
        assert_eq!(merge.reason.rule, "similar-headline-shared-paragraphs");
        assert_eq!(merge.reason.distance, Some(verdict.distance));
        assert!(
            merge.shows_local_intro,
            "the wire text is the herald's without its intro"
        );
    }

    #[test]
    fn the_article_first_seen_survives_whichever_text_changed() {
        let config = NearConfig::default();
        // The gazette's article was first seen a minute before the herald's.
        let herald = local_intro(1, 1);
        let gazette = settled("gazette", WIRE, &STORY, 0, 2);
        let found = [candidate(&herald)];
        let (_, verdict) = same_story(&gazette, &found, &config).expect("one story");
        let merge = merge(&gazette, &herald, &verdict, &config);
        assert_eq!(
            (merge.survivor.as_str(), merge.absorbed.as_str()),
            ("gazette", "herald")
        );
        assert!(
            !merge.takes_text(),
            "a local intro on top is no extension: the survivor keeps the wire text"
        );
        assert!(!merge.shows_local_intro, "the survivor has no intro");
    }

    #[test]
    fn the_survivor_takes_a_text_that_extends_its_own() {
        let config = NearConfig::default();
        let first = settled("first", WIRE, &STORY[..3], 0, 1);
        // Stored later, kept apart, and now the whole story.
        let later = settled("later", WIRE, &STORY, 5, 2);
        let (_, verdict) = same_story(&later, &[candidate(&first)], &config).expect("one story");
        let merged = merge(&later, &first, &verdict, &config);
        assert_eq!(
            (merged.survivor.as_str(), merged.absorbed.as_str()),
            ("first", "later")
        );
        assert_eq!(merged.reason.update, Some(Update::Longer));
        // The other way round: the survivor's own text changed to the
        // whole story, and the later article's shorter text stays out.
        let first = settled("first", WIRE, &STORY, 0, 1);
        let later = settled("later", WIRE, &STORY[..3], 5, 2);
        let (_, verdict) = same_story(&first, &[candidate(&later)], &config).expect("one story");
        let merge = merge(&first, &later, &verdict, &config);
        assert_eq!(
            (merge.survivor.as_str(), merge.absorbed.as_str()),
            ("first", "later")
        );
        assert!(!merge.takes_text());
    }

    #[test]
    fn a_merge_keeping_the_survivors_text_keeps_the_rest_of_its_reason() {
        let config = NearConfig::default();
        let first = settled("first", WIRE, &STORY[..3], 0, 1);
        let later = settled("later", WIRE, &STORY, 5, 2);
        let (_, verdict) = same_story(&later, &[candidate(&first)], &config).expect("one story");
        let merged = merge(&later, &first, &verdict, &config);
        assert!(merged.takes_text());
        let kept = merged.clone().keeping_text();
        assert!(!kept.takes_text());
        assert_eq!(
            (kept.survivor.as_str(), kept.absorbed.as_str()),
            ("first", "later")
        );
        assert_eq!(
            FoldReason {
                update: merged.reason.update,
                ..kept.reason
            },
            merged.reason
        );
    }

    /// `settled` under `link`.
    fn linked(settled: Settled, link: &str) -> Settled {
        Settled {
            link: Some(link.into()),
            ..settled
        }
    }

    const PAGE: &str = "https://wire.example/2026/12/04/rail-fares";

    #[test]
    fn a_teaser_first_seen_takes_the_story_that_gained_its_link() {
        let config = NearConfig::default();
        let teaser = linked(
            settled("teaser", WIRE, &STORY[..1], 0, 1),
            &format!("{PAGE}?utm_source=agg"),
        );
        let story = linked(settled("story", WIRE, &STORY, 5, 2), PAGE);
        let merge = link_merge(&story, &teaser, &config).expect("one article by its link");
        assert_eq!(
            (merge.survivor.as_str(), merge.absorbed.as_str()),
            ("teaser", "story"),
            "the article first seen survives"
        );
        assert_eq!(merge.reason.rule, "same-link");
        assert_eq!(
            merge.reason.update,
            Some(Update::Longer),
            "the whole story fills the teaser"
        );
    }

    #[test]
    fn a_story_first_seen_keeps_its_text_over_a_teaser_of_its_link() {
        let config = NearConfig::default();
        let story = linked(settled("story", WIRE, &STORY, 0, 1), PAGE);
        let teaser = linked(settled("teaser", WIRE, &STORY[..1], 5, 2), PAGE);
        let merge = link_merge(&story, &teaser, &config).expect("one article by its link");
        assert_eq!(
            (merge.survivor.as_str(), merge.absorbed.as_str()),
            ("story", "teaser")
        );
        assert_eq!(merge.reason.rule, "same-link");
        assert!(!merge.takes_text(), "a teaser never replaces the story");
    }

    #[test]
    fn two_stories_under_one_section_link_stay_apart() {
        let config = NearConfig::default();
        let section = "https://herald.example/news";
        let story = linked(settled("story", WIRE, &STORY, 0, 1), section);
        let other = linked(
            settled(
                "other",
                "Harbour Wall Repairs to Begin in Spring After Winter Storms",
                &[
                    "Repairs to the harbour wall at Calder will begin in the spring, the \
                     council said on Thursday, after two winter storms left a breach.",
                    "The work is expected to cost 4 million pounds and take eight months, \
                     with the fish market staying open throughout.",
                    "Fishermen said the delay had left their boats exposed to the swell \
                     for most of the season.",
                ],
                5,
                2,
            ),
            section,
        );
        assert!(link_merge(&other, &story, &config).is_none());
        // A teaser of another story under that link stays apart too.
        let teaser = linked(
            settled(
                "teaser",
                "Harbour Wall Repairs to Begin in Spring",
                &[
                    "Repairs to the harbour wall at Calder will begin in the spring, the \
                   council said on Thursday, after two winter storms left a breach.",
                ],
                5,
                2,
            ),
            section,
        );
        assert!(link_merge(&story, &teaser, &config).is_none());
    }

    #[test]
    fn two_posts_of_one_live_page_stay_apart() {
        let config = NearConfig::default();
        let live = "https://herald.example/live.html";
        let first = linked(
            settled("first", WIRE, &STORY[..1], 0, 1),
            &format!("{live}#post-1"),
        );
        let second = linked(
            settled("second", WIRE, &STORY, 5, 2),
            &format!("{live}#post-2"),
        );
        assert!(link_merge(&second, &first, &config).is_none());
        let whole = linked(settled("whole", WIRE, &STORY, 5, 2), live);
        assert!(
            link_merge(&whole, &first, &config).is_some(),
            "the page without an anchor is the same link"
        );
    }

    const OTHER: [&str; 3] = [
        "The council voted eight to three in favour of protected cycle lanes on Quay Street, \
         after a year of consultation with residents and traders.",
        "Work will start in March and the lanes should open by the summer, the council's \
         transport committee said.",
        "Traders on Quay Street had opposed the loss of forty parking spaces, saying it would \
         drive customers away.",
    ];

    #[test]
    fn an_entry_giving_its_own_story_again_undoes_its_merge() {
        let config = NearConfig::default();
        let story = settled("wire", WIRE, &STORY, 0, 1).prints;
        let own = settled("lanes", "Council approves new cycle lanes", &OTHER, 1, 2).prints;
        // Its own text again, the story it was merged into still another.
        assert!(gives_own_story_again(&own, &story, &own, Some(&config)));
        assert!(gives_own_story_again(&own, &story, &own, None));
        // Its own story corrected since: a copy of it by the rules.
        let corrected = OTHER[2].replace("forty", "forty-two");
        let edited = settled(
            "lanes",
            "Council approves new cycle lanes",
            &[OTHER[0], OTHER[1], &corrected],
            1,
            2,
        )
        .prints;
        assert!(gives_own_story_again(&edited, &story, &own, Some(&config)));
        // Still the story's text (a stub updated to the full story), or
        // the story's text grown into the entry's: the merge stands.
        assert!(!gives_own_story_again(&story, &story, &own, Some(&config)));
        assert!(!gives_own_story_again(&own, &own, &own, Some(&config)));
        // Another story again, neither its own nor the one it joined.
        let third = settled("local", LOCAL, &[INTRO], 2, 3).prints;
        assert!(!gives_own_story_again(&third, &story, &own, Some(&config)));
    }
}

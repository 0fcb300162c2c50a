//! Deduplication decides; the store only looks up and persists. For each
//! incoming article dedup computes its [`Fingerprints`] (identity keys and
//! the [`NearPrints`] of its content), the store answers what it holds under
//! those keys ([`Known`]) and, when nothing matched exactly, the stored
//! articles that share an index key with the copy ([`Candidate`]s), and
//! [`decide`] turns that into a [`Decision`], a pure function.
//!
//! An upstream entry seen again (same source, same upstream key) is the same
//! article, updated when its content changed (as a copy, with a copy's
//! headline, when it was folded into another story). Otherwise the exact content
//! key, then the canonical link, make a repeat of the article they belong
//! to. Then, when near-duplicate folding is on, [`near_rules::best_match`]
//! judges the candidates: the same story is folded into the stored article,
//! and updates it when the copy extends it or is a later version of it.
//! Anything else is new, with an id that never changes: from the upstream
//! key when there is one, else from the content.
//!
//! [`NearPrints`] are what near-duplicate folding compares: the content key,
//! the folded headline and how much of it the body uses, a SimHash of the
//! whole body ([`simhash`]) and one per paragraph, and an exact key of the
//! body alone. The store keeps them per article, so a candidate is verified
//! without recomputing anything, and finds candidates by their
//! [`NearPrints::index_keys`].

pub mod fingerprint;
pub mod headline;
pub mod html_as_read;
pub mod near_rules;
pub mod refold;
pub mod regroup;
pub mod sentence;
pub mod simhash;

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::config::DedupConfig;
use crate::model::{Article, BlockKind, StoredArticle};
use crate::normalize::{Key, canonical_url, fold};

use near_rules::{Evidence, NearConfig, Rule, Update};
use simhash::SimHasher;

/// The most candidates one index key returns, newest first. Keys shared by
/// many articles (a headline such as "Morning Briefing" used every day, a
/// paragraph of boilerplate) then cost no more than this however large the
/// store grows; the newest articles with the key are the likeliest to be
/// the story again.
pub const CANDIDATES_PER_KEY: usize = 16;

/// The near-duplicate thresholds `[dedup]` asks for, or `None` when
/// near-duplicate folding is off (exact repeats only).
pub fn near_config(config: &DedupConfig) -> Option<NearConfig> {
    config.near.then(|| NearConfig {
        max_distance: config.max_distance,
        ..NearConfig::default()
    })
}

/// What an incoming article is matched by: its identity (upstream key,
/// canonical link and the id it gets if new) and the prints of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprints {
    /// What identifies the entry within its source
    /// ([`Article::upstream_key`]): the key a new entry is stored under;
    /// `None` for dumps.
    pub upstream_key: Option<String>,
    /// The keys the same entry may have been stored under, in the order
    /// they are tried ([`EntryProbe::of`]).
    pub entry_probes: Vec<EntryProbe>,
    /// The ids the entry has when stored as an article of its own
    /// ([`fingerprint::entry_id`] of each of its `entry_probes`, the key it
    /// was first stored under among them); empty for dumps. An entry found
    /// in an article with none of them was folded into another story as a
    /// copy.
    pub entry_ids: Vec<String>,
    /// [`fingerprint::entry_versions`] of an upstream entry: what tells
    /// that it was edited.
    pub version: Option<Key>,
    /// The former [`fingerprint::entry_versions`] of an upstream entry: the
    /// versions it had by the rules its version followed before, each
    /// when that is another.
    pub former_versions: Vec<Key>,
    /// [`fingerprint::content_key_without_media`] of an upstream entry.
    pub key_without_media: Option<Key>,
    /// The article's link in canonical form: the link the page its text
    /// was completed from gives itself ([`Article::page_link`]), else its
    /// own.
    pub canonical_link: Option<String>,
    /// The `#fragment` of that link when it names a post of the page
    /// ([`fingerprint::link_anchor`]: `live.html#post-2`).
    pub link_anchor: Option<String>,
    /// The id the article gets if it turns out to be new.
    pub new_id: String,
    /// The content key and the near-duplicate prints.
    pub near: NearPrints,
    /// [`Article::page_text`]: the text is the page the entry links to.
    pub page_text: bool,
}

impl Fingerprints {
    /// Fingerprints of `article` as read from `source`.
    pub fn of(article: &Article, source: &str) -> Self {
        let near = NearPrints::of(article);
        let new_id = match &article.upstream_key {
            Some(key) => fingerprint::entry_id(source, key),
            None => fingerprint::article_id(&near.content_key),
        };
        let entry_probes = EntryProbe::of(article);
        let entry_ids = entry_probes
            .iter()
            .map(|probe| fingerprint::entry_id(source, &probe.key))
            .collect();
        let (version, former_versions) = match article.upstream_key {
            Some(_) => {
                let (version, former) = fingerprint::entry_versions(article);
                (Some(version), former)
            }
            None => (None, Vec::new()),
        };
        Fingerprints {
            upstream_key: article.upstream_key.clone(),
            entry_probes,
            entry_ids,
            former_versions,
            version,
            key_without_media: article
                .upstream_key
                .as_ref()
                .and_then(|_| fingerprint::content_key_without_media(article)),
            canonical_link: article
                .page_link
                .as_deref()
                .or(article.link.as_deref())
                .filter(|_| !article.shared_link)
                .and_then(canonical_url),
            link_anchor: article
                .link
                .as_deref()
                .filter(|_| !article.shared_link)
                .and_then(fingerprint::link_anchor),
            new_id,
            near,
            page_text: article.page_text,
        }
    }

    /// Whether this is an upstream entry whose body has no words and that
    /// has no media file: its content key is its headline alone, which a
    /// recurring headline (`Photo of the day`) gives every entry. Such an
    /// entry is its own by its id and link; the content key does not fold
    /// it, and only the near-duplicate rules tie it to another copy under
    /// its headline (`cut-copy`: the same publication date).
    pub fn headline_only_entry(&self) -> bool {
        self.upstream_key.is_some() && self.near.words == 0 && self.near.media == 0
    }

    /// The fingerprints of an entry of a source that had the `former`
    /// names before it was renamed: the ids it had as an article of its own
    /// under each of them are its own too ([`Fingerprints::entry_ids`]), so
    /// an edit of an entry stored before the rename updates it in place. A
    /// new entry's id is made from the name the source has now.
    pub fn named(mut self, former: &[String]) -> Self {
        let ids: Vec<String> = former
            .iter()
            .flat_map(|name| {
                self.entry_probes
                    .iter()
                    .map(|probe| fingerprint::entry_id(name, &probe.key))
            })
            .collect();
        self.entry_ids.extend(ids);
        self
    }

    /// sha256 over the folded headline and body: equal for exact repeats.
    pub fn content_key(&self) -> &Key {
        &self.near.content_key
    }
}

/// One key an upstream entry seen before may be stored under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProbe {
    pub key: String,
    /// The article stored under `key` is the entry's only when it holds the
    /// entry's canonical link too: `key` is the id alone, which the
    /// entry's document now gives to other entries as well.
    pub needs_link: bool,
}

impl EntryProbe {
    /// The keys `article` may have been stored under, in the order they
    /// are tried. An entry with an id and a link was stored under both
    /// together while its document gave the id to other entries too, and
    /// under the id alone while it did not; either may hold it now,
    /// whatever the other entries do. The pair is tried first: it names
    /// this entry alone, while the id alone may have passed to another
    /// entry that once shared it. A key that holds the link in its key form
    /// ([`fingerprint::entry_link_key`]: tracking parameters dropped) is
    /// tried with the link as written too, right after it: feedfold stored
    /// it so before it dropped them.
    pub fn of(article: &Article) -> Vec<EntryProbe> {
        let Some(key) = &article.upstream_key else {
            return Vec::new();
        };
        let probe = |key: &str, needs_link| EntryProbe {
            key: key.to_string(),
            needs_link,
        };
        let Some(link) = &article.link else {
            return vec![probe(key, false)];
        };
        let mut probes = match &article.upstream_id {
            None if *key == fingerprint::entry_link_key(link) => {
                vec![probe(key, false), probe(link, false)]
            }
            None => vec![probe(key, false)],
            Some(id) => {
                let pair = fingerprint::paired_key(id, link);
                let id_alone = if *key == pair {
                    probe(id, true)
                } else if key == id {
                    probe(id, false)
                } else {
                    return vec![probe(key, false)];
                };
                let written = format!("{id} {link}");
                vec![probe(&pair, false), probe(&written, false), id_alone]
            }
        };
        probes.dedup();
        probes
    }
}

/// The prints of one article's content that near-duplicate folding compares
/// ([`near_rules::compare`]); stored as JSON beside each article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NearPrints {
    /// [`fingerprint::content_key`]: equal for exact repeats (rule `exact`).
    #[serde(with = "hex_key")]
    pub content_key: Key,
    /// The headline folded as every line is ([`fold`]: case, white space,
    /// quote style): equal for rule "same-headline".
    pub title: String,
    /// The headline folded by [`headline::fold_headline`] (site suffix,
    /// dateline, wire tags, case and punctuation away): equal for rule
    /// "folded-headline".
    pub headline: String,
    /// [`simhash::stable_hash`] of the body's folded words (a wire dateline
    /// opening a paragraph left out): equal when the bodies differ
    /// at most in case, quotes, punctuation and dateline.
    pub body_key: u64,
    /// 64-bit SimHash of the body's word shingles (shingles do not cross
    /// blocks; a wire dateline opening a paragraph is left out).
    pub simhash: u64,
    /// How many shingles `simhash` was taken over.
    pub shingles: u32,
    /// Words in the body.
    pub words: u32,
    /// One print per body block, in order.
    pub paragraphs: Vec<ParagraphPrint>,
    /// How many [`headline::terms`] the folded headline has, and how many
    /// of them the body has too (as stems of its words): see
    /// [`NearPrints::support`].
    pub headline_terms: u32,
    pub headline_terms_in_body: u32,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// [`simhash::stable_hash`] of the media files' URLs in the form they
    /// are compared in ([`fingerprint::media_url`]), 0 without any: copies
    /// with different media files are different items (rule
    /// "other-media").
    #[serde(default)]
    pub media: u64,
    /// Whether the article came with no date of its own (neither published
    /// nor updated): the dates the store gives it are when it was first
    /// seen, which is no publication date (rule "dated-apart" takes it for
    /// undated, near every date).
    #[serde(default)]
    pub undated: bool,
    /// The first paragraph's folded words, each as the low 16 bits of its
    /// [`simhash::stable_hash`], in order, when that paragraph can be
    /// compared within [`near_rules::PARAGRAPH_DISTANCE`] (at least
    /// [`near_rules::MIN_FUZZY_SHINGLES`] shingles) and has at most
    /// [`LEAD_WORDS`] words; empty otherwise, and in prints stored before
    /// they were kept. Two first paragraphs a word or two apart are one lead
    /// edited, not a lead of each body's own ([`near_rules::Overlap`]).
    /// Two words that share a hash can only bring two leads closer, and a
    /// lead rewritten three words or more away would need that at each
    /// extra place (about one chance in 65,536 each) to pass for edited.
    #[serde(default)]
    pub lead_words: Vec<u16>,
    /// The second paragraph's folded words, kept as
    /// [`NearPrints::lead_words`] keep the first's and when they would be
    /// (of a lead's size): the wire's lead under a partner's local intro,
    /// which a copy's lead is weighed against word by word (a corrected
    /// figure is an edit, another place or person is another report:
    /// [`near_rules::compare`]). Empty otherwise, and in prints stored
    /// before they were kept: such a paragraph is then told by its length
    /// and anchors.
    #[serde(default)]
    pub second_words: Vec<u16>,
    /// [`opening_key`] of a first paragraph too long for its words to be
    /// kept ([`NearPrints::lead_words`]: more than [`LEAD_WORDS`]), as a
    /// partner's scraper gives the story's first paragraphs run into one:
    /// the story's copies open with the same words however they are
    /// paragraphed, and such a copy is filed under them as the others are
    /// ([`NearPrints::opening_key`]). `None` otherwise (a kept lead's words
    /// give the key), and in prints stored before it was kept.
    #[serde(default)]
    pub long_lead_opening: Option<u64>,
    /// Of each body block after the first, when it is [`anchored`]: the
    /// low 16 bits of the [`simhash::stable_hash`] of its first
    /// [`ANCHOR_WORDS`] folded words and of its last, 4 bytes a paragraph
    /// whatever its length; `None` for the first block (its words are the
    /// lead words) and any other not anchored, and no block at all in
    /// prints stored before they were kept. A paragraph whose figure is
    /// corrected ("forty eight" made "thirty six") can move its SimHash
    /// further than two paragraphs of one story lie apart; its length and
    /// an anchor it keeps, against those of the paragraph at its place in
    /// the other body, tell it is the one edited
    /// ([`near_rules::edited_in_place`]).
    #[serde(default)]
    pub paragraph_anchors: Vec<Option<[u16; 2]>>,
    /// When the body breaks off (its last paragraph, the first too, not
    /// ending as a sentence ends: [`sentence::ends_as_sentence`]), the
    /// folded text of its last paragraph ([`fold`]: case, quotes and white
    /// space folded character by character, so a text cut short folds to
    /// the start of the whole one's), when it has at most
    /// [`CUT_TEXT_BYTES`] bytes; empty otherwise, and in prints stored
    /// before it was kept. A copy read while it was still being written (a
    /// dump half-written, a push or page cut short) is the story's opening
    /// up to there (rule "cut-copy").
    #[serde(default)]
    pub cut_text: String,
    /// [`simhash::stable_hash`] of the body's folded words as
    /// [`NearPrints::body_key`] takes them, with every word that holds a
    /// digit as one placeholder: equal for bodies that differ only in their
    /// figures (times, prices, scores, counts), which, dated on two days,
    /// are a daily bulletin's editions (rule "dated-apart"). 0 in prints
    /// stored before it was kept.
    #[serde(default)]
    pub figures_key: u64,
    /// Whether the body's first block is known to be a local intro over
    /// the story: a copy of the story without it (the wire's whole copy
    /// under a partner's intro) was folded into the article
    /// ([`near_rules::shows_local_intro`]). When the article is weighed,
    /// that paragraph is then no lead of its own, as if the copy folded
    /// into it were weighed ([`near_rules::Overlap`]). False for an
    /// incoming copy and until such a fold; a copy that replaces the
    /// article's text brings its own prints, without it.
    #[serde(default)]
    pub intro_over_story: bool,
    /// The dates the text's own source gave it, as the store dates an
    /// article by them ([`TextDates::given`]): kept with the prints, so
    /// that a later version is weighed against the text stored now, not
    /// against the article's first sighting nor the moment it was last
    /// replaced. `None` for an undated text, and in prints stored before
    /// they were kept (and in those the store takes again from an
    /// article: [`NearPrints::of_stored`]): those are dated as their
    /// article is.
    #[serde(default)]
    pub text_dates: Option<TextDates>,
    /// The folded text of each body block, at most its first
    /// [`CUT_TEXT_BYTES`] bytes: what a stored copy's
    /// [`NearPrints::cut_text`] must open. Only in the prints of an
    /// incoming copy; the store keeps none (empty when read back).
    #[serde(skip)]
    pub paragraph_texts: Vec<String>,
    /// The body as written, when [`NearPrints::lead_words`] are kept: what
    /// [`NearPrints::lead_names`] reads, only when a rule asks. Only in the
    /// prints of an incoming copy, like [`NearPrints::paragraph_texts`]; the
    /// store keeps none.
    #[serde(skip)]
    pub as_written: AsWritten,
}

/// The dates a source gave a text, whole seconds, as the store dates a new
/// article by them ([`Dates::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextDates {
    /// The source's publication date, else its update date.
    pub published: DateTime<Utc>,
    /// The source's update date, never before `published`; `published`
    /// when it gave none.
    pub updated: DateTime<Utc>,
}

impl TextDates {
    /// The dates of a text whose source gave `published` and `updated`;
    /// `None` when it gave neither.
    pub fn given(
        published: Option<DateTime<Utc>>,
        updated: Option<DateTime<Utc>>,
    ) -> Option<TextDates> {
        let published = published.or(updated)?.trunc_subsecs(0);
        let updated = updated.map(|u| u.trunc_subsecs(0));
        Some(TextDates {
            published,
            updated: update_as_stored(Some(published), updated).unwrap_or(published),
        })
    }
}

/// An article's body as written (case kept), for the few tests that need
/// case ([`NearPrints::lead_names`]): copied when the prints are taken,
/// read only for a copy weighed as one lead lightly edited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AsWritten {
    /// The first block's text as the prints are taken of it (a wire
    /// dateline left out).
    pub lead: String,
    /// The second block's text so, when its words are kept
    /// ([`NearPrints::second_words`]).
    pub second: String,
    /// Every block's text, whole.
    pub blocks: Vec<String>,
}

impl AsWritten {
    /// `body` as written, with the compared text of its first block when
    /// `lead` (its words are kept) and of its second when `second`; none
    /// of it when neither.
    fn of(body: &[crate::model::Block], lead: bool, second: bool) -> AsWritten {
        if !lead && !second {
            return AsWritten::default();
        }
        let compared = |i: usize, kept: bool| {
            body.get(i)
                .filter(|_| kept)
                .map_or_else(String::new, |block| compared_text(block).to_string())
        };
        AsWritten {
            lead: compared(0, lead),
            second: compared(1, second),
            blocks: body.iter().map(|block| block.text.clone()).collect(),
        }
    }
}

/// The most bytes of a cut paragraph's folded text, and of each
/// paragraph's opening, that [`NearPrints`] keep
/// ([`NearPrints::cut_text`], [`NearPrints::paragraph_texts`]): a body
/// cut in a longer paragraph is not judged a cut copy.
pub const CUT_TEXT_BYTES: usize = 2048;

/// How many of a body's first words [`opening_key`] hashes: some half of
/// a news lead's first sentence, which a copy keeps at its start however
/// it paragraphs the story (a lead broken at its sentences, or run
/// together with the next paragraph).
pub const OPENING_KEY_WORDS: usize = 12;

/// The key of a body's opening ([`KeyFamily::Opening`]): the
/// [`simhash::stable_hash`] of the first [`OPENING_KEY_WORDS`] of `words`
/// (each as [`NearPrints::lead_words`] keep it), `None` when there are
/// fewer.
pub fn opening_key(words: impl IntoIterator<Item = u16>) -> Option<u64> {
    let mut bytes = Vec::with_capacity(2 * OPENING_KEY_WORDS);
    for word in words.into_iter().take(OPENING_KEY_WORDS) {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    (bytes.len() == 2 * OPENING_KEY_WORDS).then(|| simhash::stable_hash(&bytes))
}

/// A word as [`NearPrints::lead_words`] keep it: the low 16 bits of its
/// [`simhash::stable_hash`].
fn word_hash(word: &str) -> u16 {
    simhash::stable_hash(word.as_bytes()) as u16
}

/// The text of a body block that the prints are taken of: a wire dateline
/// opening a paragraph left out. The first paragraph's mostly, but a
/// partner's local intro puts the wire's lead, dateline and all, second.
fn compared_text(block: &crate::model::Block) -> &str {
    if block.kind == BlockKind::Paragraph {
        headline::strip_dateline(&block.text)
    } else {
        &block.text
    }
}

/// Words that open a sentence capitalised without naming anything: the
/// commonest function words and numbers spelled out ("Twelve people were
/// hurt", corrected to "Fifteen").
const COMMON_OPENERS: &str = "a an the this that these those it its he she they we i you there here in on at by \
     for from after before as but and or if when while one two three four five six seven \
     eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen \
     nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds \
     thousands dozens some many most several all no more fewer";

/// Of each of the `count` words of the first paragraph `text` (as
/// [`NearPrints::lead_words`] keep them), whether it is written as a name:
/// with a capital letter, and, where it opens a sentence (where any word
/// is capitalised), neither a common opener ([`COMMON_OPENERS`]) nor a
/// word the `body` writes in lower case elsewhere ("Police said", "the
/// police"). Empty when the words as written do not line up with the
/// folded ones.
fn written_as_names(text: &str, count: usize, body: &[String]) -> Vec<bool> {
    use unicode_segmentation::UnicodeSegmentation;
    let words: Vec<(usize, &str)> = text.unicode_word_indices().collect();
    if words.len() != count {
        return Vec::new();
    }
    // Found by substring search, each find a word of its own (no letter or
    // digit beside it): tokenizing the body for every sentence's first
    // word cost a twentieth of a run.
    let written_lower = |word: &str| {
        body.iter().any(|text| {
            text.match_indices(word).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                let after = text[at + word.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
    };
    words
        .iter()
        .map(|&(at, word)| {
            if !word.chars().next().is_some_and(char::is_uppercase) {
                return false;
            }
            let opens_sentence = text[..at].trim_end().chars().next_back().is_none_or(|c| {
                matches!(
                    c,
                    '.' | '!' | '?' | ':' | '"' | '\u{201c}' | '\u{2018}' | '\''
                )
            });
            if !opens_sentence {
                return true;
            }
            let lower = word.to_lowercase();
            let common = COMMON_OPENERS.split(' ').any(|opener| opener == lower);
            !(common || written_lower(&lower))
        })
        .collect()
}

/// `text` cut to at most [`CUT_TEXT_BYTES`] bytes, at a character's start.
fn opening(mut text: String) -> String {
    if text.len() > CUT_TEXT_BYTES {
        let end = (0..=CUT_TEXT_BYTES)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text.truncate(end);
    }
    text
}

/// The most words of a first paragraph whose words [`NearPrints`] keep,
/// and of another that is [`anchored`]. A
/// word changed in a longer one moves its SimHash a few bits at most, well
/// within [`near_rules::CONTAINED_PARAGRAPH_DISTANCE`]; a news lead is
/// some 25 to 45 words, and a brief told in one paragraph (a fire, a death
/// notice) up to a hundred or so, whose words tell a light edit from
/// another brief of the same shape ([`near_rules::light_edit`]).
pub const LEAD_WORDS: usize = 128;

/// The words of a paragraph's opening and of its close that
/// [`NearPrints::paragraph_anchors`] each hash: a corrected figure, name or
/// typo leaves one of them as it was unless it falls in both.
pub const ANCHOR_WORDS: usize = 8;

/// Whether [`NearPrints::paragraph_anchors`] keep anchors of a body block
/// after the first with print `p`: as [`NearPrints::lead_words`] keep the
/// first's words (at least [`near_rules::MIN_FUZZY_SHINGLES`] shingles and
/// at most [`LEAD_WORDS`] words; a longer paragraph's SimHash moves a few
/// bits for a word changed), and with more than [`ANCHOR_WORDS`] words, so
/// that each anchor leaves a word out (a shorter paragraph's two anchors
/// are both its whole text). Told from the print alone, so a record keeps
/// no mark of which blocks have anchors.
pub fn anchored(p: &ParagraphPrint) -> bool {
    p.shingles >= near_rules::MIN_FUZZY_SHINGLES
        && p.words as usize > ANCHOR_WORDS
        && p.words as usize <= LEAD_WORDS
}

/// The anchors of a paragraph of `words` ([`NearPrints::paragraph_anchors`]).
fn anchors<S: AsRef<str>>(words: &[S]) -> [u16; 2] {
    let hash = |words: &[S]| {
        let mut joined = simhash::StableHasher::default();
        for (n, word) in words.iter().enumerate() {
            if n > 0 {
                joined.write(b" ");
            }
            joined.write(word.as_ref().as_bytes());
        }
        joined.finish() as u16
    };
    let end = words.len().min(ANCHOR_WORDS);
    [hash(&words[..end]), hash(&words[words.len() - end..])]
}

/// [`NearPrints::media`] of `files`.
fn media_print(files: &[crate::model::Enclosure]) -> u64 {
    if files.is_empty() {
        return 0;
    }
    let urls: Vec<String> = files
        .iter()
        .map(|f| fingerprint::media_url(&f.url))
        .collect();
    simhash::stable_hash(urls.join("\n").as_bytes()).max(1)
}

/// The SimHash of one body block, its size, and whether, short, it reads
/// as a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphPrint {
    pub simhash: u64,
    pub words: u32,
    pub shingles: u32,
    /// A short paragraph (under [`near_rules::MIN_FUZZY_SHINGLES`]
    /// shingles) that reads as a sentence ([`sentence::is_sentence`]), not
    /// page furniture; false for a longer one, and in prints stored before
    /// it was kept.
    #[serde(default)]
    pub sentence: bool,
}

impl NearPrints {
    /// The prints of `article`'s content.
    pub fn of(article: &Article) -> Self {
        let mut scratch = String::new();
        let mut whole = SimHasher::new();
        let mut paragraphs = Vec::with_capacity(article.body.len());
        // The body's words, and its words with each figure as `#`, one
        // space between words and a line break between blocks, hashed as
        // they come.
        let mut body_key = simhash::StableHasher::default();
        let mut figures_key = simhash::StableHasher::default();
        let headline = headline::fold_headline(&article.title);
        let terms = headline::terms(&headline);
        // The headline's terms as hashed, and which of them a body word's
        // stem is.
        let term_hashes: Vec<u64> = terms
            .iter()
            .map(|t| simhash::stable_hash(t.as_bytes()))
            .collect();
        let mut grounded = vec![false; terms.len()];
        let mut lead_words = Vec::new();
        let mut second_words = Vec::new();
        let mut long_lead_opening = None;
        let mut paragraph_anchors = Vec::with_capacity(article.body.len());
        let mut paragraph_texts = Vec::with_capacity(article.body.len());
        // Whether the last block's folded text fitted in CUT_TEXT_BYTES.
        let mut last_whole = false;
        for (i, block) in article.body.iter().enumerate() {
            let text = compared_text(block);
            let words = simhash::words_in(text, &mut scratch);
            if i > 0 {
                body_key.write(b"\n");
                figures_key.write(b"\n");
            }
            for (n, word) in words.iter().enumerate() {
                if n > 0 {
                    body_key.write(b" ");
                    figures_key.write(b" ");
                }
                body_key.write(word.as_bytes());
                let figure = word.bytes().any(|b| b.is_ascii_digit());
                figures_key.write(if figure { b"#" } else { word.as_bytes() });
            }
            for word in &words {
                let stem = simhash::stable_hash(headline::stem(word).as_bytes());
                if let Some(term) = term_hashes.iter().position(|&t| t == stem) {
                    grounded[term] = true;
                }
            }
            let mut hasher = SimHasher::new();
            for hash in simhash::shingle_hashes(&words, simhash::SHINGLE_WORDS) {
                hasher.add(hash);
            }
            whole.merge(&hasher);
            if i < 2
                && hasher.features() >= near_rules::MIN_FUZZY_SHINGLES
                && words.len() <= LEAD_WORDS
            {
                let kept = words.iter().map(|w| word_hash(w)).collect();
                if i == 0 {
                    lead_words = kept;
                } else {
                    second_words = kept;
                }
            } else if i == 0 && words.len() > LEAD_WORDS {
                long_lead_opening = opening_key(words.iter().map(|w| word_hash(w)));
            }
            let folded = fold(text);
            last_whole = folded.len() <= CUT_TEXT_BYTES;
            paragraph_texts.push(opening(folded));
            paragraphs.push(ParagraphPrint {
                simhash: hasher.finish(),
                words: words.len() as u32,
                shingles: hasher.features(),
                sentence: block.kind == BlockKind::Paragraph
                    && hasher.features() < near_rules::MIN_FUZZY_SHINGLES
                    && sentence::is_sentence(text),
            });
            let p = paragraphs.last().expect("just pushed");
            paragraph_anchors.push((i > 0 && anchored(p)).then(|| anchors(&words)));
        }
        // The last block's text was folded above (whole, as it fitted).
        let cut_text = article
            .body
            .last()
            .filter(|last| {
                last.kind == BlockKind::Paragraph
                    && last_whole
                    && !sentence::ends_as_sentence(&last.text)
            })
            .and_then(|_| paragraph_texts.last().cloned())
            .unwrap_or_default();
        let as_written = AsWritten::of(
            &article.body,
            !lead_words.is_empty(),
            !second_words.is_empty(),
        );
        let headline_terms = terms.len() as u32;
        let headline_terms_in_body = grounded.iter().filter(|&&found| found).count() as u32;
        NearPrints {
            content_key: fingerprint::content_key(article),
            title: fold(&article.title),
            headline_terms,
            headline_terms_in_body,
            headline,
            body_key: body_key.finish(),
            figures_key: figures_key.finish(),
            intro_over_story: false,
            simhash: whole.finish(),
            shingles: whole.features(),
            words: paragraphs.iter().map(|p| p.words).sum(),
            paragraphs,
            published: article.published,
            updated: article.updated,
            media: media_print(&article.enclosures),
            undated: article.published.is_none() && article.updated.is_none(),
            text_dates: TextDates::given(article.published, article.updated),
            lead_words,
            second_words,
            long_lead_opening,
            paragraph_anchors,
            cut_text,
            paragraph_texts,
            as_written,
        }
    }

    /// Of each of [`NearPrints::lead_words`], whether it is written as a
    /// name (`written_as_names`): a place, a person, an organisation. Known
    /// for an incoming copy's prints ([`NearPrints::as_written`]); empty for
    /// a stored article's, and when the first paragraph keeps no words.
    pub fn lead_names(&self) -> Vec<bool> {
        self.opening_names(0)
    }

    /// The words of paragraph `i` as [`NearPrints::lead_words`] keep a
    /// first paragraph's: those kept, for the first two
    /// ([`NearPrints::opening_words`]), else taken of its text when the prints keep it (an incoming copy's,
    /// [`NearPrints::paragraph_texts`]) and it is of a lead's size. `None`
    /// otherwise.
    pub fn paragraph_words(&self, i: usize) -> Option<Vec<u16>> {
        if let Some(kept) = self.opening_words(i) {
            return Some(kept.to_vec());
        }
        let p = self.paragraphs.get(i)?;
        let text = self.paragraph_texts.get(i)?;
        let whole = text.len() < CUT_TEXT_BYTES;
        let of_a_lead =
            p.shingles >= near_rules::MIN_FUZZY_SHINGLES && p.words as usize <= LEAD_WORDS;
        (whole && of_a_lead).then(|| {
            let mut scratch = String::new();
            simhash::words_in(text, &mut scratch)
                .iter()
                .map(|w| word_hash(w))
                .collect()
        })
    }

    /// The words kept of paragraph `i`, one of the first two
    /// ([`NearPrints::lead_words`], [`NearPrints::second_words`]); `None`
    /// when none are kept of it.
    pub fn opening_words(&self, i: usize) -> Option<&[u16]> {
        let kept = match i {
            0 => &self.lead_words,
            1 => &self.second_words,
            _ => return None,
        };
        (!kept.is_empty()).then_some(kept.as_slice())
    }

    /// Of each word kept of paragraph `i`, one of the first two
    /// ([`NearPrints::opening_words`]), whether it is written as a name,
    /// as [`NearPrints::lead_names`] tells it for the first.
    pub fn opening_names(&self, i: usize) -> Vec<bool> {
        let Some(words) = self.opening_words(i) else {
            return Vec::new();
        };
        let text = if i == 0 {
            &self.as_written.lead
        } else {
            &self.as_written.second
        };
        written_as_names(text, words.len(), &self.as_written.blocks)
    }

    /// The anchors of paragraph `i` ([`NearPrints::paragraph_anchors`]):
    /// those kept, else, for the first paragraph of prints that keep its
    /// text (an incoming copy's), taken of it when it is [`anchored`].
    pub fn anchors_of(&self, i: usize) -> Option<[u16; 2]> {
        if let Some(kept) = self.paragraph_anchors.get(i).copied().flatten() {
            return Some(kept);
        }
        let p = self.paragraphs.get(i)?;
        let text = self.paragraph_texts.get(i)?;
        (i == 0 && anchored(p) && text.len() < CUT_TEXT_BYTES).then(|| {
            let mut scratch = String::new();
            anchors(&simhash::words_in(text, &mut scratch))
        })
    }

    /// [`opening_key`] of the body's first words, as the first
    /// paragraph's kept words ([`NearPrints::lead_words`]) have them, or
    /// as kept of a longer one ([`NearPrints::long_lead_opening`]); `None`
    /// when it has fewer than [`OPENING_KEY_WORDS`].
    pub fn opening_key(&self) -> Option<u64> {
        opening_key(self.lead_words.iter().copied()).or(self.long_lead_opening)
    }

    /// These prints, taken of a stored article's text `body`, under the
    /// headline `title` the article takes while its text stays (an
    /// upstream entry's edited headline over the fuller text read
    /// before): the headline's prints taken again, the rest as it was.
    pub fn retitled(self, title: &str, body: &[crate::model::Block]) -> NearPrints {
        let again = NearPrints::of(&Article {
            title: title.to_string(),
            body: body.to_vec(),
            ..Article::default()
        });
        NearPrints {
            title: again.title,
            headline: again.headline,
            headline_terms: again.headline_terms,
            headline_terms_in_body: again.headline_terms_in_body,
            ..self
        }
    }

    /// These prints with the [`NearPrints::paragraph_texts`] of `body`,
    /// the body they were taken of: the prints a store gives back, made
    /// whole again so the article can be weighed as an incoming copy is
    /// ([`refold`]).
    pub fn with_paragraph_texts(self, body: &[crate::model::Block]) -> NearPrints {
        let as_written = AsWritten::of(
            body,
            !self.lead_words.is_empty(),
            !self.second_words.is_empty(),
        );
        NearPrints {
            as_written,
            paragraph_texts: body
                .iter()
                .map(|block| opening(fold(compared_text(block))))
                .collect(),
            ..self
        }
    }

    /// The prints of an article already in the store, dated as the store
    /// dates it; the dates its text's source gave are not known
    /// ([`NearPrints::text_dates`]).
    pub fn of_stored(stored: &StoredArticle) -> Self {
        Self {
            text_dates: None,
            ..Self::of(&Article {
                title: stored.title.clone(),
                published: Some(stored.published),
                updated: Some(stored.updated),
                body: stored.body.clone(),
                enclosures: stored.enclosures.clone(),
                ..Default::default()
            })
        }
    }

    /// The keys a store indexes these prints under, for near-duplicate
    /// distance `k`: a candidate is reached by at least one of the keys of
    /// the copy it is compared with ([`IndexKey::reaches`]). Together they
    /// reach every same-story pair of the evaluation (`BENCHMARKS.md`
    /// (near-duplicate folding)):
    ///
    /// - [`KeyFamily::Body`]: the [`simhash::bands`] of the body SimHash
    ///   (four at `k = 3`), which reach every body within `k` bits (none
    ///   for a body without shingles: a headline-only entry is reached by
    ///   its headline);
    /// - [`KeyFamily::Paragraph`]: the SimHash of each of the first
    ///   [`INDEXED_PARAGRAPHS`] paragraphs with at least
    ///   [`near_rules::MIN_FUZZY_SHINGLES`] shingles, shared by copies that
    ///   kept one of them as it was (a paragraph appended, cut or edited
    ///   moves the body beyond `k` bits; a copy keeps the story's lead, or
    ///   puts an intro of its own before it);
    /// - [`KeyFamily::Headline`]: [`simhash::stable_hash`] of the folded
    ///   headline, shared by same-headline copies whatever their bodies;
    /// - [`KeyFamily::Opening`]: the body's first words
    ///   ([`NearPrints::opening_key`]), shared by the copies of a story
    ///   however they are paragraphed; filed only: a copy's own lookup
    ///   leaves it out ([`NearPrints::lookup_keys`]).
    ///
    /// A lookup reads one index range per key it looks up, so a copy costs
    /// at most `bands + INDEXED_PARAGRAPHS + 1` reads however long it is.
    pub fn index_keys(&self, k: u32) -> Vec<IndexKey> {
        let mut keys = self.lookup_keys(k);
        if let Some(opening) = self.opening_key() {
            keys.push(IndexKey::exact(KeyFamily::Opening, opening));
        }
        keys
    }

    /// The keys a copy with these prints is looked up by: its
    /// [`NearPrints::index_keys`] but the opening's, which only a copy
    /// found new is looked up by ([`regroup::opening_probes`]).
    pub fn lookup_keys(&self, k: u32) -> Vec<IndexKey> {
        // A body with no shingles (a headline-only entry) has no SimHash to
        // speak of: every such body would share its bands.
        let body_bands = if self.shingles > 0 {
            simhash::bands(self.simhash, k)
        } else {
            Vec::new()
        };
        let mut keys: Vec<IndexKey> = body_bands
            .into_iter()
            .map(|band| IndexKey {
                family: KeyFamily::Body,
                band: band.index,
                value: band.arranged >> (64 - KEY_BITS),
                leading: band.width.min(KEY_BITS),
            })
            .collect();
        let long = self
            .paragraphs
            .iter()
            .filter(|p| p.shingles >= near_rules::MIN_FUZZY_SHINGLES)
            .take(INDEXED_PARAGRAPHS);
        for paragraph in long {
            let key = IndexKey::exact(KeyFamily::Paragraph, paragraph.simhash);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        if !self.headline.is_empty() {
            keys.push(IndexKey::exact(
                KeyFamily::Headline,
                simhash::stable_hash(self.headline.as_bytes()),
            ));
        }
        keys
    }

    /// Whether a lookup by these prints' keys reaches `stored`: the store
    /// returns it as a candidate (as long as no more than
    /// [`CANDIDATES_PER_KEY`] newer articles share the key).
    pub fn reaches(&self, stored: &NearPrints, k: u32) -> bool {
        let theirs = stored.index_keys(k);
        self.lookup_keys(k)
            .iter()
            .any(|key| theirs.iter().any(|other| key.reaches(other, k)))
    }

    /// Whether one of the body's paragraphs is a republisher's note on
    /// where the story ran first ([`near_rules::republication_note`]):
    /// known for an incoming copy only, whose paragraph texts are kept.
    pub fn republished(&self) -> bool {
        self.paragraph_texts
            .iter()
            .any(|text| near_rules::republication_note(text))
    }

    /// The publication date the source gave: none when it gave no date
    /// ([`NearPrints::undated`]: `published` is then when it was read).
    pub fn given_published(&self) -> Option<DateTime<Utc>> {
        self.published.filter(|_| !self.undated)
    }

    /// These prints as the store gives them back: without
    /// [`NearPrints::paragraph_texts`].
    #[cfg(test)]
    pub fn as_stored(&self) -> NearPrints {
        NearPrints {
            paragraph_texts: Vec::new(),
            as_written: AsWritten::default(),
            ..self.clone()
        }
    }

    /// The share of the headline's terms that its own body uses, from 0 to
    /// 1: how well the headline describes the body. A story's headline,
    /// rewritten or not, is about its text; a consent wall or paywall
    /// scraped in place of the story is about nothing in it.
    pub fn support(&self) -> f64 {
        if self.headline_terms == 0 {
            0.0
        } else {
            f64::from(self.headline_terms_in_body) / f64::from(self.headline_terms)
        }
    }

    /// The update date the source gave when it says the copy was revised:
    /// after its own publication date (or with none given). One equal to
    /// it, or before it, records no revision: Atom's mandatory
    /// `<updated>`, a page's `modified_time` for a post never edited, a
    /// push's `updated` copied from `published`, a post saved before it
    /// went out.
    pub fn revised(&self) -> Option<DateTime<Utc>> {
        self.updated
            .filter(|&updated| self.published.is_none_or(|published| updated > published))
    }

    /// The date the copy speaks for: when it was revised
    /// ([`NearPrints::revised`]), else published.
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.revised().or(self.published)
    }
}

/// Which print an [`IndexKey`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    Body,
    Paragraph,
    Headline,
    /// A body's first words ([`opening_key`]), filed, never looked up by a
    /// copy's own keys: only by a copy found new
    /// ([`regroup::opening_probes`]).
    Opening,
}

/// The first paragraphs of a body, long enough to be compared on their
/// own, that are index keys ([`NearPrints::index_keys`]).
pub const INDEXED_PARAGRAPHS: usize = 4;

/// The bits of a print an [`IndexKey`] keeps: the leading 57, so that a
/// store can number a key with a 7-bit tag for its family and band in a
/// signed 64-bit integer ([`crate::store::codec::near_key`]).
pub const KEY_BITS: u32 = 57;

/// One key of [`NearPrints::index_keys`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndexKey {
    pub family: KeyFamily,
    /// Which band of the body SimHash; 0 for the other families.
    pub band: u32,
    /// The leading [`KEY_BITS`] bits of the print: of the band's
    /// arrangement of the body SimHash, of the paragraph's SimHash, of the
    /// headline's hash.
    pub value: u64,
    /// How many leading bits of `value` must be equal for a key to reach
    /// another: the band's width for a body band, all of them otherwise.
    pub leading: u32,
}

impl IndexKey {
    /// A key equal only to itself.
    fn exact(family: KeyFamily, print: u64) -> IndexKey {
        IndexKey {
            family,
            band: 0,
            value: print >> (64 - KEY_BITS),
            leading: KEY_BITS,
        }
    }

    /// Whether looking up this key returns an article filed under `other`:
    /// same family and band, the same leading bits, and for a body band at
    /// most `k` bits apart in all (chance matches of the leading bits are
    /// dropped).
    pub fn reaches(&self, other: &IndexKey, k: u32) -> bool {
        let low = KEY_BITS - self.leading;
        self.family == other.family
            && self.band == other.band
            && self.value >> low == other.value >> low
            && (self.family != KeyFamily::Body || simhash::hamming(self.value, other.value) <= k)
    }
}

/// The content key as 64 hex digits in JSON.
mod hex_key {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::normalize::{Key, hex};

    pub fn serialize<S: Serializer>(key: &Key, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex(key))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        let text = String::deserialize(deserializer)?;
        let digits = text.as_bytes();
        if digits.len() != 64 {
            return Err(D::Error::custom("a content key is 64 hex digits"));
        }
        let mut key = [0u8; 32];
        for (byte, pair) in key.iter_mut().zip(digits.chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(D::Error::custom)?;
            *byte = u8::from_str_radix(pair, 16).map_err(D::Error::custom)?;
        }
        Ok(key)
    }
}

/// Which exact test made a copy a repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exact {
    /// The same upstream entry (source and upstream key), unchanged, or a
    /// late retry of an earlier version of it: the entry stays known by
    /// the version it had.
    Entry,
    /// The same upstream entry, edited, whose text does not replace its
    /// story's (an edited teaser or copy, neither extending the story's
    /// text nor about as long, or a page giving the story's text again
    /// after a teaser read in between): a sighting, after which the entry
    /// is known as it is now.
    EditedEntry,
    /// The same content key.
    Content,
    /// The same canonical link.
    Link,
}

/// What folding decided for one incoming article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Not seen before: store it under this new id.
    New { id: String },
    /// Exactly a stored article, by the test `by`: record the sighting only.
    Repeat { id: String, by: Exact },
    /// A known upstream entry whose content changed, stored as an article
    /// of its own: update the stored article's content and `updated`, keep
    /// its id and `published`.
    Update { id: String },
    /// A known upstream entry folded into another stored story as a copy
    /// (the story is not the article it was first stored as) whose change
    /// replaces that story's content as a copy does, `update` telling why:
    /// it extends the stored text (`longer`), else it is a later version
    /// of it (`newer`, an edit). Its fold is recorded as having replaced
    /// the stored text.
    EditedCopy { id: String, update: Update },
    /// Another copy of the stored story `id`, by near-duplicate `rule` with
    /// the bodies' SimHashes `distance` bits apart. With `update`, the copy
    /// replaces the stored content and `updated` (id and `published` stay);
    /// without, only the sighting is recorded. The containment rules give
    /// their `evidence`.
    Near {
        id: String,
        rule: Rule,
        distance: u32,
        update: Option<Update>,
        evidence: Option<Evidence>,
    },
}

/// Why a copy seen at a new place was folded into another stored article,
/// as `feedfold dups` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoldReason {
    /// A near-duplicate rule's name, `exact` or `same-link`.
    pub rule: &'static str,
    /// Body SimHash bits apart, when known.
    pub distance: Option<u32>,
    /// Whether and why the copy replaced the stored content.
    pub update: Option<Update>,
    /// What a containment rule rests on.
    pub evidence: Option<Evidence>,
}

/// The rule of a copy that repeats a text its article had before another
/// copy replaced it ([`FoldReason::against_stored`]).
pub const EARLIER_TEXT: &str = "earlier-text";

/// The rule of a copy that repeats the text of a copy folded into its
/// article before, a text the article never had ([`FoldReason::against_stored`]).
pub const EARLIER_COPY: &str = "earlier-copy";

impl FoldReason {
    /// The reason as it stands against the `stored` prints of the article
    /// now. An exact repeat of a text the article does not have (the
    /// content key of every copy folded into it, and of every text it had,
    /// leads to it) is no repeat of its text now: of an earlier text of its
    /// own (rule `earlier-text`) when its `history` says it had the copy's
    /// text ([`TextHistory::had_text`]), else of a copy folded before that
    /// left the article another text (rule `earlier-copy`); the bodies'
    /// SimHashes as far apart as the copy and the stored text are. Any
    /// other reason is as it was, and its history is not read.
    pub fn against_stored<E>(
        self,
        copy: &NearPrints,
        stored: &NearPrints,
        history: impl FnOnce() -> Result<TextHistory, E>,
    ) -> Result<FoldReason, E> {
        if self.rule != "exact" || copy.content_key == stored.content_key {
            return Ok(self);
        }
        let had_text = history()?.had_text(&copy.content_key);
        Ok(FoldReason {
            rule: if had_text { EARLIER_TEXT } else { EARLIER_COPY },
            distance: Some(simhash::hamming(copy.simhash, stored.simhash)),
            ..self
        })
    }
}

/// A copy of a stored article as the store recorded it: the copy it was
/// first stored from, or one folded into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCopy {
    /// The id the copy was stored or folded under: its upstream entry's
    /// ([`fingerprint::entry_id`]) or its content's ([`fingerprint::article_id`]).
    pub id: String,
    /// The content key its upstream entry has now, when it is an entry of
    /// the article the store knows.
    pub entry_content: Option<Key>,
    /// Whether the copy gave the article its text: the copy it was first
    /// stored from, or a fold that replaced its text.
    pub gave_text: bool,
}

impl RecordedCopy {
    /// Whether the copy's content is the one under `key`, as far as its
    /// record tells: its id is that content's, or its entry has it now.
    fn holds(&self, key: &Key) -> bool {
        self.id == fingerprint::article_id(key) || self.entry_content.as_ref() == Some(key)
    }
}

/// What the store recorded of the texts a stored article had and the
/// copies folded into it, which tells a repeat of an earlier text from a
/// repeat of an earlier copy ([`FoldReason::against_stored`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextHistory {
    /// The copy the article was first stored from, then those folded into it.
    pub copies: Vec<RecordedCopy>,
    /// Whether its text was replaced since it was stored.
    pub replaced: bool,
}

impl TextHistory {
    /// The history of the article stored under `id`, its text `replaced`
    /// since or not, from its `folds` (each copy's id and whether it
    /// replaced the text) and the content keys its upstream `entries` have
    /// now (each by source, upstream key and content key).
    pub fn of(
        id: &str,
        replaced: bool,
        folds: impl IntoIterator<Item = (String, bool)>,
        entries: impl IntoIterator<Item = (String, String, Key)>,
    ) -> TextHistory {
        let entries: HashMap<String, Key> = entries
            .into_iter()
            .map(|(source, key, content)| (fingerprint::entry_id(&source, &key), content))
            .collect();
        let recorded = |id: String, gave_text| RecordedCopy {
            entry_content: entries.get(&id).copied(),
            id,
            gave_text,
        };
        let first = recorded(id.to_string(), true);
        let folded = folds
            .into_iter()
            .map(|(id, replaced)| recorded(id, replaced));
        TextHistory {
            copies: std::iter::once(first).chain(folded).collect(),
            replaced,
        }
    }

    /// Whether the article had the text with content `key`: a copy that
    /// gave it its text held it. Else a copy folded in without replacing
    /// its text held it, or, when no record tells (an upstream entry's
    /// earlier version), whether its text was ever replaced.
    pub fn had_text(&self, key: &Key) -> bool {
        let held_by = |gave_text: bool| {
            self.copies
                .iter()
                .any(|copy| copy.gave_text == gave_text && copy.holds(key))
        };
        held_by(true) || (!held_by(false) && self.replaced)
    }
}

impl Decision {
    pub fn id(&self) -> &str {
        match self {
            Decision::New { id }
            | Decision::Repeat { id, .. }
            | Decision::Update { id }
            | Decision::EditedCopy { id, .. }
            | Decision::Near { id, .. } => id,
        }
    }

    /// Whether the stored content is replaced by the incoming copy.
    pub fn updates(&self) -> bool {
        matches!(
            self,
            Decision::Update { .. }
                | Decision::EditedCopy { .. }
                | Decision::Near {
                    update: Some(_),
                    ..
                }
        )
    }

    /// The same decision without replacing the stored content: an
    /// upstream entry's change is a repeat of it, a near-duplicate that
    /// would replace the text a sighting only. Others are as they were.
    pub fn keeping_text(self) -> Decision {
        match self {
            Decision::Update { id } | Decision::EditedCopy { id, .. } => Decision::Repeat {
                id,
                by: Exact::Entry,
            },
            Decision::Near {
                id,
                rule: Rule::SameLink,
                ..
            } => Decision::Repeat {
                id,
                by: Exact::Link,
            },
            Decision::Near {
                id,
                rule,
                distance,
                evidence,
                ..
            } => Decision::Near {
                id,
                rule,
                distance,
                update: None,
                evidence,
            },
            other => other,
        }
    }

    /// Whether the copy repeats a text the store knows under its content
    /// key: the article's text now, one it had before another copy
    /// replaced it, or a copy's folded into it (see
    /// [`FoldReason::against_stored`]).
    pub fn repeats_content(&self) -> bool {
        matches!(
            self,
            Decision::Repeat {
                by: Exact::Content,
                ..
            }
        )
    }

    /// Whether the fold of this copy is recorded even when it comes from a
    /// place its article was seen at already: a near-duplicate (a second
    /// copy further down its original's own dump file, another push), or
    /// an upstream entry the store did not know that repeats the content or
    /// link of another (a feed's second entry of a story), or a text the
    /// store never held under the article's canonical link (a page file
    /// edited in place). The article itself read again from its place is no
    /// copy of it, and neither is an entry under an id the store did not
    /// know that repeats both the content and the link of the article
    /// (what the store `known` under the copy's link leads to it): the same
    /// copy under another id (a feed that gives its entries a new id on
    /// every fetch, a timestamp in the guid).
    pub fn folds_at_a_known_place(&self, fingerprints: &Fingerprints, known: &Known) -> bool {
        match self {
            Decision::Near { .. }
            | Decision::Repeat {
                by: Exact::Link, ..
            } => true,
            Decision::Repeat {
                id,
                by: Exact::Content,
            } => fingerprints.upstream_key.is_some() && known.by_link.as_deref() != Some(id),
            Decision::New { .. }
            | Decision::Update { .. }
            | Decision::EditedCopy { .. }
            | Decision::Repeat {
                by: Exact::Entry | Exact::EditedEntry,
                ..
            } => false,
        }
    }

    /// Why the copy was folded into another article: for exact repeats of
    /// content or link and for near-duplicates; `None` for a new article and
    /// for an upstream entry seen again, which are not copies of another or
    /// (an edited copy) were folded when first seen.
    pub fn fold_reason(&self) -> Option<FoldReason> {
        match self {
            Decision::Repeat {
                by: Exact::Content, ..
            } => Some(FoldReason {
                rule: "exact",
                distance: Some(0),
                update: None,
                evidence: None,
            }),
            Decision::Repeat {
                by: Exact::Link, ..
            } => Some(FoldReason {
                rule: "same-link",
                distance: None,
                update: None,
                evidence: None,
            }),
            Decision::Near {
                rule,
                distance,
                update,
                evidence,
                ..
            } => Some(FoldReason {
                rule: rule.as_str(),
                distance: Some(*distance),
                update: *update,
                evidence: *evidence,
            }),
            Decision::New { .. }
            | Decision::Repeat {
                by: Exact::Entry | Exact::EditedEntry,
                ..
            }
            | Decision::Update { .. }
            | Decision::EditedCopy { .. } => None,
        }
    }
}

/// What the store already holds under an incoming article's exact keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// The article this upstream entry (same source, and one of its
    /// [`Fingerprints::entry_probes`]) was folded into, as last seen.
    pub entry: Option<KnownEntry>,
    /// The article holding this exact content key.
    pub by_content: Option<String>,
    /// The article holding this canonical link.
    pub by_link: Option<String>,
    /// The prints of the stored text the copy may replace: the entry's
    /// article when the entry changed, or the article holding its link when
    /// nothing else matched ([`near_rules::link_update`]).
    pub stored_prints: Option<NearPrints>,
    /// Whether the `updated` of `stored_prints` is a date a source gave,
    /// not the moment the article was first seen or an undated copy
    /// replaced its text ([`crate::store::update_given_by_source`]): only
    /// such a date tells a late retry of an entry ([`decide`]).
    pub stored_update_given: bool,
    /// The link of the article holding this canonical link, as stored, when
    /// its prints are `stored_prints` (no entry and no content key
    /// matched) and the copy's link names a post (`link_anchor`): its
    /// `#fragment` tells whether the copy's link is the same link or another
    /// post of one live page ([`link_names_another_post`]); or the link of
    /// the entry's article, when the entry changed and its canonical link
    /// leads to that article: whether the entry gives the article's own
    /// link, or only its own, filed under the story it was folded into
    /// as a copy ([`decide`]).
    pub stored_link: Option<String>,
}

/// An upstream entry seen before, as the store remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownEntry {
    /// The article it was folded into.
    pub id: String,
    /// The key it was found under, remembered again with what the entry
    /// has now.
    pub key: String,
    /// The content key it had when last seen.
    pub content_key: Key,
    /// Its [`fingerprint::entry_versions`] then; `None` when it was last
    /// seen before versions were kept.
    pub version: Option<Key>,
}

impl KnownEntry {
    /// Whether the entry seen now as `copy` is as it was: the same
    /// version (or a version it has by a former rule, for an entry
    /// last seen under that rule), or, for an entry last seen before
    /// versions were kept, the same headline and body (its content key
    /// then held no media files).
    pub fn unchanged(&self, copy: &Fingerprints) -> bool {
        match (self.version, copy.version) {
            (Some(last), Some(now)) => last == now || copy.former_versions.contains(&last),
            _ => {
                self.content_key == copy.near.content_key
                    || copy.key_without_media == Some(self.content_key)
            }
        }
    }
}

impl Known {
    /// Whether an exact test (upstream entry, content key, canonical link)
    /// matched: the near-duplicate candidates need not be looked up.
    pub fn exact_match(&self) -> bool {
        self.entry.is_some() || self.by_content.is_some() || self.by_link.is_some()
    }
}

/// A stored article that shares an index key with an incoming copy, as the
/// store returns it: its id and the prints of its current content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    pub prints: NearPrints,
}

/// Whether the near-duplicate candidates are worth looking up: folding is
/// on and no exact test matched (a canonical link that names another story
/// or another post of its page is no match: [`link_names_another_story`],
/// [`link_names_another_post`]).
pub fn wants_candidates(
    fingerprints: &Fingerprints,
    known: &Known,
    near: Option<&NearConfig>,
) -> bool {
    near.is_some()
        && (!known.exact_match()
            || only_headline_matched(fingerprints, known)
            || link_names_another_story(fingerprints, known, near)
            || link_names_another_post(fingerprints, known))
}

/// Whether the only exact test that matched is the content key of an
/// upstream entry with no text ([`Fingerprints::headline_only_entry`]):
/// its headline alone, which ties it to no story.
fn only_headline_matched(fingerprints: &Fingerprints, known: &Known) -> bool {
    known.entry.is_none()
        && known.by_link.is_none()
        && known.by_content.is_some()
        && fingerprints.headline_only_entry()
}

/// Whether the copy's link and the stored article's holding its canonical
/// link, the only exact test that matched, are two anchors of one page
/// that each name a post ([`fingerprint::link_anchor`]: a live page's
/// `live.html#post-1` and `#post-2`): two stories, not one link. A link
/// with no such anchor, or the same one, is the same link; so is one whose
/// article holds a link to another page (another copy's link led to it).
pub fn link_names_another_post(fingerprints: &Fingerprints, known: &Known) -> bool {
    let Some(anchor) = &fingerprints.link_anchor else {
        return false;
    };
    known.entry.is_none()
        && known.by_content.is_none()
        && known.by_link.is_some()
        && known.stored_link.as_deref().is_some_and(|stored| {
            canonical_url(stored) == fingerprints.canonical_link
                && fingerprint::link_anchor(stored).is_some_and(|other| other != *anchor)
        })
}

/// Whether the stored article holding the copy's canonical link, the only
/// exact test that matched, tells another story
/// ([`near_rules::link_tells_the_story`]): the link is a section page two
/// stories' pages give, and the copy is not folded by it.
pub fn link_names_another_story(
    fingerprints: &Fingerprints,
    known: &Known,
    near: Option<&NearConfig>,
) -> bool {
    let config = near.copied().unwrap_or_default();
    known.entry.is_none()
        && known.by_content.is_none()
        && known.by_link.is_some()
        && !link_names_another_post(fingerprints, known)
        && known.stored_prints.as_ref().is_some_and(|stored| {
            !near_rules::link_tells_the_story(&fingerprints.near, stored, &config)
        })
}

/// Whether `article`, an upstream entry known by its link alone (no id:
/// its key is [`fingerprint::entry_link_key`] of its link), changed since
/// the entry its key found was stored as an article of its own, and now
/// tells another story under that link
/// ([`near_rules::link_tells_the_story`]): a section or landing page every
/// story of a source gives, a newsletter's next edition (`dated-apart`).
/// The key names no story then, and the copy is no edit of that article,
/// as a copy of another source with that link is not folded by it
/// ([`link_names_another_story`]); a real edit tells the story and stays
/// an update, and so does a page's text read at its own URL
/// ([`Article::page_text`]: a sitemap's page whose story developed).
pub fn link_key_names_another_story(
    article: &Article,
    fingerprints: &Fingerprints,
    known: &Known,
    near: Option<&NearConfig>,
) -> bool {
    let keyed_by_link = article.upstream_id.is_none()
        && !article.page_text
        && article.link.as_deref().is_some_and(|link| {
            article.upstream_key.as_deref() == Some(fingerprint::entry_link_key(link).as_str())
        });
    let config = near.copied().unwrap_or_default();
    keyed_by_link
        && known.entry.as_ref().is_some_and(|entry| {
            !entry.unchanged(fingerprints) && fingerprints.entry_ids.contains(&entry.id)
        })
        && known.stored_prints.as_ref().is_some_and(|stored| {
            !near_rules::link_tells_the_story(&fingerprints.near, stored, &config)
        })
}

/// Decides what an incoming article is, from what the store knows under its
/// exact keys and the near-duplicate `candidates` it returned (judged only
/// when `near` is on and no exact test matched).
pub fn decide(
    fingerprints: &Fingerprints,
    known: &Known,
    candidates: &[Candidate],
    near: Option<&NearConfig>,
) -> Decision {
    if let Some(entry) = &known.entry {
        let id = entry.id.clone();
        let stored = known.stored_prints.as_ref();
        return if entry.unchanged(fingerprints)
            || stored.is_some_and(|stored| {
                known.stored_update_given && older_than_stored(fingerprints, stored)
            }) {
            Decision::Repeat {
                id,
                by: Exact::Entry,
            }
        } else if stored.is_some_and(|stored| {
            let same_link = gives_the_articles_link(fingerprints, known, &id);
            !entry_replaces(
                fingerprints,
                &entry.content_key,
                stored,
                &id,
                same_link,
                near,
            )
        }) {
            Decision::Repeat {
                id,
                by: Exact::EditedEntry,
            }
        } else if fingerprints.entry_ids.contains(&id) {
            Decision::Update { id }
        } else {
            let update = known
                .stored_prints
                .as_ref()
                .and_then(|stored| near_rules::link_update(&fingerprints.near, stored))
                .unwrap_or(Update::Newer);
            Decision::EditedCopy { id, update }
        };
    }
    if let Some(id) = known
        .by_content
        .as_ref()
        .filter(|_| !fingerprints.headline_only_entry())
    {
        return Decision::Repeat {
            id: id.clone(),
            by: Exact::Content,
        };
    }
    if let Some(id) = known.by_link.as_ref().filter(|_| {
        !link_names_another_story(fingerprints, known, near)
            && !link_names_another_post(fingerprints, known)
    }) {
        let config = near.copied().unwrap_or_default();
        let fuller = known.stored_prints.as_ref().and_then(|stored| {
            near_rules::same_link_update(&fingerprints.near, stored, &config)
                .map(|update| (stored, update))
        });
        return match fuller {
            Some((stored, update)) => Decision::Near {
                id: id.clone(),
                rule: Rule::SameLink,
                distance: simhash::hamming(fingerprints.near.simhash, stored.simhash),
                update: Some(update),
                evidence: None,
            },
            None => Decision::Repeat {
                id: id.clone(),
                by: Exact::Link,
            },
        };
    }
    let best = near.and_then(|config| {
        near_rules::best_match(
            &fingerprints.near,
            candidates.iter().map(|c| &c.prints),
            config,
        )
    });
    match best {
        Some((i, verdict)) => Decision::Near {
            id: candidates[i].id.clone(),
            rule: verdict.rule,
            distance: verdict.distance,
            update: verdict.update,
            evidence: verdict.evidence(),
        },
        None => Decision::New {
            id: fingerprints.new_id.clone(),
        },
    }
}

/// Whether the changed upstream entry `fingerprints` describes gives the
/// canonical link of its article `id` as stored: its link leads to the
/// article and is the article's own, not only the entry's own link, filed
/// under the story it was folded into as a copy.
fn gives_the_articles_link(fingerprints: &Fingerprints, known: &Known, id: &str) -> bool {
    known.by_link.as_deref() == Some(id)
        && known
            .stored_link
            .as_deref()
            .is_some_and(|stored| canonical_url(stored) == fingerprints.canonical_link)
}

/// Whether a changed upstream entry that [`decide`] keeps as a sighting of
/// the story it was folded into ([`Exact::EditedEntry`]) now tells another
/// story: it was folded in as a copy (the entry is not the story's own)
/// under a link of its own (the story's canonical link says it is the same
/// article, as `entry_replaces` takes it), and its text shares no
/// paragraph with the story's and is no copy of it by the near-duplicate
/// rules, as when its feed reuses the entry's id and
/// link for another story (a "top story" slot, a cloned post rewritten).
/// The entry's key then names no story, as a link key that finds another
/// story names none ([`link_key_names_another_story`]): the caller knows
/// the entry by its content, so its story is stored as one of its own (or
/// folded into the stored copy of it), and the story it was folded into
/// stays as it was.
pub fn entry_tells_another_story(
    fingerprints: &Fingerprints,
    known: &Known,
    near: Option<&NearConfig>,
) -> bool {
    let (Some(entry), Some(stored)) = (&known.entry, &known.stored_prints) else {
        return false;
    };
    if fingerprints.entry_ids.contains(&entry.id)
        || gives_the_articles_link(fingerprints, known, &entry.id)
        || !matches!(
            decide(fingerprints, known, &[], near),
            Decision::Repeat {
                by: Exact::EditedEntry,
                ..
            }
        )
    {
        return false;
    }
    let verdict = near_rules::compare(
        &fingerprints.near,
        stored,
        &near.copied().unwrap_or_default(),
    );
    !verdict.is_same() && verdict.overlap.found == 0
}

/// Whether a changed upstream entry (`copy`; `last_key` its content key
/// when last seen) replaces the `stored` text of its article `id`:
///
/// - stored as an article of its own (`id` is the entry's): always when
///   that text is the entry's own and the entry gives its own text, the
///   publisher's edit; when another copy's fuller text replaced it (a page
///   filling a feed's teaser), or the entry's text is the page it links to
///   fetched again (which may now serve a paywall's teaser), only if it
///   extends that text or is about as long, so an edited or paywalled
///   teaser is a sighting; and never when that page gives the stored text
///   again (back from behind a paywall read in between), nor when the
///   entry gives the very text another copy's edit brought (the
///   publisher's section feed showed the edit first): nothing changed,
///   the entry is only known as it is now;
/// - folded into another story as a copy: only as a copy replaces a
///   story's text, even when the copy's text became the story's (a later
///   version, the same text): if it extends it, or it is about as long and
///   still a copy of that story by the near-duplicate rules (`near`) that
///   is a later version of it as a copy is, its edit dated by its arrival
///   ([`near_rules::edit_is_later_version`]: a partner's retitled, locally
///   introduced or cut copy edited upstream is a sighting), or, no longer
///   one by those rules, still gives the story's canonical link
///   (`same_link`: the link says it is the same article); so a copy cut
///   upstream, or an entry its feed reuses for another story, leaves the
///   story whole; never when it
///   carries a republisher's note ([`NearPrints::republished`]), nor when
///   it gives the stored text's words again under its headline
///   ([`near_rules::same_words`], the headlines equal without a site's
///   name: another feed of the publisher showing the edit its first feed
///   brought, or a copy cut and then whole again), which is no later
///   version of it; a headline corrected over the same words is one.
fn entry_replaces(
    copy: &Fingerprints,
    last_key: &Key,
    stored: &NearPrints,
    id: &str,
    same_link: bool,
    near: Option<&NearConfig>,
) -> bool {
    let new = &copy.near;
    if copy.page_text && new.content_key == stored.content_key {
        return false;
    }
    if near_rules::link_update(new, stored).is_some() {
        return true;
    }
    let about_as_long = u64::from(new.words) * 10 >= u64::from(stored.words) * 9;
    if copy.entry_ids.iter().any(|own| own == id) {
        let own_text = stored.content_key == *last_key;
        if !own_text && new.content_key == stored.content_key {
            return false;
        }
        return (own_text && !copy.page_text) || about_as_long;
    }
    if !about_as_long
        || new.republished()
        || (near_rules::same_words(new, stored) && new.headline == stored.headline)
    {
        return false;
    }
    let Some(config) = near else {
        return true;
    };
    match near_rules::best_match(new, [stored], config) {
        Some((_, verdict)) => near_rules::edit_is_later_version(new, stored, &verdict),
        // No longer the story by the rules, but by its link.
        None => same_link,
    }
}

/// Whether an upstream entry whose text stands for its page
/// ([`Fingerprints::page_text`]), edited without replacing the text of the
/// stored article `id` (prints `stored`), gives that article its edited
/// headline, summary and categories: its own article always; a story it
/// was folded into (another source's text of the page) when the edit is
/// that story's next version, as an edited copy's is, under the story's
/// headline or that headline with words added or a word's spelling
/// corrected ([`headline::retitled_by_additions_or_corrections`]); under a
/// headline of its own (a partner's retitled teaser) it is a sighting.
pub fn entry_edits_land(copy: &Fingerprints, id: &str, stored: &NearPrints) -> bool {
    let new = &copy.near.headline;
    copy.entry_ids.iter().any(|own| own == id)
        || *new == stored.headline
        || headline::retitled_by_additions_or_corrections(new, &stored.headline)
}

/// Whether a changed entry says it was updated before the stored text
/// was: a late retry of an earlier version (a push sent again, a mirror
/// behind), which must not put the superseded text back under the later
/// date. An entry that gives no update date is as new as its arrival; the
/// stored date counts only when a source gave it (`decide` asks
/// [`Known::stored_update_given`]): a date that is only when feedfold
/// read an undated copy says nothing of when the source changed it (nor
/// can an arrival be weighed against it: workers' clocks need not agree).
///
/// The copy's date is taken as the store takes a source's: an update date
/// before the publication date (a scheduled post, saved before it went out)
/// counts as the publication date.
///
/// A page fetched for a full-text entry ([`Fingerprints::page_text`]) that
/// the page dates as published before the stored text was, when the stored
/// text records no revision (its update date is its publication date), is
/// dated by another clock than the stored text: the page's own dates (a
/// content system's `modified_time`, set before the feed's `pubDate`)
/// beside the dates of the entry whose teaser stood for it. They tell
/// nothing of which text is later, and the page completes its entry.
fn older_than_stored(copy: &Fingerprints, stored: &NearPrints) -> bool {
    let near = &copy.near;
    if copy.page_text && dated_by_another_clock(near, stored) {
        return false;
    }
    let copy_date = update_as_stored(near.given_published(), near.updated);
    matches!((copy_date, stored.updated), (Some(copy), Some(stored)) if copy < stored)
}

/// Whether `copy` gives a publication date before that of the `stored`
/// text, which records no revision: the two disagree on when the story
/// went out, so neither date is a version of the other's.
fn dated_by_another_clock(copy: &NearPrints, stored: &NearPrints) -> bool {
    stored.revised().is_none()
        && matches!(
            (copy.given_published(), stored.published),
            (Some(copy), Some(stored)) if copy < stored
        )
}

/// The headline the stored story takes when `decision` has the copy
/// `title` replace its text, where that is not the copy's own:
/// [`headline::replacing_headline`] against the prints it was judged
/// against (the candidate's, or the stored text's for `same-link`, for an
/// edited copy and for an upstream entry's own edit: an entry stored
/// under its headline with a site name, given that headline without it by
/// a copy folded in since, keeps it so when it is edited).
pub fn replacing_headline(
    title: &str,
    decision: &Decision,
    known: &Known,
    candidates: &[Candidate],
) -> Option<String> {
    let stored = match decision {
        Decision::Near {
            rule: Rule::SameLink,
            update: Some(_),
            ..
        }
        | Decision::Update { .. }
        | Decision::EditedCopy { .. } => known.stored_prints.as_ref(),
        Decision::Near {
            id,
            update: Some(_),
            ..
        } => candidates.iter().find(|c| &c.id == id).map(|c| &c.prints),
        _ => None,
    }?;
    headline::replacing_headline(title, &stored.title)
}

/// The update date the store takes from a source that gives `published`
/// and `updated`: an update date before the publication date (a scheduled
/// post, saved before it went out) counts as the publication date. `None`
/// when the source gives no update date.
pub fn update_as_stored(
    published: Option<DateTime<Utc>>,
    updated: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    updated.map(|updated| published.map_or(updated, |p| updated.max(p)))
}

/// The dates the store records for an incoming copy, whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    /// A new article's `published`: the source's date, else its update
    /// date, else `now` (an undated article is dated when first seen).
    pub published: DateTime<Utc>,
    /// A new article's `updated`: the source's, never before `published`.
    pub updated: DateTime<Utc>,
    /// When the copy replaces stored content: the source's update date,
    /// else `now`; the stored `updated` moves to it when it is later, else
    /// to the moment the copy was read, never backwards (see
    /// [`crate::store::updated_on_replace`]).
    pub replaced: DateTime<Utc>,
    /// Whether `replaced` is a date the source gave, not `now`.
    pub replaced_by_source: bool,
}

impl Dates {
    pub fn of(article: &Article, now: DateTime<Utc>) -> Dates {
        let now = now.trunc_subsecs(0);
        let given = TextDates::given(article.published, article.updated);
        let updated = article.updated.map(|u| u.trunc_subsecs(0));
        Dates {
            published: given.map_or(now, |d| d.published),
            updated: given.map_or(now, |d| d.updated),
            replaced: updated.unwrap_or(now),
            replaced_by_source: updated.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use std::collections::HashSet;

    use super::*;
    use crate::model::Block;
    use crate::normalize::hex;

    fn article(title: &str, paragraphs: &[&str]) -> Article {
        Article {
            title: title.into(),
            body: paragraphs.iter().map(|p| Block::paragraph(*p)).collect(),
            ..Default::default()
        }
    }

    const LEAD: &str = "The board of the Port of Calder voted on Monday to approve a \
        long-delayed expansion of the northern harbour, ending a dispute with fishing \
        cooperatives that had stalled the project for more than a year.";
    const MORE: &str = "Construction is expected to begin in the spring and to take three \
        years, with the first berth open to ships before the end of the second summer.";

    #[test]
    fn a_decision_keeping_the_text_replaces_nothing() {
        let near = |rule, update| Decision::Near {
            id: "a".into(),
            rule,
            distance: 3,
            update,
            evidence: None,
        };
        let kept = [
            Decision::Update { id: "a".into() }.keeping_text(),
            near(Rule::SameLink, Some(Update::Longer)).keeping_text(),
            near(Rule::SameHeadline, Some(Update::Longer)).keeping_text(),
        ];
        assert!(
            kept.iter().all(|d| !d.updates() && d.id() == "a"),
            "{kept:?}"
        );
        assert_eq!(
            kept[0],
            Decision::Repeat {
                id: "a".into(),
                by: Exact::Entry
            }
        );
        assert_eq!(
            kept[1],
            Decision::Repeat {
                id: "a".into(),
                by: Exact::Link
            }
        );
        assert_eq!(kept[2], near(Rule::SameHeadline, None));
        let new = Decision::New { id: "b".into() };
        assert_eq!(new.clone().keeping_text(), new);
    }

    #[test]
    fn body_key_and_simhash_ignore_dateline_case_and_quotes() {
        let a = NearPrints::of(&article("Port approves expansion", &[LEAD, MORE]));
        let dated = format!("CALDER (Reuters) - {}", LEAD.to_uppercase());
        let b = NearPrints::of(&article("Port approves expansion", &[&dated, MORE]));
        assert_ne!(a.content_key, b.content_key);
        assert_eq!((a.body_key, a.simhash), (b.body_key, b.simhash));
        assert_eq!(a.paragraphs, b.paragraphs);
        assert_eq!(a.words, 36 + 27);
        assert_eq!(a.paragraphs[0].shingles, 34);
        assert_eq!(a.shingles, 34 + 25);
    }

    #[test]
    fn index_keys_are_body_bands_first_long_paragraphs_the_headline_and_the_opening() {
        let short = "Traffic is heavy.";
        let a = NearPrints::of(&article("Port approves expansion", &[LEAD, short, MORE]));
        let keys = a.index_keys(3);
        let families =
            |keys: &[IndexKey], family| keys.iter().filter(|k| k.family == family).count();
        assert_eq!(families(&keys, KeyFamily::Body), 4);
        assert_eq!(
            families(&keys, KeyFamily::Paragraph),
            2,
            "the short one is left out"
        );
        assert_eq!(families(&keys, KeyFamily::Headline), 1);
        assert_eq!(families(&keys, KeyFamily::Opening), 1);
        assert_eq!(a.index_keys(1).len(), 2 + 2 + 1 + 1);
        assert_eq!(a.index_keys(6).len(), 28 + 2 + 1 + 1, "pairs of 8 blocks");
        // The opening is filed, never looked up by a copy's own keys.
        assert_eq!(a.lookup_keys(3).len(), keys.len() - 1);
        assert!(
            a.lookup_keys(3)
                .iter()
                .all(|k| k.family != KeyFamily::Opening)
        );
        // A paragraph appended: every old paragraph key is still there.
        let longer = NearPrints::of(&article(
            "Port approves expansion",
            &[LEAD, short, MORE, LEAD],
        ));
        let old: HashSet<_> = keys
            .iter()
            .filter(|k| k.family == KeyFamily::Paragraph)
            .collect();
        assert!(old.iter().all(|k| longer.index_keys(3).contains(k)));
        // Only the first long paragraphs are keys.
        let many: Vec<String> = (0..8).map(|i| format!("{MORE} Paragraph {i}.")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let long = NearPrints::of(&article("Port approves expansion", &many));
        assert_eq!(
            families(&long.index_keys(3), KeyFamily::Paragraph),
            INDEXED_PARAGRAPHS
        );
        // No headline, no headline key.
        assert_eq!(
            NearPrints::of(&article("", &[LEAD])).index_keys(0).len(),
            1 + 1 + 1
        );
        // A lead shorter than the opening's words, no opening key.
        let brief = NearPrints::of(&article(
            "Port",
            &["The board voted on Monday to approve it."],
        ));
        assert_eq!(brief.opening_key(), None);
        // No body, no body keys: headline-only entries would all share
        // the bands of an empty SimHash. The headline reaches them.
        let headline_only = NearPrints::of(&article("Port approves expansion", &[]));
        let keys = headline_only.index_keys(3);
        assert_eq!(families(&keys, KeyFamily::Body), 0);
        assert_eq!(keys.len(), 1);
        assert_eq!(families(&keys, KeyFamily::Headline), 1);
        let other = NearPrints::of(&article("Ferry sails again", &[]));
        assert!(!other.reaches(&headline_only, 3));
        assert!(headline_only.reaches(&headline_only, 3));
    }

    #[test]
    fn body_keys_reach_bodies_within_k_bits_and_nothing_else() {
        let prints = |simhash| NearPrints {
            simhash,
            shingles: 40,
            headline: String::new(),
            paragraphs: Vec::new(),
            ..NearPrints::of(&article("", &[]))
        };
        let stored = prints(0x1234_5678_9abc_def0);
        // Three bits flipped, one in each of three blocks: one block left.
        let near = prints(0x1234_5678_9abc_def0 ^ (1 << 63 | 1 << 40 | 1 << 20));
        assert!(near.reaches(&stored, 3));
        // Four bits in four blocks: no block left whole.
        let far = prints(0x1234_5678_9abc_def0 ^ (1 << 63 | 1 << 40 | 1 << 20 | 1));
        assert!(!far.reaches(&stored, 3));
        // The same first block, but 20 bits apart in the rest: a chance
        // match of the band, dropped.
        let chance = prints(0x1234_5678_9abc_def0 ^ 0x0000_ffff_f000_0000);
        assert!(!chance.reaches(&stored, 3));
    }

    #[test]
    fn support_counts_headline_terms_found_in_the_body() {
        let f = NearPrints::of(&article("Calder harbour expansion gets go-ahead", &[LEAD]));
        // calde, harbo, expan in the body; gets, go, ahead not.
        assert_eq!((f.headline_terms, f.headline_terms_in_body), (6, 3));
        assert_eq!(f.support(), 0.5);
        let none = NearPrints::of(&article("", &[LEAD]));
        assert_eq!(none.support(), 0.0);
    }

    #[test]
    fn stored_articles_print_like_the_article_they_came_from() {
        let a = article("Port approves expansion", &[LEAD, MORE]);
        let when = Utc.with_ymd_and_hms(2026, 10, 5, 9, 15, 0).unwrap();
        let stored = StoredArticle {
            id: "x".into(),
            title: a.title.clone(),
            published: when,
            updated: when,
            body: a.body.clone(),
            ..Default::default()
        };
        let from_store = NearPrints::of_stored(&stored);
        let fresh = NearPrints::of(&a);
        assert_eq!(from_store.content_key, fresh.content_key);
        assert_eq!(from_store.simhash, fresh.simhash);
        assert_eq!(from_store.date(), Some(when));
        assert_eq!(fresh.date(), None);
        assert_eq!(from_store.index_keys(3), fresh.index_keys(3));
    }

    #[test]
    fn fingerprints_round_trip_through_json() {
        let f = NearPrints::of(&article("Port approves expansion", &[LEAD, MORE]));
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.contains(&format!("\"content_key\":\"{}\"", hex(&f.content_key))));
        assert_eq!(
            serde_json::from_str::<NearPrints>(&json).unwrap(),
            f.as_stored()
        );
        let bad = json.replace(&hex(&f.content_key), "abc");
        assert!(serde_json::from_str::<NearPrints>(&bad).is_err());
    }

    #[test]
    fn retitled_prints_are_the_texts_under_the_new_headline() {
        let body = vec![
            Block::paragraph(
                "The Old Bridge over the river was closed on Friday after inspectors found cracks.",
            ),
            Block::paragraph("Drivers face a detour of about forty minutes via the ring road."),
        ];
        let article = |title: &str| Article {
            title: title.into(),
            body: body.clone(),
            ..Article::default()
        };
        let stored = NearPrints::of(&article("Old Bridge Closed"));
        let corrected = "Old Bridge Closed for Two Weeks | Calder Times";
        let retitled = stored.clone().retitled(corrected, &body);
        let whole = NearPrints::of(&article(corrected));
        assert_eq!(retitled.title, whole.title);
        assert_eq!(retitled.headline, whole.headline);
        assert_eq!(retitled.headline_terms, whole.headline_terms);
        assert_eq!(
            retitled.headline_terms_in_body,
            whole.headline_terms_in_body
        );
        assert_eq!(
            NearPrints {
                title: stored.title.clone(),
                headline: stored.headline.clone(),
                headline_terms: stored.headline_terms,
                headline_terms_in_body: stored.headline_terms_in_body,
                ..retitled
            },
            stored,
            "the text's prints stay"
        );
    }

    fn fingerprints() -> Fingerprints {
        let mut f = Fingerprints::of(&article("T", &[LEAD]), "s");
        f.near.content_key = [1; 32];
        f.new_id = "new".into();
        // An entry stored as article "a", the one `known_entry` finds.
        f.entry_ids = vec!["a".into()];
        f
    }

    #[test]
    fn ids_come_from_the_upstream_key_else_the_content() {
        let mut a = article("Port approves expansion", &[LEAD]);
        let by_content = Fingerprints::of(&a, "wire");
        assert_eq!(
            by_content.new_id,
            fingerprint::article_id(by_content.content_key())
        );
        a.upstream_key = Some("guid-1".into());
        a.link = Some("https://News.example/story?utm_source=x".into());
        let entry = Fingerprints::of(&a, "wire");
        assert_eq!(entry.new_id, fingerprint::entry_id("wire", "guid-1"));
        assert_eq!(
            entry.canonical_link.as_deref(),
            Some("https://news.example/story")
        );
        assert_eq!(entry.near, by_content.near);
        // Completed from a page that gives itself another link, it is
        // matched on that one, and known by the same id.
        a.page_link = Some("https://Herald.example/news/story#top".into());
        let completed = Fingerprints::of(&a, "wire");
        assert_eq!(
            completed.canonical_link.as_deref(),
            Some("https://herald.example/news/story")
        );
        assert_eq!(completed.new_id, entry.new_id);
        a.shared_link = true;
        assert_eq!(Fingerprints::of(&a, "wire").canonical_link, None);
    }

    /// The entry `guid-1`, folded into article `a`, as last seen.
    fn known_entry(content_key: Key, version: Option<Key>) -> KnownEntry {
        KnownEntry {
            id: "a".into(),
            key: "guid-1".into(),
            content_key,
            version,
        }
    }

    #[test]
    fn an_entry_last_seen_under_the_former_version_rule_is_unchanged() {
        let mut a = article("Port approves expansion", &[LEAD]);
        a.upstream_key = Some("guid-1".into());
        a.content_html =
            Some(r#"<p><a title="Port" href="https://news.example/port">Port</a></p>"#.into());
        let seen = Fingerprints::of(&a, "wire");
        let former = seen.former_versions[0];
        let known = |version| known_entry(seen.near.content_key, Some(version));
        assert!(known(former).unchanged(&seen));
        assert!(known(seen.version.unwrap()).unchanged(&seen));
        a.content_html = a
            .content_html
            .map(|html| html.replace(">Port<", ">Harbour<"));
        let edited = Fingerprints::of(&a, "wire");
        assert!(!known(former).unchanged(&edited));
    }

    #[test]
    fn an_entry_is_looked_up_by_its_id_and_link_then_its_id() {
        let mut a = article("Port approves expansion", &[LEAD]);
        assert!(Fingerprints::of(&a, "wire").entry_probes.is_empty());
        a.upstream_id = Some("guid-1".into());
        a.upstream_key = Some("guid-1".into());
        a.link = Some("https://news.example/port".into());
        let probe = |key: &str, needs_link| EntryProbe {
            key: key.into(),
            needs_link,
        };
        let pair = "guid-1 https://news.example/port";
        assert_eq!(
            Fingerprints::of(&a, "wire").entry_probes,
            [probe(pair, false), probe("guid-1", false)]
        );
        // While its document gives the id to another entry too, the id
        // alone finds only the article holding its link.
        a.upstream_key = Some(pair.into());
        let shared = Fingerprints::of(&a, "wire");
        assert_eq!(
            shared.entry_probes,
            [probe(pair, false), probe("guid-1", true)]
        );
        assert_eq!(shared.new_id, fingerprint::entry_id("wire", pair));
        a.upstream_id = None;
        a.upstream_key = a.link.clone();
        assert_eq!(
            Fingerprints::of(&a, "wire").entry_probes,
            [probe("https://news.example/port", false)]
        ); // A link with tracking parameters is keyed without them (its
        // fragment kept), and looked up as written too, as a store kept it
        // before.
        let written = "https://news.example/port?utm_source=rss#live-2";
        a.link = Some(written.into());
        a.upstream_key = Some(fingerprint::entry_link_key(written));
        assert_eq!(
            Fingerprints::of(&a, "wire").entry_probes,
            [
                probe("https://news.example/port#live-2", false),
                probe(written, false)
            ]
        );
        a.upstream_id = Some("guid-1".into());
        a.upstream_key = Some(fingerprint::paired_key("guid-1", written));
        assert_eq!(
            Fingerprints::of(&a, "wire").entry_probes,
            [
                probe("guid-1 https://news.example/port#live-2", false),
                probe(&format!("guid-1 {written}"), false),
                probe("guid-1", true)
            ]
        );
    }

    #[test]
    fn an_entry_edited_beyond_its_text_is_updated_and_unedited_a_repeat() {
        let mut a = article("Port approves expansion", &[LEAD]);
        a.upstream_id = Some("guid-1".into());
        a.upstream_key = Some("guid-1".into());
        a.authors = vec!["Staff".into()];
        let seen = Fingerprints::of(&a, "wire");
        // Stored as an article of its own.
        let last = KnownEntry {
            id: seen.new_id.clone(),
            ..known_entry(seen.near.content_key, seen.version)
        };
        let repeat = Decision::Repeat {
            id: seen.new_id.clone(),
            by: Exact::Entry,
        };
        let known = |entry: KnownEntry, stored: Option<NearPrints>| Known {
            entry: Some(entry),
            stored_prints: stored,
            ..Known::default()
        };
        assert_eq!(decide(&seen, &known(last.clone(), None), &[], None), repeat);
        let mut edits: Vec<Article> = Vec::new();
        for edit in [
            |a: &mut Article| a.authors = vec!["Ruth Okafor".into()],
            |a: &mut Article| a.link = Some("https://news.example/port".into()),
            |a: &mut Article| a.content_html = Some("<p>Port <a href=\"x\">plan</a></p>".into()),
            |a: &mut Article| a.captions = vec![crate::model::Caption::credited("Cranes", "AP")],
            |a: &mut Article| a.categories = vec!["Harbour".into()],
            |a: &mut Article| a.summary = Some("The port grows.".into()),
            |a: &mut Article| {
                a.enclosures = vec![crate::model::Enclosure {
                    url: "https://news.example/port.mp3".into(),
                    ..Default::default()
                }]
            },
        ] {
            let mut edited = a.clone();
            edit(&mut edited);
            edits.push(edited);
        }
        let stored = NearPrints::of(&a);
        for edited in &edits {
            let copy = Fingerprints::of(edited, "wire");
            // Media files are in the content key; the rest is not.
            if edited.enclosures.is_empty() {
                assert_eq!(copy.near.content_key, seen.near.content_key);
            }
            assert_eq!(
                decide(&copy, &known(last.clone(), Some(stored.clone())), &[], None),
                Decision::Update {
                    id: seen.new_id.clone()
                },
                "{edited:?}"
            );
        }
        // A new date alone is no edit.
        let mut redated = a.clone();
        redated.updated = Some(Utc::now());
        assert_eq!(
            decide(
                &Fingerprints::of(&redated, "wire"),
                &known(last.clone(), None),
                &[],
                None
            ),
            repeat
        );
        // An entry last seen before versions were kept is told by its text.
        let before_versions = KnownEntry {
            version: None,
            ..last.clone()
        };
        let relinked = Fingerprints::of(&edits[1], "wire");
        assert_eq!(
            decide(&relinked, &known(before_versions.clone(), None), &[], None),
            repeat
        );
        // Its content key then held no media files: the entry giving the
        // same text with its media file is as it was.
        let with_media = Fingerprints::of(edits.last().unwrap(), "wire");
        assert_ne!(with_media.near.content_key, seen.near.content_key);
        assert_eq!(
            decide(&with_media, &known(before_versions, None), &[], None),
            repeat
        );
    }

    #[test]
    fn known_entry_with_same_content_is_a_repeat_else_an_update() {
        let same = Known {
            entry: Some(known_entry([1; 32], None)),
            ..Known::default()
        };
        assert!(same.exact_match());
        let repeat = decide(&fingerprints(), &same, &[], None);
        assert_eq!(
            repeat,
            Decision::Repeat {
                id: "a".into(),
                by: Exact::Entry
            }
        );
        assert_eq!(repeat.fold_reason(), None, "an entry is not a copy");
        let changed = Known {
            entry: Some(known_entry([2; 32], None)),
            by_content: Some("b".into()),
            ..Known::default()
        };
        let decision = decide(&fingerprints(), &changed, &[], None);
        assert_eq!(decision, Decision::Update { id: "a".into() });
        assert!(decision.updates());
        assert_eq!(decision.fold_reason(), None);
    }

    #[test]
    fn an_edited_copy_in_another_story_replaces_its_text_as_a_copy_does() {
        let mut copy = article("Port approves expansion - Calder Wire", &[LEAD]);
        copy.upstream_id = Some("guid-1".into());
        copy.upstream_key = Some("guid-1".into());
        let first = Fingerprints::of(&copy, "wire");
        // The entry was folded into a dump's story, whose text stays.
        let story = NearPrints::of(&article("Port approves expansion", &[LEAD]));
        let known = |id: &str| Known {
            entry: Some(KnownEntry {
                id: id.into(),
                ..known_entry(first.near.content_key, first.version)
            }),
            stored_prints: Some(story.clone()),
            ..Known::default()
        };
        let mut appended = copy.clone();
        appended.body.push(crate::model::Block::paragraph(MORE));
        let edited = Fingerprints::of(&appended, "wire");
        let decision = decide(&edited, &known("story"), &[], None);
        assert_eq!(
            decision,
            Decision::EditedCopy {
                id: "story".into(),
                update: Update::Longer
            }
        );
        assert!(decision.updates());
        assert_eq!(decision.fold_reason(), None, "folded when first seen");
        assert_eq!(
            decision.clone().keeping_text(),
            Decision::Repeat {
                id: "story".into(),
                by: Exact::Entry
            }
        );
        // The copy's headline with its site name left off is the story's.
        assert_eq!(
            replacing_headline(&appended.title, &decision, &known("story"), &[]).as_deref(),
            Some("Port approves expansion")
        );
        // A word corrected: a later version.
        let mut corrected = copy.clone();
        corrected.body = vec![crate::model::Block::paragraph(
            LEAD.replace("Monday", "Tuesday"),
        )];
        assert_eq!(
            decide(
                &Fingerprints::of(&corrected, "wire"),
                &known("story"),
                &[],
                None
            ),
            Decision::EditedCopy {
                id: "story".into(),
                update: Update::Newer
            }
        );
        // Stored as an article of its own, under any key it had, the entry
        // updates it; the headline a copy gave it without the site name
        // stays so.
        for own in &edited.entry_ids {
            let decision = decide(&edited, &known(own), &[], None);
            assert_eq!(decision, Decision::Update { id: own.clone() });
            assert_eq!(
                replacing_headline(&appended.title, &decision, &known(own), &[]).as_deref(),
                Some("Port approves expansion")
            );
        }
        assert!(edited.entry_ids.contains(&edited.new_id));
    }

    #[test]
    fn a_copy_whose_text_became_the_storys_replaces_it_only_as_a_copy_does() {
        let third = "The harbour board said the first berths would open to ships in \
            the autumn of next year, with the rest following over three years.";
        let mut copy = article("Port approves expansion", &[LEAD, MORE, third]);
        copy.upstream_id = Some("herald-1".into());
        copy.upstream_key = Some("herald-1".into());
        let seen = Fingerprints::of(&copy, "herald");
        // Folded into the wire's story "wire-story", whose text is now the
        // same as the entry's (the copy's was later, or the same).
        let story = NearPrints::of(&copy);
        let known = Known {
            entry: Some(KnownEntry {
                id: "wire-story".into(),
                ..known_entry(seen.near.content_key, seen.version)
            }),
            stored_prints: Some(story),
            ..Known::default()
        };
        let near = NearConfig::default();
        let edited = |body: &[&str]| {
            let mut edited = copy.clone();
            edited.body = body.iter().map(|p| Block::paragraph(*p)).collect();
            decide(
                &Fingerprints::of(&edited, "herald"),
                &known,
                &[],
                Some(&near),
            )
        };
        let sighting = Decision::Repeat {
            id: "wire-story".into(),
            by: Exact::EditedEntry,
        };
        // Cut upstream: a sighting; the story stays whole.
        assert_eq!(edited(&[LEAD]), sighting);
        // Reused by its feed for another story: not this story's text.
        assert_eq!(
            edited(&[
                "A teenager was rescued from the river below the old mill on Sunday \
                 evening after falling from the towpath, the coastguard said.",
                "Two passers-by held on to her until a lifeboat crew arrived, and she \
                 was taken to hospital as a precaution but was not badly hurt.",
                "The coastguard urged walkers to keep away from the bank after days of \
                 heavy rain, which had left the towpath slippery and in places flooded.",
            ]),
            sighting
        );
        // A word corrected: a later version of the story.
        let corrected = third.replace("autumn", "spring");
        assert!(matches!(
            edited(&[LEAD, MORE, &corrected]),
            Decision::EditedCopy { .. }
        ));
    }

    /// The wire's story the partners' copies below are folded into.
    const QUAY_STORY: [&str; 5] = [
        LEAD,
        "Under the plan two deep-water berths and a short rail spur will be built on \
         reclaimed land, and a sheltered quay will be kept for the town's fishing boats.",
        "\"It took us a year to get here, but every side can live with what we signed,\" \
         the board's chair told reporters on the steps of the harbour office after the vote.",
        MORE,
        "Two conservation charities said they would read the final plan closely before \
         deciding whether to take their objections to the planning inspectorate.",
    ];

    const SALTMARSH_INTRO: &str = "Fishing families in Saltmarsh, who opposed the first \
        plans for the harbour, said on Tuesday they would wait to see their sheltered quay \
        built before they believed in it.";

    #[test]
    fn an_edited_partners_copy_under_its_own_headline_stays_a_sighting() {
        let story = NearPrints::of(&article(
            "Port of Calder approves harbour expansion",
            &QUAY_STORY,
        ));
        let near = NearConfig::default();
        let partner = |title: &str, body: &[&str]| {
            let mut copy = article(title, body);
            copy.upstream_id = Some("partner-1".into());
            copy.upstream_key = Some("partner-1".into());
            copy.published = Some(Utc.with_ymd_and_hms(2026, 11, 3, 11, 0, 0).unwrap());
            copy
        };
        let local = "Saltmarsh fishing families wary of Calder harbour deal";
        let introduced = [&[SALTMARSH_INTRO][..], &QUAY_STORY[..4]].concat();
        let retitled = "Calder votes for bigger harbour after dispute";
        let typo_fixed = SALTMARSH_INTRO.replace("opposed", "fought");
        let correction = "Correction: An earlier version of this story misnamed the board's chair.";
        let respelled = LEAD.replace("long-delayed", "long delayed");
        // Each: the partner's headline, its first text, its edited text,
        // and the hour of the edit's update date, if it gives one.
        type Case<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>, Option<u32>);
        let cases: [Case; 3] = [
            (
                local,
                introduced.clone(),
                [&[typo_fixed.as_str()][..], &QUAY_STORY[..4]].concat(),
                None,
            ),
            (
                local,
                introduced.clone(),
                [&introduced[..], &[correction][..]].concat(),
                Some(15),
            ),
            (
                retitled,
                QUAY_STORY.to_vec(),
                [&[respelled.as_str()][..], &QUAY_STORY[1..]].concat(),
                None,
            ),
        ];
        for (title, first, edited, updated) in cases {
            let seen = Fingerprints::of(&partner(title, &first), "partner");
            // Folded into the wire's story as a sighting: the story's text
            // stays the wire's.
            let folded = decide(
                &seen,
                &Known::default(),
                &[Candidate {
                    id: "wire-story".into(),
                    prints: story.clone(),
                }],
                Some(&near),
            );
            assert!(
                matches!(&folded, Decision::Near { id, update: None, .. } if id == "wire-story"),
                "{title}: {folded:?}"
            );
            let known = Known {
                entry: Some(KnownEntry {
                    id: "wire-story".into(),
                    ..known_entry(seen.near.content_key, seen.version)
                }),
                stored_prints: Some(story.clone()),
                ..Known::default()
            };
            let mut edit = partner(title, &edited);
            edit.updated =
                updated.map(|hour| Utc.with_ymd_and_hms(2026, 11, 3, hour, 0, 0).unwrap());
            assert_eq!(
                decide(
                    &Fingerprints::of(&edit, "partner"),
                    &known,
                    &[],
                    Some(&near)
                ),
                Decision::Repeat {
                    id: "wire-story".into(),
                    by: Exact::EditedEntry
                },
                "{title}"
            );
        }
    }

    #[test]
    fn an_edited_copy_that_gives_the_storys_words_again_is_a_sighting() {
        let third = "The harbour board said the first berths would open to ships in \
            the autumn of next year, with the rest following over three years.";
        // The story's text now: the publisher's first feed brought its edit.
        let story = NearPrints::of(&article("Port approves expansion", &[LEAD, MORE, third]));
        // Its second feed's entry, folded into it, was last seen before the
        // edit (or cut).
        let mut copy = article("Port approves expansion", &[LEAD, MORE]);
        copy.upstream_id = Some("json-1".into());
        copy.upstream_key = Some("json-1".into());
        let seen = Fingerprints::of(&copy, "json");
        let known = Known {
            entry: Some(KnownEntry {
                id: "story".into(),
                ..known_entry(seen.near.content_key, seen.version)
            }),
            stored_prints: Some(story),
            ..Known::default()
        };
        let near = NearConfig::default();
        let edited = |title: &str, body: &[&str]| {
            let mut edited = copy.clone();
            edited.title = title.into();
            edited.body = body.iter().map(|p| Block::paragraph(*p)).collect();
            decide(&Fingerprints::of(&edited, "json"), &known, &[], Some(&near))
        };
        let sighting = Decision::Repeat {
            id: "story".into(),
            by: Exact::EditedEntry,
        };
        // The story's text again, under its headline or the site's, or
        // paragraphed anew: no later version of it.
        assert_eq!(
            edited("Port approves expansion", &[LEAD, MORE, third]),
            sighting
        );
        assert_eq!(
            edited(
                "Port approves expansion - Calder Wire",
                &[LEAD, MORE, third]
            ),
            sighting
        );
        let joined = format!("{LEAD} {MORE}");
        assert_eq!(
            edited("Port approves expansion", &[&joined, third]),
            sighting
        );
        // The headline corrected over the same words: a later version.
        assert_eq!(
            edited("Port approves harbour expansion", &[LEAD, MORE, third]),
            Decision::EditedCopy {
                id: "story".into(),
                update: Update::Newer
            }
        );
        // A word corrected: a later version, which replaces the text.
        let corrected = third.replace("autumn", "spring");
        assert_eq!(
            edited("Port approves expansion", &[LEAD, MORE, &corrected]),
            Decision::EditedCopy {
                id: "story".into(),
                update: Update::Newer
            }
        );
    }

    #[test]
    fn an_entry_giving_the_words_its_storys_copy_brought_is_a_sighting() {
        // The story as its publisher's main feed first gave it, headline
        // misspelt; its section feed's copy then brought the fix.
        let mut entry = article("Port approves expansoin", &[LEAD, MORE]);
        entry.upstream_id = Some("main-1".into());
        entry.upstream_key = Some("main-1".into());
        let seen = Fingerprints::of(&entry, "main");
        let own_id = seen.entry_ids[0].clone();
        let fixed = |title: &str| {
            let mut fixed = entry.clone();
            fixed.title = title.into();
            fixed
        };
        let known = Known {
            entry: Some(KnownEntry {
                id: own_id.clone(),
                ..known_entry(seen.near.content_key, seen.version)
            }),
            stored_prints: Some(NearPrints::of(&fixed("Port approves expansion"))),
            ..Known::default()
        };
        let near = NearConfig::default();
        let decided = |title: &str| {
            decide(
                &Fingerprints::of(&fixed(title), "main"),
                &known,
                &[],
                Some(&near),
            )
        };
        // The main feed now gives the very words the story has: no later
        // version of it.
        assert_eq!(
            decided("Port approves expansion"),
            Decision::Repeat {
                id: own_id.clone(),
                by: Exact::EditedEntry,
            }
        );
        // Words of its own: its edit, which replaces the text.
        assert_eq!(
            decided("Port approves the expansion"),
            Decision::Update { id: own_id }
        );
    }

    #[test]
    fn a_changed_entry_updated_before_the_stored_text_is_a_late_retry() {
        let at = |hour| Some(Utc.with_ymd_and_hms(2026, 12, 3, hour, 0, 0).unwrap());
        let mut corrected = article("Fire at timber yard under control", &[LEAD, MORE]);
        corrected.updated = at(10);
        let stored = NearPrints::of(&corrected);
        let mut known = Known {
            entry: Some(known_entry(stored.content_key, None)),
            stored_prints: Some(stored),
            stored_update_given: true,
            ..Known::default()
        };
        let mut copy = article("Fire at timber yard", &[LEAD]);
        copy.upstream_id = Some("guid-1".into());
        copy.upstream_key = Some("guid-1".into());
        let decide_on = |copy: &Article, known: &Known| {
            decide(&Fingerprints::of(copy, "push"), known, &[], None)
        };
        // Stored as an article of its own: the entry's edits are its.
        known.entry.as_mut().unwrap().id = Fingerprints::of(&copy, "push").new_id;
        copy.updated = at(8);
        assert!(matches!(decide_on(&copy, &known), Decision::Repeat { .. }));
        copy.updated = at(11);
        assert!(decide_on(&copy, &known).updates());
        copy.updated = None;
        assert!(
            decide_on(&copy, &known).updates(),
            "undated: as new as its arrival"
        );
        // A stored date that is only when an undated copy was read tells
        // nothing: an edit dated before it is an edit.
        known.stored_update_given = false;
        copy.updated = at(8);
        assert!(decide_on(&copy, &known).updates());
        // An entry saved before it went out (a scheduled post: updated at
        // 8, published at 10) is stored as updated at 10, its publication;
        // edited later with its update date left as it was, it is no
        // retry: its date is its publication, as the stored one's is.
        known.stored_update_given = true;
        copy.published = at(10);
        copy.updated = at(8);
        assert!(decide_on(&copy, &known).updates());
        copy.published = at(9);
        assert!(matches!(decide_on(&copy, &known), Decision::Repeat { .. }));
    }

    #[test]
    fn an_entry_with_no_text_is_not_folded_by_its_headline_alone() {
        let entry = |guid: &str| {
            let mut entry = article("Photo of the day", &[]);
            entry.upstream_id = Some(guid.into());
            entry.upstream_key = Some(guid.into());
            entry
        };
        let first = Fingerprints::of(&entry("p-1204"), "weather");
        let next = Fingerprints::of(&entry("p-1205"), "weather");
        assert_eq!(first.near.content_key, next.near.content_key);
        assert!(next.headline_only_entry());
        let known = Known {
            by_content: Some(first.new_id.clone()),
            ..Known::default()
        };
        // Its own entry, unless the near-duplicate rules tie it to the other.
        assert!(wants_candidates(
            &next,
            &known,
            Some(&NearConfig::default())
        ));
        assert_eq!(
            decide(&next, &known, &[], None),
            Decision::New {
                id: next.new_id.clone()
            }
        );
        // A dump's article is known by its content: the same one.
        let header = Fingerprints::of(&article("Photo of the day", &[]), "desk");
        assert!(!header.headline_only_entry());
        assert!(matches!(
            decide(&header, &known, &[], None),
            Decision::Repeat {
                by: Exact::Content,
                ..
            }
        ));
        // With words of its own, the same headline and text is the same story.
        let worded = Fingerprints::of(
            &Article {
                body: vec![Block::paragraph(LEAD)],
                ..entry("p-1206")
            },
            "weather",
        );
        assert!(!worded.headline_only_entry());
        // With a media file, the same headline and file is the same item
        // (an episode carried by two feeds).
        let episode = Fingerprints::of(
            &Article {
                enclosures: vec![crate::model::Enclosure {
                    url: "https://cdn.example/ep-12.mp3".into(),
                    media_type: Some("audio/mpeg".into()),
                    length: None,
                }],
                ..entry("ep-12")
            },
            "podcasts",
        );
        assert!(!episode.headline_only_entry());
    }

    #[test]
    fn a_page_dated_before_its_entry_completes_the_entry_it_stood_for() {
        let at = |hour, minute| Some(Utc.with_ymd_and_hms(2026, 12, 5, hour, minute, 0).unwrap());
        // The entry's teaser stood for its page, dated by the feed's
        // pubDate alone: no revision.
        let mut teaser = article("Harbour dredging to start in January", &[LEAD]);
        teaser.upstream_id = Some("gaz-77".into());
        teaser.upstream_key = Some("gaz-77".into());
        teaser.published = at(10, 0);
        teaser.page_text = true;
        let seen = Fingerprints::of(&teaser, "gazette");
        // The store dates it updated at its publication.
        let stored = Article {
            updated: teaser.published,
            ..teaser.clone()
        };
        let known = Known {
            entry: Some(known_entry(seen.near.content_key, seen.version)),
            stored_prints: Some(NearPrints::of(&stored)),
            stored_update_given: true,
            ..Known::default()
        };
        // Its page, read at last, dates the story by its content system's
        // clock: published and modified before the feed's pubDate.
        let mut page = teaser.clone();
        page.body = vec![Block::paragraph(LEAD), Block::paragraph(MORE)];
        page.published = at(9, 30);
        page.updated = at(9, 45);
        let decide_on =
            |copy: &Article| decide(&Fingerprints::of(copy, "gazette"), &known, &[], None);
        assert!(decide_on(&page).updates(), "the page completes its entry");
        // A copy of the entry's own (no page) dated so is a late retry.
        page.page_text = false;
        assert!(matches!(decide_on(&page), Decision::Repeat { .. }));
        // So is a page dated before a stored text that records a revision.
        page.page_text = true;
        let mut revised = stored.clone();
        revised.updated = at(10, 30);
        let known = Known {
            stored_prints: Some(NearPrints::of(&revised)),
            ..known.clone()
        };
        assert!(matches!(
            decide(&Fingerprints::of(&page, "gazette"), &known, &[], None),
            Decision::Repeat { .. }
        ));
    }

    #[test]
    fn an_edited_copy_that_replaces_nothing_is_told_from_a_repeat() {
        // Another source's entry, folded into story "a" by its link when
        // its text was the story's rewritten: the story's text is not its.
        let mut copy = article("Port approves expansion", &[MORE]);
        copy.upstream_id = Some("guid-1".into());
        copy.upstream_key = Some("guid-1".into());
        let seen = Fingerprints::of(&copy, "partner");
        let story = NearPrints::of(&article("Port approves expansion", &[LEAD, MORE]));
        let known = |stored: Option<NearPrints>| Known {
            entry: Some(known_entry(seen.near.content_key, seen.version)),
            stored_prints: stored,
            ..Known::default()
        };
        let repeat = |by| Decision::Repeat { id: "a".into(), by };
        assert_eq!(decide(&seen, &known(None), &[], None), repeat(Exact::Entry));
        // Edited to a shorter text than the story's: a sighting, but of
        // an edit, which the store remembers as the entry's version.
        let mut edited = copy.clone();
        edited.body = vec![Block::paragraph(
            "Work on the northern harbour is to start in the spring.",
        )];
        let edit = Fingerprints::of(&edited, "partner");
        assert_eq!(
            decide(&edit, &known(Some(story.clone())), &[], None),
            repeat(Exact::EditedEntry)
        );
        // Edited to about as long a text: it replaces the story's.
        edited.body = vec![Block::paragraph(LEAD), Block::paragraph(MORE)];
        edited.body[1].text = MORE.replace("spring", "autumn");
        let edit = Fingerprints::of(&edited, "partner");
        assert!(matches!(
            decide(&edit, &known(Some(story)), &[], None),
            Decision::EditedCopy { .. }
        ));
    }

    #[test]
    fn a_page_fetched_again_as_a_paywall_teaser_leaves_the_entrys_full_text() {
        let later = "Late on Monday the fishing cooperatives said they would not take the \
            plan to court, clearing the way for the first contracts to be signed.";
        let full = NearPrints::of(&article("Port approves expansion", &[LEAD, MORE, later]));
        let known = Known {
            entry: Some(known_entry(full.content_key, None)),
            stored_prints: Some(full.clone()),
            ..Known::default()
        };
        let mut teaser = fingerprints();
        teaser.near = NearPrints::of(&article(
            "Port approves expansion",
            &[
                LEAD,
                "Subscribe now for unlimited access to all our journalism.",
            ],
        ));
        // The entry's own text edited: it is the entry's to replace.
        assert_eq!(
            decide(&teaser, &known, &[], None),
            Decision::Update { id: "a".into() }
        );
        // The page it links to, now a teaser: a sighting of an edit.
        teaser.page_text = true;
        assert_eq!(
            decide(&teaser, &known, &[], None),
            Decision::Repeat {
                id: "a".into(),
                by: Exact::EditedEntry
            }
        );
        // Known as that teaser since, the page back whole as stored: its
        // text is the story's already, a sighting, not an update.
        let back = Fingerprints {
            page_text: true,
            near: full.clone(),
            ..fingerprints()
        };
        let known_as_teaser = Known {
            entry: Some(known_entry(teaser.near.content_key, None)),
            ..known.clone()
        };
        assert_eq!(
            decide(&back, &known_as_teaser, &[], None),
            Decision::Repeat {
                id: "a".into(),
                by: Exact::EditedEntry
            }
        );
        // The page grown by a paragraph replaces it.
        let mut grown = fingerprints();
        grown.page_text = true;
        grown.near = NearPrints::of(&article(
            "Port approves expansion",
            &[
                LEAD,
                MORE,
                later,
                LEAD.replace("Monday", "Tuesday").as_str(),
            ],
        ));
        assert_eq!(
            decide(&grown, &known, &[], None),
            Decision::Update { id: "a".into() }
        );
    }

    #[test]
    fn content_then_link_match_make_a_repeat() {
        let both = Known {
            by_content: Some("c".into()),
            by_link: Some("l".into()),
            ..Known::default()
        };
        let exact = decide(&fingerprints(), &both, &[], None);
        assert_eq!(
            exact,
            Decision::Repeat {
                id: "c".into(),
                by: Exact::Content
            }
        );
        assert_eq!(
            exact.fold_reason().map(|r| (r.rule, r.distance)),
            Some(("exact", Some(0)))
        );
        let link = Known {
            by_link: Some("l".into()),
            ..Known::default()
        };
        let same_link = decide(&fingerprints(), &link, &[], None);
        assert_eq!(
            same_link,
            Decision::Repeat {
                id: "l".into(),
                by: Exact::Link
            }
        );
        assert_eq!(
            same_link.fold_reason().map(|r| (r.rule, r.distance)),
            Some(("same-link", None))
        );
        assert!(!Known::default().exact_match());
        assert_eq!(
            decide(&fingerprints(), &Known::default(), &[], None),
            Decision::New { id: "new".into() }
        );
    }

    #[test]
    fn another_text_under_the_link_is_a_copy_even_from_the_articles_own_place() {
        let mut page = fingerprints();
        page.upstream_key = None;
        let edited = Decision::Repeat {
            id: "l".into(),
            by: Exact::Link,
        };
        let known = Known::default();
        assert!(
            edited.folds_at_a_known_place(&page, &known),
            "a page edited in place"
        );
        let read_again = Decision::Repeat {
            id: "c".into(),
            by: Exact::Content,
        };
        assert!(
            !read_again.folds_at_a_known_place(&page, &known),
            "the page itself"
        );
        page.upstream_key = Some("entry".into());
        assert!(
            read_again.folds_at_a_known_place(&page, &known),
            "a feed's second entry"
        );
    }

    #[test]
    fn an_entry_under_a_new_id_with_the_articles_text_and_link_is_no_other_copy() {
        let mut entry = fingerprints();
        entry.upstream_key = Some("https://news.example/a?t=2".into());
        let repeat = Decision::Repeat {
            id: "c".into(),
            by: Exact::Content,
        };
        let known = |by_link: Option<&str>| Known {
            by_content: Some("c".into()),
            by_link: by_link.map(String::from),
            ..Known::default()
        };
        assert!(
            !repeat.folds_at_a_known_place(&entry, &known(Some("c"))),
            "the same copy under a new id"
        );
        assert!(
            repeat.folds_at_a_known_place(&entry, &known(None)),
            "a second entry under a link of its own"
        );
        assert!(
            repeat.folds_at_a_known_place(&entry, &known(Some("other"))),
            "a second entry under another story's link"
        );
    }

    /// The history of an article first stored from the text under `first`
    /// and never replaced, with the `folds` given by copy id and whether
    /// each replaced the text, and its upstream `entries`.
    fn history(first: &Key, folds: &[(&str, bool)], entries: &[(&str, &str, Key)]) -> TextHistory {
        let replaced = folds.iter().any(|(_, replaced)| *replaced);
        TextHistory::of(
            &fingerprint::article_id(first),
            replaced,
            folds
                .iter()
                .map(|(id, replaced)| (id.to_string(), *replaced)),
            entries
                .iter()
                .map(|(source, key, content)| (source.to_string(), key.to_string(), *content)),
        )
    }

    #[test]
    fn a_repeat_of_a_text_the_article_no_longer_has_is_of_an_earlier_text() {
        let first = NearPrints::of(&article("Port approves expansion", &[LEAD, MORE]));
        let later = "The harbour master said the first ships would berth in the new basin \
            within three years, once the dredging of the channel is finished.";
        let now = NearPrints::of(&article(
            "Harbour expansion gets the go-ahead",
            &[LEAD, MORE, later],
        ));
        let repeat = Decision::Repeat {
            id: "a".into(),
            by: Exact::Content,
        };
        assert!(repeat.repeats_content());
        let reason = repeat.fold_reason().unwrap();
        let replaced_by_wire = || {
            Ok::<_, ()>(history(
                &first.content_key,
                &[(&fingerprint::entry_id("wire", "w-1"), true)],
                &[("wire", "w-1", now.content_key)],
            ))
        };
        let unread = || -> Result<TextHistory, ()> { panic!("the history is read") };
        assert_eq!(reason.against_stored(&first, &first, unread), Ok(reason));
        let earlier = reason
            .against_stored(&first, &now, replaced_by_wire)
            .unwrap();
        assert_eq!(earlier.rule, EARLIER_TEXT);
        assert_eq!(
            earlier.distance,
            Some(simhash::hamming(first.simhash, now.simhash))
        );
        assert_eq!((earlier.update, earlier.evidence), (None, None));
        // Only an exact repeat of content can be of an earlier text.
        let link = Decision::Repeat {
            id: "a".into(),
            by: Exact::Link,
        };
        assert!(!link.repeats_content());
        let same_link = link.fold_reason().unwrap();
        assert_eq!(
            same_link.against_stored(&first, &now, unread),
            Ok(same_link)
        );
    }

    #[test]
    fn an_article_had_the_texts_of_its_first_copy_and_of_the_copies_that_replaced_it() {
        let key = |n: u8| [n; 32];
        let (trimmed, retitled, whole) = (key(1), key(2), key(3));
        let wire = fingerprint::entry_id("wire", "w-1");
        let herald = fingerprint::entry_id("herald", "h-1");
        let entries = [
            ("wire", "w-1", retitled),
            ("herald", "h-1", whole),
            ("other", "o-1", key(9)),
        ];
        // The wire's copy replaced the first text, the herald's was only
        // folded in: the article never had the herald's text.
        let folded = history(&trimmed, &[(&wire, true), (&herald, false)], &entries);
        assert!(folded.had_text(&trimmed), "its first text");
        assert!(folded.had_text(&retitled), "the text that replaced it");
        assert!(!folded.had_text(&whole), "a copy folded in");
        // A copy stored by content tells its text by its id.
        let by_content = fingerprint::article_id(&whole);
        let page = history(
            &trimmed,
            &[(&wire, true), (&by_content, false)],
            &entries[..1],
        );
        assert!(!page.had_text(&whole));
        let replacing = history(&trimmed, &[(&by_content, true)], &[]);
        assert!(replacing.had_text(&whole));
        // A text no record tells of (an entry's earlier version) was the
        // article's when its text was replaced, else a copy's.
        assert!(folded.had_text(&key(7)));
        assert!(!history(&trimmed, &[(&herald, false)], &entries).had_text(&key(7)));
        // An article stored from an upstream entry had the text that entry has.
        let stored_from_entry =
            TextHistory::of(&wire, false, [], [("wire".into(), "w-1".into(), retitled)]);
        assert!(stored_from_entry.had_text(&retitled));
    }

    #[test]
    fn a_same_story_candidate_folds_and_any_other_makes_a_new_article() {
        let stored = NearPrints::of(&article("Port approves expansion", &[LEAD, MORE]));
        let mut new = fingerprints();
        let later = "Late on Monday the fishing cooperatives said they would not take the \
            plan to court, clearing the way for the first contracts to be signed.";
        new.near = NearPrints::of(&article("Port approves expansion", &[LEAD, MORE, later]));
        let config = NearConfig::default();
        let verdict = near_rules::compare(&new.near, &stored, &config);
        let briefing = NearPrints::of(&article(
            "Morning Briefing",
            &[
                "Good morning. Rain is expected across the county until the early afternoon, \
                 with the coast road closed at Saltmarsh while the council repairs the sea wall.",
                MORE,
            ],
        ));
        let candidates = [
            Candidate {
                id: "b".into(),
                prints: briefing.clone(),
            },
            Candidate {
                id: "n".into(),
                prints: stored,
            },
        ];
        assert!(wants_candidates(&new, &Known::default(), Some(&config)));
        assert!(!wants_candidates(&new, &Known::default(), None));
        let decision = decide(&new, &Known::default(), &candidates, Some(&config));
        assert_eq!(
            decision,
            Decision::Near {
                id: "n".into(),
                rule: verdict.rule,
                distance: verdict.distance,
                update: Some(Update::Longer),
                evidence: None,
            }
        );
        assert!(verdict.is_same() && decision.updates());
        let reason = decision.fold_reason().unwrap();
        assert_eq!(reason.rule, verdict.rule.as_str());
        assert_eq!(reason.update, Some(Update::Longer));
        // Folding off: the same candidates make a new article.
        assert_eq!(
            decide(&new, &Known::default(), &candidates, None),
            Decision::New { id: "new".into() }
        );
        // Only a story that is not the same: new.
        assert_eq!(
            decide(&new, &Known::default(), &candidates[..1], Some(&config)),
            Decision::New { id: "new".into() }
        );
    }

    /// A known canonical link with the stored text of its article.
    fn known_by_link(stored: NearPrints) -> Known {
        Known {
            by_link: Some("l".into()),
            stored_prints: Some(stored),
            ..Known::default()
        }
    }

    #[test]
    fn a_link_another_story_holds_folds_nothing() {
        let config = NearConfig::default();
        let ferry = NearPrints::of(&article("Ferry strike halts crossings", &[LEAD, MORE]));
        let mut school = fingerprints();
        school.near = NearPrints::of(&article(
            "School reopens after roof collapse",
            &[
                "Pupils returned to Hillside Primary School on Tuesday, five months after \
                 part of its roof collapsed during the summer holidays.",
                "The county council said the repairs had cost more than it had planned.",
            ],
        ));
        let known = known_by_link(ferry.clone());
        assert!(link_names_another_story(&school, &known, Some(&config)));
        assert!(wants_candidates(&school, &known, Some(&config)));
        assert_eq!(
            decide(&school, &known, &[], Some(&config)),
            Decision::New { id: "new".into() }
        );
        assert_eq!(
            decide(&school, &known, &[], None),
            Decision::New { id: "new".into() },
            "exact folding only: not folded by the link either"
        );
        // The same story by its link: a teaser of it, a retitled copy
        // sharing a paragraph, the same headline over other words.
        let teaser = article(
            "Ferry strike halts crossings",
            &["Crossings stopped on Monday."],
        );
        let retitled = article("Harbour deal approved", &[LEAD]);
        for copy in [teaser, retitled] {
            let mut same = fingerprints();
            same.near = NearPrints::of(&copy);
            assert!(
                !link_names_another_story(&same, &known, Some(&config)),
                "{copy:?}"
            );
            assert_eq!(decide(&same, &known, &[], Some(&config)).id(), "l");
        }
    }

    #[test]
    fn a_link_under_one_headline_over_distant_bodies_or_a_shared_footer_folds_nothing() {
        let config = NearConfig::default();
        let at = |day| Some(Utc.with_ymd_and_hms(2026, 11, day, 6, 0, 0).unwrap());
        const FOOTER: &str = "Sign up for our free evening email to get the day's local \
            news, sport and weather delivered to your inbox every weekday.";
        let copy = |title: &str, paragraphs: &[&str], day| {
            let mut a = article(title, paragraphs);
            a.published = at(day);
            let mut f = fingerprints();
            f.near = NearPrints::of(&a);
            f
        };
        let edition = |paragraphs: &[&str], day| copy("Evening Digest", paragraphs, day);
        let first = edition(&[LEAD, MORE], 2);
        let known = known_by_link(first.near.clone());
        // The next edition: other news under the newsletter's headline.
        let next = edition(
            &[
                "A fire at a furniture warehouse on the industrial estate sent smoke across \
                 the town, and residents were told to keep their windows shut.",
                "The swimming baths on Quay Street will close for a year of repairs from the \
                 spring, the leisure trust announced on Tuesday.",
            ],
            3,
        );
        // The first edition's text again three weeks later, a word changed.
        let later = edition(&[LEAD, &MORE.replace("three", "four")], 24);
        // Two stories under a section link, sharing only the footer.
        let ferry = copy("Ferry strike halts crossings", &[LEAD, MORE, FOOTER], 2);
        let baths = copy(
            "Quay Street baths to close",
            &[
                "The swimming baths on Quay Street will close for a year from the spring so \
                 that the leaking roof and the old boilers can be replaced.",
                "The leisure trust said swimmers could use the pool at the sports centre \
                 instead, with extra sessions added for schools and clubs.",
                FOOTER,
            ],
            2,
        );
        let footer_known = known_by_link(ferry.near.clone());
        for (copy, known) in [(&next, &known), (&later, &known), (&baths, &footer_known)] {
            assert!(link_names_another_story(copy, known, Some(&config)));
            assert_eq!(
                decide(copy, known, &[], Some(&config)),
                Decision::New { id: "new".into() }
            );
        }
        // A teaser under the headline, and the same edition a day later with
        // the footer added: the same story.
        let teaser = edition(&["The port approved its expansion on Monday."], 3);
        let footed = edition(&[LEAD, MORE, FOOTER], 3);
        for copy in [teaser, footed] {
            assert!(!link_names_another_story(&copy, &known, Some(&config)));
            assert_eq!(decide(&copy, &known, &[], Some(&config)).id(), "l");
        }
    }

    #[test]
    fn another_post_of_a_live_page_under_its_headline_is_not_folded_by_the_link() {
        let config = NearConfig::default();
        let post = |link: &str, text: &str| {
            let mut a = article("Storm live: latest updates", &[text]);
            a.link = Some(link.into());
            let mut f = Fingerprints::of(&a, "desk");
            f.new_id = "new".into();
            f
        };
        let live = "https://desk.example/live.html";
        let first = post(
            &format!("{live}#post-1"),
            "Winds of up to 90mph have been recorded on the coast road, forecasters said.",
        );
        let mut known = known_by_link(first.near.clone());
        known.stored_link = Some(format!("{live}?utm_source=rss#post-1"));
        let second = post(
            &format!("{live}#post-2"),
            "All ferries to the islands are cancelled for the rest of the day, the operator said.",
        );
        assert!(link_names_another_post(&second, &known));
        assert!(!link_names_another_story(&second, &known, Some(&config)));
        assert!(wants_candidates(&second, &known, Some(&config)));
        for near in [Some(&config), None] {
            assert_eq!(
                decide(&second, &known, &[], near),
                Decision::New { id: "new".into() }
            );
        }
        // The same post, the page itself, the page under an anchor every
        // page has: the same link.
        let edited = "Winds of up to 95mph have been recorded on the coast road.";
        for link in [
            format!("{live}#post-1"),
            live.to_string(),
            format!("{live}#comments"),
        ] {
            let copy = post(&link, edited);
            assert!(!link_names_another_post(&copy, &known), "{link}");
            assert_eq!(
                decide(&copy, &known, &[], Some(&config)),
                Decision::Repeat {
                    id: "l".into(),
                    by: Exact::Link
                },
                "{link}"
            );
        }
        // A stored article whose own link is another page's, or that has
        // none: its post is unknown, and the link is the same.
        for stored in [Some("https://desk.example/storm#post-9"), None] {
            known.stored_link = stored.map(str::to_string);
            assert!(!link_names_another_post(&second, &known), "{stored:?}");
        }
    }

    #[test]
    fn episodes_sharing_the_shows_link_over_other_media_files_are_each_new() {
        let config = NearConfig::default();
        let episode = |file: &str| {
            let mut bulletin = article(
                "Calder Radio morning bulletin",
                &["The latest news, weather and travel from Calder Radio."],
            );
            bulletin.enclosures = vec![crate::model::Enclosure {
                url: file.into(),
                ..Default::default()
            }];
            NearPrints::of(&bulletin)
        };
        let known = known_by_link(episode("https://radio.example/audio/0101.mp3"));
        let mut tuesday = fingerprints();
        tuesday.near = episode("https://radio.example/audio/0102.mp3");
        for near in [Some(&config), None] {
            assert!(link_names_another_story(&tuesday, &known, near));
            assert_eq!(
                decide(&tuesday, &known, &[], near),
                Decision::New { id: "new".into() }
            );
        }
        // The same recording (signed for another distributor): one item.
        let mut again = fingerprints();
        again.near = episode("https://radio.example/audio/0101.mp3?sig=7f3a");
        assert_eq!(
            decide(&again, &known, &[], Some(&config)),
            Decision::Repeat {
                id: "l".into(),
                by: Exact::Link
            }
        );
    }

    #[test]
    fn a_corrected_copy_by_its_link_dated_later_replaces_the_text() {
        let at = |hour| Some(Utc.with_ymd_and_hms(2026, 11, 23, hour, 0, 0).unwrap());
        let config = NearConfig::default();
        let mut stored = article("Port approves expansion", &[LEAD, MORE]);
        stored.published = at(9);
        stored.updated = at(10);
        let mut corrected = stored.clone();
        corrected.body[1] = Block::paragraph(MORE.replace("three years", "four years"));
        corrected.updated = at(15);
        let known = known_by_link(NearPrints::of(&stored));
        let mut copy = fingerprints();
        copy.near = NearPrints::of(&corrected);
        let decision = decide(&copy, &known, &[], Some(&config));
        assert_eq!(
            decision.fold_reason().map(|r| (r.rule, r.update)),
            Some(("same-link", Some(Update::Newer)))
        );
        // Not dated later: the stored text stays.
        corrected.updated = at(10);
        copy.near = NearPrints::of(&corrected);
        assert_eq!(
            decide(&copy, &known, &[], Some(&config)),
            Decision::Repeat {
                id: "l".into(),
                by: Exact::Link
            }
        );
        // A teaser of it dated later replaces nothing.
        let mut teaser = article("Port approves expansion", &[LEAD]);
        teaser.updated = at(16);
        copy.near = NearPrints::of(&teaser);
        assert!(!decide(&copy, &known, &[], Some(&config)).updates());
    }

    #[test]
    fn dates_of_a_new_article_and_of_a_replacement() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap();
        let mut a = article("T", &[LEAD]);
        let undated = Dates::of(&a, now);
        assert_eq!((undated.published, undated.updated), (now, now));
        assert_eq!(undated.replaced, now);
        assert!(!undated.replaced_by_source);
        let before = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        a.updated = Some(before);
        let updated_only = Dates::of(&a, now);
        assert_eq!(
            (updated_only.published, updated_only.updated),
            (before, before)
        );
        assert_eq!(updated_only.replaced, before);
        assert!(updated_only.replaced_by_source);
        a.published = Some(before + chrono::Duration::hours(1));
        let updated_earlier = Dates::of(&a, now);
        assert_eq!(
            updated_earlier.updated, updated_earlier.published,
            "never before published"
        );
    }

    #[test]
    fn a_text_keeps_the_dates_its_source_gave_it_as_a_new_article_would() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap();
        let at = |hour| Some(Utc.with_ymd_and_hms(2026, 11, 27, hour, 0, 0).unwrap());
        for (published, updated) in [
            (at(7), at(10)),
            (None, at(10)),
            (at(7), None),
            (at(9), at(7)),
        ] {
            let mut a = article("T", &[LEAD]);
            (a.published, a.updated) = (published, updated);
            let dates = Dates::of(&a, now);
            assert_eq!(
                NearPrints::of(&a).text_dates,
                Some(TextDates {
                    published: dates.published,
                    updated: dates.updated
                }),
                "{published:?} {updated:?}"
            );
        }
        // An undated text has none: feedfold's clock is no source's date.
        assert_eq!(NearPrints::of(&article("T", &[LEAD])).text_dates, None);
        // Nor does a stored article's text taken again from its row.
        let stored = StoredArticle {
            id: "a".into(),
            title: "T".into(),
            published: now,
            updated: now,
            body: article("T", &[LEAD]).body,
            ..Default::default()
        };
        assert_eq!(NearPrints::of_stored(&stored).text_dates, None);
    }

    #[test]
    fn near_config_follows_the_dedup_section() {
        let defaults = DedupConfig::default();
        assert_eq!(
            near_config(&defaults),
            Some(NearConfig::default()),
            "the config's default distance is the evaluated one"
        );
        let off = DedupConfig {
            near: false,
            ..defaults
        };
        assert_eq!(near_config(&off), None);
    }
}

//! Raw scraped dumps -> articles. A dump holds one or more articles, each a
//! headline, photo captions ending in a credit (`… (AP)`), date lines (the
//! published date, and an `Updated:` one), a byline (the authors), body
//! paragraphs and decorated crossheads (`- 'Carried out raids' -`).
//! Scrapers copy the page header twice, so headlines and captions repeat; every
//! line is keyed by the sha256 of its folded form (see [`crate::normalize`])
//! and a repeat is kept once, as first written.
//!
//! Reading streams: an article is emitted as soon as the next one starts, so
//! memory stays bounded by the largest article, not the file.
//!
//! Where an article starts: the first line of the file (after date lines
//! above it, which date it); a headline-shaped line (no closing full stop in
//! any script, no comma, semicolon or colon, at most 35 words; a question or
//! exclamation mark of any script may close it: `?`, `？`, `؟`, the `;` of
//! Greek text, and so may an ellipsis, `…`) that repeats after
//! only captions or a date line (the doubled header), or after lines each
//! given twice or once on each side of its repeat (a caption without a
//! credit, a standfirst), or that is followed directly by a caption, a date
//! line or a byline (page furniture such as `Advertisement` passed over;
//! a byline opening as one the body of the story before holds twice, or
//! once over more of it, a roundup's credits, is none there), or by a standfirst and then one of those; or a Title Case headline of four
//! words or more (the words in brackets closing it not counted; names and
//! numbers alone, a results line, with or without a label, are none)
//! followed by a paragraph, or by a standfirst and then a
//! paragraph; or a headline in sentence case of four words or more followed
//! by a longer standfirst and then a date line or a byline (the lead
//! photo's captions allowed between); or any
//! headline-shaped line under a date line that dates it,
//! followed by a paragraph, or by a line without a full stop (a standfirst
//! or a caption without a credit) and then a paragraph or a header line (a
//! site that prints the date first). A
//! line repeated right after itself is a headline only in Title Case (a
//! pull quote given twice is not). A body line that merely lacks a
//! full stop stays in the body, as do bylines and wire trailers (which are
//! never a photo's credit either), a list's items (`Ana Ruiz (Labour)`,
//! `Old Town FC v Calder United (H)`), a line over an update label that ends
//! the story (its footer), and a timeline (date lines each over one event
//! without a full stop); the headlines listed under a label alone
//! (`Related`) are links to other stories, page furniture; a line the
//! doubled header repeats before the headline's repeat (a caption without a
//! credit) is header, kept as a caption without a credit, and so is a
//! headline-shaped line over a caption under a headline that a date line or
//! a byline came with, or under the dump's first headline before anything
//! else. The headline's
//! repeat there may carry a site name the first copy lacks, or lack it
//! (`Headline | Calder Herald`, the page's `<title>`, over its `<h1>`): the
//! article's headline is the copy without it; so may other closing
//! punctuation, quotes, a label before it (`LIVE: `) or a cut (`…`). A
//! caption credited in one copy only is one caption, a caption broken over
//! two lines is one line, and a dump that ends inside its header's second
//! copy folds the cut line away. What follows a line is judged as
//! folding leaves it (repeats of the article's own paragraphs are passed
//! over, but not a caption or a byline the next story shares), so that a
//! folded dump splits where the original did. A date line that opens the
//! dump dates the headline under it unless it repeats within that header;
//! a dump that opens with captions or a byline takes the first line after
//! them and the date lines among them as its headline, which they date.
//! A headline with no caption and no paragraph is no article.

use std::cell::OnceCell;
use std::collections::{HashSet, VecDeque};
use std::io::BufRead;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use icu_properties::CodePointSetData;
use icu_properties::props::{SentenceTerminal, TerminalPunctuation};
use regex::Regex;
use thiserror::Error;

use super::date::{
    BY_WORDS, DateLine, day_or_month_name, dayless_date_line, opens_with_label, plausible,
    read_date_line, read_dates, update_label,
};
use super::lines::{LineError, LineReader};
use crate::dedup::headline::{
    fold_headline, headline_before_site_name, same_headline_in_capitals, strip_site_suffix,
};
use crate::furniture::{other_stories_label, page_furniture};
use crate::model::{Article, Block, BlockKind, Caption, LineKeys, Origin};
use crate::normalize::{Key, clean_line, fold, folded_key, has_visible, unspaced_script};

mod byline;
mod copies;
mod credit;
mod lists;
mod standfirst;

use byline::*;
pub(crate) use byline::{
    byline_date, byline_names, name_list, name_parts, opens_byline, person_name,
};
use copies::*;
use credit::*;
pub(crate) use credit::{split_credit, strip_credit_label};
use lists::*;

/// The most text one article may hold before the dump is refused.
pub const MAX_ARTICLE_BYTES: usize = 16 << 20;

/// How far ahead the doubled header is looked for, in lines that are not
/// repeats of the article's own.
const HEADER_LOOKAHEAD: usize = 8;

/// How far ahead anything is looked for, repeats included.
const MAX_LOOKAHEAD: usize = 64;

/// How many of the last lines made are kept to make a copy of one again
/// without folding it ([`DumpReader::line`]): more than a doubled header
/// holds between the copies of a line.
const RECENT_LINES: usize = 2 * HEADER_LOOKAHEAD;

/// The longest line kept among the last lines made: headlines and captions
/// are far shorter, and a dump of long lines keeps no copies of them.
const RECENT_LINE_BYTES: usize = 1024;

/// A dump that cannot be read, naming the file and where in it.
#[derive(Debug, Error)]
pub enum TextError {
    /// The cause is part of the message (and not also its `source()`, which
    /// would print it twice in an error chain).
    #[error("{location}: {cause}")]
    Line { location: String, cause: LineError },
    #[error(
        "{location}: the article starting at line {line} is larger than {MAX_ARTICLE_BYTES} bytes; no article boundary was found"
    )]
    ArticleTooLarge { location: String, line: usize },
}

/// Counts of what folding did in one dump.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FoldStats {
    pub lines: usize,
    pub articles: usize,
    /// Repeated headline, caption and paragraph lines that were folded away.
    pub repeats_folded: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Text,
    Caption {
        text: String,
        credit: String,
    },
    Subhead(String),
    /// A date line; `at` is `None` when it tells no date or its year is
    /// not plausible (see [`plausible`]): such a line is still part of the
    /// header, but dates nothing. `update` when its label says it is the
    /// last update (`Updated:`); `updated`, the plausible update a line
    /// giving both dates names after its published one (`Publié le …,
    /// modifié le …`).
    Date {
        at: Option<DateTime<Utc>>,
        update: bool,
        updated: Option<DateTime<Utc>>,
    },
}

#[derive(Debug)]
struct Line {
    number: usize,
    text: String,
    /// The key of the line as written.
    key: Key,
    /// The key it is folded by: for a crosshead, that of its words without
    /// the dashes and quotes around them, so that `- 'X' -`, `– “X” –` and
    /// a line `X` are one line; for a caption, that of its text and credit
    /// as shown (`X (AP)` and `X ( AP )` are one caption); for any other
    /// line, `key`.
    fold_key: Key,
    /// For a caption, the key of its text without its credit, which the
    /// same caption given again without its credit is keyed by; `None` for
    /// any other line.
    text_key: Option<Key>,
    kind: Kind,
}

impl Line {
    /// The key of a caption's text without its credit
    /// ([`Line::text_key`]), computed here when the line was made without
    /// it.
    fn caption_text_key(&self, text: &str, scratch: &mut String) -> Key {
        self.text_key.unwrap_or_else(|| folded_key(text, scratch))
    }
}

struct Draft {
    title: String,
    title_key: Key,
    line: usize,
    published: Option<DateTime<Utc>>,
    /// The date of an `Updated:` line in the header.
    updated: Option<DateTime<Utc>>,
    /// The names of a byline in the header.
    authors: Vec<String>,
    /// The text of each date line of the header, which a dump cut inside
    /// its repeat breaks off in ([`Self::cut_header_copy`]).
    date_lines: Vec<String>,
    /// The words of the headline ([`headline_words`]), which its copies
    /// in the header are compared by.
    title_words: OnceCell<Vec<String>>,
    /// Whether the headline was repeated in the header (the doubled
    /// header's second copy has begun).
    headline_repeated: bool,
    /// Whether a date line above the headline opens its header (a site
    /// that prints the date first).
    dated_above: bool,
    captions: Vec<Caption>,
    /// The key of each caption's text ([`Self::caption_with_text`]), in
    /// the order of `captions`, each computed once when first asked for.
    caption_keys: Vec<OnceCell<Key>>,
    body: Vec<Block>,
    /// The key of each body block, handed over with the article.
    block_keys: Vec<Key>,
    seen: HashSet<Key>,
    bytes: usize,
}

impl Draft {
    fn new(headline: Line) -> Self {
        let mut seen = HashSet::new();
        seen.insert(headline.key);
        seen.insert(headline.fold_key);
        Draft {
            bytes: headline.text.len(),
            title_words: OnceCell::new(),
            title: headline.text,
            title_key: headline.key,
            line: headline.number,
            published: None,
            updated: None,
            authors: Vec::new(),
            date_lines: Vec::new(),
            headline_repeated: false,
            dated_above: false,
            captions: Vec::new(),
            caption_keys: Vec::new(),
            body: Vec::new(),
            block_keys: Vec::new(),
            seen,
        }
    }

    /// Adds a caption or a body block unless it repeats one already held;
    /// returns whether it was a repeat.
    fn add(&mut self, line: Line) -> bool {
        let key = line.fold_key;
        if !self.seen.insert(key) {
            return true;
        }
        self.bytes += line.text.len();
        match line.kind {
            Kind::Caption { text, credit } => {
                self.push_caption(Caption::credited(text, credit), line.text_key);
            }
            Kind::Subhead(text) => {
                self.block_keys.push(key);
                self.body.push(Block::subhead(text));
            }
            Kind::Text | Kind::Date { .. } => {
                self.block_keys.push(line.key);
                self.body.push(Block::paragraph(line.text));
            }
        }
        false
    }

    /// Adds a line read from a dump ([`Self::add`]): a caption's text is
    /// held too, so that the text again without its credit (the picture
    /// given again lower down) is a repeat of it; and a caption whose text
    /// a caption without a credit holds gives that one its credit. Returns
    /// whether the line was a repeat.
    fn add_read(&mut self, line: Line, scratch: &mut String) -> bool {
        if let Kind::Caption { text, credit } = &line.kind {
            let text_key = line.caption_text_key(text, scratch);
            if self.credit_uncredited_caption(text_key, credit, line.fold_key) {
                return true;
            }
            self.seen.insert(text_key);
        }
        self.add(line)
    }

    /// Takes a date line of the header: the first date is the published
    /// one, the first of an `Updated:` line the update. Returns whether it
    /// repeats a date already taken (the doubled header's second copy).
    fn take_date(&mut self, at: Option<DateTime<Utc>>, update: bool) -> bool {
        if at.is_some() && (at == self.published || at == self.updated) {
            return true;
        }
        if update {
            self.updated = self.updated.or(at);
        } else {
            self.published = self.published.or(at);
        }
        false
    }

    /// Takes a date line of the header, `text` (its date `at`, `update`
    /// when its label says so, the update `updated` it names after it:
    /// [`Self::take_dates`]), and the authors a byline after its date names
    /// (`Posted on November 4, 2026 by Ana Ruiz`) when it has none yet.
    /// Whether the date was a repeat.
    fn take_date_line(
        &mut self,
        text: &str,
        at: Option<DateTime<Utc>>,
        update: bool,
        updated: Option<DateTime<Utc>>,
    ) -> bool {
        if self.authors.is_empty()
            && let Some(names) = crate::ingest::date::date_line_byline(text)
        {
            self.authors = byline_names(&format!("By {names}")).unwrap_or_default();
        }
        self.date_lines.push(text.to_string());
        self.take_dates(at, update, updated)
    }

    /// [`Self::take_date`], and `updated`, the update a line giving both
    /// dates names after its published one (`Publié le …, modifié le …`).
    fn take_dates(
        &mut self,
        at: Option<DateTime<Utc>>,
        update: bool,
        updated: Option<DateTime<Utc>>,
    ) -> bool {
        let repeat = self.take_date(at, update);
        self.updated = self.updated.or(updated);
        repeat
    }

    /// Keeps a line of the doubled header that is no headline, date line or
    /// byline as a caption without a credit (it is no repeat: those are
    /// taken before).
    fn add_uncredited_caption(&mut self, line: Line) {
        self.seen.insert(line.fold_key);
        self.bytes += line.text.len();
        self.push_caption(
            Caption {
                text: line.text,
                credit: None,
                image: None,
                alt: None,
                declared: false,
            },
            Some(line.key),
        );
    }

    /// Holds `caption`, whose text is keyed `text_key` when that is known.
    fn push_caption(&mut self, caption: Caption, text_key: Option<Key>) {
        self.captions.push(caption);
        self.caption_keys
            .push(text_key.map(OnceCell::from).unwrap_or_default());
    }

    /// Keeps the captions `keep` holds to.
    fn retain_captions(&mut self, keep: impl Fn(&Caption) -> bool) {
        let held = std::mem::take(&mut self.captions)
            .into_iter()
            .zip(std::mem::take(&mut self.caption_keys));
        (self.captions, self.caption_keys) = held.filter(|(caption, _)| keep(caption)).unzip();
    }

    /// Whether `line` gives this article's headline again: as first
    /// written, or with a site name after it that the other copy lacks, or
    /// another one ([`strip_site_suffix`]: the page's `<title>`, `Headline
    /// | Calder Herald`, over its `<h1>`, `Headline`; a name without
    /// capitals as long as the headline too, [`headline_before_site_name`]:
    /// `港湾計画を市議会が承認｜日本経済新聞`), or set in capitals
    /// that lose letters or accents ([`same_headline_in_capitals`]).
    fn is_headline(&self, line: &Line) -> bool {
        if line.key == self.title_key {
            return true;
        }
        if line.kind != Kind::Text {
            return false;
        }
        if headline_shape(&line.text)
            && (same_headline_in_capitals(
                strip_site_suffix(&line.text),
                strip_site_suffix(&self.title),
            ) || headline_before_site_name(&line.text).is_some_and(|head| {
                same_headline_in_capitals(head, strip_site_suffix(&self.title))
            }))
        {
            return true;
        }
        // Cheap tests first: most lines tested are no copy. A copy is at
        // most a site name and a label longer than the headline, unless
        // that is cut short.
        let longest = if cut_short(&self.title) {
            MAX_HEADLINE_BYTES
        } else {
            self.title.len() + MAX_HEADLINE_DRESS_BYTES
        };
        line.text.len() <= longest
            && headline_shape(line.text.trim_end_matches(HEADLINE_COPY_CLOSES))
            && self
                .title_words()
                .iter()
                .find(|word| word.is_ascii())
                .is_none_or(|word| {
                    // The fold of the first word written in ASCII shows, lower
                    // case, in a copy.
                    contains_lowered(&line.text, word)
                })
            && same_headline_words(&line.text, &self.title, self.title_words())
    }

    /// The words of the headline ([`headline_words`]), folded once.
    fn title_words(&self) -> &[String] {
        self.title_words.get_or_init(|| headline_words(&self.title))
    }

    /// Takes `line`, this article's headline again ([`Self::is_headline`]),
    /// as the doubled header's repeat: the headline is the copy without a
    /// site name, a label before it, a cut or a closing full stop, when the
    /// other has one and this one none of the others ([`HeadlineDress`]),
    /// and no quotes the other lacks ([`quoted_over`]); else the first copy,
    /// without its site name when the repeat lacks it
    /// ([`without_site_name_over`]).
    fn take_headline(&mut self, line: Line) {
        self.headline_repeated = true;
        self.seen.insert(line.fold_key);
        let title_dress = HeadlineDress::of(&self.title);
        if (HeadlineDress::of(&line.text).plainer_than(title_dress)
            && !quoted_over(&line.text, &self.title))
            || labelled_copy(&self.title, &line.text)
        {
            self.title_words = OnceCell::new();
            self.title = line.text;
            self.title_key = line.key;
        } else if let Some(bare) = bare_copy_plainer(&line.text, title_dress) {
            self.retitle(bare);
        } else if let Some(bare) = without_site_name_over(&self.title, &line.text) {
            self.retitle(bare.to_string());
        }
    }

    /// Makes `bare`, a copy of the headline without what it wore, the
    /// headline, and folds it as one.
    fn retitle(&mut self, bare: String) {
        let key = folded_key(&bare, &mut String::new());
        self.seen.insert(key);
        self.title_words = OnceCell::new();
        self.title = bare;
        self.title_key = key;
    }

    /// Whether `text`, the last line of a dump, is the start of a line of
    /// this article's header (its headline, a caption's text or a date
    /// line) broken off
    /// where the dump ends: a dump read while the scraper was still writing
    /// its header's second copy.
    fn cut_header_copy(&self, text: &str) -> bool {
        let cut = fold(text);
        let cuts = |whole: &str| {
            let whole = fold(whole);
            whole.len() > cut.len() && whole.starts_with(&cut)
        };
        cuts(&self.title)
            || self.date_lines.iter().any(|line| cuts(line))
            || self.captions.iter().any(|caption| match &caption.credit {
                Some(credit) => cuts(&format!("{} ({credit})", caption.text)),
                None => cuts(&caption.text),
            })
    }

    /// The caption already held whose text, without its credit, is keyed
    /// `key`.
    fn caption_with_text(&self, key: Key) -> Option<usize> {
        let mut scratch = String::new();
        self.captions
            .iter()
            .zip(&self.caption_keys)
            .position(|(caption, held)| {
                *held.get_or_init(|| folded_key(&caption.text, &mut scratch)) == key
            })
    }

    /// Takes a caption of the header that the other copy gave without its
    /// credit (`text` keyed `text_key`, `credit`, the line keyed
    /// `fold_key`): the credit is filled in. Whether there was such a copy.
    fn credit_uncredited_caption(&mut self, text_key: Key, credit: &str, fold_key: Key) -> bool {
        let Some(at) = self
            .caption_with_text(text_key)
            .filter(|&at| self.captions[at].credit.is_none())
        else {
            return false;
        };
        self.captions[at].credit = Some(credit.to_string());
        self.seen.insert(fold_key);
        true
    }

    /// Whether a date line above or under the headline or a byline has
    /// come with it.
    fn dated_or_signed(&self) -> bool {
        self.dated_above
            || self.published.is_some()
            || self.updated.is_some()
            || !self.authors.is_empty()
    }

    /// Whether the article holds no text but its headline.
    fn headline_only(&self) -> bool {
        self.captions.is_empty() && self.body.is_empty()
    }

    fn into_article(self, location: &str) -> Article {
        // An `Updated:` line alone dates the article, and is its update
        // too. One earlier than the publication is kept as the source gave
        // it, as a feed entry's is: the store takes it as the publication
        // date ([`crate::dedup::update_as_stored`]).
        let published = self.published.or(self.updated);
        let updated = self.updated;
        Article {
            line_keys: Some(LineKeys {
                title: self.title_key,
                blocks: self.block_keys,
            }),
            title: self.title,
            published,
            updated,
            authors: self.authors,
            captions: self.captions,
            body: self.body,
            origin: Origin {
                location: location.to_string(),
                line: self.line,
            },
            ..Article::default()
        }
    }
}

/// Folds the blocks of one article read from elsewhere than a dump (an HTML
/// page) exactly as the dump reader folds a dump's lines: the same keys (a
/// crosshead by its words, a caption by its text and credit as shown,
/// anything else by its folded form), the headline and each caption and
/// block kept once, as first given.
pub(crate) struct ArticleFolder {
    draft: Draft,
    scratch: String,
}

impl ArticleFolder {
    pub(crate) fn new(title: String) -> Self {
        let mut scratch = String::new();
        let key = folded_key(&title, &mut scratch);
        Self::with_title_key(title, key, scratch)
    }

    /// A folder for an article whose headline was made from its own first
    /// paragraph: that paragraph is not a repeat of the headline, so the
    /// headline folds nothing (its key is the empty text's, which no block
    /// has).
    pub(crate) fn made_up_title(title: String) -> Self {
        let mut scratch = String::new();
        let key = folded_key("", &mut scratch);
        Self::with_title_key(title, key, scratch)
    }

    fn with_title_key(title: String, key: Key, scratch: String) -> Self {
        let headline = Line {
            number: 1,
            text: title,
            key,
            fold_key: key,
            text_key: None,
            kind: Kind::Text,
        };
        ArticleFolder {
            draft: Draft::new(headline),
            scratch,
        }
    }

    pub(crate) fn set_published(&mut self, published: Option<DateTime<Utc>>) {
        self.draft.published = published;
    }

    /// Takes a date line as a dump's header does: the first date is the
    /// published one (unless one is set), the first of an `Updated:` line
    /// (or of the update after a published date on one line) the update.
    pub(crate) fn date_line(&mut self, text: &str) {
        if let Some((DateLine::At(at), updated)) = read_dates(text) {
            self.draft.take_dates(
                plausible(at),
                update_label(text),
                updated.and_then(plausible),
            );
        }
    }

    /// Adds a body paragraph; false when it repeats something already held.
    pub(crate) fn paragraph(&mut self, text: String) -> bool {
        let key = folded_key(&text, &mut self.scratch);
        self.add(text, key, key, Kind::Text)
    }

    /// Adds a crosshead; false when it repeats something already held.
    pub(crate) fn subhead(&mut self, text: String) -> bool {
        let key = folded_key(&text, &mut self.scratch);
        self.add(text.clone(), key, key, Kind::Subhead(text))
    }

    /// Adds a caption; false when it repeats one already held. A picture
    /// without caption or credit is held once by its image, unless a
    /// captioned picture shows the same image, which it then gives way to.
    pub(crate) fn caption(&mut self, caption: Caption) -> bool {
        let uncaptioned = |c: &Caption| c.text.is_empty() && c.credit.is_none();
        if uncaptioned(&caption) {
            let Some(image) = &caption.image else {
                return false;
            };
            if self
                .draft
                .captions
                .iter()
                .any(|c| c.image.as_ref() == Some(image))
            {
                return false;
            }
            self.draft.push_caption(caption, None);
            return true;
        }
        if let Some(image) = &caption.image {
            self.draft
                .retain_captions(|c| !uncaptioned(c) || c.image.as_ref() != Some(image));
        }
        let Some(credit) = caption.credit.clone() else {
            let key = folded_key(&caption.text, &mut self.scratch);
            if !self.draft.seen.insert(key) {
                return false;
            }
            self.draft.push_caption(caption, Some(key));
            return true;
        };
        let shown = format!("{} ({credit})", caption.text);
        let key = folded_key(&shown, &mut self.scratch);
        let before = self.draft.captions.len();
        let added = self.add(
            shown,
            key,
            key,
            Kind::Caption {
                text: caption.text,
                credit,
            },
        );
        if added {
            let held = &mut self.draft.captions[before];
            held.image = caption.image;
            held.alt = caption.alt;
        }
        added
    }

    fn add(&mut self, text: String, key: Key, fold_key: Key, kind: Kind) -> bool {
        let line = Line {
            number: 0,
            text,
            key,
            fold_key,
            text_key: None,
            kind,
        };
        !self.draft.add(line)
    }

    pub(crate) fn into_article(self, location: &str) -> Article {
        self.draft.into_article(location)
    }
}

/// Streams the articles of one dump.
pub struct DumpReader<R> {
    lines: LineReader<R>,
    location: String,
    lookahead: VecDeque<Line>,
    /// Lines read to see whether one ends a caption the line before it
    /// opens, or whether a run of names in brackets is a list
    /// ([`Self::list_item_as_text`]), and not yet taken into `lookahead`.
    pending: VecDeque<Line>,
    /// The last lines made ([`Self::line`]), up to [`RECENT_LINES`]
    /// different ones: a line given again (a doubled header's headline and
    /// captions) takes its keys and its kind from its copy there rather
    /// than folding, hashing and classifying its text again.
    recent: VecDeque<Line>,
    scratch: String,
    draft: Option<Draft>,
    /// Whether the last body line taken that folding keeps in place (no
    /// caption, no repeat) was a date line that dates something: a
    /// headline in any case may follow it ([`Self::dated_sentence_case_headline`]).
    after_date_line: bool,
    /// Whether the header of the dump's first article is being read: its
    /// headline is the first line of the file, or the first after the
    /// header lines the file opens with.
    opening: bool,
    /// The label over links to other stories (`Related`,
    /// [`other_stories_label`]) that the last line read was alone, or whose
    /// links the lines since have been ([`Self::linked_under_label`]).
    other_stories: Option<String>,
    /// Whether a link was taken under the label `other_stories` names.
    links_listed: bool,
    /// The number of the last line read when it was names in brackets
    /// ([`listed_names`]), and whether the run of such lines it belongs to
    /// is a list ([`run_is_list`]).
    listed_run: Option<(usize, bool)>,
    /// The last line read that was no names in brackets: its number, its
    /// key, and whether captions sit under it ([`captions_under`]).
    line_above: Option<(usize, Key, bool)>,
    /// The numbers of the lines read as a list's items ([`Self::list_item_as_text`])
    /// not yet taken into the body: such a line heads no story.
    list_items: VecDeque<usize>,
    /// Whether an update label under a candidate headline is being judged
    /// as the footer of the story before ([`Self::footer_at`]), which is
    /// judged one level deep only.
    judging_footer: bool,
    stats: FoldStats,
    done: bool,
}

impl<R: BufRead> DumpReader<R> {
    /// `location` names the dump in errors and in each article's origin.
    pub fn new(input: R, location: impl Into<String>) -> Self {
        DumpReader {
            lines: LineReader::new(input),
            location: location.into(),
            lookahead: VecDeque::new(),
            pending: VecDeque::new(),
            recent: VecDeque::new(),
            scratch: String::new(),
            draft: None,
            after_date_line: false,
            opening: false,
            other_stories: None,
            links_listed: false,
            listed_run: None,
            line_above: None,
            list_items: VecDeque::new(),
            judging_footer: false,
            stats: FoldStats::default(),
            done: false,
        }
    }

    /// What folding has done so far (complete once iteration has ended).
    pub fn stats(&self) -> FoldStats {
        self.stats
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.lines.offset()
    }

    /// Reads until `lookahead` holds `n` lines or the input ends.
    fn fill(&mut self, n: usize) -> Result<(), TextError> {
        while self.lookahead.len() < n {
            let Some(line) = self.next_joined_line()? else {
                return Ok(());
            };
            let line = self.list_item_as_text(line)?;
            let line = self.linked_under_label(line);
            self.lookahead.push_back(line);
        }
        Ok(())
    }

    /// `line`, read as a link to another story when it is one of the
    /// headlines a label alone on the line above lists (`Related` over
    /// `Tram Fares to Rise in January`): a headline-shaped text line, no
    /// byline, over no header line and no copy of itself (which would make
    /// it the next story's headline). Such a line is kept as a link is
    /// written on one line, `Related: Tram Fares to Rise in January`, page
    /// furniture ([`page_furniture`]), as a feed's list under such a label
    /// is read.
    fn linked_under_label(&mut self, line: Line) -> Line {
        let label = self.other_stories.take();
        if line.kind != Kind::Text {
            return line;
        }
        if other_stories_label(&line.text) {
            self.other_stories = Some(line.text.trim_end_matches(':').trim_end().to_string());
            self.links_listed = false;
            return line;
        }
        let Some(label) = label else {
            return line;
        };
        // The first line under the label over a paragraph is rather the
        // next story's headline (a teaser's `Read more` closing the story
        // before); once a link is listed, the list goes on over it.
        let heads_a_story = self.pending.front().is_some_and(|next| {
            header_line(next)
                || next.key == line.key
                || (!self.links_listed && next.kind == Kind::Text && !headline_shape(&next.text))
        });
        if !headline_shape(&line.text)
            || credits_authors(&line.text)
            || page_furniture(&line.text)
            || heads_a_story
        {
            return line;
        }
        let link = self.line(line.number, format!("{label}: {}", line.text));
        self.other_stories = Some(label);
        self.links_listed = true;
        link
    }

    /// `line`, read as text when it is an item of a list written as captions
    /// are (`Ana Ruiz (Labour)`, `Full time: Calder 3 Pinewood 1 (Hale 2,
    /// Price)`): names alone before a name in brackets that is no photo
    /// agency's ([`listed_names`]), in a run of such lines right under each
    /// other that reads as a list ([`run_is_list`]), as a list of candidates
    /// and their parties or of results and their scorers is written. A
    /// photo's caption describes its picture, and headshots in a row
    /// (`Ana Ruiz (Pinewood Post)` over `Tom Hale (Pinewood Post)`) are no
    /// list. A line whose credit is one letter ([`letter_credit`]: `Old
    /// Town FC v Calder United (H)`) is text too, in a list or not. Such
    /// lines head no story ([`Self::list_items`]): an item of four
    /// capitalised words over a paragraph is still the list's. The run is
    /// read ahead when its first line comes (at most [`MAX_LIST_RUN`]
    /// lines; the lines after those go as they do). Cheap tests first: most
    /// lines are no caption.
    fn list_item_as_text(&mut self, line: Line) -> Result<Line, TextError> {
        if !listed_names(&line.kind) {
            self.listed_run = None;
            let doubled = self
                .line_above
                .is_some_and(|(number, key, _)| number + 1 == line.number && key == line.fold_key);
            self.line_above = Some((line.number, line.fold_key, doubled || captions_under(&line)));
            return Ok(line);
        }
        let list = match self.listed_run {
            Some((number, list)) if number + 1 == line.number => list,
            _ => {
                let mut ahead = 0;
                loop {
                    if ahead == self.pending.len() {
                        if ahead + 1 >= MAX_LIST_RUN {
                            break;
                        }
                        match self.read_line()? {
                            Some(next) => self.pending.push_back(next),
                            None => break,
                        }
                    }
                    let next = &self.pending[ahead];
                    if next.number != line.number + ahead + 1 || !listed_names(&next.kind) {
                        break;
                    }
                    ahead += 1;
                }
                let run: Vec<&Line> = std::iter::once(&line)
                    .chain(self.pending.range(..ahead))
                    .collect();
                let at_story_top = self.line_above.is_none_or(|(_, _, captions)| captions);
                run_is_list(&run, at_story_top)
            }
        };
        self.listed_run = Some((line.number, list));
        if !list && !letter_credit(&line.kind) {
            return Ok(line);
        }
        self.list_items.push_back(line.number);
        Ok(Line {
            kind: Kind::Text,
            fold_key: line.key,
            text_key: None,
            ..line
        })
    }

    /// Forgets the list's items ([`Self::list_items`]) up to the line
    /// numbered `number`, which the body has taken.
    fn forget_list_items_to(&mut self, number: usize) {
        while self.list_items.front().is_some_and(|&n| n <= number) {
            self.list_items.pop_front();
        }
    }

    /// The next line of the dump, joined with the line right under it when
    /// that one ends a photo caption the line opens ([`caption_split_over`]).
    fn next_joined_line(&mut self) -> Result<Option<Line>, TextError> {
        let current = match self.pending.pop_front() {
            Some(line) => line,
            None => match self.read_line()? {
                Some(line) => line,
                None => return Ok(None),
            },
        };
        if current.kind != Kind::Text {
            return Ok(Some(current));
        }
        let next = match self.pending.pop_front() {
            Some(line) => line,
            None => match self.read_line()? {
                Some(line) => line,
                None => return Ok(Some(current)),
            },
        };
        if next.number == current.number + 1
            && let Some(joined) = caption_split_over(&current.text, &next)
        {
            return Ok(Some(self.line(current.number, joined)));
        }
        self.pending.push_front(next);
        Ok(Some(current))
    }

    /// Reads the next line that shows anything, cleaned and classified.
    fn read_line(&mut self) -> Result<Option<Line>, TextError> {
        loop {
            let Some(raw) = self.lines.next() else {
                return Ok(None);
            };
            let raw = raw.map_err(|cause| TextError::Line {
                location: self.location.clone(),
                cause,
            })?;
            self.stats.lines += 1;
            let text = clean_line(raw.text);
            // A line with nothing that shows (a soft hyphen alone) is
            // blank, as one that cleaning empties is.
            if has_visible(&text) {
                return Ok(Some(self.line(raw.number, text)));
            }
        }
    }

    /// The line numbered `number` holding the cleaned `text`, keyed and
    /// classified.
    fn line(&mut self, number: usize, text: String) -> Line {
        if let Some(copy) = self.recent.iter().find(|line| line.text == text) {
            return Line {
                number,
                text,
                key: copy.key,
                fold_key: copy.fold_key,
                text_key: copy.text_key,
                kind: copy.kind.clone(),
            };
        }
        let line = self.made_line(number, text);
        if line.text.len() > RECENT_LINE_BYTES {
            return line;
        }
        if self.recent.len() == RECENT_LINES {
            self.recent.pop_front();
        }
        self.recent.push_back(Line {
            number,
            text: line.text.clone(),
            key: line.key,
            fold_key: line.fold_key,
            text_key: line.text_key,
            kind: line.kind.clone(),
        });
        line
    }

    /// [`Self::line`] for a line not made lately.
    fn made_line(&mut self, number: usize, text: String) -> Line {
        let key = folded_key(&text, &mut self.scratch);
        let kind = classify(&text);
        let fold_key = match &kind {
            Kind::Subhead(words) => folded_key(words, &mut self.scratch),
            // Most captions are written as shown; only the others need
            // a key of their own.
            Kind::Caption {
                text: caption,
                credit,
            } if text
                .strip_prefix(caption.as_str())
                .and_then(|rest| rest.strip_prefix(" ("))
                .and_then(|rest| rest.strip_suffix(')'))
                != Some(credit.as_str()) =>
            {
                folded_key(&format!("{caption} ({credit})"), &mut self.scratch)
            }
            _ => key,
        };
        let text_key = match &kind {
            Kind::Caption { text: caption, .. } => Some(folded_key(caption, &mut self.scratch)),
            _ => None,
        };
        Line {
            number,
            text,
            key,
            fold_key,
            text_key,
            kind,
        }
    }

    fn pop(&mut self) -> Result<Option<Line>, TextError> {
        self.fill(1)?;
        Ok(self.lookahead.pop_front())
    }

    /// Starts an article at `headline` and takes its header: captions, date
    /// lines, a byline, repeats of the headline, and lines of the doubled
    /// header that are none of these ([`Self::header_text`]).
    /// `dated_above` when a date line above the headline opens the header.
    fn start_article(&mut self, headline: Line, dated_above: bool) -> Result<(), TextError> {
        self.after_date_line = false;
        let mut draft = if self.section_label_over_headline(&headline)? {
            let label = headline;
            let mut draft = Draft::new(
                self.lookahead
                    .pop_front()
                    .expect("the headline is under it"),
            );
            // Its copy over the headline's repeat is folded.
            draft.seen.insert(label.fold_key);
            draft
        } else {
            Draft::new(headline)
        };
        draft.dated_above = dated_above;
        loop {
            self.fill(1)?;
            // A timeline opening the body ends the header.
            if self.timeline_at(&draft, 0)? {
                break;
            }
            let Some(next) = self.lookahead.front() else {
                break;
            };
            match &next.kind {
                Kind::Caption { text, credit } => {
                    let text_key = next.caption_text_key(text, &mut self.scratch);
                    if draft.credit_uncredited_caption(text_key, credit, next.fold_key) {
                        self.lookahead.pop_front();
                        self.stats.repeats_folded += 1;
                        continue;
                    }
                }
                // A caption's text again without its credit (the other
                // copy's).
                Kind::Text if draft.caption_with_text(next.key).is_some() => {
                    let line = self.lookahead.pop_front().expect("front was just seen");
                    draft.seen.insert(line.fold_key);
                    self.stats.repeats_folded += 1;
                    continue;
                }
                // The headline again, in any dress.
                _ if draft.seen.contains(&next.fold_key) => {
                    draft.headline_repeated |= next.key == draft.title_key;
                }
                &Kind::Date {
                    at,
                    update,
                    updated,
                } => {
                    let line = self.lookahead.pop_front().expect("front was just seen");
                    if draft.take_date_line(&line.text, at, update, updated) {
                        self.stats.repeats_folded += 1;
                    }
                    continue;
                }
                // A byline, the first naming the authors (a second, under
                // `Posted on … by …`, is the same header's).
                // The date that closes it (`By Martha Quill • 3 December
                // 2026`) is read as a date line of the header.
                Kind::Text if byline_names(&next.text).is_some() => {
                    let line = self.lookahead.pop_front().expect("front was just seen");
                    if draft.authors.is_empty() {
                        draft.authors = byline_names(&line.text).unwrap_or_default();
                    }
                    if let Some(Kind::Date {
                        at,
                        update,
                        updated,
                    }) = byline_date(&line.text).and_then(date_line)
                    {
                        draft.take_dates(at, update, updated);
                    }
                    draft.seen.insert(line.fold_key);
                    continue;
                }
                // A byline that cannot be wholly split: its first author.
                Kind::Text if byline_lead_author(&next.text).is_some() => {
                    let line = self.lookahead.pop_front().expect("front was just seen");
                    if draft.authors.is_empty()
                        && let Some(author) = byline_lead_author(&line.text)
                    {
                        draft.authors = vec![author.to_string()];
                    }
                    draft.seen.insert(line.fold_key);
                    continue;
                }
                // The headline with a site name after it, or without the
                // one it was first given with.
                Kind::Text if draft.is_headline(next) => {
                    let line = self.lookahead.pop_front().expect("front was just seen");
                    draft.take_headline(line);
                    self.stats.repeats_folded += 1;
                    continue;
                }
                // Page furniture under the headline (`Advertisement`) is
                // no text of the story.
                Kind::Text if page_furniture(&next.text) => {
                    self.lookahead.pop_front();
                    continue;
                }
                Kind::Text => {
                    if self.header_text(&draft)? {
                        let line = self.lookahead.pop_front().expect("front was just seen");
                        draft.add_uncredited_caption(line);
                    } else if self.standfirst(&draft)? {
                        let line = self.lookahead.pop_front().expect("front was just seen");
                        draft.add(line);
                    } else if self.uncredited_caption_over_caption(&draft)? {
                        let line = self.lookahead.pop_front().expect("front was just seen");
                        draft.add_uncredited_caption(line);
                    } else if self.cut_header_copy_ends_dump(&draft)? {
                        self.lookahead.pop_front();
                        self.stats.repeats_folded += 1;
                    } else {
                        break;
                    }
                    continue;
                }
                _ => break,
            }
            let line = self.lookahead.pop_front().expect("front was just seen");
            if draft.add_read(line, &mut self.scratch) {
                self.stats.repeats_folded += 1;
            }
        }
        self.draft = Some(draft);
        Ok(())
    }

    /// Whether `label`, a candidate headline, is rather a section label
    /// printed over each copy of a doubled header (`Politics`, `LIVE`,
    /// `BREAKING NEWS` over `Minister Quits Over Harbour Contract`): a short
    /// headline-shaped line ([`section_label`]) over a headline of four
    /// words or more, the two given again one over the other within the
    /// header. The headline under it is the article's; the label is no text.
    fn section_label_over_headline(&mut self, label: &Line) -> Result<bool, TextError> {
        if label.kind != Kind::Text || !section_label(&label.text) {
            return Ok(false);
        }
        self.fill(2 * HEADER_LOOKAHEAD)?;
        let Some(headline) = self.lookahead.front() else {
            return Ok(false);
        };
        if headline.kind != Kind::Text
            || !headline_shape(&headline.text)
            || headline.text.split_whitespace().count() < 4
        {
            return Ok(false);
        }
        let (label_key, headline_key) = (label.fold_key, headline.fold_key);
        let l = &self.lookahead;
        Ok((1..l.len().saturating_sub(1))
            .any(|i| l[i].fold_key == label_key && l[i + 1].fold_key == headline_key))
    }

    /// Whether the text line at the front of the lookahead is the last of
    /// the dump and a line of the header cut short there
    /// ([`Draft::cut_header_copy`]): it is folded as the repeat it began.
    fn cut_header_copy_ends_dump(&mut self, draft: &Draft) -> Result<bool, TextError> {
        self.fill(2)?;
        Ok(self.lookahead.len() == 1 && draft.cut_header_copy(&self.lookahead[0].text))
    }

    /// Whether the text line at the front of the lookahead belongs to the
    /// header before the headline's repeat (a caption without a credit): the
    /// headline has not repeated yet, and does
    /// ([`Self::repeats_over_header_lines`]). Such a line is kept as a
    /// caption without a credit, and is never a headline.
    fn header_text(&mut self, draft: &Draft) -> Result<bool, TextError> {
        if draft.headline_repeated {
            return Ok(false);
        }
        let front = self.lookahead[0].fold_key;
        self.repeats_over_header_lines(draft, vec![front], |line| draft.is_headline(line))
    }

    /// Whether the candidate headline at the front of the lookahead (keyed
    /// `key`) is that of a doubled header whose copies hold a line that is
    /// no caption, date line or byline (a caption without a credit, a
    /// standfirst): it repeats ([`Self::repeats_over_header_lines`]) with
    /// such a line between.
    fn doubled_over_uncredited_lines(
        &mut self,
        draft: &Draft,
        key: Key,
    ) -> Result<bool, TextError> {
        self.repeats_over_header_lines(draft, Vec::new(), |line| line.fold_key == key)
    }

    /// Whether a copy of a headline (told by `is_copy`) comes after the
    /// lookahead's front line within [`HEADER_LOOKAHEAD`] lines (a line
    /// given again within them counted once, as the doubled header gives
    /// each caption twice in a row), with only
    /// captions, date lines, bylines, lines `draft` holds, page furniture
    /// ([`page_furniture`]) and other text lines in between, one at least
    /// counting those in `between` (the keys of text lines already passed).
    /// Each of those text lines must come twice before the copy, or once on
    /// each side of it, as a doubled header gives them, and no two of them
    /// (the front line counted when `between` holds it) are a paragraph's
    /// long sentences ([`long_sentence`]): a caption without a credit may be
    /// as long, but two such lines are a story's first part given over the
    /// whole of it.
    fn repeats_over_header_lines(
        &mut self,
        draft: &Draft,
        mut between: Vec<Key>,
        is_copy: impl Fn(&Line) -> bool,
    ) -> Result<bool, TextError> {
        self.fill(1)?;
        let mut shown = vec![self.lookahead[0].fold_key];
        let mut long_sentences =
            usize::from(!between.is_empty() && long_sentence(&self.lookahead[0].text));
        let mut i = 1;
        while shown.len() < HEADER_LOOKAHEAD && i < MAX_LOOKAHEAD {
            self.fill(i + 1)?;
            let Some(line) = self.lookahead.get(i) else {
                return Ok(false);
            };
            if is_copy(line) {
                // Every text line in between must come twice, or once on
                // each side of the repeat, where the header's second copy
                // gives it as far after the repeat as the first gave it
                // before.
                let span = i.max(HEADER_LOOKAHEAD);
                self.fill(i + 1 + span)?;
                // A caption's text counts as given again by a copy with a
                // credit.
                let mut after = HashSet::new();
                for line in self.lookahead.iter().skip(i + 1).take(span) {
                    after.insert(line.fold_key);
                    if let Kind::Caption { text, .. } = &line.kind {
                        after.insert(line.caption_text_key(text, &mut self.scratch));
                    }
                }
                let repeated = between.iter().all(|key| {
                    between.iter().filter(|k| *k == key).count() > 1 || after.contains(key)
                });
                return Ok(repeated && !between.is_empty() && long_sentences < 2);
            }
            let furniture = line.kind == Kind::Text && page_furniture(&line.text);
            if line.kind == Kind::Text
                && !draft.seen.contains(&line.fold_key)
                && !furniture
                && !header_line(line)
            {
                // Paragraphs before the repeat make it no header's: a
                // story's first part given over the whole of it.
                long_sentences += usize::from(long_sentence(&line.text));
                if long_sentences >= 2 {
                    return Ok(false);
                }
                between.push(line.fold_key);
            }
            if !shown.contains(&line.fold_key) {
                shown.push(line.fold_key);
            }
            i += 1;
        }
        Ok(false)
    }

    /// Whether the text line at the front of the lookahead is the
    /// standfirst of the article whose header is being read: no paragraph
    /// has come yet, it is [`standfirst_under`] the headline, and a
    /// caption, a date line or a byline follows it, or, in a header that
    /// has a date line or a byline ([`Draft::dated_or_signed`]), a caption
    /// without a credit over a caption ([`Self::over_a_caption`]); or it is
    /// [`standfirst_under_sentence_case`] the headline, and a date line or
    /// a byline follows it, captions allowed between
    /// ([`Self::date_or_byline_past_captions`]).
    fn standfirst(&mut self, draft: &Draft) -> Result<bool, TextError> {
        let line = &self.lookahead[0];
        if !draft.body.is_empty() {
            return Ok(false);
        }
        let under_title_case = standfirst_under(&draft.title, &line.text);
        if !under_title_case && !standfirst_under_sentence_case(&draft.title, &line.text) {
            return Ok(false);
        }
        let key = line.key;
        let Some(next) = self.following(draft, key, 0)?.0 else {
            return Ok(false);
        };
        if !under_title_case {
            return self.date_or_byline_past_captions(draft, next);
        }
        Ok(self.header_line(next)
            || (draft.dated_or_signed() && self.over_a_caption(draft, next)?))
    }

    /// Whether the text line at the front of the lookahead, in the header
    /// being read, is a caption without a credit: a date line or a byline
    /// has come with the headline ([`Draft::dated_or_signed`]), or nothing
    /// has come under it yet ([`Self::caption_under_bare_headline`]), and
    /// the line is headline-shaped (the next headline's shape, which it is
    /// not) with a caption under it ([`Self::over_a_caption`]).
    fn uncredited_caption_over_caption(&mut self, draft: &Draft) -> Result<bool, TextError> {
        Ok(
            (draft.dated_or_signed() || self.caption_under_bare_headline(draft))
                && self.over_a_caption(draft, 0)?,
        )
    }

    /// Whether the text line at the front of the lookahead, right under a
    /// headline with nothing under it yet ([`Draft::headline_only`]), or
    /// in the header of the dump's first article before any paragraph (the
    /// first line of the file is a headline), may be a caption without a
    /// credit, which the headline would otherwise lose its article to: the
    /// headline is no page furniture, and the line is written as a caption
    /// is, not in Title Case as a headline of its own
    /// ([`is_title_case_headline`]) would be.
    fn caption_under_bare_headline(&self, draft: &Draft) -> bool {
        (draft.headline_only() || (self.opening && draft.body.is_empty()))
            && !page_furniture(&draft.title)
            && !is_title_case_headline(&self.lookahead[0].text)
    }

    /// Whether the line at `at` in the lookahead is a headline-shaped text
    /// line with a caption under it (as folding leaves it): in a header, a
    /// caption without a credit.
    fn over_a_caption(&mut self, draft: &Draft, at: usize) -> Result<bool, TextError> {
        let line = &self.lookahead[at];
        if line.kind != Kind::Text || !headline_shape(&line.text) {
            return Ok(false);
        }
        let key = line.key;
        let (next, _) = self.following(draft, key, at)?;
        Ok(next.is_some_and(|i| matches!(self.lookahead[i].kind, Kind::Caption { .. })))
    }

    /// Whether the line at `at` in the lookahead belongs to a header
    /// ([`header_line`]).
    fn header_line(&self, at: usize) -> bool {
        header_line(&self.lookahead[at])
    }

    /// Whether the line at `at` in the lookahead is a date line or a byline
    /// (a line of a header that is no caption).
    fn date_or_byline(&self, at: usize) -> bool {
        let line = &self.lookahead[at];
        !matches!(line.kind, Kind::Caption { .. }) && header_line(line)
    }

    /// Whether the body line at the front of the lookahead starts a new
    /// article (see the module documentation for the rules).
    fn starts_article(&mut self, draft: &Draft) -> Result<bool, TextError> {
        let line = &self.lookahead[0];
        if line.kind != Kind::Text
            || !headline_shape(&line.text)
            || self.list_items.contains(&line.number)
        {
            return Ok(false);
        }
        // A repeat of this article's headline after its body is either a
        // stray copy (folded) or the next article under the same title
        // ("Morning Briefing"), told apart by the header that follows it.
        let same_title_again = draft.is_headline(line) && !draft.body.is_empty();
        if (draft.seen.contains(&line.key) && !same_title_again)
            || credits_authors(&line.text)
            || page_furniture(&line.text)
        {
            return Ok(false);
        }
        let key = line.key;
        let (mut next, after_header_lines) = self.following(draft, key, 0)?;
        // The doubled header: the line again after captions or a date
        // line, or right after itself when it is in Title Case. Another
        // line given twice in a row (a pull quote, a caption) is judged by
        // what follows its copies, as folding leaves it.
        if let Some(i) = after_header_lines.filter(|&i| self.lookahead[i].fold_key == key) {
            if next != Some(i) || same_title_again || title_case(&self.lookahead[0].text) {
                return Ok(true);
            }
            next = Some(i);
            while let Some(copy) =
                next.filter(|&j| j < MAX_LOOKAHEAD && self.lookahead[j].fold_key == key)
            {
                next = self.following(draft, key, copy)?.0;
            }
        }
        if self.doubled_over_uncredited_lines(draft, key)? {
            return Ok(true);
        }
        let Some(at) = next else {
            return Ok(false);
        };
        if self.header_line(at) {
            return Ok(
                !self.ends_story_over(draft, at)? && !roundup_credit(draft, &self.lookahead[at])
            );
        }
        let next = &self.lookahead[at];
        if next.kind != Kind::Text || same_title_again {
            return Ok(false);
        }
        let headline = &self.lookahead[0].text;
        if labelled_result(headline) {
            // A results line in a body (`Winner: Ida Lund (Pinewood)
            // 31:20`) heads a story only doubled or over a header (above).
            return Ok(false);
        }
        let under_title_case = standfirst_under(headline, &next.text);
        if under_title_case || standfirst_under_sentence_case(headline, &next.text) {
            // A standfirst, then the header or the first paragraph: `Pay
            // Deal Ends Strike` over `Bins will be emptied from Monday`
            // over a date line. A copy of the headline or of the standfirst
            // there (as a crosshead: `- 'Bins emptied from Monday' -`) is
            // passed over, as folding leaves it. Under a headline in
            // sentence case, only a date line or a byline, the lead photo's
            // captions allowed before it: a paragraph there is rather the
            // story's body going on, and a caption alone under a line
            // without a full stop is the caption's text.
            let copies = [self.lookahead[0].fold_key, next.fold_key];
            let key = next.key;
            let mut after = self.following(draft, key, at)?.0;
            while let Some(copy) =
                after.filter(|&i| i < MAX_LOOKAHEAD && copies.contains(&self.lookahead[i].fold_key))
            {
                after = self.following(draft, key, copy)?.0;
            }
            let Some(i) = after else {
                return Ok(false);
            };
            if !under_title_case {
                return self.date_or_byline_past_captions(draft, i);
            }
            return Ok(self.header_line(i)
                || (self.lookahead[i].kind == Kind::Text
                    && reads_as_paragraph(&self.lookahead[i].text)));
        }
        Ok(is_title_case_headline(headline) && reads_as_paragraph(&next.text))
    }

    /// What follows the candidate headline at `from` in the lookahead,
    /// judged as folding leaves it: lines that repeat one of this article's
    /// paragraphs or crossheads (other than the candidate, whose `key` is
    /// given) are passed over, so that a folded dump splits where the
    /// original did, and so is page furniture ([`page_furniture`]). A
    /// caption or a byline this article holds too is no repeat there: two
    /// stories in a row may share a photo or a reporter. Returns where the
    /// first other line is, and the first that is not a caption or a date
    /// line (within [`HEADER_LOOKAHEAD`] of them, and [`MAX_LOOKAHEAD`]
    /// lines in all).
    fn following(
        &mut self,
        draft: &Draft,
        key: Key,
        from: usize,
    ) -> Result<(Option<usize>, Option<usize>), TextError> {
        let (mut next, mut counted) = (None, 0);
        let mut i = from + 1;
        while counted < HEADER_LOOKAHEAD && i < from + MAX_LOOKAHEAD {
            self.fill(i + 1)?;
            let Some(line) = self.lookahead.get(i) else {
                break;
            };
            i += 1;
            let passed_over =
                line.fold_key != key && draft.seen.contains(&line.fold_key) && !header_line(line);
            if passed_over || (line.kind == Kind::Text && page_furniture(&line.text)) {
                continue;
            }
            next.get_or_insert(i - 1);
            if !matches!(line.kind, Kind::Caption { .. } | Kind::Date { .. }) {
                return Ok((next, Some(i - 1)));
            }
            counted += 1;
        }
        Ok((next, None))
    }

    /// The next article; a headline with no text (no caption, no
    /// paragraph: a leading `Advertisement`) is no article and is passed
    /// over.
    fn next_article(&mut self) -> Result<Option<Article>, TextError> {
        loop {
            let Some(draft) = self.next_draft()? else {
                return Ok(None);
            };
            if draft.headline_only() {
                tracing::debug!(
                    location = %self.location,
                    line = draft.line,
                    title = %draft.title,
                    "a headline with no text is no article"
                );
                continue;
            }
            self.stats.articles += 1;
            return Ok(Some(draft.into_article(&self.location)));
        }
    }

    /// Opens the first article: a date line above it dates it
    /// ([`Self::dates_the_headline_below`]), and a dump that opens with
    /// captions or a byline takes the first line after the header lines
    /// there ([`Self::start_article_after_header_lines`]).
    fn open_first(&mut self) -> Result<bool, TextError> {
        let Some(mut first) = self.pop()? else {
            return Ok(false);
        };
        let mut leading_date = None;
        if let Kind::Date { at, .. } = first.kind
            && self.dates_the_headline_below(first.fold_key)?
        {
            leading_date = at;
            first = self.pop()?.expect("a text line follows");
        }
        self.opening = true;
        if matches!(first.kind, Kind::Caption { .. })
            || (header_line(&first) && first.kind == Kind::Text)
        {
            self.start_article_after_header_lines(first, leading_date.is_some())?;
        } else {
            self.start_article(first, leading_date.is_some())?;
        }
        self.opening = false;
        let draft = self.draft.as_mut().expect("just started");
        draft.published = draft.published.or(leading_date);
        Ok(true)
    }

    /// Whether the date line just taken from the top of the dump (keyed
    /// `date_key`) dates the text line that follows it, the headline:
    /// unless the date line itself repeats first within the header (before
    /// the first line that reads as a paragraph, as a doubled header
    /// repeats its headline), or a caption or another date line follows it;
    /// then it is rather a headline that reads as a date. The same date
    /// line after a paragraph is the next story's.
    fn dates_the_headline_below(&mut self, date_key: Key) -> Result<bool, TextError> {
        self.fill(2 * HEADER_LOOKAHEAD)?;
        let Some(next) = self.lookahead.front() else {
            return Ok(false);
        };
        if next.kind != Kind::Text {
            return Ok(false);
        }
        let headline_key = next.fold_key;
        let repeats = self
            .lookahead
            .iter()
            .skip(1)
            .take_while(|l| l.kind != Kind::Text || !reads_as_paragraph(&l.text))
            .map(|l| l.fold_key)
            .find(|&k| k == date_key || k == headline_key);
        Ok(repeats != Some(date_key))
    }

    /// The next article as read, up to where the one after it starts.
    fn next_draft(&mut self) -> Result<Option<Draft>, TextError> {
        if self.draft.is_none() && !self.open_first()? {
            return Ok(None);
        }
        loop {
            let mut draft = self.draft.take().expect("an article is open");
            self.fill(1)?;
            if self.lookahead.is_empty() {
                return Ok(Some(draft));
            }
            if self.starts_article(&draft)?
                || self.headline_copy_with_full_stop(&draft)?
                || (self.after_date_line && self.dated_sentence_case_headline(&draft)?)
            {
                let headline = self.lookahead.pop_front().expect("checked non-empty");
                self.start_article(headline, false)?;
                return Ok(Some(draft));
            }
            if self.timeline_at(&draft, 0)? {
                self.take_timeline(&mut draft)?;
                self.draft = Some(draft);
                continue;
            }
            if self.date_line_opens_next_article(&draft)? {
                return Ok(Some(draft));
            }
            let footer = matches!(self.lookahead[0].kind, Kind::Date { update: true, .. })
                && self.ends_the_story(&draft)?;
            let line = self.lookahead.pop_front().expect("checked non-empty");
            self.forget_list_items_to(line.number);
            let dating = matches!(
                line.kind,
                Kind::Date {
                    at: Some(_),
                    update: false,
                    ..
                }
            );
            let caption = matches!(line.kind, Kind::Caption { .. });
            let repeat = match line.kind {
                Kind::Date { at, updated, .. } if footer => {
                    draft.take_date_line(&line.text, at, true, updated)
                }
                _ => draft.add_read(line, &mut self.scratch),
            };
            if repeat {
                self.stats.repeats_folded += 1;
            } else if !caption {
                self.after_date_line = dating;
            }
            if draft.bytes > MAX_ARTICLE_BYTES {
                return Err(TextError::ArticleTooLarge {
                    location: self.location.clone(),
                    line: draft.line,
                });
            }
            self.draft = Some(draft);
        }
    }

    /// Whether the date line at the front of the lookahead opens the next
    /// article's header, above its headline (a site that prints the date
    /// first): then that article is started, dated by it, and the date line
    /// is no paragraph of the article before.
    ///
    /// A headline with a date line of its own right under it is dated by
    /// that one: the line above gives the published date only when the
    /// header gives none (`Updated: …` alone).
    fn date_line_opens_next_article(&mut self, draft: &Draft) -> Result<bool, TextError> {
        let Kind::Date {
            at,
            update: false,
            updated,
        } = self.lookahead[0].kind
        else {
            return Ok(false);
        };
        if !self.date_line_above_headline(draft)? {
            return Ok(false);
        }
        let date = self.lookahead.pop_front().expect("checked non-empty");
        // Date lines and bylines stacked under it are the header's too,
        // read under the headline in their order.
        let stacked = self.stacked_dates_or_bylines()?;
        let stacked: Vec<Line> = self.lookahead.drain(..stacked).collect();
        let headline = self.lookahead.pop_front().expect("checked non-empty");
        for line in stacked.into_iter().rev() {
            self.lookahead.push_front(line);
        }
        self.start_article(headline, true)?;
        let next = self.draft.as_mut().expect("just started");
        if next.take_date_line(&date.text, at, false, updated) {
            self.stats.repeats_folded += 1;
        }
        Ok(true)
    }

    /// Whether the text line at the front of the lookahead is the first copy
    /// of a later doubled header's headline given with a full stop
    /// (`Dock Workers Vote to Strike.`): headline-shaped without it, with a
    /// caption or a date line right under it, and its copy without the
    /// full stop after only such lines, which starts an article
    /// ([`Self::starts_article`]). It is that article's headline, which
    /// takes the other copy ([`Draft::take_headline`]).
    fn headline_copy_with_full_stop(&mut self, draft: &Draft) -> Result<bool, TextError> {
        // Cheap tests first: most lines closing with a full stop are
        // paragraphs, with no caption or date line under them.
        let line = &self.lookahead[0];
        if line.kind != Kind::Text || !line.text.ends_with('.') {
            return Ok(false);
        }
        self.fill(2)?;
        let line = &self.lookahead[0];
        let bare = line.text.trim_end_matches('.');
        if !self
            .lookahead
            .get(1)
            .is_some_and(|under| matches!(under.kind, Kind::Caption { .. } | Kind::Date { .. }))
            || !headline_shape(bare)
            || credits_authors(bare)
            || draft.seen.contains(&line.fold_key)
        {
            return Ok(false);
        }
        let (key, words) = (line.key, headline_words(bare));
        let bare = bare.to_string();
        let Some(at) = self.following(draft, key, 0)?.1 else {
            return Ok(false);
        };
        let copy = &self.lookahead[at];
        if copy.kind != Kind::Text
            || !headline_shape(&copy.text)
            || !same_headline_words(&copy.text, &bare, &words)
        {
            return Ok(false);
        }
        let above: Vec<Line> = self.lookahead.drain(..at).collect();
        let starts = self.starts_article(draft);
        for line in above.into_iter().rev() {
            self.lookahead.push_front(line);
        }
        starts
    }

    /// Whether the line at the front of the lookahead is a date line without
    /// an update label directly above a line that starts an article, or
    /// above a headline in sentence case when the line dates it
    /// ([`Self::dated_sentence_case_headline`]). (An update label after a
    /// body, `Updated: November 20, 2026`, is that story's footer:
    /// [`Self::ends_the_story`].)
    fn date_line_above_headline(&mut self, draft: &Draft) -> Result<bool, TextError> {
        let Kind::Date {
            at, update: false, ..
        } = self.lookahead[0].kind
        else {
            return Ok(false);
        };
        let date = self.lookahead.pop_front().expect("checked non-empty");
        let stacked = self.stacked_dates_or_bylines()?;
        let stacked: Vec<Line> = self.lookahead.drain(..stacked).collect();
        self.fill(1)?;
        let above = !self.lookahead.is_empty()
            && (self.starts_article(draft)?
                || (at.is_some() && self.dated_sentence_case_headline(draft)?));
        for line in stacked.into_iter().rev() {
            self.lookahead.push_front(line);
        }
        self.lookahead.push_front(date);
        Ok(above)
    }

    /// How many date lines and bylines ([`Self::date_or_byline`]) open the
    /// lookahead, up to [`HEADER_LOOKAHEAD`]: under a date line above a
    /// headline, the rest of a header a site prints first (`Published …`
    /// over `Updated …`, a date line over `By …`).
    fn stacked_dates_or_bylines(&mut self) -> Result<usize, TextError> {
        let mut count = 0;
        while count < HEADER_LOOKAHEAD {
            self.fill(count + 1)?;
            if count >= self.lookahead.len() || !self.date_or_byline(count) {
                break;
            }
            count += 1;
        }
        Ok(count)
    }

    /// Whether the line at the front of the lookahead, under a date line
    /// that dates it (captions and repeats between passed over, as folding
    /// leaves them), is a headline as a site that prints the date first
    /// writes it, in any case (`Ferry service suspended after storm`): a
    /// headline-shaped line, not one of this article's, no byline and no
    /// furniture, over a paragraph that ends in a full stop or the rest of
    /// a header (a caption without a credit over a caption among it:
    /// [`Self::over_a_caption`]), or over a standfirst or a caption without
    /// a credit and then one of those ([`Self::over_story_start`]).
    fn dated_sentence_case_headline(&mut self, draft: &Draft) -> Result<bool, TextError> {
        let line = &self.lookahead[0];
        if line.kind != Kind::Text
            || draft.seen.contains(&line.fold_key)
            || !headline_shape(&line.text)
            || credits_authors(&line.text)
            || page_furniture(&line.text)
        {
            return Ok(false);
        }
        let key = line.key;
        // The headline given twice in a row is judged by what follows its
        // copies, as folding leaves it (as [`Self::starts_article`] does).
        let mut next = self.following(draft, key, 0)?.0;
        while let Some(copy) =
            next.filter(|&j| j < MAX_LOOKAHEAD && self.lookahead[j].fold_key == key)
        {
            next = self.following(draft, key, copy)?.0;
        }
        let Some(at) = next else {
            return Ok(false);
        };
        if self.header_line(at) {
            return Ok(!self.ends_story_over(draft, at)?);
        }
        if self.paragraph_at(at) || self.over_a_caption(draft, at)? {
            return Ok(true);
        }
        self.over_story_start(draft, at)
    }

    /// Whether the line at `at` in the lookahead is a text line that reads
    /// as a paragraph, not as a headline.
    fn paragraph_at(&self, at: usize) -> bool {
        let line = &self.lookahead[at];
        line.kind == Kind::Text && reads_as_paragraph(&line.text) && !headline_shape(&line.text)
    }

    /// Whether the line at `at` in the lookahead, and any like it under
    /// it, is a headline-shaped text line that ends no sentence (no
    /// question; no byline, no furniture) over a paragraph or a line of a
    /// header, as folding leaves them: under a dated headline, its
    /// standfirst or captions without a credit.
    fn over_story_start(&mut self, draft: &Draft, from: usize) -> Result<bool, TextError> {
        let mut at = from;
        for _ in 0..HEADER_LOOKAHEAD {
            let line = &self.lookahead[at];
            if line.kind != Kind::Text
                || !headline_shape(&line.text)
                || reads_as_paragraph(&line.text)
                || credits_authors(&line.text)
                || page_furniture(&line.text)
            {
                return Ok(false);
            }
            let key = line.key;
            let Some(next) = self.following(draft, key, at)?.0 else {
                return Ok(false);
            };
            if self.header_line(next) || self.paragraph_at(next) {
                return Ok(true);
            }
            at = next;
        }
        Ok(false)
    }

    /// Whether the line at the front of the lookahead is the last of the
    /// story: the dump ends after it, or the next article starts there (at
    /// its headline, or at a date line above it). An update label there
    /// (`Updated: November 20, 2026`) is the story's footer: it gives the
    /// update, and is no paragraph.
    fn ends_the_story(&mut self, draft: &Draft) -> Result<bool, TextError> {
        let last = self.lookahead.pop_front().expect("checked non-empty");
        self.fill(1)?;
        let ends = self.lookahead.is_empty()
            || self.starts_article(draft)?
            || self.date_line_above_headline(draft)?;
        self.lookahead.push_front(last);
        Ok(ends)
    }

    /// Whether the line at `at` in the lookahead, under a candidate
    /// headline, is rather the footer of the story the candidate ends: an
    /// update label ([`Self::ends_the_story`]) with the dump's end or the
    /// next story under it. The candidate is then the story's last line
    /// (`The council meets again on Thursday` over `Updated: December 2,
    /// 2026`), and would hold no text as a headline. Judged one level
    /// deep: within the judgement, an update label is no footer.
    fn footer_at(&mut self, draft: &Draft, at: usize) -> Result<bool, TextError> {
        if self.judging_footer
            || !matches!(self.lookahead[at].kind, Kind::Date { update: true, .. })
        {
            return Ok(false);
        }
        self.judging_footer = true;
        let above: Vec<Line> = self.lookahead.drain(..at).collect();
        let ends = self.ends_the_story(draft);
        for line in above.into_iter().rev() {
            self.lookahead.push_front(line);
        }
        self.judging_footer = false;
        ends
    }

    /// Whether the date line at `at` in the lookahead opens a timeline:
    /// date lines each over one line of its events (a [`timeline_event`]),
    /// `March 3, 2019` over `Council approves the extension`, two pairs at
    /// least, with dates and events that differ. No such pair holds a
    /// story: its event has the next date line right under it. The
    /// timeline is text of the story it is in, never a header.
    fn timeline_at(&mut self, draft: &Draft, at: usize) -> Result<bool, TextError> {
        let date = |line: &Line| matches!(line.kind, Kind::Date { .. });
        if !self.lookahead.get(at).is_some_and(date) {
            return Ok(false);
        }
        self.fill(at + 6)?;
        if self.lookahead.len() < at + 4 {
            return Ok(false);
        }
        let l = |i: usize| &self.lookahead[at + i];
        // The second event heads no story of its own, as `take_timeline`
        // asks of each: else the timeline is its first pair alone.
        Ok(date(l(2))
            && l(0).key != l(2).key
            && l(1).key != l(3).key
            && timeline_event(draft, l(1))
            && timeline_event(draft, l(3))
            && !self.event_heads_a_story(draft, at + 3))
    }

    /// Whether the timeline's event at `at` in the lookahead heads a story
    /// of its own: a header line (a caption, a byline) under it, but a date
    /// line over the timeline's next event.
    fn event_heads_a_story(&self, draft: &Draft, at: usize) -> bool {
        let l = &self.lookahead;
        l.get(at + 1).is_some_and(|under| {
            header_line(under)
                && !(matches!(under.kind, Kind::Date { .. })
                    && l.get(at + 2)
                        .is_some_and(|event| timeline_event(draft, event)))
        })
    }

    /// Whether the line at the front of the lookahead, a candidate
    /// headline with a header line at `at` under it, is rather the end of
    /// the story before: a line over an update label that is that story's
    /// footer ([`Self::footer_at`]), or an event in sentence case over a
    /// timeline ([`Self::timeline_at`]) whose first date is no date line
    /// (`March 2019` over `Council approves the extension` over `June 12,
    /// 2021`).
    fn ends_story_over(&mut self, draft: &Draft, at: usize) -> Result<bool, TextError> {
        Ok(self.footer_at(draft, at)?
            || (!is_title_case_headline(&self.lookahead[0].text) && self.timeline_at(draft, at)?))
    }

    /// Takes the timeline at the front of the lookahead
    /// ([`Self::timeline_at`]) into the body: each date line over an
    /// event, as long as the event heads no story (a caption or a byline
    /// under it, or a date line over no event).
    fn take_timeline(&mut self, draft: &mut Draft) -> Result<(), TextError> {
        loop {
            self.fill(4)?;
            let l = &self.lookahead;
            let pair = l.len() >= 2
                && matches!(l[0].kind, Kind::Date { .. })
                && timeline_event(draft, &l[1]);
            if !pair || self.event_heads_a_story(draft, 1) {
                break;
            }
            for line in self.lookahead.drain(..2) {
                if draft.add(line) {
                    self.stats.repeats_folded += 1;
                }
            }
        }
        self.after_date_line = false;
        Ok(())
    }

    /// A dump that opens with captions or a byline (`first`): the first
    /// line after the lines of a header there (captions, date lines,
    /// bylines: [`header_line`]) is the headline, and they are its header,
    /// read as [`Self::start_article`] reads the lines under a headline, so
    /// that a date line among them dates it and is never the headline.
    /// When only such lines follow (as far as the header is looked for),
    /// `first` is the headline. `dated_above` as for
    /// [`Self::start_article`]; a date line among them dates the headline
    /// from above too.
    fn start_article_after_header_lines(
        &mut self,
        first: Line,
        dated_above: bool,
    ) -> Result<(), TextError> {
        self.fill(HEADER_LOOKAHEAD)?;
        let Some(at) = self.lookahead.iter().position(|l| !header_line(l)) else {
            return self.start_article(first, dated_above);
        };
        let headline = self.lookahead.remove(at).expect("position is in range");
        let dated_above = dated_above
            || self
                .lookahead
                .iter()
                .take(at)
                .any(|l| matches!(l.kind, Kind::Date { .. }));
        self.lookahead.push_front(first);
        self.start_article(headline, dated_above)
    }
}

impl<R: BufRead> Iterator for DumpReader<R> {
    type Item = Result<Article, TextError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let result = self.next_article().transpose();
        if !matches!(result, Some(Ok(_))) {
            self.done = true;
        }
        result
    }
}

/// Whether `line` belongs to a header: a caption, a date line or a byline.
fn header_line(line: &Line) -> bool {
    match line.kind {
        Kind::Caption { .. } | Kind::Date { .. } => true,
        Kind::Text => {
            byline_names(&line.text).is_some() || byline_lead_author(&line.text).is_some()
        }
        Kind::Subhead(_) => false,
    }
}

/// Whether `line`, a header line under a candidate headline, is rather
/// the credit of an item of a roundup `draft` is (books or films reviewed
/// one after another, each credited on a line of its own): a byline
/// opening as one the body already holds twice does (`Written by Ana Ruiz`
/// there, `Written by Tom Hale` here), or as one the body holds once over
/// more of it (a credit opening an item). One such credit closing the body
/// is rather the byline of the story before. A line over it heads no
/// story; a doubled headline, a caption or a date line still does.
fn roundup_credit(draft: &Draft, line: &Line) -> bool {
    if line.kind != Kind::Text || byline_names(&line.text).is_none() {
        return false;
    }
    let opening = |text: &str| text.split_whitespace().next().map(str::to_lowercase);
    let credits: Vec<usize> = (draft.body.iter().enumerate())
        .filter(|(_, block)| {
            block.kind == BlockKind::Paragraph
                && opening(&block.text) == opening(&line.text)
                && byline_names(&block.text).is_some()
        })
        .map(|(at, _)| at)
        .collect();
    match credits[..] {
        [] => false,
        [only] => only + 1 < draft.body.len(),
        _ => true,
    }
}

/// Whether `line` may be an event of a timeline (under its date line): a
/// headline-shaped text line that `draft` does not hold, no byline and no
/// page furniture.
fn timeline_event(draft: &Draft, line: &Line) -> bool {
    line.kind == Kind::Text
        && headline_shape(&line.text)
        && !draft.seen.contains(&line.fold_key)
        && !credits_authors(&line.text)
        && !page_furniture(&line.text)
}

/// Classifies a cleaned, non-empty line by its shape alone.
fn classify(text: &str) -> Kind {
    if let Some(subhead) = crosshead(text) {
        return Kind::Subhead(subhead);
    }
    // A date line before a caption: a weekday in brackets closing a date
    // (`2026年12月3日（木）`) is no credit.
    if let Some(date) = date_line(text) {
        return date;
    }
    match split_credit(text) {
        // A byline naming its agency (`By Martha Quill (Reuters)`), a list
        // item and a name spelled out before its abbreviation are no
        // caption.
        Some((caption, credit))
            if byline_names(text).is_none()
                && !list_item(text)
                && !spelled_out_before(&caption, &credit) =>
        {
            Kind::Caption {
                text: caption,
                credit,
            }
        }
        _ => Kind::Text,
    }
}

/// Whether a line read as `kind` is names alone before a name in brackets
/// that is no photo agency's, as an item of a list is written (`Ana Ruiz
/// (Labour)`, `Full time: Calder 3 Pinewood 1 (Hale 2, Price)`): the
/// caption's words (after a label: [`without_label`]) are eight at most,
/// each opening with a capital or a digit or joining a fixture's sides
/// ([`joining_word`]: `Old Town FC v Calder United (Old Town FC)`); or
/// any line whose brackets hold one letter ([`bracket_letter`]).
fn listed_names(kind: &Kind) -> bool {
    let Kind::Caption { text, credit } = kind else {
        return false;
    };
    if bracket_letter(credit) {
        return true;
    }
    let mut words = without_label(text).split_whitespace();
    words.clone().count() <= 8
        && words.all(|word| {
            let bare = word.trim_start_matches(|c: char| !c.is_alphanumeric());
            bare.is_empty()
                || bare.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                || joining_word(bare)
        })
        && !agency_credit(credit)
}

/// Whether a run of lines right under each other, each names in brackets
/// ([`listed_names`]), is a list rather than photos' captions: no line is
/// given twice in a row (a doubled line is a caption, as a scraper copies
/// a header's), two lines or more, and their brackets differ (candidates
/// and their parties: `Ana Ruiz (Labour)` over `Tom Reyes (Conservative)`)
/// or a line holds a figure (results and their scorers: `Full time: Calder
/// 3 Pinewood 1 (Hale 2, Price)`) or the run is not `at_story_top`, where
/// captions sit (under a headline, [`captions_under`], or at the top of the
/// dump): there, headshots credited to one outlet (`Ana Ruiz (Pinewood
/// Post)` over `Tom Hale (Pinewood Post)`) are captions; in a body, one
/// party's candidates (`Ana Ruiz (Labour)` over `Tom Hale (Labour)`) are a
/// list.
fn run_is_list(run: &[&Line], at_story_top: bool) -> bool {
    let (Some(first), Some(_)) = (run.first(), run.get(1)) else {
        return false;
    };
    if run
        .windows(2)
        .any(|pair| pair[0].fold_key == pair[1].fold_key)
    {
        return false;
    }
    let credit_of = |line: &Line| match &line.kind {
        Kind::Caption { credit, .. } => Some(credit.to_lowercase()),
        _ => None,
    };
    let first_credit = credit_of(first);
    !at_story_top
        || run.iter().any(|line| {
            credit_of(line) != first_credit || line.text.contains(|c: char| c.is_ascii_digit())
        })
}

/// Whether photos' captions may sit right under `line` (a run of names in
/// brackets there is headshots: [`run_is_list`]): a headline in Title Case
/// ([`is_title_case_headline`]). A line given twice, a doubled headline,
/// is judged by the caller. Cheap tests first: a paragraph closes with a
/// full stop.
fn captions_under(line: &Line) -> bool {
    line.kind == Kind::Text && !line.text.ends_with('.') && is_title_case_headline(&line.text)
}

/// The most lines of a run of names in brackets read ahead to judge
/// whether it is a list ([`run_is_list`]).
const MAX_LIST_RUN: usize = 64;

/// The photo caption a text line, `opening`, and the line right under it,
/// `next`, make when a scraper broke the caption over two lines: `next` is
/// its credit alone (`(AP)`, `Photo: AFP`), or the rest of its sentence and
/// the credit (`as the council met (AP)`, opening in lower case under a
/// line that ends no sentence). The two joined by a space, when they read
/// as one caption that holds all of `opening`. A byline or a wire trailer
/// ([`credits_authors`]) opens no caption: a credit or an image's label
/// under it (`By Martha Quill` over `© Ana Ruiz`) is a line of its own.
fn caption_split_over(opening: &str, next: &Line) -> Option<String> {
    let credit_alone = next.kind == Kind::Text && may_be_credit_alone(&next.text);
    let rest_of_sentence = matches!(next.kind, Kind::Caption { .. })
        && next.text.starts_with(char::is_lowercase)
        && !opening.trim_end_matches(CLOSERS).ends_with(is_sentence_end);
    if (!credit_alone && !rest_of_sentence) || credits_authors(opening) {
        return None;
    }
    let joined = format!("{opening} {}", next.text);
    let Kind::Caption { text, .. } = classify(&joined) else {
        return None;
    };
    let whole = if credit_alone {
        text == opening.trim_end_matches(CREDIT_SEPARATORS).trim_end()
    } else {
        text.starts_with(opening)
    };
    whole.then_some(joined)
}

/// Whether `text` may be a caption's credit on a line of its own: short,
/// and in brackets (`(AP)`) or holding a label's colon or a `©` (`Photo:
/// AFP`). A cheap test before the line is tried joined to the one above.
fn may_be_credit_alone(text: &str) -> bool {
    let bracketed = CREDIT_BRACKETS
        .iter()
        .any(|&(open, close)| text.starts_with(open) && text.ends_with(close));
    text.len() <= 4 * MAX_CREDIT_CHARS && (bracketed || text.contains([':', '：', '©']))
}

/// Whether `text` is an item of a list: it opens with a bullet or a dash
/// ([`LIST_MARKERS`]) or a number closed by a full stop or a bracket (`1.`,
/// `2)`), then a space.
fn list_item(text: &str) -> bool {
    let numbered = text
        .split_once(' ')
        .and_then(|(marker, _)| marker.strip_suffix(['.', ')']))
        .is_some_and(|number| {
            (1..=3).contains(&number.chars().count()) && number.chars().all(|c| c.is_ascii_digit())
        });
    let bulleted = text
        .strip_prefix(LIST_MARKERS)
        .or_else(|| text.strip_prefix(OPENING_DASHES))
        .is_some_and(|rest| rest.starts_with(char::is_whitespace));
    numbered || bulleted
}

/// The bullets a list item opens with (or a dash: [`OPENING_DASHES`]).
const LIST_MARKERS: [char; 17] = [
    '•', '◦', '▪', '▫', '‣', '⁃', '∙', '·', '*', '●', '○', '■', '□', '►', '▶', '✓', '✔',
];

/// Whether `credit`, in brackets after `caption`, is rather the abbreviation
/// of the name that ends it, spelled out: its letters are the initials of
/// the capitalised words that close the caption, in order (`the World Trade
/// Organization (WTO)`, `the European Commission (EC)`), the short words
/// that join a name's words ([`ABBREVIATED_NAME_JOINERS`]) passed over. A photo
/// agency's credit ([`agency_credit`]) is a credit whatever the words
/// before it: a caption's words may have its initials by chance (`A police
/// officer stands guard in Pinewood (AP)`, `Tennis player Anna Petrova
/// (AP)`).
fn spelled_out_before(caption: &str, credit: &str) -> bool {
    let letters: Vec<char> = credit
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.len() < 2 || credit.chars().any(char::is_whitespace) || agency_credit(credit) {
        return false;
    }
    // The initials of the closing name, last first.
    let mut initials = Vec::new();
    for word in caption.split_whitespace().rev() {
        match word.chars().next() {
            Some(first) if first.is_uppercase() => initials.extend(first.to_lowercase()),
            _ if !initials.is_empty() && ABBREVIATED_NAME_JOINERS.contains(&word) => {}
            _ => break,
        }
    }
    initials.reverse();
    initials == letters
}

/// Short words that join the words of a name an abbreviation stands for
/// (`Food and Agriculture Organization`, `Banco de España`), which the
/// abbreviation leaves out.
const ABBREVIATED_NAME_JOINERS: [&str; 16] = [
    "of", "and", "for", "the", "on", "&", "de", "del", "des", "du", "la", "le", "et", "di", "der",
    "und",
];

/// `text` as a date line ([`Kind::Date`]), if it is one.
fn date_line(text: &str) -> Option<Kind> {
    let (at, updated) = match read_dates(text) {
        Some((DateLine::At(date), updated)) => (plausible(date), updated),
        Some((DateLine::Undated, updated)) => (None, updated),
        None if dayless_date_line(text) => (None, None),
        None => return None,
    };
    Some(Kind::Date {
        at,
        update: update_label(text),
        updated: updated.and_then(plausible),
    })
}

/// `- 'Carried out raids' -` -> `Carried out raids`: the words between the
/// dashes, without the pair of quotes around them (a quote nested at either
/// end stays: `- "Not 'a disaster'" -` -> `Not 'a disaster'`).
pub(crate) fn crosshead(text: &str) -> Option<String> {
    const DASHES: [char; 3] = ['-', '–', '—'];
    let inner = text.strip_prefix(DASHES)?.strip_suffix(DASHES)?.trim();
    let inner = without_outer_quotes(inner).trim();
    let plausible =
        !inner.is_empty() && inner.chars().count() <= 150 && inner.chars().any(char::is_alphabetic);
    plausible.then(|| inner.to_string())
}

/// `text` without the one quote mark that opens it and the one that closes
/// it, when it has both (any style: `'…'`, `“…”`, `„…“`, `«…»`, …); other
/// text as it is, its quote marks included (`'Enough' say residents`).
fn without_outer_quotes(text: &str) -> &str {
    const QUOTES: [char; 13] = [
        '\'', '"', '‘', '’', '“', '”', '„', '‚', '‟', '«', '»', '‹', '›',
    ];
    text.strip_prefix(QUOTES)
        .and_then(|rest| rest.strip_suffix(QUOTES))
        .unwrap_or(text)
}

/// Quotes and brackets that may close a line after its last punctuation:
/// the closing quotes of every language (German closes with `“` and `‘`,
/// Danish and German books with `«` and `‹`), and the spaces French sets
/// before its `»`.
const CLOSERS: [char; 22] = [
    '"', '\'', '’', '”', '“', '‘', '»', '«', '›', '‹', ')', ']', '*', '）', '」', '』', '】', '》',
    '〉', ' ', '\u{a0}', '\u{202f}',
];

/// The ellipsis `…`, which Unicode counts neither a `Sentence_Terminal`
/// nor `Terminal_Punctuation`: it closes a sentence that trails off, and
/// may close a headline ([`Closing::TrailingOff`]).
const ELLIPSIS: char = '…';

/// Question and exclamation marks, in every script that has its own: `?`
/// and `!` (and their fullwidth, small and vertical forms, which Chinese
/// and Japanese write), `‼`, `⁇`, `⁈`, `⁉`, `‽`, the Arabic `؟`, the Greek
/// question mark U+037E (which Greek text writes as `;`, see
/// [`is_greek_question_mark`]), the Armenian `՞` and `՜`, the Ethiopic `፧`,
/// the N'Ko `߹`, the Limbu `᥄` and `᥅`, the Vai `꘏` and the Bamum `꛷`.
const QUESTION_AND_EXCLAMATION_MARKS: [char; 24] = [
    '?', '!', '？', '！', '﹖', '﹗', '︖', '︕', '‼', '⁇', '⁈', '⁉', '‽', '؟', '\u{37E}', '՞',
    '՜', '፧', '߹', '᥄', '᥅', '꘏', '꛷', '⸮',
];

/// The middle dot `·`, which the Greek ano teleia (U+0387, the Greek
/// semicolon) is canonically equivalent to, and which normalised Greek text
/// writes for it.
const MIDDLE_DOT: char = '\u{B7}';

/// What the last mark of a line (before [`CLOSERS`]) makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closing {
    /// A full stop, in any script: a Unicode `Sentence_Terminal` that is no
    /// question or exclamation mark (`.`, `。`, `।`, `։`, `።`, `។`, `܂`,
    /// `᠉`, `៕`, `᱾`…). The line is a sentence.
    FullStop,
    /// A question or exclamation mark ([`QUESTION_AND_EXCLAMATION_MARKS`]),
    /// which closes a sentence and may close a headline.
    QuestionOrExclamation,
    /// The ellipsis ([`ELLIPSIS`]), which closes a sentence that trails off
    /// and may close a headline (`Calder Braces for the Storm…`).
    TrailingOff,
    /// A comma, semicolon or colon, in any script: any other Unicode
    /// `Terminal_Punctuation` (`,`, `;`, `:`, `，`, `、`, `،`, the Greek
    /// ano teleia `·`, the Syriac colons, `៖`, `߸`…). The line is no sentence
    /// and no headline.
    Pause,
    /// Anything else (a letter, a digit, a line of [`CLOSERS`] only).
    Other,
}

/// How `text` closes ([`Closing`]), read from the Unicode properties of its
/// last mark.
fn closing(text: &str) -> Closing {
    let trimmed = text.trim_end_matches(CLOSERS);
    let Some(last) = trimmed.chars().last() else {
        return Closing::Other;
    };
    if QUESTION_AND_EXCLAMATION_MARKS.contains(&last) || is_greek_question_mark(trimmed) {
        Closing::QuestionOrExclamation
    } else if last == ELLIPSIS {
        Closing::TrailingOff
    } else if is_full_stop(last) {
        Closing::FullStop
    } else if last == MIDDLE_DOT || CodePointSetData::new::<TerminalPunctuation>().contains(last) {
        Closing::Pause
    } else {
        Closing::Other
    }
}

/// Whether `c` is a full stop of any script ([`Closing::FullStop`]).
fn is_full_stop(c: char) -> bool {
    CodePointSetData::new::<SentenceTerminal>().contains(c)
        && !QUESTION_AND_EXCLAMATION_MARKS.contains(&c)
}

/// Whether `text` closes with a `;` that is the Greek question mark: U+037E
/// is canonically `;`, and Greek text writes it so. The text is Greek when
/// most of its letters are.
fn is_greek_question_mark(text: &str) -> bool {
    if !text.ends_with(';') {
        return false;
    }
    let (greek, letters) = text
        .chars()
        .filter(|c| c.is_alphabetic())
        .fold((0, 0), |(greek, letters), c| {
            (greek + usize::from(is_greek(c)), letters + 1)
        });
    greek * 2 > letters
}

/// Whether `c` is a letter of the Greek script (the Greek and Coptic block
/// and Greek Extended, whose letters carry the polytonic accents).
fn is_greek(c: char) -> bool {
    matches!(c, '\u{370}'..='\u{3FF}' | '\u{1F00}'..='\u{1FFF}')
}

/// Whether `c` ends a sentence: a full stop ([`is_full_stop`]), a
/// question or exclamation mark ([`QUESTION_AND_EXCLAMATION_MARKS`]), in any
/// script, or the ellipsis of one that trails off.
fn is_sentence_end(c: char) -> bool {
    is_full_stop(c) || QUESTION_AND_EXCLAMATION_MARKS.contains(&c) || c == ELLIPSIS
}

/// Dashes a line may open with: a list item's, or an attribution's under a
/// quote or an embedded post (`— Calder Police (@CalderPolice) December 3,
/// 2026`). Such a line is no headline.
const OPENING_DASHES: [char; 8] = ['-', '‐', '‑', '‒', '–', '—', '―', '−'];

/// Whether `text` is shaped like a headline: it starts with no lower-case
/// letter and no dash ([`OPENING_DASHES`]), is no list item
/// ([`list_item`]), has at most 35 words, and does not close with a full
/// stop or a comma, semicolon or colon, in any script ([`closing`]). A
/// question or exclamation mark may close a headline, in any script (`?`,
/// `？`, `؟`, and the `;` of Greek text), and so may an ellipsis (`…`).
fn headline_shape(text: &str) -> bool {
    // Cheapest tests first: most lines tested are paragraphs, which fail on
    // their length or their closing full stop before any word is counted.
    if text.len() > MAX_HEADLINE_BYTES {
        return false;
    }
    let Some(first) = text.chars().next() else {
        return false;
    };
    if first.is_lowercase() || OPENING_DASHES.contains(&first) || list_item(text) {
        return false;
    }
    matches!(
        closing(text),
        Closing::QuestionOrExclamation | Closing::TrailingOff | Closing::Other
    ) && text.split_whitespace().count() <= 35
}

/// The longest headline, in bytes ([`headline_shape`]).
const MAX_HEADLINE_BYTES: usize = 300;

/// How much longer than a headline its copy in a doubled header may be:
/// a site name after it and a label before it.
const MAX_HEADLINE_DRESS_BYTES: usize = 80;

/// What one copy of a doubled header's headline may close with that the
/// other lacks: a full stop, a colon, or the ellipsis of a title cut short.
const HEADLINE_COPY_CLOSES: [char; 3] = ['.', ':', '…'];

/// Whether `copy` gives the headline `title` (whose [`headline_words`] are
/// `title_words`) again in another dress that a page's two header copies
/// put on it: other closing punctuation (`!`, `.`, `?`), quotes around it,
/// a site name after it, a wire tag or a label before it
/// ([`without_label`]: `LIVE: …`), or cut short where one copy ends in an
/// ellipsis (`Harbour Plan Wins Council…`): the same words, compared as
/// [`fold_headline`] folds them.
fn same_headline_words(copy: &str, title: &str, title_words: &[String]) -> bool {
    let copy_words = headline_words(copy);
    copy_words == title_words
        || (cut_short(copy) && starts_words(title_words, &copy_words))
        || (cut_short(title) && starts_words(&copy_words, title_words))
        || labelled_copy(copy, title)
        || labelled_copy(title, copy)
}

/// Whether `copy` is `headline` with a short label before it
/// ([`without_label`]) where the headline's own words open with what reads
/// as one too (`LIVE: Budget 2026: Chancellor Raises Fuel Duty` over
/// `Budget 2026: Chancellor Raises Fuel Duty`), which comparing both
/// copies without their labels would cut off the headline.
fn labelled_copy(copy: &str, headline: &str) -> bool {
    let bare = without_label(copy);
    bare.len() != copy.len()
        && without_label(headline).len() != headline.len()
        && fold_headline(bare) == fold_headline(headline)
}

/// The words of the headline `text`, without a label before it, folded as
/// [`fold_headline`] folds them.
fn headline_words(text: &str) -> Vec<String> {
    fold_headline(without_label(text))
        .split(' ')
        .map(str::to_string)
        .collect()
}

/// Whether `text` is cut short: it closes with an ellipsis (`…`, `...`).
fn cut_short(text: &str) -> bool {
    let text = text.trim_end_matches(CLOSERS);
    text.ends_with('…') || text.ends_with("...")
}

/// Whether the words of a headline cut short, `cut` (three at least, the
/// last of them perhaps cut inside), open the words `whole`.
fn starts_words(whole: &[String], cut: &[String]) -> bool {
    let Some((last, before)) = cut.split_last() else {
        return false;
    };
    cut.len() >= 3
        && whole.len() >= cut.len()
        && whole.starts_with(before)
        && whole[before.len()].starts_with(last.as_str())
}

/// `text` without a short label and its colon before it (`LIVE: …`,
/// `Calder Herald: …`): three words at most, opening with a capital, before
/// two words or more; `text` itself when it has none.
fn without_label(text: &str) -> &str {
    match text.split_once(": ") {
        Some((label, rest))
            if label.split_whitespace().count() <= 3
                && label.starts_with(char::is_uppercase)
                && rest.split_whitespace().count() >= 2 =>
        {
            rest.trim_start()
        }
        _ => text,
    }
}

/// The copy of the headline `copy` without its site name, when that is
/// plainer than the headline so far (dressed `title_dress`): `Fuel Duty
/// Rises | Calder Herald` over `Fuel Duty Rises.` gives `Fuel Duty Rises`,
/// each copy wearing something the other lacks.
fn bare_copy_plainer(copy: &str, title_dress: HeadlineDress) -> Option<String> {
    let bare = strip_site_suffix(copy);
    (bare.len() != copy.len() && HeadlineDress::of(bare).plainer_than(title_dress))
        .then(|| bare.to_string())
}

/// What a copy of a doubled header's headline may wear that the other
/// copy lacks ([`same_headline_words`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HeadlineDress {
    site_name: bool,
    label: bool,
    cut: bool,
    full_stop: bool,
}

impl HeadlineDress {
    fn of(text: &str) -> Self {
        let cut = cut_short(text);
        HeadlineDress {
            site_name: strip_site_suffix(text) != text,
            label: without_label(text) != text,
            cut,
            full_stop: !cut && text.trim_end_matches(CLOSERS).ends_with('.'),
        }
    }

    fn worn(self) -> [bool; 4] {
        [self.site_name, self.label, self.cut, self.full_stop]
    }

    /// Whether a copy so dressed is plainer than one dressed `other`: it
    /// lacks something `other` wears, and wears nothing `other` lacks.
    fn plainer_than(self, other: Self) -> bool {
        let (mine, theirs) = (self.worn(), other.worn());
        mine != theirs && mine.iter().zip(theirs).all(|(&worn, other)| !worn || other)
    }
}

/// Whether `text` may be a section label printed over a headline
/// (`Politics`, `UK Politics`, `BREAKING NEWS`, `Live updates`): one to
/// three words, headline-shaped, closing with no mark.
fn section_label(text: &str) -> bool {
    text.len() <= MAX_SECTION_LABEL_BYTES
        && text.split_whitespace().count() <= 3
        && headline_shape(text)
        && closing(text) == Closing::Other
}

/// The longest section label, in bytes ([`section_label`]).
const MAX_SECTION_LABEL_BYTES: usize = 40;

/// Whether `text` reads as a body paragraph: it ends like a sentence or is
/// longer than any headline.
fn reads_as_paragraph(text: &str) -> bool {
    matches!(
        closing(text),
        Closing::FullStop | Closing::QuestionOrExclamation | Closing::TrailingOff
    ) || text.len() > 300
}

/// Whether `text` is a sentence of a body paragraph's length
/// ([`MIN_PARAGRAPH_WORDS`] words or more, closing with a full stop), which
/// no caption without a credit is.
fn long_sentence(text: &str) -> bool {
    // Cheap tests first: a line of that many words is longer than this.
    text.len() > 2 * MIN_PARAGRAPH_WORDS
        && closing(text) == Closing::FullStop
        && text.split_whitespace().count() >= MIN_PARAGRAPH_WORDS
}

/// The fewest words of a sentence that is read as a paragraph wherever it
/// stands ([`long_sentence`]).
const MIN_PARAGRAPH_WORDS: usize = 25;

/// Whether `line`, under the headline `headline`, is its standfirst rather
/// than a headline of its own: the headline is in Title Case
/// ([`is_title_case_headline`]), and the line is written as a sentence
/// without its full stop (`The 114 turbines can power 1.6 million homes,
/// the operator says`), headline-shaped but not Title Case, and no byline.
fn standfirst_under(headline: &str, line: &str) -> bool {
    is_title_case_headline(headline) && standfirst_shape(line)
}

/// Whether `line`, under the headline `headline` written in sentence case
/// (four words or more, not [`title_case`]: `Harbour council approves new
/// ferry terminal`), may be its standfirst: written as a standfirst is
/// ([`standfirst_shape`]), and longer than the headline, as a standfirst
/// says more than its headline does (`The 40m terminal will open in
/// spring, officials say`). The caller asks a line of the header under it
/// too: a headline in sentence case over a line without a full stop is
/// otherwise the last two lines of a story's body.
fn standfirst_under_sentence_case(headline: &str, line: &str) -> bool {
    let words = headline.split_whitespace().count();
    words >= 4
        && !title_case(headline)
        && line.split_whitespace().count() > words
        && standfirst_shape(line)
}

/// Whether `line` is written as a standfirst is: a sentence without its
/// full stop, three words or more, headline-shaped but not Title Case, no
/// byline and no furniture.
fn standfirst_shape(line: &str) -> bool {
    headline_shape(line)
        && line.split_whitespace().count() >= 3
        && !is_title_case_headline(line)
        && !credits_authors(line)
        && !page_furniture(line)
}

/// Title Case with four words or more ([`title_case`]); a mark standing
/// alone (a dash, a bullet, `|`) is no word. Names and numbers alone (a
/// results line: [`results_line`]) are no headline.
fn is_title_case_headline(text: &str) -> bool {
    let (major, capitalised) = major_words(text);
    let words = without_closing_brackets(text)
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count();
    words >= 4 && major >= 3 && capitalised * 5 >= major * 4 && !results_line(text)
}

/// Whether `text` is a results or scorers line (`Harbour United 2
/// Northgate Town 1`, `Ward 3, Lowe 81 (Harbour United)`, after a label:
/// `Full time: Calder 3 Pinewood 1`): names and numbers alone
/// ([`names_and_numbers`]) that close with a number before any words in
/// brackets, or a name and the words in brackets after it closed by one
/// figure (`Jan Berg (Green Party) 640`, `Tom Reyes (Conservative) 1,208`,
/// `Owen Hale (Calder) 2:08:14`: [`figure_after_brackets`]; with no label
/// before the name, so that `Vote Count: Ana Ruiz (Labour) 4,512` may be a
/// headline), with no short function word between them, which a headline
/// with figures has (`Apollo 11 Astronaut Dies At 93`) or which closes with
/// a word (`Route 52 Bus Cut After 30 Years`).
fn results_line(text: &str) -> bool {
    let unlabelled = without_label(text);
    let closes_with_a_number = without_closing_brackets(unlabelled)
        .split_whitespace()
        .next_back()
        .map(|last| last.trim_end_matches(|c: char| !c.is_alphanumeric()))
        .is_some_and(|last| !last.is_empty() && last.chars().all(|c| c.is_ascii_digit()));
    (figure_after_brackets(text) || (closes_with_a_number && names_and_numbers(unlabelled)))
        && !unlabelled.split_whitespace().any(minor_word)
}

/// Whether `text` is a results line after a label (`Winner: Ida Lund
/// (Pinewood) 31:20`, `Full time: Calder 3 Pinewood 1`: [`results_line`]).
fn labelled_result(text: &str) -> bool {
    let unlabelled = without_label(text);
    unlabelled.len() != text.len() && results_line(unlabelled)
}

/// Whether `text` is names and the words in brackets after them (a party,
/// a club) closed by one figure: a number, its digits perhaps grouped
/// (`1,208`), or a time (`2:08:14`); no word opens in lower case, and no
/// label and its colon come before the names.
fn figure_after_brackets(text: &str) -> bool {
    let Some((names, last)) = text.trim_end().rsplit_once(' ') else {
        return false;
    };
    let figure = last.starts_with(|c: char| c.is_ascii_digit())
        && last.ends_with(|c: char| c.is_ascii_digit())
        && last
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ':'));
    figure
        && names.ends_with(')')
        && names
            .split_once('(')
            .is_some_and(|(before, _)| !before.contains(':'))
        && !names.split_whitespace().any(|word| {
            word.trim_start_matches(|c: char| !c.is_alphanumeric())
                .starts_with(char::is_lowercase)
        })
}

/// Short function words, which Title Case leaves in lower case.
const MINOR_WORDS: [&str; 24] = [
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "nor", "of",
    "on", "or", "over", "per", "the", "to", "up", "via", "vs", "with",
];

/// Whether `word` is a short function word ([`MINOR_WORDS`]) in any case.
/// A word lowered to one is ASCII (the one letter beyond ASCII that lowers
/// to an ASCII one, the Kelvin sign's `k`, is in none of them), so it is
/// compared without lowering a copy.
fn minor_word(word: &str) -> bool {
    MINOR_WORDS
        .iter()
        .any(|minor| word.eq_ignore_ascii_case(minor))
}

/// Whether `text` lowered (`str::to_lowercase`) opens with `prefix`, lower
/// case: without lowering a copy of `text` when its opening is ASCII.
fn starts_with_lowered(text: &str, prefix: &str) -> bool {
    match text.as_bytes().get(..prefix.len()) {
        Some(head) if head.is_ascii() => head
            .iter()
            .zip(prefix.bytes())
            .all(|(&c, p)| c.to_ascii_lowercase() == p),
        None if text.is_ascii() => false,
        _ => text.to_lowercase().starts_with(prefix),
    }
}

/// Whether `text` lowered (`str::to_lowercase`) holds `word`, lower case:
/// without lowering a copy of `text` when it is ASCII.
fn contains_lowered(text: &str, word: &str) -> bool {
    if !text.is_ascii() {
        return text.to_lowercase().contains(word);
    }
    word.is_empty()
        || text.as_bytes().windows(word.len()).any(|window| {
            window
                .iter()
                .zip(word.bytes())
                .all(|(&c, w)| c.to_ascii_lowercase() == w)
        })
}

/// Title Case: most words that are not short function words start with a
/// capital (`Morning Briefing`, `Rail Strike Called Off After Late Deal`).
fn title_case(text: &str) -> bool {
    let (major, capitalised) = major_words(text);
    major >= 1 && capitalised * 5 >= major * 4
}

/// `text` without the words in brackets that close it, which are
/// capitalised whatever the case of the line (a tag, `(VIDEO)`, a day, `(December
/// 12)`, a name); `text` itself when nothing is left before them.
fn without_closing_brackets(text: &str) -> &str {
    let trimmed = text.trim_end();
    CREDIT_BRACKETS
        .iter()
        .find_map(|&(open, close)| {
            let before = &trimmed[..trimmed.strip_suffix(close)?.rfind(open)?];
            Some(before.trim_end()).filter(|before| !before.is_empty())
        })
        .unwrap_or(text)
}

/// How many words of `text` are not short function words, and how many of
/// those start with a capital; the words in brackets that close it are
/// not counted ([`without_closing_brackets`]).
fn major_words(text: &str) -> (usize, usize) {
    let text = without_closing_brackets(text);
    let (mut major, mut capitalised) = (0, 0);
    for word in text.split_whitespace() {
        let bare = word.trim_start_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = bare.chars().next() else {
            continue;
        };
        if !first.is_alphabetic() || minor_word(bare) {
            continue;
        }
        major += 1;
        if first.is_uppercase() {
            capitalised += 1;
        }
    }
    (major, capitalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every article of `input`, read as a dump; the rule modules' tests
    /// read with it too.
    pub(super) fn parse(input: &str) -> Vec<Article> {
        DumpReader::new(input.as_bytes(), "test.txt")
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    }

    /// The texts of an article's body, paragraphs and crossheads.
    pub(super) fn paragraphs(article: &Article) -> Vec<&str> {
        article.body.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn a_line_with_nothing_visible_is_blank() {
        let articles = parse(
            "\u{AD}\n\u{200E}\u{3164}\nFerry service resumes\n\nPublished: 1 December 2026 09:00\n\n\
             The ferry runs again on Friday.\n\u{34F}\nTickets are on sale.\n",
        );
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(articles[0].title, "Ferry service resumes");
        assert!(
            paragraphs(&articles[0]).iter().all(|p| has_visible(p)),
            "{articles:?}"
        );
    }

    const CAPTION: &str =
        "Ministers meet at the harbour office in Valletta on March 3, 2025. (Reuters)";

    fn doubled_article(title: &str, caption: &str, paras: &[&str]) -> String {
        let mut out =
            format!("{title}\n\n{caption}\n{caption}\n\n{title}\n\n{caption}\n{caption}\n\n");
        for p in paras {
            out.push_str(p);
            out.push_str("\n\n");
        }
        out
    }

    #[test]
    fn doubled_header_folds_to_one_headline_and_caption() {
        let input = doubled_article(
            "Malta Opens Talks on Harbour Expansion",
            CAPTION,
            &["The talks began on Monday.", "They will last a week."],
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1);
        let a = &articles[0];
        assert_eq!(a.title, "Malta Opens Talks on Harbour Expansion");
        assert_eq!(
            a.captions,
            vec![Caption::credited(
                "Ministers meet at the harbour office in Valletta on March 3, 2025.",
                "Reuters"
            )]
        );
        assert_eq!(
            paragraphs(a),
            ["The talks began on Monday.", "They will last a week."]
        );
        assert_eq!(a.origin.line, 1);
    }

    #[test]
    fn three_articles_in_one_file_stay_three() {
        let mut input = doubled_article(
            "Malta Opens Talks on Harbour Expansion",
            CAPTION,
            &["First story paragraph one.", "First story paragraph two."],
        );
        input += &doubled_article(
            "Floods Close Schools Across Northern Region",
            "A flooded street in the northern town of Ardmore on Tuesday. (AFP)",
            &[
                "Second story paragraph.",
                "\"We were not ready,\" a teacher said.",
            ],
        );
        input += &doubled_article(
            "Central Bank Holds Interest Rates Steady",
            "The central bank building in the capital. (Getty Images)",
            &["Third story paragraph."],
        );
        let articles = parse(&input);
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Malta Opens Talks on Harbour Expansion",
                "Floods Close Schools Across Northern Region",
                "Central Bank Holds Interest Rates Steady"
            ]
        );
        assert_eq!(articles[1].body.len(), 2);
        assert_eq!(articles[1].captions[0].credit.as_deref(), Some("AFP"));
        assert_eq!(
            articles[2].captions[0].credit.as_deref(),
            Some("Getty Images")
        );
        assert_eq!(paragraphs(&articles[2]), ["Third story paragraph."]);
    }

    #[test]
    fn headline_repeated_with_nothing_between() {
        let input = "Rail Strike Called Off After Late Deal\n\nRail Strike Called Off After Late Deal\n\nUnions accepted the offer.\n\nTrains run as normal.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 1);
        assert!(articles[0].captions.is_empty());
        assert_eq!(
            paragraphs(&articles[0]),
            ["Unions accepted the offer.", "Trains run as normal."]
        );
    }

    #[test]
    fn headline_once_without_caption() {
        let input = "Rail Strike Called Off After Late Deal\n\nUnions accepted the offer.\n\nPort Workers Vote to Return on Monday\n\nThe vote was close.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[1].title, "Port Workers Vote to Return on Monday");
        assert_eq!(paragraphs(&articles[1]), ["The vote was close."]);
    }

    #[test]
    fn same_titled_articles_in_a_row_stay_apart() {
        let input = "Morning Briefing\n\nMorning Briefing\n\nRain in the west.\n\nMorning Briefing\n\nMorning Briefing\n\nSun in the east.\n\nMorning Briefing\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 2);
        assert_eq!(paragraphs(&articles[0]), ["Rain in the west."]);
        assert_eq!(paragraphs(&articles[1]), ["Sun in the east."]);
    }

    #[test]
    fn same_titled_articles_with_the_site_name_on_one_headline_stay_apart() {
        let caption = "Commuters at Calder station on Monday. (Calder Herald)";
        let named = "Morning Briefing | Calder Herald";
        let rain =
            "Rain will spread from the west during the morning, with heavy bursts over the hills.";
        let sun = "The sun will break through in the east by noon, and the evening will stay dry.";
        // Each edition's header doubled: the page's <title> over its <h1>.
        let doubled = format!(
            "{named}\n\n{caption}\n{caption}\n\nMorning Briefing\n\n{caption}\n{caption}\n\n\
             December 3, 2026\n\n{rain}\n\n\
             {named}\n\n{caption}\n{caption}\n\nMorning Briefing\n\n{caption}\n{caption}\n\n\
             December 4, 2026\n\n{sun}\n"
        );
        // The second edition under its <title> alone.
        let single = format!(
            "{named}\n\n{caption}\n{caption}\n\nMorning Briefing\n\n{caption}\n{caption}\n\n\
             December 3, 2026\n\n{rain}\n\n{named}\n\nDecember 4, 2026\n\n{sun}\n"
        );
        // A headline given once keeps its site name, as anywhere in a dump.
        for (input, title) in [(doubled, "Morning Briefing"), (single, named)] {
            let articles = parse(&input);
            assert_eq!(articles.len(), 2, "{input}: {articles:#?}");
            assert_eq!(articles[0].title, "Morning Briefing", "{input}");
            assert_eq!(paragraphs(&articles[0]), [rain], "{input}");
            assert_eq!(articles[0].captions.len(), 1, "{input}");
            assert_eq!(paragraphs(&articles[1]), [sun], "{input}");
            assert_eq!(articles[1].title, title, "{input}");
        }
    }

    #[test]
    fn headline_repeated_adjacently() {
        let input = "Storm Warning Issued for the Coast\nStorm Warning Issued for the Coast\n\nA caption of the coast guard boat in the bay. (AP)\n\nWinds will reach 100 km/h.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].captions.len(), 1);
        assert_eq!(paragraphs(&articles[0]), ["Winds will reach 100 km/h."]);
    }

    #[test]
    fn two_different_captions_each_doubled() {
        let title = "Wildfire Spreads Toward Mountain Villages";
        let c1 = "Firefighters battle the blaze near Pinewood on Sunday. (AP)";
        let c2 = "Residents leave their homes in Pinewood. (Daily Courier)";
        let input = format!(
            "{title}\n\n{c1}\n{c1}\n{c2}\n{c2}\n\n{title}\n\n{c1}\n{c1}\n{c2}\n{c2}\n\nThe fire grew overnight.\n"
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1);
        let credits: Vec<_> = articles[0]
            .captions
            .iter()
            .map(|c| c.credit.as_deref())
            .collect();
        assert_eq!(credits, [Some("AP"), Some("Daily Courier")]);
        assert_eq!(
            articles[0].captions[1].text,
            "Residents leave their homes in Pinewood."
        );
        assert_eq!(paragraphs(&articles[0]), ["The fire grew overnight."]);
    }

    #[test]
    fn a_headline_repeated_in_capitals_that_lose_letters_stays_one_story() {
        for (title, capitals) in [
            (
                "İstanbul'da yeni metro hattı törenle açıldı",
                "İSTANBUL'DA YENİ METRO HATTI TÖRENLE AÇILDI",
            ),
            (
                "Ministerium genehmigt Straßenbahn nach Düsseldorf",
                "MINISTERIUM GENEHMIGT STRASSENBAHN NACH DÜSSELDORF",
            ),
        ] {
            let input = format!(
                "{title}\n\nA tram at the station. (dpa)\nA tram at the station. (dpa)\n\n{capitals}\n\nA tram at the station. (dpa)\n\nThe first paragraph of the story.\n\nThe second paragraph of the story.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{capitals}");
            assert_eq!(articles[0].title, title);
            assert_eq!(articles[0].captions.len(), 1);
            assert_eq!(
                paragraphs(&articles[0]),
                [
                    "The first paragraph of the story.",
                    "The second paragraph of the story."
                ]
            );
        }
    }

    #[test]
    fn caption_copies_differing_in_quote_style_fold() {
        let title = "Minister Defends Budget Before Parliament";
        let input = format!(
            "{title}\n\nThe minister’s “final” speech in parliament. (AFP)\nThe minister's \"final\" speech in parliament. (AFP)\n\n{title}\n\nThe minister's \"final\"  speech in PARLIAMENT. (AFP)\n\nShe spoke for an hour.\n"
        );
        let articles = parse(&input);
        assert_eq!(articles[0].captions.len(), 1);
        assert_eq!(
            articles[0].captions[0].text,
            "The minister’s “final” speech in parliament."
        );
        assert_eq!(paragraphs(&articles[0]), ["She spoke for an hour."]);
    }

    #[test]
    fn date_lines_and_captions_of_other_shapes_keep_the_story_whole() {
        for (date_line, published) in [
            ("29.07.2024", Some("2024-07-29T00:00:00Z")),
            ("Updated: July 29, 2024", Some("2024-07-29T00:00:00Z")),
            (
                "July 29, 2024 at 5:30 p.m. EDT",
                Some("2024-07-29T21:30:00Z"),
            ),
            ("29. Juli 2024", Some("2024-07-29T00:00:00Z")),
            ("05/06/2024", None),
            ("July 29, 2024 5:30 AM ET", Some("2024-07-29T09:30:00Z")),
            ("Mon 29 Jul 2024 05.30 BST", Some("2024-07-29T04:30:00Z")),
            (
                "Montag, 29. Juli 2024, 05:30 Uhr",
                Some("2024-07-29T05:30:00Z"),
            ),
            ("2024-07-29 05:30 UTC", Some("2024-07-29T05:30:00Z")),
            // Date-shaped, but not all of it can be read: no date, no split.
            ("July 29, 2024 5:30 AM AEST", None),
            // A byline after the date, other labels, a slash or a bullet
            // between date and time.
            (
                "Posted on July 29, 2024 by Martha Quill",
                Some("2024-07-29T00:00:00Z"),
            ),
            ("Last Modified: July 29, 2024", Some("2024-07-29T00:00:00Z")),
            ("Jul 29, 2024 / 10:15 AM", Some("2024-07-29T10:15:00Z")),
            ("29 July 2024 • 10:15", Some("2024-07-29T10:15:00Z")),
        ] {
            for caption in [
                "The east quay where the terminal will be built (AP)",
                "The east quay where the terminal will be built (picture alliance/dpa)",
                "The east quay at dusk (iStock)",
                "東京都庁で記者会見する知事 (Kyodo)",
            ] {
                let input = format!(
                    "Council Approves New Ferry Terminal\n\n{date_line}\n\n{caption}\n{caption}\n\n\
                     The harbour council on Tuesday approved plans for a new terminal.\n\n\
                     Construction is expected to begin next spring, the council said.\n"
                );
                let articles = parse(&input);
                assert_eq!(articles.len(), 1, "{date_line} / {caption}: {articles:?}");
                let article = &articles[0];
                assert_eq!(article.title, "Council Approves New Ferry Terminal");
                assert_eq!(article.captions.len(), 1, "{caption}");
                assert_eq!(paragraphs(article).len(), 2);
                let expected = published.map(|p| p.parse::<DateTime<Utc>>().unwrap());
                assert_eq!(article.published, expected, "{date_line}");
                if date_line.ends_with("by Martha Quill") {
                    assert_eq!(article.authors, ["Martha Quill"]);
                }
            }
        }
    }

    #[test]
    fn a_date_line_above_the_next_headline_dates_it_and_stays_out_of_the_story_before() {
        let story = |date: &str, title: &str, caption: &str, body: &str, doubled: bool| {
            let header = format!("{date}\n{title}\n\n{caption}\n\n");
            let header = if doubled { header.repeat(2) } else { header };
            format!("{header}{body}\n\n")
        };
        for doubled in [true, false] {
            let input = story(
                "Monday, 2 November, 2026 - 10:00",
                "Minister Says No Deal on Harbour Tax",
                "Minister speaks in Calder on Monday. (AP)",
                "The minister said there would be no deal on the harbour tax.\n\nThe opposition called it a mistake.",
                doubled,
            ) + &story(
                "Tuesday, 3 November, 2026 - 11:00",
                "Ferry Strike Halts Crossings to Westport Islands",
                "Ferries moored at Westport pier. (Westport Herald)",
                "Crews walked out on Tuesday over pay.\n\nSailings are cancelled until further notice.",
                doubled,
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 2, "doubled {doubled}: {articles:?}");
            assert_eq!(
                paragraphs(&articles[0]),
                [
                    "The minister said there would be no deal on the harbour tax.",
                    "The opposition called it a mistake."
                ],
                "doubled {doubled}"
            );
            assert_eq!(
                articles[1].title,
                "Ferry Strike Halts Crossings to Westport Islands"
            );
            assert_eq!(
                articles[1].published,
                Some("2026-11-03T11:00:00Z".parse().unwrap()),
                "doubled {doubled}"
            );
        }
    }

    #[test]
    fn a_footer_date_stays_with_its_story_and_a_byline_under_a_headline_starts_one() {
        // An update footer, and a headline dated under itself.
        let input = "Harbor storm leaves boats damaged\nNovember 4, 2026\n\
             A storm damaged dozens of boats in the harbor overnight, officials said.\n\
             Repairs are expected to take several weeks, the harbor master said.\n\
             Updated: November 20, 2026\nCouncil approves new budget\nNovember 5, 2026\n\
             The council approved the budget on Monday after a long debate.\n\
             The vote was seven to two, with two members absent.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 2, "{articles:?}");
        assert_eq!(articles[1].title, "Council approves new budget");
        assert_eq!(articles[1].updated, None, "{:?}", articles[1]);
        // Date first, then the headline and a byline under it.
        let input = "Harbor Storm Leaves Boats Damaged\nPosted on November 4, 2026 by Ana Ruiz\n\
             Harbor Storm Leaves Boats Damaged\nPosted on November 4, 2026 by Ana Ruiz\n\
             A storm damaged dozens of boats in the harbor overnight, officials said.\n\
             Repairs are expected to take several weeks, the harbor master said.\n\
             November 5, 2026\nCouncil Approves New Budget\nBy Tom Reyes in Westport\n\
             The council approved the budget on Monday after a long debate.\n\
             The vote was seven to two, with two members absent.\n\
             November 6, 2026\nSchool Opens Its Doors\nBy Mia Chen | Westport Herald\n\
             The new school opened its doors to pupils this week.\n\
             Parents gathered outside the gates from early morning.\n";
        let articles = parse(input);
        let shown: Vec<(&str, Vec<String>, usize)> = articles
            .iter()
            .map(|a| (a.title.as_str(), a.authors.clone(), a.body.len()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "Harbor Storm Leaves Boats Damaged",
                    vec!["Ana Ruiz".to_string()],
                    2
                ),
                (
                    "Council Approves New Budget",
                    vec!["Tom Reyes".to_string()],
                    2
                ),
                ("School Opens Its Doors", vec!["Mia Chen".to_string()], 2),
            ]
        );
        assert_eq!(
            articles[2].published,
            Some("2026-11-06T00:00:00Z".parse().unwrap())
        );
    }

    #[test]
    fn crosshead_becomes_a_subhead() {
        let input = "Court Rules on Land Dispute in Capital\n\nThe ruling came late.\n\n- 'Carried out raids' -\n\nPolice raided homes.\n";
        let a = &parse(input)[0];
        assert_eq!(a.body[1], Block::subhead("Carried out raids"));
        assert_eq!(a.body.len(), 3);
    }

    #[test]
    fn a_crosshead_repeating_a_line_in_another_dress_is_folded() {
        let input = "Court Rules on Land Dispute in Capital\n\nThe ruling came late.\n\n- 'Carried out raids' -\n\n– “Carried out raids” –\n\nCarried out raids\n\n- 'The ruling came late.' -\n\n- 'Court Rules on Land Dispute in Capital' -\n";
        let a = &parse(input)[0];
        assert_eq!(
            a.body,
            [
                Block::paragraph("The ruling came late."),
                Block::subhead("Carried out raids")
            ]
        );
        // A headline with nothing but its own repeats is no article.
        let titled = parse("- 'Carried out raids' -\n– “Carried out raids” –\n");
        assert!(titled.is_empty(), "{titled:?}");
    }

    #[test]
    fn captions_that_show_the_same_are_one_caption() {
        let input = "Court Rules on Land Dispute in Capital\n\nA crowd outside the court. (AP)\nA crowd outside the court.( AP )\n\nThe court sat.\n";
        let a = &parse(input)[0];
        assert_eq!(
            a.captions,
            [Caption::credited("A crowd outside the court.", "AP")]
        );
    }

    #[test]
    fn the_date_line_repeated_in_the_doubled_header_is_folded() {
        let input = "Court Rules on Land Dispute in Capital\n2024-07-29\n\nA crowd outside the court on Monday. (AP)\n\nCourt Rules on Land Dispute in Capital\nJuly 29, 2024\n\nA crowd outside the court on Monday. (AP)\n\nThe court sat.\n";
        let mut reader = DumpReader::new(input.as_bytes(), "t");
        let articles: Vec<Article> = reader.by_ref().map(Result::unwrap).collect();
        assert_eq!(paragraphs(&articles[0]), ["The court sat."]);
        assert_eq!(reader.stats().repeats_folded, 3);
        // A headline that reads as a date is still the headline when repeated.
        let dated = parse(
            "Monday, 29 July, 2024 - 05:30\n\nMonday, 29 July, 2024 - 05:30\n\nPort Authority Approves Harbour Expansion\n",
        );
        assert_eq!(dated[0].published, None);
        assert_eq!(
            paragraphs(&dated[0]),
            ["Port Authority Approves Harbour Expansion"]
        );
    }

    #[test]
    fn a_dump_opening_with_captions_takes_the_next_line_as_headline() {
        let c1 = "The minister’s “final” speech in parliament. (AFP)";
        let c2 = "Volunteers fill sandbags in Ardmore on Tuesday. (AP)";
        let title = "Court Rules on Land Dispute in Capital";
        let a = &parse(&format!(
            "{c1}\n{c1}\n{c2}\n{title}\n\n{c2}\n\nThe court sat.\n"
        ))[0];
        assert_eq!(a.title, title);
        let credits: Vec<_> = a.captions.iter().map(|c| c.credit.as_deref()).collect();
        assert_eq!(credits, [Some("AFP"), Some("AP")]);
        assert_eq!(paragraphs(a), ["The court sat."]);
        // Nothing but captions: the first is the headline, the rest its captions.
        let only = parse(&format!("{c1}\n{c2}\n"));
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].title, c1);
        assert_eq!(only[0].captions[0].credit.as_deref(), Some("AP"));
    }

    #[test]
    fn repeated_body_paragraphs_are_kept_once_in_order() {
        let input = "Court Rules on Land Dispute in Capital\n\nOne.\n\nTwo.\n\nONE.\n\nThree.\n";
        assert_eq!(paragraphs(&parse(input)[0]), ["One.", "Two.", "Three."]);
    }

    #[test]
    fn date_line_under_headline_is_the_published_date() {
        for (line, expected) in [
            ("Monday, 29 July, 2024 - 05:30", "2024-07-29T05:30:00+00:00"),
            ("2024-07-29", "2024-07-29T00:00:00+00:00"),
            ("July 29, 2024", "2024-07-29T00:00:00+00:00"),
        ] {
            let input = format!(
                "Court Rules on Land Dispute in Capital\n{line}\n\nThe court sat.\n\nCourt Rules on Land Dispute in Capital\n"
            );
            let a = &parse(&input)[0];
            assert_eq!(a.published.unwrap().to_rfc3339(), expected, "{line}");
            assert_eq!(paragraphs(a), ["The court sat."]);
        }
    }

    #[test]
    fn a_date_line_whose_time_is_a_bare_hour_dates_the_story() {
        for (line, expected) in [
            (
                "Published 3 December 2026, 5pm",
                "2026-12-03T17:00:00+00:00",
            ),
            ("December 3, 2026 5 p.m. ET", "2026-12-03T22:00:00+00:00"),
            ("3 December 2026 12 noon", "2026-12-03T12:00:00+00:00"),
            ("5pm, 3 December 2026", "2026-12-03T17:00:00+00:00"),
            ("3 December 2026 17h", "2026-12-03T17:00:00+00:00"),
        ] {
            let input =
                format!("Court Rules on Land Dispute in Capital\n{line}\n\nThe court sat.\n");
            let a = &parse(&input)[0];
            assert_eq!(a.published.unwrap().to_rfc3339(), expected, "{line}");
            assert_eq!(paragraphs(a), ["The court sat."], "{line}");
        }
    }

    #[test]
    fn an_age_or_a_relative_day_under_the_headline_is_header_and_dates_nothing() {
        for line in [
            "an hour ago",
            "Updated an hour ago",
            "3h ago",
            "Yesterday",
            "Yesterday at 14:02",
            "Today, 14:02 GMT",
            "Updated Thursday",
            "vor 2 Stunden",
            "il y a 2 heures",
            "hace 2 horas",
        ] {
            let input = format!(
                "Court Rules on Land Dispute in Capital\n\n{line}\n\nThe court sat on Monday to hear the case.\n"
            );
            let a = &parse(&input)[0];
            assert_eq!(a.published, None, "{line}");
            assert_eq!(
                paragraphs(a),
                ["The court sat on Monday to hear the case."],
                "{line}"
            );
        }
        // A paragraph that only opens with such a word is text.
        let input = "Court Rules on Land Dispute in Capital\n\nYesterday the court sat to hear the case.\n\nToday, the judges will rule.\n";
        assert_eq!(
            paragraphs(&parse(input)[0]),
            [
                "Yesterday the court sat to hear the case.",
                "Today, the judges will rule."
            ]
        );
    }

    #[test]
    fn a_date_line_in_year_0_or_9999_dates_nothing_and_splits_nothing() {
        let input = "Archive Opens Records From Year Zero\n0000-01-01\n\nA photo of the archive reading room on Monday. (AP)\n\nArchive Opens Records From Year Zero\nJanuary 1, 0000\n\nThe archive opened on Monday.\n\nTime Capsule Sealed Until the Far Future\n9999-12-31T23:59:59Z\n\nThe capsule was sealed. (Reuters)\n\nTime Capsule Sealed Until the Far Future\n\nIt opens in 9999.\n\nFriday, 31 December, 9999 - 23:59\n";
        let articles = parse(input);
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Archive Opens Records From Year Zero",
                "Time Capsule Sealed Until the Far Future"
            ]
        );
        assert!(articles.iter().all(|a| a.published.is_none()));
        assert_eq!(paragraphs(&articles[0]), ["The archive opened on Monday."]);
        assert_eq!(
            paragraphs(&articles[1]),
            ["It opens in 9999.", "Friday, 31 December, 9999 - 23:59"]
        );
    }

    #[test]
    fn no_date_line_means_no_printed_date() {
        let a = &parse("Court Rules on Land Dispute in Capital\n\nThe court sat.\n")[0];
        assert_eq!(a.published, None);
    }

    #[test]
    fn odd_white_space_crlf_and_bom_are_cleaned() {
        let input = "\u{FEFF}Court\u{00A0}Rules on Land Dispute in Capital  \r\n\r\n  The\tcourt   sat. \r\n";
        let a = &parse(input)[0];
        assert_eq!(a.title, "Court Rules on Land Dispute in Capital");
        assert_eq!(paragraphs(a), ["The court sat."]);
    }

    #[test]
    fn body_lines_without_full_stop_stay_in_the_body() {
        let input = "Court Rules on Land Dispute in Capital\n\nThe court sat.\n\nWhat happens next\n\nAn appeal is likely.\n\nReporting by Jane Doe; editing by John Roe\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].body.len(), 4);
    }

    #[test]
    fn stats_count_folded_repeats() {
        let input = doubled_article(
            "Malta Opens Talks on Harbour Expansion",
            CAPTION,
            &["Body."],
        );
        let mut reader = DumpReader::new(input.as_bytes(), "t");
        assert_eq!(reader.by_ref().count(), 1);
        let stats = reader.stats();
        assert_eq!(stats.articles, 1);
        // caption x3 more, headline x1 more
        assert_eq!(stats.repeats_folded, 4);
    }

    #[test]
    fn invalid_utf8_error_names_file_and_offset() {
        let err = DumpReader::new(&b"Title Here\n\nBad \xFF byte.\n"[..], "dumps/x.txt")
            .find_map(Result::err)
            .unwrap()
            .to_string();
        assert!(
            err.starts_with("dumps/x.txt: invalid UTF-8 at byte offset 16"),
            "{err}"
        );
    }

    #[test]
    fn headlines_ending_in_a_question_or_exclamation_mark_start_articles() {
        let input = "Harbour Council Votes to Rebuild the Old Pier\nMonday, 10 March, 2025 - 08:30\n\n\
            Workers inspect the damaged pier. (Calder Herald)\n\nThe council voted on Monday.\n\n\
            Can the Old Pier Be Saved Before Summer?\nTuesday, 11 March, 2025 - 09:00\n\n\
            Engineers survey the pier from a boat. (Calder Herald)\n\nEngineers say it can.\n\n\
            Pier Repairs: What Happens Next!\n\nA boat passes the closed pier. (Calder Herald)\n\n\
            The council will publish its timetable.\n";
        let articles = parse(input);
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Harbour Council Votes to Rebuild the Old Pier",
                "Can the Old Pier Be Saved Before Summer?",
                "Pier Repairs: What Happens Next!"
            ]
        );
        assert!(articles.iter().all(|a| a.captions.len() == 1));
    }

    #[test]
    fn a_headline_closing_with_an_ellipsis_starts_its_story() {
        let first = "Ferry Timetable Changes From Monday";
        let second = "Harbour Braces for the Storm\u{2026}";
        let caption = "Boats moored in the harbour at dawn (AP)";
        let input = format!(
            "{}{}",
            doubled_article(first, CAPTION, &["The new timetable adds two sailings."]),
            doubled_article(
                second,
                caption,
                &[
                    "Gusts of up to 90 mph are expected.",
                    "The ferry will not sail."
                ]
            ),
        );
        let articles = parse(&input);
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, [first, second], "{articles:?}");
        assert_eq!(
            paragraphs(&articles[0]),
            ["The new timetable adds two sailings."]
        );
        assert_eq!(paragraphs(&articles[1]).len(), 2);
        assert!(headline_shape(second) && reads_as_paragraph(second));
        // A paragraph trailing off stays in its story.
        let input = format!(
            "{first}\n\n{CAPTION}\n\nThe new timetable adds two sailings.\n\n\
             And then the timetable changed again\u{2026}\n\nNobody knew why.\n"
        );
        assert_eq!(parse(&input).len(), 1);
    }

    #[test]
    fn cjk_and_devanagari_sentence_ends_keep_a_paragraph_in_the_body() {
        let zh = "卡尔德港议会投票重建旧码头\n\n工人们在卡尔德检查受损的码头。(AFP)\n\n\
            港口议会周一投票决定重建旧码头。\n\n渔民们在码头旁等待施工开始。(AFP)\n\n\
            这项工程预计耗资约四百万英镑？\n\n议会将于下周公布招标文件。\n\n记者在码头旁。（新华社）\n";
        let articles = parse(zh);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(articles[0].captions.len(), 3);
        assert_eq!(paragraphs(&articles[0]).len(), 3);
        let hi = "बंदरगाह परिषद ने पुराने घाट को फिर से बनाने के लिए मतदान किया\n\n\
            कैल्डर में क्षतिग्रस्त घाट का निरीक्षण करते कर्मचारी (PTI)\n\n\
            परिषद ने सोमवार को पुराने घाट को फिर से बनाने के लिए मतदान किया।\n\n\
            घाट के पास इंतजार करते मछुआरे (PTI)\n\nकाम अगले साल शुरू होगा।\n";
        let articles = parse(hi);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(paragraphs(&articles[0]).len(), 2);
    }

    #[test]
    fn question_and_exclamation_marks_of_every_script_may_close_a_headline() {
        for headline in [
            "円安はどこまで進むのか？",
            "円安が止まらない！",
            "Τι σημαίνει η νέα συμφωνία για τους καταναλωτές;",
            "Τι σημαίνει η νέα συμφωνία για τους καταναλωτές\u{37E}",
            "Τι σημαίνει η συμφωνία για το AI;",
            "هل ينجح اتفاق الميناء؟",
            "Ինչ է սպասվում նավահանգստին՞",
            "የወደቡ ስምምነት ምን ማለት ነው፧",
            "Pier Repairs: What Happens Next‽",
            "«Что будет с портом?»",
        ] {
            assert!(headline_shape(headline), "{headline}");
            assert!(reads_as_paragraph(headline), "{headline}");
        }
    }

    #[test]
    fn full_stops_commas_and_colons_of_every_script_close_no_headline() {
        for line in [
            "Harbour Council Votes to Rebuild the Old Pier;",
            "Le conseil a voté:",
            "港口议会投票重建旧码头。",
            "港口议会投票重建旧码头，",
            "港口议会投票重建旧码头、",
            "مجلس المدينة يوافق على الخطة،",
            "Քաղաքային խորհուրդը հաստատեց ծրագիրը։",
            "የከተማው ምክር ቤት ዕቅዱን አጸደቀ።",
            "የከተማው ምክር ቤት ዕቅዱን አጸደቀ፣",
            "ក្រុមប្រឹក្សាក្រុងបានអនុម័តផែនការ។",
            "မြို့တော်ကောင်စီက အစီအစဉ်ကို အတည်ပြုခဲ့သည်။",
        ] {
            assert!(!headline_shape(line), "{line}");
        }
        // A Latin `;` closing a line of Greek words in another script's
        // text stays a semicolon.
        assert!(!headline_shape("Ministers Meet in Athens: Ναι;"));
    }

    #[test]
    fn the_full_stops_and_colons_of_scripts_without_a_table_of_their_own_close_no_headline() {
        for line in [
            "Ο δήμαρχος είπε ότι οι εργασίες ξεκινούν την άνοιξη\u{387}",
            "Ο δήμαρχος είπε ότι οι εργασίες ξεκινούν την άνοιξη\u{B7}",
            "ܡܘܬܒܐ ܐܫܪ ܬܪܒܝܬܐ ܚܕܬܐ܂",
            "ܡܘܬܒܐ ܐܫܪ ܬܪܒܝܬܐ ܚܕܬܐ܃",
            "ᱥᱟᱱᱛᱟᱲᱤ ᱯᱟᱹᱨᱥᱤ ᱾",
            "ក្រុមប្រឹក្សាបានអនុម័តផែនការថ្មី៕",
            "ក្រុមប្រឹក្សាបានអនុម័តផែនការថ្មី៖",
            "ᠬᠣᠲᠠ ᠶᠢᠨ ᠵᠥᠪᠯᠡᠯ᠉",
            "ᠬᠣᠲᠠ ᠶᠢᠨ ᠵᠥᠪᠯᠡᠯ᠄",
            "ꕞꕌꔳ ꕉꕞ ꘍",
            "ꓡꓲ ꓢꓴ ꓽ꓾",
            "ߊ߬ ߓߘߊ߫ ߞߊ߬ ߸",
            "ꚠꚡ ꛳",
            "Harbour Council Approves New Ferry Terminal Plan\u{5C3}",
        ] {
            assert!(!headline_shape(line), "{line}");
        }
    }

    #[test]
    fn every_sentence_or_terminal_mark_but_a_question_or_exclamation_closes_no_headline() {
        let sentence_terminals = CodePointSetData::new::<SentenceTerminal>();
        let terminal_punctuation = CodePointSetData::new::<TerminalPunctuation>();
        let marks = ('\u{80}'..=char::MAX)
            .filter(|&c| sentence_terminals.contains(c) || terminal_punctuation.contains(c))
            .filter(|c| !QUESTION_AND_EXCLAMATION_MARKS.contains(c));
        for mark in marks {
            let line = format!("The spokesman said more would follow{mark}");
            assert!(!headline_shape(&line), "U+{:04X}", u32::from(mark));
        }
    }

    #[test]
    fn a_quoted_paragraph_in_any_languages_quotes_stays_in_its_story() {
        for quote in [
            "„Wir müssen mit dem Geld auskommen, das wir haben.“",
            "»Wir müssen mit dem Geld auskommen, das wir haben.«",
            "‚Wir müssen mit dem Geld auskommen, das wir haben.‘",
            "« Personne n’a obtenu tout ce qu’il voulait. »",
            "«\u{202f}Personne n’a obtenu tout ce qu’il voulait.\u{202f}»",
        ] {
            let dump = format!(
                "Stadtrat beschließt Haushalt für 2027\n\n\
                 Donnerstag, 3. Dezember 2026, 14:05 Uhr\n\n\
                 Der Stadtrat hat am Donnerstag mit großer Mehrheit den Haushalt beschlossen.\n\n\
                 {quote}\n\n\
                 Der Kämmerer nach der Abstimmung im Rathaus am Donnerstag (dpa)\n\n\
                 Die Opposition kritisierte, dass die Mittel erneut gekürzt worden seien.\n"
            );
            let articles = parse(&dump);
            assert_eq!(articles.len(), 1, "{quote}: {articles:?}");
            assert_eq!(paragraphs(&articles[0]).len(), 3, "{quote}");
        }
    }

    #[test]
    fn a_greek_paragraph_closing_with_the_ano_teleia_stays_in_its_story() {
        let header = "Το Δημοτικό Συμβούλιο Εγκρίνει Το Νέο Σχέδιο Λιμανιού\n\n\
            Επιβάτες περιμένουν στο παλιό λιμάνι τη Δευτέρα (AP)\n\n";
        for mark in ['\u{387}', '\u{B7}'] {
            let dump = format!(
                "{header}{header}Το συμβούλιο ψήφισε τη Δευτέρα υπέρ του νέου σχεδίου.\n\n\
                 Ο δήμαρχος είπε ότι το έργο θα ολοκληρωθεί σε τρία χρόνια{mark} \
                 οι εργασίες ξεκινούν την άνοιξη{mark}\n\n\
                 Ένας σύμβουλος μιλά κατά τη διάρκεια της συνεδρίασης (Reuters)\n\n\
                 Οι αξιωματούχοι είπαν ότι το κόστος θα μοιραστεί με την περιφέρεια.\n"
            );
            let articles = parse(&dump);
            assert_eq!(articles.len(), 1, "{mark}: {articles:?}");
            assert_eq!(paragraphs(&articles[0]).len(), 3, "{mark}");
        }
    }

    #[test]
    fn question_headlines_in_doubled_headers_of_other_scripts_start_their_stories() {
        let story = |headline: &str, caption: &str, date: &str, body: &str| {
            format!(
                "{headline}\n\n{caption}\n{caption}\n\n{headline}\n\n{caption}\n{caption}\n\n\
                 {date}{body}"
            )
        };
        let japanese = [
            story(
                "東京都が新たな防災計画を発表",
                "記者会見する東京都知事（写真：共同）",
                "2024年12月3日 14時05分\n\n",
                "東京都は3日、新たな防災計画を発表した。\n\n避難所の数を2倍に増やす。\n\n",
            ),
            story(
                "円安はどこまで進むのか？",
                "東京外国為替市場の様子（写真：共同）",
                "2024年12月5日 10時00分\n\n",
                "円相場は一時1ドル＝150円台まで値下がりした。\n\n市場関係者は日銀に注目している。\n",
            ),
        ];
        let greek = [
            story(
                "Ο καιρός σήμερα στην Αθήνα",
                "Βροχή στο κέντρο της Αθήνας. (ΑΠΕ)",
                "",
                "Βροχές αναμένονται σήμερα στην Αθήνα.\n\nΗ θερμοκρασία θα κυμανθεί στους 15 βαθμούς.\n\n",
            ),
            story(
                "Τι σημαίνει η νέα συμφωνία για τους καταναλωτές;",
                "Καταναλωτές σε σούπερ μάρκετ στην Αθήνα. (ΑΠΕ)",
                "",
                "Η κυβέρνηση υπέγραψε νέα συμφωνία για τις τιμές.\n\nΗ συμφωνία θα ισχύσει για έξι μήνες.\n",
            ),
        ];
        for [first, second] in [japanese, greek] {
            let articles = parse(&format!("{first}{second}"));
            let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(
                titles,
                [first.lines().next(), second.lines().next()].map(Option::unwrap)
            );
            for article in &articles {
                assert_eq!(article.captions.len(), 1, "{article:?}");
                assert_eq!(paragraphs(article).len(), 2, "{article:?}");
            }
        }
    }

    #[test]
    fn a_greek_question_in_a_body_stays_a_paragraph() {
        let input = "Ο καιρός σήμερα στην Αθήνα\n\nΒροχή στο κέντρο της Αθήνας. (ΑΠΕ)\n\n\
            Βροχές αναμένονται σήμερα στην Αθήνα.\n\nΘα κρατήσει η βροχή ως το βράδυ;\n\n\
            Η θερμοκρασία θα κυμανθεί στους 15 βαθμούς.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(paragraphs(&articles[0]).len(), 3);
    }

    const BRIDGE: &str = "Bridge Reopens After Months of Repairs in the Old Town";
    const BRIDGE_BODY: &str = "The bridge reopened on Monday after six months of repairs.\n\n\
        Council engineers said the work had finished a week ahead of schedule.\n";

    #[test]
    fn an_uncredited_caption_in_a_doubled_header_splits_nothing() {
        for caption in [
            "Cyclists cross the bridge on its first morning.",
            "Cyclists Cross the Bridge on Its First Morning",
        ] {
            for copies in [format!("{caption}\n{caption}\n"), format!("{caption}\n")] {
                let input = format!(
                    "{BRIDGE}\n\n{copies}\n{BRIDGE}\nJuly 29, 2024\n\n{copies}\n{BRIDGE_BODY}"
                );
                let articles = parse(&input);
                assert_eq!(articles.len(), 1, "{input}: {articles:?}");
                let a = &articles[0];
                assert_eq!(a.title, BRIDGE);
                assert_eq!(
                    a.published.unwrap().to_rfc3339(),
                    "2024-07-29T00:00:00+00:00"
                );
                assert_eq!(paragraphs(a).len(), 2, "{input}");
                assert_eq!(a.captions.len(), 1);
                assert_eq!(a.captions[0].text, caption);
                assert_eq!(a.captions[0].credit, None);
            }
        }
        // Two uncredited captions, each doubled.
        let (c1, c2) = ("Cyclists cross the bridge.", "The mayor opens it.");
        let input = format!(
            "{BRIDGE}\n\n{c1}\n{c1}\n{c2}\n{c2}\n\n{BRIDGE}\n\n{c1}\n{c1}\n{c2}\n{c2}\n\n{BRIDGE_BODY}"
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(articles[0].captions.len(), 2);
        assert_eq!(paragraphs(&articles[0]).len(), 2);
    }

    #[test]
    fn uncredited_captions_between_credited_ones_in_a_doubled_header_split_nothing() {
        let (u1, c1) = (
            "Cyclists cross the bridge on its first morning",
            "The mayor cuts the ribbon on the east bank. (AP)",
        );
        let (u2, c2) = (
            "Boats pass under the new span",
            "Crowds gather on the west bank after the opening. (Getty Images)",
        );
        let copy = format!("{u1}\n{u1}\n\n{c1}\n{c1}\n\n{u2}\n{u2}\n\n{c2}\n{c2}\n\n");
        for date in ["", "Monday, 29 July 2024\n\n"] {
            let input = format!("{BRIDGE}\n\n{date}{copy}{BRIDGE}\n\n{date}{copy}{BRIDGE_BODY}");
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{input}: {articles:?}");
            let a = &articles[0];
            assert_eq!(a.title, BRIDGE);
            assert_eq!(
                captions(a),
                [
                    (u1, None),
                    ("The mayor cuts the ribbon on the east bank.", Some("AP")),
                    (u2, None),
                    (
                        "Crowds gather on the west bank after the opening.",
                        Some("Getty Images")
                    ),
                ],
                "{input}"
            );
            assert_eq!(
                paragraphs(a),
                BRIDGE_BODY
                    .lines()
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>(),
                "{input}"
            );
        }
    }

    #[test]
    fn furniture_between_the_copies_of_a_doubled_header_keeps_its_uncredited_caption() {
        let caption = "Cyclists cross the bridge on its first morning";
        for furniture in ["Advertisement", "Share", "Listen to this article"] {
            for (first, second) in [
                (BRIDGE.to_string(), BRIDGE.to_string()),
                (format!("{BRIDGE} | Calder Herald"), BRIDGE.to_string()),
            ] {
                for copies in [format!("{caption}\n{caption}\n"), format!("{caption}\n")] {
                    let input = format!(
                        "{first}\n{copies}{furniture}\n{second}\n{copies}July 29, 2024\n\n{BRIDGE_BODY}"
                    );
                    let articles = parse(&input);
                    assert_eq!(articles.len(), 1, "{input}: {articles:?}");
                    let a = &articles[0];
                    assert_eq!(a.title, BRIDGE, "{input}");
                    assert!(a.published.is_some(), "{input}");
                    assert_eq!(a.captions.len(), 1, "{input}");
                    assert_eq!(a.captions[0].text, caption);
                    assert_eq!(a.captions[0].credit, None);
                    assert_eq!(paragraphs(a).len(), 2, "{input}");
                }
            }
        }
    }

    #[test]
    fn a_doubled_header_with_the_site_name_on_one_headline_is_one_article() {
        let credited = "A cyclist crosses the new footbridge on Friday. (Calder Herald)";
        let uncredited = "A cyclist crosses the new footbridge on Friday.";
        for suffix in [
            " | Calder Herald",
            " - Calder Herald",
            " \u{2013} Calder Herald",
            " :: Calder Herald",
            " \u{2022} Calder Herald",
            " · calder-herald.com",
            " - Local News - Calder Herald",
            " \u{ff5c} Calder Herald",
            "\u{ff5c}Calder Herald",
        ] {
            let dressed = format!("{BRIDGE}{suffix}");
            for caption in [credited, uncredited] {
                for (first, second) in [(dressed.as_str(), BRIDGE), (BRIDGE, dressed.as_str())] {
                    let input = format!(
                        "{first}\n\n{caption}\n{caption}\n\n{second}\n\n{caption}\n{caption}\n\n\
                         December 4, 2026\n\n{BRIDGE_BODY}"
                    );
                    let articles = parse(&input);
                    assert_eq!(articles.len(), 1, "{input}: {articles:?}");
                    let a = &articles[0];
                    assert_eq!(a.title, BRIDGE, "{input}");
                    assert_eq!(a.captions.len(), 1, "{input}");
                    assert_eq!(paragraphs(a).len(), 2, "{input}");
                    assert_eq!(a.origin.line, 1);
                    assert!(a.published.is_some(), "{input}");
                }
            }
        }
        // Another headline over the same caption is another article.
        let other = "Council Approves Budget for the Coming Year | Calder Herald";
        let input = format!(
            "{other}\n\n{credited}\n\nThe council approved the budget on Thursday.\n\n\
             {BRIDGE}\n\n{credited}\n{credited}\n\n{BRIDGE_BODY}"
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 2, "{articles:?}");
        assert_eq!(articles[0].title, other);
        assert_eq!(articles[1].title, BRIDGE);
    }

    #[test]
    fn a_doubled_header_with_a_site_name_after_a_full_width_bar_is_one_article() {
        let headline = "城市更新行动在上海全面启动";
        let caption = "工人在上海市中心的施工现场作业。（新华社）";
        for dressed in [
            format!("{headline} ｜ 新华网"),
            format!("{headline}｜新华网"),
        ] {
            let input = format!(
                "{dressed}\n\n{caption}\n{caption}\n\n{headline}\n2026年12月3日 14:05\n\n\
                 上海市政府周四宣布，城市更新行动将在全市十六个区全面启动。\n\n\
                 市长在新闻发布会上表示，项目总投资约为三千亿元。\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{dressed}: {articles:?}");
            let a = &articles[0];
            assert_eq!(a.title, headline);
            assert_eq!(a.captions.len(), 1);
            assert_eq!(a.captions[0].credit.as_deref(), Some("新华社"));
            assert_eq!(paragraphs(a).len(), 2);
        }
    }

    #[test]
    fn a_label_inside_a_captions_brackets_is_no_part_of_its_credit() {
        for (credit, name) in [
            ("(Photo: AFP)", "AFP"),
            ("(Image: Getty Images)", "Getty Images"),
            ("[Credit: Ana Ruiz/AP]", "Ana Ruiz/AP"),
            ("(photo: Reuters)", "Reuters"),
            ("(AFP)", "AFP"),
            // A name that starts with `Credit` is no label.
            ("(Credit Suisse)", "Credit Suisse"),
            ("(Crédit Agricole)", "Crédit Agricole"),
            ("(Credit Karma)", "Credit Karma"),
        ] {
            let caption = format!("Passengers wait at the ferry terminal in Westport. {credit}");
            let articles = parse(&doubled_article(
                "Ferry Services Cut as Fuel Costs Rise",
                &caption,
                &[
                    "The island ferry operator said on Tuesday it would cut winter sailings by a third.",
                ],
            ));
            assert_eq!(articles.len(), 1, "{credit}");
            assert_eq!(
                articles[0].captions[0].credit.as_deref(),
                Some(name),
                "{credit}"
            );
        }
    }

    #[test]
    fn a_label_of_another_script_inside_a_captions_brackets_comes_off() {
        for (line, credit) in [
            ("Здание Государственной думы в Москве (Фото: ТАСС)", "ТАСС"),
            (
                "Здание Государственной думы в Москве (Фото: Reuters)",
                "Reuters",
            ),
            ("אנשים ברחוב בתל אביב (צילום: רויטרס)", "רויטרס"),
            ("記者会見する日銀の総裁（写真：共同）", "共同"),
            ("기자회견을 하는 총재 (사진: 연합뉴스)", "연합뉴스"),
            ("Người dân di chuyển đồ đạc (Ảnh: TTXVN)", "TTXVN"),
            ("ประชาชนขนย้ายสิ่งของ (ภาพ: รอยเตอร์)", "รอยเตอร์"),
            ("راكبو الدراجات على الجسر (تصوير: رويترز)", "رويترز"),
        ] {
            assert_eq!(
                split_credit(line).map(|(_, c)| c).as_deref(),
                Some(credit),
                "{line}"
            );
        }
    }

    #[test]
    fn captions_credited_with_french_polish_italian_or_german_labels_stay_captions() {
        for (line, caption, credit) in [
            (
                "Le maire de Lyon lors de la conférence de presse, jeudi. Crédit : AFP",
                "Le maire de Lyon lors de la conférence de presse, jeudi.",
                "AFP",
            ),
            (
                "Le maire de Lyon lors de la conférence de presse, jeudi. (Crédit : AFP)",
                "Le maire de Lyon lors de la conférence de presse, jeudi.",
                "AFP",
            ),
            (
                "Burmistrz podczas konferencji prasowej (Fot. PAP)",
                "Burmistrz podczas konferencji prasowej",
                "PAP",
            ),
            (
                "Burmistrz podczas konferencji prasowej. Fot. PAP/Leszek Szymański",
                "Burmistrz podczas konferencji prasowej.",
                "PAP/Leszek Szymański",
            ),
            (
                "Il sindaco durante la conferenza stampa. Foto di Marco Rossi",
                "Il sindaco durante la conferenza stampa.",
                "Marco Rossi",
            ),
            (
                "Der Bürgermeister auf der Pressekonferenz. Quelle: dpa",
                "Der Bürgermeister auf der Pressekonferenz.",
                "dpa",
            ),
        ] {
            let articles = parse(&format!(
                "Council Approves Harbour Expansion Plan\n\n{line}\n\n3 December 2026\n\n\
                 The council voted on Thursday to approve the harbour plan after a long debate.\n\n\
                 Work will start in the spring and take three years.\n"
            ));
            assert_eq!(articles.len(), 1, "{line}: {articles:?}");
            let captions: Vec<(&str, Option<&str>)> = articles[0]
                .captions
                .iter()
                .map(|c| (c.text.as_str(), c.credit.as_deref()))
                .collect();
            assert_eq!(captions, [(caption, Some(credit))], "{line}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{line}");
        }
    }

    #[test]
    fn bylines_in_scripts_without_capitals_or_joined_in_more_languages_are_header() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Автор: Иван Петров и Мария Иванова",
                &["Иван Петров", "Мария Иванова"],
            ),
            (
                "Autor: Jan Kowalski i Anna Nowak",
                &["Jan Kowalski", "Anna Nowak"],
            ),
            ("بقلم أحمد خالد", &["أحمد خالد"]),
            ("מאת דנה לוי", &["דנה לוי"]),
            ("लेखक: राहुल शर्मा", &["राहुल शर्मा"]),
            ("Yazan: Ahmet Yılmaz", &["Ahmet Yılmaz"]),
            ("Текст: Иван Петров", &["Иван Петров"]),
        ];
        for &(byline, authors) in cases {
            for caption in ["", "\nThe harbour at dawn on Thursday. (AFP)\n"] {
                let articles = parse(&format!(
                    "Council Approves Harbour Expansion Plan\n\n3 December 2026\n{byline}\n{caption}\n\
                     The council voted on Thursday to approve the harbour plan after a long debate.\n\n\
                     Work will start in the spring and take three years.\n"
                ));
                assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
                assert_eq!(articles[0].authors, authors, "{byline}");
                assert_eq!(paragraphs(&articles[0]).len(), 2, "{byline}: {articles:?}");
                assert!(
                    articles[0]
                        .captions
                        .iter()
                        .all(|c| !c.text.contains(byline)),
                    "{byline}: {articles:?}"
                );
            }
        }
    }

    #[test]
    fn more_photo_labels_of_more_languages_come_off_a_bracketed_credit() {
        for (line, credit) in [
            ("工人在上海市中心的施工现场作业。（图：新华社）", "新华社"),
            ("工人在上海市中心的施工现场作业。（图片：新华社）", "新华社"),
            ("工人在上海市中心的施工现场作业。（摄影：新华社）", "新华社"),
            ("工人在上海市中心的施工现场作业。（摄：新华社）", "新华社"),
            ("工人在上海市中心的施工現場作業。（圖：中央社）", "中央社"),
            ("工人在上海市中心的施工現場作業。（攝影：中央社）", "中央社"),
            ("記者会見する日銀の総裁（撮影：共同）", "共同"),
            ("दिल्ली में मेट्रो स्टेशन पर यात्री (फोटो: पीटीआई)", "पीटीआई"),
            ("दिल्ली में मेट्रो स्टेशन पर यात्री (फ़ोटो: पीटीआई)", "पीटीआई"),
            ("दिल्ली में मेट्रो स्टेशन पर यात्री (तस्वीर: पीटीआई)", "पीटीआई"),
            ("Ποδηλάτες στη γέφυρα (Φωτ.: AP)", "AP"),
            ("Ποδηλάτες στη γέφυρα (Φωτογραφία: Reuters)", "Reuters"),
            ("Ποδηλάτες στη γέφυρα (ΦΩΤΟ: Eurokinissi)", "Eurokinissi"),
            ("راكبو الدراجات على الجسر (الصورة: رويترز)", "رويترز"),
            ("راكبو الدراجات على الجسر (صورة: رويترز)", "رويترز"),
            ("기자회견을 하는 총재 (사진=연합뉴스)", "연합뉴스"),
            ("기자회견을 하는 총재 [사진=연합뉴스]", "연합뉴스"),
            ("기자회견을 하는 총재 (사진제공=서울시)", "서울시"),
            ("ประชาชนขนย้ายสิ่งของ (ภาพถ่าย: รอยเตอร์)", "รอยเตอร์"),
            ("Cyclists on the bridge (Fotografía: EFE)", "EFE"),
            ("Cyclistes sur le pont (Crédit photo : AFP)", "AFP"),
            ("Rowerzyści na moście (Fot.: PAP)", "PAP"),
            ("Велосипедисты на мосту (Фотография: ТАСС)", "ТАСС"),
        ] {
            assert_eq!(
                split_credit(line).map(|(_, c)| c).as_deref(),
                Some(credit),
                "{line}"
            );
        }
        // A name that only starts like a label keeps its first word.
        assert_eq!(
            split_credit("Cyclists on the bridge (Fotografías del Sur)")
                .map(|(_, c)| c)
                .as_deref(),
            Some("Fotografías del Sur")
        );
    }

    #[test]
    fn a_date_line_with_a_weekday_in_brackets_is_no_caption() {
        for date in [
            "2026年12月3日（木）",
            "2026年12月3日(木)",
            "2026年12月3日（星期四）",
        ] {
            let input = format!(
                "日銀、追加利上げを決定\n\n{date}\n\n記者会見する日銀の総裁（共同）\n記者会見する日銀の総裁（共同）\n\n日銀、追加利上げを決定\n\n日本銀行は３日、金融政策決定会合を開いた。\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{date}: {articles:?}");
            assert_eq!(
                articles[0].published.map(|d| d.to_rfc3339()).as_deref(),
                Some("2026-12-03T00:00:00+00:00"),
                "{date}"
            );
            assert_eq!(articles[0].captions.len(), 1, "{date}");
        }
    }

    #[test]
    fn a_date_line_in_another_language_stays_in_the_header() {
        for date in [
            "Обновлено: 3 декабря 2026, 12:40",
            "3 декабря 2026, 12:40 МСК",
            "更新：2026年12月3日 14時05分",
            "2026년 12월 3일 14:05",
            "Ngày 3 tháng 12 năm 2026",
            "Cập nhật: 03-12-2026 14:05",
            "2026年12月3日 14时05分",
            "Revised: July 29, 2024",
        ] {
            let input = doubled_article(
                "Cabinet Approves Emergency Funds for Flood Victims",
                "Residents move belongings away from floodwater in Hat Yai (Reuters)",
                &["The cabinet on Tuesday approved three billion baht from the central budget."],
            )
            .replacen("\n\n", &format!("\n\n{date}\n\n"), 1);
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{date}: {articles:?}");
            assert_eq!(
                articles[0].title,
                "Cabinet Approves Emergency Funds for Flood Victims"
            );
            assert_eq!(articles[0].captions.len(), 1, "{date}");
        }
    }

    #[test]
    fn a_date_line_written_decomposed_dates_the_story_and_stays_in_the_header() {
        use unicode_normalization::UnicodeNormalization;
        for (date, expected) in [
            ("2026년 12월 3일 14:05", "2026-12-03T14:05:00+00:00"),
            ("Ngày 3 tháng 12 năm 2026", "2026-12-03T00:00:00+00:00"),
            ("3 décembre 2026 à 14h05", "2026-12-03T14:05:00+00:00"),
            (
                "Mis à jour le 3 décembre 2026 à 14h05",
                "2026-12-03T14:05:00+00:00",
            ),
        ] {
            let composed = doubled_article(
                "Cabinet Approves Emergency Funds for Flood Victims",
                "Residents move belongings away from floodwater in Hat Yai (Reuters)",
                &["The cabinet on Tuesday approved three billion baht from the central budget."],
            )
            .replacen("\n\n", &format!("\n\n{date}\n\n"), 1);
            let decomposed: String = composed.nfd().collect();
            let (nfc, nfd) = (parse(&composed), parse(&decomposed));
            assert_eq!(nfd.len(), 1, "{date}: {nfd:?}");
            let dated = |a: &Article| a.published.or(a.updated).map(|d| d.to_rfc3339());
            assert_eq!(dated(&nfd[0]).as_deref(), Some(expected), "{date}");
            assert_eq!(
                (nfd[0].published, nfd[0].updated),
                (nfc[0].published, nfc[0].updated)
            );
            assert_eq!(paragraphs(&nfd[0]), paragraphs(&nfc[0]), "{date}");
        }
    }

    #[test]
    fn a_byline_closed_by_its_date_names_the_authors_and_keeps_the_headline() {
        for (byline, authors) in [
            ("By Gareth Owen, 15 November, 2026", &["Gareth Owen"][..]),
            ("By Gareth Owen, 15 November 2026", &["Gareth Owen"]),
            (
                "By Gareth Owen, Tarn Gazette, Monday, 15 November, 2026",
                &["Gareth Owen"],
            ),
            (
                "By Gareth Owen and Ana Ruiz, 2026-11-15",
                &["Gareth Owen", "Ana Ruiz"],
            ),
        ] {
            let input = format!(
                "Flood defences open on the Tarn\n\n{byline}\n\nA flood barrier on the River Tarn was opened on Saturday.\n\nThe barrier can be raised in under an hour.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
            assert_eq!(articles[0].title, "Flood defences open on the Tarn");
            assert_eq!(articles[0].authors, authors, "{byline}");
        }
    }

    #[test]
    fn bylines_are_authors_and_credit_trailers_stay_in_the_body() {
        let caption = "Workers inspect the damaged pier in Calder. (Calder Herald)";
        for (byline, authors) in [
            ("By Martha Quill, Calder Herald", &["Martha Quill"][..]),
            (
                "By Martha Quill and Tom Reyes",
                &["Martha Quill", "Tom Reyes"],
            ),
            (
                "By Martha Quill, Tom Reyes and Ana de la Cruz",
                &["Martha Quill", "Tom Reyes", "Ana de la Cruz"],
            ),
            // A name after the last comma is no affiliation.
            ("By Martha Quill, Tom Reyes", &["Martha Quill", "Tom Reyes"]),
            (
                "By Martha Quill, Political Correspondent",
                &["Martha Quill"],
            ),
            ("By Martha Quill, Reuters", &["Martha Quill"]),
            // Where the author filed from, or for whom, is no author.
            ("By Martha Quill in Calder", &["Martha Quill"]),
            ("By Martha Quill in New Calder", &["Martha Quill"]),
            (
                "By Martha Quill and Tom Reyes in Calder",
                &["Martha Quill", "Tom Reyes"],
            ),
            ("By Martha Quill for the Calder Herald", &["Martha Quill"]),
            ("By Martha Quill | Calder Herald", &["Martha Quill"]),
            ("By Martha Quill · Calder Herald", &["Martha Quill"]),
            ("By Martha Quill — Calder Herald", &["Martha Quill"]),
        ] {
            let input = format!(
                "{BRIDGE}\n\n{caption}\n\n{BRIDGE}\nMonday, 10 March, 2025 - 08:30\n{byline}\n\n{caption}\n\n{BRIDGE_BODY}"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
            assert_eq!(articles[0].authors, authors);
            assert_eq!(paragraphs(&articles[0]).len(), 2);
        }
        let input = format!(
            "{BRIDGE}\n\n{caption}\n\n{BRIDGE_BODY}\nReporting by Martha Quill; Editing by Tom Reyes\n\n\
             Our Standards: The Thomson Reuters Trust Principles.\n"
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(paragraphs(&articles[0]).len(), 4);
        for line in [
            "By Air and Sea, Refugees Flee Home",
            "By the Numbers: Pier Repairs",
            "By Train in Winter",
            "By Martha Quill in a Storm of Letters",
            "By Boat for Calder",
        ] {
            assert_eq!(byline_names(line), None, "{line}");
        }
    }

    #[test]
    fn bylines_in_other_languages_name_the_authors_under_the_headline() {
        for (byline, author) in [
            ("Par Hélène Marchand", "Hélène Marchand"),
            ("Von Jonas Albrecht", "Jonas Albrecht"),
            ("Por Lucía Ortega", "Lucía Ortega"),
            ("Di Giulia Ferraro", "Giulia Ferraro"),
            ("Door Sanne de Vries", "Sanne de Vries"),
            ("Автор: Ольга Смирнова", "Ольга Смирнова"),
            ("Autor: Tomasz Nowak", "Tomasz Nowak"),
            ("Por: Lucía Ortega", "Lucía Ortega"),
            ("PAR Hélène Marchand", "Hélène Marchand"),
        ] {
            let input = format!(
                "La municipalité de Nantes rouvre le pont Anne-de-Bretagne\n\n\
                 3 décembre 2026\n\n{byline}\n\n\
                 Des piétons traversent le pont rouvert à Nantes. (AFP)\n\n\
                 Le pont Anne-de-Bretagne a rouvert mercredi matin après huit mois de travaux.\n\n\
                 La circulation des tramways reprendra lundi prochain.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
            assert_eq!(
                articles[0].title, "La municipalité de Nantes rouvre le pont Anne-de-Bretagne",
                "{byline}"
            );
            assert_eq!(articles[0].authors, [author], "{byline}");
            assert!(articles[0].published.is_some(), "{byline}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{byline}");
        }
        // Words that open a sentence or a headline are no byline.
        for line in [
            "Par ailleurs, le maire a démissionné",
            "Von der Leyen besucht Kiew",
            "Por fin llega la lluvia",
            "Autor des Jahres gekürt",
            "Parade Marks City Anniversary",
        ] {
            assert_eq!(byline_names(line), None, "{line}");
        }
    }

    #[test]
    fn two_author_bylines_in_other_languages_keep_the_headline_and_name_both() {
        for (byline, authors) in [
            ("By Ana Ruiz and Tom Reyes", ["Ana Ruiz", "Tom Reyes"]),
            (
                "Von Katrin Vogel und Jan Berg",
                ["Katrin Vogel", "Jan Berg"],
            ),
            (
                "Par Claire Dubois et Marc Petit",
                ["Claire Dubois", "Marc Petit"],
            ),
            (
                "Por Lucía Gómez y Pedro Ruiz",
                ["Lucía Gómez", "Pedro Ruiz"],
            ),
            (
                "Di Marco Rossi e Anna Bianchi",
                ["Marco Rossi", "Anna Bianchi"],
            ),
            (
                "Door Sanne de Vries en Jan Berg",
                ["Sanne de Vries", "Jan Berg"],
            ),
        ] {
            let input = format!(
                "Council adopts new cycle network plan\n\n{byline}\n\n30 November 2026\n\n\
                 The council adopted a new cycle network on Monday evening, with 24 kilometres of new lanes.\n\n\
                 The cost is estimated at 18 million euros, two thirds of it paid by the region.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
            assert_eq!(articles[0].title, "Council adopts new cycle network plan");
            assert_eq!(articles[0].authors, authors, "{byline}");
            assert!(articles[0].published.is_some(), "{byline}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{byline}");
        }
        // Wire copy sets the names in capitals before the agency.
        assert_eq!(
            byline_names("By ANA RUIZ and TOM REYES Associated Press"),
            Some(vec!["ANA RUIZ".to_string(), "TOM REYES".to_string()])
        );
        // A headline joining two words with `und` or `y` names no one.
        for line in ["Von Kiel und Lübeck nach Berlin", "Por Madrid y Barcelona"] {
            assert_eq!(byline_names(line), None, "{line}");
        }
    }

    /// A doubled header whose date line is followed by `byline`, then a body
    /// of two paragraphs.
    fn ferry_story_with_byline(byline: &str) -> String {
        let headline = "Ferry Operator Cancels Winter Timetable";
        let caption = "Passengers wait at the Calder ferry terminal on Monday. (AP)";
        format!(
            "{headline}\n\n{caption}\n{caption}\n\n{headline}\n\n{caption}\n{caption}\n\n\
             December 3, 2026\n{byline}\n\n\
             The ferry operator cancelled its winter timetable on Monday, citing a shortage of crew.\n\n\
             Islanders said the decision left them cut off for days at a time.\n"
        )
    }

    #[test]
    fn bylines_naming_places_agencies_or_newsrooms_stay_in_the_header() {
        for (byline, authors) in [
            ("By Martha Quill with AFP", &["Martha Quill"][..]),
            ("Par Claire Dubois à Paris", &["Claire Dubois"]),
            ("Von Katrin Vogel aus Berlin", &["Katrin Vogel"]),
            ("Por Lucía Gómez desde Madrid", &["Lucía Gómez"]),
            (
                "By Martha Quill in Calder and Tom Reyes",
                &["Martha Quill", "Tom Reyes"],
            ),
            (
                "By Martha Quill in Calder and Tom Reyes in London",
                &["Martha Quill", "Tom Reyes"],
            ),
            ("Von Katrin Vogel für die Calder Zeitung", &["Katrin Vogel"]),
            (
                "By Martha Quill with Tom Reyes",
                &["Martha Quill", "Tom Reyes"],
            ),
            ("By Martha Quill and agencies", &["Martha Quill"]),
            ("Von Katrin Vogel und Agenturen", &["Katrin Vogel"]),
            ("By Calder Herald staff", &["Calder Herald staff"]),
            ("By Reuters", &["Reuters"]),
            ("By AFP", &["AFP"]),
            ("By dpa", &["dpa"]),
            ("By AP reporters", &["AP reporters"]),
            // Not wholly split: the name it opens with is the author.
            (
                "By Martha Quill with additional reporting from our correspondents",
                &["Martha Quill"],
            ),
            (
                "Par Claire Dubois, Marc Petit et Léa Martin",
                &["Claire Dubois", "Marc Petit", "Léa Martin"],
            ),
            (
                "Von Katrin Vogel, Jan Berg und Eva Roth",
                &["Katrin Vogel", "Jan Berg", "Eva Roth"],
            ),
            (
                "Por Lucía Gómez, Pedro Ruiz y Ana Torres",
                &["Lucía Gómez", "Pedro Ruiz", "Ana Torres"],
            ),
            (
                "Door Jan de Vries, Pieter Bakker en Eva Jansen",
                &["Jan de Vries", "Pieter Bakker", "Eva Jansen"],
            ),
        ] {
            let articles = parse(&ferry_story_with_byline(byline));
            assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
            assert_eq!(articles[0].title, "Ferry Operator Cancels Winter Timetable");
            assert_eq!(articles[0].authors, authors, "{byline}");
            assert!(articles[0].published.is_some(), "{byline}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{byline}");
        }
        // Each author's own role, outlet or place is no author either.
        for (byline, authors) in [
            (
                "By Martha Quill, Political Editor, in Calder",
                &["Martha Quill"][..],
            ),
            (
                "By Martha Quill, Calder Herald, and Tom Reyes, Reuters",
                &["Martha Quill", "Tom Reyes"],
            ),
            (
                "By Martha Quill, Political Editor, and Tom Reyes",
                &["Martha Quill", "Tom Reyes"],
            ),
            (
                "Par Claire Dubois, AFP, et Marc Petit, Reuters",
                &["Claire Dubois", "Marc Petit"],
            ),
        ] {
            let articles = parse(&ferry_story_with_byline(byline));
            assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
            assert_eq!(articles[0].authors, authors, "{byline}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{byline}");
        }
        // A co-author's name in an ancestry (`da Silva`) is no place.
        assert_eq!(
            byline_names("By Marco Antonio da Silva"),
            Some(vec!["Marco Antonio da Silva".to_string()])
        );
        // Sentences and headlines opening with `By` name no one.
        for line in [
            "By Christmas the town had run out of sandbags.",
            "By the Numbers: Pier Repairs in Calder",
            "Von der Leyen besucht Kiew",
        ] {
            assert_eq!(byline_lead_author(line), None, "{line}");
        }
    }

    #[test]
    fn a_line_with_the_published_and_the_updated_date_dates_both() {
        for line in [
            "Publié le 4 novembre 2026 à 08h30, modifié le 4 novembre 2026 à 17h05",
            "Published 4 November 2026 08:30, updated 4 November 2026 17:05",
        ] {
            let input = format!(
                "Le port de Marseille ouvre un nouveau terminal de croisière\n\n{line}\n\n\
                 Le nouveau terminal du port de Marseille a accueilli mardi son premier paquebot.\n\n\
                 Les riverains craignent une hausse de la pollution dans le quartier d'Arenc.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{line}: {articles:?}");
            let article = &articles[0];
            assert_eq!(
                article.published,
                "2026-11-04T08:30:00Z".parse().ok(),
                "{line}"
            );
            assert_eq!(
                article.updated,
                "2026-11-04T17:05:00Z".parse().ok(),
                "{line}"
            );
            assert!(
                paragraphs(article)[0].starts_with("Le nouveau terminal"),
                "{line}"
            );
        }
    }

    #[test]
    fn a_date_line_above_the_headline_dates_the_article_below() {
        let caption = "Workers inspect the damaged pier in Calder. (Calder Herald)";
        let date = "Monday, 10 March, 2025 - 08:30";
        for (top, second_date) in [(date, date), (date, ""), ("Advertisement", date)] {
            let input = format!(
                "{top}\n\n{BRIDGE}\n\n{caption}\n{caption}\n\n{BRIDGE}\n{second_date}\n\n{caption}\n\n{BRIDGE_BODY}"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{top}: {articles:?}");
            assert_eq!(articles[0].title, BRIDGE);
            assert_eq!(
                articles[0].published.unwrap().to_rfc3339(),
                "2025-03-10T08:30:00+00:00"
            );
        }
    }

    #[test]
    fn a_headline_with_no_text_is_no_article() {
        assert!(parse("Advertisement\n").is_empty());
        let input = format!(
            "{BRIDGE}\n\nRail Strike Halts Trains Across the North\n\nA caption of a quiet platform. (AP)\n\nTrains stopped.\n"
        );
        let mut reader = DumpReader::new(input.as_bytes(), "t");
        let titles: Vec<String> = reader.by_ref().map(|a| a.unwrap().title).collect();
        assert_eq!(titles, ["Rail Strike Halts Trains Across the North"]);
        assert_eq!(reader.stats().articles, 1);
    }

    #[test]
    fn an_updated_line_in_the_header_is_the_update_date() {
        let caption = "Workers inspect the damaged pier in Calder. (Calder Herald)";
        let published = "Published: July 29, 2024 05:30 GMT";
        let updated = "Updated: July 30, 2024 10:00 GMT";
        for dates in [
            format!("{published}\n{updated}"),
            format!("{updated}\n{published}"),
        ] {
            let input =
                format!("{BRIDGE}\n\n{caption}\n\n{BRIDGE}\n{dates}\n\n{caption}\n\n{BRIDGE_BODY}");
            let articles = parse(&input);
            assert_eq!(articles.len(), 1);
            let a = &articles[0];
            assert_eq!(
                a.published.unwrap().to_rfc3339(),
                "2024-07-29T05:30:00+00:00"
            );
            assert_eq!(a.updated.unwrap().to_rfc3339(), "2024-07-30T10:00:00+00:00");
            assert_eq!(paragraphs(a).len(), 2, "{dates}");
        }
    }

    /// Two stories, each a headline, a date line under it and two
    /// paragraphs; the second's date line is `second_date`.
    #[test]
    fn list_items_and_spelled_out_abbreviations_stay_in_the_body() {
        let items = [
            "• Argentina (Mercosur)",
            "• Brazil (Mercosur)",
            "- Beef quotas for South American exporters (Mercosur)",
            "– Deforestation rules set by the European Commission (EC)",
            "1. The European Commission (EC)",
            "2) The World Trade Organization (WTO)",
            "The full text is published by the World Trade Organization (WTO)",
        ];
        let input = format!(
            "{BRIDGE}\n\nWorkers inspect the damaged pier in Calder. (Calder Herald)\n\n\
             {BRIDGE_BODY}\nThe parties taking part:\n{}\nMinisters meet again on Friday.\n",
            items.join("\n")
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(articles[0].captions.len(), 1, "{articles:?}");
        let body = paragraphs(&articles[0]);
        assert_eq!(body[3..3 + items.len()], items);
        for item in items {
            assert_eq!(classify(item), Kind::Text, "{item}");
        }
        // A caption's credit stays one, also when the caption's capitalised
        // words have its initials.
        for caption in [
            "A police officer stands guard in Pinewood last week (AP)",
            "Tennis player Anna Petrova (AP)",
            "Alexander Petrov arrives in Calder (AP)",
            "Emergency Crews at the scene (EC)",
            "Workers inspect the damaged pier in Calder (AP)",
            "Delegates leave the World Trade Organization building (Reuters)",
            "Fans celebrate in the streets of Buenos Aires (AFP)",
        ] {
            assert!(
                matches!(classify(caption), Kind::Caption { .. }),
                "{caption}"
            );
        }
    }

    #[test]
    fn tags_days_and_scorers_in_brackets_make_no_caption_and_split_no_story() {
        // A headline tagged as sites tag them starts its own story.
        for tag in ["(VIDEO)", "(Photos)", "(Live)", "(Part 2)", "[Updated]"] {
            let second = format!("Storm Batters Calder Coast {tag}");
            let input = format!(
                "{}{}",
                doubled_article(BRIDGE, CAPTION, &["The bridge reopened on Monday."]),
                doubled_article(
                    &second,
                    "Waves crash over the sea wall. (Reuters)",
                    &["Gusts reached 90 mph."]
                ),
            );
            let articles = parse(&input);
            let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(titles, [BRIDGE, second.as_str()], "{input}");
            assert_eq!(articles[1].captions.len(), 1, "{input}");
        }
        // A list of events with their days and times, under a subheading,
        // and a results roundup with its scorers stay text of one story.
        let input = "Calder Winter Fair Opens in the Market Square\n\n\
            Friday, 4 December 2026\n\nStalls in the square on the first evening. (Calder Herald)\n\n\
            The winter fair opened on Friday with 90 stalls.\n\n\
            Events This Weekend at the Fair\n\n\
            Brass band on the harbour wall (Saturday, 7.30pm)\n\
            Lantern walk along the quay (Sunday, 5pm)\n\
            Late-night opening on Market Street (December 12)\n\n\
            The fair is open every day until Christmas Eve.\n\n\
            Harbour United 2 Northgate Town 1\n\
            Ward 3, Lowe 81 (Harbour United); Price 50 (Northgate)\n\n\
            United stay third after the win.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(
            captions(&articles[0]),
            [(
                "Stalls in the square on the first evening.",
                Some("Calder Herald")
            )]
        );
        assert_eq!(paragraphs(&articles[0]).len(), 9, "{articles:?}");
    }

    #[test]
    fn a_doubled_header_whose_captions_have_their_credits_initials_opens_its_story() {
        let caption = "A police officer stands guard in Pinewood last week (AP)";
        let input = format!(
            "Central Bank Rejects Border Checks\n\nThe port authority filed an appeal on Monday.\n\n\
             University Council Halts Rail Timetable\n\n{caption}\n{caption}\n\n\
             University Council Halts Rail Timetable\n\n{caption}\n{caption}\n\n\
             According to an economist, the project had the backing of most residents.\n"
        );
        let articles = parse(&input);
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Central Bank Rejects Border Checks",
                "University Council Halts Rail Timetable"
            ]
        );
        assert_eq!(articles[0].body.len(), 1, "{articles:?}");
        assert_eq!(articles[1].captions.len(), 1, "{articles:?}");
    }

    #[test]
    fn a_dated_sentence_case_headline_given_twice_in_a_row_opens_its_story() {
        let story = |twice: bool| {
            let headline = "Is the harbour safe?\n";
            format!(
                "The talks began on Monday.\nReporting by Jane Doe; editing by John Roe\n\
                 Monday, 29 July, 2024 - 05:30\n{}\
                 \"We were not ready,\" a teacher said.\n",
                headline.repeat(if twice { 2 } else { 1 })
            )
        };
        let (once, twice) = (parse(&story(false)), parse(&story(true)));
        assert_eq!(once.len(), 2, "{once:?}");
        for (a, b) in once.iter().zip(&twice) {
            assert_eq!(a.title, b.title);
            assert_eq!(a.published, b.published);
            assert_eq!(paragraphs(a), paragraphs(b));
        }
        assert_eq!(twice.len(), 2, "{twice:?}");
        assert_eq!(twice[1].title, "Is the harbour safe?");
        assert_eq!(
            paragraphs(&twice[0]),
            ["Reporting by Jane Doe; editing by John Roe"]
        );
    }

    #[test]
    fn a_date_line_above_each_sentence_case_headline_opens_its_story() {
        for (input, titles) in [
            (
                "3 December 2026\nFerry service suspended after storm\n\
                 High winds forced the cancellation of all sailings on Tuesday.\n\
                 Passengers were offered refunds.\n\
                 4 December 2026\nRoad closed after lorry crash\n\
                 The A9 was closed for three hours.\n\
                 Police are appealing for witnesses.\n",
                [
                    "Ferry service suspended after storm",
                    "Road closed after lorry crash",
                ],
            ),
            (
                "Donnerstag, 3. Dezember 2026\nFährverkehr nach Sturm eingestellt\n\
                 Wegen starker Winde fielen am Dienstag alle Fahrten aus.\n\
                 Freitag, 4. Dezember 2026\nStraße nach Unfall gesperrt\n\
                 Die A9 war drei Stunden lang gesperrt.\n",
                [
                    "Fährverkehr nach Sturm eingestellt",
                    "Straße nach Unfall gesperrt",
                ],
            ),
        ] {
            let articles = parse(input);
            let shown: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(shown, titles, "{articles:?}");
            let days: Vec<String> = articles
                .iter()
                .map(|a| a.published.unwrap().format("%d").to_string())
                .collect();
            assert_eq!(days, ["03", "04"]);
            assert!(
                articles
                    .iter()
                    .all(|a| paragraphs(a).iter().all(|p| p.ends_with('.'))),
                "{articles:?}"
            );
        }
        // A caption between the date line and the headline leaves the
        // date with the story before, as folding leaves it there.
        let input = "3 December 2026\nFerry service suspended after storm\n\
                     High winds forced the cancellation of all sailings on Tuesday.\n\
                     4 December 2026\nVolunteers fill sandbags in Ardmore on Tuesday. (AP)\n\
                     Road closed after lorry crash\nThe A9 was closed for three hours.\n";
        let titles: Vec<String> = parse(input).into_iter().map(|a| a.title).collect();
        assert_eq!(
            titles,
            [
                "Ferry service suspended after storm",
                "Road closed after lorry crash"
            ]
        );
        // A date line that dates nothing, a line under it that reads as a
        // sentence, or one over a question, opens nothing.
        for inside in [
            "Updated 21:07 GMT\nCrews worked through the night\n",
            "4 December 2026\nThe road reopened at noon.\n",
            "4 December 2026\nWhat happens next\nIs the road safe?\n",
        ] {
            let input = format!(
                "Ferry Service Suspended After Storm\n3 December 2026\n\
                 High winds forced the cancellation of all sailings on Tuesday.\n\
                 {inside}Passengers were offered refunds.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{input}: {articles:?}");
        }
    }

    fn two_dated_stories(second_date: &str) -> String {
        format!(
            "Harbour Board Approves New Ferry Timetable\n\n3 December 2026\n\n\
             The harbour board approved a new timetable after months of talks.\n\n\
             Officials said the change would take effect in the new year.\n\n\
             Library Reopens After Eight Months Of Flood Repairs\n\n{second_date}\n\n\
             The central library reopened after eight months of repairs.\n\n\
             Staff said almost all of the damaged books had been replaced.\n"
        )
    }

    #[test]
    fn date_lines_of_more_shapes_open_their_story_and_date_it() {
        for (date_line, published) in [
            ("3-Dec-2026", Some("2026-12-03T00:00:00Z")),
            ("2026/12/03", Some("2026-12-03T00:00:00Z")),
            ("2026-12-03T10:00Z", Some("2026-12-03T10:00:00Z")),
            ("2026-12-03T10:00+01:00", Some("2026-12-03T09:00:00Z")),
            (
                "Thu, 03 Dec 2026 10:00:00 -0500",
                Some("2026-12-03T15:00:00Z"),
            ),
            ("December 3, 2026 10:00 -0500", Some("2026-12-03T15:00:00Z")),
            ("2026-12-03 10:00 -05:00", Some("2026-12-03T15:00:00Z")),
            // No day: a date line that dates nothing.
            ("2 hours ago", None),
            ("Updated 21:07 GMT", None),
        ] {
            for doubled in [false, true] {
                let mut input = two_dated_stories(date_line);
                if doubled {
                    input = input.replace(
                        "Library Reopens After Eight Months Of Flood Repairs\n\n",
                        &format!(
                            "Library Reopens After Eight Months Of Flood Repairs\n{date_line}\n"
                        ),
                    );
                }
                let articles = parse(&input);
                assert_eq!(articles.len(), 2, "{date_line}: {articles:?}");
                let second = &articles[1];
                assert_eq!(
                    second.title,
                    "Library Reopens After Eight Months Of Flood Repairs"
                );
                assert_eq!(
                    second.published,
                    published.map(|p| p.parse().unwrap()),
                    "{date_line}"
                );
                assert_eq!(paragraphs(&articles[0]).len(), 2, "{date_line}");
                assert_eq!(paragraphs(second).len(), 2, "{date_line}");
            }
        }
    }

    #[test]
    fn an_update_label_after_the_body_is_the_stories_update() {
        let story = |title: &str, date: &str, footer: &str| {
            format!(
                "{title}\n\n{date}\n\n\
                 The harbour board approved a new timetable after months of talks.\n\n\
                 Officials said the change would take effect in the new year.\n\n{footer}"
            )
        };
        for (footer, updated) in [
            ("Updated: November 20, 2026", "2026-11-20T00:00:00Z"),
            (
                "Last updated: Nov. 20, 2026 at 9:10 a.m. ET",
                "2026-11-20T14:10:00Z",
            ),
        ] {
            let first = story(
                "Harbour Board Approves New Ferry Timetable",
                "November 18, 2026",
                &format!("{footer}\n\n"),
            );
            let last = story(
                "Library Reopens After Eight Months Of Flood Repairs",
                "November 19, 2026",
                footer,
            );
            // Before the next story, and at the end of the dump.
            let articles = parse(&format!("{first}{last}"));
            assert_eq!(articles.len(), 2, "{footer}: {articles:?}");
            for article in &articles {
                assert_eq!(article.updated, Some(updated.parse().unwrap()), "{footer}");
                assert_eq!(paragraphs(article).len(), 2, "{footer}");
            }
        }
        // Inside the body (a live story's entries), it stays in the text.
        let input = story(
            "Harbour Board Approves New Ferry Timetable",
            "November 18, 2026",
            "Updated: November 20, 2026\n\nThe first sailing under the new timetable left on time.\n",
        );
        let articles = parse(&input);
        assert_eq!(articles[0].updated, None);
        assert_eq!(paragraphs(&articles[0]).len(), 4);
    }

    #[test]
    fn a_date_above_a_headline_dated_under_itself_stays_in_that_header() {
        for (under, published, updated) in [
            (
                "Updated: December 2, 2026 16:00 GMT",
                "2026-12-02T00:00:00Z",
                Some("2026-12-02T16:00:00Z"),
            ),
            ("December 2, 2026 10:00 GMT", "2026-12-02T10:00:00Z", None),
        ] {
            let input = format!(
                "December 1, 2026\n\nHarbour Board Approves New Ferry Timetable\n\n\
                 The harbour board approved a new timetable after months of talks.\n\n\
                 Officials said the change would take effect in the new year.\n\n\
                 December 2, 2026\n\nLibrary Reopens After Eight Months Of Flood Repairs\n\n\
                 {under}\n\nThe central library reopened after eight months of repairs.\n\n\
                 Staff said almost all of the damaged books had been replaced.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 2, "{under}: {articles:?}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{under}");
            assert_eq!(
                articles[0].published,
                Some("2026-12-01T00:00:00Z".parse().unwrap())
            );
            let second = &articles[1];
            assert_eq!(paragraphs(second).len(), 2, "{under}");
            assert_eq!(
                second.published,
                Some(published.parse().unwrap()),
                "{under}"
            );
            assert_eq!(
                second.updated,
                updated.map(|u| u.parse().unwrap()),
                "{under}"
            );
        }
    }

    #[test]
    fn page_furniture_under_a_headline_is_passed_over() {
        let body = "Ferry crews walked out on Tuesday over rosters.\n\nSailings were cancelled.\n";
        for junk in [
            "Advertisement",
            "Share",
            "Listen to this article",
            "5 min read",
            "Facebook",
            "Copy link",
            "Share on WhatsApp",
            "1 of 6",
        ] {
            for header in [
                "By Tom Reyes",
                "December 1, 2026",
                "A ferry at the quay. (AFP)",
            ] {
                let story =
                    format!("Ferry Crews Strike Over New Rosters\n\n{junk}\n\n{header}\n\n{body}");
                let input = format!(
                    "Harbour Fees Rise for Yachts\n\n2 December 2026\n\nFees rose.\n\n{story}"
                );
                for dump in [story.clone(), input] {
                    let articles = parse(&dump);
                    let last = articles.last().unwrap();
                    assert_eq!(
                        last.title, "Ferry Crews Strike Over New Rosters",
                        "{junk} / {header}"
                    );
                    assert!(!paragraphs(last).contains(&junk), "{junk}");
                    assert_eq!(paragraphs(last).len(), 2, "{junk} / {header}");
                }
            }
        }
    }

    #[test]
    fn a_link_to_another_story_in_a_body_splits_nothing() {
        for link in [
            "Read more: Tram Fares to Rise in January",
            "READ MORE: Tram Fares to Rise in January",
            "Related: Tram Fares to Rise in January",
            "See also : Tram Fares to Rise in January",
        ] {
            let input = format!(
                "Council Approves New Tram Line\n\nA tram at the depot on Tuesday (AP)\nA tram at the depot on Tuesday (AP)\n\n\
                 Council Approves New Tram Line\n\n3 December 2026\n\n\
                 The council voted on Tuesday to build a tram line.\n\n{link}\n\n\
                 The line is expected to open in 2029.\n\nWork will start next spring.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{link}: {articles:?}");
            assert_eq!(articles[0].title, "Council Approves New Tram Line");
            // In the body it stays a paragraph; in the header it is dropped.
            assert_eq!(paragraphs(&articles[0]).len(), 4, "{link}");
            assert_eq!(paragraphs(&articles[0])[1], link);
            let input = format!(
                "Council Approves New Tram Line\n\n{link}\n\n3 December 2026\n\n\
                 The council voted on Tuesday to build a tram line.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{link}: {articles:?}");
            assert!(articles[0].published.is_some(), "{link}");
            assert_eq!(paragraphs(&articles[0]).len(), 1, "{link}");
        }
        for line in [
            "Read more about it",
            "Related Parties Face New Rules",
            "Read More Books, Says Minister",
        ] {
            assert!(!page_furniture(line), "{line}");
        }
    }

    #[test]
    fn headlines_listed_under_a_label_alone_are_links_and_split_nothing() {
        for label in [
            "Related",
            "Related:",
            "READ MORE:",
            "Also read:",
            "See also",
            "Read next",
        ] {
            let input = format!(
                "Council Approves New Tram Line\n\n3 December 2026\n\n\
                 The council voted on Tuesday to build a tram line.\n\n{label}\n\n\
                 Tram Fares to Rise in January\n\nDepot Workers Vote to Strike Over Pay\n\n\
                 The line is expected to open in 2029.\n\nWork will start next spring.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{label}: {articles:?}");
            let kept = paragraphs(&articles[0]);
            assert_eq!(kept.len(), 6, "{label}: {kept:?}");
            // Each link is kept under its label, as page furniture.
            let bare = label.trim_end_matches(':');
            assert_eq!(kept[2], format!("{bare}: Tram Fares to Rise in January"));
            assert!(
                kept[1..4].iter().all(|line| page_furniture(line)),
                "{kept:?}"
            );
            assert_eq!(kept[5], "Work will start next spring.");
        }
        // The first line under a label alone over a paragraph is the next
        // story's headline: a teaser's `Read more` closed the story before.
        let input = "Council Approves New Tram Line\n\n3 December 2026\n\n\
                     The council voted on Tuesday to build a tram line.\n\nRead more\n\n\
                     Library Reopens After Flood Repairs\n\n\
                     The central library reopened on Monday after repairs.\n";
        let titles: Vec<_> = parse(input).into_iter().map(|a| a.title).collect();
        assert_eq!(
            titles,
            [
                "Council Approves New Tram Line",
                "Library Reopens After Flood Repairs"
            ]
        );
        // The next story's headline, with its header under it, is no link.
        let input = "Council Approves New Tram Line\n\n3 December 2026\n\n\
                     The council voted on Tuesday to build a tram line.\n\nRelated\n\n\
                     Tram Fares to Rise in January\n\nDepot Workers Vote to Strike Over Pay\n\n\
                     4 December 2026\n\nDepot workers voted to strike.\n";
        let titles: Vec<_> = parse(input).into_iter().map(|a| a.title).collect();
        assert_eq!(
            titles,
            [
                "Council Approves New Tram Line",
                "Depot Workers Vote to Strike Over Pay"
            ]
        );
    }

    #[test]
    fn a_timeline_of_dates_over_events_stays_in_its_story() {
        let timeline = "Key dates:\n\nMarch 3, 2019\nCouncil approves the extension\n\
                        June 12, 2021\nWork begins on the Eastfield depot\n\
                        September 3, 2024\nOpening postponed after cracks are found\n\n";
        let after = "The trams will run every eight minutes.\n\nFares are unchanged.\n";
        for (header, body) in [
            (
                "17 November 2026\n\n",
                format!("The tram extension opened on Tuesday.\n\n{timeline}{after}"),
            ),
            // Right under the header.
            (
                "17 November 2026\nBy Tom Reyes\n\n",
                format!("{}{after}", &timeline["Key dates:\n\n".len()..]),
            ),
        ] {
            let input = format!("Calder Tram Extension Opens After Delays\n\n{header}{body}");
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{articles:?}");
            assert_eq!(
                articles[0].published,
                Some("2026-11-17T00:00:00Z".parse().unwrap())
            );
            let kept = paragraphs(&articles[0]);
            for line in [
                "March 3, 2019",
                "Council approves the extension",
                "September 3, 2024",
                "Opening postponed after cracks are found",
                "Fares are unchanged.",
            ] {
                assert!(kept.contains(&line), "{line}: {kept:?}");
            }
        }
        // A first date that is no date line (a month and a year) heads an
        // event all the same.
        let input = format!(
            "Calder Tram Extension Opens After Delays\n\n17 November 2026\n\n\
             The tram extension opened on Tuesday.\n\nMarch 2019\n\n\
             The council approves the extension\n\n{}{after}",
            &timeline["Key dates:\n\nMarch 3, 2019\nCouncil approves the extension\n".len()..]
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(paragraphs(&articles[0]).len(), 9);
        // One date over one line is a headline dated above, as before.
        let input = "Calder Tram Extension Opens After Delays\n\n17 November 2026\n\n\
                     The tram extension opened on Tuesday.\n\n18 November 2026\n\n\
                     Bus lane opens on the ring road\n\nThe bus lane opened on Wednesday.\n";
        assert_eq!(parse(input).len(), 2);
    }

    #[test]
    fn a_last_line_without_a_full_stop_over_an_update_footer_stays_in_the_body() {
        for last in ["The council meets again on Thursday", "What happens next?"] {
            let story = format!(
                "Harbour Board Approves New Ferry Timetable\n\nNovember 18, 2026\n\n\
                 The harbour board approved a new timetable after months of talks.\n\n\
                 {last}\n\nUpdated: December 2, 2026\n"
            );
            let next = "\nLibrary Reopens After Eight Months Of Flood Repairs\n\n\
                        November 19, 2026\n\nThe central library reopened.\n";
            // At the end of the dump, and before the next story.
            for (input, count) in [(story.clone(), 1), (format!("{story}{next}"), 2)] {
                let articles = parse(&input);
                assert_eq!(articles.len(), count, "{last}: {articles:?}");
                let first = &articles[0];
                assert_eq!(paragraphs(first).last(), Some(&last), "{last}");
                assert_eq!(
                    first.updated,
                    Some("2026-12-02T00:00:00Z".parse().unwrap()),
                    "{last}"
                );
            }
        }
    }

    #[test]
    fn a_line_opening_with_a_dash_is_no_headline() {
        for line in [
            "— Calder Police (@CalderPolice) December 3, 2026",
            "— Calder Police Statement",
            "- Calder Police Statement on the Storm",
            "– Ana Ruiz (@AnaRuiz) December 3, 2026",
        ] {
            let input = format!(
                "Storm Damage Along Calder Seafront\n\n3 December 2026\n\n\
                 The storm damaged dozens of beach huts overnight.\n\n\
                 Please stay away from the promenade pic.twitter.com/abc123\n{line}\n\n\
                 The promenade will stay closed until Friday.\n\n\
                 Repairs will begin next week, the council said.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{line}: {articles:?}");
            assert_eq!(paragraphs(&articles[0]).len(), 5, "{line}");
        }
        // A mark standing alone is no word of a Title Case headline.
        assert!(!is_title_case_headline("Calder Police • Statement"));
        assert!(is_title_case_headline("Calder Police • Statement Issued"));
    }

    #[test]
    fn a_byline_closed_by_a_date_after_a_bullet_dash_or_space_is_a_byline() {
        for (byline, published, updated) in [
            ("By Martha Quill • 3 December 2026", "2026-12-03", None),
            ("By Martha Quill - 3 December 2026", "2026-12-03", None),
            ("By Martha Quill – 3 December 2026", "2026-12-03", None),
            ("By Martha Quill 3 December 2026", "2026-12-03", None),
            ("By Martha Quill, 3 December 2026", "2026-12-03", None),
            ("By Martha Quill | December 3, 2026", "2026-12-03", None),
            (
                "By Martha Quill • Published 3 December 2026",
                "2026-12-03",
                None,
            ),
            (
                "By Martha Quill · Published: December 3, 2026",
                "2026-12-03",
                None,
            ),
            (
                "By Martha Quill Updated 4 December 2026",
                "2026-12-03",
                Some("2026-12-04"),
            ),
        ] {
            for dated in [true, false] {
                let date = if dated { "3 December 2026\n\n" } else { "" };
                let input = format!(
                    "Harbour Board Approves New Budget Plan\n\nThe harbour board on Tuesday (AP)\n\
                     The harbour board on Tuesday (AP)\n\nHarbour Board Approves New Budget Plan\n\n\
                     {date}{byline}\n\nThe harbour board approved its budget on Tuesday.\n\n\
                     It includes money for new cranes.\n\nThe vote was unanimous.\n"
                );
                let articles = parse(&input);
                assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
                let a = &articles[0];
                assert_eq!(a.title, "Harbour Board Approves New Budget Plan");
                assert_eq!(a.authors, ["Martha Quill"], "{byline}");
                assert_eq!(paragraphs(a).len(), 3, "{byline}");
                let day = |d: Option<DateTime<Utc>>| d.map(|d| d.date_naive().to_string());
                if dated || updated.is_none() {
                    assert_eq!(day(a.published).as_deref(), Some(published), "{byline}");
                }
                if dated {
                    assert_eq!(day(a.updated).as_deref(), updated, "{byline}");
                }
            }
        }
        // Two words of a name at least come before the date.
        assert_eq!(
            byline_names("By April May 3 December 2026"),
            Some(vec!["April May".to_string()])
        );
        assert_eq!(byline_names("By Martha 3 December 2026"), None);
    }

    #[test]
    fn a_byline_naming_its_agency_in_brackets_is_no_caption() {
        for (byline, authors) in [
            ("By Martha Quill (Reuters)", &["Martha Quill"][..]),
            ("By Martha Quill [AFP]", &["Martha Quill"]),
            (
                "By Martha Quill and Tom Reyes (AP)",
                &["Martha Quill", "Tom Reyes"],
            ),
        ] {
            assert_eq!(classify(byline), Kind::Text, "{byline}");
            let input = format!(
                "Harbour Board Approves New Budget Plan\n\nThe harbour board on Tuesday (AP)\n\
                 The harbour board on Tuesday (AP)\n\nHarbour Board Approves New Budget Plan\n\n\
                 3 December 2026\n\n{byline}\n\nThe harbour board approved its budget on Tuesday.\n\n\
                 The vote was unanimous.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
            assert_eq!(articles[0].authors, authors, "{byline}");
            assert_eq!(articles[0].captions.len(), 1, "{byline}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{byline}");
        }
        // A caption of a person's photo stays one.
        assert!(matches!(
            classify("Martha Quill on Tuesday (Reuters)"),
            Kind::Caption { .. }
        ));
    }

    #[test]
    fn a_standfirst_under_a_title_case_headline_is_its_first_paragraph() {
        let input = "Ferry Crews Strike Over New Rosters\n\nSailings to the islands are cancelled until Friday, the operator says\n\nBy Tom Reyes\n\nFerry crews walked out on Tuesday.\n\nHarbour Fees Rise for Visiting Yachts\n\nOwners will pay 12% more from January\n\nDecember 1, 2026\n\nHarbour fees rose on Monday.\n";
        let articles = parse(input);
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Ferry Crews Strike Over New Rosters",
                "Harbour Fees Rise for Visiting Yachts"
            ]
        );
        assert_eq!(articles[0].authors, ["Tom Reyes"]);
        assert_eq!(
            paragraphs(&articles[0]),
            [
                "Sailings to the islands are cancelled until Friday, the operator says",
                "Ferry crews walked out on Tuesday."
            ]
        );
        assert!(articles[1].published.is_some());
        assert_eq!(
            paragraphs(&articles[1])[0],
            "Owners will pay 12% more from January"
        );
        // A body line without a full stop before a headline stays the body's.
        let input = "Ferry Crews Strike Over New Rosters\n\nBy Tom Reyes\n\nFerry crews walked out.\n\nWhat happens next\n\nHarbour Fees Rise for Visiting Yachts\n\nBy Ana Ruiz\n\nFees rose.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[1].title, "Harbour Fees Rise for Visiting Yachts");
        assert_eq!(
            paragraphs(&articles[0]),
            ["Ferry crews walked out.", "What happens next"]
        );
    }

    #[test]
    fn captions_credited_by_more_labels_and_bare_agencies_keep_the_story_whole() {
        for (caption, text, credit) in [
            (
                "A ferry at the quay. Photo credit: AP",
                "A ferry at the quay.",
                "AP",
            ),
            (
                "A ferry at the quay. Image credits: Ana Ruiz/AFP",
                "A ferry at the quay.",
                "Ana Ruiz/AFP",
            ),
            (
                "A ferry at the quay. Photographer: Jan Nowak/Bloomberg",
                "A ferry at the quay.",
                "Jan Nowak/Bloomberg",
            ),
            (
                "A ferry at the quay. REUTERS/Jan Nowak",
                "A ferry at the quay.",
                "REUTERS/Jan Nowak",
            ),
            (
                "A ferry at the quay. Getty Images",
                "A ferry at the quay.",
                "Getty Images",
            ),
            (
                "A ferry at the quay. Jan Nowak | Reuters",
                "A ferry at the quay.",
                "Jan Nowak | Reuters",
            ),
        ] {
            let second = "Passengers wait at the terminal. (Reuters)";
            let single = format!(
                "Ferry Crews Strike Over New Rosters\n\n{caption}\n{second}\n\nFerry crews walked out.\n"
            );
            let doubled = doubled_article(
                "Ferry Crews Strike Over New Rosters",
                second,
                &[
                    caption,
                    caption,
                    "December 1, 2026",
                    "Ferry crews walked out.",
                ],
            );
            for input in [single, doubled] {
                let articles = parse(&input);
                assert_eq!(articles.len(), 1, "{caption}");
                assert_eq!(articles[0].title, "Ferry Crews Strike Over New Rosters");
                assert!(
                    articles[0]
                        .captions
                        .contains(&Caption::credited(text, credit)),
                    "{caption}: {:?}",
                    articles[0].captions
                );
                assert_eq!(
                    paragraphs(&articles[0]),
                    ["Ferry crews walked out."],
                    "{caption}"
                );
            }
        }
        // A sentence naming an agency without a full stop before it is text.
        assert_eq!(
            split_credit("Shares fell after the report by Reuters"),
            None
        );
    }

    #[test]
    fn date_lines_of_toolbar_shapes_keep_their_story_apart() {
        for date in [
            "3 Dec 2026 2.05pm",
            "Published on: 03 Dec 2026, 14:05 IST",
            "3 December 2026 · 4 min read",
            "3 December 2026 12:00 noon",
        ] {
            let articles = parse(&two_dated_stories(date));
            assert_eq!(articles.len(), 2, "{date}");
            assert!(articles[1].published.is_some(), "{date}");
        }
    }

    #[test]
    fn a_byline_under_a_posted_on_line_is_header() {
        let posted = "Posted on August 12, 2026 by Ana Ruiz\nBy Ana Ruiz";
        let single =
            format!("Ferry Crews Strike Over New Rosters\n\n{posted}\n\nFerry crews walked out.\n");
        let doubled = doubled_article(
            "Ferry Crews Strike Over New Rosters",
            "A ferry at the quay. (AFP)",
            &[],
        )
        .replacen(
            "\n\nFerry Crews",
            &format!("\n\n{posted}\n\nFerry Crews"),
            1,
        ) + &format!("{posted}\n\nFerry crews walked out.\n");
        for input in [single, doubled] {
            let articles = parse(&input);
            assert_eq!(articles.len(), 1);
            assert_eq!(articles[0].authors, ["Ana Ruiz"]);
            assert_eq!(paragraphs(&articles[0]), ["Ferry crews walked out."]);
            assert!(articles[0].captions.iter().all(|c| c.text != "By Ana Ruiz"));
        }
    }

    #[test]
    fn a_pull_quote_given_twice_in_a_body_splits_nothing() {
        for quote in [
            "“Nobody got everything they wanted”",
            "A ferry at the quay on Sunday",
        ] {
            let input = format!(
                "Ferry Crews Strike Over New Rosters\n\nDecember 1, 2026\n\nFerry crews walked out.\n\n{quote}\n{quote}\n\nSailings were cancelled.\n\nTalks resume on Friday.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{quote}");
            assert_eq!(
                paragraphs(&articles[0]),
                [
                    "Ferry crews walked out.",
                    quote,
                    "Sailings were cancelled.",
                    "Talks resume on Friday."
                ]
            );
        }
    }

    const HARBOUR: &str = "Harbour Plan Wins Council Approval";
    const HARBOUR_BODY: &str = "The council approved the new harbour plan on Tuesday after a long debate.\n\nOpponents said the plan would raise mooring fees for small boat owners.";

    /// The captions of `article`, each its text and credit.
    fn captions(article: &Article) -> Vec<(&str, Option<&str>)> {
        article
            .captions
            .iter()
            .map(|c| (c.text.as_str(), c.credit.as_deref()))
            .collect()
    }

    #[test]
    fn headline_copies_in_other_punctuation_quotes_labels_or_cut_short_are_one_headline() {
        let caption = "Boats moored in the harbour at dawn (AP)";
        for (copy, title) in [
            (
                "Harbour Plan Wins Council Approval!",
                "Harbour Plan Wins Council Approval!",
            ),
            (
                "Harbour Plan Wins Council Approval?",
                "Harbour Plan Wins Council Approval?",
            ),
            ("Harbour Plan Wins Council Approval.", HARBOUR),
            ("Harbour Plan Wins Council Approval…", HARBOUR),
            ("Harbour Plan Wins Council Approval...", HARBOUR),
            ("Harbour Plan Wins Council…", HARBOUR),
            ("Harbour Plan Wins Coun...", HARBOUR),
            (
                "\u{201c}Harbour Plan Wins Council Approval\u{201d}",
                "\u{201c}Harbour Plan Wins Council Approval\u{201d}",
            ),
            ("LIVE: Harbour Plan Wins Council Approval", HARBOUR),
            ("Calder Herald: Harbour Plan Wins Council Approval", HARBOUR),
        ] {
            for (first, second) in [(copy, HARBOUR), (HARBOUR, copy)] {
                let input =
                    format!("{first}\n\n{caption}\n\n{second}\n\n{caption}\n\n{HARBOUR_BODY}");
                let articles = parse(&input);
                assert_eq!(articles.len(), 1, "{first} / {second}");
                assert_eq!(paragraphs(&articles[0]).len(), 2, "{first} / {second}");
                let expected = if first == copy { title } else { HARBOUR };
                assert_eq!(articles[0].title, expected, "{first} / {second}");
            }
        }
        // Other headlines stay apart: a cut copy opens the other's words,
        // three at least.
        let words = headline_words(HARBOUR);
        for other in [
            "Harbour Plan Loses…",
            "Harbour Plan…",
            "Harbour Plan Wins Vote",
        ] {
            assert!(!same_headline_words(other, HARBOUR, &words), "{other}");
        }
    }

    #[test]
    fn a_caption_credited_on_one_copy_of_the_header_is_one_caption_with_its_credit() {
        let text = "Boats moored in the harbour at dawn";
        for (first, second) in [
            (
                format!("{text} (AP)\n{text} (AP)"),
                format!("{text}\n{text}"),
            ),
            (
                format!("{text}\n{text}"),
                format!("{text} (AP)\n{text} (AP)"),
            ),
            (format!("{text} (AP)"), text.to_string()),
            (text.to_string(), format!("{text} (AP)")),
        ] {
            let input = format!("{HARBOUR}\n\n{first}\n\n{HARBOUR}\n\n{second}\n\n{HARBOUR_BODY}");
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{input}");
            assert_eq!(captions(&articles[0]), [(text, Some("AP"))], "{input}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{input}");
        }
    }

    #[test]
    fn a_caption_split_over_two_lines_is_one_caption() {
        let whole = "Boats moored in the harbour at dawn on Tuesday as the council met";
        for split in [
            format!("{whole}\n(AP)"),
            "Boats moored in the harbour at dawn on Tuesday\nas the council met (AP)".to_string(),
        ] {
            let input =
                format!("{HARBOUR}\n\n{split}\n\n{HARBOUR}\n\n{whole} (AP)\n\n{HARBOUR_BODY}");
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{split}");
            assert_eq!(captions(&articles[0]), [(whole, Some("AP"))], "{split}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{split}");
        }
        // A credit alone under a blank line is no part of the line above.
        let input = format!(
            "{HARBOUR}\n\nBoats moored at dawn (AP)\n\nThe council met on Tuesday.\n\n(AP)\n\nThe vote was close."
        );
        let articles = parse(&input);
        assert!(paragraphs(&articles[0]).contains(&"The council met on Tuesday."));
    }

    #[test]
    fn a_dump_cut_inside_its_headers_second_copy_holds_the_header_alone() {
        let header = format!(
            "{HARBOUR}\n\n3 December 2026 10:15 GMT\n\nBoats moored in the harbour at dawn (AP)"
        );
        for cut in [
            format!("{HARBOUR}\n\n3 December 2026 10:15 GMT\n\nBoats moored in the har"),
            format!(
                "{HARBOUR}\n\n3 December 2026 10:15 GMT\n\nBoats moored in the harbour at dawn (A"
            ),
            "Harbour Plan Wi".to_string(),
        ] {
            let articles = parse(&format!("{header}\n\n{cut}\n"));
            assert_eq!(articles.len(), 1, "{cut}");
            let a = &articles[0];
            assert_eq!(a.title, HARBOUR);
            assert!(a.body.is_empty(), "{cut}: {:?}", a.body);
            assert_eq!(
                captions(a),
                [("Boats moored in the harbour at dawn", Some("AP"))]
            );
            assert!(a.published.is_some());
        }
        // Further up the dump, such a line is text.
        let input = format!("{header}\n\nBoats moored\n\nThe vote was close.");
        assert_eq!(
            paragraphs(&parse(&input)[0]),
            ["Boats moored", "The vote was close."]
        );
    }

    #[test]
    fn an_updated_line_alone_is_the_published_date_and_the_update() {
        let updated = "Updated 4 December 2026 09:00 GMT";
        let input = format!("{HARBOUR}\n\n{updated}\n\n{HARBOUR_BODY}");
        let a = &parse(&input)[0];
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2026-12-04T09:00:00+00:00"
        );
        assert_eq!(a.updated, a.published);
    }

    #[test]
    fn an_updated_line_earlier_than_the_date_is_kept_as_given() {
        let dates = "4 December 2026 09:00 GMT\nUpdated: 3 December 2026 08:00 GMT";
        let input = format!("{HARBOUR}\n\n{dates}\n\n{HARBOUR_BODY}");
        let a = &parse(&input)[0];
        assert_eq!(
            a.published.unwrap().to_rfc3339(),
            "2026-12-04T09:00:00+00:00"
        );
        assert_eq!(a.updated.unwrap().to_rfc3339(), "2026-12-03T08:00:00+00:00");
    }

    #[test]
    fn a_spaced_hyphen_before_a_credit_label_is_no_part_of_the_caption() {
        let caption = "Boats moored in the harbour at dawn - Photo: AFP";
        let input = format!("{HARBOUR}\n\n{caption}\n\n{HARBOUR}\n\n{caption}\n\n{HARBOUR_BODY}");
        let a = &parse(&input)[0];
        assert_eq!(
            captions(a),
            [("Boats moored in the harbour at dawn", Some("AFP"))]
        );
    }

    #[test]
    fn a_byline_closed_by_an_e_mail_address_names_its_authors() {
        for (byline, names) in [
            ("By Martha Quill <mq@example.org>", vec!["Martha Quill"]),
            ("By Martha Quill - mq@example.org", vec!["Martha Quill"]),
            ("By Martha Quill mq@example.org", vec!["Martha Quill"]),
            ("By Martha Quill (mq@example.org)", vec!["Martha Quill"]),
            ("Von Katrin Vogel <kv@example.de>", vec!["Katrin Vogel"]),
            (
                "By Martha Quill and Tom Reyes <desk@example.org>",
                vec!["Martha Quill", "Tom Reyes"],
            ),
        ] {
            assert_eq!(
                byline_names(byline),
                Some(names.iter().map(|n| n.to_string()).collect()),
                "{byline}"
            );
            let input = format!("{HARBOUR}\n\n3 December 2026 10:00\n{byline}\n\n{HARBOUR_BODY}");
            let a = &parse(&input)[0];
            assert_eq!(a.authors, names, "{byline}");
            assert_eq!(paragraphs(a).len(), 2, "{byline}");
        }
    }

    #[test]
    fn words_compared_without_case_in_place_match_them_lowered() {
        // Letters beyond ASCII that lower to ASCII (the Kelvin sign), or to
        // more than one character (`İ`), are lowered as `str::to_lowercase`
        // lowers them.
        let texts = [
            "Reporting by Ana Ruiz",
            "REPORTING BY ANA RUIZ",
            "Reporting",
            "İstanbul Reporting by",
            "\u{212A}ey Talks At Dawn",
            "Talks OVER the Harbour",
            "",
            "ÉDITÉ par",
        ];
        for text in texts {
            for prefix in ["reporting by", "i\u{307}stanbul", "key", "", "é"] {
                assert_eq!(
                    starts_with_lowered(text, prefix),
                    text.to_lowercase().starts_with(prefix),
                    "{text:?} {prefix:?}"
                );
                assert_eq!(
                    contains_lowered(text, prefix),
                    text.to_lowercase().contains(prefix),
                    "{text:?} {prefix:?}"
                );
            }
            for word in text.split_whitespace() {
                assert_eq!(
                    minor_word(word),
                    MINOR_WORDS.contains(&word.to_lowercase().as_str()),
                    "{word:?}"
                );
            }
        }
    }

    #[test]
    fn a_line_given_again_is_keyed_and_classified_as_its_first_copy() {
        let caption = "Dock workers unload containers in Eastwick (AP)";
        let dump = format!(
            "Harbour Strike Ends After Late Deal\n{caption}\n{caption}\n\
             Harbour Strike Ends After Late Deal\n{caption}\n{caption}\n\
             The dock workers voted to accept the offer on Monday.\n"
        );
        let mut reader = DumpReader::new(dump.as_bytes(), "test.txt");
        reader.fill(7).unwrap();
        let fresh = DumpReader::new(&b""[..], "fresh.txt").made_line(0, caption.to_string());
        for line in reader.lookahead.iter().filter(|l| l.text == caption) {
            assert_eq!(
                (line.key, line.fold_key, line.text_key, &line.kind),
                (fresh.key, fresh.fold_key, fresh.text_key, &fresh.kind)
            );
        }
        assert_eq!(reader.recent.len(), 3);
    }

    #[test]
    fn a_long_line_is_not_kept_among_the_last_lines_made() {
        let long = "The council met again. ".repeat(60);
        let dump = format!("Harbour Strike Ends After Late Deal\n{long}\n{long}\n");
        let mut reader = DumpReader::new(dump.as_bytes(), "test.txt");
        reader.fill(3).unwrap();
        assert!(long.trim().len() > RECENT_LINE_BYTES);
        assert_eq!(reader.recent.len(), 1);
        assert!(
            reader
                .recent
                .iter()
                .all(|line| line.text.len() <= RECENT_LINE_BYTES)
        );
    }

    #[test]
    fn classify_shapes() {
        assert_eq!(
            split_credit("Iranian Supreme Leader Ali Khamenei with Belarusian President (AP)"),
            Some((
                "Iranian Supreme Leader Ali Khamenei with Belarusian President".into(),
                "AP".into()
            ))
        );
        assert_eq!(split_credit("He said it twice (in 2019)"), None);
        for (line, credit) in [
            (
                "Protesters outside the ministry (picture alliance/dpa)",
                "picture alliance/dpa",
            ),
            ("Protesters outside the ministry (dpa)", "dpa"),
            ("A family at the beach (iStock)", "iStock"),
            ("The new terminal at dusk (photo: Reuters)", "Reuters"),
            ("Die Kanzlerin in Berlin (foto AFP)", "foto AFP"),
            ("東京都庁で記者会見する知事 (Kyodo)", "Kyodo"),
            ("工人们在卡尔德检查受损的码头。(新华社)", "新华社"),
            ("工人们在卡尔德检查受损的码头。（新华社）", "新华社"),
            ("東京都庁で記者会見する知事(共同)", "共同"),
            ("Cyclists cross the bridge. Photo: Reuters", "Reuters"),
            (
                "Cyclists cross the bridge Photograph: Ana Ruiz/AFP",
                "Ana Ruiz/AFP",
            ),
            ("Cyclists cross the bridge. © Reuters", "Reuters"),
            ("Cyclists cross the bridge. Photo © Ana Ruiz", "Ana Ruiz"),
            ("Des cyclistes sur le pont. Photo : AFP", "AFP"),
            ("Ciclistas cruzan el puente. Crédito: EFE", "EFE"),
            ("Велосипедисты на мосту. Фото: ТАСС", "ТАСС"),
            ("Köprüde bisikletliler. Fotoğraf: AA", "AA"),
            ("راكبو الدراجات على الجسر. تصوير: رويترز", "رويترز"),
            ("Cyclists cross the bridge (© Reuters)", "© Reuters"),
            ("Cyclists cross the bridge (©AFP)", "©AFP"),
            ("Cyclists cross the bridge [AFP]", "AFP"),
            ("Cyclists cross the bridge (file photo)", "file photo"),
            ("Cyclists cross the bridge (AP).", "AP"),
            (
                "Cyclists cross the bridge (Ana Ruiz/Reuters).",
                "Ana Ruiz/Reuters",
            ),
        ] {
            assert_eq!(
                split_credit(line).map(|(_, c)| c).as_deref(),
                Some(credit),
                "{line}"
            );
        }
        for sentence in [
            "The talks were led by the Confederation of British Industry (CBI).",
            "He said it twice (in 2019).",
            "The photo: a crowd at the gate",
            "They asked for a photo: Reuters had one.",
        ] {
            assert_eq!(split_credit(sentence), None, "{sentence}");
        }
        assert_eq!(split_credit("Prices rise again (updated)"), None);
        assert_eq!(split_credit("Governor (AP)"), None);
        assert_eq!(split_credit("知事 (Kyodo)"), None);
        assert_eq!(split_credit("(AP)"), None);
        assert_eq!(
            crosshead("- 'Carried out raids' -"),
            Some("Carried out raids".into())
        );
        assert_eq!(crosshead("– “A new start” –"), Some("A new start".into()));
        for dressed in [
            "- „Soziale Abfederung“ -",
            "- ‚Soziale Abfederung‘ -",
            "- «Soziale Abfederung» -",
            "- »Soziale Abfederung« -",
        ] {
            assert_eq!(crosshead(dressed), Some("Soziale Abfederung".into()));
        }
        assert_eq!(crosshead("-1 -"), None);
        assert_eq!(
            crosshead("- Carried out raids -"),
            Some("Carried out raids".into())
        );
        // Only the outer pair of quotes comes off; a quote nested at either
        // end of the words stays.
        for (dressed, words) in [
            ("- \"Not 'a disaster'\" -", "Not 'a disaster'"),
            ("– “We said ‘no’” –", "We said ‘no’"),
            ("- \"'Enough' say residents\" -", "'Enough' say residents"),
            ("- 'The \"big society\"' -", "The \"big society\""),
            ("- 'Rock 'n' roll' -", "Rock 'n' roll"),
            ("- 'Enough' say residents -", "'Enough' say residents"),
        ] {
            assert_eq!(crosshead(dressed), Some(words.into()), "{dressed}");
        }
        assert!(is_title_case_headline(
            "Bangladesh Says Student Leaders Held for Their Own Safety"
        ));
        assert!(!is_title_case_headline("What happens next for the appeal"));
        // Figures in a headline; a results line is none.
        assert!(is_title_case_headline("Apollo 11 Astronaut Dies At 93"));
        assert!(is_title_case_headline("Route 52 Bus Cut After 30 Years"));
        assert!(!is_title_case_headline("Harbour United 2 Northgate Town 1"));
    }

    /// The titles of the articles `input` reads as, each with its date.
    fn titles_and_dates(input: &str) -> Vec<(String, Option<String>)> {
        parse(input)
            .into_iter()
            .map(|a| {
                (
                    a.title,
                    a.published.map(|d| d.format("%Y-%m-%d").to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn a_later_doubled_header_with_a_caption_without_a_credit_or_a_standfirst_opens_its_story() {
        const FLOODS: &str = "Floods Force Hundreds From Their Homes";
        for between in [
            "Residents wade through a flooded street in Alder\n\
             Residents wade through a flooded street in Alder\n",
            "Residents wade through a flooded street in Alder\n",
            "The river burst its banks after a week of heavy rain\n",
        ] {
            let input = format!(
                "{BRIDGE}\n\n{BRIDGE_BODY}\n{FLOODS}\n{between}\n{FLOODS}\n{between}\n\
                 More than 400 people left their homes overnight.\n\n\
                 Forecasters expect more rain at the weekend.\n"
            );
            let articles = parse(&input);
            let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(titles, [BRIDGE, FLOODS], "{input}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{articles:?}");
            let first_line = between.lines().next().unwrap();
            assert_eq!(articles[1].captions.len(), 1, "{articles:?}");
            assert_eq!(articles[1].captions[0].text, first_line);
            assert_eq!(articles[1].captions[0].credit, None);
            assert_eq!(paragraphs(&articles[1]).len(), 2, "{articles:?}");
        }
        // A pull quote given on each side of a paragraph is no headline.
        let input = format!(
            "{BRIDGE}\n\n{BRIDGE_BODY}\nWe will rebuild every home\n\
             The mayor spoke on Monday.\nWe will rebuild every home\n\
             Forecasters expect more rain at the weekend.\n"
        );
        assert_eq!(parse(&input).len(), 1);
    }

    #[test]
    fn a_dated_or_signed_headline_keeps_a_caption_without_a_credit_over_a_credited_one() {
        const HEADLINE: &str = "Council approves harbour plan after long debate";
        const UNCREDITED: &str = "Boats moored in the harbour at dawn";
        for (above, below) in [
            ("", "29 July 2024\nBy Tom Reyes\n"),
            ("", "By Tom Reyes\n"),
            ("29 July 2024\n", ""),
        ] {
            for before in [
                "",
                "Rail Strike Ends After Late Deal\n\nThe strike ended.\n\n",
            ] {
                let input = format!(
                    "{before}{above}{HEADLINE}\n{below}{UNCREDITED}\n\
                     Councillors vote on the plan in Calder (AP)\n\
                     The council voted seven to two on Tuesday to approve the plan.\n\
                     Work is expected to begin in the spring.\n"
                );
                let articles = parse(&input);
                let article = articles.last().unwrap();
                assert_eq!(article.title, HEADLINE, "{input}: {articles:?}");
                assert_eq!(
                    captions(article),
                    [
                        (UNCREDITED, None),
                        ("Councillors vote on the plan in Calder", Some("AP"))
                    ]
                );
                assert_eq!(paragraphs(article).len(), 2);
                if below.contains("By") {
                    assert_eq!(article.authors, ["Tom Reyes"]);
                }
                if !below.starts_with("By") {
                    let day = article.published.unwrap().format("%Y-%m-%d").to_string();
                    assert_eq!(day, "2024-07-29");
                }
            }
        }
    }

    #[test]
    fn a_date_line_above_a_title_case_headline_with_a_standfirst_opens_its_story() {
        for date in ["3 December 2026", "Published 3 December 2026"] {
            let input = format!(
                "2 December 2026\nLocal Football Club Unveils Plans for New Stadium\n\
                 The club said the stadium would hold 30,000 fans.\n\
                 {date}\nCouncil Approves Harbour Plan After Long Debate\n\
                 The decision follows months of public consultation and protest\n\
                 The council voted seven to two on Tuesday to approve the plan.\n"
            );
            let articles = parse(&input);
            assert_eq!(
                titles_and_dates(&input),
                [
                    (
                        "Local Football Club Unveils Plans for New Stadium".to_string(),
                        Some("2026-12-02".to_string())
                    ),
                    (
                        "Council Approves Harbour Plan After Long Debate".to_string(),
                        Some("2026-12-03".to_string())
                    ),
                ]
            );
            assert_eq!(paragraphs(&articles[0]).len(), 1, "{articles:?}");
            assert_eq!(
                paragraphs(&articles[1])[0],
                "The decision follows months of public consultation and protest"
            );
        }
    }

    #[test]
    fn stories_sharing_a_byline_or_a_stock_caption_stay_apart() {
        for shared in ["By Ana Ruiz", "An empty platform at Calder station (AP)"] {
            for doubled in [false, true] {
                let header = |headline: &str| {
                    let copy = format!("{headline}\n{shared}\n");
                    if doubled { copy.repeat(2) } else { copy }
                };
                let input = format!(
                    "{}Union members voted by a large margin to reject the offer.\n\
                     Talks are due to resume on Friday.\n\
                     {}More than 400 people left their homes overnight.\n\
                     Forecasters expect more rain at the weekend.\n",
                    header("Rail workers reject latest pay offer"),
                    header("Floods force hundreds from their homes"),
                );
                let articles = parse(&input);
                let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
                assert_eq!(
                    titles,
                    [
                        "Rail workers reject latest pay offer",
                        "Floods force hundreds from their homes"
                    ],
                    "{input}"
                );
                for article in &articles {
                    assert_eq!(paragraphs(article).len(), 2, "{article:?}");
                    if shared.starts_with("By") {
                        assert_eq!(article.authors, ["Ana Ruiz"]);
                    } else {
                        assert_eq!(article.captions.len(), 1);
                    }
                }
            }
        }
    }

    #[test]
    fn a_dump_opening_with_a_date_line_shared_by_the_next_story_dates_its_first() {
        for headlines in [
            [
                "Rail Workers Reject Latest Pay Offer",
                "Floods Force Hundreds From Their Homes",
            ],
            [
                "Rail workers reject latest pay offer",
                "Floods force hundreds from their homes",
            ],
        ] {
            let input = format!(
                "3 December 2026\n{}\nUnion members voted by a large margin to reject the offer.\n\
                 Talks are due to resume on Friday.\n\
                 3 December 2026\n{}\nMore than 400 people left their homes overnight.\n",
                headlines[0], headlines[1]
            );
            let dated: Vec<(String, Option<String>)> = headlines
                .iter()
                .map(|h| (h.to_string(), Some("2026-12-03".to_string())))
                .collect();
            assert_eq!(titles_and_dates(&input), dated);
        }
    }

    #[test]
    fn a_first_headline_over_an_uncredited_and_a_credited_caption_keeps_both_captions() {
        for headline in [
            "Council approves harbour plan after long debate",
            "Will the harbour plan survive the vote?",
        ] {
            let input = format!(
                "{headline}\nBoats moored in the harbour at dawn\n\
                 Councillors vote on the plan in Calder (AP)\n\
                 The council voted seven to two on Tuesday.\nWork is expected to begin in the spring.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{articles:?}");
            assert_eq!(articles[0].title, headline);
            let captions: Vec<_> = articles[0]
                .captions
                .iter()
                .map(|c| (c.text.as_str(), c.credit.as_deref()))
                .collect();
            assert_eq!(
                captions,
                [
                    ("Boats moored in the harbour at dawn", None),
                    ("Councillors vote on the plan in Calder", Some("AP"))
                ]
            );
        }
        // So does one under a caption the dump opens with.
        let articles = parse(
            "Aerial view of the coast near Calder (AFP)\n\
             Local football club unveils plans for new stadium\n\
             An artist's impression of the new stadium\n\
             Fans gather outside the old ground on Saturday. Photograph: Ana Ruiz/AFP\n\
             The club said the stadium would hold 30,000 fans.\n",
        );
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(
            articles[0].title,
            "Local football club unveils plans for new stadium"
        );
        assert_eq!(articles[0].captions.len(), 3);
    }

    #[test]
    fn a_date_line_over_a_later_headline_and_a_standfirst_opens_that_story() {
        for (headline, under) in [
            ("Rail workers reject latest pay offer", ""),
            ("Will rail workers accept the pay offer?", ""),
            (
                "Rail workers reject latest pay offer",
                "A train waits at an empty platform\n",
            ),
            (
                "Rail Workers Reject Latest Pay Offer",
                "A train waits at an empty platform\nCommuters crowd a bus stop (AP)\n",
            ),
        ] {
            let input = format!(
                "Ferry Service Suspended After Storm\n\
                 High winds forced the cancellation of all sailings on Tuesday.\n\
                 3 December 2026\n{headline}\nUnion members picket outside the central station\n\
                 {under}Union members voted by a large margin to reject the offer.\n"
            );
            assert_eq!(
                titles_and_dates(&input),
                [
                    ("Ferry Service Suspended After Storm".to_string(), None),
                    (headline.to_string(), Some("2026-12-03".to_string()))
                ]
            );
        }
    }

    #[test]
    fn a_dump_opening_with_header_lines_takes_the_line_after_them_as_headline() {
        let headline = "Floods Force Hundreds From Their Homes";
        let caption = "Aerial view of the coast near Calder (AFP)";
        let body = "The river rose overnight.\nMore rain is due.\n";
        for opening in [
            format!("{caption}\n3 December 2026\n"),
            format!("{caption}\nBy Ana Ruiz\n"),
            "By Ana Ruiz\n".to_string(),
        ] {
            let articles = parse(&format!("{opening}{headline}\n{body}"));
            assert_eq!(articles.len(), 1, "{opening}: {articles:?}");
            let article = &articles[0];
            assert_eq!(article.title, headline);
            assert_eq!(
                paragraphs(article),
                ["The river rose overnight.", "More rain is due."]
            );
            if opening.starts_with(caption) {
                assert_eq!(article.captions[0].credit.as_deref(), Some("AFP"));
            }
            if opening.contains("By ") {
                assert_eq!(article.authors, ["Ana Ruiz"]);
            } else {
                let day = article.published.map(|d| d.format("%F").to_string());
                assert_eq!(day.as_deref(), Some("2026-12-03"));
            }
        }
    }

    #[test]
    fn a_bracketed_wire_trailer_stays_a_paragraph_and_an_update_under_it_is_the_footer() {
        let trailer = "(Reporting by Ana Ruiz; Editing by Jan Berg)";
        assert_eq!(
            split_credit(&format!("Work begins in the spring. {trailer}")),
            None
        );
        let head = format!("{BRIDGE}\nCyclists cross the bridge on Monday (AP)\n{BRIDGE_BODY}");
        let articles = parse(&format!("{head}{trailer}\n"));
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(articles[0].captions.len(), 1);
        assert_eq!(paragraphs(&articles[0]).last(), Some(&trailer));
        let articles = parse(&format!(
            "{head}\n{trailer}\n\nUpdated: December 5, 2026 09:00 GMT\n"
        ));
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(paragraphs(&articles[0]).last(), Some(&trailer));
        let updated = articles[0].updated.map(|d| d.to_rfc3339());
        assert_eq!(updated.as_deref(), Some("2026-12-05T09:00:00+00:00"));
    }

    #[test]
    fn bylines_naming_an_outlet_or_opening_with_story_by_written_by_or_words_split_stories() {
        let input = "Harbour Council Approves New Ferry Terminal\nBy Martha Quill\n\
             The council voted on Thursday to approve a new ferry terminal.\n\
             The terminal will cost 40 million pounds, the council said.\n\n\
             Police Chief to Step Down After Inquiry\nBy Ana Ruiz - Calder Herald\n\
             The chief constable will leave in March, sources said.\n\
             An inquiry found failings in the handling of complaints.\n\n\
             Tram Fares to Rise in January\nBy Tom Reyes • Reuters\n\
             Tram fares will rise by five percent in January.\nSeason tickets are frozen.\n\n\
             Bridge Repairs Delayed Until Summer\nBy Lena Park / AFP\n\
             Repairs to the old bridge will not start before June, engineers said.\n\n\
             Library Opens New Reading Room\nStory by Owen Hale\n\
             The central library opened a new reading room on Saturday.\n\n\
             Harbour dredging to start in January\nHarbour dredging to start in January\n\
             Written by Tom Reyes\n\
             Dredging of the harbour mouth will start in January, the port said.\n\n\
             Ferry timetable changes from Monday\nFerry timetable changes from Monday\n\
             Words: Lena Park\n\
             The morning ferry will leave ten minutes earlier from Monday.\n";
        let articles = parse(input);
        let got: Vec<(&str, &[String], usize)> = articles
            .iter()
            .map(|a| (a.title.as_str(), &a.authors[..], a.body.len()))
            .collect();
        let want: Vec<(&str, Vec<String>, usize)> = vec![
            (
                "Harbour Council Approves New Ferry Terminal",
                vec!["Martha Quill".into()],
                2,
            ),
            (
                "Police Chief to Step Down After Inquiry",
                vec!["Ana Ruiz".into()],
                2,
            ),
            ("Tram Fares to Rise in January", vec!["Tom Reyes".into()], 2),
            (
                "Bridge Repairs Delayed Until Summer",
                vec!["Lena Park".into()],
                1,
            ),
            (
                "Library Opens New Reading Room",
                vec!["Owen Hale".into()],
                1,
            ),
            (
                "Harbour dredging to start in January",
                vec!["Tom Reyes".into()],
                1,
            ),
            (
                "Ferry timetable changes from Monday",
                vec!["Lena Park".into()],
                1,
            ),
        ];
        let want: Vec<(&str, &[String], usize)> =
            want.iter().map(|(t, a, n)| (*t, &a[..], *n)).collect();
        assert_eq!(got, want);
        for (byline, author) in [
            ("By Ana Ruiz - Calder Herald", "Ana Ruiz"),
            ("By Tom Reyes • Reuters", "Tom Reyes"),
            ("By Lena Park / AFP", "Lena Park"),
            ("Story by Owen Hale", "Owen Hale"),
            ("Words by Owen Hale", "Owen Hale"),
            ("Written by Owen Hale", "Owen Hale"),
            ("Words: Owen Hale", "Owen Hale"),
        ] {
            assert_eq!(
                byline_names(byline),
                Some(vec![author.to_string()]),
                "{byline}"
            );
            assert_eq!(classify(byline), Kind::Text, "{byline}");
        }
        // A sentence opening with such words names no one.
        for line in [
            "Story by story, the archive was put online.",
            "Words by the dozen",
            "Written by hand, the letter was delivered on Monday.",
            "Words: the council's chosen motto",
        ] {
            assert_eq!(byline_names(line), None, "{line}");
        }
    }

    #[test]
    fn a_byline_over_a_credit_or_an_image_label_is_no_caption() {
        for under in [
            "© Ana Ruiz",
            "Image: An artist's impression of the new terminal",
            "(AP)",
        ] {
            let input = format!(
                "Harbour Council Approves New Ferry Terminal\nBy Martha Quill\n{under}\n\
                 The council voted on Thursday to approve a new ferry terminal.\n\
                 The terminal will cost 40 million pounds, the council said.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{under}: {articles:?}");
            assert_eq!(
                articles[0].title,
                "Harbour Council Approves New Ferry Terminal"
            );
            assert_eq!(articles[0].authors, ["Martha Quill"], "{under}");
            assert!(
                articles[0]
                    .captions
                    .iter()
                    .all(|c| !c.text.starts_with("By ")),
                "{under}: {articles:?}"
            );
        }
    }

    #[test]
    fn a_sentence_case_headline_over_a_longer_standfirst_and_a_byline_keeps_both() {
        let headline = "Harbour council approves new ferry terminal";
        let standfirst = "The 40m terminal will open in spring, officials say";
        let body = "The council voted on Thursday to approve a new ferry terminal.\n\
                    The terminal will cost 40 million pounds, the council said.\n";
        for header in [
            format!("{headline}\n{standfirst}\nBy Martha Quill\nSun 6 Dec 2026 10.15 GMT"),
            format!("{headline}\nBy Martha Quill\n{standfirst}\nSun 6 Dec 2026 10.15 GMT"),
            format!("{headline}\n{standfirst}\nSun 6 Dec 2026 10.15 GMT\nBy Martha Quill"),
        ] {
            let input = format!("{header}\n{body}");
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{header}: {articles:?}");
            let a = &articles[0];
            assert_eq!(a.title, headline, "{header}");
            assert_eq!(a.authors, ["Martha Quill"], "{header}");
            assert!(a.published.is_some(), "{header}");
            assert_eq!(paragraphs(a)[0], standfirst, "{header}");
            assert_eq!(paragraphs(a).len(), 3, "{header}");
            // Stories one after another split at each headline.
            let places = ["terminal", "depot", "pier"];
            let stories: Vec<String> = places
                .iter()
                .map(|place| input.replace("terminal", place))
                .collect();
            let articles = parse(&stories.join("\n"));
            assert_eq!(articles.len(), 3, "{header}: {articles:?}");
            for (a, place) in articles.iter().zip(places) {
                assert_eq!(a.title, headline.replace("terminal", place), "{header}");
                assert_eq!(a.authors, ["Martha Quill"], "{header}");
                assert_eq!(paragraphs(a).len(), 3, "{header}: {a:?}");
            }
        }
        // The last lines of a story without a full stop, the shorter one
        // under, stay its body: a standfirst says more than its headline.
        let input = "Ferry crews strike over new rosters\nBy Tom Reyes\n\
                     Ferry crews walked out on Tuesday.\n\
                     What the unions want from the operator now\n\
                     Harbour fees rise for yachts\nBy Ana Ruiz\nFees rose on Monday.\n";
        let articles = parse(input);
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Ferry crews strike over new rosters",
                "Harbour fees rise for yachts"
            ]
        );
        assert_eq!(
            paragraphs(&articles[0]),
            [
                "Ferry crews walked out on Tuesday.",
                "What the unions want from the operator now"
            ]
        );
    }

    #[test]
    fn a_byline_closed_by_an_agency_and_a_date_dates_the_story() {
        for byline in [
            "By Tom Reyes, Reuters • 6 December 2026",
            "By Tom Reyes, AFP, 6 December 2026",
            "By Tom Reyes, AP | 6 December 2026",
        ] {
            let input = format!(
                "Harbour Council Approves New Ferry Terminal\n{byline}\n\
                 The council voted on Thursday to approve a new ferry terminal.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{byline}: {articles:?}");
            assert_eq!(articles[0].authors, ["Tom Reyes"], "{byline}");
            let published = articles[0].published.map(|d| d.to_rfc3339());
            assert_eq!(
                published.as_deref(),
                Some("2026-12-06T00:00:00+00:00"),
                "{byline}"
            );
        }
    }

    #[test]
    fn a_results_line_closed_by_one_figure_is_no_headline() {
        for results in [
            "Mia Park (Liberal Democrats) 912\nLuis Soto (Reform) 3,407",
            "Ida Lund (Pinewood) 31:20\nKai Moss (Harbour) 1:02:45",
        ] {
            let input = format!(
                "Pinewood Elects Its First Mayor in a Close Count\n\n\
                 Voters queue at the school in Pinewood on Thursday (PA)\n\n\
                 Pinewood has elected its first mayor after a recount.\n\n\
                 Final count\n{results}\n\n\
                 The new mayor takes office in January.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{input}: {articles:?}");
            assert_eq!(paragraphs(&articles[0]).len(), 5, "{input}");
        }
        assert!(!is_title_case_headline("Mia Park (Liberal Democrats) 912"));
        assert!(!is_title_case_headline(
            "Full Time: Old Town 1 Riverside 0 (Ruiz)"
        ));
        // A figure after words in brackets, or a headline with figures,
        // is no results line.
        assert!(is_title_case_headline("Harbour Trust (HT) Gets 2 Million"));
        assert!(is_title_case_headline("Apollo 11 Astronaut Dies At 93"));
    }

    #[test]
    fn a_list_of_names_in_brackets_is_text_and_no_caption() {
        let input = "Pinewood Mayoral Race: The Runners\n\n\
            The old mill in Pinewood on Tuesday (Reuters)\n\n\
            Five people have put their names forward to be Pinewood's first mayor.\n\n\
            On the ballot\n\
            Mia Park (Liberal Democrats)\n\
            Luis Soto (Reform)\n\
            Ida Lund (Independent)\n\n\
            Half time: Pinewood 2 Harbour 0 (Moss, Lund)\n\
            Full time: Pinewood 2 Harbour 1 (Park)\n\n\
            The count starts at midnight.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(
            captions(&articles[0]),
            [("The old mill in Pinewood on Tuesday", Some("Reuters"))]
        );
        assert_eq!(paragraphs(&articles[0]).len(), 8, "{articles:?}");
        // Captions in a row stay captions: pictures described, or names
        // credited to a photo agency, or one caption given twice.
        for pair in [
            "Fans cheer at the ground (Calder Herald)\nThe team on the bus (Pinewood Post)",
            "Mia Park (AP)\nLuis Soto (Reuters)",
            "Mia Park (Calder Herald)\nMia Park (Calder Herald)",
        ] {
            let input = format!(
                "Pinewood Mayoral Race Goes to a Recount\n\n{pair}\n\n\
                 The count went on past midnight.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{input}: {articles:?}");
            assert!(!articles[0].captions.is_empty(), "{input}");
            assert_eq!(paragraphs(&articles[0]).len(), 1, "{input}");
        }
    }

    #[test]
    fn a_sentence_after_a_link_label_stays_a_paragraph() {
        let input = "Pinewood Bakery Chain Sold to Rival\n\n\
            Loaves on a shelf in Pinewood on Friday (AP)\n\n\
            The Pinewood bakery chain has been sold.\n\n\
            Read more: the buyer said it would keep all 30 shops open.\n\n\
            Related: Harbour Bakery Opens Second Shop\n\n\
            The sale closes in April.\n";
        let articles = parse(input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        let shown: Vec<&str> = paragraphs(&articles[0])
            .into_iter()
            .filter(|p| !page_furniture(p))
            .collect();
        assert_eq!(
            shown,
            [
                "The Pinewood bakery chain has been sold.",
                "Read more: the buyer said it would keep all 30 shops open.",
                "The sale closes in April."
            ]
        );
    }

    #[test]
    fn a_caption_given_again_with_or_without_its_credit_further_down_is_one_caption() {
        let (headline, caption) = (
            "Pinewood Lantern Parade Lights Up the Quay",
            "Children carry lanterns along the quay on Friday",
        );
        for (header, lower) in [
            (format!("{caption} (AFP)"), caption.to_string()),
            (caption.to_string(), format!("{caption} (AFP)")),
        ] {
            let input = format!(
                "{headline}\n\n{header}\n{header}\n\n{headline}\n\n{header}\n\n\
                 The parade drew 5,000 people.\n\n{lower}\n\nIt returns next year.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{input}: {articles:?}");
            assert_eq!(captions(&articles[0]), [(caption, Some("AFP"))], "{input}");
            assert_eq!(
                paragraphs(&articles[0]),
                ["The parade drew 5,000 people.", "It returns next year."],
                "{input}"
            );
        }
    }

    #[test]
    fn a_storys_first_part_over_the_whole_story_makes_no_captions() {
        let headline = "Pinewood Council Approves New Harbour Wall After Long Debate";
        let paras = [
            "Pinewood council voted on Tuesday night to build a new harbour wall, ending a debate that has run for more than three years and divided the town's fishing families.",
            "The wall will cost 14 million pounds and take two years to build, according to the council's own figures, which were published alongside the vote on Tuesday evening.",
            "Opponents said the money would be better spent on the town's roads and schools, and warned that the wall would spoil the view from the old quay for good.",
            "The council's leader said work on the foundations would begin in the spring, once the contract had been signed and the final designs had been approved.",
        ];
        for second_date in ["December 3, 2026", "December 4, 2026"] {
            let input = format!(
                "{headline}\n\nDecember 3, 2026\n\n{}\n\n{headline}\n\n{second_date}\n\n{}\n",
                paras[..2].join("\n\n"),
                paras.join("\n\n")
            );
            let articles = parse(&input);
            assert!(
                articles.iter().all(|a| a.captions.is_empty()),
                "{input}: {articles:?}"
            );
            let last = articles.last().expect("an article");
            assert_eq!(paragraphs(last), paras, "{input}");
            assert_eq!(
                last.published.unwrap().date_naive().to_string(),
                if second_date.contains('4') {
                    "2026-12-04"
                } else {
                    "2026-12-03"
                }
            );
        }
        // One long sentence in each copy of a doubled header is its caption
        // without a credit, however long.
        let caption = "A crowd of residents gathers outside the town hall in Pinewood on \
                       Tuesday evening as councillors arrive for the vote on the new harbour \
                       wall plan.";
        let input = format!(
            "{headline}\n{caption}\n{headline}\n{caption}\n{}\n{}\n",
            paras[0], paras[1]
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(articles[0].captions.len(), 1, "{articles:?}");
        assert_eq!(paragraphs(&articles[0]), paras[..2], "{articles:?}");
    }

    #[test]
    fn headshots_credited_to_one_outlet_are_captions_and_lists_of_names_stay_text() {
        let headline = "Pinewood Post Names Two New Editors";
        let body = "The Pinewood Post has named two new editors.\n\n\
                    Both start in January, the paper said.\n";
        // Headshots in a row, each given once or twice, one outlet's credit.
        for shots in [
            "Ana Ruiz (Pinewood Post)\nAna Ruiz (Pinewood Post)\n\
             Tom Hale (Pinewood Post)\nTom Hale (Pinewood Post)",
            "Ana Ruiz (Pinewood Post)\nAna Ruiz (Pinewood Post)\n\n\
             Tom Hale (Pinewood Post)\nTom Hale (Pinewood Post)",
            "Ana Ruiz (Pinewood Post)\nTom Hale (Pinewood Post)",
            "Ana Ruiz (Pinewood Post)\nTom Hale (Pinewood Post)\nLi Wei (Pinewood Post)",
            "Ana Ruiz (Calder Herald)\nAna Ruiz (Calder Herald)\n\
             Tom Hale (Pinewood Post)\nTom Hale (Pinewood Post)",
        ] {
            for input in [
                format!("{headline}\n\n{shots}\n\n{headline}\n\n{shots}\n\n{body}"),
                format!("{headline}\n\n{shots}\n\n{body}"),
            ] {
                let articles = parse(&input);
                assert_eq!(articles.len(), 1, "{input}: {articles:?}");
                assert_eq!(articles[0].title, headline, "{input}");
                assert_eq!(paragraphs(&articles[0]).len(), 2, "{input}: {articles:?}");
                let names: Vec<&str> = captions(&articles[0]).iter().map(|c| c.0).collect();
                assert!(names.len() >= 2, "{input}: {articles:?}");
                assert_eq!(names[..2], ["Ana Ruiz", "Tom Hale"], "{input}");
            }
        }
        // Lists: candidates and their parties, results and their scorers,
        // two items or more with differing brackets or with figures.
        for list in [
            "Ana Ruiz (Labour)\nTom Reyes (Conservative)",
            "Ana Ruiz (Labour)\nTom Hale (Labour)\nJan Berg (Green Party)",
            "Jan Berg (Green Party)\nAna Ruiz (Labour)\nTom Hale (Labour)",
            "Half time: Pinewood 2 Harbour 0 (Moss)\nFull time: Pinewood 2 Harbour 1 (Moss)",
        ] {
            let input = format!(
                "Pinewood Votes for Its First Mayor\n\n\
                 Voters queue at the school in Pinewood on Thursday (PA)\n\n\
                 Pinewood votes for its first mayor today.\n\n\
                 The candidates\n{list}\n\n\
                 Polls close at ten.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{input}: {articles:?}");
            assert_eq!(articles[0].captions.len(), 1, "{input}: {articles:?}");
            assert_eq!(
                paragraphs(&articles[0]).len(),
                3 + list.lines().count(),
                "{input}: {articles:?}"
            );
        }
    }

    #[test]
    fn credits_opening_each_review_of_a_roundup_split_nothing() {
        for credit in ["Written by", "By"] {
            // Each review opened by its credit and closed by its publisher,
            // a line without a full stop. (Credits closing each review
            // cannot be told from the byline closing the story before.)
            let reviews = format!(
                "{credit} Ana Ruiz\n\
                     The Harbour Wall is a quiet novel about a town the sea takes.\n\
                     Faber, 320 pages\n\n\
                     {credit} Tom Hale\n\
                     Tide Tables gathers poems about the coast, sharp and short.\n\
                     Picador, 96 pages\n\n\
                     {credit} Jan Berg\n\
                     Winter Lights is a memoir of a lighthouse keeper's last year.\n\
                     Granta, 240 pages\n"
            );
            {
                let input = format!(
                    "The Best New Books of the Winter\n\
                     The Best New Books of the Winter\n\n\
                     Seven books to read by the fire this winter.\n\n{reviews}"
                );
                let articles = parse(&input);
                assert_eq!(articles.len(), 1, "{input}: {articles:?}");
                assert_eq!(articles[0].title, "The Best New Books of the Winter");
                let lines = reviews.lines().filter(|line| !line.is_empty()).count();
                assert_eq!(
                    paragraphs(&articles[0]).len(),
                    1 + lines,
                    "{input}: {articles:?}"
                );
            }
        }
        // Stories that each have a byline, the first closing with it,
        // stay apart when the next one's byline opens otherwise, or when
        // its headline is doubled.
        let input = "Harbour Wall Plan Approved\n\n\
            The council approved the plan on Monday.\n\
            Written by Ana Ruiz\n\n\
            Ferry Fares to Rise in January\n\
            By Tom Hale\n\
            Fares rise by ten percent from January.\n\n\
            Tram Line Reopens After Repairs\n\
            Tram Line Reopens After Repairs\n\
            Written by Jan Berg\n\
            The tram line reopened on Friday.\n";
        let titles: Vec<String> = parse(input).into_iter().map(|a| a.title).collect();
        assert_eq!(
            titles,
            [
                "Harbour Wall Plan Approved",
                "Ferry Fares to Rise in January",
                "Tram Line Reopens After Repairs"
            ]
        );
    }

    #[test]
    fn a_results_line_doubled_at_a_story_top_is_its_headline() {
        let headline = "Vote Count: Ana Ruiz (Labour) 4,512";
        let caption = "Voters queue at the school in Pinewood on Thursday (PA)";
        let body = "Ana Ruiz has won the Pinewood seat for Labour.\n\n\
                    Turnout was the highest in twenty years.\n";
        for input in [
            format!(
                "Pinewood Herald\n\n{headline}\n\n{caption}\n{caption}\n\n\
                 {headline}\n\n{caption}\n{caption}\n\n{body}"
            ),
            format!("Pinewood Herald\n\n{headline}\n{headline}\n\n{body}"),
            format!("{headline}\n{headline}\n\n{body}"),
            format!(
                "Harbour Wall Plan Approved\n\nThe council approved the plan on Monday.\n\n\
                 {headline}\n{headline}\n\n{body}"
            ),
        ] {
            let articles = parse(&input);
            let last = articles.last().expect("an article");
            assert_eq!(last.title, headline, "{input}: {articles:?}");
            assert_eq!(paragraphs(last).len(), 2, "{input}: {articles:?}");
        }
        assert!(is_title_case_headline(headline));
        assert!(!is_title_case_headline("Ana Ruiz (Labour) 4,512"));
        assert!(!is_title_case_headline("Full Time: Calder 3 Pinewood 1"));
    }

    const FUEL_BODY: &str = "The chancellor raised fuel duty by 5p a litre on Wednesday.\n\n\
                             The change takes effect in April.\n";
    const FUEL_CAPTION: &str = "The chancellor arrives at parliament on Wednesday. (PA)";

    #[test]
    fn a_section_label_over_each_copy_of_a_doubled_header_is_no_headline() {
        let headline = "Minister Quits Over Harbour Contract";
        let caption = "Minister Ana Ruiz in Calder last month. (PA)";
        for label in [
            "Politics",
            "LIVE",
            "Exclusive",
            "Analysis",
            "UK Politics",
            "Opinion",
            "BREAKING NEWS",
            "Live updates",
        ] {
            let story = format!(
                "{label}\n{headline}\n{caption}\n{label}\n{headline}\n{caption}\n\
                 The minister resigned after emails showed she intervened in the harbour contract.\n\
                 She denies wrongdoing and says she will clear her name.\n"
            );
            // Opening the dump, and after another story.
            let later = format!(
                "{}{story}",
                doubled_article(HARBOUR, CAPTION, &[HARBOUR_BODY])
            );
            for (input, at) in [(story.clone(), 0), (later, 1)] {
                let articles = parse(&input);
                assert_eq!(articles.len(), at + 1, "{label}: {articles:?}");
                let article = &articles[at];
                assert_eq!(article.title, headline, "{label}");
                assert_eq!(
                    captions(article),
                    [("Minister Ana Ruiz in Calder last month.", Some("PA"))],
                    "{label}"
                );
                assert_eq!(paragraphs(article).len(), 2, "{label}: {article:?}");
            }
        }
    }

    #[test]
    fn a_labelled_repeat_of_a_headline_holding_a_colon_is_the_same_headline() {
        let headline = "Budget 2026: Chancellor Raises Fuel Duty";
        for label in ["LIVE", "EXCLUSIVE", "Calder Herald"] {
            let copy = format!("{label}: {headline}");
            for (first, second) in [(headline, copy.as_str()), (copy.as_str(), headline)] {
                let input = format!(
                    "{first}\n\n{FUEL_CAPTION}\n\n{second}\n\n{FUEL_CAPTION}\n\n{FUEL_BODY}"
                );
                let articles = parse(&input);
                assert_eq!(articles.len(), 1, "{first} / {second}: {articles:?}");
                assert_eq!(articles[0].title, headline, "{first} / {second}");
                assert_eq!(paragraphs(&articles[0]).len(), 2, "{first} / {second}");
            }
        }
    }

    #[test]
    fn date_lines_or_a_byline_stacked_above_a_later_headline_open_its_header() {
        let first = "Published 7 December 2026 09:00 GMT\nCouncil Scraps Parking Charges\n\
                     Shoppers in Calder on Saturday. (PA)\nThe council scrapped parking charges on Monday.\n\
                     Traders welcomed the move.\n";
        let story = "Storm Damages Pinewood Pier\nWaves hit Pinewood pier on Sunday. (Reuters)\n\
                     The storm damaged the pier on Sunday.\nEngineers will inspect it on Tuesday.\n";
        for (above, published, updated, authors) in [
            (
                "Published 7 December 2026 10:00 GMT\nUpdated 7 December 2026 12:30 GMT\n",
                "2026-12-07T10:00:00Z",
                Some("2026-12-07T12:30:00Z"),
                &[][..],
            ),
            (
                "7 December 2026 10:00 GMT\nBy Martha Quill\n",
                "2026-12-07T10:00:00Z",
                None,
                &["Martha Quill"],
            ),
        ] {
            let articles = parse(&format!("{first}{above}{story}"));
            assert_eq!(articles.len(), 2, "{above}: {articles:?}");
            assert_eq!(paragraphs(&articles[0]).len(), 2, "{above}: {articles:?}");
            assert_eq!(articles[0].updated, None, "{above}");
            let second = &articles[1];
            assert_eq!(second.title, "Storm Damages Pinewood Pier", "{above}");
            assert_eq!(
                second
                    .published
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                Some(published.to_string()),
                "{above}"
            );
            assert_eq!(
                second
                    .updated
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                updated.map(str::to_string),
                "{above}"
            );
            assert_eq!(second.authors, authors, "{above}");
            assert_eq!(paragraphs(second).len(), 2, "{above}: {second:?}");
        }
    }

    #[test]
    fn a_later_headline_whose_first_copy_ends_in_a_full_stop_opens_its_story() {
        let input = format!(
            "{}Harbour Dock Workers Vote to Strike.\n\n\
             Dock workers meet in Calder on Sunday. (AP)\n\n\
             Harbour Dock Workers Vote to Strike\n\n\
             Dock workers meet in Calder on Sunday. (AP)\n\n\
             Dock workers at Calder harbour voted on Sunday to strike over pay.\n\n\
             The strike would begin next week.\n",
            doubled_article(HARBOUR, CAPTION, &[HARBOUR_BODY])
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 2, "{articles:?}");
        assert_eq!(articles[0].captions.len(), 1, "{articles:?}");
        assert_eq!(paragraphs(&articles[0]).len(), 2, "{articles:?}");
        assert_eq!(articles[1].title, "Harbour Dock Workers Vote to Strike");
        assert_eq!(articles[1].captions.len(), 1, "{articles:?}");
        assert_eq!(paragraphs(&articles[1]).len(), 2, "{articles:?}");
    }

    #[test]
    fn a_headline_with_a_full_stop_over_its_copy_with_a_site_name_is_the_bare_copy() {
        let headline = "Chancellor Raises Fuel Duty in Budget";
        let input = format!(
            "{headline}.\n\n{FUEL_CAPTION}\n\n{headline} | Calder Herald\n\n{FUEL_CAPTION}\n\n{FUEL_BODY}"
        );
        let articles = parse(&input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert_eq!(articles[0].title, headline);
        assert_eq!(paragraphs(&articles[0]).len(), 2);
    }

    #[test]
    fn a_labelled_results_line_in_a_body_starts_no_story() {
        for result in [
            "Winner: Ida Lund (Pinewood) 31:20",
            "Elected: Ana Ruiz (Labour) 4,512",
        ] {
            let input = format!(
                "Pinewood Marathon Record Falls\n\n\
                 Ida Lund broke the course record.\n\n\
                 {result}\n\n\
                 She took two minutes off last year's time.\n"
            );
            let articles = parse(&input);
            assert_eq!(articles.len(), 1, "{input}: {articles:?}");
            assert_eq!(paragraphs(&articles[0]).len(), 3, "{input}: {articles:?}");
        }
    }

    #[test]
    fn one_partys_candidates_in_a_body_stay_a_list() {
        let input = "The candidates\nAna Ruiz (Labour)\nTom Hale (Labour)\n\nPolls close at ten.";
        let articles = parse(input);
        assert_eq!(articles.len(), 1, "{articles:?}");
        assert!(articles[0].captions.is_empty(), "{articles:?}");
        let texts: Vec<&str> = std::iter::once(articles[0].title.as_str())
            .chain(paragraphs(&articles[0]))
            .collect();
        assert!(texts.contains(&"Ana Ruiz (Labour)"), "{articles:?}");
        assert!(texts.contains(&"Tom Hale (Labour)"), "{articles:?}");
    }

    #[test]
    fn a_byline_closing_the_story_before_leaves_the_next_story_apart() {
        let input = "Harbour Wall Plan Approved\n\n\
            The council approved the plan on Monday.\n\
            By Ana Ruiz\n\n\
            Ferry Fares to Rise in January\n\
            By Tom Hale\n\
            Fares rise by ten percent from January.\n";
        let titles: Vec<String> = parse(input).into_iter().map(|a| a.title).collect();
        assert_eq!(
            titles,
            [
                "Harbour Wall Plan Approved",
                "Ferry Fares to Rise in January"
            ]
        );
    }
}

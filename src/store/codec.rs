//! How both backends keep an article compactly: its id as 17 bytes, its
//! content (headline, captions, body, link, authors, categories, summary,
//! HTML) as one zstd-compressed record, its near-duplicate prints as a
//! binary record (`packed_prints`), the index keys it is filed under as packed 32-bit
//! numbers, and moments as Unix seconds. Every function here is pure; the
//! backends only move the bytes.

use std::cell::RefCell;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use zstd::bulk::{Compressor, Decompressor};

use super::packed_prints;
use crate::dedup::refold::Settled;
use crate::dedup::{IndexKey, KEY_BITS, KeyFamily, NearPrints, headline};
use crate::ingest::sanitize::shows_picture;
use crate::model::{Block, Caption, Enclosure, Photos, StoredArticle};
use crate::normalize::{canonical_url, fold};

/// zstd's level for stored records: its default, fast to write.
const LEVEL: i32 = 3;
/// The largest record a row may decompress to (a bad row must not make
/// feedfold allocate without bound); articles are limited to 16 MiB.
const MAX_RECORD: usize = 64 << 20;

/// The common start of every id feedfold mints.
const ID_PREFIX: &str = "tag:feedfold.invalid,2026:";
/// The id kinds that pack into a tag byte and 16 bytes, in the order
/// their text sorts.
const ID_KINDS: [(u8, &str); 2] = [(1, "article:"), (2, "entry:")];

/// Packs an article id: `tag:feedfold.invalid,2026:article:` or `…:entry:`
/// and 32 lowercase hex digits become a tag byte and the 16 bytes, which
/// sort as the text does; any other id is kept as its text.
pub fn pack_id(id: &str) -> Vec<u8> {
    if let Some(rest) = id.strip_prefix(ID_PREFIX) {
        for (tag, kind) in ID_KINDS {
            if let Some(hex) = rest.strip_prefix(kind)
                && let Some(bytes) = lower_hex_16(hex)
            {
                let mut packed = Vec::with_capacity(17);
                packed.push(tag);
                packed.extend_from_slice(&bytes);
                return packed;
            }
        }
    }
    id.as_bytes().to_vec()
}

/// The id [`pack_id`] packed.
pub fn unpack_id(packed: &[u8]) -> Result<String, String> {
    if packed.len() == 17
        && let Some((_, kind)) = ID_KINDS.iter().find(|(tag, _)| *tag == packed[0])
    {
        return Ok(format!(
            "{ID_PREFIX}{kind}{}",
            crate::normalize::hex(&packed[1..])
        ));
    }
    String::from_utf8(packed.to_vec()).map_err(|_| "bad id bytes".to_string())
}

fn lower_hex_16(hex: &str) -> Option<[u8; 16]> {
    let digits = hex.as_bytes();
    if digits.len() != 32 {
        return None;
    }
    let nibble = |d: u8| match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        _ => None,
    };
    let mut bytes = [0u8; 16];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks(2)) {
        *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(bytes)
}

/// What the content record holds: every field of a stored article but its
/// id and dates, which have columns of their own.
#[derive(Serialize, Deserialize)]
struct Content {
    #[serde(rename = "t")]
    title: String,
    #[serde(rename = "c", default, skip_serializing_if = "Vec::is_empty")]
    captions: Vec<Caption>,
    #[serde(rename = "b", default, skip_serializing_if = "Vec::is_empty")]
    body: Vec<Block>,
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    link: Option<String>,
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    authors: Vec<String>,
    #[serde(rename = "k", default, skip_serializing_if = "Vec::is_empty")]
    categories: Vec<String>,
    #[serde(rename = "e", default, skip_serializing_if = "Vec::is_empty")]
    enclosures: Vec<Enclosure>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(rename = "h", default, skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
}

/// The parts of an article its content record holds.
pub struct ContentRef<'a> {
    pub title: &'a str,
    pub captions: &'a [Caption],
    pub body: &'a [Block],
    pub link: Option<&'a str>,
    pub authors: &'a [String],
    pub categories: &'a [String],
    pub enclosures: &'a [Enclosure],
    pub summary: Option<&'a str>,
    pub content_html: Option<&'a str>,
}

impl<'a> ContentRef<'a> {
    pub fn of_article(article: &'a crate::model::Article) -> Self {
        ContentRef {
            title: &article.title,
            captions: &article.captions,
            body: &article.body,
            link: article.link.as_deref(),
            authors: &article.authors,
            categories: &article.categories,
            enclosures: &article.enclosures,
            summary: article.summary.as_deref(),
            content_html: article.content_html.as_deref(),
        }
    }

    pub fn of_stored(article: &'a StoredArticle) -> Self {
        ContentRef {
            title: &article.title,
            captions: &article.captions,
            body: &article.body,
            link: article.link.as_deref(),
            authors: &article.authors,
            categories: &article.categories,
            enclosures: &article.enclosures,
            summary: article.summary.as_deref(),
            content_html: article.content_html.as_deref(),
        }
    }
}

/// The compressed content record of an article.
pub fn pack_content(content: &ContentRef) -> Vec<u8> {
    #[derive(Serialize)]
    struct Borrowed<'a> {
        t: &'a str,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        c: &'a [Caption],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        b: &'a [Block],
        #[serde(skip_serializing_if = "Option::is_none")]
        l: Option<&'a str>,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        a: &'a [String],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        k: &'a [String],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        e: &'a [Enclosure],
        #[serde(skip_serializing_if = "Option::is_none")]
        s: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        h: Option<&'a str>,
    }
    let json = serde_json::to_vec(&Borrowed {
        t: content.title,
        c: content.captions,
        b: content.body,
        l: content.link,
        a: content.authors,
        k: content.categories,
        e: content.enclosures,
        s: content.summary,
        h: content.content_html,
    })
    .expect("plain data serializes");
    compress(&json)
}

/// What a copy folded into a stored article may fill in where that
/// article lacks it ([`with_missing_filled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fillers<'a> {
    /// Its headline, when it has one of its own (not one made up of the
    /// start of its text or its link).
    pub headline: Option<&'a str>,
    /// Its link, unless other entries share it.
    pub link: Option<&'a str>,
    pub authors: &'a [String],
    pub enclosures: &'a [Enclosure],
    /// Its photo captions.
    pub captions: &'a [Caption],
}

impl<'a> Fillers<'a> {
    /// What `article` may fill in; `None` when it has nothing to give.
    pub fn of(article: &'a crate::model::Article) -> Option<Fillers<'a>> {
        let fillers = Fillers {
            headline: Some(article.title.as_str())
                .filter(|title| !title.is_empty() && !crate::ingest::feed::untitled(article)),
            link: article.link.as_deref().filter(|_| !article.shared_link),
            authors: &article.authors,
            enclosures: &article.enclosures,
            captions: &article.captions,
        };
        let any = fillers.headline.is_some()
            || fillers.link.is_some()
            || !fillers.authors.is_empty()
            || !fillers.enclosures.is_empty()
            || !fillers.captions.is_empty();
        any.then_some(fillers)
    }
}

/// The content record `packed` with what it lacks filled from a copy
/// folded into its article: its `link` when it has none, its `authors`
/// when it names none, its media files when it has none, its captions
/// when it shows no captioned picture (no caption, and no picture in its
/// HTML: the page scraped without its photo), the picture of each of its
/// captions that names none where the copy's same caption shows one
/// (`with_pictures_taken`), and its headline
/// when the stored one is it with a site name, a wire tag or a dateline
/// added (`… | Island Times`: a scraper kept the page title) that it
/// leaves off ([`headline::replacing_headline`]); its text as it was.
/// `None` when nothing was missing.
pub fn with_missing_filled(packed: &[u8], fillers: &Fillers) -> Result<Option<Vec<u8>>, String> {
    let mut stored = unpack_article(String::new(), 0, 0, packed)?;
    let mut filled = false;
    if let Some(headline) = fillers.headline
        && headline::replacing_headline(&stored.title, &fold(headline)).is_some()
    {
        stored.title = headline.to_string();
        filled = true;
    }
    if stored.link.is_none()
        && let Some(link) = fillers.link
    {
        stored.link = Some(link.to_string());
        filled = true;
    }
    if stored.authors.is_empty() && !fillers.authors.is_empty() {
        stored.authors = fillers.authors.to_vec();
        filled = true;
    }
    if stored.enclosures.is_empty() && !fillers.enclosures.is_empty() {
        stored.enclosures = fillers.enclosures.to_vec();
        filled = true;
    }
    if Photos::of(fillers.captions) > photos_shown(&stored) {
        stored.captions = fillers.captions.to_vec();
        filled = true;
    } else if with_pictures_taken(&mut stored.captions, fillers.captions) {
        filled = true;
    }
    Ok(filled.then(|| pack_content(&ContentRef::of_stored(&stored))))
}

/// The prints record `prints` of an article whose content record a fill
/// ([`with_missing_filled`], [`merged`]) took from `before` to `after`,
/// when it gave the article another headline (the stored one without the
/// site name, wire tag or dateline it had): their folded title then is
/// that headline's, as the prints of a text replaced under a kept headline
/// are, so that a later copy is weighed against the headline the story
/// has. `None` when the headline stayed.
pub fn prints_retitled(
    prints: &[u8],
    before: &[u8],
    after: &[u8],
) -> Result<Option<Vec<u8>>, String> {
    let headline = title_of(after)?;
    if title_of(before)? == headline {
        return Ok(None);
    }
    let prints = unpack_prints(prints, 0, 0)?;
    Ok(Some(pack_prints(&NearPrints {
        title: fold(&headline),
        ..prints
    })))
}

/// What `stored` gives of its photos: its captions', or a picture its HTML
/// shows.
fn photos_shown(stored: &StoredArticle) -> Photos {
    photos(&stored.captions, stored.content_html.as_deref())
}

/// What `captions` and `html` give of an article's photos: a picture the
/// HTML shows is one shown in the story.
fn photos(captions: &[Caption], html: Option<&str>) -> Photos {
    if html.is_some_and(shows_picture) {
        Photos::Shown
    } else {
        Photos::of(captions)
    }
}

/// Gives each of `captions` that names no picture the picture of the same
/// caption (its text and credit) in `others`: a copy scraped without its
/// photos (a dump keeps only their captions) and a feed's that gives the
/// pictures caption the same photos. Whether any picture was taken.
fn with_pictures_taken(captions: &mut [Caption], others: &[Caption]) -> bool {
    let same = |a: &Caption, b: &Caption| {
        fold(&a.text) == fold(&b.text)
            && a.credit.as_deref().map(fold) == b.credit.as_deref().map(fold)
    };
    // Each picture is given once: two captions alike (two `(AP)` photos)
    // take a picture each, and none takes one a caption shows already.
    let mut given: Vec<bool> = others
        .iter()
        .map(|o| {
            captions
                .iter()
                .any(|c| c.image.is_some() && c.image == o.image)
        })
        .collect();
    let mut taken = false;
    for caption in captions.iter_mut().filter(|c| c.image.is_none()) {
        if caption.text.is_empty() && caption.credit.is_none() {
            continue;
        }
        if let Some((index, other)) = others
            .iter()
            .enumerate()
            .find(|(index, o)| !given[*index] && o.image.is_some() && same(caption, o))
        {
            given[index] = true;
            caption.image.clone_from(&other.image);
            if caption.alt.is_none() {
                caption.alt.clone_from(&other.alt);
            }
            taken = true;
        }
    }
    taken
}

/// The content record `packed` with `captions` instead of its own (a
/// copy of its text with its captions corrected), each keeping the picture
/// the same stored caption shows where it names none; its text and the
/// rest as they were. `None` when they are its captions already, or give
/// less of its photos than it shows (a page's declared lead image beside a
/// captioned photo).
pub fn with_captions(packed: &[u8], captions: &[Caption]) -> Result<Option<Vec<u8>>, String> {
    let mut stored = unpack_article(String::new(), 0, 0, packed)?;
    let mut captions = captions.to_vec();
    with_pictures_taken(&mut captions, &stored.captions);
    if stored.captions == captions || Photos::of(&captions) < photos_shown(&stored) {
        return Ok(None);
    }
    stored.captions = captions;
    Ok(Some(pack_content(&ContentRef::of_stored(&stored))))
}

/// What an upstream entry edits of its own article when its text does
/// not replace the article's ([`with_entry_edits`]): the fields an entry
/// keeps over the page its text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryEdits<'a> {
    /// Its headline, when it has one of its own (not one made up of the
    /// start of its text or its link).
    pub title: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub categories: &'a [String],
}

impl<'a> EntryEdits<'a> {
    /// What the entry `article` gives of those fields.
    pub fn of(article: &'a crate::model::Article) -> EntryEdits<'a> {
        EntryEdits {
            title: Some(article.title.as_str()).filter(|_| !crate::ingest::feed::untitled(article)),
            summary: article.summary.as_deref(),
            categories: &article.categories,
        }
    }
}

/// The content record `packed` of an upstream entry's own article, which
/// keeps its text, with the entry's `edits`: its headline, and its summary
/// and categories, each where it gives one. `None` when they are as
/// stored.
pub fn with_entry_edits(packed: &[u8], edits: &EntryEdits) -> Result<Option<Vec<u8>>, String> {
    let mut stored = unpack_article(String::new(), 0, 0, packed)?;
    let mut edited = false;
    if let Some(title) = edits.title.filter(|t| !t.is_empty() && *t != stored.title) {
        stored.title = title.to_string();
        edited = true;
    }
    if let Some(summary) = edits.summary
        && stored.summary.as_deref() != Some(summary)
    {
        stored.summary = Some(summary.to_string());
        edited = true;
    }
    if !edits.categories.is_empty() && stored.categories != edits.categories {
        stored.categories = edits.categories.to_vec();
        edited = true;
    }
    Ok(edited.then(|| pack_content(&ContentRef::of_stored(&stored))))
}

/// The content record of `copy`, which replaces the text of the stored
/// article whose content record is `stored`: what a copy folded into an
/// article may fill in ([`Fillers`]: its link, authors, media files) is
/// the stored article's where `copy` gives none, so a copy with no link of
/// its own (a dump's) leaves the story the link it had; and so are the
/// stored pictures and captions where `copy` shows no picture and gives no
/// caption (a text-only feed's longer copy leaves the story its photo), or
/// gives less of them (only the lead image its page declares, beside a
/// photo the story shows). A caption of the copy that names no picture
/// keeps the one the same stored caption shows (`with_pictures_taken`).
pub fn replacing(copy: &ContentRef, stored: &[u8]) -> Result<Vec<u8>, String> {
    let stored = unpack_article(String::new(), 0, 0, stored)?;
    let given = photos(copy.captions, copy.content_html);
    let gives_pictures = given > Photos::None && given >= photos_shown(&stored);
    let captions = if gives_pictures {
        let mut captions = copy.captions.to_vec();
        with_pictures_taken(&mut captions, &stored.captions);
        captions
    } else {
        stored.captions.clone()
    };
    Ok(pack_content(&ContentRef {
        captions: &captions,
        link: copy.link.or(stored.link.as_deref()),
        authors: if copy.authors.is_empty() {
            &stored.authors
        } else {
            copy.authors
        },
        enclosures: if copy.enclosures.is_empty() {
            &stored.enclosures
        } else {
            copy.enclosures
        },
        ..*copy
    }))
}

/// The content record of the survivor of a merge, from its own record
/// `survivor` and the absorbed article's `absorbed`, filled in as a fold
/// of the absorbed article into it would be: when it `takes_text`, the
/// absorbed record with the survivor's link, authors and media files where
/// it has none ([`replacing`]); else its own, with what it lacks taken from
/// the absorbed record ([`with_missing_filled`]). `None` when its own
/// record stays as it was.
pub fn merged(
    survivor: &[u8],
    absorbed: &[u8],
    takes_text: bool,
) -> Result<Option<Vec<u8>>, String> {
    let absorbed = unpack_article(String::new(), 0, 0, absorbed)?;
    if takes_text {
        return replacing(&ContentRef::of_stored(&absorbed), survivor).map(Some);
    }
    with_missing_filled(
        survivor,
        &Fillers {
            headline: Some(absorbed.title.as_str()).filter(|title| !title.is_empty()),
            link: absorbed.link.as_deref(),
            authors: &absorbed.authors,
            enclosures: &absorbed.enclosures,
            captions: &absorbed.captions,
        },
    )
}

/// The link the content record `packed` holds.
pub fn link_of(packed: &[u8]) -> Result<Option<String>, String> {
    #[derive(Deserialize)]
    struct Link {
        #[serde(rename = "l", default)]
        link: Option<String>,
    }
    let content: Link = serde_json::from_slice(&decompress(packed)?)
        .map_err(|e| format!("bad content record: {e}"))?;
    Ok(content.link)
}

/// The headline the content record `packed` holds.
pub fn title_of(packed: &[u8]) -> Result<String, String> {
    #[derive(Deserialize)]
    struct Title {
        #[serde(rename = "t")]
        title: String,
    }
    let content: Title = serde_json::from_slice(&decompress(packed)?)
        .map_err(|e| format!("bad content record: {e}"))?;
    Ok(content.title)
}

/// A stored article from its id, dates and content record.
pub fn unpack_article(
    id: String,
    published: i64,
    updated: i64,
    content: &[u8],
) -> Result<StoredArticle, String> {
    let content: Content = serde_json::from_slice(&decompress(content)?)
        .map_err(|e| format!("bad content record: {e}"))?;
    Ok(StoredArticle {
        id,
        title: content.title,
        published: moment(published)?,
        updated: moment(updated)?,
        captions: content.captions,
        body: content.body,
        link: content.link,
        authors: content.authors,
        categories: content.categories,
        enclosures: content.enclosures,
        summary: content.summary,
        content_html: content.content_html,
    })
}

/// The record of an article's prints (`packed_prints`). Their dates are
/// left out: they are the article's own, and come back from its row
/// ([`unpack_prints`]).
pub fn pack_prints(prints: &NearPrints) -> Vec<u8> {
    packed_prints::pack(prints)
}

/// The prints and the canonical link of an article's text kept aside at
/// a merge, from its `content` and `prints` as packed, dated `published`
/// and `updated` (Unix seconds), as both backends undo the merge.
pub fn unpack_kept(
    content: &[u8],
    prints: &[u8],
    published: i64,
    updated: i64,
) -> Result<(NearPrints, Option<String>), String> {
    let prints = unpack_prints(prints, published, updated)?;
    let link = link_of(content)?.as_deref().and_then(canonical_url);
    Ok((prints, link))
}

/// The prints [`pack_prints`] packed, dated as the article is. Records
/// written before `packed_prints` (compressed JSON) are read as well.
pub fn unpack_prints(packed: &[u8], published: i64, updated: i64) -> Result<NearPrints, String> {
    let prints = if packed_prints::is_packed(packed) {
        packed_prints::unpack(packed)?
    } else {
        serde_json::from_slice(&decompress(packed)?)
            .map_err(|e| format!("bad near-duplicate prints: {e}"))?
    };
    Ok(NearPrints {
        published: Some(moment(published)?),
        updated: Some(moment(updated)?),
        ..prints
    })
}

/// Whether the prints record `packed` ([`pack_prints`]) is of an article
/// that came with no date of its own ([`NearPrints::undated`]): told by its
/// format byte, or read whole for a record written before `packed_prints`.
pub fn prints_undated(packed: &[u8]) -> Result<bool, String> {
    match packed_prints::undated(packed) {
        Some(undated) => Ok(undated),
        None => Ok(unpack_prints(packed, 0, 0)?.undated),
    }
}

/// The prints record `packed` of an article that a copy gave a date,
/// written again as of a dated article ([`NearPrints::undated`] false).
pub fn prints_dated(packed: &[u8]) -> Result<Vec<u8>, String> {
    Ok(pack_prints(&NearPrints {
        undated: false,
        ..unpack_prints(packed, 0, 0)?
    }))
}

/// The prints of a stored article as a copy is weighed against its text,
/// and whether their `updated` is a date a source gave: dated by the dates
/// the text's own source gave it ([`NearPrints::text_dates`]) when the
/// record keeps them, so that a later version is weighed against the text
/// stored now, whichever copy was seen first; else as the article is
/// ([`unpack_prints`]), its `updated` a source's date unless it is the
/// moment feedfold first saw the article or last replaced its text
/// ([`super::update_given_by_source`]).
pub fn unpack_text_prints(
    packed: &[u8],
    dated: &super::Dated,
) -> Result<(NearPrints, bool), String> {
    let prints = unpack_prints(packed, dated.published, dated.updated)?;
    Ok(match prints.text_dates {
        Some(text) => (
            NearPrints {
                published: Some(text.published),
                updated: Some(text.updated),
                ..prints
            },
            true,
        ),
        None => (
            prints,
            super::update_given_by_source(dated.updated, dated.first_seen, dated.changed),
        ),
    })
}

/// The prints of a stored article as a near-duplicate candidate is judged
/// ([`unpack_text_prints`]), their `updated` kept only when a source gave
/// it: the moment feedfold first saw the article, or the moment it last
/// replaced its text, says nothing of when the story changed, and a later
/// version that gives its own update date must not be weighed against it.
pub fn unpack_candidate_prints(packed: &[u8], dated: &super::Dated) -> Result<NearPrints, String> {
    let (prints, given) = unpack_text_prints(packed, dated)?;
    Ok(if given {
        prints
    } else {
        NearPrints {
            updated: None,
            ..prints
        }
    })
}

/// A stored article as a re-check weighs it ([`Settled`]), from its row:
/// its number (the order it was stored in), id, dates, content record and
/// prints, read as a candidate's are ([`unpack_candidate_prints`]) and
/// made whole with the paragraph texts of its body.
pub fn unpack_settled(row: SettledRow) -> Result<Settled, String> {
    let prints = unpack_candidate_prints(
        row.prints,
        &super::Dated {
            published: row.published,
            updated: row.updated,
            first_seen: row.first_seen,
            changed: row.changed,
        },
    )?;
    let article = unpack_article(row.id.clone(), row.published, row.updated, row.content)?;
    Ok(Settled {
        id: row.id,
        prints: prints.with_paragraph_texts(&article.body),
        link: article.link,
        first_seen: moment(row.first_seen)?,
        stored_order: row.seq,
    })
}

/// The columns of an article's row [`unpack_settled`] reads.
pub struct SettledRow<'a> {
    pub seq: i64,
    pub id: String,
    pub published: i64,
    pub updated: i64,
    pub first_seen: i64,
    pub changed: Option<i64>,
    pub content: &'a [u8],
    pub prints: &'a [u8],
}

/// The number an index key is filed under: a 7-bit tag for its family and
/// band (body band `b` is tag `b`, an opening 125, a paragraph 126, the
/// headline 127) over the key's [`KEY_BITS`] bits. Numbers of one tag sort as their bits, so
/// the keys sharing a band's leading bits are one range ([`NearProbe`]).
pub fn near_key(key: &IndexKey) -> i64 {
    let tag = match key.family {
        KeyFamily::Body => u64::from(key.band),
        KeyFamily::Opening => 125,
        KeyFamily::Paragraph => 126,
        KeyFamily::Headline => 127,
    };
    (tag << KEY_BITS | key.value) as i64
}

/// The distinct numbers `keys` are filed under, in order.
pub fn near_keys(keys: &[IndexKey]) -> Vec<i64> {
    let mut numbers: Vec<i64> = Vec::with_capacity(keys.len());
    for key in keys {
        let n = near_key(key);
        if !numbers.contains(&n) {
            numbers.push(n);
        }
    }
    numbers
}

/// The key a number was filed under ([`near_key`] undone), whole: its
/// `leading` is every bit it keeps.
fn filed_key(number: i64) -> IndexKey {
    let number = number as u64;
    let (family, band) = match number >> KEY_BITS {
        125 => (KeyFamily::Opening, 0),
        126 => (KeyFamily::Paragraph, 0),
        127 => (KeyFamily::Headline, 0),
        band => (KeyFamily::Body, band as u32),
    };
    IndexKey {
        family,
        band,
        value: number & ((1 << KEY_BITS) - 1),
        leading: KEY_BITS,
    }
}

/// What a lookup reads for one index key: the numbers from `low` to `high`
/// (the key's tag and leading bits), of which it keeps those the key
/// reaches ([`IndexKey::reaches`]: within [`NearProbe::reach`] bits of
/// `center`). For a paragraph or headline key the range is the key alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearProbe {
    pub key: IndexKey,
    /// The distance the index is keyed for.
    pub k: u32,
    pub low: i64,
    pub high: i64,
    pub center: i64,
}

impl NearProbe {
    /// The probe for `key` of an index keyed for distance `k`.
    pub fn of(key: &IndexKey, k: u32) -> NearProbe {
        let center = near_key(key);
        let free = KEY_BITS - key.leading;
        let mask = (1i64 << free) - 1;
        NearProbe {
            key: *key,
            k,
            low: center & !mask,
            high: center | mask,
            center,
        }
    }

    /// Whether the range is a single number.
    pub fn is_exact(&self) -> bool {
        self.low == self.high
    }

    /// How many bits a row's number may differ from `center` in: `k` for a
    /// body band, none for the other keys.
    pub fn reach(&self) -> u32 {
        if self.key.family == KeyFamily::Body {
            self.k
        } else {
            0
        }
    }

    /// Whether a row filed under `number` answers the probe.
    pub fn admits(&self, number: i64) -> bool {
        self.key.reaches(&filed_key(number), self.k)
    }
}

/// How many of the [`KEY_BITS`] bits under their tags the index numbers
/// `a` and `b` differ in: for two numbers of one band's range, the
/// distance [`NearProbe::admits`] weighs.
pub fn key_distance(a: i64, b: i64) -> u32 {
    ((a ^ b) & ((1i64 << KEY_BITS) - 1)).count_ones()
}

/// The probes of `keys` for distance `k`, one per distinct number.
pub fn near_probes(keys: &[IndexKey], k: u32) -> Vec<NearProbe> {
    let mut probes: Vec<NearProbe> = Vec::with_capacity(keys.len());
    for key in keys {
        let probe = NearProbe::of(key, k);
        if !probes.contains(&probe) {
            probes.push(probe);
        }
    }
    probes
}

/// Key numbers as the row keeps them: 8 bytes each, little-endian.
pub fn pack_keys(keys: &[i64]) -> Vec<u8> {
    keys.iter().flat_map(|k| k.to_le_bytes()).collect()
}

pub fn unpack_keys(packed: &[u8]) -> Result<Vec<i64>, String> {
    if !packed.len().is_multiple_of(8) {
        return Err("bad index key list".into());
    }
    Ok(packed
        .chunks_exact(8)
        .map(|b| i64::from_le_bytes(b.try_into().expect("eight bytes")))
        .collect())
}

/// A moment as stored: Unix seconds.
pub fn seconds(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// `t` rounded up to a whole second, as the stores keep moments: a stamp
/// never before `t`.
pub fn whole_second_up(t: DateTime<Utc>) -> DateTime<Utc> {
    let whole = t.trunc_subsecs(0);
    if whole == t {
        whole
    } else {
        whole + chrono::Duration::seconds(1)
    }
}

pub fn moment(seconds: i64) -> Result<DateTime<Utc>, String> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| format!("bad moment {seconds}"))
}

thread_local! {
    /// One compression and one decompression context per thread: making
    /// them costs more than compressing a short article.
    static CONTEXTS: RefCell<Option<(Compressor<'static>, Decompressor<'static>)>> =
        const { RefCell::new(None) };
}

fn with_contexts<T>(
    work: impl FnOnce(&mut Compressor<'static>, &mut Decompressor<'static>) -> T,
) -> T {
    CONTEXTS.with(|cell| {
        let mut contexts = cell.borrow_mut();
        let (compressor, decompressor) = contexts.get_or_insert_with(|| {
            (
                Compressor::new(LEVEL).expect("a zstd compression context"),
                Decompressor::new().expect("a zstd decompression context"),
            )
        });
        work(compressor, decompressor)
    })
}

fn compress(bytes: &[u8]) -> Vec<u8> {
    with_contexts(|compressor, _| compressor.compress(bytes))
        .expect("compressing into memory cannot fail")
}

fn decompress(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let size = zstd::zstd_safe::get_frame_content_size(bytes)
        .ok()
        .flatten()
        .ok_or("bad compressed record")?;
    if size > MAX_RECORD as u64 {
        return Err(format!("a compressed record of {size} bytes is too large"));
    }
    with_contexts(|_, decompressor| decompressor.decompress(bytes, size as usize))
        .map_err(|e| format!("bad compressed record: {e}"))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::Article;

    #[test]
    fn a_replacing_copy_keeps_the_link_authors_and_media_it_gives_none_of() {
        let stored = Article {
            title: "Floods".into(),
            body: vec![Block::paragraph("Old text.")],
            link: Some("https://wire.example/floods".into()),
            authors: vec!["Wire".into()],
            enclosures: vec![Enclosure {
                url: "https://wire.example/floods.mp3".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let packed = pack_content(&ContentRef::of_article(&stored));
        let mut copy = Article {
            title: "Floods".into(),
            body: vec![Block::paragraph("New text.")],
            ..Default::default()
        };
        let replaced = replacing(&ContentRef::of_article(&copy), &packed).unwrap();
        let article = unpack_article(String::new(), 0, 0, &replaced).unwrap();
        assert_eq!(article.body, copy.body);
        assert_eq!(article.link, stored.link);
        assert_eq!(article.authors, stored.authors);
        assert_eq!(article.enclosures, stored.enclosures);
        // What the copy gives is its own.
        copy.link = Some("https://site.example/floods".into());
        copy.authors = vec!["Site".into()];
        let replaced = replacing(&ContentRef::of_article(&copy), &packed).unwrap();
        let article = unpack_article(String::new(), 0, 0, &replaced).unwrap();
        assert_eq!((article.link, article.authors), (copy.link, copy.authors));
    }

    #[test]
    fn a_replacing_copy_that_shows_no_picture_keeps_the_stored_ones() {
        let photo = Caption {
            text: "A tram crosses the Wend Bridge.".into(),
            credit: Some("Calder Herald".into()),
            image: Some("https://calder.example/tram.jpg".into()),
            alt: None,
            declared: false,
        };
        let stored = Article {
            title: "Tram Extension Approved".into(),
            captions: vec![photo.clone()],
            body: vec![Block::paragraph("Old text.")],
            ..Default::default()
        };
        let packed = pack_content(&ContentRef::of_article(&stored));
        let replaced_by = |copy: &Article| {
            let replaced = replacing(&ContentRef::of_article(copy), &packed).unwrap();
            unpack_article(String::new(), 0, 0, &replaced).unwrap()
        };
        let text_only = Article {
            title: "Tram Extension Approved".into(),
            body: vec![Block::paragraph("New text."), Block::paragraph("More.")],
            ..Default::default()
        };
        let article = replaced_by(&text_only);
        assert_eq!(article.body, text_only.body);
        assert_eq!(article.captions, vec![photo.clone()]);
        // A copy with a picture of its own, as a caption or in its HTML,
        // shows its own.
        let captioned = Article {
            captions: vec![Caption::credited("The new depot.", "Council")],
            ..text_only.clone()
        };
        assert_eq!(replaced_by(&captioned).captions, captioned.captions);
        let pictured = Article {
            content_html: Some(
                "<p>New text.</p><img src=\"https://calder.example/depot.jpg\">".into(),
            ),
            ..text_only.clone()
        };
        assert!(replaced_by(&pictured).captions.is_empty());
    }

    #[test]
    fn a_folded_copy_gives_its_captions_only_to_a_story_that_shows_no_photo() {
        let unpack = |packed: &[u8]| unpack_article(String::new(), 0, 0, packed).unwrap();
        let ferry = Caption::credited("The ferry at the harbour pier.", "AP");
        let bare = Article {
            title: "Harbour ferry suspended".into(),
            body: vec![Block::paragraph("The text.")],
            ..Default::default()
        };
        let captioned = Article {
            captions: vec![ferry.clone()],
            ..bare.clone()
        };
        let fillers = Fillers::of(&captioned).unwrap();
        let packed = pack_content(&ContentRef::of_article(&bare));
        let filled = with_missing_filled(&packed, &fillers).unwrap();
        assert_eq!(
            unpack(&filled.expect("the caption")).captions,
            std::slice::from_ref(&ferry)
        );
        // A story with a caption of its own, or a picture in its HTML, keeps it.
        let other = Article {
            captions: vec![Caption::credited("Passengers at the bus stop.", "AP")],
            ..bare.clone()
        };
        let pictured = Article {
            content_html: Some(
                "<p>The text.</p><img src=\"https://port.example/ferry.jpg\">".into(),
            ),
            ..bare.clone()
        };
        for stored in [other, pictured] {
            let packed = pack_content(&ContentRef::of_article(&stored));
            assert_eq!(with_missing_filled(&packed, &fillers).unwrap(), None);
        }
    }

    #[test]
    fn a_pages_declared_lead_image_stands_in_only_where_the_story_shows_no_photo() {
        let unpack = |packed: &[u8]| unpack_article(String::new(), 0, 0, packed).unwrap();
        let declared = Caption {
            image: Some("https://port.example/media/ferry-og.jpg".into()),
            declared: true,
            ..Caption::default()
        };
        let photo = Caption {
            image: Some("https://port.example/media/ferry.jpg".into()),
            ..Caption::credited("The ferry at the harbour pier.", "AP")
        };
        let bare = Article {
            title: "Harbour ferry suspended".into(),
            body: vec![Block::paragraph("The text.")],
            ..Default::default()
        };
        let page = Article {
            captions: vec![declared.clone()],
            ..bare.clone()
        };
        let captioned = Article {
            captions: vec![photo.clone()],
            ..bare.clone()
        };
        let pack = |article: &Article| pack_content(&ContentRef::of_article(article));
        // Folded into a story without a photo, the page gives its image…
        let filled = with_missing_filled(&pack(&bare), &Fillers::of(&page).unwrap()).unwrap();
        assert_eq!(
            unpack(&filled.expect("the image")).captions,
            std::slice::from_ref(&declared)
        );
        // …which gives way to a copy's photo folded in later…
        let filled = with_missing_filled(&pack(&page), &Fillers::of(&captioned).unwrap()).unwrap();
        assert_eq!(
            unpack(&filled.expect("the photo")).captions,
            std::slice::from_ref(&photo)
        );
        // …and takes the place of no photo the story shows, whether the
        // page's copy is folded in, replaces the story's text or repeats it.
        assert_eq!(
            with_missing_filled(&pack(&captioned), &Fillers::of(&page).unwrap()).unwrap(),
            None
        );
        let longer = Article {
            body: vec![Block::paragraph("The text."), Block::paragraph("More.")],
            ..page.clone()
        };
        let replaced = replacing(&ContentRef::of_article(&longer), &pack(&captioned)).unwrap();
        assert_eq!(unpack(&replaced).captions, std::slice::from_ref(&photo));
        let replaced = replacing(&ContentRef::of_article(&longer), &pack(&bare)).unwrap();
        assert_eq!(unpack(&replaced).captions, std::slice::from_ref(&declared));
        assert_eq!(
            with_captions(&pack(&captioned), &page.captions).unwrap(),
            None
        );
        // A photo the story shows corrects it.
        assert!(
            with_captions(&pack(&page), &captioned.captions)
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn a_caption_without_its_picture_takes_it_from_the_same_caption_of_a_copy() {
        let unpack = |packed: &[u8]| unpack_article(String::new(), 0, 0, packed).unwrap();
        let scraped = Caption::credited("Dock workers unload containers on Monday.", "AP");
        let pictured = Caption {
            image: Some("https://img.port.example/dock.jpg".into()),
            ..scraped.clone()
        };
        let dump = Article {
            title: "Port approves harbour expansion".into(),
            captions: vec![scraped.clone()],
            body: vec![Block::paragraph("The text.")],
            ..Default::default()
        };
        let wire = Article {
            captions: vec![pictured.clone()],
            content_html: Some("<p>The text.</p>".into()),
            ..dump.clone()
        };
        // The dump stored first: the wire's copy folded in gives the picture.
        let filled = with_missing_filled(
            &pack_content(&ContentRef::of_article(&dump)),
            &Fillers::of(&wire).unwrap(),
        )
        .unwrap();
        assert_eq!(
            unpack(&filled.expect("the picture")).captions,
            std::slice::from_ref(&pictured)
        );
        // The wire stored first: the dump's text replacing it keeps it.
        let replaced = replacing(
            &ContentRef::of_article(&dump),
            &pack_content(&ContentRef::of_article(&wire)),
        )
        .unwrap();
        assert_eq!(unpack(&replaced).captions, std::slice::from_ref(&pictured));
        // So does a later copy's caption without it, and a merge.
        let wire_packed = pack_content(&ContentRef::of_article(&wire));
        assert_eq!(with_captions(&wire_packed, &dump.captions).unwrap(), None);
        let merged_in = merged(
            &pack_content(&ContentRef::of_article(&dump)),
            &wire_packed,
            false,
        )
        .unwrap();
        assert_eq!(
            unpack(&merged_in.expect("the picture")).captions,
            std::slice::from_ref(&pictured)
        );
        // Another caption, or the same under another credit, gives nothing.
        for other in [
            Caption::credited("Cranes over the quay.", "AP"),
            Caption::credited("Dock workers unload containers on Monday.", "Reuters"),
        ] {
            let elsewhere = Article {
                captions: vec![Caption {
                    image: Some("https://img.port.example/other.jpg".into()),
                    ..other
                }],
                ..wire.clone()
            };
            let packed = pack_content(&ContentRef::of_article(&dump));
            assert_eq!(
                with_missing_filled(&packed, &Fillers::of(&elsewhere).unwrap())
                    .unwrap()
                    .map(|p| unpack(&p).captions),
                None
            );
        }
    }

    #[test]
    fn captions_alike_take_a_picture_each() {
        let alike = Caption::credited("", "AP");
        let pictured = |n: u32| Caption {
            image: Some(format!("https://img.port.example/{n}.jpg")),
            ..alike.clone()
        };
        let mut captions = vec![alike.clone(), alike.clone(), pictured(3)];
        let others = [pictured(1), pictured(2), pictured(3)];
        assert!(with_pictures_taken(&mut captions, &others));
        assert_eq!(captions, [pictured(1), pictured(2), pictured(3)]);
    }

    #[test]
    fn corrected_captions_replace_the_stored_ones_and_leave_the_rest() {
        let unpack = |packed: &[u8]| unpack_article(String::new(), 0, 0, packed).unwrap();
        let stored = Article {
            title: "Harbour ferry suspended".into(),
            captions: vec![Caption::credited("The ferry at the harbour pier.", "AP")],
            body: vec![Block::paragraph("The text.")],
            link: Some("https://port.example/ferry".into()),
            ..Default::default()
        };
        let packed = pack_content(&ContentRef::of_article(&stored));
        let fixed = [Caption::credited(
            "The ferry at the harbour pier.",
            "Reuters",
        )];
        let corrected = unpack(&with_captions(&packed, &fixed).unwrap().expect("corrected"));
        assert_eq!(corrected.captions, fixed);
        assert_eq!(corrected.body, stored.body);
        assert_eq!(corrected.link, stored.link);
        assert_eq!(with_captions(&packed, &stored.captions).unwrap(), None);
    }

    #[test]
    fn a_folded_copy_leaves_off_the_site_name_the_stored_headline_has() {
        let unpack = |packed: &[u8]| unpack_article(String::new(), 0, 0, packed).unwrap();
        let stored = Article {
            title: "Ferry Operator Orders Two Hybrid Vessels | Island Times".into(),
            body: vec![Block::paragraph("The text.")],
            ..Default::default()
        };
        let packed = pack_content(&ContentRef::of_article(&stored));
        let clean = Article {
            title: "Ferry operator orders two hybrid vessels".into(),
            body: vec![Block::paragraph("Another copy of the text.")],
            ..Default::default()
        };
        let filled = with_missing_filled(&packed, &Fillers::of(&clean).unwrap()).unwrap();
        let filled = unpack(&filled.expect("the headline without the site name"));
        assert_eq!(filled.title, clean.title);
        assert_eq!(filled.body, stored.body, "the stored text stays");
        // The other way round, or under another headline, the stored one stays.
        let packed = pack_content(&ContentRef::of_article(&clean));
        assert_eq!(
            with_missing_filled(&packed, &Fillers::of(&stored).unwrap()).unwrap(),
            None
        );
        let other = Article {
            title: "Ferry Operator Orders Two Vessels".into(),
            ..clean.clone()
        };
        let packed = pack_content(&ContentRef::of_article(&stored));
        assert_eq!(
            with_missing_filled(&packed, &Fillers::of(&other).unwrap()).unwrap(),
            None
        );
    }

    #[test]
    fn an_entry_edit_that_keeps_the_stored_text_gives_its_headline_summary_and_categories() {
        let pack = |article: &Article| pack_content(&ContentRef::of_article(article));
        let unpack = |packed: &[u8]| unpack_article(String::new(), 0, 0, packed).unwrap();
        let stored = Article {
            title: "Old Bridge Closed".into(),
            body: vec![
                Block::paragraph("The whole story, read from the page."),
                Block::paragraph("Its second paragraph."),
            ],
            link: Some("https://calder.example/news/bridge".into()),
            summary: Some("The bridge was closed.".into()),
            categories: vec!["Roads".into()],
            ..Default::default()
        };
        let edited = Article {
            title: "Old Bridge Closed for Two Weeks".into(),
            body: vec![Block::paragraph("The page's first paragraph only.")],
            link: stored.link.clone(),
            summary: Some("The bridge is closed for two weeks.".into()),
            ..Default::default()
        };
        let packed = pack(&stored);
        let taken = with_entry_edits(&packed, &EntryEdits::of(&edited)).unwrap();
        let taken = unpack(&taken.expect("a headline and summary edited"));
        assert_eq!(taken.title, edited.title);
        assert_eq!(taken.summary, edited.summary);
        assert_eq!(taken.body, stored.body, "the stored text stays");
        assert_eq!(taken.categories, stored.categories, "the entry gives none");
        // Nothing edited: the record stays as it was.
        assert_eq!(
            with_entry_edits(&packed, &EntryEdits::of(&stored)).unwrap(),
            None
        );
        // A headline made up of the start of the entry's own text is none
        // of its own: the stored headline stays.
        let untitled = Article {
            title: "Closed until further notice.".into(),
            body: vec![Block::paragraph("Closed until further notice.")],
            link: stored.link.clone(),
            summary: stored.summary.clone(),
            ..Default::default()
        };
        assert_eq!(EntryEdits::of(&untitled).title, None);
        assert_eq!(
            with_entry_edits(&packed, &EntryEdits::of(&untitled)).unwrap(),
            None
        );
    }

    #[test]
    fn a_merge_fills_in_what_the_survivor_lacks_from_the_absorbed_article() {
        let pack = |article: &Article| pack_content(&ContentRef::of_article(article));
        let unpack = |packed: &[u8]| unpack_article(String::new(), 0, 0, packed).unwrap();
        let dump = Article {
            title: "Elland Families Flee".into(),
            body: vec![Block::paragraph("A local intro.")],
            authors: vec!["Herald".into()],
            ..Default::default()
        };
        let entry = Article {
            title: "Floods".into(),
            body: vec![Block::paragraph("The wire text.")],
            link: Some("https://wire.example/floods".into()),
            authors: vec!["Wire".into()],
            enclosures: vec![Enclosure {
                url: "https://wire.example/floods.mp3".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        // The survivor keeps its text: it takes the link and media files it
        // lacks, and keeps the authors it names.
        let kept = merged(&pack(&dump), &pack(&entry), false).unwrap();
        let kept = unpack(&kept.expect("it lacked a link and media files"));
        assert_eq!((&kept.title, &kept.body), (&dump.title, &dump.body));
        assert_eq!(kept.link, entry.link);
        assert_eq!(kept.enclosures, entry.enclosures);
        assert_eq!(kept.authors, dump.authors);
        // Lacking nothing the absorbed article gives, it stays as it was.
        assert_eq!(merged(&pack(&entry), &pack(&dump), false).unwrap(), None);
        // The survivor takes the absorbed text: what that text gives none
        // of stays the survivor's.
        let taken = merged(&pack(&entry), &pack(&dump), true).unwrap();
        let taken = unpack(&taken.expect("a new text"));
        assert_eq!((&taken.title, &taken.body), (&dump.title, &dump.body));
        assert_eq!(taken.link, entry.link);
        assert_eq!(taken.enclosures, entry.enclosures);
        assert_eq!(taken.authors, dump.authors);
    }

    #[test]
    fn whole_second_up_rounds_a_moment_within_a_second_up_and_keeps_a_whole_one() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        assert_eq!(
            whole_second_up(at("2026-12-01T08:00:30.001Z")),
            at("2026-12-01T08:00:31Z")
        );
        assert_eq!(
            whole_second_up(at("2026-12-01T08:00:30Z")),
            at("2026-12-01T08:00:30Z")
        );
    }

    #[test]
    fn minted_ids_pack_into_17_bytes_that_sort_as_the_text() {
        let ids = [
            "tag:feedfold.invalid,2026:article:054aa78a9815d4477981cc03604b1098",
            "tag:feedfold.invalid,2026:article:f54aa78a9815d4477981cc03604b1098",
            "tag:feedfold.invalid,2026:entry:0000000000000000000000000000000a",
            "tag:feedfold.invalid,2026:entry:a0000000000000000000000000000000",
        ];
        let packed: Vec<Vec<u8>> = ids.iter().map(|id| pack_id(id)).collect();
        for (id, bytes) in ids.iter().zip(&packed) {
            assert_eq!(bytes.len(), 17);
            assert_eq!(unpack_id(bytes).unwrap(), *id);
        }
        assert!(packed.windows(2).all(|w| w[0] < w[1]), "text order kept");
        for other in [
            "tag:feedfold.invalid,2026:article:054AA78A9815D4477981CC03604B1098",
            "tag:feedfold.invalid,2026:article:054a",
            "urn:other:1",
            "",
        ] {
            assert_eq!(unpack_id(&pack_id(other)).unwrap(), other);
        }
    }

    #[test]
    fn content_and_prints_round_trip_and_shrink() {
        let paragraph = "The board of the Port of Calder voted on Monday to approve a \
            long-delayed expansion of the northern harbour, ending a dispute with fishing \
            cooperatives that had stalled the project for more than a year.";
        let article = Article {
            title: "Port of Calder Approves Harbour Expansion".into(),
            captions: vec![Caption::credited("The northern harbour", "AP")],
            body: vec![
                Block::paragraph(paragraph),
                Block::subhead("What next"),
                Block::paragraph(paragraph.replace("Monday", "Tuesday")),
            ],
            link: Some("https://news.example/calder".into()),
            authors: vec!["A. Writer".into()],
            summary: Some("The port expands.".into()),
            ..Default::default()
        };
        let packed = pack_content(&ContentRef::of_article(&article));
        // Smaller than the body alone as JSON, though it holds everything.
        let json = serde_json::to_string(&article.body).unwrap();
        assert!(
            packed.len() < json.len() * 2 / 3,
            "{} of {}",
            packed.len(),
            json.len()
        );
        let when = DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let stored = unpack_article("x".into(), seconds(when), seconds(when), &packed).unwrap();
        assert_eq!(stored.title, article.title);
        assert_eq!(stored.captions, article.captions);
        assert_eq!(stored.body, article.body);
        assert_eq!(stored.link, article.link);
        assert_eq!(stored.authors, article.authors);
        assert_eq!(stored.summary, article.summary);
        assert_eq!((stored.published, stored.updated), (when, when));
        assert_eq!(
            pack_content(&ContentRef::of_stored(&stored)),
            packed,
            "the same content packs to the same bytes"
        );
        let mut podcast = article.clone();
        podcast.enclosures = vec![crate::model::Enclosure {
            url: "https://news.example/calder.mp3".into(),
            media_type: Some("audio/mpeg".into()),
            length: Some(2_000_000),
        }];
        let packed = pack_content(&ContentRef::of_article(&podcast));
        let stored = unpack_article("x".into(), seconds(when), seconds(when), &packed).unwrap();
        assert_eq!(stored.enclosures, podcast.enclosures);

        let prints = NearPrints::of(&article).as_stored();
        let again = unpack_prints(&pack_prints(&prints), seconds(when), seconds(when)).unwrap();
        assert_eq!(
            again,
            NearPrints {
                published: Some(when),
                updated: Some(when),
                ..prints.clone()
            }
        );
        // A record written as compressed JSON, before the binary format.
        let undated = NearPrints {
            published: None,
            updated: None,
            ..prints.clone()
        };
        let old = compress(&serde_json::to_vec(&undated).unwrap());
        assert_eq!(
            unpack_prints(&old, seconds(when), seconds(when)).unwrap(),
            again
        );
    }

    #[test]
    fn bad_records_are_errors_not_panics() {
        assert!(unpack_article("x".into(), 0, 0, b"not zstd").is_err());
        assert!(unpack_prints(&compress(b"{}"), 0, 0).is_err());
        assert!(unpack_prints(&[packed_prints::FORMAT, 0], 0, 0).is_err());
        assert!(unpack_keys(&[1, 2, 3]).is_err());
        assert!(moment(i64::MAX).is_err());
    }

    #[test]
    fn a_stored_text_is_weighed_by_the_dates_its_source_gave_it() {
        let at = |hour| Utc.with_ymd_and_hms(2026, 12, 5, hour, 0, 0).unwrap();
        let copy = |published, updated| Article {
            title: "Ferry capsizes off Calder Point".into(),
            published,
            updated,
            body: vec![crate::model::Block::paragraph(
                "A passenger ferry capsized off Calder Point early on Saturday, the \
                 coastguard said, and lifeboats searched the area.",
            )],
            ..Default::default()
        };
        // First seen in a partner's copy at 13:00, the article's text is now
        // the newsroom's, published at 7:00 and updated at 10:00, and was
        // replaced when read at 16:00.
        let article = super::super::Dated {
            published: seconds(at(13)),
            updated: seconds(at(16)),
            first_seen: seconds(at(13)),
            changed: Some(seconds(at(16))),
        };
        let packed = pack_prints(&NearPrints::of(&copy(Some(at(7)), Some(at(10)))));
        let (prints, given) = unpack_text_prints(&packed, &article).unwrap();
        assert_eq!(
            (prints.published, prints.updated),
            (Some(at(7)), Some(at(10)))
        );
        assert!(given);
        let candidate = unpack_candidate_prints(&packed, &article).unwrap();
        assert_eq!(candidate.date(), Some(at(10)));
        // Prints that keep no text dates (an undated text, a record written
        // before they were kept) are dated as the article is, its `updated`
        // left out when it is the moment feedfold replaced the text.
        let undated = pack_prints(&NearPrints::of(&copy(None, None)));
        let (prints, given) = unpack_text_prints(&undated, &article).unwrap();
        assert_eq!(
            (prints.published, prints.updated),
            (Some(at(13)), Some(at(16)))
        );
        assert!(!given);
        let candidate = unpack_candidate_prints(&undated, &article).unwrap();
        assert_eq!(
            (candidate.published, candidate.updated),
            (Some(at(13)), None)
        );
    }

    #[test]
    fn index_keys_become_distinct_numbers() {
        let article = Article {
            title: "Port of Calder approves harbour expansion".into(),
            body: vec![crate::model::Block::paragraph(
                "The board of the Port of Calder voted on Monday to approve a long-delayed \
                 expansion of the northern harbour, ending a dispute with fishing cooperatives.",
            )],
            ..Default::default()
        };
        let keys = NearPrints::of(&article).index_keys(3);
        let mut doubled = keys.clone();
        doubled.extend(keys.iter().copied());
        let numbers = near_keys(&doubled);
        assert_eq!(numbers.len(), 4 + 1 + 1 + 1);
        assert_eq!(unpack_keys(&pack_keys(&numbers)).unwrap(), numbers);
        // The tag leads: body bands 0 to 3, then the paragraph, the
        // headline and the opening.
        let tags: Vec<u64> = numbers.iter().map(|&n| n as u64 >> KEY_BITS).collect();
        assert_eq!(tags, [0, 1, 2, 3, 126, 127, 125]);
        for (key, &number) in keys.iter().zip(&numbers) {
            let filed = filed_key(number);
            assert_eq!(
                (filed.family, filed.band, filed.value),
                (key.family, key.band, key.value)
            );
            let probe = NearProbe::of(key, 3);
            assert!(probe.admits(number));
            assert_eq!(probe.is_exact(), key.family != KeyFamily::Body);
        }
    }

    #[test]
    fn a_body_probe_admits_its_band_within_reach_only() {
        let key = |value| IndexKey {
            family: KeyFamily::Body,
            band: 2,
            value,
            leading: 16,
        };
        let stored = 0x00ab_cdef_0123_4567u64 & ((1 << KEY_BITS) - 1);
        let probe = NearProbe::of(&key(stored ^ 0b111), 3);
        assert!(probe.admits(near_key(&key(stored))), "three bits apart");
        assert!(
            !probe.admits(near_key(&key(stored ^ 0b1000))),
            "four bits apart"
        );
        // Another band, the same bits: not admitted.
        let other_band = IndexKey {
            band: 1,
            ..key(stored)
        };
        assert!(!probe.admits(near_key(&other_band)));
        // A chance match of the leading 16 bits, far in the rest.
        assert!(!probe.admits(near_key(&key(stored ^ 0xffff_ffff))));
        let range = probe.high - probe.low;
        assert_eq!(range, (1 << (KEY_BITS - 16)) - 1);
        // Within the range, the distance the database filters by is the
        // probe's own test.
        let free = KEY_BITS - 16;
        for seed in 0..4096u64 {
            // One to six bits flipped below the band's leading bits.
            let flips = (0..=seed % 6).fold(0i64, |bits, i| {
                bits | 1 << ((seed.wrapping_mul(0x9e37_79b9) >> (5 * i)) % u64::from(free))
            });
            let number = probe.center ^ flips;
            assert!((probe.low..=probe.high).contains(&number));
            let within = key_distance(number, probe.center) <= probe.reach();
            assert_eq!(within, probe.admits(number), "{number:#x}");
        }
        assert!(key_distance(probe.center, near_key(&key(stored))) == 3);
        // Paragraph and headline numbers sort after every body band.
        let headline = IndexKey {
            family: KeyFamily::Headline,
            band: 0,
            value: 5,
            leading: KEY_BITS,
        };
        let probe = NearProbe::of(&headline, 3);
        assert!(probe.is_exact() && probe.admits(near_key(&headline)));
        assert!(!probe.admits(near_key(&headline) + 1));
    }
}

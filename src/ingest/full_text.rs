//! Full text for summary-only feeds: the link of each entry the source has
//! not read at its current version is fetched, and the article found there
//! replaces the entry's teaser, unless it gives less than the entry's own
//! text (a paywall's first paragraph beside an entry that carries its
//! whole story: the entry keeps its text, and takes the page's photo when
//! it shows none). The entry keeps its title (an entry without one takes
//! the page's headline), link and identity, is matched on the link the
//! page gives itself when that is another ([`Article::page_link`]), and its
//! dates where the page gives none, one more than a day ahead, or one
//! naming only the day the entry's gives a time of. Pages are
//! known by the entry's link in its canonical form, so tracking parameters
//! that change from fetch to fetch fetch nothing again. An entry read
//! before at the same version is left out (the store has it), and so is an
//! entry read before whose updated page is to be tried again next cycle
//! (its edits come with the page then); any other entry whose page cannot
//! be fetched or has no article keeps its own text, with a warning naming
//! the URL, in place of the page's: should the store hold the page's text
//! already (read before, at an earlier version of the entry), the entry's
//! shorter text is no update of it, but its edited headline and summary
//! are. An entry whose link other
//! entries of the document share (a section page) is no page of its own: it
//! keeps its teaser, and nothing is fetched for it. A page that names
//! fewer than half the telling words of the entry's headline and of its
//! teaser (where the entry's link redirected for good to another URL, of
//! either of them) is not the entry's story: reached through a temporary redirect, a
//! bounce (a rate-limit or notice page), tried again next cycle; otherwise
//! another story (a story taken down sent on to a related one), and the
//! entry keeps its teaser.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use unicode_segmentation::UnicodeSegmentation;
use url::Url;

use super::date::{dated_no_later_than, page_date_over};
use super::feed::{link_key, untitled};
use super::page_fetch::{FetchedPage, PageAnswer, PageFailure, Wanted};
use super::sanitize::shows_picture;
use super::source::{GatherContext, PageVersion, SeenPage, SitePage};
use crate::dedup::headline::{is_stop_word, stem as headline_stem};
use crate::dedup::simhash::words as folded_words;
use crate::furniture::LINK_LABELS;
use crate::model::{Article, Block, Photos, rfc3339};
use crate::normalize::{canonical_url, folded_key, hex, unspaced_script};

/// The entries of a feed, completed: each with the page it was read from
/// when it was, the pages to remember once they land, how many entries
/// were left out because the store has them, and whether a page is to be
/// tried again next cycle (then the document must be read again in full,
/// not answered "not modified").
pub struct Completed {
    pub articles: Vec<(Article, Option<SitePage>)>,
    pub remembered: Vec<SeenPage>,
    pub known: usize,
    pub retry: bool,
}

/// What becomes of one entry.
enum Plan {
    /// Folded as it is: it has no link, or one other entries share.
    AsIs(Article),
    /// Read before at this version: the store has it.
    Known,
    /// Its page is fetched from `link`, and remembered as `page`; `stored`
    /// when an earlier version was read.
    Fetch {
        entry: Article,
        link: String,
        page: SeenPage,
        stored: bool,
    },
}

/// What becomes of `entry`, given the pages of the source `seen` before
/// (by the canonical form of their link, or, remembered before pages were
/// known by it, by the link as written).
fn plan(entry: Article, seen: &HashMap<String, PageVersion>) -> Plan {
    let (Some(link), Some(key)) = (entry.link.clone(), link_key(&entry)) else {
        return Plan::AsIs(entry);
    };
    if entry.shared_link {
        return Plan::AsIs(entry);
    }
    let version = version(&entry);
    match seen.get(&key).or_else(|| seen.get(&link)) {
        Some(read) if read_at(&read.version, &version) => Plan::Known,
        read => Plan::Fetch {
            stored: read.is_some(),
            entry,
            link,
            page: SeenPage {
                url: key,
                version,
                validators: read.map(|r| r.validators.clone()).unwrap_or_default(),
            },
        },
    }
}

/// The links to ask the store about for `entries`: each page's link as
/// written and in its canonical form.
fn links_to_ask(entries: &[Article]) -> Vec<String> {
    let mut links: Vec<String> = entries
        .iter()
        .filter(|e| !e.shared_link)
        .flat_map(|e| [e.link.clone(), link_key(e)])
        .flatten()
        .collect();
    links.sort();
    links.dedup();
    links
}

/// Completes `entries` of `source` (configured at `location`) from their
/// pages.
pub async fn complete(
    context: &GatherContext,
    source: &str,
    location: &str,
    entries: Vec<Article>,
) -> Completed {
    let seen = context.pages_seen(source, links_to_ask(&entries)).await;
    let plans: Vec<Plan> = entries.into_iter().map(|e| plan(e, &seen)).collect();
    let wanted: Vec<Wanted> = plans
        .iter()
        .filter_map(|p| match p {
            // The entry keeps its own title, whatever the page says.
            Plan::Fetch { link, page, .. } => Some(Wanted {
                url: link.clone(),
                validators: page.validators.clone(),
                ..Wanted::default()
            }),
            Plan::AsIs(_) | Plan::Known => None,
        })
        .collect();
    let mut fetched = context.pages.pages(&wanted, location).await.into_iter();
    let now = Utc::now();
    let mut completed = Completed {
        articles: Vec::with_capacity(plans.len()),
        remembered: Vec::new(),
        known: 0,
        retry: false,
    };
    for plan in plans {
        let (entry, page, stored) = match plan {
            Plan::AsIs(entry) => {
                completed.articles.push((entry, None));
                continue;
            }
            Plan::Known => {
                completed.known += 1;
                continue;
            }
            Plan::Fetch {
                entry,
                page,
                stored,
                ..
            } => (entry, page, stored),
        };
        let answer = fetched.next().expect("one answer per link");
        let answer = match answer {
            Ok(PageAnswer::NotModified(validators)) => {
                // The page is as its last full fetch read it, which the
                // store holds: the entry's edits land over that text.
                completed
                    .articles
                    .push((standing_for_its_page(entry), None));
                completed.remembered.push(SeenPage { validators, ..page });
                continue;
            }
            Ok(PageAnswer::Read(found)) => on_the_story(*found, &entry),
            Err(failure) => Err(failure),
        };
        match answer {
            Ok(found) => {
                let page = SeenPage {
                    validators: found.validators.clone(),
                    ..page
                };
                let read = dated_page(source, found.article, &found.site_page.page, now);
                completed.articles.push(if gives_less(&read, &entry) {
                    (own_text_over(entry, read), None)
                } else {
                    (with_page(entry, read), Some(found.site_page))
                });
                completed.remembered.push(page);
            }
            Err(failure) => {
                let passing = failure.is_passing();
                let next = if passing {
                    "; tried again next cycle"
                } else {
                    ""
                };
                let kept = if stored {
                    "the entry keeps the text read before"
                } else {
                    "the entry keeps its teaser (or the text read before)"
                };
                failure.warn(source, &format!("{failure}; {kept}{next}"));
                if stored && passing {
                    // Read before: the page tried again next cycle brings
                    // the entry's edits with its text.
                    completed.known += 1;
                } else {
                    // Its own text stands for the page: the store keeps a
                    // fuller text read before, and the entry's edits of its
                    // headline and summary land all the same.
                    completed
                        .articles
                        .push((standing_for_its_page(entry), None));
                }
                if passing {
                    completed.retry = true;
                } else {
                    completed.remembered.push(page);
                }
            }
        }
    }
    completed
}

/// The page fetched for `entry`, unless it is not the entry's story
/// ([`tells_the_story`]). Landed at for now only (a 302, 303 or 307 to
/// another page), it is a bounce: a rate-limit, notice or sign-in page that
/// does not carry the story's address back, to be tried again next cycle.
/// Answered by the page itself or where it redirected for good, it is
/// another story (one taken down sent on to a related one), which would put
/// the entry's headline over another story's text and date: the entry keeps
/// its own. An entry without a headline of its own takes the page's, so any
/// page but a bounce is its story.
fn on_the_story(found: FetchedPage, entry: &Article) -> Result<FetchedPage, PageFailure> {
    let bounced = found.landed_elsewhere_for_now();
    let moved =
        !found.temporarily_redirected && another_address(&found.site_page.page, &found.landed);
    if (!bounced && untitled(entry)) || tells_the_story(&found.article, entry, moved) {
        return Ok(found);
    }
    let (url, to) = (found.site_page.page, found.landed);
    Err(if bounced {
        PageFailure::BouncedOffStory { url, to }
    } else {
        PageFailure::NotTheStory { url, to }
    })
}

/// Whether a redirect from `asked` landed at another address of the same
/// site than the one asked for: another path or query, not the same one
/// over `https`, on a `www.` host, with a trailing slash or without its
/// tracking parameters ([`canonical_url`]). A redirect to another host is
/// a redirector's (a feed proxy's, a click counter's), which says nothing
/// of a story moved.
fn another_address(asked: &str, landed: &str) -> bool {
    let place = |url: &str| {
        let url = Url::parse(&canonical_url(url)?).ok()?;
        let host = url.host_str()?.trim_start_matches("www.").to_string();
        let path = url.path().trim_end_matches('/').to_string();
        Some((host, path, url.query().unwrap_or("").to_string()))
    };
    match (place(asked), place(landed)) {
        (Some((asked_host, asked_path, asked_query)), Some((host, path, query))) => {
            asked_host == host && (asked_path, asked_query) != (path, query)
        }
        _ => false,
    }
}

/// Whether `page` tells the story of `entry`: it names at least half of the
/// telling words ([`telling_words`]) of the entry's headline (unless the
/// entry has none of its own), or of its teaser ([`teaser_words`]). A page
/// whose headline is worded otherwise than the feed's title still names
/// most of its words in its text, or those of the teaser it grew from;
/// another story names few. A teaser of fewer than
/// [`MIN_TEASER_WORDS`] telling words vouches for no page beside a
/// headline that has some: a word or two (`More…`) are everyday words any
/// page may use. An entry with nothing to judge by is told by any page.
/// A page the entry's link `moved` to for good (another URL) must name
/// half of both: a story taken down is often sent on to a related one,
/// which shares the subject of its headline (`Harbour bridge reopens` and
/// `Harbour bridge to close again`) but not what its teaser tells, while
/// the same story at a new address tells both.
fn tells_the_story(page: &Article, entry: &Article, moved: bool) -> bool {
    let headline = if untitled(entry) {
        HashSet::new()
    } else {
        telling_words(&entry.title)
    };
    let teaser = teaser_words(&text_of(&entry.body));
    let teaser = if headline.is_empty() || teaser.len() >= MIN_TEASER_WORDS {
        teaser
    } else {
        HashSet::new()
    };
    if headline.is_empty() && teaser.is_empty() {
        return true;
    }
    let body = text_of(&page.body);
    let told: HashSet<String> = std::iter::once(page.title.as_str())
        .chain(page.captions.iter().map(|c| c.text.as_str()))
        .chain(std::iter::once(body.as_str()))
        .flat_map(telling_words)
        .collect();
    let mostly_told = |words: &HashSet<String>| {
        !words.is_empty() && 2 * words.intersection(&told).count() >= words.len()
    };
    if moved {
        [&headline, &teaser]
            .into_iter()
            .all(|words| words.is_empty() || mostly_told(words))
    } else {
        mostly_told(&headline) || mostly_told(&teaser)
    }
}

/// Fewest telling words a teaser needs to vouch for a page whose words
/// the entry's headline does not find: half of them then makes two, not
/// one everyday word.
const MIN_TEASER_WORDS: usize = 3;

/// The text of `body`, a line a block.
fn text_of(body: &[Block]) -> String {
    body.iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The telling words ([`telling_words`]) of a teaser without its link
/// labels ([`LINK_LABELS`]: `Read more`, `Continue reading →`): a teaser
/// made only of them tells nothing of its story.
fn teaser_words(text: &str) -> HashSet<String> {
    let words = folded_words(text);
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    let mut rest = words.as_slice();
    while let Some((first, after)) = rest.split_first() {
        let label = LINK_LABELS.iter().find(|label| {
            rest.len() >= label.len() && rest.iter().zip(label.iter()).all(|(w, l)| w == l)
        });
        match label {
            Some(label) => rest = &rest[label.len()..],
            None => {
                kept.push(first);
                rest = after;
            }
        }
    }
    telling_among(kept)
}

/// The distinct words of `text` that tell one story from another
/// ([`telling_among`]), as [`folded_words`] folds them (NFKC, lower case,
/// typographic quotes as ASCII), so text in composed and decomposed
/// accents, or with either apostrophe, gives the same words.
fn telling_words(text: &str) -> HashSet<String> {
    telling_among(folded_words(text).iter().map(String::as_str))
}

/// The distinct telling words among folded `words`, known by their stem
/// ([`telling_stem`]) as headlines are matched (`Council` in
/// `councillors`): without an elided article or pronoun
/// ([`without_elision`]), and words of under four letters in any script
/// and stop words (`after`, `with`) left out, but in scripts written
/// without spaces, where one ideograph is a word.
fn telling_among<'w>(words: impl IntoIterator<Item = &'w str>) -> HashSet<String> {
    words
        .into_iter()
        .map(without_elision)
        .filter(|word| {
            let short = word.chars().count() < 4 && !word.chars().any(unspaced_script);
            !short && !is_stop_word(word)
        })
        .map(|word| telling_stem(word).to_string())
        .collect()
}

/// Articles, prepositions and pronouns that French, Italian, Catalan and
/// Irish elide before a vowel, folded (`l'`, `d'`, `qu'`, `dell'`).
const ELIDED: &[&str] = &[
    "agl", "all", "b", "c", "coll", "d", "dagl", "dall", "degl", "dell", "gl", "j", "jusqu", "l",
    "lorsqu", "m", "n", "negl", "nell", "nessun", "pell", "puisqu", "qu", "quell", "quest",
    "quoiqu", "s", "sugl", "sull", "t", "un", "v",
];

/// A folded `word` without the article or pronoun elided before it
/// (`l'offensive`, `dell'accordo`, `s'inquiète`), as the word stands
/// alone elsewhere.
fn without_elision(word: &str) -> &str {
    match word.split_once('\'') {
        Some((elided, rest)) if !rest.is_empty() && ELIDED.contains(&elided) => rest,
        _ => word,
    }
}

/// The stem a telling word is known by: the headline stem, except in
/// Korean, which writes particles onto nouns (`스마트폰을`, `스마트폰이`):
/// there a word is known by its first four syllables, as many as a telling
/// word has at least.
fn telling_stem(word: &str) -> &str {
    if word.chars().next().is_some_and(is_hangul_syllable) {
        match word.char_indices().nth(4) {
            Some((end, _)) => &word[..end],
            None => word,
        }
    } else {
        headline_stem(word)
    }
}

/// Whether `c` is a precomposed Hangul syllable.
fn is_hangul_syllable(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}')
}

/// The article read from the page at `url` without its dates more than a
/// day ahead of `now` (the entry's own stand instead), with a warning
/// naming the page.
fn dated_page(source: &str, page: Article, url: &str, now: DateTime<Utc>) -> Article {
    let (dated, refused) = dated_no_later_than(&page, now);
    let Some(date) = refused else {
        return page;
    };
    tracing::warn!(
        target: "feedfold::ingest::dates",
        source = %source,
        "{}",
        crate::redact::urls_in(&format!(
            "{url}: dated {}, more than a day ahead of now: the entry's own date stands",
            rfc3339(date)
        ))
    );
    dated.into_owned()
}

/// An entry whose page could not be read or gave less, its own text
/// standing for the page's: when the store holds the page's text already
/// (read before, its page forgotten since, or its link moved), the
/// entry's text replaces it only as the page fetched again would, if it
/// extends it or is about as full.
fn standing_for_its_page(entry: Article) -> Article {
    Article {
        page_text: true,
        ..entry
    }
}

/// The link `page`, read for `entry`, gives itself (its canonical link),
/// when it is another than the entry's: the story is matched on it.
fn page_link(entry: &Article, page: &Article) -> Option<String> {
    let declared = page.link.as_deref()?;
    let canonical = canonical_url(declared)?;
    let own = entry.link.as_deref().and_then(canonical_url);
    (own.as_deref() != Some(canonical.as_str())).then(|| declared.to_string())
}

/// What changes when an entry is updated: its date, else its text; with
/// the date, the fields the entry keeps over its page (title, summary,
/// categories), then those it gives when its page does not (authors,
/// pictures, media files), so an entry corrected without a new date is read
/// again.
fn version(entry: &Article) -> String {
    let Some(date) = entry.updated.or(entry.published) else {
        let mut text = entry.title.clone();
        for block in &entry.body {
            text.push('\n');
            text.push_str(&block.text);
        }
        return hex(&folded_key(&text, &mut String::new()));
    };
    let fields = [
        entry.title.as_str(),
        entry.summary.as_deref().unwrap_or_default(),
        &entry.categories.join("\n"),
    ]
    .join("\n");
    let given = (&entry.authors, &entry.captions, &entry.enclosures);
    let given = serde_json::to_vec(&given).expect("plain data serializes");
    format!(
        "{} {} {}",
        rfc3339(date),
        hex(&folded_key(&fields, &mut String::new())),
        hex(&Sha256::digest(given)[..16])
    )
}

/// Whether a page remembered at version `read` was read at `version`: the
/// same, or remembered before the later parts of a version were counted
/// (the date alone, then without the fields an entry gives when its page
/// does not) and the same in the parts it has.
fn read_at(read: &str, version: &str) -> bool {
    version
        .strip_prefix(read)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// The words of `body`.
fn words(body: &[Block]) -> usize {
    body.iter().map(|b| b.text.unicode_words().count()).sum()
}

/// Whether `page`, the article read from an entry's page, gives less than
/// nine tenths of the words of the entry's own text (a paywall's first
/// paragraph beside an entry that carries the whole story).
fn gives_less(page: &Article, entry: &Article) -> bool {
    words(&page.body) * 10 < words(&entry.body) * 9
}

/// The entry with its own text standing for a page that gave less, and
/// what the page tells of it (dates, authors, the link it gives itself),
/// and its photos where the entry shows none (no caption, and no picture
/// in its HTML) or gives less of them (only the lead image its page
/// declares): a paywall's teaser page still shows the story's lead photo.
fn own_text_over(entry: Article, page: Article) -> Article {
    let page_link = page_link(&entry, &page);
    let mut own = standing_for_its_page(entry);
    own.published = page_date_over(page.published, own.published);
    own.updated = page_date_over(page.updated, own.updated);
    if !page.authors.is_empty() {
        own.authors = page.authors;
    }
    let own_photos = if own.content_html.as_deref().is_some_and(shows_picture) {
        Photos::Shown
    } else {
        Photos::of(&own.captions)
    };
    if Photos::of(&page.captions) > own_photos {
        own.captions = page.captions;
    }
    own.summary = own.summary.or(page.summary);
    own.page_link = page_link;
    own
}

/// The entry with the page's article in place of its teaser, under its
/// own title, or the page's headline when it has none of its own (one
/// made of the start of the teaser the page's text replaces, or of its
/// link).
fn with_page(entry: Article, page: Article) -> Article {
    let or = |a: Vec<String>, b: Vec<String>| if a.is_empty() { b } else { a };
    let page_photos = Photos::of(&page.captions);
    let page_link = page_link(&entry, &page);
    Article {
        title: if page.title.is_empty() || !untitled(&entry) {
            entry.title
        } else {
            page.title
        },
        published: page_date_over(page.published, entry.published),
        updated: page_date_over(page.updated, entry.updated),
        // A page that gives no photo, or only the lead image it declares
        // beside the entry's own pictures, leaves the entry its pictures.
        captions: if page_photos > Photos::None && page_photos >= Photos::of(&entry.captions) {
            page.captions
        } else {
            entry.captions
        },
        body: page.body,
        link: entry.link.or(page.link),
        upstream_id: entry.upstream_id,
        upstream_key: entry.upstream_key,
        shared_link: entry.shared_link,
        page_text: true,
        page_link,
        authors: or(page.authors, entry.authors),
        categories: or(entry.categories, page.categories),
        enclosures: entry.enclosures,
        summary: entry.summary.or(page.summary),
        // The page's text is the content now: rendered from its blocks.
        content_html: None,
        origin: entry.origin,
        line_keys: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Caption, Enclosure, Origin};
    use chrono::{DateTime, Utc};

    fn at(text: &str) -> Option<DateTime<Utc>> {
        Some(
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc),
        )
    }

    #[test]
    fn the_page_replaces_the_teaser_and_the_entry_keeps_its_identity() {
        let entry = Article {
            title: "Ferries Stop as Dock Workers Strike".into(),
            published: at("2026-11-30T08:00:00Z"),
            body: vec![Block::paragraph("Ferries stopped on Monday…")],
            link: Some("https://harbour.example/news/strike".into()),
            upstream_id: Some("tag:harbour.example,2026:strike".into()),
            upstream_key: Some("tag:harbour.example,2026:strike".into()),
            summary: Some("Ferries stopped on Monday…".into()),
            content_html: Some("<p>Ferries stopped on Monday…</p>".into()),
            origin: Origin {
                location: "https://harbour.example/rss.xml".into(),
                line: 3,
            },
            ..Article::default()
        };
        let page = Article {
            title: "Dock workers strike | Harbour Post".into(),
            updated: at("2026-11-30T09:30:00Z"),
            body: vec![
                Block::paragraph("Ferries stopped on Monday as dock workers walked out."),
                Block::subhead("What happens next"),
                Block::paragraph("Talks resume on Wednesday."),
            ],
            captions: vec![Caption::credited("Pickets at the gate.", "Reuters")],
            link: Some("https://harbour.example/news/strike?amp".into()),
            authors: vec!["Ann Lee".into()],
            ..Article::default()
        };
        let merged = with_page(entry.clone(), page.clone());
        assert_eq!(merged.title, entry.title);
        assert_eq!(merged.link, entry.link);
        assert_eq!(merged.upstream_key, entry.upstream_key);
        assert_eq!(merged.published, entry.published, "the page has none");
        assert_eq!(merged.updated, page.updated);
        assert_eq!(merged.body, page.body);
        assert_eq!(merged.captions, page.captions);
        assert_eq!(merged.authors, ["Ann Lee"]);
        assert_eq!(merged.content_html, None);
        assert_eq!(merged.origin, entry.origin);
        assert_eq!(merged.line_keys, None);
    }

    fn teaser(n: u32, link: Option<&str>) -> Article {
        Article {
            title: format!("Story {n}"),
            published: at(&format!("2026-11-{n:02}T08:00:00Z")),
            body: vec![Block::paragraph(format!("Teaser {n}."))],
            link: link.map(str::to_string),
            ..Article::default()
        }
    }

    #[test]
    fn only_the_pages_of_entries_new_or_updated_with_a_link_of_their_own_are_fetched() {
        let link = |n: u32| format!("https://harbour.example/news/{n}");
        let tagged = crate::ingest::fetch::Validators {
            etag: Some("\"v2\"".into()),
            last_modified: None,
        };
        let read_at = |version: &str, validators: &crate::ingest::fetch::Validators| PageVersion {
            version: version.into(),
            validators: validators.clone(),
        };
        let seen: HashMap<String, PageVersion> = [
            (link(1), read_at("2026-11-01T08:00:00Z", &tagged)),
            (link(2), read_at("2026-10-01T08:00:00Z", &tagged)),
        ]
        .into();
        let plan_of = |entry: Article| match plan(entry, &seen) {
            Plan::AsIs(_) => "as is".to_string(),
            Plan::Known => "known".to_string(),
            Plan::Fetch { page, stored, .. } => {
                format!("fetch {} {stored} {:?}", page.url, page.validators.etag)
            }
        };
        assert_eq!(plan_of(teaser(1, Some(&link(1)))), "known");
        assert_eq!(
            plan_of(teaser(2, Some(&link(2)))),
            format!("fetch {} true Some(\"\\\"v2\\\"\")", link(2)),
            "updated since it was read: asked for with the validators it was read with"
        );
        assert_eq!(
            plan_of(teaser(3, Some(&link(3)))),
            format!("fetch {} false None", link(3))
        );
        assert_eq!(plan_of(teaser(4, None)), "as is");
        let mut on_a_section_page = teaser(5, Some("https://harbour.example/news/"));
        on_a_section_page.shared_link = true;
        assert_eq!(
            plan_of(on_a_section_page),
            "as is",
            "a link other entries share is no entry's page"
        );
    }

    #[test]
    fn an_entry_changes_version_when_its_date_or_text_does() {
        let mut entry = Article {
            title: "Strike".into(),
            body: vec![Block::paragraph("Teaser.")],
            ..Article::default()
        };
        let undated = version(&entry);
        entry.body[0].text = "Another teaser.".into();
        assert_ne!(version(&entry), undated);
        entry.published = at("2026-11-30T08:00:00Z");
        let dated = version(&entry);
        assert!(dated.starts_with("2026-11-30T08:00:00Z "), "{dated}");
        entry.body[0].text = "A teaser edited.".into();
        assert_eq!(version(&entry), dated, "the page's text stands for it");
        entry.title = "Strike ends".into();
        let retitled = version(&entry);
        assert_ne!(retitled, dated, "a headline corrected without a new date");
        entry.categories = vec!["Labour".into()];
        assert_ne!(version(&entry), retitled);
        entry.updated = at("2026-11-30T10:00:00Z");
        assert!(version(&entry).starts_with("2026-11-30T10:00:00Z "));
        let recategorised = version(&entry);
        entry.enclosures = vec![Enclosure {
            url: "https://harbour.example/strike.mp3".into(),
            ..Enclosure::default()
        }];
        let with_audio = version(&entry);
        assert_ne!(with_audio, recategorised, "a media file added");
        entry.authors = vec!["Ann Lee".into()];
        assert_ne!(version(&entry), with_audio, "a byline corrected");
        // A page remembered before the later parts of a version were
        // counted is read at the version with the same first parts.
        let (date, rest) = version(&entry)
            .split_once(' ')
            .map(|(d, r)| (d.to_string(), r.to_string()))
            .unwrap();
        let (fields, _) = rest.split_once(' ').unwrap();
        assert!(read_at(&date, &version(&entry)));
        assert!(read_at(&format!("{date} {fields}"), &version(&entry)));
        assert!(read_at(&version(&entry), &version(&entry)));
        assert!(!read_at("2026-11-30T08:00:00Z", &version(&entry)));
        assert!(!read_at(&retitled, &version(&entry)));
        assert!(!read_at(&with_audio, &version(&entry)));
        assert!(!read_at(&undated, &version(&entry)));
    }

    #[test]
    fn a_page_is_known_by_its_link_without_tracking_parameters() {
        let tracked = |campaign: u32| {
            format!("https://harbour.example/news/1?utm_source=rss&utm_campaign=daily-{campaign}")
        };
        let entry = |campaign: u32| teaser(1, Some(&tracked(campaign)));
        let read = |key: &str| -> HashMap<String, PageVersion> {
            let read = PageVersion {
                version: version(&entry(1)),
                ..PageVersion::default()
            };
            [(key.to_string(), read)].into()
        };
        let canonical = read("https://harbour.example/news/1");
        assert!(matches!(plan(entry(2), &canonical), Plan::Known));
        // Remembered by the link as written, before pages were known by
        // its canonical form.
        assert!(matches!(plan(entry(1), &read(&tracked(1))), Plan::Known));
        match plan(entry(3), &HashMap::new()) {
            Plan::Fetch { link, page, .. } => {
                assert_eq!(link, tracked(3), "fetched as the entry gives it");
                assert_eq!(page.url, "https://harbour.example/news/1");
            }
            _ => panic!("a new page is fetched"),
        }
        assert_eq!(
            links_to_ask(&[entry(4)]),
            ["https://harbour.example/news/1".to_string(), tracked(4)]
        );
    }

    fn paragraphs(texts: &[&str]) -> Vec<Block> {
        texts.iter().map(|t| Block::paragraph(*t)).collect()
    }

    #[test]
    fn an_entry_carrying_its_whole_story_keeps_it_over_a_page_giving_less() {
        let story = [
            "Council tax bills in Westport will rise by five per cent in April, the council confirmed.",
            "The increase will add about ninety pounds a year to a typical bill in the town.",
            "The council leader said rising care costs had left no choice, and the budget goes to a vote in February.",
        ];
        let entry = Article {
            title: "Council Tax to Rise".into(),
            published: at("2026-12-03T07:00:00Z"),
            body: paragraphs(&story),
            link: Some("https://westport.example/news/tax".into()),
            content_html: Some("<p>Council tax bills…</p>".into()),
            ..Article::default()
        };
        let paywall = Article {
            updated: at("2026-12-03T08:00:00Z"),
            body: paragraphs(&[story[0], "Subscribe to read on."]),
            authors: vec!["Ann Lee".into()],
            ..Article::default()
        };
        assert!(gives_less(&paywall, &entry));
        let kept = own_text_over(entry.clone(), paywall.clone());
        assert_eq!(kept.body, entry.body);
        assert_eq!(kept.content_html, entry.content_html);
        assert!(kept.page_text, "no update of a fuller text read before");
        assert_eq!(kept.updated, paywall.updated);
        assert_eq!(kept.authors, ["Ann Lee"]);
        // A page about as full as the entry's own text is the article.
        let page = Article {
            body: paragraphs(&[story[0], story[1], &story[2][..90]]),
            ..paywall
        };
        assert!(!gives_less(&page, &entry));
        assert!(!gives_less(&page, &teaser(3, None)));
    }

    #[test]
    fn an_entry_keeping_its_own_text_takes_the_photo_of_a_page_giving_less() {
        let entry = Article {
            title: "Library Opens".into(),
            body: paragraphs(&[
                "The library on Mill Street opened on Saturday with a queue past the bakery.",
                "Volunteers catalogued forty thousand donated books over the summer.",
            ]),
            link: Some("https://westport.example/news/library".into()),
            content_html: Some("<p>The library on Mill Street opened…</p>".into()),
            ..Article::default()
        };
        let paywall = Article {
            body: paragraphs(&["The library opened.", "Subscribe to read on."]),
            captions: vec![Caption::credited("The reading room.", "Ann Lee")],
            ..Article::default()
        };
        assert!(gives_less(&paywall, &entry));
        let kept = own_text_over(entry.clone(), paywall.clone());
        assert_eq!(kept.body, entry.body);
        assert_eq!(kept.captions, paywall.captions, "the entry shows no photo");
        // An entry showing a photo of its own, captioned or in its HTML,
        // keeps it.
        let captioned = Article {
            captions: vec![Caption::credited("The queue outside.", "Bo Wu")],
            ..entry.clone()
        };
        let kept = own_text_over(captioned.clone(), paywall.clone());
        assert_eq!(kept.captions, captioned.captions);
        let pictured = Article {
            content_html: Some("<p><img src=\"https://westport.example/q.jpg\"></p>".into()),
            ..entry
        };
        assert!(own_text_over(pictured, paywall).captions.is_empty());
    }

    #[test]
    fn a_story_is_matched_on_the_link_its_page_gives_itself_when_another() {
        let entry = teaser(
            6,
            Some("https://partner.example/ferry-story?utm_source=rss"),
        );
        let page = |link: &str| Article {
            link: Some(link.into()),
            body: paragraphs(&["Ferries will run later into the winter, the council said."]),
            ..Article::default()
        };
        let original = "https://herald.example/news/ferry";
        let merged = with_page(entry.clone(), page(original));
        assert_eq!(merged.link, entry.link, "the entry keeps its link");
        assert_eq!(merged.page_link.as_deref(), Some(original));
        let kept = own_text_over(
            Article {
                body: paragraphs(&[&"word ".repeat(40)]),
                ..entry.clone()
            },
            page(original),
        );
        assert_eq!(kept.page_link.as_deref(), Some(original));
        // A page giving the entry's own link, or its URL, gives no other.
        for own in [
            "https://partner.example/ferry-story",
            "https://partner.example/ferry-story/?utm_campaign=daily",
        ] {
            assert_eq!(with_page(entry.clone(), page(own)).page_link, None, "{own}");
        }
        assert_eq!(with_page(entry, Article::default()).page_link, None);
    }

    #[test]
    fn a_pages_date_naming_only_the_day_leaves_the_entry_its_time() {
        let entry = Article {
            published: at("2026-11-15T17:45:00Z"),
            ..teaser(15, Some("https://harbour.example/news/15"))
        };
        let page = Article {
            published: at("2026-11-15T00:00:00Z"),
            body: paragraphs(&["Harbour pilots agreed a pay deal with the port on Sunday."]),
            ..Article::default()
        };
        let merged = with_page(entry.clone(), page.clone());
        assert_eq!(merged.published, entry.published);
        let kept = own_text_over(entry, page);
        assert_eq!(kept.published, at("2026-11-15T17:45:00Z"));
    }

    #[test]
    fn a_page_date_far_ahead_leaves_the_entry_its_own() {
        let now = at("2026-12-03T12:00:00Z").unwrap();
        let entry = teaser(30, Some("https://harbour.example/news/30"));
        let page = Article {
            published: at("2099-03-01T09:00:00Z"),
            updated: at("2026-12-03T11:00:00Z"),
            body: paragraphs(&["The bridge reopens in March after repairs to its span."]),
            ..Article::default()
        };
        let read = dated_page("ht", page, "https://harbour.example/news/30", now);
        let merged = with_page(entry.clone(), read);
        assert_eq!(merged.published, entry.published);
        assert_eq!(merged.updated, at("2026-12-03T11:00:00Z"));
    }

    /// A page of `title` whose text is `text`.
    fn page_of(title: &str, text: &str) -> Article {
        Article {
            title: title.into(),
            body: paragraphs(&[text]),
            ..Article::default()
        }
    }

    /// An entry titled `title` with the teaser `teaser` (none when empty).
    fn entry_of(title: &str, teaser: &str) -> Article {
        Article {
            title: title.into(),
            body: if teaser.is_empty() {
                Vec::new()
            } else {
                paragraphs(&[teaser])
            },
            link: Some("https://harbour.example/news/1".into()),
            ..Article::default()
        }
    }

    #[test]
    fn a_page_tells_the_story_that_names_most_of_the_entrys_headline_or_teaser_words() {
        let ferries = entry_of(
            "Council Backs Winter Ferries",
            "Councillors backed a winter timetable for the island ferries on Monday.",
        );
        let story = page_of(
            "Ferry timetable extended into winter",
            "Councillors voted on Monday to extend the ferry timetable into the winter months.",
        );
        assert!(tells_the_story(&story, &ferries, false));
        let headline_only = entry_of("COUNCIL BACKS WINTER FERRIES", "");
        assert!(
            tells_the_story(&story, &headline_only, false),
            "case is no matter"
        );
        let budget = page_of(
            "Council Approves Budget After Long Debate",
            "The city council approved its budget for next year on Thursday after a long debate.",
        );
        assert!(
            !tells_the_story(&budget, &ferries, false),
            "another story of the council"
        );
        let busy = page_of(
            "Too many requests",
            "Please wait a few minutes before trying again.",
        );
        assert!(!tells_the_story(&busy, &headline_only, false));
        assert!(
            tells_the_story(&busy, &entry_of("Go on", ""), false),
            "a headline of short words only, and no teaser"
        );
        let tokyo = page_of("", "東京で地下鉄が止まった。");
        assert!(tells_the_story(
            &tokyo,
            &entry_of("地下鉄ストライキ", ""),
            false
        ));
        assert!(!tells_the_story(
            &busy,
            &entry_of("地下鉄ストライキ", ""),
            false
        ));
    }

    #[test]
    fn only_another_path_or_query_is_another_address() {
        let asked = "http://harbour.example/news/bridge";
        for same in [
            "https://harbour.example/news/bridge",
            "https://www.harbour.example/news/bridge/",
            "https://harbour.example/news/bridge?utm_source=rss",
            // Another host: a redirector's, no move of the story.
            "https://feeds.proxy.example/~r/harbour/bridge",
        ] {
            assert!(!another_address(asked, same), "{same}");
        }
        for other in [
            "http://harbour.example/news/inspection",
            "http://harbour.example/news/bridge?page=2",
        ] {
            assert!(another_address(asked, other), "{other}");
        }
    }

    #[test]
    fn a_page_moved_to_for_good_must_tell_both_the_headline_and_the_teaser() {
        let reopening = entry_of(
            "Harbour bridge reopens after repairs",
            "The harbour bridge reopened on Sunday after three months of repairs.",
        );
        let related = page_of(
            "Harbour bridge to close again for inspection",
            "The harbour bridge will close again next weekend for a safety inspection of its new cables.",
        );
        assert!(
            tells_the_story(&related, &reopening, false),
            "half the headline's words, as the page answered"
        );
        assert!(
            !tells_the_story(&related, &reopening, true),
            "a related story the link was sent on to"
        );
        let same = page_of(
            "Harbour bridge reopens after repairs",
            "The harbour bridge reopened on Sunday after three months of repairs to its deck and cables.",
        );
        assert!(
            tells_the_story(&same, &reopening, true),
            "the story at a new address"
        );
        let headline_only = entry_of("Harbour bridge reopens after repairs", "");
        assert!(tells_the_story(&same, &headline_only, true));
    }

    #[test]
    fn a_page_under_another_headline_tells_the_story_its_teaser_grew_from() {
        let museum = entry_of(
            "Lighthouse Museum To Reopen In Spring",
            "The lighthouse museum on the point will reopen in the spring after two years of restoration work.",
        );
        let story = page_of(
            "Keepers' Cottage Doors Open Again",
            "The museum on the point will open its doors again in March, after two years of restoration work on the keepers' cottage.",
        );
        assert!(tells_the_story(&story, &museum, false));
        let budget = page_of(
            "Council Approves Budget After Long Debate",
            "The city council approved its budget for next year on Thursday after a five hour debate.",
        );
        assert!(!tells_the_story(&budget, &museum, false));
    }

    #[test]
    fn elided_articles_and_either_apostrophe_leave_the_words_they_stand_before() {
        let otan = page_of(
            "L’OTAN s’inquiète de l’offensive",
            "L’OTAN s’inquiète de l’offensive lancée mardi dans l’est du pays.",
        );
        for title in [
            "L'OTAN s'inquiète de l'offensive",
            "OTAN inquiète offensive",
        ] {
            assert!(
                tells_the_story(&otan, &entry_of(title, ""), false),
                "{title}"
            );
        }
        let reworded = page_of("", "L'OTAN est inquiète face à une offensive.");
        let otan_entry = entry_of("L'OTAN s'inquiète de l'offensive", "");
        assert!(tells_the_story(&reworded, &otan_entry, false));
        let accordo = page_of(
            "L’Italia e l’Europa: l’accordo sull’immigrazione",
            "Il governo ha firmato l’accordo.",
        );
        let accordo_entry = entry_of("L'Italia e l'Europa: l'accordo sull'immigrazione", "");
        assert!(tells_the_story(&accordo, &accordo_entry, false));
        assert!(
            !tells_the_story(&otan, &accordo_entry, false),
            "another story"
        );
        assert_eq!(
            telling_words("dell'offensiva d’OTAN O'Brien"),
            telling_words("offensiva OTAN O’Brien")
        );
    }

    #[test]
    fn words_under_four_letters_tell_nothing_in_any_spaced_script() {
        assert_eq!(
            telling_words("Цены на газ и"),
            telling_words("Цены"),
            "short Cyrillic words"
        );
        let prices = page_of(
            "Инфляция ускорилась",
            "Цены выросли уже третий месяц подряд.",
        );
        let title = "Цены на газ и нефть выросли";
        assert!(tells_the_story(&prices, &entry_of(title, ""), false));
        let athens = page_of("", "Η Αθήνα υπέγραψε την συμφωνία.");
        let greek = "Η Αθήνα και η ΕΕ σε νέα συμφωνία";
        assert!(tells_the_story(&athens, &entry_of(greek, ""), false));
        let busy = page_of("Too many requests", "Please wait a few minutes.");
        assert!(!tells_the_story(&busy, &entry_of(title, ""), false));
        assert!(!tells_the_story(&busy, &entry_of(greek, ""), false));
    }

    #[test]
    fn a_korean_word_is_known_with_the_particle_written_onto_it() {
        let title = "삼성, 새 스마트폰 국내 출시";
        assert_eq!(
            telling_words(title).len(),
            1,
            "스마트폰 alone has four syllables"
        );
        let galaxy = page_of("", "삼성전자는 17일 스마트폰을 국내에 출시했다.");
        assert!(tells_the_story(&galaxy, &entry_of(title, ""), false));
        let busy = page_of("Too many requests", "Please wait a few minutes.");
        assert!(!tells_the_story(&busy, &entry_of(title, ""), false));
    }

    #[test]
    fn text_in_decomposed_accents_tells_the_story_its_composed_page_does() {
        let nfd = "E\u{301}lections re\u{301}gionales reporte\u{301}es a\u{300} de\u{301}cembre";
        let nfc = "Élections régionales reportées à décembre";
        let page = |text: &str| page_of(text, &format!("{text}, a annoncé le gouvernement."));
        assert!(tells_the_story(&page(nfc), &entry_of(nfd, ""), false));
        assert!(tells_the_story(&page(nfd), &entry_of(nfc, ""), false));
        assert_eq!(telling_words(nfd), telling_words(nfc));
    }

    #[test]
    fn a_teaser_of_link_labels_or_a_word_or_two_vouches_for_no_page() {
        let budget = page_of(
            "Budget raises tobacco taxes",
            "The minister raised taxes on tobacco, and said more was to come. \
             Voters will read the details; click here to continue reading.",
        );
        for label in [
            "Read more",
            "Continue reading →",
            "Click here to read more",
            "More…",
        ] {
            let entry = entry_of("Kessock lighthouse to be restored", label);
            assert!(!tells_the_story(&budget, &entry, false), "{label}");
        }
        // A teaser with a label after its own words is judged by those.
        let teased = entry_of(
            "Harbour plan approved",
            "The minister raised tobacco taxes in the budget. Read more",
        );
        assert!(tells_the_story(&budget, &teased, false));
        assert_eq!(
            teaser_words("The lighthouse reopens in spring. Continue reading →"),
            telling_words("The lighthouse reopens in spring.")
        );
    }

    /// `article`, fetched from `url`, landed at `landed`, `for_now` when
    /// a redirect on the way was temporary.
    fn fetched(article: Article, url: &str, landed: &str, for_now: bool) -> FetchedPage {
        FetchedPage {
            article,
            site_page: SitePage {
                site: "harbour.example".into(),
                page: url.into(),
            },
            bytes: 1,
            landed: landed.into(),
            temporarily_redirected: for_now,
            validators: crate::ingest::fetch::Validators::default(),
        }
    }

    #[test]
    fn another_story_is_no_page_of_the_entry_and_a_bounce_to_it_is_tried_again() {
        let museum = entry_of(
            "Lighthouse Museum To Reopen In Spring",
            "The lighthouse museum will reopen in the spring.",
        );
        let (url, other) = (
            "https://harbour.example/s/lighthouse",
            "https://harbour.example/s/budget",
        );
        let budget = page_of(
            "Council Approves Budget After Long Debate",
            "The city council approved its budget for next year.",
        );
        for (landed, for_now) in [(other, false), (url, false), (url, true)] {
            let failure = on_the_story(fetched(budget.clone(), url, landed, for_now), &museum)
                .expect_err("another story");
            assert!(
                matches!(failure, PageFailure::NotTheStory { .. }),
                "{failure}"
            );
            assert!(!failure.is_passing());
            assert!(
                failure
                    .to_string()
                    .ends_with("a page that is not the story's")
            );
        }
        let bounce =
            on_the_story(fetched(budget.clone(), url, other, true), &museum).expect_err("a bounce");
        assert!(
            matches!(bounce, PageFailure::BouncedOffStory { .. }),
            "{bounce}"
        );
        assert!(bounce.is_passing());
        // An entry without a title of its own takes the page's headline
        // with its text: any page but a bounce is its story.
        let untitled = Article {
            title: "The lighthouse museum will reopen in the spring.".into(),
            ..museum.clone()
        };
        assert!(on_the_story(fetched(budget.clone(), url, other, false), &untitled).is_ok());
        assert!(on_the_story(fetched(budget, url, other, true), &untitled).is_err());
        let story = page_of(
            "Lighthouse museum reopens",
            "The lighthouse museum will reopen in the spring after its restoration.",
        );
        assert!(on_the_story(fetched(story, url, other, true), &museum).is_ok());
    }

    #[test]
    fn an_entry_without_a_title_of_its_own_takes_the_pages_headline() {
        let page = Article {
            title: "Lighthouse Keeper Retires After Forty Years".into(),
            body: paragraphs(&["The last lighthouse keeper retired on Sunday."]),
            ..Article::default()
        };
        let link = "https://harbour.example/s/keeper";
        // Titled, as the feed maps an entry without one, with the start
        // of its teaser, or with its link when it has no text.
        let teaser = Article {
            title: "New on the site today.".into(),
            body: paragraphs(&["New on the site today."]),
            link: Some(link.into()),
            ..Article::default()
        };
        let bare = Article {
            title: link.into(),
            link: Some(link.into()),
            ..Article::default()
        };
        for entry in [teaser.clone(), bare] {
            assert_eq!(with_page(entry, page.clone()).title, page.title);
        }
        // An entry's own headline stands, whatever the page says; and so
        // does a made-up one when the page has no headline.
        let titled = Article {
            title: "Keeper Retires".into(),
            ..teaser.clone()
        };
        assert_eq!(with_page(titled, page.clone()).title, "Keeper Retires");
        let headless = Article {
            title: String::new(),
            ..page
        };
        assert_eq!(with_page(teaser.clone(), headless).title, teaser.title);
    }

    #[test]
    fn an_entry_whose_page_was_not_read_stands_for_it() {
        let entry = teaser(7, Some("https://harbour.example/news/7"));
        let standing = standing_for_its_page(entry.clone());
        assert!(standing.page_text, "no update of a page's text read before");
        assert_eq!(
            Article {
                page_text: false,
                ..standing
            },
            entry
        );
    }
}

//! One pass over an XML feed document: RSS 0.90 to 2.0, RSS 1.0 (RDF),
//! Atom 0.3 and 1.0, with the namespaces that carry an entry's words
//! (`content`, Dublin Core, Media RSS, iTunes, XHTML). quick-xml reads the
//! events; each element is mapped by its namespace and name straight to the
//! field it fills ([`RawFeed`], [`RawEntry`]), as Python's feedparser maps
//! them: RSS's and Atom's own elements read alike wherever they appear,
//! every `item` and `entry` is an entry, the first title and summary win,
//! the last link and id. The DOCTYPE is checked before anything else, no
//! entity is ever expanded, and the `xml:base` in force is kept with each
//! link and text.

use std::collections::HashMap;
use std::rc::Rc;

use quick_xml::NsReader;
use quick_xml::errors::IllFormedError;
use quick_xml::events::{BytesStart, Event};
use url::Url;

use super::media::{MediaField, MediaReader};
use super::raw::{Located, RawEntry, RawFeed, RawText};
use super::text::{Capture, Mode};
use super::xml::{self, Ns, attribute};
use super::{FeedErrorKind, FeedFormat};
use crate::ingest::sanitize::html_to_text;
use crate::normalize::clean_text;
use crate::position::{LineCounter, line_and_column, line_of};

/// Reads `text` (a whole XML document); `document_base` is the URL it came
/// from, when that is a web URL: a relative `xml:base` resolves against it.
///
/// An entry whose markup is malformed (a `<` left unescaped in its text, a
/// `<b>` closed by `</i>`) is left out with a warning that names it and the
/// fault, and the document is read again without it, from the next entry
/// on; feedparser reads such documents too. A document malformed outside
/// every entry, one whose entries are all malformed and one with more
/// than [`MAX_MALFORMED_ENTRIES`] of them are refused.
pub(super) fn read(
    text: &str,
    document_base: Option<&Url>,
) -> Result<(FeedFormat, RawFeed), FeedErrorKind> {
    let mut repaired: Option<String> = None;
    let mut left_out: Vec<MalformedEntry> = Vec::new();
    loop {
        let current = repaired.as_deref().unwrap_or(text);
        match read_once(current, document_base, left_out.len()) {
            Ok((format, mut feed)) => {
                if feed.entries.is_empty() && !left_out.is_empty() {
                    return Err(left_out.swap_remove(0).error);
                }
                feed.left_out = left_out.iter().map(|entry| entry.number).collect();
                let mut warnings: Vec<String> =
                    left_out.into_iter().map(|entry| entry.warning).collect();
                warnings.append(&mut feed.warnings);
                feed.warnings = warnings;
                return Ok((format, feed));
            }
            Err(Broken::Document(error)) => return Err(error),
            Err(Broken::Entry(entry)) if left_out.len() >= MAX_MALFORMED_ENTRIES => {
                return Err(entry.error);
            }
            Err(Broken::Entry(entry)) => {
                // Blanked, not cut out: every byte and line after it stays
                // where it was, so lines and columns keep naming the document.
                let mut bytes = current.as_bytes().to_vec();
                for byte in &mut bytes[entry.span.clone()] {
                    if *byte != b'\n' {
                        *byte = b' ';
                    }
                }
                repaired =
                    Some(String::from_utf8(bytes).expect("ASCII spaces in whole characters"));
                left_out.push(entry);
            }
        }
    }
}

/// The most malformed entries left out of one document before it is
/// refused: each costs a reading of the document again.
const MAX_MALFORMED_ENTRIES: usize = 32;

/// Why one reading of a document stopped.
enum Broken {
    /// The document cannot be read.
    Document(FeedErrorKind),
    /// An entry of it is malformed; the others may be read without it.
    Entry(MalformedEntry),
}

impl From<FeedErrorKind> for Broken {
    fn from(error: FeedErrorKind) -> Self {
        Broken::Document(error)
    }
}

/// An entry whose markup is malformed, to be left out.
struct MalformedEntry {
    /// Its 1-based number among the document's entries.
    number: usize,
    /// Its bytes, from its start tag to the next entry's (or to the end
    /// tag of the element holding it).
    span: std::ops::Range<usize>,
    /// The warning that names it and the fault.
    warning: String,
    /// The error the document is refused with if it cannot be read
    /// without the entry.
    error: FeedErrorKind,
}

/// One reading of `text` ([`read`]), `left_out` malformed entries already
/// blanked in it.
fn read_once(
    text: &str,
    document_base: Option<&Url>,
    left_out: usize,
) -> Result<(FeedFormat, RawFeed), Broken> {
    let mut state = State {
        has_bases: memchr::memmem::find(text.as_bytes(), b"xml:base").is_some(),
        document_base: document_base.cloned(),
        ..State::default()
    };
    let mut reader = NsReader::from_str(text);
    let mut lines = LineCounter::new(text);
    let mut broken_end = None;
    loop {
        let position = reader.buffer_position() as usize;
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(read) => read,
            Err(e) => {
                // A namespace error is the element just read: it starts
                // where the reader stood.
                let at = match e {
                    quick_xml::Error::Namespace(_) => position,
                    _ => reader.error_position() as usize,
                };
                let error = xml::syntax_error(text, at, &e);
                // Every syntax error quick-xml reports, and a reference
                // with no `;`, is input that ran out inside some markup: a
                // cut inside an entry after a whole one is read as an end
                // inside that entry, below.
                let ran_out = matches!(
                    e,
                    quick_xml::Error::Syntax(_)
                        | quick_xml::Error::IllFormed(IllFormedError::UnclosedReference)
                );
                if ran_out && state.cut_inside_entry() {
                    break;
                }
                if let quick_xml::Error::IllFormed(fault) = &e
                    && !ran_out
                    && let Some(entry) = state.malformed_entry(text, at, fault, left_out, &error)
                {
                    return Err(Broken::Entry(entry));
                }
                if !state.between_entries() {
                    return Err(error.into());
                }
                broken_end = Some(error);
                break;
            }
        };
        match event {
            Event::Start(tag) => {
                let ns = Ns::of_element(&resolved, &tag);
                state.open.push(position);
                state.line = lines.line_at(position);
                state.start(ns, &tag, false)?;
            }
            Event::Empty(tag) => {
                let ns = Ns::of_element(&resolved, &tag);
                state.line = lines.line_at(position);
                state.start(ns, &tag, true)?;
                state.end(tag.local_name().as_ref().as_bytes(), true);
            }
            Event::End(tag) => {
                state.open.pop();
                state.end(tag.local_name().as_ref().as_bytes(), false);
            }
            Event::Text(t) => state.text(&t.xml10_content()),
            Event::CData(t) => state.literal(&t.xml10_content()),
            Event::GeneralRef(r) => state.reference(&r, || lines.line_at(position))?,
            Event::DocType(doctype) if state.format.is_none() => {
                state.entities = xml::check_doctype(&doctype, line_of(text, position))?;
                state.entity_budget = xml::entity_budget(text.len());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(error) = broken_end {
        // Malformed where no entry was open: what came before it stands,
        // unless that was nothing.
        state.feed.truncated = !state.open.is_empty();
        if state.feed.truncated && state.feed.entries.is_empty() {
            return Err(error.into());
        }
        state.feed.warnings.push(format!(
            "{error}; read up to there, where no entry was open"
        ));
    } else if state.cut_inside_entry() {
        state.leave_out_cut_entry(text);
    } else if let Some(&at) = state.open.last() {
        let name: String = text[at + 1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
            .collect();
        let message = format!(
            "the document ends before <{name}> from line {} is closed",
            line_of(text, at)
        );
        if !state.between_entries() || state.feed.entries.is_empty() {
            return Err(xml::located(text, text.len(), message).into());
        }
        state.feed.truncated = true;
        state
            .feed
            .warnings
            .push(format!("{message}; read as it is, with no entry open"));
    }
    let Some(format) = state.format else {
        return Err(FeedErrorKind::NotAFeed {
            found: "an XML document without a root element".to_string(),
        }
        .into());
    };
    if let Some(found) = state.unless_entries {
        if state.feed.entries.iter().all(RawEntry::is_empty) {
            return Err(FeedErrorKind::NotAFeed { found }.into());
        }
        state
            .feed
            .warnings
            .push(format!("{found}; its entries read all the same"));
    }
    Ok((format, state.feed))
}

/// The name of the tag `after` opens with (after its `<` or `</`).
fn tag_name(after: &str) -> &str {
    let end = after
        .find(|c: char| c.is_whitespace() || matches!(c, '>' | '/'))
        .unwrap_or(after.len());
    &after[..end]
}

/// Where the next start tag named `name` in `text` from byte `from` is.
fn next_start_tag(text: &str, from: usize, name: &str) -> Option<usize> {
    let pattern = format!("<{name}");
    memchr::memmem::find_iter(&text.as_bytes()[from..], pattern.as_bytes())
        .map(|found| from + found)
        .find(|&found| tag_name(&text[found + 1..]) == name)
}

/// Where the next end tag named `name` in `text` from byte `from` is.
fn next_end_tag(text: &str, from: usize, name: &str) -> Option<usize> {
    let pattern = format!("</{name}");
    memchr::memmem::find_iter(&text.as_bytes()[from..], pattern.as_bytes())
        .map(|found| from + found)
        .find(|&found| tag_name(&text[found + 2..]) == name)
}

/// What a text element being read is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    FeedTitle,
    FeedLink,
    Title,
    Summary,
    Content,
    Link,
    Id,
    Published,
    Updated,
    /// A date that may be either (`dc:date`): see [`RawEntry::date`].
    Date,
    Author,
    Category,
    PersonName,
    PersonEmail,
    /// A Media RSS text.
    Media(MediaField),
}

/// A text element being read.
struct Active {
    depth: usize,
    target: Target,
    capture: Capture,
    /// The `xml:base` in force.
    base: Option<Rc<Url>>,
}

/// An Atom person construct (`author` with `name` and `email`) or an RSS
/// `author` (`email (Name)`) being read.
#[derive(Default)]
struct Person {
    depth: usize,
    whose: Whose,
    text: String,
    name: Option<String>,
    email: Option<String>,
}

/// Whose author a person is.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Whose {
    /// The feed's, for entries without their own (Atom).
    Feed,
    #[default]
    Entry,
    /// The entry's `atom:source`'s: the entry's when it has none of its own.
    Source,
}

/// The entry being read.
struct EntryState {
    depth: usize,
    raw: RawEntry,
    media: MediaReader,
}

#[derive(Default)]
struct State {
    has_bases: bool,
    depth: usize,
    /// Where each open element's start tag is, for errors at the end.
    open: Vec<usize>,
    /// `xml:base` values in force, resolved, with the depth that set them.
    bases: Vec<(usize, Rc<Url>)>,
    /// What the outermost `xml:base` resolves against.
    document_base: Option<Url>,
    format: Option<FeedFormat>,
    /// What the document is (an `<rss>` without a `<channel>`, an unknown
    /// root) if it turns out to hold no entry.
    unless_entries: Option<String>,
    saw_channel: bool,
    /// The element whose children are the feed's own fields.
    channel_depth: Option<usize>,
    feed: RawFeed,
    entry: Option<EntryState>,
    capture: Option<Active>,
    person: Option<Person>,
    /// Inside an element whose content is not the entry's (`source`,
    /// `contributor`): the depth it started at.
    skip: Option<usize>,
    /// The depth of the entry's Atom `source`, whose authors are read.
    source: Option<usize>,
    /// The internal entities the DOCTYPE declares, expanded while the
    /// budget lasts ([`xml::entity_budget`], a byte count); a reference
    /// past it refuses the document.
    entities: HashMap<String, String>,
    entity_budget: usize,
    /// The line the element being read starts on.
    line: usize,
}

impl State {
    /// Whether the reader is outside every entry and text element, with at
    /// most the root and a channel open: where a document may end early
    /// and lose nothing it holds.
    fn between_entries(&self) -> bool {
        self.format.is_some() && self.entry.is_none() && self.capture.is_none() && self.depth <= 2
    }

    /// Whether the document ran out inside an entry with whole entries
    /// before it, as a transfer cut short mid-item does.
    fn cut_inside_entry(&self) -> bool {
        self.entry.is_some() && !self.feed.entries.is_empty()
    }

    /// Drops the entry the document ran out in, with a warning, and marks
    /// the feed truncated: the whole entries before it stand.
    fn leave_out_cut_entry(&mut self, text: &str) {
        let Some(entry) = self.entry.take() else {
            return;
        };
        self.capture = None;
        self.person = None;
        let at = self
            .open
            .get(entry.depth - 1)
            .copied()
            .unwrap_or(text.len());
        self.feed.truncated = true;
        self.feed.warnings.push(format!(
            "the document ends inside the entry from line {}; that entry is left out, the {} before it read",
            line_of(text, at),
            self.feed.entries.len()
        ));
    }

    /// The entry open where `text` is malformed at byte `at` (`fault`,
    /// `error` as the document's), to be left out, with `left_out` entries
    /// before it left out already: `None` outside every entry, or when no
    /// entry or end of the element holding it follows to read on from.
    fn malformed_entry(
        &self,
        text: &str,
        at: usize,
        fault: &IllFormedError,
        left_out: usize,
        error: &FeedErrorKind,
    ) -> Option<MalformedEntry> {
        let entry = self.entry.as_ref()?;
        let start = *self.open.get(entry.depth - 1)?;
        let holder = *self.open.get(entry.depth.checked_sub(2)?)?;
        let name = |from: usize| tag_name(&text[from + 1..]);
        let entry_name = name(start);
        let end = next_start_tag(text, at, entry_name)
            .or_else(|| next_end_tag(text, at, name(holder)))?;
        let number = self.feed.entries.len() + left_out + 1;
        let raw = &entry.raw;
        let named = raw
            .title
            .as_ref()
            .map(|title| format!("{:?}", plain(title)))
            .filter(|title| title != "\"\"")
            .or_else(|| raw.id.as_ref().map(|id| format!("id {id:?}")));
        let entry_line = line_of(text, start);
        let what = match named {
            Some(named) => format!("entry {number} ({named}, from line {entry_line})"),
            None => format!("entry {number} (from line {entry_line})"),
        };
        let cause = self.fault_in_words(text, at, fault);
        Some(MalformedEntry {
            number,
            span: start..end,
            warning: format!("{what}: {cause}; that entry is left out, the others read"),
            error: error.clone(),
        })
    }

    /// What is wrong where `text` is malformed at byte `at`, in plain words.
    fn fault_in_words(&self, text: &str, at: usize, fault: &IllFormedError) -> String {
        let place = |position: usize| {
            let (line, column) = line_and_column(text, position);
            format!("line {line}, column {column}")
        };
        match fault {
            IllFormedError::MismatchedEndTag { expected, found } => {
                let opened = self.open.last().copied().unwrap_or(at);
                match expected.chars().next() {
                    Some(c) if c.is_alphabetic() || c == '_' => format!(
                        "<{expected}> at {} is closed by </{found}> at {}",
                        place(opened),
                        place(at)
                    ),
                    // `Temperatures < 0°C`: read as a tag with no name.
                    _ => format!(
                        "a `<` at {} starts no tag (as text it is written `&lt;`)",
                        place(opened)
                    ),
                }
            }
            IllFormedError::UnmatchedEndTag(name) => {
                format!("</{name}> at {} closes no element", place(at))
            }
            other => format!("{other} at {}", place(at)),
        }
    }

    fn base(&self) -> Option<Rc<Url>> {
        self.bases.last().map(|(_, b)| Rc::clone(b))
    }

    fn start(&mut self, ns: Ns, tag: &BytesStart, empty: bool) -> Result<(), FeedErrorKind> {
        self.depth += 1;
        let depth = self.depth;
        if self.has_bases
            && let Some(value) = attribute(tag, "xml:base")
        {
            let value = value.trim();
            let resolved = match (self.bases.last(), &self.document_base) {
                (Some((_, parent)), _) => parent.join(value).ok(),
                (None, Some(document)) => document.join(value).ok(),
                (None, None) => Url::parse(value).ok(),
            };
            // A base that is not http(s) (`javascript:`, `file:`) is ignored.
            if let Some(url) = resolved.filter(super::entry::is_web) {
                self.bases.push((depth, Rc::new(url)));
            }
        }
        if let Some(active) = self.capture.as_mut() {
            // An `xml:base` set inside the captured element (on XHTML
            // content's wrapper `div` or deeper) applies to the links below
            // it; the one in force at the element itself is applied later.
            let inner_base = self
                .bases
                .last()
                .filter(|(set_at, _)| *set_at > active.depth)
                .map(|(_, base)| base.as_ref());
            active.capture.start(tag, empty, inner_base);
            return Ok(());
        }
        let local = tag.local_name();
        let mut lowered = [0u8; 24];
        let name = lower(local.as_ref().as_bytes(), &mut lowered);
        if let Some(skip) = self.skip {
            // An Atom `source`'s authors are the entry's when it has none.
            if self.source == Some(skip) && depth == skip + 1 && ns == Ns::Atom && name == b"author"
            {
                self.person = Some(Person {
                    depth,
                    whose: Whose::Source,
                    ..Person::default()
                });
            } else if let Some(person) = &self.person
                && depth == person.depth + 1
            {
                self.person_field(name);
            }
            return Ok(());
        }
        if depth == 1 {
            // Elements after the root's end are no feed's.
            if self.format.is_some() {
                return Ok(());
            }
            return self.root(ns, local.as_ref().as_bytes(), tag);
        }
        if let Some(person) = &self.person
            && depth == person.depth + 1
        {
            self.person_field(name);
            return Ok(());
        }
        if self.entry.is_some() {
            self.entry_element(ns, name, tag, depth);
            return Ok(());
        }
        if ns.is_core() {
            match name {
                b"item" | b"entry" => {
                    self.begin_entry(tag, depth);
                    return Ok(());
                }
                b"channel" => {
                    // The first channel's fields are the feed's.
                    if !self.saw_channel {
                        self.saw_channel = true;
                        self.channel_depth = Some(depth);
                        if self
                            .format
                            .is_some_and(|f| f != FeedFormat::Cdf && !f.is_atom())
                        {
                            self.unless_entries = None;
                        }
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        if self.channel_depth.is_some_and(|c| depth == c + 1) && ns.is_core() {
            match name {
                b"title" => self.begin(Target::FeedTitle, title_mode(ns, tag), ns == Ns::Atom),
                b"link" => match attribute(tag, "href") {
                    Some(href) => {
                        let located = Located {
                            value: href.trim().to_string(),
                            base: self.base(),
                        };
                        let is_self = attribute(tag, "rel")
                            .is_some_and(|r| r.trim().eq_ignore_ascii_case("self"));
                        if is_self {
                            self.feed.self_link.get_or_insert(located);
                        } else if self.feed.link.is_none() && is_alternate_page(tag) {
                            self.feed.link = Some(located);
                        }
                    }
                    None => self.begin(Target::FeedLink, Mode::Text, false),
                },
                b"author" => {
                    self.person = Some(Person {
                        depth,
                        whose: Whose::Feed,
                        ..Person::default()
                    })
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A field of the person being read, by its lower-cased local `name`.
    fn person_field(&mut self, name: &[u8]) {
        match name {
            b"name" => self.begin(Target::PersonName, Mode::Text, false),
            b"email" => self.begin(Target::PersonEmail, Mode::Text, false),
            _ => {}
        }
    }

    /// The root element: what format the document is in.
    fn root(&mut self, ns: Ns, local: &[u8], tag: &BytesStart) -> Result<(), FeedErrorKind> {
        let declares = |uri: &str| tag.attributes_raw().contains(uri);
        let format = match local {
            b"rss" => {
                // Its own fields are the channel's until a <channel> comes.
                self.channel_depth = Some(1);
                self.unless_entries = Some("an <rss> document without a <channel>".to_string());
                match attribute(tag, "version").as_deref().map(str::trim) {
                    Some("0.91") => FeedFormat::Rss091,
                    Some("0.92") => FeedFormat::Rss092,
                    _ => FeedFormat::Rss20,
                }
            }
            b"RDF" if declares(xml::RSS_090_PATH) => FeedFormat::Rss090,
            b"RDF" => FeedFormat::Rss10,
            b"feed" if declares(xml::ATOM_03_NS) => FeedFormat::Atom03,
            b"feed" => FeedFormat::Atom10,
            b"entry" if ns == Ns::Atom => FeedFormat::Atom10,
            name if name.eq_ignore_ascii_case(b"channel") => FeedFormat::Cdf,
            name if name.eq_ignore_ascii_case(b"html") => {
                return Err(FeedErrorKind::NotAFeed {
                    found: "an HTML page".to_string(),
                });
            }
            other => {
                // Read all the same: its items, if it has any, are a feed.
                self.unless_entries = Some(format!(
                    "an XML document whose root element is <{}>",
                    crate::ingest::shown_text::excerpt(&String::from_utf8_lossy(other), 40)
                ));
                FeedFormat::Rss20
            }
        };
        self.format = Some(format);
        match format {
            FeedFormat::Atom03 | FeedFormat::Atom10 if local == b"entry" => {
                self.begin_entry(tag, 1);
            }
            FeedFormat::Atom03 | FeedFormat::Atom10 => self.channel_depth = Some(1),
            FeedFormat::Cdf => {
                self.channel_depth = Some(1);
                if let Some(href) = cdf_attribute(tag, "href") {
                    self.feed.link = Some(Located {
                        value: href,
                        base: self.base(),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn begin_entry(&mut self, tag: &BytesStart, depth: usize) {
        let id = attribute(tag, "rdf:about")
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
        let mut raw = RawEntry {
            line: self.line,
            id,
            base: self.base(),
            ..RawEntry::default()
        };
        if self.format == Some(FeedFormat::Cdf) {
            raw.link = cdf_attribute(tag, "href").map(|value| Located {
                value,
                base: self.base(),
            });
            raw.updated = cdf_attribute(tag, "lastmod");
        }
        self.entry = Some(EntryState {
            depth,
            raw,
            media: MediaReader::default(),
        });
    }

    /// An element inside an entry, at `depth`.
    fn entry_element(&mut self, ns: Ns, name: &[u8], tag: &BytesStart, depth: usize) {
        let base = self.base();
        let Some(entry) = self.entry.as_mut() else {
            return;
        };
        if ns == Ns::Media {
            let local = tag.local_name();
            if let Some(field) =
                entry
                    .media
                    .open(local.as_ref().as_bytes(), tag, depth, &mut entry.raw.media)
            {
                let mode = Mode::declared(attribute(tag, "type").as_deref(), None, Mode::Text);
                self.begin(Target::Media(field), mode, false);
            }
            return;
        }
        if depth != entry.depth + 1 {
            return;
        }
        let atom = ns == Ns::Atom;
        let target = match (ns, name) {
            (Ns::Rss | Ns::Atom | Ns::Dc, b"title") => Target::Title,
            (Ns::Rss | Ns::Atom, b"link") => match attribute(tag, "href") {
                Some(href) => {
                    let href = href.trim();
                    let rel = attribute(tag, "rel");
                    let rel = rel.as_deref().map_or("alternate", str::trim);
                    if rel.eq_ignore_ascii_case("enclosure") {
                        entry
                            .raw
                            .media
                            .enclosures
                            .push(super::media::Enclosure::of_tag(href, tag));
                    } else if is_alternate_page(tag) && !href.is_empty() {
                        entry.raw.link = Some(Located {
                            value: href.to_string(),
                            base,
                        });
                    }
                    return;
                }
                None => Target::Link,
            },
            (Ns::Rss | Ns::Atom | Ns::Dc, b"description")
            | (Ns::Rss | Ns::Atom | Ns::Itunes, b"summary")
            | (Ns::Rss | Ns::Atom, b"abstract") => Target::Summary,
            (Ns::Rss | Ns::Atom, b"content") => {
                if let Some(src) = attribute(tag, "src").filter(|s| !s.trim().is_empty()) {
                    // Content elsewhere: what it links to may be a picture.
                    entry
                        .raw
                        .media
                        .enclosures
                        .push(super::media::Enclosure::of_tag(&src, tag));
                    return;
                }
                Target::Content
            }
            (Ns::Content, b"encoded") | (Ns::Xhtml, b"body") | (Ns::Rss, b"body" | b"fullitem") => {
                Target::Content
            }
            (Ns::Rss | Ns::Atom, b"guid" | b"id") => {
                let permalink = attribute(tag, "isPermaLink")
                    .is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"));
                entry.raw.id_is_link = permalink;
                Target::Id
            }
            (Ns::Rss | Ns::Atom, b"pubdate" | b"published" | b"issued")
            | (Ns::Dc, b"issued" | b"created") => Target::Published,
            (Ns::Rss | Ns::Atom, b"updated" | b"modified") | (Ns::Dc, b"modified") => {
                Target::Updated
            }
            (Ns::Dc, b"date") => Target::Date,
            (Ns::Rss | Ns::Atom, b"author") => {
                self.person = Some(Person {
                    depth,
                    ..Person::default()
                });
                return;
            }
            (Ns::Dc, b"creator" | b"author") | (Ns::Itunes, b"author") => Target::Author,
            (Ns::Rss | Ns::Atom, b"category") | (Ns::Dc, b"subject") => {
                let named = attribute(tag, "label").or_else(|| attribute(tag, "term"));
                if let Some(named) = named {
                    entry.raw.categories.push(clean_text(&named));
                    return;
                }
                Target::Category
            }
            (Ns::Rss | Ns::Atom, b"enclosure") => {
                MediaReader::enclosure(tag, &mut entry.raw.media);
                return;
            }
            (Ns::Rss | Ns::Atom, b"source" | b"contributor") => {
                self.skip = Some(depth);
                if atom && name == b"source" {
                    self.source = Some(depth);
                }
                return;
            }
            _ => return,
        };
        let mode = match target {
            Target::Title => title_mode(ns, tag),
            Target::Summary => summary_mode(ns, tag),
            Target::Content => match (ns, name) {
                (Ns::Content, _) | (_, b"fullitem") => Mode::Escaped,
                (_, b"body") => Mode::Inline,
                _ => declared_mode(tag, Mode::Text),
            },
            _ => Mode::Text,
        };
        let unwrap = atom && matches!(target, Target::Title | Target::Summary | Target::Content);
        self.begin(target, mode, unwrap);
    }

    fn begin(&mut self, target: Target, mode: Mode, unwrap_div: bool) {
        self.capture = Some(Active {
            depth: self.depth,
            target,
            capture: Capture::new(mode, unwrap_div),
            base: self.base(),
        });
    }

    fn text(&mut self, text: &str) {
        if let Some(active) = self.capture.as_mut() {
            active.capture.text(text);
        } else if let Some(person) = self.person.as_mut()
            && self.depth == person.depth
        {
            person.text.push_str(text);
        }
    }

    /// Text as written (a CDATA section, an entity's value).
    fn literal(&mut self, text: &str) {
        if let Some(active) = self.capture.as_mut() {
            active.capture.literal(text);
        }
    }

    /// A reference to `name`, on the line `line` tells: a declared entity
    /// is expanded while the budget lasts, and past it the document is
    /// refused rather than published with the reference as written.
    fn reference(&mut self, name: &str, line: impl FnOnce() -> usize) -> Result<(), FeedErrorKind> {
        if let Some(value) = self.entities.get(name) {
            let Some(left) = self.entity_budget.checked_sub(value.len()) else {
                return Err(FeedErrorKind::EntityBudget {
                    name: name.to_string(),
                    line: line(),
                });
            };
            self.entity_budget = left;
            let value = value.clone();
            self.literal(&value);
            return Ok(());
        }
        if let Some(active) = self.capture.as_mut() {
            active.capture.reference(name);
        } else if let Some(person) = self.person.as_mut()
            && self.depth == person.depth
            && let Some(resolved) = super::text::resolve_reference(name)
        {
            person.text.push_str(&resolved);
        }
        Ok(())
    }

    fn end(&mut self, local: &[u8], empty: bool) {
        let depth = self.depth;
        self.depth = depth.saturating_sub(1);
        while self.bases.last().is_some_and(|(d, _)| *d >= depth) {
            self.bases.pop();
        }
        if let Some(active) = self.capture.as_mut()
            && depth > active.depth
        {
            if !empty {
                active.capture.end(local);
            }
            return;
        }
        if let Some(active) = self.capture.take() {
            self.finish_capture(active);
        }
        if self.skip == Some(depth) {
            self.skip = None;
            self.source = None;
        }
        if self.person.as_ref().is_some_and(|p| p.depth == depth)
            && let Some(person) = self.person.take()
        {
            self.finish_person(person);
        }
        if let Some(entry) = self.entry.as_mut() {
            entry.media.close(depth, &mut entry.raw.media);
            if entry.depth == depth
                && let Some(entry) = self.entry.take()
            {
                self.feed.entries.push(entry.raw);
            }
        }
    }

    fn finish_capture(&mut self, active: Active) {
        let target = active.target;
        let Some(text) = active.capture.finish() else {
            return;
        };
        let base = active.base;
        match target {
            Target::FeedTitle => {
                self.feed.title.get_or_insert(text);
            }
            Target::FeedLink => {
                self.feed.link.get_or_insert(Located {
                    value: text.value,
                    base,
                });
            }
            Target::PersonName | Target::PersonEmail => {
                if let Some(person) = self.person.as_mut() {
                    let value = clean_text(&text.value);
                    if target == Target::PersonName {
                        person.name.get_or_insert(value);
                    } else {
                        person.email.get_or_insert(value);
                    }
                }
            }
            _ => {
                let Some(entry) = self.entry.as_mut() else {
                    return;
                };
                let raw = &mut entry.raw;
                match target {
                    Target::Title => {
                        raw.title.get_or_insert(text);
                    }
                    Target::Summary => {
                        if raw.summary.is_none() {
                            raw.summary = Some(text);
                            raw.summary_base = base;
                        } else {
                            raw.second_summary.get_or_insert(text);
                        }
                    }
                    Target::Content => {
                        raw.content.get_or_insert(Located { value: text, base });
                    }
                    Target::Link => {
                        raw.link = Some(Located {
                            value: text.value,
                            base,
                        });
                    }
                    Target::Id => {
                        raw.id = Some(text.value);
                        raw.xml_base_at_id = base;
                    }
                    Target::Published => {
                        raw.published.get_or_insert(text.value);
                    }
                    Target::Updated => {
                        raw.updated.get_or_insert(text.value);
                    }
                    Target::Date => {
                        raw.date.get_or_insert(text.value);
                    }
                    Target::Author => raw.authors.push(plain(&text)),
                    Target::Category => raw.categories.push(plain(&text)),
                    Target::Media(field) => {
                        match field {
                            MediaField::Title => {
                                raw.fallback_title.get_or_insert(text.clone());
                            }
                            MediaField::Description => {
                                raw.media_summary.get_or_insert(text.clone());
                            }
                            MediaField::Credit => {}
                        }
                        entry.media.text(field, plain(&text), &mut raw.media);
                    }
                    Target::FeedTitle
                    | Target::FeedLink
                    | Target::PersonName
                    | Target::PersonEmail => {}
                }
            }
        }
    }

    fn finish_person(&mut self, person: Person) {
        let from_text = rss_author(&person.text);
        let Some(name) = person.name.or(from_text).or(person.email) else {
            return;
        };
        match (person.whose, self.entry.as_mut()) {
            (Whose::Feed, _) => self.feed.authors.push(name),
            (Whose::Entry, Some(entry)) => entry.raw.authors.push(name),
            (Whose::Source, Some(entry)) => entry.raw.source_authors.push(name),
            (_, None) => {}
        }
    }
}

/// A text field's content as plain text.
pub(super) fn plain(text: &RawText) -> String {
    if text.html {
        html_to_text(&text.value)
    } else {
        clean_text(&text.value)
    }
}

/// How a title reads: as its `type` says; failing that, plain in Atom, and
/// in RSS as HTML only when it looks like HTML, as feedparser reads it (an
/// RSS title escapes a tag it names once: `the &lt;template&gt; element`).
fn title_mode(ns: Ns, tag: &BytesStart) -> Mode {
    let default = if ns == Ns::Atom {
        Mode::Text
    } else {
        Mode::HtmlIfItLooksLikeIt
    };
    declared_mode(tag, default)
}

/// How a summary reads: as its `type` says; failing that, plain in Atom,
/// HTML in RSS (whose text is HTML more often than not, whatever it
/// claims).
fn summary_mode(ns: Ns, tag: &BytesStart) -> Mode {
    let default = if ns == Ns::Atom {
        Mode::Text
    } else {
        Mode::Escaped
    };
    declared_mode(tag, default)
}

/// The mode the element's `type` and `mode` attributes declare, else
/// `default`.
fn declared_mode(tag: &BytesStart, default: Mode) -> Mode {
    Mode::declared(
        attribute(tag, "type").as_deref(),
        attribute(tag, "mode").as_deref(),
        default,
    )
}

/// A CDF attribute (written in upper case, as CDF's elements are), trimmed.
fn cdf_attribute(tag: &BytesStart, name: &str) -> Option<String> {
    tag.attributes()
        .flatten()
        .find(|a| {
            let key: &str = a.key.as_ref();
            key.eq_ignore_ascii_case(name)
        })
        .map(|a| xml::unescape_attribute(a.value).trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Whether an Atom-style `<link href>` is the web page: `rel` alternate (the
/// default) and an HTML type (the default).
fn is_alternate_page(tag: &BytesStart) -> bool {
    let rel = attribute(tag, "rel");
    let alternate = rel
        .as_deref()
        .is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate"));
    let media_type = attribute(tag, "type");
    let html = media_type.as_deref().is_none_or(|t| {
        let t = t.trim().to_ascii_lowercase();
        t.is_empty() || t == "text/html" || t == "application/xhtml+xml" || t == "html"
    });
    alternate && html
}

/// An RSS `author` (`jo@example.org (Jo Bloggs)`, or a name alone) as a
/// name: the part in parentheses, else the text without an email address,
/// else the address.
fn rss_author(text: &str) -> Option<String> {
    let text = clean_text(text);
    if text.is_empty() {
        return None;
    }
    if let (Some(open), Some(close)) = (text.find('('), text.rfind(')'))
        && open < close
    {
        let inside = text[open + 1..close].trim();
        if !inside.is_empty() {
            return Some(inside.to_string());
        }
    }
    let without_email: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !w.contains('@'))
        .collect();
    if without_email.is_empty() {
        Some(text)
    } else {
        Some(without_email.join(" "))
    }
}

/// `name` in ASCII lower case, in `buf` (names longer than `buf` are
/// returned as they are: none that matters is).
fn lower<'a>(name: &'a [u8], buf: &'a mut [u8; 24]) -> &'a [u8] {
    if name.len() > buf.len() || !name.iter().any(u8::is_ascii_uppercase) {
        return name;
    }
    let out = &mut buf[..name.len()];
    out.copy_from_slice(name);
    out.make_ascii_lowercase();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> RawFeed {
        read(text, None).expect("read").1
    }

    #[test]
    fn bases_follow_xml_base_per_entry() {
        let text = "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://a.example/news/\"><entry xml:base=\"sport/\"><id>1</id></entry><entry><id>2</id></entry></feed>";
        let bases: Vec<_> = read_str(text)
            .entries
            .iter()
            .map(|e| e.base.as_ref().map(|b| b.to_string()))
            .collect();
        assert_eq!(
            bases,
            vec![
                Some("http://a.example/news/sport/".to_string()),
                Some("http://a.example/news/".to_string())
            ]
        );
    }

    #[test]
    fn every_item_of_every_channel_is_an_entry() {
        let text = "<rss><channel><item><title>a</title></item><item/></channel><channel><item><title>c</title></item></channel></rss>";
        assert_eq!(read_str(text).entries.len(), 3);
    }

    #[test]
    fn rss_authors_and_atom_people() {
        let text = concat!(
            "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><item>",
            "<author>jo@example.org (Jo Bloggs)</author><dc:creator>Ann Lee</dc:creator></item>",
            "<item><author>desk@example.org</author></item></channel></rss>"
        );
        let feed = read_str(text);
        assert_eq!(
            feed.entries[0].authors.as_slice(),
            vec!["Jo Bloggs", "Ann Lee"]
        );
        assert_eq!(feed.entries[1].authors.as_slice(), vec!["desk@example.org"]);
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><author><name>Desk</name></author><entry><author><name>Ann</name><email>a@x</email></author></entry></feed>";
        let feed = read_str(atom);
        assert_eq!(feed.authors.as_slice(), vec!["Desk"]);
        assert_eq!(feed.entries[0].authors.as_slice(), vec!["Ann"]);
    }

    #[test]
    fn the_first_title_and_summary_win_the_last_link_and_id_media_titles_come_last() {
        let text = concat!(
            "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><item>",
            "<media:title>Fallback</media:title><media:group><media:title>Nested</media:title></media:group>",
            "<title></title><dc:title>First</dc:title><title>Second</title>",
            "<description>One</description><dc:description>Two</dc:description>",
            "<link>http://a/1</link><link>http://a/2</link><guid isPermaLink=\"false\">x</guid>",
            "</item></channel></rss>"
        );
        let entry = &read_str(text).entries[0];
        assert_eq!(
            entry.title.as_ref().map(|t| t.value.as_str()),
            Some("First")
        );
        assert_eq!(
            entry.fallback_title.as_ref().map(|t| t.value.as_str()),
            Some("Fallback")
        );
        assert_eq!(
            entry.summary.as_ref().map(|t| t.value.as_str()),
            Some("One")
        );
        assert_eq!(
            entry.second_summary.as_ref().map(|t| t.value.as_str()),
            Some("Two")
        );
        assert_eq!(
            entry.link.as_ref().map(|l| l.value.as_str()),
            Some("http://a/2")
        );
        assert_eq!(entry.id.as_deref(), Some("x"));
        assert!(!entry.id_is_link);
    }

    fn entry_titles(text: &str) -> Vec<String> {
        read_str(text)
            .entries
            .iter()
            .map(|e| e.title.as_ref().map(plain).unwrap_or_default())
            .collect()
    }

    #[test]
    fn an_rss_title_naming_a_tag_is_text() {
        let text = concat!(
            "<rss><channel><title>Tech &lt;desk&gt;</title>",
            "<item><title>Browsers agree on the &lt;template&gt; element after years</title></item>",
            "<item><title>Stop using the &lt;iframe&gt; tag today</title></item>",
            "<item><title>Proof that a&lt;b implies b&gt;a for all reals</title></item>",
            "<item><title>The &lt;/table&gt; and &lt;table&gt; tags, explained</title></item>",
            "<item><title>Ten &lt;style&gt; tips &amp;amp; tricks</title></item>",
            "</channel></rss>"
        );
        assert_eq!(
            entry_titles(text),
            vec![
                "Browsers agree on the <template> element after years",
                "Stop using the <iframe> tag today",
                "Proof that a<b implies b>a for all reals",
                "The </table> and <table> tags, explained",
                "Ten <style> tips &amp; tricks",
            ]
        );
        assert_eq!(
            read_str(text).title.as_ref().map(plain).as_deref(),
            Some("Tech <desk>")
        );
    }

    #[test]
    fn an_rss_title_that_looks_like_html_is_html() {
        let text = concat!(
            "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>",
            "<item><title>Example &lt;b&gt;bold&lt;/b&gt; news</title></item>",
            "<item><title>Tom &amp;amp; Jerry &amp;#8217;s</title></item>",
            "<item><title><![CDATA[<em>Live</em>: the vote]]></title></item>",
            "<item><dc:title>AT&amp;T &lt;3 fans</dc:title></item>",
            "<item><title>Plain &lt;b&gt;text&lt;/b&gt;</title><title type=\"text\">x</title></item>",
            "<item><title type=\"text\">Typed &lt;b&gt;text&lt;/b&gt;</title></item>",
            "</channel></rss>"
        );
        assert_eq!(
            entry_titles(text),
            vec![
                "Example bold news",
                "Tom & Jerry \u{2019}s",
                "Live: the vote",
                "AT&T <3 fans",
                "Plain text",
                "Typed <b>text</b>",
            ]
        );
    }

    #[test]
    fn a_source_is_not_the_entry() {
        let text = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><source><title>Other</title><id>o</id></source><title>Own</title></entry></feed>";
        let entry = &read_str(text).entries[0];
        assert_eq!(entry.title.as_ref().map(|t| t.value.as_str()), Some("Own"));
        assert_eq!(entry.id, None);
    }

    #[test]
    fn what_follows_the_root_changes_nothing() {
        let text = "<rss><channel><title>t</title><item><title>a</title></item></channel></rss><html/><item><title>b</title></item>";
        let (format, feed) = read(text, None).expect("read");
        assert_eq!(format, FeedFormat::Rss20);
        assert_eq!(feed.entries.len(), 1);
    }

    #[test]
    fn a_document_cut_between_entries_is_read_and_marked_truncated() {
        let (_, feed) = read(
            "<rss><channel><title>Desk</title><item><title>One</title></item>",
            None,
        )
        .expect("read");
        assert_eq!(feed.entries.len(), 1);
        assert!(feed.truncated);
        // Junk after the root closed cuts nothing off.
        let (_, feed) = read(
            "<rss><channel><item><title>One</title></item></channel></rss>\n<b",
            None,
        )
        .expect("read");
        assert!(!feed.truncated, "{:?}", feed.warnings);
        let (_, feed) = read(
            "<rss><channel><item><title>One</title></item></channel></rss>",
            None,
        )
        .expect("read");
        assert!(!feed.truncated && feed.warnings.is_empty());
    }

    #[test]
    fn a_document_cut_inside_an_entry_keeps_the_whole_entries_before_it() {
        let whole = "<rss><channel><title>Desk</title>\n<item><title>One</title><link>https://example.com/1</link></item>\n<item><title>Two &amp; more</title><description><![CDATA[<p>Body</p>]]></description><!-- c --><link href=\"https://example.com/2\">https://example.com/2</link></item></channel></rss>";
        let second = whole.find("<item><title>Two").expect("second item");
        let end_of_second = whole.find("</channel>").expect("channel end");
        // Every cut inside the second item: in text, a tag, an attribute
        // value, an entity, CDATA, a comment.
        for cut in second + "<item>".len()..end_of_second {
            let (_, feed) = read(&whole[..cut], None)
                .unwrap_or_else(|e| panic!("cut at {cut} ({:?}): {e}", &whole[..cut]));
            assert_eq!(feed.entries.len(), 1, "cut at {cut}");
            assert_eq!(
                feed.entries[0].title.as_ref().map(|t| t.value.as_str()),
                Some("One")
            );
            assert!(feed.truncated, "cut at {cut}");
            assert!(
                feed.warnings
                    .iter()
                    .any(|w| w.contains("line 3") && w.contains("left out")),
                "cut at {cut}: {:?}",
                feed.warnings
            );
        }
        // Cut inside the only entry: nothing whole to read.
        let first = whole.find("</item>").expect("first item end");
        assert!(read(&whole[..first], None).is_err());
        // Malformed inside the last entry, not cut: that entry is left out.
        let broken = whole.replace("</title><description>", "</titel><description>");
        let (_, feed) = read(&broken, None).expect("read");
        assert_eq!(feed.entries.len(), 1);
        assert!(!feed.truncated);
        assert_eq!(feed.left_out, vec![2]);
        assert!(
            feed.warnings[0].starts_with("entry 2 (from line 3): <title> at line 3, column 7 is closed by </titel> at line 3, column "),
            "{:?}",
            feed.warnings
        );
    }

    /// The titles of the entries of `text`, and its warnings.
    fn read_titles(text: &str) -> (Vec<String>, Vec<usize>, Vec<String>) {
        let (_, feed) = read(text, None).unwrap_or_else(|e| panic!("{e}"));
        let titles = feed
            .entries
            .iter()
            .map(|e| e.title.as_ref().map(plain).unwrap_or_default())
            .collect();
        (titles, feed.left_out, feed.warnings)
    }

    #[test]
    fn an_entry_with_malformed_markup_is_left_out_and_the_next_read() {
        let rss = "<rss version=\"2.0\"><channel><title>Desk</title>\n<item><title>One</title></item>\n<item><guid>two</guid><description>Temperatures < 0°C tonight</description></item>\n<item><title>Three</title><description>a <b>bold</i> word</description></item>\n<item><title>Four</title></item>\n</channel></rss>";
        let (titles, left_out, warnings) = read_titles(rss);
        assert_eq!(titles, ["One", "Four"]);
        assert_eq!(left_out, [2, 3]);
        assert_eq!(
            warnings,
            [
                "entry 2 (id \"two\", from line 3): a `<` at line 3, column 49 starts no tag (as text it is written `&lt;`); that entry is left out, the others read",
                "entry 3 (\"Three\", from line 4): <b> at line 4, column 42 is closed by </i> at line 4, column 49; that entry is left out, the others read",
            ]
        );
        // Atom, with its namespace on the root; RSS 1.0, whose items follow
        // the channel; the last entry, on one line with the others.
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Desk</title><entry><title>One</title></entry><entry><title>Two <3</title></entry><entry><title>Three</title></entry></feed>";
        assert_eq!(read_titles(atom).0, ["One", "Three"]);
        let rdf = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"><channel><title>Desk</title></channel><item><title>One</title></item><item><title>Two</b></title></item><item><title>Three</title></item></rdf:RDF>";
        assert_eq!(read_titles(rdf).0, ["One", "Three"]);
        let last = "<rss><channel><title>Desk</title><item><title>One</title></item><item><title>Two <</title></item></channel></rss>";
        assert_eq!(read_titles(last).0, ["One"]);
    }

    #[test]
    fn a_document_malformed_outside_its_entries_or_in_all_of_them_is_refused() {
        for text in [
            "<rss><channel><title>Desk < Port</title><item><title>One</title></item></channel></rss>",
            "<rss><channel><title>Desk</title><item><title>One <</title></item><item><title>Two</b></title></item></channel></rss>",
        ] {
            assert!(
                matches!(read(text, None), Err(FeedErrorKind::Xml { .. })),
                "{text}"
            );
        }
        let many: String = (0..=MAX_MALFORMED_ENTRIES)
            .map(|i| format!("<item><title>{i} <</title></item>"))
            .collect();
        let text = format!("<rss><channel><item><title>Whole</title></item>{many}</channel></rss>");
        assert!(matches!(read(&text, None), Err(FeedErrorKind::Xml { .. })));
    }

    #[test]
    fn a_document_cut_before_any_entry_is_refused() {
        for cut in [
            "<rss><channel><title>Desk</title>",
            "<rss><channel><title>Desk</title><!-- never closed",
        ] {
            assert!(
                matches!(read(cut, None), Err(FeedErrorKind::Xml { .. })),
                "{cut}"
            );
        }
    }

    #[test]
    fn unclosed_documents_are_located() {
        let Err(FeedErrorKind::Xml { line, message, .. }) =
            read("<rss>\n<channel>\n<item><title>x</title>", None)
        else {
            panic!("read");
        };
        assert_eq!(line, 3);
        assert!(message.contains("<item> from line 3"), "{message}");
    }
}

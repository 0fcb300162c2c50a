//! OPML 2.0 subscription lists: reading the outlines of any reader's export
//! (`feedfold sources import`), and writing feedfold's feed sources as one
//! (`feedfold sources export`). Adding imported sources to the config file
//! appends `[[source]]` tables (named after the outline's title, which is
//! kept as `title`), keeping everything already written there, and makes a
//! feed show them: the feed asked for, else the only one.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use quick_xml::Writer;
use quick_xml::escape::EscapeError;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use thiserror::Error;

use crate::config::edit::LockedConfig;
use crate::config::{Config, ConfigError, FeedLocation, SourceKind, check_feed_name};
use crate::normalize::{canonical_url, has_visible, uri_text};
use crate::position::line_and_column;
use crate::publish::is_xml_char;

/// An OPML document or the config could not be used.
#[derive(Debug, Error)]
pub enum OpmlError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: not OPML: {message}")]
    Malformed { path: String, message: String },
    #[error("{path}: malformed OPML at line {line}, column {column}: {message}")]
    Located {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// `sources import --feed NAME` names no feed, and no feed may be named so.
#[derive(Debug, Error)]
#[error("--feed {name:?}: {message}")]
pub struct FeedNameError {
    pub name: String,
    pub message: &'static str,
}

/// One subscription of an OPML list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub title: String,
    pub xml_url: String,
}

/// The subscriptions of an OPML file's `bytes` ([`parse`]): as UTF-8 when
/// they are UTF-8, else in the encoding the file declares or its
/// byte-order mark gives (an older reader's ISO-8859-1 or windows-1252
/// export, a UTF-16 one).
pub fn parse_file(bytes: &[u8], path: &str) -> Result<Vec<Subscription>, OpmlError> {
    // Bytes that are UTF-8 are read as UTF-8 whatever the declaration says:
    // an old exporter may keep `ISO-8859-1` in it after writing UTF-8, and
    // Latin-1 text almost never reads as UTF-8 by chance.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return parse(text.strip_prefix('\u{feff}').unwrap_or(text), path);
    }
    let decoded = crate::ingest::feed::decode::decode_xml(bytes, None);
    parse(&decoded.text, path)
}

/// The subscriptions (outlines with an `xmlUrl`, or of `type="rss"`) of
/// an OPML document, at any depth of nesting, in document order.
pub fn parse(text: &str, path: &str) -> Result<Vec<Subscription>, OpmlError> {
    let malformed = |message: String| OpmlError::Malformed {
        path: path.to_string(),
        message,
    };
    let located = |position: u64, message: String| {
        let (line, column) = line_and_column(text, position as usize);
        OpmlError::Located {
            path: path.to_string(),
            line,
            column,
            message,
        }
    };
    let mut reader = quick_xml::Reader::from_str(text);
    let mut subscriptions = Vec::new();
    let mut saw_opml = false;
    loop {
        let start = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) => {
                let name = tag.local_name();
                if name.as_ref() == "opml" {
                    saw_opml = true;
                } else if name.as_ref() == "outline"
                    && let Some(subscription) = outline(&tag).map_err(|m| located(start, m))?
                {
                    subscriptions.push(subscription);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(located(reader.error_position(), e.to_string())),
        }
    }
    if !saw_opml {
        return Err(malformed("no <opml> element".into()));
    }
    Ok(subscriptions)
}

/// The subscription an `<outline>` gives, if any; an error says which of
/// its attributes is malformed and how.
fn outline(tag: &BytesStart) -> Result<Option<Subscription>, String> {
    let (mut xml_url, mut title, mut text) = (None, None, None);
    let mut is_feed = false;
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| format!("an <outline> {e}"))?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| {
                let key = attribute.key.as_ref();
                match e {
                    quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, entity)) => format!(
                        "the outline's `{key}` uses the entity `&{entity};`, which OPML does not define"
                    ),
                    quick_xml::Error::Escape(EscapeError::UnterminatedEntity(_)) => format!(
                        "the outline's `{key}` has an `&` that begins no entity (write `&amp;`)"
                    ),
                    e => format!("the outline's `{key}`: {e}"),
                }
            })?;
        // `&#1;` decodes to a character XML forbids, which would make the
        // title written to the config unexportable: it is left out, as the
        // feeds leave it out.
        let title_text = || xml_allowed(&value).trim().to_string();
        // Readers spell the attributes' names in every case (`xmlUrl`,
        // `xmlurl`, `xmlURL`), as HTML's would be read.
        match attribute
            .key
            .local_name()
            .as_ref()
            .to_ascii_lowercase()
            .as_str()
        {
            "xmlurl" => xml_url = Some(fetched_form(value.trim())),
            "title" => title = Some(title_text()),
            "text" => text = Some(title_text()),
            "type" => is_feed = value.trim().eq_ignore_ascii_case("rss"),
            _ => {}
        }
    }
    // An `xmlUrl` left empty, or none on an outline of `type="rss"`, is a
    // subscription all the same, which the import leaves out saying so;
    // any other outline without one is a folder.
    let xml_url = xml_url.or_else(|| is_feed.then(String::new));
    Ok(xml_url.map(|xml_url| Subscription {
        // A title of characters that show as nothing (a byte-order mark, a
        // zero-width space, a direction mark) is no title.
        title: title
            .filter(|t| has_visible(t))
            .or(text.filter(|t| has_visible(t)))
            // A title is shown and makes the source's name: the URL
            // stands in without its credentials and query values.
            .unwrap_or_else(|| crate::redact::url(&xml_url).into_owned()),
        xml_url,
    }))
}

/// `xml_url` in the form feedfold fetches it, which the config keeps and
/// `sources export` writes: as the `url` crate writes it (control
/// characters percent-encoded, tabs and line breaks gone), or, when it is
/// no URL, with every character a URI cannot hold percent-encoded. Either
/// way no control character of the list reaches the terminal or the config.
fn fetched_form(xml_url: &str) -> String {
    match url::Url::parse(xml_url) {
        Ok(url) => url.to_string(),
        Err(_) => uri_text(xml_url).into_owned(),
    }
}

/// The config's feed sources as OPML, and those it could not list.
#[derive(Debug, PartialEq, Eq)]
pub struct Export {
    /// OPML 2.0 listing every feed source that is a URL, as the config
    /// gives it: credentials and query values included, since a reader
    /// that imports it needs the URL that works.
    pub opml: String,
    /// (name, why) of each feed source left out.
    pub left_out: Vec<(String, String)>,
}

/// Lists every feed source that is a URL as OPML 2.0, written with
/// `quick-xml`'s writer; a feed read from a local file is left out.
pub fn export(config: &Config) -> Export {
    let mut left_out = Vec::new();
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut write = |event: Event| {
        writer
            .write_event(event)
            .expect("writing to memory cannot fail")
    };
    write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    write(Event::Start(
        BytesStart::new("opml").with_attributes([("version", "2.0")]),
    ));
    write(Event::Start(BytesStart::new("head")));
    write(Event::Start(BytesStart::new("title")));
    write(Event::Text(BytesText::new("feedfold sources")));
    write(Event::End(BytesEnd::new("title")));
    write(Event::End(BytesEnd::new("head")));
    write(Event::Start(BytesStart::new("body")));
    for source in &config.sources {
        let SourceKind::Feed { location, .. } = &source.kind else {
            continue;
        };
        let url = match location {
            FeedLocation::Url(url) => url,
            FeedLocation::File(_) => {
                left_out.push((
                    source.name.clone(),
                    "its feed is a local file, which a reader cannot subscribe to".to_string(),
                ));
                continue;
            }
        };
        // The config refuses a title without a visible character, so one
        // is left whatever XML forbids; a URL is written as the `url`
        // crate serializes it, which escapes every control character.
        let title = xml_allowed(source.title.as_deref().unwrap_or(&source.name));
        write(Event::Empty(BytesStart::new("outline").with_attributes([
            ("type", "rss"),
            ("text", title.as_str()),
            ("title", title.as_str()),
            ("xmlUrl", url.as_str()),
        ])));
    }
    write(Event::End(BytesEnd::new("body")));
    write(Event::End(BytesEnd::new("opml")));
    let mut opml = String::from_utf8(writer.into_inner()).expect("the writer writes UTF-8");
    opml.push('\n');
    Export { opml, left_out }
}

/// `text` without the characters XML 1.0 forbids even escaped (see
/// [`is_xml_char`]), which a config can hold but OPML cannot carry.
fn xml_allowed(text: &str) -> String {
    text.chars().filter(|&c| is_xml_char(c)).collect()
}

/// What an import added and left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// (name, URL) of each source added.
    pub added: Vec<(String, String)>,
    /// (name, URL) of each subscription the config has already.
    pub already_present: Vec<(String, String)>,
    /// Outlines that are not http(s) feeds, with the reason: each named
    /// by its URL as shown (without credentials or query values), or by
    /// its title when its `xmlUrl` is empty or missing.
    pub refused: Vec<(String, String)>,
    /// Which feed shows the imported sources.
    pub shown_in: Shown,
}

/// Which `[[feed]]` shows the sources of an import.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Nothing was imported.
    #[default]
    Nothing,
    /// This feed takes every source: it shows them without a change.
    EverySource(String),
    /// These sources were added to this feed's `sources`.
    AddedTo { feed: String, sources: Vec<String> },
    /// This feed was created, listing these sources.
    NewFeed { feed: String, sources: Vec<String> },
    /// No feed shows these sources: the config has no feed, or several
    /// that each list their own, and none was asked for.
    Unshown(Vec<String>),
}

/// What to write into the config file for an import.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// `[[source]]` (and a new `[[feed]]`) tables to append.
    pub tables: String,
    pub imported: Imported,
}

/// Plans importing `subscriptions`: the feeds the config has already (by
/// canonical URL) are skipped, each new one becomes a source named after
/// its title, uniquely: no other source's name, nor one pushes write
/// under (`[server] push_source`, default `api`, and `push_sources`), nor
/// one of `held_names`, the names the store keeps anything under (of a
/// source removed from the config too, whose entries' ids were made from
/// it) or keeps for sources renamed away
/// ([`crate::store::Store::held_source_names`]). The
/// sources of the import (new, or the config's for a subscription it had)
/// are shown in `feed` when given (a feed listing its sources gets them
/// added, a name no feed has becomes a new feed, if a feed may be named
/// so), else in the config's only feed.
pub fn plan_import(
    config: &Config,
    held_names: &[String],
    subscriptions: &[Subscription],
    feed: Option<&str>,
) -> Result<ImportPlan, FeedNameError> {
    if let Some(name) = feed
        && !config.feeds.iter().any(|f| f.name == name)
    {
        check_feed_name(name).map_err(|message| FeedNameError {
            name: name.to_string(),
            message,
        })?;
    }
    let mut names = TakenNames::new(
        config
            .sources
            .iter()
            .map(|s| s.name.as_str())
            .chain(config.server.push.names())
            .chain(held_names.iter().map(String::as_str))
            .map(str::to_string)
            .collect(),
    );
    let mut urls: HashMap<String, String> = config
        .sources
        .iter()
        .filter_map(|s| match &s.kind {
            SourceKind::Feed {
                location: FeedLocation::Url(url),
                ..
            } => canonical_url(url).map(|c| (c, s.name.clone())),
            _ => None,
        })
        .collect();
    let mut plan = ImportPlan::default();
    let imported = &mut plan.imported;
    for subscription in subscriptions {
        if subscription.xml_url.is_empty() {
            imported.refused.push((
                format!("{:?}", subscription.title),
                "its xmlUrl is empty or missing".into(),
            ));
            continue;
        }
        let Some(canonical) = canonical_url(&subscription.xml_url) else {
            imported.refused.push((
                crate::redact::url(&subscription.xml_url).into_owned(),
                "not an absolute http(s) URL".into(),
            ));
            continue;
        };
        // A feed filed in two folders is imported once: its second outline
        // finds it present, as the first added it.
        if let Some(name) = urls.get(&canonical) {
            imported
                .already_present
                .push((name.clone(), subscription.xml_url.clone()));
            continue;
        }
        let name = names.unique(&slug(&subscription.title));
        plan.tables
            .push_str(&format!("\n[[source]]\nname = {}\n", toml_string(&name)));
        if subscription.title != name {
            plan.tables
                .push_str(&format!("title = {}\n", toml_string(&subscription.title)));
        }
        plan.tables
            .push_str(&format!("feed = {}\n", toml_string(&subscription.xml_url)));
        urls.insert(canonical, name.clone());
        imported.added.push((name, subscription.xml_url.clone()));
    }
    imported.shown_in = shown_in(config, imported, feed);
    if let Shown::NewFeed { feed, sources } = &imported.shown_in {
        plan.tables.push_str(&format!(
            "\n[[feed]]\nname = {}\ntitle = {}\nsources = {}\n",
            toml_string(feed),
            toml_string(feed),
            toml_list(sources)
        ));
    }
    Ok(plan)
}

/// Which feed is to show the sources of `imported`.
fn shown_in(config: &Config, imported: &Imported, asked: Option<&str>) -> Shown {
    let mut sources: Vec<String> = imported.added.iter().map(|(n, _)| n.clone()).collect();
    if asked.is_some() {
        // Asking for a feed shows the subscriptions the config had too,
        // each once however often the list gives it.
        for (name, _) in &imported.already_present {
            if !sources.contains(name) {
                sources.push(name.clone());
            }
        }
    }
    if sources.is_empty() {
        return Shown::Nothing;
    }
    let feed = match asked {
        Some(name) => match config.feeds.iter().find(|f| f.name == name) {
            Some(feed) => feed,
            None => {
                return Shown::NewFeed {
                    feed: name.to_string(),
                    sources,
                };
            }
        },
        None => {
            if let Some(every) = config.feeds.iter().find(|f| f.sources.is_none()) {
                return Shown::EverySource(every.name.clone());
            }
            match &config.feeds[..] {
                [only] => only,
                _ => return Shown::Unshown(sources),
            }
        }
    };
    match &feed.sources {
        None => Shown::EverySource(feed.name.clone()),
        Some(listed) => Shown::AddedTo {
            feed: feed.name.clone(),
            sources: sources
                .into_iter()
                .filter(|s| !listed.contains(s))
                .collect(),
        },
    }
}

/// What `sources import` says of which feed shows the imported sources
/// (read from `file`, into the config at `config` when the user named
/// one: the command it suggests names it too); `None` when nothing was
/// imported.
pub fn shown_line(shown: &Shown, file: &Path, config: Option<&Path>) -> Option<String> {
    Some(match shown {
        Shown::Nothing => return None,
        Shown::EverySource(feed) => format!("feed {feed} takes every source: it shows them"),
        Shown::AddedTo { feed, sources } if sources.is_empty() => {
            format!("feed {feed} lists them already")
        }
        Shown::AddedTo { feed, sources } => {
            format!("feed {feed} now also shows {}", sources.join(", "))
        }
        Shown::NewFeed { feed, sources } => {
            format!("added feed {feed}, showing {}", sources.join(", "))
        }
        Shown::Unshown(sources) => {
            let config = config.map_or(String::new(), |path| format!("-c {} ", shell_word(path)));
            format!(
                "no feed shows {} yet: run `feedfold {config}sources import {} --feed NAME` to add \
                 them to feed NAME (or make it), or list them in a feed's `sources`",
                sources.join(", "),
                shell_word(file)
            )
        }
    })
}

/// `path` as one word a POSIX shell reads back as it: as it is when every
/// character is one no shell treats specially, else in single quotes.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%=".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Writes `plan` into `config`, held for the edit since it was read,
/// atomically, after checking that the result is still a valid config: its
/// tables appended, the sources a feed is to show added to its `sources`
/// (comments, layout, line ends and a byte-order mark kept).
pub fn apply_import(config: LockedConfig, plan: &ImportPlan) -> Result<(), OpmlError> {
    let path = config.path();
    let read_error = |message: String| OpmlError::Read {
        path: path.display().to_string(),
        message,
    };
    let current = config.text();
    // A byte-order mark an editor wrote stays, ahead of everything.
    let (mark, current) = match current.strip_prefix(BYTE_ORDER_MARK) {
        Some(rest) => (BYTE_ORDER_MARK, rest),
        None => ("", current),
    };
    let mut text = current.to_string();
    if let Shown::AddedTo { feed, sources } = &plan.imported.shown_in
        && !sources.is_empty()
    {
        text = add_to_feed(&text, feed, sources).map_err(read_error)?;
    }
    let tables = if plan.tables.is_empty() {
        String::new()
    } else {
        let (merged, tables) = into_inline_arrays(&text, &plan.tables).map_err(read_error)?;
        text = merged;
        tables
    };
    if !tables.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&tables);
    if text == current {
        return Ok(());
    }
    // A config written on Windows keeps its CRLF line ends throughout.
    if current.contains("\r\n") {
        text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    text.insert_str(0, mark);
    // The config was valid before: what is wrong is in what the import
    // adds, which the file does not hold yet, so no line of it is named.
    Config::parse_in_environment(&text, path).map_err(|e| {
        let problem = match e {
            ConfigError::Invalid { key, message, .. } => format!("`{key}`: {message}"),
            other => other.to_string(),
        };
        read_error(format!(
            "the import would make the config invalid: {problem}"
        ))
    })?;
    let path = path.display().to_string();
    config
        .replace(text.as_bytes())
        .map_err(|e| OpmlError::Read {
            path,
            message: format!("cannot write the config: {e}"),
        })
}

/// The mark some editors write at the start of a UTF-8 file.
const BYTE_ORDER_MARK: &str = "\u{feff}";

/// `text` with those of the `[[source]]`/`[[feed]]` `tables` whose key the
/// config writes as an inline array (`source = [{ … }, …]`, where a table
/// of the same name would be a duplicate key) pushed onto that array as
/// inline tables, and the tables left to append as they are.
fn into_inline_arrays(text: &str, tables: &str) -> Result<(String, String), String> {
    let mut document: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    let mut added: toml_edit::DocumentMut = tables.parse().map_err(|e| format!("{e}"))?;
    let mut merged = false;
    for key in ["source", "feed"] {
        let Some(toml_edit::Item::Value(toml_edit::Value::Array(list))) = document.get_mut(key)
        else {
            continue;
        };
        let Some(toml_edit::Item::ArrayOfTables(new)) = added.remove(key) else {
            continue;
        };
        for table in new {
            list.push_formatted(toml_edit::Value::InlineTable(table.into_inline_table()));
        }
        merged = true;
    }
    if !merged {
        return Ok((text.to_string(), tables.to_string()));
    }
    let rest = if added.is_empty() {
        String::new()
    } else {
        format!("\n{added}")
    };
    Ok((document.to_string(), rest))
}

/// `text` with `sources` appended to the `sources` list of the
/// `[[feed]]` named `feed`, everything else as written.
fn add_to_feed(text: &str, feed: &str, sources: &[String]) -> Result<String, String> {
    let mut document: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    let named = |name: Option<&toml_edit::Value>| name.and_then(|n| n.as_str()) == Some(feed);
    let list = match document.get_mut("feed") {
        // `[[feed]]` tables, as written one below the other.
        Some(toml_edit::Item::ArrayOfTables(feeds)) => feeds
            .iter_mut()
            .find(|table| named(table.get("name").and_then(toml_edit::Item::as_value)))
            .and_then(|table| table.get_mut("sources"))
            .and_then(toml_edit::Item::as_array_mut),
        // `feed = [{ name = "…", sources = […] }, …]`: inline tables.
        Some(toml_edit::Item::Value(toml_edit::Value::Array(feeds))) => feeds
            .iter_mut()
            .filter_map(toml_edit::Value::as_inline_table_mut)
            .find(|table| named(table.get("name")))
            .and_then(|table| table.get_mut("sources"))
            .and_then(toml_edit::Value::as_array_mut),
        _ => None,
    }
    .ok_or_else(|| format!("no [[feed]] named {feed:?} lists its `sources`"))?;
    for source in sources {
        list.push(source.as_str());
    }
    Ok(document.to_string())
}

/// `Le Monde — International` -> `le-monde-international`.
/// Letters beyond ASCII are transliterated (`Ünïcode` -> `unicode`).
fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in deunicode::deunicode(title)
        .chars()
        .flat_map(char::to_lowercase)
    {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() { "feed".into() } else { slug }
}

/// The names sources have, and the next number to try for each base
/// name: numbering many outlines of one title (`blog`, `blog-2`, …) goes
/// on from the last number given rather than trying every one before it.
struct TakenNames {
    taken: HashSet<String>,
    next_number: HashMap<String, usize>,
}

impl TakenNames {
    fn new(taken: HashSet<String>) -> TakenNames {
        TakenNames {
            taken,
            next_number: HashMap::new(),
        }
    }

    /// `base`, or when that is taken the first `base-N` (N from 2) that is
    /// not, now taken.
    fn unique(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        if self.taken.contains(&name) {
            let next = self.next_number.entry(base.to_string()).or_insert(2);
            loop {
                name = format!("{base}-{next}");
                *next += 1;
                if !self.taken.contains(&name) {
                    break;
                }
            }
        }
        self.taken.insert(name.clone());
        name
    }
}

/// `text` as a TOML basic string on one line: a line break or other
/// control character is escaped rather than written as it is, so that
/// rewriting the config's line ends cannot change the value.
fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// `items` as a TOML array of basic strings on one line.
fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| toml_string(item)).collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="News">
      <outline type="rss" text="Harbour Post" xmlUrl="https://harbour.example/feed.xml" htmlUrl="https://harbour.example/"/>
      <outline type="rss" title="Wire &amp; Co" text="ignored" xmlUrl="https://wire.example/rss?utm_source=opml"/>
    </outline>
    <outline type="rss" text="Harbour Post" xmlUrl="https://mirror.example/harbour.xml"/>
    <outline text="Not a feed" htmlUrl="https://site.example/"/>
    <outline text="Gopher" xmlUrl="gopher://old.example/feed"/>
  </body>
</opml>"#;

    fn config(extra: &str) -> Config {
        let text = format!(
            "[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\n{extra}\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"
        );
        Config::parse(&text, Path::new("/srv/config.toml")).unwrap()
    }

    #[test]
    fn outlines_with_feed_urls_are_read_at_any_depth() {
        let subs = parse(OPML, "subs.opml").unwrap();
        let titles: Vec<&str> = subs.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Harbour Post", "Wire & Co", "Harbour Post", "Gopher"]
        );
        assert_eq!(subs[1].xml_url, "https://wire.example/rss?utm_source=opml");
    }

    #[test]
    fn an_outline_without_a_title_is_titled_by_its_url_without_secrets() {
        let subs = parse(
            r#"<opml><body><outline type="rss" xmlUrl="https://user:pw@paid.example/a.xml?key=s3cret"/></body></opml>"#,
            "subs.opml",
        )
        .unwrap();
        assert_eq!(subs[0].title, "https://paid.example/a.xml?key=***");
        assert_eq!(
            subs[0].xml_url,
            "https://user:pw@paid.example/a.xml?key=s3cret"
        );
    }

    #[test]
    fn an_outline_titled_only_by_invisible_characters_is_titled_by_its_url() {
        for invisible in [
            "&#xFEFF;",
            "&#x200B;",
            "&#x200E;",
            "&#x2060;",
            " &#xA0;&#x200B; ",
        ] {
            let opml = format!(
                r#"<opml><body><outline type="rss" title="{invisible}" text="{invisible}" xmlUrl="https://quiet.example/rss"/></body></opml>"#
            );
            let subs = parse(&opml, "subs.opml").unwrap();
            assert_eq!(subs[0].title, "https://quiet.example/rss", "{invisible}");
        }
        // A visible `text` stands in for an invisible `title`.
        let subs = parse(
            r#"<opml><body><outline type="rss" title="&#x200B;" text="Harbour" xmlUrl="https://harbour.example/rss"/></body></opml>"#,
            "subs.opml",
        )
        .unwrap();
        assert_eq!(subs[0].title, "Harbour");
    }

    #[test]
    fn attribute_names_are_read_in_any_case() {
        let subs = parse(
            r#"<opml><body>
            <outline TEXT="Lower" type="rss" xmlurl="https://lower.example/rss"/>
            <outline Title="Upper" TYPE="RSS" xmlURL="https://upper.example/rss"/>
            </body></opml>"#,
            "subs.opml",
        )
        .unwrap();
        assert_eq!(
            subs,
            [
                Subscription {
                    title: "Lower".into(),
                    xml_url: "https://lower.example/rss".into(),
                },
                Subscription {
                    title: "Upper".into(),
                    xml_url: "https://upper.example/rss".into(),
                },
            ]
        );
    }

    #[test]
    fn a_feed_outline_without_an_xml_url_is_left_out_saying_so() {
        let opml = r#"<opml version="2.0"><body>
            <outline text="No feed URL" type="rss" htmlUrl="https://nofeed.example/"/>
            <outline text="Folder" htmlUrl="https://site.example/"/>
        </body></opml>"#;
        let subs = parse(opml, "subs.opml").unwrap();
        let ImportPlan { imported, .. } = plan_import(&config(""), &[], &subs, None).unwrap();
        assert!(imported.added.is_empty());
        assert_eq!(
            imported.refused,
            [(
                "\"No feed URL\"".to_string(),
                "its xmlUrl is empty or missing".to_string()
            )]
        );
    }

    #[test]
    fn an_outline_s_url_is_read_in_the_form_feedfold_fetches_it() {
        let subs = parse(
            r#"<opml><body>
            <outline text="A" xmlUrl="https://news.example/rss&#27;]0;x&#7;&#13;forged&#10;"/>
            <outline text="B" xmlUrl="no url&#27;[2K"/>
            </body></opml>"#,
            "subs.opml",
        )
        .unwrap();
        assert_eq!(subs[0].xml_url, "https://news.example/rss%1B]0;x%07forged");
        assert_eq!(subs[1].xml_url, "no%20url%1B%5B2K");
        let ImportPlan { tables, imported } = plan_import(&config(""), &[], &subs, None).unwrap();
        assert!(
            tables.contains("feed = \"https://news.example/rss%1B]0;x%07forged\""),
            "{tables}"
        );
        assert_eq!(imported.refused[0].0, "no%20url%1B%5B2K");
    }

    #[test]
    fn an_outline_with_an_empty_xml_url_is_left_out_by_its_title() {
        let opml = r#"<opml version="2.0"><body>
            <outline text="Folder"><outline type="rss" text="Harbour News" xmlUrl=""/></outline>
            <outline type="rss" xmlUrl=" "/>
            <outline type="rss" text="Wire" xmlUrl="https://news.example/rss"/>
            <outline type="rss" text="Old" xmlUrl="ftp://old.example/rss?key=s3cret"/>
        </body></opml>"#;
        let subs = parse(opml, "subs.opml").unwrap();
        assert_eq!(subs.len(), 4, "{subs:?}");
        let ImportPlan { imported, .. } = plan_import(&config(""), &[], &subs, None).unwrap();
        assert_eq!(imported.added.len(), 1);
        assert_eq!(
            imported.refused,
            [
                (
                    "\"Harbour News\"".to_string(),
                    "its xmlUrl is empty or missing".to_string()
                ),
                (
                    "\"\"".to_string(),
                    "its xmlUrl is empty or missing".to_string()
                ),
                (
                    "ftp://old.example/rss?key=***".to_string(),
                    "not an absolute http(s) URL".to_string()
                ),
            ]
        );
    }

    #[test]
    fn malformed_opml_is_an_error_naming_the_file() {
        let err = parse("<opml><body><outline", "bad.opml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("bad.opml: malformed OPML at line 1, column 13:"),
            "{err}"
        );
        let outlines = "<outline text=\"A\" xmlUrl=\"https://a.example/rss\"/>\n".repeat(3);
        for (bad, says) in [
            (
                "text=\"&bogus; news\"",
                "the outline's `text` uses the entity `&bogus;`",
            ),
            (
                "title=\"Q&A\"",
                "the outline's `title` has an `&` that begins no entity",
            ),
        ] {
            let doc = format!(
                "<opml>\n<body>\n{outlines}  <outline {bad} xmlUrl=\"https://b.example/\"/>\n</body></opml>"
            );
            let err = parse(&doc, "subs.opml").unwrap_err().to_string();
            assert!(
                err.starts_with(&format!(
                    "subs.opml: malformed OPML at line 6, column 3: {says}"
                )),
                "{err}"
            );
        }
        let err = parse("<rss/>", "x.opml").unwrap_err().to_string();
        assert!(err.contains("no <opml>"), "{err}");
    }

    #[test]
    fn import_skips_known_feeds_and_names_new_ones_uniquely() {
        let config = config("");
        let subs = parse(OPML, "subs.opml").unwrap();
        let ImportPlan { tables, imported } = plan_import(&config, &[], &subs, None).unwrap();
        assert_eq!(
            imported.added,
            [
                (
                    "harbour-post".to_string(),
                    "https://harbour.example/feed.xml".to_string()
                ),
                (
                    "harbour-post-2".to_string(),
                    "https://mirror.example/harbour.xml".to_string()
                ),
            ]
        );
        assert_eq!(
            imported.already_present,
            [(
                "wire".to_string(),
                "https://wire.example/rss?utm_source=opml".to_string()
            )]
        );
        assert_eq!(imported.refused.len(), 1);
        assert!(tables.contains(
            "name = \"harbour-post-2\"\ntitle = \"Harbour Post\"\nfeed = \"https://mirror.example/harbour.xml\"\n"
        ));
        assert_eq!(imported.shown_in, Shown::EverySource("all".into()));
    }

    #[test]
    fn imported_sources_are_not_named_like_a_push_source() {
        let subs = [
            Subscription {
                title: "Partner".into(),
                xml_url: "https://partner.example/rss".into(),
            },
            Subscription {
                title: "API".into(),
                xml_url: "https://api.example/rss".into(),
            },
        ];
        let partner = config("[server]\npush_sources = [\"partner\"]\n");
        let names: Vec<String> = plan_import(&partner, &[], &subs, None)
            .unwrap()
            .imported
            .added
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["partner-2", "api-2"]);
        let elsewhere = config("[server]\npush_source = \"desk\"\n");
        let plan = plan_import(&elsewhere, &[], &subs, None).unwrap();
        assert_eq!(
            plan.imported.added[1].0, "api",
            "api is free when pushes go elsewhere"
        );
    }

    #[test]
    fn a_feed_argument_no_feed_may_have_is_refused_before_anything_is_planned() {
        let subs = parse(OPML, "subs.opml").unwrap();
        for (name, message) in [("World News", "it names files"), ("", "must not be empty")] {
            let err = plan_import(&config(""), &[], &subs, Some(name)).unwrap_err();
            assert_eq!(err.name, name);
            assert!(
                err.to_string()
                    .starts_with(&format!("--feed {name:?}: {message}")),
                "{err}"
            );
        }
        assert!(plan_import(&config(""), &[], &subs, Some("all")).is_ok());
        assert!(plan_import(&config(""), &[], &subs, Some("world-news")).is_ok());
    }

    #[test]
    fn imported_sources_are_not_named_like_a_source_renamed_away() {
        let subs = [Subscription {
            title: "Wire".into(),
            xml_url: "https://other.example/rss".into(),
        }];
        let renamed = Config::parse(
            "[[source]]\nname = \"reuters\"\nfeed = \"https://wire.example/rss\"\n",
            Path::new("/srv/config.toml"),
        )
        .unwrap();
        let renamed_away = ["wire".to_string()];
        let plan = plan_import(&renamed, &renamed_away, &subs, None).unwrap();
        assert_eq!(plan.imported.added[0].0, "wire-2");
        assert!(
            plan.tables
                .contains("name = \"wire-2\"\ntitle = \"Wire\"\n")
        );
    }

    #[test]
    fn an_import_that_would_break_the_config_names_no_line_the_file_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let original = "[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\n";
        std::fs::write(&path, original).unwrap();
        let plan = ImportPlan {
            tables: "\n[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/2\"\n".into(),
            imported: Imported::default(),
        };
        let err = apply_import(LockedConfig::lock(&path).unwrap(), &plan)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!(
                "{}: the import would make the config invalid: `source[1].name`: \"wire\" is used twice",
                path.display()
            )
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    }

    #[test]
    fn a_feed_filed_in_two_folders_is_imported_and_shown_once() {
        let opml = r#"<opml version="2.0"><body>
            <outline text="Local"><outline type="rss" text="Harbour Gazette" xmlUrl="https://gazette.example/rss"/></outline>
            <outline text="Favourites"><outline type="rss" text="Harbour Gazette" xmlUrl="https://GAZETTE.example/rss"/></outline>
            <outline text="A"><outline type="rss" text="Wire" xmlUrl="https://wire.example/rss"/></outline>
            <outline text="B"><outline type="rss" text="Wire" xmlUrl="https://wire.example/rss"/></outline>
        </body></opml>"#;
        let subs = parse(opml, "subs.opml").unwrap();
        let (imported, _) = import_into(TWO_FEEDS, &subs, Some("reader"));
        assert_eq!(imported.added.len(), 1, "{:?}", imported.added);
        // Every outline is accounted for: the second of each pair finds
        // its feed present, as the config or the first outline made it.
        let present: Vec<&str> = imported
            .already_present
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(present, ["harbour-gazette", "wire", "wire"]);
        assert_eq!(
            imported.shown_in,
            Shown::NewFeed {
                feed: "reader".into(),
                sources: vec!["harbour-gazette".into(), "wire".into()]
            }
        );
    }

    #[test]
    fn import_appends_to_the_config_file_and_export_lists_url_sources() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let original =
            "# my config\n[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\n";
        std::fs::write(&path, original).unwrap();
        let config = Config::load(&path).unwrap();
        let plan = plan_import(&config, &[], &parse(OPML, "subs.opml").unwrap(), None).unwrap();
        assert_eq!(
            plan.imported.shown_in,
            Shown::Unshown(vec!["harbour-post".into(), "harbour-post-2".into()]),
            "the config has no feed"
        );
        apply_import(LockedConfig::lock(&path).unwrap(), &plan).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(original), "existing text is kept");
        let config = Config::load(&path).unwrap();
        assert_eq!(config.sources.len(), 3);
        let exported = export(&config).opml;
        let round_trip = parse(&exported, "export.opml").unwrap();
        let urls: Vec<&str> = round_trip.iter().map(|s| s.xml_url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://wire.example/rss",
                "https://harbour.example/feed.xml",
                "https://mirror.example/harbour.xml"
            ]
        );
    }

    #[test]
    fn import_keeps_the_configs_permissions_and_writes_through_a_symlink() {
        use std::os::unix::fs::PermissionsExt;

        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("etc")).unwrap();
        let real = dir.path().join("etc/real.toml");
        let original = "[server]\ntoken = \"s3cret-token-of-32-characters-xx\"\n";
        std::fs::write(&real, original).unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("linked.toml");
        std::os::unix::fs::symlink("etc/real.toml", &link).unwrap();
        let config = Config::load(&link).unwrap();
        let plan = plan_import(&config, &[], &parse(OPML, "subs.opml").unwrap(), None).unwrap();
        apply_import(LockedConfig::lock(&link).unwrap(), &plan).unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        let text = std::fs::read_to_string(&real).unwrap();
        assert!(
            text.starts_with(original) && text.contains("harbour-post"),
            "{text}"
        );
        let mode = std::fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("etc")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[test]
    fn export_lists_url_feeds_as_opml() {
        let config = config(
            "[[source]]\nname = \"agg\"\nfeed = \"https://agg.example/rss?a=1&b=2\"\n\n[[source]]\nname = \"local\"\nfeed = \"local.xml\"\n",
        );
        let exported = export(&config);
        assert_eq!(
            exported.left_out,
            [(
                "local".to_string(),
                "its feed is a local file, which a reader cannot subscribe to".to_string()
            )]
        );
        assert_eq!(
            exported.opml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>feedfold sources</title>\n  </head>\n  <body>\n    <outline type=\"rss\" text=\"wire\" title=\"wire\" xmlUrl=\"https://wire.example/rss\"/>\n    <outline type=\"rss\" text=\"agg\" title=\"agg\" xmlUrl=\"https://agg.example/rss?a=1&amp;b=2\"/>\n  </body>\n</opml>\n"
        );
    }

    #[test]
    fn export_leaves_out_characters_xml_forbids() {
        let config = config(
            "[[source]]\nname = \"agg\"\ntitle = \"Wire\\u0002World\"\nfeed = \"https://agg.example/rss\"\n",
        );
        let opml = export(&config).opml;
        assert!(
            opml.contains(r#"<outline type="rss" text="WireWorld" title="WireWorld" xmlUrl="https://agg.example/rss"/>"#),
            "{opml}"
        );
        assert!(opml.chars().all(is_xml_char), "{opml:?}");
        assert_eq!(parse(&opml, "export.opml").unwrap().len(), 2);
    }

    #[test]
    fn an_imported_title_is_kept_without_characters_xml_forbids() {
        let subs = parse(
            r#"<opml><body><outline type="rss" text="Harbour&#1;News &#2;" xmlUrl="https://harbour.example/rss"/></body></opml>"#,
            "subs.opml",
        )
        .unwrap();
        assert_eq!(subs[0].title, "HarbourNews");
    }

    #[test]
    fn slugs_are_safe_source_names() {
        assert_eq!(slug("Le Monde — International"), "le-monde-international");
        assert_eq!(slug("Blog: Ünïcode & stuff!"), "blog-unicode-stuff");
        assert_eq!(slug("Ærøskøbing Avis"), "aeroskobing-avis");
        assert_eq!(slug("¡¡!!"), "feed");
    }

    #[test]
    fn the_original_title_is_kept_and_exported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let original = "[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\n";
        std::fs::write(&path, original).unwrap();
        let subs = [Subscription {
            title: "Blog: Ünïcode & stuff!".into(),
            xml_url: "https://blog.example/feed".into(),
        }];
        let plan = plan_import(&Config::load(&path).unwrap(), &[], &subs, None).unwrap();
        apply_import(LockedConfig::lock(&path).unwrap(), &plan).unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.sources[1].name, "blog-unicode-stuff");
        assert_eq!(
            config.sources[1].title.as_deref(),
            Some("Blog: Ünïcode & stuff!")
        );
        let exported = parse(&export(&config).opml, "export.opml").unwrap();
        assert_eq!(exported[1], subs[0]);
        assert_eq!(
            exported[0].title, "wire",
            "a source without a title by its name"
        );
    }

    /// A config with two feeds that list their sources, one comment each.
    const TWO_FEEDS: &str = "[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\n\n\
        [[feed]]\nname = \"world\"\ntitle = \"World\"\nsources = [\"wire\"]  # the wires\n\n\
        [[feed]]\nname = \"local\"\ntitle = \"Local\"\nsources = [\"wire\"]\n";

    fn import_into(text: &str, subs: &[Subscription], feed: Option<&str>) -> (Imported, String) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        let plan = plan_import(&Config::load(&path).unwrap(), &[], subs, feed).unwrap();
        apply_import(LockedConfig::lock(&path).unwrap(), &plan).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        Config::parse(&written, &path).expect("a valid config");
        (plan.imported, written)
    }

    #[test]
    fn a_feed_written_as_an_inline_table_shows_the_imported_sources() {
        let subs = parse(OPML, "subs.opml").unwrap();
        let inline = "source = [{ name = \"wire\", feed = \"https://wire.example/rss\" }]\n\
            feed = [{ name = \"world\", title = \"World\", sources = [\"wire\"] }]\n";
        let (_, written) = import_into(inline, &subs, None);
        assert!(
            written.starts_with("source = [{ name = \"wire\"")
                && written.contains("{ name = \"harbour-post-2\"")
                && !written.contains("[[source]]"),
            "{written}"
        );
        let (_, written) = import_into(inline, &subs, Some("reader"));
        assert!(
            written.contains("{ name = \"reader\", title = \"reader\"") && !written.contains("[["),
            "{written}"
        );
        let (imported, written) = import_into(inline, &subs, Some("world"));
        assert!(
            matches!(imported.shown_in, Shown::AddedTo { ref feed, .. } if feed == "world"),
            "{:?}",
            imported.shown_in
        );
        assert!(
            written.contains("sources = [\"wire\", \"harbour-post\", \"harbour-post-2\"]"),
            "{written}"
        );
    }

    #[test]
    fn a_config_with_crlf_line_ends_keeps_them() {
        let subs = parse(OPML, "subs.opml").unwrap();
        let crlf = TWO_FEEDS.replace('\n', "\r\n");
        for feed in [None, Some("local"), Some("reader")] {
            let (_, written) = import_into(&crlf, &subs, feed);
            assert!(written.starts_with(&crlf[..40]), "{written:?}");
            assert!(written.contains("harbour-post"), "{written:?}");
            assert_eq!(
                written.matches('\n').count(),
                written.matches("\r\n").count(),
                "{feed:?}: {written:?}"
            );
        }
    }

    #[test]
    fn many_outlines_of_one_title_are_numbered_in_order_past_taken_names() {
        let config = config("[[source]]\nname = \"blog-3\"\nfeed = \"https://b3.example/rss\"\n");
        // Numbered one by one from 2 each time, this many would take minutes.
        let subs: Vec<Subscription> = (0..50_000)
            .map(|n| Subscription {
                title: "Blog".into(),
                xml_url: format!("https://h{n}.example/feed.xml"),
            })
            .collect();
        let plan = plan_import(&config, &["blog".to_string()], &subs, None).unwrap();
        let names: Vec<&str> = plan
            .imported
            .added
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names[..4], ["blog-2", "blog-4", "blog-5", "blog-6"]);
        assert_eq!(names[49_999], "blog-50002");
        let unique: HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn a_config_with_a_byte_order_mark_keeps_it() {
        let subs = parse(OPML, "subs.opml").unwrap();
        let marked = format!("\u{feff}{TWO_FEEDS}");
        for feed in [None, Some("local"), Some("reader")] {
            let (_, written) = import_into(&marked, &subs, feed);
            assert!(written.starts_with(&marked[..40]), "{feed:?}: {written:?}");
            assert_eq!(written.matches('\u{feff}').count(), 1, "{written:?}");
            assert!(written.contains("harbour-post"), "{written:?}");
        }
    }

    #[test]
    fn a_title_with_a_line_break_keeps_it_in_a_crlf_config() {
        let subs = [Subscription {
            title: "Harbour\nPost \"daily\" \\ \t\u{7f}".into(),
            xml_url: "https://harbour.example/feed.xml".into(),
        }];
        let crlf = TWO_FEEDS.replace('\n', "\r\n");
        let (_, written) = import_into(&crlf, &subs, Some("reader"));
        let config = Config::parse(&written, Path::new("config.toml")).unwrap();
        assert_eq!(
            config.sources[1].title.as_deref(),
            Some(subs[0].title.as_str())
        );
        assert_eq!(
            written.matches('\n').count(),
            written.matches("\r\n").count(),
            "{written:?}"
        );
    }

    #[test]
    fn the_feed_asked_for_shows_the_imported_sources() {
        let subs = parse(OPML, "subs.opml").unwrap();
        let (imported, written) = import_into(TWO_FEEDS, &subs, None);
        assert_eq!(
            imported.shown_in,
            Shown::Unshown(vec!["harbour-post".into(), "harbour-post-2".into()]),
            "two feeds, none asked for"
        );
        let line = shown_line(&imported.shown_in, Path::new("subs.opml"), None).unwrap();
        assert!(
            line.contains("run `feedfold sources import subs.opml --feed NAME`"),
            "{line}"
        );
        let named = Path::new("/etc/feed fold/it's.toml");
        let line = shown_line(&imported.shown_in, Path::new("my subs.opml"), Some(named)).unwrap();
        assert!(
            line.contains(
                "run `feedfold -c '/etc/feed fold/it'\\''s.toml' sources import 'my subs.opml' --feed NAME`"
            ),
            "{line}"
        );
        assert!(written.starts_with(TWO_FEEDS), "{written}");

        let (imported, written) = import_into(TWO_FEEDS, &subs, Some("local"));
        assert_eq!(
            imported.shown_in,
            Shown::AddedTo {
                feed: "local".into(),
                sources: vec!["harbour-post".into(), "harbour-post-2".into()]
            },
            "wire is listed already"
        );
        assert!(
            written.contains("sources = [\"wire\"]  # the wires\n")
                && written.contains("sources = [\"wire\", \"harbour-post\", \"harbour-post-2\"]\n"),
            "{written}"
        );

        let (imported, written) = import_into(TWO_FEEDS, &subs, Some("reader"));
        assert_eq!(
            imported.shown_in,
            Shown::NewFeed {
                feed: "reader".into(),
                sources: vec![
                    "harbour-post".into(),
                    "harbour-post-2".into(),
                    "wire".into()
                ]
            }
        );
        assert!(
            written.ends_with(
                "[[feed]]\nname = \"reader\"\ntitle = \"reader\"\nsources = [\"harbour-post\", \"harbour-post-2\", \"wire\"]\n"
            ),
            "{written}"
        );

        let one_feed = TWO_FEEDS
            .split("\n[[feed]]\nname = \"local\"")
            .next()
            .unwrap();
        let (imported, _) = import_into(one_feed, &subs, None);
        assert!(
            matches!(&imported.shown_in, Shown::AddedTo { feed, .. } if feed == "world"),
            "the only feed: {:?}",
            imported.shown_in
        );
    }
}

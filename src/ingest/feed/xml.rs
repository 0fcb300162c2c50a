//! The XML document below feed-rs: what its root element is, refusing
//! entity declarations that could expand without bound or read files, the
//! rewrites that let feed-rs read what it otherwise reads as empty, rejects
//! or panics on (Atom 0.3, RSS 0.90, `<rss>` without a version it knows, XML
//! declarations in mid-document, empty or oddly typed text elements,
//! durations too long for a `u64`), and where a malformed document goes
//! wrong.

use std::ops::Range;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

use super::FeedErrorKind;

pub(super) const ATOM_03_NS: &str = "http://purl.org/atom/ns#";
pub(super) const ATOM_10_NS: &str = "http://www.w3.org/2005/Atom";
pub(super) const RSS_090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";
pub(super) const RSS_10_NS: &str = "http://purl.org/rss/1.0/";
pub(super) const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";
pub(super) const ITUNES_NS: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";

/// The RSS versions feed-rs recognises on `<rss version="…">`.
const RSS_VERSIONS: [&str; 4] = ["2.0", "0.91", "0.92", ""];

/// The document's root element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Root {
    /// Local name: `rss`, `RDF`, `feed`, `entry`, …
    pub name: String,
    pub namespace: Option<String>,
    pub version: Option<String>,
    /// Where its start tag is in the text.
    pub span: Range<usize>,
}

/// Which namespace an element is in, as far as rewriting cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    Atom03,
    Atom10,
    Media,
    Itunes,
    Other,
}

pub(super) fn namespace_kind(uri: &str) -> Ns {
    match uri {
        ATOM_03_NS => Ns::Atom03,
        ATOM_10_NS => Ns::Atom10,
        ITUNES_NS => Ns::Itunes,
        _ if uri.trim_end_matches('/') == MEDIA_NS.trim_end_matches('/') => Ns::Media,
        _ => Ns::Other,
    }
}

pub(super) fn resolved_kind(resolved: &ResolveResult) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => namespace_kind(ns.as_ref()),
        _ => Ns::Other,
    }
}

/// Reads up to the root element: checks the DOCTYPE and reports the root.
pub(super) fn inspect(text: &str) -> Result<Root, FeedErrorKind> {
    let mut reader = NsReader::from_str(text);
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_resolved_event();
        match event {
            Err(e) => return Err(syntax_error(text, reader.error_position() as usize, &e)),
            Ok((_, Event::DocType(doctype))) => check_doctype(&doctype, line_of(text, start))?,
            Ok((resolved, Event::Start(tag) | Event::Empty(tag))) => {
                let namespace = match resolved {
                    ResolveResult::Bound(ns) => Some(ns.as_ref().to_string()),
                    _ => None,
                };
                let version = attribute(&tag, "version");
                return Ok(Root {
                    name: tag.local_name().as_ref().to_string(),
                    namespace,
                    version,
                    span: start..reader.buffer_position() as usize,
                });
            }
            Ok((_, Event::Eof)) => {
                return Err(FeedErrorKind::NotAFeed {
                    found: "an XML document without a root element".to_string(),
                });
            }
            Ok(_) => {}
        }
    }
}

/// Refuses a DOCTYPE that declares an external entity, a parameter entity or
/// an entity whose value refers to another entity (the billion-laughs
/// pattern). Entities are never expanded and nothing is ever fetched; such a
/// document is refused so that its author learns why. Simple internal
/// entities stay unexpanded (`&name;` is kept as written).
fn check_doctype(doctype: &str, line: usize) -> Result<(), FeedErrorKind> {
    let mut rest = doctype;
    while let Some(at) = rest.find("<!ENTITY") {
        rest = rest[at + "<!ENTITY".len()..].trim_start();
        let parameter = rest.starts_with('%');
        if parameter {
            rest = rest[1..].trim_start();
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        rest = rest[name_end..].trim_start();
        if rest.starts_with("SYSTEM") || rest.starts_with("PUBLIC") {
            return Err(FeedErrorKind::ExternalEntity { name, line });
        }
        if parameter {
            return Err(FeedErrorKind::EntityExpansion { name, line });
        }
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let value_and_rest = &rest[1..];
        let close = value_and_rest.find(quote).unwrap_or(value_and_rest.len());
        let value = &value_and_rest[..close];
        let refers = value.contains('%')
            || value
                .match_indices('&')
                .any(|(i, _)| !value[i + 1..].starts_with('#'));
        if refers {
            return Err(FeedErrorKind::EntityExpansion { name, line });
        }
        rest = &value_and_rest[close..];
    }
    Ok(())
}

/// The unescaped value of attribute `name` (qualified name as written).
pub(super) fn attribute(tag: &BytesStart, name: &str) -> Option<String> {
    tag.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
}

/// What the rewrite pass changes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fixes {
    /// Atom 0.3 to Atom 1.0: namespace, element names, content modes.
    pub atom03: bool,
    /// Drop XML declarations after the first (feed-rs panics on one that
    /// names another encoding).
    pub late_declarations: bool,
    /// Drop empty Media RSS titles and descriptions, and normalise the
    /// `type` of text elements, which feed-rs rejects the whole document for.
    pub repair: bool,
    /// Drop `itunes:duration` and the `time`/`start`/`end` of Media RSS
    /// thumbnails and texts: feed-rs panics on numbers too long for a `u64`.
    pub durations: bool,
}

/// Whether `text` has an XML declaration after its start (not an
/// `<?xml-stylesheet?>`, which is an ordinary processing instruction).
pub(super) fn has_late_declaration(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"<?xml").any(|at| {
        at > 0
            && bytes
                .get(at + 5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'?')
    })
}

/// Whether `text` holds a number long enough to overflow feed-rs's duration
/// arithmetic, where it reads durations at all.
pub(super) fn may_overflow_durations(text: &str) -> bool {
    let reads_durations = [ITUNES_NS, "search.yahoo.com/mrss"]
        .iter()
        .any(|ns| memchr::memmem::find(text.as_bytes(), ns.as_bytes()).is_some());
    let mut run = 0;
    reads_durations
        && text.bytes().any(|b| {
            run = if b.is_ascii_digit() { run + 1 } else { 0 };
            run >= LONG_NUMBER_DIGITS
        })
}

/// Hours times 3600 overflow a `u64` from this many digits on.
const LONG_NUMBER_DIGITS: usize = 16;

/// The root start tag rebuilt so that feed-rs recognises the format:
/// `<rss>` with a version it knows, RSS 0.90's namespace as RSS 1.0's.
/// `None` when the root needs no change.
pub(super) fn fixed_root(text: &str, root: &Root) -> Option<String> {
    let raw = &text[root.span.clone()];
    let mut reader = NsReader::from_str(raw);
    let Ok(Event::Start(tag) | Event::Empty(tag)) = reader.read_event() else {
        return None;
    };
    let empty = raw.ends_with("/>");
    match root.name.as_str() {
        "rss" if !RSS_VERSIONS.contains(&root.version.as_deref().unwrap_or("-")) => {
            let mut attrs = raw_attributes(&tag)?;
            attrs.retain(|(key, _)| key != "version");
            attrs.push(("version".to_string(), "2.0".to_string()));
            Some(build_start(&qname(&tag), &attrs, empty))
        }
        "RDF" if raw.contains(RSS_090_NS) => {
            let mut attrs = raw_attributes(&tag)?;
            for (_, value) in &mut attrs {
                if value == RSS_090_NS {
                    *value = RSS_10_NS.to_string();
                }
            }
            Some(build_start(&qname(&tag), &attrs, empty))
        }
        _ => None,
    }
}

/// A start tag waiting for the next event to decide how it is written.
struct Pending {
    span: Range<usize>,
    /// Written when the element turns out to have content.
    with_content: String,
    /// Written for the element and its end tag when it is empty; `None`
    /// drops both.
    when_empty: Option<String>,
}

/// Rewrites `text` event by event, copying everything it does not change
/// byte for byte.
pub(super) fn rewrite(text: &str, fixes: Fixes) -> Result<String, FeedErrorKind> {
    let mut reader = NsReader::from_str(text);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut copied = 0;
    let mut pending: Option<Pending> = None;
    let mut depth = 0usize;
    // An element being dropped whole: its depth and where it starts.
    let mut dropping: Option<(usize, usize)> = None;
    loop {
        let start = reader.buffer_position() as usize;
        let (ns, event) = match reader.read_resolved_event() {
            Ok((resolved, event)) => (resolved_kind(&resolved), event),
            Err(e) => return Err(syntax_error(text, reader.error_position() as usize, &e)),
        };
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some((drop_depth, drop_start)) = dropping {
            match event {
                Event::End(_) if depth < drop_depth => {
                    out.push_str(&text[copied..drop_start]);
                    copied = end;
                    dropping = None;
                }
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        if let Some(p) = pending.take() {
            out.push_str(&text[copied..p.span.start]);
            if matches!(event, Event::End(_)) {
                if let Some(tag) = &p.when_empty {
                    out.push_str(tag);
                    out.push_str(&text[p.span.end..end]);
                }
                copied = end;
                continue;
            }
            out.push_str(&p.with_content);
            copied = p.span.end;
        }
        let replacement = match &event {
            Event::Eof => break,
            Event::Decl(_) if fixes.late_declarations && start > 0 => Some(String::new()),
            Event::Start(tag) | Event::Empty(tag)
                if fixes.durations
                    && ns == Ns::Itunes
                    && tag.local_name().as_ref() == "duration" =>
            {
                if matches!(event, Event::Start(_)) {
                    dropping = Some((depth, start));
                    continue;
                }
                Some(String::new())
            }
            Event::Start(tag) | Event::Empty(tag) => {
                let empty = matches!(event, Event::Empty(_));
                match fix_start(tag, ns, fixes, empty) {
                    StartFix::Keep => None,
                    StartFix::Replace(new) => Some(new),
                    StartFix::Drop => Some(String::new()),
                    StartFix::Wait {
                        with_content,
                        when_empty,
                    } => {
                        out.push_str(&text[copied..start]);
                        copied = start;
                        pending = Some(Pending {
                            span: start..end,
                            with_content,
                            when_empty,
                        });
                        continue;
                    }
                }
            }
            Event::End(tag) if fixes.atom03 && ns == Ns::Atom03 => {
                let name = tag.name();
                let local = tag.local_name();
                atom03_name(local.as_ref()).map(|new| format!("</{}>", rename(name.as_ref(), new)))
            }
            _ => None,
        };
        if let Some(replacement) = replacement {
            out.push_str(&text[copied..start]);
            out.push_str(&replacement);
            copied = end;
        }
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

enum StartFix {
    Keep,
    Replace(String),
    Drop,
    Wait {
        with_content: String,
        when_empty: Option<String>,
    },
}

fn fix_start(tag: &BytesStart, ns: Ns, fixes: Fixes, empty: bool) -> StartFix {
    let local = tag.local_name();
    let local = local.as_ref();
    let declares_atom03 = fixes.atom03 && tag.attributes_raw().contains(ATOM_03_NS);
    if fixes.atom03 && (ns == Ns::Atom03 || declares_atom03) {
        let Some(mut attrs) = raw_attributes(tag) else {
            return StartFix::Keep;
        };
        for (_, value) in &mut attrs {
            if value == ATOM_03_NS {
                *value = ATOM_10_NS.to_string();
            }
        }
        let mut name = qname(tag);
        if ns == Ns::Atom03 {
            if let Some(new) = atom03_name(local) {
                name = rename(&name, new);
            }
            if ATOM_03_TEXT_CONSTRUCTS.contains(&local) {
                atom03_content_type(&mut attrs);
            }
        }
        return StartFix::Replace(build_start(&name, &attrs, empty));
    }
    if fixes.durations && ns == Ns::Media && matches!(local, "thumbnail" | "text") {
        let Some(mut attrs) = raw_attributes(tag) else {
            return StartFix::Keep;
        };
        attrs.retain(|(key, _)| !matches!(key.as_str(), "time" | "start" | "end"));
        return StartFix::Replace(build_start(&qname(tag), &attrs, empty));
    }
    if !fixes.repair {
        return StartFix::Keep;
    }
    match (ns, local) {
        (Ns::Media, "title" | "description") => {
            if empty {
                return StartFix::Drop;
            }
            let Some(mut attrs) = raw_attributes(tag) else {
                return StartFix::Keep;
            };
            normalize_type(&mut attrs, |t| match t {
                "plain" | "html" => Some(t.to_string()),
                "text/html" | "xhtml" | "application/xhtml+xml" => Some("html".to_string()),
                _ => None,
            });
            StartFix::Wait {
                with_content: build_start(&qname(tag), &attrs, false),
                when_empty: None,
            }
        }
        (Ns::Atom10, "title" | "subtitle" | "summary" | "rights" | "content") => {
            let Some(mut attrs) = raw_attributes(tag) else {
                return StartFix::Keep;
            };
            let content = local == "content";
            normalize_type(&mut attrs, |t| match t {
                "text" | "html" | "xhtml" => Some(t.to_string()),
                "text/plain" => Some("text".to_string()),
                "text/html" => Some("html".to_string()),
                "application/xhtml+xml" => Some("xhtml".to_string()),
                _ if content && t.contains('/') && !t.contains(char::is_whitespace) => {
                    Some(t.to_string())
                }
                _ => None,
            });
            let media_type = attrs
                .iter()
                .find(|(k, _)| k == "type")
                .map(|(_, v)| v.clone());
            let name = qname(tag);
            let original = build_start(&name, &attrs, empty);
            if !content {
                return StartFix::Replace(original);
            }
            let is_text = media_type
                .as_deref()
                .is_none_or(|t| matches!(t, "text" | "html" | "xhtml"));
            if empty {
                // Out-of-line or empty: an empty media-typed content has no body.
                return if is_text {
                    StartFix::Replace(original)
                } else {
                    StartFix::Drop
                };
            }
            attrs.retain(|(k, _)| k != "src");
            StartFix::Wait {
                with_content: build_start(&name, &attrs, false),
                when_empty: is_text.then_some(original),
            }
        }
        _ => StartFix::Keep,
    }
}

/// Atom 0.3 element names that Atom 1.0 renamed.
fn atom03_name(local: &str) -> Option<&'static str> {
    match local {
        "modified" => Some("updated"),
        "issued" => Some("published"),
        "tagline" => Some("subtitle"),
        "copyright" => Some("rights"),
        _ => None,
    }
}

const ATOM_03_TEXT_CONSTRUCTS: [&str; 6] = [
    "title",
    "tagline",
    "copyright",
    "summary",
    "content",
    "info",
];

/// Atom 0.3 says what a text construct holds with `type` (a MIME type,
/// default `text/plain`) and `mode` (`xml` by default, `escaped`, `base64`);
/// Atom 1.0 with `type` alone (`text`, `html`, `xhtml`).
fn atom03_content_type(attrs: &mut Vec<(String, String)>) {
    let take = |attrs: &mut Vec<(String, String)>, key: &str| {
        let at = attrs.iter().position(|(k, _)| k == key)?;
        Some(attrs.remove(at).1)
    };
    let media_type = take(attrs, "type").map(|t| t.trim().to_ascii_lowercase());
    let mode = take(attrs, "mode").map(|m| m.trim().to_ascii_lowercase());
    let new_type = match (mode.as_deref().unwrap_or("xml"), media_type.as_deref()) {
        ("escaped", Some("text/html" | "html")) => "html".to_string(),
        ("escaped", None | Some("text/plain" | "text")) => "text".to_string(),
        ("xml", Some("application/xhtml+xml" | "text/html" | "xhtml" | "html")) => {
            "xhtml".to_string()
        }
        ("xml", None | Some("text/plain" | "text")) => "text".to_string(),
        (_, Some(other)) => other.to_string(),
        (_, None) => "text".to_string(),
    };
    attrs.push(("type".to_string(), new_type));
}

/// Replaces the `type` attribute by what `map` makes of its lower-cased
/// value, or removes it when `map` returns `None`.
fn normalize_type(attrs: &mut Vec<(String, String)>, map: impl Fn(&str) -> Option<String>) {
    if let Some(at) = attrs.iter().position(|(k, _)| k == "type") {
        let value = attrs[at].1.trim().to_ascii_lowercase();
        match map(&value) {
            Some(new) => attrs[at].1 = new,
            None => {
                attrs.remove(at);
            }
        }
    }
}

fn qname(tag: &BytesStart) -> String {
    tag.name().as_ref().to_string()
}

/// `prefix:old` -> `prefix:new`, `old` -> `new`.
fn rename(qname: &str, new_local: &str) -> String {
    match qname.split_once(':') {
        Some((prefix, _)) => format!("{prefix}:{new_local}"),
        None => new_local.to_string(),
    }
}

/// Attributes as written (values still escaped); `None` when one is malformed.
fn raw_attributes(tag: &BytesStart) -> Option<Vec<(String, String)>> {
    tag.attributes()
        .map(|a| {
            a.ok()
                .map(|a| (a.key.as_ref().to_string(), a.value.into_owned()))
        })
        .collect()
}

fn build_start(name: &str, attrs: &[(String, String)], empty: bool) -> String {
    let mut out = format!("<{name}");
    for (key, value) in attrs {
        let quote = if value.contains('"') { '\'' } else { '"' };
        out.push(' ');
        out.push_str(key);
        out.push('=');
        out.push(quote);
        out.push_str(value);
        out.push(quote);
    }
    out.push_str(if empty { "/>" } else { ">" });
    out
}

/// Reads the whole document to find where it is malformed.
pub(super) fn locate_error(text: &str) -> Option<FeedErrorKind> {
    let mut reader = NsReader::from_str(text);
    loop {
        match reader.read_resolved_event() {
            Err(e) => return Some(syntax_error(text, reader.error_position() as usize, &e)),
            Ok((_, Event::Eof)) => return None,
            Ok(_) => {}
        }
    }
}

fn syntax_error(text: &str, position: usize, error: &quick_xml::Error) -> FeedErrorKind {
    let (line, column) = line_and_column(text, position);
    FeedErrorKind::Xml {
        line,
        column,
        message: error.to_string(),
    }
}

/// 1-based line of byte `position`.
pub(super) fn line_of(text: &str, position: usize) -> usize {
    line_and_column(text, position).0
}

/// 1-based line and column (in characters) of byte `position`.
pub(super) fn line_and_column(text: &str, position: usize) -> (usize, usize) {
    let mut position = position.min(text.len());
    while !text.is_char_boundary(position) {
        position -= 1;
    }
    let before = &text[..position];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_reported_with_namespace_and_version() {
        let root =
            inspect("<?xml version=\"1.0\"?>\n<!-- c --><rss version=\"0.91\"><channel/></rss>")
                .expect("root");
        assert_eq!(root.name, "rss");
        assert_eq!(root.version.as_deref(), Some("0.91"));
        assert_eq!(root.namespace, None);
        let root =
            inspect("<feed xmlns=\"http://purl.org/atom/ns#\" version=\"0.3\"/>").expect("root");
        assert_eq!(root.namespace.as_deref(), Some(ATOM_03_NS));
        assert_eq!(root.span, 0..54);
    }

    #[test]
    fn external_dtds_are_allowed_but_never_read() {
        let text = "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \"http://127.0.0.1:9/rss-0.91.dtd\"><rss version=\"0.91\"/>";
        assert_eq!(inspect(text).expect("root").name, "rss");
    }

    #[test]
    fn entity_bombs_and_external_entities_are_refused() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol1 \"&lol;&lol;\">\n]>\n<rss/>";
        assert_eq!(
            inspect(bomb),
            Err(FeedErrorKind::EntityExpansion {
                name: "lol1".to_string(),
                line: 2
            })
        );
        let xxe = "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><rss/>";
        assert_eq!(
            inspect(xxe),
            Err(FeedErrorKind::ExternalEntity {
                name: "xxe".to_string(),
                line: 1
            })
        );
        let parameter = "<!DOCTYPE r [<!ENTITY % p \"<!ENTITY x 'y'>\"> %p;]><rss/>";
        assert!(matches!(
            inspect(parameter),
            Err(FeedErrorKind::EntityExpansion { .. })
        ));
        let simple = "<!DOCTYPE r [<!ENTITY nbsp \"&#160;\"><!ENTITY site 'News'>]><rss/>";
        assert_eq!(inspect(simple).expect("root").name, "rss");
    }

    #[test]
    fn a_document_without_root_is_not_a_feed() {
        assert!(matches!(
            inspect("<?xml version=\"1.0\"?><!-- only -->"),
            Err(FeedErrorKind::NotAFeed { .. })
        ));
    }

    #[test]
    fn rss_root_gets_a_known_version() {
        let text = "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel/></rss>";
        let root = inspect(text).expect("root");
        assert_eq!(
            fixed_root(text, &root).as_deref(),
            Some("<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" version=\"2.0\">")
        );
        let text = "<rss version=\"0.94\"><channel/></rss>";
        let root = inspect(text).expect("root");
        assert_eq!(
            fixed_root(text, &root).as_deref(),
            Some("<rss version=\"2.0\">")
        );
        let text = "<rss version=\"2.0\"><channel/></rss>";
        assert_eq!(fixed_root(text, &inspect(text).expect("root")), None);
    }

    #[test]
    fn atom03_is_rewritten_as_atom10() {
        let text = concat!(
            "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><tagline>T</tagline>",
            "<entry><issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified>",
            "<content type=\"text/html\" mode=\"escaped\">&lt;p&gt;x&lt;/p&gt;</content>",
            "<summary type=\"application/xhtml+xml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">s</div></summary>",
            "<title>![CDATA issued]</title></entry></feed>"
        );
        let out = rewrite(
            text,
            Fixes {
                atom03: true,
                ..Fixes::default()
            },
        )
        .expect("rewrite");
        assert_eq!(
            out,
            concat!(
                "<feed version=\"0.3\" xmlns=\"http://www.w3.org/2005/Atom\"><subtitle type=\"text\">T</subtitle>",
                "<entry><published>2004-01-01T00:00:00Z</published><updated>2004-01-02T00:00:00Z</updated>",
                "<content type=\"html\">&lt;p&gt;x&lt;/p&gt;</content>",
                "<summary type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">s</div></summary>",
                "<title type=\"text\">![CDATA issued]</title></entry></feed>"
            )
        );
    }

    #[test]
    fn late_declarations_are_told_from_stylesheets() {
        assert!(!has_late_declaration(
            "<?xml version=\"1.0\"?><?xml-stylesheet href=\"a.xsl\"?><rss/>"
        ));
        assert!(has_late_declaration(
            "<?xml version=\"1.0\"?><rss><?xml version=\"1.0\"?></rss>"
        ));
    }

    #[test]
    fn late_declarations_are_dropped() {
        let text = "<?xml version=\"1.0\"?><rss><a/><?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><![CDATA[<?xml keep?>]]></rss>";
        let out = rewrite(
            text,
            Fixes {
                late_declarations: true,
                ..Fixes::default()
            },
        )
        .expect("rewrite");
        assert_eq!(
            out,
            "<?xml version=\"1.0\"?><rss><a/><![CDATA[<?xml keep?>]]></rss>"
        );
    }

    #[test]
    fn repair_drops_empty_media_text_and_normalises_types() {
        let text = concat!(
            "<rss xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:a=\"http://www.w3.org/2005/Atom\"><item>",
            "<media:content url=\"u\"><media:description/><media:title></media:title>",
            "<media:description type=\"text\">Kept</media:description></media:content>",
            "<a:title type=\"TEXT/HTML\">x</a:title><a:content type=\"image/png\"/>",
            "<a:content type=\"text/html\" src=\"http://x/\">y</a:content></item></rss>"
        );
        let out = rewrite(
            text,
            Fixes {
                repair: true,
                ..Fixes::default()
            },
        )
        .expect("rewrite");
        assert_eq!(
            out,
            concat!(
                "<rss xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:a=\"http://www.w3.org/2005/Atom\"><item>",
                "<media:content url=\"u\">",
                "<media:description>Kept</media:description></media:content>",
                "<a:title type=\"html\">x</a:title>",
                "<a:content type=\"html\">y</a:content></item></rss>"
            )
        );
    }

    #[test]
    fn overlong_durations_are_dropped() {
        let text = concat!(
            "<rss xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:media=\"http://search.yahoo.com/mrss/\"><item>",
            "<itunes:duration>99999999999999999999999</itunes:duration><itunes:duration/>",
            "<media:thumbnail url=\"u\" time=\"99999999999999999999999\"/>",
            "<media:text start=\"1\" end=\"99999999999999999999999\">t</media:text><title>kept</title></item></rss>"
        );
        assert!(may_overflow_durations(text));
        assert!(!may_overflow_durations(
            "<rss>123456789012345678901234</rss>"
        ));
        let out = rewrite(
            text,
            Fixes {
                durations: true,
                ..Fixes::default()
            },
        )
        .expect("rewrite");
        assert_eq!(
            out,
            concat!(
                "<rss xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:media=\"http://search.yahoo.com/mrss/\"><item>",
                "<media:thumbnail url=\"u\"/>",
                "<media:text>t</media:text><title>kept</title></item></rss>"
            )
        );
    }

    #[test]
    fn errors_are_located() {
        let text = "<rss>\n<channel>\n  <item><title>a</item>\n</channel></rss>";
        let Some(FeedErrorKind::Xml {
            line,
            column,
            message,
        }) = locate_error(text)
        else {
            panic!("no error found");
        };
        assert_eq!((line, column), (3, 17));
        assert!(message.contains("</title>"), "{message}");
        assert_eq!(locate_error("<a><b/></a>"), None);
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_and_column("é\nab", 4), (2, 2));
        assert_eq!(line_and_column("é", 1), (1, 1));
        assert_eq!(line_and_column("ab", 99), (1, 3));
    }
}

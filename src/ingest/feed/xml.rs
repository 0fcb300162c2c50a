//! XML below the feed reader: which namespace an element is in, the DOCTYPE
//! check (external entities and entities that refer to others are refused),
//! ampersands that start no reference, attribute values, and where a
//! malformed document goes wrong.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::events::BytesStart;
use quick_xml::name::ResolveResult;

use super::FeedErrorKind;
use crate::position::line_and_column;

pub(super) const ATOM_03_NS: &str = "http://purl.org/atom/ns#";
/// What every RSS 0.90 namespace (Netscape used two hosts) ends with.
pub(super) const RSS_090_PATH: &str = "/rdf/simple/0.9/";

/// The namespaces the reader tells apart. RSS's own namespaces (0.90, 1.0,
/// the Userland ones) and none at all read alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// No namespace, or one of RSS's.
    Rss,
    /// Atom 1.0, or Atom 0.3 and its predecessors.
    Atom,
    /// Dublin Core elements and terms.
    Dc,
    Content,
    Media,
    Itunes,
    Xhtml,
    Rdf,
    Other,
}

impl Ns {
    pub(super) fn of(resolved: &ResolveResult) -> Ns {
        match resolved {
            ResolveResult::Bound(ns) => Ns::from_uri(ns.as_ref().as_bytes()),
            ResolveResult::Unbound => Ns::Rss,
            ResolveResult::Unknown(_) => Ns::Other,
        }
    }

    fn from_uri(uri: &[u8]) -> Ns {
        let uri = std::str::from_utf8(uri).unwrap_or("").trim();
        let is = |known: &str| uri.eq_ignore_ascii_case(known);
        let under = |prefix: &str| {
            uri.as_bytes()
                .get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
        };
        if is("http://www.w3.org/2005/Atom") || is(ATOM_03_NS) || under("http://purl.org/echo") {
            Ns::Atom
        } else if is("http://purl.org/rss/1.0/")
            || uri.ends_with(RSS_090_PATH)
            || under("http://backend.userland.com/rss")
            || is("http://blogs.law.harvard.edu/tech/rss")
        {
            Ns::Rss
        } else if is("http://purl.org/dc/elements/1.1/") || is("http://purl.org/dc/terms/") {
            Ns::Dc
        } else if is("http://purl.org/rss/1.0/modules/content/") {
            Ns::Content
        } else if uri
            .trim_end_matches('/')
            .eq_ignore_ascii_case("http://search.yahoo.com/mrss")
        {
            Ns::Media
        } else if is("http://www.itunes.com/dtds/podcast-1.0.dtd") {
            Ns::Itunes
        } else if is("http://www.w3.org/1999/xhtml") {
            Ns::Xhtml
        } else if is("http://www.w3.org/1999/02/22-rdf-syntax-ns#") {
            Ns::Rdf
        } else {
            Ns::Other
        }
    }

    /// The namespace of element `tag`: one without a prefix in a namespace
    /// nobody else uses (`xmlns="http://channel.netscape.com/..."`) is
    /// RSS's, as feedparser reads it.
    pub(super) fn of_element(resolved: &ResolveResult, tag: &BytesStart) -> Ns {
        match Ns::of(resolved) {
            Ns::Other => match tag.name().as_ref().split_once(':') {
                None => Ns::Rss,
                Some((prefix, _)) => Ns::from_prefix(prefix),
            },
            ns => ns,
        }
    }

    /// A namespace URI nobody knows (`.../modules/content` without its
    /// slash), told by its customary prefix, as feedparser does.
    fn from_prefix(prefix: &str) -> Ns {
        match prefix.to_ascii_lowercase().as_str() {
            "atom" => Ns::Atom,
            "dc" | "dcterms" => Ns::Dc,
            "content" => Ns::Content,
            "media" => Ns::Media,
            "itunes" => Ns::Itunes,
            "xhtml" => Ns::Xhtml,
            _ => Ns::Other,
        }
    }

    /// Whether elements of this namespace are RSS's or Atom's own.
    pub(super) fn is_core(self) -> bool {
        matches!(self, Ns::Rss | Ns::Atom)
    }
}

/// Bytes the internal entities of a document may expand to in all, at the
/// least: a signature or a boilerplate paragraph used in every item of a
/// small feed fits, while a quadratic blowup (one large entity referred to
/// thousands of times) does not.
const ENTITY_BUDGET_FLOOR: usize = 1024 * 1024;

/// Bytes the internal entities of a document `length` bytes long may
/// expand to in all: its own length, at least [`ENTITY_BUDGET_FLOOR`].
pub(super) fn entity_budget(length: usize) -> usize {
    length.max(ENTITY_BUDGET_FLOOR)
}

/// Refuses a DOCTYPE that declares an external entity, a parameter entity or
/// an entity whose value refers to another entity (the billion-laughs
/// pattern); nothing is ever fetched, and such a document is refused so
/// that its author learns why. Returns the simple internal entities it
/// declares (name and value, character references resolved), which the
/// reader expands within a budget.
pub(super) fn check_doctype(
    doctype: &str,
    line: usize,
) -> Result<HashMap<String, String>, FeedErrorKind> {
    let mut entities: HashMap<String, String> = HashMap::new();
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
        // The first declaration of a name is the one that counts.
        entities
            .entry(name)
            .or_insert_with(|| unescape_attribute(Cow::Borrowed(value)).into_owned());
        rest = &value_and_rest[close..];
    }
    Ok(entities)
}

/// `text` with every `&` that starts no reference (`AT&T`, `a=1&b=2`)
/// written `&amp;`, as feeds mean it; `None` when there is none. Ampersands
/// in CDATA sections, comments and processing instructions are text and
/// stay.
pub(crate) fn escape_stray_ampersands(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    // Most documents have none: look before copying anything.
    memchr::memchr_iter(b'&', bytes).find(|&at| !starts_reference(&bytes[at + 1..]))?;
    let mut out = String::with_capacity(text.len() + 64);
    let mut changed = false;
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'&', b'<', &bytes[at..]) {
        let i = at + found;
        if bytes[i] == b'<' {
            let skip_to = [("<![CDATA[", "]]>"), ("<!--", "-->"), ("<?", "?>")]
                .iter()
                .find(|(open, _)| bytes[i..].starts_with(open.as_bytes()))
                .map(|(open, close)| {
                    let from = i + open.len();
                    memchr::memmem::find(&bytes[from..], close.as_bytes())
                        .map_or(bytes.len(), |end| from + end + close.len())
                });
            at = skip_to.unwrap_or(i + 1);
            continue;
        }
        if !starts_reference(&bytes[i + 1..]) {
            out.push_str(&text[copied..i]);
            out.push_str("&amp;");
            copied = i + 1;
            changed = true;
        }
        at = i + 1;
    }
    out.push_str(&text[copied..]);
    changed.then_some(out)
}

/// Whether `after` (what follows a `&`) is a reference: `#123;`, `#x1F;`
/// or a name and `;`.
fn starts_reference(after: &[u8]) -> bool {
    const LONGEST: usize = 64;
    let Some(end) = after.iter().take(LONGEST).position(|&b| b == b';') else {
        return false;
    };
    let body = &after[..end];
    match body {
        [b'#', b'x' | b'X', digits @ ..] => {
            !digits.is_empty() && digits.iter().all(u8::is_ascii_hexdigit)
        }
        [b'#', digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        [first, rest @ ..] => {
            (first.is_ascii_alphabetic() || matches!(first, b'_' | b':') || *first >= 0x80)
                && rest.iter().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'_' | b':' | b'.' | b'-')
                        || *b >= 0x80
                })
        }
        [] => false,
    }
}

/// The value of attribute `name` (qualified name as written), references
/// resolved.
pub(super) fn attribute<'a>(tag: &'a BytesStart, name: &str) -> Option<Cow<'a, str>> {
    tag.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| unescape_attribute(a.value))
}

/// An attribute value with its references resolved (see
/// [`super::text::resolve_reference`]); unknown ones stay as written.
pub(super) fn unescape_attribute(raw: Cow<'_, str>) -> Cow<'_, str> {
    if !raw.contains('&') {
        return raw;
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest: &str = &raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after.find(';').filter(|end| *end <= 64) {
            Some(end) => {
                let name = &after[..end];
                match super::text::resolve_reference(name) {
                    Some(resolved) => out.push_str(&resolved),
                    None => {
                        out.push('&');
                        out.push_str(name);
                        out.push(';');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

pub(super) fn syntax_error(text: &str, position: usize, error: &quick_xml::Error) -> FeedErrorKind {
    use quick_xml::name::NamespaceError;
    let message = match error {
        quick_xml::Error::Namespace(NamespaceError::TooManyBindings(limit)) => {
            format!(
                "more than {limit} namespace bindings in scope at once, more than feedfold reads"
            )
        }
        quick_xml::Error::Namespace(NamespaceError::TooDeeplyNested(limit)) => {
            format!("elements nested more than {limit} deep, more than feedfold reads")
        }
        _ => error.to_string(),
    };
    located(text, position, message)
}

/// A malformed-XML error at byte `position` of `text`, what `message`
/// quotes of the document made printable.
pub(super) fn located(text: &str, position: usize, message: String) -> FeedErrorKind {
    let (line, column) = line_and_column(text, position);
    FeedErrorKind::Xml {
        line,
        column,
        message: crate::ingest::shown_text::printable(&message).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_bombs_and_external_entities_are_refused() {
        let bomb = " lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol1 \"&lol;&lol;\">\n]";
        assert_eq!(
            check_doctype(bomb, 2),
            Err(FeedErrorKind::EntityExpansion {
                name: "lol1".to_string(),
                line: 2
            })
        );
        let xxe = "r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]";
        assert_eq!(
            check_doctype(xxe, 1),
            Err(FeedErrorKind::ExternalEntity {
                name: "xxe".to_string(),
                line: 1
            })
        );
        let parameter = "r [<!ENTITY % p \"<!ENTITY x 'y'>\"> %p;]";
        assert!(matches!(
            check_doctype(parameter, 1),
            Err(FeedErrorKind::EntityExpansion { .. })
        ));
        let simple = "r [<!ENTITY nbsp \"&#160;\"><!ENTITY site 'News'><!ENTITY site 'Other'>]";
        assert_eq!(
            check_doctype(simple, 1),
            Ok(HashMap::from([
                ("nbsp".to_string(), "\u{a0}".to_string()),
                ("site".to_string(), "News".to_string())
            ]))
        );
        let external_dtd = "rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \"http://127.0.0.1:9/rss-0.91.dtd\"";
        assert_eq!(check_doctype(external_dtd, 1), Ok(HashMap::new()));
    }

    #[test]
    fn stray_ampersands_become_references_outside_cdata() {
        assert_eq!(
            escape_stray_ampersands("<a>x &amp; &#X41; &nbsp;</a>"),
            None
        );
        assert_eq!(escape_stray_ampersands("<a><![CDATA[R&D]]></a>"), None);
        assert_eq!(
            escape_stray_ampersands(
                "<a href=\"?a=1&b=2\">AT&T &</a><![CDATA[R&D]]><!-- & --><b>&c;&#;</b>"
            )
            .as_deref(),
            Some(
                "<a href=\"?a=1&amp;b=2\">AT&amp;T &amp;</a><![CDATA[R&D]]><!-- & --><b>&c;&amp;#;</b>"
            )
        );
        // Found by a truncated document: an open CDATA section runs to the end.
        assert_eq!(
            escape_stray_ampersands("<a>& <![CDATA[& x").as_deref(),
            Some("<a>&amp; <![CDATA[& x")
        );
    }

    #[test]
    fn attribute_references_resolve() {
        assert_eq!(
            unescape_attribute(Cow::Borrowed("a&amp;b &#X41; &eacute; &unknown; & x")),
            "a&b A é &unknown; & x"
        );
    }

    #[test]
    fn namespaces_are_told_apart() {
        assert_eq!(Ns::from_uri(b"http://search.yahoo.com/mrss"), Ns::Media);
        assert_eq!(Ns::from_uri(b"http://search.yahoo.com/mrss/"), Ns::Media);
        assert_eq!(
            Ns::from_uri(b"http://www.itunes.com/DTDs/PodCast-1.0.dtd"),
            Ns::Itunes
        );
        assert_eq!(Ns::from_uri(ATOM_03_NS.as_bytes()), Ns::Atom);
        assert_eq!(
            Ns::from_uri(b"http://my.netscape.com/rdf/simple/0.9/"),
            Ns::Rss
        );
        assert_eq!(
            Ns::from_uri(b"http://channel.netscape.com/rdf/simple/0.9/"),
            Ns::Rss
        );
        assert_eq!(Ns::from_uri(b"http://purl.org/dc/terms/"), Ns::Dc);
        assert_eq!(Ns::from_uri(b"urn:x"), Ns::Other);
    }
}

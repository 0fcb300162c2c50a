//! The content of one text element (a title, a description, Atom content)
//! collected as the reader passes through it: plain text, escaped HTML
//! (`type="html"`, RSS descriptions, CDATA), inline XHTML (`type="xhtml"`,
//! `xhtml:body`, and markup written straight into an element, which keeps
//! its words) or base64 (Atom 0.3 `mode="base64"`). References are
//! resolved as feeds mean them: the XML ones, every HTML entity, and
//! character references in either case (`&#X41;`), `&#128;`–`&#159;` as
//! the Windows-1252 characters their authors meant.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use base64::Engine;
use quick_xml::events::BytesStart;
use regex::Regex;
use url::Url;

use super::raw::RawText;
use crate::ingest::sanitize::{hides_content, is_void};
use crate::normalize::windows_1252_c1;

/// How an element's content is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Plain text; child elements switch it to [`Mode::Inline`].
    Text,
    /// Text that is HTML source once its XML escapes are undone.
    Escaped,
    /// An RSS title: HTML source only when it looks like HTML (see
    /// [`looks_like_html`]), else plain text; child elements switch it to
    /// [`Mode::Inline`].
    HtmlIfItLooksLikeIt,
    /// XHTML written as XML: child elements are markup, text is text.
    Inline,
    /// Base64 of plain text or of HTML.
    Base64 { html: bool },
}

impl Mode {
    /// The mode an element's `type` (and Atom 0.3 `mode`) attributes name;
    /// `default` when they name none.
    pub(super) fn declared(media_type: Option<&str>, mode: Option<&str>, default: Mode) -> Mode {
        let media_type = media_type.map(|t| t.trim().to_ascii_lowercase());
        let base = match media_type.as_deref() {
            None | Some("") => default,
            Some("text" | "plain" | "text/plain") => Mode::Text,
            Some("html" | "text/html") => Mode::Escaped,
            Some("xhtml" | "application/xhtml+xml") => Mode::Inline,
            Some(t) if t.starts_with("text/") => Mode::Text,
            Some(t) if t.ends_with("+xml") || t.ends_with("/xml") => Mode::Inline,
            // Any other media type is base64 of something that is not text.
            Some(_) => Mode::Base64 { html: false },
        };
        match mode.map(|m| m.trim().to_ascii_lowercase()).as_deref() {
            Some("escaped") if base == Mode::Inline || base == Mode::Text => {
                let html = media_type.is_some_and(|t| t.contains("html"));
                if html { Mode::Escaped } else { Mode::Text }
            }
            Some("base64") => Mode::Base64 {
                html: matches!(base, Mode::Escaped | Mode::Inline),
            },
            _ => base,
        }
    }
}

/// A text element being read.
#[derive(Debug)]
pub(super) struct Capture {
    mode: Mode,
    buf: String,
    /// Depth of child elements inside the captured element.
    depth: usize,
    /// Whether to drop a `<div>` that wraps everything (Atom XHTML).
    unwrap_div: bool,
    /// Top-level child elements so far.
    elements: usize,
    /// Text that is not white space at the top level, outside any child.
    loose_text: bool,
    /// Where the first top-level child's start tag ends in `buf`, if it is a
    /// `div`; then where its end tag starts.
    div_inner: Option<(usize, Option<usize>)>,
}

impl Capture {
    pub(super) fn new(mode: Mode, unwrap_div: bool) -> Capture {
        Capture {
            mode,
            buf: String::new(),
            depth: 0,
            unwrap_div,
            elements: 0,
            loose_text: false,
            div_inner: None,
        }
    }

    /// Character data (its XML escapes already undone by the reader).
    pub(super) fn text(&mut self, text: &str) {
        if self.depth == 0 && !text.trim().is_empty() {
            self.loose_text = true;
        }
        match self.mode {
            Mode::Text | Mode::Escaped | Mode::HtmlIfItLooksLikeIt | Mode::Base64 { .. } => {
                self.buf.push_str(text)
            }
            // XML text holds no `<` or `&` here: they arrive as references.
            Mode::Inline => self.buf.push_str(text),
        }
    }

    /// Text as written: a CDATA section, an entity's value.
    pub(super) fn literal(&mut self, text: &str) {
        if self.depth == 0 && !text.trim().is_empty() {
            self.loose_text = true;
        }
        match self.mode {
            Mode::Inline => push_escaped(&mut self.buf, text),
            _ => self.buf.push_str(text),
        }
    }

    /// A reference `&name;` (`name` without `&` and `;`).
    pub(super) fn reference(&mut self, name: &str) {
        if self.depth == 0 {
            self.loose_text = true;
        }
        let resolved = resolve_reference(name);
        match (self.mode, resolved) {
            (Mode::Inline, Some(text)) => push_escaped(&mut self.buf, &text),
            (Mode::Inline, None) => {
                self.buf.push_str("&amp;");
                self.buf.push_str(name);
                self.buf.push(';');
            }
            (_, Some(text)) => self.buf.push_str(&text),
            (_, None) => {
                self.buf.push('&');
                self.buf.push_str(name);
                self.buf.push(';');
            }
        }
    }

    /// A child element's start tag (`empty` for `<x/>`). `base` is an
    /// `xml:base` set inside the captured element and in force at this
    /// tag: its relative links resolve against it here, since the HTML
    /// made of the capture keeps no `xml:base`.
    pub(super) fn start(&mut self, tag: &BytesStart, empty: bool, base: Option<&Url>) {
        if matches!(self.mode, Mode::Text | Mode::HtmlIfItLooksLikeIt) {
            // Markup in a plain-text element: it was meant as markup, and
            // its words are kept (`<title>Example <b>Atom</b></title>`).
            let text = std::mem::take(&mut self.buf);
            push_escaped(&mut self.buf, &text);
            self.mode = Mode::Inline;
        }
        if matches!(self.mode, Mode::Base64 { .. }) {
            return;
        }
        let local = tag.local_name();
        let local: &str = local.as_ref();
        let top = self.depth == 0;
        if top {
            self.elements += 1;
        }
        self.buf.push('<');
        self.buf.push_str(local);
        for attribute in tag.attributes().with_checks(false).flatten() {
            let key: &str = attribute.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            self.buf.push(' ');
            self.buf.push_str(key);
            self.buf.push_str("=\"");
            let value = super::xml::unescape_attribute(attribute.value);
            match base.and_then(|base| resolved_link(base, key, &value)) {
                Some(resolved) => push_escaped_attribute(&mut self.buf, &resolved),
                None => push_escaped_attribute(&mut self.buf, &value),
            }
            self.buf.push('"');
        }
        self.buf.push('>');
        if empty {
            if !is_void(&local.to_ascii_lowercase()) {
                self.buf.push_str("</");
                self.buf.push_str(local);
                self.buf.push('>');
            }
        } else {
            if top && self.elements == 1 && !self.loose_text && local == "div" {
                self.div_inner = Some((self.buf.len(), None));
            }
            self.depth += 1;
        }
    }

    /// A child element's end tag.
    pub(super) fn end(&mut self, local: &[u8]) {
        let local = std::str::from_utf8(local).unwrap_or("span");
        self.depth = self.depth.saturating_sub(1);
        if matches!(self.mode, Mode::Base64 { .. }) {
            return;
        }
        if self.depth == 0
            && let Some((_, close)) = self.div_inner.as_mut()
            && close.is_none()
        {
            *close = Some(self.buf.len());
        }
        self.buf.push_str("</");
        self.buf.push_str(local);
        self.buf.push('>');
    }

    /// The element's content, or `None` when it holds nothing but white
    /// space.
    pub(super) fn finish(self) -> Option<RawText> {
        let (value, html) = match self.mode {
            Mode::Text => (self.buf, false),
            Mode::Escaped => (named_elements_as_text(self.buf), true),
            Mode::HtmlIfItLooksLikeIt => {
                let html = looks_like_html(&self.buf);
                (self.buf, html)
            }
            Mode::Inline => {
                let unwrap = self.unwrap_div && self.elements == 1 && !self.loose_text;
                match self.div_inner {
                    Some((start, Some(end))) if unwrap && start <= end => {
                        (self.buf[start..end].to_string(), true)
                    }
                    _ => (self.buf, true),
                }
            }
            Mode::Base64 { html } => {
                let compact: Vec<u8> = self
                    .buf
                    .bytes()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                match base64::engine::general_purpose::STANDARD.decode(&compact) {
                    Ok(bytes) if html => (
                        named_elements_as_text(String::from_utf8_lossy(&bytes).into_owned()),
                        true,
                    ),
                    Ok(bytes) => (String::from_utf8_lossy(&bytes).into_owned(), false),
                    // Not base64 after all: the text as it stands.
                    Err(_) => (self.buf, false),
                }
            }
        };
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return None;
        }
        let value = if trimmed.len() == value.len() {
            value
        } else {
            trimmed.to_string()
        };
        Some(RawText { value, html })
    }
}

/// The attributes of inline XHTML that hold one URL.
const LINK_ATTRIBUTES: &[&str] = &["href", "src", "data-src", "data-lazy-src", "data-original"];

/// The attributes of inline XHTML that hold a list of picture candidates.
const CANDIDATE_ATTRIBUTES: &[&str] = &["srcset", "data-srcset"];

/// `value` of the attribute `key` with its relative URLs resolved against
/// `base`, or `None` when the attribute holds no URL or nothing in it is
/// relative.
fn resolved_link(base: &Url, key: &str, value: &str) -> Option<String> {
    let resolve = |url: &str| -> Option<String> {
        let url = url.trim();
        if url.is_empty() || Url::parse(url).is_ok() {
            return None;
        }
        base.join(url).ok().map(String::from)
    };
    if LINK_ATTRIBUTES.contains(&key) {
        return resolve(value);
    }
    if !CANDIDATE_ATTRIBUTES.contains(&key) || value.trim_start().starts_with("data:") {
        return None;
    }
    let mut changed = false;
    let candidates: Vec<String> = value
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            let (url, descriptor) = candidate
                .split_once(char::is_whitespace)
                .unwrap_or((candidate, ""));
            match resolve(url) {
                Some(url) => {
                    changed = true;
                    format!("{url} {descriptor}").trim_end().to_string()
                }
                None => candidate.to_string(),
            }
        })
        .collect();
    changed.then(|| candidates.join(", "))
}

/// The elements an RSS title read as HTML may hold: inline ones, which
/// keep their words. A title naming any other (`the <template> element`,
/// `<iframe>`, `<table>`: elements whose content a browser or the sanitizer
/// would swallow) is text, unless it writes that element out whole.
const TITLE_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em",
    "font", "i", "img", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
];

/// Whether `text` (an RSS title, its XML escapes undone) is HTML, by
/// feedparser's rule: it has an end tag or a character or entity reference,
/// every tag it has is one of [`TITLE_ELEMENTS`] and every entity it names
/// is an HTML entity. `a<b implies b>a` and `the <template> element` are
/// text; `Tom &amp; Jerry` and `<b>Live</b>: the vote` are HTML. One rule
/// more than feedparser's: an element written out whole, its start tag
/// before its end tag (`<script>…</script>`), is markup whatever it is, so
/// that the sanitizer, not the reader, meets it.
pub(super) fn looks_like_html(text: &str) -> bool {
    static PATTERNS: OnceLock<[Regex; 4]> = OnceLock::new();
    let [end_tag, reference, tag, entity] = PATTERNS.get_or_init(|| {
        [r"</(\w+)\s*>", r"&#?\w+;", r"<(/?)(\w+)", r"&(\w+);"]
            .map(|pattern| Regex::new(pattern).expect("a valid pattern"))
    });
    if !end_tag.is_match(text) && !reference.is_match(text) {
        return false;
    }
    let mut opened: Vec<String> = Vec::new();
    let mut known_tags = true;
    for found in tag.captures_iter(text) {
        let name = found[2].to_ascii_lowercase();
        if found[1].is_empty() {
            known_tags &= TITLE_ELEMENTS.contains(&name.as_str());
            opened.push(name);
        } else if opened.contains(&name) {
            return true;
        } else {
            known_tags &= TITLE_ELEMENTS.contains(&name.as_str());
        }
    }
    known_tags
        && entity
            .captures_iter(text)
            .all(|c| quick_xml::escape::resolve_html5_entity(&c[1]).is_some())
}

/// `html` with each bare start tag (no attributes, not self-closing) of an
/// element that hides its content ([`hides_content`]: `select`,
/// `template`, `script`, …) escaped as text when no end tag of that element
/// follows it. Such a tag names the element (`Styling the <select>
/// element`, a plain-text RSS description escaped once, as RSS escapes
/// markup too): read as markup, it would take every word after it. Written
/// out whole (`<script>…</script>`), or with attributes (`<iframe
/// src="…"/>`, `<object classid="…">`), the element is markup, and the
/// sanitizer removes it.
pub(super) fn named_elements_as_text(html: String) -> String {
    static PATTERNS: OnceLock<[Regex; 2]> = OnceLock::new();
    let [start_tag, end_tag] = PATTERNS.get_or_init(|| {
        [
            r"<([A-Za-z][A-Za-z0-9]*)\s*>",
            r"</([A-Za-z][A-Za-z0-9]*)\s*>",
        ]
        .map(|pattern| Regex::new(pattern).expect("a valid pattern"))
    });
    let mut last_end_tags: HashMap<String, usize> = HashMap::new();
    for found in end_tag.captures_iter(&html) {
        let at = found.get(0).map_or(0, |m| m.start());
        last_end_tags.insert(found[1].to_ascii_lowercase(), at);
    }
    let unclosed: Vec<usize> = start_tag
        .captures_iter(&html)
        .filter_map(|found| {
            let at = found.get(0)?.start();
            let name = found[1].to_ascii_lowercase();
            let closed = last_end_tags.get(&name).is_some_and(|end| *end > at);
            (hides_content(&name) && !closed).then_some(at)
        })
        .collect();
    if unclosed.is_empty() {
        return html;
    }
    let mut text = String::with_capacity(html.len() + 3 * unclosed.len());
    let mut from = 0;
    for at in unclosed {
        text.push_str(&html[from..at]);
        text.push_str("&lt;");
        from = at + 1;
    }
    text.push_str(&html[from..]);
    text
}

/// What `&name;` stands for: a character reference in any case (`#65`,
/// `#x41`, `#X41`; 128–159 as in Windows-1252, invalid code points as
/// U+FFFD), one of XML's five entities or an HTML entity; `None` for any
/// other name, which stays as written.
pub(super) fn resolve_reference(name: &str) -> Option<Cow<'static, str>> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        };
        let c = code
            .map(windows_1252_c1)
            .and_then(char::from_u32)
            .filter(|c| *c != '\0')
            .unwrap_or('\u{FFFD}');
        return Some(Cow::Owned(c.to_string()));
    }
    quick_xml::escape::resolve_html5_entity(name).map(Cow::Borrowed)
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

fn push_escaped_attribute(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(text: &str) -> BytesStart<'_> {
        BytesStart::from_content(text, text.find(' ').unwrap_or(text.len()))
    }

    #[test]
    fn links_resolve_against_a_base_given_inside_the_capture() {
        let base = Url::parse("https://archive.example/2026/").unwrap();
        assert_eq!(
            resolved_link(&base, "href", "scan.html").as_deref(),
            Some("https://archive.example/2026/scan.html")
        );
        assert_eq!(resolved_link(&base, "href", "https://other.example/"), None);
        assert_eq!(resolved_link(&base, "alt", "scan.html"), None);
        assert_eq!(
            resolved_link(&base, "srcset", "s.jpg 1x, https://cdn.example/l.jpg 2x").as_deref(),
            Some("https://archive.example/2026/s.jpg 1x, https://cdn.example/l.jpg 2x")
        );
        assert_eq!(
            resolved_link(&base, "srcset", "data:image/png;base64,AAAA 1x"),
            None
        );
    }

    #[test]
    fn markup_in_plain_text_keeps_its_words() {
        let mut capture = Capture::new(Mode::Text, false);
        capture.text("Example ");
        capture.reference("lt");
        capture.start(&tag("b class='x\"y'"), false, None);
        capture.text("Atom");
        capture.end(b"b");
        let text = capture.finish().expect("text");
        assert_eq!(text.value, "Example &lt;<b class=\"x&quot;y\">Atom</b>");
        assert!(text.html);
    }

    #[test]
    fn escaped_html_is_html_source() {
        let mut capture = Capture::new(Mode::Escaped, false);
        capture.reference("lt");
        capture.text("p");
        capture.reference("gt");
        capture.text("don");
        capture.reference("#146");
        capture.text("t ");
        capture.reference("nbsp");
        capture.reference("madeup");
        capture.literal(" <i>x</i> ");
        let text = capture.finish().expect("text");
        assert_eq!(text.value, "<p>don\u{2019}t \u{a0}&madeup; <i>x</i>");
        assert!(text.html);
    }

    #[test]
    fn a_wrapping_div_is_dropped_from_xhtml() {
        let mut capture = Capture::new(Mode::Inline, true);
        capture.text("\n  ");
        capture.start(
            &tag("xhtml:div xmlns:xhtml='http://www.w3.org/1999/xhtml'"),
            false,
            None,
        );
        capture.text("a ");
        capture.reference("amp");
        capture.start(&tag("br"), true, None);
        capture.start(&tag("div"), true, None);
        capture.end(b"div");
        capture.text("\n");
        let text = capture.finish().expect("text");
        assert_eq!(text.value, "a &amp;<br><div></div>");
        let mut two = Capture::new(Mode::Inline, true);
        two.start(&tag("div"), false, None);
        two.end(b"div");
        two.start(&tag("div"), false, None);
        two.text("x");
        two.end(b"div");
        assert_eq!(two.finish().expect("text").value, "<div></div><div>x</div>");
    }

    #[test]
    fn base64_is_decoded() {
        let mut capture = Capture::new(
            Mode::declared(Some("text/html"), Some("base64"), Mode::Text),
            false,
        );
        capture.text("PHA+RXhhbXBs\nZTwvcD4=");
        let text = capture.finish().expect("text");
        assert_eq!(text.value, "<p>Example</p>");
        assert!(text.html);
        let mut broken = Capture::new(Mode::Base64 { html: true }, false);
        broken.text("not base64!");
        assert_eq!(broken.finish().expect("text").value, "not base64!");
    }

    #[test]
    fn declared_modes() {
        assert_eq!(Mode::declared(None, None, Mode::Escaped), Mode::Escaped);
        assert_eq!(
            Mode::declared(Some("TEXT"), None, Mode::Escaped),
            Mode::Text
        );
        assert_eq!(
            Mode::declared(Some("xhtml"), None, Mode::Text),
            Mode::Inline
        );
        assert_eq!(
            Mode::declared(Some("text/html"), Some("escaped"), Mode::Text),
            Mode::Escaped
        );
        assert_eq!(
            Mode::declared(None, Some("escaped"), Mode::Text),
            Mode::Text
        );
        assert_eq!(
            Mode::declared(Some("image/png"), None, Mode::Text),
            Mode::Base64 { html: false }
        );
    }

    #[test]
    fn html_is_told_from_text_that_names_tags() {
        for text in [
            "Browsers agree on the <template> element",
            "Proof that a<b implies b>a",
            "The <iframe> tag",
            "The </table> and <table> tags",
            "AT&T and R&D",
            "Tom &madeup; Jerry",
            "Plain words",
        ] {
            assert!(!looks_like_html(text), "{text}");
        }
        for text in [
            "Example <b>bold</b> news",
            "Tom &amp; Jerry",
            "don&#8217;t",
            "<EM>Live</EM>: the vote",
            "a <br> and &nbsp;",
            "Test <script>alert(1)</script>Desk",
            "<Style>p{}</style>Desk",
        ] {
            assert!(looks_like_html(text), "{text}");
        }
    }

    #[test]
    fn an_rss_title_is_html_only_when_it_looks_like_it() {
        let mut text = Capture::new(Mode::HtmlIfItLooksLikeIt, false);
        text.text("the <template> element");
        assert!(!text.finish().expect("text").html);
        let mut html = Capture::new(Mode::HtmlIfItLooksLikeIt, false);
        html.literal("<b>Live</b>");
        assert!(html.finish().expect("text").html);
        let mut markup = Capture::new(Mode::HtmlIfItLooksLikeIt, false);
        markup.text("a<b ");
        markup.start(&tag("i"), false, None);
        markup.text("x");
        markup.end(b"i");
        let markup = markup.finish().expect("text");
        assert_eq!(markup.value, "a&lt;b <i>x</i>");
        assert!(markup.html);
    }

    #[test]
    fn elements_that_hide_their_content_are_markup_only_when_closed() {
        for (html, expected) in [
            (
                "Styling the <select> element, then <b>bold</b>.",
                "Styling the &lt;select> element, then <b>bold</b>.",
            ),
            (
                "<p>Use a <BUTTON > and <template>.</p>",
                "<p>Use a &lt;BUTTON > and &lt;template>.</p>",
            ),
            (
                "safe<object classid=x> and <iframe src=v/> description",
                "safe<object classid=x> and <iframe src=v/> description",
            ),
            (
                "</script> comes before <script>",
                "</script> comes before &lt;script>",
            ),
            (
                "<p>x</p><script>alert(1)</script><iframe src=v></IFRAME >",
                "<p>x</p><script>alert(1)</script><iframe src=v></IFRAME >",
            ),
            (
                "a <selection> of <b>words</b>",
                "a <selection> of <b>words</b>",
            ),
            ("<embed> has no content", "<embed> has no content"),
        ] {
            assert_eq!(named_elements_as_text(html.to_string()), expected, "{html}");
        }
    }

    #[test]
    fn references() {
        assert_eq!(resolve_reference("#X41").as_deref(), Some("A"));
        assert_eq!(resolve_reference("#x42").as_deref(), Some("B"));
        assert_eq!(resolve_reference("#146").as_deref(), Some("\u{2019}"));
        assert_eq!(resolve_reference("#0").as_deref(), Some("\u{FFFD}"));
        assert_eq!(resolve_reference("#xD800").as_deref(), Some("\u{FFFD}"));
        assert_eq!(
            resolve_reference("#99999999999").as_deref(),
            Some("\u{FFFD}")
        );
        assert_eq!(resolve_reference("eacute").as_deref(), Some("é"));
        assert_eq!(resolve_reference("amp").as_deref(), Some("&"));
        assert_eq!(resolve_reference("desk"), None);
    }
}

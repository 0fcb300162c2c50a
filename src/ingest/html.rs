//! Upstream HTML made safe and made plain. [`Sanitizer`] cleans HTML with
//! `ammonia` against an explicit allow-list (no scripts, frames, plugins,
//! forms, styles, event handlers or `javascript:`/`data:` URLs; relative
//! links made absolute). [`html_to_blocks`] and [`html_to_text`] turn HTML
//! into the plain-text body model that dumps produce, through `html5ever`'s
//! tokenizer: entities decoded, tags stripped, block elements as paragraph
//! breaks, headings as subheads.
//!
//! Building a tree from deeply nested markup takes time quadratic in the
//! depth, so markup nested deeper than [`MAX_DEPTH`] (found by the linear
//! tokenizer first) is not sanitized at all: it yields text only.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use ammonia::{Url, UrlRelative};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::model::{Block, BlockKind};
use crate::normalize::clean_text;

/// Elements kept in sanitized HTML; everything else is unwrapped (its text
/// stays, the tag goes).
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements removed together with everything inside them.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "applet", "button", "embed", "form", "frame", "frameset", "iframe", "math", "noembed",
    "noframes", "noscript", "object", "script", "select", "style", "svg", "template", "textarea",
];

/// Attributes allowed per element. No `style`, `class`, `id` or `on*`, and
/// no URL but `href` and `src`, the only ones whose scheme ammonia checks
/// (`cite` would carry a `javascript:` URL through untouched).
const ALLOWED_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "title"]),
    ("abbr", &["title"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("del", &["datetime"]),
    ("img", &["src", "alt", "title", "width", "height"]),
    ("ins", &["datetime"]),
    ("ol", &["start", "reversed"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope"]),
    ("time", &["datetime"]),
];

/// Attributes allowed on every kept element.
const GENERIC_ATTRIBUTES: &[&str] = &["lang", "dir"];

/// The only URL schemes a link or image may use.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Sanitizes upstream HTML. Build one and reuse it: the allow-lists are
/// built once, only the base URL changes per call.
pub struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Sanitizer {
    pub fn new() -> Self {
        let mut builder = ammonia::Builder::empty();
        let attributes: HashMap<&'static str, HashSet<&'static str>> = ALLOWED_ATTRIBUTES
            .iter()
            .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
            .collect();
        builder
            .tags(ALLOWED_TAGS.iter().copied().collect())
            .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
            .tag_attributes(attributes)
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .url_schemes(URL_SCHEMES.iter().copied().collect())
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true)
            .url_relative(UrlRelative::Deny);
        Sanitizer { builder }
    }

    /// Returns `html` with only allow-listed elements and attributes, or
    /// `None` when it nests deeper than [`MAX_DEPTH`]. Relative `href`/`src`
    /// values are resolved against `base`; without a base they are dropped,
    /// since they could not work in a reader.
    pub fn clean(&mut self, html: &str, base: Option<&Url>) -> Option<String> {
        self.convert(html, base).html
    }

    /// `html` sanitized (as [`Sanitizer::clean`]) and as body blocks (as
    /// [`html_to_blocks`]), reading it once for both.
    pub fn convert(&mut self, html: &str, base: Option<&Url>) -> Converted {
        let (blocks, depth) = tokenize(html);
        let html = (depth <= MAX_DEPTH).then(|| {
            let relative = match base {
                Some(base) => UrlRelative::RewriteWithBase(base.clone()),
                None => UrlRelative::Deny,
            };
            self.builder.url_relative(relative);
            self.builder.clean(html).to_string()
        });
        Converted { html, blocks }
    }
}

/// Deepest element nesting that is sanitized (see the module documentation).
pub const MAX_DEPTH: usize = 256;

/// Upstream HTML, converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// Sanitized HTML; `None` when the markup nests deeper than [`MAX_DEPTH`].
    pub html: Option<String>,
    pub blocks: Vec<Block>,
}

/// The text of an HTML fragment as body blocks, in order: each paragraph,
/// list item, table cell or other block as a paragraph, `h1`–`h6` as
/// subheads, `<br>` as a break. Entities are decoded and white space is
/// cleaned. Script, style and similar contents are dropped, and so are
/// figure captions, which feeds carry as captions instead.
pub fn html_to_blocks(html: &str) -> Vec<Block> {
    tokenize(html).0
}

/// The blocks of `html` and how deeply its elements nest.
fn tokenize(html: &str) -> (Vec<Block>, usize) {
    if !html.contains(['<', '&']) {
        return (text_to_blocks(html), 0);
    }
    let sink = TextSink::default();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.finish()
}

/// An HTML fragment (a title, a summary) as one line of plain text:
/// entities decoded, tags stripped, blocks joined by a space, white space
/// cleaned.
pub fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return clean_text(html);
    }
    let blocks = html_to_blocks(html);
    let mut text = String::new();
    for block in blocks {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&block.text);
    }
    text
}

/// Plain text as body blocks: one paragraph per non-empty line.
pub fn text_to_blocks(text: &str) -> Vec<Block> {
    text.lines()
        .map(clean_text)
        .filter(|line| !line.is_empty())
        .map(Block::paragraph)
        .collect()
}

/// Collects text from tokenizer events. The tokenizer hands `&self` to its
/// sink, hence the cells.
#[derive(Default)]
struct TextSink {
    blocks: RefCell<Vec<Block>>,
    current: RefCell<String>,
    kind: Cell<Option<BlockKind>>,
    /// Inside an element whose text is not body text: the element's name and
    /// how deeply it nests in itself.
    skipping: RefCell<Option<(String, usize)>>,
    /// Open elements that a tree builder would keep open, and the most seen.
    depth: Cell<usize>,
    max_depth: Cell<usize>,
}

impl TextSink {
    fn flush(&self) {
        let mut current = self.current.borrow_mut();
        let text = clean_text(&current);
        current.clear();
        if !text.is_empty() {
            let kind = self.kind.get().unwrap_or(BlockKind::Paragraph);
            self.blocks.borrow_mut().push(Block { kind, text });
        }
        self.kind.set(None);
    }

    fn finish(self) -> (Vec<Block>, usize) {
        self.flush();
        (self.blocks.into_inner(), self.max_depth.get())
    }

    /// Counts nesting: elements that are neither void nor closed implicitly
    /// by their next sibling.
    fn count_depth(&self, name: &str, start: bool, self_closing: bool) {
        if self_closing || is_void(name) || closes_implicitly(name) {
            return;
        }
        if start {
            let depth = self.depth.get() + 1;
            self.depth.set(depth);
            self.max_depth.set(self.max_depth.get().max(depth));
        } else {
            self.depth.set(self.depth.get().saturating_sub(1));
        }
    }

    fn tag(&self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        self.count_depth(name, start, tag.self_closing);
        {
            let mut skipping = self.skipping.borrow_mut();
            if let Some((skipped, depth)) = skipping.as_mut() {
                if skipped == name && !tag.self_closing {
                    if start {
                        *depth += 1;
                    } else if *depth == 1 {
                        *skipping = None;
                    } else {
                        *depth -= 1;
                    }
                }
                return TokenSinkResult::Continue;
            }
        }
        if start {
            if let Some(raw) = raw_text_kind(name) {
                self.skipping.replace(Some((name.to_string(), 1)));
                return TokenSinkResult::RawData(raw);
            }
            if name == "plaintext" {
                self.flush();
                return TokenSinkResult::Plaintext;
            }
            if skips_content(name) && !tag.self_closing {
                self.skipping.replace(Some((name.to_string(), 1)));
                return TokenSinkResult::Continue;
            }
        }
        if is_heading(name) {
            self.flush();
            if start {
                self.kind.set(Some(BlockKind::Subhead));
            }
        } else if breaks_text(name) {
            self.flush();
        }
        // Inline elements add nothing: words on either side of one stay
        // apart only if the source spaced them.
        TokenSinkResult::Continue
    }
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => return self.tag(&tag),
            Token::CharacterTokens(text) => {
                if self.skipping.borrow().is_none() {
                    self.current.borrow_mut().push_str(&text);
                }
            }
            Token::DoctypeToken(_)
            | Token::CommentToken(_)
            | Token::NullCharacterToken
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// Elements whose content the tokenizer must read as raw text; their text is
/// never body text.
fn raw_text_kind(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Some(RawKind::Rawtext),
        "title" | "textarea" => Some(RawKind::Rcdata),
        _ => None,
    }
}

/// Elements whose (parsed) content is not body text: what the sanitizer
/// removes with its content, and figure captions.
fn skips_content(name: &str) -> bool {
    matches!(
        name,
        "applet"
            | "button"
            | "figcaption"
            | "form"
            | "frameset"
            | "head"
            | "math"
            | "object"
            | "select"
            | "svg"
            | "template"
    )
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose end tag may be left out: the next sibling closes them.
fn closes_implicitly(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "colgroup"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Elements that end the text before them and start a new block.
fn breaks_text(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figure"
            | "footer"
            | "form"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        Sanitizer::new().clean(html, None).expect("shallow markup")
    }

    fn clean_with_base(html: &str, base: &str) -> String {
        let base = Url::parse(base).expect("test base URL");
        Sanitizer::new()
            .clean(html, Some(&base))
            .expect("shallow markup")
    }

    /// Asserts that nothing executable or styled survived sanitizing.
    fn assert_inert(html: &str) {
        let lower = html.to_ascii_lowercase();
        for needle in [
            "<script",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<style",
            "<svg",
            "<math",
            "<base",
            "<meta",
            "<link",
            "javascript:",
            "vbscript:",
            "data:",
            "style=",
            "expression(",
            "onerror",
            "onload",
            "onclick",
            "onmouseover",
            "srcdoc",
        ] {
            assert!(!lower.contains(needle), "`{needle}` survived in {html}");
        }
    }

    #[test]
    fn scripts_and_their_content_are_removed() {
        let out = clean("<p>Before</p><script>alert('x')</script><p>After</p>");
        assert_eq!(out, "<p>Before</p><p>After</p>");
    }

    #[test]
    fn event_handlers_and_styles_are_dropped() {
        let out = clean(
            r#"<p style="color:red;background:url(javascript:alert(1))" onclick="steal()">Text</p><img src="http://img.example/a.jpg" onerror="alert(1)" style="width:expression(alert(1))">"#,
        );
        assert_eq!(out, r#"<p>Text</p><img src="http://img.example/a.jpg">"#);
        assert_inert(&out);
    }

    #[test]
    fn dangerous_urls_are_dropped() {
        let out = clean(concat!(
            r#"<a href="javascript:alert(1)">one</a> "#,
            r#"<a href=" JaVaScRiPt:alert(1)">two</a> "#,
            r#"<a href="vbscript:msgbox(1)">three</a> "#,
            r#"<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">four</a> "#,
            r#"<img src="data:image/svg+xml,<svg onload=alert(1)>">"#,
            r#"<a href="https://news.example/ok">five</a>"#,
        ));
        assert_inert(&out);
        assert!(
            out.contains(r#"<a href="https://news.example/ok" rel="noopener noreferrer">five</a>"#)
        );
        assert!(out.contains("one") && out.contains("four"));
    }

    #[test]
    fn no_url_attribute_escapes_the_scheme_check() {
        let out = clean(concat!(
            r#"<blockquote cite="javascript:alert(1)">one</blockquote>"#,
            r#"<q cite="javascript:alert(1)">two</q>"#,
            r#"<del cite="vbscript:x" datetime="2024-07-09">three</del>"#,
            r#"<ins cite="data:text/html,x">four</ins>"#,
        ));
        assert_eq!(
            out,
            r#"<blockquote>one</blockquote><q>two</q><del datetime="2024-07-09">three</del><ins>four</ins>"#
        );
        assert_inert(&out);
    }

    #[test]
    fn frames_plugins_forms_and_styles_go_with_their_content() {
        let out = clean(concat!(
            "<iframe src=\"https://evil.example/\">fallback</iframe>",
            "<object data=\"x.swf\"><embed src=\"x.swf\">plugin</object>",
            "<form action=\"https://evil.example/\"><input name=\"q\"><button>Go</button></form>",
            "<style>body{display:none}</style>",
            "<svg><script>alert(1)</script></svg>",
            "<p>Kept</p>",
        ));
        assert_eq!(out, "<p>Kept</p>");
    }

    #[test]
    fn relative_urls_resolve_against_the_base() {
        let out = clean_with_base(
            r#"<p><a href="../2024/story.html">Story</a> <img src="/img/a.jpg" alt="A"></p>"#,
            "https://news.example/world/today/",
        );
        assert_eq!(
            out,
            r#"<p><a href="https://news.example/world/2024/story.html" rel="noopener noreferrer">Story</a> <img src="https://news.example/img/a.jpg" alt="A"></p>"#
        );
    }

    #[test]
    fn relative_urls_without_a_base_are_dropped() {
        let out = clean(r#"<a href="/x">x</a><img src="y.jpg">"#);
        assert_eq!(out, r#"<a rel="noopener noreferrer">x</a><img>"#);
    }

    #[test]
    fn unknown_elements_are_unwrapped_and_ids_and_classes_dropped() {
        let out = clean(
            r#"<article class="c" id="i"><font color="red">Hello</font> <b>world</b></article>"#,
        );
        assert_eq!(out, "Hello <b>world</b>");
    }

    #[test]
    fn blocks_split_paragraphs_and_headings() {
        let blocks = html_to_blocks(
            "<h2>The &ldquo;vote&rdquo;</h2><p>First &amp; <b>bold</b>\n  line.</p><ul><li>One</li><li>Two</li></ul>Tail<br>After&nbsp;break",
        );
        assert_eq!(
            blocks,
            vec![
                Block::subhead("The \u{201c}vote\u{201d}"),
                Block::paragraph("First & bold line."),
                Block::paragraph("One"),
                Block::paragraph("Two"),
                Block::paragraph("Tail"),
                Block::paragraph("After break"),
            ]
        );
    }

    #[test]
    fn blocks_skip_scripts_styles_and_figure_captions() {
        let blocks = html_to_blocks(
            "<style>p{}</style><p>Body</p><script>var a = '<p>no</p>';</script><figure><img src=x><figcaption>A photo (AP)</figcaption></figure><p>More</p><noscript><p>n</p></noscript>",
        );
        assert_eq!(
            blocks,
            vec![Block::paragraph("Body"), Block::paragraph("More")]
        );
    }

    #[test]
    fn plain_text_decodes_entities_and_strips_tags() {
        assert_eq!(
            html_to_text("  Rates &amp; <em>risks</em>:\tthe&#160;week&#x2019;s news "),
            "Rates & risks: the week\u{2019}s news"
        );
        assert_eq!(html_to_text("5 < 6 and 7 > 2"), "5 < 6 and 7 > 2");
        assert_eq!(
            html_to_text("<script>alert(1)</script>Safe <img src=x onerror=alert(1)>title"),
            "Safe title"
        );
        assert_eq!(html_to_text("<p>One</p><p>Two</p>"), "One Two");
        assert_eq!(html_to_text("plain"), "plain");
    }

    #[test]
    fn deep_nesting_yields_text_only() {
        let deep = "<blockquote>".repeat(100_000) + "deep <b>text</b>";
        let converted = Sanitizer::new().convert(&deep, None);
        assert_eq!(converted.html, None);
        assert_eq!(converted.blocks, vec![Block::paragraph("deep text")]);
        let at_limit = "<div>".repeat(MAX_DEPTH) + "fine" + &"</div>".repeat(MAX_DEPTH);
        assert!(clean(&at_limit).contains("fine"));
        // Paragraphs and list items close each other: many are not deep.
        let sloppy = "<ul>".to_string() + &"<li><p>item".repeat(5_000);
        let converted = Sanitizer::new().convert(&sloppy, None);
        assert!(converted.html.is_some());
        assert_eq!(converted.blocks.len(), 5_000);
    }

    #[test]
    fn unclosed_markup_ends_cleanly() {
        let unclosed = html_to_blocks("<p>open <b>bold <script>never closed");
        assert_eq!(unclosed, vec![Block::paragraph("open bold")]);
        assert_eq!(clean("<p>open <b>bold"), "<p>open <b>bold</b></p>");
    }

    #[test]
    fn text_splits_on_lines() {
        assert_eq!(
            text_to_blocks("One.\n\n  Two\u{a0} words \r\n"),
            vec![Block::paragraph("One."), Block::paragraph("Two words")]
        );
    }
}

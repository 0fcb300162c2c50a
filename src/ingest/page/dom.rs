//! A small document tree for reading pages: html5ever's tokenizer (entities,
//! raw text and comments exactly as a browser reads them) feeding a tree
//! builder that follows the HTML rules that matter for text (void elements,
//! `p`, `li`, `dd`/`dt`, table cells and headings closed by what follows
//! them, end tags that only close what is open) and stays linear on hostile
//! markup: elements nested deeper than [`MAX_DEPTH`] are left out of the
//! tree (their text goes to the deepest open element), so that however
//! deep a page nests its tree holds at most [`MAX_DEPTH`] levels of
//! elements for the reader's walks to go over, and an end tag looks at
//! most that far up.
//!
//! Nodes live in one vector in document order, so a parent always comes
//! before its children: a forward pass over the ids visits parents first, a
//! backward pass children first.

use std::cell::RefCell;
use std::collections::HashMap;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::{LocalName, local_name};

use crate::ingest::sanitize::tokenize_into;

/// Deepest element nesting the tree holds: real pages nest a few dozen
/// deep (38 at most in the development set), and every walk of the reader
/// from an element over its subtree costs up to this many times the page.
pub const MAX_DEPTH: usize = 128;

/// A node's index in [`Dom::nodes`].
pub type NodeId = u32;

const NONE: NodeId = NodeId::MAX;

/// The document node, root of every tree.
pub const ROOT: NodeId = 0;

#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    first_child: NodeId,
    last_child: NodeId,
    next_sibling: NodeId,
    pub data: NodeData,
}

#[derive(Debug)]
pub enum NodeData {
    Document,
    Element(Element),
    Text(String),
}

#[derive(Debug)]
pub struct Element {
    pub name: LocalName,
    pub attrs: Vec<(LocalName, String)>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed page.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

impl Dom {
    /// Parses `html` (already decoded).
    pub fn parse(html: &str) -> Dom {
        tokenize_into(Builder::default(), html)
            .state
            .into_inner()
            .dom
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id as usize].data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn text(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id as usize].data {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The element's name, or `None` for text and the document.
    pub fn name(&self, id: NodeId) -> Option<&LocalName> {
        self.element(id).map(|e| &e.name)
    }

    pub fn is(&self, id: NodeId, name: &LocalName) -> bool {
        self.name(id) == Some(name)
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let parent = self.nodes[id as usize].parent;
        (parent != NONE).then_some(parent)
    }

    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// The node and its ancestors, nearest first.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(Some(id), |&n| self.parent(n))
    }

    /// Every node under `id` (not `id` itself), in document order: the
    /// descendants of a node are the ids up to its next sibling's (or its
    /// ancestors' next sibling's).
    pub fn descendants(&self, id: NodeId) -> std::ops::Range<NodeId> {
        id + 1..self.subtree_end(id)
    }

    /// Calls `visit` with every node under `id` in document order, except
    /// the nodes under one for which it returned true (it took that node's
    /// subtree whole).
    pub fn walk_skipping(&self, id: NodeId, mut visit: impl FnMut(NodeId) -> bool) {
        let mut skip_until = 0;
        for n in self.descendants(id) {
            if n >= skip_until && visit(n) {
                skip_until = self.subtree_end(n);
            }
        }
    }

    /// The first id after the subtree of `id`.
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        let mut at = id;
        loop {
            let node = &self.nodes[at as usize];
            if node.next_sibling != NONE {
                return node.next_sibling;
            }
            if node.parent == NONE {
                return self.nodes.len() as NodeId;
            }
            at = node.parent;
        }
    }

    /// All the elements named `name`, in document order.
    pub fn elements_named<'a>(
        &'a self,
        name: &'a LocalName,
    ) -> impl Iterator<Item = (NodeId, &'a Element)> + 'a {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(move |(i, n)| match &n.data {
                NodeData::Element(e) if e.name == *name => Some((i as NodeId, e)),
                _ => None,
            })
    }

    /// The text under `id`, as written (white space not collapsed), a
    /// `<br>` read as the line break it shows: `Ferry strike halts<br>
    /// crossings` is two words there, not one.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        if let Some(text) = self.text(id) {
            out.push_str(text);
        }
        for n in self.descendants(id) {
            if let Some(text) = self.text(n) {
                out.push_str(text);
            } else if self.is(n, &local_name!("br")) {
                out.push('\n');
            }
        }
        out
    }

    fn push(&mut self, parent: NodeId, data: NodeData) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            data,
        });
        let p = &mut self.nodes[parent as usize];
        let previous = p.last_child;
        p.last_child = id;
        if previous == NONE {
            p.first_child = id;
        } else {
            self.nodes[previous as usize].next_sibling = id;
        }
        id
    }
}

pub struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].next_sibling;
        Some(id)
    }
}

#[derive(Default)]
struct Builder {
    state: RefCell<State>,
}

struct State {
    dom: Dom,
    /// Open elements, outermost first (the document is not on it).
    open: Vec<NodeId>,
    /// How many elements of each name are open, so that an end tag for an
    /// element that is not open costs nothing.
    open_count: HashMap<LocalName, u32>,
    /// Open `svg`/`math` elements: inside them `<x/>` closes itself.
    foreign: u32,
}

impl Default for State {
    fn default() -> Self {
        State {
            dom: Dom {
                nodes: vec![Node {
                    parent: NONE,
                    first_child: NONE,
                    last_child: NONE,
                    next_sibling: NONE,
                    data: NodeData::Document,
                }],
            },
            open: Vec::new(),
            open_count: HashMap::new(),
            foreign: 0,
        }
    }
}

impl TokenSink for Builder {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return state.start(tag),
                TagKind::EndTag => state.end(&tag.name),
            },
            Token::CharacterTokens(text) => state.text(&text),
            Token::NullCharacterToken
            | Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

impl State {
    fn current(&self) -> NodeId {
        self.open.last().copied().unwrap_or(ROOT)
    }

    fn name_at(&self, index: usize) -> &LocalName {
        &self
            .dom
            .element(self.open[index])
            .expect("only elements are opened")
            .name
    }

    fn is_open(&self, name: &LocalName) -> bool {
        self.open_count.get(name).is_some_and(|&n| n > 0)
    }

    fn text(&mut self, text: &str) {
        let parent = self.current();
        let last = self.dom.nodes[parent as usize].last_child;
        if last != NONE
            && let NodeData::Text(previous) = &mut self.dom.nodes[last as usize].data
        {
            previous.push_str(text);
            return;
        }
        self.dom.push(parent, NodeData::Text(text.to_string()));
    }

    /// Closes the open element at `index` and everything opened inside it.
    fn close_from(&mut self, index: usize) {
        for id in self.open.drain(index..) {
            let name = &self.dom.element(id).expect("only elements are opened").name;
            if matches!(*name, local_name!("svg") | local_name!("math")) {
                self.foreign -= 1;
            }
            if let Some(count) = self.open_count.get_mut(name) {
                *count -= 1;
            }
        }
    }

    /// Where the innermost open `target` is, looking up from the current
    /// element and giving up at an element for which `stop` holds.
    fn find_open(&self, target: &[LocalName], stop: impl Fn(&LocalName) -> bool) -> Option<usize> {
        if !target.iter().any(|t| self.is_open(t)) {
            return None;
        }
        for index in (0..self.open.len()).rev() {
            let name = self.name_at(index);
            if target.contains(name) {
                return Some(index);
            }
            if stop(name) {
                return None;
            }
        }
        None
    }

    fn close_open(&mut self, target: &[LocalName], stop: impl Fn(&LocalName) -> bool) {
        if let Some(index) = self.find_open(target, stop) {
            self.close_from(index);
        }
    }

    fn start(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name = tag.name;
        // A second `html`, `head` or `body` adds nothing a reader needs.
        if matches!(
            name,
            local_name!("html") | local_name!("head") | local_name!("body")
        ) && self.is_open(&name)
        {
            return TokenSinkResult::Continue;
        }
        if closes_paragraph(&name) {
            self.close_open(&[local_name!("p")], is_scope_boundary);
        }
        match name {
            local_name!("li") => self.close_open(&[local_name!("li")], |n| {
                is_special(n) && !matches!(*n, local_name!("address") | local_name!("div"))
            }),
            local_name!("dd") | local_name!("dt") => self
                .close_open(&[local_name!("dd"), local_name!("dt")], |n| {
                    is_special(n) && !matches!(*n, local_name!("address") | local_name!("div"))
                }),
            local_name!("td") | local_name!("th") => {
                self.close_open(&[local_name!("td"), local_name!("th")], is_table)
            }
            local_name!("tr") => self.close_open(&[local_name!("tr")], is_table),
            local_name!("tbody") | local_name!("thead") | local_name!("tfoot") => self.close_open(
                &[
                    local_name!("tbody"),
                    local_name!("thead"),
                    local_name!("tfoot"),
                ],
                is_table,
            ),
            local_name!("option") => self.close_open(&[local_name!("option")], |_| true),
            local_name!("a") => self.close_open(&[local_name!("a")], |n| !is_phrasing(n)),
            // A heading does not hold another: the open one closes.
            ref heading
                if is_heading(heading)
                    && self
                        .open
                        .last()
                        .is_some_and(|&id| self.dom.name(id).is_some_and(is_heading)) =>
            {
                self.close_from(self.open.len() - 1)
            }
            _ => {}
        }
        let raw = match name {
            local_name!("script") => Some(RawKind::ScriptData),
            local_name!("style")
            | local_name!("noscript")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("xmp") => Some(RawKind::Rawtext),
            local_name!("title") | local_name!("textarea") => Some(RawKind::Rcdata),
            _ => None,
        };
        let void = is_void(&name) || (tag.self_closing && self.foreign > 0);
        if !void && self.open.len() >= MAX_DEPTH {
            // Too deep: the element is left out, and what it holds goes to
            // the deepest open element. Raw text is still read as such.
            return match raw {
                Some(kind) => TokenSinkResult::RawData(kind),
                None => TokenSinkResult::Continue,
            };
        }
        let attrs = tag
            .attrs
            .into_iter()
            .map(|a| (a.name.local, a.value.to_string()))
            .collect();
        let parent = self.current();
        let id = self.dom.push(
            parent,
            NodeData::Element(Element {
                name: name.clone(),
                attrs,
            }),
        );
        if void {
            return TokenSinkResult::Continue;
        }
        if matches!(name, local_name!("svg") | local_name!("math")) {
            self.foreign += 1;
        }
        *self.open_count.entry(name.clone()).or_insert(0) += 1;
        self.open.push(id);
        match raw {
            Some(kind) => TokenSinkResult::RawData(kind),
            None if name == local_name!("plaintext") => TokenSinkResult::Plaintext,
            None => TokenSinkResult::Continue,
        }
    }

    fn end(&mut self, name: &LocalName) {
        match *name {
            // A reader's page has one body: what follows `</body>` belongs in it.
            local_name!("body") | local_name!("html") => return,
            local_name!("br") => {
                let parent = self.current();
                self.dom.push(
                    parent,
                    NodeData::Element(Element {
                        name: local_name!("br"),
                        attrs: Vec::new(),
                    }),
                );
                return;
            }
            _ => {}
        }
        let target = std::slice::from_ref(name);
        if is_phrasing(name) {
            self.close_open(target, |n| !is_phrasing(n));
        } else if is_scope_boundary(name) {
            self.close_open(target, |_| false);
        } else {
            self.close_open(target, is_scope_boundary);
        }
    }
}

fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("image")
            | local_name!("keygen")
    )
}

/// `h1` to `h6`.
pub fn is_heading(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
    )
}

/// Start tags that close an open `p`.
fn closes_paragraph(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("blockquote")
                | local_name!("center")
                | local_name!("details")
                | local_name!("dialog")
                | local_name!("dir")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("fieldset")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("form")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("hr")
                | local_name!("li")
                | local_name!("dd")
                | local_name!("dt")
                | local_name!("main")
                | local_name!("menu")
                | local_name!("nav")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("pre")
                | local_name!("section")
                | local_name!("summary")
                | local_name!("table")
                | local_name!("ul")
        )
}

/// Elements an end tag or an implied close does not look past.
fn is_scope_boundary(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("table")
            | local_name!("td")
            | local_name!("th")
            | local_name!("caption")
            | local_name!("template")
            | local_name!("button")
            | local_name!("object")
            | local_name!("applet")
            | local_name!("marquee")
            | local_name!("svg")
            | local_name!("math")
    )
}

fn is_table(name: &LocalName) -> bool {
    *name == local_name!("table") || *name == local_name!("template")
}

/// Elements whose implied or stray closing is looked for no further.
fn is_special(name: &LocalName) -> bool {
    closes_paragraph(name)
        || is_scope_boundary(name)
        || matches!(
            *name,
            local_name!("body")
                | local_name!("html")
                | local_name!("head")
                | local_name!("tr")
                | local_name!("tbody")
                | local_name!("thead")
                | local_name!("tfoot")
                | local_name!("select")
                | local_name!("textarea")
                | local_name!("iframe")
                | local_name!("img")
        )
}

/// Inline (phrasing) elements: what an end tag for one of them may close.
pub fn is_phrasing(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("a")
            | local_name!("abbr")
            | local_name!("b")
            | local_name!("bdi")
            | local_name!("bdo")
            | local_name!("big")
            | local_name!("cite")
            | local_name!("code")
            | local_name!("data")
            | local_name!("del")
            | local_name!("dfn")
            | local_name!("em")
            | local_name!("font")
            | local_name!("i")
            | local_name!("ins")
            | local_name!("kbd")
            | local_name!("label")
            | local_name!("mark")
            | local_name!("nobr")
            | local_name!("q")
            | local_name!("s")
            | local_name!("samp")
            | local_name!("small")
            | local_name!("span")
            | local_name!("strike")
            | local_name!("strong")
            | local_name!("sub")
            | local_name!("sup")
            | local_name!("time")
            | local_name!("tt")
            | local_name!("u")
            | local_name!("var")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(dom: &Dom, id: NodeId, out: &mut String) {
        match &dom.nodes[id as usize].data {
            NodeData::Document => {}
            NodeData::Text(t) => out.push_str(t.trim()),
            NodeData::Element(e) => {
                out.push('<');
                out.push_str(&e.name);
                out.push('>');
            }
        }
        for child in dom.children(id) {
            outline(dom, child, out);
        }
        if let Some(e) = dom.element(id) {
            out.push_str("</");
            out.push_str(&e.name);
            out.push('>');
        }
    }

    fn tree(html: &str) -> String {
        let dom = Dom::parse(html);
        let mut out = String::new();
        outline(&dom, ROOT, &mut out);
        out
    }

    #[test]
    fn paragraphs_and_list_items_close_each_other() {
        assert_eq!(
            tree("<div><p>a<p>b<ul><li>c<li>d</ul></div>"),
            "<div><p>a</p><p>b</p><ul><li>c</li><li>d</li></ul></div>"
        );
    }

    #[test]
    fn stray_end_tags_close_nothing_outside_their_block() {
        assert_eq!(
            tree("<div><span>a</div>b</span>c"),
            "<div><span>a</span></div>bc"
        );
        assert_eq!(tree("<p>a</b>b</p>"), "<p>ab</p>");
    }

    #[test]
    fn raw_text_and_entities_read_as_a_browser_reads_them() {
        assert_eq!(
            tree("<script>if (a<b) {}</script><p>&amp;&eacute;</p>"),
            "<script>if (a<b) {}</script><p>&é</p>"
        );
    }

    #[test]
    fn tables_close_cells_and_rows() {
        assert_eq!(
            tree("<table><tr><td>a<td>b<tr><td>c</table>"),
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
        );
    }

    #[test]
    fn nesting_is_capped_and_stays_linear() {
        let depth = 100_000;
        let html = "<div>".repeat(depth) + "deep" + &"</div>".repeat(depth);
        let dom = Dom::parse(&html);
        let deepest = dom.nodes.len() as NodeId - 1;
        assert_eq!(dom.text(deepest), Some("deep"));
        assert!(dom.ancestors(deepest).count() <= MAX_DEPTH + 2);
        let descendants = dom.descendants(ROOT);
        assert_eq!(descendants.len(), dom.nodes.len() - 1);
    }

    #[test]
    fn elements_too_deep_are_left_out_and_their_text_kept() {
        for tag in ["table", "div", "span"] {
            let html = format!("<{tag}>").repeat(200_000) + "<p>deep</p><br>after";
            let dom = Dom::parse(&html);
            // The document, the elements open at the limit, their text
            // (one node, or two where a table's text is set apart) and
            // the line break.
            assert!(dom.len() <= MAX_DEPTH + 4, "{tag}: {} nodes", dom.len());
            assert_eq!(dom.text_of(ROOT), "deep\nafter", "{tag}");
        }
    }

    #[test]
    fn descendants_are_the_subtree() {
        let dom = Dom::parse("<div><p>a</p><p>b</p></div><p>c</p>");
        let div = dom.elements_named(&local_name!("div")).next().unwrap().0;
        assert_eq!(dom.text_of(div), "ab");
    }

    #[test]
    fn a_line_break_parts_the_words_on_either_side() {
        let dom = Dom::parse("<h1>Ferry strike halts<br>crossings</h1>");
        let h1 = dom.elements_named(&local_name!("h1")).next().unwrap().0;
        assert_eq!(dom.text_of(h1), "Ferry strike halts\ncrossings");
    }
}

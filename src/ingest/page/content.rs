//! Finding the article in a page: which elements hold its text.
//!
//! Page furniture is left out first (scripts, navigation, footers, hidden
//! elements and those shown to screen readers only, ARIA furniture roles,
//! and elements whose class or id speaks of
//! comments, menus, share rails or newsletters). Every paragraph of at
//! least 25 characters then scores for the elements around it, by its
//! length and its commas, its parent fully and farther ancestors less; an
//! element's own tag and class words add to its score, and its share of
//! link text takes from it. The best element, moved up to a common
//! ancestor when the runners-up sit beside it, is the article; siblings
//! that score close to it, or read as paragraphs, join it. `article`,
//! `main` and schema.org `articleBody` count for an element like class
//! words do.
//!
//! When that finds little text, the search is run again with less left out
//! (first the class words, then their weights, then the cleaning of link
//! lists and forms), and the longest result is kept. Share, newsletter,
//! paywall, promotion and cookie boxes, ad slots and breadcrumb trails stay
//! out of every search, except an element the page's JSON-LD marks as the
//! article's subscriber-only part (Google's `hasPart` markup): that is the
//! article's own text, whatever its class says.

use html5ever::local_name;

use super::dom::{Dom, NodeData, NodeId, ROOT};
use super::signals::{self, Stats};

/// How much is left out before scoring; relaxed step by step when the
/// strict search finds too little.
#[derive(Debug, Clone, Copy)]
pub struct Flags {
    pub strip_unlikely: bool,
    pub weight_classes: bool,
    pub clean_conditionally: bool,
}

impl Flags {
    pub const ALL: [Flags; 4] = [
        Flags {
            strip_unlikely: true,
            weight_classes: true,
            clean_conditionally: true,
        },
        Flags {
            strip_unlikely: false,
            weight_classes: true,
            clean_conditionally: true,
        },
        Flags {
            strip_unlikely: false,
            weight_classes: false,
            clean_conditionally: true,
        },
        Flags {
            strip_unlikely: false,
            weight_classes: false,
            clean_conditionally: false,
        },
    ];
}

/// The outcome of one search: the elements that hold the article, in
/// document order, and what was left out.
#[derive(Debug)]
pub struct Selection {
    pub roots: Vec<NodeId>,
    pub left_out: Vec<bool>,
    pub stats: Stats,
    pub flags: Flags,
    /// Scores of the candidates, for the cleaning of their descendants.
    pub score: Vec<f32>,
}

/// Marks what never belongs to an article, parents before children;
/// the elements `article_parts` (the article's own, as the page marks them)
/// are never left out for their class or id.
pub fn leave_out(dom: &Dom, flags: Flags, article_parts: &[NodeId]) -> Vec<bool> {
    let n = dom.len();
    let page_text = readable_letters(dom);
    let mut out = vec![false; n];
    let mut in_protected = vec![false; n];
    for id in 1..n {
        let parent = dom.nodes[id].parent as usize;
        if out[parent] {
            out[id] = true;
            continue;
        }
        in_protected[id] = in_protected[parent];
        let NodeData::Element(e) = &dom.nodes[id].data else {
            continue;
        };
        if signals::never_content(&e.name)
            || signals::hidden(e)
            || signals::screen_reader_only(e)
            || signals::furniture_role(e)
        {
            // A page wrapped whole in one of these (rare, but seen with
            // `aside` and `header`) keeps its text through the relaxed runs.
            out[id] = true;
            continue;
        }
        if is_byline(dom, id as NodeId, e) {
            out[id] = true;
            continue;
        }
        if matches!(
            e.name,
            local_name!("table") | local_name!("code") | local_name!("pre")
        ) || article_parts.contains(&(id as NodeId))
        {
            in_protected[id] = true;
        }
        if !in_protected[id] && is_boilerplate_box(dom, id as NodeId, e, page_text) {
            out[id] = true;
            continue;
        }
        if flags.strip_unlikely
            && !in_protected[id]
            && !matches!(
                e.name,
                local_name!("body")
                    | local_name!("html")
                    | local_name!("a")
                    | local_name!("article")
                    | local_name!("main")
            )
            && e.attr("itemprop")
                .is_none_or(|p| !p.contains("articleBody"))
        {
            let mut names = signals::names(e);
            if signals::is_heading(&e.name) {
                // A heading's `header` class (Substack's `header-anchor-post`)
                // names the heading itself, not the site's header.
                names = names.replace("header", "");
            }
            if !names.trim().is_empty()
                && signals::unlikely(&names)
                && !signals::maybe_content(&names)
            {
                out[id] = true;
            }
        }
    }
    out
}

/// A box whose class or id says it is a share rail, a newsletter, paywall,
/// promotion or cookie box ([`signals::boilerplate_box`]), left out by
/// every search however little text the page has, unless it holds half the
/// page's text or more (a wrapper so named around the whole article; a
/// consent wall that fills the page is told by its text).
fn is_boilerplate_box(dom: &Dom, id: NodeId, e: &super::dom::Element, page_text: usize) -> bool {
    if matches!(
        e.name,
        local_name!("body") | local_name!("html") | local_name!("article") | local_name!("main")
    ) || e
        .attr("itemprop")
        .is_some_and(|p| p.contains("articleBody"))
    {
        return false;
    }
    let names = signals::names(e);
    if !signals::boilerplate_box(e) || signals::maybe_content(&names) {
        return false;
    }
    letters(&dom.text_of(id)) * 2 < page_text
}

/// How many characters of the page's text, outside scripts, styles and the
/// like, are not white space.
fn readable_letters(dom: &Dom) -> usize {
    let mut unread = vec![false; dom.len()];
    let mut count = 0;
    for id in 1..dom.len() {
        let parent = dom.nodes[id].parent as usize;
        unread[id] = unread[parent];
        match &dom.nodes[id].data {
            NodeData::Element(e) => unread[id] |= signals::never_content(&e.name),
            NodeData::Text(t) if !unread[id] => count += letters(t),
            _ => {}
        }
    }
    count
}

/// How many characters of `text` are not white space.
fn letters(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// A byline: an element marked as the author (`rel="author"`,
/// `itemprop="author"`, class or id words such as `byline` or `dateline`)
/// with the short text of one.
fn is_byline(dom: &Dom, id: NodeId, e: &super::dom::Element) -> bool {
    let marked = e.attr("rel").is_some_and(|r| r == "author")
        || e.attr("itemprop").is_some_and(|p| p.contains("author"))
        || {
            let names = signals::names(e);
            ["byline", "author", "dateline", "writtenby", "p-author"]
                .iter()
                .any(|w| names.contains(w))
        };
    marked && {
        let text = dom.text_of(id);
        let len = text.trim().chars().count();
        len > 0 && len < 100
    }
}

/// Whether `id` reads as one paragraph: a `p`, `pre` or table cell, or a
/// `div`-like element with no block inside.
fn is_paragraph_like(dom: &Dom, stats: &Stats, id: NodeId) -> bool {
    match dom.name(id) {
        Some(
            &local_name!("p")
            | &local_name!("pre")
            | &local_name!("td")
            | &local_name!("blockquote"),
        ) => true,
        Some(
            &local_name!("div")
            | &local_name!("section")
            | &local_name!("span")
            | &local_name!("article")
            | &local_name!("font")
            | &local_name!("center"),
        ) => !stats.block_child[id as usize],
        _ => false,
    }
}

fn base_score(dom: &Dom, id: NodeId, flags: Flags) -> f32 {
    let Some(e) = dom.element(id) else {
        return 0.0;
    };
    let tag = match e.name {
        local_name!("div") => 5.0,
        local_name!("article") => 10.0,
        local_name!("main") | local_name!("section") => 3.0,
        local_name!("pre") | local_name!("td") | local_name!("blockquote") => 3.0,
        local_name!("address")
        | local_name!("ol")
        | local_name!("ul")
        | local_name!("dl")
        | local_name!("dd")
        | local_name!("dt")
        | local_name!("li")
        | local_name!("form") => -3.0,
        ref name if signals::is_heading(name) || *name == local_name!("th") => -5.0,
        _ => 0.0,
    };
    let schema = if e
        .attr("itemprop")
        .is_some_and(|p| p.contains("articleBody"))
    {
        30.0
    } else {
        0.0
    };
    let class = if flags.weight_classes {
        signals::class_weight(e)
    } else {
        0.0
    };
    tag + schema + class
}

/// Runs one search with `flags`; `article_parts` are elements the page
/// marks as the article's ([`leave_out`]).
pub fn select(dom: &Dom, flags: Flags, article_parts: &[NodeId]) -> Selection {
    let left_out = leave_out(dom, flags, article_parts);
    let stats = Stats::compute(dom, &left_out);
    let n = dom.len();
    let mut score = vec![0.0f32; n];
    let mut candidate = vec![false; n];
    for id in 1..n as NodeId {
        if left_out[id as usize] || !is_paragraph_like(dom, &stats, id) {
            continue;
        }
        let len = stats.text[id as usize];
        if len < 25 {
            continue;
        }
        let points = 1.0 + stats.commas[id as usize] as f32 + (len / 100).min(3) as f32;
        for (level, ancestor) in dom.ancestors(id).skip(1).take(5).enumerate() {
            if ancestor == ROOT || dom.element(ancestor).is_none() {
                break;
            }
            let a = ancestor as usize;
            if !candidate[a] {
                candidate[a] = true;
                score[a] = base_score(dom, ancestor, flags);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a] += points / divider;
        }
    }
    for id in 0..n {
        if candidate[id] {
            score[id] *= 1.0 - stats.link_density(id as NodeId);
        }
    }
    let mut ranked: Vec<NodeId> = (0..n as NodeId)
        .filter(|&i| candidate[i as usize])
        .collect();
    ranked.sort_by(|a, b| score[*b as usize].total_cmp(&score[*a as usize]));
    let body = dom
        .elements_named(&local_name!("body"))
        .next()
        .map(|(id, _)| id);
    let Some(&top) = ranked.first() else {
        let roots = body.into_iter().collect();
        return Selection {
            roots,
            left_out,
            stats,
            flags,
            score,
        };
    };
    let top = refine(dom, &score, &candidate, &ranked, top);
    let mut roots = with_siblings(dom, &stats, &score, &candidate, top, flags);
    roots.extend(same_kind_parts(dom, &stats, &left_out, &roots, top));
    roots.sort_unstable();
    Selection {
        roots,
        left_out,
        stats,
        flags,
        score,
    }
}

/// Moves the best candidate up when the runners-up share one of its
/// ancestors, or while it is an only child or its parent scores higher.
fn refine(dom: &Dom, score: &[f32], candidate: &[bool], ranked: &[NodeId], top: NodeId) -> NodeId {
    let top_score = score[top as usize];
    let close: Vec<NodeId> = ranked[1..]
        .iter()
        .take(5)
        .copied()
        .filter(|&c| score[c as usize] >= top_score * 0.75)
        .collect();
    let mut top = top;
    if close.len() >= 3 {
        let mut parent = dom.parent(top);
        while let Some(p) = parent {
            if dom.element(p).is_none() || dom.is(p, &local_name!("body")) {
                break;
            }
            let holding = close
                .iter()
                .filter(|&&c| dom.ancestors(c).any(|a| a == p))
                .count();
            if holding >= 3 {
                top = p;
                break;
            }
            parent = dom.parent(p);
        }
    }
    // Climb while the parent scores higher than where we are, as long as it
    // keeps within a third of the best score.
    let threshold = score[top as usize] / 3.0;
    let mut last = score[top as usize];
    let mut at = top;
    while let Some(p) = dom.parent(at) {
        if dom.element(p).is_none() || dom.is(p, &local_name!("body")) {
            break;
        }
        if !candidate[p as usize] {
            at = p;
            continue;
        }
        let s = score[p as usize];
        if s < threshold {
            break;
        }
        if s > last {
            top = p;
            break;
        }
        last = s;
        at = p;
    }
    // An only child says no more than its parent.
    while let Some(p) = dom.parent(top) {
        if dom.element(p).is_none() || dom.is(p, &local_name!("body")) {
            break;
        }
        let elements = dom
            .children(p)
            .filter(|&c| dom.element(c).is_some())
            .count();
        if elements != 1 {
            break;
        }
        top = p;
    }
    top
}

/// Other parts of an article split into blocks of one kind (the same tag
/// and class as the best candidate, separated by figures, ads or boxes):
/// each that holds real text, few links and is not inside what was chosen.
fn same_kind_parts(
    dom: &Dom,
    stats: &Stats,
    left_out: &[bool],
    roots: &[NodeId],
    top: NodeId,
) -> Vec<NodeId> {
    let Some(top_element) = dom.element(top) else {
        return Vec::new();
    };
    let Some(class) = top_element.attr("class").filter(|c| !c.trim().is_empty()) else {
        return Vec::new();
    };
    let chosen: Vec<(NodeId, NodeId)> = roots.iter().map(|&r| (r, dom.subtree_end(r))).collect();
    let inside = |id: NodeId| chosen.iter().any(|&(start, end)| id >= start && id < end);
    let mut parts: Vec<NodeId> = Vec::new();
    for (id, e) in dom.elements_named(&top_element.name) {
        if left_out[id as usize]
            || inside(id)
            || e.attr("class") != Some(class)
            || parts.last().is_some_and(|&p| id < dom.subtree_end(p))
        {
            continue;
        }
        if stats.text[id as usize] >= 100 && stats.link_density(id) < 0.3 {
            parts.push(id);
        }
    }
    parts
}

/// The best candidate and the siblings that belong with it, in order.
fn with_siblings(
    dom: &Dom,
    stats: &Stats,
    score: &[f32],
    candidate: &[bool],
    top: NodeId,
    flags: Flags,
) -> Vec<NodeId> {
    let Some(parent) = dom.parent(top) else {
        return vec![top];
    };
    if dom.element(parent).is_none() {
        return vec![top];
    }
    let top_score = score[top as usize];
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = dom.element(top).and_then(|e| e.attr("class"));
    let mut roots = Vec::new();
    for sibling in dom.children(parent) {
        if sibling == top {
            roots.push(sibling);
            continue;
        }
        let Some(e) = dom.element(sibling) else {
            continue;
        };
        let s = sibling as usize;
        if signals::never_content(&e.name) {
            continue;
        }
        let mut bonus = 0.0;
        if flags.weight_classes
            && top_class.is_some_and(|c| !c.is_empty())
            && e.attr("class") == top_class
        {
            bonus += top_score * 0.2;
        }
        if candidate[s] && score[s] + bonus >= threshold {
            roots.push(sibling);
            continue;
        }
        if is_paragraph_like(dom, stats, sibling) && e.name == local_name!("p") {
            let density = stats.link_density(sibling);
            let len = stats.text[s];
            let text = dom.text_of(sibling);
            let sentence = text.trim_end().ends_with('.') || text.contains(". ");
            if (len > 80 && density < 0.25) || (len > 0 && density == 0.0 && sentence) {
                roots.push(sibling);
                continue;
            }
        }
        if sibling < top
            && between_headline_and(dom, parent, sibling, top)
            && standfirst(dom, stats, sibling)
        {
            roots.push(sibling);
        }
    }
    roots
}

/// Whether `id` sits right between the page's headline (a heading, or a
/// `header` or `hgroup` holding it) and `top`: the elements beside it.
fn between_headline_and(dom: &Dom, parent: NodeId, id: NodeId, top: NodeId) -> bool {
    let elements: Vec<NodeId> = dom
        .children(parent)
        .filter(|&c| dom.element(c).is_some())
        .collect();
    let Some(at) = elements.iter().position(|&c| c == id) else {
        return false;
    };
    let before = at.checked_sub(1).and_then(|b| dom.name(elements[b]));
    let headline = before.is_some_and(|name| {
        signals::is_heading(name) || matches!(*name, local_name!("header") | local_name!("hgroup"))
    });
    headline && elements.get(at + 1) == Some(&top)
}

/// A standfirst before the article's body: one paragraph (a `p`, or an
/// element holding one `p` and no heading, picture or list) of a
/// sentence's length with no link, which a headline-sized line without a
/// full stop would not otherwise join.
fn standfirst(dom: &Dom, stats: &Stats, id: NodeId) -> bool {
    let s = id as usize;
    let inside = stats.inside[s];
    let one_paragraph = inside.p == 1
        && inside.headings == 0
        && inside.img == 0
        && inside.li == 0
        && inside.embeds == 0
        && inside.input == 0;
    let text = dom.text_of(id);
    let words = text.split_whitespace().count();
    one_paragraph
        && stats.link[s] == 0
        && (40..=400).contains(&stats.text[s])
        && words >= 6
        && !text.trim_end().ends_with(':')
}

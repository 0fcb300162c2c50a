//! Finding the article in a page: which elements hold its text.
//!
//! Page furniture is left out first (scripts, navigation, footers, hidden
//! elements and those shown to screen readers only, ARIA furniture roles,
//! pull quotes that repeat a sentence of the text, other stories the
//! page carries after its own (see [`other_stories`]), and elements whose
//! class or id speaks of
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
//! paywall, promotion and cookie boxes, ad slots, breadcrumb trails and
//! readers' comments stay out of every search, except an element the page's JSON-LD marks as the
//! article's subscriber-only part (Google's `hasPart` markup): that is the
//! article's own text, whatever its class says.

use std::collections::HashMap;

use html5ever::local_name;

use super::dom::{Dom, Element, NodeData, NodeId, ROOT};
use super::header_zone;
use super::signals::{self, Stats};
use crate::normalize::fold;

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
    /// The article's header, in document order: the elements between the
    /// page's headline and the first root when the roots leave it out
    /// ([`header_zone::between`]), or the short lines above the headline
    /// in the root that holds it ([`header_zone::above`]), read for
    /// bylines and date lines only.
    pub header: Vec<NodeId>,
    /// A standfirst right under the headline, set as a heading or a
    /// paragraph, in that header or in a root ([`header_zone::deck`]).
    pub deck: Option<NodeId>,
}

/// What the page says of where its article is: the elements it marks as
/// the article's own, and other stories it carries.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marked<'a> {
    /// Never left out for their class or id (see [`leave_out`]).
    pub article_parts: &'a [NodeId],
    /// Left out whole ([`other_stories`]).
    pub other_stories: &'a [NodeId],
    /// The page's headline element ([`header_zone::headline`]).
    pub headline: Option<NodeId>,
    /// The page's description, the article's summary: a standfirst
    /// paragraph apart from the text that only repeats it is no paragraph.
    pub description: Option<&'a str>,
}

/// Marks what never belongs to an article, parents before children;
/// the elements `marked.article_parts` (the article's own, as the page
/// marks them) are never left out for their class or id, and
/// `marked.other_stories` always are.
pub fn leave_out(dom: &Dom, flags: Flags, marked: Marked) -> Vec<bool> {
    let article_parts = marked.article_parts;
    let n = dom.len();
    let page_text = readable_letters(dom);
    // The page's word sequences, counted when it has a pull quote.
    let mut page_words = None;
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
            || marked.other_stories.contains(&(id as NodeId))
            || (pull_quote(e)
                && repeats_the_text(
                    dom,
                    id as NodeId,
                    page_words.get_or_insert_with(|| word_runs(dom, ROOT)),
                ))
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
        if !in_protected[id]
            && (is_boilerplate_box(dom, id as NodeId, e, page_text)
                || is_comments_box(dom, id as NodeId, e))
        {
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

/// A pull quote: an element with a class word that names one
/// (`pullquote`, `pull-quote`, `wp-block-pullquote`, `c-pull_quote`). When
/// it sets a sentence of the text again in large type
/// ([`repeats_the_text`]), it and its `<cite>`, naming who said it, are no
/// more of the article; some editors (Medium's) call a quote set large in
/// the text's place so too, and that one is the text.
fn pull_quote(e: &Element) -> bool {
    e.attr("class").is_some_and(|class| {
        class.split_whitespace().any(|word| {
            let letters: String = word
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            letters.contains("pullquote")
        })
    })
}

/// Three words in a row, folded.
type WordRun = [String; 3];

/// How often each run of three words ([`WordRun`]) appears in the text
/// under `id`, outside scripts, styles and the like and, but at `id`
/// itself, outside `cite` elements.
fn word_runs(dom: &Dom, id: NodeId) -> HashMap<WordRun, u32> {
    let mut text = String::new();
    dom.walk_skipping(id, |n| match &dom.nodes[n as usize].data {
        NodeData::Element(e) => {
            text.push(' ');
            signals::never_content(&e.name) || (id != ROOT && e.name == local_name!("cite"))
        }
        NodeData::Text(t) => {
            text.push_str(t);
            false
        }
        NodeData::Document => false,
    });
    let folded = fold(&text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut runs = HashMap::new();
    for run in words.windows(3) {
        let run = [run[0].to_string(), run[1].to_string(), run[2].to_string()];
        *runs.entry(run).or_insert(0) += 1;
    }
    runs
}

/// Whether pull quote `id` repeats the page's text: half of its runs of
/// three words at least (its `cite` aside) appear in the page outside it
/// too (`page` counts the page's runs), its wording a little changed or not
/// (`"It's easiest to judge …"` from `… which makes it easiest to judge
/// …`).
fn repeats_the_text(dom: &Dom, id: NodeId, page: &HashMap<WordRun, u32>) -> bool {
    let own = word_runs(dom, id);
    let total: u32 = own.values().sum();
    let repeated: u32 = own
        .iter()
        .filter(|(run, count)| page.get(*run).is_some_and(|all| all > count))
        .map(|(_, count)| count)
        .sum();
    total > 0 && repeated * 2 >= total
}

/// The other stories a page carries beside its own, as news sites load the
/// next story below the first for readers who keep scrolling: when one
/// `<article>` holds the page's headline (an `h1` or `h2` that reads as
/// `headline`, folded) and a story under it (two paragraphs at least),
/// each other `<article>` that has an `h1` or `h2` of its own and is
/// neither inside it nor around it. A page whose headline no `<article>`
/// holds (a live blog of `<article>` updates, a listing of teasers), or
/// holds over no text (a header apart from the body), or with one
/// `<article>`, has none.
pub fn other_stories(dom: &Dom, headline: Option<&str>) -> Vec<NodeId> {
    let Some(headline) = headline.map(fold).filter(|h| !h.is_empty()) else {
        return Vec::new();
    };
    let articles: Vec<NodeId> = dom
        .elements_named(&local_name!("article"))
        .map(|(id, _)| id)
        .collect();
    if articles.len() < 2 {
        return Vec::new();
    }
    let headlines = |article: NodeId| {
        dom.descendants(article)
            .filter(|&n| matches!(dom.name(n), Some(&local_name!("h1") | &local_name!("h2"))))
            .collect::<Vec<_>>()
    };
    let paragraphs = |article: NodeId| {
        dom.descendants(article)
            .filter(|&n| dom.is(n, &local_name!("p")) && dom.text_of(n).trim().len() >= 25)
            .count()
    };
    let Some(&story) = articles.iter().find(|&&a| {
        headlines(a)
            .into_iter()
            .any(|h| fold(&dom.text_of(h)) == headline)
            && paragraphs(a) >= 2
    }) else {
        return Vec::new();
    };
    let related = |a: NodeId, b: NodeId| a >= b && a < dom.subtree_end(b);
    articles
        .into_iter()
        .filter(|&a| !related(a, story) && !related(story, a) && !headlines(a).is_empty())
        .collect()
}

/// A box whose class or id says it is a share rail, a newsletter, paywall,
/// promotion or cookie box ([`signals::boilerplate_box`]), left out by
/// every search however little text the page has, unless it holds half the
/// page's text or more (a wrapper so named around the whole article; a
/// consent wall that fills the page is told by its text).
fn is_boilerplate_box(dom: &Dom, id: NodeId, e: &Element, page_text: usize) -> bool {
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

/// A box of readers' comments ([`signals::comments_box`]), left out by
/// every search however long the comments are beside a short story,
/// unless it holds an `h1` (a wrapper so named around the whole article)
/// or is the page's `body` or `main`.
fn is_comments_box(dom: &Dom, id: NodeId, e: &Element) -> bool {
    !matches!(
        e.name,
        local_name!("body") | local_name!("html") | local_name!("main")
    ) && signals::comments_box(e)
        && !dom.descendants(id).any(|n| dom.is(n, &local_name!("h1")))
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
pub(super) fn is_byline(dom: &Dom, id: NodeId, e: &Element) -> bool {
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

/// Runs one search with `flags`; `marked` says what the page marks as the
/// article's and as other stories ([`leave_out`]).
pub fn select(dom: &Dom, flags: Flags, marked: Marked) -> Selection {
    let left_out = leave_out(dom, flags, marked);
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
            header: Vec::new(),
            deck: None,
        };
    };
    let top = refine(dom, &score, &candidate, &ranked, top);
    let mut roots = with_siblings(dom, &stats, &score, &candidate, top, flags);
    let first = roots.first().copied().unwrap_or(top);
    roots.extend(key_points(dom, &stats, &left_out, first));
    roots.extend(same_kind_parts(dom, &stats, &left_out, &roots, top));
    roots.sort_unstable();
    roots.dedup();
    let header = marked
        .headline
        .map(|h| {
            [
                header_zone::above(dom, h, &roots),
                header_zone::between(dom, h, &roots),
            ]
            .concat()
        })
        .unwrap_or_default();
    let in_root = |id: NodeId| roots.iter().any(|&r| id >= r && id < dom.subtree_end(r));
    let deck = marked
        .headline
        .and_then(|h| header_zone::deck(dom, h, &[header.as_slice(), &roots].concat(), &left_out))
        .filter(|&deck| {
            let summary = marked
                .description
                .is_some_and(|d| fold(d) == fold(&dom.text_of(deck)));
            !(summary && dom.is(deck, &local_name!("p")) && !in_root(deck))
        });
    Selection {
        roots,
        left_out,
        stats,
        flags,
        score,
        header,
        deck,
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

/// The key points over the article's body, whose first element is
/// `first`: those right before it ([`points_before`]) or, when nothing of
/// text comes before it in its parent, those right before that parent, and
/// so on up to the page's `body`. A live blog's posts, each an `article`
/// the search may pick one of, sit in a feed of their own under the
/// summary of the story.
fn key_points(dom: &Dom, stats: &Stats, left_out: &[bool], first: NodeId) -> Vec<NodeId> {
    let mut at = first;
    loop {
        let Some(parent) = dom.parent(at).filter(|&p| dom.element(p).is_some()) else {
            return Vec::new();
        };
        let before = text_before(dom, stats, left_out, parent, at);
        if !before.is_empty() {
            return points_before(dom, stats, left_out, &before);
        }
        if dom.is(parent, &local_name!("body")) {
            return Vec::new();
        }
        at = parent;
    }
}

/// The children of `parent` before `child` that hold text of the article:
/// what is left out, figures and what has no text are passed over.
fn text_before(
    dom: &Dom,
    stats: &Stats,
    left_out: &[bool],
    parent: NodeId,
    child: NodeId,
) -> Vec<NodeId> {
    dom.children(parent)
        .take_while(|&c| c != child)
        .filter(|&c| {
            dom.element(c).is_some()
                && !left_out[c as usize]
                && stats.text[c as usize] > 0
                && !dom.is(c, &local_name!("figure"))
        })
        .collect()
}

/// The key points (a `Key points` heading and its list, in a box of their
/// own or not) at the end of `before`, the elements right before the body:
/// those that are each a list of points ([`point_list`]), a heading (no
/// `h1`) over one, a box holding one under perhaps its heading, or a
/// standfirst, one at least a list, when the page's headline (a heading, a
/// `header` or `hgroup`) or nothing comes before them. Their share of the
/// page's text does not matter: they sum up the body, however long it is.
fn points_before(dom: &Dom, stats: &Stats, left_out: &[bool], before: &[NodeId]) -> Vec<NodeId> {
    let mut points = Vec::new();
    let mut lists = 0;
    let mut next_is_list = false;
    for &id in before.iter().rev() {
        let name = dom.name(id).expect("only elements");
        let list = point_list(dom, stats, id) || point_box(dom, stats, left_out, id);
        if list {
            lists += 1;
        } else if next_is_list && signals::is_heading(name) && *name != local_name!("h1") {
            // The list's own heading.
        } else if signals::is_heading(name)
            || matches!(*name, local_name!("header") | local_name!("hgroup"))
        {
            break;
        } else if !standfirst(dom, stats, id) {
            return Vec::new();
        }
        next_is_list = list;
        points.push(id);
    }
    if lists == 0 {
        return Vec::new();
    }
    points
}

/// A list of points: two items or more, each of four words at least, with
/// no link, picture, form or embed.
fn point_list(dom: &Dom, stats: &Stats, id: NodeId) -> bool {
    if !matches!(dom.name(id), Some(&local_name!("ul") | &local_name!("ol"))) {
        return false;
    }
    let s = id as usize;
    let inside = stats.inside[s];
    let items: Vec<NodeId> = dom
        .children(id)
        .filter(|&c| dom.is(c, &local_name!("li")))
        .collect();
    items.len() >= 2
        && stats.link[s] == 0
        && inside.img == 0
        && inside.input == 0
        && inside.embeds == 0
        && items
            .iter()
            .all(|&li| dom.text_of(li).split_whitespace().count() >= 4)
}

/// A box holding a list of points ([`point_list`]) and nothing else of
/// text but a heading over it.
fn point_box(dom: &Dom, stats: &Stats, left_out: &[bool], id: NodeId) -> bool {
    if !matches!(
        dom.name(id),
        Some(&local_name!("div") | &local_name!("section"))
    ) {
        return false;
    }
    let parts: Vec<NodeId> = dom
        .children(id)
        .filter(|&c| !left_out[c as usize] && stats.text[c as usize] > 0)
        .collect();
    match parts[..] {
        [list] => point_list(dom, stats, list),
        [heading, list] => {
            dom.name(heading).is_some_and(signals::is_heading) && point_list(dom, stats, list)
        }
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use super::super::blocks::Piece;

    /// The paragraphs and crossheads but the headline that a page titled
    /// `title` with `body` gives, in order.
    fn texts(title: &str, body: &str) -> Vec<String> {
        let html = format!(
            "<!DOCTYPE html><html><head><title>{title} | Town Crier</title></head><body>{body}</body></html>"
        );
        super::super::pieces(&html, None)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Paragraph(t) | Piece::Subhead(t) if t != title => Some(t),
                _ => None,
            })
            .collect()
    }

    const LIBRARY: &str = "<p class=\"byline\">By Sara Nilsson</p>\
        <p>The central library will open on Sundays from December 7, after the council found money for two extra staff in next year's budget.</p>\
        <p>Opening hours on Sundays will be from 11 to 16, and the children's section will run a reading hour at noon.</p>\
        <p>Library users had collected more than 3,000 signatures asking for Sunday opening.</p>";

    const BRIDGE: &str = "<p class=\"byline\">By Erik Dahl</p>\
        <p>Quay Road will close to traffic for six weeks from Monday while engineers repair the bridge over the canal, the roads department said.</p>\
        <p>Buses will be diverted through the harbour area, adding about ten minutes to journeys into the centre.</p>\
        <p>Pedestrians and cyclists will be able to cross on a temporary footbridge.</p>";

    #[test]
    fn a_next_story_loaded_below_the_pages_own_is_left_out() {
        let first = format!(
            "<article class=\"story\"><h1>Library opens on Sundays from December</h1>{LIBRARY}</article>"
        );
        for next in [
            format!(
                "<div class=\"next-article-divider\">Next article</div>\
                 <article class=\"story\"><h2>Bridge repairs to close Quay Road for six weeks</h2>{BRIDGE}</article>"
            ),
            format!(
                "<article class=\"story\"><h1>Bridge repairs to close Quay Road for six weeks</h1>{BRIDGE}</article>"
            ),
            format!(
                "<div id=\"infinite-scroll\" class=\"next-story\"><article class=\"story\">\
                 <h2>Bridge repairs to close Quay Road for six weeks</h2>{BRIDGE}</article></div>"
            ),
        ] {
            let got = texts(
                "Library opens on Sundays from December",
                &format!("<main>{first}{next}</main>"),
            );
            assert_eq!(got.len(), 3, "{got:?}");
            assert!(got.iter().all(|t| !t.contains("Quay Road")), "{got:?}");
        }
    }

    #[test]
    fn articles_none_of_which_holds_the_headline_are_all_read() {
        // A live blog whose updates are `<article>`s, each with its heading.
        let updates: String = (1..=4)
            .map(|n| {
                format!(
                    "<article class=\"update\"><h2>Update {n}: winds reach the coast</h2>\
                     <p>Update {n}: the storm brought down trees across the region, and crews are out clearing the roads.</p></article>"
                )
            })
            .collect();
        let got = texts(
            "Storm live: trains cancelled",
            &format!("<main><h1>Storm live: trains cancelled</h1>{updates}</main>"),
        );
        for n in 1..=4 {
            assert!(
                got.iter()
                    .any(|t| t.starts_with(&format!("Update {n}: the storm"))),
                "{got:?}"
            );
        }
        // The headline in an `<article>` of its own, the body in another.
        let got = texts(
            "Library opens on Sundays from December",
            &format!(
                "<article><h1>Library opens on Sundays from December</h1></article>\
                 <article><h2>Opening hours</h2>{LIBRARY}</article>"
            ),
        );
        assert!(got.iter().any(|t| t.contains("central library")), "{got:?}");
        // One `<article>` of sections, each headed.
        let got = texts(
            "Library opens on Sundays from December",
            &format!(
                "<article><h1>Library opens on Sundays from December</h1>\
                 <section><h2>Opening hours</h2>{LIBRARY}</section>\
                 <section><h2>Roadworks nearby</h2>{BRIDGE}</section></article>"
            ),
        );
        assert!(got.iter().any(|t| t.contains("Quay Road")), "{got:?}");
        assert!(got.iter().any(|t| t.contains("central library")), "{got:?}");
    }

    const BUDGET: &str = "<p>The finance minister presented the government's budget for 2027 to parliament on Wednesday, promising relief for households on middle incomes.</p>\
        <p>The opposition called the plan a pre-election giveaway that does nothing to fix the strained health service.</p>\
        <p>Economists said the measures would cost about 11 billion crowns a year and be paid for largely by higher taxes on banks.</p>\
        <p>Pensioners will see their basic allowance rise by 300 crowns a month from March, the minister said.</p>\
        <p>Municipalities get an extra 2 billion crowns for schools and elderly care, less than they had asked for.</p>\
        <p>The central bank said the budget was unlikely to push inflation back above its target next year.</p>\
        <p>Parliament will vote on the budget on December 16, and the government's majority makes its passage likely.</p>";

    const POINTS: &str = "<h2>Key points</h2><ul>\
        <li>Income tax threshold raised to 52,000 crowns</li>\
        <li>Fuel duty frozen for a third year</li>\
        <li>Child benefit up by 4 per cent from April</li></ul>";

    #[test]
    fn key_points_over_a_long_body_are_the_articles() {
        for points in [
            format!("<div class=\"key-points\">{POINTS}</div>"),
            format!("<div>{POINTS}</div>"),
            POINTS.to_string(),
        ] {
            let got = texts(
                "Budget 2027: what it means for you",
                &format!(
                    "<article><h1>Budget 2027: what it means for you</h1>{points}\
                     <div class=\"article-body\">{BUDGET}</div></article>"
                ),
            );
            let unwrapped = texts(
                "Budget 2027: what it means for you",
                &format!(
                    "<h1>Budget 2027: what it means for you</h1>{points}\
                     <div class=\"article-body\">{BUDGET}</div>"
                ),
            );
            assert_eq!(unwrapped, got, "{points}");
            assert_eq!(
                got[..4],
                [
                    "Key points",
                    "Income tax threshold raised to 52,000 crowns",
                    "Fuel duty frozen for a third year",
                    "Child benefit up by 4 per cent from April",
                ],
                "{points}"
            );
            assert_eq!(got.len(), 11, "{got:?}");
        }
        // A list of links there is no summary of the story.
        let got = texts(
            "Budget 2027: what it means for you",
            &format!(
                "<article><h1>Budget 2027: what it means for you</h1>\
                 <div><h2>More on the budget</h2><ul>\
                 <li><a href=\"/a\">What the budget means for pensioners</a></li>\
                 <li><a href=\"/b\">What the budget means for students</a></li></ul></div>\
                 <div class=\"article-body\">{BUDGET}</div></article>"
            ),
        );
        assert!(got.iter().all(|t| !t.contains("means for")), "{got:?}");
    }

    /// A live blog's posts, each an `article` of `class` with a time, a
    /// paragraph and, when `headings`, a heading of its own.
    fn live_posts(class: &str, headings: bool) -> String {
        [
            ("11:20", "Bridge closed", "The coast road bridge has been closed to all traffic after waves broke over the parapet, police said."),
            ("09:05", "Power cuts", "About twelve thousand homes are without power, the grid operator said, and engineers cannot reach some lines until the wind drops."),
            ("07:10", "Schools shut", "All schools in the county are closed today, the education department said in a statement on its website."),
        ]
        .iter()
        .map(|(time, heading, text)| {
            let heading = if headings { format!("<h2>{heading}</h2>") } else { String::new() };
            format!("<article class=\"{class}\"><time>{time}</time>{heading}<p>{text}</p></article>")
        })
        .collect()
    }

    #[test]
    fn key_points_over_a_live_blogs_posts_are_the_articles() {
        let summary = "<div class=\"live-summary\"><h2>Key points</h2><ul>\
            <li>Thousands of homes are without power along the coast</li>\
            <li>The coast road bridge has been closed to all traffic</li>\
            <li>All schools in the county are closed today</li></ul></div>";
        for container in ["live-feed", "story", "updates"] {
            for class in ["post", "entry", "live-post", "p", "item", "update"] {
                for headings in [false, true] {
                    let posts = live_posts(class, headings);
                    let got = texts(
                        "Storm Ida live: power cuts and flooding",
                        &format!(
                            "<main><h1>Storm Ida live: power cuts and flooding</h1>{summary}\
                             <div class=\"{container}\">{posts}</div></main>"
                        ),
                    );
                    let case = format!("{container} {class} {headings}");
                    assert_eq!(got[0], "Key points", "{case}: {got:?}");
                    assert_eq!(
                        got[1], "Thousands of homes are without power along the coast",
                        "{case}: {got:?}"
                    );
                    assert!(
                        got.iter().any(|t| t.contains("statement on its website")),
                        "{case}: {got:?}"
                    );
                }
            }
        }
        // Nor does it matter whether the page wraps its story at all.
        let got = texts(
            "Storm Ida live: power cuts and flooding",
            &format!(
                "<h1>Storm Ida live: power cuts and flooding</h1>{summary}{}",
                live_posts("post", false)
            ),
        );
        assert_eq!(got[0], "Key points", "{got:?}");
        assert_eq!(got.len(), 7, "{got:?}");
        // A list of links above the posts is no summary of them.
        let got = texts(
            "Storm Ida live: power cuts and flooding",
            &format!(
                "<main><h1>Storm Ida live: power cuts and flooding</h1>\
                 <div><h2>More on the storm</h2><ul>\
                 <li><a href=\"/a\">What the storm means for your home insurance</a></li>\
                 <li><a href=\"/b\">How to report a power cut in your street</a></li></ul></div>\
                 <div class=\"live-feed\">{}</div></main>",
                live_posts("post", false)
            ),
        );
        assert!(got.iter().all(|t| !t.contains("power cut in")), "{got:?}");
    }

    #[test]
    fn readers_comments_are_left_out_however_short_the_story() {
        let story = "<p>Three homes on Mill Lane were flooded overnight after heavy rain overwhelmed the drains.</p>\
            <p>The county council said engineers would inspect the culvert under the lane on Wednesday.</p>\
            <p>Residents say they have asked for the culvert to be replaced since 2019.</p>";
        let comment = |n: u32| {
            format!(
                "<li class=\"comment depth-1\" id=\"comment-{n}\"><article class=\"comment-body\">\
                 <div class=\"comment-author\"><b>Reader {n}</b> says:</div>\
                 <div class=\"comment-content\"><p>Comment {n}: the culvert was last cleared years ago, according to the council's own minutes, and nobody has answered since.</p></div>\
                 </article></li>"
            )
        };
        let comments: String = (1..=6).map(comment).collect();
        for markup in [
            format!(
                "<div id=\"comments\" class=\"comments-area\"><h2 class=\"comments-title\">6 thoughts on this story</h2>\
                 <ol class=\"comment-list\">{comments}</ol></div>"
            ),
            format!("<section class=\"article-comments\"><ul>{comments}</ul></section>"),
            format!("<div id=\"disqus_thread\"><ul>{comments}</ul></div>"),
        ] {
            let got = texts(
                "Mill Lane flooded again",
                &format!(
                    "<main><article><h1>Mill Lane flooded again</h1><div class=\"entry-content\">{story}</div></article>{markup}</main>"
                ),
            );
            assert_eq!(got.len(), 3, "{markup}: {got:?}");
        }
        // A wrapper whose class says the page takes comments, and a
        // column of commentary, are the article.
        for wrapper in ["post comments-open", "commentary-body"] {
            let got = texts(
                "Mill Lane flooded again",
                &format!("<h1>Mill Lane flooded again</h1><div class=\"{wrapper}\">{story}</div>"),
            );
            assert_eq!(got.len(), 3, "{wrapper}: {got:?}");
        }
    }

    #[test]
    fn pull_quotes_are_left_out_in_every_markup_and_quotes_stay() {
        let quote = "<p>Today we correct a wrong that has lasted far too long.</p>\
                     <cite>Karin Öberg, museum director</cite>";
        let body = |middle: &str| {
            texts(
                "Museum returns bronze statues",
                &format!(
                    "<article><h1>Museum returns bronze statues</h1><div class=\"entry-content\">\
                     <p>The national museum handed back eleven bronze statues to a delegation from Benin on Monday.</p>\
                     <p>\"Today we correct a wrong that has lasted far too long,\" the museum's director, Karin Öberg, said.</p>\
                     {middle}\
                     <p>The statues will go on display in a new museum in Abomey that is due to open next year.</p>\
                     </div></article>"
                ),
            )
        };
        for markup in [
            format!(
                "<figure class=\"wp-block-pullquote\"><blockquote>{quote}</blockquote></figure>"
            ),
            format!("<blockquote class=\"wp-block-pullquote\">{quote}</blockquote>"),
            format!("<blockquote class=\"pullquote alignright\">{quote}</blockquote>"),
            format!("<div class=\"pull-quote\">{quote}</div>"),
            format!("<aside class=\"pullquote\">{quote}</aside>"),
            format!("<div class=\"c-article__pull_quote\"><blockquote>{quote}</blockquote></div>"),
        ] {
            let got = body(&markup);
            assert_eq!(got.len(), 3, "{markup}: {got:?}");
        }
        // A quote set large that the text does not give again is the text.
        let got = body(
            "<blockquote class=\"graf--pullquote pullquote\">Literally means actually: it says what really happened.</blockquote>",
        );
        assert!(
            got.iter().any(|t| t.starts_with("Literally means")),
            "{got:?}"
        );
        // A quoted source stays.
        let got = body(
            "<blockquote><p>The statues were taken in 1892 and have been in the museum's store since 1911, the report found.</p></blockquote>",
        );
        assert!(got.iter().any(|t| t.contains("taken in 1892")), "{got:?}");
    }
}

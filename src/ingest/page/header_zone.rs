//! What lies between a page's headline and its article's text when the
//! search ([`super::content`]) chose the text alone, as it does on pages
//! that set the story's header apart from its body (`<div
//! class="story"><h1>…</h1><p>By Lars Berg</p><p>December 4, 2026</p>`,
//! then `<div class="story-text">…`): the header's elements ([`between`]), read by
//! [`super::blocks`] for their bylines and date lines only, and a
//! standfirst set as a heading under the headline ([`deck`]), which is the
//! article's first paragraph.

use html5ever::local_name;

use super::dom::{Dom, NodeId};
use super::signals;
use crate::ingest::date::read_date_line;
use crate::ingest::dump::opens_byline;
use crate::normalize::{clean_text, fold};

/// The page's headline element: the `h1` whose text is the headline
/// `title` (folded), else the page's only `h1`.
pub fn headline(dom: &Dom, title: Option<&str>) -> Option<NodeId> {
    let h1s: Vec<NodeId> = dom
        .elements_named(&local_name!("h1"))
        .map(|(id, _)| id)
        .collect();
    let title = title.map(fold);
    h1s.iter()
        .copied()
        .find(|&h| title.as_deref() == Some(fold(&dom.text_of(h)).as_str()))
        .or_else(|| (h1s.len() == 1).then(|| h1s[0]))
}

/// The elements after `headline` and before the first of `roots` (in
/// document order), none of them holding a root: the article's header,
/// when the roots leave it out. None when the headline is inside a root
/// or after the first.
pub fn between(dom: &Dom, headline: NodeId, roots: &[NodeId]) -> Vec<NodeId> {
    let Some(&first) = roots.first() else {
        return Vec::new();
    };
    let inside = |id: NodeId, of: NodeId| id > of && id < dom.subtree_end(of);
    if headline >= first || roots.iter().any(|&r| inside(headline, r)) {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let mut at = dom.subtree_end(headline);
    while at < first {
        if inside(first, at) {
            at += 1;
            continue;
        }
        if dom.element(at).is_some() {
            parts.push(at);
        }
        at = dom.subtree_end(at);
    }
    parts
}

/// A standfirst set as a heading right under the headline (Arc's
/// `h2.c-subheadline`, WordPress's `entry-subtitle`, Substack's
/// `h3.subtitle`): inside one of `parts` (the header, [`between`], or the
/// article's text when the headline is in it), the `h2`–`h6` whose text
/// is the first the page shows after the headline's, a sentence's length
/// (six words or more, 40 to 400 characters) with no link, no byline or
/// date line, shown to every reader.
pub fn deck(dom: &Dom, headline: NodeId, parts: &[NodeId]) -> Option<NodeId> {
    let first_text = (dom.subtree_end(headline)..dom.len() as NodeId).find(|&n| {
        dom.text(n)
            .is_some_and(|t| t.chars().any(char::is_alphanumeric))
            && !dom.ancestors(n).any(|a| {
                dom.element(a)
                    .is_some_and(|e| signals::never_content(&e.name))
            })
    })?;
    let heading = dom
        .ancestors(first_text)
        .find(|&a| dom.name(a).is_some_and(signals::is_heading))?;
    let within = |part: NodeId| heading >= part && heading < dom.subtree_end(part);
    if dom.is(heading, &local_name!("h1")) || !parts.iter().any(|&p| within(p)) {
        return None;
    }
    let shown = dom.ancestors(heading).all(|a| {
        dom.element(a).is_none_or(|e| {
            !signals::hidden(e) && !signals::screen_reader_only(e) && !signals::furniture_role(e)
        })
    });
    let linked = dom
        .descendants(heading)
        .any(|n| dom.element(n).is_some_and(signals::is_link));
    let text = clean_text(&dom.text_of(heading));
    let (words, chars) = (text.split_whitespace().count(), text.chars().count());
    (shown
        && !linked
        && words >= 6
        && (40..=400).contains(&chars)
        && !text.ends_with(':')
        && !opens_byline(&text)
        && read_date_line(&text).is_none())
    .then_some(heading)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<div class=\"article-body\"><p>Riverside will spend $40 million over the next five years.</p></div>";

    fn page(header: &str) -> (Dom, Option<NodeId>) {
        let dom = Dom::parse(&format!(
            "<article><h1>City to spend $40 million on pipes</h1>{header}{BODY}</article>"
        ));
        let h1 = headline(&dom, Some("City to spend $40 million on pipes")).expect("an h1");
        let body = (0..dom.len() as NodeId)
            .find(|&n| dom.element(n).and_then(|e| e.attr("class")) == Some("article-body"))
            .expect("a body");
        let parts = between(&dom, h1, &[body]);
        let found = deck(&dom, h1, &parts);
        (dom, found)
    }

    #[test]
    fn a_sentence_set_as_a_heading_under_the_headline_is_its_deck() {
        for header in [
            "<h2 class=\"c-subheadline\">About 11,000 homes still get their water through lead lines</h2>",
            "<header><h3 class=\"subtitle\">Three timetables in six weeks. Here is what is going on.</h3></header>",
            "<h2>About 11,000 homes still get their water through lead lines</h2><p>By Ana Ruiz</p>",
        ] {
            let (dom, found) = page(header);
            let found = found.map(|h| clean_text(&dom.text_of(h)));
            assert!(
                found.is_some_and(|t| t.split_whitespace().count() >= 6),
                "{header}"
            );
        }
    }

    #[test]
    fn a_short_linked_or_later_heading_is_no_deck() {
        for header in [
            "<h2>Key points</h2>",
            "<h2><a href=\"/pipes\">More on the lead pipe plan from our reporters</a></h2>",
            "<p>By Ana Ruiz</p><h2>About 11,000 homes still get their water through lead lines</h2>",
            "<h2 class=\"visually-hidden\">About 11,000 homes still get their water through lead lines</h2>",
        ] {
            assert_eq!(page(header).1, None, "{header}");
        }
    }

    #[test]
    fn the_header_is_what_lies_between_the_headline_and_the_first_root() {
        let dom = Dom::parse(
            "<div class=\"story\"><h1>Tram depot approved</h1><p>By Lars Berg</p><p>December 4, 2026</p>\
             <div class=\"story-text\"><p>Planners have approved a new tram depot.</p></div></div>",
        );
        let h1 = headline(&dom, None).expect("the only h1");
        let body = (0..dom.len() as NodeId)
            .find(|&n| dom.element(n).and_then(|e| e.attr("class")) == Some("story-text"))
            .expect("a body");
        let parts: Vec<String> = between(&dom, h1, &[body])
            .into_iter()
            .map(|p| clean_text(&dom.text_of(p)))
            .collect();
        assert_eq!(parts, ["By Lars Berg", "December 4, 2026"]);
        // A headline inside the root has no header apart.
        let story = (0..dom.len() as NodeId)
            .find(|&n| dom.element(n).and_then(|e| e.attr("class")) == Some("story"))
            .expect("a story");
        assert!(between(&dom, h1, &[story]).is_empty());
    }
}

//! What lies between a page's headline and its article's text when the
//! search ([`super::content`]) chose the text alone, as it does on pages
//! that set the story's header apart from its body (`<div
//! class="story"><h1>…</h1><p>By Lars Berg</p><p>December 4, 2026</p>`,
//! then `<div class="story-text">…`): the header's elements ([`between`]), read by
//! [`super::blocks`] for their bylines and date lines only, and a
//! standfirst under the headline ([`deck`]), which is the article's first
//! paragraph. When a root holds the headline, the short lines above it (a
//! kicker, a section label) are the header's too ([`above`]).

use html5ever::local_name;

use super::dom::{Dom, NodeId};
use super::signals;
use crate::ingest::date::read_date_line;
use crate::ingest::dump::opens_byline;
use crate::normalize::{clean_text, fold};

/// The page's headline element: the `h1` whose text (a label before it
/// aside: `LIVE`) is the headline `title` (folded), else the page's only
/// `h1`.
pub fn headline(dom: &Dom, title: Option<&str>) -> Option<NodeId> {
    let h1s: Vec<NodeId> = dom
        .elements_named(&local_name!("h1"))
        .map(|(id, _)| id)
        .collect();
    let title = title.map(fold);
    h1s.iter()
        .copied()
        .find(|&h| title.as_deref() == Some(fold(&super::metadata::without_label(dom, h)).as_str()))
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

/// The elements of the root that holds `headline` above it, when one of
/// `roots` does: each outermost element that ends before the headline
/// and holds a line of [`MAX_ABOVE_WORDS`] words at most and no picture
/// (a kicker, `<h2 class="kicker">Rail strike</h2>`, a section label, a
/// date line), the article's header as [`between`]'s elements are, never
/// its text. A longer element or one with a picture stays the root's.
pub fn above(dom: &Dom, headline: NodeId, roots: &[NodeId]) -> Vec<NodeId> {
    let inside = |id: NodeId, of: NodeId| id > of && id < dom.subtree_end(of);
    let Some(&root) = roots.iter().find(|&&r| inside(headline, r)) else {
        return Vec::new();
    };
    let pictured = |id: NodeId| {
        (id..dom.subtree_end(id)).any(|n| {
            dom.name(n).is_some_and(|name| {
                matches!(
                    *name,
                    local_name!("img")
                        | local_name!("picture")
                        | local_name!("figure")
                        | local_name!("noscript")
                        | local_name!("video")
                        | local_name!("iframe")
                ) || &**name == "amp-img"
            })
        })
    };
    let mut parts = Vec::new();
    let mut at = root + 1;
    while at < headline {
        if inside(headline, at) {
            at += 1;
            continue;
        }
        let words = dom.text_of(at).split_whitespace().count();
        if dom.element(at).is_some() && (1..=MAX_ABOVE_WORDS).contains(&words) && !pictured(at) {
            parts.push(at);
        }
        at = dom.subtree_end(at);
    }
    parts
}

/// Most words of an element above the headline read as the header's
/// ([`above`]): a kicker or a date line, never a paragraph of the text.
pub const MAX_ABOVE_WORDS: usize = 12;

/// A standfirst right under the headline: inside one of `parts` (the
/// header, [`between`], or the article's text when the headline is in it),
/// the `h2`–`h6` (Arc's `h2.c-subheadline`, WordPress's `entry-subtitle`,
/// Substack's `h3.subtitle`) or the paragraph, not left out (`left_out`)
/// nor in a figure, quote, list or table (`<p class="dek">`, `<div
/// class="standfirst"><p>…</p></div>`), whose text is the first the page
/// shows after the headline's, a sentence's length (six words or more, 40
/// to 400 characters) with no link, no byline or date line, shown to every
/// reader.
pub fn deck(dom: &Dom, headline: NodeId, parts: &[NodeId], left_out: &[bool]) -> Option<NodeId> {
    let first_text = (dom.subtree_end(headline)..dom.len() as NodeId).find(|&n| {
        dom.text(n)
            .is_some_and(|t| t.chars().any(char::is_alphanumeric))
            && !dom.ancestors(n).any(|a| {
                dom.element(a)
                    .is_some_and(|e| signals::never_content(&e.name))
            })
    })?;
    let holder = dom.ancestors(first_text).find(|&a| {
        dom.name(a)
            .is_some_and(|name| signals::is_heading(name) || *name == local_name!("p"))
    })?;
    let within = |part: NodeId| holder >= part && holder < dom.subtree_end(part);
    if dom.is(holder, &local_name!("h1")) || !parts.iter().any(|&p| within(p)) {
        return None;
    }
    let paragraph = dom.is(holder, &local_name!("p"));
    let set_apart = dom.ancestors(holder).any(|a| {
        matches!(
            dom.name(a),
            Some(
                &local_name!("figure")
                    | &local_name!("figcaption")
                    | &local_name!("blockquote")
                    | &local_name!("li")
                    | &local_name!("table")
            )
        )
    });
    let in_a_box_left_out = dom.ancestors(holder).any(|a| left_out[a as usize]);
    if paragraph && (in_a_box_left_out || set_apart) {
        return None;
    }
    let shown = dom.ancestors(holder).all(|a| {
        dom.element(a).is_none_or(|e| {
            !signals::hidden(e) && !signals::screen_reader_only(e) && !signals::furniture_role(e)
        })
    });
    let linked = dom
        .descendants(holder)
        .any(|n| dom.element(n).is_some_and(signals::is_link));
    let text = clean_text(&dom.text_of(holder));
    let (words, chars) = (text.split_whitespace().count(), text.chars().count());
    (shown
        && !linked
        && words >= 6
        && (40..=400).contains(&chars)
        && !text.ends_with(':')
        && !opens_byline(&text)
        && !signals::boilerplate_text(&text)
        && read_date_line(&text).is_none())
    .then_some(holder)
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
        let found = deck(&dom, h1, &parts, &vec![false; dom.len()]);
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
    fn a_sentence_in_a_paragraph_under_the_headline_is_its_deck() {
        let dek = "About 11,000 homes still get their water through lead lines";
        for header in [
            format!("<p class=\"dek\">{dek}</p><p>By Ana Ruiz</p>"),
            format!("<div class=\"standfirst\"><p>{dek}</p></div><address>Ana Ruiz</address>"),
            format!("<header><p>{dek}</p></header>"),
        ] {
            let (dom, found) = page(&header);
            assert_eq!(
                found.map(|p| clean_text(&dom.text_of(p))).as_deref(),
                Some(dek),
                "{header}"
            );
        }
    }

    #[test]
    fn a_byline_caption_quote_or_short_line_under_the_headline_is_no_deck() {
        for header in [
            "<p>By Ana Ruiz, city hall reporter for the Riverside Courier</p>",
            "<figure><img src=\"pipes.jpg\"><figcaption><p>Workers replace a lead line on Elm Street last spring</p></figcaption></figure>",
            "<blockquote><p>We have waited far too long for these pipes to go</p></blockquote>",
            "<p>Updated 4 December 2026</p>",
            "<p><a href=\"/pipes\">Read more about the lead pipe plan from our reporters</a></p>",
        ] {
            assert_eq!(page(header).1, None, "{header}");
        }
        // A paragraph the search left out (a newsletter box) is no deck, nor
        // is one inside a box it left out.
        let deck_with_signup_left_out = |signup: &str| {
            let dom = Dom::parse(&format!(
                "<article><h1>City to spend $40 million on pipes</h1>{signup}{BODY}</article>"
            ));
            let h1 = headline(&dom, None).expect("the only h1");
            let article = (0..dom.len() as NodeId)
                .find(|&n| dom.is(n, &local_name!("article")))
                .expect("an article");
            let left_out: Vec<bool> = (0..dom.len() as NodeId)
                .map(|n| dom.element(n).and_then(|e| e.attr("class")) == Some("signup"))
                .collect();
            deck(&dom, h1, &[article], &left_out)
        };
        for signup in [
            "<p class=\"signup\">Get the morning briefing on your city delivered to your inbox</p>",
            "<div class=\"signup\"><p>Get the morning briefing on your city delivered to your inbox</p>\
             <form><input type=\"email\"></form></div>",
        ] {
            assert_eq!(deck_with_signup_left_out(signup), None, "{signup}");
        }
        // Nor is a call to sign up.
        let (_, found) =
            page("<p>Sign up for our newsletter to get the morning briefing every day</p>");
        assert_eq!(found, None);
    }

    #[test]
    fn short_lines_above_the_headline_in_the_root_are_its_header() {
        let dom = Dom::parse(
            "<article><header><span class=\"kicker\">Rail strike</span><h2 class=\"topic\">Transport</h2>\
             <figure><img src=\"depot.jpg\"><figcaption>The depot</figcaption></figure>\
             <p>A paragraph long enough to be the text of the story, set above its headline by the page.</p>\
             <h1>Tram depot approved</h1><p>Planners have approved a new tram depot.</p></header></article>",
        );
        let h1 = headline(&dom, None).expect("the only h1");
        let article = (0..dom.len() as NodeId)
            .find(|&n| dom.is(n, &local_name!("article")))
            .expect("an article");
        let parts: Vec<String> = above(&dom, h1, &[article])
            .into_iter()
            .map(|p| clean_text(&dom.text_of(p)))
            .collect();
        assert_eq!(parts, ["Rail strike", "Transport"]);
        // A headline outside the roots has nothing above it in them.
        let text = (0..dom.len() as NodeId)
            .rev()
            .find(|&n| dom.is(n, &local_name!("p")))
            .expect("a paragraph");
        assert!(above(&dom, h1, &[text]).is_empty());
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

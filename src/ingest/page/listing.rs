//! Pages that list stories instead of telling one: a tag page, a section
//! front. Such a page is made of cards, each a heading that is wholly a
//! link to another page of the site, with a short teaser under it; the
//! paragraphs of its cards hold at least as much text as every other
//! paragraph of the page. An article that ends with a few linked headings
//! (more on the story) is no listing: its own text outweighs theirs, and a
//! box of them marked as related, a sidebar or a menu is not counted.

use html5ever::local_name;
use url::Url;

use super::dom::{Dom, NodeId, is_heading};
use super::signals;

/// Fewest cards a listing has.
const MIN_CARDS: usize = 3;

/// Most letters in the paragraphs of one card: a longer text is a part of
/// an article under a linked heading, not a teaser.
const MAX_TEASER_LETTERS: usize = 400;

/// Whether the page is a listing of other stories (see the module), its
/// links resolved against `base` (the page's URL, else its canonical link).
pub fn is_listing(dom: &Dom, base: Option<&Url>) -> bool {
    let headings: Vec<NodeId> = (0..dom.len() as NodeId)
        .filter(|&id| {
            dom.name(id)
                .is_some_and(|n| is_heading(n) && *n != local_name!("h1"))
                && !furniture(dom, id)
                && links_elsewhere(dom, id, base)
        })
        .collect();
    if headings.len() < MIN_CARDS {
        return false;
    }
    let cards: Vec<(NodeId, NodeId)> = headings
        .iter()
        .map(|&h| card(dom, h, &headings))
        .map(|c| (c, dom.subtree_end(c)))
        .collect();
    let mut inside = vec![0; cards.len()];
    let mut outside = 0;
    for (id, _) in dom.elements_named(&local_name!("p")) {
        if furniture(dom, id) {
            continue;
        }
        let count = letters(&dom.text_of(id));
        match cards.iter().position(|&(c, end)| c < id && id < end) {
            Some(i) => inside[i] += count,
            None => outside += count,
        }
    }
    let teasers: usize = inside.iter().sum();
    teasers > 0 && teasers >= outside && inside.iter().all(|&l| l <= MAX_TEASER_LETTERS)
}

/// Whether `id` is in the page's furniture: a `nav`, `aside` or `footer`,
/// or a box whose class or id says it is no content (related stories, a
/// sidebar, a menu).
fn furniture(dom: &Dom, id: NodeId) -> bool {
    dom.ancestors(id).any(|a| {
        dom.element(a).is_some_and(|e| {
            let names = signals::names(e);
            matches!(
                e.name,
                local_name!("nav") | local_name!("aside") | local_name!("footer")
            ) || (e.name != local_name!("body")
                && e.name != local_name!("html")
                && signals::unlikely(&names)
                && !signals::maybe_content(&names))
        })
    })
}

/// Whether the heading `id` is wholly a link to another page of the site:
/// inside one, or all its text in links.
fn links_elsewhere(dom: &Dom, id: NodeId, base: Option<&Url>) -> bool {
    let elsewhere = |a: NodeId| {
        dom.element(a).is_some_and(|e| {
            signals::is_link(e) && e.attr("href").is_some_and(|h| other_page(h, base))
        })
    };
    if dom.ancestors(id).skip(1).any(elsewhere) {
        return true;
    }
    let text = letters(&dom.text_of(id));
    let linked: usize = dom
        .descendants(id)
        .filter(|&n| elsewhere(n))
        .map(|n| letters(&dom.text_of(n)))
        .sum();
    text > 0 && linked == text
}

/// Whether `href` leads to another page of the page's site: relative (not
/// to a place on the page itself), or on the host of `base`.
fn other_page(href: &str, base: Option<&Url>) -> bool {
    let href = href.trim();
    if href.starts_with('#') {
        return false;
    }
    let host = |url: &Url| {
        url.host_str()
            .map(|h| h.trim_start_matches("www.").to_string())
    };
    match (Url::parse(href), base) {
        (Ok(url), Some(base)) => {
            let mut page = base.clone();
            page.set_fragment(None);
            let mut target = url;
            target.set_fragment(None);
            host(&target) == host(base) && target != page
        }
        (Ok(_), None) => false,
        (Err(_), Some(base)) => base.join(href).is_ok_and(|target| {
            let (mut target, mut page) = (target, base.clone());
            target.set_fragment(None);
            page.set_fragment(None);
            target != page
        }),
        (Err(_), None) => !href.starts_with("//"),
    }
}

/// The card of the linked heading `heading`: its highest ancestor below
/// the `body` that holds no other of the page's linked `headings`.
fn card(dom: &Dom, heading: NodeId, headings: &[NodeId]) -> NodeId {
    let mut card = heading;
    for a in dom.ancestors(heading).skip(1) {
        let top = dom
            .name(a)
            .is_none_or(|n| *n == local_name!("body") || *n == local_name!("html"));
        let end = dom.subtree_end(a);
        if top || headings.iter().any(|&h| h != heading && a < h && h < end) {
            break;
        }
        card = a;
    }
    card
}

/// The letters and digits of `text`.
fn letters(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(html: &str) -> bool {
        is_listing(&Dom::parse(html), None)
    }

    fn card(heading: &str, teaser: &str) -> String {
        format!("<article class=\"card\">{heading}<p>{teaser}</p></article>")
    }

    const TEASER: &str = "Ferry crews walked out at dawn on Wednesday, halting all crossings to the islands for the day.";

    const PARAGRAPH: &str = "The council voted on Monday to approve the long-delayed harbour expansion plan, ending a year-long dispute with the fishing cooperatives over the protected quay and the berths.";

    #[test]
    fn a_page_of_teasers_under_linked_headings_is_a_listing() {
        let cards: String = (1..=3)
            .map(|n| {
                card(
                    &format!("<h3><a href=\"/news/{n}\">Story {n}</a></h3>"),
                    TEASER,
                )
            })
            .collect();
        let tag = format!("<main><h1>Ferries</h1><p>All our coverage.</p>{cards}</main>");
        assert!(listing(&tag));
        let wrapped: String = (1..=4)
            .map(|n| {
                format!("<a href=\"/news/{n}\"><div><h2>Story {n}</h2><p>{TEASER}</p></div></a>")
            })
            .collect();
        assert!(listing(&format!("<main><h1>News</h1>{wrapped}</main>")));
        let two: String = (1..=2)
            .map(|n| {
                card(
                    &format!("<h3><a href=\"/news/{n}\">Story {n}</a></h3>"),
                    TEASER,
                )
            })
            .collect();
        assert!(!listing(&two), "two teasers are no listing");
    }

    #[test]
    fn an_article_with_linked_headings_is_no_listing() {
        let story: String = (0..4).map(|_| format!("<p>{PARAGRAPH}</p>")).collect();
        let more: String = (1..=3)
            .map(|n| {
                card(
                    &format!("<h3><a href=\"/news/{n}\">Story {n}</a></h3>"),
                    TEASER,
                )
            })
            .collect();
        assert!(
            !listing(&format!(
                "<article><h1>Harbour</h1>{story}</article><div>{more}</div>"
            )),
            "its own text outweighs the teasers"
        );
        let sections: String = (1..=3)
            .map(|n| {
                card(
                    &format!("<h2><a href=\"#part-{n}\">Part {n}</a></h2>"),
                    PARAGRAPH,
                )
            })
            .collect();
        assert!(!listing(&sections), "links to places on the page");
        let long: String = (1..=3)
            .map(|n| {
                card(
                    &format!("<h2><a href=\"/places/{n}\">Place {n}</a></h2>"),
                    &[PARAGRAPH; 3].join(" "),
                )
            })
            .collect();
        assert!(!listing(&long), "a text too long for a teaser");
        let related: String = (1..=3)
            .map(|n| {
                card(
                    &format!("<h3><a href=\"/news/{n}\">Story {n}</a></h3>"),
                    TEASER,
                )
            })
            .collect();
        assert!(
            !listing(&format!(
                "<article><h1>Harbour</h1><p>{PARAGRAPH}</p></article><div class=\"related-stories\">{related}</div>"
            )),
            "a related box is not counted"
        );
        let base = Url::parse("https://harbour.example/guides/best-cafes").unwrap();
        let outside: String = (1..=3)
            .map(|n| {
                card(
                    &format!("<h2><a href=\"https://cafe{n}.example/\">Cafe {n}</a></h2>"),
                    TEASER,
                )
            })
            .collect();
        assert!(
            !is_listing(&Dom::parse(&outside), Some(&base)),
            "links to other sites (a guide's places)"
        );
    }

    #[test]
    fn a_tag_page_read_as_an_article_page_has_no_article() {
        let cards: String = (1..=3)
            .map(|n| {
                card(
                    &format!("<h3><a href=\"/news/{n}\">Story {n}</a></h3><time datetime=\"2026-11-0{n}T06:00:00Z\">{n} Nov</time>"),
                    TEASER,
                )
            })
            .collect();
        let html = format!(
            "<html><head><title>Ferries | Westport Herald</title></head><body>\
             <main><h1>Ferries</h1><p>All our coverage of the island ferries.</p>\
             <ul><li>{cards}</li></ul></main></body></html>"
        );
        let source = super::super::PageSource {
            location: "scraped/tag-ferries.html",
            ..Default::default()
        };
        assert_eq!(
            super::super::extract(html.as_bytes(), &source).map(|p| p.article.title),
            Err(super::super::PageError::NoArticle {
                location: "scraped/tag-ferries.html".into()
            })
        );
    }
}

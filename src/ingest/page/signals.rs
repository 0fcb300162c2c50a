//! The general signals a page's elements are judged by: what their tag is,
//! what their `class` and `id` say (words such as `article`, `content` and
//! `story` for, `comment`, `share`, `newsletter` and `sidebar` against),
//! whether they are hidden, what role they play, and the per-element text
//! statistics (text length, link text, commas) the scoring works from.

use std::sync::OnceLock;

use html5ever::{LocalName, local_name};
use regex::Regex;

use crate::furniture::reading_time;

use super::dom::{Dom, Element, NodeData, NodeId};

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("the pattern is valid"))
}

/// Class or id words of page furniture: comments, menus, share rails,
/// newsletter and cookie boxes, related and most-read lists.
pub fn unlikely(names: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    regex(
        &CELL,
        r"-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|cookie|consent|subscribe|signup|sign-up|most-?read|mostpopular|most-popular|trending|outbrain|taboola|recirc|share|paywall|promo",
    )
    .is_match(names)
}

/// Class or id words of boxes that are never the article's text whatever
/// the search leaves in: share rails, newsletter, subscription, paywall,
/// promotion and cookie boxes, recommendation widgets, a blog's
/// related-posts box (`jp-relatedposts`, `related-posts`), ad slots
/// (`ad`, `ads`, `advert…`, `sponsor…`) and breadcrumb trails (so named,
/// or labelled so for screen readers). Read word by word (`share-tools`,
/// `newsletter_box`, `ad-slot`, not `shared`, `add` or `address`), and
/// from an `id` only when it is short: a long one is a heading's slug
/// (`getting-into-trouble-with-shared-history`), naming a section's
/// subject.
pub fn boilerplate_box(element: &Element) -> bool {
    /// Whole words: an ad slot's class is `ad`, `ads`, `gpt-ad`.
    const EXACT: &[&str] = &["ad", "ads"];
    /// Related-posts boxes blog plugins add under a post (Jetpack's
    /// `jp-relatedposts`, YARPP's, Contextual Related Posts').
    const RELATED_POSTS: &[&str] = &[
        "relatedposts",
        "related-posts",
        "related_posts",
        "yarpp-related",
        "crp_related",
    ];
    const WORDS: &[&str] = &[
        "advert",
        "sponsor",
        "adslot",
        "adunit",
        "adsbygoogle",
        "breadcrumb",
        "share",
        "sharing",
        "newsletter",
        "subscri",
        "signup",
        "paywall",
        "promo",
        "outbrain",
        "taboola",
        "cookie",
        "consent",
        "gdpr",
    ];
    let says = |value: &str| {
        let value = value.to_ascii_lowercase();
        value.contains("sign-up")
            || RELATED_POSTS.iter().any(|plugin| value.contains(plugin))
            || value
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| {
                    EXACT.contains(&word)
                        || (word != "shared" && WORDS.iter().any(|w| word.starts_with(w)))
                })
    };
    element
        .attr("aria-label")
        .is_some_and(|label| label.to_ascii_lowercase().contains("breadcrumb"))
        || element.attr("class").is_some_and(says)
        || element
            .attr("id")
            .is_some_and(|id| id.split(['-', '_']).count() <= 3 && says(id))
}

/// Whether the element's class or id names a box of readers' comments
/// (WordPress's `div#comments.comments-area`, `ol.comment-list`,
/// `li.comment`, Disqus's `#disqus_thread`): one of its words is
/// `comment`, `comments`, `commentlist` or `disqus`, unless the class
/// only says whether the page takes comments (`comments-open`,
/// `has-comments`), as some themes mark the wrapper of the whole page.
/// `commentary` names a column, not comments.
pub fn comments_box(element: &Element) -> bool {
    const BOX: &[&str] = &["comment", "comments", "commentlist", "disqus"];
    const STATE: &[&str] = &["open", "closed", "enabled", "disabled", "has", "no"];
    let says = |token: &str| {
        let token = token.to_ascii_lowercase();
        let words: Vec<&str> = token
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        words.iter().any(|w| BOX.contains(w)) && !words.iter().any(|w| STATE.contains(w))
    };
    element
        .attr("class")
        .is_some_and(|class| class.split_whitespace().any(says))
        || element.attr("id").is_some_and(says)
}

/// Whether the element's class or id names a box about the article's
/// author, as themes print one under the post (WordPress's
/// `div.author-info` around `.author-description` and `p.author-bio`,
/// `author-box`, `about-the-author`, `author-card`): one of its class
/// words, or its id, read without its hyphens and underscores, holds
/// `authorbio`, `authorbox`, `aboutauthor`, `abouttheauthor`,
/// `authorabout`, `authordescription`, `authorinfo`, `authorcard` or
/// `authorprofile`. Some pages name the byline above the story so too:
/// only a box after the text is the author's bio.
pub fn author_bio_box(element: &Element) -> bool {
    const WORDS: &[&str] = &[
        "authorbio",
        "authorbox",
        "aboutauthor",
        "abouttheauthor",
        "authorabout",
        "authordescription",
        "authorinfo",
        "authorcard",
        "authorprofile",
    ];
    let says = |token: &str| {
        let squashed: String = token
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        WORDS.iter().any(|w| squashed.contains(w))
    };
    element
        .attr("class")
        .is_some_and(|class| class.split_whitespace().any(says))
        || element.attr("id").is_some_and(says)
}

/// Class or id words that may hold the article even when [`unlikely`]
/// matches too (`article-header`, `main-column`).
pub fn maybe_content(names: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    regex(
        &CELL,
        r"and|article|body|column|content|main|mathjax|shadow",
    )
    .is_match(names)
}

/// Class and id words for the article, +25 each, and against it, -25.
pub fn class_weight(element: &Element) -> f32 {
    static POSITIVE: OnceLock<Regex> = OnceLock::new();
    static NEGATIVE: OnceLock<Regex> = OnceLock::new();
    let positive = regex(
        &POSITIVE,
        r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story",
    );
    let negative = regex(
        &NEGATIVE,
        r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|newsletter|subscribe|signup|most-?read|popular|trending|cookie|consent|byline|author|caption|credit",
    );
    let mut weight = 0.0;
    for attr in ["class", "id"] {
        if let Some(value) = element.attr(attr) {
            let value = value.to_ascii_lowercase();
            if negative.is_match(&value) {
                weight -= 25.0;
            }
            if positive.is_match(&value) {
                weight += 25.0;
            }
        }
    }
    weight
}

/// `class` and `id` together, lower-cased.
pub fn names(element: &Element) -> String {
    let mut out = String::new();
    for attr in ["class", "id"] {
        if let Some(value) = element.attr(attr) {
            out.push_str(&value.to_ascii_lowercase());
            out.push(' ');
        }
    }
    out
}

/// Elements whose content is never article text.
pub fn never_content(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("svg")
            | local_name!("iframe")
            | local_name!("object")
            | local_name!("embed")
            | local_name!("canvas")
            | local_name!("button")
            | local_name!("select")
            | local_name!("input")
            | local_name!("textarea")
            | local_name!("nav")
            | local_name!("footer")
            | local_name!("aside")
            | local_name!("dialog")
            | local_name!("audio")
            | local_name!("video")
            | local_name!("map")
            | local_name!("head")
            | local_name!("title")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("menu")
            | local_name!("label")
            | local_name!("option")
    )
}

/// Hidden from readers: `hidden`, `aria-hidden="true"`, `display: none`,
/// `visibility: hidden`.
pub fn hidden(element: &Element) -> bool {
    if element.attr("hidden").is_some() {
        return true;
    }
    if element
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    element.attr("style").is_some_and(|style| {
        let squashed: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        squashed.contains("display:none") || squashed.contains("visibility:hidden")
    })
}

/// Shown to screen readers only: a class that the page's style sheet
/// takes off the screen (`visually-hidden`, `sr-only`,
/// `screen-reader-text`, Drupal's `element-invisible`, WordPress's
/// `assistive-text`). Such text labels what the eye sees (`Image caption,
/// `), and is no article text.
pub fn screen_reader_only(element: &Element) -> bool {
    const CLASSES: &[&str] = &[
        "visually-hidden",
        "visuallyhidden",
        "sr-only",
        "screen-reader",
        "screenreader",
        "element-invisible",
        "assistive-text",
    ];
    element.attr("class").is_some_and(|class| {
        class.split_whitespace().any(|word| {
            let word = word.to_ascii_lowercase();
            CLASSES.iter().any(|c| word.contains(c))
        })
    })
}

/// ARIA roles of page furniture.
pub fn furniture_role(element: &Element) -> bool {
    element.attr("role").is_some_and(|role| {
        matches!(
            role.trim().to_ascii_lowercase().as_str(),
            "navigation"
                | "menu"
                | "menubar"
                | "complementary"
                | "dialog"
                | "alertdialog"
                | "banner"
                | "contentinfo"
                | "search"
        )
    })
}

pub use super::dom::is_heading;

/// Elements that start a new block of text.
pub fn is_block(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("p")
                | local_name!("div")
                | local_name!("section")
                | local_name!("article")
                | local_name!("main")
                | local_name!("header")
                | local_name!("blockquote")
                | local_name!("pre")
                | local_name!("ul")
                | local_name!("ol")
                | local_name!("li")
                | local_name!("dl")
                | local_name!("dd")
                | local_name!("dt")
                | local_name!("table")
                | local_name!("thead")
                | local_name!("tbody")
                | local_name!("tfoot")
                | local_name!("tr")
                | local_name!("td")
                | local_name!("th")
                | local_name!("caption")
                | local_name!("figure")
                | local_name!("figcaption")
                | local_name!("address")
                | local_name!("hr")
                | local_name!("details")
                | local_name!("summary")
                | local_name!("center")
                | local_name!("form")
                | local_name!("fieldset")
                | local_name!("body")
                | local_name!("html")
        )
}

/// Per-node text statistics over the nodes that are not left out,
/// children folded into their parents.
#[derive(Debug, Clone)]
pub struct Stats {
    /// Characters of text, white space runs counted once.
    pub text: Vec<u32>,
    /// Characters of text inside links.
    pub link: Vec<u32>,
    pub commas: Vec<u32>,
    /// Whether any child element is a block.
    pub block_child: Vec<bool>,
    /// Elements of each kind inside (the node itself included).
    pub inside: Vec<Inside>,
}

/// How many elements of the kinds the cleaning weighs an element holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inside {
    pub p: u32,
    pub img: u32,
    pub li: u32,
    /// Characters of text in list items.
    pub li_text: u32,
    pub input: u32,
    pub headings: u32,
    pub embeds: u32,
}

impl Inside {
    fn add(&mut self, other: &Inside) {
        self.p += other.p;
        self.img += other.img;
        self.li += other.li;
        self.li_text += other.li_text;
        self.input += other.input;
        self.headings += other.headings;
        self.embeds += other.embeds;
    }
}

impl Stats {
    pub fn compute(dom: &Dom, left_out: &[bool]) -> Stats {
        let n = dom.len();
        let mut stats = Stats {
            text: vec![0; n],
            link: vec![0; n],
            commas: vec![0; n],
            block_child: vec![false; n],
            inside: vec![Inside::default(); n],
        };
        for id in (0..n).rev() {
            if left_out[id] {
                continue;
            }
            let node = &dom.nodes[id];
            match &node.data {
                NodeData::Text(t) => {
                    stats.text[id] = collapsed_len(t);
                    stats.commas[id] =
                        t.chars().filter(|c| matches!(c, ',' | '，' | '、')).count() as u32;
                }
                NodeData::Element(e) => {
                    if is_link(e) {
                        stats.link[id] = stats.text[id];
                    }
                    let inside = &mut stats.inside[id];
                    match e.name {
                        local_name!("p") => inside.p += 1,
                        local_name!("img") => inside.img += 1,
                        local_name!("li") => {
                            inside.li += 1;
                            inside.li_text += stats.text[id];
                        }
                        local_name!("input") | local_name!("select") | local_name!("textarea") => {
                            inside.input += 1
                        }
                        local_name!("embed") | local_name!("object") | local_name!("iframe") => {
                            inside.embeds += 1
                        }
                        ref name if is_heading(name) => inside.headings += 1,
                        _ => {}
                    }
                }
                NodeData::Document => {}
            }
            let Some(parent) = dom.parent(id as NodeId) else {
                continue;
            };
            let p = parent as usize;
            stats.text[p] += stats.text[id];
            stats.link[p] += stats.link[id];
            stats.commas[p] += stats.commas[id];
            let inside = stats.inside[id];
            stats.inside[p].add(&inside);
            if let NodeData::Element(e) = &node.data
                && is_block(&e.name)
            {
                stats.block_child[p] = true;
            }
        }
        stats
    }

    pub fn link_density(&self, id: NodeId) -> f32 {
        let text = self.text[id as usize];
        if text == 0 {
            0.0
        } else {
            self.link[id as usize] as f32 / text as f32
        }
    }
}

/// A link that leads somewhere: not `javascript:`, not empty, not `#`.
pub fn is_link(e: &Element) -> bool {
    e.name == local_name!("a")
        && e.attr("href").is_some_and(|h| {
            let h = h.trim_start();
            !h.is_empty() && !h.starts_with("javascript:") && h != "#"
        })
}

/// The length of `text` in characters once white space runs count as one.
fn collapsed_len(text: &str) -> u32 {
    let mut len = 0;
    let mut space = true;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                len += 1;
                space = true;
            }
        } else {
            len += 1;
            space = false;
        }
    }
    len
}

/// A heading that names a box of links to other stories: `More on this
/// story`, `See also`, `You may also like`.
pub fn names_links(heading: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    regex(
        &CELL,
        r"(?i)^(more (on|about) this (story|topic|subject)|see also|you (may|might) also (like|enjoy)|more stories|more (news|headlines)|further reading|elsewhere on \S+|in other news)\W*$",
    )
    .is_match(heading.trim())
}

/// Whether a paragraph is a newspaper's note on its print edition, set
/// under the story online: `A version of this article appears in print
/// on Dec. 5, 2026, Section A, Page 1 of the New York edition with the
/// headline: …`, perhaps with its links to reprints and the day's paper
/// (`Order Reprints | Today's Paper | Subscribe`).
pub fn print_edition_note(text: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    regex(
        &CELL,
        r"(?i)^an? (earlier |shorter )?version of this (article|story|review|column|essay|interview|obituary|piece|report) (appears|appeared) in print\b|\border reprints\s*\|\s*today['’]s paper\b",
    )
    .is_match(text.trim())
}

/// Words of page furniture in a short paragraph: calls to share, follow,
/// subscribe or read on, advertising labels, copyright lines, and the
/// article's toolbars: a reading or listening time (`4 min read`), an
/// audio player's clock (`0:00 / 4:12`), a like count (`1.2K`), gift
/// articles, and the placeholder a page shows until its script has drawn
/// the story (`Loading…`, `Loading article…`, `Please wait`).
pub fn boilerplate_text(text: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    let words = text.split_whitespace().count();
    if words > 14 {
        return false;
    }
    let furniture = regex(
        &CELL,
        r"(?i)^(advertisement|advertising|sponsored|ad)$|share (this|on|via)|^share$|sign up|subscribe|newsletter|follow us|click here|read more|^read next|^related( articles| stories| coverage|:)?|^more from|^recommended|all rights reserved|^copyright|^©|cookies?\b|^(image|photo|video) (source|caption)|^most (read|popular|viewed)|^trending|^listen to (this|the) article|^skip to|^(previous|next) (article|story|post)|^comments?\b|^leave a (comment|reply)|^tags?:|^topics?:|^filed under|^\d{1,2}:\d{2}(:\d{2})?\s*/\s*\d{1,2}:\d{2}(:\d{2})?$|^\d+([.,]\d+)?\s*[km]$|gift articles? to give|^gift (this|the) article|^(loading|please wait)(\s+(the\s+)?(article|story|content|page|post))?\s*(\.{1,3}|…)?$",
    );
    let text = text.trim();
    furniture.is_match(text) || reading_time(text)
}

/// Whether `text` tells the reader that what they asked for is not there,
/// as a site's "page not found" page does: the page, article, story or
/// post they were looking for or requested (`The article you were looking
/// for does not exist`, `We can't find the story you requested`), or one
/// that has been moved or deleted (`Sorry, this page has been moved or
/// deleted`). `text` is in lower case.
pub fn says_not_found(text: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    regex(
        &CELL,
        r"\bthe (?:page|article|story|post) you(?:'re| are| were)? (?:looking for|requested|tried to (?:reach|open))|\bfind the (?:page|article|story|post) you\b|\b(?:page|article|story|post) (?:has|may have|might have) been (?:(?:re)?moved|deleted) or (?:(?:re)?moved|deleted)\b",
    )
    .is_match(&text.replace('\u{2019}', "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_print_edition_note_is_told_from_the_story() {
        for text in [
            "A version of this article appears in print on Dec. 5, 2026, Section A, Page 1 of the New York edition with the headline: Council Backs Congestion Fee. Order Reprints | Today's Paper | Subscribe",
            "A version of this story appeared in print on November 25, 2026.",
        ] {
            assert!(print_edition_note(text), "{text}");
        }
        assert!(!print_edition_note(
            "A version of the plan appeared in print last year, the council said."
        ));
    }

    #[test]
    fn an_articles_toolbar_is_furniture() {
        for text in [
            "4 min read",
            "12 minute read",
            "4 min",
            "6 min listen",
            "0:00 / 4:12",
            "1.2K",
            "37k",
            "You have 10 gift articles to give each month.",
            "Gift this article",
            "Loading…",
            "Loading...",
            "Please wait",
        ] {
            assert!(boilerplate_text(text), "{text}");
        }
        for text in [
            "The ferry takes 40 minutes to cross the bay.",
            "1,200",
            "The shop was given a gift of 10 articles of clothing.",
            "Loading bays at the port will close for a week.",
        ] {
            assert!(!boilerplate_text(text), "{text}");
        }
    }
}

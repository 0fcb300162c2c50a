//! The article's elements as text blocks: paragraphs (list items, quotes,
//! table rows and `<br><br>`-separated text included), headings as
//! crossheads, and figures as captions with their credit and image.
//!
//! On the way, what is left inside the article of its page's furniture is
//! dropped: lists and boxes that are mostly links, forms, image strips,
//! headings and boxes whose class words speak against them, short
//! paragraphs made of furniture words ("Share this", "Sign up for our
//! newsletter"), and datelines, which are the page's metadata.

use std::collections::HashMap;
use std::sync::OnceLock;

use html5ever::local_name;
use regex::Regex;
use url::Url;

use super::content::{self, Selection};
use super::dom::{Dom, Element, NodeData, NodeId};
use super::metadata::{BY_LABELS, absolute, past_by_label, strip_by};
use super::picture_box::PictureBoxes;
use super::signals;
use crate::furniture::reading_time;
use crate::ingest::date::{BY_WORDS, date_line_byline, dayless_date_line, read_date_line};
use crate::ingest::dump::{
    byline_date, byline_names, crosshead, opens_byline, person_name, split_credit,
    strip_credit_label,
};
use crate::ingest::picture::{at_most_one_pixel, marked_lazy, names_picture_file, real_picture};
use crate::model::Caption;
use crate::normalize::clean_text;

/// One piece of the article, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Paragraph(String),
    Subhead(String),
    Caption(Caption),
    /// A block that only dates the article, as `dateline` tells: no text of
    /// the article but the page's metadata, the date it shows and the
    /// byline beside its `<time>`.
    Dateline(Dateline),
}

/// A dateline as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The whole line (`Tuesday, 3 November 2026 06:10 GMT`, `By Ana Ruiz
    /// · 3 November 2026`).
    pub text: String,
    /// The byline beside its `<time>` (`By Ana Ruiz`, `Von Katrin Vogel`):
    /// the part between separators such as `|` or `·` that starts with
    /// `By` or its word in another language, before or after the `<time>`;
    /// else the names after the date (`Ana Ruiz` of `Posted on November
    /// 24, 2026 by Ana Ruiz`).
    pub byline: Option<String>,
}

impl Dateline {
    fn new(text: String, untimed: Option<&str>) -> Dateline {
        let byline = untimed.and_then(|u| {
            u.split(['|', '·', '•', '—', '–'])
                .map(|b| past_by_label(b.trim_matches(|c: char| !c.is_alphanumeric())))
                .find(|b| opens_byline(b))
                .map(|b| without_date_ending(b).to_string())
                .or_else(|| date_line_byline(&text).map(str::to_string))
        });
        Dateline { text, byline }
    }

    /// The date lines the line holds: itself, or its parts between
    /// separators that are date lines (`Published 3 December 2026, 09:15 ·
    /// Updated 3 December 2026, 21:07`, `22 November 2026 · 4 min read`),
    /// or, on a byline, the date lines that end it (`By Ana Ruiz, 3
    /// December 2026`, `By Ana Ruiz | December 3, 2026 10:15 GMT`, `By Ana
    /// Ruiz - Published 3 December 2026 · Updated 4 December 2026`).
    pub fn dates(&self) -> Vec<&str> {
        if read_date_line(&self.text).is_some() {
            return vec![self.text.as_str()];
        }
        if let Some(dates) = date_parts(&self.text) {
            return dates;
        }
        let Some((_, ending)) = self.byline.as_ref().and_then(|_| date_ending(&self.text)) else {
            return Vec::new();
        };
        date_parts(ending).unwrap_or_else(|| vec![ending])
    }
}

/// A byline and the date that ends it: the line up to the first separator
/// (`,`, `|`, `·`, `•`, a dash, a hyphen with spaces around it) whose
/// rest is a date line or date lines beside each other ([`date_parts`]),
/// and that rest; or, as a dump's byline is read, up to a space before the
/// date (`By Ana Ruiz November 3, 2026`: [`byline_date`]).
fn date_ending(text: &str) -> Option<(&str, &str)> {
    text.char_indices()
        .filter(|&(at, c)| {
            [',', '|', '·', '•', '—', '–'].contains(&c)
                || (c == '-' && text[..at].ends_with(' ') && text[at + 1..].starts_with(' '))
        })
        .map(|(at, c)| (&text[..at], text[at + c.len_utf8()..].trim()))
        .find(|(_, rest)| read_date_line(rest).is_some() || date_parts(rest).is_some())
        .or_else(|| {
            let date = byline_date(text)?;
            Some((text.strip_suffix(date)?, date))
        })
}

/// A byline without the date that ends it ([`date_ending`]): `By Ana Ruiz
/// and Tom Reyes` of `By Ana Ruiz and Tom Reyes | Published 24 November
/// 2026, 10:15 GMT`.
fn without_date_ending(text: &str) -> &str {
    date_ending(text).map_or(text, |(byline, _)| byline.trim_end())
}

/// The parts of a line between separators (`·`, `|`, `•`) that are date
/// lines, when each of its parts is one or a reading time (`4 min read`)
/// and one at least is a date line.
fn date_parts(text: &str) -> Option<Vec<&str>> {
    if text.len() > 160 || !text.contains(['·', '|', '•']) {
        return None;
    }
    let mut dates = Vec::new();
    for part in text.split(['·', '|', '•']).map(str::trim) {
        if part.is_empty() || reading_time(part) {
            continue;
        }
        read_date_line(part)?;
        dates.push(part);
    }
    (!dates.is_empty()).then_some(dates)
}

/// Longest text of a block read as a meta box of bylines and date lines.
pub(super) const MAX_META_BOX_CHARS: u32 = 160;

/// Most plain wrappers, one inside another, around a meta box's part.
pub(super) const MAX_WRAPPER_DEPTH: usize = 3;

/// Most words a gallery shows outside its pictures' figures and captions
/// (its counter, pager or header).
const MAX_GALLERY_CHROME_WORDS: usize = 8;

/// Longest heading taken as a crosshead; a longer one reads as a paragraph.
const MAX_SUBHEAD_CHARS: usize = 200;

/// Longest credit read beside a caption rather than in it.
const MAX_CREDIT_CHARS: usize = 60;

/// Longest cell of a table row read as one paragraph of figures; a longer
/// one is the page's text in a table laid out as columns.
const MAX_CELL_CHARS: u32 = 300;

struct Emitter<'a> {
    dom: &'a Dom,
    selection: &'a Selection,
    base: Option<&'a Url>,
    pieces: Vec<Piece>,
    /// How many of `pieces` are paragraphs: counted as they are read, so
    /// that whether the text has begun is known without reading them all
    /// again at every block.
    paragraphs: usize,
    text: String,
    link_chars: usize,
    in_link: usize,
    /// How deep inside `<time>` elements the text being read is.
    in_time: usize,
    /// The text of the block being read outside its `<time>` elements.
    untimed: String,
    /// Whether the block being read has a `<time>` with text.
    timed: bool,
    pending_breaks: usize,
    /// How deep inside figures that hold text rather than a photo (a
    /// table, WordPress's table block; a code block, `figure.highlight`)
    /// the text being read is: their caption is the text's, no photo's.
    in_text_figure: usize,
    /// How deep inside bold or enlarged type ([`display_type`]) the text
    /// being read is.
    in_display: usize,
    /// Whether the block being read has text outside bold or enlarged type.
    plain: bool,
    /// The column of each cell of the tables read so far, by table
    /// ([`Emitter::cell_columns`]).
    table_layouts: HashMap<NodeId, HashMap<NodeId, usize>>,
    /// The pictures of the page captioned outside a `<figure>`.
    pictures: &'a PictureBoxes,
    /// Whether the text being read is the article's header, above its
    /// text however much of the header was read before.
    in_header: bool,
    /// Whether the standfirst has been read as the first paragraph: the
    /// header goes on under it, as it does under the headline.
    read_deck: bool,
}

/// The pictures of the page captioned outside a `<figure>`: the same for
/// every search of the page's text, so found once ([`PictureBoxes`]).
pub fn picture_boxes(dom: &Dom) -> PictureBoxes {
    PictureBoxes::find(dom, figure_like)
}

/// The pieces of the article that [`emit`] found, and where each root's
/// begin among them, so that what lies around the roots in the page
/// ([`add_nearby_captions`]) is placed between them as it is there.
#[derive(Debug)]
pub struct Emitted {
    pieces: Vec<Piece>,
    /// The index in `pieces` of the first piece of each root of the
    /// selection, in the roots' order.
    root_starts: Vec<usize>,
}

/// The pieces of the article that `selection` found: a standfirst in its
/// header first, then the bylines and date lines of the header, then what
/// its roots hold but the header's lines above the headline (where a
/// standfirst set as a heading is a paragraph too).
pub fn emit(
    dom: &Dom,
    selection: &Selection,
    pictures: &PictureBoxes,
    base: Option<&Url>,
) -> Emitted {
    let in_root = |deck: &NodeId| {
        selection
            .roots
            .iter()
            .any(|&r| *deck >= r && *deck < dom.subtree_end(r))
    };
    let mut pieces: Vec<Piece> = selection
        .deck
        .filter(|deck| !in_root(deck))
        .map(|deck| Piece::Paragraph(clean_text(&dom.text_of(deck))))
        .into_iter()
        .chain(header_datelines(dom, selection, pictures, base))
        .collect();
    let mut emitter = Emitter::new(dom, selection, pictures, base);
    let mut root_starts = Vec::with_capacity(selection.roots.len());
    for &root in &selection.roots {
        root_starts.push(pieces.len() + emitter.pieces.len());
        emitter.node(root, 0);
        emitter.flush();
    }
    pieces.append(&mut emitter.pieces);
    Emitted {
        pieces,
        root_starts,
    }
}

/// The bylines and date lines of the article's header that `selection`
/// found apart from its text: each read as a line above the story's text
/// is, the header's other words no part of the article.
fn header_datelines(
    dom: &Dom,
    selection: &Selection,
    pictures: &PictureBoxes,
    base: Option<&Url>,
) -> Vec<Piece> {
    let mut emitter = Emitter::new(dom, selection, pictures, base);
    emitter.in_header = true;
    for &part in &selection.header {
        emitter.node(part, 0);
        emitter.flush();
    }
    emitter
        .pieces
        .into_iter()
        .filter(|p| matches!(p, Piece::Dateline(_)))
        .collect()
}

/// The article's pieces `emitted` with the captions of the figures around
/// the article that `selection` found but outside it (a lead photo above
/// the body, in the same `article`), each placed where it is in the page:
/// before the header's pieces when it comes before the first root, else
/// after the pieces of the last root it follows, so that a lead photo
/// between a standfirst read as a root and the body's box comes before
/// the body's photos.
pub fn add_nearby_captions(
    dom: &Dom,
    selection: &Selection,
    pictures: &PictureBoxes,
    base: Option<&Url>,
    emitted: Emitted,
) -> Vec<Piece> {
    let Emitted {
        pieces,
        root_starts,
    } = emitted;
    let Some(&first) = selection.roots.first() else {
        return pieces;
    };
    let scope = dom
        .ancestors(first)
        .skip(1)
        .find(|&a| {
            dom.element(a).is_some_and(|e| {
                e.name == local_name!("article")
                    || e.attr("itemtype")
                        .is_some_and(|t| t.contains("Article") || t.contains("BlogPosting"))
            })
        })
        .or_else(|| dom.parent(first).filter(|&p| dom.element(p).is_some()));
    let Some(scope) = scope else {
        return pieces;
    };
    let mut emitter = Emitter::new(dom, selection, pictures, base);
    // The captions found after each count of roots they follow in the page.
    let mut nearby: Vec<(usize, Vec<Piece>)> = Vec::new();
    dom.walk_skipping(scope, |id| {
        if selection.left_out[id as usize] || selection.roots.contains(&id) {
            return true;
        }
        let Some(e) = dom.element(id) else {
            return false;
        };
        let is_figure = emitter.is_figure(id);
        let loose = emitter.pictures.image_of(id);
        if let Some(picture) = emitter.lone_picture(id) {
            emitter.pieces.push(Piece::Caption(picture));
        } else if !is_figure && !caption_like(e) && loose.is_none() {
            return false;
        }
        if is_figure {
            emitter.figure(id);
        } else if let Some(caption) = emitter.caption_with_image(id, loose) {
            emitter.pieces.push(Piece::Caption(caption));
        }
        let found = std::mem::take(&mut emitter.pieces);
        let follows = selection.roots.partition_point(|&root| root < id);
        nearby.push((follows, found));
        true
    });
    if nearby.is_empty() {
        return pieces;
    }
    // Where the pieces of the roots a caption follows end: the start of
    // the next root's, or the end of them all.
    let all = pieces.len();
    let end_of = |follows: usize| match follows {
        0 => 0,
        n => root_starts.get(n).copied().unwrap_or(all),
    };
    let mut merged = Vec::with_capacity(pieces.len() + nearby.len());
    let mut pieces = pieces.into_iter();
    let mut taken = 0;
    for (follows, found) in nearby {
        let end = end_of(follows);
        merged.extend(pieces.by_ref().take(end.saturating_sub(taken)));
        taken = taken.max(end);
        merged.extend(found);
    }
    merged.extend(pieces);
    merged
}

impl<'a> Emitter<'a> {
    fn new(
        dom: &'a Dom,
        selection: &'a Selection,
        pictures: &'a PictureBoxes,
        base: Option<&'a Url>,
    ) -> Self {
        Emitter {
            dom,
            selection,
            base,
            pieces: Vec::new(),
            paragraphs: 0,
            text: String::new(),
            link_chars: 0,
            in_link: 0,
            in_time: 0,
            untimed: String::new(),
            timed: false,
            pending_breaks: 0,
            in_text_figure: 0,
            in_display: 0,
            plain: false,
            table_layouts: HashMap::new(),
            pictures,
            in_header: false,
            read_deck: false,
        }
    }

    fn flush(&mut self) {
        let text = clean_text(&self.text);
        let link_chars = self.link_chars;
        let untimed = self.timed.then(|| std::mem::take(&mut self.untimed));
        self.text.clear();
        self.untimed.clear();
        self.timed = false;
        self.link_chars = 0;
        self.pending_breaks = 0;
        self.plain = false;
        if !text.chars().any(char::is_alphanumeric) {
            return;
        }
        if dateline(&text, untimed.as_deref()) {
            let line = Dateline::new(text, untimed.as_deref());
            self.pieces.push(Piece::Dateline(line));
            return;
        }
        if self.above_text() && lone_byline(&text) {
            let line = Dateline::new(text.clone(), Some(&text));
            self.pieces.push(Piece::Dateline(line));
            return;
        }
        let chars = text.chars().count();
        // A line that is mostly a link is navigation, not article text.
        if link_chars * 2 > chars && chars < 200 {
            return;
        }
        if signals::boilerplate_text(&text) || signals::print_edition_note(&text) {
            return;
        }
        match crosshead(&text) {
            Some(words) if chars <= MAX_SUBHEAD_CHARS => self.pieces.push(Piece::Subhead(words)),
            _ => self.push_paragraph(text),
        }
    }

    fn node(&mut self, id: NodeId, depth: usize) {
        // The header's lines above the headline in a root are read with
        // the rest of the header ([`header_datelines`]), never as text.
        if !self.in_header && self.selection.header.binary_search(&id).is_ok() {
            return;
        }
        if self.selection.left_out[id as usize] {
            self.keep_byline_of(id);
            return;
        }
        match &self.dom.nodes[id as usize].data {
            NodeData::Text(t) => {
                // White space between two `<br>`s (`<br>\n<br>`, `<br>&nbsp;<br>`)
                // shows nothing: the breaks still end the paragraph.
                if self.pending_breaks > 0 && t.chars().all(char::is_whitespace) {
                    return;
                }
                if self.pending_breaks > 0 {
                    self.pending_breaks = 0;
                    self.text.push(' ');
                    self.untimed.push(' ');
                }
                self.text.push_str(t);
                if self.in_display == 0 && !t.trim().is_empty() {
                    self.plain = true;
                }
                if self.in_time == 0 {
                    self.untimed.push_str(t);
                } else if t.chars().any(char::is_alphanumeric) {
                    self.timed = true;
                }
                if self.in_link > 0 {
                    self.link_chars += t.trim().chars().count();
                }
            }
            NodeData::Document => self.children(id, depth),
            NodeData::Element(e) => {
                let name = e.name.clone();
                if name == local_name!("br") {
                    self.pending_breaks += 1;
                    if self.pending_breaks >= 2 || self.display_line(id) {
                        self.flush();
                    }
                    return;
                }
                if depth > 0 && self.removed(id) {
                    self.keep_byline_of(id);
                    return;
                }
                if self.in_text_figure == 0
                    && let Some(picture) = self.lone_picture(id)
                {
                    self.pieces.push(Piece::Caption(picture));
                    return;
                }
                if self.is_figure(id) {
                    self.flush();
                    if self.holds_text(id) {
                        self.in_text_figure += 1;
                        self.children(id, depth);
                        self.in_text_figure -= 1;
                        self.flush();
                    } else {
                        self.figure(id);
                    }
                    return;
                }
                let loose = self.pictures.image_of(id);
                if (caption_like(e) || loose.is_some()) && self.in_text_figure == 0 {
                    self.flush();
                    if let Some(caption) = self.caption_with_image(id, loose) {
                        self.pieces.push(Piece::Caption(caption));
                    }
                    return;
                }
                if signals::is_heading(&name) {
                    self.flush();
                    // A label before the headline (`LIVE`) is no word of it.
                    let text = if name == local_name!("h1") {
                        super::metadata::without_label(self.dom, id)
                    } else {
                        clean_text(&self.dom.text_of(id))
                    };
                    let untimed = self.text_outside_time(id);
                    if !text.chars().any(char::is_alphanumeric)
                        || signals::boilerplate_text(&text)
                        || self.heads_dropped_block(id)
                    {
                        return;
                    }
                    if dateline(&text, untimed.as_deref()) {
                        let line = Dateline::new(text, untimed.as_deref());
                        self.pieces.push(Piece::Dateline(line));
                    } else if self.selection.deck == Some(id) {
                        self.push_paragraph(text);
                        self.read_deck = true;
                    } else if text.chars().count() <= MAX_SUBHEAD_CHARS {
                        self.pieces.push(Piece::Subhead(text));
                    } else {
                        self.push_paragraph(text);
                    }
                    return;
                }
                if name == local_name!("p")
                    && let Some(text) = self.bold_crosshead(id)
                {
                    self.flush();
                    self.pieces.push(Piece::Subhead(text));
                    return;
                }
                if name == local_name!("tr")
                    && let Some(cells) = self.figure_cells(id)
                {
                    self.flush();
                    self.row(&cells);
                    return;
                }
                let block = signals::is_block(&name);
                if block {
                    self.flush();
                    if let Some(lines) = self.inline_meta_box(id) {
                        self.pieces.extend(lines.into_iter().map(Piece::Dateline));
                        return;
                    }
                    if self.is_gallery(id) {
                        self.gallery(id, depth);
                        return;
                    }
                }
                let link = signals::is_link(e);
                let time = name == local_name!("time");
                let display = display_type(e);
                if link {
                    self.in_link += 1;
                }
                if display {
                    self.in_display += 1;
                }
                if time {
                    self.in_time += 1;
                    self.untimed.push(' ');
                }
                self.children(id, depth);
                if link {
                    self.in_link -= 1;
                }
                if time {
                    self.in_time -= 1;
                    self.untimed.push(' ');
                }
                if display {
                    self.in_display -= 1;
                }
                if block {
                    self.flush();
                    if self.selection.deck == Some(id) {
                        self.read_deck = true;
                    }
                }
            }
        }
    }

    fn children(&mut self, id: NodeId, depth: usize) {
        for child in self.dom.children(id) {
            self.node(child, depth + 1);
        }
    }

    /// Whether block `id` is a gallery: a box of two pictures or more side
    /// by side (figures or images, each a child of the box) whose
    /// text outside their figures and captions is a few words at most that
    /// close no sentence, under no heading of the box, the slideshow's
    /// chrome (a counter, `1 / 2` or `1 of 2`, a pager of slide numbers, a
    /// `2 photos` header), never the story's. A box of pictures under
    /// headings of its own is sections of the story, not a gallery.
    fn is_gallery(&self, id: NodeId) -> bool {
        let pictures = self
            .dom
            .children(id)
            .filter(|&c| self.is_figure(c) || self.dom.is(c, &local_name!("img")))
            .take(2)
            .count();
        if pictures < 2 {
            return false;
        }
        let mut chrome = String::new();
        let mut headed = false;
        self.dom.walk_skipping(id, |n| {
            if let Some(e) = self.dom.element(n) {
                headed |= signals::is_heading(&e.name);
                return self.picture_part(n, e) || signals::never_content(&e.name);
            }
            chrome.push_str(self.dom.text(n).unwrap_or_default());
            chrome.push(' ');
            false
        });
        let chrome = clean_text(&chrome);
        let words = chrome.split_whitespace().count();
        !headed && (1..=MAX_GALLERY_CHROME_WORDS).contains(&words) && !closes_sentence(&chrome)
    }

    /// Whether element `e` (`id`) is a picture or a caption of one: a
    /// figure, a caption, or a caption set right after its image.
    fn picture_part(&self, id: NodeId, e: &Element) -> bool {
        self.is_figure(id) || caption_like(e) || self.pictures.image_of(id).is_some()
    }

    /// Reads gallery `id` ([`Emitter::is_gallery`]): its pictures and
    /// their captions, each element of it that holds an image or is a
    /// caption; its chrome is left out.
    fn gallery(&mut self, id: NodeId, depth: usize) {
        for child in self.dom.children(id) {
            let Some(e) = self.dom.element(child) else {
                continue;
            };
            let pictured =
                (child..self.dom.subtree_end(child)).any(|n| self.dom.is(n, &local_name!("img")));
            if pictured || self.picture_part(child, e) {
                self.node(child, depth + 1);
                self.flush();
            }
        }
    }

    /// The text of `id` outside its `<time>` elements, when it has one
    /// with text.
    fn text_outside_time(&self, id: NodeId) -> Option<String> {
        let mut outside = String::new();
        let mut timed = false;
        self.dom.walk_skipping(id, |n| {
            if self.dom.is(n, &local_name!("time")) {
                timed |= self.dom.text_of(n).chars().any(char::is_alphanumeric);
                outside.push(' ');
                return true;
            }
            if let Some(t) = self.dom.text(n) {
                outside.push_str(t);
            }
            false
        });
        timed.then_some(outside)
    }

    /// The words of paragraph `id` when it is a crosshead written in bold
    /// (`<p><strong>Pontoons past their best</strong></p>`): all its text
    /// bold, no link, twelve words at most that close no sentence (a bold
    /// lead sentence ends with its full stop, a bold question with its
    /// question mark, a label with its colon), and a paragraph after it.
    fn bold_crosshead(&self, id: NodeId) -> Option<String> {
        let mut bold_until = 0;
        for n in self.dom.descendants(id) {
            if self.selection.left_out[n as usize] {
                return None;
            }
            match &self.dom.nodes[n as usize].data {
                NodeData::Element(e) => match e.name {
                    local_name!("strong") | local_name!("b") => {
                        bold_until = bold_until.max(self.dom.subtree_end(n));
                    }
                    local_name!("a") | local_name!("br") | local_name!("img") => return None,
                    _ => {}
                },
                NodeData::Text(t) if n >= bold_until && !t.trim().is_empty() => return None,
                _ => {}
            }
        }
        let text = clean_text(&self.dom.text_of(id));
        let words = text.split_whitespace().count();
        if bold_until == 0
            || closes_sentence(&text)
            || !(1..=12).contains(&words)
            || !text.chars().any(char::is_alphabetic)
            || signals::boilerplate_text(&text)
            || dateline(&text, None)
        {
            return None;
        }
        let next = self
            .dom
            .children(self.dom.parent(id)?)
            .skip_while(|&c| c != id)
            .skip(1)
            .find(|&c| self.dom.text(c).is_none_or(|t| !t.trim().is_empty()))?;
        let paragraph = self.dom.is(next, &local_name!("p"))
            && self.selection.stats.text[next as usize] > 0
            && self.dom.descendants(next).all(|n| {
                !matches!(
                    self.dom.name(n),
                    Some(&local_name!("strong") | &local_name!("b"))
                )
            });
        paragraph.then_some(text)
    }

    /// The datelines of block `id` above the article's text when it is a
    /// meta box or a meta line ([`meta_datelines`]) short enough to be only
    /// a dateline: a byline and a date line parted only by elements
    /// (`<p><strong>By Ana Ruiz</strong> <em>24 November 2026</em></p>`),
    /// or a date line whose author is an element the text leaves out
    /// (`Posted on <time>…</time> by <span class="author">Ana
    /// Ruiz</span>`), are the page's metadata, though read as the text
    /// reads them they are neither.
    fn inline_meta_box(&self, id: NodeId) -> Option<Vec<Dateline>> {
        let short = self.selection.stats.text[id as usize] <= MAX_META_BOX_CHARS;
        (short && self.above_text())
            .then(|| meta_datelines(self.dom, id))
            .flatten()
    }

    /// Whether the text read since the last block, ended by `<br>` `id`
    /// (the first of its run), is a line of its own: text laid out with
    /// `<br>`s rather than in paragraphs or list items, all of it in bold
    /// or enlarged type (`<font size="4"><b>Village shop
    /// reopens</b></font><br>`), twenty words at most that close no
    /// sentence, as a headline or crosshead set on its own line is. Text
    /// parted by one `<br>` is otherwise one paragraph, and a bold label
    /// that opens a paragraph (`<p><b>Task store</b><br>Tasks are …`)
    /// stays in it.
    fn display_line(&self, id: NodeId) -> bool {
        if self.plain || self.pending_breaks != 1 {
            return false;
        }
        let in_paragraph = self
            .dom
            .ancestors(id)
            .skip(1)
            .find(|&a| self.dom.name(a).is_none_or(signals::is_block))
            .and_then(|a| self.dom.name(a))
            .is_some_and(|name| {
                matches!(
                    *name,
                    local_name!("p")
                        | local_name!("li")
                        | local_name!("dd")
                        | local_name!("dt")
                        | local_name!("blockquote")
                )
            });
        if in_paragraph {
            return false;
        }
        let text = clean_text(&self.text);
        let words = text.split_whitespace().count();
        (1..=20).contains(&words)
            && text.chars().any(char::is_alphabetic)
            && !closes_sentence(&text)
    }

    /// Whether no paragraph of the article has been read yet, but the
    /// standfirst.
    fn above_text(&self) -> bool {
        self.in_header || self.paragraphs <= usize::from(self.read_deck)
    }

    /// Adds a paragraph of the article's text, counted in `paragraphs`.
    fn push_paragraph(&mut self, text: String) {
        self.paragraphs += 1;
        self.pieces.push(Piece::Paragraph(text));
    }

    /// Keeps the dateline of an element left out of the text (a `p.dateline`
    /// or `div.meta` weighed as furniture) when it names the authors beside
    /// its `<time>`, or when, above the article's text, it is a meta box or
    /// a meta line ([`meta_datelines`]), a date line of its own (`<div
    /// class="date">November 22, 2026</div>`) or a byline ending with one
    /// (`<p class="byline">By Ana Ruiz, 3 December 2026</p>`): its words
    /// stay out of the body, its byline and date count.
    fn keep_byline_of(&mut self, id: NodeId) {
        let above_text = self.above_text();
        let shown = Shown::in_box(self.dom, id);
        // Read part by part first: read whole, the text of parts with
        // nothing between them runs together (`By Lucy Ward` and its
        // outlet, `BBC News`, would make one name).
        if above_text && let Some(lines) = meta_box(self.dom, &shown, id) {
            self.pieces.extend(lines.into_iter().map(Piece::Dateline));
            return;
        }
        let untimed = self.text_outside_time(id);
        if let Some(untimed) = &untimed {
            let text = clean_text(&self.dom.text_of(id));
            if dateline(&text, Some(untimed)) {
                let line = Dateline::new(text, Some(untimed));
                if line.byline.is_some() {
                    self.pieces.push(Piece::Dateline(line));
                }
                return;
            }
        }
        if !above_text {
            return;
        }
        if untimed.is_none()
            && let Some(line) = self.lone_dateline(id)
        {
            self.pieces.push(Piece::Dateline(line));
        } else if let Some(line) = meta_line(self.dom, &shown, id) {
            self.pieces.push(Piece::Dateline(line));
        }
    }

    /// Element `id` as a dateline when it is a date line of its own or a
    /// byline, ending with a date or not (`By Ana Ruiz, 3 December 2026`,
    /// `<div class="meta">Par Claire Dubois</div>`), as the same line in a
    /// paragraph above the text is.
    fn lone_dateline(&self, id: NodeId) -> Option<Dateline> {
        if let Some(line) = lone_date_line(self.dom, id) {
            return Some(line);
        }
        let text = clean_text(&self.dom.text_of(id));
        lone_byline(&text).then(|| Dateline::new(text.clone(), Some(&text)))
    }

    /// Whether the heading `id` titles only links, which are left out of
    /// the text, so that it would stand over nothing: links come right
    /// after it, and no text follows them before the next heading or the
    /// end of its box (`Keep reading` over a list of stories), or it names
    /// a box of links (`More on this story`) whatever follows. A heading
    /// over a video, a picture or a hidden box stays, and so does one over
    /// a note of links that its section's text or parts follow (`Main
    /// article: …`).
    fn heads_dropped_block(&self, id: NodeId) -> bool {
        let stats = &self.selection.stats;
        let links = |n: NodeId| stats.text[n as usize] > 0 && stats.link_density(n) > 0.5;
        let Some(parent) = self.dom.parent(id) else {
            return false;
        };
        let mut after = self
            .dom
            .children(parent)
            .skip_while(|&c| c != id)
            .skip(1)
            .filter(|&c| self.dom.text(c).is_none_or(|t| !t.trim().is_empty()));
        match after.next() {
            Some(next) if self.dom.element(next).is_some() && links(next) => {}
            _ => return false,
        }
        if signals::names_links(&clean_text(&self.dom.text_of(id))) {
            return true;
        }
        // `h2` is above `h3`: a heading of the same rank or above ends the
        // section, one below opens a part of it.
        let rank = |n: NodeId| self.dom.name(n).map(|name| name.to_string());
        let own = rank(id);
        for sibling in after {
            match self.dom.element(sibling) {
                None => return false,
                Some(e) if signals::is_heading(&e.name) => return rank(sibling) <= own,
                Some(_) if stats.text[sibling as usize] > 0 && !links(sibling) => return false,
                Some(_) => {}
            }
        }
        true
    }

    /// Whether an element inside the article is furniture to drop.
    fn removed(&self, id: NodeId) -> bool {
        let Some(e) = self.dom.element(id) else {
            return false;
        };
        let stats = &self.selection.stats;
        let flags = self.selection.flags;
        let weight = if flags.weight_classes {
            signals::class_weight(e)
        } else {
            0.0
        };
        if signals::is_heading(&e.name) {
            return weight < 0.0;
        }
        // Share rails, whatever they are called.
        if flags.weight_classes
            && stats.text[id as usize] < 500
            && signals::names(e).contains("share")
        {
            return true;
        }
        // A box about the author under the story is no part of it.
        if !self.above_text() && signals::author_bio_box(e) {
            return true;
        }
        // Photo boxes are read whole (see `figure`), whatever their class,
        // and so is a box around them with no text of its own (Substack's
        // `captioned-image-container`, a `div.caption`).
        if self.is_figure(id) || self.wraps_figures(id) {
            return false;
        }
        if !flags.clean_conditionally {
            return false;
        }
        let conditional = matches!(
            e.name,
            local_name!("form")
                | local_name!("fieldset")
                | local_name!("table")
                | local_name!("ul")
                | local_name!("ol")
                | local_name!("div")
                | local_name!("section")
                | local_name!("header")
        );
        if !conditional {
            return false;
        }
        let score = self.selection.score[id as usize];
        if weight + score < 0.0 {
            return true;
        }
        // A figure's box around a quote (WordPress's embed block), all its
        // text the quote's, is read as the quote is: an embedded post's
        // links (its photo's, its date's) make it no box of links.
        if self.in_text_figure > 0 && self.wraps_quote(id) {
            return false;
        }
        if stats.commas[id as usize] >= 10 {
            return false;
        }
        let counts = stats.inside[id as usize];
        let text = stats.text[id as usize] as f32;
        let density = stats.link_density(id);
        let is_list = matches!(e.name, local_name!("ul") | local_name!("ol"))
            || (counts.li_text as f32) > text * 0.9;
        let p = counts.p as f32;
        // Photos with their captions (a gallery, a strip of figures) are no
        // strip of bare images.
        let strip = counts.img > 1 && {
            let bare = counts.img.saturating_sub(self.captioned_images(id));
            bare > 1 && p / (bare as f32) < 0.5
        };
        strip
            || (!is_list && counts.li > counts.p + 1 && counts.li > 2 && density > 0.3)
            || (counts.input as f32 > (p / 3.0).floor())
            || (!is_list
                && text < 25.0
                && (counts.img == 0 || counts.img > 2)
                && counts.headings == 0)
            || (!is_list && weight < 25.0 && density > 0.2)
            || (weight >= 25.0 && density > 0.5)
            || (is_list && density > 0.5)
            || (counts.embeds == 1 && text < 75.0)
            || counts.embeds > 1
    }

    /// A figure: its caption, with the credit split off and the image it
    /// shows. A figure without a caption adds nothing. A figure holding
    /// figures (WordPress's gallery block) gives each of theirs, then its
    /// own caption if it has one. A credit given beside the image rather
    /// than in the caption (`<span class="credit">`, a label only screen
    /// readers are shown) is the caption's when the caption has none. A
    /// figure that holds a table or code shows no photo: `node` reads it as
    /// text.
    fn figure(&mut self, id: NodeId) {
        if self.holds_text(id) {
            return;
        }
        let mut inner = Vec::new();
        let mut caption_node = None;
        let box_caption = self.pictures.caption_of(id);
        self.dom.walk_skipping(id, |n| {
            let Some(e) = self.dom.element(n) else {
                return false;
            };
            if self.is_figure(n) {
                inner.push(n);
            } else if caption_node.is_none() && (caption_like(e) || box_caption == Some(n)) {
                caption_node = Some(n);
            } else {
                return false;
            }
            true
        });
        for &n in &inner {
            self.figure(n);
        }
        let Some((node, mut caption)) =
            caption_node.and_then(|node| Some((node, self.caption(node)?)))
        else {
            // A figure without a caption shows its picture all the same.
            if inner.is_empty()
                && let Some(image) = self.image_in(id)
            {
                self.pieces.push(Piece::Caption(Caption {
                    image: Some(image),
                    alt: self.image_alt(id),
                    ..Caption::default()
                }));
            }
            return;
        };
        if inner.is_empty() {
            caption.image = self.image_in(id);
            caption.alt = self.image_alt(id);
        }
        if caption.credit.is_none() {
            let mut outside = inner;
            outside.push(node);
            caption.credit = self.credit_beside(id, &outside);
        }
        self.pieces.push(Piece::Caption(caption));
    }

    /// The credit in figure `id` outside the elements `outside` (its
    /// caption, the figures it holds): the text of an element marked as
    /// the credit, text after a credit label only screen readers are shown
    /// (`Image source, `), or a labelled credit (`Photo: Ana Ruiz`).
    fn credit_beside(&self, id: NodeId, outside: &[NodeId]) -> Option<String> {
        let (text, credit) = self.caption_parts(id, outside);
        if credit.is_some() {
            return credit;
        }
        let name = without_by_label(&strip_credit_label(&text)).to_string();
        (name != text && !name.is_empty() && name.chars().count() <= MAX_CREDIT_CHARS)
            .then_some(name)
    }

    /// Whether figure `id` holds text outside the figures inside it: a
    /// table (WordPress's table block, `figure.wp-block-table`), a block
    /// of code (`<figure class="highlight"><pre>`) or a quote (an embedded
    /// post, WordPress's `figure.wp-block-embed-twitter`, or a quote with
    /// its source in the caption).
    fn holds_text(&self, id: NodeId) -> bool {
        let mut text = false;
        self.dom.walk_skipping(id, |n| {
            let Some(e) = self.dom.element(n) else {
                return false;
            };
            text |= matches!(
                e.name,
                local_name!("table") | local_name!("pre") | local_name!("blockquote")
            );
            text || self.is_figure(n)
        });
        text
    }

    /// Whether `id` is a box around figures, all its text theirs: one at
    /// least that shows a picture ([`Emitter::pictured`]; a video player's
    /// box with its caption is none), and few links.
    fn wraps_figures(&self, id: NodeId) -> bool {
        let stats = &self.selection.stats;
        let (mut pictured, mut text) = (false, 0);
        self.dom.walk_skipping(id, |n| {
            if !self.is_figure(n) {
                return false;
            }
            pictured |= self.pictured(n);
            text += stats.text[n as usize];
            true
        });
        pictured && text >= stats.text[id as usize] && stats.link_density(id) <= 0.5
    }

    /// Whether `id` is a box around a quote (`<blockquote>`, an embedded
    /// post's included), all its text the quote's, with few links: the
    /// quote, or a plain wrapper holding all the text that holds it (a
    /// few levels down at most), is the child holding all its text.
    fn wraps_quote(&self, id: NodeId) -> bool {
        let stats = &self.selection.stats;
        let text = stats.text[id as usize];
        if text == 0 || stats.link_density(id) > 0.5 {
            return false;
        }
        let mut at = id;
        for _ in 0..MAX_WRAPPER_DEPTH {
            let Some(holding) = self
                .dom
                .children(at)
                .find(|&c| stats.text[c as usize] == text)
            else {
                return false;
            };
            if self.dom.is(holding, &local_name!("blockquote")) {
                return true;
            }
            if self.dom.element(holding).is_none() {
                return false;
            }
            at = holding;
        }
        false
    }

    /// Whether figure `id` shows a picture: an image with a source (one in
    /// `<noscript>` too), a `<picture>`'s source, or a video's poster.
    fn pictured(&self, id: NodeId) -> bool {
        self.image_in(id).is_some()
            || self.dom.descendants(id).any(|n| {
                self.dom.element(n).is_some_and(|e| match e.name {
                    local_name!("img") => image_source(e).is_some(),
                    _ if &*e.name == "amp-img" => image_source(e).is_some(),
                    local_name!("source") => e.attr("srcset").is_some(),
                    local_name!("video") => e.attr("poster").is_some(),
                    _ => false,
                })
            })
    }

    /// The cells of table row `id` when it reads as a row of figures: two
    /// cells or more, each short text with at most one block in it and no
    /// table, heading, list, figure or caption (a row of a table laid out
    /// as the page's columns holds the story's paragraphs, read one by
    /// one). Cells left out of the page are none of its cells.
    fn figure_cells(&self, id: NodeId) -> Option<Vec<NodeId>> {
        let stats = &self.selection.stats;
        let cells: Vec<NodeId> = self
            .dom
            .children(id)
            .filter(|&c| {
                !self.selection.left_out[c as usize]
                    && matches!(
                        self.dom.name(c),
                        Some(&local_name!("td") | &local_name!("th"))
                    )
            })
            .collect();
        let short = |cell: NodeId| {
            let mut blocks = 0;
            let plain = self.dom.descendants(cell).all(|n| {
                let Some(e) = self.dom.element(n) else {
                    return true;
                };
                if self.selection.left_out[n as usize] || !signals::is_block(&e.name) {
                    return true;
                }
                blocks += 1;
                !(signals::is_heading(&e.name)
                    || self.is_figure(n)
                    || caption_like(e)
                    || matches!(
                        e.name,
                        local_name!("table")
                            | local_name!("ul")
                            | local_name!("ol")
                            | local_name!("dl")
                    ))
            });
            plain && blocks <= 1 && stats.text[cell as usize] <= MAX_CELL_CHARS
        };
        (cells.len() >= 2 && cells.iter().all(|&c| short(c))).then_some(cells)
    }

    /// A row of a table as one paragraph, its cells' text parted by ` | `
    /// (an empty cell keeps its place, and a column taken by a cell
    /// spanning it, from its left in the row or from a row above, is left
    /// empty before the row's next cell, so that each cell stays in its
    /// column); dropped when it is mostly links, as navigation is, or
    /// furniture words.
    fn row(&mut self, cells: &[NodeId]) {
        let columns = self.cell_columns(cells);
        let mut texts: Vec<String> = Vec::new();
        for (&cell, column) in cells.iter().zip(columns) {
            if texts.len() < column {
                texts.resize(column, String::new());
            }
            texts.push(self.shown_text(cell));
        }
        let stats = &self.selection.stats;
        let text = clean_text(&texts.join(" | "));
        if !text.chars().any(char::is_alphanumeric) {
            return;
        }
        let (chars, links) = cells.iter().fold((0, 0), |(t, l), &c| {
            (t + stats.text[c as usize], l + stats.link[c as usize])
        });
        if (links * 2 > chars && chars < 200) || signals::boilerplate_text(&text) {
            return;
        }
        self.push_paragraph(text);
    }

    /// The column of each of `cells`, a row of a table, as [`lay_out`]
    /// finds it, its table laid out once; in turn, outside a table.
    fn cell_columns(&mut self, cells: &[NodeId]) -> Vec<usize> {
        let dom = self.dom;
        let left_out = &self.selection.left_out;
        let Some(table) = dom
            .ancestors(cells[0])
            .find(|&a| dom.is(a, &local_name!("table")))
        else {
            return (0..cells.len()).collect();
        };
        let layout = self
            .table_layouts
            .entry(table)
            .or_insert_with(|| lay_out(dom, left_out, table));
        let mut next = 0;
        cells
            .iter()
            .map(|cell| {
                let column = layout.get(cell).copied().unwrap_or(next).max(next);
                next = column + 1;
                column
            })
            .collect()
    }

    /// The number of images in `id` that figures with a caption show.
    fn captioned_images(&self, id: NodeId) -> u32 {
        let mut count = 0;
        self.dom.walk_skipping(id, |n| {
            if !self.is_figure(n) {
                return false;
            }
            let box_caption = self.pictures.caption_of(n);
            let captioned = self.dom.descendants(n).any(|c| {
                (self.dom.element(c).is_some_and(caption_like) || box_caption == Some(c))
                    && self.selection.stats.text[c as usize] > 0
            });
            if captioned {
                count += self.selection.stats.inside[n as usize].img;
            }
            true
        });
        count
    }

    /// The first image in `id` (`img` or AMP's `amp-img`), by
    /// [`image_source`]. A placeholder gives way to a real picture after
    /// it, such as the one a lazy-loading script leaves in `<noscript>`
    /// for readers without scripts; so does an image marked as loaded late
    /// ([`marked_lazy`]: `class="lazyload"`, `loading="lazy"`) whose `src`
    /// is all it shows, when a `<noscript>` with a picture comes right after
    /// it (white space and the ends of what wraps it between them).
    fn image_in(&self, id: NodeId) -> Option<String> {
        let mut fallback = None;
        let mut loaded_late = None;
        for n in self.dom.descendants(id) {
            let Some(e) = self.dom.element(n) else {
                if loaded_late.is_some() && self.dom.text(n).is_some_and(|t| !t.trim().is_empty()) {
                    return loaded_late;
                }
                continue;
            };
            if e.name == local_name!("noscript") {
                let found = self.noscript_picture(n);
                if found.is_some() {
                    return found;
                }
            }
            if loaded_late.is_some() {
                return loaded_late;
            }
            if e.name != local_name!("img") && &*e.name != "amp-img" {
                continue;
            }
            let only_src = e.attr("src").map(str::trim) == real_image_source(e);
            if let Some(real) = real_image_source(e).and_then(|s| absolute(s, self.base)) {
                if only_src && marked_lazy(|name| e.attr(name)) {
                    loaded_late = Some(real);
                    continue;
                }
                return Some(real);
            }
            if fallback.is_none() {
                fallback = image_source(e).and_then(|s| absolute(s, self.base));
            }
        }
        loaded_late.or(fallback)
    }

    /// The alt text of the first image in `id` (itself included) that
    /// gives one.
    fn image_alt(&self, id: NodeId) -> Option<String> {
        (id..self.dom.subtree_end(id)).find_map(|n| {
            let e = self.dom.element(n)?;
            if e.name != local_name!("img") && &*e.name != "amp-img" {
                return None;
            }
            Some(clean_text(e.attr("alt")?)).filter(|alt| !alt.is_empty())
        })
    }

    /// Image `id` outside any figure, as a picture without a caption, when
    /// it is one of the story's own (the lead photo set above the text,
    /// a photo between paragraphs): a picture of its own, not a tracking
    /// pixel, an icon or a thumbnail (less than [`MIN_PICTURE_SIDE`] pixels
    /// wide or high), nor marked as decorative (`role="presentation"`,
    /// `aria-hidden`: a blurred stand-in), no chrome of the page (a logo, an avatar, a share
    /// button: [`CHROME_WORDS`] in its class, id or file name), and in
    /// no link but one to a larger copy of itself (a link to another page
    /// is a teaser of another story).
    fn lone_picture(&self, id: NodeId) -> Option<Caption> {
        let e = self.dom.element(id)?;
        if e.name != local_name!("img") && &*e.name != "amp-img" {
            return None;
        }
        let small = ["width", "height"].into_iter().any(|side| {
            e.attr(side)
                .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
                .is_some_and(|v| v < MIN_PICTURE_SIDE)
        });
        let chrome = ["class", "id", "src"].into_iter().any(|name| {
            e.attr(name).is_some_and(|value| {
                let value = value.to_ascii_lowercase();
                CHROME_WORDS.iter().any(|word| value.contains(word))
            })
        });
        let linked_away = self.dom.ancestors(id).any(|a| {
            self.dom.element(a).is_some_and(|link| {
                link.name == local_name!("a") && !link.attr("href").is_some_and(names_picture_file)
            })
        });
        let decorative = e
            .attr("role")
            .is_some_and(|role| role.trim().eq_ignore_ascii_case("presentation"))
            || e.attr("aria-hidden")
                .is_some_and(|hidden| hidden.trim() == "true");
        // A caption set right after the image gives it with its caption.
        let captioned = std::iter::once(id)
            .chain(self.dom.ancestors(id))
            .any(|n| self.pictures.shows_loose_image(n));
        if small || chrome || decorative || linked_away || captioned {
            return None;
        }
        Some(Caption {
            image: Some(absolute(real_image_source(e)?, self.base)?),
            alt: self.image_alt(id),
            ..Caption::default()
        })
    }

    /// The picture `<noscript>` element `id` holds for readers without
    /// scripts, but for a tracking pixel (one pixel wide or high, or none).
    fn noscript_picture(&self, id: NodeId) -> Option<String> {
        let inner = Dom::parse(&self.dom.text_of(id));
        (0..inner.len() as NodeId)
            .filter_map(|i| inner.element(i))
            .filter(|e| {
                !["width", "height"]
                    .into_iter()
                    .any(|name| e.attr(name).is_some_and(at_most_one_pixel))
            })
            .find_map(|e| real_image_source(e).and_then(|s| absolute(s, self.base)))
    }

    /// The text of an element (a credit, a table's cell), without what is
    /// left out of the page (a label only screen readers are shown, `<span
    /// class="visually-hidden">Image source, </span>`, would run into a
    /// credit's name).
    fn shown_text(&self, node: NodeId) -> String {
        let mut text = String::new();
        let mut skip_until = 0;
        for n in self.dom.descendants(node) {
            if n < skip_until {
                continue;
            }
            if self.selection.left_out[n as usize] {
                skip_until = self.dom.subtree_end(n);
                continue;
            }
            if let Some(e) = self.dom.element(n) {
                if signals::is_block(&e.name) || e.name == local_name!("br") {
                    text.push(' ');
                }
            } else if let Some(t) = self.dom.text(n) {
                text.push_str(t);
            }
        }
        clean_text(&text)
    }

    /// The caption in `node` (a `figcaption`), its credit taken from an
    /// element marked as the credit, the text after a credit label only
    /// screen readers are shown, a trailing `(AP)` or a `Photo: …`.
    fn caption(&self, node: NodeId) -> Option<Caption> {
        let (text, credit) = match self.caption_parts(node, &[]) {
            (text, Some(credit)) => (text, Some(credit)),
            (text, None) => split_caption_credit(&text),
        };
        if text.is_empty() {
            return None;
        }
        Some(Caption {
            text,
            credit,
            image: None,
            alt: None,
            declared: false,
        })
    }

    /// The caption in `node`, as [`Emitter::caption`] reads it, showing the
    /// image of element `image` (set right before it, with no box around
    /// the two: [`PictureBoxes::image_of`]) when there is one.
    fn caption_with_image(&self, node: NodeId, image: Option<NodeId>) -> Option<Caption> {
        let mut caption = self.caption(node)?;
        if let Some(image) = image {
            caption.image = self.image_in(image).or_else(|| {
                let e = self.dom.element(image)?;
                absolute(image_source(e)?, self.base)
            });
            caption.alt = self.image_alt(image);
        }
        Some(caption)
    }

    /// Whether `id` is read as a figure: one by its markup ([`figure_like`]),
    /// or a box of one picture and its caption ([`PictureBoxes`]).
    fn is_figure(&self, id: NodeId) -> bool {
        self.dom.element(id).is_some_and(figure_like) || self.pictures.caption_of(id).is_some()
    }

    /// The text under `node` outside the elements `outside` and what is
    /// left out of the page, and the credit it marks: the text of an
    /// element marked as the credit (`<span class="credit">`), or the text
    /// after a label only screen readers are shown (`<span
    /// class="visually-hidden">Image credit:</span> Getty Images`).
    fn caption_parts(&self, node: NodeId, outside: &[NodeId]) -> (String, Option<String>) {
        let mut credit = None;
        let mut text = String::new();
        let mut credit_from = None;
        let mut skip_until = 0;
        for n in self.dom.descendants(node) {
            if n < skip_until {
                continue;
            }
            if outside.contains(&n) {
                skip_until = self.dom.subtree_end(n);
                text.push(' ');
                continue;
            }
            if self.selection.left_out[n as usize] {
                skip_until = self.dom.subtree_end(n);
                if credit.is_none()
                    && credit_from.is_none()
                    && self.dom.element(n).is_some_and(signals::screen_reader_only)
                    && hidden_credit_label(&self.dom.text_of(n))
                {
                    credit_from = Some(text.len());
                }
                continue;
            }
            if let Some(e) = self.dom.element(n) {
                let names = signals::names(e);
                if credit.is_none()
                    && (names.contains("credit")
                        || names.contains("copyright")
                        || names.contains("source")
                        || names.contains("attribution")
                        || names.contains("photographer"))
                {
                    let c = self.shown_text(n);
                    if !c.is_empty() {
                        credit = Some(without_by_label(&strip_credit_label(&c)).to_string());
                    }
                    skip_until = self.dom.subtree_end(n);
                } else if credit.is_none() && self.closing_credit(node, n, &text) {
                    let c = strip_credit_label(&self.shown_text(n));
                    credit = Some(without_by_label(&c).to_string());
                    skip_until = self.dom.subtree_end(n);
                }
                if signals::is_block(&e.name) || e.name == local_name!("br") {
                    text.push(' ');
                }
            } else if let Some(t) = self.dom.text(n) {
                text.push_str(t);
            }
        }
        if credit.is_none()
            && let Some(at) = credit_from
        {
            let name = clean_text(&text[at..]);
            if !name.is_empty() && name.chars().count() <= MAX_CREDIT_CHARS {
                text.truncate(at);
                credit = Some(name);
            }
        }
        (clean_text(&text), credit)
    }

    /// Whether element `n` closes caption `node` as its credit, set as
    /// HTML sets one: a `<cite>` or `<small>` (`A dam on the river
    /// <cite>Ana Ruiz/Westport Herald</cite>`) after the caption's words
    /// (`before`, read so far) with no words after it, of a credit's
    /// length. A title cited inside the caption's sentence is no credit.
    fn closing_credit(&self, node: NodeId, n: NodeId, before: &str) -> bool {
        let dom = self.dom;
        if !matches!(
            dom.name(n),
            Some(&local_name!("cite") | &local_name!("small"))
        ) || !before.chars().any(char::is_alphanumeric)
        {
            return false;
        }
        let words_after = (dom.subtree_end(n)..dom.subtree_end(node))
            .filter_map(|after| dom.text(after))
            .any(|t| t.chars().any(char::is_alphanumeric));
        let credit = self.shown_text(n);
        !words_after && !credit.is_empty() && credit.chars().count() <= MAX_CREDIT_CHARS
    }
}

/// A figure, read whole: `<figure>`, or the classic WordPress editor's
/// `div.wp-caption` around an image and its caption, and each item of its
/// `[gallery]` (`dl.gallery-item`, or a `div` or `figure` so classed).
/// The fewest pixels a side of a story's picture spans, when the page
/// gives its size: smaller, an image is an icon, an avatar or a thumbnail.
const MIN_PICTURE_SIDE: u32 = 100;

/// Words in an image's class, id or file name that mark it as
/// the page's chrome rather than the story's picture.
const CHROME_WORDS: &[&str] = &[
    "logo", "avatar", "icon", "share", "social", "sprite", "badge", "emoji", "pixel", "spacer",
    "gravatar", "profile", "author", "mugshot", "headshot", "button", "banner", "advert",
    "sponsor",
];

fn figure_like(e: &Element) -> bool {
    e.name == local_name!("figure") || has_class(e, &["wp-caption", "gallery-item"])
}

/// A figure's caption: `<figcaption>`, or the classic WordPress editor's
/// `wp-caption-text` (`wp-caption-dd` in its older `dl` markup,
/// `gallery-caption` in its galleries).
fn caption_like(e: &Element) -> bool {
    e.name == local_name!("figcaption")
        || has_class(e, &["wp-caption-text", "wp-caption-dd", "gallery-caption"])
}

/// The column of each cell of `table` (but those left out of the page)
/// that its rows and their cells' spans give. A cell's `colspan` takes the
/// columns after it in its row, and its `rowspan` its columns in the rows
/// below, up to the end of its row group (`thead`, `tbody`, `tfoot`); `0`
/// reaches that end. The table is as wide as the most cells a row holds,
/// those reaching into it from above included, and a span wider than that
/// takes the rest of the columns its row leaves (a `colspan` of a million
/// is a misprint, not a million columns).
fn lay_out(dom: &Dom, left_out: &[bool], table: NodeId) -> HashMap<NodeId, usize> {
    // Each row's group (its parent) and its cells with their spans.
    let mut rows = Vec::new();
    dom.walk_skipping(table, |n| match dom.name(n) {
        Some(&local_name!("table")) => true,
        Some(&local_name!("tr")) => {
            let cells: Vec<(NodeId, usize, usize)> = dom
                .children(n)
                .filter(|&c| {
                    !left_out[c as usize]
                        && matches!(dom.name(c), Some(&local_name!("td") | &local_name!("th")))
                })
                .map(|c| (c, span(dom, c, "colspan"), span(dom, c, "rowspan")))
                .collect();
            rows.push((dom.parent(n), cells));
            true
        }
        _ => false,
    });
    // The width: each cell reaching into a row from above counts as one
    // of its cells (the rows it has still to take are counted down).
    let mut width = 0;
    let mut reaching: Vec<usize> = Vec::new();
    let mut group = None;
    for (parent, cells) in &rows {
        if *parent != group {
            reaching.clear();
            group = *parent;
        }
        width = width.max(cells.len() + reaching.len());
        reaching.retain_mut(|rows| {
            *rows -= 1;
            *rows > 0
        });
        reaching.extend(cells.iter().filter_map(|&(_, _, rowspan)| match rowspan {
            0 => Some(usize::MAX),
            1 => None,
            n => Some(n - 1),
        }));
    }
    // The rows still to take of each column, by a cell spanning rows.
    let mut taken: Vec<usize> = Vec::new();
    let mut columns = HashMap::new();
    group = None;
    for (parent, cells) in &rows {
        if *parent != group {
            taken.clear();
            group = *parent;
        }
        let mut below = vec![0; taken.len()];
        let mut column = 0;
        for (i, &(cell, colspan, rowspan)) in cells.iter().enumerate() {
            while taken.get(column).is_some_and(|&t| t > 0) {
                column += 1;
            }
            columns.insert(cell, column);
            let after = cells.len() - i - 1;
            let colspan = colspan.min(width.saturating_sub(column + after).max(1));
            if rowspan != 1 {
                let end = column + colspan;
                if below.len() < end {
                    below.resize(end, 0);
                }
                below[column..end].fill(rowspan.checked_sub(1).unwrap_or(usize::MAX));
            }
            column += colspan;
        }
        for (at, t) in taken.iter().enumerate() {
            if *t > 0 {
                below[at] = t - 1;
            }
        }
        taken = below;
    }
    columns
}

/// How many columns (`colspan`) or rows (`rowspan`) table cell `cell`
/// spans: one when it gives none or no number; a `rowspan` of `0` spans
/// the rest of its row group.
fn span(dom: &Dom, cell: NodeId, attribute: &str) -> usize {
    let given = dom
        .element(cell)
        .and_then(|e| e.attr(attribute))
        .and_then(|span| span.trim().parse::<usize>().ok());
    match given {
        Some(0) if attribute == "rowspan" => 0,
        given => given.unwrap_or(1).max(1),
    }
}

/// Whether `text` ends as a sentence, a clause or a label does: a full
/// stop, a question or exclamation mark, a comma, a semicolon, a colon or
/// an ellipsis, perhaps inside closing quotes or brackets.
fn closes_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '”', '’', '»', ')'])
        .ends_with(['.', ',', ';', ':', '!', '?', '…'])
}

/// Type set bold (`b`, `strong`) or larger than the text's (`big`, a
/// `font` of size 4 or more, or `+1` and up), as a headline or crosshead
/// on a page laid out with `<br>`s is.
fn display_type(e: &Element) -> bool {
    match e.name {
        local_name!("b") | local_name!("strong") | local_name!("big") => true,
        local_name!("font") => e.attr("size").is_some_and(|size| {
            let size = size.trim();
            (size.starts_with('+') && size.len() > 1 && size != "+0")
                || size.parse::<u32>().is_ok_and(|n| n >= 4)
        }),
        _ => false,
    }
}

/// Whether one of the element's class words is one of `words`.
fn has_class(e: &Element, words: &[&str]) -> bool {
    e.attr("class").is_some_and(|class| {
        class
            .split_whitespace()
            .any(|c| words.iter().any(|w| c.eq_ignore_ascii_case(w)))
    })
}

/// Whether the text of an element shown to screen readers only labels the
/// credit after it (`Image source, `, `Image credit:`, `Photo:`,
/// `Copyright`).
fn hidden_credit_label(text: &str) -> bool {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:(?:image|photo(?:graph)?|picture|pic)\s+)?(?:credit|source|copyright)\s*[:,]?\s*$",
        )
        .expect("the pattern is valid")
    })
    .is_match(text)
}

/// Where an image element's picture is. A lazy-loading script's source
/// (`data-src`, `data-lazy-src`, `data-original`) is the picture, for the
/// `src` beside it is a placeholder until the script runs; then `src`
/// unless it is a placeholder (a `data:` URL, or a file named as one), then
/// the largest picture of `srcset` (or `data-srcset`), then whatever `src`
/// gives.
fn image_source(e: &Element) -> Option<&str> {
    real_image_source(e).or_else(|| {
        e.attr("src")
            .map(str::trim)
            .filter(|s| !s.is_empty() && !s.starts_with("data:"))
    })
}

/// An image element's picture as [`image_source`] finds it, unless all it
/// gives is a placeholder ([`real_picture`]).
fn real_image_source(e: &Element) -> Option<&str> {
    real_picture(|name| e.attr(name))
}

/// Whether a block is only a byline (`By Ana Ruiz and Tom Reyes`,
/// `Written by Ana Ruiz`, `By Ana Ruiz, Westport Herald`), perhaps ending
/// with its date ([`date_ending`]): a `By`, perhaps after a label, before
/// names. The byline without its date is twelve words at most, so a
/// sentence that opens with `By` is none.
fn lone_byline(text: &str) -> bool {
    let byline = without_date_ending(text);
    byline.split_whitespace().count() <= 12 && byline_names(past_by_label(byline)).is_some()
}

/// Element `id` as a dateline when its text is only a date line
/// (`November 22, 2026`, `Published 3 December 2026, 09:15`), or date
/// lines beside each other or a reading time (see `date_parts`).
fn lone_date_line(dom: &Dom, id: NodeId) -> Option<Dateline> {
    date_line(dom, id, &clean_text(&dom.text_of(id)))
}

/// The datelines of block `id` when it is a meta box ([`meta_box`]) or a
/// meta line ([`meta_line`]).
fn meta_datelines(dom: &Dom, id: NodeId) -> Option<Vec<Dateline>> {
    let shown = Shown::in_box(dom, id);
    meta_box(dom, &shown, id).or_else(|| meta_line(dom, &shown, id).map(|line| vec![line]))
}

/// The datelines of a meta box whose parts, each an element of its own,
/// are bylines and date lines, one date line at least (`<div
/// class="entry-meta"><span class="byline">By Ana Ruiz</span> <span
/// class="posted-on">November 15, 2026</span></div>`): read whole, its
/// text is neither a byline nor a date line. A part marked as the author
/// ([`author_element`]) is a byline without its `By` (Astra's `<span
/// class="posted-by vcard author">Ana Ruiz</span> / <span
/// class="published">…</span>`), and so is a part that reads as a
/// person's name opening the box, opening a plain wrapper in it or
/// following a byline (`<a>Lucy Ward</a>`); a role or an outlet after a
/// byline is no part ([`role_after_byline`]), and a comment count
/// (`<span class="comments-link">`), a share rail or a button
/// (`<div class="share-tools"><button>Share</button></div>`) is none. A
/// plain wrapper (no class, id or other mark of its own) may group parts
/// (`<div><a>Lucy Ward</a><span class="role">…</span></div><time>…</time>`,
/// the date first or last, `<div><div>5 December 2026</div><div>Updated
/// 6 December 2026</div></div>`): its parts are the box's, read in turn,
/// unless read so they break the box, when the wrapper is one part
/// (`<div><span>Published</span> <time>…</time></div>`). A box with no
/// date line is one still when a byline in it says `By`, is marked as the
/// author or has the author's role after it. Each part reads as
/// it shows (`shown`, what the box shows). Text between the parts is at
/// most punctuation. The authors of all its bylines make one byline, the
/// first's.
fn meta_box(dom: &Dom, shown: &Shown, id: NodeId) -> Option<Vec<Dateline>> {
    let mut reading = MetaBox {
        opening: true,
        ..MetaBox::default()
    };
    reading.parts_of(dom, shown, id, 0)?;
    reading.datelines()
}

/// A meta box as far as it has been read ([`meta_box`]).
#[derive(Default)]
struct MetaBox {
    lines: Vec<Dateline>,
    dated: bool,
    marked_byline: bool,
    /// Whether a byline in the box has the author's role after it.
    role_named: bool,
    /// Where the box's first byline is in `lines`.
    first_byline: Option<usize>,
    /// The authors of the box's other bylines.
    other_authors: Vec<String>,
    /// Whether the last part read is a byline with only white space after it.
    after_byline: bool,
    /// Whether no part of the box, or of the plain wrapper in it being
    /// read, has been read yet.
    opening: bool,
}

/// Where the reading of a [`MetaBox`] stood: how many lines and other
/// authors it held, and its flags.
#[derive(Clone, Copy)]
struct MetaBoxMark {
    lines: usize,
    other_authors: usize,
    dated: bool,
    marked_byline: bool,
    role_named: bool,
    first_byline: Option<usize>,
    after_byline: bool,
    opening: bool,
}

impl MetaBox {
    /// Reads the children of `id` (the box, or a plain wrapper in it
    /// `depth` levels down) as parts of the box; `None` when one breaks it.
    fn parts_of(&mut self, dom: &Dom, shown: &Shown, id: NodeId, depth: usize) -> Option<()> {
        for child in dom.children(id) {
            let text = clean_text(&shown.text(child));
            if !text.chars().any(char::is_alphanumeric)
                || dom.element(child).is_some_and(|e| {
                    !shown.shows(e)
                        || signals::comments_box(e)
                        || signals::boilerplate_box(e)
                        || signals::never_content(&e.name)
                })
            {
                self.after_byline &= dom.element(child).is_some() || text.is_empty();
                continue;
            }
            let part = meta_part(dom, shown, child);
            // A name alone in a plain wrapper opens it.
            self.opening |= part != child;
            let child = part;
            if depth < MAX_WRAPPER_DEPTH && groups_parts(dom, child) {
                let before = self.mark();
                // A wrapper's first part may be a name as the box's first
                // is: the date may come before the name and role.
                self.opening = true;
                if self.parts_of(dom, shown, child, depth + 1).is_some() {
                    continue;
                }
                self.rewind(before);
            }
            self.part(dom, shown, child, &text)?;
        }
        Some(())
    }

    /// Where the reading stands, to go back to when a wrapper read as a
    /// group of parts breaks the box: parts are only ever added, so this
    /// costs nothing however many parts were read before.
    fn mark(&self) -> MetaBoxMark {
        MetaBoxMark {
            lines: self.lines.len(),
            other_authors: self.other_authors.len(),
            dated: self.dated,
            marked_byline: self.marked_byline,
            role_named: self.role_named,
            first_byline: self.first_byline,
            after_byline: self.after_byline,
            opening: self.opening,
        }
    }

    /// Goes back to where [`MetaBox::mark`] saw the reading stand.
    fn rewind(&mut self, mark: MetaBoxMark) {
        self.lines.truncate(mark.lines);
        self.other_authors.truncate(mark.other_authors);
        self.dated = mark.dated;
        self.marked_byline = mark.marked_byline;
        self.role_named = mark.role_named;
        self.first_byline = mark.first_byline;
        self.after_byline = mark.after_byline;
        self.opening = mark.opening;
    }

    /// Reads `id`, with text `text`, as a part of the box; `None` when it
    /// breaks the box.
    fn part(&mut self, dom: &Dom, shown: &Shown, id: NodeId, text: &str) -> Option<()> {
        if reading_time_part(dom, id, text) {
            return Some(());
        }
        let follows_byline = std::mem::take(&mut self.after_byline);
        let opens_box = std::mem::take(&mut self.opening);
        let element = dom.element(id).is_some();
        let byline = if let Some(line) = date_line(dom, id, text) {
            self.dated = true;
            self.lines.push(line);
            return Some(());
        } else if element && lone_byline(text) {
            self.marked_byline = true;
            Dateline::new(text.to_string(), Some(text))
        } else if author_element(dom, id) && lone_byline(&format!("By {text}")) {
            self.marked_byline = true;
            Dateline {
                text: text.to_string(),
                byline: Some(text.to_string()),
            }
        } else if element && (opens_box || follows_byline) && person_name(text) {
            Dateline {
                text: text.to_string(),
                byline: Some(text.to_string()),
            }
        } else if follows_byline && role_after_byline(dom, shown, id, text) {
            self.role_named = true;
            return Some(());
        } else {
            return None;
        };
        self.after_byline = true;
        match self.first_byline {
            Some(_) => self.other_authors.push(strip_by(text)),
            None => {
                self.first_byline = Some(self.lines.len());
                self.lines.push(byline);
            }
        }
        Some(())
    }

    /// The box's datelines, when it has a date line, a byline that says
    /// `By` or is marked as the author, or a byline with the author's role
    /// after it (`<span>Lucy Ward</span><span>Environment
    /// correspondent</span>`).
    fn datelines(mut self) -> Option<Vec<Dateline>> {
        if let Some(first) = self.first_byline
            && let Some(names) = self.lines[first].byline.as_mut()
        {
            for author in &self.other_authors {
                names.push_str(", ");
                names.push_str(author);
            }
        }
        (self.dated || self.marked_byline || self.role_named).then_some(self.lines)
    }
}

/// Whether part `id` of a meta box, with text `text`, is its reading-time
/// widget, no part of the box and left out as such: an element whose text
/// is a reading time ([`reading_time`]: `4 min read`, `Temps de lecture 3
/// min.`), or a short one with a number that its class or id marks as the
/// reading time (`<span class="read-time">`).
fn reading_time_part(dom: &Dom, id: NodeId, text: &str) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    let marked = || {
        let names: String = signals::names(e)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        (names.contains("readtime") || names.contains("readingtime"))
            && text.split_whitespace().count() <= 6
            && text.chars().any(|c| c.is_ascii_digit())
    };
    reading_time(text) || marked()
}

/// Whether element `id` of a meta box is a plain wrapper (no class, id or
/// other mark of its own) that may group parts of the box: two elements
/// or more, with only white space between them.
fn groups_parts(dom: &Dom, id: NodeId) -> bool {
    if dom.element(id).is_none_or(|e| !e.attrs.is_empty()) {
        return false;
    }
    let mut elements = 0;
    for child in dom.children(id) {
        if dom.element(child).is_some() {
            elements += 1;
        } else if dom.text(child).is_some_and(|t| !t.trim().is_empty()) {
            return false;
        }
    }
    elements >= 2
}

/// Whether part `id` of a meta box, with text `text`, right after a
/// byline, is the author's role: a role's words ([`role_like`]), in an
/// element with no link ([`role_element`]) or as text parted from the
/// byline by white space (`<a rel="author">Ingrid Holm</a> Transport
/// correspondent`).
fn role_after_byline(dom: &Dom, shown: &Shown, id: NodeId, text: &str) -> bool {
    let parted = dom.element(id).is_some() && role_element(dom, id)
        || dom.element(id).is_none() && shown.text(id).starts_with(char::is_whitespace);
    parted && role_like(text)
}

/// The element that is part `id` of a meta box: `id` itself, or, when it
/// is a plain wrapper (no class, id or other mark of its own) around one
/// element that holds all its text (`<div><a class="author-name">Ana
/// Ruiz</a></div>`, perhaps beside an avatar's `<img>`), that element, as
/// far down as such wrappers go (a few levels at most).
fn meta_part(dom: &Dom, shown: &Shown, id: NodeId) -> NodeId {
    let mut part = id;
    for _ in 0..MAX_WRAPPER_DEPTH {
        if dom.element(part).is_none_or(|e| !e.attrs.is_empty()) {
            break;
        }
        match only_element_child(dom, part).or_else(|| only_holding_child(dom, shown, part)) {
            Some(only) if dom.element(only).is_some() => part = only,
            _ => break,
        }
    }
    part
}

/// The one child of `id` that is an element, when every other child is
/// white space: it holds all the text `id` shows, told without reading
/// the text of its subtree (a wrapper inside a wrapper, however deep a
/// page nests them, costs one look at its children).
fn only_element_child(dom: &Dom, id: NodeId) -> Option<NodeId> {
    let mut elements = None;
    for child in dom.children(id) {
        if dom.element(child).is_some() {
            if elements.replace(child).is_some() {
                return None;
            }
        } else if dom.text(child).is_some_and(|t| !t.trim().is_empty()) {
            return None;
        }
    }
    elements
}

/// The one child of `id` that shows text of letters or digits, if only
/// one does.
fn only_holding_child(dom: &Dom, shown: &Shown, id: NodeId) -> Option<NodeId> {
    let mut holding = dom.children(id).filter(|&c| {
        let shows = dom.element(c).is_none_or(|e| shown.shows(e));
        shows && shown.text(c).chars().any(char::is_alphanumeric)
    });
    match (holding.next(), holding.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// Whether `id` is an element that may hold an author's role: one with
/// no link in it (a link beside a byline leads elsewhere, to a story or a
/// section).
fn role_element(dom: &Dom, id: NodeId) -> bool {
    dom.element(id).is_some()
        && !(id..dom.subtree_end(id)).any(|n| dom.element(n).is_some_and(signals::is_link))
}

/// Whether `text`, a part of its own right after a byline in a meta
/// box, reads as the author's role (`Chief Reporter`, `Political editor`):
/// a short label that opens with a capital, with no digit and no
/// sentence's end, and no person's name (`Tom Reyes` beside `Ana Ruiz` is
/// a second author: [`person_name`]). It belongs to the byline and is no
/// author.
fn role_like(text: &str) -> bool {
    (1..=6).contains(&text.split_whitespace().count())
        && !person_name(text)
        && text.starts_with(char::is_uppercase)
        && !text.chars().any(|c| c.is_ascii_digit())
        && !closes_sentence(text)
}

/// Element `id` as a dateline when `text`, its text, is only a date line
/// or date lines beside each other or a reading time, as
/// [`lone_date_line`] reads it.
fn date_line(dom: &Dom, id: NodeId, text: &str) -> Option<Dateline> {
    dom.element(id)?;
    let dated = read_date_line(text).is_some() || date_parts(text).is_some();
    (text.len() <= 160 && dated).then(|| Dateline::new(text.to_string(), None))
}

/// Whether element `id` is marked as the article's author, as the search
/// for the article's text leaves bylines out ([`content::is_byline`]).
fn author_element(dom: &Dom, id: NodeId) -> bool {
    dom.element(id)
        .is_some_and(|e| content::is_byline(dom, id, e))
}

/// Block `id` as a dateline when it is a meta line: inline parts whose
/// text, read as it shows without the post's categories
/// ([`meta_line_text`]), is a date line, perhaps with a byline after the
/// date, as WordPress themes print their `entry-meta` (`Posted on
/// <time>November 24, 2026</time> by <span class="author vcard">Ana
/// Ruiz</span>`, Twenty Ten's `<span class="entry-date">`, GeneratePress's
/// `<span class="author-name">`, a `Published` label, `in <a
/// rel="category tag">News</a>` after the author). The author's name,
/// which the article's text leaves out, is read back into the line, so
/// that no remnant of it (`Posted on November 24, 2026 by`) is left.
fn meta_line(dom: &Dom, shown: &Shown, id: NodeId) -> Option<Dateline> {
    if dom.element(id).is_none()
        || dom
            .descendants(id)
            .any(|n| dom.name(n).is_some_and(signals::is_block))
    {
        return None;
    }
    let line = clean_text(&meta_line_text(dom, shown, id));
    if line.len() > MAX_META_BOX_CHARS as usize || read_date_line(&line).is_none() {
        return None;
    }
    Some(Dateline::new(line.clone(), Some(&line)))
}

/// The text of meta line `id` as it shows (`shown`), without the
/// post's categories: links marked as categories or tags (`rel="category
/// tag"`, as WordPress marks them), and the links (`<a>` elements) that
/// an `in` closing the line introduces (`by Ana Ruiz in <a
/// href="/news/">News</a>, <a href="/local/">Local</a>`).
fn meta_line_text(dom: &Dom, shown: &Shown, id: NodeId) -> String {
    // Each text of the line, and whether it is a link's.
    let mut parts: Vec<(String, bool)> = Vec::new();
    let mut link_end = 0;
    dom.walk_skipping(id, |n| {
        if let Some(e) = dom.element(n) {
            if !shown.shows(e) {
                parts.push((" ".to_string(), false));
                return true;
            }
            if taxonomy_link(e) {
                parts.push((" ".to_string(), true));
                return true;
            }
            if e.name == local_name!("a") {
                link_end = link_end.max(dom.subtree_end(n));
            }
            return false;
        }
        if let Some(t) = dom.text(n) {
            parts.push((t.to_string(), n < link_end));
        }
        false
    });
    let tail = parts
        .iter()
        .rev()
        .take_while(|(t, linked)| *linked || !t.chars().any(char::is_alphanumeric))
        .count();
    let links_end_it = parts[parts.len() - tail..]
        .iter()
        .any(|(_, linked)| *linked);
    let opening = parts.len() - tail;
    if links_end_it && opening > 0 {
        let before = parts[opening - 1].0.trim_end();
        let rest = before
            .strip_suffix("in")
            .or_else(|| before.strip_suffix("In"));
        if let Some(rest) = rest.filter(|r| r.is_empty() || r.ends_with(char::is_whitespace)) {
            parts[opening - 1].0 = rest.to_string();
            parts.truncate(opening);
        }
    }
    parts.into_iter().map(|(t, _)| t).collect()
}

/// What a meta line or box shows: no element hidden or shown to screen
/// readers only (`<span class="screen-reader-text">Posted on</span>`),
/// and, when the box marks its published date (`class="entry-date
/// published"`), not the update date that hAtom markup prints beside it
/// and themes hide (`<time class="updated">`: the
/// `.updated:not(.published)` of WordPress's starter theme). A date marked
/// `updated` alone (`<time class="entry-date updated">`) shows.
struct Shown<'a> {
    dom: &'a Dom,
    /// Whether the box marks its published date.
    published_marked: bool,
}

impl<'a> Shown<'a> {
    /// What box `id` shows.
    fn in_box(dom: &'a Dom, id: NodeId) -> Self {
        let published_marked = dom
            .descendants(id)
            .any(|n| dom.element(n).is_some_and(|e| has_class(e, &["published"])));
        Shown {
            dom,
            published_marked,
        }
    }

    /// Whether element `e` of the box shows.
    fn shows(&self, e: &Element) -> bool {
        let hidden_update =
            self.published_marked && has_class(e, &["updated"]) && !has_class(e, &["published"]);
        !(signals::hidden(e) || signals::screen_reader_only(e) || hidden_update)
    }

    /// The text of `id` as the box shows it.
    fn text(&self, id: NodeId) -> String {
        let dom = self.dom;
        let mut text = String::new();
        if let Some(t) = dom.text(id) {
            text.push_str(t);
        }
        dom.walk_skipping(id, |n| {
            if dom.element(n).is_some_and(|e| !self.shows(e)) {
                text.push(' ');
                return true;
            }
            text.push_str(dom.text(n).unwrap_or_default());
            false
        });
        text
    }
}

/// Whether `e` links to a category or tag of the post: `rel="category
/// tag"`, `rel="tag"`.
fn taxonomy_link(e: &Element) -> bool {
    e.name == local_name!("a")
        && e.attr("rel").is_some_and(|rel| {
            rel.split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("category") || r.eq_ignore_ascii_case("tag"))
        })
}

/// Whether a block only dates the article, which is the page's metadata
/// and no paragraph: a date line (`Thursday 3 December 2026, 08:30`,
/// `Updated: July 29, 2024`), a labelled time of day (`Updated 21:07:23
/// GMT`), an age (`Updated 3 hours ago`), or `<time>` elements with at
/// most a label (`Published`, `Last updated on`) or a short byline (`By
/// Ana Ruiz,`) beside them. `untimed` is the block's text outside its
/// `<time>` elements, when it has one.
fn dateline(text: &str, untimed: Option<&str>) -> bool {
    if text.len() > 120 {
        return false;
    }
    if dayless_date_line(text) || read_date_line(text).is_some() || date_parts(text).is_some() {
        return true;
    }
    let Some(untimed) = untimed else {
        return false;
    };
    const LABELS: &[&str] = &[
        "published",
        "updated",
        "posted",
        "last",
        "first",
        "modified",
        "edited",
        "on",
        "at",
    ];
    let words: Vec<String> = untimed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let by = usize::from(
        words
            .first()
            .is_some_and(|w| BY_LABELS.contains(&w.as_str())),
    );
    let byline = words
        .get(by)
        .is_some_and(|w| BY_WORDS.contains(&w.as_str()))
        && words.len() <= 6 + by;
    byline || words.iter().all(|w| LABELS.contains(&w.as_str()))
}

/// A caption's text and credit: `… (AP)`, `… Photo: Reuters`,
/// `… Photograph: Ana Ruiz/AFP`, `… © Reuters`, `… (Photo by Ana Ruiz)`,
/// `…. Photo by Ana Ruiz`.
pub fn split_caption_credit(text: &str) -> (String, Option<String>) {
    if let Some((caption, credit)) = split_credit(text) {
        let credit = without_by_label(&credit).to_string();
        return (caption, Some(credit));
    }
    if let Some((caption, credit)) = by_credit(text) {
        return (caption.to_string(), Some(credit.to_string()));
    }
    static TRAILING: OnceLock<Regex> = OnceLock::new();
    let trailing = TRAILING.get_or_init(|| {
        Regex::new(
            r"(?i)^(.*?[.!?…”’)\]]?)\s*(?:\(|\[)?\s*(?:(?:photo(?:graph)?s?|image|picture|pic|credit|foto|bild|illustration)(?:\s+credit)?\s*(?:[:：]|©|\(c\))|©|\(c\))\s*([^:()]{2,80}?)\s*(?:\)|\])?\s*$",
        )
        .expect("the pattern is valid")
    });
    if let Some(c) = trailing.captures(text) {
        let caption = c.get(1).map_or("", |m| m.as_str()).trim();
        let credit = c.get(2).map_or("", |m| m.as_str()).trim();
        if credit.split_whitespace().count() <= 8 {
            return (caption.to_string(), Some(credit.to_string()));
        }
    }
    (text.to_string(), None)
}

/// The words that say who took a picture: `Photo by`, `Photograph by`,
/// `Picture by`, `Image by`.
fn by_label() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| {
        Regex::new(r"(?i)\b(?:photo(?:graph)?s?|picture|pic|image)\s+by\s+")
            .expect("the pattern is valid")
    })
}

/// `Photo by Ana Ruiz` -> `Ana Ruiz`: a credit without the words that label
/// it, when a name follows them.
fn without_by_label(credit: &str) -> &str {
    match by_label().find(credit) {
        Some(m) if m.start() == 0 && m.end() < credit.len() => &credit[m.end()..],
        _ => credit,
    }
}

/// A `Photo by NAME` credit that closes a caption after its sentence ends
/// (`A crowd on the quay. Photo by Ana Ruiz`) or in brackets (`… (Photo
/// by Ana Ruiz)`): the caption and the name. Elsewhere the words are the
/// caption's own (`A photo by the river`).
fn by_credit(text: &str) -> Option<(&str, &str)> {
    let label = by_label().find_iter(text).last()?;
    let before = text[..label.start()].trim_end();
    let after = text[label.end()..].trim_end();
    let (caption, name) = match (
        before.strip_suffix(['(', '[']),
        after.strip_suffix([')', ']']),
    ) {
        (Some(caption), Some(name)) => (caption.trim_end(), name.trim()),
        (None, None) if before.ends_with(['.', '!', '?', '…', '”', '’']) => (before, after),
        _ => return None,
    };
    let ok = caption.split_whitespace().count() >= 2
        && name.starts_with(char::is_uppercase)
        && name.chars().count() <= MAX_CREDIT_CHARS
        && name.split_whitespace().count() <= 8
        && !name.contains(['(', ')', '[', ']'])
        && !name.ends_with(['.', ',', ';', '!', '?']);
    ok.then_some((caption, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_split_off_captions() {
        for (caption, expected, credit) in [
            (
                "Crowds on the quay at dawn (AP)",
                "Crowds on the quay at dawn",
                Some("AP"),
            ),
            (
                "Crowds on the quay at dawn. Photo: Reuters",
                "Crowds on the quay at dawn.",
                Some("Reuters"),
            ),
            (
                "Crowds on the quay. Photograph: Ana Ruiz/AFP/Getty Images",
                "Crowds on the quay.",
                Some("Ana Ruiz/AFP/Getty Images"),
            ),
            (
                "Crowds on the quay at dawn",
                "Crowds on the quay at dawn",
                None,
            ),
            (
                "Crowds on the quay at dawn. Photo © Ana Ruiz",
                "Crowds on the quay at dawn.",
                Some("Ana Ruiz"),
            ),
            (
                "Crowds on the quay at dawn Photograph (c) Reuters",
                "Crowds on the quay at dawn",
                Some("Reuters"),
            ),
        ] {
            assert_eq!(
                split_caption_credit(caption),
                (expected.to_string(), credit.map(str::to_string)),
                "{caption}"
            );
        }
        assert_eq!(strip_credit_label("Photo: Reuters"), "Reuters");
    }

    #[test]
    fn a_marked_credit_loses_its_brackets_and_a_piped_one_its_pipe() {
        let html = story(
            "<figure><img src=\"https://news.example/a.jpg\" alt=\"\"><figcaption>\
             <span class=\"c-media-item__caption\">Nurses at the hospital on Monday.</span> \
             <span class=\"c-media-item__credit\">(Sara Quinn/The Daily Record)</span></figcaption></figure>\
             <figure><img src=\"https://news.example/b.jpg\" alt=\"\"><figcaption>Protesters outside the town hall on Monday. | Photo: Getty Images</figcaption></figure>",
        );
        let found: Vec<_> = captions(&html)
            .into_iter()
            .map(|c| (c.text, c.credit))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "Nurses at the hospital on Monday.".to_string(),
                    Some("Sara Quinn/The Daily Record".to_string())
                ),
                (
                    "Protesters outside the town hall on Monday.".to_string(),
                    Some("Getty Images".to_string())
                )
            ]
        );
        assert_eq!(strip_credit_label("(Photo: Mei Lin)"), "Mei Lin");
        assert_eq!(strip_credit_label("[AP]"), "AP");
        // Brackets that close only part of it stay.
        assert_eq!(strip_credit_label("Reuters (file)"), "Reuters (file)");
    }

    /// Opening paragraphs around `middle`, in an article page.
    fn story(middle: &str) -> String {
        format!(
            "<!DOCTYPE html><html><head><title>Winter swim draws record crowd</title></head><body><article>\
             <h1>Winter swim draws record crowd</h1>\
             <p>More than eight hundred swimmers braved a sea temperature of nine degrees for the annual charity dip at South Beach on Sunday morning.</p>\
             <p>The event, now in its fortieth year, raises money for the harbour hospice and drew its biggest crowd since it began.</p>\
             {middle}\
             <p>Organisers said the total raised would be announced at the hospice's open day next month, once the online gifts are counted.</p>\
             </article></body></html>"
        )
    }

    fn captions(html: &str) -> Vec<Caption> {
        let url = Url::parse("https://herald.example/news/swim").expect("a URL");
        super::super::pieces(html, Some(&url))
            .into_iter()
            .filter_map(|p| match p {
                Piece::Caption(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    fn caption(text: &str, credit: Option<&str>, image: Option<&str>) -> Caption {
        Caption {
            text: text.into(),
            credit: credit.map(Into::into),
            image: image.map(Into::into),
            alt: None,
            declared: false,
        }
    }

    #[test]
    fn figures_grouped_in_a_box_or_a_gallery_figure_keep_their_captions() {
        let figures = "<figure><img src=\"/media/swim-1.jpg\"><figcaption>Swimmers run into the sea at noon.</figcaption></figure>\
                       <figure><img src=\"/media/swim-2.jpg\"><figcaption>A swimmer dressed as a lobster.</figcaption></figure>";
        let both = [
            caption(
                "Swimmers run into the sea at noon.",
                None,
                Some("https://herald.example/media/swim-1.jpg"),
            ),
            caption(
                "A swimmer dressed as a lobster.",
                None,
                Some("https://herald.example/media/swim-2.jpg"),
            ),
        ];
        for wrapped in [
            format!("<div class=\"gallery-items\">{figures}</div>"),
            format!("<section>{figures}</section>"),
        ] {
            assert_eq!(captions(&story(&wrapped)), both, "{wrapped}");
        }
        let gallery = format!(
            "<figure class=\"wp-block-gallery has-nested-images\">{}\
             <figcaption class=\"blocks-gallery-caption\">The dip in pictures</figcaption></figure>",
            figures.replace("<figure>", "<figure class=\"wp-block-image\">")
        );
        let mut all = both.to_vec();
        all.push(caption("The dip in pictures", None, None));
        assert_eq!(captions(&story(&gallery)), all);
        // A strip of bare images is still no article text.
        let strip =
            "<div><img src=\"/ads/a.jpg\"><img src=\"/ads/b.jpg\"><img src=\"/ads/c.jpg\"></div>";
        assert!(captions(&story(strip)).is_empty());
    }

    /// The paragraphs of the article around `middle`.
    fn paragraphs(middle: &str) -> Vec<String> {
        super::super::pieces(&story(middle), None)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Paragraph(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_quote_wrapped_in_a_figure_stays_as_it_does_bare() {
        let quote = "<blockquote class=\"twitter-tweet\"><p lang=\"en\">What a morning at South Beach, 800 of us in the sea! \
                     <a href=\"https://t.co/x1\">pic.twitter.com/x1</a></p>&mdash; Harbour Hospice (@hospice) \
                     <a href=\"https://twitter.com/hospice/status/1\">December 6, 2026</a></blockquote>\
                     <script async src=\"https://platform.twitter.com/widgets.js\"></script>";
        for middle in [
            quote.to_string(),
            format!(
                "<figure class=\"wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter\">\
                 <div class=\"wp-block-embed__wrapper\">{quote}</div></figure>"
            ),
            format!("<figure>{quote}</figure>"),
        ] {
            let got = paragraphs(&middle);
            assert_eq!(got.len(), 5, "{middle}: {got:?}");
            assert!(
                got[2].starts_with("What a morning at South Beach"),
                "{middle}: {got:?}"
            );
        }
        // A quote set with its source under it in a figure keeps both.
        let got = paragraphs(
            "<figure><blockquote><p>The sea was colder than last year, but the crowd was twice as big.</p></blockquote>\
             <figcaption>Ana Ruiz, the hospice's director</figcaption></figure>",
        );
        assert_eq!(got.len(), 5, "{got:?}");
        assert!(got[2].starts_with("The sea was colder"), "{got:?}");
        assert_eq!(got[3], "Ana Ruiz, the hospice's director");
        // A box of links in a figure stays out, quote or not.
        let links = "<figure><div class=\"embed\"><blockquote><a href=\"/a\">Swim results</a> \
                     <a href=\"/b\">Hospice open day</a> <a href=\"/c\">Beach cafe</a></blockquote></div></figure>";
        assert_eq!(paragraphs(links).len(), 3);
    }

    #[test]
    fn each_row_of_a_table_is_one_paragraph_of_its_cells() {
        let table = "<table><caption>Swimmers by year</caption>\
                     <thead><tr><th>Year</th><th>Swimmers</th></tr></thead>\
                     <tbody><tr><td>2024</td><td>610</td></tr><tr><td><p>2025</p></td><td>842</td></tr>\
                     <tr><td>2026</td><td></td></tr></tbody></table>";
        let got = paragraphs(table);
        assert_eq!(
            got[2..7],
            [
                "Swimmers by year",
                "Year | Swimmers",
                "2024 | 610",
                "2025 | 842",
                "2026 |"
            ],
            "{got:?}"
        );
        // A table laid out as the page's columns is read as text, cell by
        // cell: a cell of paragraphs is no figure of a table.
        let layout = "<table><tr><td>Beach news</td><td>\
                      <p>Lifeguards will patrol the beach every weekend from May, the council said in a statement.</p>\
                      <p>The patrols were cut last year after the council lost a grant that paid for them.</p></td></tr></table>";
        let got = paragraphs(layout);
        assert!(
            got.contains(&"Beach news".to_string())
                && got.contains(&"The patrols were cut last year after the council lost a grant that paid for them.".to_string()),
            "{got:?}"
        );
    }

    #[test]
    fn a_table_in_a_figure_is_text_and_its_caption_no_photo_caption() {
        let figure = "<figure class=\"wp-block-table\"><table><thead><tr><th>Year</th><th>Raised</th></tr></thead>\
             <tbody><tr><td>2025</td><td>£18,200</td></tr><tr><td>2026</td><td>£21,750</td></tr></tbody></table>\
             <figcaption class=\"wp-element-caption\">Money raised by the dip. Source: Harbour Hospice</figcaption></figure>";
        assert!(captions(&story(figure)).is_empty());
        let got = paragraphs(figure);
        assert_eq!(
            got[2..6],
            [
                "Year | Raised",
                "2025 | £18,200",
                "2026 | £21,750",
                "Money raised by the dip. Source: Harbour Hospice"
            ],
            "{got:?}"
        );
    }

    #[test]
    fn code_in_a_figure_is_text_and_its_caption_no_photo_caption() {
        let figure = "<figure class=\"highlight\"><pre><code class=\"language-sh\">curl https://tides.example/today</code></pre>\
             <figcaption>How to fetch the tide table</figcaption></figure>";
        assert!(captions(&story(figure)).is_empty());
        let got = paragraphs(figure);
        assert_eq!(
            got[2..4],
            [
                "curl https://tides.example/today",
                "How to fetch the tide table"
            ],
            "{got:?}"
        );
    }

    #[test]
    fn a_cell_spanning_columns_keeps_the_cells_after_it_in_their_columns() {
        let table = "<table><thead><tr><th colspan=\"2\">Swimmer</th><th>Time</th></tr></thead>\
                     <tbody><tr><td>Ana</td><td>Ruiz</td><td>4:12</td></tr>\
                     <tr><td colspan=\"2\">Tom Reyes</td><td>4:30</td></tr>\
                     <tr><td>Mia</td><td colspan=\"2\">did not finish</td></tr>\
                     <tr><td colspan=\"1000000\">Relay</td><td>9:01</td></tr></tbody></table>";
        let got = paragraphs(table);
        assert_eq!(
            got[2..7],
            [
                "Swimmer | | Time",
                "Ana | Ruiz | 4:12",
                "Tom Reyes | | 4:30",
                "Mia | did not finish",
                // A span wider than the table spans the rest of its columns.
                "Relay | | 9:01"
            ],
            "{got:?}"
        );
    }

    #[test]
    fn a_cell_spanning_rows_keeps_the_cells_below_it_in_their_columns() {
        // The columns a cell spans below its own row are left empty there,
        // as a cell spanning columns leaves them empty in its own row.
        let table = "<table><thead><tr><th>Heat</th><th>Swimmer</th><th>Time</th><th>Place</th></tr></thead>\
                     <tbody><tr><td rowspan=\"2\">1</td><td>Ana</td><td>4:12</td><td>1st</td></tr>\
                     <tr><td>Tom</td><td>4:30</td><td>2nd</td></tr>\
                     <tr><td>2</td><td>Mia</td><td>4:50</td><td rowspan=\"2\">3rd</td></tr>\
                     <tr><td rowspan=\"2\" colspan=\"2\">Relay</td><td>9:01</td></tr>\
                     <tr><td>9:05</td><td>4th</td></tr>\
                     <tr><td>3</td><td>Lea</td><td>5:02</td><td>5th</td></tr></tbody>\
                     <tbody><tr><td rowspan=\"0\">4</td><td>Kai</td><td>5:10</td><td>6th</td></tr>\
                     <tr><td>Eva</td><td>5:15</td><td>7th</td></tr></tbody>\
                     <tfoot><tr><td>All</td><td>9</td><td>41:40</td><td>done</td></tr></tfoot></table>";
        let got = paragraphs(table);
        assert_eq!(
            got[2..13],
            [
                "Heat | Swimmer | Time | Place",
                "1 | Ana | 4:12 | 1st",
                "| Tom | 4:30 | 2nd",
                "2 | Mia | 4:50 | 3rd",
                // Nothing is added after a row's last cell.
                "Relay | | 9:01",
                // Spanning two columns and two rows: its columns below are
                // left empty too.
                "| | 9:05 | 4th",
                "3 | Lea | 5:02 | 5th",
                // A span of `0` reaches the end of its row group, no further.
                "4 | Kai | 5:10 | 6th",
                "| Eva | 5:15 | 7th",
                "All | 9 | 41:40 | done",
                "Organisers said the total raised would be announced at the hospice's open day next month, once the online gifts are counted."
            ],
            "{got:?}"
        );
    }

    #[test]
    fn a_box_of_figures_that_show_no_picture_is_no_caption_box() {
        // A video player's caption: the player is a script's frame.
        let player = "<div class=\"media-player\"><figure class=\"media-item\">\
                      <div class=\"media-container\"><iframe src=\"https://player.example/embed/1\"></iframe></div>\
                      <figcaption><span>Media caption</span> The lifeguards' briefing before the dip</figcaption></figure></div>";
        assert!(captions(&story(player)).is_empty());
        // A picture in the box, or a video's poster frame, keeps it.
        let pictured = player.replace(
            "<iframe src=\"https://player.example/embed/1\"></iframe>",
            "<img src=\"/media/briefing.jpg\">",
        );
        assert_eq!(captions(&story(&pictured)).len(), 1, "{pictured}");
        let poster = player.replace(
            "<iframe src=\"https://player.example/embed/1\"></iframe>",
            "<video poster=\"/media/briefing.jpg\" src=\"/media/briefing.mp4\"></video><iframe src=\"https://player.example/embed/1\"></iframe>",
        );
        assert_eq!(captions(&story(&poster)).len(), 1, "{poster}");
    }

    #[test]
    fn a_figure_in_a_box_named_for_its_caption_keeps_its_caption() {
        let figure = "<figure><img src=\"/media/swim.jpg\"><figcaption class=\"image-caption\">\
                      Swimmers run into the sea at noon. Photo: Jane Doe</figcaption></figure>";
        for class in [
            "captioned-image-container",
            "caption",
            "has-caption",
            "image-with-caption",
            "media-caption-container",
        ] {
            let html = story(&format!("<div class=\"{class}\">{figure}</div>"));
            assert_eq!(
                captions(&html),
                [caption(
                    "Swimmers run into the sea at noon.",
                    Some("Jane Doe"),
                    Some("https://herald.example/media/swim.jpg"),
                )],
                "{class}"
            );
        }
        // A caption box beside no figure is still furniture.
        let html =
            story("<div class=\"caption\"><a href=\"/gallery\">See all our photos</a></div>");
        assert!(!paragraphs(&html).iter().any(|p| p.contains("photos")));
    }

    #[test]
    fn a_classic_gallery_in_definition_lists_gives_each_caption() {
        let item = |n: u32, text: &str| {
            format!(
                "<dl class=\"gallery-item\"><dt class=\"gallery-icon landscape\"><a href=\"/media/swim-{n}.jpg\">\
                 <img src=\"/media/swim-{n}-300x200.jpg\" alt=\"\"></a></dt>\
                 <dd class=\"wp-caption-text gallery-caption\">{text}</dd></dl>"
            )
        };
        let html = story(&format!(
            "<div id=\"gallery-1\" class=\"gallery galleryid-555 gallery-columns-2\">{}{}<br style=\"clear: both\"></div>",
            item(1, "Swimmers run into the sea at noon. Photo: Jane Doe"),
            item(2, "A swimmer dressed as a lobster. Photo: Jane Doe"),
        ));
        assert_eq!(
            captions(&html),
            [
                caption(
                    "Swimmers run into the sea at noon.",
                    Some("Jane Doe"),
                    Some("https://herald.example/media/swim-1-300x200.jpg"),
                ),
                caption(
                    "A swimmer dressed as a lobster.",
                    Some("Jane Doe"),
                    Some("https://herald.example/media/swim-2-300x200.jpg"),
                ),
            ]
        );
    }

    #[test]
    fn a_classic_wordpress_caption_is_a_caption_with_its_photo() {
        let html = story(
            "<div id=\"attachment_4415\" style=\"width: 1034px\" class=\"wp-caption aligncenter\">\
             <img class=\"size-large wp-image-4415\" src=\"/wp-content/uploads/2026/11/dip-1024x683.jpg\" width=\"1024\" height=\"683\">\
             <p class=\"wp-caption-text\">Swimmers at the water's edge before the start. Photo: Harbour Hospice</p></div>",
        );
        assert_eq!(
            captions(&html),
            [caption(
                "Swimmers at the water's edge before the start.",
                Some("Harbour Hospice"),
                Some("https://herald.example/wp-content/uploads/2026/11/dip-1024x683.jpg"),
            )]
        );
        let url = Url::parse("https://herald.example/news/swim").expect("a URL");
        let leaked = super::super::pieces(&html, Some(&url))
            .into_iter()
            .any(|p| matches!(p, Piece::Paragraph(t) if t.contains("water's edge")));
        assert!(!leaked);
    }

    #[test]
    fn a_credit_beside_the_image_outside_the_figcaption_is_the_captions() {
        for credit in [
            "<span role=\"text\"><span class=\"visually-hidden\">Image source, </span>Getty Images</span>",
            "<span class=\"media-credit\">Getty Images</span>",
            "<p>Photo: Getty Images</p>",
        ] {
            let html = story(&format!(
                "<figure><div><img src=\"/media/swim.jpg\">{credit}</div>\
                 <figcaption><span class=\"visually-hidden\">Image caption, </span>Swimmers run into the sea at noon</figcaption></figure>"
            ));
            assert_eq!(
                captions(&html),
                [caption(
                    "Swimmers run into the sea at noon",
                    Some("Getty Images"),
                    Some("https://herald.example/media/swim.jpg"),
                )],
                "{credit}"
            );
        }
        // Other words beside the image are no credit.
        let html = story(
            "<figure><img src=\"/media/swim.jpg\"><button>Enlarge this image</button>\
             <figcaption>Swimmers run into the sea at noon</figcaption></figure>",
        );
        assert_eq!(captions(&html)[0].credit, None);
    }

    #[test]
    fn the_picture_in_noscript_wins_over_a_lazy_loading_placeholder() {
        for placeholder in [
            "/wp-content/plugins/a3-lazy-load/assets/images/lazy_placeholder.gif",
            "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==",
        ] {
            let html = story(&format!(
                "<figure class=\"wp-block-image\"><img class=\"lazy lazy-hidden\" src=\"{placeholder}\" alt=\"\">\
                 <noscript><img src=\"/wp-content/uploads/2026/12/swim.jpg\" alt=\"\"></noscript>\
                 <figcaption>Swimmers run into the sea at noon.</figcaption></figure>"
            ));
            assert_eq!(
                captions(&html)[0].image.as_deref(),
                Some("https://herald.example/wp-content/uploads/2026/12/swim.jpg"),
                "{placeholder}"
            );
        }
        // A picture given only in noscript, in a box of its own.
        let html = story(
            "<div class=\"image-box\"><figure><noscript><img src=\"/media/swim.jpg\"></noscript>\
             <figcaption>Swimmers run into the sea at noon.</figcaption></figure></div>",
        );
        assert_eq!(
            captions(&html)[0].image.as_deref(),
            Some("https://herald.example/media/swim.jpg")
        );
        // A real picture before the noscript stays.
        let html = story(
            "<figure><img src=\"/media/swim.jpg\"><noscript><img src=\"/media/other.jpg\"></noscript>\
             <figcaption>Swimmers run into the sea at noon.</figcaption></figure>",
        );
        assert_eq!(
            captions(&html)[0].image.as_deref(),
            Some("https://herald.example/media/swim.jpg")
        );
    }

    #[test]
    fn an_image_marked_as_loaded_late_gives_way_to_its_noscript_picture() {
        let caption = "<figcaption>Swimmers run into the sea at noon.</figcaption>";
        for image in [
            "<img src=\"/ph.gif\" class=\"lazyload\" width=\"1\" height=\"1\">",
            "<img src=\"/ph.gif\" loading=\"lazy\">",
            "<div><img src=\"/ph.gif\" class=\"lazyload\"></div>",
        ] {
            let html = story(&format!(
                "<figure>{image}\n<noscript><img src=\"/media/swim.jpg\"></noscript>{caption}</figure>"
            ));
            assert_eq!(
                captions(&html)[0].image.as_deref(),
                Some("https://herald.example/media/swim.jpg"),
                "{image}"
            );
        }
        // With no noscript picture right after it (a tracking pixel, text
        // between), the image keeps its own picture.
        for after in [
            "<noscript><img src=\"https://stats.example/c.gif\" width=\"1\" height=\"1\"></noscript>",
            "<span>Swimmers</span><noscript><img src=\"/media/other.jpg\"></noscript>",
            "",
        ] {
            let html = story(&format!(
                "<figure><img src=\"/media/swim.jpg\" loading=\"lazy\">{after}{caption}</figure>"
            ));
            assert_eq!(
                captions(&html)[0].image.as_deref(),
                Some("https://herald.example/media/swim.jpg"),
                "{after}"
            );
        }
    }

    #[test]
    fn an_image_captioned_in_a_box_that_is_no_figure_is_a_figure() {
        for middle in [
            "<div class=\"image\"><img src=\"/media/swim.jpg\"><div class=\"caption\">Swimmers run into the sea at noon. (Reuters)</div></div>",
            "<div class=\"media\"><div class=\"field--name-field-media-image\"><img src=\"/media/swim.jpg\"></div>\
             <div class=\"field--name-field-caption\">Swimmers run into the sea at noon.</div><div class=\"field--name-field-credit\">Reuters</div></div>",
            "<img src=\"/media/swim.jpg\"><p class=\"photo-caption\">Swimmers run into the sea at noon. Photo: Reuters</p>",
        ] {
            let html = story(middle);
            assert_eq!(
                captions(&html),
                [caption(
                    "Swimmers run into the sea at noon.",
                    Some("Reuters"),
                    Some("https://herald.example/media/swim.jpg"),
                )],
                "{middle}"
            );
            let texts: Vec<String> = super::super::pieces(&html, None)
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Paragraph(t) => Some(t),
                    _ => None,
                })
                .collect();
            assert_eq!(texts.len(), 3, "{middle}: {texts:?}");
        }
    }

    #[test]
    fn a_cite_or_small_closing_a_figcaption_is_its_credit() {
        for (credit, name) in [
            (
                "<cite>Ana Ruiz/Westport Herald</cite>",
                "Ana Ruiz/Westport Herald",
            ),
            ("<cite>Reuters</cite>", "Reuters"),
            ("<small>Photo: Getty Images</small>", "Getty Images"),
            ("<small>(AP)</small>", "AP"),
        ] {
            let html = story(&format!(
                "<figure><img src=\"/media/dam.jpg\"><figcaption>A dam built across a side channel of the river {credit}</figcaption></figure>"
            ));
            assert_eq!(
                captions(&html),
                [caption(
                    "A dam built across a side channel of the river",
                    Some(name),
                    Some("https://herald.example/media/dam.jpg"),
                )],
                "{credit}"
            );
        }
        // A title cited inside the caption's sentence is the caption's.
        let html = story(
            "<figure><img src=\"/media/still.jpg\"><figcaption>A still from <cite>The Harbour</cite>, shot in 1962</figcaption></figure>",
        );
        let got = &captions(&html)[0];
        assert_eq!(got.text, "A still from The Harbour, shot in 1962");
        assert_eq!(got.credit, None);
    }

    #[test]
    fn a_credit_after_a_label_for_screen_readers_only_is_split_off() {
        let html = story(
            "<figure><img src=\"/media/swim.jpg\"><figcaption>Swimmers run into the sea at noon. \
             <span class=\"visually-hidden\">Image credit:</span> Getty Images</figcaption></figure>",
        );
        let got = &captions(&html)[0];
        assert_eq!(got.text, "Swimmers run into the sea at noon.");
        assert_eq!(got.credit.as_deref(), Some("Getty Images"));
    }

    #[test]
    fn photo_by_credits_close_a_caption_after_a_sentence_or_in_brackets() {
        let split = |text: &str| split_caption_credit(text);
        assert_eq!(
            split("Ruth Hale behind the counter. Photo by Jonas Weber"),
            (
                "Ruth Hale behind the counter.".into(),
                Some("Jonas Weber".into())
            )
        );
        assert_eq!(
            split("Ruth Hale behind the counter (Photo by Jonas Weber)"),
            (
                "Ruth Hale behind the counter".into(),
                Some("Jonas Weber".into())
            )
        );
        assert_eq!(
            split("The pier at dusk. Photograph by Ana Ruiz on Unsplash"),
            (
                "The pier at dusk.".into(),
                Some("Ana Ruiz on Unsplash".into())
            )
        );
        for caption in [
            "A photo by the river",
            "Swimmers pose for a photo by Jonas Weber",
            "The pier at dusk. Photo by the harbour master's office.",
        ] {
            assert_eq!(split(caption), (caption.into(), None), "{caption}");
        }
    }

    #[test]
    fn white_space_between_two_line_breaks_still_parts_paragraphs() {
        for breaks in [
            "<br><br>",
            "<br>\n<br>",
            "<br> <br>",
            "<br>&nbsp;<br>",
            "<br />\n\t<br />",
        ] {
            let html = format!(
                "<html><head><title>Harbour fees rise</title></head><body><h1>Harbour fees rise</h1><div class=\"text\">\
                 The harbour board voted on Tuesday to raise mooring fees by twelve per cent from April, the first rise in five years.{breaks}\
                 Boat owners said the rise was steep but accepted that the pontoons, laid in 1988, needed replacing.{breaks}\
                 The board said the extra money would pay for new walkways and lighting along the north quay.</div></body></html>"
            );
            let paragraphs = super::super::pieces(&html, None)
                .into_iter()
                .filter(|p| matches!(p, Piece::Paragraph(_)))
                .count();
            assert_eq!(paragraphs, 3, "{breaks:?}");
        }
    }

    #[test]
    fn a_bold_or_large_line_ended_by_one_line_break_is_a_block_of_its_own() {
        let lead = "The only shop in Holmsjö reopened on Saturday, eight months after its owner retired, now run by a cooperative of 240 villagers.";
        let texts = |head: &str| {
            let html = format!(
                "<html><head><title>Village shop reopens</title></head><body><table><tr><td class=\"story\">\
                 {head}<br>\n{lead}<br><br>\
                 Volunteers staff the till four days a week, and a paid manager works the other three, the chair said.<br><br>\
                 The cooperative hopes to add a post office counter next year.</td></tr></table></body></html>"
            );
            super::super::pieces(&html, None)
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Paragraph(t) | Piece::Subhead(t) => Some(t),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        for head in [
            "<font size=\"4\"><b>Village shop reopens as cooperative</b></font>",
            "<b>Village shop reopens as cooperative</b>",
            "<font size=\"+2\">Village shop reopens as cooperative</font>",
        ] {
            let got = texts(head);
            assert_eq!(got[0], "Village shop reopens as cooperative", "{head}");
            assert_eq!(got[1], lead, "{head}");
        }
        // Text partly bold, a bold sentence, type that is not larger: one
        // line of the paragraph as before.
        for head in [
            "<b>HOLMSJÖ</b> – a village of 600",
            "<b>The shop closed in March.</b>",
            "<font face=\"Arial\">Village shop reopens as cooperative</font>",
        ] {
            let got = texts(head);
            assert!(got[0].ends_with(lead), "{head}: {got:?}");
        }
    }

    #[test]
    fn a_wholly_bold_short_paragraph_before_text_is_a_crosshead() {
        let subheads = |middle: &str| {
            super::super::pieces(&story(middle), None)
                .into_iter()
                .filter_map(|p| match p {
                    // The headline is taken out later, with the metadata.
                    Piece::Subhead(s) if s != "Winter swim draws record crowd" => Some(s),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        let after = "<p>The current pontoons were laid in 1988 and are past their design life, an engineering report found last year.</p>";
        for bold in [
            "<p><strong>Pontoons past their best</strong></p>",
            "<p><b>Pontoons past their best</b></p>",
            "<p> <strong><em>Pontoons past their best</em></strong> </p>",
        ] {
            assert_eq!(
                subheads(&format!("{bold}{after}")),
                ["Pontoons past their best"],
                "{bold}"
            );
        }
        for not_one in [
            // A bold lead sentence, a question, a label, a link.
            "<p><strong>The harbour board will meet again in March.</strong></p>",
            "<p><strong>What happens to the pontoons now?</strong></p>",
            "<p><strong>Editor's note:</strong></p>",
            "<p><strong><a href=\"/pontoons\">Pontoons past their best</a></strong></p>",
            // Partly bold.
            "<p><strong>Pontoons</strong> past their best</p>",
        ] {
            assert!(
                subheads(&format!("{not_one}{after}")).is_empty(),
                "{not_one}"
            );
        }
        // Nothing after it to head: a bold sign-off closes the story.
        let html = story("").replace(
            "</article>",
            "<p><strong>Additional reporting by Tom Reyes</strong></p></article>",
        );
        let signed_off = super::super::pieces(&html, None)
            .into_iter()
            .any(|p| matches!(p, Piece::Paragraph(t) if t == "Additional reporting by Tom Reyes"));
        assert!(signed_off);
    }

    #[test]
    fn credit_labels_come_off_credits() {
        assert_eq!(
            split_caption_credit("Pickets at the gate on Monday (Image: Harbour Agency)"),
            (
                "Pickets at the gate on Monday".into(),
                Some("Harbour Agency".into())
            )
        );
        assert_eq!(
            split_caption_credit("Pickets at the gate. Bild: Harbour Agency"),
            ("Pickets at the gate.".into(), Some("Harbour Agency".into()))
        );
        // Inside brackets a label comes off only before its colon.
        assert_eq!(
            split_caption_credit("Bankers leave the tower (Credit Suisse)"),
            (
                "Bankers leave the tower".into(),
                Some("Credit Suisse".into())
            )
        );
        assert_eq!(
            split_caption_credit("Bankers leave the tower (Credit: Ana Ruiz)"),
            ("Bankers leave the tower".into(), Some("Ana Ruiz".into()))
        );
        assert_eq!(strip_credit_label("Credit Ana Ruiz"), "Ana Ruiz");
        assert_eq!(strip_credit_label("Credit: Ana Ruiz"), "Ana Ruiz");
        // The ellipsis the New York Times sets after its label.
        assert_eq!(strip_credit_label("Credit...Ana Ruiz"), "Ana Ruiz");
        assert_eq!(strip_credit_label("Credit…Ana Ruiz"), "Ana Ruiz");
        assert_eq!(
            split_caption_credit("Pickets at the gate on Monday.Credit...Ana Ruiz for The Post"),
            (
                "Pickets at the gate on Monday.".into(),
                Some("Ana Ruiz for The Post".into())
            )
        );
        assert_eq!(
            split_caption_credit("Pickets at the gate on Monday. Credit…Ana Ruiz"),
            (
                "Pickets at the gate on Monday.".into(),
                Some("Ana Ruiz".into())
            )
        );
        assert_eq!(
            strip_credit_label("Creditors' meeting"),
            "Creditors' meeting"
        );
    }

    #[test]
    fn a_datelines_byline_is_its_part_that_starts_with_by() {
        let byline = |untimed: &str| Dateline::new(String::new(), Some(untimed)).byline;
        assert_eq!(byline("By Ana Ruiz · "), Some("By Ana Ruiz".into()));
        assert_eq!(byline(" | By Ana Ruiz"), Some("By Ana Ruiz".into()));
        assert_eq!(
            byline(" · By Ana Ruiz and Tom Reyes"),
            Some("By Ana Ruiz and Tom Reyes".into())
        );
        assert_eq!(byline(" | Updated "), None);
        assert_eq!(byline(" | Bystanders"), None);
        assert_eq!(byline("Written by Ana Ruiz · "), Some("by Ana Ruiz".into()));
    }

    #[test]
    fn a_bylines_date_is_the_date_line_that_ends_it() {
        let dates = |text: &str| {
            let line = Dateline::new(text.to_string(), Some(text));
            line.dates()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(dates("By Ana Ruiz, 3 December 2026"), ["3 December 2026"]);
        assert_eq!(
            dates("By Ana Ruiz, December 3, 2026 10:15 GMT"),
            ["December 3, 2026 10:15 GMT"]
        );
        assert_eq!(
            dates("By Ana Ruiz and Tom Reyes | 3 Dec 2026"),
            ["3 Dec 2026"]
        );
        assert!(dates("By Ana Ruiz, Calder Herald").is_empty());
        assert!(dates("By Ana Ruiz, Tom Reyes").is_empty());
        // A line that is no byline is not read for a date at its end.
        let plain = Dateline::new("Calder Herald, 3 December 2026".into(), None);
        assert!(plain.dates().is_empty());
    }
}

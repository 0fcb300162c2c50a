//! Pictures captioned outside a `<figure>`: an image and its caption in a
//! box of their own (`<div class="image"><img><div class="caption">…</div></div>`,
//! Drupal's `div.media` holding `div.field--name-field-caption`), or a
//! caption set right after its image with no box around the two (`<img>`
//! then `<p class="photo-caption">`), as older templates write them. The
//! caption is an element with the class word `caption`; [`super::blocks`]
//! reads such a box as it reads a figure.

use std::collections::HashMap;

use html5ever::local_name;

use super::dom::{Dom, Element, NodeId};
use super::signals;

/// The pictures of a page captioned outside a `<figure>`.
#[derive(Debug, Default)]
pub struct PictureBoxes {
    /// Each box, by its id, and the caption in it.
    boxes: HashMap<NodeId, NodeId>,
    /// Each caption set right after its image with no box around them, by
    /// its id, and the element before it that shows the image.
    loose: HashMap<NodeId, NodeId>,
}

/// How many levels above its caption a box may be.
const MAX_BOX_DEPTH: usize = 4;

impl PictureBoxes {
    /// Finds the pictures in `dom` captioned outside a `<figure>`;
    /// `figure_like` tells the elements already read as figures, whose
    /// captions are theirs.
    pub fn find(dom: &Dom, figure_like: impl Fn(&Element) -> bool) -> PictureBoxes {
        let mut found = PictureBoxes::default();
        for id in 0..dom.len() as NodeId {
            let Some(e) = dom.element(id) else {
                continue;
            };
            if !caption_class(e)
                || dom
                    .ancestors(id)
                    .any(|a| dom.element(a).is_some_and(&figure_like))
            {
                continue;
            }
            if let Some(picture_box) = box_around(dom, id) {
                found.boxes.entry(picture_box).or_insert(id);
            } else if let Some(image) = image_before(dom, id) {
                found.loose.insert(id, image);
            }
        }
        found
    }

    /// The caption of box `id`, when it is a picture's box.
    pub fn caption_of(&self, id: NodeId) -> Option<NodeId> {
        self.boxes.get(&id).copied()
    }

    /// Whether element `id` shows the image of a caption set right after
    /// it ([`PictureBoxes::image_of`]).
    pub fn shows_loose_image(&self, id: NodeId) -> bool {
        self.loose.values().any(|&image| image == id)
    }

    /// The element that shows the image of caption `id`, when the caption
    /// is set right after it with no box around them.
    pub fn image_of(&self, id: NodeId) -> Option<NodeId> {
        self.loose.get(&id).copied()
    }
}

/// Whether one of the element's class words is `caption`
/// (`caption`, `photo-caption`, `field--name-field-caption`; not
/// `captioned-image-container`, a box around a figure).
fn caption_class(e: &Element) -> bool {
    e.attr("class").is_some_and(|class| {
        class
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| word.eq_ignore_ascii_case("caption"))
    })
}

/// The nearest element above `caption` (at most [`MAX_BOX_DEPTH`] levels)
/// that holds one image and no text but the caption's and a credit's,
/// short of the page's `body`, `main` or `article`.
fn box_around(dom: &Dom, caption: NodeId) -> Option<NodeId> {
    for level in dom.ancestors(caption).skip(1).take(MAX_BOX_DEPTH) {
        let e = dom.element(level)?;
        if matches!(
            e.name,
            local_name!("body")
                | local_name!("html")
                | local_name!("main")
                | local_name!("article")
        ) {
            return None;
        }
        match images_in(dom, level) {
            0 => continue,
            1 if only_caption_text(dom, level, caption) => return Some(level),
            _ => return None,
        }
    }
    None
}

/// The element right before `caption` (its previous sibling element) when
/// it shows one image and no text: an `img`, or a box holding one.
fn image_before(dom: &Dom, caption: NodeId) -> Option<NodeId> {
    let parent = dom.parent(caption)?;
    let previous = dom
        .children(parent)
        .take_while(|&c| c != caption)
        .filter(|&c| dom.element(c).is_some() || dom.text(c).is_some_and(has_words))
        .last()?;
    let e = dom.element(previous)?;
    let image =
        is_image(e) || (images_in(dom, previous) == 1 && !has_words(&dom.text_of(previous)));
    image.then_some(previous)
}

/// How many images (`img`, AMP's `amp-img`) `id` holds.
fn images_in(dom: &Dom, id: NodeId) -> usize {
    dom.descendants(id)
        .filter(|&n| dom.element(n).is_some_and(is_image))
        .count()
}

fn is_image(e: &Element) -> bool {
    e.name == local_name!("img") || &*e.name == "amp-img"
}

/// Whether the only words under `id` are those of `caption` and of
/// elements marked as a credit.
fn only_caption_text(dom: &Dom, id: NodeId, caption: NodeId) -> bool {
    let mut words = false;
    dom.walk_skipping(id, |n| {
        if n == caption {
            return true;
        }
        if let Some(e) = dom.element(n) {
            return signals::never_content(&e.name) || credit_class(e);
        }
        words |= dom.text(n).is_some_and(has_words);
        false
    });
    !words
}

/// Whether the element's class or id marks it as a photo's credit.
fn credit_class(e: &Element) -> bool {
    let names = signals::names(e);
    ["credit", "copyright", "photographer"]
        .iter()
        .any(|w| names.contains(w))
}

fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(html: &str) -> (Dom, PictureBoxes) {
        let dom = Dom::parse(html);
        let boxes = PictureBoxes::find(&dom, |e| e.name == local_name!("figure"));
        (dom, boxes)
    }

    fn named(dom: &Dom, class: &str) -> NodeId {
        (0..dom.len() as NodeId)
            .find(|&n| dom.element(n).and_then(|e| e.attr("class")) == Some(class))
            .expect("the element is there")
    }

    #[test]
    fn a_box_of_one_image_and_its_caption_is_a_pictures() {
        for html in [
            "<div class=\"image\"><img src=\"a.jpg\"><div class=\"caption\">The station. (Reuters)</div></div>",
            "<div class=\"image\"><div class=\"media\"><img src=\"a.jpg\"></div><div class=\"caption\">The station.</div><span class=\"credit\">Ana Ruiz</span></div>",
            "<div class=\"image\"><picture><img src=\"a.jpg\"></picture><p class=\"caption\">The station.</p></div>",
            "<div class=\"image\"><div class=\"field field--name-field-image\"><img src=\"a.jpg\"></div><div class=\"field--name-field-caption\"><div class=\"caption\">The station.</div></div></div>",
        ] {
            let (dom, boxes) = find(html);
            let picture_box = named(&dom, "image");
            assert!(boxes.caption_of(picture_box).is_some(), "{html}");
        }
    }

    #[test]
    fn a_box_with_other_words_or_images_is_none() {
        for html in [
            "<div class=\"image\"><img src=\"a.jpg\"><div class=\"caption\">The station.</div><p>More words of the story here.</p></div>",
            "<div class=\"image\"><img src=\"a.jpg\"><img src=\"b.jpg\"><div class=\"caption\">The station.</div></div>",
            "<div class=\"image\"><div class=\"caption\">A caption with no picture.</div></div>",
            "<figure class=\"image\"><img src=\"a.jpg\"><div class=\"caption\">The station.</div></figure>",
        ] {
            let (dom, boxes) = find(html);
            let picture_box = named(&dom, "image");
            assert_eq!(boxes.caption_of(picture_box), None, "{html}");
        }
    }

    #[test]
    fn a_caption_right_after_its_image_is_the_images() {
        let (dom, boxes) = find(
            "<div class=\"body\"><p>The line will reopen in 2029.</p><img class=\"photo\" src=\"a.jpg\">\
             <p class=\"photo-caption\">The station. Photo: Ana Ruiz</p><p>Work starts in spring.</p></div>",
        );
        let caption = named(&dom, "photo-caption");
        assert_eq!(boxes.image_of(caption), Some(named(&dom, "photo")));
        // After a paragraph, a caption class names no picture's caption.
        let (dom, boxes) = find(
            "<div class=\"body\"><p>The line will reopen in 2029.</p><p class=\"caption\">The station.</p></div>",
        );
        assert_eq!(boxes.image_of(named(&dom, "caption")), None);
    }
}

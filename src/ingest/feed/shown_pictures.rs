//! The pictures an entry's HTML shows, by every URL it names them by: the
//! `src` of each `<img>`, the sources a lazy-loading script reads
//! (`data-src`, `data-lazy-src`, `data-original`), and every candidate of
//! its `srcset` and of each `<picture>`'s `<source srcset>`. A picture the
//! entry's Media RSS or image enclosure gives again under one of these
//! URLs is already shown.

use std::cell::RefCell;

use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};

use crate::ingest::picture::srcset_urls;
use crate::ingest::sanitize::{content_after, tokenize_into};

/// The attributes of an `<img>` that name its picture by one URL.
const PICTURE_ATTRIBUTES: &[&str] = &["src", "data-src", "data-lazy-src", "data-original"];

/// The attributes of an `<img>` or a `<source>` that list its pictures.
const CANDIDATE_ATTRIBUTES: &[&str] = &["srcset", "data-srcset"];

/// Every URL by which `html` shows a picture, as written (not resolved),
/// in document order; a URL may come more than once.
pub(super) fn shown_picture_urls(html: &str) -> Vec<String> {
    let names_pictures = html
        .as_bytes()
        .windows(4)
        .any(|w| w.eq_ignore_ascii_case(b"<img") || w.eq_ignore_ascii_case(b"<sou"));
    if !names_pictures {
        return Vec::new();
    }
    tokenize_into(PictureUrls::default(), html)
        .urls
        .into_inner()
}

/// Reads the start tags of `<img>` and `<source>` elements.
#[derive(Default)]
struct PictureUrls {
    urls: RefCell<Vec<String>>,
}

impl PictureUrls {
    /// Adds the URLs of `tag`'s attributes named in `single` (one URL
    /// each) and in [`CANDIDATE_ATTRIBUTES`] (a list of candidates).
    fn add(&self, tag: &Tag, single: &[&str]) {
        let mut urls = self.urls.borrow_mut();
        for attribute in &tag.attrs {
            let name: &str = &attribute.name.local;
            let value = attribute.value.trim();
            if single.contains(&name) {
                urls.push(value.to_string());
            } else if CANDIDATE_ATTRIBUTES.contains(&name) {
                urls.extend(srcset_urls(value).map(str::to_string));
            }
        }
        urls.retain(|url| !url.is_empty());
    }
}

impl TokenSink for PictureUrls {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name: &str = &tag.name;
        match (tag.kind, name) {
            (TagKind::StartTag, "img") => self.add(&tag, PICTURE_ATTRIBUTES),
            // A `<source>` of audio or video gives a `src`, not a `srcset`.
            (TagKind::StartTag, "source") => self.add(&tag, &[]),
            (TagKind::StartTag, _) => return content_after(name),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn src_lazy_sources_and_every_srcset_candidate_are_shown() {
        assert_eq!(
            shown_picture_urls(concat!(
                "<figure><IMG width=\"1024\" src=\"/h-1024x683.jpg\" ",
                "srcset=\"/h-1024x683.jpg 1024w, /h-300x200.jpg 300w, /h.jpg 1600w\" ",
                "sizes=\"100vw\" loading=\"lazy\"></figure>",
                "<p>Text <img src=\"data:image/gif;base64,R0\" data-src=\"/lazy.jpg\" ",
                "data-srcset=\"/lazy-2x.jpg 2x\"></p>"
            )),
            [
                "/h-1024x683.jpg",
                "/h-1024x683.jpg",
                "/h-300x200.jpg",
                "/h.jpg",
                "data:image/gif;base64,R0",
                "/lazy.jpg",
                "/lazy-2x.jpg"
            ]
        );
    }

    #[test]
    fn a_pictures_sources_are_shown_and_a_videos_are_not() {
        assert_eq!(
            shown_picture_urls(concat!(
                "<picture><source srcset=\"/q.avif 1x, /q@2x.avif 2x\" type=\"image/avif\">",
                "<img src=\"/q.jpg\"></picture>",
                "<video><source src=\"/clip.mp4\"></video>"
            )),
            ["/q.avif", "/q@2x.avif", "/q.jpg"]
        );
    }

    #[test]
    fn html_without_pictures_shows_none() {
        assert!(shown_picture_urls("<p>No pictures &amp; no sources.</p>").is_empty());
        assert!(shown_picture_urls("plain text").is_empty());
    }
}

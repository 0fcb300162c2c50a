//! The audio and video an entry's HTML plays inline: the `src` of each
//! `<audio>` and `<video>` and of the `<source>` elements inside them, as
//! WordPress and other CMSs embed a story's clip. The sanitizer takes the
//! elements out of the HTML; their files are republished as the entry's
//! media files instead.

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};

use super::media::Enclosure;
use crate::ingest::sanitize::{content_after, tokenize_into};

/// The files the `<audio>` and `<video>` elements of `html` play, as
/// written, each with its `type` when given, in document order.
pub(super) fn inline_media(html: &str) -> Vec<Enclosure> {
    let plays = html
        .as_bytes()
        .windows(6)
        .any(|w| w.eq_ignore_ascii_case(b"<audio") || w.eq_ignore_ascii_case(b"<video"));
    if !plays {
        return Vec::new();
    }
    tokenize_into(PlayedFiles::default(), html)
        .files
        .into_inner()
}

/// Reads start tags: inside an open `audio` or `video`, its `source`s.
#[derive(Default)]
struct PlayedFiles {
    /// How many `audio`/`video` elements are open where the tokenizer is.
    open: RefCell<usize>,
    files: RefCell<Vec<Enclosure>>,
    /// The URLs in `files`, each file kept once.
    urls: RefCell<HashSet<String>>,
}

impl PlayedFiles {
    fn add(&self, tag: &Tag) {
        let attribute = |name: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| a.value.trim().to_string())
        };
        let Some(url) = attribute("src").filter(|u| !u.is_empty()) else {
            return;
        };
        if self.urls.borrow_mut().insert(url.clone()) {
            self.files.borrow_mut().push(Enclosure {
                url,
                media_type: attribute("type").filter(|t| !t.is_empty()),
                length: None,
            });
        }
    }
}

impl TokenSink for PlayedFiles {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name: &str = &tag.name;
        match (tag.kind, name) {
            (TagKind::StartTag, "audio" | "video") => {
                self.add(&tag);
                if !tag.self_closing {
                    *self.open.borrow_mut() += 1;
                }
            }
            (TagKind::EndTag, "audio" | "video") => {
                let mut open = self.open.borrow_mut();
                *open = open.saturating_sub(1);
            }
            (TagKind::StartTag, "source") if *self.open.borrow() > 0 => self.add(&tag),
            (TagKind::StartTag, _) => return content_after(name),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<(String, Option<String>)> {
        inline_media(html)
            .into_iter()
            .map(|f| (f.url, f.media_type))
            .collect()
    }

    #[test]
    fn audio_and_video_sources_are_found_in_order() {
        let html = concat!(
            "<p>The harbour master spoke to us on Thursday.</p>",
            "<AUDIO class=\"wp-audio-shortcode\" controls><source type=\"audio/mpeg\" src=\"/uploads/harbour-master.mp3?_=1\">",
            "<a href=\"/uploads/harbour-master.mp3\">Listen</a></AUDIO>",
            "<picture><source srcset=\"/quay.webp\"><img src=\"/quay.jpg\"></picture>",
            "<video src=\"https://cdn.example/quay-drone.mp4\" poster=\"/poster.jpg\" controls>",
            "<source src=\"https://cdn.example/quay-drone.webm\" type=\"video/webm\">",
            "<track src=\"/quay.vtt\" kind=\"captions\"></video>",
            "<script>document.write('<audio src=\"/not-played.mp3\"></audio>')</script>",
        );
        assert_eq!(
            urls(html),
            vec![
                (
                    "/uploads/harbour-master.mp3?_=1".to_string(),
                    Some("audio/mpeg".to_string())
                ),
                ("https://cdn.example/quay-drone.mp4".to_string(), None),
                (
                    "https://cdn.example/quay-drone.webm".to_string(),
                    Some("video/webm".to_string())
                ),
            ]
        );
    }

    #[test]
    fn each_file_is_found_once_however_many_play() {
        // Were each file checked against the ones before it, this would
        // take minutes.
        let html: String = (0..100_000)
            .map(|i| {
                format!(
                    "<audio src=\"/{i}.mp3\"></audio><video src=\"/{}.mp3\"></video>",
                    i / 2
                )
            })
            .collect();
        let found = urls(&html);
        assert_eq!(found.len(), 100_000);
        assert_eq!(found[99_999].0, "/99999.mp3");
    }

    #[test]
    fn html_without_audio_or_video_plays_nothing() {
        assert!(urls("<p>No clip today.</p><source src=\"/stray.mp3\">").is_empty());
    }
}

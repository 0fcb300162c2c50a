//! The audio and video an entry's HTML plays inline, as WordPress and other
//! CMSs embed a story's clip: one file per `<audio>` or `<video>`, its
//! `src`, else the first of its `<source>` elements (the other sources are
//! the same clip in other encodings). The sanitizer takes the elements out
//! of the HTML; their files are republished as the entry's media files
//! instead.

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};

use super::media::{Enclosure, is_media_type};
use crate::ingest::sanitize::{content_after, tokenize_into};

/// The file each `<audio>` and `<video>` element of `html` plays, as
/// written, with its `type` when given, in document order: the element's
/// `src`, else its first `<source>` with a `src` and no `type` or one of
/// the shape of a MIME type.
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
    /// The `audio`/`video` elements open where the tokenizer is, innermost
    /// last, each with whether it gave its file yet.
    open: RefCell<Vec<bool>>,
    files: RefCell<Vec<Enclosure>>,
    /// The URLs in `files`, each file kept once.
    urls: RefCell<HashSet<String>>,
}

impl PlayedFiles {
    /// Adds the file `tag` names, if it names one; whether it does.
    fn add(&self, tag: &Tag) -> bool {
        let attribute = |name: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| a.value.trim().to_string())
        };
        let Some(url) = attribute("src").filter(|u| !u.is_empty()) else {
            return false;
        };
        let media_type = attribute("type").filter(|t| !t.is_empty());
        if media_type.as_deref().is_some_and(|t| !is_media_type(t)) {
            return false;
        }
        if self.urls.borrow_mut().insert(url.clone()) {
            self.files.borrow_mut().push(Enclosure {
                url,
                media_type,
                length: None,
            });
        }
        true
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
                let played = self.add(&tag);
                if !tag.self_closing {
                    self.open.borrow_mut().push(played);
                }
            }
            (TagKind::EndTag, "audio" | "video") => {
                self.open.borrow_mut().pop();
            }
            (TagKind::StartTag, "source") => {
                let unplayed = self.open.borrow().last() == Some(&false);
                if unplayed
                    && self.add(&tag)
                    && let Some(played) = self.open.borrow_mut().last_mut()
                {
                    *played = true;
                }
            }
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
    fn each_player_plays_its_src_else_its_first_source() {
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
            ]
        );
    }

    #[test]
    fn a_clip_in_two_encodings_is_one_file() {
        let html = concat!(
            "<video controls><source src=\"/launch.m3u8\" type=\"HLS stream\">",
            "<source src=\"/launch.mp4\" type=\"video/mp4\">",
            "<source src=\"/launch.webm\" type=\"video/webm\"></video>",
            "<audio><source src=\"/talk.ogg\"><source src=\"/talk.mp3\"></audio>",
        );
        assert_eq!(
            urls(html),
            vec![
                ("/launch.mp4".to_string(), Some("video/mp4".to_string())),
                ("/talk.ogg".to_string(), None),
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

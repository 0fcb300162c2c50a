//! The lead image a page declares in its metadata (`og:image`, then
//! `twitter:image`, then the JSON-LD `image`): the story's picture when
//! none of its pictures can be read from its text (a lead photo loaded late
//! or drawn by a script), unless it is a stand-in for one (the site's logo,
//! an icon, a placeholder, a tracking pixel, or smaller than
//! [`MIN_LEAD_SIDE`] as the page gives its size).

use url::Url;

use super::metadata::absolute;
use crate::model::Caption;
use crate::normalize::clean_text;

/// The fewest pixels a side of a declared lead image spans, when the page
/// gives its size (`og:image:width`, `og:image:height`): a smaller one is
/// a logo, an icon or a thumbnail, not the story's photo.
pub const MIN_LEAD_SIDE: u32 = 200;

/// A lead image as one of the page's declarations names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declared {
    /// As written: relative URLs resolve against the page.
    pub url: String,
    pub alt: Option<String>,
    pub width: Option<String>,
    pub height: Option<String>,
}

/// The first of `declared` that is the story's photo, absolute (against
/// `base`), as a picture without a caption marked [`Caption::declared`].
pub fn lead_picture(declared: &[Declared], base: Option<&Url>) -> Option<Caption> {
    declared.iter().find_map(|image| {
        let small = [&image.width, &image.height].into_iter().any(|side| {
            side.as_deref()
                .and_then(pixels)
                .is_some_and(|p| p < MIN_LEAD_SIDE)
        });
        if small {
            return None;
        }
        let url = absolute(&image.url, base)?;
        if stand_in(&url) {
            return None;
        }
        Some(Caption {
            image: Some(url),
            alt: image
                .alt
                .as_deref()
                .map(clean_text)
                .filter(|alt| !alt.is_empty()),
            declared: true,
            ..Caption::default()
        })
    })
}

/// The pixels a size gives (`1200`, `630px`, `1200.0`), when it is a number.
fn pixels(size: &str) -> Option<u32> {
    let size = size.trim().trim_end_matches("px").trim();
    size.parse::<u32>()
        .ok()
        .or_else(|| size.parse::<f64>().ok().map(|p| p.max(0.0) as u32))
}

/// Words of a picture's file name that name a stand-in for a photo as
/// they are, or with a number after them (`icon-32`, `default2`).
const STAND_IN_WORDS: &[&str] = &[
    "icon",
    "icons",
    "default",
    "fallback",
    "avatar",
    "gravatar",
    "sprite",
    "spacer",
    "blank",
    "pixel",
    "transparent",
    "1x1",
];

/// Words that name a stand-in wherever they are in a word of the path
/// (`site-logo`, `sitelogo`, `apple-touch-icon`, `img-placeholder`).
const STAND_IN_PARTS: &[&str] = &["logo", "favicon", "placeholder"];

/// Whether the absolute picture URL `url` names a stand-in for a photo by
/// its path (the host and query aside): the site's logo or icon, a
/// placeholder or default image, a tracking pixel, or a vector or icon
/// file (`.svg`, `.ico`), which is a logo rather than a photo.
fn stand_in(url: &str) -> bool {
    let Ok(url) = Url::parse(url) else {
        return true;
    };
    let path = url.path().to_ascii_lowercase();
    if path.ends_with(".svg") || path.ends_with(".ico") {
        return true;
    }
    let words = |text: &str| {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // A folder may be named `default` or `icons` and hold photos; the
    // file's own name tells a stand-in.
    let file_name = path.rsplit('/').next().unwrap_or_default();
    words(&path)
        .iter()
        .any(|word| STAND_IN_PARTS.iter().any(|part| word.contains(part)))
        || words(file_name).iter().any(|word| {
            let bare = word.trim_end_matches(|c: char| c.is_ascii_digit());
            STAND_IN_WORDS.contains(&word.as_str()) || STAND_IN_WORDS.contains(&bare)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(url: &str) -> Declared {
        Declared {
            url: url.into(),
            ..Declared::default()
        }
    }

    #[test]
    fn the_first_declared_photo_is_taken_absolute_with_its_alt_text() {
        let base = Url::parse("https://harbour.example/news/ferry").unwrap();
        let og = Declared {
            alt: Some("  The  ferry at the pier ".into()),
            width: Some("1200".into()),
            height: Some("630".into()),
            ..declared("/media/ferry.jpg")
        };
        let picture = lead_picture(&[og, declared("/media/other.jpg")], Some(&base)).unwrap();
        assert_eq!(
            picture,
            Caption {
                image: Some("https://harbour.example/media/ferry.jpg".into()),
                alt: Some("The ferry at the pier".into()),
                declared: true,
                ..Caption::default()
            }
        );
    }

    #[test]
    fn logos_icons_placeholders_and_small_images_are_passed_over() {
        let base = Url::parse("https://harbour.example/news/ferry").unwrap();
        for stand_in in [
            "/static/site-logo.png",
            "/img/logos/harbour.jpg",
            "/favicon-192.png",
            "/apple-touch-icon.png",
            "/img/placeholder.jpg",
            "/images/default-share.jpg",
            "/img/og-fallback.jpg",
            "/t/pixel.gif",
            "/brand/mark.svg",
            "data:image/gif;base64,R0lGOD",
            "javascript:void(0)",
        ] {
            assert_eq!(
                lead_picture(&[declared(stand_in)], Some(&base)),
                None,
                "{stand_in}"
            );
        }
        let small = Declared {
            width: Some("150".into()),
            height: Some("150px".into()),
            ..declared("/media/ferry-thumb.jpg")
        };
        assert_eq!(lead_picture(&[small], Some(&base)), None);
        // A stand-in gives way to the next declaration.
        let picture = lead_picture(
            &[declared("/static/logo.png"), declared("/media/ferry.jpg")],
            Some(&base),
        );
        assert_eq!(
            picture.and_then(|p| p.image).as_deref(),
            Some("https://harbour.example/media/ferry.jpg")
        );
    }

    #[test]
    fn words_that_only_contain_a_stand_in_word_name_a_photo() {
        for photo in [
            "https://cdn.example/2026/silicon-valley-iconic-office.jpg",
            "https://iconic.example/news/pixelated-screens.jpg",
            "https://cdn.example/defaulted-loans.jpg",
            "https://cdn.example/default/2026/12/harbour-wall.jpg",
        ] {
            assert!(!stand_in(photo), "{photo}");
        }
    }
}

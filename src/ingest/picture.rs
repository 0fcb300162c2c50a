//! Where an `<img>`'s picture is, as lazy-loading scripts write it: the
//! real picture in `data-src`, `data-lazy-src`, `data-original` or
//! `srcset` beside a placeholder in `src`. Pages and feed HTML read
//! pictures alike.

/// The picture of an image element whose attributes `attr` gives, unless
/// all it gives is a placeholder. A lazy-loading script's source
/// (`data-src`, `data-lazy-src`, `data-original`) is the picture, for the
/// `src` beside it is a placeholder until the script runs; then `src`
/// unless it is a placeholder (a `data:` URL, or a file named as one), then
/// the largest picture of `srcset` (or `data-srcset`).
pub fn real_picture<'a>(attr: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
    let given = |name: &str| attr(name).map(str::trim).filter(|v| !v.is_empty());
    let lazy = ["data-src", "data-lazy-src", "data-original"]
        .into_iter()
        .find_map(|name| given(name).filter(|v| !v.starts_with("data:")));
    let src = given("src").filter(|s| !s.starts_with("data:"));
    lazy.or(src.filter(|s| !placeholder(s))).or_else(|| {
        given("srcset")
            .or_else(|| given("data-srcset"))
            .and_then(largest_in_srcset)
    })
}

/// Whether an image element whose attributes `attr` gives is marked as
/// one a script loads late, a stand-in until then: a class naming lazy
/// loading (`lazyload`, `lazy-hidden`), the browser's own `loading="lazy"`,
/// or a width or height of one pixel or none. Beside a picture in
/// `<noscript>`, such an image stands for that picture, whatever its `src`.
pub fn marked_lazy<'a>(attr: impl Fn(&str) -> Option<&'a str>) -> bool {
    let lazy_class = attr("class").is_some_and(|class| {
        class
            .split_ascii_whitespace()
            .any(|name| name.to_ascii_lowercase().contains("lazy"))
    });
    let lazy_loading = attr("loading").is_some_and(|l| l.trim().eq_ignore_ascii_case("lazy"));
    let pixel = ["width", "height"]
        .into_iter()
        .any(|name| attr(name).is_some_and(at_most_one_pixel));
    lazy_class || lazy_loading || pixel
}

/// Whether a `width` or `height` attribute (`1`, `0px`) gives one pixel or
/// none.
pub fn at_most_one_pixel(value: &str) -> bool {
    value
        .trim()
        .trim_end_matches("px")
        .parse::<u32>()
        .is_ok_and(|pixels| pixels <= 1)
}

/// Whether `url` names a picture file by its ending (`.jpg`, `.png`,
/// `.webp`, …), as a link to a larger copy of a photo does.
pub fn names_picture_file(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ending = path.rsplit_once('.').map_or("", |(_, e)| e);
    ["jpg", "jpeg", "png", "gif", "webp", "avif"]
        .into_iter()
        .any(|e| ending.eq_ignore_ascii_case(e))
}

/// Whether an image URL names a stand-in for the real picture
/// (`lazy-placeholder.gif`, `blank.gif`, `spacer.png`).
fn placeholder(src: &str) -> bool {
    let file = src
        .split(['?', '#'])
        .next()
        .unwrap_or(src)
        .rsplit('/')
        .next()
        .unwrap_or(src)
        .to_ascii_lowercase();
    [
        "placeholder",
        "lazy",
        "blank",
        "spacer",
        "transparent",
        "pixel",
    ]
    .iter()
    .any(|w| file.contains(w))
}

/// The URL of the widest (`800w`) or densest (`2x`) picture of a `srcset`;
/// the first when none says.
fn largest_in_srcset(srcset: &str) -> Option<&str> {
    let mut best: Option<(f32, &str)> = None;
    for (url, size) in srcset_candidates(srcset) {
        if best.is_none_or(|(s, _)| size > s) {
            best = Some((size, url));
        }
    }
    best.map(|(_, url)| url)
}

/// The URL of each picture of a `srcset` (or a `<source>`'s), in order.
pub fn srcset_urls(srcset: &str) -> impl Iterator<Item = &str> {
    srcset_candidates(srcset).map(|(url, _)| url)
}

/// Each picture of a `srcset` with its width (`800w`) or density (`2x`),
/// 0 when it gives none. Read as HTML reads it: a URL up to white space
/// (commas at its end separate), then its descriptor up to a comma.
fn srcset_candidates(srcset: &str) -> impl Iterator<Item = (&str, f32)> {
    let mut rest = srcset;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            return None;
        }
        let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let raw_url = &rest[..url_end];
        let url = raw_url.trim_end_matches(',');
        rest = &rest[url_end..];
        let mut size = 0.0;
        if url.len() == raw_url.len() {
            let descriptor_end = rest.find(',').unwrap_or(rest.len());
            size = rest[..descriptor_end]
                .split_whitespace()
                .find_map(|d| d.get(..d.len() - 1)?.parse::<f32>().ok())
                .unwrap_or(0.0);
            rest = &rest[descriptor_end..];
        }
        Some((url, size))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_picture_of_a_srcset_is_taken() {
        assert_eq!(
            largest_in_srcset("/s.jpg 320w, /m.jpg 800w,/l.jpg 1200w, /x.jpg 600w"),
            Some("/l.jpg")
        );
        assert_eq!(
            largest_in_srcset("/a.jpg, /b.jpg 2x,/c.jpg 1.5x"),
            Some("/b.jpg")
        );
        assert_eq!(
            largest_in_srcset("/w_300,h_200/a.jpg 300w, /w_900,h_600/a.jpg 900w"),
            Some("/w_900,h_600/a.jpg")
        );
        assert_eq!(largest_in_srcset(" "), None);
    }

    #[test]
    fn every_picture_of_a_srcset_is_listed_in_order() {
        assert_eq!(
            srcset_urls("/s.jpg 320w,/m.jpg 800w, /w_300,h_200/a.jpg 300w, /l.jpg")
                .collect::<Vec<_>>(),
            ["/s.jpg", "/m.jpg", "/w_300,h_200/a.jpg", "/l.jpg"]
        );
        assert_eq!(srcset_urls(" , ").count(), 0);
    }

    #[test]
    fn a_lazy_source_wins_over_a_placeholder_and_a_real_src_over_srcset() {
        let picture = |attrs: &[(&'static str, &'static str)]| {
            let attrs = attrs.to_vec();
            real_picture(move |name| attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v))
        };
        assert_eq!(
            picture(&[
                ("src", "data:image/gif;base64,R0"),
                ("data-lazy-src", "/a.jpg")
            ]),
            Some("/a.jpg")
        );
        assert_eq!(
            picture(&[
                ("src", "/lazy/placeholder.gif"),
                ("srcset", "/s.jpg 1x, /l.jpg 2x")
            ]),
            Some("/l.jpg")
        );
        assert_eq!(
            picture(&[("src", "/b.jpg"), ("srcset", "/s.jpg 1x, /l.jpg 2x")]),
            Some("/b.jpg")
        );
        assert_eq!(picture(&[("src", "/spacer.png")]), None);
    }

    #[test]
    fn an_image_a_script_loads_late_is_marked_by_class_loading_or_size() {
        let marked = |attrs: &[(&'static str, &'static str)]| {
            let attrs = attrs.to_vec();
            marked_lazy(move |name| attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v))
        };
        assert!(marked(&[
            ("src", "/ph.gif"),
            ("class", "post-image lazyload")
        ]));
        assert!(marked(&[("src", "/ph.gif"), ("class", "js-Lazy-Image")]));
        assert!(marked(&[("src", "/ph.gif"), ("loading", " LAZY ")]));
        assert!(marked(&[
            ("src", "/ph.gif"),
            ("width", "1"),
            ("height", "1")
        ]));
        assert!(marked(&[("src", "/ph.gif"), ("height", "0px")]));
        assert!(!marked(&[("src", "/a.jpg"), ("loading", "eager")]));
        assert!(!marked(&[
            ("src", "/a.jpg"),
            ("width", "10"),
            ("class", "wide")
        ]));
        assert!(!marked(&[("src", "/a.jpg"), ("width", "100%")]));
    }
}

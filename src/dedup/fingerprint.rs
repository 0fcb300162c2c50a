//! Fingerprints of an article: the exact content key (sha256 over the folded
//! headline and body) and the stable id derived from it, and for an
//! upstream entry its key and version.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use sha2::{Digest, Sha256};

use crate::dedup::html_as_read::{html_as_read_with_its_white_space, without_block_white_space};
use crate::model::{Article, BlockKind, Caption, Enclosure};
use crate::normalize::{Key, canonical_url, folded_key, hex};

/// Every id feedfold mints starts with this `tag:` URI prefix (RFC 4151). The
/// authority is a reserved `.invalid` name, so ids are the same on every
/// machine whatever `base_url` is, and never collide with a real site's.
pub const TAG_PREFIX: &str = "tag:feedfold.invalid,2026:";

/// The exact content key: sha256 over the keys (sha256 of the folded text)
/// of the headline and of each body block, each block tagged with its kind.
/// Captions are left out: the same story with another photo is still the
/// same story. Media files are in, by URL ([`media_url`]): entries that
/// give one text over different recordings (a daily bulletin, a podcast's
/// episodes) are different items, and an article without any keys as
/// before. Two articles with equal keys differ at most in white space,
/// letter case and quote style. Ingesters that already keyed every line
/// hand the keys over in [`Article::line_keys`].
pub fn content_key(article: &Article) -> Key {
    let (title, blocks) = line_keys(article);
    content_key_of(&title, &blocks, &article.enclosures)
}

/// The content key `article` had before media files were in it (its
/// headline and body alone), when it has media files; `None` without any,
/// where it is [`content_key`]. What tells an upstream entry stored before
/// then, and not seen since, unchanged.
pub fn content_key_without_media(article: &Article) -> Option<Key> {
    if article.enclosures.is_empty() {
        return None;
    }
    let (title, blocks) = line_keys(article);
    Some(content_key_of(&title, &blocks, &[]))
}

/// The keys of `article`'s headline and of each body block with its kind:
/// those the ingester handed over in [`Article::line_keys`], else each
/// line folded and keyed here.
fn line_keys(article: &Article) -> (Key, Vec<(BlockKind, Key)>) {
    if let Some(keys) = &article.line_keys
        && keys.blocks.len() == article.body.len()
    {
        let kinds = article.body.iter().map(|block| block.kind);
        return (keys.title, kinds.zip(keys.blocks.iter().copied()).collect());
    }
    let mut scratch = String::new();
    let title = folded_key(&article.title, &mut scratch);
    let blocks = article
        .body
        .iter()
        .map(|block| (block.kind, folded_key(&block.text, &mut scratch)))
        .collect();
    (title, blocks)
}

/// The content key from the headline's key, each block's kind and key, and
/// the media files' URLs in the order given.
fn content_key_of(title: &Key, blocks: &[(BlockKind, Key)], media: &[Enclosure]) -> Key {
    let mut hasher = Sha256::new();
    hasher.update(title);
    for (kind, key) in blocks {
        hasher.update(match kind {
            BlockKind::Paragraph => b"p",
            BlockKind::Subhead => b"h",
        });
        hasher.update(key);
    }
    for file in media {
        hasher.update(b"m");
        hasher.update(Sha256::digest(media_url(&file.url).as_bytes()));
    }
    hasher.finalize().into()
}

/// File name endings of media files: a path that ends in one names the
/// file ([`media_url`]).
const MEDIA_EXTENSIONS: &[&str] = &[
    "mp3", "m4a", "m4b", "aac", "ogg", "oga", "opus", "wav", "flac", "mp4", "m4v", "mov", "webm",
    "mkv", "avi", "mpg", "mpeg", "3gp", "m3u8", "mpd", "pdf", "epub",
];

/// Query parameters that sign a URL or say until when it works (Amazon S3
/// and Google Cloud Storage presigned URLs, CloudFront and CDN tokens): how
/// a file is handed out, not which file it is.
const SIGNATURE_PARAMS: &[&str] = &[
    "signature",
    "sig",
    "expires",
    "key-pair-id",
    "policy",
    "token",
    "hdnts",
    "hdnea",
    "__token__",
    "googleaccessid",
];

/// The form a media file's URL is compared in: the same file under any
/// signature or tracking parameters has one. The link's canonical form
/// ([`canonical_url`]: fragment and tracking parameters dropped), and then
/// when the path names a media file by its ending (`/audio/bridge.mp3`) no
/// query at all: on such a path the query only says how the file is handed
/// out (a signature, an expiry, a distributor, a cache buster), never which
/// file it is. A path that names no file (`/download?id=12`) keeps its
/// query but for signature parameters. A URL that is no http(s) URL is
/// taken as written.
pub fn media_url(url: &str) -> String {
    let Some(canonical) = canonical_url(url) else {
        return url.trim().to_string();
    };
    let Ok(mut parsed) = url::Url::parse(&canonical) else {
        return canonical;
    };
    if parsed.query().is_none() {
        return canonical;
    }
    let kept: Vec<(String, String)> = if names_a_media_file(parsed.path()) {
        Vec::new()
    } else {
        parsed
            .query_pairs()
            .filter(|(name, _)| !is_signature_param(name))
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect()
    };
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    canonical_url(parsed.as_str()).unwrap_or(canonical)
}

/// Whether the last segment of `path` ends in one of [`MEDIA_EXTENSIONS`].
fn names_a_media_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.').is_some_and(|(stem, ending)| {
        !stem.is_empty() && MEDIA_EXTENSIONS.contains(&ending.to_ascii_lowercase().as_str())
    })
}

/// Whether the query parameter `name` signs a URL ([`SIGNATURE_PARAMS`],
/// or an `X-Amz-`/`X-Goog-` one).
fn is_signature_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SIGNATURE_PARAMS.contains(&name.as_str())
        || name.starts_with("x-amz-")
        || name.starts_with("x-goog-")
}

/// The id of an article first seen with content key `key`: a `tag:` URI
/// holding the first 128 bits of the key.
pub fn article_id(key: &Key) -> String {
    format!("{TAG_PREFIX}article:{}", hex(&key[..16]))
}

/// The id of an upstream entry first seen in `source` under `upstream_key`:
/// a `tag:` URI holding 128 bits of sha256 over both, so the same entry keeps
/// its id whatever its content becomes.
pub fn entry_id(source: &str, upstream_key: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(source.as_bytes());
    hasher.update([0]);
    hasher.update(upstream_key.as_bytes());
    let digest: Key = hasher.finalize().into();
    format!("{TAG_PREFIX}entry:{}", hex(&digest[..16]))
}

/// The upstream key of an entry whose document gives its id to other
/// entries too: the id and the link together ([`entry_link_key`]), which
/// tell them apart.
pub fn paired_key(id: &str, link: &str) -> String {
    format!("{id} {}", entry_link_key(link))
}

/// A link as folding compares it: in canonical form ([`canonical_url`]:
/// fragment and tracking parameters dropped), as written when it has none.
pub fn link_key(link: &str) -> String {
    canonical_url(link).unwrap_or_else(|| link.to_string())
}

/// An entry's link as its upstream key holds it: in canonical form but
/// for a `#fragment` that names a post of the page ([`link_anchor`]), which
/// is kept. Tracking parameters, which some feeds vary from fetch to fetch,
/// tell no entry from another, and neither do parameters in the fragment
/// (`#xtor=RSS-1`) or an anchor of every page (`#comments`); a post's
/// anchor may (a live page's posts, `live.html#post-1` and `#post-2`, each
/// alone in the feed when it is fetched). As written when it has no
/// canonical form.
pub fn entry_link_key(link: &str) -> String {
    let Some(canonical) = canonical_url(link) else {
        return link.to_string();
    };
    match post_anchor(link) {
        Some(anchor) => format!("{canonical}#{anchor}"),
        None => canonical,
    }
}

/// Anchors every page of a site may give (comments, the top, the main
/// text, WordPress's "read more"), which name no post of the page.
const PAGE_ANCHORS: &[&str] = &[
    "top",
    "main",
    "content",
    "main-content",
    "maincontent",
    "article",
    "story",
    "body",
    "more",
    "comments",
    "respond",
    "disqus_thread",
];

/// The `#fragment` of `link` when it names a part of its page of its own,
/// as a live page's posts do (`live.html#post-1`, `#post-2`): two links
/// of one page under two such anchors are two stories' links. `None` when
/// the link has no fragment or one that names no post: empty, a text
/// fragment (`#:~:text=…`), parameters (`#xtor=RSS-1`, `#ref=rss`; but a
/// route such as `#/news/details?id=101` names the page), or an
/// anchor of every page (`#comments`, `#top`, `#more-123`); and for a link
/// with no canonical form.
pub fn link_anchor(link: &str) -> Option<String> {
    canonical_url(link)?;
    post_anchor(link)
}

/// [`link_anchor`] of a link already known to have a canonical form.
fn post_anchor(link: &str) -> Option<String> {
    let url = url::Url::parse(link.trim()).ok()?;
    let fragment = url.fragment()?;
    let lower = fragment.to_ascii_lowercase();
    // A route (`#/news/details?id=101`, `#!/story/7`) names the page
    // whatever parameters it holds.
    let route = fragment.starts_with('/') || fragment.starts_with("!/");
    let noise = fragment.is_empty()
        || fragment.starts_with(":~:")
        || (fragment.contains('=') && !route)
        || PAGE_ANCHORS.contains(&lower.as_str())
        || lower
            .strip_prefix("more-")
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    (!noise).then(|| fragment.to_string())
}

/// The version of an upstream entry: sha256 over everything it gives as
/// its content (headline, captions, body, link, authors, categories,
/// media files, summary, HTML), as a reader sees it, so that any edit of
/// it, and nothing else, changes the version. Its dates are left out: a
/// new date alone is no edit, and so are tracking parameters (`utm_*` and
/// the like, which some feeds vary from fetch to fetch) and the signature
/// of a media file or picture: the link is taken in its canonical form,
/// media files, captions' pictures and the URLs in the HTML in theirs
/// ([`media_url`]). The HTML counts as read ([`crate::dedup::html_as_read`]):
/// the order
/// a serializer writes a tag's attributes in, empty paragraphs and the
/// white space around block elements are no edit.
///
/// Beside it, each once and each when it is another, the versions the
/// entry had by the rules its version followed before: before white space
/// around its HTML's block elements counted as read (its HTML read
/// otherwise), and before its captions' pictures and its HTML counted as
/// read (the HTML as written but for its links' tracking parameters,
/// pictures as written). What tells an upstream entry stored under one of
/// those rules, and not edited since, unchanged. The HTML is read once for
/// both.
pub fn entry_versions(article: &Article) -> (Key, Vec<Key>) {
    let captions = captions_as_read(article);
    let spaced = article
        .content_html
        .as_deref()
        .map(html_as_read_with_its_white_space);
    let read = spaced.as_deref().map(without_block_white_space);
    let version = version_over(article, &captions, read.as_deref());
    let with_white_space = version_over(article, &captions, spaced.as_deref());
    let html = article.content_html.as_deref().map(canonical_links_in);
    let as_written = version_over(article, &article.captions, html.as_deref());
    let mut former = Vec::new();
    for key in [with_white_space, as_written] {
        if key != version && !former.contains(&key) {
            former.push(key);
        }
    }
    (version, former)
}

/// The captions of `article`, each picture in its media form
/// ([`media_url`]).
fn captions_as_read(article: &Article) -> Vec<Caption> {
    article
        .captions
        .iter()
        .map(|caption| Caption {
            image: caption.image.as_deref().map(media_url),
            ..caption.clone()
        })
        .collect()
}

/// sha256 over the content of `article` with `captions` and `html` in the
/// form they are compared in, and its link and media files in theirs.
fn version_over(article: &Article, captions: &[Caption], html: Option<&str>) -> Key {
    let link = article.link.as_deref().map(link_key);
    let media: Vec<Enclosure> = article
        .enclosures
        .iter()
        .map(|file| Enclosure {
            url: media_url(&file.url),
            ..file.clone()
        })
        .collect();
    let content = (
        &article.title,
        captions,
        &article.body,
        &link,
        &article.authors,
        &article.categories,
        &media,
        &article.summary,
        &html,
    );
    let json = serde_json::to_vec(&content).expect("plain data serializes");
    Sha256::digest(json).into()
}

/// Sanitized `html` with the URL of each `href` and `src` attribute in
/// canonical form ([`canonical_url`]); a value that is no http(s) URL
/// stays as written.
fn canonical_links_in(html: &str) -> Cow<'_, str> {
    static URL_ATTRIBUTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)(\s(?:href|src)=")([^"]*)""#).expect("a valid pattern"));
    URL_ATTRIBUTE.replace_all(html, |found: &Captures| {
        let written = &found[2];
        let url = written.replace("&amp;", "&");
        let canonical = canonical_url(&url).unwrap_or_else(|| written.to_string());
        format!("{}{canonical}\"", &found[1])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entry's version alone ([`entry_versions`]).
    fn entry_version(article: &Article) -> Key {
        entry_versions(article).0
    }
    use crate::model::{Block, Origin};

    #[test]
    fn an_entry_link_key_drops_tracking_parameters_and_keeps_a_posts_anchor() {
        for (link, key) in [
            (
                "https://Desk.example/live.html?utm_source=rss&fbclid=x#post-2",
                "https://desk.example/live.html#post-2",
            ),
            (
                "https://desk.example/pier/?utm_campaign=daily&id=4",
                "https://desk.example/pier?id=4",
            ),
            ("https://desk.example/pier#", "https://desk.example/pier"),
            // Parameters in the fragment, and anchors of every page, tell
            // no entry from another.
            (
                "https://desk.example/pier?utm_source=rss#xtor=RSS-1",
                "https://desk.example/pier",
            ),
            (
                "https://desk.example/pier#comments",
                "https://desk.example/pier",
            ),
            ("tag:desk.example,2026:1", "tag:desk.example,2026:1"),
        ] {
            assert_eq!(entry_link_key(link), key, "{link}");
        }
        assert_eq!(
            link_key("https://desk.example/live.html?utm_source=rss#post-2"),
            "https://desk.example/live.html"
        );
        assert_eq!(
            paired_key("g-1", "https://desk.example/live.html?ocid=a#post-2"),
            "g-1 https://desk.example/live.html#post-2"
        );
    }

    #[test]
    fn a_link_anchor_is_a_fragment_that_names_a_post() {
        for (link, anchor) in [
            ("https://desk.example/live.html#post-2", Some("post-2")),
            (
                "https://desk.example/live.html?utm_source=rss#p14",
                Some("p14"),
            ),
            ("https://desk.example/live.html", None),
            ("https://desk.example/live.html#", None),
            ("https://desk.example/story#comments", None),
            ("https://desk.example/story#Top", None),
            ("https://desk.example/story#more-812", None),
            ("https://desk.example/story#xtor=RSS-3", None),
            ("https://desk.example/story#:~:text=ferries", None),
            ("tag:desk.example,2026:1#post-2", None),
            // A route of a page that draws itself: it names the page.
            (
                "https://city.example/#/news/details?id=101",
                Some("/news/details?id=101"),
            ),
            ("https://city.example/#!/story/7", Some("!/story/7")),
        ] {
            assert_eq!(link_anchor(link).as_deref(), anchor, "{link}");
        }
    }

    #[test]
    fn keys_handed_over_by_the_dump_reader_give_the_key_computed_from_the_text() {
        let input = "Court Rules on Land Dispute in Capital\n\nThe  court “sat”.\n\n- 'Carried out raids' -\n\nPolice raided homes.\n\nMorning Briefing\n\nMorning Briefing\n\nRain.\n";
        let articles: Vec<Article> = crate::ingest::DumpReader::new(input.as_bytes(), "t")
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(articles.len(), 2);
        for mut article in articles {
            let handed_over = content_key(&article);
            assert!(
                article.line_keys.take().is_some(),
                "dumps hand the keys over"
            );
            assert_eq!(handed_over, content_key(&article), "{}", article.title);
        }
    }

    fn article(title: &str, paras: &[&str]) -> Article {
        Article {
            title: title.into(),
            published: None,
            captions: vec![],
            body: paras.iter().map(|p| Block::paragraph(*p)).collect(),
            origin: Origin {
                location: "x".into(),
                line: 1,
            },
            ..Default::default()
        }
    }

    #[test]
    fn media_files_are_in_the_key_and_an_article_without_any_keys_as_before() {
        let plain = article("Morning Briefing", &["Rain."]);
        let blocks = vec![(
            BlockKind::Paragraph,
            folded_key("Rain.", &mut String::new()),
        )];
        let before = content_key_of(
            &folded_key("Morning Briefing", &mut String::new()),
            &blocks,
            &[],
        );
        assert_eq!(content_key(&plain), before);
        let with_file = |url: &str| Article {
            enclosures: vec![Enclosure {
                url: url.into(),
                ..Default::default()
            }],
            ..plain.clone()
        };
        let (monday, tuesday) = (
            with_file("https://r.example/1.mp3"),
            with_file("https://r.example/2.mp3"),
        );
        assert_ne!(content_key(&monday), content_key(&plain));
        assert_ne!(content_key(&monday), content_key(&tuesday));
        assert_eq!(
            content_key(&monday),
            content_key(&with_file("https://r.example/1.mp3"))
        );
    }

    #[test]
    fn an_entry_version_ignores_the_links_tracking_parameters_only() {
        let mut a = article("Port expands", &["The port grows."]);
        a.link = Some("https://news.example/port?utm_source=rss&utm_campaign=0412".into());
        let mut b = a.clone();
        b.link = Some("https://news.example/port?utm_source=rss&utm_campaign=0413".into());
        assert_eq!(entry_version(&a), entry_version(&b));
        b.link = Some("https://news.example/port-expands".into());
        assert_ne!(entry_version(&a), entry_version(&b));
    }

    #[test]
    fn an_entry_version_ignores_tracking_in_its_html_and_media_signatures() {
        let entry = |campaign: &str, signature: &str| {
            let mut a = article("Harbour dues rise", &["Boat owners will pay more."]);
            a.content_html = Some(format!(
                r#"<p>Boat owners will pay more in the <a href="https://news.example/harbour?utm_source=rss&amp;utm_campaign={campaign}" rel="noopener noreferrer">harbour</a>.</p><img src="https://img.example/quay.jpg?utm_medium=feed&amp;utm_campaign={campaign}">"#
            ));
            a.enclosures = vec![Enclosure {
                url: format!("https://cdn.example/audio/dues.mp3?sig={signature}"),
                media_type: Some("audio/mpeg".into()),
                length: Some(1200),
            }];
            a
        };
        let first = entry_version(&entry("0412", "AAA"));
        assert_eq!(first, entry_version(&entry("0413", "BBB")));
        let mut edited = entry("0412", "AAA");
        edited.content_html = edited
            .content_html
            .map(|html| html.replace("news.example/harbour", "news.example/port"));
        assert_ne!(first, entry_version(&edited), "another page linked");
        let mut other_file = entry("0412", "AAA");
        other_file.enclosures[0].url = "https://cdn.example/audio/fees.mp3?sig=AAA".into();
        assert_ne!(first, entry_version(&other_file), "another media file");
    }

    #[test]
    fn an_entry_version_ignores_the_signatures_of_its_pictures() {
        let entry = |signature: &str| {
            let mut a = article("Tram depot gets a new roof", &["The depot gets a roof."]);
            let signed = format!(
                "https://bucket.example/roof.jpg?X-Amz-Date=20261207T0{signature}&X-Amz-Signature={signature}"
            );
            a.captions = vec![crate::model::Caption {
                image: Some(signed.clone()),
                ..crate::model::Caption::credited("The depot", "Staff")
            }];
            a.content_html = Some(format!(
                r#"<p>The depot gets a roof.</p><p><img src="{}" alt="The depot"></p><p><a href="https://cdn.example/plan.pdf?Expires=1{signature}&amp;Signature={signature}&amp;Key-Pair-Id=K">The plan</a></p>"#,
                signed.replace('&', "&amp;")
            ));
            a
        };
        let first = entry_version(&entry("11"));
        assert_eq!(first, entry_version(&entry("22")));
        let mut other_picture = entry("11");
        other_picture.captions[0].image = Some("https://bucket.example/hall.jpg".into());
        assert_ne!(first, entry_version(&other_picture), "another picture");
    }

    #[test]
    fn an_entry_version_ignores_attribute_order_and_empty_paragraphs() {
        let entry = |html: &str| Article {
            content_html: Some(html.into()),
            ..article("Harbour plan", &["Read the plan online."])
        };
        let one = entry(
            r#"<p>Read <a href="https://up.example/plan" title="The plan">the plan</a> online.</p>"#,
        );
        let other = entry(
            r#"<p>Read <a title="The plan" href="https://up.example/plan">the plan</a> online.</p><p></p>"#,
        );
        assert_eq!(entry_version(&one), entry_version(&other));
        let edited = entry(
            r#"<p>Read <a href="https://up.example/plan" title="The new plan">the plan</a> online.</p>"#,
        );
        assert_ne!(entry_version(&one), entry_version(&edited));
    }

    #[test]
    fn an_entry_keeps_the_version_it_had_by_the_former_rule() {
        let plain = article("Harbour plan", &["Read the plan online."]);
        assert_eq!(
            entry_versions(&plain).1,
            Vec::<Key>::new(),
            "no HTML, no picture"
        );
        let written = Article {
            content_html: Some(
                r#"<p>Read <a title="The plan" href="https://up.example/plan?utm_source=rss">the plan</a>.</p>"#
                    .into(),
            ),
            ..plain.clone()
        };
        let former = entry_versions(&written).1;
        assert_eq!(former.len(), 1, "attributes reordered");
        let mut tracked = written.clone();
        tracked.content_html = Some(
            r#"<p>Read <a title="The plan" href="https://up.example/plan?utm_source=mail">the plan</a>.</p>"#
                .into(),
        );
        assert_eq!(entry_versions(&tracked).1, former);
        assert_ne!(former[0], entry_version(&written));
    }

    #[test]
    fn an_entry_keeps_the_version_it_had_before_white_space_between_blocks_counted_as_read() {
        let entry = |between: &str| Article {
            content_html: Some(format!(
                r#"<p>Read <a title="The plan" href="https://up.example/plan">the plan</a>.</p>{between}<p>Then comment.</p>"#
            )),
            ..article("Harbour plan", &["Read the plan.", "Then comment."])
        };
        let (spaced, tight) = (entry("\n"), entry(""));
        assert_eq!(entry_version(&spaced), entry_version(&tight));
        // The versions the spaced entry had before: its attributes read in
        // order, and, before that, as written.
        let former = entry_versions(&spaced).1;
        assert_eq!(former.len(), 2);
        assert!(!former.contains(&entry_version(&spaced)));
        assert_eq!(entry_versions(&tight).1.len(), 1);
    }

    #[test]
    fn media_files_are_compared_without_signatures_and_tracking() {
        let same = [
            (
                "https://cdn.example/audio/bridge.mp3?sig=AAA",
                "https://cdn.example/audio/bridge.mp3?sig=BBB",
            ),
            (
                "https://traffic.example/show/ep12.mp3?dest-id=4410",
                "https://Traffic.example:443/show/ep12.mp3#t=30",
            ),
            (
                "https://bucket.example/v/tram.MP4?X-Amz-Signature=ab12&X-Amz-Expires=600",
                "https://bucket.example/v/tram.MP4",
            ),
            (
                "https://media.example/get?id=12&token=t1&utm_source=rss",
                "https://media.example/get?token=t2&id=12",
            ),
        ];
        for (a, b) in &same {
            assert_eq!(media_url(a), media_url(b), "{a} {b}");
        }
        let different = [
            (
                "https://cdn.example/audio/bridge.mp3",
                "https://cdn.example/audio/ferry.mp3",
            ),
            (
                "https://media.example/get?id=12",
                "https://media.example/get?id=13",
            ),
            (
                "https://media.example/listen.php?file=ep1",
                "https://media.example/listen.php?file=ep2",
            ),
        ];
        for (a, b) in &different {
            assert_ne!(media_url(a), media_url(b), "{a} {b}");
        }
        assert_eq!(media_url(" not a url "), "not a url");
        let with_file = |url: &str| Article {
            enclosures: vec![Enclosure {
                url: url.into(),
                ..Default::default()
            }],
            ..article("Council approves bridge", &["The vote was close."])
        };
        let (a, b) = same[0];
        assert_eq!(content_key(&with_file(a)), content_key(&with_file(b)));
    }

    #[test]
    fn key_ignores_case_space_and_quotes() {
        let a = article("Morning “Briefing”", &["It’s  sunny."]);
        let b = article("morning \"briefing\"", &["IT'S sunny."]);
        assert_eq!(content_key(&a), content_key(&b));
    }

    #[test]
    fn same_headline_different_body_differ() {
        let a = article("Morning Briefing", &["Rain today."]);
        let b = article("Morning Briefing", &["Sun today."]);
        assert_ne!(article_id(&content_key(&a)), article_id(&content_key(&b)));
    }

    #[test]
    fn handed_over_line_keys_are_used_as_is() {
        let mut a = article("T", &["Body."]);
        let computed = content_key(&a);
        let mut scratch = String::new();
        a.line_keys = Some(crate::model::LineKeys {
            title: folded_key("T", &mut scratch),
            blocks: vec![folded_key("Body.", &mut scratch)],
        });
        assert_eq!(content_key(&a), computed);
        a.line_keys = Some(crate::model::LineKeys {
            title: [7; 32],
            blocks: vec![[7; 32]],
        });
        assert_ne!(
            content_key(&a),
            computed,
            "the handed-over keys are what counts"
        );
        a.line_keys.as_mut().unwrap().blocks.push([8; 32]);
        assert_eq!(
            content_key(&a),
            computed,
            "keys that do not fit the body are not used"
        );
    }

    #[test]
    fn block_boundaries_and_kinds_count() {
        let a = article("T", &["a b", "c"]);
        let b = article("T", &["a", "b c"]);
        assert_ne!(content_key(&a), content_key(&b));
        let mut c = article("T", &["a b", "c"]);
        c.body[1] = Block::subhead("c");
        assert_ne!(content_key(&a), content_key(&c));
    }

    #[test]
    fn entry_ids_depend_on_source_and_key_only() {
        let a = entry_id("wire", "https://wire.example/1");
        assert_eq!(a, entry_id("wire", "https://wire.example/1"));
        assert_ne!(a, entry_id("other", "https://wire.example/1"));
        assert_ne!(entry_id("ab", "c"), entry_id("a", "bc"));
        assert!(a.starts_with("tag:feedfold.invalid,2026:entry:"));
    }

    #[test]
    fn id_is_a_stable_tag_uri() {
        let a = article("Morning Briefing", &["Rain today."]);
        let id = article_id(&content_key(&a));
        assert!(id.starts_with("tag:feedfold.invalid,2026:article:"));
        assert_eq!(id.len(), TAG_PREFIX.len() + "article:".len() + 32);
        assert_eq!(id, article_id(&content_key(&a.clone())));
    }
}

//! What a feed reader must not lose, each case checked on a document of our
//! own: words in titles with markup, base64 content, the Dublin Core,
//! iTunes, Media RSS and XHTML fields that carry an entry's words, RSS 1.0
//! items without links, `rdf:about` ids, upper-case hex references,
//! Windows-1252 text declared ISO-8859-1, `xml:base` wherever it applies,
//! and entries with nothing in them.

use super::{ParsedFeed, parse_feed};
use crate::model::{Article, Block};

fn read(doc: &str, location: &str) -> ParsedFeed {
    parse_feed(doc.as_bytes(), None, location).unwrap_or_else(|e| panic!("{e}"))
}

fn only(feed: &ParsedFeed) -> &Article {
    let [article] = &feed.articles[..] else {
        panic!("{:?}", feed.articles);
    };
    article
}

fn body_text(article: &Article) -> Vec<&str> {
    article.body.iter().map(|b| b.text.as_str()).collect()
}

#[test]
fn titles_with_child_elements_keep_every_word() {
    let rss = "<rss version=\"2.0\"><channel><title>t</title><item><title>Example <b>Atom</b> news</title><guid>1</guid></item></channel></rss>";
    assert_eq!(only(&read(rss, "x")).title, "Example Atom news");
    for title in [
        "<title>Example <b>Atom</b> news</title>",
        "<title type=\"text\">Example <b>Atom</b> news</title>",
        "<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">Example <b>Atom</b> news</div></title>",
        "<title type=\"xhtml\"><xhtml:div xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">Example <xhtml:b>Atom</xhtml:b> news</xhtml:div></title>",
        "<title type=\"html\">Example &lt;b&gt;Atom&lt;/b&gt; news</title>",
    ] {
        let atom = format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><entry><id>1</id>{title}</entry></feed>"
        );
        assert_eq!(
            only(&read(&atom, "x")).title,
            "Example Atom news",
            "{title}"
        );
    }
}

#[test]
fn base64_content_is_decoded() {
    // `<p>Harbour <b>reopens</b> today.</p>` and `Plain words.`
    let doc = concat!(
        "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>t</title>",
        "<entry><title>Harbour</title><id>1</id>",
        "<content type=\"text/html\" mode=\"base64\">PHA+SGFyYm91ciA8Yj5yZW9wZW5zPC9iPiB0b2RheS48L3A+</content>",
        "<summary type=\"text/plain\" mode=\"base64\">UGxhaW4gd29y\nZHMu</summary></entry></feed>"
    );
    let feed = read(doc, "x");
    let article = only(&feed);
    assert_eq!(
        article.content_html.as_deref(),
        Some("<p>Harbour <b>reopens</b> today.</p>")
    );
    assert_eq!(body_text(article), vec!["Harbour reopens today."]);
    assert_eq!(article.summary.as_deref(), Some("Plain words."));
}

#[test]
fn dublin_core_itunes_media_and_xhtml_fields_are_read() {
    let doc = concat!(
        "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" ",
        "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" ",
        "xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">",
        "<channel><title>t</title>",
        "<item><guid>1</guid><dc:title>Tide tables change</dc:title>",
        "<dc:description>High water moves to 06:12.</dc:description></item>",
        "<item><guid>2</guid><title>Episode 12</title>",
        "<itunes:summary>The ferry crew on the night crossing.</itunes:summary></item>",
        "<item><guid>3</guid><media:group><media:title>Lifeboat launch</media:title>",
        "<media:description>Volunteers launch the lifeboat.</media:description></media:group></item>",
        "<item><guid>4</guid><title>Market</title><xhtml:body><xhtml:p>Stalls open at <xhtml:b>8am</xhtml:b>.</xhtml:p></xhtml:body></item>",
        "</channel></rss>"
    );
    let feed = read(doc, "x");
    let [dc, itunes, media, xhtml] = &feed.articles[..] else {
        panic!("{:?}", feed.articles);
    };
    assert_eq!(dc.title, "Tide tables change");
    assert_eq!(dc.summary.as_deref(), Some("High water moves to 06:12."));
    assert_eq!(
        body_text(itunes),
        vec!["The ferry crew on the night crossing."]
    );
    assert_eq!(media.title, "Lifeboat launch");
    assert_eq!(
        media.summary.as_deref(),
        Some("Volunteers launch the lifeboat.")
    );
    assert_eq!(
        xhtml.content_html.as_deref(),
        Some("<p>Stalls open at <b>8am</b>.</p>")
    );
    assert_eq!(body_text(xhtml), vec!["Stalls open at 8am."]);
}

#[test]
fn rss_1_0_and_0_90_items_without_links_stay_and_rdf_about_is_the_id() {
    for namespace in [
        "http://purl.org/rss/1.0/",
        "http://my.netscape.com/rdf/simple/0.9/",
    ] {
        let doc = format!(
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"{namespace}\">\
             <channel rdf:about=\"https://desk.example/rss\"><title>Desk</title><link>https://desk.example/</link></channel>\
             <item rdf:about=\"urn:desk:1\"><title>No link at all</title></item>\
             <item rdf:about=\"https://desk.example/2\"><title>Linked</title><link>https://desk.example/2</link></item>\
             </rdf:RDF>"
        );
        let feed = read(&doc, "x");
        let [bare, linked] = &feed.articles[..] else {
            panic!("{namespace}: {:?}", feed.articles);
        };
        assert_eq!(bare.title, "No link at all");
        assert_eq!(bare.link, None);
        assert_eq!(bare.upstream_id.as_deref(), Some("urn:desk:1"));
        assert_eq!(bare.upstream_key.as_deref(), Some("urn:desk:1"));
        assert_eq!(
            linked.upstream_id.as_deref(),
            Some("https://desk.example/2")
        );
        assert_eq!(linked.link.as_deref(), Some("https://desk.example/2"));
    }
}

#[test]
fn upper_case_hex_references_read() {
    let doc = "<rss version=\"2.0\"><channel><title>t</title><item><title>&#X41;&#x42;&#67; &#XE9;t&#xE9;</title><guid>1</guid></item></channel></rss>";
    assert_eq!(only(&read(doc, "x")).title, "ABC été");
}

#[test]
fn windows_1252_declared_iso_8859_1_reads_as_meant() {
    let mut doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>t</title><item><guid>1</guid><title>Don\x92t panic \x96 it\x92s &#147;fine&#148;</title></item></channel></rss>".to_vec();
    let article = only(&parse_feed(&doc, None, "x").unwrap()).clone();
    assert_eq!(
        article.title,
        "Don\u{2019}t panic \u{2013} it\u{2019}s \u{201c}fine\u{201d}"
    );
    // The same under an HTTP charset, and as UTF-8 text holding C1 controls.
    let article = only(&parse_feed(&doc, Some("iso-8859-1"), "x").unwrap()).clone();
    assert_eq!(
        article.title,
        "Don\u{2019}t panic \u{2013} it\u{2019}s \u{201c}fine\u{201d}"
    );
    doc = "<rss version=\"2.0\"><channel><title>t</title><item><guid>1</guid><title>Don\u{92}t</title></item></channel></rss>".as_bytes().to_vec();
    assert_eq!(
        only(&parse_feed(&doc, None, "x").unwrap()).title,
        "Don\u{2019}t"
    );
}

#[test]
fn xml_base_applies_to_entries_links_and_content() {
    let doc = concat!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://desk.example/news/\">",
        "<title>t</title><link href=\"/\"/>",
        "<entry xml:base=\"sport/\"><id>1</id><title>Entry base</title><link href=\"final\"/>",
        "<content type=\"html\">&lt;a href=\"table\"&gt;Table&lt;/a&gt;</content></entry>",
        "<entry><id>2</id><title>Link base</title><link xml:base=\"https://cdn.example/x/\" href=\"y\"/>",
        "<content type=\"html\" xml:base=\"https://img.example/a/\">&lt;img src=\"b.jpg\"&gt;</content></entry>",
        "<entry><id>3</id><title>Xhtml base</title><link href=\"three\"/>",
        "<content type=\"xhtml\" xml:base=\"https://desk.example/other/\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"page\">Page</a></div></content></entry>",
        "</feed>"
    );
    // Served from elsewhere: the document's own URL comes after `xml:base`.
    let feed = read(doc, "https://mirror.example/feed.atom");
    let [entry, link, xhtml] = &feed.articles[..] else {
        panic!("{:?}", feed.articles);
    };
    assert_eq!(feed.link.as_deref(), Some("https://desk.example/"));
    assert_eq!(
        entry.link.as_deref(),
        Some("https://desk.example/news/sport/final")
    );
    assert!(
        entry
            .content_html
            .as_deref()
            .is_some_and(|h| h.contains("href=\"https://desk.example/news/sport/table\"")),
        "{:?}",
        entry.content_html
    );
    assert_eq!(link.link.as_deref(), Some("https://cdn.example/x/y"));
    assert!(
        link.content_html
            .as_deref()
            .is_some_and(|h| h.contains("src=\"https://img.example/a/b.jpg\"")),
        "{:?}",
        link.content_html
    );
    assert_eq!(
        xhtml.link.as_deref(),
        Some("https://desk.example/news/three")
    );
    assert!(
        xhtml
            .content_html
            .as_deref()
            .is_some_and(|h| h.contains("href=\"https://desk.example/other/page\"")),
        "{:?}",
        xhtml.content_html
    );
}

#[test]
fn xml_base_inside_xhtml_content_applies_to_the_links_below_it() {
    let doc = concat!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://www.example.org/\">",
        "<title>t</title><entry><id>1</id><title>Archive</title><link href=\"notes.html\"/>",
        "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\" ",
        "xml:base=\"https://archive.example.org/2026/\"><p>See <a href=\"scan-12.html\">the letter</a> ",
        "<img src=\"scan-12.jpg\" alt=\"letter\"/> <span xml:base=\"https://maps.example.net/\">",
        "<a href=\"harbour\">the map</a></span> <a href=\"/about\">about</a> ",
        "<a href=\"https://elsewhere.example/x\">elsewhere</a></p></div></content></entry>",
        "<entry><id>2</id><title>After</title><content type=\"xhtml\">",
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"plain\">plain</a></div></content></entry>",
        "</feed>"
    );
    let feed = read(doc, "https://www.example.org/feed.atom");
    let [archive, after] = &feed.articles[..] else {
        panic!("{:?}", feed.articles);
    };
    let html = archive.content_html.as_deref().unwrap_or_default();
    for link in [
        "href=\"https://archive.example.org/2026/scan-12.html\"",
        "src=\"https://archive.example.org/2026/scan-12.jpg\"",
        "href=\"https://maps.example.net/harbour\"",
        "href=\"https://archive.example.org/about\"",
        "href=\"https://elsewhere.example/x\"",
    ] {
        assert!(html.contains(link), "{link} in {html}");
    }
    // The entry's own link and the next entry keep the feed's base.
    assert_eq!(
        archive.link.as_deref(),
        Some("https://www.example.org/notes.html")
    );
    let html = after.content_html.as_deref().unwrap_or_default();
    assert!(
        html.contains("href=\"https://www.example.org/plain\""),
        "{html}"
    );
}

#[test]
fn a_file_resolves_relative_links_against_its_self_link() {
    let doc = concat!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>",
        "<link rel=\"self\" href=\"http://desk.example/blog/index.atom\"/><link href=\"/blog/\"/>",
        "<entry><id>1</id><title>One</title><link href=\"/blog/2012/one\"/></entry></feed>"
    );
    let feed = read(doc, "saved/index.atom");
    assert_eq!(
        only(&feed).link.as_deref(),
        Some("http://desk.example/blog/2012/one")
    );
    assert_eq!(feed.link.as_deref(), Some("http://desk.example/blog/"));
}

#[test]
fn empty_entries_are_left_out_and_none_is_untitled() {
    let doc = concat!(
        "<rss version=\"2.0\"><channel><title>t</title>\n",
        "<item></item>\n",
        "<item><category>Only a category</category></item>\n",
        "<item><guid isPermaLink=\"false\">story-9</guid></item>\n",
        "<item><link>https://desk.example/10</link></item>\n",
        "<item><enclosure url=\"https://cdn.example/audio/episode-11.mp3\" type=\"audio/mpeg\" length=\"1\"/></item>\n",
        "<item><description>Words but no title.</description></item>\n",
        "</channel></rss>"
    );
    let feed = read(doc, "x");
    let titles: Vec<(usize, &str)> = feed
        .articles
        .iter()
        .map(|a| (a.origin.line, a.title.as_str()))
        .collect();
    assert_eq!(
        titles,
        vec![
            (4, "story-9"),
            (5, "https://desk.example/10"),
            (6, "episode-11.mp3"),
            (7, "Words but no title."),
        ],
        "each on the line its item starts on; the warnings number the entries"
    );
    assert_eq!(feed.entry_numbers, [3, 4, 5, 6]);
    assert_eq!(
        feed.warnings,
        vec![
            "entry 1: no title, text, link, id or media; left out",
            "entry 2: no title, text, link, id or media; left out",
        ]
    );
    assert!(feed.articles.iter().all(|a| !a.title.is_empty()));
    assert_eq!(
        feed.articles[3].body,
        vec![Block::paragraph("Words but no title.")]
    );
}

#[test]
fn a_title_with_nothing_visible_is_no_title() {
    // A soft hyphen, a direction mark, a combining grapheme joiner, a
    // Hangul filler, as a zero-width space: the entry takes the start of
    // its text.
    for blank in ["&#173;", "&#8206;", "&#847;", "&#12644;", "&#8203;"] {
        let rss = format!(
            "<rss version=\"2.0\"><channel><title>R</title><item><title>{blank}</title>\
             <link>https://ex.example/s</link><description>The ferry service resumes on Friday.</description>\
             </item></channel></rss>"
        );
        let feed = read(&rss, "blank.rss");
        assert_eq!(
            only(&feed).title,
            "The ferry service resumes on Friday.",
            "{blank}"
        );
    }
}

#[test]
fn hard_wrapped_plain_text_is_one_paragraph_per_blank_line() {
    let wrapped = "The water board said on Sunday that the reservoir\n\
                   levels had returned to normal after the autumn rain.\n\
                   \n\
                   The hosepipe ban\nends next week.";
    let atom = format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><entry><id>1</id>\
         <content type=\"text\">{wrapped}</content></entry></feed>"
    );
    let json = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "items": [{"id": "1", "content_text": wrapped}],
    })
    .to_string();
    for doc in [atom, json] {
        let feed = read(&doc, "x");
        let article = only(&feed);
        assert_eq!(
            body_text(article),
            [
                "The water board said on Sunday that the reservoir levels had returned to normal after the autumn rain.",
                "The hosepipe ban ends next week."
            ],
            "{doc}"
        );
        assert!(
            article
                .title
                .starts_with("The water board said on Sunday that the reservoir levels"),
            "{}",
            article.title
        );
    }
}

#[test]
fn dublin_core_dates_are_the_publication_date_beside_a_modification_date() {
    let item = |dates: &str| {
        format!(
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
             xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:dcterms=\"http://purl.org/dc/terms/\"><channel rdf:about=\"https://rdf.example/\">\
             <title>t</title></channel><item rdf:about=\"https://rdf.example/1\"><title>Tour</title>{dates}</item></rdf:RDF>"
        )
    };
    let dated = |dates: &str| {
        let feed = read(&item(dates), "x");
        let article = only(&feed);
        (
            article.published.map(|d| d.to_rfc3339()),
            article.updated.map(|d| d.to_rfc3339()),
        )
    };
    let date = "<dc:date>2026-11-30T10:00:00Z</dc:date>";
    let created = "<dcterms:created>2026-11-30T10:00:00Z</dcterms:created>";
    let modified = "<dcterms:modified>2026-12-01T12:00:00Z</dcterms:modified>";
    let both = (
        Some("2026-11-30T10:00:00+00:00".to_string()),
        Some("2026-12-01T12:00:00+00:00".to_string()),
    );
    for dates in [
        format!("{date}{modified}"),
        format!("{modified}{date}"),
        format!("{created}{modified}"),
        format!("{modified}{created}"),
    ] {
        assert_eq!(dated(&dates), both, "{dates}");
    }
    // Alone, `dc:date` dates the entry and is its update date, which an
    // edit moves; a modification date alone is both too.
    let only_date = Some("2026-11-30T10:00:00+00:00".to_string());
    assert_eq!(dated(date), (only_date.clone(), only_date));
    let only_modified = Some("2026-12-01T12:00:00+00:00".to_string());
    assert_eq!(dated(modified), (only_modified.clone(), only_modified));
}

#[test]
fn descriptions_naming_an_element_keep_every_word() {
    let rss = |description: &str| {
        format!(
            "<rss version=\"2.0\"><channel><title>t</title><item><title>Dev</title><guid>1</guid>\
             <description>{description}</description></item></channel></rss>"
        )
    };
    for element in [
        "select",
        "button",
        "template",
        "script",
        "style",
        "iframe",
        "textarea",
        "noscript",
        "svg",
        "math",
        "object",
        "noembed",
        "form",
        "title",
        "xmp",
        "plaintext",
    ] {
        let doc = rss(&format!(
            "Styling the &lt;{element}&gt; element used to be hard. Now it is easy."
        ));
        let feed = read(&doc, "x");
        let article = only(&feed);
        let words = format!("Styling the <{element}> element used to be hard. Now it is easy.");
        assert_eq!(
            article.summary.as_deref(),
            Some(words.as_str()),
            "{element}"
        );
        assert_eq!(body_text(article), [words.as_str()], "{element}");
    }
    // Written out whole, such an element is markup, and the sanitizer
    // removes it with its content.
    let doc = rss(
        "Before &lt;script&gt;alert(1)&lt;/script&gt;after &lt;SELECT name=x&gt;&lt;option&gt;o&lt;/Select &gt; the end.",
    );
    let feed = read(&doc, "x");
    assert_eq!(
        only(&feed).summary.as_deref(),
        Some("Before after the end.")
    );
}

#[test]
fn entries_are_placed_on_the_line_they_start_on() {
    let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel>\n<title>t</title>\n\
               <item>\n  <title>One</title>\n</item>\n\n  <item><title>Two</title></item>\n\
               </channel>\n</rss>\n";
    let json = "{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n  \"title\": \"items\",\n  \"items\": [\n    {\"id\": \"1\", \"title\": \"One\", \"content_text\": \"[a]\"},\n\n    {\n      \"id\": \"2\",\n      \"title\": \"Two\"\n    }\n  ]\n}\n";
    for (doc, lines) in [(rss, [5, 9]), (json, [5, 7])] {
        let feed = read(doc, "f");
        let placed: Vec<usize> = feed.articles.iter().map(|a| a.origin.line).collect();
        assert_eq!(placed, lines, "{doc}");
    }
}

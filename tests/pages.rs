//! HTML article pages end to end through `feedfold run`: local pages
//! (`pages = "…"`), a site's template paragraphs dropped across runs, news
//! sitemaps and full text for summary-only feeds, against a site served
//! from 127.0.0.1 that counts what it is asked. The template and sitemap
//! cases run on PostgreSQL too (`FEEDFOLD_TEST_POSTGRES_URL`, see
//! `common::postgres`).

mod common;

use common::site::Site;
use common::{Project, fixtures, text};

const TEMPLATE: &str = "The Calder Gazette is published by the Calder Press Trust, an independent charity founded in 1921 to keep the valley informed.";
const QUOTE: &str = "\"We will not be moved from this harbour,\" the union's chair told the crowd outside the gates on Tuesday morning.";

/// An article page on `site` at `path`, dated `day` of November 2026.
fn page(site: &str, path: &str, title: &str, day: u32, paragraphs: &[String]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html><head><title>{title} | Calder Gazette</title>\
         <link rel=\"canonical\" href=\"{site}{path}\">\
         <meta property=\"article:published_time\" content=\"2026-11-{day:02}T08:00:00Z\"></head>\
         <body><header><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav></header>\
         <main><article><h1>{title}</h1>\n{body}</article></main>\
         <footer>Copyright 2026</footer></body></html>\n"
    )
}

/// Three paragraphs no other page has (`n` in 1..=6).
fn own_paragraphs(n: usize) -> Vec<String> {
    let stories: [[&str; 3]; 6] = [
        [
            "Councillors voted on Monday to extend the ferry timetable into the winter months, story number 1, after a petition signed by nine hundred islanders.",
            "The extra crossings will run at dawn and late in the evening, when commuters and hospital staff have had no way back to the mainland.",
            "Operators warned that the new schedule depends on hiring four more deckhands before the first storms arrive in December.",
        ],
        [
            "The new library on Mill Street opened its doors on Saturday, story number 2, with a queue of children stretching past the bakery.",
            "Architects kept the brick facade of the old textile warehouse and added a glass reading room overlooking the canal basin.",
            "Volunteers catalogued forty thousand donated books over the summer, many of them local histories long out of print.",
        ],
        [
            "Engineers closed the river walk below the weir, story number 3, after heavy rain undermined a section of the embankment.",
            "Walkers and cyclists are being diverted through the allotments, adding roughly twenty minutes to the route into town.",
            "Repairs need divers to inspect the foundations, and cannot start until the water level falls back below the marker stones.",
        ],
        [
            "Pupils at Harton Primary were sent home early, story number 4, when part of the school roof sagged under a blocked gutter.",
            "Nobody was hurt, the head teacher said, but three classrooms will stay shut while surveyors check every timber beam.",
            "Parents have been offered places at the leisure centre hall, which served as a temporary school once before, in 1998.",
        ],
        [
            "The winter market returns to Quay Square this weekend, story number 5, with sixty stalls selling cheese, wool and smoked fish.",
            "Organisers moved the opening to Friday night so that shift workers from the cannery can browse before the crowds.",
            "A brass band from the mining villages will play carols beside the old customs house every evening until Christmas Eve.",
        ],
        [
            "Trams will stop running along Station Road for six weeks, story number 6, while worn rails and points are replaced.",
            "Replacement buses leave every ten minutes from the stop opposite the cathedral, and tickets remain valid on both.",
            "Contractors promised to work through the night near the hospital so ambulances keep a clear lane at all hours.",
        ],
    ];
    stories[n - 1].iter().map(|p| p.to_string()).collect()
}

fn feed_items(project: &Project) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&project.read("feeds/news.json")).unwrap();
    json["items"].as_array().unwrap().clone()
}

fn item_titled<'a>(items: &'a [serde_json::Value], title: &str) -> &'a serde_json::Value {
    items
        .iter()
        .find(|i| i["title"] == title)
        .unwrap_or_else(|| panic!("no item {title:?} in {items:#?}"))
}

fn content(item: &serde_json::Value) -> &str {
    item["content_html"].as_str().unwrap()
}

fn run(project: &Project) -> (String, String) {
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(!stdout.contains("another process"), "{stdout}");
    (stdout, stderr)
}

/// Runs `case` on a fresh PostgreSQL database `database` (skipped
/// without a cluster, except under `CI=true`).
fn on_postgresql(database: &str, case: fn(&str)) {
    if let Some(url) = common::postgres::database(database) {
        case(&format!("url = \"{url}\""));
    }
}

/// Runs `feedfold run` again on the store the `[store]` line `store`
/// names. A `run` on PostgreSQL leaves a source that another process began
/// ingesting since the start of the second the run began (moments are
/// whole seconds), so there the next run waits for the next second.
fn rerun(project: &Project, store: &str) -> (String, String) {
    if store != SQLITE {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        let left = 1_000_000_000 - since_epoch.subsec_nanos();
        std::thread::sleep(std::time::Duration::from_nanos(u64::from(left) + 1_000_000));
    }
    run(project)
}

fn feed_files(project: &Project) -> Vec<Vec<u8>> {
    ["news.rss", "news.atom", "news.json"]
        .iter()
        .map(|f| std::fs::read(project.path(&format!("feeds/{f}"))).unwrap())
        .collect()
}

/// The SQLite store of a project, as its `[store]` section names it.
const SQLITE: &str = r#"path = "feedfold.db""#;

/// The config's store, publish and feed sections, on the store the
/// `[store]` line `store` names.
fn config_head(store: &str) -> String {
    format!(
        r#"
[store]
{store}

[publish]
dir = "feeds"
base_url = "http://127.0.0.1:9"

[[feed]]
name = "news"
title = "News"
limit = 100
"#
    )
}

/// A project on SQLite whose one source, `gazette`, reads `site`'s
/// `/sitemap.xml`.
fn gazette_project(site: &Site) -> Project {
    Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
        config_head(SQLITE),
        site.url("/sitemap.xml")
    ))
}

/// Puts on `site` a sitemap listing `/news/1`, changed at `lastmod`.
fn put_one_page_sitemap(site: &Site, lastmod: &str) {
    site.put(
        "/sitemap.xml",
        "application/xml",
        &format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
               <url><loc>{{site}}/news/1</loc><lastmod>{lastmod}</lastmod></url></urlset>"#
        ),
    );
}

#[test]
fn a_page_in_the_shape_of_the_seed_folds_to_one_article() {
    let head = config_head(SQLITE);
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"scraped\"\npages = \"scraped/**/*.html\"\n"
    ));
    std::fs::create_dir_all(project.path("scraped/courier")).unwrap();
    std::fs::copy(
        fixtures().join("pages/harbour-strike.html"),
        project.path("scraped/courier/harbour-strike.html"),
    )
    .unwrap();
    let (stdout, _) = run(&project);
    assert!(stdout.contains("scraped"), "{stdout}");
    let items = feed_items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    let item = &items[0];
    assert_eq!(item["title"], "Dock Workers End Three-Week Harbour Strike");
    assert_eq!(item["date_published"], "2026-03-14T07:15:00Z");
    assert_eq!(
        item["url"],
        "https://courier.example/news/2026/03/harbour-strike-ends"
    );
    let html = content(item);
    assert_eq!(html.matches("<figcaption>").count(), 1, "{html}");
    assert!(
        html.contains("<figcaption>Cranes stand idle at the container terminal on the ninth day of the strike <small>(AP)</small></figcaption>"),
        "{html}"
    );
    assert_eq!(
        html.matches("<h3>Ships queue outside the port</h3>")
            .count(),
        1,
        "{html}"
    );
    let paragraphs: Vec<&str> = html
        .split("<p>")
        .skip(1)
        .map(|p| p.split("</p>").next().unwrap())
        .collect();
    assert_eq!(paragraphs.len(), 7, "{html}");
    let mut distinct = paragraphs.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        paragraphs.len(),
        "every paragraph once: {html}"
    );
    for furniture in ["cookies", "Share on", "newsletter", "Most read"] {
        assert!(
            !html.contains(furniture),
            "{furniture:?} reached the feed: {html}"
        );
    }
}

#[test]
fn a_pages_lazy_picture_spanning_cells_and_code_figure_reach_the_feed() {
    let head = config_head(SQLITE);
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"scraped\"\npages = \"scraped/**/*.html\"\n"
    ));
    let paragraphs: String = own_paragraphs(5)
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let html = format!(
        "<!DOCTYPE html><html><head><title>Winter Market Returns | Calder Gazette</title>\
         <link rel=\"canonical\" href=\"https://gazette.example/news/market\"></head>\
         <body><article><h1>Winter Market Returns</h1>\
         <div class=\"image-box\"><figure><img class=\"lazyload\" src=\"/assets/lazy-placeholder.gif\">\
         <noscript><img src=\"/media/market.jpg\"></noscript>\
         <figcaption>Stalls on Quay Square on Friday night</figcaption></figure></div>{paragraphs}\
         <table><tr><th colspan=\"2\">Stall</th><th>Pitches</th></tr>\
         <tr><td>Cheese</td><td>Smoked fish</td><td>12</td></tr>\
         <tr><td rowspan=\"2\">Bread</td><td>Rye</td><td>4</td></tr>\
         <tr><td>Spelt</td><td>2</td></tr></table>\
         <figure class=\"highlight\"><pre><code>market --open friday</code></pre>\
         <figcaption>The command the stallholders were sent</figcaption></figure>\
         </article></body></html>"
    );
    std::fs::create_dir_all(project.path("scraped/gazette")).unwrap();
    std::fs::write(project.path("scraped/gazette/market.html"), html).unwrap();
    run(&project);
    let items = feed_items(&project);
    let html = content(item_titled(&items, "Winter Market Returns"));
    assert_eq!(html.matches("<img ").count(), 1, "{html}");
    assert!(
        html.contains("<img src=\"https://gazette.example/media/market.jpg\""),
        "{html}"
    );
    for paragraph in [
        "<p>Stall | | Pitches</p>",
        "<p>Cheese | Smoked fish | 12</p>",
        "<p>Bread | Rye | 4</p>",
        // The column `Bread` spans into is left empty: `Spelt` stays under it.
        "<p>| Spelt | 2</p>",
        "<p>market --open friday</p>",
        "<p>The command the stallholders were sent</p>",
    ] {
        assert!(html.contains(paragraph), "{paragraph}: {html}");
    }
}

#[test]
fn a_pages_photos_keep_their_alt_text_and_an_uncaptioned_lead_photo_is_published() {
    let head = config_head(SQLITE);
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"scraped\"\npages = \"scraped/*.html\"\n"
    ));
    let paragraphs: String = own_paragraphs(6)
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let html = format!(
        "<!DOCTYPE html><html><head><title>Trams Stop on Station Road | Calder Gazette</title>\
         <meta property=\"og:image\" content=\"https://gazette.example/media/rails.jpg\">\
         <link rel=\"canonical\" href=\"https://gazette.example/news/trams\"></head>\
         <body><header><img src=\"/assets/gazette-logo.png\" alt=\"Calder Gazette\"></header>\
         <article><h1>Trams Stop on Station Road</h1><p class=\"byline\">By Nia Baptiste \
         <img src=\"/people/nia.jpg\" width=\"48\" height=\"48\" alt=\"Nia Baptiste\"></p>\
         <img src=\"/media/rails.jpg\" alt=\"Worn rails lifted out at the cathedral stop\" width=\"1200\" height=\"800\">\
         {paragraphs}\
         <figure><img src=\"/media/bus.jpg\" alt=\"A replacement bus waits opposite the cathedral\">\
         <figcaption>Buses leave every ten minutes. (Calder Gazette)</figcaption></figure>\
         <p><a href=\"/news/market\"><img src=\"/media/market-teaser.jpg\" alt=\"\"></a></p>\
         <img src=\"/media/pixel.gif\" width=\"1\" height=\"1\" alt=\"\">\
         </article></body></html>"
    );
    std::fs::create_dir_all(project.path("scraped")).unwrap();
    std::fs::write(project.path("scraped/trams.html"), html).unwrap();
    run(&project);
    let items = feed_items(&project);
    let html = content(item_titled(&items, "Trams Stop on Station Road"));
    assert!(
        html.contains(
            "<img src=\"https://gazette.example/media/rails.jpg\" alt=\"Worn rails lifted out at the cathedral stop\">"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "<img src=\"https://gazette.example/media/bus.jpg\" alt=\"A replacement bus waits opposite the cathedral\">"
        ),
        "{html}"
    );
    // The site's logo, the author's portrait, a teaser of another story
    // and a tracking pixel are no pictures of the story.
    assert_eq!(html.matches("<img ").count(), 2, "{html}");
    for file in [
        &project.read("feeds/news.rss"),
        &project.read("feeds/news.atom"),
    ] {
        assert!(file.contains("media/rails.jpg"), "{file}");
    }
}

#[test]
fn a_page_fills_the_teaser_of_the_feed_entry_that_links_to_it() {
    let config = format!(
        "{}\n[[source]]\nname = \"wire\"\nfeed = \"teasers.xml\"\n\n\
         [[source]]\nname = \"scraped\"\npages = \"pages/*.html\"\n",
        config_head(SQLITE)
    );
    let project = Project::new(&config);
    project.write(
        "teasers.xml",
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Wire</title>\
         <link>https://calder.example/</link><description>Teasers</description>\
         <item><title>Ferry timetable extended</title>\
         <link>https://calder.example/news/ferry</link>\
         <guid>https://calder.example/news/ferry</guid>\
         <pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate>\
         <description>Winter crossings are coming.</description></item>\
         </channel></rss>\n",
    );
    project.write(
        "pages/ferry.html",
        &page(
            "https://calder.example",
            "/news/ferry",
            "Ferry Timetable Extended Into Winter",
            2,
            &own_paragraphs(1),
        ),
    );
    run(&project);
    let items = feed_items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    let item = item_titled(&items, "Ferry Timetable Extended Into Winter");
    for paragraph in own_paragraphs(1) {
        assert!(
            content(item).contains(&paragraph[..40]),
            "{}",
            content(item)
        );
    }
    let dups = project.feedfold(&["dups"]);
    let (stdout, _) = text(&dups);
    assert!(stdout.contains("same-link"), "{stdout}");
    assert!(
        stdout.contains("replaced it (longer)") || stdout.contains("longer"),
        "{stdout}"
    );
    // The teaser read again replaces nothing.
    run(&project);
    assert_eq!(feed_items(&project), items);
}

#[test]
fn a_sites_template_sentence_is_dropped_across_runs_and_a_quote_is_kept() {
    template_dropped_and_quote_kept(SQLITE);
}

#[test]
fn on_postgresql_a_sites_template_sentence_is_dropped_and_a_quote_kept() {
    on_postgresql("pages_template", template_dropped_and_quote_kept);
}

/// Five local pages of a site print its template sentence, one of them a
/// quote too; a sixth, read in a later run, loses the template and keeps
/// the quote. On the store the `[store]` line `store` names.
fn template_dropped_and_quote_kept(store: &str) {
    let head = config_head(store);
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"scraped\"\npages = \"scraped/*.html\"\n"
    ));
    std::fs::create_dir_all(project.path("scraped")).unwrap();
    let site = "https://gazette.example";
    let write = |n: usize, extra: &[&str]| {
        let mut paragraphs = own_paragraphs(n);
        paragraphs.extend(extra.iter().map(|p| p.to_string()));
        let title = format!("Council Story {n}");
        std::fs::write(
            project.path(&format!("scraped/story-{n}.html")),
            page(site, &format!("/news/{n}"), &title, n as u32, &paragraphs),
        )
        .unwrap();
    };
    // Five pages print the template; the second also quotes the chair.
    for n in 1..=5 {
        if n == 2 {
            write(n, &[QUOTE, TEMPLATE]);
        } else {
            write(n, &[TEMPLATE]);
        }
    }
    run(&project);
    let items = feed_items(&project);
    assert_eq!(items.len(), 5);
    assert!(content(item_titled(&items, "Council Story 1")).contains("Calder Press Trust"));
    let before = feed_files(&project);
    rerun(&project, store);
    assert_eq!(
        feed_files(&project),
        before,
        "reading the same pages again changes nothing"
    );

    // The sixth page, read in a later run, quotes the chair too.
    write(6, &[TEMPLATE, QUOTE]);
    rerun(&project, store);
    let items = feed_items(&project);
    assert_eq!(items.len(), 6);
    let sixth = content(item_titled(&items, "Council Story 6"));
    assert!(
        !sixth.contains("Calder Press Trust"),
        "template kept: {sixth}"
    );
    assert!(
        sixth.contains("chair told the crowd outside the gates"),
        "quote dropped: {sixth}"
    );
    assert_eq!(sixth.matches("<p>").count(), 4, "{sixth}");
    let second = content(item_titled(&items, "Council Story 2"));
    assert!(
        second.contains("chair told the crowd outside the gates"),
        "{second}"
    );
}

#[test]
fn a_page_saved_again_under_another_file_name_counts_once_for_the_template() {
    page_saved_twice_counted_once(SQLITE);
}

#[test]
fn on_postgresql_a_page_saved_again_under_another_file_name_counts_once() {
    on_postgresql("pages_saved_twice", page_saved_twice_counted_once);
}

/// Two pages of a site quote the chair, the first saved twice under two
/// file names; a third page quoting the chair keeps the quote: two pages
/// printed it, not three. On the store the `[store]` line `store` names.
fn page_saved_twice_counted_once(store: &str) {
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"scraped\"\npages = \"scraped/*.html\"\n",
        config_head(store)
    ));
    std::fs::create_dir_all(project.path("scraped")).unwrap();
    let site = "https://gazette.example";
    let write = |file: &str, n: usize| {
        let mut paragraphs = own_paragraphs(n);
        paragraphs.push(QUOTE.to_string());
        let title = format!("Council Story {n}");
        std::fs::write(
            project.path(&format!("scraped/{file}.html")),
            page(site, &format!("/news/{n}"), &title, n as u32, &paragraphs),
        )
        .unwrap();
    };
    // Two pages quote the chair; the scraper saves the first again under a
    // dated name: it is still two pages of the site.
    write("story-1", 1);
    write("story-2", 2);
    run(&project);
    std::fs::copy(
        project.path("scraped/story-1.html"),
        project.path("scraped/story-1-2026-11-28.html"),
    )
    .unwrap();
    rerun(&project, store);
    write("story-3", 3);
    rerun(&project, store);
    let items = feed_items(&project);
    assert_eq!(items.len(), 3, "{items:#?}");
    let third = content(item_titled(&items, "Council Story 3"));
    assert!(
        third.contains("chair told the crowd outside the gates"),
        "a paragraph on two pages taken for the template: {third}"
    );
}

#[test]
fn on_postgresql_a_sites_paragraph_counts_are_read_by_key() {
    let Some(url) = common::postgres::database("pages_counts") else {
        return;
    };
    let head = config_head(&format!("url = \"{url}\""));
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"scraped\"\npages = \"scraped/*.html\"\n"
    ));
    std::fs::create_dir_all(project.path("scraped")).unwrap();
    let site = "https://gazette.example";
    let pages = 80;
    for n in 1..=pages {
        let paragraphs: Vec<String> = own_paragraphs((n - 1) % 6 + 1)
            .iter()
            .map(|p| format!("{p} Page {n} of the series."))
            .collect();
        std::fs::write(
            project.path(&format!("scraped/story-{n}.html")),
            page(
                site,
                &format!("/news/{n}"),
                &format!("Story {n}"),
                1 + (n % 28) as u32,
                &paragraphs,
            ),
        )
        .unwrap();
    }
    run(&project);
    let written = common::postgres::count(&url, "SELECT count(*) FROM site_paragraphs");
    assert_eq!(written, 3 * pages as i64, "every page's paragraphs counted");
    common::postgres::await_inserted(&url, "site_paragraphs", written);
    // How often each paragraph appeared before is read by its key: reading
    // the site's whole list for every page grows with the square of its
    // pages (9,720 rows here before).
    let read = common::postgres::rows_read(&url, &["site_paragraphs"])[0].1;
    assert!(
        read < 10 * written,
        "{read} rows of site_paragraphs read for {written} written"
    );
}

/// A sitemap index of two sitemaps, one of them a Google News sitemap and
/// the other a gzipped file, listing five pages of the site (`day` of November each).
fn put_sitemaps(site: &Site) {
    site.put(
        "/sitemap-index.xml",
        "application/xml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{site}/news-sitemap.xml</loc></sitemap>
  <sitemap><loc>{site}/archive-sitemap.xml.gz</loc></sitemap>
</sitemapindex>"#,
    );
    site.put(
        "/news-sitemap.xml",
        "application/xml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{site}/news/3</loc><news:news><news:publication><news:name>Gazette</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-11-03T08:00:00Z</news:publication_date><news:title>Council Story 3</news:title></news:news></url>
  <url><loc>{site}/news/5</loc><news:news><news:publication><news:name>Gazette</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-11-05T08:00:00Z</news:publication_date><news:title>Council Story 5</news:title></news:news></url>
  <url><loc>{site}/news/4</loc><news:news><news:publication><news:name>Gazette</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-11-04T08:00:00Z</news:publication_date><news:title>Council Story 4</news:title></news:news></url>
</urlset>"#,
    );
    let archive = site.filled_in(
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{site}/news/1</loc><lastmod>2026-11-01</lastmod></url>
  <url><loc>{site}/news/2</loc><lastmod>2026-11-02</lastmod></url>
</urlset>"#,
    );
    let mut gzipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gzipped, archive.as_bytes()).unwrap();
    site.put_bytes(
        "/archive-sitemap.xml.gz",
        "application/gzip",
        gzipped.finish().unwrap(),
    );
    put_pages(site, 5, "");
}

#[test]
fn an_index_of_more_sitemaps_than_are_read_reads_the_newest_by_lastmod() {
    let site = Site::start();
    put_pages(&site, 2, "");
    let listing = |path: &str| {
        format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{{site}}{path}</loc></url></urlset>"#
        )
    };
    let mut index = String::from(
        r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{site}/sitemap-undated.xml</loc></sitemap>"#,
    );
    site.put(
        "/sitemap-undated.xml",
        "application/xml",
        &listing("/news/1"),
    );
    // 50 monthly sitemaps, oldest first, as archive indexes list them;
    // the newest, where today's story is, last.
    for month in 1..=50 {
        let path = format!("/sitemap-{month:02}.xml");
        let listed = if month == 50 { "/news/2" } else { "/news/old" };
        site.put(&path, "application/xml", &listing(listed));
        let (year, month) = (2022 + (month - 1) / 12, 1 + (month - 1) % 12);
        index.push_str(&format!(
            "<sitemap><loc>{{site}}{path}</loc><lastmod>{year}-{month:02}-28</lastmod></sitemap>"
        ));
    }
    index.push_str("</sitemapindex>");
    site.put("/sitemap-index.xml", "application/xml", &index);
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
        config_head(SQLITE),
        site.url("/sitemap-index.xml")
    ));
    let (_, stderr) = run(&project);
    assert_eq!(titles(&project), ["Council Story 2"], "{stderr}");
    assert_eq!(site.hits("/sitemap-50.xml"), 1, "the newest is read");
    assert_eq!(site.hits("/sitemap-undated.xml"), 0, "undated ones last");
    assert!(
        stderr.contains("only the newest 50 of 51 sitemaps are read"),
        "{stderr}"
    );
}

#[test]
fn an_index_none_of_whose_sitemaps_can_be_read_fails_its_source() {
    let site = Site::start();
    put_pages(&site, 1, "");
    site.put(
        "/sitemap-index.xml",
        "application/xml",
        r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{site}/sitemap-moved.xml</loc><lastmod>2026-11-30</lastmod></sitemap>
  <sitemap><loc>{site}/sitemap-live.xml</loc><lastmod>2026-11-01</lastmod></sitemap>
</sitemapindex>"#,
    );
    site.put(
        "/sitemap-live.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site}/news/1</loc></url></urlset>"#,
    );
    let project = |index: &str| {
        Project::new(&format!(
            "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
            config_head(SQLITE),
            site.url(index)
        ))
    };
    // One sitemap of the index gone: a warning, and the other is read.
    let some = project("/sitemap-index.xml");
    let (_, stderr) = run(&some);
    assert_eq!(titles(&some), ["Council Story 1"], "{stderr}");
    assert!(stderr.contains("/sitemap-moved.xml: HTTP 404"), "{stderr}");

    // Every sitemap gone (the site moved): the source read nothing, and has failed.
    site.put(
        "/sitemap-gone.xml",
        "application/xml",
        r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{site}/sitemap-moved.xml</loc></sitemap>
  <sitemap><loc>{site}/sitemap-removed.xml</loc></sitemap>
</sitemapindex>"#,
    );
    let none = project("/sitemap-gone.xml");
    let output = none.feedfold(&["run", "-q"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("feedfold: source gazette: failed: ")
            && stderr.contains(
                "/sitemap-gone.xml: none of the 2 sitemaps it lists could be read; the first tried: "
            ),
        "{stderr}"
    );
    let (sources, _) = text(&none.feedfold(&["sources"]));
    assert!(sources.contains("last result:  failed: "), "{sources}");
    assert!(sources.contains("failures:     1 in a row"), "{sources}");
}

#[test]
fn a_sitemap_refused_by_the_private_network_rule_is_named_once() {
    let site = Site::start();
    // Another port of the loopback than the source's own: refused.
    let elsewhere = "http://127.0.0.1:9/sitemap-1.xml";
    site.put(
        "/sitemap-index.xml",
        "application/xml",
        &format!(
            r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{elsewhere}</loc></sitemap></sitemapindex>"#
        ),
    );
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
        config_head(SQLITE),
        site.url("/sitemap-index.xml")
    ));
    let (stdout, stderr) = text(&project.feedfold(&["run"]));
    let output = format!("{stdout}{stderr}");
    assert!(
        output.contains(&format!(
            "the one sitemap it lists could not be read: {elsewhere}: at 127.0.0.1, a loopback address outside the source's own origin; refused"
        )),
        "{output}"
    );
    assert!(
        !output.contains(&format!("{elsewhere}: {elsewhere}")),
        "{output}"
    );
}

/// Pages 1..=count of the site at `/news/{n}`, titled `Council Story {n}`
/// and `suffix`.
fn put_pages(site: &Site, count: usize, suffix: &str) {
    for n in 1..=count {
        let path = format!("/news/{n}");
        let title = format!("Council Story {n}{suffix}");
        let html = page("{site}", &path, &title, n as u32, &own_paragraphs(n));
        site.put(&path, "text/html; charset=utf-8", &html);
    }
}

fn titles(project: &Project) -> Vec<String> {
    let mut titles: Vec<String> = feed_items(project)
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn sitemap_pages_are_fetched_newest_first_a_few_a_cycle_and_never_twice() {
    sitemap_pages_fetched_once(SQLITE);
}

#[test]
fn on_postgresql_sitemap_pages_are_fetched_a_few_a_cycle_and_never_twice() {
    on_postgresql("pages_sitemap", sitemap_pages_fetched_once);
}

/// A sitemap index of five pages read three pages a cycle, newest first;
/// a third run fetches no page again and changes no published byte. On
/// the store the `[store]` line `store` names.
fn sitemap_pages_fetched_once(store: &str) {
    let head = config_head(store);
    let site = Site::start();
    put_sitemaps(&site);
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\nmax_pages = 3\n",
        site.url("/sitemap-index.xml")
    ));
    let (stdout, _) = run(&project);
    assert_eq!(
        titles(&project),
        ["Council Story 3", "Council Story 4", "Council Story 5"],
        "the three newest first"
    );
    assert!(
        stdout.contains("source gazette: 3 entries read, 3 new, 0 already known, 2 pages waiting for the next cycle"),
        "the summary says how many pages wait: {stdout}"
    );
    let items = feed_items(&project);
    let fifth = item_titled(&items, "Council Story 5");
    assert_eq!(fifth["date_published"], "2026-11-05T08:00:00Z");
    assert_eq!(fifth["url"], site.url("/news/5"));
    assert!(
        content(fifth).contains("The winter market returns"),
        "{fifth}"
    );
    assert_eq!(site.hits_under("/news/"), 3);

    let (stdout, _) = rerun(&project, store);
    assert_eq!(titles(&project).len(), 5, "the rest in the next cycle");
    assert!(!stdout.contains("waiting"), "none left: {stdout}");
    assert!(
        stdout.contains("source gazette: 5 entries read, 2 new, 3 already known"),
        "the pages read before count as read and known: {stdout}"
    );
    for n in 1..=5 {
        assert_eq!(site.hits(&format!("/news/{n}")), 1, "page {n} fetched once");
    }
    let before = feed_files(&project);
    let (stdout, _) = rerun(&project, store);
    assert_eq!(
        site.hits_under("/news/"),
        5,
        "no known page fetched again: {stdout}"
    );
    assert_eq!(
        feed_files(&project),
        before,
        "a rerun changes no published byte"
    );
}

#[test]
fn a_sitemap_page_is_fetched_again_when_its_lastmod_moves_on() {
    let site = Site::start();
    put_one_page_sitemap(&site, "2026-11-01T06:00:00Z");
    put_pages(&site, 1, "");
    let project = gazette_project(&site);
    run(&project);
    run(&project);
    assert_eq!(site.hits("/news/1"), 1, "unchanged: not fetched again");
    // The page gains a paragraph and the sitemap says it changed.
    let mut paragraphs = own_paragraphs(1);
    paragraphs.push("Update, 4pm: the council confirmed the first winter crossing will leave at six in the morning on Monday.".into());
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &page("{site}", "/news/1", "Council Story 1", 1, &paragraphs),
    );
    put_one_page_sitemap(&site, "2026-11-01T16:00:00Z");
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2, "{stdout}\n{stderr}");
    let items = feed_items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(content(&items[0]).contains("Update, 4pm"), "{items:#?}");
    assert_eq!(
        items[0]["date_modified"], "2026-11-01T16:00:00Z",
        "the edit is dated by its lastmod, not by the run: {items:#?}"
    );
    run(&project);
    assert_eq!(site.hits("/news/1"), 2, "read at its new lastmod");
}

#[test]
fn a_sitemap_page_whose_lastmod_moves_on_is_asked_for_conditionally() {
    page_asked_for_conditionally(SQLITE);
}

#[test]
fn on_postgresql_a_sitemap_page_whose_lastmod_moves_on_is_asked_for_conditionally() {
    on_postgresql("pages_conditional", page_asked_for_conditionally);
}

/// A sitemap that stamps every page with a new `lastmod` each cycle: a
/// page read before is asked for with `If-None-Match`, and its `304`
/// counts it as read and known, remembered at the new `lastmod`; a page
/// that did change comes whole and updates its story.
fn page_asked_for_conditionally(store: &str) {
    let site = Site::start();
    site.tag_documents();
    put_one_page_sitemap(&site, "2026-11-01T06:00:00Z");
    put_pages(&site, 1, "");
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
        config_head(store),
        site.url("/sitemap.xml")
    ));
    run(&project);
    let before = feed_files(&project);
    put_one_page_sitemap(&site, "2026-11-01T06:15:00Z");
    let (stdout, stderr) = rerun(&project, store);
    assert_eq!(
        (site.hits("/news/1"), site.conditional_hits("/news/1")),
        (2, 1),
        "{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("source gazette: 1 entry read, 0 new, 1 already known"),
        "{stdout}"
    );
    assert_eq!(feed_files(&project), before, "nothing changes");
    rerun(&project, store);
    assert_eq!(site.hits("/news/1"), 2, "remembered at its new lastmod");
    // The page changes: asked for as before, it comes whole.
    let mut paragraphs = own_paragraphs(1);
    paragraphs.push("Update, 4pm: the council confirmed the first winter crossing will leave at six in the morning on Monday.".into());
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &page("{site}", "/news/1", "Council Story 1", 1, &paragraphs),
    );
    put_one_page_sitemap(&site, "2026-11-01T16:00:00Z");
    rerun(&project, store);
    assert_eq!(
        (site.hits("/news/1"), site.conditional_hits("/news/1")),
        (3, 2)
    );
    let items = feed_items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(content(&items[0]).contains("Update, 4pm"), "{items:#?}");
    // Its new validators are kept: unchanged again, it answers 304.
    put_one_page_sitemap(&site, "2026-11-01T16:15:00Z");
    let (stdout, _) = rerun(&project, store);
    assert_eq!(site.conditional_hits("/news/1"), 3);
    assert!(stdout.contains("1 already known"), "{stdout}");
    assert!(content(&feed_items(&project)[0]).contains("Update, 4pm"));
}

#[test]
fn a_sitemap_page_read_again_as_a_paywall_or_a_not_found_page_keeps_its_story() {
    let site = Site::start();
    let mut story = own_paragraphs(1);
    story.push("The harbour master said the dawn sailing would be reviewed after the first month, once the operators have counted how many passengers use it.".into());
    story.push("Islanders who signed the petition plan to meet the first boat on the slipway with flasks of tea and a banner thanking the councillors.".into());
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &page("{site}", "/news/1", "Council Story 1", 1, &story),
    );
    put_one_page_sitemap(&site, "2026-11-01T06:00:00Z");
    let project = gazette_project(&site);
    run(&project);
    let paywall = page("{site}", "/news/1", "Council Story 1", 1, &story[..1]).replace(
        "</article>",
        "<div class=\"paywall\"><h2>This article is for subscribers</h2>\
         <p>Subscribe to continue reading. Get unlimited access to Calder Gazette journalism for just a pound a week, cancel any time.</p>\
         <p>Already a subscriber? Log in to continue reading this article.</p></div></article>",
    );
    let not_found = "<!DOCTYPE html><html><head><title>Page not found | Calder Gazette</title></head>\
        <body><main><h1>Sorry, we couldn't find that page</h1>\
        <p>The page you were looking for may have been moved, deleted or may never have existed. Please check the address and try again.</p>\
        <p>You can return to our home page or use the search box above to find the story you were looking for.</p>\
        </main></body></html>";
    for (at, gone) in [("2026-11-20", paywall.as_str()), ("2026-11-21", not_found)] {
        site.put("/news/1", "text/html; charset=utf-8", gone);
        put_one_page_sitemap(&site, &format!("{at}T08:00:00Z"));
        let (stdout, stderr) = run(&project);
        assert!(!stdout.contains("updated"), "{stdout}\n{stderr}");
        let items = feed_items(&project);
        assert_eq!(items.len(), 1, "{items:#?}");
        assert_eq!(items[0]["title"], "Council Story 1", "{items:#?}");
        assert!(content(&items[0]).contains("flasks of tea"), "{items:#?}");
        assert!(!content(&items[0]).contains("Subscribe"), "{items:#?}");
    }
    assert_eq!(site.hits("/news/1"), 3);
}

/// Council story 1's page with a captioned lead photo under its headline
/// and, unless `paywalled`, a second captioned photo in its text: behind a
/// paywall it shows the lead photo, the first paragraph and a
/// subscription box.
fn photographed_story(paywalled: bool) -> String {
    let photo = |name: &str, caption: &str| {
        format!(
            "<figure><img src=\"/img/{name}.jpg\" width=\"900\" height=\"600\" alt=\"{name}\">\
             <figcaption>{caption}</figcaption></figure>"
        )
    };
    let mut story = own_paragraphs(1);
    story.push("The harbour master said the dawn sailing would be reviewed after the first month, once the operators have counted how many passengers use it.".into());
    let text = if paywalled {
        format!(
            "<p>{}</p><div class=\"paywall\"><p>Subscribe to keep reading this story.</p>\
             <a href=\"/subscribe\">Subscribe now</a></div>",
            story[0]
        )
    } else {
        format!(
            "<p>{}</p>{}{}",
            story[0],
            photo(
                "quay",
                "Fishing boats moored at the old quay. (Ingrid Holm)"
            ),
            story[1..]
                .iter()
                .map(|p| format!("<p>{p}</p>"))
                .collect::<String>()
        )
    };
    page("{site}", "/news/1", "Council Story 1", 1, &[]).replace(
        "<h1>Council Story 1</h1>\n",
        &format!(
            "<h1>Council Story 1</h1>{}<div class=\"article-body\">{text}</div>",
            photo("ferry", "The first winter ferry at dawn. (Lars Berg)")
        ),
    )
}

#[test]
fn a_page_read_again_behind_a_paywall_keeps_its_storys_photos_and_date() {
    let sitemap = Site::start();
    sitemap.put(
        "/news/1",
        "text/html; charset=utf-8",
        &photographed_story(false),
    );
    put_one_page_sitemap(&sitemap, "2026-11-01T06:00:00Z");
    let full_text = Site::start();
    full_text.put(
        "/news/1",
        "text/html; charset=utf-8",
        &photographed_story(false),
    );
    let feed = |updated| teaser_feed(1, "http://127.0.0.1:9/news/unreachable", updated);
    full_text.put("/rss.xml", "application/rss+xml", &feed(false));
    for (site, project) in [
        (&sitemap, gazette_project(&sitemap)),
        (&full_text, full_text_project(&full_text)),
    ] {
        run(&project);
        let before = item_titled(&feed_items(&project), "Council Story 1").clone();
        assert!(
            content(&before).contains("Fishing boats moored"),
            "{before:#}"
        );
        site.put(
            "/news/1",
            "text/html; charset=utf-8",
            &photographed_story(true),
        );
        put_one_page_sitemap(site, "2026-11-20T08:00:00Z");
        site.put("/rss.xml", "application/rss+xml", &feed(true));
        let (stdout, stderr) = run(&project);
        assert_eq!(site.hits("/news/1"), 2, "{stdout}\n{stderr}");
        assert!(!stdout.contains("updated"), "{stdout}\n{stderr}");
        let after = item_titled(&feed_items(&project), "Council Story 1").clone();
        for kept in [
            "The first winter ferry at dawn.",
            "Fishing boats moored at the old quay.",
            "/img/quay.jpg",
            "operators have counted",
        ] {
            assert!(content(&after).contains(kept), "{kept}: {after:#}");
        }
        assert!(!content(&after).contains("Subscribe"), "{after:#}");
        assert_eq!(after["date_modified"], before["date_modified"], "{after:#}");
    }
}

#[test]
fn a_sitemap_page_back_from_behind_a_paywall_as_it_was_changes_no_feed() {
    let site = Site::start();
    let mut story = own_paragraphs(1);
    story.push("The harbour master said the dawn sailing would be reviewed after the first month, once the operators have counted how many passengers use it.".into());
    let whole = page("{site}", "/news/1", "Council Story 1", 1, &story);
    let paywall = page("{site}", "/news/1", "Council Story 1", 1, &story[..1]).replace(
        "</article>",
        "<div class=\"paywall\"><p>Subscribe to continue reading. Already a subscriber? Log in.</p></div></article>",
    );
    let project = gazette_project(&site);
    for (at, served) in [("01", &whole), ("02", &paywall)] {
        site.put("/news/1", "text/html; charset=utf-8", served);
        put_one_page_sitemap(&site, &format!("2026-11-{at}T08:00:00Z"));
        run(&project);
    }
    let before = feed_files(&project);
    site.put("/news/1", "text/html; charset=utf-8", &whole);
    put_one_page_sitemap(&site, "2026-11-03T08:00:00Z");
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 3, "{stdout}\n{stderr}");
    assert!(!stdout.contains("updated"), "{stdout}\n{stderr}");
    assert_eq!(feed_files(&project), before, "{stdout}");
    let (stdout, _) = run(&project);
    assert!(stdout.contains("1 already known"), "{stdout}");
}

#[test]
fn a_page_reread_whose_only_change_is_its_updated_line_changes_no_feed() {
    let site = Site::start();
    let put = |at: &str| {
        site.put(
            "/sitemap.xml",
            "application/xml",
            &format!(
                r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                   <url><loc>{{site}}/news/1</loc><lastmod>2026-11-01T{at}Z</lastmod></url></urlset>"#
            ),
        );
        let dated = page(
            "{site}",
            "/news/1",
            "Council Story 1",
            1,
            &own_paragraphs(1),
        )
        .replace(
            "<h1>Council Story 1</h1>",
            &format!(
                "<h1>Council Story 1</h1><p class=\"updated\">Updated {at} GMT</p>\
                 <meta property=\"article:modified_time\" content=\"2026-11-01T{at}Z\">"
            ),
        );
        site.put("/news/1", "text/html; charset=utf-8", &dated);
    };
    put("09:00:01");
    let project = gazette_project(&site);
    run(&project);
    let items = feed_items(&project);
    assert!(
        content(&items[0]).starts_with("<p>Councillors voted"),
        "the dateline is no paragraph: {items:#?}"
    );
    let before = feed_files(&project);
    put("09:05:42");
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2, "{stdout}\n{stderr}");
    assert!(!stdout.contains("updated"), "{stdout}");
    assert_eq!(feed_files(&project), before, "{stdout}");
}

#[test]
fn a_sitemap_page_whose_story_developed_is_updated_in_place() {
    let site = Site::start();
    put_one_page_sitemap(&site, "2026-11-01T06:00:00Z");
    put_pages(&site, 1, "");
    let project = gazette_project(&site);
    run(&project);
    // The story develops: a new headline and lead, the opening paragraph
    // gone, the other two kept.
    let mut paragraphs = own_paragraphs(1);
    paragraphs[0] = "The first winter ferry sailed at dawn on Monday with ninety islanders aboard, weeks after councillors voted to extend the timetable.".into();
    paragraphs.insert(1, "Passengers cheered as the boat left the slipway, and the skipper sounded the horn twice for the islanders who had signed the petition.".into());
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &page(
            "{site}",
            "/news/1",
            "First Winter Ferry Sails at Dawn",
            1,
            &paragraphs,
        ),
    );
    put_one_page_sitemap(&site, "2026-11-02T16:00:00Z");
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2, "{stdout}\n{stderr}");
    assert!(stdout.contains("1 updated"), "{stdout}\n{stderr}");
    let items = feed_items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["title"], "First Winter Ferry Sails at Dawn");
    assert!(content(&items[0]).contains("sailed at dawn"), "{items:#?}");
}

#[test]
fn a_failed_sitemap_page_is_logged_with_its_query_values_hidden() {
    let site = Site::start();
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
           <url><loc>{site}/gone.html?sig=topsecret123</loc></url></urlset>"#,
    );
    let project = gazette_project(&site);
    let (_, stderr) = text(&project.feedfold(&["run"]));
    assert!(stderr.contains("/gone.html?sig=***: HTTP 404"), "{stderr}");
    assert!(!stderr.contains("topsecret123"), "{stderr}");
}

#[test]
fn a_sitemap_page_that_fails_for_good_is_named_and_not_asked_again() {
    let site = Site::start();
    // Another origin on a loopback address: a sitemap may not send
    // feedfold there.
    let inside = Site::start();
    inside.put(
        "/admin",
        "text/html",
        "<html><body><p>secret</p></body></html>",
    );
    site.put(
        "/sitemap.xml",
        "application/xml",
        &format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{{site}}/news/1</loc></url><url><loc>{{site}}/gone</loc></url>
  <url><loc>{{site}}/empty</loc></url><url><loc>{}</loc></url></urlset>"#,
            inside.url("/admin")
        ),
    );
    site.put(
        "/news/1",
        "text/html",
        &page(
            "{site}",
            "/news/1",
            "Council Story 1",
            1,
            &own_paragraphs(1),
        ),
    );
    site.put(
        "/empty",
        "text/html",
        "<!DOCTYPE html><html><body><nav>Home</nav></body></html>",
    );
    let project = gazette_project(&site);
    let (_, stderr) = run(&project);
    assert!(
        stderr.contains(&format!("{}: HTTP 404", site.url("/gone"))),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}: no article text found in the page",
            site.url("/empty")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{}: at 127.0.0.1", inside.url("/admin")))
            && stderr.contains("refused"),
        "{stderr}"
    );
    assert_eq!(titles(&project), ["Council Story 1"]);
    run(&project);
    assert_eq!((site.hits("/gone"), site.hits("/empty")), (1, 1));
    assert_eq!(
        inside.hits("/admin"),
        0,
        "nothing requested outside the origin"
    );
}

#[test]
fn a_news_sitemap_titles_a_page_without_a_headline_and_names_a_date_it_refuses() {
    let site = Site::start();
    let news = |path: &str, date: &str, title: &str| {
        format!(
            "<url><loc>{{site}}{path}</loc><news:news><news:publication_date>{date}</news:publication_date>\
             <news:title>{title}</news:title></news:news></url>"
        )
    };
    site.put(
        "/sitemap.xml",
        "application/xml",
        &format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{}{}{}</urlset>"#,
            news("/untitled", "2026-11-03T08:00:00Z", "Winter Market Returns to Quay Square"),
            news("/news/1", "2026-11", "Not the page's own headline"),
            news("/news/2", "2026-11-04T25:61:00Z", "Library Opens"),
        ),
    );
    let paragraphs: String = own_paragraphs(5)
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    site.put(
        "/untitled",
        "text/html",
        &format!("<!DOCTYPE html><html><body><article>{paragraphs}</article></body></html>"),
    );
    // Pages that give no date of their own take the sitemap's.
    let undated = |path: &str, title: &str, n: usize| {
        page("{site}", path, title, 1, &own_paragraphs(n)).replace(
            "<meta property=\"article:published_time\" content=\"2026-11-01T08:00:00Z\">",
            "",
        )
    };
    site.put(
        "/news/1",
        "text/html",
        &undated("/news/1", "Council Story 1", 1),
    );
    site.put(
        "/news/2",
        "text/html",
        &undated("/news/2", "Library Story 2", 2),
    );
    let project = gazette_project(&site);
    let (_, stderr) = run(&project);
    let items = feed_items(&project);
    let untitled = item_titled(&items, "Winter Market Returns to Quay Square");
    assert!(content(untitled).contains("sixty stalls"), "{untitled}");
    let own = item_titled(&items, "Council Story 1");
    assert_eq!(
        own["date_published"], "2026-11-01T00:00:00Z",
        "a year and month"
    );
    let refused = item_titled(&items, "Library Story 2");
    assert_ne!(
        refused["date_published"], "2026-11-04T00:00:00Z",
        "an impossible time is no midnight"
    );
    assert!(
        stderr.contains(&format!(
            "{}: <news:publication_date> 2026-11-04T25:61:00Z is no date",
            site.url("/news/2")
        )),
        "{stderr}"
    );
}

#[test]
fn a_page_titled_only_with_the_site_name_its_news_sitemap_gives_takes_the_sitemaps_headline() {
    let site = Site::start();
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>{site}/story/market</loc><news:news><news:publication><news:name>The Quayside Courier</news:name><news:language>en</news:language></news:publication><news:publication_date>2026-11-03T08:00:00Z</news:publication_date><news:title>Winter Market Returns to Quay Square</news:title></news:news></url></urlset>"#,
    );
    let paragraphs: String = own_paragraphs(5)
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    // Rendered by script: the page shows the site's name and the text,
    // and names its site nowhere else.
    site.put(
        "/story/market",
        "text/html",
        &format!(
            "<!DOCTYPE html><html><head><title>The Quayside Courier</title></head><body>\
             <div class=\"masthead\">The Quayside Courier</div><div class=\"story\">{paragraphs}</div></body></html>"
        ),
    );
    let project = gazette_project(&site);
    run(&project);
    let items = feed_items(&project);
    let titles: Vec<&str> = items.iter().filter_map(|i| i["title"].as_str()).collect();
    assert_eq!(titles, ["Winter Market Returns to Quay Square"]);
    assert!(content(&items[0]).contains("sixty stalls"), "{}", items[0]);
}

/// A page at `path` of the site whose canonical link is `canonical`, with
/// the paragraphs of story `n`.
fn page_linking(path: &str, canonical: &str, n: usize) -> String {
    page(
        "{site}",
        path,
        &format!("Council Story {n}"),
        n as u32,
        &own_paragraphs(n),
    )
    .replace(&format!("{{site}}{path}\""), &format!("{canonical}\""))
}

#[test]
fn sitemap_pages_that_give_the_home_page_or_one_section_as_their_link_stay_apart() {
    let site = Site::start();
    let mut urls = String::new();
    for n in 1..=4 {
        let canonical = if n <= 2 { "{site}/" } else { "{site}/news/" };
        let path = format!("/story/{n}");
        site.put(&path, "text/html", &page_linking(&path, canonical, n));
        urls.push_str(&format!("<url><loc>{{site}}{path}</loc></url>"));
    }
    site.put(
        "/sitemap.xml",
        "application/xml",
        &format!(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>"#),
    );
    let project = gazette_project(&site);
    let (stdout, stderr) = run(&project);
    assert!(stdout.contains("4 new"), "{stdout}");
    let items = feed_items(&project);
    for n in 1..=4 {
        let item = item_titled(&items, &format!("Council Story {n}"));
        assert_eq!(item["url"], site.url(&format!("/story/{n}")), "{stderr}");
    }
    assert!(
        stderr.contains(&format!("give the same link {}", site.url("/news/"))),
        "{stderr}"
    );
}

#[test]
fn a_sitemap_page_giving_a_stored_storys_section_as_its_link_later_takes_its_own_url() {
    let site = Site::start();
    let sitemap = |count: usize| {
        let urls: String = (1..=count)
            .map(|n| format!("<url><loc>{{site}}/story/{n}</loc></url>"))
            .collect();
        format!(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>"#)
    };
    // Two stories under headlines of their own.
    for (n, title) in [
        (1, "Ferry Timetable Extended"),
        (2, "Mill Street Library Opens"),
    ] {
        let path = format!("/story/{n}");
        let html =
            page_linking(&path, "{site}/news/", n).replace(&format!("Council Story {n}"), title);
        site.put(&path, "text/html", &html);
    }
    site.put("/sitemap.xml", "application/xml", &sitemap(1));
    let project = gazette_project(&site);
    run(&project);
    // The next story appears in a later cycle.
    site.put("/sitemap.xml", "application/xml", &sitemap(2));
    let (stdout, stderr) = run(&project);
    assert!(stdout.contains("1 new"), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!(
            "not folded by it; its own URL {} is its link",
            site.url("/story/2")
        )),
        "{stderr}"
    );
    let items = feed_items(&project);
    let second = item_titled(&items, "Mill Street Library Opens");
    assert_eq!(second["url"], site.url("/story/2"), "{items:#?}");
}

#[test]
fn pages_of_two_stories_giving_one_section_as_their_link_stay_apart_in_any_run() {
    let head = config_head(SQLITE);
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"scraped\"\npages = \"scraped/*.html\"\n"
    ));
    std::fs::create_dir_all(project.path("scraped")).unwrap();
    // The template gives every page the section as its canonical link.
    let put = |n: usize, title: &str| {
        let html = page(
            "https://gazette.example",
            "/news/",
            title,
            n as u32,
            &own_paragraphs(n),
        );
        project.write(&format!("scraped/{n}.html"), &html);
    };
    // Two stories read in one run, a third in the next.
    put(1, "Ferry Timetable Extended Into Winter");
    put(2, "Mill Street Library Opens Its Doors");
    let (stdout, stderr) = run(&project);
    assert!(stdout.contains("2 new"), "{stdout}\n{stderr}");
    put(3, "River Walk Closed Below the Weir");
    let (stdout, stderr) = run(&project);
    assert!(stdout.contains("1 new"), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("another story's too (a section page): not folded by it"),
        "{stderr}"
    );
    let items = feed_items(&project);
    assert_eq!(items.len(), 3, "{items:#?}");
    common::assert_nothing_folded(&project);
}

#[test]
fn sitemap_pages_refused_by_policy_or_reset_are_fetched_afresh() {
    let head = config_head(SQLITE);
    let site = Site::start();
    // Another port of 127.0.0.1: refused until `allow_private = true`.
    let intranet = Site::start();
    intranet.put(
        "/news/2",
        "text/html",
        &page(
            "{site}",
            "/news/2",
            "Council Story 2",
            2,
            &own_paragraphs(2),
        ),
    );
    site.put(
        "/sitemap.xml",
        "application/xml",
        &format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{{site}}/news/1</loc></url><url><loc>{}</loc></url></urlset>"#,
            intranet.url("/news/2")
        ),
    );
    let source = format!(
        "\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
        site.url("/sitemap.xml")
    );
    let project = Project::new(&format!("{head}{source}"));
    let quiet = project.feedfold(&["run", "-q"]);
    let (_, stderr) = text(&quiet);
    assert!(quiet.status.success(), "{stderr}");
    assert!(
        stderr.contains("refused ([fetch] allow_private = true allows it)"),
        "the operator's to fix: said under -q too: {stderr}"
    );
    assert!(titles(&project).is_empty());
    assert_eq!(site.hits("/news/1"), 1, "missing: not asked for again");

    project.write(
        "config.toml",
        &format!("{head}\n[fetch]\nallow_private = true\n{source}"),
    );
    run(&project);
    assert_eq!(titles(&project), ["Council Story 2"]);
    assert_eq!(site.hits("/news/1"), 1);

    // The missing page appears; a reset has it asked for again.
    put_pages(&site, 1, "");
    let output = project.feedfold(&["sources", "reset", "gazette"]);
    assert!(output.status.success(), "{:?}", text(&output));
    run(&project);
    assert_eq!(titles(&project), ["Council Story 1", "Council Story 2"]);
    assert_eq!(
        intranet.hits("/news/2"),
        2,
        "fetched afresh, folded as a repeat"
    );
}

#[test]
fn sitemap_pages_that_keep_failing_hold_back_no_others() {
    let head = config_head(SQLITE);
    let site = Site::start();
    // The three newest pages are down; the two older ones are fine.
    put_pages(&site, 5, "");
    for n in 3..=5 {
        site.fail(&format!("/news/{n}"), 503);
    }
    let urls: String = (1..=5)
        .map(|n| {
            format!("<url><loc>{{site}}/news/{n}</loc><lastmod>2026-11-{n:02}</lastmod></url>")
        })
        .collect();
    site.put(
        "/sitemap.xml",
        "application/xml",
        &format!(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>"#),
    );
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\nmax_pages = 3\n",
        site.url("/sitemap.xml")
    ));
    run(&project);
    assert!(titles(&project).is_empty());
    let (_, stderr) = run(&project);
    assert_eq!(
        titles(&project),
        ["Council Story 1", "Council Story 2"],
        "the pages not tried yet come first: {stderr}"
    );
    assert_eq!(
        site.hits("/news/5"),
        2,
        "then the failed ones, newest first"
    );
    assert_eq!(site.hits("/news/4"), 1);
    for n in 3..=5 {
        site.recover(&format!("/news/{n}"));
    }
    run(&project);
    assert_eq!(
        titles(&project).len(),
        5,
        "the failed pages are tried again"
    );
}

#[test]
fn an_unchanged_sitemap_is_asked_for_conditionally_once_its_pages_are_read() {
    let head = config_head(SQLITE);
    let site = Site::start();
    site.tag_documents();
    put_pages(&site, 3, "");
    let urls: String = (1..=3)
        .map(|n| format!("<url><loc>{{site}}/news/{n}</loc></url>"))
        .collect();
    site.put(
        "/sitemap.xml",
        "application/xml",
        &format!(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>"#),
    );
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\nmax_pages = 2\n",
        site.url("/sitemap.xml")
    ));
    run(&project);
    let (stdout, _) = run(&project);
    assert_eq!(
        site.conditional_hits("/sitemap.xml"),
        0,
        "a page was left for the next cycle: {stdout}"
    );
    assert_eq!(titles(&project).len(), 3);
    let (stdout, _) = run(&project);
    assert_eq!(site.conditional_hits("/sitemap.xml"), 1);
    assert!(stdout.contains("not modified"), "{stdout}");
    assert_eq!(site.hits_under("/news/"), 3);
}

#[test]
fn the_sitemaps_of_an_index_are_asked_for_conditionally_once_their_pages_are_read() {
    index_sitemaps_conditional(SQLITE);
}

#[test]
fn on_postgresql_the_sitemaps_of_an_index_are_asked_for_conditionally() {
    on_postgresql("pages_index_validators", index_sitemaps_conditional);
}

/// An index of two sitemaps, their pages read three a cycle: each sitemap
/// is asked for with `If-None-Match` once every page it lists was read (a
/// `304` then lists nothing new), and whole while one waits or once it
/// changed; one the index stops listing is forgotten, and `sources reset`
/// forgets them all.
fn index_sitemaps_conditional(store: &str) {
    let site = Site::start();
    site.tag_documents();
    put_pages(&site, 5, "");
    let index = |sitemaps: &[u32]| {
        let listed: String = sitemaps
            .iter()
            .map(|n| format!("<sitemap><loc>{{site}}/sitemap-{n}.xml</loc></sitemap>"))
            .collect();
        format!(
            r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{listed}</sitemapindex>"#
        )
    };
    let sitemap = |pages: &[u32]| {
        let urls: String = pages
            .iter()
            .map(|n| format!("<url><loc>{{site}}/news/{n}</loc></url>"))
            .collect();
        format!(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>"#)
    };
    site.put("/sitemap-index.xml", "application/xml", &index(&[1, 2]));
    site.put("/sitemap-1.xml", "application/xml", &sitemap(&[1, 2]));
    site.put("/sitemap-2.xml", "application/xml", &sitemap(&[3, 4]));
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\nmax_pages = 3\n",
        config_head(store),
        site.url("/sitemap-index.xml")
    ));
    run(&project);
    assert_eq!(titles(&project).len(), 3);
    // The second sitemap's last page waited: it is fetched whole again.
    let (stdout, stderr) = rerun(&project, store);
    assert_eq!(
        (
            site.conditional_hits("/sitemap-1.xml"),
            site.conditional_hits("/sitemap-2.xml")
        ),
        (1, 0),
        "{stdout}\n{stderr}"
    );
    assert_eq!(titles(&project).len(), 4);
    // The line for the source says what was read (the second sitemap's
    // page read before among it, known), and how many sitemaps were not
    // modified.
    assert!(
        stdout.contains(
            "source gazette: 2 entries read, 1 new, 1 already known, \
             1 sitemap not modified since the last fetch\n"
        ),
        "{stdout}"
    );
    let (stdout, _) = rerun(&project, store);
    assert_eq!(
        (
            site.conditional_hits("/sitemap-1.xml"),
            site.conditional_hits("/sitemap-2.xml")
        ),
        (2, 1)
    );
    // Every sitemap answered `304`: the source was not modified, as a
    // sitemap given directly that answers `304` is, and `sources` says so.
    assert!(
        stdout.contains("source gazette: not modified since the last fetch\n"),
        "{stdout}"
    );
    let sources = project.feedfold(&["sources"]);
    let (shown, _) = text(&sources);
    assert!(shown.contains("last result:  not modified"), "{shown}");
    assert_eq!(site.hits_under("/news/"), 4, "no page fetched twice");
    assert_eq!(
        site.conditional_hits("/sitemap-index.xml"),
        0,
        "an index is always read whole"
    );
    // A sitemap that changed answers whole (its ETag moved on) and its new
    // page is read.
    site.put("/sitemap-2.xml", "application/xml", &sitemap(&[3, 4, 5]));
    rerun(&project, store);
    assert_eq!(titles(&project).len(), 5);
    assert_eq!(site.hits("/sitemap-2.xml"), 4);
    // A sitemap the index no longer lists is forgotten: listed again, it
    // is read whole.
    site.put("/sitemap-index.xml", "application/xml", &index(&[2]));
    rerun(&project, store);
    site.put("/sitemap-index.xml", "application/xml", &index(&[1, 2]));
    let (first, second) = (
        site.conditional_hits("/sitemap-1.xml"),
        site.conditional_hits("/sitemap-2.xml"),
    );
    rerun(&project, store);
    assert_eq!(
        (
            site.conditional_hits("/sitemap-1.xml"),
            site.conditional_hits("/sitemap-2.xml")
        ),
        (first, second + 1)
    );
    // `sources reset` forgets every sitemap's validators.
    let reset = project.feedfold(&["sources", "reset", "gazette"]);
    assert!(reset.status.success(), "{:?}", text(&reset));
    let before = (
        site.conditional_hits("/sitemap-1.xml"),
        site.conditional_hits("/sitemap-2.xml"),
    );
    rerun(&project, store);
    assert_eq!(
        (
            site.conditional_hits("/sitemap-1.xml"),
            site.conditional_hits("/sitemap-2.xml")
        ),
        before
    );
}

#[test]
fn a_sitemap_with_raw_ampersands_in_its_urls_is_read_to_its_end() {
    let site = Site::start();
    put_pages(&site, 3, "");
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{site}/news/1?utm_source=map&utm_medium=seo</loc></url>
  <url><loc>{site}/news/2</loc></url>
  <url><loc>{site}/news/3?a=1&b=2</loc></url></urlset>"#,
    );
    let project = gazette_project(&site);
    let (stdout, stderr) = run(&project);
    assert_eq!(titles(&project).len(), 3, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("ampersands that start no reference"),
        "{stderr}"
    );
    assert!(!stderr.contains("breaks off"), "{stderr}");
}

#[test]
fn a_sitemap_cut_short_is_asked_for_whole_the_next_cycle() {
    let site = Site::start();
    site.tag_documents();
    put_pages(&site, 3, "");
    let whole: String = (1..=3)
        .map(|n| format!("<url><loc>{{site}}/news/{n}</loc></url>"))
        .collect();
    let whole =
        format!(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{whole}</urlset>"#);
    let cut = &whole[..whole.find("{site}/news/3").unwrap()];
    site.put("/sitemap.xml", "application/xml", cut);
    let project = gazette_project(&site);
    let (_, stderr) = run(&project);
    assert!(stderr.contains("breaks off"), "{stderr}");
    assert_eq!(titles(&project).len(), 2);
    site.put("/sitemap.xml", "application/xml", &whole);
    let (stdout, stderr) = run(&project);
    assert_eq!(
        site.conditional_hits("/sitemap.xml"),
        0,
        "the validators of a document cut short are not kept: {stdout}\n{stderr}"
    );
    assert_eq!(titles(&project).len(), 3);
}

#[test]
fn a_sitemap_of_an_index_whose_transfer_was_cut_short_is_read_as_far_as_it_goes() {
    let site = Site::start();
    put_pages(&site, 3, "");
    site.put(
        "/sitemap-index.xml",
        "application/xml",
        r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{site}/sitemap-1.xml</loc></sitemap>
  <sitemap><loc>{site}/sitemap-2.xml</loc></sitemap>
</sitemapindex>"#,
    );
    site.put(
        "/sitemap-1.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site}/news/1</loc></url></urlset>"#,
    );
    let second = site.filled_in(
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site}/news/2</loc></url><url><loc>{site}/news/3</loc></url></urlset>"#,
    );
    site.put("/sitemap-2.xml", "application/xml", &second);
    // The connection drops after the first entry of the second sitemap.
    site.cut_transfer(
        "/sitemap-2.xml",
        second.find("</url>").unwrap() + "</url>".len(),
    );
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
        config_head(SQLITE),
        site.url("/sitemap-index.xml")
    ));
    let (_, stderr) = run(&project);
    let mut titles = titles(&project);
    titles.sort();
    assert_eq!(titles, ["Council Story 1", "Council Story 2"], "{stderr}");
    assert!(
        stderr.lines().any(
            |line| line.contains("/sitemap-2.xml: the transfer was cut short")
                && line.contains("read as far as it goes")
                && line.contains("source=gazette")
        ),
        "{stderr}"
    );
}

#[test]
fn a_sitemap_cut_short_before_its_first_whole_entry_fails_its_source() {
    let site = Site::start();
    put_pages(&site, 2, "");
    let whole = site.filled_in(
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site}/news/1</loc></url><url><loc>{site}/news/2</loc></url></urlset>"#,
    );
    site.put("/sitemap.xml", "application/xml", &whole);
    // The connection drops inside the first entry; a saved copy ends there.
    let inside_first = whole.find("/news/1").unwrap();
    site.cut_transfer("/sitemap.xml", inside_first);
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"fetched\"\nsitemap = \"{}\"\n\n[[source]]\nname = \"saved\"\nsitemap = \"saved-sitemap.xml\"\n",
        config_head(SQLITE),
        site.url("/sitemap.xml")
    ));
    project.write("saved-sitemap.xml", &whole[..inside_first]);
    let output = project.feedfold(&["run", "-q"]);
    let (stdout, stderr) = text(&output);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    for (source, cause) in [
        ("fetched", "the transfer was cut short"),
        ("saved", "saved-sitemap.xml: the sitemap breaks off"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|line| line.contains(&format!("source {source}: failed"))
                    && line.contains(cause)
                    && line.contains("inside <url>, before its first whole entry")),
            "{stderr}"
        );
    }
    let sources = project.feedfold(&["sources", "--json"]);
    let (listed, _) = text(&sources);
    for line in listed.lines() {
        let source: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_ne!(source["last_result"], "ok", "{source}");
    }
    assert!(titles(&project).is_empty());
}

/// The site's home page: teasers of other stories, its canonical link
/// itself.
fn home_page() -> String {
    let teasers: String = (2..=4)
        .map(|n| {
            format!(
                "<article class=\"teaser\"><h3><a href=\"/news/{n}\">Council Story {n}</a></h3><p>{}</p></article>",
                own_paragraphs(n)[0]
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html><head><title>Calder Gazette - News from the valley</title>\
         <link rel=\"canonical\" href=\"{{site}}/\"></head><body><header><h1>Calder Gazette</h1></header>\
         <main><section><h2>Top stories</h2>{teasers}</section></main></body></html>"
    )
}

#[test]
fn a_page_that_redirects_to_the_home_page_or_its_section_gives_no_article() {
    let site = Site::start();
    site.put("/", "text/html", &home_page());
    site.put("/news/", "text/html", &home_page());
    put_pages(&site, 1, "");
    site.redirect("/news/taken-down", "/");
    site.redirect("/news/moved-to-section", &site.url("/news/"));
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{site}/news/1</loc></url><url><loc>{site}/news/taken-down</loc></url>
  <url><loc>{site}/news/moved-to-section</loc></url></urlset>"#,
    );
    let project = gazette_project(&site);
    let (_, stderr) = run(&project);
    assert_eq!(titles(&project), ["Council Story 1"], "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: redirected to {}, the site's home page: no article",
            site.url("/news/taken-down"),
            site.url("/")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("a section page above it: no article"),
        "{stderr}"
    );
    run(&project);
    assert_eq!(site.hits("/news/taken-down"), 1, "not asked for again");
}

#[test]
fn a_page_redirected_to_the_home_page_or_its_section_only_for_now_is_fetched_again() {
    let site = Site::start();
    site.put("/", "text/html", &home_page());
    site.put("/news/", "text/html", &home_page());
    put_pages(&site, 2, "");
    let market = "/news/winter-market";
    site.put(
        market,
        "text/html",
        &page("{site}", market, "Council Story 5", 5, &own_paragraphs(5)),
    );
    // Maintenance, a consent or a rate-limit bounce: temporary redirects.
    site.redirect_with("/news/2", 307, "/");
    site.redirect_with(market, 302, &site.url("/news/"));
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{site}/news/1</loc><lastmod>2026-11-01</lastmod></url>
  <url><loc>{site}/news/2</loc><lastmod>2026-11-02</lastmod></url>
  <url><loc>{site}/news/winter-market</loc><lastmod>2026-11-05</lastmod></url></urlset>"#,
    );
    let project = gazette_project(&site);
    let (_, stderr) = run(&project);
    assert_eq!(titles(&project), ["Council Story 1"], "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: temporarily redirected to {}, the site's home page: no article; tried again",
            site.url("/news/2"),
            site.url("/")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}: temporarily redirected to {}, a section page above it",
            site.url(market),
            site.url("/news/")
        )),
        "{stderr}"
    );
    site.recover("/news/2");
    site.recover(market);
    let (_, stderr) = run(&project);
    assert_eq!(
        titles(&project),
        ["Council Story 1", "Council Story 2", "Council Story 5"],
        "{stderr}"
    );
    assert_eq!(site.hits("/news/2"), 2, "{stderr}");
    assert_eq!(site.hits(market), 2, "{stderr}");
    assert_eq!(
        item_titled(&feed_items(&project), "Council Story 2")["url"],
        site.url("/news/2")
    );
}

#[test]
fn a_consent_bounce_is_fetched_again_and_a_not_found_page_is_no_story() {
    let site = Site::start();
    put_pages(&site, 2, "");
    site.put(
        "/consent",
        "text/html",
        "<html><head><title>Before you continue</title></head><body>\
         <div class=\"consent-page\" id=\"cookie-consent\"><h1>Before you continue to our site</h1>\
         <p>We use cookies and data to deliver and maintain our services, such as tracking outages and protecting against spam and abuse.</p>\
         <p>If you choose to accept all, we will also use cookies and data to develop and improve new services and to measure the effectiveness of ads.</p>\
         <form><button>Reject all</button><button>Accept all</button></form></div></body></html>",
    );
    site.put(
        "/news/pulled",
        "text/html",
        "<html><head><title>Page not found - Gazette</title></head><body><main>\
         <h1>Sorry, we couldn't find that page</h1><p>The page you were looking for may have \
         been moved, deleted or may never have existed. Try searching our site.</p></main></body></html>",
    );
    // A consent bounce: a temporary redirect to a page with no article.
    site.redirect_with("/news/2", 302, "/consent?next=/news/2");
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{site}/news/1</loc><lastmod>2026-11-01</lastmod></url>
  <url><loc>{site}/news/2</loc><lastmod>2026-11-02</lastmod></url>
  <url><loc>{site}/news/pulled</loc><lastmod>2026-11-03</lastmod></url></urlset>"#,
    );
    let project = gazette_project(&site);
    let (_, stderr) = run(&project);
    assert_eq!(titles(&project), ["Council Story 1"], "{stderr}");
    assert!(
        stderr.contains("which holds no article"),
        "the bounce is named: {stderr}"
    );
    assert!(
        stderr.contains("a \"page not found\" page, answered as if found: no article"),
        "{stderr}"
    );
    site.recover("/news/2");
    let (_, stderr) = run(&project);
    assert_eq!(
        titles(&project),
        ["Council Story 1", "Council Story 2"],
        "{stderr}"
    );
    assert_eq!(site.hits("/news/2"), 2, "{stderr}");
}

#[test]
fn an_amp_or_numbered_page_giving_a_section_above_as_its_link_keeps_its_own_url() {
    let site = Site::start();
    site.put("/news/", "text/html", &home_page());
    let pages = [
        ("/news/bridge/amp", "{site}/news/", 1),
        ("/sport/derby/2", "{site}/sport/", 2),
        ("/news/market/index.html", "{site}/", 3),
        // The page without its form segment: the story's own page.
        ("/news/library/amp", "{site}/news/library", 4),
    ];
    let mut urls = String::new();
    for (path, canonical, n) in pages {
        site.put(path, "text/html", &page_linking(path, canonical, n));
        urls.push_str(&format!("<url><loc>{{site}}{path}</loc></url>"));
    }
    // Taken down: the AMP page of a story now leads to its section.
    site.redirect("/news/gone/amp", "/news/");
    urls.push_str("<url><loc>{site}/news/gone/amp</loc></url>");
    site.put(
        "/sitemap.xml",
        "application/xml",
        &format!(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>"#),
    );
    let project = gazette_project(&site);
    let (_, stderr) = run(&project);
    let items = feed_items(&project);
    assert_eq!(items.len(), 4, "{stderr}\n{items:#?}");
    for (path, link, n) in [
        ("/news/bridge/amp", "/news/bridge/amp", 1),
        ("/sport/derby/2", "/sport/derby/2", 2),
        ("/news/market/index.html", "/news/market/index.html", 3),
        ("/news/library/amp", "/news/library", 4),
    ] {
        let item = item_titled(&items, &format!("Council Story {n}"));
        assert_eq!(item["url"], site.url(link), "{path}: {stderr}");
    }
    assert!(
        stderr.contains(&format!(
            "{}: redirected to {}, a section page above it: no article",
            site.url("/news/gone/amp"),
            site.url("/news/")
        )),
        "{stderr}"
    );
}

#[test]
fn a_listed_page_that_now_redirects_to_another_story_leaves_its_story_as_it_was() {
    let site = Site::start();
    put_pages(&site, 2, "");
    let sitemap = |lastmod: &str| {
        format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{{site}}/news/1</loc><lastmod>{lastmod}</lastmod></url>
  <url><loc>{{site}}/news/2</loc><lastmod>2026-11-01T06:00:00Z</lastmod></url></urlset>"#
        )
    };
    site.put(
        "/sitemap.xml",
        "application/xml",
        &sitemap("2026-11-01T06:00:00Z"),
    );
    let project = gazette_project(&site);
    run(&project);
    let before = feed_items(&project);
    // The site merges story 1 into story 2: its URL now leads there.
    site.redirect("/news/1", &site.url("/news/2"));
    site.put(
        "/sitemap.xml",
        "application/xml",
        &sitemap("2026-11-02T06:00:00Z"),
    );
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2, "{stdout}\n{stderr}");
    assert!(!stdout.contains("1 updated"), "{stdout}");
    let mut titles = titles(&project);
    titles.sort();
    assert_eq!(titles, ["Council Story 1", "Council Story 2"], "{stderr}");
    assert_eq!(feed_items(&project), before, "{stdout}");
}

#[test]
fn full_text_an_entry_whose_page_redirects_to_the_home_page_keeps_its_teaser() {
    let site = Site::start();
    site.put("/", "text/html", &home_page());
    put_pages(&site, 1, "");
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(1, "{site}/news/taken-down", false),
    );
    site.redirect("/news/taken-down", "/");
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    let items = feed_items(&project);
    let taken_down = content(item_titled(&items, "Unreachable Story"));
    assert!(
        taken_down.contains("Only the teaser") && !taken_down.contains("story number 2"),
        "{stderr}\n{items:#?}"
    );
    assert!(
        stderr.contains("the site's home page: no article; the entry keeps its teaser"),
        "{stderr}"
    );
}

/// An RSS feed of teasers for pages 1..=entries of the site, and one entry
/// whose page cannot be reached.
fn teaser_feed(entries: usize, unreachable: &str, updated_first: bool) -> String {
    let mut items = String::new();
    for n in 1..=entries {
        let date = if n == 1 && updated_first { 20 } else { n };
        items.push_str(&format!(
            "<item><title>Council Story {n}</title><link>{{site}}/news/{n}</link><guid>{{site}}/news/{n}</guid>\
             <pubDate>{date:02} Nov 2026 08:00:00 GMT</pubDate><description>Teaser {n}: councillors met on Monday.</description></item>\n"
        ));
    }
    items.push_str(&format!(
        "<item><title>Unreachable Story</title><link>{unreachable}</link><guid>unreachable</guid>\
         <pubDate>09 Nov 2026 08:00:00 GMT</pubDate><description>Only the teaser of the unreachable story.</description></item>\n"
    ));
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gazette</title><link>{{site}}/</link><description>Teasers</description>\n{items}</channel></rss>"
    )
}

#[test]
fn full_text_replaces_teasers_two_pages_at_a_time_and_once_per_entry() {
    let head = config_head(SQLITE);
    let site = Site::start();
    put_pages(&site, 6, " | Gazette");
    // Nothing listens on port 9 of 127.0.0.1 (discard is not served).
    let unreachable = "http://127.0.0.1:9/news/unreachable";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(6, unreachable, false),
    );
    // Loopback addresses outside the feed's own origin are let through, so
    // that the page on port 9 is unreachable rather than refused.
    let project = Project::new(&format!(
        "{head}\n[fetch]\nallow_private = true\n\n[[source]]\nname = \"gazette\"\nfeed = \"{}\"\nfull_text = true\n",
        site.url("/rss.xml")
    ));
    let (_, stderr) = run(&project);
    assert!(
        stderr.contains(&format!("{unreachable}: could not connect"))
            && stderr.contains("keeps its teaser"),
        "{stderr}"
    );
    let items = feed_items(&project);
    assert_eq!(items.len(), 7);
    for n in 1..=6 {
        let item = item_titled(&items, &format!("Council Story {n}"));
        let html = content(item);
        assert!(!html.contains("Teaser"), "{html}");
        assert_eq!(html.matches("<p>").count(), 3, "{html}");
        assert!(html.contains(&format!("story number {n},")), "{html}");
        assert_eq!(item["url"], site.url(&format!("/news/{n}")));
    }
    let kept = content(item_titled(&items, "Unreachable Story"));
    assert!(
        kept.contains("Only the teaser of the unreachable story."),
        "{kept}"
    );
    assert_eq!(site.hits_under("/news/"), 6);
    assert_eq!(
        site.most_at_once(),
        2,
        "two requests to the host at once, never more"
    );

    let before = feed_files(&project);
    let (stdout, _) = run(&project);
    assert!(
        stdout.contains("7 entries read, 0 new, 7 already known"),
        "entries whose pages were read before count as known: {stdout}"
    );
    assert_eq!(site.hits("/rss.xml"), 2);
    assert_eq!(site.hits_under("/news/"), 6, "no page fetched again");
    assert_eq!(
        feed_files(&project),
        before,
        "a rerun changes no published byte"
    );

    // An updated entry is completed again from its page, once.
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(6, unreachable, true),
    );
    run(&project);
    assert_eq!(site.hits("/news/1"), 2);
    assert_eq!(site.hits_under("/news/"), 7);
    let items = feed_items(&project);
    assert_eq!(items.len(), 7);
    let first = content(item_titled(&items, "Council Story 1"));
    assert!(first.contains("story number 1,"), "{first}");
}

#[test]
fn full_text_entries_that_share_a_link_keep_their_own_teasers() {
    let head = config_head(SQLITE);
    let site = Site::start();
    site.put(
        "/news/",
        "text/html",
        &page("{site}", "/news/", "Latest News", 1, &own_paragraphs(1)),
    );
    let items: String = (1..=3)
        .map(|n| {
            format!(
                "<item><title>Story {n}</title><link>{{site}}/news/</link><guid>story-{n}</guid>\
                 <description>Teaser {n}: the ferry timetable changed.</description></item>"
            )
        })
        .collect();
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gazette</title><link>{{site}}/</link>{items}</channel></rss>"),
    );
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"gazette\"\nfeed = \"{}\"\nfull_text = true\n",
        site.url("/rss.xml")
    ));
    run(&project);
    let items = feed_items(&project);
    assert_eq!(items.len(), 3, "{items:#?}");
    for n in 1..=3 {
        let html = content(item_titled(&items, &format!("Story {n}")));
        assert!(html.contains(&format!("Teaser {n}:")), "{html}");
    }
    assert_eq!(site.hits("/news/"), 0, "a shared link is no entry's page");
}

/// A project of one `full_text` source reading the feed `site` serves at
/// `/rss.xml`.
fn full_text_project(site: &Site) -> Project {
    Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nfeed = \"{}\"\nfull_text = true\n",
        config_head(SQLITE),
        site.url("/rss.xml")
    ))
}

/// A full-text feed of one teaser whose page `site` serves, run once.
fn one_full_text_story(site: &Site) -> Project {
    put_pages(site, 1, "");
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(1, "http://127.0.0.1:9/news/unreachable", false),
    );
    let project = full_text_project(site);
    run(&project);
    project
}

#[test]
fn full_text_an_updated_entry_whose_page_fails_keeps_the_text_read_before() {
    let site = Site::start();
    let project = one_full_text_story(&site);
    let full = |project: &Project| {
        content(item_titled(&feed_items(project), "Council Story 1")).contains("story number 1,")
    };
    assert!(full(&project));

    // The entry is updated upstream while its page is down for a moment.
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(1, "http://127.0.0.1:9/news/unreachable", true),
    );
    site.fail("/news/1", 503);
    let (_, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2);
    assert!(
        full(&project),
        "the stored text stays: {stderr}\n{:#?}",
        feed_items(&project)
    );
    assert!(
        stderr.contains("HTTP 503; the entry keeps the text read before; tried again next cycle"),
        "{stderr}"
    );

    site.recover("/news/1");
    run(&project);
    assert_eq!(site.hits("/news/1"), 3, "tried again next cycle");
    assert!(full(&project));
}

#[test]
fn full_text_an_updated_entry_asks_for_its_page_conditionally() {
    let site = Site::start();
    site.tag_documents();
    let project = one_full_text_story(&site);
    let full = |project: &Project| {
        content(item_titled(&feed_items(project), "Council Story 1")).contains("story number 1,")
    };
    assert!(full(&project));
    // The entry is updated upstream; its page is as it was.
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(1, "http://127.0.0.1:9/news/unreachable", true),
    );
    let (stdout, stderr) = run(&project);
    assert_eq!(
        (site.hits("/news/1"), site.conditional_hits("/news/1")),
        (2, 1),
        "{stdout}\n{stderr}"
    );
    assert!(full(&project), "the text read before stays");
    run(&project);
    assert_eq!(
        site.hits("/news/1"),
        2,
        "remembered at the entry's new version"
    );
}

#[test]
fn full_text_an_updated_entry_whose_page_is_now_a_paywall_teaser_keeps_the_full_text() {
    let site = Site::start();
    let project = one_full_text_story(&site);
    let html = |project: &Project| {
        content(item_titled(&feed_items(project), "Council Story 1")).to_string()
    };
    let stored = html(&project);
    assert!(stored.contains("story number 1,"), "{stored}");

    // The entry is updated upstream, and its page now shows only its first
    // paragraph and a box asking to subscribe.
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(1, "http://127.0.0.1:9/news/unreachable", true),
    );
    let first = own_paragraphs(1).remove(0);
    let subscribe =
        "Subscribe now for unlimited access to all our journalism, from one pound a week."
            .to_string();
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &page(
            "{site}",
            "/news/1",
            "Council Story 1",
            1,
            &[first, subscribe],
        ),
    );
    let (_, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2);
    assert_eq!(html(&project), stored, "{stderr}");
}

#[test]
fn full_text_an_updated_entry_fuller_than_its_paywalled_page_keeps_the_text_read_before() {
    let site = Site::start();
    let project = one_full_text_story(&site);
    let html = |project: &Project| {
        content(item_titled(&feed_items(project), "Council Story 1")).to_string()
    };
    let stored = html(&project);
    assert!(stored.contains("story number 1,"), "{stored}");

    // Updated upstream with two of the story's paragraphs as its summary,
    // while its page shows only the first and a box asking to subscribe.
    let story = own_paragraphs(1);
    let summary = format!("{} {}", story[0], story[1]);
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(1, "http://127.0.0.1:9/news/unreachable", true)
            .replace("Teaser 1: councillors met on Monday.", &summary),
    );
    let subscribe = "Subscribe now for unlimited access, from one pound a week.".to_string();
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &page(
            "{site}",
            "/news/1",
            "Council Story 1",
            1,
            &[story[0].clone(), subscribe],
        ),
    );
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2);
    assert_eq!(html(&project), stored, "{stdout}\n{stderr}");
}

#[test]
fn full_text_a_headline_corrected_without_a_new_date_reaches_the_feed() {
    let head = config_head(SQLITE);
    let site = Site::start();
    put_pages(&site, 1, "");
    let feed = teaser_feed(1, "http://127.0.0.1:9/news/unreachable", false);
    let typo = "<title>Councl Stroy 1</title>";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &feed.replace("<title>Council Story 1</title>", typo),
    );
    let project = Project::new(&format!(
        "{head}\n[[source]]\nname = \"gazette\"\nfeed = \"{}\"\nfull_text = true\n",
        site.url("/rss.xml")
    ));
    run(&project);
    assert!(
        content(item_titled(&feed_items(&project), "Councl Stroy 1")).contains("story number 1,")
    );
    // The same entry, the same date, its headline corrected.
    site.put("/rss.xml", "application/rss+xml", &feed);
    let (stdout, stderr) = run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    assert!(
        content(item).contains("story number 1,"),
        "{stdout}\n{stderr}"
    );
    assert!(!items.iter().any(|i| i["title"] == "Councl Stroy 1"));
    // Unchanged since: the page is not fetched again.
    run(&project);
    assert_eq!(site.hits("/news/1"), 2);
}

/// Whether the feed's story 1 holds the full text of its page.
fn story_one_in_full(project: &Project) -> bool {
    content(item_titled(&feed_items(project), "Council Story 1")).contains("story number 1,")
}

#[test]
fn full_text_a_page_failing_after_a_reset_leaves_the_full_text_read_before() {
    let site = Site::start();
    let project = one_full_text_story(&site);
    assert!(story_one_in_full(&project));
    let before = feed_files(&project);

    // Its pages forgotten, the source meets the site at a bad moment.
    let reset = project.feedfold(&["sources", "reset", "gazette"]);
    assert!(reset.status.success(), "{:?}", text(&reset));
    site.fail("/news/1", 500);
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2);
    assert!(stderr.contains("HTTP 500"), "{stderr}");
    assert!(story_one_in_full(&project), "{stdout}\n{stderr}");
    assert_eq!(feed_files(&project), before, "{stdout}");

    // The page answers for good that it is gone: the text stays.
    site.fail("/news/1", 404);
    run(&project);
    assert!(story_one_in_full(&project));
    site.recover("/news/1");
    run(&project);
    assert!(story_one_in_full(&project));
}

/// A full-text feed of story 1 whose link carries the tracking campaign
/// `campaign`.
fn tracked_feed(campaign: u32) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gazette</title><link>{{site}}/</link><description>Teasers</description>\n\
         <item><title>Council Story 1</title><guid isPermaLink=\"false\">story-1</guid>\
         <link>{{site}}/news/1?utm_source=rss&amp;utm_campaign=daily-{campaign}</link>\
         <pubDate>01 Nov 2026 08:00:00 GMT</pubDate><description>Teaser 1: councillors met on Monday.</description></item>\n\
         </channel></rss>"
    )
}

#[test]
fn full_text_a_link_whose_tracking_parameters_change_is_fetched_once_and_keeps_its_text() {
    let site = Site::start();
    put_pages(&site, 1, "");
    site.put("/rss.xml", "application/rss+xml", &tracked_feed(1));
    let project = full_text_project(&site);
    run(&project);
    assert!(story_one_in_full(&project));
    site.put("/rss.xml", "application/rss+xml", &tracked_feed(2));
    let (stdout, _) = run(&project);
    assert!(stdout.contains("1 already known"), "{stdout}");
    assert_eq!(site.hits("/news/1"), 1, "the same page, not fetched again");

    site.put("/rss.xml", "application/rss+xml", &tracked_feed(3));
    site.fail("/news/1", 500);
    let (stdout, stderr) = run(&project);
    assert!(story_one_in_full(&project), "{stdout}\n{stderr}");
}

#[test]
fn full_text_a_page_to_try_again_has_its_feed_read_in_full_next_cycle() {
    let site = Site::start();
    site.tag_documents();
    put_pages(&site, 1, "");
    site.put("/rss.xml", "application/rss+xml", &tracked_feed(1));
    let project = full_text_project(&site);
    site.fail("/news/1", 503);
    let (_, stderr) = run(&project);
    assert!(stderr.contains("tried again next cycle"), "{stderr}");
    assert!(!story_one_in_full(&project));

    site.recover("/news/1");
    let (stdout, stderr) = run(&project);
    assert_eq!(site.conditional_hits("/rss.xml"), 0, "{stdout}");
    assert_eq!(site.hits("/news/1"), 2);
    assert!(story_one_in_full(&project), "{stdout}\n{stderr}");
    // Every page read: the feed is asked for conditionally again.
    let (stdout, _) = run(&project);
    assert_eq!(site.conditional_hits("/rss.xml"), 1, "{stdout}");
    assert_eq!(site.hits("/news/1"), 2);
}

#[test]
fn full_text_a_page_dated_before_its_entry_completes_it_once_it_answers() {
    // A content system dates the page before the feed's pubDate (08:00).
    let site = Site::start();
    site.tag_documents();
    let html = page(
        "{site}",
        "/news/1",
        "Council Story 1",
        1,
        &own_paragraphs(1),
    )
    .replace(
        "content=\"2026-11-01T08:00:00Z\">",
        "content=\"2026-11-01T07:30:00Z\">\
         <meta property=\"article:modified_time\" content=\"2026-11-01T07:45:00Z\">",
    );
    site.put("/news/1", "text/html; charset=utf-8", &html);
    site.put("/rss.xml", "application/rss+xml", &tracked_feed(1));
    let project = full_text_project(&site);
    site.fail("/news/1", 503);
    run(&project);
    assert!(!story_one_in_full(&project));

    site.recover("/news/1");
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/1"), 2);
    assert!(stdout.contains("1 updated"), "{stdout}");
    assert!(story_one_in_full(&project), "{stdout}\n{stderr}");

    // Its headline edited upstream later: the edit lands.
    let edited = tracked_feed(1).replace(
        "<title>Council Story 1</title>",
        "<title>Council Story 1 corrected</title>",
    );
    site.put("/rss.xml", "application/rss+xml", &edited);
    let (stdout, _) = run(&project);
    assert!(stdout.contains("1 updated"), "{stdout}");
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1 corrected");
    assert!(content(item).contains("story number 1,"), "{item:#?}");
}

/// A site whose feed carries the whole story of `Library Opens` (two
/// paragraphs, returned) in its one entry, and whose page of that story is a
/// paywalled teaser (its first paragraph and a subscription prompt), with
/// `figure` under its `h1`.
fn library_site_with_a_paywalled_page(figure: &str) -> (Site, Vec<String>) {
    let site = Site::start();
    let story = own_paragraphs(2);
    let whole: String = story.iter().map(|p| format!("<p>{p}</p>")).collect();
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
             <channel><title>Gazette</title><link>{{site}}/</link><description>Stories</description>\n\
             <item><title>Library Opens</title><link>{{site}}/news/library</link><guid>library</guid>\
             <pubDate>02 Nov 2026 08:00:00 GMT</pubDate><description>The library opened.</description>\
             <content:encoded><![CDATA[{whole}]]></content:encoded></item>\n</channel></rss>"
        ),
    );
    let subscribe = "Subscribe now for unlimited access to all our journalism.".to_string();
    site.put(
        "/news/library",
        "text/html; charset=utf-8",
        &page(
            "{site}",
            "/news/library",
            "Library Opens",
            2,
            &[story[0].clone(), subscribe],
        )
        .replace(
            "<h1>Library Opens</h1>",
            &format!("<h1>Library Opens</h1>{figure}"),
        ),
    );
    (site, story)
}

#[test]
fn full_text_an_entry_carrying_its_whole_story_keeps_it_over_a_paywalled_page() {
    let (site, story) = library_site_with_a_paywalled_page("");
    let project = full_text_project(&site);
    let (stdout, stderr) = run(&project);
    assert_eq!(site.hits("/news/library"), 1);
    let html = content(item_titled(&feed_items(&project), "Library Opens")).to_string();
    for paragraph in &story {
        assert!(
            html.contains(paragraph.as_str()),
            "{html}\n{stdout}\n{stderr}"
        );
    }
    assert!(!html.contains("Subscribe"), "{html}");
}

#[test]
fn full_text_a_page_dated_far_ahead_leaves_the_entry_its_own_date() {
    let site = Site::start();
    put_pages(&site, 1, "");
    let html = page(
        "{site}",
        "/news/1",
        "Council Story 1",
        1,
        &own_paragraphs(1),
    )
    .replace("2026-11-01T08:00:00Z", "2099-03-01T09:00:00Z");
    site.put("/news/1", "text/html; charset=utf-8", &html);
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(1, "http://127.0.0.1:9/news/unreachable", false),
    );
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    assert_eq!(item["date_published"], "2026-11-01T08:00:00Z", "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: dated 2099-03-01T09:00:00Z, more than a day ahead of now",
            site.url("/news/1")
        )),
        "{stderr}"
    );
}

#[test]
fn full_text_a_media_file_added_without_a_new_date_reaches_the_feed() {
    let site = Site::start();
    let project = one_full_text_story(&site);
    assert!(story_one_in_full(&project));
    let audio = "<enclosure url=\"{site}/audio/1.mp3\" type=\"audio/mpeg\" length=\"1000\"/>";
    let feed = teaser_feed(1, "http://127.0.0.1:9/news/unreachable", false).replacen(
        "</description></item>",
        &format!("</description>{audio}</item>"),
        1,
    );
    site.put("/rss.xml", "application/rss+xml", &feed);
    let (stdout, stderr) = run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    assert_eq!(
        item["attachments"][0]["url"],
        site.url("/audio/1.mp3"),
        "{stdout}\n{stderr}"
    );
    assert!(story_one_in_full(&project));
}

#[test]
fn serve_ingests_sitemap_and_full_text_sources_on_its_schedule() {
    let head = config_head(SQLITE);
    let site = Site::start();
    put_sitemaps(&site);
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(2, "http://127.0.0.1:9/news/unreachable", false),
    );
    let project = Project::new(&format!(
        "{head}\n[server]\nbind = \"127.0.0.1:0\"\n\n[schedule]\ninterval = \"1h\"\n\n\
         [[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n\n\
         [[source]]\nname = \"wire\"\nfeed = \"{}\"\nfull_text = true\n",
        site.url("/sitemap-index.xml"),
        site.url("/rss.xml"),
    ));
    let server = common::server::Server::start(&project, &[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let http = feedfold::ingest::fetch::client_builder("feedfold-tests")
        .build()
        .unwrap();
    let items = |server: &common::server::Server| -> Vec<serde_json::Value> {
        runtime.block_on(async {
            let answer = http.get(server.url("/feeds/news.json")).send().await;
            let Ok(answer) = answer else {
                return Vec::new();
            };
            let json: serde_json::Value = answer.json().await.unwrap_or_default();
            json["items"].as_array().cloned().unwrap_or_default()
        })
    };
    // Five sitemap pages, and the feed's two entries and its unreachable one;
    // the pages the feed links are the sitemap's first two, one article each.
    let ready = common::server::eventually(std::time::Duration::from_secs(20), || {
        items(&server).len() == 6
    });
    let items = items(&server);
    assert!(ready, "{items:#?}");
    let second = item_titled(&items, "Council Story 2");
    assert!(content(second).contains("story number 2,"), "{second}");
    assert!(!content(second).contains("Teaser"), "{second}");
    for n in 1..=5 {
        assert!(site.hits(&format!("/news/{n}")) >= 1, "page {n}");
    }
    server.terminate();
}

#[test]
fn full_text_a_temporary_redirect_to_a_page_about_something_else_is_a_bounce_tried_again() {
    let site = Site::start();
    put_pages(&site, 2, "");
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(2, "http://127.0.0.1:9/news/unreachable", false),
    );
    // A rate limit answered by sending the reader, for now, to a page of
    // its own that does not name the story asked for.
    site.put(
        "/busy",
        "text/html; charset=utf-8",
        "<!DOCTYPE html><html><head><title>Too many requests</title></head><body><main>\
         <h1>Too many requests</h1><p>You have sent too many requests in a short time. Our \
         systems have detected unusual traffic from your network. Please wait a few minutes \
         before trying again, or contact support if the problem persists.</p></main></body></html>",
    );
    site.redirect_with("/news/2", 307, "/busy");
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    let items = feed_items(&project);
    let bounced = content(item_titled(&items, "Council Story 2"));
    assert!(
        !bounced.contains("Too many requests"),
        "{bounced}\n{stderr}"
    );
    assert!(
        bounced.contains("Teaser 2:"),
        "the teaser stands: {bounced}"
    );
    assert!(
        content(item_titled(&items, "Council Story 1")).contains("story number 1,"),
        "a page that is the story is read: {stderr}"
    );
    assert!(
        stderr.contains("temporarily redirected to") && stderr.contains("/busy"),
        "the bounce is named: {stderr}"
    );
    assert!(stderr.contains("tried again next cycle"), "{stderr}");

    site.recover("/news/2");
    run(&project);
    assert_eq!(site.hits("/news/2"), 2, "fetched again next cycle");
    let html = content(item_titled(&feed_items(&project), "Council Story 2")).to_string();
    assert!(html.contains("story number 2,"), "{html}");
}

#[test]
fn full_text_a_page_that_tells_another_story_leaves_the_entry_its_teaser_and_date() {
    let site = Site::start();
    put_pages(&site, 2, "");
    let item = |path: &str, title: &str, teaser: &str| {
        format!(
            "<item><title>{title}</title><link>{{site}}{path}</link><guid isPermaLink=\"false\">{path}</guid>\
             <pubDate>17 Nov 2026 08:00:00 GMT</pubDate><description>{teaser}</description></item>\n"
        )
    };
    let items = [
        // Taken down, and sent for good to a story of the same site.
        item(
            "/news/lighthouse",
            "Lighthouse Museum To Reopen In Spring",
            "The lighthouse museum on the point will reopen in the spring after two years of restoration work.",
        ),
        // Taken down, and sent for good to a related story on the same
        // subject, which names half the headline's words.
        item(
            "/news/bridge",
            "Harbour Bridge Reopens After Repairs",
            "The harbour bridge reopened on Sunday after three months of repairs.",
        ),
        // Answered with another story.
        item(
            "/news/harbour",
            "Harbour Dredging Starts Next Week",
            "Dredgers arrive on Monday to deepen the harbour channel for larger ferries.",
        ),
        // The story, under a headline worded otherwise than the feed's.
        item(
            "/news/1",
            "Islanders Win Longer Ferry Service",
            "Councillors voted on Monday to extend the ferry timetable into the winter months.",
        ),
    ]
    .concat();
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gazette</title><link>{{site}}/</link><description>Teasers</description>\n{items}</channel></rss>"
        ),
    );
    site.redirect("/news/lighthouse", "/news/2");
    site.redirect("/news/bridge", "/news/inspection");
    site.put(
        "/news/inspection",
        "text/html; charset=utf-8",
        "<!DOCTYPE html><html><head><title>Harbour Bridge To Close Again For Inspection</title></head><body><article>\
         <h1>Harbour Bridge To Close Again For Inspection</h1>\
         <p>The harbour bridge will close again next weekend for a safety inspection of its new cables and deck, the council said.</p>\
         <p>Engineers said the closure would last two days and ferries would run extra crossings.</p></article></body></html>",
    );
    site.put(
        "/news/harbour",
        "text/html; charset=utf-8",
        &page(
            "{site}",
            "/news/harbour",
            "Library Opens",
            2,
            &own_paragraphs(2),
        ),
    );
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    let items = feed_items(&project);
    for (title, teaser) in [
        (
            "Lighthouse Museum To Reopen In Spring",
            "The lighthouse museum",
        ),
        ("Harbour Dredging Starts Next Week", "Dredgers arrive"),
        ("Harbour Bridge Reopens After Repairs", "The harbour bridge"),
    ] {
        let item = item_titled(&items, title);
        let html = content(item);
        assert!(
            html.contains(teaser)
                && !html.contains("story number 2")
                && !html.contains("safety inspection"),
            "{html}\n{stderr}"
        );
        assert_eq!(item["date_published"], "2026-11-17T08:00:00Z", "{stderr}");
    }
    assert!(
        stderr.contains(&format!(
            "{}: redirected to {}, a page that is not the story's; the entry keeps its teaser",
            site.url("/news/lighthouse"),
            site.url("/news/2")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}: a page that is not the story's; the entry keeps its teaser",
            site.url("/news/harbour")
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("tried again next cycle"), "{stderr}");
    let story = content(item_titled(&items, "Islanders Win Longer Ferry Service"));
    assert!(story.contains("story number 1,"), "{story}\n{stderr}");
}

#[test]
fn full_text_a_page_dated_by_its_day_only_keeps_the_time_of_the_entry() {
    let site = Site::start();
    let paragraphs: String = own_paragraphs(1)
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &format!(
            "<!DOCTYPE html><html><head><title>Council Story 1</title></head><body><article>\
             <h1>Council Story 1</h1><p class=\"date\">November 15, 2026</p>{paragraphs}</article></body></html>"
        ),
    );
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/1", "Council Story 1", "Councillors met on Monday.")
            .replace("02 Nov 2026 08:00:00 GMT", "Sun, 15 Nov 2026 17:45:00 GMT"),
    );
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    assert!(content(item).contains("story number 1,"), "{stderr}");
    assert_eq!(item["date_published"], "2026-11-15T17:45:00Z", "{item:#?}");
    assert_eq!(item["date_modified"], "2026-11-15T17:45:00Z", "{item:#?}");
}

#[test]
fn full_text_a_temporary_redirect_to_a_missing_page_is_a_bounce_tried_again() {
    let site = Site::start();
    let project = one_full_text_story(&site);
    assert!(story_one_in_full(&project));
    // A second story whose page the site sends, for now, to a sign-in page
    // that answers 404.
    put_pages(&site, 2, "");
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &teaser_feed(2, "http://127.0.0.1:9/news/unreachable", false),
    );
    site.redirect_with("/news/2", 302, "/login?next=/news/2");
    let (_, stderr) = run(&project);
    assert_eq!(site.hits("/login"), 1, "{stderr}");
    let html = content(item_titled(&feed_items(&project), "Council Story 2")).to_string();
    assert!(html.contains("Teaser 2:"), "the teaser stands: {html}");
    assert!(
        stderr.contains(
            "HTTP 404; the entry keeps its teaser (or the text read before); tried again next cycle"
        ),
        "{stderr}"
    );

    site.recover("/news/2");
    run(&project);
    assert_eq!(site.hits("/news/2"), 2, "fetched again next cycle");
    let html = content(item_titled(&feed_items(&project), "Council Story 2")).to_string();
    assert!(html.contains("story number 2,"), "{html}");
}

/// A full-text feed of one entry, `guid` `story`, linking to `page` with
/// `title` and the teaser `teaser` (no title at all when `title` is
/// empty).
fn one_entry_feed(page: &str, title: &str, teaser: &str) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!("<title>{title}</title>")
    };
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gazette</title><link>{{site}}/</link><description>Teasers</description>\n\
         <item>{title}<link>{{site}}{page}</link><guid isPermaLink=\"false\">story</guid>\
         <pubDate>02 Nov 2026 08:00:00 GMT</pubDate><description>{teaser}</description></item>\n\
         </channel></rss>"
    )
}

#[test]
fn full_text_an_edited_headline_lands_over_the_fuller_text_read_before() {
    edited_headline_over_fuller_text(SQLITE);
}

#[test]
fn on_postgresql_full_text_an_edited_headline_lands_over_the_fuller_text_read_before() {
    on_postgresql("pages_edited_headline", edited_headline_over_fuller_text);
}

/// A full-text entry read in full, then edited (headline and teaser)
/// while its page shows a paywall's first paragraph, on the store
/// `store`.
fn edited_headline_over_fuller_text(store: &str) {
    let site = Site::start();
    put_pages(&site, 1, "");
    let teaser = "Teaser 1: councillors met on Monday.";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/1", "Council Story 1", teaser),
    );
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nfeed = \"{}\"\nfull_text = true\n",
        config_head(store),
        site.url("/rss.xml")
    ));
    run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    let stored = content(item).to_string();
    assert!(stored.contains("story number 1,"), "{stored}");
    let modified = item["date_modified"].clone();

    // Upstream corrects the headline (same id, link and date) and edits
    // the teaser, while the site now shows only the first paragraph and a
    // box asking to subscribe.
    let corrected = "Council Extends Winter Ferry Timetable";
    let edited_teaser = "Councillors voted to extend the ferry timetable.";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/1", corrected, edited_teaser),
    );
    let first = own_paragraphs(1).remove(0);
    let subscribe = "Subscribe now for unlimited access, from one pound a week.".to_string();
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &page(
            "{site}",
            "/news/1",
            "Council Story 1",
            1,
            &[first, subscribe],
        ),
    );
    let (stdout, stderr) = rerun(&project, store);
    assert_eq!(site.hits("/news/1"), 2);
    let items = feed_items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    let item = item_titled(&items, corrected);
    assert_eq!(
        content(item),
        stored,
        "the fuller text is kept: {stdout}\n{stderr}"
    );
    assert_eq!(item["summary"], edited_teaser, "{item:#?}");
    // The edits are an update of the article, dated when they were read.
    assert!(
        stdout.contains("0 already known, 1 updated"),
        "{stdout}\n{stderr}"
    );
    assert_ne!(item["date_modified"], modified, "{item:#?}");
    // Seen again unchanged, nothing is fetched and nothing moves.
    let before = feed_files(&project);
    let (stdout, _) = rerun(&project, store);
    assert!(stdout.contains("1 already known"), "{stdout}");
    assert_eq!(site.hits("/news/1"), 2);
    assert_eq!(feed_files(&project), before);
}

#[test]
fn full_text_an_edited_headline_over_the_text_of_a_page_gone_since_updates_the_article() {
    let site = Site::start();
    put_pages(&site, 1, "");
    let teaser = "Teaser 1: councillors met on Monday.";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/1", "Council Story 1", teaser),
    );
    let project = full_text_project(&site);
    run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    let stored = content(item).to_string();
    assert!(stored.contains("story number 1,"), "{stored}");
    let modified = item["date_modified"].clone();

    // Upstream corrects the headline while the page answers 404 for good.
    let corrected = "Council Extends Winter Ferry Timetable";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/1", corrected, teaser),
    );
    site.fail("/news/1", 404);
    let (stdout, stderr) = run(&project);
    assert!(stderr.contains("HTTP 404"), "{stderr}");
    let items = feed_items(&project);
    let item = item_titled(&items, corrected);
    assert_eq!(content(item), stored, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("0 already known, 1 updated"),
        "{stdout}\n{stderr}"
    );
    assert_ne!(item["date_modified"], modified, "{item:#?}");
}

#[test]
fn full_text_an_entry_whose_page_is_missing_takes_its_edits() {
    let site = Site::start();
    // The entry's page answers 404.
    let teaser =
        "Fishermen in Westport mend their nets in the week before the herring season opens.";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/nets", "Lost Story About Nets", teaser),
    );
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    assert!(stderr.contains("HTTP 404"), "{stderr}");
    assert!(
        content(item_titled(&feed_items(&project), "Lost Story About Nets")).contains("herring")
    );

    // Upstream corrects the headline and shortens the teaser.
    let corrected = "Fishermen Mend Nets Before Season Opens";
    let shorter = "Fishermen mend their nets.";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/nets", corrected, shorter),
    );
    let (stdout, stderr) = run(&project);
    let items = feed_items(&project);
    assert_eq!(items.len(), 1, "{items:#?}");
    let item = item_titled(&items, corrected);
    assert_eq!(item["summary"], shorter, "{stdout}\n{stderr}\n{item:#?}");

    // And edits it again: a longer teaser is the entry's text.
    let longer = "Fishermen in Westport mend their nets and paint their boats in the week before the herring season opens on Monday.";
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/nets", corrected, longer),
    );
    run(&project);
    let items = feed_items(&project);
    assert!(
        content(item_titled(&items, corrected)).contains("paint their boats"),
        "{items:#?}"
    );
}

#[test]
fn full_text_an_untitled_entry_takes_its_pages_headline() {
    let site = Site::start();
    put_pages(&site, 1, "");
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/1", "", "New on the site today."),
    );
    let project = full_text_project(&site);
    let (stdout, stderr) = run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    assert!(
        content(item).contains("story number 1,"),
        "{stdout}\n{stderr}"
    );

    // Its page then fails after an edit of its teaser: the headline stays
    // the page's, not one made of the teaser.
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/1", "", "New on the site this morning."),
    );
    site.fail("/news/1", 404);
    run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    assert!(content(item).contains("story number 1,"), "{items:#?}");
}

#[test]
fn a_sitemap_read_again_counts_its_known_pages_and_an_empty_one_none() {
    let site = Site::start();
    put_pages(&site, 2, "");
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
           <url><loc>{site}/news/1</loc></url><url><loc>{site}/news/2</loc></url>
           <url><loc>{site}/news/1</loc></url></urlset>"#,
    );
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
        config_head(SQLITE),
        site.url("/sitemap.xml")
    ));
    let (stdout, _) = run(&project);
    assert!(
        stdout.contains("source gazette: 2 entries read, 2 new, 0 already known"),
        "{stdout}"
    );
    let (stdout, _) = run(&project);
    assert!(
        stdout.contains("source gazette: 2 entries read, 0 new, 2 already known"),
        "each page listed and read before counts once as read and known: {stdout}"
    );
    assert_eq!(site.hits_under("/news/"), 2, "no known page fetched again");
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>"#,
    );
    let (stdout, _) = run(&project);
    assert!(
        stdout.contains("source gazette: 0 entries read, 0 new, 0 already known"),
        "{stdout}"
    );
}

/// A sitemap that moved permanently is read where it went, and the run
/// names its new URL for the config, as it does for a feed.
#[test]
fn a_sitemap_that_moved_permanently_is_read_and_its_new_url_named() {
    let site = Site::start();
    put_one_page_sitemap(&site, "2026-11-01T06:00:00Z");
    site.put(
        "/news/1",
        "text/html",
        &page(
            &site.url(""),
            "/news/1",
            "Harbour Gates Reopen",
            1,
            &own_paragraphs(1),
        ),
    );
    site.redirect("/old-sitemap.xml", &site.url("/sitemap.xml"));
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
        config_head(SQLITE),
        site.url("/old-sitemap.xml")
    ));
    let (_, stderr) = run(&project);
    assert!(
        stderr.contains(&format!(
            "{}: moved permanently to {}: put the new URL in the source's `sitemap` in the config",
            site.url("/old-sitemap.xml"),
            site.url("/sitemap.xml")
        )),
        "{stderr}"
    );
    assert_eq!(feed_items(&project).len(), 1);
}

#[test]
fn a_page_in_a_news_and_a_plain_sitemap_of_one_index_takes_its_dates_from_both() {
    let site = Site::start();
    let dated = page(
        "{site}",
        "/news/1",
        "Council Story 1",
        1,
        &own_paragraphs(1),
    );
    let undated = dated.replace(
        "<meta property=\"article:published_time\" content=\"2026-11-01T08:00:00Z\">",
        "",
    );
    assert_ne!(undated, dated, "the page gives no date of its own");
    site.put("/news/1", "text/html; charset=utf-8", &undated);
    site.put(
        "/news.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{site}/news/1</loc><news:news><news:publication><news:name>Gazette</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-11-10T08:00:00Z</news:publication_date><news:title>Council Story 1</news:title></news:news></url>
</urlset>"#,
    );
    site.put(
        "/posts.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{site}/news/1</loc><lastmod>2026-11-12T15:30:00Z</lastmod></url>
</urlset>"#,
    );
    for order in [["news", "posts"], ["posts", "news"]] {
        let index_path = format!("/index-{}.xml", order.join("-"));
        let listed: String = order
            .iter()
            .map(|name| format!("<sitemap><loc>{{site}}/{name}.xml</loc></sitemap>"))
            .collect();
        site.put(
            &index_path,
            "application/xml",
            &format!(
                r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{listed}</sitemapindex>"#
            ),
        );
        let project = Project::new(&format!(
            "{}\n[[source]]\nname = \"gazette\"\nsitemap = \"{}\"\n",
            config_head(SQLITE),
            site.url(&index_path)
        ));
        let (_, stderr) = run(&project);
        let items = feed_items(&project);
        let item = item_titled(&items, "Council Story 1");
        assert_eq!(
            item["date_published"], "2026-11-10T08:00:00Z",
            "{order:?}: {stderr}"
        );
        assert_eq!(item["date_modified"], "2026-11-12T15:30:00Z", "{order:?}");
    }
}

/// A page of Highland News whose `h1` is `headline` (markup), over `text`, under
/// the `<title>` `title`.
fn story_page(title: &str, headline: &str, text: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"og:site_name\" content=\"Highland News\"></head><body><article>\
         {headline}<p>{text}</p><p>More follows later today.</p><p>Officials gave no further details.</p>\
         </article></body></html>"
    )
}

#[test]
fn full_text_pages_naming_the_headline_in_other_spellings_and_scripts_tell_its_story() {
    let site = Site::start();
    let stories = [
        // Elided articles, typographic apostrophes on the page.
        (
            "/news/otan",
            "L'OTAN s'inquiète de l'offensive",
            story_page(
                "L’OTAN s’inquiète de l’offensive",
                "<h1>L’OTAN s’inquiète de l’offensive</h1>",
                "TOLD-FR L’OTAN s’inquiète de l’offensive lancée mardi dans l’est du pays.",
            ),
        ),
        // Accents decomposed in the feed, composed on the page.
        (
            "/news/elections",
            "E\u{301}lections re\u{301}gionales reporte\u{301}es a\u{300} de\u{301}cembre",
            story_page(
                "Élections régionales reportées à décembre",
                "<h1>Élections régionales reportées à décembre</h1>",
                "TOLD-NFD Les élections régionales sont reportées à décembre.",
            ),
        ),
        // Short Cyrillic words tell nothing: Цены and выросли of three.
        (
            "/news/ceny",
            "Цены на газ и нефть выросли",
            story_page(
                "Инфляция ускорилась",
                "<h1>Инфляция ускорилась</h1>",
                "TOLD-RU Цены выросли уже третий месяц подряд.",
            ),
        ),
        // A Korean word with its particle on the page.
        (
            "/news/galaxy",
            "삼성, 새 스마트폰 국내 출시",
            story_page(
                "갤럭시 공개",
                "<h1>갤럭시 공개</h1>",
                "TOLD-KO 삼성전자는 17일 스마트폰을 국내에 출시했다.",
            ),
        ),
        // A headline set as a picture, under the site's name as title.
        (
            "/news/storm",
            "Storm Ciarán: thousands lose power",
            story_page(
                "Highland News",
                "<h1><img src=\"/storm.png\" alt=\"Storm Ciarán: thousands lose power\"></h1>",
                "TOLD-IMG Winds of 90mph left 200,000 homes without electricity overnight.",
            ),
        ),
    ];
    let mut items = String::new();
    for (path, title, html) in &stories {
        site.put(path, "text/html; charset=utf-8", html);
        items.push_str(&format!(
            "<item><title>{title}</title><link>{{site}}{path}</link><guid isPermaLink=\"false\">{path}</guid>\
             <pubDate>17 Nov 2026 08:00:00 GMT</pubDate><description>An editor's teaser.</description></item>\n"
        ));
    }
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gazette</title><link>{{site}}/</link><description>Teasers</description>\n{items}</channel></rss>"
        ),
    );
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    assert!(!stderr.contains("not the story's"), "{stderr}");
    let published = project.read("feeds/news.json");
    for marker in ["TOLD-FR", "TOLD-NFD", "TOLD-RU", "TOLD-KO", "TOLD-IMG"] {
        assert!(published.contains(marker), "{marker}: {stderr}");
    }
}

#[test]
fn full_text_a_read_more_teaser_vouches_for_no_other_story() {
    let site = Site::start();
    site.put(
        "/news/budget",
        "text/html; charset=utf-8",
        &story_page(
            "Budget raises tobacco taxes",
            "<h1>Budget raises tobacco taxes</h1>",
            "BUDGET-TEXT The minister raised taxes on tobacco and said more was to come; voters will read the details.",
        ),
    );
    site.redirect("/news/lighthouse", "/news/budget");
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed(
            "/news/lighthouse",
            "Kessock lighthouse to be restored",
            "Read more",
        ),
    );
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    let item = item_titled(&feed_items(&project), "Kessock lighthouse to be restored").clone();
    assert!(!content(&item).contains("BUDGET-TEXT"), "{item:#?}");
    assert!(
        stderr.contains(&format!(
            "{}: redirected to {}, a page that is not the story's",
            site.url("/news/lighthouse"),
            site.url("/news/budget")
        )),
        "{stderr}"
    );
}

#[test]
fn full_text_a_page_dated_at_midnight_in_its_zone_keeps_the_time_of_the_entry() {
    let site = Site::start();
    let paragraphs: String = own_paragraphs(1)
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &format!(
            "<!DOCTYPE html><html><head><title>Council Story 1</title>\
             <meta property=\"article:published_time\" content=\"2026-11-15T00:00:00+01:00\"></head>\
             <body><article><h1>Council Story 1</h1>{paragraphs}</article></body></html>"
        ),
    );
    site.put(
        "/rss.xml",
        "application/rss+xml",
        &one_entry_feed("/news/1", "Council Story 1", "Councillors met on Monday.")
            .replace("02 Nov 2026 08:00:00 GMT", "Sun, 15 Nov 2026 17:45:00 GMT"),
    );
    let project = full_text_project(&site);
    let (_, stderr) = run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Council Story 1");
    assert!(content(item).contains("story number 1,"), "{stderr}");
    assert_eq!(item["date_published"], "2026-11-15T17:45:00Z", "{item:#?}");
}

/// An article page on `site` at `path` as [`page`] makes it, whose lead
/// photo a script draws (no picture in its markup): only `meta`, tags in
/// its `<head>`, names it.
fn page_declaring(path: &str, title: &str, n: usize, meta: &str) -> String {
    page("{site}", path, title, n as u32, &own_paragraphs(n))
        .replace("</head>", &format!("{meta}</head>"))
        .replace(
            &format!("<h1>{title}</h1>"),
            &format!(
                "<h1>{title}</h1><div class=\"lead-photo\" data-component=\"LazyImage\"></div>"
            ),
        )
}

#[test]
fn a_pages_declared_lead_image_is_its_picture_when_its_text_shows_none() {
    let site = Site::start();
    site.put(
        "/news/market",
        "text/html; charset=utf-8",
        &page_declaring(
            "/news/market",
            "Winter Market Returns to Quay Square",
            5,
            "<meta property=\"og:image\" content=\"/media/quay-stalls.jpg\">\
             <meta property=\"og:image:alt\" content=\"Stalls lit up on Quay Square\">\
             <meta property=\"og:image:width\" content=\"1200\"><meta property=\"og:image:height\" content=\"630\">\
             <meta name=\"twitter:image\" content=\"{site}/media/quay-card.jpg\">",
        ),
    );
    site.put(
        "/news/trams",
        "text/html; charset=utf-8",
        &page_declaring(
            "/news/trams",
            "Trams Stop on Station Road",
            6,
            "<meta property=\"og:image\" content=\"{site}/static/gazette-logo.png\">\
             <meta property=\"og:image:width\" content=\"150\">\
             <meta name=\"twitter:image\" content=\"{site}/media/worn-rails.jpg\">",
        ),
    );
    site.put(
        "/news/ferry",
        "text/html; charset=utf-8",
        &page_declaring(
            "/news/ferry",
            "Ferry Timetable Extended Into Winter",
            1,
            "<meta property=\"og:image\" content=\"/static/default-share.jpg\">",
        ),
    );
    site.put(
        "/sitemap.xml",
        "application/xml",
        r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
           <url><loc>{site}/news/market</loc><lastmod>2026-11-05T09:00:00Z</lastmod></url>
           <url><loc>{site}/news/trams</loc><lastmod>2026-11-06T09:00:00Z</lastmod></url>
           <url><loc>{site}/news/ferry</loc><lastmod>2026-11-02T09:00:00Z</lastmod></url></urlset>"#,
    );
    let project = gazette_project(&site);
    run(&project);
    let items = feed_items(&project);
    let market = content(item_titled(&items, "Winter Market Returns to Quay Square"));
    let picture = format!(
        "<img src=\"{}\" alt=\"Stalls lit up on Quay Square\">",
        site.url("/media/quay-stalls.jpg")
    );
    assert!(market.contains(&picture), "{market}");
    assert_eq!(market.matches("<img ").count(), 1, "{market}");
    for file in ["news.rss", "news.atom"] {
        let feed = project.read(&format!("feeds/{file}"));
        assert!(feed.contains(&site.url("/media/quay-stalls.jpg")), "{feed}");
    }
    // The site's logo (or an image declared too small for a photo) gives
    // way to the next declaration; a site's default image is no photo.
    let trams = content(item_titled(&items, "Trams Stop on Station Road"));
    assert!(
        trams.contains(&format!(
            "<img src=\"{}\" alt=\"\">",
            site.url("/media/worn-rails.jpg")
        )),
        "{trams}"
    );
    assert_eq!(trams.matches("<img ").count(), 1, "{trams}");
    let ferry = content(item_titled(&items, "Ferry Timetable Extended Into Winter"));
    assert!(!ferry.contains("<img "), "{ferry}");
}

#[test]
fn full_text_entries_keep_their_own_pictures_over_a_pages_declared_lead_image() {
    let site = Site::start();
    for (n, path) in [(1, "/news/1"), (2, "/news/2")] {
        site.put(
            path,
            "text/html; charset=utf-8",
            &page_declaring(
                path,
                &format!("Council Story {n}"),
                n,
                &format!("<meta property=\"og:image\" content=\"/media/og-{n}.jpg\">"),
            ),
        );
    }
    site.put(
        "/rss.xml",
        "application/rss+xml",
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\">\
         <channel><title>Gazette</title><link>{site}/</link><description>Teasers</description>\
         <item><title>Council Story 1</title><link>{site}/news/1</link><guid>{site}/news/1</guid>\
         <pubDate>01 Nov 2026 08:00:00 GMT</pubDate><description>Teaser 1: councillors met on Monday.</description>\
         <media:content url=\"{site}/media/ferry-crowd.jpg\" medium=\"image\">\
         <media:description>Islanders queue for the dawn ferry.</media:description>\
         <media:credit>Calder Gazette</media:credit></media:content></item>\
         <item><title>Council Story 2</title><link>{site}/news/2</link><guid>{site}/news/2</guid>\
         <pubDate>02 Nov 2026 08:00:00 GMT</pubDate><description>Teaser 2: councillors met on Monday.</description></item>\
         </channel></rss>",
    );
    let project = full_text_project(&site);
    run(&project);
    let items = feed_items(&project);
    // The entry's captioned picture stays the story's, the page's
    // declared image beside it adds nothing…
    let first = content(item_titled(&items, "Council Story 1"));
    assert!(first.contains("story number 1,"), "{first}");
    assert!(
        first.contains(&site.url("/media/ferry-crowd.jpg")),
        "{first}"
    );
    assert!(
        first.contains("Islanders queue for the dawn ferry."),
        "{first}"
    );
    assert!(!first.contains("og-1.jpg"), "{first}");
    // …and an entry without a picture takes the page's.
    let second = content(item_titled(&items, "Council Story 2"));
    assert!(second.contains("story number 2,"), "{second}");
    assert!(
        second.contains(&format!(
            "<img src=\"{}\" alt=\"\">",
            site.url("/media/og-2.jpg")
        )),
        "{second}"
    );
}

/// Council story 1's page (see [`put_pages`]) with `figure` above its text
/// and `head` in its `<head>`.
fn story_one_with(figure: &str, head: &str) -> String {
    page(
        "{site}",
        "/news/1",
        "Council Story 1",
        1,
        &own_paragraphs(1),
    )
    .replace("</head>", &format!("{head}</head>"))
    .replace(
        "<h1>Council Story 1</h1>",
        &format!("<h1>Council Story 1</h1>{figure}"),
    )
}

/// A captioned photo of the ferry.
fn ferry_figure(caption: &str) -> String {
    format!(
        "<figure><img src=\"/img/ferry.jpg\" width=\"900\" height=\"600\" alt=\"Ferry\">\
         <figcaption>{caption}</figcaption></figure>"
    )
}

#[test]
fn full_text_a_photo_byline_and_caption_correction_the_page_gains_reach_the_feed() {
    page_gains_photo_byline_and_caption(SQLITE);
}

#[test]
fn on_postgresql_full_text_a_photo_byline_and_caption_correction_the_page_gains_reach_the_feed() {
    on_postgresql("pages_gained_photo", page_gains_photo_byline_and_caption);
}

/// A full-text entry read from a page without a photo or byline, updated
/// upstream twice while its page, dated as before and its text the same,
/// gains a captioned photo and a byline, then has its caption corrected,
/// on the store `store`.
fn page_gains_photo_byline_and_caption(store: &str) {
    let site = Site::start();
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &story_one_with("", ""),
    );
    let feed = |updated| teaser_feed(1, "http://127.0.0.1:9/news/unreachable", updated);
    site.put("/rss.xml", "application/rss+xml", &feed(false));
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"gazette\"\nfeed = \"{}\"\nfull_text = true\n",
        config_head(store),
        site.url("/rss.xml")
    ));
    run(&project);
    let item = |project: &Project| item_titled(&feed_items(project), "Council Story 1").clone();
    assert!(!item(&project).to_string().contains("ferry.jpg"));

    site.put("/rss.xml", "application/rss+xml", &feed(true));
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &story_one_with(
            &ferry_figure("The ferry at the quay."),
            "<meta name=\"author\" content=\"Ann Lee\">",
        ),
    );
    let (stdout, stderr) = rerun(&project, store);
    let gained = item(&project);
    assert!(
        gained.to_string().contains("The ferry at the quay."),
        "{gained:#}\n{stdout}\n{stderr}"
    );
    assert!(gained.to_string().contains("Ann Lee"), "{gained:#}");
    assert!(content(&gained).contains("story number 1,"), "{gained:#}");

    site.put(
        "/rss.xml",
        "application/rss+xml",
        &feed(true).replace("20 Nov 2026", "21 Nov 2026"),
    );
    site.put(
        "/news/1",
        "text/html; charset=utf-8",
        &story_one_with(
            &ferry_figure("The Islander ferry leaving the quay on Sunday."),
            "<meta name=\"author\" content=\"Ann Lee\">",
        ),
    );
    let (stdout, stderr) = rerun(&project, store);
    let corrected = item(&project).to_string();
    assert!(
        corrected.contains("The Islander ferry leaving the quay on Sunday.")
            && !corrected.contains("The ferry at the quay."),
        "{corrected}\n{stdout}\n{stderr}"
    );
}

#[test]
fn full_text_an_entry_carrying_its_whole_story_takes_its_paywalled_pages_photo() {
    let (site, story) = library_site_with_a_paywalled_page(
        "<figure><img src=\"/img/library.jpg\" width=\"900\" height=\"600\" alt=\"Library\">\
         <figcaption>The glass reading room over the canal.</figcaption></figure>",
    );
    let project = full_text_project(&site);
    let (stdout, stderr) = run(&project);
    let items = feed_items(&project);
    let item = item_titled(&items, "Library Opens");
    for paragraph in &story {
        assert!(content(item).contains(paragraph.as_str()), "{item:#}");
    }
    assert!(!content(item).contains("Subscribe"), "{item:#}");
    assert!(
        item.to_string()
            .contains("The glass reading room over the canal."),
        "{item:#}\n{stdout}\n{stderr}"
    );
}

/// A feed of one teaser entry titled `title` linking to `link`,
/// dated the 6th of November at `hour`, the day [`page`] dates a page of
/// day 6.
fn teaser_entry_feed(title: &str, link: &str, hour: u32, teaser: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title><link>{{site}}/</link><description>d</description>\n\
         <item><title>{title}</title><link>{link}</link><guid>{link}</guid>\
         <pubDate>Fri, 06 Nov 2026 {hour:02}:00:00 GMT</pubDate><description>{teaser}</description></item>\n</channel></rss>"
    )
}

#[test]
fn full_text_a_partners_copy_is_matched_on_the_canonical_link_its_page_gives() {
    for partner_first in [true, false] {
        let site = Site::start();
        site.put(
            "/partner.xml",
            "application/rss+xml",
            &teaser_entry_feed(
                "Ferry Timetable Extended for Winter",
                "{site}/partner/ferry-story",
                10,
                "Ferries run later.",
            ),
        );
        site.put(
            "/herald.xml",
            "application/rss+xml",
            &teaser_entry_feed(
                "Ferry Timetable Extended",
                "{site}/news/ferry",
                9,
                "Islanders can cross again.",
            ),
        );
        // The partner's page declares the original's address as its own.
        site.put(
            "/partner/ferry-story",
            "text/html; charset=utf-8",
            &page(
                "{site}",
                "/news/ferry",
                "Ferry Timetable Extended for Winter",
                6,
                &own_paragraphs(1),
            ),
        );
        let partner = format!(
            "[[source]]\nname = \"partner\"\nfeed = \"{}\"\nfull_text = true\n",
            site.url("/partner.xml")
        );
        let herald = format!(
            "[[source]]\nname = \"herald\"\nfeed = \"{}\"\n",
            site.url("/herald.xml")
        );
        let sources = if partner_first {
            format!("{partner}\n{herald}")
        } else {
            format!("{herald}\n{partner}")
        };
        let project = Project::new(&format!("{}\n{sources}", config_head(SQLITE)));
        let (stdout, stderr) = run(&project);
        let items = feed_items(&project);
        assert_eq!(
            items.len(),
            1,
            "partner first: {partner_first}\n{items:#?}\n{stdout}\n{stderr}"
        );
        assert!(content(&items[0]).contains("story number 1,"), "{items:#?}");
    }
}

#[test]
fn full_text_a_copy_whose_page_gives_another_storys_link_is_not_folded_by_it() {
    let site = Site::start();
    site.put(
        "/herald.xml",
        "application/rss+xml",
        &teaser_entry_feed(
            "New Library Opens on Mill Street",
            "{site}/news/library",
            9,
            &own_paragraphs(2).join(" "),
        ),
    );
    site.put(
        "/partner.xml",
        "application/rss+xml",
        &teaser_entry_feed(
            "Ferry Timetable Extended",
            "{site}/partner/ferry-story",
            10,
            "Ferries run later.",
        ),
    );
    // A template giving one story's address as every page's canonical link.
    site.put(
        "/partner/ferry-story",
        "text/html; charset=utf-8",
        &page(
            "{site}",
            "/news/library",
            "Ferry Timetable Extended",
            6,
            &own_paragraphs(1),
        ),
    );
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"herald\"\nfeed = \"{}\"\n\n\
         [[source]]\nname = \"partner\"\nfeed = \"{}\"\nfull_text = true\n",
        config_head(SQLITE),
        site.url("/herald.xml"),
        site.url("/partner.xml")
    ));
    let (stdout, stderr) = run(&project);
    let items = feed_items(&project);
    assert_eq!(items.len(), 2, "{items:#?}\n{stdout}\n{stderr}");
    let ferry = item_titled(&items, "Ferry Timetable Extended");
    assert!(content(ferry).contains("story number 1,"), "{ferry:#}");
    assert_eq!(ferry["url"], site.url("/partner/ferry-story"));
    assert!(stderr.contains("not folded by it"), "{stderr}");
}

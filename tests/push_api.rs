//! End to end: what a push to `feedfold serve` keeps, refuses and
//! republishes: every article of a request kept apart as a feed
//! document's entries are, a push that updates an article another source
//! brought (or fills in its link or authors) republishing the feeds that
//! carry it, a feed's `since` poll getting an article that joined the feed
//! through a push after it, a push never replacing an
//! upstream feed entry's text, a store that cannot be written answered as
//! such (and shown on `/healthz` until a write succeeds), a store file
//! deleted under the server refusing pushes until a store is at its path
//! again (a file that holds no store put there being left as it is), and a push-only server reporting itself healthy.

mod common;

use std::time::Duration;

use common::disk::SmallDisk;
use common::server::{Server, client, eventually, get_text, health_of};
use common::{Project, feedfold_in};
use reqwest::StatusCode;
use reqwest::header;
use serde_json::{Value, json};

const TOKEN: &str = "push-token-5d1c";

/// A config with the push API on, `extra` after `[server]` (sources and
/// feeds).
fn config(extra: &str) -> String {
    format!(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n[server]\nbind = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\n\n[schedule]\ninterval = \"1h\"\n\n{extra}"
    )
}

/// `config` with `source` also accepted in pushes.
fn with_push_sources(config: &str, source: &str) -> String {
    config.replacen(
        "[server]\n",
        &format!("[server]\npush_sources = [\"{source}\"]\n"),
        1,
    )
}

/// Pushes `body`; the answer's status and JSON.
async fn push(server: &Server, body: Value) -> (StatusCode, Value) {
    let response = client()
        .post(server.url("/api/articles"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// Pushes `body` as `content_type`; the answer's status and text.
async fn push_bytes(server: &Server, content_type: &str, body: Vec<u8>) -> (StatusCode, String) {
    let response = client()
        .post(server.url("/api/articles"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// Waits until `relative` in the project holds `text`.
fn wait_for(project: &Project, relative: &str, text: &str) {
    assert!(
        eventually(Duration::from_secs(20), || {
            std::fs::read_to_string(project.path(relative)).is_ok_and(|f| f.contains(text))
        }),
        "{relative} never held {text:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn articles_of_one_push_that_share_an_id_or_a_link_are_all_kept() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let (status, answer) = push(
        &server,
        json!([
            {"id": "dup-1", "title": "Council Approves Budget", "body": "The council approved the budget on Monday."},
            {"id": "dup-1", "title": "Striker Signs New Contract", "body": "The striker signed a three-year contract."},
            {"id": "x-7", "link": "https://agg.example/one", "title": "Harbour Lights Festival Returns", "body": "The festival returns on Saturday."},
            {"id": "x-7", "link": "https://agg.example/two", "title": "New School Opens In Eastfield", "body": "A new school opened on Wednesday."},
            {"id": "s-1", "link": "https://agg.example/local", "title": "Bakery Wins Regional Prize", "body": "A bakery won the bread prize."},
            {"id": "s-2", "link": "https://agg.example/local", "title": "Bus Route Twelve Diverted", "body": "Route twelve is diverted for two weeks."},
            {"link": "https://agg.example/section", "title": "Museum Adds Night Openings", "body": "The museum opens late on Thursdays."},
            {"link": "https://agg.example/section", "title": "Rowing Club Celebrates Centenary", "body": "The rowing club is a hundred years old."},
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let statuses: Vec<&str> = answer["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["new"; 8], "{answer}");
    let feed = project.read("feeds/all.json");
    assert_eq!(common::json_feed_ids(&feed).len(), 8, "{feed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn stories_pushed_apart_without_an_id_under_one_link_are_each_kept() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let edition = |day: u32, items: [&str; 2]| {
        json!({
            "title": "Evening Digest",
            "link": "https://digest.example/evening",
            "published": format!("2026-11-{day:02}T18:00:00Z"),
            "body": [format!("Good evening. This is the digest for November {day}."), items[0], items[1]],
        })
    };
    // Editions of short paragraphs, each read as a teaser.
    let bulletin = |day: u32, body: [&str; 3]| {
        json!({
            "title": "Morning Bulletin",
            "link": "https://digest.example/morning",
            "published": format!("2026-11-{day:02}T07:00:00Z"),
            "body": body,
        })
    };
    let section = |title: &str, hour: u32, body: [&str; 2]| {
        json!({
            "title": title,
            "link": "https://agg.example/section/county",
            "published": format!("2026-11-20T{hour:02}:00:00Z"),
            "body": body,
        })
    };
    let tannery = [
        "The old tannery in Wexcombe will become forty flats after the planning board approved the scheme on Tuesday night.",
        "Builders expect to start in the spring, and the first tenants could move in within two years, the developer said.",
    ];
    let mut edited = tannery;
    edited[1] = "Builders expect to start in the summer, and the first tenants could move in within three years, the developer said.";
    for (what, body, expected) in [
        (
            "the 10th's digest",
            edition(
                10,
                [
                    "The county fair closes tonight after record crowds, with the livestock show postponed to Sunday because of rain.",
                    "Road crews will patch the coast road overnight, and drivers should expect single-lane traffic near the harbour.",
                ],
            ),
            "new",
        ),
        (
            "the 11th's digest",
            edition(
                11,
                [
                    "The orchestra announced its winter season, opening with three concerts of Sibelius at the cathedral in December.",
                    "A burst main left two streets in the old town without water for most of the afternoon, the utility said.",
                ],
            ),
            "new",
        ),
        (
            "the 12th's morning bulletin",
            bulletin(
                12,
                [
                    "Forecasters issued storm warnings for the whole coast as winds of up to 120 km/h were expected overnight.",
                    "Schools in three districts will stay closed.",
                    "Ferries to the islands were cancelled.",
                ],
            ),
            "new",
        ),
        (
            "the 13th's morning bulletin",
            bulletin(
                13,
                [
                    "The count in the mayoral election was delayed by a power cut at the town hall, officials said.",
                    "Results are now expected in the afternoon.",
                    "Both candidates urged patience.",
                ],
            ),
            "new",
        ),
        (
            "the tannery story",
            section("Tannery To Become Flats", 8, tannery),
            "new",
        ),
        (
            "the ferry story",
            section(
                "Ferry Timetable Cut For Winter",
                9,
                [
                    "The island ferry will run four crossings a day instead of seven from December, the operator announced on Tuesday.",
                    "Islanders said the cut would leave commuters stranded, and the parish council will ask for a meeting.",
                ],
            ),
            "new",
        ),
        (
            "the tannery story edited",
            section("Tannery To Become Flats", 8, edited),
            "update",
        ),
    ] {
        let (status, answer) = push(&server, body).await;
        assert!(status.is_success(), "{what}: {answer}");
        assert_eq!(
            answer["articles"][0]["status"], expected,
            "{what}: {answer}"
        );
    }
    let feed = project.read("feeds/all.json");
    assert_eq!(common::json_feed_ids(&feed).len(), 6, "{feed}");
    for text in [
        "the digest for November 10",
        "the digest for November 11",
        "storm warnings for the whole coast",
        "mayoral election was delayed",
        "first tenants could move in within three years",
        "four crossings a day",
        "2026-11-10T18:00:00Z",
        "2026-11-20T09:00:00Z",
    ] {
        assert!(feed.contains(text), "{text}: {feed}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_article_pushed_again_without_an_id_is_known_by_its_link_without_tracking() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let ferry = |link: &str, title: &str, body: &str| json!({"link": format!("https://agg.example/live{link}"), "title": title, "body": body});
    let first = "Crews walked off the island ferries at dawn over the new rota, the union said.";
    let corrected = "Crews walked off the island ferries at six over the new rota, the union said.";
    let line = "The council opened a telephone line for islanders stranded by the strike.";
    for (link, title, body, expected) in [
        (
            "?utm_source=app#post-1",
            "Ferry strike begins",
            first,
            "new",
        ),
        // Other tracking parameters: the same article, edited.
        (
            "?utm_source=web#post-1",
            "Ferry strike begins",
            corrected,
            "update",
        ),
        (
            "?fbclid=IwAR0#post-1",
            "Ferry strike begins",
            corrected,
            "repeat",
        ),
        // Another fragment: another post of the live page.
        ("#post-2", "Council opens emergency line", line, "new"),
    ] {
        let (status, answer) = push(&server, ferry(link, title, body)).await;
        assert!(status.is_success(), "{link}: {answer}");
        assert_eq!(
            answer["articles"][0]["status"], expected,
            "{link}: {answer}"
        );
    }
    let feed = project.read("feeds/all.json");
    assert_eq!(common::json_feed_ids(&feed).len(), 2, "{feed}");
    assert!(feed.contains("at six over the new rota"), "{feed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_live_pages_posts_pushed_under_its_headline_are_each_new() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let post = |anchor: &str, body: &str| json!({"link": format!("https://agg.example/live{anchor}"), "title": "Storm live", "body": body});
    let winds = "Winds of up to 90mph have been recorded on the coast road, forecasters said.";
    let ferries =
        "All ferries to the islands are cancelled for the rest of the day, the operator said.";
    let mut ids = Vec::new();
    for (anchor, body, expected) in [
        ("#post-1", winds, "new"),
        // Another post of the live page under its headline.
        ("#post-2", ferries, "new"),
        // The page itself, or under an anchor every page has: post 1's link.
        (
            "",
            "Winds of up to 95mph were recorded on the coast road.",
            "repeat",
        ),
        (
            "#top",
            "Winds of up to 95mph were recorded on the coast road.",
            "repeat",
        ),
    ] {
        let (status, answer) = push(&server, post(anchor, body)).await;
        assert!(status.is_success(), "{anchor}: {answer}");
        assert_eq!(
            answer["articles"][0]["status"], expected,
            "{anchor}: {answer}"
        );
        ids.push(answer["articles"][0].clone());
    }
    assert_eq!(ids[2]["repeat_of"], ids[0]["id"], "{ids:?}");
    let feed = project.read("feeds/all.json");
    assert_eq!(common::json_feed_ids(&feed).len(), 2, "{feed}");
    assert!(feed.contains(winds) && feed.contains(ferries), "{feed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_with_no_text_is_refused() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    for body in [json!(""), json!([]), json!(["", "  "]), json!("\n\n\n")] {
        let (status, answer) = push(
            &server,
            json!([{"title": "Kept", "body": "Text."}, {"title": "Empty", "body": body}]),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["field"], "[1].body", "{answer}");
    }
    let (status, answer) = push(
        &server,
        json!({"title": "Script", "content_html": "<script>alert(1)</script>"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["field"], "content_html", "{answer}");
    let (status, answer) = push(
        &server,
        json!({"title": "Photo", "body": "Text.", "captions": [{}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["field"], "captions[0]", "{answer}");
    assert!(!project.read("feeds/all.json").contains("Kept"));
    // A request cut short is the request's fault, an article's body of
    // the wrong type the body's: a client can tell "send it again" from
    // "fix the article".
    let response = client()
        .post(server.url("/api/articles"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(r#"{"title": "Tram Line Extension Approved", "body": "The council"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["field"], "request", "{answer}");
    let (status, answer) = push(&server, json!({"title": "Tram", "body": 5})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["field"], "body", "{answer}");
}

const HARBOUR: [&str; 4] = [
    "The board of the Port of Calder voted on Monday to approve a long-delayed expansion of the northern harbour, ending a dispute with fishing cooperatives that had stalled the project for more than a year.",
    "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay for the town's fishing fleet, which had objected to earlier drafts.",
    "\"Nobody got everything they wanted, and that is usually the sign of a fair deal,\" board chair Imogen Ashworth told reporters after the vote.",
    "Construction is expected to begin in the spring and to take three years.",
];
const MORE: &str = "Environmental groups said on Tuesday evening they would study the final plan before deciding whether to appeal.";

/// What a pushed article's HTML plays is published as its media files, as
/// a feed entry's is: the sanitizer takes the players out of the HTML.
#[tokio::test(flavor = "multi_thread")]
async fn the_audio_and_video_a_pushed_articles_html_plays_are_its_media_files() {
    let project = Project::new(&config(
        "[[feed]]\nname = \"desk\"\ntitle = \"Desk\"\nsources = [\"api\"]\n",
    ));
    let server = Server::start(&project, &[]);
    let (status, answer) = push(
        &server,
        json!({"title": "Evening Bulletin From The Harbour", "link": "https://agg.example/bulletin",
               "content_html": concat!(
                   "<p>Tonight the harbour master talks about the ferry timetable.</p>",
                   "<audio src=\"https://media.example/bulletin.mp3\" controls></audio>",
                   "<video controls><source src=\"/clips/quay.mp4\" type=\"video/mp4\"></video>")}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let rss = project.read("feeds/desk.rss");
    assert!(
        rss.contains(r#"<enclosure url="https://media.example/bulletin.mp3""#),
        "{rss}"
    );
    let json: Value = serde_json::from_str(&project.read("feeds/desk.json")).unwrap();
    let attachments: Vec<&str> = json["items"][0]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        attachments,
        [
            "https://media.example/bulletin.mp3",
            "https://agg.example/clips/quay.mp4"
        ]
    );
    let (status, api) = read_api(&server, "/api/articles").await;
    assert_eq!(status, StatusCode::OK);
    let article = &api["articles"][0];
    assert_eq!(
        article["enclosures"][1]["url"],
        "https://agg.example/clips/quay.mp4"
    );
    assert_eq!(
        article["enclosures"][1]["media_type"], "video/mp4",
        "{article}"
    );
    let html = article["content_html"].as_str().unwrap();
    assert!(
        !html.contains("<audio") && !html.contains("<video"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_that_updates_an_article_republishes_every_feed_that_carries_it() {
    let project = Project::new(&config(
        "[[source]]\nname = \"samples\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"desk\"\ntitle = \"Desk\"\nsources = [\"samples\"]\n\n[[feed]]\nname = \"agg\"\ntitle = \"Aggregated\"\nsources = [\"api\"]\n",
    ));
    project.write(
        "dumps/a.txt",
        &format!(
            "Port of Calder Approves Harbour Expansion\n\n{}\n",
            HARBOUR.join("\n\n")
        ),
    );
    let server = Server::start(&project, &[]);
    wait_for(&project, "feeds/desk.json", "Port of Calder");
    let before = get_text(&server, "/feeds/desk.json").await;
    let mut longer: Vec<&str> = HARBOUR.to_vec();
    longer.push(MORE);
    let (status, answer) = push(
        &server,
        json!({"title": "Port of Calder Approves Harbour Expansion", "body": longer}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["articles"][0]["status"], "update", "{answer}");
    // When the answer comes, the file and the served feed carry the update.
    assert!(
        project
            .read("feeds/desk.json")
            .contains("Environmental groups")
    );
    let served = get_text(&server, "/feeds/desk.json").await;
    assert!(served.contains("Environmental groups"), "{served}");
    assert_ne!(served, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_that_fills_in_a_link_republishes_every_feed_that_carries_the_article() {
    let project = Project::new(&with_push_sources(
        &config(
            "[[feed]]\nname = \"desk\"\ntitle = \"Desk\"\nsources = [\"api\"]\n\n[[feed]]\nname = \"partner\"\ntitle = \"Partner\"\nsources = [\"partner\"]\n",
        ),
        "partner",
    ));
    let server = Server::start(&project, &[]);
    let story = json!({"title": "Port of Calder Approves Harbour Expansion", "body": HARBOUR});
    let (status, answer) = push(&server, story.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let mut copy = story;
    copy["source"] = json!("partner");
    copy["link"] = json!("https://partner.example/harbour");
    copy["authors"] = json!(["Jo Baker"]);
    let (status, answer) = push(&server, copy).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["articles"][0]["status"], "repeat", "{answer}");
    // When the answer comes, the desk's file and served feed carry the
    // link and author the partner's copy filled in.
    let file = project.read("feeds/desk.json");
    assert!(file.contains("https://partner.example/harbour"), "{file}");
    assert!(file.contains("Jo Baker"), "{file}");
    let served = get_text(&server, "/feeds/desk.json").await;
    assert_eq!(served, file);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_never_replaces_the_text_of_an_upstream_feed_entry() {
    let project = Project::new(&config(
        "[[source]]\nname = \"wire\"\nfeed = \"up.rss\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n",
    ));
    project.write(
        "up.rss",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Up</title>\n<item><guid>up-1</guid><link>https://up.example/news/harbour</link><title>Harbour Expansion Approved</title><pubDate>Mon, 05 Oct 2026 09:00:00 GMT</pubDate><description>&lt;p&gt;The port board approved the harbour expansion on Monday after a year-long dispute with fishing cooperatives.&lt;/p&gt;&lt;p&gt;Construction starts in spring.&lt;/p&gt;</description></item>\n</channel></rss>\n",
    );
    let server = Server::start(&project, &[]);
    wait_for(&project, "feeds/all.json", "Harbour Expansion Approved");
    let entry_id = common::json_feed_ids(&project.read("feeds/all.json"))[0].clone();
    // The entry's link and its text and more, under another headline: by
    // link a longer copy, which would replace a pushed article's text.
    let longer = json!([
        "The port board approved the harbour expansion on Monday after a year-long dispute with fishing cooperatives.",
        "Construction starts in spring.",
        "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay for the fishing fleet.",
        "Police later arrested the board chair on bribery charges, a claim nobody has confirmed."
    ]);
    let article = json!({"title": "Port Board Chair Arrested Over Harbour Bribes",
        "link": "https://up.example/news/harbour", "body": longer});
    let (status, answer) = push(&server, article).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["articles"][0]["status"], "repeat", "{answer}");
    assert_eq!(answer["articles"][0]["repeat_of"], entry_id.as_str());
    let feed = project.read("feeds/all.json");
    assert!(
        feed.contains("Harbour Expansion Approved") && !feed.contains("Bribes"),
        "{feed}"
    );
    assert!(!feed.contains("bribery"), "{feed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_never_replaces_an_upstream_entrys_text_once_its_feed_left_the_config() {
    let feed = "[[source]]\nname = \"wire\"\nfeed = \"up.rss\"\n\n";
    let feeds = "[[feed]]\nname = \"all\"\ntitle = \"All\"\n";
    let project = Project::new(&config(&format!("{feed}{feeds}")));
    project.write(
        "up.rss",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Up</title>\n<item><guid>up-1</guid><link>https://up.example/news/harbour</link><title>Harbour Expansion Approved</title><pubDate>Mon, 05 Oct 2026 09:00:00 GMT</pubDate><description>&lt;p&gt;The port board approved the harbour expansion on Monday after a year-long dispute with fishing cooperatives.&lt;/p&gt;&lt;p&gt;Construction starts in spring.&lt;/p&gt;</description></item>\n</channel></rss>\n",
    );
    let run = project.feedfold(&["run", "-q"]);
    assert!(run.status.success(), "{run:?}");
    // Served with pushes only: the store still knows the feed brought it.
    project.write("config.toml", &config(feeds));
    let server = Server::start(&project, &[]);
    let entry_id = common::json_feed_ids(&project.read("feeds/all.json"))[0].clone();
    let longer = json!([
        "The port board approved the harbour expansion on Monday after a year-long dispute with fishing cooperatives.",
        "Construction starts in spring.",
        "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay for the fishing fleet."
    ]);
    let article = json!({"title": "Harbour Expansion Approved",
        "link": "https://up.example/news/harbour", "body": longer});
    let (status, answer) = push(&server, article).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["articles"][0]["status"], "repeat", "{answer}");
    assert_eq!(answer["articles"][0]["repeat_of"], entry_id.as_str());
    assert!(!project.read("feeds/all.json").contains("deep-water berths"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pushed_article_an_upstream_entry_was_folded_into_takes_its_own_corrections() {
    let project = Project::new(&with_push_sources(
        &config(
            "[[source]]\nname = \"wire\"\nfeed = \"up.rss\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n",
        ),
        "agg",
    ));
    project.write(
        "up.rss",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Up</title></channel></rss>\n",
    );
    let server = Server::start(&project, &[]);
    let link = "https://port.example/news/harbour-expansion";
    let story = |title: &str| {
        json!({"source": "agg", "title": title, "link": link,
            "published": "2026-10-05T09:00:00Z", "body": HARBOUR})
    };
    let (status, answer) = push(&server, story("Port of Calder Approves Harbour Expansion")).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let pushed_id = answer["articles"][0]["id"].as_str().unwrap().to_string();
    // The publisher's own feed carries the story word for word: folded
    // into the pushed article, which the push brought.
    let paragraphs: String = HARBOUR
        .iter()
        .map(|p| format!("&lt;p&gt;{}&lt;/p&gt;", p.replace('"', "&amp;quot;")))
        .collect();
    project.write(
        "up.rss",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Up</title>\n<item><guid isPermaLink=\"false\">up-1</guid><link>{link}</link><title>Port of Calder Approves Harbour Expansion</title><pubDate>Mon, 05 Oct 2026 09:00:00 GMT</pubDate><description>{paragraphs}</description></item>\n</channel></rss>\n"
        ),
    );
    let run = project.feedfold(&["run", "-q"]);
    assert!(run.status.success(), "{run:?}");
    assert_eq!(
        common::json_feed_ids(&project.read("feeds/all.json")),
        [pushed_id.as_str()]
    );
    // The aggregator corrects its headline: its own article takes it.
    let corrected = "Port of Calder Approves Long-Delayed Harbour Expansion";
    let (status, answer) = push(&server, story(corrected)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["articles"][0]["status"], "update", "{answer}");
    assert_eq!(answer["articles"][0]["id"], pushed_id.as_str(), "{answer}");
    let feed = project.read("feeds/all.json");
    assert!(feed.contains(corrected), "{feed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_on_a_full_disk_is_answered_and_reported_until_a_write_succeeds() {
    let project = Project::new(
        &config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n")
            .replace("path = \"feedfold.db\"", "path = \"disk/feedfold.db\""),
    );
    let Some(_disk) = SmallDisk::mount(&project.path("disk"), "2m") else {
        return;
    };
    let server = Server::start(&project, &[]);
    let (status, _) = push(&server, json!({"title": "First Story", "body": "Stored."})).await;
    assert_eq!(status, StatusCode::CREATED);
    // Leave the store no room, then push a story larger than what is left.
    let filler = project.path("disk/filler");
    let free = 2 * 1024 * 1024
        - std::fs::metadata(project.path("disk/feedfold.db"))
            .unwrap()
            .len();
    let _ = std::fs::write(&filler, vec![0u8; free as usize]);
    let words: String = (0..40_000u32)
        .map(|i| format!("w{:x} ", i.wrapping_mul(2_654_435_761)))
        .collect();
    let (status, answer) = push(&server, json!({"title": "Second Story", "body": words})).await;
    assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(error.contains("the store is full"), "{error}");
    assert!(error.contains("database or disk is full"), "{error}");
    let health = health_of(&server).await;
    assert_eq!(health["status"], "degraded", "{health}");
    // Public: the kind of failure, not the store's path.
    assert_eq!(health["store"], "cannot write: full", "{health}");

    std::fs::remove_file(&filler).unwrap();
    let (status, _) = push(&server, json!({"title": "Third Story", "body": "Stored."})).await;
    assert_eq!(status, StatusCode::CREATED);
    let health = health_of(&server).await;
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["store"], "ok", "{health}");
}

/// Waits until `/healthz` says the store is `store`; what it said last.
async fn health_once_store_is(server: &Server, store: &str) -> Value {
    let mut health = health_of(server).await;
    for _ in 0..200 {
        if health["store"] == store {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        health = health_of(server).await;
    }
    health
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_file_deleted_under_the_server_takes_no_push_until_a_store_is_at_its_path_again() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let log = project.path("serve.log");
    let server = Server::start_logging_to(&project, &[], Some(&log));
    let (status, _) = push(
        &server,
        json!({"title": "Harbour Berths Approved", "body": "Two new berths."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    for file in ["feedfold.db", "feedfold.db-wal", "feedfold.db-shm"] {
        let _ = std::fs::remove_file(project.path(file));
    }
    let night_trains =
        json!({"title": "Night Trains Return", "body": "Sleeper services resume on Friday."});
    let (status, answer) = push(&server, night_trains.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(error.contains("nothing was stored"), "{error}");
    assert!(
        error.contains("feedfold.db: the store file was deleted"),
        "{error}"
    );
    let health = health_of(&server).await;
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["store"], "unreachable", "{health}");
    assert!(
        !project.path("feedfold.db").exists(),
        "the server made no store"
    );
    wait_for(
        &project,
        "serve.log",
        "feedfold.db: the store file was deleted",
    );

    // A run beside the server makes a new store at the path: the server
    // opens it and takes pushes into it.
    let run = project.feedfold(&["run", "-q"]);
    assert!(run.status.success(), "{run:?}");
    let health = health_once_store_is(&server, "ok").await;
    assert_eq!(health["store"], "ok", "{health}");
    let (status, answer) = push(&server, night_trains).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    wait_for(&project, "feeds/all.json", "Night Trains Return");
    assert_eq!(server.terminate().code(), Some(0));
    let run = project.feedfold(&["run", "-q"]);
    assert!(run.status.success(), "{run:?}");
    let feed = project.read("feeds/all.json");
    assert!(
        feed.contains("Night Trains Return"),
        "kept in the store at the path: {feed}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_file_deleted_alone_under_the_server_is_made_anew_by_a_run_and_taken_up() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let log = project.path("serve.log");
    let server = Server::start_logging_to(&project, &[], Some(&log));
    let harbour = json!({"title": "Harbour Berths Approved", "body": "Two new berths."});
    let (status, _) = push(&server, harbour).await;
    assert_eq!(status, StatusCode::CREATED);
    // Only the store file is deleted: its -wal and -shm stay, held open.
    assert!(project.path("feedfold.db-wal").exists());
    std::fs::remove_file(project.path("feedfold.db")).unwrap();
    let health = health_once_store_is(&server, "unreachable").await;
    assert_eq!(health["store"], "unreachable", "{health}");

    let run = project.feedfold(&["run", "-q"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{run:?}");
    assert!(
        stderr.contains("feedfold.db-wal") && stderr.contains("feedfold.db-shm"),
        "the stale files removed are named: {stderr}"
    );
    let db = rusqlite::Connection::open(project.path("feedfold.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(db);
    let health = health_once_store_is(&server, "ok").await;
    assert_eq!(health["store"], "ok", "{health}");
    let night_trains =
        json!({"title": "Night Trains Return", "body": "Sleeper services resume on Friday."});
    let (status, answer) = push(&server, night_trains).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    wait_for(&project, "feeds/all.json", "Night Trains Return");
    assert_eq!(server.terminate().code(), Some(0));
    let run = project.feedfold(&["run", "-q"]);
    assert!(run.status.success(), "{run:?}");
    let feed = project.read("feeds/all.json");
    assert!(feed.contains("Night Trains Return"), "{feed}");
    assert!(!feed.contains("Harbour Berths Approved"), "{feed}");
}

/// Asserts that `story` pushed is refused with `503` and `/healthz` says
/// the store is unreachable, and that the server opened nothing at the
/// store's path.
async fn refused_while_no_store_is_at_the_path(server: &Server, project: &Project, story: &Value) {
    let (status, answer) = push(server, story.clone()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    let health = health_of(server).await;
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["store"], "unreachable", "{health}");
    assert!(
        !project
            .read("serve.log")
            .contains("opened the store file now"),
        "nothing was opened at the path"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_holds_no_store_put_at_the_store_path_under_the_server_is_left_as_it_is() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let log = project.path("serve.log");
    let server = Server::start_logging_to(&project, &[], Some(&log));
    let harbour = json!({"title": "Harbour Berths Approved", "body": "Two new berths."});
    let (status, _) = push(&server, harbour).await;
    assert_eq!(status, StatusCode::CREATED);
    // The store is moved away (its -wal and -shm stay beside the path) and
    // notes are saved at its path.
    let store = project.path("feedfold.db");
    let moved = project.path("moved-away.db");
    std::fs::rename(&store, &moved).unwrap();
    let notes = b"Notes saved at the wrong path: call the harbour office.\n";
    std::fs::write(&store, notes).unwrap();
    wait_for(&project, "serve.log", "feedfold.db: file is not a database");
    let night_trains =
        json!({"title": "Night Trains Return", "body": "Sleeper services resume on Friday."});
    refused_while_no_store_is_at_the_path(&server, &project, &night_trains).await;
    assert_eq!(
        std::fs::read(&store).unwrap(),
        notes,
        "the notes are untouched"
    );

    // An empty file (a copy stalled before its first byte) is no store yet:
    // it is waited on, left empty.
    std::fs::remove_file(&store).unwrap();
    std::fs::File::create(&store).unwrap();
    tokio::time::sleep(Duration::from_secs(6)).await;
    refused_while_no_store_is_at_the_path(&server, &project, &night_trains).await;
    assert_eq!(std::fs::metadata(&store).unwrap().len(), 0, "left empty");

    // The store moved back is taken up again.
    std::fs::rename(&moved, &store).unwrap();
    let health = health_once_store_is(&server, "ok").await;
    assert_eq!(health["store"], "ok", "{health}");
    let (status, answer) = push(&server, night_trains.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    wait_for(&project, "feeds/all.json", "Night Trains Return");
    assert!(
        project
            .read("feeds/all.json")
            .contains("Harbour Berths Approved")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_that_fails_to_write_is_an_error_of_the_store_whatever_its_message_says() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let (status, _) = push(&server, json!({"title": "First Story", "body": "Stored."})).await;
    assert_eq!(status, StatusCode::CREATED);
    let db = rusqlite::Connection::open(project.path("feedfold.db")).unwrap();
    db.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON article BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    )
    .unwrap();
    let (status, answer) = push(&server, json!({"title": "Second Story", "body": "Lost."})).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(error.contains("nothing was stored"), "{error}");
    let health = health_of(&server).await;
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(health["store"], "cannot write", "{health}");
    assert!(!health.to_string().contains("feedfold.db"), "{health}");

    db.execute_batch("DROP TRIGGER refuse").unwrap();
    let (status, _) = push(&server, json!({"title": "Third Story", "body": "Stored."})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(health_of(&server).await["store"], "ok");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_push_only_server_is_ok_once_its_feeds_are_rendered() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let health = health_of(&server).await;
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["sources"], 0);
    let (status, _) = push(&server, json!({"title": "Pushed", "body": "Text."})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(health_of(&server).await["status"], "ok");
}

/// `GET /api/articles` with the token; the answer's status and JSON.
async fn read_api(server: &Server, path_and_query: &str) -> (StatusCode, Value) {
    let response = client()
        .get(server.url(path_and_query))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_pages_through_every_article_by_its_next_link() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    // Seven stories, the last three pushed with one date.
    let stories: Vec<Value> = (0..7)
        .map(|i| {
            let hour = 9 + i.min(4);
            json!({
                "title": format!("Harbour bulletin number {i} for the week"),
                "published": format!("2026-11-20T{hour:02}:00:00Z"),
                "body": format!("The harbour office issued bulletin {i} on tides and berths this week."),
            })
        })
        .collect();
    let (status, answer) = push(&server, Value::Array(stories)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    let (status, whole) = read_api(&server, "/api/articles?limit=100").await;
    assert_eq!(status, StatusCode::OK, "{whole}");
    let ids = |answer: &Value| -> Vec<String> {
        answer["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&whole).len(), 7);
    assert!(
        whole.get("next").is_none(),
        "a page not full has no next: {whole}"
    );

    let mut walked = Vec::new();
    let mut next = "/api/articles?feed=all&since=2026-11-01T00:00:00Z&limit=3".to_string();
    for _ in 0..10 {
        let (status, page) = read_api(&server, &next).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        walked.extend(ids(&page));
        match page.get("next") {
            Some(link) => {
                // A reference relative to the request, resolved as a client
                // resolves it.
                let asked = url::Url::parse(&server.url(&next)).unwrap();
                let followed = asked.join(link.as_str().unwrap()).unwrap();
                next = format!("{}?{}", followed.path(), followed.query().unwrap_or(""));
                assert!(
                    next.contains("feed=all") && next.contains("since=2026-11-01"),
                    "{next}"
                );
            }
            None => break,
        }
    }
    assert_eq!(walked, ids(&whole));

    let (status, unknown) = read_api(&server, "/api/articles?after=no-such-id").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{unknown}");
    assert!(unknown.to_string().contains("after"), "{unknown}");
}

/// A `next` link holds where the walk stood, not only the last article's
/// id: when a push merges that article into another before the client
/// follows it, the walk goes on after that place and reaches the older
/// articles.
#[tokio::test(flavor = "multi_thread")]
async fn a_walk_goes_on_when_its_last_article_is_merged_into_another() {
    let project = Project::new(&with_push_sources(
        &config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"),
        "local",
    ));
    let server = Server::start(&project, &[]);
    let older = json!({"title": "Library Extends Opening Hours", "id": "lib-1",
        "published": "2026-11-20T09:00:00Z",
        "body": ["The central library will open until ten at night on weekdays from January, the city said.",
                 "The longer hours follow a survey of students who asked for a quiet place to study in the evenings."]});
    let dated = "2026-12-04T20:00:00Z";
    let cut = json!({"title": "Port of Calder Approves Harbour Expansion", "id": "cut-1",
        "link": "https://cut.example/h", "published": dated, "body": HARBOUR});
    let mut local_body = vec![
        "Crews who land their catch at the Calder quay, where the waiting list for a mooring runs to eleven boats, will be the first to feel the change.",
    ];
    local_body.extend(HARBOUR);
    local_body.push(MORE);
    let local = json!({"title": "What The Harbour Plan Means For Calder Fishing Crews", "id": "local-1",
        "link": "https://local.example/h", "published": dated, "body": local_body, "source": "local"});
    for story in [older, cut] {
        let (status, answer) = push(&server, story).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    // First seen a second later: listed first of the two.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, answer) = push(&server, local).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let local_id = answer["articles"][0]["id"].as_str().unwrap().to_string();

    let (status, first) = read_api(&server, "/api/articles?limit=1").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["articles"][0]["id"], local_id.as_str(), "{first}");
    let next = first["next"].as_str().unwrap().to_string();
    assert!(!next.contains("after="), "{next}");

    // The whole story extends the cut copy, and the local one merges into it.
    let mut whole_body = HARBOUR.to_vec();
    whole_body.push(MORE);
    let whole = json!({"title": "Port of Calder Approves Harbour Expansion", "id": "wire-1",
        "link": "https://wire.example/h", "published": dated, "body": whole_body});
    let (status, answer) = push(&server, whole).await;
    assert!(status.is_success(), "{answer}");
    let survivor = answer["articles"][0]["id"].as_str().unwrap().to_string();
    assert_ne!(survivor, local_id);
    let (status, gone) = read_api(&server, &format!("/api/articles?after={local_id}")).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "merged away: {gone}"
    );
    assert_eq!(gone["field"], "after", "{gone}");
    assert!(
        gone["error"]
            .as_str()
            .unwrap()
            .contains(&format!("merged into {survivor}")),
        "the answer names where it went: {gone}"
    );

    let mut titles = Vec::new();
    let mut next = format!("/api/articles{next}");
    for _ in 0..10 {
        let (status, page) = read_api(&server, &next).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        titles.extend(
            page["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["title"].as_str().unwrap().to_string()),
        );
        match page["next"].as_str() {
            Some(link) => next = format!("/api/articles{link}"),
            None => break,
        }
    }
    assert_eq!(
        titles,
        [
            "Port of Calder Approves Harbour Expansion",
            "Library Extends Opening Hours"
        ]
    );

    for made_up in ["12.x", "1.2.3", "-1.-1.-1", "9223372036854775807.0.0"] {
        let (status, bad) = read_api(&server, &format!("/api/articles?cursor={made_up}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{made_up}: {bad}");
        assert_eq!(bad["field"], "cursor", "{made_up}: {bad}");
    }
}

/// Follows `next` links from `/api/articles?limit=2`, the first `switch`
/// pages from `before`, the rest from `after`, until a page has none; the
/// ids, in the order given.
async fn walk_across(before: &Server, after: &Server, switch: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut next = "/api/articles?limit=2".to_string();
    for page_number in 0..100 {
        let server = if page_number < switch { before } else { after };
        let (status, page) = read_api(server, &next).await;
        assert_eq!(status, StatusCode::OK, "page {page_number}: {page}");
        ids.extend(
            page["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_string()),
        );
        match page["next"].as_str() {
            Some(link) => next = format!("/api/articles{link}"),
            None => return ids,
        }
    }
    panic!("the walk did not end: {ids:?}");
}

/// A client that walks the articles by their `next` links and moves to a
/// server on a copy of the store (`store copy`) part-way goes on at the
/// same place: a merge leaves a gap in the numbers the store keeps its
/// articles under, which the copy, numbering them afresh, has not, and the
/// articles pushed together after it tie in date, so only their order
/// tells them apart. A cursor whose article was merged away before the
/// copy was taken is refused on the copy, naming `cursor`.
#[tokio::test(flavor = "multi_thread")]
async fn a_walk_goes_on_on_a_copy_of_the_store() {
    let text = with_push_sources(
        &config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"),
        "local",
    );
    let project = Project::new(&text);
    let server = Server::start(&project, &[]);
    let dated = "2026-12-04T20:00:00Z";
    let cut = json!({"title": "Port of Calder Approves Harbour Expansion", "id": "cut-1",
        "link": "https://cut.example/h", "published": dated, "body": HARBOUR});
    let (status, answer) = push(&server, cut).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut local_body = vec![
        "Crews who land their catch at the Calder quay, where the waiting list for a mooring runs to eleven boats, will be the first to feel the change.",
    ];
    local_body.extend(HARBOUR);
    local_body.push(MORE);
    let local = json!({"title": "What The Harbour Plan Means For Calder Fishing Crews", "id": "local-1",
        "link": "https://local.example/h", "published": dated, "body": local_body, "source": "local"});
    let (status, answer) = push(&server, local).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, first) = read_api(&server, "/api/articles?limit=1").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let after_local = format!("/api/articles{}", first["next"].as_str().unwrap());
    // Stored after the local copy, so that the number it leaves is not
    // the last one, which SQLite would give the next article again.
    let older = json!({"title": "Library Extends Opening Hours", "id": "lib-1",
        "published": "2026-11-20T09:00:00Z",
        "body": ["The central library will open until ten at night on weekdays from January, the city said.",
                 "The longer hours follow a survey of students who asked for a quiet place to study in the evenings."]});
    let (status, answer) = push(&server, older).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    // The whole story merges the local copy into the cut one.
    let mut whole_body = HARBOUR.to_vec();
    whole_body.push(MORE);
    let whole = json!({"title": "Port of Calder Approves Harbour Expansion", "id": "wire-1",
        "link": "https://wire.example/h", "published": dated, "body": whole_body});
    let (status, answer) = push(&server, whole).await;
    assert!(status.is_success(), "{answer}");
    let notices = [
        "The ferry to Inchmore leaves at half past seven from the north pier during the winter timetable.",
        "Volunteers repainted the lifeboat station and replaced the slipway lights before the storm season.",
        "A new bakery opened on Quarry Lane, selling rye loaves baked in a wood-fired oven every morning.",
        "The school choir won the regional festival with a programme of sea shanties and folk hymns.",
        "Roadworks on the coast road close one lane near the lighthouse turning until the end of March.",
        "The museum shows a collection of ship models built by a retired harbour pilot over forty years.",
    ];
    let batch: Vec<Value> = notices
        .iter()
        .enumerate()
        .map(|(n, line)| {
            json!({"title": format!("Harbour Notice {n}: {}", &line[..24]), "id": format!("notice-{n}"),
                "link": format!("https://notices.example/{n}"), "body": [line]})
        })
        .collect();
    let (status, answer) = push(&server, Value::Array(batch)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    let moved = Project::new(&text);
    let copied = feedfold_in(
        project.dir.path(),
        &[
            "store",
            "copy",
            "sqlite:feedfold.db",
            &format!("sqlite:{}", moved.path("feedfold.db").display()),
        ],
    );
    assert!(copied.status.success(), "{copied:?}");
    let on_copy = Server::start(&moved, &[]);

    let whole_walk = walk_across(&server, &server, 0).await;
    assert_eq!(whole_walk.len(), 8, "{whole_walk:?}");
    assert_eq!(walk_across(&on_copy, &on_copy, 0).await, whole_walk);
    for switch in 1..=3 {
        assert_eq!(
            walk_across(&server, &on_copy, switch).await,
            whole_walk,
            "moved after {switch} pages"
        );
    }

    let (status, going_on) = read_api(&server, &after_local).await;
    assert_eq!(status, StatusCode::OK, "{going_on}");
    let (status, refused) = read_api(&on_copy, &after_local).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["field"], "cursor", "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_feeds_since_poll_gets_an_article_that_joined_the_feed_after_it() {
    let project = Project::new(&with_push_sources(
        &config("[[feed]]\nname = \"partner\"\ntitle = \"Partner\"\nsources = [\"partner\"]\n"),
        "partner",
    ));
    let server = Server::start(&project, &[]);
    let story = json!({"title": "Port of Calder Approves Harbour Expansion", "body": HARBOUR});
    let (status, answer) = push(&server, story.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    // Commit stamps are rounded up to whole seconds: the poll comes after
    // the push's.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let poll = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let since = format!("/api/articles?feed=partner&since={poll}");
    let (_, before) = read_api(&server, &since).await;
    assert_eq!(before["articles"], json!([]), "{before}");
    let mut copy = story;
    copy["source"] = json!("partner");
    let (status, answer) = push(&server, copy).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["articles"][0]["status"], "repeat", "{answer}");
    let (status, after) = read_api(&server, &since).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(
        after["articles"][0]["title"], "Port of Calder Approves Harbour Expansion",
        "{after}"
    );
    // Polled without the feed, the unchanged article is not news.
    let (_, all) = read_api(&server, &format!("/api/articles?since={poll}")).await;
    assert_eq!(all["articles"], json!([]), "{all}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_late_retry_of_an_earlier_version_leaves_the_correction() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let version = |title: &str, updated: &str, body: &str| {
        json!({"id": "story-991", "title": title, "published": "2026-12-03T07:00:00Z",
               "updated": updated, "body": body})
    };
    let first = version(
        "Fire at timber yard",
        "2026-12-03T08:00:00Z",
        "Crews are fighting a fire at the timber yard on the quay.",
    );
    let correction = version(
        "Fire at timber yard under control",
        "2026-12-03T10:00:00Z",
        "The fire at the timber yard on the quay is under control, the fire service said.",
    );
    for (body, status) in [(&first, "new"), (&correction, "update"), (&first, "repeat")] {
        let (code, answer) = push(&server, body.clone()).await;
        assert!(code.is_success(), "{answer}");
        assert_eq!(answer["articles"][0]["status"], status, "{answer}");
    }
    wait_for(&project, "feeds/all.json", "under control");
    let feed: Value = serde_json::from_str(&project.read("feeds/all.json")).unwrap();
    assert_eq!(
        feed["items"][0]["title"],
        "Fire at timber yard under control"
    );
    assert_eq!(feed["items"][0]["date_modified"], "2026-12-03T10:00:00Z");
}

/// A dump pushed as `text/plain` in the encoding its `charset` names is
/// read as the same story as in UTF-8; a `charset` that names no encoding
/// is refused with `415`, and bytes that are not what the charset says
/// with `422`.
#[tokio::test(flavor = "multi_thread")]
async fn a_pushed_dump_is_read_in_the_charset_it_declares() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let dump = "横浜港の新ターミナル、2027年春に開業へ\n\n横浜港の新ターミナル、2027年春に開業へ\n\n\
                国土交通省は3日、横浜港の新しい客船ターミナルの整備計画を承認したと発表した。\n";
    let (shift_jis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(dump);
    assert!(!unmappable);
    let post = |content_type, body| push_bytes(&server, content_type, body);
    let (status, answer) = post("text/plain; charset=Shift_JIS", shift_jis.into_owned()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, answer) = post("text/plain; charset=utf-8", dump.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::OK, "the same story again: {answer}");
    assert!(answer.contains("\"repeat\""), "{answer}");
    wait_for(
        &project,
        "feeds/all.json",
        "横浜港の新ターミナル、2027年春に開業へ",
    );
    let (status, answer) = post(
        "text/plain; charset=no-such-encoding",
        dump.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{answer}");
    let (status, answer) = post(
        "text/plain; charset=shift_jis",
        b"Headline\n\nBody \xff\xff here.\n".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer.contains("Shift_JIS"), "{answer}");
}

/// A JSON article sent as `text/plain` (what a browser's `fetch()` labels
/// a string body) is refused with `415` naming `application/json`, not
/// published as a dump headlined `{`; a dump is still read.
#[tokio::test(flavor = "multi_thread")]
async fn a_json_article_sent_as_text_is_refused_not_read_as_a_dump() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let article = serde_json::to_string_pretty(&json!({
        "title": "Night trains return to the coast",
        "body": ["Sleeper services resume on Friday after a pause of ten years, the operator said."]
    }))
    .unwrap();
    let (status, answer) =
        push_bytes(&server, "text/plain;charset=UTF-8", article.into_bytes()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{answer}");
    assert!(answer.contains("application/json"), "{answer}");
    let dump = "Ferry timetable changes for winter\n\n\
                Ferry timetable changes for winter\n\n\
                The island ferry will sail twice a day from Monday, the operator said.\n";
    let (status, answer) = push_bytes(&server, "text/plain", dump.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    wait_for(
        &project,
        "feeds/all.json",
        "The island ferry will sail twice a day",
    );
    let feed = std::fs::read_to_string(project.path("feeds/all.json")).unwrap();
    assert!(!feed.contains("Night trains"), "{feed}");
}

/// JSON is UTF-8 whatever its `charset` says: a UTF-8 body under another
/// label is read as UTF-8, a `charset` that names no encoding is refused
/// with `415` as a dump's is, and so is a body in the other encoding it
/// declares, naming it.
#[tokio::test(flavor = "multi_thread")]
async fn a_json_push_is_utf8_whatever_its_charset_says() {
    let project = Project::new(&config("[[feed]]\nname = \"all\"\ntitle = \"All\"\n"));
    let server = Server::start(&project, &[]);
    let post = |content_type, body| push_bytes(&server, content_type, body);
    let article = json!({
        "title": "Café owners object to closure",
        "body": "The café owners on Harbour Street object to the council's plan to close it."
    })
    .to_string();
    let (status, answer) = post(
        "application/json; charset=no-such-encoding",
        article.clone().into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{answer}");
    let (windows_1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&article);
    assert!(!unmappable);
    let (status, answer) = post(
        "application/json; charset=windows-1252",
        windows_1252.into_owned(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{answer}");
    assert!(answer.contains("windows-1252"), "{answer}");
    let (status, answer) = post("application/json; charset=iso-8859-1", article.into_bytes()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    wait_for(&project, "feeds/all.json", "Café owners object to closure");
}

/// A pushed article whose edit makes it one story with a dump's, first
/// seen before it, is merged into that story; `dups` lists the merge under
/// the id and headline the feeds published the pushed article under, not
/// the edit's headline, which no feed carried under that id.
#[tokio::test(flavor = "multi_thread")]
async fn a_merged_push_is_listed_under_the_headline_it_was_published_under() {
    const STORY: &str = "Port of Calder Approves Harbour Expansion";
    const PLACEHOLDER: &str = "Harbour vote tonight";
    let project = Project::new(&config(
        "[[source]]\nname = \"samples\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n",
    ));
    project.write(
        "dumps/a.txt",
        &format!("{STORY}\n\n{}\n", HARBOUR.join("\n\n")),
    );
    let server = Server::start(&project, &[]);
    wait_for(&project, "feeds/all.json", STORY);
    let placeholder = json!({"id": "p1", "title": PLACEHOLDER,
        "body": ["The harbour board meets tonight to vote on the northern expansion; more to follow from our reporter at the quay."]});
    let (status, answer) = push(&server, placeholder).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let published_id = answer["articles"][0]["id"].clone();
    wait_for(&project, "feeds/all.json", PLACEHOLDER);
    let mut longer: Vec<&str> = HARBOUR.to_vec();
    longer.push(MORE);
    let (status, answer) = push(&server, json!({"id": "p1", "title": STORY, "body": longer})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let feed = project.read("feeds/all.json");
    assert!(!feed.contains(PLACEHOLDER), "merged away: {feed}");
    let out = project.feedfold(&["dups", "--json"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    let merge: Value = listed
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|fold| fold["merged"] == true)
        .unwrap_or_else(|| panic!("no merge listed: {listed}"));
    assert_eq!(merge["copy"]["id"], published_id, "{merge:#?}");
    assert_eq!(merge["copy"]["title"], PLACEHOLDER, "{merge:#?}");
}

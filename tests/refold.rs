//! End to end: a stored article whose text changes is weighed against the
//! other stored articles again. One wire story reaches the store three
//! ways: a site's dump gives it under a local headline with an intro of
//! its own, another site's dump gives it with its last paragraph cut, and
//! the wire's feed gives it whole. The two dumps alone are rightly two
//! articles (the longer has paragraphs of its own before and after all it
//! shares); the wire copy arriving an hour later extends the trimmed one,
//! which is then the story under the local intro: the two are merged into
//! the article first seen, its id and date kept, whichever order the
//! copies came in, and `dups` tells of the merge. A merge a push brings
//! about keeps the push API's rule: a pushed text never replaces an
//! upstream feed entry's, and `dups` names the pushed article by the
//! headline the feeds published it under.
//!
//! A story that gains a canonical link is weighed against the stored
//! article filed under it: an aggregator's teaser of the wire's page seen
//! before the newsroom's whole story is merged with it once the wire's
//! entry gives the story the page's link, so the story is one entry in
//! every order; a teaser of another story under that link, seen after
//! the story, stays apart, as it does when it comes after the wire's entry.

mod common;

use std::time::Duration;

use common::server::{Server, client, eventually};
use common::{Project, text};
use serde_json::{Value, json};

/// The config, with `store` (a `[store]` table, or nothing for the
/// SQLite store beside it).
fn config(store: &str) -> String {
    format!("{store}\n{SOURCES}")
}

const SOURCES: &str = r#"
[publish]
dir = "out"
base_url = "https://news.example/"

[[source]]
name = "wire"
feed = "wire.rss"

[[source]]
name = "herald"
text = "herald/*.txt"

[[source]]
name = "gazette"
text = "gazette/*.txt"

[[feed]]
name = "all"
title = "All"

[[feed]]
name = "gazette"
title = "Gazette"
sources = ["gazette"]
"#;

const HEADLINE: &str = "Harbour Board Approves Northern Berth Expansion";
const LOCAL_HEADLINE: &str = "Berth Expansion: What It Means for Calder Fishing Crews";
const INTRO: &str = "Crews who land their catch at the Calder quay, where the waiting list \
    for a mooring runs to eleven boats, will be the first to feel the change.";
const STORY: [&str; 5] = [
    "The board of the Port of Calder voted on Thursday to approve a long-delayed expansion \
     of the northern harbour, ending a dispute with fishing cooperatives.",
    "The cooperatives had argued that the work would close the old slipway for two \
     seasons, but the board agreed to keep it open throughout construction.",
    "The expansion will cost about 48 million pounds, funded by a harbour levy and a \
     loan from the regional development bank.",
    "Construction is expected to begin in the spring and to take three years, with the \
     first berth open to ships before the end of the second summer.",
    "Councillors on the harbour committee had pressed the board for months to settle \
     the dispute before the autumn fishing season.",
];

fn dump(headline: &str, paragraphs: &[&str]) -> String {
    format!(
        "{headline}\n\nFriday, 4 December, 2026 - 06:10\n\n{}\n",
        paragraphs.join("\n\n")
    )
}

fn wire_feed(with_entry: bool) -> String {
    let body: String = STORY
        .iter()
        .map(|p| format!("&lt;p&gt;{p}&lt;/p&gt;"))
        .collect();
    let item = if with_entry {
        format!(
            "<item><title>{HEADLINE}</title><link>https://wire.example/w1</link><guid>w1</guid>\
             <pubDate>Fri, 04 Dec 2026 06:10:00 +0000</pubDate><description>{body}</description></item>"
        )
    } else {
        String::new()
    };
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
         <link>https://wire.example/</link><description>d</description>{item}</channel></rss>"
    )
}

/// A project on `store` holding the two sites' dumps, and the wire's feed
/// with its entry when `wire_first`.
fn project(store: &str, wire_first: bool) -> Project {
    let project = Project::new(&config(store));
    let mut local = vec![INTRO];
    local.extend(STORY);
    project.write("herald/story.txt", &dump(LOCAL_HEADLINE, &local));
    project.write("gazette/story.txt", &dump(HEADLINE, &STORY[..4]));
    project.write("wire.rss", &wire_feed(wire_first));
    project
}

fn run(project: &Project) -> String {
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    stdout
}

fn items(project: &Project, feed: &str) -> Vec<Value> {
    let feed: Value = serde_json::from_str(&project.read(&format!("out/{feed}.json"))).unwrap();
    feed["items"].as_array().unwrap().clone()
}

fn dups(project: &Project) -> Vec<Value> {
    let output = project.feedfold(&["dups", "--json"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn the_wire_copy_first_folds_all_three_into_its_article() {
    let project = project("", true);
    let out = run(&project);
    assert!(out.contains("source wire: 1 entry read, 1 new"), "{out}");
    let all = items(&project, "all");
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["title"], HEADLINE);
    assert_eq!(
        items(&project, "gazette"),
        all,
        "the gazette's copy is the article"
    );
}

#[test]
fn a_trimmed_copy_extended_to_the_whole_story_merges_with_the_local_intro_first_seen() {
    merges_with_the_local_intro_first_seen(None);
}

#[test]
fn the_merge_on_postgresql() {
    if let Some(url) = common::postgres::database("refold_merge") {
        merges_with_the_local_intro_first_seen(Some(&url));
    }
}

/// One of the three copies of the story, each from its own source.
#[derive(Debug, Clone, Copy)]
enum Copy {
    /// The herald's local intro over the whole story.
    LocalIntro,
    /// The wire's whole copy.
    Whole,
    /// The gazette's copy with its last paragraph cut.
    Trimmed,
}

/// Every order the three copies can come in, each on a run of its own.
const ORDERS: [[Copy; 3]; 6] = [
    [Copy::LocalIntro, Copy::Whole, Copy::Trimmed],
    [Copy::LocalIntro, Copy::Trimmed, Copy::Whole],
    [Copy::Whole, Copy::LocalIntro, Copy::Trimmed],
    [Copy::Whole, Copy::Trimmed, Copy::LocalIntro],
    [Copy::Trimmed, Copy::LocalIntro, Copy::Whole],
    [Copy::Trimmed, Copy::Whole, Copy::LocalIntro],
];

/// Puts `copy` where its source reads it.
fn arrive(project: &Project, copy: Copy) {
    match copy {
        Copy::LocalIntro => {
            let mut local = vec![INTRO];
            local.extend(STORY);
            project.write("herald/story.txt", &dump(LOCAL_HEADLINE, &local));
        }
        Copy::Whole => project.write("wire.rss", &wire_feed(true)),
        Copy::Trimmed => project.write("gazette/story.txt", &dump(HEADLINE, &STORY[..4])),
    }
}

/// The stories published once `order`'s copies came on the store `store`
/// (a `[store]` table, or nothing for SQLite), each on a run of its own.
fn published_after(store: &str, order: [Copy; 3]) -> Vec<Value> {
    let project = Project::new(&config(store));
    project.write("wire.rss", &wire_feed(false));
    for copy in order {
        arrive(&project, copy);
        run(&project);
    }
    items(&project, "all")
}

#[test]
fn the_three_copies_arriving_on_runs_of_their_own_are_one_story_in_every_order() {
    for order in ORDERS {
        let all = published_after("", order);
        assert_eq!(all.len(), 1, "{order:?}: {all:#?}");
    }
}

#[test]
fn the_three_copies_are_one_story_in_every_order_on_postgresql() {
    for (i, order) in ORDERS.into_iter().enumerate() {
        let Some(url) = common::postgres::database(&format!("refold_order_{i}")) else {
            return;
        };
        let all = published_after(&store_table(Some(&url)), order);
        assert_eq!(all.len(), 1, "{order:?}: {all:#?}");
    }
}

#[test]
fn another_partners_intro_after_the_whole_story_joined_the_first_is_the_story_too() {
    // The whole story folded under the first intro, or merged into it
    // once it extended the trimmed copy.
    for before in [
        &[Copy::LocalIntro, Copy::Whole][..],
        &[Copy::LocalIntro, Copy::Trimmed, Copy::Whole][..],
    ] {
        let project = Project::new(&config(""));
        project.write("wire.rss", &wire_feed(false));
        for &copy in before {
            arrive(&project, copy);
            run(&project);
        }
        let mut other = vec![
            "Hauliers who drive the port road said on Friday that the work would bring more \
             lorries through the town centre, and asked the council to look again at a bypass.",
        ];
        other.extend(STORY);
        project.write(
            "gazette/other.txt",
            &dump("Hauliers Brace for a Busier Port Road", &other),
        );
        run(&project);
        let all = items(&project, "all");
        assert_eq!(all.len(), 1, "{before:?}: {all:#?}");
        assert_eq!(all[0]["title"], LOCAL_HEADLINE);
    }
}

#[test]
fn the_whole_story_after_a_retitled_trimmed_copy_and_a_local_intro_is_published_as_written() {
    // A partner's trimmed copy under its own headline, then another's local
    // intro over the whole story, then the wire's whole copy: the wire's
    // headline and text are the story, as when the wire's copy comes
    // before the intro.
    for intro_before_whole in [true, false] {
        let project = Project::new(&config(""));
        project.write("wire.rss", &wire_feed(false));
        project.write(
            "gazette/story.txt",
            &dump("Calder Quay Crews Win Their Slipway", &STORY[..4]),
        );
        run(&project);
        let copies = if intro_before_whole {
            [Copy::LocalIntro, Copy::Whole]
        } else {
            [Copy::Whole, Copy::LocalIntro]
        };
        for copy in copies {
            arrive(&project, copy);
            run(&project);
        }
        let all = items(&project, "all");
        assert_eq!(all.len(), 1, "{copies:?}: {all:#?}");
        assert_eq!(all[0]["title"], HEADLINE, "{copies:?}");
        let text = all[0]["content_html"].as_str().unwrap();
        assert!(
            !text.contains(INTRO) && text.contains(STORY[4]),
            "{copies:?}: {text}"
        );
        let folds = dups(&project);
        assert!(
            folds
                .iter()
                .filter(|fold| fold["copy"]["title"] == LOCAL_HEADLINE)
                .all(|fold| fold["replaced"] == Value::Null),
            "the local intro replaces nothing: {folds:#?}"
        );
    }
}

const OTHER_HEADLINE: &str = "Hauliers Brace for a Busier Port Road";
const OTHER_INTRO: &str = "Hauliers who drive the port road said on Friday that the work would \
    bring more lorries through the town centre, and asked the council to look again at a bypass.";

/// One of two partners' local intros over the whole story, or the wire's
/// whole copy, each from its own source.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Intro {
    /// The herald's intro, under its own headline.
    Herald,
    /// The gazette's intro, under a headline of its own too.
    Gazette,
    /// The wire's whole copy.
    Whole,
}

impl Intro {
    /// The headline the copy gives.
    fn headline(self) -> &'static str {
        match self {
            Intro::Herald => LOCAL_HEADLINE,
            Intro::Gazette => OTHER_HEADLINE,
            Intro::Whole => HEADLINE,
        }
    }

    /// Puts the copy where its source reads it.
    fn arrive(self, project: &Project) {
        let under = |intro: &'static str| {
            let mut body = vec![intro];
            body.extend(STORY);
            body
        };
        match self {
            Intro::Herald => arrive(project, Copy::LocalIntro),
            Intro::Gazette => project.write(
                "gazette/other.txt",
                &dump(OTHER_HEADLINE, &under(OTHER_INTRO)),
            ),
            Intro::Whole => arrive(project, Copy::Whole),
        }
    }
}

#[test]
fn two_partners_intros_and_the_whole_story_are_one_story_in_every_order() {
    use Intro::{Gazette, Herald, Whole};
    for order in [
        [Herald, Gazette, Whole],
        [Gazette, Herald, Whole],
        [Herald, Whole, Gazette],
        [Gazette, Whole, Herald],
        [Whole, Herald, Gazette],
        [Whole, Gazette, Herald],
    ] {
        let project = Project::new(&config(""));
        project.write("wire.rss", &wire_feed(false));
        for copy in order {
            copy.arrive(&project);
            run(&project);
        }
        let all = items(&project, "all");
        assert_eq!(all.len(), 1, "{order:?}: {all:#?}");
        // The article first seen stays, under its own headline.
        assert_eq!(all[0]["title"], order[0].headline(), "{order:?}");
        let merged = dups(&project)
            .iter()
            .filter(|fold| fold["merged"] == json!(true))
            .count();
        let both_intros_first = order[2] == Whole;
        assert_eq!(
            merged,
            usize::from(both_intros_first),
            "{order:?}: the intro seen second merges once the whole copy shows the first's"
        );
    }
}

#[test]
fn a_local_intro_the_whole_story_folded_into_keeps_telling_so_in_a_store_copy() {
    let project = Project::new(&config(""));
    project.write("wire.rss", &wire_feed(false));
    arrive(&project, Copy::LocalIntro);
    run(&project);
    arrive(&project, Copy::Whole);
    run(&project);
    let dir = project.dir.path();
    let from = format!("sqlite:{}", project.path("feedfold.db").display());
    let into = format!("sqlite:{}", project.path("copy.db").display());
    let copied = common::feedfold_in(dir, &["store", "copy", &from, &into]);
    assert!(copied.status.success(), "{:?}", text(&copied));
    std::fs::write(
        project.path("copy.toml"),
        config("[store]\npath = \"copy.db\"\n"),
    )
    .unwrap();
    arrive(&project, Copy::Trimmed);
    let output = common::feedfold_in(dir, &["run", "--config", "copy.toml"]);
    assert!(output.status.success(), "{:?}", text(&output));
    let all = items(&project, "all");
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["title"], LOCAL_HEADLINE);
}

/// The `[store]` table of the PostgreSQL database `url`, or nothing for
/// the SQLite store beside the config.
fn store_table(url: Option<&str>) -> String {
    url.map(|url| format!("[store]\nurl = \"{url}\"\n"))
        .unwrap_or_default()
}

/// The store (the PostgreSQL database `url`, else the project's SQLite
/// file) copied by `store copy` into a SQLite file, and from it into a
/// fresh PostgreSQL database when there is a cluster: what `dups --json`
/// lists on each copy.
fn dups_of_copies(project: &Project, url: Option<&str>) -> Vec<Vec<Value>> {
    let dir = project.dir.path();
    let from = match url {
        Some(url) => url.to_string(),
        None => format!("sqlite:{}", project.path("feedfold.db").display()),
    };
    let file = format!("sqlite:{}", project.path("copy.db").display());
    let mut copies = vec![(file.clone(), "[store]\npath = \"copy.db\"\n".to_string())];
    let again = common::postgres::database(if url.is_some() {
        "refold_merge_copy_of_postgresql"
    } else {
        "refold_merge_copy_of_sqlite"
    });
    if let Some(again) = again {
        copies.push((again.clone(), store_table(Some(&again))));
    }
    let mut source = from;
    let mut listed = Vec::new();
    for (into, store) in copies {
        let copied = common::feedfold_in(dir, &["store", "copy", &source, &into]);
        let (stdout, stderr) = text(&copied);
        assert!(
            copied.status.success(),
            "{source} -> {into}: {stdout}{stderr}"
        );
        std::fs::write(project.path("copy.toml"), config(&store)).unwrap();
        let output = common::feedfold_in(dir, &["dups", "--json", "--config", "copy.toml"]);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stderr}");
        listed.push(
            stdout
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect(),
        );
        source = into;
    }
    listed
}

fn merges_with_the_local_intro_first_seen(url: Option<&str>) {
    let project = project(&store_table(url), false);
    let out = run(&project);
    assert!(!out.contains("merged"), "{out}");
    let before = items(&project, "all");
    assert_eq!(
        before.len(),
        2,
        "kept apart when compared alone: {before:#?}"
    );
    let herald = before
        .iter()
        .find(|i| i["title"] == LOCAL_HEADLINE)
        .expect("the herald's article")
        .clone();
    let gazette = before
        .iter()
        .find(|i| i["title"] == HEADLINE)
        .expect("the gazette's article")
        .clone();

    // The wire's own copy, an hour later, extends the gazette's.
    project.write("wire.rss", &wire_feed(true));
    let out = run(&project);
    assert!(
        out.contains("1 updated, 1 stored article merged into another"),
        "{out}"
    );
    let after = items(&project, "all");
    assert_eq!(after.len(), 1, "one story, one article: {after:#?}");
    let merged = &after[0];
    // The herald's dump was folded first: its article was first seen
    // earliest, and keeps its id, its date and (the wire text does not
    // extend a text with an intro of its own) its text.
    assert_eq!(merged["id"], herald["id"]);
    assert_eq!(merged["date_published"], herald["date_published"]);
    assert_eq!(merged["date_published"], "2026-12-04T06:10:00Z");
    assert_eq!(merged["title"], LOCAL_HEADLINE);
    assert_eq!(
        merged["url"], "https://wire.example/w1",
        "the herald's dump gave no link: the wire entry's fills it in, as its fold would have"
    );
    assert!(
        merged["content_html"]
            .as_str()
            .is_some_and(|t| t.contains(INTRO) && t.contains(STORY[4])),
        "{merged:#?}"
    );
    // The gazette's feed carries the story by the sighting that moved.
    assert_eq!(items(&project, "gazette"), after);

    let folds = dups(&project);
    let merge = folds
        .iter()
        .find(|f| f["copy"]["id"] == gazette["id"])
        .unwrap_or_else(|| panic!("the merge is listed: {folds:#?}"));
    assert_eq!(merge["into"]["id"], herald["id"]);
    assert_eq!(merge["copy"]["source"], "gazette");
    assert_eq!(merge["copy"]["title"], HEADLINE);
    assert!(merge["rule"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(merge["replaced"], Value::Null, "the herald kept its text");
    assert_eq!(merge["merged"], true, "told from a copy folded as it came");
    assert!(
        folds
            .iter()
            .filter(|f| f["copy"]["id"] != gazette["id"])
            .all(|f| f["merged"] == false),
        "{folds:#?}"
    );
    let output = project.feedfold(&["dups"]);
    let (listed, _) = text(&output);
    assert!(
        listed.contains(&format!(
            "; a merge: the copy was a stored article, published under its id until then, \
             and left the feeds\n  merged  \"{HEADLINE}\" {} first seen in gazette: ",
            gazette["id"].as_str().unwrap()
        )),
        "{listed}"
    );
    assert!(
        listed.ends_with(&format!(
            "{} copies folded into 1 article, 1 of them a stored article merged\n",
            folds.len()
        )),
        "{listed}"
    );
    for copied in dups_of_copies(&project, url) {
        assert_eq!(copied, folds, "a copy of the store tells the merge too");
    }
    assert!(
        folds.iter().all(|f| f["into"]["id"] == herald["id"]),
        "the wire copy's fold moved with the article it was folded into: {folds:#?}"
    );
    let wire = folds
        .iter()
        .find(|f| f["copy"]["source"] == "wire")
        .unwrap_or_else(|| panic!("the wire copy's fold: {folds:#?}"));
    assert_eq!(
        wire["replaced"],
        Value::Null,
        "the wire text replaced the gazette's, never the herald's: {wire:#?}"
    );
    assert!(!listed.contains("replaced the stored text"), "{listed}");

    // Running again changes nothing: each copy finds the merged article by
    // its exact keys (the gazette's text by the content key that moved).
    let out = run(&project);
    assert!(
        out.contains("source wire: 1 entry read, 0 new, 1 already known"),
        "{out}"
    );
    assert!(out.contains("source gazette: 1 file, 1 article read, 0 repeated lines folded, 0 new, 1 already known"), "{out}");
    assert!(!out.contains("merged"), "{out}");
    assert_eq!(items(&project, "all"), after);
    assert_eq!(dups(&project).len(), folds.len());
}

const TOKEN: &str = "refold-push-token";

/// The config of a server on `store` whose push API is open, beside the
/// wire's feed.
fn push_config(store: &str) -> String {
    format!(
        "{store}\n[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n\
         [server]\nbind = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\n\n[schedule]\ninterval = \"1h\"\n\n\
         [[source]]\nname = \"wire\"\nfeed = \"wire.rss\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"
    )
}

/// Pushes `body`; the answer's status and JSON.
async fn push(server: &Server, body: Value) -> (u16, Value) {
    let response = client()
        .post(server.url("/api/articles"))
        .bearer_auth(TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[test]
fn a_pushed_text_never_replaces_an_upstream_entrys_in_a_merge() {
    merge_keeps_the_upstream_text("");
}

#[test]
fn a_pushed_text_never_replaces_an_upstream_entrys_in_a_merge_on_postgresql() {
    if let Some(url) = common::postgres::database("refold_push_merge") {
        merge_keeps_the_upstream_text(&format!("[store]\nurl = \"{url}\"\n"));
    }
}

/// The wire's trimmed entry is stored first; a push of the local intro
/// over the whole story is kept apart from it; the same pushed article
/// then edited to the wire's whole text is one story with the entry, and
/// the two merge into the entry (first seen): a fold of that text into
/// the entry would only be a sighting, and so is the merge's.
fn merge_keeps_the_upstream_text(store: &str) {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(pushes_keep_the_upstream_text(store));
}

async fn pushes_keep_the_upstream_text(store: &str) {
    let project = Project::new(&push_config(store));
    let trimmed: String = STORY[..4]
        .iter()
        .map(|p| format!("&lt;p&gt;{p}&lt;/p&gt;"))
        .collect();
    project.write(
        "wire.rss",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
             <link>https://wire.example/</link><description>d</description>\
             <item><title>{HEADLINE}</title><link>https://wire.example/w1</link><guid>w1</guid>\
             <pubDate>Fri, 04 Dec 2026 06:10:00 +0000</pubDate><description>{trimmed}</description></item>\
             </channel></rss>"
        ),
    );
    let server = Server::start(&project, &[]);
    assert!(
        eventually(Duration::from_secs(20), || {
            std::fs::read_to_string(project.path("out/all.json"))
                .is_ok_and(|f| f.contains(HEADLINE))
        }),
        "the wire's entry was never published"
    );
    let entry = items(&project, "all")[0]["id"].clone();

    let mut local = vec![INTRO];
    local.extend(STORY);
    let pushed = |title: &str, body: &[&str]| {
        json!({"id": "desk-7", "title": title, "body": body,
               "published": "2026-12-04T06:40:00Z"})
    };
    let (status, answer) = push(&server, pushed(LOCAL_HEADLINE, &local)).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["articles"][0]["status"], "new", "{answer}");
    assert_eq!(items(&project, "all").len(), 2, "kept apart");

    // Edited to the wire's whole text: an extension of the entry's.
    let (status, answer) = push(&server, pushed(HEADLINE, &STORY)).await;
    assert_eq!(status, 200, "{answer}");
    // The pushed text is stored nowhere: a repeat of the entry, as a fold
    // of it into the entry would be answered.
    assert_eq!(answer["articles"][0]["status"], "repeat", "{answer}");
    assert_eq!(answer["articles"][0]["id"], entry, "{answer}");
    assert_eq!(answer["articles"][0]["repeat_of"], entry, "{answer}");
    let all = items(&project, "all");
    assert_eq!(all.len(), 1, "merged: {all:#?}");
    assert_eq!(all[0]["id"], entry, "the entry was first seen");
    let text = all[0]["content_html"].as_str().unwrap_or_default();
    assert!(
        text.contains(STORY[3]) && !text.contains(STORY[4]),
        "the entry keeps its own text: {text}"
    );
    let folds = dups(&project);
    let merge = folds
        .iter()
        .find(|f| f["into"]["id"] == entry)
        .unwrap_or_else(|| panic!("the merge is listed: {folds:#?}"));
    assert_eq!(merge["replaced"], Value::Null, "{merge:#?}");
    // Listed under the headline the feeds published the pushed article
    // under, not the edit's, which no feed carried under its id.
    assert_eq!(merge["merged"], true, "{merge:#?}");
    assert_eq!(merge["copy"]["title"], LOCAL_HEADLINE, "{merge:#?}");
}

/// Sources of a teaser of a page, the newsroom's whole story and the
/// wire's entry of it.
const LINKED_SOURCES: &str = r#"
[publish]
dir = "out"

[[source]]
name = "desk"
text = "desk/*.txt"

[[source]]
name = "wire"
feed = "wire.rss"

[[source]]
name = "agg"
feed = "agg.atom"

[[feed]]
name = "all"
title = "All"
"#;

const FERRY_PAGE: &str = "https://wire.example/2026/12/05/ferry";
const FERRY_HEADLINE: &str = "Ferry Capsizes Off Calder Point, Two Still Missing";
const FERRY: [&str; 5] = [
    "A passenger ferry capsized off Calder Point early on Saturday, and rescue crews pulled \
     14 people from the water, the coastguard said.",
    "The vessel was on its first crossing of the day from Calder to Westport when it \
     overturned in heavy swell about a mile from the harbour mouth.",
    "A coastguard spokesman said two lifeboats and a helicopter were searching the area for \
     anyone else who may have been aboard.",
    "The operator said 19 passengers and four crew had been listed on the manifest for the \
     sailing.",
    "By early afternoon the coastguard said two passengers were still unaccounted for, and \
     the search would continue through the night.",
];

/// One of the copies a page's story reaches the store as.
#[derive(Debug, Clone, Copy)]
enum Linked {
    /// The aggregator's teaser: the first paragraph under a shorter
    /// headline, linking to the page with a tracking parameter.
    Teaser,
    /// The newsroom's dump of the whole story, with no link.
    Story,
    /// The wire's entry: the same headline and text, linking to the page.
    Wire,
}

/// The aggregator's Atom feed, with an entry of `headline` over
/// `summary` linking to the wire's page.
fn agg_feed(entry: Option<(&str, &str)>) -> String {
    let entry = entry.map_or_else(String::new, |(headline, summary)| {
        format!(
            "<entry><title>{headline}</title><id>urn:agg:1</id>\
             <link href=\"{FERRY_PAGE}?utm_source=agg\"/>\
             <published>2026-12-05T15:30:00Z</published><updated>2026-12-05T15:30:00Z</updated>\
             <summary>{summary}</summary></entry>"
        )
    });
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Agg</title><id>urn:agg</id>\
         <updated>2026-12-05T12:00:00Z</updated><author><name>Agg</name></author>{entry}</feed>"
    )
}

/// The wire's RSS feed, with its entry of the whole story when `with_entry`.
fn ferry_wire(with_entry: bool) -> String {
    let body: String = FERRY
        .iter()
        .map(|p| format!("&lt;p&gt;{p}&lt;/p&gt;"))
        .collect();
    let item = if with_entry {
        format!(
            "<item><title>{FERRY_HEADLINE}</title><link>{FERRY_PAGE}</link><guid>wire-ferry-1</guid>\
             <pubDate>Sat, 05 Dec 2026 12:45:00 GMT</pubDate><description>{body}</description></item>"
        )
    } else {
        String::new()
    };
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
         <link>https://wire.example/</link><description>d</description>{item}</channel></rss>"
    )
}

/// A project reading the three sources on `store` (a `[store]` table,
/// or nothing for SQLite), none of the copies there yet.
fn linked_project(store: &str) -> Project {
    let project = Project::new(&format!("{store}\n{LINKED_SOURCES}"));
    project.write("agg.atom", &agg_feed(None));
    project.write("wire.rss", &ferry_wire(false));
    project
}

/// Puts `copy` where its source reads it, the teaser being `teaser`
/// (headline and summary); the output of the run that reads it.
fn arrive_linked(project: &Project, copy: Linked, teaser: (&str, &str)) -> String {
    match copy {
        Linked::Teaser => project.write("agg.atom", &agg_feed(Some(teaser))),
        Linked::Story => project.write("desk/ferry.txt", &dump(FERRY_HEADLINE, &FERRY)),
        Linked::Wire => project.write("wire.rss", &ferry_wire(true)),
    }
    run(project)
}

/// The orders the teaser, the story and the wire's entry come in, each on
/// a run of its own: the teaser before the wire's entry or after it, and
/// before or after the story that has no link of its own.
const LINKED_ORDERS: [[Linked; 3]; 4] = [
    [Linked::Story, Linked::Wire, Linked::Teaser],
    [Linked::Wire, Linked::Teaser, Linked::Story],
    [Linked::Teaser, Linked::Story, Linked::Wire],
    [Linked::Story, Linked::Teaser, Linked::Wire],
];

#[test]
fn a_teaser_of_the_page_is_one_entry_with_the_story_in_every_order() {
    for order in LINKED_ORDERS {
        one_entry_after(&linked_project(""), order);
    }
}

#[test]
fn a_teaser_of_the_page_is_one_entry_with_the_story_in_every_order_on_postgresql() {
    for (i, order) in LINKED_ORDERS.into_iter().enumerate() {
        let Some(url) = common::postgres::database(&format!("refold_linked_{i}")) else {
            return;
        };
        one_entry_after(&linked_project(&store_table(Some(&url))), order);
    }
}

/// Checks that `project` publishes the story once after the copies of
/// `order` came, merged when the wire's entry gave the story the teaser's
/// link, and that reading them again changes nothing.
fn one_entry_after(project: &Project, order: [Linked; 3]) {
    let teaser = ("Ferry capsizes off Calder Point", FERRY[0]);
    let outputs: Vec<String> = order
        .iter()
        .map(|&copy| arrive_linked(project, copy, teaser))
        .collect();
    let all = items(project, "all");
    assert_eq!(all.len(), 1, "{order:?}: {all:#?}");
    assert_eq!(all[0]["title"], FERRY_HEADLINE, "{order:?}");
    assert_eq!(all[0]["url"], FERRY_PAGE, "{order:?}");
    let text = all[0]["content_html"].as_str().unwrap_or_default();
    assert!(
        text.contains(FERRY[4]),
        "{order:?}: the whole story: {text}"
    );
    if matches!(order[0], Linked::Teaser | Linked::Story) && matches!(order[2], Linked::Wire) {
        // The wire's entry gave the story the teaser's link.
        let last = outputs.last().unwrap();
        assert!(
            last.contains("1 stored article merged into another"),
            "{order:?}: {last}"
        );
        let folds = dups(project);
        let merge = folds
            .iter()
            .find(|f| f["merged"] == true)
            .unwrap_or_else(|| panic!("{order:?}: the merge is listed: {folds:#?}"));
        assert_eq!(merge["rule"], "same-link", "{merge:#?}");
        assert_eq!(merge["into"]["id"], all[0]["id"], "{merge:#?}");
    }
    // Read again, nothing changes.
    let again = run(project);
    assert!(!again.contains("merged"), "{order:?}: {again}");
    assert_eq!(items(project, "all").len(), 1, "{order:?}");
}

#[test]
fn a_teaser_of_another_story_under_the_pages_link_stays_apart() {
    let other = (
        "Harbour wall repairs to begin in spring",
        "Repairs to the harbour wall at Calder will begin in the spring, the council said \
         on Thursday, after two winter storms left a breach in it.",
    );
    // The story first seen, the teaser neither matches its headline nor
    // shares its text: as when it comes after the story gained the link.
    for order in [
        [Linked::Story, Linked::Teaser, Linked::Wire],
        [Linked::Story, Linked::Wire, Linked::Teaser],
    ] {
        let project = linked_project("");
        for copy in order {
            arrive_linked(&project, copy, other);
        }
        let all = items(&project, "all");
        assert_eq!(all.len(), 2, "{order:?}: {all:#?}");
        assert!(dups(&project).iter().all(|f| f["merged"] != true));
    }
}

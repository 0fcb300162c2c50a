//! `feedfold sources rename`, end to end: a feed source read under one
//! name, renamed in the config and then in the store, is read under its new
//! name as if it had always had it: fetched conditionally with the
//! validators kept under the old name, every unchanged entry known, an
//! edited one updating its article in place, nothing new and nothing
//! doubled. The upstream is served from 127.0.0.1 by the test, with an
//! `ETag`, and counts the requests it was asked conditionally and answered
//! `304`.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use common::{Project, json_feed_ids, text};

/// The feed the upstream serves, and what it saw.
#[derive(Default)]
struct Upstream {
    /// The document and its `ETag`.
    document: Mutex<(String, String)>,
    requests: AtomicUsize,
    /// Requests that carried the `ETag` served before (`If-None-Match`).
    conditional: AtomicUsize,
    not_modified: AtomicUsize,
}

impl Upstream {
    fn serve(&self, document: String, etag: &str) {
        *self.document.lock().unwrap() = (document, format!("\"{etag}\""));
    }

    /// (requests, conditional, answered 304).
    fn seen(&self) -> (usize, usize, usize) {
        (
            self.requests.load(Ordering::SeqCst),
            self.conditional.load(Ordering::SeqCst),
            self.not_modified.load(Ordering::SeqCst),
        )
    }

    fn answer(&self, request: &HeaderMap) -> Response {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let (document, etag) = self.document.lock().unwrap().clone();
        if let Some(asked) = request.get(header::IF_NONE_MATCH) {
            self.conditional.fetch_add(1, Ordering::SeqCst);
            if asked.to_str().unwrap_or_default() == etag {
                self.not_modified.fetch_add(1, Ordering::SeqCst);
                return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
            }
        }
        (
            [
                (header::CONTENT_TYPE, "application/rss+xml".to_string()),
                (header::ETAG, etag),
            ],
            document,
        )
            .into_response()
    }
}

fn start(upstream: Arc<Upstream>) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let app = Router::new().route(
                "/news.rss",
                get(move |headers: HeaderMap| async move { upstream.answer(&headers) }),
            );
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// An RSS document of three stories, the second with `second` as its text
/// (credited to its author but when `second` is the edit).
fn rss(second: &str) -> String {
    let item = |n: u32, text: &str| {
        let author = if text.contains("bell") {
            ""
        } else {
            "<author>desk@wire.example (Ann Reporter)</author>"
        };
        format!(
            "<item><guid>https://wire.example/story/{n}</guid>\
             <link>https://wire.example/story/{n}</link>\
             <title>Story number {n} of the wire</title>{author}\
             <description>{text}</description>\
             <pubDate>Mon, 0{n} Mar 2026 09:00:00 GMT</pubDate></item>"
        )
    };
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
         <link>https://wire.example/</link>{}{}{}</channel></rss>",
        item(
            1,
            "The harbour board approved the new ferry timetable on Monday."
        ),
        item(2, second),
        item(
            3,
            "Council members debated the library budget late into the night."
        ),
    )
}

fn config(upstream: SocketAddr, name: &str) -> String {
    format!(
        r#"
[store]
path = "feedfold.db"

[publish]
dir = "feeds"
base_url = "http://feeds.example"

[[source]]
name = "{name}"
feed = "http://{upstream}/news.rss"

[[feed]]
name = "all"
title = "Everything"

[[feed]]
name = "wire"
title = "The wire alone"
sources = ["{name}"]
"#
    )
}

fn items(project: &Project, feed: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value =
        serde_json::from_str(&project.read(&format!("feeds/{feed}.json"))).unwrap();
    json["items"].as_array().unwrap().clone()
}

fn item(items: &[serde_json::Value], n: u32) -> &serde_json::Value {
    let url = format!("https://wire.example/story/{n}");
    items
        .iter()
        .find(|i| i["url"] == url.as_str())
        .unwrap_or_else(|| panic!("story {n} in {items:?}"))
}

#[test]
fn a_renamed_feed_source_keeps_its_entries_validators_and_history() {
    let upstream = Arc::new(Upstream::default());
    upstream.serve(
        rss("Divers found the wreck of the old ferry near the pier."),
        "v1",
    );
    let address = start(upstream.clone());
    let project = Project::new(&config(address, "wire"));

    let first = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&first);
    assert!(first.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("source wire: 3 entries read, 3 new, 0 already known"),
        "{stdout}"
    );
    let before = items(&project, "all");
    let ids = json_feed_ids(&project.read("feeds/all.json"));
    assert_eq!(ids.len(), 3);
    assert_eq!(upstream.seen(), (1, 0, 0));

    // The operator renames the source in the config, then in the store.
    project.write("config.toml", &config(address, "reuters"));
    let renamed = project.feedfold(&["sources", "rename", "wire", "reuters"]);
    let (stdout, stderr) = text(&renamed);
    assert!(renamed.status.success(), "{stdout}{stderr}");
    assert_eq!(
        stdout.trim(),
        "source wire is now reuters: carried over 3 entries, 1 place, the fetch state, \
         1 cycle; its entries keep their ids, and the next run reads it as reuters"
    );

    // `sources` shows the new name with the old one's fetch state.
    let listed = project.feedfold(&["sources"]);
    let (stdout, _) = text(&listed);
    assert!(
        stdout.starts_with("source reuters (feed): "),
        "only the new name: {stdout}"
    );
    assert!(stdout.contains("last result:  ok"), "{stdout}");
    assert!(!stdout.contains("wire:") && !stdout.contains("source wire"));

    // Unchanged, the feed is asked for with the validators kept under the
    // old name, and answered 304.
    let second = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&second);
    assert!(second.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("source reuters: not modified since the last fetch"),
        "{stdout}"
    );
    assert_eq!(
        upstream.seen(),
        (2, 1, 1),
        "asked conditionally, answered 304"
    );

    // One entry edited upstream: asked conditionally, served whole.
    upstream.serve(
        rss("Divers found the wreck of the old ferry near the pier, and raised its bell."),
        "v2",
    );
    let third = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&third);
    assert!(third.status.success(), "{stdout}{stderr}");
    assert_eq!(upstream.seen(), (3, 2, 1), "asked with the old ETag");
    assert!(
        stdout.contains("source reuters: 3 entries read, 0 new, 2 already known, 1 updated"),
        "{stdout}"
    );
    // The edit updated its article in place: the same ids, nothing doubled,
    // nothing folded as a copy; published kept, updated moved.
    assert_eq!(json_feed_ids(&project.read("feeds/all.json")), ids);
    let after = items(&project, "all");
    let (edited, was) = (item(&after, 2), item(&before, 2));
    assert_eq!(edited["id"], was["id"]);
    assert!(edited.to_string().contains("raised its bell"), "{edited}");
    // The entry's own article takes the entry as it is now: the author it
    // no longer gives goes (a copy of another story would have left it).
    assert!(was.to_string().contains("Ann Reporter"), "{was}");
    assert!(!edited.to_string().contains("Ann Reporter"), "{edited}");
    assert_eq!(edited["date_published"], was["date_published"]);
    assert_ne!(edited["date_modified"], was["date_modified"], "{edited}");
    for n in [1, 3] {
        assert_eq!(item(&after, n), item(&before, n), "story {n} unchanged");
    }
    common::assert_nothing_folded(&project);
    // The feed that lists the source by its new name carries every story,
    // those sighted under the old name included.
    let mut shown = json_feed_ids(&project.read("feeds/wire.json"));
    shown.sort();
    let mut all = ids.clone();
    all.sort();
    assert_eq!(shown, all);
}

#[test]
fn a_rename_that_does_not_fit_the_config_or_the_store_is_refused() {
    let upstream = Arc::new(Upstream::default());
    upstream.serve(rss("A story about the harbour."), "v1");
    let address = start(upstream.clone());
    let project = Project::new(&config(address, "wire"));
    assert!(project.feedfold(&["run"]).status.success());

    let refused = |args: &[&str], says: &str| {
        let output = project.feedfold(args);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
    };
    // Before the config is edited.
    refused(
        &["sources", "rename", "wire", "reuters"],
        "source \"wire\" is still in",
    );
    project.write("config.toml", &config(address, "reuters"));
    refused(
        &["sources", "rename", "wire", "reuter"],
        "no source named \"reuter\"",
    );
    refused(
        &["sources", "rename", "wire", "api"],
        "\"api\" is a name pushes are stored under",
    );
    refused(
        &["sources", "rename", "wirre", "reuters"],
        "the store holds nothing under source \"wirre\"",
    );
    assert!(
        project
            .feedfold(&["sources", "rename", "wire", "reuters"])
            .status
            .success()
    );
    refused(
        &["sources", "rename", "wire", "reuters"],
        "source \"wire\" was renamed to \"reuters\" already",
    );

    // A run that read a config still naming the source by its old name
    // writes nothing under it.
    project.write("stale.toml", &config(address, "wire"));
    let stale = common::feedfold_in(project.dir.path(), &["run", "--config", "stale.toml"]);
    let (stdout, stderr) = text(&stale);
    assert_eq!(stale.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("source \"wire\" was renamed to \"reuters\""),
        "{stderr}"
    );
    // Running again reads the same config: only changing it helps.
    assert!(
        stderr.contains("in the config, name the renamed source \"reuters\""),
        "{stderr}"
    );
    assert!(!stderr.contains("run again"), "{stderr}");
    // Nothing was kept under the old name: renaming the source back is
    // as good as the first rename.
    project.write("config.toml", &config(address, "wire"));
    let back = project.feedfold(&["sources", "rename", "reuters", "wire"]);
    let (stdout, stderr) = text(&back);
    assert!(back.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("carried over 3 entries, 1 place, the fetch state, 1 cycle"),
        "{stdout}"
    );
}

#[test]
fn a_rename_is_refused_once_a_run_read_the_source_under_its_new_name() {
    let upstream = Arc::new(Upstream::default());
    upstream.serve(rss("A story about the harbour."), "v1");
    let address = start(upstream.clone());
    let project = Project::new(&config(address, "wire"));
    assert!(project.feedfold(&["run"]).status.success());
    project.write("config.toml", &config(address, "reuters"));
    assert!(project.feedfold(&["run"]).status.success());
    let late = project.feedfold(&["sources", "rename", "wire", "reuters"]);
    let (stdout, stderr) = text(&late);
    assert_eq!(late.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("the store holds 3 entries, 1 place, the fetch state, 1 cycle under source \"reuters\" already"),
        "{stderr}"
    );
}

/// A config of a feed source read from a local file and a text source,
/// named `feed` and `text`, with the store at `store`.
fn local_config(store: &str, feed: &str, text: &str) -> String {
    format!(
        "[store]\npath = \"{store}\"\n\n[publish]\ndir = \"feeds-{store}\"\n\n\
         [[source]]\nname = \"{feed}\"\nfeed = \"wire.xml\"\n\n\
         [[source]]\nname = \"{text}\"\ntext = \"dumps/*.txt\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n"
    )
}

#[test]
fn an_earlier_store_copy_is_brought_up_to_date_after_a_rename() {
    let project = Project::new(&local_config("feedfold.db", "wire", "bulk"));
    project.write(
        "wire.xml",
        &rss("Divers found the old wreck off the point."),
    );
    project.write(
        "dumps/a.txt",
        "Harbour Lighthouse Repairs Begin\n\nRepairs to the harbour lighthouse began on Monday after storms damaged its lamp room.\n",
    );
    let succeeds = |args: &[&str]| {
        let output = project.feedfold(args);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{args:?}: {stdout}{stderr}");
        stdout
    };
    let copy = ["store", "copy", "sqlite:feedfold.db", "sqlite:backup.db"];
    succeeds(&["run"]);
    let earlier = common::feedfold_in(project.dir.path(), &copy);
    assert!(earlier.status.success(), "{:?}", text(&earlier));

    project.write(
        "config.toml",
        &local_config("feedfold.db", "reuters", "desk"),
    );
    succeeds(&["sources", "rename", "wire", "reuters"]);
    succeeds(&["sources", "rename", "bulk", "desk"]);
    project.write(
        "dumps/b.txt",
        "Museum Reopens After Long Repairs\n\nThe town museum reopened on Saturday after two years of repairs to its roof.\n",
    );
    succeeds(&["run"]);

    // Copying again takes the renames and what was stored since.
    let again = common::feedfold_in(project.dir.path(), &copy);
    let (stdout, stderr) = text(&again);
    assert!(again.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("verified"), "{stdout}");

    // The copy reads both sources under their new names as known.
    project.write("backup.toml", &local_config("backup.db", "reuters", "desk"));
    let run = common::feedfold_in(project.dir.path(), &["run", "--config", "backup.toml"]);
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("source reuters: 3 entries read, 0 new, 3 already known"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "source desk: 2 files, 2 articles read, 0 repeated lines folded, 0 new, 2 already known"
        ),
        "{stdout}"
    );
}

#[test]
fn an_imported_subscription_is_not_named_after_a_source_renamed_away() {
    let project = Project::new(&local_config("feedfold.db", "wire", "bulk"));
    project.write(
        "wire.xml",
        &rss("Divers found the old wreck off the point."),
    );
    project.write("other.xml", &rss("The museum reopened after long repairs."));
    assert!(project.feedfold(&["run"]).status.success());
    project.write(
        "config.toml",
        &local_config("feedfold.db", "reuters", "bulk"),
    );
    assert!(
        project
            .feedfold(&["sources", "rename", "wire", "reuters"])
            .status
            .success()
    );
    project.write(
        "subs.opml",
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>s</title></head><body>\
         <outline text=\"wire\" type=\"rss\" xmlUrl=\"https://other.example/rss.xml\"/>\
         </body></opml>",
    );
    let opml = project.path("subs.opml");
    let import = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    let (stdout, stderr) = text(&import);
    assert!(import.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("added source wire-2: https://other.example/rss.xml"),
        "{stdout}"
    );
    // The source it added is read like any other (from a local copy here).
    let config = project
        .read("config.toml")
        .replace("https://other.example/rss.xml", "other.xml");
    project.write("config.toml", &config);
    let run = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("source wire-2:"), "{stdout}");
}

//! End to end: upgrading feedfold over a store an earlier feedfold wrote.
//! A conversion is refused while another process keeps the store open
//! (an older `serve`), and made once it is closed; a `serve` whose store a
//! newer feedfold converted under it writes nothing more; an article an
//! earlier feedfold stored without a date is still taken for undated, so
//! a dated copy of it folds into it. An earlier feedfold's store is made
//! from this one's, its schema version and records set back as that one
//! left them.

mod common;

use common::server::{Server, client};
use common::{Project, text};
use reqwest::StatusCode;
use reqwest::header;
use serde_json::{Value, json};

const TOKEN: &str = "upgrade-token-3b7e";

/// A config with a dump source, a feed and the push API on.
fn config() -> String {
    format!(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         [server]\nbind = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\n\n[schedule]\ninterval = \"1h\"\n\n\
         [[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"news\"\ntitle = \"News\"\n"
    )
}

/// The schema version of the project's store.
fn schema_version(project: &Project) -> i64 {
    rusqlite::Connection::open(project.path("feedfold.db"))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Sets the schema version of the project's store to `version`.
fn set_schema_version(project: &Project, version: i64) {
    rusqlite::Connection::open(project.path("feedfold.db"))
        .unwrap()
        .pragma_update(None, "user_version", version)
        .unwrap();
}

const HARBOUR: &str = "Harbour Board Approves Northern Quay\n\n\
The harbour board voted on Monday to approve the expansion of the northern quay, ending a dispute that had run for three years.\n\n\
Fishing crews had opposed the plan until the board agreed to keep two berths for their boats through the winter months.\n\n\
Work on the quay begins in the spring and is due to finish before the summer ferry timetable starts.\n";

#[test]
fn a_conversion_waits_for_no_process_but_is_refused_while_another_keeps_the_store_open() {
    let project = Project::new(&config());
    project.write("dumps/a.txt", HARBOUR);
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
    let current = schema_version(&project);
    // The store as the feedfold before the last migration left it, held
    // open by that feedfold's server.
    set_schema_version(&project, current - 1);
    let older = rusqlite::Connection::open(project.path("feedfold.db")).unwrap();
    let articles: i64 = older
        .query_row("SELECT count(*) FROM article", [], |r| r.get(0))
        .unwrap();
    assert_eq!(articles, 1);
    let output = project.feedfold(&["run", "--quiet"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("feedfold.db: the store has schema version")
            && stderr.contains("another process has it open")
            && stderr.contains("stop the other feedfold first"),
        "{stderr}"
    );
    assert_eq!(schema_version(&project), current - 1, "nothing converted");
    // Closed, the store is the next feedfold's to convert; the migration
    // is not run again here, only its version put back.
    drop(older);
    set_schema_version(&project, current);
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
}

/// Pushes one article; the answer's status and JSON.
async fn push(server: &Server, title: &str) -> (StatusCode, Value) {
    let response = client()
        .post(server.url("/api/articles"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .json(
            &json!({"title": title, "link": format!("https://agg.example/{}", title.len()),
            "body": "Sleeper services resume on Friday across the northern line after two years."}),
        )
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_whose_store_a_newer_feedfold_converted_writes_no_more() {
    let project = Project::new(&config());
    project.write("dumps/a.txt", HARBOUR);
    let server = Server::start(&project, &[]);
    let (status, answer) = push(&server, "Night Trains Return").await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let current = schema_version(&project);
    set_schema_version(&project, current + 1);
    let (status, answer) = push(&server, "Night Trains Return Early").await;
    assert!(status.is_server_error(), "{status} {answer}");
    assert!(
        answer
            .to_string()
            .contains("a newer feedfold converted the store"),
        "{answer}"
    );
    let articles: i64 = rusqlite::Connection::open(project.path("feedfold.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM article", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        articles, 2,
        "the dump's and the first push's, nothing after"
    );
}

/// A project whose store is the SQL `fixture` in `tests/fixtures/upgrade`,
/// as an earlier feedfold left it.
fn project_with_store(config: &str, fixture: &str) -> Project {
    let project = Project::new(config);
    let sql = std::fs::read_to_string(common::fixtures().join("upgrade").join(fixture)).unwrap();
    rusqlite::Connection::open(project.path("feedfold.db"))
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
    project
}

#[test]
fn an_article_an_earlier_feedfold_stored_undated_takes_a_dated_copy_in() {
    // The earlier feedfold stored HARBOUR, undated, dating it when it
    // first saw it; its prints' record did not tell it was undated.
    let project = project_with_store(&config(), "undated-schema13.sql");
    project.write("dumps/a.txt", HARBOUR);
    // A copy that gives a date two years before, its last paragraph cut.
    let dated = HARBOUR.replacen("\n\n", "\n\n14 March 2024\n\n", 1);
    let cut = &dated[..dated.rfind("Work on the quay").unwrap()];
    project.write("dumps/b.txt", cut);
    let output = common::feedfold_in(&project.path(""), &["run", "--config", "config.toml"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("0 new, 2 already known"), "{stdout}");
    let feed = project.read("feeds/news.json");
    assert_eq!(common::json_feed_ids(&feed).len(), 1, "{stdout}{feed}");
}

/// The titles of the project's `feeds/all.json`, sorted.
fn titles(project: &Project) -> Vec<String> {
    let feed: Value = serde_json::from_str(&project.read("feeds/all.json")).unwrap();
    let mut titles: Vec<String> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn entries_an_earlier_feedfold_merged_are_each_published_and_edited_after_the_upgrade() {
    // The earlier feedfold merged the live page's second post into the
    // first (it told posts by their link without the fragment), and the
    // two entries sharing a link and no id into one article.
    let config = "[store]\npath = \"feedfold.db\"\n\n[[source]]\nname = \"harbour\"\nfeed = \"upstream/live.rss\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n";
    let project = project_with_store(config, "merged-entries-schema13.sql");
    let live = std::fs::read_to_string(common::fixtures().join("upgrade/live.rss")).unwrap();
    project.write("upstream/live.rss", &live);
    let run = || {
        let output = common::feedfold_in(&project.path(""), &["run", "--config", "config.toml"]);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}{stderr}");
        stdout
    };
    let stdout = run();
    assert!(
        stdout.contains("4 entries read, 2 new, 2 already known"),
        "{stdout}"
    );
    let all = [
        "Count begins at the harbour hall",
        "Ferry timetable for the winter",
        "First ward declares",
        "School on the hill opens its doors",
    ];
    assert_eq!(titles(&project), all);
    // Nothing is stored twice, and an edit of the second post updates it.
    let stdout = run();
    assert!(stdout.contains("0 new, 4 already known"), "{stdout}");
    project.write(
        "upstream/live.rss",
        &live.replace(
            "quay referendum.",
            "quay referendum. Update: the south ward follows within the hour.",
        ),
    );
    let stdout = run();
    assert!(
        stdout.contains("0 new, 3 already known, 1 updated"),
        "{stdout}"
    );
    assert_eq!(titles(&project), all);
    assert!(
        project
            .read("feeds/all.json")
            .contains("the south ward follows")
    );
}

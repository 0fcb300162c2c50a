//! feedfold on PostgreSQL, end to end through the real binary: many `run`
//! workers on one database at once, the database stopped in the middle of
//! a run and started again, two `serve` instances on one database (each
//! republishing an article updated through another source than a feed
//! lists), a database that goes away under a server, a SQLite store moved with
//! `store copy`, TLS in each `sslmode`, a read replica and a role that may
//! only read, how an unreachable database, one that never answers and a
//! URL parameter the client does not know or cannot read are reported (host and port
//! named, the password never shown), a source backing off giving back
//! its claim, and a worker whose clock is behind the database's stamping
//! what it stored on the database's clock.
//!
//! They need PostgreSQL (`FEEDFOLD_TEST_POSTGRES_URL`, see the README):
//! without it each says it skipped, except under `CI=true`, where it fails.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::postgres::{Cluster, await_inserted, count, database, execute, rows_read};
use common::server::{Server, eventually};
use common::{Project, dump_stories, json_feed_ids, retitled, text};
use feedfold::config::StoreUrl;
use feedfold::store::Store;
use feedfold::store::postgres::PgStore;

/// A config whose store is `store` (a `[store]` line), with `sources`
/// (`(name, glob)`) and one feed of everything.
fn config(store: &str, sources: &[(&str, &str)]) -> String {
    serving(store, sources, "")
}

/// The same, with `server` added to `[server]`.
fn serving(store: &str, sources: &[(&str, &str)], server: &str) -> String {
    let mut config = format!(
        "[store]\n{store}\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         [server]\nbind = \"127.0.0.1:0\"\n{server}\n[schedule]\ninterval = \"1h\"\n"
    );
    for (name, text) in sources {
        config.push_str(&format!(
            "\n[[source]]\nname = \"{name}\"\ntext = \"{text}\"\n"
        ));
    }
    config.push_str("\n[[feed]]\nname = \"all\"\ntitle = \"All\"\nlimit = 10000\n");
    config
}

fn url_line(url: &str) -> String {
    format!("url = \"{url}\"")
}

fn open(url: &str) -> PgStore {
    PgStore::open(&StoreUrl::parse(url).unwrap()).expect("open the PostgreSQL store")
}

/// The titles of every stored article, a site name taken off.
fn story_titles(store: &mut dyn Store) -> Vec<String> {
    let mut titles: Vec<String> = store
        .feed_entries(None, None, 100_000)
        .unwrap()
        .into_iter()
        .map(|a| a.title.trim_end_matches(" - The Courier").to_string())
        .collect();
    titles.sort();
    titles
}

fn assert_no_repeats(ids: &[String]) {
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "an entry is published twice");
}

#[test]
fn four_workers_on_overlapping_dumps_store_every_story_once() {
    let Some(url) = database("four_workers") else {
        return;
    };
    // Four dumps over 800 stories, each story in two of them: dump i holds
    // stories 200 i .. 200 i + 400, and where it overlaps the dump before,
    // every third story under another headline (a near-duplicate).
    let pool = dump_stories(11, 800);
    let dump = |i: usize| -> String {
        (200 * i..200 * i + 400)
            .map(|n| {
                let story = &pool[n % 800];
                if n < 200 * i + 200 && n % 3 == 0 {
                    retitled(story)
                } else {
                    story.clone()
                }
            })
            .collect()
    };
    // What one process makes of all four dumps.
    let reference = Project::new(&config("path = \"feedfold.db\"", &[("all", "dumps/*.txt")]));
    for i in 0..4 {
        reference.write(&format!("dumps/d{i}.txt"), &dump(i));
    }
    let alone = reference.feedfold(&["run", "--quiet"]);
    assert!(alone.status.success(), "{:?}", text(&alone));
    let mut reference_store =
        feedfold::store::sqlite::SqliteStore::open(&reference.path("feedfold.db")).unwrap();
    let expected = story_titles(&mut reference_store);
    assert!(
        (780..=800).contains(&expected.len()),
        "{} stories",
        expected.len()
    );

    // Four workers on a fresh database, started at once: worker i reads
    // dumps i and i + 1, as sources of its own.
    let workers: Vec<Project> = (0..4)
        .map(|i| {
            let project = Project::new(&config(
                &url_line(&url),
                &[
                    (&format!("w{i}a"), "dumps/a.txt"),
                    (&format!("w{i}b"), "dumps/b.txt"),
                ],
            ));
            project.write("dumps/a.txt", &dump(i));
            project.write("dumps/b.txt", &dump((i + 1) % 4));
            project
        })
        .collect();
    let running: Vec<_> = workers
        .iter()
        .map(|project| {
            Command::new(env!("CARGO_BIN_EXE_feedfold"))
                .args(["run", "--quiet", "--config"])
                .arg(project.path("config.toml"))
                .env_remove("FEEDFOLD_STORE_URL")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in running {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{:?}", text(&output));
    }
    let mut store = open(&url);
    assert_eq!(story_titles(&mut store), expected, "every story once");
    assert_eq!(store.article_count().unwrap() as usize, expected.len());
    for project in &workers {
        assert_no_repeats(&json_feed_ids(&project.read("feeds/all.json")));
    }
    // Every copy was seen: each story is in two dumps, each read by two
    // workers, from files of their own.
    let sightings = count(&url, "SELECT count(*) FROM sighting");
    assert_eq!(
        sightings,
        4 * 800,
        "one sighting per story, dump and worker"
    );
    let near = store
        .folds(None)
        .unwrap()
        .into_iter()
        .filter(|f| f.rule != "exact")
        .count();
    assert!(
        near > 0,
        "the retitled copies were folded as near-duplicates"
    );
}

/// The tables every lookup of a fold reads by key.
const LOOKUP_TABLES: [&str; 6] = [
    "article",
    "content_key",
    "link_key",
    "upstream_key",
    "near_key_pending",
    "sighting",
];

/// Asserts that a run that stored `stored` articles read a few rows of
/// each lookup table for each of them, not a whole table: reading a table
/// at each lookup reads rows in proportion to the square of what is stored.
fn assert_read_by_key(read: &[(String, i64)], stored: i64) {
    assert_eq!(read.len(), LOOKUP_TABLES.len(), "{read:?}");
    for (table, rows) in read {
        assert!(
            *rows < 30 * stored,
            "{rows} rows of {table} read for {stored} articles stored: {read:?}"
        );
    }
}

/// A run into a fresh database, whose tables have never been analyzed,
/// reads what its lookups need by key: a plan made while `article` looked
/// empty once hashed the whole table at every lookup for the rest of the
/// run (a run ten times slower at 10,000 articles).
#[test]
fn lookups_in_a_fresh_database_read_by_key() {
    let Some(url) = database("fresh_plan") else {
        return;
    };
    let project = Project::new(&config(&url_line(&url), &[("wire", "dumps/*.txt")]));
    project.write("dumps/wire.txt", &dump_stories(5, 400).concat());
    let run = project.feedfold(&["run", "--quiet"]);
    assert!(run.status.success(), "{:?}", text(&run));
    let stored = count(&url, "SELECT count(*) FROM article");
    assert!(stored >= 390, "{stored} articles stored");
    await_inserted(&url, "article", stored);
    assert_read_by_key(&rows_read(&url, &LOOKUP_TABLES), stored);
}

/// The same after the tables were analyzed while they held a few dozen
/// rows, and before autovacuum analyzes them again: statistics that make
/// a whole scan look cheaper than the index once made every lookup of the
/// next run scan the tables it grew, each lookup slower than the last.
#[test]
fn lookups_on_statistics_of_a_small_store_read_by_key() {
    let Some(url) = database("small_statistics") else {
        return;
    };
    let project = Project::new(&config(&url_line(&url), &[("wire", "dumps/*.txt")]));
    let stories = dump_stories(6, 430);
    project.write("dumps/wire.txt", &stories[..30].concat());
    let first = project.feedfold(&["run", "--quiet"]);
    assert!(first.status.success(), "{:?}", text(&first));
    let before = count(&url, "SELECT count(*) FROM article");
    assert!(before >= 28, "{before} articles stored");
    await_inserted(&url, "article", before);
    execute(&url, "ANALYZE");
    for table in LOOKUP_TABLES {
        execute(
            &url,
            &format!("ALTER TABLE {table} SET (autovacuum_enabled = false)"),
        );
    }
    execute(&url, "SELECT pg_stat_reset()");
    project.write("dumps/wire.txt", &stories.concat());
    let second = project.feedfold(&["run", "--quiet"]);
    assert!(second.status.success(), "{:?}", text(&second));
    let stored = count(&url, "SELECT count(*) FROM article") - before;
    assert!(stored >= 390, "{stored} articles stored by the second run");
    await_inserted(&url, "article", stored);
    assert_read_by_key(&rows_read(&url, &LOOKUP_TABLES), stored);
}

/// When source `name`'s last attempt began, as the database recorded it:
/// its whole second and its microseconds (0 before any).
fn attempt_began(url: &str, name: &str) -> (i64, i64) {
    let micros = count(
        url,
        &format!(
            "SELECT coalesce((SELECT (extract(epoch FROM attempt_began) * 1000000)::bigint \
             FROM source_lease WHERE source = '{name}'), 0)"
        ),
    );
    (micros.div_euclid(1_000_000), micros)
}

#[test]
fn a_run_begun_within_the_same_second_as_the_last_attempt_still_ingests() {
    let Some(url) = database("back_to_back") else {
        return;
    };
    open(&url); // the schema, before the first attempt is looked up
    let project = Project::new(&config(&url_line(&url), &[("wire", "dumps/wire.txt")]));
    let pool = dump_stories(21, 20);
    let mut dump = String::new();
    // Each round: a new story, a moment just after a second turns, another
    // process's attempt at the source recorded as begun and ended right
    // then, and a run started at once. The run began after that attempt
    // and must ingest the source. Rounds go on until a run began within
    // the same second as the attempt before it (which the database's
    // record of the run's own attempt, begun later still, proves).
    for (stored, story) in pool.iter().enumerate() {
        dump.push_str(story);
        project.write("dumps/wire.txt", &dump);
        let wait = 1_000_000_000
            - std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos();
        std::thread::sleep(Duration::from_nanos(u64::from(wait) + 1_000_000));
        if stored > 0 {
            execute(
                &url,
                "UPDATE source_lease SET attempt_began = clock_timestamp() WHERE source = 'wire'",
            );
        }
        let before = attempt_began(&url, "wire");
        let run = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&run);
        assert!(run.status.success(), "{stdout}{stderr}");
        assert!(
            !stdout.contains("another process") && !stderr.contains("another process"),
            "a run begun after the last attempt skipped its source: {stdout}{stderr}"
        );
        assert_eq!(
            open(&url).article_count().unwrap(),
            stored as u64 + 1,
            "the run stored the story added before it"
        );
        let after = attempt_began(&url, "wire");
        assert!(after.1 > before.1, "the run recorded its own attempt");
        if stored > 0 && after.0 == before.0 {
            return;
        }
    }
    panic!("no run began within the second its last attempt began: too slow to test this");
}

#[test]
fn a_database_stopped_mid_run_loses_and_doubles_nothing() {
    let Some(cluster) = Cluster::start(false) else {
        return;
    };
    let sources = [
        ("one", "dumps/one.txt"),
        ("two", "dumps/two.txt"),
        ("three", "dumps/three.txt"),
    ];
    let dumps: Vec<String> = (0..3)
        .map(|i| dump_stories(100 + i, 800).concat())
        .collect();
    let fill = |project: &Project| {
        for ((_, path), dump) in sources.iter().zip(&dumps) {
            project.write(path, dump);
        }
    };
    let reference = Project::new(&config("path = \"feedfold.db\"", &sources));
    fill(&reference);
    assert!(reference.feedfold(&["run", "--quiet"]).status.success());
    let expected = json_feed_ids(&reference.read("feeds/all.json"));

    let project = Project::new(&config(&url_line(&cluster.url()), &sources));
    fill(&project);
    let run = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--quiet", "--config"])
        .arg(project.path("config.toml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stop the database once the first source has landed and the next
    // one is being folded: a feedfold transaction has written rows it has
    // not committed yet.
    let folding = eventually(Duration::from_secs(120), || {
        postgres::Client::connect(&cluster.url(), postgres::NoTls)
            .and_then(|mut c| {
                c.query_one(
                    "SELECT (SELECT count(*) FROM article) > 0 AND EXISTS \
                     (SELECT 1 FROM pg_stat_activity \
                      WHERE application_name = 'feedfold' AND backend_xid IS NOT NULL)",
                    &[],
                )
            })
            .is_ok_and(|row| row.get::<_, bool>(0))
    });
    assert!(folding, "the second source was never seen being folded");
    cluster.stop();
    let output = run.wait_with_output().unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let host_port = format!("127.0.0.1:{}", cluster.port);
    assert!(stderr.contains(&host_port), "{stderr}");
    assert!(stderr.contains("lost the connection"), "{stderr}");
    assert!(
        stderr.contains("the source's transaction was rolled back"),
        "{stderr}"
    );
    assert!(
        stderr.contains("not attempted: the store is unreachable"),
        "{stderr}"
    );

    cluster.start_again();
    let again = project.feedfold(&["run"]);
    assert!(again.status.success(), "{:?}", text(&again));
    let ids = json_feed_ids(&project.read("feeds/all.json"));
    assert_no_repeats(&ids);
    let as_set = |ids: &[String]| ids.iter().cloned().collect::<BTreeSet<_>>();
    assert_eq!(as_set(&ids), as_set(&expected), "nothing lost");
    let mut store = open(&cluster.url());
    assert_eq!(store.article_count().unwrap() as usize, expected.len());
    let sightings = count(&cluster.url(), "SELECT count(*) FROM sighting");
    let reference_sightings: i64 = rusqlite::Connection::open(reference.path("feedfold.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM sighting", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sightings, reference_sightings, "no sighting doubled");
}

fn http() -> reqwest::blocking::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn feed_ids(server: &Server) -> Vec<String> {
    http()
        .get(server.url("/feeds/all.json"))
        .send()
        .and_then(|r| r.text())
        .map(|body| json_feed_ids(&body))
        .unwrap_or_default()
}

fn health(server: &Server) -> serde_json::Value {
    http()
        .get(server.url("/healthz"))
        .send()
        .and_then(|r| r.json())
        .unwrap_or_default()
}

#[test]
fn an_article_pushed_to_one_server_is_served_by_another() {
    let Some(url) = database("two_servers") else {
        return;
    };
    let config = serving(
        &url_line(&url),
        &[("desk", "dumps/*.txt")],
        "token = \"t0ken\"\npush_sources = [\"aggregator\"]\n",
    );
    let first = Project::new(&config).with_dumps(&["city-desk.txt"]);
    let second = Project::new(&config).with_dumps(&["city-desk.txt"]);
    let a = Server::start(&first, &[]);
    let b = Server::start(&second, &[]);
    assert!(eventually(Duration::from_secs(30), || feed_ids(&b).len() >= 2));
    let before = feed_ids(&b);
    let pushed: serde_json::Value = http()
        .post(a.url("/api/articles"))
        .bearer_auth("t0ken")
        .json(&serde_json::json!({
            "title": "Night Trains Return to the Coast Line",
            "published": "2026-11-27T21:00:00Z",
            "body": ["Sleeper services resume on Friday after a year without them."],
            "source": "aggregator"
        }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let id = pushed["articles"][0]["id"].as_str().unwrap().to_string();
    assert!(feed_ids(&a).contains(&id), "served at once by the first");
    assert!(
        eventually(Duration::from_secs(10), || feed_ids(&b).contains(&id)),
        "the second server never served {id}"
    );
    assert_eq!(feed_ids(&b).len(), before.len() + 1);
    assert_eq!(second.read("feeds/all.json"), first.read("feeds/all.json"));
}

/// A source failing in a cron `run` on the server's database is failing on
/// the server's `/healthz` too, until a later cron cycle of it is good.
#[test]
fn a_source_failing_in_a_cron_run_beside_the_server_degrades_its_health() {
    let Some(url) = database("cron_beside_server") else {
        return;
    };
    let project = Project::new(&serving(&url_line(&url), &[("desk", "dumps/*.txt")], ""))
        .with_dumps(&["city-desk.txt"]);
    let server = Server::start(&project, &[]);
    assert!(eventually(
        Duration::from_secs(30),
        || health(&server)["status"] == "ok"
    ));
    std::fs::write(
        project.path("dumps/late.txt"),
        b"Tram Line Extension Opens \x96 At Last\n\nThe tram line reaches the hospital.\n",
    )
    .unwrap();
    let run = project.feedfold(&["run", "--quiet"]);
    assert_eq!(run.status.code(), Some(1), "the cron run fails desk");
    assert!(
        eventually(
            Duration::from_secs(10),
            || health(&server)["failed_sources"] == serde_json::json!(["desk"])
        ),
        "{}",
        health(&server)
    );
    assert_eq!(health(&server)["status"], "degraded");
    std::fs::remove_file(project.path("dumps/late.txt")).unwrap();
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
    assert!(
        eventually(Duration::from_secs(10), || health(&server)["status"]
            == "ok"),
        "{}",
        health(&server)
    );
}

#[test]
fn a_server_keeps_serving_while_its_database_is_down_and_reconnects() {
    let Some(cluster) = Cluster::start(false) else {
        return;
    };
    let project = Project::new(&serving(
        &url_line(&cluster.url()),
        &[("desk", "dumps/*.txt")],
        "token = \"t0ken\"\npush_sources = [\"aggregator\"]\n",
    ))
    .with_dumps(&["city-desk.txt"]);
    let server = Server::start_logging_to(&project, &[], Some(&project.path("serve.log")));
    assert!(eventually(
        Duration::from_secs(30),
        || health(&server)["status"] == "ok"
    ));
    let served = http()
        .get(server.url("/feeds/all.json"))
        .send()
        .unwrap()
        .text()
        .unwrap();

    cluster.stop();
    assert!(
        eventually(Duration::from_secs(30), || health(&server)["status"]
            == "degraded"),
        "{}",
        health(&server)
    );
    let while_down = health(&server);
    // Public: the kind; the log names the server.
    assert_eq!(while_down["store"], "unreachable", "{while_down}");
    assert!(
        project
            .read("serve.log")
            .contains(&format!("127.0.0.1:{}", cluster.port)),
        "{}",
        project.read("serve.log")
    );
    let feed = http().get(server.url("/feeds/all.json")).send().unwrap();
    assert_eq!(feed.status(), 200);
    assert_eq!(feed.text().unwrap(), served, "the last rendered feed");
    // An outage is told once, not once a second while it lasts.
    std::thread::sleep(Duration::from_secs(4));
    let log = project.read("serve.log");
    let told = log
        .lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
        .count();
    assert!(told <= 2, "{log}");

    // Reading the API while the store cannot be reached: try again.
    let read = http()
        .get(server.url("/api/articles"))
        .bearer_auth("t0ken")
        .send()
        .unwrap();
    assert_eq!(read.status(), 503);
    assert!(read.headers().contains_key("retry-after"));

    cluster.start_again();
    assert!(
        eventually(Duration::from_secs(30), || health(&server)["status"]
            == "ok"),
        "{}",
        health(&server)
    );
    // The connections the restart closed are replaced, not reported.
    let read = http()
        .get(server.url("/api/articles"))
        .bearer_auth("t0ken")
        .send()
        .unwrap();
    assert_eq!(read.status(), 200);
    let pushed = http()
        .post(server.url("/api/articles"))
        .bearer_auth("t0ken")
        .json(&serde_json::json!({
            "title": "Harbour Ferry Timetable Changes",
            "body": ["The winter timetable starts on Monday with two fewer crossings."]
        }))
        .send()
        .unwrap();
    assert_eq!(pushed.status(), 201, "the store is written again");
}

/// Sources whose cycle a database outage broke are ingested again once it
/// is back, not at their next interval (an hour here), and until they are
/// `/healthz` does not say `ok`.
#[test]
fn a_server_ingests_again_the_sources_a_database_outage_broke() {
    let Some(cluster) = Cluster::start(false) else {
        return;
    };
    let sources = [
        ("one", "dumps/one.txt"),
        ("two", "dumps/two.txt"),
        ("three", "dumps/three.txt"),
    ];
    let fill = |project: &Project| {
        for (i, (_, path)) in sources.iter().enumerate() {
            project.write(path, &dump_stories(200 + i as u64, 600).concat());
        }
    };
    let reference = Project::new(&config("path = \"feedfold.db\"", &sources));
    fill(&reference);
    assert!(reference.feedfold(&["run", "--quiet"]).status.success());
    let expected: i64 = rusqlite::Connection::open(reference.path("feedfold.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM article", [], |r| r.get(0))
        .unwrap();
    let project = Project::new(&serving(&url_line(&cluster.url()), &sources, ""));
    fill(&project);
    let server = Server::start(&project, &[]);
    // Stop the database once the first articles have landed: the cycles
    // of the others are broken.
    let storing = eventually(Duration::from_secs(120), || {
        postgres::Client::connect(&cluster.url(), postgres::NoTls)
            .and_then(|mut c| c.query_one("SELECT count(*) FROM article", &[]))
            .is_ok_and(|row| row.get::<_, i64>(0) > 0)
    });
    assert!(storing, "no article was ever stored");
    cluster.stop();
    assert!(
        eventually(Duration::from_secs(30), || health(&server)["store"]
            == "unreachable"),
        "{}",
        health(&server)
    );
    cluster.start_again();
    // The server stores the rest at the pace the host allows: the wait
    // ends once every article is stored, or fails once the count has not
    // moved for a minute.
    let mut said_ok_early = None;
    let mut last_moved = (-1, Instant::now());
    let all_stored = loop {
        let said = health(&server);
        let stored = count(&cluster.url(), "SELECT count(*) FROM article");
        if said["status"] == "ok" && stored < expected && said_ok_early.is_none() {
            said_ok_early = Some((said, stored));
        }
        if stored == expected {
            break true;
        }
        if stored != last_moved.0 {
            last_moved = (stored, Instant::now());
        } else if last_moved.1.elapsed() > Duration::from_secs(60) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(said_ok_early, None, "ok with articles missing");
    assert!(all_stored, "{}", health(&server));
    assert!(
        eventually(Duration::from_secs(30), || health(&server)["status"]
            == "ok"),
        "{}",
        health(&server)
    );
}

#[test]
fn a_server_whose_idle_sessions_the_database_closes_stays_healthy() {
    let Some(url) = database("idle_sessions") else {
        return;
    };
    execute(
        &url,
        "ALTER DATABASE feedfold_idle_sessions SET idle_session_timeout = '2s'",
    );
    let project = Project::new(&serving(&url_line(&url), &[], "token = \"t0ken\"\n"));
    let server = Server::start_logging_to(&project, &[], Some(&project.path("serve.log")));
    assert!(eventually(
        Duration::from_secs(30),
        || health(&server)["status"] == "ok"
    ));
    let push = |title: &str| {
        http()
            .post(server.url("/api/articles"))
            .bearer_auth("t0ken")
            .json(&serde_json::json!({
                "title": title,
                "body": ["The winter timetable starts on Monday with two fewer crossings."]
            }))
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(push("Harbour Ferry Timetable Changes"), 201);
    // Every connection of the server sits idle past the timeout, twice.
    for _ in 0..24 {
        let health = health(&server);
        assert_eq!(health["status"], "ok", "{health}");
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(push("Ferry Crews Agree New Rota"), 201);
    std::thread::sleep(Duration::from_secs(3));
    let read = http()
        .get(server.url("/api/articles"))
        .bearer_auth("t0ken")
        .send()
        .unwrap();
    assert_eq!(read.status(), 200);
    let log = project.read("serve.log");
    assert!(!log.contains(" ERROR "), "{log}");
}

/// An upstream feed on 127.0.0.1 that answers after `delay`, with an
/// `ETag`: `304` to a request that sends it back. Its address.
fn slow_conditional_feed(delay: Duration) -> std::net::SocketAddr {
    use std::io::{BufRead, BufReader, Write};
    const BODY: &str = "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>\
        <link>http://wire.example/</link><item><title>Harbour Board Approves Expansion</title>\
        <link>http://wire.example/harbour</link><guid>harbour-1</guid><description>The board \
        voted on Monday to approve the long delayed expansion of the harbour.</description>\
        </item></channel></rss>";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut conditional = false;
            for line in BufReader::new(stream.try_clone().unwrap()).lines() {
                let line = line.unwrap_or_default();
                conditional |= line.eq_ignore_ascii_case("if-none-match: \"v1\"");
                if line.is_empty() {
                    break;
                }
            }
            std::thread::sleep(delay);
            let answer = if conditional {
                "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n".to_string()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: \"v1\"\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
                    BODY.len()
                )
            };
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    address
}

#[test]
fn a_run_whose_session_the_database_closed_while_fetching_connects_again() {
    let Some(url) = database("idle_run") else {
        return;
    };
    execute(
        &url,
        "ALTER DATABASE feedfold_idle_run SET idle_session_timeout = '1s'",
    );
    let feed = slow_conditional_feed(Duration::from_secs(2));
    let settings = config(&url_line(&url), &[]).replace(
        "[[feed]]",
        &format!(
            "[fetch]\nallow_private = true\n\n[[source]]\nname = \"wire\"\n\
             feed = \"http://{feed}/feed.xml\"\n\n[[feed]]"
        ),
    );
    let project = Project::new(&settings);
    // The first run stores the entry, the second is told it is not
    // modified: each time the session sat idle past the timeout while the
    // feed was fetched.
    for expected in ["1 new", "not modified"] {
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}{stderr}");
        assert!(stdout.contains(expected), "{stdout}");
        assert!(
            !(stdout + &stderr).contains("unreachable"),
            "the store counted as unreachable"
        );
    }
    assert_eq!(json_feed_ids(&project.read("feeds/all.json")).len(), 1);
}

/// The store at `url` as the process named `name` on the database.
fn open_as(url: &str, name: &str) -> PgStore {
    open(&format!("{url}?application_name={name}"))
}

/// Ends the sessions of the process named `name`, as an administrator
/// (or a restart) does, and waits until they have ended: a session told
/// to end holds its locks (a claim) until its backend has exited.
fn end_sessions(url: &str, name: &str) {
    execute(
        url,
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{name}'"
        ),
    );
    let sessions =
        format!("SELECT count(*) FROM pg_stat_activity WHERE application_name = '{name}'");
    assert!(
        eventually(Duration::from_secs(10), || count(url, &sessions) == 0),
        "the sessions of {name} never ended"
    );
}

#[test]
fn a_claim_lost_with_its_session_is_taken_again_unless_another_process_took_it() {
    use feedfold::ingest::fetch_state::FetchState;
    use feedfold::store::Claim;

    let Some(url) = database("claims_again") else {
        return;
    };
    let mut worker = open_as(&url, "worker");
    assert_eq!(worker.claim("wire", None).unwrap(), Claim::Granted);
    assert_eq!(worker.claim("desk", None).unwrap(), Claim::Granted);
    end_sessions(&url, "worker");
    // Its next operation connects again and holds both claims once more.
    worker
        .put_fetch_state("wire", &FetchState::default())
        .unwrap();
    let mut other = open_as(&url, "other");
    assert_eq!(other.claim("wire", None).unwrap(), Claim::Busy);
    assert_eq!(other.claim("desk", None).unwrap(), Claim::Busy);
    worker.release("desk").unwrap();
    // Lost again, and another process claims the source meanwhile: the
    // worker writes nothing more of its attempt.
    end_sessions(&url, "worker");
    assert_eq!(other.claim("wire", None).unwrap(), Claim::Granted);
    let refused = worker
        .put_fetch_state("wire", &FetchState::default())
        .unwrap_err();
    assert!(
        !refused.is_unreachable()
            && refused
                .to_string()
                .contains("another process has claimed it"),
        "{refused}"
    );
    assert!(worker.begin("wire").is_err());
    worker.release("wire").unwrap();
    // The other process's claim stands.
    assert_eq!(
        open_as(&url, "third").claim("wire", None).unwrap(),
        Claim::Busy
    );
}

#[test]
fn two_stores_in_two_schemas_of_one_database_claim_their_sources_apart() {
    use feedfold::store::Claim;

    let Some(url) = database("two_schemas") else {
        return;
    };
    execute(&url, "CREATE SCHEMA prod; CREATE SCHEMA staging");
    let in_schema = |schema: &str| format!("{url}?options=-c%20search_path%3D{schema}");
    let mut prod = open(&in_schema("prod"));
    let mut staging = open(&in_schema("staging"));
    assert_eq!(prod.claim("wire", None).unwrap(), Claim::Granted);
    assert_eq!(staging.claim("wire", None).unwrap(), Claim::Granted);
    assert_eq!(
        open(&in_schema("prod")).claim("wire", None).unwrap(),
        Claim::Busy
    );
    assert_ne!(prod.identity().unwrap(), staging.identity().unwrap());
    assert_eq!(
        prod.identity().unwrap(),
        open(&in_schema("prod")).identity().unwrap()
    );
}

#[test]
fn a_search_path_naming_no_schema_that_exists_is_told_so_naming_it() {
    let Some(url) = database("missing_schema") else {
        return;
    };
    let project =
        Project::new(&config("", &[("desk", "dumps/*.txt")])).with_dumps(&["city-desk.txt"]);
    let in_staging = format!("{url}?options=-c%20search_path%3Dstaging");
    let run = run_with_store_url(&project, &in_staging);
    let (_, errors) = text(&run);
    assert_eq!(run.status.code(), Some(1), "{errors}");
    let port = url::Url::parse(&url).unwrap().port().unwrap();
    assert!(
        errors.contains(&format!(
            "postgres://127.0.0.1:{port}/feedfold_missing_schema?options=-c%20search_path%3Dstaging: \
             no schema named by the search path (staging) exists in the database at 127.0.0.1:{port}"
        )),
        "{errors}"
    );
    assert!(!errors.contains("role"), "{errors}");
    execute(&url, "CREATE SCHEMA staging");
    let run = run_with_store_url(&project, &in_staging);
    assert!(run.status.success(), "{:?}", text(&run));
    assert!(count(&url, "SELECT count(*) FROM staging.article") > 0);
}

#[test]
fn a_store_of_the_schema_before_keys_by_hash_is_converted_keeping_its_rows() {
    let Some(url) = database("keys_by_hash") else {
        return;
    };
    drop(open(&url));
    // The tables as the schema before keyed them, with a row in each.
    execute(
        &url,
        "DROP INDEX link_key_by_hash, upstream_key_by_hash, place_by_hash, seen_pages_by_hash, \
             site_pages_by_hash, document_validators_by_hash;
         ALTER TABLE link_key ADD PRIMARY KEY (link);
         ALTER TABLE upstream_key ADD PRIMARY KEY (source, key);
         ALTER TABLE place ADD CONSTRAINT place_source_location_key UNIQUE (source, location);
         ALTER TABLE seen_pages ADD PRIMARY KEY (source, url);
         ALTER TABLE site_pages ADD CONSTRAINT site_pages_site_page_key UNIQUE (site, page);
         ALTER TABLE document_validators ADD PRIMARY KEY (source, document);
         INSERT INTO place (source, location) VALUES ('wire', 'https://wire.example/feed.xml');
         INSERT INTO seen_pages (source, url, version) VALUES ('wire', 'https://wire.example/a', 'v1');
         UPDATE schema_version SET version = 25;",
    );
    drop(open(&url));
    assert_eq!(
        count(
            &url,
            "SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%by_hash'"
        ),
        6
    );
    assert_eq!(count(&url, "SELECT count(*) FROM place"), 1);
    let mut store = open(&url);
    let page = format!("https://wire.example/{}", "p".repeat(9000));
    let mut writer = store.begin("wire").unwrap();
    writer
        .remember_page(&feedfold::ingest::source::SeenPage {
            url: page.clone(),
            version: "v1".into(),
            validators: Default::default(),
        })
        .unwrap();
    writer.commit(&chrono::Utc::now).unwrap();
    let urls = [page.clone(), "https://wire.example/a".to_string()];
    assert_eq!(store.pages_seen("wire", &urls).unwrap().len(), 2);
}

#[test]
fn a_sqlite_store_copied_to_postgres_publishes_the_same_entries() {
    let Some(url) = database("copy") else {
        return;
    };
    let sources = [("desk", "dumps/*.txt")];
    let sqlite = Project::new(&config("path = \"state/feedfold.db\"", &sources)).with_dumps(&[
        "city-desk.txt",
        "near-monday.txt",
        "near-tuesday.txt",
        "other-desk.txt",
    ]);
    assert!(sqlite.feedfold(&["run", "--quiet"]).status.success());
    let from = format!("sqlite:{}", sqlite.path("state/feedfold.db").display());
    let copied = common::feedfold_in(sqlite.dir.path(), &["store", "copy", &from, &url]);
    let (stdout, stderr) = text(&copied);
    assert!(copied.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("verified: both stores hold as many of each"),
        "{stdout}"
    );
    let articles = rusqlite::Connection::open(sqlite.path("state/feedfold.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM article", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert!(
        stdout.contains(&format!("{articles:>10} articles")),
        "{stdout}"
    );
    // The database under other spellings of its URL is the same store.
    let port = url::Url::parse(&url).unwrap().port().unwrap();
    for other in [
        url.replacen("postgres://", "postgresql://", 1),
        url.replacen("127.0.0.1", "localhost", 1),
        format!("postgres://postgres@127.0.0.1/postgres?port={port}&dbname=feedfold_copy"),
    ] {
        let itself = common::feedfold_in(sqlite.dir.path(), &["store", "copy", &url, &other]);
        let (out, err) = text(&itself);
        assert_eq!(itself.status.code(), Some(2), "{other}: {out}{err}");
        assert!(err.contains("SRC and DST are one store"), "{err}");
    }
    // Again: nothing changes.
    let again = common::feedfold_in(sqlite.dir.path(), &["store", "copy", &from, &url]);
    assert_eq!(text(&again).0, stdout, "idempotent");
    assert_eq!(count(&url, "SELECT count(*) FROM article"), articles);

    // The same project on the copy: every input already known, the same
    // feeds byte for byte, the same folds.
    let published: Vec<String> = ["rss", "atom", "json"]
        .iter()
        .map(|format| sqlite.read(&format!("feeds/all.{format}")))
        .collect();
    let dups = |project: &Project| text(&project.feedfold(&["dups", "--json"])).0;
    let folded = dups(&sqlite);
    assert!(!folded.is_empty());
    sqlite.write("config.toml", &config(&url_line(&url), &sources));
    std::fs::remove_dir_all(sqlite.path("feeds")).unwrap();
    let run = sqlite.feedfold(&["run"]);
    let (report, errors) = text(&run);
    assert!(run.status.success(), "{report}{errors}");
    assert!(report.contains(" 0 new, "), "{report}");
    for (format, before) in ["rss", "atom", "json"].iter().zip(&published) {
        assert_eq!(
            &sqlite.read(&format!("feeds/all.{format}")),
            before,
            "all.{format}"
        );
    }
    assert_eq!(dups(&sqlite), folded);
}

/// A config whose store is `store`, with one JSON Feed source `j`
/// (`j.json`), pushes taken for source `api` with token `t0ken`, and one
/// feed of everything.
fn json_feed_config(store: &str) -> String {
    serving(store, &[], "token = \"t0ken\"\npush_sources = [\"api\"]\n")
        + "\n[[source]]\nname = \"j\"\nfeed = \"j.json\"\n"
}

/// A JSON Feed of three stories whose ids are `ids`.
fn json_feed(ids: [&str; 3]) -> String {
    let items: Vec<serde_json::Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            serde_json::json!({
                "id": id,
                "url": format!("https://j.example/{i}"),
                "title": format!("Harbour story {i}"),
                "content_text": format!("The harbour works reached stage {i} on Monday."),
                "date_published": format!("2026-11-0{}T10:00:00Z", i + 1),
            })
        })
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "J",
        "items": items,
    })
    .to_string()
}

#[test]
fn entries_whose_ids_hold_nul_are_stored_pushed_and_copied_as_on_sqlite() {
    let (Some(url), Some(copied_url)) = (database("nul_ids"), database("nul_ids_copied")) else {
        return;
    };
    let feed = json_feed(["https://j.example/0", "urn:j:1\u{0}", "urn:j:2\u{FFFF}0"]);
    let sqlite = Project::new(&json_feed_config("path = \"feedfold.db\""));
    sqlite.write("j.json", &feed);
    let postgres = Project::new(&json_feed_config(&url_line(&url)));
    postgres.write("j.json", &feed);
    for project in [&sqlite, &postgres] {
        let run = project.feedfold(&["run"]);
        let (report, errors) = text(&run);
        assert!(run.status.success(), "{report}{errors}");
        assert!(report.contains("3 new"), "{report}");
        let again = project.feedfold(&["run"]);
        assert!(text(&again).0.contains(" 0 new, "), "{:?}", text(&again));
    }
    let published = |project: &Project| json_feed_ids(&project.read("feeds/all.json"));
    assert_eq!(published(&postgres), published(&sqlite), "the same ids");

    // Copied into PostgreSQL, the SQLite store's entries are known there.
    let from = format!("sqlite:{}", sqlite.path("feedfold.db").display());
    let copied = common::feedfold_in(sqlite.dir.path(), &["store", "copy", &from, &copied_url]);
    assert!(copied.status.success(), "{:?}", text(&copied));
    sqlite.write("config.toml", &json_feed_config(&url_line(&copied_url)));
    let run = sqlite.feedfold(&["run"]);
    assert!(text(&run).0.contains(" 0 new, "), "{:?}", text(&run));
    assert_eq!(count(&copied_url, "SELECT count(*) FROM upstream_key"), 3);

    // A push whose id holds U+0000 is stored, and known when pushed again.
    let server = Server::start(&postgres, &[]);
    let push = || {
        http()
            .post(server.url("/api/articles"))
            .bearer_auth("t0ken")
            .json(&serde_json::json!({
                "id": "id\u{0}x",
                "title": "Night Trains Return to the Coast Line",
                "body": ["Sleeper services resume on Friday after a year without them."],
                "source": "api"
            }))
            .send()
            .unwrap()
    };
    let first = push();
    assert_eq!(first.status(), 201);
    let id = first.json::<serde_json::Value>().unwrap()["articles"][0]["id"].clone();
    let second: serde_json::Value = push().json().unwrap();
    assert_eq!(second["articles"][0]["id"], id);
    assert_eq!(count(&url, "SELECT count(*) FROM article"), 4);
}

#[test]
fn an_upstream_key_holding_u_ffff_stored_before_nul_was_kept_is_found_again() {
    let Some(url) = database("ffff_keys") else {
        return;
    };
    let project = Project::new(&json_feed_config(&url_line(&url)));
    project.write(
        "j.json",
        &json_feed(["urn:j:0", "urn:j:1\u{FFFF}", "urn:j:2"]),
    );
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
    // The key as the schema before held it: U+FFFF once.
    execute(
        &url,
        "UPDATE upstream_key SET key = replace(key, repeat(chr(65535), 2), chr(65535));
         UPDATE schema_version SET version = 29;",
    );
    let run = project.feedfold(&["run"]);
    assert!(text(&run).0.contains(" 0 new, "), "{:?}", text(&run));
    assert_eq!(count(&url, "SELECT count(*) FROM upstream_key"), 3);
    assert_eq!(
        count(
            &url,
            "SELECT count(*) FROM upstream_key WHERE key = 'urn:j:1' || repeat(chr(65535), 2)"
        ),
        1
    );
}

#[test]
fn a_running_server_republishes_what_store_copy_brought_in() {
    let Some(url) = database("copy_served") else {
        return;
    };
    // A server with no sources of its own: it only serves.
    let serving = Project::new(&config(&url_line(&url), &[]));
    let server = Server::start(&serving, &[]);
    assert!(eventually(Duration::from_secs(30), || {
        http()
            .get(server.url("/feeds/all.json"))
            .send()
            .is_ok_and(|r| r.status().is_success())
    }));
    assert!(feed_ids(&server).is_empty());
    let sqlite = Project::new(&config(
        "path = \"feedfold.db\"",
        &[("desk", "dumps/*.txt")],
    ))
    .with_dumps(&["city-desk.txt", "other-desk.txt"]);
    assert!(sqlite.feedfold(&["run", "--quiet"]).status.success());
    let from = format!("sqlite:{}", sqlite.path("feedfold.db").display());
    let copied = common::feedfold_in(sqlite.dir.path(), &["store", "copy", &from, &url]);
    assert!(copied.status.success(), "{:?}", text(&copied));
    let stored = count(&url, "SELECT count(*) FROM article") as usize;
    assert!(stored >= 2);
    // Within about a second, as for any commit: before the 10 s poll.
    assert!(
        eventually(Duration::from_secs(5), || feed_ids(&server).len() == stored),
        "the server serves {} of the {stored} articles copied in",
        feed_ids(&server).len()
    );
}

#[test]
fn tls_with_sslmode_require_and_the_password_never_shown() {
    let secret = "Sup3r-s3cret";
    let Some(cluster) = Cluster::start_with(true, Some(secret)) else {
        return;
    };
    let url = format!(
        "{}?sslmode=require&sslrootcert={}",
        cluster.url(),
        cluster.ca_file().display()
    );
    let project = Project::new(&config(&url_line(&url), &[("desk", "dumps/*.txt")]))
        .with_dumps(&["city-desk.txt"]);
    let server = Server::start_logging_to(
        &project,
        &[("RUST_LOG", "debug")],
        Some(&project.path("serve.log")),
    );
    assert!(eventually(
        Duration::from_secs(30),
        || health(&server)["status"] == "ok"
    ));
    // The change feed connects beside the store, in the background.
    let encrypted = || {
        count(
            &cluster.url(),
            "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) \
             WHERE application_name = 'feedfold' AND ssl",
        )
    };
    assert!(
        eventually(Duration::from_secs(30), || encrypted() >= 2),
        "the store and its change feed: {}",
        encrypted()
    );
    let plain = count(
        &cluster.url(),
        "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) \
         WHERE application_name = 'feedfold' AND NOT ssl",
    );
    assert_eq!(plain, 0);
    // SIGTERM stops it cleanly: the store's connection is closed outside
    // the async runtime, where a PostgreSQL client can close.
    let status = server.terminate();
    let log = project.read("serve.log");
    assert!(status.success(), "{status:?}: {log}");
    assert!(!log.contains("panicked"), "{log}");
    assert!(!log.contains(secret), "the password in a log line");

    // The system's roots do not know the test CA: a verifying mode
    // refuses the server, naming the place.
    let untrusted = url.replace(
        &format!(
            "sslmode=require&sslrootcert={}",
            cluster.ca_file().display()
        ),
        "sslmode=verify-full",
    );
    let refused = Project::new(&config(&url_line(&untrusted), &[("desk", "dumps/*.txt")]));
    let output = refused.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot connect to 127.0.0.1:{}: the server's certificate is not signed by an \
             authority in the system's roots",
            cluster.port
        )),
        "{stderr}"
    );
    assert!(!stderr.contains(secret), "{stderr}");

    // A wrong password: the server's refusal, neither password shown, in
    // `run` and in `store copy`.
    let wrong_secret = "Wr0ng-s3cret";
    let wrong = url.replace(secret, wrong_secret);
    let refused = Project::new(&config(&url_line(&wrong), &[("desk", "dumps/*.txt")]));
    for command in [&["run"][..], &["store", "copy", &wrong, "sqlite:copy.db"]] {
        let output = refused.feedfold(command);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(
            stderr.contains("password authentication failed for user \"postgres\""),
            "{command:?}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("127.0.0.1:{}", cluster.port)),
            "{stderr}"
        );
        for shown in [&stdout, &stderr] {
            assert!(
                !shown.contains(secret) && !shown.contains(wrong_secret),
                "{shown}"
            );
        }
    }
}

/// Whether the connection named `application_name` to `cluster` is
/// encrypted (`None` when there is no such connection).
fn encrypted(cluster: &Cluster, application_name: &str) -> Option<bool> {
    postgres::Client::connect(&cluster.url(), postgres::NoTls)
        .and_then(|mut c| {
            c.query_opt(
                "SELECT ssl FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) \
                 WHERE application_name = $1",
                &[&application_name],
            )
        })
        .unwrap()
        .map(|row| row.get(0))
}

#[test]
fn sslmodes_encrypt_and_check_the_certificate_as_libpq_does() {
    let Some(cluster) = Cluster::start(true) else {
        return;
    };
    let ca = cluster.ca_file().display().to_string();
    let by_name = |url: &str| url.replace("127.0.0.1", "localhost");
    // The server's certificate is for 127.0.0.1, signed by a CA the
    // system does not know: prefer (the default) and require encrypt
    // without checking it, as libpq does; with the CA every mode checks
    // who signed it, verify-full the name too.
    for (i, (url, query)) in [
        (cluster.url(), String::new()),
        (cluster.url(), "sslmode=prefer".into()),
        (cluster.url(), "sslmode=require".into()),
        (cluster.url(), format!("sslmode=require&sslrootcert={ca}")),
        (cluster.url(), format!("sslmode=verify-ca&sslrootcert={ca}")),
        (
            by_name(&cluster.url()),
            format!("sslmode=verify-ca&sslrootcert={ca}"),
        ),
        (
            cluster.url(),
            format!("sslmode=verify-full&sslrootcert={ca}"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("tls{i}");
        let url = format!("{url}?application_name={name}&{query}");
        let store = open(&url);
        assert_eq!(encrypted(&cluster, &name), Some(true), "{query}");
        drop(store);
    }
    for (url, says) in [
        (
            format!("{}?sslmode=verify-ca", cluster.url()),
            "the server's certificate is not signed by an authority in the system's roots; \
             give the authority's certificate with `sslrootcert=FILE`, or use \
             `sslmode=require` to encrypt without checking the certificate"
                .to_string(),
        ),
        (
            format!(
                "{}?sslmode=verify-full&sslrootcert={ca}",
                by_name(&cluster.url())
            ),
            "the server's certificate is not issued for localhost; connect by a name it is \
             issued for, or use `sslmode=verify-ca` to check only who signed it"
                .to_string(),
        ),
    ] {
        let error = PgStore::open(&StoreUrl::parse(&url).unwrap())
            .err()
            .expect("refused")
            .to_string();
        assert!(
            error.contains(&format!(":{}: {says}", cluster.port))
                && error.contains("cannot connect to"),
            "{error}"
        );
    }
}

#[test]
fn sslmode_allow_connects_in_the_clear_as_libpq_does() {
    let Some(cluster) = Cluster::start(true) else {
        return;
    };
    // Roots that did not sign the server's certificate: `allow` connects
    // in the clear first, so they are never asked about it.
    let other = tempfile::tempdir().unwrap();
    let roots = other.path().join("other-ca.pem");
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = rcgen::CertifiedIssuer::self_signed(ca, rcgen::KeyPair::generate().unwrap()).unwrap();
    std::fs::write(&roots, ca.pem()).unwrap();
    let url = format!(
        "{}?application_name=allowed&sslmode=allow&sslrootcert={}",
        cluster.url(),
        roots.display()
    );
    let store = open(&url);
    assert_eq!(encrypted(&cluster, "allowed"), Some(false));
    drop(store);
}

#[test]
fn a_store_url_naming_the_server_by_address_alone_connects_as_libpq_does() {
    let Some(url) = database("by_address") else {
        return;
    };
    let parsed = url::Url::parse(&url).unwrap();
    let by_address = format!(
        "postgres://{}?hostaddr={}&port={}&user={}",
        parsed.path(),
        parsed.host_str().unwrap(),
        parsed.port().unwrap(),
        parsed.username()
    );
    let project = Project::new(&config(&url_line(&by_address), &[("wire", "dumps/*.txt")]));
    project.write(
        "dumps/a.txt",
        "Harbour Budget Approved After Long Debate\n\nThe regional council approved the new \
         harbour budget after a long debate on Tuesday evening.\n",
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("1 new"), "{stdout}");
}

#[test]
fn a_database_crash_under_tls_is_told_as_a_closed_connection() {
    let Some(cluster) = Cluster::start(true) else {
        return;
    };
    let url = format!("{}?sslmode=require", cluster.url());
    let project = Project::new(&config(&url_line(&url), &[("wire", "dumps/*.txt")]));
    project.write(
        "dumps/a.txt",
        "Harbour Budget Approved After Long Debate\n\nThe regional council approved the new \
         harbour budget after a long debate on Tuesday evening.\n",
    );
    drop(open(&url));
    // A lock the run's transaction waits for, then its server process
    // killed, as a crash does: the connection ends without TLS's goodbye.
    let mut holder = postgres::Client::connect(&cluster.url(), postgres::NoTls).unwrap();
    let mut held = holder.transaction().unwrap();
    held.batch_execute("LOCK TABLE article IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--config"])
        .arg(project.path("config.toml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let waiting = "SELECT coalesce(max(pid), 0)::bigint FROM pg_stat_activity \
                   WHERE application_name = 'feedfold' AND wait_event_type = 'Lock'";
    assert!(eventually(Duration::from_secs(20), || count(
        &cluster.url(),
        waiting
    ) > 0));
    let pid = count(&cluster.url(), waiting);
    // SAFETY: kill has no preconditions; the pid is the run's server process.
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGKILL) }, 0);
    let output = run.wait_with_output().unwrap();
    drop(held);
    let (stdout, stderr) = text(&output);
    let told = stdout + &stderr;
    assert!(
        told.contains(&format!(
            "lost the connection to 127.0.0.1:{}: connection closed",
            cluster.port
        )),
        "{told}"
    );
    assert!(
        !told.contains("close_notify") && !told.contains("rustls"),
        "{told}"
    );
}

#[test]
fn a_read_replica_serves_and_reads_a_current_schema_and_never_migrates() {
    let Some(primary) = Cluster::start(false) else {
        return;
    };
    execute(&primary.url(), "CREATE DATABASE unmigrated");
    let writer = Project::new(&config(
        &url_line(&primary.url()),
        &[("desk", "dumps/*.txt")],
    ))
    .with_dumps(&["city-desk.txt"]);
    let run = writer.feedfold(&["run"]);
    assert!(run.status.success(), "{:?}", text(&run));
    let stored = json_feed_ids(&writer.read("feeds/all.json"));
    let replica = primary.replica();

    // The commands that only read, and a server, on the replica.
    let reader = Project::new(&serving(&url_line(&replica.url()), &[], ""));
    for command in [&["dups"][..], &["sources"]] {
        let output = reader.feedfold(command);
        assert!(output.status.success(), "{command:?}: {:?}", text(&output));
    }
    let server = Server::start_logging_to(&reader, &[], Some(&reader.path("serve.log")));
    assert!(
        eventually(Duration::from_secs(30), || feed_ids(&server).len()
            == stored.len()),
        "{}",
        reader.read("serve.log")
    );
    // What the primary stores next reaches it by the poll (no LISTEN on a
    // replica).
    writer.write("dumps/late.txt", &dump_stories(7, 1).concat());
    let run = writer.feedfold(&["run"]);
    assert!(run.status.success(), "{:?}", text(&run));
    assert!(
        eventually(Duration::from_secs(40), || feed_ids(&server).len()
            == stored.len() + 1),
        "{}",
        reader.read("serve.log")
    );
    assert_eq!(health(&server)["store"], "ok");

    // A database without the schema holds no store for a command that
    // only reads, and cannot be migrated there by one that writes.
    let unmigrated = common::postgres::with_database(&replica.url(), "unmigrated");
    let refused = Project::new(&serving(&url_line(&unmigrated), &[], ""));
    let output = refused.feedfold(&["dups"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("there is no store here"), "{stderr}");
    let output = refused.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the database at 127.0.0.1:{} holds schema 0, this feedfold needs",
            replica.port
        )) && stderr.contains("run feedfold against the primary once to migrate"),
        "{stderr}"
    );
}

#[test]
fn a_role_that_may_only_read_runs_the_commands_that_only_read() {
    let Some(url) = database("reading_role") else {
        return;
    };
    let writer = Project::new(&config(&url_line(&url), &[("desk", "dumps/*.txt")]))
        .with_dumps(&["city-desk.txt"]);
    let run = writer.feedfold(&["run"]);
    assert!(run.status.success(), "{:?}", text(&run));
    execute(
        &url,
        "DROP ROLE IF EXISTS feedfold_test_reader; CREATE ROLE feedfold_test_reader LOGIN; \
         GRANT SELECT ON ALL TABLES IN SCHEMA public TO feedfold_test_reader",
    );
    let mut reading = url::Url::parse(&url).unwrap();
    reading.set_username("feedfold_test_reader").unwrap();
    let reader = Project::new(&config(
        &url_line(reading.as_str()),
        &[("desk", "dumps/*.txt")],
    ));
    for command in [&["dups"][..], &["sources"]] {
        let output = reader.feedfold(command);
        assert!(output.status.success(), "{command:?}: {:?}", text(&output));
    }
    // A hardened server keeps the cluster's identity from such a role: a
    // copy out of it still goes on.
    execute(
        &url,
        "REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC",
    );
    let into = format!("sqlite:{}", reader.path("copy.db").display());
    let copied = common::feedfold_in(
        reader.dir.path(),
        &["store", "copy", reading.as_str(), &into],
    );
    execute(
        &url,
        "GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC",
    );
    let (stdout, stderr) = text(&copied);
    assert!(copied.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("verified"), "{stdout}");
    // Behind, it says why it cannot bring the schema up to date.
    execute(&url, "UPDATE schema_version SET version = version - 1");
    let output = reader.feedfold(&["dups"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("this feedfold needs") && stderr.contains("permission denied"),
        "{stderr}"
    );
    execute(&url, "UPDATE schema_version SET version = version + 1");
}

/// Runs `feedfold COMMAND --config CONFIG`, killed (and the test failed)
/// if it takes longer than `limit`.
fn feedfold_within(project: &Project, command: &[&str], limit: Duration) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(command)
        .arg("--config")
        .arg(project.path("config.toml"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match finished.recv_timeout(limit) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("feedfold {command:?} still running after {limit:?}");
        }
    }
}

#[test]
fn a_database_that_never_answers_is_unreachable_within_the_connect_timeout() {
    // It accepts connections, as the kernel of a frozen server does, and
    // never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().collect();
        drop(held);
    });
    for (query, seconds) in [
        ("?connect_timeout=2", 2),
        ("?connect_timeout=2&sslmode=disable", 2),
    ] {
        let url = format!("postgres://feeds:Sup3r-s3cret@127.0.0.1:{port}/news{query}");
        let project = Project::new(&config(&url_line(&url), &[("desk", "dumps/*.txt")]));
        for command in [&["run"][..], &["dups"], &["serve"]] {
            let began = Instant::now();
            let output = feedfold_within(&project, command, Duration::from_secs(20));
            let (stdout, stderr) = text(&output);
            assert_eq!(output.status.code(), Some(1), "{command:?}: {stderr}");
            assert!(
                stderr.contains(&format!(
                    "cannot connect to 127.0.0.1:{port}: no answer within {seconds} s"
                )),
                "{command:?}: {stderr}"
            );
            assert!(began.elapsed() < Duration::from_secs(10), "{command:?}");
            assert!(!stderr.contains("Sup3r-s3cret") && !stdout.contains("Sup3r-s3cret"));
        }
    }
}

#[test]
fn a_store_url_parameter_the_client_does_not_know_or_cannot_read_is_a_config_error() {
    for (query, says) in [
        (
            "applicaton_name=feeds",
            "`applicaton_name` is not a parameter",
        ),
        (
            "sslcert=/etc/feedfold/client.crt",
            "`sslcert`: client certificates are not supported",
        ),
        (
            "connect_timeout=abc",
            "`connect_timeout`: the PostgreSQL client cannot read its value",
        ),
        ("hostaddr=notanip", "`hostaddr`: the PostgreSQL client"),
        ("keepalives_retries=-3", "`keepalives_retries`: the"),
        // A raw `&` in a password given as a parameter: its rest is never
        // named as a parameter.
        (
            "password=Tr0ub4dor&Sup3r-s3cret",
            "a parameter after `password=` is not one",
        ),
    ] {
        let url = format!("postgres://feeds:Sup3r-s3cret@127.0.0.1:1/news?{query}");
        let project = Project::new(&config(&url_line(&url), &[("desk", "dumps/*.txt")]));
        let output = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("line 2: `store.url`") && stderr.contains(says),
            "{stderr}"
        );
        assert!(!stderr.contains("Sup3r-s3cret") && !stdout.contains("Sup3r-s3cret"));
        // The same in FEEDFOLD_STORE_URL.
        let sqlite = Project::new(&config(
            "path = \"feedfold.db\"",
            &[("desk", "dumps/*.txt")],
        ));
        let output = run_with_store_url(&sqlite, &url);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("FEEDFOLD_STORE_URL:") && stderr.contains(says),
            "{stderr}"
        );
        assert!(!stderr.contains("Sup3r-s3cret"), "{stderr}");
    }
}

/// `feedfold run` on `project`'s config with `FEEDFOLD_STORE_URL` set to
/// `url`.
fn run_with_store_url(project: &Project, url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--config"])
        .arg(project.path("config.toml"))
        .env("FEEDFOLD_STORE_URL", url)
        .output()
        .unwrap()
}

#[test]
fn an_unreachable_database_is_named_by_host_and_port() {
    if common::postgres::server().is_none() {
        return;
    }
    let port = common::postgres::free_port();
    let url = format!("postgres://feeds:Sup3r-s3cret@127.0.0.1:{port}/news");
    let project = Project::new(&config(&url_line(&url), &[("desk", "dumps/*.txt")]));
    for command in [&["run"][..], &["dups"], &["serve"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(command)
            .arg("--config")
            .arg(project.path("config.toml"))
            .env("RUST_LOG", "debug")
            .output()
            .unwrap();
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "cannot open the store: postgres://127.0.0.1:{port}/news: cannot connect to 127.0.0.1:{port}:"
            )),
            "{command:?}: {stderr}"
        );
        assert!(!stderr.contains("Sup3r-s3cret") && !stdout.contains("Sup3r-s3cret"));
    }
    // FEEDFOLD_STORE_URL names the store in place of the file's, and a bad
    // one is a config error naming the variable.
    let sqlite = Project::new(&config(
        "path = \"feedfold.db\"",
        &[("desk", "dumps/*.txt")],
    ));
    let output = run_with_store_url(&sqlite, &url);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).1.contains(&format!("127.0.0.1:{port}")));
    assert!(!sqlite.path("feedfold.db").exists());
    let output = run_with_store_url(&sqlite, "mysql://feeds:Sup3r-s3cret@db/news");
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("FEEDFOLD_STORE_URL:"), "{stderr}");
    assert!(!stderr.contains("Sup3r-s3cret"), "{stderr}");
}

/// `sources reset` checks the names it is given against the config before
/// it connects: a typo is a usage error listing the names, even while the
/// database cannot be reached. Needs no cluster.
#[test]
fn sources_reset_names_an_unknown_source_before_connecting() {
    let port = common::postgres::free_port();
    let url = format!("postgres://feeds:Sup3r-s3cret@127.0.0.1:{port}/news?connect_timeout=2");
    let project = Project::new(&config(&url_line(&url), &[("desk", "dumps/*.txt")]));
    let output = project.feedfold(&["sources", "reset", "dsek"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no source named \"dsek\"") && stderr.contains("the sources are: desk"),
        "{stderr}"
    );
    let output = project.feedfold(&["sources", "reset", "desk"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
}

/// The commands that only read (`dups`, `sources`, `sources reset`, the
/// source of `store copy`) pointed at a database without feedfold's schema
/// (a URL naming the wrong database) say there is no store there, as on
/// SQLite, and create nothing in it.
#[test]
fn commands_that_only_read_create_nothing_in_a_database_without_a_store() {
    let Some(url) = database("no_store") else {
        return;
    };
    let tables = || {
        count(
            &url,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
        )
    };
    let project = Project::new(&config(&url_line(&url), &[("desk", "dumps/*.txt")]));
    let no_store = "there is no store here";
    let dups = project.feedfold(&["dups"]);
    let (_, stderr) = text(&dups);
    assert_eq!(dups.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(no_store), "{stderr}");
    let sources = project.feedfold(&["sources"]);
    let (stdout, stderr) = text(&sources);
    assert!(sources.status.success(), "{stderr}");
    assert!(stderr.contains(no_store), "{stderr}");
    assert!(stdout.contains("source desk"), "{stdout}");
    let reset = project.feedfold(&["sources", "reset", "desk"]);
    assert!(reset.status.success(), "{:?}", text(&reset));
    let into = format!("sqlite:{}", project.path("copy.db").display());
    let copied = common::feedfold_in(project.dir.path(), &["store", "copy", &url, &into]);
    let (_, stderr) = text(&copied);
    assert_eq!(copied.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(no_store), "{stderr}");
    assert_eq!(tables(), 0, "nothing was created");
    // `run` creates the store; then the same commands read it.
    let run = project.feedfold(&["run"]);
    assert!(run.status.success(), "{:?}", text(&run));
    assert!(tables() > 0);
    for command in [&["dups"][..], &["sources"]] {
        let output = project.feedfold(command);
        let (_, stderr) = text(&output);
        assert!(output.status.success(), "{command:?}: {stderr}");
        assert!(!stderr.contains(no_store), "{command:?}: {stderr}");
    }
}

#[test]
fn a_source_backing_off_gives_its_claim_back() {
    use std::sync::{Arc, Mutex};

    use feedfold::pipeline::{self, Claims, progress::Silent};
    use feedfold::store::Claim;

    let Some(url) = database("backoff_claim") else {
        return;
    };
    // Nothing listens on port 1: every fetch fails.
    let text = config(&url_line(&url), &[]).replace(
        "[[feed]]",
        "[[source]]\nname = \"wire\"\nfeed = \"http://127.0.0.1:1/feed.xml\"\n\n[[feed]]",
    );
    let project = Project::new(&text);
    let config = feedfold::config::Config::load(&project.path("config.toml")).unwrap();
    let store: pipeline::SharedStore = Arc::new(Mutex::new(pipeline::open_store(&config).unwrap()));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut skipped = Vec::new();
    for _ in 0..3 {
        let sources = config
            .sources
            .iter()
            .map(|s| feedfold::ingest::source::from_config(s, config.folder()))
            .collect();
        let now = chrono::Utc::now();
        let fetching = pipeline::fetching::Fetching::new(&config).unwrap();
        let reports = runtime.block_on(pipeline::ingest(
            &config,
            sources,
            &store,
            &fetching,
            now,
            Claims::FreshSince(now),
            Arc::new(Silent),
        ));
        skipped.push(reports[0].backing_off);
    }
    assert_eq!(
        skipped,
        [false, false, true],
        "backing off after two failures"
    );
    // The process that skipped it still runs; another may claim it.
    assert_eq!(open(&url).claim("wire", None).unwrap(), Claim::Granted);
}

/// A worker whose clock is 5 minutes behind the database server's (run
/// under `faketime`) commits a story after a client's poll: the story is
/// stamped stored on the database's clock, so the client's next ask
/// `since` that poll gives it.
#[test]
fn a_worker_whose_clock_is_behind_stamps_what_it_stores_on_the_database_clock() {
    if !common::installed("faketime", "faketime") {
        return;
    }
    let Some(url) = database("clock_behind") else {
        return;
    };
    let project = Project::new(&config(&url_line(&url), &[("late", "dumps/late.txt")]));
    let story = dump_stories(31, 1).remove(0);
    project.write("dumps/late.txt", &story);
    let mut store = open(&url);
    let poll = chrono::Utc::now();
    let run = Command::new("faketime")
        .args(["-f", "-300s"])
        .arg(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--config"])
        .arg(project.path("config.toml"))
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env_remove("FEEDFOLD_CONFIG")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "{stdout}{stderr}");
    assert_eq!(store.article_count().unwrap(), 1, "{stdout}{stderr}");
    let since = store.feed_entries(None, Some(poll), 10).unwrap();
    assert_eq!(
        since.len(),
        1,
        "stored after the poll at {poll}, by a worker 5 minutes behind"
    );
}

/// A story in the shape of a text dump: its headline, its date and the
/// first `paragraphs` of `body`.
fn dump_of(headline: &str, date: &str, body: &[&str], paragraphs: usize) -> String {
    format!(
        "{headline}\n{headline}\n{date}\n\n{}\n",
        body[..paragraphs].join("\n\n")
    )
}

/// The JSON Feed `feed` as `server` serves it.
fn served_feed(server: &Server, feed: &str) -> String {
    http()
        .get(server.url(&format!("/feeds/{feed}.json")))
        .send()
        .and_then(|r| r.text())
        .unwrap_or_default()
}

#[test]
fn an_article_updated_through_another_source_is_republished_by_every_server() {
    let Some(url) = database("updated_elsewhere") else {
        return;
    };
    let harbour = [
        "The board of the Port of Calder voted on Monday to approve a long-delayed expansion of the northern harbour, ending a dispute with fishing cooperatives.",
        "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay for the town's fishing fleet, which had objected to earlier drafts.",
        "Nobody got everything they wanted, and that is usually the sign of a fair deal, board chair Imogen Ashworth told reporters after the vote.",
        "Construction is expected to begin in the spring and to take three years, the port authority said in a statement released later.",
        "Environmental groups said they would study the final plan before deciding whether to appeal against the decision in the courts.",
    ];
    let library = [
        "The county library on Mill Street will open on Sundays from next month, the council said, after a petition signed by more than four thousand residents.",
        "The extra hours will be staffed by volunteers for the first year while the council looks for money to pay for two more librarians in its budget.",
        "Students had asked for somewhere quiet to work at weekends, said Ruth Okafor, who started the petition in the spring with three friends from school.",
        "The children's floor and the reading room will open from noon until five, and the computers will be available to anyone with a library card.",
        "Late fees on books returned on Sundays will be waived until the end of the year, the head librarian, Tomasz Wierzbicki, said on Friday.",
    ];
    let harbour_title = "Harbour Council Approves the Northern Expansion Plan";
    let library_title = "County Library to Open on Sundays After Petition";
    // Feed `desk` lists only source `desk`: the updates below come through
    // other sources (a push, a worker's `wire`).
    let mut served = serving(
        &url_line(&url),
        &[("desk", "dumps/*.txt")],
        "token = \"t0ken\"\n",
    );
    served.push_str("\n[[feed]]\nname = \"desk\"\ntitle = \"Desk\"\nsources = [\"desk\"]\n");
    let projects: Vec<Project> = (0..2)
        .map(|_| {
            let project = Project::new(&served);
            project.write(
                "dumps/harbour.txt",
                &dump_of(
                    harbour_title,
                    "Monday, 5 October, 2026 - 09:15",
                    &harbour,
                    3,
                ),
            );
            project.write(
                "dumps/library.txt",
                &dump_of(
                    library_title,
                    "Friday, 9 October, 2026 - 11:00",
                    &library,
                    3,
                ),
            );
            project
        })
        .collect();
    let a = Server::start(&projects[0], &[]);
    assert!(eventually(Duration::from_secs(30), || {
        json_feed_ids(&served_feed(&a, "desk")).len() == 2
    }));
    let b = Server::start(&projects[1], &[]);
    assert!(eventually(Duration::from_secs(30), || {
        json_feed_ids(&served_feed(&b, "desk")).len() == 2
    }));
    for server in [&a, &b] {
        let desk = served_feed(server, "desk");
        assert!(!desk.contains("Environmental groups") && !desk.contains("Late fees"));
    }

    // A longer copy pushed to the first server updates the article.
    let pushed: serde_json::Value = http()
        .post(a.url("/api/articles"))
        .bearer_auth("t0ken")
        .json(&serde_json::json!({
            "title": harbour_title,
            "published": "2026-10-05T09:15:00Z",
            "body": harbour,
        }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(pushed["articles"][0]["status"], "update", "{pushed}");
    assert!(served_feed(&a, "desk").contains("Environmental groups"));
    // Well within the 10 s poll: the commit's announcement told the other.
    assert!(
        eventually(Duration::from_secs(3), || served_feed(&b, "desk")
            .contains("Environmental groups")),
        "the second server never served the pushed text: {}",
        served_feed(&b, "desk")
    );

    // A worker whose source `wire` holds a longer copy updates the other.
    let worker = Project::new(&config(&url_line(&url), &[("wire", "wire/*.txt")]));
    worker.write(
        "wire/library.txt",
        &dump_of(
            library_title,
            "Friday, 9 October, 2026 - 11:00",
            &library,
            5,
        ),
    );
    let (stdout, stderr) = text(&worker.feedfold(&["run"]));
    assert!(stdout.contains("1 updated"), "{stdout}\n{stderr}");
    for server in [&a, &b] {
        assert!(
            eventually(Duration::from_secs(3), || served_feed(server, "desk")
                .contains("Late fees")),
            "a server never served the worker's text: {}",
            served_feed(server, "desk")
        );
    }
}

#[test]
fn a_migration_is_refused_while_an_older_feedfold_stays_connected() {
    let Some(url) = database("upgrade_open") else {
        return;
    };
    drop(open(&url));
    // The database as the feedfold before the last migration left it, and
    // that feedfold's server connected to it, idle between cycles.
    execute(&url, "UPDATE schema_version SET version = version - 1");
    let separator = if url.contains('?') { '&' } else { '?' };
    let older = postgres::Client::connect(
        &format!("{url}{separator}application_name=feedfold"),
        postgres::NoTls,
    )
    .unwrap();
    let refused = PgStore::open(&StoreUrl::parse(&url).unwrap())
        .err()
        .expect("refused");
    assert!(
        matches!(refused, feedfold::store::StoreError::OpenElsewhere { .. }),
        "{refused}"
    );
    assert!(
        refused
            .to_string()
            .contains("stop the other feedfold first"),
        "{refused}"
    );
    drop(older);
    // Gone, the database is the next feedfold's to migrate; the migration
    // is not run again here, only its version put back.
    execute(&url, "UPDATE schema_version SET version = version + 1");
    drop(open(&url));
}

#[test]
fn a_store_migrated_past_this_feedfold_while_connected_is_written_no_more() {
    let Some(url) = database("upgrade_past") else {
        return;
    };
    let mut store = open(&url);
    execute(&url, "UPDATE schema_version SET version = version + 1");
    let refused = store.begin("desk").err().expect("refused");
    assert!(
        matches!(
            refused,
            feedfold::store::StoreError::ConvertedWhileOpen { .. }
        ),
        "{refused}"
    );
    execute(&url, "UPDATE schema_version SET version = version - 1");
    assert!(store.begin("desk").is_ok());
}

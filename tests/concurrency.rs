//! Concurrency: two `feedfold run` processes and a `feedfold serve` cycling
//! every second share one store and one feeds folder while a large ingest
//! lands. No article is lost or stored twice, no entry is published twice,
//! no "database is locked" reaches anyone, and the server ends up serving
//! what the files hold.

mod common;

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::server::{Server, eventually};
use common::{Project, generated_dump, json_feed_ids, text};

const CONFIG: &str = r#"
[store]
path = "feedfold.db"

[publish]
dir = "feeds"
base_url = "http://feeds.example"

[server]
bind = "127.0.0.1:0"

[schedule]
interval = "1s"

[[source]]
name = "north"
text = "dumps/north-*.txt"

[[source]]
name = "south"
text = "dumps/south-*.txt"

[[feed]]
name = "all"
title = "All"
limit = 10000
"#;

fn write_dumps(project: &Project, round: u64) {
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    for (i, desk) in ["north", "south"].iter().enumerate() {
        let dump = generated_dump(1000 * round + i as u64, 600);
        std::fs::write(project.path(&format!("dumps/{desk}-{round}.txt")), dump).unwrap();
    }
}

fn ids_in(project: &Project) -> Vec<String> {
    json_feed_ids(&project.read("feeds/all.json"))
}

#[test]
fn two_runs_and_a_server_share_the_store_safely() {
    // What one run alone stores from the same dumps.
    let reference = Project::new(CONFIG);
    write_dumps(&reference, 1);
    write_dumps(&reference, 2);
    assert!(reference.feedfold(&["run", "--quiet"]).status.success());
    let expected: HashSet<String> = ids_in(&reference).into_iter().collect();

    let project = Project::new(CONFIG);
    write_dumps(&project, 1);
    let log = project.path("server.log");
    let server = Server::start_logging_to(&project, &[], Some(&log));
    write_dumps(&project, 2);
    let runs: Vec<_> = (0..2)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_feedfold"))
                .args(["run", "--config"])
                .arg(project.path("config.toml"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for run in runs {
        let output = run.wait_with_output().unwrap();
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}{stderr}");
        assert!(
            !stderr.contains("locked") && !stdout.contains("locked"),
            "{stdout}{stderr}"
        );
    }
    // A source a run found busy was left to the server's cycle, which may
    // still be under way: wait until the files hold what the server has
    // finished too.
    let mut ids = ids_in(&project);
    let mut unique: HashSet<String> = ids.iter().cloned().collect();
    eventually(Duration::from_secs(60), || {
        ids = ids_in(&project);
        unique = ids.iter().cloned().collect();
        unique == expected
    });
    assert_eq!(ids.len(), unique.len(), "no entry is published twice");
    assert_eq!(unique, expected, "every article is there, none twice");

    let conn = rusqlite::Connection::open(project.path("feedfold.db")).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM article", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored as usize, expected.len());

    let health = http_get(&server.url("/healthz"));
    assert!(health.contains("\"failed_sources\":[]"), "{health}");
    let served = http_get(&server.url("/feeds/all.json"));
    let mut same = served == project.read("feeds/all.json");
    for _ in 0..50 {
        if same {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        same = http_get(&server.url("/feeds/all.json")) == project.read("feeds/all.json");
    }
    assert!(same, "the server serves what the file holds");
    drop(server);
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(!logged.contains("locked"), "{logged}");
}

/// A GET through a raw connection, for a test without an async runtime.
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (addr, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    body.to_string()
}

/// A project whose one source, `desk`, reads the city desk's dump into the
/// store `state/feedfold.db`, published as the feed `all`.
fn desk_project() -> Project {
    Project::new(
        r#"
[store]
path = "state/feedfold.db"

[publish]
dir = "feeds"

[[source]]
name = "desk"
text = "dumps/*.txt"

[[feed]]
name = "all"
title = "All"
"#,
    )
    .with_dumps(&["city-desk.txt"])
}

/// Several `feedfold run`s started at the same moment on a store that does
/// not exist yet: one creates the schema and switches the file to WAL, the
/// others wait for it, and every run succeeds. Repeated, since which
/// process gets there first varies; in every other round the fresh file is
/// held locked for a moment as it is while a process writes the schema, so
/// that every run meets that lock.
#[test]
fn runs_started_together_on_a_fresh_store_all_succeed() {
    const RUNS: usize = 6;
    for round in 0..4 {
        let project = desk_project();
        let holder = (round % 2 == 1).then(|| {
            std::fs::create_dir_all(project.path("state")).unwrap();
            let conn = rusqlite::Connection::open(project.path("state/feedfold.db")).unwrap();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(400));
                conn.execute_batch("ROLLBACK").unwrap();
            })
        });
        let runs: Vec<_> = (0..RUNS)
            .map(|i| {
                // Started a few milliseconds apart, so that some open the
                // store while another is still creating it.
                std::thread::sleep(Duration::from_millis(3 * (i as u64 % 4)));
                Command::new(env!("CARGO_BIN_EXE_feedfold"))
                    .args(["run", "--quiet", "--config"])
                    .arg(project.path("config.toml"))
                    .env_remove("RUST_LOG")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        if let Some(holder) = holder {
            holder.join().unwrap();
        }
        for run in runs {
            let output = run.wait_with_output().unwrap();
            let (stdout, stderr) = text(&output);
            assert!(output.status.success(), "round {round}: {stdout}{stderr}");
            assert!(stderr.is_empty(), "round {round}: {stderr}");
        }
        let ids = ids_in(&project);
        assert!(!ids.is_empty(), "round {round}: the feed holds the dump");
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "round {round}: each article once");
    }
}

/// A run that meets the store's lock held by another writer (a run
/// stopped or stuck while writing) waits for it, and after a moment says
/// on standard error what it waits for; under `--quiet` it waits without a
/// word until much later. Once the lock is released, both finish.
#[test]
fn a_run_waiting_for_the_stores_lock_says_so() {
    a_run_waits_at_the_held_lock_and_says_so("state/feedfold.db-lock", "waiting for the store");
}

/// A run that meets the feeds folder's lock held by another publisher (a
/// run or `serve` stopped or stuck while publishing) waits for it as it
/// waits for the store's, and says so the same way.
#[test]
fn a_run_waiting_for_the_feeds_folders_lock_says_so() {
    a_run_waits_at_the_held_lock_and_says_so(
        "feeds/.feedfold.lock",
        "waiting for the feeds folder",
    );
}

/// Holds the lock file `lock` of a project that has run once, and checks
/// that a run says `waiting` (naming the lock) on standard error while a
/// quiet run waits silently, and that both finish once it is released.
fn a_run_waits_at_the_held_lock_and_says_so(lock: &str, waiting: &str) {
    use std::io::{BufRead, BufReader};
    let project = desk_project();
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
    let holder = std::fs::File::options()
        .write(true)
        .open(project.path(lock))
        .unwrap();
    holder.lock().unwrap();
    let spawn = |quiet: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_feedfold"));
        command.arg("run");
        if quiet {
            command.arg("--quiet");
        }
        command
            .arg("--config")
            .arg(project.path("config.toml"))
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut quiet = spawn(true);
    let mut told = spawn(false);
    let (lines, seen) = std::sync::mpsc::channel();
    let stderr = told.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line.clone());
        }
    });
    let told_line = loop {
        let line = seen
            .recv_timeout(Duration::from_secs(30))
            .expect("a line saying what the run waits for");
        if line.contains(waiting) {
            break line;
        }
    };
    assert!(told_line.contains(lock), "{told_line}");
    assert!(
        quiet.try_wait().unwrap().is_none(),
        "the quiet run waits too"
    );
    holder.unlock().unwrap();
    assert!(told.wait().unwrap().success());
    reader.join().unwrap();
    let quiet = quiet.wait_with_output().unwrap();
    let (_, quiet_stderr) = text(&quiet);
    assert!(quiet.status.success());
    assert!(quiet_stderr.is_empty(), "{quiet_stderr}");
}

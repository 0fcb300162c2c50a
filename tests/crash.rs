//! Crash safety: `feedfold run` is killed with SIGKILL at many points of a
//! large ingest. After every kill the store passes `PRAGMA integrity_check`,
//! each source is in the store whole or not at all (one transaction per
//! source), every feed file is a complete, valid document whose entries the
//! store holds, and the next run finishes the work.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Project, generated_dump};

const SOURCES: usize = 4;
const ARTICLES_PER_SOURCE: usize = 700;
const KILL_POINTS: usize = 12;

fn config() -> String {
    let mut text = String::from(
        "[store]\npath = \"state/feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n",
    );
    for i in 0..SOURCES {
        text.push_str(&format!(
            "\n[[source]]\nname = \"desk{i}\"\ntext = \"dumps/desk{i}.txt\"\n"
        ));
    }
    text.push_str("\n[[feed]]\nname = \"all\"\ntitle = \"All desks\"\nlimit = 100\n");
    text.push_str("\n[[feed]]\nname = \"first\"\ntitle = \"First desk\"\nsources = [\"desk0\"]\n");
    text
}

fn project() -> Project {
    let project = Project::new(&config());
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    for i in 0..SOURCES {
        let dump = generated_dump(100 + i as u64, ARTICLES_PER_SOURCE);
        std::fs::write(project.path(&format!("dumps/desk{i}.txt")), dump).unwrap();
    }
    project
}

fn run(project: &Project) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--quiet", "--config"])
        .arg(project.path("config.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start feedfold run")
}

/// Whether the store's tables are there: a run killed after it made the
/// file but before its first transaction committed leaves an empty file.
fn has_tables(conn: &rusqlite::Connection) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('article', 'sighting')",
        [],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        == 2
}

/// Articles seen per source, as the store holds them (none in a store
/// whose tables were never committed).
fn per_source(db: &Path) -> BTreeMap<String, i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    if !has_tables(&conn) {
        return BTreeMap::new();
    }
    let mut stmt = conn
        .prepare("SELECT p.source, count(DISTINCT s.article) FROM sighting s JOIN place p ON p.id = s.place GROUP BY p.source")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn stored_ids(db: &Path) -> std::collections::HashSet<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    if !has_tables(&conn) {
        return Default::default();
    }
    let mut stmt = conn.prepare("SELECT id FROM article").unwrap();
    stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|id| feedfold::store::codec::unpack_id(&id.unwrap()).unwrap())
        .collect()
}

/// Every file in `feeds/` is a whole, valid document whose entries are in
/// the store; returns how many feed files there are.
fn check_feed_files(project: &Project, ids: &std::collections::HashSet<String>) -> usize {
    let Ok(entries) = std::fs::read_dir(project.path("feeds")) else {
        return 0;
    };
    let mut files = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == ".feedfold.lock" || name.ends_with(".tmp") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let entry_ids: Vec<String> = match path.extension().and_then(|e| e.to_str()) {
            Some("rss") => rss::Channel::read_from(&bytes[..])
                .unwrap_or_else(|e| panic!("{name} is not whole RSS: {e}"))
                .items()
                .iter()
                .map(|i| i.guid().unwrap().value().to_string())
                .collect(),
            Some("atom") => atom_syndication::Feed::read_from(&bytes[..])
                .unwrap_or_else(|e| panic!("{name} is not whole Atom: {e}"))
                .entries()
                .iter()
                .map(|e| e.id().to_string())
                .collect(),
            Some("json") => common::json_feed_ids(
                std::str::from_utf8(&bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}")),
            ),
            _ => panic!("unexpected file in feeds/: {name}"),
        };
        for id in entry_ids {
            assert!(
                ids.contains(&id),
                "{name} publishes {id}, which the store lacks"
            );
        }
        files += 1;
    }
    files
}

#[test]
fn sigkill_at_any_point_loses_nothing_committed() {
    // A calibration run on a copy: how long a whole run takes, and what each
    // source holds when complete.
    let reference = project();
    let started = Instant::now();
    assert!(run(&reference).wait().unwrap().success());
    let mut full_run = started.elapsed();
    let complete = per_source(&reference.path("state/feedfold.db"));
    assert_eq!(complete.len(), SOURCES);

    let project = project();
    let db = project.path("state/feedfold.db");
    let mut killed_mid_run = 0;
    for point in 0..KILL_POINTS {
        let delay = full_run.mul_f64((point as f64 + 0.5) / KILL_POINTS as f64);
        let mut child = run(&project);
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        } else {
            // Runs over a partly filled store, or on a quieter machine, are
            // quicker than the calibration: aim the later kills earlier.
            full_run = full_run.mul_f64(0.7);
        }
        let _ = child.kill();
        child.wait().unwrap();
        if !db.exists() {
            continue;
        }
        assert_eq!(integrity(&db), "ok", "after the kill at {delay:?}");
        for (source, count) in per_source(&db) {
            let whole = complete[&source];
            assert!(
                count == whole,
                "{source} holds {count} of {whole} articles after the kill at {delay:?}"
            );
        }
        check_feed_files(&project, &stored_ids(&db));
    }
    assert!(
        killed_mid_run >= KILL_POINTS / 2,
        "most kills must land mid-run ({killed_mid_run})"
    );

    let finish = run(&project).wait().unwrap();
    assert!(finish.success(), "the next run finishes the work");
    assert_eq!(integrity(&db), "ok");
    assert_eq!(per_source(&db), complete);
    assert_eq!(check_feed_files(&project, &stored_ids(&db)), 6);
    let leftovers: Vec<_> = std::fs::read_dir(project.path("feeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "interrupted writes are cleared: {leftovers:?}"
    );
    eprintln!("{KILL_POINTS} kills, {killed_mid_run} mid-run; a whole run took {full_run:?}");
}

//! Disk faults: a full disk and a read-only `feeds/` folder end the run with
//! a clear error, leave the store consistent and keep the previous feed files
//! byte for byte; once the fault is gone, the next run catches up.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::disk::SmallDisk;
use common::{Project, generated_dump, text};

fn config(root: &str) -> String {
    format!(
        "[store]\npath = \"{root}/feedfold.db\"\n\n[publish]\ndir = \"{root}/feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         [[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"news\"\ntitle = \"News\"\n"
    )
}

fn feed_files(project: &Project, root: &str) -> Vec<(PathBuf, Vec<u8>)> {
    ["rss", "atom", "json"]
        .iter()
        .map(|ext| {
            let path = project.path(&format!("{root}/feeds/news.{ext}"));
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

/// Asserts that each feed file holds the bytes it held before.
fn assert_intact(feeds: &[(PathBuf, Vec<u8>)]) {
    for (path, bytes) in feeds {
        assert_eq!(
            &std::fs::read(path).unwrap(),
            bytes,
            "{} is intact",
            path.display()
        );
    }
}

fn store_state(db: &Path) -> (String, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let articles: i64 = conn
        .query_row("SELECT count(*) FROM article", [], |r| r.get(0))
        .unwrap();
    (integrity, articles)
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_store_and_feeds() {
    let project = Project::new(&config("disk"));
    let Some(_disk) = SmallDisk::mount(&project.path("disk"), "1m") else {
        return;
    };
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(project.path("dumps/a.txt"), generated_dump(7, 20)).unwrap();
    let first = project.feedfold(&["run"]);
    assert!(first.status.success(), "{:?}", text(&first));
    let feeds = feed_files(&project, "disk");
    let db = project.path("disk/feedfold.db");
    let (_, before) = store_state(&db);

    // Far more than the disk holds.
    std::fs::write(project.path("dumps/b.txt"), generated_dump(8, 1500)).unwrap();
    let full = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&full);
    assert_eq!(full.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("database or disk is full") || stderr.contains("No space left on device"),
        "the error says the disk is full: {stderr}"
    );
    assert!(
        stderr.contains("disk/feedfold.db"),
        "the error names the store: {stderr}"
    );
    assert_eq!(
        store_state(&db),
        ("ok".to_string(), before),
        "the store is as it was"
    );
    assert_intact(&feeds);
}

#[test]
fn a_disk_full_between_feed_files_replaces_none_of_them() {
    let project = Project::new(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"disk/feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         [[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    // Room for the first run's small files and one large new file, not
    // for two: the store lies outside it.
    let Some(_disk) = SmallDisk::mount(&project.path("disk"), "64k") else {
        return;
    };
    project.write(
        "dumps/a.txt",
        "Small Story Opens The Feed Today Here\n2026-10-01 10:00\n\nA short paragraph.\n",
    );
    let first = project.feedfold(&["run"]);
    assert!(first.status.success(), "{:?}", text(&first));
    let feeds = feed_files(&project, "disk");

    let large: String = (1..=3)
        .map(|i| {
            format!(
                "Large Story {i} Fills The Disk Today Here\n2026-11-0{i} 10:00\n\n{}.\n\n",
                format!("Long paragraph {i} ").repeat(400)
            )
        })
        .collect();
    project.write("dumps/b.txt", &large);
    let full = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&full);
    assert_eq!(full.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("feed news: 4 entries, 0 files written"),
        "{stdout}"
    );
    assert!(
        stderr.contains("No space left on device"),
        "the error says the disk is full: {stderr}"
    );
    for (path, bytes) in &feeds {
        assert_eq!(
            &std::fs::read(path).unwrap(),
            bytes,
            "{} is as it was, like the other two",
            path.display()
        );
    }
    let left: Vec<_> = std::fs::read_dir(project.path("disk/feeds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// Makes `dir` unwritable even for root (`chattr +i`), or with permissions
/// for other users; returns false when neither takes.
fn make_read_only(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.join(".probe");
    if std::fs::write(&probe, b"x").is_err() {
        return true;
    }
    let _ = std::fs::remove_file(&probe);
    Command::new("chattr")
        .arg("+i")
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success())
        && std::fs::write(&probe, b"x").is_err()
}

fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = Command::new("chattr").arg("-i").arg(dir).status();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_read_only_feeds_folder_fails_clearly_and_keeps_the_files() {
    let project = Project::new(&config("out"));
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(project.path("dumps/a.txt"), generated_dump(9, 10)).unwrap();
    assert!(project.feedfold(&["run"]).status.success());
    let feeds = feed_files(&project, "out");
    let dir = project.path("out/feeds");
    if !make_read_only(&dir) {
        make_writable(&dir);
        assert!(!ci(), "cannot make a folder read-only, and CI=true");
        eprintln!("skipped: cannot make a folder read-only here");
        return;
    }
    std::fs::write(project.path("dumps/b.txt"), generated_dump(10, 5)).unwrap();
    let output = project.feedfold(&["run"]);
    make_writable(&dir);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("feed news: "), "{stderr}");
    assert!(
        stderr.contains("out/feeds/"),
        "the error names the folder: {stderr}"
    );
    assert!(
        stderr.contains("Permission denied") || stderr.contains("Operation not permitted"),
        "{stderr}"
    );
    assert_intact(&feeds);
    let (integrity, articles) = store_state(&project.path("out/feedfold.db"));
    assert_eq!(integrity, "ok");
    assert_eq!(
        articles, 15,
        "the store took the new articles; only publishing failed"
    );

    let again = project.feedfold(&["run"]);
    assert!(again.status.success(), "{:?}", text(&again));
    assert!(
        text(&again)
            .0
            .contains("feed news: 15 entries, 3 files written")
    );
}

#[test]
fn a_file_size_limit_fails_the_feed_not_the_process() {
    let project = Project::new(&config("out"));
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(project.path("dumps/a.txt"), generated_dump(11, 5)).unwrap();
    assert!(project.feedfold(&["run"]).status.success());
    let feeds = feed_files(&project, "out");
    std::fs::write(project.path("dumps/b.txt"), generated_dump(12, 400)).unwrap();
    // Run under `ulimit -f 256` (blocks of 512 bytes: 128 KiB a file), as
    // systemd's `LimitFSIZE=` would: the store grows past it too.
    let output = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 256 && exec \"$0\" run --config \"$1\"")
        .arg(env!("CARGO_BIN_EXE_feedfold"))
        .arg(project.path("config.toml"))
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "an error, not a signal: {stdout}{stderr}"
    );
    // The store or a feed file meets the limit first: either is named.
    assert!(
        stderr.contains("File too large") || stderr.contains("out/feedfold.db: disk I/O error"),
        "{stderr}"
    );
    assert_intact(&feeds);
    let (integrity, _) = store_state(&project.path("out/feedfold.db"));
    assert_eq!(integrity, "ok");
    let again = project.feedfold(&["run"]);
    assert!(again.status.success(), "{:?}", text(&again));
}

/// Runs `feedfold ARGS` in `project` as a user who is not root: as is
/// when the tests are not run as root, else as `nobody` (owning the
/// project) through `setpriv`; `None` when neither can be had.
fn feedfold_unprivileged(project: &Project, args: &[&str]) -> Option<std::process::Output> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if root {
        if !common::installed("setpriv", "util-linux") {
            return None;
        }
        let owned = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(project.dir.path())
            .status()
            .ok()?;
        assert!(owned.success());
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_feedfold"));
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_feedfold"))
    };
    command
        .args(args)
        .arg("--config")
        .arg(project.path("config.toml"))
        .current_dir(project.dir.path())
        .env_remove("RUST_LOG");
    Some(command.output().expect("run feedfold"))
}

#[test]
fn a_store_whose_folder_cannot_be_written_is_named_as_such() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new(&config("state"));
    project.write("dumps/a.txt", &generated_dump(3, 2));
    assert!(project.feedfold(&["run", "-q"]).status.success());
    let state = project.path("state");
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o555)).unwrap();
    let output = feedfold_unprivileged(&project, &["run", "-q"]);
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Some(output) = output else { return };
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let named = format!(
        "its folder {} is not writable (SQLite keeps the store's -wal and -shm files there)",
        state.display()
    );
    assert!(stderr.contains(&named), "{stderr}");

    // A store not made yet, in that folder.
    project.write(
        "config.toml",
        &config("state").replace("state/feedfold.db", "state/new.db"),
    );
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o555)).unwrap();
    let output = feedfold_unprivileged(&project, &["run", "-q"]).unwrap();
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&named), "{stderr}");
}

#[test]
fn a_store_made_writable_again_is_written_by_the_next_run() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new(&config("state"));
    project.write("dumps/a.txt", &generated_dump(3, 2));
    let Some(first) = feedfold_unprivileged(&project, &["run", "-q"]) else {
        return;
    };
    assert!(first.status.success(), "{}", text(&first).1);
    let store = project.path("state/feedfold.db");
    let beside = |suffix: &str| project.path(&format!("state/feedfold.db{suffix}"));
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o444)).unwrap();
    let refused = feedfold_unprivileged(&project, &["run", "-q"]).unwrap();
    let (_, stderr) = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("feedfold.db is not writable"), "{stderr}");
    for suffix in ["-wal", "-shm"] {
        assert!(
            !beside(suffix).exists(),
            "{suffix} made beside a store not writable"
        );
    }

    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).unwrap();
    project.write("dumps/b.txt", &generated_dump(4, 2));
    let again = feedfold_unprivileged(&project, &["run", "-q"]).unwrap();
    assert!(again.status.success(), "{}", text(&again).1);

    // An index left read-only beside the store (by an earlier feedfold)
    // is given the store's mode.
    std::fs::write(beside("-shm"), b"").unwrap();
    std::fs::set_permissions(beside("-shm"), std::fs::Permissions::from_mode(0o444)).unwrap();
    project.write("dumps/c.txt", &generated_dump(5, 2));
    let repaired = feedfold_unprivileged(&project, &["run", "-q"]).unwrap();
    assert!(repaired.status.success(), "{}", text(&repaired).1);
}

#[test]
fn a_store_that_cannot_be_read_is_named_as_such_by_every_command() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new(&config("state"));
    project.write("dumps/a.txt", &generated_dump(3, 2));
    assert!(project.feedfold(&["run", "-q"]).status.success());
    let store = project.path("state/feedfold.db");
    for args in [&["dups"][..], &["sources"], &["run", "-q"]] {
        // No permission for anyone but root, whoever owns it.
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o000)).unwrap();
        let output = feedfold_unprivileged(&project, args);
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).unwrap();
        let Some(output) = output else { return };
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("feedfold.db is not readable by this user: Permission denied"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("not writable"), "{args:?}: {stderr}");
        assert!(!stderr.contains("immutable"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_store_on_a_read_only_mount_is_named_as_such() {
    let project = Project::new(&config("state"));
    let Some(disk) = SmallDisk::mount(&project.path("state"), "4m") else {
        return;
    };
    project.write("dumps/a.txt", &generated_dump(4, 2));
    assert!(project.feedfold(&["run", "-q"]).status.success());
    disk.make_read_only();
    let named = format!(
        "its folder {} is not writable: a read-only file system (SQLite keeps the store's -wal and -shm files there; ",
        project.path("state").display()
    );
    let output = project.feedfold(&["run", "-q"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&named), "{stderr}");

    // A store not made yet, on that mount.
    project.write(
        "config.toml",
        &config("state").replace("state/feedfold.db", "state/new.db"),
    );
    let output = project.feedfold(&["run", "-q"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&named), "{stderr}");
}

#[test]
fn a_store_whose_disk_is_too_full_to_open_it_says_the_disk_is_full() {
    let project = Project::new(&config("state"));
    let Some(_disk) = SmallDisk::mount(&project.path("state"), "2m") else {
        return;
    };
    project.write("dumps/a.txt", &generated_dump(5, 2));
    assert!(project.feedfold(&["run", "-q"]).status.success());
    // Another application takes the last free bytes.
    let filler = project.path("state/filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    while std::io::Write::write_all(&mut file, &[0; 4096]).is_ok() {}
    drop(file);
    project.write("dumps/b.txt", &generated_dump(6, 2));
    let output = project.feedfold(&["run", "-q"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the disk of its folder {} is full",
            project.path("state").display()
        )),
        "{stderr}"
    );
    std::fs::remove_file(&filler).unwrap();
    assert!(project.feedfold(&["run", "-q"]).status.success());
}

#[test]
fn a_folder_a_glob_cannot_list_is_named_and_the_rest_of_the_source_is_read() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new(
        "[store]\npath = \"state/feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         [[source]]\nname = \"drop\"\ntext = \"dumps/**/*.txt\"\n\n\
         [[source]]\nname = \"scraped\"\npages = \"pages/*/*.html\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    project.write(
        "dumps/2026-12-01/harbour.txt",
        "Harbour Board Approves Northern Berth Expansion\n\n\
         The harbour board voted on Monday to approve the long-delayed northern berth expansion.\n",
    );
    project.write(
        "dumps/scraper-tmp/other.txt",
        "Another Scraper's Story\n\nA paragraph in a folder this user cannot list.\n",
    );
    project.write(
        "pages/2026-12-01/ferry.html",
        "<html><head><title>Ferry Service Resumes After Pier Repairs</title></head><body><article>\
         <h1>Ferry Service Resumes After Pier Repairs</h1>\
         <p>The ferry service resumes on Monday after repairs to the pier were completed early.</p>\
         </article></body></html>",
    );
    project.write("pages/locked/x.html", "<html><body><p>x</p></body></html>");
    let locked = [
        project.path("dumps/scraper-tmp"),
        project.path("pages/locked"),
    ];
    let lock = |mode| {
        for folder in &locked {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    lock(0o000);
    let output = feedfold_unprivileged(&project, &["run"]);
    lock(0o755);
    let Some(output) = output else { return };
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    for folder in ["dumps/scraper-tmp", "pages/locked"] {
        assert_eq!(
            stdout
                .matches(&format!("{folder}: cannot list: Permission denied"))
                .count(),
            1,
            "{stdout}"
        );
    }
    let feed = project.read("feeds/news.rss");
    assert!(feed.contains("Harbour Board Approves"), "{feed}");
    assert!(feed.contains("Ferry Service Resumes"), "{feed}");
}

//! Running feedfold for months: fetch state follows a source's URL,
//! `feedfold sources` shows it and `sources reset` clears it, `run --quiet`
//! names every failing source and every source held back by backoff, `-v`
//! and `-vv` log each source, fetch and fold decision (and the README's
//! `RUST_LOG` example logs what it names), `run` pings the WebSub hub for
//! the feeds it changed (never for an empty one, nor does a fresh `serve`),
//! and `store copy` refuses another store and totals the records it
//! copied as the README says. Upstream feeds and the hub are stubs on
//! 127.0.0.1.

mod common;

use std::net::SocketAddr;
use std::process::{Command, Output};
use std::time::Duration;

use common::server::{Server, eventually, start_hub};
use common::{Project, text, upstream};

/// A config's store and `[publish]` section, with `publish` added to it.
fn head(publish: &str) -> String {
    format!(
        r#"
[store]
path = "feedfold.db"

[publish]
dir = "feeds"
base_url = "http://feeds.example"
{publish}
"#
    )
}

fn config(upstream: SocketAddr, wire: &str) -> String {
    head("")
        + &format!(
            r#"
[fetch]
timeout = "5s"
connect_timeout = "2s"

[[source]]
name = "wire"
feed = "http://{upstream}{wire}"

[[source]]
name = "good"
feed = "http://{upstream}/feeds/rss20.xml"

[[feed]]
name = "all"
title = "All"
"#
        )
}

/// The lines of `feedfold sources` about `name`.
fn shown(project: &Project, name: &str) -> String {
    let output = project.feedfold(&["sources"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    let start = format!("source {name} (");
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with(&start));
    let mut block: Vec<&str> = lines.next().into_iter().collect();
    block.extend(lines.take_while(|l| l.starts_with("  ")));
    block.join("\n")
}

fn json_of(project: &Project, name: &str) -> serde_json::Value {
    let output = project.feedfold(&["sources", "--json"]);
    assert!(output.status.success());
    let (stdout, _) = text(&output);
    stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {stdout}"))
}

/// Runs `wire` into backoff: two failed fetches in a row.
fn fail_twice(project: &Project) {
    for _ in 0..2 {
        let failed = project.feedfold(&["run"]);
        let (stdout, stderr) = text(&failed);
        assert_eq!(failed.status.code(), Some(1), "{stdout}{stderr}");
        assert!(stderr.contains("source wire: failed"), "{stderr}");
    }
}

#[test]
fn a_fixed_url_starts_afresh_and_quiet_runs_name_failures_and_backoff() {
    let (upstream, _) = upstream::start();
    let project = Project::new(&config(upstream, "/feeds/newz.rss?key=s3cret"));
    let bad = format!("http://{upstream}/feeds/newz.rss?key=***");

    // Cron's view: one line per failing source, on standard error.
    let quiet = project.feedfold(&["run", "--quiet"]);
    let (stdout, stderr) = text(&quiet);
    assert_eq!(quiet.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!("feedfold: source wire: failed: {bad}: HTTP 404\n")
    );
    // A second failure in a row puts it into backoff.
    let failed = project.feedfold(&["run"]);
    assert_eq!(failed.status.code(), Some(1));

    // Held back by backoff: still one line on standard error, status 0.
    let quiet = project.feedfold(&["run", "--quiet"]);
    let (stdout, stderr) = text(&quiet);
    assert_eq!(quiet.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("feedfold: source wire: skipped, backing off until "),
        "{stderr}"
    );
    assert!(
        lines[0].ends_with(&format!(
            " after 2 failures in a row; last: {bad}: HTTP 404"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"));

    // `feedfold sources` tells the operator the same.
    let wire = shown(&project, "wire");
    assert!(
        wire.starts_with(&format!("source wire (feed): {bad}\n")),
        "{wire}"
    );
    assert!(
        wire.contains(&format!("last result:  failed: {bad}: HTTP 404")),
        "{wire}"
    );
    assert!(wire.contains("failures:     2 in a row"), "{wire}");
    assert!(wire.contains("next attempt: backing off until "), "{wire}");
    assert!(!wire.contains("s3cret"));
    let good = shown(&project, "good");
    assert!(good.contains("last result:  ok"), "{good}");
    assert!(good.contains("next attempt: on the next run"), "{good}");
    let json = json_of(&project, "wire");
    assert_eq!(json["backing_off"], true);
    assert_eq!(json["failures"], 2);
    assert_eq!(json["last_result"], "failed");

    // The URL fixed in config.toml: fetched at once, from scratch.
    let fixed = config(upstream, "/feeds/rss20.xml?key=s3cret");
    std::fs::write(project.path("config.toml"), fixed).unwrap();
    let run = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&run);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("source wire: ") && l.contains("entries read")),
        "{stdout}"
    );
    assert!(!format!("{stdout}{stderr}").contains("backing off"));
    let wire = shown(&project, "wire");
    assert!(wire.contains("last result:  ok"), "{wire}");
    assert!(wire.contains("failures:     0 in a row"), "{wire}");
    assert!(wire.contains("next attempt: on the next run"), "{wire}");
}

#[test]
fn sources_reset_fetches_at_once_and_refuses_unknown_names() {
    let (upstream, _) = upstream::start();
    let project = Project::new(&config(upstream, "/feeds/newz.rss"));
    // Before any run there is nothing to clear, and no store is made.
    let early = project.feedfold(&["sources", "reset", "--all"]);
    let (_, stderr) = text(&early);
    assert!(early.status.success(), "{stderr}");
    assert!(stderr.contains(": nothing to clear"), "{stderr}");
    assert!(!project.path("feedfold.db").exists());
    assert!(!project.path("feedfold.db-lock").exists());
    fail_twice(&project);
    let held = project.feedfold(&["run"]);
    let (stdout, _) = text(&held);
    assert!(
        stdout.contains("source wire: skipped, backing off until"),
        "{stdout}"
    );

    let unknown = project.feedfold(&["sources", "reset", "wyre"]);
    let (stdout, stderr) = text(&unknown);
    assert_eq!(unknown.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("no source named \"wyre\"")
            && stderr.contains("the sources are: wire, good"),
        "{stderr}"
    );
    assert!(
        shown(&project, "wire").contains("backing off"),
        "an unknown name clears nothing"
    );

    let reset = project.feedfold(&["sources", "reset", "wire"]);
    let (stdout, stderr) = text(&reset);
    assert!(reset.status.success(), "{stderr}");
    assert_eq!(
        stdout,
        "source wire: fetch state cleared; fetched at once on the next run\n"
    );
    let wire = shown(&project, "wire");
    assert!(wire.contains("last result:  never fetched"), "{wire}");
    assert!(shown(&project, "good").contains("last result:  ok"));

    // Fetched again at once (and failing again, since the URL is still wrong).
    let again = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&again);
    assert_eq!(again.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("source wire: failed"), "{stderr}");
    assert!(stderr.contains("HTTP 404"), "{stderr}");

    let all = project.feedfold(&["sources", "reset", "--all"]);
    let (stdout, _) = text(&all);
    assert!(all.status.success());
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(shown(&project, "good").contains("never fetched"));
}

/// The global options go between `sources` and its subcommand too, as
/// after any command; `--json` goes with the listing alone.
#[test]
fn sources_subcommands_take_the_global_options_before_them() {
    let project = Project::new(&config("127.0.0.1:9".parse().unwrap(), "/wire.xml"));
    let config = project.path("config.toml");
    let config = config.to_str().unwrap();
    for options in [vec!["--config", config], vec!["-c", config, "-q"]] {
        let mut args = vec!["sources"];
        args.extend(&options);
        args.extend(["reset", "wire"]);
        let output = common::feedfold_in(&project.path(""), &args);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(": nothing to clear"), "{stderr}");
    }
    let listed = common::feedfold_in(&project.path(""), &["sources", "-c", config, "export"]);
    let (stdout, stderr) = text(&listed);
    assert!(listed.status.success(), "{stderr}");
    assert!(stdout.contains("<opml"), "{stdout}");
    let json = project.feedfold(&["sources", "--json", "reset", "wire"]);
    let (_, stderr) = text(&json);
    assert_eq!(json.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`--json` goes with `feedfold sources` alone"),
        "{stderr}"
    );
}

#[test]
fn sources_without_a_store_say_so_and_make_none() {
    let project = Project::new(&config("127.0.0.1:9".parse().unwrap(), "/wire.xml"));
    let output = project.feedfold(&["sources"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("never fetched"), "{stdout}");
    assert!(
        stderr.contains("there is no store here") && stderr.contains("check `[store] path`"),
        "a moved store's mistyped path shows: {stderr}"
    );
    assert!(!project.path("feedfold.db").exists(), "no store is made");
}

/// Runs feedfold in `project` with `args` before `run`, and `RUST_LOG` as
/// given.
fn run_logged(project: &Project, args: &[&str], rust_log: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_feedfold"));
    command
        .args(args)
        .arg("run")
        .arg("--config")
        .arg(project.path("config.toml"))
        .env_remove("FEEDFOLD_CONFIG")
        .env_remove("RUST_LOG");
    if let Some(filter) = rust_log {
        command.env("RUST_LOG", filter);
    }
    command.output().expect("run feedfold")
}

const EVENTS: [&str; 6] = [
    "started",
    "done: ",
    "fetched",
    "new article",
    "folded into",
    "DEBUG",
];

/// A fold is logged by the rule `dups` names for it: a copy of a text its
/// article had before a longer copy replaced it is an `earlier-text` fold
/// in both, as many bits apart.
#[test]
fn a_fold_is_logged_by_the_rule_dups_names() {
    let project = Project::new(
        r#"
[store]
path = "state/feedfold.db"

[publish]
dir = "feeds"
base_url = "https://feeds.example"

[[source]]
name = "desk"
text = "dumps/a.txt"

[[source]]
name = "wire"
text = "dumps/b.txt"

[[source]]
name = "mirror"
text = "dumps/c.txt"

[[feed]]
name = "all"
title = "All"
"#,
    );
    let story = [
        "The board of the Port of Calder voted on Monday to approve a long-delayed expansion \
         of the northern harbour, ending a dispute with fishing cooperatives that had stalled \
         the project for more than a year.",
        "The plan adds two deep-water berths and a rail spur, and sets aside a protected quay \
         for the town's fishing fleet, which had objected to earlier drafts.",
        "Construction is expected to begin in the spring and to take three years, with the \
         first berth open to ships before the end of the second summer.",
    ];
    let dump = |paragraphs: &[&str]| {
        format!(
            "Port of Calder Approves Harbour Expansion\n\n{}\n",
            paragraphs.join("\n\n")
        )
    };
    let longer = [
        &story[..],
        &[
            "Late on Monday the cooperatives said they would not oppose the plan in court, \
           clearing the way for work to begin as soon as contracts are signed.",
        ],
    ]
    .concat();
    project.write("dumps/a.txt", &dump(&story));
    project.write("dumps/b.txt", &dump(&longer));
    project.write("dumps/c.txt", &dump(&story));
    let run = run_logged(&project, &["-v"], None);
    let (stdout, log) = text(&run);
    assert!(run.status.success(), "{stdout}{log}");
    let dups = project.feedfold(&["dups"]);
    let (listed, _) = text(&dups);
    let apart = listed
        .lines()
        .find_map(|l| l.split_once("earlier-text (")?.1.split_once(" bits apart"))
        .map(|(before, _)| before.rsplit(' ').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("no earlier-text fold in {listed}"));
    let logged = log
        .lines()
        .find(|l| l.contains("dumps/c.txt:1: folded into"))
        .unwrap_or_else(|| panic!("no fold of c.txt in {log}"));
    assert!(
        logged.contains(&format!(" by earlier-text, distance {apart} ")),
        "{logged} (dups: {listed})"
    );
}

#[test]
fn files_whose_names_differ_only_in_latin1_letters_are_two_places() {
    use std::os::unix::ffi::OsStrExt;
    let project = Project::new(
        r#"
[[source]]
name = "share"
text = "dumps/*.txt"

[[feed]]
name = "news"
title = "News"
"#,
    );
    let story = "Harbour Board Backs Northern Berth Expansion\n\n5 October 2026\n\n\
         The board of the Port of Calder voted on Monday to approve a long-delayed expansion \
         of the northern harbour, ending a dispute with fishing cooperatives.\n\n\
         The plan adds two deep-water berths and a rail spur, and sets aside a protected quay \
         for the town's fishing fleet.\n";
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    // Müller.txt and Möller.txt, named in Latin-1 by an old scraper.
    for name in [&b"M\xfcller.txt"[..], b"M\xf6ller.txt"] {
        let path = project
            .path("dumps")
            .join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, story).unwrap();
    }
    let run = project.feedfold(&["run"]);
    let (_, progress) = text(&run);
    assert!(run.status.success(), "{progress}");
    for place in [r"dumps/M\xFCller.txt", r"dumps/M\xF6ller.txt"] {
        assert!(
            progress.contains(&format!("{place} (")),
            "each file is named byte by byte: {progress}"
        );
    }
    let dups = project.feedfold(&["dups", "--json"]);
    let (listed, stderr) = text(&dups);
    assert!(dups.status.success(), "{stderr}");
    let fold: serde_json::Value =
        serde_json::from_str(listed.lines().next().expect("one fold")).unwrap();
    assert_eq!(fold["into"]["location"], "dumps/M\\xF6ller.txt", "{listed}");
    assert_eq!(fold["copy"]["location"], "dumps/M\\xFCller.txt", "{listed}");
}

#[test]
fn verbose_runs_log_each_source_fetch_and_fold_decision() {
    let (upstream, _) = upstream::start();
    let project = Project::new(
        &(head("")
            + &format!(
                r#"
[[source]]
name = "desk"
text = "dumps/*.txt"

[[source]]
name = "moved"
feed = "http://{upstream}/redirect?to=/feeds/rss20.xml&key=s3cret"

[[source]]
name = "conditional"
feed = "http://{upstream}/etag/atom10.xml"

[[feed]]
name = "all"
title = "All"
"#
            )),
    )
    .with_dumps(&["city-desk.txt", "other-desk.txt"]);
    // The same dump under another name: each story in it is a repeat.
    std::fs::copy(
        project.path("dumps/city-desk.txt"),
        project.path("dumps/copy.txt"),
    )
    .unwrap();

    let verbose = run_logged(&project, &["-v"], None);
    let (stdout, log) = text(&verbose);
    assert!(verbose.status.success(), "{stdout}{log}");
    for event in EVENTS {
        assert!(log.contains(event), "no {event:?} in {log}");
    }
    let line = |needle: &str| {
        log.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in {log}"))
            .to_string()
    };
    let fetched = log
        .lines()
        .find(|l| l.contains("fetched url=") && l.contains("/redirect?to=***"))
        .unwrap_or_else(|| panic!("no fetch of the redirect in {log}"));
    // Per source: its start, then its result with counts and time.
    assert!(line("started").contains("source="), "{log}");
    let done = line("done: ok source=desk");
    for field in ["files=3", "articles=", "new=", "known=", "ms="] {
        assert!(done.contains(field), "{field} missing: {done}");
    }
    // Per fetch: redacted URL, status, bytes, redirects, time.
    for field in ["fetched", "status=200", "bytes=", "redirects=1", "ms="] {
        assert!(fetched.contains(field), "{field} missing: {fetched}");
    }
    assert!(!log.contains("s3cret"), "{log}");
    // Per fold decision: new, or folded into which article by which rule.
    assert!(line("new article tag:").contains("dumps/city-desk.txt:"));
    let folded = line("folded into tag:");
    assert!(
        folded.contains(" by exact")
            || folded.contains(" by same-link")
            || folded.contains(", distance "),
        "{folded}"
    );
    assert!(!log.contains("TRACE"), "trace needs -vv: {log}");

    // The second run: a 304, logged as such; trace shows candidates weighed.
    std::fs::copy(
        common::fixtures().join("dumps/other-late.txt"),
        project.path("dumps/other-late.txt"),
    )
    .unwrap();
    let trace = run_logged(&project, &["-vv"], None);
    let (_, log) = text(&trace);
    assert!(trace.status.success(), "{log}");
    assert!(log.contains("not modified (304)"), "{log}");
    assert!(log.contains("status=304"), "{log}");
    assert!(log.contains("TRACE"), "{log}");
    assert!(log.contains("near-duplicate candidates"), "{log}");

    // Without -v nothing of the kind; RUST_LOG, when set, decides.
    for (args, rust_log) in [(&[][..], None), (&["-v"][..], Some("warn"))] {
        let plain = run_logged(&project, args, rust_log);
        let (_, log) = text(&plain);
        assert!(plain.status.success(), "{log}");
        for event in EVENTS.iter().chain(&["TRACE", "not modified (304)"]) {
            assert!(!log.contains(event), "{event:?} logged by {args:?}: {log}");
        }
    }
    let forced = run_logged(&project, &[], Some("feedfold=debug"));
    let (_, log) = text(&forced);
    assert!(log.contains("done: "), "RUST_LOG=feedfold=debug: {log}");
    let quiet = run_logged(&project, &["-q"], Some(""));
    let (stdout, log) = text(&quiet);
    assert!(quiet.status.success());
    assert_eq!((stdout.as_str(), log.as_str()), ("", ""));
}

#[test]
fn redirect_locations_in_the_logs_are_redacted_however_written() {
    let (upstream, _) = upstream::start();
    // A redirect to another scheme (refused), and a relative one leading
    // to one without its scheme (unreachable), each carrying a password
    // and a signed-URL token.
    let to_ftp = "ftp%3A%2F%2Freader%3Ahunter2%40files.example%2Ffeed.xml%3Fsig%3DTOKEN1";
    let to_scheme_relative = "%2Fredirect%3Fto%3D%2F%2Freader%253Ahunter2%2540127.0.0.1%253A1%252Ffeed.xml%253Fsig%253DTOKEN2";
    let project = Project::new(
        &(head("")
            + &format!(
                r#"
[fetch]
allow_private = true
connect_timeout = "2s"

[[source]]
name = "elsewhere"
feed = "http://{upstream}/redirect?to={to_ftp}"

[[source]]
name = "relative"
feed = "http://{upstream}/redirect?to={to_scheme_relative}"

[[feed]]
name = "all"
title = "All"
"#
            )),
    );
    let traced = run_logged(&project, &["-vv"], None);
    let (stdout, log) = text(&traced);
    assert!(log.contains("fetch failed: redirected to"), "{log}");
    assert!(log.contains("to=/redirect?to=***"), "{log}");
    assert!(log.contains("to=//127.0.0.1:1/feed.xml?sig=***"), "{log}");
    for secret in ["hunter2", "TOKEN"] {
        assert!(
            !log.contains(secret) && !stdout.contains(secret),
            "{stdout}{log}"
        );
    }
}

#[test]
fn the_readme_rust_log_example_logs_what_it_names() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let logs = &readme[readme.find("**Logs**").expect("a Logs paragraph")..];
    let start = logs.find("`RUST_LOG=").expect("a RUST_LOG example") + "`RUST_LOG=".len();
    let filter = &logs[start..start + logs[start..].find('`').unwrap()];
    let project =
        Project::new(&(head("") + "[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"))
            .with_dumps(&["city-desk.txt"]);
    let output = run_logged(&project, &[], Some(filter));
    let (stdout, log) = text(&output);
    assert!(output.status.success(), "{stdout}{log}");
    for directive in filter.split(',') {
        if let Some((target, level)) = directive.split_once('=') {
            let shown = format!("{} {target}", level.to_uppercase());
            assert!(
                log.contains(&shown),
                "RUST_LOG={filter}: no {shown:?} in {log}"
            );
        }
    }
}

fn hub_config(hub: SocketAddr) -> String {
    head(&format!("websub_hub = \"http://{hub}/\""))
        + r#"
[server]
bind = "127.0.0.1:0"

[[source]]
name = "desk"
text = "dumps/*.txt"

[[source]]
name = "later"
text = "later/*.txt"

[[feed]]
name = "all"
title = "All"
sources = ["desk"]

[[feed]]
name = "later"
title = "Nothing yet"
sources = ["later"]
"#
}

fn pinged(received: &common::server::Received) -> Vec<String> {
    let mut pings = received.lock().unwrap().clone();
    pings.sort();
    pings
}

fn pings_for(feed: &str) -> Vec<String> {
    let mut pings: Vec<String> = ["atom", "json", "rss"]
        .iter()
        .map(|ext| {
            format!("hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%2Ffeeds%2F{feed}.{ext}")
        })
        .collect();
    pings.sort();
    pings
}

#[test]
fn run_pings_the_hub_for_the_feeds_it_changed_and_never_for_an_empty_one() {
    let (hub, received) = start_hub();
    let project = Project::new(&hub_config(hub)).with_dumps(&["city-desk.txt"]);
    let first = project.feedfold(&["run"]);
    assert!(first.status.success(), "{:?}", text(&first));
    assert!(project.path("feeds/later.rss").is_file());
    assert_eq!(
        pinged(&received),
        pings_for("all"),
        "the empty feed is not announced"
    );

    received.lock().unwrap().clear();
    let unchanged = project.feedfold(&["run"]);
    assert!(unchanged.status.success());
    assert_eq!(pinged(&received), Vec::<String>::new(), "nothing changed");

    std::fs::copy(
        common::fixtures().join("dumps/other-desk.txt"),
        project.path("dumps/other-desk.txt"),
    )
    .unwrap();
    let changed = project.feedfold(&["run", "--quiet"]);
    assert!(changed.status.success(), "{:?}", text(&changed));
    assert_eq!(pinged(&received), pings_for("all"));
}

#[test]
fn run_sends_again_the_pings_a_hub_that_was_restarting_did_not_take() {
    // The first try of each of the feed's three files is refused.
    let (hub, received) = common::server::start_hub_refusing_first(3);
    let project = Project::new(&hub_config(hub)).with_dumps(&["city-desk.txt"]);
    let out = project.feedfold(&["run", "--quiet"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(pinged(&received), pings_for("all"), "{}", text(&out).1);
    // Delivered at the second try: nothing for cron to mail.
    let stderr = text(&out).1;
    assert!(
        !stderr.contains("WebSub"),
        "no warning under --quiet: {stderr}"
    );
}

#[test]
fn run_posts_its_pings_again_to_where_a_hub_that_moved_redirects() {
    // Followed as a GET with no body, a ping would reach the hub's landing
    // page and announce nothing.
    for status in [301, 302, 307, 308] {
        let (hub, received) = common::server::start_moved_hub(status);
        let project = Project::new(&hub_config(hub)).with_dumps(&["city-desk.txt"]);
        let out = project.feedfold(&["run", "--quiet"]);
        assert!(out.status.success(), "{status}: {:?}", text(&out));
        assert_eq!(pinged(&received), pings_for("all"), "{status}");
    }
}

#[test]
fn run_never_follows_a_hub_redirecting_its_pings_off_its_own_address() {
    // Another service on this host, which the hub's redirect names.
    let (inside, received) = start_hub();
    let hub = common::server::start_hub_redirecting_to(format!("http://{inside}/"));
    let project = Project::new(&hub_config(hub)).with_dumps(&["city-desk.txt"]);
    let out = project.feedfold(&["run", "--quiet"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(received.lock().unwrap().is_empty(), "nothing sent there");
    let stderr = text(&out).1;
    assert!(stderr.contains("not followed"), "{stderr}");
}

#[test]
fn run_reports_a_hub_redirecting_its_pings_to_itself_as_a_loop() {
    let hub = common::server::start_hub_redirecting_to("/".into());
    let project = Project::new(&hub_config(hub)).with_dumps(&["city-desk.txt"]);
    let out = project.feedfold(&["run", "--quiet"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let stderr = text(&out).1;
    assert!(stderr.contains("redirects the ping in a loop"), "{stderr}");
    assert!(
        !stderr.contains("set [publish] websub_hub"),
        "no address to set would help: {stderr}"
    );
}

#[test]
fn run_gives_up_the_pings_of_a_hub_that_stays_down_and_says_so() {
    let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (hub, received) = common::server::start_unavailable_hub(up);
    let project = Project::new(&hub_config(hub)).with_dumps(&["city-desk.txt"]);
    let started = std::time::Instant::now();
    let out = project.feedfold(&["run", "--quiet"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(received.lock().unwrap().is_empty());
    let stderr = text(&out).1;
    assert!(
        stderr.contains("WebSub hub did not take the pings; given up"),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "two retries, not a wait"
    );
}

#[test]
fn a_fresh_serve_announces_only_feeds_with_entries() {
    let (hub, received) = start_hub();
    let project = Project::new(&hub_config(hub)).with_dumps(&["city-desk.txt"]);
    let server = Server::start(&project, &[]);
    assert!(
        eventually(Duration::from_secs(10), || received.lock().unwrap().len()
            >= 3),
        "the feed with entries is announced"
    );
    // Give a ping for the empty feed, were there one, time to arrive.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(pinged(&received), pings_for("all"));
    drop(server);
}

#[test]
fn store_copy_refuses_a_destination_that_is_another_store_before_writing() {
    let dump_config = |dump: &str| {
        head("")
            + &format!(
                "\n[[source]]\nname = \"desk\"\ntext = \"dumps/{dump}\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"
            )
    };
    let first = Project::new(&dump_config("city-desk.txt")).with_dumps(&["city-desk.txt"]);
    let second = Project::new(&dump_config("other-desk.txt")).with_dumps(&["other-desk.txt"]);
    for project in [&first, &second] {
        assert!(project.feedfold(&["run", "--quiet"]).status.success());
    }
    let articles = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM article", [], |row| row.get(0))
            .unwrap()
    };
    let before = articles(&second.path("feedfold.db"));
    let copy = |to: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(["store", "copy"])
            .arg(format!("sqlite:{}", first.path("feedfold.db").display()))
            .arg(format!("sqlite:{}", to.display()))
            .output()
            .unwrap()
    };
    let refused = copy(&second.path("feedfold.db"));
    let (_, stderr) = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("it is not an earlier copy of") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(articles(&second.path("feedfold.db")), before);
    // A new store, and then the same copy again, are taken.
    let fresh = second.path("copy.db");
    for _ in 0..2 {
        let copied = copy(&fresh);
        assert!(copied.status.success(), "{}", text(&copied).1);
    }
    assert_eq!(articles(&fresh), articles(&first.path("feedfold.db")));
}

#[test]
fn store_copy_reads_a_leading_tilde_as_the_home_folder() {
    let project = Project::new(
        &(head("")
            + "\n[[source]]\nname = \"desk\"\ntext = \"dumps/city-desk.txt\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"),
    )
    .with_dumps(&["city-desk.txt"]);
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let copied = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["store", "copy"])
        .arg(format!("sqlite:{}", project.path("feedfold.db").display()))
        .arg("sqlite:~/backup.db")
        .current_dir(work.path())
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(copied.status.success(), "{}", text(&copied).1);
    assert!(home.path().join("backup.db").is_file());
    assert!(!work.path().join("~").exists());
}

/// The total a `store copy` summary gives, and the one its lines make: one
/// record for each article, sighting, fold, content, link and upstream
/// key, fetch state, page fetched, site page, cycle and merged article's
/// text, plus one for the near-duplicate index's setting. Index keys and site paragraphs travel
/// inside the article and site-page records.
fn copy_totals(summary: &str) -> (u64, u64) {
    let mut lines = summary.lines();
    let head = lines.next().expect("a first line");
    let total = head[head.rfind('(').unwrap() + 1..]
        .trim_end_matches(')')
        .trim_end_matches(" records")
        .trim_end_matches(" record")
        .parse()
        .unwrap_or_else(|e| panic!("{head}: {e}"));
    let mut made = 1;
    for line in lines.take_while(|l| !l.starts_with("verified")) {
        let (count, what) = line.trim().split_once(' ').unwrap();
        if !what.starts_with("near-duplicate index key") && !what.starts_with("site paragraph") {
            made += count
                .parse::<u64>()
                .unwrap_or_else(|e| panic!("{line}: {e}"));
        }
    }
    (total, made)
}

#[test]
fn the_store_copy_total_counts_records_as_the_readme_says() {
    let project = Project::new(
        &(head("")
            + "\n[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n"),
    )
    .with_dumps(&["city-desk.txt", "other-desk.txt"]);
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
    let copied = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["store", "copy"])
        .arg(format!("sqlite:{}", project.path("feedfold.db").display()))
        .arg(format!("sqlite:{}", project.path("copy.db").display()))
        .output()
        .unwrap();
    let (stdout, stderr) = text(&copied);
    assert!(copied.status.success(), "{stderr}");
    let (total, made) = copy_totals(&stdout);
    assert_eq!(total, made, "{stdout}");

    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("$ feedfold store copy ")
        .expect("the README shows a copy");
    let example = &readme[start..];
    let example = &example[example.find('\n').unwrap() + 1..example.find("```").unwrap()];
    let (total, made) = copy_totals(example);
    assert_eq!(total, made, "{example}");
}

/// A project with a dump source that reads one story and a feed source
/// whose file is missing, so every run has a failure to report.
fn failing_project() -> Project {
    let project = Project::new(&format!(
        r#"{}
[[source]]
name = "desk"
text = "dumps/*.txt"

[[source]]
name = "gone"
feed = "missing/feed.xml"

[[feed]]
name = "news"
title = "News"
"#,
        head("")
    ));
    project.write(
        "dumps/a.txt",
        "Harbour Lighthouse Repairs Begin\n\nRepairs to the harbour lighthouse began on Monday after storms damaged its lamp room.\n",
    );
    project
}

/// Runs `feedfold ARGS` in `project`'s folder with standard output going
/// to `stdout`.
fn feedfold_into(project: &Project, args: &[&str], stdout: std::process::Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(args)
        .arg("--config")
        .arg(project.path("config.toml"))
        .current_dir(project.dir.path())
        .env_remove("RUST_LOG")
        .stdout(stdout)
        .output()
        .expect("run feedfold")
}

#[test]
fn output_that_cannot_be_written_ends_with_an_error_never_a_panic() {
    let project = failing_project();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let commands: [&[&str]; 4] = [
        &["run"],
        &["sources", "export"],
        &["sources", "reset", "gone"],
        &["store", "copy", "sqlite:feedfold.db", "sqlite:copy.db"],
    ];
    let run = |args: &[&str]| feedfold_into(&project, args, full().into());
    for args in commands {
        let output = run(args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "feedfold: error: cannot write to standard output: No space left on device"
            ),
            "{args:?}: {stderr}"
        );
    }
    // The report lost, the failure is still named on standard error.
    let (_, stderr) = text(&run(&["run"]));
    assert!(stderr.contains("feedfold: source gone: failed"), "{stderr}");
}

#[test]
fn progress_and_log_lines_that_cannot_be_written_make_the_exit_status_1() {
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[source]]\nname = \"unread\"\ntext = \"none/*.txt\"\n\n[[feed]]\nname = \"news\"\ntitle = \"News\"\nsources = [\"desk\"]\n",
        head("")
    ));
    project.write(
        "dumps/a.txt",
        "Harbour Lighthouse Repairs Begin\n\nRepairs to the harbour lighthouse began on Monday after storms damaged its lamp room.\n",
    );
    // A progress line, debug log lines, and the one warning of `-q` (a
    // source no feed publishes): each lost on a full device.
    for args in [&["run"][..], &["-v", "run"], &["run", "-q"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(args)
            .arg("--config")
            .arg(project.path("config.toml"))
            .env_remove("RUST_LOG")
            .stdout(std::process::Stdio::null())
            .stderr(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .status()
            .expect("run feedfold");
        assert_eq!(output.code(), Some(1), "{args:?}");
    }
}

/// `feedfold ARGS` in `project` with the shell redirection `closing`
/// (`1>&-`, `2>&-`) closing a standard stream as it starts.
fn feedfold_with_closed(project: &Project, closing: &str, args: &[&str]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {closing}"))
        .arg(env!("CARGO_BIN_EXE_feedfold"))
        .args(args)
        .arg("--config")
        .arg(project.path("config.toml"))
        .current_dir(project.dir.path())
        .env_remove("RUST_LOG")
        .output()
        .expect("run feedfold")
}

#[test]
fn a_standard_stream_closed_at_start_fails_its_writes_and_no_file_takes_its_place() {
    let project = Project::new(&format!(
        "{}\n[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"news\"\ntitle = \"News\"\n",
        head("")
    ));
    project.write(
        "dumps/a.txt",
        "Harbour Lighthouse Repairs Begin\n\nRepairs to the harbour lighthouse began on Monday after storms damaged its lamp room.\n",
    );
    let config = std::fs::read(project.path("config.toml")).unwrap();
    for args in [&["run"][..], &["sources"]] {
        let output = feedfold_with_closed(&project, "1>&-", args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr
                .contains("feedfold: error: cannot write to standard output: Bad file descriptor"),
            "{args:?}: {stderr}"
        );
    }
    let output = feedfold_with_closed(&project, "2>&-", &["run"]);
    assert_eq!(output.status.code(), Some(1));
    // The report went nowhere: not into the config, nor the store, which
    // still reads.
    assert_eq!(std::fs::read(project.path("config.toml")).unwrap(), config);
    let sources = feedfold_into(&project, &["sources"], std::process::Stdio::piped());
    let (stdout, stderr) = text(&sources);
    assert!(sources.status.success(), "{stderr}");
    assert!(stdout.contains("desk"), "{stdout}");
}

#[test]
fn a_run_whose_reader_went_away_still_names_its_failures() {
    let project = failing_project();
    let mut child = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--config"])
        .arg(project.path("config.toml"))
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run feedfold");
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("feedfold: source gone: failed"), "{stderr}");
    assert!(!stderr.contains("cannot write"), "{stderr}");
    // With the output in a file, the same run reports in full.
    let report = feedfold_into(&project, &["run"], std::process::Stdio::piped());
    assert!(text(&report).0.contains("source gone: failed"));
}

#[test]
fn help_and_version_that_cannot_be_written_end_with_an_error() {
    for args in [&["--help"][..], &["help", "run"], &["--version"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(args)
            .stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .output()
            .expect("run feedfold");
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{args:?}: {stderr}"
        );
    }
    let version = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    assert!(text(&version).0.starts_with("feedfold "));
}

#[test]
fn a_blank_feedfold_config_counts_as_unset() {
    let project = Project::new(
        "[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["sources", "--json"])
        .current_dir(project.dir.path())
        .env("FEEDFOLD_CONFIG", " ")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("\"name\":\"desk\""), "{stdout}");
}

#[test]
fn a_blank_store_url_is_an_error_naming_it_and_opens_no_store() {
    let project = Project::new(
        "[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--config"])
        .arg(project.path("config.toml"))
        .env("FEEDFOLD_STORE_URL", "\n")
        .output()
        .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("FEEDFOLD_STORE_URL: must not be empty"),
        "{stderr}"
    );
    assert!(!project.path("feedfold.db").exists());
    assert!(!project.path("feeds").exists());
}

#[test]
fn a_leading_tilde_in_a_config_path_is_the_home_folder() {
    let project = Project::new(
        "[store]\npath = \"~/feedfold/feedfold.db\"\n\n[publish]\ndir = \"~/feedfold/feeds\"\n\n\
         [[source]]\nname = \"desk\"\ntext = \"~/dumps/*.txt\"\n\n\
         [[source]]\nname = \"wire\"\nfeed = \"~/wire/none.xml\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    project.write(
        "home/dumps/desk.txt",
        "Harbour Council Approves New Ferry Terminal\n\nNovember 4, 2026 10:15 GMT\n\n\
         The Westport harbour council voted on Tuesday to approve a new ferry terminal on the \
         eastern quay, ending two years of debate.\n",
    );
    let run = |home: Option<&std::path::Path>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_feedfold"));
        command
            .args(["run", "--config"])
            .arg(project.path("config.toml"))
            .env_remove("RUST_LOG")
            .env_remove("HOME");
        if let Some(home) = home {
            command.env("HOME", home);
        }
        command.output().expect("run feedfold")
    };
    let output = run(Some(&project.path("home")));
    let (stdout, stderr) = text(&output);
    // The feed source names a file that is not there: it fails, under $HOME.
    assert!(
        stderr.contains("source wire: failed: home/wire/none.xml: No such file"),
        "{stderr}"
    );
    assert!(stdout.contains("1 new"), "{stdout}{stderr}");
    assert!(project.path("home/feedfold/feedfold.db").is_file());
    assert!(project.path("home/feedfold/feeds/news.rss").is_file());
    assert!(!project.path("~").exists(), "no folder named ~");
    // Without a home folder to stand for, `~` is a config error naming the key.
    let output = run(None);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`store.path`") && stderr.contains("HOME"),
        "{stderr}"
    );
    assert!(!project.path("~").exists(), "no folder named ~");
}

/// Runs the commands that only read (`dups`, `sources`, `sources reset
/// --all`, then `dups` again) on the project's blank `feedfold.db`: `dups`
/// exits 1 and the others 0, each says each of `told` on standard error, none converts the file or leaves a lock, and the file
/// stays byte for byte as it was.
fn reads_leave_a_blank_store_alone(project: &Project, told: &[&str]) {
    let store = project.path("feedfold.db");
    let blank = std::fs::read(&store).unwrap();
    for args in [
        &["dups"][..],
        &["sources"],
        &["sources", "reset", "--all"],
        &["dups"],
    ] {
        let output = project.feedfold(args);
        let (stdout, stderr) = text(&output);
        let expected = if args == ["dups"] { Some(1) } else { Some(0) };
        assert_eq!(output.status.code(), expected, "{args:?}: {stdout}{stderr}");
        for told in told {
            assert!(stderr.contains(told), "{args:?}: {stderr}");
        }
        assert!(!stderr.contains("converting"), "{args:?}: {stderr}");
        assert_eq!(std::fs::read(&store).unwrap(), blank, "{args:?}");
        assert!(!project.path("feedfold.db-lock").exists(), "{args:?}");
    }
}

#[test]
fn a_sqlite_database_without_tables_is_no_store_yet_to_every_command_that_reads() {
    // A database made by `sqlite3` or another tool, never written: a
    // header, no table, user_version 0. Commands that only read say it
    // holds no store yet and leave it as it is; `run` makes the store in it.
    let project = Project::new(&config("127.0.0.1:9".parse().unwrap(), "/wire.xml"));
    let store = project.path("feedfold.db");
    let conn = rusqlite::Connection::open(&store).unwrap();
    conn.execute_batch("CREATE TABLE t(x); DROP TABLE t; VACUUM;")
        .unwrap();
    drop(conn);
    let blank = std::fs::read(&store).unwrap();
    assert!(blank.starts_with(b"SQLite format 3\0"), "a SQLite header");
    let told = format!(
        "{}: the SQLite database holds no feedfold store yet",
        store.display()
    );
    reads_leave_a_blank_store_alone(&project, &[&told, "`feedfold run`"]);
    let copied = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["store", "copy"])
        .arg(format!("sqlite:{}", store.display()))
        .arg(format!("sqlite:{}", project.path("copy.db").display()))
        .output()
        .unwrap();
    let (_, stderr) = text(&copied);
    assert_eq!(copied.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            ": the SQLite database holds no feedfold store yet: there is no store here to copy"
        ),
        "{stderr}"
    );
    assert!(!project.path("copy.db").exists(), "nothing is copied into");
    assert_eq!(std::fs::read(&store).unwrap(), blank);
    // `run` makes the store in it, as in an empty file.
    assert!(
        project
            .feedfold(&["run", "--quiet"])
            .status
            .code()
            .is_some()
    );
    assert!(project.feedfold(&["dups"]).status.success());
}

#[test]
fn an_empty_store_file_is_no_store_to_every_command_that_reads() {
    // A placeholder, or a store whose making was cut off: commands that
    // only read say there is no store and leave the file empty.
    let project = Project::new(&config("127.0.0.1:9".parse().unwrap(), "/wire.xml"));
    let store = project.path("feedfold.db");
    std::fs::write(&store, b"").unwrap();
    let told = format!(
        "{}: the file is empty: there is no store here",
        store.display()
    );
    reads_leave_a_blank_store_alone(&project, &[&told]);
    let copied = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["store", "copy"])
        .arg(format!("sqlite:{}", store.display()))
        .arg(format!("sqlite:{}", project.path("copy.db").display()))
        .output()
        .unwrap();
    let (_, stderr) = text(&copied);
    assert_eq!(copied.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(": the file is empty: there is no store here to copy; check the SQLite path or PostgreSQL URL given as SRC"),
        "{stderr}"
    );
    assert!(!stderr.contains("[store] path"), "{stderr}");
    assert!(!project.path("copy.db").exists(), "nothing is copied into");
    // `run` makes the store in the empty file, as it would in a missing one.
    assert!(
        project
            .feedfold(&["run", "--quiet"])
            .status
            .code()
            .is_some()
    );
    assert!(std::fs::metadata(&store).unwrap().len() > 0);
    assert!(project.feedfold(&["dups"]).status.success());
}

#[test]
fn a_store_made_for_a_private_config_is_private_too() {
    use std::os::unix::fs::PermissionsExt;
    let (upstream, _) = upstream::start();
    let project = Project::new(
        &config(upstream, "/feeds/atom10.xml")
            .replace("http://127", "http://reader:FeedPassw0rd@127"),
    );
    let mode = |relative: &str| {
        std::fs::metadata(project.path(relative))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    std::fs::set_permissions(
        project.path("config.toml"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let run = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "{stdout}{stderr}");
    assert_eq!(
        mode("feedfold.db"),
        0o600,
        "the store is as private as the config"
    );
    // A store that exists keeps its mode.
    std::fs::set_permissions(
        project.path("feedfold.db"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let run = project.feedfold(&["run"]);
    assert!(run.status.success());
    assert_eq!(mode("feedfold.db"), 0o640);
}

#[test]
fn config_errors_never_print_a_secret() {
    let good = head("") + "\n[[source]]\nname = \"d\"\ntext = \"d/*.txt\"\n";
    for (bad, secret) in [
        (
            good.replace(
                "path = \"feedfold.db\"",
                "url = \"postgres://feed:PgPassw0rd@db.example/feeds\" ,",
            ),
            "PgPassw0rd",
        ),
        (
            good.clone() + "[server]\ntoken = \"S3cretT0ken\" ,\n",
            "S3cretT0ken",
        ),
        (
            good.clone() + "[server]\ntoken = 86753091234567\n",
            "86753091234567",
        ),
        (
            good.replace(
                "text = \"d/*.txt\"",
                "feed=\"https://u:FeedPass@example.org/?key=K3y\" junk",
            ),
            "FeedPass",
        ),
        (
            good.clone() + "[server]\ntoken = \"\"\"\nS3cretT0ken\"\"\" ,\n",
            "S3cretT0ken",
        ),
        // A multi-line string still open where the file ends.
        (
            good.clone() + "[server]\ntoken = '''\nS3cretT0ken\n",
            "S3cretT0ken",
        ),
    ] {
        let project = Project::new(&bad);
        let output = project.feedfold(&["sources"]);
        let (stdout, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
        assert!(stderr.contains("config error"), "{stderr}");
        assert!(!stderr.contains(secret), "{secret}:\n{stderr}");
    }
}

#[test]
fn parse_and_dups_place_a_feed_entry_on_the_line_its_item_starts_on() {
    let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n  <channel>\n    <title>Wire</title>\n\
               \x20   <link>http://wire.example/</link>\n    <description>w</description>\n\
               \x20   <item>\n      <title>Harbour vote passes</title>\n      <guid>a1</guid>\n\
               \x20     <description>The council voted on the harbour plan today after a long debate about fees.</description>\n\
               \x20   </item>\n\n    <item>\n      <title>Ferry strike halts crossings</title>\n      <guid>b1</guid>\n\
               \x20     <description>Ferry workers walked out on Tuesday, stopping all crossings to the islands.</description>\n\
               \x20   </item>\n  </channel>\n</rss>\n";
    let project = Project::new(
        "[[source]]\nname = \"w\"\nfeed = \"f.xml\"\n\n[[source]]\nname = \"g\"\nfeed = \"g.xml\"\n\n\
         [[feed]]\nname = \"n\"\ntitle = \"N\"\n",
    );
    project.write("f.xml", rss);
    project.write("g.xml", rss);
    let parse = project.feedfold(&["parse", project.path("f.xml").to_str().unwrap()]);
    let (shown, stderr) = text(&parse);
    assert!(parse.status.success(), "{stderr}");
    assert!(
        shown.contains("Harbour vote passes") && shown.contains("(line 7)"),
        "{shown}"
    );
    assert!(shown.contains("(line 13)"), "{shown}");
    let run = project.feedfold(&["run", "--quiet"]);
    assert!(run.status.success(), "{}", text(&run).1);
    let dups = project.feedfold(&["dups"]);
    let (listed, stderr) = text(&dups);
    assert!(dups.status.success(), "{stderr}");
    assert!(listed.contains("f.xml line 7"), "{listed}");
    assert!(listed.contains("f.xml line 13"), "{listed}");
    assert!(
        !listed.contains("line 1\n") && !listed.contains("line 2\n"),
        "{listed}"
    );
}

#[test]
fn store_copy_again_carries_a_fold_the_source_changed_since() {
    const HEADLINE: &str = "Harbour Bridge Reopens After Two-Year Repair";
    const PARAGRAPHS: [&str; 5] = [
        "The harbour bridge reopened to traffic on Tuesday after a two-year repair that replaced \
         most of its steel deck and all of its cables, the city transport office said.",
        "Mayor Ana Lopes cut a ribbon at the northern end shortly after dawn, and the first buses \
         crossed a few minutes later, carrying commuters who had spent two years on detours.",
        "Engineers found corrosion in the main cables in 2024, and the bridge was closed within a \
         week of the inspection report reaching the council.",
        "The repair cost 140 million euros, about a fifth more than first budgeted, largely \
         because of steel prices that rose during the works.",
        "The transport office said tolls would stay suspended until the end of January.",
    ];
    let rss = |paragraphs: &[&str]| {
        let body: String = paragraphs
            .iter()
            .map(|p| format!("&lt;p&gt;{p}&lt;/p&gt;"))
            .collect();
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>City Press</title>\
             <link>https://citypress.example/</link><description>News</description>\
             <item><title>{HEADLINE}</title><link>https://citypress.example/news/bridge</link>\
             <guid isPermaLink=\"false\">cp-1001</guid><pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate>\
             <description>{body}</description></item></channel></rss>"
        )
    };
    let project = Project::new(
        &(head("")
            + "\n[[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n\
               [[source]]\nname = \"wire\"\nfeed = \"wire.xml\"\n\n\
               [[feed]]\nname = \"all\"\ntitle = \"All\"\n"),
    );
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    std::fs::write(
        project.path("dumps/bridge.txt"),
        format!("{HEADLINE}\n\n{}\n", PARAGRAPHS[..4].join("\n\n")),
    )
    .unwrap();
    std::fs::write(project.path("wire.xml"), rss(&PARAGRAPHS[..4])).unwrap();
    let copy_into_dst = || {
        let copied = Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(["store", "copy", "sqlite:feedfold.db", "sqlite:dst.db"])
            .current_dir(project.path(""))
            .output()
            .unwrap();
        assert!(copied.status.success(), "{}", text(&copied).1);
    };
    let folds = |store: &str| -> Vec<(String, Option<String>)> {
        let db = rusqlite::Connection::open(project.path(store)).unwrap();
        let mut stmt = db
            .prepare("SELECT rule, replaced FROM fold ORDER BY copy_id")
            .unwrap();
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
    copy_into_dst();
    assert_eq!(folds("dst.db"), folds("feedfold.db"));
    // The entry gets a paragraph appended upstream: its fold now says it
    // replaced the stored text.
    std::fs::write(project.path("wire.xml"), rss(&PARAGRAPHS)).unwrap();
    assert!(project.feedfold(&["run", "--quiet"]).status.success());
    let source = folds("feedfold.db");
    assert!(
        source
            .iter()
            .any(|(_, replaced)| replaced.as_deref() == Some("longer")),
        "{source:?}"
    );
    copy_into_dst();
    assert_eq!(
        folds("dst.db"),
        source,
        "copying again takes the fold as it is now"
    );
}

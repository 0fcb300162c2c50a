//! End to end: `feedfold run` on a temporary config, through the real binary.

mod common;

use std::time::Duration;

use common::{Project, feedfold_in, fixtures, text};

const CONFIG: &str = r#"
[store]
path = "state/feedfold.db"

[publish]
dir = "out"
base_url = "https://news.example/"

[[source]]
name = "city"
text = "dumps/city-desk.txt"

[[source]]
name = "harbour"
text = "dumps/other-*.txt"

[[feed]]
name = "all"
title = "All the news"
limit = 50

[[feed]]
name = "city"
title = "City desk"
sources = ["city"]
limit = 2
"#;

fn project() -> Project {
    Project::new(CONFIG).with_dumps(&["city-desk.txt", "other-desk.txt"])
}

fn titles_of_rss(xml: &str) -> Vec<String> {
    let channel = rss::Channel::read_from(xml.as_bytes()).expect("valid RSS");
    channel
        .items()
        .iter()
        .map(|i| i.title().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn run_publishes_three_formats_of_every_feed() {
    let project = project();
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stdout.contains("source city: 1 file, 4 articles read"),
        "{stdout}"
    );
    assert!(
        stdout.contains("feed all: 5 entries, 3 files written"),
        "{stdout}"
    );
    assert!(
        project.path("state/feedfold.db").is_file(),
        "store folder is created"
    );

    let rss = project.read("out/all.rss");
    let channel = rss::Channel::read_from(rss.as_bytes()).expect("valid RSS");
    assert_eq!(channel.items().len(), 5);
    let tram = channel
        .items()
        .iter()
        .find(|i| i.title() == Some("Tram Line Extension Opens to Passengers"))
        .expect("tram story");
    assert_eq!(tram.pub_date(), Some("Tue, 3 Nov 2026 07:00:00 +0000"));
    let guid = tram.guid().expect("guid");
    assert!(!guid.is_permalink());
    assert!(
        guid.value()
            .starts_with("tag:feedfold.invalid,2026:article:")
    );
    let html = tram.content().expect("content:encoded");
    assert_eq!(html.matches("<figcaption>").count(), 1, "{html}");
    assert!(html.contains("<small>(Metro Times)</small>"), "{html}");
    assert!(html.contains("<h3>Worth the wait</h3>"), "{html}");
    assert_eq!(html.matches("<p>").count(), 4, "{html}");
    assert!(
        tram.description()
            .unwrap()
            .starts_with("The four-kilometre extension")
    );
    assert!(rss.contains(r#"<atom:link href="https://news.example/feeds/all.rss" rel="self""#));

    let atom = atom_syndication::Feed::read_from(project.read("out/all.atom").as_bytes())
        .expect("valid Atom");
    assert_eq!(atom.entries().len(), 5);
    assert_eq!(atom.authors()[0].name(), "feedfold");
    let entry = &atom.entries()[0];
    assert!(entry.published().is_some());
    assert_eq!(entry.content().unwrap().content_type(), Some("html"));
    assert!(entry.summary().is_some());

    let json: serde_json::Value = serde_json::from_str(&project.read("out/all.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["feed_url"], "https://news.example/feeds/all.json");
    assert_eq!(json["items"].as_array().unwrap().len(), 5);
    let ids: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    let atom_ids: Vec<&str> = atom.entries().iter().map(|e| e.id()).collect();
    assert_eq!(
        ids, atom_ids,
        "every format lists the same entries in the same order"
    );

    // Same-titled briefings are two entries; the per-source feed keeps its limit.
    let briefings = titles_of_rss(&rss)
        .iter()
        .filter(|t| *t == "Morning Briefing")
        .count();
    assert_eq!(briefings, 2);
    assert_eq!(titles_of_rss(&project.read("out/city.rss")).len(), 2);
    assert!(!project.read("out/city.rss").contains("Harbour Festival"));
}

#[test]
fn second_run_changes_no_published_byte() {
    let project = project();
    assert!(project.feedfold(&["run"]).status.success());
    let files = [
        "out/all.rss",
        "out/all.atom",
        "out/all.json",
        "out/city.rss",
    ];
    let before: Vec<(String, std::time::SystemTime)> = files
        .iter()
        .map(|f| {
            (
                project.read(f),
                std::fs::metadata(project.path(f))
                    .unwrap()
                    .modified()
                    .unwrap(),
            )
        })
        .collect();
    // Undated articles are dated when first seen; a later run must not move them.
    std::thread::sleep(Duration::from_millis(1100));
    let output = project.feedfold(&["run"]);
    let (stdout, _) = text(&output);
    assert!(output.status.success());
    assert!(stdout.contains("0 new, 4 already known"), "{stdout}");
    assert!(
        stdout.contains("feed all: 5 entries, 0 files written, 3 unchanged"),
        "{stdout}"
    );
    for (file, (content, modified)) in files.iter().zip(before) {
        assert_eq!(project.read(file), content, "{file} changed");
        let now = std::fs::metadata(project.path(file))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(now, modified, "{file} was rewritten");
    }
}

#[test]
fn exact_repeat_in_another_source_is_one_entry_seen_twice() {
    let project = project();
    std::fs::copy(
        project.path("dumps/city-desk.txt"),
        project.path("dumps/other-copy.txt"),
    )
    .unwrap();
    let output = project.feedfold(&["run"]);
    let (stdout, _) = text(&output);
    assert!(output.status.success());
    assert!(
        stdout.contains("source harbour: 2 files, 5 articles read"),
        "{stdout}"
    );
    assert!(stdout.contains("1 new, 4 already known"), "{stdout}");
    assert_eq!(titles_of_rss(&project.read("out/all.rss")).len(), 5);
}

#[test]
fn page_furniture_between_a_dumps_paragraphs_is_published_in_no_format() {
    let project = project();
    project.write(
        "dumps/other-desk.txt",
        "Bridge Closed After Lorry Strike\n\nBridge Closed After Lorry Strike\n\n\
         Thursday, 3 December 2026 - 10:15\n\n\
         The Old Bridge is closed after a lorry hit its parapet this morning.\n\n\
         Advertisement\n\n\
         Drivers are asked to use the ring road until engineers have inspected it.\n\n\
         Story continues below advertisement\n\n\
         Read more: Tram Fares to Rise in January\n\n\
         The council expects the bridge to reopen on Friday.\n",
    );
    let output = project.feedfold(&["run"]);
    assert!(output.status.success(), "{:?}", text(&output));
    for file in ["out/all.rss", "out/all.atom", "out/all.json"] {
        let published = project.read(file);
        assert!(published.contains("ring road"), "{file}");
        assert!(!published.contains("dvertisement"), "{file}: {published}");
        assert!(!published.contains("Tram Fares"), "{file}: {published}");
    }
    // Read again, it is the story already stored, whatever it kept.
    let output = project.feedfold(&["run"]);
    let (stdout, _) = text(&output);
    assert!(stdout.contains("0 new"), "{stdout}");
}

#[test]
fn a_share_rail_a_related_box_and_a_timeline_stay_inside_their_story() {
    let project = project();
    project.write(
        "dumps/other-desk.txt",
        "Calder Tram Extension Finally Opens After Years of Delays\n\n\
         Tuesday, 17 November 2026\nBy Tom Reyes\n\n\
         Share\nFacebook\nTwitter\nWhatsApp\nCopy link\n\n\
         1 of 2\nThe first tram leaves the new Eastfield stop. (Calder Herald)\n\n\
         2 of 2\nPassengers board at Riverside. (Calder Herald)\n\n\
         The long-delayed tram extension to East Calder opened on Tuesday.\n\n\
         Key dates:\n\nMarch 3, 2019\nCouncil approves the extension\n\
         June 12, 2021\nWork begins on the Eastfield depot\n\
         September 3, 2024\nOpening postponed after cracks are found\n\n\
         Trams will run every eight minutes at peak times.\n\n\
         Related\n\nBus Fares to Rise in January\n\nDepot Workers Vote to Strike Over Pay\n\n\
         Fares will be the same as on the rest of the network.\n\n\
         The council meets again on Thursday\n\nUpdated: December 2, 2026\n",
    );
    let output = project.feedfold(&["run"]);
    assert!(output.status.success(), "{:?}", text(&output));
    let feed: serde_json::Value = serde_json::from_str(&project.read("out/all.json")).unwrap();
    // Every entry holding a line of the story, or titled by one.
    let tram: Vec<_> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| {
            let shown = format!("{} {}", item["title"], item["content_html"]);
            [
                "Calder Tram",
                "Eastfield",
                "Depot",
                "Fares will be",
                "meets again",
            ]
            .iter()
            .any(|line| shown.contains(line))
        })
        .collect();
    assert_eq!(tram.len(), 1, "{tram:#?}");
    let item = tram[0];
    assert_eq!(
        item["title"],
        "Calder Tram Extension Finally Opens After Years of Delays"
    );
    assert_eq!(item["date_modified"], "2026-12-02T00:00:00Z");
    assert!(
        item["summary"]
            .as_str()
            .unwrap()
            .starts_with("The long-delayed"),
        "{item:#}"
    );
    let html = item["content_html"].as_str().unwrap();
    for shown in [
        "March 3, 2019",
        "Council approves the extension",
        "Opening postponed after cracks are found",
        "Fares will be the same",
        "The council meets again on Thursday",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    for hidden in [
        "Facebook",
        "Copy link",
        "1 of 2",
        "Related",
        "Bus Fares",
        "Depot Workers",
        "Updated",
    ] {
        assert!(!html.contains(hidden), "{hidden}: {html}");
    }
}

#[test]
fn lists_a_caption_given_again_and_a_sentence_after_a_link_label_are_published_in_their_story() {
    let project = project();
    project.write(
        "dumps/other-desk.txt",
        "Pinewood Elects Its First Mayor After a Recount\n\n\
         Counting goes on at the school in Pinewood (Reuters)\n\
         Counting goes on at the school in Pinewood (Reuters)\n\n\
         Pinewood Elects Its First Mayor After a Recount\n\n\
         Counting goes on at the school in Pinewood (Reuters)\n\n\
         Pinewood has elected its first mayor after a recount on Friday.\n\n\
         On the ballot\n\
         Mia Park (Liberal Democrats)\n\
         Luis Soto (Reform)\n\n\
         Final count\n\
         Mia Park (Liberal Democrats) 3,407\n\
         Luis Soto (Reform) 912\n\n\
         See also: the losing candidate said on Saturday that she would not ask for another count.\n\n\
         Counting goes on at the school in Pinewood\n\n\
         The new mayor takes office in January.\n",
    );
    let output = project.feedfold(&["run"]);
    assert!(output.status.success(), "{:?}", text(&output));
    let feed: serde_json::Value = serde_json::from_str(&project.read("out/all.json")).unwrap();
    let items: Vec<_> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["content_html"].as_str().unwrap().contains("Pinewood"))
        .collect();
    assert_eq!(items.len(), 1, "{items:#?}");
    let html = items[0]["content_html"].as_str().unwrap();
    assert_eq!(
        html.matches("<figure>").count(),
        1,
        "one caption, the photo's: {html}"
    );
    assert!(
        html.contains(
            "<figcaption>Counting goes on at the school in Pinewood <small>(Reuters)</small></figcaption>"
        ),
        "{html}"
    );
    for shown in [
        "<p>Mia Park (Liberal Democrats)</p>",
        "<p>Luis Soto (Reform) 912</p>",
        "<p>See also: the losing candidate said on Saturday",
        "<p>The new mayor takes office in January.</p>",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    for file in ["out/all.rss", "out/all.atom"] {
        let published = project.read(file);
        assert!(published.contains("the losing candidate said"), "{file}");
        assert!(
            !published.contains("<figcaption><small>(Reuters)"),
            "{file}"
        );
        assert!(
            !published.contains("figcaption&gt;&lt;small&gt;(Reuters)"),
            "{file}"
        );
    }
}

#[test]
fn one_file_is_one_place_however_the_config_is_named() {
    let project = project();
    // Absolute, as the tests run it; relative from the project's folder, as
    // the cron line runs it; relative from its parent folder.
    assert!(project.feedfold(&["run"]).status.success());
    let folder = project.dir.path();
    let from_inside = feedfold_in(folder, &["run", "--config", "config.toml"]);
    assert!(from_inside.status.success(), "{:?}", text(&from_inside));
    let parent = folder.parent().unwrap();
    let named = format!(
        "{}/config.toml",
        folder.file_name().unwrap().to_string_lossy()
    );
    let from_parent = feedfold_in(parent, &["run", "--config", &named]);
    let (stdout, stderr) = text(&from_parent);
    assert!(from_parent.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("0 new, 4 already known"), "{stdout}");
    common::assert_nothing_folded(&project);
}

/// A local feed file is one place, as a dump file is: its path relative to
/// the config's folder, whichever folder `feedfold` runs from.
#[test]
fn one_feed_file_is_one_place_whichever_folder_feedfold_runs_from() {
    let project = Project::new(
        r#"
[store]
path = "state/feedfold.db"

[publish]
dir = "out"
base_url = "https://news.example/"

[[source]]
name = "wire"
feed = "upstream/wire.xml"

[[feed]]
name = "all"
title = "All the news"
"#,
    );
    project.write(
        "upstream/wire.xml",
        &std::fs::read_to_string(fixtures().join("feeds/rss20.xml")).unwrap(),
    );
    let folder = project.dir.path();
    let runs = [
        (folder.to_path_buf(), "config.toml".to_string()),
        (
            std::path::PathBuf::from("/"),
            folder.join("config.toml").display().to_string(),
        ),
        (folder.join("upstream"), "../config.toml".to_string()),
    ];
    for (working, config) in runs {
        let run = feedfold_in(&working, &["run", "--config", &config]);
        assert!(run.status.success(), "{:?}", text(&run));
    }
    let store = rusqlite::Connection::open(project.path("state/feedfold.db")).unwrap();
    let places: Vec<String> = store
        .prepare("SELECT location FROM place WHERE source = 'wire'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(places, ["upstream/wire.xml"]);
}

#[test]
fn a_dump_saved_as_utf16_reads_as_the_same_articles() {
    let project = project();
    let city = project.read("dumps/city-desk.txt");
    for (name, big_endian) in [("other-le.txt", false), ("other-be.txt", true)] {
        let mut encoded = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in city.replace('\n', "\r\n").encode_utf16() {
            encoded.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        std::fs::write(project.path(&format!("dumps/{name}")), encoded).unwrap();
    }
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("source harbour: 3 files, 9 articles read"),
        "{stdout}"
    );
    assert!(stdout.contains("1 new, 8 already known"), "{stdout}");
    assert_eq!(titles_of_rss(&project.read("out/all.rss")).len(), 5);
}

#[test]
fn a_bad_file_fails_its_source_but_not_the_run() {
    let project = Project::new(&CONFIG.replace("dumps/other-*.txt", "dumps/*-*.txt"))
        .with_dumps(&["city-desk.txt", "other-desk.txt", "broken-latin1.txt"]);
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stderr.contains("broken-latin1.txt: invalid UTF-8 at byte offset 65 (line 3)"),
        "{stderr}"
    );
    // The good files of both sources are in, and the feeds are published.
    let titles = titles_of_rss(&project.read("out/all.rss"));
    assert!(titles.contains(&"Harbour Festival Returns After Four Years".to_string()));
    assert!(titles.contains(&"Tram Line Extension Opens to Passengers".to_string()));
    assert!(!titles.iter().any(|t| t.contains("Bad Bytes")));
}

#[test]
fn a_failed_run_still_reports_on_stdout_and_names_the_failure_on_stderr() {
    let project = Project::new(&CONFIG.replace("dumps/other-*.txt", "dumps/*-*.txt"))
        .with_dumps(&["city-desk.txt", "other-desk.txt", "broken-latin1.txt"]);
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    // The whole report, healthy lines and the failure marked in it.
    assert!(stdout.contains("source city: 1 file"), "{stdout}");
    assert!(stdout.contains("source harbour: "), "{stdout}");
    assert!(
        stdout.contains("\n  error: ") && stdout.contains("broken-latin1.txt: invalid UTF-8"),
        "{stdout}"
    );
    assert!(stdout.contains("feed all: "), "{stdout}");
    assert!(stdout.contains("feed city: "), "{stdout}");
    // Standard error names the failure, and only it, once.
    assert!(
        stderr.contains("feedfold: source harbour: failed: ")
            && stderr.matches("broken-latin1.txt: invalid UTF-8").count() == 1,
        "{stderr}"
    );
    assert!(!stderr.contains("source city: 1 file"), "{stderr}");
    assert!(!stderr.contains("feed all:"), "{stderr}");
}

#[test]
fn a_section_written_as_a_list_of_tables_is_a_config_error_saying_a_table_was_expected() {
    for section in ["store", "fetch", "dedup"] {
        let config = CONFIG.replace("[store]\npath = \"state/feedfold.db\"\n", "");
        let project = Project::new(&format!("{config}\n[[{section}]]\n"));
        let output = project.feedfold(&["run"]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "`{section}`: expected a table, found [[{section}]], a list of tables"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn a_syntax_error_never_shows_a_secret_holding_an_unescaped_quote() {
    for (line, secret) in [
        ("[server]\ntoken = \"Xk9\"S3cretTail\"\n", "S3cretTail"),
        (
            "[store]\nurl = \"postgres://feed:pa\"PgPassw0rd@db.example/feeds\"\n",
            "PgPassw0rd",
        ),
        (
            "[server]\n\"\\u0074oken\" = \"Xk9S3cret\"Tail\"\n",
            "S3cret",
        ),
    ] {
        let project = Project::new(line);
        let output = project.feedfold(&["run"]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("= ***"), "{stderr}");
        assert!(!stderr.contains(secret), "{stderr}");
    }
}

#[test]
fn a_store_at_a_published_feed_file_is_a_config_error_and_nothing_is_written() {
    let project = Project::new(&CONFIG.replace("state/feedfold.db", "out/all.rss"))
        .with_dumps(&["city-desk.txt"]);
    let output = project.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("line 3: `store.path`"), "{stderr}");
    assert!(stderr.contains("feed \"all\""), "{stderr}");
    assert!(!project.path("out").exists(), "nothing is written");
}

#[test]
fn a_syntax_error_shows_a_url_with_a_pasted_quote_redacted() {
    for (line, shown) in [
        (
            "[[source]]\nname = \"wire\"\nfeed = \"https://alice:Xk9\"S3cretPw@news.example/rss\"\n",
            "feed = \"https://news.example/rss\"",
        ),
        (
            "[[source]]\nname = \"wire\"\nsitemap = \"https://news.example/map.xml?key=S3cret\"Pw\"\n",
            "sitemap = \"https://news.example/map.xml?key=***\"",
        ),
        (
            "[publish]\nwebsub_hub = \"https://alice:Xk9\"S3cretPw@hub.example/\"\n",
            "websub_hub = \"https://hub.example/\"",
        ),
    ] {
        let project = Project::new(line);
        let output = project.feedfold(&["sources"]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(shown), "{stderr}");
        assert!(
            !stderr.contains("S3cret") && !stderr.contains("Xk9"),
            "{stderr}"
        );
    }
}

#[test]
fn a_store_at_a_feed_file_however_its_path_reaches_it_is_a_config_error() {
    let project = Project::new("").with_dumps(&["city-desk.txt"]);
    let out = project.path("out");
    // A relative store path, the feeds folder given in full, from the
    // config's folder; the feeds folder is not there yet.
    let config = CONFIG.replace("state/feedfold.db", "out/all.rss").replace(
        "dir = \"out\"",
        &format!("dir = {:?}", out.display().to_string()),
    );
    project.write("config.toml", &config);
    let output = feedfold_in(project.dir.path(), &["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("line 3: `store.path`"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
    // A store path that is a link to a feed file not written yet.
    project.write(
        "config.toml",
        &CONFIG.replace("state/feedfold.db", "state.db"),
    );
    std::os::unix::fs::symlink("out/city.rss", project.path("state.db")).unwrap();
    let output = project.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("line 3: `store.path`") && stderr.contains("feed \"city\""),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_store_path_the_store_url_variable_replaces_is_not_checked() {
    let project = Project::new(&CONFIG.replace("state/feedfold.db", "out/all.rss"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["sources", "--config"])
        .arg(project.path("config.toml"))
        .env("FEEDFOLD_STORE_URL", " ")
        .env_remove("FEEDFOLD_CONFIG")
        .output()
        .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("FEEDFOLD_STORE_URL"), "{stderr}");
    assert!(!stderr.contains("store.path"), "{stderr}");
}

#[test]
fn config_errors_exit_2_and_name_the_key() {
    let project = Project::new(&CONFIG.replace("limit = 2", "limit = -5"));
    let output = project.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("feed[1].limit"), "{stderr}");
    assert!(stderr.contains("line 26"), "{stderr}");

    // A value of the wrong type: the key, and what was expected in plain words.
    let project = Project::new(&CONFIG.replace("sources = [\"city\"]", "sources = [\"city\", 5]"));
    let output = project.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.ends_with(
            "config.toml, line 25: `feed[1].sources`: expected a list of strings, but item 2 is the whole number 5\n"
        ),
        "{stderr}"
    );

    let missing = project.dir.path().join("nope.toml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["run", "--config"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).1.contains("nope.toml"));
}

#[test]
fn quiet_run_prints_nothing_on_success() {
    let project = project();
    let output = project.feedfold(&["run", "--quiet"]);
    assert!(output.status.success());
    assert!(
        output.stdout.is_empty() && output.stderr.is_empty(),
        "{:?}",
        text(&output)
    );
}

#[test]
fn what_an_upstream_entry_holds_is_warned_of_but_not_by_a_quiet_run() {
    let project = Project::new(
        "[store]\npath = \"feedfold.db\"\n\n[[source]]\nname = \"wire\"\nfeed = \"wire.xml\"\n\n\
         [[feed]]\nname = \"all\"\ntitle = \"All\"\n",
    );
    project.write(
        "wire.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><link>http://wire.example/</link>
<item><guid>1</guid><title>Ferry timetable changes for the winter</title><description>One.</description><pubDate>sometime soon</pubDate></item>
</channel></rss>"#,
    );
    let warning = "entry 1: the date \"sometime soon\" cannot be read; left out";
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stderr.contains(warning), "{stderr}");
    for _ in 0..2 {
        let quiet = project.feedfold(&["run", "--quiet"]);
        assert!(quiet.status.success());
        assert_eq!(text(&quiet), (String::new(), String::new()));
    }
}

#[test]
fn a_glob_matching_no_file_is_logged_at_info_and_quiet_says_nothing() {
    let project = Project::new(&CONFIG.replace("dumps/city-desk.txt", "drop/*.txt"))
        .with_dumps(&["other-desk.txt"]);
    std::fs::create_dir(project.path("drop")).unwrap();
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("no files match"))
        .unwrap_or_else(|| panic!("the empty glob is logged: {stderr}"));
    assert!(
        line.contains("INFO") && line.contains("source=city"),
        "{line}"
    );
    let quiet = project.feedfold(&["run", "--quiet"]);
    assert!(quiet.status.success());
    assert!(
        quiet.stdout.is_empty() && quiet.stderr.is_empty(),
        "{:?}",
        text(&quiet)
    );
}

#[test]
fn a_glob_whose_folder_is_missing_is_warned_of_under_quiet_too() {
    let project = Project::new(&CONFIG.replace("dumps/city-desk.txt", "share/drop/*.txt"))
        .with_dumps(&["other-desk.txt"]);
    for args in [&["run"][..], &["run", "--quiet"]] {
        let output = project.feedfold(args);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}\n{stderr}");
        let line = stderr
            .lines()
            .find(|l| l.contains("share/drop: no such folder"))
            .unwrap_or_else(|| panic!("{args:?}: the missing folder is warned of: {stderr}"));
        assert!(
            line.contains("WARN") && line.contains("source=city") && line.contains("*.txt"),
            "{line}"
        );
    }
    assert!(
        project.read("out/all.rss").contains("<item>"),
        "the other source still lands"
    );
    // Once the share is there, empty, the run is quiet again.
    std::fs::create_dir_all(project.path("share/drop")).unwrap();
    let quiet = project.feedfold(&["run", "--quiet"]);
    assert_eq!(text(&quiet), (String::new(), String::new()));
}

#[test]
fn a_dump_read_while_written_cut_inside_a_character_is_read_as_far_as_it_goes() {
    let project = Project::new(CONFIG).with_dumps(&["other-desk.txt"]);
    let whole = "Harbour Lights Return to the Quay\n\nThe town\u{2019}s harbour lights were lit again on Friday.\n\nThe quay\u{2019}s lamps";
    // The scraper has written up to the middle of the last curly quote.
    let cut = &whole.as_bytes()[..whole.len() - "\u{2019}s lamps".len() + 2];
    std::fs::write(project.path("dumps/city-desk.txt"), cut).unwrap();
    let output = project.feedfold(&["run", "--quiet"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(!stderr.contains("WINDOWS-1252"), "{stderr}");
    let feed = project.read("out/city.rss");
    assert!(
        feed.contains("Harbour Lights Return") && feed.contains("The quay"),
        "{feed}"
    );
}

#[test]
fn a_dump_cut_inside_its_headers_second_copy_is_replaced_by_the_whole_story() {
    let project = Project::new(CONFIG).with_dumps(&["other-desk.txt"]);
    let header = "Harbour Plan Wins Council Approval\n\n3 December 2026 10:15 GMT\n\nBoats moored in the harbour at dawn (AP)\n\n";
    let body = "The council approved the new harbour plan on Tuesday after a long debate that ran into the night.\n\nOpponents said the plan would raise mooring fees for small boat owners across the bay.\n";
    // The scraper has written the header once and the second copy's
    // caption in part.
    let cut = format!("{header}{header}");
    let cut = &cut[..cut.len() - "bour at dawn (AP)\n\n".len()];
    std::fs::write(project.path("dumps/city-desk.txt"), cut).unwrap();
    let output = project.feedfold(&["run", "--quiet"]);
    assert!(output.status.success(), "{:?}", text(&output));
    std::fs::write(
        project.path("dumps/city-desk.txt"),
        format!("{header}{header}{body}"),
    )
    .unwrap();
    let output = project.feedfold(&["run", "--quiet"]);
    assert!(output.status.success(), "{:?}", text(&output));
    let feed = project.read("out/city.rss");
    assert_eq!(
        feed.matches("<title>Harbour Plan Wins Council Approval</title>")
            .count(),
        1,
        "{feed}"
    );
    assert!(!feed.contains("moored in the har<"), "{feed}");
    assert!(feed.contains("mooring fees"), "{feed}");
}

#[test]
fn a_dump_read_while_written_ends_with_the_whole_story_once_it_is_whole() {
    let header = "Harbour Plan Wins Council Approval\n\n3 December 2026 10:15 GMT\n\nBoats moored in the harbour at dawn (AP)\n\n";
    let body = "The council approved the new harbour plan on Tuesday after a long debate that ran into the night.\n\nOpponents said the plan would raise mooring fees for small boat owners across the bay, and that the council had not listened to them.\n\nThe work is due to start in the spring and to take two years.\n\n";
    let next = "Tram Extension Opens to Passengers in East Calder\n\n4 December 2026 08:30 GMT\n\nThe long-delayed tram extension to East Calder opened to passengers on Thursday.\n";
    let whole = format!("{header}{header}{body}{next}");
    let cut_after = |at: &str, kept: &str| {
        let from = whole.find(at).unwrap_or_else(|| panic!("{at}"));
        whole[..from + kept.len()].to_string()
    };
    let once = Project::new(CONFIG).with_dumps(&["other-desk.txt"]);
    std::fs::write(once.path("dumps/city-desk.txt"), &whole).unwrap();
    assert!(once.feedfold(&["run", "--quiet"]).status.success());
    let reference = once.read("out/city.rss");
    // Cut inside the second copy's date line.
    let cut = cut_after(
        "3 December 2026 10:15 GMT\n\nBoats moored in the harbour at dawn (AP)\n\nThe",
        "3 Dec",
    );
    {
        let project = Project::new(CONFIG).with_dumps(&["other-desk.txt"]);
        std::fs::write(project.path("dumps/city-desk.txt"), &cut).unwrap();
        let output = project.feedfold(&["run", "--quiet"]);
        assert!(output.status.success(), "{:?}", text(&output));
        std::fs::write(project.path("dumps/city-desk.txt"), &whole).unwrap();
        let output = project.feedfold(&["run", "--quiet"]);
        assert!(output.status.success(), "{:?}", text(&output));
        let feed = project.read("out/city.rss");
        assert_eq!(
            feed.matches("<title>Harbour Plan Wins Council Approval</title>")
                .count(),
            1,
            "{cut:?}\n{feed}"
        );
        assert!(feed.contains("take two years."), "{cut:?}\n{feed}");
        assert_eq!(
            feed.matches("Tram Ext").count(),
            reference.matches("Tram Ext").count(),
            "{cut:?}\n{feed}"
        );
    }
}

#[test]
fn help_shows_examples() {
    let output = common::feedfold_in(std::path::Path::new("."), &["--help"]);
    let (stdout, _) = text(&output);
    assert!(stdout.contains("Examples:"), "{stdout}");
    assert!(stdout.contains("feedfold run --quiet"), "{stdout}");
}

#[test]
fn sources_import_reads_opml_in_the_encoding_it_declares() {
    let opml = |title: &str, encoding: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"{encoding}\"?>\n<opml version=\"1.0\"><head><title>Export</title></head><body>\n  <outline text=\"{title}\" type=\"rss\" xmlUrl=\"https://cafe.example/feed.xml\"/>\n</body></opml>"
        )
    };
    let latin1: Vec<u8> = opml("Caf\u{e9} M\u{fc}ller", "ISO-8859-1")
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in opml("Caf\u{e9} M\u{fc}ller", "UTF-16").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    // UTF-8 under a declaration an old exporter left as it was.
    let stale = opml("Caf\u{e9} M\u{fc}ller", "ISO-8859-1").into_bytes();
    for (name, bytes) in [("latin-1", latin1), ("utf-16", utf16), ("stale", stale)] {
        let project = Project::new(CONFIG);
        let file = project.path("subs.opml");
        std::fs::write(&file, bytes).unwrap();
        let output = project.feedfold(&["sources", "import", file.to_str().unwrap()]);
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{name}: {stderr}");
        assert!(stdout.contains("1 source added"), "{name}: {stdout}");
        let config = project.read("config.toml");
        assert!(
            config.contains("title = \"Caf\u{e9} M\u{fc}ller\""),
            "{name}: {config}"
        );
    }
}

#[test]
fn sources_import_and_export_opml() {
    let project = Project::new(CONFIG).with_dumps(&["city-desk.txt", "other-desk.txt"]);
    let opml = project.path("subs.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>Reader export</title></head><body>
  <outline text="Local">
    <outline text="Harbour Post" type="rss" xmlUrl="https://harbour.example/feed.xml"/>
    <outline text="Valley &amp; Moor" type="rss" xmlUrl="https://valley.example/atom"/>
  </outline>
</body></opml>"#,
    )
    .unwrap();
    let output = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("added source harbour-post: https://harbour.example/feed.xml"),
        "{stdout}"
    );
    assert!(stdout.contains("2 sources added"), "{stdout}");
    assert!(
        stdout.contains("feed all takes every source: it shows them"),
        "{stdout}"
    );
    let config = project.read("config.toml");
    assert!(
        config.starts_with(CONFIG),
        "the existing config is kept as written"
    );
    assert!(
        config.contains(
            "name = \"valley-moor\"\ntitle = \"Valley & Moor\"\nfeed = \"https://valley.example/atom\""
        ),
        "{config}"
    );

    let again = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    assert!(
        text(&again).0.contains("0 sources added to"),
        "importing twice adds nothing"
    );

    let export = project.feedfold(&["sources", "export"]);
    let (exported, _) = text(&export);
    assert!(export.status.success());
    assert!(
        exported.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"),
        "{exported}"
    );
    assert!(exported.contains(r#"<outline type="rss" text="Valley &amp; Moor" title="Valley &amp; Moor" xmlUrl="https://valley.example/atom"/>"#), "{exported}");
    assert!(
        !exported.contains("city-desk"),
        "text sources are not feeds: {exported}"
    );
}

#[test]
fn a_title_with_a_control_character_survives_import_and_export_as_wellformed_opml() {
    let project = Project::new(CONFIG);
    let opml = project.path("subs.opml");
    std::fs::write(
        &opml,
        r#"<opml version="2.0"><body><outline type="rss" text="Harbour&#1;News" xmlUrl="https://harbour.example/rss"/></body></opml>"#,
    )
    .unwrap();
    let import = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    assert!(import.status.success(), "{}", text(&import).1);
    let config = project.read("config.toml");
    assert!(config.contains("title = \"HarbourNews\""), "{config}");

    std::fs::write(
        project.path("config.toml"),
        format!("{config}\n[[source]]\nname = \"wire\"\ntitle = \"Wire\\u0002World\"\nfeed = \"https://wire.example/rss\"\n"),
    )
    .unwrap();
    let export = project.feedfold(&["sources", "export"]);
    let (exported, stderr) = text(&export);
    assert!(export.status.success(), "{stderr}");
    assert!(
        exported.contains(r#"text="WireWorld" title="WireWorld""#),
        "{exported}"
    );
    assert!(
        !exported
            .chars()
            .any(|c| c.is_control() && !c.is_whitespace()),
        "{exported:?}"
    );
    let back = project.path("back.opml");
    std::fs::write(&back, &exported).unwrap();
    let again = project.feedfold(&["sources", "import", back.to_str().unwrap()]);
    assert!(again.status.success(), "{}", text(&again).1);
    assert!(
        text(&again).0.contains("0 sources added"),
        "{}",
        text(&again).0
    );
}

#[test]
fn sources_export_keeps_the_working_url_and_names_each_feed_it_leaves_out() {
    let project = Project::new(
        "[[source]]\nname = \"wire\"\nfeed = \"https://user:pw@up.example/news.rss?key=s3cret\"\n\n\
         [[source]]\nname = \"localfile\"\nfeed = \"local.xml\"\n\n\
         [[source]]\nname = \"desk\"\ntext = \"dumps/*.txt\"\n\n\
         [[feed]]\nname = \"n\"\ntitle = \"N\"\n",
    );
    let export = project.feedfold(&["sources", "export"]);
    let (exported, stderr) = text(&export);
    assert!(export.status.success(), "{stderr}");
    // A reader imports the URL that works, credentials and all.
    assert!(
        exported.contains(r#"xmlUrl="https://user:pw@up.example/news.rss?key=s3cret""#),
        "{exported}"
    );
    assert!(!exported.contains("local.xml"), "{exported}");
    assert_eq!(
        stderr,
        "feedfold: sources export: left out source localfile: its feed is a local file, \
         which a reader cannot subscribe to\n"
    );
}

#[test]
fn an_outline_with_an_upper_case_scheme_is_imported_with_the_others() {
    let project = Project::new(CONFIG).with_dumps(&["city-desk.txt", "other-desk.txt"]);
    let opml = project.path("subs.opml");
    std::fs::write(
        &opml,
        r#"<opml version="2.0"><head/><body>
  <outline text="Loud Wire" type="rss" xmlUrl="HTTP://Wire.Example/rss"/>
  <outline text="Harbour Post" type="rss" xmlUrl="https://harbour.example/feed.xml"/>
  <outline text="Gopher" type="rss" xmlUrl="gopher://old.example/feed"/>
</body></opml>"#,
    )
    .unwrap();
    let output = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("2 sources added"), "{stdout}");
    assert!(stdout.contains("gopher://old.example/feed"), "{stdout}");
    let export = project.feedfold(&["sources", "export"]);
    let (exported, _) = text(&export);
    assert!(
        exported.contains(r#"xmlUrl="http://wire.example/rss""#)
            && exported.contains(r#"xmlUrl="https://harbour.example/feed.xml""#),
        "{exported}"
    );
}

#[test]
fn links_planted_in_the_feeds_folder_redirect_no_write() {
    use std::os::unix::fs::symlink;
    let project = project();
    let out = project.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let target = project.path("owned-by-the-attacker");
    // Dangling links under every name the next few hundred process ids
    // would give each feed file's temporary file.
    let last_pid: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(std::process::id);
    for pid in last_pid..last_pid + 400 {
        for file in ["all.rss", "all.atom", "all.json", "city.rss"] {
            symlink(&target, out.join(format!(".{file}.{pid}.tmp"))).unwrap();
        }
    }
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(!target.exists(), "a write went through a planted link");
    for file in ["all.rss", "all.atom", "all.json", "city.rss"] {
        let metadata = std::fs::symlink_metadata(out.join(file)).unwrap();
        assert!(metadata.file_type().is_file(), "{file} is a regular file");
    }
    assert_eq!(titles_of_rss(&project.read("out/city.rss")).len(), 2);
}

#[test]
fn each_cause_of_an_error_is_printed_once() {
    // procfs refuses new folders with "No such file or directory".
    let project = Project::new(
        "[store]\npath = \"/proc/self/nonexistent/state.db\"\n\n[[source]]\nname = \"s\"\ntext = \"dumps/*.txt\"\n\n[[feed]]\nname = \"n\"\ntitle = \"N\"\n",
    );
    let output = project.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "feedfold: error: cannot open the store: /proc/self/nonexistent: cannot create the store's folder: No such file or directory (os error 2)"
    );
    // A file that cannot be read, in a run report.
    let project = Project::new(
        "[[source]]\nname = \"wire\"\nfeed = \"upstream/missing.xml\"\n\n[[feed]]\nname = \"n\"\ntitle = \"N\"\n",
    );
    let output = project.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("(os error 2)").count(), 1, "{stderr}");
    assert!(
        stderr.contains("upstream/missing.xml: No such file or directory (os error 2)"),
        "{stderr}"
    );
}

/// A store and feeds written by an earlier feedfold (`tests/fixtures/compat`:
/// the store as SQL, its feed files, what a later run and `dups` printed)
/// are read and republished byte for byte: the same report, the same feed
/// files, the same folds. The store is converted to the compact tables on
/// the way, with every article, sighting, key and fetch state kept as it
/// was (a feed entry's sighting moved to the line the entry is read at),
/// and a run after that changes nothing in it.
#[test]
fn a_store_written_before_is_read_and_republished_unchanged() {
    let compat = fixtures().join("compat");
    let project = Project::new(&std::fs::read_to_string(compat.join("config.toml")).unwrap());
    let copy = |from: std::path::PathBuf, to: &str| {
        let to = project.path(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    };
    for dump in ["city-desk.txt", "near-monday.txt", "near-tuesday.txt"] {
        copy(
            fixtures().join("dumps").join(dump),
            &format!("dumps/{dump}"),
        );
    }
    copy(fixtures().join("feeds/rss20.xml"), "upstream/rss20.xml");
    copy(
        fixtures().join("feeds/jsonfeed11.json"),
        "upstream/jsonfeed11.json",
    );
    let sql = std::fs::read_to_string(compat.join("store.sql")).unwrap();
    std::fs::create_dir_all(project.path("state")).unwrap();
    let store_path = project.path("state/feedfold.db");
    rusqlite::Connection::open(&store_path)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
    let old = OldStore::read(&store_path);

    // Relative to the config's folder, as the store's sightings were written.
    let run = feedfold_in(project.dir.path(), &["run", "--config", "config.toml"]);
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "{stdout}{stderr}");
    let expected_report = std::fs::read_to_string(compat.join("run.out")).unwrap();
    let written = expected_report.replace(
        "0 files written, 3 unchanged",
        "3 files written, 0 unchanged",
    );
    assert_eq!(
        stdout, written,
        "the same report, into an empty feeds folder"
    );
    // The JSON Feed's first entry gives an audio file, which the old store
    // did not keep: seen again, the entry fills it in, and the feeds that
    // carry it publish it beside what they published before.
    let audio = "https://estuary-echo.example/audio/rangers.mp3";
    let with_audio = |name: &str, published: String| {
        match name {
        "all.rss" => published.replacen(
            "sandbanks.]]></description><guid",
            &format!(
                "sandbanks.]]></description><enclosure url=\"{audio}\" length=\"0\" type=\"audio/mpeg\"/><guid"
            ),
            1,
        ),
        "all.atom" => published.replacen(
            "seal-pups\" rel=\"alternate\" type=\"text/html\"/>",
            &format!(
                "seal-pups\" rel=\"alternate\" type=\"text/html\"/><link href=\"{audio}\" rel=\"enclosure\" type=\"audio/mpeg\"/>"
            ),
            1,
        ),
        "all.json" => published.replacen(
            "\"name\": \"Nia Baptiste\"\n        }\n      ]\n",
            &format!(
                "\"name\": \"Nia Baptiste\"\n        }}\n      ],\n      \"attachments\": [\n        {{\n          \"url\": \"{audio}\",\n          \"mime_type\": \"audio/mpeg\"\n        }}\n      ]\n"
            ),
            1,
        ),
        _ => published,
    }
    };
    for feed in ["all", "desk"] {
        for format in ["rss", "atom", "json"] {
            let name = format!("{feed}.{format}");
            let before = std::fs::read_to_string(compat.join("feeds").join(&name)).unwrap();
            let expected = with_audio(&name, before.clone());
            assert_eq!(
                expected != before,
                feed == "all",
                "{name}: the audio file is in the feeds that carry its entry"
            );
            assert_eq!(
                project.read(&format!("feeds/{name}")),
                expected,
                "{name} is republished byte for byte, the audio file added"
            );
        }
    }
    // The entry's content key holds the audio file since media files are
    // kept: the entry is as it was, its article found by that key as well
    // from now on, and its media files filled in.
    let mut old = old;
    old.keys[0] += 1;
    // The earlier feedfold wrote a feed entry's place in its document where
    // its line belongs: read again, each entry is placed at its line.
    for (_, _, location, line, _) in &mut old.sightings {
        *line = match (location.as_str(), *line) {
            ("upstream/jsonfeed11.json", 1) => 8,
            ("upstream/jsonfeed11.json", 2) => 20,
            ("upstream/rss20.xml", 1) => 13,
            ("upstream/rss20.xml", 2) => 35,
            (_, line) => line,
        };
    }
    old.is_kept_in(&store_path);
    let converted = dump_tables(&store_path);
    let again = feedfold_in(project.dir.path(), &["run", "--config", "config.toml"]);
    assert_eq!(
        text(&again).0,
        expected_report,
        "a second run writes nothing"
    );
    assert_eq!(
        converted,
        dump_tables(&store_path),
        "the store is unchanged"
    );
    let cycles = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM source_cycle", [], |r| r.get(0))
            .unwrap()
    };
    assert!(cycles(&store_path) > 0, "but for the counts of each run");
    let dups = feedfold_in(
        project.dir.path(),
        &["dups", "--json", "--config", "config.toml"],
    );
    assert_eq!(
        text(&dups).0,
        std::fs::read_to_string(compat.join("dups.jsonl")).unwrap()
    );
}

/// What a store written before the compact tables holds, read as it was
/// written: each article's fields, sightings and fetch states, and how many
/// keys of each kind.
struct OldStore {
    articles: Vec<(String, Vec<String>)>,
    sightings: Vec<(String, String, String, i64, String)>,
    fetch_states: Vec<Vec<String>>,
    keys: [i64; 3],
}

impl OldStore {
    fn read(path: &std::path::Path) -> OldStore {
        let conn = rusqlite::Connection::open(path).unwrap();
        let texts = |sql: &str| -> Vec<Vec<String>> {
            let mut stmt = conn.prepare(sql).unwrap();
            let columns = stmt.column_count();
            stmt.query_map([], |row| {
                Ok((0..columns)
                    .map(|i| match row.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Null => "null".to_string(),
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        value => value.as_str().unwrap().to_string(),
                    })
                    .collect())
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        let articles = texts(
            "SELECT id, title, published, updated, captions, body, coalesce(link, 'null'), authors, \
             categories, coalesce(summary, 'null'), coalesce(content_html, 'null') FROM articles",
        )
        .into_iter()
        .map(|mut row| (row.remove(0), row))
        .collect();
        let sightings =
            texts("SELECT article_id, source, location, line, first_seen FROM sightings")
                .into_iter()
                .map(|r| {
                    (
                        r[0].clone(),
                        r[1].clone(),
                        r[2].clone(),
                        r[3].parse().unwrap(),
                        r[4].clone(),
                    )
                })
                .collect();
        let count = |table: &str| -> i64 {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        OldStore {
            articles,
            sightings,
            fetch_states: texts("SELECT * FROM fetch_state ORDER BY source"),
            keys: [
                count("content_keys"),
                count("link_keys"),
                count("upstream_keys"),
            ],
        }
    }

    /// Checks that the converted store at `path` holds all of it.
    fn is_kept_in(&self, path: &std::path::Path) {
        use feedfold::store::Store;
        let mut store = feedfold::store::sqlite::SqliteStore::open(path).unwrap();
        let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "null".into());
        for (id, was) in &self.articles {
            let stored = store
                .article(id)
                .unwrap()
                .unwrap_or_else(|| panic!("{id} lost"));
            let now = [
                stored.title.clone(),
                feedfold::model::rfc3339(stored.published),
                feedfold::model::rfc3339(stored.updated),
                serde_json::to_string(&stored.captions).unwrap(),
                serde_json::to_string(&stored.body).unwrap(),
                text(&stored.link),
                serde_json::to_string(&stored.authors).unwrap(),
                serde_json::to_string(&stored.categories).unwrap(),
                text(&stored.summary),
                text(&stored.content_html),
            ];
            assert_eq!(&now.to_vec(), was, "article {id}");
        }
        for (id, source, location, line, first_seen) in &self.sightings {
            let kept = store.sightings(id).unwrap();
            assert!(
                kept.iter().any(|s| (
                    &s.source,
                    &s.location,
                    s.line,
                    feedfold::model::rfc3339(s.first_seen)
                ) == (source, location, *line, first_seen.clone())),
                "sighting of {id} at {location}: {kept:?}"
            );
        }
        let counts = store.counts().unwrap();
        assert_eq!(counts.articles as usize, self.articles.len());
        assert_eq!(counts.sightings as usize, self.sightings.len());
        assert_eq!(
            [counts.content_keys, counts.link_keys, counts.upstream_keys].map(|n| n as i64),
            self.keys
        );
        assert_eq!(counts.fetch_states as usize, self.fetch_states.len());
        for state in &self.fetch_states {
            let kept = store.fetch_state(&state[0]).unwrap();
            assert_eq!(kept.validators.etag.as_deref().unwrap_or("null"), state[1]);
            assert_eq!(
                kept.validators.last_modified.as_deref().unwrap_or("null"),
                state[2]
            );
        }
    }
}

/// Every row of every table of the store at `path`, sorted; but for
/// `source_cycle`, the log of each run's counts, which every run adds to,
/// and when each source was last fetched (`fetch_state.last_attempt`,
/// and `read_began`, when the fetch its stored text reflects began) and
/// each feed last published (`feed_publication.at`), which every run
/// records by design.
fn dump_tables(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> 'source_cycle'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut rows = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
        let columns: Vec<usize> = (0..stmt.column_count())
            .filter(|&i| {
                !matches!(
                    stmt.column_name(i).unwrap(),
                    "last_attempt" | "read_began" | "at"
                )
            })
            .collect();
        let mut query = stmt.query([]).unwrap();
        while let Some(row) = query.next().unwrap() {
            let values: Vec<String> = columns
                .iter()
                .map(|&i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{table}: {}", values.join(" | ")));
        }
    }
    rows.sort();
    rows
}

#[test]
fn sources_no_feed_publishes_are_warned_of_once_at_load() {
    let unfed = CONFIG.replace(
        "[[feed]]\nname = \"all\"\ntitle = \"All the news\"\nlimit = 50\n",
        "",
    );
    let project = Project::new(&unfed).with_dumps(&["city-desk.txt", "other-desk.txt"]);
    let output = project.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert!(output.status.success(), "a warning is no failure: {stderr}");
    assert_eq!(
        stderr.matches("feeds no [[feed]]").count(),
        1,
        "once, for harbour only: {stderr}"
    );
    assert!(
        stderr.contains("source \"harbour\" feeds no [[feed]]"),
        "{stderr}"
    );

    let feedless = Project::new("[[source]]\nname = \"city\"\ntext = \"dumps/city-desk.txt\"\n")
        .with_dumps(&["city-desk.txt"]);
    let output = feedless.feedfold(&["run"]);
    let (_, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("there is no [[feed]]").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn imported_sources_go_into_the_feed_asked_for() {
    let config = "[[source]]\nname = \"city\"\ntext = \"dumps/city-desk.txt\"\n\n\
                  [[feed]]\nname = \"city\"\ntitle = \"City\"\nsources = [\"city\"]\n\n\
                  [[feed]]\nname = \"harbour\"\ntitle = \"Harbour\"\nsources = [\"city\"]\n";
    let project = Project::new(config).with_dumps(&["city-desk.txt"]);
    let opml = project.path("subs.opml");
    std::fs::write(
        &opml,
        r#"<opml version="2.0"><head/><body>
  <outline text="Blog: Ünïcode &amp; stuff!" type="rss" xmlUrl="https://blog.example/feed"/>
</body></opml>"#,
    )
    .unwrap();
    let opml = opml.to_str().unwrap();
    let output = project.feedfold(&["sources", "import", opml]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("added source blog-unicode-stuff"),
        "{stdout}"
    );
    // The command it suggests names the config this one was given.
    let config = project.path("config.toml");
    assert!(
        stdout.contains(&format!(
            "no feed shows blog-unicode-stuff yet: run `feedfold -c {} sources import {opml} --feed NAME`",
            config.display()
        )),
        "two feeds, none asked for: {stdout}"
    );

    let output = project.feedfold(&["sources", "import", opml, "--feed", "harbour"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("already present as blog-unicode-stuff"),
        "{stdout}"
    );
    assert!(
        stdout.contains("feed harbour now also shows blog-unicode-stuff"),
        "{stdout}"
    );
    let written = project.read("config.toml");
    assert!(
        written.contains("title = \"Blog: Ünïcode & stuff!\"")
            && written.contains("sources = [\"city\", \"blog-unicode-stuff\"]"),
        "{written}"
    );
    let export = project.feedfold(&["sources", "export"]);
    let (exported, stderr) = text(&export);
    assert!(
        exported
            .contains(r#"text="Blog: Ünïcode &amp; stuff!" title="Blog: Ünïcode &amp; stuff!""#),
        "{exported}"
    );
    assert!(
        !stderr.contains("feeds no [[feed]]"),
        "every source is published now: {stderr}"
    );
}

#[test]
fn sources_import_shows_each_url_without_its_credentials_or_query_values() {
    let project = Project::new(CONFIG).with_dumps(&["city-desk.txt", "other-desk.txt"]);
    let opml = project.path("subs.opml");
    std::fs::write(
        &opml,
        r#"<opml version="2.0"><head/><body>
  <outline text="Paid" type="rss" xmlUrl="https://user:hunter2@paid.example/a.xml?key=s3cret"/>
  <outline text="Old" type="rss" xmlUrl="ftp://user:hunter2@old.example/b.xml?key=s3cret"/>
</body></opml>"#,
    )
    .unwrap();
    let first = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    let again = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    let (stdout, stderr) = text(&first);
    assert!(first.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("added source paid: https://paid.example/a.xml?key=***\n")
            && stdout.contains("left out ftp://old.example/b.xml?key=***: not an absolute"),
        "{stdout}"
    );
    let (stdout_again, _) = text(&again);
    assert!(
        stdout_again.contains("already present as paid: https://paid.example/a.xml?key=***\n"),
        "{stdout_again}"
    );
    let shown = format!("{stdout}{stderr}{stdout_again}{}", text(&again).1);
    assert!(
        !shown.contains("hunter2") && !shown.contains("s3cret"),
        "{shown}"
    );
    // The config keeps the URL that works.
    assert!(
        project
            .read("config.toml")
            .contains("feed = \"https://user:hunter2@paid.example/a.xml?key=s3cret\""),
        "{}",
        project.read("config.toml")
    );
}

#[test]
fn a_feed_argument_no_feed_may_have_is_a_usage_error_naming_it() {
    let config = "[[source]]\nname = \"city\"\ntext = \"dumps/city-desk.txt\"\n\n\
                  [[feed]]\nname = \"city\"\ntitle = \"City\"\n";
    let project = Project::new(config);
    project.write(
        "subs.opml",
        r#"<opml version="2.0"><head/><body>
  <outline text="Alpha" type="rss" xmlUrl="https://alpha.example/feed"/>
</body></opml>"#,
    );
    let opml = project.path("subs.opml");
    for (name, cause) in [
        (
            "World News",
            "it names files, so use a-z, 0-9, `-` and `_` only",
        ),
        ("", "must not be empty"),
    ] {
        let output =
            project.feedfold(&["sources", "import", opml.to_str().unwrap(), "--feed", name]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert_eq!(
            stderr,
            format!("feedfold: sources import: --feed {name:?}: {cause}\n")
        );
        assert_eq!(project.read("config.toml"), config, "nothing imported");
    }
}

#[test]
fn a_feed_name_too_long_to_name_its_files_is_a_config_error() {
    let config = |name: &str| {
        format!(
            "[[source]]\nname = \"city\"\ntext = \"dumps/city-desk.txt\"\n\n\
             [[feed]]\nname = \"{name}\"\ntitle = \"City\"\n"
        )
    };
    let longest = "a".repeat(128);
    let project = Project::new(&config(&longest)).with_dumps(&["city-desk.txt"]);
    let output = project.feedfold(&["run", "--quiet"]);
    assert!(output.status.success(), "{}", text(&output).1);
    for extension in ["rss", "atom", "json"] {
        assert!(
            project
                .path(&format!("feeds/{longest}.{extension}"))
                .is_file()
        );
    }
    let too_long = "a".repeat(129);
    let project = Project::new(&config(&too_long)).with_dumps(&["city-desk.txt"]);
    let output = project.feedfold(&["run", "--quiet"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`feed[0].name`") && stderr.contains("at most 128 characters"),
        "{stderr}"
    );
    assert!(!project.path("feeds").exists(), "nothing published");
}

#[test]
fn imported_subscriptions_are_not_named_like_a_push_source() {
    let config = "[server]\npush_sources = [\"partner\"]\n\n\
                  [[source]]\nname = \"city\"\ntext = \"dumps/city-desk.txt\"\n\n\
                  [[feed]]\nname = \"city\"\ntitle = \"City\"\n";
    let project = Project::new(config).with_dumps(&["city-desk.txt"]);
    project.write(
        "subs.opml",
        r#"<opml version="2.0"><head/><body>
  <outline text="Partner" type="rss" xmlUrl="https://partner.example/feed"/>
  <outline text="API" type="rss" xmlUrl="https://api.example/feed"/>
</body></opml>"#,
    );
    let opml = project.path("subs.opml");
    let output = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("added source partner-2: https://partner.example/feed")
            && stdout.contains("added source api-2: https://api.example/feed"),
        "{stdout}"
    );
    // The config written is valid: the push rule holds.
    let output = project.feedfold(&["sources", "export"]);
    assert!(output.status.success(), "{}", text(&output).1);
}

#[test]
fn a_base_url_with_a_query_or_fragment_is_a_config_error() {
    for base_url in [
        "https://news.example/?lang=en",
        "https://news.example/#latest",
    ] {
        let project = Project::new(&CONFIG.replace("https://news.example/", base_url))
            .with_dumps(&["city-desk.txt"]);
        let output = project.feedfold(&["run"]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{base_url}: {stderr}");
        assert!(
            stderr.contains("config.toml, line 7: `publish.base_url`: must have no query"),
            "{stderr}"
        );
        assert!(
            !project.path("feeds").exists(),
            "{base_url}: nothing published"
        );
    }
}

#[test]
fn a_feed_url_without_a_scheme_or_with_another_is_a_config_error_naming_the_source() {
    for (feed, cause) in [
        ("ftp://old.example/feed.xml", "does not read ftp: URLs"),
        (
            "example.org/rss.xml",
            "looks like a URL without its scheme: write \"https://example.org/rss.xml\"",
        ),
    ] {
        let project = Project::new(&format!(
            "{CONFIG}\n[[source]]\nname = \"wire\"\nfeed = \"{feed}\"\n"
        ))
        .with_dumps(&["city-desk.txt", "other-desk.txt"]);
        let output = project.feedfold(&["run"]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("`source[2].feed`: source \"wire\": ") && stderr.contains(cause),
            "{stderr}"
        );
        assert!(
            stderr.contains("an http:// or https:// URL, or a local path")
                && !stderr.contains("No such file"),
            "{stderr}"
        );
    }
}

#[test]
fn dups_on_a_store_that_is_not_there_names_it_and_creates_nothing() {
    let project = project();
    let output = project.feedfold(&["dups"]);
    let (stdout, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    let store = project.path("state/feedfold.db");
    assert!(
        stderr.contains(&format!("{}: there is no store here", store.display())),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("there is no store here").count(),
        1,
        "{stderr}"
    );
    assert!(!project.path("state").exists(), "nothing is created");

    let output = project.feedfold(&["run", "--quiet"]);
    assert!(output.status.success(), "{:?}", text(&output));
    let output = project.feedfold(&["dups"]);
    assert!(output.status.success(), "{:?}", text(&output));
}

/// The names in the folder `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn dups_opens_the_store_to_read_only_and_makes_nothing_beside_it() {
    let project = project();
    let output = project.feedfold(&["run", "--quiet"]);
    assert!(output.status.success(), "{:?}", text(&output));
    std::fs::remove_file(project.path("state/feedfold.db-lock")).unwrap();
    let before = names_in(&project.path("state"));
    assert_eq!(before, ["feedfold.db"]);
    let output = project.feedfold(&["dups"]);
    assert!(output.status.success(), "{:?}", text(&output));
    assert_eq!(names_in(&project.path("state")), before);
}

#[test]
fn a_database_of_another_application_is_refused_in_one_line_and_left_as_it_is() {
    // Many applications set `user_version`: no number makes a feedfold store.
    for (table, version) in [
        ("invoices", 0),
        ("articles", 0),
        ("notes", 5),
        ("articles", 1),
    ] {
        let project = project();
        std::fs::create_dir(project.path("state")).unwrap();
        let store = project.path("state/feedfold.db");
        let conn = rusqlite::Connection::open(&store).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE {table} (id INTEGER PRIMARY KEY, amount REAL); \
             INSERT INTO {table} VALUES (1, 9.5); PRAGMA user_version = {version};"
        ))
        .unwrap();
        drop(conn);
        let before = std::fs::read(&store).unwrap();
        for command in [&["run"][..], &["sources"], &["dups"]] {
            let output = project.feedfold(command);
            let (stdout, stderr) = text(&output);
            assert_eq!(
                output.status.code(),
                Some(1),
                "{command:?}: {stdout}{stderr}"
            );
            assert_eq!(
                stderr.trim_end(),
                format!(
                    "feedfold: error: cannot open the store: {}: this is not a feedfold store \
                     (a SQLite database of another application; check `[store] path` and `--config`)",
                    store.display()
                ),
                "{command:?}"
            );
        }
        assert_eq!(std::fs::read(&store).unwrap(), before, "{table} {version}");
        assert_eq!(names_in(&project.path("state")), ["feedfold.db"]);
    }
}

#[test]
fn entries_that_share_a_link_and_no_id_are_each_published_and_stay_put() {
    let project = Project::new(
        r#"
[store]
path = "state/feedfold.db"

[publish]
dir = "out"
base_url = "https://news.example/"

[[source]]
name = "parish"
feed = "notices.xml"

[[feed]]
name = "all"
title = "Parish notices"
"#,
    );
    std::fs::copy(
        fixtures().join("feeds/rss-shared-link.xml"),
        project.path("notices.xml"),
    )
    .unwrap();
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("4 entries read, 4 new"), "{stdout}");
    assert!(
        stderr.contains("entries 1, 2 and 3 share the link"),
        "{stderr}"
    );
    let mut titles = titles_of_rss(&project.read("out/all.rss"));
    titles.sort();
    assert_eq!(
        titles,
        [
            "Footpath to Kennington reopens",
            "Hall closed for boiler repairs on Monday",
            "Quiz night raises £640 for the school roof",
            "Recycling collection moves to Thursdays",
        ]
    );
    let before = project.read("out/all.rss");
    let output = project.feedfold(&["run"]);
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("source parish: 4 entries read, 0 new, 4 already known\n"),
        "{stdout}"
    );
    assert_eq!(project.read("out/all.rss"), before);
}

/// A feed with no articles yet is dated when it was first written, not the
/// Unix epoch, and a run that finds it still empty leaves its bytes alone.
#[test]
fn an_empty_feed_is_dated_when_first_written_and_stays_byte_stable() {
    let project = Project::new(
        r#"
[store]
path = "state/feedfold.db"

[publish]
dir = "feeds"
base_url = "https://feeds.example"

[[source]]
name = "desk"
text = "dumps/*.txt"

[[feed]]
name = "all"
title = "All"
"#,
    );
    std::fs::create_dir_all(project.path("dumps")).unwrap();
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let first = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&first);
    assert!(first.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("feed all: 0 entries, 3 files written"),
        "{stdout}"
    );
    let atom = project.read("feeds/all.atom");
    let updated = atom
        .split_once("<updated>")
        .and_then(|(_, rest)| rest.split_once("</updated>"))
        .map(|(date, _)| chrono::DateTime::parse_from_rfc3339(date).unwrap())
        .unwrap_or_else(|| panic!("no updated in {atom}"));
    assert!(
        updated >= before && updated <= chrono::Utc::now(),
        "{updated} is when the feed was written"
    );
    let rss = project.read("feeds/all.rss");
    assert!(!rss.contains("1970"), "{rss}");
    std::thread::sleep(Duration::from_millis(1100));
    let again = project.feedfold(&["run"]);
    let (stdout, _) = text(&again);
    assert!(
        stdout.contains("feed all: 0 entries, 0 files written, 3 unchanged"),
        "{stdout}"
    );
    assert_eq!(project.read("feeds/all.atom"), atom);
    assert_eq!(project.read("feeds/all.rss"), rss);
}

#[test]
fn a_config_not_in_utf8_is_refused_naming_the_line() {
    // Saved as Latin-1: the "é" of line 19 is the one byte 0xE9.
    let project = project();
    let marked = CONFIG.replace("title = \"All the news\"", "title = \"Caf\u{1} news\"");
    let bytes: Vec<u8> = marked
        .bytes()
        .map(|b| if b == 1 { 0xe9 } else { b })
        .collect();
    std::fs::write(project.path("config.toml"), bytes).unwrap();
    let output = project.feedfold(&["sources"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("config.toml, line 19, column 13: invalid UTF-8 at byte offset")
            && stderr.contains("iconv"),
        "{stderr}"
    );
    assert!(!stderr.contains("cannot read the config file"), "{stderr}");
}

#[test]
fn sources_import_accounts_for_every_outline() {
    let project = project();
    let opml = project.path("subs.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?>
<opml version="2.0"><head/><body>
<outline text="Tech"><outline text="Harbour News" type="rss" xmlUrl="https://harbour.example/rss"/></outline>
<outline text="Local"><outline text="Harbour News (local)" type="rss" xmlUrl="https://HARBOUR.example/rss"/></outline>
<outline text="Broken" type="rss" xmlUrl=""/>
</body></opml>"#,
    )
    .unwrap();
    let output = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("added source harbour-news: https://harbour.example/rss\n")
            // Shown as feedfold fetches it, the host in lower case.
            && stdout.contains("already present as harbour-news: https://harbour.example/rss\n")
            && stdout.contains("left out \"Broken\": its xmlUrl is empty or missing\n")
            && stdout.contains(": 1 source added to ")
            && stdout.contains(", 1 already present, 1 left out\n"),
        "{stdout}"
    );
    assert_eq!(project.read("config.toml").matches("[[source]]").count(), 3);
}

/// An RSS document of one entry, guid `1`, headlined `title`.
fn one_entry_rss(title: &str, text: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
         <link>https://wire.example/</link><description>d</description>\
         <item><title>{title}</title><link>https://wire.example/p?id=1</link>\
         <guid isPermaLink=\"false\">1</guid><pubDate>Mon, 30 Nov 2026 10:00:00 +0000</pubDate>\
         <description>{text}</description></item></channel></rss>"
    )
}

#[test]
fn an_imported_subscription_is_not_named_after_a_source_removed_from_the_config() {
    let project = Project::new(WIRE_CONFIG);
    project.write(
        "wire.xml",
        &one_entry_rss(
            "Council approves harbour budget",
            "The council approved the harbour budget on Monday after a long debate about the quay.",
        ),
    );
    assert!(project.feedfold(&["run"]).status.success());
    // The source is removed; the store keeps its entries, whose ids were
    // made from its name.
    project.write(
        "config.toml",
        &WIRE_CONFIG.replace(
            "name = \"wire\"\nfeed = \"wire.xml\"",
            "name = \"desk\"\ntext = \"dumps/*.txt\"",
        ),
    );
    project.write(
        "subs.opml",
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>\
         <outline text=\"Wire\" type=\"rss\" xmlUrl=\"https://new.example/rss.xml\"/></body></opml>",
    );
    let opml = project.path("subs.opml");
    let import = project.feedfold(&["sources", "import", opml.to_str().unwrap()]);
    let (stdout, stderr) = text(&import);
    assert!(import.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("added source wire-2: https://new.example/rss.xml"),
        "{stdout}"
    );
    // Its entry of the same guid is another story, not an edit of the old.
    project.write(
        "new.xml",
        &one_entry_rss(
            "Storm closes mountain pass",
            "Heavy snow closed the mountain pass overnight and drivers were told to wait.",
        ),
    );
    let config = project
        .read("config.toml")
        .replace("https://new.example/rss.xml", "new.xml");
    project.write("config.toml", &config);
    let run = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&run);
    assert!(run.status.success(), "{stdout}{stderr}");
    let mut titles: Vec<String> = json_titles_and_dates(&project.read("out/all.json"))
        .into_iter()
        .map(|(title, _)| title)
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Council approves harbour budget",
            "Storm closes mountain pass"
        ]
    );
}

/// A config reading the feed `wire.xml` into the feed `all`.
const WIRE_CONFIG: &str = "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"out\"\n\n\
     [[source]]\nname = \"wire\"\nfeed = \"wire.xml\"\n\n[[feed]]\nname = \"all\"\ntitle = \"All\"\n";

/// The titles and `date_published` of a published JSON Feed, in order.
fn json_titles_and_dates(json: &str) -> Vec<(String, String)> {
    let feed: serde_json::Value = serde_json::from_str(json).expect("valid JSON Feed");
    feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            let field = |name: &str| item[name].as_str().unwrap_or_default().to_string();
            (field("title"), field("date_published"))
        })
        .collect()
}

#[test]
fn feed_dates_given_as_a_day_without_a_time_date_their_entries_that_day() {
    let project = Project::new(WIRE_CONFIG);
    let item = |guid: &str, title: &str, date: &str| {
        format!(
            "<item><guid>{guid}</guid><title>{title}</title><description>{title}, in full.</description>\
             <pubDate>{date}</pubDate></item>"
        )
    };
    let items = [
        item(
            "c",
            "Lifeboat crews rescue two walkers",
            "Thu, 03 Dec 2026 10:00:00 GMT",
        ),
        item(
            "a",
            "Harbour board appoints a new chief",
            "Tue, 01 Dec 2026",
        ),
        item("b", "Council approves the ferry terminal", "30 Nov 2026"),
        item("d", "Library extends its winter hours", "1 November 2026"),
        item("e", "Market square reopens after works", "October 30, 2026"),
    ]
    .concat();
    project.write(
        "wire.xml",
        &format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
             <link>http://wire.example/</link><description>d</description>{items}</channel></rss>"
        ),
    );
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(!stderr.contains("cannot be read"), "{stderr}");
    let dated = json_titles_and_dates(&project.read("out/all.json"));
    let expected = [
        ("Lifeboat crews rescue two walkers", "2026-12-03T10:00:00Z"),
        ("Harbour board appoints a new chief", "2026-12-01T00:00:00Z"),
        (
            "Council approves the ferry terminal",
            "2026-11-30T00:00:00Z",
        ),
        ("Library extends its winter hours", "2026-11-01T00:00:00Z"),
        ("Market square reopens after works", "2026-10-30T00:00:00Z"),
    ]
    .map(|(title, date)| (title.to_string(), date.to_string()));
    assert_eq!(dated, expected);
}

#[test]
fn a_new_version_of_a_feed_file_is_dated_after_one_written_under_a_clock_ahead() {
    let project = Project::new(WIRE_CONFIG);
    let feed = |body: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>\
             <link>http://wire.example/</link><description>d</description>\
             <item><guid>f1</guid><title>Ferry service resumes after storm repairs</title>\
             <pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate><description>{body}</description></item>\
             </channel></rss>"
        )
    };
    let modified = |ext: &str| {
        std::fs::metadata(project.path(&format!("out/all.{ext}")))
            .unwrap()
            .modified()
            .unwrap()
    };
    let mut body = String::from("The ferry service resumed on Monday.");
    for ahead in [Duration::from_secs(300), Duration::from_secs(3 * 86_400)] {
        project.write("wire.xml", &feed(&body));
        let output = project.feedfold(&["run"]);
        assert!(output.status.success(), "{:?}", text(&output));
        // The version published is dated by a clock that ran ahead.
        let dated_ahead = std::time::SystemTime::now() + ahead;
        for ext in ["rss", "atom", "json"] {
            std::fs::File::options()
                .write(true)
                .open(project.path(&format!("out/all.{ext}")))
                .unwrap()
                .set_modified(dated_ahead)
                .unwrap();
        }
        // The clock is right again, and the story is edited.
        body.push_str(" Repairs finished early.");
        project.write("wire.xml", &feed(&body));
        let output = project.feedfold(&["run"]);
        assert!(output.status.success(), "{:?}", text(&output));
        for ext in ["rss", "atom", "json"] {
            let whole = |time: std::time::SystemTime| {
                time.duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs()
            };
            assert_eq!(
                whole(modified(ext)),
                whole(dated_ahead) + 1,
                "{ext}: the second after the version it replaced ({ahead:?} ahead)"
            );
        }
    }
}

/// A scraped story's text, under `header` (its headline, captions, date
/// line and byline as the page gave them).
fn ferry_story(header: &str) -> String {
    format!(
        "{header}\n\nThe harbour ferry service was suspended on Monday after an engine fault was found during a routine inspection, the operator said.\n\nPassengers were advised to use the bus service instead while engineers examined the vessel in the dry dock.\n"
    )
}

const FERRY_HEADLINE: &str = "Harbour Ferry Service Suspended After Engine Fault";
const FERRY_CAPTION: &str = "The ferry at the harbour pier on Monday.";

#[test]
fn a_caption_only_the_copy_read_second_has_is_published_whichever_file_comes_first() {
    let bare = ferry_story(&format!(
        "{FERRY_HEADLINE}\n\nMonday, 30 November, 2026 - 09:00"
    ));
    let captioned = ferry_story(&format!(
        "{FERRY_HEADLINE}\n\n{FERRY_CAPTION} (AP)\n\n{FERRY_HEADLINE}\n\n{FERRY_CAPTION} (AP)\n\nMonday, 30 November, 2026 - 09:00\nBy Martha Quill"
    ));
    for (first, second) in [(&bare, &captioned), (&captioned, &bare)] {
        let project = Project::new(CONFIG).with_dumps(&["city-desk.txt"]);
        project.write("dumps/other-a.txt", first);
        project.write("dumps/other-b.txt", second);
        let output = project.feedfold(&["run", "--quiet"]);
        assert!(output.status.success(), "{:?}", text(&output));
        for format in ["rss", "atom", "json"] {
            let feed = project.read(&format!("out/all.{format}"));
            assert_eq!(feed.matches(FERRY_HEADLINE).count(), 1, "{feed}");
            assert!(feed.contains(FERRY_CAPTION), "{format}: {feed}");
            assert!(feed.contains("Martha Quill"), "{format}: {feed}");
        }
    }
}

#[test]
fn a_dump_read_again_with_its_caption_credit_corrected_and_an_update_line_is_updated() {
    let project = Project::new(CONFIG).with_dumps(&["city-desk.txt"]);
    let page = |credit: &str, updated: &str| {
        ferry_story(&format!(
            "{FERRY_HEADLINE}\n\n{FERRY_CAPTION} ({credit})\n\nMonday, 30 November, 2026 - 09:00{updated}"
        ))
    };
    project.write("dumps/other-desk.txt", &page("AP", ""));
    let output = project.feedfold(&["run", "--quiet"]);
    assert!(output.status.success(), "{:?}", text(&output));
    project.write(
        "dumps/other-desk.txt",
        &page("Reuters", "\nUpdated: Tuesday, 1 December, 2026 - 08:00"),
    );
    let output = project.feedfold(&["run"]);
    let (stdout, _) = text(&output);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("1 updated"), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&project.read("out/all.json")).unwrap();
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["title"] == FERRY_HEADLINE)
        .expect("the story is published");
    assert_eq!(item["date_modified"], "2026-12-01T08:00:00Z");
    assert_eq!(item["date_published"], "2026-11-30T09:00:00Z");
    let html = item["content_html"].as_str().unwrap();
    assert!(
        html.contains("(Reuters)") && !html.contains("(AP)"),
        "{html}"
    );
}

#[test]
fn imports_run_at_once_each_add_their_sources() {
    let project = Project::new(CONFIG);
    let lists: Vec<_> = (1..=3)
        .map(|list| {
            let outlines: String = (0..300)
                .map(|n| {
                    format!(
                        r#"<outline text="List {list} feed {n}" xmlUrl="https://list{list}.example/{n}.rss"/>"#
                    )
                })
                .collect();
            let file = project.path(&format!("list{list}.opml"));
            std::fs::write(
                &file,
                format!(r#"<opml version="2.0"><body>{outlines}</body></opml>"#),
            )
            .unwrap();
            file
        })
        .collect();
    let outputs: Vec<_> = std::thread::scope(|scope| {
        let imports: Vec<_> = lists
            .iter()
            .map(|file| {
                let project = &project;
                scope
                    .spawn(move || project.feedfold(&["sources", "import", file.to_str().unwrap()]))
            })
            .collect();
        imports.into_iter().map(|i| i.join().unwrap()).collect()
    });
    for output in &outputs {
        let (stdout, stderr) = text(output);
        assert!(output.status.success(), "{stderr}");
        assert!(stdout.contains("300 sources added"), "{stdout}");
    }
    let config = project.read("config.toml");
    assert!(config.starts_with(CONFIG), "the existing config is kept");
    for list in 1..=3 {
        let url = format!("https://list{list}.example/");
        assert_eq!(config.matches(&url).count(), 300, "list {list}: {config}");
    }
}

#[test]
fn a_players_fallback_text_goes_once_its_file_is_a_media_file() {
    let project = Project::new(
        r#"
[store]
path = "feedfold.db"

[publish]
dir = "out"
base_url = "https://news.example/"

[[source]]
name = "radio"
feed = "upstream/radio.xml"

[[feed]]
name = "radio"
title = "Radio"
"#,
    );
    std::fs::create_dir_all(project.path("upstream")).unwrap();
    std::fs::write(
        project.path("upstream/radio.xml"),
        r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Valley Radio</title><link>https://radio.example/</link><description>Talk</description>
<item><title>The lock keeper's last season</title><link>https://radio.example/lock</link><guid>lock</guid><pubDate>Tue, 06 Oct 2026 08:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The lock keeper at Mill End tells us about forty years of boats, floods and frozen winters on the canal.</p>
<audio controls src="/audio/lock.mp3">Your browser cannot play this recording.</audio>
<video controls><source src="https://radio.example/lock.mp4" type="video/mp4"><source src="https://radio.example/lock.webm" type="video/webm">Your browser cannot play this clip.</video>
<video controls><source src="ftp://archive.example/lock-1986.mp4"><a href="https://archive.example/lock-1986">The 1986 film of the lock</a></video>]]></content:encoded></item>
</channel></rss>"#,
    )
    .unwrap();
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for format in ["rss", "atom", "json"] {
        let feed = project.read(&format!("out/radio.{format}"));
        assert!(!feed.contains("cannot play"), "{format}: {feed}");
        assert!(
            feed.contains("The 1986 film of the lock"),
            "{format}: {feed}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&project.read("out/radio.json")).unwrap();
    let files: Vec<&str> = json["items"][0]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["url"].as_str().unwrap())
        .collect();
    // One file per player: the clip's first encoding stands for it.
    assert_eq!(
        files,
        [
            "https://radio.example/audio/lock.mp3",
            "https://radio.example/lock.mp4"
        ]
    );
}

/// The port story's words, as a publisher's feeds give them.
const PORT_STORY: [&str; 2] = [
    "Dredging of the harbour mouth will start in January, the port authority said on \
     Friday, after two years of delays caused by permit disputes.",
    "The work will deepen the channel to eleven metres so that larger container ships can \
     call at the port without waiting for the tide.",
];

/// An RSS document of one entry, the port story under `title`, its
/// paragraphs joined by `between` in its HTML.
fn port_rss(title: &str, between: &str) -> String {
    let body: Vec<String> = PORT_STORY.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Gazette</title>\
         <link>https://gazette.example/</link><description>d</description>\
         <item><title>{title}</title><link>https://gazette.example/news/dredging</link>\
         <guid isPermaLink=\"false\">p-4411</guid><pubDate>Sat, 05 Dec 2026 10:00:00 +0000</pubDate>\
         <content:encoded><![CDATA[{}]]></content:encoded></item></channel></rss>",
        body.join(between)
    )
}

/// The `date_modified` of the one item of the `all` feed, and the bytes of
/// its three files.
fn published_state(project: &Project) -> (String, Vec<String>) {
    let json = project.read("out/all.json");
    let feed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{json}");
    let files = ["all.json", "all.rss", "all.atom"]
        .iter()
        .map(|f| project.read(&format!("out/{f}")))
        .collect();
    (
        items[0]["date_modified"].as_str().unwrap().to_string(),
        files,
    )
}

fn run_ok(project: &Project) -> String {
    let output = project.feedfold(&["run"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    stdout
}

#[test]
fn the_main_feed_giving_the_edit_its_section_feed_brought_first_is_a_sighting() {
    let project = Project::new(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\
         [[source]]\nname = \"main\"\nfeed = \"main.rss\"\n\
         [[source]]\nname = \"port\"\nfeed = \"port.rss\"\n\
         [[feed]]\nname = \"all\"\ntitle = \"All\"\n",
    );
    let (typo, fixed) = (
        "Harbour dredging to start in Januray",
        "Harbour dredging to start in January",
    );
    project.write("main.rss", &port_rss(typo, ""));
    project.write("port.rss", &port_rss(typo, ""));
    run_ok(&project);
    // The section feed shows the headline fixed first: the story takes it.
    project.write("port.rss", &port_rss(fixed, ""));
    std::thread::sleep(Duration::from_millis(1100));
    run_ok(&project);
    let before = published_state(&project);
    // The main feed then shows the very same words: nothing changed.
    project.write("main.rss", &port_rss(fixed, ""));
    std::thread::sleep(Duration::from_millis(1100));
    let stdout = run_ok(&project);
    assert!(!stdout.contains("updated"), "{stdout}");
    assert_eq!(published_state(&project), before);
}

#[test]
fn an_entry_written_with_other_white_space_between_its_paragraphs_is_unchanged() {
    let project = Project::new(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\
         [[source]]\nname = \"gazette\"\nfeed = \"gazette.rss\"\n\
         [[feed]]\nname = \"all\"\ntitle = \"All\"\n",
    );
    let title = "Harbour dredging to start in January";
    project.write("gazette.rss", &port_rss(title, ""));
    run_ok(&project);
    let before = published_state(&project);
    // A line break, then an indent, between the paragraphs, then none
    // again: a reader sees the same story each time.
    for between in ["\n", "\n      ", ""] {
        project.write("gazette.rss", &port_rss(title, between));
        std::thread::sleep(Duration::from_millis(1100));
        let stdout = run_ok(&project);
        assert!(stdout.contains("1 already known"), "{between:?}: {stdout}");
        assert_eq!(published_state(&project), before, "{between:?}");
    }
}

#[test]
fn sources_import_writes_and_shows_an_outline_s_url_as_feedfold_fetches_it() {
    let project = Project::new(CONFIG);
    let file = project.path("subs.opml");
    std::fs::write(
        &file,
        r#"<?xml version="1.0"?>
<opml version="2.0"><body>
<outline text="Harbour News" type="rss" xmlUrl="https://news.example/rss&#27;]0;renamed&#7;&#27;[2K&#13;feedfold: source wire: failed&#10;"/>
<outline text="Odd" xmlUrl="odd&#27;[2K"/>
</body></opml>
"#,
    )
    .unwrap();
    let output = project.feedfold(&["sources", "import", file.to_str().unwrap()]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let fetched =
        "https://news.example/rss%1B]0;renamed%07%1B[2Kfeedfold:%20source%20wire:%20failed";
    let config = project.read("config.toml");
    for (what, shown) in [
        ("the report", format!("{stdout}{stderr}")),
        ("the config", config.clone()),
    ] {
        assert!(
            !shown.contains(|c: char| c.is_control() && c != '\n'),
            "{what} holds a control character: {shown:?}"
        );
    }
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(
        stdout.contains(&format!("added source harbour-news: {fetched}\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains("left out odd%1B%5B2K: not an absolute http(s) URL"),
        "{stdout}"
    );
    assert!(
        config.contains(&format!("feed = \"{fetched}\"")),
        "{config}"
    );
    let export = text(&project.feedfold(&["sources", "export"])).0;
    assert!(
        export.contains(&format!("xmlUrl=\"{fetched}\"")),
        "{export}"
    );
}

#[test]
fn an_authors_avatar_and_a_link_label_alone_are_published_as_no_picture_and_no_text() {
    let project = Project::new(
        "[publish]\ndir = \"out\"\nbase_url = \"https://news.example/\"\n\n\
         [[source]]\nname = \"blog\"\nfeed = \"blog.xml\"\n\n\
         [[source]]\nname = \"releases\"\nfeed = \"releases.atom\"\n\n\
         [[feed]]\nname = \"news\"\ntitle = \"News\"\n",
    );
    // A WordPress.com post with its author's Gravatar titled with her
    // login, a post whose only text is its `more` link, one whose content
    // is its `more` link over a teaser of its own, and a link aggregator's
    // item whose only text is the link to its comments.
    project.write(
        "blog.xml",
        r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Calder Herald</title><link>https://calder.example/</link><description>d</description>
<item><title>Lighthouse keeper retires after forty years</title><link>https://calder.example/lighthouse/</link>
<pubDate>Mon, 07 Dec 2026 05:00:00 GMT</pubDate>
<description>Tom Hale kept the Calder Point light for forty years and climbed its stairs every night.</description>
<content:encoded><![CDATA[<p><a href="https://calder.example/lighthouse/" class="more-link">Continue reading &rarr;</a></p>]]></content:encoded></item>
<item><title>Council approves harbour plan</title><link>https://calder.example/harbour/</link>
<dc:creator>Maria Lopez</dc:creator><pubDate>Mon, 07 Dec 2026 08:30:00 GMT</pubDate>
<description>The city council approved the long-debated harbour plan on Monday evening.</description>
<media:content url="https://1.gravatar.com/avatar/4f64c9f8?s=96&amp;d=identicon&amp;r=G" medium="image"><media:title type="html">mlopez</media:title></media:content></item>
<item><title>Ferry timetable changes from January</title><link>https://calder.example/ferry/</link>
<pubDate>Mon, 07 Dec 2026 07:00:00 GMT</pubDate>
<description><![CDATA[<p><a href="https://calder.example/ferry/" class="more-link">Continue reading &rarr;</a></p>]]></description></item>
<item><title>Show: a tiny harbour tide parser</title><link>https://tides.example/</link>
<pubDate>Mon, 07 Dec 2026 06:00:00 GMT</pubDate>
<description><![CDATA[<a href="https://calder.example/item?id=7">Comments</a>]]></description></item>
</channel></rss>"#,
    );
    // A GitHub release with its author's 30px avatar as its thumbnail.
    project.write(
        "releases.atom",
        r#"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<id>tag:github.com,2008:https://github.com/calder/tides/releases</id><title>Release notes from tides</title>
<updated>2026-12-05T14:22:10Z</updated>
<entry><id>tag:github.com,2008:Repository/1/v2.1.0</id><updated>2026-12-05T14:22:10Z</updated>
<link rel="alternate" type="text/html" href="https://github.com/calder/tides/releases/tag/v2.1.0"/>
<title>v2.1.0</title><content type="html">&lt;p&gt;Fixes the tide table parser.&lt;/p&gt;</content>
<author><name>ana</name></author>
<media:thumbnail height="30" width="30" url="https://avatars.githubusercontent.com/u/1234?s=60&amp;v=4"/></entry>
</feed>"#,
    );
    let output = project.feedfold(&["run"]);
    assert!(output.status.success(), "{:?}", text(&output));
    for file in ["out/news.rss", "out/news.atom", "out/news.json"] {
        let published = project.read(file);
        for shown in ["gravatar", "mlopez", "avatars.githubusercontent", "<figure"] {
            assert!(!published.contains(shown), "{file}: {shown}");
        }
        for label in ["Continue reading", "Comments"] {
            assert!(!published.contains(label), "{file}: {label}");
        }
    }
    let feed: serde_json::Value = serde_json::from_str(&project.read("out/news.json")).unwrap();
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 5, "{items:#?}");
    let summary = |title: &str| {
        let item = items.iter().find(|i| i["title"] == title).expect(title);
        item["summary"].as_str().map(str::to_string)
    };
    let lighthouse = items
        .iter()
        .find(|i| i["title"] == "Lighthouse keeper retires after forty years")
        .expect("the lighthouse item");
    assert!(
        lighthouse["content_html"]
            .as_str()
            .is_some_and(|html| html.contains("climbed its stairs every night")),
        "a label over a teaser leaves the teaser as the text: {lighthouse:#?}"
    );
    assert_eq!(summary("Ferry timetable changes from January"), None);
    assert_eq!(summary("Show: a tiny harbour tide parser"), None);
    assert!(
        summary("Council approves harbour plan").is_some_and(|s| s.contains("harbour plan")),
        "{items:#?}"
    );
}

//! The index page in a real browser: headless Chromium loads it from a
//! running `feedfold serve`, and its rendered DOM and a screenshot are
//! checked. Skipped with a message where Chromium is not installed, except
//! under `CI=true`, where that fails.

mod common;

use std::process::Command;

use common::Project;
use common::server::Server;

const CONFIG: &str = r#"
[publish]
base_url = "http://feeds.example"

[server]
bind = "127.0.0.1:0"

[[source]]
name = "city"
text = "dumps/city-desk.txt"

[[feed]]
name = "city"
title = "City desk"
description = "Trams, markets and the morning briefing"
"#;

fn chromium() -> Option<&'static str> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is not installed and CI=true");
        }
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
    }
    found
}

fn headless(browser: &str, profile: &std::path::Path) -> Command {
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,900",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

#[test]
fn index_page_renders_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let project = Project::new(CONFIG).with_dumps(&["city-desk.txt"]);
    let server = Server::start(&project, &[]);
    // Let the first cycle publish the feed.
    assert!(common::server::eventually(
        std::time::Duration::from_secs(20),
        || {
            std::fs::read_to_string(project.path("feeds/city.json"))
                .is_ok_and(|f| f.contains("Tram Line"))
        }
    ));
    let profile = project.path("chromium-profile");
    let dom = headless(browser, &profile)
        .arg("--dump-dom")
        .arg(server.url("/"))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("City desk"), "{dom}");
    assert!(dom.contains("4 entries"), "{dom}");
    assert!(dom.contains(r#"<link rel="alternate" type="application/atom+xml" title="City desk (Atom)" href="/feeds/city.atom">"#), "{dom}");
    assert!(dom.contains(r#"href="/feeds/city.json""#), "{dom}");

    let shot = project.path("index.png");
    let status = headless(browser, &profile)
        .arg(format!("--screenshot={}", shot.display()))
        .arg(server.url("/"))
        .output()
        .expect("run chromium");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let png = std::fs::read(&shot).expect("a screenshot was written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 10_000,
        "a blank page compresses to almost nothing: {} bytes",
        png.len()
    );
}

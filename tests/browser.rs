//! The pages in a real browser: headless Chromium loads the index page from
//! a running `feedfold serve`, and its rendered DOM and a screenshot are
//! checked; the articles page is laid out at a phone's width and a
//! desktop's, and measured. Skipped with a message where Chromium is not
//! installed, except under `CI=true`, where that fails.

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

fn headless(browser: &str, profile: &std::path::Path, width: u32) -> Command {
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
    ]);
    command.arg(format!("--window-size={width},900"));
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// Lets the first cycle of `server` publish the feed.
fn first_cycle(project: &Project) {
    assert!(common::server::eventually(
        std::time::Duration::from_secs(20),
        || {
            std::fs::read_to_string(project.path("feeds/city.json"))
                .is_ok_and(|f| f.contains("Tram Line"))
        }
    ));
}

/// Takes a screenshot of `url` at `width` pixels into `shot` and checks
/// that it shows something.
fn screenshot(
    browser: &str,
    profile: &std::path::Path,
    width: u32,
    url: &str,
    shot: &std::path::Path,
) {
    let status = headless(browser, profile, width)
        .arg(format!("--screenshot={}", shot.display()))
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let png = std::fs::read(shot).expect("a screenshot was written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 10_000,
        "a blank page compresses to almost nothing: {} bytes",
        png.len()
    );
}

#[test]
fn index_page_renders_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let project = Project::new(CONFIG).with_dumps(&["city-desk.txt"]);
    let server = Server::start(&project, &[]);
    first_cycle(&project);
    let profile = project.path("chromium-profile");
    let dom = headless(browser, &profile, 1200)
        .arg("--dump-dom")
        .arg(server.url("/"))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("City desk"), "{dom}");
    assert!(dom.contains("4 entries"), "{dom}");
    assert!(dom.contains(r#"<link rel="alternate" type="application/atom+xml" title="City desk (Atom)" href="http://feeds.example/feeds/city.atom">"#), "{dom}");
    assert!(
        dom.contains(r#"href="http://feeds.example/feeds/city.json""#),
        "{dom}"
    );

    screenshot(
        browser,
        &profile,
        1200,
        &server.url("/"),
        &project.path("index.png"),
    );
}

/// Measures the page it is appended to, once laid out: the viewport's
/// width, the document's, every element reaching past either edge (with
/// every `<details>` opened), and the size of each chart. The result is
/// posted to the page that frames it ([`frame`]).
const MEASURE: &str = r#"<script>
document.querySelectorAll('details').forEach(d => d.open = true);
const width = document.documentElement.clientWidth;
const past = [...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
}).map(e => e.tagName + ' ' + (e.getAttribute('class') || ''));
const charts = [...document.querySelectorAll('figure.chart svg')].map(s => {
  const r = s.getBoundingClientRect();
  return [Math.round(r.left), Math.round(r.width), Math.round(r.height), getComputedStyle(s).visibility];
});
parent.postMessage(JSON.stringify({ width, scroll: document.documentElement.scrollWidth, past, charts }), '*');
</script>"#;

/// A page framing `page` at `width` pixels (headless Chromium keeps its
/// window at least 500 pixels wide): what the framed page measures lands
/// in `<pre id="measured">`, which `--dump-dom` shows.
fn frame(page: &str, width: u32) -> String {
    format!(
        r#"<!doctype html><html><body style="margin:0">
<iframe src="{page}" width="{width}" height="900" style="border:0"></iframe>
<pre id="measured"></pre>
<script>addEventListener('message', e => {{ document.getElementById('measured').textContent = e.data; }});</script>
</body></html>"#
    )
}

#[test]
fn articles_page_fits_a_phone_and_a_desktop() {
    let Some(browser) = chromium() else {
        return;
    };
    let project = Project::new(CONFIG).with_dumps(&["city-desk.txt"]);
    let server = Server::start(&project, &[]);
    first_cycle(&project);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let page = reqwest::blocking::get(server.url("/articles"))
        .and_then(|r| r.text())
        .expect("the articles page");
    assert!(page.contains("Tram Line Extension Opens to Passengers"));
    // The page as served (it loads nothing else), with the measuring script.
    let measured_page = project.path("articles.html");
    std::fs::write(
        &measured_page,
        page.replace("</body>", &format!("{MEASURE}</body>")),
    )
    .unwrap();
    let profile = project.path("chromium-profile");
    for width in [390, 1200] {
        let framing = project.path(&format!("frame-{width}.html"));
        std::fs::write(&framing, frame("articles.html", width)).unwrap();
        let dom = headless(browser, &profile, 1300)
            .args(["--virtual-time-budget=5000", "--dump-dom"])
            .arg(format!("file://{}", framing.display()))
            .output()
            .expect("run chromium");
        let dom = String::from_utf8_lossy(&dom.stdout);
        let measured = dom
            .split(r#"<pre id="measured">"#)
            .nth(1)
            .and_then(|rest| rest.split("</pre>").next())
            .unwrap_or_else(|| panic!("the page was measured at {width} px: {dom}"));
        let measured: serde_json::Value =
            serde_json::from_str(&measured.replace("&quot;", "\"")).expect("JSON");
        let viewport = measured["width"].as_u64().unwrap();
        assert!(
            viewport <= u64::from(width) && viewport + 20 >= u64::from(width),
            "laid out at {width} px: {measured}"
        );
        assert_eq!(
            measured["scroll"], measured["width"],
            "no sideways scrolling at {width} px: {measured}"
        );
        assert_eq!(
            measured["past"],
            serde_json::json!([]),
            "nothing sticks out at {width} px"
        );
        let charts = measured["charts"].as_array().unwrap();
        assert_eq!(charts.len(), 1, "one chart per source: {measured}");
        let (left, chart_width, height) = (
            charts[0][0].as_i64().unwrap(),
            charts[0][1].as_i64().unwrap(),
            charts[0][2].as_i64().unwrap(),
        );
        assert!(
            left >= 0
                && left + chart_width <= viewport as i64
                && chart_width >= 200
                && height >= 60,
            "the chart is visible and readable at {width} px: {measured}"
        );
        assert_eq!(charts[0][3], "visible");

        let shot = project.path(&format!("articles-{width}.png"));
        screenshot(browser, &profile, width, &server.url("/articles"), &shot);
    }
}

//! Hostile input, end to end through the real binary: entity bombs and
//! external entities, 100 MB and endless inputs, 10,000-deep nesting, binary
//! junk, invalid UTF-8, a 5 MB single line, dates in years 0 and 9999, and
//! XSS in every field a reader renders. Each yields a clear error naming the
//! input and its cause, or a clean article, within bounded time and memory:
//! every process's CPU time and peak resident memory are measured, and it is
//! killed at a wall-clock deadline if it hangs (see `common::measure`).
//!
//! The small hostile files live in `tests/hostile/` (`{marker}` and `{trap}`
//! in them are filled in here); the big ones are generated into a temporary
//! folder by each test and never committed.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use common::measure::{self, Measured};
use common::{Project, check_feeds, fixtures, generated_dump, inert, upstream, wellformed};
use feedfold::ingest::DumpReader;
use feedfold::ingest::feed::parse_feed;
use feedfold::ingest::page::{PageSource, extract};

/// What a local file an external entity points at holds: it must never
/// appear in anything feedfold writes.
const MARKER: &str = "FEEDFOLD-SECRET-4c1d9e";

/// One process-level test at a time, so that each is measured alone on the
/// shared cores.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn hostile(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(relative)
}

/// A hostile file with `{marker}` and `{trap}` filled in.
fn template(relative: &str, marker: &Path, trap: &str) -> Vec<u8> {
    let bytes = std::fs::read(hostile(relative)).unwrap();
    match String::from_utf8(bytes) {
        Ok(text) => text
            .replace("{marker}", &marker.display().to_string())
            .replace("{trap}", trap)
            .into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// `[[source]]` and `[[feed]]` tables: `(name, "text" | "feed", value)`.
fn config(sources: &[(&str, &str, &str)]) -> String {
    let mut config = String::from(
        "[store]\npath = \"feedfold.db\"\n\n[publish]\ndir = \"feeds\"\nbase_url = \"http://feeds.example\"\n\n\
         [fetch]\ntimeout = \"15s\"\nconnect_timeout = \"2s\"\nmax_body = \"16MiB\"\n\n",
    );
    for (name, kind, value) in sources {
        config.push_str(&format!(
            "[[source]]\nname = \"{name}\"\n{kind} = \"{value}\"\n\n"
        ));
    }
    config.push_str("[[feed]]\nname = \"all\"\ntitle = \"Everything\"\nlimit = 10000\n");
    config
}

/// `feedfold ARGS --config <project>/config.toml`, measured, killed after
/// `deadline`.
fn feedfold(project: &Project, args: &[&str], deadline: Duration) -> Measured {
    let mut command = Command::new(env!("CARGO_BIN_EXE_feedfold"));
    command
        .args(args)
        .arg("--config")
        .arg(project.path("config.toml"))
        .env_remove("FEEDFOLD_CONFIG")
        .env_remove("RUST_LOG");
    measure::run(command, deadline)
}

/// The report lines of source `name` in `run`'s output (its report is on
/// standard output, failed or not).
fn source_report(output: &str, name: &str) -> String {
    let head = format!("source {name}: ");
    let mut lines = output.lines().skip_while(|l| !l.starts_with(&head));
    let mut report = lines.next().unwrap_or_default().to_string();
    for line in lines.take_while(|l| l.starts_with("  error: ")) {
        report.push('\n');
        report.push_str(line);
    }
    assert!(
        !report.is_empty(),
        "no report for source {name} in:\n{output}"
    );
    report
}

/// Panics unless source `name` failed with an error that names `input` and
/// says `cause`.
fn assert_failed(output: &str, name: &str, input: &str, cause: &str) {
    let report = source_report(output, name);
    let named = report
        .lines()
        .filter_map(|l| l.strip_prefix("  error: "))
        .any(|error| error.contains(input) && error.contains(cause));
    assert!(
        named,
        "source {name}: no error naming {input:?} with {cause:?}:\n{report}"
    );
}

/// The published files of feed `all`, each checked strictly for
/// well-formedness; returns their paths.
fn published(project: &Project) -> Vec<PathBuf> {
    let files: Vec<PathBuf> = ["rss", "atom", "json"]
        .iter()
        .map(|ext| project.path(&format!("feeds/all.{ext}")))
        .collect();
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let checked = if file.extension().is_some_and(|e| e == "json") {
            wellformed::check_json(&bytes).map(|_| ())
        } else {
            wellformed::check_xml(&bytes)
        };
        if let Err(e) = checked {
            panic!("{}: {e}", file.display());
        }
    }
    files
}

fn read_rss(project: &Project) -> rss::Channel {
    rss::Channel::read_from(&std::fs::read(project.path("feeds/all.rss")).unwrap()[..]).unwrap()
}

fn read_atom(project: &Project) -> atom_syndication::Feed {
    atom_syndication::Feed::read_from(&std::fs::read(project.path("feeds/all.atom")).unwrap()[..])
        .unwrap()
}

fn read_json(project: &Project) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(project.path("feeds/all.json")).unwrap()).unwrap()
}

/// A file of `megabytes` MiB that takes no disk space: `head`, then zeros.
fn sparse_file(path: &Path, head: &[u8], megabytes: u64) {
    let mut file = std::fs::File::create(path).unwrap();
    file.write_all(head).unwrap();
    file.set_len(megabytes << 20).unwrap();
}

fn mkfifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `name` is a NUL-terminated path that outlives the call.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// Every file under `dir`, as bytes, for searching.
fn all_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(all_bytes(&path));
        } else if path.is_file() {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn entity_attacks_expand_nothing_and_read_nothing() {
    let _one = one_at_a_time();
    let (upstream, counters) = upstream::start();
    let trap = format!("http://{upstream}/trap");
    let refused = [
        "xxe-file.xml",
        "xxe-http.xml",
        "xxe-public.xml",
        "xxe-parameter.xml",
        "laughs-parameter.xml",
    ];
    let read = [
        "external-dtd.xml",
        "external-dtd-file.xml",
        "xinclude.xml",
        "remote-images.xml",
    ];
    let mut sources: Vec<(String, &str, String)> = Vec::new();
    for file in refused.iter().chain(&read) {
        sources.push((file.replace('.', "-"), "feed", format!("in/{file}")));
    }
    sources.push(("bomb".into(), "feed", "in/billion-laughs.xml".into()));
    sources.push(("quadratic".into(), "feed", "in/quadratic.xml".into()));
    sources.push(("signed".into(), "feed", "in/signed.xml".into()));
    for file in ["xxe-http.xml", "xxe-parameter.xml", "external-dtd.xml"] {
        sources.push((
            format!("http-{}", file.replace('.', "-")),
            "feed",
            format!("http://{upstream}/attack/{file}"),
        ));
    }
    sources.push((
        "http-bomb".into(),
        "feed",
        format!("http://{upstream}/feeds/billion-laughs.xml"),
    ));
    let table: Vec<(&str, &str, &str)> = sources
        .iter()
        .map(|(n, k, v)| (n.as_str(), *k, v.as_str()))
        .collect();
    let project = Project::new(&config(&table));
    std::fs::create_dir_all(project.path("in")).unwrap();
    std::fs::create_dir_all(project.path("secret")).unwrap();
    let marker = project.path("secret/notes.txt");
    std::fs::write(&marker, MARKER).unwrap();
    for file in refused.iter().chain(&read) {
        let bytes = template(&format!("feeds/{file}"), &marker, &trap);
        std::fs::write(project.path(&format!("in/{file}")), bytes).unwrap();
    }
    std::fs::copy(
        fixtures().join("feeds/billion-laughs.xml"),
        project.path("in/billion-laughs.xml"),
    )
    .unwrap();
    // Quadratic blowup: one 64 KB entity used 2,000 times would make 128 MB.
    let quadratic = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY big \"{}\">]><rss version=\"2.0\"><channel><title>q</title><item><title>Quadratic</title><guid>q-1</guid><description>{}</description></item></channel></rss>",
        "x".repeat(64 * 1024),
        "&big;".repeat(2000)
    );
    std::fs::write(project.path("in/quadratic.xml"), quadratic).unwrap();
    // An honest feed: a 500-byte signature entity in each of its 6 items
    // expands past the document's own length, within the budget's floor.
    let signature =
        "Produced by the Westport Herald newsroom and shared under the regional agreement. "
            .repeat(6);
    // Each story has its own text, so that none is folded into another.
    let stories = [
        "The harbour council approved the dredging plan after a debate that ran past midnight.",
        "A new ferry timetable adds three evening crossings to the island from next spring.",
        "Volunteers planted four hundred oak saplings along the river path on Saturday morning.",
        "The school board chose an architect for the gymnasium that burned down in August.",
        "Fishermen report the best mackerel season in a decade as water temperatures shift.",
        "The library will open on Sundays after a donation covered two more librarians.",
    ];
    let items: String = stories
        .iter()
        .zip(1..)
        .map(|(story, i)| format!("<item><title>Signed story {i}</title><guid>s-{i}</guid><description>&lt;p&gt;{story}&lt;/p&gt;&lt;p&gt;&sig;&lt;/p&gt;</description></item>\n"))
        .collect();
    let signed = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY sig \"{signature}\">\n]>\n<rss version=\"2.0\"><channel><title>s</title>\n{items}</channel></rss>\n"
    );
    std::fs::write(project.path("in/signed.xml"), signed).unwrap();

    let run = feedfold(&project, &["run"], Duration::from_secs(120));
    run.assert_bounded("entity attacks", 60, 100);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    for file in refused {
        let name = file.replace('.', "-");
        assert_failed(&run.output(), &name, &format!("in/{file}"), "entit");
    }
    assert_failed(&run.output(), "bomb", "in/billion-laughs.xml", "entit");
    // Expanded as far as the budget goes, then refused where it runs out:
    // never published with its references as written.
    assert_failed(
        &run.output(),
        "quadratic",
        "in/quadratic.xml",
        "line 1: the entity `big` is referred to past",
    );
    for file in ["xxe-http.xml", "xxe-parameter.xml"] {
        let name = format!("http-{}", file.replace('.', "-"));
        assert_failed(&run.output(), &name, &format!("/attack/{file}"), "entit");
    }
    assert_failed(&run.output(), "http-bomb", "billion-laughs.xml", "entit");
    for name in [
        "external-dtd-xml",
        "external-dtd-file-xml",
        "xinclude-xml",
        "remote-images-xml",
        "signed",
        "http-external-dtd-xml",
    ] {
        let report = source_report(&run.output(), name);
        assert!(!report.contains("error"), "{report}");
        assert!(report.contains(" new,"), "{report}");
    }

    // Nothing was fetched, nothing local was read, nothing was expanded.
    assert_eq!(
        counters.trap_hits.load(std::sync::atomic::Ordering::SeqCst),
        0
    );
    for needle in [MARKER, "FEEDFOLD-TRAP-HIT"] {
        assert!(!run.stdout.contains(needle) && !run.stderr.contains(needle));
        for (path, bytes) in all_bytes(&project.path("feeds")).into_iter().chain(
            all_bytes(project.dir.path()).into_iter().filter(|(p, _)| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("feedfold.db"))
            }),
        ) {
            assert!(!contains(&bytes, needle), "{needle} in {}", path.display());
        }
    }
    let files = published(&project);
    let json = read_json(&project);
    let titles: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert!(!titles.contains(&"Quadratic"), "{titles:?}");
    for i in 1..=6 {
        let title = format!("Signed story {i}");
        let item = json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["title"] == title.as_str())
            .unwrap_or_else(|| panic!("{title} not published: {titles:?}"));
        let html = item["content_html"].as_str().unwrap();
        assert!(
            html.contains("shared under the regional agreement"),
            "{html}"
        );
        assert!(!html.contains("&sig;"), "{html}");
    }
    assert!(titles.contains(&"A local DTD is never read"), "{titles:?}");
    // Nothing of the quadratic document is published: not 128 MB.
    let size = std::fs::metadata(project.path("feeds/all.json"))
        .unwrap()
        .len();
    assert!(size < 1 << 20, "all.json is {size} bytes");
    check_feeds(&files);
}

#[test]
fn oversized_and_endless_feeds_stop_at_the_limits() {
    let _one = one_at_a_time();
    let (upstream, _) = upstream::start();
    let url = |path: &str| format!("http://{upstream}{path}");
    let sources = [
        ("file-100mb", "feed", "in/zeros-100mb.xml".to_string()),
        ("dev-zero", "feed", "/dev/zero".to_string()),
        ("fifo", "feed", "in/fifo.xml".to_string()),
        ("http-100mb", "feed", url("/big/100")),
        ("http-chunked-100mb", "feed", url("/chunked/100")),
        ("gzip-bomb", "feed", url("/gzip-bomb")),
        ("endless", "feed", url("/endless")),
        ("trickle", "feed", url("/trickle")),
        ("one-line", "feed", "in/one-line.xml".to_string()),
        ("one-paragraph", "feed", "in/one-paragraph.xml".to_string()),
    ];
    let table: Vec<(&str, &str, &str)> = sources
        .iter()
        .map(|(n, k, v)| (*n, *k, v.as_str()))
        .collect();
    let project = Project::new(&config(&table));
    std::fs::create_dir_all(project.path("in")).unwrap();
    sparse_file(
        &project.path("in/zeros-100mb.xml"),
        b"<rss version=\"2.0\">",
        100,
    );
    mkfifo(&project.path("in/fifo.xml"));
    // 5 MB on one line: 5,000 items with no line break between them.
    let mut one_line = String::from(
        "<rss version=\"2.0\"><channel><title>One line</title><link>https://line.example/</link>",
    );
    for i in 0..5000 {
        one_line.push_str(&format!(
            "<item><title>Item {i} of one long line</title><guid>line-{i}</guid><description>{}</description></item>",
            "Words on the same line. ".repeat(40)
        ));
    }
    one_line.push_str("</channel></rss>");
    assert!(one_line.len() > 5_000_000 && !one_line.contains('\n'));
    std::fs::write(project.path("in/one-line.xml"), &one_line).unwrap();
    // One entry whose text is a single 5 MB paragraph.
    let paragraph = format!(
        "<rss version=\"2.0\"><channel><title>One paragraph</title><item><title>A five megabyte paragraph</title><guid>p-1</guid><description>&lt;p&gt;{}&lt;/p&gt;</description></item></channel></rss>",
        "word ".repeat(1_000_000)
    );
    std::fs::write(project.path("in/one-paragraph.xml"), paragraph).unwrap();

    let run = feedfold(&project, &["run"], Duration::from_secs(180));
    run.assert_bounded("oversized and endless feeds", 90, 400);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let too_large = "body larger than the limit of 16777216 bytes";
    assert_failed(&run.output(), "file-100mb", "in/zeros-100mb.xml", too_large);
    assert_failed(&run.output(), "dev-zero", "/dev/zero", "not a regular file");
    assert_failed(&run.output(), "fifo", "in/fifo.xml", "not a regular file");
    assert_failed(&run.output(), "http-100mb", "/big/100", too_large);
    assert_failed(
        &run.output(),
        "http-chunked-100mb",
        "/chunked/100",
        too_large,
    );
    assert_failed(&run.output(), "gzip-bomb", "/gzip-bomb", too_large);
    assert_failed(&run.output(), "endless", "/endless", too_large);
    assert_failed(&run.output(), "trickle", "/trickle", "timed out after 15s");
    assert!(
        source_report(&run.output(), "one-line")
            .starts_with("source one-line: 5000 entries read, 5000 new"),
        "{}",
        run.stdout
    );
    assert!(
        source_report(&run.output(), "one-paragraph")
            .starts_with("source one-paragraph: 1 entry read, 1 new"),
        "{}",
        run.stdout
    );
    published(&project);
    let json = read_json(&project);
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 5001);
    let long = items
        .iter()
        .find(|i| i["title"] == "A five megabyte paragraph")
        .unwrap();
    assert!(long["content_html"].as_str().unwrap().len() > 5_000_000);
}

#[test]
fn oversized_binary_and_broken_dumps_fail_alone() {
    let _one = one_at_a_time();
    let project = Project::new(&config(&[
        ("dumps", "text", "dumps/*.txt"),
        ("device", "text", "/dev/zero"),
    ]))
    .with_dumps(&["city-desk.txt"]);
    let dumps = project.path("dumps");
    sparse_file(&dumps.join("zeros-100mb.txt"), b"", 100);
    // 100 MB of paragraphs with no article boundary: refused at 16 MiB.
    {
        let file = std::fs::File::create(dumps.join("one-article-100mb.txt")).unwrap();
        let mut out = std::io::BufWriter::new(file);
        writeln!(out, "The Article That Never Ends\n").unwrap();
        let mut written = 0;
        let mut n = 0u64;
        while written < 100 << 20 {
            let line =
                format!("Paragraph {n} of an article that goes on and on without a break.\n");
            out.write_all(line.as_bytes()).unwrap();
            written += line.len();
            n += 1;
        }
    }
    let mut long_line = "x".repeat(5 << 20);
    long_line.push('\n');
    std::fs::write(dumps.join("long-line-5mb.txt"), long_line).unwrap();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let junk: Vec<u8> = (0..1 << 20)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // No NUL, so that the cause is the invalid UTF-8.
            ((seed >> 24) as u8).max(1)
        })
        .collect();
    std::fs::write(dumps.join("junk.txt"), junk).unwrap();
    for name in ["invalid-utf8.txt", "nul.txt", "controls.txt"] {
        std::fs::copy(hostile(&format!("dumps/{name}")), dumps.join(name)).unwrap();
    }

    let run = feedfold(&project, &["run"], Duration::from_secs(180));
    run.assert_bounded("oversized and broken dumps", 60, 160);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert_failed(
        &run.output(),
        "dumps",
        "zeros-100mb.txt",
        "line 1 is longer than 1048576 bytes",
    );
    assert_failed(
        &run.output(),
        "dumps",
        "one-article-100mb.txt",
        "the article starting at line 1 is larger than 16777216 bytes; no article boundary was found",
    );
    assert_failed(
        &run.output(),
        "dumps",
        "long-line-5mb.txt",
        "line 1 is longer than 1048576 bytes",
    );
    assert_failed(
        &run.output(),
        "dumps",
        "junk.txt",
        "invalid UTF-8 at byte offset",
    );
    assert_failed(
        &run.output(),
        "dumps",
        "invalid-utf8.txt",
        "invalid UTF-8 at byte offset 78 (line 4)",
    );
    assert_failed(
        &run.output(),
        "dumps",
        "nul.txt",
        "binary data (a NUL byte) at byte offset 51 (line 3)",
    );
    assert_failed(&run.output(), "device", "/dev/zero", "not a regular file");
    // The good files of the source still land.
    let report = source_report(&run.output(), "dumps");
    assert!(
        report.starts_with("source dumps: 2 files, 5 articles read"),
        "{report}"
    );
    published(&project);
    let titles: Vec<String> = read_rss(&project)
        .items()
        .iter()
        .filter_map(|i| i.title().map(str::to_string))
        .collect();
    assert!(
        titles.contains(&"Bell and Escape in a Headline Here".to_string()),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 5);
}

#[test]
fn a_100_mb_dump_streams_in_bounded_memory() {
    let _one = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump-100mb.txt");
    let mut chunk = String::new();
    let mut seed = 1;
    while chunk.len() < 1 << 20 {
        chunk.push_str(&generated_dump(seed, 50));
        seed += 1;
    }
    let per_chunk = DumpReader::new(chunk.as_bytes(), "chunk").count();
    let copies = (100 << 20) / chunk.len() + 1;
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for _ in 0..copies {
            out.write_all(chunk.as_bytes()).unwrap();
        }
    }
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size >= 100 << 20);
    let mut command = Command::new(env!("CARGO_BIN_EXE_feedfold"));
    command.arg("parse").arg(&path);
    let run = measure::run(command, Duration::from_secs(600));
    run.assert_bounded("parse of a 100 MB dump", 240, 64);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let last = run.stdout.lines().last().unwrap_or_default();
    let expected = format!("{} articles from", per_chunk * copies);
    assert!(last.contains(&expected), "{last} (wanted {expected})");
}

#[test]
fn nesting_10000_deep_gives_an_article_or_an_error() {
    let _one = one_at_a_time();
    const DEPTH: usize = 10_000;
    let item = |inner: &str| {
        format!(
            "<rss version=\"2.0\"><channel><title>Deep</title><item><title>Deep</title><guid>deep</guid>{inner}</item></channel></rss>"
        )
    };
    let documents = [
        (
            "xml-elements",
            item(&format!(
                "<description>x</description>{}y{}",
                "<x>".repeat(DEPTH),
                "</x>".repeat(DEPTH)
            )),
        ),
        (
            "html-in-rss",
            item(&format!(
                "<description>{}y{}</description>",
                "&lt;div&gt;".repeat(DEPTH),
                "&lt;/div&gt;".repeat(DEPTH)
            )),
        ),
        (
            "root",
            format!(
                "<rss version=\"2.0\">{}{}</rss>",
                "<channel>".repeat(DEPTH),
                "</channel>".repeat(DEPTH)
            ),
        ),
        (
            "xhtml-in-atom",
            format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Deep</title><id>f</id><entry><id>e</id><title>Deep</title><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">{}y{}</div></content></entry></feed>",
                "<div>".repeat(DEPTH),
                "</div>".repeat(DEPTH)
            ),
        ),
        (
            "namespaces",
            format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Deep</title><id>f</id><entry><id>e</id><title>Deep</title><content type=\"xhtml\">{}y{}</content></entry></feed>",
                "<div xmlns=\"http://www.w3.org/1999/xhtml\">".repeat(DEPTH),
                "</div>".repeat(DEPTH)
            ),
        ),
        (
            "json-arrays",
            format!(
                "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Deep\",\"items\":[{{\"id\":\"1\",\"title\":\"Deep\",\"content_text\":\"x\",\"x\":{}{}}}]}}",
                "[".repeat(DEPTH),
                "]".repeat(DEPTH)
            ),
        ),
        (
            "html-in-json",
            format!(
                "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Deep\",\"items\":[{{\"id\":\"1\",\"title\":\"Deep\",\"content_html\":\"{}y{}\"}}]}}",
                "<b>".repeat(DEPTH),
                "</b>".repeat(DEPTH)
            ),
        ),
    ];
    let sources: Vec<(String, String)> = documents
        .iter()
        .map(|(name, _)| (name.to_string(), format!("in/{name}.feed")))
        .collect();
    let mut table: Vec<(&str, &str, &str)> = sources
        .iter()
        .map(|(n, v)| (n.as_str(), "feed", v.as_str()))
        .collect();
    table.push(("dump", "text", "in/deep.txt"));
    let project = Project::new(&config(&table));
    std::fs::create_dir_all(project.path("in")).unwrap();
    for (name, text) in &documents {
        std::fs::write(project.path(&format!("in/{name}.feed")), text).unwrap();
    }
    std::fs::write(
        project.path("in/deep.txt"),
        format!(
            "Markup Nested Ten Thousand Deep\n\n{}y{}\n",
            "<div>".repeat(DEPTH),
            "</div>".repeat(DEPTH)
        ),
    )
    .unwrap();

    let run = feedfold(&project, &["run"], Duration::from_secs(120));
    run.assert_bounded("10,000-deep nesting", 60, 100);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert_failed(
        &run.output(),
        "namespaces",
        "in/namespaces.feed",
        "more than 128 namespace bindings",
    );
    assert_failed(
        &run.output(),
        "json-arrays",
        "in/json-arrays.feed",
        "recursion limit exceeded",
    );
    assert!(source_report(&run.output(), "root").starts_with("source root: 0 entries read"));
    for name in [
        "xml-elements",
        "html-in-rss",
        "xhtml-in-atom",
        "html-in-json",
    ] {
        let report = source_report(&run.output(), name);
        assert!(
            report.starts_with(&format!("source {name}: 1 entry read")),
            "{report}"
        );
    }
    assert!(
        source_report(&run.output(), "dump").starts_with("source dump: 1 file, 1 article read")
    );
    let files = published(&project);
    // Too deep to sanitize: each feed entry keeps its text and none of the
    // source's HTML; the dump's markup is text, escaped.
    let json = read_json(&project);
    for item in json["items"].as_array().unwrap() {
        let html = item["content_html"].as_str().unwrap();
        assert!(inert::findings(html).is_empty());
        if item["title"] == "Deep" {
            assert!(html.len() < 1000, "{} bytes of HTML", html.len());
        } else {
            assert!(
                html.contains("<p>&lt;div&gt;&lt;div&gt;"),
                "{}",
                &html[..200]
            );
        }
    }
    check_feeds(&files);
}

#[test]
fn a_tag_of_400000_attributes_is_read_in_bounded_time() {
    let _one = one_at_a_time();
    // One element with 400,000 attributes (4.5 MB): html5ever checks each
    // against all before it, which took hours at this size.
    let attributes: String = (0..400_000).map(|i| format!(" a{i}=x")).collect();
    let paragraph = format!("<p{attributes}>The council approved the harbour plan on Tuesday.</p>");
    let escaped = paragraph.replace('<', "&lt;").replace('>', "&gt;");
    let project = Project::new(&config(&[
        ("page", "pages", "in/page.html"),
        ("rss", "feed", "in/rss.feed"),
        ("json", "feed", "in/json.feed"),
    ]));
    std::fs::create_dir_all(project.path("in")).unwrap();
    std::fs::write(
        project.path("in/page.html"),
        format!(
            "<!doctype html><html><head><title>Harbour vote passes</title></head><body><article><h1>Harbour vote passes</h1>{paragraph}<p>Work starts in the spring and runs for two years.</p></article></body></html>"
        ),
    )
    .unwrap();
    std::fs::write(
        project.path("in/rss.feed"),
        format!(
            "<rss version=\"2.0\"><channel><title>Wire</title><link>https://wire.example/</link><description>Wire</description><item><title>Harbour plan approved</title><link>https://wire.example/harbour</link><description>{escaped}</description></item></channel></rss>"
        ),
    )
    .unwrap();
    std::fs::write(
        project.path("in/json.feed"),
        serde_json::json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Desk",
            "items": [{"id": "1", "title": "Harbour plan passes vote", "content_html": paragraph}]
        })
        .to_string(),
    )
    .unwrap();
    let run = feedfold(&project, &["run"], Duration::from_secs(300));
    run.assert_bounded("400,000 attributes on one tag", 60, 400);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    for name in ["page", "rss", "json"] {
        let report = source_report(&run.output(), name);
        assert!(report.contains("1 new"), "{report}");
    }
    let json = read_json(&project);
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{json}");
    for item in items {
        let html = item["content_html"].as_str().unwrap();
        assert!(
            html.contains("The council approved the harbour plan"),
            "{}",
            &html[..html.len().min(300)]
        );
        assert!(html.len() < 20_000, "{} bytes of HTML", html.len());
        assert!(inert::findings(html).is_empty());
    }
    check_feeds(&published(&project));
}

#[test]
fn dates_in_years_0_and_9999_publish_valid_feeds() {
    let _one = one_at_a_time();
    let project = Project::new(&config(&[
        ("dump", "text", "in/dates.txt"),
        ("rss", "feed", "in/dates-rss.xml"),
        ("atom", "feed", "in/dates-atom.xml"),
        ("json", "feed", "in/dates.json"),
    ]));
    std::fs::create_dir_all(project.path("in")).unwrap();
    for name in [
        "feeds/dates-rss.xml",
        "feeds/dates-atom.xml",
        "feeds/dates.json",
        "dumps/dates.txt",
    ] {
        let file = Path::new(name).file_name().unwrap();
        std::fs::copy(hostile(name), project.path("in").join(file)).unwrap();
    }
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let run = feedfold(&project, &["run"], Duration::from_secs(60));
    let after = chrono::Utc::now() + chrono::Duration::seconds(1);
    run.assert_bounded("odd dates", 30, 100);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("is outside the years 1900..=2200; left out"),
        "{}",
        run.stderr
    );
    let files = published(&project);
    let first_seen = |date: chrono::DateTime<chrono::Utc>| (before..=after).contains(&date);
    let json = read_json(&project);
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 9, "{items:#?}");
    for item in items {
        let title = item["title"].as_str().unwrap();
        for key in ["date_published", "date_modified"] {
            let date: chrono::DateTime<chrono::Utc> = item[key].as_str().unwrap().parse().unwrap();
            if title == "Ordinary" {
                assert_eq!(date.to_rfc3339(), "2024-07-09T16:42:00+00:00");
            } else {
                assert!(first_seen(date), "{title}: {key} {date}");
            }
        }
    }
    let plausible = |date: chrono::DateTime<chrono::FixedOffset>| {
        use chrono::Datelike;
        (1900..=2200).contains(&date.year()) && date.to_utc() <= after
    };
    for item in read_rss(&project).items() {
        let date = chrono::DateTime::parse_from_rfc2822(item.pub_date().unwrap()).unwrap();
        assert!(plausible(date), "{date}");
    }
    for entry in read_atom(&project).entries() {
        assert!(plausible(*entry.updated()), "{}", entry.updated());
        assert!(entry.published().copied().is_some_and(plausible));
    }
    // The dump's date lines in years 0 and 9999 split nothing and date nothing.
    let titles: Vec<&str> = items.iter().filter_map(|i| i["title"].as_str()).collect();
    assert!(
        titles.contains(&"Archive Opens Records From Year Zero"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Time Capsule Sealed Until the Far Future"),
        "{titles:?}"
    );
    assert!(
        !titles
            .iter()
            .any(|t| t.starts_with("0000") || t.starts_with("9999")),
        "{titles:?}"
    );
    check_feeds(&files);

    // Dated when first seen, and kept: a second run changes no byte.
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let again = feedfold(&project, &["run", "--quiet"], Duration::from_secs(60));
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    for (file, before) in files.iter().zip(bytes) {
        assert_eq!(
            std::fs::read(file).unwrap(),
            before,
            "{} changed",
            file.display()
        );
    }
}

/// An RSS document with one item per XSS vector of `tests/hostile/html`, the
/// vector as the item's title, description and content.
fn vectors_feed() -> String {
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let vectors = std::fs::read_to_string(hostile("html/xss-vectors.html")).unwrap();
    let mut feed = String::from(
        "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Vectors</title><link>https://vectors.example/news/</link>",
    );
    for (i, vector) in vectors.lines().enumerate() {
        let v = escape(vector);
        feed.push_str(&format!(
            "<item><title>Vector {i}: {v}</title><guid>v-{i}</guid><link>https://vectors.example/news/{i}</link><description>{v}</description><content:encoded>{v}</content:encoded></item>"
        ));
    }
    feed.push_str("</channel></rss>");
    feed
}

#[test]
fn xss_in_every_field_is_sanitized_or_stays_text() {
    let _one = one_at_a_time();
    let project = Project::new(&config(&[
        ("dump", "text", "in/xss.txt"),
        ("rss", "feed", "in/xss-every-field.xml"),
        ("atom", "feed", "in/xss-every-field.atom"),
        ("json", "feed", "in/xss-every-field.json"),
        ("vectors", "feed", "in/vectors.xml"),
        ("controls", "feed", "in/controls.xml"),
        ("surrogates", "feed", "in/lone-surrogates.json"),
    ]));
    std::fs::create_dir_all(project.path("in")).unwrap();
    for name in [
        "dumps/xss.txt",
        "feeds/xss-every-field.xml",
        "feeds/xss-every-field.atom",
        "feeds/xss-every-field.json",
        "feeds/controls.xml",
        "feeds/lone-surrogates.json",
    ] {
        let file = Path::new(name).file_name().unwrap();
        std::fs::copy(hostile(name), project.path("in").join(file)).unwrap();
    }
    let vectors = vectors_feed();
    let vector_count = vectors.matches("<item>").count();
    std::fs::write(project.path("in/vectors.xml"), vectors).unwrap();

    let run = feedfold(&project, &["run"], Duration::from_secs(60));
    run.assert_bounded("XSS", 30, 100);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let files = published(&project);

    let web = |url: &str| url.starts_with("http://") || url.starts_with("https://");
    let assert_inert = |what: &str, html: &str| {
        let found = inert::findings(html);
        assert!(found.is_empty(), "{what}: {found:?} in {html}");
    };
    // RSS: title, description and content:encoded are HTML; links are web
    // links.
    let channel = read_rss(&project);
    assert_eq!(channel.items().len(), vector_count + 6);
    for item in channel.items() {
        let title = item.title().unwrap_or_default();
        assert_inert(title, title);
        assert_inert(title, item.description().unwrap_or_default());
        assert_inert(title, item.content().unwrap_or_default());
        assert!(item.link().is_none_or(web), "{title}: {:?}", item.link());
    }
    // Atom: titles and summaries are declared text; content is HTML.
    let atom = std::fs::read_to_string(project.path("feeds/all.atom")).unwrap();
    assert!(!atom.contains("type=\"xhtml\"") && !atom.contains("<title type=\"html\""));
    for entry in read_atom(&project).entries() {
        let title = &entry.title().value;
        assert!(
            entry
                .summary()
                .is_none_or(|s| s.r#type == atom_syndication::TextType::Text)
        );
        let content = entry.content().and_then(|c| c.value()).unwrap_or_default();
        assert_inert(title, content);
        for link in entry.links() {
            assert!(web(link.href()), "{title}: {}", link.href());
        }
    }
    // JSON Feed: content_html is HTML; title and summary are plain text.
    let json = read_json(&project);
    let items = json["items"].as_array().unwrap();
    for item in items {
        let title = item["title"].as_str().unwrap();
        assert_inert(title, item["content_html"].as_str().unwrap());
        assert!(
            item["url"].as_str().is_none_or(web),
            "{title}: {}",
            item["url"]
        );
    }
    // Hostile text stays text: shown as written, never as markup.
    let dump_title =
        "<script>alert('headline')</script> Budget <img src=x onerror=alert(1)> Vote Delayed";
    // The RSS title holds it as HTML text.
    let dump_title_html = "&lt;script&gt;alert('headline')&lt;/script&gt; Budget &lt;img src=x onerror=alert(1)&gt; Vote Delayed";
    let dump_item = items
        .iter()
        .find(|i| i["title"] == dump_title)
        .expect("the dump's article");
    let html = dump_item["content_html"].as_str().unwrap();
    assert!(
        html.contains("&lt;iframe src=javascript:alert(2)&gt;"),
        "{html}"
    );
    assert!(
        html.contains("<small>(Agency&lt;img src=x onerror=alert`3`&gt;)</small>"),
        "{html}"
    );
    assert!(
        html.contains("<h3>&lt;svg onload=alert(5)&gt;Next steps</h3>"),
        "{html}"
    );
    assert!(
        html.contains("]]&gt; and &lt;![CDATA[ and &amp;lt;script&amp;gt;"),
        "{html}"
    );
    let rss_item = channel
        .items()
        .iter()
        .find(|i| i.title() == Some(dump_title_html))
        .unwrap();
    assert!(
        rss_item
            .description()
            .unwrap()
            .starts_with("The vote was delayed after &lt;a href=&quot;javascript:alert(4)&quot;&gt;a motion&lt;/a&gt;"),
        "{:?}",
        rss_item.description()
    );
    let from_json = items
        .iter()
        .find(|i| i["title"] == "<img src=x onerror=alert('title')> JSON entry")
        .expect("the JSON Feed's entry");
    assert_eq!(from_json["summary"], "<svg onload=alert('summary')>Summary");
    assert_eq!(
        from_json["tags"],
        serde_json::json!(["<script>alert('tag')</script>", "Politics"])
    );
    assert_eq!(
        from_json["authors"][0]["name"],
        "<b onmouseover=alert(6)>Reporter</b>"
    );
    assert!(from_json.get("url").is_none(), "{from_json}");
    // Pictures with hostile URLs were dropped; a URL that merely holds
    // markup in its query is percent-encoded.
    let rss_entry = std::fs::read_to_string(project.path("feeds/all.rss")).unwrap();
    assert!(rss_entry.contains("ok.jpg?a=%22%3E%3Cscript%3Ealert(12)%3C/script%3E"));
    check_feeds(&files);
}

#[test]
fn every_hostile_file_reads_or_fails_by_name() {
    let _one = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("notes.txt");
    std::fs::write(&marker, MARKER).unwrap();
    let mut checked = 0;
    for kind in ["dumps", "feeds"] {
        for entry in std::fs::read_dir(hostile(kind)).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = dir.path().join(&name);
            std::fs::write(
                &path,
                template(
                    &format!("{kind}/{name}"),
                    &marker,
                    "http://127.0.0.1:9/trap",
                ),
            )
            .unwrap();
            let mut command = Command::new(env!("CARGO_BIN_EXE_feedfold"));
            command.arg("parse").arg("--json").arg(&path);
            let run = measure::run(command, Duration::from_secs(60));
            run.assert_bounded(&name, 20, 64);
            let shown = path.display().to_string();
            match run.code {
                Some(0) => {
                    for line in run.stdout.lines() {
                        let article: serde_json::Value = serde_json::from_str(line).unwrap();
                        assert!(
                            !article["title"].as_str().unwrap().is_empty(),
                            "{name}: {line}"
                        );
                    }
                }
                Some(1) => {
                    let error = run
                        .stderr
                        .lines()
                        .find(|l| l.starts_with(&format!("feedfold: {shown}: ")))
                        .unwrap_or_else(|| panic!("{name}: {}", run.stderr));
                    let cause = error.rsplit(": ").next().unwrap();
                    assert_eq!(
                        error.matches(cause).count(),
                        1,
                        "{name}: cause given twice: {error}"
                    );
                }
                other => panic!("{name}: exit {other:?}\n{}", run.stderr),
            }
            assert!(!run.stdout.contains(MARKER), "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} files");
}

#[test]
fn binary_and_empty_sitemaps_fail_as_binary_and_empty_feeds_do() {
    let _one = one_at_a_time();
    let project = Project::new("");
    let sitemap = b"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://site.example/a.html</loc></url></urlset>";
    let gzip = |bytes: &[u8]| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    };
    // Bytes no text holds, a NUL among them, after a `<` to look like markup.
    let mut junk = b"\x01<".to_vec();
    junk.extend((0..3000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8));
    let files: [(&str, Vec<u8>); 5] = [
        ("twice.xml.gz", gzip(&gzip(sitemap))),
        ("junk.xml", junk),
        (
            "logo.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec(),
        ),
        ("empty.xml", Vec::new()),
        ("blank.xml", b"\n  \n".to_vec()),
    ];
    let mut sources = Vec::new();
    for (name, bytes) in &files {
        std::fs::write(project.path(name), bytes).unwrap();
        let stem = name.replace('.', "_");
        sources.push((format!("sm_{stem}"), "sitemap", name.to_string()));
        sources.push((format!("feed_{stem}"), "feed", name.to_string()));
    }
    let borrowed: Vec<(&str, &str, &str)> = sources
        .iter()
        .map(|(n, k, v)| (n.as_str(), *k, v.as_str()))
        .collect();
    project.write("config.toml", &config(&borrowed));
    let run = feedfold(&project, &["run"], Duration::from_secs(60));
    run.assert_bounded("binary sitemaps", 20, 128);
    assert_eq!(run.code, Some(1), "{}", run.output());
    for (name, _) in &files {
        let stem = name.replace('.', "_");
        let cause = if name.contains("empty") || name.contains("blank") {
            "the document is empty"
        } else {
            "binary data, not a"
        };
        for source in [format!("sm_{stem}"), format!("feed_{stem}")] {
            assert_failed(&run.stdout, &source, name, cause);
            let report = source_report(&run.stdout, &source);
            assert!(
                !report
                    .chars()
                    .any(|c| c == '\u{fffd}' || (c.is_control() && c != '\n')),
                "{source}: {report:?}"
            );
        }
    }
    assert_failed(
        &run.stdout,
        "sm_twice_xml_gz",
        "twice.xml.gz",
        "binary data, not a sitemap (a NUL character at byte 3 of what its gzip stream inflates to)",
    );
    assert_failed(
        &run.stdout,
        "sm_logo_png",
        "logo.png",
        "binary data, not a sitemap (a NUL character at byte 8)",
    );
}

/// A reader that never ends: `line(n)` for n = 0, 1, 2, …
struct Endless<F> {
    line: F,
    n: u64,
    pending: Vec<u8>,
}

impl<F: FnMut(u64) -> String> std::io::Read for Endless<F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            self.pending = (self.line)(self.n).into_bytes();
            self.n += 1;
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

fn endless<F: FnMut(u64) -> String>(line: F) -> std::io::BufReader<Endless<F>> {
    std::io::BufReader::new(Endless {
        line,
        n: 0,
        pending: Vec::new(),
    })
}

#[test]
fn endless_dumps_end_in_bounded_time_and_memory() {
    let start = measure::thread_cpu();
    // No line break, ever.
    let err = DumpReader::new(endless(|_| "x".repeat(4096)), "endless")
        .next()
        .unwrap()
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "endless: line 1 is longer than 1048576 bytes; this is not a text dump"
    );
    // Lines without an article boundary, ever: refused at 16 MiB.
    let mut reader = DumpReader::new(
        endless(|n| {
            if n == 0 {
                "The Story Without End\n\n".to_string()
            } else {
                format!("Line {n} of a story that does not end.\n")
            }
        }),
        "endless",
    );
    let err = reader.next().unwrap().unwrap_err().to_string();
    assert!(err.contains("larger than 16777216 bytes"), "{err}");
    assert!(
        reader.bytes_read() < 20 << 20,
        "{} bytes read",
        reader.bytes_read()
    );
    // Articles, ever: each comes out on its own, read a little ahead only.
    let mut reader = DumpReader::new(
        endless(|n| {
            if n % 2 == 0 {
                format!("Headline Number {} Arrives on Time\n\n", n / 2)
            } else {
                format!("The body of article {} says little.\n\n", n / 2)
            }
        }),
        "endless",
    );
    for (i, article) in reader.by_ref().take(1000).enumerate() {
        let article = article.unwrap();
        assert_eq!(
            article.title,
            format!("Headline Number {i} Arrives on Time")
        );
        assert_eq!(article.body.len(), 1);
    }
    assert!(
        reader.bytes_read() < 100_000,
        "{} bytes read",
        reader.bytes_read()
    );
    // Every body line is tried as a date line, label and credit: about a
    // minute of CPU in the debug build for the 16 MiB above. The bound
    // catches work that grows faster than the input (a reader that went
    // back over its story's lines would take hours), not speed, which
    // BENCHMARKS.md measures on release builds.
    let cpu = measure::thread_cpu() - start;
    assert!(cpu < Duration::from_secs(90), "{cpu:?} of CPU");
}

/// A page of `n` short paragraphs, list items or `<br>`-parted lines
/// (`kind`), under a headline and an opening paragraph.
fn page_of_lines(kind: &str, n: usize) -> String {
    let lines: String = (0..n)
        .map(|i| match kind {
            "p" => format!("<p>Ward {i} result.</p>"),
            "li" => format!("<li>Ward {i} result.</li>"),
            _ => format!("Ward {i} result.<br><br>"),
        })
        .collect();
    let body = match kind {
        "p" => lines,
        "li" => format!("<ul>{lines}</ul>"),
        _ => format!("<p>{lines}</p>"),
    };
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Council election results in full</title></head>\
         <body><article><h1>Council election results in full</h1><p>Here are the results of the council \
         election for every ward in the district, as declared overnight.</p>{body}</article></body></html>"
    )
}

#[test]
fn a_page_of_many_paragraphs_is_read_in_time_linear_in_them() {
    // A results page, or a hostile one, of tens of thousands of short
    // paragraphs: reading it once went back over every paragraph read so
    // far at each new one, minutes for a few megabytes, hours at the
    // largest body a fetch takes. Four times the lines must take about
    // four times the CPU (sixteen, were it quadratic), each count measured
    // on this thread alone.
    let source = PageSource {
        location: "results.html",
        ..PageSource::default()
    };
    for kind in ["p", "li", "br"] {
        let mut took = Vec::new();
        for n in [10_000, 40_000] {
            let html = page_of_lines(kind, n);
            let start = measure::thread_cpu();
            let page = extract(html.as_bytes(), &source).unwrap();
            took.push(measure::thread_cpu() - start);
            let body = &page.article.body;
            assert!(
                body.iter()
                    .any(|b| b.text == format!("Ward {} result.", n - 1)),
                "{kind}: the last line of {n} is read"
            );
        }
        let ratio = took[1].as_secs_f64() / took[0].as_secs_f64().max(0.001);
        assert!(
            ratio < 8.0,
            "{kind}: 10,000 lines took {:?}, 40,000 took {:?} (x{ratio:.1})",
            took[0],
            took[1]
        );
    }
}

/// A page whose story sits under `n` unclosed `<kind>` tags, and a page
/// of as many bytes of plain paragraphs, both under one headline.
fn nested_and_flat_pages(kind: &str, n: usize) -> (String, String) {
    let head = "<!DOCTYPE html><html><head><title>Harbour fees set for the summer</title></head>\
                <body><article><h1>Harbour fees set for the summer</h1>";
    let story = "<p>The harbour council met on Tuesday to set the fees for the summer.</p>";
    let tail = "</article></body></html>";
    let nested = format!("{head}{}{story}{tail}", format!("<{kind}>").repeat(n));
    let mut flat = format!("{head}{story}");
    let mut i = 0;
    while flat.len() + tail.len() < nested.len() {
        flat.push_str(&format!("<p>Berth {i} pays the summer rate.</p>"));
        i += 1;
    }
    flat.push_str(tail);
    (nested, flat)
}

#[test]
fn a_deeply_nested_page_is_read_in_time_linear_in_its_size() {
    // Tens of thousands of unclosed tables or divisions: every element the
    // reader looked at once went over the whole tree under it, so a page
    // cost its size times its depth (a 1.4 MB page of tables, seconds; one
    // at the largest body a fetch takes, minutes). Such a page must cost
    // about what a page of as many bytes of paragraphs costs, each
    // measured on this thread alone.
    let source = PageSource {
        location: "deep.html",
        ..PageSource::default()
    };
    for kind in ["table", "div"] {
        let (nested, flat) = nested_and_flat_pages(kind, 50_000);
        let mut took = Vec::new();
        for html in [&flat, &nested] {
            let start = measure::thread_cpu();
            let page = extract(html.as_bytes(), &source).unwrap();
            took.push(measure::thread_cpu() - start);
            assert!(
                page.article.body.iter().any(|b| b.text
                    == "The harbour council met on Tuesday to set the fees for the summer."),
                "{kind}: the story is read"
            );
        }
        let ratio = took[1].as_secs_f64() / took[0].as_secs_f64().max(0.001);
        assert!(
            ratio < 3.0,
            "{kind}: {} bytes of paragraphs took {:?}, of nesting {:?} (x{ratio:.1})",
            nested.len(),
            took[0],
            took[1]
        );
    }
}

#[test]
fn unclosed_and_truncated_feeds_are_refused_quickly() {
    let start = measure::thread_cpu();
    let mut unclosed = String::from("<rss version=\"2.0\"><channel><title>t</title>");
    while unclosed.len() < 10 << 20 {
        unclosed.push_str("<item><title>Never closed");
    }
    let err = parse_feed(unclosed.as_bytes(), None, "https://up.example/unclosed").unwrap_err();
    assert!(
        err.to_string().starts_with("https://up.example/unclosed: "),
        "{err}"
    );
    let truncated = &std::fs::read(fixtures().join("feeds/rss20.xml")).unwrap()[..1000];
    let err = parse_feed(truncated, None, "https://up.example/truncated").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("https://up.example/truncated: malformed XML at line"),
        "{err}"
    );
    let cpu = measure::thread_cpu() - start;
    assert!(cpu < Duration::from_secs(30), "{cpu:?} of CPU");
}

/// Whether `url` is an RFC 3986 URI: only the characters it allows, `%`
/// only in an escape, `[` and `]` only around an IPv6 host, one `#`.
fn rfc3986(url: &str) -> bool {
    let after_host = url.split_once("://").map_or(url, |(_, rest)| {
        rest.trim_start_matches(|c| c != '/' && c != '?' && c != '#')
    });
    let bytes = url.as_bytes();
    url.bytes().enumerate().all(|(at, b)| {
        b.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)
            || (b == b'%'
                && bytes
                    .get(at + 1..at + 3)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)))
    }) && !after_host.contains(['[', ']'])
        && url.matches('#').count() <= 1
}

#[test]
fn odd_links_bidi_controls_and_unspaced_text_publish_valid_feeds() {
    let _one = one_at_a_time();
    let project = Project::new(&config(&[
        ("up", "feed", "in/up.rss"),
        ("dumps", "text", "in/*.txt"),
    ]));
    project.write(
        "in/up.rss",
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Up</title><link>https://x.example/</link><description>d</description>
<item><title>Brackets in query</title><guid>u1</guid><link>https://up.example/search?tags[]=harbour&amp;tags[]=ferry</link><description>one</description><enclosure url="https://up.example/a.mp3?v[]=1" type="audio/mpeg" length="5"/></item>
<item><title>Pipe in path</title><guid>u2</guid><link>https://up.example/a|b/story</link><description>two</description></item>
<item><title>Braces and caret</title><guid>u3</guid><link>https://up.example/story?x={1}&amp;y=a^b&amp;z=`c`#p|1</link><description>three</description></item>
<item><title>Invoice attached &#x202E;fdp.exe</title><guid>u4</guid><link>https://up.example/c1?q=]]&gt;</link><description>Upstream &#x2067;body&#x202D; text.</description></item>
</channel></rss>"#,
    );
    project.write(
        "in/bidi.txt",
        "Council approves budget \u{202E}eht rof gnitov retfa\n\nThe council approved the budget on Monday after a long debate about the harbour.\n",
    );
    let thai = "ประชุมคณะรัฐมนตรีมีมติอนุมัติงบประมาณรายจ่ายงบกลางจำนวนสามพันล้านบาทเพื่อช่วยเหลือผู้ประสบอุทกภัยในจังหวัดสงขลาและปัตตานี".repeat(5);
    project.write(
        "in/thai.txt",
        &format!("ครม.อนุมัติงบกลางเยียวยาผู้ประสบอุทกภัยภาคใต้\n\n{thai}\n"),
    );
    let run = feedfold(&project, &["run"], Duration::from_secs(60));
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let files = published(&project);

    let bidi =
        |s: &str| s.contains(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'));
    let json = read_json(&project);
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    let mut urls = Vec::new();
    for item in items {
        urls.extend(item["url"].as_str().map(str::to_string));
        for file in item["attachments"].as_array().into_iter().flatten() {
            urls.push(file["url"].as_str().unwrap().to_string());
        }
        for field in ["title", "summary"] {
            let text = item[field].as_str().unwrap_or_default();
            assert!(!bidi(text), "{field}: {text:?}");
        }
    }
    for item in read_rss(&project).items() {
        urls.extend(item.link().map(str::to_string));
        urls.extend(item.enclosure().map(|e| e.url().to_string()));
        assert!(!bidi(item.title().unwrap_or_default()));
    }
    for entry in read_atom(&project).entries() {
        urls.extend(entry.links().iter().map(|l| l.href().to_string()));
        assert!(!bidi(&entry.title().value));
    }
    assert_eq!(urls.len(), 3 * 5, "{urls:?}");
    for url in &urls {
        assert!(rfc3986(url), "not an RFC 3986 URI: {url}");
    }
    assert!(
        urls.contains(&"https://up.example/search?tags%5B%5D=harbour&tags%5B%5D=ferry".into()),
        "{urls:?}"
    );
    let titles: Vec<&str> = items.iter().filter_map(|i| i["title"].as_str()).collect();
    assert!(titles.contains(&"Invoice attached fdp.exe"), "{titles:?}");
    assert!(
        titles.contains(&"Council approves budget eht rof gnitov retfa"),
        "{titles:?}"
    );

    // Thai is written without spaces: the summary is cut between letters
    // as a reader sees them, never before a vowel or tone mark.
    let summary = items
        .iter()
        .find(|i| i["title"].as_str().unwrap().starts_with("ครม."))
        .and_then(|i| i["summary"].as_str())
        .unwrap();
    let kept = summary.strip_suffix('…').expect("a cut summary");
    let next = thai[kept.len()..].chars().next().unwrap();
    assert!(thai.starts_with(kept));
    assert!(
        !('\u{0E31}'..='\u{0E3A}').contains(&next) && !('\u{0E47}'..='\u{0E4E}').contains(&next),
        "cut before {next:?}: {summary}"
    );
    check_feeds(&files);
}

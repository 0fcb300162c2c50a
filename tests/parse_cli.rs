//! End to end: `feedfold parse` shows the articles dumps, pages and feeds
//! hold, without touching anything.

mod common;

use common::{Project, fixtures, text};

fn parse_json(paths: &[&std::path::Path]) -> (Vec<serde_json::Value>, std::process::Output) {
    let mut args = vec!["parse".to_string(), "--json".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(&args)
        .output()
        .unwrap();
    let lines = String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect();
    (lines, output)
}

#[test]
fn seed_folds_into_its_two_articles() {
    let Some(seeds) = common::shared::shared_dir("seeds") else {
        return;
    };
    let seed = seeds.join("000_16c5014574d5e37e.txt");
    let (articles, output) = parse_json(&[&seed]);
    assert!(output.status.success(), "{:?}", text(&output));
    assert_eq!(articles.len(), 2);

    let count = |a: &serde_json::Value, kind: &str| {
        a["body"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["kind"] == kind)
            .count()
    };
    let first = &articles[0];
    assert_eq!(
        first["title"],
        "Khamenei Urges Belarusian President to Confront US Sanctions"
    );
    assert_eq!(first["captions"].as_array().unwrap().len(), 1);
    assert_eq!(first["captions"][0]["credit"], "AP");
    assert_eq!(
        first["captions"][0]["text"],
        "Iranian Supreme Leader Ali Khamenei with Belarusian President Alexander Lukashenko"
    );
    assert_eq!(count(first, "paragraph"), 15);
    assert_eq!(count(first, "subhead"), 0);

    let second = &articles[1];
    assert_eq!(
        second["title"],
        "Bangladesh Says Student Leaders Held for Their Own Safety"
    );
    assert_eq!(second["captions"].as_array().unwrap().len(), 1);
    assert_eq!(second["captions"][0]["credit"], "AFP");
    assert_eq!(count(second, "paragraph"), 17);
    assert_eq!(count(second, "subhead"), 1);
    let subhead = second["body"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["kind"] == "subhead")
        .unwrap();
    assert_eq!(subhead["text"], "Carried out raids");

    for article in &articles {
        assert!(article["id"].as_str().unwrap().starts_with("tag:"));
        assert_eq!(article["published"], serde_json::Value::Null);
        assert_eq!(article["source"], seed.display().to_string());
        // Nothing of the doubled header leaks into the body.
        let title = article["title"].as_str().unwrap();
        let caption = article["captions"][0]["text"].as_str().unwrap();
        for block in article["body"].as_array().unwrap() {
            let text = block["text"].as_str().unwrap();
            assert_ne!(text, title);
            assert!(!text.contains(caption), "{text}");
        }
    }
}

#[test]
fn json_lines_have_the_documented_fields() {
    let dump = fixtures().join("dumps/city-desk.txt");
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success());
    let titles: Vec<&str> = articles
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Tram Line Extension Opens to Passengers",
            "Morning Briefing",
            "Morning Briefing",
            "Market Hall Roof to Be Replaced Next Year"
        ]
    );
    let tram = &articles[0];
    assert_eq!(tram["published"], "2026-11-03T07:00:00Z");
    assert_eq!(
        tram["captions"][0],
        serde_json::json!({"text": "Passengers board the first tram at the new Riverside terminus.", "credit": "Metro Times"})
    );
    assert_eq!(
        tram["body"][2],
        serde_json::json!({"kind": "subhead", "text": "Worth the wait"})
    );
    assert_ne!(
        articles[1]["id"], articles[2]["id"],
        "same headline, different stories"
    );
    assert_eq!(articles[2]["published"], "2026-11-05T00:00:00Z");
    assert_eq!(
        articles[3]["captions"].as_array().unwrap().len(),
        1,
        "quote-style copies fold"
    );
}

#[test]
fn the_readme_json_example_is_what_parse_prints() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let command = "$ feedfold parse --json samples/coastal-news.txt | head -1\n";
    let at = readme.find(command).expect("the README shows parse --json") + command.len();
    let shown = readme[at..].lines().next().unwrap();
    let output = common::feedfold_in(
        std::path::Path::new(root),
        &["parse", "--json", "samples/coastal-news.txt"],
    );
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(shown, stdout.lines().next().unwrap());
}

#[test]
fn parse_touches_no_store_and_no_feeds() {
    let project = Project::new("").with_dumps(&["city-desk.txt"]);
    let output = common::feedfold_in(project.dir.path(), &["parse", "dumps/city-desk.txt"]);
    let (stdout, _) = text(&output);
    assert!(output.status.success());
    assert!(
        stdout.contains("dumps/city-desk.txt: 4 articles"),
        "{stdout}"
    );
    assert!(stdout.contains("repeated lines folded"), "{stdout}");
    let names: Vec<_> = std::fs::read_dir(project.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "only config.toml and dumps/: {names:?}");
}

#[test]
fn unreadable_input_names_the_file_and_exits_1() {
    let bad = fixtures().join("dumps/broken-latin1.txt");
    let good = fixtures().join("dumps/other-desk.txt");
    let (articles, output) = parse_json(&[&bad, &good]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("broken-latin1.txt: invalid UTF-8 at byte offset 65"),
        "{stderr}"
    );
    assert_eq!(articles.len(), 1, "the good file is still parsed");
}

#[test]
fn articles_shown_before_a_bad_byte_are_said_to_be_left_out_by_run() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("desk.txt");
    // A first story long enough to be read whole before the bad byte.
    let body: String = (1..=60)
        .map(|i| {
            format!(
                "Councillor number {i} spoke on Monday about the riverside library, which \
                 closes after a budget shortfall of two million pounds.\n\n"
            )
        })
        .collect();
    let more: String = (1..=60)
        .map(|i| format!("Engineer number {i} inspected the harbour wall on Monday morning.\n\n"))
        .collect();
    let mut bytes = format!(
        "Council Votes to Close Riverside Library\n\n{body}Second Story About the Harbour Wall\n\n\
         Workers inspect the harbour wall on Monday. (AP)\n\n{more}"
    )
    .into_bytes();
    bytes.extend_from_slice(b"A bad byte \xff in the second story.\n");
    std::fs::write(&dump, bytes).unwrap();
    let (articles, output) = parse_json(&[&dump]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(articles.len(), 1, "{stderr}");
    assert!(stderr.contains("invalid UTF-8 at byte offset"), "{stderr}");
    assert!(
        stderr.contains("`run` stores nothing of this file, the 1 article shown above included"),
        "{stderr}"
    );
}

/// `feedfold parse ARGS` with `input` on its standard input.
fn parse_piped(args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .arg("parse")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_dumps_feeds_and_pages_from_standard_input() {
    for fixture in [
        "dumps/city-desk.txt",
        "feeds/rss20.xml",
        "feeds/jsonfeed11.json",
        "feeds/rss-utf-16be.xml",
        "pages/",
    ] {
        let path = if let Some(folder) = fixture.strip_suffix('/') {
            let mut pages: Vec<_> = std::fs::read_dir(fixtures().join(folder))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .collect();
            pages.sort();
            pages.remove(0)
        } else {
            fixtures().join(fixture)
        };
        let (from_file, output) = parse_json(&[&path]);
        assert!(output.status.success(), "{fixture}: {:?}", text(&output));
        assert!(!from_file.is_empty(), "{fixture}");
        let piped = parse_piped(&["--json", "-"], &std::fs::read(&path).unwrap());
        assert!(piped.status.success(), "{fixture}: {:?}", text(&piped));
        let from_stdin: Vec<serde_json::Value> = text(&piped)
            .0
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let without_source = |articles: &[serde_json::Value]| -> Vec<serde_json::Value> {
            articles
                .iter()
                .map(|a| {
                    let mut a = a.clone();
                    a.as_object_mut().unwrap().remove("source");
                    a
                })
                .collect()
        };
        assert_eq!(
            without_source(&from_stdin),
            without_source(&from_file),
            "{fixture}: the same articles from standard input"
        );
        assert!(from_stdin.iter().all(|a| a["source"] == "-"), "{fixture}");
    }
    let summary = parse_piped(&["-"], b"Harbour Opens\nThe harbour opened on Monday.\n");
    let (stdout, _) = text(&summary);
    assert!(stdout.contains("-: 1 article from 2 lines"), "{stdout}");
}

#[test]
fn feed_urls_without_a_scheme_or_with_another_are_refused_saying_what_is_read() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args([
            "parse",
            "ftp://old.example/feed.xml",
            "example.org/rss.xml",
            "ed:s3cret@news.example/rss",
        ])
        .arg(fixtures().join("dumps/city-desk.txt"))
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    // A usage error, as the same location in a config is a config error:
    // nothing is read.
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stdout, "");
    assert!(!stderr.contains("No such file"), "{stderr}");
    assert!(stderr.contains("does not read ftp: URLs"), "{stderr}");
    assert!(
        stderr.contains("write \"https://example.org/rss.xml\""),
        "{stderr}"
    );
    // A URL with a user name and password but no scheme keeps them hidden.
    assert!(
        stderr.contains("\"news.example/rss\" (user name and password hidden)"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("s3cret") && !stderr.contains("ed:"),
        "{stderr}"
    );
}

#[test]
fn c1_controls_in_a_dump_are_the_windows_1252_characters_meant() {
    let dir = tempfile::tempdir().unwrap();
    // What a scraper that read a Windows-1252 page as Latin-1 writes.
    std::fs::write(
        dir.path().join("d.txt"),
        "Council Won\u{92}t Back The Harbour Plan\n\n3 December 2026 10:00\n\n\
         The council said it won\u{92}t back the plan \u{93}this year\u{94}, officials said.\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["parse", "--json", "d.txt"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let article: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(article["title"], "Council Won’t Back The Harbour Plan");
    assert_eq!(
        article["body"][0]["text"],
        "The council said it won’t back the plan “this year”, officials said."
    );
}

#[test]
fn a_file_whose_name_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(
        dir.path().join(name),
        "Harbour Board Approves Ferry Terminal Upgrade\n\nThe harbour board voted on Tuesday to upgrade the ferry terminal, ending months of debate over the cost.\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["parse", "--json"])
        .arg(name)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("\"title\":\"Harbour Board Approves Ferry Terminal Upgrade\""),
        "{stdout}"
    );
}

/// `feedfold parse PATH` with `bytes` written into `PATH`, a named pipe,
/// as `<(zcat dump.gz)` hands a command its input.
fn parse_pipe(args: &[&str], bytes: Vec<u8>) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            // The reader may stop early (on an error): a broken pipe is fine.
            let _ = std::fs::File::create(pipe).and_then(|mut f| f.write_all(&bytes));
        })
    };
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .arg("parse")
        .args(args)
        .arg(&pipe)
        .env_remove("FEEDFOLD_CONFIG")
        .output()
        .unwrap();
    writer.join().unwrap();
    output
}

#[test]
fn a_pipe_is_read_once_from_its_start() {
    let dir = tempfile::tempdir().unwrap();
    for (seed, articles) in [(3, 4), (4, 400)] {
        let dump = common::generated_dump(seed, articles);
        let file = dir.path().join(format!("{seed}.txt"));
        std::fs::write(&file, &dump).unwrap();
        let (from_file, _) = parse_json(&[&file]);
        let output = parse_pipe(&["--json"], dump.clone().into_bytes());
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stderr}");
        let titles = |lines: Vec<serde_json::Value>| -> Vec<String> {
            lines.iter().map(|l| l["title"].to_string()).collect()
        };
        let from_pipe: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(!from_file.is_empty());
        assert_eq!(
            titles(from_pipe),
            titles(from_file),
            "{} bytes piped",
            dump.len()
        );
    }
    assert!(
        common::generated_dump(4, 400).len() > 64 * 1024,
        "one dump is longer than what tells its kind"
    );
    // A feed document too, which was refused as no regular file.
    let feed = std::fs::read(fixtures().join("feeds/rss20.xml")).unwrap();
    let output = parse_pipe(&[], feed);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("articles from an RSS 2.0 document"),
        "{stdout}"
    );
}

#[test]
fn parse_reads_with_the_fetch_limits_of_the_config_it_is_given() {
    let project =
        Project::new("[fetch]\nmax_body = \"1KiB\"\n\n[[feed]]\nname = \"n\"\ntitle = \"t\"\n");
    let feed = fixtures().join("feeds/rss20.xml");
    assert!(std::fs::metadata(&feed).unwrap().len() > 1024);
    let feed = feed.to_str().unwrap();
    let output = project.feedfold(&["parse", feed]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("larger than the limit of 1024 bytes"),
        "{stderr}"
    );
    // Without a config named, the built-in limits hold.
    let output = common::feedfold_in(project.dir.path(), &["parse", feed]);
    assert!(output.status.success(), "{}", text(&output).1);
    // A config that is not valid is a config error, as for every command.
    project.write("config.toml", "[fetch]\nmax_body = \"lots\"\n");
    let output = project.feedfold(&["parse", feed]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`fetch.max_body`"), "{stderr}");
}

/// A wire feed of `items` entries whose first entry's date cannot be read.
fn wire_feed(items: usize) -> String {
    let entries: String = (1..=items)
        .map(|i| {
            let date = if i == 1 {
                "Someday in November".to_string()
            } else {
                format!("Wed, 04 Nov 2026 09:{:02}:00 GMT", i % 60)
            };
            format!(
                "<item><title>Pier Closed For Safety Checks, Day {i}</title>\
                 <link>https://wire.example/pier-{i}</link><guid>pier-{i}</guid>\
                 <pubDate>{date}</pubDate><description>The old pier stayed closed on day {i} \
                 for safety checks after a storm damaged its railings.</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Calder Wire</title><link>https://wire.example/</link>\
         <description>Wire</description>{entries}</channel></rss>\n"
    )
}

#[test]
fn quiet_leaves_out_the_warnings_about_what_an_input_holds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wire.xml"), wire_feed(1)).unwrap();
    let loud = common::feedfold_in(dir.path(), &["parse", "wire.xml"]);
    let (_, stderr) = text(&loud);
    assert!(loud.status.success(), "{stderr}");
    assert!(
        stderr.contains("the date \"Someday in November\" cannot be read"),
        "{stderr}"
    );
    let quiet = common::feedfold_in(dir.path(), &["parse", "-q", "wire.xml"]);
    let (stdout, stderr) = text(&quiet);
    assert!(quiet.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert!(
        stdout.contains("1 article from an RSS 2.0 document"),
        "{stdout}"
    );
}

#[test]
fn formats_are_named_as_people_name_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.atom"),
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Calder</title>\
         <id>urn:x:calder</id><updated>2026-11-04T09:00:00Z</updated><entry>\
         <title>Library Extends Opening Hours</title><id>urn:x:lib</id>\
         <link href=\"https://wire.example/lib\"/><updated>2026-11-04T09:00:00Z</updated>\
         <summary>The central library will open until nine on weekdays.</summary></entry></feed>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("j.json"),
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"Calder","items":[{"id":"j1","url":"https://wire.example/j1","title":"Museum Wins Funding","content_text":"The maritime museum has won a grant to restore its oldest lifeboat."}]}"#,
    )
    .unwrap();
    let output = common::feedfold_in(dir.path(), &["parse", "a.atom", "j.json"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("a.atom: 1 article from an Atom 1.0 document"),
        "{stdout}"
    );
    assert!(
        stdout.contains("j.json: 1 article from a JSON Feed 1.1 document"),
        "{stdout}"
    );
}

#[test]
fn output_that_cannot_be_written_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wire.xml"), wire_feed(2000)).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["parse", "-q", "wire.xml", "wire.xml"])
        .current_dir(dir.path())
        .stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .output()
        .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        ["feedfold: error: cannot write to standard output: No space left on device (os error 28)"]
    );
}

#[test]
fn a_dump_in_other_scripts_is_dated_and_keeps_each_story_whole() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("world.txt");
    std::fs::write(
        &dump,
        "城市更新行动在上海全面启动 ｜ 新华网\n\n\
         工人在上海市中心的施工现场作业。（图：新华社）\n\
         工人在上海市中心的施工现场作业。（图：新华社）\n\n\
         城市更新行动在上海全面启动\n\
         2026年12月3日 14:05\n\n\
         上海市政府周四宣布，城市更新行动将在全市十六个区全面启动。\n\n\
         市长在新闻发布会上表示，项目总投资约为三千亿元。\n\n\
         กรุงเทพฯ เปิดเส้นทางรถไฟฟ้าสายใหม่เชื่อมบางนา\n\n\
         ผู้โดยสารรอรถไฟฟ้าที่สถานีบางนาเมื่อวันอาทิตย์ (เอพี)\n\n\
         กรุงเทพฯ เปิดเส้นทางรถไฟฟ้าสายใหม่เชื่อมบางนา\n\
         วันพฤหัสบดีที่ ๓ ธันวาคม ๒๕๖๙ ๑๔:๐๕ น.\n\n\
         กรุงเทพมหานครเปิดให้บริการรถไฟฟ้าสายใหม่เชื่อมบางนากับสุวรรณภูมิอย่างเป็นทางการ\n\n\
         ค่าโดยสารเริ่มต้นที่ 17 บาท และสูงสุดไม่เกิน 45 บาทตลอดสาย\n\n\
         مجلس المدينة يوافق على توسيع ميناء بيروت\n\n\
         عمال يفرغون حاويات في ميناء بيروت يوم الأحد. (الصورة: رويترز)\n\n\
         مجلس المدينة يوافق على توسيع ميناء بيروت\n\
         الخميس 3 ديسمبر/كانون الأول 2026\n\n\
         وافق مجلس المدينة يوم الخميس على خطة لتوسيع الميناء الشمالي تضيف رصيفين جديدين.\n\n\
         وقال رئيس المجلس للصحفيين إن المشروع سيبدأ في الربيع المقبل.\n\n\
         İstanbul Büyükşehir Belediyesi Yeni Metro Hattını Açtı\n\
         PERŞEMBE, 3 ARALIK 2026 14:05\n\n\
         İstanbul Büyükşehir Belediyesi, Üsküdar ile Çekmeköy arasındaki yeni metro hattını hizmete açtı.\n\n\
         Belediye başkanı, hattın günde 700 bin yolcuya hizmet vereceğini söyledi.\n",
    )
    .unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    let shown: Vec<(&str, &str, usize, &str)> = articles
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap(),
                a["published"].as_str().unwrap_or("none"),
                a["body"].as_array().unwrap().len(),
                a["captions"][0]["credit"].as_str().unwrap_or("none"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "城市更新行动在上海全面启动",
                "2026-12-03T14:05:00Z",
                2,
                "新华社"
            ),
            (
                "กรุงเทพฯ เปิดเส้นทางรถไฟฟ้าสายใหม่เชื่อมบางนา",
                "2026-12-03T14:05:00Z",
                2,
                "เอพี"
            ),
            (
                "مجلس المدينة يوافق على توسيع ميناء بيروت",
                "2026-12-03T00:00:00Z",
                2,
                "رويترز"
            ),
            (
                "İstanbul Büyükşehir Belediyesi Yeni Metro Hattını Açtı",
                "2026-12-03T14:05:00Z",
                2,
                "none"
            ),
        ]
    );
}

#[test]
fn spanish_and_french_date_lines_with_their_times_and_first_days_date_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dates.txt");
    let mut dump_text = String::new();
    for (headline, date_line) in [
        (
            "El Ayuntamiento Aprueba La Ampliación Del Puerto",
            "Publicado el 3 de diciembre de 2026 a las 14:05",
        ),
        (
            "Le Conseil Approuve L'Extension Du Port",
            "Publié le 1er décembre 2026 à 10 h 15",
        ),
        (
            "La Junta Aprueba El Nuevo Tranvía",
            "jueves, 1º de diciembre del 2026 - 14:05 h",
        ),
    ] {
        dump_text.push_str(&format!(
            "{headline}\n\n{date_line}\n\n\
             The first paragraph of the story about the {headline} vote.\n\n\
             The second paragraph of the story, which is long enough.\n\n"
        ));
    }
    std::fs::write(&dump, dump_text).unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    let shown: Vec<(&str, usize)> = articles
        .iter()
        .map(|a| {
            (
                a["published"].as_str().unwrap_or("none"),
                a["body"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("2026-12-03T14:05:00Z", 2),
            ("2026-12-01T10:15:00Z", 2),
            ("2026-12-01T14:05:00Z", 2),
        ]
    );
}

#[test]
fn bylines_with_a_place_an_agency_or_a_newsroom_keep_the_story_whole() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("bylines.txt");
    let mut dump_text = String::new();
    for (headline, byline) in [
        (
            "Ferry Operator Cancels Winter Timetable",
            "By Martha Quill with AFP",
        ),
        (
            "Harbour Expansion Approved After Long Dispute",
            "Par Claire Dubois à Paris",
        ),
        (
            "Tram Depot Plan Goes Out to Consultation",
            "By Martha Quill and agencies",
        ),
        (
            "Calder Library Reopens Its Reading Room",
            "Von Katrin Vogel, Jan Berg und Eva Roth",
        ),
    ] {
        let caption = format!("{headline} on Monday, in a picture from the scene. (AP)");
        dump_text.push_str(&format!(
            "{headline}\n\n{caption}\n\n{headline}\n\n{caption}\n\nDecember 3, 2026\n{byline}\n\n\
             The decision was announced on Monday after a long meeting.\n\n\
             Residents said they would study the details this week.\n\n"
        ));
    }
    std::fs::write(&dump, dump_text).unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    let shown: Vec<(&str, Vec<&str>, &str, usize)> = articles
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap(),
                a["authors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_str().unwrap())
                    .collect(),
                a["published"].as_str().unwrap_or("none"),
                a["body"].as_array().unwrap().len(),
            )
        })
        .collect();
    let day = "2026-12-03T00:00:00Z";
    assert_eq!(
        shown,
        [
            (
                "Ferry Operator Cancels Winter Timetable",
                vec!["Martha Quill"],
                day,
                2
            ),
            (
                "Harbour Expansion Approved After Long Dispute",
                vec!["Claire Dubois"],
                day,
                2
            ),
            (
                "Tram Depot Plan Goes Out to Consultation",
                vec!["Martha Quill"],
                day,
                2
            ),
            (
                "Calder Library Reopens Its Reading Room",
                vec!["Katrin Vogel", "Jan Berg", "Eva Roth"],
                day,
                2
            ),
        ]
    );
}

#[test]
fn an_advertisement_between_the_copies_of_a_doubled_header_keeps_the_headline() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("trams.txt");
    std::fs::write(
        &dump,
        "Stadtrat stimmt für neue Straßenbahnlinie | Calder Zeitung\n\
         Straßenbahnen im Depot in Calder am Dienstag\n\
         Straßenbahnen im Depot in Calder am Dienstag\n\
         Advertisement\n\
         Stadtrat stimmt für neue Straßenbahnlinie\n\
         Straßenbahnen im Depot in Calder am Dienstag\n\
         Straßenbahnen im Depot in Calder am Dienstag\n\
         3. Dezember 2026, 14:05 Uhr\n\
         Der Stadtrat hat am Mittwoch eine neue Straßenbahnlinie beschlossen.\n\
         Die Linie soll zwölf Haltestellen haben.\n",
    )
    .unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    assert_eq!(articles.len(), 1, "{articles:?}");
    let article = &articles[0];
    assert_eq!(
        article["title"],
        "Stadtrat stimmt für neue Straßenbahnlinie"
    );
    assert_eq!(article["published"], "2026-12-03T14:05:00Z");
    assert_eq!(
        article["captions"][0]["text"],
        "Straßenbahnen im Depot in Calder am Dienstag"
    );
    assert!(article["captions"][0]["credit"].is_null());
    assert_eq!(article["body"].as_array().unwrap().len(), 2);
}

#[test]
fn list_items_stay_in_the_body_and_date_first_stories_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dated.txt");
    std::fs::write(
        &dump,
        "3 December 2026\n\
         Trade talks resume in Brussels\n\
         Negotiators from the European Union and Mercosur resumed talks on Monday.\n\
         The parties taking part:\n\
         • Argentina (Mercosur)\n\
         1. The European Commission (EC)\n\
         Ministers meet again on Friday.\n\
         4 December 2026\n\
         Road closed after lorry crash\n\
         The A9 was closed for three hours.\n",
    )
    .unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    let shown: Vec<(&str, &str, usize, usize)> = articles
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap(),
                a["published"].as_str().unwrap_or("none"),
                a["captions"].as_array().unwrap().len(),
                a["body"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "Trade talks resume in Brussels",
                "2026-12-03T00:00:00Z",
                0,
                5
            ),
            (
                "Road closed after lorry crash",
                "2026-12-04T00:00:00Z",
                0,
                1
            ),
        ]
    );
    assert_eq!(articles[0]["body"][2]["text"], "• Argentina (Mercosur)");
}

#[test]
fn a_dump_updated_before_its_date_shows_the_publication_date_as_its_update() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.txt");
    std::fs::write(
        &dump,
        "Harbour Council Approves New Mooring Fees\n\nNovember 3, 2026 10:00 GMT\nUpdated: November 2, 2026 08:00 GMT\n\n\
         The harbour council voted on Monday to raise mooring fees for the first time in a decade, citing repair costs.\n\n\
         Fishing crews said the rise would hurt small boats most.\n",
    )
    .unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    assert_eq!(articles[0]["published"], "2026-11-03T10:00:00Z");
    assert_eq!(articles[0]["updated"], "2026-11-03T10:00:00Z");
}

#[test]
fn files_whose_names_are_not_utf8_are_named_byte_by_byte_and_kept_apart() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let names = [b"M\xfcller.txt".as_slice(), b"M\xe4ller.txt"].map(std::ffi::OsStr::from_bytes);
    for name in names {
        std::fs::write(
            dir.path().join(name),
            "Harbour Board Approves Ferry Terminal Upgrade\n\nThe harbour board voted on Tuesday to upgrade the ferry terminal, ending months of debate over the cost.\n",
        )
        .unwrap();
    }
    let parse = |json: bool| {
        std::process::Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .arg("parse")
            .args(json.then_some("--json"))
            .args(names)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let json = parse(true);
    let (stdout, stderr) = text(&json);
    assert!(json.status.success(), "{stderr}");
    let sources: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["source"].to_string())
        .collect();
    assert_eq!(sources, [r#""M\\xFCller.txt""#, r#""M\\xE4ller.txt""#]);
    let (shown, summaries) = text(&parse(false));
    let all = format!("{shown}{summaries}");
    assert!(all.contains(r"M\xFCller.txt: 1 article"), "{all}");
    assert!(all.contains(r"M\xE4ller.txt: 1 article"), "{all}");
}

#[test]
fn a_crosshead_keeps_the_quotes_nested_inside_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("d.txt");
    std::fs::write(
        &dump,
        "Council Approves New Budget for Coming Year\n\n\
         The council approved its budget for the coming year on Tuesday night.\n\n\
         - \"Not 'a disaster'\" -\n\n\
         Opposition members said the cuts to libraries would hurt families.\n\n\
         – “We said ‘no’” –\n\n\
         Residents said they had not been asked about the closures.\n\n\
         - \"'Enough' say residents\" -\n\n\
         The vote passed by thirty one votes to twenty two.\n",
    )
    .unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    let subheads: Vec<&str> = articles[0]["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "subhead")
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        subheads,
        ["Not 'a disaster'", "We said ‘no’", "'Enough' say residents"]
    );
}

#[test]
fn utf16_without_its_mark_is_named_in_its_byte_order_whatever_its_script() {
    let dir = tempfile::tempdir().unwrap();
    let story = "港湾計画を市議会が承認\n\n市議会は月曜日、港湾拡張計画を承認した。\n";
    let little: Vec<u8> = story.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let big: Vec<u8> = story.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (bytes, name) in [(little, "UTF-16LE"), (big, "UTF-16BE")] {
        let dump = dir.path().join(format!("{name}.txt"));
        std::fs::write(&dump, bytes).unwrap();
        let (articles, output) = parse_json(&[&dump]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(articles.is_empty(), "{articles:?}");
        assert!(
            stderr.contains(&format!(
                "{name}.txt: line 1 looks like {name} without a byte order mark"
            )) && stderr.contains(&format!("`iconv -f {name} -t UTF-8`")),
            "{stderr}"
        );
    }
}

#[test]
fn a_feed_without_a_declared_encoding_keeps_its_utf8_around_a_stray_byte() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("cafe.xml");
    let mut bytes =
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Café news</title>\
        <link>https://cafe.example/</link><description>News</description>\
        <item><title>Café à Zürich ferme ses portes</title><link>https://cafe.example/a</link>\
        <description>Les propriétaires du café ferment.</description></item>\
        <item><title>Second story</title><link>https://cafe.example/b</link><description>Don"
            .as_bytes()
            .to_vec();
    bytes.extend(b"\x92t worry.</description></item></channel></rss>\n");
    std::fs::write(&feed, bytes).unwrap();
    let (articles, output) = parse_json(&[&feed]);
    let (_, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let titles: Vec<&str> = articles
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Café à Zürich ferme ses portes", "Second story"]);
    assert!(
        articles[1]["summary"]
            .as_str()
            .unwrap()
            .contains("Don\u{FFFD}t worry."),
        "{articles:?}"
    );
    assert!(
        stderr.contains("invalid UTF-8 from byte") && !stderr.contains("windows-1252"),
        "{stderr}"
    );
}

#[test]
fn utf16_with_an_unpaired_surrogate_is_refused_naming_the_file_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("windows.txt");
    let units = |text: &str| -> Vec<u8> {
        text.replace('\n', "\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect()
    };
    // What Windows saves as "Unicode", damaged by one lone surrogate.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(units(
        "Tram Extension to Open in Spring\n\nThe tram opens in spring.\n\n",
    ));
    let at = bytes.len();
    bytes.extend(0xD800u16.to_le_bytes());
    bytes.extend(units("Engineers found faults in the signalling.\n"));
    std::fs::write(&dump, bytes).unwrap();
    let (articles, output) = parse_json(&[&dump]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "windows.txt: invalid UTF-16 (an unpaired surrogate) at byte offset {at} (line 5)"
        )),
        "{stderr}"
    );
    assert!(
        articles.iter().all(|a| !a.to_string().contains('\u{FFFD}')),
        "{articles:?}"
    );
}

#[test]
fn stories_sharing_a_byline_or_a_date_line_or_doubling_an_uncredited_caption_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("desk.txt");
    std::fs::write(
        &dump,
        "3 December 2026\n\
         Rail workers reject latest pay offer\n\
         By Ana Ruiz\n\
         Union members voted by a large margin to reject the offer.\n\
         3 December 2026\n\
         Floods force hundreds from their homes\n\
         By Ana Ruiz\n\
         More than 400 people left their homes overnight.\n\
         Council Approves Harbour Plan After Long Debate\n\
         Boats moored in the harbour at dawn\n\
         Council Approves Harbour Plan After Long Debate\n\
         Boats moored in the harbour at dawn\n\
         The council voted seven to two on Tuesday to approve the plan.\n\
         Tram fares to rise in January\n\
         29 July 2024\n\
         An empty platform at Calder station\n\
         Commuters wait on the platform (AP)\n\
         The operator said fares would rise by four percent.\n",
    )
    .unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    let shown: Vec<(&str, &str, usize)> = articles
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap(),
                a["published"].as_str().unwrap_or("none"),
                a["captions"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "Rail workers reject latest pay offer",
                "2026-12-03T00:00:00Z",
                0
            ),
            (
                "Floods force hundreds from their homes",
                "2026-12-03T00:00:00Z",
                0
            ),
            ("Council Approves Harbour Plan After Long Debate", "none", 1),
            ("Tram fares to rise in January", "2024-07-29T00:00:00Z", 2),
        ]
    );
    assert_eq!(articles[1]["authors"][0], "Ana Ruiz", "{articles:?}");
}

#[test]
fn galleries_tagged_headlines_and_headlines_trailing_off_keep_each_story_whole() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("desk.txt");
    let header = |title: &str, lines: &[&str]| {
        let mut copy = format!("{title}\n\n");
        for line in lines {
            copy.push_str(&format!("{line}\n{line}\n\n"));
        }
        copy.repeat(2)
    };
    let mut input = header(
        "Harbour Regatta Draws Record Crowds",
        &[
            "Yachts round the lighthouse in the final race",
            "Spectators line the sea wall on Sunday afternoon. (AP)",
            "A crew celebrates on the quay",
            "The winning boat returns to the marina at dusk. (Reuters)",
        ],
    );
    input.push_str(
        "More than 20,000 people watched the regatta on Sunday.\n\n\
         Events This Week at the Marina\n\n\
         Sailing lessons for beginners (Tuesday, 6pm)\n\
         Prize-giving at the yacht club (December 12)\n\n\
         The marina reopens to visitors on Monday.\n\n",
    );
    input.push_str(&header(
        "Gales Close the Coast Road (PHOTOS)",
        &["Waves break over the coast road near Calder. (Getty Images)"],
    ));
    input.push_str("The coast road was closed on Monday night.\n\n");
    input.push_str(&header(
        "Ferry Crews Prepare for a Long Night\u{2026}",
        &["A ferry waits at the pier in the rain. (AP)"],
    ));
    input.push_str(
        "Ferry crews worked through the night.\n\n\
         Harbour United 2 Northgate Town 1\n\
         Ward 3, Lowe 81 (Harbour United); Price 50 (Northgate)\n\n\
         The match went ahead despite the wind.\n",
    );
    std::fs::write(&dump, input).unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    let shown: Vec<(&str, usize, &str)> = articles
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap(),
                a["captions"].as_array().unwrap().len(),
                a["body"][0]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "Harbour Regatta Draws Record Crowds",
                4,
                "More than 20,000 people watched the regatta on Sunday."
            ),
            (
                "Gales Close the Coast Road (PHOTOS)",
                1,
                "The coast road was closed on Monday night."
            ),
            (
                "Ferry Crews Prepare for a Long Night\u{2026}",
                1,
                "Ferry crews worked through the night."
            ),
        ]
    );
    let credits: Vec<&serde_json::Value> = articles[0]["captions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["credit"])
        .collect();
    assert_eq!(
        credits,
        [
            &serde_json::Value::Null,
            &serde_json::json!("AP"),
            &serde_json::Value::Null,
            &serde_json::json!("Reuters")
        ]
    );
    assert_eq!(articles[0]["body"].as_array().unwrap().len(), 5);
    assert_eq!(articles[2]["body"].as_array().unwrap().len(), 4);
}

#[test]
fn story_shapes_of_wire_and_dated_dumps_keep_their_headlines_captions_and_trailers() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("desk.txt");
    std::fs::write(
        &dump,
        "Aerial view of the coast near Calder (AFP)\n\
         3 December 2026\n\
         Floods Force Hundreds From Their Homes\n\
         More than 400 people left their homes overnight.\n\
         Work is expected to begin in the spring.\n\
         (Reporting by Ana Ruiz; Editing by Jan Berg)\n\
         \n\
         Updated: December 5, 2026 09:00 GMT\n\
         4 December 2026\n\
         Rail workers reject latest pay offer\n\
         Union members picket outside the central station\n\
         Union members voted by a large margin to reject the offer.\n",
    )
    .unwrap();
    let (articles, output) = parse_json(&[&dump]);
    assert!(output.status.success(), "{:?}", text(&output));
    let shown: Vec<(&str, &str, &str)> = articles
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap(),
                a["published"].as_str().unwrap_or("none"),
                a["updated"].as_str().unwrap_or("none"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                "Floods Force Hundreds From Their Homes",
                "2026-12-03T00:00:00Z",
                "2026-12-05T09:00:00Z"
            ),
            (
                "Rail workers reject latest pay offer",
                "2026-12-04T00:00:00Z",
                "none"
            ),
        ]
    );
    assert_eq!(articles[0]["captions"][0]["credit"], "AFP", "{articles:?}");
    let body = articles[0]["body"].as_array().unwrap();
    assert_eq!(
        body.last().unwrap()["text"],
        "(Reporting by Ana Ruiz; Editing by Jan Berg)"
    );

    let first = dir.path().join("first.txt");
    std::fs::write(
        &first,
        "Council approves harbour plan after long debate\n\
         Boats moored in the harbour at dawn\n\
         Councillors vote on the plan in Calder (AP)\n\
         The council voted seven to two on Tuesday to approve the harbour plan.\n",
    )
    .unwrap();
    let (articles, _) = parse_json(&[&first]);
    assert_eq!(articles.len(), 1, "{articles:?}");
    assert_eq!(
        articles[0]["title"],
        "Council approves harbour plan after long debate"
    );
    assert_eq!(articles[0]["captions"].as_array().unwrap().len(), 2);
}

#[test]
fn a_dump_s_line_limit_is_the_same_whatever_its_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let dump = |length: usize, ending: &str| {
        let paragraph = format!(
            "{}.",
            "word ".repeat(length / 5 + 1)[..length - 1].trim_end()
        );
        let paragraph = format!("{}{paragraph}", "x".repeat(length - paragraph.len()));
        let path = dir.path().join(format!("{length}-{}.txt", ending.len()));
        let text = format!(
            "Committee Publishes Long Report on Housing{ending}{ending}{paragraph}{ending}{ending}\
             The report will be debated next month.{ending}"
        );
        std::fs::write(&path, text).unwrap();
        path
    };
    for ending in ["\n", "\r\n", "\r"] {
        let at_limit = dump(1 << 20, ending);
        let (articles, output) = parse_json(&[&at_limit]);
        assert!(output.status.success(), "{ending:?}: {:?}", text(&output).1);
        assert_eq!(articles.len(), 1, "{ending:?}");

        let over = dump((1 << 20) + 1, ending);
        let (articles, output) = parse_json(&[&over]);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(1), "{ending:?}");
        assert!(
            stderr.contains("line 3 is longer than 1048576 bytes"),
            "{ending:?}: {stderr}"
        );
        assert!(articles.is_empty(), "{ending:?}");
    }
}

#[test]
fn question_headlines_in_japanese_and_greek_start_their_own_stories() {
    let dir = tempfile::tempdir().unwrap();
    let story = |headline: &str, caption: &str, body: &str| {
        format!(
            "{headline}\n\n{caption}\n{caption}\n\n{headline}\n\n{caption}\n{caption}\n\n{body}\n\n\n"
        )
    };
    let dumps = [
        (
            "tokyo.txt",
            story(
                "東京都が新たな防災計画を発表",
                "記者会見する東京都知事（写真：共同）",
                "2024年12月3日 14時05分\n\n東京都は3日、新たな防災計画を発表した。",
            ) + &story(
                "円安はどこまで進むのか？",
                "東京外国為替市場の様子（写真：共同）",
                "2024年12月5日 10時00分\n\n円相場は一時1ドル＝150円台まで値下がりした。",
            ),
        ),
        (
            "athens.txt",
            story(
                "Ο καιρός σήμερα στην Αθήνα",
                "Βροχή στο κέντρο της Αθήνας. (ΑΠΕ)",
                "Βροχές αναμένονται σήμερα στην Αθήνα.",
            ) + &story(
                "Τι σημαίνει η νέα συμφωνία για τους καταναλωτές;",
                "Καταναλωτές σε σούπερ μάρκετ στην Αθήνα. (ΑΠΕ)",
                "Η κυβέρνηση υπέγραψε νέα συμφωνία για τις τιμές.",
            ),
        ),
    ];
    for (name, text) in dumps {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let (articles, output) = parse_json(&[&path]);
        assert!(output.status.success(), "{name}: {:?}", self::text(&output));
        let shown: Vec<(&str, usize, usize)> = articles
            .iter()
            .map(|a| {
                (
                    a["title"].as_str().unwrap(),
                    a["captions"].as_array().unwrap().len(),
                    a["body"].as_array().unwrap().len(),
                )
            })
            .collect();
        // Each story's first line is its headline.
        let headlines: Vec<&str> = text
            .split("\n\n\n")
            .filter_map(|story| story.lines().next())
            .collect();
        assert_eq!(
            shown,
            [(headlines[0], 1, 1), (headlines[1], 1, 1)],
            "{name}"
        );
    }
}

#[test]
fn a_pages_meta_box_standfirst_heading_and_gallery_chrome_are_no_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let story = "<p>The council voted on Tuesday to reopen the old harbour railway line for passenger trains next spring.</p>\
                 <p>Work on the track and the stations will start in January, the council said in a statement.</p>";
    let deck = "The harbour line will carry passengers again from next spring";
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Rail Line Returns</title></head><body><article>\
         <h1>Rail Line Returns</h1><h2 class=\"c-subheadline\">{deck}</h2>\
         <div class=\"meta\"><div><a class=\"author-name\" href=\"/lena\">Lena Berg</a></div>\
         <span class=\"role\">Transport Editor</span> <span class=\"date\">24 November 2026</span></div>\
         <div class=\"gallery\"><div class=\"gallery__counter\">1 / 2</div>\
         <figure><img src=\"/g/1.jpg\"><figcaption>The old station.</figcaption></figure>\
         <figure><img src=\"/g/2.jpg\"><figcaption>The new platform.</figcaption></figure></div>\
         {story}</article></body></html>"
    );
    let path = dir.path().join("rail.html");
    std::fs::write(&path, page).unwrap();
    let (articles, output) = parse_json(&[&path]);
    assert!(output.status.success(), "{:?}", text(&output));
    let article = &articles[0];
    assert_eq!(article["published"], "2026-11-24T00:00:00Z");
    assert_eq!(article["authors"], serde_json::json!(["Lena Berg"]));
    assert_eq!(article["captions"].as_array().unwrap().len(), 2);
    let body: Vec<(&str, &str)> = article["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["kind"].as_str().unwrap(), b["text"].as_str().unwrap()))
        .collect();
    assert_eq!(body.len(), 3, "{body:?}");
    assert_eq!(body[0], ("paragraph", deck));
    assert!(body[1].1.starts_with("The council voted"), "{body:?}");
}

#[test]
fn a_pages_shown_headline_and_its_journalists_byline_are_what_parse_prints() {
    let dir = tempfile::tempdir().unwrap();
    let story = "<p>Storm Erin swept over the coast on Saturday, cancelling every ferry crossing to the islands.</p>\
                 <p>The storm knocked out power to about 3,000 homes in the old town, the grid operator said.</p>";
    let h1 = "Gales Batter the Coast, Halting Ferries and Closing Island Schools";
    let seo = "Storm Erin Shuts Schools and Cancels Ferries on the Coast";
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{seo} - The Coastal Times</title>\
         <meta property=\"og:site_name\" content=\"The Coastal Times\"><meta property=\"og:title\" content=\"{seo}\">\
         <meta property=\"article:published_time\" content=\"2026-12-06T07:00:00-05:00\">\
         <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"{seo}\",\
         \"datePublished\":\"2026-12-06T07:00:00\",\"author\":{{\"@type\":\"Organization\",\"name\":\"The Coastal Times\"}}}}</script>\
         </head><body><main><article><h1>{h1}</h1>\
         <div class=\"meta\">By <a href=\"/author/ana\">Ana Ruiz</a> <a href=\"https://x.com/anaruiz\">@anaruiz</a> on \
         <time datetime=\"2026-12-06T07:00:00-05:00\">Dec. 6, 2026</time></div>{story}</article></main></body></html>"
    );
    let path = dir.path().join("storm.html");
    std::fs::write(&path, page).unwrap();
    let (articles, output) = parse_json(&[&path]);
    assert!(output.status.success(), "{:?}", text(&output));
    let article = &articles[0];
    assert_eq!(article["title"], h1);
    assert_eq!(article["published"], "2026-12-06T12:00:00Z");
    assert_eq!(article["authors"], serde_json::json!(["Ana Ruiz"]));
    let body: Vec<&str> = article["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert_eq!(body.len(), 2, "{body:?}");
    assert!(body[0].starts_with("Storm Erin swept"), "{body:?}");
}

#[test]
fn a_greek_paragraph_closing_with_the_ano_teleia_stays_in_its_story() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Το Δημοτικό Συμβούλιο Εγκρίνει Το Νέο Σχέδιο Λιμανιού\n\n\
                  Επιβάτες περιμένουν στο παλιό λιμάνι τη Δευτέρα (AP)\n\n";
    for mark in ['\u{387}', '\u{B7}'] {
        let dump = format!(
            "{header}{header}Το συμβούλιο ψήφισε τη Δευτέρα υπέρ του νέου σχεδίου.\n\n\
             Ο δήμαρχος είπε ότι το έργο θα ολοκληρωθεί σε τρία χρόνια{mark} \
             οι εργασίες ξεκινούν την άνοιξη{mark}\n\n\
             Ένας σύμβουλος μιλά κατά τη διάρκεια της συνεδρίασης (Reuters)\n\n\
             Οι αξιωματούχοι είπαν ότι το κόστος θα μοιραστεί με την περιφέρεια.\n"
        );
        let path = dir.path().join("harbour.txt");
        std::fs::write(&path, dump).unwrap();
        let (articles, output) = parse_json(&[&path]);
        assert!(output.status.success(), "{:?}", text(&output));
        assert_eq!(articles.len(), 1, "{mark}: {articles:?}");
        assert_eq!(articles[0]["body"].as_array().unwrap().len(), 3, "{mark}");
        assert_eq!(
            articles[0]["captions"].as_array().unwrap().len(),
            2,
            "{mark}"
        );
    }
}

#[test]
fn a_pages_meta_box_names_every_author_and_is_no_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let story = "<p>The council voted on Tuesday to reopen the old harbour railway line for passenger trains next spring.</p>\
                 <p>Work on the track and the stations will start in January, the council said in a statement.</p>";
    for (meta, authors) in [
        (
            "<span class=\"author\">Ana Ruiz</span> <span class=\"author\">Tom Reyes</span> <span class=\"date\">24 November 2026</span>",
            &["Ana Ruiz", "Tom Reyes"][..],
        ),
        (
            "<a href=\"/authors/lucy-ward\">Lucy Ward</a><span class=\"role\">Community Reporter</span> <span class=\"date\">24 November 2026</span>",
            &["Lucy Ward"],
        ),
        (
            "<a rel=\"author\" href=\"/a/i\">Ingrid Holm</a> Transport correspondent <time datetime=\"2026-11-24T00:00:00Z\">24 November 2026</time>",
            &["Ingrid Holm"],
        ),
    ] {
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Rail Line Returns</title></head><body><article>\
             <h1>Rail Line Returns</h1><div class=\"article-meta\">{meta}</div>{story}</article></body></html>"
        );
        let path = dir.path().join("rail.html");
        std::fs::write(&path, page).unwrap();
        let (articles, output) = parse_json(&[&path]);
        assert!(output.status.success(), "{:?}", text(&output));
        let article = &articles[0];
        assert_eq!(article["authors"], serde_json::json!(authors), "{meta}");
        assert_eq!(article["published"], "2026-11-24T00:00:00Z", "{meta}");
        assert_eq!(
            article["body"].as_array().unwrap().len(),
            2,
            "{meta}: {article}"
        );
    }
}

/// The JSON of the one file `name` holding `content`, as `parse` prints it.
fn parse_one(name: &str, content: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let (articles, output) = parse_json(&[&path]);
    assert!(output.status.success(), "{:?}", text(&output));
    articles
}

#[test]
fn a_date_line_with_its_source_credit_stays_in_the_header_and_dates_the_story() {
    let story = "新华社北京12月3日电 住房和城乡建设部3日宣布，城市更新行动正式启动，将在未来五年内改造老旧小区。";
    for (line, published) in [
        ("2026-12-03 14:05:00　来源：新华网", "2026-12-03T14:05:00Z"),
        ("2026/12/03 14:05 出典：共同通信", "2026-12-03T14:05:00Z"),
        ("2026-12-03 14:05 Источник: ТАСС", "2026-12-03T14:05:00Z"),
        ("2026年12月3日 14時05分 JST", "2026-12-03T05:05:00Z"),
        ("最終更新：2026年12月3日 14:05", "2026-12-03T14:05:00Z"),
        ("기사입력 2026.12.03. 오후 2:05", "2026-12-03T14:05:00Z"),
    ] {
        let dump = format!(
            "城市更新行动正式启动老旧小区改造\n\n{line}\n\n{story}\n\n据介绍，此次改造将重点解决加装电梯等问题。\n"
        );
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>城市更新行动正式启动老旧小区改造_新华网</title></head>\
             <body><article><h1>城市更新行动正式启动老旧小区改造</h1><div class=\"info\">{line}</div>\
             <p>{story}</p><p>据介绍，此次改造将重点解决加装电梯、管网更新、停车设施不足等问题。</p></article></body></html>"
        );
        for (name, content) in [("news.txt", dump), ("news.html", page)] {
            let article = &parse_one(name, &content)[0];
            assert_eq!(article["body"][0]["text"], story, "{name}: {line}");
            assert_eq!(article["published"], published, "{name}: {line}");
        }
    }
}

#[test]
fn a_dump_written_decomposed_reads_as_the_same_dump_composed() {
    use unicode_normalization::UnicodeNormalization;
    let dump = "L'Assemblée adopte le budget 2027 après débat\n\n\
                Le ministre des Finances à l'Assemblée, jeudi. Crédit : AFP\n\n\
                Publié le 3 décembre 2026 à 10h15\n\n\
                L'Assemblée nationale a adopté jeudi le projet de budget pour 2027, après de longs débats.\n\n\
                Quốc hội thông qua ngân sách năm 2027\n\n\
                Thủ tướng phát biểu tại phiên họp ở Hà Nội (Ảnh: TTXVN)\n\n\
                Ngày 3 tháng 12 năm 2026\n\n\
                Quốc hội đã thông qua dự toán ngân sách nhà nước năm 2027 vào thứ Năm sau nhiều ngày thảo luận.\n";
    let decomposed: String = dump.nfd().collect();
    let captions = |articles: Vec<serde_json::Value>| -> Vec<(String, String)> {
        articles
            .iter()
            .flat_map(|a| a["captions"].as_array().unwrap().clone())
            .map(|c| (c["text"].to_string(), c["credit"].to_string()))
            .collect()
    };
    let composed_captions = captions(parse_one("fr.txt", dump));
    assert_eq!(composed_captions.len(), 2);
    assert_eq!(
        captions(parse_one("fr.txt", &decomposed)),
        composed_captions
    );
}

#[test]
fn feed_authors_written_as_bylines_in_other_languages_are_named_alone() {
    for (creator, authors) in [
        ("Par Claire Dubois", &["Claire Dubois"][..]),
        (
            "Von Katrin Vogel und Jan Berg",
            &["Katrin Vogel", "Jan Berg"],
        ),
        ("Автор: Иван Петров", &["Иван Петров"]),
    ] {
        let feed = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <channel><title>T</title><link>http://x.example/</link><description>d</description>\
             <item><title>Regional council approves the new budget</title><link>http://x.example/a</link>\
             <dc:creator>{creator}</dc:creator><description>The council approved the budget.</description>\
             </item></channel></rss>"
        );
        let article = &parse_one("feed.xml", &feed)[0];
        assert_eq!(article["authors"], serde_json::json!(authors), "{creator}");
    }
}

#[test]
fn feed_authors_written_surname_first_keep_the_particle_their_surname_opens_with() {
    let rss = |creator: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <channel><title>T</title><link>http://x.example/</link><description>d</description>\
             <item><title>Regional council approves the new budget</title><link>http://x.example/a</link>\
             <dc:creator>{creator}</dc:creator><description>The council approved the budget.</description>\
             </item></channel></rss>"
        )
    };
    let atom = |name: &str| {
        format!(
            "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\
             <id>urn:t</id><updated>2026-12-04T05:00:00Z</updated>\
             <entry><title>Regional council approves the new budget</title><id>urn:a</id>\
             <updated>2026-12-04T05:00:00Z</updated><link href=\"http://x.example/a\"/>\
             <author><name>{name}</name></author><summary>The council approved the budget.</summary>\
             </entry></feed>"
        )
    };
    let json = |name: &str| {
        serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "T",
            "items": [{"id": "a", "url": "http://x.example/a",
                "title": "Regional council approves the new budget",
                "content_text": "The council approved the budget.",
                "authors": [{"name": name}]}]})
        .to_string()
    };
    for (written, authors) in [
        ("Di Maio Luigi", &["Di Maio Luigi"][..]),
        // German writes a byline `Von` before one name given first.
        ("Von Katrin Vogel", &["Katrin Vogel"]),
        ("De Luca Vincenzo", &["De Luca Vincenzo"]),
        ("Van Dijk Anna", &["Van Dijk Anna"]),
        // The Italian byline's `di` in lower case, and a byline naming two.
        ("di Mario Rossi", &["Mario Rossi"]),
        (
            "Von Anna Schmidt und Jan Berg",
            &["Anna Schmidt", "Jan Berg"],
        ),
        (
            "Di Mario Rossi e Anna Bianchi",
            &["Mario Rossi", "Anna Bianchi"],
        ),
        ("Par Marie Dupont", &["Marie Dupont"]),
    ] {
        for (name, document) in [
            ("feed.xml", rss(written)),
            ("feed.atom", atom(written)),
            ("feed.json", json(written)),
        ] {
            let article = &parse_one(name, &document)[0];
            assert_eq!(
                article["authors"],
                serde_json::json!(authors),
                "{written} in {name}"
            );
        }
    }
}

#[test]
fn a_pages_byline_alone_in_a_div_names_its_author() {
    for (byline, authors) in [
        ("<div>By Ana Ruiz</div>", &["Ana Ruiz"][..]),
        (
            "<div class=\"meta\">Par Claire Dubois</div>",
            &["Claire Dubois"],
        ),
        ("<div>Автор: Иван Петров</div>", &["Иван Петров"]),
    ] {
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Council approves harbour budget</title></head>\
             <body><article><h1>Council approves harbour budget for 2027</h1>{byline}\
             <p>The council on Thursday approved the harbour budget for 2027 by 38 votes to 29.</p>\
             <p>New borrowing is set at 51.3 million euros.</p></article></body></html>"
        );
        let article = &parse_one("page.html", &page)[0];
        assert_eq!(article["authors"], serde_json::json!(authors), "{byline}");
        assert_eq!(article["body"].as_array().unwrap().len(), 2, "{byline}");
    }
}

#[test]
fn a_header_repeat_with_a_long_cjk_site_name_is_the_headline() {
    for repeat in [
        "港湾計画を市議会が承認｜日本経済新聞",
        "港湾計画を市議会が承認 - 日本経済新聞",
    ] {
        let dump = format!(
            "港湾計画を市議会が承認\n\n市議会本会議場の様子（共同）\n\n{repeat}\n\n市議会本会議場の様子（共同）\n\n\
             2026年12月3日 14:05\n\n市議会は3日、港湾の拡張計画を賛成多数で承認した。着工は来年春の予定。\n"
        );
        let articles = parse_one("jp.txt", &dump);
        assert_eq!(articles.len(), 1, "{repeat}");
        assert_eq!(
            articles[0]["captions"],
            serde_json::json!([{"text": "市議会本会議場の様子", "credit": "共同"}]),
            "{repeat}"
        );
    }
}

#[test]
fn russian_dates_opening_with_a_two_letter_weekday_date_the_story() {
    let dump = "Regional council approves the new budget after long debate\n\n\
                Чт, 3 декабря 2026, 10:15\n\n\
                The regional council approved the new budget on Thursday after a long debate in the chamber.\n";
    assert_eq!(
        parse_one("ru.txt", dump)[0]["published"],
        "2026-12-03T10:15:00Z"
    );
    let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Лента</title>\
                <link>http://x.example/</link><description>d</description><item>\
                <title>Правительство утвердило бюджет на 2027 год</title><link>http://x.example/a</link>\
                <description>Правительство утвердило проект бюджета.</description>\
                <pubDate>Чт, 03 дек 2026 10:00:00 +0300</pubDate></item></channel></rss>";
    assert_eq!(
        parse_one("ru.xml", feed)[0]["published"],
        "2026-12-03T07:00:00Z"
    );
}

#[test]
fn story_heads_with_section_labels_stacked_dates_and_dressed_copies_read_as_written() {
    let dump = "Politics\nMinister Quits Over Harbour Contract\nMinister Ana Ruiz in Calder last month. (PA)\n\
                Politics\nMinister Quits Over Harbour Contract\nMinister Ana Ruiz in Calder last month. (PA)\n\
                BY MARTHA QUILL AND TOM REYES\n\
                The minister resigned after emails showed she intervened in the harbour contract.\n\
                She denies wrongdoing and says she will clear her name.\n\
                Published 7 December 2026 10:00 GMT\nUpdated 7 December 2026 12:30 GMT\n\
                Budget 2026: Chancellor Raises Fuel Duty\n\
                The chancellor arrives at parliament on Wednesday. (PA)\n\
                LIVE: Budget 2026: Chancellor Raises Fuel Duty\n\
                The chancellor arrives at parliament on Wednesday. (PA)\n\
                The chancellor raised fuel duty by 5p a litre on Wednesday.\n\
                The change takes effect in April.\n";
    let articles = parse_one("desk.txt", dump);
    assert_eq!(articles.len(), 2, "{articles:?}");
    let (minister, budget) = (&articles[0], &articles[1]);
    assert_eq!(minister["title"], "Minister Quits Over Harbour Contract");
    assert_eq!(
        minister["authors"],
        serde_json::json!(["MARTHA QUILL", "TOM REYES"])
    );
    assert_eq!(
        minister["body"].as_array().unwrap().len(),
        2,
        "{minister:?}"
    );
    assert_eq!(minister["updated"], serde_json::Value::Null);
    assert_eq!(budget["title"], "Budget 2026: Chancellor Raises Fuel Duty");
    assert_eq!(budget["published"], "2026-12-07T10:00:00Z");
    assert_eq!(budget["updated"], "2026-12-07T12:30:00Z");
    assert_eq!(budget["body"].as_array().unwrap().len(), 2, "{budget:?}");
}

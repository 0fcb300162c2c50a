//! Helpers shared by the end-to-end tests: a throwaway project folder with a
//! config, and a way to run the real `feedfold` binary in it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod disk;
pub mod inert;
pub mod measure;
pub mod postgres;
pub mod server;
pub mod shared;
pub mod site;
pub mod upstream;
pub mod wellformed;

/// The folder holding the test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A temporary folder with a `config.toml`, removed when dropped.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    /// A project whose config is `config` (paths relative to the project).
    pub fn new(config: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("config.toml"), config).expect("write config");
        Project { dir }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Copies fixture dumps into `dumps/` of the project.
    pub fn with_dumps(self, names: &[&str]) -> Project {
        let dumps = self.path("dumps");
        std::fs::create_dir_all(&dumps).unwrap();
        for name in names {
            std::fs::copy(fixtures().join("dumps").join(name), dumps.join(name)).unwrap();
        }
        self
    }

    /// Runs `feedfold ARGS --config <project>/config.toml`.
    pub fn feedfold(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_feedfold"));
        command
            .args(args)
            .arg("--config")
            .arg(self.path("config.toml"))
            .env_remove("FEEDFOLD_CONFIG")
            .env_remove("RUST_LOG");
        command.output().expect("run feedfold")
    }

    /// Writes `text` to `relative` in the project, making its folders.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }
}

/// The ids of the items of a JSON Feed document, in order.
pub fn json_feed_ids(json: &str) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("not whole JSON: {e}"));
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// Standard output and error as text, for assertions and messages.
pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts that `feedfold dups` lists no copy folded into another
/// article in `project`'s store.
pub fn assert_nothing_folded(project: &Project) {
    let (stdout, stderr) = text(&project.feedfold(&["dups"]));
    assert!(
        stdout.contains("no copy was folded into another article"),
        "{stdout}{stderr}"
    );
}

/// Runs `feedfold ARGS` with no config option, in `dir`.
pub fn feedfold_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(args)
        .current_dir(dir)
        .env_remove("FEEDFOLD_CONFIG")
        .output()
        .expect("run feedfold")
}

/// What `benches/fetch-feed-corpora.sh` fetched (feedparser's test suite,
/// real feed files, a Python feedparser), in `FEED_CORPORA` or
/// `target/feed-corpora` (see [`shared::present_or_skipped`]).
pub fn feed_corpora() -> Option<PathBuf> {
    let dir = std::env::var_os("FEED_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/feed-corpora"));
    shared::present_or_skipped(&dir, "the feed agreement tests")
}

/// The dump generator the benchmarks use, for tests that need large input.
#[path = "../../benches/support/dumpgen.rs"]
pub mod dumpgen;

/// A generated dump of `articles` articles from `seed`.
pub fn generated_dump(seed: u64, articles: usize) -> String {
    let mut generator = dumpgen::DumpGen::new(seed);
    let mut dump = String::new();
    for _ in 0..articles {
        generator.push_article(&mut dump);
    }
    dump
}

/// Runs the independent feed checkers on the published files, when they are
/// installed; under `CI=true` they must be.
pub fn check_feeds(files: &[PathBuf]) {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/feedcheck/check-feeds.sh");
    let home = std::env::var("FEEDCHECK_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(&std::env::var("HOME").unwrap_or_default()).join(".cache/feedcheck")
        });
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if !script.exists() || !home.join("venv/bin/python").exists() {
        assert!(!ci, "the feed checkers are not installed and CI=true");
        eprintln!(
            "skipped: the feed checkers are not installed ({})",
            script.display()
        );
        return;
    }
    let output = std::process::Command::new("bash")
        .arg(&script)
        .args(files)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "check-feeds failed:\n{stdout}\n{stderr}"
    );
}

/// Whether `program` is on the PATH. Absent, the calling test is skipped with
/// a message naming the Debian `package` that has it, except under
/// `CI=true`, where it fails.
pub fn installed(program: &str, package: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|dir| dir.join(program).is_file()) {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{program} is not installed and CI=true (apt-get install {package})");
    }
    eprintln!("skipped: {program} is not installed (apt-get install {package})");
    false
}

/// `count` generated articles, each as its own block of dump text.
pub fn dump_stories(seed: u64, count: usize) -> Vec<String> {
    let mut generator = dumpgen::DumpGen::new(seed);
    (0..count)
        .map(|_| {
            let mut story = String::new();
            generator.push_article(&mut story);
            story
        })
        .collect()
}

/// The same story under its headline with a site name added: a
/// near-duplicate (rule `folded-headline`), not an exact repeat.
pub fn retitled(story: &str) -> String {
    let headline = story.lines().next().unwrap_or_default();
    story.replace(
        &format!("{headline}\n"),
        &format!("{headline} - The Courier\n"),
    )
}

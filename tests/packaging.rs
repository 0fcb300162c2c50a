//! The Debian package's pieces, checked without installing it: the systemd
//! units pass `systemd-analyze verify` and its offline security review,
//! their command lines are ones the binary accepts, and the packaged config
//! runs cycles once its state folder is moved somewhere writable.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{installed, json_feed_ids, text};

const UNITS: [&str; 3] = [
    "feedfold.service",
    "feedfold-run.service",
    "feedfold-run.timer",
];
const SERVICES: [&str; 2] = ["feedfold.service", "feedfold-run.service"];
const INSTALLED_BINARY: &str = "/usr/bin/feedfold";
const STATE: &str = "/var/lib/feedfold";

fn packaging(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("packaging")
        .join(relative)
}

/// The units in `dir`, their commands pointing at the binary under test.
fn units_in(dir: &Path) -> Vec<PathBuf> {
    UNITS
        .iter()
        .map(|unit| {
            let text = std::fs::read_to_string(packaging(&format!("debian/{unit}"))).unwrap();
            let path = dir.join(unit);
            let text = text.replace(INSTALLED_BINARY, env!("CARGO_BIN_EXE_feedfold"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

#[test]
fn units_pass_systemd_analyze_verify() {
    if !installed("systemd-analyze", "systemd") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(units_in(dir.path()))
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.is_empty(), "verify complained:\n{stderr}");
}

#[test]
fn services_are_hardened() {
    if !installed("systemd-analyze", "systemd") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let units = units_in(dir.path());
    for service in SERVICES {
        let path = units.iter().find(|u| u.ends_with(service)).unwrap();
        let output = Command::new("systemd-analyze")
            .args(["security", "--offline=yes", "--no-pager"])
            .arg(path)
            .output()
            .unwrap();
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}\n{stderr}");
        // "→ Overall exposure level for feedfold.service: 1.2 OK 🙂"
        let exposure: f64 = stdout
            .lines()
            .find_map(|line| line.split_once("Overall exposure level for "))
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|score| score.parse().ok())
            .unwrap_or_else(|| panic!("no exposure level:\n{stdout}"));
        assert!(
            exposure <= 2.0,
            "{service}: exposure {exposure} above 2.0:\n{stdout}"
        );
    }
}

#[test]
fn unit_commands_are_ones_the_binary_accepts() {
    for service in SERVICES {
        let unit = std::fs::read_to_string(packaging(&format!("debian/{service}"))).unwrap();
        let command = unit
            .lines()
            .find_map(|line| line.strip_prefix("ExecStart="))
            .unwrap_or_else(|| panic!("{service} has no ExecStart"));
        let mut words = command.split_whitespace();
        assert_eq!(words.next(), Some(INSTALLED_BINARY), "{service}");
        let args: Vec<&str> = words.collect();
        assert!(
            args.windows(2)
                .any(|pair| pair == ["--config", "/etc/feedfold/config.toml"]),
            "{service} reads another config: {command}"
        );
        // Options clap rejects fail before --help is reached.
        let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(&args)
            .arg("--help")
            .output()
            .unwrap();
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{service}: {stderr}");
        assert!(stdout.contains("Usage: feedfold"), "{stdout}");
    }
}

#[test]
fn packaged_config_runs_cycles_in_its_state_folder() {
    let state = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(packaging("config.toml")).unwrap();
    assert!(
        config.contains(STATE),
        "the packaged config keeps state in {STATE}"
    );
    let config_path = state.path().join("config.toml");
    std::fs::write(
        &config_path,
        config.replace(STATE, state.path().to_str().unwrap()),
    )
    .unwrap();
    let run = || {
        let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
            .args(["run", "--quiet", "--config"])
            .arg(&config_path)
            .env_remove("RUST_LOG")
            .output()
            .unwrap();
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "{stdout}\n{stderr}");
        assert!(
            stdout.is_empty() && stderr.is_empty(),
            "`run --quiet` prints nothing when all is well, an empty drop folder too: {stdout}\n{stderr}"
        );
    };
    // As installed: the drop folder is there and empty.
    std::fs::create_dir(state.path().join("dumps")).unwrap();
    run();
    let feed = |name: &str| {
        std::fs::read_to_string(state.path().join("feeds").join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    assert!(json_feed_ids(&feed("news.json")).is_empty());
    assert!(feed("news.rss").contains("<rss"));
    assert!(feed("news.atom").contains("<feed"));
    assert!(state.path().join("feedfold.db").is_file());

    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for entry in std::fs::read_dir(samples).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(
                &path,
                state.path().join("dumps").join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    run();
    assert!(!json_feed_ids(&feed("news.json")).is_empty());
}

//! `feedfold completions` and `feedfold man` through the binary: the scripts
//! load in their shells and complete commands, the man pages render with
//! `man` and describe every command.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{installed, text};

const COMMANDS: [&str; 8] = [
    "run",
    "serve",
    "parse",
    "dups",
    "sources",
    "store",
    "completions",
    "man",
];

fn feedfold(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(args)
        .env_remove("FEEDFOLD_CONFIG")
        .output()
        .expect("run feedfold");
    let (_, stderr) = text(&output);
    assert!(output.status.success(), "feedfold {args:?}: {stderr}");
    assert!(stderr.is_empty(), "feedfold {args:?}: {stderr}");
    output
}

/// The completion script for `shell`, saved in `dir`.
fn script(shell: &str, dir: &Path) -> std::path::PathBuf {
    let output = feedfold(&["completions", shell]);
    let (script, _) = text(&output);
    for command in COMMANDS {
        assert!(script.contains(command), "{shell}: {command} missing");
    }
    let path = dir.join(format!("feedfold.{shell}"));
    std::fs::write(&path, script).unwrap();
    path
}

/// Runs `program args...`, asserting success; standard output as text.
fn run_ok(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap();
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{stdout}\n{stderr}"
    );
    stdout
}

#[test]
fn bash_loads_the_completions_and_completes_commands_and_shells() {
    let dir = tempfile::tempdir().unwrap();
    let script = script("bash", dir.path());
    let script = script.to_str().unwrap();
    run_ok("bash", &["-n", script]);
    // Calls the completion function as bash would for `feedfold WORDS<TAB>`.
    let complete = |words: &str| {
        let program = format!(
            "source {script}
             COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
             COMP_LINE=\"{words}\"; COMP_POINT=${{#COMP_LINE}}
             _feedfold feedfold \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\" 2>/dev/null
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let replies = run_ok("bash", &["-c", &program]);
        replies.lines().map(str::to_string).collect::<Vec<_>>()
    };
    let replies = complete("feedfold s");
    assert_eq!(replies, ["serve", "sources", "store"], "{replies:?}");
    let replies = complete("feedfold completions ''");
    for shell in ["bash", "zsh", "fish"] {
        assert!(replies.iter().any(|r| r == shell), "{replies:?}");
    }
    let replies = complete("feedfold sources ''");
    assert!(replies.iter().any(|r| r == "import"), "{replies:?}");
    assert!(replies.iter().any(|r| r == "export"), "{replies:?}");
    assert!(replies.iter().any(|r| r == "reset"), "{replies:?}");
    let replies = complete("feedfold sources import --");
    assert!(replies.iter().any(|r| r == "--feed"), "{replies:?}");
}

#[test]
fn zsh_accepts_the_completions() {
    let dir = tempfile::tempdir().unwrap();
    let script = script("zsh", dir.path());
    let contents = std::fs::read_to_string(&script).unwrap();
    assert!(contents.starts_with("#compdef feedfold"), "{contents}");
    if installed("zsh", "zsh") {
        run_ok("zsh", &["-n", script.to_str().unwrap()]);
    }
}

#[test]
fn fish_loads_the_completions_and_completes_commands() {
    let dir = tempfile::tempdir().unwrap();
    let script = script("fish", dir.path());
    if !installed("fish", "fish") {
        return;
    }
    let script = script.to_str().unwrap();
    run_ok("fish", &["-n", script]);
    let replies = run_ok(
        "fish",
        &[
            "--no-config",
            "-c",
            &format!("source {script}; complete -C 'feedfold s'"),
        ],
    );
    let names: Vec<&str> = replies
        .lines()
        .map(|line| line.split('\t').next().unwrap())
        .collect();
    assert_eq!(names, ["serve", "sources", "store"], "{replies}");
    // The values of a command's argument, as bash and zsh offer them.
    let replies = run_ok(
        "fish",
        &[
            "--no-config",
            "-c",
            &format!("source {script}; complete -C 'feedfold completions '"),
        ],
    );
    let mut names: Vec<&str> = replies
        .lines()
        .map(|line| line.split('\t').next().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["bash", "elvish", "fish", "powershell", "zsh"],
        "{replies}"
    );
}

/// `page` as `man` shows it, plain text at a fixed width.
fn render(page: &Path) -> String {
    let output = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(
        output.status.success(),
        "man -l {}: {stderr}",
        page.display()
    );
    assert!(stderr.is_empty(), "man -l {}: {stderr}", page.display());
    stdout
}

#[test]
fn man_page_renders_with_its_sections_and_every_command() {
    let output = feedfold(&["man"]);
    let (roff, _) = text(&output);
    assert!(roff.contains(".TH feedfold 1"), "{roff}");
    if !installed("man", "man-db") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("feedfold.1");
    std::fs::write(&page, roff).unwrap();
    let shown = render(&page);
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "SUBCOMMANDS",
        "CONFIGURATION",
        "EXAMPLES",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "VERSION",
    ] {
        assert!(
            shown.lines().any(|line| line == section),
            "{section} missing:\n{shown}"
        );
    }
    for command in COMMANDS {
        assert!(
            shown.contains(&format!("feedfold-{command}(1)")),
            "{command} missing:\n{shown}"
        );
    }
    assert!(shown.contains("feedfold run --quiet"), "{shown}");
    assert!(shown.contains("FEEDFOLD_CONFIG"), "{shown}");
    assert!(shown.contains("/etc/feedfold/config.toml"), "{shown}");
}

#[test]
fn man_dir_writes_a_page_per_command_each_rendering() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let output = feedfold(&["man", "--dir", pages.to_str().unwrap()]);
    let (listed, _) = text(&output);
    let mut names: Vec<String> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "feedfold-completions.1",
            "feedfold-dups.1",
            "feedfold-man.1",
            "feedfold-parse.1",
            "feedfold-run.1",
            "feedfold-serve.1",
            "feedfold-sources-export.1",
            "feedfold-sources-import.1",
            "feedfold-sources-rename.1",
            "feedfold-sources-reset.1",
            "feedfold-sources.1",
            "feedfold-store-copy.1",
            "feedfold-store.1",
            "feedfold.1",
        ]
    );
    assert_eq!(listed.lines().count(), names.len(), "{listed}");
    for name in &names {
        assert!(listed.contains(&pages.join(name).display().to_string()));
    }
    if !installed("man", "man-db") {
        return;
    }
    let run = render(&pages.join("feedfold-run.1"));
    assert!(run.contains("--quiet"), "{run}");
    assert!(run.contains("--config"), "{run}");
    let import = render(&pages.join("feedfold-sources-import.1"));
    assert!(import.contains("OPML"), "{import}");
    let reset = render(&pages.join("feedfold-sources-reset.1"));
    assert!(reset.contains("--all"), "{reset}");
    let rename = render(&pages.join("feedfold-sources-rename.1"));
    assert!(rename.contains("before the next run"), "{rename}");
    assert!(import.contains("--feed"), "{import}");
    let serve = render(&pages.join("feedfold-serve.1"));
    assert!(
        serve.contains("--bind") && serve.contains("HOST:PORT"),
        "{serve}"
    );
    let parse = render(&pages.join("feedfold-parse.1"));
    assert!(parse.contains("standard input"), "{parse}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_feedfold"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("tcsh") && stderr.contains("bash"),
        "{stderr}"
    );
}

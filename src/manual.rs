//! Manual pages and shell completion scripts, generated from the clap
//! definitions in `cli.rs` so that they say what `--help` says. Rendering
//! happens in memory; `main.rs` writes the bytes where they belong.

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use roff::{Roff, bold, roman};

use crate::cli::{Cli, EXAMPLES, EXIT_STATUS};

/// The manual the pages belong to, shown in each page's header.
const MANUAL: &str = "feedfold manual";

/// Environment variables feedfold reads, for the ENVIRONMENT section.
fn environment() -> [(&'static str, String); 5] {
    [
        (
            "FEEDFOLD_CONFIG",
            "The config file when --config is not given.".to_string(),
        ),
        (
            feedfold::config::STORE_URL_VAR,
            "A PostgreSQL store (postgres://user:password@host:port/db) used in place of \
             [store] in the config, so that no password need sit in it; store copy does not \
             read it."
                .to_string(),
        ),
        (
            feedfold::config::TOKEN_VAR,
            "The push API's bearer token for serve; overrides [server] token and is read as \
             it is: surrounding white space (a secret file's newline) trimmed, and a blank \
             one refused."
                .to_string(),
        ),
        (
            "RUST_LOG",
            format!(
                "What is logged to standard error, deciding in place of -q, -v and -vv; for \
                 example feedfold=debug. Unset or blank, the filter is {}: feedfold's own \
                 events at info (debug with -v, trace with -vv, only warnings and errors with \
                 -q, less those about what a source holds) and other crates' warnings.",
                crate::logging::filter(0, false, None)
            ),
        ),
        (
            "NO_COLOR",
            "Set and not empty, the log and the help are never coloured, on a terminal too."
                .to_string(),
        ),
    ]
}

/// The README, whose Configuration section opens with an example config
/// that holds every key, each with what it means.
const README: &str = include_str!("../README.md");

/// The example config that opens the README's Configuration section, for
/// the CONFIGURATION section.
fn config_example() -> &'static str {
    README
        .split_once("\n## Configuration\n")
        .and_then(|(_, section)| section.split_once("```toml\n"))
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .map_or("", |(example, _)| example)
}

/// Files feedfold reads or a packaged install places, for the FILES section.
const FILES: [(&str, &str); 3] = [
    (
        "config.toml",
        "The config read when neither --config nor FEEDFOLD_CONFIG names one; \
         relative paths in a config resolve against its folder.",
    ),
    (
        "/etc/feedfold/config.toml",
        "The config the Debian package installs and its systemd units \
         (feedfold.service, feedfold-run.service, feedfold-run.timer) read.",
    ),
    (
        "/var/lib/feedfold",
        "Where the packaged config keeps the store (feedfold.db) and the published feeds (feeds/).",
    ),
];

/// The completion script for `shell`, completing the `feedfold` command.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "feedfold", &mut script);
    if shell == Shell::Fish {
        script.extend(fish_argument_values().into_bytes());
    }
    script
}

/// Fish completions for the values of the commands' arguments (`feedfold
/// completions <TAB>` offers the shells), which clap_complete's fish script
/// leaves out while its bash and zsh scripts offer them.
fn fish_argument_values() -> String {
    let mut lines = String::new();
    for command in Cli::command().get_subcommands() {
        for argument in command.get_positionals() {
            let values: Vec<String> = argument
                .get_possible_values()
                .iter()
                .filter(|value| !value.is_hide_set())
                .map(|value| value.get_name().to_string())
                .collect();
            if !values.is_empty() {
                lines.push_str(&format!(
                    "complete -c feedfold -n \"__fish_feedfold_using_subcommand {}\" -f -a \"{}\"\n",
                    command.get_name(),
                    values.join(" ")
                ));
            }
        }
    }
    lines
}

/// feedfold(1): synopsis, options and the list of commands, then examples,
/// exit status, environment and files.
pub fn main_page() -> Vec<u8> {
    let man = page_for(command_tree());
    let mut page = Vec::new();
    write_main_page(&man, &mut page).expect("writing to memory cannot fail");
    page
}

fn write_main_page(man: &Man, page: &mut Vec<u8>) -> std::io::Result<()> {
    man.render_title(page)?;
    man.render_name_section(page)?;
    man.render_synopsis_section(page)?;
    man.render_description_section(page)?;
    man.render_options_section(page)?;
    man.render_subcommands_section(page)?;
    closing_sections().to_writer(page)?;
    man.render_version_section(page)
}

/// Every page as (file name, roff): feedfold.1 and one page per command
/// and subcommand (feedfold-run.1, feedfold-sources-import.1, ...).
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let mut pages = vec![("feedfold.1".to_string(), main_page())];
    command_pages(&command_tree(), &mut pages);
    pages
}

fn command_pages(parent: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
    for command in parent.get_subcommands() {
        let man = page_for(command.clone());
        let mut page = Vec::new();
        man.render(&mut page)
            .expect("writing to memory cannot fail");
        pages.push((man.get_filename(), page));
        command_pages(command, pages);
    }
}

/// The commands as the pages describe them: built (so subcommands carry
/// their full names, `feedfold-run`), without clap's `help` subcommand.
fn command_tree() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

fn page_for(command: clap::Command) -> Man {
    Man::new(command)
        .date(page_date())
        .source(format!("feedfold {}", env!("CARGO_PKG_VERSION")))
        .manual(MANUAL)
}

/// The month the pages were made, as help2man writes it ("December 2026"):
/// from `SOURCE_DATE_EPOCH` when set, so that a package build is
/// reproducible, else now.
fn page_date() -> String {
    month_made(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
}

fn month_made(source_date_epoch: Option<&str>) -> String {
    let made = source_date_epoch
        .and_then(|epoch| epoch.trim().parse().ok())
        .and_then(|epoch| chrono::DateTime::from_timestamp(epoch, 0))
        .unwrap_or_else(chrono::Utc::now);
    made.format("%B %Y").to_string()
}

fn closing_sections() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["CONFIGURATION"]).text([roman(
        "The config file is TOML. Every key, with its default or an example value \
         and what it means, follows; relative paths resolve against the config's \
         folder, and a leading ~/ is the home folder. The Configuration section of \
         README.md (/usr/share/doc/feedfold/README.md on a packaged install) says more.",
    )]);
    roff.control("PP", []).control("nf", []);
    for line in config_example().lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
    roff.control("SH", ["EXAMPLES"]).control("nf", []);
    // `--help` indents the examples by two; the page indents them already.
    for line in EXAMPLES.lines() {
        roff.text([roman(line.strip_prefix("  ").unwrap_or(line))]);
    }
    roff.control("fi", []);
    roff.control("SH", ["EXIT STATUS"])
        .text([roman(EXIT_STATUS.replace('\n', " "))]);
    let files = FILES.map(|(name, meaning)| (name, meaning.to_string()));
    for (heading, entries) in [("ENVIRONMENT", &environment()[..]), ("FILES", &files[..])] {
        roff.control("SH", [heading]);
        for (name, meaning) in entries {
            roff.control("TP", [])
                .text([bold(*name)])
                .text([roman(meaning.as_str())]);
        }
    }
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("roff is UTF-8")
    }

    #[test]
    fn main_page_has_a_full_header_and_lists_every_command() {
        let page = main_page();
        let page = text(&page);
        // Title, section, date, source, manual: none left empty.
        let header = page.lines().find(|l| l.starts_with(".TH ")).unwrap();
        let month = "(January|February|March|April|May|June|July|August|September|October|November|December)";
        let pattern = format!(
            r#"^\.TH feedfold 1 "{month} \d{{4}}" "feedfold \d+\.\d+\.\d+" "feedfold manual"$"#
        );
        assert!(
            regex::Regex::new(&pattern).unwrap().is_match(header),
            "{header}"
        );
        for command in Cli::command().get_subcommands() {
            assert!(
                page.contains(&format!("feedfold\\-{}(1)", command.get_name())),
                "{} is not listed",
                command.get_name()
            );
        }
        assert!(!page.contains("feedfold\\-help"), "{page}");
    }

    #[test]
    fn environment_names_every_variable_read_and_the_real_log_default() {
        let page = main_page();
        let page = text(&page);
        let environment =
            &page[page.find(".SH ENVIRONMENT").unwrap()..page.find(".SH FILES").unwrap()];
        for var in [
            "FEEDFOLD_CONFIG",
            "FEEDFOLD_TOKEN",
            "RUST_LOG",
            "NO_COLOR",
            feedfold::config::STORE_URL_VAR,
        ] {
            assert!(environment.contains(var), "{var} missing: {environment}");
        }
        let default = crate::logging::filter(0, false, None);
        assert!(environment.contains(&default), "{environment}");
        assert!(!environment.contains("default: warn)"), "{environment}");
    }

    #[test]
    fn the_main_page_shows_every_config_key() {
        let page = main_page();
        let page = text(&page);
        let configuration =
            &page[page.find(".SH CONFIGURATION").unwrap()..page.find(".SH EXAMPLES").unwrap()];
        for key in [
            "[store]",
            "url = ",
            "websub_hub = ",
            "allow_private = ",
            "push_sources = ",
            "[schedule]",
            "full_text = ",
            "max_pages = ",
            "limit = ",
            "max_distance = ",
        ] {
            assert!(
                configuration.contains(key),
                "{key} missing: {configuration}"
            );
        }
        assert!(!configuration.contains("```"), "{configuration}");
    }

    #[test]
    fn every_section_the_main_page_points_to_is_on_it() {
        // The config example comes from the README: a pointer to one of
        // the README's sections would lead nowhere here.
        let page = main_page();
        let page = text(&page);
        let headings: Vec<String> = page
            .lines()
            .filter_map(|l| l.strip_prefix(".SH ").or_else(|| l.strip_prefix(".SS ")))
            .map(|heading| heading.trim_matches('"').to_lowercase())
            .collect();
        let pointer = regex::Regex::new(r#"see "([^"]+)""#).unwrap();
        for found in pointer.captures_iter(page) {
            let name = found[1].to_lowercase();
            assert!(
                headings.contains(&name),
                "{} points to a section the page lacks (it has {headings:?})",
                &found[0]
            );
        }
    }

    #[test]
    fn pages_are_dated_by_source_date_epoch_when_set() {
        assert_eq!(month_made(Some("1700000000")), "November 2023");
        let now = chrono::Utc::now().format("%B %Y").to_string();
        assert_eq!(month_made(None), now);
        assert_eq!(month_made(Some("not a number")), now);
    }

    #[test]
    fn pages_cover_every_command_and_subcommand() {
        let names: Vec<String> = pages().into_iter().map(|(name, _)| name).collect();
        for name in [
            "feedfold.1",
            "feedfold-run.1",
            "feedfold-serve.1",
            "feedfold-parse.1",
            "feedfold-dups.1",
            "feedfold-sources.1",
            "feedfold-sources-reset.1",
            "feedfold-sources-rename.1",
            "feedfold-sources-import.1",
            "feedfold-sources-export.1",
            "feedfold-store.1",
            "feedfold-store-copy.1",
            "feedfold-completions.1",
            "feedfold-man.1",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} missing: {names:?}");
        }
        assert_eq!(names.len(), 14, "{names:?}");
    }

    #[test]
    fn a_command_page_shows_its_options() {
        let pages = pages();
        let (_, run) = pages
            .iter()
            .find(|(name, _)| name == "feedfold-run.1")
            .unwrap();
        let run = text(run);
        assert!(run.contains(".TH feedfold-run 1 \""), "{run}");
        assert!(run.contains("\\-\\-quiet"), "{run}");
        assert!(
            run.contains("feedfold 0."),
            "the version names feedfold: {run}"
        );
    }

    #[test]
    fn completion_scripts_name_every_command() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let script = completion_script(shell);
            let script = text(&script);
            for command in ["run", "serve", "parse", "dups", "sources", "import", "man"] {
                assert!(script.contains(command), "{shell}: {command} missing");
            }
        }
    }
}

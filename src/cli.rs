//! Command-line definitions (clap).

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand};

/// Typical invocations, shown by `--help` and in the manual page. Each
/// line is indented by two (a `\` line continuation would eat the first
/// line's indent).
pub const EXAMPLES: &str =
    "  feedfold run                        one cycle over every source in ./config.toml
  feedfold run --quiet -c /etc/feedfold/config.toml
                                      the same from cron: prints only failures and backoff
  feedfold -v run                     the same, logging each source, fetch and fold decision
  feedfold serve --bind 0.0.0.0:8080  feeds over HTTP, ingesting on each source's interval
  feedfold sources                    each source's last result, failures and next attempt
  feedfold sources reset wire         fetch source wire at once on the next run
  feedfold sources rename wire reuters
                                      carry source wire over to its new name in config.toml
  feedfold sources import subs.opml   add a reader's subscriptions as [[source]]s
  feedfold sources export > subs.opml the feed sources as OPML 2.0
  feedfold parse dump.txt             how a dump folds, touching nothing
  feedfold parse --json a.txt b.txt   one JSON object per article
  feedfold parse --json page.html     the article an HTML page holds
  feedfold parse https://example.org/rss.xml
                                      how an upstream feed maps to articles
  feedfold dups --since 2026-11-01    which copies were folded into which article, and why
  feedfold store copy sqlite:feedfold.db postgres://feedfold@db.example/feeds
                                      move a store to PostgreSQL, same ids
  feedfold completions bash > /etc/bash_completion.d/feedfold
                                      tab completion for bash (also zsh, fish)
  feedfold man | man -l -             this manual as a man page";

/// What the exit status means, for `--help` and the manual page.
pub const EXIT_STATUS: &str = "\
0 all went well, 1 a source or feed failed (the others were
still ingested and published), 2 a config or usage error.";

/// Folds repeated news into one clean article and publishes feeds.
#[derive(Debug, Parser)]
#[command(
    name = "feedfold",
    version,
    about,
    after_help = format!("Examples:\n{EXAMPLES}\n\nExit status: {EXIT_STATUS}")
)]
pub struct Cli {
    /// The config file; relative paths in it resolve against its folder.
    #[arg(
        short,
        long,
        global = true,
        env = "FEEDFOLD_CONFIG",
        default_value = "config.toml"
    )]
    pub config: PathBuf,

    /// Whether the config was named (`--config`, `FEEDFOLD_CONFIG`) rather
    /// than left to its default: `parse` reads only a config named so.
    #[arg(skip)]
    pub config_named: bool,

    /// Log more on standard error: -v debug (each source, fetch and fold
    /// decision), -vv trace (candidates weighed too). RUST_LOG, when set,
    /// decides instead.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Log only warnings and errors, and none of the warnings about what a
    /// source holds; `run` prints only the sources that failed or are
    /// backing off, failed feeds, and feeds that moved permanently (for
    /// cron).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// What clap's definitions cannot say: `sources --json` lists the
    /// sources, and so takes no subcommand.
    pub fn check(&self) -> Result<(), clap::Error> {
        match &self.command {
            Command::Sources(SourcesArgs {
                json: true,
                command: Some(_),
            }) => Err(<Cli as clap::CommandFactory>::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                "`--json` goes with `feedfold sources` alone, which lists the sources; \
                 its subcommands take no `--json`",
            )),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one cycle: read every source, fold, store, publish the feeds.
    Run,
    /// Serve the feeds over HTTP and ingest every source on its interval.
    Serve(ServeArgs),
    /// Show the articles dumps, pages and feeds (files or URLs) hold, without
    /// touching the store or the feeds.
    Parse(ParseArgs),
    /// List the copies folded into stored articles: rule, distance, places.
    Dups(DupsArgs),
    /// Show each source's fetch state, clear it, carry a source over to a
    /// new name, or bring subscriptions in from OPML and list them as OPML.
    Sources(SourcesArgs),
    /// Work on stores as a whole.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Print a shell completion script to standard output.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output, or write a page per
    /// command into a folder.
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy everything one store holds into another (idempotent), then
    /// verify the counts.
    Copy {
        /// `sqlite:PATH` or `postgres://user:password@host:port/db`.
        from: String,
        /// `sqlite:PATH` or `postgres://…` (FEEDFOLD_STORE_URL is not read).
        to: String,
    },
}

/// `feedfold sources` alone shows every source's state. Its `--json`
/// goes with no subcommand ([`Cli::check`]); the global options go
/// anywhere, between `sources` and its subcommand too.
#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// One JSON object per source per line instead of text (with no
    /// subcommand).
    #[arg(long)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Option<SourcesCommand>,
}

#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Clear sources' fetch state (backoff, validators): the next run
    /// fetches them at once.
    Reset {
        /// The sources to reset.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        names: Vec<String>,
        /// Reset every source.
        #[arg(long)]
        all: bool,
    },
    /// Carry everything the store keeps under a source's old name over to
    /// its new one: run it after renaming the [[source]] in the config, and
    /// before the next run.
    ///
    /// The source's entries keep their ids and are known under the new name
    /// (an edited one updates its article in place), its sightings, folds,
    /// fetch state (validators, backoff), pages fetched and cycles come
    /// along, in one transaction. Refused, changing nothing, when the
    /// config still names OLD or has no [[source]] named NEW, when the store
    /// holds nothing under OLD or anything under NEW already, or when NEW
    /// was another source's name before a rename.
    Rename {
        /// The name the store knows the source by, which the config no
        /// longer has.
        old: String,
        /// The name the source's [[source]] in the config has now.
        new: String,
    },
    /// Append every feed of an OPML file that the config lacks as a
    /// [[source]], and show them in a feed: the one given, else the only one.
    Import {
        /// The OPML file, as any feed reader exports it.
        file: PathBuf,
        /// Show the file's feeds (new ones and those the config had) in this
        /// [[feed]], adding them to its `sources`; a name no feed has makes a
        /// new feed of them.
        #[arg(long, value_name = "NAME")]
        feed: Option<String>,
    },
    /// Print the config's feed sources as OPML 2.0.
    ///
    /// Each URL is printed as the config gives it, credentials and query
    /// values included, since a reader that imports the list needs the URL
    /// that works: keep the file as private as the config. A feed source
    /// read from a local file is left out, with a warning naming it on
    /// standard error.
    Export,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Listen here instead of `[server] bind`: an address or a host name,
    /// and a port (0 picks a free port).
    #[arg(long, value_name = "HOST:PORT")]
    pub bind: Option<feedfold::config::BindAddress>,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Dump files, feed files (RSS, Atom, JSON Feed), HTML pages or feed URLs
    /// to read; `-` reads standard input (any of the three).
    #[arg(required = true)]
    pub inputs: Vec<std::ffi::OsString>,

    /// One JSON object per article per line instead of a summary.
    #[arg(long)]
    pub json: bool,

    /// Show feed entries' ids as a source of this name would store them.
    #[arg(long, default_value = "parse", value_parser = parse_source_name)]
    pub source: String,
}

#[derive(Debug, Args)]
pub struct DupsArgs {
    /// One JSON object per folded copy per line instead of text.
    #[arg(long)]
    pub json: bool,

    /// Only copies folded at or after this date (YYYY-MM-DD, UTC) or
    /// moment (RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write feedfold.1 and one page per command (feedfold-run.1, ...) into
    /// this folder, printing each path, instead of feedfold.1 to standard
    /// output.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `2026-11-01` (midnight UTC) or `2026-11-01T08:00:00+01:00`.
/// A `--source` name, checked as a config's source names are.
fn parse_source_name(text: &str) -> Result<String, String> {
    feedfold::config::check_source_name(text).map(|()| text.to_string())
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{text:?} is not a date such as 2026-11-01 or 2026-11-01T08:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_indents_every_example_alike() {
        use clap::CommandFactory;
        let help = Cli::command().render_help().to_string();
        let examples = &help[help.find("Examples:\n").expect("examples") + "Examples:\n".len()..];
        let examples = &examples[..examples.find("\n\n").unwrap()];
        assert_eq!(examples.lines().count(), EXAMPLES.lines().count(), "{help}");
        for line in examples.lines() {
            assert!(
                line.starts_with("  feedfold ") || line.starts_with("    "),
                "{line:?} in\n{help}"
            );
        }
    }

    #[test]
    fn the_parse_summary_names_every_kind_of_input() {
        use clap::CommandFactory;
        let command = Cli::command();
        let parse = command.find_subcommand("parse").unwrap();
        let about = parse.get_about().unwrap().to_string();
        for kind in ["dumps", "pages", "feed"] {
            assert!(about.contains(kind), "{kind}: {about}");
        }
    }

    #[test]
    fn parse_takes_only_a_name_a_source_may_have() {
        let parse = |name: &str| Cli::try_parse_from(["feedfold", "parse", "--source", name, "x"]);
        assert!(parse("wire-2.local").is_ok());
        for bad in ["bad name!", ""] {
            let error = parse(bad).unwrap_err();
            assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
            assert!(error.to_string().contains("use letters, digits"), "{error}");
        }
    }

    #[test]
    fn since_takes_a_day_or_a_moment() {
        assert_eq!(
            parse_since("2026-11-01").unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_since("2026-11-01T08:00:00+01:00")
                .unwrap()
                .to_rfc3339(),
            "2026-11-01T07:00:00+00:00"
        );
        assert!(parse_since("yesterday").unwrap_err().contains("2026-11-01"));
    }
}

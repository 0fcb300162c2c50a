//! The feedfold binary: parses the command line, loads the config and runs
//! one command. `anyhow` lives only here.

mod cli;
mod logging;
mod manual;

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use chrono::{SubsecRound, Utc};
use clap::Parser;

use cli::{
    Cli, Command, CompletionsArgs, DupsArgs, ManArgs, ParseArgs, ServeArgs, SourcesArgs,
    SourcesCommand, StoreCommand,
};
use feedfold::commands::{dups, parse as inspect, source_status, sources as opml, store_copy};
use feedfold::config::{Config, FeedLocation, FetchConfig};
use feedfold::ingest::fetch;
use feedfold::pipeline::progress::{Bar, Lines, Progress, Silent};
use feedfold::{ingest, pipeline, server, store};

/// Exit status when a source or a feed failed.
const EXIT_FAILED: u8 = 1;
/// Exit status for a config or usage error (clap uses it too).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.verbose, cli.quiet);
    let result = match &cli.command {
        Command::Run => run(&cli),
        Command::Serve(args) => serve(&cli, args),
        Command::Sources(args) => match &args.command {
            None => show_sources(&cli, args),
            Some(SourcesCommand::Reset { names, all: _ }) => reset_sources(&cli, names),
            Some(SourcesCommand::Import { file, feed }) => {
                import_sources(&cli, file, feed.as_deref())
            }
            Some(SourcesCommand::Export) => export_sources(&cli),
        },
        Command::Parse(args) => parse(args),
        Command::Dups(args) => list_dups(&cli, args),
        Command::Store(StoreCommand::Copy { from, to }) => copy_store(from, to),
        Command::Completions(args) => completions(args),
        Command::Man(args) => man(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("feedfold: error: {e:#}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

fn load_config(cli: &Cli) -> Result<Config, ExitCode> {
    Config::load(&cli.config).map_err(|e| {
        eprintln!("feedfold: config error: {e}");
        ExitCode::from(EXIT_USAGE)
    })
}

fn run(cli: &Cli) -> Result<ExitCode> {
    let began = Utc::now();
    let config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    let store = pipeline::open_store(&config).context("cannot open the store")?;
    let store = Arc::new(Mutex::new(store));
    let progress: Arc<dyn Progress> = if cli.quiet {
        Arc::new(Silent)
    } else if std::io::stderr().is_terminal() {
        Arc::new(Bar::default())
    } else {
        Arc::new(Lines)
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let report = runtime.block_on(pipeline::run_cycle(&config, &store, began, progress));
    if cli.quiet {
        // Cron mails what is printed: each problem, one line each.
        for problem in report.problems() {
            eprintln!("feedfold: {problem}");
        }
    } else {
        // The report stays on standard output, failed or not, so that
        // `run > report.txt` keeps it; each failure is repeated on
        // standard error.
        print!("{report}");
        let _ = std::io::stdout().flush();
        for failure in report.failures() {
            eprintln!("feedfold: {failure}");
        }
    }
    Ok(if report.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    })
}

fn serve(cli: &Cli, args: &ServeArgs) -> Result<ExitCode> {
    let mut config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    if let Some(bind) = &args.bind {
        config.server.bind = bind.clone();
    }
    let store = pipeline::open_store(&config).context("cannot open the store")?;
    let reader = feedfold::store::open(&config).context("cannot open the store")?;
    let token = std::env::var("FEEDFOLD_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| config.server.token.clone());
    if token.is_some() {
        for warning in config.push_warnings() {
            tracing::warn!("{warning}");
        }
    }
    let state = Arc::new(server::AppState::new(
        config,
        Arc::new(Mutex::new(store)),
        Arc::new(Mutex::new(reader)),
        token,
    )?);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let served = runtime.block_on(async {
        let shutdown = server::shutdown_on_signals();
        server::serve(state.clone(), shutdown, |addr| {
            println!("feedfold: serving on http://{addr}/");
            let _ = std::io::stdout().flush();
        })
        .await
    });
    // The runtime and its tasks go first, so the store is closed here,
    // outside any async context: a PostgreSQL client cannot close inside one.
    drop(runtime);
    drop(state);
    served?;
    Ok(ExitCode::SUCCESS)
}

fn show_sources(cli: &Cli, args: &SourcesArgs) -> Result<ExitCode> {
    let config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    // A store not made yet has fetched nothing: every source shows as never
    // fetched, and no empty store is left behind.
    let mut store = match store::open_existing(&config.store) {
        Err(store::StoreError::Missing { .. }) => {
            Box::new(store::sqlite::SqliteStore::open_in_memory()?)
        }
        opened => opened.context("cannot open the store")?,
    };
    let statuses = source_status::statuses(&config, &mut *store)?;
    let now = Utc::now().trunc_subsecs(0);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for status in &statuses {
        let text = if args.json {
            source_status::json_line(status, now)
        } else {
            source_status::human_lines(status, now)
        };
        if !write_line(&mut out, &text)? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    flush(&mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// Clears the fetch state of `names` (every source when empty, `--all`).
fn reset_sources(cli: &Cli, names: &[String]) -> Result<ExitCode> {
    let config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    // A store not made yet holds no fetch state: nothing to clear, and no
    // empty store is left behind (a wrong --config or folder, say).
    let mut store = match store::open_existing(&config.store) {
        Err(store::StoreError::Missing { .. }) => {
            Box::new(store::sqlite::SqliteStore::open_in_memory()?)
        }
        opened => opened.context("cannot open the store")?,
    };
    match source_status::reset(&config, &mut *store, names) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ source_status::ResetError::Unknown { .. }) => {
            eprintln!("feedfold: sources reset: {e}");
            Ok(ExitCode::from(EXIT_USAGE))
        }
        Err(e) => Err(e.into()),
    }
}

fn import_sources(cli: &Cli, file: &std::path::Path, feed: Option<&str>) -> Result<ExitCode> {
    let config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let subscriptions = opml::parse(&text, &file.display().to_string())?;
    let plan = opml::plan_import(&config, &subscriptions, feed);
    let current = std::fs::read_to_string(&cli.config)
        .with_context(|| format!("cannot read {}", cli.config.display()))?;
    opml::apply_import(&cli.config, &current, &plan)?;
    let imported = &plan.imported;
    for (name, url) in &imported.added {
        println!("added source {name}: {url}");
    }
    for (name, url) in &imported.already_present {
        println!("already present as {name}: {url}");
    }
    for (url, reason) in &imported.refused {
        println!("left out {url}: {reason}");
    }
    println!(
        "{}: {} source(s) added to {}, {} already present, {} left out",
        file.display(),
        imported.added.len(),
        cli.config.display(),
        imported.already_present.len(),
        imported.refused.len()
    );
    if let Some(line) = opml::shown_line(&imported.shown_in, file) {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

fn export_sources(cli: &Cli) -> Result<ExitCode> {
    let config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    let export = opml::export(&config);
    for (name, why) in &export.left_out {
        eprintln!("feedfold: sources export: left out source {name}: {why}");
    }
    print!("{}", export.opml);
    Ok(ExitCode::SUCCESS)
}

fn list_dups(cli: &Cli, args: &DupsArgs) -> Result<ExitCode> {
    let config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    let mut store = store::open_to_read(&config.store).context("cannot open the store")?;
    let folds = store.folds(args.since)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for fold in &folds {
        let text = if args.json {
            dups::json_line(fold)
        } else {
            dups::human_lines(fold)
        };
        if !write_line(&mut out, &text)? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    if !args.json {
        write_line(&mut out, &dups::summary(&folds))?;
    }
    flush(&mut out)?;
    Ok(ExitCode::SUCCESS)
}

fn copy_store(from: &str, to: &str) -> Result<ExitCode> {
    let locations = store_copy::location(from)
        .map_err(|e| format!("store copy: SRC: {e}"))
        .and_then(|from| {
            let to = store_copy::location(to).map_err(|e| format!("store copy: DST: {e}"))?;
            Ok((from, to))
        });
    let (from, to) = match locations {
        Ok(locations) => locations,
        Err(message) => {
            eprintln!("feedfold: {message}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let mut source = store::open_existing(&from).context("cannot open the store to copy")?;
    let mut destination = store::open_at(&to).context("cannot open the store to copy into")?;
    let copied = store::copy::copy(&mut *source, &mut *destination, &mut |records| {
        if records % 100_000 < 1000 {
            tracing::info!(records, "copying");
        }
    })?;
    print!("{}", store_copy::summary(&from, &to, &copied));
    Ok(ExitCode::SUCCESS)
}

fn parse(args: &ParseArgs) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    let mut runtime = None;
    // An input that is no URL or path feedfold reads is a usage error, as
    // it is in a config: each is named, and nothing is read.
    let mut locations = Vec::new();
    let mut unusable = false;
    for input in &args.inputs {
        if input == STANDARD_INPUT {
            locations.push(None);
            continue;
        }
        match feedfold::config::feed_location(input, std::path::Path::new("")) {
            Ok(location) => locations.push(Some(location)),
            Err(message) => {
                eprintln!("feedfold: parse: {message}");
                unusable = true;
            }
        }
    }
    if unusable {
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    // One fetcher for every input: its HTTP client is built for the first URL, if any.
    let fetcher = fetch::Fetcher::new(
        &FetchConfig::default(),
        &fetch::user_agent("https://feedfold.invalid"),
    )?;
    for (input, location) in args.inputs.iter().zip(locations) {
        let shown = match parse_input(args, input, location, &fetcher, &mut out, &mut runtime) {
            Ok(shown) => shown,
            Err(e) => {
                eprintln!("feedfold: {e:#}");
                failed = true;
                continue;
            }
        };
        if !shown {
            return Ok(ExitCode::SUCCESS);
        }
    }
    flush(&mut out)?;
    Ok(if failed {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

fn completions(args: &CompletionsArgs) -> Result<ExitCode> {
    write_stdout(&manual::completion_script(args.shell))
}

fn man(args: &ManArgs) -> Result<ExitCode> {
    let Some(dir) = &args.dir else {
        return write_stdout(&manual::main_page());
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (name, page) in manual::pages() {
        let path = dir.join(name);
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
        write_line(&mut out, &path.display().to_string())?;
    }
    flush(&mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes generated bytes to standard output; a reader that went away is
/// no error.
fn write_stdout(bytes: &[u8]) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(e).context("cannot write to standard output");
        }
        _ => flush(&mut out)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Flushes standard output; a reader that went away is no error.
fn flush(out: &mut impl Write) -> Result<()> {
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// What `parse` calls standard input, given as `-`.
const STANDARD_INPUT: &str = "-";

/// Parses and prints one input, read from `location` (standard input when
/// `None`); false when standard output went away.
fn parse_input(
    args: &ParseArgs,
    input: &str,
    location: Option<FeedLocation>,
    fetcher: &fetch::Fetcher,
    out: &mut impl Write,
    runtime: &mut Option<tokio::runtime::Runtime>,
) -> Result<bool> {
    let Some(location) = location else {
        return parse_standard_input(args, out);
    };
    let document = match location {
        FeedLocation::File(path) => {
            match inspect::sniff(&path).with_context(|| input.to_string())? {
                inspect::InputKind::Dump => {
                    return parse_dump(
                        args,
                        ingest::open_dump(&path, path.display().to_string())?,
                        input,
                        out,
                    );
                }
                inspect::InputKind::Page => {
                    let page = feedfold::ingest::page_files::read_page(&path)?;
                    return parse_page(args, page, input, out);
                }
                inspect::InputKind::Feed => fetcher
                    .read_file(&path)
                    .with_context(|| input.to_string())?,
            }
        }
        FeedLocation::Url(url) => {
            if runtime.is_none() {
                *runtime =
                    Some(tokio::runtime::Runtime::new().context("cannot start the async runtime")?);
            }
            let runtime = runtime.as_ref().expect("just made");
            match runtime
                .block_on(fetcher.fetch(&url, &fetch::Validators::default()))
                .with_context(|| input.to_string())?
            {
                fetch::Fetched::Document(document) => document,
                fetch::Fetched::NotModified => {
                    anyhow::bail!("{input}: answered 304 to an unconditional GET")
                }
            }
        }
    };
    parse_feed(args, &document, input, out)
}

/// Parses standard input as `parse` does a file: a dump (read as it
/// streams in), an HTML page or a feed document (each within its size
/// limit).
fn parse_standard_input(args: &ParseArgs, out: &mut impl Write) -> Result<bool> {
    use std::io::Read;
    let cannot_read = || format!("{STANDARD_INPUT}: cannot read standard input");
    let mut stdin = std::io::stdin().lock();
    // Read on only while the kind is unclear, so a dump piped in is read
    // as it comes.
    let mut head = Vec::new();
    let mut chunk = [0u8; 512];
    while (head.len() as u64) < inspect::SNIFF_BYTES && inspect::needs_more(&head) {
        let read = stdin.read(&mut chunk).with_context(cannot_read)?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..read]);
    }
    let kind = inspect::sniff_bytes(&head);
    let mut whole = std::io::Cursor::new(head).chain(stdin);
    let mut read_at_most = |limit: u64| -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        whole
            .by_ref()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .with_context(cannot_read)?;
        Ok(bytes)
    };
    match kind {
        inspect::InputKind::Dump => {
            let reader = ingest::DumpReader::new(
                std::io::BufReader::with_capacity(256 * 1024, whole),
                STANDARD_INPUT,
            );
            parse_dump(args, reader, STANDARD_INPUT, out)
        }
        inspect::InputKind::Page => {
            let bytes = read_at_most(feedfold::ingest::page::MAX_PAGE_BYTES as u64)?;
            let source = feedfold::ingest::page::PageSource {
                location: STANDARD_INPUT,
                ..Default::default()
            };
            let page = feedfold::ingest::page::extract(&bytes, &source)?;
            parse_page(args, page, STANDARD_INPUT, out)
        }
        inspect::InputKind::Feed => {
            let limit = FetchConfig::default().max_body;
            let body = read_at_most(limit)?;
            if body.len() as u64 > limit {
                anyhow::bail!(
                    "{STANDARD_INPUT}: {}",
                    fetch::FetchError::TooLarge { limit }
                );
            }
            let document = fetch::Document {
                body,
                charset: None,
                url: STANDARD_INPUT.to_string(),
                validators: fetch::Validators::default(),
            };
            parse_feed(args, &document, STANDARD_INPUT, out)
        }
    }
}

/// Prints the entries of a feed document read from `input`.
fn parse_feed(
    args: &ParseArgs,
    document: &fetch::Document,
    input: &str,
    out: &mut impl Write,
) -> Result<bool> {
    let feed =
        ingest::feed::parse_feed(&document.body, document.charset.as_deref(), &document.url)?;
    for warning in &feed.warnings {
        eprintln!("feedfold: {input}: {warning}");
    }
    for (index, article) in feed.articles.iter().enumerate() {
        if !write_line(out, &show(args, index + 1, article))? {
            return Ok(false);
        }
    }
    if !args.json && !write_line(out, &inspect::feed_summary(input, &feed))? {
        return Ok(false);
    }
    Ok(true)
}

fn show(args: &ParseArgs, index: usize, article: &feedfold::model::Article) -> String {
    if args.json {
        inspect::json_line(article, &args.source)
    } else {
        inspect::human_line(index, article)
    }
}

fn parse_dump<R: std::io::BufRead>(
    args: &ParseArgs,
    mut reader: ingest::DumpReader<R>,
    location: &str,
    out: &mut impl Write,
) -> Result<bool> {
    let mut index = 0;
    for article in reader.by_ref() {
        index += 1;
        if !write_line(out, &show(args, index, &article?))? {
            return Ok(false);
        }
    }
    if !args.json {
        let summary = inspect::file_summary(location, &reader.stats());
        return write_line(out, &summary);
    }
    Ok(true)
}

fn parse_page(
    args: &ParseArgs,
    page: feedfold::ingest::page::Page,
    location: &str,
    out: &mut impl Write,
) -> Result<bool> {
    for warning in &page.warnings {
        eprintln!("feedfold: {location}: {warning}");
    }
    if !write_line(out, &show(args, 1, &page.article))? {
        return Ok(false);
    }
    if !args.json {
        return write_line(out, &inspect::page_summary(location, &page));
    }
    Ok(true)
}

/// Writes one line; false when the reader went away (`feedfold parse | head`).
fn write_line(out: &mut impl Write, line: &str) -> Result<bool> {
    match writeln!(out, "{line}") {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

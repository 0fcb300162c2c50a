//! The feedfold binary: parses the command line, loads the config and runs
//! one command. `anyhow` lives only here. Everything it prints goes
//! through [`console`], so that no failed write panics.

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod console;
mod logging;
mod manual;

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use chrono::{SubsecRound, Utc};
use clap::{CommandFactory, FromArgMatches};

use cli::{
    Cli, Command, CompletionsArgs, DupsArgs, ManArgs, ParseArgs, ServeArgs, SourcesArgs,
    SourcesCommand, StoreCommand,
};
use console::{errln, flush, out, outln, write_line};
use feedfold::commands::{
    dups, parse as inspect, source_rename, source_status, sources as opml, store_copy,
};
use feedfold::config::edit::LockedConfig;
use feedfold::config::{Config, FeedLocation, FetchConfig, StoreLocation, TOKEN_VAR};
use feedfold::ingest::fetch;
use feedfold::pipeline::progress::{Bar, Lines, Progress, Silent};
use feedfold::{ingest, pipeline, server, store};

/// Exit status when a source or a feed failed.
const EXIT_FAILED: u8 = 1;
/// Exit status for a config or usage error (clap uses it too).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    // Under a file-size limit (`ulimit -f`, systemd's `LimitFSIZE=`) a write
    // past it would kill the process with SIGXFSZ; ignored, the write fails
    // with "File too large" and is reported like a full disk.
    // SAFETY: setting a signal's disposition to SIG_IGN before any thread
    // starts touches no memory of this program.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let cli = match arguments() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let serving = matches!(cli.command, Command::Serve(_));
    logging::init(cli.verbose, cli.quiet, serving);
    let result = match &cli.command {
        Command::Run => run(&cli),
        Command::Serve(args) => serve(&cli, args),
        Command::Sources(args) => match &args.command {
            None => show_sources(&cli, args),
            Some(SourcesCommand::Reset { names, all: _ }) => reset_sources(&cli, names),
            Some(SourcesCommand::Rename { old, new }) => rename_source(&cli, old, new),
            Some(SourcesCommand::Import { file, feed }) => {
                import_sources(&cli, file, feed.as_deref())
            }
            Some(SourcesCommand::Export) => export_sources(&cli),
        },
        Command::Parse(args) => parse(&cli, args),
        Command::Dups(args) => list_dups(&cli, args),
        Command::Store(StoreCommand::Copy { from, to }) => copy_store(from, to),
        Command::Completions(args) => completions(args),
        Command::Man(args) => man(args),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            errln!("feedfold: error: {e:#}");
            ExitCode::from(EXIT_FAILED)
        }
    };
    if code == ExitCode::SUCCESS && console::stderr_failed() {
        ExitCode::from(EXIT_FAILED)
    } else {
        code
    }
}

/// The command line. A blank `FEEDFOLD_CONFIG` counts as unset (the
/// default config then must exist); help and the version are written as
/// every command's output is, so one that cannot be written says so.
fn arguments() -> Result<Cli, ExitCode> {
    let mut command = Cli::command();
    if std::env::var_os(CONFIG_VAR).is_some_and(|v| v.to_string_lossy().trim().is_empty()) {
        command = command.mut_arg("config", |arg| arg.env(None::<&str>));
    }
    let error = match command.try_get_matches().and_then(|matches| {
        let mut cli = Cli::from_arg_matches(&matches)?;
        cli.config_named =
            matches.value_source("config") != Some(clap::parser::ValueSource::DefaultValue);
        cli.check()?;
        Ok(cli)
    }) {
        Ok(cli) => return Ok(cli),
        Err(error) => error,
    };
    if error.use_stderr() {
        let _ = error.print();
        return Err(ExitCode::from(EXIT_USAGE));
    }
    let shown = if console::coloured(&std::io::stdout()) {
        error.render().ansi().to_string()
    } else {
        error.render().to_string()
    };
    match console::print(format_args!("{shown}")) {
        Ok(_) => Err(ExitCode::SUCCESS),
        Err(e) => {
            errln!("feedfold: error: {:#}", anyhow::Error::new(e));
            Err(ExitCode::from(EXIT_FAILED))
        }
    }
}

/// The environment variable naming the config file.
const CONFIG_VAR: &str = "FEEDFOLD_CONFIG";

fn load_config(cli: &Cli) -> Result<Config, ExitCode> {
    Config::load(&cli.config).map_err(|e| {
        errln!("feedfold: config error: {e}");
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
        let bar = Arc::new(Bar::default());
        logging::around(bar.clone());
        bar
    } else {
        Arc::new(Lines(|| console::Stderr))
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let report = runtime.block_on(pipeline::run_cycle(&config, &store, began, progress));
    if cli.quiet {
        // Cron mails what is printed: each problem, one line each.
        for problem in report.problems() {
            errln!("feedfold: {problem}");
        }
    } else {
        // The report stays on standard output, failed or not, so that
        // `run > report.txt` keeps it; each failure is repeated on
        // standard error, whether or not the report could be written.
        let printed = out!("{report}");
        for failure in report.failures() {
            errln!("feedfold: {failure}");
        }
        printed?;
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
    let token = match config.server.push_token(std::env::var_os(TOKEN_VAR)) {
        Ok(token) => token,
        Err(e) => {
            errln!("feedfold: config error: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    // Heeded from the start: a stop while the store is waited for (another
    // process writing it) ends the server cleanly, with nothing to finish.
    let shutdown = runtime.block_on(async { server::shutdown_on_signals() });
    let opening = {
        let config = config.clone();
        move || -> Result<_> {
            let store = pipeline::open_store(&config).context("cannot open the store")?;
            let reader = feedfold::store::open(&config).context("cannot open the store")?;
            Ok((store, reader))
        }
    };
    let Some(opened) = runtime.block_on(unless_stopped(shutdown.clone(), opening)) else {
        drop(runtime);
        logging::drain(std::time::Duration::from_secs(1));
        return Ok(ExitCode::SUCCESS);
    };
    let (store, reader) = opened?;
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
    let served = runtime.block_on(async {
        server::serve(state.clone(), shutdown, |addr| {
            // A server keeps serving when this line cannot be written.
            let _ = outln!("feedfold: serving on http://{addr}/");
        })
        .await
    });
    // The runtime and its tasks go first, so the store is closed here,
    // outside any async context: a PostgreSQL client cannot close inside one.
    drop(runtime);
    drop(state);
    // The last lines of the log, for as long as standard error takes them.
    logging::drain(std::time::Duration::from_secs(1));
    served?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `work` on a thread of its own until it is done, or until
/// `shutdown` turns true (`None`): a stop is not held up by a wait in
/// `work` (for the store's lock), which ends with the process.
async fn unless_stopped<T: Send + 'static>(
    shutdown: tokio::sync::watch::Receiver<bool>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    let worker = std::thread::spawn(move || {
        let _ = done.send(work());
    });
    tokio::select! {
        result = result => match result {
            Ok(result) => Some(result),
            // The work panicked: so does the caller.
            Err(_) => match worker.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => None,
            },
        },
        true = stopped(shutdown) => None,
    }
}

/// Waits until `shutdown` turns true and the stop is logged (the task that
/// logs it then ends); false when it never will.
async fn stopped(mut shutdown: tokio::sync::watch::Receiver<bool>) -> bool {
    if shutdown.wait_for(|stop| *stop).await.is_err() {
        return false;
    }
    while shutdown.changed().await.is_ok() {}
    true
}

fn show_sources(cli: &Cli, args: &SourcesArgs) -> Result<ExitCode> {
    let config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    // A store not made yet has fetched nothing: every source shows as never
    // fetched, and no empty store is left behind; standard error says why,
    // in case the store was moved and the path is wrong.
    let mut store = match store::open_existing(&config.store) {
        Err(missing) if missing.is_missing() => {
            errln!("feedfold: {missing}: every source shows as never fetched");
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
    // A name the config lacks is told before the store is opened, even
    // one that cannot be reached.
    let chosen = match source_status::chosen(&config, names) {
        Ok(chosen) => chosen,
        Err(unknown) => {
            errln!("feedfold: sources reset: {unknown}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    // A store not made yet holds no fetch state: nothing to clear, and no
    // empty store is left behind; standard error says why, in case the
    // path is wrong (a wrong --config or folder, say) and the real store
    // keeps the source backing off.
    let mut store = match store::open_existing(&config.store) {
        Err(missing) if missing.is_missing() => {
            errln!("feedfold: {missing}: nothing to clear");
            Box::new(store::sqlite::SqliteStore::open_in_memory()?)
        }
        opened => opened.context("cannot open the store")?,
    };
    for line in source_status::reset(&config, &mut *store, &chosen)? {
        outln!("{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Carries the store's rows of source `old` over to `new`, the name the
/// config gives it now. A refusal (names that do not fit the config or
/// the store) is a usage error; nothing was changed.
fn rename_source(cli: &Cli, old: &str, new: &str) -> Result<ExitCode> {
    let config = match load_config(cli) {
        Ok(config) => config,
        Err(code) => return Ok(code),
    };
    // Names that do not fit the config are told before the store is opened.
    if let Err(refused) = source_rename::check(&config, old, new) {
        errln!("feedfold: sources rename: {refused}");
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let mut store = match store::open_existing(&config.store) {
        Err(missing) if missing.is_missing() => {
            errln!("feedfold: sources rename: {missing}: nothing to rename");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
        opened => opened.context("cannot open the store")?,
    };
    match store.rename_source(old, new) {
        Ok(moved) => {
            outln!("{}", source_rename::carried_line(old, new, &moved))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(store::RenameError::Store(e)) => {
            Err(e).with_context(|| format!("cannot rename source {old} to {new}"))
        }
        Err(busy @ store::RenameError::Busy { .. }) => {
            errln!("feedfold: sources rename: {busy}");
            Ok(ExitCode::from(EXIT_FAILED))
        }
        Err(refused) => {
            errln!("feedfold: sources rename: {refused}");
            Ok(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// The names the store keeps anything under, of a source the config
/// names or one removed from it, and the former names of sources renamed
/// away (`sources rename`): none when the store is not made yet.
fn held_source_names(config: &Config) -> Result<Vec<String>> {
    match store::open_existing(&config.store) {
        Err(missing) if missing.is_missing() => Ok(Vec::new()),
        opened => opened
            .and_then(|mut store| store.held_source_names())
            .context("cannot read the source names the store keeps"),
    }
}

fn import_sources(cli: &Cli, file: &std::path::Path, feed: Option<&str>) -> Result<ExitCode> {
    // Held from reading to rewriting, so imports at once take turns, each
    // adding to what the one before it wrote.
    let locked = LockedConfig::lock(&cli.config)
        .and_then(|locked| Config::load_text(locked.text(), &cli.config).map(|c| (locked, c)));
    let (locked, config) = match locked {
        Ok(both) => both,
        Err(e) => {
            errln!("feedfold: config error: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let subscriptions = opml::parse_file(&bytes, &file.display().to_string())?;
    let held_names = held_source_names(&config)?;
    let plan = match opml::plan_import(&config, &held_names, &subscriptions, feed) {
        Ok(plan) => plan,
        Err(e) => {
            errln!("feedfold: sources import: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    opml::apply_import(locked, &plan)?;
    let imported = &plan.imported;
    // The config holds the URLs that work; the report shows them as every
    // other URL is shown, without credentials or query values.
    let shown = |url: &str| feedfold::redact::url(url).into_owned();
    for (name, url) in &imported.added {
        outln!("added source {name}: {}", shown(url))?;
    }
    for (name, url) in &imported.already_present {
        outln!("already present as {name}: {}", shown(url))?;
    }
    for (outline, reason) in &imported.refused {
        outln!("left out {outline}: {reason}")?;
    }
    outln!(
        "{}: {} added to {}, {} already present, {} left out",
        file.display(),
        feedfold::plural::count(imported.added.len(), "source", "sources"),
        cli.config.display(),
        imported.already_present.len(),
        imported.refused.len()
    )?;
    // A command the user is told to run names the config they named.
    let named = cli.config_named.then_some(cli.config.as_path());
    if let Some(line) = opml::shown_line(&imported.shown_in, file, named) {
        outln!("{line}")?;
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
        errln!("feedfold: sources export: left out source {name}: {why}");
    }
    out!("{}", export.opml)?;
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
        write_line(&mut out, &dups::summary(&folds, args.since))?;
    }
    flush(&mut out)?;
    Ok(ExitCode::SUCCESS)
}

fn copy_store(from: &str, to: &str) -> Result<ExitCode> {
    let home = std::env::var_os("HOME");
    let locations = store_copy::location(from, home.as_deref())
        .map_err(|e| format!("store copy: SRC: {e}"))
        .and_then(|from| {
            let to = store_copy::location(to, home.as_deref())
                .map_err(|e| format!("store copy: DST: {e}"))?;
            Ok((from, to))
        });
    let (from, to) = match locations {
        Ok(locations) => locations,
        Err(message) => {
            errln!("feedfold: {message}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    if store_copy::same_store(&from, &to) {
        errln!("feedfold: store copy: SRC and DST are one store; name another store to copy into");
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let mut source = match store::open_existing(&from) {
        Err(none) if none.is_missing() => {
            errln!("feedfold: {}", store_copy::no_source(&from, &none));
            return Ok(ExitCode::from(EXIT_FAILED));
        }
        opened => opened.context("cannot open the store to copy")?,
    };
    // A copy holds what its source does: a new SQLite file is made no more
    // readable than a SQLite source.
    let mode = match &from {
        StoreLocation::Sqlite(path) => store::mode_for_what(path),
        StoreLocation::Postgres(_) => 0o666,
    };
    let mut destination =
        store::open_new_as(&to, mode).context("cannot open the store to copy into")?;
    // Another spelling of one database's URL (another host name, scheme
    // or parameter) is told by what the servers say they are.
    let identity = source.identity()?;
    if identity.is_some() && identity == destination.identity()? {
        errln!("feedfold: store copy: SRC and DST are one store; name another store to copy into");
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    let copied = store::copy::copy(&mut *source, &mut *destination, &mut |records| {
        if records % 100_000 < 1000 {
            tracing::info!(records, "copying");
        }
    })?;
    out!("{}", store_copy::summary(&from, &to, &copied))?;
    Ok(ExitCode::SUCCESS)
}

fn parse(cli: &Cli, args: &ParseArgs) -> Result<ExitCode> {
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
        let Some(text) = input.to_str() else {
            // No URL is spelled so: a file whose name is not UTF-8.
            locations.push(Some(FeedLocation::File(input.into())));
            continue;
        };
        match feedfold::config::feed_location(text, std::path::Path::new("")) {
            Ok(location) => locations.push(Some(location)),
            Err(message) => {
                errln!("feedfold: parse: {message}");
                unusable = true;
            }
        }
    }
    if unusable {
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    // A config named (`-c`, FEEDFOLD_CONFIG) gives the fetch limits and the
    // user agent `run` reads its sources with; else the defaults.
    let (limits, base_url) = if cli.config_named {
        match load_config(cli) {
            Ok(config) => (config.fetch, config.publish.base_url),
            Err(code) => return Ok(code),
        }
    } else {
        (
            FetchConfig::default(),
            "https://feedfold.invalid".to_string(),
        )
    };
    // One fetcher for every input: its HTTP client is built for the first URL, if any.
    let fetcher = fetch::Fetcher::new(&limits, &fetch::user_agent(&base_url))?;
    let reading = Reading {
        fetcher,
        max_body: limits.max_body,
    };
    for (input, location) in args.inputs.iter().zip(locations) {
        // Named as `run` names a file: a byte of its name that is not
        // UTF-8 written out, so two such names stay two.
        let input = feedfold::ingest::dump_files::spelled_out(std::path::Path::new(input));
        let shown = match parse_input(args, &input, location, &reading, &mut out, &mut runtime) {
            Ok(shown) => shown,
            // Output that cannot be written ends the command, said once.
            Err(e) if e.is::<console::StdoutError>() => return Err(e),
            Err(e) => {
                // The cause may repeat the URL (a connection error does).
                errln!("feedfold: {}", feedfold::redact::urls_in(&format!("{e:#}")));
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
    console::print_bytes(bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// What `parse` calls standard input, given as `-`.
const STANDARD_INPUT: &str = "-";

/// How `parse` reads its inputs: URLs with `fetcher`, files and standard
/// input within the same size limit for a feed document.
struct Reading {
    fetcher: fetch::Fetcher,
    max_body: u64,
}

/// Parses and prints one input, read from `location` (standard input when
/// `None`); false when standard output went away. A URL is named as every
/// URL is shown, without credentials and query values.
fn parse_input(
    args: &ParseArgs,
    input: &str,
    location: Option<FeedLocation>,
    reading: &Reading,
    out: &mut impl Write,
    runtime: &mut Option<tokio::runtime::Runtime>,
) -> Result<bool> {
    let url = match location {
        None => {
            let stdin = std::io::stdin().lock();
            return parse_stream(args, stdin, STANDARD_INPUT, reading.max_body, out);
        }
        // Opened once, and read on from the bytes that told its kind: a
        // pipe (`<(zcat dump.gz)`, a FIFO) cannot be read again.
        Some(FeedLocation::File(path)) => {
            let file =
                std::fs::File::open(&path).with_context(|| format!("{input}: cannot open"))?;
            return parse_stream(args, file, input, reading.max_body, out);
        }
        Some(FeedLocation::Url(url)) => url,
    };
    if runtime.is_none() {
        *runtime = Some(tokio::runtime::Runtime::new().context("cannot start the async runtime")?);
    }
    let runtime = runtime.as_ref().expect("just made");
    let shown = feedfold::redact::url(input);
    let document = match runtime
        .block_on(reading.fetcher.fetch(&url, &fetch::Validators::default()))
        .with_context(|| shown.to_string())?
    {
        fetch::Fetched::Document(document) => document,
        fetch::Fetched::NotModified(_) => {
            anyhow::bail!("{shown}: answered 304 to an unconditional GET")
        }
    };
    parse_feed(args, &document, &shown, out)
}

/// Parses `input`, a file or standard input named `location`, read once
/// from its start: a dump (read as it streams in), an HTML page or a feed
/// document (each within its size limit, `max_body` for a feed).
fn parse_stream(
    args: &ParseArgs,
    mut input: impl std::io::Read,
    location: &str,
    max_body: u64,
    out: &mut impl Write,
) -> Result<bool> {
    use std::io::Read;
    let cannot_read = || match location {
        STANDARD_INPUT => format!("{STANDARD_INPUT}: cannot read standard input"),
        file => format!("{file}: cannot read"),
    };
    // Read on only while the kind is unclear, so a dump piped in is read
    // as it comes.
    let mut head = Vec::new();
    let mut chunk = [0u8; 512];
    while (head.len() as u64) < inspect::SNIFF_BYTES && inspect::needs_more(&head) {
        let read = input.read(&mut chunk).with_context(cannot_read)?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..read]);
    }
    let kind = inspect::sniff_bytes(&head);
    let mut whole = std::io::Cursor::new(head).chain(input);
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
                location,
            );
            parse_dump(args, reader, location, out)
        }
        inspect::InputKind::Page => {
            let bytes = read_at_most(feedfold::ingest::page::MAX_PAGE_BYTES as u64)?;
            let source = feedfold::ingest::page::PageSource {
                location,
                ..Default::default()
            };
            let page = feedfold::ingest::page::extract(&bytes, &source)?;
            parse_page(args, page, location, out)
        }
        inspect::InputKind::Feed => {
            let body = read_at_most(max_body)?;
            if body.len() as u64 > max_body {
                anyhow::bail!(
                    "{location}: {}",
                    fetch::FetchError::TooLarge { limit: max_body }
                );
            }
            let document = fetch::Document {
                body,
                charset: None,
                url: location.to_string(),
                temporarily_redirected: false,
                validators: fetch::Validators::default(),
                cut_short: None,
            };
            parse_feed(args, &document, location, out)
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
    if let Some(warning) = document.cut_short_warning() {
        warn_of_input(input, &warning);
    }
    let feed =
        ingest::feed::parse_feed(&document.body, document.charset.as_deref(), &document.url)?;
    for warning in &feed.warnings {
        warn_of_input(input, warning);
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

/// Shows a warning about what `input` holds (an entry's unreadable date, a
/// page's markup, a transfer cut short) unless the log leaves such warnings
/// out, as `-q` does (`feedfold::ingest` at `error`), in `run` too.
fn warn_of_input(input: &str, warning: &dyn std::fmt::Display) {
    if tracing::enabled!(target: "feedfold::ingest", tracing::Level::WARN) {
        errln!(
            "feedfold: {}",
            feedfold::redact::urls_in(&format!("{input}: {warning}"))
        );
    }
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
        // A bad file contributes nothing to the store: what was shown of
        // it is said to be left out too.
        let article = article.map_err(|e| match index {
            0 => anyhow::Error::new(e),
            shown => anyhow::anyhow!(
                "{e}; `run` stores nothing of this file, the {} shown above included",
                feedfold::plural::count(shown, "article", "articles")
            ),
        })?;
        index += 1;
        if !write_line(out, &show(args, index, &article))? {
            return Ok(false);
        }
    }
    if !args.json {
        let summary = inspect::file_summary(location, &reader.stats());
        return Ok(write_line(out, &summary)?);
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
        warn_of_input(location, warning);
    }
    if !write_line(out, &show(args, 1, &page.article))? {
        return Ok(false);
    }
    if !args.json {
        return Ok(write_line(out, &inspect::page_summary(location, &page))?);
    }
    Ok(true)
}

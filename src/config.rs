//! The `config.toml` model. Unknown keys and bad values are errors that name
//! the file, the line and the key; relative paths resolve against the
//! folder the config file is in, and a leading `~/` is the home folder.

use std::collections::HashSet;
use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;
use url::Url;

use crate::model::FeedSpec;
use crate::position::{line_and_column, line_of};

pub mod edit;
mod excerpt;
mod type_errors;

/// Entries per feed when `limit` is not given.
pub const DEFAULT_FEED_LIMIT: usize = 50;
/// The most entries a feed may be asked to hold.
pub const MAX_FEED_LIMIT: usize = 10_000;
/// The largest `[dedup] max_distance`: beyond 3 the store indexes
/// `(k + 2)(k + 1) / 2` bands of the body SimHash per article
/// ([`crate::dedup::simhash::bands`]), and narrower bands match more
/// unrelated articles by chance.
pub const MAX_NEAR_DISTANCE: u32 = 6;

/// A config that cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the config file: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error(
        "{path}, line {line}, column {column}: invalid UTF-8 at byte offset {offset}; a config must be UTF-8: convert the file first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
    )]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        offset: usize,
    },
    #[error("{path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{path}, line {line}: {message}")]
    SyntaxOnLine {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}, line {line}: `{key}`: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
    #[error("{var}: {message}")]
    Env { var: &'static str, message: String },
}

/// The keys whose values are secrets, never shown in a config error: the
/// push API's token and the store's URL, which may hold its password (a
/// feed's URL is shown as every URL is, redacted).
const SECRET_KEYS: [&str; 2] = ["token", "url"];

/// The environment variable that names a PostgreSQL store, overriding
/// `[store]` in the config file (so no password needs to sit in it).
pub const STORE_URL_VAR: &str = "FEEDFOLD_STORE_URL";

/// The environment variable that gives the push API's token, overriding
/// `[server] token`.
pub const TOKEN_VAR: &str = "FEEDFOLD_TOKEN";

/// A validated config, paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file this was read from.
    pub file: PathBuf,
    pub store: StoreLocation,
    pub publish: PublishConfig,
    pub fetch: FetchConfig,
    pub server: ServerConfig,
    pub dedup: DedupConfig,
    /// How often `serve` ingests a source that sets no `interval`.
    pub default_interval: Duration,
    pub sources: Vec<SourceConfig>,
    pub feeds: Vec<FeedSpec>,
}

impl Config {
    /// The folder of the config file, against which relative paths resolve.
    pub fn folder(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new(""))
    }

    /// How often `serve` ingests `source`.
    pub fn interval(&self, source: &SourceConfig) -> Duration {
        source.interval.unwrap_or(self.default_interval)
    }

    /// Whether some `[[feed]]` publishes what the source `name` brings:
    /// one that lists it, or one that takes every source.
    pub fn feeds_source(&self, name: &str) -> bool {
        self.feeds.iter().any(|feed| match &feed.sources {
            Some(listed) => listed.iter().any(|s| s == name),
            None => true,
        })
    }

    /// What in a valid config is most likely a mistake: no `[[source]]`
    /// (worded by `push_api`, whether a push token turns `serve`'s API on),
    /// no `[[feed]]` at all, or a source no feed publishes. Each names the
    /// config file.
    pub fn warnings(&self, push_api: bool) -> Vec<String> {
        let file = self.file.display();
        let mut warnings = Vec::new();
        if self.sources.is_empty() && push_api {
            warnings.push(format!(
                "{file}: there is no [[source]]: nothing is read, and only articles pushed to \
                 `serve`'s API are published; add a [[source]] (text, feed, pages or sitemap)"
            ));
        } else if self.sources.is_empty() {
            warnings.push(format!(
                "{file}: there is no [[source]] and no push token: nothing is read, the push API \
                 is off, and nothing is published; add a [[source]] (text, feed, pages or \
                 sitemap), or set [server] token or {TOKEN_VAR} for `serve` to take pushes"
            ));
        }
        if self.feeds.is_empty() {
            warnings.push(format!(
                "{file}: there is no [[feed]]: articles are stored but no feed publishes them; \
                 add a [[feed]] (without `sources` it takes every source)"
            ));
            return warnings;
        }
        warnings.extend(
            self.sources
                .iter()
                .filter(|source| !self.feeds_source(&source.name))
                .map(|source| {
                    format!(
                        "{file}: source {:?} feeds no [[feed]]: its articles are stored but published \
                         nowhere; list it in a feed's `sources`, or leave `sources` out to take every source",
                        source.name
                    )
                }),
        );
        warnings
    }

    /// The push sources (`[server] push_source`, `push_sources`) no
    /// `[[feed]]` publishes, each named: for `serve` with the push API on.
    pub fn push_warnings(&self) -> Vec<String> {
        self.server
            .push
            .names()
            .filter(|name| !self.feeds_source(name))
            .map(|name| {
                format!(
                    "{}: articles pushed under source {name:?} are stored but no [[feed]] \
                     publishes them; list {name:?} in a feed's `sources`, or leave `sources` out",
                    self.file.display()
                )
            })
            .collect()
    }
}

/// `[store]`: where the store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// An embedded SQLite file (`path`), resolved.
    Sqlite(PathBuf),
    /// A PostgreSQL database (`url` or `FEEDFOLD_STORE_URL`).
    Postgres(StoreUrl),
}

impl std::fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreLocation::Sqlite(path) => write!(f, "{}", path.display()),
            StoreLocation::Postgres(url) => url.fmt(f),
        }
    }
}

/// A `postgres://` URL. It is shown (`Display`, `Debug`) with its password
/// replaced by `***`, so it can go into any message or log line; only the
/// store reads it whole, through [`StoreUrl::secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct StoreUrl {
    url: Url,
}

/// The `sslmode` values a store URL may give (libpq's).
const SSL_MODES: [&str; 6] = [
    "disable",
    "allow",
    "prefer",
    "require",
    "verify-ca",
    "verify-full",
];

/// The parameters a store URL may give: those feedfold's PostgreSQL
/// client reads, with libpq's names and meanings.
const URL_PARAMETERS: [&str; 20] = [
    "user",
    "password",
    "dbname",
    "options",
    "application_name",
    "sslmode",
    "sslrootcert",
    "sslnegotiation",
    "host",
    "hostaddr",
    "port",
    "connect_timeout",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// The `target_session_attrs` values the client knows.
const SESSION_ATTRS: [&str; 3] = ["any", "read-write", "read-only"];

/// Why a URL naming several hosts (libpq's failover list) is refused.
const ONE_HOST: &str = "a store URL names one host and port; several (libpq's failover list) \
                        are not supported: point it at one address that follows the primary";

/// Whether the authority of URL `text` lists several hosts.
fn several_hosts(text: &str) -> bool {
    let rest = text.split_once("://").map_or("", |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let hosts = authority
        .rsplit_once('@')
        .map_or(authority, |(_, hosts)| hosts);
    hosts.contains(',')
}

/// Why a store URL without a host is refused.
const NO_HOST: &str = "a store URL names a host: postgres://user:password@host:port/db, \
     its address: postgres:///db?hostaddr=10.0.0.5, \
     or its socket folder: postgres:///db?host=/run/postgresql";

/// `text` with a stand-in host where libpq's form names no host in the
/// URL's host part (`postgres://USER@/db?host=/run/postgresql`,
/// `postgres:///db?hostaddr=10.0.0.5&port=5433`, the host given as a
/// parameter), which a URL cannot hold with a port: a `host` parameter
/// then replaces it, as it replaces any host part; without one, the
/// address `hostaddr` gives is the host, as libpq connects to it and names
/// it. Without either such a URL names no host, and is refused so.
fn stand_in_host(text: &str) -> Result<std::borrow::Cow<'_, str>, String> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return Ok(text.into());
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let (user, port) = match authority.rsplit_once('@') {
        Some((user, port)) => (format!("{user}@"), port),
        None => (String::new(), authority),
    };
    if !(port.is_empty() || port.starts_with(':')) {
        return Ok(text.into());
    }
    let query = tail.split_once('?').map_or("", |(_, query)| query);
    let given = |name: &str| {
        query
            .split('&')
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .filter(|(key, _)| *key == name)
            .map(|(_, value)| percent_decoded(value))
            .next_back()
    };
    let host = match (given("host"), given("hostaddr")) {
        (Some(_), _) => "localhost".to_string(),
        (None, Some(address)) => match address.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) => format!("[{v6}]"),
            Ok(v4) => v4.to_string(),
            // Its value is not repeated, as it may follow a password.
            Err(_) => {
                return Err(format!(
                    "`hostaddr`: the PostgreSQL client cannot read its value{}",
                    value_hint("hostaddr")
                ));
            }
        },
        // As before: refused below for naming no host.
        (None, None) if user.is_empty() => return Ok(text.into()),
        (None, None) => return Err(NO_HOST.into()),
    };
    Ok(format!("{scheme}://{user}{host}{port}{tail}").into())
}

/// `text` percent-decoded as the client decodes it: `+` is a plus, not a
/// space.
fn percent_decoded(text: &str) -> String {
    url::form_urlencoded::parse(format!("v={}", text.replace('+', "%2B")).as_bytes())
        .map(|(_, v)| v.into_owned())
        .next()
        .unwrap_or_default()
}

/// `url` with its host set to `host`: a name or address as it is, a path
/// (a Unix socket folder, as in libpq) percent-encoded whole, as libpq and
/// the client read it in the host part (`postgres://%2Frun%2Fpostgresql/db`).
fn set_host(url: &mut Url, host: &str) -> Result<(), String> {
    let encoded = match host.starts_with('/') {
        true => url::form_urlencoded::byte_serialize(host.as_bytes())
            .collect::<String>()
            .replace('+', "%20"),
        false => host.to_string(),
    };
    url.set_host(Some(&encoded))
        .map_err(|e| format!("host={host}: {e}"))
}

/// `url` with its `host`, `port` and `dbname` parameters moved into the
/// host, port and path they override (as in libpq, a parameter wins over
/// the URL's part), so that what connects and what messages name is one
/// host, port and database. Other parameters stay as written.
fn with_location_parameters_in_place(mut url: Url) -> Result<Url, String> {
    const MOVED: [&str; 3] = ["host", "port", "dbname"];
    let raw = url.query().unwrap_or_default().to_string();
    let mut kept = Vec::new();
    for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !MOVED.contains(&key) {
            kept.push(pair);
            continue;
        }
        let value = percent_decoded(value);
        if key != "dbname" && value.contains(',') {
            return Err(ONE_HOST.to_string());
        }
        match key {
            "host" => set_host(&mut url, &value)?,
            "port" => {
                let port = value
                    .parse::<u16>()
                    .map_err(|_| format!("port={value}: not a port number"))?;
                url.set_port(Some(port))
                    .map_err(|()| format!("port={value}: cannot be set"))?;
            }
            // `%` escaped, as the path is read percent-decoded.
            _ => url.set_path(&format!("/{}", value.replace('%', "%25"))),
        }
    }
    url.set_query(Some(kept.join("&")).filter(|q| !q.is_empty()).as_deref());
    // A socket folder the URL's host part gives is spelled as above, so
    // that one folder is one label however it was written.
    if let Some(folder) = socket_folder(&url) {
        set_host(&mut url, &folder)?;
    }
    Ok(url)
}

/// The Unix socket folder `url`'s host names, if it is a path.
fn socket_folder(url: &Url) -> Option<String> {
    Some(percent_decoded(url.host_str()?)).filter(|host| host.starts_with('/'))
}

/// Why a store URL is refused whose parameter after `password=` is wrong:
/// a raw `&` in the password may have made its rest look like one, so
/// neither its name nor its value is repeated.
const PASSWORD_TAIL: &str = "a parameter after `password=` is not one feedfold's PostgreSQL \
     client reads, or has a value it cannot take (not repeated here: it may be the rest of the \
     password); write a `&` in a password as `%26`, a `%` as `%25`, a `+` as `%2B` and a `#` \
     as `%23`";

/// Why a store URL's parameter `key` is refused (its value, which may be a
/// secret, is never repeated).
fn unknown_parameter(key: &str) -> String {
    match key {
        "sslcert" | "sslkey" | "sslpassword" | "sslcertmode" => format!(
            "`{key}`: client certificates are not supported; authenticate with a password \
             (in the URL or `password=`)"
        ),
        "sslcrl"
        | "sslcrldir"
        | "sslsni"
        | "sslcompression"
        | "ssl_min_protocol_version"
        | "ssl_max_protocol_version"
        | "requiressl"
        | "passfile"
        | "service"
        | "servicefile"
        | "gssencmode"
        | "gsslib"
        | "gssdelegation"
        | "krbsrvname"
        | "requirepeer"
        | "require_auth"
        | "client_encoding"
        | "fallback_application_name"
        | "replication"
        | "min_protocol_version"
        | "max_protocol_version" => format!(
            "`{key}`: libpq's, not supported by feedfold's PostgreSQL client; it reads {}",
            URL_PARAMETERS.join(", ")
        ),
        _ => format!(
            "`{key}` is not a parameter feedfold's PostgreSQL client knows; it reads {}",
            URL_PARAMETERS.join(", ")
        ),
    }
}

/// A `key=value` pair of a store URL's query as the PostgreSQL client is
/// handed it: an `@` written raw in the value (`password=a@b:c`, which a URL
/// query allows and libpq reads) percent-encoded, since the client's parser
/// takes the first `@` of the URL for the end of a user and password, and
/// would read the rest as a host. The client decodes it back.
pub fn client_query_pair(pair: &str) -> std::borrow::Cow<'_, str> {
    if pair.contains('@') {
        std::borrow::Cow::Owned(pair.replace('@', "%40"))
    } else {
        std::borrow::Cow::Borrowed(pair)
    }
}

/// Whether the PostgreSQL client reads the value of each parameter of
/// `url` it is handed (all but those feedfold reads itself), so that a
/// bad one (`connect_timeout=abc`) is told with the configuration, not as
/// a database that cannot be opened. The parameter is named; its value is
/// not repeated, as it may be a secret.
fn client_reads_every_value(url: &Url) -> Result<(), String> {
    const READ_HERE: [&str; 6] = [
        "sslmode",
        "sslrootcert",
        "target_session_attrs",
        "host",
        "port",
        "dbname",
    ];
    for pair in url.query().unwrap_or_default().split('&') {
        let key = pair.split('=').next().unwrap_or_default();
        if pair.is_empty() || READ_HERE.contains(&key) {
            continue;
        }
        // Each parameter as written, alone in a URL the client parses, and
        // the keepalive settings within what the system takes (Linux:
        // 1 to 32,767 seconds, 1 to 127 probes), which the client leaves
        // to the connection's first setsockopt to refuse.
        let value = pair.split_once('=').map_or("", |(_, v)| v);
        let within = |range: std::ops::RangeInclusive<u64>| {
            value.parse::<u64>().is_ok_and(|n| range.contains(&n))
        };
        let system_refuses = match key {
            "keepalives_idle" | "keepalives_interval" => !within(1..=32_767),
            "keepalives_retries" => !within(1..=127),
            _ => false,
        };
        if system_refuses
            || format!("postgres://localhost/?{}", client_query_pair(pair))
                .parse::<postgres::Config>()
                .is_err()
        {
            return Err(format!(
                "`{key}`: the PostgreSQL client cannot read its value{}",
                value_hint(key)
            ));
        }
    }
    Ok(())
}

/// What the value of URL parameter `key` must be, as libpq says.
fn value_hint(key: &str) -> &'static str {
    match key {
        "connect_timeout" => " (a whole number of seconds)",
        "tcp_user_timeout" => " (a whole number of milliseconds)",
        "keepalives_idle" | "keepalives_interval" => " (a whole number of seconds, 1 to 32767)",
        "keepalives" => " (1 or 0)",
        "keepalives_retries" => " (a whole number, 1 to 127)",
        "hostaddr" => " (an IP address)",
        "channel_binding" => " (disable, prefer or require)",
        "load_balance_hosts" => " (disable or random)",
        "sslnegotiation" => " (postgres or direct)",
        _ => "",
    }
}

impl StoreUrl {
    /// This URL with a relative `sslrootcert=FILE` resolved against `base`,
    /// the config file's folder, as every relative path in it is.
    fn with_root_file_under(mut self, base: &Path) -> StoreUrl {
        let pairs: Vec<(String, String)> = self
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let relative = |k: &str, v: &str| k == "sslrootcert" && Path::new(v).is_relative();
        if !pairs.iter().any(|(k, v)| relative(k, v)) {
            return self;
        }
        let mut query = self.url.query_pairs_mut();
        query.clear();
        for (key, value) in &pairs {
            if relative(key, value) {
                query.append_pair(key, &base.join(value).to_string_lossy());
            } else {
                query.append_pair(key, value);
            }
        }
        drop(query);
        self
    }

    /// Parses a `postgres://` or `postgresql://` URL with a host and only
    /// parameters the client knows. The error never repeats the text,
    /// which may hold a password.
    pub fn parse(text: &str) -> Result<StoreUrl, String> {
        let text = stand_in_host(text.trim())?;
        let url = Url::parse(&text).map_err(|e| match several_hosts(&text) {
            true => ONE_HOST.to_string(),
            false => format!("not a URL ({e})"),
        })?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(format!(
                "the scheme is {:?}; a store URL starts with postgres://",
                url.scheme()
            ));
        }
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        // A raw `&` in a password ends it: what follows, read as further
        // parameters, may be the rest of the password, so it is never
        // repeated.
        let after_password = |index: usize| pairs[..index].iter().any(|(key, _)| key == "password");
        let refused = |index: usize, told: String| match after_password(index) {
            true => PASSWORD_TAIL.to_string(),
            false => told,
        };
        let find = |wrong: &dyn Fn(&str, &str) -> bool| {
            pairs
                .iter()
                .enumerate()
                .find(|(_, (key, value))| wrong(key, value))
        };
        if let Some((index, (_, mode))) =
            find(&|key, value| key == "sslmode" && !SSL_MODES.contains(&value))
        {
            return Err(refused(
                index,
                format!("sslmode={mode}: use {}", SSL_MODES.join(", ")),
            ));
        }
        if let Some((index, (key, _))) = find(&|key, _| !URL_PARAMETERS.contains(&key)) {
            return Err(refused(index, unknown_parameter(key)));
        }
        if let Some((index, (_, value))) =
            find(&|key, value| key == "target_session_attrs" && !SESSION_ATTRS.contains(&value))
        {
            return Err(refused(
                index,
                format!(
                    "target_session_attrs={value}: use {}",
                    SESSION_ATTRS.join(", ")
                ),
            ));
        }
        client_reads_every_value(&url)?;
        let url = with_location_parameters_in_place(url)?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(NO_HOST.into());
        }
        Ok(StoreUrl { url })
    }

    /// The whole URL, password included: for connecting, never for showing.
    pub fn secret(&self) -> &str {
        self.url.as_str()
    }

    /// The port connected to (5432 unless given); over a Unix socket, the
    /// one in the socket's name.
    pub fn port(&self) -> u16 {
        self.url.port().unwrap_or(5432)
    }

    /// What is connected to: the host and port, or, for a host that is a
    /// Unix socket folder, the socket (`/run/postgresql/.s.PGSQL.5432`),
    /// as libpq names them.
    pub fn host_port(&self) -> String {
        match socket_folder(&self.url) {
            Some(folder) => format!("{}/.s.PGSQL.{}", folder.trim_end_matches('/'), self.port()),
            None => format!(
                "{}:{}",
                self.url.host_str().unwrap_or_default(),
                self.port()
            ),
        }
    }

    /// What messages call the store: `postgres://host:port/db`, without
    /// user, password or parameters; a socket folder is named as libpq's
    /// users write it, in the `host` parameter
    /// (`postgres:///db?host=/run/postgresql&port=5432`); and the schema
    /// its `options` choose, which tells two stores in one database apart
    /// (`postgres://host:port/db?options=-c%20search_path%3Dstaging`).
    pub fn label(&self) -> String {
        let place = self.place_label();
        match self.search_path() {
            Some(path) => format!(
                "{place}{}options=-c%20search_path%3D{}",
                if place.contains('?') { '&' } else { '?' },
                url::form_urlencoded::byte_serialize(path.as_bytes())
                    .collect::<String>()
                    .replace('+', "%20")
            ),
            None => place,
        }
    }

    /// The search path its `options` set for the session (`-c
    /// search_path=…`, the last one given), as written.
    fn search_path(&self) -> Option<String> {
        let options = self.session_options()?;
        let mut words = options.split_ascii_whitespace();
        let mut path = None;
        while let Some(word) = words.next() {
            let setting = match word {
                "-c" => words.next(),
                other => other
                    .strip_prefix("-c")
                    .or_else(|| other.strip_prefix("--")),
            };
            if let Some(given) = setting.and_then(|s| s.strip_prefix("search_path=")) {
                path = Some(given.to_string());
            }
        }
        path
    }

    /// The server and database of [`StoreUrl::label`].
    fn place_label(&self) -> String {
        match socket_folder(&self.url) {
            Some(folder) => format!(
                "{}://{}?{}",
                self.url.scheme(),
                self.url.path(),
                socket_parameters(&folder, self.port())
            ),
            None => format!(
                "{}://{}:{}{}",
                self.url.scheme(),
                self.url.host_str().unwrap_or_default(),
                self.port(),
                self.url.path()
            ),
        }
    }

    /// The session settings of its `options` parameter (which may choose
    /// the schema, `-c search_path=…`), decoded; `None` without one.
    pub fn session_options(&self) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(key, _)| key == "options")
            .map(|(_, value)| value.into_owned())
    }

    /// The URL with the password (in the user part or a `password`
    /// parameter) replaced by `***`.
    pub fn redacted(&self) -> String {
        let mut url = self.url.clone();
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        if url.query_pairs().any(|(k, _)| k == "password") {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k == "password" {
                        "***".into()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        let Some(folder) = socket_folder(&url) else {
            return url.to_string();
        };
        // The folder in the `host` parameter, as libpq's users write it.
        let user = match (url.username(), url.password()) {
            ("", _) => String::new(),
            (user, Some(password)) => format!("{user}:{password}@"),
            (user, None) => format!("{user}@"),
        };
        let rest = url.query().map(|q| format!("&{q}")).unwrap_or_default();
        format!(
            "{}://{user}{}?{}{rest}",
            url.scheme(),
            url.path(),
            socket_parameters(&folder, self.port())
        )
    }
}

/// The `host` and `port` parameters naming a Unix socket `folder`, its
/// slashes as they are (`host=/run/my%20pg&port=5432`).
fn socket_parameters(folder: &str, port: u16) -> String {
    let folder = url::form_urlencoded::byte_serialize(folder.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
        .replace("%2F", "/");
    format!("host={folder}&port={port}")
}

impl std::fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoreUrl({})", self.redacted())
    }
}

/// Where `feedfold serve` listens: an IP address or a host name (resolved
/// when the server starts), and a port (0 picks a free one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindAddress {
    pub host: String,
    pub port: u16,
}

impl std::str::FromStr for BindAddress {
    type Err = String;

    /// `127.0.0.1:8080`, `[::1]:8080`, `localhost:8081`.
    fn from_str(text: &str) -> Result<BindAddress, String> {
        let text = text.trim();
        if let Ok(addr) = text.parse::<SocketAddr>() {
            return Ok(BindAddress {
                host: addr.ip().to_string(),
                port: addr.port(),
            });
        }
        let bad = || {
            format!(
                "{text:?} is not an address such as \"127.0.0.1:8080\", \"[::1]:8080\" or \"localhost:8080\""
            )
        };
        let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
        let port = port.parse::<u16>().map_err(|_| bad())?;
        let is_name = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !is_name {
            return Err(bad());
        }
        Ok(BindAddress {
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

impl std::fmt::Display for BindAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// `[server]`: `feedfold serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    pub bind: BindAddress,
    /// `Cache-Control: max-age` of feeds, in seconds.
    pub max_age: u64,
    /// The push API's bearer token; `FEEDFOLD_TOKEN` overrides it. No token:
    /// no API.
    pub token: Option<String>,
    /// Largest request body the API accepts, in bytes.
    pub max_body: u64,
    /// A client must send a whole request head within this time (slow and
    /// idle connections are closed after it).
    pub header_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
    /// Which sources the push API writes to.
    pub push: PushScope,
}

/// The sources a push may write to: `push_source`, where pushes that name
/// no source go, and the names `push_sources` lists. Never a source that
/// fetches a feed, so a push cannot replace an upstream entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushScope {
    pub default: String,
    pub others: Vec<String>,
}

impl PushScope {
    /// Whether a push may write under the source name `name`.
    pub fn allows(&self, name: &str) -> bool {
        self.default == name || self.others.iter().any(|o| o == name)
    }

    /// Every name a push may write under.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.default.as_str()).chain(self.others.iter().map(String::as_str))
    }
}

impl Default for PushScope {
    fn default() -> Self {
        PushScope {
            default: "api".to_string(),
            others: Vec::new(),
        }
    }
}

impl ServerConfig {
    /// The push API's token: [`TOKEN_VAR`]'s value `env` when it is set,
    /// read as `[server] token` is (surrounding white space, such as the
    /// newline a secret file ends in, trimmed; a blank one refused), else
    /// `[server] token`.
    pub fn push_token(&self, env: Option<OsString>) -> Result<Option<String>, ConfigError> {
        let Some(value) = env else {
            return Ok(self.token.clone());
        };
        let env_error = |message: &str| ConfigError::Env {
            var: TOKEN_VAR,
            message: message.to_string(),
        };
        let value = value
            .into_string()
            .map_err(|_| env_error("is not valid UTF-8"))?;
        let token = value.trim();
        if token.is_empty() {
            return Err(env_error(
                "must not be empty; unset it to use `[server] token`",
            ));
        }
        if !bearer_token_shape(token) {
            return Err(env_error(BEARER_TOKEN_SHAPE));
        }
        Ok(Some(token.to_string()))
    }
}

/// What a push API token may hold, as said in a config error.
const BEARER_TOKEN_SHAPE: &str = "must be ASCII letters, digits, punctuation and spaces \
     (what an `Authorization: Bearer` header carries)";

/// Whether `token` can be sent in an `Authorization: Bearer` header as
/// clients send it: visible ASCII and spaces only (a non-ASCII character
/// is sent in bytes no client agrees on, a control character not at all,
/// so such a token could never be given).
fn bearer_token_shape(token: &str) -> bool {
    token.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: BindAddress {
                host: "127.0.0.1".into(),
                port: 8080,
            },
            max_age: 300,
            token: None,
            max_body: 1 << 20,
            header_timeout: Duration::from_secs(10),
            max_connections: 16_384,
            push: PushScope::default(),
        }
    }
}

/// `[dedup]`: how incoming articles are folded into stored ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DedupConfig {
    /// Fold near-duplicates (republished, edited and updated copies), not
    /// only exact repeats.
    pub near: bool,
    /// Largest Hamming distance between body SimHashes for the near rules.
    pub max_distance: u32,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            near: true,
            // The distance the near-duplicate evaluation chose
            // (`dedup::near_rules::NearConfig::default`).
            max_distance: 3,
        }
    }
}

/// The schedule's default interval.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(15 * 60);

/// The longest duration a config gives (an interval, a timeout, a
/// backoff): a year and a day; longer ones overflow the dates they are
/// added to.
const LONGEST_DURATION: Duration = Duration::from_secs(366 * 86_400);

/// `[fetch]`: how upstream feeds are fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    /// Sources fetched at once.
    pub concurrency: usize,
    pub connect_timeout: Duration,
    /// The whole request, body included.
    pub timeout: Duration,
    /// Largest body accepted, in bytes (after decompression).
    pub max_body: u64,
    pub max_redirects: usize,
    /// Let redirects and URLs taken from fetched documents reach loopback,
    /// private, link-local and unique-local addresses at any origin (for
    /// intranets); by default only a source's own origin may be there.
    pub allow_private: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            concurrency: 8,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body: 16 << 20,
            max_redirects: 5,
            allow_private: false,
        }
    }
}

/// `[publish]`: where feeds go and how they present themselves.
#[derive(Debug, Clone)]
pub struct PublishConfig {
    pub dir: PathBuf,
    /// As the `url` crate serialises it (a punycode host, a percent-encoded
    /// path, no default port), without a trailing slash.
    pub base_url: String,
    pub author: String,
    /// A WebSub hub to announce in feeds and ping when they change.
    pub websub_hub: Option<String>,
}

/// One `[[source]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    pub name: String,
    /// What the source is called where it came from (an OPML outline's
    /// title), when that is not its name.
    pub title: Option<String>,
    pub kind: SourceKind,
    /// How often `serve` ingests it; `None` uses the schedule's default.
    pub interval: Option<Duration>,
}

/// Where a source's articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// Raw scraped dumps: a path or a glob, resolved.
    Text(PathBuf),
    /// An RSS, Atom or JSON Feed document; with `full_text`, each new
    /// entry's link is fetched and its article replaces the entry's teaser.
    Feed {
        location: FeedLocation,
        full_text: bool,
    },
    /// HTML article pages, one article a file: a path or a glob, resolved.
    Pages(PathBuf),
    /// A sitemap (or sitemap index, or Google News sitemap) whose unseen
    /// pages are fetched, newest first, at most `max_pages` a cycle.
    Sitemap {
        location: FeedLocation,
        max_pages: usize,
    },
}

/// How many pages a sitemap source fetches a cycle unless it says.
pub const DEFAULT_MAX_PAGES: usize = 50;

/// Where a feed document is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedLocation {
    /// An `http://` or `https://` URL.
    Url(String),
    /// A local file, resolved.
    File(PathBuf),
}

impl std::fmt::Display for FeedLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedLocation::Url(url) => f.write_str(url),
            FeedLocation::File(path) => write!(f, "{}", path.display()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default, deserialize_with = "table")]
    store: RawStore,
    #[serde(default, deserialize_with = "table")]
    publish: RawPublish,
    #[serde(default, deserialize_with = "table")]
    fetch: RawFetch,
    #[serde(default, deserialize_with = "table")]
    server: RawServer,
    #[serde(default, deserialize_with = "table")]
    schedule: RawSchedule,
    #[serde(default, deserialize_with = "table")]
    dedup: RawDedup,
    #[serde(default, rename = "source", deserialize_with = "tables")]
    sources: Vec<RawSource>,
    #[serde(default, rename = "feed", deserialize_with = "tables")]
    feeds: Vec<RawFeed>,
}

/// A section of the config read only from a TOML table. serde would read
/// a struct from a list too, field by field in order, so `[[store]]` for
/// `[store]` (or `schedule = ["1h"]`) would be taken, or refused as if its
/// first field had the wrong type; here a list is refused as a list.
struct Table<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Table<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer
            .deserialize_map(Visitor(std::marker::PhantomData))
            .map(Table)
    }
}

/// A single-table section (`[store]`), read as a [`Table`].
fn table<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Table::deserialize(deserializer).map(|Table(section)| section)
}

/// A list of tables (`[[source]]`), each read as a [`Table`].
fn tables<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let sections: Vec<Table<T>> = Deserialize::deserialize(deserializer)?;
    Ok(sections.into_iter().map(|Table(section)| section).collect())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStore {
    path: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPublish {
    dir: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    author: Option<Spanned<String>>,
    websub_hub: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServer {
    bind: Option<Spanned<String>>,
    max_age: Option<Spanned<i64>>,
    token: Option<Spanned<String>>,
    max_body: Option<Spanned<RawSize>>,
    header_timeout: Option<Spanned<String>>,
    max_connections: Option<Spanned<i64>>,
    push_source: Option<Spanned<String>>,
    push_sources: Option<Spanned<Names>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    interval: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDedup {
    near: Option<bool>,
    max_distance: Option<Spanned<i64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFetch {
    concurrency: Option<Spanned<i64>>,
    connect_timeout: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    max_body: Option<Spanned<RawSize>>,
    max_redirects: Option<Spanned<i64>>,
    allow_private: Option<bool>,
}

/// A size as written: a string with a unit (`"16MiB"`) or a whole number
/// of bytes (`1048576`), checked by the validator.
enum RawSize {
    Text(String),
    Bytes(i64),
}

impl<'de> Deserialize<'de> for RawSize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = RawSize;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(SIZE_EXAMPLES)
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<RawSize, E> {
                Ok(RawSize::Bytes(n))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RawSize, E> {
                Ok(RawSize::Text(text.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A list of names (`sources`, `push_sources`): a type error says "a list
/// of strings" rather than "a sequence".
struct Names(Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Names;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element()? {
                    names.push(name);
                }
                Ok(Names(names))
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}

/// What a size may be, for messages.
const SIZE_EXAMPLES: &str = "a size such as \"16MiB\", \"512KiB\" or a whole number of bytes";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Spanned<String>,
    title: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
    feed: Option<Spanned<String>>,
    pages: Option<Spanned<String>>,
    sitemap: Option<Spanned<String>>,
    max_pages: Option<Spanned<i64>>,
    full_text: Option<Spanned<bool>>,
    interval: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    name: Spanned<String>,
    title: Spanned<String>,
    description: Option<String>,
    sources: Option<Spanned<Names>>,
    limit: Option<Spanned<i64>>,
}

impl Config {
    /// Reads and validates the config at `path`; `FEEDFOLD_STORE_URL`, when
    /// set, names the store in place of `[store]` (set and blank, it is an
    /// error).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let bytes = std::fs::read(path).map_err(|cause| ConfigError::Read {
            path: path.to_path_buf(),
            cause,
        })?;
        Config::load_text(&config_text(bytes, path)?, path)
    }

    /// Validates config `text` read from `path` as [`Config::load`] does
    /// (warnings logged, `FEEDFOLD_STORE_URL` heeded): the text of a
    /// config held for an edit ([`edit::LockedConfig`]).
    pub fn load_text(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config = Config::parse_in_environment(text, path)?;
        // A token the environment gives wrongly is an error for `serve`;
        // here it counts as meant.
        let push_api = !matches!(
            config.server.push_token(std::env::var_os(TOKEN_VAR)),
            Ok(None)
        );
        for warning in config.warnings(push_api) {
            tracing::warn!("{warning}");
        }
        Ok(config)
    }

    /// Validates config `text` as if read from `path`, as [`Config::load`]
    /// does but logging no warnings: `FEEDFOLD_STORE_URL`, when set, names
    /// the store in place of `[store]`, and a `[store] path` it replaces is
    /// never checked against the files feedfold writes.
    pub fn parse_in_environment(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::parse_with_store_url(text, path, std::env::var_os(STORE_URL_VAR))
    }

    /// Validates config `text` as if read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::parse_with_store_url(text, path, None)
    }

    /// Validates config `text` as if read from `path`, with `store_url`,
    /// the value of `FEEDFOLD_STORE_URL` when it is set, naming the store
    /// in place of `[store]` (set and blank, it is an error).
    fn parse_with_store_url(
        text: &str,
        path: &Path,
        store_url: Option<std::ffi::OsString>,
    ) -> Result<Config, ConfigError> {
        let syntax = |e: toml::de::Error| match unlocated_error_line(text, &e) {
            Some(line) => ConfigError::SyntaxOnLine {
                path: path.to_path_buf(),
                line,
                message: match e.message() {
                    "recursion limit" => "a key or table name of too many dotted parts \
                                          (the TOML reader takes fewer than 80)"
                        .to_string(),
                    message => message.to_string(),
                },
            },
            None => ConfigError::Syntax {
                path: path.to_path_buf(),
                message: match e.span() {
                    Some(span) => excerpt::syntax_error(text, span, e.message()),
                    None => e.to_string().trim_end().to_string(),
                },
            },
        };
        let deserializer = toml::de::Deserializer::parse(text).map_err(syntax)?;
        let raw: RawConfig = serde_path_to_error::deserialize(deserializer)
            .map_err(|e| type_error(text, path, &e))?;
        Validator {
            text,
            path,
            base: path.parent().unwrap_or(Path::new("")),
            store_url,
        }
        .validate(raw)
    }
}

/// The text of the config file `path` read as `bytes`: bytes that are not
/// UTF-8 (a config saved as Latin-1 or Windows-1252) are an error naming
/// where the first of them is.
fn config_text(bytes: Vec<u8>, path: &Path) -> Result<String, ConfigError> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        // Everything before `offset` is UTF-8.
        let before = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or_default();
        let (line, column) = line_and_column(before, offset);
        ConfigError::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
            offset,
        }
    })
}

/// The line of `error`, a syntax error the TOML reader gives no position
/// for (a key of too many dotted parts), in `text`: the first line at whose
/// end the text read so far fails the same way. Lines are tried by halves,
/// so this costs a few parses. `None` for an error that has a position.
fn unlocated_error_line(text: &str, error: &toml::de::Error) -> Option<usize> {
    if error.span().is_some() {
        return None;
    }
    let ends: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|newline| newline + 1)
        .chain([text.len()])
        .collect();
    let fails_so = |end: usize| {
        toml::de::Deserializer::parse(&text[..end])
            .is_err_and(|e| e.span().is_none() && e.message() == error.message())
    };
    let line = ends.partition_point(|&end| !fails_so(end));
    (line < ends.len()).then_some(line + 1)
}

/// A value of the wrong type, an unknown key or a missing one, naming the
/// line and the dotted key and saying in plain words what was expected.
fn type_error(
    text: &str,
    path: &Path,
    error: &serde_path_to_error::Error<toml::de::Error>,
) -> ConfigError {
    let span = error.inner().span();
    let written = span
        .clone()
        .and_then(|span| text.get(span))
        .unwrap_or_default();
    let (key, message) = type_errors::describe(error.path(), error.inner().message(), written);
    match span {
        Some(span) => ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, span.start),
            key,
            message,
        },
        None => ConfigError::Syntax {
            path: path.to_path_buf(),
            message: format!("`{key}`: {message}"),
        },
    }
}

/// The PostgreSQL store `FEEDFOLD_STORE_URL`, set to `url`, names: one not
/// UTF-8, blank or no store URL is an error naming the variable.
fn store_from_env(url: &std::ffi::OsStr) -> Result<StoreLocation, ConfigError> {
    let env_error = |message: String| ConfigError::Env {
        var: STORE_URL_VAR,
        message,
    };
    let url = url
        .to_str()
        .ok_or_else(|| env_error("is not valid UTF-8".into()))?;
    // A secret that came out empty must not turn a worker into one with a
    // new, empty store of its own.
    if url.trim().is_empty() {
        return Err(env_error(
            "must not be empty; unset it to use `[store]`".into(),
        ));
    }
    StoreUrl::parse(url)
        .map(StoreLocation::Postgres)
        .map_err(env_error)
}

/// Where `path`, as a config, `parse` or `store copy` writes it, is: a leading `~/`
/// (or `~` alone) stands for the home folder, `home` (`$HOME`), as in a
/// shell; any other relative path is under `base`, the config's folder.
/// `~` with no home folder set is an error, never a folder named `~`.
pub fn located(path: &str, base: &Path, home: Option<&std::ffi::OsStr>) -> Result<PathBuf, String> {
    let Some(rest) = path
        .strip_prefix('~')
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    else {
        return Ok(base.join(path));
    };
    match home.filter(|home| !home.is_empty()) {
        Some(home) => Ok(Path::new(home).join(rest.trim_start_matches('/'))),
        None => Err(format!(
            "{path:?} starts with `~`, the home folder, but HOME is not set: write the full path"
        )),
    }
}

struct Validator<'a> {
    text: &'a str,
    path: &'a Path,
    base: &'a Path,
    /// `FEEDFOLD_STORE_URL`, when set: the store in place of `[store]`.
    store_url: Option<std::ffi::OsString>,
}

impl Validator<'_> {
    fn invalid<T>(
        &self,
        key: &str,
        spanned: &Spanned<T>,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: line_of(self.text, spanned.span().start),
            key: key.to_string(),
            message: message.into(),
        }
    }

    /// Where `path`, the value of `key`, is (see [`located`]).
    fn resolve(
        &self,
        key: &str,
        value: &Spanned<String>,
        path: &str,
    ) -> Result<PathBuf, ConfigError> {
        located(path, self.base, std::env::var_os("HOME").as_deref())
            .map_err(|message| self.invalid(key, value, message))
    }

    fn non_empty<'s>(&self, key: &str, value: &'s Spanned<String>) -> Result<&'s str, ConfigError> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return Err(self.invalid(key, value, "must not be empty"));
        }
        Ok(text)
    }

    /// `value` trimmed, a token an `Authorization: Bearer` header can
    /// carry ([`bearer_token_shape`]).
    fn bearer_token<'s>(
        &self,
        key: &str,
        value: &'s Spanned<String>,
    ) -> Result<&'s str, ConfigError> {
        let token = self.non_empty(key, value)?;
        if !bearer_token_shape(token) {
            return Err(self.invalid(key, value, BEARER_TOKEN_SHAPE));
        }
        Ok(token)
    }

    /// `value` trimmed, for text readers see (a feed's title, an author):
    /// not empty, and not only characters that render as nothing (zero-width
    /// spaces, direction marks), which a reader would show as a blank.
    fn shown<'s>(&self, key: &str, value: &'s Spanned<String>) -> Result<&'s str, ConfigError> {
        let text = self.non_empty(key, value)?;
        if !crate::normalize::has_visible(text) {
            return Err(self.invalid(
                key,
                value,
                "has only characters that show as nothing (zero-width spaces, direction marks)",
            ));
        }
        Ok(text)
    }

    fn validate(&self, raw: RawConfig) -> Result<Config, ConfigError> {
        let mut store = self.store(&raw.store)?;
        if let Some(url) = &self.store_url {
            store = store_from_env(url)?;
        }
        let publish = self.publish(&raw.publish)?;
        let fetch = self.fetch(&raw.fetch)?;
        let mut server = self.server(&raw.server)?;
        let dedup = self.dedup(&raw.dedup)?;
        let default_interval = match &raw.schedule.interval {
            Some(d) => self.duration("schedule.interval", d)?,
            None => DEFAULT_INTERVAL,
        };
        let sources = self.sources(&raw.sources)?;
        server.push = self.push_scope(&raw.server, &raw.sources, &sources)?;
        // Feeds may name the sources pushes write to, too.
        let mut known: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
        for name in server.push.names() {
            if !known.contains(&name) {
                known.push(name);
            }
        }
        let feeds = self.feeds(&raw.feeds, &known)?;
        if let StoreLocation::Sqlite(file) = &store {
            self.store_apart_from_outputs(&raw, file, &publish.dir, &feeds)?;
        }
        Ok(Config {
            file: self.path.to_path_buf(),
            store,
            publish,
            fetch,
            server,
            dedup,
            default_interval,
            sources,
            feeds,
        })
    }

    fn store(&self, raw: &RawStore) -> Result<StoreLocation, ConfigError> {
        match (&raw.path, &raw.url) {
            (Some(_), Some(url)) => Err(self.invalid(
                "store.url",
                url,
                "give either `path` (a SQLite file) or `url` (PostgreSQL), not both",
            )),
            (None, Some(url)) => {
                let text = self.non_empty("store.url", url)?;
                StoreUrl::parse(text)
                    .map(|url| StoreLocation::Postgres(url.with_root_file_under(self.base)))
                    .map_err(|message| self.invalid("store.url", url, message))
            }
            (Some(p), None) => {
                let path = self.non_empty("store.path", p)?;
                if path.contains("://") {
                    // Never a file name one means: a URL (its password too)
                    // would become folder names and show in every error.
                    return Err(self.invalid(
                        "store.path",
                        p,
                        "a URL, not a file: a PostgreSQL store goes in `url`",
                    ));
                }
                if let Some(file) = path.strip_prefix("sqlite:") {
                    // `store copy`'s name for a store; here it would be a
                    // new, empty file of that name beside the real one.
                    return Err(self.invalid(
                        "store.path",
                        p,
                        format!(
                            "a file name without `sqlite:` (that is how `store copy` names a store): path = {file:?}"
                        ),
                    ));
                }
                if path.ends_with(['/', std::path::MAIN_SEPARATOR]) {
                    return Err(self.invalid(
                        "store.path",
                        p,
                        "names a folder: give the store's file, e.g. \"data/feedfold.db\"",
                    ));
                }
                let file = self.resolve("store.path", p, path)?;
                if file.is_dir() {
                    return Err(self.invalid(
                        "store.path",
                        p,
                        format!(
                            "{} is a folder: give the store's file in it, e.g. \"{}/feedfold.db\"",
                            file.display(),
                            path
                        ),
                    ));
                }
                Ok(StoreLocation::Sqlite(file))
            }
            (None, None) => Ok(StoreLocation::Sqlite(self.base.join("feedfold.db"))),
        }
    }

    /// Refuses a SQLite store at `file` whose file, or one SQLite and
    /// feedfold keep beside it (`-wal`, `-shm`, `-journal`, `-lock`), is a
    /// file feedfold writes: a feed published in `dir`, the feeds folder
    /// itself or its lock, or the config file. Publishing would replace the
    /// store, or the store a feed.
    fn store_apart_from_outputs(
        &self,
        raw: &RawConfig,
        file: &Path,
        dir: &Path,
        feeds: &[FeedSpec],
    ) -> Result<(), ConfigError> {
        let mut outputs = vec![
            (dir.to_path_buf(), "the feeds folder".to_string()),
            (
                dir.join(crate::publish::LOCK_FILE),
                "the feeds folder's lock".to_string(),
            ),
            (self.path.to_path_buf(), "the config file".to_string()),
        ];
        for feed in feeds {
            for format in crate::publish::Format::ALL {
                outputs.push((
                    crate::publish::feed_path(dir, &feed.name, format),
                    format!("the file feed {:?} is published to", feed.name),
                ));
            }
        }
        let outputs: Vec<(PathBuf, String)> = outputs
            .into_iter()
            .map(|(path, what)| (same_place_key(&path), what))
            .collect();
        for (suffix, whose) in STORE_FILES {
            let mut name = file.as_os_str().to_owned();
            name.push(suffix);
            let store_file = PathBuf::from(name);
            let key = same_place_key(&store_file);
            let clash = outputs
                .iter()
                .find(|(output, _)| *output == key)
                .map(|(_, what)| what.clone())
                .or_else(|| {
                    (key.parent() == Some(same_place_key(dir).as_path())
                        && crate::publish::is_temp_file_name(key.file_name()))
                    .then(|| "a name publishing removes as an interrupted write".to_string())
                });
            if let Some(what) = clash {
                let message = format!(
                    "{whose}, {}, is {what}: give the store a file of its own, e.g. \"feedfold.db\"",
                    store_file.display()
                );
                return Err(match (&raw.store.path, &raw.publish.dir) {
                    (Some(path), _) => self.invalid("store.path", path, message),
                    (None, Some(dir)) => self.invalid("publish.dir", dir, message),
                    (None, None) => ConfigError::Syntax {
                        path: self.path.to_path_buf(),
                        message: format!("`store.path`: {message}"),
                    },
                });
            }
        }
        Ok(())
    }

    fn publish(&self, raw: &RawPublish) -> Result<PublishConfig, ConfigError> {
        let dir = match &raw.dir {
            Some(d) => self.resolve("publish.dir", d, self.non_empty("publish.dir", d)?)?,
            None => self.base.join("feeds"),
        };
        let base_url = match &raw.base_url {
            Some(u) => {
                let text = self.non_empty("publish.base_url", u)?;
                let shown = crate::redact::url(text);
                let parsed = Url::parse(text).map_err(|e| {
                    self.invalid("publish.base_url", u, format!("not a URL ({e}): {shown:?}"))
                })?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                    return Err(self.invalid(
                        "publish.base_url",
                        u,
                        "must be an absolute http:// or https:// URL",
                    ));
                }
                // Feed paths are appended to it, and it is published.
                if parsed.query().is_some()
                    || parsed.fragment().is_some()
                    || !parsed.username().is_empty()
                    || parsed.password().is_some()
                {
                    return Err(self.invalid(
                        "publish.base_url",
                        u,
                        format!(
                            "must have no query (`?…`), fragment (`#…`), user name or password: {shown:?}"
                        ),
                    ));
                }
                // As parsed (punycode host, percent-encoded path, no
                // default port), so every link built on it is a valid URL.
                parsed.as_str().trim_end_matches('/').to_string()
            }
            None => "http://127.0.0.1:8080".to_string(),
        };
        let author = match &raw.author {
            Some(a) => self.shown("publish.author", a)?.to_string(),
            None => "feedfold".to_string(),
        };
        let websub_hub = match &raw.websub_hub {
            Some(hub) => Some(self.http_url("publish.websub_hub", hub)?),
            None => None,
        };
        Ok(PublishConfig {
            dir,
            base_url,
            author,
            websub_hub,
        })
    }

    fn http_url(&self, key: &str, value: &Spanned<String>) -> Result<String, ConfigError> {
        let text = self.non_empty(key, value)?;
        let url = Url::parse(text).map_err(|e| {
            let shown = crate::redact::url(text);
            self.invalid(key, value, format!("not a URL ({e}): {shown:?}"))
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(self.invalid(key, value, "must be an absolute http:// or https:// URL"));
        }
        Ok(url.to_string())
    }

    /// A size of at least one byte.
    fn size(&self, key: &str, value: &Spanned<RawSize>) -> Result<u64, ConfigError> {
        let (bytes, shown) = match value.get_ref() {
            RawSize::Bytes(n) => (u64::try_from(*n).ok(), n.to_string()),
            RawSize::Text(text) => (parse_size(text), format!("{text:?}")),
        };
        bytes.filter(|n| *n > 0).ok_or_else(|| {
            self.invalid(
                key,
                value,
                format!("{shown} is not {SIZE_EXAMPLES} (at least 1)"),
            )
        })
    }

    fn server(&self, raw: &RawServer) -> Result<ServerConfig, ConfigError> {
        let defaults = ServerConfig::default();
        Ok(ServerConfig {
            bind: match &raw.bind {
                Some(bind) => bind
                    .get_ref()
                    .parse()
                    .map_err(|message: String| self.invalid("server.bind", bind, message))?,
                None => defaults.bind,
            },
            max_age: match &raw.max_age {
                Some(n) => self.count("server.max_age", n, 0..=31_536_000)? as u64,
                None => defaults.max_age,
            },
            token: match &raw.token {
                Some(token) => Some(self.bearer_token("server.token", token)?.to_string()),
                None => None,
            },
            max_body: match &raw.max_body {
                Some(size) => self.size("server.max_body", size)?,
                None => defaults.max_body,
            },
            header_timeout: match &raw.header_timeout {
                Some(d) => self.duration("server.header_timeout", d)?,
                None => defaults.header_timeout,
            },
            max_connections: match &raw.max_connections {
                Some(n) => self.count("server.max_connections", n, 1..=1_000_000)?,
                None => defaults.max_connections,
            },
            push: defaults.push,
        })
    }

    /// `push_source` and `push_sources`, checked against the configured
    /// sources: a push never writes under a feed source's name, the
    /// default push source's (`api`) included.
    fn push_scope(
        &self,
        raw: &RawServer,
        raw_sources: &[RawSource],
        sources: &[SourceConfig],
    ) -> Result<PushScope, ConfigError> {
        let fetching = |name: &str| {
            sources
                .iter()
                .position(|s| s.name == name)
                .and_then(|i| match sources[i].kind {
                    SourceKind::Feed { .. } => Some((i, "feed")),
                    SourceKind::Sitemap { .. } => Some((i, "sitemap")),
                    SourceKind::Text(_) | SourceKind::Pages(_) => None,
                })
        };
        let check = |name: &str| {
            check_source_name(name)?;
            if let Some((_, kind)) = fetching(name) {
                return Err(format!(
                    "{name:?} is a {kind} source; pushes may not write under its name"
                ));
            }
            Ok(name.to_string())
        };
        let mut scope = PushScope::default();
        match &raw.push_source {
            Some(name) => {
                let text = self.non_empty("server.push_source", name)?;
                scope.default =
                    check(text).map_err(|m| self.invalid("server.push_source", name, m))?;
            }
            // Unwritten, the default is checked too, at the source it names.
            None => {
                if let Some((i, kind)) = fetching(&scope.default) {
                    return Err(self.invalid(
                        &format!("source[{i}].name"),
                        &raw_sources[i].name,
                        format!(
                            "{:?} is a {kind} source, but pushes that name no source are recorded \
                             under {:?} (the default of `server.push_source`); rename the source, \
                             or set `server.push_source` to another name",
                            scope.default, scope.default
                        ),
                    ));
                }
            }
        }
        if let Some(list) = &raw.push_sources {
            for name in &list.get_ref().0 {
                let name =
                    check(name.trim()).map_err(|m| self.invalid("server.push_sources", list, m))?;
                scope.others.push(name);
            }
        }
        Ok(scope)
    }

    fn dedup(&self, raw: &RawDedup) -> Result<DedupConfig, ConfigError> {
        let defaults = DedupConfig::default();
        Ok(DedupConfig {
            near: raw.near.unwrap_or(defaults.near),
            max_distance: match &raw.max_distance {
                Some(n) => {
                    self.count("dedup.max_distance", n, 0..=i64::from(MAX_NEAR_DISTANCE))? as u32
                }
                None => defaults.max_distance,
            },
        })
    }

    fn fetch(&self, raw: &RawFetch) -> Result<FetchConfig, ConfigError> {
        let defaults = FetchConfig::default();
        Ok(FetchConfig {
            concurrency: match &raw.concurrency {
                Some(n) => self.count("fetch.concurrency", n, 1..=256)?,
                None => defaults.concurrency,
            },
            connect_timeout: match &raw.connect_timeout {
                Some(d) => self.duration("fetch.connect_timeout", d)?,
                None => defaults.connect_timeout,
            },
            timeout: match &raw.timeout {
                Some(d) => self.duration("fetch.timeout", d)?,
                None => defaults.timeout,
            },
            max_body: match &raw.max_body {
                Some(size) => self.size("fetch.max_body", size)?,
                None => defaults.max_body,
            },
            max_redirects: match &raw.max_redirects {
                Some(n) => self.count("fetch.max_redirects", n, 0..=20)?,
                None => defaults.max_redirects,
            },
            allow_private: raw.allow_private.unwrap_or(defaults.allow_private),
        })
    }

    fn count(
        &self,
        key: &str,
        value: &Spanned<i64>,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<usize, ConfigError> {
        let n = *value.get_ref();
        if !range.contains(&n) {
            return Err(self.invalid(
                key,
                value,
                format!("{n} is out of range {}..={}", range.start(), range.end()),
            ));
        }
        Ok(n as usize)
    }

    /// A duration above zero; a zero one is refused as such, not as one
    /// malformed.
    fn duration(&self, key: &str, value: &Spanned<String>) -> Result<Duration, ConfigError> {
        let text = value.get_ref();
        match parse_duration(text) {
            Some(duration) if duration > LONGEST_DURATION => Err(self.invalid(
                key,
                value,
                format!("{text:?} is more than a year; a duration is at most \"366d\""),
            )),
            Some(duration) if !duration.is_zero() => Ok(duration),
            Some(_) => Err(self.invalid(
                key,
                value,
                format!("{text:?} is zero; a duration must be at least \"1s\""),
            )),
            None => Err(self.invalid(
                key,
                value,
                format!("{text:?} is not a duration such as \"30s\", \"15m\", \"1h30m\""),
            )),
        }
    }

    /// Where source `name` reads its feed or sitemap (`key`) from.
    fn feed_location(
        &self,
        key: &str,
        name: &str,
        value: &Spanned<String>,
    ) -> Result<FeedLocation, ConfigError> {
        let text = self.non_empty(key, value)?;
        feed_location(text, self.base)
            .map_err(|message| self.invalid(key, value, format!("source {name:?}: {message}")))
    }

    fn sources(&self, raw: &[RawSource]) -> Result<Vec<SourceConfig>, ConfigError> {
        let mut seen = HashSet::new();
        let mut sources = Vec::new();
        for (i, source) in raw.iter().enumerate() {
            let key = |field: &str| format!("source[{i}].{field}");
            let name = self.non_empty(&key("name"), &source.name)?;
            if let Err(message) = check_source_name(name) {
                return Err(self.invalid(&key("name"), &source.name, message));
            }
            if !seen.insert(name.to_string()) {
                return Err(self.invalid(
                    &key("name"),
                    &source.name,
                    format!("{name:?} is used twice"),
                ));
            }
            let kind = self.source_kind(i, source)?;
            let interval = match &source.interval {
                Some(text) => Some(self.duration(&key("interval"), text)?),
                None => None,
            };
            let title = match &source.title {
                Some(title) => Some(self.shown(&key("title"), title)?.to_string()),
                None => None,
            };
            sources.push(SourceConfig {
                name: name.to_string(),
                title,
                kind,
                interval,
            });
        }
        Ok(sources)
    }

    /// Refuses option `key` of a source of kind `field` unless the option
    /// is for kind `kind`.
    fn only_for<T>(
        &self,
        key: &str,
        value: &Spanned<T>,
        field: &str,
        kind: &str,
    ) -> Result<(), ConfigError> {
        if field == kind {
            return Ok(());
        }
        let option = key.rsplit('.').next().unwrap_or(key);
        Err(self.invalid(key, value, format!("`{option}` is for `{kind}` sources")))
    }

    /// What a `[[source]]` reads: exactly one of `text`, `feed`, `pages`
    /// and `sitemap`, with the options that kind takes.
    fn source_kind(&self, i: usize, source: &RawSource) -> Result<SourceKind, ConfigError> {
        let key = |field: &str| format!("source[{i}].{field}");
        let given: Vec<(&str, &Spanned<String>)> = [
            ("text", &source.text),
            ("feed", &source.feed),
            ("pages", &source.pages),
            ("sitemap", &source.sitemap),
        ]
        .into_iter()
        .filter_map(|(field, value)| value.as_ref().map(|v| (field, v)))
        .collect();
        let (field, value) = match given[..] {
            [one] => one,
            [] => {
                return Err(self.invalid(
                    &key("name"),
                    &source.name,
                    "the source needs `text = \"path or glob\"`, `feed = \"URL or path\"`, `pages = \"path or glob\"` or `sitemap = \"URL or path\"`",
                ));
            }
            [_, (second, value), ..] => {
                return Err(self.invalid(
                    &key(second),
                    value,
                    "a source has exactly one of `text`, `feed`, `pages` and `sitemap`",
                ));
            }
        };
        if let Some(max_pages) = &source.max_pages {
            self.only_for(&key("max_pages"), max_pages, field, "sitemap")?;
        }
        if let Some(full_text) = &source.full_text {
            self.only_for(&key("full_text"), full_text, field, "feed")?;
        }
        Ok(match field {
            "text" | "pages" => {
                let pattern = self.non_empty(&key(field), value)?;
                if let Some(message) = url_in_files(field, pattern) {
                    return Err(self.invalid(&key(field), value, message));
                }
                if let Err(message) = crate::ingest::dump_files::check_pattern(pattern) {
                    return Err(self.invalid(
                        &key(field),
                        value,
                        format!("not a valid path or glob: {message}"),
                    ));
                }
                match field {
                    "text" => SourceKind::Text(self.resolve(&key(field), value, pattern)?),
                    _ => SourceKind::Pages(self.resolve(&key(field), value, pattern)?),
                }
            }
            "feed" => SourceKind::Feed {
                location: self.feed_location(&key(field), source.name.get_ref().trim(), value)?,
                full_text: source.full_text.as_ref().is_some_and(|f| *f.get_ref()),
            },
            _ => SourceKind::Sitemap {
                location: self.feed_location(&key(field), source.name.get_ref().trim(), value)?,
                max_pages: match &source.max_pages {
                    Some(n) => self.count(&key("max_pages"), n, 1..=10_000)?,
                    None => DEFAULT_MAX_PAGES,
                },
            },
        })
    }

    fn feeds(&self, raw: &[RawFeed], known: &[&str]) -> Result<Vec<FeedSpec>, ConfigError> {
        let mut seen = HashSet::new();
        let mut feeds = Vec::new();
        for (i, feed) in raw.iter().enumerate() {
            let key = |field: &str| format!("feed[{i}].{field}");
            let name = self.non_empty(&key("name"), &feed.name)?;
            check_feed_name(name)
                .map_err(|m| self.invalid(&key("name"), &feed.name, format!("{name:?}: {m}")))?;
            if !seen.insert(name.to_string()) {
                return Err(self.invalid(
                    &key("name"),
                    &feed.name,
                    format!("{name:?} is used twice"),
                ));
            }
            let title = self.shown(&key("title"), &feed.title)?;
            let sources = match &feed.sources {
                Some(list) => {
                    if list.get_ref().0.is_empty() {
                        return Err(self.invalid(
                            &key("sources"),
                            list,
                            "list at least one source, or leave the key out for all",
                        ));
                    }
                    if let Some(unknown) = list
                        .get_ref()
                        .0
                        .iter()
                        .find(|s| !known.contains(&s.as_str()))
                    {
                        return Err(self.invalid(
                            &key("sources"),
                            list,
                            format!(
                                "no [[source]] is named {unknown:?} (known: {})",
                                known.join(", ")
                            ),
                        ));
                    }
                    Some(list.get_ref().0.clone())
                }
                None => None,
            };
            let limit = match &feed.limit {
                Some(limit) => {
                    let value = *limit.get_ref();
                    if value < 1 || value as usize > MAX_FEED_LIMIT {
                        return Err(self.invalid(
                            &key("limit"),
                            limit,
                            format!("{value} is out of range 1..={MAX_FEED_LIMIT}"),
                        ));
                    }
                    value as usize
                }
                None => DEFAULT_FEED_LIMIT,
            };
            feeds.push(FeedSpec {
                name: name.to_string(),
                title: title.to_string(),
                description: feed.description.clone(),
                sources,
                limit,
            });
        }
        Ok(feeds)
    }
}

/// The files of a SQLite store: the suffix each adds to the store's path,
/// and what the file is, for messages.
const STORE_FILES: [(&str, &str); 5] = [
    ("", "the store"),
    ("-wal", "the store's -wal file"),
    ("-shm", "the store's -shm file"),
    ("-journal", "the store's -journal file"),
    ("-lock", "the store's -lock file"),
];

/// How many symbolic links [`same_place_key`] follows in one path before
/// it takes the rest as written (a loop of links would never end).
const MAX_LINKS_FOLLOWED: usize = 40;

/// `path` in the form every path to one file shares, as the file system
/// resolves it: made absolute against the current folder (the base of a
/// config's relative paths), and each component that exists followed
/// through symbolic links, the last one too, even when its link's target
/// does not exist yet; `.` and `..` fold away as the file system folds
/// them, after the links before them.
fn same_place_key(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut pending: Vec<std::ffi::OsString> = Vec::new();
    let mut resolved = PathBuf::new();
    push_components(&mut resolved, &mut pending, &absolute);
    let mut links_followed = 0;
    while let Some(part) = pending.pop() {
        if part == ".." {
            resolved.pop();
            continue;
        }
        resolved.push(&part);
        let is_link = std::fs::symlink_metadata(&resolved).is_ok_and(|m| m.is_symlink());
        if !is_link || links_followed == MAX_LINKS_FOLLOWED {
            continue;
        }
        let Ok(target) = std::fs::read_link(&resolved) else {
            continue;
        };
        links_followed += 1;
        resolved.pop();
        push_components(&mut resolved, &mut pending, &target);
    }
    resolved
}

/// Puts the components of `path` on `pending`, the stack of components
/// still to resolve (the first one on top), dropping `.`; a root (an
/// absolute `path`) starts `resolved` over from it.
fn push_components(resolved: &mut PathBuf, pending: &mut Vec<std::ffi::OsString>, path: &Path) {
    let mut parts = Vec::new();
    let mut rooted = false;
    for part in path.components() {
        match part {
            std::path::Component::Prefix(_) | std::path::Component::RootDir => {
                // An absolute link's target leaves what was resolved before it.
                if !rooted {
                    resolved.clear();
                    rooted = true;
                }
                resolved.push(part);
            }
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => parts.push("..".into()),
            std::path::Component::Normal(name) => parts.push(name.to_owned()),
        }
    }
    pending.extend(parts.into_iter().rev());
}

/// What a feed or sitemap location may be, for messages.
const ACCEPTED_LOCATIONS: &str = "an http:// or https:// URL, or a local path";

/// Reads where a feed or sitemap document is: an `http://` or `https://`
/// URL (the scheme in any case), or a local path, resolved against `base`.
/// Another scheme (`ftp://`, `file:`), a URL without its scheme
/// (`//host/feed`), and a host and path without a scheme
/// (`example.org/rss.xml`, when no such file exists) are refused, the
/// message saying what is accepted. URLs in messages are redacted.
pub fn feed_location(text: &str, base: &Path) -> Result<FeedLocation, String> {
    let text = text.trim();
    let shown = crate::redact::url(text);
    // Shown as the URL it would be with a scheme, so that it is redacted.
    let with_scheme = |rest: &str| crate::redact::url(&format!("https://{rest}")).into_owned();
    if starts_with_userinfo(text) {
        let url = with_scheme(text);
        let shown = url.trim_start_matches("https://");
        return Err(format!(
            "\"{shown}\" (user name and password hidden) is a URL without its scheme: \
             write \"https://\" before it (feedfold reads {ACCEPTED_LOCATIONS})"
        ));
    }
    // `localhost:8080/rss.xml` is a host and port, not a `localhost:` URL.
    let scheme = text
        .split_once(':')
        .filter(|(_, rest)| !starts_with_port(rest))
        .map(|(scheme, _)| scheme)
        .filter(|s| is_scheme(s));
    match scheme.map(str::to_ascii_lowercase).as_deref() {
        Some("http" | "https") => {
            let url = Url::parse(text).map_err(|e| format!("not a URL ({e}): {shown:?}"))?;
            if url.host().is_none() {
                return Err(format!("{shown:?} has no host"));
            }
            return Ok(FeedLocation::Url(url.to_string()));
        }
        Some(other) => {
            return Err(format!(
                "{shown:?}: feedfold does not read {other}: URLs; give {ACCEPTED_LOCATIONS}"
            ));
        }
        None => {}
    }
    if let Some(rest) = text.strip_prefix("//") {
        let url = with_scheme(rest);
        let shown = url.trim_start_matches("https:");
        return Err(format!(
            "{shown:?} has no scheme: write \"{url}\" (feedfold reads {ACCEPTED_LOCATIONS})"
        ));
    }
    let path = located(text, base, std::env::var_os("HOME").as_deref())?;
    if looks_like_a_host(text) && !path.exists() {
        let url = with_scheme(text);
        let shown = url.trim_start_matches("https://");
        return Err(format!(
            "{shown:?} is no file and looks like a URL without its scheme: write \"{url}\" \
             (feedfold reads {ACCEPTED_LOCATIONS})"
        ));
    }
    Ok(FeedLocation::File(path))
}

/// Whether `text` starts with a user name and password and no scheme
/// (`alice:pw@news.example/rss`): `user:password@` before the first `/`,
/// `?` or `#`. A file name with an `@` and no `:` before it
/// (`backup@2024.xml`) is none.
fn starts_with_userinfo(text: &str) -> bool {
    let first_segment = text.split(['/', '?', '#']).next().unwrap_or_default();
    first_segment
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// Why a `text` or `pages` path or glob (`field`) that is a URL
/// (`https://…`, any `scheme:` followed by `//`) cannot be read: both read
/// local files. `None` for a path.
fn url_in_files(field: &str, text: &str) -> Option<String> {
    let (scheme, rest) = text.trim().split_once(':')?;
    if !is_scheme(scheme) || !rest.starts_with("//") {
        return None;
    }
    let shown = crate::redact::url(text.trim());
    let instead = match field {
        "text" => "to read a site's news, give its feed as `feed = \"URL\"`",
        _ => {
            "to read pages from a site, give its news sitemap as `sitemap = \"URL\"`, \
             or its feed as `feed = \"URL\"` with `full_text = true`"
        }
    };
    Some(format!(
        "{shown:?}: `{field}` reads local files (a path or glob); {instead}"
    ))
}

/// A URL scheme (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`),
/// longer than a drive letter and without a dot, so `example.org:8080/x`
/// is a host and port, not a scheme.
fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    text.len() > 1
        && !text.contains('.')
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-'))
}

/// Whether `text` starts with a port: digits, then the end or a path.
fn starts_with_port(text: &str) -> bool {
    let port = text.split(['/', '?', '#']).next().unwrap_or_default();
    is_port(port)
}

/// Whether `text` is a port number's digits.
fn is_port(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// Whether `text` starts with what reads as a host: `www.` anything; a
/// dotted name ending in letters (a top-level domain), `localhost` or an
/// IP address (IPv6 in brackets), with a port or a path after it; or any
/// other name with a port and a path (`intranet:8080/rss`).
fn looks_like_a_host(text: &str) -> bool {
    let (first, rest) = text.split_once('/').unwrap_or((text, ""));
    let (host, port) = match first.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (first, None),
    };
    let has_port = port.is_some_and(is_port);
    let is_label =
        |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let labels: Vec<&str> = host.split('.').collect();
    let is_name = labels.len() >= 2
        && labels.iter().all(|l| is_label(l))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    let is_address = host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::Ipv4Addr>().is_ok()
        || host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok());
    if is_name && host.to_ascii_lowercase().starts_with("www.") {
        return true;
    }
    if is_name || is_address {
        return has_port || !rest.is_empty();
    }
    has_port && !rest.is_empty() && is_label(host)
}

/// Parses `30s`, `15m`, `1h30m`, `2d` (and combinations) into a duration.
/// Written here rather than taken from `humantime`, which also accepts
/// `500ms`, months and years: the accepted syntax is exactly what the
/// README documents, in whole seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return None,
        };
        let n: u64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
    }
    if !number.is_empty() {
        return None;
    }
    Some(Duration::from_secs(total))
}

/// Parses `16MiB`, `512KiB`, `1GiB`, `2MB` or a plain byte count. Written
/// here rather than taken from `bytesize`, which also accepts fractions and
/// lower-case units (`1.5 mib`), so the accepted syntax stays the README's.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let factor: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "KB" | "kB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// Longest feed name: with the extension and the temporary name a file is
/// written under (`.NAME.atom.` and 16 random characters and `.tmp`), it
/// fits the 255 bytes a file name may have on every common file system.
const MAX_FEED_NAME: usize = 128;

/// Whether `name` may name a `[[feed]]`, whose files it names; if not, why.
pub fn check_feed_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("must not be empty");
    }
    if name.len() > MAX_FEED_NAME {
        return Err("it names files, so at most 128 characters");
    }
    let file_safe = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !file_safe {
        return Err("it names files, so use a-z, 0-9, `-` and `_` only");
    }
    Ok(())
}

fn is_simple_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether `name` may name a source (a `[[source]]`, a push source, the
/// one `parse --source` stands for); if not, why.
pub fn check_source_name(name: &str) -> Result<(), String> {
    if name.is_empty() || !is_simple_name(name) {
        return Err(format!(
            "{name:?}: use letters, digits, `-`, `_` and `.` only"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("/etc/feedfold/config.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn a_key_of_too_many_parts_is_located() {
        let deep = vec!["t"; 100].join(".");
        let lines = GOOD.lines().count();
        for bad in [format!("[{deep}]"), format!("{deep} = 1")] {
            let err = parse(&format!("{GOOD}\n{bad}\n")).unwrap_err();
            assert_eq!(
                err,
                format!(
                    "/etc/feedfold/config.toml, line {}: a key or table name of too many \
                     dotted parts (the TOML reader takes fewer than 80)",
                    lines + 2
                )
            );
        }
    }

    const GOOD: &str = r#"
[store]
path = "data/feedfold.db"

[publish]
dir = "feeds"
base_url = "https://news.example/"

[[source]]
name = "samples"
text = "samples/*.txt"

[[feed]]
name = "news"
title = "News"
sources = ["samples"]
limit = 20
"#;

    #[test]
    fn a_config_not_in_utf8_is_refused_naming_the_line_column_and_offset() {
        let path = Path::new("config.toml");
        // Latin-1: "é" is the one byte 0xE9, after "é" in UTF-8 on the same line.
        let bytes = b"[[feed]]\nname = \"news\"\ntitle = \"\xc3\xa9t\xe9\"\n".to_vec();
        let error = config_text(bytes, path).unwrap_err().to_string();
        assert_eq!(
            error,
            "config.toml, line 3, column 12: invalid UTF-8 at byte offset 35; a config must be \
             UTF-8: convert the file first, e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
        );
        let first = config_text(b"\xff".to_vec(), path).unwrap_err().to_string();
        assert!(
            first.starts_with("config.toml, line 1, column 1: invalid UTF-8 at byte offset 0;"),
            "{first}"
        );
        assert_eq!(
            config_text(b"a = \"\xc3\xa9\"".to_vec(), path).unwrap(),
            "a = \"\u{e9}\""
        );
    }

    #[test]
    fn a_leading_tilde_is_the_home_folder() {
        let base = Path::new("/etc/feedfold");
        let home = Some(std::ffi::OsStr::new("/home/ada"));
        let cases = [
            ("~/dumps/*.txt", "/home/ada/dumps/*.txt"),
            ("~", "/home/ada"),
            ("dumps/~/a.txt", "/etc/feedfold/dumps/~/a.txt"),
            ("~ada/a.txt", "/etc/feedfold/~ada/a.txt"),
            ("/srv/~/a.txt", "/srv/~/a.txt"),
        ];
        for (path, expected) in cases {
            assert_eq!(
                located(path, base, home),
                Ok(PathBuf::from(expected)),
                "{path}"
            );
        }
        for unset in [None, Some(std::ffi::OsStr::new(""))] {
            let error = located("~/feedfold.db", base, unset).unwrap_err();
            assert!(error.contains("HOME is not set"), "{error}");
        }
        assert_eq!(located("feeds", base, None), Ok(base.join("feeds")));
    }

    #[test]
    fn good_config_resolves_paths_against_its_folder() {
        let config = parse(GOOD).unwrap();
        assert_eq!(
            config.store,
            StoreLocation::Sqlite("/etc/feedfold/data/feedfold.db".into())
        );
        assert_eq!(config.publish.dir, Path::new("/etc/feedfold/feeds"));
        assert_eq!(config.publish.base_url, "https://news.example");
        assert_eq!(
            config.sources[0].kind,
            SourceKind::Text(PathBuf::from("/etc/feedfold/samples/*.txt"))
        );
        assert_eq!(config.feeds[0].limit, 20);
        assert_eq!(
            config.feeds[0].sources.as_deref(),
            Some(&["samples".to_string()][..])
        );
    }

    #[test]
    fn base_url_is_published_as_parsed() {
        let cases = [
            (
                "https://nëws.example/my news",
                "https://xn--nws-jma.example/my%20news",
            ),
            ("HTTPS://News.Example.ORG:443/", "https://news.example.org"),
            ("http://news.example:80/feeds/", "http://news.example/feeds"),
            ("http://news.example:8080", "http://news.example:8080"),
            ("https://news.example/a/../b//", "https://news.example/b"),
        ];
        for (typed, published) in cases {
            let config = parse(&GOOD.replace("https://news.example/", typed)).unwrap();
            assert_eq!(config.publish.base_url, published, "{typed}");
        }
    }

    #[test]
    fn defaults_fill_missing_sections() {
        let config = parse(
            "[[source]]\nname = \"a\"\ntext = \"a.txt\"\n[[feed]]\nname = \"n\"\ntitle = \"N\"\n",
        )
        .unwrap();
        assert_eq!(
            config.store,
            StoreLocation::Sqlite("/etc/feedfold/feedfold.db".into())
        );
        assert_eq!(config.feeds[0].limit, DEFAULT_FEED_LIMIT);
        assert_eq!(config.feeds[0].sources, None);
    }

    #[test]
    fn publish_url_errors_hide_passwords_and_query_values() {
        for (url, key) in [
            ("https://ed:s3cret@news.example/", "base_url"),
            ("https://news.example/?token=s3cret", "base_url"),
            ("https://ed:s3cret@news.example:70000/", "base_url"),
            ("hub.example/?key=s3cret", "websub_hub"),
            ("https://ed:s3cret@hub.example:70000/", "websub_hub"),
        ] {
            let config = GOOD.replace(
                "base_url = \"https://news.example/\"",
                &format!("{key} = \"{url}\""),
            );
            let err = parse(&config).unwrap_err();
            assert!(err.contains(&format!("publish.{key}")), "{url}: {err}");
            assert!(!err.contains("s3cret"), "{url}: {err}");
        }
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse(&GOOD.replace("limit = 20", "limt = 20")).unwrap_err();
        assert!(err.contains("line 17"), "{err}");
        assert!(err.contains("limt"), "{err}");
    }

    #[test]
    fn bad_values_name_key_and_line() {
        let cases = [
            (GOOD.replace("limit = 20", "limit = 0"), "feed[0].limit", 17),
            (GOOD.replace("limit = 20", "limit = \"many\""), "limit", 17),
            (
                GOOD.replace("[\"samples\"]", "[\"nope\"]"),
                "feed[0].sources",
                16,
            ),
            (
                GOOD.replace("https://news.example/", "news.example"),
                "publish.base_url",
                7,
            ),
            (
                GOOD.replace("https://news.example/", "https://news.example/?lang=en"),
                "publish.base_url",
                7,
            ),
            (
                GOOD.replace("https://news.example/", "https://news.example/#top"),
                "publish.base_url",
                7,
            ),
            (
                GOOD.replace("https://news.example/", "https://ed:pw@news.example/"),
                "publish.base_url",
                7,
            ),
            (
                GOOD.replace("name = \"news\"", "name = \"../news\""),
                "feed[0].name",
                14,
            ),
            (
                GOOD.replace("text = \"samples/*.txt\"", ""),
                "source[0]",
                10,
            ),
        ];
        for (text, key, line) in cases {
            let err = parse(&text).unwrap_err();
            assert!(err.contains(key), "{key}: {err}");
            assert!(err.contains(&format!("line {line}")), "{key}: {err}");
        }
    }

    #[test]
    fn a_zero_duration_is_refused_as_zero_and_a_malformed_one_as_malformed() {
        let with = |value: &str| {
            parse(&format!("[schedule]\ninterval = \"{value}\"\n{GOOD}")).unwrap_err()
        };
        for zero in ["0s", "0m", "0h0m"] {
            let err = with(zero);
            assert!(
                err.contains("schedule.interval")
                    && err.contains("is zero; a duration must be at least \"1s\""),
                "{err}"
            );
        }
        let err = with("soon");
        assert!(err.contains("\"soon\" is not a duration such as"), "{err}");
    }

    #[test]
    fn type_errors_name_the_key_and_say_in_plain_words_what_was_expected() {
        let at =
            |line: usize, rest: &str| format!("/etc/feedfold/config.toml, line {line}: {rest}");
        let server = |key: &str| format!("{GOOD}\n[server]\n{key}\n");
        let cases = [
            (
                GOOD.replace("[\"samples\"]", "[\n  \"samples\",\n  5,\n]"),
                at(
                    18,
                    "`feed[0].sources`: expected a list of strings, but item 2 is the whole number 5",
                ),
            ),
            (
                GOOD.replace("[\"samples\"]", "\"samples\""),
                at(
                    16,
                    "`feed[0].sources`: expected a list of strings, found the string \"samples\"",
                ),
            ),
            (
                GOOD.replace("[store]\npath = \"data/feedfold.db\"", "store = \"x.db\""),
                at(2, "`store`: expected a table, found the string \"x.db\""),
            ),
            (
                server("max_age = \"300\""),
                at(
                    20,
                    "`server.max_age`: expected a whole number, found the string \"300\"",
                ),
            ),
            (
                server("push_sources = [\"api\", true]"),
                at(
                    20,
                    "`server.push_sources`: expected a list of strings, but item 2 is `true`",
                ),
            ),
            (
                server("max_body = 1.5"),
                at(
                    20,
                    "`server.max_body`: expected a size such as \"16MiB\", \"512KiB\" or a whole number of bytes, found the number 1.5",
                ),
            ),
            (
                GOOD.replace("limit = 20", "limit = 99999999999999999999"),
                at(
                    17,
                    "`feed[0].limit`: expected a whole number, found 99999999999999999999, which is too large",
                ),
            ),
            (
                GOOD.replace("title = \"News\"", "title = 1979-05-27"),
                at(15, "`feed[0].title`: expected a string, found a date"),
            ),
            (
                format!("{GOOD}\n[dedup]\nnear = 1\n"),
                at(
                    20,
                    "`dedup.near`: expected true or false, found the whole number 1",
                ),
            ),
            (
                GOOD.replace("[[source]]", "[source]"),
                at(
                    9,
                    "`source`: expected one or more [[source]] tables, found a table",
                ),
            ),
            (
                GOOD.replace("limit = 20", "limt = 20"),
                at(
                    17,
                    "`feed[0].limt`: unknown key, expected one of `name`, `title`, `description`, `sources`, `limit`",
                ),
            ),
            (
                GOOD.replace("title = \"News\"\n", ""),
                at(13, "`feed[0].title`: required, but missing"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(&text).unwrap_err(), expected);
        }
        // A syntax error still shows where, with the line quoted.
        let err = parse(&GOOD.replace("[[feed]]", "[[feed]")).unwrap_err();
        assert!(err.contains("line 13") && err.contains("[[feed]"), "{err}");
    }

    #[test]
    fn a_section_written_as_a_list_is_refused_as_a_list_not_read_field_by_field() {
        let at =
            |line: usize, rest: &str| format!("/etc/feedfold/config.toml, line {line}: {rest}");
        let minimal = "[[source]]\nname = \"d\"\ntext = \"d/*.txt\"\n";
        for section in ["store", "publish", "fetch", "server", "schedule", "dedup"] {
            assert_eq!(
                parse(&format!("{minimal}[[{section}]]\n")).unwrap_err(),
                at(
                    4,
                    &format!(
                        "`{section}`: expected a table, found [[{section}]], a list of tables"
                    )
                ),
            );
        }
        // A list of values is not read as the section's fields in order.
        assert_eq!(
            parse(&format!("schedule = [\"1h\"]\n{minimal}")).unwrap_err(),
            at(1, "`schedule`: expected a table, found a list"),
        );
        assert_eq!(
            parse(&format!("dedup = [true, 3]\n{minimal}")).unwrap_err(),
            at(1, "`dedup`: expected a table, found a list"),
        );
        // An item of `[[source]]` or `[[feed]]` must be a table too.
        assert_eq!(
            parse(&format!("feed = [[\"news\", \"News\"]]\n{minimal}")).unwrap_err(),
            at(1, "`feed[0]`: expected a table, found a list"),
        );
    }

    #[test]
    fn feed_sources_and_fetch_settings() {
        let text = format!(
            "{GOOD}\n[fetch]\nconcurrency = 4\ntimeout = \"45s\"\nmax_body = \"2MiB\"\n\n[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss.xml\"\ninterval = \"1h30m\"\n\n[[source]]\nname = \"local\"\nfeed = \"upstream/atom.xml\"\n"
        );
        let config = parse(&text).unwrap();
        assert_eq!(config.fetch.concurrency, 4);
        assert_eq!(config.fetch.timeout, Duration::from_secs(45));
        assert_eq!(config.fetch.connect_timeout, Duration::from_secs(10));
        assert_eq!(config.fetch.max_body, 2 << 20);
        assert_eq!(config.fetch.max_redirects, 5);
        assert!(!config.fetch.allow_private);
        let intranet = parse(&format!("{GOOD}\n[fetch]\nallow_private = true\n")).unwrap();
        assert!(intranet.fetch.allow_private);
        assert_eq!(
            config.sources[1].kind,
            SourceKind::Feed {
                location: FeedLocation::Url("https://wire.example/rss.xml".into()),
                full_text: false
            }
        );
        assert_eq!(config.sources[1].interval, Some(Duration::from_secs(5400)));
        assert_eq!(
            config.sources[2].kind,
            SourceKind::Feed {
                location: FeedLocation::File(PathBuf::from("/etc/feedfold/upstream/atom.xml")),
                full_text: false
            }
        );
    }

    #[test]
    fn page_and_sitemap_sources() {
        let text = format!(
            "{GOOD}\n[[source]]\nname = \"scraped\"\npages = \"scraped/**/*.html\"\n\n[[source]]\nname = \"site\"\nsitemap = \"https://site.example/news-sitemap.xml\"\n\n[[source]]\nname = \"few\"\nsitemap = \"maps/sitemap.xml\"\nmax_pages = 5\n\n[[source]]\nname = \"teasers\"\nfeed = \"https://wire.example/rss.xml\"\nfull_text = true\n"
        );
        let config = parse(&text).unwrap();
        assert_eq!(
            config.sources[1].kind,
            SourceKind::Pages(PathBuf::from("/etc/feedfold/scraped/**/*.html"))
        );
        assert_eq!(
            config.sources[2].kind,
            SourceKind::Sitemap {
                location: FeedLocation::Url("https://site.example/news-sitemap.xml".into()),
                max_pages: DEFAULT_MAX_PAGES
            }
        );
        assert_eq!(
            config.sources[3].kind,
            SourceKind::Sitemap {
                location: FeedLocation::File(PathBuf::from("/etc/feedfold/maps/sitemap.xml")),
                max_pages: 5
            }
        );
        assert_eq!(
            config.sources[4].kind,
            SourceKind::Feed {
                location: FeedLocation::Url("https://wire.example/rss.xml".into()),
                full_text: true
            }
        );
    }

    #[test]
    fn page_and_sitemap_options_are_checked() {
        let cases = [
            (
                "pages = \"a/*.html\"\nsitemap = \"s.xml\"",
                "source[1].sitemap",
                "exactly one of",
            ),
            (
                "pages = \"a/*.html\"\nmax_pages = 3",
                "source[1].max_pages",
                "for `sitemap` sources",
            ),
            (
                "text = \"a.txt\"\nfull_text = true",
                "source[1].full_text",
                "for `feed` sources",
            ),
            (
                "sitemap = \"s.xml\"\nmax_pages = 0",
                "source[1].max_pages",
                "out of range 1..=10000",
            ),
            (
                "sitemap = \"ftp://s.example/s.xml\"",
                "source[1].sitemap",
                "does not read ftp: URLs",
            ),
            ("pages = \" \"", "source[1].pages", "must not be empty"),
            (
                "pages = \"https://site.example/news/a.html\"",
                "source[1].pages",
                "`pages` reads local files",
            ),
            (
                "pages = \"HTTP://site.example/news/*.html\"",
                "source[1].pages",
                "give its news sitemap as `sitemap",
            ),
            (
                "text = \"https://site.example/dumps/today.txt\"",
                "source[1].text",
                "`text` reads local files",
            ),
        ];
        for (lines, key, message) in cases {
            let err = parse(&format!("{GOOD}\n[[source]]\nname = \"x\"\n{lines}\n")).unwrap_err();
            assert!(err.contains(key) && err.contains(message), "{lines}: {err}");
        }
    }

    #[test]
    fn bad_feed_sources_are_refused() {
        let both = format!("{GOOD}\n[[source]]\nname = \"x\"\ntext = \"a\"\nfeed = \"b\"\n");
        assert!(parse(&both).unwrap_err().contains("exactly one of"));
        let ftp = format!("{GOOD}\n[[source]]\nname = \"x\"\nfeed = \"ftp://a.example/f\"\n");
        assert!(parse(&ftp).unwrap_err().contains("source[1].feed"));
        let interval =
            format!("{GOOD}\n[[source]]\nname = \"x\"\nfeed = \"f.xml\"\ninterval = \"soon\"\n");
        let err = parse(&interval).unwrap_err();
        assert!(
            err.contains("source[1].interval") && err.contains("line 22"),
            "{err}"
        );
        let size = format!("{GOOD}\n[fetch]\nmax_body = \"lots\"\n");
        assert!(parse(&size).unwrap_err().contains("fetch.max_body"));
    }

    #[test]
    fn feed_urls_without_a_scheme_or_with_another_are_refused_naming_the_source() {
        for (location, cause) in [
            ("ftp://a.example/f.xml", "does not read ftp: URLs"),
            ("FILE:///srv/f.xml", "does not read file: URLs"),
            ("feed:https://a.example/f", "does not read feed: URLs"),
            (
                "//a.example/f.xml",
                "has no scheme: write \"https://a.example/f.xml\"",
            ),
            (
                "example.org/rss.xml",
                "looks like a URL without its scheme: write \"https://example.org/rss.xml\"",
            ),
            ("www.example.org", "write \"https://www.example.org\""),
            (
                "127.0.0.1:8000/feed.xml",
                "looks like a URL without its scheme: write \"https://127.0.0.1:8000/feed.xml\"",
            ),
            ("localhost/rss.xml", "write \"https://localhost/rss.xml\""),
            (
                "192.168.1.10:8000/feed.xml",
                "write \"https://192.168.1.10:8000/feed.xml\"",
            ),
            (
                "localhost:8080/rss.xml",
                "write \"https://localhost:8080/rss.xml\"",
            ),
            ("[::1]:8000/rss", "write \"https://[::1]:8000/rss\""),
            ("intranet:8080/rss", "write \"https://intranet:8080/rss\""),
            (
                "news.example.com:8080/feed?key=s3cret",
                "news.example.com:8080/feed?key=***",
            ),
            (
                "alice:s3cret@news.example/rss",
                "\"news.example/rss\" (user name and password hidden) is a URL without its scheme",
            ),
        ] {
            let err = parse(&format!(
                "{GOOD}\n[[source]]\nname = \"wire\"\nfeed = \"{location}\"\n"
            ))
            .unwrap_err();
            assert!(
                err.contains("line 21: `source[1].feed`: source \"wire\": ") && err.contains(cause),
                "{location}: {err}"
            );
            assert!(
                err.contains("an http:// or https:// URL, or a local path"),
                "{err}"
            );
            assert!(!err.contains("s3cret"), "{err}");
        }
        let base = Path::new("/etc/feedfold");
        for path in [
            "upstream/atom.xml",
            "feed.xml",
            "feeds.d/atom.xml",
            "a:b.xml",
            "localhost",
            "127.0.0.1",
            "backup/2026:12/feed.xml",
        ] {
            assert_eq!(
                feed_location(path, base),
                Ok(FeedLocation::File(base.join(path))),
                "{path}"
            );
        }
        assert_eq!(
            feed_location("HTTPS://Wire.Example/rss", base),
            Ok(FeedLocation::Url("https://wire.example/rss".into()))
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("mirror.example.org")).unwrap();
        std::fs::write(dir.path().join("mirror.example.org/rss.xml"), "<rss/>").unwrap();
        assert_eq!(
            feed_location("mirror.example.org/rss.xml", dir.path()),
            Ok(FeedLocation::File(
                dir.path().join("mirror.example.org/rss.xml")
            )),
            "a file that is there is a file"
        );
    }

    #[test]
    fn the_environment_token_is_read_as_the_config_one() {
        let text = format!("{GOOD}\n[server]\ntoken = \"s3cret\\n\"\n");
        let config = parse(&text).unwrap().server;
        assert_eq!(config.token.as_deref(), Some("s3cret"));
        assert_eq!(config.push_token(None).unwrap().as_deref(), Some("s3cret"));
        let from_env = |value: &str| config.push_token(Some(value.into()));
        assert_eq!(from_env(" other\r\n").unwrap().as_deref(), Some("other"));
        for blank in ["", " \n"] {
            let err = from_env(blank).unwrap_err().to_string();
            assert!(
                err.starts_with("FEEDFOLD_TOKEN: must not be empty"),
                "{err}"
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let err = config
                .push_token(Some(std::ffi::OsString::from_vec(b"s3\xffcret".to_vec())))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("FEEDFOLD_TOKEN: "), "{err}");
        }
        assert_eq!(from_env("two words").unwrap().as_deref(), Some("two words"));
        for unsendable in ["p\u{e4}sswort", "tab\tinside"] {
            let err = from_env(unsendable).unwrap_err().to_string();
            assert!(
                err.starts_with("FEEDFOLD_TOKEN: must be ASCII letters"),
                "{err}"
            );
            assert!(!err.contains(unsendable), "{err}");
        }
        let err = parse(&format!("{GOOD}\n[server]\ntoken = \"p\u{e4}sswort\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`server.token`"), "{err}");
        assert!(err.contains("must be ASCII letters"), "{err}");
        assert!(!err.contains("p\u{e4}sswort"), "{err}");
        let no_token = ServerConfig::default();
        assert_eq!(no_token.push_token(None).unwrap(), None);
        assert_eq!(
            no_token.push_token(Some("t".into())).unwrap().as_deref(),
            Some("t")
        );
    }

    #[test]
    fn server_and_schedule_settings() {
        let defaults = parse(GOOD).unwrap();
        assert_eq!(defaults.server, ServerConfig::default());
        assert_eq!(defaults.default_interval, DEFAULT_INTERVAL);
        assert_eq!(defaults.publish.websub_hub, None);
        let text = format!(
            "{GOOD}\n[server]\nbind = \"0.0.0.0:9000\"\nmax_age = 60\ntoken = \"s3cret\"\nmax_body = \"64KiB\"\nheader_timeout = \"3s\"\nmax_connections = 500\n\n[schedule]\ninterval = \"5m\"\n"
        );
        let config = parse(&text).unwrap();
        assert_eq!(config.server.bind.to_string(), "0.0.0.0:9000");
        assert_eq!(config.server.max_age, 60);
        assert_eq!(config.server.token.as_deref(), Some("s3cret"));
        assert_eq!(config.server.max_body, 64 << 10);
        assert_eq!(config.server.header_timeout, Duration::from_secs(3));
        assert_eq!(config.server.max_connections, 500);
        assert_eq!(config.default_interval, Duration::from_secs(300));
        let hub = GOOD.replace(
            "[publish]",
            "[publish]\nwebsub_hub = \"https://hub.example/\"",
        );
        assert_eq!(
            parse(&hub).unwrap().publish.websub_hub.as_deref(),
            Some("https://hub.example/")
        );
        let bad = format!("{GOOD}\n[server]\nbind = \"localhost\"\n");
        let err = parse(&bad).unwrap_err();
        assert!(
            err.contains("server.bind") && err.contains("line 20"),
            "{err}"
        );
        for (text, shown) in [
            ("localhost:8081", "localhost:8081"),
            ("Feeds.Example.org:80", "feeds.example.org:80"),
            ("[::1]:8080", "[::1]:8080"),
            ("0.0.0.0:0", "0.0.0.0:0"),
        ] {
            let bind: BindAddress = text.parse().unwrap();
            assert_eq!(bind.to_string(), shown);
        }
        for bad in [
            "localhost",
            "localhost:http",
            ":8080",
            "a b:80",
            "host:70000",
            "-x.example:80",
        ] {
            let err = bad.parse::<BindAddress>().unwrap_err();
            assert!(err.contains("localhost:8080"), "{bad}: {err}");
        }
    }

    #[test]
    fn dedup_settings() {
        let defaults = parse(GOOD).unwrap().dedup;
        assert_eq!(defaults, DedupConfig::default());
        assert!(defaults.near, "near folding is on by default");
        assert_eq!(defaults.max_distance, 3);
        let config = parse(&format!(
            "{GOOD}\n[dedup]\nnear = false\nmax_distance = 5\n"
        ))
        .unwrap();
        assert_eq!(
            config.dedup,
            DedupConfig {
                near: false,
                max_distance: 5
            }
        );
        for bad in ["max_distance = 7", "max_distance = -1"] {
            let err = parse(&format!("{GOOD}\n[dedup]\n{bad}\n")).unwrap_err();
            assert!(
                err.contains("dedup.max_distance")
                    && err.contains("line 20")
                    && err.contains("0..=6"),
                "{err}"
            );
        }
        let err = parse(&format!("{GOOD}\n[dedup]\nnear = \"yes\"\n")).unwrap_err();
        assert!(err.contains("near") && err.contains("line 20"), "{err}");
        let err = parse(&format!("{GOOD}\n[dedup]\ndistance = 3\n")).unwrap_err();
        assert!(err.contains("distance") && err.contains("line 20"), "{err}");
    }

    #[test]
    fn durations_and_sizes() {
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_size("16MiB"), Some(16 << 20));
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("2 KB"), Some(2000));
        assert_eq!(parse_size("-1"), None);
    }

    #[test]
    fn a_size_may_be_a_whole_number_of_bytes() {
        let sized = |value: &str| {
            format!("{GOOD}\n[fetch]\nmax_body = {value}\n\n[server]\nmax_body = {value}\n")
        };
        for (value, bytes) in [
            ("1048576", 1 << 20),
            ("\"1048576\"", 1 << 20),
            ("\"2MiB\"", 2 << 20),
        ] {
            let config = parse(&sized(value)).unwrap();
            assert_eq!(config.fetch.max_body, bytes, "{value}");
            assert_eq!(config.server.max_body, bytes, "{value}");
        }
        for value in ["-5", "0"] {
            let err = parse(&sized(value)).unwrap_err();
            assert!(
                err.contains("line 20: `fetch.max_body`: ") && err.contains(value),
                "{value}: {err}"
            );
        }
        let err = parse(&format!("{GOOD}\n[server]\nmax_body = -1\n")).unwrap_err();
        assert!(err.contains("line 20: `server.max_body`: "), "{err}");
    }

    #[test]
    fn a_store_url_is_named_with_the_schema_its_options_choose() {
        let label = |text: &str| StoreUrl::parse(text).unwrap().label();
        assert_eq!(
            label("postgres://feeds:s3cret@db.example/news?options=-c%20search_path%3Dstaging"),
            "postgres://db.example:5432/news?options=-c%20search_path%3Dstaging"
        );
        assert_eq!(
            label(
                "postgres://db.example/news?options=-c%20statement_timeout%3D0%20\
                 --search_path%3Da%20-csearch_path%3Db%2Cc"
            ),
            "postgres://db.example:5432/news?options=-c%20search_path%3Db%2Cc",
            "the last one, as the server sets it"
        );
        assert_eq!(
            label("postgres:///news?host=/run/postgresql&options=-c%20search_path%3Dprod"),
            "postgres:///news?host=/run/postgresql&port=5432&options=-c%20search_path%3Dprod"
        );
        assert_eq!(
            label("postgres://db.example/news?options=-c%20statement_timeout%3D0"),
            "postgres://db.example:5432/news"
        );
    }

    #[test]
    fn store_url_names_postgres_and_never_shows_its_password() {
        let config = parse(&GOOD.replace(
            "path = \"data/feedfold.db\"",
            "url = \"postgres://feeds:s3cret@db.example:6543/news?sslmode=require\"",
        ))
        .unwrap();
        let StoreLocation::Postgres(url) = &config.store else {
            panic!("not PostgreSQL: {:?}", config.store);
        };
        assert_eq!(url.host_port(), "db.example:6543");
        assert_eq!(url.label(), "postgres://db.example:6543/news");
        assert!(url.secret().contains("s3cret"));
        for shown in [
            url.to_string(),
            format!("{url:?}"),
            format!("{config:?}"),
            config.store.to_string(),
        ] {
            assert!(!shown.contains("s3cret"), "{shown}");
        }
        assert_eq!(
            url.to_string(),
            "postgres://feeds:***@db.example:6543/news?sslmode=require"
        );
        let in_query =
            StoreUrl::parse("postgresql://db.example/news?user=feeds&password=s3cret").unwrap();
        assert_eq!(in_query.host_port(), "db.example:5432");
        assert!(!in_query.to_string().contains("s3cret"), "{in_query}");
    }

    #[test]
    fn config_errors_never_show_a_secret() {
        let secrets = [
            "PgPassw0rd",
            "S3cretT0ken",
            "FeedPass",
            "APIKEY",
            "123456789",
        ];
        for (bad, shown) in [
            (
                GOOD.replace(
                    "path = \"data/feedfold.db\"",
                    "url = \"postgres://feed:PgPassw0rd@db.example/feeds\" ,",
                ),
                "line 3, column 53\n  |\n3 | url = *** ,\n  |           ^\n\
                 unexpected key or value, expected newline, `#`",
            ),
            (
                format!("{GOOD}\n[server]\ntoken = \"S3cretT0ken\" ,\n"),
                "20 | token = *** ,\n",
            ),
            (
                format!("{GOOD}\n[server]\ntoken = S3cretT0ken\n"),
                "20 | token = ***\n",
            ),
            (
                GOOD.replace(
                    "text = \"samples/*.txt\"",
                    "feed=\"https://u:FeedPass@example.org/?key=APIKEY\" junk",
                ),
                "11 | feed=\"https://example.org/?key=***\" junk\n",
            ),
            (
                format!("{GOOD}\n[server]\ntoken = 123456789\n"),
                "line 20: `server.token`: expected a string, found a whole number",
            ),
            (
                GOOD.replace("path = \"data/feedfold.db\"", "url = 123456789"),
                "line 3: `store.url`: expected a string, found a whole number",
            ),
        ] {
            let err = parse(&bad).unwrap_err();
            assert!(err.contains(shown), "{shown}\n{err}");
            for secret in secrets {
                assert!(!err.contains(secret), "{secret}:\n{err}");
            }
        }
    }

    #[test]
    fn a_relative_root_certificate_is_found_beside_the_config() {
        let config = parse(&GOOD.replace(
            "path = \"data/feedfold.db\"",
            "url = \"postgres://feeds@db.example/news?sslmode=verify-full&sslrootcert=certs/ca.pem&application_name=reader\"",
        ))
        .unwrap();
        let StoreLocation::Postgres(url) = config.store else {
            panic!("a PostgreSQL store");
        };
        let query: Vec<(String, String)> = url
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert!(
            query.contains(&("sslrootcert".into(), "/etc/feedfold/certs/ca.pem".into())),
            "{query:?}"
        );
        assert!(query.contains(&("application_name".into(), "reader".into())));
    }

    #[test]
    fn store_url_parameters_the_client_reads_are_accepted() {
        let url = StoreUrl::parse(
            "postgres://feeds@db.example/news?application_name=reader&connect_timeout=3\
             &sslmode=verify-full&sslrootcert=/etc/ca.pem&keepalives_idle=20\
             &options=-c%20statement_timeout%3D0&target_session_attrs=read-write",
        )
        .unwrap();
        assert_eq!(url.host_port(), "db.example:5432");
    }

    #[test]
    fn store_url_host_port_and_dbname_parameters_win_and_are_named() {
        let url = StoreUrl::parse(
            "postgres://feeds:pw@db.example/news?port=6543&dbname=archive&sslmode=disable",
        )
        .unwrap();
        assert_eq!(url.label(), "postgres://db.example:6543/archive");
        assert_eq!(
            url.secret(),
            "postgres://feeds:pw@db.example:6543/archive?sslmode=disable"
        );
        let moved =
            StoreUrl::parse("postgres://feeds@db.example:5432/news?host=replica.example").unwrap();
        assert_eq!(moved.label(), "postgres://replica.example:5432/news");
        for several in [
            "postgres://feeds@db1.example:5432,db2.example:5432/news",
            "postgres://feeds@db.example/news?host=db1.example,db2.example",
        ] {
            let err = StoreUrl::parse(several).unwrap_err();
            assert!(err.contains("one host"), "{err}");
        }
        let err =
            StoreUrl::parse("postgres://db.example/news?target_session_attrs=primary").unwrap_err();
        assert!(err.contains("use any, read-write, read-only"), "{err}");
        assert!(StoreUrl::parse("postgres://db.example/news?port=many").is_err());
    }

    #[test]
    fn store_url_naming_a_unix_socket_folder_connects_to_its_socket() {
        // libpq's spellings of a socket folder: the host parameter (over a
        // host, after a user with no host, with no host at all) and the
        // folder percent-encoded in the host part; one folder is one label.
        // Each: the URL, the folder, the label, the URL as shown, its user
        // and password.
        let cases = [
            (
                "postgres://feeds:s3cret@localhost/news?host=/run/my%20pg&port=6543&sslmode=disable",
                "/run/my pg",
                "postgres:///news?host=/run/my%20pg&port=6543",
                "postgres://feeds:***@/news?host=/run/my%20pg&port=6543&sslmode=disable",
                Some("feeds"),
                Some("s3cret"),
            ),
            (
                "postgres:///news?host=%2Frun%2Fmy%20pg&port=6543",
                "/run/my pg",
                "postgres:///news?host=/run/my%20pg&port=6543",
                "postgres:///news?host=/run/my%20pg&port=6543",
                None,
                None,
            ),
            (
                "postgresql://%2frun%2fmy%20pg:6543/news",
                "/run/my pg",
                "postgresql:///news?host=/run/my%20pg&port=6543",
                "postgresql:///news?host=/run/my%20pg&port=6543",
                None,
                None,
            ),
            (
                "postgres://feeds:s3cret@/news?host=/run/my%20pg&port=6543&sslmode=disable",
                "/run/my pg",
                "postgres:///news?host=/run/my%20pg&port=6543",
                "postgres://feeds:***@/news?host=/run/my%20pg&port=6543&sslmode=disable",
                Some("feeds"),
                Some("s3cret"),
            ),
            (
                "postgres://feeds@:6543/news?host=/run/pg",
                "/run/pg",
                "postgres:///news?host=/run/pg&port=6543",
                "postgres://feeds@/news?host=/run/pg&port=6543",
                Some("feeds"),
                None,
            ),
        ];
        for (text, folder, label, shown, user, password) in cases {
            let url = StoreUrl::parse(text).unwrap();
            assert_eq!(url.host_port(), format!("{folder}/.s.PGSQL.6543"), "{text}");
            assert_eq!(url.label(), label, "{text}");
            assert_eq!(url.to_string(), shown, "{text}");
            // What is shown names the same store, read again.
            let again = StoreUrl::parse(&url.to_string().replace("***", "s3cret")).unwrap();
            assert_eq!(
                (again.label(), again.host_port()),
                (url.label(), url.host_port())
            );
            let config: postgres::Config = url.secret().parse().unwrap();
            assert_eq!(
                config.get_hosts(),
                [postgres::config::Host::Unix(folder.into())],
                "{text}"
            );
            assert_eq!(config.get_ports(), [6543], "{text}");
            assert_eq!(config.get_user(), user, "{text}");
            assert_eq!(config.get_password(), password.map(str::as_bytes), "{text}");
        }
        // Without a host or the parameter it names no host, and says how to
        // name one.
        for hostless in ["postgres:///news", "postgres://feeds:s3cret@/news"] {
            let err = StoreUrl::parse(hostless).unwrap_err();
            assert!(
                err.contains("names a host") && !err.contains("s3cret"),
                "{err}"
            );
        }
        let bad_address = StoreUrl::parse("postgres://feeds@:6543/news?hostaddr=x").unwrap_err();
        assert!(
            bad_address.contains("`hostaddr`") && bad_address.contains("an IP address"),
            "{bad_address}"
        );
    }

    #[test]
    fn an_address_alone_names_the_host_as_in_libpq() {
        for (text, host_port, label) in [
            (
                "postgres:///news?hostaddr=10.0.0.5&port=6543&user=feeds",
                "10.0.0.5:6543",
                "postgres://10.0.0.5:6543/news",
            ),
            (
                "postgres://feeds@/news?port=6543&hostaddr=10.0.0.5",
                "10.0.0.5:6543",
                "postgres://10.0.0.5:6543/news",
            ),
            (
                "postgres://feeds@:6543/news?hostaddr=fd00::5",
                "[fd00::5]:6543",
                "postgres://[fd00::5]:6543/news",
            ),
        ] {
            let url = StoreUrl::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(url.host_port(), host_port, "{text}");
            assert_eq!(url.label(), label, "{text}");
            let config: postgres::Config = url.secret().parse().unwrap();
            assert_eq!(config.get_ports(), [6543], "{text}");
            assert_eq!(config.get_hostaddrs().len(), 1, "{text}");
        }
        // A host beside it is the host, as in libpq.
        let both = StoreUrl::parse("postgres:///news?port=6543&host=db.example&hostaddr=10.0.0.5")
            .unwrap();
        assert_eq!(both.host_port(), "db.example:6543");
    }

    #[test]
    fn a_duration_over_a_year_is_refused_naming_the_key() {
        let text = "[schedule]\ninterval = \"300000000d\"\n";
        let err = parse(text).unwrap_err();
        assert!(
            err.contains("line 2: `schedule.interval`") && err.contains("at most \"366d\""),
            "{err}"
        );
        assert!(parse("[schedule]\ninterval = \"366d\"\n").is_ok());
    }

    #[test]
    fn a_malformed_glob_is_a_config_error_naming_the_key() {
        let text = "[[source]]\nname = \"desk\"\ntext = \"dumps/**x/*.txt\"\n";
        let err = parse(text).unwrap_err();
        assert!(
            err.contains("line 3: `source[0].text`") && err.contains("not a valid path or glob"),
            "{err}"
        );
        // An unmatched `[` selects nothing: it is part of a name.
        assert!(parse("[[source]]\nname = \"desk\"\ntext = \"in [draft/*.txt\"\n").is_ok());
    }

    #[test]
    fn a_store_path_naming_an_existing_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let text = GOOD.replace("path = \"data/feedfold.db\"", "path = \"data\"");
        let err = Config::parse(&text, &dir.path().join("config.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`store.path`") && err.contains("is a folder"),
            "{err}"
        );
        assert!(err.contains("data/feedfold.db"), "{err}");
    }

    #[test]
    fn a_store_that_is_a_file_feedfold_writes_is_refused_naming_the_key() {
        let store = |path: &str| GOOD.replace("data/feedfold.db", path);
        for (text, what) in [
            (
                store("feeds/news.rss"),
                "the store, /etc/feedfold/feeds/news.rss, is the file feed \"news\" is published to",
            ),
            (
                store("./feeds/../feeds/news.json"),
                "is the file feed \"news\" is published to",
            ),
            (
                store("feeds/news.atom"),
                "is the file feed \"news\" is published to",
            ),
            (
                store("feeds"),
                "the store, /etc/feedfold/feeds, is the feeds folder",
            ),
            (store("feeds/.feedfold.lock"), "is the feeds folder's lock"),
            (store("config.toml"), "is the config file"),
            (
                store("feeds/.news.rss.x.tmp"),
                "a name publishing removes as an interrupted write",
            ),
        ] {
            let err = parse(&text).unwrap_err();
            assert!(
                err.starts_with("/etc/feedfold/config.toml, line 3: `store.path`: "),
                "{err}"
            );
            assert!(err.contains(what), "{err}");
        }
        // The store's -wal file at the feeds folder.
        let err =
            parse(&GOOD.replace("dir = \"feeds\"", "dir = \"data/feedfold.db-wal\"")).unwrap_err();
        assert!(
            err.contains("`store.path`: the store's -wal file") && err.contains("the feeds folder"),
            "{err}"
        );
        // The feeds folder moved onto the default store names `publish.dir`.
        let text = GOOD
            .replace("[store]\npath = \"data/feedfold.db\"\n", "")
            .replace("dir = \"feeds\"", "dir = \"feedfold.db\"");
        let err = parse(&text).unwrap_err();
        assert!(err.contains("`publish.dir`: the store"), "{err}");
        // A store beside the feeds, in their folder, is its own file.
        assert!(parse(&store("feeds/feedfold.db")).is_ok());
        assert!(parse(&store("feeds/news.db")).is_ok());
    }

    #[test]
    fn paths_to_one_file_share_their_place_key_however_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("real")).unwrap();
        std::os::unix::fs::symlink("real", root.join("feeds")).unwrap();
        // A link to a file not there yet, and a link to that link.
        std::os::unix::fs::symlink("feeds/news.rss", root.join("state.db")).unwrap();
        std::os::unix::fs::symlink(root.join("state.db"), root.join("again.db")).unwrap();
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        let feed = root.join("real/news.rss");
        for written in [
            root.join("feeds/news.rss"),
            root.join("real/../feeds/./news.rss"),
            root.join("state.db"),
            root.join("again.db"),
            root.join("missing/../real/news.rss"),
        ] {
            assert_eq!(same_place_key(&written), feed, "{}", written.display());
        }
        assert_eq!(same_place_key(&root.join("loop")), root.join("loop"));
        // A relative path is made absolute against the current folder.
        let here = std::fs::canonicalize(std::env::current_dir().unwrap()).unwrap();
        assert_eq!(
            same_place_key(Path::new("no-such-folder/news.rss")),
            here.join("no-such-folder/news.rss")
        );
    }

    #[test]
    fn a_store_path_the_store_url_variable_replaces_is_not_checked_against_the_feeds() {
        let text = GOOD.replace("data/feedfold.db", "feeds/news.rss");
        let path = Path::new("/etc/feedfold/config.toml");
        let url = |value: &str| Some(std::ffi::OsString::from(value));
        let config =
            Config::parse_with_store_url(&text, path, url("postgres://feed@db.example/feeds"))
                .unwrap();
        assert!(matches!(config.store, StoreLocation::Postgres(_)));
        // Set and blank, the variable is the error, not the path.
        let err = Config::parse_with_store_url(&text, path, url(" "))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(STORE_URL_VAR) && !err.contains("store.path"),
            "{err}"
        );
        assert!(Config::parse_with_store_url(&text, path, None).is_err());
    }

    #[test]
    fn store_path_and_url_together_are_refused_naming_the_key() {
        let both = GOOD.replace(
            "path = \"data/feedfold.db\"",
            "path = \"data/feedfold.db\"\nurl = \"postgres://feeds:s3cret@db.example/news\"",
        );
        let err = parse(&both).unwrap_err();
        assert!(err.contains("line 4: `store.url`"), "{err}");
        assert!(err.contains("not both"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        let misplaced = GOOD.replace(
            "path = \"data/feedfold.db\"",
            "path = \"postgres://feeds:s3cret@db.example/news\"",
        );
        let err = parse(&misplaced).unwrap_err();
        assert!(
            err.contains("line 3: `store.path`") && err.contains("goes in `url`"),
            "{err}"
        );
        assert!(!err.contains("s3cret"), "{err}");
        let copy_notation = parse(&GOOD.replace(
            "path = \"data/feedfold.db\"",
            "path = \"sqlite:data/feedfold.db\"",
        ))
        .unwrap_err();
        assert!(
            copy_notation.contains("line 3: `store.path`")
                && copy_notation.contains("path = \"data/feedfold.db\""),
            "{copy_notation}"
        );
        let folder =
            parse(&GOOD.replace("path = \"data/feedfold.db\"", "path = \"data/\"")).unwrap_err();
        assert!(
            folder.contains("line 3: `store.path`") && folder.contains("names a folder"),
            "{folder}"
        );
        for (url, cause) in [
            ("mysql://db.example/news", "postgres://"),
            ("postgres:///news", "names a host"),
            (
                "postgres://db.example/news?sslmode=bogus",
                "sslmode=bogus: use disable",
            ),
            ("not a url s3cret", "not a URL"),
            (
                "postgres://feeds:s3cret@db.example/news?applicaton_name=reader",
                "`applicaton_name` is not a parameter",
            ),
            // A raw `&` in a password: its rest is read as parameters.
            (
                "postgres://feeds@db.example/news?sslmode=disable&password=Tr0ub4dor&3s3cret",
                "a parameter after `password=` is not one",
            ),
            (
                "postgres://feeds@db.example/news?password=Tr0ub4dor&s3cret=horse",
                "write a `&` in a password as `%26`",
            ),
            (
                "postgres://feeds@db.example/news?password=Tr0ub&sslmode=s3cret",
                "a parameter after `password=`",
            ),
            (
                "postgres://feeds:s3cret@db.example/news?sslcert=/etc/client.crt&sslkey=s3cret",
                "`sslcert`: client certificates are not supported",
            ),
            (
                "postgres://feeds@db.example/news?passfile=s3cret",
                "`passfile`: libpq's, not supported",
            ),
            (
                "postgres://feeds:s3cret@db.example/news?connect_timeout=abc",
                "`connect_timeout`: the PostgreSQL client cannot read its value (a whole number",
            ),
            (
                "postgres://feeds:s3cret@db.example/news?channel_binding=maybe",
                "`channel_binding`: the PostgreSQL client cannot read its value (disable",
            ),
            // Values the client reads but the system refuses.
            (
                "postgres://feeds:s3cret@db.example/news?keepalives_retries=0",
                "`keepalives_retries`: the PostgreSQL client cannot read its value (a whole number, 1 to 127)",
            ),
            (
                "postgres://feeds:s3cret@db.example/news?keepalives_idle=99999999",
                "`keepalives_idle`: the PostgreSQL client cannot read its value (a whole number of seconds, 1 to 32767)",
            ),
        ] {
            let err =
                parse(&GOOD.replace("path = \"data/feedfold.db\"", &format!("url = \"{url}\"")))
                    .unwrap_err();
            assert!(err.contains("`store.url`") && err.contains(cause), "{err}");
            assert!(!err.contains("s3cret"), "{err}");
        }
    }

    #[test]
    fn a_feed_source_named_like_the_default_push_source_is_refused() {
        let named_api = |kind: &str, server: &str| {
            parse(&format!(
                "{GOOD}\n[server]\n{server}\n[[source]]\nname = \"api\"\n{kind}\n"
            ))
        };
        let err = named_api("feed = \"https://api.example/rss\"", "").unwrap_err();
        assert_eq!(
            err,
            "/etc/feedfold/config.toml, line 22: `source[1].name`: \"api\" is a feed source, but \
             pushes that name no source are recorded under \"api\" (the default of \
             `server.push_source`); rename the source, or set `server.push_source` to another name"
        );
        let err = named_api("sitemap = \"https://api.example/sitemap.xml\"", "").unwrap_err();
        assert!(err.contains("\"api\" is a sitemap source"), "{err}");
        let written = named_api(
            "feed = \"https://api.example/rss\"",
            "push_source = \"api\"",
        );
        assert!(
            written
                .unwrap_err()
                .contains("`server.push_source`: \"api\" is a feed source"),
            "the default written out is refused alike"
        );
        assert!(
            named_api(
                "feed = \"https://api.example/rss\"",
                "push_source = \"desk\""
            )
            .is_ok()
        );
        assert!(
            named_api("text = \"api/*.txt\"", "").is_ok(),
            "a dump source may take pushes"
        );
    }

    #[test]
    fn a_source_no_feed_publishes_and_a_config_without_feeds_are_warned_of() {
        assert!(parse(GOOD).unwrap().warnings(true).is_empty());
        let unfed = parse(&format!(
            "{GOOD}\n[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\ntitle = \"The Wire\"\n"
        ))
        .unwrap();
        assert_eq!(unfed.sources[1].title.as_deref(), Some("The Wire"));
        assert!(!unfed.feeds_source("wire") && unfed.feeds_source("samples"));
        let warnings = unfed.warnings(true);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("/etc/feedfold/config.toml: source \"wire\" feeds no [[feed]]"),
            "{warnings:?}"
        );
        let every = parse(&format!(
            "{}\n[[source]]\nname = \"wire\"\nfeed = \"https://wire.example/rss\"\n",
            GOOD.replace("sources = [\"samples\"]\n", "")
        ))
        .unwrap();
        assert!(
            every.warnings(true).is_empty(),
            "a feed without `sources` takes every source"
        );
        assert!(every.feeds_source("api"), "pushed articles too");
        assert!(every.push_warnings().is_empty());
        let pushes = unfed.push_warnings();
        assert_eq!(pushes.len(), 1, "{pushes:?}");
        assert!(
            pushes[0].contains("pushed under source \"api\""),
            "{pushes:?}"
        );
        let feedless = parse("[[source]]\nname = \"a\"\ntext = \"a.txt\"\n").unwrap();
        let warnings = feedless.warnings(true);
        assert_eq!(
            warnings.len(),
            1,
            "one warning, not one per source: {warnings:?}"
        );
        assert!(warnings[0].contains("there is no [[feed]]"), "{warnings:?}");
        let err = parse(&format!(
            "{GOOD}\n[[source]]\nname = \"x\"\ntext = \"x\"\ntitle = \" \"\n"
        ))
        .unwrap_err();
        assert!(err.contains("source[1].title"), "{err}");
    }

    #[test]
    fn a_title_or_author_of_only_invisible_characters_is_refused() {
        let cases = [
            (
                GOOD.replace("title = \"News\"", "title = \"\u{200B}\u{200E} \""),
                "`feed[0].title`",
            ),
            (
                GOOD.replace("[publish]", "[publish]\nauthor = \"\u{2060}\""),
                "`publish.author`",
            ),
        ];
        for (text, key) in cases {
            assert_ne!(text, GOOD);
            let err = parse(&text).unwrap_err();
            assert!(err.contains(key), "{err}");
            assert!(err.contains("show as nothing"), "{err}");
        }
        let shown = GOOD.replace("title = \"News\"", "title = \"\u{200B}News\"");
        assert!(
            parse(&shown).is_ok(),
            "a visible title with a zero-width space"
        );
    }

    #[test]
    fn a_config_without_sources_is_warned_of() {
        let sourceless = parse("[[feed]]\nname = \"n\"\ntitle = \"N\"\n").unwrap();
        assert_eq!(
            sourceless.warnings(true),
            [
                "/etc/feedfold/config.toml: there is no [[source]]: nothing is read, and only \
              articles pushed to `serve`'s API are published; add a [[source]] (text, feed, \
              pages or sitemap)"
            ]
        );
        // Without a token the push API is off: nothing would be published.
        let warnings = sourceless.warnings(false);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("no push token")
                && warnings[0].contains("the push API is off")
                && warnings[0].contains("nothing is published")
                && warnings[0].contains("FEEDFOLD_TOKEN")
                && !warnings[0].contains("only articles pushed"),
            "{warnings:?}"
        );
        let empty = parse("").unwrap();
        let warnings = empty.warnings(true);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("there is no [[source]]")
                && warnings[1].contains("there is no [[feed]]"),
            "{warnings:?}"
        );
    }

    #[test]
    fn duplicate_names_are_refused() {
        let text = format!("{GOOD}\n[[source]]\nname = \"samples\"\ntext = \"x\"\n");
        let err = parse(&text).unwrap_err();
        assert!(err.contains("used twice"), "{err}");
    }
}

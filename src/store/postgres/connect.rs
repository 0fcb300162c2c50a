//! Connecting to PostgreSQL: a `postgres://` URL becomes the client's
//! configuration, and every error names the store and, for a connection
//! that fails, its host and port, never the password. TLS is rustls, with
//! libpq's `sslmode`s: `prefer` (the default) and `require` encrypt without
//! checking the server's certificate, unless `sslrootcert=FILE` names the
//! authorities to check it against; `verify-ca` checks who signed it (the
//! system's roots, or `sslrootcert`), `verify-full` that and the host name.
//! Connecting, from the TCP connect to the end of authentication, takes at
//! most the connect timeout; TCP keepalives and a TCP user timeout notice a
//! server that is gone while a statement runs. Statements are prepared once
//! per connection.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use postgres::config::SslMode;
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, Row, Statement};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::config::StoreUrl;
use crate::store::StoreError;

/// How long connecting may take before the store counts as unreachable,
/// unless the URL's `connect_timeout` says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// TCP keepalives: the first probe after this long idle, then one every
/// [`KEEPALIVE_INTERVAL`], the connection dropped after
/// [`KEEPALIVE_RETRIES`] unanswered; the URL's `keepalives_*` win.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(30);
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
const KEEPALIVE_RETRIES: u32 = 3;
/// How long data sent may go unacknowledged before the connection counts
/// as lost (the URL's `tcp_user_timeout` wins).
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(60);

/// The URL's parameters read here rather than by the client.
const READ_HERE: [&str; 3] = ["sslmode", "sslrootcert", "tcp_user_timeout"];

/// A connection attempt running on a thread of its own.
type Attempt = Receiver<Result<Client, postgres::Error>>;

/// Everything needed to open connections to one database.
#[derive(Clone)]
pub(super) struct Target {
    config: postgres::Config,
    /// For `sslmode=allow`, the encrypted connection tried when the
    /// server refuses the one in the clear (as libpq does).
    encrypted_if_refused: Option<postgres::Config>,
    /// The session settings that give the server's side of the connection
    /// the client's keepalives, so that the server notices within about a
    /// minute a client whose machine went away, and ends its session and
    /// its locks (the fold lock, claims) with it: the server's own default
    /// waits two hours.
    server_keepalives: String,
    tls: MakeRustlsConnect,
    /// The host as the URL names it, for messages about its certificate.
    host: String,
    /// What the server's certificate is checked against, for messages.
    roots: String,
    /// How to connect without checking the server's certificate, as a
    /// refused certificate's message advises it.
    unchecked: &'static str,
    pub label: String,
    pub host_port: String,
    /// The port, for the message on a server that is not PostgreSQL.
    port: u16,
    /// An attempt that outlived its deadline and still waits for the
    /// server: the next connect takes it up instead of starting another.
    late: Arc<Mutex<Option<Attempt>>>,
}

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Not at all (libpq's `prefer` and `require` without a root file).
    Nothing,
    /// Signed by a known authority (`verify-ca`, or `prefer` and
    /// `require` with `sslrootcert`).
    Signer,
    /// That, and issued for the host connected to (`verify-full`).
    SignerAndName,
}

impl Target {
    pub fn new(url: &StoreUrl) -> Result<Target, StoreError> {
        let label = url.label();
        let bad = |message: String| StoreError::Backend {
            store: label.clone(),
            message,
        };
        let parsed = url::Url::parse(url.secret()).map_err(|e| bad(format!("bad URL: {e}")))?;
        let mut root_file = None;
        let mut mode = "prefer".to_string();
        let mut user_timeout = None;
        // sslmode, sslrootcert and tcp_user_timeout (which the client would
        // read as seconds, libpq as milliseconds) are read here, the rest by
        // the client,
        // each parameter passed on as written (re-encoding would turn an
        // encoded space into a `+`, which the client reads as a plus).
        let mut kept = parsed.clone();
        let passed: Vec<std::borrow::Cow<str>> = parsed
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                !pair.is_empty() && !READ_HERE.contains(&key)
            })
            .map(crate::config::client_query_pair)
            .collect();
        kept.set_query(
            Some(&passed.join("&"))
                .filter(|q| !q.is_empty())
                .map(String::as_str),
        );
        let mut given = Vec::new();
        for (key, value) in parsed.query_pairs() {
            match key.as_ref() {
                "sslrootcert" => root_file = Some(value.into_owned()),
                "sslmode" => mode = value.into_owned(),
                "tcp_user_timeout" => user_timeout = Some(value.into_owned()),
                other => given.push(other.to_string()),
            }
        }
        let (ssl_mode, check) = tls_mode(&mode, root_file.is_some()).map_err(bad)?;
        // The client's own parse error names the parameter, never the URL.
        let mut config = postgres::Config::from_str(kept.as_str()).map_err(|e| {
            let cause = std::error::Error::source(&e).map(ToString::to_string);
            bad(cause.unwrap_or_else(|| e.to_string()))
        })?;
        if config.get_user().is_none() {
            let user = std::env::var("USER").unwrap_or_else(|_| "postgres".into());
            config.user(&user);
        }
        // The URL's own settings win.
        let unless_given = |key: &str| !given.iter().any(|g| g == key);
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("feedfold");
        }
        if unless_given("keepalives_idle") {
            config.keepalives_idle(KEEPALIVE_IDLE);
        }
        if unless_given("keepalives_interval") {
            config.keepalives_interval(KEEPALIVE_INTERVAL);
        }
        if unless_given("keepalives_retries") {
            config.keepalives_retries(KEEPALIVE_RETRIES);
        }
        // As libpq: milliseconds, 0 the system's default (none).
        match user_timeout.as_deref().map(str::parse::<u64>) {
            None => {
                config.tcp_user_timeout(TCP_USER_TIMEOUT);
            }
            Some(Ok(0)) => {}
            Some(Ok(milliseconds)) => {
                config.tcp_user_timeout(Duration::from_millis(milliseconds));
            }
            Some(Err(_)) => {
                return Err(bad(
                    "`tcp_user_timeout`: not a whole number of milliseconds".into(),
                ));
            }
        }
        // As libpq: a Unix socket is never encrypted, whatever the mode
        // asks (its `require` and `verify-*` connect there in the clear);
        // a `hostaddr` beside it connects over TCP, encrypted as asked.
        let on_sockets_only = config.get_hostaddrs().is_empty()
            && config
                .get_hosts()
                .iter()
                .all(|host| matches!(host, postgres::config::Host::Unix(_)));
        config
            .ssl_mode(if on_sockets_only {
                SslMode::Disable
            } else {
                ssl_mode
            })
            .notice_callback(|notice| tracing::debug!("database notice: {}", notice.message()));
        let encrypted_if_refused = (mode == "allow" && !on_sockets_only).then(|| {
            let mut encrypted = config.clone();
            encrypted.ssl_mode(SslMode::Require);
            encrypted
        });
        let server_keepalives = server_keepalives(&config);
        let tls = MakeRustlsConnect::new(tls_config(check, root_file.as_deref()).map_err(bad)?);
        Ok(Target {
            config,
            encrypted_if_refused,
            server_keepalives,
            tls,
            host: parsed.host_str().unwrap_or_default().to_string(),
            roots: match &root_file {
                Some(file) => format!("sslrootcert={file}"),
                None => "the system's roots".into(),
            },
            unchecked: unchecked_advice(&mode, root_file.is_some()),
            host_port: url.host_port(),
            port: url.port(),
            label,
            late: Arc::new(Mutex::new(None)),
        })
    }

    /// How long connecting may take.
    fn connect_timeout(&self) -> Duration {
        self.config
            .get_connect_timeout()
            .copied()
            .unwrap_or(CONNECT_TIMEOUT)
    }

    /// A new connection, or [`StoreError::Unreachable`] naming host and
    /// port. The client bounds only the TCP connect by the timeout, so the
    /// attempt runs on a thread of its own and is waited for that long:
    /// one the server never answers is left to finish (or fail) there, and
    /// the next call waits for it again rather than start another.
    pub fn connect(&self) -> Result<Conn, StoreError> {
        let timeout = self.connect_timeout();
        let mut late = self.late.lock().unwrap_or_else(PoisonError::into_inner);
        let attempt = match late.take() {
            Some(earlier) => match earlier.try_recv() {
                Ok(Ok(client)) => return Ok(Conn::new(client)),
                Err(TryRecvError::Empty) => earlier,
                // It failed meanwhile: try afresh.
                Ok(Err(_)) | Err(TryRecvError::Disconnected) => self.attempt()?,
            },
            None => self.attempt()?,
        };
        let client = match attempt.recv_timeout(timeout) {
            Ok(result) => result.map_err(|e| self.connect_error(&e))?,
            Err(RecvTimeoutError::Timeout) => {
                *late = Some(attempt);
                if self.speaks_unasked() {
                    return Err(self.not_postgres_here());
                }
                return Err(
                    self.unreachable(format!("no answer within {} s", timeout.as_secs_f64()))
                );
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(
                    self.unreachable("the connection attempt ended without a result".into())
                );
            }
        };
        Ok(Conn::new(client))
    }

    /// Starts connecting on a thread of its own.
    fn attempt(&self) -> Result<Attempt, StoreError> {
        let (sender, receiver) = mpsc::sync_channel(1);
        let (config, tls) = (self.config.clone(), self.tls.clone());
        let encrypted_if_refused = self.encrypted_if_refused.clone();
        let server_keepalives = self.server_keepalives.clone();
        std::thread::Builder::new()
            .name("feedfold-pg-connect".into())
            .spawn(move || {
                let connected = config
                    .connect(tls.clone())
                    .or_else(|refused| match &encrypted_if_refused {
                        // The server answered, refusing the connection in
                        // the clear: it may insist on TLS.
                        Some(encrypted) if refused.as_db_error().is_some() => {
                            encrypted.connect(tls)
                        }
                        _ => Err(refused),
                    })
                    .and_then(|mut client| {
                        if !server_keepalives.is_empty() {
                            client.batch_execute(&server_keepalives)?;
                        }
                        Ok(client)
                    });
                // The receiver may be gone: the client then closes.
                let _ = sender.send(connected);
            })
            .map_err(|e| self.unreachable(format!("cannot start connecting: {e}")))?;
        Ok(receiver)
    }

    /// Why connecting failed: unreachable (with what was wrong with the
    /// server's certificate, if that was it), or the server's refusal
    /// (authentication, no such database), which says it is reachable.
    fn connect_error(&self, error: &postgres::Error) -> StoreError {
        let not_postgres_here = || self.not_postgres_here();
        if let Some(refused) = certificate_error(error) {
            // A handshake that broke on what the server sent, not on its
            // certificate, may be another server's banner read as TLS.
            let broken = !matches!(refused, rustls::Error::InvalidCertificate(_));
            if broken && !self.answers_as_postgres() {
                return not_postgres_here();
            }
            return self.unreachable(self.certificate_refused(refused));
        }
        if not_postgres(error)
            || ((tls_refused(error) || hung_up(error)) && !self.answers_as_postgres())
        {
            return not_postgres_here();
        }
        match self.error(error) {
            StoreError::Lost { cause, .. } => self.unreachable(cause),
            other => other,
        }
    }

    /// The server at the address is not PostgreSQL.
    fn not_postgres_here(&self) -> StoreError {
        self.unreachable(format!(
            "the server at {} does not speak PostgreSQL (is {} the database's port?)",
            self.host_port, self.port
        ))
    }

    /// Whether what listens at the server's address speaks before it is
    /// spoken to, which PostgreSQL never does (an SSH server's banner,
    /// which a client that sent no request for TLS reads as the start of a
    /// message too long to wait for). False when it cannot be told.
    fn speaks_unasked(&self) -> bool {
        use std::io::Read;
        self.probe_addresses().iter().any(|address| {
            std::net::TcpStream::connect_timeout(address, QUIET_AFTER_ANSWER)
                .and_then(|mut stream| {
                    stream.set_read_timeout(Some(QUIET_AFTER_ANSWER))?;
                    stream.read(&mut [0u8; 16])
                })
                .is_ok_and(|n| n > 0)
        })
    }

    /// The TCP addresses of the server, to look at what listens there;
    /// none for a Unix socket.
    fn probe_addresses(&self) -> Vec<std::net::SocketAddr> {
        use std::net::{SocketAddr, ToSocketAddrs};
        match self.config.get_hostaddrs().first() {
            Some(ip) => vec![SocketAddr::new(*ip, self.port)],
            None => match self.config.get_hosts().first() {
                Some(postgres::config::Host::Tcp(host)) => (host.as_str(), self.port)
                    .to_socket_addrs()
                    .map(Iterator::collect)
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
        }
    }

    /// Whether what listens at the server's address answers PostgreSQL's
    /// request for TLS as PostgreSQL does (`S` or `N`, then nothing until
    /// spoken to), asked again when the client was told the server has no
    /// TLS or its TLS broke: a web server's first byte is told apart from
    /// PostgreSQL's `N` that way, and an SSH server's banner, whose first
    /// byte is an `S`, by the bytes that follow it. True when it cannot be
    /// told (no connection, no answer within the connect timeout, a Unix
    /// socket).
    fn answers_as_postgres(&self) -> bool {
        use std::io::{Read, Write};
        use std::net::TcpStream;
        /// The SSLRequest: its length (8), then the code 80877103.
        const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
        let timeout = self.connect_timeout();
        self.probe_addresses()
            .iter()
            .find_map(|address| {
                let mut stream = TcpStream::connect_timeout(address, timeout).ok()?;
                stream.set_read_timeout(Some(timeout)).ok()?;
                stream.write_all(&SSL_REQUEST).ok()?;
                let mut first = [0u8];
                stream.read_exact(&mut first).ok()?;
                if !matches!(first[0], b'S' | b'N') {
                    return Some(false);
                }
                // PostgreSQL says that one byte and waits; a server that
                // speaks first goes on (an SSH server's `SSH-2.0-…`).
                stream.set_read_timeout(Some(QUIET_AFTER_ANSWER)).ok()?;
                let mut more = [0u8; 16];
                Some(!matches!(stream.read(&mut more), Ok(n) if n > 0))
            })
            .unwrap_or(true)
    }

    /// A sentence on why the server's certificate was refused, with what
    /// to change.
    fn certificate_refused(&self, error: &rustls::Error) -> String {
        let rustls::Error::InvalidCertificate(problem) = error else {
            return format!("TLS failed: {error}");
        };
        match problem {
            CertificateError::UnknownIssuer | CertificateError::BadSignature => format!(
                "the server's certificate is not signed by an authority in {}; give the \
                 authority's certificate with `sslrootcert=FILE`, or {}",
                self.roots, self.unchecked
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!(
                    "the server's certificate is not issued for {}; connect by a name it is \
                     issued for, or use `sslmode=verify-ca` to check only who signed it",
                    self.host
                )
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => format!(
                "the server's certificate has expired; renew it, or {}",
                self.unchecked
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet (check the clocks of both machines)"
                    .into()
            }
            CertificateError::Other(other) if is_authority_shown_as_server(other) => format!(
                "the server's certificate is an authority's (CA:TRUE, as a self-signed \
                 certificate made with `openssl req -x509` is), which a server may not show \
                 as its own; give the server a certificate signed by an authority (as the \
                 PostgreSQL manual's \"Creating Certificates\" does with a root and a server \
                 certificate) and that authority's certificate with `sslrootcert=FILE`, or {}",
                self.unchecked
            ),
            other => format!(
                "the server's certificate was refused ({other}); check it, or {}",
                self.unchecked
            ),
        }
    }

    /// A client error as a store error: unreachable when the connection
    /// could not be made or was lost, a backend error otherwise.
    pub fn error(&self, error: &postgres::Error) -> StoreError {
        if let Some(db) = error.as_db_error() {
            if connection_lost(error) {
                return self.lost(db.message().to_string());
            }
            let mut message = db.message().to_string();
            if let Some(detail) = db.detail() {
                message.push_str(&format!(" ({detail})"));
            }
            let store = self.label.clone();
            let code = db.code();
            return if *code == SqlState::DISK_FULL {
                StoreError::Full { store, message }
            } else if [
                SqlState::LOCK_NOT_AVAILABLE,
                SqlState::T_R_DEADLOCK_DETECTED,
                SqlState::T_R_SERIALIZATION_FAILURE,
                SqlState::TOO_MANY_CONNECTIONS,
            ]
            .contains(code)
            {
                StoreError::Busy { store, message }
            } else {
                StoreError::Backend { store, message }
            };
        }
        let cause = std::error::Error::source(error)
            .map(|cause| cause.to_string())
            .unwrap_or_else(|| error.to_string());
        if connection_lost(error) {
            // A TLS connection the server dropped without TLS's goodbye
            // (it crashed, or its machine went down) is closed as a
            // connection in the clear is, not a fault of the TLS library.
            if io_error_kind(error) == Some(std::io::ErrorKind::UnexpectedEof) {
                return self.lost(CLOSED.into());
            }
            return self.lost(cause);
        }
        StoreError::Backend {
            store: self.label.clone(),
            message: format!("{error}: {cause}"),
        }
    }

    fn lost(&self, cause: String) -> StoreError {
        StoreError::Lost {
            store: self.label.clone(),
            host_port: self.host_port.clone(),
            cause,
        }
    }

    fn unreachable(&self, cause: String) -> StoreError {
        StoreError::Unreachable {
            store: self.label.clone(),
            host_port: self.host_port.clone(),
            cause,
        }
    }
}

/// The statements that set the server's TCP keepalives for the session as
/// `config` sets the client's (the server reads them in seconds; over a
/// Unix socket it ignores them). None when the URL turns keepalives off
/// (`keepalives=0`), and none for a setting the URL's `options` already
/// gives the server (`options=-c tcp_keepalives_idle=60`).
fn server_keepalives(config: &postgres::Config) -> String {
    if !config.get_keepalives() {
        return String::new();
    }
    let options = config.get_options().unwrap_or_default();
    [
        (
            "tcp_keepalives_idle",
            config.get_keepalives_idle().as_secs(),
        ),
        (
            "tcp_keepalives_interval",
            config
                .get_keepalives_interval()
                .unwrap_or(KEEPALIVE_INTERVAL)
                .as_secs(),
        ),
        (
            "tcp_keepalives_count",
            u64::from(config.get_keepalives_retries().unwrap_or(KEEPALIVE_RETRIES)),
        ),
    ]
    .into_iter()
    .filter(|(setting, _)| !options.contains(setting))
    .map(|(setting, value)| format!("SET {setting} = {value}"))
    .collect::<Vec<_>>()
    .join("; ")
}

/// Whether the client uses TLS, and how it checks the server's
/// certificate, for libpq's `sslmode` and whether `sslrootcert` is given:
/// libpq checks who signed the certificate whenever it has a root file.
/// `allow` connects in the clear first (the encrypted connection it tries
/// when the server refuses that one is [`Target::new`]'s).
fn tls_mode(mode: &str, root_file: bool) -> Result<(SslMode, Check), String> {
    Ok(match (mode, root_file) {
        ("disable", _) => (SslMode::Disable, Check::Nothing),
        ("allow", false) => (SslMode::Disable, Check::Nothing),
        ("allow", true) => (SslMode::Disable, Check::Signer),
        ("prefer", false) => (SslMode::Prefer, Check::Nothing),
        ("prefer", true) => (SslMode::Prefer, Check::Signer),
        ("require", false) => (SslMode::Require, Check::Nothing),
        ("require", true) | ("verify-ca", _) => (SslMode::Require, Check::Signer),
        ("verify-full", _) => (SslMode::Require, Check::SignerAndName),
        (other, _) => {
            return Err(format!(
                "sslmode={other}: use disable, allow, prefer, require, verify-ca or verify-full"
            ));
        }
    })
}

/// How a refused certificate's message advises to encrypt without
/// checking the certificate, given `sslmode` and whether `sslrootcert` is:
/// `prefer` and `require` check the signer only because of `sslrootcert`.
fn unchecked_advice(mode: &str, root_file: bool) -> &'static str {
    match (mode, root_file) {
        ("allow" | "prefer" | "require", true) => {
            "leave `sslrootcert` out to encrypt without checking the certificate"
        }
        (_, true) => {
            "use `sslmode=require` without `sslrootcert` to encrypt without checking the certificate"
        }
        (_, false) => "use `sslmode=require` to encrypt without checking the certificate",
    }
}

/// Whether a certificate was refused because it is an authority's
/// (`CA:TRUE`) shown as the server's own.
fn is_authority_shown_as_server(error: &rustls::OtherError) -> bool {
    matches!(
        error.0.downcast_ref::<webpki::Error>(),
        Some(webpki::Error::CaUsedAsEndEntity)
    )
}

/// The TLS error behind a client error, if TLS failed.
fn certificate_error(error: &postgres::Error) -> Option<&rustls::Error> {
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        if inner.is_some() {
            return inner;
        }
        cause = e.source();
    }
    None
}

/// Whether connecting failed because what answered is no PostgreSQL
/// server: it sent what the protocol cannot read (a web server's page),
/// or closed the connection before the startup exchange was done.
fn not_postgres(error: &postgres::Error) -> bool {
    if error.as_db_error().is_some() {
        return false;
    }
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = cause {
        let text = e.to_string();
        if [
            "bytes remaining on stream",
            "early eof",
            "unexpected message from server",
        ]
        .iter()
        .any(|words| text.contains(words))
        {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Whether the server hung up on the startup exchange (reset, closed or
/// ended it): what a web server does after its page when the client took
/// the page's first byte for PostgreSQL's no to TLS (`sslmode=prefer`) and
/// waits for the rest of a message that never comes.
fn hung_up(error: &postgres::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        io_error_kind(error),
        Some(
            ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::UnexpectedEof
                | ErrorKind::BrokenPipe
        )
    )
}

/// The kind of the input or output error behind a client error, if one is.
fn io_error_kind(error: &postgres::Error) -> Option<std::io::ErrorKind> {
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cause = e.source();
    }
    None
}

/// What the client says of a connection the server closed.
const CLOSED: &str = "connection closed";

/// How long a server that answered the request for TLS must then stay
/// quiet to be taken for PostgreSQL.
const QUIET_AFTER_ANSWER: std::time::Duration = std::time::Duration::from_millis(300);

/// Whether connecting failed because the server answered the request for
/// TLS without it, where the `sslmode` requires it.
fn tls_refused(error: &postgres::Error) -> bool {
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = cause {
        if e.to_string().contains("server does not support TLS") {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Whether the error means the connection is gone: closed, broken in the
/// network, or ended by a server that is shutting down (class 57) or
/// reports a connection exception (class 08).
fn connection_lost(error: &postgres::Error) -> bool {
    match error.as_db_error() {
        Some(db) => matches!(&db.code().code()[..2], "08" | "57"),
        None => error.is_closed() || cause_is_io(error),
    }
}

/// Whether the error came from the network or a timeout, not the server.
fn cause_is_io(error: &postgres::Error) -> bool {
    let text = error.to_string();
    text.starts_with("error connecting")
        || text.starts_with("error communicating")
        || text.starts_with("timeout")
        || text.starts_with("error performing TLS")
}

/// rustls, checking the server's certificate as `check` says, against the
/// certificates in `root_file`, or the system's roots.
fn tls_config(check: Check, root_file: Option<&str>) -> Result<rustls::ClientConfig, String> {
    let provider = rustls::crypto::ring::default_provider();
    let _ = provider.clone().install_default();
    let builder = rustls::ClientConfig::builder();
    let config = match check {
        Check::Nothing => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(SignerCheck {
                roots: None,
                algorithms: provider.signature_verification_algorithms,
            })),
        Check::Signer => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(SignerCheck {
                roots: Some(roots(root_file)?),
                algorithms: provider.signature_verification_algorithms,
            })),
        Check::SignerAndName => builder.with_root_certificates(Arc::new(roots(root_file)?)),
    };
    Ok(config.with_no_client_auth())
}

/// The certificates in `root_file`, or the system's roots.
fn roots(root_file: Option<&str>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    match root_file {
        Some(file) => {
            let pem = std::fs::read(file).map_err(|e| format!("sslrootcert={file}: {e}"))?;
            let mut found = 0;
            for cert in rustls_pemfile_certs(&pem) {
                roots
                    .add(cert)
                    .map_err(|e| format!("sslrootcert={file}: {e}"))?;
                found += 1;
            }
            if found == 0 {
                return Err(format!("sslrootcert={file}: no PEM certificate in it"));
            }
        }
        None => {
            let native = rustls_native_certs::load_native_certs();
            for cert in native.certs {
                let _ = roots.add(cert);
            }
        }
    }
    Ok(roots)
}

/// The certificates of a PEM file.
fn rustls_pemfile_certs(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem)
        .filter_map(Result::ok)
        .collect()
}

/// libpq's checks short of `verify-full`: the server's certificate signed
/// by one of `roots` (its name not checked), or, without roots, not
/// checked at all. Either way the handshake's signatures are: the server
/// proves it holds the key of the certificate it shows, so the connection
/// is encrypted to whoever that is.
#[derive(Debug)]
struct SignerCheck {
    roots: Option<RootCertStore>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for SignerCheck {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(roots) = &self.roots {
            let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
            rustls::client::verify_server_cert_signed_by_trust_anchor(
                &parsed,
                roots,
                intermediates,
                now,
                self.algorithms.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// One connection, with the statements prepared on it.
pub(super) struct Conn {
    pub client: Client,
    statements: HashMap<&'static str, Statement>,
    last_used: Instant,
    /// Whether an operation found the connection gone: the client may
    /// learn of it only a moment later.
    lost: bool,
}

/// A connection idle this long is checked before it is used again: the
/// server may have gone away meanwhile, and the client only notices when
/// it next talks to it.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// How long reading what the server sent may wait: the client takes in
/// the network's events only while it waits, so what the server sent
/// while the connection sat idle (that it closed the session) is read
/// only with a wait, however short.
const CLOSED_CHECK: Duration = Duration::from_millis(1);

impl Conn {
    fn new(client: Client) -> Conn {
        Conn {
            client,
            statements: HashMap::new(),
            last_used: Instant::now(),
            lost: false,
        }
    }

    /// Whether the connection can still be used: not closed, and, after a
    /// while idle, answering.
    pub fn is_live(&mut self) -> bool {
        if self.is_closed() || self.was_closed_by_server() {
            return false;
        }
        let idle = self.last_used.elapsed() > IDLE_CHECK;
        self.last_used = Instant::now();
        !idle || self.answers()
    }

    /// Whether the connection answers a round trip now.
    pub fn answers(&mut self) -> bool {
        self.last_used = Instant::now();
        let answered = self.client.is_valid(CONNECT_TIMEOUT);
        self.watch(answered).is_ok()
    }

    /// Whether the server has said it closed the session (idle too long,
    /// shutting down, or ended by an administrator), or closed the
    /// connection: what it sent is read, waiting at most
    /// [`CLOSED_CHECK`] for the network events already there to be taken
    /// in, so this costs no round trip. The connection does not `LISTEN`,
    /// so no notification is lost by reading.
    fn was_closed_by_server(&mut self) -> bool {
        let pending = self
            .client
            .notifications()
            .timeout_iter(CLOSED_CHECK)
            .next();
        self.watch(pending).is_err() || self.client.is_closed()
    }

    /// Whether the connection is gone (its transaction, if any, with it).
    pub fn is_closed(&self) -> bool {
        self.lost || self.client.is_closed()
    }

    /// Notes a result's error that means the connection is gone.
    fn watch<T>(&mut self, result: Result<T, postgres::Error>) -> Result<T, postgres::Error> {
        if let Err(e) = &result {
            self.lost |= connection_lost(e);
        }
        result
    }

    pub fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        let result = self.client.batch_execute(sql);
        self.watch(result)
    }

    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql);
        let statement = self.watch(statement)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    pub fn execute(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        let result = self.client.execute(&statement, params);
        self.watch(result)
    }

    pub fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        let result = self.client.query(&statement, params);
        self.watch(result)
    }

    pub fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        let result = self.client.query_opt(&statement, params);
        self.watch(result)
    }

    pub fn query_one(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, postgres::Error> {
        let statement = self.statement(sql)?;
        let result = self.client.query_one(&statement, params);
        self.watch(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_reach_the_client_as_written() {
        let url = StoreUrl::parse(
            "postgres://feeds@db.example/news?options=-c%20search_path%3Dpublic\
             &password=two%20words&sslmode=disable&application_name=reader&connect_timeout=3\
             &keepalives_idle=7&tcp_user_timeout=9000",
        )
        .unwrap();
        let target = Target::new(&url).unwrap();
        assert_eq!(target.config.get_options(), Some("-c search_path=public"));
        assert_eq!(target.config.get_password(), Some(&b"two words"[..]));
        assert_eq!(target.config.get_application_name(), Some("reader"));
        assert_eq!(
            target.config.get_connect_timeout(),
            Some(&Duration::from_secs(3))
        );
        assert_eq!(target.config.get_keepalives_idle(), Duration::from_secs(7));
        assert_eq!(
            target.config.get_tcp_user_timeout(),
            Some(&Duration::from_secs(9))
        );
        assert_eq!(target.config.get_ssl_mode(), SslMode::Disable);
        let plain =
            Target::new(&StoreUrl::parse("postgres://feeds@db.example/news").unwrap()).unwrap();
        assert_eq!(plain.config.get_application_name(), Some("feedfold"));
        assert_eq!(plain.config.get_connect_timeout(), Some(&CONNECT_TIMEOUT));
        assert!(plain.config.get_keepalives());
        assert_eq!(plain.config.get_keepalives_idle(), KEEPALIVE_IDLE);
        assert_eq!(
            plain.config.get_keepalives_interval(),
            Some(KEEPALIVE_INTERVAL)
        );
        assert_eq!(
            plain.config.get_keepalives_retries(),
            Some(KEEPALIVE_RETRIES)
        );
        assert_eq!(plain.config.get_tcp_user_timeout(), Some(&TCP_USER_TIMEOUT));
    }

    #[test]
    fn the_tcp_user_timeout_is_in_milliseconds_and_0_is_the_system_default_as_in_libpq() {
        let timeout = |query: &str| {
            let url = StoreUrl::parse(&format!("postgres://feeds@db.example/news?{query}"));
            Target::new(&url.unwrap())
                .unwrap()
                .config
                .get_tcp_user_timeout()
                .copied()
        };
        assert_eq!(
            timeout("tcp_user_timeout=5000"),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            timeout("tcp_user_timeout=250"),
            Some(Duration::from_millis(250))
        );
        assert_eq!(timeout("tcp_user_timeout=0"), None);
        assert_eq!(timeout("sslmode=disable"), Some(TCP_USER_TIMEOUT));
    }

    #[test]
    fn the_server_side_of_the_connection_keeps_alive_as_the_client_does() {
        let keepalives = |query: &str| {
            let url = StoreUrl::parse(&format!("postgres://feeds@db.example/news?{query}"));
            Target::new(&url.unwrap()).unwrap().server_keepalives
        };
        assert_eq!(
            keepalives(""),
            "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; \
             SET tcp_keepalives_count = 3"
        );
        assert_eq!(
            keepalives("keepalives_idle=120&keepalives_interval=5&keepalives_retries=4"),
            "SET tcp_keepalives_idle = 120; SET tcp_keepalives_interval = 5; \
             SET tcp_keepalives_count = 4"
        );
        assert_eq!(keepalives("keepalives=0"), "");
        assert_eq!(
            keepalives("options=-c%20tcp_keepalives_idle%3D600"),
            "SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3"
        );
    }

    #[test]
    fn sslmode_allow_connects_in_the_clear_and_encrypts_only_when_refused() {
        let target = |query: &str| {
            let url = StoreUrl::parse(&format!("postgres://feeds@db.example/news?{query}"));
            Target::new(&url.unwrap()).unwrap()
        };
        let allow = target("sslmode=allow");
        assert_eq!(allow.config.get_ssl_mode(), SslMode::Disable);
        assert_eq!(
            allow
                .encrypted_if_refused
                .as_ref()
                .map(postgres::Config::get_ssl_mode),
            Some(SslMode::Require)
        );
        assert!(target("sslmode=prefer").encrypted_if_refused.is_none());
        // Over a Unix socket nothing is encrypted.
        assert!(
            Target::new(
                &StoreUrl::parse("postgres://feeds@/news?host=/run/postgresql&sslmode=allow")
                    .unwrap()
            )
            .unwrap()
            .encrypted_if_refused
            .is_none()
        );
    }

    #[test]
    fn a_unix_socket_is_never_encrypted_whatever_the_sslmode() {
        for mode in ["require", "verify-ca", "verify-full", "prefer"] {
            let on_socket = StoreUrl::parse(&format!(
                "postgres://feeds@/news?host=/run/postgresql&sslmode={mode}"
            ))
            .unwrap();
            let target = Target::new(&on_socket).unwrap();
            assert_eq!(target.config.get_ssl_mode(), SslMode::Disable, "{mode}");
        }
        for over_tcp in [
            "postgres://feeds@db.example/news?sslmode=require",
            "postgres://feeds@/news?host=/run/postgresql&hostaddr=10.0.0.5&sslmode=require",
        ] {
            let over_tcp = StoreUrl::parse(over_tcp).unwrap();
            assert_eq!(
                Target::new(&over_tcp).unwrap().config.get_ssl_mode(),
                SslMode::Require
            );
        }
    }

    #[test]
    fn an_at_sign_written_raw_in_a_parameter_is_part_of_its_value() {
        let url = StoreUrl::parse(
            "postgres://db.example:6432/news?user=feeds&password=a@b:c&application_name=x@y:z",
        )
        .unwrap();
        let target = Target::new(&url).unwrap();
        assert_eq!(target.config.get_password(), Some(&b"a@b:c"[..]));
        assert_eq!(target.config.get_user(), Some("feeds"));
        assert_eq!(target.config.get_application_name(), Some("x@y:z"));
        assert_eq!(url.host_port(), "db.example:6432");
    }

    #[test]
    fn sslmodes_check_the_certificate_as_libpq_does() {
        let cases = [
            ("disable", false, SslMode::Disable, Check::Nothing),
            ("allow", false, SslMode::Disable, Check::Nothing),
            ("allow", true, SslMode::Disable, Check::Signer),
            ("prefer", false, SslMode::Prefer, Check::Nothing),
            ("prefer", true, SslMode::Prefer, Check::Signer),
            ("require", false, SslMode::Require, Check::Nothing),
            ("require", true, SslMode::Require, Check::Signer),
            ("verify-ca", false, SslMode::Require, Check::Signer),
            ("verify-ca", true, SslMode::Require, Check::Signer),
            ("verify-full", false, SslMode::Require, Check::SignerAndName),
            ("verify-full", true, SslMode::Require, Check::SignerAndName),
        ];
        for (mode, root_file, ssl_mode, check) in cases {
            assert_eq!(
                tls_mode(mode, root_file),
                Ok((ssl_mode, check)),
                "{mode} {root_file}"
            );
        }
        assert!(
            tls_mode("bogus", false)
                .unwrap_err()
                .contains("verify-full")
        );
    }

    #[test]
    fn a_refused_certificate_is_a_sentence_saying_what_to_change() {
        let target = Target::new(
            &StoreUrl::parse("postgres://feeds@db.example/news?sslmode=verify-full").unwrap(),
        )
        .unwrap();
        let unknown = target.certificate_refused(&rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer,
        ));
        assert!(
            unknown.starts_with(
                "the server's certificate is not signed by an authority in the system's roots;"
            ) && unknown.contains("`sslrootcert=FILE`")
                && unknown.contains("`sslmode=require`"),
            "{unknown}"
        );
        let name = target.certificate_refused(&rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName,
        ));
        assert!(
            name.contains("not issued for db.example") && name.contains("`sslmode=verify-ca`"),
            "{name}"
        );
        let authority = target.certificate_refused(&rustls::Error::InvalidCertificate(
            CertificateError::Other(rustls::OtherError(Arc::new(
                webpki::Error::CaUsedAsEndEntity,
            ))),
        ));
        assert!(
            authority.starts_with("the server's certificate is an authority's")
                && authority.contains("`sslrootcert=FILE`"),
            "{authority}"
        );
        for message in [unknown, name, authority] {
            assert!(
                !message.contains("InvalidCertificate") && !message.contains("CaUsedAsEndEntity"),
                "{message}"
            );
        }
    }

    #[test]
    fn a_refused_certificate_advises_no_setting_already_in_use() {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("other-ca.pem");
        std::fs::write(&file, ca.pem()).unwrap();
        let refused = |mode: &str| {
            let url = format!(
                "postgres://feeds@db.example/news?sslmode={mode}&sslrootcert={}",
                file.display()
            );
            let target = Target::new(&StoreUrl::parse(&url).unwrap()).unwrap();
            target.certificate_refused(&rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            ))
        };
        for mode in ["prefer", "require"] {
            let message = refused(mode);
            assert!(
                message.contains(&format!("an authority in sslrootcert={}", file.display()))
                    && message.contains("leave `sslrootcert` out to encrypt without checking")
                    && !message.contains("`sslmode="),
                "{mode}: {message}"
            );
        }
        for mode in ["verify-ca", "verify-full"] {
            let message = refused(mode);
            assert!(
                message.contains("use `sslmode=require` without `sslrootcert`"),
                "{mode}: {message}"
            );
        }
    }

    #[test]
    fn a_server_that_is_not_postgres_is_told_so_naming_its_port() {
        // A web server: it reads the startup message, answers with a page
        // and closes.
        let answer = &b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"[..];
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let mut stream = stream.unwrap();
                let _ = std::io::Read::read(&mut stream, &mut [0; 4096]);
                let _ = std::io::Write::write_all(&mut stream, answer);
            }
        });
        // Whatever the sslmode: with `require`, its answer to the request
        // for TLS is no PostgreSQL server's either.
        assert_told_as_no_postgres(port, &["disable", "require"]);
    }

    #[test]
    fn a_web_server_that_hangs_up_late_is_told_so_under_the_default_sslmode() {
        // Its page's first byte is taken for PostgreSQL's no to TLS
        // (`prefer`), the client waits for the rest of a message, and the
        // server hangs up on it, unread bytes and all (a reset).
        let answer = &b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"[..];
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let mut stream = stream.unwrap();
                std::thread::spawn(move || {
                    let _ = std::io::Read::read(&mut stream, &mut [0; 100]);
                    let _ = std::io::Write::write_all(&mut stream, answer);
                    std::thread::sleep(Duration::from_millis(300));
                });
            }
        });
        assert_told_as_no_postgres(port, &["prefer", "disable", "require"]);
    }

    /// Connecting to `port` under each of `modes` is told as a server that
    /// does not speak PostgreSQL, naming the port.
    fn assert_told_as_no_postgres(port: u16, modes: &[&str]) {
        for mode in modes {
            assert_url_told_as_no_postgres(
                port,
                &format!("postgres://feeds:pw@127.0.0.1:{port}/news?sslmode={mode}"),
            );
        }
    }

    /// Connecting to `url`, a server on `port`, is told as a server that
    /// does not speak PostgreSQL, naming the port.
    fn assert_url_told_as_no_postgres(port: u16, url: &str) {
        let target = Target::new(&StoreUrl::parse(url).unwrap()).unwrap();
        let message = target.connect().err().expect("no connection").to_string();
        assert!(
            message.ends_with(&format!(
                "the server at 127.0.0.1:{port} does not speak PostgreSQL (is {port} the \
                 database's port?)"
            )),
            "{url}: {message}"
        );
    }

    #[test]
    fn an_ssh_server_whose_banner_opens_with_an_s_is_told_as_no_postgres() {
        // An SSH server speaks first, its banner's first byte an `S` (as
        // PostgreSQL's yes to TLS), and goes on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let mut stream = stream.unwrap();
                let _ = std::io::Write::write_all(&mut stream, b"SSH-2.0-OpenSSH_9.2p1\r\n");
                let _ = std::io::Read::read(&mut stream, &mut [0; 4096]);
            }
        });
        assert_told_as_no_postgres(port, &["prefer", "require"]);
        // A client that asks for no TLS reads the banner as the start of
        // a message longer than it would wait for.
        assert_url_told_as_no_postgres(
            port,
            &format!("postgres://feeds@127.0.0.1:{port}/news?sslmode=disable&connect_timeout=1"),
        );
    }

    #[test]
    fn a_server_that_never_answers_is_unreachable_within_the_connect_timeout() {
        // It accepts connections (the kernel would anyway) and says nothing.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(Mutex::new(Vec::new()));
        let held = Arc::clone(&accepted);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                held.lock().unwrap().push(stream);
            }
        });
        for mode in ["disable", "prefer"] {
            let url = format!(
                "postgres://feeds:s3cret@127.0.0.1:{port}/news?connect_timeout=1&sslmode={mode}"
            );
            let target = Target::new(&StoreUrl::parse(&url).unwrap()).unwrap();
            for _ in 0..2 {
                let began = Instant::now();
                let error = target.connect().err().expect("no connection");
                assert!(began.elapsed() < Duration::from_secs(3), "{mode}");
                let message = error.to_string();
                assert!(
                    message.ends_with(&format!(
                        "cannot connect to 127.0.0.1:{port}: no answer within 1 s"
                    )),
                    "{message}"
                );
                assert!(!message.contains("s3cret"), "{message}");
            }
        }
        // The attempt the server never answered is waited for again, not
        // repeated: one connection per target, beside one look at whether
        // the server speaks unasked each time it did not answer.
        assert_eq!(accepted.lock().unwrap().len(), 2 + 2 * 2);
    }
}

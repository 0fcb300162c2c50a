//! Connecting to PostgreSQL: a `postgres://` URL becomes the client's
//! configuration, TLS is rustls (`sslmode=require`, and libpq's
//! `verify-ca` / `verify-full`, verify the server's certificate against the
//! system's roots, or against `sslrootcert=FILE`), and every error names the
//! store and, for a connection that fails, its host and port, never the
//! password. Statements are prepared once per connection.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::config::SslMode;
use postgres::types::ToSql;
use postgres::{Client, Row, Statement};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::config::StoreUrl;
use crate::store::StoreError;

/// How long connecting may take before the store counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything needed to open connections to one database.
#[derive(Clone)]
pub(super) struct Target {
    config: postgres::Config,
    tls: MakeRustlsConnect,
    pub label: String,
    pub host_port: String,
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
        let mut ssl_mode = SslMode::Prefer;
        // sslmode and sslrootcert are read here, the rest by the client,
        // each parameter passed on as written (re-encoding would turn an
        // encoded space into a `+`, which the client reads as a plus).
        let mut kept = parsed.clone();
        let passed: Vec<&str> = parsed
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| {
                let key = pair.split('=').next().unwrap_or_default();
                !pair.is_empty() && key != "sslmode" && key != "sslrootcert"
            })
            .collect();
        kept.set_query(
            Some(&passed.join("&"))
                .filter(|q| !q.is_empty())
                .map(String::as_str),
        );
        for (key, value) in parsed.query_pairs() {
            match key.as_ref() {
                "sslrootcert" => root_file = Some(value.into_owned()),
                "sslmode" => {
                    ssl_mode = match value.as_ref() {
                        "disable" => SslMode::Disable,
                        "allow" | "prefer" => SslMode::Prefer,
                        "require" | "verify-ca" | "verify-full" => SslMode::Require,
                        other => {
                            return Err(bad(format!(
                                "sslmode={other}: use disable, prefer, require, verify-ca or verify-full"
                            )));
                        }
                    }
                }
                _ => {}
            }
        }
        // The client's own parse error never repeats the URL.
        let mut config =
            postgres::Config::from_str(kept.as_str()).map_err(|e| bad(e.to_string()))?;
        if config.get_user().is_none() {
            let user = std::env::var("USER").unwrap_or_else(|_| "postgres".into());
            config.user(&user);
        }
        // The URL's own connect_timeout and application_name win.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("feedfold");
        }
        config
            .ssl_mode(ssl_mode)
            .keepalives_idle(Duration::from_secs(30))
            .notice_callback(|notice| tracing::debug!("database notice: {}", notice.message()));
        let tls = MakeRustlsConnect::new(tls_config(root_file.as_deref()).map_err(bad)?);
        Ok(Target {
            config,
            tls,
            host_port: url.host_port(),
            label,
        })
    }

    /// A new connection, or [`StoreError::Unreachable`] naming host and port.
    pub fn connect(&self) -> Result<Conn, StoreError> {
        let client = self.config.connect(self.tls.clone()).map_err(|e| {
            match self.error(&e) {
                StoreError::Lost { cause, .. } => self.unreachable(cause),
                // Refused by the server itself (authentication, no such
                // database): it is reachable, and says why.
                other => other,
            }
        })?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
            last_used: Instant::now(),
            lost: false,
        })
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
            return StoreError::Backend {
                store: self.label.clone(),
                message,
            };
        }
        let cause = std::error::Error::source(error)
            .map(|cause| cause.to_string())
            .unwrap_or_else(|| error.to_string());
        if connection_lost(error) {
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

/// rustls with the system's roots, or only those in `root_file`.
fn tls_config(root_file: Option<&str>) -> Result<rustls::ClientConfig, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
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
    Ok(rustls::ClientConfig::builder()
        .with_root_certificates(Arc::new(roots))
        .with_no_client_auth())
}

/// The certificates of a PEM file.
fn rustls_pemfile_certs(pem: &[u8]) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::pem_slice_iter(pem)
        .filter_map(Result::ok)
        .collect()
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

impl Conn {
    /// Whether the connection can still be used: not closed, and, after a
    /// while idle, answering.
    pub fn is_live(&mut self) -> bool {
        if self.is_closed() {
            return false;
        }
        let idle = self.last_used.elapsed() > IDLE_CHECK;
        self.last_used = Instant::now();
        !idle || self.client.is_valid(CONNECT_TIMEOUT).is_ok()
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
             &password=two%20words&sslmode=disable&application_name=reader&connect_timeout=3",
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
        assert_eq!(target.config.get_ssl_mode(), SslMode::Disable);
        let plain =
            Target::new(&StoreUrl::parse("postgres://feeds@db.example/news").unwrap()).unwrap();
        assert_eq!(plain.config.get_application_name(), Some("feedfold"));
        assert_eq!(plain.config.get_connect_timeout(), Some(&CONNECT_TIMEOUT));
    }
}

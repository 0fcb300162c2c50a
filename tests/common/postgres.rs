//! PostgreSQL for the tests. `.ci/run` (and a developer, see the README)
//! starts a throwaway cluster and exports `FEEDFOLD_TEST_POSTGRES_URL`;
//! [`database`] makes a fresh database on it for one test. Tests that stop
//! the server, need TLS or a read replica start a [`Cluster`] of their own
//! with the same binaries (`FEEDFOLD_TEST_POSTGRES_BIN`). Without the URL a
//! test says it skipped, except under `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The cluster's URL, or `None` (the test then skips) when none is set up.
pub fn server() -> Option<String> {
    match std::env::var("FEEDFOLD_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(
                !ci,
                "FEEDFOLD_TEST_POSTGRES_URL is not set and CI=true: start a cluster (.ci/postgres.sh)"
            );
            eprintln!("skipped: FEEDFOLD_TEST_POSTGRES_URL is not set (see README, Development)");
            None
        }
    }
}

/// `url` with its database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let mut url = url::Url::parse(url).expect("a postgres:// URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// A fresh, empty database `feedfold_<name>` on the test cluster (dropped
/// first if an earlier run left it); its URL, or `None` when there is no
/// cluster.
pub fn database(name: &str) -> Option<String> {
    let url = server()?;
    let name = format!("feedfold_{name}");
    let mut admin =
        postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test cluster");
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    Some(with_database(&url, &name))
}

/// A SQL statement run on the database at `url`.
pub fn execute(url: &str, sql: &str) {
    postgres::Client::connect(url, postgres::NoTls)
        .and_then(|mut c| c.batch_execute(sql))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// One number a query on the database at `url` returns.
pub fn count(url: &str, sql: &str) -> i64 {
    postgres::Client::connect(url, postgres::NoTls)
        .and_then(|mut c| c.query_one(sql, &[]))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

/// Waits until the counters of the database at `url` show `inserted` rows
/// added to `table` (a run's backend reports them as it exits).
pub fn await_inserted(url: &str, table: &str, inserted: i64) {
    let sql = format!("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = '{table}'");
    assert!(
        super::server::eventually(std::time::Duration::from_secs(10), || count(url, &sql)
            >= inserted),
        "the run's counters of {table} never arrived"
    );
}

/// The rows read from each of `tables` of the database at `url` and from
/// their indexes, by whole scans and by index scans alike, by table name.
pub fn rows_read(url: &str, tables: &[&str]) -> Vec<(String, i64)> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    client
        .query(
            "SELECT t.relname::text, \
                 (t.seq_tup_read + coalesce(sum(i.idx_tup_read), 0))::bigint \
             FROM pg_stat_user_tables t LEFT JOIN pg_stat_user_indexes i ON i.relid = t.relid \
             WHERE t.relname = ANY($1) GROUP BY t.relname, t.seq_tup_read ORDER BY 1",
            &[&tables.to_vec()],
        )
        .expect("the table counters")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

/// A PostgreSQL server of a test's own, in a temporary folder, on a free
/// port: it can be stopped and started again, and serve TLS.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    /// The password connections over TCP must give, if any.
    password: Option<&'static str>,
}

impl Cluster {
    /// Creates and starts a cluster (`None` when there is no PostgreSQL to
    /// test with). With `tls`, it serves TLS with a certificate for
    /// 127.0.0.1 signed by a CA whose certificate is [`Cluster::ca_file`].
    pub fn start(tls: bool) -> Option<Cluster> {
        Cluster::start_with(tls, None)
    }

    /// The same, with user `postgres` needing `password` over TCP.
    pub fn start_with(tls: bool, password: Option<&'static str>) -> Option<Cluster> {
        server()?;
        let bin = std::env::var("FEEDFOLD_TEST_POSTGRES_BIN")
            .map(PathBuf::from)
            .ok()
            .or_else(installed_bin)
            .expect("FEEDFOLD_TEST_POSTGRES_BIN or /usr/lib/postgresql/*/bin");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let cluster = Cluster {
            port: free_port(),
            bin,
            dir,
            password,
        };
        let mut initdb = vec![
            "-D".to_string(),
            cluster.data(),
            "-U".into(),
            "postgres".into(),
        ];
        match password {
            Some(password) => {
                let file = cluster.dir.path().join("password");
                std::fs::write(&file, password).unwrap();
                initdb.extend([
                    "--auth-local=trust".into(),
                    "--auth-host=scram-sha-256".into(),
                    format!("--pwfile={}", file.display()),
                ]);
            }
            None => initdb.extend(["-A".into(), "trust".into()]),
        }
        cluster.own(cluster.dir.path());
        cluster.run(
            "initdb",
            &initdb.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        if tls {
            cluster.make_certificates();
        }
        cluster.start_again();
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// The URL of database `postgres` on it (with the password, if any).
    pub fn url(&self) -> String {
        let password = self.password.map(|p| format!(":{p}")).unwrap_or_default();
        format!(
            "postgres://postgres{password}@127.0.0.1:{}/postgres",
            self.port
        )
    }

    /// The CA certificate its server certificate is signed by.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Stops the server at once, as a crash or an operator would.
    pub fn stop(&self) {
        self.run(
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
    }

    pub fn start_again(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// A streaming replica of it (a hot standby: read-only, `LISTEN` not
    /// available), started on a port of its own; the cluster must not ask
    /// for a password.
    pub fn replica(&self) -> Cluster {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let replica = Cluster {
            port: free_port(),
            bin: self.bin.clone(),
            dir,
            password: None,
        };
        replica.own(replica.dir.path());
        let port = self.port.to_string();
        replica.run(
            "pg_basebackup",
            &[
                "-D",
                &replica.data(),
                "-R",
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
            ],
        );
        replica.start_again();
        replica
    }

    fn make_certificates(&self) {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["127.0.0.1".to_string()])
            .unwrap()
            .signed_by(&key, &ca)
            .unwrap();
        let data = Path::new(&self.data()).to_path_buf();
        std::fs::write(self.ca_file(), ca.pem()).unwrap();
        std::fs::write(data.join("server.crt"), cert.pem()).unwrap();
        std::fs::write(data.join("server.key"), key.serialize_pem()).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            data.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .unwrap();
        std::io::Write::write_all(&mut conf, b"\nssl = on\n").unwrap();
        self.own(&data);
    }

    /// Hands `path` (recursively) to the `postgres` user when we are root:
    /// PostgreSQL refuses to run as root.
    fn own(&self, path: &Path) {
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(path)
                .status()
                .unwrap();
            assert!(status.success());
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let output = as_owner(&program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
        assert!(
            output.status.success(),
            "{tool} {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let program = self.bin.join("pg_ctl");
        let data = self.data();
        let args = ["-D", data.as_str(), "-m", "immediate", "-w", "stop"];
        let _ = as_owner(&program).args(args).output();
    }
}

/// `program` to run as the `postgres` user when we are root (PostgreSQL
/// refuses to run as root), else as ourselves.
fn as_owner(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn installed_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

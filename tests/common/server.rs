//! Starting `feedfold serve` as a real process on an ephemeral port, and
//! small loopback HTTP stubs (a WebSub hub) the tests control.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Project;

/// A running `feedfold serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// Starts the server on `project`'s config (whose `[server] bind` should
    /// be `127.0.0.1:0`) and waits until it listens.
    pub fn start(project: &Project, envs: &[(&str, &str)]) -> Server {
        Self::start_logging_to(project, envs, None)
    }

    /// As [`Server::start`], with the server's standard error in `log`.
    pub fn start_logging_to(
        project: &Project,
        envs: &[(&str, &str)],
        log: Option<&std::path::Path>,
    ) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_feedfold"));
        command
            .arg("serve")
            .arg("--config")
            .arg(project.path("config.toml"))
            .env_remove("FEEDFOLD_TOKEN")
            .env_remove("FEEDFOLD_CONFIG")
            .stdout(Stdio::piped())
            .stderr(match log {
                Some(path) => Stdio::from(std::fs::File::create(path).expect("create log")),
                None => Stdio::inherit(),
            });
        for (key, value) in envs {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start feedfold serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = lines
            .next()
            .expect("serve prints its address")
            .expect("read stdout");
        let url = line
            .strip_prefix("feedfold: serving on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .trim_end_matches('/')
            .to_string();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base: url }
    }

    /// The server's address, for raw connections.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("host:port")
    }

    /// The server process's resident memory now and at its peak, in KiB.
    pub fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and waits (bounded) for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill -TERM");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a stub hub received: one form body per request.
pub type Received = Arc<Mutex<Vec<String>>>;

/// Starts a WebSub hub stub on loopback in a background runtime; it answers
/// 202 to every POST and records the bodies.
pub fn start_hub() -> (SocketAddr, Received) {
    let open = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let (address, received) = start_gated_hub(open);
    (address, received)
}

/// A hub stub like [`start_hub`] that records each body as it arrives but
/// answers only once `open` is true: a hub that is slow, or down.
pub fn start_gated_hub(open: Arc<std::sync::atomic::AtomicBool>) -> (SocketAddr, Received) {
    let received: Received = Arc::default();
    let record = received.clone();
    let hub = axum::routing::post(move |body: String| {
        let record = record.clone();
        let open = open.clone();
        async move {
            record.lock().unwrap().push(body);
            while !open.load(std::sync::atomic::Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            axum::http::StatusCode::ACCEPTED
        }
    });
    (serve_hub(hub), received)
}

/// A hub stub like [`start_hub`] that answers 503 (records nothing) while
/// `up` is false: a hub that is restarting.
pub fn start_unavailable_hub(up: Arc<std::sync::atomic::AtomicBool>) -> (SocketAddr, Received) {
    let received: Received = Arc::default();
    let record = received.clone();
    let hub = axum::routing::post(move |body: String| {
        let record = record.clone();
        let up = up.clone();
        async move {
            if !up.load(std::sync::atomic::Ordering::SeqCst) {
                return axum::http::StatusCode::SERVICE_UNAVAILABLE;
            }
            record.lock().unwrap().push(body);
            axum::http::StatusCode::ACCEPTED
        }
    });
    (serve_hub(hub), received)
}

/// A hub stub like [`start_hub`] that answers 503 (records nothing) to
/// its first `refused` pings: a hub that is restarting when they come.
pub fn start_hub_refusing_first(refused: usize) -> (SocketAddr, Received) {
    let received: Received = Arc::default();
    let record = received.clone();
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let hub = axum::routing::post(move |body: String| {
        let record = record.clone();
        let seen = seen.clone();
        async move {
            if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < refused {
                return axum::http::StatusCode::SERVICE_UNAVAILABLE;
            }
            record.lock().unwrap().push(body);
            axum::http::StatusCode::ACCEPTED
        }
    });
    (serve_hub(hub), received)
}

/// A hub stub that moved: `/` answers `status` with `Location: /hub`, and
/// `/hub` records each form posted to it (202) and answers a `GET` with
/// its landing page (200), as a hub's address does.
pub fn start_moved_hub(status: u16) -> (SocketAddr, Received) {
    let received: Received = Arc::default();
    let record = received.clone();
    let moved = axum::routing::post(move || async move {
        let status = axum::http::StatusCode::from_u16(status).unwrap();
        (status, [(axum::http::header::LOCATION, "/hub")])
    });
    let hub = axum::routing::post(move |body: String| {
        let record = record.clone();
        async move {
            record.lock().unwrap().push(body);
            axum::http::StatusCode::ACCEPTED
        }
    })
    .get(|| async { "A WebSub hub: post hub.mode=publish here." });
    let app = axum::Router::new().route("/", moved).route("/hub", hub);
    (serve_app(app), received)
}

/// A hub stub whose `/` answers every ping with a 307 to `location`.
pub fn start_hub_redirecting_to(location: String) -> SocketAddr {
    let hub = axum::routing::post(move || {
        let location = location.clone();
        async move {
            (
                axum::http::StatusCode::TEMPORARY_REDIRECT,
                [(axum::http::header::LOCATION, location)],
            )
        }
    });
    serve_hub(hub)
}

/// Serves `hub` at `/` on a loopback port in a background runtime.
fn serve_hub(hub: axum::routing::MethodRouter) -> SocketAddr {
    serve_app(axum::Router::new().route("/", hub))
}

/// Serves `app` on a loopback port in a background runtime.
fn serve_app(app: axum::Router) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// Polls `check` until it holds or `timeout` passes.
pub fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    check()
}

/// A client that takes bodies as they are sent (no decompression), as the
/// server tests compare bytes and encodings.
pub fn client() -> reqwest::Client {
    feedfold::ingest::fetch::client_builder("feedfold-tests")
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap()
}

/// The body `server` answers at `path`.
pub async fn get_text(server: &Server, path: &str) -> String {
    client()
        .get(server.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// What `server`'s `/healthz` says.
pub async fn health_of(server: &Server) -> serde_json::Value {
    serde_json::from_str(&get_text(server, "/healthz").await).unwrap()
}

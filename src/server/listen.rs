//! Accepting connections with the limits a public server needs. HTTP/1.1
//! through hyper, with a header read timeout that closes slow-loris clients
//! and idle keep-alive connections alike, a cap on request head size (431
//! beyond it), a cap on open connections (refused past it, never queued
//! without bound), and a graceful shutdown that lets requests in flight
//! finish.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower_service::Service;

/// Largest request head (request line and headers) read; hyper answers 431
/// beyond it.
pub const MAX_HEAD_BYTES: usize = 32 * 1024;
/// How long a shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// Descriptors kept free for the store, feed files and outgoing fetches.
const RESERVED_DESCRIPTORS: u64 = 256;
/// Connections the kernel may queue before they are accepted (capped by
/// `net.core.somaxconn`). A short queue drops handshakes in a burst of
/// connections, and each drop costs its client a one-second retry.
const ACCEPT_BACKLOG: u32 = 4096;

/// A listening socket on `addr` with a long accept queue.
pub fn bind(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(ACCEPT_BACKLOG)
}

/// The limits of one listener.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A client must send a whole request head within this time, whether it
    /// just connected or is idle between requests.
    pub header_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
}

/// Raises this process's soft limit on open files to its hard limit, so
/// thousands of connections can be held, and returns the limit in effect.
pub fn raise_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// The connection cap that fits the open-file limit.
pub fn connection_cap(configured: usize, open_files: u64) -> usize {
    let fits = open_files.saturating_sub(RESERVED_DESCRIPTORS).max(16);
    configured.min(usize::try_from(fits).unwrap_or(usize::MAX))
}

/// Serves `app` on `listener` until `shutdown` turns true, then waits (at
/// most [`SHUTDOWN_GRACE`]) for requests in flight.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of descriptors or a connection reset before accept:
                    // wait a moment rather than spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = shutdown.wait_for(|stopping| *stopping) => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%peer, limit = limits.max_connections, "too many connections; refused");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut app = app.clone();
            async move { app.call(request.map(axum::body::Body::new)).await }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, "connection ended: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in flight after {SHUTDOWN_GRACE:?}; closing them");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_descriptors_for_everything_else() {
        assert_eq!(connection_cap(16_384, 20_000), 16_384);
        assert_eq!(connection_cap(16_384, 1024), 768);
        assert_eq!(connection_cap(16_384, 100), 16);
    }

    #[test]
    fn the_open_file_limit_is_raised_to_the_hard_limit() {
        let limit = raise_open_file_limit();
        let mut now = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct passed.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut now) }, 0);
        assert_eq!(now.rlim_cur, limit);
        assert_eq!(now.rlim_cur, now.rlim_max);
    }
}

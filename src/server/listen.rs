//! Accepting connections with the limits a public server needs. HTTP/1.1
//! through hyper, with a header read timeout that closes slow-loris clients
//! and idle keep-alive connections alike, a write timeout that closes
//! clients who stop taking the response (slow readers), a cap on request
//! head size (431 beyond it), HTTP/1.1's `Host` rule (400 when it is
//! broken), 400 for HTTP/2's connection preface in plain text
//! ([`super::http2_preface`]), `501` for a method HTTP does not define, the path
//! routed with its unreserved characters decoded ([`super::target`]), every
//! answer's `Date` ([`super::date`]), a cap on open connections (refused
//! past it, never queued without bound), answers for clients that
//! half-close after their request, and a graceful shutdown that lets
//! requests in flight finish.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::time::{Instant, Sleep};
use tower_service::Service;

/// Largest request head (request line and header fields) served; 431
/// beyond it. hyper's read buffer is this size too, which bounds what an
/// unfinished head can hold.
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
    /// just connected or is idle between requests; and must take some of
    /// the response within it whenever the server has bytes to send.
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
/// most `SHUTDOWN_GRACE`) for requests in flight. `shortcut` sees each
/// request first and may answer it without the router (the feeds, which
/// are most requests and need nothing the router adds).
pub async fn serve_connections<S>(
    listener: TcpListener,
    app: Router,
    shortcut: S,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) where
    S: Fn(&Method, &Uri, &HeaderMap) -> Option<Response> + Clone + Send + Sync + 'static,
{
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true)
        // A client may shut its sending side once its request is out
        // (HTTP/1.0 scripts, `nc -N`, some proxies) and still read the
        // answer: the end of its input is no reason to drop the request.
        .half_close(true);
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
        let shortcut = shortcut.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            let too_large = head_size(&request) > MAX_HEAD_BYTES;
            // Routed by the path with unreserved characters decoded.
            if let Some(decoded) = super::target::decode_unreserved(request.uri()) {
                *request.uri_mut() = decoded;
            }
            let answered = if too_large {
                Some(head_too_large())
            } else if !super::host::acceptable(&request) {
                Some(bad_host())
            } else if let Some(not_implemented) = super::unknown_method(request.method()) {
                Some(not_implemented)
            } else {
                shortcut(request.method(), request.uri(), request.headers())
            };
            let mut app = app.clone();
            async move {
                let mut response = match answered {
                    Some(response) => response,
                    None => {
                        request.extensions_mut().insert(ConnectInfo(peer));
                        app.call(request.map(axum::body::Body::new)).await?
                    }
                };
                super::content_coding::finish(&mut response);
                super::date::stamp(response.headers_mut(), std::time::SystemTime::now());
                Ok::<_, std::convert::Infallible>(response)
            }
        });
        let stream = super::http2_preface::AnswersHttp2Preface::new(TimedWrites::new(
            stream,
            limits.header_timeout,
        ));
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

/// The size of `request`'s head as sent: the request line and each header
/// field (`name: value`), each ended by CRLF, and the empty line.
fn head_size<B>(request: &hyper::Request<B>) -> usize {
    let uri = request.uri();
    let path = uri.path_and_query().map_or(0, |p| p.as_str().len());
    let target = match (uri.scheme_str(), uri.authority()) {
        (Some(scheme), Some(authority)) => {
            scheme.len() + "://".len() + authority.as_str().len() + path
        }
        (None, Some(authority)) => authority.as_str().len(),
        _ => path,
    };
    let request_line = request.method().as_str().len() + 1 + target + " HTTP/1.1\r\n".len();
    let fields: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + 2 + value.len() + 2)
        .sum();
    request_line + fields + 2
}

/// `431`, closing the connection.
fn head_too_large() -> Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    (
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        [(header::CONNECTION, "close")],
    )
        .into_response()
}

/// `400` for a request whose `Host` breaks HTTP/1.1's rule
/// (`super::host`), closing the connection.
fn bad_host() -> Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    (
        StatusCode::BAD_REQUEST,
        [(header::CONNECTION, "close")],
        "send one Host field naming the host (and port) asked for\n",
    )
        .into_response()
}

/// A byte stream that can tell how many bytes it has accepted from the
/// server that its peer has not yet taken: for TCP, the send queue, which
/// shrinks as the client acknowledges (takes) bytes.
pub(crate) trait Unacknowledged {
    /// Bytes sent but not yet taken by the peer; `None` when the stream
    /// cannot tell.
    fn unacknowledged(&self) -> Option<usize>;
}

impl Unacknowledged for tokio::net::TcpStream {
    #[cfg(target_os = "linux")]
    fn unacknowledged(&self) -> Option<usize> {
        use std::os::fd::AsRawFd;
        let mut queued: libc::c_int = 0;
        // SAFETY: SIOCOUTQ (TIOCOUTQ) writes one int, the socket's bytes
        // not yet acknowledged, into the int passed.
        let status = unsafe { libc::ioctl(self.as_raw_fd(), libc::TIOCOUTQ, &mut queued) };
        if status == 0 {
            usize::try_from(queued).ok()
        } else {
            None
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn unacknowledged(&self) -> Option<usize> {
        None
    }
}

/// How many times within the limit a stalled write looks whether the
/// client took bytes meanwhile.
const PROGRESS_CHECKS_PER_LIMIT: u32 = 8;

/// A connection whose writes fail once the peer has taken no bytes for
/// `limit` while the server had some to send: a client that stops reading
/// (or reads too little to make room) is dropped, freeing its slot and
/// whatever the response holds, however the rest of the response is made.
///
/// A write that cannot proceed is not enough: the kernel wakes a writer
/// only once a good part of a full send buffer (megabytes) has drained, which
/// takes a slow but steady reader longer than the limit. So while a write
/// waits, the stream's unacknowledged bytes are looked at a few times per
/// limit, and any that the client took count as progress.
struct TimedWrites<S> {
    stream: S,
    limit: Duration,
    /// Set while writes cannot proceed; cleared by any write that does.
    stall: Option<Stall>,
}

/// A wait for the client to make room.
struct Stall {
    /// When the client last took bytes (or the wait began).
    progress_at: Instant,
    /// The stream's unacknowledged bytes when last looked at.
    unacknowledged: Option<usize>,
    /// Wakes the writer to look again.
    check: Pin<Box<Sleep>>,
}

impl Stall {
    /// Notes the stream's unacknowledged bytes at `now`: fewer than when
    /// last looked at means the client took some.
    fn observe(&mut self, unacknowledged: Option<usize>, now: Instant) {
        if let (Some(before), Some(after)) = (self.unacknowledged, unacknowledged)
            && after < before
        {
            self.progress_at = now;
        }
        self.unacknowledged = unacknowledged;
    }
}

impl<S: Unacknowledged> TimedWrites<S> {
    fn new(stream: S, limit: Duration) -> Self {
        TimedWrites {
            stream,
            limit,
            stall: None,
        }
    }

    /// How often a stalled write looks for progress.
    fn check_interval(&self) -> Duration {
        (self.limit / PROGRESS_CHECKS_PER_LIMIT).max(Duration::from_millis(10))
    }

    /// Called when the stream could not take bytes: pending while the
    /// client keeps taking bytes of what was sent, an error once it has
    /// taken none for `limit`.
    fn wait_or_time_out<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let interval = self.check_interval();
        let limit = self.limit;
        let unacknowledged = self.stream.unacknowledged();
        let now = Instant::now();
        let stall = self.stall.get_or_insert_with(|| Stall {
            progress_at: now,
            unacknowledged,
            check: Box::pin(tokio::time::sleep_until(now + interval)),
        });
        stall.observe(unacknowledged, now);
        loop {
            if stall.progress_at.elapsed() >= limit {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("the client took no bytes for {limit:?}"),
                )));
            }
            if stall.check.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            let now = Instant::now();
            stall.observe(self.stream.unacknowledged(), now);
            let next = (now + interval).min(stall.progress_at + limit);
            stall.check.as_mut().reset(next);
        }
    }

    fn progressed<T>(
        &mut self,
        result: Poll<io::Result<T>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<T>> {
        match result {
            Poll::Pending => self.wait_or_time_out(cx),
            ready => {
                self.stall = None;
                ready
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for TimedWrites<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unacknowledged + Unpin> AsyncWrite for TimedWrites<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.progressed(result, cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.progressed(result, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.stream).poll_flush(cx);
        self.progressed(result, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.stream).poll_shutdown(cx);
        self.progressed(result, cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_size_counts_the_request_line_and_fields_as_sent() {
        let sent = "GET /feeds/news.rss?x=1 HTTP/1.1\r\nhost: x\r\nx-pad: aaaa\r\n\r\n";
        let request = hyper::Request::get("/feeds/news.rss?x=1")
            .header("host", "x")
            .header("x-pad", "aaaa")
            .body(())
            .unwrap();
        assert_eq!(head_size(&request), sent.len());
        let absolute = hyper::Request::get("http://h.example/a").body(()).unwrap();
        assert_eq!(
            head_size(&absolute),
            "GET http://h.example/a HTTP/1.1\r\n\r\n".len()
        );
    }

    /// A pipe cannot tell what its peer took.
    impl Unacknowledged for tokio::io::DuplexStream {
        fn unacknowledged(&self) -> Option<usize> {
            None
        }
    }

    /// A socket whose send buffer stays full (the kernel wakes a writer only
    /// once a good part of it has drained) while its client takes bytes at
    /// the pace a test sets, as its shrinking unacknowledged bytes tell.
    struct FullSendBuffer {
        unacknowledged: Arc<std::sync::atomic::AtomicUsize>,
    }

    impl Unacknowledged for FullSendBuffer {
        fn unacknowledged(&self) -> Option<usize> {
            Some(
                self.unacknowledged
                    .load(std::sync::atomic::Ordering::SeqCst),
            )
        }
    }

    impl AsyncWrite for FullSendBuffer {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &[u8],
        ) -> Poll<io::Result<usize>> {
            Poll::Pending
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn a_client_that_keeps_taking_bytes_is_waited_for_until_it_stops() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tokio::io::AsyncWriteExt;
        let limit = Duration::from_millis(300);
        let unacknowledged = Arc::new(AtomicUsize::new(4 << 20));
        let mut writer = TimedWrites::new(
            FullSendBuffer {
                unacknowledged: unacknowledged.clone(),
            },
            limit,
        );
        // The client takes a little every 50 ms for five times the limit,
        // though the write itself never proceeds.
        let reading = limit * 5;
        let client = tokio::spawn(async move {
            let started = Instant::now();
            while started.elapsed() < reading {
                tokio::time::sleep(Duration::from_millis(50)).await;
                unacknowledged.fetch_sub(16 * 1024, Ordering::SeqCst);
            }
        });
        let chunk = vec![b'x'; 1024];
        let waited = tokio::time::timeout(reading, writer.write_all(&chunk)).await;
        assert!(waited.is_err(), "a reading client was dropped: {waited:?}");
        client.await.unwrap();

        // Once it stops taking bytes, it is dropped after the limit.
        let stopped = std::time::Instant::now();
        let err = writer.write_all(&chunk).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(stopped.elapsed() <= limit * 2, "{:?}", stopped.elapsed());
    }

    #[tokio::test]
    async fn a_peer_that_takes_no_bytes_times_out_and_one_that_reads_does_not() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let limit = Duration::from_millis(300);
        // A pipe with a small buffer stands in for a socket.
        let (near, far) = tokio::io::duplex(1024);
        let mut writer = TimedWrites::new(near, limit);
        let chunk = vec![b'x'; 256 * 1024];
        let started = std::time::Instant::now();
        let err = writer.write_all(&chunk).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= limit, "{:?}", started.elapsed());

        let (near, mut far2) = tokio::io::duplex(1024);
        let mut writer = TimedWrites::new(near, limit);
        let reader = tokio::spawn(async move {
            let mut taken = 0;
            let mut buf = [0u8; 4096];
            // Slower than the whole write would take, but never idle for
            // the limit.
            while taken < 64 * 1024 {
                tokio::time::sleep(Duration::from_millis(20)).await;
                taken += far2.read(&mut buf).await.unwrap();
            }
            taken
        });
        writer.write_all(&chunk[..64 * 1024]).await.unwrap();
        assert_eq!(reader.await.unwrap(), 64 * 1024);
        // The first peer stayed open (and silent) throughout.
        drop(far);
    }

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

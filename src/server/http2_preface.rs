//! The `400` for a client that opens a plain-text connection in HTTP/2
//! with prior knowledge (RFC 9113 §3.3, `curl --http2-prior-knowledge`).
//! Its connection preface is a request line in HTTP/2.0, a version this
//! server does not read; but hyper, meeting the whole preface, leaves the
//! answer to whoever could switch to HTTP/2 and closes without a byte. So
//! the connection's first bytes are watched here, and a connection that
//! opens with the preface is answered `400` as any other version is.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::SystemTime;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The bytes every HTTP/2 connection opens with (RFC 9113 §3.4).
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// What a connection's first bytes have told so far.
#[derive(Debug, PartialEq)]
enum Opening {
    /// As many bytes as have come, all of them the preface's so far.
    Undecided(Vec<u8>),
    /// Anything but the preface: hyper answers it.
    NotHttp2,
    /// The preface; `sent` bytes of the answer have gone out.
    Http2 { answer: Vec<u8>, sent: usize },
}

/// A stream that answers `400` by itself when the connection opens with
/// the HTTP/2 preface, and otherwise only passes bytes through.
pub(crate) struct AnswersHttp2Preface<S> {
    stream: S,
    opening: Opening,
}

impl<S> AnswersHttp2Preface<S> {
    pub(crate) fn new(stream: S) -> Self {
        AnswersHttp2Preface {
            stream,
            opening: Opening::Undecided(Vec::with_capacity(PREFACE.len())),
        }
    }

    /// Looks at bytes just read: decides, once they tell, whether the
    /// connection opened with the preface.
    fn watch(&mut self, read: &[u8]) {
        let Opening::Undecided(seen) = &mut self.opening else {
            return;
        };
        let wanted = PREFACE.len() - seen.len();
        seen.extend_from_slice(&read[..read.len().min(wanted)]);
        if !PREFACE.starts_with(seen) {
            self.opening = Opening::NotHttp2;
        } else if seen.len() == PREFACE.len() {
            self.opening = Opening::Http2 {
                answer: bad_request(SystemTime::now()),
                sent: 0,
            };
        }
    }
}

impl<S: AsyncWrite + Unpin> AnswersHttp2Preface<S> {
    /// Sends what is left of the `400`. The connection has sent nothing
    /// before it, so its empty send buffer takes the whole answer at once;
    /// were it not to, the rest is not waited for (hyper closes the
    /// connection as soon as it has read the preface).
    fn send_answer(&mut self, cx: &mut Context<'_>) {
        let Opening::Http2 { answer, sent } = &mut self.opening else {
            return;
        };
        while *sent < answer.len() {
            match Pin::new(&mut self.stream).poll_write(cx, &answer[*sent..]) {
                Poll::Ready(Ok(written)) if written > 0 => *sent += written,
                _ => return,
            }
        }
        let _ = Pin::new(&mut self.stream).poll_flush(cx);
    }
}

/// The answer to the preface: the `400` the server gives any version it
/// does not read, closing the connection.
fn bad_request(now: SystemTime) -> Vec<u8> {
    format!(
        "HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: {}\r\n\r\n",
        httpdate::fmt_http_date(now)
    )
    .into_bytes()
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for AnswersHttp2Preface<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.stream).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result {
            self.watch(&buf.filled()[before..]);
            self.send_answer(cx);
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for AnswersHttp2Preface<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// What the server side reads of `sent` (written in `pieces`), and what
    /// the client then receives before the server side closes.
    async fn exchange(pieces: &[&[u8]]) -> (Vec<u8>, Vec<u8>) {
        let (near, mut far) = tokio::io::duplex(64 * 1024);
        let mut server = AnswersHttp2Preface::new(near);
        let mut read = Vec::new();
        for piece in pieces {
            far.write_all(piece).await.unwrap();
            let mut buf = vec![0u8; 1024];
            let n = server.read(&mut buf).await.unwrap();
            read.extend_from_slice(&buf[..n]);
        }
        drop(server);
        let mut received = Vec::new();
        far.read_to_end(&mut received).await.unwrap();
        (read, received)
    }

    #[tokio::test]
    async fn a_connection_opening_with_the_http2_preface_is_answered_400() {
        let settings = [0u8, 0, 0, 4, 0, 0, 0, 0, 0];
        let whole = [PREFACE, &settings[..]].concat();
        for pieces in [
            vec![&whole[..]],
            vec![PREFACE],
            vec![&PREFACE[..3], &PREFACE[3..20], &whole[20..]],
        ] {
            let (read, received) = exchange(&pieces).await;
            assert_eq!(read, pieces.concat(), "the bytes still reach hyper");
            let received = String::from_utf8(received).unwrap();
            assert!(
                received.starts_with("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n"),
                "{received:?}"
            );
            assert!(received.ends_with("\r\n\r\n"), "{received:?}");
        }
    }

    #[tokio::test]
    async fn other_openings_are_left_to_hyper() {
        for pieces in [
            vec![&b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..]],
            vec![&b"PRI * HTTP/2.0\r\nHost: x\r\n\r\n"[..]],
            vec![&b"P"[..], &b"OST / HTTP/1.1\r\n"[..]],
            vec![
                &b"PRI * HTTP/2.0\r\n\r\nSM\r\n"[..],
                &b"Host: x\r\n\r\n"[..],
            ],
        ] {
            let (read, received) = exchange(&pieces).await;
            assert_eq!(read, pieces.concat());
            assert_eq!(received, b"", "{:?}", String::from_utf8_lossy(&read));
        }
    }

    #[test]
    fn the_answer_is_dated() {
        let answer = String::from_utf8(bad_request(SystemTime::UNIX_EPOCH)).unwrap();
        assert!(answer.contains("\r\ndate: Thu, 01 Jan 1970 00:00:00 GMT\r\n"));
    }
}

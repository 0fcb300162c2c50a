//! Requests in a later minor version of HTTP/1 (`HTTP/1.2`), which RFC 9112
//! §2.3 has a server take as the highest minor version it implements and
//! answer in it: HTTP/1.1. hyper reads only `HTTP/1.0` and `HTTP/1.1`, so
//! the bytes of each request line reach it with such a version rewritten
//! to `HTTP/1.1` (the same length). To tell request lines from bodies, the
//! reader follows the framing of each request (its `Content-Length`, or
//! its chunks); once it cannot (a framing hyper refuses, a head over
//! [`MAX_HEAD_BYTES`]), it passes the rest of the connection on as is. A
//! major version other than 1 and a malformed version are passed on as
//! sent, for hyper to refuse.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::listen::MAX_HEAD_BYTES;

/// Longest chunk-size or trailer line followed; past it, the framing is
/// no longer followed.
const MAX_CHUNK_LINE: usize = 4096;
/// Bytes read from the connection at a time.
const READ_SIZE: usize = 8192;

/// A connection whose request lines in a later HTTP/1 minor version read
/// as `HTTP/1.1`; writes pass through.
pub struct LaterMinorAsHttp11<S> {
    stream: S,
    framing: RequestFraming,
    /// Bytes ready for the reader, from `handed` on.
    ready: Vec<u8>,
    handed: usize,
}

impl<S> LaterMinorAsHttp11<S> {
    pub fn new(stream: S) -> Self {
        LaterMinorAsHttp11 {
            stream,
            framing: RequestFraming::default(),
            ready: Vec::new(),
            handed: 0,
        }
    }

    /// Copies what is ready into `buf`; whether there was anything.
    fn hand_over(&mut self, buf: &mut ReadBuf<'_>) -> bool {
        let waiting = &self.ready[self.handed..];
        if waiting.is_empty() {
            return false;
        }
        let n = waiting.len().min(buf.remaining());
        buf.put_slice(&waiting[..n]);
        self.handed += n;
        if self.handed == self.ready.len() {
            self.ready.clear();
            self.handed = 0;
        }
        true
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for LaterMinorAsHttp11<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            if self.hand_over(buf) {
                return Poll::Ready(Ok(()));
            }
            if self.framing.untracked() {
                return Pin::new(&mut self.stream).poll_read(cx, buf);
            }
            let mut scratch = [0u8; READ_SIZE];
            let mut read = ReadBuf::new(&mut scratch);
            std::task::ready!(Pin::new(&mut self.stream).poll_read(cx, &mut read))?;
            let this = &mut *self;
            if read.filled().is_empty() {
                // The end of the input: a head cut short goes on as sent.
                this.framing.release_at_end(&mut this.ready);
                this.hand_over(buf);
                return Poll::Ready(Ok(()));
            }
            this.framing.take(read.filled(), &mut this.ready);
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for LaterMinorAsHttp11<S> {
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

/// Where the bytes of a connection stand in its requests.
#[derive(Debug, Default, PartialEq, Eq)]
enum Part {
    /// A request head, its bytes so far held back until it is whole.
    #[default]
    Head,
    /// This many bytes of a body (a chunk's data with its CRLF included).
    Body { left: u64, chunked: bool },
    /// A chunk-size line, held back until it is whole.
    ChunkSize,
    /// The trailer fields after the last chunk, a line at a time.
    Trailer,
    /// Framing no longer followed: everything passes as sent.
    Untracked,
}

/// Follows the requests of one connection and rewrites the version of each
/// request line in a later HTTP/1 minor version.
#[derive(Debug, Default)]
struct RequestFraming {
    part: Part,
    /// The head or line held back.
    held: Vec<u8>,
}

impl RequestFraming {
    fn untracked(&self) -> bool {
        self.part == Part::Untracked
    }

    /// Takes `input`, the next bytes of the connection, and appends to
    /// `out` those that can go on (request lines rewritten).
    fn take(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        while !input.is_empty() {
            input = match self.part {
                Part::Untracked => {
                    out.extend_from_slice(input);
                    &[]
                }
                Part::Body { left, chunked } => {
                    let n = usize::try_from(left).map_or(input.len(), |left| left.min(input.len()));
                    out.extend_from_slice(&input[..n]);
                    let left = left - n as u64;
                    self.part = match (left, chunked) {
                        (0, true) => Part::ChunkSize,
                        (0, false) => Part::Head,
                        (left, chunked) => Part::Body { left, chunked },
                    };
                    &input[n..]
                }
                Part::Head => self.take_head(input, out),
                Part::ChunkSize | Part::Trailer => self.take_line(input, out),
            }
        }
    }

    /// At the end of the input, whatever is held goes on as sent.
    fn release_at_end(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.held);
        self.part = Part::Untracked;
    }

    /// Holds `input` as part of a head; once the head is whole, rewrites
    /// its request line, passes it on and returns the bytes after it.
    fn take_head<'a>(&mut self, input: &'a [u8], out: &mut Vec<u8>) -> &'a [u8] {
        let before = self.held.len();
        self.held.extend_from_slice(input);
        let Some(end) = head_end(&self.held) else {
            if self.held.len() > MAX_HEAD_BYTES {
                self.release_at_end(out);
            }
            return &[];
        };
        let mut head: Vec<u8> = self.held.drain(..end).collect();
        self.held.clear();
        rewrite_later_minor_version(&mut head);
        self.part = body_framing(&head);
        out.extend_from_slice(&head);
        &input[end - before..]
    }

    /// Holds `input` as part of a chunk-size or trailer line; once the line
    /// is whole, passes it on and returns the bytes after it.
    fn take_line<'a>(&mut self, input: &'a [u8], out: &mut Vec<u8>) -> &'a [u8] {
        let Some(newline) = input.iter().position(|&b| b == b'\n') else {
            self.held.extend_from_slice(input);
            if self.held.len() > MAX_CHUNK_LINE {
                self.release_at_end(out);
            }
            return &[];
        };
        self.held.extend_from_slice(&input[..=newline]);
        let line = std::mem::take(&mut self.held);
        self.part = match self.part {
            Part::ChunkSize => match chunk_size(&line) {
                Some(0) => Part::Trailer,
                Some(size) => Part::Body {
                    left: size.saturating_add(2),
                    chunked: true,
                },
                None => Part::Untracked,
            },
            _ if trim_line_end(&line).is_empty() => Part::Head,
            _ => Part::Trailer,
        };
        out.extend_from_slice(&line);
        &input[newline + 1..]
    }
}

/// The length of the head at the start of `bytes` (through the empty line
/// that ends it), if it is whole. Empty lines before the request line are
/// part of it (RFC 9112 §2.2 has a server ignore them).
fn head_end(bytes: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    let mut request_line_seen = false;
    for (at, &byte) in bytes.iter().enumerate() {
        if byte != b'\n' {
            continue;
        }
        let empty = trim_line_end(&bytes[line_start..=at]).is_empty();
        if empty && request_line_seen {
            return Some(at + 1);
        }
        request_line_seen |= !empty;
        line_start = at + 1;
    }
    None
}

/// `line` without its line end (LF or CRLF).
fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Rewrites the version of `head`'s request line to `HTTP/1.1` when it is
/// `HTTP/1.` and one digit above 1.
fn rewrite_later_minor_version(head: &mut [u8]) {
    let start = head
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(0);
    let Some(length) = head[start..].iter().position(|&b| b == b'\n') else {
        return;
    };
    let line_end = start + trim_line_end(&head[start..=start + length]).len();
    let line = &head[start..line_end];
    let Some(at) = line.len().checked_sub(b" HTTP/1.2".len()) else {
        return;
    };
    if line[at..].starts_with(b" HTTP/1.") && (b'2'..=b'9').contains(&line[line.len() - 1]) {
        head[line_end - 1] = b'1';
    }
}

/// How the body after `head` is framed (RFC 9112 §6.3): chunked when the
/// last transfer coding is `chunked`, else `Content-Length` bytes, else
/// none; not followed when hyper would refuse it (another coding, a
/// length that is no number or differs between fields).
fn body_framing(head: &[u8]) -> Part {
    let mut length: Option<u64> = None;
    let mut codings: Option<String> = None;
    for line in head.split(|&b| b == b'\n').skip(1) {
        let Some((name, value)) = std::str::from_utf8(trim_line_end(line))
            .ok()
            .and_then(|line| line.split_once(':'))
        else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            codings = Some(codings.map_or(value.to_string(), |c| format!("{c}, {value}")));
        } else if name.eq_ignore_ascii_case("content-length") {
            let Ok(n) = value.parse::<u64>() else {
                return Part::Untracked;
            };
            if length.is_some_and(|before| before != n) {
                return Part::Untracked;
            }
            length = Some(n);
        }
    }
    match (codings, length) {
        (Some(codings), _) => {
            let last = codings.rsplit(',').next().unwrap_or("").trim();
            if last.eq_ignore_ascii_case("chunked") {
                Part::ChunkSize
            } else {
                Part::Untracked
            }
        }
        (None, Some(0) | None) => Part::Head,
        (None, Some(left)) => Part::Body {
            left,
            chunked: false,
        },
    }
}

/// The size a chunk-size line gives (hex digits, then extensions).
fn chunk_size(line: &[u8]) -> Option<u64> {
    let line = std::str::from_utf8(trim_line_end(line)).ok()?;
    let digits = line.split(';').next()?.trim_end_matches([' ', '\t']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What hyper reads of `input`, fed in pieces of `piece` bytes.
    fn read(input: &[u8], piece: usize) -> Vec<u8> {
        let mut framing = RequestFraming::default();
        let mut out = Vec::new();
        for part in input.chunks(piece) {
            framing.take(part, &mut out);
        }
        framing.release_at_end(&mut out);
        out
    }

    fn read_whole_and_bytewise(input: &str) -> String {
        let whole = read(input.as_bytes(), input.len().max(1));
        assert_eq!(whole, read(input.as_bytes(), 1), "{input:?}");
        assert_eq!(whole, read(input.as_bytes(), 7), "{input:?}");
        String::from_utf8(whole).unwrap()
    }

    #[test]
    fn a_later_minor_version_reads_as_http_1_1() {
        for sent in [
            "GET /feeds/news.rss HTTP/1.2\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.9\r\nHost: x\r\n\r\n",
            "\r\nGET / HTTP/1.3\nHost: x\n\n",
        ] {
            let read = read_whole_and_bytewise(sent);
            assert!(read.contains(" HTTP/1.1\r\n") || read.contains(" HTTP/1.1\n"));
            assert_eq!(read.len(), sent.len());
        }
    }

    #[test]
    fn other_versions_are_read_as_sent() {
        for sent in [
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.0\r\n\r\n",
            "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
            "GET / HTTP/3\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.10\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.x\r\nHost: x\r\n\r\n",
            "GET / http/1.2\r\nHost: x\r\n\r\n",
            "GET /HTTP/1.2\r\nHost: x\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "GET / HTTP/1.2",
        ] {
            assert_eq!(read_whole_and_bytewise(sent), sent);
        }
    }

    #[test]
    fn bodies_are_read_as_sent_and_the_next_request_line_is_rewritten() {
        let sized = "POST /api/articles HTTP/1.2\r\nContent-Length: 18\r\n\r\nGET / HTTP/1.2\r\n\r\n\
                     GET / HTTP/1.2\r\n\r\n";
        assert_eq!(
            read_whole_and_bytewise(sized),
            "POST /api/articles HTTP/1.1\r\nContent-Length: 18\r\n\r\nGET / HTTP/1.2\r\n\r\n\
             GET / HTTP/1.1\r\n\r\n"
        );
        let chunked = "POST /api/articles HTTP/1.2\r\ntransfer-encoding: chunked\r\n\r\n\
                       12;x=y\r\nGET / HTTP/1.2\r\n\r\n\r\n0\r\nX-T: GET / HTTP/1.2\r\n\r\n\
                       HEAD / HTTP/1.2\r\n\r\n";
        assert_eq!(
            read_whole_and_bytewise(chunked),
            "POST /api/articles HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n\
             12;x=y\r\nGET / HTTP/1.2\r\n\r\n\r\n0\r\nX-T: GET / HTTP/1.2\r\n\r\n\
             HEAD / HTTP/1.1\r\n\r\n"
        );
    }

    #[test]
    fn framing_hyper_refuses_is_not_followed() {
        for sent in [
            "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\nGET / HTTP/1.2\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nGET / HTTP/1.2\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nGET / HTTP/1.2\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nGET / HTTP/1.2\r\n\r\n",
        ] {
            assert_eq!(read_whole_and_bytewise(sent), sent);
        }
        let endless = format!("GET / HTTP/1.2\r\nX: {}", "a".repeat(MAX_HEAD_BYTES));
        assert_eq!(read(endless.as_bytes(), 1000), endless.as_bytes());
    }
}

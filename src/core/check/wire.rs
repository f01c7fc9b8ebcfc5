//! The SMTP wire: a connection that is plain TCP or TLS over it, a reader of
//! replies whose lines are capped in length (a server sending 10 MB without a line
//! end cannot grow memory), and the reply type.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// The longest reply line accepted. RFC 5321 allows 512 octets; real servers send
/// longer EHLO keywords and texts, so leave room without being unbounded.
pub const MAX_LINE: usize = 8192;
/// The most lines one multi-line reply may have.
pub const MAX_REPLY_LINES: usize = 200;

/// A TCP stream that keeps the first bytes the server sent, so a failed TLS
/// handshake can tell "the server spoke plain SMTP" from other failures.
#[derive(Debug)]
pub struct Sniffed {
    inner: TcpStream,
    first: Vec<u8>,
}

const SNIFF_BYTES: usize = 256;

impl Sniffed {
    pub fn new(inner: TcpStream) -> Self {
        Sniffed {
            inner,
            first: Vec::new(),
        }
    }

    /// Acknowledges what was just read at once instead of by the delayed-ACK
    /// timer. A server that wrote twice since our last command (Postfix's
    /// TLS 1.3 session tickets, then the reply to EHLO) holds its second write
    /// back (Nagle) until the first is acknowledged, and Linux delays that ACK
    /// by 40 ms while we wait for the reply: a stall in about one check in ten,
    /// in every one with the server's tickets turned off. The flag is not
    /// sticky, so it is set again after every read.
    fn ack_now(&self) {
        #[cfg(target_os = "linux")]
        if let Err(error) = socket2::SockRef::from(&self.inner).set_tcp_quickack(true) {
            tracing::debug!("TCP_QUICKACK: {error}");
        }
    }

    /// The first bytes received on this connection (at most 256).
    pub fn first_bytes(&self) -> &[u8] {
        &self.first
    }
}

impl AsyncRead for Sniffed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result
            && buf.filled().len() > before
        {
            self.ack_now();
            let room = SNIFF_BYTES.saturating_sub(self.first.len());
            if room > 0 {
                let new = &buf.filled()[before..];
                let take = new.len().min(room);
                let copied = new[..take].to_vec();
                self.first.extend_from_slice(&copied);
            }
        }
        result
    }
}

impl AsyncWrite for Sniffed {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Plain text or TLS; a STARTTLS upgrade moves the TCP stream from one to the other.
pub enum Stream {
    Plain(Sniffed),
    Tls(Box<TlsStream<Sniffed>>),
    /// Taken away for a STARTTLS upgrade that failed.
    Closed,
}

impl Stream {
    /// The server's certificate (DER) once TLS is up, for channel binding.
    pub fn server_certificate(&self) -> Option<&[u8]> {
        match self {
            Stream::Tls(tls) => tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|chain| chain.first())
                .map(|der| der.as_ref()),
            _ => None,
        }
    }
}

fn closed() -> io::Error {
    io::Error::from(io::ErrorKind::NotConnected)
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Stream::Closed => Poll::Ready(Err(closed())),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
            Stream::Closed => Poll::Ready(Err(closed())),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Stream::Closed => Poll::Ready(Err(closed())),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Stream::Closed => Poll::Ready(Err(closed())),
        }
    }
}

/// Why no reply could be read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// The server closed the connection.
    Closed,
    /// A line longer than [`MAX_LINE`] (the rest is not read).
    TooLong,
    /// Not an SMTP reply line; carries the line, made printable.
    Malformed(String),
    TooManyLines,
}

/// One SMTP reply: the code and the text of every line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub lines: Vec<String>,
}

impl Reply {
    /// The enhanced status code (`5.7.9`) at the start of the first line, if any.
    pub fn enhanced(&self) -> Option<&str> {
        let first = self.lines.first()?.split_whitespace().next()?;
        let parts: Vec<&str> = first.split('.').collect();
        let valid = parts.len() == 3
            && matches!(parts[0], "2" | "4" | "5")
            && parts[1..]
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
        valid.then_some(first)
    }

    /// All lines' text joined with spaces.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }

    /// `code text` on one line, as shown in step details.
    pub fn summary(&self) -> String {
        let text = self.lines.first().map(String::as_str).unwrap_or("");
        if self.lines.len() > 1 {
            format!("{} {} …", self.code, text)
        } else {
            format!("{} {}", self.code, text).trim_end().to_owned()
        }
    }

    pub fn is(&self, class: u16) -> bool {
        self.code / 100 == class
    }

    /// Whether the reply's text (case-insensitive) contains `needle`.
    pub fn mentions(&self, needle: &str) -> bool {
        self.text()
            .to_ascii_lowercase()
            .contains(&needle.to_ascii_lowercase())
    }
}

/// The first whole line in `buffer` (its `\n` searched from `scanned` on),
/// taken out without its line end (`\r\n` or a bare `\n`).
pub(crate) fn take_line(buffer: &mut Vec<u8>, scanned: usize) -> Option<Vec<u8>> {
    let end = scanned + buffer[scanned..].iter().position(|&b| b == b'\n')?;
    let mut line: Vec<u8> = buffer.drain(..=end).collect();
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Some(line)
}

/// A connection with its own read buffer (so replies sent together, as with
/// pipelining, are split correctly).
pub struct Wire {
    pub stream: Stream,
    buffer: Vec<u8>,
}

impl Wire {
    pub fn new(stream: Stream) -> Self {
        Wire {
            stream,
            buffer: Vec::with_capacity(1024),
        }
    }

    /// The server's certificate (DER) once TLS is up, for channel binding.
    pub fn server_certificate(&self) -> Option<&[u8]> {
        self.stream.server_certificate()
    }

    /// Bytes received but not yet consumed (must be none before a STARTTLS upgrade).
    pub fn has_pending(&self) -> bool {
        !self.buffer.is_empty()
    }

    /// Writes `bytes` in one go and flushes, so one command (or one pipelined group)
    /// leaves in as few packets as possible.
    pub async fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await?;
        self.stream.flush().await
    }

    /// Reads one line without its line end, at most [`MAX_LINE`] bytes.
    pub async fn read_line(&mut self) -> Result<String, ReadError> {
        let mut scanned = 0;
        loop {
            if let Some(line) = take_line(&mut self.buffer, scanned) {
                return Ok(String::from_utf8_lossy(&line).into_owned());
            }
            scanned = self.buffer.len();
            // A reply line starts with three digits; garbage fails at once rather
            // than after the timeout.
            if let Some(start) = self.buffer.get(..4)
                && !(start[..3].iter().all(u8::is_ascii_digit)
                    && matches!(start[3], b' ' | b'-' | b'\r'))
            {
                let shown =
                    String::from_utf8_lossy(&self.buffer[..self.buffer.len().min(60)]).into_owned();
                return Err(ReadError::Malformed(printable(&shown)));
            }
            if self.buffer.len() > MAX_LINE {
                return Err(ReadError::TooLong);
            }
            let mut chunk = [0u8; 4096];
            let read = self.stream.read(&mut chunk).await.map_err(ReadError::Io)?;
            if read == 0 {
                return Err(ReadError::Closed);
            }
            self.buffer.extend_from_slice(&chunk[..read]);
        }
    }

    /// Reads a whole reply (all its `code-text` lines and the final `code text`).
    /// `seen` receives each line as it arrives, for the transcript.
    pub async fn read_reply(
        &mut self,
        seen: &mut (dyn FnMut(&str) + Send),
    ) -> Result<Reply, ReadError> {
        let mut lines = Vec::new();
        let mut code = None;
        loop {
            let line = self.read_line().await?;
            seen(&printable(&line));
            let bytes = line.as_bytes();
            let parsed = (bytes.len() >= 3 && bytes[..3].iter().all(u8::is_ascii_digit))
                .then(|| line[..3].parse::<u16>().ok())
                .flatten()
                .filter(|c| (200..600).contains(c));
            let (this, separator) = match parsed {
                Some(c) => (c, bytes.get(3).copied()),
                None => return Err(ReadError::Malformed(printable(&line))),
            };
            if code.is_some_and(|c| c != this)
                || !matches!(separator, None | Some(b' ') | Some(b'-'))
            {
                return Err(ReadError::Malformed(printable(&line)));
            }
            code = Some(this);
            lines.push(line.get(4..).unwrap_or("").to_owned());
            if separator != Some(b'-') {
                return Ok(Reply { code: this, lines });
            }
            if lines.len() >= MAX_REPLY_LINES {
                return Err(ReadError::TooManyLines);
            }
        }
    }
}

/// A line with control characters shown as `\xNN`, shortened for display.
pub fn printable(line: &str) -> String {
    const SHOWN: usize = 300;
    let mut out = String::new();
    for (i, c) in line.chars().enumerate() {
        if i >= SHOWN {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

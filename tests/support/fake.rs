//! Misbehaving servers for the check tests: each accepts on 127.0.0.1 and an
//! ephemeral port and behaves badly in one way. `closed` tells when the client
//! closed its side (EOF), for the cancellation test.

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

#[derive(Clone)]
pub enum Behaviour {
    /// Accepts and never speaks.
    Silent,
    /// The banner, one byte per second.
    SlowBanner,
    /// Binary garbage instead of a banner.
    Garbage,
    /// `220 ` and 10 MB without a line end.
    HugeLine,
    /// The banner, then the connection is closed.
    DisconnectAfterBanner,
    /// `421` as the banner.
    Banner421,
    /// Accepts and resets the connection at once (RST, not FIN).
    Reset,
    /// A small SMTP server answering with the replies given.
    Smtp(Replies),
}

/// The replies of the scripted SMTP server.
#[derive(Clone)]
pub struct Replies {
    pub ehlo: Vec<&'static str>,
    pub auth: &'static str,
    pub mail: &'static str,
    pub rcpt: &'static str,
    pub data: &'static str,
}

impl Default for Replies {
    fn default() -> Self {
        Replies {
            ehlo: vec!["fake.test", "PIPELINING", "AUTH PLAIN LOGIN"],
            auth: "235 2.7.0 ok",
            mail: "250 2.1.0 ok",
            rcpt: "250 2.1.5 ok",
            data: "354 go ahead",
        }
    }
}

pub struct Fake {
    pub port: u16,
    /// When the server saw the client close its side, one per connection.
    pub closed: mpsc::UnboundedReceiver<Instant>,
}

impl Fake {
    pub async fn start(behaviour: Behaviour) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (sender, closed) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let behaviour = behaviour.clone();
                let sender = sender.clone();
                tokio::spawn(async move {
                    serve(socket, behaviour).await;
                    let _ = sender.send(Instant::now());
                });
            }
        });
        Fake { port, closed }
    }
}

/// Reads until the client closes (EOF or error).
async fn until_eof(socket: &mut TcpStream) {
    let mut buffer = [0u8; 1024];
    while let Ok(n) = socket.read(&mut buffer).await {
        if n == 0 {
            break;
        }
    }
}

async fn serve(mut socket: TcpStream, behaviour: Behaviour) {
    match behaviour {
        Behaviour::Silent => until_eof(&mut socket).await,
        Behaviour::SlowBanner => {
            for byte in b"220 slow.test ESMTP\r\n" {
                if socket.write_all(&[*byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            until_eof(&mut socket).await;
        }
        Behaviour::Garbage => {
            let garbage: Vec<u8> = (0..4096u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect();
            let _ = socket.write_all(&garbage).await;
            until_eof(&mut socket).await;
        }
        Behaviour::HugeLine => {
            if socket.write_all(b"220 ").await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..160 {
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
            }
            until_eof(&mut socket).await;
        }
        Behaviour::DisconnectAfterBanner => {
            let _ = socket.write_all(b"220 bye.test ESMTP\r\n").await;
        }
        Behaviour::Banner421 => {
            let _ = socket
                .write_all(b"421 4.3.2 Service not available, closing channel\r\n")
                .await;
        }
        Behaviour::Reset => {
            // A zero linger makes close send RST; closing so does not block.
            #[allow(deprecated)]
            let _ = socket.set_linger(Some(Duration::ZERO));
            drop(socket);
        }
        Behaviour::Smtp(replies) => smtp(socket, replies).await,
    }
}

async fn smtp(socket: TcpStream, replies: Replies) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"220 fake.test ESMTP\r\n").await.is_err() {
        return;
    }
    let mut in_data = false;
    while let Ok(Some(line)) = lines.next_line().await {
        let reply: String = if in_data {
            if line == "." {
                in_data = false;
                "250 2.0.0 queued\r\n".to_owned()
            } else {
                continue;
            }
        } else {
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                let n = replies.ehlo.len();
                replies
                    .ehlo
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("250{}{l}\r\n", if i + 1 == n { ' ' } else { '-' }))
                    .collect()
            } else if upper.starts_with("AUTH") {
                format!("{}\r\n", replies.auth)
            } else if upper.starts_with("MAIL") {
                format!("{}\r\n", replies.mail)
            } else if upper.starts_with("RCPT") {
                format!("{}\r\n", replies.rcpt)
            } else if upper.starts_with("DATA") {
                in_data = replies.data.starts_with("354");
                format!("{}\r\n", replies.data)
            } else if upper.starts_with("RSET") {
                "250 2.0.0 ok\r\n".to_owned()
            } else if upper.starts_with("QUIT") {
                let _ = write.write_all(b"221 2.0.0 bye\r\n").await;
                return;
            } else if upper.starts_with("STARTTLS") {
                "454 4.7.0 TLS not available\r\n".to_owned()
            } else {
                "500 5.5.1 unknown\r\n".to_owned()
            }
        };
        if write.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

//! Misbehaving IMAP servers for the IMAP check's tests, and a small scripted
//! one (plain text only) for the replies a real Dovecot does not give: each
//! accepts on 127.0.0.1 and an ephemeral port.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use outbound::core::profile::{ImapAuth, Profile, Security};

#[derive(Clone)]
pub enum Behaviour {
    /// Greets, then reads and never answers.
    SilentAfterGreeting,
    /// Greets (with capabilities), then never answers LOGIN or AUTHENTICATE.
    SilentAfterLogin,
    /// Binary garbage instead of a greeting.
    Garbage,
    /// Greets, then closes the connection at the first command.
    DisconnectAfterGreeting,
    /// Answers CAPABILITY with a literal of 4 GB announced.
    HugeLiteral,
    /// A scripted server: the greeting's capabilities and the answer to a login.
    Scripted(Script),
}

#[derive(Clone)]
pub struct Script {
    pub capabilities: &'static str,
    /// The tagged answer to LOGIN / AUTHENTICATE, after the tag: `OK done`.
    pub login: &'static str,
    /// The folders SELECT finds.
    pub folders: Vec<&'static str>,
    /// The password LOGIN must bring (else `NO [AUTHENTICATIONFAILED]`).
    pub password: &'static str,
}

impl Default for Script {
    fn default() -> Self {
        Script {
            capabilities: "IMAP4rev1 SASL-IR LITERAL+ ID AUTH=PLAIN",
            login: "OK Logged in",
            folders: vec!["INBOX"],
            password: "fake-secret-Ω",
        }
    }
}

pub struct FakeImap {
    pub port: u16,
    /// One message per connection, when the client closed its side.
    pub closed: tokio::sync::mpsc::UnboundedReceiver<()>,
}

impl FakeImap {
    pub async fn start(behaviour: Behaviour) -> FakeImap {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (sender, closed) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let behaviour = behaviour.clone();
                let sender = sender.clone();
                tokio::spawn(async move {
                    serve(socket, behaviour).await;
                    let _ = sender.send(());
                });
            }
        });
        FakeImap { port, closed }
    }
}

/// A profile whose incoming side is this server without TLS.
pub fn profile(port: u16, auth: ImapAuth) -> Profile {
    let mut profile = Profile::named("imap_fake");
    profile.smtp.username = "tester".to_owned();
    profile.smtp.timeout_secs = 3;
    profile.imap.host = "127.0.0.1".to_owned();
    profile.imap.port = port;
    profile.imap.security = Security::None;
    profile.imap.auth = auth;
    profile
}

async fn until_eof(socket: &mut TcpStream) {
    let mut buffer = [0u8; 1024];
    while let Ok(n) = socket.read(&mut buffer).await {
        if n == 0 {
            break;
        }
    }
}

const GREETING: &[u8] = b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] fake ready\r\n";

async fn serve(mut socket: TcpStream, behaviour: Behaviour) {
    match behaviour {
        Behaviour::SilentAfterGreeting => {
            // No capabilities in it: the check's first command is CAPABILITY.
            let _ = socket.write_all(b"* OK fake ready\r\n").await;
            until_eof(&mut socket).await;
        }
        Behaviour::Garbage => {
            let garbage: Vec<u8> = (0..4096u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect();
            let _ = socket.write_all(&garbage).await;
            until_eof(&mut socket).await;
        }
        Behaviour::DisconnectAfterGreeting => {
            let _ = socket.write_all(GREETING).await;
            let mut buffer = [0u8; 64];
            let _ = socket.read(&mut buffer).await;
        }
        Behaviour::HugeLiteral => {
            let _ = socket.write_all(b"* OK fake ready\r\n").await;
            let (read, mut write) = socket.split();
            let mut lines = BufReader::new(read).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let tag = line.split(' ').next().unwrap_or("*").to_owned();
                let _ = write
                    .write_all(b"* CAPABILITY {4294967296}\r\nxxxxxxxxxxxxxxxx")
                    .await;
                let _ = write.write_all(format!("{tag} OK\r\n").as_bytes()).await;
            }
        }
        Behaviour::SilentAfterLogin => scripted(socket, Script::default(), true).await,
        Behaviour::Scripted(script) => scripted(socket, script, false).await,
    }
}

async fn scripted(mut socket: TcpStream, script: Script, silent_login: bool) {
    let greeting = format!("* OK [CAPABILITY {}] fake ready\r\n", script.capabilities);
    if socket.write_all(greeting.as_bytes()).await.is_err() {
        return;
    }
    let (read, mut write) = socket.split();
    let mut reader = BufReader::new(read);
    while let Some(line) = read_command(&mut reader, &mut write).await {
        let mut words = line.splitn(3, ' ');
        let tag = words.next().unwrap_or("").to_owned();
        let command = words.next().unwrap_or("").to_ascii_uppercase();
        let rest = words.next().unwrap_or("").to_owned();
        let answer = match command.as_str() {
            "CAPABILITY" => format!("* CAPABILITY {}\r\n{tag} OK done\r\n", script.capabilities),
            "LOGIN" | "AUTHENTICATE" if silent_login => {
                let mut rest = Vec::new();
                let _ = reader.read_to_end(&mut rest).await;
                return;
            }
            "LOGIN" if !rest.ends_with(&format!("\"{}\"", script.password)) => {
                format!("{tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
            }
            "LOGIN" | "AUTHENTICATE" => format!("{tag} {}\r\n", script.login),
            "ID" => format!("* ID (\"name\" \"fake\")\r\n{tag} OK ID done\r\n"),
            "SELECT" => {
                let name = rest.trim_matches('"');
                if script.folders.contains(&name) {
                    format!(
                        "* 2 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 42] ok\r\n{tag} OK [READ-WRITE] selected\r\n"
                    )
                } else {
                    format!("{tag} NO [NONEXISTENT] Mailbox doesn't exist: {name}\r\n")
                }
            }
            "LOGOUT" => {
                let _ = write
                    .write_all(format!("* BYE bye\r\n{tag} OK Logout completed\r\n").as_bytes())
                    .await;
                return;
            }
            _ => format!("{tag} BAD unknown\r\n"),
        };
        if write.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// One command line, its literals (`{n}` answered with `+`, `{n+}` not) read
/// and folded in as quoted strings.
async fn read_command<R, W>(reader: &mut R, writer: &mut W) -> Option<String>
where
    R: tokio::io::AsyncBufRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    let mut out = String::new();
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let text = String::from_utf8_lossy(&line)
            .trim_end_matches(['\r', '\n'])
            .to_owned();
        let literal = text
            .rfind('{')
            .filter(|_| text.ends_with('}'))
            .and_then(|open| {
                let inner = &text[open + 1..text.len() - 1];
                let size: usize = inner.trim_end_matches('+').parse().ok()?;
                Some((open, size, !inner.ends_with('+')))
            });
        let Some((open, size, sync)) = literal else {
            out.push_str(&text);
            return Some(out);
        };
        if sync {
            writer.write_all(b"+ go on\r\n").await.ok()?;
        }
        let mut content = vec![0u8; size];
        reader.read_exact(&mut content).await.ok()?;
        out.push_str(&text[..open]);
        out.push('"');
        out.push_str(&String::from_utf8_lossy(&content));
        out.push('"');
    }
}

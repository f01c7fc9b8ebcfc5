//! The OAuth 2.0 benchmark (issue 13), against the tests' Postfix + Dovecot
//! (tests/peers/mailstack, Dovecot's `passdb oauth2` asking the OAuth peer's
//! introspection) and the OAuth peer (tests/peers/oidc, oidc-provider), both on
//! loopback. Three timings of the same submission port (STARTTLS), each the
//! median of RUNS, each ending when the check's `auth` step reports AUTH
//! accepted:
//!
//! - plain: the password read from the keyring, AUTH PLAIN (the baseline);
//! - fresh: from the moment the browser hands the authorization code to
//!   Outbound's loopback listener: the code exchanged, the tokens stored in the
//!   keyring, read back by the check's own token function, AUTH XOAUTH2;
//! - refresh: from an expired access token in the keyring: the check's token
//!   function refreshes it (one token request) and stores the new one, AUTH
//!   XOAUTH2.
//!
//! Printed as ratios to plain (goals: fresh ≤ 1.3×, refresh ≤ 1.6×), of the
//! medians and of the fastest runs: Postfix's answer to the EHLO after
//! STARTTLS now and then comes about 40 ms late (a delayed ACK on the
//! server's side, whatever the mechanism), which moves a median of few runs.
//! The keyring is a gnome-keyring of the benchmark's own on a private bus.
//!
//! Uses tests/session's stack and OAuth peer when OUTBOUND_TEST_MAILSTACK and
//! OUTBOUND_TEST_OIDC_URL are set, else starts both (as root, like
//! tests/session; `npm ci` in tests/peers/oidc first). User u26 is the
//! benchmark's. Run: `cargo bench --bench oauth`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::keyring::Keyring;
use common::{median, ms};
use outbound::core::check::{Progress, Report, StepName, credential, saved, smtp};
use outbound::core::directory::{Auth, Login, Provider, Server, UserDirectory};
use outbound::core::oauth::{self, Client, Tokens};
use outbound::core::profile::{AuthMethod, Delivery, Profile, Security};
use outbound::core::secret::Secret;
use outbound::core::secrets::{SecretKey, Secrets};
use outbound::core::store::{Paths, Scope, Store};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

const RUNS: usize = 21;
const USER: &str = "u26@outbound.test";
const PASSWORD: &str = "secret-u26";
const PLAIN: &str = "bench_plain";
const SIGNED: &str = "bench_oauth";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The OAuth peer: tests/session's, or one started here (stops when its
/// stdin closes, on drop).
struct Oidc {
    issuer: String,
    /// Started here: the process, its stdin (closing it stops the peer) and
    /// its stdout (kept open: a write to a closed pipe would end it).
    _own: Option<(Child, ChildStdin, BufReader<ChildStdout>)>,
}

impl Oidc {
    fn get() -> Oidc {
        if let Ok(issuer) = std::env::var("OUTBOUND_TEST_OIDC_URL") {
            return Oidc { issuer, _own: None };
        }
        let mut child = Command::new("node")
            .arg(root().join("tests/peers/oidc/server.mjs"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node (the OAuth peer tests/peers/oidc; npm ci there first)");
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let issuer = line
            .strip_prefix("URL ")
            .unwrap_or_else(|| {
                panic!("the OAuth peer did not start: {line:?} (npm ci in tests/peers/oidc)")
            })
            .trim()
            .to_owned();
        Oidc {
            issuer,
            _own: Some((child, stdin, stdout)),
        }
    }
}

/// The mail stack: tests/session's, or one started here (its Dovecot asking
/// `issuer`), stopped on drop.
struct Stack {
    dir: PathBuf,
    submission: u16,
    own: bool,
}

impl Stack {
    fn get(issuer: &str) -> Stack {
        if let Ok(dir) = std::env::var("OUTBOUND_TEST_MAILSTACK") {
            return Stack::read(PathBuf::from(dir), false);
        }
        let dir = tempfile::Builder::new()
            .prefix("obm.")
            .tempdir_in("/tmp")
            .unwrap()
            .keep();
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let status = Command::new(root().join("tests/peers/mailstack"))
            .arg("start")
            .arg(&dir)
            .env("OUTBOUND_TEST_OIDC_URL", issuer)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(
            status.success(),
            "the mail stack did not start (root, postfix and dovecot needed; tests/run installs them)"
        );
        Stack::read(dir, true)
    }

    fn read(dir: PathBuf, own: bool) -> Stack {
        assert!(
            dir.join("dovecot/oauth2.conf").exists(),
            "{}: a mail stack without passdb oauth2 (started without OUTBOUND_TEST_OIDC_URL)",
            dir.display()
        );
        let env = std::fs::read_to_string(dir.join("env")).unwrap();
        let submission = env
            .lines()
            .find_map(|l| l.strip_prefix("export OUTBOUND_TEST_SUBMISSION_PORT="))
            .expect("the submission port in the stack's env")
            .parse()
            .unwrap();
        Stack {
            dir,
            submission,
            own,
        }
    }

    fn roots(&self) -> Vec<CertificateDer<'static>> {
        CertificateDer::pem_file_iter(self.dir.join("tls/ca.pem"))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        if self.own {
            let _ = Command::new(root().join("tests/peers/mailstack"))
                .arg("stop")
                .arg(&self.dir)
                .status();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn profile(name: &str, port: u16, auth: AuthMethod) -> Profile {
    let mut profile = Profile::named(name);
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = "127.0.0.1".to_owned();
    profile.smtp.port = port;
    profile.smtp.security = Security::Starttls;
    profile.smtp.auth = auth;
    profile.smtp.username = USER.to_owned();
    profile.smtp.timeout_secs = 30;
    profile.sender.address = USER.to_owned();
    profile
}

fn provider(issuer: &str, port: u16) -> Provider {
    Provider {
        id: "bench-oauth".to_owned(),
        name: "OAuth bench".to_owned(),
        login: Login::Email,
        domains: vec!["outbound.test".to_owned()],
        mx_suffixes: Vec::new(),
        notes: Vec::new(),
        smtp: Server {
            host: "127.0.0.1".to_owned(),
            port,
            security: Security::Starttls,
        },
        smtp_alternatives: Vec::new(),
        imap: None,
        auth: Auth::Oauth2 {
            client_id: "outbound-test".to_owned(),
            auth_url: format!("{issuer}/auth"),
            token_url: format!("{issuer}/token"),
            scopes: vec!["openid".to_owned(), "offline_access".to_owned()],
            device_url: String::new(),
            tenant: String::new(),
        },
    }
}

/// Follows the authorization URL (the OAuth peer signs `USER` in at once, by
/// login_hint) to the redirect for Outbound's listener, with the peer's cookies.
fn authorize(url: &str, issuer: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let mut url = format!("{url}&login_hint={}", USER.replace('@', "%40"));
    let mut cookies: Vec<String> = Vec::new();
    for _ in 0..10 {
        let response = agent
            .get(&url)
            .header("Cookie", cookies.join("; "))
            .call()
            .unwrap();
        for header in response.headers().get_all("set-cookie") {
            let pair = header
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned();
            let name = pair.split('=').next().unwrap().to_owned();
            cookies.retain(|c| !c.starts_with(&format!("{name}=")));
            cookies.push(pair);
        }
        let location = response
            .headers()
            .get("location")
            .unwrap_or_else(|| panic!("no redirect from {url}: {}", response.status()))
            .to_str()
            .unwrap()
            .to_owned();
        let next = if location.starts_with('/') {
            format!("{issuer}{location}")
        } else {
            location
        };
        if !next.starts_with(issuer) {
            return next;
        }
        url = next;
    }
    panic!("too many redirects");
}

/// The check of `profile` with `password`; when its `auth` step was reported.
async fn check_until_auth(
    profile: &Profile,
    password: Secret,
    token: bool,
    roots: &[CertificateDer<'static>],
) -> (Report, Instant) {
    let (progress, mut steps) = Progress::channel();
    let options = smtp::Options {
        password: Some(password),
        token_held: token,
        extra_roots: roots.to_vec(),
        recipients: Vec::new(),
        marks: None,
        progress,
    };
    let accepted = async {
        while let Some(step) = steps.recv().await {
            if step.name == StepName::Auth {
                return Some(Instant::now());
            }
        }
        None
    };
    let (report, accepted) = tokio::join!(smtp::check(profile, options), accepted);
    assert!(report.ok(), "{}: {:?}", profile.name, report.diagnosis);
    (report, accepted.expect("an auth step"))
}

struct Bench {
    paths: Paths,
    account: saved::Account,
    plain: Profile,
    client: Client,
    roots: Vec<CertificateDer<'static>>,
    issuer: String,
}

impl Bench {
    fn oauth_key(&self) -> SecretKey {
        SecretKey::profile(&self.paths, Scope::User, SIGNED).oauth()
    }

    async fn plain(&self) -> Duration {
        let started = Instant::now();
        let key = SecretKey::profile(&self.paths, Scope::User, PLAIN);
        let password = Secrets::connect().await.get(&key).await.unwrap().unwrap();
        let (_, accepted) = check_until_auth(&self.plain, password, false, &self.roots).await;
        accepted - started
    }

    /// A sign-in in the browser: from the code's delivery to AUTH accepted.
    async fn fresh(&self) -> (Duration, Tokens) {
        let delivered = Arc::new(Mutex::new(None));
        let mark = delivered.clone();
        let issuer = self.issuer.clone();
        let tokens = oauth::sign_in_browser(
            &self.client,
            move |url| {
                let url = url.to_owned();
                std::thread::spawn(move || {
                    let redirect = authorize(&url, &issuer);
                    *mark.lock().unwrap() = Some(Instant::now());
                    let _ = ureq::get(&redirect).call();
                });
                Ok(())
            },
            |_, _| {},
        )
        .await
        .unwrap();
        let secrets = Secrets::connect().await;
        oauth::save_tokens(&secrets, &self.oauth_key(), &tokens)
            .await
            .unwrap();
        let token = credential::signed_in_token(&self.account)
            .await
            .unwrap()
            .expect("signed in");
        let (_, accepted) = check_until_auth(&self.account.saved, token, true, &self.roots).await;
        let started = delivered.lock().unwrap().expect("the code was delivered");
        (accepted - started, tokens)
    }

    /// From an expired access token in the keyring to AUTH accepted.
    async fn refresh(&self, signed: &Tokens) -> Duration {
        let expired = Tokens {
            expires_at: Some(0),
            ..signed.clone()
        };
        oauth::save_tokens(&Secrets::connect().await, &self.oauth_key(), &expired)
            .await
            .unwrap();
        let started = Instant::now();
        let token = credential::signed_in_token(&self.account)
            .await
            .unwrap()
            .expect("signed in");
        let (_, accepted) = check_until_auth(&self.account.saved, token, true, &self.roots).await;
        accepted - started
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let oidc = Oidc::get();
    let stack = Stack::get(&oidc.issuer);
    let home = tempfile::tempdir().unwrap();
    let keyring = Keyring::start(home.path());
    // SAFETY: no other thread exists yet (the runtime is built below); the
    // keyring client of this process reads the bus address from here.
    unsafe {
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &keyring.address);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();

    let paths = Paths {
        config: home.path().join("config/outbound"),
        data: home.path().join("data/outbound"),
        system_profiles: home.path().join("system"),
    };
    let store = Store::new(paths.clone());
    let plain = profile(PLAIN, stack.submission, AuthMethod::Plain);
    let signed = profile(SIGNED, stack.submission, AuthMethod::Xoauth2);
    store.save(&plain).unwrap();
    store.save(&signed).unwrap();
    UserDirectory::new(&paths)
        .upsert(provider(&oidc.issuer, stack.submission))
        .unwrap();
    let client = Client {
        client_id: "outbound-test".to_owned(),
        client_secret: None,
        auth_url: format!("{}/auth", oidc.issuer),
        token_url: format!("{}/token", oidc.issuer),
        device_url: None,
        scopes: vec!["openid".to_owned(), "offline_access".to_owned()],
    };
    let bench = Bench {
        account: saved::Account {
            paths: paths.clone(),
            scope: Scope::User,
            saved: signed,
        },
        paths,
        plain,
        client,
        roots: stack.roots(),
        issuer: oidc.issuer.clone(),
    };
    runtime.block_on(async {
        let key = SecretKey::profile(&bench.paths, Scope::User, PLAIN);
        Secrets::connect()
            .await
            .set(&key, &Secret::from(PASSWORD))
            .await
            .unwrap();
        // Warm-up: the keyring's first unlock, the servers' first TLS and
        // introspection.
        bench.plain().await;
        let (_, signed) = bench.fresh().await;
        bench.refresh(&signed).await;

        let mut plain = Vec::new();
        let mut fresh = Vec::new();
        let mut refresh = Vec::new();
        // Interleaved, so a slow moment of the machine falls on all three.
        for _ in 0..RUNS {
            plain.push(bench.plain().await);
            let (took, signed) = bench.fresh().await;
            fresh.push(took);
            refresh.push(bench.refresh(&signed).await);
        }
        let fastest = |samples: &[Duration]| samples.iter().copied().min().unwrap_or_default();
        let rows = [
            ("plain: keyring password, AUTH PLAIN", plain),
            ("fresh: code received -> XOAUTH2 accepted", fresh),
            ("refresh: token expired -> XOAUTH2 accepted", refresh),
        ];
        println!(
            "oauth benchmark: {RUNS} runs each, Postfix submission (STARTTLS) with Dovecot's SASL; until AUTH accepted"
        );
        println!("{:<44} {:>10} {:>10}", "", "median ms", "fastest ms");
        for (name, samples) in &rows {
            println!(
                "{name:<44} {:>10.1} {:>10.1}",
                ms(median(samples.clone())),
                ms(fastest(samples))
            );
        }
        let ratio = |samples: &[Duration], goal: f64, name: &str| {
            println!(
                "{name} / plain: {:.2}x median, {:.2}x fastest (goal ≤ {goal})",
                ms(median(samples.to_vec())) / ms(median(rows[0].1.clone())),
                ms(fastest(samples)) / ms(fastest(&rows[0].1)),
            );
        };
        ratio(&rows[1].1, 1.3, "fresh");
        ratio(&rows[2].1, 1.6, "refresh");
    });
    drop(runtime);
    drop(keyring);
    drop(stack);
    drop(oidc);
}

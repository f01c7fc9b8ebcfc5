//! The HTML reports in a real browser: `outbound check --report` against the
//! mail stack's Postfix (STARTTLS, a password) and `outbound bulk --report`
//! over a few rows, each page opened in Debian's headless Chromium, in English
//! and Russian. The screenshot must be a PNG of the window's size with more
//! than a blank page on it; the rendered text must hold the steps, the
//! diagnosis and the server's facts; no password may be in the file or in
//! what the browser rendered. The screenshots are kept in
//! target/screenshots/report-*.png to be looked at. Users: u36..u38.

mod sandbox;
mod support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use sandbox::{Sandbox, stderr, stdout};
use serde_json::Value;
use support::mailstack::stack;

const CHROMIUM: &str = "/usr/bin/chromium";
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;

/// What the browser made of a page: its rendered DOM and the screenshot's path.
struct Rendered {
    dom: String,
    png: PathBuf,
}

/// Opens `page` in headless Chromium twice (screenshot, then DOM), each time
/// with a new profile folder so nothing of one run reaches the other.
fn render(page: &Path, shot_name: &str) -> Rendered {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install Debian's chromium package (tests/run does) \
         to open the HTML reports in a real browser"
    );
    let scratch = tempfile::tempdir().unwrap();
    let url = format!("file://{}", page.display());
    let png = scratch.path().join("shot.png");
    let browser = |profile: &str, mode: &str| {
        let output = Command::new("timeout")
            .arg("120")
            .arg(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
            ])
            .arg(format!(
                "--user-data-dir={}",
                scratch.path().join(profile).display()
            ))
            .arg(format!("--window-size={WIDTH},{HEIGHT}"))
            .arg(mode)
            .arg(&url)
            .output()
            .expect("chromium runs");
        assert!(
            output.status.success(),
            "chromium {mode} failed ({:?}): {}",
            output.status,
            stderr(&output)
        );
        output
    };
    browser("shot", &format!("--screenshot={}", png.display()));
    let dom = stdout(&browser("dom", "--dump-dom"));
    assert!(png.exists(), "chromium wrote no screenshot of {url}");
    // Kept to be looked at: the report as a user sees it.
    let kept = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/screenshots")
        .join(format!("{shot_name}.png"));
    std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
    std::fs::copy(&png, &kept).unwrap();
    Rendered { dom, png: kept }
}

/// The screenshot decodes as a PNG of the window's size, and the page drew
/// something: many colours (text is anti-aliased) and more than a few dark pixels.
fn assert_drawn(png: &Path) {
    let bytes = std::fs::read(png).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{}: {e}", png.display()));
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    assert_eq!(
        (info.width, info.height),
        (WIDTH, HEIGHT),
        "{}",
        png.display()
    );
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{}", png.display());
    let mut colours = HashSet::new();
    let mut dark = 0usize;
    for pixel in buffer[..info.buffer_size()].chunks_exact(channels) {
        let rgb = [pixel[0], pixel[1 % channels], pixel[2 % channels]];
        if rgb.iter().all(|&c| c < 128) {
            dark += 1;
        }
        colours.insert(rgb);
    }
    let pixels = (WIDTH * HEIGHT) as usize;
    assert!(
        colours.len() > 20,
        "{}: only {} colours, a blank page",
        png.display(),
        colours.len()
    );
    assert!(
        dark > pixels / 200,
        "{}: {dark} dark pixels of {pixels}: hardly any text",
        png.display()
    );
}

/// Neither the password nor its AUTH PLAIN payload is anywhere in `text`.
fn assert_no_password(text: &str, login: &str, password: &str, what: &str) {
    assert!(!text.contains(password), "{what} holds the password");
    let plain = base64::engine::general_purpose::STANDARD.encode(format!("\0{login}\0{password}"));
    assert!(
        !text.contains(&plain),
        "{what} holds the AUTH PLAIN payload"
    );
}

/// The text a reader sees: the DOM without its tags (and the style sheet).
fn visible_text(dom: &str) -> String {
    let body = dom.split("</style>").last().unwrap_or(dom);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// `--report FILE.json` writes what `--json` prints, its `sender_domain` too.
#[test]
fn a_json_report_is_what_json_prints() {
    let mail = stack();
    let account = mail.user(36);
    let port = mail.submission_port.to_string();
    let sandbox = Sandbox::new();
    let file = sandbox.path("check.json");
    let output = sandbox
        .cmd()
        .args(["check", "--host", "127.0.0.1", "--port", &port])
        .args(["--security", "starttls", "--auth", "plain"])
        .args(["--user", &account.login, "--password-env", "OB_PASSWORD"])
        .args(["--json", "--report"])
        .arg(&file)
        .env("OB_PASSWORD", &account.password)
        .env("SSL_CERT_FILE", mail.ca_pem())
        .output()
        .unwrap();
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(0), "{out}\n{err}");
    let printed: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(printed.get("sender_domain").is_some(), "{printed}");
    assert_eq!(written, printed);
    assert_no_password(
        &written.to_string(),
        &account.login,
        &account.password,
        "the JSON file",
    );
}

#[test]
fn a_check_report_reads_in_a_browser_in_english_and_russian_without_the_password() {
    let mail = stack();
    let account = mail.user(36);
    let port = mail.submission_port.to_string();
    for lang in ["en", "ru"] {
        let sandbox = Sandbox::new();
        let page = sandbox.path("check.html");
        let output = sandbox
            .cmd()
            .args(["check", "--host", "127.0.0.1", "--port", &port])
            .args(["--security", "starttls", "--auth", "plain"])
            .args(["--user", &account.login, "--password-env", "OB_PASSWORD"])
            .args(["--json", "--report"])
            .arg(&page)
            .env("OB_PASSWORD", &account.password)
            .env("OUTBOUND_LANG", lang)
            .env("SSL_CERT_FILE", mail.ca_pem())
            .output()
            .unwrap();
        let (out, err) = (stdout(&output), stderr(&output));
        assert_eq!(output.status.code(), Some(0), "{out}\n{err}");
        let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        let file = std::fs::read_to_string(&page).unwrap();
        assert_no_password(&file, &account.login, &account.password, "the HTML file");

        let rendered = render(&page, &format!("report-check-{lang}"));
        assert_drawn(&rendered.png);
        assert_no_password(
            &rendered.dom,
            &account.login,
            &account.password,
            "the rendered page",
        );
        let text = visible_text(&rendered.dom);
        // The diagnosis, with its code.
        let message = json["diagnosis"]["message"].as_str().unwrap();
        assert!(text.contains(message), "no diagnosis {message:?} in {text}");
        assert!(text.contains(" ok "), "no diagnosis code in {text}");
        // Every step, by its name.
        for step in json["steps"].as_array().unwrap() {
            let name = step["name"].as_str().unwrap();
            assert!(text.contains(name), "no step {name} in {text}");
        }
        assert!(text.contains("auth") && text.contains("starttls"), "{text}");
        // The server's facts: its greeting (its name), the mail system, the certificate.
        let greeting = json["server"]["greeting"].as_str().unwrap();
        let name = greeting.split_whitespace().nth(1).unwrap_or(greeting);
        assert!(
            text.contains(greeting),
            "no greeting {greeting:?} in {text}"
        );
        assert!(text.contains(name), "no server name {name:?} in {text}");
        assert!(text.contains("postfix"), "no mail system in {text}");
        let fingerprint = json["server"]["tls"]["certificate"]["sha256"]
            .as_str()
            .unwrap();
        assert!(text.contains(fingerprint), "no certificate in {text}");
        // The transcript, redacted: the AUTH line is there, its payload is not.
        assert!(text.contains("AUTH PLAIN"), "no transcript in {text}");
        // In the interface language.
        let heading = if lang == "ru" { "Шаги" } else { "Steps" };
        assert!(text.contains(heading), "no {heading:?} in {text}");
    }
}

#[test]
fn a_bulk_report_reads_in_a_browser_with_each_row_and_no_password() {
    let mail = stack();
    let port = mail.submission_port;
    let good = [mail.user(37), mail.user(38)];
    let wrong_password = format!("not-{}", good[1].password);
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut csv = String::from("address,password,host,port,security\n");
    for account in &good {
        csv += &format!(
            "{},{},127.0.0.1,{port},starttls\n",
            account.address, account.password
        );
    }
    csv += &format!(
        "{},{wrong_password},127.0.0.1,{port},starttls\n",
        good[1].address
    );
    csv += &format!("u37@outbound.test,whatever-pw,127.0.0.1,{closed},none\n");
    for lang in ["en", "ru"] {
        let sandbox = Sandbox::new();
        let list = sandbox.path("list.csv");
        std::fs::write(&list, &csv).unwrap();
        let page = sandbox.path("bulk.html");
        let output = sandbox
            .cmd()
            .arg("bulk")
            .arg(&list)
            .arg("--json")
            .arg("--report")
            .arg(&page)
            .env("OUTBOUND_LANG", lang)
            .env("SSL_CERT_FILE", mail.ca_pem())
            .output()
            .unwrap();
        let (out, err) = (stdout(&output), stderr(&output));
        assert_eq!(output.status.code(), Some(1), "{out}\n{err}");
        let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(json["counts"]["ok"], 2, "{json:#}");
        assert_eq!(json["counts"]["auth_failed"], 1, "{json:#}");
        assert_eq!(json["counts"]["connect_refused"], 1, "{json:#}");
        let file = std::fs::read_to_string(&page).unwrap();

        let rendered = render(&page, &format!("report-bulk-{lang}"));
        assert_drawn(&rendered.png);
        for (what, text) in [
            ("the HTML file", &file),
            ("the rendered page", &rendered.dom),
        ] {
            for account in &good {
                assert_no_password(text, &account.login, &account.password, what);
            }
            assert_no_password(text, &good[1].login, &wrong_password, what);
            assert!(!text.contains("whatever-pw"), "{what} holds a password");
        }
        let text = visible_text(&rendered.dom);
        for row in json["rows"].as_array().unwrap() {
            let message = row["message"].as_str().unwrap();
            assert!(text.contains(message), "no diagnosis {message:?} in {text}");
            let server = row["server"].as_str().unwrap();
            assert!(text.contains(server), "no server {server} in {text}");
            for step in row["check"]["steps"].as_array().unwrap() {
                let detail = step["detail"].as_str().unwrap();
                assert!(text.contains(detail), "no step detail {detail:?} in {text}");
            }
            let greeting = row["check"]["server"]["greeting"].as_str();
            if let Some(greeting) = greeting {
                assert!(
                    text.contains(greeting),
                    "no greeting {greeting:?} in {text}"
                );
            }
        }
        for code in ["ok", "auth_failed", "connect_refused"] {
            assert!(text.contains(code), "no count of {code} in {text}");
        }
    }
}

//! Thunderbird autoconfig files: the whole ISP database as real-world input,
//! export and re-import, and hostile or broken files.

use std::path::{Path, PathBuf};
use std::process::Command;

use outbound::core::directory::{Auth, Login};
use outbound::core::discover::autoconfig::{self, AutoconfigError};
use outbound::core::profile::Security;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ispdb")
}

/// The first SMTP server of a file, read with plain string search (not an XML
/// parser), and only among servers whose authentication Outbound supports.
struct Expected {
    host: String,
    port: u16,
    security: Security,
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out += &rest[..start];
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out + rest
}

fn first_supported_smtp(text: &str) -> Option<Expected> {
    let text = strip_comments(text);
    let has_oauth = text.contains("<oAuth2>");
    let mut rest = text.as_str();
    while let Some(start) = rest.find("<outgoingServer") {
        let block_end = rest[start..].find("</outgoingServer>")? + start;
        let block = &rest[start..block_end];
        rest = &rest[block_end..];
        let methods: Vec<&str> = block
            .split("<authentication>")
            .skip(1)
            .filter_map(|s| s.split("</authentication>").next())
            .map(str::trim)
            .collect();
        let supported = methods.is_empty()
            || methods.iter().any(|m| {
                matches!(
                    *m,
                    "password-cleartext"
                        | "password-encrypted"
                        | "plain"
                        | "secure"
                        | "NTLM"
                        | "GSSAPI"
                ) || (*m == "OAuth2" && has_oauth)
            });
        if !supported {
            continue;
        }
        let security = match between(block, "<socketType>", "</socketType>").map(str::trim) {
            Some("SSL") => Security::Tls,
            Some("STARTTLS") => Security::Starttls,
            _ => Security::None,
        };
        return Some(Expected {
            host: between(block, "<hostname>", "</hostname>")?
                .trim()
                .to_owned(),
            port: between(block, "<port>", "</port>")?.trim().parse().ok()?,
            security,
        });
    }
    None
}

#[test]
fn every_file_of_the_isp_database_imports_or_is_refused_with_a_reason() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("the corpus is beside the checkout: ../shared/corpus/ispdb")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert!(files.len() > 100, "the corpus has {} files", files.len());
    let (mut imported, mut refused) = (0, Vec::new());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy();
        match autoconfig::parse(&text, None) {
            Ok(provider) => {
                imported += 1;
                let expected = first_supported_smtp(&text)
                    .unwrap_or_else(|| panic!("{name}: imported without an SMTP server"));
                assert_eq!(provider.smtp.host, expected.host, "{name}");
                assert_eq!(provider.smtp.port, expected.port, "{name}");
                assert_eq!(provider.smtp.security, expected.security, "{name}");
                assert!(provider.validate().is_empty(), "{name}");
                // Export, then import again: nothing the model holds is lost.
                let exported = autoconfig::export(&provider);
                let again = autoconfig::parse(&exported, None)
                    .unwrap_or_else(|e| panic!("{name}: re-import: {e}\n{exported}"));
                assert_eq!(again, provider, "{name}: export and re-import differ");
            }
            Err(error) => {
                let reason = outbound::i18n::Localize::localize(&error);
                assert!(!reason.is_empty(), "{name}");
                // A refusal must be for a reason the file really has.
                match &error {
                    AutoconfigError::NoSmtp { .. } => {
                        assert!(first_supported_smtp(&text).is_none(), "{name}")
                    }
                    AutoconfigError::NoUsableSmtp { .. } => {
                        assert!(first_supported_smtp(&text).is_none(), "{name}")
                    }
                    other => panic!("{name}: unexpected refusal: {other}"),
                }
                refused.push(format!("{name}: {error}"));
            }
        }
    }
    eprintln!(
        "imported {imported}, refused {}:\n{}",
        refused.len(),
        refused.join("\n")
    );
    assert!(imported >= files.len() - 5, "too many refused: {refused:?}");
}

#[test]
fn tolerant_reading_like_thunderbird() {
    let text = r#"<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="Example ISP">
    <domain>Example.ORG</domain>
    <domain>пример.рф</domain>
    <displayName>Example ISP</displayName>
    <incomingServer type="imap">
      <hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>relay.example.org</hostname><port>25</port><socketType>plain</socketType>
      <username>%EMAILADDRESS</username>
      <authentication>client-IP-address</authentication>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.%EMAILDOMAIN%</hostname><port>587</port><socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS</username>
      <authentication>GSSAPI</authentication>
      <authentication>password-encrypted</authentication>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.org</hostname><port>465</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>"#;
    let provider = autoconfig::parse(text, None).unwrap();
    assert_eq!(provider.id, "example-isp");
    assert_eq!(
        provider.domains,
        vec!["example.org".to_owned(), "xn--e1afmkfd.xn--p1ai".to_owned()]
    );
    // The first server supports no authentication of ours: the next one is preferred.
    assert_eq!(provider.smtp.host, "smtp.%EMAILDOMAIN%");
    assert_eq!(
        (provider.smtp.port, provider.smtp.security),
        (587, Security::Starttls)
    );
    // Its first method, as Thunderbird takes it: Kerberos.
    assert_eq!(provider.auth, Auth::Gssapi);
    assert_eq!(
        provider.login,
        Login::Email,
        "%EMAILADDRESS without its closing % is the address"
    );
    assert_eq!(provider.smtp_alternatives.len(), 1);
    assert_eq!(provider.smtp_alternatives[0].port, 465);
    assert!(
        provider
            .notes
            .iter()
            .any(|n| n.contains("client-IP-address")),
        "{:?}",
        provider.notes
    );
    assert!(
        !provider.notes.iter().any(|n| n.contains("GSSAPI")),
        "GSSAPI is supported: {:?}",
        provider.notes
    );
    assert_eq!(provider.imap.as_ref().unwrap().host, "imap.%EMAILDOMAIN%");

    // For an address, the domain fills the placeholder.
    let for_address = autoconfig::parse(text, Some("example.org")).unwrap();
    assert_eq!(for_address.smtp.host, "smtp.example.org");

    let round = autoconfig::parse(&autoconfig::export(&provider), None).unwrap();
    assert_eq!(round, provider);

    // Text that reaches a terminal later loses its control characters (C1 CSI, line breaks).
    let hostile = text
        .replace(
            "<displayName>Example ISP</displayName>",
            "<displayName>Evil&#155;[2J ISP</displayName>",
        )
        .replace(
            "</emailProvider>",
            "<documentation><descr>ring&#10;bell</descr></documentation></emailProvider>",
        );
    let cleaned = autoconfig::parse(&hostile, None).unwrap();
    assert_eq!(cleaned.name, "Evil [2J ISP");
    assert!(
        cleaned.notes.contains(&"ring bell".to_owned()),
        "{:?}",
        cleaned.notes
    );
}

#[test]
fn oauth2_is_read_with_its_endpoints_and_survives_export() {
    let text = std::fs::read_to_string(corpus().join("googlemail.com.xml")).unwrap();
    let provider = autoconfig::parse(&text, None).unwrap();
    match &provider.auth {
        Auth::Oauth2 {
            auth_url,
            token_url,
            scopes,
            ..
        } => {
            assert!(auth_url.starts_with("https://accounts.google.com/"));
            assert!(token_url.starts_with("https://"));
            assert!(scopes.contains(&"https://mail.google.com/".to_owned()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        autoconfig::parse(&autoconfig::export(&provider), None).unwrap(),
        provider
    );
}

fn bad(text: &str) -> AutoconfigError {
    autoconfig::parse(text, None).expect_err("refused")
}

#[test]
fn broken_and_hostile_files_are_refused_with_the_line() {
    let good = std::fs::read_to_string(corpus().join("yandex.ru.xml")).unwrap();

    match bad(
        "<clientConfig version=\"1.1\">\n  <emailProvider id=\"x\">\n    <domain>x.org</domain>\n  </emailProvder>\n</clientConfig>",
    ) {
        AutoconfigError::Xml { line, .. } => assert_eq!(line, 4),
        other => panic!("malformed: {other:?}"),
    }
    let cut = &good[..good.len() / 2];
    assert!(matches!(bad(cut), AutoconfigError::Xml { .. }), "truncated");
    assert!(matches!(bad(""), AutoconfigError::Xml { .. }), "empty");

    let huge = format!(
        "<clientConfig>{}</clientConfig>",
        " ".repeat(autoconfig::MAX_SIZE)
    );
    assert!(
        matches!(bad(&huge), AutoconfigError::TooLarge { .. }),
        "huge"
    );

    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<clientConfig><emailProvider id="&lol3;"><domain>x.org</domain></emailProvider></clientConfig>"#;
    match bad(bomb) {
        AutoconfigError::Dtd { line } => assert_eq!(line, 2),
        other => panic!("entity bomb: {other:?}"),
    }
    let external =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE c SYSTEM \"file:///etc/passwd\">\n<clientConfig/>";
    assert!(
        matches!(bad(external), AutoconfigError::Dtd { .. }),
        "external entity"
    );

    match bad("<?xml version=\"1.0\"?>\n<html><body/></html>") {
        AutoconfigError::WrongRoot { line, found } => {
            assert_eq!((line, found.as_str()), (2, "html"))
        }
        other => panic!("wrong root: {other:?}"),
    }
    assert!(matches!(
        bad("<clientConfig version=\"1.1\"/>"),
        AutoconfigError::NoProvider { .. }
    ));
    let no_smtp = "<clientConfig><emailProvider id=\"x\"><domain>x.org</domain></emailProvider></clientConfig>";
    assert!(matches!(bad(no_smtp), AutoconfigError::NoSmtp { .. }));
    let no_domain = "<clientConfig><emailProvider id=\"x\"><outgoingServer type=\"smtp\"><hostname>h.org</hostname><port>465</port><socketType>SSL</socketType></outgoingServer></emailProvider></clientConfig>";
    assert!(matches!(bad(no_domain), AutoconfigError::NoDomain { .. }));
    let bad_port = "<clientConfig><emailProvider id=\"x\"><domain>x.org</domain>\n<outgoingServer type=\"smtp\"><hostname>h.org</hostname><port>99999</port></outgoingServer></emailProvider></clientConfig>";
    match bad(bad_port) {
        AutoconfigError::NoUsableSmtp { reasons } => assert!(
            reasons[0].contains("line 2") && reasons[0].contains("99999"),
            "{reasons:?}"
        ),
        other => panic!("bad port: {other:?}"),
    }
}

/// The command line refuses each broken file with exit status 2 and a message,
/// and leaves the user's directory untouched; a good file is imported.
#[test]
fn the_command_line_imports_all_or_nothing() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_outbound"))
            .args(args)
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("OUTBOUND_LANG", "en")
            .output()
            .unwrap()
    };
    let user_file = home.path().join("config/outbound/providers.toml");
    let cases = [
        (
            "malformed.xml",
            "<clientConfig><emailProvider></clientConfig>".to_owned(),
        ),
        (
            "bomb.xml",
            "<!DOCTYPE a [<!ENTITY a \"aaaa\">]><clientConfig>&a;</clientConfig>".to_owned(),
        ),
        ("root.xml", "<rss/>".to_owned()),
        (
            "huge.xml",
            format!(
                "<clientConfig>{}</clientConfig>",
                "x".repeat(autoconfig::MAX_SIZE + 1)
            ),
        ),
    ];
    for (name, text) in &cases {
        let path = home.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = run(&["directory", "import-autoconfig", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(!user_file.exists(), "{name}: nothing is written");
    }
    let out = run(&[
        "directory",
        "import-autoconfig",
        corpus().join("rambler.ru.xml").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(user_file.exists());
    let out = run(&["directory", "show", "rambler.ru", "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["smtp"]["host"], "smtp.rambler.ru");
    assert_eq!(shown["origin"], "user");

    let exported = home.path().join("rambler.xml");
    let out = run(&[
        "directory",
        "export",
        "--autoconfig",
        "rambler",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let provider = autoconfig::parse(&std::fs::read_to_string(&exported).unwrap(), None).unwrap();
    assert_eq!(provider.smtp.host, "smtp.rambler.ru");

    let out = run(&["directory", "lookup", "Lenta.RU"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("smtp.rambler.ru"));
    let out = run(&["directory", "lookup", "nowhere.invalid"]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["detect", "not-an-address"]);
    assert_eq!(out.status.code(), Some(2), "bad input");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not-an-address"));
}

/// An on-premises Exchange's file: Windows authentication is read, fills a
/// profile's SMTP and IMAP sides, and survives export.
#[test]
fn windows_authentication_is_read_and_fills_both_sides() {
    use outbound::core::directory::{fill_profile, parse_address};
    use outbound::core::profile::{AuthMethod, ImapAuth, Profile};
    let file = |method: &str| {
        format!(
            r#"<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="corp.example">
    <domain>corp.example</domain>
    <displayName>Corp Exchange</displayName>
    <incomingServer type="imap">
      <hostname>mail.corp.example</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>{method}</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>mail.corp.example</hostname><port>587</port><socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>{method}</authentication>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>"#
        )
    };
    for (method, auth, smtp, imap) in [
        ("NTLM", Auth::Ntlm, AuthMethod::Ntlm, ImapAuth::Ntlm),
        ("GSSAPI", Auth::Gssapi, AuthMethod::Gssapi, ImapAuth::Gssapi),
    ] {
        let provider = autoconfig::parse(&file(method), None).unwrap();
        assert_eq!(provider.auth, auth, "{method}");
        assert!(provider.notes.is_empty(), "{method}: {:?}", provider.notes);
        let exported = autoconfig::export(&provider);
        assert!(
            exported.contains(&format!("<authentication>{method}</authentication>")),
            "{exported}"
        );
        assert_eq!(autoconfig::parse(&exported, None).unwrap(), provider);
        let mut profile = Profile::named("corp");
        let address = parse_address("tester@corp.example").unwrap();
        fill_profile(&mut profile, &provider, &address);
        assert_eq!(
            (profile.smtp.auth, profile.imap.auth),
            (smtp, imap),
            "{method}"
        );
        assert_eq!(profile.smtp.username, "tester");
        assert_eq!(profile.imap.host, "mail.corp.example");
    }
}

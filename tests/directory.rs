//! The providers and domains directory: the bundled entries, lookup, filling a
//! profile, and the user's directory on disk.

use std::collections::HashMap;

use outbound::core::directory::{
    self, Auth, Directory, DirectoryError, DirectoryFile, Login, Origin, Provider, Server,
    UserDirectory, normalise_domain, parse_address,
};
use outbound::core::profile::{AuthMethod, Delivery, Profile, Security};
use outbound::core::store::{Paths, Store};

fn bundled_file() -> DirectoryFile {
    directory::parse_file(directory::BUNDLED).expect("the bundled directory parses")
}

#[test]
fn every_bundled_entry_is_valid() {
    let file = bundled_file();
    assert_eq!(file.format, 1);
    assert!(file.hidden.is_empty());
    let providers = &file.provider;
    assert!(providers.len() >= 40, "only {} providers", providers.len());
    let mut ids = HashMap::new();
    let mut domains: HashMap<String, String> = HashMap::new();
    for provider in providers {
        let issues = provider.validate();
        assert!(issues.is_empty(), "{}: {issues:?}", provider.id);
        assert!(
            ids.insert(provider.id.clone(), ()).is_none(),
            "id {} twice",
            provider.id
        );
        // Shipped settings never send a password in the clear.
        for server in std::iter::once(&provider.smtp).chain(&provider.smtp_alternatives) {
            assert_ne!(
                server.security,
                Security::None,
                "{}: {server:?}",
                provider.id
            );
            assert!(
                matches!(server.port, 25 | 465 | 587 | 2525),
                "{}: {server:?}",
                provider.id
            );
            assert!(
                !server.host.contains('%'),
                "{}: a bundled host is literal",
                provider.id
            );
        }
        let imap = provider
            .imap
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no IMAP", provider.id));
        assert!(
            matches!(
                (imap.port, imap.security),
                (993, Security::Tls) | (143, Security::Starttls)
            ),
            "{}",
            provider.id
        );
        for domain in &provider.domains {
            let key = normalise_domain(domain).expect("a domain");
            assert_eq!(
                &key, domain,
                "{}: domains are written normalised",
                provider.id
            );
            if let Some(other) = domains.insert(key, provider.id.clone()) {
                panic!("{domain} is claimed by {other} and {}", provider.id);
            }
        }
        if let Auth::Oauth2 {
            auth_url,
            token_url,
            scopes,
            ..
        } = &provider.auth
        {
            assert!(auth_url.starts_with("https://") && token_url.starts_with("https://"));
            assert!(!scopes.is_empty());
        }
    }
    assert!(domains.len() >= 250, "only {} domains", domains.len());
}

#[test]
fn the_bundled_directory_covers_the_providers_helpdesks_meet() {
    let directory = Directory::bundled_only();
    let expect = [
        ("gmail.com", "gmail"),
        ("hotmail.com", "outlook"),
        ("yahoo.com", "yahoo"),
        ("icloud.com", "icloud"),
        ("yandex.ru", "yandex"),
        ("ya.ru", "yandex"),
        ("narod.ru", "yandex"),
        ("mail.ru", "mail-ru"),
        ("inbox.ru", "mail-ru"),
        ("list.ru", "mail-ru"),
        ("bk.ru", "mail-ru"),
        ("internet.ru", "mail-ru"),
        ("rambler.ru", "rambler"),
        ("lenta.ru", "rambler"),
        ("autorambler.ru", "rambler"),
        ("myrambler.ru", "rambler"),
        ("ro.ru", "rambler"),
        ("gmx.de", "gmx-de"),
        ("web.de", "web-de"),
        ("qq.com", "qq"),
    ];
    for (domain, id) in expect {
        let found = directory.lookup(domain).map(|e| e.provider.id.as_str());
        assert_eq!(found, Some(id), "{domain}");
    }
    let mx = [
        ("aspmx.l.google.com", "google-workspace"),
        ("example-org.mail.protection.outlook.com", "microsoft-365"),
        ("mx.yandex.net", "yandex-360"),
        ("emx.mail.ru", "mail-ru-business"),
        ("mx.zoho.com", "zoho"),
        ("mx2.zoho.eu", "zoho-eu"),
        ("mx.zoho.com.au", "zoho-au"),
    ];
    for (host, id) in mx {
        let found = directory.lookup_mx(host).map(|e| e.provider.id.as_str());
        assert_eq!(found, Some(id), "{host}");
    }
}

#[test]
fn lookup_ignores_case_and_normalises_international_names() {
    let directory = Directory::bundled_only();
    for typed in ["GMAIL.com", "Gmail.Com.", " gmail.com "] {
        assert_eq!(
            directory.lookup(typed).map(|e| e.provider.id.as_str()),
            Some("gmail"),
            "{typed}"
        );
    }
    assert!(directory.lookup("example.invalid").is_none());
    assert!(directory.lookup("not a domain").is_none());

    let user = DirectoryFile {
        format: 1,
        hidden: Vec::new(),
        provider: vec![provider("primer", &["пример.рф"])],
    };
    let directory = Directory::layered(directory::bundled(), &user);
    for typed in [
        "пример.рф",
        "ПРИМЕР.РФ",
        "xn--e1afmkfd.xn--p1ai",
        "XN--E1AFMKFD.XN--P1AI",
    ] {
        assert_eq!(
            directory.lookup(typed).map(|e| e.provider.id.as_str()),
            Some("primer"),
            "{typed}"
        );
    }
    assert_eq!(
        normalise_domain("пример.рф").as_deref(),
        Some("xn--e1afmkfd.xn--p1ai")
    );
}

fn provider(id: &str, domains: &[&str]) -> Provider {
    Provider {
        id: id.to_owned(),
        name: format!("Provider {id}"),
        login: Login::Email,
        domains: domains.iter().map(|d| (*d).to_owned()).collect(),
        mx_suffixes: Vec::new(),
        notes: Vec::new(),
        smtp: Server {
            host: format!("smtp.{id}.example"),
            port: 465,
            security: Security::Tls,
        },
        smtp_alternatives: Vec::new(),
        imap: Some(Server {
            host: format!("imap.{id}.example"),
            port: 993,
            security: Security::Tls,
        }),
        auth: Auth::Password,
    }
}

#[test]
fn filling_a_profile_follows_the_login_format() {
    let address = parse_address("Ivan.Petrov@Example.ORG").unwrap();
    let mut by_email = provider("a", &["example.org"]);
    by_email.login = Login::Email;
    let mut profile = Profile::named("office");
    directory::fill_profile(&mut profile, &by_email, &address);
    assert_eq!(profile.delivery, Delivery::Smtp);
    assert_eq!(profile.smtp.host, "smtp.a.example");
    assert_eq!(profile.smtp.port, 465);
    assert_eq!(profile.smtp.security, Security::Tls);
    assert_eq!(profile.smtp.auth, AuthMethod::Auto);
    assert_eq!(profile.smtp.username, "Ivan.Petrov@example.org");
    assert_eq!(profile.sender.address, "Ivan.Petrov@example.org");

    let mut by_local = provider("b", &["example.org"]);
    by_local.login = Login::LocalPart;
    by_local.auth = Auth::PasswordEncrypted;
    by_local.smtp = Server {
        host: "mail.%EMAILDOMAIN%".to_owned(),
        port: 587,
        security: Security::Starttls,
    };
    directory::fill_profile(&mut profile, &by_local, &address);
    assert_eq!(profile.smtp.username, "Ivan.Petrov");
    assert_eq!(profile.smtp.host, "mail.example.org");
    assert_eq!(profile.smtp.security, Security::Starttls);
    assert_eq!(profile.smtp.auth, AuthMethod::CramMd5);

    let mut manual = provider("c", &["example.org"]);
    manual.login = Login::Manual;
    manual.auth = Auth::Oauth2 {
        client_id: String::new(),
        auth_url: "https://auth.example/a".to_owned(),
        token_url: "https://auth.example/t".to_owned(),
        scopes: vec!["smtp".to_owned()],
        device_url: String::new(),
        tenant: String::new(),
    };
    profile.smtp.username = "typed-by-hand".to_owned();
    directory::fill_profile(&mut profile, &manual, &address);
    assert_eq!(
        profile.smtp.username, "typed-by-hand",
        "manual leaves the user name alone"
    );
    assert_eq!(profile.smtp.auth, AuthMethod::Xoauth2);
    assert!(profile.validate().is_empty(), "{:?}", profile.validate());
}

struct Home {
    _dir: tempfile::TempDir,
    paths: Paths,
}

fn home() -> Home {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::under(dir.path());
    Home { _dir: dir, paths }
}

#[test]
fn the_user_adds_overrides_hides_and_resets_providers() {
    let home = home();
    let user = UserDirectory::new(&home.paths);
    assert!(user.load().1.is_none(), "no file is an empty directory");

    // Add.
    let mine = provider("corp", &["corp.example", "Корп.рф"]);
    assert_eq!(user.upsert(mine.clone()).unwrap(), Origin::User);
    let (directory, problem) = user.load();
    assert!(problem.is_none());
    assert_eq!(
        directory.lookup("corp.example").unwrap().origin,
        Origin::User
    );
    assert_eq!(directory.lookup("КОРП.РФ").unwrap().provider.id, "corp");
    let ascii = normalise_domain("корп.рф").unwrap();
    assert!(ascii.starts_with("xn--"));
    assert_eq!(directory.lookup(&ascii).unwrap().provider.id, "corp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(user.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Override a bundled one: its domains follow the user's version.
    let mut yandex = directory.get("yandex").unwrap().provider.clone();
    yandex.smtp.port = 587;
    yandex.smtp.security = Security::Starttls;
    assert_eq!(user.upsert(yandex).unwrap(), Origin::Override);
    let (directory, _) = user.load();
    let entry = directory.lookup("YA.ru").unwrap();
    assert_eq!(
        (entry.origin, entry.provider.smtp.port),
        (Origin::Override, 587)
    );

    // A user's domain claim wins over the bundled one.
    user.upsert(provider("my-gmail", &["gmail.com"])).unwrap();
    assert_eq!(
        user.load().0.lookup("gmail.com").unwrap().provider.id,
        "my-gmail"
    );

    // Hide a bundled one.
    user.delete("rambler").unwrap();
    let (directory, _) = user.load();
    assert!(directory.get("rambler").is_none());
    assert!(directory.lookup("rambler.ru").is_none());

    // Reset both to bundled.
    user.reset("rambler").unwrap();
    user.reset("yandex").unwrap();
    let (directory, _) = user.load();
    assert_eq!(
        directory.lookup("rambler.ru").unwrap().origin,
        Origin::Bundled
    );
    let entry = directory.lookup("ya.ru").unwrap();
    assert_eq!(
        (entry.origin, entry.provider.smtp.port),
        (Origin::Bundled, 465)
    );
    assert!(matches!(
        user.reset("corp"),
        Err(DirectoryError::NotBundled(_))
    ));

    // Delete a user one.
    user.delete("corp").unwrap();
    assert!(user.load().0.get("corp").is_none());
    assert!(matches!(
        user.delete("corp"),
        Err(DirectoryError::NotFound(_))
    ));

    // An invalid entry is refused and changes nothing.
    let before = std::fs::read(user.path()).unwrap();
    let mut bad = provider("bad", &["bad.example"]);
    bad.smtp.host = "not a host!".to_owned();
    assert!(matches!(user.upsert(bad), Err(DirectoryError::Invalid(_))));
    assert_eq!(std::fs::read(user.path()).unwrap(), before);
}

#[test]
fn deleting_a_provider_in_use_is_refused_and_names_the_profiles() {
    let home = home();
    let store = Store::new(home.paths.clone());
    let user = UserDirectory::new(&home.paths);
    user.upsert(provider("corp", &["corp.example"])).unwrap();
    for (name, host) in [
        ("billing", "SMTP.corp.example"),
        ("alerts", "smtp.corp.example"),
        ("other", "smtp.elsewhere.example"),
    ] {
        let mut profile = Profile::named(name);
        profile.delivery = Delivery::Smtp;
        profile.smtp.host = host.to_owned();
        store.save(&profile).unwrap();
    }
    let mut yandex_user = Profile::named("ya");
    yandex_user.delivery = Delivery::Smtp;
    yandex_user.smtp.host = "smtp.yandex.ru".to_owned();
    store.save(&yandex_user).unwrap();

    match user.delete("corp") {
        Err(DirectoryError::InUse { id, profiles }) => {
            assert_eq!(id, "corp");
            assert_eq!(profiles, vec!["alerts".to_owned(), "billing".to_owned()]);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let message = outbound::i18n::Localize::localize(&user.delete("corp").unwrap_err());
    assert!(
        message.contains("alerts") && message.contains("billing"),
        "{message}"
    );
    match user.delete("yandex") {
        Err(DirectoryError::InUse { profiles, .. }) => assert_eq!(profiles, vec!["ya".to_owned()]),
        other => panic!("hiding a bundled provider in use must be refused too: {other:?}"),
    }
    assert!(user.load().0.get("corp").is_some(), "nothing changed");

    store.delete("alerts").unwrap();
    store.delete("billing").unwrap();
    user.delete("corp").unwrap();
}

#[test]
fn a_corrupt_user_file_is_reported_and_the_bundled_directory_still_works() {
    let home = home();
    let user = UserDirectory::new(&home.paths);
    std::fs::create_dir_all(&home.paths.config).unwrap();
    let broken = "format = 1\n[[provider]]\nid = \"x\"\nname = \n";
    std::fs::write(user.path(), broken).unwrap();
    let (directory, problem) = user.load();
    match problem {
        Some(DirectoryError::Document { error, .. }) => {
            assert!(error.to_string().contains("line 4"), "{error}")
        }
        other => panic!("expected a document error, got {other:?}"),
    }
    assert_eq!(directory.lookup("gmail.com").unwrap().provider.id, "gmail");
    // A change would overwrite what the user may still want to repair: refused.
    assert!(matches!(
        user.upsert(provider("new", &["new.example"])),
        Err(DirectoryError::Damaged(_))
    ));
    assert_eq!(std::fs::read_to_string(user.path()).unwrap(), broken);

    std::fs::write(user.path(), "format = 7\n").unwrap();
    assert!(user.load().1.unwrap().to_string().contains("newer"));
    std::fs::write(user.path(), "format = 1\n[[provider]]\nid = \"BAD ID\"\nname = \"x\"\ndomains = [\"x.example\"]\nsmtp = { host = \"h\", port = 465, security = \"tls\" }\n").unwrap();
    assert!(matches!(user.load().1, Some(DirectoryError::Invalid(_))));
}

#[test]
fn the_user_file_round_trips() {
    let home = home();
    let user = UserDirectory::new(&home.paths);
    let mut oauth = provider("oauth", &["oauth.example"]);
    oauth.auth = Auth::Oauth2 {
        client_id: "client-1".to_owned(),
        auth_url: "https://login.example/authorize".to_owned(),
        token_url: "https://login.example/token".to_owned(),
        scopes: vec!["a".to_owned(), "b".to_owned()],
        device_url: String::new(),
        tenant: String::new(),
    };
    oauth.smtp_alternatives.push(Server {
        host: "smtp2.oauth.example".to_owned(),
        port: 587,
        security: Security::Starttls,
    });
    oauth.mx_suffixes.push("mx.oauth.example".to_owned());
    oauth.notes.push("a note".to_owned());
    user.upsert(oauth.clone()).unwrap();
    user.delete("gmail").unwrap();
    let file = user.read().unwrap();
    assert_eq!(file.provider, vec![oauth]);
    assert_eq!(file.hidden, vec!["gmail".to_owned()]);
    let text = std::fs::read_to_string(user.path()).unwrap();
    assert!(text.starts_with("format = 1"), "{text}");
}

#[test]
fn an_import_can_stage_providers_and_commit_them_later() {
    let home = home();
    let user = UserDirectory::new(&home.paths);
    let lock = outbound::core::journal::ConfigLock::acquire(&home.paths.config).unwrap();
    let mut change = lock.transaction();
    user.stage_merge(&mut change, vec![provider("staged", &["staged.example"])])
        .unwrap();
    assert!(!user.path().exists(), "staging changes nothing");
    assert!(user.load().0.get("staged").is_none());
    drop(change.commit().unwrap());
    assert_eq!(
        user.load().0.lookup("staged.example").unwrap().provider.id,
        "staged"
    );
    let mut bad = provider("bad", &["bad.example"]);
    bad.domains.clear();
    let mut change = lock.transaction();
    assert!(matches!(
        user.stage_merge(&mut change, vec![bad]),
        Err(DirectoryError::Invalid(_))
    ));
}

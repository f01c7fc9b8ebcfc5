//! Passwords in the real Secret Service (gnome-keyring under dbus-run-session,
//! started by tests/run), and what happens without one.

mod sandbox;

use outbound::core::profile::Profile;
use outbound::core::secret::Secret;
use outbound::core::secrets::{SERVICE, SecretKey, Secrets};
use outbound::core::store::Scope;
use sandbox::{Sandbox, full_profile, require_private_keyring, stderr, stdout};

fn unique(name: &str) -> String {
    format!("{name}_{}_{}", std::process::id(), rand_suffix())
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_007
}

#[tokio::test]
async fn set_get_rename_delete_in_the_secret_service() {
    require_private_keyring();
    let secrets = Secrets::connect().await;
    assert!(
        secrets.unavailable().is_none(),
        "no Secret Service: {:?}",
        secrets.unavailable()
    );
    let sandbox = Sandbox::new();
    let old = SecretKey::profile(&sandbox.paths(), Scope::User, &unique("old"));
    let new = SecretKey::profile(&sandbox.paths(), Scope::User, &unique("new"));
    let password = "пароль-🔑-päss \"quoted\"";
    secrets.set(&old, &password.into()).await.unwrap();
    assert_eq!(
        secrets
            .get(&old)
            .await
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some(password)
    );
    secrets.set(&old, &"replaced".into()).await.unwrap();
    assert_eq!(
        secrets
            .get(&old)
            .await
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some("replaced")
    );
    secrets.rename(&old, &new).await.unwrap();
    assert_eq!(secrets.get(&old).await.unwrap(), None);
    assert_eq!(
        secrets
            .get(&new)
            .await
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some("replaced")
    );
    secrets.delete(&new).await.unwrap();
    assert_eq!(secrets.get(&new).await.unwrap(), None);
}

#[test]
fn set_password_from_stdin_and_env_through_the_command_line() {
    require_private_keyring();
    let sandbox = Sandbox::new();
    let name = unique("cli");
    sandbox.save(&Profile::named(&name));
    let password = "Секрет 🐍 with spaces";
    let mut child = sandbox
        .cmd()
        .args(["profile", "set-password", &name, "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let secrets = runtime.block_on(Secrets::connect());
    let key = SecretKey::profile(&sandbox.paths(), Scope::User, &name);
    assert_eq!(
        runtime
            .block_on(secrets.get(&key))
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some(password)
    );

    let shown = sandbox.run(&["profile", "show", &name, "--json"]);
    let shown: serde_json::Value = serde_json::from_str(&stdout(&shown)).unwrap();
    assert_eq!(shown["password"], "saved");

    let out = sandbox
        .cmd()
        .args([
            "profile",
            "set-password",
            &name,
            "--password-env",
            "OUTBOUND_TEST_PW",
        ])
        .env("OUTBOUND_TEST_PW", "from-env")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        runtime
            .block_on(secrets.get(&key))
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some("from-env")
    );

    // Deleting the profile removes its password too.
    assert!(sandbox.run(&["profile", "delete", &name]).status.success());
    assert_eq!(runtime.block_on(secrets.get(&key)).unwrap(), None);
}

#[test]
fn no_secret_reaches_any_file() {
    require_private_keyring();
    let sandbox = Sandbox::new();
    let name = unique("leak");
    sandbox.save(&full_profile(&name));
    let password = "Zq9-unique-secret-Жж";
    let out = sandbox
        .cmd()
        .args(["profile", "set-password", &name, "--password-env", "PW"])
        .env("PW", password)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let export = sandbox.path("export.toml");
    assert!(
        sandbox
            .run(&["profile", "export", "-o", export.to_str().unwrap()])
            .status
            .success()
    );
    let show = sandbox.run(&["profile", "show", &name]);
    assert!(!stdout(&show).contains(password));
    let mut files = sandbox.snapshot();
    files.push((export.clone(), std::fs::read(&export).unwrap()));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(password),
            "{} holds the password",
            path.display()
        );
    }
    assert!(
        sandbox
            .run(&["profile", "clear-password", &name])
            .status
            .success()
    );
}

#[test]
fn without_a_session_bus_the_keyring_is_named_unavailable() {
    let sandbox = Sandbox::new();
    sandbox.save(&Profile::named("nobus"));
    let empty_runtime = sandbox.path("runtime");
    std::fs::create_dir_all(&empty_runtime).unwrap();
    let out = sandbox
        .cmd()
        .args(["profile", "set-password", "nobus", "--password-env", "PW"])
        .env("PW", "x")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &empty_runtime)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("keyring is unavailable"),
        "{}",
        stderr(&out)
    );
    // In Russian too.
    let out = sandbox
        .cmd()
        .args(["profile", "set-password", "nobus", "--password-env", "PW"])
        .env("PW", "x")
        .env("OUTBOUND_LANG", "ru")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &empty_runtime)
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("Связка ключей недоступна"),
        "{}",
        stderr(&out)
    );
}

/// An entry of the Secret Service by its user attribute, as an older version
/// (or another program) left it.
fn raw_entry(user: &str) -> keyring_core::Entry {
    use keyring_core::api::CredentialStoreApi;
    let store = zbus_secret_service_keyring_store::Store::new().unwrap();
    store.build(SERVICE, user, None).unwrap()
}

fn raw_password(user: &str) -> Option<String> {
    match raw_entry(user).get_password() {
        Ok(password) => Some(password),
        Err(keyring_core::Error::NoEntry) => None,
        Err(e) => panic!("{user}: {e}"),
    }
}

fn shown_password(sandbox: &Sandbox, name: &str) -> String {
    let out = sandbox.run(&["profile", "show", name, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    shown["password"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_user_and_a_system_profile_of_one_name_keep_separate_passwords() {
    require_private_keyring();
    let secrets = Secrets::connect().await;
    assert!(
        secrets.unavailable().is_none(),
        "{:?}",
        secrets.unavailable()
    );
    let sandbox = Sandbox::new();
    let name = unique("twin");
    sandbox.system_profile(&Profile::named(&name), false);
    sandbox.save(&Profile::named(&name));
    let paths = sandbox.paths();
    let user = SecretKey::profile(&paths, Scope::User, &name);
    let system = SecretKey::profile(&paths, Scope::System, &name);
    assert_ne!(user.user(), system.user());
    secrets
        .set(&system, &"system password".into())
        .await
        .unwrap();
    // The command line means the user's profile by the name: it has none.
    assert_eq!(shown_password(&sandbox, &name), "not_saved");
    secrets.set(&user, &"user password".into()).await.unwrap();
    let get = async |key| {
        secrets
            .get(key)
            .await
            .unwrap()
            .map(|s: Secret| s.expose().to_owned())
    };
    assert_eq!(get(&user).await.as_deref(), Some("user password"));
    assert_eq!(get(&system).await.as_deref(), Some("system password"));
    // Deleting the user's profile removes its password, not the system's.
    assert!(sandbox.run(&["profile", "delete", &name]).status.success());
    assert_eq!(get(&user).await, None);
    assert_eq!(get(&system).await.as_deref(), Some("system password"));
    assert_eq!(shown_password(&sandbox, &name), "saved");
    secrets.delete(&system).await.unwrap();
}

#[tokio::test]
async fn an_old_unscoped_entry_moves_to_its_profile_on_first_use() {
    require_private_keyring();
    let secrets = Secrets::connect().await;
    assert!(
        secrets.unavailable().is_none(),
        "{:?}",
        secrets.unavailable()
    );

    // Only a system profile of the name: the old entry is its.
    let sandbox = Sandbox::new();
    let name = unique("old_system");
    sandbox.system_profile(&Profile::named(&name), false);
    raw_entry(&format!("profile:{name}"))
        .set_password("old system password")
        .unwrap();
    assert_eq!(shown_password(&sandbox, &name), "saved");
    assert_eq!(raw_password(&format!("profile:{name}")), None);
    assert_eq!(
        raw_password(&format!("profile:system:{name}")).as_deref(),
        Some("old system password")
    );
    secrets
        .delete(&SecretKey::profile(&sandbox.paths(), Scope::System, &name))
        .await
        .unwrap();

    // A user profile and a system profile of the name: the old entry is the
    // user's, and the system profile does not take it.
    let sandbox = Sandbox::new();
    let name = unique("old_both");
    sandbox.system_profile(&Profile::named(&name), false);
    sandbox.save(&Profile::named(&name));
    raw_entry(&format!("profile:{name}"))
        .set_password("old user password")
        .unwrap();
    let system = SecretKey::profile(&sandbox.paths(), Scope::System, &name);
    assert_eq!(secrets.get(&system).await.unwrap(), None);
    assert_eq!(
        raw_password(&format!("profile:{name}")).as_deref(),
        Some("old user password"),
        "untouched by the system profile"
    );
    let user = SecretKey::profile(&sandbox.paths(), Scope::User, &name);
    assert_eq!(
        secrets
            .get(&user)
            .await
            .unwrap()
            .as_ref()
            .map(Secret::expose),
        Some("old user password")
    );
    assert_eq!(raw_password(&format!("profile:{name}")), None);
    assert_eq!(
        raw_password(&format!("profile:user:{name}")).as_deref(),
        Some("old user password")
    );
    secrets.delete(&user).await.unwrap();
    assert_eq!(raw_password(&format!("profile:user:{name}")), None);
}

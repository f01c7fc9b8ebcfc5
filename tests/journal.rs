//! All or nothing across files (issue 17): the real binary killed (SIGKILL) at
//! random moments of an import, a rename or a delete leaves, once the next
//! command has started, the old state or the new one, never a mix, and no
//! temporary file; two imports at once end in one of the two sets.
//!
//! The rename and delete tests use the real Secret Service (gnome-keyring under
//! `dbus-run-session -- ./tests/session --test journal`).
//!
//! `OUTBOUND_TEST_COMMIT_DELAY_MS` (read by debug builds only) slows every step
//! of a commit so that the random kills land inside it.

mod sandbox;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use outbound::core::directory::{Auth, DirectoryFile, Login, Provider, Server, UserDirectory};
use outbound::core::journal::{JOURNAL_FILE, LOCK_FILE, is_owned_temporary};
use outbound::core::profile::{Delivery, Profile, Security};
use outbound::core::secrets::{SecretKey, Secrets};
use outbound::core::store::{self, Scope};
use sandbox::{Sandbox, stderr};

const COMMIT_DELAY_MS: &str = "1";

/// A small random generator (xorshift), seeded from the clock or from
/// `OUTBOUND_TEST_SEED`; the seed is printed so a failing run can be repeated.
struct Random(u64);

impl Random {
    fn new() -> Random {
        let seed = std::env::var("OUTBOUND_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("OUTBOUND_TEST_SEED={seed}");
        Random(seed)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }

    fn delay_within(&mut self, window: Duration) -> Duration {
        Duration::from_micros(self.below(window.as_micros() as u64 + 1))
    }
}

fn provider(id: &str) -> Provider {
    Provider {
        id: id.to_owned(),
        name: format!("Provider {id}"),
        login: Login::Email,
        domains: vec![format!("{id}.example")],
        mx_suffixes: Vec::new(),
        notes: Vec::new(),
        smtp: Server {
            host: format!("smtp.{id}.example"),
            port: 465,
            security: Security::Tls,
        },
        smtp_alternatives: Vec::new(),
        imap: None,
        auth: Auth::Password,
    }
}

/// Profile `name` of version `version`, sending through provider `provider`.
fn profile(name: &str, version: &str, provider: &str) -> Profile {
    let mut profile = Profile::named(name);
    profile.description = version.to_owned();
    profile.delivery = Delivery::Smtp;
    profile.smtp.host = format!("smtp.{provider}.example");
    profile
}

/// A set of profiles and the providers they use: names `p{first}`… with
/// version `version`, each through its own provider `{version}-{n}`.
struct Set {
    version: &'static str,
    names: Vec<String>,
}

impl Set {
    fn new(version: &'static str, range: std::ops::Range<usize>) -> Set {
        Set {
            version,
            names: range.map(|n| format!("p{n:02}")).collect(),
        }
    }

    fn provider_id(&self, name: &str) -> String {
        format!("{}-{}", self.version, &name[1..])
    }

    fn profiles(&self) -> Vec<Profile> {
        self.names
            .iter()
            .map(|n| profile(n, self.version, &self.provider_id(n)))
            .collect()
    }

    fn providers(&self) -> Vec<Provider> {
        self.names
            .iter()
            .map(|n| provider(&self.provider_id(n)))
            .collect()
    }

    /// Writes this set as the sandbox's whole configuration, from scratch.
    fn install(&self, sandbox: &Sandbox) {
        let config = sandbox.paths().config;
        let _ = fs::remove_dir_all(&config);
        let profiles = sandbox.paths().profiles();
        fs::create_dir_all(&profiles).unwrap();
        for p in self.profiles() {
            fs::write(profiles.join(format!("{}.toml", p.name)), store::render(&p)).unwrap();
        }
        let file = DirectoryFile {
            format: 1,
            hidden: Vec::new(),
            provider: self.providers(),
        };
        fs::write(
            config.join("providers.toml"),
            outbound::core::directory::render(&file),
        )
        .unwrap();
    }

    /// An export file of this set, for `profile import`.
    fn export(&self, sandbox: &Sandbox, file: &str) -> PathBuf {
        let path = sandbox.path(file);
        let contents = outbound::core::exchange::Contents {
            profiles: self.profiles(),
            providers: self.providers(),
        };
        fs::write(&path, outbound::core::exchange::render_export(&contents)).unwrap();
        path
    }
}

/// What the configuration holds: profile name → version, and provider ids.
#[derive(Debug, PartialEq)]
struct State {
    profiles: BTreeMap<String, String>,
    providers: BTreeSet<String>,
}

/// The state `outbound profile list --json` reports (the command also runs
/// the start-up recovery), with the user's directory read after it.
fn listed_state(sandbox: &Sandbox) -> State {
    let out = sandbox.run(&["profile", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "every file loads: {}",
        stderr(&out)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let profiles = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["description"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let providers = UserDirectory::new(&sandbox.paths())
        .read()
        .unwrap()
        .provider
        .into_iter()
        .map(|p| p.id)
        .collect();
    State {
        profiles,
        providers,
    }
}

/// `base` with `applied` imported over it (`--on-conflict replace`): its
/// profiles replaced or added, its providers merged in.
fn expected(base: &[&Set], applied: &Set) -> State {
    let mut state = State {
        profiles: BTreeMap::new(),
        providers: BTreeSet::new(),
    };
    for set in base.iter().copied().chain([applied]) {
        for name in &set.names {
            state.profiles.insert(name.clone(), set.version.to_owned());
            state.providers.insert(set.provider_id(name));
        }
    }
    state
}

fn installed(set: &Set) -> State {
    State {
        profiles: set
            .names
            .iter()
            .map(|n| (n.clone(), set.version.to_owned()))
            .collect(),
        providers: set.names.iter().map(|n| set.provider_id(n)).collect(),
    }
}

/// Files under `dir` whose names the project gives its temporary files.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            found.extend(temporaries(&path));
        } else if is_owned_temporary(&entry.file_name().to_string_lossy()) {
            found.push(path);
        }
    }
    found
}

/// Whether profiles and providers agree: every profile's host is served by a
/// provider of the user's directory.
fn providers_match_profiles(sandbox: &Sandbox) -> bool {
    let (directory, problem) = UserDirectory::new(&sandbox.paths()).load();
    assert!(problem.is_none(), "{problem:?}");
    sandbox.store().load_all().profiles.iter().all(|p| {
        directory
            .entries()
            .iter()
            .any(|e| e.origin.is_user() && e.provider.serves_host(&p.profile.smtp.host))
    })
}

fn slowed(mut cmd: Command) -> Command {
    cmd.env("OUTBOUND_TEST_COMMIT_DELAY_MS", COMMIT_DELAY_MS)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn import_command(sandbox: &Sandbox, file: &Path) -> Command {
    let mut cmd = slowed(sandbox.cmd());
    cmd.args(["profile", "import", "--on-conflict", "replace"])
        .arg(file);
    cmd
}

/// How long an uninterrupted run of `cmd` takes: the window the kills fall in.
fn calibrate(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let status = cmd.status().unwrap();
    assert!(status.success());
    started.elapsed()
}

fn kill_after(mut child: Child, delay: Duration) {
    std::thread::sleep(delay);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

/// What a kill left before the next start recovered it.
#[derive(Default, Debug)]
struct Landed {
    record: usize,
    temporaries: usize,
    rounds: usize,
}

impl Landed {
    fn note(&mut self, sandbox: &Sandbox) {
        self.rounds += 1;
        if sandbox.paths().config.join(JOURNAL_FILE).exists() {
            self.record += 1;
        }
        if !temporaries(&sandbox.paths().config).is_empty() {
            self.temporaries += 1;
        }
    }

    /// The kills did land inside commits: some left a record to roll forward,
    /// some staged files with no record to roll back.
    fn assert_inside_commits(&self) {
        assert!(
            self.record > 0,
            "no kill landed after a commit point: {self:?}"
        );
        assert!(
            self.temporaries > 0,
            "no kill landed while files were staged: {self:?}"
        );
    }
}

#[test]
fn an_import_killed_at_any_moment_leaves_the_old_set_or_the_new() {
    let sandbox = Sandbox::new();
    let old = Set::new("old", 0..30);
    // 20 of the old names replaced, 10 added.
    let new = Set::new("new", 10..40);
    let file = new.export(&sandbox, "new.toml");
    let (old_state, new_state) = (installed(&old), expected(&[&old], &new));
    old.install(&sandbox);
    let window = calibrate(import_command(&sandbox, &file));
    assert_eq!(listed_state(&sandbox), new_state);
    let mut random = Random::new();
    let mut landed = Landed::default();
    let mut outcomes = [0, 0];
    for round in 0..200 {
        old.install(&sandbox);
        let child = import_command(&sandbox, &file).spawn().unwrap();
        kill_after(child, random.delay_within(window));
        landed.note(&sandbox);
        let state = listed_state(&sandbox);
        if state == old_state {
            outcomes[0] += 1;
        } else if state == new_state {
            outcomes[1] += 1;
        } else {
            panic!("round {round}: a mix of the old and the new set: {state:?}");
        }
        let left = temporaries(&sandbox.paths().config);
        assert!(left.is_empty(), "round {round}: left behind {left:?}");
        assert!(
            !sandbox.paths().config.join(JOURNAL_FILE).exists(),
            "round {round}: the record is gone"
        );
        assert!(
            providers_match_profiles(&sandbox),
            "round {round}: a profile without its provider"
        );
    }
    eprintln!("old {} new {} {landed:?}", outcomes[0], outcomes[1]);
    landed.assert_inside_commits();
}

#[test]
fn two_imports_at_once_end_in_one_of_the_two_sets() {
    let sandbox = Sandbox::new();
    let old = Set::new("old", 0..30);
    let first = Set::new("first", 0..30);
    let second = Set::new("second", 0..30);
    let files = [
        first.export(&sandbox, "first.toml"),
        second.export(&sandbox, "second.toml"),
    ];
    let either = [
        expected(&[&old, &second], &first),
        expected(&[&old, &first], &second),
    ];
    for round in 0..12 {
        old.install(&sandbox);
        let children: Vec<Child> = files
            .iter()
            .map(|f| import_command(&sandbox, f).spawn().unwrap())
            .collect();
        for mut child in children {
            assert!(child.wait().unwrap().success(), "round {round}");
        }
        let state = listed_state(&sandbox);
        assert!(
            either.contains(&state),
            "round {round}: not one of the two sets: {state:?}"
        );
        assert!(providers_match_profiles(&sandbox), "round {round}");
    }
}

/// Holds the configuration folder's lock as another Outbound would.
fn hold_lock(sandbox: &Sandbox) -> fs::File {
    let config = sandbox.paths().config;
    fs::create_dir_all(&config).unwrap();
    let file = fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(config.join(LOCK_FILE))
        .unwrap();
    file.lock().unwrap();
    file
}

#[test]
fn an_import_waits_for_another_outbound_and_says_so() {
    let sandbox = Sandbox::new();
    let old = Set::new("old", 0..30);
    let new = Set::new("new", 10..40);
    let file = new.export(&sandbox, "new.toml");
    old.install(&sandbox);
    let lock = hold_lock(&sandbox);
    let before = sandbox.snapshot();
    let mut child = sandbox
        .cmd()
        .args(["profile", "import", "--on-conflict", "replace"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().expect("a line on stderr").unwrap();
    assert!(first.contains("Another Outbound is saving"), "{first}");
    assert!(
        sandbox.snapshot() == before,
        "nothing changed while waiting"
    );
    drop(lock);
    assert!(child.wait().unwrap().success());
    assert_eq!(listed_state(&sandbox), expected(&[&old], &new));
}

#[test]
fn an_import_gives_up_clearly_when_the_lock_is_never_released() {
    let sandbox = Sandbox::new();
    let old = Set::new("old", 0..30);
    let file = Set::new("new", 10..40).export(&sandbox, "new.toml");
    old.install(&sandbox);
    let _lock = hold_lock(&sandbox);
    let before = sandbox.snapshot();
    let out = sandbox
        .cmd()
        .env("OUTBOUND_TEST_LOCK_WAIT_MS", "300")
        .args(["profile", "import", "--on-conflict", "replace"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Another Outbound kept the settings folder locked"),
        "{}",
        stderr(&out)
    );
    assert!(sandbox.snapshot() == before, "nothing changed");
}

/// A leftover staged file of a killed import goes at the next start, a file
/// of the user's with a similar name stays.
#[test]
fn the_next_start_removes_only_the_projects_temporaries() {
    let sandbox = Sandbox::new();
    Set::new("old", 0..3).install(&sandbox);
    let profiles = sandbox.paths().profiles();
    let leftover = profiles.join(".outbound-99999-3.tmp");
    let users = profiles.join(".p01.toml.swp.tmp");
    fs::write(&leftover, "format = 1").unwrap();
    fs::write(&users, "mine").unwrap();
    // Older than the command started next.
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(listed_state(&sandbox).profiles.len(), 3);
    assert!(!leftover.exists());
    assert!(users.exists());
}

// --- with the keyring ---------------------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn connect(runtime: &tokio::runtime::Runtime) -> Secrets {
    sandbox::require_private_keyring();
    let secrets = runtime.block_on(Secrets::connect());
    assert!(
        secrets.unavailable().is_none(),
        "no Secret Service (run inside dbus-run-session -- ./tests/session): {:?}",
        secrets.unavailable()
    );
    secrets
}

fn unique(name: &str) -> String {
    format!(
        "journal_{name}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    )
}

/// Whether a password is saved under profile `name`, and which.
fn saved(runtime: &tokio::runtime::Runtime, secrets: &Secrets, name: &str) -> Option<String> {
    runtime
        .block_on(secrets.get(&SecretKey::profile_as_recorded(Scope::User, name, false)))
        .unwrap()
        .map(|s| s.expose().to_owned())
}

/// Only profile `name` on disk, with `password` in the keyring, and nothing
/// under `other`.
fn install_one(
    sandbox: &Sandbox,
    runtime: &tokio::runtime::Runtime,
    secrets: &Secrets,
    name: &str,
    password: &str,
    other: Option<&str>,
) {
    let _ = fs::remove_dir_all(sandbox.paths().config);
    let profiles = sandbox.paths().profiles();
    fs::create_dir_all(&profiles).unwrap();
    fs::write(
        profiles.join(format!("{name}.toml")),
        store::render(&Profile::named(name)),
    )
    .unwrap();
    runtime
        .block_on(secrets.set(
            &SecretKey::profile_as_recorded(Scope::User, name, false),
            &password.into(),
        ))
        .unwrap();
    if let Some(other) = other {
        runtime
            .block_on(secrets.delete(&SecretKey::profile_as_recorded(Scope::User, other, false)))
            .unwrap();
    }
}

fn profile_exists(sandbox: &Sandbox, name: &str) -> bool {
    sandbox.paths().profile_file(name).exists()
}

#[test]
fn a_rename_killed_at_any_moment_leaves_the_password_with_the_file() {
    let sandbox = Sandbox::new();
    let runtime = runtime();
    let secrets = connect(&runtime);
    let (a, b) = (unique("a"), unique("b"));
    let rename = || {
        let mut cmd = slowed(sandbox.cmd());
        cmd.args(["profile", "rename", &a, &b]);
        cmd
    };
    install_one(&sandbox, &runtime, &secrets, &a, "calibration", Some(&b));
    let window = calibrate(rename());
    assert!(profile_exists(&sandbox, &b) && !profile_exists(&sandbox, &a));
    assert_eq!(
        saved(&runtime, &secrets, &b).as_deref(),
        Some("calibration")
    );
    assert_eq!(saved(&runtime, &secrets, &a), None);
    let mut random = Random::new();
    let mut landed = Landed::default();
    for round in 0..40 {
        let password = format!("пароль-{round}");
        install_one(&sandbox, &runtime, &secrets, &a, &password, Some(&b));
        kill_after(rename().spawn().unwrap(), random.delay_within(window));
        landed.note(&sandbox);
        let state = listed_state(&sandbox);
        assert_eq!(state.profiles.len(), 1, "round {round}: {state:?}");
        let (at_a, at_b) = (profile_exists(&sandbox, &a), profile_exists(&sandbox, &b));
        assert!(at_a != at_b, "round {round}: one file, under one name");
        let (secret_a, secret_b) = (saved(&runtime, &secrets, &a), saved(&runtime, &secrets, &b));
        let holder = if at_a { &secret_a } else { &secret_b };
        let other = if at_a { &secret_b } else { &secret_a };
        assert_eq!(
            holder.as_deref(),
            Some(password.as_str()),
            "round {round}: the password is under the name whose file exists (a: {at_a})"
        );
        assert_eq!(other, &None, "round {round}: and under that name only");
        assert!(temporaries(&sandbox.paths().config).is_empty());
        assert!(!sandbox.paths().config.join(JOURNAL_FILE).exists());
    }
    eprintln!("{landed:?}");
    assert!(
        landed.record > 0,
        "no kill landed after a commit point: {landed:?}"
    );
    for name in [&a, &b] {
        runtime
            .block_on(secrets.delete(&SecretKey::profile_as_recorded(Scope::User, name, false)))
            .unwrap();
    }
}

#[test]
fn a_delete_killed_at_any_moment_takes_the_password_with_the_file() {
    let sandbox = Sandbox::new();
    let runtime = runtime();
    let secrets = connect(&runtime);
    let name = unique("gone");
    let delete = || {
        let mut cmd = slowed(sandbox.cmd());
        cmd.args(["profile", "delete", &name]);
        cmd
    };
    install_one(&sandbox, &runtime, &secrets, &name, "calibration", None);
    let window = calibrate(delete());
    assert!(!profile_exists(&sandbox, &name));
    assert_eq!(saved(&runtime, &secrets, &name), None);
    let mut random = Random::new();
    let mut landed = Landed::default();
    let mut outcomes = [0, 0];
    for round in 0..40 {
        let password = format!("пароль-{round}");
        install_one(&sandbox, &runtime, &secrets, &name, &password, None);
        kill_after(delete().spawn().unwrap(), random.delay_within(window));
        landed.note(&sandbox);
        listed_state(&sandbox);
        let exists = profile_exists(&sandbox, &name);
        outcomes[usize::from(exists)] += 1;
        let secret = saved(&runtime, &secrets, &name);
        if exists {
            assert_eq!(secret.as_deref(), Some(password.as_str()), "round {round}");
        } else {
            assert_eq!(
                secret, None,
                "round {round}: the password went with the file"
            );
        }
        assert!(!sandbox.paths().config.join(JOURNAL_FILE).exists());
    }
    eprintln!("deleted {} kept {} {landed:?}", outcomes[0], outcomes[1]);
    assert!(
        landed.record > 0,
        "no kill landed after a commit point: {landed:?}"
    );
    runtime
        .block_on(secrets.delete(&SecretKey::profile_as_recorded(Scope::User, &name, false)))
        .unwrap();
}

/// The keyring steps of `profile rename` and `profile delete` take the
/// profile's separate IMAP password (`profile:user:<name>:imap`) along with its
/// own: it moves to the new name, and goes with the profile.
#[test]
fn rename_and_delete_take_the_separate_imap_password_along() {
    let sandbox = Sandbox::new();
    let runtime = runtime();
    let secrets = connect(&runtime);
    let (a, b) = (unique("imap_a"), unique("imap_b"));
    install_one(&sandbox, &runtime, &secrets, &a, "smtp-пароль", Some(&b));
    let imap = |name: &str| SecretKey::profile_as_recorded(Scope::User, name, false).imap();
    let saved_imap = |name: &str| {
        runtime
            .block_on(secrets.get(&imap(name)))
            .unwrap()
            .map(|s| s.expose().to_owned())
    };
    runtime
        .block_on(secrets.set(&imap(&a), &"imap-пароль".into()))
        .unwrap();

    assert!(sandbox.run(&["profile", "rename", &a, &b]).status.success());
    assert_eq!(saved_imap(&b).as_deref(), Some("imap-пароль"));
    assert_eq!(saved_imap(&a), None, "left under the old name");
    assert_eq!(
        saved(&runtime, &secrets, &b).as_deref(),
        Some("smtp-пароль")
    );

    assert!(sandbox.run(&["profile", "delete", &b]).status.success());
    assert_eq!(saved_imap(&b), None, "left behind by the delete");
    assert_eq!(saved(&runtime, &secrets, &b), None);
}

//! Bulk checks: many mailboxes from a list ([`list`]), each checked with the
//! SMTP check's own engine, N at a time, at most a few at once per server so
//! one provider is not hammered, with a pause for a server that said it is
//! busy (421). Results come back as each check ends, named by the row's line.
//!
//! Nothing here writes anything: the list's passwords live in the rows'
//! [`Secret`]s for the run and go nowhere else; a report ([`report`]) has the
//! codes, the server facts and the redacted transcript, never a password.

pub mod files;
pub mod list;
pub mod password;
pub mod report;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::CertificateDer;
use tokio::sync::{Mutex, Semaphore, mpsc};
use tokio::task::JoinSet;

use crate::core::check::{self, Code, Report};
use crate::core::directory::{self, Directory};
use crate::core::profile::{AuthMethod, Delivery, Profile};
use crate::core::secret::Secret;
use crate::i18n::{self, Localize};

pub use list::{ListError, MailboxList, Row, RowError, parse};

/// Checks at once unless told otherwise, and the most allowed.
pub const DEFAULT_CONCURRENCY: usize = 8;
pub const MAX_CONCURRENCY: usize = 64;
/// Checks at once against one server (host and port).
pub const PER_HOST: usize = 4;
/// How long a server that answered 421 is left alone before the next check.
pub const BUSY_PAUSE: Duration = Duration::from_secs(5);

/// One mailbox ready to check: the profile its row and template make.
#[derive(Debug, Clone)]
pub struct Job {
    pub line: usize,
    pub address: String,
    pub profile: Profile,
    pub password: Option<Secret>,
}

/// Why a row cannot become a check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("line {line}: no server for {address}: give a host column or a template profile")]
    NoServer { line: usize, address: String },
    #[error("line {line}: no saved profile named {name}")]
    NoTemplate { line: usize, name: String },
}

impl Localize for PlanError {
    fn localize(&self) -> String {
        match self {
            PlanError::NoServer { line, address } => i18n::tr_args(
                "bulk-no-server",
                &[("line", line.to_string()), ("address", address.clone())],
            ),
            PlanError::NoTemplate { line, name } => i18n::tr_args(
                "bulk-no-template",
                &[("line", line.to_string()), ("name", name.clone())],
            ),
        }
    }
}

/// Makes a row's check: the row's own settings over its template's (the
/// row's `profile`, else `template`), else the directory's provider for the
/// address's domain. The login is the row's user, else the address.
pub fn plan(
    row: &Row,
    template: Option<&Profile>,
    saved: &dyn Fn(&str) -> Option<Profile>,
    directory: &Directory,
) -> Result<Job, PlanError> {
    let line = row.line;
    let named = match &row.profile {
        Some(name) => Some(saved(name).ok_or_else(|| PlanError::NoTemplate {
            line,
            name: name.clone(),
        })?),
        None => template.cloned(),
    };
    let has_template = named.is_some();
    let mut profile = named.unwrap_or_default();
    profile.delivery = Delivery::Smtp;
    profile.sender.address = row.address.clone();
    profile.smtp.username = row.address.clone();
    // Each row checks the mailbox, never sends: the template's test message
    // would go out once a row.
    profile.test.send_message = false;
    if let Some(host) = &row.host {
        profile.smtp.host = host.clone();
    } else if !has_template || profile.smtp.host.trim().is_empty() {
        let address = directory::parse_address(&row.address);
        let provider = address
            .as_ref()
            .and_then(|a| directory.lookup(&a.domain).map(|e| (a, e)));
        match provider {
            Some((address, entry)) => {
                directory::fill_profile(&mut profile, &entry.provider, address)
            }
            None => {
                return Err(PlanError::NoServer {
                    line,
                    address: row.address.clone(),
                });
            }
        }
    }
    if let Some(security) = row.security {
        profile.smtp.security = security;
        if row.port.is_none() {
            profile.smtp.port = security.default_port();
        }
    }
    if let Some(port) = row.port {
        profile.smtp.port = port;
    }
    if let Some(user) = &row.user {
        profile.smtp.username = user.clone();
    }
    if row.password.is_some() && profile.smtp.auth == AuthMethod::None {
        profile.smtp.auth = AuthMethod::Auto;
    }
    Ok(Job {
        line,
        address: row.address.clone(),
        profile,
        password: row.password.clone(),
    })
}

/// A row that did not become a check, or a notice of the run's own (a
/// damaged user directory): the line when it is a row's, and the reason as
/// the user reads it (a row's reason names its line too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: Option<usize>,
    pub reason: String,
}

impl Skipped {
    /// A notice that belongs to no row.
    pub fn notice(reason: String) -> Skipped {
        Skipped { line: None, reason }
    }
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

/// Every row of `list` made a check ([`plan`]); the rows that cannot be one
/// come back as their reasons, each naming its line.
pub fn plan_list(
    list: MailboxList,
    template: Option<&Profile>,
    saved: &dyn Fn(&str) -> Option<Profile>,
    directory: &Directory,
) -> (Vec<Job>, Vec<Skipped>) {
    let mut jobs = Vec::new();
    let mut skipped = Vec::new();
    for row in list.rows {
        let planned = match row {
            Ok(row) => plan(&row, template, saved, directory).map_err(|e| {
                let line = match &e {
                    PlanError::NoServer { line, .. } | PlanError::NoTemplate { line, .. } => *line,
                };
                (line, e.localize())
            }),
            Err(e) => Err((e.line, e.localize())),
        };
        match planned {
            Ok(job) => jobs.push(job),
            Err((line, reason)) => skipped.push(Skipped {
                line: Some(line),
                reason,
            }),
        }
    }
    (jobs, skipped)
}

/// How a run goes.
#[derive(Debug, Clone)]
pub struct Settings {
    pub concurrency: usize,
    pub per_host: usize,
    pub busy_pause: Duration,
    /// Certificates trusted besides the platform's (private CAs, tests).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// For a row without a password: a program and its arguments, run with
    /// the row's address ([`password`]).
    pub password_command: Option<Vec<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            concurrency: DEFAULT_CONCURRENCY,
            per_host: PER_HOST,
            busy_pause: BUSY_PAUSE,
            extra_roots: Vec::new(),
            password_command: None,
        }
    }
}

/// One row's result.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub line: usize,
    pub address: String,
    /// `host:port` the row was checked against.
    pub server: String,
    pub report: Report,
    pub elapsed: Duration,
    /// How long the row waited before it started because its server had
    /// answered 421 to an earlier row (zero for most rows).
    pub paused: Duration,
}

impl Outcome {
    pub fn code(&self) -> Code {
        self.report.diagnosis.code
    }
}

/// How many rows ended with each code (stable code names, sorted).
pub fn counts<'a>(
    outcomes: impl IntoIterator<Item = &'a Outcome>,
) -> BTreeMap<&'static str, usize> {
    count_codes(outcomes.into_iter().map(Outcome::code))
}

/// [`counts`] of the codes alone (a run that kept only its rows' summaries).
pub fn count_codes(codes: impl IntoIterator<Item = Code>) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for code in codes {
        *counts.entry(code.as_str()).or_insert(0) += 1;
    }
    counts
}

/// The gate of one server: how many checks it may have at once, and until
/// when it is left alone after it said it was busy.
struct Server {
    slots: Arc<Semaphore>,
    quiet_until: Mutex<Option<Instant>>,
}

/// Runs the jobs, sending each result to `results` as it ends. Dropping the
/// returned future ends every check still running (their connections close):
/// that is how a run is cancelled, and the results already sent stay.
pub async fn run(jobs: Vec<Job>, settings: Settings, results: mpsc::UnboundedSender<Outcome>) {
    let concurrency = settings.concurrency.clamp(1, MAX_CONCURRENCY);
    let per_host = settings.per_host.max(1);
    let all = Arc::new(Semaphore::new(concurrency));
    let mut servers: HashMap<String, Arc<Server>> = HashMap::new();
    let roots = Arc::new(settings.extra_roots);
    let password_command = Arc::new(settings.password_command);
    // Dropped with this future: JoinSet aborts what is still running.
    let mut running = JoinSet::new();
    for job in jobs {
        let server = format!(
            "{}:{}",
            job.profile.smtp.host.trim().to_ascii_lowercase(),
            job.profile.smtp.port
        );
        let gate = servers
            .entry(server.clone())
            .or_insert_with(|| {
                Arc::new(Server {
                    slots: Arc::new(Semaphore::new(per_host)),
                    quiet_until: Mutex::new(None),
                })
            })
            .clone();
        let all = all.clone();
        let roots = roots.clone();
        let password_command = password_command.clone();
        let results = results.clone();
        let pause = settings.busy_pause;
        // The check itself is boxed when it starts: a waiting row's task
        // holds its job and not the room of a whole check's state, so 10 000
        // waiting rows stay small.
        running.spawn(async move {
            // The server's slot first, then a run slot: a row waiting for a
            // busy server does not hold a place other servers could use.
            let Ok(_server_slot) = gate.slots.clone().acquire_owned().await else {
                return;
            };
            let Ok(_run_slot) = all.acquire_owned().await else {
                return;
            };
            let quiet = *gate.quiet_until.lock().await;
            let paused = quiet.map_or(Duration::ZERO, |until| {
                until.saturating_duration_since(Instant::now())
            });
            if let Some(until) = quiet {
                tokio::time::sleep_until(until.into()).await;
            }
            let started = Instant::now();
            let mut profile = job.profile;
            let password = match (job.password, password_command.as_deref()) {
                (Some(password), _) => Ok(Some(password)),
                (None, Some(command)) => Box::pin(password::password_for(
                    command,
                    &job.address,
                    password::PASSWORD_COMMAND_TIMEOUT,
                ))
                .await
                .map(Some),
                (None, None) => Ok(None),
            };
            let report = match password {
                Ok(password) => {
                    if password.is_some() && profile.smtp.auth == AuthMethod::None {
                        profile.smtp.auth = AuthMethod::Auto;
                    }
                    let options = check::smtp::Options {
                        password,
                        extra_roots: roots.as_ref().clone(),
                        ..check::smtp::Options::default()
                    };
                    Box::pin(check::smtp::check(&profile, options)).await
                }
                // The row is not checked: its reason is its result.
                Err(error) => {
                    let diagnosis =
                        check::Diagnosis::new(Code::CannotStart).arg("reply", error.localize());
                    Report::not_started(diagnosis, None)
                }
            };
            if busy(&report) {
                *gate.quiet_until.lock().await = Some(Instant::now() + pause);
            }
            let _ = results.send(Outcome {
                line: job.line,
                address: job.address,
                server,
                report,
                elapsed: started.elapsed(),
                paused,
            });
        });
    }
    drop(results);
    while running.join_next().await.is_some() {}
}

/// Whether the server said it is busy or limits the rate (421 and its kin).
fn busy(report: &Report) -> bool {
    report.diagnosis.code == Code::ServerUnavailable
        || report
            .diagnosis
            .get("reply")
            .is_some_and(|reply| reply.starts_with("421") || reply.contains("4.7.0"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::profile::Security;

    fn row(text: &str) -> Row {
        list::parse(text.as_bytes())
            .unwrap()
            .rows
            .remove(0)
            .unwrap()
    }

    fn nothing_saved(_: &str) -> Option<Profile> {
        None
    }

    #[test]
    fn the_row_wins_over_the_template() {
        let mut template = Profile::default();
        template.smtp.host = "smtp.corp.example".into();
        template.smtp.port = 587;
        template.test.send_message = true;
        let directory = Directory::bundled_only();
        let row = row("address,user,port,password\nann@corp.example,ANN,2525,pw\n");
        let job = plan(&row, Some(&template), &nothing_saved, &directory).unwrap();
        assert_eq!(job.profile.smtp.host, "smtp.corp.example");
        assert_eq!(job.profile.smtp.port, 2525);
        assert_eq!(job.profile.smtp.username, "ANN");
        assert_eq!(job.profile.sender.address, "ann@corp.example");
        assert!(!job.profile.test.send_message);
        assert_eq!(job.profile.smtp.auth, AuthMethod::Auto);
    }

    #[test]
    fn the_directory_fills_a_known_provider_and_security_picks_its_port() {
        let directory = Directory::bundled_only();
        let job = plan(
            &row("address\nsomeone@gmail.com\n"),
            None,
            &nothing_saved,
            &directory,
        )
        .unwrap();
        assert_eq!(job.profile.smtp.host, "smtp.gmail.com");
        let job = plan(
            &row("address,host,security\nx@unknown.example,mx.unknown.example,tls\n"),
            None,
            &nothing_saved,
            &directory,
        )
        .unwrap();
        assert_eq!(job.profile.smtp.security, Security::Tls);
        assert_eq!(job.profile.smtp.port, 465);
    }

    #[test]
    fn no_server_and_unknown_template_name_the_line() {
        let directory = Directory::bundled_only();
        let error = plan(
            &row("address\nx@unknown.example\n"),
            None,
            &nothing_saved,
            &directory,
        )
        .unwrap_err();
        assert_eq!(
            error,
            PlanError::NoServer {
                line: 2,
                address: "x@unknown.example".into()
            }
        );
        let error = plan(
            &row("address,profile\nx@unknown.example,office\n"),
            None,
            &nothing_saved,
            &directory,
        )
        .unwrap_err();
        assert!(matches!(error, PlanError::NoTemplate { line: 2, .. }));
    }
}

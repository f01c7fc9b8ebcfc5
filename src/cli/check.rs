//! `outbound check`: a saved profile (password from the keyring) or ad-hoc flags,
//! against the SMTP server or the sendmail program. Prints each step as it
//! finishes, then the diagnosis and hint and the sender domain's lines
//! (`core::domain`, looked up beside the check; in JSON `sender_domain`, null
//! when the sender has no domain to ask about), or one JSON object with `--json`:
//! every time, also when the check cannot start (bad input, no keyring, the
//! daily limit) or is cut short by Ctrl+C.
//! Exit 0 when the check passed, 1 when it found a problem, 2 for bad usage,
//! 130 when the user interrupted it.

use std::future::Future;
use std::pin::Pin;

use clap::Args;

use super::output::{errln, outln};
use super::{Failure, PasswordSource, Status, print_json};
use crate::core::bulk::files::FileError;
use crate::core::bulk::report::Format;
use crate::core::check::credential::{self, Credential};
use crate::core::check::limits::LimitError;
use crate::core::check::{Code, Diagnosis, Progress, Report, Step, message, saved};
use crate::core::domain::{self, SenderDomain};
use crate::core::profile::{AuthMethod, Delivery, Profile, Security, is_host, normalise_host};
use crate::core::secret::Secret;
use crate::core::store::{Paths, Store, StoreError};
use crate::i18n::{self, Localize};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["profile", "host", "sendmail"])))]
pub struct CheckArgs {
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    #[arg(long, value_enum)]
    pub security: Option<Security>,
    #[arg(long, value_enum)]
    pub auth: Option<AuthChoice>,
    #[arg(long, value_name = "U")]
    pub user: Option<String>,
    #[command(flatten)]
    pub password: PasswordSource,
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    #[arg(long, value_name = "ADDR[,ADDR…]")]
    pub to: Option<String>,
    #[arg(long)]
    pub send: bool,
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u32).range(1..=300))]
    pub timeout: Option<u32>,
    #[arg(long)]
    pub accept_invalid_certs: bool,
    #[arg(long, value_name = "PATH", conflicts_with_all = ["host", "profile"])]
    pub sendmail: Option<String>,
    #[arg(long, value_name = "ARGS", allow_hyphen_values = true)]
    pub args: Option<String>,
    #[arg(long)]
    pub json: bool,
    // Runs a profile's imported sendmail command that is not confirmed yet.
    #[arg(long, requires = "profile")]
    pub confirm_sendmail: bool,
    /// Checks the incoming side (IMAP) instead of the outgoing one.
    #[arg(long, conflicts_with_all = ["sendmail", "send", "to", "from", "args", "confirm_sendmail"])]
    pub imap: bool,
    /// The folder the IMAP check selects (default: the profile's, else INBOX).
    #[arg(long, value_name = "NAME", requires = "imap")]
    pub folder: Option<String>,
    /// Also writes the report to this file: .html (one page that reads
    /// offline), .json (as --json prints) or .csv (a line per step).
    #[arg(long, value_name = "FILE")]
    pub report: Option<std::path::PathBuf>,
}

/// `--auth`: the SMTP methods and the IMAP ones under the profile files' names
/// (`none` is SMTP's only, `oauthbearer` IMAP's only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "kebab-case")]
pub enum AuthChoice {
    None,
    Auto,
    Plain,
    Login,
    CramMd5,
    Xoauth2,
    Oauthbearer,
    /// NTLMv2.
    Ntlm,
    /// Kerberos with the logged-on user's ticket.
    Gssapi,
}

impl AuthChoice {
    /// The SMTP method.
    fn smtp(self) -> AuthMethod {
        match self {
            AuthChoice::None => AuthMethod::None,
            AuthChoice::Auto => AuthMethod::Auto,
            AuthChoice::Plain => AuthMethod::Plain,
            AuthChoice::Login => AuthMethod::Login,
            AuthChoice::CramMd5 => AuthMethod::CramMd5,
            AuthChoice::Xoauth2 => AuthMethod::Xoauth2,
            AuthChoice::Oauthbearer => AuthMethod::Oauthbearer,
            AuthChoice::Ntlm => AuthMethod::Ntlm,
            AuthChoice::Gssapi => AuthMethod::Gssapi,
        }
    }
}

/// Bad input on the command line (exit 2).
#[derive(Debug, thiserror::Error)]
enum CheckUsage {
    #[error("invalid host {0}")]
    Host(String),
    #[error("no recipients")]
    NoRecipients,
    #[error("no sender")]
    NoSender,
    #[error("bad recipients: {0}")]
    Recipients(String),
}

impl Localize for CheckUsage {
    fn localize(&self) -> String {
        match self {
            CheckUsage::Host(host) => {
                i18n::tr_args("cli-check-bad-host", &[("host", host.clone())])
            }
            CheckUsage::NoRecipients => i18n::tr("cli-check-no-recipients"),
            CheckUsage::NoSender => i18n::tr("cli-check-no-sender"),
            CheckUsage::Recipients(reason) => reason.clone(),
        }
    }
}

pub async fn run(args: CheckArgs) -> Result<Status, Failure> {
    // A report that could not be written is known before the check, not after.
    if let Some(path) = &args.report
        && Format::for_path(path).is_none()
    {
        let failure = Failure::from(FileError::ReportFormat(path.clone()));
        return Ok(cannot_start(&args, &failure));
    }
    if args.imap {
        return super::check_imap::run(args).await;
    }
    let Ready {
        profile,
        account,
        password,
        recipients,
    } = match prepare(&args) {
        Ok(ready) => ready,
        Err(failure) => return Ok(cannot_start(&args, &failure)),
    };
    // The sender domain's DNS, beside the check (not one of its steps).
    let sender_domain = SenderDomainLookup::start(&profile);
    // From here on Ctrl+C is the user's "cancel" (not before: a blocking read
    // of the password from a terminal must still be interruptible as usual).
    let mut interrupt = Interrupt::new();
    // A signed-in profile sends its access token (`auto` too: XOAUTH2 or
    // OAUTHBEARER when the server offers one); else the keyring's password.
    let credential = match (password, account.as_ref()) {
        (Some(password), _) => Credential {
            secret: Some(password),
            token_held: false,
        },
        (None, Some(account)) if wants_keyring(&args, &profile) => tokio::select! {
            biased;
            () = interrupt.heard() => return Ok(cancelled(&args, Vec::new())),
            fetched = credential::credential(account, profile.smtp.auth, credential::Password::Keyring) => match fetched {
                Ok(credential) => credential,
                Err(error) => return Ok(finish_with_domain(&args, &error.report(), None)),
            },
        },
        (None, _) => Credential::default(),
    };
    let outcome = interruptible(&mut interrupt, args.json, |progress| {
        let marked = saved::Marked {
            token_held: credential.token_held,
            ..saved::Marked::default()
        };
        saved::run_marked(
            &profile,
            account.as_ref(),
            credential.secret,
            recipients,
            marked,
            progress,
        )
    })
    .await;
    let outcome = match outcome {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(refusal)) => {
            let (report, status) = refused(&refusal);
            finish(&args, &report);
            return Ok(status);
        }
        Err(steps) => return Ok(cancelled(&args, steps)),
    };
    for note in &outcome.notes {
        errln!("{note}");
    }
    let sender_domain = sender_domain.finish().await;
    Ok(finish_with_domain(
        &args,
        &outcome.report,
        sender_domain.as_ref(),
    ))
}

/// The sender-domain row (`core::domain`) running as its own task from the
/// check's start; dropping it (Ctrl+C, a refused check) stops it.
struct SenderDomainLookup(tokio::task::JoinHandle<Option<SenderDomain>>);

impl SenderDomainLookup {
    fn start(profile: &Profile) -> Self {
        SenderDomainLookup(tokio::spawn(domain::look_up(domain::Query::for_profile(
            profile,
        ))))
    }

    async fn finish(mut self) -> Option<SenderDomain> {
        // A panic in the lookup loses only the row, never the check's report.
        (&mut self.0).await.ok().flatten()
    }
}

impl Drop for SenderDomainLookup {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// [`finish`] with the sender-domain row: after the diagnosis in text, as
/// `sender_domain` (null when the sender has no domain to look up) in JSON.
fn finish_with_domain(args: &CheckArgs, report: &Report, row: Option<&SenderDomain>) -> Status {
    if !args.json {
        let status = finish(args, report);
        if let Some(row) = row {
            outln!();
            outln!("{}", row.to_text().trim_end());
        }
        return status;
    }
    print_json(&json_of(report, Some(row)));
    write_report(args, report, Some(row)).unwrap_or(status_of(report))
}

/// The report as JSON; with `Some(row)` its `sender_domain` key too (null when
/// the sender has no domain to look up), as `--json` prints and `--report
/// FILE.json` writes it.
fn json_of(report: &Report, domain: Option<Option<&SenderDomain>>) -> serde_json::Value {
    let mut json = report.to_json();
    if let Some(row) = domain {
        json["sender_domain"] = row.map_or(serde_json::Value::Null, SenderDomain::to_json);
    }
    json
}

/// A check ready to run.
struct Ready {
    profile: Profile,
    /// The saved profile checked (the flags make a draft of it, which sends
    /// under it: its count, its log).
    account: Option<saved::Account>,
    /// From the flags; a saved profile's may be in the keyring instead.
    password: Option<Secret>,
    recipients: Vec<String>,
}

/// The profile (saved or from the flags), its recipients and the password the
/// flags give.
fn prepare(args: &CheckArgs) -> Result<Ready, Failure> {
    let saved = args.profile.is_some();
    let paths = if saved {
        Some(Paths::from_environment()?)
    } else {
        None
    };
    // The saved profile: the flags make a draft of it, which sends under it.
    let account = match (&args.profile, &paths) {
        (Some(name), Some(paths)) => {
            let stored = Store::new(paths.clone())
                .load_all()
                .find(name)
                .cloned()
                .ok_or_else(|| StoreError::NotFound(name.clone()))?;
            Some(saved::Account {
                paths: paths.clone(),
                scope: stored.scope,
                saved: stored.profile,
            })
        }
        _ => None,
    };
    let mut profile = match &account {
        Some(account) => account.saved.clone(),
        None => ad_hoc(args)?,
    };
    apply_flags(&mut profile, args)?;
    if let Some(account) = &account {
        crate::core::trust::gate(
            &account.paths,
            account.scope,
            &profile,
            args.confirm_sendmail,
        )?;
    }

    let send = args.send || (saved && profile.test.send_message);
    let recipients = if send {
        let list = args
            .to
            .clone()
            .unwrap_or_else(|| profile.test.recipients.clone());
        let recipients =
            message::recipients(&list).map_err(|e| CheckUsage::Recipients(e.localize()))?;
        if recipients.is_empty() {
            return Err(CheckUsage::NoRecipients.into());
        }
        if profile.sender.address.trim().is_empty() {
            return Err(CheckUsage::NoSender.into());
        }
        recipients
    } else {
        Vec::new()
    };
    let password = match profile.delivery {
        Delivery::Sendmail => None,
        Delivery::Smtp => args.password.read()?,
    };
    Ok(Ready {
        profile,
        account,
        password,
        recipients,
    })
}

/// Prints the report as asked and gives the exit status.
pub(super) fn finish(args: &CheckArgs, report: &Report) -> Status {
    if args.json {
        print_json(&report.to_json());
    } else {
        print_summary(report);
    }
    write_report(args, report, None).unwrap_or(status_of(report))
}

/// Writes `--report`'s file after the results are printed (a file that cannot
/// be written loses nothing); `Some(Usage)` when it could not be written.
fn write_report(
    args: &CheckArgs,
    report: &Report,
    domain: Option<Option<&SenderDomain>>,
) -> Option<Status> {
    let path = args.report.as_ref()?;
    let text = match Format::for_path(path)? {
        Format::Html => {
            let target = [&args.profile, &args.host, &args.sendmail]
                .into_iter()
                .flatten()
                .next()
                .cloned()
                .unwrap_or_default();
            let title = i18n::tr_args("report-check-title", &[("target", target)]);
            crate::core::check::html::page(&title, report)
        }
        Format::Json => json_of(report, domain).to_string(),
        Format::Csv => steps_csv(report),
    };
    match crate::core::store::atomic_write(path, text.as_bytes()) {
        Ok(()) => None,
        Err(source) => {
            let error = StoreError::Io {
                path: path.clone(),
                source,
            };
            errln!("{}", error.localize());
            Some(Status::Usage)
        }
    }
}

/// A line per step (RFC 4180 quoting), then the diagnosis as the last line.
fn steps_csv(report: &Report) -> String {
    let quote = crate::core::bulk::report::csv_field;
    let mut out = String::from("step,status,millis,detail\r\n");
    for step in &report.steps {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            step.name.as_str(),
            step.status.as_str(),
            step.elapsed_ms,
            quote(&step.detail)
        ));
    }
    let diagnosis = &report.diagnosis;
    out.push_str(&format!(
        "diagnosis,{},,{}\r\n",
        diagnosis.code.as_str(),
        quote(&diagnosis.message())
    ));
    out
}

/// 0 when the check passed, 1 when it found a problem.
fn status_of(report: &Report) -> Status {
    if report.ok() {
        Status::Success
    } else {
        Status::Problem
    }
}

/// Bad input or an environment problem found before the check began: the
/// message on stderr and, with `--json`, the one object all the same (exit 2).
pub(super) fn cannot_start(args: &CheckArgs, failure: &Failure) -> Status {
    let reason = failure.localize();
    errln!("{reason}");
    if args.json {
        print_json(&not_started_json(&reason));
    }
    Status::Usage
}

/// The JSON of a check that could not start for `reason` (bad usage or input,
/// or the environment): code `cannot_start`.
pub fn not_started_json(reason: &str) -> serde_json::Value {
    let diagnosis = Diagnosis::new(Code::CannotStart).arg("reply", reason);
    Report::not_started(diagnosis, None).to_json()
}

/// The report of a check the daily limit (or its count file) refused, and the
/// exit status: the limit reached is the check's finding (1), a count that
/// cannot be kept is an environment problem (2).
fn refused(refusal: &saved::Refusal) -> (Report, Status) {
    match refusal {
        saved::Refusal::Disabled { name } => {
            let diagnosis = Diagnosis::new(Code::ProfileDisabled).arg("name", name.clone());
            (Report::not_started(diagnosis, None), Status::Problem)
        }
        saved::Refusal::Limit(LimitError::Reached { name, limit, .. }) => {
            let diagnosis = Diagnosis::new(Code::LimitReached)
                .arg("name", name.clone())
                .arg("limit", limit.to_string());
            (Report::not_started(diagnosis, None), Status::Problem)
        }
        // The count file's own errors, whichever they are.
        other => {
            let reason = other.localize();
            errln!("{reason}");
            let diagnosis = Diagnosis::new(Code::CannotStart).arg("reply", reason);
            (Report::not_started(diagnosis, None), Status::Usage)
        }
    }
}

/// The report of a check Ctrl+C cut short after `steps`, printed; exit 130.
pub(super) fn cancelled(args: &CheckArgs, steps: Vec<Step>) -> Status {
    finish(args, &Report::cancelled(steps));
    Status::Cancelled
}

/// Ctrl+C, listened for from the first poll on. The handler is tokio's for
/// the rest of the process once installed, which is why it is installed only
/// when the check begins.
pub(super) struct Interrupt {
    signal: Pin<Box<dyn Future<Output = std::io::Result<()>>>>,
    listening: bool,
}

impl Interrupt {
    pub(super) fn new() -> Self {
        Interrupt {
            signal: Box::pin(tokio::signal::ctrl_c()),
            listening: true,
        }
    }

    /// Completes when Ctrl+C is pressed; never when no handler could be
    /// installed (Ctrl+C then keeps its default effect). Dropping the future
    /// loses nothing: the listening state is in `self`.
    pub(super) async fn heard(&mut self) {
        if self.listening {
            if self.signal.as_mut().await.is_ok() {
                return;
            }
            self.listening = false;
        }
        std::future::pending::<()>().await;
    }
}

/// Runs a check, printing each step as it finishes unless the output is JSON.
/// `Err(steps)` when Ctrl+C cut it short: the check's future is dropped, which
/// closes its connection or kills its program, and the steps so far are kept.
pub(super) async fn interruptible<F, Fut, T>(
    interrupt: &mut Interrupt,
    json: bool,
    start: F,
) -> Result<T, Vec<Step>>
where
    F: FnOnce(Progress) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let (progress, mut steps) = Progress::channel();
    let mut done = Vec::new();
    let mut record = |step: Step| {
        if !json {
            print_step(&step);
        }
        done.push(step);
    };
    let mut check = Box::pin(start(progress));
    let outcome = loop {
        tokio::select! {
            // In this order: the handler is in place before the check's first
            // step, and a step is shown before the outcome that follows it.
            biased;
            () = interrupt.heard() => break None,
            Some(step) = steps.recv() => record(step),
            outcome = &mut check => break Some(outcome),
        }
    };
    drop(check);
    while let Ok(step) = steps.try_recv() {
        record(step);
    }
    outcome.ok_or(done)
}

pub(super) fn print_step(step: &Step) {
    let status = i18n::tr(&format!("check-status-{}", step.status.as_str()));
    outln!(
        "{status:<8} {:<10} {:>6} ms  {}",
        step.name.as_str(),
        step.elapsed_ms,
        step.detail
    );
}

fn print_summary(report: &Report) {
    if report.steps.is_empty() {
        for line in &report.transcript {
            outln!("{}", line.text);
        }
    }
    outln!();
    let diagnosis = &report.diagnosis;
    outln!("{} [{}]", diagnosis.message(), diagnosis.code.as_str());
    if !diagnosis.is_ok() {
        outln!("{}", crate::fl!("cli-check-hint", hint = diagnosis.hint()));
    }
}

/// A profile made from `--host` or `--sendmail`.
fn ad_hoc(args: &CheckArgs) -> Result<Profile, CheckUsage> {
    let mut profile = Profile::named("command_line");
    if let Some(path) = &args.sendmail {
        profile.delivery = Delivery::Sendmail;
        profile.sendmail.path = path.clone();
        return Ok(profile);
    }
    let pasted = args.host.clone().unwrap_or_default();
    profile.delivery = Delivery::Smtp;
    match normalise_host(&pasted) {
        Some(normalised) => {
            profile.smtp.host = normalised.host;
            if let Some(security) = normalised.security {
                profile.smtp.security = security;
            }
            profile.smtp.port = normalised
                .port
                .unwrap_or(profile.smtp.security.default_port());
        }
        None => {
            profile.smtp.host = pasted.trim().to_owned();
            profile.smtp.port = profile.smtp.security.default_port();
        }
    }
    if !is_host(&profile.smtp.host) {
        return Err(CheckUsage::Host(pasted));
    }
    Ok(profile)
}

fn apply_flags(profile: &mut Profile, args: &CheckArgs) -> Result<(), CheckUsage> {
    if let Some(security) = args.security {
        profile.smtp.security = security;
        // An ad-hoc host follows the security's usual port unless one is given.
        if args.profile.is_none() && args.port.is_none() {
            profile.smtp.port = profile.smtp.security.default_port();
        }
    }
    if let Some(port) = args.port {
        profile.smtp.port = port;
    }
    if let Some(auth) = args.auth {
        profile.smtp.auth = auth.smtp();
    } else if args.profile.is_none() && args.user.is_some() {
        profile.smtp.auth = AuthMethod::Auto;
    }
    if let Some(user) = &args.user {
        profile.smtp.username = user.clone();
    }
    if let Some(from) = &args.from {
        profile.sender.address = from.clone();
    }
    if let Some(timeout) = args.timeout {
        profile.smtp.timeout_secs = timeout;
    }
    if args.accept_invalid_certs {
        profile.smtp.accept_invalid_certs = true;
    }
    if let Some(extra) = &args.args {
        profile.sendmail.args = extra.clone();
    }
    Ok(())
}

/// Whether the password is to come from the keyring: a saved SMTP profile
/// that logs in, with no password given by the flags.
fn wants_keyring(args: &CheckArgs, profile: &Profile) -> bool {
    args.profile.is_some()
        && profile.delivery == Delivery::Smtp
        && profile.smtp.auth != AuthMethod::None
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use crate::core::profile::{AuthMethod, Security};

    fn name(value: &impl ValueEnum) -> String {
        value
            .to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }

    /// `--security` and `--auth` take the profile file's names, and no other.
    #[test]
    fn option_values_are_the_profile_file_names() {
        for security in Security::value_variants() {
            assert_eq!(name(security), security.as_str());
        }
        for auth in AuthMethod::value_variants() {
            assert_eq!(name(auth), auth.as_str());
        }
        for auth in crate::core::profile::ImapAuth::value_variants() {
            assert!(super::AuthChoice::from_str(auth.as_str(), false).is_ok());
        }
        assert!(AuthMethod::from_str("cram-md5", false).is_ok());
        assert!(AuthMethod::from_str("cram_md5", false).is_err());
        assert!(Security::from_str("ssl", false).is_err());
    }
}

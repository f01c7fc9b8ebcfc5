//! `outbound check`: a saved profile (password from the keyring) or ad-hoc flags,
//! against the SMTP server or the sendmail program. Prints each step as it
//! finishes, then the diagnosis and hint, or one JSON object with `--json`.
//! Exit 0 when the check passed, 1 when it found a problem, 2 for bad usage.

use std::io::Read;

use clap::Args;

use super::{Failure, Status, print_json};
use crate::core::check::{self, Code, Diagnosis, Progress, Report, Step, message, saved};
use crate::core::profile::{AuthMethod, Delivery, Profile, Security, is_host, normalise_host};
use crate::core::secret::Secret;
use crate::core::secrets::{SecretKey, Secrets};
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
    #[arg(long, value_parser = ["none", "starttls", "tls"])]
    pub security: Option<String>,
    #[arg(long, value_parser = ["none", "auto", "plain", "login", "cram-md5", "xoauth2"])]
    pub auth: Option<String>,
    #[arg(long, value_name = "U")]
    pub user: Option<String>,
    #[arg(long, conflicts_with = "password_env")]
    pub password_stdin: bool,
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
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
    #[error("environment variable {0} is not set")]
    MissingVariable(String),
    #[error("cannot read standard input: {0}")]
    Stdin(String),
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
            CheckUsage::MissingVariable(var) => {
                i18n::tr_args("cli-password-env-missing", &[("var", var.clone())])
            }
            CheckUsage::Stdin(reason) => {
                i18n::tr_args("cli-password-stdin", &[("reason", reason.clone())])
            }
        }
    }
}

pub async fn run(args: CheckArgs) -> Result<Status, Failure> {
    let saved = args.profile.is_some();
    let paths = if saved {
        Some(Paths::from_environment()?)
    } else {
        None
    };
    let (mut profile, scope) = match (&args.profile, &paths) {
        (Some(name), Some(paths)) => Store::new(paths.clone())
            .load_all()
            .find(name)
            .map(|stored| (stored.profile.clone(), Some(stored.scope)))
            .ok_or_else(|| StoreError::NotFound(name.clone()))?,
        _ => (ad_hoc(&args)?, None),
    };
    apply_flags(&mut profile, &args);
    if let (Some(paths), Some(scope)) = (&paths, scope) {
        crate::core::trust::gate(paths, scope, &profile, args.confirm_sendmail)?;
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
        Delivery::Smtp => match password(&args, &profile).await? {
            Err(report) => return Ok(finish(&args, &report)),
            Ok(password) => password,
        },
    };
    let outcome = with_progress(args.json, |progress| {
        saved::run(&profile, paths.as_ref(), password, recipients, progress)
    })
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(refusal) => {
            eprintln!("{}", refusal.localize());
            return Ok(Status::Problem);
        }
    };
    for note in &outcome.notes {
        eprintln!("{note}");
    }
    Ok(finish(&args, &outcome.report))
}

/// Prints the report as asked and gives the exit status.
fn finish(args: &CheckArgs, report: &Report) -> Status {
    if args.json {
        print_json(&report.to_json());
    } else {
        print_summary(report);
    }
    if report.ok() {
        Status::Success
    } else {
        Status::Problem
    }
}

/// Runs a check, printing each step as it finishes unless the output is JSON.
async fn with_progress<F, Fut, T>(json: bool, start: F) -> T
where
    F: FnOnce(Progress) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    if json {
        return start(Progress::none()).await;
    }
    let (progress, mut steps) = Progress::channel();
    let printing = async {
        while let Some(step) = steps.recv().await {
            print_step(&step);
        }
    };
    let (outcome, ()) = tokio::join!(start(progress), printing);
    outcome
}

fn print_step(step: &Step) {
    let status = i18n::tr(&format!("check-status-{}", step.status.as_str()));
    println!(
        "{status:<8} {:<10} {:>6} ms  {}",
        step.name.as_str(),
        step.elapsed_ms,
        step.detail
    );
}

fn print_summary(report: &Report) {
    if report.steps.is_empty() {
        for line in &report.transcript {
            println!("{}", line.text);
        }
    }
    println!();
    let diagnosis = &report.diagnosis;
    println!("{} [{}]", diagnosis.message(), diagnosis.code.as_str());
    if !diagnosis.is_ok() {
        println!("{}", crate::fl!("cli-check-hint", hint = diagnosis.hint()));
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

fn apply_flags(profile: &mut Profile, args: &CheckArgs) {
    if let Some(security) = args.security.as_deref() {
        profile.smtp.security = match security {
            "none" => Security::None,
            "tls" => Security::Tls,
            _ => Security::Starttls,
        };
        // An ad-hoc host follows the security's usual port unless one is given.
        if args.profile.is_none() && args.port.is_none() {
            profile.smtp.port = profile.smtp.security.default_port();
        }
    }
    if let Some(port) = args.port {
        profile.smtp.port = port;
    }
    if let Some(auth) = args.auth.as_deref() {
        profile.smtp.auth = match auth {
            "auto" => AuthMethod::Auto,
            "plain" => AuthMethod::Plain,
            "login" => AuthMethod::Login,
            "cram-md5" => AuthMethod::CramMd5,
            "xoauth2" => AuthMethod::Xoauth2,
            _ => AuthMethod::None,
        };
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
}

/// The password: from the flags, else from the keyring for a saved profile.
/// `Ok(Err(report))` is a check that cannot run because the keyring is unreachable.
async fn password(
    args: &CheckArgs,
    profile: &Profile,
) -> Result<Result<Option<Secret>, Box<Report>>, Failure> {
    if let Some(var) = &args.password_env {
        let value = std::env::var(var).map_err(|_| CheckUsage::MissingVariable(var.clone()))?;
        return Ok(Ok(Some(Secret::from(value))));
    }
    if args.password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CheckUsage::Stdin(e.to_string()))?;
        let trimmed = text.strip_suffix('\n').unwrap_or(&text);
        let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
        return Ok(Ok(Some(Secret::from(trimmed))));
    }
    if profile.smtp.auth == AuthMethod::None || args.profile.is_none() {
        return Ok(Ok(None));
    }
    let secrets = Secrets::connect().await;
    match secrets.get(&SecretKey::Profile(profile.name.clone())).await {
        Ok(password) => Ok(Ok(password)),
        Err(error) => {
            let reason = error.localize();
            let diagnosis = Diagnosis::new(Code::KeyringUnavailable).arg("reply", reason.clone());
            Ok(Err(Box::new(check::Report::not_started(
                diagnosis,
                Some(reason),
            ))))
        }
    }
}

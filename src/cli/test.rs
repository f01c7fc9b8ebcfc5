//! `outbound test ADDRESS [--password-env V] [--json] [--no-imap]`: the quick
//! test (`core::quick`). Detects the settings, prints them, then runs the
//! outgoing and the incoming check side by side, each step as it finishes
//! (marked SMTP or IMAP), then each check's diagnosis; or one JSON object with
//! `--json`, every time. Exit codes as `outbound check`: 0 both checks passed,
//! 1 a problem (one failed, no settings found, a sign-in needed), 2 bad usage,
//! 130 Ctrl+C.

use clap::Args;

use super::check::Interrupt;
use super::output::{errln, outln};
use super::{PasswordSource, Status, print_json};
use crate::core::check::{Code, Progress, Report, Step};
use crate::core::directory::UserDirectory;
use crate::core::discover;
use crate::core::quick::{self, Detected, QuickError};
use crate::core::secret::Secret;
use crate::core::store::Paths;
use crate::fl;
use crate::i18n::{self, Localize};

#[derive(Debug, Args)]
pub struct TestArgs {
    pub address: String,
    #[command(flatten)]
    pub password: PasswordSource,
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub no_imap: bool,
}

pub async fn run(args: TestArgs) -> Status {
    let password = match args.password.read() {
        Ok(password) => password,
        Err(error) => return cannot_start(&args, "bad_usage", &error.localize()),
    };
    let paths = match Paths::from_environment() {
        Ok(paths) => paths,
        Err(error) => return cannot_start(&args, "cannot_start", &error.localize()),
    };
    let directory =
        // A damaged user file is said on stderr, as `detect` says it.
        match tokio::task::spawn_blocking(move || super::directory::load(&UserDirectory::new(&paths)))
            .await
        {
            Ok(directory) => directory,
            Err(error) => return cannot_start(&args, "cannot_start", &error.to_string()),
        };
    let mut interrupt = Interrupt::new();
    let options = discover::Options::default();
    let detected = tokio::select! {
        biased;
        () = interrupt.heard() => return cancelled(&args, None, Vec::new(), Vec::new()),
        detected = quick::detect(&directory, &args.address, &options) => detected,
    };
    let detected = match detected {
        Ok(detected) => detected,
        Err(error @ QuickError::BadAddress(_)) => {
            return cannot_start(&args, error.code(), &error.localize());
        }
        Err(error) => {
            let reason = error.localize();
            errln!("{reason}");
            if args.json {
                print_json(&failed_json(&args, error.code(), &reason));
            }
            return Status::Problem;
        }
    };
    if !args.json {
        print_settings(&detected, !args.no_imap);
    }
    if detected.sign_in_required() {
        let provider = detected.found.provider.as_ref();
        let reason = fl!(
            "quick-sign-in-needed",
            provider = provider.map(|p| p.name.clone()).unwrap_or_default()
        );
        errln!("{reason}");
        if args.json {
            print_json(&serde_json::json!({
                "ok": false,
                "address": detected.address.full,
                "settings": quick::settings_json(&detected),
                "error": { "code": Code::OauthSignInRequired.as_str(), "message": reason },
                "smtp": null,
                "imap": null,
            }));
        }
        return Status::Problem;
    }
    let Some(password) = password else {
        return cannot_start(&args, "bad_usage", &fl!("cli-test-no-password"));
    };
    run_checks(&args, &detected, password, &mut interrupt).await
}

/// Both checks, their steps printed as they finish; the reports at the end.
async fn run_checks(
    args: &TestArgs,
    detected: &Detected,
    password: Secret,
    interrupt: &mut Interrupt,
) -> Status {
    let (outgoing_progress, mut outgoing_steps) = Progress::channel();
    let (incoming_progress, mut incoming_steps) = Progress::channel();
    let options = quick::Options {
        password: Some(password),
        token_held: false,
        extra_roots: Vec::new(),
        incoming: !args.no_imap,
    };
    let mut smtp_done = Vec::new();
    let mut imap_done = Vec::new();
    let json = args.json;
    let record = |side: &str, done: &mut Vec<Step>, step: Step| {
        if !json {
            outln!("{side:<5} {}", step_line(&step));
        }
        done.push(step);
    };
    let mut checks = Box::pin(quick::run(
        &detected.profile,
        options,
        outgoing_progress,
        incoming_progress,
    ));
    let outcome = loop {
        tokio::select! {
            biased;
            () = interrupt.heard() => break None,
            Some(step) = outgoing_steps.recv() => record("SMTP", &mut smtp_done, step),
            Some(step) = incoming_steps.recv() => record("IMAP", &mut imap_done, step),
            outcome = &mut checks => break Some(outcome),
        }
    };
    // Dropping the checks closes both connections.
    drop(checks);
    while let Ok(step) = outgoing_steps.try_recv() {
        record("SMTP", &mut smtp_done, step);
    }
    while let Ok(step) = incoming_steps.try_recv() {
        record("IMAP", &mut imap_done, step);
    }
    let Some(outcome) = outcome else {
        return cancelled(args, Some(detected), smtp_done, imap_done);
    };
    print_outcome(args, detected, &outcome.smtp, outcome.imap.as_ref());
    if outcome.ok() {
        Status::Success
    } else {
        Status::Problem
    }
}

fn step_line(step: &Step) -> String {
    let status = i18n::tr(&format!("check-status-{}", step.status.as_str()));
    format!(
        "{status:<8} {:<14} {:>6} ms  {}",
        step.name.as_str(),
        step.elapsed_ms,
        step.detail
    )
}

fn print_settings(detected: &Detected, incoming: bool) {
    let found = &detected.found;
    let source = super::detect::source_label(found.source);
    outln!(
        "{}",
        fl!(
            "cli-test-settings",
            address = detected.address.full.clone(),
            source = source
        )
    );
    let profile = &detected.profile;
    outln!(
        "  {}",
        fl!(
            "cli-test-smtp",
            host = profile.smtp.host.clone(),
            port = profile.smtp.port,
            security = profile.smtp.security.as_str(),
            user = profile.smtp.username.clone(),
            auth = profile.smtp.auth.as_str()
        )
    );
    if !quick::has_incoming(profile) {
        outln!("  {}", fl!("cli-test-no-imap"));
    } else if incoming {
        outln!(
            "  {}",
            fl!(
                "cli-test-imap",
                host = profile.imap.host.clone(),
                port = profile.imap.port,
                security = profile.imap.security.as_str(),
                user = profile.imap.effective_username(&profile.smtp.username),
                auth = profile.imap.auth.as_str()
            )
        );
    }
    if found.insecure {
        outln!("  {}", fl!("detect-insecure"));
    }
    outln!();
}

fn print_outcome(args: &TestArgs, detected: &Detected, smtp: &Report, imap: Option<&Report>) {
    if args.json {
        print_json(&serde_json::json!({
            "ok": smtp.ok() && imap.is_none_or(Report::ok),
            "address": detected.address.full,
            "settings": quick::settings_json(detected),
            "error": null,
            "smtp": smtp.to_json(),
            "imap": imap.map(Report::to_json),
        }));
        return;
    }
    outln!();
    print_diagnosis(&fl!("quick-outgoing"), smtp);
    if let Some(imap) = imap {
        print_diagnosis(&fl!("quick-incoming"), imap);
    }
}

fn print_diagnosis(side: &str, report: &Report) {
    let diagnosis = &report.diagnosis;
    outln!(
        "{side}: {} [{}]",
        diagnosis.message(),
        diagnosis.code.as_str()
    );
    if !diagnosis.is_ok() {
        outln!("  {}", fl!("cli-check-hint", hint = diagnosis.hint()));
    }
}

/// Ctrl+C: the steps so far and the `cancelled` diagnosis; exit 130.
fn cancelled(
    args: &TestArgs,
    detected: Option<&Detected>,
    smtp: Vec<Step>,
    imap: Vec<Step>,
) -> Status {
    let smtp = Report::cancelled(smtp);
    let imap = Report::cancelled(imap);
    match detected {
        Some(detected) => {
            let incoming = !args.no_imap && quick::has_incoming(&detected.profile);
            print_outcome(args, detected, &smtp, incoming.then_some(&imap));
        }
        None if args.json => print_json(&failed_json(
            args,
            "cancelled",
            &i18n::tr("check-cancelled"),
        )),
        None => errln!("{}", i18n::tr("check-cancelled")),
    }
    Status::Cancelled
}

/// The test could not begin (bad usage or environment): the reason on
/// stderr and, with `--json`, the one object all the same (exit 2).
fn cannot_start(args: &TestArgs, code: &str, reason: &str) -> Status {
    errln!("{reason}");
    if args.json {
        print_json(&failed_json(args, code, reason));
    }
    Status::Usage
}

fn failed_json(args: &TestArgs, code: &str, reason: &str) -> serde_json::Value {
    let mut value = usage_json(reason);
    value["address"] = args.address.clone().into();
    value["error"]["code"] = code.into();
    value
}

/// The JSON of a test that could not start for `reason` (clap's usage errors
/// too): code `bad_usage`.
pub(super) fn usage_json(reason: &str) -> serde_json::Value {
    serde_json::json!({
        "ok": false,
        "address": null,
        "settings": null,
        "error": { "code": "bad_usage", "message": reason },
        "smtp": null,
        "imap": null,
    })
}

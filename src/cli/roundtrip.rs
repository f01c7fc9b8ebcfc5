//! `outbound roundtrip --profile NAME [--to ADDR] [--wait SECS] [--keep] [--json]`:
//! sends a marked test message through the saved profile's SMTP server and
//! waits for it in its IMAP mailbox (`core::roundtrip`). Prints each step as it
//! finishes, then when and where the message arrived, its path and verdicts;
//! or one JSON object with `--json`. Exit codes as `outbound check`: 0 arrived
//! in the INBOX, 1 a problem (not delivered, delivered to spam, a failed
//! step), 2 bad usage or environment, 130 Ctrl+C.

use std::time::Duration;

use clap::Args;

use super::check::{Interrupt, from_keyring, interruptible};
use super::output::{errln, outln};
use super::{Failure, Status, print_json};
use crate::core::check::{Code, Diagnosis, Report as CheckReport, credential, saved};
use crate::core::imap;
use crate::core::profile::AuthMethod;
use crate::core::roundtrip::{self, Report};
use crate::core::store::{Paths, Store, StoreError};
use crate::fl;

#[derive(Debug, Args)]
pub struct RoundtripArgs {
    #[arg(long, value_name = "NAME")]
    pub profile: String,
    #[arg(long, value_name = "ADDR")]
    pub to: Option<String>,
    #[arg(long, value_name = "SECS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub wait: u64,
    #[arg(long)]
    pub keep: bool,
    #[arg(long)]
    pub json: bool,
}

pub async fn run(args: RoundtripArgs) -> Result<Status, Failure> {
    let account = match load(&args.profile) {
        Ok(account) => account,
        Err(failure) => {
            let reason = failure.localize();
            errln!("{reason}");
            if args.json {
                print_json(&super::check::not_started_json(&reason));
            }
            return Ok(Status::Usage);
        }
    };
    let profile = account.saved.clone();
    let mut interrupt = Interrupt::new();
    // A signed-in profile (OAuth 2.0) sends its access token on both sides,
    // read and refreshed once by the SMTP check's own function.
    let token = if credential::may_use_token(profile.smtp.auth)
        || imap::credentials::may_use_token(&profile)
    {
        tokio::select! {
            biased;
            () = interrupt.heard() => return Ok(cancelled(&args, Vec::new())),
            fetched = credential::signed_in_token(&account) => match fetched {
                Ok(token) => token,
                Err(error) => return Ok(not_started(&args, error.report())),
            },
        }
    } else {
        None
    };
    let smtp_token = token
        .clone()
        .filter(|_| credential::may_use_token(profile.smtp.auth));
    let smtp_token_held = smtp_token.is_some();
    let smtp_password = if matches!(profile.smtp.auth, AuthMethod::None | AuthMethod::Gssapi) {
        None
    } else if smtp_token.is_some() {
        smtp_token
    } else {
        tokio::select! {
            biased;
            () = interrupt.heard() => return Ok(cancelled(&args, Vec::new())),
            fetched = from_keyring(Some(&account)) => match fetched {
                Ok(password) => password,
                Err(report) => return Ok(not_started(&args, report)),
            },
        }
    };
    let imap_token = token.filter(|_| imap::credentials::may_use_token(&profile));
    let imap_token_held = imap_token.is_some();
    let imap_password = if imap_token.is_some() {
        imap_token
    } else if profile.imap.separate_password || smtp_token_held {
        // Its own password, or the profile's when SMTP sends the token: an
        // IMAP side set to a password mechanism never gets the token.
        let fetched = async {
            if profile.imap.separate_password {
                roundtrip::imap_password(&account).await
            } else {
                from_keyring(Some(&account)).await
            }
        };
        tokio::select! {
            biased;
            () = interrupt.heard() => return Ok(cancelled(&args, Vec::new())),
            fetched = fetched => match fetched {
                Ok(password) => password,
                Err(report) => return Ok(not_started(&args, report)),
            },
        }
    } else {
        smtp_password.clone()
    };
    let wait = Duration::from_secs(args.wait);
    let outcome = interruptible(&mut interrupt, args.json, |progress| {
        let options = roundtrip::Options {
            to: args.to.clone(),
            wait,
            keep: args.keep,
            smtp_password,
            imap_password,
            smtp_token: smtp_token_held,
            imap_token: imap_token_held,
            extra_roots: Vec::new(),
            progress,
        };
        let profile = profile.clone();
        let account = account.clone();
        async move { roundtrip::run(&profile, Some(&account), options).await }
    })
    .await;
    match outcome {
        Ok(report) => {
            for note in &report.notes {
                errln!("{note}");
            }
            Ok(finish(&args, &report))
        }
        Err(steps) => Ok(cancelled(&args, steps)),
    }
}

fn load(name: &str) -> Result<saved::Account, Failure> {
    let paths = Paths::from_environment()?;
    let stored = Store::new(paths.clone())
        .load_all()
        .find(name)
        .cloned()
        .ok_or_else(|| StoreError::NotFound(name.to_owned()))?;
    Ok(saved::Account {
        paths,
        scope: stored.scope,
        saved: stored.profile,
    })
}

fn not_started(args: &RoundtripArgs, check: CheckReport) -> Status {
    finish(args, &Report::not_started(check));
    Status::Usage
}

fn cancelled(args: &RoundtripArgs, steps: Vec<crate::core::check::Step>) -> Status {
    finish(args, &Report::cancelled(steps));
    Status::Cancelled
}

fn finish(args: &RoundtripArgs, report: &Report) -> Status {
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

fn delay(ms: i64) -> String {
    if ms.abs() < 1000 {
        fl!("roundtrip-milliseconds", value = ms.to_string())
    } else {
        fl!(
            "roundtrip-seconds",
            value = format!("{:.1}", ms as f64 / 1000.0)
        )
    }
}

fn print_summary(report: &Report) {
    outln!();
    // The token is made before anything is sent: only a message the server
    // took was "sent".
    let sent = report.send.as_ref().is_some_and(|send| send.sent);
    if sent && !report.token.is_empty() {
        outln!(
            "{}",
            fl!(
                "cli-roundtrip-sent",
                to = report.to.clone(),
                token = report.token.clone()
            )
        );
    }
    if let (Some(folder), Some(ms)) = (&report.folder, report.delay_ms) {
        outln!(
            "{}",
            fl!(
                "cli-roundtrip-arrived",
                folder = folder.clone(),
                delay = delay(i64::try_from(ms).unwrap_or(i64::MAX))
            )
        );
    }
    for (number, hop) in (1_usize..).zip(&report.hops) {
        outln!(
            "  {}",
            fl!(
                "cli-roundtrip-hop",
                number = number.to_string(),
                from = hop.from.clone().unwrap_or_else(|| "?".into()),
                by = hop.by.clone().unwrap_or_else(|| "?".into()),
                with = hop.with.clone().unwrap_or_default(),
                delay = hop.delay_ms.map(delay).unwrap_or_default()
            )
        );
    }
    for verdict in &report.verdicts {
        outln!(
            "  {}",
            fl!(
                "cli-roundtrip-verdict",
                method = verdict.method.to_ascii_uppercase(),
                result = verdict.result.clone(),
                by = verdict.by.clone()
            )
        );
    }
    let diagnosis: &Diagnosis = &report.diagnosis;
    outln!("{} [{}]", diagnosis.message(), diagnosis.code.as_str());
    if !diagnosis.is_ok() && diagnosis.code != Code::Cancelled {
        outln!("{}", fl!("cli-check-hint", hint = diagnosis.hint()));
    }
}

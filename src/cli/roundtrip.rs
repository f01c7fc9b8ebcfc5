//! `outbound roundtrip --profile NAME [--to ADDR] [--wait SECS] [--keep] [--json]`:
//! sends a marked test message through the saved profile's SMTP server and
//! waits for it in its IMAP mailbox (`core::roundtrip`). Prints each step as it
//! finishes, then when and where the message arrived, its path and verdicts;
//! or one JSON object with `--json`. Exit codes as `outbound check`: 0 arrived
//! in the INBOX, 1 a problem (not delivered, delivered to spam, a failed
//! step), 2 bad usage or environment, 130 Ctrl+C.

use std::time::Duration;

use clap::Args;

use super::check::{Interrupt, interruptible};
use super::output::{errln, outln};
use super::{Failure, Status, print_json};
use crate::core::check::{Code, Diagnosis, saved};
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
    let mut options = roundtrip::Options {
        to: args.to.clone(),
        wait: Duration::from_secs(args.wait),
        keep: args.keep,
        ..roundtrip::Options::default()
    };
    // The token on the sides that may send it, else the keyring's passwords.
    tokio::select! {
        biased;
        () = interrupt.heard() => return Ok(cancelled(&args, Vec::new())),
        fetched = roundtrip::from_keyring(&account, &profile, &mut options) => {
            if let Err(report) = fetched {
                return Ok(finish_not_started(&args, &report));
            }
        }
    }
    let outcome = interruptible(&mut interrupt, args.json, |progress| {
        options.progress = progress;
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

fn finish_not_started(args: &RoundtripArgs, report: &Report) -> Status {
    finish(args, report);
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

//! `outbound detect ADDRESS [--probe] [--json]`: settings discovery.

use super::output::outln;
use super::{Failure, Status, print_json};
use crate::core::directory::{UserDirectory, parse_address};
use crate::core::discover::probe::Outcome;
use crate::core::discover::{self, Detection, Options, SourceStatus};
use crate::core::store::Paths;
use crate::fl;
use crate::i18n::{self, Localize};

pub async fn run(address: String, probe: bool, json: bool) -> Result<Status, Failure> {
    let parsed = parse_address(&address).ok_or_else(|| BadAddress(address.clone()))?;
    let user = UserDirectory::new(&Paths::from_environment()?);
    let directory = super::directory::load(&user);
    let options = Options {
        probe,
        ..Options::default()
    };
    let detection = discover::detect(&parsed, &directory, &options).await;
    if json {
        print_json(&serde_json::to_value(&detection).unwrap_or_default());
    } else {
        print_text(&detection);
    }
    Ok(if detection.winner.is_some() {
        Status::Success
    } else {
        Status::Problem
    })
}

fn print_text(detection: &Detection) {
    match &detection.winner {
        Some(found) => {
            outln!(
                "{}",
                fl!(
                    "detect-found",
                    host = found.smtp.host.clone(),
                    port = found.smtp.port,
                    security = found.smtp.security.as_str(),
                    source = source_label(found.source)
                )
            );
            if let Some(provider) = &found.provider {
                outln!(
                    "{}",
                    fl!(
                        "detect-provider",
                        name = provider.name.clone(),
                        login = provider.login.as_str(),
                        auth = provider.auth.as_str()
                    )
                );
                for note in &provider.notes {
                    outln!("  {note}");
                }
            }
            if found.insecure {
                outln!("{}", fl!("detect-insecure"));
            }
        }
        None => outln!("{}", fl!("detect-none", domain = detection.domain.clone())),
    }
    outln!();
    for report in &detection.sources {
        let status = match &report.status {
            SourceStatus::Answered { smtp, detail } => {
                format!(
                    "{} {}:{} {} ({detail})",
                    fl!("detect-status-answered"),
                    smtp.host,
                    smtp.port,
                    smtp.security.as_str()
                )
            }
            SourceStatus::Failed { reason } => format!("{}: {reason}", fl!("detect-status-failed")),
            SourceStatus::Cancelled => fl!("detect-status-cancelled"),
            SourceStatus::TimedOut => fl!("detect-status-timed-out"),
        };
        outln!(
            "  {:<28} {status}  {} ms",
            source_label(report.source),
            report.elapsed_ms
        );
    }
    if let Some(probe) = &detection.probe {
        outln!();
        outln!("{}", fl!("detect-probe-header", ms = probe.elapsed_ms));
        for report in &probe.candidates {
            let c = &report.candidate;
            let what = match (&report.outcome, &report.lost_because) {
                (Outcome::Answered { greeting, .. }, None) => {
                    format!("{} {greeting}", fl!("detect-probe-winner"))
                }
                (_, Some(reason)) => reason.clone(),
                (_, None) => String::new(),
            };
            outln!(
                "  {:>2}. {}:{} {:<8} {:>5} ms  {what}",
                report.rank + 1,
                c.host,
                c.port,
                c.security.as_str(),
                report.elapsed_ms
            );
        }
    }
}

pub(super) fn source_label(source: discover::Source) -> String {
    i18n::tr(&format!("source-{}", source.as_str().replace('_', "-")))
}

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not an e-mail address")]
struct BadAddress(String);

impl Localize for BadAddress {
    fn localize(&self) -> String {
        fl!("detect-bad-address", address = self.0.clone())
    }
}

//! The transport of a flush: [`send::deliver`], the same delivery as
//! `outbound send` — one SMTP connection for the profile's whole batch, or
//! its sendmail program once per message — with the OAuth token or the
//! password from the keyring, as the check chooses. A keyring that cannot be read keeps the batch queued (a
//! temporary failure); a missing outcome is never taken as sent.

use crate::core::check::msglog;
use crate::core::send::{self, Envelope, Outcome, Outgoing, pipeline};
use crate::core::store::{Paths, StoredProfile};
use crate::i18n::Localize;

use super::flush::{BatchResult, Item, ItemResult, Transport};

pub struct LocalTransport;

impl Transport for LocalTransport {
    async fn send(&self, paths: &Paths, stored: &StoredProfile, items: &[Item]) -> BatchResult {
        let options = match pipeline::credential(paths, stored.scope, &stored.profile).await {
            Ok(options) => options,
            Err(error) => {
                let failed = ItemResult::Failed {
                    temporary: error.temporary(),
                    status: None,
                    reason: error.localize(),
                    exit: error.exit().name().to_owned(),
                };
                return BatchResult {
                    results: vec![failed; items.len()],
                    transcript: Vec::new(),
                };
            }
        };
        let messages: Vec<Outgoing> = items.iter().map(outgoing).collect();
        let delivery = send::deliver(&stored.profile, options, &messages).await;
        BatchResult {
            results: delivery.outcomes.into_iter().map(item_result).collect(),
            transcript: delivery.report.transcript,
        }
    }
}

fn outgoing(item: &Item) -> Outgoing {
    Outgoing {
        envelope: Envelope {
            sender: item.meta.sender.clone(),
            recipients: item.meta.recipients.clone(),
            dsn: item.meta.dsn.clone(),
        },
        message: item.message.clone(),
    }
}

fn item_result(outcome: Outcome) -> ItemResult {
    match outcome {
        Outcome::Sent { reply } => ItemResult::Sent { reply },
        Outcome::Failed(failure) => ItemResult::Failed {
            temporary: failure.temporary,
            status: failure.reply.as_deref().and_then(msglog::reply_status),
            reason: failure.describe(),
            exit: failure.exit.name().to_owned(),
        },
    }
}

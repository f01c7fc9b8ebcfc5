//! When the queue tries a message again, and when it gives up.
//!
//! The clock is the system's, unless `OUTBOUND_QUEUE_NOW` (unix seconds) says
//! otherwise; the give-up age is 5 days unless `OUTBOUND_QUEUE_GIVE_UP`
//! (seconds) says otherwise. Both are read where they are used, so a test can
//! run the built binary "5 days later" without waiting.

/// Default age after which a message still not delivered is given up.
pub const GIVE_UP_SECS: i64 = 5 * 24 * 3600;

/// Waits after the 1st, 2nd, … failed attempt; the last repeats.
const BACKOFF_SECS: [i64; 6] = [5 * 60, 15 * 60, 30 * 60, 3600, 2 * 3600, 4 * 3600];

/// Now, in unix seconds.
pub fn now() -> i64 {
    if let Some(forced) = std::env::var("OUTBOUND_QUEUE_NOW")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return forced;
    }
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The age after which a message is given up.
pub fn give_up_secs() -> i64 {
    std::env::var("OUTBOUND_QUEUE_GIVE_UP")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|secs| *secs >= 0)
        .unwrap_or(GIVE_UP_SECS)
}

/// When to try again after `attempts` failed attempts (at least 1).
pub fn next_attempt(now: i64, attempts: u32) -> i64 {
    let index = (attempts.max(1) as usize - 1).min(BACKOFF_SECS.len() - 1);
    now.saturating_add(BACKOFF_SECS[index])
}

/// Whether a message queued at `queued_at` is past the give-up age at `now`.
pub fn given_up(queued_at: i64, now: i64, give_up: i64) -> bool {
    now.saturating_sub(queued_at) >= give_up
}

/// A time for people: `2026-12-02T18:20:41Z`.
pub fn format(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waits_grow_then_stay() {
        assert_eq!(next_attempt(1000, 1), 1300);
        assert_eq!(next_attempt(1000, 2), 1900);
        assert_eq!(next_attempt(0, 6), 4 * 3600);
        assert_eq!(next_attempt(0, 60), 4 * 3600);
        assert!(given_up(0, GIVE_UP_SECS, GIVE_UP_SECS));
        assert!(!given_up(0, GIVE_UP_SECS - 1, GIVE_UP_SECS));
        assert_eq!(format(0), "1970-01-01T00:00:00Z");
    }
}

//! What the round trip reads from the arrived message's header: the `Received`
//! hops with their timestamps (the delivery path) and the
//! `Authentication-Results` verdicts (SPF, DKIM, DMARC).
//!
//! Everything here comes from a server (and, through it, from whoever sent the
//! message): nothing panics on any input, and what cannot be read is left out.

use serde::Serialize;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The header fields of a message (its bytes up to the empty line), unfolded:
/// `(name, value)` in the order they appear, names as written.
pub fn fields(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            fields.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    fields
}

/// One `Received` field: who handed the message to whom, how, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// The `from` clause's name (what the sending side called itself).
    pub from: Option<String>,
    /// The `by` clause's name (the server that received it).
    pub by: Option<String>,
    /// The protocol: `ESMTPSA`, `LMTP`, `Microsoft SMTP Server`…
    pub with: Option<String>,
    /// The timestamp after the last `;`, as RFC 3339.
    #[serde(serialize_with = "rfc3339")]
    pub at: Option<OffsetDateTime>,
    /// Milliseconds since the hop before (for the first hop: since the
    /// submission); negative when the clocks disagree; `None` without timestamps.
    pub delay_ms: Option<i64>,
}

/// A moment as RFC 3339 text (`2026-12-02T18:20:41Z`), for JSON and reports.
pub fn rfc3339_text(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn rfc3339<S: serde::Serializer>(at: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&rfc3339_text(*at)),
        None => s.serialize_none(),
    }
}

/// The hops of a header, earliest first (the fields are written newest on top).
pub fn hops(fields: &[(String, String)], submitted: Option<OffsetDateTime>) -> Vec<Hop> {
    let mut hops: Vec<Hop> = fields
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("Received"))
        .map(|(_, value)| received(value))
        .collect();
    hops.reverse();
    let mut previous = submitted;
    for hop in &mut hops {
        hop.delay_ms = match (previous, hop.at) {
            (Some(before), Some(at)) => {
                let ms = (at - before).whole_milliseconds();
                Some(i64::try_from(ms).unwrap_or(i64::MAX))
            }
            _ => None,
        };
        if hop.at.is_some() {
            previous = hop.at;
        }
    }
    hops
}

/// Parses one `Received` value (RFC 5321 §4.4, with what real servers write).
pub fn received(value: &str) -> Hop {
    let (clauses, date) = match value.rsplit_once(';') {
        Some((clauses, date)) => (clauses, Some(date)),
        None => (value, None),
    };
    let words = words_outside_comments(clauses);
    let after = |keyword: &str| -> Option<String> {
        let at = words.iter().position(|w| w.eq_ignore_ascii_case(keyword))?;
        words.get(at + 1).cloned()
    };
    // `with` may be several words before the next clause (Exchange: "with
    // Microsoft SMTP Server").
    let with = words
        .iter()
        .position(|w| w.eq_ignore_ascii_case("with"))
        .map(|at| {
            words[at + 1..]
                .iter()
                .take_while(|w| {
                    !["id", "for", "via", "from", "by"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k))
                })
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|w| !w.is_empty());
    Hop {
        from: after("from"),
        by: after("by"),
        with,
        at: date.and_then(parse_date),
        delay_ms: None,
    }
}

/// The words of `text` with `(comments)` removed (they nest, RFC 5322 §3.2.2).
fn words_outside_comments(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                plain.push(c);
            }
            continue;
        }
        match c {
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => plain.push(' '),
        }
    }
    plain.split_whitespace().map(str::to_owned).collect()
}

/// An RFC 5322 date (`Wed, 2 Dec 2026 18:20:41 +0000 (UTC)`), also the
/// obsolete zones (`GMT`, `UT`, `EST`…) and a missing day name or seconds.
pub fn parse_date(text: &str) -> Option<OffsetDateTime> {
    let words = words_outside_comments(&text.replace(',', " "));
    let mut words: &[String] = &words;
    if words
        .first()
        .is_some_and(|w| w.chars().next().is_some_and(char::is_alphabetic))
    {
        words = &words[1..];
    }
    let [day, month, year, clock, rest @ ..] = words else {
        return None;
    };
    let day: u8 = day.parse().ok()?;
    let month = month_of(month)?;
    let mut year: i32 = year.parse().ok()?;
    if year < 100 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let mut parts = clock.split(':');
    let hour: u8 = parts.next()?.parse().ok()?;
    let minute: u8 = parts.next()?.parse().ok()?;
    let second: u8 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    let offset = zone(rest.first().map_or("+0000", String::as_str))?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms(hour, minute, second.min(59)).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

fn month_of(name: &str) -> Option<Month> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.get(..3)?.to_ascii_lowercase();
    let index = NAMES.iter().position(|n| *n == lower)?;
    Month::try_from(u8::try_from(index + 1).ok()?).ok()
}

fn zone(text: &str) -> Option<UtcOffset> {
    let hours = match text.to_ascii_uppercase().as_str() {
        "UT" | "UTC" | "GMT" | "Z" => Some(0),
        "EDT" => Some(-4),
        "EST" | "CDT" => Some(-5),
        "CST" | "MDT" => Some(-6),
        "MST" | "PDT" => Some(-7),
        "PST" => Some(-8),
        _ => None,
    };
    if let Some(hours) = hours {
        return UtcOffset::from_hms(hours, 0, 0).ok();
    }
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i8 = digits[..2].parse().ok()?;
    let minutes: i8 = digits[2..].parse().ok()?;
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

/// One method's verdict from an `Authentication-Results` field (RFC 8601).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Who judged: the field's authserv-id (`mx.google.com`).
    pub by: String,
    /// `spf`, `dkim`, `dmarc`, `arc`… (lower case).
    pub method: String,
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`…
    pub result: String,
    /// The rest of the clause (`header.i=@example.org`), comments removed.
    pub properties: String,
}

/// Every verdict of every `Authentication-Results` field, in order.
pub fn verdicts(fields: &[(String, String)]) -> Vec<Verdict> {
    fields
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("Authentication-Results"))
        .flat_map(|(_, value)| authentication_results(value))
        .collect()
}

/// The verdicts of one `Authentication-Results` value.
pub fn authentication_results(value: &str) -> Vec<Verdict> {
    let clean = words_outside_comments(value).join(" ");
    let mut clauses = clean.split(';').map(str::trim);
    let by = clauses
        .next()
        .and_then(|id| id.split_whitespace().next())
        .unwrap_or_default()
        .to_owned();
    clauses
        .filter_map(|clause| {
            let (method, rest) = clause.split_once('=')?;
            let method = method.trim().to_ascii_lowercase();
            // A version after the method (`dkim/1=pass`) is allowed.
            let method = method.split('/').next().unwrap_or_default().to_owned();
            if method.is_empty() || method.contains(' ') {
                return None;
            }
            let rest = rest.trim();
            let (result, properties) = rest.split_once(' ').unwrap_or((rest, ""));
            Some(Verdict {
                by: by.clone(),
                method,
                result: result.to_ascii_lowercase(),
                properties: properties.trim().to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// A Gmail-delivered message's header (shortened values, real shapes).
    const GMAIL: &str = "Delivered-To: someone@gmail.com\r\n\
Received: by 2002:a05:7300:5d8a:b0:f2:a4c7:1b0d with SMTP id e10csp1370207dyb;\r\n        Wed, 2 Dec 2026 10:21:05 -0800 (PST)\r\n\
X-Received: by 2002:a17:907:7f8b:b0:a9a:1b6 with SMTP id qk11mr1;\r\n        Wed, 02 Dec 2026 10:21:05 -0800 (PST)\r\n\
ARC-Seal: i=1; a=rsa-sha256; t=1733163665; cv=none;\r\n\
Received: from mail.example.org (mail.example.org. [203.0.113.7])\r\n        by mx.google.com with ESMTPS id a640c23a62f3a-a9a2;\r\n        for <someone@gmail.com>\r\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\r\n        Wed, 02 Dec 2026 10:21:04 -0800 (PST)\r\n\
Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@example.org header.s=mail header.b=Ab3dEf;\r\n       spf=pass (google.com: domain of sender@example.org designates 203.0.113.7 as permitted sender) smtp.mailfrom=sender@example.org;\r\n       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=example.org\r\n\
Received: from [192.168.1.20] (unknown [198.51.100.4])\r\n\tby mail.example.org (Postfix) with ESMTPSA id 4Y3LgC1bq2z9rxL\r\n\tfor <someone@gmail.com>; Wed,  2 Dec 2026 18:21:03 +0000 (UTC)\r\n\
Subject: test\r\n\
\r\n\
body: Received: from nowhere; Wed, 2 Dec 2026 00:00:00 +0000\r\n";

    /// Postfix submission, then LMTP into Dovecot (what the loopback stack writes).
    const POSTFIX_DOVECOT: &str = "Return-Path: <u41@outbound.test>\n\
Delivered-To: u41@outbound.test\n\
Received: from localhost\n\tby localhost with LMTP\n\tid 0DlRHBr4TWfVSAAAfQ2G2A\n\t(envelope-from <u41@outbound.test>)\n\tfor <u41@outbound.test>; Wed, 02 Dec 2026 18:22:10 +0000\n\
Received: from [127.0.0.1] (localhost [127.0.0.1])\n\tby mail.outbound.test (Postfix) with ESMTPSA id 5C1A81E0E5A\n\tfor <u41@outbound.test>; Wed,  2 Dec 2026 18:22:09 +0000 (UTC)\n\
Subject: Outbound test [OB-1]\n\n";

    /// Exchange Online: several words after `with`, a `-0000` style zone.
    const EXCHANGE: &str = "Received: from DB9PR02MB7225.eurprd02.prod.outlook.com\r\n (2603:10a6:10:2a1::18) by AM9PR02MB6617.eurprd02.prod.outlook.com with\r\n HTTPS; Wed, 2 Dec 2026 18:30:02 +0000\r\n\
Received: from AS9PR06CA0321.eurprd06.prod.outlook.com (2603:10a6:20b:45b::26)\r\n by DB9PR02MB7225.eurprd02.prod.outlook.com (2603:10a6:10:2a1::18) with\r\n Microsoft SMTP Server (version=TLS1_2,\r\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8207.18; Wed, 2 Dec\r\n 2026 18:30:01 +0000\r\n\
Authentication-Results: spf=softfail (sender IP is 203.0.113.9)\r\n smtp.mailfrom=example.com; dkim=none (message not signed)\r\n header.d=none;dmarc=fail action=none header.from=example.com;compauth=fail\r\n reason=001\r\n\
\r\n";

    #[test]
    fn gmail_hops_are_read_earliest_first_with_their_delays() {
        let fields = fields(GMAIL.as_bytes());
        // The body's look-alike line is not a field.
        assert_eq!(
            fields
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("received"))
                .count(),
            3
        );
        let submitted = datetime!(2026-12-02 18:21:02.5 UTC);
        let hops = hops(&fields, Some(submitted));
        assert_eq!(hops.len(), 3);
        assert_eq!(hops[0].from.as_deref(), Some("[192.168.1.20]"));
        assert_eq!(hops[0].by.as_deref(), Some("mail.example.org"));
        assert_eq!(hops[0].with.as_deref(), Some("ESMTPSA"));
        assert_eq!(hops[0].at, Some(datetime!(2026-12-02 18:21:03 UTC)));
        assert_eq!(hops[0].delay_ms, Some(500));
        assert_eq!(hops[1].from.as_deref(), Some("mail.example.org"));
        assert_eq!(hops[1].by.as_deref(), Some("mx.google.com"));
        assert_eq!(hops[1].with.as_deref(), Some("ESMTPS"));
        assert_eq!(hops[1].at, Some(datetime!(2026-12-02 18:21:04 UTC)));
        assert_eq!(hops[1].delay_ms, Some(1000));
        // -0800 (PST): the same instant line as UTC 18:21:05.
        assert_eq!(hops[2].from, None);
        assert_eq!(hops[2].at, Some(datetime!(2026-12-02 18:21:05 UTC)));
        assert_eq!(hops[2].delay_ms, Some(1000));
    }

    #[test]
    fn gmail_verdicts_name_spf_dkim_and_dmarc() {
        let verdicts = verdicts(&fields(GMAIL.as_bytes()));
        let summary: Vec<_> = verdicts
            .iter()
            .map(|v| (v.by.as_str(), v.method.as_str(), v.result.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("mx.google.com", "dkim", "pass"),
                ("mx.google.com", "spf", "pass"),
                ("mx.google.com", "dmarc", "pass"),
            ]
        );
        assert_eq!(verdicts[1].properties, "smtp.mailfrom=sender@example.org");
        assert_eq!(verdicts[2].properties, "header.from=example.org");
    }

    #[test]
    fn postfix_then_dovecot_lmtp() {
        let submitted = datetime!(2026-12-02 18:22:09 UTC);
        let hops = hops(&fields(POSTFIX_DOVECOT.as_bytes()), Some(submitted));
        assert_eq!(hops.len(), 2);
        assert_eq!(hops[0].by.as_deref(), Some("mail.outbound.test"));
        assert_eq!(hops[0].delay_ms, Some(0));
        assert_eq!(hops[1].with.as_deref(), Some("LMTP"));
        assert_eq!(hops[1].at, Some(datetime!(2026-12-02 18:22:10 UTC)));
        assert_eq!(hops[1].delay_ms, Some(1000));
    }

    #[test]
    fn exchange_hops_and_results_without_an_authserv_id() {
        let fields = fields(EXCHANGE.as_bytes());
        let hops = hops(&fields, None);
        assert_eq!(
            hops[0].with.as_deref(),
            Some("Microsoft SMTP Server"),
            "{hops:?}"
        );
        assert_eq!(hops[0].at, Some(datetime!(2026-12-02 18:30:01 UTC)));
        assert_eq!(hops[0].delay_ms, None, "no submission time given");
        assert_eq!(hops[1].with.as_deref(), Some("HTTPS"));
        assert_eq!(hops[1].delay_ms, Some(1000));
        // Exchange writes no authserv-id: the first clause is a verdict then.
        let results: Vec<_> = verdicts(&fields)
            .into_iter()
            .map(|v| (v.method, v.result))
            .collect();
        assert!(
            results.contains(&("dkim".to_owned(), "none".to_owned()))
                && results.contains(&("dmarc".to_owned(), "fail".to_owned())),
            "{results:?}"
        );
    }

    #[test]
    fn dates_in_the_forms_servers_write() {
        let utc = datetime!(2026-12-02 18:20:41 UTC);
        for text in [
            "Wed, 2 Dec 2026 18:20:41 +0000",
            "Wed,  2 Dec 2026 18:20:41 +0000 (UTC)",
            "2 Dec 2026 18:20:41 GMT",
            "Wed, 02 Dec 26 13:20:41 EST",
            "Wed, 2 Dec 2026 21:20:41 +0300 (MSK)",
        ] {
            assert_eq!(parse_date(text), Some(utc), "{text}");
        }
        assert_eq!(
            parse_date("Wed, 2 Dec 2026 18:20 +0000"),
            Some(datetime!(2026-12-02 18:20:00 UTC))
        );
        for junk in [
            "",
            "yesterday",
            "Wed, 32 Dec 2026 18:20:41 +0000",
            "2 Foo 2026 1:2:3 +0000",
        ] {
            assert_eq!(parse_date(junk), None, "{junk}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        for text in ["", ";", "from", "from (((", "by ) ) with ;;; ", "é;é"] {
            let _ = received(text);
            let _ = authentication_results(text);
        }
        assert!(fields(b"\xff\xfe: x\r\n x").len() == 1);
    }
}

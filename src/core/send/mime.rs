//! The message's bytes for the wire: CRLF line ends, and a transfer encoding
//! that a server without 8BITMIME (RFC 6152) can take: every 8-bit part of
//! the message, also inside multipart bodies, re-encoded quoted-printable.

/// The longest line SMTP carries (RFC 5321 §4.5.3.1.6), without its CRLF.
pub const MAX_LINE: usize = 998;

/// `bytes` with every line ending in CRLF (a bare LF gets its CR).
pub fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32 + 2);
    let mut previous = 0u8;
    for &b in bytes {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    out
}

/// Splits a message (CRLF or LF lines) into its header block (with the line
/// end of its last field) and its body (after the empty line).
pub fn split(message: &[u8]) -> (&[u8], &[u8]) {
    let mut start = 0;
    while start < message.len() {
        let end = message[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(message.len(), |i| start + i + 1);
        let line = &message[start..end];
        if line == b"\r\n" || line == b"\n" {
            return (&message[..start], &message[end..]);
        }
        start = end;
    }
    (message, &[])
}

/// Whether any byte is 8-bit.
pub fn has_eight_bit(bytes: &[u8]) -> bool {
    bytes.iter().any(|b| *b >= 0x80)
}

/// Whether a line (without its line end) is longer than SMTP allows.
pub fn has_long_line(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .any(|line| line.strip_suffix(b"\r").unwrap_or(line).len() > MAX_LINE)
}

/// The message with every part that has 8-bit bytes or over-long lines
/// re-encoded quoted-printable (its `Content-Transfer-Encoding` replaced).
/// Parts already in base64 or quoted-printable stay as they are.
pub fn seven_bit(message: &[u8]) -> Vec<u8> {
    reencode(&crlf(message), 0)
}

/// One entity (headers and body), `depth` deep in multipart nesting.
fn reencode(entity: &[u8], depth: usize) -> Vec<u8> {
    let (head, body) = split(entity);
    let fields = super::headers::Fields::parse(head);
    let content_type = fields.get("Content-Type").unwrap_or_default();
    let encoding = fields
        .get("Content-Transfer-Encoding")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if let Some(boundary) = boundary(&content_type).filter(|_| depth < 16) {
        let mut out = head.to_vec();
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&reencode_parts(body, &boundary, depth));
        return out;
    }
    let needs = (has_eight_bit(body) || has_long_line(body))
        && !matches!(encoding.as_str(), "base64" | "quoted-printable");
    if !needs {
        return entity.to_vec();
    }
    let mut fields = fields;
    fields.remove("Content-Transfer-Encoding");
    fields.push("Content-Transfer-Encoding", "quoted-printable");
    let mut out = fields.render();
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&quoted_printable(body));
    out
}

fn reencode_parts(body: &[u8], boundary: &str, depth: usize) -> Vec<u8> {
    let delimiter = format!("--{boundary}");
    let mut out = Vec::with_capacity(body.len() + body.len() / 8);
    let mut part: Option<Vec<u8>> = None;
    for line in body.split_inclusive(|&b| b == b'\n') {
        let text = line.strip_suffix(b"\r\n").unwrap_or(line);
        let is_delimiter = text.starts_with(delimiter.as_bytes())
            && text[delimiter.len()..]
                .iter()
                .all(|b| matches!(b, b'-' | b' ' | b'\t'));
        if is_delimiter {
            if let Some(entity) = part.take() {
                // The CRLF before a delimiter belongs to the delimiter.
                let entity = entity.strip_suffix(b"\r\n").unwrap_or(&entity);
                out.extend_from_slice(&reencode(entity, depth + 1));
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(line);
            let closing = text[delimiter.len()..].starts_with(b"--");
            part = (!closing).then(Vec::new);
        } else if let Some(entity) = part.as_mut() {
            entity.extend_from_slice(line);
        } else {
            // Preamble and epilogue: shown by no client, made 7-bit anyway.
            out.extend(line.iter().map(|&b| if b >= 0x80 { b'?' } else { b }));
        }
    }
    if let Some(entity) = part {
        out.extend_from_slice(&reencode(&entity, depth + 1));
    }
    out
}

/// The `boundary` parameter of a multipart Content-Type.
fn boundary(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    if !lower.trim_start().starts_with("multipart/") {
        return None;
    }
    let at = lower.find("boundary=")?;
    let rest = &content_type[at + "boundary=".len()..];
    let value = if let Some(quoted) = rest.strip_prefix('"') {
        quoted.split('"').next()?
    } else {
        rest.split([';', ' ', '\t', '\r', '\n']).next()?
    };
    (!value.is_empty()).then(|| value.to_owned())
}

/// RFC 2045 §6.7 quoted-printable of a CRLF body: line breaks stay hard
/// breaks, lines are cut at 76 characters with soft breaks.
pub fn quoted_printable(body: &[u8]) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(body.len() * 3 / 2);
    let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    let count = lines.len();
    for (index, line) in lines.into_iter().enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if index + 1 == count && line.is_empty() {
            break; // the body ended with a line end
        }
        let mut width = 0;
        for (at, &b) in line.iter().enumerate() {
            let last = at + 1 == line.len();
            let literal = matches!(b, 33..=60 | 62..=126) || (matches!(b, b' ' | b'\t') && !last);
            let needed = if literal { 1 } else { 3 };
            if width + needed > 75 {
                out.extend_from_slice(b"=\r\n");
                width = 0;
            }
            if literal {
                out.push(b);
            } else {
                out.extend_from_slice(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
            width += needed;
        }
        if index + 1 < count {
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_eight_bit_body_becomes_quoted_printable_and_long_lines_are_cut() {
        let long = "x".repeat(1200);
        let message = format!(
            "Subject: t\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nПривет = мир \n{long}\n"
        );
        let out = String::from_utf8(seven_bit(message.as_bytes())).unwrap();
        assert!(
            out.contains("Content-Transfer-Encoding: quoted-printable\r\n"),
            "{out}"
        );
        assert!(!out.contains("8bit"), "{out}");
        assert!(out.contains("=D0=9F=D1=80"), "{out}");
        assert!(out.contains(" =3D "), "{out}");
        assert!(
            out.contains("=D1=80=20\r\n")
                || out.contains("=D1=80 =\r\n")
                || out.contains("=20\r\n"),
            "{out}"
        );
        assert!(out.is_ascii());
        assert!(out.lines().all(|l| l.len() <= 78), "{out}");
    }

    #[test]
    fn only_the_eight_bit_part_of_a_multipart_message_is_reencoded() {
        let message = "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npre\r\n--b1\r\nContent-Type: text/plain\r\n\r\nascii\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nü\r\n--b1--\r\n";
        let out = String::from_utf8(seven_bit(message.as_bytes())).unwrap();
        assert!(out.contains("\r\n\r\nascii\r\n--b1\r\n"), "{out}");
        assert!(
            out.contains("Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=BC\r\n--b1--"),
            "{out}"
        );
        assert!(out.is_ascii());
    }
}

//! The mailbox list of a bulk check: a CSV or TSV with a header row (`address`
//! and optionally `password`, `user`, `host`, `port`, `security`, `profile`),
//! or a plain list of addresses, one per line.
//!
//! Spreadsheets write these in many ways, so the reader takes a UTF-8 byte
//! order mark, `,` `;` or tab as the separator (whichever the header row has),
//! RFC 4180 quoting (a quoted field may hold separators, `""` and line breaks)
//! and CRLF or LF lines. A bad row is named by its line number and the other
//! rows still run; only a file that cannot be a list at all is refused whole.

use crate::core::profile::Security;
use crate::core::secret::Secret;
use crate::i18n::{self, Localize};

/// Bigger lists are refused before they are read: a bulk check of a few
/// thousand mailboxes is a few hundred KB, and the file is held in memory.
pub const MAX_LIST_BYTES: u64 = 50 * 1024 * 1024;

/// One mailbox to check, as its row gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line the row starts on (1 is the first line of the file).
    pub line: usize,
    pub address: String,
    pub password: Option<Secret>,
    pub user: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub security: Option<Security>,
    /// A saved profile whose settings fill what the row leaves out.
    pub profile: Option<String>,
}

/// A row that cannot be checked, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct RowError {
    pub line: usize,
    pub reason: RowProblem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowProblem {
    #[error("no address")]
    NoAddress,
    #[error("{0:?} is not a mail address")]
    BadAddress(String),
    #[error("port {0:?} is not a number from 1 to 65535")]
    BadPort(String),
    #[error("security {0:?} is not none, starttls or tls")]
    BadSecurity(String),
    #[error("{found} fields where the header has {expected}")]
    FieldCount { found: usize, expected: usize },
    #[error("a quote is not closed")]
    OpenQuote,
}

impl Localize for RowError {
    fn localize(&self) -> String {
        let reason = match &self.reason {
            RowProblem::NoAddress => i18n::tr("bulk-row-no-address"),
            RowProblem::BadAddress(text) => {
                i18n::tr_args("bulk-row-bad-address", &[("value", text.clone())])
            }
            RowProblem::BadPort(text) => {
                i18n::tr_args("bulk-row-bad-port", &[("value", text.clone())])
            }
            RowProblem::BadSecurity(text) => {
                i18n::tr_args("bulk-row-bad-security", &[("value", text.clone())])
            }
            RowProblem::FieldCount { found, expected } => i18n::tr_args(
                "bulk-row-field-count",
                &[
                    ("found", found.to_string()),
                    ("expected", expected.to_string()),
                ],
            ),
            RowProblem::OpenQuote => i18n::tr("bulk-row-open-quote"),
        };
        i18n::tr_args(
            "bulk-row-error",
            &[("line", self.line.to_string()), ("reason", reason)],
        )
    }
}

/// A file that is not a mailbox list at all.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("the list is {size} bytes, more than {max}")]
    TooBig { size: u64, max: u64 },
    #[error("the list is not UTF-8 text (line {line})")]
    NotText { line: usize },
    #[error("the header row has no `address` column")]
    NoAddressColumn,
    #[error("the list has no mailboxes")]
    Empty,
}

impl Localize for ListError {
    fn localize(&self) -> String {
        match self {
            ListError::TooBig { size, max } => i18n::tr_args(
                "bulk-list-too-big",
                &[("size", size.to_string()), ("max", max.to_string())],
            ),
            ListError::NotText { line } => {
                i18n::tr_args("bulk-list-not-text", &[("line", line.to_string())])
            }
            ListError::NoAddressColumn => i18n::tr("bulk-list-no-address-column"),
            ListError::Empty => i18n::tr("bulk-list-empty"),
        }
    }
}

/// The rows of a list, each checkable or named with its problem.
#[derive(Debug, Default)]
pub struct MailboxList {
    pub rows: Vec<Result<Row, RowError>>,
}

/// The columns a header may name (case and spaces do not matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Address,
    Password,
    User,
    Host,
    Port,
    Security,
    Profile,
    /// Another column of the spreadsheet: kept out of the way.
    Other,
}

impl Column {
    fn named(header: &str) -> Column {
        match header.trim().to_ascii_lowercase().as_str() {
            "address" | "email" | "e-mail" | "mail" => Column::Address,
            "password" => Column::Password,
            "user" | "username" | "login" => Column::User,
            "host" | "server" => Column::Host,
            "port" => Column::Port,
            "security" => Column::Security,
            "profile" | "template" => Column::Profile,
            _ => Column::Other,
        }
    }
}

/// Reads a list from its bytes (see the module's comment for what it takes).
pub fn parse(bytes: &[u8]) -> Result<MailboxList, ListError> {
    let size = bytes.len() as u64;
    if size > MAX_LIST_BYTES {
        return Err(ListError::TooBig {
            size,
            max: MAX_LIST_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| ListError::NotText {
        line: 1 + bytes[..error.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
    })?;
    let first = text.lines().find(|line| !line.trim().is_empty());
    let Some(first) = first else {
        return Err(ListError::Empty);
    };
    let separator = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|&s| first.bytes().filter(|&b| b == s).count())
        .filter(|&s| first.as_bytes().contains(&s));
    let records = records(text, separator.unwrap_or(b','));
    let mut records = records.into_iter().filter(|r| !r.is_blank());
    let Some(header) = records.next() else {
        return Err(ListError::Empty);
    };
    let columns: Vec<Column> = header.fields.iter().map(|f| Column::named(f)).collect();
    let list = if columns.contains(&Column::Address) {
        let rows = records.map(|record| row(&columns, record)).collect();
        MailboxList { rows }
    } else if separator.is_none() && header.fields.len() == 1 && header.fields[0].contains('@') {
        // No header and one field a line: a plain list of addresses.
        let all = std::iter::once(header).chain(records);
        let rows = all.map(|record| row(&[Column::Address], record)).collect();
        MailboxList { rows }
    } else {
        return Err(ListError::NoAddressColumn);
    };
    if list.rows.is_empty() {
        return Err(ListError::Empty);
    }
    Ok(list)
}

/// One record of the file: its fields and the line it starts on.
#[derive(Debug)]
struct Record {
    line: usize,
    fields: Vec<String>,
    open_quote: bool,
}

impl Record {
    fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Splits the text into records (RFC 4180; a quoted field may span lines).
fn records(text: &str, separator: u8) -> Vec<Record> {
    let separator = char::from(separator);
    let mut records = Vec::new();
    let mut line = 1;
    let mut current = Record {
        line,
        fields: Vec::new(),
        open_quote: false,
    };
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            '\n' if quoted => {
                line += 1;
                field.push('\n');
            }
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' => {
                line += 1;
                current.fields.push(std::mem::take(&mut field));
                let next = Record {
                    line,
                    fields: Vec::new(),
                    open_quote: false,
                };
                records.push(std::mem::replace(&mut current, next));
            }
            c if c == separator && !quoted => current.fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if quoted || !field.is_empty() || !current.fields.is_empty() {
        current.fields.push(field);
        current.open_quote = quoted;
        records.push(current);
    }
    records
}

/// A record read under the header's columns.
fn row(columns: &[Column], record: Record) -> Result<Row, RowError> {
    let line = record.line;
    let fail = |reason| Err(RowError { line, reason });
    if record.open_quote {
        return fail(RowProblem::OpenQuote);
    }
    // A spreadsheet may leave the trailing empty fields out, never add some.
    if record.fields.len() > columns.len()
        && record.fields[columns.len()..]
            .iter()
            .any(|f| !f.trim().is_empty())
    {
        return fail(RowProblem::FieldCount {
            found: record.fields.len(),
            expected: columns.len(),
        });
    }
    let mut row = Row {
        line,
        address: String::new(),
        password: None,
        user: None,
        host: None,
        port: None,
        security: None,
        profile: None,
    };
    for (column, field) in columns.iter().zip(record.fields) {
        // A password is taken as it is: spaces may be part of it.
        if *column == Column::Password {
            if !field.is_empty() {
                row.password = Some(Secret::from(field));
            }
            continue;
        }
        let value = field.trim();
        if value.is_empty() {
            continue;
        }
        match column {
            Column::Address => row.address = value.to_owned(),
            Column::User => row.user = Some(value.to_owned()),
            Column::Host => row.host = Some(value.to_owned()),
            Column::Port => match value.parse::<u16>() {
                Ok(port) if port > 0 => row.port = Some(port),
                _ => return fail(RowProblem::BadPort(value.to_owned())),
            },
            Column::Security => match security(value) {
                Some(security) => row.security = Some(security),
                None => return fail(RowProblem::BadSecurity(value.to_owned())),
            },
            Column::Profile => row.profile = Some(value.to_owned()),
            Column::Password | Column::Other => {}
        }
    }
    if row.address.is_empty() {
        return fail(RowProblem::NoAddress);
    }
    if crate::core::directory::parse_address(&row.address).is_none() {
        return fail(RowProblem::BadAddress(row.address));
    }
    Ok(row)
}

/// The names a spreadsheet is likely to use for each security.
fn security(text: &str) -> Option<Security> {
    match text.to_ascii_lowercase().as_str() {
        "none" | "plain" => Some(Security::None),
        "starttls" => Some(Security::Starttls),
        "tls" | "ssl" | "ssl/tls" | "implicit" => Some(Security::Tls),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_rows(list: &MailboxList) -> Vec<&Row> {
        list.rows.iter().filter_map(|r| r.as_ref().ok()).collect()
    }

    #[test]
    fn reads_comma_csv_with_bom_and_crlf() {
        let text =
            "\u{feff}address,password,port\r\na@example.org,s3cret,587\r\nb@example.org,,\r\n";
        let list = parse(text.as_bytes()).unwrap();
        let rows = ok_rows(&list);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].address, "a@example.org");
        assert_eq!(rows[0].password.as_ref().unwrap().expose(), "s3cret");
        assert_eq!(rows[0].port, Some(587));
        assert_eq!(rows[1].password, None);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn semicolons_quotes_and_a_field_over_two_lines() {
        let text = "Address;Password;Security\n\"a@example.org\";\"pa;ss \"\"x\"\"\";SSL\n\"b@example.org\";\"two\nlines\";starttls\nc@example.org;x;none\n";
        let list = parse(text.as_bytes()).unwrap();
        let rows = ok_rows(&list);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].password.as_ref().unwrap().expose(), "pa;ss \"x\"");
        assert_eq!(rows[0].security, Some(Security::Tls));
        assert_eq!(rows[1].password.as_ref().unwrap().expose(), "two\nlines");
        // The third row starts on line 5: the quoted line break counts.
        assert_eq!(rows[2].line, 5);
        assert_eq!(rows[2].security, Some(Security::None));
    }

    #[test]
    fn tabs_and_unknown_columns() {
        let text = "name\taddress\thost\nAnn\tann@example.org\tsmtp.example.org\n";
        let rows = parse(text.as_bytes()).unwrap().rows;
        let row = rows[0].as_ref().unwrap();
        assert_eq!(row.address, "ann@example.org");
        assert_eq!(row.host.as_deref(), Some("smtp.example.org"));
    }

    #[test]
    fn bad_rows_are_named_by_line_and_the_rest_stay() {
        let text = "address,port,security\n\
                    ok@example.org,587,starttls\n\
                    not-an-address,587,tls\n\
                    p@example.org,70000,tls\n\
                    s@example.org,465,maybe\n\
                    ,25,none\n\
                    f@example.org,25,none,extra\n\
                    \n\
                    last@example.org,,\n\
                    q@example.org,\"25\n";
        let rows = parse(text.as_bytes()).unwrap().rows;
        let problems: Vec<(usize, RowProblem)> = rows
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| (e.line, e.reason.clone()))
            .collect();
        assert_eq!(
            problems,
            vec![
                (3, RowProblem::BadAddress("not-an-address".into())),
                (4, RowProblem::BadPort("70000".into())),
                (5, RowProblem::BadSecurity("maybe".into())),
                (6, RowProblem::NoAddress),
                (
                    7,
                    RowProblem::FieldCount {
                        found: 4,
                        expected: 3
                    }
                ),
                (10, RowProblem::OpenQuote),
            ]
        );
        let good: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.address.as_str())
            .collect();
        assert_eq!(good, ["ok@example.org", "last@example.org"]);
    }

    #[test]
    fn a_plain_list_of_addresses() {
        let rows = parse(b"a@example.org\nb@example.org\n").unwrap().rows;
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.is_ok()));
    }

    #[test]
    fn whole_file_refusals() {
        assert!(matches!(parse(b""), Err(ListError::Empty)));
        assert!(matches!(parse(b"address\n\n"), Err(ListError::Empty)));
        assert!(matches!(
            parse(b"name,phone\nAnn,123\n"),
            Err(ListError::NoAddressColumn)
        ));
        assert!(matches!(
            parse(b"address\na@example.org\n\xff\n"),
            Err(ListError::NotText { line: 3 })
        ));
        let big = vec![b'a'; MAX_LIST_BYTES as usize + 1];
        assert!(matches!(parse(&big), Err(ListError::TooBig { .. })));
    }

    #[test]
    fn a_row_error_never_shows_the_password() {
        let rows = parse(b"address,password,port\na@example.org,hunter2,x\n")
            .unwrap()
            .rows;
        let error = rows[0].as_ref().unwrap_err();
        assert!(!format!("{error} {error:?}").contains("hunter2"));
    }
}

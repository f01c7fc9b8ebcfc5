//! Reading our TOML documents: the `format` header, parse errors with line,
//! column and field, and finding the line of a field for validation messages.

use serde::de::DeserializeOwned;
use thiserror::Error;

use crate::i18n::{self, Localize};

/// The file format this version writes and reads.
pub const FORMAT: u32 = 1;

/// Where in a document something is (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocError {
    #[error("line {}, column {}: {message}{}", .at.line, .at.column, field_suffix(.field))]
    Syntax {
        at: Position,
        field: Option<String>,
        message: String,
    },
    #[error("missing `format`")]
    MissingFormat,
    #[error("format {found} is newer than this version of Outbound reads ({FORMAT})")]
    NewerFormat { found: i64 },
}

fn field_suffix(field: &Option<String>) -> String {
    field
        .as_ref()
        .map(|f| format!(" (field `{f}`)"))
        .unwrap_or_default()
}

impl Localize for DocError {
    fn localize(&self) -> String {
        match self {
            DocError::Syntax { at, field, message } => {
                let mut args = vec![
                    ("line", at.line.to_string()),
                    ("column", at.column.to_string()),
                    ("message", message.clone()),
                ];
                match field {
                    Some(field) => {
                        args.push(("field", field.clone()));
                        i18n::tr_args("doc-syntax-field", &args)
                    }
                    None => i18n::tr_args("doc-syntax", &args),
                }
            }
            DocError::MissingFormat => i18n::tr("doc-missing-format"),
            DocError::NewerFormat { found } => i18n::tr_args(
                "doc-newer-format",
                &[
                    ("found", found.to_string()),
                    ("supported", FORMAT.to_string()),
                ],
            ),
        }
    }
}

#[derive(serde::Deserialize)]
struct Header {
    format: Option<toml::Value>,
}

/// Parses a document of ours: checks `format` first, so that a newer file is refused
/// for what it is rather than for a field this version does not know.
pub fn parse<T: DeserializeOwned>(source: &str) -> Result<T, DocError> {
    let header: Header = toml::from_str(source).map_err(|e| syntax_error(source, &e))?;
    match header.format {
        None => return Err(DocError::MissingFormat),
        Some(toml::Value::Integer(n)) if n > i64::from(FORMAT) => {
            return Err(DocError::NewerFormat { found: n });
        }
        Some(toml::Value::Integer(n)) if n >= 1 => {}
        Some(_) => {
            let at = line_of_key(source, None, "format").unwrap_or_default();
            return Err(DocError::Syntax {
                at,
                field: Some("format".to_owned()),
                message: i18n::tr("doc-bad-format"),
            });
        }
    }
    toml::from_str(source).map_err(|e| syntax_error(source, &e))
}

fn syntax_error(source: &str, error: &toml::de::Error) -> DocError {
    let span = error.span().unwrap_or(0..0);
    let at = position(source, span.start);
    let field = field_at_line(source, at.line);
    DocError::Syntax {
        at,
        field,
        message: error.message().trim().to_owned(),
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn position(source: &str, offset: usize) -> Position {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    Position { line, column }
}

/// The dotted field named on a line: the enclosing table's path plus the line's key.
fn field_at_line(source: &str, line: usize) -> Option<String> {
    let mut table = String::new();
    for (index, text) in source.lines().enumerate() {
        let text = text.trim();
        if let Some(header) = table_header(text) {
            table = header;
        }
        if index + 1 == line {
            if table_header(text).is_some() {
                return Some(table);
            }
            let key = line_key(text)?;
            return Some(join(&strip_root(&table, "profile"), &key));
        }
    }
    None
}

/// Finds the line of `field` (dotted, relative to a profile) in the `index`-th
/// `[[profile]]` table, or in `[profile]`/the root when `index` is `None`.
pub fn line_of_key(source: &str, index: Option<usize>, field: &str) -> Option<Position> {
    line_of_key_in(source, "profile", index, field)
}

/// [`line_of_key`] for the tables of another array, such as `[[provider]]`.
pub fn line_of_key_in(
    source: &str,
    array: &str,
    index: Option<usize>,
    field: &str,
) -> Option<Position> {
    let (table_path, key) = match field.rsplit_once('.') {
        Some((table, key)) => (table.to_owned(), key),
        None => (String::new(), field),
    };
    let header = format!("[[{array}]]");
    let mut seen = 0usize;
    let mut in_wanted = index.is_none();
    let mut table = String::new();
    for (line_index, text) in source.lines().enumerate() {
        let trimmed = text.trim();
        if trimmed == header {
            seen += 1;
            in_wanted = index.is_some_and(|i| i + 1 == seen);
        }
        if let Some(header) = table_header(trimmed) {
            table = strip_root(&header, array);
            continue;
        }
        if in_wanted && table == table_path && line_key(trimmed).as_deref() == Some(key) {
            let column = text.len() - text.trim_start().len() + 1;
            return Some(Position {
                line: line_index + 1,
                column,
            });
        }
    }
    None
}

fn table_header(line: &str) -> Option<String> {
    let inner = line.strip_prefix("[[").and_then(|l| l.split("]]").next());
    let inner = inner.or_else(|| line.strip_prefix('[').and_then(|l| l.split(']').next()))?;
    Some(inner.trim().replace(['"', ' '], ""))
}

fn line_key(line: &str) -> Option<String> {
    if line.starts_with('#') {
        return None;
    }
    let (key, _) = line.split_once('=')?;
    Some(key.trim().trim_matches('"').to_owned())
}

/// Field paths are relative to their table: `profile.smtp` is `smtp`.
fn strip_root(table: &str, root: &str) -> String {
    match table.strip_prefix(root) {
        Some(rest) => rest.strip_prefix('.').unwrap_or(rest).to_owned(),
        None => table.to_owned(),
    }
}

fn join(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_owned()
    } else {
        format!("{table}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        let s = "a = 1\nб = \"x\"\n";
        assert_eq!(position(s, 0), Position { line: 1, column: 1 });
        let offset = s.find('=').map(|_| s.rfind('=').unwrap()).unwrap();
        assert_eq!(position(s, offset), Position { line: 2, column: 3 });
    }

    #[test]
    fn finds_fields_in_the_nth_profile() {
        let s = "format = 1\n[[profile]]\nname = \"a\"\n[profile.smtp]\nport = 1\n[[profile]]\nname = \"b\"\n[profile.smtp]\nport = 2\n";
        assert_eq!(line_of_key(s, Some(1), "smtp.port").unwrap().line, 9);
        assert_eq!(line_of_key(s, Some(0), "name").unwrap().line, 3);
        assert_eq!(field_at_line(s, 9).as_deref(), Some("smtp.port"));
    }
}

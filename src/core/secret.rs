//! One type for every password, token and client secret held in memory.
//!
//! Its `Debug` and `Display` print `<redacted>`, so a `{:?}` of any struct or
//! message that holds one, a panic message or a log line never shows the value;
//! it has no `Serialize`, so it cannot be written into a file by accident; and
//! its memory is wiped when it is dropped. The value is read only through
//! [`Secret::expose`], which makes every place that uses it easy to find.

use std::fmt;

use zeroize::Zeroize;

/// What a secret shows wherever it is printed.
pub const REDACTED: &str = "<redacted>";

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code)] // read only through Debug, which is the point
    struct Holder {
        user: String,
        password: Secret,
    }

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), REDACTED);
        assert_eq!(format!("{secret}"), REDACTED);
        let holder = Holder {
            user: "u".into(),
            password: secret.clone(),
        };
        let printed = format!("{holder:?} {holder:#?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains(REDACTED), "{printed}");
        assert_eq!(secret.expose(), "hunter2");
    }
}

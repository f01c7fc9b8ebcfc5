//! Kerberos for SMTP `AUTH GSSAPI` (RFC 4752) with the logged-on user's
//! ticket, through the system's GSSAPI library: MIT's `libgssapi_krb5` on
//! Linux and the BSDs, the GSS framework on macOS. SSPI on Windows is not
//! there yet: [`Context::start`] says GSSAPI is unavailable.
//!
//! The library is loaded at run time (`libloading`), so every build builds
//! and a machine without it gets a diagnosis instead of a failed start. A
//! thin FFI of the few calls SASL GSSAPI needs; the handles are freed on drop.
//! Every call may block (the library talks to the KDC): callers run them on
//! a blocking thread.

use std::ffi::c_void;
use std::ptr;
use std::sync::OnceLock;

use super::diagnosis::{Code, Diagnosis};
use crate::i18n;

#[path = "gssapi_ffi.rs"]
mod ffi;
use ffi::*;

/// Routine errors (RFC 2744 §3.9.1), in bits 16..24 of a major status.
const fn routine(error: OM_uint32) -> OM_uint32 {
    error << 16
}
pub const NO_CRED: OM_uint32 = routine(7);
pub const CREDENTIALS_EXPIRED: OM_uint32 = routine(11);
/// The context's (that is, the service ticket's) lifetime is over.
pub const CONTEXT_EXPIRED: OM_uint32 = routine(12);
pub const FAILURE: OM_uint32 = routine(13);
pub const BAD_NAME: OM_uint32 = routine(2);

/// MIT krb5 error codes (com_err table `krb5`, base -1765328384) as minor statuses.
const fn krb5(offset: i32) -> OM_uint32 {
    (-1_765_328_384_i32 + offset) as OM_uint32
}
pub const KDC_ERR_S_PRINCIPAL_UNKNOWN: OM_uint32 = krb5(7);
pub const KDC_ERR_C_PRINCIPAL_UNKNOWN: OM_uint32 = krb5(6);
pub const AP_ERR_TKT_EXPIRED: OM_uint32 = krb5(32);
pub const AP_ERR_SKEW: OM_uint32 = krb5(37);
pub const CC_NOTFOUND: OM_uint32 = krb5(141);
pub const FCC_NOFILE: OM_uint32 = krb5(195);

fn library() -> Result<&'static Library, Error> {
    static LIBRARY: OnceLock<Result<Library, String>> = OnceLock::new();
    LIBRARY
        .get_or_init(load)
        .as_ref()
        .map_err(|reason| Error::Unavailable(reason.clone()))
}

/// What went wrong, as far as the user can act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// No credentials cache, or no ticket-granting ticket in it.
    NoTicket,
    /// The ticket is past its end time.
    Expired,
    /// This computer's clock and the KDC's or server's differ too much.
    ClockSkew,
    /// The realm has no principal for the server's name.
    UnknownServer,
    /// Anything else the library said.
    Other,
}

/// Which of [`Kind`] a status names: the minor (Kerberos) status first, as it
/// is the precise one; the major one when the mechanism said nothing known.
pub fn classify(major: OM_uint32, minor: OM_uint32) -> Kind {
    match minor {
        KDC_ERR_S_PRINCIPAL_UNKNOWN => return Kind::UnknownServer,
        AP_ERR_SKEW => return Kind::ClockSkew,
        AP_ERR_TKT_EXPIRED => return Kind::Expired,
        FCC_NOFILE | CC_NOTFOUND | KDC_ERR_C_PRINCIPAL_UNKNOWN => {
            return Kind::NoTicket;
        }
        _ => {}
    }
    match major & 0x00ff_0000 {
        NO_CRED => Kind::NoTicket,
        CREDENTIALS_EXPIRED | CONTEXT_EXPIRED => Kind::Expired,
        _ => Kind::Other,
    }
}

/// A failed GSSAPI call, or no library to call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("GSSAPI is unavailable: {0}")]
    Unavailable(String),
    #[error("{text}")]
    Status {
        major: OM_uint32,
        minor: OM_uint32,
        /// The library's own words for both statuses.
        text: String,
    },
    /// The server's security-layer message is not what RFC 4752 §3.1 says.
    #[error("{0}")]
    Layer(LayerError),
}

impl Error {
    pub fn kind(&self) -> Kind {
        match self {
            Error::Status { major, minor, .. } => classify(*major, *minor),
            _ => Kind::Other,
        }
    }

    /// The diagnosis for a failure to sign in to `service@host` with Kerberos.
    pub fn diagnosis(&self, service: &str, host: &str) -> Diagnosis {
        let reply = self.to_string();
        let principal = format!("{service}/{host}");
        match (self, self.kind()) {
            (Error::Unavailable(reason), _) => Diagnosis::new(Code::CannotStart).arg(
                "reply",
                i18n::tr_args("check-gssapi-unavailable", &[("reason", reason.clone())]),
            ),
            (Error::Layer(layer), _) => Diagnosis::new(Code::ProtocolError).arg(
                "reply",
                i18n::tr(match layer {
                    LayerError::Length => "check-gssapi-layer-length",
                    LayerError::LayerRequired => "check-gssapi-layer-required",
                }),
            ),
            (_, Kind::UnknownServer) => Diagnosis::new(Code::KerberosUnknownServer)
                .arg("name", principal)
                .arg("host", host)
                .arg("reply", reply),
            (_, Kind::ClockSkew) => Diagnosis::new(Code::KerberosClockSkew)
                .arg("host", host)
                .arg("reply", reply),
            (_, kind) => {
                let found = match kind {
                    Kind::NoTicket => "none",
                    Kind::Expired => "expired",
                    _ => "other",
                };
                Diagnosis::new(Code::KerberosNoTicket)
                    .arg("found", found)
                    .arg("name", principal)
                    .arg("host", host)
                    .arg("reply", reply)
            }
        }
    }
}

/// The service name of SMTP's principal (RFC 4752 §3.1 with RFC 4954).
pub const SMTP_SERVICE: &str = "smtp";
/// The service name of IMAP's principal (RFC 4752 §3.1 with RFC 9051).
pub const IMAP_SERVICE: &str = "imap";

fn failed(library: &Library, major: OM_uint32, minor: OM_uint32) -> Error {
    // A Kerberos minor status says why; other minor codes (the GSS glue's own)
    // say little, and the major one then is the message.
    let kerberos = minor & 0xffff_ff00 == krb5(0);
    let mechanism = if kerberos {
        status_text(library, minor, MECH_CODE)
    } else {
        String::new()
    };
    let general = status_text(library, major, GSS_CODE);
    let text = match (major & 0x00ff_0000 == FAILURE, mechanism.is_empty()) {
        (_, true) => general,
        // "Unspecified GSS failure. Minor code may provide more information".
        (true, false) => mechanism,
        (false, false) => format!("{general}: {mechanism}"),
    };
    Error::Status { major, minor, text }
}

fn is_error(major: OM_uint32) -> bool {
    major & 0xffff_0000 != 0
}

/// The client and server principals of an established context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The user: `tester@EXAMPLE.ORG`.
    pub client: String,
    /// The server: `smtp/mail.example.org@EXAMPLE.ORG`.
    pub server: String,
}

impl Names {
    /// The realm of a principal: what follows its last `@`.
    pub fn realm(principal: &str) -> &str {
        principal.rsplit_once('@').map_or("", |(_, realm)| realm)
    }
}

/// A security context being set up with `SERVICE@HOST`, or set up.
pub struct Context {
    library: &'static Library,
    context: Handle,
    target: Handle,
    complete: bool,
}

// SAFETY: the handles belong to this value alone and the library is thread-safe
// for distinct contexts; the value moves between threads, it is never shared.
unsafe impl Send for Context {}

impl Context {
    /// Imports `service@host` and makes the first token with the default
    /// credentials (the user's ticket cache): the token `AUTH GSSAPI` or
    /// `AUTHENTICATE GSSAPI` starts with.
    pub fn start(service: &str, host: &str) -> Result<(Context, Vec<u8>), Error> {
        let library = library()?;
        let name = format!("{service}@{host}");
        let buffer = Buffer::of(name.as_bytes());
        let oid = Oid {
            length: NT_HOSTBASED_SERVICE.len() as OM_uint32,
            elements: NT_HOSTBASED_SERVICE.as_ptr() as *mut c_void,
        };
        let mut minor = 0;
        let mut target: Handle = ptr::null_mut();
        // SAFETY: valid pointers; the name is released by Context's drop.
        let major = unsafe { (library.import_name)(&mut minor, &buffer, &oid, &mut target) };
        if is_error(major) {
            return Err(failed(library, major, minor));
        }
        let mut context = Context {
            library,
            context: ptr::null_mut(),
            target,
            complete: false,
        };
        let token = context.step(&[])?;
        Ok((context, token))
    }

    /// Feeds the server's token (none for the first call) and returns the next
    /// one to send (empty when there is none).
    pub fn step(&mut self, input: &[u8]) -> Result<Vec<u8>, Error> {
        let library = self.library;
        let mechanism = Oid {
            length: KRB5_MECHANISM.len() as OM_uint32,
            elements: KRB5_MECHANISM.as_ptr() as *mut c_void,
        };
        let input = Buffer::of(input);
        let mut output = Buffer::empty();
        let mut minor = 0;
        let mut flags = 0;
        // SAFETY: valid pointers; the context handle is updated in place and
        // freed by drop; the output buffer is released by take_bytes.
        let major = unsafe {
            (library.init_sec_context)(
                &mut minor,
                ptr::null_mut(),
                &mut self.context,
                self.target,
                &mechanism,
                MUTUAL_FLAG | SEQUENCE_FLAG | INTEG_FLAG,
                0,
                ptr::null(),
                &input,
                ptr::null_mut(),
                &mut output,
                &mut flags,
                ptr::null_mut(),
            )
        };
        let token = take_bytes(library, &mut output);
        if is_error(major) {
            return Err(failed(library, major, minor));
        }
        self.complete = major & CONTINUE_NEEDED == 0;
        Ok(token)
    }

    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Who signed in to whom, once the context is complete.
    pub fn names(&self) -> Result<Names, Error> {
        let library = self.library;
        let mut minor = 0;
        let mut source: Handle = ptr::null_mut();
        let mut target: Handle = ptr::null_mut();
        // SAFETY: valid pointers; both names are released below.
        let major = unsafe {
            (library.inquire_context)(
                &mut minor,
                self.context,
                &mut source,
                &mut target,
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        if is_error(major) {
            return Err(failed(library, major, minor));
        }
        let client = display(library, &mut source);
        let server = display(library, &mut target);
        Ok(Names {
            client: client?,
            server: server?,
        })
    }

    /// The answer to the server's security-layer message (RFC 4752 §3.1):
    /// unwraps it, chooses no security layer and names `authzid`, wrapped.
    pub fn security_layer(&mut self, wrapped: &[u8], authzid: &str) -> Result<Vec<u8>, Error> {
        let library = self.library;
        let input = Buffer::of(wrapped);
        let mut output = Buffer::empty();
        let mut minor = 0;
        // SAFETY: valid pointers; the output buffer is released by take_bytes.
        let major = unsafe {
            (library.unwrap)(
                &mut minor,
                self.context,
                &input,
                &mut output,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        let offer = take_bytes(library, &mut output);
        if is_error(major) {
            return Err(failed(library, major, minor));
        }
        let answer = layer_answer(&offer, authzid).map_err(Error::Layer)?;
        let input = Buffer::of(&answer);
        let mut output = Buffer::empty();
        // SAFETY: as above; no confidentiality asked (conf_req_flag 0).
        let major = unsafe {
            (library.wrap)(
                &mut minor,
                self.context,
                0,
                0,
                &input,
                ptr::null_mut(),
                &mut output,
            )
        };
        let token = take_bytes(library, &mut output);
        if is_error(major) {
            return Err(failed(library, major, minor));
        }
        Ok(token)
    }
}

fn display(library: &Library, name: &mut Handle) -> Result<String, Error> {
    let mut minor = 0;
    let mut buffer = Buffer::empty();
    // SAFETY: `name` came from the library; it is released here.
    let major = unsafe { (library.display_name)(&mut minor, *name, &mut buffer, ptr::null_mut()) };
    let text = if is_error(major) {
        Err(failed(library, major, minor))
    } else {
        Ok(take(library, &mut buffer))
    };
    // SAFETY: as above.
    unsafe { (library.release_name)(&mut minor, name) };
    text
}

impl Drop for Context {
    fn drop(&mut self) {
        let mut minor = 0;
        // SAFETY: both handles came from the library (or are null, which it accepts).
        unsafe {
            if !self.context.is_null() {
                (self.library.delete_sec_context)(&mut minor, &mut self.context, ptr::null_mut());
            }
            if !self.target.is_null() {
                (self.library.release_name)(&mut minor, &mut self.target);
            }
        }
    }
}

/// RFC 4752 §3.1: bit 1 of the first octet is "no security layer".
const NO_SECURITY_LAYER: u8 = 0x01;

/// RFC 4752's client side, whatever carries it (SMTP AUTH, IMAP
/// AUTHENTICATE): the context's tokens until it is complete, then the answer
/// to the security-layer offer with the user's principal as authzid (Dovecot
/// refuses an empty one).
pub struct Exchange {
    context: Context,
    names: Option<Names>,
}

impl Exchange {
    /// The exchange and its first token, for `service@host`.
    pub fn start(service: &str, host: &str) -> Result<(Exchange, Vec<u8>), Error> {
        let (context, token) = Context::start(service, host)?;
        Ok((
            Exchange {
                context,
                names: None,
            },
            token,
        ))
    }

    /// The answer to the server's token `input`.
    pub fn answer(&mut self, input: &[u8]) -> Result<Vec<u8>, Error> {
        if !self.context.is_complete() {
            let token = self.context.step(input)?;
            if self.context.is_complete() {
                self.names = Some(self.context.names()?);
            }
            return Ok(token);
        }
        let names = match self.names.take() {
            Some(names) => names,
            None => self.context.names()?,
        };
        let token = self.context.security_layer(input, &names.client);
        self.names = Some(names);
        token
    }

    /// Who signed in to whom, once the context came up.
    pub fn names(&self) -> Option<&Names> {
        self.names.as_ref()
    }
}

/// Why Kerberos gave no token.
#[derive(Debug)]
pub enum Failed {
    /// Not within the step's time (a KDC that does not answer): each
    /// protocol words its own timeout.
    TimedOut,
    /// No ticket, an unknown server, a crashed library call…
    Diagnosis(Diagnosis),
}

/// Runs `work` (a GSSAPI call, which may wait for the KDC) on a blocking
/// thread within `limit`, so the check's own thread never waits on it.
async fn blocking<T: Send + 'static>(
    limit: std::time::Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Failed> {
    match tokio::time::timeout(limit, tokio::task::spawn_blocking(work)).await {
        Ok(Ok(value)) => Ok(value),
        // The call panicked: its thread is gone, the check cannot go on.
        Ok(Err(error)) => Err(Failed::Diagnosis(Diagnosis::new(Code::CannotStart).arg(
            "reply",
            i18n::tr_args("check-gssapi-crashed", &[("reason", error.to_string())]),
        ))),
        Err(_) => Err(Failed::TimedOut),
    }
}

/// An exchange whose first token is made: what `AUTH GSSAPI` and
/// `AUTHENTICATE GSSAPI` start with.
pub struct Started {
    pub exchange: Exchange,
    pub token: Vec<u8>,
}

/// The first token for `service@host` from the user's ticket, within `limit`.
pub async fn start(
    service: &'static str,
    host: &str,
    limit: std::time::Duration,
) -> Result<Started, Failed> {
    let target = host.to_owned();
    match blocking(limit, move || Exchange::start(service, &target)).await? {
        Ok((exchange, token)) => Ok(Started { exchange, token }),
        Err(error) => Err(Failed::Diagnosis(error.diagnosis(service, host))),
    }
}

/// The answer to the server's token `input`, within `limit`; the exchange
/// comes back for the next round.
pub async fn answer(
    mut exchange: Exchange,
    input: Vec<u8>,
    (service, host): (&'static str, &str),
    limit: std::time::Duration,
) -> Result<(Exchange, Vec<u8>), Failed> {
    let (exchange, answer) = blocking(limit, move || {
        let answer = exchange.answer(&input);
        (exchange, answer)
    })
    .await?;
    match answer {
        Ok(token) => Ok((exchange, token)),
        Err(error) => Err(Failed::Diagnosis(error.diagnosis(service, host))),
    }
}

/// The server's security-layer offer is unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LayerError {
    #[error("the server's GSSAPI security-layer message is not 4 octets long")]
    Length,
    #[error("the server requires a GSSAPI security layer, which this client does not offer")]
    LayerRequired,
}

/// The unwrapped answer to the server's (unwrapped) 4-octet offer: no
/// security layer, maximum message size 0, then the authorization identity.
pub fn layer_answer(offer: &[u8], authzid: &str) -> Result<Vec<u8>, LayerError> {
    if offer.len() != 4 {
        return Err(LayerError::Length);
    }
    if offer[0] & NO_SECURITY_LAYER == 0 {
        return Err(LayerError::LayerRequired);
    }
    let mut answer = vec![NO_SECURITY_LAYER, 0, 0, 0];
    answer.extend_from_slice(authzid.as_bytes());
    Ok(answer)
}

#[cfg(test)]
#[path = "gssapi_tests.rs"]
mod tests;

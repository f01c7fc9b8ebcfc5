//! The thin FFI of [`super`]: the RFC 2744 types and the few calls SASL
//! GSSAPI needs, looked up in the system's library at run time.

use std::ffi::{c_int, c_void};
use std::ptr;

use crate::i18n;

#[allow(non_camel_case_types)]
pub(super) type OM_uint32 = u32;
pub(super) type Handle = *mut c_void;

// Apple's gssapi.h packs these two to 2 bytes; MIT's are plain C layout.
#[cfg_attr(target_os = "macos", repr(C, packed(2)))]
#[cfg_attr(not(target_os = "macos"), repr(C))]
pub(super) struct Buffer {
    pub(super) length: usize,
    pub(super) value: *mut c_void,
}

#[cfg_attr(target_os = "macos", repr(C, packed(2)))]
#[cfg_attr(not(target_os = "macos"), repr(C))]
pub(super) struct Oid {
    pub(super) length: OM_uint32,
    pub(super) elements: *mut c_void,
}

impl Buffer {
    pub(super) fn empty() -> Buffer {
        Buffer {
            length: 0,
            value: ptr::null_mut(),
        }
    }

    /// A view of `bytes` for input arguments (the library does not write to it).
    pub(super) fn of(bytes: &[u8]) -> Buffer {
        Buffer {
            length: bytes.len(),
            value: bytes.as_ptr() as *mut c_void,
        }
    }
}

/// GSS_C_NT_HOSTBASED_SERVICE, 1.2.840.113554.1.2.1.4 (RFC 2743 §4.1).
pub(super) const NT_HOSTBASED_SERVICE: &[u8] = b"\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04";
/// The Kerberos 5 mechanism, 1.2.840.113554.1.2.2 (RFC 1964).
pub(super) const KRB5_MECHANISM: &[u8] = b"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02";

pub(super) const MUTUAL_FLAG: OM_uint32 = 2;
pub(super) const SEQUENCE_FLAG: OM_uint32 = 8;
pub(super) const INTEG_FLAG: OM_uint32 = 32;
pub(super) const GSS_CODE: c_int = 1;
pub(super) const MECH_CODE: c_int = 2;
pub(super) const CONTINUE_NEEDED: OM_uint32 = 1;

pub(super) type ImportName =
    unsafe extern "C" fn(*mut OM_uint32, *const Buffer, *const Oid, *mut Handle) -> OM_uint32;
pub(super) type InitSecContext = unsafe extern "C" fn(
    *mut OM_uint32,
    Handle,
    *mut Handle,
    Handle,
    *const Oid,
    OM_uint32,
    OM_uint32,
    *const c_void,
    *const Buffer,
    *mut *const Oid,
    *mut Buffer,
    *mut OM_uint32,
    *mut OM_uint32,
) -> OM_uint32;
pub(super) type Wrap = unsafe extern "C" fn(
    *mut OM_uint32,
    Handle,
    c_int,
    OM_uint32,
    *const Buffer,
    *mut c_int,
    *mut Buffer,
) -> OM_uint32;
pub(super) type Unwrap = unsafe extern "C" fn(
    *mut OM_uint32,
    Handle,
    *const Buffer,
    *mut Buffer,
    *mut c_int,
    *mut OM_uint32,
) -> OM_uint32;
pub(super) type InquireContext = unsafe extern "C" fn(
    *mut OM_uint32,
    Handle,
    *mut Handle,
    *mut Handle,
    *mut OM_uint32,
    *mut *const Oid,
    *mut OM_uint32,
    *mut c_int,
    *mut c_int,
) -> OM_uint32;
pub(super) type DisplayName =
    unsafe extern "C" fn(*mut OM_uint32, Handle, *mut Buffer, *mut *const Oid) -> OM_uint32;
pub(super) type DisplayStatus = unsafe extern "C" fn(
    *mut OM_uint32,
    OM_uint32,
    c_int,
    *const Oid,
    *mut OM_uint32,
    *mut Buffer,
) -> OM_uint32;
pub(super) type ReleaseBuffer = unsafe extern "C" fn(*mut OM_uint32, *mut Buffer) -> OM_uint32;
pub(super) type ReleaseName = unsafe extern "C" fn(*mut OM_uint32, *mut Handle) -> OM_uint32;
pub(super) type DeleteSecContext =
    unsafe extern "C" fn(*mut OM_uint32, *mut Handle, *mut Buffer) -> OM_uint32;

/// The loaded library and the functions this module calls.
pub(super) struct Library {
    pub(super) import_name: ImportName,
    pub(super) init_sec_context: InitSecContext,
    pub(super) wrap: Wrap,
    pub(super) unwrap: Unwrap,
    pub(super) inquire_context: InquireContext,
    pub(super) display_name: DisplayName,
    pub(super) display_status: DisplayStatus,
    pub(super) release_buffer: ReleaseBuffer,
    pub(super) release_name: ReleaseName,
    pub(super) delete_sec_context: DeleteSecContext,
    // Kept loaded for the life of the process: the function pointers above point into it.
    _library: libloading::Library,
}

/// The library's file names, tried in order. `OUTBOUND_GSSAPI_LIBRARY` names
/// another one (Heimdal's `libgssapi.so.3`, a library outside the search path).
pub(super) fn candidates() -> Vec<String> {
    if let Some(path) = std::env::var_os("OUTBOUND_GSSAPI_LIBRARY") {
        return vec![path.to_string_lossy().into_owned()];
    }
    if cfg!(target_os = "macos") {
        vec!["/System/Library/Frameworks/GSS.framework/GSS".to_owned()]
    } else {
        vec![
            "libgssapi_krb5.so.2".to_owned(),
            "libgssapi_krb5.so".to_owned(),
            "libgssapi.so.3".to_owned(),
        ]
    }
}

pub(super) fn load() -> Result<Library, String> {
    if cfg!(windows) {
        return Err(i18n::tr("check-gssapi-no-sspi"));
    }
    let mut errors = Vec::new();
    for name in candidates() {
        // SAFETY: loading a GSSAPI library runs its initialisers, which only set
        // up the library's own state.
        match unsafe { libloading::Library::new(&name) } {
            Ok(library) => return bind(library).map_err(|error| format!("{name}: {error}")),
            Err(error) => errors.push(error.to_string()),
        }
    }
    Err(errors.join("; "))
}

pub(super) fn bind(library: libloading::Library) -> Result<Library, libloading::Error> {
    // SAFETY: each symbol is looked up with the signature RFC 2744 gives it.
    unsafe {
        Ok(Library {
            import_name: *library.get(b"gss_import_name\0")?,
            init_sec_context: *library.get(b"gss_init_sec_context\0")?,
            wrap: *library.get(b"gss_wrap\0")?,
            unwrap: *library.get(b"gss_unwrap\0")?,
            inquire_context: *library.get(b"gss_inquire_context\0")?,
            display_name: *library.get(b"gss_display_name\0")?,
            display_status: *library.get(b"gss_display_status\0")?,
            release_buffer: *library.get(b"gss_release_buffer\0")?,
            release_name: *library.get(b"gss_release_name\0")?,
            delete_sec_context: *library.get(b"gss_delete_sec_context\0")?,
            _library: library,
        })
    }
}

pub(super) fn status_text(library: &Library, status: OM_uint32, kind: c_int) -> String {
    let mut words = Vec::new();
    let mut context: OM_uint32 = 0;
    // The library hands its messages one at a time; a bound in case it never ends.
    for _ in 0..8 {
        let mut minor = 0;
        let mut buffer = Buffer::empty();
        // SAFETY: every pointer is valid for the call; the buffer is released below.
        let major = unsafe {
            (library.display_status)(
                &mut minor,
                status,
                kind,
                ptr::null(),
                &mut context,
                &mut buffer,
            )
        };
        if major != 0 {
            break;
        }
        words.push(take(library, &mut buffer));
        if context == 0 {
            break;
        }
    }
    words.join("; ")
}

/// Copies a buffer the library allocated and releases it.
pub(super) fn take(library: &Library, buffer: &mut Buffer) -> String {
    String::from_utf8_lossy(&take_bytes(library, buffer)).into_owned()
}

pub(super) fn take_bytes(library: &Library, buffer: &mut Buffer) -> Vec<u8> {
    let (length, value) = (buffer.length, buffer.value);
    let bytes = if value.is_null() || length == 0 {
        Vec::new()
    } else {
        // SAFETY: the library says `value` holds `length` bytes.
        unsafe { std::slice::from_raw_parts(value as *const u8, length) }.to_vec()
    };
    let mut minor = 0;
    // SAFETY: the buffer came from the library.
    unsafe { (library.release_buffer)(&mut minor, buffer) };
    bytes
}

//! Release builds on x86-64 Linux link the functions Outbound runs while it
//! starts next to each other, in the order `packaging/startup-order.txt`
//! lists them (written by `benches/startup-order`). Start-up then touches a
//! few contiguous stretches of the binary instead of pages all over it, so
//! fewer of its pages are read and kept resident.
//!
//! The list only steers the layout: a name that no longer exists (code
//! changed, another toolchain) is skipped without a word, and a build without
//! the list, or with a linker other than lld, is the same program.

use std::path::Path;
use std::process::Command;

const ORDER: &str = "packaging/startup-order.txt";

fn main() {
    println!("cargo::rerun-if-changed={ORDER}");
    println!("cargo::rerun-if-env-changed=OUTBOUND_NO_STARTUP_ORDER");
    let order = Path::new(env("CARGO_MANIFEST_DIR").as_str()).join(ORDER);
    if env("PROFILE") == "release"
        && env("TARGET") == "x86_64-unknown-linux-gnu"
        && std::env::var_os("OUTBOUND_NO_STARTUP_ORDER").is_none()
        && links_with_lld()
        && order.is_file()
    {
        println!(
            "cargo::rustc-link-arg-bin=outbound=-Wl,--symbol-ordering-file={},--no-warn-symbol-ordering",
            order.display()
        );
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

/// rustc links with its own lld on this target from 1.90 on, when it ships one
/// and the build names no linker of its own; GNU ld would refuse the option.
fn links_with_lld() -> bool {
    if std::env::var_os("RUSTC_LINKER").is_some()
        || env("CARGO_ENCODED_RUSTFLAGS").contains("linker")
    {
        return false;
    }
    let Ok(output) = Command::new(env("RUSTC")).arg("--version").output() else {
        return false;
    };
    let version = String::from_utf8_lossy(&output.stdout);
    let mut numbers = version
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .split('.')
        .map(|part| part.parse::<u32>().unwrap_or(0));
    let (major, minor) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    // A distribution's rustc may be built without its lld; then cc's own linker is used.
    let Ok(sysroot) = Command::new(env("RUSTC"))
        .args(["--print", "sysroot"])
        .output()
    else {
        return false;
    };
    let own_lld = Path::new(String::from_utf8_lossy(&sysroot.stdout).trim())
        .join("lib/rustlib")
        .join(env("HOST"))
        .join("bin/gcc-ld/ld.lld");
    (major, minor) >= (1, 90) && own_lld.is_file()
}

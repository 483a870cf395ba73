//! Embeds the bundled data folders in the binary, so `fun` works from any directory: every file
//! in `calendars/` and `screens/` becomes an entry of a generated `(name, text)` table. Listing
//! the folders here (rather than a hand-kept table) means adding a calendar or screen is adding a
//! file.

use std::fmt::Write as _;
use std::path::Path;

fn embed_dir(dir: &str, table: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    println!("cargo::rerun-if-changed={}", root.display());
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out =
        format!("/// Files embedded from `{dir}/`.\npub static {table}: &[(&str, &str)] = &[\n");
    for name in names {
        let path = root.join(&name);
        println!("cargo::rerun-if-changed={}", path.display());
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    out
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    for (dir, table, file) in [
        ("calendars", "BUNDLED_CALENDARS", "bundled_calendars.rs"),
        ("screens", "BUNDLED_SCREENS", "bundled_screens.rs"),
    ] {
        let dest = Path::new(&out_dir).join(file);
        if let Err(err) = std::fs::write(&dest, embed_dir(dir, table)) {
            panic!("cannot write {}: {err}", dest.display());
        }
    }
    pack_relative_relocations();
    link_unwinder_statically();
    order_hot_functions();
    strip_release_symbols();
}

/// Strips the release binary's symbol table at link time (see `[profile.release]` in
/// Cargo.toml for why not with Cargo's `strip`); `FUN_KEEP_SYMBOLS=1` keeps it, for profiling,
/// and so does `FUN_LINK_MAP` (lld refuses `--strip-all` with the `--emit-relocs` it adds).
fn strip_release_symbols() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    println!("cargo::rerun-if-env-changed=FUN_KEEP_SYMBOLS");
    if var("PROFILE") == "release"
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("FUN_KEEP_SYMBOLS") != "1"
        && var("FUN_LINK_MAP").is_empty()
    {
        println!("cargo::rustc-link-arg-bins=-Wl,--strip-all");
    }
}

/// The binary's pointers into itself (tables of `&str`, vtables) are relocated by the loader at
/// every start. Packed (DT_RELR, glibc 2.36 and binutils 2.38 on), their table shrinks from
/// 24 bytes a pointer to a bitmap: less for the loader to read and keep resident (issue 27).
fn pack_relative_relocations() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Links GCC's unwinder (what a panic uses to unwind) into the binary instead of loading
/// libgcc_s.so.1 at every start: rustc asks for `-lgcc_s` and offers no switch (rust-lang/rust
/// #29527), so the archive of the same code, libgcc_eh.a, is offered under that name in a
/// folder searched first. A run then maps one library fewer (about 100 KB resident, and its
/// loading and symbol lookups at every start); nothing outside the binary unwinds through it
/// (issue 27). Skipped when the C compiler has no libgcc_eh.a (then libgcc_s.so.1 is loaded).
fn link_unwinder_statically() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    let Ok(out) = std::process::Command::new("cc").arg("-print-file-name=libgcc_eh.a").output()
    else {
        return;
    };
    let archive = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !archive.is_absolute() || !archive.is_file() {
        return;
    }
    let dir = Path::new(&var("OUT_DIR")).join("static-unwinder");
    let link = dir.join("libgcc_s.a");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::remove_file(&link);
    if std::os::unix::fs::symlink(&archive, &link).is_ok() {
        println!("cargo::rustc-link-search=native={}", dir.display());
    }
}

/// Lays out the functions that common runs execute next to each other, in the order of
/// `scripts/symbol-order.txt`, and the constants they read (strings, tables) likewise, in the
/// order of the linker script `scripts/data-order.ld` (both written by `scripts/symbol-order.sh`
/// from profiled runs). The kernel maps a file 64 KiB around each page fault, so scattered hot
/// code keeps most of the 6 MB of `.text` resident and scattered constants a dozen windows of
/// `.rodata`; gathered, a run keeps only the windows it uses (issue 27). Only for the release
/// build on x86_64 Linux, whose default linker since Rust 1.90 is the bundled lld (GNU ld has
/// no symbol ordering); `FUN_SYMBOL_ORDER=off` leaves the compiler's order.
///
/// `FUN_LINK_MAP=PATH` writes the link map there and keeps the relocations in the binary:
/// scripts/symbol-order.sh reads both to find which constants the hot functions use.
fn order_hot_functions() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    println!("cargo::rerun-if-env-changed=FUN_SYMBOL_ORDER");
    let order = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/symbol-order.txt");
    println!("cargo::rerun-if-changed={}", order.display());
    let wanted = var("FUN_SYMBOL_ORDER") != "off"
        && var("PROFILE") == "release"
        && var("TARGET") == "x86_64-unknown-linux-gnu"
        && rustc_links_with_bundled_lld(&var("RUSTC"))
        && !["linker", "fuse-ld"].iter().any(|f| var("CARGO_ENCODED_RUSTFLAGS").contains(f))
        && order.is_file();
    if wanted {
        warn_if_stale(&order);
        println!("cargo::rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", order.display());
        // Names of functions that changed since the file was written are skipped in silence.
        println!("cargo::rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
        let data = order.with_file_name("data-order.ld");
        println!("cargo::rerun-if-changed={}", data.display());
        if data.is_file() {
            // Only names input sections (a stale name matches nothing): the layout of every
            // other section is lld's default.
            println!("cargo::rustc-link-arg-bins=-Wl,-T,{}", data.display());
        }
    }
    println!("cargo::rerun-if-env-changed=FUN_LINK_MAP");
    let map = var("FUN_LINK_MAP");
    if !map.is_empty() && var("PROFILE") == "release" {
        println!("cargo::rustc-link-arg-bins=-Wl,-Map={map}");
        println!("cargo::rustc-link-arg-bins=-Wl,--emit-relocs");
    }
}

/// Cargo folds the package's version, features and dependencies into the hash in every name of
/// our functions, so the order is written for one Cargo.toml and Cargo.lock (its first line, a
/// `#` comment for lld, holds their fingerprint); after a change its names of our functions no
/// longer match (std's and the dependencies' mostly still do). Says so, so that a maintainer
/// regenerates it.
fn warn_if_stale(order: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut bytes = Vec::new();
    for file in ["Cargo.toml", "Cargo.lock"] {
        println!("cargo::rerun-if-changed={}", root.join(file).display());
        bytes.extend(std::fs::read(root.join(file)).unwrap_or_default());
    }
    let wanted = format!("# made for Cargo.toml and Cargo.lock {:016x}", fnv1a64(&bytes));
    let first = std::fs::read_to_string(order).unwrap_or_default();
    if first.lines().next() != Some(wanted.as_str()) {
        println!(
            "cargo::warning=scripts/symbol-order.txt was made for another Cargo.toml or \
             Cargo.lock: run scripts/symbol-order.sh (the binary works, with more memory)"
        );
    }
}

/// The 64-bit FNV-1a hash (also in scripts/symbol-order.sh): small, stable across toolchains.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Whether this rustc links x86_64 Linux programs with its bundled lld by default (1.90 on).
fn rustc_links_with_bundled_lld(rustc: &str) -> bool {
    let rustc = if rustc.is_empty() { "rustc" } else { rustc };
    let Ok(out) = std::process::Command::new(rustc).arg("-V").output() else {
        return false;
    };
    let version = String::from_utf8_lossy(&out.stdout);
    let mut parts = version.split_whitespace().nth(1).unwrap_or("").split('.');
    let major: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let minor: u32 = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    major > 1 || (major == 1 && minor >= 90)
}

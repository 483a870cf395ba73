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

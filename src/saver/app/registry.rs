//! The registry: every screen `fun saver` knows, built-in and data-defined, by name.
//!
//! `all` is the single list behind `fun saver --list`, `fun saver NAME` and the "unknown
//! screen" error. It is built in this order, and when two entries share a name the LATER one
//! wins (`lookup::find`, `lookup::list`), so data can override a built-in and the user's files
//! can override the bundled data:
//!
//! 1. `builtin`: screens written in Rust, one file each under `src/saver/screens/`. Adding one
//!    is one file plus its name in the `builtin_screens!(...)` line of `screens/mod.rs`.
//! 2. DATA-DEFINED SCREENS: appended in `all` at the marked line, by
//!    `crate::saver::screens::data::load_all() -> Vec<ScreenInfo>` (bundled `screens/`, then
//!    `$XDG_CONFIG_HOME/fun/screens`), owned by the data-screens module.
//!    Then the SCRIPTED SCREENS (`.rhai` files, same folders), by
//!    `crate::saver::screens::script::load_all(&taken())`, owned by the script module.
//! 3. Network screens are appended in `builtin` at the line marked NETWORK SCREENS, behind
//!    `#[cfg(feature = "net")]`.
//!
//! A screen's `MakeScreen` receives only the arguments after its name. The engine has already
//! moved its own long options out of them wherever they appeared (`args::engine_options_first`,
//! derived from the engine's clap definition), so screens must not define those long names;
//! short options are all theirs. `screen::parse_args` parses a clap derive struct with the usage line
//! `fun saver NAME`, and returns `--help` and bad options as a `clap::Error` inside the
//! `anyhow::Error`, which the engine prints (help on stdout and exit 0, errors on stderr and
//! exit 2).

use crate::saver::kit::screen::ScreenInfo;
use crate::saver::screens;

/// Every screen: built-ins first, then the data-defined ones (which may override by name).
#[must_use]
pub(crate) fn all() -> Vec<ScreenInfo> {
    let mut screens = builtin();
    // DATA-DEFINED SCREENS: bundled `screens/`, then the user's folder.
    screens.extend(crate::saver::screens::data::load_all());
    // SCRIPTED SCREENS: `.rhai` files, bundled then the user's (their headers only).
    screens.extend(crate::saver::screens::script::load_all(&taken()));
    screens
}

/// The screens that ship with fun, built-in and bundled, without the user's folder (for the
/// manual page, which must not depend on who generates it).
#[must_use]
pub(crate) fn shipped() -> Vec<ScreenInfo> {
    let mut screens = builtin();
    screens.extend(crate::saver::screens::data::load_bundled());
    screens.extend(crate::saver::screens::script::load_bundled(&taken()));
    screens
}

/// Every screen, with the problems of the user's files returned instead of printed (shell
/// completion must not write to the terminal).
#[must_use]
pub(crate) fn all_quiet() -> Vec<ScreenInfo> {
    let mut screens = builtin();
    screens.extend(crate::saver::screens::data::load_with_warnings().0);
    screens.extend(crate::saver::screens::script::load_with_warnings(&taken()).0);
    screens
}

/// The option names a scripted screen may not declare: the engine's.
fn taken() -> Vec<String> {
    crate::saver::app::args::engine_long_names()
}

/// The screens written in Rust (`screens/mod.rs` lists them).
#[must_use]
pub fn builtin() -> Vec<ScreenInfo> {
    let mut screens = screens::builtin();
    // NETWORK SCREENS: always listed; without the `net` feature they read local files only.
    screens.extend(crate::saver::screens::net::screens());
    screens
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::saver::app::lookup::{find, list};

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn builtin_names_are_unique_and_documented() {
        let screens = builtin();
        let listed = list(&screens);
        assert_eq!(listed.len(), screens.len());
        for (name, about) in listed {
            assert!(!about.is_empty(), "{name} has no description");
            // Lower-case letters, digits (img2ascii) and dashes.
            let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
            assert!(name.chars().all(ok) && name.starts_with(|c: char| c.is_ascii_lowercase()));
        }
    }

    #[test]
    fn starwars_is_a_hidden_alias_of_the_asciimation_player() {
        let screens = all();
        let found = find(&screens, "starwars").expect("the alias");
        assert_eq!(found.name, "asciimation");
        assert!(found.about.contains("asciimation player"), "{}", found.about);
        let names: Vec<&str> = list(&screens).into_iter().map(|(n, _)| n).collect();
        assert!(names.contains(&"asciimation") && !names.contains(&"starwars"), "{names:?}");
    }

    #[test]
    fn later_entries_override_earlier_ones() {
        let mut screens = builtin();
        let mut fake = screens::matrix::info();
        fake.about = "override".into();
        screens.push(fake);
        assert_eq!(find(&screens, "matrix").map(|s| s.about.as_str()), Some("override"));
        assert!(list(&screens).contains(&("matrix", "override")));
    }

    #[test]
    fn every_builtin_builds_with_defaults_and_has_help() {
        for info in builtin() {
            assert!((info.make)(&[]).is_ok(), "{} fails with no options", info.name);
            let err = (info.make)(&strings(&["--help"])).err().expect("help is an error");
            let clap_err = err.downcast_ref::<clap::Error>().expect("a clap error");
            assert_eq!(clap_err.kind(), clap::error::ErrorKind::DisplayHelp);
            let help = clap_err.to_string();
            assert!(help.contains(&format!("fun saver {}", info.name)), "{help}");
            assert!(help.contains("Examples"), "{} help has no examples", info.name);
        }
    }
}

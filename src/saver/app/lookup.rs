//! Finding a screen by name in a list of screens: later entries override earlier ones (the
//! user's files override the bundled data, which overrides the built-ins) and former names
//! still work. Kept apart from the registry, which builds the list, so that the config file and
//! the playlists can look names up without depending on how the list is made (the registry
//! needs the command line's engine options, which need the config's and the playlists').

use std::collections::BTreeMap;

use crate::saver::kit::screen::ScreenInfo;

/// Former names that still work (on the command line, in configs and playlists) but are not
/// listed or completed: `(old name, screen)`. `starwars` was the asciimation player's first
/// name (it plays our rocket unless given a Star Wars file).
pub(crate) const ALIASES: &[(&str, &str)] = &[("starwars", "asciimation")];

/// The last entry named `name` (later entries override earlier ones); a former name in
/// [`ALIASES`] finds its screen unless a screen has that name itself.
#[must_use]
pub(crate) fn find<'a>(screens: &'a [ScreenInfo], name: &str) -> Option<&'a ScreenInfo> {
    let named = |name: &str| screens.iter().rev().find(|s| s.name == name);
    named(name).or_else(|| {
        let (_, screen) = ALIASES.iter().find(|(old, _)| *old == name)?;
        named(screen)
    })
}

/// `(name, about)` of every screen, sorted by name, overrides applied.
#[must_use]
pub(crate) fn list(screens: &[ScreenInfo]) -> Vec<(&str, &str)> {
    let mut by_name = BTreeMap::new();
    for s in screens {
        by_name.insert(s.name.as_str(), s.about.as_str());
    }
    by_name.into_iter().collect()
}

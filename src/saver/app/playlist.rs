//! Several screens in turn: `fun saver matrix clock rocket`, `fun saver matrix -r + clock -t`,
//! `--playlist NAME` (from the config file), `--random`, `--shuffle`, `--every DURATION`,
//! with a transition of our own between screens (the engine's `dissolve.rs`).
//!
//! The syntax is unambiguous: a standalone `+` separates screens, each with its own options
//! after its name; without a `+`, a command line whose words are all screen names (and none an
//! option) is a list of screens; anything else is one screen with its options, exactly as
//! before. `Rotation` (in the engine's `rotate.rs`) is itself a `Screen`, so the engine runs it like any
//! other and a single screen runs without it.

use std::time::Duration;

use crate::saver::kit::screen::ScreenInfo;
use crate::saver::kit::values::{self, ValueError};

pub(crate) use crate::saver::engine::rotate::{Entry, Transition, order};

/// The word that separates screens on the command line.
pub(crate) const SEPARATOR: &str = "+";

/// The rotation options (part of the engine's options).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RotationArgs {
    /// With several screens: how long each is shown, 5s-24h (e.g. 90s, 3m, 1h30m).
    #[arg(long, value_name = "DURATION", default_value = "3m",
          value_parser = values::duration(MIN_EVERY, MAX_EVERY))]
    pub(crate) every: Duration,

    /// With several screens: play them in a random order (a new order every round).
    #[arg(long)]
    pub(crate) shuffle: bool,

    /// Play screens at random: any screen (network screens excepted), or the ones given.
    #[arg(long)]
    pub(crate) random: bool,

    /// Play the playlist NAME from the config file ([saver.playlists.NAME]).
    #[arg(long, value_name = "NAME", value_parser = values::text_up_to(100))]
    pub(crate) playlist: Option<String>,

    /// Between two screens: dissolve (cells change in random order over a second) or none.
    #[arg(long, value_enum, value_name = "KIND", default_value = "dissolve")]
    pub(crate) transition: Transition,
}

/// The shortest and longest time a screen is shown in a rotation.
const MIN_EVERY: Duration = Duration::from_secs(5);
const MAX_EVERY: Duration = Duration::from_secs(86_400);
/// Most screens in one rotation (the command line or a playlist).
pub(crate) const MAX_SCREENS: usize = 100;

/// Splits the words after `fun saver` into screens (see the module docs). `is_screen` tells
/// the names of screens.
///
/// # Errors
/// An empty part (`+` at either end, or two in a row), or more than [`MAX_SCREENS`].
pub(crate) fn split(
    words: &[String],
    is_screen: impl Fn(&str) -> bool,
) -> Result<Vec<Entry>, ValueError> {
    let entries: Vec<Entry> = if words.iter().any(|w| w == SEPARATOR) {
        let parts: Vec<Entry> = words.split(|w| w == SEPARATOR).map(<[String]>::to_vec).collect();
        if parts.iter().any(Vec::is_empty) {
            return Err(ValueError::format(
                "SCREEN [OPTIONS] + SCREEN [OPTIONS] ...",
                &words.join(" "),
            ));
        }
        parts
    } else if words.len() > 1 && words.iter().all(|w| !w.starts_with('-') && is_screen(w)) {
        words.iter().map(|w| vec![w.clone()]).collect()
    } else if words.is_empty() {
        Vec::new()
    } else {
        vec![words.to_vec()]
    };
    if entries.len() > MAX_SCREENS {
        return Err(ValueError::OutOfRange {
            text: format!("{} screens", entries.len()),
            min: "1".into(),
            max: MAX_SCREENS.to_string(),
        });
    }
    Ok(entries)
}

/// The screens `--random` picks from: every screen but the network ones (they need a URL or
/// the network, which a screensaver should not reach for on its own).
#[must_use]
pub(crate) fn random_pool(screens: &[ScreenInfo]) -> Vec<Entry> {
    let network: Vec<String> =
        crate::saver::screens::net::screens().into_iter().map(|s| s.name).collect();
    crate::saver::app::lookup::list(screens)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !network.iter().any(|n| n == name))
        .map(|name| vec![name.to_owned()])
        .collect()
}

/// The order in which the entries are played: as given, or shuffled.
#[must_use]
/// What a run plays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) entries: Vec<Entry>,
    /// `--random`: pick at random each time instead of in order.
    pub(crate) random: bool,
    /// The config playlist it comes from.
    pub(crate) playlist: Option<String>,
}

impl Plan {
    /// The names of the screens, for the "too small" view and the config's used sections.
    #[must_use]
    pub(crate) fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e[0].as_str()).collect()
    }
}

/// Why there is no plan.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PlanError {
    /// The screens on the command line do not split (a usage error).
    #[error("{0}")]
    Split(ValueError),
    #[error("{}", unknown_playlist(.name, .known))]
    UnknownPlaylist { name: String, known: Vec<String> },
}

fn unknown_playlist(name: &str, known: &[String]) -> String {
    if known.is_empty() {
        return format!(
            "no playlist {}: the config file has no [saver.playlists.NAME] sections",
            crate::sanitize::quoted(name)
        );
    }
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    format!(
        "{} in the config file",
        crate::saver::app::config::schema::unknown("playlist", name, &known)
    )
}

/// What to play: the screens on the command line, else the playlist, else every screen at
/// random with `--random`; `None` when nothing was asked for (the list is shown).
///
/// # Errors
/// Screens that do not split, or a playlist the config does not have.
pub(crate) fn plan(
    words: &[String],
    options: &RotationArgs,
    playlists: &std::collections::BTreeMap<String, crate::saver::app::config::Playlist>,
    screens: &[ScreenInfo],
) -> Result<Option<Plan>, PlanError> {
    let is_screen = |name: &str| crate::saver::app::lookup::find(screens, name).is_some();
    let entries = split(words, is_screen).map_err(PlanError::Split)?;
    if !entries.is_empty() {
        return Ok(Some(Plan { entries, random: options.random, playlist: None }));
    }
    if let Some(name) = &options.playlist {
        let Some(list) = playlists.get(name) else {
            let known = playlists.keys().cloned().collect();
            return Err(PlanError::UnknownPlaylist { name: name.clone(), known });
        };
        if list.screens.len() > MAX_SCREENS {
            return Err(PlanError::Split(ValueError::OutOfRange {
                text: format!("{} screens in playlist {name}", list.screens.len()),
                min: "1".into(),
                max: MAX_SCREENS.to_string(),
            }));
        }
        let entries = list.screens.clone();
        return Ok(Some(Plan { entries, random: options.random, playlist: Some(name.clone()) }));
    }
    if options.random {
        return Ok(Some(Plan { entries: random_pool(screens), random: true, playlist: None }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests;

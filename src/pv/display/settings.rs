//! What the display can be told to change while it runs (by `-R`): the layout (switches or
//! `-F`), the name, the `-x` titles, the size, the interval, the width and the height, and the
//! rate limit the copy follows. The wire format that carries them is `remote`'s; which
//! options give them is `setup`'s.

use std::time::Duration;

use super::{Config, Extra};
use crate::pv::format::{self, Switches, Token};

/// The settings `-R` hands over.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Settings {
    pub(crate) switches: Switches,
    pub(crate) format: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) extra: Option<Extra>,
    /// Units per second; 0 lifts the limit.
    pub(crate) rate_limit: Option<u64>,
    pub(crate) size: Option<u64>,
    pub(crate) interval: Option<Duration>,
    pub(crate) width: Option<usize>,
    pub(crate) height: Option<usize>,
}

impl Settings {
    /// The layout these settings ask for (`-F`, else the switches); None for a `-n` display,
    /// whose numbers do not change.
    #[must_use]
    pub(crate) fn tokens(&self, config: &Config) -> Option<Vec<Token>> {
        if config.classic_numeric.is_some() {
            return None;
        }
        match &self.format {
            Some(text) => format::parse_format(text).ok(),
            None => Some(format::switches_layout(&Switches {
                name: self.name.is_some(),
                ..self.switches
            })),
        }
    }
}

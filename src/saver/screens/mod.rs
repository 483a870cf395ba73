//! The built-in screens, one file each. Each file exposes `info() -> ScreenInfo`.
//!
//! Adding a built-in screen is one file here plus its name in the `builtin_screens!` line
//! below, which declares the module and lists it in `registry::builtin`.

pub mod data;
pub mod net;
pub mod script;

use crate::saver::kit::screen::ScreenInfo;

/// Declares each screen module and builds the list of their registry entries, in order.
macro_rules! builtin_screens {
    ($($name:ident),* $(,)?) => {
        $(pub mod $name;)*

        /// The registry entries of the built-in screens.
        #[must_use]
        pub(crate) fn builtin() -> Vec<ScreenInfo> {
            vec![$($name::info()),*]
        }
    };
}

builtin_screens!(
    matrix, clock, randtxt, sysmon, programmer, pipes, fire, life, starfield, plasma, maze, bonsai,
    donut, snow, aquarium, img2ascii, fortune
);

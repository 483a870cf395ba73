//! `fun saver`: an ASCII screensaver engine with pluggable screens, in four layers, each a
//! folder that imports only the ones below it (`.ci/checks/layers.sh` holds the walls):
//! - `kit`: the screen API (style, colour, theme, the buffer, the `Screen` contract, value
//!   parsers, paint helpers, fonts);
//! - `engine`: the frame loop, backends, the renderer, power saving, overlays, rotation;
//! - `screens`: the built-in, data-defined and network screens (kit only);
//! - `app`: the product: arguments, config, playlists, install, record, the registry.

pub(crate) mod app;
pub(crate) mod engine;
pub mod kit;
pub(crate) mod screens;

pub use self::app::{TOOL, pipeline, registry};
pub use self::screens::net as netscreens;

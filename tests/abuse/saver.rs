//! Hostile inputs for `fun saver`.

#[allow(unused_imports)]
use super::*;

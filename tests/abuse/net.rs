//! Hostile inputs for `fun net`.

#[allow(unused_imports)]
use super::*;

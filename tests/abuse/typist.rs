//! Hostile inputs for `fun typist`.

#[allow(unused_imports)]
use super::*;

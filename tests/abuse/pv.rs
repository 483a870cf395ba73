//! Hostile inputs for `fun pv`.

#[allow(unused_imports)]
use super::*;

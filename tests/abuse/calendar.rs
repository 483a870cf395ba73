//! Hostile inputs for `fun calendar`.

#[allow(unused_imports)]
use super::*;

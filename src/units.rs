//! STUB: units (pv branch): size parsing and pv-style formatting.

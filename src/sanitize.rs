//! STUB: text sanitising for untrusted text (network branch).

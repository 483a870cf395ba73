//! STUB: terminal guard (saver branch).

//! STUB: network fetch with timeouts, size caps and a cache (network branch).

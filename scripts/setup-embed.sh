#!/usr/bin/env bash
# Installs what scripts/build-embed.sh and the tests in tests/embed/ need, idempotently:
# the wasm32 target, wasm-bindgen-cli (the exact version of the wasm-bindgen crate), Chromium,
# and the Node tools of tests/embed/ (wasm-opt from npm `binaryen`, esbuild, playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup-embed: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  echo "setup-embed: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  # Not --locked: a locked dependency version of 0.2.130 is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "setup-embed: installing Node.js"
  apt-get update && apt-get install -y nodejs npm
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-embed: installing Chromium"
  apt-get update && apt-get install -y chromium
fi

if [ ! -d tests/embed/node_modules/playwright-core ] || [ ! -d tests/embed/node_modules/binaryen ] || [ ! -d tests/embed/node_modules/esbuild ]; then
  echo "setup-embed: npm ci in tests/embed"
  (cd tests/embed && npm ci --no-audit --no-fund)
fi
echo "setup-embed: ready"

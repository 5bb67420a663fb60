#!/usr/bin/env bash
# Installs what building and testing the web app needs. Idempotent: each step runs only when
# its tool is missing or has the wrong version. Works on a fresh Debian 12 machine as root.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# 1. The wasm32 target: rustup's, else Debian's rustc-web toolchain (see docs/web.md).
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
elif command -v rustup >/dev/null && rustup target add wasm32-unknown-unknown; then
  say "installed wasm32-unknown-unknown with rustup"
else
  say "rustup could not add the target; installing Debian's rustc-web toolchain"
  apt_install rustc-web cargo-web rust-web-src lld-22
  touch target/.use-debian-wasm-toolchain 2>/dev/null || { mkdir -p target && touch target/.use-debian-wasm-toolchain; }
fi

# 2. wasm-bindgen CLI at exactly the version of the wasm-bindgen crate in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" = "$want" ]; then
  say "wasm-bindgen $want present"
else
  say "installing wasm-bindgen-cli $want (was: ${have:-none}); takes a few minutes"
  cargo install wasm-bindgen-cli --version "$want"
fi

# 3. Node packages: binaryen (wasm-opt) and playwright-core, from the committed lock file.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
if [ ! -x tests/browser/node_modules/.bin/wasm-opt ] || [ ! -d tests/browser/node_modules/playwright-core ] \
   || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  say "npm ci in tests/browser"
  (cd tests/browser && npm ci --no-audit --no-fund)
else
  say "node packages present"
fi

# 4. Chromium for the browser tests (Playwright drives it; it never downloads a browser).
if [ -x /usr/bin/chromium ]; then
  say "chromium present"
else
  say "installing chromium"
  apt_install chromium
fi
say "done"

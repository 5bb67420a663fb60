#!/usr/bin/env bash
# Builds the JavaScript package of the engine (dist/pkg/) and the docs-site embed (dist/embed/).
# Run scripts/setup-embed.sh once first. See docs/js-package.md and docs/embed.md.
#
#   cargo rustc (wasm32, profile wasm-embed, feature wasm, crate type cdylib)
#   -> wasm-bindgen --target web -> wasm-opt -Oz (npm binaryen)
#   -> dist/pkg/     @shoal/engine: shoal.js (browsers, bundlers), node.js (Node), .d.ts
#   -> dist/embed/   shoal-embed.js (esbuild bundle) + shoal.wasm + demo/
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=tests/embed/node_modules/.bin
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' crate/Cargo.toml | head -n1)
WORK=target/embed-build
WASM=target/wasm32-unknown-unknown/wasm-embed/shoal.wasm

for tool in wasm-bindgen "$BIN/wasm-opt" "$BIN/esbuild"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-embed: $tool missing: run scripts/setup-embed.sh" >&2; exit 1; }
done

echo "build-embed: cargo (wasm32, profile wasm-embed)"
cargo rustc -p shoal --lib --crate-type cdylib --target wasm32-unknown-unknown \
  --profile wasm-embed --no-default-features --features wasm

echo "build-embed: wasm-bindgen"
rm -rf "$WORK" && mkdir -p "$WORK"
wasm-bindgen --target web --out-name shoal_core --out-dir "$WORK" "$WASM"

echo "build-embed: wasm-opt -Oz"
# The features rustc enabled are read from the module's target_features section (kept until
# here: the profile does not strip), then the section, names and producers are dropped.
"$BIN/wasm-opt" -Oz --strip-debug --strip-producers --strip-target-features \
  "$WORK/shoal_core_bg.wasm" -o "$WORK/shoal.wasm"

echo "build-embed: dist/pkg"
rm -rf dist/pkg && mkdir -p dist/pkg
cp "$WORK/shoal_core.js" dist/pkg/shoal_core.js
cp "$WORK/shoal.wasm" dist/pkg/shoal_core_bg.wasm
cp js/api.js js/shoal.d.ts dist/pkg/
sed "s/__VERSION__/$VERSION/" js/shoal.js > dist/pkg/shoal.js
sed "s/__VERSION__/$VERSION/" js/node.js > dist/pkg/node.js
sed "s/__VERSION__/$VERSION/" js/package.json.in > dist/pkg/package.json
cp docs/js-package.md dist/pkg/README.md 2>/dev/null || true

if [ -d embed/src ]; then
  echo "build-embed: dist/embed"
  rm -rf dist/embed && mkdir -p dist/embed
  "$BIN/esbuild" embed/src/shoal-embed.js --bundle --format=esm --minify \
    --alias:shoal-core=./$WORK/shoal_core.js \
    --outfile=dist/embed/shoal-embed.js
  cp "$WORK/shoal.wasm" dist/embed/shoal.wasm
  cp -r embed/demo dist/embed/demo
fi

echo "build-embed: sizes (bytes, gzip -9)"
for f in dist/pkg/shoal_core_bg.wasm dist/pkg/shoal.js dist/pkg/api.js dist/pkg/shoal_core.js \
         dist/embed/shoal-embed.js dist/embed/shoal.wasm; do
  [ -f "$f" ] && printf '  %-32s %8d  gz %8d\n' "$f" "$(wc -c < "$f")" "$(gzip -9 -c "$f" | wc -c)"
done

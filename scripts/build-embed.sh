#!/usr/bin/env bash
# Builds the JavaScript package of the engine (dist/pkg/) and the docs-site embed (dist/embed/).
# Run scripts/setup-embed.sh once first. See docs/js-package.md and docs/embed.md.
#
# Two wasm variants of the engine, each: cargo rustc (wasm32, profile wasm-embed, crate type
# cdylib) -> wasm-bindgen --target web -> wasm-opt -Oz (npm binaryen):
#
#   features wasm,docs -> dist/pkg/    @shoal/engine: shoal.js (browsers, bundlers), node.js
#                                      (Node), .d.ts; `explain()` returns the docs synchronously
#   feature wasm-api   -> dist/embed/  shoal-embed.js (esbuild bundle) + shoal.wasm + demo/,
#                                      without the rule docs (shoal-docs.json, fetched when a
#                                      reader opens "Why?") and without the share-link exports
#                                      (the embed deflates its links with CompressionStream)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=tests/embed/node_modules/.bin
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' crate/Cargo.toml | head -n1)
WORK=target/embed-build
WASM=target/wasm32-unknown-unknown/wasm-embed/shoal.wasm

for tool in wasm-bindgen "$BIN/wasm-opt" "$BIN/esbuild"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-embed: $tool missing: run scripts/setup-embed.sh" >&2; exit 1; }
done

# Smaller wasm on a stable toolchain, as scripts/build-web.sh: panics carry no file/line (the
# profile aborts on panic anyway), derived Debug prints the type name only.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=shallow"

rm -rf "$WORK" && mkdir -p "$WORK"
# variant NAME FEATURES: builds the engine with FEATURES into $WORK/NAME/ (shoal_core.js, shoal.wasm).
variant() {
  echo "build-embed: cargo (wasm32, profile wasm-embed, features $2)"
  cargo rustc -p shoal --lib --crate-type cdylib --target wasm32-unknown-unknown \
    --profile wasm-embed --no-default-features --features "$2"
  echo "build-embed: wasm-bindgen, wasm-opt -Oz ($1)"
  wasm-bindgen --target web --out-name shoal_core --out-dir "$WORK/$1" "$WASM"
  # The features rustc enabled are read from the module's target_features section (kept until
  # here: the profile does not strip), then the section, names and producers are dropped.
  "$BIN/wasm-opt" -Oz --strip-debug --strip-producers --strip-target-features \
    "$WORK/$1/shoal_core_bg.wasm" -o "$WORK/$1/shoal.wasm"
}
variant pkg wasm,docs
variant embed wasm-api

# The rule docs for the embed, generated natively (see crate/examples/docs_json.rs).
env -u RUSTC_BOOTSTRAP -u CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS \
  cargo run -q -p shoal --example docs_json > "$WORK/shoal-docs.json"

echo "build-embed: dist/pkg"
rm -rf dist/pkg && mkdir -p dist/pkg
cp "$WORK/pkg/shoal_core.js" dist/pkg/shoal_core.js
cp "$WORK/pkg/shoal.wasm" dist/pkg/shoal_core_bg.wasm
cp js/api.js js/shoal.d.ts dist/pkg/
sed "s/__VERSION__/$VERSION/" js/shoal.js > dist/pkg/shoal.js
sed "s/__VERSION__/$VERSION/" js/node.js > dist/pkg/node.js
sed "s/__VERSION__/$VERSION/" js/package.json.in > dist/pkg/package.json
cp docs/js-package.md dist/pkg/README.md 2>/dev/null || true

if [ -d embed/src ]; then
  echo "build-embed: dist/embed"
  rm -rf dist/embed && mkdir -p dist/embed
  "$BIN/esbuild" embed/src/shoal-embed.js --bundle --format=esm --minify \
    --alias:shoal-core=./$WORK/embed/shoal_core.js \
    --outfile=dist/embed/shoal-embed.js
  cp "$WORK/embed/shoal.wasm" dist/embed/shoal.wasm
  cp "$WORK/shoal-docs.json" dist/embed/shoal-docs.json
  cp -r embed/demo dist/embed/demo
fi

echo "build-embed: sizes (bytes, gzip -9)"
for f in dist/pkg/shoal_core_bg.wasm dist/pkg/shoal.js dist/pkg/api.js dist/pkg/shoal_core.js \
         dist/embed/shoal-embed.js dist/embed/shoal.wasm dist/embed/shoal-docs.json; do
  [ -f "$f" ] && printf '  %-32s %8d  gz %8d\n' "$f" "$(wc -c < "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
if [ -f dist/embed/shoal.wasm ]; then
  printf '  %-32s %8d  gz %8d\n' "embed total (script + wasm)" \
    "$(cat dist/embed/shoal-embed.js dist/embed/shoal.wasm | wc -c)" \
    "$(( $(gzip -9 -c dist/embed/shoal-embed.js | wc -c) + $(gzip -9 -c dist/embed/shoal.wasm | wc -c) ))"
fi

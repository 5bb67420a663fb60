#!/usr/bin/env bash
# Builds the web app into dist/: a self-contained static site with content-hashed file names
# and relative URLs (it works from any sub-path), wasm optimised with wasm-opt.
# Needs what scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-unknown-unknown
profile=wasm-release
out=dist
stage=target/web-build

# Smaller wasm on a stable toolchain (RUSTC_BOOTSTRAP unlocks two -Z flags; both only drop
# text the app never shows): panics carry no file/line, derived Debug prints the type name only.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=shallow"

if [ -e target/.use-debian-wasm-toolchain ]; then
  # Debian's rustc-web toolchain (no rustup target): build std for wasm32 with the crate.
  PATH=/usr/bin:$PATH RUSTC_BOOTSTRAP=1 cargo build -p shoal-web --lib --target "$target" \
    --profile "$profile" -Zbuild-std=std,panic_abort
else
  cargo build -p shoal-web --lib --target "$target" --profile "$profile"
fi

rm -rf "$stage" "$out"
mkdir -p "$stage" "$out"

# The rules' docs: the wasm above is built without them (shoal-web uses the engine without its
# default features, `docs` among them); the app loads this JSON when it first shows one.
# Generated natively, where the engine has them (see crate/examples/docs_json.rs).
env -u RUSTC_BOOTSTRAP cargo run -q -p shoal --example docs_json > "$stage/rule-docs.json"
wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name shoal-web \
  "target/$target/$profile/shoal_web.wasm"

wasm_opt=tests/browser/node_modules/.bin/wasm-opt
"$wasm_opt" -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  --strip-debug --strip-producers --strip-target-features \
  "$stage/shoal-web_bg.wasm" -o "$stage/shoal-web_bg.opt.wasm"

hash() { sha256sum "$1" | cut -c1-12; }
# copy SRC NAME EXT: writes dist/NAME-<hash>.EXT and prints that file name.
put() {
  local name
  name="$2-$(hash "$1").$3"
  cp "$1" "$out/$name"
  printf '%s' "$name"
}

wasm=$(put "$stage/shoal-web_bg.opt.wasm" shoal-web_bg wasm)
# The glue's default wasm URL is never used (app.js and worker.js pass it), but keep it right.
sed "s|shoal-web_bg\.wasm|$wasm|g" "$stage/shoal-web.js" > "$stage/glue.js"
glue=$(put "$stage/glue.js" shoal-web js)
rewrite() { sed -e "s|\./shoal-web_bg\.wasm|./$wasm|g" -e "s|\./shoal-web\.js|./$glue|g" -e "s|\./worker\.js|./$worker|g" "$1"; }
worker=unused
rewrite static/worker.js > "$stage/worker.js"
worker=$(put "$stage/worker.js" worker js)
rewrite static/app.js > "$stage/app.js"
app=$(put "$stage/app.js" app js)
css=$(put static/app.css app css)
docs=$(put "$stage/rule-docs.json" rule-docs json)

sed -e "s|\./static/app\.css|./$css|" -e "s|\./static/app\.js|./$app|" \
    -e "s|\./static/shoal-web\.js|./$glue|" -e "s|\./static/shoal-web_bg\.wasm|./$wasm|" \
    -e "s|\./static/rule-docs\.json|./$docs|" \
    index.html > "$out/index.html"

if grep -rEo "(src|href)=\"(https?:)?//[^\"]*\"" "$out"/index.html; then
  echo "build-web: external URL in index.html" >&2
  exit 1
fi

echo "build-web: wrote $out/"
( cd "$out" && for f in *; do printf '  %-40s %8d bytes  %8d gzipped\n' "$f" "$(wc -c < "$f")" "$(gzip -9c "$f" | wc -c)"; done )
bash scripts/build-single.sh "$out"

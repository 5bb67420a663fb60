# shoal — see README.md. `make serve` and `make test` install what they need first
# (scripts/setup.sh is idempotent: wasm32 target, wasm-bindgen CLI, node packages, Chromium).
.PHONY: test test-engine lint bench cli setup build serve test-browser bench-web clean build-embed test-embed

PORT ?= 8080

## Run every test: engine and CLI, lint checks, then the web app in Chromium.
test: setup test-engine lint
	bash scripts/build-web.sh
	$(MAKE) test-browser
	$(MAKE) test-embed

test-engine:
	cargo test --workspace

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

## The native CLI: target/release/shoal
cli:
	cargo build --release -p shoal --bin shoal

## The engine benchmark (figures in docs/performance.md).
bench:
	cargo bench -p shoal --bench analyze

## Install the web build and test tools (idempotent).
setup:
	bash scripts/setup.sh
	bash scripts/setup-embed.sh

## The web app as a static site in dist/.
build: setup
	bash scripts/build-web.sh
	bash scripts/build-embed.sh

## Build and serve dist/ on http://127.0.0.1:$(PORT)
serve: build
	node tests/browser/server.mjs dist $(PORT)

## Browser tests against dist/ (built already).
test-browser:
	cd tests/browser && node --test

## The web benchmark (figures in docs/performance-web.md).
bench-web: build
	node tests/browser/bench.mjs

## The JS/wasm package (dist/pkg/) and the docs-site embed (dist/embed/).
build-embed:
	bash scripts/build-embed.sh

## The package and the embed, in Node and Chromium.
test-embed: build-embed
	cargo test -p shoal --features wasm --lib wasm::
	cd tests/embed && node --test

clean:
	rm -rf dist target/web-build

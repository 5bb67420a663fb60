# shoal: build, serve and test. `make serve` and `make test` install what they need first
# (scripts/setup.sh is idempotent).
.PHONY: setup build serve test test-rust test-browser bench clean

PORT ?= 8080

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build-web.sh

serve: build
	node tests/browser/server.mjs dist $(PORT)

test-rust:
	cargo test --workspace

test-browser:
	cd tests/browser && node --test

test: setup test-rust
	bash scripts/build-web.sh
	$(MAKE) test-browser

bench: build
	node tests/browser/bench.mjs

clean:
	rm -rf dist target/web-build

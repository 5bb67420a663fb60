# shoal — see README.md.
.PHONY: test test-engine lint bench cli

## Run every test: engine, CLI, lint checks.
test: test-engine lint

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

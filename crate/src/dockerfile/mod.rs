//! Dockerfile parser (BuildKit-compatible) and instruction model.

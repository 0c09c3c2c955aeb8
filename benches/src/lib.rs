//! Benchmarks for photolint; the benches are the files beside this crate's
//! `Cargo.toml` (`stages.rs`: criterion, one bench per pipeline stage).

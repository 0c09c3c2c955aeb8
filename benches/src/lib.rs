//! Benches support crate (the benches live beside this file).

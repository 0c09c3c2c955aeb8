//! One file per command; `main.rs` parses the command line and dispatches.

pub(crate) mod annotate;
pub(crate) mod check;
pub(crate) mod explain;
pub(crate) mod fix;
pub(crate) mod profiles;
pub(crate) mod scan;

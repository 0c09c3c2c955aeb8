//! photolint

//! `--profile NAME|FILE`: a built-in profile by name, or a profile file by
//! path, with a plain answer when it is neither (the library's
//! [`Profile::load`], its message without the error's prefix).

use photolint::{Error, Profile};

/// Loads the profile `spec` names; the error is the message to print.
pub(crate) fn load(spec: &str) -> Result<Profile, String> {
    Profile::load(spec).map_err(|e| match e {
        Error::Profile(message) => message,
        other => other.to_string(),
    })
}

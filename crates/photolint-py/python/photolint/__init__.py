"""photolint: check ID photos (by default the Chinese diploma photo) before
they are submitted. A thin layer over the Rust library; see README.md."""

from ._native import (
    Checker,
    FixRefused,
    PhotoError,
    annotate,
    check,
    explain,
    fix,
    profiles,
    scan,
)

__all__ = [
    "Checker",
    "FixRefused",
    "PhotoError",
    "annotate",
    "check",
    "explain",
    "fix",
    "profiles",
    "scan",
]

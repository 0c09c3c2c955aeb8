//! Helpers shared by the command-line tests.

use std::path::PathBuf;

/// A fresh, empty folder for one test, unique to this test process.
#[allow(dead_code)] // not every test file writes files
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("photolint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// `photolint` as an English-speaking user runs it: `LANG=C`, no
/// `LC_ALL` or `LC_MESSAGES` (which would win over `LANG`).
#[allow(dead_code)] // not every test file runs the binary
pub fn photolint() -> std::process::Command {
    english(std::process::Command::new(env!("CARGO_BIN_EXE_photolint")))
}

fn english(mut c: std::process::Command) -> std::process::Command {
    c.env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

/// Whether the tests run as root: the owner of `/proc/self` is the
/// process's user (Linux; elsewhere `id -u` is asked).
#[allow(dead_code)] // not every test file drops root
pub fn is_root() -> bool {
    static ROOT_USER: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ROOT_USER.get_or_init(|| match std::fs::metadata("/proc/self") {
        Ok(m) => std::os::unix::fs::MetadataExt::uid(&m) == 0,
        Err(_) => std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0"),
    })
}

/// Whether `setpriv` (util-linux) is here to run photolint as another user.
#[allow(dead_code)]
pub fn has_setpriv() -> bool {
    static SETPRIV: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SETPRIV.get_or_init(|| {
        std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// [`photolint`], as user nobody when the tests run as root and `setpriv`
/// is here (root reads and writes any file, so permission cases need
/// someone else).
#[allow(dead_code)]
pub fn photolint_unprivileged() -> std::process::Command {
    let exe = env!("CARGO_BIN_EXE_photolint");
    if is_root() && has_setpriv() {
        let mut c = std::process::Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            exe,
        ]);
        english(c)
    } else {
        photolint()
    }
}

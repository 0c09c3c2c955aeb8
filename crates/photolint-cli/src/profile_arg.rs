//! `--profile NAME|FILE`: a built-in profile by name, or a profile file by
//! path, with a plain answer when it is neither.

use std::path::Path;

use photolint::Profile;

/// Loads the profile `spec` names. The error says which of the two it was
/// taken for: a missing file, or an unknown name with the closest built-in
/// one and the list.
pub(crate) fn load(spec: &str) -> Result<Profile, String> {
    let names = Profile::built_in_names();
    if names.contains(&spec) {
        return Profile::built_in(spec).map_err(|e| e.to_string());
    }
    let path = Path::new(spec);
    if path.is_dir() {
        return Err(format!(
            "profile {spec}: is a folder; give a profile file (TOML) or a built-in name"
        ));
    }
    if path.exists() {
        return Profile::from_file(path).map_err(|e| format!("profile {spec}: {e}"));
    }
    if looks_like_a_path(spec) {
        return Err(format!("profile file {spec} does not exist"));
    }
    let hint = closest(spec, &names)
        .map(|n| format!("; did you mean {n:?}?"))
        .unwrap_or_default();
    Err(format!(
        "no built-in profile named {spec:?}{hint}\n  built in: {}\n  a profile file is given by its path, e.g. --profile ./my-profile.toml",
        names.join(", ")
    ))
}

fn looks_like_a_path(spec: &str) -> bool {
    spec.contains(['/', '\\']) || spec.to_ascii_lowercase().ends_with(".toml")
}

/// The name nearest to `typed` by edit distance, when it is near enough to
/// be a slip (at most a third of the name's letters).
fn closest<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    names
        .iter()
        .map(|n| (edit_distance(&typed, n), *n))
        .filter(|(d, n)| *d <= (n.chars().count() / 3).max(1))
        .min()
        .map(|(_, n)| n)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diag + usize::from(ca != *cb));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_slips() {
        assert_eq!(edit_distance("chsi-diplome", "chsi-diploma"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn a_slip_gets_the_nearest_name_and_nonsense_gets_none() {
        let names = ["chsi-diploma", "icao-passport"];
        assert_eq!(closest("chsi-diplome", &names), Some("chsi-diploma"));
        assert_eq!(closest("ICAO-pasport", &names), Some("icao-passport"));
        assert_eq!(closest("visa", &names), None);
    }
}

//! Profiles: the numbers a photo standard is judged by, as data files.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// An inclusive range `[min, max]`.
pub type Range = [f64; 2];

/// Framing thresholds, in pixels of the profile's reference frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framing {
    /// Allowed top-of-head position, px from the top edge.
    pub crown_y: Range,
    /// Allowed eye-line position, px from the top edge.
    pub eye_y: Range,
    /// Allowed face width, px.
    pub face_width: Range,
    /// Allowed horizontal offset of the face centre from the frame centre, px.
    pub centre_tolerance: f64,
    /// Largest eye-line tilt, degrees.
    pub max_roll_degrees: f64,
    /// Largest shoulder-line tilt, degrees (a warning).
    pub max_shoulder_tilt_degrees: f64,
    /// Allowed head height, crown to chin, px (absent: not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_height: Option<Range>,
    /// Least distance between the eye centres in the photo's own pixels
    /// (the resolution the face is recorded at; absent: not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_eye_distance: Option<f64>,
}

/// A background colour a profile accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedColour {
    /// Name, English (used in messages).
    pub name_en: String,
    /// Name, Chinese.
    pub name_zh: String,
    /// The reference colour, sRGB.
    pub rgb: [u8; 3],
}

/// Background thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackgroundRules {
    /// The colours the background may have (at least one).
    pub allowed: Vec<AllowedColour>,
    /// Largest CIEDE2000 distance of the mean background colour to the nearest allowed colour.
    pub max_delta_e: f64,
    /// Largest 95th percentile of the CIEDE2000 distance of background pixels to their mean.
    pub max_spread: f64,
    /// Largest CIEDE2000 difference between background bands (top/bottom,
    /// left/right, corners/middle).
    pub max_gradient: f64,
    /// Background pixels further than this (CIEDE2000) from the smooth
    /// background are clutter (objects, edges, another person).
    pub clutter_delta_e: f32,
    /// Largest share of the background that may be clutter, 0..1.
    pub max_clutter_share: f64,
    /// Least darkening (0..1) for background beside the head to count as shadow.
    pub shadow_darkening: f32,
    /// Largest shadow area beside the head, reference px².
    pub max_shadow_area: f64,
}

/// A range of colours in LCh, as a clothing class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColourClass {
    /// Hue sector `[from, to)`, degrees (CIELAB hue angle); `from > to` wraps through 0.
    pub hue: Range,
    /// Least chroma C*.
    pub min_chroma: f64,
    /// Lightness L* range.
    pub lightness: Range,
    /// More shades of the same hues that still read as the colour: a band
    /// of lightness with its own least chroma (a saturated royal blue below
    /// `lightness`, unlike a navy suit; a pale mint green under
    /// `min_chroma`, unlike a white shirt); absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shades: Option<Shades>,
}

/// More shades of a clothing colour class: a lightness range and the least
/// chroma a colour needs there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shades {
    /// Least chroma C*.
    pub min_chroma: f64,
    /// Lightness L* range.
    pub lightness: Range,
}

/// Clothing thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClothingRules {
    /// Least share of the frame the clothing must cover to be judged at all.
    pub min_area: f64,
    /// Least share of the clothing a colour must cover to count (a tie or a logo does not).
    pub min_share: f64,
    /// Least CIEDE2000 distance between clothing and background.
    pub min_delta_e_background: f64,
    /// Clothing within this CIEDE2000 distance of the person's skin is skin-like.
    pub skin_delta_e: f64,
    /// Skin at the shoulder points within this CIEDE2000 distance is bare skin.
    pub bare_skin_delta_e: f64,
    /// Share of skin at a shoulder point above which the shoulder is bare.
    pub bare_shoulder_share: f64,
    /// Blue tops (rule C002); absent: not checked.
    pub blue: Option<ColourClass>,
    /// Yellow tops (rule C003).
    pub yellow: Option<ColourClass>,
    /// Green tops (rule C004).
    pub green: Option<ColourClass>,
    /// Yellow-green tops (rule C005).
    pub yellow_green: Option<ColourClass>,
}

impl ClothingRules {
    /// The colour classes defined, with their keys, in rule-code order.
    pub fn classes(&self) -> Vec<(&'static str, &ColourClass)> {
        [
            ("blue", &self.blue),
            ("yellow", &self.yellow),
            ("green", &self.green),
            ("yellow_green", &self.yellow_green),
        ]
        .into_iter()
        .filter_map(|(k, c)| c.as_ref().map(|c| (k, c)))
        .collect()
    }
}

/// What the file itself must be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRules {
    /// Format required, as sniffed from the content: `jpeg` or `png`.
    pub format: crate::decode::FileFormat,
    /// File-name extensions accepted (lower-case, without the dot).
    pub extensions: Vec<String>,
    /// Exact width, px (0: any).
    pub width: u32,
    /// Exact height, px (0: any).
    pub height: u32,
    /// Colour channels required (3: true colour, no alpha, no CMYK).
    pub channels: u8,
    /// Bits per channel required.
    pub bits_per_channel: u8,
    /// Resolution that must be recorded, dots per inch (0: not checked).
    pub dpi: f64,
    /// Allowed difference from `dpi`.
    pub dpi_tolerance: f64,
    /// Least JPEG quality factor (estimated from the quantisation tables).
    pub min_jpeg_quality: u8,
    /// File size band, KB (1 KB = 1024 bytes); outside it is a warning
    /// (absent: not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_kb: Option<Range>,
}

/// Light thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LightRules {
    /// Largest exposure error read on the backdrop, stops.
    pub max_exposure_ev: f64,
    /// Largest share of face pixels crushed to black (luma 25 or below).
    pub max_dark_share: f64,
    /// Largest share of face pixels blown to white (luma 247 or above).
    pub max_bright_share: f64,
    /// Largest difference of light between the two halves of the face, stops.
    pub max_side_ev: f64,
    /// Least focus measure on the face.
    pub min_sharpness: f64,
    /// Largest specular highlight on the face skin, reference px².
    pub max_glare_face: f64,
    /// Largest specular highlight on the eyes or glasses, reference px².
    pub max_glare_eyes: f64,
    /// Largest specular highlight on the clothing, reference px².
    pub max_glare_clothing: f64,
}

/// Face rules read on the face mesh: glasses, headwear, the forehead, the
/// eyes, the mouth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaceRules {
    /// Narrowest face box, in the photo's own pixels, on which the mesh is
    /// read; a smaller face leaves these rules not judged.
    pub min_face_px: f64,
    /// Largest frame-line contrast: the line across the nose bridge plus
    /// the fainter of the lines under the eyes.
    pub max_frame_contrast: f64,
    /// How glasses count: `error` or `warning`.
    pub glasses_severity: crate::report::Severity,
    /// Largest share of the top of the head in a colour that is neither
    /// hair nor skin: headwear.
    pub max_headwear: f64,
    /// Largest share of the forehead above the brows covered by hair
    /// before it counts as `forehead_severity`.
    pub max_forehead_hair: f64,
    /// Largest share covered before it is a warning.
    pub warn_forehead_hair: f64,
    /// How hair over the forehead counts: `error` or `warning`.
    pub forehead_severity: crate::report::Severity,
    /// Least height of iris and white between the lids, over the eye's
    /// width, for an open eye.
    pub min_iris_height: f64,
    /// Largest inner-lip gap over mouth width.
    pub max_mouth_openness: f64,
    /// How an open mouth counts: `error` or `warning`.
    pub mouth_severity: crate::report::Severity,
}

/// A photo standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short stable name, e.g. `chsi-diploma`.
    pub name: String,
    /// Human title, English.
    pub title_en: String,
    /// Human title, Chinese.
    pub title_zh: String,
    /// Width of the reference frame the pixel numbers refer to.
    pub reference_width: u32,
    /// Height of the reference frame the pixel numbers refer to.
    pub reference_height: u32,
    /// Rule codes this profile switches off (e.g. `["C004"]`).
    #[serde(default)]
    pub disabled_rules: Vec<String>,
    /// Framing rules.
    pub framing: Framing,
    /// Background rules.
    pub background: BackgroundRules,
    /// Clothing rules.
    pub clothing: ClothingRules,
    /// Light rules: exposure, balance, sharpness, glare.
    pub light: LightRules,
    /// File rules: format, size, colour depth, resolution, quality.
    pub file: FileRules,
    /// Face rules read on the face mesh; a profile without them leaves
    /// those rules not judged.
    #[serde(default)]
    pub face: Option<FaceRules>,
    /// How the files must be named (default: any name).
    #[serde(default)]
    pub naming: Naming,
    /// How far `fix` may go in cropping and scaling; a profile without it
    /// is not fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixRules>,
}

/// What `fix` may do: how far it may enlarge, how much of each band it
/// keeps clear, the highest JPEG quality it writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixRules {
    /// Largest enlargement (output pixels per photo pixel).
    pub max_upscale: f64,
    /// Share of each framing band kept clear at both ends, so that the
    /// fixed photo passes with room to spare, 0..0.5.
    pub band_margin: f64,
    /// Highest JPEG quality written; it steps down to the file rules'
    /// least quality to keep the file within its size band.
    pub max_jpeg_quality: u8,
}

/// How photo files must be named, for audits of uploaded folders.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum Naming {
    /// Any name.
    #[default]
    None,
    /// The file name (without extension) is an 18-character resident ID
    /// number (GB 11643): valid region, birth date and MOD 11-2 check character.
    ResidentId,
    /// The file name (without extension) matches a regular expression, whole.
    Regex {
        /// The expression (Rust `regex` syntax), anchored at both ends when checked.
        pattern: String,
    },
}

const BUILT_IN: &[(&str, &str)] = &[
    (
        "chsi-diploma",
        include_str!("../profiles/chsi-diploma.toml"),
    ),
    (
        "cn-resident-id",
        include_str!("../profiles/cn-resident-id.toml"),
    ),
    ("cn-1inch", include_str!("../profiles/cn-1inch.toml")),
    ("cn-2inch", include_str!("../profiles/cn-2inch.toml")),
    (
        "icao-passport",
        include_str!("../profiles/icao-passport.toml"),
    ),
];

/// Name of the default profile.
pub const DEFAULT_PROFILE: &str = "chsi-diploma";

impl Profile {
    /// Parses a profile from TOML text and checks that its numbers make sense.
    pub fn from_toml(text: &str) -> Result<Profile, Error> {
        let p: Profile = toml::from_str(text).map_err(|e| Error::Profile(e.to_string()))?;
        p.validate()?;
        Ok(p)
    }

    /// Reads a profile file (TOML).
    pub fn from_file(path: &std::path::Path) -> Result<Profile, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Profile::from_toml(&text)
    }

    /// A built-in profile by name.
    pub fn built_in(name: &str) -> Result<Profile, Error> {
        BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| Error::Profile(format!("no built-in profile named {name:?}")))
            .and_then(|(_, text)| Profile::from_toml(text))
    }

    /// The profile `spec` names: a built-in name, or the path of a profile
    /// file. The error says which of the two `spec` was taken for: a
    /// folder, a missing file, a file that does not read as a profile, or
    /// an unknown name, with the nearest built-in name when `spec` looks
    /// like a slip, and the list. The command line's `--profile` and the
    /// Python package both load profiles here.
    pub fn load(spec: &str) -> Result<Profile, Error> {
        let names = Profile::built_in_names();
        if names.contains(&spec) {
            return Profile::built_in(spec);
        }
        let path = std::path::Path::new(spec);
        if path.is_dir() {
            return Err(Error::Profile(format!(
                "profile {spec}: is a folder; give a profile file (TOML) or a built-in name"
            )));
        }
        if path.exists() {
            return Profile::from_file(path)
                .map_err(|e| Error::Profile(format!("profile {spec}: {e}")));
        }
        if spec.contains(['/', '\\']) || spec.to_ascii_lowercase().ends_with(".toml") {
            return Err(Error::Profile(format!(
                "profile file {spec} does not exist"
            )));
        }
        let hint = closest(spec, &names)
            .map(|n| format!("; did you mean {n:?}?"))
            .unwrap_or_default();
        Err(Error::Profile(format!(
            "no built-in profile named {spec:?}{hint}\n  built in: {}\n  a profile file is given by its path, e.g. --profile ./my-profile.toml",
            names.join(", ")
        )))
    }

    /// Names of the built-in profiles.
    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(n, _)| *n).collect()
    }

    /// The TOML text of a built-in profile, comments (the reasons for each
    /// number) included.
    pub fn built_in_source(name: &str) -> Option<&'static str> {
        BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    fn validate(&self) -> Result<(), Error> {
        let f = &self.framing;
        if self.reference_width == 0 || self.reference_height == 0 {
            return Err(Error::Profile("reference size must be positive".into()));
        }
        for (key, r) in [
            ("crown_y", f.crown_y),
            ("eye_y", f.eye_y),
            ("face_width", f.face_width),
        ] {
            if !(r[0].is_finite() && r[1].is_finite() && r[0] <= r[1]) {
                return Err(Error::Profile(format!(
                    "framing.{key}: min must not exceed max"
                )));
            }
        }
        if self.background.allowed.is_empty() {
            return Err(Error::Profile(
                "background.allowed: at least one colour".into(),
            ));
        }
        for code in &self.disabled_rules {
            if crate::rules::find(code).is_none() {
                return Err(Error::Profile(format!("disabled_rules: no rule {code:?}")));
            }
        }
        if let Some(k) = &self.file.size_kb {
            if !(k[0].is_finite() && k[1].is_finite() && 0.0 <= k[0] && k[0] <= k[1]) {
                return Err(Error::Profile(
                    "file.size_kb: a band [min, max] with 0 <= min <= max".into(),
                ));
            }
        }
        if let Some(r) = f.head_height {
            if !(r[0].is_finite() && r[1].is_finite() && r[0] <= r[1]) {
                return Err(Error::Profile(
                    "framing.head_height: min must not exceed max".into(),
                ));
            }
        }
        if let Some(fx) = &self.fix {
            if !(fx.max_upscale.is_finite() && fx.max_upscale >= 1.0) {
                return Err(Error::Profile(
                    "fix.max_upscale must be a number 1 or more".into(),
                ));
            }
            if !(fx.band_margin.is_finite() && (0.0..0.5).contains(&fx.band_margin)) {
                return Err(Error::Profile(
                    "fix.band_margin must be a number from 0 to under 0.5".into(),
                ));
            }
            if !(1..=100).contains(&fx.max_jpeg_quality) {
                return Err(Error::Profile(
                    "fix.max_jpeg_quality must be from 1 to 100".into(),
                ));
            }
        }
        if let Naming::Regex { pattern } = &self.naming {
            regex::Regex::new(pattern)
                .map_err(|e| Error::Profile(format!("naming.pattern: {e}")))?;
        }
        let l = &self.light;
        for (key, v) in [
            ("max_exposure_ev", l.max_exposure_ev),
            ("max_dark_share", l.max_dark_share),
            ("max_bright_share", l.max_bright_share),
            ("max_side_ev", l.max_side_ev),
            ("min_sharpness", l.min_sharpness),
            ("max_glare_face", l.max_glare_face),
            ("max_glare_eyes", l.max_glare_eyes),
            ("max_glare_clothing", l.max_glare_clothing),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::Profile(format!(
                    "light.{key} must be a number 0 or more"
                )));
            }
        }
        if let Some(fr) = &self.face {
            for (key, v, hi) in [
                ("min_face_px", fr.min_face_px, f64::MAX),
                ("max_mouth_openness", fr.max_mouth_openness, 1.0),
                ("max_frame_contrast", fr.max_frame_contrast, f64::MAX),
                ("max_headwear", fr.max_headwear, 1.0),
                ("max_forehead_hair", fr.max_forehead_hair, 1.0),
                ("warn_forehead_hair", fr.warn_forehead_hair, 1.0),
                ("min_iris_height", fr.min_iris_height, 1.0),
            ] {
                if !(v.is_finite() && (0.0..=hi).contains(&v)) {
                    return Err(Error::Profile(format!(
                        "face.{key} must be a number from 0{}",
                        if hi == 1.0 { " to 1" } else { " up" }
                    )));
                }
            }
        }
        let c = &self.clothing;
        for (key, class) in c.classes() {
            let ok = |r: Range, lo: f64, hi: f64| {
                r.iter().all(|v| v.is_finite() && (lo..=hi).contains(v))
            };
            if !ok(class.hue, 0.0, 360.0) || !ok(class.lightness, 0.0, 100.0) {
                return Err(Error::Profile(format!(
                    "clothing.{key}: hue must lie in 0-360 and lightness in 0-100"
                )));
            }
        }
        Ok(())
    }

    /// True when the profile switches rule `code` off.
    pub fn is_disabled(&self, code: &str) -> bool {
        self.disabled_rules
            .iter()
            .any(|c| c.eq_ignore_ascii_case(code))
    }
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

    #[test]
    fn load_takes_a_name_or_a_file_and_says_which_failed() {
        assert_eq!(
            Profile::load("icao-passport")
                .map(|p| p.name)
                .ok()
                .as_deref(),
            Some("icao-passport")
        );
        let slip = Profile::load("chsi-diplome")
            .expect_err("not a profile")
            .to_string();
        assert!(slip.contains("did you mean \"chsi-diploma\"?"), "{slip}");
        let missing = Profile::load("./nope.toml")
            .expect_err("no file")
            .to_string();
        assert!(
            missing.contains("profile file ./nope.toml does not exist"),
            "{missing}"
        );
        let folder = Profile::load(".").expect_err("a folder").to_string();
        assert!(folder.contains("is a folder"), "{folder}");
    }
}

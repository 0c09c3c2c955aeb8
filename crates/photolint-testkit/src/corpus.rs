//! The evaluation corpus: every fixture family, plus borderline photos
//! that must pass, photos with two faults at once, and second strengths of
//! the faults, so that each rule is scored on more than one way of breaking it.

use crate::compose::{Backdrop, Dress, LchColour};
use crate::effects::forehead_spot;
use crate::{
    all_fixtures, edited, eye_y_for_crown, scene, single, truth, Base, Fixture, Placement, BASES,
    DIPLOMA_BLUE,
};

/// Photos near the edges of the diploma profile's bands, on the allowed
/// side: they must pass. They keep the false-alarm rate honest.
pub fn borderline_fixtures() -> Vec<Fixture> {
    let c = Placement::COMPLIANT;
    let half_tolerance = LchColour::from_rgb(DIPLOMA_BLUE.map(f32::from))
        .lighter_by(4.0)
        .to_rgb()
        .map(|v| v.round() as u8);
    let mut out = Vec::new();
    for base in &BASES {
        let fw = c.face_width;
        let v = |name: &str, desc: &str, p: Placement| single(base, name, desc, p, &[], &[]);
        out.push(v(
            "edge-crown-55",
            "crown at 55 px (band 50-110)",
            Placement {
                eye_y: eye_y_for_crown(base, fw, 55.0),
                ..c
            },
        ));
        out.push(v(
            "edge-eyes-295",
            "eye line at 295 px (band 200-300), crown kept in its band by a larger face",
            Placement {
                face_width: face_width_for(base, 295.0, 105.0),
                eye_y: 295.0,
                ..c
            },
        ));
        // The portraits carry a small roll of their own: the placement
        // adds what makes the true eye-line angle 4 degrees.
        let own_roll = truth(base, &c).3;
        out.push(v(
            "edge-roll-4",
            "eye line tilted 4 degrees in all (limit 5)",
            Placement {
                roll_degrees: 4.0 - own_roll,
                ..c
            },
        ));
        out.push(v(
            "edge-centre-16",
            "face 16 px right of the middle (tolerance 24)",
            Placement {
                centre_x: 256.0,
                ..c
            },
        ));
        out.push(v(
            "edge-face-190",
            "face 190 px wide (band 180-300)",
            Placement {
                face_width: 190.0,
                eye_y: eye_y_for_crown(base, 190.0, 80.0),
                ..c
            },
        ));
        out.push(scene(
            base,
            "edge-bg-half-tolerance",
            "light blue 4 (CIEDE2000) from the reference: half the tolerance of 8",
            c,
            Backdrop::Flat(half_tolerance),
            Dress::AsPhotographed,
            &[],
            &[],
        ));
    }
    out
}

/// The face width at which `base`, with its eye line at `eye_y`, has its
/// crown at `crown_y` or higher up (searched from the compliant width up).
fn face_width_for(base: &Base, eye_y: f32, crown_y: f32) -> f32 {
    let mut fw = Placement::COMPLIANT.face_width;
    while fw < 300.0 {
        let p = Placement {
            face_width: fw,
            eye_y,
            ..Placement::COMPLIANT
        };
        if truth(base, &p).0 <= crown_y {
            break;
        }
        fw += 2.0;
    }
    fw
}

/// Two faults at once: both must be found.
pub fn two_fault_fixtures() -> Vec<Fixture> {
    let c = Placement::COMPLIANT;
    let lch = |l, c, h| LchColour { l, c, h };
    let mut out = Vec::new();
    for base in &BASES {
        out.push(scene(
            base,
            "two-rolled-white-bg",
            "head rolled 8 degrees on a white backdrop",
            Placement {
                roll_degrees: 8.0,
                ..c
            },
            Backdrop::Flat([250, 250, 250]),
            Dress::AsPhotographed,
            &["F006", "B001"],
            &["F002", "F009"],
        ));
        if base.dressed {
            out.push(scene(
                base,
                "two-eyes-low-yellow-top",
                "eye line at 322 px, yellow top",
                Placement { eye_y: 322.0, ..c },
                Backdrop::Flat(DIPLOMA_BLUE),
                Dress::Colour(lch(84.0, 70.0, 95.0), 2.0),
                &["F003", "C003"],
                &["F002", "F009"],
            ));
            out.push(scene(
                base,
                "two-off-centre-green-top",
                "face 40 px left of the middle, green top",
                Placement {
                    centre_x: 200.0,
                    ..c
                },
                Backdrop::Flat(DIPLOMA_BLUE),
                Dress::Colour(lch(52.0, 50.0, 148.0), 2.0),
                &["F005", "C004"],
                &["F008", "F009"],
            ));
        }
        out.push(edited(
            base,
            "two-glare-blur",
            "flash hot-spot on the forehead and the photo out of focus (blur sigma 2.5)",
            &["G001", "L004"],
            &[],
            &|img, e, fw| {
                forehead_spot(img, e, 0.06 * fw, 0.95);
                *img = image::imageops::blur(img, 2.5);
            },
        ));
    }
    out
}

/// The faults again at a second strength (milder or stronger than in the
/// fixture families).
pub fn second_strength_fixtures() -> Vec<Fixture> {
    use crate::effects::exposure;
    let c = Placement::COMPLIANT;
    let mut out = Vec::new();
    for base in &BASES {
        let fw = c.face_width;
        let v = |name: &str, desc: &str, p: Placement, must: &[&str], may: &[&str]| {
            single(base, name, desc, p, must, may)
        };
        out.push(v(
            "crown-high-40",
            "crown 40 px from the top",
            Placement {
                eye_y: eye_y_for_crown(base, fw, 40.0),
                ..c
            },
            &["F002"],
            &["F009"],
        ));
        out.push(v(
            "eyes-low-312",
            "eye line at 312 px",
            Placement { eye_y: 312.0, ..c },
            &["F003"],
            &["F002", "F009"],
        ));
        out.push(v(
            "rolled-7",
            "head rolled 7 degrees (limit 5)",
            Placement {
                roll_degrees: 7.0,
                ..c
            },
            &["F006"],
            &["F002", "F009"],
        ));
        out.push(v(
            "face-small-165",
            "face 165 px wide, crown at 80 px",
            Placement {
                face_width: 165.0,
                eye_y: eye_y_for_crown(base, 165.0, 80.0),
                ..c
            },
            &["F004"],
            &["F003", "F009"],
        ));
        out.push(edited(
            base,
            "underexposed-1",
            "the whole photo 1.1 stops under-exposed",
            &["L001"],
            &["B001", "C001"],
            &|img, _, _| exposure(img, -1.1),
        ));
        out.push(edited(
            base,
            "glare-broad",
            "a broad flash hot-spot on the forehead (sigma 8 % of the face width)",
            &["G001"],
            &[],
            &|img, e, fw| forehead_spot(img, e, 0.08 * fw, 0.95),
        ));
        out.push(edited(
            base,
            "blurred-2",
            "Gaussian blur, sigma 2 px",
            &["L004"],
            &[],
            &|img, _, _| *img = image::imageops::blur(img, 2.0),
        ));
        out.push(scene(
            base,
            "bg-light-grey",
            "light grey backdrop (240,240,240), accepted by some copies of the standard, not by this profile",
            c,
            Backdrop::Flat([240, 240, 240]),
            Dress::AsPhotographed,
            &["B001"],
            &[],
        ));
    }
    out
}

/// The whole evaluation corpus: every fixture family, the borderline
/// photos, two-fault photos and second strengths.
pub fn evaluation_corpus() -> Vec<Fixture> {
    let mut v = all_fixtures();
    v.extend(borderline_fixtures());
    v.extend(two_fault_fixtures());
    v.extend(second_strength_fixtures());
    v
}

/// A smaller corpus for CI: the same families on two of the four
/// portraits (id1 and id3, both dressed), plus the whole-frame fixtures.
pub fn small_corpus() -> Vec<Fixture> {
    evaluation_corpus()
        .into_iter()
        .filter(|f| !["id2", "id4"].contains(&f.label.base.as_str()))
        .collect()
}

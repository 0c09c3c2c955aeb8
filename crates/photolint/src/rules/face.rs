//! The face as the mesh shows it: no glasses, no hat, the forehead bare,
//! the eyes open, the mouth closed. Photos on which the
//! mesh is not read (no single face, a face too small, a profile without
//! face rules) leave these rules unjudged, never passed.

use super::text::Text;
use super::{Ctx, Found, RuleInfo};
use crate::measure::Measurements;
use crate::report::{Severity, Unit};

/// Spectacles.
pub const GLASSES: RuleInfo = RuleInfo {
    code: "H001",
    name: "glasses",
    severity: Severity::Error,
    doc_en: "No glasses ({profile}: {face.glasses_severity}): a frame's bridge across the nose and the lower rims under the eyes are thin lines the bare skin there does not have. Their contrast against the skin on both sides (the bridge's plus the fainter rim's), read where the face mesh puts them, at most the profile's ({profile}: {face.max_frame_contrast}). Tuned by face.max_frame_contrast and face.glasses_severity.",
    keys: &[
        "face.max_frame_contrast",
        "face.glasses_severity",
        "face.min_face_px",
    ],
};

/// A hat, cap or other headwear.
pub const HEADWEAR: RuleInfo = RuleInfo {
    code: "H003",
    name: "headwear",
    severity: Severity::Error,
    doc_en: "No hat, cap or other headwear: the top of the head, from the crown down to above the hairline, is hair or a bare scalp. The share of it (person pixels) in a colour unlike both the skin's and the hair's (read at the temples), clearly coloured and not dark and dull like hair, at most {face.max_headwear} ({profile}). A black, grey or white hat is not told from hair. Tuned by face.max_headwear.",
    keys: &["face.max_headwear", "face.min_face_px"],
};

/// Hair over the forehead.
pub const HAIR_FOREHEAD: RuleInfo = RuleInfo {
    code: "H005",
    name: "hair-forehead",
    severity: Severity::Error,
    doc_en: "Hair must not cover the forehead: of the forehead from just above the brows to 0.6 eye distances above them, where the face mesh puts the brows, the share darker than 0.6 of the skin's lightness (the nose and cheeks). Over {face.max_forehead_hair} ({profile}), a fringe down towards the brows, it counts as {face.forehead_severity}; over {face.warn_forehead_hair}, hair swept over part of the forehead, it is a warning. Loose strands cover a few hundredths. Fair hair on fair skin is not seen. Tuned by face.max_forehead_hair, face.warn_forehead_hair and face.forehead_severity.",
    keys: &[
        "face.max_forehead_hair",
        "face.warn_forehead_hair",
        "face.forehead_severity",
        "face.min_face_px",
    ],
};

/// A closed or nearly closed eye.
pub const EYES_OPEN: RuleInfo = RuleInfo {
    code: "H007",
    name: "eyes-open",
    severity: Severity::Error,
    doc_en: "Both eyes open. Where the face mesh puts each eye, an open eye shows its iris and white between the lids; a closed lid is skin down to a lash line. The height of iris (darker than 0.65 of the skin's lightness) and white (under 0.6 of its colourfulness) seen across each eye, over the eye's width, at least {face.min_iris_height} ({profile}). A light iris in a thin slit is not seen. Tuned by face.min_iris_height.",
    keys: &["face.min_iris_height", "face.min_face_px"],
};

/// An open mouth.
pub const MOUTH_CLOSED: RuleInfo = RuleInfo {
    code: "H008",
    name: "mouth-closed",
    severity: Severity::Warning,
    doc_en: "The mouth should be closed, with a natural expression: the gap between the inner lips over the mouth's width, read on the face mesh, at most the profile's ({profile}: {face.max_mouth_openness}); a smile showing teeth is over it. A warning or an error as the profile says ({profile}: {face.mouth_severity}). Tuned by face.max_mouth_openness and face.mouth_severity.",
    keys: &[
        "face.max_mouth_openness",
        "face.mouth_severity",
        "face.min_face_px",
    ],
};

pub(super) fn judge(cx: &mut Ctx, m: &Measurements) {
    let rules = [
        &GLASSES,
        &HEADWEAR,
        &HAIR_FOREHEAD,
        &EYES_OPEN,
        &MOUTH_CLOSED,
    ];
    let Some(p) = cx.profile.face.clone() else {
        let why = Text::new("face-no-rules", "the profile sets no face rules");
        for r in rules {
            cx.unjudged(r, why.clone());
        }
        return;
    };
    let Some(f) = &m.face else {
        let why = if m.face_count != 1 {
            Text::new(
                "face-not-one",
                "the face rules are read on exactly one face",
            )
        } else {
            let width = m.framing.as_ref().map_or(0.0, |fr| fr.face_box.w as f64);
            Text::new(
                "face-too-small",
                "the face is {w} px wide, too small to read its features (at least {min} px)",
            )
            .num("w", width, 0)
            .num("min", p.min_face_px, 0)
        };
        for r in rules {
            cx.unjudged(r, why.clone());
        }
        return;
    };
    let g = &f.glasses;
    if g.score > p.max_frame_contrast {
        let text = Text::new(
            "H001",
            "glasses: frame lines across the nose and under the eyes (contrast {v}, at most {max} allowed); take them off",
        )
        .num("v", g.score, 2)
        .num("max", p.max_frame_contrast, 2);
        cx.push(
            Found::new(&GLASSES, text, Unit::Ratio)
                .value(g.score)
                .allowed([0.0, p.max_frame_contrast])
                .region(Some(g.region))
                .severity(p.glasses_severity),
        );
    }
    match f.headwear.share {
        Some(v) if v > p.max_headwear => {
            let text = Text::new(
                "H003",
                "a hat or cap: {v} % of the top of the head is neither hair nor skin, at most {max} % allowed; take it off",
            )
            .num("v", 100.0 * v, 0)
            .num("max", 100.0 * p.max_headwear, 0);
            cx.push(
                Found::new(&HEADWEAR, text, Unit::Ratio)
                    .value(v)
                    .allowed([0.0, p.max_headwear])
                    .region(Some(f.headwear.region)),
            );
        }
        Some(_) => {}
        None => cx.unjudged(
            &HEADWEAR,
            Text::new(
                "H003.top",
                "the top of the head is not in the photo, or not apart from the background",
            ),
        ),
    }
    let fh = &f.forehead;
    if fh.hair_share > p.max_forehead_hair {
        let text = Text::new(
            "H005",
            "hair over the forehead: {v} % of the forehead above the brows is covered, at most {max} % allowed; pin the fringe back",
        )
        .num("v", 100.0 * fh.hair_share, 0)
        .num("max", 100.0 * p.max_forehead_hair, 0);
        cx.push(
            Found::new(&HAIR_FOREHEAD, text, Unit::Ratio)
                .value(fh.hair_share)
                .allowed([0.0, p.max_forehead_hair])
                .region(Some(fh.region))
                .severity(p.forehead_severity),
        );
    } else if fh.hair_share > p.warn_forehead_hair {
        let text = Text::new(
            "H005.part",
            "hair over part of the forehead: {v} % of it above the brows is covered (over {max} % fails); better pinned back",
        )
        .num("v", 100.0 * fh.hair_share, 0)
        .num("max", 100.0 * p.max_forehead_hair, 0);
        cx.push(
            Found::new(&HAIR_FOREHEAD, text, Unit::Ratio)
                .value(fh.hair_share)
                .allowed([0.0, p.warn_forehead_hair])
                .region(Some(fh.region))
                .severity(Severity::Warning),
        );
    }
    let e = &f.eyes;
    // Sides as the photo shows them, as the glare rules name them.
    for (k, side) in [(0, "left eye"), (1, "right eye")] {
        if e.iris_height[k] < p.min_iris_height {
            let text = Text::new(
                "H007",
                "the {side} looks closed: iris and white show over {v} of its width, at least {min} needed; retake with both eyes open",
            )
            .term("side", side)
            .num("v", e.iris_height[k], 2)
            .num("min", p.min_iris_height, 2);
            cx.push(
                Found::new(&EYES_OPEN, text, Unit::Ratio)
                    .value(e.iris_height[k])
                    .allowed([p.min_iris_height, 1.0])
                    .region(Some(f.eye_regions[k])),
            );
        }
    }
    if f.mouth_openness > p.max_mouth_openness {
        let text = Text::new(
            "H008",
            "mouth open or teeth showing: lip gap {v} of the mouth's width, at most {max} allowed",
        )
        .num("v", f.mouth_openness, 2)
        .num("max", p.max_mouth_openness, 2);
        cx.push(
            Found::new(&MOUTH_CLOSED, text, Unit::Ratio)
                .value(f.mouth_openness)
                .allowed([0.0, p.max_mouth_openness])
                .region(Some(f.mouth_region))
                .severity(p.mouth_severity),
        );
    }
}

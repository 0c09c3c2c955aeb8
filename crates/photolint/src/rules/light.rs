//! Light and glare: exposure, light even across the face, focus, and
//! light spots on the face, the eyes and the clothing.

use super::text::Text;
use super::{Ctx, Found, RuleInfo};
use crate::measure::{GlarePlace, LightMeasure};
use crate::report::{Severity, Unit};

/// Light too low.
pub const UNDEREXPOSED: RuleInfo = RuleInfo {
    code: "L001",
    name: "underexposed",
    severity: Severity::Error,
    doc_en: "The photo must not be too dark: exposure is read on the backdrop, whose true colour the profile knows (so a dark skin is never mistaken for a dark photo), and the face must not be crushed to black. Tuned by light.max_exposure_ev and light.max_dark_share.",
    keys: &["light.max_exposure_ev", "light.max_dark_share"],
};
/// Light too high.
pub const OVEREXPOSED: RuleInfo = RuleInfo {
    code: "L002",
    name: "overexposed",
    severity: Severity::Error,
    doc_en: "The photo must not be too bright: exposure read on the backdrop, and no blown-out face. Tuned by light.max_exposure_ev and light.max_bright_share.",
    keys: &["light.max_exposure_ev", "light.max_bright_share"],
};
/// Uneven light on the face.
pub const SIDE_LIGHT: RuleInfo = RuleInfo {
    code: "L003",
    name: "face-light-even",
    severity: Severity::Error,
    doc_en: "The face must be evenly lit, with no shadow across it: the light on the two cheeks (skin under each eye, clear of hair, beard and eye sockets) may differ by at most the profile's stops. Tuned by light.max_side_ev.",
    keys: &["light.max_side_ev"],
};
/// Blur.
pub const SHARPNESS: RuleInfo = RuleInfo {
    code: "L004",
    name: "sharpness",
    severity: Severity::Error,
    doc_en: "The face must be in focus (学信网 checks sharpness): variance of the Laplacian over the variance of the face, on the face resampled to a fixed width. Tuned by light.min_sharpness.",
    keys: &["light.min_sharpness"],
};
/// Glare on the face.
pub const GLARE_FACE: RuleInfo = RuleInfo {
    code: "G001",
    name: "glare-face",
    severity: Severity::Error,
    doc_en: "No light spots on the face: a specular highlight (standing out from the skin around it, with a near-white, colourless core) larger than the profile allows. A soft sheen on a well-lit face, pale skin and the teeth of a smile are not one. Tuned by light.max_glare_face.",
    keys: &["light.max_glare_face"],
};
/// Glare on the eyes or glasses.
pub const GLARE_EYES: RuleInfo = RuleInfo {
    code: "G002",
    name: "glare-eyes",
    severity: Severity::Error,
    doc_en: "No reflection on the eyes or glasses lenses beyond a natural catchlight. The whites of the eyes are not one. Tuned by light.max_glare_eyes.",
    keys: &["light.max_glare_eyes"],
};
/// Glare on the clothing.
pub const GLARE_CLOTHING: RuleInfo = RuleInfo {
    code: "G003",
    name: "glare-clothing",
    severity: Severity::Error,
    doc_en: "No reflective fabric: no specular highlight on the clothing larger than the profile allows. A white shirt or collar is white fabric, not a reflection. Tuned by light.max_glare_clothing.",
    keys: &["light.max_glare_clothing"],
};

/// A share 0..1 as a percentage (computed in the measure's precision).
fn pct(v: f32) -> f64 {
    (v * 100.0) as f64
}

pub(super) fn judge(cx: &mut Ctx, l: &LightMeasure) {
    let p = &cx.profile.light;
    let ev = l.exposure_ev.unwrap_or(0.0) as f64;
    let exposure = [-p.max_exposure_ev, p.max_exposure_ev];
    let too_dark = ev < -p.max_exposure_ev || l.face_dark_share as f64 > p.max_dark_share;
    let too_bright = ev > p.max_exposure_ev || l.face_bright_share as f64 > p.max_bright_share;
    for (rule, fired, share, text) in [
        (
            &UNDEREXPOSED,
            too_dark,
            l.face_dark_share,
            Text::new(
                "L001",
                "photo too dark: {ev} stops on the backdrop (allowed ±{max}); face {v} % crushed to black",
            ),
        ),
        (
            &OVEREXPOSED,
            too_bright,
            l.face_bright_share,
            Text::new(
                "L002",
                "photo too bright: {ev} stops on the backdrop (allowed ±{max}); face {v} % blown to white",
            ),
        ),
    ] {
        if fired {
            let text = text
                .signed("ev", ev, 1)
                .num("max", p.max_exposure_ev, 1)
                .num("v", pct(share), 0);
            cx.push(Found::new(rule, text, Unit::Ev).value(ev).allowed(exposure));
        }
    }
    if (l.side_ev as f64).abs() > p.max_side_ev {
        let text = Text::new(
            "L003",
            "uneven light on the face: the image-{side} cheek is {v} stops darker (allowed {max})",
        )
        .term("side", if l.side_ev < 0.0 { "left" } else { "right" })
        .num("v", l.side_ev.abs() as f64, 1)
        .num("max", p.max_side_ev, 1);
        cx.push(
            Found::new(&SIDE_LIGHT, text, Unit::Ev)
                .value(l.side_ev as f64)
                .allowed([-p.max_side_ev, p.max_side_ev]),
        );
    }
    if (l.sharpness as f64) < p.min_sharpness {
        let text = Text::new(
            "L004",
            "face is blurred: focus measure {v}, at least {min} needed",
        )
        .num("v", l.sharpness as f64, 3)
        .num("min", p.min_sharpness, 3);
        cx.push(
            Found::new(&SHARPNESS, text, Unit::Focus)
                .value(l.sharpness as f64)
                // The ratio cannot exceed 64 (the Laplacian gains at most 8).
                .allowed([p.min_sharpness, 64.0]),
        );
    }
    for (rule, place, limit, at) in [
        (
            &GLARE_FACE,
            GlarePlace::Face,
            p.max_glare_face,
            "on the face",
        ),
        (
            &GLARE_EYES,
            GlarePlace::Eyes,
            p.max_glare_eyes,
            "on the eyes or glasses",
        ),
        (
            &GLARE_CLOTHING,
            GlarePlace::Clothing,
            p.max_glare_clothing,
            "on the clothing",
        ),
    ] {
        // Glare is sorted largest first: the first of a place is its largest.
        if let Some(g) = l.glare.iter().find(|g| g.place == place && g.area > limit) {
            let text = Text::new(
                "G00x",
                "light spot {at} ({part}): {area} px², peak {peak} (allowed {max} px²)",
            )
            .term("at", at)
            .term("part", g.part.clone())
            .num("area", g.area, 0)
            .plain("peak", g.peak)
            .num("max", limit, 0);
            cx.push(
                Found::new(rule, text, Unit::Px2)
                    .value(g.area)
                    .allowed([0.0, limit])
                    .region(Some(g.region)),
            );
        }
    }
}

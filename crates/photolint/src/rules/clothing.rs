//! Clothing: a top too close to the backdrop, forbidden colours, a
//! skin-coloured top, bare shoulders.

use super::text::Text;
use super::{Ctx, Found, RuleInfo};
use crate::colour::ColourName;
use crate::measure::{BackgroundMeasure, ClothingColour, ClothingMeasure};
use crate::report::{Severity, Unit};

/// Clothing too close to the background.
pub const CLOTHING_LIKE_BACKGROUND: RuleInfo = RuleInfo {
    code: "C001",
    name: "clothing-contrast",
    severity: Severity::Error,
    doc_en: "The top must differ clearly from the background, or the outline of the shoulders melts into it (学信网's 黑边检测 rejects such photos). Tuned by clothing.min_delta_e_background and clothing.min_share.",
    keys: &["clothing.min_delta_e_background", "clothing.min_share"],
};
/// Blue clothing.
pub const CLOTHING_BLUE: RuleInfo = RuleInfo {
    code: "C002",
    name: "clothing-blue",
    severity: Severity::Error,
    doc_en: "No sky-blue, light-blue or blue top on the light-blue background (both notices and the standard). Dark navy suits pass. Tuned by clothing.blue.",
    keys: &["clothing.blue"],
};
/// Yellow clothing.
pub const CLOTHING_YELLOW: RuleInfo = RuleInfo {
    code: "C003",
    name: "clothing-yellow",
    severity: Severity::Error,
    doc_en: "No yellow top (2023 notice). Tuned by clothing.yellow.",
    keys: &["clothing.yellow"],
};
/// Green clothing.
pub const CLOTHING_GREEN: RuleInfo = RuleInfo {
    code: "C004",
    name: "clothing-green",
    severity: Severity::Error,
    doc_en: "No green top (2023 notice). Tuned by clothing.green.",
    keys: &["clothing.green"],
};
/// Yellow-green clothing.
pub const CLOTHING_YELLOW_GREEN: RuleInfo = RuleInfo {
    code: "C005",
    name: "clothing-yellow-green",
    severity: Severity::Error,
    doc_en: "No yellow-green top (黄绿色, named by both notices). Tuned by clothing.yellow_green.",
    keys: &["clothing.yellow_green"],
};
/// Skin-like clothing.
pub const CLOTHING_SKIN: RuleInfo = RuleInfo {
    code: "C006",
    name: "clothing-skin-like",
    severity: Severity::Error,
    doc_en: "No top close to the person's own skin colour (肉色, 2023 notice): compared with the skin measured on the cheeks, not a fixed beige. Tuned by clothing.skin_delta_e.",
    keys: &["clothing.skin_delta_e"],
};
/// Bare shoulders.
pub const BARE_SHOULDERS: RuleInfo = RuleInfo {
    code: "C007",
    name: "bare-shoulders",
    severity: Severity::Error,
    doc_en: "The shoulders must be covered: no sleeveless or off-shoulder tops (the standard asks for formal, collared clothing). Skin at both shoulder points fails. Tuned by clothing.bare_skin_delta_e and clothing.bare_shoulder_share.",
    keys: &["clothing.bare_skin_delta_e", "clothing.bare_shoulder_share"],
};

/// The dominant colour of the clothing that falls in `keep`, for messages.
fn dominant_name(c: &ClothingMeasure, keep: &dyn Fn(&ClothingColour) -> bool) -> ColourName {
    c.colours
        .iter()
        .find(|k| keep(k))
        .or(c.colours.first())
        .map_or(ColourName::Grey, |k| k.name)
}

/// A share 0..1 as a whole percentage (computed in the measure's precision).
fn pct(v: f32) -> f64 {
    (v * 100.0) as f64
}

pub(super) fn judge(cx: &mut Ctx, c: &ClothingMeasure, bg: Option<&BackgroundMeasure>) {
    if !c.visible {
        return;
    }
    let p = &cx.profile.clothing;
    let min = p.min_share;
    let region = c.region;
    if let Some(bg) = bg {
        if c.like_background_share as f64 >= min {
            let name = dominant_name(c, &|k| {
                (k.lab.delta_e(bg.mean) as f64) < p.min_delta_e_background
            });
            let text = Text::new(
                "C001",
                "the top ({name}) is too close to the {bg} background: {v} % of it within {de} (CIEDE2000)",
            )
            .term("name", name.en())
            .term("bg", bg.colour.en())
            .num("v", pct(c.like_background_share), 0)
            .num("de", p.min_delta_e_background, 0);
            cx.push(
                Found::new(&CLOTHING_LIKE_BACKGROUND, text, Unit::Share)
                    .value(c.like_background_share as f64)
                    .allowed([0.0, min])
                    .region(region),
            );
        }
    }
    for (rule, key, colour) in [
        (&CLOTHING_BLUE, "blue", "blue"),
        (&CLOTHING_YELLOW, "yellow", "yellow"),
        (&CLOTHING_GREEN, "green", "green"),
        (&CLOTHING_YELLOW_GREEN, "yellow_green", "yellow-green"),
    ] {
        let Some((_, class)) = p.classes().into_iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let share = c.class_share(key);
        if share as f64 >= min {
            let name = dominant_name(c, &|k| crate::measure::in_class(k.lab, class));
            // "blue (light blue)" says more than "blue"; "yellow (yellow)" does not.
            let shade = if name.en() == colour {
                Text::empty()
            } else {
                Text::new("C00x.shade", " ({name})").term("name", name.en())
            };
            let text = Text::new("C00x", "the top is {colour}{shade}: {v} % of the clothing")
                .term("colour", colour)
                .nested("shade", shade)
                .num("v", pct(share), 0);
            cx.push(
                Found::new(rule, text, Unit::Share)
                    .value(share as f64)
                    .allowed([0.0, min])
                    .region(region),
            );
        }
    }
    let bare = {
        let sides: Vec<f32> = c.shoulder_skin.iter().flatten().copied().collect();
        !sides.is_empty() && sides.iter().all(|&s| s as f64 >= p.bare_shoulder_share)
    };
    if bare {
        let worst = c
            .shoulder_skin
            .iter()
            .flatten()
            .fold(0f32, |a, &b| a.max(b));
        let text = Text::new("C007", "bare shoulders: {v} % skin where the shoulders are").num(
            "v",
            pct(worst),
            0,
        );
        cx.push(
            Found::new(&BARE_SHOULDERS, text, Unit::Share)
                .value(worst as f64)
                .allowed([0.0, p.bare_shoulder_share])
                .region(region),
        );
    } else if c.skin_like_share as f64 >= min {
        let name = dominant_name(c, &|k| {
            c.skin
                .is_some_and(|s| (k.lab.delta_e(s.lab) as f64) <= p.skin_delta_e)
        });
        let text = Text::new(
            "C006",
            "the top ({name}) is close to the skin colour: {v} % of the clothing",
        )
        .term("name", name.en())
        .num("v", pct(c.skin_like_share), 0);
        cx.push(
            Found::new(&CLOTHING_SKIN, text, Unit::Share)
                .value(c.skin_like_share as f64)
                .allowed([0.0, min])
                .region(region),
        );
    }
}

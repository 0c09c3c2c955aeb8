//! The background: its colour, evenness, a shadow beside the head, clutter.

use super::text::{Arg, Text};
use super::{Ctx, Found, RuleInfo};
use crate::measure::BackgroundMeasure;
use crate::report::{Severity, Unit};

/// Background colour.
pub const BACKGROUND_COLOUR: RuleInfo = RuleInfo {
    code: "B001",
    name: "background-colour",
    severity: Severity::Error,
    doc_en: "The background must be the profile's colour ({profile}: {background.allowed}): its mean colour within the profile's CIEDE2000 distance of an allowed colour. The message names the colour seen. Tuned by background.allowed and background.max_delta_e.",
    keys: &["background.allowed", "background.max_delta_e"],
};
/// Background evenness.
pub const BACKGROUND_UNEVEN: RuleInfo = RuleInfo {
    code: "B002",
    name: "background-even",
    severity: Severity::Error,
    doc_en: "The background must be one even colour: no gradient (top against bottom, left against right), no vignette (corners against the middle), no blotches. Tuned by background.max_gradient and background.max_spread.",
    keys: &["background.max_gradient", "background.max_spread"],
};
/// Shadow behind the head.
pub const BACKGROUND_SHADOW: RuleInfo = RuleInfo {
    code: "B003",
    name: "background-shadow",
    severity: Severity::Error,
    doc_en: "No shadow on the background beside the head: background darkened next to the outline, as cast by a lamp in front of the person onto the backdrop. Tuned by background.shadow_darkening and background.max_shadow_area.",
    keys: &["background.shadow_darkening", "background.max_shadow_area"],
};
/// Clutter in the background.
pub const BACKGROUND_CLUTTER: RuleInfo = RuleInfo {
    code: "B004",
    name: "background-clutter",
    severity: Severity::Error,
    doc_en: "Nothing but backdrop behind the person: no objects, edges, furniture or other people. Tuned by background.clutter_delta_e and background.max_clutter_share.",
    keys: &["background.clutter_delta_e", "background.max_clutter_share"],
};

pub(super) fn judge(cx: &mut Ctx, b: &BackgroundMeasure) {
    let p = &cx.profile.background;
    if b.delta_e as f64 > p.max_delta_e {
        let allowed = p
            .allowed
            .iter()
            .map(|c| Arg::Own {
                en: c.name_en.clone(),
                zh: c.name_zh.clone(),
            })
            .collect();
        let [r, g, bl] = b.mean_rgb;
        let text = Text::new(
            "B001",
            "background is {seen} (RGB {r},{g},{b}), {de} from {allowed} (allowed {max})",
        )
        .term("seen", b.colour.en())
        .plain("r", r)
        .plain("g", g)
        .plain("b", bl)
        .num("de", b.delta_e as f64, 1)
        .arg("allowed", Arg::List(allowed, " or "))
        .num("max", p.max_delta_e, 0);
        cx.push(
            Found::new(&BACKGROUND_COLOUR, text, Unit::DeltaE)
                .value(b.delta_e as f64)
                .allowed([0.0, p.max_delta_e]),
        );
    }
    let g = b.gradient;
    let worst = g.max() as f64;
    if worst > p.max_gradient {
        let dir = if g.top_bottom >= g.left_right && g.top_bottom >= g.centre_corners {
            "top to bottom"
        } else if g.left_right >= g.centre_corners {
            "left to right"
        } else {
            "corners to middle"
        };
        let text = Text::new(
            "B002.gradient",
            "background is uneven: it changes {v} from {dir} (allowed {max})",
        )
        .num("v", worst, 1)
        .term("dir", dir)
        .num("max", p.max_gradient, 0);
        cx.push(
            Found::new(&BACKGROUND_UNEVEN, text, Unit::DeltaE)
                .value(worst)
                .allowed([0.0, p.max_gradient]),
        );
    } else if b.spread as f64 > p.max_spread {
        let text = Text::new(
            "B002.spread",
            "background is blotchy: colours spread {v} (allowed {max})",
        )
        .num("v", b.spread as f64, 1)
        .num("max", p.max_spread, 0);
        cx.push(
            Found::new(&BACKGROUND_UNEVEN, text, Unit::DeltaE)
                .value(b.spread as f64)
                .allowed([0.0, p.max_spread]),
        );
    }
    if b.shadow.area > p.max_shadow_area {
        let text = Text::new(
            "B003",
            "shadow on the background beside the head: {area} px², {dark} % darker (allowed {max} px²)",
        )
        .num("area", b.shadow.area, 0)
        .num("dark", (b.shadow.darkening * 100.0) as f64, 0)
        .num("max", p.max_shadow_area, 0);
        cx.push(
            Found::new(&BACKGROUND_SHADOW, text, Unit::Px2)
                .value(b.shadow.area)
                .allowed([0.0, p.max_shadow_area])
                .region(b.shadow.region),
        );
    }
    if b.clutter_share as f64 > p.max_clutter_share {
        let text = Text::new(
            "B004",
            "{v} % of the background is not plain backdrop (objects, edges or another person; allowed {max} %)",
        )
        .num("v", (b.clutter_share * 100.0) as f64, 0)
        .num("max", p.max_clutter_share * 100.0, 0);
        cx.push(
            Found::new(&BACKGROUND_CLUTTER, text, Unit::Share)
                .value(b.clutter_share as f64)
                .allowed([0.0, p.max_clutter_share])
                .region(b.clutter_region),
        );
    }
}

//! The file: format, pixel size, colour depth, recorded resolution, JPEG
//! quality and file size.

use super::text::Text;
use super::{Ctx, Found, RuleInfo};
use crate::decode::{ColorType, FileFacts};
use crate::report::{Severity, Unit};

/// File format.
pub const FILE_FORMAT: RuleInfo = RuleInfo {
    code: "D001",
    name: "file-format",
    severity: Severity::Error,
    doc_en: "The file must be the profile's format ({profile}: {file.format}), judged by its content, with a matching extension ({file.extensions}): a PNG renamed .jpg is caught. Tuned by file.format and file.extensions.",
    keys: &["file.format", "file.extensions"],
};
/// Pixel size.
pub const FILE_PIXELS: RuleInfo = RuleInfo {
    code: "D002",
    name: "pixel-size",
    severity: Severity::Error,
    doc_en: "The photo must be exactly the profile's size ({profile}: {file.width} wide x {file.height} high; 0 is not checked). Tuned by file.width and file.height.",
    keys: &["file.width", "file.height"],
};
/// Colour depth.
pub const FILE_COLOUR: RuleInfo = RuleInfo {
    code: "D003",
    name: "colour-depth",
    severity: Severity::Error,
    doc_en: "24-bit true colour: 3 channels of 8 bits. Greyscale, CMYK, alpha channels and 16-bit files are refused. Tuned by file.channels and file.bits_per_channel.",
    keys: &["file.channels", "file.bits_per_channel"],
};
/// Resolution.
pub const FILE_DPI: RuleInfo = RuleInfo {
    code: "D004",
    name: "resolution-dpi",
    severity: Severity::Error,
    doc_en: "The file must record the profile's resolution ({profile}: {file.dpi} dpi; 0 is not checked) in its JFIF or EXIF density. Tuned by file.dpi and file.dpi_tolerance.",
    keys: &["file.dpi", "file.dpi_tolerance"],
};
/// JPEG quality.
pub const FILE_QUALITY: RuleInfo = RuleInfo {
    code: "D005",
    name: "jpeg-quality",
    severity: Severity::Error,
    doc_en: "The JPEG compression quality factor, estimated from the quantisation tables (libjpeg scale), must be at least the profile's ({profile}: {file.min_jpeg_quality}). Tuned by file.min_jpeg_quality.",
    keys: &["file.min_jpeg_quality"],
};
/// File size.
pub const FILE_SIZE: RuleInfo = RuleInfo {
    code: "D006",
    name: "file-size",
    severity: Severity::Warning,
    doc_en: "The file size should lie in the profile's band (the diploma notice says \"generally\" 20-40 KB; {profile}: {file.size_kb} KB). A warning, not a failure. Tuned by file.size_kb.",
    keys: &["file.size_kb"],
};

pub(super) fn judge(cx: &mut Ctx, f: &FileFacts) {
    let p = &cx.profile.file;
    let ext_ok = f
        .extension
        .as_ref()
        .is_none_or(|e| p.extensions.iter().any(|a| a.eq_ignore_ascii_case(e)));
    if f.format != p.format || !ext_ok {
        let ext = f.extension.clone().unwrap_or_default();
        let text = if f.format != p.format {
            let named = if ext.is_empty() {
                Text::empty()
            } else {
                Text::new("D001.named", ", named .{ext}").plain("ext", &ext)
            };
            Text::new(
                "D001.content",
                "the file is {found} (by its content{named}), {wanted} required",
            )
            .plain("found", f.format.as_str().to_uppercase())
            .nested("named", named)
            .plain("wanted", p.format.as_str().to_uppercase())
        } else {
            let want = p.extensions.first().map_or("", String::as_str);
            if ext.is_empty() {
                Text::new(
                    "D001.no_extension",
                    "the file name has no extension, .{want} expected",
                )
                .plain("want", want)
            } else {
                Text::new(
                    "D001.extension",
                    "the file is named .{ext}, .{want} expected",
                )
                .plain("ext", &ext)
                .plain("want", want)
            }
        };
        cx.push(Found::new(&FILE_FORMAT, text, Unit::Format));
    }
    if (p.width != 0 && f.width != p.width) || (p.height != 0 && f.height != p.height) {
        let text = Text::new("D002", "the photo is {w}x{h} px, {pw}x{ph} required")
            .plain("w", f.width)
            .plain("h", f.height)
            .plain("pw", p.width)
            .plain("ph", p.height);
        cx.push(
            Found::new(&FILE_PIXELS, text, Unit::Px)
                .value(f.width as f64)
                .allowed([p.width as f64, p.width as f64]),
        );
    }
    if f.channels != p.channels || f.bits_per_channel != p.bits_per_channel {
        let what = match (f.channels, f.color_type) {
            (_, ColorType::Cmyk8) => "CMYK",
            (1, _) => "greyscale",
            (2, _) => "greyscale with alpha",
            (4, _) => "colour with an alpha channel",
            _ => "colour",
        };
        let text = Text::new(
            "D003",
            "the file is {what} with {n} channel(s) of {bits} bits; {pn} channels of {pbits} bits (24-bit colour) required",
        )
        .term("what", what)
        .plain("n", f.channels)
        .plain("bits", f.bits_per_channel)
        .plain("pn", p.channels)
        .plain("pbits", p.bits_per_channel);
        let wanted = (p.channels as u32 * p.bits_per_channel as u32) as f64;
        cx.push(
            Found::new(&FILE_COLOUR, text, Unit::Bits)
                .value(f.channels as f64 * f.bits_per_channel as f64)
                .allowed([wanted, wanted]),
        );
    }
    if p.dpi > 0.0 {
        let ok = f.density.as_ref().is_some_and(|d| {
            (d.x_dpi - p.dpi).abs() <= p.dpi_tolerance && (d.y_dpi - p.dpi).abs() <= p.dpi_tolerance
        });
        if !ok {
            let text = match &f.density {
                Some(d) => Text::new(
                    "D004.wrong",
                    "resolution is {v} dpi ({source}), {dpi} dpi required",
                )
                .num("v", d.x_dpi, 0)
                .plain("source", d.source),
                None => Text::new(
                    "D004.none",
                    "no resolution recorded in the file, {dpi} dpi required",
                ),
            }
            .num("dpi", p.dpi, 0);
            cx.push(
                Found::new(&FILE_DPI, text, Unit::Dpi)
                    .value_opt(f.density.as_ref().map(|d| d.x_dpi))
                    .allowed([p.dpi - p.dpi_tolerance, p.dpi + p.dpi_tolerance]),
            );
        }
    }
    if let Some(q) = f
        .jpeg_quality
        .as_ref()
        .filter(|q| q.value < p.min_jpeg_quality)
    {
        let text = Text::new(
            "D005",
            "JPEG quality about {q} (from its quantisation tables), at least {min} required",
        )
        .plain("q", q.value)
        .plain("min", p.min_jpeg_quality);
        cx.push(
            Found::new(&FILE_QUALITY, text, Unit::Quality)
                .value(q.value as f64)
                .allowed([p.min_jpeg_quality as f64, 100.0]),
        );
    }
    let kb = f.file_size as f64 / 1024.0;
    if let Some(band) = p.size_kb.filter(|b| kb < b[0] || kb > b[1]) {
        let text = Text::new("D006", "file size {kb} KB, generally {lo}-{hi} KB")
            .num("kb", kb, 1)
            .num("lo", band[0], 0)
            .num("hi", band[1], 0);
        cx.push(
            Found::new(&FILE_SIZE, text, Unit::Kb)
                .value(kb)
                .allowed(band),
        );
    }
}

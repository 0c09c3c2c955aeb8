//! The annotated photo: what the photographer sees. The profile's bands for
//! the top of the head and the eye line, the measured crown and eye line,
//! the face box, and a box with its rule code round each finding's region;
//! a strip below the photo lists every finding.
//!
//! Colours: crown band green, eye band purple (drawn translucent, edges
//! solid), face box yellow, errors red, warnings orange. The measured crown,
//! eye and shoulder lines are white with a dark edge when they are within
//! the profile's limits, so they stand apart from the band edges, and take
//! their finding's colour when they are not. Labels follow the language
//! asked for.

mod font;

use image::{Rgb, RgbImage};

use crate::detect::Rect;
use crate::profile::Profile;
use crate::report::{Report, Severity};
use crate::Lang;

use font::{GLYPH_H, GLYPH_W};

const CROWN_BAND: Rgb<u8> = Rgb([39, 174, 96]);
const EYE_BAND: Rgb<u8> = Rgb([142, 68, 173]);
const FACE_BOX: Rgb<u8> = Rgb([241, 196, 15]);
const ERROR: Rgb<u8> = Rgb([231, 36, 36]);
const WARNING: Rgb<u8> = Rgb([243, 140, 18]);
const INK: Rgb<u8> = Rgb([255, 255, 255]);
const MEASURED: Rgb<u8> = Rgb([255, 255, 255]);
const MEASURED_EDGE: Rgb<u8> = Rgb([20, 20, 20]);
const STRIP: Rgb<u8> = Rgb([34, 34, 34]);

/// The Chinese words drawn besides the rule titles (their glyphs must be
/// in the font subset; a test holds that).
const ZH_LABELS: [&str; 3] = ["头顶", "眼睛", "合格"];

/// Draws the annotations for `report` (made by `profile`) on a copy of
/// `image`, with a strip below it listing the findings, labelled in
/// `lang`. `image` must be the upright photo the report was made from
/// ([`crate::Checked::image`]).
pub fn annotate(image: &RgbImage, report: &Report, profile: &Profile, lang: Lang) -> RgbImage {
    annotate_to_width(image, report, profile, image.width(), lang)
}

/// Like [`annotate`], drawn on a copy of the photo resized to `width`
/// pixels (for thumbnails in reports: lines and letters keep their width
/// instead of thinning out when the picture is shrunk afterwards).
pub fn annotate_to_width(
    image: &RgbImage,
    report: &Report,
    profile: &Profile,
    width: u32,
    lang: Lang,
) -> RgbImage {
    let width = width.clamp(1, image.width().max(1));
    let k = width as f32 / image.width().max(1) as f32;
    let resized;
    let image = if width == image.width() {
        image
    } else {
        let h = ((image.height() as f32 * k).round() as u32).max(1);
        resized = image::imageops::resize(image, width, h, image::imageops::FilterType::Triangle);
        &resized
    };
    let scale = |r: Rect| Rect {
        x: r.x * k,
        y: r.y * k,
        w: r.w * k,
        h: r.h * k,
    };
    let (w, h) = image.dimensions();
    // Line width and letter size grow with the photo: 1 px and 2x letters
    // at the diploma's 480 px width.
    let unit = (w.min(h) / 480).max(1);
    let font = 2 * unit;
    let line_h = (GLYPH_H + 4) * font;
    let chips = chip_layout(report, w, font, lang);
    let rows = chips.last().map_or(1, |c| c.row + 1);
    let strip_h = rows * line_h + 2 * font;
    let mut out = RgbImage::from_pixel(w, h + strip_h, STRIP);
    image::imageops::replace(&mut out, image, 0, 0);
    let mut c = Canvas { img: &mut out, h };

    let sy = h as f32 / profile.reference_height.max(1) as f32;
    let fr = report.measurements.framing.as_ref();
    let zh = lang == Lang::Zh;
    for (range, colour, label, code) in [
        (
            profile.framing.crown_y,
            CROWN_BAND,
            if zh { ZH_LABELS[0] } else { "CROWN" },
            "F002",
        ),
        (
            profile.framing.eye_y,
            EYE_BAND,
            if zh { ZH_LABELS[1] } else { "EYES" },
            "F003",
        ),
    ] {
        let (y0, y1) = (range[0] as f32 * sy, range[1] as f32 * sy);
        c.fill(0.0, y0, w as f32, y1 - y0, colour, 0.22);
        c.hline(y0, colour, unit);
        c.hline(y1, colour, unit);
        let measured = match code {
            "F002" => fr.and_then(|f| f.crown_y).map(|p| p.px as f32 * k),
            _ => None,
        };
        if let Some(y) = measured {
            if report.has(code) {
                c.hline(y, ERROR, 2 * unit);
            } else {
                c.hline(y, MEASURED_EDGE, 4 * unit);
                c.hline(y, MEASURED, 2 * unit);
            }
        }
        c.label(2.0 * unit as f32, y0 + unit as f32, label, colour, font);
    }
    let centre = w as f32 / 2.0;
    c.dashed_vline(centre, FACE_BOX, unit);
    for (i, face) in report.faces.iter().enumerate() {
        let col = if report.faces.len() == 1 {
            FACE_BOX
        } else {
            ERROR
        };
        c.rect(scale(face.bbox), col, unit);
        if i == 0 {
            let fault = report.has("F003") || report.has("F006");
            let (a, b) = (
                (face.eye_left.x * k, face.eye_left.y * k),
                (face.eye_right.x * k, face.eye_right.y * k),
            );
            // The eye line, carried a little beyond both eyes.
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let ext = 0.6;
            let (from, to) = (
                (a.0 - dx * ext, a.1 - dy * ext),
                (b.0 + dx * ext, b.1 + dy * ext),
            );
            c.measured_line(from, to, fault.then_some(ERROR), unit);
            let col = if fault { ERROR } else { MEASURED };
            for p in [a, b] {
                c.cross(p.0, p.1, 4.0 * unit as f32, col, unit);
            }
        }
    }
    // The shoulder line between the two points it was measured at.
    if let Some([Some(l), Some(r)]) = fr.map(|f| f.shoulder_points) {
        let fault = report
            .findings
            .iter()
            .find(|f| f.code == "F009")
            .map(|f| severity_colour(f.severity));
        c.measured_line((l.x * k, l.y * k), (r.x * k, r.y * k), fault, unit);
        for p in [l, r] {
            c.cross(
                p.x * k,
                p.y * k,
                4.0 * unit as f32,
                fault.unwrap_or(MEASURED),
                unit,
            );
        }
    }
    for f in &report.findings {
        let Some(region) = f.region.map(scale) else {
            continue;
        };
        let col = severity_colour(f.severity);
        c.rect(region, col, 2 * unit);
        let y = if region.y >= (line_h as f32) {
            region.y - line_h as f32
        } else {
            region.y + 2.0 * unit as f32
        };
        c.label(region.x + unit as f32, y, &f.code, col, font);
    }
    for chip in &chips {
        let y = h + font + chip.row * line_h;
        c.label(chip.x as f32, y as f32, &chip.text, chip.colour, font);
    }
    out
}

fn severity_colour(s: Severity) -> Rgb<u8> {
    match s {
        Severity::Error => ERROR,
        Severity::Warning => WARNING,
    }
}

struct Chip {
    text: String,
    colour: Rgb<u8>,
    x: u32,
    row: u32,
}

/// The findings as labelled chips, wrapped into rows of the strip.
fn chip_layout(report: &Report, w: u32, font: u32, lang: Lang) -> Vec<Chip> {
    let mut out = Vec::new();
    let (mut x, mut row) = (font, 0);
    let items: Vec<(String, Rgb<u8>)> = if report.findings.is_empty() {
        let pass = if lang == Lang::Zh {
            ZH_LABELS[2]
        } else {
            "PASS"
        };
        vec![(pass.to_string(), CROWN_BAND)]
    } else {
        report
            .findings
            .iter()
            .map(|f| {
                let title = crate::rules::find(&f.code)
                    .map_or_else(|| f.rule.clone(), |r| r.title(lang).to_string());
                (
                    format!("{} {}", f.code, title.to_uppercase()),
                    severity_colour(f.severity),
                )
            })
            .collect()
    };
    let width_of = |t: &str| font::label_width(t, font);
    for (mut text, colour) in items {
        // On a narrow photo a chip that cannot fit keeps only its code.
        if width_of(&text) + font > w {
            text = text.split(' ').next().unwrap_or_default().to_string();
        }
        let width = width_of(&text);
        if x > font && x + width > w {
            x = font;
            row += 1;
        }
        out.push(Chip {
            text,
            colour,
            x,
            row,
        });
        x += width + 2 * font;
    }
    out
}

struct Canvas<'a> {
    img: &'a mut RgbImage,
    /// Height of the photo (the strip below it is not drawn over by shapes).
    h: u32,
}

impl Canvas<'_> {
    fn blend(&mut self, x: i64, y: i64, c: Rgb<u8>, alpha: f32) {
        if x < 0 || y < 0 || x >= self.img.width() as i64 || y >= self.img.height() as i64 {
            return;
        }
        let p = self.img.get_pixel_mut(x as u32, y as u32);
        for k in 0..3 {
            p.0[k] = (p.0[k] as f32 * (1.0 - alpha) + c.0[k] as f32 * alpha).round() as u8;
        }
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, c: Rgb<u8>, alpha: f32) {
        let y_end = (y + h).min(self.h as f32);
        for yy in y.round() as i64..y_end.round() as i64 {
            for xx in x.round() as i64..(x + w).round() as i64 {
                self.blend(xx, yy, c, alpha);
            }
        }
    }

    fn hline(&mut self, y: f32, c: Rgb<u8>, t: u32) {
        let w = self.img.width() as f32;
        self.fill(0.0, y - t as f32 / 2.0, w, t as f32, c, 1.0);
    }

    fn dashed_vline(&mut self, x: f32, c: Rgb<u8>, t: u32) {
        let dash = 8 * t;
        let mut y = 0;
        while y < self.h {
            self.fill(x - t as f32 / 2.0, y as f32, t as f32, dash as f32, c, 0.8);
            y += 2 * dash;
        }
    }

    fn rect(&mut self, r: Rect, c: Rgb<u8>, t: u32) {
        let t = t as f32;
        self.fill(r.x, r.y, r.w, t, c, 1.0);
        self.fill(r.x, r.y + r.h - t, r.w, t, c, 1.0);
        self.fill(r.x, r.y, t, r.h, c, 1.0);
        self.fill(r.x + r.w - t, r.y, t, r.h, c, 1.0);
    }

    fn line(&mut self, a: (f32, f32), b: (f32, f32), c: Rgb<u8>, t: u32) {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt().max(1.0);
        let steps = len.ceil() as usize * 2;
        let half = t as f32 / 2.0;
        for i in 0..=steps {
            let s = i as f32 / steps as f32;
            let (x, y) = (a.0 + (b.0 - a.0) * s, a.1 + (b.1 - a.1) * s);
            self.fill(x - half, y - half, t as f32, t as f32, c, 1.0);
        }
    }

    /// A measured line: white with a dark edge when within limits, or in
    /// `fault`'s colour.
    fn measured_line(&mut self, a: (f32, f32), b: (f32, f32), fault: Option<Rgb<u8>>, unit: u32) {
        match fault {
            Some(col) => self.line(a, b, col, 2 * unit),
            None => {
                self.line(a, b, MEASURED_EDGE, 4 * unit);
                self.line(a, b, MEASURED, 2 * unit);
            }
        }
    }

    fn cross(&mut self, x: f32, y: f32, r: f32, c: Rgb<u8>, t: u32) {
        self.line((x - r, y), (x + r, y), c, t);
        self.line((x, y - r), (x, y + r), c, t);
    }

    /// White letters on a box of colour `bg`, top-left at (x, y): Latin
    /// capitals and digits from the 5x7 font at scale `font`, Chinese from
    /// the 16x16 one at half that scale.
    fn label(&mut self, x: f32, y: f32, text: &str, bg: Rgb<u8>, font: u32) {
        let (bw, bh) = (font::label_width(text, font), (GLYPH_H + 2) * font);
        let x = x.clamp(0.0, (self.img.width().saturating_sub(bw)) as f32) as i64;
        let y = y.max(0.0) as i64;
        for yy in 0..bh as i64 {
            for xx in 0..bw as i64 {
                self.blend(x + xx, y + yy, bg, 0.9);
            }
        }
        let mut gx = x + font as i64;
        for ch in text.chars() {
            if font::is_wide(ch) {
                let half = (font / 2).max(1);
                if let Some(rows) = font::wide(ch) {
                    let gy = y + half as i64;
                    for (r, bits) in rows.iter().enumerate() {
                        for col in 0..16 {
                            if bits >> (15 - col) & 1 == 1 {
                                self.dot(
                                    gx + (col * half) as i64,
                                    gy + (r as u32 * half) as i64,
                                    half,
                                );
                            }
                        }
                    }
                }
            } else {
                let gy = y + font as i64;
                for (r, bits) in font::small(ch).iter().enumerate() {
                    for col in 0..GLYPH_W {
                        if bits >> (GLYPH_W - 1 - col) & 1 == 1 {
                            self.dot(
                                gx + (col * font) as i64,
                                gy + (r as u32 * font) as i64,
                                font,
                            );
                        }
                    }
                }
            }
            gx += font::advance(ch, font) as i64;
        }
    }

    /// One letter pixel: a `size` x `size` square of ink.
    fn dot(&mut self, x: i64, y: i64, size: u32) {
        for dy in 0..size as i64 {
            for dx in 0..size as i64 {
                self.blend(x + dx, y + dy, INK, 1.0);
            }
        }
    }
}

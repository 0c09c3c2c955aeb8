//! The letters of the labels: a 5x7 bitmap font for Latin capitals and
//! digits, drawn at twice the line unit, and GNU Unifont's 16x16 glyphs
//! (OFL-1.1, a subset in `fonts/`) for Chinese, drawn at the line unit, so
//! both stand about as tall.

use std::collections::HashMap;
use std::sync::OnceLock;

pub(super) const GLYPH_W: u32 = 5;
pub(super) const GLYPH_H: u32 = 7;

/// A 5x7 bitmap of a capital letter, digit, hyphen or full stop (rows top
/// to bottom, most significant of the 5 bits on the left); anything else is blank.
pub(super) fn small(c: char) -> [u8; 7] {
    match c.to_ascii_uppercase() {
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        _ => [0; 7],
    }
}

/// The Unifont subset, `XXXX:64 hex digits` a line (16 rows of 16 bits).
const UNIFONT_SUBSET: &str = include_str!("../../fonts/cjk-labels.hex");

/// The 16x16 glyph of a wide (CJK) character, rows top to bottom, most
/// significant bit on the left; `None` when the subset lacks it.
pub(super) fn wide(c: char) -> Option<&'static [u16; 16]> {
    static TABLE: OnceLock<HashMap<char, [u16; 16]>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            UNIFONT_SUBSET
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| {
                    let (code, bits) = l.split_once(':')?;
                    let c = char::from_u32(u32::from_str_radix(code, 16).ok()?)?;
                    let mut rows = [0u16; 16];
                    for (r, row) in rows.iter_mut().enumerate() {
                        *row = u16::from_str_radix(bits.get(4 * r..4 * r + 4)?, 16).ok()?;
                    }
                    Some((c, rows))
                })
                .collect()
        })
        .get(&c)
}

/// True for characters drawn from the Unifont subset.
pub(super) fn is_wide(c: char) -> bool {
    (c as u32) > 0x2E7F
}

/// Horizontal advance of `c` in pixels at letter scale `font` (twice the
/// line unit).
pub(super) fn advance(c: char, font: u32) -> u32 {
    if is_wide(c) {
        17 * font / 2
    } else {
        (GLYPH_W + 1) * font
    }
}

/// Width of a label box holding `text`.
pub(super) fn label_width(text: &str, font: u32) -> u32 {
    text.chars().map(|c| advance(c, font)).sum::<u32>() + 2 * font
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chinese_label_has_its_glyphs() {
        let mut labels: Vec<&str> = crate::rules::ALL
            .iter()
            .map(|r| r.title(crate::Lang::Zh))
            .collect();
        labels.extend(super::super::ZH_LABELS);
        for label in labels {
            for c in label.chars().filter(|c| is_wide(*c)) {
                assert!(
                    wide(c).is_some(),
                    "{c} in {label:?} has no glyph: run scripts/unifont-subset"
                );
            }
        }
        // A rule with no Chinese title would be labelled in English.
        for r in crate::rules::ALL {
            assert_ne!(
                r.title(crate::Lang::Zh),
                r.name,
                "{} has no Chinese title",
                r.code
            );
        }
    }

    #[test]
    fn a_glyph_has_ink_where_unifont_draws_it() {
        // 头 (U+5934) in Unifont: one pixel of its upright stroke in the
        // top row, and the long horizontal stroke filling row 8.
        let g = wide('头').expect("头 is in the subset");
        assert_eq!(g[0], 0x0080, "{g:04x?}");
        assert_eq!(g[8], 0xFFFE, "{g:04x?}");
    }
}

//! The JPEG container, read marker by marker up to the scan: frame header
//! (precision, components, process), JFIF density, the EXIF block and the
//! quantisation tables, from which the encoder's quality factor is estimated.

use serde::{Deserialize, Serialize};

/// Position in the 8x8 block (row-major) of each coefficient as stored in a
/// DQT segment (zigzag order).
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// The JPEG standard's example luminance table (ITU-T T.81 table K.1), row-major.
/// libjpeg and the image crate scale it by the quality factor.
#[rustfmt::skip]
const STD_LUMA: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61,
    12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77,
    24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101,
    72, 92, 95, 98, 112, 100, 103, 99,
];

/// The standard's example chrominance table (table K.2), row-major.
#[rustfmt::skip]
const STD_CHROMA: [u16; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99,
    18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99,
];

/// What the JPEG's frame header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// Bits per sample (8 for ordinary JPEG, 12 for extended).
    pub precision: u8,
    /// Colour components: 1 greyscale, 3 YCbCr/RGB, 4 CMYK/YCCK.
    pub components: u8,
    /// True for a progressive JPEG (SOF2), false for sequential.
    pub progressive: bool,
    /// True for baseline sequential (SOF0).
    pub baseline: bool,
}

/// The quality factor the quantisation tables were made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quality {
    /// Estimated libjpeg quality factor, 1-100.
    pub value: u8,
    /// The tables are exactly the standard tables scaled to that quality
    /// (libjpeg, the image crate, most software); false for camera or
    /// editor tables, where the value is the nearest match.
    pub exact: bool,
}

/// Where a density was found, written as `jfif`, `exif` or `png`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DensitySource {
    /// The JPEG's JFIF header.
    Jfif,
    /// The EXIF resolution tags.
    Exif,
    /// A PNG's pHYs chunk.
    Png,
}

impl std::fmt::Display for DensitySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DensitySource::Jfif => "jfif",
            DensitySource::Exif => "exif",
            DensitySource::Png => "png",
        })
    }
}

/// Pixel density as recorded in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Density {
    /// Horizontal dots per inch.
    pub x_dpi: f64,
    /// Vertical dots per inch.
    pub y_dpi: f64,
    /// Where it was found: `jfif`, `exif` or `png`.
    pub source: DensitySource,
}

/// Everything read from the JPEG's headers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headers {
    /// The frame header, if one was found before the scan.
    pub frame: Option<Frame>,
    /// JFIF density: (units, x, y); units 0 = aspect ratio only, 1 = per
    /// inch, 2 = per cm.
    pub jfif_density: Option<(u8, u16, u16)>,
    /// The EXIF block (TIFF data after the "Exif\0\0" header).
    pub exif: Option<Vec<u8>>,
    /// Quantisation tables by id (0-3), row-major.
    pub tables: [Option<[u16; 64]>; 4],
}

/// Reads the headers of a JPEG stream up to its first scan. Damaged or
/// truncated headers end the walk; what was read so far is kept.
pub fn headers(bytes: &[u8]) -> Headers {
    let mut h = Headers::default();
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return h;
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            // Not at a marker: the stream is damaged.
            break;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            // Fill byte.
            i += 1;
            continue;
        }
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        if len < 2 {
            break;
        }
        let Some(seg) = bytes.get(i + 4..i + 2 + len) else {
            break;
        };
        match marker {
            0xDA | 0xD9 => break,
            0xE0 if seg.starts_with(b"JFIF\0") && seg.len() >= 12 => {
                h.jfif_density = Some((
                    seg[7],
                    u16::from_be_bytes([seg[8], seg[9]]),
                    u16::from_be_bytes([seg[10], seg[11]]),
                ));
            }
            0xE1 if seg.starts_with(b"Exif\0\0") => {
                h.exif = Some(seg[6..].to_vec());
            }
            0xDB => read_tables(seg, &mut h.tables),
            // SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) && seg.len() >= 6 => {
                h.frame = Some(Frame {
                    precision: seg[0],
                    components: seg[5],
                    progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
                    baseline: marker == 0xC0,
                });
            }
            _ => {}
        }
        i += 2 + len;
    }
    h
}

fn read_tables(mut seg: &[u8], out: &mut [Option<[u16; 64]>; 4]) {
    while let Some((&pq_tq, rest)) = seg.split_first() {
        let (sixteen, id) = (pq_tq >> 4 != 0, (pq_tq & 0x0F) as usize);
        let size = if sixteen { 128 } else { 64 };
        let Some(data) = rest.get(..size) else { return };
        let mut t = [0u16; 64];
        for (k, &pos) in ZIGZAG.iter().enumerate() {
            t[pos] = if sixteen {
                u16::from_be_bytes([data[2 * k], data[2 * k + 1]])
            } else {
                data[k] as u16
            };
        }
        if let Some(slot) = out.get_mut(id) {
            *slot = Some(t);
        }
        seg = &rest[size..];
    }
}

/// The standard table scaled to `quality` the way libjpeg does it
/// (`jpeg_quality_scaling`, baseline-clamped to 1..255).
fn scaled(base: &[u16; 64], quality: u32) -> [u16; 64] {
    let scale = if quality < 50 {
        5000 / quality
    } else {
        200 - 2 * quality
    };
    base.map(|v| ((v as u32 * scale + 50) / 100).clamp(1, 255) as u16)
}

/// Estimates the quality factor from the luminance table (id 0) and, when
/// present, the chrominance table (id 1): the quality whose scaled standard
/// tables are closest (sum of absolute differences).
pub fn estimate_quality(tables: &[Option<[u16; 64]>; 4]) -> Option<Quality> {
    let luma = tables[0]?;
    let chroma = tables[1];
    let err = |q: u32| -> u32 {
        let d = |a: &[u16; 64], b: &[u16; 64]| -> u32 {
            a.iter()
                .zip(b)
                .map(|(&x, &y)| (x as i32 - y as i32).unsigned_abs())
                .sum()
        };
        d(&scaled(&STD_LUMA, q), &luma) + chroma.map_or(0, |c| d(&scaled(&STD_CHROMA, q), &c))
    };
    // Ties go to the higher quality (at the top, several qualities give
    // all-ones tables).
    let (best, e) = (1..=100u32)
        .map(|q| (q, err(q)))
        .min_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
    Some(Quality {
        value: best as u8,
        exact: e == 0,
    })
}

/// Density in dots per inch from JFIF (units 1 or 2) or, failing that, from
/// the EXIF XResolution/YResolution and ResolutionUnit tags.
pub fn density(h: &Headers) -> Option<Density> {
    if let Some((units, x, y)) = h.jfif_density {
        let per_inch = match units {
            1 => Some(1.0),
            2 => Some(2.54),
            _ => None,
        };
        if let Some(f) = per_inch {
            if x > 0 && y > 0 {
                return Some(Density {
                    x_dpi: x as f64 * f,
                    y_dpi: y as f64 * f,
                    source: DensitySource::Jfif,
                });
            }
        }
    }
    let exif = exif::Reader::new().read_raw(h.exif.clone()?).ok()?;
    let rational = |tag| -> Option<f64> {
        match &exif.get_field(tag, exif::In::PRIMARY)?.value {
            exif::Value::Rational(v) => v.first().map(|r| r.to_f64()),
            _ => None,
        }
    };
    let unit = exif
        .get_field(exif::Tag::ResolutionUnit, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .unwrap_or(2);
    let f = match unit {
        2 => 1.0,
        3 => 2.54,
        _ => return None,
    };
    let x = rational(exif::Tag::XResolution)?;
    let y = rational(exif::Tag::YResolution).unwrap_or(x);
    (x.is_finite() && x > 0.0).then_some(Density {
        x_dpi: x * f,
        y_dpi: y * f,
        source: DensitySource::Exif,
    })
}

/// Density in dots per inch from a PNG's pHYs chunk (unit: metre).
pub fn png_density(bytes: &[u8]) -> Option<Density> {
    let mut i = 8;
    while i + 12 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
        let kind = &bytes[i + 4..i + 8];
        if kind == b"IDAT" || kind == b"IEND" {
            return None;
        }
        if kind == b"pHYs" && len == 9 {
            let d = bytes.get(i + 8..i + 17)?;
            let x = u32::from_be_bytes([d[0], d[1], d[2], d[3]]);
            let y = u32::from_be_bytes([d[4], d[5], d[6], d[7]]);
            if d[8] != 1 || x == 0 {
                return None;
            }
            return Some(Density {
                x_dpi: x as f64 * 0.0254,
                y_dpi: y as f64 * 0.0254,
                source: DensitySource::Png,
            });
        }
        i = i.checked_add(12 + len)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_of_scaled_standard_tables_is_exact() {
        for q in [30u32, 50, 60, 75, 90, 95] {
            let mut t = [None; 4];
            t[0] = Some(scaled(&STD_LUMA, q));
            t[1] = Some(scaled(&STD_CHROMA, q));
            let e = estimate_quality(&t).expect("tables");
            assert_eq!(e.value as u32, q);
            assert!(e.exact);
        }
    }

    #[test]
    fn truncated_headers_do_not_panic() {
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00];
        j.extend(std::iter::repeat_n(1u8, 30));
        let h = headers(&j);
        assert!(h.tables[0].is_none());
        assert_eq!(headers(&[0xFF]), Headers::default());
        assert_eq!(
            png_density(&[0x89, b'P', b'N', b'G', 0, 0, 0, 0, 0, 0, 0, 9]),
            None
        );
    }
}

//! The contact sheet: every fixture as a labelled thumbnail, to look at
//! before trusting them.

use crate::*;

/// A contact sheet: every fixture at a third of its size, with the true crown
/// (red) and eye line (green) drawn across it, eight to a row.
pub fn contact_sheet(fixtures: &[Fixture]) -> RgbImage {
    let (tw, th) = (FRAME_W / 3, FRAME_H / 3);
    let cols = 8u32;
    let rows = (fixtures.len() as u32).div_ceil(cols);
    let mut sheet = RgbImage::from_pixel(cols * (tw + 6), rows * (th + 6), Rgb([255, 255, 255]));
    for (i, f) in fixtures.iter().enumerate() {
        let mut t =
            image::imageops::resize(&f.pixels, tw, th, image::imageops::FilterType::Triangle);
        let mut line = |y: Option<f32>, c: [u8; 3]| {
            if let Some(y) = y {
                let y = (y / 3.0).round() as i64;
                if (0..th as i64).contains(&y) {
                    for x in 0..tw {
                        t.put_pixel(x, y as u32, Rgb(c));
                    }
                }
            }
        };
        line(f.label.crown_y, [255, 0, 0]);
        line(f.label.eye_y, [0, 200, 0]);
        let (x0, y0) = (
            (i as u32 % cols) * (tw + 6) + 3,
            (i as u32 / cols) * (th + 6) + 3,
        );
        image::imageops::replace(&mut sheet, &t, x0 as i64, y0 as i64);
    }
    sheet
}

//! Prints the background and clothing measurements of each photo given, one
//! block per photo, and writes `colours-sheet.png` in the current directory:
//! each photo at half size with its clothing cells tinted magenta and the
//! person mask's outline in yellow.
//! `cargo run -p photolint --example colours -- FILE...`.

use image::{Rgb, RgbImage};
use photolint::internals as stages;
use photolint::{Checker, Profile};

/// The photo with the clothing cells and the mask outline drawn on it.
fn overlay(bytes: &[u8]) -> Result<RgbImage, Box<dyn std::error::Error>> {
    let inp = stages::decode(bytes, photolint::DecodeLimits::default())?;
    let mut img = inp.rgb;
    let mut faces = stages::Detector::shared()?.detect(&img)?;
    let [one] = faces.as_mut_slice() else {
        return Ok(img);
    };
    stages::refine_eyes(&img, one);
    let blocks = stages::Blocks::new(&img);
    let sil = stages::silhouette(&img, &blocks, one);
    let grid = stages::Grid::new(&blocks, &sil);
    let region = stages::clothing_region(&grid, one, 480.0 / img.width() as f32);
    let s = grid.step;
    for &i in &region.cells {
        let (x0, y0) = ((i as u32 % grid.w) * s, (i as u32 / grid.w) * s);
        for y in y0..(y0 + s).min(img.height()) {
            for x in x0..(x0 + s).min(img.width()) {
                let p = img.get_pixel_mut(x, y);
                *p = Rgb([
                    (p[0] / 2).saturating_add(120),
                    p[1] / 2,
                    (p[2] / 2).saturating_add(120),
                ]);
            }
        }
    }
    let (w, h) = img.dimensions();
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let m = |x: u32, y: u32| sil.person_at(x, y);
            if m(x, y) && !(m(x - 1, y) && m(x + 1, y) && m(x, y - 1) && m(x, y + 1)) {
                img.put_pixel(x, y, Rgb([255, 230, 0]));
            }
        }
    }
    Ok(img)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let checker = Checker::new(Profile::built_in("chsi-diploma")?);
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let (tw, th) = (240u32, 320u32);
    let cols = 4u32;
    let rows = (paths.len() as u32).div_ceil(cols).max(1);
    let mut sheet = RgbImage::from_pixel(cols * (tw + 4), rows * (th + 4), Rgb([255, 255, 255]));
    for (k, path) in paths.iter().enumerate() {
        if let Ok(img) = std::fs::read(path)
            .map_err(Box::from)
            .and_then(|b| overlay(&b))
        {
            let t = image::imageops::resize(&img, tw, th, image::imageops::FilterType::Triangle);
            let (x, y) = ((k as u32 % cols) * (tw + 4), (k as u32 / cols) * (th + 4));
            image::imageops::replace(&mut sheet, &t, x as i64, y as i64);
        }
    }
    sheet.save("colours-sheet.png")?;
    for path in paths {
        let r = match checker.check(std::path::Path::new(&path)).map(|c| c.report) {
            Ok(r) => r,
            Err(e) => {
                println!("{path}: {e}");
                continue;
            }
        };
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        println!("{path}: {:?} {codes:?}", r.verdict);
        if let Some(b) = &r.measurements.background {
            println!(
                "  bg {:?} {} dE {:.1} spread {:.1} grad tb {:.1} lr {:.1} cc {:.1} shadow {:.0} ({:.2}) clutter {:.3} share {:.2}",
                b.mean_rgb,
                b.colour.en(),
                b.delta_e,
                b.spread,
                b.gradient.top_bottom,
                b.gradient.left_right,
                b.gradient.centre_corners,
                b.shadow.area,
                b.shadow.darkening,
                b.clutter_share,
                b.share
            );
        }
        if let Some(c) = &r.measurements.clothing {
            let cols: Vec<String> = c
                .colours
                .iter()
                .map(|k| format!("{} {:?} {:.2}", k.name.en(), k.rgb, k.share))
                .collect();
            println!(
                "  clothing area {:.3} sep {} skin {:?} likebg {:.2} skinlike {:.2} classes {:?} shoulders {:?}",
                c.area_share,
                c.separated,
                c.skin.map(|s| s.rgb),
                c.like_background_share,
                c.skin_like_share,
                c.class_shares,
                c.shoulder_skin
            );
            println!("  colours {}", cols.join("; "));
        }
        if let Some(l) = &r.measurements.light {
            let g: Vec<String> = l
                .glare
                .iter()
                .take(4)
                .map(|g| {
                    format!(
                        "{:?} {:.0}px² peak {} hat {:.0}",
                        g.place, g.area, g.peak, g.contrast
                    )
                })
                .collect();
            println!(
                "  light ev {:?} mean {:.0} dark {:.3} bright {:.3} side {:.2} sharp {:.4} glare [{}]",
                l.exposure_ev.map(|e| (e * 100.0).round() / 100.0),
                l.face_mean_luma,
                l.face_dark_share,
                l.face_bright_share,
                l.side_ev,
                l.sharpness,
                g.join("; ")
            );
        }
        println!(
            "  file {} {}x{} {} ch {} bits {} dpi {:?} q {:?} {} B",
            r.file.format,
            r.file.width,
            r.file.height,
            r.file.color_type,
            r.file.channels,
            r.file.bits_per_channel,
            r.file.density.as_ref().map(|d| d.x_dpi),
            r.file.jpeg_quality.map(|q| q.value),
            r.file.file_size
        );
        for f in &r.findings {
            println!("  {} {}", f.code, f.message_en);
        }
    }
    Ok(())
}

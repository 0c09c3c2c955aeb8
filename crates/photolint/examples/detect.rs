//! Prints the faces found in each image given on the command line, and writes
//! `<name>.eyes.png` beside the given output folder: the eye area enlarged 4x
//! with the detector's eye points (red) and the refined ones (green), and
//! `<name>.box.png`: the photo with the face box's sides drawn in red.
use image::{imageops, Rgb};
fn mark(img: &mut image::RgbImage, x: f32, y: f32, c: Rgb<u8>) {
    for d in -6i64..=6 {
        for (px, py) in [(x as i64 + d, y as i64), (x as i64, y as i64 + d)] {
            if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                img.put_pixel(px as u32, py as u32, c);
            }
        }
    }
}
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let det = photolint::internals::Detector::shared()?;
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "out".into());
    std::fs::create_dir_all(&out)?;
    for path in args {
        let bytes = std::fs::read(&path)?;
        let input = photolint::internals::decode(&bytes, Default::default())?;
        let t = std::time::Instant::now();
        let faces = det.detect(&input.rgb)?;
        println!("{path}: {} faces in {:?}", faces.len(), t.elapsed());
        for f in faces.iter().take(1) {
            let mut r = f.clone();
            photolint::internals::refine_eyes(&input.rgb, &mut r);
            println!(
                "  raw  L {:?} R {:?} roll {:.2}",
                f.eye_left,
                f.eye_right,
                f.roll_degrees()
            );
            println!(
                "  ref  L {:?} R {:?} roll {:.2}",
                r.eye_left,
                r.eye_right,
                r.roll_degrees()
            );
            let ed = f.eye_distance();
            let (x0, y0) = (
                (f.eye_left.x - 0.5 * ed).max(0.0),
                (f.eye_left.y - 0.3 * ed).max(0.0),
            );
            let cw = (2.0 * ed) as u32;
            let ch = (0.6 * ed) as u32;
            let crop = imageops::crop_imm(&input.rgb, x0 as u32, y0 as u32, cw, ch).to_image();
            let mut big = imageops::resize(&crop, cw * 4, ch * 4, imageops::FilterType::Nearest);
            for (p, c) in [
                (f.eye_left, Rgb([255, 0, 0])),
                (f.eye_right, Rgb([255, 0, 0])),
                (r.eye_left, Rgb([0, 255, 0])),
                (r.eye_right, Rgb([0, 255, 0])),
            ] {
                mark(&mut big, (p.x - x0) * 4.0, (p.y - y0) * 4.0, c);
            }
            let name = std::path::Path::new(&path)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            big.save(format!("{out}/{name}.eyes.png"))?;
            // The whole photo with the face box's sides (the face width) in red.
            let mut whole = input.rgb.clone();
            for y in 0..whole.height() {
                for x in [f.bbox.x, f.bbox.x + f.bbox.w] {
                    let x = x.round() as i64;
                    if x >= 0 && (x as u32) < whole.width() {
                        whole.put_pixel(x as u32, y, Rgb([255, 0, 0]));
                    }
                }
            }
            whole.save(format!("{out}/{name}.box.png"))?;
        }
    }
    Ok(())
}

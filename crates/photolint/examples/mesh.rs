//! Runs the face mesh on each photo given and writes a contact sheet
//! (`OUT.png`): the face enlarged with the 468 points (white), the eye lids
//! (green), the lips (red) and the forehead line (yellow), and prints the
//! openness of the eyes and the mouth (lid or lip gap over width).
//!
//! cargo run --release -p photolint --features internals --example mesh -- OUT.png PHOTO...
use image::{imageops, Rgb, RgbImage};
use photolint::internals::{decode, Detector, MeshModel};

/// Eye lids and corners, lips and mouth corners (MediaPipe numbering).
const EYES: [[usize; 4]; 2] = [[159, 145, 33, 133], [386, 374, 362, 263]];
const LIPS: [usize; 4] = [13, 14, 78, 308];
const FOREHEAD: [usize; 5] = [10, 109, 338, 67, 297];

fn dot(img: &mut RgbImage, x: f32, y: f32, r: i64, c: Rgb<u8>) {
    for dy in -r..=r {
        for dx in -r..=r {
            let (px, py) = (x as i64 + dx, y as i64 + dy);
            if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                img.put_pixel(px as u32, py as u32, c);
            }
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "mesh-sheet.png".into());
    let det = Detector::shared()?;
    let model = MeshModel::shared()?;
    let tile = 320u32;
    let mut tiles = Vec::new();
    for path in args {
        let bytes = std::fs::read(&path)?;
        let img = decode(&bytes, Default::default())?.rgb;
        let Some(face) = det.detect(&img)?.into_iter().next() else {
            println!("{path}: no face");
            continue;
        };
        let t = std::time::Instant::now();
        let mesh = model.mesh(&img, &face)?;
        let took = t.elapsed();
        let open = |e: [usize; 4]| mesh.dist(e[0], e[1]) / mesh.dist(e[2], e[3]).max(1.0);
        println!(
            "{path}: mesh in {took:.1?}, presence {:.3}, eyes open {:.2} {:.2}, mouth {:.2}",
            mesh.presence,
            open(EYES[0]),
            open(EYES[1]),
            open(LIPS)
        );
        // A square around the face, 1.6 times the box, enlarged to the tile.
        let side = face.bbox.w.max(face.bbox.h) * 1.6;
        let (x0, y0) = (face.bbox.cx() - side / 2.0, face.bbox.cy() - side / 2.0);
        let k = tile as f32 / side;
        let mut canvas = RgbImage::new(tile, tile);
        let small = imageops::resize(
            &img,
            (img.width() as f32 * k) as u32,
            (img.height() as f32 * k) as u32,
            imageops::FilterType::Triangle,
        );
        imageops::replace(&mut canvas, &small, (-x0 * k) as i64, (-y0 * k) as i64);
        let at = |i: usize| {
            let p = mesh.at(i);
            ((p.x - x0) * k, (p.y - y0) * k)
        };
        for i in 0..mesh.points.len() {
            let (x, y) = at(i);
            dot(&mut canvas, x, y, 0, Rgb([255, 255, 255]));
        }
        for (set, c) in [
            (&EYES[0][..], Rgb([0, 255, 0])),
            (&EYES[1][..], Rgb([0, 255, 0])),
            (&LIPS[..], Rgb([255, 0, 0])),
            (&FOREHEAD[..], Rgb([255, 220, 0])),
        ] {
            for &i in set {
                let (x, y) = at(i);
                dot(&mut canvas, x, y, 2, c);
            }
        }
        tiles.push(canvas);
    }
    let cols = 6u32;
    let rows = (tiles.len() as u32).div_ceil(cols).max(1);
    let mut sheet = RgbImage::from_pixel(cols * tile, rows * tile, Rgb([60, 60, 60]));
    for (i, t) in tiles.iter().enumerate() {
        let i = i as u32;
        imageops::replace(
            &mut sheet,
            t,
            ((i % cols) * tile) as i64,
            ((i / cols) * tile) as i64,
        );
    }
    sheet.save(&out)?;
    println!("wrote {out}");
    Ok(())
}

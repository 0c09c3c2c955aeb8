//! Labelled fixtures for photolint, built from real sample portraits.
//!
//! Each fixture is a 480x640 JPEG made from one of the bundled sample
//! portraits (light-grey ICAO-style backgrounds): the person is matted off the
//! grey with a soft edge and set on the profile's light blue, then scaled,
//! rotated and placed so that the eyes, crown and face width land where the
//! fixture wants them. Every fixture carries a [`Label`] with the verdict it
//! must get, the rule codes that must fire, and the true geometry after the
//! edit, mapped from hand-checked positions on the source portrait.

use image::{codecs::jpeg::JpegEncoder, Rgb, RgbImage};
use serde::{Deserialize, Serialize};

/// Width of the diploma photo frame.
pub const FRAME_W: u32 = 480;
/// Height of the diploma photo frame.
pub const FRAME_H: u32 = 640;
/// The chsi-diploma reference background, RGB (100, 197, 255).
pub const DIPLOMA_BLUE: [u8; 3] = [100, 197, 255];
/// JPEG quality the fixtures are written with.
pub const JPEG_QUALITY: u8 = 90;

/// A source portrait with its positions measured on the original pixels.
#[derive(Debug, Clone, Copy)]
pub struct Base {
    /// Short name, e.g. `id1`.
    pub name: &'static str,
    /// The PNG file's bytes.
    pub png: &'static [u8],
    /// Top of the hair, px from the top.
    pub crown_y: f32,
    /// Eye centre on the image-left side.
    pub eye_left: (f32, f32),
    /// Eye centre on the image-right side.
    pub eye_right: (f32, f32),
    /// Face width, cheek to cheek, px.
    pub face_width: f32,
    /// The background grey, RGB.
    pub background: [u8; 3],
}

/// The idpass sample portraits (MIT, see testdata/LICENSES). Eye centres were
/// read on 4x enlargements of the eye area (iris centres), the crown on the
/// first hair row against the uniform grey, the face width on the cheek line.
pub const BASES: [Base; 4] = [
    Base {
        name: "id1",
        png: include_bytes!("../../../testdata/samples/sample_id_1.png"),
        crown_y: 14.0,
        eye_left: (147.0, 240.6),
        eye_right: (259.8, 242.6),
        face_width: 227.8,
        background: [209, 213, 215],
    },
    Base {
        name: "id2",
        png: include_bytes!("../../../testdata/samples/sample_id_2.png"),
        crown_y: 19.0,
        eye_left: (154.0, 222.2),
        eye_right: (265.5, 220.7),
        face_width: 216.6,
        background: [208, 212, 214],
    },
    Base {
        name: "id3",
        png: include_bytes!("../../../testdata/samples/sample_id_3.png"),
        crown_y: 28.0,
        eye_left: (152.6, 231.5),
        eye_right: (266.3, 230.3),
        face_width: 235.6,
        background: [209, 213, 215],
    },
    Base {
        name: "id4",
        png: include_bytes!("../../../testdata/samples/sample_id_4.png"),
        crown_y: 20.0,
        eye_left: (149.4, 223.9),
        eye_right: (269.9, 224.7),
        face_width: 227.5,
        background: [209, 213, 215],
    },
];

/// Where a person goes in the frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// Face width in the frame, px.
    pub face_width: f32,
    /// Eye-line height in the frame, px.
    pub eye_y: f32,
    /// Horizontal position of the eye mid-point, px.
    pub centre_x: f32,
    /// Extra rotation, degrees (positive: the image-right eye goes down).
    pub roll_degrees: f32,
}

impl Placement {
    /// A compliant placement for the diploma photo.
    pub const COMPLIANT: Placement = Placement {
        face_width: 205.0,
        eye_y: 270.0,
        centre_x: 240.0,
        roll_degrees: 0.0,
    };
}

/// True geometry and expected outcome of one fixture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    /// Fixture name, also its file stem.
    pub name: String,
    /// Source portrait.
    pub base: String,
    /// What the fixture is for.
    pub description: String,
    /// `pass` or `fail`.
    pub expected: String,
    /// Rule codes that must fire.
    pub must_fire: Vec<String>,
    /// Rule codes that may also fire (consequences of the same fault).
    pub may_fire: Vec<String>,
    /// True crown, px from the top (None when outside the frame or unknown).
    pub crown_y: Option<f32>,
    /// True eye-line height, px.
    pub eye_y: Option<f32>,
    /// True eye centres (image-left, image-right).
    pub eyes: Option<[(f32, f32); 2]>,
    /// True face width, px.
    pub face_width: Option<f32>,
    /// True eye-line angle, degrees.
    pub roll_degrees: Option<f32>,
    /// The canvas was extended beyond the source (clothing continued below and sideways).
    pub extended: bool,
}

/// A fixture: its encoded JPEG and its label.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The label.
    pub label: Label,
    /// The decoded pixels that were encoded.
    pub pixels: RgbImage,
    /// JPEG bytes (quality [`JPEG_QUALITY`]).
    pub jpeg: Vec<u8>,
}

/// Decodes a base portrait.
pub fn base_pixels(base: &Base) -> RgbImage {
    // The bases are compiled in; a failure here is a broken build, not input.
    #[allow(clippy::expect_used)]
    image::load_from_memory(base.png)
        .expect("bundled sample portrait decodes")
        .to_rgb8()
}

/// Euclidean distance between two colours in RGB units (0..441).
fn rgb_distance(p: &Rgb<u8>, q: &Rgb<u8>) -> f32 {
    (0..3)
        .map(|i| (p[i] as f32 - q[i] as f32).powi(2))
        .sum::<f32>()
        .sqrt()
}

/// The person matted off the grey background and set on `bg`, with a soft
/// edge: opacity rises from 0 to 1 as the colour distance to the source grey
/// goes from 18 to 40 (RGB units; the greys darken a little towards the
/// bottom, and skin stays above 50 from them).
pub fn recolour_background(src: &RgbImage, grey: [u8; 3], bg: [u8; 3]) -> RgbImage {
    let mut out = src.clone();
    for p in out.pixels_mut() {
        let d = rgb_distance(p, &Rgb(grey));
        let a = ((d - 18.0) / 22.0).clamp(0.0, 1.0);
        for i in 0..3 {
            p[i] = (a * p[i] as f32 + (1.0 - a) * bg[i] as f32).round() as u8;
        }
    }
    out
}

fn bilinear(img: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let x = x.clamp(0.0, w - 1.0);
    let y = y.clamp(0.0, h - 1.0);
    let (x0, y0) = (x.floor(), y.floor());
    let (x1, y1) = ((x0 + 1.0).min(w - 1.0), (y0 + 1.0).min(h - 1.0));
    let (fx, fy) = (x - x0, y - y0);
    let g = |x: f32, y: f32| *img.get_pixel(x as u32, y as u32);
    let (a, b, c, d) = (g(x0, y0), g(x1, y0), g(x0, y1), g(x1, y1));
    let mut o = [0u8; 3];
    for i in 0..3 {
        let top = a[i] as f32 * (1.0 - fx) + b[i] as f32 * fx;
        let bot = c[i] as f32 * (1.0 - fx) + d[i] as f32 * fx;
        o[i] = (top * (1.0 - fy) + bot * fy).round() as u8;
    }
    Rgb(o)
}

/// The similarity transform of a placement: source point -> frame point.
struct Transform {
    scale: f32,
    cos: f32,
    sin: f32,
    src_mid: (f32, f32),
    dst_mid: (f32, f32),
}

impl Transform {
    fn new(base: &Base, p: &Placement) -> Transform {
        let t = p.roll_degrees.to_radians();
        Transform {
            scale: p.face_width / base.face_width,
            cos: t.cos(),
            sin: t.sin(),
            src_mid: (
                (base.eye_left.0 + base.eye_right.0) / 2.0,
                (base.eye_left.1 + base.eye_right.1) / 2.0,
            ),
            dst_mid: (p.centre_x, p.eye_y),
        }
    }
    fn forward(&self, (x, y): (f32, f32)) -> (f32, f32) {
        let (dx, dy) = (x - self.src_mid.0, y - self.src_mid.1);
        (
            self.dst_mid.0 + self.scale * (self.cos * dx - self.sin * dy),
            self.dst_mid.1 + self.scale * (self.sin * dx + self.cos * dy),
        )
    }
    fn inverse(&self, (u, v): (f32, f32)) -> (f32, f32) {
        let (du, dv) = (
            (u - self.dst_mid.0) / self.scale,
            (v - self.dst_mid.1) / self.scale,
        );
        (
            self.src_mid.0 + self.cos * du + self.sin * dv,
            self.src_mid.1 - self.sin * du + self.cos * dv,
        )
    }
}

/// Extends a portrait downwards by `extra` rows so that the body reaches the
/// bottom of any frame it is placed in: the last row is continued, with the
/// skin in it (the neck or chest at a neckline) replaced by the clothing
/// colour, the median of the bottom row's non-skin pixels, so the top goes
/// on below the neckline instead of a stretched neck.
pub fn extend_clothing(src: &RgbImage, base: &Base, extra: u32) -> RgbImage {
    let (w, h) = src.dimensions();
    // Skin reference: the cheek below the image-left eye.
    let ed = base.eye_right.0 - base.eye_left.0;
    let sx = (base.eye_left.0 + 0.1 * ed).round() as u32;
    let sy = (base.eye_left.1 + 0.45 * ed).round() as u32;
    let skin = *src.get_pixel(sx.min(w - 1), sy.min(h - 1));
    let close = |p: &Rgb<u8>, q: &Rgb<u8>| rgb_distance(p, q) < 45.0;
    let last: Vec<Rgb<u8>> = (0..w).map(|x| *src.get_pixel(x, h - 1)).collect();
    let mut cloth: Vec<Rgb<u8>> = last.iter().filter(|p| !close(p, &skin)).copied().collect();
    if cloth.is_empty() {
        cloth = last.clone();
    }
    let mut fill = [0u8; 3];
    for (i, v) in fill.iter_mut().enumerate() {
        let mut c: Vec<u8> = cloth.iter().map(|p| p[i]).collect();
        c.sort_unstable();
        *v = c[c.len() / 2];
    }
    let mut out = RgbImage::new(w, h + extra);
    image::imageops::replace(&mut out, src, 0, 0);
    for x in 0..w {
        let p = if close(&last[x as usize], &skin) {
            Rgb(fill)
        } else {
            last[x as usize]
        };
        for y in h..h + extra {
            out.put_pixel(x, y, p);
        }
    }
    out
}

/// A base ready to be placed: on the diploma blue and extended downwards.
pub struct Prepared {
    /// The portrait on blue, with clothing rows added below.
    pub pixels: RgbImage,
    /// Height of the portrait as photographed, before rows were added.
    pub source_height: u32,
}

/// Mattes `base` onto the diploma blue and extends it downwards.
pub fn prepare(base: &Base) -> Prepared {
    let src = recolour_background(&base_pixels(base), base.background, DIPLOMA_BLUE);
    let source_height = src.height();
    Prepared {
        // Enough for the smallest face the fixtures use (140 px: scale about 0.6).
        pixels: extend_clothing(&src, base, 600),
        source_height,
    }
}

/// Draws `base` (prepared by [`prepare`]) into `frame` at `p`. Outside the
/// source the edge pixels are continued (clamped sampling): blue above and
/// beside the head, the clothing sideways.
/// Returns whether the canvas had to be extended beyond the photographed source.
pub fn place(
    frame: &mut RgbImage,
    src: &Prepared,
    base: &Base,
    p: &Placement,
    columns: std::ops::Range<u32>,
) -> bool {
    let t = Transform::new(base, p);
    let sw = src.pixels.width() as f32;
    let orig_h = src.source_height as f32;
    let mut extended = false;
    for v in 0..frame.height() {
        for u in columns.clone() {
            let (x, y) = t.inverse((u as f32 + 0.5, v as f32 + 0.5));
            let (x, y) = (x - 0.5, y - 0.5);
            if x < 0.0 || y < 0.0 || x > sw - 1.0 || y > orig_h - 1.0 {
                extended = true;
            }
            frame.put_pixel(u, v, bilinear(&src.pixels, x, y));
        }
    }
    extended
}

/// The true geometry of `base` placed at `p`.
pub fn truth(base: &Base, p: &Placement) -> (f32, [(f32, f32); 2], f32, f32) {
    let t = Transform::new(base, p);
    let l = t.forward(base.eye_left);
    let r = t.forward(base.eye_right);
    let mid_x = (base.eye_left.0 + base.eye_right.0) / 2.0;
    let crown = t.forward((mid_x, base.crown_y)).1;
    let roll = (r.1 - l.1).atan2(r.0 - l.0).to_degrees();
    (crown, [l, r], p.face_width, roll)
}

/// Encodes pixels as a JPEG at [`JPEG_QUALITY`].
pub fn encode_jpeg(img: &RgbImage) -> Vec<u8> {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail for a valid RGB buffer.
    #[allow(clippy::expect_used)]
    JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY)
        .encode_image(img)
        .expect("JPEG encoding into memory");
    buf
}

/// Encodes pixels as a JPEG at [`JPEG_QUALITY`] with an EXIF orientation tag.
pub fn encode_jpeg_with_orientation(img: &RgbImage, orientation: u16) -> Vec<u8> {
    use image::ImageEncoder;
    // A big-endian TIFF header and one IFD entry: 0x0112 Orientation, SHORT, 1.
    let mut exif = vec![
        b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
    ];
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut buf = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY);
    // The JPEG encoder accepts EXIF; writing into a Vec cannot fail.
    #[allow(clippy::expect_used)]
    {
        enc.set_exif_metadata(exif).expect("JPEG takes EXIF");
        enc.write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("JPEG encoding into memory");
    }
    buf
}

/// The first compliant fixture stored as a phone would: pixels turned a
/// quarter turn anticlockwise and EXIF orientation 6 ("rotate 90 degrees
/// clockwise to display"). Read upright, it is the compliant photo.
pub fn exif_rotated_fixture() -> Fixture {
    let mut f = single(
        &BASES[0],
        "compliant",
        "compliant framing, stored sideways with EXIF orientation 6",
        Placement::COMPLIANT,
        &[],
        &[],
    );
    f.label.name = "id1-exif-rotated".into();
    f.jpeg = encode_jpeg_with_orientation(&image::imageops::rotate270(&f.pixels), 6);
    f
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// One person, one placement.
fn single(
    base: &Base,
    name: &str,
    description: &str,
    p: Placement,
    must: &[&str],
    may: &[&str],
) -> Fixture {
    let src = prepare(base);
    let mut frame = RgbImage::from_pixel(FRAME_W, FRAME_H, Rgb(DIPLOMA_BLUE));
    let extended = place(&mut frame, &src, base, &p, 0..FRAME_W);
    let (crown, eyes, fw, roll) = truth(base, &p);
    let label = Label {
        name: format!("{}-{}", base.name, name),
        base: base.name.into(),
        description: description.into(),
        expected: if must.is_empty() { "pass" } else { "fail" }.into(),
        must_fire: strings(must),
        may_fire: strings(may),
        crown_y: (crown >= 0.0).then_some(crown),
        eye_y: Some((eyes[0].1 + eyes[1].1) / 2.0),
        eyes: Some(eyes),
        face_width: Some(fw),
        roll_degrees: Some(roll),
        extended,
    };
    let jpeg = encode_jpeg(&frame);
    Fixture {
        label,
        pixels: frame,
        jpeg,
    }
}

/// The eye-line height that puts `base`'s crown at `crown_y` when its face is
/// `face_width` wide (heads differ: hair volume sets the eye-to-crown distance).
pub fn eye_y_for_crown(base: &Base, face_width: f32, crown_y: f32) -> f32 {
    let eye_mid_y = (base.eye_left.1 + base.eye_right.1) / 2.0;
    crown_y + (eye_mid_y - base.crown_y) * face_width / base.face_width
}

/// The framing fixtures: from every base a compliant photo and one variant
/// per framing fault; plus the compliant photo stored sideways with EXIF
/// orientation, two people side by side and an empty blue frame.
pub fn framing_fixtures() -> Vec<Fixture> {
    let c = Placement::COMPLIANT;
    let mut out = Vec::new();
    for base in &BASES {
        out.push(single(
            base,
            "compliant",
            "compliant diploma framing",
            c,
            &[],
            &[],
        ));
    }
    for base in &BASES {
        let v = |name, desc, p, must: &[&str], may: &[&str]| single(base, name, desc, p, must, may);
        let fw = c.face_width;
        out.push(v(
            "crown-high",
            "head too high: crown 30 px from the top, eye line still inside its band",
            Placement {
                eye_y: eye_y_for_crown(base, fw, 30.0),
                ..c
            },
            &["F002"],
            &["F009"],
        ));
        out.push(v(
            "eyes-low",
            "head too low: eye line at 322 px",
            Placement { eye_y: 322.0, ..c },
            &["F003"],
            &["F002", "F009"],
        ));
        out.push(v(
            "face-small",
            "face too small: 150 px wide, crown at 80 px",
            Placement {
                face_width: 150.0,
                eye_y: eye_y_for_crown(base, 150.0, 80.0),
                ..c
            },
            &["F004"],
            &["F003", "F009"],
        ));
        out.push(v(
            "face-large",
            "face too large: 330 px wide",
            Placement {
                face_width: 330.0,
                eye_y: 330.0,
                ..c
            },
            &["F004"],
            &["F002", "F003", "F007", "F008", "F009"],
        ));
        out.push(v(
            "off-centre",
            "face 70 px right of the middle: the right shoulder leaves the frame",
            Placement {
                centre_x: 310.0,
                ..c
            },
            &["F005", "F008"],
            &["F007", "F009"],
        ));
        out.push(v(
            "rolled",
            "head rolled 10 degrees",
            Placement {
                roll_degrees: 10.0,
                ..c
            },
            &["F006"],
            &["F002", "F009"],
        ));
        out.push(v(
            "crown-cut",
            "crown 25 px above the top edge, cut off",
            Placement {
                face_width: 240.0,
                eye_y: eye_y_for_crown(base, 240.0, -25.0),
                ..c
            },
            &["F007"],
            &["F002", "F003", "F009"],
        ));
    }
    out.push(exif_rotated_fixture());
    out.push(two_faces());
    out.push(empty_frame());
    out
}

fn two_faces() -> Fixture {
    let mut frame = RgbImage::from_pixel(FRAME_W, FRAME_H, Rgb(DIPLOMA_BLUE));
    let mut extended = false;
    for (base, cx, cols) in [(&BASES[0], 120.0, 0..240), (&BASES[1], 360.0, 240..FRAME_W)] {
        let src = prepare(base);
        let p = Placement {
            face_width: 140.0,
            eye_y: 260.0,
            centre_x: cx,
            roll_degrees: 0.0,
        };
        extended |= place(&mut frame, &src, base, &p, cols);
    }
    whole_frame_fault(
        frame,
        "two-faces",
        "id1+id2",
        "two people side by side",
        extended,
    )
}

fn empty_frame() -> Fixture {
    let frame = RgbImage::from_pixel(FRAME_W, FRAME_H, Rgb(DIPLOMA_BLUE));
    whole_frame_fault(
        frame,
        "no-face",
        "none",
        "plain light-blue frame, nobody in it",
        false,
    )
}

/// A fixture whose fault is the face count (F001): no single face, so no
/// per-face geometry to label.
fn whole_frame_fault(
    frame: RgbImage,
    name: &str,
    base: &str,
    description: &str,
    extended: bool,
) -> Fixture {
    let jpeg = encode_jpeg(&frame);
    Fixture {
        label: Label {
            name: name.into(),
            base: base.into(),
            description: description.into(),
            expected: "fail".into(),
            must_fire: strings(&["F001"]),
            may_fire: vec![],
            crown_y: None,
            eye_y: None,
            eyes: None,
            face_width: None,
            roll_degrees: None,
            extended,
        },
        pixels: frame,
        jpeg,
    }
}

/// A contact sheet: every fixture at a third of its size, with the true crown
/// (red) and eye line (green) drawn across it, four to a row.
pub fn contact_sheet(fixtures: &[Fixture]) -> RgbImage {
    let (tw, th) = (FRAME_W / 3, FRAME_H / 3);
    let cols = 4u32;
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

//! Labelled fixtures for photolint, built from real sample portraits.
//!
//! Each fixture is a 480x640 JPEG made from one of the bundled sample
//! portraits (light-grey ICAO-style backgrounds): the person is matted off the
//! grey with a soft edge and set on the profile's light blue, then scaled,
//! rotated and placed so that the eyes, crown and face width land where the
//! fixture wants them. Every fixture carries a [`Label`] with the verdict it
//! must get, the rule codes that must fire, and the true geometry after the
//! edit, mapped from hand-checked positions on the source portrait.

use std::sync::OnceLock;

use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use image::{Rgb, RgbImage};
use serde::{Deserialize, Serialize};

pub mod bad;
pub mod compose;
pub mod corpus;
pub mod effects;
pub mod realdev;
pub mod score;

use compose::{place, Transform};
pub use compose::{prepare, Backdrop, Dress, LchColour, Prepared};

/// Width of the diploma photo frame.
pub const FRAME_W: u32 = 480;
/// Height of the diploma photo frame.
pub const FRAME_H: u32 = 640;
/// The chsi-diploma reference background, RGB (100, 197, 255).
pub const DIPLOMA_BLUE: [u8; 3] = [100, 197, 255];
/// Highest JPEG quality the fixtures are written with; each is written at
/// the highest quality (in steps of 5, down to 60) that keeps the file within
/// the diploma photo's "generally 20-40 KB".
pub const JPEG_QUALITY: u8 = 95;
/// Largest file the diploma photo should be, bytes (40 KB).
pub const MAX_FILE_BYTES: usize = 40 * 1024;
/// Resolution recorded in the fixtures, dots per inch.
pub const FIXTURE_DPI: u16 = 300;

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
    /// The background grey at the top, RGB.
    pub background: [u8; 3],
    /// The sample shows a top (a dark fabric that can be recoloured).
    pub dressed: bool,
    /// Fabric counts as the top only below this line (hair and beard are as
    /// dark as the black tops): points `(x, y)`, linear between them, level
    /// beyond the ends. Read on 3x enlargements of the sample's lower part.
    pub garment_top: &'static [(f32, f32)],
}

impl Base {
    /// The row below which dark fabric at column `x` is the top.
    pub fn garment_top_at(&self, x: f32) -> f32 {
        let pts = self.garment_top;
        match (pts.first(), pts.last()) {
            (Some(a), _) if x <= a.0 => a.1,
            (_, Some(b)) if x >= b.0 => b.1,
            _ => pts
                .windows(2)
                .find(|w| x >= w[0].0 && x <= w[1].0)
                .map_or(f32::MAX, |w| {
                    let t = (x - w[0].0) / (w[1].0 - w[0].0).max(1e-3);
                    w[0].1 + t * (w[1].1 - w[0].1)
                }),
        }
    }
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
        dressed: true,
        garment_top: &[
            (130.0, 400.0),
            (140.0, 430.0),
            (160.0, 452.0),
            (200.0, 464.0),
            (240.0, 452.0),
            (260.0, 430.0),
            (270.0, 400.0),
        ],
    },
    Base {
        name: "id2",
        png: include_bytes!("../../../testdata/samples/sample_id_2.png"),
        crown_y: 19.0,
        eye_left: (154.0, 222.2),
        eye_right: (265.5, 220.7),
        face_width: 216.6,
        background: [208, 212, 214],
        dressed: false,
        garment_top: &[(0.0, 531.0)],
    },
    Base {
        name: "id3",
        png: include_bytes!("../../../testdata/samples/sample_id_3.png"),
        crown_y: 28.0,
        eye_left: (152.6, 231.5),
        eye_right: (266.3, 230.3),
        face_width: 235.6,
        background: [209, 213, 215],
        dressed: true,
        garment_top: &[(0.0, 380.0)],
    },
    Base {
        name: "id4",
        png: include_bytes!("../../../testdata/samples/sample_id_4.png"),
        crown_y: 20.0,
        eye_left: (149.4, 223.9),
        eye_right: (269.9, 224.7),
        face_width: 227.5,
        background: [209, 213, 215],
        dressed: true,
        garment_top: &[
            (10.0, 420.0),
            (20.0, 432.0),
            (40.0, 456.0),
            (60.0, 471.0),
            (80.0, 479.0),
            (100.0, 486.0),
            (120.0, 488.0),
            (130.0, 472.0),
            (140.0, 440.0),
            (150.0, 400.0),
            (270.0, 400.0),
            (280.0, 442.0),
            (290.0, 476.0),
            (310.0, 486.0),
            (340.0, 481.0),
            (370.0, 471.0),
            (390.0, 442.0),
            (400.0, 420.0),
        ],
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
    /// File name to write it under (its extension is part of the test).
    pub file_name: String,
    /// JPEG quality it was encoded with, when it is a JPEG.
    pub jpeg_quality: Option<u8>,
}

/// A fixture: its encoded JPEG and its label.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The label.
    pub label: Label,
    /// The decoded pixels that were encoded.
    pub pixels: RgbImage,
    /// The file's bytes: a JPEG (300 dpi, 20-40 KB) unless the label's file
    /// name says otherwise.
    pub bytes: Vec<u8>,
}

impl Fixture {
    /// Encodes the pixels again (after an edit), as the diploma photo asks.
    pub fn reencode(&mut self) {
        let (bytes, q) = encode_compliant(&self.pixels, None);
        self.bytes = bytes;
        self.label.jpeg_quality = Some(q);
    }
}

/// Decodes a base portrait.
pub fn base_pixels(base: &Base) -> RgbImage {
    // The bases are compiled in; a failure here is a broken build, not input.
    #[allow(clippy::expect_used)]
    image::load_from_memory(base.png)
        .expect("bundled sample portrait decodes")
        .to_rgb8()
}

/// Every base prepared once per process (matte, extension, skin colour).
pub fn prepared(base: &Base) -> &'static Prepared {
    static CACHE: OnceLock<Vec<Prepared>> = OnceLock::new();
    let all = CACHE.get_or_init(|| BASES.iter().map(prepare).collect());
    let i = BASES.iter().position(|b| b.name == base.name).unwrap_or(0);
    &all[i]
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

/// Encodes pixels as a JPEG at `quality` with `density` and, optionally, an
/// EXIF block.
pub fn encode_jpeg_with(
    img: &RgbImage,
    quality: u8,
    density: PixelDensity,
    exif: Option<Vec<u8>>,
) -> Vec<u8> {
    use image::ImageEncoder;
    let mut buf = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut buf, quality);
    enc.set_pixel_density(density);
    // The JPEG encoder accepts EXIF and writing into a Vec cannot fail for a
    // valid RGB buffer: a failure here is a bug, not input.
    #[allow(clippy::expect_used)]
    {
        if let Some(exif) = exif {
            enc.set_exif_metadata(exif).expect("JPEG takes EXIF");
        }
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

/// Encodes pixels as the diploma photo asks: 300 dpi, at the highest
/// quality (95 down to 60 in steps of 5) that keeps the file within 40 KB.
/// Returns the bytes and the quality used.
pub fn encode_compliant(img: &RgbImage, exif: Option<Vec<u8>>) -> (Vec<u8>, u8) {
    let mut q = JPEG_QUALITY;
    loop {
        let bytes = encode_jpeg_with(img, q, PixelDensity::dpi(FIXTURE_DPI), exif.clone());
        if bytes.len() <= MAX_FILE_BYTES || q <= 60 {
            return (bytes, q);
        }
        q -= 5;
    }
}

/// Encodes pixels as the diploma photo asks (see [`encode_compliant`]).
pub fn encode_jpeg(img: &RgbImage) -> Vec<u8> {
    encode_compliant(img, None).0
}

/// An EXIF block holding only an orientation tag.
pub fn orientation_exif(orientation: u16) -> Vec<u8> {
    // A big-endian TIFF header and one IFD entry: 0x0112 Orientation, SHORT, 1.
    let mut exif = vec![
        b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
    ];
    exif.extend_from_slice(&orientation.to_be_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    exif
}

/// Encodes pixels as the diploma photo asks, with an EXIF orientation tag.
pub fn encode_jpeg_with_orientation(img: &RgbImage, orientation: u16) -> Vec<u8> {
    encode_compliant(img, Some(orientation_exif(orientation))).0
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
    f.label.file_name = "id1-exif-rotated.jpg".into();
    let (bytes, q) = encode_compliant(
        &image::imageops::rotate270(&f.pixels),
        Some(orientation_exif(6)),
    );
    f.bytes = bytes;
    f.label.jpeg_quality = Some(q);
    f
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// One person, one placement, on the diploma blue in the sample's own top.
fn single(
    base: &Base,
    name: &str,
    description: &str,
    p: Placement,
    must: &[&str],
    may: &[&str],
) -> Fixture {
    scene(
        base,
        name,
        description,
        p,
        Backdrop::Flat(DIPLOMA_BLUE),
        Dress::AsPhotographed,
        must,
        may,
    )
}

/// One person, one placement, on `backdrop`, dressed in `dress`.
#[allow(clippy::too_many_arguments)]
pub fn scene(
    base: &Base,
    name: &str,
    description: &str,
    p: Placement,
    backdrop: Backdrop,
    dress: Dress,
    must: &[&str],
    may: &[&str],
) -> Fixture {
    let src = prepared(base);
    let mut frame = RgbImage::new(FRAME_W, FRAME_H);
    let extended = place(&mut frame, src, base, &p, backdrop, dress, 0..FRAME_W);
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
        file_name: format!("{}-{}.jpg", base.name, name),
        jpeg_quality: None,
    };
    finish(label, frame)
}

/// Encodes `frame` as a compliant JPEG and records the quality in the label.
fn finish(mut label: Label, frame: RgbImage) -> Fixture {
    let (bytes, q) = encode_compliant(&frame, None);
    label.jpeg_quality = Some(q);
    Fixture {
        label,
        pixels: frame,
        bytes,
    }
}

/// What is wrong with a verdict and the codes that fired, against a label:
/// an empty list when the photo got exactly what the label asks (pass or
/// fail as expected, every must-fire code fired, nothing outside must and may).
pub fn label_problems(label: &Label, passed: bool, fired: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if (label.expected == "pass") != passed {
        out.push(format!(
            "{}: expected {}, fired {fired:?}",
            label.name, label.expected
        ));
    }
    for m in &label.must_fire {
        if !fired.contains(m) {
            out.push(format!(
                "{}: {m} did not fire (fired {fired:?})",
                label.name
            ));
        }
    }
    for c in fired {
        if !label.must_fire.contains(c) && !label.may_fire.contains(c) {
            out.push(format!("{}: unexpected {c} (fired {fired:?})", label.name));
        }
    }
    out
}

/// Every problem of a set of fixtures against their labels, given how a
/// fixture fared: `judge` returns whether it passed and the codes that fired.
pub fn problems<'a>(
    fixtures: impl IntoIterator<Item = &'a Fixture>,
    judge: impl Fn(&Fixture) -> (bool, Vec<String>),
) -> Vec<String> {
    fixtures
        .into_iter()
        .flat_map(|f| {
            let (passed, fired) = judge(f);
            label_problems(&f.label, passed, &fired)
        })
        .collect()
}

/// Every fixture: framing, backdrop, clothing, light and file.
pub fn all_fixtures() -> Vec<Fixture> {
    let mut v = framing_fixtures();
    v.extend(background_fixtures());
    v.extend(clothing_fixtures());
    v.extend(light_fixtures());
    v.extend(file_fixtures());
    v
}

/// An edit of a finished frame, given the true eye centres and face width.
type Edit<'a> = dyn Fn(&mut RgbImage, [(f32, f32); 2], f32) + 'a;

/// A compliant photo of `base` edited by `edit` (given the frame and the
/// true geometry: eye centres and face width), labelled `name`.
fn edited(
    base: &Base,
    name: &str,
    description: &str,
    must: &[&str],
    may: &[&str],
    edit: &Edit<'_>,
) -> Fixture {
    let mut f = single(base, name, description, Placement::COMPLIANT, must, may);
    let (_, eyes, fw, _) = truth(base, &Placement::COMPLIANT);
    edit(&mut f.pixels, eyes, fw);
    f.reencode();
    f
}

/// The light fixtures: from every base, specular highlights with a soft
/// falloff (forehead, cheek, on the eye as a lens reflection, on the top),
/// a soft sheen that must pass, the photo 1.5 stops under- and 1.3 stops
/// over-exposed, a shadow across one half of the face, and a blur.
pub fn light_fixtures() -> Vec<Fixture> {
    use effects::{exposure, side_shadow, specular};
    let mut out = Vec::new();
    for base in &BASES {
        let mid = |e: [(f32, f32); 2]| ((e[0].0 + e[1].0) / 2.0, (e[0].1 + e[1].1) / 2.0);
        let ed = |e: [(f32, f32); 2]| e[1].0 - e[0].0;
        out.push(edited(
            base,
            "glare-forehead",
            "flash hot-spot on the forehead (soft falloff, sigma 4 % of the face width)",
            &["G001"],
            &[],
            &|img, e, fw| effects::forehead_spot(img, e, 0.045 * fw, 0.95),
        ));
        out.push(edited(
            base,
            "glare-cheek",
            "flash hot-spot on the image-left cheek",
            &["G001"],
            &[],
            &|img, e, fw| {
                specular(
                    img,
                    (e[0].0 + 0.05 * ed(e), e[0].1 + 0.55 * ed(e)),
                    0.04 * fw,
                    0.95,
                    1.0,
                );
            },
        ));
        out.push(edited(
            base,
            "glare-lens",
            "reflection on a glasses lens over the image-left eye (an oval spot)",
            &["G002"],
            &[],
            &|img, e, fw| {
                specular(
                    img,
                    (e[0].0 + 0.1 * ed(e), e[0].1 - 0.05 * ed(e)),
                    0.035 * fw,
                    0.95,
                    0.6,
                );
            },
        ));
        if base.dressed {
            out.push(edited(
                base,
                "glare-clothing",
                "shine on reflective fabric at the image-left chest",
                &["G003"],
                &[],
                &|img, e, fw| {
                    let (x, y) = mid(e);
                    specular(img, (x - 0.75 * fw, y + 1.35 * fw), 0.06 * fw, 0.9, 1.0);
                },
            ));
        }
        out.push(edited(
            base,
            "sheen",
            "a soft sheen on the forehead, as a well-lit face has: compliant",
            &[],
            &[],
            &|img, e, fw| effects::forehead_spot(img, e, 0.12 * fw, 0.2),
        ));
        out.push(edited(
            base,
            "underexposed",
            "the whole photo 1.5 stops under-exposed",
            &["L001"],
            // The backdrop darkens too: its colour is off as well.
            &["B001", "C001"],
            &|img, _, _| exposure(img, -1.5),
        ));
        out.push(edited(
            base,
            "overexposed",
            "the whole photo 1.3 stops over-exposed (clipping at white)",
            &["L002"],
            // Clipping turns catchlights and sheen into blown spots.
            &["B001", "C001", "C006", "G001", "G002", "G003"],
            &|img, _, _| exposure(img, 1.3),
        ));
        out.push(edited(
            base,
            "side-shadow",
            "a shadow across the image-right half of the face (a lamp on one side)",
            &["L003"],
            &[],
            &|img, e, fw| {
                let (x, y) = mid(e);
                side_shadow(img, (x, y + 0.3 * fw), fw, 0.65);
            },
        ));
        out.push(edited(
            base,
            "blurred",
            "Gaussian blur, sigma 2.5 px (out of focus)",
            &["L004"],
            &[],
            &|img, _, _| *img = image::imageops::blur(img, 2.5),
        ));
    }
    out
}

/// The file fixtures: the compliant photo of id1 and id3 written wrongly
/// (PNG, PNG named .jpg, 600x800, greyscale, quality 30 and 95, 72 dpi, no
/// resolution).
pub fn file_fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for base in [&BASES[0], &BASES[2]] {
        let compliant = || {
            single(
                base,
                "compliant",
                "compliant",
                Placement::COMPLIANT,
                &[],
                &[],
            )
        };
        let variant = |name: &str,
                       desc: &str,
                       ext: &str,
                       bytes: Vec<u8>,
                       q: Option<u8>,
                       must: &[&str],
                       may: &[&str]| {
            let mut f = compliant();
            f.label.name = format!("{}-{name}", base.name);
            f.label.file_name = format!("{}-{name}.{ext}", base.name);
            f.label.description = desc.into();
            f.label.must_fire = strings(must);
            f.label.may_fire = strings(may);
            f.label.expected = if must.iter().any(|c| *c != "D006") {
                "fail"
            } else {
                "pass"
            }
            .into();
            f.label.jpeg_quality = q;
            f.bytes = bytes;
            f
        };
        let px = compliant().pixels;
        let png = encode_png(&px);
        out.push(variant(
            "file-png",
            "PNG file named .png",
            "png",
            png.clone(),
            None,
            &["D001"],
            &["D004", "D006"],
        ));
        out.push(variant(
            "file-png-named-jpg",
            "PNG content under a .jpg name",
            "jpg",
            png,
            None,
            &["D001"],
            &["D004", "D006"],
        ));
        let big = image::imageops::resize(&px, 600, 800, image::imageops::FilterType::Triangle);
        let (bytes, q) = encode_compliant(&big, None);
        let mut f = variant(
            "file-600x800",
            "600x800 instead of 480x640",
            "jpg",
            bytes,
            Some(q),
            &["D002"],
            &["D006"],
        );
        f.pixels = big;
        out.push(f);
        out.push(variant(
            "file-greyscale",
            "greyscale JPEG (8-bit, one channel)",
            "jpg",
            encode_grey_jpeg(&px),
            Some(85),
            &["D003"],
            // A grey photo has a grey backdrop, on which dark hair reads
            // like a shadow.
            &["B001", "B003", "D006"],
        ));
        out.push(variant(
            "file-quality-30",
            "JPEG quality 30",
            "jpg",
            encode_jpeg_with(&px, 30, PixelDensity::dpi(FIXTURE_DPI), None),
            Some(30),
            &["D005"],
            &["D006"],
        ));
        out.push(variant(
            "file-quality-95",
            "JPEG quality 95: larger than 40 KB, a warning only",
            "jpg",
            encode_jpeg_with(&px, 95, PixelDensity::dpi(FIXTURE_DPI), None),
            Some(95),
            &["D006"],
            &[],
        ));
        let q = encode_compliant(&px, None).1;
        out.push(variant(
            "file-72dpi",
            "72 dpi recorded instead of 300",
            "jpg",
            encode_jpeg_with(&px, q, PixelDensity::dpi(72), None),
            Some(q),
            &["D004"],
            &[],
        ));
        out.push(variant(
            "file-no-dpi",
            "no resolution recorded (JFIF aspect ratio only)",
            "jpg",
            encode_jpeg_with(&px, q, PixelDensity::default(), None),
            Some(q),
            &["D004"],
            &[],
        ));
    }
    out
}

/// Encodes pixels as a PNG (no resolution chunk).
pub fn encode_png(img: &RgbImage) -> Vec<u8> {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail for a valid RGB buffer.
    #[allow(clippy::expect_used)]
    img.write_to(&mut std::io::Cursor::new(&mut buf), image::ImageFormat::Png)
        .expect("PNG encoding into memory");
    buf
}

/// Encodes pixels as a one-channel (greyscale) JPEG at quality 85, 300 dpi.
pub fn encode_grey_jpeg(img: &RgbImage) -> Vec<u8> {
    use image::ImageEncoder;
    let grey = image::DynamicImage::ImageRgb8(img.clone()).to_luma8();
    let mut buf = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut buf, 85);
    enc.set_pixel_density(PixelDensity::dpi(FIXTURE_DPI));
    // Writing into a Vec cannot fail for a valid buffer.
    #[allow(clippy::expect_used)]
    enc.write_image(
        grey.as_raw(),
        grey.width(),
        grey.height(),
        image::ExtendedColorType::L8,
    )
    .expect("JPEG encoding into memory");
    buf
}

/// The backdrop fixtures: from every base, the compliant framing on a
/// backdrop that is wrong (white, red, dark blue, grey), uneven (a vertical
/// gradient, a vignette), shadowed beside the head, cluttered (a flag behind
/// the person), or a light blue within tolerance.
pub fn background_fixtures() -> Vec<Fixture> {
    let c = Placement::COMPLIANT;
    let mut out = Vec::new();
    for base in &BASES {
        let v = |name, desc, b, must: &[&str], may: &[&str]| {
            scene(base, name, desc, c, b, Dress::AsPhotographed, must, may)
        };
        out.push(v(
            "bg-white",
            "white backdrop (some copies of the standard allow it; the default profile does not)",
            Backdrop::Flat([250, 250, 250]),
            &["B001"],
            &[],
        ));
        out.push(v(
            "bg-red",
            "red backdrop (the resident-ID and visa red)",
            Backdrop::Flat([210, 35, 40]),
            &["B001"],
            &[],
        ));
        out.push(v(
            "bg-dark-blue",
            "dark blue backdrop",
            Backdrop::Flat([25, 70, 150]),
            &["B001"],
            &[],
        ));
        out.push(v(
            "bg-grey",
            "mid-grey backdrop",
            Backdrop::Flat([150, 152, 155]),
            &["B001"],
            &[],
        ));
        out.push(v(
            "bg-blue-within",
            "light blue a little lighter than the reference (CIEDE2000 about 3): compliant",
            Backdrop::Flat([120, 205, 255]),
            &[],
            &[],
        ));
        out.push(v(
            "bg-gradient",
            "light blue fading towards white at the bottom (vertical gradient)",
            Backdrop::Vertical(DIPLOMA_BLUE, [205, 233, 255]),
            &["B002"],
            &["B001"],
        ));
        out.push(v(
            "bg-vignette",
            "light blue darkening towards the corners (a lens or lighting vignette)",
            Backdrop::Vignette(DIPLOMA_BLUE, 0.6),
            &["B002"],
            &["B001"],
        ));
        let mut flag = v(
            "bg-object",
            "a flag hanging behind the person at the left edge (real pixels from the NASA astronaut portrait)",
            Backdrop::Flat(DIPLOMA_BLUE),
            &["B004"],
            &["B002"],
        );
        paste_flag(&mut flag.pixels);
        flag.reencode();
        out.push(flag);
        out.push(v(
            "bg-shadow",
            "soft shadow of the head cast on the backdrop to its right",
            Backdrop::Shadow {
                colour: DIPLOMA_BLUE,
                offset: (22.0, 8.0),
                strength: 0.35,
            },
            &["B003"],
            // The shadow's dark core joins the silhouette and can tilt the
            // measured shoulder line.
            &["F009"],
        ));
    }
    out
}

/// The NASA astronaut portrait (public domain, see testdata/LICENSES).
pub const ASTRONAUT_PNG: &[u8] = include_bytes!("../../../testdata/samples/astronaut.png");

/// Pastes the flag from the left edge of the astronaut portrait (the cloth
/// only: columns 0-47, rows 0-329) onto the left edge of `frame`.
pub fn paste_flag(frame: &mut RgbImage) {
    // The portrait is compiled in; a failure here is a broken build, not input.
    #[allow(clippy::expect_used)]
    let astronaut = image::load_from_memory(ASTRONAUT_PNG)
        .expect("bundled astronaut portrait decodes")
        .to_rgb8();
    let flag = image::imageops::crop_imm(&astronaut, 0, 0, 48, 330).to_image();
    image::imageops::replace(frame, &flag, 0, 0);
}

/// The clothing fixtures: the three bases that show a top, the compliant
/// framing on the diploma blue, the top recoloured (fabric shading kept) to
/// colours the notices forbid, and to compliant ones.
pub fn clothing_fixtures() -> Vec<Fixture> {
    let c = Placement::COMPLIANT;
    let lch = |l, c, h| LchColour { l, c, h };
    let mut out = Vec::new();
    for base in BASES.iter().filter(|b| b.dressed) {
        let v = |name, desc, d, must: &[&str], may: &[&str]| {
            scene(
                base,
                name,
                desc,
                c,
                Backdrop::Flat(DIPLOMA_BLUE),
                d,
                must,
                may,
            )
        };
        out.push(v(
            "top-sky-blue",
            "sky-blue top: blue, and close to the backdrop",
            Dress::Colour(lch(76.0, 30.0, 240.0), 2.0),
            &["C001", "C002"],
            &["F008", "F009"],
        ));
        out.push(v(
            "top-light-blue",
            "light-blue shirt colour: blue, close to the backdrop",
            Dress::Colour(lch(80.0, 24.0, 255.0), 2.0),
            &["C001", "C002"],
            &["F008", "F009"],
        ));
        out.push(v(
            "top-blue",
            "mid-blue top: blue, but clearly darker than the backdrop",
            Dress::Colour(lch(45.0, 45.0, 285.0), 2.0),
            &["C002"],
            &[],
        ));
        out.push(v(
            "top-royal-blue",
            "saturated mid-blue top, darker than the light blues (RGB about 35,75,175): blue, not navy",
            Dress::Colour(lch(35.0, 60.0, 292.0), 2.0),
            &["C002"],
            &[],
        ));
        out.push(v(
            "top-navy",
            "navy suit colour at its most saturated (L 24, chroma 30): compliant",
            Dress::Colour(lch(24.0, 30.0, 290.0), 2.0),
            &[],
            &[],
        ));
        out.push(v(
            "top-yellow",
            "yellow top",
            Dress::Colour(lch(84.0, 70.0, 95.0), 2.0),
            &["C003"],
            &[],
        ));
        out.push(v(
            "top-green",
            "green top",
            Dress::Colour(lch(52.0, 50.0, 148.0), 2.0),
            &["C004"],
            &[],
        ));
        out.push(v(
            "top-yellow-green",
            "yellow-green top",
            Dress::Colour(lch(76.0, 62.0, 122.0), 2.0),
            &["C005"],
            &[],
        ));
        out.push(v(
            "top-skin-like",
            "beige top close to the person's own skin (lighter and paler, CIEDE2000 8.5 from the cheeks)",
            Dress::SkinTone(8.5),
            &["C006"],
            &[],
        ));
        out.push(v(
            "top-bare-shoulders",
            "skin where the top was: the person's own skin colour and shading at the shoulders",
            Dress::SkinTone(0.0),
            &["C007"],
            &[],
        ));
        out.push(v(
            "top-dark-suit",
            "dark navy suit colour: compliant",
            Dress::Colour(lch(20.0, 14.0, 275.0), 2.0),
            &[],
            &[],
        ));
        out.push(v(
            "top-white",
            "white shirt colour: compliant (the notices' preferred shirt)",
            Dress::Colour(lch(90.0, 2.0, 250.0), 2.0),
            &[],
            &[],
        ));
        out.push(v(
            "top-white-yellow-tie",
            "white shirt with a small yellow tie: the tie is not the top, compliant",
            Dress::WithTie(lch(90.0, 2.0, 250.0), lch(82.0, 70.0, 92.0)),
            &[],
            &[],
        ));
    }
    out
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
    out.push(wide_shot(
        "small-face-wide",
        "a raw 1600x1200 shot before cropping: one face 8 % of the width (128 px)",
        &[(&BASES[2], 800.0)],
        &["F004", "D002"],
    ));
    out.push(wide_shot(
        "two-small-faces-wide",
        "two people in a 1600x1200 shot, faces 8 % of the width each",
        &[(&BASES[0], 560.0), (&BASES[3], 1040.0)],
        &["F001", "D002"],
    ));
    out
}

/// People in a wide 1600x1200 shot on the diploma blue, each face 128 px
/// wide (8 % of the width) with its eye mid-point at `(x, 930)`, the
/// shoulders reaching the bottom edge: faces this
/// small must still be found. Framing rules that follow from the shot's
/// shape may fire too.
fn wide_shot(name: &str, description: &str, people: &[(&Base, f32)], must: &[&str]) -> Fixture {
    let (w, h) = (1600, 1200);
    let mut frame = RgbImage::from_pixel(w, h, Rgb(DIPLOMA_BLUE));
    let share = w / people.len().max(1) as u32;
    let placed: Vec<(&Base, Placement, std::ops::Range<u32>)> = people
        .iter()
        .enumerate()
        .map(|(i, (base, cx))| {
            let p = Placement {
                face_width: 128.0,
                eye_y: 930.0,
                centre_x: *cx,
                roll_degrees: 0.0,
            };
            (*base, p, i as u32 * share..(i as u32 + 1) * share)
        })
        .collect();
    let extended = place_people(&mut frame, &placed);
    let bases: Vec<&str> = people.iter().map(|(b, _)| b.name).collect();
    whole_frame_fault(
        frame,
        name,
        &bases.join("+"),
        description,
        extended,
        must,
        &["F002", "F003", "F005", "F007", "F008", "F009", "D006"],
    )
}

/// Places each person (a base at its placement, in its columns) on the
/// diploma blue of `frame`, as photographed; true when a canvas had to be
/// extended beyond the photographed source.
fn place_people(frame: &mut RgbImage, people: &[(&Base, Placement, std::ops::Range<u32>)]) -> bool {
    let mut extended = false;
    for (base, p, cols) in people {
        extended |= place(
            frame,
            prepared(base),
            base,
            p,
            Backdrop::Flat(DIPLOMA_BLUE),
            Dress::AsPhotographed,
            cols.clone(),
        );
    }
    extended
}

fn two_faces() -> Fixture {
    let mut frame = RgbImage::from_pixel(FRAME_W, FRAME_H, Rgb(DIPLOMA_BLUE));
    let at = |cx: f32| Placement {
        face_width: 140.0,
        eye_y: 260.0,
        centre_x: cx,
        roll_degrees: 0.0,
    };
    let extended = place_people(
        &mut frame,
        &[
            (&BASES[0], at(120.0), 0..240),
            (&BASES[1], at(360.0), 240..FRAME_W),
        ],
    );
    whole_frame_fault(
        frame,
        "two-faces",
        "id1+id2",
        "two people side by side",
        extended,
        &["F001"],
        // A frame of mostly flat colour compresses below 20 KB.
        &["D006"],
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
        &["F001"],
        &["D006"],
    )
}

/// A fixture that fails as a whole frame (the face count, a face too small
/// in a wide shot): no single face placed at the diploma framing, so no
/// per-face geometry to label.
fn whole_frame_fault(
    frame: RgbImage,
    name: &str,
    base: &str,
    description: &str,
    extended: bool,
    must: &[&str],
    may: &[&str],
) -> Fixture {
    finish(
        Label {
            name: name.into(),
            base: base.into(),
            description: description.into(),
            expected: "fail".into(),
            must_fire: strings(must),
            may_fire: strings(may),
            crown_y: None,
            eye_y: None,
            eyes: None,
            face_width: None,
            roll_degrees: None,
            extended,
            file_name: format!("{name}.jpg"),
            jpeg_quality: None,
        },
        frame,
    )
}

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

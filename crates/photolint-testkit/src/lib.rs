//! Labelled fixtures for photolint, built from real sample portraits.
//!
//! Each fixture is a 480x640 JPEG made from one of the bundled sample
//! portraits (light-grey ICAO-style backgrounds): the person is matted off the
//! grey with a soft edge and set on the profile's light blue, then scaled,
//! rotated and placed so that the eyes, crown and face width land where the
//! fixture wants them. Every fixture carries a [`Label`] with the verdict it
//! must get, the rule codes that must fire, and the true geometry after the
//! edit, mapped from hand-checked positions on the source portrait.

use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use image::{Rgb, RgbImage};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
pub mod bad;
pub mod compose;
pub mod corpus;
pub mod effects;
mod encode;
mod fixtures;
pub mod realdev;
pub mod score;
mod sheet;

use compose::{place, Transform};
pub use compose::{prepare, Backdrop, Dress, LchColour, Prepared};
pub use encode::*;
pub use fixtures::*;
pub use sheet::contact_sheet;
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

/// Every fixture: framing, backdrop, clothing, light, face and file.
pub fn all_fixtures() -> Vec<Fixture> {
    let mut v = framing_fixtures();
    v.extend(background_fixtures());
    v.extend(clothing_fixtures());
    v.extend(light_fixtures());
    v.extend(face_fixtures());
    v.extend(glasses_fixtures());
    v.extend(hair_fixtures());
    v.extend(eye_fixtures());
    v.extend(headwear_fixtures());
    v.extend(file_fixtures());
    v
}

/// An edit of a finished frame, given the true eye centres and face width.
type Edit<'a> = dyn Fn(&mut RgbImage, [(f32, f32); 2], f32) + 'a;

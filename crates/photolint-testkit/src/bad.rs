//! The hostile and broken inputs of `testdata/bad/` that can be made here:
//! cut, damaged, mislabelled, oversized and odd-format versions of the
//! compliant fixture. Their expected outcomes are in
//! `testdata/bad/expected.toml`, beside the few files that cannot be made
//! here (WebP, HEIC and CMYK need another encoder) and are committed.
//!
//! Everything is deterministic: the same bytes on every run.

use image::{ImageBuffer, Rgb, RgbImage, Rgba};

use crate::{encode_compliant, encode_grey_jpeg, encode_png, scene, Backdrop, Dress, Placement};
use crate::{BASES, DIPLOMA_BLUE};

/// One generated file: its name in `testdata/bad/` and its bytes.
#[derive(Debug, Clone)]
pub struct BadFile {
    /// File name (the expectations in `expected.toml` are keyed by it).
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

fn file(name: &str, bytes: Vec<u8>) -> BadFile {
    BadFile {
        name: name.into(),
        bytes,
    }
}

/// The compliant portrait (first base) on the diploma blue, and the same
/// person on red: where the two differ is backdrop, which gives the matte.
fn compliant_pair() -> (RgbImage, RgbImage) {
    let at = |b: [u8; 3]| {
        scene(
            &BASES[0],
            "compliant",
            "compliant",
            Placement::COMPLIANT,
            Backdrop::Flat(b),
            Dress::AsPhotographed,
            &[],
            &[],
        )
        .pixels
    };
    (at(DIPLOMA_BLUE), at([230, 30, 30]))
}

/// The offset of the first byte after JPEG marker `marker` (its length field).
fn marker_at(bytes: &[u8], marker: u8) -> Option<usize> {
    bytes
        .windows(2)
        .position(|w| w == [0xFF, marker])
        .map(|p| p + 2)
}

/// Every file this module makes, in name order.
pub fn generated() -> Vec<BadFile> {
    let (px, on_red) = compliant_pair();
    let jpeg = encode_compliant(&px, None).0;
    let n = jpeg.len();
    let sos = marker_at(&jpeg, 0xDA).unwrap_or(n / 10);
    let sof = marker_at(&jpeg, 0xC0).unwrap_or(2);
    let dht = marker_at(&jpeg, 0xC4).unwrap_or(2);
    let mut out = vec![
        file("empty.jpg", Vec::new()),
        file("truncated-signature.jpg", jpeg[..2].to_vec()),
        file("truncated-in-headers.jpg", jpeg[..sof.min(n)].to_vec()),
        file(
            "truncated-scan-start.jpg",
            jpeg[..(sos + 40).min(n)].to_vec(),
        ),
        file("truncated-30pct.jpg", jpeg[..n * 3 / 10].to_vec()),
        file("truncated-60pct.jpg", jpeg[..n * 6 / 10].to_vec()),
        file("truncated-90pct.jpg", jpeg[..n * 9 / 10].to_vec()),
        // Only the end-of-image marker is missing: every pixel is there.
        file("truncated-end-marker.jpg", jpeg[..n - 2].to_vec()),
        file(
            "text-named.jpg",
            b"This is not a photo.\r\nIt is a note someone saved as .jpg.\r\n".to_vec(),
        ),
        file("png-named.jpg", encode_png(&px)),
        file("greyscale.jpg", encode_grey_jpeg(&px)),
    ];

    // A Huffman table whose code counts add up to more codes than exist.
    let mut table = jpeg.clone();
    for b in table.iter_mut().skip(dht + 3).take(16) {
        *b = 0xFF;
    }
    out.push(file("corrupt-huffman-table.jpg", table));

    // Entropy-coded data overwritten with noise that makes a marker
    // (0xFF followed by a byte other than 0): a damaged stream the
    // decoder can tell.
    let mut marked = jpeg.clone();
    let mut x: u32 = 0x2545_F491;
    for b in marked.iter_mut().skip(sos + 3000).take(64) {
        *b = xorshift(&mut x);
    }
    out.push(file("corrupt-huffman-data.jpg", marked));

    // The same kind of damage kept inside the Huffman stream (no byte of a
    // marker or of its stuffing touched): the decoder loses step and the
    // rest of the picture shifts, as in any viewer. Judged on what it shows.
    let mut shifted = jpeg.clone();
    for i in sos + 3000..(sos + 3064).min(n) {
        if jpeg[i] != 0xFF && jpeg[i - 1] != 0xFF {
            shifted[i] = xorshift(&mut x);
        }
    }
    out.push(file("corrupt-huffman-shifted.jpg", shifted));

    // The frame header claims 65500 x 65500 pixels.
    let mut huge = jpeg.clone();
    if let Some(h) = huge.get_mut(sof + 3..sof + 7) {
        h.copy_from_slice(&[0xFF, 0xDC, 0xFF, 0xDC]);
    }
    out.push(file("huge-header.jpg", huge));

    out.push(file("png-100000x100000.png", png_bomb()));

    // 16 bits a channel.
    let deep: ImageBuffer<Rgb<u16>, Vec<u16>> =
        ImageBuffer::from_fn(px.width(), px.height(), |x, y| {
            let p = px.get_pixel(x, y).0;
            Rgb(p.map(|c| u16::from(c) * 257))
        });
    out.push(file(
        "rgb-16bit.png",
        png_of(&image::DynamicImage::ImageRgb16(deep)),
    ));

    // Transparent backdrop; the hidden colour under it is the diploma blue,
    // so only a reader that honours the alpha sees no blue backdrop.
    out.push(file(
        "rgba-transparent.png",
        png_of(&image::DynamicImage::ImageRgba8(matte(&px, &on_red))),
    ));

    out.push(file(
        "exif-rotated.jpg",
        crate::exif_rotated_fixture().bytes,
    ));
    out.push(file(
        "one-pixel.png",
        encode_png(&RgbImage::from_pixel(1, 1, Rgb(DIPLOMA_BLUE))),
    ));
    out.push(file(
        "20000x1.png",
        encode_png(&RgbImage::from_pixel(20_000, 1, Rgb(DIPLOMA_BLUE))),
    ));
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The compliant photo scaled up to 6000 x 8000 (a 48-megapixel camera's
/// size): valid and large. Made at run time, not committed (1.5 MB).
pub fn huge_valid() -> BadFile {
    let (px, _) = compliant_pair();
    let big = image::imageops::resize(&px, 6000, 8000, image::imageops::FilterType::Triangle);
    file("camera-6000x8000.jpg", encode_compliant(&big, None).0)
}

/// A byte from a xorshift generator, never 0xFF.
fn xorshift(x: &mut u32) -> u8 {
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    (*x % 255) as u8
}

/// Alpha from the difference between the person on blue and on red: 0
/// where they differ fully (backdrop), 255 where they agree (person).
fn matte(on_blue: &RgbImage, on_red: &RgbImage) -> ImageBuffer<Rgba<u8>, Vec<u8>> {
    let span = f32::from(DIPLOMA_BLUE[0].abs_diff(230))
        + f32::from(DIPLOMA_BLUE[1].abs_diff(30))
        + f32::from(DIPLOMA_BLUE[2].abs_diff(30));
    ImageBuffer::from_fn(on_blue.width(), on_blue.height(), |x, y| {
        let b = on_blue.get_pixel(x, y).0;
        let r = on_red.get_pixel(x, y).0;
        let d: f32 = (0..3).map(|c| f32::from(b[c].abs_diff(r[c]))).sum();
        let a = (255.0 * (1.0 - d / span)).round().clamp(0.0, 255.0) as u8;
        Rgba([b[0], b[1], b[2], a])
    })
}

fn png_of(img: &image::DynamicImage) -> Vec<u8> {
    let mut buf = Vec::new();
    // Encoding into memory cannot fail for a valid buffer.
    #[allow(clippy::expect_used)]
    img.write_to(&mut std::io::Cursor::new(&mut buf), image::ImageFormat::Png)
        .expect("PNG encoding into memory");
    buf
}

/// A PNG whose header claims 100000 x 100000 RGB pixels (30 GB decoded),
/// followed by one small compressed block of zeros and the end chunk.
pub fn png_bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    // A stored (uncompressed) zlib stream of 1024 zero bytes.
    let mut idat = vec![0x78, 0x01, 0x01, 0x00, 0x04, 0xFF, 0xFB];
    idat.extend(std::iter::repeat_n(0u8, 1024));
    idat.extend_from_slice(&((1024u32 << 16) | 1).to_be_bytes()); // Adler-32 of 1024 zeros
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

//! Encoders for fixtures: JPEG at a quality and density, with or without
//! an EXIF orientation, PNG, greyscale JPEG.

use crate::*;

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

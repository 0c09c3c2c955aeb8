//! Bytes to pixels plus the facts about the file that later rules judge.

pub mod jpeg;

use std::io::Cursor;

use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage,
};
use serde::{Deserialize, Serialize};

use crate::decode::jpeg::{Density, Frame, Quality};
use crate::error::Error;

/// Decoder limits: a file or image beyond them is refused with
/// [`Error::TooLarge`] before its pixels take any memory.
///
/// The defaults are far above any ID photo (or any phone camera's photo)
/// and far below what a decompression bomb asks for. The command line sets
/// them with `--max-side`, `--max-decode-mb` and `--max-file-mb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodeLimits {
    /// Largest accepted width or height, pixels (default 12,000).
    pub max_side: u32,
    /// Largest accepted decoding allocation, bytes (default 512 MiB).
    pub max_alloc: u64,
    /// Largest file read at all, bytes (default 64 MiB).
    pub max_file_bytes: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_side: 12_000,
            max_alloc: 512 << 20,
            max_file_bytes: 64 << 20,
        }
    }
}

/// What the file is, as found in its content (not its name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Format sniffed from the content: "jpeg", "png" or "webp".
    pub format: String,
    /// Width after EXIF orientation, pixels.
    pub width: u32,
    /// Height after EXIF orientation, pixels.
    pub height: u32,
    /// Colour type as stored in the file, e.g. "rgb8", "l8", "rgba8", "rgb16".
    pub color_type: String,
    /// Number of colour channels stored (1 grey, 2 grey+alpha, 3 colour, 4 colour+alpha).
    pub channels: u8,
    /// Bits per channel as stored.
    pub bits_per_channel: u8,
    /// EXIF orientation tag (2-8) that was applied to turn the pixels
    /// upright; `None` when the file is stored upright or has no tag.
    pub exif_orientation: Option<u8>,
    /// File size in bytes.
    pub file_size: u64,
    /// The file name's extension, lower-case, when the photo was read from a
    /// file (the format above comes from the content, not from this).
    pub extension: Option<String>,
    /// The file's name (last path component), when the photo was read from
    /// a file or its caller named it: judged by the profile's naming rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Pixel density recorded in the file (JFIF, EXIF or PNG pHYs).
    pub density: Option<Density>,
    /// JPEG only: the frame header (precision, components, process).
    pub jpeg_frame: Option<Frame>,
    /// JPEG only: the quality factor estimated from the quantisation tables.
    pub jpeg_quality: Option<Quality>,
}

/// A decoded photo: upright 8-bit RGB pixels and the file facts.
#[derive(Debug, Clone)]
pub struct Input {
    /// Pixels, EXIF orientation applied.
    pub rgb: RgbImage,
    /// Facts about the file.
    pub facts: FileFacts,
}

/// Decodes `bytes` (JPEG, PNG or WebP, sniffed from content) within `limits`.
///
/// JPEG data is decoded strictly: a file cut short (an interrupted upload
/// or copy) or with damaged entropy-coded data is refused with
/// [`Error::Decode`], not filled in with grey as lenient decoders do. A
/// header that claims more than `limits` allow is refused with
/// [`Error::TooLarge`] before any pixel memory is taken. Transparent pixels
/// are judged as if laid on white, as most programs do when they save a
/// transparent picture as JPEG.
pub fn decode(bytes: &[u8], limits: DecodeLimits) -> Result<Input, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_big_file(bytes.len() as u64, limits));
    }
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => "jpeg",
        Ok(ImageFormat::Png) => "png",
        // Phones and browsers save WebP, and uploads arrive renamed .jpg:
        // judged like a PNG, the file rule then says it is not JPEG.
        Ok(ImageFormat::WebP) => "webp",
        Ok(other) => {
            return Err(Error::UnsupportedFormat(format!(
                ": found {}",
                other.extensions_str().first().unwrap_or(&"?")
            )))
        }
        // The first bytes of a JPEG or PNG and nothing more.
        Err(_) if JPEG_MAGIC.starts_with(bytes) || PNG_MAGIC.starts_with(bytes) => {
            return Err(Error::Truncated(format!(
                "{} bytes, the start of a JPEG or PNG signature",
                bytes.len()
            )))
        }
        Err(_) => {
            return Err(Error::UnsupportedFormat(
                other_format(bytes)
                    .map(|f| format!(": found {f}"))
                    .unwrap_or_default(),
            ))
        }
    };
    let (img, color, orientation) = if format == "jpeg" {
        decode_jpeg(bytes, limits)?
    } else {
        decode_other(bytes, limits)?
    };
    let mut img = img;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let exif_orientation = orientation.map(|o| o.to_exif());
    let mut channels = color.channel_count();
    let bits = (color.bits_per_pixel() / channels.max(1) as u16) as u8;
    let mut color_type = format!("{color:?}").to_lowercase();
    let (density, jpeg_frame, jpeg_quality) = if format == "jpeg" {
        let h = crate::decode::jpeg::headers(bytes);
        // The decoder hands CMYK over as RGB: the frame header tells.
        if let Some(f) = h.frame.filter(|f| f.components == 4) {
            channels = f.components;
            color_type = "cmyk8".into();
        }
        (
            crate::decode::jpeg::density(&h),
            h.frame,
            crate::decode::jpeg::estimate_quality(&h.tables),
        )
    } else if format == "png" {
        (crate::decode::jpeg::png_density(bytes), None, None)
    } else {
        (None, None, None)
    };
    let rgb = if img.color().has_alpha() {
        on_white(img)
    } else {
        img.into_rgb8()
    };
    Ok(Input {
        facts: FileFacts {
            format: format.to_string(),
            width: rgb.width(),
            height: rgb.height(),
            color_type,
            channels,
            bits_per_channel: bits,
            exif_orientation: exif_orientation.filter(|&o| o != 1),
            file_size: bytes.len() as u64,
            extension: None,
            file_name: None,
            density,
            jpeg_frame,
            jpeg_quality,
        },
        rgb,
    })
}

/// Decoded pixels, the colour type stored in the file and the EXIF
/// orientation to apply.
type Decoded = (DynamicImage, ExtendedColorType, Option<Orientation>);

/// JPEG through zune-jpeg in strict mode (the image crate runs the same
/// decoder leniently, which paints a truncated file's missing part grey).
fn decode_jpeg(bytes: &[u8], limits: DecodeLimits) -> Result<Decoded, Error> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;

    // The headers are read whatever size they claim (JPEG cannot say more
    // than 65535 a side); the limits are applied below, before decoding.
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX));
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(jpeg_error)?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| Error::Decode("no frame header".into()))?;
    let side = limits.max_side as usize;
    if width > side || height > side {
        return Err(Error::TooLarge(format!(
            "the header says {width}x{height} pixels, more than {side} a side"
        )));
    }
    let stored = decoder.input_colorspace().unwrap_or(ColorSpace::RGB);
    let (out, color) = match stored {
        ColorSpace::Luma | ColorSpace::LumaA => (ColorSpace::Luma, ExtendedColorType::L8),
        _ => (ColorSpace::RGB, ExtendedColorType::Rgb8),
    };
    let need = width as u64 * height as u64 * out.num_components() as u64;
    if need > limits.max_alloc {
        return Err(Error::TooLarge(format!(
            "{width}x{height} pixels need {} MB, more than the {} MB allowed",
            need >> 20,
            limits.max_alloc >> 20
        )));
    }
    decoder.set_options(decoder.options().jpeg_set_out_colorspace(out));
    let pixels = decoder.decode().map_err(jpeg_error)?;
    let orientation = decoder
        .exif()
        .and_then(|chunk| Orientation::from_exif_chunk(chunk));
    let (w, h) = (width as u32, height as u32);
    let img = match out {
        ColorSpace::Luma => image::GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8),
        _ => RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8),
    }
    .ok_or_else(|| Error::Decode("the decoder returned fewer pixels than the header".into()))?;
    Ok((img, color, orientation))
}

fn jpeg_error(e: zune_jpeg::errors::DecodeErrors) -> Error {
    use zune_jpeg::errors::DecodeErrors as D;
    match e {
        D::LargeDimensions(_) => Error::TooLarge(e.to_string()),
        D::Unsupported(_) => Error::UnsupportedFormat(format!(": this kind of JPEG ({e})")),
        D::ExhaustedData => Error::Truncated("the data ends inside the compressed picture".into()),
        D::IoErrors(_) => Error::Truncated("the data ends inside the headers".into()),
        D::FormatStatic(m) if m.contains("end of buffer") => {
            Error::Truncated("the data ends inside the compressed picture".into())
        }
        other => Error::Decode(format!(
            "damaged JPEG data: {}",
            other.to_string().trim().trim_matches('"')
        )),
    }
}

/// PNG (and any other format the image crate reads) with its limits.
fn decode_other(bytes: &[u8], limits: DecodeLimits) -> Result<Decoded, Error> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Error::Decode(e.to_string()))?;
    let mut lim = Limits::default();
    lim.max_image_width = Some(limits.max_side);
    lim.max_image_height = Some(limits.max_side);
    lim.max_alloc = Some(limits.max_alloc);
    reader.limits(lim);
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        // Say what the header claimed: the PNG header is at a fixed place.
        image::ImageError::Limits(_) if bytes.get(12..16) == Some(b"IHDR") => {
            let be = |at: usize| {
                bytes
                    .get(at..at + 4)
                    .and_then(|b| b.try_into().ok())
                    .map_or(0, u32::from_be_bytes)
            };
            Error::TooLarge(format!(
                "the header says {}x{} pixels; at most {} a side and {} MB are decoded",
                be(16),
                be(20),
                limits.max_side,
                limits.max_alloc >> 20
            ))
        }
        other => map_image_error(other),
    })?;
    let color = decoder.original_color_type();
    let orientation = decoder.orientation().ok();
    let img = DynamicImage::from_decoder(decoder).map_err(map_image_error)?;
    Ok((img, color, orientation))
}

/// Lays a picture with an alpha channel on white.
fn on_white(img: DynamicImage) -> RgbImage {
    let rgba = img.into_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(p[3]);
        for c in 0..3 {
            o[c] = ((u16::from(p[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Names formats the image crate does not know by their magic numbers.
fn other_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.get(4..8) == Some(b"ftyp") {
        return match bytes.get(8..12) {
            Some(b"heic" | b"heix" | b"heim" | b"heis" | b"mif1" | b"msf1") => Some("heic"),
            Some(b"avif" | b"avis") => Some("avif"),
            _ => None,
        };
    }
    None
}

/// The error for a file of `len` bytes, over the limit.
pub fn too_big_file(len: u64, limits: DecodeLimits) -> Error {
    Error::TooLarge(format!(
        "the file is {:.1} MB, more than the {:.1} MB read at most",
        len as f64 / (1 << 20) as f64,
        limits.max_file_bytes as f64 / (1 << 20) as f64
    ))
}

fn map_image_error(e: image::ImageError) -> Error {
    match e {
        image::ImageError::Limits(l) => Error::TooLarge(l.to_string()),
        image::ImageError::Unsupported(u) => Error::UnsupportedFormat(format!(": {u}")),
        image::ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::Truncated(io.to_string())
        }
        other => Error::Decode(other.to_string()),
    }
}

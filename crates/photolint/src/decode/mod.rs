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

impl DecodeLimits {
    /// `Err(TooLarge)` for a file of `len` bytes, more than is read at
    /// all; the one place that rule is, for files on disk, bytes in
    /// memory and files the browser has not read yet.
    pub fn check_file_size(&self, len: u64) -> Result<(), Error> {
        if len > self.max_file_bytes {
            Err(Error::TooLarge(format!(
                "the file is {:.1} MB, more than the {:.1} MB read at most",
                len as f64 / (1 << 20) as f64,
                self.max_file_bytes as f64 / (1 << 20) as f64
            )))
        } else {
            Ok(())
        }
    }
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

/// A file format photolint reads, recognised by the file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// JPEG (`jpeg`).
    Jpeg,
    /// PNG (`png`).
    Png,
    /// WebP (`webp`).
    Webp,
}

impl FileFormat {
    /// The name written in reports and profiles.
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Jpeg => "jpeg",
            FileFormat::Png => "png",
            FileFormat::Webp => "webp",
        }
    }
}

impl std::fmt::Display for FileFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the pixels are stored in the file (channels and bits per channel),
/// before photolint turns them into 8-bit RGB. Written as the lower-case
/// name: `rgb8`, `l8`, `rgba8`, `rgb16`, `cmyk8`, ...; a palette or other
/// layout the decoder only knows by its size as `unknown(N)` (N bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum ColorType {
    /// Alpha only, 8 bits.
    A8,
    /// Grey, 1 bit.
    L1,
    /// Grey with alpha, 1 bit.
    La1,
    /// RGB, 1 bit per channel.
    Rgb1,
    /// RGB with alpha, 1 bit per channel.
    Rgba1,
    /// Grey, 2 bits.
    L2,
    /// Grey with alpha, 2 bits.
    La2,
    /// RGB, 2 bits per channel.
    Rgb2,
    /// RGB with alpha, 2 bits per channel.
    Rgba2,
    /// Grey, 4 bits.
    L4,
    /// Grey with alpha, 4 bits.
    La4,
    /// RGB, 4 bits per channel.
    Rgb4,
    /// RGB with alpha, 4 bits per channel.
    Rgba4,
    /// RGB, 5 bits per channel and one spare bit.
    Rgb5x1,
    /// Grey, 8 bits.
    L8,
    /// Grey with alpha, 8 bits.
    La8,
    /// RGB, 8 bits per channel.
    Rgb8,
    /// RGB with alpha, 8 bits per channel.
    Rgba8,
    /// Grey, 16 bits.
    L16,
    /// Grey with alpha, 16 bits.
    La16,
    /// RGB, 16 bits per channel.
    Rgb16,
    /// RGB with alpha, 16 bits per channel.
    Rgba16,
    /// BGR, 8 bits per channel.
    Bgr8,
    /// BGR with alpha, 8 bits per channel.
    Bgra8,
    /// RGB, 32-bit float per channel.
    Rgb32F,
    /// RGB with alpha, 32-bit float per channel.
    Rgba32F,
    /// CMYK, 8 bits per channel (a CMYK JPEG: the decoder hands it over as RGB).
    Cmyk8,
    /// CMYK, 16 bits per channel.
    Cmyk16,
    /// A layout known only by its bits per pixel.
    Unknown(u8),
}

impl ColorType {
    /// Every named layout, for reading the names back.
    const NAMED: [ColorType; 28] = [
        ColorType::A8,
        ColorType::L1,
        ColorType::La1,
        ColorType::Rgb1,
        ColorType::Rgba1,
        ColorType::L2,
        ColorType::La2,
        ColorType::Rgb2,
        ColorType::Rgba2,
        ColorType::L4,
        ColorType::La4,
        ColorType::Rgb4,
        ColorType::Rgba4,
        ColorType::Rgb5x1,
        ColorType::L8,
        ColorType::La8,
        ColorType::Rgb8,
        ColorType::Rgba8,
        ColorType::L16,
        ColorType::La16,
        ColorType::Rgb16,
        ColorType::Rgba16,
        ColorType::Bgr8,
        ColorType::Bgra8,
        ColorType::Rgb32F,
        ColorType::Rgba32F,
        ColorType::Cmyk8,
        ColorType::Cmyk16,
    ];

    /// The name written in reports.
    pub fn name(self) -> String {
        match self {
            ColorType::A8 => "a8".into(),
            ColorType::L1 => "l1".into(),
            ColorType::La1 => "la1".into(),
            ColorType::Rgb1 => "rgb1".into(),
            ColorType::Rgba1 => "rgba1".into(),
            ColorType::L2 => "l2".into(),
            ColorType::La2 => "la2".into(),
            ColorType::Rgb2 => "rgb2".into(),
            ColorType::Rgba2 => "rgba2".into(),
            ColorType::L4 => "l4".into(),
            ColorType::La4 => "la4".into(),
            ColorType::Rgb4 => "rgb4".into(),
            ColorType::Rgba4 => "rgba4".into(),
            ColorType::Rgb5x1 => "rgb5x1".into(),
            ColorType::L8 => "l8".into(),
            ColorType::La8 => "la8".into(),
            ColorType::Rgb8 => "rgb8".into(),
            ColorType::Rgba8 => "rgba8".into(),
            ColorType::L16 => "l16".into(),
            ColorType::La16 => "la16".into(),
            ColorType::Rgb16 => "rgb16".into(),
            ColorType::Rgba16 => "rgba16".into(),
            ColorType::Bgr8 => "bgr8".into(),
            ColorType::Bgra8 => "bgra8".into(),
            ColorType::Rgb32F => "rgb32f".into(),
            ColorType::Rgba32F => "rgba32f".into(),
            ColorType::Cmyk8 => "cmyk8".into(),
            ColorType::Cmyk16 => "cmyk16".into(),
            ColorType::Unknown(bits) => format!("unknown({bits})"),
        }
    }
}

impl std::fmt::Display for ColorType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

impl From<ColorType> for String {
    fn from(c: ColorType) -> String {
        c.name()
    }
}

impl TryFrom<String> for ColorType {
    type Error = String;
    fn try_from(s: String) -> Result<ColorType, String> {
        if let Some(c) = ColorType::NAMED.into_iter().find(|c| c.name() == s) {
            return Ok(c);
        }
        s.strip_prefix("unknown(")
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|b| b.parse().ok())
            .map(ColorType::Unknown)
            .ok_or_else(|| format!("unknown colour type {s:?}"))
    }
}

impl From<image::ExtendedColorType> for ColorType {
    fn from(c: image::ExtendedColorType) -> ColorType {
        use image::ExtendedColorType as I;
        match c {
            I::A8 => ColorType::A8,
            I::L1 => ColorType::L1,
            I::La1 => ColorType::La1,
            I::Rgb1 => ColorType::Rgb1,
            I::Rgba1 => ColorType::Rgba1,
            I::L2 => ColorType::L2,
            I::La2 => ColorType::La2,
            I::Rgb2 => ColorType::Rgb2,
            I::Rgba2 => ColorType::Rgba2,
            I::L4 => ColorType::L4,
            I::La4 => ColorType::La4,
            I::Rgb4 => ColorType::Rgb4,
            I::Rgba4 => ColorType::Rgba4,
            I::Rgb5x1 => ColorType::Rgb5x1,
            I::L8 => ColorType::L8,
            I::La8 => ColorType::La8,
            I::Rgb8 => ColorType::Rgb8,
            I::Rgba8 => ColorType::Rgba8,
            I::L16 => ColorType::L16,
            I::La16 => ColorType::La16,
            I::Rgb16 => ColorType::Rgb16,
            I::Rgba16 => ColorType::Rgba16,
            I::Bgr8 => ColorType::Bgr8,
            I::Bgra8 => ColorType::Bgra8,
            I::Rgb32F => ColorType::Rgb32F,
            I::Rgba32F => ColorType::Rgba32F,
            I::Cmyk8 => ColorType::Cmyk8,
            I::Cmyk16 => ColorType::Cmyk16,
            I::Unknown(bits) => ColorType::Unknown(bits),
            // A layout added to the image crate after this list.
            other => ColorType::Unknown(other.bits_per_pixel().min(255) as u8),
        }
    }
}

/// What the file is, as found in its content (not its name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Format sniffed from the content: "jpeg", "png" or "webp".
    pub format: FileFormat,
    /// Width after EXIF orientation, pixels.
    pub width: u32,
    /// Height after EXIF orientation, pixels.
    pub height: u32,
    /// Colour type as stored in the file, e.g. "rgb8", "l8", "rgba8", "rgb16".
    pub color_type: ColorType,
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
    limits.check_file_size(bytes.len() as u64)?;
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => FileFormat::Jpeg,
        Ok(ImageFormat::Png) => FileFormat::Png,
        // Phones and browsers save WebP, and uploads arrive renamed .jpg:
        // judged like a PNG, the file rule then says it is not JPEG.
        Ok(ImageFormat::WebP) => FileFormat::Webp,
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
    let (img, color, orientation) = if format == FileFormat::Jpeg {
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
    let mut color_type = ColorType::from(color);
    let (density, jpeg_frame, jpeg_quality) = if format == FileFormat::Jpeg {
        let h = crate::decode::jpeg::headers(bytes);
        // The decoder hands CMYK over as RGB: the frame header tells.
        if let Some(f) = h.frame.filter(|f| f.components == 4) {
            channels = f.components;
            color_type = ColorType::Cmyk8;
        }
        (
            crate::decode::jpeg::density(&h),
            h.frame,
            crate::decode::jpeg::estimate_quality(&h.tables),
        )
    } else if format == FileFormat::Png {
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
            format,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Colour types are written as the names reports have always carried
    /// (the image crate's variant names, lower-cased) and read back.
    #[test]
    fn colour_type_names_round_trip() {
        for c in ColorType::NAMED.into_iter().chain([ColorType::Unknown(8)]) {
            let name = String::from(c);
            assert_eq!(ColorType::try_from(name.clone()), Ok(c), "{name}");
            let debug = format!("{:?}", c).to_lowercase();
            if !matches!(c, ColorType::Unknown(_)) {
                assert_eq!(name, debug);
            }
        }
        assert_eq!(ColorType::Unknown(8).name(), "unknown(8)");
        assert_eq!(
            ColorType::from(image::ExtendedColorType::Rgb32F).name(),
            "rgb32f"
        );
        assert!(ColorType::try_from("rgb9".to_string()).is_err());
    }
}

//! Bytes to pixels plus the facts about the file that later rules judge.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::jpeg::{Density, Frame, Quality};

/// Decoder limits, refused before any pixel memory is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodeLimits {
    /// Largest accepted width or height, pixels.
    pub max_side: u32,
    /// Largest accepted decoding allocation, bytes.
    pub max_alloc: u64,
}

impl Default for DecodeLimits {
    /// 12,000 px a side and 512 MiB: far above any ID photo, far below a bomb.
    fn default() -> Self {
        DecodeLimits {
            max_side: 12_000,
            max_alloc: 512 << 20,
        }
    }
}

/// What the file is, as found in its content (not its name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Format sniffed from the content: "jpeg" or "png".
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

/// Decodes `bytes` (JPEG or PNG, sniffed from content) within `limits`.
pub fn decode(bytes: &[u8], limits: DecodeLimits) -> Result<Input, Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => "jpeg",
        Ok(ImageFormat::Png) => "png",
        Ok(other) => {
            return Err(Error::UnsupportedFormat(format!(
                ": found {}",
                other.extensions_str().first().unwrap_or(&"?")
            )))
        }
        Err(_) => return Err(Error::UnsupportedFormat(String::new())),
    };
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Error::Decode(e.to_string()))?;
    let mut lim = Limits::default();
    lim.max_image_width = Some(limits.max_side);
    lim.max_image_height = Some(limits.max_side);
    lim.max_alloc = Some(limits.max_alloc);
    reader.limits(lim);
    let mut decoder = reader.into_decoder().map_err(map_image_error)?;
    let color = decoder.original_color_type();
    let orientation = decoder.orientation().ok();
    let exif_orientation = orientation.map(|o| o.to_exif());
    let mut img = DynamicImage::from_decoder(decoder).map_err(map_image_error)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let mut channels = color.channel_count();
    let bits = (color.bits_per_pixel() / channels.max(1) as u16) as u8;
    let mut color_type = format!("{color:?}").to_lowercase();
    let (density, jpeg_frame, jpeg_quality) = if format == "jpeg" {
        let h = crate::jpeg::headers(bytes);
        // The decoder hands CMYK over as RGB: the frame header tells.
        if let Some(f) = h.frame.filter(|f| f.components == 4) {
            channels = f.components;
            color_type = "cmyk8".into();
        }
        (
            crate::jpeg::density(&h),
            h.frame,
            crate::jpeg::estimate_quality(&h.tables),
        )
    } else {
        (crate::jpeg::png_density(bytes), None, None)
    };
    let rgb = img.to_rgb8();
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

fn map_image_error(e: image::ImageError) -> Error {
    match e {
        image::ImageError::Limits(l) => Error::TooLarge(l.to_string()),
        image::ImageError::Unsupported(u) => Error::UnsupportedFormat(format!(": {u}")),
        other => Error::Decode(other.to_string()),
    }
}

//! Measurements: plain numbers with units, before any judging. One file per
//! concern: framing, background, clothing.

use serde::{Deserialize, Serialize};

mod background;
mod clothing;
mod eyes;
mod face_frame;
mod features;
mod forehead;
mod framing;
mod glare;
mod glasses;
mod grid;
mod headwear;
mod light;

pub use background::{background, BackgroundMeasure, Gradient, Shadow};
pub use clothing::{clothing, in_class, ClothingColour, ClothingMeasure, ClothingSkin};
#[cfg(feature = "internals")]
pub use clothing::{clothing_region, ClothingRegion};
pub use eyes::EyesOpen;
pub use features::{features, FaceFeatures};
pub use forehead::Forehead;
pub use framing::{framing, Framing};
pub use glare::{Glare, GlarePlace};
pub use glasses::Glasses;
pub use grid::Grid;
pub use headwear::Headwear;
pub use light::{exposure_from_backdrop, light, LightMeasure};

/// A length or position in original-image pixels and in the profile's reference frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Px {
    /// In pixels of the photo as given.
    pub px: f64,
    /// Scaled to the profile's reference frame (e.g. 480x640).
    pub reference: f64,
}

/// All measurements of a photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurements {
    /// Number of faces found.
    pub face_count: usize,
    /// Framing of the main face, when exactly one face was found.
    pub framing: Option<Framing>,
    /// The background around the person, when exactly one face was found.
    pub background: Option<BackgroundMeasure>,
    /// The clothing below the chin, when exactly one face was found.
    pub clothing: Option<ClothingMeasure>,
    /// Exposure, light balance, sharpness and glare, when exactly one face was found.
    pub light: Option<LightMeasure>,
    /// The eyes and the mouth, read on the face mesh when exactly one face
    /// was found, wide enough, and the profile has face rules.
    #[serde(default)]
    pub face: Option<FaceFeatures>,
}

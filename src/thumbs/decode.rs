//! Bytes → bounded RGBA → thumbnail pixels.
//!
//! Decoding is where untrusted bytes meet memory: a 40-byte PNG can declare a
//! 100 000 × 100 000 canvas. So every decode runs under [`image::Limits`] built from
//! [`DecodeLimits`], which the decoders check against the header before allocating.
//! Only the formats Folio builds `image` with are accepted (JPEG, PNG, GIF — first
//! frame — and WebP); anything else is [`DecodeError::NotAnImage`].
//!
//! Downscaling uses `fast_image_resize` (SIMD convolution, alpha-aware) rather than
//! `image`'s resize: it is several times faster, and thumbnail time is what the user
//! waits for when scrolling an uncached archive.

use std::io::Cursor;

use fast_image_resize as fir;
use image::{ImageFormat, ImageReader, RgbaImage};

use super::ThumbSize;

/// Bounds on what a single image may cost to decode.
#[derive(Clone, Copy, Debug)]
pub struct DecodeLimits {
    /// Widest image accepted, in pixels.
    pub max_width_px: u32,
    /// Tallest image accepted, in pixels.
    pub max_height_px: u32,
    /// Most memory the decoder may allocate for one image.
    pub max_alloc_bytes: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_width_px: 16_384,
            max_height_px: 16_384,
            max_alloc_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Why bytes did not become a thumbnail.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// Not one of the image formats Folio reads (or not an image at all).
    #[error("not a supported image (JPEG, PNG, GIF, WebP)")]
    NotAnImage,
    /// The image declares a size beyond [`DecodeLimits`].
    #[error("image too large to decode: {0}")]
    TooLarge(String),
    /// The image is damaged.
    #[error("damaged image: {0}")]
    Corrupt(String),
    /// The image has no pixels.
    #[error("empty image")]
    Empty,
    /// Downscaling failed (should not happen for valid sizes).
    #[error("resize failed: {0}")]
    Resize(String),
}

/// Decodes `bytes` to RGBA8 under `limits`. GIFs give their first frame.
pub fn decode_rgba(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbaImage, DecodeError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| DecodeError::Corrupt(err.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP) => {}
        _ => return Err(DecodeError::NotAnImage),
    }
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(limits.max_width_px);
    image_limits.max_image_height = Some(limits.max_height_px);
    image_limits.max_alloc = Some(limits.max_alloc_bytes);
    reader.limits(image_limits);
    let decoded = reader.decode().map_err(|err| match err {
        image::ImageError::Limits(limits_err) => DecodeError::TooLarge(limits_err.to_string()),
        image::ImageError::Unsupported(_) => DecodeError::NotAnImage,
        other => DecodeError::Corrupt(other.to_string()),
    })?;
    // The RGBA copy is one more allocation the limits did not see; check it too.
    let rgba_bytes = u64::from(decoded.width()) * u64::from(decoded.height()) * 4;
    if rgba_bytes > limits.max_alloc_bytes {
        return Err(DecodeError::TooLarge(format!(
            "{}×{} pixels",
            decoded.width(),
            decoded.height()
        )));
    }
    let rgba = decoded.into_rgba8();
    if rgba.width() == 0 || rgba.height() == 0 {
        return Err(DecodeError::Empty);
    }
    Ok(rgba)
}

/// The pixel size a `(width, height)` image gets at `size`: exactly the box for list
/// sizes (cropped to fill), the image scaled down to fit for the header (never up).
pub fn target_dimensions(width: u32, height: u32, size: ThumbSize) -> (u32, u32) {
    let (box_w, box_h) = size.box_px();
    if size.fills_box() {
        return (box_w, box_h);
    }
    if width <= box_w && height <= box_h {
        return (width.max(1), height.max(1));
    }
    let scale = f64::min(
        f64::from(box_w) / f64::from(width),
        f64::from(box_h) / f64::from(height),
    );
    let w = (f64::from(width) * scale)
        .round()
        .clamp(1.0, f64::from(box_w)) as u32;
    let h = (f64::from(height) * scale)
        .round()
        .clamp(1.0, f64::from(box_h)) as u32;
    (w, h)
}

/// Reusable downscaler; keep one per worker thread (it owns scratch buffers).
#[derive(Default)]
pub struct Downscaler {
    resizer: fir::Resizer,
}

impl std::fmt::Debug for Downscaler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Downscaler").finish_non_exhaustive()
    }
}

impl Downscaler {
    /// A downscaler with empty scratch buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Scales `image` to `size`, returning `(rgba, width, height)`.
    pub fn thumbnail(
        &mut self,
        image: &RgbaImage,
        size: ThumbSize,
    ) -> Result<(Vec<u8>, u32, u32), DecodeError> {
        let (src_w, src_h) = image.dimensions();
        let (dst_w, dst_h) = target_dimensions(src_w, src_h, size);
        if (dst_w, dst_h) == (src_w, src_h) {
            return Ok((image.as_raw().clone(), src_w, src_h));
        }
        let src = fir::images::ImageRef::new(src_w, src_h, image.as_raw(), fir::PixelType::U8x4)
            .map_err(|err| DecodeError::Resize(err.to_string()))?;
        let mut dst = fir::images::Image::new(dst_w, dst_h, fir::PixelType::U8x4);
        let mut options = fir::ResizeOptions::new()
            .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::CatmullRom));
        if size.fills_box() {
            options = options.fit_into_destination(Some((0.5, 0.5)));
        }
        self.resizer
            .resize(&src, &mut dst, &options)
            .map_err(|err| DecodeError::Resize(err.to_string()))?;
        Ok((dst.into_vec(), dst_w, dst_h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_bytes(width: u32, height: u32) -> Vec<u8> {
        let image = RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, 255])
        });
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn header_fits_without_upscaling() {
        assert_eq!(target_dimensions(1600, 1200, ThumbSize::Header), (960, 720));
        assert_eq!(
            target_dimensions(4000, 1000, ThumbSize::Header),
            (1280, 320)
        );
        assert_eq!(target_dimensions(300, 200, ThumbSize::Header), (300, 200));
        assert_eq!(target_dimensions(100_000, 1, ThumbSize::Header), (1280, 1));
    }

    #[test]
    fn list_sizes_fill_their_box() {
        assert_eq!(target_dimensions(1600, 1200, ThumbSize::List), (96, 72));
        assert_eq!(target_dimensions(10, 1000, ThumbSize::List2x), (192, 144));
    }

    #[test]
    fn decodes_and_downscales_a_png() {
        let rgba = decode_rgba(&png_bytes(400, 300), &DecodeLimits::default()).unwrap();
        assert_eq!(rgba.dimensions(), (400, 300));
        let mut scaler = Downscaler::new();
        for size in ThumbSize::ALL {
            let (pixels, w, h) = scaler.thumbnail(&rgba, size).unwrap();
            assert_eq!(pixels.len(), (w * h * 4) as usize);
        }
        let (_, w, h) = scaler.thumbnail(&rgba, ThumbSize::Header).unwrap();
        assert_eq!((w, h), (400, 300));
    }

    #[test]
    fn rejects_non_images_and_damage() {
        let limits = DecodeLimits::default();
        assert_eq!(
            decode_rgba(b"<html>not found</html>", &limits),
            Err(DecodeError::NotAnImage)
        );
        assert_eq!(decode_rgba(b"", &limits), Err(DecodeError::NotAnImage));
        let mut truncated = png_bytes(64, 64);
        truncated.truncate(60);
        assert!(decode_rgba(&truncated, &limits).is_err());
    }

    #[test]
    fn respects_dimension_limits() {
        let limits = DecodeLimits {
            max_width_px: 100,
            max_height_px: 100,
            max_alloc_bytes: 1 << 30,
        };
        assert!(matches!(
            decode_rgba(&png_bytes(200, 50), &limits),
            Err(DecodeError::TooLarge(_))
        ));
    }
}

//! Pictures for `img2ascii`: decoding PNG, JPEG and GIF under hard limits, scaling to the
//! terminal, and our own built-in picture.
//!
//! Everything here treats the bytes as hostile: the file size is capped before decoding, the
//! image's dimensions are checked against a pixel limit before any pixel buffer exists (so a
//! decompression bomb, a tiny file claiming a huge canvas, is refused at its header), the
//! decoder gets an allocation limit as well, an animation keeps at most [`MAX_FRAMES`] frames,
//! the total work (every frame is drawn on the whole canvas: frames x canvas pixels) is at most
//! [`MAX_WORK`], counted from the frames' headers before any pixel is decoded ([`check`]: a
//! 7 KB GIF of a 5000x6000 canvas and 300 one-pixel frames cost a minute of CPU), and every
//! frame is shrunk at once to at most [`KEEP_SIDE`] pixels a side
//! ([`KEEP_SIDE_ANIMATED`] for animations; a terminal never shows more), so memory stays small
//! whatever the file says.

use std::io::Cursor;
use std::time::Duration;

use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat, RgbaImage};

/// Largest file read (also the download cap for URLs, through `net`'s own smaller limit).
pub(crate) const MAX_FILE: u64 = 32 << 20;
/// Largest image decoded, in pixels (width x height).
pub(crate) const MAX_PIXELS: u64 = 30_000_000;
/// Largest side accepted, in pixels.
pub(crate) const MAX_SIDE: u32 = 20_000;
/// Most memory a decoder may allocate.
pub(crate) const MAX_ALLOC: u64 = 256 << 20;
/// Most frames kept from an animation.
pub(crate) const MAX_FRAMES: usize = 300;
/// Most pixels decoded for one picture, in all: frames (up to [`MAX_FRAMES`]) x canvas pixels.
pub(crate) const MAX_WORK: u64 = 300_000_000;
/// Frames are shrunk to at most this many pixels a side as soon as they are decoded.
pub(crate) const KEEP_SIDE: u32 = 400;
/// The same for the frames of an animation (300 frames of 240x240 RGB are 52 MB).
pub(crate) const KEEP_SIDE_ANIMATED: u32 = 240;

/// One frame: RGB pixels, row-major, and how long it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Frame {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) pixels: Vec<[u8; 3]>,
    pub(crate) delay: Duration,
}

/// A decoded picture (one frame, or the frames of an animation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Picture {
    pub(crate) frames: Vec<Frame>,
}

/// Why a picture could not be shown; the text is one calm line for the screen or stderr.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PictureError {
    #[error("not a PNG, JPEG or GIF picture")]
    Unknown,
    #[error("{width}x{height} pixels is larger than the {max} megapixel limit")]
    TooLarge { width: u32, height: u32, max: u64 },
    #[error("larger than the limits ({MAX_SIDE} pixels a side, {MAX_PIXELS} pixels, {} MiB of memory)", MAX_ALLOC >> 20)]
    OverLimits,
    #[error(
        "{frames} frames of {width}x{height} pixels: more than the {} megapixels decoded in all \
         (frames x canvas)",
        MAX_WORK / 1_000_000
    )]
    TooMuchWork { frames: u64, width: u32, height: u32 },
    #[error("cannot decode it ({0})")]
    Decode(String),
    #[error("it has no frames")]
    Empty,
}

fn decode_error(e: &image::ImageError) -> PictureError {
    match e {
        image::ImageError::Limits(_) => PictureError::OverLimits,
        other => {
            // Decoder messages can quote bytes of the file: keep them to one clean line.
            let text = crate::sanitize::sanitize_line(other.to_string().as_bytes());
            PictureError::Decode(text.chars().take(120).collect())
        }
    }
}

fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

fn check_size(width: u32, height: u32) -> Result<(), PictureError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE {
        return Err(PictureError::TooLarge { width, height, max: MAX_PIXELS / 1_000_000 });
    }
    if pixels == 0 {
        return Err(PictureError::Empty);
    }
    Ok(())
}

/// Shrinks an RGBA image to at most `side` pixels a side and drops alpha (over black).
fn keep(image: &RgbaImage, delay: Duration, side: u32) -> Frame {
    let (w, h) = image.dimensions();
    let scale = (f64::from(side) / f64::from(w.max(h))).min(1.0);
    let (nw, nh) = (((f64::from(w) * scale) as u32).max(1), ((f64::from(h) * scale) as u32).max(1));
    let small = if (nw, nh) == (w, h) {
        image.clone()
    } else {
        image::imageops::resize(image, nw, nh, image::imageops::FilterType::Triangle)
    };
    let pixels = small
        .pixels()
        .map(|p| {
            let a = u16::from(p[3]);
            let over = |c: u8| (u16::from(c) * a / 255) as u8;
            [over(p[0]), over(p[1]), over(p[2])]
        })
        .collect();
    Frame { width: nw, height: nh, pixels, delay }
}

/// Checks what decoding `bytes` would cost, from the headers only (fast: no pixel is decoded):
/// a known format, a canvas within [`MAX_PIXELS`] and [`MAX_SIDE`], and for an animation the
/// frames that would be decoded times the canvas within [`MAX_WORK`].
///
/// # Errors
/// A [`PictureError`]: not an image, too large, too much work, or a broken header.
pub(crate) fn check(bytes: &[u8]) -> Result<(), PictureError> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PictureError::Decode(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Gif) => check_gif(bytes),
        Some(ImageFormat::Png | ImageFormat::Jpeg) => {
            let mut reader = reader;
            reader.limits(limits());
            let (w, h) = reader.into_dimensions().map_err(|e| decode_error(&e))?;
            check_size(w, h)
        }
        _ => Err(PictureError::Unknown),
    }
}

/// The canvas, then the frames counted from their headers (their pixels are skipped, not
/// decoded: linear in the file's size), up to the [`MAX_FRAMES`] that would be decoded.
fn check_gif(bytes: &[u8]) -> Result<(), PictureError> {
    let mut options = gif::DecodeOptions::new();
    options.skip_frame_decoding(true);
    let mut decoder = options.read_info(Cursor::new(bytes)).map_err(|e| gif_error(&e))?;
    let (width, height) = (u32::from(decoder.width()), u32::from(decoder.height()));
    check_size(width, height)?;
    let canvas = u64::from(width) * u64::from(height);
    let mut frames = 0u64;
    while frames < MAX_FRAMES as u64 {
        match decoder.next_frame_info() {
            Ok(Some(_)) => frames += 1,
            Ok(None) => break,
            // As in decoding: a broken frame ends the animation, unless it is the first.
            Err(e) if frames == 0 => return Err(gif_error(&e)),
            Err(_) => break,
        }
    }
    if frames.saturating_mul(canvas) > MAX_WORK {
        return Err(PictureError::TooMuchWork { frames, width, height });
    }
    Ok(())
}

fn gif_error(e: &gif::DecodingError) -> PictureError {
    let text = crate::sanitize::sanitize_line(e.to_string().as_bytes());
    PictureError::Decode(text.chars().take(120).collect())
}

/// Decodes PNG, JPEG or GIF bytes (the format is recognised from the content, not the name),
/// after [`check`].
///
/// # Errors
/// A [`PictureError`]: not an image, too large, too much work, or broken.
pub(crate) fn decode(bytes: &[u8]) -> Result<Picture, PictureError> {
    check(bytes)?;
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PictureError::Decode(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Gif) => decode_gif(bytes),
        Some(ImageFormat::Png | ImageFormat::Jpeg) => {
            let mut reader = reader;
            reader.limits(limits());
            let decoder = reader.into_decoder().map_err(|e| decode_error(&e))?;
            let (w, h) = decoder.dimensions();
            check_size(w, h)?;
            let image = DynamicImage::from_decoder(decoder).map_err(|e| decode_error(&e))?;
            Ok(Picture { frames: vec![keep(&image.to_rgba8(), Duration::ZERO, KEEP_SIDE)] })
        }
        _ => Err(PictureError::Unknown),
    }
}

fn decode_gif(bytes: &[u8]) -> Result<Picture, PictureError> {
    let mut decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
        .map_err(|e| decode_error(&e))?;
    let (w, h) = decoder.dimensions();
    check_size(w, h)?;
    decoder.set_limits(limits()).map_err(|e| decode_error(&e))?;
    let mut frames = Vec::new();
    for frame in decoder.into_frames().take(MAX_FRAMES) {
        match frame {
            Ok(frame) => {
                let (num, den) = frame.delay().numer_denom_ms();
                let ms = u64::from(num) / u64::from(den.max(1));
                // Browsers show a 0 or 10 ms delay as 100 ms; so do we.
                let ms = if ms <= 10 { 100 } else { ms.min(10_000) };
                frames.push(keep(frame.buffer(), Duration::from_millis(ms), KEEP_SIDE_ANIMATED));
            }
            // A broken frame ends the animation; what came before still plays.
            Err(e) if frames.is_empty() => return Err(decode_error(&e)),
            Err(_) => break,
        }
    }
    if frames.is_empty() {
        return Err(PictureError::Empty);
    }
    Ok(Picture { frames })
}

/// Our own picture, shown when no path is given: a sunset over the sea behind hills, painted
/// from a few formulas.
#[must_use]
pub(crate) fn builtin() -> Picture {
    let (w, h) = (192u32, 108u32);
    let horizon = 66.0;
    let (sun_x, sun_y, sun_r) = (120.0, 60.0, 13.0);
    let mut pixels = Vec::with_capacity((w * h) as usize);
    let lerp = |a: [f32; 3], b: [f32; 3], t: f32| {
        let t = t.clamp(0.0, 1.0);
        [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
    };
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32, y as f32);
            let hills = horizon - 6.0 - 7.0 * (fx * 0.045).sin() - 4.0 * (fx * 0.11 + 1.3).sin();
            let near_sun = ((fx - sun_x).powi(2) + ((fy - sun_y) * 1.0).powi(2)).sqrt();
            let c = if fy < horizon {
                let sky = lerp([20.0, 24.0, 70.0], [250.0, 140.0, 60.0], fy / horizon);
                let glow = (1.0 - near_sun / 70.0).max(0.0);
                let sky = lerp(sky, [255.0, 200.0, 120.0], glow * 0.6);
                if near_sun < sun_r {
                    [255.0, 236.0, 170.0]
                } else if fy > hills && !(70.0..=160.0).contains(&fx) {
                    lerp([60.0, 30.0, 70.0], [35.0, 20.0, 50.0], (fy - hills) / 12.0)
                } else {
                    sky
                }
            } else {
                let depth = (fy - horizon) / (h as f32 - horizon);
                let sea = lerp([70.0, 60.0, 110.0], [10.0, 30.0, 70.0], depth);
                // The sun's path on the water: broken horizontal streaks.
                let streak = ((fy * 1.7).sin() * (fx * 0.3 + fy).cos()).abs();
                let width = 10.0 + depth * 18.0;
                if (fx - sun_x).abs() < width && streak > 0.45 {
                    lerp(sea, [255.0, 190.0, 110.0], 1.0 - (fx - sun_x).abs() / width)
                } else {
                    sea
                }
            };
            pixels.push([c[0] as u8, c[1] as u8, c[2] as u8]);
        }
    }
    Picture { frames: vec![Frame { width: w, height: h, pixels, delay: Duration::ZERO }] }
}

/// The average colour of the source rectangle `x0..x1`, `y0..y1` (fractional pixels), with at
/// most 4x4 samples.
fn sample(frame: &Frame, x0: f32, x1: f32, y0: f32, y1: f32) -> [u8; 3] {
    let mut sum = [0u32; 3];
    let mut n = 0u32;
    for sy in 0..4 {
        for sx in 0..4 {
            let x = (x0 + (x1 - x0) * (sx as f32 + 0.5) / 4.0) as u32;
            let y = (y0 + (y1 - y0) * (sy as f32 + 0.5) / 4.0) as u32;
            let p = frame.pixels[(y.min(frame.height - 1) * frame.width + x.min(frame.width - 1)) as usize];
            for c in 0..3 {
                sum[c] += u32::from(p[c]);
            }
            n += 1;
        }
    }
    [(sum[0] / n) as u8, (sum[1] / n) as u8, (sum[2] / n) as u8]
}

/// The frame scaled to fit `cols x rows` display pixels, where a display pixel is `aspect`
/// times as tall as wide (2 for a character cell, 1 for a half block): the aspect ratio is
/// kept, and the result is `(width, height, pixels)`.
#[must_use]
pub(crate) fn fit(frame: &Frame, cols: u16, rows: u16, aspect: f32) -> (usize, usize, Vec<[u8; 3]>) {
    let (iw, ih) = (frame.width as f32, frame.height as f32);
    let scale = (f32::from(cols) / iw).min(f32::from(rows) * aspect / ih);
    let w = ((iw * scale).round() as usize).clamp(1, usize::from(cols.max(1)));
    let h = ((ih * scale / aspect).round() as usize).clamp(1, usize::from(rows.max(1)));
    let (sx, sy) = (iw / w as f32, ih / h as f32);
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let (x0, y0) = (x as f32 * sx, y as f32 * sy);
            out.push(sample(frame, x0, x0 + sx, y0, y0 + sy));
        }
    }
    (w, h, out)
}

/// Perceived brightness, 0..1 (Rec. 709 weights).
#[must_use]
pub(crate) fn brightness([r, g, b]: [u8; 3]) -> f32 {
    (0.2126 * f32::from(r) + 0.7152 * f32::from(g) + 0.0722 * f32::from(b)) / 255.0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn png(width: u32, height: u32, fill: [u8; 3]) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb(fill));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).expect("encode");
        out.into_inner()
    }

    #[test]
    fn decodes_a_png_and_keeps_its_colour() {
        let picture = decode(&png(10, 6, [200, 10, 30])).expect("decodes");
        let frame = &picture.frames[0];
        assert_eq!((frame.width, frame.height), (10, 6));
        assert!(frame.pixels.iter().all(|&p| p == [200, 10, 30]));
    }

    #[test]
    fn large_pictures_are_shrunk_at_once() {
        let picture = decode(&png(1600, 800, [1, 2, 3])).expect("decodes");
        let frame = &picture.frames[0];
        assert_eq!((frame.width, frame.height), (KEEP_SIDE, KEEP_SIDE / 2));
    }

    #[test]
    fn not_an_image_and_truncated() {
        assert!(matches!(decode(b"hello, I am text"), Err(PictureError::Unknown)));
        let bytes = png(40, 40, [9, 9, 9]);
        let err = decode(&bytes[..bytes.len() / 2]).expect_err("truncated");
        assert!(matches!(err, PictureError::Decode(_)), "{err}");
    }

    /// CRC-32 (IEEE), for forging PNG chunks in tests.
    pub(crate) fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// A valid PNG whose header claims `width x height` (with a correct CRC), pixels of 1x1.
    pub(crate) fn lying_png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = png(1, 1, [0, 0, 0]);
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    #[test]
    fn a_huge_canvas_is_refused_from_its_header() {
        // A valid PNG header claiming 30000x30000 pixels, and nothing behind it.
        let bytes = lying_png(30_000, 30_000);
        let err = decode(&bytes).expect_err("too big");
        assert!(err.to_string().contains("limit"), "{err}");
        // Within the side limit but over the pixel limit: refused before any pixel exists.
        let err = decode(&lying_png(10_000, 9_000)).expect_err("too many pixels");
        assert!(err.to_string().contains("megapixel"), "{err}");
    }

    /// A GIF of a `width x height` canvas and `frames` frames of one pixel each, written by
    /// hand: 7 KB for 300 frames, whatever the canvas.
    pub(crate) fn pixel_frames_gif(width: u16, height: u16, frames: u32) -> Vec<u8> {
        let mut out = b"GIF89a".to_vec();
        out.extend_from_slice(&width.to_le_bytes());
        out.extend_from_slice(&height.to_le_bytes());
        // A global table of 2 colours, black and white.
        out.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
        for i in 0..frames {
            let (x, y) = ((i % u32::from(width)) as u16, 0u16);
            out.push(0x2c);
            for v in [x, y, 1, 1] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            // No local table; LZW minimum code size 2; codes clear (4), 0, end (5) in 3 bits.
            out.extend_from_slice(&[0, 2, 2, 0x44, 0x01, 0]);
        }
        out.push(0x3b);
        out
    }

    #[test]
    fn the_total_work_of_an_animation_is_bounded_before_decoding() {
        // The bomb: 300 one-pixel frames on a 5000x6000 canvas, 7 KB.
        let bomb = pixel_frames_gif(5000, 6000, 300);
        assert!(bomb.len() < 8_000, "{}", bomb.len());
        let err = check(&bomb).expect_err("too much work");
        assert!(matches!(err, PictureError::TooMuchWork { frames: 300, width: 5000, height: 6000 }));
        let text = err.to_string();
        assert!(text.contains("300 megapixels") && text.contains("frames x canvas"), "{text}");
        assert!(matches!(decode(&bomb), Err(PictureError::TooMuchWork { .. })));
        // Exactly at the bound (10 frames of 30 megapixels) passes the check; one more frame
        // does not. Each frame alone was always within the per-picture limit.
        assert!(check(&pixel_frames_gif(5000, 6000, 10)).is_ok());
        assert!(check(&pixel_frames_gif(5000, 6000, 11)).is_err());
        // Frames past the MAX_FRAMES that are played cost nothing and are not counted.
        assert!(check(&pixel_frames_gif(100, 100, 5000)).is_ok());
    }

    #[test]
    fn a_small_animation_decodes_all_its_frames() {
        let picture = decode(&pixel_frames_gif(30, 20, 12)).expect("decodes");
        assert_eq!(picture.frames.len(), 12);
        assert_eq!((picture.frames[0].width, picture.frames[0].height), (30, 20));
    }

    #[test]
    fn fitting_keeps_the_aspect_ratio() {
        let frame = Frame { width: 200, height: 100, pixels: vec![[0; 3]; 20_000], delay: Duration::ZERO };
        // Half blocks: square pixels, 80 wide and 48 tall available: 80x40.
        let (w, h, _) = fit(&frame, 80, 48, 1.0);
        assert_eq!((w, h), (80, 40));
        // Characters: twice as tall as wide, 80x24 cells: 80 wide, 20 rows.
        let (w, h, _) = fit(&frame, 80, 24, 2.0);
        assert_eq!((w, h), (80, 20));
        // A tall picture is limited by the height.
        let tall = Frame { width: 100, height: 400, pixels: vec![[0; 3]; 40_000], delay: Duration::ZERO };
        let (w, h, _) = fit(&tall, 80, 24, 2.0);
        assert_eq!((w, h), (12, 24));
    }

    #[test]
    fn the_builtin_picture_has_a_bright_sun_and_a_dark_sea() {
        let picture = builtin();
        let f = &picture.frames[0];
        let at = |x: u32, y: u32| f.pixels[(y * f.width + x) as usize];
        assert!(brightness(at(120, 60)) > 0.85);
        assert!(brightness(at(20, 105)) < 0.2);
    }
}

//! Hostile inputs for the screens collection: broken, lying and oversized pictures for
//! `img2ascii`, special files, hostile file names, and out-of-range options of every new
//! screen. Each run is under the suite's memory and time limits.

use std::io::Cursor;
use std::path::Path;

use super::*;

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).expect("encode png");
    out.into_inner()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG whose (checksummed) header claims a canvas far larger than its data.
fn lying_png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(1, 1);
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// An animated GIF of `frames` frames of `side x side` pixels.
fn gif(frames: u32, side: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        encoder.set_repeat(image::codecs::gif::Repeat::Infinite).expect("repeat");
        let frames = (0..frames).map(|i| {
            let shade = if i % 2 == 0 { 0 } else { 255 };
            let buffer =
                image::RgbaImage::from_pixel(side, side, image::Rgba([shade, shade, shade, 255]));
            let delay = image::Delay::from_numer_denom_ms(20, 1);
            image::Frame::from_parts(buffer, 0, 0, delay)
        });
        encoder.encode_frames(frames).expect("encode gif");
    }
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path.to_string_lossy().into_owned()
}

fn img2ascii(path: &str) -> Output {
    limited(&["saver", "img2ascii", "-p", path, "--headless", "--size", "60x20", "--frames", "5"])
        .output()
        .expect("runs")
}

#[test]
fn broken_pictures_get_one_calm_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = png(64, 48);
    let mut jpeg = Cursor::new(Vec::new());
    image::RgbImage::from_pixel(64, 48, image::Rgb([9, 99, 199]))
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("encode jpeg");
    let jpeg = jpeg.into_inner();
    let cases: Vec<(String, &str)> = vec![
        (write(dir.path(), "truncated.png", &good[..good.len() / 3]), "truncated.png"),
        (write(dir.path(), "truncated.jpg", &jpeg[..jpeg.len() / 2]), "truncated.jpg"),
        (write(dir.path(), "text.png", b"just some text, not a picture\n"), "not a PNG"),
        (write(dir.path(), "empty.gif", b""), "empty.gif"),
        (write(dir.path(), "header-only.gif", b"GIF89a"), "header-only.gif"),
        (write(dir.path(), "huge.png", &lying_png(30_000, 30_000)), "limit"),
        (write(dir.path(), "bomb.png", &lying_png(20_000, 20_000)), "limit"),
    ];
    for (path, names) in cases {
        let out = img2ascii(&path);
        assert_calm_failure(&out, 1, names);
    }
}

#[test]
fn a_gif_claiming_a_huge_canvas_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = gif(1, 2);
    // The logical screen (bytes 6..10, little-endian) claims 65535x65535.
    bytes[6..10].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    let out = img2ascii(&write(dir.path(), "wide.gif", &bytes));
    assert_calm_failure(&out, 1, "limit");
}

#[test]
fn real_decompression_bomb_within_limits_is_shrunk() {
    // 3000x3000 pixels of one colour: a few kilobytes of PNG, 36 MB decoded; shown, not a crash.
    let dir = tempfile::tempdir().expect("tempdir");
    let image = image::RgbImage::from_pixel(3000, 3000, image::Rgb([200, 50, 50]));
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).expect("encode");
    let bytes = bytes.into_inner();
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    let out = img2ascii(&write(dir.path(), "bomb.png", &bytes));
    assert_no_crash(&out);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn endless_animations_are_capped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = img2ascii(&write(dir.path(), "many.gif", &gif(3000, 4)));
    assert_no_crash(&out);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn special_and_oversized_files_are_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = img2ascii("/dev/zero");
    assert_calm_failure(&out, 1, "/dev/zero");
    let fifo = dir.path().join("pipe.png");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let out = img2ascii(&fifo.to_string_lossy());
    assert_calm_failure(&out, 1, "FIFO");
    let big = dir.path().join("big.png");
    std::fs::File::create(&big).and_then(|f| f.set_len(33 << 20)).expect("sparse file");
    let out = img2ascii(&big.to_string_lossy());
    assert_calm_failure(&out, 1, "32 MiB");
    let out = img2ascii(&dir.path().join("missing.png").to_string_lossy());
    assert_calm_failure(&out, 1, "missing.png");
}

#[test]
fn folders_skip_what_they_cannot_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a-broken.png", b"\x89PNG\r\n\x1a\nbroken");
    write(dir.path(), "b-good.png", &png(30, 20));
    write(dir.path(), "notes.txt", b"ignored: not a picture name");
    let out = img2ascii(&dir.path().to_string_lossy());
    assert_no_crash(&out);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let junk = tempfile::tempdir().expect("tempdir");
    write(junk.path(), "x.png", b"nope");
    write(junk.path(), "y.gif", b"GIF87a nope");
    assert_calm_failure(&img2ascii(&junk.path().to_string_lossy()), 1, "y.gif");
    let empty = tempfile::tempdir().expect("tempdir");
    assert_calm_failure(&img2ascii(&empty.path().to_string_lossy()), 1, "no PNG, JPEG or GIF");
}

#[test]
fn hostile_file_names_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "evil\x1b]52;c;cHduZWQ=\x07\x1b[31m.png", b"not a picture");
    let out = img2ascii(&path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('\x1b') && !stderr.contains('\x07'), "{stderr:?}");
    assert_calm_failure(&out, 1, "evil");
}

#[test]
fn out_of_range_options_name_the_option() {
    let long = "x".repeat(400);
    for (args, option) in [
        (&["pipes", "-p", "1000"][..], "--pipes"),
        (&["pipes", "--rate", "1e9"], "--rate"),
        (&["fire", "-H", "NaN"], "--height"),
        (&["life", "-r", &long], "--rule"),
        (&["life", "-g", "1e30"], "--gps"),
        (&["starfield", "-n", "60000"], "--stars"),
        (&["plasma", "-l", "255"], "--levels"),
        (&["maze", "-p", "1e12"], "--pause"),
        (&["bonsai", "-m", &long], "--message"),
        (&["bonsai", "-c", &long], "--leaves"),
        (&["donut", "-s", "inf"], "--spin"),
        (&["snow", "-t", &long], "--text"),
        (&["aquarium", "-n", "255"], "--creatures"),
        (&["img2ascii", "--cps=-5"], "--cps"),
        (&["img2ascii", "-c", &long], "--chars"),
    ] {
        let mut full = vec!["saver"];
        full.extend(args);
        full.extend(["--headless", "--size", "40x12"]);
        let out = limited(&full).output().expect("runs");
        assert_no_crash(&out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(1 | 2)), "{args:?}: {stderr}");
        assert!(stderr.contains(option), "{args:?} should name {option}: {stderr}");
    }
}

#[test]
fn huge_sizes_stay_bounded() {
    // The largest headless size the engine accepts, for the screens with per-cell state.
    for screen in ["life", "fire", "plasma", "maze", "snow"] {
        let out = limited(&["saver", screen, "--headless", "--size", "1000x400", "--frames", "2"])
            .output()
            .expect("runs");
        assert_no_crash(&out);
    }
}

/// A GIF of a `width x height` canvas and `frames` frames of one pixel each, written by hand
/// (7 KB for 300 frames, whatever the canvas).
fn pixel_frames_gif(width: u16, height: u16, frames: u32) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&height.to_le_bytes());
    out.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
    for i in 0..frames {
        out.push(0x2c);
        for v in [(i % u32::from(width)) as u16, 0, 1, 1] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        // LZW minimum code size 2; clear (4), pixel 0, end (5) in 3-bit codes.
        out.extend_from_slice(&[0, 2, 2, 0x44, 0x01, 0]);
    }
    out.push(0x3b);
    out
}

#[test]
fn a_gif_work_bomb_is_refused_at_once_naming_the_file_and_the_bound() {
    // 300 one-pixel frames on a 5000x6000 canvas: each frame is within the limits, but every
    // frame is drawn on the whole canvas (62 s of CPU and 188 MB before the bound).
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = pixel_frames_gif(5000, 6000, 300);
    assert!(bytes.len() < 8_000);
    let out = img2ascii(&write(dir.path(), "bomb.gif", &bytes));
    assert_calm_failure(&out, 1, "bomb.gif");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("300 frames of 5000x6000"), "{stderr}");
    assert!(stderr.contains("300 megapixels decoded in all"), "{stderr}");
    // The bound is in the help.
    let help = limited(&["saver", "img2ascii", "--help"]).output().expect("runs");
    let help =
        String::from_utf8_lossy(&help.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("300 megapixels decoded in all, frames x canvas"), "{help}");
}

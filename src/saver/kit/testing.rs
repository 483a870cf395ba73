//! A headless harness for screen authors: run a screen for some frames with a fixed seed and
//! clock and look at the last frame, parse a screen's options, check that options are refused.
//! No terminal, no engine: what a screen's unit tests (and examples/hello_screen.rs) use.

use super::buffer::Buffer;
use super::color::Depth;

/// Test harness: builds a screen, runs `frames` updates of `dt` seconds with a fixed seed and
/// returns the last frame, drawn with the default theme (true colour).
pub fn run_frames(
    screen: &mut dyn super::screen::Screen,
    size: super::screen::Size,
    frames: u32,
    dt: f32,
    seed: u64,
) -> Buffer {
    run_frames_at(screen, size, (frames, dt, seed), Depth::TrueColor)
}

/// [`run_frames`] on a terminal of colour `depth`; `run` is (frames, dt, seed).
pub fn run_frames_at(
    screen: &mut dyn super::screen::Screen,
    size: super::screen::Size,
    (frames, dt, seed): (u32, f32, u64),
    depth: Depth,
) -> Buffer {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    screen.resize(size, &mut rng);
    let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 24)
        .and_then(|d| d.and_hms_opt(20, 0, 0))
        .unwrap_or_default();
    let mut elapsed = std::time::Duration::ZERO;
    for _ in 0..frames {
        let dt = std::time::Duration::from_secs_f32(dt);
        elapsed += dt;
        let mut ctx = super::screen::Ctx { rng: &mut rng, dt, elapsed, now, depth };
        screen.update(&mut ctx);
    }
    let mut buf = Buffer::new(size.width, size.height);
    screen.draw(
        &mut buf.canvas(),
        &super::screen::Theme { depth, ..super::screen::Theme::default() },
    );
    buf
}

/// Parses a screen's options in tests.
pub fn args<T: clap::Parser>(name: &str, args: &[&str]) -> T {
    let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    match super::screen::parse_args::<T>(name, &args) {
        Ok(parsed) => parsed,
        Err(e) => panic!("{name} {args:?}: {e}"),
    }
}

/// Whether a screen refuses `args`: while parsing (a value out of its range is a usage error)
/// or in `build`. For tests.
pub fn refused<T: clap::Parser, S>(
    name: &str,
    args: &[&str],
    build: fn(T) -> anyhow::Result<S>,
) -> bool {
    let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    super::screen::parse_args::<T>(name, &args).map_or(true, |parsed| build(parsed).is_err())
}

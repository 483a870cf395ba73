//! `starfield`: flying through a field of stars, with depth shading and slow steering.
//!
//! Every star is a point in a box in front of the viewer (x, y in -1..1, depth z in 0..1). The
//! viewer flies forwards at `--warp` speed, so z shrinks and the projected point (x/z, y/z)
//! moves out from the vanishing point, faster the nearer it is. Stars are drawn brighter and
//! bigger as they come near (`.` far away, then `·`, `+`, `*`), and the vanishing point wanders
//! slowly around the centre as if the ship were steering (`--steer 0` flies straight).
//! A star that passes the viewer or leaves the screen is born again far away.
//!
//! The sense of flight comes from three things: many stars (one per 18 cells), a brightness
//! that grows smoothly as a star comes near (far ones are barely there), and streaks: a star
//! that moves more than a cell or so per frame leaves a fading line back to where it was a
//! moment ago, drawn with the line character of its direction (`-`, `|`, `/`, `\`), so at
//! warp speed the stars stretch into the rays of a jump to light speed.

use clap::Parser;
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::paint;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::color::mix;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver starfield                  cruising through the stars
  fun saver starfield -w 4             warp speed
  fun saver starfield -n 600 -s 0      many stars, flying straight
  fun saver starfield --tint           stars in white, blue and yellow";

/// A 3D star field: depth shading, warp speed, steering.
#[derive(Debug, Parser)]
#[command(name = "fun saver starfield", after_help = EXAMPLES)]
pub(crate) struct StarfieldArgs {
    /// Flying speed (0.1-20).
    #[arg(short, long, default_value_t = 1.0, value_name = "SPEED", value_parser = values::within(0.1f32, 20.0))]
    pub(crate) warp: f32,

    /// Number of stars (10-5000; default: one per 18 cells).
    #[arg(short = 'n', long, value_name = "N", value_parser = values::within(10u16, 5000))]
    pub(crate) stars: Option<u16>,

    /// How much the ship steers (0 = straight ahead, 1 = wide turns).
    #[arg(short, long, default_value_t = 0.4, value_name = "0-1", value_parser = values::within(0.0f32, 1.0))]
    pub(crate) steer: f32,

    /// Stars of several colours (white, blue, yellow) instead of the theme's.
    #[arg(short, long)]
    pub(crate) tint: bool,
}

#[derive(Clone, Copy, Debug)]
struct Star {
    x: f32,
    y: f32,
    z: f32,
    tint: u8,
}

/// The starfield screen.
pub(crate) struct Starfield {
    args: StarfieldArgs,
    size: Size,
    stars: Vec<Star>,
    time: f32,
}

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers.
pub(crate) fn build(args: StarfieldArgs) -> anyhow::Result<Starfield> {
    Ok(Starfield {
        args,
        size: Size { width: 0, height: 0 },
        stars: Vec::new(),
        time: 0.0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("starfield", "flying through the stars, with warp and steering", build)
}

/// The nearest depth a star is drawn at before it is born again.
const NEAR: f32 = 0.03;

/// Depth flown per second at warp 1.
const CRUISE: f32 = 0.35;

/// How far back (in depth, per unit of warp) a streak reaches: the flight of about 1/15 s, so
/// at cruising speed only the nearest stars streak and at warp speed nearly all do.
const STREAK: f32 = 0.025;

impl Starfield {
    /// A star somewhere in the visible part of the field (the frustum), at a depth in `depths`.
    fn new_star(&self, rng: &mut StdRng, depths: std::ops::Range<f32>) -> Star {
        let z = rng.random_range(depths);
        // On screen when |x| < z and |y| < z * (2 h / w) (see `project`).
        let tall = (2.0 * f32::from(self.size.height) / f32::from(self.size.width).max(1.0)).min(1.0);
        Star {
            x: rng.random_range(-1.0..1.0) * z,
            y: rng.random_range(-1.0..1.0) * z * tall,
            z,
            tint: rng.random_range(0..3),
        }
    }

    /// The vanishing point, in cells.
    fn centre(&self) -> (f32, f32) {
        let (w, h) = (f32::from(self.size.width), f32::from(self.size.height));
        let s = self.args.steer;
        let t = self.time;
        let cx = w / 2.0 + s * w * 0.18 * (t * 0.11).sin() * (t * 0.037).cos();
        let cy = h / 2.0 + s * h * 0.18 * (t * 0.071 + 1.0).sin();
        (cx, cy)
    }

    /// Where a star lands on screen, in fractional cells, if it does.
    fn position(&self, star: &Star) -> Option<(f32, f32)> {
        let (cx, cy) = self.centre();
        // Cells are about twice as tall as wide: half the vertical scale keeps the field round.
        let scale = f32::from(self.size.width) * 0.5;
        let sx = cx + star.x / star.z * scale;
        let sy = cy + star.y / star.z * scale * 0.5;
        let inside = sx >= 0.0
            && sy >= 0.0
            && sx < f32::from(self.size.width)
            && sy < f32::from(self.size.height);
        inside.then_some((sx, sy))
    }

    /// Where a star lands on screen, if it does.
    fn project(&self, star: &Star) -> Option<(u16, u16)> {
        self.position(star).map(|(x, y)| (x as u16, y as u16))
    }

    fn star_count(&self) -> usize {
        let area = usize::from(self.size.width) * usize::from(self.size.height);
        self.args.stars.map_or((area / 18).clamp(10, 5000), usize::from)
    }

    fn glyph(&self, z: f32) -> (char, usize) {
        match z {
            z if z < 0.2 => ('*', 3),
            z if z < 0.4 => ('+', 2),
            z if z < 0.7 => ('·', 1),
            _ => ('.', 0),
        }
    }

    fn color(&self, star: &Star, theme: &Theme) -> Color {
        let base = if self.args.tint {
            [Color::Rgb(255, 255, 255), Color::Rgb(150, 190, 255), Color::Rgb(255, 225, 150)]
                [usize::from(star.tint)]
        } else {
            theme.accent
        };
        // Brightness grows as the star comes near: far stars barely show. Twelve steps look
        // smooth and keep a star's colour from changing on every frame (bytes on the wire).
        let near = (1.0 - star.z).clamp(0.0, 1.0);
        let near = (near * 12.0).round() / 12.0;
        mix(Color::Rgb(0, 0, 0), base, 0.15 + 0.85 * near * near.sqrt())
    }

    /// Where a star was a moment ago (the tail of its streak), on screen or not.
    fn tail(&self, star: &Star) -> Star {
        // The distance flown in about a tenth of a second: streaks grow with the warp.
        Star { z: star.z + self.args.warp * STREAK, ..*star }
    }

    /// The line character for a streak going (dx, dy) cells.
    fn streak_char(dx: f32, dy: f32) -> char {
        // Rows are about twice as tall as columns are wide.
        let (ax, ay) = (dx.abs(), 2.0 * dy.abs());
        if ay < ax * 0.4 {
            '-'
        } else if ax < ay * 0.4 {
            '|'
        } else if (dx > 0.0) == (dy > 0.0) {
            '\\'
        } else {
            '/'
        }
    }

    /// Draws the fading streak from where `star` was to where it is, if it moved far enough.
    fn draw_streak(&self, buf: &mut Canvas<'_>, star: &Star, head: (f32, f32), theme: &Theme) {
        let Some(tail) = self.position(&self.tail(star)) else { return };
        let (dx, dy) = (head.0 - tail.0, head.1 - tail.1);
        let len = dx.abs().max(dy.abs());
        if len < 2.0 {
            return;
        }
        let ch = Starfield::streak_char(dx, dy);
        let steps = len.min(60.0) as usize;
        for i in 0..steps {
            let f = i as f32 / steps as f32;
            let (x, y) = (tail.0 + dx * f, tail.1 + dy * f);
            let style = if paint::has_color(theme.depth) {
                // Faint at the tail, brighter towards the head (in three steps).
                let step = (f * 3.0).floor() / 3.0;
                Style::fg(mix(Color::Rgb(0, 0, 0), self.color(star, theme), 0.25 + 0.6 * step))
            } else {
                Style::default()
            };
            buf.put_char(x as u16, y as u16, ch, style);
        }
    }
}

impl Screen for Starfield {
    fn min_size(&self) -> Size {
        Size { width: 10, height: 5 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        let n = self.star_count();
        self.stars = (0..n).map(|_| self.new_star(rng, NEAR..1.0)).collect();
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let dt = ctx.dt.as_secs_f32().min(0.5);
        self.time += dt;
        let travel = self.args.warp * dt * CRUISE;
        for i in 0..self.stars.len() {
            let mut star = self.stars[i];
            star.z -= travel;
            if star.z < NEAR || self.project(&star).is_none() {
                star = self.new_star(ctx.rng, 0.85..1.0);
            }
            self.stars[i] = star;
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        // Far stars first, so a near star wins a shared cell.
        let mut order: Vec<&Star> = self.stars.iter().collect();
        order.sort_by(|a, b| b.z.total_cmp(&a.z));
        for star in order {
            let Some(head) = self.position(star) else { continue };
            self.draw_streak(buf, star, head, theme);
            let (x, y) = (head.0 as u16, head.1 as u16);
            let (ch, level) = self.glyph(star.z);
            let style = if paint::has_color(theme.depth) {
                Style::fg(self.color(star, theme))
            } else if level == 3 {
                Style::default().with_attrs(Attrs::BOLD)
            } else {
                Style::default()
            };
            buf.put_char(x, y, ch, style);
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        // 14 frames a second: smooth flight at 30% fewer bytes than 20.
        std::time::Duration::from_millis(70)
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::testing::{args, run_frames};

    fn field(list: &[&str], frames: u32) -> (Starfield, Buffer) {
        let mut s = build(args("starfield", list)).expect("valid");
        let buf = run_frames(&mut s, Size { width: 80, height: 24 }, frames, 0.05, 3);
        (s, buf)
    }

    #[test]
    fn stars_fly_outwards_and_grow_as_they_come_near() {
        let (mut s, _) = field(&["-s", "0"], 0);
        let (cx, cy) = s.centre();
        let before: Vec<Star> = s.stars.clone();
        let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(1);
        let now = chrono::NaiveDateTime::default();
        let dt = std::time::Duration::from_millis(50);
        let mut ctx = Ctx { rng: &mut rng, dt, elapsed: dt, now, depth: crate::saver::kit::color::Depth::TrueColor };
        s.update(&mut ctx);
        let mut outward = 0;
        for (a, b) in before.iter().zip(&s.stars) {
            if b.z < a.z && b.x == a.x {
                let r = |p: &Star| (p.x / p.z).hypot(p.y / p.z);
                assert!(r(b) >= r(a));
                outward += 1;
            }
        }
        assert!(outward > 40, "{outward}");
        assert!(s.glyph(0.1).1 > s.glyph(0.9).1);
        assert_eq!((cx, cy), (40.0, 12.0), "no steering: the centre stays put");
    }

    #[test]
    fn every_star_drawn_is_on_screen_with_a_depth_glyph() {
        let (s, buf) = field(&["-n", "300", "-w", "5"], 40);
        assert_eq!(s.stars.len(), 300);
        let text = buf.to_text();
        let drawn = text.chars().filter(|c| "*+·.".contains(*c)).count();
        assert!(drawn > 100, "{text}");
        assert!(text.chars().all(|c| " *+·.-|/\\\n".contains(c)), "{text}");
        assert!(text.contains('*') && text.contains('.'), "{text}");
    }

    #[test]
    fn many_stars_by_default_and_near_ones_are_brighter() {
        let (s, _) = field(&[], 1);
        assert_eq!(s.stars.len(), 80 * 24 / 18);
        let theme = crate::saver::kit::theme::default_theme();
        let star = |z| Star { x: 0.0, y: 0.0, z, tint: 0 };
        let luma = |c| crate::saver::kit::color::to_rgb(c).map_or(0, |(r, g, b)| r as u32 + g as u32 + b as u32);
        let (far, mid, near) = (star(0.95), star(0.5), star(0.1));
        assert!(luma(s.color(&far, &theme)) < luma(s.color(&mid, &theme)));
        assert!(luma(s.color(&mid, &theme)) < luma(s.color(&near, &theme)));
    }

    #[test]
    fn stars_streak_at_warp_speed_and_not_when_cruising_slowly() {
        let streaks = |text: &str| text.chars().filter(|c| "-|/\\".contains(*c)).count();
        let (_, fast) = field(&["-w", "8", "-s", "0"], 40);
        let (_, slow) = field(&["-w", "0.2", "-s", "0"], 40);
        let (fast, slow) = (streaks(&fast.to_text()), streaks(&slow.to_text()));
        assert!(fast > 100 && fast > 4 * slow, "fast {fast}, slow {slow}");
    }

    #[test]
    fn steering_moves_the_vanishing_point() {
        let (mut s, _) = field(&["-s", "1"], 0);
        let a = s.centre();
        s.time = 20.0;
        assert_ne!(a, s.centre());
    }

    #[test]
    fn bad_options() {
        for bad in [&["-w", "0"][..], &["-n", "5"], &["-s", "2"]] {
            assert!(crate::saver::kit::testing::refused("starfield", bad, build), "{bad:?}");
        }
    }
}

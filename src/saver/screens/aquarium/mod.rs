//! `aquarium`: a fish tank with a wavy surface, sand, swaying seaweed, rising bubbles and a
//! dozen creatures drawn here for fun (no art from asciiquarium or anywhere else).
//!
//! Every creature lives in one of three depths: far ones are dimmer and slower and are drawn
//! first, near ones are bright and fast and pass in front. Fish swim across and leave the
//! tank, and new ones come in to keep it lively; jellyfish pulse and drift up and down, the
//! crab walks along the sand, the seahorse bobs, a whale or a submarine passes now and then.
//! Art is drawn facing right and mirrored for the other way. Inside a creature, spaces hide
//! what is behind it; around it they are transparent.

mod creatures;

use clap::Parser;
use rand::Rng;
use rand::rngs::StdRng;

use self::creatures::{CATALOGUE, Motion, art_width, mirror_line};
use crate::saver::kit::paint;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::color::{self, mix};
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver aquarium                 a lively tank
  fun saver aquarium -n 30           a crowded tank
  fun saver aquarium --no-bubbles    quieter (and fewer bytes)";

/// An aquarium with fish, creatures, bubbles and seaweed at several depths.
#[derive(Debug, Parser)]
#[command(name = "fun saver aquarium", after_help = EXAMPLES)]
pub(crate) struct AquariumArgs {
    /// How many creatures at once (1-60; default: by the size of the tank).
    #[arg(short = 'n', long, value_name = "N", value_parser = values::within(1u8, 60))]
    pub(crate) creatures: Option<u8>,

    /// No bubbles.
    #[arg(long)]
    pub(crate) no_bubbles: bool,

    /// Only these creatures, comma-separated: tetra, stripey, puffer, angel, turtle, octopus,
    /// jellyfish, crab, seahorse, submarine, whale.
    #[arg(short, long, value_name = "NAMES")]
    pub(crate) only: Option<String>,
}

#[derive(Clone, Debug)]
struct Creature {
    kind: usize,
    x: f32,
    y: f32,
    /// 1 swims right, -1 left.
    dir: f32,
    speed: f32,
    /// 0 far, 1 middle, 2 near.
    layer: u8,
    color: Color,
    clock: f32,
    /// Home height for drifters (they bob around it).
    home: f32,
}

#[derive(Clone, Copy, Debug)]
struct Bubble {
    x: f32,
    y: f32,
}

/// The aquarium screen.
pub(crate) struct Aquarium {
    args: AquariumArgs,
    /// Indices into the catalogue of the creatures that may appear.
    allowed: Vec<usize>,
    size: Size,
    creatures: Vec<Creature>,
    bubbles: Vec<Bubble>,
    /// Seaweed: column, height and phase.
    weeds: Vec<(u16, u16, u8)>,
    time: f32,
}

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers.
pub(crate) fn build(args: AquariumArgs) -> anyhow::Result<Aquarium> {
    let allowed = match &args.only {
        None => (0..CATALOGUE.len()).collect(),
        Some(list) => {
            let mut allowed = Vec::new();
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let Some(i) = CATALOGUE.iter().position(|a| a.name == name) else {
                    let names: Vec<&str> = CATALOGUE.iter().map(|a| a.name).collect();
                    let name = crate::sanitize::sanitize_line(name.as_bytes());
                    return Err(values::usage_error(&format!(
                        "-o/--only: no creature {} (there are {})",
                        crate::sanitize::quoted(&name),
                        names.join(", ")
                    )));
                };
                allowed.push(i);
            }
            if allowed.is_empty() {
                return Err(values::usage_error("-o/--only: name at least one creature"));
            }
            allowed
        }
    };
    Ok(Aquarium {
        args,
        allowed,
        size: Size { width: 0, height: 0 },
        creatures: Vec::new(),
        bubbles: Vec::new(),
        weeds: Vec::new(),
        time: 0.0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("aquarium", "a fish tank with a dozen creatures, bubbles and weed", build)
}

/// The first row of water (below the surface waves).
const WATER_TOP: f32 = 2.0;

impl Aquarium {
    fn population(&self) -> usize {
        let area = usize::from(self.size.width) * usize::from(self.size.height);
        self.args.creatures.map_or((area / 220).clamp(3, 30), usize::from)
    }

    fn pick_kind(&self, rng: &mut StdRng) -> usize {
        let total: u32 = self.allowed.iter().map(|&i| CATALOGUE[i].weight).sum();
        let mut roll = rng.random_range(0..total.max(1));
        for &i in &self.allowed {
            let art = &CATALOGUE[i];
            // At most one of each big, rare creature at a time (unless it is all there is).
            let rare = art.weight == 1
                && self.allowed.len() > 1
                && self.creatures.iter().any(|c| c.kind == i);
            if roll < art.weight && !rare {
                return i;
            }
            roll = roll.saturating_sub(art.weight);
        }
        self.allowed[0]
    }

    /// A new creature; `anywhere` places it inside the tank (at the start), else at an edge.
    fn spawn(&self, rng: &mut StdRng, anywhere: bool) -> Creature {
        let kind = self.pick_kind(rng);
        let art = &CATALOGUE[kind];
        let (w, h) = (f32::from(self.size.width), f32::from(self.size.height));
        let (aw, ah) = (art_width(art.frames[0]) as f32, art.frames[0].len() as f32);
        let dir = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
        let x = if anywhere {
            rng.random_range(0.0..w.max(1.0))
        } else if dir > 0.0 {
            -aw
        } else {
            w
        };
        let bottom = (h - 1.0 - ah).max(WATER_TOP);
        let y = match art.motion {
            Motion::Walk => bottom,
            Motion::Surface => 0.0,
            _ => rng.random_range(WATER_TOP..=bottom.max(WATER_TOP)),
        };
        let layer = rng.random_range(0..3u8);
        let speed = rng.random_range(art.speed.0..=art.speed.1) * (0.6 + 0.25 * f32::from(layer));
        let base = match art.color {
            Some((r, g, b)) => Color::Rgb(r, g, b),
            None => color::hue(rng.random_range(0.0..360.0)),
        };
        // Far creatures fade into the water.
        let color = mix(base, Color::Rgb(10, 40, 90), [0.55, 0.25, 0.0][usize::from(layer)]);
        Creature { kind, x, y, dir, speed, layer, color, clock: rng.random_range(0.0..1.0), home: y }
    }

    fn frame_of(&self, c: &Creature) -> Vec<String> {
        let art = &CATALOGUE[c.kind];
        let frame = art.frames[(c.clock as usize) % art.frames.len()];
        let width = art_width(frame);
        if art.mirror && c.dir < 0.0 {
            frame.iter().map(|l| mirror_line(l, width)).collect()
        } else {
            frame.iter().map(|l| (*l).to_string()).collect()
        }
    }

    fn move_creatures(&mut self, dt: f32, rng: &mut StdRng) {
        let (w, h) = (f32::from(self.size.width), f32::from(self.size.height));
        for i in 0..self.creatures.len() {
            let mut c = self.creatures[i].clone();
            let art = &CATALOGUE[c.kind];
            c.clock += dt * 2.0;
            c.x += c.dir * c.speed * dt;
            if art.motion == Motion::Drift {
                let ah = art.frames[0].len() as f32;
                let bob = 1.5 * (c.clock * 0.9).sin();
                c.y = (c.home + bob).clamp(WATER_TOP, (h - 1.0 - ah).max(WATER_TOP));
            }
            // Now and then a bubble from a swimmer's mouth.
            if !self.args.no_bubbles && art.motion == Motion::Swim && rng.random_bool(f64::from(dt * 0.15))
            {
                let width = art_width(art.frames[0]) as f32;
                let mouth = if c.dir > 0.0 { c.x + width } else { c.x - 1.0 };
                self.bubbles.push(Bubble { x: mouth, y: c.y });
            }
            self.creatures[i] = c;
        }
        // Creatures that have left the tank are replaced by newcomers at an edge.
        self.creatures.retain(|c| {
            let width = art_width(CATALOGUE[c.kind].frames[0]) as f32;
            c.x > -width - 1.0 && c.x < w + 1.0
        });
        while self.creatures.len() < self.population() {
            let newcomer = self.spawn(rng, false);
            self.creatures.push(newcomer);
        }
    }

    fn move_bubbles(&mut self, dt: f32, rng: &mut StdRng) {
        let (w, h) = (f32::from(self.size.width), f32::from(self.size.height));
        if !self.args.no_bubbles && rng.random_bool(f64::from((dt * w / 80.0).min(1.0))) {
            // From the sand, between the weeds.
            self.bubbles.push(Bubble { x: rng.random_range(0.0..w), y: h - 2.0 });
        }
        for b in &mut self.bubbles {
            b.y -= 3.0 * dt;
            b.x += 0.4 * (b.y * 1.7).sin() * dt;
        }
        self.bubbles.retain(|b| b.y >= WATER_TOP && b.x >= 0.0 && b.x < w);
        self.bubbles.truncate(400);
    }

    fn put_creature(&self, buf: &mut Canvas<'_>, c: &Creature, color: bool) {
        let lines = self.frame_of(c);
        let style = if color {
            Style::fg(c.color).with_attrs(if c.layer == 2 { Attrs::BOLD } else { Attrs::NONE })
        } else {
            Style::default()
        };
        let eye = if color { Style::fg(Color::Rgb(255, 255, 255)) } else { style };
        let x0 = c.x.round() as i32;
        for (dy, line) in lines.iter().enumerate() {
            let y = c.y.round() as i32 + dy as i32;
            let chars: Vec<char> = line.chars().collect();
            // Spaces inside the outline are opaque, spaces around it transparent.
            let first = chars.iter().position(|&ch| ch != ' ');
            let last = chars.iter().rposition(|&ch| ch != ' ');
            let (Some(first), Some(last)) = (first, last) else { continue };
            for (dx, &ch) in chars.iter().enumerate().take(last + 1).skip(first) {
                let x = x0 + dx as i32;
                if x < 0 || y < 0 || x >= i32::from(buf.width()) || y >= i32::from(buf.height()) {
                    continue;
                }
                let s = if ch == 'o' || ch == '°' { eye } else { style };
                buf.put_char(x as u16, y as u16, ch, s);
            }
        }
    }

    fn draw_scenery(&self, buf: &mut Canvas<'_>, color: bool) {
        let (w, h) = (self.size.width, self.size.height);
        let pick = |c: Color| if color { Style::fg(c) } else { Style::default() };
        // The surface: waves that roll slowly.
        let shift = (self.time * 2.0) as usize;
        let waves: Vec<char> = "~~^~~-~~^~-~".chars().collect();
        for x in 0..w {
            let ch = waves[(usize::from(x) + shift) % waves.len()];
            buf.put_char(x, 1, ch, pick(Color::Rgb(90, 200, 230)));
        }
        // Sand.
        let grains = ['.', ',', '_', '.', ' ', ':'];
        for x in 0..w {
            let g = grains[(paint::hash01(u32::from(x), 0, 3) * grains.len() as f32) as usize];
            buf.put_char(x, h - 1, g, pick(Color::Rgb(200, 170, 110)));
        }
    }

    fn draw_weeds(&self, buf: &mut Canvas<'_>, color: bool) {
        let h = self.size.height;
        let style = if color { Style::fg(Color::Rgb(40, 160, 70)) } else { Style::default() };
        let sway = (self.time / 0.8) as u16;
        for &(x, height, phase) in &self.weeds {
            for i in 0..height.min(h.saturating_sub(4)) {
                let y = h - 2 - i;
                let ch = if (i + sway + u16::from(phase)).is_multiple_of(2) { '(' } else { ')' };
                buf.put_char(x, y, ch, style);
            }
        }
    }
}

impl Screen for Aquarium {
    fn min_size(&self) -> Size {
        Size { width: 24, height: 8 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        self.creatures.clear();
        self.bubbles.clear();
        for _ in 0..self.population() {
            let c = self.spawn(rng, true);
            self.creatures.push(c);
        }
        let weeds = usize::from(size.width) / 12 + 1;
        self.weeds = (0..weeds)
            .map(|_| {
                let x = rng.random_range(0..size.width);
                let height = rng.random_range(2..=(size.height / 3).max(2));
                (x, height, rng.random_range(0..2))
            })
            .collect();
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let dt = ctx.dt.as_secs_f32().min(0.5);
        self.time += dt;
        self.move_creatures(dt, ctx.rng);
        self.move_bubbles(dt, ctx.rng);
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let color = paint::has_color(theme.depth);
        self.draw_scenery(buf, color);
        let bubble = if color { Style::fg(Color::Rgb(170, 220, 255)) } else { Style::default() };
        for layer in 0..3u8 {
            if layer == 1 {
                self.draw_weeds(buf, color);
            }
            for c in self.creatures.iter().filter(|c| c.layer == layer) {
                self.put_creature(buf, c, color);
            }
            if layer == 1 {
                for b in &self.bubbles {
                    let ch = if b.y < f32::from(self.size.height) * 0.4 { 'O' } else { 'o' };
                    let ch = if b.y > f32::from(self.size.height) - 4.0 { '.' } else { ch };
                    buf.put_char(b.x as u16, b.y as u16, ch, bubble);
                }
            }
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(100)
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use crate::saver::kit::testing::{args, run_frames};

    fn tank(list: &[&str], frames: u32) -> (Aquarium, Buffer) {
        let mut a = build(args("aquarium", list)).expect("valid");
        let buf = run_frames(&mut a, Size { width: 80, height: 24 }, frames, 0.1, 6);
        (a, buf)
    }

    #[test]
    fn at_least_eight_distinct_creatures() {
        assert!(CATALOGUE.len() >= 8);
        let names: std::collections::HashSet<_> = CATALOGUE.iter().map(|a| a.name).collect();
        assert_eq!(names.len(), CATALOGUE.len());
        let arts: std::collections::HashSet<_> = CATALOGUE.iter().map(|a| a.frames[0]).collect();
        assert_eq!(arts.len(), CATALOGUE.len());
        for art in CATALOGUE {
            assert!(art.weight > 0 && art.speed.0 <= art.speed.1, "{}", art.name);
            for frame in art.frames {
                for line in *frame {
                    assert!(line.chars().all(|c| unicode_width::UnicodeWidthChar::width(c) == Some(1)));
                }
            }
        }
    }

    #[test]
    fn mirroring_turns_art_around() {
        assert_eq!(mirror_line(">=°>", 4), "<°=<");
        for art in CATALOGUE.iter().filter(|a| a.mirror) {
            let frame = art.frames[0];
            let w = art_width(frame);
            for line in frame {
                let back = mirror_line(&mirror_line(line, w), w);
                assert_eq!(back.trim_end(), line.trim_end(), "{}", art.name);
            }
        }
    }

    #[test]
    fn creatures_swim_their_way() {
        let (mut a, _) = tank(&[], 1);
        let before: Vec<(usize, f32, f32)> =
            a.creatures.iter().map(|c| (c.kind, c.x, c.dir)).collect();
        let mut rng = <StdRng as rand::SeedableRng>::seed_from_u64(4);
        a.move_creatures(0.5, &mut rng);
        for ((kind, x, dir), c) in before.iter().zip(&a.creatures) {
            assert_eq!(*kind, c.kind);
            assert!((c.x - x) * dir > 0.0, "{} moves {}", CATALOGUE[*kind].name, dir);
        }
    }

    #[test]
    fn the_tank_stays_populated() {
        let (a, buf) = tank(&["-n", "12"], 600);
        assert_eq!(a.creatures.len(), 12);
        let text = buf.to_text();
        let rows: Vec<&str> = text.lines().collect();
        assert!(rows[1].starts_with("~~"), "{text}");
        assert!(rows[23].chars().any(|c| ".,_:".contains(c)), "{text}");
        let creature_cells = text.chars().filter(|c| "<>()/\\|o°".contains(*c)).count();
        assert!(creature_cells > 30, "{text}");
    }

    #[test]
    fn near_creatures_pass_in_front() {
        let (mut a, _) = tank(&["-n", "2"], 0);
        let mut far = a.spawn(&mut <StdRng as rand::SeedableRng>::seed_from_u64(1), true);
        far.kind = 1; // stripey
        far.layer = 0;
        far.dir = 1.0;
        (far.x, far.y) = (10.0, 10.0);
        let mut near = far.clone();
        near.kind = 0; // tetra, drawn over the stripey's middle
        near.layer = 2;
        near.x = 12.0;
        near.y = 11.0;
        a.creatures = vec![near, far];
        a.bubbles.clear();
        a.weeds.clear();
        let mut buf = Buffer::new(80, 24);
        a.draw(&mut buf.canvas(), &Theme::default());
        let row: String = buf.row(11).map(|c| c.ch).collect();
        assert_eq!(&row[10..], &format!(">{{>=°> o>{}", " ".repeat(61))[..], "{row}");
    }

    #[test]
    fn only_some_creatures() {
        let (a, _) = tank(&["-o", "crab,jellyfish", "-n", "6"], 50);
        assert!(a.creatures.iter().all(|c| ["crab", "jellyfish"].contains(&CATALOGUE[c.kind].name)));
        let err = build(args("aquarium", &["-o", "kraken"])).err().expect("unknown");
        assert!(err.to_string().contains("whale"), "{err}");
    }

    #[test]
    fn bad_options() {
        assert!(crate::saver::kit::testing::refused("aquarium", &["-n", "0"], build));
        assert!(crate::saver::kit::testing::refused("aquarium", &["-n", "61"], build));
    }
}

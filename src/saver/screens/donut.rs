//! `donut`: a spinning torus lit by a lamp, drawn with characters by brightness, and an
//! optional second object (a cube or a sphere) beside it. Written from the geometry.
//!
//! Each object is a set of surface samples, a point and its outward normal. Every frame the
//! samples are turned by two rotation angles, projected in perspective onto the screen (cells
//! are about twice as tall as wide, so x is stretched), and kept where they are the nearest
//! thing seen in their cell (a depth buffer). The brightness of a cell is how squarely its
//! surface faces the light: the dot product of the normal with the light's direction, shown
//! with the ramp ` .:-=+*#%@` and, with colour, a shade of the theme's colour.
//!
//! Cost: most cells of the object change as it turns, so it runs at 10 frames per second.

use clap::{Parser, ValueEnum};
use rand::rngs::StdRng;

use crate::saver::kit::paint;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::color::mix;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver donut                  a spinning, lit torus
  fun saver donut -o cube          and a cube beside it
  fun saver donut -o sphere -s 2   and a sphere, spinning twice as fast";

/// A spinning torus (and optionally a cube or a sphere), lit by characters by brightness.
#[derive(Debug, Parser)]
#[command(name = "fun saver donut", after_help = EXAMPLES)]
pub(crate) struct DonutArgs {
    /// A second object beside the torus.
    #[arg(short, long, value_enum, default_value = "none")]
    pub(crate) object: Second,

    /// Spin speed (0.1-5).
    #[arg(short, long, default_value_t = 1.0, value_name = "0.1-5", value_parser = values::within(0.1f32, 5.0))]
    pub(crate) spin: f32,
}

/// The optional second object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Second {
    None,
    Cube,
    Sphere,
}

type V3 = [f32; 3];

fn dot(a: V3, b: V3) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// Rotates about the x axis by `a` and then about the z axis by `b`.
fn rotate(v: V3, (sa, ca): (f32, f32), (sb, cb): (f32, f32)) -> V3 {
    let (x, y, z) = (v[0], v[1] * ca - v[2] * sa, v[1] * sa + v[2] * ca);
    [x * cb - y * sb, x * sb + y * cb, z]
}

/// Surface samples (point, normal) of an object of radius about 1, `n` samples per unit.
fn samples(shape: Shape, n: usize) -> Vec<(V3, V3)> {
    use std::f32::consts::TAU;
    let mut out = Vec::new();
    match shape {
        Shape::Torus => {
            // Tube radius 0.35 around a circle of radius 0.65.
            let (tube, ring) = (0.35, 0.65);
            let (nu, nv) = (n * 2, n * 5);
            for i in 0..nu {
                let u = TAU * i as f32 / nu as f32;
                for j in 0..nv {
                    let v = TAU * j as f32 / nv as f32;
                    let normal = [u.cos() * v.cos(), u.cos() * v.sin(), u.sin()];
                    let r = ring + tube * u.cos();
                    out.push(([r * v.cos(), r * v.sin(), tube * u.sin()], normal));
                }
            }
        }
        Shape::Sphere => {
            let (nu, nv) = (n * 3, n * 6);
            for i in 0..=nu {
                let lat = std::f32::consts::PI * (i as f32 / nu as f32 - 0.5);
                for j in 0..nv {
                    let lon = TAU * j as f32 / nv as f32;
                    let p = [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()];
                    out.push(([p[0] * 0.8, p[1] * 0.8, p[2] * 0.8], p));
                }
            }
        }
        Shape::Cube => {
            let m = n * 3;
            for axis in 0..3 {
                for sign in [-1.0f32, 1.0] {
                    let mut normal = [0.0; 3];
                    normal[axis] = sign;
                    for i in 0..=m {
                        for j in 0..=m {
                            let a = 1.2 * (i as f32 / m as f32 - 0.5);
                            let b = 1.2 * (j as f32 / m as f32 - 0.5);
                            let mut p = [0.0; 3];
                            p[axis] = 0.6 * sign;
                            p[(axis + 1) % 3] = a;
                            p[(axis + 2) % 3] = b;
                            out.push((p, normal));
                        }
                    }
                }
            }
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Torus,
    Cube,
    Sphere,
}

/// One object on screen: its samples, its centre (in cells) and its size (in rows).
struct Object {
    samples: Vec<(V3, V3)>,
    centre: (f32, f32),
    radius: f32,
    /// A phase offset, so two objects do not turn in step.
    phase: f32,
}

/// The donut screen.
pub(crate) struct Donut {
    args: DonutArgs,
    size: Size,
    angle: f32,
    objects: Vec<Object>,
    /// Brightness (0..=1) of each cell, or a negative value for empty space.
    light: Vec<f32>,
}

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers.
pub(crate) fn build(args: DonutArgs) -> anyhow::Result<Donut> {
    Ok(Donut {
        args,
        size: Size { width: 0, height: 0 },
        angle: 0.0,
        objects: Vec::new(),
        light: Vec::new(),
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("donut", "a spinning, lit 3D torus (and a cube or a sphere)", build)
}

/// Where the light comes from (up, left, in front), normalised.
const LIGHT: V3 = [-0.408, -0.408, -0.816];

impl Donut {
    fn render(&mut self) {
        let (w, h) = (usize::from(self.size.width), usize::from(self.size.height));
        self.light.clear();
        self.light.resize(w * h, -1.0);
        let mut nearest = vec![f32::INFINITY; w * h];
        for object in &self.objects {
            let t = self.angle + object.phase;
            let a = (t.sin(), t.cos());
            let b = ((t * 0.6).sin(), (t * 0.6).cos());
            let viewer = 3.0;
            for &(point, normal) in &object.samples {
                // A closed surface is seen from the front only: skip samples facing away (with a
                // margin for the perspective near the outline), about half of them.
                let n = rotate(normal, a, b);
                if n[2] > 0.3 {
                    continue;
                }
                let p = rotate(point, a, b);
                let depth = p[2] + viewer;
                // Perspective: nearer is bigger; x doubled for the cells' aspect.
                let scale = object.radius * viewer / depth;
                let sx = object.centre.0 + 2.0 * p[0] * scale;
                let sy = object.centre.1 + p[1] * scale;
                if sx < 0.0 || sy < 0.0 || sx >= w as f32 || sy >= h as f32 {
                    continue;
                }
                let i = sy as usize * w + sx as usize;
                if depth < nearest[i] {
                    nearest[i] = depth;
                    self.light[i] = dot(n, LIGHT).max(0.0);
                }
            }
        }
    }
}

impl Screen for Donut {
    fn min_size(&self) -> Size {
        Size { width: 16, height: 8 }
    }

    fn resize(&mut self, size: Size, _rng: &mut StdRng) {
        self.size = size;
        let (w, h) = (f32::from(size.width), f32::from(size.height));
        let second = match self.args.object {
            Second::None => None,
            Second::Cube => Some(Shape::Cube),
            Second::Sphere => Some(Shape::Sphere),
        };
        let slots = if second.is_some() { 2.0 } else { 1.0 };
        // As big as fits: half the height, and a slot's width (x is doubled on screen).
        let radius = (h * 0.42).min(w / slots / 4.4);
        let density = (radius * 3.2).clamp(8.0, 160.0) as usize;
        let mut objects = vec![Object {
            samples: samples(Shape::Torus, density),
            centre: (w / (2.0 * slots), h / 2.0),
            radius,
            phase: 0.0,
        }];
        if let Some(shape) = second {
            objects.push(Object {
                samples: samples(shape, density),
                centre: (w * 0.75, h / 2.0),
                radius,
                phase: 1.3,
            });
        }
        self.objects = objects;
        self.render();
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.angle += ctx.dt.as_secs_f32().min(0.5) * self.args.spin * 0.9;
        self.render();
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let w = usize::from(self.size.width);
        let color = paint::has_color(theme.depth);
        for (i, &light) in self.light.iter().enumerate() {
            if light < 0.0 {
                continue;
            }
            // A little ambient light, so the far side still shows as dots.
            let v = 0.08 + 0.92 * light;
            let ch = match paint::ramp_char(v) {
                ' ' => '.',
                c => c,
            };
            let style = if color {
                // Ten shades, from the dim colour to near white.
                let level = (v * 9.0).round() / 9.0;
                let shade = if level < 0.5 {
                    mix(theme.dim, theme.primary, level * 2.0)
                } else {
                    mix(theme.primary, Color::Rgb(255, 255, 255), (level - 0.5) * 1.2)
                };
                Style::fg(shade)
            } else {
                Style::default()
            };
            buf.put_char((i % w) as u16, (i / w) as u16, ch, style);
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

    fn donut(list: &[&str], w: u16, h: u16, frames: u32) -> (Donut, Buffer) {
        let mut d = build(args("donut", list)).expect("valid");
        let buf = run_frames(&mut d, Size { width: w, height: h }, frames, 0.083, 1);
        (d, buf)
    }

    #[test]
    fn a_ring_with_a_hole() {
        // Facing the viewer (angle 0) the torus is a ring: the centre cell is empty.
        let (d, buf) = donut(&[], 60, 24, 0);
        let text = buf.to_text();
        let (cx, cy) = (30, 12);
        assert!(d.light[cy * 60 + cx] < 0.0, "a hole in the middle:\n{text}");
        let ring = d.light.iter().filter(|&&l| l >= 0.0).count();
        assert!(ring > 200, "{text}");
        // Left and right of the hole there is surface.
        assert!(d.light[cy * 60 + 10..cy * 60 + 22].iter().any(|&l| l >= 0.0), "{text}");
        assert!(d.light[cy * 60 + 38..cy * 60 + 50].iter().any(|&l| l >= 0.0), "{text}");
    }

    #[test]
    fn lit_from_the_upper_left() {
        let (d, _) = donut(&[], 60, 24, 0);
        let mean = |range: std::ops::Range<usize>, rows: std::ops::Range<usize>| {
            let mut v = Vec::new();
            for y in rows {
                for x in range.clone() {
                    let l = d.light[y * 60 + x];
                    if l >= 0.0 {
                        v.push(l);
                    }
                }
            }
            v.iter().sum::<f32>() / v.len().max(1) as f32
        };
        assert!(mean(5..30, 2..12) > mean(30..55, 12..22), "brighter towards the light");
    }

    #[test]
    fn it_spins_and_stays_on_screen() {
        let (a, _) = donut(&[], 60, 24, 1);
        let (b, buf) = donut(&[], 60, 24, 10);
        assert_ne!(a.light, b.light);
        assert!(buf.to_text().chars().all(|c| " .:-=+*#%@\n".contains(c)));
    }

    #[test]
    fn a_second_object_beside_it() {
        for object in ["cube", "sphere"] {
            let (d, _) = donut(&["-o", object], 100, 30, 5);
            let right = (0..30).flat_map(|y| (60..100).map(move |x| y * 100 + x));
            let lit = right.filter(|&i| d.light[i] >= 0.0).count();
            assert!(lit > 150, "{object}: {lit}");
        }
    }

    #[test]
    fn bad_options() {
        assert!(crate::saver::kit::testing::refused("donut", &["-s", "0"], build));
        assert!(crate::saver::kit::testing::refused("donut", &["-s", "6"], build));
    }
}

//! What a script sees: the Rhai engine with the screen API registered on it and nothing else.
//!
//! - the `Canvas` given to `draw`: `width`, `height`, `put`, `text`, `column`, `fill`, `clear`,
//!   the batch forms `put_many` and `trails` (one call for many cells: a call costs far more
//!   than the drawing it does), the
//!   theme's colours (`primary`, `accent`, `dim`, `text`), `colors` (false on a terminal
//!   without colour) and `depth` ("none", "16", "256", "truecolor");
//! - colours: `rgb(r, g, b)`, `hue(degrees)`, `mix(a, b, t)`;
//! - seeded random numbers: `rand()` (0 to 1), `rand(a, b)` (a whole number from a to b),
//!   `rand_float(a, b)`;
//! - the engine's clock: `time()` (seconds since the screen started, simulated in headless
//!   runs) and `clock()` (a map of the local date and time the engine read).
//!
//! The script's drawing calls are recorded (at most [`MAX_DRAW_CALLS`] a frame) and played onto
//! the kit's canvas after `draw` returns, so a script draws with exactly the canvas's rules
//! (clipping, wide characters). `print` and `debug` go nowhere: the terminal is the screen's.

use std::cell::RefCell;
use std::rc::Rc;

use rand::Rng;
use rand::rngs::StdRng;
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString};

use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::color::{self, Depth};
use crate::saver::kit::screen::Theme;

/// The most drawing calls one frame records (a full 1000x1000 screen is a million cells).
pub const MAX_DRAW_CALLS: usize = 1_000_000;

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// One recorded drawing call.
#[derive(Clone, Debug)]
enum Op {
    Char(u16, u16, char, Style),
    Text(u16, u16, ImmutableString, Style),
    Fill(u16, u16, u16, u16, char, Style),
    /// A text written downwards, one character a row.
    Column(u16, i64, ImmutableString, Style),
    Clear,
}

/// The frame a script draws: the calls recorded, the size and the theme.
#[derive(Debug)]
pub struct Frame {
    ops: Vec<Op>,
    width: u16,
    height: u16,
    theme: Theme,
}

/// The `Canvas` value a script's `draw` receives.
#[derive(Clone, Debug)]
pub struct ScriptCanvas(Rc<RefCell<Frame>>);

impl ScriptCanvas {
    /// An empty frame of the canvas's size, with `theme`.
    #[must_use]
    pub fn new(width: u16, height: u16, theme: Theme) -> ScriptCanvas {
        ScriptCanvas(Rc::new(RefCell::new(Frame { ops: Vec::new(), width, height, theme })))
    }

    /// Plays the recorded calls onto `canvas`.
    pub fn replay(&self, canvas: &mut Canvas<'_>) {
        for op in &self.0.borrow().ops {
            match op {
                Op::Char(x, y, ch, style) => {
                    canvas.put_char(*x, *y, *ch, *style);
                }
                Op::Text(x, y, text, style) => {
                    canvas.put_str(*x, *y, text, *style);
                }
                Op::Fill(x, y, w, h, ch, style) => canvas.fill(*x, *y, *w, *h, *ch, *style),
                Op::Column(x, y, text, style) => {
                    for (row, ch) in (*y..).zip(text.chars()) {
                        if let Ok(row) = u16::try_from(row) {
                            canvas.put_char(*x, row, ch, *style);
                        }
                    }
                }
                Op::Clear => canvas.clear(),
            }
        }
    }

    fn push(&self, op: Op) -> Fallible<()> {
        let mut frame = self.0.borrow_mut();
        if frame.ops.len() >= MAX_DRAW_CALLS {
            return Err(format!("more than {MAX_DRAW_CALLS} drawing calls in one frame").into());
        }
        frame.ops.push(op);
        Ok(())
    }

    fn theme(&self) -> Theme {
        self.0.borrow().theme
    }
}

/// What the registered functions share with the screen: its rng and the engine's clock.
#[derive(Debug)]
pub struct World {
    pub rng: StdRng,
    /// Seconds since the screen started (scaled by `--speed`).
    pub elapsed: f64,
    pub now: chrono::NaiveDateTime,
}

/// A number given where a coordinate or size is expected (whole or not; rounded down).
fn number(value: &Dynamic, what: &str) -> Fallible<i64> {
    if let Ok(n) = value.as_int() {
        return Ok(n);
    }
    match value.as_float() {
        #[allow(clippy::cast_possible_truncation)] // saturating, and clipped below
        Ok(x) if x.is_finite() => Ok(x.floor() as i64),
        _ => Err(format!("{what}: expected a number, got {}", value.type_name()).into()),
    }
}

/// A coordinate on the canvas, `None` when outside any canvas (the call is clipped away).
fn coordinate(value: &Dynamic, what: &str) -> Fallible<Option<u16>> {
    Ok(u16::try_from(number(value, what)?).ok())
}

fn character(value: &Dynamic) -> Fallible<Option<char>> {
    if let Ok(ch) = value.as_char() {
        return Ok(Some(ch));
    }
    if let Some(text) = value.read_lock::<ImmutableString>() {
        return Ok(text.chars().next());
    }
    Err(format!("expected a character, got {}", value.type_name()).into())
}

/// A colour: a `Colour` value, a theme colour's name, or `()` for the theme's text colour.
fn colour(value: &Dynamic, theme: &Theme) -> Fallible<Color> {
    if let Some(color) = value.read_lock::<Color>() {
        return Ok(*color);
    }
    if value.is_unit() {
        return Ok(theme.text);
    }
    let name = value.read_lock::<ImmutableString>().map(|s| s.to_string()).unwrap_or_default();
    match name.as_str() {
        "primary" => Ok(theme.primary),
        "accent" => Ok(theme.accent),
        "dim" => Ok(theme.dim),
        "text" => Ok(theme.text),
        _ => Err(format!(
            "expected a colour (rgb, hue, mix, or \"primary\", \"accent\", \"dim\", \"text\"), got {}",
            value.type_name()
        )
        .into()),
    }
}

/// Attributes named in a text: "bold", "dim", "italic", "underline", "reverse".
fn attrs(value: &Dynamic) -> Fallible<Attrs> {
    let text = value.read_lock::<ImmutableString>().map(|s| s.to_string()).unwrap_or_default();
    let mut out = Attrs::NONE;
    for word in text.split_whitespace() {
        out = out.union(match word {
            "bold" => Attrs::BOLD,
            "dim" => Attrs::DIM,
            "italic" => Attrs::ITALIC,
            "underline" => Attrs::UNDERLINE,
            "reverse" => Attrs::REVERSE,
            _ => return Err(format!("unknown attribute \"{word}\"").into()),
        });
    }
    Ok(out)
}

fn style(canvas: &ScriptCanvas, fg: &Dynamic, with: Option<&Dynamic>) -> Fallible<Style> {
    let style = Style::fg(colour(fg, &canvas.theme())?);
    Ok(match with {
        Some(with) => style.with_attrs(attrs(with)?),
        None => style,
    })
}

fn put(c: &ScriptCanvas, x: &Dynamic, y: &Dynamic, ch: &Dynamic, s: Style) -> Fallible<()> {
    let (Some(x), Some(y), Some(ch)) = (coordinate(x, "x")?, coordinate(y, "y")?, character(ch)?)
    else {
        return Ok(());
    };
    c.push(Op::Char(x, y, ch, s))
}

fn text(
    c: &ScriptCanvas,
    x: &Dynamic,
    y: &Dynamic,
    text: ImmutableString,
    s: Style,
) -> Fallible<()> {
    let (x, Some(y)) = (number(x, "x")?, coordinate(y, "y")?) else { return Ok(()) };
    // Text starting left of the canvas shows its tail.
    let skip = usize::try_from(-x).unwrap_or(0);
    let Ok(x) = u16::try_from(x.max(0)) else { return Ok(()) };
    let shown = if skip == 0 { text } else { text.chars().skip(skip).collect::<String>().into() };
    c.push(Op::Text(x, y, shown, s))
}

fn column(
    c: &ScriptCanvas,
    x: &Dynamic,
    y: &Dynamic,
    text: ImmutableString,
    s: Style,
) -> Fallible<()> {
    let (Some(x), y) = (coordinate(x, "x")?, number(y, "y")?) else { return Ok(()) };
    c.push(Op::Column(x, y, text, s))
}

/// The `i`th element of `values`, or an error naming the argument.
fn nth<'v>(values: &'v rhai::Array, i: usize, what: &str) -> Fallible<&'v Dynamic> {
    values.get(i).ok_or_else(|| format!("{what}: shorter than the x array").into())
}

/// `put_many(xs, ys, chars, colour[, attrs])`: one character for each element of `xs`.
fn put_many(
    c: &ScriptCanvas,
    xs: &rhai::Array,
    ys: &rhai::Array,
    chars: &rhai::Array,
    s: Style,
) -> Fallible<()> {
    for (i, x) in xs.iter().enumerate() {
        put(c, x, nth(ys, i, "ys")?, nth(chars, i, "chars")?, s)?;
    }
    Ok(())
}

/// `trails(xs, ys, texts, colour)`: each text written downwards so that its last character is
/// just above (x, y): the trails of things falling (a rain draws its trails in two calls).
fn trails(
    c: &ScriptCanvas,
    xs: &rhai::Array,
    ys: &rhai::Array,
    texts: &rhai::Array,
    s: Style,
) -> Fallible<()> {
    for (i, x) in xs.iter().enumerate() {
        let Some(x) = coordinate(x, "x")? else { continue };
        let text = nth(texts, i, "texts")?;
        let Ok(text) = text.as_immutable_string_ref() else {
            return Err(format!("texts: expected a string, got {}", text.type_name()).into());
        };
        let rows = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
        let y = number(nth(ys, i, "ys")?, "y")?;
        c.push(Op::Column(x, y.saturating_sub(rows), text.clone(), s))?;
    }
    Ok(())
}

fn fill(c: &ScriptCanvas, at: [&Dynamic; 4], ch: &Dynamic, s: Style) -> Fallible<()> {
    let [x, y, w, h] = at;
    let clamp = |n: i64| u16::try_from(n.clamp(0, i64::from(u16::MAX))).unwrap_or(0);
    let (x, y) = (number(x, "x")?, number(y, "y")?);
    let (mut w, mut h) = (number(w, "width")?, number(h, "height")?);
    // A rectangle starting left of or above the canvas keeps its part inside.
    w += x.min(0);
    h += y.min(0);
    let Some(ch) = character(ch)? else { return Ok(()) };
    c.push(Op::Fill(clamp(x), clamp(y), clamp(w), clamp(h), ch, s))
}

fn register_canvas(engine: &mut Engine) {
    engine.register_type_with_name::<ScriptCanvas>("Canvas");
    engine.register_get("width", |c: &mut ScriptCanvas| i64::from(c.0.borrow().width));
    engine.register_get("height", |c: &mut ScriptCanvas| i64::from(c.0.borrow().height));
    engine.register_get("primary", |c: &mut ScriptCanvas| c.theme().primary);
    engine.register_get("accent", |c: &mut ScriptCanvas| c.theme().accent);
    engine.register_get("dim", |c: &mut ScriptCanvas| c.theme().dim);
    engine.register_get("text", |c: &mut ScriptCanvas| c.theme().text);
    engine.register_get("colors", |c: &mut ScriptCanvas| {
        crate::saver::kit::paint::has_color(c.theme().depth)
    });
    engine.register_get("depth", |c: &mut ScriptCanvas| match c.theme().depth {
        Depth::Mono => "none",
        Depth::Ansi16 => "16",
        Depth::Indexed256 => "256",
        Depth::TrueColor => "truecolor",
    });
    engine.register_fn("clear", |c: &mut ScriptCanvas| c.push(Op::Clear));
    register_cells(engine);
    register_batches(engine);
}

/// The canvas's one-call drawing: `put`, `text` and `column`, each with and without a colour
/// (and attributes).
fn register_cells(engine: &mut Engine) {
    engine.register_fn("put", |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, ch: Dynamic| {
        put(c, &x, &y, &ch, style(c, &Dynamic::UNIT, None)?)
    });
    engine.register_fn("put", |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, ch: Dynamic, fg| {
        put(c, &x, &y, &ch, style(c, &fg, None)?)
    });
    engine.register_fn(
        "put",
        |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, ch: Dynamic, fg: Dynamic, a: Dynamic| {
            put(c, &x, &y, &ch, style(c, &fg, Some(&a))?)
        },
    );
    engine.register_fn(
        "text",
        |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, t: ImmutableString| {
            text(c, &x, &y, t, style(c, &Dynamic::UNIT, None)?)
        },
    );
    engine.register_fn(
        "text",
        |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, t: ImmutableString, fg| {
            text(c, &x, &y, t, style(c, &fg, None)?)
        },
    );
    engine.register_fn(
        "text",
        |c: &mut ScriptCanvas,
         x: Dynamic,
         y: Dynamic,
         t: ImmutableString,
         fg: Dynamic,
         a: Dynamic| { text(c, &x, &y, t, style(c, &fg, Some(&a))?) },
    );
    engine.register_fn(
        "column",
        |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, t: ImmutableString| {
            column(c, &x, &y, t, style(c, &Dynamic::UNIT, None)?)
        },
    );
    engine.register_fn(
        "column",
        |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, t: ImmutableString, fg| {
            column(c, &x, &y, t, style(c, &fg, None)?)
        },
    );
}

/// The canvas's batch drawing (`put_many`, `trails`) and `fill`: many cells in one call, so a
/// rain costs a few calls a frame instead of one a cell.
fn register_batches(engine: &mut Engine) {
    engine.register_fn(
        "put_many",
        |c: &mut ScriptCanvas,
         xs: rhai::Array,
         ys: rhai::Array,
         chars: rhai::Array,
         fg: Dynamic| { put_many(c, &xs, &ys, &chars, style(c, &fg, None)?) },
    );
    engine.register_fn(
        "put_many",
        |c: &mut ScriptCanvas,
         xs: rhai::Array,
         ys: rhai::Array,
         chars: rhai::Array,
         fg: Dynamic,
         a: Dynamic| { put_many(c, &xs, &ys, &chars, style(c, &fg, Some(&a))?) },
    );
    engine.register_fn(
        "trails",
        |c: &mut ScriptCanvas,
         xs: rhai::Array,
         ys: rhai::Array,
         texts: rhai::Array,
         fg: Dynamic| { trails(c, &xs, &ys, &texts, style(c, &fg, None)?) },
    );
    engine.register_fn(
        "fill",
        |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, w: Dynamic, h: Dynamic, ch: Dynamic| {
            fill(c, [&x, &y, &w, &h], &ch, style(c, &Dynamic::UNIT, None)?)
        },
    );
    engine.register_fn(
        "fill",
        |c: &mut ScriptCanvas, x: Dynamic, y: Dynamic, w: Dynamic, h: Dynamic, ch, fg: Dynamic| {
            fill(c, [&x, &y, &w, &h], &ch, style(c, &fg, None)?)
        },
    );
}

fn byte(value: i64) -> u8 {
    u8::try_from(value.clamp(0, 255)).unwrap_or(0)
}

fn register_colours(engine: &mut Engine) {
    engine.register_type_with_name::<Color>("Colour");
    engine.register_fn("rgb", |r: i64, g: i64, b: i64| Color::Rgb(byte(r), byte(g), byte(b)));
    #[allow(clippy::cast_possible_truncation)] // a hue in degrees
    engine.register_fn("hue", |degrees: Dynamic| -> Fallible<Color> {
        Ok(color::hue(number_f(&degrees)? as f32))
    });
    #[allow(clippy::cast_possible_truncation)] // a fraction
    engine.register_fn("mix", |a: Color, b: Color, t: Dynamic| -> Fallible<Color> {
        Ok(color::mix(a, b, number_f(&t)?.clamp(0.0, 1.0) as f32))
    });
}

fn number_f(value: &Dynamic) -> Fallible<f64> {
    #[allow(clippy::cast_precision_loss)] // script numbers are small
    value
        .as_float()
        .or_else(|_| value.as_int().map(|n| n as f64))
        .map_err(|t| format!("expected a number, got {t}").into())
}

fn register_world(engine: &mut Engine, world: &Rc<RefCell<World>>) {
    let w = Rc::clone(world);
    engine.register_fn("rand", move || w.borrow_mut().rng.random::<f64>());
    let w = Rc::clone(world);
    engine.register_fn("rand", move |a: i64, b: i64| {
        let (low, high) = (a.min(b), a.max(b));
        w.borrow_mut().rng.random_range(low..=high)
    });
    let w = Rc::clone(world);
    engine.register_fn("rand_float", move |a: Dynamic, b: Dynamic| -> Fallible<f64> {
        let (a, b) = (number_f(&a)?, number_f(&b)?);
        let t: f64 = w.borrow_mut().rng.random();
        Ok(a + (b - a) * t)
    });
    let w = Rc::clone(world);
    engine.register_fn("time", move || w.borrow().elapsed);
    let w = Rc::clone(world);
    engine.register_fn("clock", move || {
        use chrono::{Datelike, Timelike};
        let now = w.borrow().now;
        let mut map = rhai::Map::new();
        for (key, value) in [
            ("year", i64::from(now.year())),
            ("month", i64::from(now.month())),
            ("day", i64::from(now.day())),
            ("hour", i64::from(now.hour())),
            ("minute", i64::from(now.minute())),
            ("second", i64::from(now.second())),
        ] {
            map.insert(key.into(), Dynamic::from_int(value));
        }
        map
    });
}

/// A sandboxed engine with the screen API: no `eval`, no modules, no output, no clock but
/// the engine's, limits set by [`super::limits::apply`].
#[must_use]
pub fn engine(world: &Rc<RefCell<World>>) -> Engine {
    let mut engine = Engine::new();
    engine.disable_symbol("eval");
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    register_canvas(&mut engine);
    register_colours(&mut engine);
    register_world(&mut engine, world);
    engine
}

/// An engine with no world, for checking that a script compiles (`fun saver --list`).
#[must_use]
pub fn checker() -> Engine {
    use rand::SeedableRng;
    let world = World {
        rng: StdRng::seed_from_u64(0),
        elapsed: 0.0,
        now: chrono::NaiveDateTime::default(),
    };
    let mut engine = engine(&Rc::new(RefCell::new(world)));
    super::limits::apply(&mut engine, None);
    engine
}

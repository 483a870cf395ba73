//! `randtxt`: a word at a random place, fading in, holding, fading out, then elsewhere.
//!
//! The fade is a handful of colour steps from the background towards the accent colour, so a
//! cycle costs a few small rewrites of one word; between steps the engine sleeps (the frame
//! interval is the time to the next step).

use std::time::Duration;

use clap::Parser;
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::color::mix;
use crate::saver::kit::values::{self, ValueError};
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver randtxt                       \"fun\" at random places
  fun saver randtxt -w 'Back in 5 min'    your own text
  fun saver randtxt -w tea -w coffee      one of several, picked at random
  fun saver randtxt -d 1 --fade 0.3       quicker";

/// A word at random places, fading in and out.
#[derive(Debug, Parser)]
#[command(name = "fun saver randtxt", after_help = EXAMPLES)]
pub(crate) struct RandtxtArgs {
    /// The text to show, up to 200 characters (repeat for several, up to 100; one is picked
    /// each time).
    #[arg(short, long = "word", value_name = "TEXT", value_parser = word)]
    pub(crate) words: Vec<String>,

    /// Seconds the text stays fully visible (0-3600).
    #[arg(short, long, default_value_t = 3.0, value_name = "SECONDS",
          value_parser = values::within(0.0f32, 3600.0))]
    pub(crate) delay: f32,

    /// Seconds a fade in or out takes (0-3600).
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS",
          value_parser = values::within(0.0f32, 3600.0))]
    pub(crate) fade: f32,

    /// Seconds of blank screen between two appearances (0-3600).
    #[arg(long, default_value_t = 0.5, value_name = "SECONDS",
          value_parser = values::within(0.0f32, 3600.0))]
    pub(crate) gap: f32,
}

/// Colour steps of a fade.
const STEPS: u8 = 6;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    FadeIn,
    Hold,
    FadeOut,
    Gap,
}

/// The randtxt screen.
pub(crate) struct Randtxt {
    args: RandtxtArgs,
    size: Size,
    phase: Phase,
    /// Seconds spent in the current phase.
    t: f32,
    word: String,
    x: u16,
    y: u16,
}

/// The most `-w` texts.
const MAX_WORDS: usize = 100;

/// One `-w` text: at most 200 characters, not blank; control characters (which would move the
/// cursor behind the engine's back) become spaces.
fn word(text: &str) -> Result<String, ValueError> {
    let word: String = values::text_up_to(200)(text)?
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if word.trim().is_empty() {
        return Err(ValueError::Empty);
    }
    Ok(word)
}

/// Builds the screen from its options.
///
/// # Errors
/// More than 100 texts (a usage error).
pub(crate) fn build(mut args: RandtxtArgs) -> anyhow::Result<Randtxt> {
    if args.words.len() > MAX_WORDS {
        return Err(values::usage_error(&format!(
            "-w/--word: given {} times, at most {MAX_WORDS}",
            args.words.len()
        )));
    }
    if args.words.is_empty() {
        args.words.push("fun".to_string());
    }
    let word = args.words[0].clone();
    Ok(Randtxt {
        args,
        size: Size { width: 0, height: 0 },
        phase: Phase::FadeIn,
        t: 0.0,
        word,
        x: 0,
        y: 0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("randtxt", "a word at random places, fading in and out", build)
}

impl Randtxt {
    fn phase_length(&self, phase: Phase) -> f32 {
        match phase {
            Phase::FadeIn | Phase::FadeOut => self.args.fade,
            Phase::Hold => self.args.delay,
            Phase::Gap => self.args.gap,
        }
    }

    fn place(&mut self, rng: &mut StdRng) {
        self.word = self.args.words[rng.random_range(0..self.args.words.len())].clone();
        let width = crate::saver::kit::paint::text_width(&self.word).min(self.size.width);
        self.x = rng.random_range(0..=self.size.width - width);
        self.y = rng.random_range(0..self.size.height.max(1));
    }

    /// Brightness 0..=STEPS of the text now.
    fn level(&self) -> u8 {
        let len = self.phase_length(self.phase).max(1e-3);
        let progress = (self.t / len).clamp(0.0, 1.0);
        let step = (progress * f32::from(STEPS)).floor() as u8;
        match self.phase {
            Phase::FadeIn => step.min(STEPS),
            Phase::Hold => STEPS,
            Phase::FadeOut => STEPS - step.min(STEPS),
            Phase::Gap => 0,
        }
    }
}

impl Screen for Randtxt {
    /// `--print` shows the word fully faded in.
    fn finished(&self) -> bool {
        matches!(self.phase, Phase::Hold)
    }

    fn min_size(&self) -> Size {
        Size { width: 10, height: 3 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        self.place(rng);
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.t += ctx.dt.as_secs_f32();
        // Several phases can pass in one long step (a suspended process, a huge --speed).
        for _ in 0..4 {
            if self.t < self.phase_length(self.phase) {
                break;
            }
            self.t -= self.phase_length(self.phase);
            self.phase = match self.phase {
                Phase::FadeIn => Phase::Hold,
                Phase::Hold => Phase::FadeOut,
                Phase::FadeOut => Phase::Gap,
                Phase::Gap => {
                    self.place(ctx.rng);
                    Phase::FadeIn
                }
            };
        }
        self.t = self.t.min(self.phase_length(self.phase));
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let level = self.level();
        if level == 0 {
            return;
        }
        let target = theme.accent;
        let color = if level == STEPS {
            target
        } else {
            mix(Color::Rgb(0, 0, 0), target, f32::from(level) / f32::from(STEPS))
        };
        let attrs = if level == STEPS { Attrs::BOLD } else { Attrs::NONE };
        buf.put_str(self.x, self.y, &self.word, Style::fg(color).with_attrs(attrs));
    }

    fn frame_interval(&self) -> Duration {
        let step = match self.phase {
            Phase::FadeIn | Phase::FadeOut => self.args.fade / f32::from(STEPS),
            Phase::Hold | Phase::Gap => self.phase_length(self.phase) - self.t,
        };
        Duration::from_secs_f32(step.clamp(0.02, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use rand::SeedableRng;

    fn run(args: &[&str], seconds: f32) -> (Randtxt, Buffer) {
        let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
        let mut r = build(screen::parse_args::<RandtxtArgs>("randtxt", &args).unwrap()).unwrap();
        let mut rng = StdRng::seed_from_u64(5);
        let size = Size { width: 40, height: 10 };
        r.resize(size, &mut rng);
        let now = chrono::NaiveDateTime::default();
        let steps = (seconds / 0.05) as u32;
        for _ in 0..steps {
            let mut ctx = Ctx {
                rng: &mut rng,
                dt: Duration::from_millis(50),
                elapsed: Duration::ZERO,
                now,
                depth: crate::saver::kit::color::Depth::TrueColor,
            };
            r.update(&mut ctx);
        }
        let mut buf = Buffer::new(40, 10);
        r.draw(&mut buf.canvas(), &Theme::default());
        (r, buf)
    }

    #[test]
    fn fades_in_holds_and_fades_out() {
        let (r, buf) = run(&["-w", "hello"], 0.5);
        assert_eq!(r.phase, Phase::FadeIn);
        assert!(buf.to_text().contains("hello"));
        let (r, buf) = run(&["-w", "hello"], 2.0);
        assert_eq!(r.phase, Phase::Hold);
        assert!(buf.to_text().contains("hello"));
        let (r, buf) = run(&["-w", "hello"], 4.9);
        assert_eq!(r.phase, Phase::FadeOut);
        assert!(buf.to_text().contains("hello"));
    }

    #[test]
    fn moves_after_a_cycle() {
        let (a, _) = run(&["-w", "x"], 0.5);
        let (b, _) = run(&["-w", "x"], 6.0);
        assert_eq!(b.phase, Phase::FadeIn);
        assert_ne!((a.x, a.y), (b.x, b.y));
    }

    #[test]
    fn text_is_sanitised_and_validated() {
        let (_, buf) = run(&["-w", "a\x1b[2Jb"], 2.0);
        assert!(buf.to_text().contains("a [2Jb"));
        let args: Vec<String> = vec!["-w".into(), " ".into()];
        assert!(screen::parse_args::<RandtxtArgs>("randtxt", &args).is_err());
        let many: Vec<String> = (0..=MAX_WORDS).flat_map(|i| ["-w".into(), format!("w{i}")]).collect();
        let err = build(screen::parse_args::<RandtxtArgs>("randtxt", &many).unwrap()).err();
        let err = err.expect("too many words");
        assert!(err.downcast_ref::<clap::Error>().is_some_and(clap::Error::use_stderr), "{err}");
    }
}

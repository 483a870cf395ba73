//! [`Rotation`]: a screen that shows other screens in turn. It gives each its own time since it
//! became current (so a clock's drift and an animation's state are its own), advances by real
//! time (`--every` is wall time whatever `--speed` says), and during a transition updates and
//! draws both screens and lets the dissolve pick each cell.

use std::cell::RefCell;
use std::time::Duration;

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::dissolve::{self, Dissolve};
use crate::saver::kit::buffer::Buffer;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::screen::{Ctx, KeyAction, Screen, Size, Theme};

pub(crate) fn order(len: usize, shuffle: bool, rng: &mut impl rand::Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    if shuffle {
        order.shuffle(rng);
    }
    order
}

/// How one screen gives way to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Transition {
    /// Cells change to the next screen in random order over about a second.
    #[default]
    Dissolve,
    /// The next screen replaces the last at once.
    None,
}

/// One screen of a plan: its name and its own options.
pub(crate) type Entry = Vec<String>;

/// Builds the screen of an entry (the registry and the config's screen defaults are behind it).
pub(crate) type Maker = Box<dyn FnMut(&Entry) -> anyhow::Result<Box<dyn Screen>>>;

/// How a rotation plays.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pace {
    pub(crate) every: Duration,
    pub(crate) shuffle: bool,
    pub(crate) random: bool,
    pub(crate) transition: Transition,
    /// `--speed`: the time step screens see is scaled by it, the rotation's is not.
    pub(crate) speed: f64,
}

/// A screen being shown, with its own clock.
struct Live {
    index: usize,
    screen: Box<dyn Screen>,
    elapsed: Duration,
}

/// Screens in turn.
pub(crate) struct Rotation {
    entries: Vec<Entry>,
    make: Maker,
    pace: Pace,
    order: Vec<usize>,
    pos: usize,
    /// Screens built before, kept for their next turn (each keeps its state).
    parked: Vec<Option<Box<dyn Screen>>>,
    current: Live,
    next: Option<(Live, Dissolve)>,
    /// Real time since the current screen came.
    since: Duration,
    size: Size,
    scratch: RefCell<Buffer>,
}

impl Rotation {
    /// A rotation over `entries` (at least one), starting with `first`, the screen of
    /// `entries[order[0]]`, already built by the caller so that its errors come before the
    /// terminal is taken.
    pub(crate) fn new(
        entries: Vec<Entry>,
        order: Vec<usize>,
        first: Box<dyn Screen>,
        make: Maker,
        pace: Pace,
    ) -> Rotation {
        let parked = entries.iter().map(|_| None).collect();
        let index = order.first().copied().unwrap_or(0);
        Rotation {
            entries,
            make,
            pace,
            order,
            pos: 0,
            parked,
            current: Live { index, screen: first, elapsed: Duration::ZERO },
            next: None,
            since: Duration::ZERO,
            size: Size { width: 0, height: 0 },
            scratch: RefCell::new(Buffer::new(0, 0)),
        }
    }

    /// The index of the entry to play after the current one.
    fn pick(&mut self, rng: &mut StdRng) -> usize {
        let len = self.entries.len();
        if self.pace.random {
            if len < 2 {
                return 0;
            }
            let pick = rng.random_range(0..len - 1);
            return if pick >= self.current.index { pick + 1 } else { pick };
        }
        self.pos += 1;
        if self.pos >= self.order.len() {
            self.pos = 0;
            if self.pace.shuffle {
                self.order = order(len, true, rng);
                if len > 1 && self.order[0] == self.current.index {
                    self.order.swap(0, 1);
                }
            }
        }
        self.order[self.pos]
    }

    /// The screen for `index`: the parked one, or a new one (`None` when it cannot be built
    /// or does not fit the terminal).
    fn bring(&mut self, index: usize, rng: &mut StdRng) -> Option<Box<dyn Screen>> {
        let mut screen = match self.parked[index].take() {
            Some(screen) => screen,
            None => (self.make)(&self.entries[index]).ok()?,
        };
        let min = screen.min_size();
        if self.size.width < min.width || self.size.height < min.height {
            self.parked[index] = Some(screen);
            return None;
        }
        screen.resize(self.size, rng);
        Some(screen)
    }

    /// Starts the change to the next screen that can be shown (stays when none can).
    fn advance(&mut self, rng: &mut StdRng) {
        self.since = Duration::ZERO;
        for _ in 0..self.entries.len() {
            let index = self.pick(rng);
            if index == self.current.index && self.entries.len() > 1 {
                continue;
            }
            let Some(screen) = self.bring(index, rng) else { continue };
            let live = Live { index, screen, elapsed: Duration::ZERO };
            match self.pace.transition {
                Transition::Dissolve => self.next = Some((live, Dissolve::new(self.size, rng))),
                Transition::None => self.replace(live),
            }
            return;
        }
    }

    /// Makes `live` the current screen and parks the old one.
    fn replace(&mut self, live: Live) {
        let old = std::mem::replace(&mut self.current, live);
        self.parked[old.index] = Some(old.screen);
        self.since = Duration::ZERO;
    }

    fn real(&self, dt: Duration) -> Duration {
        dt.div_f64(self.pace.speed.max(0.01))
    }
}

fn update_live(live: &mut Live, ctx: &mut Ctx<'_>) {
    live.elapsed += ctx.dt;
    let mut own =
        Ctx { rng: ctx.rng, dt: ctx.dt, elapsed: live.elapsed, now: ctx.now, depth: ctx.depth };
    live.screen.update(&mut own);
}

impl Screen for Rotation {
    fn min_size(&self) -> Size {
        let mut min = self.current.screen.min_size();
        if let Some((next, _)) = &self.next {
            let other = next.screen.min_size();
            min = Size { width: min.width.max(other.width), height: min.height.max(other.height) };
        }
        min
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        self.size = size;
        self.current.screen.resize(size, rng);
        if let Some((next, dissolve)) = &mut self.next {
            next.screen.resize(size, rng);
            dissolve.resize(size, rng);
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let real = self.real(ctx.dt);
        self.since += real;
        update_live(&mut self.current, ctx);
        if let Some((next, dissolve)) = &mut self.next {
            update_live(next, ctx);
            if dissolve.advance(real)
                && let Some((next, _)) = self.next.take()
            {
                self.replace(next);
            }
        } else if (self.since >= self.pace.every || self.current.screen.stopped())
            && self.entries.len() > 1
        {
            self.advance(ctx.rng);
        }
    }

    fn draw(&self, canvas: &mut Canvas<'_>, theme: &Theme) {
        self.current.screen.draw(canvas, theme);
        let buf = canvas.buffer();
        if let Some((next, dissolve)) = &self.next {
            let mut scratch = self.scratch.borrow_mut();
            if scratch.width() != buf.width() || scratch.height() != buf.height() {
                scratch.resize(buf.width(), buf.height());
            } else {
                scratch.clear();
            }
            next.screen.draw(&mut scratch.canvas(), theme);
            dissolve.compose(buf, &scratch);
        }
    }

    fn key(&mut self, key: u8) -> KeyAction {
        self.current.screen.key(key)
    }

    fn take_bell(&mut self) -> bool {
        self.current.screen.take_bell()
    }

    fn ready(&mut self) -> bool {
        self.current.screen.ready()
    }

    fn next_screen(&mut self, rng: &mut StdRng) -> bool {
        if self.entries.len() < 2 {
            return false;
        }
        // A change under way ends at once: the next key press goes one further.
        if let Some((next, _)) = self.next.take() {
            self.replace(next);
        }
        self.advance(rng);
        true
    }

    fn showing(&self) -> Option<&str> {
        let live = self.next.as_ref().map_or(&self.current, |(next, _)| next);
        self.entries[live.index].first().map(String::as_str)
    }

    fn frame_interval(&self) -> Duration {
        let own = self.current.screen.frame_interval();
        match &self.next {
            Some((next, _)) => own.min(next.screen.frame_interval()).min(dissolve::FRAME),
            None if self.entries.len() > 1 => {
                let left = self.pace.every.saturating_sub(self.since);
                own.min(left.max(Duration::from_millis(1)))
            }
            None => own,
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::saver::kit::buffer::Style;

    /// Draws its name.
    struct Named(String);

    impl Screen for Named {
        fn resize(&mut self, _: Size, _: &mut StdRng) {}
        fn update(&mut self, _: &mut Ctx<'_>) {}
        fn draw(&self, buf: &mut Canvas<'_>, _: &Theme) {
            buf.put_str(0, 0, &self.0, Style::default());
        }
    }

    fn rotation(names: &[&str], transition: Transition) -> Rotation {
        let entries: Vec<Entry> = names.iter().map(|n| vec![(*n).to_owned()]).collect();
        let make: Maker = Box::new(|entry: &Entry| Ok(Box::new(Named(entry[0].clone())) as _));
        let pace = Pace {
            every: Duration::from_secs(60),
            shuffle: false,
            random: false,
            transition,
            speed: 1.0,
        };
        let first = Box::new(Named(names[0].to_owned()));
        let mut rotation =
            Rotation::new(entries, order(names.len(), false, &mut rng()), first, make, pace);
        rotation.resize(Size { width: 20, height: 5 }, &mut rng());
        rotation
    }

    fn rng() -> StdRng {
        StdRng::seed_from_u64(1)
    }

    #[test]
    fn next_screen_goes_round_in_order() {
        let mut r = rotation(&["a", "b", "c"], Transition::None);
        assert_eq!(r.showing(), Some("a"));
        for expected in ["b", "c", "a", "b"] {
            assert!(r.next_screen(&mut rng()));
            assert_eq!(r.showing(), Some(expected));
        }
    }

    #[test]
    fn next_screen_during_a_dissolve_ends_it_and_moves_one_further() {
        let mut r = rotation(&["a", "b", "c"], Transition::Dissolve);
        assert!(r.next_screen(&mut rng()));
        assert!(r.next.is_some(), "dissolving into b");
        assert_eq!(r.showing(), Some("b"));
        assert!(r.next_screen(&mut rng()));
        assert_eq!(r.current.index, 1, "b is current");
        assert_eq!(r.showing(), Some("c"));
    }

    #[test]
    fn a_rotation_of_one_has_no_next_screen() {
        let mut r = rotation(&["a"], Transition::None);
        assert!(!r.next_screen(&mut rng()));
        assert_eq!(r.showing(), Some("a"));
    }
}

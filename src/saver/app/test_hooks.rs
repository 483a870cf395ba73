//! Hooks that exist only in test builds (`cargo build --features test-hooks`, which
//! .ci/checks/saver.sh uses): the shipped binary has no way to misbehave on request.

use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::screen::{Ctx, Screen, Size, Theme};

/// Panics after a number of frames (`--test-panic-after N`), to prove in a real terminal that
/// the panic hook restores it before the report is printed.
pub(crate) struct PanicAfter {
    pub(crate) inner: Box<dyn Screen>,
    pub(crate) frames: u32,
}

impl Screen for PanicAfter {
    fn min_size(&self) -> Size {
        self.inner.min_size()
    }
    fn resize(&mut self, size: Size, rng: &mut rand::rngs::StdRng) {
        self.inner.resize(size, rng);
    }
    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.frames = self.frames.saturating_sub(1);
        assert!(self.frames > 0, "--test-panic-after: deliberate panic");
        self.inner.update(ctx);
    }
    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        self.inner.draw(buf, theme);
    }
    fn frame_interval(&self) -> std::time::Duration {
        self.inner.frame_interval()
    }
}

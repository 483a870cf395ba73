//! "hello" crossing the screen: a screen against the screen API alone (docs/writing-a-screen.md).
use fun::saver::kit::prelude::*;

/// The screen: its options (parsed by clap from the words after `fun saver hello`), then state.
#[derive(clap::Parser)]
struct Hello {
    /// Speed factor, 0.1-10.
    #[arg(long, default_value_t = 1.0, value_parser = within(0.1f32, 10.0))]
    speed: f32,
    #[arg(skip)]
    x: f32,
    #[arg(skip = Size { width: 1, height: 1 })]
    size: Size,
}
impl Screen for Hello {
    fn resize(&mut self, size: Size, _: &mut StdRng) {
        self.size = size;
    }
    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.x = (self.x + ctx.dt.as_secs_f32() * 10.0 * self.speed) % f32::from(self.size.width);
    }
    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        buf.put_str(self.x as u16, self.size.height / 2, "hello", Style::fg(theme.primary));
    }
}
fn frame(args: &[String], frames: u32) -> anyhow::Result<String> {
    let info = builtin_info("hello", "a word crossing the screen", |hello: Hello| Ok(hello));
    let mut hello = (info.make)(args)?;
    Ok(testing::run_frames(hello.as_mut(), Size { width: 30, height: 3 }, frames, 0.1, 1).to_text())
}
fn main() -> anyhow::Result<()> {
    frame(&[], 12).map(|text| print!("{text}"))
}
#[test]
fn hello_moves_ten_cells_a_second_and_refuses_a_speed_out_of_range() {
    let column = |frames| frame(&[], frames).ok()?.lines().nth(1)?.find("hello");
    assert_eq!((column(1), column(5)), (Some(1), Some(5)));
    assert!(frame(&["--speed".into(), "11".into()], 1).is_err());
}

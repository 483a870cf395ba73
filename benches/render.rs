//! Frame time of the saver's render pipeline: update, draw, colour mapping, diff and encoding of
//! one typical frame, without a terminal (`cargo bench --bench render`).
//!
//! Matrix at 120x40 (the size every figure in docs/maintainers/performance.md uses) and 400x120
//! (a full-screen 4K terminal), hot (frame after frame) and cold (caches filled with other data before each
//! frame, as in a real run), and the clock (one frame a second). Each benchmark first runs the screen for a
//! while so the rain fills the screen, then times one frame per iteration, each frame advancing
//! the screen by its own frame interval (40 ms for matrix, to the next second for the clock).
//! The real frame loop adds one `poll` and one `write` per frame; benches/saver.sh measures
//! those too, in a terminal, against cmatrix, rusty-rain and tty-clock.

use divan::Bencher;
use fun::saver::pipeline::Pipeline;

fn main() {
    divan::main();
}

/// A pipeline that has run for `warm` frames.
fn warmed(args: &[&str], width: u16, height: u16, warm: usize) -> Pipeline {
    let mut pipeline = Pipeline::new(args, width, height).expect("the screen builds");
    for _ in 0..warm {
        pipeline.frame();
    }
    pipeline
}

#[divan::bench(args = [(120, 40), (400, 120)])]
fn matrix(bencher: Bencher, (width, height): (u16, u16)) {
    let mut pipeline = warmed(&["matrix"], width, height, 100);
    bencher.bench_local(|| pipeline.frame());
}

/// The same frame after other work has filled the caches, as in a real run, where other
/// programs run in the 50 ms between two frames: what the frame costs in memory traffic.
#[divan::bench(args = [(120, 40), (400, 120)])]
fn matrix_cold(bencher: Bencher, (width, height): (u16, u16)) {
    let mut pipeline = warmed(&["matrix"], width, height, 100);
    let mut other = vec![0u8; 64 << 20];
    bencher
        .with_inputs(|| {
            for line in other.chunks_mut(64) {
                line[0] = line[0].wrapping_add(1);
            }
        })
        .bench_local_values(|()| pipeline.frame());
}

#[divan::bench]
fn clock(bencher: Bencher) {
    let mut pipeline = warmed(&["clock"], 120, 40, 3);
    bencher.bench_local(|| pipeline.frame());
}

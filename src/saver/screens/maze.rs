//! `maze`: a maze is carved step by step, then solved step by step, then the next one.
//!
//! The maze is a grid of cells joined by passages; each cell is two characters wide (cells are
//! twice as tall as wide, so this keeps it square), with walls of the same size between them.
//! Three carving algorithms, each shown as it works: the recursive backtracker (long winding
//! corridors), Prim's (many short branches growing from a frontier) and Kruskal's (passages
//! appearing everywhere, joining separate regions). All three make a perfect maze: every cell is
//! reachable and there is exactly one path between two cells. The solver is a breadth-first
//! search from the top-left cell, whose explored cells spread like a flood, and then the path to
//! the bottom-right cell is traced back.

use std::collections::VecDeque;

use clap::{Parser, ValueEnum};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::saver::kit::paint;
use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Color, Style};
use crate::saver::kit::color::mix;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver maze                      a new maze and its solution, again and again
  fun saver maze -a backtracker       long winding corridors
  fun saver maze -a kruskal -r 3      three times as fast
  fun saver maze --theme ice          in cold colours";

/// Carves mazes with several algorithms and solves them, step by step.
#[derive(Debug, Parser)]
#[command(name = "fun saver maze", after_help = EXAMPLES)]
pub(crate) struct MazeArgs {
    /// Carving algorithm (any: a different one each time).
    #[arg(short, long, value_enum, default_value = "any")]
    pub(crate) algorithm: Algorithm,

    /// Speed factor (0.1-10): 1 carves a maze in about 12 s and solves it in about 8 s.
    #[arg(short, long, default_value_t = 1.0, value_name = "0.1-10", value_parser = values::within(0.1f32, 10.0))]
    pub(crate) rate: f32,

    /// Seconds to show the solved maze before the next one (0-60).
    #[arg(short, long, default_value_t = 4.0, value_name = "SECONDS", value_parser = values::within(0.0f32, 60.0))]
    pub(crate) pause: f32,
}

/// Carving algorithms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Algorithm {
    Any,
    Backtracker,
    Prim,
    Kruskal,
}

/// Passage bits of a cell: up, right, down, left.
const DIRS: [(i32, i32, u8); 4] = [(0, -1, 1), (1, 0, 2), (0, 1, 4), (-1, 0, 8)];

/// A maze of `width x height` cells; `open[i]` holds the passage bits of cell i.
#[derive(Clone, Debug, Default)]
pub(crate) struct Grid {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) open: Vec<u8>,
}

impl Grid {
    fn new(width: usize, height: usize) -> Grid {
        Grid { width, height, open: vec![0; width * height] }
    }

    fn neighbour(&self, cell: usize, dir: usize) -> Option<usize> {
        let (x, y) = ((cell % self.width) as i32, (cell / self.width) as i32);
        let (dx, dy, _) = DIRS[dir];
        let (nx, ny) = (x + dx, y + dy);
        let inside = nx >= 0 && ny >= 0 && nx < self.width as i32 && ny < self.height as i32;
        inside.then(|| ny as usize * self.width + nx as usize)
    }

    /// Opens the passage from `cell` in direction `dir` (both sides).
    fn carve(&mut self, cell: usize, dir: usize) {
        if let Some(other) = self.neighbour(cell, dir) {
            self.open[cell] |= DIRS[dir].2;
            self.open[other] |= DIRS[(dir + 2) % 4].2;
        }
    }

    /// The cells reachable through a passage from `cell`.
    pub(crate) fn passages(&self, cell: usize) -> impl Iterator<Item = usize> + '_ {
        (0..4)
            .filter(move |&d| self.open[cell] & DIRS[d].2 != 0)
            .filter_map(move |d| self.neighbour(cell, d))
    }
}

/// A carving algorithm in progress.
#[derive(Clone, Debug)]
enum Carver {
    Backtracker { stack: Vec<usize>, visited: Vec<bool> },
    Prim { frontier: Vec<(usize, usize)>, visited: Vec<bool> },
    Kruskal { edges: Vec<(usize, usize)>, parent: Vec<usize> },
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

impl Carver {
    fn new(kind: Algorithm, grid: &Grid, rng: &mut StdRng) -> Carver {
        let n = grid.open.len();
        let start = rng.random_range(0..n);
        match kind {
            Algorithm::Prim => {
                let mut visited = vec![false; n];
                visited[start] = true;
                let frontier = (0..4).filter(|&d| grid.neighbour(start, d).is_some());
                let frontier = frontier.map(|d| (start, d)).collect();
                Carver::Prim { frontier, visited }
            }
            Algorithm::Kruskal => {
                let mut edges: Vec<(usize, usize)> = (0..n)
                    .flat_map(|c| [(c, 1), (c, 2)])
                    .filter(|&(c, d)| grid.neighbour(c, d).is_some())
                    .collect();
                edges.shuffle(rng);
                Carver::Kruskal { edges, parent: (0..n).collect() }
            }
            Algorithm::Backtracker | Algorithm::Any => {
                let mut visited = vec![false; n];
                visited[start] = true;
                Carver::Backtracker { stack: vec![start], visited }
            }
        }
    }

    /// One step (one passage carved, or one dead end backed out of). Returns false when done.
    fn step(&mut self, grid: &mut Grid, rng: &mut StdRng) -> bool {
        match self {
            Carver::Backtracker { stack, visited } => {
                let Some(&top) = stack.last() else { return false };
                let fresh: Vec<usize> = (0..4)
                    .filter(|&d| grid.neighbour(top, d).is_some_and(|n| !visited[n]))
                    .collect();
                if fresh.is_empty() {
                    stack.pop();
                } else {
                    let d = fresh[rng.random_range(0..fresh.len())];
                    grid.carve(top, d);
                    let next = grid.neighbour(top, d).unwrap_or(top);
                    visited[next] = true;
                    stack.push(next);
                }
                !stack.is_empty()
            }
            Carver::Prim { frontier, visited } => {
                while !frontier.is_empty() {
                    let (cell, d) = frontier.swap_remove(rng.random_range(0..frontier.len()));
                    let Some(next) = grid.neighbour(cell, d) else { continue };
                    if visited[next] {
                        continue;
                    }
                    grid.carve(cell, d);
                    visited[next] = true;
                    for nd in 0..4 {
                        if grid.neighbour(next, nd).is_some_and(|n| !visited[n]) {
                            frontier.push((next, nd));
                        }
                    }
                    return true;
                }
                false
            }
            Carver::Kruskal { edges, parent } => {
                while let Some((cell, d)) = edges.pop() {
                    let Some(other) = grid.neighbour(cell, d) else { continue };
                    let (a, b) = (find(parent, cell), find(parent, other));
                    if a != b {
                        parent[a] = b;
                        grid.carve(cell, d);
                        return true;
                    }
                }
                false
            }
        }
    }

    /// The cell being worked on, highlighted while carving.
    fn head(&self) -> Option<usize> {
        match self {
            Carver::Backtracker { stack, .. } => stack.last().copied(),
            _ => None,
        }
    }
}

/// Breadth-first search from cell 0, one cell expanded per step.
#[derive(Clone, Debug)]
struct Solver {
    queue: VecDeque<usize>,
    came_from: Vec<Option<usize>>,
    seen: Vec<bool>,
}

impl Solver {
    fn new(n: usize) -> Solver {
        let mut seen = vec![false; n];
        seen[0] = true;
        Solver { queue: VecDeque::from([0]), came_from: vec![None; n], seen }
    }

    /// Expands one cell; returns false once the goal (the last cell) is reached.
    fn step(&mut self, grid: &Grid) -> bool {
        let goal = grid.open.len() - 1;
        let Some(cell) = self.queue.pop_front() else { return false };
        if cell == goal {
            return false;
        }
        for next in grid.passages(cell) {
            if !self.seen[next] {
                self.seen[next] = true;
                self.came_from[next] = Some(cell);
                self.queue.push_back(next);
            }
        }
        true
    }

    /// The path from the start to the goal (start first), once found.
    fn path(&self, goal: usize) -> Vec<usize> {
        let mut path = vec![goal];
        let mut at = goal;
        while let Some(prev) = self.came_from[at] {
            path.push(prev);
            at = prev;
        }
        path.reverse();
        path
    }
}

#[derive(Clone, Debug)]
enum Phase {
    Carving(Carver),
    Solving(Solver),
    /// Tracing the path: how many of its cells are shown.
    Tracing(Solver, Vec<usize>, usize),
    Showing(Solver, Vec<usize>, f32),
}

/// The maze screen.
pub(crate) struct Maze {
    args: MazeArgs,
    grid: Grid,
    phase: Phase,
    debt: f32,
    /// How many mazes were started (the algorithm rotates with `any`).
    pub(crate) count: usize,
}

/// Builds the screen from its options.
///
/// # Errors
/// Out-of-range numbers.
pub(crate) fn build(args: MazeArgs) -> anyhow::Result<Maze> {
    Ok(Maze {
        args,
        grid: Grid::default(),
        phase: Phase::Solving(Solver::new(1)),
        debt: 0.0,
        count: 0,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("maze", "mazes carved and then solved, step by step", build)
}

impl Maze {
    fn start(&mut self, rng: &mut StdRng) {
        self.grid = Grid::new(self.grid.width, self.grid.height);
        let kind = match self.args.algorithm {
            Algorithm::Any => {
                [Algorithm::Backtracker, Algorithm::Prim, Algorithm::Kruskal][self.count % 3]
            }
            kind => kind,
        };
        self.count += 1;
        self.phase = Phase::Carving(Carver::new(kind, &self.grid, rng));
    }

    /// Steps per second for the current phase, so a maze of any size takes about as long.
    fn rate(&self) -> f32 {
        let cells = self.grid.open.len() as f32;
        let seconds = match self.phase {
            Phase::Carving(Carver::Backtracker { .. }) => 24.0, // it also walks back
            Phase::Carving(_) => 12.0,
            Phase::Solving(_) => 8.0,
            Phase::Tracing(..) => 3.0,
            Phase::Showing(..) => return 10.0,
        };
        let work = match self.phase {
            Phase::Tracing(_, ref path, _) => path.len() as f32,
            _ => cells,
        };
        (work / seconds * self.args.rate).max(1.0)
    }

    fn step(&mut self, rng: &mut StdRng) {
        let phase = std::mem::replace(&mut self.phase, Phase::Solving(Solver::new(1)));
        self.phase = match phase {
            Phase::Carving(mut carver) => {
                if carver.step(&mut self.grid, rng) {
                    Phase::Carving(carver)
                } else {
                    Phase::Solving(Solver::new(self.grid.open.len()))
                }
            }
            Phase::Solving(mut solver) => {
                if solver.step(&self.grid) {
                    Phase::Solving(solver)
                } else {
                    let path = solver.path(self.grid.open.len() - 1);
                    Phase::Tracing(solver, path, 0)
                }
            }
            Phase::Tracing(solver, path, shown) if shown < path.len() => {
                Phase::Tracing(solver, path, shown + 1)
            }
            Phase::Tracing(solver, path, _) => Phase::Showing(solver, path, 0.0),
            Phase::Showing(solver, path, t) => {
                if t < self.args.pause {
                    Phase::Showing(solver, path, t + 0.1)
                } else {
                    self.start(rng);
                    return;
                }
            }
        };
    }

    /// Paints one unit (two cells wide) of the layout at layout column `ux`, row `y`.
    fn paint(buf: &mut Canvas<'_>, ux: usize, y: usize, ch: char, style: Style) {
        let (x, y) = ((2 * ux) as u16, y as u16);
        buf.put_char(x, y, ch, style);
        buf.put_char(x + 1, y, ch, style);
    }
}

impl Screen for Maze {
    /// `--print` shows the maze carved and solved, its path traced.
    fn print_after(&self) -> std::time::Duration {
        std::time::Duration::from_secs(600)
    }

    fn finished(&self) -> bool {
        matches!(self.phase, Phase::Showing(..))
    }

    fn min_size(&self) -> Size {
        Size { width: 10, height: 5 }
    }

    fn resize(&mut self, size: Size, rng: &mut StdRng) {
        // Layout units are two cells wide; the maze takes every other unit, walls between.
        let units = usize::from(size.width) / 2;
        let (w, h) = ((units - 1) / 2, (usize::from(size.height) - 1) / 2);
        self.grid = Grid::new(w.max(1), h.max(1));
        self.count = 0;
        self.start(rng);
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.debt += ctx.dt.as_secs_f32().min(0.5) * self.rate();
        // A phase change alters the rate; a few hundred steps per frame at most.
        let mut budget = 5000;
        while self.debt >= 1.0 && budget > 0 {
            self.debt -= 1.0;
            budget -= 1;
            self.step(ctx.rng);
        }
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let color = paint::has_color(theme.depth);
        let (w, h) = (self.grid.width, self.grid.height);
        let block = |c: Color| Style { bg: c, ..Style::default() };
        let (wall, wall_ch) =
            if color { (block(theme.dim), ' ') } else { (Style::default(), '█') };
        let (seen, trail, head) = if color {
            (
                (' ', block(mix(theme.primary, Color::Rgb(0, 0, 0), 0.7))),
                (' ', block(theme.primary)),
                (' ', block(theme.accent)),
            )
        } else {
            (('·', Style::default()), ('▒', Style::default()), ('▓', Style::default()))
        };
        // Walls everywhere first; passages and cells are cut out of them.
        for y in 0..=2 * h {
            for ux in 0..=2 * w {
                Maze::paint(buf, ux, y, wall_ch, wall);
            }
        }
        let (solver, path) = match &self.phase {
            Phase::Solving(s) => (Some(s), &[][..]),
            Phase::Tracing(s, p, n) => (Some(s), &p[..*n]),
            Phase::Showing(s, p, _) => (Some(s), &p[..]),
            Phase::Carving(_) => (None, &[][..]),
        };
        let head_cell = match &self.phase {
            Phase::Carving(c) => c.head(),
            _ => None,
        };
        let on_path = |c: usize| path.contains(&c);
        for cell in 0..w * h {
            let carved = self.grid.open[cell] != 0 || w * h == 1;
            if !carved {
                continue;
            }
            let (cx, cy) = (2 * (cell % w) + 1, 2 * (cell / w) + 1);
            let explored = solver.is_some_and(|s| s.seen[cell]);
            let (ch, style) = if Some(cell) == head_cell {
                head
            } else if on_path(cell) {
                trail
            } else if explored {
                seen
            } else {
                (' ', Style::default())
            };
            Maze::paint(buf, cx, cy, ch, style);
            // The passages to the right and down (each passage is painted once).
            for (d, dx, dy) in [(1usize, 1, 0), (2, 0, 1)] {
                if self.grid.open[cell] & DIRS[d].2 == 0 {
                    continue;
                }
                let next = self.grid.neighbour(cell, d).unwrap_or(cell);
                let (ch, style) = if on_path(cell) && on_path(next) {
                    trail
                } else if explored && solver.is_some_and(|s| s.seen[next]) {
                    seen
                } else {
                    (' ', Style::default())
                };
                Maze::paint(buf, cx + dx, cy + dy, ch, style);
            }
        }
    }

    fn frame_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(50)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn carve(kind: Algorithm, w: usize, h: usize, seed: u64) -> Grid {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut grid = Grid::new(w, h);
        let mut carver = Carver::new(kind, &grid, &mut rng);
        let mut steps = 0;
        while carver.step(&mut grid, &mut rng) {
            steps += 1;
            assert!(steps < 10 * w * h, "{kind:?} does not finish");
        }
        grid
    }

    /// A perfect maze: every cell reachable from cell 0, and exactly cells-1 passages.
    fn assert_perfect(grid: &Grid) {
        let n = grid.open.len();
        let mut seen = vec![false; n];
        let mut stack = vec![0];
        seen[0] = true;
        while let Some(c) = stack.pop() {
            for next in grid.passages(c) {
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
        assert!(seen.iter().all(|&s| s), "not connected");
        let passages: u32 = grid.open.iter().map(|o| o.count_ones()).sum();
        assert_eq!(passages as usize, 2 * (n - 1), "a tree has cells-1 passages");
    }

    #[test]
    fn every_algorithm_makes_a_perfect_maze() {
        for kind in [Algorithm::Backtracker, Algorithm::Prim, Algorithm::Kruskal] {
            for (w, h, seed) in [(1, 1, 1), (2, 1, 2), (7, 5, 3), (30, 12, 4)] {
                assert_perfect(&carve(kind, w, h, seed));
            }
        }
    }

    #[test]
    fn the_solution_is_a_valid_path_from_start_to_goal() {
        for kind in [Algorithm::Backtracker, Algorithm::Prim, Algorithm::Kruskal] {
            let grid = carve(kind, 25, 9, 7);
            let mut solver = Solver::new(grid.open.len());
            while solver.step(&grid) {}
            let goal = grid.open.len() - 1;
            let path = solver.path(goal);
            assert_eq!((path[0], path[path.len() - 1]), (0, goal));
            for pair in path.windows(2) {
                assert!(grid.passages(pair[0]).any(|n| n == pair[1]), "{pair:?} not joined");
            }
            let unique: std::collections::HashSet<_> = path.iter().collect();
            assert_eq!(unique.len(), path.len(), "no cell twice");
        }
    }

    #[test]
    fn the_screen_carves_solves_and_starts_again() {
        let mut maze = build(crate::saver::kit::testing::args("maze", &["-r", "10", "-p", "0"])).expect("valid");
        let size = Size { width: 40, height: 13 };
        let buf = crate::saver::kit::testing::run_frames(&mut maze, size, 25, 0.1, 5);
        assert_eq!((maze.grid.width, maze.grid.height), (9, 6));
        assert!(maze.count >= 1);
        // The border is wall all round (background-coloured blanks).
        for x in 0..38 {
            assert_ne!(buf.get(x, 0).expect("cell").style.bg, Color::Reset, "top at {x}");
            assert_ne!(buf.get(x, 12).expect("cell").style.bg, Color::Reset, "bottom at {x}");
        }
        let _ = crate::saver::kit::testing::run_frames(&mut maze, size, 400, 0.1, 5);
        assert!(maze.count >= 2, "a new maze after the first is solved");
    }

    #[test]
    fn solved_maze_shows_the_path_in_characters_without_colour() {
        let mut maze = build(crate::saver::kit::testing::args("maze", &["-r", "10", "-p", "30"])).expect("valid");
        let size = Size { width: 30, height: 11 };
        let buf = crate::saver::kit::testing::run_frames_at(&mut maze, size, (60, 0.1, 8), crate::saver::kit::color::Depth::Mono);
        assert!(matches!(maze.phase, Phase::Showing(..)), "solved by now");
        let text = buf.to_text();
        assert!(text.contains('█') && text.contains('▒'), "{text}");
        // The path starts at the top-left cell and ends at the bottom-right one.
        let rows: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
        assert_eq!(rows[1][2], '▒', "{text}");
        let (gx, gy) = (2 * (2 * maze.grid.width - 1) + 1, 2 * maze.grid.height - 1);
        assert_eq!(rows[gy][gx], '▒', "{text}");
    }

    #[test]
    fn bad_options() {
        for bad in [&["-r", "0"][..], &["-p", "100"]] {
            assert!(crate::saver::kit::testing::refused("maze", bad, build), "{bad:?}");
        }
    }
}

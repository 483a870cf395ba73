//! `maze`: a maze is carved step by step, then solved step by step, then the next one.
//!
//! The maze is a grid of cells joined by passages, drawn as thin walls of box-drawing lines in
//! the theme's colour on the terminal's own background: each cell is three columns between two
//! walls and one row between two wall rows (cells are twice as tall as wide, so this keeps it
//! about square), centred with even margins all round.
//! Three carving algorithms, each shown as it works: the recursive backtracker (long winding
//! corridors), Prim's (many short branches growing from a frontier) and Kruskal's (passages
//! appearing everywhere, joining separate regions). All three make a perfect maze: every cell is
//! reachable and there is exactly one path between two cells. The solver is a breadth-first
//! search from the top-left cell, whose explored cells spread like a flood, and then the path to
//! the bottom-right cell is traced back; explored cells show a faint dot, the path a ribbon of
//! colour (`▒` without colour).

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
    /// The maze's top-left corner on screen (the margins).
    origin: (u16, u16),
}

/// The least margin round the maze: columns at the sides, rows at the top and bottom (columns
/// are about half as wide as rows are tall, so these look alike).
const MARGIN: (usize, usize) = (2, 1);

/// Box-drawing characters for a wall post, by which of its arms are walls (up, right, down,
/// left as bits 1, 2, 4, 8).
const POSTS: [char; 16] =
    [' ', '╵', '╶', '└', '╷', '│', '┌', '├', '╴', '┘', '─', '┴', '┐', '┤', '┬', '┼'];

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
        origin: (0, 0),
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

    /// Whether the wall between cell (x, y) and its neighbour in `dir` is standing; the border
    /// (outside the grid) is always wall.
    fn wall(&self, x: usize, y: usize, dir: usize) -> bool {
        let (w, h) = (self.grid.width, self.grid.height);
        if x >= w || y >= h {
            return true;
        }
        self.grid.open[y * w + x] & DIRS[dir].2 == 0
    }

    /// The box-drawing character of the post at the corner (px, py) (px in 0..=width).
    fn post(&self, px: usize, py: usize) -> char {
        let (w, h) = (self.grid.width, self.grid.height);
        // The wall going up from the post lies between cells (px-1, py-1) and (px, py-1).
        let vertical = |row: Option<usize>| match row {
            Some(y) if y < h => px == 0 || px == w || self.wall(px - 1, y, 1),
            _ => false,
        };
        let horizontal = |col: Option<usize>| match col {
            Some(x) if x < w => py == 0 || py == h || self.wall(x, py - 1, 2),
            _ => false,
        };
        let arms = usize::from(vertical(py.checked_sub(1)))
            | usize::from(horizontal(Some(px))) << 1
            | usize::from(vertical(Some(py))) << 2
            | usize::from(horizontal(px.checked_sub(1))) << 3;
        POSTS[arms]
    }

    /// The walls: posts, the three-column walls between them, and the one-row walls.
    fn draw_walls(&self, buf: &mut Canvas<'_>, style: Style) {
        let (w, h) = (self.grid.width, self.grid.height);
        let (ox, oy) = (usize::from(self.origin.0), usize::from(self.origin.1));
        for py in 0..=h {
            for px in 0..=w {
                let (x, y) = (ox + 4 * px, oy + 2 * py);
                buf.put_char(x as u16, y as u16, self.post(px, py), style);
                if px < w && (py == 0 || py == h || self.wall(px, py - 1, 2)) {
                    buf.put_str(x as u16 + 1, y as u16, "───", style);
                }
                if py < h && (px == 0 || px == w || self.wall(px - 1, py, 1)) {
                    buf.put_char(x as u16, y as u16 + 1, '│', style);
                }
            }
        }
    }

    /// Paints a cell's inside (three columns) and, if `right`/`down`, the opening to the next
    /// cell in that direction.
    fn fill_cell(&self, buf: &mut Canvas<'_>, cell: usize, look: (char, Style), right: bool, down: bool) {
        let w = self.grid.width;
        let (x, y) = (self.origin.0 + 4 * (cell % w) as u16 + 1, self.origin.1 + 2 * (cell / w) as u16 + 1);
        let (ch, style) = look;
        let three: String = std::iter::repeat_n(ch, 3).collect();
        buf.put_str(x, y, &three, style);
        if right {
            buf.put_char(x + 3, y, ch, style);
        }
        if down {
            buf.put_str(x, y + 1, &three, style);
        }
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
        // A maze of w x h cells is 4w+1 columns and 2h+1 rows; the rest is an even margin.
        let (cols, rows) = (usize::from(size.width), usize::from(size.height));
        let w = cols.saturating_sub(2 * MARGIN.0 + 1) / 4;
        let h = rows.saturating_sub(2 * MARGIN.1 + 1) / 2;
        let (w, h) = (w.max(1), h.max(1));
        self.grid = Grid::new(w, h);
        self.origin = (
            (cols.saturating_sub(4 * w + 1) / 2) as u16,
            (rows.saturating_sub(2 * h + 1) / 2) as u16,
        );
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
        let walls = if color { Style::fg(theme.primary) } else { Style::default() };
        let (seen, trail, head) = if color {
            (
                // Brighter than the walls: small, but the flood must be seen.
                ('·', Style::fg(mix(theme.primary, theme.accent, 0.5))),
                (' ', block(mix(theme.primary, theme.accent, 0.4))),
                (' ', block(theme.accent)),
            )
        } else {
            (('·', Style::default()), ('▒', Style::default()), ('▓', Style::default()))
        };
        self.draw_walls(buf, walls);
        let (solver, path) = match &self.phase {
            Phase::Solving(s) => (Some(s), &[][..]),
            Phase::Tracing(s, p, n) => (Some(s), &p[..*n]),
            Phase::Showing(s, p, _) => (Some(s), &p[..]),
            Phase::Carving(_) => (None, &[][..]),
        };
        if let Some(Some(cell)) = match &self.phase {
            Phase::Carving(c) => Some(c.head()),
            _ => None,
        } {
            self.fill_cell(buf, cell, head, false, false);
        }
        let on_path = |c: usize| path.contains(&c);
        let joined = |cell: usize, d: usize| {
            self.grid.open[cell] & DIRS[d].2 != 0
                && self.grid.neighbour(cell, d).is_some_and(|n| on_path(cell) && on_path(n))
        };
        for cell in 0..w * h {
            if on_path(cell) {
                self.fill_cell(buf, cell, trail, joined(cell, 1), joined(cell, 2));
            } else if solver.is_some_and(|s| s.seen[cell]) {
                let (x, y) = (self.origin.0 + 4 * (cell % w) as u16 + 2, self.origin.1 + 2 * (cell / w) as u16 + 1);
                buf.put_char(x, y, seen.0, seen.1);
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
        assert_eq!((maze.grid.width, maze.grid.height), (8, 5));
        assert!(maze.count >= 1);
        // Thin walls on the terminal's background, with the margins even: 40 - 33 columns
        // and 13 - 11 rows.
        assert_eq!(maze.origin, (3, 1));
        let text = buf.to_text();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], "", "{text}");
        assert!(rows[1].starts_with("   ┌───") && rows[1].ends_with("───┐"), "{text}");
        assert!(rows[11].starts_with("   └───") && rows[11].ends_with("───┘"), "{text}");
        for y in 0..13 {
            for x in 0..40 {
                let cell = buf.get(x, y).expect("cell");
                if "─│┌┐└┘├┤┬┴┼╴╵╶╷".contains(cell.ch) {
                    assert_eq!(cell.style.bg, Color::Reset, "walls on the background at ({x},{y})");
                }
            }
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
        assert!(text.contains('│') && text.contains('▒') && !text.contains('█'), "{text}");
        // The path starts at the top-left cell and ends at the bottom-right one.
        let rows: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
        let (ox, oy) = (usize::from(maze.origin.0), usize::from(maze.origin.1));
        assert_eq!(rows[oy + 1][ox + 1..ox + 4], ['▒'; 3], "{text}");
        let (gx, gy) = (ox + 4 * (maze.grid.width - 1) + 1, oy + 2 * maze.grid.height - 1);
        assert_eq!(rows[gy][gx..gx + 3], ['▒'; 3], "{text}");
    }

    #[test]
    fn bad_options() {
        for bad in [&["-r", "0"][..], &["-p", "100"]] {
            assert!(crate::saver::kit::testing::refused("maze", bad, build), "{bad:?}");
        }
    }
}

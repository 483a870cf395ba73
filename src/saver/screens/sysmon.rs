//! `sysmon`: CPU and memory history graphs with their current values, read from /proc.
//!
//! One sample per `--interval`; the graphs scroll left and are drawn with eighth blocks, each
//! row in one colour (green at the bottom, red at the top). So that the graphs are full from the
//! first seconds, the first samples are taken quickly (eight a second for three seconds), and
//! while the history is shorter than the graph it is stretched across the whole width. Because a row's colour never
//! changes while the graph scrolls, the diff only rewrites the tops of the bars. `--source demo`
//! replaces /proc with a seeded random walk, for previews and reproducible tests.

use std::collections::VecDeque;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use rand::Rng;
use rand::rngs::StdRng;

use crate::saver::kit::canvas::Canvas;
use crate::saver::kit::buffer::{Attrs, Color, Style};
use crate::saver::kit::color::mix;
use crate::saver::kit::values;
use crate::saver::kit::screen::{self, Ctx, Screen, ScreenInfo, Size, Theme};

const EXAMPLES: &str = "Examples:
  fun saver sysmon                 CPU and memory graphs, one sample a second
  fun saver sysmon -i 0.5          two samples a second
  fun saver sysmon -a              ASCII only (# bars)
  fun saver sysmon --source demo   made-up values (previews, tests)";

/// CPU and memory history graphs with the current values.
#[derive(Debug, Parser)]
#[command(name = "fun saver sysmon", after_help = EXAMPLES)]
pub(crate) struct SysmonArgs {
    /// Seconds between samples (0.05-3600).
    #[arg(short, long, default_value_t = 1.0, value_name = "SECONDS",
          value_parser = values::within(0.05f32, 3600.0))]
    pub(crate) interval: f32,

    /// Draw the bars with '#' instead of block characters.
    #[arg(short, long)]
    pub(crate) ascii: bool,

    /// Where the numbers come from.
    #[arg(long, value_enum, default_value_t = Source::Proc)]
    pub(crate) source: Source,
}

/// Sources of samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Source {
    /// /proc/stat and /proc/meminfo.
    Proc,
    /// A seeded random walk.
    Demo,
}

/// One reading.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Reading {
    cpu_percent: f32,
    mem_used_kib: u64,
    mem_total_kib: u64,
    load: Option<[f32; 3]>,
    uptime_s: Option<u64>,
}

/// The 1, 5 and 15 minute load averages from /proc/loadavg.
fn read_load() -> Option<[f32; 3]> {
    parse_load(&std::fs::read_to_string("/proc/loadavg").ok()?)
}

fn parse_load(text: &str) -> Option<[f32; 3]> {
    let mut it = text.split_whitespace().map(|f| f.parse::<f32>().ok());
    Some([it.next()??, it.next()??, it.next()??])
}

/// Seconds since boot from /proc/uptime.
fn read_uptime() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/uptime").ok()?;
    let secs: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(secs as u64)
}

/// `3d 04:05` / `04:05` (hours:minutes).
fn format_uptime(secs: u64) -> String {
    let (days, hours, minutes) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60);
    if days > 0 {
        format!("{days}d {hours:02}:{minutes:02}")
    } else {
        format!("{hours:02}:{minutes:02}")
    }
}

/// Cumulative CPU jiffies from the first line of /proc/stat: (busy, total).
fn read_cpu_jiffies() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    parse_cpu_line(stat.lines().next()?)
}

fn parse_cpu_line(line: &str) -> Option<(u64, u64)> {
    let mut fields = line.split_whitespace();
    if fields.next()? != "cpu" {
        return None;
    }
    let values: Vec<u64> = fields.filter_map(|f| f.parse().ok()).collect();
    if values.len() < 4 {
        return None;
    }
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let total: u64 = values.iter().take(8).sum();
    let idle = values[3] + values.get(4).copied().unwrap_or(0);
    Some((total - idle, total))
}

/// (used, total) KiB from /proc/meminfo (used = total - available).
fn read_memory() -> Option<(u64, u64)> {
    parse_meminfo(&std::fs::read_to_string("/proc/meminfo").ok()?)
}

fn parse_meminfo(text: &str) -> Option<(u64, u64)> {
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let total = field("MemTotal:")?;
    let available = field("MemAvailable:").or_else(|| field("MemFree:"))?;
    Some((total.saturating_sub(available), total))
}

/// The sysmon screen.
pub(crate) struct Sysmon {
    args: SysmonArgs,
    size: Size,
    cpu: VecDeque<f32>,
    mem: VecDeque<f32>,
    last: Reading,
    prev_jiffies: Option<(u64, u64)>,
    since_sample: f32,
    /// Demo source state.
    demo: (f32, f32),
    started: bool,
}

/// Builds the screen from its options.
///
/// # Errors
/// None today: every value was checked while parsing (the signature is the registry's).
pub(crate) fn build(args: SysmonArgs) -> anyhow::Result<Sysmon> {
    Ok(Sysmon {
        args,
        size: Size { width: 0, height: 0 },
        cpu: VecDeque::new(),
        mem: VecDeque::new(),
        last: Reading::default(),
        prev_jiffies: None,
        since_sample: 0.0,
        demo: (20.0, 40.0),
        started: false,
    })
}

/// The registry entry.
#[must_use]
pub(crate) fn info() -> ScreenInfo {
    screen::builtin_info("sysmon", "CPU and memory history graphs from /proc", build)
}

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The quick first samples: how many, and the seconds between them.
const FAST_SAMPLES: usize = 24;
const FAST_INTERVAL: f32 = 0.125;

impl Sysmon {
    fn sample(&mut self, rng: &mut StdRng) {
        let reading = match self.args.source {
            Source::Demo => {
                self.demo.0 = (self.demo.0 + rng.random_range(-12.0..12.0)).clamp(1.0, 100.0);
                self.demo.1 = (self.demo.1 + rng.random_range(-3.0..3.0)).clamp(5.0, 95.0);
                let total = 8 * 1024 * 1024;
                let load = self.demo.0 / 25.0;
                Reading {
                    cpu_percent: self.demo.0,
                    mem_used_kib: (self.demo.1 / 100.0 * total as f32) as u64,
                    mem_total_kib: total,
                    load: Some([load, load * 0.8, load * 0.6]),
                    uptime_s: Some(93_784 + self.cpu.len() as u64),
                }
            }
            Source::Proc => {
                let jiffies = read_cpu_jiffies();
                let cpu = match (self.prev_jiffies, jiffies) {
                    (Some((b0, t0)), Some((b1, t1))) if t1 > t0 => {
                        100.0 * (b1.saturating_sub(b0)) as f32 / (t1 - t0) as f32
                    }
                    // First reading: the average since boot, until there is a delta.
                    (None, Some((b1, t1))) if t1 > 0 => 100.0 * b1 as f32 / t1 as f32,
                    _ => self.last.cpu_percent,
                };
                self.prev_jiffies = jiffies;
                let (used, total) = read_memory().unwrap_or((0, 0));
                Reading {
                    cpu_percent: cpu,
                    mem_used_kib: used,
                    mem_total_kib: total,
                    load: read_load(),
                    uptime_s: read_uptime(),
                }
            }
        };
        self.last = reading;
        let mem_pct = if reading.mem_total_kib == 0 {
            0.0
        } else {
            100.0 * reading.mem_used_kib as f32 / reading.mem_total_kib as f32
        };
        let keep = usize::from(self.size.width).max(1);
        for (history, value) in [(&mut self.cpu, reading.cpu_percent), (&mut self.mem, mem_pct)] {
            history.push_back(value.clamp(0.0, 100.0));
            while history.len() > keep {
                history.pop_front();
            }
        }
    }

    /// Draws one panel: a title line and a graph of `rows` rows below it.
    fn panel(
        &self,
        buf: &mut Canvas<'_>,
        y: u16,
        rows: u16,
        title: &str,
        history: &VecDeque<f32>,
        theme: &Theme,
    ) {
        let width = buf.width();
        buf.put_str(1, y, title, Style::fg(theme.accent).with_attrs(Attrs::BOLD));
        let graph_top = y + 1;
        let graph_w = width.saturating_sub(2);
        let low = Color::Rgb(40, 200, 80);
        let high = Color::Rgb(230, 50, 40);
        let axis = Style::fg(theme.dim);
        for r in 0..rows {
            buf.put_char(0, graph_top + r, '│', axis);
        }
        // The last graph_w samples; fewer are stretched across the whole width.
        let known = history.len().min(usize::from(graph_w));
        let start = history.len() - known;
        for column in 0..graph_w {
            if known == 0 {
                break;
            }
            let value = history[start + usize::from(column) * known / usize::from(graph_w)];
            let x = 1 + column;
            // Height in eighths of a row.
            let eighths = (value / 100.0 * f32::from(rows) * 8.0).round() as u32;
            for r in 0..rows {
                let from_bottom = u32::from(rows - 1 - r);
                let fill = eighths.saturating_sub(from_bottom * 8).min(8);
                if fill == 0 {
                    continue;
                }
                // One colour per row: the row's height on a green-to-red ramp.
                let t = from_bottom as f32 / f32::from(rows.max(2) - 1);
                let style = Style::fg(mix(low, high, t));
                let ch = if self.args.ascii { '#' } else { BLOCKS[fill as usize - 1] };
                buf.put_char(x, graph_top + r, ch, style);
            }
        }
    }
}

impl Sysmon {
    /// Seconds between samples now: quick for the first few, then `--interval`.
    fn interval(&self) -> f32 {
        if self.cpu.len() < FAST_SAMPLES {
            self.args.interval.min(FAST_INTERVAL)
        } else {
            self.args.interval
        }
    }
}

fn gib(kib: u64) -> f64 {
    kib as f64 / (1024.0 * 1024.0)
}

impl Screen for Sysmon {
    fn min_size(&self) -> Size {
        Size { width: 30, height: 8 }
    }

    fn resize(&mut self, size: Size, _rng: &mut StdRng) {
        self.size = size;
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.since_sample += ctx.dt.as_secs_f32();
        let interval = self.interval();
        if !self.started {
            self.started = true;
            self.sample(ctx.rng);
            self.since_sample = 0.0;
            return;
        }
        // Never more than a screenful of catch-up samples after a long pause.
        let mut budget = usize::from(self.size.width);
        while self.since_sample >= interval && budget > 0 {
            self.since_sample -= interval;
            self.sample(ctx.rng);
            budget -= 1;
        }
        self.since_sample = self.since_sample.min(self.interval());
    }

    fn draw(&self, buf: &mut Canvas<'_>, theme: &Theme) {
        let h = buf.height();
        // Two panels share the height: title + graph each, one blank row between.
        let graph_rows = h.saturating_sub(3) / 2;
        let cpu_title = format!("CPU {:5.1} %", self.last.cpu_percent);
        let mem_pct = if self.last.mem_total_kib == 0 {
            0.0
        } else {
            100.0 * self.last.mem_used_kib as f64 / self.last.mem_total_kib as f64
        };
        let mem_title = format!(
            "MEM {mem_pct:5.1} %  {:.1} of {:.1} GiB",
            gib(self.last.mem_used_kib),
            gib(self.last.mem_total_kib)
        );
        self.panel(buf, 0, graph_rows, &cpu_title, &self.cpu, theme);
        let mut status = Vec::new();
        if let Some([a, b, c]) = self.last.load {
            status.push(format!("load {a:.2} {b:.2} {c:.2}"));
        }
        if let Some(up) = self.last.uptime_s {
            status.push(format!("up {}", format_uptime(up)));
        }
        let status = status.join("  ");
        let x = buf.width().saturating_sub(crate::saver::kit::paint::text_width(&status) + 1);
        if x > crate::saver::kit::paint::text_width(&cpu_title) + 2 {
            buf.put_str(x, 0, &status, Style::fg(theme.text));
        }
        self.panel(buf, graph_rows + 2, graph_rows, &mem_title, &self.mem, theme);
    }

    fn frame_interval(&self) -> Duration {
        let left = (self.interval() - self.since_sample).max(0.01);
        Duration::from_secs_f32(left)
    }
}

#[cfg(test)]
mod tests {
    use crate::saver::kit::buffer::Buffer;
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn parses_proc_stat_and_meminfo() {
        let (busy, total) = parse_cpu_line("cpu  100 5 50 800 20 3 2 0 0 0").unwrap();
        assert_eq!((busy, total), (160, 980));
        assert!(parse_cpu_line("cpu0 1 2 3 4").is_none());
        let mem = "MemTotal:       16000 kB\nMemFree:  1000 kB\nMemAvailable:   4000 kB\n";
        assert_eq!(parse_meminfo(mem), Some((12000, 16000)));
        assert_eq!(parse_meminfo("MemTotal: 10 kB\nMemFree: 4 kB\n"), Some((6, 10)));
        assert_eq!(parse_meminfo("nothing"), None);
    }

    #[test]
    fn load_and_uptime() {
        assert_eq!(parse_load("0.52 0.40 0.33 1/123 4567\n"), Some([0.52, 0.40, 0.33]));
        assert_eq!(parse_load("0.5"), None);
        assert_eq!(format_uptime(93_784), "1d 02:03");
        assert_eq!(format_uptime(3_900), "01:05");
    }

    #[test]
    fn reads_this_machine() {
        // Linux CI: /proc exists; the values must be sane.
        if let Some((busy, total)) = read_cpu_jiffies() {
            assert!(busy <= total);
        }
        if let Some((used, total)) = read_memory() {
            assert!(used <= total && total > 0);
        }
    }

    #[test]
    fn the_graph_is_full_from_the_first_seconds() {
        let args: Vec<String> = vec!["--source".into(), "demo".into()];
        let mut s = build(screen::parse_args::<SysmonArgs>("sysmon", &args).unwrap()).unwrap();
        let mut rng = StdRng::seed_from_u64(1);
        let size = Size { width: 60, height: 12 };
        s.resize(size, &mut rng);
        let update = |s: &mut Sysmon, rng: &mut StdRng, seconds: f32| {
            let mut ctx = Ctx {
                rng,
                dt: Duration::from_secs_f32(seconds),
                elapsed: Duration::ZERO,
                now: chrono::NaiveDateTime::default(),
                depth: crate::saver::kit::color::Depth::TrueColor,
            };
            s.update(&mut ctx);
        };
        // Three seconds in tenths: the first samples come eight a second.
        for _ in 0..30 {
            update(&mut s, &mut rng, 0.1);
        }
        assert!(s.cpu.len() >= 20, "{}", s.cpu.len());
        let quick = s.cpu.len();
        // Then one a second.
        update(&mut s, &mut rng, 1.0);
        update(&mut s, &mut rng, 1.0);
        assert_eq!(s.cpu.len(), quick + 2);
        let mut buf = Buffer::new(60, 12);
        s.draw(&mut buf.canvas(), &Theme::default());
        let text = buf.to_text();
        assert!(text.starts_with(" CPU "), "{text}");
        assert!(text.contains("MEM "), "{text}");
        assert!(text.lines().next().unwrap().contains("load ") && text.contains(" up 1d 02:"));
        // The history is stretched over the whole width: bars at the left end too.
        let bottom = text.lines().nth(4).unwrap().to_string();
        assert!(bottom.chars().skip(1).take(5).all(|c| BLOCKS.contains(&c)), "{bottom:?}");
        assert!(bottom.chars().rev().take(5).all(|c| BLOCKS.contains(&c)), "{bottom:?}");
    }
}

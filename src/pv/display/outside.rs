//! Drawing progress that happens elsewhere (`-Q` another `fun pv`, `-d` another process's
//! files): the caller samples it every interval and this keeps a [`Calc`] per row, renders the
//! lines with the user's display options and draws them like a transfer's.

use std::collections::HashMap;

use super::terminal::Terminal;
use super::{Config, terminal_size};
use crate::pv::calc::Calc;
use crate::pv::format::{self, Line, Snapshot, Style};

/// One row's state at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sample {
    /// Tells rows apart between samples (e.g. pid and descriptor).
    pub(crate) key: (u32, u32),
    pub(crate) name: Option<String>,
    pub(crate) amount: u64,
    pub(crate) size: Option<u64>,
    /// Amount already there when watching began (not part of the ETA).
    pub(crate) initial: u64,
}

/// Rows watched from outside.
pub(crate) struct Watcher {
    config: Config,
    terminal: Terminal,
    calcs: HashMap<(u32, u32), Calc>,
}

impl Watcher {
    #[must_use]
    pub(crate) fn new(config: Config) -> Watcher {
        let terminal = Terminal::new(config.view);
        Watcher { config, terminal, calcs: HashMap::new() }
    }

    /// Draws the samples, each with the elapsed time it was taken at.
    pub(crate) fn draw(&mut self, samples: &[(Sample, f64)], last: bool) {
        let (columns, lines) = terminal_size();
        let width = self.config.width.unwrap_or(columns);
        let height = self.config.height.unwrap_or(lines);
        self.calcs.retain(|key, _| samples.iter().any(|(s, _)| s.key == *key));
        let mut drawn: Vec<Line> = Vec::with_capacity(samples.len());
        for (sample, elapsed) in samples {
            let window = self.config.window;
            let calc = self
                .calcs
                .entry(sample.key)
                .or_insert_with(|| Calc::starting_at(window, sample.initial));
            let reading = calc.update(sample.amount, *elapsed, sample.size, last);
            let snap = Snapshot {
                amount: sample.amount,
                elapsed: *elapsed,
                rate: reading.rate,
                average: reading.average,
                eta_rate: reading.eta_rate,
                size: sample.size.filter(|&s| s > 0),
                initial: sample.initial,
                percentage: reading.percentage,
                rate_max: reading.rate_max,
                last,
                ..Snapshot::default()
            };
            let style = Style { name: sample.name.clone(), ..self.config.style.clone() };
            drawn.push(format::render(&self.config.tokens, &snap, &style, width));
        }
        if self.config.classic_numeric.is_some() || self.terminal.is_json() {
            for line in &drawn {
                self.terminal.numbers(&format!("{}\n", line.text.trim_end()));
            }
        } else {
            self.terminal.draw(&drawn, last, width, height);
        }
    }

    /// Ends the drawing (a newline after the last line).
    pub(crate) fn close(&mut self) {
        self.terminal.close();
    }
}

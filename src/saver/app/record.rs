//! `fun saver NAME --record FILE.cast`: a screen rendered without a terminal into an asciicast
//! v2 file, the format `asciinema play` plays and agg turns into a GIF.
//!
//! Recording is one more [`Backend`], so the engine is the one that drives a real terminal:
//! the headless backend's simulated clock and size, with every frame's bytes written as an
//! event line `[seconds, "o", "bytes"]`, stamped with the simulated time at which the engine
//! wrote them. The clock advances by exactly the frame intervals the screen asks for, so a
//! ten-second recording plays for ten seconds at the screen's real frame rate, however long it
//! took to render. The bytes are those a terminal would get: the terminal guard's opening
//! sequence (alternate screen, hidden cursor, no auto-wrap, focus reports), then the engine's frames.
//!
//! The file is written to a temporary file beside the target and renamed over it only when the
//! recording is complete (the one writer, [`crate::files::write`]: an existing file keeps its
//! owner and mode); any error leaves the target untouched. Bounded: at most
//! [`MAX_DURATION`] of animation and [`MAX_BYTES`] of file.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use chrono::NaiveDateTime;

use crate::saver::engine::backend::{Backend, HeadlessBackend, Input};
use crate::saver::kit::screen::Size;

/// The longest recording: an hour of animation.
pub(crate) const MAX_DURATION: Duration = Duration::from_secs(3600);
/// The largest recording file: 64 MiB (a 120x40 matrix writes about 35 KiB a second).
pub(crate) const MAX_BYTES: u64 = 64 << 20;

/// The terminal's state when `fun saver` starts drawing: the terminal guard's opening bytes.
const OPENING: &[u8] = crate::term::ENTER;

/// The asciicast writer: a simulated terminal whose output goes to `out` as timed events.
pub(crate) struct Recorder<W: Write> {
    inner: HeadlessBackend,
    out: W,
    duration: Duration,
    written: u64,
    opened: bool,
    /// Set to a signal's number by its handler: the run ends at the next wait.
    signal: Option<Arc<AtomicUsize>>,
}

/// What a recording is of, for its header.
pub(crate) struct Header<'a> {
    pub(crate) size: Size,
    pub(crate) title: &'a str,
    /// Seconds since the Unix epoch when the recording was made.
    pub(crate) timestamp: i64,
}

impl<W: Write> Recorder<W> {
    /// Writes the header line and returns a backend that records `duration` of animation.
    ///
    /// # Errors
    /// When `out` cannot be written.
    pub(crate) fn new(
        mut out: W,
        header: &Header<'_>,
        duration: Duration,
        start_wall: NaiveDateTime,
    ) -> io::Result<Recorder<W>> {
        // Written by hand so that `version` comes first, as in asciinema's own files.
        let text = format!(
            "{{\"version\": 2, \"width\": {}, \"height\": {}, \"timestamp\": {}, \"title\": {}, \
             \"env\": {{\"TERM\": \"xterm-256color\", \"SHELL\": \"/bin/sh\"}}}}\n",
            header.size.width,
            header.size.height,
            header.timestamp,
            serde_json::Value::from(header.title),
        );
        out.write_all(text.as_bytes())?;
        Ok(Recorder {
            inner: HeadlessBackend::new(header.size, u64::MAX, start_wall),
            out,
            duration: duration.min(MAX_DURATION),
            written: text.len() as u64,
            opened: false,
            signal: None,
        })
    }

    /// The writer, flushed.
    ///
    /// # Errors
    /// When the last buffered bytes cannot be written.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }

    /// One event line: `[time, "o", data]`.
    fn event(&mut self, bytes: &[u8]) -> io::Result<()> {
        let time = self.inner.now().as_secs_f64();
        // The engine writes whole frames of UTF-8 text; the lossy conversion never changes them.
        let data = String::from_utf8_lossy(bytes);
        let line = format!("[{time:.6}, \"o\", {}]\n", serde_json::Value::from(data.as_ref()));
        self.written += line.len() as u64;
        if self.written > MAX_BYTES {
            return Err(io::Error::other(format!(
                "the recording would exceed {} MiB; use a smaller --size, --duration or --fps",
                MAX_BYTES >> 20
            )));
        }
        self.out.write_all(line.as_bytes())
    }
}

impl<W: Write> Backend for Recorder<W> {
    fn size(&mut self) -> io::Result<Size> {
        self.inner.size()
    }

    fn now(&self) -> Duration {
        self.inner.now()
    }

    fn wall(&self) -> NaiveDateTime {
        self.inner.wall()
    }

    fn wait(&mut self, timeout: Duration) -> io::Result<Option<Input>> {
        let arrived = self.signal.as_ref().map_or(0, |s| s.load(Ordering::Relaxed));
        if let Ok(sig @ 1..) = i32::try_from(arrived) {
            return Ok(Some(Input::Signal(sig)));
        }
        self.inner.wait(timeout)
    }

    fn write_frame(&mut self, bytes: &[u8]) -> io::Result<Option<Input>> {
        if self.opened {
            self.event(bytes)?;
        } else {
            self.opened = true;
            self.event(&[OPENING, bytes].concat())?;
        }
        Ok(None)
    }

    fn frame_done(&mut self) -> bool {
        self.inner.frame_done();
        self.inner.now() >= self.duration
    }
}

/// A new file beside `target`, renamed over it when complete, by the one writer for the user's
/// files: an existing recording keeps its owner and mode.
///
/// # Errors
/// When `target` exists but is not a regular file (a device, a folder, a link: renaming over
/// it would replace it), is read-only, or its folder does not take new files.
pub(crate) fn temporary_beside(target: &Path) -> anyhow::Result<crate::files::write::Pending> {
    let shown = crate::files::display_path(target);
    if let Ok(meta) = std::fs::symlink_metadata(target)
        && !meta.file_type().is_file()
    {
        anyhow::bail!("{shown}: exists and is not a regular file");
    }
    let plan = crate::files::write::plan(target, crate::files::write::Options::FOLLOW)?;
    Ok(plan.begin()?)
}

/// The length of a recording without `--duration`.
const DEFAULT_DURATION: Duration = Duration::from_secs(10);

/// Runs `fun saver NAME --record TARGET`: renders, writes, renames into place.
///
/// SIGINT, SIGTERM and SIGHUP stop the rendering at the next frame (a flag the simulated
/// clock checks; the frames take no real time to wait for), the temporary file is removed and
/// the exit status is 128+N, as when a terminal run is interrupted.
///
/// # Errors
/// An unwritable target or folder, a full disk, a recording over [`MAX_BYTES`].
pub(crate) fn run(
    target: &Path,
    args: &super::Args,
    name: &str,
    screen: Box<dyn crate::saver::kit::screen::Screen>,
    settings: crate::saver::engine::Settings,
) -> anyhow::Result<ExitCode> {
    let shown = crate::files::display_path(target);
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    let size = args.size.unwrap_or(Size { width: 80, height: 24 });
    let start = args.time.unwrap_or_else(|| chrono::Local::now().naive_local());
    let file = temporary_beside(target)?;
    let writer = BufWriter::new(file.file().try_clone()?);
    let title = format!("fun saver {name}");
    let header = Header { size, title: &title, timestamp: chrono::Utc::now().timestamp() };
    let duration = args.duration.unwrap_or(DEFAULT_DURATION);
    let mut recorder = Recorder::new(writer, &header, duration, start)
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    recorder.signal = Some(Arc::clone(&signal));
    let mut engine = crate::saver::engine::Engine::new(name, screen, settings, size).with_extras(
        args.overlay.overlay(),
        crate::saver::engine::power::Power::new(args.power.dim_after),
    );
    super::wait_for_content(&mut engine, name, &|| signal.load(Ordering::Relaxed) != 0);
    let exit = engine
        .run(&mut recorder)
        .and_then(|exit| recorder.finish().map(|_| exit))
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    if let crate::saver::engine::Exit::Signal(sig) = exit {
        return Ok(ExitCode::from(crate::exit::signal_exit_status(sig)));
    }
    file.commit()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wall() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
            .and_then(|d| d.and_hms_opt(3, 4, 5))
            .expect("valid date")
    }

    fn recorder(duration: Duration) -> Recorder<Vec<u8>> {
        let header =
            Header { size: Size { width: 20, height: 4 }, title: "t", timestamp: 1_700_000_000 };
        Recorder::new(Vec::new(), &header, duration, wall()).expect("header")
    }

    #[test]
    fn events_carry_the_simulated_time_and_the_opening_bytes() {
        let mut rec = recorder(Duration::from_secs(1));
        rec.write_frame(b"A\x1b[1m").unwrap();
        assert_eq!(rec.wait(Duration::from_millis(250)).unwrap(), None);
        rec.write_frame("é\"\\".as_bytes()).unwrap();
        let text = String::from_utf8(rec.finish().unwrap()).unwrap();
        let lines: Vec<serde_json::Value> =
            text.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
        assert_eq!(lines[0]["version"], 2);
        assert_eq!(lines[0]["width"], 20);
        assert_eq!(lines[0]["height"], 4);
        assert_eq!(lines[1][0], 0.0);
        assert_eq!(lines[1][1], "o");
        let opening = String::from_utf8(OPENING.to_vec()).unwrap();
        assert_eq!(lines[1][2], format!("{opening}A\x1b[1m"));
        assert_eq!(lines[2][0], 0.25);
        assert_eq!(lines[2][2], "é\"\\");
    }

    #[test]
    fn the_run_ends_at_the_duration() {
        let mut rec = recorder(Duration::from_millis(300));
        assert!(!rec.frame_done());
        rec.wait(Duration::from_millis(200)).unwrap();
        assert!(!rec.frame_done());
        rec.wait(Duration::from_millis(100)).unwrap();
        assert!(rec.frame_done());
    }

    #[test]
    fn the_size_of_the_file_is_bounded() {
        let mut rec = recorder(Duration::from_secs(1));
        let frame = vec![b'x'; 1 << 20];
        let mut result = Ok(None);
        for _ in 0..=(MAX_BYTES >> 20) {
            result = rec.write_frame(&frame);
            if result.is_err() {
                break;
            }
        }
        let err = result.expect_err("stops at the cap");
        assert!(err.to_string().contains("64 MiB"), "{err}");
    }
}

//! Rendering results for people (aligned tables) and scripts (JSON).

use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

use mediawatch::report::doc::Block;
use mediawatch::report::fit::DEFAULT_WIDTH;
use mediawatch::report::terminal;

use serde::Serialize;

use super::args::ResultFormat;

/// Writes `value` as pretty JSON.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

impl ResultFormat {
    /// Writes a statistics result in this format: pretty JSON, the CSV `csv` writes, or the
    /// blocks `table` builds, rendered as aligned tables fitted to [`width`].
    pub fn write<T: Serialize, W: Write>(
        self,
        mut out: W,
        value: &T,
        csv: impl FnOnce(W, &T) -> io::Result<()>,
        table: impl FnOnce(&T) -> Vec<Block>,
    ) -> io::Result<()> {
        match self {
            ResultFormat::Json => json(&mut out, value),
            ResultFormat::Csv => csv(out, value),
            ResultFormat::Table => terminal::render_within(&mut out, &table(value), width()),
        }
    }
}

/// Passes on a rendering error, else flushes. A closed pipe (`| head`) surfaces as an error
/// here and `main` treats it as success, in one place for every command.
pub fn finish(written: io::Result<()>, mut out: impl Write) -> io::Result<()> {
    written?;
    out.flush()
}

/// The width tables are fitted to, decided once per run from `--wide`, `COLUMNS` and the
/// terminal (a process-wide setting: every command prints to the one standard output).
static WIDTH: OnceLock<Option<usize>> = OnceLock::new();

/// Decides the output width: none with `--wide`; else `COLUMNS` when it is a positive
/// number, the terminal's width when standard output is one, or [`DEFAULT_WIDTH`].
pub fn set_width(wide: bool) {
    let width = (!wide).then(|| {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0)
            .or_else(terminal_width)
            .unwrap_or(DEFAULT_WIDTH)
    });
    let _ = WIDTH.set(width);
}

/// The width tables and keyword-in-context lines are fitted to (`None`: `--wide`).
pub fn width() -> Option<usize> {
    WIDTH.get().copied().unwrap_or(Some(DEFAULT_WIDTH))
}

/// Columns of the terminal standard output is, if it is one.
fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: an all-zero `winsize` is a valid value of a plain C struct; TIOCGWINSZ writes
    // into the live local it points to and nothing else.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let done = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) };
    (done == 0 && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

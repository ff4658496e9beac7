//! The indicatif progress bars: ingest's behind the library's [`Progress`] callback, and the
//! statistics' ([`ScanBar`]) behind [`ScanProgress`].

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::sync::Arc;

use mediawatch::pipeline::Progress;
use mediawatch::stats::progress::{self, ScanProgress};

/// A byte-based bar on stderr with documents/s and ETA; hidden with `--quiet` or when stderr
/// is not a terminal.
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
}

impl Bar {
    /// A bar, or a hidden one when `quiet`.
    pub fn new(quiet: bool) -> Bar {
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        let style =
            style("{bar:30} {bytes}/{total_bytes} ({binary_bytes_per_sec}) {msg}{known_eta}");
        bar.set_style(style);
        Bar {
            bar,
            started: Instant::now(),
        }
    }
}

/// Shortest run before an ETA is shown: earlier the rate is noise (and at the start there is
/// none, which indicatif shows as `ETA 0s`).
const ETA_AFTER: Duration = Duration::from_secs(2);

/// ` ETA 3 minutes` once there is a rate (some bytes done, for [`ETA_AFTER`]); empty before.
fn eta_text(elapsed: Duration, done: u64, eta: Duration) -> String {
    if done == 0 || elapsed < ETA_AFTER {
        return String::new();
    }
    format!(" ETA {}", HumanDuration(eta))
}

impl Progress for Bar {
    fn start(&self, total_bytes: u64) {
        self.bar.set_length(total_bytes);
    }

    fn update(&self, bytes_done: u64, records_done: u64) {
        self.bar.set_position(bytes_done);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{records_done} records, {:.0} docs/s",
            records_done as f64 / secs
        ));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A bar style from `template`, which may use `{known_eta}` (see [`eta_text`]) and `{rate}`
/// (documents per second).
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .map(|style| {
            style
                .with_key(
                    "known_eta",
                    |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&eta_text(state.elapsed(), state.pos(), state.eta()));
                    },
                )
                .with_key(
                    "rate",
                    |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.0} documents/s", state.per_sec());
                    },
                )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// The documents the statistics scan, as a bar on stderr with documents/s and, once there
/// is a rate, the ETA; the current step (of a report) as its message. Hidden with `--quiet`
/// or when stderr is not a terminal.
pub struct ScanBar {
    bar: ProgressBar,
}

impl ScanBar {
    /// A bar, or a hidden one.
    pub fn new(quiet: bool) -> ScanBar {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(style(
            "{bar:30} {pos}/{len} documents scanned ({rate}){known_eta} {msg}",
        ));
        // Redrawn while a pass runs between reports (the elapsed time and the rate move).
        bar.enable_steady_tick(Duration::from_millis(200));
        ScanBar { bar }
    }

    /// Shows `message` as the current step.
    pub fn step(&self, message: &str) {
        self.bar.set_message(message.to_string());
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl ScanProgress for ScanBar {
    fn start(&self, documents: u64) {
        // Each pass has its own rate and ETA.
        self.bar.reset();
        self.bar.set_length(documents);
    }

    fn advance(&self, documents: u64) {
        self.bar.inc(documents);
    }
}

/// Runs `work` (which runs statistics) with a [`ScanBar`] showing their passes, removed
/// when it returns.
pub fn scanned<R>(quiet: bool, work: impl FnOnce(&ScanBar) -> R) -> R {
    let bar = Arc::new(ScanBar::new(quiet));
    let result = progress::observed(bar.clone(), || work(&bar));
    bar.finish();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_eta_until_there_is_a_rate() {
        let eta = Duration::from_secs(90);
        assert_eq!(eta_text(Duration::ZERO, 0, Duration::ZERO), "");
        assert_eq!(
            eta_text(Duration::from_secs(10), 0, eta),
            "",
            "nothing done yet"
        );
        assert_eq!(
            eta_text(Duration::from_millis(500), 4096, eta),
            "",
            "too early"
        );
        assert_eq!(
            eta_text(Duration::from_secs(3), 4096, eta),
            " ETA 2 minutes"
        );
    }
}

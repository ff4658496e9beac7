//! The indicatif progress bar behind the library's [`Progress`] callback, and a spinner for
//! commands that report steps.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{HumanDuration, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use mediawatch::pipeline::Progress;

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
        let style = ProgressStyle::with_template(
            "{bar:30} {bytes}/{total_bytes} ({binary_bytes_per_sec}) {msg}{known_eta}",
        )
        .map(|style| {
            style.with_key(
                "known_eta",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&eta_text(state.elapsed(), state.pos(), state.eta()));
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
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

/// A spinner on stderr showing the current step; hidden with `--quiet` or when stderr is not
/// a terminal.
pub struct Spinner {
    bar: ProgressBar,
}

impl Spinner {
    /// A spinner, or a hidden one.
    pub fn new(quiet: bool) -> Spinner {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        let style = ProgressStyle::with_template("{spinner} [{elapsed}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(120));
        Spinner { bar }
    }

    /// Shows `message` as the current step.
    pub fn step(&self, message: &str) {
        self.bar.set_message(message.to_string());
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
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

//! Ctrl-C during an ingest: the first one asks the pipeline to stop after the current batch
//! and commit (so the index stays consistent and a re-run completes it); a second one ends
//! the process at once, as Ctrl-C normally does.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the first Ctrl-C.
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_interrupt(_: libc::c_int) {
    STOP.store(true, Ordering::Relaxed);
    // SAFETY: signal(2) is async-signal-safe; restoring the default action makes the next
    // Ctrl-C terminate the process.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
    }
}

/// Catches Ctrl-C from now on; the flag it sets, for [`IngestOptions::stop`].
///
/// [`IngestOptions::stop`]: mediawatch::pipeline::IngestOptions::stop
pub fn catch() -> &'static AtomicBool {
    let handler: extern "C" fn(libc::c_int) = on_interrupt;
    // SAFETY: the handler only stores to an atomic and calls signal(2), both
    // async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
    }
    &STOP
}

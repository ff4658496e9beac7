//! How far the statistics' passes over the index are, for a progress display (issue 15
//! point 6): each pass says how many documents it covers and reports them as it finishes
//! them to the observer a caller installed with [`observed`]. Without one (the library's
//! default, the web server, the tests) reporting costs one uncontended read of a lock.
//!
//! An observer rather than a callback parameter: every statistic (`compare`, `stats`, the
//! report's passes) would otherwise carry it through each entry point, and what is shown
//! is no part of what is computed.

use std::sync::{Arc, RwLock};

/// Told how far the statistics' passes are; implemented by the command line's bar.
pub trait ScanProgress: Send + Sync {
    /// A pass over `documents` documents starts.
    fn start(&self, documents: u64);
    /// `documents` more documents of the current pass are done.
    fn advance(&self, documents: u64);
}

static OBSERVER: RwLock<Option<Arc<dyn ScanProgress>>> = RwLock::new(None);

/// Runs `work` with `observer` told of every pass the statistics make meanwhile (on any
/// thread), then removes it.
pub fn observed<R>(observer: Arc<dyn ScanProgress>, work: impl FnOnce() -> R) -> R {
    set(Some(observer));
    // Removed even when `work` panics.
    struct Unset;
    impl Drop for Unset {
        fn drop(&mut self) {
            set(None);
        }
    }
    let _unset = Unset;
    work()
}

fn set(observer: Option<Arc<dyn ScanProgress>>) {
    match OBSERVER.write() {
        Ok(mut slot) => *slot = observer,
        Err(poisoned) => *poisoned.into_inner() = observer,
    }
}

fn with(each: impl FnOnce(&dyn ScanProgress)) {
    if let Ok(slot) = OBSERVER.read() {
        if let Some(observer) = slot.as_deref() {
            each(observer);
        }
    }
}

/// A pass over `documents` documents starts.
pub(crate) fn started(documents: u64) {
    with(|o| o.start(documents));
}

/// `documents` more documents of the current pass are done.
pub(crate) fn advanced(documents: u64) {
    with(|o| o.advance(documents));
}

//! The corpus generator behind `mediawatch generate` — one module, one random source
//! ([`rng`]), one blackout ([`BLACKOUT`]), two corpora:
//!
//! * [`demo`]: the bundled corpus (`generate --demo`), a few hundred readable documents in
//!   every input format, written from sentence tables and a plan kept as data files;
//! * [`bench`]: a corpus of any size for benchmarks (`generate --docs N`), streamed from
//!   synthetic vocabularies with planted key terms whose rates are known.
//!
//! Both plant the same story: state and independent outlets, independent online outlets
//! silent during the internet blackout. The generator is part of the binary, not of the
//! library: nothing the library does depends on it.

pub mod bench;
pub mod demo;
pub mod rng;

use std::ops::RangeInclusive;
use std::sync::LazyLock;

use chrono::NaiveDate;

/// The internet blackout of January 2022 (5 to 10 January): independent online outlets
/// publish nothing in either corpus.
pub static BLACKOUT: LazyLock<RangeInclusive<NaiveDate>> = LazyLock::new(|| {
    let (from, to) = demo::data::PLAN.blackout;
    from..=to
});

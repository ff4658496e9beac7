//! mediawatch: compare what state and independent media said, and when.
//!
//! Data flows one way: [`ingest`] (read and normalize) → [`index`] (tantivy) → statistics →
//! reports. [`pipeline`] wires the stages together; the `mediawatch` binary is a thin CLI
//! over this library.
//!
//! ```
//! use mediawatch::analysis::Analyzer;
//! let analyzer = Analyzer::default();
//! // Russian words become dictionary lemmas; Kazakh suffixes are analyzed off.
//! assert_eq!(analyzer.normalize("Токаева"), analyzer.normalize("токаеву"));
//! assert_eq!(analyzer.normalize("протестующих"), "протестовать");
//! assert_eq!(analyzer.normalize("Тоқаевтың"), "тоқаев");
//! ```
#![warn(missing_docs)]

/// `Display` for enums that have a `name()`: each prints as its name (the flag value).
macro_rules! display_as_name {
    ($($kind:ty),+ $(,)?) => {
        $(impl std::fmt::Display for $kind {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        })+
    };
}
pub(crate) use display_as_name;

pub mod analysis;
#[cfg(test)]
mod cases;
pub mod corpus;
pub mod error;
pub mod escape;
pub mod export;
pub mod fasthash;
pub mod files;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod model;
pub mod partial;
pub mod pipeline;
pub mod registry;
pub mod report;
pub mod search;
pub mod segment;
pub mod side_files;
pub mod stats;
/// The analyzer under its earlier name: `text` is [`analysis`].
pub use analysis as text;
pub mod timezone;
pub mod web;

//! Integration tests: each runs the real `mediawatch` binary (or the library) in its own
//! temporary directory.

mod adversarial;
mod corpus;
mod detect;
mod fuzz;
mod golden;
mod ingest;
mod inputs;
mod language;
mod report;
mod search;
mod stats;
mod tools;
mod util;
mod writes;

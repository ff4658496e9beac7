//! Integration tests: each runs the real `mediawatch` binary (or the library) in its own
//! temporary directory.

mod adversarial;
mod analysis;
mod bounded;
mod corpus;
mod detect;
mod discovery;
mod flags;
mod fuzz;
mod golden;
mod identifiers;
mod index_safety;
mod ingest;
mod inputs;
mod language;
mod large;
mod outputs;
mod periods;
mod progress;
mod report;
mod scale;
mod search;
mod search_golden;
mod sections;
mod stats;
mod terminal;
mod tools;
mod util;
mod web;
mod writes;

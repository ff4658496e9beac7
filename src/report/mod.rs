//! Reports: an index and a [`ReportRequest`] in, the report's files out — `report.html`
//! (self-contained, inline SVG), `report.md` with `charts/*.svg`, `data.json` and
//! `tables/*.csv`. Same index and request → byte-identical files.
//!
//! Data flows one way through this module:
//!
//! 1. [`collect()`] runs the statistics and searches ([`collect`], [`sections`], [`prose`]) and
//!    returns [`ReportData`]: every number, label and passage the report shows;
//! 2. [`render`] turns it into the [`charts`], one format-neutral [`doc::Document`]
//!    ([`document`]) rendered by the [`html`] and [`markdown`] backends, the CSV files of
//!    [`tables`] and `data.json`;
//! 3. [`write()`] puts the files on disk.
//!
//! Tables are described once ([`table`], [`tables`]) and serve the documents, the CSV files
//! and the terminal ([`terminal`], used by the command line).

pub mod backend;
pub mod charts;
pub mod collect;
pub mod copies_view;
pub mod data;
pub mod doc;
pub mod document;
pub mod dynamics;
pub mod dynamics_charts;
pub mod dynamics_document;
pub mod fit;
pub mod html;
pub mod markdown;
pub mod merged;
pub mod partial;
pub mod periods_view;
pub mod prose;
pub mod request;
pub mod sections;
pub mod source;
pub mod svg;
pub mod table;
pub mod tables;
pub mod terminal;
pub mod views;
pub mod write;

use std::path::PathBuf;

pub use charts::Chart;
pub use collect::{collect, collect_with_progress};
pub use data::ReportData;
pub use merged::Merged;
pub use request::{ExampleSpec, Invocation, ReportError, ReportRequest, Step};
pub use source::Source;
pub use write::{now, write, ReportFiles};

/// A report rendered in every format, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The self-contained HTML page.
    pub html: String,
    /// The Markdown page.
    pub markdown: String,
    /// `data.json`.
    pub json: Vec<u8>,
    /// The charts (the HTML inlines them; the Markdown links them).
    pub charts: Vec<Chart>,
    /// The CSV tables as (file name, bytes).
    pub tables: Vec<(&'static str, Vec<u8>)>,
}

/// Renders the report's data in every format.
pub fn render(data: &ReportData) -> Result<Rendered, ReportError> {
    let failed = |what: &str| {
        let path = PathBuf::from(what);
        move |e: std::io::Error| ReportError::Io { path, source: e }
    };
    let charts = charts::charts(data);
    let document = document::document(data);
    let generator = format!("mediawatch {}", data.provenance.version);
    let mut json = serde_json::to_vec_pretty(data)
        .map_err(|e| failed("data.json")(std::io::Error::other(e)))?;
    json.push(b'\n');
    Ok(Rendered {
        html: html::render(&document, &charts, &generator),
        markdown: markdown::render(&document, &charts),
        json,
        tables: tables::csv_files(data).map_err(failed("tables"))?,
        charts,
    })
}

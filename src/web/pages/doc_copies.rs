//! The copies a document page lists besides the writer's `copy_of` marks: records an ingest
//! skipped as duplicates of it (the index's `duplicates.jsonl`) and the near-duplicate cluster
//! it belongs to (`stats::copies`) among the documents published around it. Both are bounded
//! and cached, so opening the documents of one day costs one scan.

use std::collections::HashMap;
use std::io::BufRead as _;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};

use crate::search::{self, Filters, SearchRequest};
use crate::stats::copies::{Cluster, DEFAULT_MIN_SIMILARITY};
use crate::stats::scan::Subset;
use crate::web::{App, WebError};

/// Most documents a near-duplicate search looks at: the window around a document shrinks
/// (±2 days, ±1 day, its own day) until it holds at most this many, or the search is skipped.
pub const NEAR_WINDOW_MOST: u64 = 20_000;

/// Most lines of the duplicates file read (the page says when there were more).
pub const DUPLICATE_LINES_MOST: usize = 1_000_000;

/// A record an ingest skipped as a duplicate.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// Input file of the record.
    pub file: String,
    /// Its line.
    pub line: u64,
    /// Its id.
    pub id: String,
}

/// The duplicates file read into a map from the id a record duplicated to the records.
#[derive(Default)]
pub struct DuplicateFile {
    /// Skipped records per `duplicate_of` id.
    pub by_original: HashMap<String, Vec<Skipped>>,
    /// True when the file had more than [`DUPLICATE_LINES_MOST`] lines.
    pub truncated: bool,
}

/// The duplicates file of index `ix` (`duplicates.jsonl` in its directory, where an ingest
/// writes it by default), read once per commit of the index.
pub async fn duplicates(app: &Arc<App>, ix: usize) -> Result<Arc<DuplicateFile>, WebError> {
    let path = app.source(ix)?.dir.join("duplicates.jsonl");
    app.cached(ix, "duplicates-file".into(), move || {
        let mut out = DuplicateFile::default();
        // No file (an index built elsewhere, or `--duplicates` named another path): no list.
        let Ok(file) = std::fs::File::open(&path) else {
            return Ok(out);
        };
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            if n == DUPLICATE_LINES_MOST {
                out.truncated = true;
                break;
            }
            let Ok(line) = line else { break };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let field = |name: &str| value[name].as_str().unwrap_or_default().to_string();
            out.by_original
                .entry(field("duplicate_of"))
                .or_default()
                .push(Skipped {
                    file: field("file"),
                    line: value["line"].as_u64().unwrap_or(0),
                    id: field("id"),
                });
        }
        Ok(out)
    })
    .await
}

/// Where near duplicates of a document were looked for.
pub enum Near {
    /// Every window around the document holds more than [`NEAR_WINDOW_MOST`] documents.
    Skipped {
        /// Documents of its own day.
        documents: u64,
    },
    /// The clusters of the window's documents.
    Searched {
        /// First day of the window.
        from: String,
        /// Last day of the window.
        to: String,
        /// Documents in the window.
        documents: u64,
        /// Near-duplicate clusters among them.
        clusters: Arc<Vec<Cluster>>,
    },
}

/// Days from `day - days` to `day + days` as filters in `zone`.
fn window(
    day: NaiveDate,
    days: i64,
    zone: crate::timezone::Zone,
) -> Result<(String, String, Filters), WebError> {
    let show = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let (from, to) = (
        show(day - Duration::days(days)),
        show(day + Duration::days(days)),
    );
    let mut filters = Filters {
        zone,
        ..Filters::default()
    };
    filters.set_from(&from, zone)?;
    filters.set_to(&to, zone)?;
    Ok((from, to, filters))
}

/// The near-duplicate clusters among the documents published around `day` (a calendar day of
/// index `ix`'s zone), the widest window of at most [`NEAR_WINDOW_MOST`] documents.
pub async fn near(app: &Arc<App>, ix: usize, day: &str) -> Result<Near, WebError> {
    let Ok(day) = NaiveDate::parse_from_str(day, "%Y-%m-%d") else {
        return Ok(Near::Skipped { documents: 0 });
    };
    let app2 = app.clone();
    let chosen = app
        .heavy(move || {
            let source = app2.source(ix)?;
            let mut documents = 0;
            for days in [2, 1, 0] {
                let (from, to, filters) = window(day, days, source.zone)?;
                let request = SearchRequest {
                    subset: Subset {
                        filters: filters.clone(),
                        ..Subset::default()
                    },
                    ..SearchRequest::default()
                };
                documents = search::search(&source.index, &request)?.total;
                if documents <= NEAR_WINDOW_MOST {
                    return Ok(Ok((from, to, filters, documents)));
                }
            }
            Ok(Err(documents))
        })
        .await?;
    let (from, to, filters, documents) = match chosen {
        Ok(window) => window,
        Err(documents) => return Ok(Near::Skipped { documents }),
    };
    let app2 = app.clone();
    let clusters = app
        .cached(
            ix,
            format!("near-copies\u{1f}{from}\u{1f}{to}"),
            move || {
                let subset = Subset {
                    query: String::new(),
                    filters,
                };
                let source = app2.source(ix)?;
                Ok(crate::stats::copy_clusters(
                    &source.index,
                    &subset,
                    DEFAULT_MIN_SIMILARITY,
                )?)
            },
        )
        .await?;
    Ok(Near::Searched {
        from,
        to,
        documents,
        clusters,
    })
}

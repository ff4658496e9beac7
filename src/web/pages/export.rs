//! `/export`: every view's table as CSV (cells neutralized for spreadsheets, through the
//! report's table descriptions) or JSON — complete; where a cap applies, the file name and
//! the page say so.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::{compare, kwic, search, timeline};
use crate::report::tables::commands;
use crate::report::views;
use crate::web::params::Params;
use crate::web::{App, WebError};

/// Most search hits one export holds.
pub const SEARCH_CAP: usize = 100_000;

/// `GET /export?view=search|kwic|compare|timeline&format=csv|json&...`.
pub async fn page(State(app): State<Arc<App>>, params: Params) -> Result<Response, WebError> {
    let view = params.choice("view", &["search", "kwic", "compare", "timeline"])?;
    let json = params.choice("format", &["csv", "json"])? == "json";
    let bad = |e: std::io::Error| WebError::Internal(format!("cannot write the export: {e}"));
    let (name, bytes) = match view {
        "search" => {
            let found = search::find(&app, &params.with("offset", ""), SEARCH_CAP, false).await?;
            let r = &found.results;
            let name = if (r.hits.len() as u64) < r.total {
                format!("search-first-{}-of-{}", r.hits.len(), r.total)
            } else {
                format!("search-all-{}", r.total)
            };
            let bytes = if json {
                to_json(r)?
            } else {
                let mut out = Vec::new();
                views::search_csv(&mut out, r, false).map_err(bad)?;
                out
            };
            (name, bytes)
        }
        "kwic" => {
            let lines = kwic::lines(&app, &params).await?;
            let name = format!("kwic-all-{}", lines.len());
            let bytes = if json {
                to_json(&lines)?
            } else {
                commands::kwic().csv(&lines).map_err(bad)?
            };
            (name, bytes)
        }
        "compare" => {
            let k = compare::keyness(&app, &params).await?;
            let name = format!("compare-top-{}-of-{}-tested", k.terms.len(), k.terms_tested);
            let bytes = if json {
                to_json(&*k)?
            } else {
                let mut out = Vec::new();
                views::keyness_csv(&mut out, &k).map_err(bad)?;
                out
            };
            (name, bytes)
        }
        _ => {
            let a = timeline::attention(&app, &params).await?;
            let name = format!("timeline-{}", a.all.interval.name());
            let bytes = if json {
                to_json(&a.rows)?
            } else {
                timeline::spec().csv(&a.rows).map_err(bad)?
            };
            (name, bytes)
        }
    };
    let (ext, mime) = if json {
        ("json", "application/json")
    } else {
        ("csv", "text/csv; charset=utf-8")
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn to_json(value: &impl Serialize) -> Result<Vec<u8>, WebError> {
    serde_json::to_vec_pretty(value)
        .map_err(|e| WebError::Internal(format!("cannot write JSON: {e}")))
}

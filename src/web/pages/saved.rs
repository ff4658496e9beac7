//! `/saved`: named searches kept in `queries.json` beside the index; listed by GET, created
//! by a POST from a page's "Save" form and deleted by a POST from the list's "Delete" buttons
//! (the guard checks every POST's Origin).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{compare, kwic, search, timeline};
use crate::web::html::{self, hidden, text};
use crate::web::params::Params;
use crate::web::{saved_file, App, WebError};

/// Most saved searches kept.
pub const MAX_SAVED: usize = 1000;

/// One saved search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    /// Its name.
    pub name: String,
    /// The page (`/search`, `/kwic`, `/compare`, `/timeline`).
    pub page: String,
    /// The page's canonical query string.
    pub query: String,
}

impl Saved {
    /// The saved view's URL.
    pub fn url(&self) -> String {
        if self.query.is_empty() {
            self.page.clone()
        } else {
            format!("{}?{}", self.page, self.query)
        }
    }
}

/// A page's canonical parameter order, for the pages a search can be saved from.
fn order_of(page: &str) -> Option<&'static [&'static str]> {
    match page {
        "/search" => Some(search::ORDER.as_slice()),
        "/kwic" => Some(kwic::ORDER.as_slice()),
        "/compare" => Some(compare::ORDER.as_slice()),
        "/timeline" => Some(timeline::ORDER.as_slice()),
        _ => None,
    }
}

/// The saved searches of the index at `dir` (none when the file does not exist yet).
pub fn load(dir: &Path) -> Result<Vec<Saved>, WebError> {
    let file = saved_file(dir);
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            WebError::Internal(format!(
                "{} is not a list of saved searches: {e}",
                file.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(WebError::Internal(format!(
            "cannot read {}: {e}",
            file.display()
        ))),
    }
}

/// Writes the list whole (a temporary file renamed over the old one, so a crash leaves
/// either list).
fn store(dir: &Path, saved: &[Saved]) -> Result<(), WebError> {
    let file = saved_file(dir);
    let temp = file.with_extension("json.tmp");
    let fail =
        |e: std::io::Error| WebError::Internal(format!("cannot write {}: {e}", file.display()));
    let bytes = serde_json::to_vec_pretty(saved).map_err(|e| WebError::Internal(e.to_string()))?;
    std::fs::write(&temp, bytes).map_err(fail)?;
    std::fs::rename(&temp, &file).map_err(fail)
}

/// Held while a saved-search file is read and rewritten, so two POSTs at once cannot lose
/// each other's change.
static CHANGING: Mutex<()> = Mutex::new(());

/// Reads the list of the index `ix`, lets `change` edit it, and writes it back (on the
/// blocking pool, one change at a time).
async fn change<F>(app: &Arc<App>, ix: usize, change: F) -> Result<(), WebError>
where
    F: FnOnce(&mut Vec<Saved>) -> Result<(), WebError> + Send + 'static,
{
    let app2 = app.clone();
    app.heavy(move || {
        let _one_at_a_time = CHANGING.lock().unwrap_or_else(|e| e.into_inner());
        let source = app2.source(ix)?;
        let mut saved = load(&source.dir)?;
        change(&mut saved)?;
        store(&source.dir, &saved)
    })
    .await
}

/// The answer to a POST: back to the list of index `ix`.
fn to_list(ix: usize) -> Response {
    let location = if ix == 0 {
        "/saved".to_string()
    } else {
        format!("/saved?ix={ix}")
    };
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// The form fields of a POST body.
fn form(body: &Bytes) -> Result<Params, WebError> {
    Ok(Params::parse(Some(std::str::from_utf8(body).map_err(
        |_| WebError::BadRequest("the form is not UTF-8".into()),
    )?)))
}

/// The list as HTML (also on the start page) for the index `ix`, each entry with a button
/// that deletes it.
pub fn list_html(saved: &[Saved], ix: usize) -> String {
    if saved.is_empty() {
        return html::note(
            "No saved searches yet: use “Save” on a Search, KWIC, Compare or Timeline page.",
        );
    }
    let mut out = String::from("<ul class=\"saved\">");
    for s in saved {
        let _ = write!(
            out,
            "<li>{} <span class=\"note\">{}</span> <form class=\"delete\" method=\"post\" action=\"/saved/delete\">{}{}<button type=\"submit\">Delete</button></form></li>",
            html::link(&s.url(), &s.name),
            text(&s.page),
            hidden("ix", &ix.to_string()),
            hidden("name", &s.name),
        );
    }
    out.push_str("</ul>");
    out
}

/// `GET /saved`.
pub async fn list(State(app): State<Arc<App>>, params: Params) -> Result<Html<String>, WebError> {
    let ix = params.ix()?;
    let saved = load(&app.source(ix)?.dir)?;
    Ok(html::page("Saved searches", "", &list_html(&saved, ix)))
}

/// `POST /saved` with a form body `name`, `page`, `query` (and `ix`): adds (or replaces, by
/// name) a saved search and answers with a redirect to the list.
pub async fn create(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, WebError> {
    let form = form(&body)?;
    let name = form.get("name").unwrap_or("").to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(WebError::BadRequest(
            "a saved search needs a name of 1 to 200 characters".into(),
        ));
    }
    let page = form.or("page", "/search").to_string();
    let order = order_of(&page)
        .ok_or_else(|| WebError::BadRequest(format!("cannot save page {page:?}")))?;
    // Stored as the page's canonical query: only known parameters, so a saved link can only
    // point at one of this server's own views.
    let query = Params::parse(Some(form.or("query", ""))).query(order);
    let ix = form.ix()?;
    change(&app, ix, move |saved| {
        saved.retain(|s| s.name != name);
        if saved.len() >= MAX_SAVED {
            return Err(WebError::BadRequest(format!(
                "{MAX_SAVED} saved searches is the most kept; delete some first"
            )));
        }
        saved.push(Saved { name, page, query });
        Ok(())
    })
    .await?;
    Ok(to_list(ix))
}

/// `POST /saved/delete` with a form body `name` (and `ix`): deletes that saved search and
/// answers with a redirect to the list (404 when there is none of that name).
pub async fn delete(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, WebError> {
    let form = form(&body)?;
    let name = form.get("name").unwrap_or("").to_string();
    let ix = form.ix()?;
    change(&app, ix, move |saved| {
        let before = saved.len();
        saved.retain(|s| s.name != name);
        if saved.len() == before {
            return Err(WebError::NotFound(format!(
                "no saved search named {name:?}"
            )));
        }
        Ok(())
    })
    .await?;
    Ok(to_list(ix))
}

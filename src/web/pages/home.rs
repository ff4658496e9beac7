//! `/`: the start page — the indexes served, a search box and the saved searches.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::State;
use axum::response::Html;

use super::{form, saved};
use crate::web::html::{self, text};
use crate::web::params::Params;
use crate::web::{App, WebError};

/// `GET /`.
pub async fn page(State(app): State<Arc<App>>, params: Params) -> Result<Html<String>, WebError> {
    let ix = params.ix()?;
    let source = app.source(ix)?;
    let mut body = form::selection("/search", &params, "");
    body.push_str("<h2>Indexes</h2><ul>");
    for (i, s) in app.sources.iter().enumerate() {
        let docs = s
            .index
            .reader()
            .map(|r| r.searcher().num_docs())
            .unwrap_or(0);
        let label = format!("{} ({docs} documents)", s.dir.display());
        let href = if i == 0 {
            "/".to_string()
        } else {
            format!("/?ix={i}")
        };
        if i == ix {
            let _ = write!(body, "<li><strong>{}</strong></li>", text(&label));
        } else {
            let _ = write!(body, "<li>{}</li>", html::link(&href, &label));
        }
    }
    body.push_str("</ul><h2>Saved searches</h2>");
    body.push_str(&saved::list_html(&saved::load(&source.dir)?, ix));
    Ok(html::page("Coverage browser", "", &body))
}

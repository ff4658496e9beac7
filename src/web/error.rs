//! The web layer's error: what went wrong, as a status and a page a researcher can act on.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::html;

/// Errors of a page.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The request's parameters do not make sense (a bad query, an unknown group...).
    #[error("{0}")]
    BadRequest(String),
    /// What the request names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The server failed.
    #[error("{0}")]
    Internal(String),
}

impl From<crate::search::SearchError> for WebError {
    fn from(error: crate::search::SearchError) -> WebError {
        use crate::search::SearchError as E;
        match error {
            E::Query(_) | E::Filter(_) | E::BadDate { .. } => {
                WebError::BadRequest(error.to_string())
            }
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<crate::stats::StatsError> for WebError {
    fn from(error: crate::stats::StatsError) -> WebError {
        use crate::stats::StatsError as E;
        match error {
            E::UnknownGroup { .. } | E::Periods(_) => WebError::BadRequest(error.to_string()),
            E::Search(inner) => inner.into(),
        }
    }
}

impl From<tantivy::TantivyError> for WebError {
    fn from(error: tantivy::TantivyError) -> WebError {
        WebError::Internal(format!("index read failed: {error}"))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title) = match &self {
            WebError::BadRequest(_) => (StatusCode::BAD_REQUEST, "Cannot show this"),
            WebError::NotFound(_) => (StatusCode::NOT_FOUND, "Not found"),
            WebError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Server error"),
        };
        let body = format!(
            "<p class=\"error\">{}</p><p><a href=\"/\">Start page</a></p>",
            html::text(&self.to_string())
        );
        (status, html::page(title, "", &body)).into_response()
    }
}

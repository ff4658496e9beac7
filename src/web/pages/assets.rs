//! Embedded assets (the style sheet) and the 404 page.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::web::WebError;

/// The style sheet, embedded in the binary.
const STYLE: &[u8] = include_bytes!("../style.css");

/// `GET /style.css`.
pub async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// `GET /favicon.ico`: none (browsers ask for it; an empty answer keeps the console clean).
pub async fn favicon() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// Any other path.
pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        WebError::NotFound("no such page: try Search, KWIC, Compare or Timeline".into()),
    )
        .into_response()
}

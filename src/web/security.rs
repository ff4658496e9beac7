//! The guard every request passes: the `Host` check against DNS rebinding, the `Origin`
//! check on POSTs, the size limits and the time limit; and the headers every response
//! carries (a strict Content-Security-Policy, no sniffing, no referrer).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;

/// Largest request body (a saved search's form).
pub const MAX_BODY: usize = 16 * 1024;
/// Longest query string.
pub const MAX_QUERY: usize = 8 * 1024;

/// The Content-Security-Policy of every response: nothing but this server's own styles,
/// scripts and images, no frames, forms posting only here.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The host part of a `Host` header or an origin's authority (port dropped, IPv6 kept in
/// brackets), lowercased.
fn host_part(authority: &str) -> String {
    let authority = authority.trim().to_ascii_lowercase();
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => authority[..=end].to_string(),
            None => authority,
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host.to_string(),
        _ => authority,
    }
}

/// Whether `host` (from a `Host` header) names this server: localhost, a loopback address or
/// the bound address.
pub fn host_allowed(host: &str, extra: &[String]) -> bool {
    let name = host_part(host);
    matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]") || extra.contains(&name)
}

/// Whether a POST comes from one of this server's own pages: its `Origin` is
/// `http://` + the request's `Host`.
fn same_origin(headers: &HeaderMap) -> bool {
    let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) else {
        return false;
    };
    origin.eq_ignore_ascii_case(&format!("http://{host}"))
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        why.to_string(),
    )
        .into_response()
}

/// Checks a request and stamps the security headers on whatever answers it.
pub async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut response = if !host_allowed(host, &app.extra_hosts) {
        refuse(
            StatusCode::FORBIDDEN,
            "403: this server answers only requests addressed to localhost (Host header check against DNS rebinding)\n",
        )
    } else if request.uri().query().is_some_and(|q| q.len() > MAX_QUERY) {
        refuse(StatusCode::URI_TOO_LONG, "414: query string too long\n")
    } else if request.method() != Method::GET
        && request.method() != Method::HEAD
        && !same_origin(request.headers())
    {
        refuse(
            StatusCode::FORBIDDEN,
            "403: a POST must come from this server's own pages (Origin check)\n",
        )
    } else {
        match tokio::time::timeout(super::REQUEST_TIMEOUT, next.run(request)).await {
            Ok(response) => response,
            Err(_) => refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "503: the request took too long\n",
            ),
        }
    };
    let headers = response.headers_mut();
    // Server time of the request, for the speed bench (benches/serve_latency.py).
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&format!("app;dur={ms:.2}")) {
        headers.insert(header::HeaderName::from_static("server-timing"), value);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_check_accepts_only_local_names() {
        for ok in [
            "localhost:8080",
            "127.0.0.1:1",
            "[::1]:80",
            "LOCALHOST",
            "127.0.0.1",
        ] {
            assert!(host_allowed(ok, &[]), "{ok}");
        }
        for bad in [
            "evil.com",
            "evil.com:8080",
            "localhost.evil.com",
            "127.0.0.2:80",
            "",
            "[::2]:1",
        ] {
            assert!(!host_allowed(bad, &[]), "{bad}");
        }
        assert!(host_allowed("10.0.0.5:8080", &["10.0.0.5".to_string()]));
    }
}

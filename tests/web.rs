//! `serve`: every page through the router (no socket) — pages render, hostile document text
//! is inert, the Host and Origin checks and the security headers hold, permalinks round-trip
//! and exports are complete.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use mediawatch::web::{router, App};
use tower::ServiceExt;

use crate::util::{fixture, Workspace};

/// Hostile documents added to the search fixture: markup in title and text, a `javascript:`
/// URL, an RTL override, a formula title, a hostile id.
const HOSTILE: &str = r#"{"id": "h1<b>", "outlet": "indie_news", "published": "2022-01-07T10:00:00+06:00", "title": "<script>alert(1)</script> Протестующие", "text": "Протестующих <script>alert('x')</script> стало больше. \u202Eevil\u202C <img src=x onerror=alert(2)>", "url": "javascript:alert(3)"}
{"id": "h2", "outlet": "indie_web", "published": "2022-01-07T11:00:00+06:00", "title": "=HYPERLINK(\"http://evil.example\",\"x\")", "text": "Протестующих разогнали. \"><svg onload=alert(4)>", "url": "https://example.org/a?b=1&c=\"><x"}
"#;

fn build() -> Workspace {
    let ws = Workspace::new();
    let mut docs = std::fs::read_to_string(fixture("search/docs.jsonl")).unwrap();
    docs.push_str(HOSTILE);
    let docs = ws.write("docs.jsonl", docs);
    ws.ingest_with_search_sources(&docs, "data/idx");
    ws
}

/// The shared index (read-only tests).
fn shared() -> &'static Workspace {
    static WS: OnceLock<Workspace> = OnceLock::new();
    WS.get_or_init(build)
}

fn app(ws: &Workspace) -> Arc<App> {
    Arc::new(App::open(&[ws.path("data/idx")], "127.0.0.1".parse().unwrap()).expect("open index"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Sends one request through the router; returns the response and its body as text.
fn send(app: &Arc<App>, request: Request<Body>) -> (Response<Body>, String) {
    runtime().block_on(async {
        let response = router(app.clone()).oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, 64 << 20).await.unwrap();
        (
            Response::from_parts(parts, Body::empty()),
            String::from_utf8(bytes.to_vec()).unwrap(),
        )
    })
}

fn get(app: &Arc<App>, uri: &str) -> (Response<Body>, String) {
    let request = Request::get(uri)
        .header(header::HOST, "localhost:8080")
        .body(Body::empty())
        .unwrap();
    send(app, request)
}

fn ok(app: &Arc<App>, uri: &str) -> String {
    let (response, body) = get(app, uri);
    assert_eq!(response.status(), StatusCode::OK, "{uri}: {body}");
    body
}

fn assert_security_headers(response: &Response<Body>, what: &str) {
    let h = response.headers();
    assert_eq!(
        h.get(header::CONTENT_SECURITY_POLICY).unwrap(),
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        "{what}"
    );
    assert_eq!(
        h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff",
        "{what}"
    );
    assert_eq!(
        h.get(header::REFERRER_POLICY).unwrap(),
        "no-referrer",
        "{what}"
    );
    assert!(
        h.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(),
        "{what}: no CORS"
    );
}

/// Undoes the HTML escaping of an attribute value.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of the first `attribute="..."` after `marker` in `body`.
fn attribute_after(body: &str, marker: &str, attribute: &str) -> String {
    let at = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in page"));
    let rest = &body[at..];
    let start = rest.find(&format!("{attribute}=\"")).unwrap() + attribute.len() + 2;
    let end = start + rest[start..].find('"').unwrap();
    unescape(&rest[start..end])
}

/// The number in `<strong id="total">N</strong>`.
fn total(body: &str) -> u64 {
    let start = body.find("id=\"total\">").expect("total") + "id=\"total\">".len();
    let end = start + body[start..].find('<').unwrap();
    body[start..end].parse().unwrap()
}

/// Fixture documents whose title or text holds `needle` (lowercased), counted from the input
/// files without mediawatch.
fn fixture_count(needle: &str) -> u64 {
    let mut docs = std::fs::read_to_string(fixture("search/docs.jsonl")).unwrap();
    docs.push_str(HOSTILE);
    docs.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| {
            format!(
                "{} {}",
                v["title"].as_str().unwrap(),
                v["text"].as_str().unwrap()
            )
            .to_lowercase()
            .contains(needle)
        })
        .count() as u64
}

const PROTEST: &str = "%D0%BF%D1%80%D0%BE%D1%82%D0%B5%D1%81%D1%82%D1%83%D1%8E%D1%89%D0%B8%D1%85";

#[test]
fn every_page_renders_with_the_security_headers() {
    let app = app(shared());
    let pages = [
        "/".to_string(),
        format!("/search?q={PROTEST}"),
        format!("/kwic?q={PROTEST}&sort=left"),
        "/doc?doc-outlet=state_tv&id=s1".to_string(),
        "/compare?min-freq=1&target=state&reference=independent".to_string(),
        format!("/timeline?q={PROTEST}"),
        format!("/timeline?q={PROTEST}&view=raw&interval=week"),
        "/saved".to_string(),
        "/style.css".to_string(),
        format!("/export?view=search&format=csv&q={PROTEST}"),
        format!("/export?view=kwic&format=json&q={PROTEST}"),
        "/export?view=compare&format=csv&min-freq=1".to_string(),
        "/export?view=timeline&format=csv".to_string(),
    ];
    for uri in &pages {
        let (response, body) = get(&app, uri);
        assert_eq!(response.status(), StatusCode::OK, "{uri}: {body}");
        assert_security_headers(&response, uri);
        assert!(!body.is_empty(), "{uri}");
    }
    // Errors get a page too, with the same headers, and say what is wrong.
    for (uri, status) in [
        ("/search?q=%22unclosed", StatusCode::BAD_REQUEST),
        ("/search?from=yesterday", StatusCode::BAD_REQUEST),
        ("/doc?doc-outlet=state_tv&id=nope", StatusCode::NOT_FOUND),
        ("/compare?target=nosuchgroup", StatusCode::BAD_REQUEST),
        ("/nosuchpage", StatusCode::NOT_FOUND),
    ] {
        let (response, body) = get(&app, uri);
        assert_eq!(response.status(), status, "{uri}: {body}");
        assert_security_headers(&response, uri);
    }
}

#[test]
fn search_page_counts_match_the_fixture_and_facets_filter_in_and_out() {
    let app = app(shared());
    let body = ok(&app, &format!("/search?q={PROTEST}"));
    let expected = fixture_count("протестующ");
    assert!(expected >= 3);
    assert_eq!(total(&body), expected);
    assert!(body.contains("<mark>"), "highlighted snippets");
    assert!(body.contains("<svg"), "per-day histogram");
    // The "−" link of a facet value leaves that value out, the value's link keeps only it.
    let exclude = attribute_after(&body, "<ul class=\"facet-outlet\">", "href");
    let include_total = total(&ok(&app, &exclude));
    let exclude_link = {
        let at = body.find("<ul class=\"facet-outlet\">").unwrap();
        attribute_after(&body[at..], "class=\"exclude\"", "href")
    };
    assert!(exclude_link.contains("exclude-outlet="), "{exclude_link}");
    let excluded_total = total(&ok(&app, &exclude_link));
    assert_eq!(
        include_total + excluded_total,
        expected,
        "{exclude} + {exclude_link}"
    );
}

#[test]
fn hostile_document_text_is_rendered_inert() {
    let app = app(shared());
    let pages = [
        format!("/search?q={PROTEST}"),
        format!("/kwic?q={PROTEST}"),
        "/doc?doc-outlet=indie_news&id=h1%3Cb%3E".to_string(),
        "/doc?doc-outlet=indie_web&id=h2".to_string(),
        "/doc?doc-outlet=indie_news&id=n1".to_string(),
        "/search?q=%3Cscript%3E".to_string(),
    ];
    for uri in &pages {
        let (response, body) = get(&app, uri);
        assert!(
            response.status().is_success() || response.status() == StatusCode::NOT_FOUND,
            "{uri}"
        );
        for raw in [
            "<script",
            "onerror=alert(2)>",
            "<svg onload",
            "<b>",
            "href=\"javascript:",
            "\u{202E}",
            "<img",
        ] {
            assert!(!body.contains(raw), "{uri} contains {raw:?}");
        }
    }
    let h1 = ok(&app, "/doc?doc-outlet=indie_news&id=h1%3Cb%3E");
    assert!(
        h1.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "title shown as text"
    );
    assert!(h1.contains("⟨U+202E⟩"), "RTL override shown, not applied");
    assert!(
        h1.contains("javascript:alert(3)") && !h1.contains("href=\"javascript"),
        "javascript: URL not linked"
    );
    let h2 = ok(&app, "/doc?doc-outlet=indie_web&id=h2");
    assert!(
        h2.contains(
            "href=\"https://example.org/a?b=1&amp;c=&quot;&gt;&lt;x\" rel=\"noopener noreferrer\""
        ),
        "http(s) URL linked, escaped, without opener or referrer"
    );
}

#[test]
fn host_check_refuses_rebinding_and_post_checks_origin() {
    let ws = build();
    let app = app(&ws);
    for host in [
        "evil.example",
        "evil.example:8080",
        "localhost.evil.example",
        "127.0.0.2:8080",
    ] {
        let request = Request::get("/")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let (response, _) = send(&app, request);
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{host}");
        assert_security_headers(&response, host);
    }
    let (response, _) = send(&app, Request::get("/").body(Body::empty()).unwrap());
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "no Host header");
    for host in ["localhost:8080", "127.0.0.1:9", "[::1]:8080"] {
        let request = Request::get("/")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        assert_eq!(send(&app, request).0.status(), StatusCode::OK, "{host}");
    }

    let form =
        "name=Protest+%3Cscript%3E&page=%2Fsearch&ix=0&query=q%3Dprotest%26junk%3D1%26sort%3Ddate";
    let post = |origin: Option<&str>| {
        let mut request = Request::post("/saved")
            .header(header::HOST, "localhost:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        send(&app, request.body(Body::from(form)).unwrap()).0
    };
    // GETs never write: the saved-search file does not exist before the first POST.
    ok(&app, "/saved");
    let file = ws.path("data/queries.json");
    assert!(!file.exists());
    for origin in [
        None,
        Some("http://evil.example"),
        Some("null"),
        Some("http://localhost:9999"),
    ] {
        assert_eq!(post(origin).status(), StatusCode::FORBIDDEN, "{origin:?}");
        assert!(!file.exists(), "{origin:?}");
    }
    let response = post(Some("http://localhost:8080"));
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers().get(header::LOCATION).unwrap(), "/saved");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(
        saved,
        serde_json::json!([{"name": "Protest <script>", "page": "/search", "query": "q=protest&sort=date"}])
    );
    let list = ok(&app, "/saved");
    assert!(
        list.contains("href=\"/search?q=protest&amp;sort=date\">Protest &lt;script&gt;</a>"),
        "{list}"
    );
    assert!(
        ok(&app, "/").contains("Protest &lt;script&gt;"),
        "listed on the start page"
    );

    // Deleting is a POST too: refused without the same origin, then done, then 404.
    assert!(
        list.contains("action=\"/saved/delete\"><input type=\"hidden\" name=\"ix\" value=\"0\"><input type=\"hidden\" name=\"name\" value=\"Protest &lt;script&gt;\">"),
        "{list}"
    );
    let delete = |origin: Option<&str>| {
        let mut request = Request::post("/saved/delete")
            .header(header::HOST, "localhost:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        let form = "ix=0&name=Protest+%3Cscript%3E";
        send(&app, request.body(Body::from(form)).unwrap()).0
    };
    let before = std::fs::read(&file).unwrap();
    for origin in [None, Some("http://evil.example")] {
        assert_eq!(delete(origin).status(), StatusCode::FORBIDDEN, "{origin:?}");
        assert_eq!(std::fs::read(&file).unwrap(), before, "{origin:?}");
    }
    let response = delete(Some("http://localhost:8080"));
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers().get(header::LOCATION).unwrap(), "/saved");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved, serde_json::json!([]));
    assert!(!ok(&app, "/saved").contains("Protest"));
    assert_eq!(
        delete(Some("http://localhost:8080")).status(),
        StatusCode::NOT_FOUND
    );

    // Size limits: a long query string and a large body are refused.
    let long = format!("/search?q={}", "a".repeat(10_000));
    assert_eq!(get(&app, &long).0.status(), StatusCode::URI_TOO_LONG);
    let big = Request::post("/saved")
        .header(header::HOST, "localhost:8080")
        .header(header::ORIGIN, "http://localhost:8080")
        .body(Body::from(format!("name=x&query={}", "a".repeat(100_000))))
        .unwrap();
    assert_eq!(send(&app, big).0.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[test]
fn permalinks_round_trip() {
    let app = app(shared());
    let canonical = [
        format!("/search?q={PROTEST}&outlet=indie_news%2Cindie_web&from=2022-01-04&sort=date"),
        format!("/search?q={PROTEST}&exclude-outlet=indie_news&to=2022-01-10&offset=1"),
        format!("/kwic?q={PROTEST}&category=independent&sort=right&window=4"),
        "/compare?by=category&target=state&reference=independent&unit=document&top=10&min-freq=1"
            .to_string(),
        format!("/timeline?q={PROTEST}&interval=week&view=raw"),
    ];
    for url in &canonical {
        let body = ok(&app, url);
        assert_eq!(
            &attribute_after(&body, "class=\"permalink\"", "href"),
            url,
            "URL → page → same URL"
        );
    }
    // Parameters in another order, repeated or empty make the same page and the same link.
    let messy = format!(
        "/search?sort=date&from=2022-01-04&outlet=indie_news&q={PROTEST}&outlet=indie_web&lang="
    );
    let (a, b) = (ok(&app, &messy), ok(&app, &canonical[0]));
    assert_eq!(
        attribute_after(&a, "class=\"permalink\"", "href"),
        canonical[0]
    );
    assert_eq!(total(&a), total(&b));
}

#[test]
fn csv_exports_are_complete_and_neutralized() {
    let app = app(shared());
    let expected = fixture_count("протестующ");
    let (response, csv) = get(
        &app,
        &format!("/export?view=search&format=csv&q={PROTEST}&sort=date"),
    );
    let disposition = response
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"search-all-{expected}.csv\"")
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, expected, "every hit, not a page");
    let titles: Vec<&str> = rows.iter().map(|r| &r[6]).collect();
    assert!(
        titles.contains(&"'=HYPERLINK(\"http://evil.example\",\"x\")"),
        "{titles:?}"
    );

    // KWIC: the download has every line the page counts.
    let page = ok(&app, &format!("/kwic?q={PROTEST}"));
    let (_, kwic) = get(&app, &format!("/export?view=kwic&format=csv&q={PROTEST}"));
    let lines = csv::Reader::from_reader(kwic.as_bytes()).records().count() as u64;
    assert_eq!(lines, total(&page));
    assert!(lines >= expected);

    // Timeline: one row per day per group; documents add up to the index size.
    let (_, timeline) = get(&app, "/export?view=timeline&format=csv");
    let mut reader = csv::Reader::from_reader(timeline.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        vec!["bucket", "group", "documents", "matching", "share"]
    );
    let documents: u64 = reader
        .records()
        .map(|r| r.unwrap()[2].parse::<u64>().unwrap())
        .sum();
    let all = std::fs::read_to_string(fixture("search/docs.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count() as u64
        + 2;
    assert_eq!(documents, all);
}

#[test]
fn compare_terms_link_to_their_kwic() {
    let app = app(shared());
    let body = ok(
        &app,
        "/compare?min-freq=1&target=state&reference=independent",
    );
    let link = attribute_after(&body, "class=\"term\"", "href");
    assert!(link.starts_with("/kwic?q="), "{link}");
    let kwic = ok(&app, &link);
    assert!(total(&kwic) > 0, "{link}");
    assert!(body.contains("chart-keyness"), "diverging Log Ratio chart");
}

/// A story, its near copy in another outlet (two sentences changed, a hostile id), an
/// unrelated document the same day, a record of the story again under another id in the same
/// outlet (skipped at ingest), and an exact copy two weeks later (outside the near-copy window).
fn copies_workspace() -> Workspace {
    let story: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "Предложение {i} рассказывает о событии {} в районе {}.",
                i * 7 % 13,
                i * 3 % 11
            )
        })
        .collect();
    let mut changed = story.clone();
    changed[38] = "Редакция добавила другое окончание.".into();
    changed[39] = "И ещё одну фразу от себя.".into();
    let doc = |id: &str, outlet: &str, published: &str, text: &str| {
        serde_json::json!({"id": id, "outlet": outlet, "published": published, "title": "Сюжет", "text": text})
            .to_string()
    };
    let lines = [
        doc(
            "a1",
            "state_agency",
            "2022-01-05T10:00:00+06:00",
            &story.join(" "),
        ),
        doc(
            "a1-again",
            "state_agency",
            "2022-01-05T11:00:00+06:00",
            &story.join(" "),
        ),
        doc(
            "n1\"><script>alert(5)</script>",
            "indie_web",
            "2022-01-05T14:00:00+06:00",
            &changed.join(" "),
        ),
        doc(
            "u1",
            "indie_news",
            "2022-01-06T09:00:00+06:00",
            "Совсем другая заметка о погоде и ценах на хлеб в столице.",
        ),
        doc(
            "c1",
            "indie_news",
            "2022-01-20T09:00:00+06:00",
            &story.join(" "),
        ),
    ];
    let ws = Workspace::new();
    let docs = ws.write("docs.jsonl", lines.join("\n") + "\n");
    ws.ingest_with_search_sources(&docs, "data/idx");
    ws
}

#[test]
fn document_page_lists_skipped_duplicates_marked_copies_and_its_near_copy_cluster() {
    let ws = copies_workspace();
    let app = app(&ws);
    let a1 = ok(&app, "/doc?doc-outlet=state_agency&id=a1");
    // The same text under another id of the same outlet was skipped at ingest (line 2).
    let skipped = &a1[a1.find("skipped at ingest").expect("skipped row")..];
    assert!(
        skipped.contains("a1-again <span class=\"note\">"),
        "{skipped}"
    );
    assert!(skipped[..300].contains("docs.jsonl line 2"), "{skipped}");
    // The exact copy two weeks later is marked by the writer ...
    let marked = &a1[a1.find("<dt>copies</dt>").expect("copies row")..];
    assert!(marked.contains("indie_news c1"), "{marked}");
    // ... but the near-copy search looks at the 3 documents of 2022-01-03..07 only, and
    // finds the near copy (38 of 40 sentences kept), not the unrelated note.
    let near = &a1[a1.find("<ul class=\"near-copies\">").expect("near copies")..];
    let near = &near[..near.find("</dd>").unwrap()];
    assert!(
        near.contains("among the 3 documents of 2022-01-03 to 2022-01-07"),
        "{near}"
    );
    assert!(
        near.contains("cluster of 2 documents from 2 outlets"),
        "{near}"
    );
    assert!(!near.contains("u1") && !near.contains("c1"), "{near}");
    assert!(near.contains("+4.0 h after the first"), "{near}");
    assert!(
        near.contains("indie_web n1&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;</a>"),
        "hostile id shown as text: {near}"
    );
    assert!(!a1.contains("<script"), "nothing hostile applied");
    // The link opens the near copy, whose page lists the story back.
    let link = attribute_after(&a1, "<ul class=\"near-copies\">", "href");
    let copy = ok(&app, &link);
    assert!(!copy.contains("<script"));
    let back = &copy[copy
        .find("<ul class=\"near-copies\">")
        .expect("listed back")..];
    assert!(back.contains(">state_agency a1</a>"), "{back}");
    // The unrelated note has no cluster.
    let u1 = ok(&app, "/doc?doc-outlet=indie_news&id=u1");
    assert!(u1.contains("none among the"), "no near copies");
    assert!(!u1.contains("skipped at ingest"));
}

#[test]
fn days_per_group_in_one_pass_match_one_count_per_group() {
    // The search page's histogram counts every group's days in the facets' pass; the
    // independent route is one restricted count per group, as the page did before.
    use mediawatch::search::{self, Facet, Filters};
    let ws = shared();
    let index = mediawatch::index::open_nonempty(&ws.path("data/idx")).unwrap();
    let stored = mediawatch::index::settings::IndexSettings::in_dir(&ws.path("data/idx"))
        .unwrap()
        .display_zone;
    for zone in [stored, mediawatch::timezone::Zone::parse("-10:00").unwrap()] {
        for by in [Facet::Category, Facet::Outlet, Facet::Lang, Facet::Medium] {
            let filters = Filters {
                zone,
                ..Filters::default()
            };
            let one_pass = search::facet_counts_by(&index, "", &filters, by).unwrap();
            assert!(!one_pass.by_day.is_empty(), "{by}");
            for group in one_pass.get(by).keys() {
                let within = [group.clone()];
                let alone =
                    search::facet_counts(&index, "", &filters, Some((by, &within))).unwrap();
                assert_eq!(
                    one_pass.by_day.get(group).cloned().unwrap_or_default(),
                    alone.day,
                    "{by} {group} in {zone:?}"
                );
            }
            // The facets themselves are those of a pass without the grouping.
            let plain = search::facet_counts(&index, "", &filters, None).unwrap();
            assert_eq!(plain.outlet, one_pass.outlet);
            assert_eq!(plain.day, one_pass.day);
        }
    }
}

#[test]
fn search_histogram_draws_one_series_per_group_of_any_by() {
    let app = app(shared());
    let body = ok(&app, &format!("/search?q={PROTEST}&by=outlet"));
    assert!(
        body.contains("Matching documents per day by outlet"),
        "chart title"
    );
    let facet = &body[body.find("<ul class=\"facet-outlet\">").unwrap()..];
    let facet = &facet[..facet.find("</ul>").unwrap()];
    let outlets = facet.matches("class=\"include\"").count();
    assert!(outlets >= 2, "{facet}");
    let chart = &body[body.find("<figure class=\"histogram\">").unwrap()..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    assert_eq!(chart.matches("<polyline").count(), outlets, "{chart}");
    for by in ["lang", "medium", "category"] {
        ok(&app, &format!("/search?q={PROTEST}&by={by}"));
    }
    let (response, _) = get(&app, "/search?by=title");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

/// The text of each cell after the term's in the table row whose term link reads `term`.
fn row_cells(body: &str, term: &str) -> Vec<String> {
    let at = body
        .find(&format!(">{term}</a>"))
        .unwrap_or_else(|| panic!("{term} not in page"));
    let row = &body[at..];
    let row = &row[..row.find("</tr>").unwrap()];
    row.split("<td")
        .skip(1)
        .map(|cell| {
            let inner = &cell[cell.find('>').unwrap() + 1..];
            inner[..inner.find("</td>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn compare_page_offers_the_commands_options_and_agrees_with_it() {
    let ws = shared();
    // A server started without lists refuses entities and says how to give one.
    let (response, body) = get(&app(ws), "/compare?items=entities&min-freq=1");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(body.contains("--entity-list"), "{body}");

    let lists = mediawatch::web::Lists::load(
        Some(std::path::Path::new(&crate::util::corpus("entities.csv"))),
        Some(std::path::Path::new(&crate::util::corpus("frames.csv"))),
    )
    .unwrap();
    let app = Arc::new(
        App::open(&[ws.path("data/idx")], "127.0.0.1".parse().unwrap())
            .unwrap()
            .with_lists(lists),
    );
    // Every option is in the permalink.
    let url = "/compare?by=category&target=state&reference=independent&unit=document&top=10&min-freq=1&ngram=1&terms=unstemmed&keep-stopwords=yes&items=entities&balance-outlets=yes&rank=lrc&max-q=0.5";
    let body = ok(&app, url);
    assert_eq!(attribute_after(&body, "class=\"permalink\"", "href"), url);
    assert!(
        body.contains("entities (entities)"),
        "the list is chosen by name"
    );

    // Entity counts as the `compare --entities` command gives them (its partial route).
    let cli = |extra: &[&str]| {
        let entity_list = crate::util::corpus("entities.csv");
        let mut args = vec![
            "compare",
            "--index",
            "data/idx",
            "--target",
            "state",
            "--reference",
            "independent",
            "--min-freq",
            "1",
            "--max-q",
            "1",
            "--top",
            "100",
            "--entity-list",
            &entity_list,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        ws.json(&args)
    };
    let expected = cli(&["--entities"]);
    let page = ok(
        &app,
        "/compare?target=state&reference=independent&min-freq=1&top=100&items=entities",
    );
    let terms = expected["terms"].as_array().unwrap();
    assert!(!terms.is_empty());
    for term in terms {
        let cells = row_cells(&page, term["term"].as_str().unwrap());
        assert_eq!(cells[1], term["target_freq"].to_string(), "{term}");
        assert_eq!(cells[2], term["reference_freq"].to_string(), "{term}");
    }
    // Stopwords kept: as many terms tested as the command counts with --keep-stopwords,
    // more than without.
    let tested = |body: &str| -> u64 {
        let end = body.find(" terms tested").unwrap();
        let start = body[..end].rfind(' ').unwrap() + 1;
        body[start..end].parse().unwrap()
    };
    let kept = ok(
        &app,
        "/compare?target=state&reference=independent&min-freq=1&keep-stopwords=yes",
    );
    let dropped = ok(
        &app,
        "/compare?target=state&reference=independent&min-freq=1",
    );
    assert_eq!(
        tested(&kept),
        cli(&["--keep-stopwords"])["terms_tested"].as_u64().unwrap()
    );
    assert!(tested(&kept) > tested(&dropped));
    // Frames come from the server's frame dictionary.
    let frames = ok(
        &app,
        "/compare?target=state&reference=independent&min-freq=1&items=frames",
    );
    assert!(frames.contains("terrorism_riot"), "frame labels as terms");
    let (response, _) = get(&app, "/compare?max-q=2");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

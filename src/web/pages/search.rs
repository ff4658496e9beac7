//! `/search`: query box and filters, the exact total, hits with highlighted snippets, facets
//! as include/exclude links, and documents per day per group with gaps shaded.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use axum::extract::{RawQuery, State};
use axum::response::Html;
use chrono::{Duration, NaiveDate};

use super::form;
use crate::report::svg;
use crate::search::{self, Facet, Hit, SearchRequest, SearchResults, SortOrder};
use crate::stats::timeline::gaps_in;
use crate::web::html::{self, attr, text};
use crate::web::params::{self, Params};
use crate::web::{App, WebError};

/// Hits per page.
pub const PAGE: usize = 50;
/// Values listed per facet (the rest are counted in a note).
pub const FACET_VALUES: usize = 40;
/// Shortest silence shaded in the histogram, in days.
pub const MIN_GAP_DAYS: u64 = 2;

/// The page's parameters in canonical order: the selection, then its own.
pub static ORDER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| params::order(&["sort", "offset"]));

/// Facets shown, in order.
const FACETS: [Facet; 4] = [Facet::Category, Facet::Outlet, Facet::Lang, Facet::Medium];

/// Days per group, for the histogram.
pub type Days = BTreeMap<String, BTreeMap<String, u64>>;

/// What the search page shows.
pub struct Found {
    /// Hits, total and facets.
    pub results: SearchResults,
    /// Documents per day per category.
    pub days: Days,
}

/// Runs the page's search (on the blocking pool).
pub async fn find(
    app: &Arc<App>,
    params: &Params,
    limit: usize,
    days: bool,
) -> Result<Found, WebError> {
    let ix = params.ix()?;
    let offset = params.number("offset", 0, 0, 1_000_000)?;
    let sort = match params.choice("sort", &["relevance", "date"])? {
        "date" => SortOrder::Date,
        _ => SortOrder::Relevance,
    };
    let (app2, params) = (app.clone(), params.clone());
    app.heavy(move || {
        let source = app2.source(ix)?;
        let subset = params.subset(source)?;
        let request = SearchRequest {
            query: subset.query.clone(),
            filters: subset.filters.clone(),
            limit,
            offset,
            sort,
            facets: if days { FACETS.to_vec() } else { Vec::new() },
            kwic: None,
        };
        let results = search::search(&source.index, &request)?;
        let mut per_group = Days::new();
        if days {
            let groups: Vec<String> = results
                .facets
                .get(&Facet::Category)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            for group in groups {
                let within = [group.clone()];
                let counts = search::facet_counts(
                    &source.index,
                    &subset.query,
                    &subset.filters,
                    Some((Facet::Category, &within)),
                )?;
                per_group.insert(group, counts.get(Facet::Day).clone());
            }
        }
        Ok(Found {
            results,
            days: per_group,
        })
    })
    .await
}

/// `GET /search`.
pub async fn page(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Html<String>, WebError> {
    let params = Params::parse(raw.as_deref());
    let found = find(&app, &params, PAGE, true).await?;
    let offset = params.number("offset", 0, 0, 1_000_000)?;
    let r = &found.results;
    let mut body = form::selection(
        "/search",
        &params,
        &html::select(
            "sort",
            "sort",
            params.or("sort", "relevance"),
            &[("relevance", "relevance"), ("date", "date")],
        ),
    );
    body.push_str(&form::chips("/search", &params, &ORDER));
    let shown_to = (offset + r.hits.len()) as u64;
    let _ = write!(
        body,
        "<p class=\"total\"><strong id=\"total\">{}</strong> matching documents{}</p>",
        r.total,
        if r.hits.is_empty() {
            String::new()
        } else {
            format!(", showing {}–{shown_to}", offset + 1)
        }
    );
    body.push_str(&form::actions("search", "/search", &params, &ORDER, ""));
    body.push_str(&histogram(&found.days));
    body.push_str("<div class=\"layout\"><div class=\"hits\">");
    for hit in &r.hits {
        body.push_str(&hit_html(hit, &params));
    }
    body.push_str(&pager(&params, offset, r.hits.len(), r.total));
    body.push_str("</div><aside class=\"facets\">");
    body.push_str(&facets(&params, r));
    body.push_str("</aside></div>");
    Ok(html::page("Search", &form::carry(&params), &body))
}

/// A link to a document's page.
pub fn doc_href(params: &Params, outlet: &str, id: &str) -> String {
    params
        .with("outlet", "")
        .with("doc-outlet", outlet)
        .with("id", id)
        .url("/doc", &["ix", "doc-outlet", "id", "q"])
}

fn hit_html(hit: &Hit, params: &Params) -> String {
    let title = if hit.title.is_empty() {
        "(untitled)"
    } else {
        &hit.title
    };
    let mut snippet = String::new();
    let mut at = 0;
    for [start, end] in &hit.highlights {
        let (Some(before), Some(word)) =
            (hit.snippet.get(at..*start), hit.snippet.get(*start..*end))
        else {
            continue;
        };
        let _ = write!(snippet, "{}<mark>{}</mark>", text(before), text(word));
        at = *end;
    }
    snippet.push_str(&text(hit.snippet.get(at..).unwrap_or("")));
    let copy = match &hit.copy_of {
        Some(c) => format!(
            " · copy of <a href=\"{}\">{} {}</a>",
            attr(&doc_href(params, &c.outlet, &c.id)),
            text(&c.outlet),
            text(&c.id)
        ),
        None => String::new(),
    };
    format!(
        "<div class=\"hit\"><a class=\"doc-link\" href=\"{}\">{}</a><div class=\"meta\">{} · {} · {} · {} · {}{copy}</div><div class=\"snippet\">{snippet}</div></div>",
        attr(&doc_href(params, &hit.outlet, &hit.id)),
        text(title),
        text(&hit.published),
        text(&hit.outlet),
        text(&hit.category),
        text(&hit.lang),
        text(&hit.medium),
    )
}

fn pager(params: &Params, offset: usize, shown: usize, total: u64) -> String {
    let mut out = String::from("<p class=\"pager\">");
    if offset > 0 {
        let prev = offset.saturating_sub(PAGE);
        let _ = write!(
            out,
            "{} ",
            html::link(
                &params
                    .with("offset", &prev.to_string())
                    .url("/search", &ORDER),
                "← previous"
            )
        );
    }
    if ((offset + shown) as u64) < total {
        let next = (offset + PAGE).to_string();
        let _ = write!(
            out,
            "{}",
            html::link(
                &params.with("offset", &next).url("/search", &ORDER),
                "next →"
            )
        );
    }
    out.push_str("</p>");
    out
}

fn facets(params: &Params, r: &SearchResults) -> String {
    let mut out = String::new();
    for facet in FACETS {
        let name = facet.field();
        let Some(values) = r.facets.get(&facet) else {
            continue;
        };
        let mut sorted: Vec<(&String, &u64)> = values.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let _ = write!(out, "<h2>{name}</h2><ul class=\"facet-{name}\">");
        let base = params.with("offset", "");
        for (value, count) in sorted.iter().take(FACET_VALUES) {
            let include = base
                .toggled(name, value, &format!("exclude-{name}"))
                .url("/search", &ORDER);
            let exclude = base
                .toggled(&format!("exclude-{name}"), value, name)
                .url("/search", &ORDER);
            let _ = write!(
                out,
                "<li><a class=\"include\" href=\"{}\" title=\"only this\">{}</a> <a class=\"exclude\" href=\"{}\" title=\"leave out\">−</a><span class=\"count\">{count}</span></li>",
                attr(&include),
                text(value),
                attr(&exclude),
            );
        }
        out.push_str("</ul>");
        if sorted.len() > FACET_VALUES {
            out.push_str(&html::note(&format!(
                "{} more values not listed",
                sorted.len() - FACET_VALUES
            )));
        }
    }
    out
}

/// Documents per day per group as a line chart, silences of [`MIN_GAP_DAYS`] or more shaded.
pub fn histogram(days: &Days) -> String {
    let parse = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let all: BTreeSet<NaiveDate> = days
        .values()
        .flat_map(|m| m.keys())
        .filter_map(|d| parse(d))
        .collect();
    let (Some(&first), Some(&last)) = (all.first(), all.last()) else {
        return html::note("No dated documents to chart.");
    };
    let mut starts = Vec::new();
    let mut day = first;
    while day <= last {
        starts.push(day.and_hms_opt(0, 0, 0).unwrap_or_default());
        day += Duration::days(1);
    }
    let mut series = Vec::new();
    let mut shades = Vec::new();
    for (i, (group, counts)) in days.iter().enumerate() {
        let colour = svg::colour(i).to_string();
        let values = starts
            .iter()
            .map(|s| {
                counts
                    .get(&s.date().format("%Y-%m-%d").to_string())
                    .copied()
                    .unwrap_or(0) as f64
            })
            .collect();
        let active: BTreeSet<NaiveDate> = counts
            .iter()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(d, _)| parse(d))
            .collect();
        for (from, to, n) in gaps_in(&active, MIN_GAP_DAYS) {
            shades.push(svg::TimeShade {
                from: from.and_hms_opt(0, 0, 0).unwrap_or_default(),
                until: (to + Duration::days(1))
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default(),
                label: format!("{group}: none, {n} days"),
                legend: format!("gap: {group} silent"),
                colour: colour.clone(),
            });
        }
        series.push(svg::TimeSeries {
            label: group.clone(),
            colour,
            values,
        });
    }
    let chart = svg::time_chart(&svg::TimeChart {
        id: "chart-days".into(),
        title: "Matching documents per day by category".into(),
        description: format!("Line chart of matching documents per day per category; runs of {MIN_GAP_DAYS} or more days without a matching document are shaded."),
        x_label: "Day".into(),
        y_label: "Documents".into(),
        starts,
        step: Duration::days(1),
        series,
        shades,
        y_max: None,
    });
    format!("<figure class=\"histogram\">{chart}</figure>")
}

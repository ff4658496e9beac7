//! `/timeline`: documents per group per day (or hour, week, month), and attention — the share
//! of each group's output matching the query — with a raw/normalized toggle.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock};

use axum::extract::State;
use axum::response::Html;
use chrono::NaiveDateTime;

use super::form;
use crate::report::charts::{bucket_labels, bucket_start};
use crate::report::svg;
use crate::report::table::{digits, TableSpec};
use crate::stats::timeline::{Buckets, GapScope, Interval, Timeline};
use crate::web::html::{self, text};
use crate::web::params::{self, Params};
use crate::web::{App, WebError};

/// The page's parameters in canonical order: the selection, then its own.
pub static ORDER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| params::order(&["by", "interval", "view", "min-gap"]));

/// One group in one bucket.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Row {
    /// Bucket label (its first day, or hour).
    pub bucket: String,
    /// Group label.
    pub group: String,
    /// The group's documents in the bucket (query ignored).
    pub documents: u64,
    /// Of those, the ones matching the query.
    pub matching: u64,
    /// `matching / documents` (0 when the group published nothing).
    pub share: f64,
}

// Repeated shape: a table described column by column, as every `TableSpec` is (data).
/// The rows as a table (CSV export).
pub fn spec<'a>() -> TableSpec<'a, Row> {
    TableSpec::of("timeline")
        .text("bucket", "bucket", |r: &Row| &r.bucket)
        .text("group", "group", |r| &r.group)
        .int("documents", "documents", |r| r.documents)
        .int("matching", "matching", |r| r.matching)
        .float("share", "share", digits(6, 4, 4), |r| r.share)
}

/// What the page shows: rows and the all-documents timeline (for gaps and notes).
pub struct Attention {
    /// One row per bucket per group, buckets in order.
    pub rows: Vec<Row>,
    /// Every document of the filters (query ignored).
    pub all: Timeline,
    /// Whether a query narrows the documents.
    pub query: bool,
}

/// Computes the page's timelines (on the blocking pool).
pub async fn attention(app: &Arc<App>, params: &Params) -> Result<Arc<Attention>, WebError> {
    let ix = params.ix()?;
    let by: crate::stats::scan::GroupBy = params
        .or("by", "category")
        .parse()
        .map_err(|e| WebError::BadRequest(format!("by: {e}")))?;
    let interval = params.choice("interval", &["day", "hour", "week", "month", "year"])?;
    let interval = Interval::parse(interval).unwrap_or_default();
    let min_gap = params.number("min-gap", 2, 1, 366)? as u64;
    // The view toggle does not change the numbers: both views share one result.
    let key = format!("timeline?{}", params.with("view", "").query(&ORDER));
    let (app2, params) = (app.clone(), params.clone());
    app.cached(ix, key, move || {
        let source = app2.source(ix)?;
        let subset = params.subset(source)?;
        let buckets = Buckets {
            interval,
            zone: subset.filters.zone,
        };
        // One library call: a query's timeline carries its groups' whole output (`totals`)
        // and the whole's gaps, so the whole is not counted a second time here.
        let query = !(subset.query.trim().is_empty() || subset.query.trim() == "*");
        let timeline = crate::stats::timeline(&source.index, &subset, by, buckets, min_gap)?;
        let (all, matched) = match timeline.totals.clone() {
            Some(totals) if query => {
                let all = Timeline {
                    groups: totals,
                    totals: None,
                    gaps: timeline.gaps.clone(),
                    ..timeline.clone()
                };
                (all, Some(timeline))
            }
            _ => (timeline, None),
        };
        let mut rows = Vec::new();
        let labels: Vec<String> = all
            .groups
            .values()
            .next()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for bucket in labels {
            for (group, volumes) in &all.groups {
                let documents = volumes.get(&bucket).map_or(0, |v| v.documents);
                let matching = match &matched {
                    Some(m) => m
                        .groups
                        .get(group)
                        .and_then(|g| g.get(&bucket))
                        .map_or(0, |v| v.documents),
                    None => documents,
                };
                let share = if documents == 0 {
                    0.0
                } else {
                    matching as f64 / documents as f64
                };
                rows.push(Row {
                    bucket: bucket.clone(),
                    group: group.clone(),
                    documents,
                    matching,
                    share,
                });
            }
        }
        Ok(Attention { rows, all, query })
    })
    .await
}

/// `GET /timeline`.
pub async fn page(State(app): State<Arc<App>>, params: Params) -> Result<Html<String>, WebError> {
    let view = params.choice("view", &["share", "raw"])?;
    let a = attention(&app, &params).await?;
    let extra = format!(
        "{}{}{}",
        form::by_select(&params),
        html::select(
            "interval",
            "per",
            params.or("interval", "day"),
            &[
                ("day", "day"),
                ("hour", "hour"),
                ("week", "week"),
                ("month", "month"),
                ("year", "year")
            ]
        ),
        html::hidden("view", view),
    );
    let mut body = form::selection("/timeline", &params, &extra);
    body.push_str(&form::chips("/timeline", &params, &ORDER));
    let toggle = |v: &str, label: &str| {
        if v == view {
            format!("<strong>{label}</strong>")
        } else {
            html::link(&params.with("view", v).url("/timeline", &ORDER), label)
        }
    };
    let _ = write!(
        body,
        "<p class=\"toggle\">Show: {} {}</p>",
        toggle("share", "attention (share of each group's output, %)"),
        toggle("raw", "raw counts (matching documents)")
    );
    if !a.query {
        body.push_str(&html::note("No query: every document matches, so attention is 100% wherever a group published. Type a query to see its share."));
    }
    if let Some(note) = a.all.off_timeline_note() {
        body.push_str(&html::note(&note));
    }
    body.push_str(&form::actions("timeline", "/timeline", &params, &ORDER, ""));
    body.push_str(&chart(&a, view == "share"));
    let mut by_bucket: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &a.rows {
        by_bucket.entry(&r.bucket).or_default().push(r);
    }
    let groups: Vec<&String> = a.all.groups.keys().collect();
    let mut header = vec!["bucket".to_string()];
    for g in &groups {
        header.push(format!("{g} documents"));
        header.push(format!("{g} matching"));
        header.push(format!("{g} share %"));
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut classes = vec![""];
    classes.extend(std::iter::repeat_n("num", groups.len() * 3));
    let rows: Vec<Vec<String>> = by_bucket
        .iter()
        .map(|(bucket, rs)| {
            let mut row = vec![text(bucket)];
            for r in rs {
                row.push(r.documents.to_string());
                row.push(r.matching.to_string());
                row.push(format!("{:.1}", r.share * 100.0));
            }
            row
        })
        .collect();
    body.push_str(&html::table("timeline", &header, &classes, &rows));
    if !a.all.gaps.is_empty() {
        body.push_str("<h2>Gaps in output</h2>");
        let gaps: Vec<Vec<String>> = a
            .all
            .gaps
            .iter()
            .map(|g| {
                vec![
                    text(g.scope.name()),
                    text(&g.name),
                    text(&g.group),
                    text(&g.from),
                    text(&g.to),
                    g.days.to_string(),
                ]
            })
            .collect();
        body.push_str(&html::table(
            "gaps",
            &["whose", "name", "group", "from", "to", "days"],
            &["", "", "", "", "", "num"],
            &gaps,
        ));
    }
    Ok(html::page("Timeline", &form::carry(&params), &body))
}

fn chart(a: &Attention, share: bool) -> String {
    let labels: Vec<&String> = bucket_labels(&a.all);
    let starts: Vec<NaiveDateTime> = labels.iter().filter_map(|l| bucket_start(l)).collect();
    if starts.len() != labels.len() || starts.is_empty() {
        return html::note("No dated documents to chart.");
    }
    let series = a
        .all
        .groups
        .keys()
        .enumerate()
        .map(|(i, group)| svg::Series {
            label: group.clone(),
            colour: svg::colour(i).to_string(),
            values: a
                .rows
                .iter()
                .filter(|r| &r.group == group)
                .map(|r| {
                    if share {
                        r.share * 100.0
                    } else {
                        r.matching as f64
                    }
                })
                .collect(),
        })
        .collect();
    let interval = a.all.interval;
    let groups: Vec<&String> = a.all.groups.keys().collect();
    let shades = a
        .all
        .gaps
        .iter()
        .filter(|g| g.scope == GapScope::Group)
        .filter_map(|g| {
            let i = groups.iter().position(|x| **x == g.name).unwrap_or(0);
            Some(svg::TimeShade {
                from: bucket_start(&g.from)?,
                until: bucket_start(&g.to)? + chrono::Duration::days(1),
                label: format!("{}: no output, {} days", g.name, g.days),
                legend: format!("gap: {} silent", g.name),
                colour: svg::colour(i).to_string(),
            })
        })
        .collect();
    let (title, y) = if share {
        (
            format!("Attention: share of each group's documents matching, per {interval}"),
            "% of the group's documents".to_string(),
        )
    } else {
        (
            format!("Matching documents per {interval}"),
            "Documents".to_string(),
        )
    };
    let svg = svg::time_chart(&svg::TimeChart {
        caption: svg::Caption::new("chart-timeline", title.clone(), title),
        x_label: interval.name().into(),
        y_label: y,
        starts,
        step: interval.step(),
        series,
        shades,
        y_max: share.then_some(100.0),
    });
    format!("<figure>{svg}</figure>")
}

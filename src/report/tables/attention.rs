//! Tables of `stats attention`: a query's matches against each group's whole output.

use crate::report::table::{column, Media, TableSpec, Value};
use crate::stats::attention::{AttentionPoint, AttentionTotal};

/// Per group over the whole range.
pub fn totals<'a>() -> TableSpec<'a, AttentionTotal> {
    let all = Media::ALL;
    TableSpec::new(
        "attention-totals",
        vec![
            column("group", "group", "", all, |t: &AttentionTotal| {
                Value::Text(t.group.clone())
            }),
            column("matches", "matches", "num", all, |t: &AttentionTotal| {
                Value::Int(t.matches)
            }),
            column(
                "documents",
                "documents",
                "num",
                all,
                |t: &AttentionTotal| Value::Int(t.documents),
            ),
            column("share", "share", "num", all, |t: &AttentionTotal| {
                Value::Share(t.share)
            }),
        ],
    )
}

/// Per group and interval.
pub fn series<'a>() -> TableSpec<'a, AttentionPoint> {
    let all = Media::ALL;
    TableSpec::new(
        "attention-series",
        vec![
            column("group", "group", "", all, |p: &AttentionPoint| {
                Value::Text(p.group.clone())
            }),
            column("bucket", "interval", "", all, |p: &AttentionPoint| {
                Value::Text(p.bucket.clone())
            }),
            column("matches", "matches", "num", all, |p: &AttentionPoint| {
                Value::Int(p.matches)
            }),
            column(
                "documents",
                "documents",
                "num",
                all,
                |p: &AttentionPoint| Value::Int(p.documents),
            ),
            column("share", "share", "num", all, |p: &AttentionPoint| {
                Value::Share(p.share)
            }),
        ],
    )
}

//! Tables of `stats copies`: each group's copies, who copies whom, the talking points and
//! every clustered document.

use crate::report::table::{column, digits, Media, TableSpec, Value};
use crate::stats::copies::{Cluster, ClusterDocument, Flow, GroupCopies, TalkingPoint};

/// Copies per group.
pub fn groups<'a>() -> TableSpec<'a, GroupCopies> {
    let all = Media::ALL;
    TableSpec::new(
        "copy-groups",
        vec![
            column("group", "group", "", all, |g: &GroupCopies| {
                Value::Text(g.group.clone())
            }),
            column("documents", "documents", "num", all, |g: &GroupCopies| {
                Value::Int(g.documents)
            }),
            column(
                "clustered",
                "in a cluster",
                "num",
                all,
                |g: &GroupCopies| Value::Int(g.clustered),
            ),
            column("copies", "copies", "num", all, |g: &GroupCopies| {
                Value::Int(g.copies)
            }),
            column("copy_share", "copy share", "num", all, |g: &GroupCopies| {
                Value::Share(g.copy_share)
            })
            .short("copy share %"),
        ],
    )
}

/// Outlet → outlet copies.
pub fn flows<'a>() -> TableSpec<'a, Flow> {
    let all = Media::ALL;
    TableSpec::new(
        "copy-flows",
        vec![
            column("from", "first published by", "", all, |f: &Flow| {
                Value::Text(f.from.clone())
            }),
            column("to", "copied by", "", all, |f: &Flow| {
                Value::Text(f.to.clone())
            }),
            column("count", "copies", "num", all, |f: &Flow| {
                Value::Int(f.count)
            }),
            column(
                "median_lag_hours",
                "median lag (h)",
                "num",
                all,
                |f: &Flow| Value::MaybeFloat(f.median_lag_hours, digits(2, 1, 1)),
            ),
        ],
    )
}

/// Texts carried by the most outlets.
pub fn talking_points<'a>() -> TableSpec<'a, TalkingPoint> {
    let all = Media::ALL;
    TableSpec::new(
        "talking-points",
        vec![
            column("cluster", "cluster", "num", all, |t: &TalkingPoint| {
                Value::Int(t.cluster as u64)
            }),
            column("outlets", "outlets", "num", all, |t: &TalkingPoint| {
                Value::Int(t.outlets as u64)
            }),
            column("documents", "documents", "num", all, |t: &TalkingPoint| {
                Value::Int(t.documents as u64)
            }),
            column("first_outlet", "first", "", all, |t: &TalkingPoint| {
                Value::Text(t.first_outlet.clone())
            }),
            column("title", "title", "", all, |t: &TalkingPoint| {
                Value::Text(t.title.clone())
            }),
        ],
    )
}

/// A clustered document with its cluster.
pub type Member<'r> = (&'r Cluster, &'r ClusterDocument);

/// Every document of every cluster.
pub fn members<'a, 'r>() -> TableSpec<'a, Member<'r>> {
    let all = Media::ALL;
    TableSpec::new(
        "copy-members",
        vec![
            column("cluster", "cluster", "num", all, |m: &Member| {
                Value::Int(m.0.id as u64)
            }),
            column("size", "size", "num", all, |m: &Member| {
                Value::Int(m.0.size as u64)
            }),
            column("id", "document", "", all, |m: &Member| {
                Value::Text(m.1.id.clone())
            }),
            column("outlet", "outlet", "", all, |m: &Member| {
                Value::Text(m.1.outlet.clone())
            }),
            column("category", "category", "", all, |m: &Member| {
                Value::Text(m.1.category.clone())
            }),
            column("published", "published", "", all, |m: &Member| {
                Value::Text(m.1.published.clone().unwrap_or_default())
            }),
            column("similarity", "similarity", "num", all, |m: &Member| {
                Value::Float(m.1.similarity, digits(4, 2, 2))
            }),
            column("lag_hours", "lag (h)", "num", all, |m: &Member| {
                Value::MaybeFloat(m.1.lag_hours, digits(2, 1, 1))
            }),
        ],
    )
}

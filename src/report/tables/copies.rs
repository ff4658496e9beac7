//! Tables of `stats copies`: each group's copies, who copies whom, the talking points and
//! every clustered document.

use crate::report::table::{digits, Media, TableSpec, Value};
use crate::stats::copies::{Cluster, ClusterDocument, Flow, GroupCopies, TalkingPoint};

/// Copies per group.
pub fn groups<'a>() -> TableSpec<'a, GroupCopies> {
    TableSpec::of("copy-groups")
        .text("group", "group", |g: &GroupCopies| &g.group)
        .int("documents", "documents", |g| g.documents)
        .int("clustered", "in a cluster", |g| g.clustered)
        .int("copies", "copies", |g| g.copies)
        .share("copy_share", "copy share", |g| g.copy_share)
        .short("copy share %")
}

/// Outlet → outlet copies.
pub fn flows<'a>() -> TableSpec<'a, Flow> {
    TableSpec::of("copy-flows")
        .text("from", "first published by", |f: &Flow| &f.from)
        .text("to", "copied by", |f| &f.to)
        .int("count", "copies", |f| f.count)
        .value("median_lag_hours", "median lag (h)", "num", |f| {
            Value::MaybeFloat(f.median_lag_hours, digits(2, 1, 1))
        })
}

/// Texts carried by the most outlets.
pub fn talking_points<'a>() -> TableSpec<'a, TalkingPoint> {
    TableSpec::of("talking-points")
        .int("cluster", "cluster", |t: &TalkingPoint| t.cluster as u64)
        .int("outlets", "outlets", |t| t.outlets as u64)
        .int("documents", "documents", |t| t.documents as u64)
        .text("first_outlet", "first", |t| &t.first_outlet)
        .text("title", "title", |t| &t.title)
}

/// A clustered document with its cluster.
pub type Member<'r> = (&'r Cluster, &'r ClusterDocument);

/// Every document of every cluster.
pub fn members<'a, 'r>() -> TableSpec<'a, Member<'r>> {
    TableSpec::of("copy-members")
        .int("cluster", "cluster", |m: &Member| m.0.id as u64)
        .int("size", "size", |m| m.0.size as u64)
        .text("id", "document", |m| &m.1.document.id)
        .text("outlet", "outlet", |m| &m.1.document.outlet)
        // Not in the terminal: the outlet says it, and the row fits 100 columns.
        .text("category", "category", |m| &m.1.document.category)
        .media(Media::FILES)
        .text("published", "published", |m| {
            m.1.document.published.as_deref().unwrap_or_default()
        })
        .float("similarity", "similarity", digits(4, 2, 2), |m| {
            m.1.similarity
        })
        .value("lag_hours", "lag (h)", "num", |m| {
            Value::MaybeFloat(m.1.lag_hours, digits(2, 1, 1))
        })
}

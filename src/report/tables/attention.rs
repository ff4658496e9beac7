//! Tables of `stats attention`: a query's matches against each group's whole output.

use crate::report::table::TableSpec;
use crate::stats::attention::{AttentionPoint, AttentionTotal};

// Column lists, one line a column: tables of other rows share their shapes (`duplicates`
// pairs them with `copies`, `report` and the web timeline), not their data.

/// Per group over the whole range.
pub fn totals<'a>() -> TableSpec<'a, AttentionTotal> {
    TableSpec::of("attention-totals")
        .text("group", "group", |t: &AttentionTotal| &t.group)
        .int("matches", "matches", |t| t.matches)
        .int("documents", "documents", |t| t.documents)
        .share("share", "share", |t| t.share)
}

/// Per group and interval.
pub fn series<'a>() -> TableSpec<'a, AttentionPoint> {
    TableSpec::of("attention-series")
        .text("group", "group", |p: &AttentionPoint| &p.group)
        .text("bucket", "interval", |p| &p.bucket)
        .int("matches", "matches", |p| p.matches)
        .int("documents", "documents", |p| p.documents)
        .share("share", "share", |p| p.share)
}

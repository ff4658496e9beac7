//! What a report needs of a shard beyond the statistics' counts: the selection's documents per
//! value of every facet, overall and within each group (the report's overview and language
//! mix), and the shard's index fingerprint sum (its provenance). Rows of `items` `report`:
//!
//! | kind          | group | term  | form  | documents | count                 |
//! |---------------|-------|-------|-------|-----------|-----------------------|
//! | `facet_all`   | ``    | facet | value |           | documents             |
//! | `facet_group` | group | facet | value |           | documents             |
//! | `fingerprint` | ``    |       |       | documents | sum of document hashes |

use std::collections::BTreeMap;

use super::dated::{fold, lacks};
use super::extra_rows::Extra;
use super::{Header, PartialError, Sourced};
use crate::index::{info, Index};
use crate::search::collect::FACET_FIELDS;
use crate::search::{self, Facet, FacetCounts, SearchError};
use crate::stats::scan::Subset;

/// The kinds of row of a report overview.
pub(super) const KINDS: [&str; 3] = ["facet_all", "facet_group", "fingerprint"];

/// Documents per facet value of a shard's selection, overall and per group, and its index's
/// fingerprint sum.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    /// The selection's documents per value of each facet.
    pub all: FacetCounts,
    /// The same within each group (by the grouping facet).
    pub groups: BTreeMap<String, FacetCounts>,
    /// Live documents of the whole index.
    pub index_documents: u64,
    /// [`info::fingerprint_sum`] of the whole index.
    pub fingerprint: u64,
}

impl Overview {
    /// The overview of `subset` (already of a shard) in `index`, groups by `facet`.
    pub(super) fn of_index(
        index: &Index,
        subset: &Subset,
        facet: Facet,
    ) -> Result<Overview, SearchError> {
        let (all, groups) =
            search::facet_counts_per_value(index, &subset.query, &subset.filters, facet)?;
        let (index_documents, fingerprint) = info::fingerprint_sum(index)?;
        Ok(Overview {
            all,
            groups,
            index_documents,
            fingerprint,
        })
    }

    /// Adds another shard's overview in.
    pub fn merge(&mut self, other: Overview) {
        self.all.merge(other.all);
        for (label, counts) in other.groups {
            self.groups.entry(label).or_default().merge(counts);
        }
        self.index_documents += other.index_documents;
        self.fingerprint = self.fingerprint.wrapping_add(other.fingerprint);
    }

    /// Emits its rows.
    pub(super) fn rows(
        &self,
        emit: &mut dyn FnMut(&str, Extra) -> Result<(), String>,
    ) -> Result<(), String> {
        let groups = std::iter::once(("facet_all", "", &self.all)).chain(
            self.groups
                .iter()
                .map(|(g, c)| ("facet_group", g.as_str(), c)),
        );
        for (kind, group, counts) in groups {
            for facet in FACET_FIELDS {
                for (value, n) in counts.get(facet) {
                    let row = Extra {
                        kind,
                        group,
                        term: Some(facet.field()),
                        form: Some(value),
                        count: *n,
                        ..Extra::default()
                    };
                    emit("report", row)?;
                }
            }
        }
        let fingerprint = Extra {
            kind: "fingerprint",
            documents: Some(self.index_documents),
            count: self.fingerprint,
            ..Extra::default()
        };
        emit("report", fingerprint)
    }

    /// Adds one row read back.
    pub(super) fn add(&mut self, row: Extra) -> Result<(), String> {
        let facet = || -> Result<Facet, String> {
            let name = row.term.ok_or("`term` is empty on a facet row")?;
            name.parse().map_err(|_| format!("unknown facet `{name}`"))
        };
        let value = || row.form.map(str::to_string).ok_or("`form` is empty");
        let counts = match row.kind {
            "facet_all" => &mut self.all,
            "facet_group" => self.groups.entry(row.group.to_string()).or_default(),
            "fingerprint" => {
                self.index_documents += row.documents.ok_or("`documents` is empty")?;
                self.fingerprint = self.fingerprint.wrapping_add(row.count);
                return Ok(());
            }
            other => return Err(format!("unknown kind `{other}` of report")),
        };
        *counts.get_mut(facet()?).entry(value()?).or_default() += row.count;
        Ok(())
    }
}

/// The report overviews of partials made alike, merged.
pub fn merge_overview(partials: Vec<Sourced>, expected: &Header) -> Result<Overview, PartialError> {
    fold(
        partials,
        expected,
        true,
        |total: &mut Overview, partial, origin| {
            let missing = || lacks(origin, "counts for a report", "--report");
            total.merge(partial.overview.ok_or_else(missing)?);
            Ok(())
        },
    )
}

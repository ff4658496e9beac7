//! Where a report's numbers come from: one index ([`Index`] implements [`Source`]), or the
//! shards of one corpus merged ([`super::merged::Merged`]: partial files, or several indexes
//! made into partials in-process). [`super::collect`] asks a source for each section's
//! counts and shapes them the same way whatever the source, so a report over shards is the
//! report over one index of all their documents — or says which section it left out and why.

use std::collections::BTreeMap;

use crate::index::{info, Index};
use crate::search::{self, FacetCounts, Passage, PassageQuery};
use crate::stats::attention::Attention;
use crate::stats::collapse::{self, CopiesMode, CopyCounting};
use crate::stats::copies::{CopySummary, DEFAULT_MIN_SIMILARITY};
use crate::stats::counts::TermCounts;
use crate::stats::fused::{report_counts, ReportCounts, ReportPass};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::timeline::{Buckets, Timeline};
use crate::stats::{self, CompareItems, CompareRequest};

use super::dynamics::TALKING_POINTS;
use super::request::ReportError;

/// A section of the report a source may lack the data of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Example passages (need the documents' texts).
    Examples,
    /// Copies and talking points (need every document's text signature).
    Copies,
    /// What changed (needs term counts per period).
    Change,
}

impl Section {
    /// Every section a source may lack, in the report's order.
    pub const ALL: [Section; 3] = [Section::Examples, Section::Copies, Section::Change];

    /// The section's name in `data.json`.
    pub fn name(self) -> &'static str {
        match self {
            Section::Examples => "examples",
            Section::Copies => "copies",
            Section::Change => "change",
        }
    }
}

/// The counts of a report's sections.
pub trait Source {
    /// Why the source has no data for `section` (the report leaves it out and says so), or
    /// `None` when it has.
    fn left_out(&self, _section: Section) -> Option<String> {
        None
    }

    /// The subset counted under `--copies` (`collapse` keeps one document per cluster).
    fn collapse(
        &self,
        subset: &Subset,
        mode: CopiesMode,
    ) -> Result<(Subset, CopyCounting), ReportError>;

    /// The subset's documents per facet value, overall and within each group of `by`.
    fn facets(
        &self,
        subset: &Subset,
        by: GroupBy,
    ) -> Result<(FacetCounts, BTreeMap<String, FacetCounts>), ReportError>;

    /// Timeline, entity and frame counts.
    fn counts(
        &self,
        subset: &Subset,
        by: GroupBy,
        pass: ReportPass,
    ) -> Result<ReportCounts, ReportError>;

    /// The term counts of a comparison (its subset and grouping; analyzed single words):
    /// the key terms, and those of each period of "What changed".
    fn term_counts(&self, request: &CompareRequest) -> Result<TermCounts, ReportError>;

    /// A passage query the report would ask of a source that lacks the texts (its example
    /// passages left out), noted for the shards to answer.
    fn asked(&self, _query: &PassageQuery) {}

    /// Example passages of a term, with the number of documents holding it.
    fn passages(&self, query: &PassageQuery) -> Result<(u64, Vec<Passage>), ReportError>;

    /// Near-duplicate copies among `subset`'s documents.
    fn copies(&self, subset: &Subset, by: GroupBy) -> Result<CopySummary, ReportError>;

    /// This source as one that several threads may ask at once, so that the report picks
    /// example passages while it looks for copies: one index is; merged shards, which note
    /// what they are asked, are not.
    fn concurrent(&self) -> Option<&(dyn Source + Sync)> {
        None
    }

    /// The subset's timeline per day (where "What changed" finds its periods).
    fn day_timeline(
        &self,
        subset: &Subset,
        by: GroupBy,
        min_gap_days: u64,
    ) -> Result<Timeline, ReportError>;

    /// Attention to the subset's query per group and bucket.
    fn attention(
        &self,
        subset: &Subset,
        by: GroupBy,
        buckets: Buckets,
    ) -> Result<Attention, ReportError>;

    /// Live documents and fingerprint of the whole corpus.
    fn fingerprint(&self) -> Result<(u64, String), ReportError>;
}

impl Source for Index {
    fn collapse(
        &self,
        subset: &Subset,
        mode: CopiesMode,
    ) -> Result<(Subset, CopyCounting), ReportError> {
        Ok(collapse::apply(self, subset, mode, DEFAULT_MIN_SIMILARITY)?)
    }

    fn facets(
        &self,
        subset: &Subset,
        by: GroupBy,
    ) -> Result<(FacetCounts, BTreeMap<String, FacetCounts>), ReportError> {
        let (query, filters) = (&subset.query, &subset.filters);
        Ok(search::facet_counts_per_value(
            self,
            query,
            filters,
            by.facet(),
        )?)
    }

    fn counts(
        &self,
        subset: &Subset,
        by: GroupBy,
        pass: ReportPass,
    ) -> Result<ReportCounts, ReportError> {
        Ok(report_counts(self, subset, by, pass)?)
    }

    fn term_counts(&self, request: &CompareRequest) -> Result<TermCounts, ReportError> {
        Ok(stats::item_counts(self, request, CompareItems::Terms)?)
    }

    fn passages(&self, query: &PassageQuery) -> Result<(u64, Vec<Passage>), ReportError> {
        Ok(search::passages(self, query)?)
    }

    fn copies(&self, subset: &Subset, by: GroupBy) -> Result<CopySummary, ReportError> {
        let copies = stats::copies(self, subset, by, DEFAULT_MIN_SIMILARITY, TALKING_POINTS)?;
        Ok(copies.summary)
    }

    fn concurrent(&self) -> Option<&(dyn Source + Sync)> {
        Some(self)
    }

    // Repeated shape: this `Source` method's signature, as each source (one index, merged shards)
    // implements it.
    fn day_timeline(
        &self,
        subset: &Subset,
        by: GroupBy,
        min_gap_days: u64,
    ) -> Result<Timeline, ReportError> {
        let buckets = Buckets::day(subset.filters.zone);
        Ok(stats::timeline(self, subset, by, buckets, min_gap_days)?)
    }

    fn attention(
        &self,
        subset: &Subset,
        by: GroupBy,
        buckets: Buckets,
    ) -> Result<Attention, ReportError> {
        Ok(stats::attention(self, subset, by, buckets)?)
    }

    fn fingerprint(&self) -> Result<(u64, String), ReportError> {
        info::fingerprint(self).map_err(|e| ReportError::Fingerprint(e.to_string()))
    }
}

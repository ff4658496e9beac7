//! Counting with copies (`--copies keep|collapse`): under `collapse` each near-duplicate
//! cluster (see [`crate::stats::copies`]) counts once, as its first publisher's document; the
//! later members are left out of every statistic through [`Filters::exclude_keys`].
//!
//! Clusters are found among every document the filters select, whatever the query: whether a
//! text is a copy does not depend on what is searched, so a timeline's matches and its whole
//! output are collapsed alike.

use serde::Serialize;

use crate::index::Index;
use crate::model::document_key;
use crate::search::Filters;
use crate::stats::copies;
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::StatsError;

/// Whether copies count once per document or once per cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CopiesMode {
    /// Every document counts, copies included.
    #[default]
    Keep,
    /// Each cluster of near duplicates counts once, attributed to its first publisher.
    Collapse,
}

impl CopiesMode {
    /// The flag value.
    pub fn name(self) -> &'static str {
        match self {
            CopiesMode::Keep => "keep",
            CopiesMode::Collapse => "collapse",
        }
    }
}

/// How copies were counted, for the output to state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyCounting {
    /// `keep` or `collapse`.
    pub mode: CopiesMode,
    /// Estimated Jaccard similarity two documents needed to be copies (collapse only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_similarity: Option<f64>,
    /// Clusters of copies found (0 under keep).
    pub clusters: usize,
    /// Documents left out because an earlier member of their cluster counts for them.
    pub documents_collapsed: u64,
}

impl CopyCounting {
    /// Every document counted.
    pub fn keep() -> CopyCounting {
        CopyCounting {
            mode: CopiesMode::Keep,
            min_similarity: None,
            clusters: 0,
            documents_collapsed: 0,
        }
    }

    /// One sentence saying how copies were counted.
    pub fn sentence(&self) -> String {
        match self.mode {
            CopiesMode::Keep => {
                "Copies kept: every document counts, near duplicates across outlets included (--copies keep).".to_string()
            }
            CopiesMode::Collapse => format!(
                "Copies collapsed (--copies collapse): {} clusters of near duplicates (estimated Jaccard similarity ≥ {}) count once each, as their first publisher's document; {} later copies are left out.",
                self.clusters,
                self.min_similarity.unwrap_or(copies::DEFAULT_MIN_SIMILARITY),
                self.documents_collapsed
            ),
        }
    }
}

/// The filters with the later members of every copies cluster left out, and what was left
/// out. Clusters are found among the documents `filters` select (no query).
pub fn collapse(
    index: &Index,
    filters: &Filters,
    min_similarity: f64,
) -> Result<(Filters, CopyCounting), StatsError> {
    let everything = Subset {
        query: String::new(),
        filters: filters.clone(),
    };
    let (records, _) = copies::collect_candidates(index, &everything, GroupBy::Category)?;
    // Untitled: only the members' keys are needed, and titles are reads of stored texts.
    let clusters = copies::untitled_clusters(&records, min_similarity)?;
    let mut excluded: Vec<String> = clusters
        .iter()
        .flat_map(|c| c.documents.iter().skip(1))
        .map(|d| document_key(&d.document.outlet, &d.document.id))
        .collect();
    excluded.sort();
    excluded.dedup();
    let counting = CopyCounting {
        mode: CopiesMode::Collapse,
        min_similarity: Some(min_similarity),
        clusters: clusters.len(),
        documents_collapsed: excluded.len() as u64,
    };
    let mut collapsed = filters.clone();
    collapsed.exclude_keys.extend(excluded);
    Ok((collapsed, counting))
}

/// The subset counted under `mode`, and how copies were counted.
pub fn apply(
    index: &Index,
    subset: &Subset,
    mode: CopiesMode,
    min_similarity: f64,
) -> Result<(Subset, CopyCounting), StatsError> {
    match mode {
        CopiesMode::Keep => Ok((subset.clone(), CopyCounting::keep())),
        CopiesMode::Collapse => {
            let (filters, counting) = collapse(index, &subset.filters, min_similarity)?;
            Ok((
                Subset {
                    query: subset.query.clone(),
                    filters,
                },
                counting,
            ))
        }
    }
}

//! What an error asks of its reader. Every layer's error type says whether the user can fix it
//! (a path, a value, a query, an input) or it is the tool's or the system's failure, and what
//! to do about it — without naming any command-line flag: the command line words the remedy
//! (`src/cli`), so the exit-code rule and the advice live in one place each.

use std::path::PathBuf;

use crate::index::IndexError;
use crate::ingest::IngestError;
use crate::pipeline::PipelineError;
use crate::registry::RegistryError;
use crate::report::ReportError;
use crate::search::SearchError;
use crate::stats::StatsError;

/// Something specific the user can do about an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// Create an index at this directory by ingesting documents into it.
    CreateIndex(PathBuf),
    /// Ingest documents into this (existing, empty) index.
    FillIndex(PathBuf),
    /// Ingest into a new index directory, or delete this one.
    NewIndex,
    /// Rebuild the index's terms with this build's analyzer (no input files needed).
    Reindex(PathBuf),
    /// Fix the directory's permissions or use another index directory; nothing was lost.
    WritableIndex,
    /// Free space or use another index directory; re-running completes the ingest.
    FreeSpace,
    /// Restore the damaged index from a backup, or ingest into a new index directory.
    RestoreIndex,
    /// Fix the output (`rejects`, `duplicates`) or write it elsewhere, and re-run.
    OtherOutput(&'static str),
}

/// Whose move it is after an error.
pub trait Diagnosis {
    /// True when the user can fix it; false for the tool's or the system's failures.
    fn user_fixable(&self) -> bool;

    /// What to do about it, when there is something specific.
    fn remedy(&self) -> Option<Remedy> {
        None
    }
}

impl Diagnosis for IndexError {
    fn user_fixable(&self) -> bool {
        !matches!(self, IndexError::Io { .. } | IndexError::Tantivy { .. })
    }

    fn remedy(&self) -> Option<Remedy> {
        match self {
            IndexError::NotFound { path } => Some(Remedy::CreateIndex(path.clone())),
            IndexError::Empty { path } => Some(Remedy::FillIndex(path.clone())),
            IndexError::SchemaMismatch { .. } => Some(Remedy::NewIndex),
            IndexError::AnalysisOutdated { path, .. } => Some(Remedy::Reindex(path.clone())),
            IndexError::NotWritable { .. } => Some(Remedy::WritableIndex),
            IndexError::NoSpace { .. } => Some(Remedy::FreeSpace),
            IndexError::Damaged { .. } => Some(Remedy::RestoreIndex),
            _ => None,
        }
    }
}

impl Diagnosis for SearchError {
    fn user_fixable(&self) -> bool {
        match self {
            SearchError::Query(_) | SearchError::Filter(_) | SearchError::BadDate { .. } => true,
            SearchError::Index(e) => e.user_fixable(),
            SearchError::Tantivy(_) => false,
        }
    }

    fn remedy(&self) -> Option<Remedy> {
        match self {
            SearchError::Index(e) => e.remedy(),
            _ => None,
        }
    }
}

impl Diagnosis for StatsError {
    fn user_fixable(&self) -> bool {
        match self {
            StatsError::Search(e) => e.user_fixable(),
            StatsError::UnknownGroup { .. } | StatsError::Periods(_) => true,
        }
    }

    fn remedy(&self) -> Option<Remedy> {
        match self {
            StatsError::Search(e) => e.remedy(),
            StatsError::UnknownGroup { .. } | StatsError::Periods(_) => None,
        }
    }
}

impl Diagnosis for RegistryError {
    fn user_fixable(&self) -> bool {
        true
    }
}

impl Diagnosis for IngestError {
    fn user_fixable(&self) -> bool {
        true
    }
}

impl Diagnosis for ReportError {
    fn user_fixable(&self) -> bool {
        match self {
            ReportError::Stats(e) => e.user_fixable(),
            ReportError::Search(e) => e.user_fixable(),
            ReportError::Registry(e) => e.user_fixable(),
            ReportError::Partial(_) | ReportError::Unsupported(_) => true,
            ReportError::Fingerprint(_) | ReportError::Io { .. } => false,
        }
    }

    fn remedy(&self) -> Option<Remedy> {
        match self {
            ReportError::Stats(e) => e.remedy(),
            ReportError::Search(e) => e.remedy(),
            _ => None,
        }
    }
}

impl Diagnosis for PipelineError {
    fn user_fixable(&self) -> bool {
        match self {
            PipelineError::Index(e) => e.user_fixable(),
            PipelineError::Input(_) | PipelineError::Registry(_) | PipelineError::Output { .. } => {
                true
            }
        }
    }

    fn remedy(&self) -> Option<Remedy> {
        match self {
            PipelineError::Index(e) => e.remedy(),
            PipelineError::Output { what, .. } => Some(Remedy::OtherOutput(what)),
            _ => None,
        }
    }
}

/// The diagnosis of the first error in `error`'s chain that has one.
pub fn diagnose(error: &(dyn std::error::Error + 'static)) -> Option<(bool, Option<Remedy>)> {
    let mut current = Some(error);
    while let Some(e) = current {
        macro_rules! try_as {
            ($($t:ty),*) => {
                $(if let Some(e) = e.downcast_ref::<$t>() {
                    return Some((e.user_fixable(), e.remedy()));
                })*
            };
        }
        try_as!(
            PipelineError,
            ReportError,
            StatsError,
            SearchError,
            IndexError,
            RegistryError,
            IngestError
        );
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_errors_keep_the_inner_diagnosis() {
        let missing = IndexError::NotFound {
            path: PathBuf::from("idx"),
        };
        let wrapped = StatsError::Search(SearchError::Index(missing));
        assert!(wrapped.user_fixable());
        assert_eq!(wrapped.remedy(), Some(Remedy::CreateIndex("idx".into())));
        assert_eq!(
            diagnose(&wrapped),
            Some((true, Some(Remedy::CreateIndex("idx".into()))))
        );
        let broken = SearchError::Tantivy(tantivy::TantivyError::InternalError("x".into()));
        assert_eq!(diagnose(&broken), Some((false, None)));
    }
}

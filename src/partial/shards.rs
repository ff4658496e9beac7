//! Where merged statistics come from: partial files, or several indexes each made into a
//! partial in-process — one code path, so several `--index` give what their partials give.

use std::path::PathBuf;

use super::{file, Partial, PartialError, Sourced};
use crate::index::Index;
use crate::search::query;
use crate::stats::scan::Subset;
use crate::stats::StatsError;

/// Shards of one corpus: partial files read, or indexes opened.
pub enum Shards {
    /// Partials read from files (each with its path).
    Files(Vec<Sourced>),
    /// Indexes (each with its directory), counted when a statistic asks.
    Indexes(Vec<Index>, Vec<PathBuf>),
}

impl Shards {
    /// The partials of `paths`, read (an unreadable or foreign file is an error naming it).
    pub fn read(paths: &[PathBuf]) -> Result<Shards, PartialError> {
        let sourced = paths
            .iter()
            .map(|path| {
                Ok(Sourced {
                    partial: file::read(path)?,
                    origin: path.clone(),
                })
            })
            .collect::<Result<_, PartialError>>()?;
        Ok(Shards::Files(sourced))
    }

    /// Indexes read as one corpus for `subset`: a filter value none of them holds is refused,
    /// as by one index of all their documents (one that only some lack selects nothing there).
    pub fn indexes(
        indexes: Vec<Index>,
        dirs: Vec<PathBuf>,
        subset: &Subset,
    ) -> Result<Shards, PartialError> {
        query::build_across(&indexes, &subset.query, &subset.filters).map_err(StatsError::from)?;
        Ok(Shards::Indexes(indexes, dirs))
    }

    /// The partials read, when the shards are files.
    pub fn files(&self) -> Option<&[Sourced]> {
        match self {
            Shards::Files(sourced) => Some(sourced),
            Shards::Indexes(..) => None,
        }
    }

    /// The indexes, when the shards are indexes.
    pub fn opened(&self) -> Option<&[Index]> {
        match self {
            Shards::Files(_) => None,
            Shards::Indexes(indexes, _) => Some(indexes),
        }
    }

    /// The partials to merge: the files' (cloned), or each index counted by `count`.
    pub fn partials(
        &self,
        count: impl Fn(&Index) -> Result<Partial, PartialError>,
    ) -> Result<Vec<Sourced>, PartialError> {
        match self {
            Shards::Files(sourced) => Ok(sourced.clone()),
            Shards::Indexes(indexes, dirs) => indexes
                .iter()
                .zip(dirs)
                .map(|(index, dir)| {
                    Ok(Sourced {
                        partial: count(index)?,
                        origin: dir.clone(),
                    })
                })
                .collect(),
        }
    }
}

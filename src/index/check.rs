//! Damage detection: an opened index in, `Ok` or [`IndexError::Damaged`] naming what is wrong
//! out — instead of a panic deep in tantivy or a silently wrong count.
//!
//! [`structure`] is cheap and runs on every open: every segment file `meta.json` lists
//! exists, and each segment holds as many documents as `meta.json` says (an edited
//! `max_doc` made `info` panic or undercount). [`verify`] reads every segment file and checks
//! its checksum (tantivy stores a CRC32 in each file's footer), so a flipped bit is found
//! before anything is computed from it; it is what `ingest`, `info`, `compare`, `stats` and
//! `report` run first.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tantivy::{Index, ReloadPolicy};

use crate::index::{schema, IndexError, Result};

fn damaged(dir: &Path, detail: impl Into<String>) -> IndexError {
    IndexError::Damaged {
        path: dir.to_path_buf(),
        detail: detail.into(),
    }
}

/// Runs `f`, turning a panic inside tantivy (which trusts its files) into damage, without
/// the panic message reaching the terminal.
fn without_panics<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(damaged(
            dir,
            format!("its files cannot be decoded ({message})"),
        ))
    })
}

/// The files of every segment `meta.json` lists: its six components, and its deletion
/// bitset when it has deletions.
fn segment_files(index: &Index, dir: &Path) -> Result<Vec<PathBuf>> {
    use tantivy::index::SegmentComponent as C;
    let metas = index
        .searchable_segment_metas()
        .map_err(|e| IndexError::from_tantivy_read(dir, e))?;
    let mut files = Vec::new();
    for meta in &metas {
        let components = [
            C::Postings,
            C::Positions,
            C::FastFields,
            C::FieldNorms,
            C::Terms,
            C::Store,
        ];
        files.extend(components.map(|c| meta.relative_path(c)));
        if meta.has_deletes() {
            files.push(meta.relative_path(C::Delete));
        }
    }
    files.sort();
    Ok(files)
}

/// Checks that every segment file exists and that each segment's document count in
/// `meta.json` matches its files.
pub fn structure(index: &Index, dir: &Path) -> Result<()> {
    for file in segment_files(index, dir)? {
        if !dir.join(&file).is_file() {
            return Err(damaged(
                dir,
                format!(
                    "segment file {} listed in meta.json is missing",
                    file.display()
                ),
            ));
        }
    }
    without_panics(dir, || counts(index, dir))
}

fn counts(index: &Index, dir: &Path) -> Result<()> {
    let read = |e| IndexError::from_tantivy_read(dir, e);
    let metas = index.searchable_segment_metas().map_err(read)?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(read)?;
    let searcher = reader.searcher();
    let text = index.schema().get_field(schema::TEXT).map_err(read)?;
    for segment in searcher.segment_readers() {
        let Some(meta) = metas.iter().find(|m| m.id() == segment.segment_id()) else {
            continue;
        };
        let id = meta.id().short_uuid_string();
        let rows = segment
            .fast_fields()
            .u64(schema::FINGERPRINT)
            .map_err(read)?
            .num_docs();
        let norms = segment
            .get_fieldnorms_reader(text)
            .map_err(read)?
            .num_docs();
        if rows != meta.max_doc() || norms != meta.max_doc() {
            return Err(damaged(
                dir,
                format!(
                    "meta.json says segment {id} holds {} documents, but its files hold {rows}",
                    meta.max_doc()
                ),
            ));
        }
        if segment.num_docs() != meta.num_docs() {
            return Err(damaged(
                dir,
                format!(
                    "meta.json says segment {id} has {} deleted documents, but its deletion file marks {}",
                    meta.num_deleted_docs(),
                    meta.max_doc() - segment.num_docs()
                ),
            ));
        }
    }
    Ok(())
}

/// Reads every segment file and checks its checksum, in parallel.
pub fn verify(index: &Index, dir: &Path) -> Result<()> {
    let files = segment_files(index, dir)?;
    let managed = index.directory();
    let bad: Vec<String> = files
        .par_iter()
        .filter_map(|file| match managed.validate_checksum(file) {
            Ok(true) => None,
            Ok(false) => Some(format!("{} fails its checksum", file.display())),
            Err(e) => Some(format!("{}: {e}", file.display())),
        })
        .collect();
    match bad.first() {
        None => Ok(()),
        Some(first) if bad.len() == 1 => Err(damaged(dir, first.clone())),
        Some(first) => Err(damaged(
            dir,
            format!("{first}, and {} more files", bad.len() - 1),
        )),
    }
}

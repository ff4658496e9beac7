//! Re-indexing: an index whose terms an older analyzer made in, the same documents with
//! this build's terms (and schema) out — from the stored documents, without the input files.
//!
//! The new index is built in a sibling directory (`INDEX.reindex-PID`, with the old index's
//! access mode, through the same safe directory as every index), the two directories are
//! exchanged atomically (`renameat2(RENAME_EXCHANGE)`), and then the files that are not
//! tantivy's (rejects, duplicates) are moved from the retired directory into the new one.
//! The old index's writer lock is held until the exchange, so no ingest can write into it
//! meanwhile; if the run is interrupted before the exchange, the old index is untouched and
//! the half-built sibling can be deleted.

use std::path::{Path, PathBuf};

use tantivy::schema::document::Document as _;
use tantivy::schema::Value as _;
use tantivy::{DocAddress, Index, TantivyDocument};

use super::directory::SafeDirectory;
use super::{exists, register_analyzer, schema, IndexError, Result};
use crate::analysis::names::stand_in;
use crate::files::{self, Access};
use crate::index::settings::IndexSettings;
use crate::index::writer::commit_with_settings;
use crate::model::document_key;

/// What a re-index did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReindexSummary {
    /// Documents re-indexed.
    pub documents: u64,
    /// Analysis version the index had (`None`: before versions were recorded).
    pub from_version: Option<u32>,
    /// Analysis version it has now.
    pub to_version: u32,
}

/// Memory budget of the re-index writer.
const WRITER_HEAP: usize = 128 * 1024 * 1024;

/// Whether `name` is a file tantivy manages in an index directory (meta files, locks,
/// segment files named by a 32-hex-digit id).
fn is_tantivy_file(name: &str) -> bool {
    if matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
    ) {
        return true;
    }
    let stem = name.split('.').next().unwrap_or("");
    stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit())
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    dir.with_file_name(format!("{name}.{suffix}-{}", std::process::id()))
}

/// Rebuilds the index in `dir` from its stored documents with this build's analysis;
/// `progress(done, total)` is called as documents are written.
pub fn reindex(dir: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<ReindexSummary> {
    if !exists(dir) {
        return Err(IndexError::NotFound {
            path: dir.to_path_buf(),
        });
    }
    let tantivy = |source| IndexError::from_tantivy(dir, source);
    let access = Access::of_dir(dir).unwrap_or_default();
    let old_directory =
        SafeDirectory::open(dir, access).map_err(|e| IndexError::from_tantivy_read(dir, e))?;
    let old = Index::open(old_directory).map_err(|e| IndexError::from_tantivy_read(dir, e))?;
    let from_version = super::analysis_version(&old).map_err(tantivy)?.flatten();
    // The rebuilt index keeps the old one's display zone.
    let settings = IndexSettings::of(&old).unwrap_or_default();
    // Holding the old index's writer lock keeps ingests out until the swap.
    let lock: tantivy::IndexWriter =
        old.writer_with_num_threads(1, 15_000_000)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked {
                    path: dir.to_path_buf(),
                },
                other => tantivy(other),
            })?;
    let old_schema = old.schema();
    let searcher = old.reader().map_err(tantivy)?.searcher();
    let total = searcher.num_docs();

    let building = sibling(dir, "reindex");
    // A leftover of this process id (or a planted link) is removed, never followed.
    files::remove_any(&building).map_err(|e| IndexError::from_io(&building, e))?;
    files::create_dir_all(&building, access).map_err(|e| IndexError::from_io(&building, e))?;
    let new_schema = schema::build();
    let new_directory = SafeDirectory::open(&building, access)
        .map_err(|e| IndexError::from_tantivy(&building, e))?;
    let new = Index::create(new_directory, new_schema.clone(), Default::default())
        .map_err(|e| IndexError::from_tantivy(&building, e))?;
    register_analyzer(&new);
    let field = |name| {
        new_schema
            .get_field(name)
            .map_err(|source| IndexError::Tantivy {
                path: building.clone(),
                source,
            })
    };
    let key = field(schema::KEY)?;
    let (title_names, text_names) = (field(schema::TITLE_NAMES)?, field(schema::TEXT_NAMES)?);
    let signature = field(schema::SIGNATURE)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 8));
    let mut writer = new
        .writer_with_num_threads(threads, WRITER_HEAP)
        .map_err(|e| IndexError::from_tantivy(&building, e))?;
    let mut done = 0u64;
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc_id in segment.doc_ids_alive() {
            let stored = super::stored::fetch(&searcher, DocAddress::new(ord as u32, doc_id))
                .map_err(tantivy)?;
            let named = stored.to_named_doc(&old_schema);
            let first = |name: &str| -> String {
                named
                    .0
                    .get(name)
                    .and_then(|values| values.first())
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            let (outlet, id) = (first(schema::OUTLET), first(schema::ID));
            let (title, text) = (first(schema::TITLE), first(schema::TEXT));
            let mut doc = TantivyDocument::convert_named_doc(&new_schema, named).map_err(|e| {
                IndexError::Tantivy {
                    path: dir.to_path_buf(),
                    source: tantivy::TantivyError::InvalidArgument(e.to_string()),
                }
            })?;
            doc.add_text(key, document_key(&outlet, &id));
            // The names fields and the signature are not stored: made again from the stored
            // title and text.
            if let Some(bytes) = super::signature::to_bytes(&title, &text) {
                doc.add_bytes(signature, &bytes);
            }
            doc.add_text(title_names, stand_in(&title));
            doc.add_text(text_names, stand_in(&text));
            writer
                .add_document(doc)
                .map_err(|e| IndexError::from_tantivy(&building, e))?;
            done += 1;
            if done.is_multiple_of(1024) {
                progress(done, total);
            }
        }
    }
    commit_with_settings(&mut writer, &settings)
        .map_err(|e| IndexError::from_tantivy(&building, e))?;
    writer
        .wait_merging_threads()
        .map_err(|e| IndexError::from_tantivy(&building, e))?;
    progress(done, total);

    drop(searcher);
    drop(old);
    // One atomic step: `dir` is the new index, `building` the old one.
    files::exchange(&building, dir).map_err(|e| IndexError::from_io(dir, e))?;
    drop(lock);
    // Rejects, duplicates and anything else that is not tantivy's go with the index.
    let retired = building;
    let entries = std::fs::read_dir(&retired).map_err(|e| IndexError::from_io(&retired, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IndexError::from_io(&retired, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_tantivy_file(&name) {
            // `rename` moves a link as a link: nothing planted is followed.
            std::fs::rename(entry.path(), dir.join(&name))
                .map_err(|e| IndexError::from_io(dir, e))?;
        }
    }
    files::remove_any(&retired).map_err(|e| IndexError::from_io(&retired, e))?;
    Ok(ReindexSummary {
        documents: done,
        from_version,
        to_version: crate::analysis::ANALYSIS_VERSION,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_files_are_told_from_ours() {
        assert!(is_tantivy_file("meta.json"));
        assert!(is_tantivy_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_tantivy_file("0123456789abcdef0123456789abcdef.7.del"));
        assert!(!is_tantivy_file("rejects.jsonl"));
        assert!(!is_tantivy_file("duplicates.jsonl"));
    }
}

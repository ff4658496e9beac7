//! Idempotent index writing: documents in, upserts and duplicate decisions out.
//!
//! The writer keeps, for every live document, its key (outlet + id) → text fingerprint, and
//! for every fingerprint the document holding it. Re-ingesting a document already present is a no-op, a
//! changed document with the same outlet and id replaces the old one, and the same text under a new key
//! is a duplicate. Commits are atomic: a killed ingest leaves the last commit, and a re-run
//! skips what that commit holds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::indexer::LogMergePolicy;
use tantivy::schema::{Field, Schema};
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};

use crate::index::schema;
use crate::index::{IndexError, Result};
use crate::model::Document;

/// What happened to a document offered to the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// New document, indexed.
    Indexed,
    /// Same outlet and id as an indexed document, different text: replaced it.
    Replaced,
    /// Same outlet, id and text as an indexed document: nothing to do.
    AlreadyIndexed,
    /// Same text as another indexed document with a different id.
    Duplicate {
        /// Id of the document that has the text.
        of: String,
    },
}

/// Handles of the schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    id: Field,
    key: Field,
    outlet: Field,
    category: Field,
    medium: Field,
    lang: Field,
    declared_lang: Field,
    lang_confidence: Field,
    lang_shares: Field,
    published: Field,
    day: Field,
    title: Field,
    text: Field,
    title_exact: Field,
    text_exact: Field,
    url: Field,
    cues: Field,
    fingerprint: Field,
    source_file: Field,
    source_line: Field,
}

impl Fields {
    /// Resolves the field handles of a mediawatch schema.
    pub fn new(schema: &Schema) -> Result<Fields> {
        let field = |name: &str| {
            schema
                .get_field(name)
                .map_err(|source| IndexError::Tantivy {
                    path: PathBuf::new(),
                    source,
                })
        };
        Ok(Fields {
            id: field(schema::ID)?,
            key: field(schema::KEY)?,
            outlet: field(schema::OUTLET)?,
            category: field(schema::CATEGORY)?,
            medium: field(schema::MEDIUM)?,
            lang: field(schema::LANG)?,
            declared_lang: field(schema::DECLARED_LANG)?,
            lang_confidence: field(schema::LANG_CONFIDENCE)?,
            lang_shares: field(schema::LANG_SHARES)?,
            published: field(schema::PUBLISHED)?,
            day: field(schema::DAY)?,
            title: field(schema::TITLE)?,
            text: field(schema::TEXT)?,
            title_exact: field(schema::TITLE_EXACT)?,
            text_exact: field(schema::TEXT_EXACT)?,
            url: field(schema::URL)?,
            cues: field(schema::CUES)?,
            fingerprint: field(schema::FINGERPRINT)?,
            source_file: field(schema::SOURCE_FILE)?,
            source_line: field(schema::SOURCE_LINE)?,
        })
    }

    /// The tantivy document for `doc`.
    pub fn to_tantivy(&self, doc: &Document) -> TantivyDocument {
        let mut out = TantivyDocument::default();
        out.add_text(self.id, &doc.id);
        out.add_text(self.key, doc.key());
        out.add_text(self.outlet, &doc.outlet);
        out.add_text(self.category, &doc.category);
        out.add_text(self.medium, &doc.medium);
        out.add_text(self.lang, &doc.lang);
        if let Some(declared) = &doc.declared_lang {
            out.add_text(self.declared_lang, declared);
        }
        out.add_f64(self.lang_confidence, doc.lang_confidence);
        let shares: Vec<serde_json::Value> = doc
            .lang_shares
            .iter()
            .map(|s| serde_json::json!({"lang": s.lang, "share": s.share}))
            .collect();
        out.add_text(
            self.lang_shares,
            serde_json::Value::Array(shares).to_string(),
        );
        out.add_date(
            self.published,
            DateTime::from_timestamp_secs(doc.published.timestamp()),
        );
        out.add_text(self.day, &doc.day);
        out.add_text(self.title, &doc.title);
        out.add_text(self.text, &doc.text);
        out.add_text(self.title_exact, &doc.title);
        out.add_text(self.text_exact, &doc.text);
        if let Some(url) = &doc.url {
            out.add_text(self.url, url);
        }
        if !doc.cues.is_empty() {
            let cues = serde_json::to_string(&doc.cues).unwrap_or_default();
            out.add_text(self.cues, cues);
        }
        out.add_u64(self.fingerprint, doc.fingerprint);
        out.add_text(self.source_file, &doc.provenance.file);
        out.add_u64(self.source_line, doc.provenance.line);
        out
    }
}

/// Writes documents into an index with upsert and duplicate semantics.
pub struct DocumentWriter {
    path: PathBuf,
    writer: IndexWriter,
    fields: Fields,
    /// Upsert key → text fingerprint, for every live document.
    fingerprint_by_key: HashMap<String, u64>,
    /// Text fingerprint → id of the document holding that text.
    holder_by_fingerprint: HashMap<u64, Holder>,
}

/// The document that holds a text.
#[derive(Debug, Clone)]
struct Holder {
    key: String,
    id: String,
}

/// Segments above this many documents are not merged further. Merging maps every input
/// segment into memory, so unbounded merges made peak RSS grow with the corpus (2.3 GB at a
/// million documents, mostly mapped segment files during the last merge); with this bound a
/// merge combines a handful of ~10k-document segments and the index settles into segments of
/// roughly 50–150k documents, which search just as well.
const MAX_DOCS_BEFORE_MERGE: usize = 50_000;

/// Memory budget of the tantivy writer per indexing thread.
const HEAP_PER_THREAD: usize = 96 * 1024 * 1024;

impl DocumentWriter {
    /// Takes the index's writer lock (failing fast if another ingest holds it) and loads the
    /// ids and fingerprints of the documents already indexed.
    /// An index directory that cannot be written to is an error here, before anything is
    /// read or written.
    pub fn open(index: &Index, path: &Path, threads: usize) -> Result<DocumentWriter> {
        check_writable(path)?;
        let threads = threads.clamp(1, 8);
        let writer = index
            .writer_with_num_threads(threads, threads * HEAP_PER_THREAD)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => IndexError::Locked {
                    path: path.to_path_buf(),
                },
                source => IndexError::from_tantivy(path, source),
            })?;
        let mut policy = LogMergePolicy::default();
        policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
        writer.set_merge_policy(Box::new(policy));
        let mut this = DocumentWriter {
            path: path.to_path_buf(),
            fields: Fields::new(&index.schema())?,
            writer,
            fingerprint_by_key: HashMap::new(),
            holder_by_fingerprint: HashMap::new(),
        };
        this.load_existing(index)?;
        Ok(this)
    }

    fn tantivy(&self) -> impl Fn(tantivy::TantivyError) -> IndexError + '_ {
        move |source| explain(&self.path, source)
    }

    fn load_existing(&mut self, index: &Index) -> Result<()> {
        let reader = index.reader().map_err(self.tantivy())?;
        let searcher = reader.searcher();
        let io = |source| IndexError::Io {
            path: self.path.clone(),
            source,
        };
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let (Some(keys), Some(ids)) = (
                fast.str(schema::KEY).map_err(self.tantivy())?,
                fast.str(schema::ID).map_err(self.tantivy())?,
            ) else {
                continue;
            };
            let fingerprints = fast.u64(schema::FINGERPRINT).map_err(self.tantivy())?;
            for doc in segment.doc_ids_alive() {
                let (mut key, mut id) = (String::new(), String::new());
                if let Some(ord) = keys.term_ords(doc).next() {
                    keys.ord_to_str(ord, &mut key).map_err(io)?;
                }
                if let Some(ord) = ids.term_ords(doc).next() {
                    ids.ord_to_str(ord, &mut id).map_err(io)?;
                }
                let fingerprint = fingerprints.first(doc).unwrap_or_default();
                self.fingerprint_by_key.insert(key.clone(), fingerprint);
                self.holder_by_fingerprint
                    .insert(fingerprint, Holder { key, id });
            }
        }
        Ok(())
    }

    /// Number of live documents, counting those added since the last commit.
    pub fn documents(&self) -> usize {
        self.fingerprint_by_key.len()
    }

    /// Offers a document: indexes, replaces, or skips it (see [`AddOutcome`]).
    pub fn add(&mut self, doc: &Document) -> Result<AddOutcome> {
        let key = doc.key();
        if let Some(holder) = self.holder_by_fingerprint.get(&doc.fingerprint) {
            if holder.key != key {
                return Ok(AddOutcome::Duplicate {
                    of: holder.id.clone(),
                });
            }
        }
        let outcome = match self.fingerprint_by_key.get(&key) {
            Some(&fingerprint) if fingerprint == doc.fingerprint => {
                return Ok(AddOutcome::AlreadyIndexed)
            }
            Some(&old) => {
                self.writer
                    .delete_term(Term::from_field_text(self.fields.key, &key));
                self.holder_by_fingerprint.remove(&old);
                AddOutcome::Replaced
            }
            None => AddOutcome::Indexed,
        };
        self.writer
            .add_document(self.fields.to_tantivy(doc))
            .map_err(self.tantivy())?;
        self.fingerprint_by_key.insert(key.clone(), doc.fingerprint);
        self.holder_by_fingerprint.insert(
            doc.fingerprint,
            Holder {
                key,
                id: doc.id.clone(),
            },
        );
        Ok(outcome)
    }

    /// Makes everything added so far durable and visible, atomically; the commit records
    /// the analysis version the terms were made with.
    pub fn commit(&mut self) -> Result<()> {
        commit_with_version(&mut self.writer).map_err(self.tantivy())
    }

    /// Commits and waits for background merges to finish.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        let path = self.path.clone();
        self.writer
            .wait_merging_threads()
            .map_err(|source| explain(&path, source))
    }
}

/// Commits `writer`, recording [`crate::analysis::ANALYSIS_VERSION`] in the commit payload.
pub fn commit_with_version(writer: &mut IndexWriter) -> tantivy::Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&super::version_payload());
    prepared.commit()?;
    Ok(())
}

/// Bytes written by [`check_writable`]: enough to notice a full disk.
const PROBE_BYTES: usize = 64 * 1024;

/// Fails with [`IndexError::NotWritable`] or [`IndexError::NoSpace`] when a small file
/// cannot be written in `dir`. Tantivy would otherwise fail only at the first commit, after
/// the whole input was read, or report a lock file it cannot create as a lock held by
/// another ingest.
/// The probe is a new file (never one found there, never through a link planted under its
/// name), removed again.
fn check_writable(dir: &Path) -> Result<()> {
    use std::io::Write;
    let probe = crate::files::temp_sibling(&dir.join("write-check"), "mediawatch");
    let written =
        crate::files::new_file(&probe, crate::files::Access::Private).and_then(|mut f| {
            let written = f.write_all(&[0u8; PROBE_BYTES]).and_then(|_| f.sync_all());
            drop(f);
            let removed = std::fs::remove_file(&probe);
            written.and(removed)
        });
    written.map_err(|source| IndexError::from_io(dir, source))
}

/// A tantivy write error on the index at `dir`, classified. An indexing thread that fails
/// (as on a full disk) reports only that it failed, so the directory is probed to say why.
fn explain(dir: &Path, source: tantivy::TantivyError) -> IndexError {
    match IndexError::from_tantivy(dir, source) {
        IndexError::Tantivy { path, source } => match check_writable(&path) {
            Err(disk @ (IndexError::NoSpace { .. } | IndexError::NotWritable { .. })) => disk,
            _ => IndexError::Tantivy { path, source },
        },
        classified => classified,
    }
}

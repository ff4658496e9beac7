//! Idempotent index writing: documents in, upserts and duplicate decisions out.
//!
//! The writer keeps, for every live document, its key (outlet + id) → text fingerprint and
//! labels, and for every fingerprint the documents holding that text (the first indexed
//! first). Re-ingesting a document already present is a no-op, or a relabelling when its
//! category or medium changed; a changed document with the same outlet and id replaces the
//! old one; the same text again from the same outlet is a duplicate; the same text from
//! another outlet is that outlet's coverage, indexed as a copy of the first
//! (`--drop-cross-outlet-copies` makes it a duplicate). Commits are atomic: a killed ingest
//! leaves the last commit, and a re-run skips what that commit holds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::indexer::LogMergePolicy;
use tantivy::schema::{Field, Schema};
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, Term};
use xxhash_rust::xxh3::Xxh3;

use crate::analysis::names::stand_in;
use crate::index::settings::IndexSettings;
use crate::index::{self, schema};
use crate::index::{IndexError, Result};
use crate::model::{Document, GivenLabels};

/// What happened to a document offered to the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// New document, indexed.
    Indexed,
    /// New document whose text another outlet published first: indexed, marked as a copy.
    Copy {
        /// Upsert key (outlet + id) of the first document with the text.
        of: String,
    },
    /// Same outlet and id as an indexed document, different text: replaced it.
    Replaced,
    /// Same text as an indexed document of the same record whose category, medium or
    /// outlet (through the registry) changed: re-labelled.
    Relabelled,
    /// Same outlet, id, text and labels as an indexed document: nothing to do.
    AlreadyIndexed,
    /// Same text as another indexed document of the same outlet (or of any outlet with
    /// `--drop-cross-outlet-copies`).
    Duplicate {
        /// Id of the document that has the text.
        of: String,
    },
}

/// How the writer treats what it is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriterOptions {
    /// What the index records about itself (written with every commit).
    pub settings: IndexSettings,
    /// Treat the same text from another outlet as a duplicate instead of a copy.
    pub drop_cross_outlet_copies: bool,
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
    date_precision: Field,
    day: Field,
    title: Field,
    text: Field,
    title_names: Field,
    text_names: Field,
    url: Field,
    cues: Field,
    fingerprint: Field,
    source_file: Field,
    source_line: Field,
    copy_of: Field,
    outlet_given: Field,
    given: Field,
    signature: Field,
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
            date_precision: field(schema::DATE_PRECISION)?,
            day: field(schema::DAY)?,
            title: field(schema::TITLE)?,
            text: field(schema::TEXT)?,
            title_names: field(schema::TITLE_NAMES)?,
            text_names: field(schema::TEXT_NAMES)?,
            url: field(schema::URL)?,
            cues: field(schema::CUES)?,
            fingerprint: field(schema::FINGERPRINT)?,
            source_file: field(schema::SOURCE_FILE)?,
            source_line: field(schema::SOURCE_LINE)?,
            copy_of: field(schema::COPY_OF)?,
            outlet_given: field(schema::OUTLET_GIVEN)?,
            given: field(schema::GIVEN)?,
            signature: field(schema::SIGNATURE)?,
        })
    }

    /// The tantivy document for `doc` with what was [`Prepared`] of it, a copy of the
    /// document with key `copy_of` if given.
    pub fn to_tantivy(
        &self,
        doc: &Document,
        prepared: Prepared,
        copy_of: Option<&str>,
    ) -> TantivyDocument {
        // Sized for the whole document up front: from tantivy's default 1 KiB the buffer grew
        // by doubling past the text, copying it two or three times per document.
        let mut out = TantivyDocument::with_capacity(document_bytes(doc));
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
        // `[{"lang":…,"share":…},…]`, written straight from the shares (the fields in this
        // order, a share as serde_json writes an f64).
        out.add_text(
            self.lang_shares,
            serde_json::to_string(&doc.lang_shares).unwrap_or_default(),
        );
        if let Some(published) = &doc.published {
            out.add_date(
                self.published,
                DateTime::from_timestamp_secs(published.at.timestamp()),
            );
            out.add_u64(self.date_precision, published.precision.code());
        }
        if !doc.day.is_empty() {
            out.add_text(self.day, &doc.day);
        }
        out.add_text(self.title, &doc.title);
        out.add_text(self.text, &doc.text);
        // Names are made from the title and text by the index tokenizer's walk.
        out.add_text(self.title_names, prepared.title_names);
        out.add_text(self.text_names, prepared.text_names);
        if let Some(url) = &doc.url {
            out.add_text(self.url, url);
        }
        if !doc.cues.is_empty() {
            let cues = serde_json::to_string(&doc.cues).unwrap_or_default();
            out.add_text(self.cues, cues);
        }
        out.add_u64(self.fingerprint, doc.fingerprint);
        // Made at ingest so that copy detection never re-reads the texts (issue 15).
        if let Some(signature) = prepared.signature {
            out.add_bytes(self.signature, &signature);
        }
        out.add_text(self.source_file, &doc.source_file);
        out.add_u64(self.source_line, doc.source_line);
        if let Some(original) = copy_of {
            out.add_text(self.copy_of, original);
        }
        // Most records name their outlet by its key and set no labels of their own: the
        // record's labels are stored only when they say more than the document's.
        if doc.given.outlet != doc.outlet {
            out.add_text(self.outlet_given, &doc.given.outlet);
        }
        let given = &doc.given;
        if given.category.is_some() || given.medium.is_some() || given.format_medium.is_some() {
            let own = GivenLabels {
                outlet: String::new(),
                ..given.clone()
            };
            out.add_text(self.given, serde_json::to_string(&own).unwrap_or_default());
        }
        out
    }
}

/// Room for every value [`Fields::to_tantivy`] writes of `doc`: its texts, the signature and
/// a margin for the short fields (each value is its bytes and a length of at most 5 bytes).
fn document_bytes(doc: &Document) -> usize {
    const SHORT_FIELDS: usize = 1024;
    let texts = [
        &doc.id,
        &doc.outlet,
        &doc.category,
        &doc.medium,
        &doc.lang,
        &doc.title,
        &doc.text,
        &doc.source_file,
    ];
    let text_bytes: usize = texts.iter().map(|t| t.len()).sum();
    // The key repeats outlet and id.
    SHORT_FIELDS
        + text_bytes
        + doc.outlet.len()
        + doc.id.len()
        + doc.url.as_ref().map_or(0, String::len)
        + super::signature::BYTES
}

/// What the index holds of a document that is made from its title and text alone: its
/// MinHash signature and its names fields' stand-ins. The ingest pipeline makes it on the
/// rayon threads that normalize the document, so that the writer's one thread only decides
/// and hands documents to tantivy (the signature was 2–3 % of an ingest's CPU on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    signature: Option<Vec<u8>>,
    title_names: String,
    text_names: String,
}

impl Prepared {
    /// [`Prepared::of`] with `signature` stored as the document's signature bytes: a damaged
    /// signature, for the tests of what reading one does.
    #[cfg(test)]
    pub(crate) fn with_signature(doc: &Document, signature: Vec<u8>) -> Prepared {
        Prepared {
            signature: Some(signature),
            ..Prepared::of(doc)
        }
    }

    /// What the index holds of `doc` made from its title and text.
    pub fn of(doc: &Document) -> Prepared {
        Prepared {
            signature: super::signature::to_bytes(&doc.title, &doc.text),
            title_names: stand_in(&doc.title),
            text_names: stand_in(&doc.text),
        }
    }
}

/// Writes documents into an index with upsert, duplicate and copy semantics.
pub struct DocumentWriter {
    path: PathBuf,
    writer: IndexWriter,
    fields: Fields,
    options: WriterOptions,
    // These two maps are the writer's memory that grows with the index (at a million
    // documents two million buckets each, ~360 MB with a `String` per key, id and given
    // outlet), so what they hold is kept small: boxed strings, no id beside the key that
    // holds it, the given outlet only when it is not the outlet.
    /// Upsert key → fingerprint and labels, for every live document.
    entries: HashMap<Box<str>, Entry>,
    /// Text fingerprint → the documents holding that text, the first indexed first.
    holders: HashMap<u64, Vec<Holder>>,
}

/// What the writer remembers of a live document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    fingerprint: u64,
    /// Hash of category and medium.
    labels: u64,
}

/// A document that holds a text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holder {
    /// Upsert key: outlet, U+001F, id.
    key: Box<str>,
    /// The outlet as the record named it, lowercased, when that is not the outlet lowercased
    /// (most records name their outlet by its registry key).
    outlet_given: Option<Box<str>>,
    /// Key of the document this one is a copy of.
    copy_of: Option<Box<str>>,
}

impl Holder {
    /// The holder of the document with upsert key `key` whose record named its outlet
    /// `outlet_given` (lowercased), a copy of `copy_of` if given.
    fn new(key: &str, outlet_given: String, copy_of: Option<&str>) -> Holder {
        let outlet_given =
            (outlet_given != split_key(key).0.to_lowercase()).then(|| outlet_given.into());
        Holder {
            key: key.into(),
            outlet_given,
            copy_of: copy_of.map(Into::into),
        }
    }

    fn outlet(&self) -> &str {
        split_key(&self.key).0
    }

    fn id(&self) -> &str {
        split_key(&self.key).1
    }

    /// Whether the record named the outlet `given` (lowercased).
    fn outlet_given_is(&self, given: &str) -> bool {
        match &self.outlet_given {
            Some(own) => **own == *given,
            None => self.outlet().to_lowercase() == given,
        }
    }
}

fn labels_hash(category: &str, medium: &str) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(category.as_bytes());
    hasher.update(b"\x1f");
    hasher.update(medium.as_bytes());
    hasher.digest()
}

/// Segments above this many documents are not merged further. Merging maps every input
/// segment into memory, so unbounded merges made peak RSS grow with the corpus (2.3 GB at a
/// million documents, mostly mapped segment files during the last merge). A commit flushes
/// one segment per indexing thread, so with the default commit interval (100,000 documents)
/// and 2 threads segments come out at 40–60k documents (see [`HEAP_PER_THREAD`]) and are
/// final as written: ingest does no merge work (merging was 7 % of its CPU when segments
/// were 10k and merged up to ~80k).
/// Smaller segments — a short `--commit-every`, the remainder at the end, many threads —
/// are merged a handful at a time.
const MAX_DOCS_BEFORE_MERGE: usize = 25_000;

/// Memory budget of the tantivy writer per indexing thread: room for a whole commit of
/// documents (the default 100,000 generated documents of ~3 KB fill ~275 MB on one thread),
/// so that a commit writes one segment per thread. At 96 MB each thread flushed a segment
/// early and another at the commit: twice the segments, each writing its own term
/// dictionary of much the same words, and the small ones merged later (5 % of an ingest's
/// CPU at 100k documents and 2 threads, for +40 MB peak RSS). Only what a segment holds is
/// allocated: the threads together hold about one commit's documents (split among them),
/// each at most this budget — with long documents, up to threads × 320 MB (was × 96 MB).
const HEAP_PER_THREAD: usize = 320 * 1024 * 1024;

impl DocumentWriter {
    /// Takes the index's writer lock (failing fast if another ingest holds it) and loads the
    /// keys, fingerprints and labels of the documents already indexed.
    /// An index directory that cannot be written to is an error here, before anything is
    /// read or written.
    pub fn open(
        index: &Index,
        path: &Path,
        threads: usize,
        options: WriterOptions,
    ) -> Result<DocumentWriter> {
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
            options,
            entries: HashMap::new(),
            holders: HashMap::new(),
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
            let column = |name| fast.str(name).map_err(self.tantivy());
            let Some(keys) = column(schema::KEY)? else {
                continue;
            };
            let (categories, media) = (column(schema::CATEGORY)?, column(schema::MEDIUM)?);
            let given =
                index::indexed_values(segment, self.fields.outlet_given).map_err(self.tantivy())?;
            let copies =
                index::indexed_values(segment, self.fields.copy_of).map_err(self.tantivy())?;
            let fingerprints = fast.u64(schema::FINGERPRINT).map_err(self.tantivy())?;
            let value = |column: &Option<tantivy::columnar::StrColumn>, doc| {
                let mut out = String::new();
                if let Some(column) = column {
                    if let Some(ord) = column.term_ords(doc).next() {
                        column.ord_to_str(ord, &mut out).map_err(io)?;
                    }
                }
                Ok::<String, IndexError>(out)
            };
            for doc in segment.doc_ids_alive() {
                let key = value(&Some(keys.clone()), doc)?;
                let fingerprint = fingerprints.first(doc).unwrap_or_default();
                let labels = labels_hash(&value(&categories, doc)?, &value(&media, doc)?);
                self.entries.insert(
                    key.as_str().into(),
                    Entry {
                        fingerprint,
                        labels,
                    },
                );
                // Stored only when it differs from the outlet (see `to_tantivy`).
                let outlet_given = given
                    .get(&doc)
                    .map_or_else(|| split_key(&key).0, String::as_str)
                    .to_lowercase();
                let holder = Holder::new(&key, outlet_given, copies.get(&doc).map(String::as_str));
                let holders = self.holders.entry(fingerprint).or_default();
                // Originals first: the first document with a text is the one copies point to.
                if holder.copy_of.is_none() {
                    holders.insert(0, holder);
                } else {
                    holders.push(holder);
                }
            }
        }
        Ok(())
    }

    /// Number of live documents, counting those added since the last commit.
    pub fn documents(&self) -> usize {
        self.entries.len()
    }

    /// Offers a document: indexes, replaces, relabels or skips it (see [`AddOutcome`]).
    pub fn add(&mut self, doc: &Document) -> Result<AddOutcome> {
        self.add_prepared(doc, Prepared::of(doc))
    }

    /// [`DocumentWriter::add`] with what was [`Prepared`] of `doc` beforehand (unused when
    /// the document is not written).
    pub fn add_prepared(&mut self, doc: &Document, prepared: Prepared) -> Result<AddOutcome> {
        let key = doc.key();
        let labels = labels_hash(&doc.category, &doc.medium);
        if let Some(entry) = self.entries.get(key.as_str()).copied() {
            if entry.fingerprint == doc.fingerprint {
                if entry.labels == labels {
                    return Ok(AddOutcome::AlreadyIndexed);
                }
                let copy_of = self
                    .holder(entry.fingerprint, &key)
                    .and_then(|h| h.copy_of.map(String::from));
                self.delete(&key, entry.fingerprint);
                self.write(doc, prepared, key, copy_of)?;
                return Ok(AddOutcome::Relabelled);
            }
            self.delete(&key, entry.fingerprint);
            self.place(doc, prepared, key)?;
            return Ok(AddOutcome::Replaced);
        }
        self.place(doc, prepared, key)
    }

    /// Indexes a document whose key is not in the index: a duplicate, a relabelled
    /// record, a copy or a new document.
    fn place(&mut self, doc: &Document, prepared: Prepared, key: String) -> Result<AddOutcome> {
        let outlet_given = doc.given.outlet.to_lowercase();
        let (same_outlet, moved, original) = match self.holders.get(&doc.fingerprint) {
            None => (None, None, None),
            Some(holders) => (
                holders
                    .iter()
                    .find(|h| h.outlet() == doc.outlet)
                    .map(|h| h.id().to_string()),
                // The same record (id, outlet as named) that a changed registry now joins
                // to another outlet.
                holders
                    .iter()
                    .find(|h| h.id() == doc.id && h.outlet_given_is(&outlet_given))
                    .map(|h| (h.key.to_string(), h.copy_of.as_deref().map(String::from))),
                holders
                    .first()
                    .map(|h| (h.key.to_string(), h.id().to_string())),
            ),
        };
        if let Some(of) = same_outlet {
            return Ok(AddOutcome::Duplicate { of });
        }
        if let Some((old_key, copy_of)) = moved {
            self.delete(&old_key, doc.fingerprint);
            self.write(doc, prepared, key, copy_of)?;
            return Ok(AddOutcome::Relabelled);
        }
        match original {
            Some((_, id)) if self.options.drop_cross_outlet_copies => {
                Ok(AddOutcome::Duplicate { of: id })
            }
            Some((of, _)) => {
                self.write(doc, prepared, key, Some(of.clone()))?;
                Ok(AddOutcome::Copy { of })
            }
            None => {
                self.write(doc, prepared, key, None)?;
                Ok(AddOutcome::Indexed)
            }
        }
    }

    fn holder(&self, fingerprint: u64, key: &str) -> Option<Holder> {
        self.holders
            .get(&fingerprint)
            .and_then(|hs| hs.iter().find(|h| *h.key == *key))
            .cloned()
    }

    /// Deletes the live document with `key` (holding the text `fingerprint`).
    fn delete(&mut self, key: &str, fingerprint: u64) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.key, key));
        self.entries.remove(key);
        if let Some(holders) = self.holders.get_mut(&fingerprint) {
            holders.retain(|h| *h.key != *key);
            if holders.is_empty() {
                self.holders.remove(&fingerprint);
            }
        }
    }

    fn write(
        &mut self,
        doc: &Document,
        prepared: Prepared,
        key: String,
        copy_of: Option<String>,
    ) -> Result<()> {
        self.writer
            .add_document(self.fields.to_tantivy(doc, prepared, copy_of.as_deref()))
            .map_err(self.tantivy())?;
        let holder = Holder::new(&key, doc.given.outlet.to_lowercase(), copy_of.as_deref());
        self.entries.insert(
            key.into_boxed_str(),
            Entry {
                fingerprint: doc.fingerprint,
                labels: labels_hash(&doc.category, &doc.medium),
            },
        );
        self.holders
            .entry(doc.fingerprint)
            .or_default()
            .push(holder);
        Ok(())
    }

    /// Gives an indexed document (key `old_key`) new labels: `doc` is the document as
    /// stored, with its new outlet, category and medium. Returns false, changing nothing,
    /// when its new key is another live document's.
    pub fn relabel(&mut self, old_key: &str, doc: &Document) -> Result<bool> {
        let key = doc.key();
        if key != old_key && self.entries.contains_key(key.as_str()) {
            return Ok(false);
        }
        let copy_of = self
            .holder(doc.fingerprint, old_key)
            .and_then(|h| h.copy_of.map(String::from));
        self.delete(old_key, doc.fingerprint);
        self.write(doc, Prepared::of(doc), key, copy_of)?;
        Ok(true)
    }

    /// Makes everything added so far durable and visible, atomically; the commit records
    /// the analysis version the terms were made with.
    pub fn commit(&mut self) -> Result<()> {
        commit_with_settings(&mut self.writer, &self.options.settings).map_err(self.tantivy())
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

/// Commits `writer` with `settings` (and this build's analysis version) as the payload.
pub fn commit_with_settings(
    writer: &mut IndexWriter,
    settings: &IndexSettings,
) -> tantivy::Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&settings.to_payload());
    prepared.commit()?;
    Ok(())
}

/// The upsert key of a copy's original, split back into (outlet, id).
pub fn split_key(key: &str) -> (&str, &str) {
    key.split_once('\u{1f}').unwrap_or(("", key))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_shares_are_written_as_through_json_values() {
        // The shares went through `serde_json::Value` before; the text must stay the same.
        use crate::lang::LangShare;
        let share = |lang, share| LangShare { lang, share };
        for shares in [
            vec![],
            vec![share("ru", 1.0)],
            vec![share("kk", 0.612_345_678_9), share("ru", 0.387_654_321_1)],
            vec![share("en", 1e-7), share("uk", f64::NAN), share("mn", 0.0)],
        ] {
            let values: Vec<serde_json::Value> = shares
                .iter()
                .map(|s| serde_json::json!({"lang": s.lang, "share": s.share}))
                .collect();
            assert_eq!(
                serde_json::to_string(&shares).unwrap(),
                serde_json::Value::Array(values).to_string()
            );
        }
    }

    #[test]
    fn a_holder_keeps_only_what_its_key_does_not_say() {
        let key = crate::model::document_key("tengrinews", "a\u{1f}1");
        let plain = Holder::new(&key, "tengrinews".to_string(), None);
        assert_eq!((plain.outlet(), plain.id()), ("tengrinews", "a\u{1f}1"));
        assert_eq!(
            (plain.outlet_given.as_deref(), plain.copy_of.as_deref()),
            (None, None)
        );
        assert!(plain.outlet_given_is("tengrinews"));
        assert!(!plain.outlet_given_is("tengri"));
        // A record that named its outlet otherwise keeps that name; a copy its original.
        let named = Holder::new(&key, "tengri news".to_string(), Some("kz\u{1f}7"));
        assert_eq!(named.outlet_given.as_deref(), Some("tengri news"));
        assert!(named.outlet_given_is("tengri news"));
        assert!(!named.outlet_given_is("tengrinews"));
        assert_eq!(named.copy_of.as_deref(), Some("kz\u{1f}7"));
        // The outlet as named is compared lowercased, as the key's outlet may not be.
        let upper = crate::model::document_key("KazTAG", "2");
        let holder = Holder::new(&upper, "kaztag".to_string(), None);
        assert_eq!(holder.outlet_given, None);
        assert!(holder.outlet_given_is("kaztag"));
        assert!(!holder.outlet_given_is("KazTAG"));
    }
}

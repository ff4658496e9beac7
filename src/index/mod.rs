//! The tantivy index: opening and creating it with mediawatch's schema and analyzer,
//! writing documents idempotently ([`writer`]) and summarizing what it holds ([`info`]).

mod check;
pub mod directory;
pub mod info;
pub mod reindex;
pub mod schema;
pub mod settings;
pub mod signature;
pub mod stored;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::tokenizer::TextAnalyzer;
/// An opened index: the handle search, the statistics and reports read through.
pub use tantivy::Index;

use crate::analysis::{
    MediawatchTokenizer, NamesTokenizer, ANALYSIS_VERSION, ANALYZER_NAME, NAMES_ANALYZER_NAME,
};
use crate::files::Access;
use directory::SafeDirectory;

/// Errors of the index layer (what to do about each: [`crate::error::Diagnosis`]).
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index at the path.
    #[error("no mediawatch index at {}", path.display())]
    NotFound {
        /// Index directory.
        path: PathBuf,
    },
    /// The index holds no documents.
    #[error("index {} is empty", path.display())]
    Empty {
        /// Index directory.
        path: PathBuf,
    },
    /// Another process holds the writer lock.
    #[error("index {} is locked by another ingest; wait for it to finish (search, compare and info still work)", path.display())]
    Locked {
        /// Index directory.
        path: PathBuf,
    },
    /// The index was built with another schema.
    #[error("index {} was built with a different schema (another mediawatch version?)", path.display())]
    SchemaMismatch {
        /// Index directory.
        path: PathBuf,
    },
    /// The index's terms were made by another version of the analyzer.
    #[error("index {} was built with {} and this mediawatch analyzes text with version {current}", path.display(), found.map_or("an older analyzer".to_string(), |v| format!("analysis version {v}")))]
    AnalysisOutdated {
        /// Index directory.
        path: PathBuf,
        /// The version the index records (`None`: before versions were recorded).
        found: Option<u32>,
        /// This build's version.
        current: u32,
    },
    /// The index directory cannot be written to (permissions, read-only file system).
    #[error("cannot write to index {}: {reason}", path.display())]
    NotWritable {
        /// Index directory.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// The index cannot be read (permissions).
    #[error("cannot read index {}: {reason}; reading needs only read permission on the directory and its files — ask the index's owner for it", path.display())]
    NotReadable {
        /// Index directory.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// The index's files are inconsistent: edited or truncated metadata, damaged segment
    /// files, segments without metadata.
    #[error("index is damaged: {}: {detail}; nothing was changed", path.display())]
    Damaged {
        /// Index directory — or the damaged file itself, when a searcher found it without
        /// knowing the directory (see [`stored::fetch`]).
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The device holding the index is full.
    #[error("no space left on the device holding index {}", path.display())]
    NoSpace {
        /// Index directory.
        path: PathBuf,
    },
    /// A file-system error on the index directory.
    // The cause is not repeated in the message: it is the error's source, and the binary
    // prints the whole chain.
    #[error("index {}", path.display())]
    Io {
        /// Index directory.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// Any other tantivy error.
    #[error("index {}", path.display())]
    Tantivy {
        /// Index directory.
        path: PathBuf,
        /// Underlying error.
        source: tantivy::TantivyError,
    },
}

/// Result type of the index layer.
pub type Result<T> = std::result::Result<T, IndexError>;

impl IndexError {
    /// A file-system error on the index at `path`: a full disk and an unwritable directory
    /// get their own variants, with what to do about them.
    pub fn from_io(path: &Path, source: std::io::Error) -> IndexError {
        classify_io(path, &source).unwrap_or_else(|| IndexError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// A tantivy error on the index at `path`, classified as [`IndexError::from_io`] does
    /// when an I/O error lies underneath.
    pub fn from_tantivy(path: &Path, source: tantivy::TantivyError) -> IndexError {
        if let Some(damage) = check::damage_in(&source) {
            return damage;
        }
        underlying_io(&source)
            .and_then(|io| classify_io(path, io))
            .unwrap_or_else(|| IndexError::Tantivy {
                path: path.to_path_buf(),
                source,
            })
    }
}

impl IndexError {
    /// A tantivy error while *reading* the index at `path`: a permission problem is
    /// [`IndexError::NotReadable`], corrupt data [`IndexError::Damaged`].
    pub fn from_tantivy_read(path: &Path, source: tantivy::TantivyError) -> IndexError {
        if let Some(damage) = check::damage_in(&source) {
            return damage;
        }
        let io = underlying_io(&source);
        if let Some(io) = io {
            if io.kind() == std::io::ErrorKind::PermissionDenied {
                return IndexError::NotReadable {
                    path: path.to_path_buf(),
                    reason: io.to_string(),
                };
            }
        }
        if is_corruption(&source) {
            return IndexError::Damaged {
                path: path.to_path_buf(),
                detail: source.to_string(),
            };
        }
        IndexError::from_tantivy(path, source)
    }
}

/// Whether a tantivy error says the data is corrupt (bad metadata, a file footer that does
/// not check out, undecodable contents).
fn is_corruption(error: &tantivy::TantivyError) -> bool {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError as E;
    match error {
        E::DataCorruption(_) => true,
        E::IoError(io) | E::OpenReadError(OpenReadError::IoError { io_error: io, .. }) => {
            io.kind() == std::io::ErrorKind::InvalidData
                || io.kind() == std::io::ErrorKind::UnexpectedEof
        }
        _ => false,
    }
}

fn classify_io(path: &Path, error: &std::io::Error) -> Option<IndexError> {
    use std::io::ErrorKind;
    let path = path.to_path_buf();
    match error.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(IndexError::NoSpace { path }),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            Some(IndexError::NotWritable {
                path,
                reason: error.to_string(),
            })
        }
        _ => None,
    }
}

/// The I/O error inside a tantivy error, where there is one.
fn underlying_io(error: &tantivy::TantivyError) -> Option<&std::io::Error> {
    use tantivy::directory::error::{LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
    use tantivy::TantivyError as E;
    match error {
        E::IoError(io)
        | E::LockFailure(LockError::IoError(io), _)
        | E::OpenWriteError(OpenWriteError::IoError { io_error: io, .. })
        | E::OpenReadError(OpenReadError::IoError { io_error: io, .. })
        | E::OpenDirectoryError(OpenDirectoryError::IoError { io_error: io, .. }) => Some(io),
        _ => None,
    }
}

fn tantivy_error(path: &Path) -> impl Fn(tantivy::TantivyError) -> IndexError + '_ {
    move |source| IndexError::from_tantivy(path, source)
}

fn register_analyzer(index: &Index) {
    index.tokenizers().register(
        ANALYZER_NAME,
        TextAnalyzer::from(MediawatchTokenizer::default()),
    );
    index.tokenizers().register(
        NAMES_ANALYZER_NAME,
        TextAnalyzer::from(NamesTokenizer::default()),
    );
}

/// The analysis version an index's last commit records: `Ok(None)` for an index without
/// documents (any version may write it), `Ok(Some(None))` for one committed before versions
/// were recorded.
pub fn analysis_version(index: &Index) -> tantivy::Result<Option<Option<u32>>> {
    let metas = index.load_metas()?;
    if metas.segments.is_empty() && metas.payload.is_none() {
        return Ok(None);
    }
    let version = metas
        .payload
        .as_deref()
        .and_then(settings::IndexSettings::from_payload)
        .and_then(|s| s.analysis_version);
    Ok(Some(version))
}

/// Fails with [`IndexError::AnalysisOutdated`] unless the index in `dir` is empty or was
/// built with this build's analysis.
fn check_version(dir: &Path, index: &Index) -> Result<()> {
    match analysis_version(index).map_err(|e| IndexError::from_tantivy_read(dir, e))? {
        Some(found) if found != Some(ANALYSIS_VERSION) => Err(IndexError::AnalysisOutdated {
            path: dir.to_path_buf(),
            found,
            current: ANALYSIS_VERSION,
        }),
        _ => Ok(()),
    }
}

/// The values of an indexed, untokenized field by live document of a segment, read from its
/// term dictionary and postings: for fields few documents have (`copy_of`, `outlet_given`),
/// cheaper than a fast field kept for every document.
pub fn indexed_values(
    segment: &tantivy::SegmentReader,
    field: tantivy::schema::Field,
) -> tantivy::Result<std::collections::HashMap<tantivy::DocId, String>> {
    use tantivy::{DocSet, TERMINATED};
    let inverted = segment.inverted_index(field)?;
    let mut terms = inverted.terms().stream()?;
    let mut values = std::collections::HashMap::new();
    while terms.advance() {
        let value = String::from_utf8_lossy(terms.key()).into_owned();
        let mut postings = inverted.read_postings_from_terminfo(
            terms.value(),
            tantivy::schema::IndexRecordOption::Basic,
        )?;
        while postings.doc() != TERMINATED {
            let doc = postings.doc();
            if segment
                .alive_bitset()
                .is_none_or(|alive| alive.is_alive(doc))
            {
                values.insert(doc, value.clone());
            }
            postings.advance();
        }
    }
    Ok(values)
}

/// True when `dir` holds a tantivy index.
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Extensions of tantivy segment files.
const SEGMENT_EXTENSIONS: [&str; 7] = ["idx", "pos", "term", "store", "fast", "fieldnorm", "del"];

/// A segment file in `dir`, if any (looked for when `meta.json` is missing: creating an index
/// there would let tantivy's garbage collection delete them).
fn orphan_segment(dir: &Path) -> Option<String> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| {
            Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SEGMENT_EXTENSIONS.contains(&e))
        })
}

/// Opens the index in `dir`, creating the directory and an empty index when missing. A
/// directory that holds segment files but no `meta.json` is refused as damaged (creating an
/// index there would delete them).
pub fn open_or_create(dir: &Path) -> Result<Index> {
    std::fs::create_dir_all(dir).map_err(|source| IndexError::from_io(dir, source))?;
    let access = Access::of_dir(dir).unwrap_or_default();
    if exists(dir) {
        // An index of an older analysis is refused before its schema is compared.
        let directory =
            SafeDirectory::open(dir, access).map_err(|e| IndexError::from_tantivy_read(dir, e))?;
        let existing = Index::open(directory).map_err(|e| IndexError::from_tantivy_read(dir, e))?;
        check_version(dir, &existing)?;
    } else if let Some(file) = orphan_segment(dir) {
        return Err(IndexError::Damaged {
            path: dir.to_path_buf(),
            detail: format!(
                "it holds segment files ({file}, …) but no meta.json, so they cannot be read, and a new index here would delete them"
            ),
        });
    }
    let directory =
        SafeDirectory::open(dir, access).map_err(|e| IndexError::from_tantivy(dir, e))?;
    let index = Index::open_or_create(directory, schema::build()).map_err(|e| match e {
        tantivy::TantivyError::SchemaError(_) => IndexError::SchemaMismatch {
            path: dir.to_path_buf(),
        },
        other if is_corruption(&other) => IndexError::from_tantivy_read(dir, other),
        other => tantivy_error(dir)(other),
    })?;
    register_analyzer(&index);
    check::structure(&index, dir)?;
    Ok(index)
}

/// Opens an existing index that holds at least one document (for search and statistics).
pub fn open_nonempty(dir: &Path) -> Result<Index> {
    let index = open(dir)?;
    refuse_empty(dir, &index)?;
    Ok(index)
}

/// [`IndexError::Empty`] when `index` (at `dir`) holds no live document.
fn refuse_empty(dir: &Path, index: &Index) -> Result<()> {
    let reader = index
        .reader()
        .map_err(|e| IndexError::from_tantivy_read(dir, e))?;
    if reader.searcher().num_docs() == 0 {
        return Err(IndexError::Empty {
            path: dir.to_path_buf(),
        });
    }
    Ok(())
}

/// Opens an existing index that holds at least one document for a command that `reads` so
/// much of it — with [`StoreChecks`] under [`Reads::SomeStores`] — and checks the files it
/// reads up front ([`verify_for`]).
pub fn open_for(dir: &Path, reads: Reads) -> Result<Index> {
    let index = match reads {
        Reads::SomeStores => open_checking_stores(dir)?.0,
        Reads::Postings | Reads::Index | Reads::Everything => open(dir)?,
    };
    refuse_empty(dir, &index)?;
    verify_for(&index, dir, reads)?;
    Ok(index)
}

/// Opens an existing index for reading (read permission is enough). Its metadata and the
/// document counts of its segments are checked ([`check::structure`]); [`verify`] also
/// checks every file's checksum.
pub fn open(dir: &Path) -> Result<Index> {
    open_with(dir, None)
}

/// [`open`] for a command that shows the stored text of some documents and checks the
/// document store of a segment only when it first reads one of its documents (see
/// [`StoreChecks`]); [`verify_for`] with [`Reads::Index`] checks the other files. A read from
/// a store that fails its checksum is an [`IndexError::Damaged`] naming the file.
pub fn open_checking_stores(dir: &Path) -> Result<(Index, StoreChecks)> {
    let checks = StoreChecks::new(dir);
    Ok((open_with(dir, Some(checks.clone()))?, checks))
}

fn open_with(dir: &Path, store_checks: Option<StoreChecks>) -> Result<Index> {
    match std::fs::metadata(dir.join("meta.json")) {
        Ok(meta) if meta.is_file() => {}
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(IndexError::NotReadable {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            })
        }
        _ => {
            return Err(IndexError::NotFound {
                path: dir.to_path_buf(),
            })
        }
    }
    let access = Access::of_dir(dir).unwrap_or_default();
    let directory = SafeDirectory::open_for_reading(dir, access, store_checks)
        .map_err(|e| IndexError::from_tantivy_read(dir, e))?;
    let index = Index::open(directory).map_err(|e| IndexError::from_tantivy_read(dir, e))?;
    check_version(dir, &index)?;
    if index.schema() != schema::build() {
        return Err(IndexError::SchemaMismatch {
            path: dir.to_path_buf(),
        });
    }
    register_analyzer(&index);
    check::structure(&index, dir)?;
    Ok(index)
}

pub use check::{damage_in, verify, verify_for, verify_stores, Reads, StoreChecks};

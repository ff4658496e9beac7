//! Damage detection: an opened index in, `Ok` or [`IndexError::Damaged`] naming what is wrong
//! out — instead of a panic deep in tantivy or a silently wrong count.
//!
//! [`structure`] is cheap and runs on every open: every segment file `meta.json` lists
//! exists, and each segment holds as many documents as `meta.json` says (an edited
//! `max_doc` made `info` panic or undercount). [`verify_for`] reads segment files and checks
//! their checksums (tantivy stores a CRC32 in each file's footer), so a flipped bit is found
//! before anything is computed from it.
//!
//! The rule: **a command checks every file it reads, and only those** ([`Reads`]). Counting
//! (`compare`, `stats terms`, `timeline`, `entities`, `frames`) reads term dictionaries,
//! postings, positions, fast fields, field norms and deletions, never the stored texts, so it
//! leaves the document store (the largest file, ~60 % of an index) unchecked: checking it
//! would cost every count a full read of files the count never touches. Counting single
//! words for a query without a phrase (`compare`'s default) reads no positions either, and
//! leaves them unchecked too ([`Reads::Postings`]). Commands that read
//! the stored text of every document they cover (`export`, `attention` and `terms --term`,
//! `partial`, `passages`) and those that vouch for the whole index (`ingest`, `info`) check
//! every file ([`verify`]). Those that show the text of a few documents (`report`: example
//! passages and talking points' titles; `stats copies`: talking points' titles; `stats` with
//! `--copies collapse`) check every file but the stores up front ([`Reads::SomeStores`]),
//! and open the index with [`StoreChecks`] ([`crate::index::open_checking_stores`]), which
//! checks a segment's store once, before the first of its documents is read — a flip in a
//! store they read is damage, one in a store they never read changes nothing they show.
//! `search` checks structure only: a query at 1M documents takes less time than reading the
//! document stores would ([`verify_stores`] is there for a caller that wants them checked).
//!
//! What tantivy cannot decode is checked when it happens: a panic or a decoding error while
//! the segments are opened ([`structure`]) or while a stored document is read
//! ([`crate::index::stored::fetch`]: a store's blocks' index is decoded before any read a
//! [`StoreCheck`] can stop) makes the checksums be checked then, and the damaged file named.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use tantivy::index::SegmentComponent;
use tantivy::{Index, ReloadPolicy};

use crate::index::{schema, IndexError, Result};

fn damaged(dir: &Path, detail: impl Into<String>) -> IndexError {
    IndexError::Damaged {
        path: dir.to_path_buf(),
        detail: detail.into(),
    }
}

thread_local! {
    /// Whether this thread runs inside [`catching`]: its panics are then answered, not
    /// printed.
    static CATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic inside tantivy (which trusts its files) into `Err` with the
/// panic's message, without the message reaching the terminal. The process's panic hook is
/// wrapped once, to stay silent for panics on a thread inside `catching` only: other
/// threads' panics print as before (swapping the hook for each call would silence them
/// too, and race with other threads doing the same).
pub(crate) fn catching<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let printing = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(std::cell::Cell::get) {
                printing(info);
            }
        }));
    });
    let outer = CATCHING.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(outer));
    result.map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

/// Opens the segments of `index` (at `dir`) as `open` does, a panic in tantivy or data it
/// cannot decode being damage. Which file is damaged is what a researcher acts on, and
/// tantivy's message rarely says (a flipped byte in a store's blocks index panics with
/// "assertion failed: end <= orig_range.end"): so the segment files' checksums are checked
/// then, and the first that fails is named.
fn opening<T>(index: &Index, dir: &Path, open: impl FnOnce() -> Result<T>) -> Result<T> {
    let failed = match catching(open) {
        Ok(Err(IndexError::Damaged { detail, .. })) => detail,
        Ok(other) => return other,
        Err(panic) => format!("its files cannot be decoded ({panic})"),
    };
    let all = Reads::Everything.components();
    match segment_files(index, dir, all, true).and_then(|files| checksums(dir, &files)) {
        Err(IndexError::Damaged { path, detail }) => Err(IndexError::Damaged {
            path,
            detail: format!("{detail} (opening it: {failed})"),
        }),
        _ => Err(damaged(dir, failed)),
    }
}

/// What of an index a command reads, and so which segment files [`verify_for`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// Everything [`Reads::Index`] reads but the positions: counting single words from
    /// postings and fast fields for a query without a phrase (see
    /// [`crate::search::query::reads_positions`]) never reads where a word stands, and the
    /// positions file is 30 % of what [`Reads::Index`] checks (a fifth of a subset's count
    /// at 1M documents went to checking).
    Postings,
    /// Everything but the stored texts: term dictionaries, postings, positions, fast fields,
    /// field norms and deletions — all that counting from the index reads.
    Index,
    /// Everything but the stored texts up front, and the document store of a segment
    /// checked before the first of its documents is read: commands that show the text of a
    /// few documents. Only an index opened with [`crate::index::open_checking_stores`]
    /// checks its stores so ([`crate::index::open_for`] opens it as `reads` needs).
    SomeStores,
    /// Every file, the document store too: commands that show or re-read stored texts.
    Everything,
}

impl Reads {
    /// The components of a segment read (its deletion bitset aside).
    fn components(self) -> &'static [SegmentComponent] {
        use SegmentComponent as C;
        match self {
            Reads::Postings => &[C::Postings, C::FastFields, C::FieldNorms, C::Terms],
            Reads::Index | Reads::SomeStores => &[
                C::Postings,
                C::Positions,
                C::FastFields,
                C::FieldNorms,
                C::Terms,
            ],
            Reads::Everything => &[
                C::Postings,
                C::Positions,
                C::FastFields,
                C::FieldNorms,
                C::Terms,
                C::Store,
            ],
        }
    }
}

/// The files of `components` of every segment `meta.json` lists, and each segment's
/// deletion bitset when it has deletions, sorted.
fn segment_files(
    index: &Index,
    dir: &Path,
    components: &[SegmentComponent],
    deletes: bool,
) -> Result<Vec<PathBuf>> {
    let metas = index
        .searchable_segment_metas()
        .map_err(|e| IndexError::from_tantivy_read(dir, e))?;
    let mut files = Vec::new();
    for meta in &metas {
        files.extend(components.iter().map(|c| meta.relative_path(c.clone())));
        if deletes && meta.has_deletes() {
            files.push(meta.relative_path(SegmentComponent::Delete));
        }
    }
    files.sort();
    Ok(files)
}

/// The bytes of a file mapped at once when checking it: each worker of [`checksums`] holds
/// one window's pages resident at a time (a few MiB), never the file.
const WINDOW: usize = 8 << 20;

/// Whether the CRC32 of the body of the file at `path` matches the one its footer holds —
/// what tantivy's `validate_checksum` answers, but reading the body window by window from a
/// mapping of the file: tantivy reads it whole, and the document store, read with positional
/// reads (see [`crate::index::directory`]), would then be held in memory whole; reading it
/// into a buffer instead had the kernel copy every page (6 % of a report's samples).
///
/// Tantivy's footer: the body, then a JSON object holding `crc`, then its length and the
/// magic number 1337 as two little-endian `u32`.
fn checksum_matches(path: &Path) -> std::io::Result<bool> {
    checksum_in_windows(path, WINDOW)
}

/// [`checksum_matches`], mapping `window` bytes of the body at once.
fn checksum_in_windows(path: &Path, window: usize) -> std::io::Result<bool> {
    use std::io::{Error, ErrorKind};
    use std::os::unix::fs::FileExt;
    let unreadable = |why: &str| Error::new(ErrorKind::InvalidData, format!("its footer is {why}"));
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len() as usize;
    if len < 8 {
        return Err(unreadable("missing"));
    }
    let mut tail = [0u8; 8];
    file.read_exact_at(&mut tail, (len - 8) as u64)?;
    let word = |at: usize| u32::from_le_bytes([tail[at], tail[at + 1], tail[at + 2], tail[at + 3]]);
    let (footer_len, magic) = (word(0) as usize, word(4));
    if magic != FOOTER_MAGIC || footer_len + 8 > len {
        return Err(unreadable("unreadable"));
    }
    let body_len = len - 8 - footer_len;
    let mut footer = vec![0; footer_len];
    file.read_exact_at(&mut footer, body_len as u64)?;
    #[derive(serde::Deserialize)]
    struct Footer {
        crc: u32,
    }
    let footer: Footer = serde_json::from_slice(&footer).map_err(|_| unreadable("unreadable"))?;
    let mut hasher = crc32fast::Hasher::new();
    let window = window.max(1);
    let mut at = 0;
    while at < body_len {
        let n = window.min(body_len - at);
        // SAFETY: mapping a file is unsafe because another process may change or truncate
        // it while it is mapped. These are an index's segment files, which tantivy writes
        // once and never changes: a merge writes new files, and deleting a mapped file keeps
        // its pages until the map is gone, so the bytes cannot change under this read.
        // Only a file truncated underneath by someone else during the check could still
        // matter: reading past its new end raises SIGBUS and the process stops — no wrong
        // answer — as it would in tantivy, which maps every other segment file too. The map
        // is read-only, lives only for this window (unmapped when dropped below), and
        // `at + n <= body_len <= len`, so it never reaches past the file's end as opened.
        let map = unsafe {
            memmap2::MmapOptions::new()
                .offset(at as u64)
                .len(n)
                // Mapped in one call rather than page by page on first touch.
                .populate()
                .map(&file)?
        };
        hasher.update(&map);
        drop(map);
        at += n;
    }
    Ok(hasher.finalize() == footer.crc)
}

/// The magic number ending every tantivy file.
const FOOTER_MAGIC: u32 = 1337;

/// Checks that every segment file exists and that each segment's document count in
/// `meta.json` matches its files.
pub fn structure(index: &Index, dir: &Path) -> Result<()> {
    for file in segment_files(index, dir, Reads::Everything.components(), true)? {
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
    opening(index, dir, || counts(index, dir))
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

/// Reads every segment file and checks its checksum, in parallel: [`verify_for`] with
/// [`Reads::Everything`].
pub fn verify(index: &Index, dir: &Path) -> Result<()> {
    verify_for(index, dir, Reads::Everything)
}

/// Reads every segment file a command that `reads` so reads, and checks its checksum, in
/// parallel.
pub fn verify_for(index: &Index, dir: &Path, reads: Reads) -> Result<()> {
    checksums(dir, &segment_files(index, dir, reads.components(), true)?)
}

/// Checks the checksum of the document store of every segment: what a command that shows
/// stored text and checks nothing else reads first.
pub fn verify_stores(index: &Index, dir: &Path) -> Result<()> {
    let stores = segment_files(index, dir, &[SegmentComponent::Store], false)?;
    checksums(dir, &stores)
}

/// Checks the checksums of `files`, in parallel.
fn checksums(dir: &Path, files: &[PathBuf]) -> Result<()> {
    let bad: Vec<String> = files
        .par_iter()
        .map(|file| (file, checksum_matches(&dir.join(file))))
        .filter_map(|(file, matches)| match matches {
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

/// The document stores of an index opened with [`crate::index::open_checking_stores`], each
/// checked once, before the first of its documents is read: a command that shows the text of
/// a few documents checks the stores of their segments only, not all of them. Clones share
/// what was checked (tantivy opens a segment's store again for every reader).
#[derive(Debug, Clone)]
pub struct StoreChecks {
    dir: PathBuf,
    /// Per store file (relative to `dir`): its check, run once.
    checked: Arc<Mutex<HashMap<PathBuf, Arc<Verdict>>>>,
}

/// A store's check once it ran: `None` when it checked out, else what is wrong.
type Verdict = OnceLock<Option<String>>;

impl StoreChecks {
    /// No store of the index at `dir` checked yet.
    pub(crate) fn new(dir: &Path) -> StoreChecks {
        StoreChecks {
            dir: dir.to_path_buf(),
            checked: Arc::default(),
        }
    }

    /// The check of the store `file` (relative to the index directory) of `len` bytes, open
    /// as `handle`, for the reader of that file to run before it reads documents.
    pub(crate) fn of(&self, file: &Path, handle: &std::fs::File, len: usize) -> StoreCheck {
        let once = self
            .checked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(file.to_path_buf())
            .or_default()
            .clone();
        StoreCheck {
            dir: self.dir.clone(),
            file: file.to_path_buf(),
            blocks_end: blocks_end(handle, len).unwrap_or(0),
            once,
        }
    }

    /// The store files checked so far (checked or found damaged), sorted.
    pub fn checked(&self) -> Vec<PathBuf> {
        let checked = self
            .checked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut files: Vec<PathBuf> = checked
            .iter()
            .filter(|(_, once)| once.get().is_some())
            .map(|(file, _)| file.clone())
            .collect();
        files.sort();
        files
    }
}

/// Where the compressed blocks of the document store open as `file` end: tantivy's store is
/// the blocks, then their index, then a 28-byte footer (a `u32` version, the blocks' end as
/// a little-endian `u64`, …), then the file footer every tantivy file ends with. `None` when
/// the footers do not read (the store is then checked before any read).
fn blocks_end(file: &std::fs::File, len: usize) -> Option<usize> {
    use std::os::unix::fs::FileExt;
    const STORE_FOOTER: usize = 28;
    let mut tail = [0u8; 8];
    file.read_exact_at(&mut tail, len.checked_sub(8)? as u64)
        .ok()?;
    let footer_len = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]) as usize;
    let body_len = len.checked_sub(8 + footer_len)?;
    let mut offset = [0u8; 8];
    file.read_exact_at(&mut offset, body_len.checked_sub(STORE_FOOTER)? as u64 + 4)
        .ok()?;
    let end = usize::try_from(u64::from_le_bytes(offset)).ok()?;
    (end <= body_len).then_some(end)
}

/// One document store's check, run before the first read of its blocks.
#[derive(Debug)]
pub(crate) struct StoreCheck {
    dir: PathBuf,
    file: PathBuf,
    /// Reads that start here or later (the blocks' index and the footers, read when a reader
    /// opens the segment) need no check: no document's text comes from them.
    blocks_end: usize,
    once: Arc<Verdict>,
}

impl StoreCheck {
    /// `Ok` when a read of `range` may go ahead: it reads no block, or the store's checksum
    /// matches (checked on the first such read, by this or any other reader of the index).
    /// Otherwise an [`std::io::ErrorKind::InvalidData`] error that [`damage_in`] turns into
    /// [`IndexError::Damaged`] naming the file.
    pub(crate) fn before_read(&self, range: &std::ops::Range<usize>) -> std::io::Result<()> {
        if range.is_empty() || range.start >= self.blocks_end {
            return Ok(());
        }
        let wrong = self
            .once
            .get_or_init(|| match checksum_matches(&self.dir.join(&self.file)) {
                Ok(true) => None,
                Ok(false) => Some(format!("{} fails its checksum", self.file.display())),
                Err(e) => Some(format!("{}: {e}", self.file.display())),
            });
        match wrong {
            None => Ok(()),
            Some(detail) => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                StoreDamage(damaged(&self.dir, detail.clone())),
            )),
        }
    }
}

/// A document store that failed its check, as the I/O error of the read it stopped.
#[derive(Debug)]
struct StoreDamage(IndexError);

impl std::fmt::Display for StoreDamage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for StoreDamage {}

/// Damage to `file` of an index whose directory the caller does not know (a searcher's
/// reads), as the error of the read it stopped: [`damage_in`] finds it, with the file as its
/// path.
pub(crate) fn file_damage(file: &Path, detail: &str) -> tantivy::TantivyError {
    let damage = StoreDamage(damaged(file, detail));
    let io = std::io::Error::new(std::io::ErrorKind::InvalidData, damage);
    tantivy::TantivyError::IoError(Arc::new(io))
}

/// The damage a [`StoreCheck`] found (or [`file_damage`] describes), when `error` is a read
/// it stopped.
pub fn damage_in(error: &tantivy::TantivyError) -> Option<IndexError> {
    let io = super::underlying_io(error)?;
    let StoreDamage(IndexError::Damaged { path, detail }) =
        io.get_ref()?.downcast_ref::<StoreDamage>()?
    else {
        return None;
    };
    Some(damaged(path, detail.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catching_answers_a_panic_with_its_message_and_restores_the_thread() {
        assert_eq!(catching(|| 5), Ok(5));
        let formatted = catching(|| -> u8 { panic!("bad block {}", 7) });
        assert_eq!(formatted, Err("bad block 7".to_string()));
        let inner = catching(|| catching(|| -> u8 { panic!("inner") }));
        assert_eq!(inner, Ok(Err("inner".to_string())));
        assert!(
            CATCHING.with(|c| !c.get()),
            "the thread is no longer catching"
        );
    }
    use crate::pipeline::{self, IngestOptions, NoProgress};

    /// A small index of `docs` documents in `dir`.
    fn small_index(dir: &Path, docs: usize) -> Result<Index> {
        let lines: String = (0..docs)
            .map(|i| {
                format!(
                    r#"{{"id":"d{i}","outlet":"o{}","published":"2022-01-05","text":"Документ {i} о бюджете и протестах."}}"#,
                    i % 3
                ) + "\n"
            })
            .collect();
        let input = dir.join("docs.jsonl");
        std::fs::write(&input, lines).unwrap();
        let options = IngestOptions::new(vec![input], dir.join("idx"));
        pipeline::ingest(&options, &NoProgress).unwrap();
        crate::index::open(&dir.join("idx"))
    }

    /// Windows tried: the real one, a page, and sizes no page or file length is a multiple
    /// of.
    const WINDOWS: [usize; 4] = [WINDOW, 4096, 1000, 7];

    /// tantivy's answer for the file `name` of the index in `dir` (its own check reads the
    /// file whole: the independent route), and the windows' answers, an error as `false`.
    fn answers(index: &Index, dir: &Path, name: &Path) -> (bool, Vec<bool>) {
        let tantivys = index.directory().validate_checksum(name).unwrap_or(false);
        let ours = WINDOWS
            .iter()
            .map(|&w| checksum_in_windows(&dir.join(name), w).unwrap_or(false))
            .collect();
        (tantivys, ours)
    }

    #[test]
    fn windows_give_tantivys_answer_on_good_and_flipped_files() -> Result<()> {
        let tmp = tempfile::tempdir().unwrap();
        let index = small_index(tmp.path(), 40)?;
        let dir = tmp.path().join("idx");
        let files = segment_files(&index, &dir, Reads::Everything.components(), true)?;
        assert_eq!(files.len() % 6, 0, "{files:?}");
        for file in &files {
            assert_eq!(
                answers(&index, &dir, file),
                (true, vec![true; 4]),
                "{file:?}"
            );
        }
        let store = files.iter().find(|f| f.extension().unwrap() == "store");
        let path = dir.join(store.unwrap());
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x10;
        std::fs::write(&path, bytes).unwrap();
        let index = crate::index::open(&dir)?;
        let flipped = answers(&index, &dir, store.unwrap());
        assert_eq!(flipped, (false, vec![false; 4]));
        // Counting reads no store: it stays unchecked; the others find the flip.
        verify_for(&index, &dir, Reads::Index)?;
        for check in [verify, verify_stores] {
            let message = check(&index, &dir).unwrap_err().to_string();
            assert!(message.contains(".store fails its checksum"), "{message}");
        }
        Ok(())
    }

    #[test]
    fn windows_give_tantivys_answer_at_the_edges() {
        use std::io::Write;
        use tantivy::directory::{Directory, TerminatingWrite};
        let tmp = tempfile::tempdir().unwrap();
        let index = Index::create_in_dir(tmp.path(), schema::build()).unwrap();
        // A file with tantivy's footer around a body of `len` bytes, written by tantivy.
        let written = |name: &str, len: usize| {
            let mut out = index.directory().open_write(Path::new(name)).unwrap();
            let body: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            out.write_all(&body).unwrap();
            out.terminate().unwrap();
            PathBuf::from(name)
        };
        let flip = |name: &Path, at: usize| {
            let path = tmp.path().join(name);
            let mut bytes = std::fs::read(&path).unwrap();
            bytes[at] ^= 0x01;
            std::fs::write(&path, bytes).unwrap();
        };
        // Bodies exactly the real window long and one byte past, good and with the window's
        // last byte flipped (in real windows only: a 7-byte window would map a million).
        for len in [WINDOW, WINDOW + 1] {
            let name = written(&format!("window-{len}"), len);
            let path = tmp.path().join(&name);
            assert!(index.directory().validate_checksum(&name).unwrap(), "{len}");
            assert!(checksum_in_windows(&path, WINDOW).unwrap(), "{len}");
            flip(&name, WINDOW - 1);
            assert!(
                !index.directory().validate_checksum(&name).unwrap(),
                "{len}"
            );
            assert!(!checksum_in_windows(&path, WINDOW).unwrap(), "{len}");
        }
        // Bodies of no byte, one, and one page (a window of 4096) less one, exactly, and one
        // past.
        for len in [0, 1, 4095, 4096, 4097, 2 * 4096 + 1] {
            let name = written(&format!("good-{len}"), len);
            assert_eq!(
                answers(&index, tmp.path(), &name),
                (true, vec![true; 4]),
                "{len}"
            );
        }
        // A flipped bit in the body's middle, in its last byte, and in the footer's CRC.
        let last = written("last", 4097);
        flip(&last, 4096);
        let footer = written("footer", 4097);
        let text = std::fs::read(tmp.path().join(&footer)).unwrap();
        let crc = text.windows(5).position(|w| w == b"\"crc\"").unwrap() + 6;
        flip(&footer, crc);
        let middle = written("middle", 3 * 4096);
        flip(&middle, 3 * 4096 / 2);
        for name in [last, footer, middle] {
            assert_eq!(
                answers(&index, tmp.path(), &name),
                (false, vec![false; 4]),
                "{name:?}"
            );
        }
        // A broken footer, a file shorter than a footer, an empty file: errors, not panics.
        let magic = written("magic", 100);
        let len = std::fs::metadata(tmp.path().join(&magic)).unwrap().len() as usize;
        flip(&magic, len - 1);
        std::fs::write(tmp.path().join("short"), [1, 2, 3, 4, 5]).unwrap();
        std::fs::write(tmp.path().join("empty"), b"").unwrap();
        assert_eq!(answers(&index, tmp.path(), &magic), (false, vec![false; 4]));
        // (tantivy's check is not asked about the last two: it would slice before the start.)
        for (name, why) in [
            ("magic", "unreadable"),
            ("short", "missing"),
            ("empty", "missing"),
        ] {
            let name = Path::new(name);
            for window in WINDOWS {
                let error = checksum_in_windows(&tmp.path().join(name), window).unwrap_err();
                assert_eq!(
                    error.to_string(),
                    format!("its footer is {why}"),
                    "{name:?}"
                );
            }
        }
    }

    /// The first document of `index`'s first segment, read from its store.
    fn first_document(index: &Index) -> tantivy::Result<tantivy::TantivyDocument> {
        let searcher = index.reader()?.searcher();
        searcher.doc(tantivy::DocAddress::new(0, 0))
    }

    #[test]
    fn a_store_is_checked_once_when_its_first_document_is_read() -> Result<()> {
        let tmp = tempfile::tempdir().unwrap();
        small_index(tmp.path(), 40)?;
        let dir = tmp.path().join("idx");
        let (index, checks) = crate::index::open_checking_stores(&dir)?;
        // Opening readers reads the stores' block index and footers only.
        let reader = index.reader().unwrap();
        assert!(checks.checked().is_empty());
        let doc = first_document(&index).unwrap();
        let stores = segment_files(&index, &dir, &[SegmentComponent::Store], false)?;
        // The store of the document's segment, and only it.
        let read = checks.checked();
        assert!(
            read.len() == 1 && stores.contains(&read[0]),
            "{read:?} of {stores:?}"
        );
        // The same document, by another reader and by the one opened before the check.
        assert_eq!(first_document(&index).unwrap(), doc);
        let again: tantivy::TantivyDocument = reader
            .searcher()
            .doc(tantivy::DocAddress::new(0, 0))
            .unwrap();
        assert_eq!(again, doc);
        assert_eq!(checks.checked(), read);

        // A flipped byte in the blocks: opening and counting go on, the first read of a
        // document is damage naming the store.
        let path = dir.join(&read[0]);
        let mut bytes = std::fs::read(&path).unwrap();
        let third = bytes.len() / 3;
        bytes[third] ^= 0x10;
        std::fs::write(&path, bytes).unwrap();
        let (index, checks) = crate::index::open_checking_stores(&dir)?;
        verify_for(&index, &dir, Reads::Index)?;
        let error = first_document(&index).unwrap_err();
        let damage = damage_in(&error).expect("the read is stopped as damage");
        let message = damage.to_string();
        assert!(
            message.contains("index is damaged")
                && message.contains(&format!("{} fails its checksum", read[0].display())),
            "{message}"
        );
        assert_eq!(checks.checked(), read);
        // The search layer says the same (exit 2 at the command line).
        let search = crate::search::SearchError::from(first_document(&index).unwrap_err());
        assert!(
            matches!(
                &search,
                crate::search::SearchError::Index(IndexError::Damaged { .. })
            ),
            "{search:?}"
        );
        Ok(())
    }
}

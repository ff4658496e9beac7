//! A token's short postings read straight from the segment's postings bytes.
//!
//! Tantivy writes the postings of a token in fewer than 128 documents (most tokens of a
//! dictionary) as one block of variable-length integers: the document deltas, then the term
//! frequencies. Opening a [`tantivy::postings::BlockSegmentPostings`] for such a token costs
//! far more than decoding those few bytes, and a count over a subset looks at every token of
//! every segment: reading them here makes that look cheap (issue 15).

use tantivy::directory::{CompositeFile, FileSlice, OwnedBytes};
use tantivy::index::SegmentComponent;
use tantivy::postings::TermInfo;
use tantivy::schema::Field;
use tantivy::{DocId, HasLen, SegmentReader};

/// Tantivy's postings block size: postings of fewer documents are one block of
/// variable-length integers (no skip data).
pub(super) const BLOCK: usize = 128;

/// The postings bytes of one field of a segment.
pub(super) struct RawPostings {
    /// The field's postings, after the 8 bytes of its token count (what a token's
    /// [`TermInfo::postings_range`] is relative to).
    body: OwnedBytes,
}

/// One short posting list, decoded.
pub(super) struct Short {
    pub docs: [DocId; BLOCK],
    pub freqs: [u32; BLOCK],
}

impl Default for Short {
    fn default() -> Short {
        Short {
            docs: [0; BLOCK],
            freqs: [0; BLOCK],
        }
    }
}

impl RawPostings {
    /// The postings of each of `fields` in `segment`, its postings file opened once (as
    /// [`crate::stats::ngrams`] opens the positions); `None` for a field the segment holds
    /// none for (or whose bytes cannot be opened so: the caller then reads through tantivy,
    /// which reports what is wrong).
    pub fn open<const N: usize>(
        segment: &SegmentReader,
        fields: [Field; N],
    ) -> [Option<RawPostings>; N] {
        let composite = segment
            .open_read(SegmentComponent::Postings)
            .ok()
            .and_then(|file| CompositeFile::open(&file).ok());
        fields.map(|field| RawPostings::of(composite.as_ref()?.open_read(field)?))
    }

    /// The postings of one field: after the 8 bytes of its token count.
    fn of(postings: FileSlice) -> Option<RawPostings> {
        if postings.len() < 8 {
            return None;
        }
        let (_, body) = postings.split(8);
        Some(RawPostings {
            body: body.read_bytes().ok()?,
        })
    }

    /// Decodes the postings of the token at `info` into `out` when they are short (fewer
    /// than [`BLOCK`] documents): their documents, and with `freqs` their term
    /// frequencies (left as they were when not); how many. `None` when they are not short,
    /// or do not decode (tantivy's reader then reads them).
    #[inline]
    pub fn short(&self, info: &TermInfo, freqs: bool, out: &mut Short) -> Option<usize> {
        let n = info.doc_freq as usize;
        if n >= BLOCK {
            return None;
        }
        let bytes = self.body.as_slice().get(info.postings_range.clone())?;
        let mut at = 0;
        let mut doc: DocId = 0;
        for slot in &mut out.docs[..n] {
            doc = doc.checked_add(vint(bytes, &mut at)?)?;
            *slot = doc;
        }
        if freqs {
            for slot in &mut out.freqs[..n] {
                *slot = vint(bytes, &mut at)?;
            }
        }
        Some(n)
    }
}

/// The variable-length integer at `*at` of `bytes` as tantivy writes them (7 bits a byte,
/// least significant first, the last byte's high bit set), `*at` moved past it.
#[inline]
fn vint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    let mut shift = 0u32;
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        if shift > 28 {
            return None;
        }
        value |= u32::from(byte & 127) << shift;
        if byte & 128 != 0 {
            return Some(value);
        }
        shift += 7;
    }
}

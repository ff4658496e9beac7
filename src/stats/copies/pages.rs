//! Letting go of the pages of an index file this process has read through once: a byte
//! slice of a read-only file mapping in, the mapping's pages dropped from this process's
//! resident memory out (they stay in the kernel's page cache, and reading the slice again
//! maps them back in, with the same bytes).
//!
//! The copies step reads every document's signature (0.5 KB each) from the index's mapped
//! columns: without this, every page read stays resident until the index is closed, half a
//! gigabyte at a million documents.

/// Drops the whole pages inside `bytes` from this process's resident memory, when `bytes`
/// lies in a read-only mapping of a file (an index opened from disk); does nothing for any
/// other memory (an index held in memory, whose pages must not be discarded) or elsewhere
/// than on Linux.
pub fn release(bytes: &[u8]) {
    #[cfg(target_os = "linux")]
    linux::release(bytes);
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
}

#[cfg(target_os = "linux")]
mod linux {
    /// Page size the kernel maps in (read once).
    fn page_size() -> usize {
        // SAFETY: sysconf reads a system setting and has no other effect.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(size).unwrap_or(4096).max(1)
    }

    /// True when `start..end` lies inside one read-only mapping of a file, per
    /// `/proc/self/maps` (`start-end perms offset dev inode path`).
    fn in_read_only_file_mapping(start: usize, end: usize) -> bool {
        let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
            return false;
        };
        maps.lines().any(|line| {
            let mut fields = line.split_whitespace();
            let (Some(range), Some(perms), Some(_), Some(_), Some(inode)) = (
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
                fields.next(),
            ) else {
                return false;
            };
            let Some((low, high)) = range.split_once('-') else {
                return false;
            };
            let (Ok(low), Ok(high)) = (
                usize::from_str_radix(low, 16),
                usize::from_str_radix(high, 16),
            ) else {
                return false;
            };
            low <= start && end <= high && perms.as_bytes().get(1) == Some(&b'-') && inode != "0"
        })
    }

    pub(super) fn release(bytes: &[u8]) {
        let page = page_size();
        let start = (bytes.as_ptr() as usize).div_ceil(page) * page;
        let end = (bytes.as_ptr() as usize + bytes.len()) / page * page;
        if end <= start || !in_read_only_file_mapping(start, end) {
            return;
        }
        // SAFETY: `start..end` is whole pages of a read-only file mapping (checked above):
        // MADV_DONTNEED drops them from this process's page tables, and the next read maps
        // the same file bytes back in, so every slice into the mapping stays valid and
        // unchanged. Failure leaves the pages resident, which is harmless.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_that_is_not_a_file_mapping_keeps_its_bytes() {
        // Heap memory (as an index held in memory has): releasing it must change nothing.
        let bytes: Vec<u8> = (0..3 * 65_536).map(|i| (i % 251) as u8 + 1).collect();
        release(&bytes);
        assert!(bytes
            .iter()
            .enumerate()
            .all(|(i, &b)| b == (i % 251) as u8 + 1));
    }

    #[test]
    fn a_released_file_mapping_reads_back_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("column");
        let bytes: Vec<u8> = (0..5 * 65_536).map(|i| (i % 253) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let mapped = tantivy::directory::MmapDirectory::open(dir.path()).unwrap();
        let file = tantivy::Directory::open_read(&mapped, std::path::Path::new("column"))
            .unwrap()
            .read_bytes()
            .unwrap();
        assert_eq!(file.as_slice(), &bytes[..]);
        release(file.as_slice());
        assert_eq!(file.as_slice(), &bytes[..]);
    }
}

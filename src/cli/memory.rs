//! How the process's memory is handled per command: huge pages off for the commands that
//! read an index, freed memory kept for the commands that ingest.

/// mimalloc's option `mi_option_purge_delay` (its position in `mi_option_t` of the mimalloc 2
/// sources that `libmimalloc-sys` builds with its `v2` feature; a test checks it by its
/// default, 10 ms).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    /// Sets a mimalloc option (`mimalloc.h`); the library is linked as the global allocator.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    /// Reads a mimalloc option.
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// Asks mimalloc to keep the memory it frees for the rest of the run instead of handing it
/// back to the kernel ("purging", 10 ms after a page empties by default), for the commands
/// that ingest. An ingest frees memory all the time (a batch's records once indexed, the
/// tokenizer's and tantivy's buffers) and allocates as much again a moment later: purged,
/// each region came back through a page fault that zeroed it anew (a 2 MiB huge page at a
/// time). Kept, a 30k-document ingest took 1.3k page faults instead of 7–11k, and a 100k
/// one 18.6 and 20.4 CPU s instead of 20.5 and 22.6 (alternating runs under load), for ~60 MB
/// more peak RSS (freed memory is reused, not added to).
pub fn keep_freed_memory() {
    // SAFETY: `mi_option_set` takes two integers and sets one of mimalloc's own option
    // values (any value is valid; -1 means "never purge"); it touches none of our memory.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Asks the kernel not to back this process's memory with transparent huge pages, for the
/// commands that read an index. mimalloc asks for huge pages (`madvise`), and where the
/// kernel's mode is `madvise` every fresh 2 MiB region is then zeroed whole on first touch,
/// reserved room included: 22 % of `compare --ngram 2`'s samples, 10 % of the report's. The
/// commands that write an index keep them: without, a 100k ingest took 12–16 % more CPU.
pub fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` takes integers only and sets a flag of
    // this process; it reads or writes none of our memory. On a kernel without it, it fails
    // and huge pages stay as they were — nothing to handle.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn reading_commands_ask_for_no_huge_pages() {
        without_huge_pages();
        // SAFETY: `prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0)` takes integers only and returns
        // this process's flag.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }

    #[test]
    fn ingesting_commands_keep_freed_memory() {
        // SAFETY: reads one of mimalloc's option values.
        let get = || unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        // The option at that position is the purge delay: 10 ms unless the environment
        // says otherwise (MIMALLOC_PURGE_DELAY), and what `keep_freed_memory` sets.
        let configured = std::env::var("MIMALLOC_PURGE_DELAY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10);
        let before = get();
        assert!(before == configured || before == -1, "{before}");
        keep_freed_memory();
        assert_eq!(get(), -1);
    }
}

//! The index directory as tantivy sees it: tantivy's memory-mapped directory, with the files
//! mediawatch is responsible for made safe.
//!
//! `meta.json` and `.managed.json` are written through a fresh temporary file renamed into
//! place, with the index's access mode (tantivy's own writes them 0600, which locked other
//! readers out of a shared index). Lock files are opened without following a symbolic link
//! (a planted link is removed), and a reader that may not create the meta lock — a read-only
//! index, or someone else's — reads without it, so reading needs only read permission.
//!
//! The document store (`.store` files) is read with positional reads rather than mapped:
//! passes over every stored document (statistics, copies, reports) read it block by block,
//! once, and a mapping would keep every page read in the process's resident memory (1.7 GB
//! of a million-document index) where the kernel's page cache serves as well.

use std::fs::OpenOptions;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};

use crate::files::{self, Access};
use crate::index::check::{StoreCheck, StoreChecks};

/// An [`MmapDirectory`] with safe lock files and metadata writes.
#[derive(Debug, Clone)]
pub struct SafeDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    access: Access,
    /// Whether `.store` files are read with positional reads (see the module's note).
    positional_store: bool,
    /// Stores checked before their first block is read, for an index opened so.
    store_checks: Option<StoreChecks>,
}

impl SafeDirectory {
    /// Opens the existing directory `root`; files mediawatch writes there get `access`.
    pub fn open(root: &Path, access: Access) -> Result<SafeDirectory, tantivy::TantivyError> {
        Ok(SafeDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            access,
            positional_store: false,
            store_checks: None,
        })
    }

    /// [`SafeDirectory::open`] for reading: the document store is read with positional
    /// reads, not mapped (a writer's segment merges read whole stores; they keep the map),
    /// and, given `store_checks`, checked before its first block is read.
    pub fn open_for_reading(
        root: &Path,
        access: Access,
        store_checks: Option<StoreChecks>,
    ) -> Result<SafeDirectory, tantivy::TantivyError> {
        Ok(SafeDirectory {
            positional_store: true,
            store_checks,
            ..SafeDirectory::open(root, access)?
        })
    }

    fn lock_file(&self, path: &Path) -> io::Result<std::fs::File> {
        let open = || {
            OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(self.access.file_mode())
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .open(path)
        };
        match open() {
            // A symbolic link planted in place of the lock file: removed, never followed.
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                std::fs::remove_file(path)?;
                open()
            }
            other => other,
        }
    }
}

/// A file read with positional reads (`pread`), each read into its own buffer.
#[derive(Debug)]
struct PositionalFile {
    file: std::fs::File,
    len: usize,
    check: Option<StoreCheck>,
}

impl tantivy::HasLen for PositionalFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for PositionalFile {
    fn read_bytes(
        &self,
        range: std::ops::Range<usize>,
    ) -> io::Result<tantivy::directory::OwnedBytes> {
        use std::os::unix::fs::FileExt;
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "read of bytes {range:?} past the end of a {}-byte file",
                    self.len
                ),
            ));
        }
        if let Some(check) = &self.check {
            check.before_read(&range)?;
        }
        let mut buffer = vec![0; range.len()];
        self.file.read_exact_at(&mut buffer, range.start as u64)?;
        Ok(tantivy::directory::OwnedBytes::new(buffer))
    }
}

/// Holds a lock until dropped (closing the file releases the `flock`).
struct Held(#[allow(dead_code)] Option<std::fs::File>);

impl Directory for SafeDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if self.positional_store && path.extension().is_some_and(|e| e == "store") {
            let full = self.root.join(path);
            let file = std::fs::File::open(&full).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
                _ => OpenReadError::wrap_io_error(e, path.to_path_buf()),
            })?;
            let len = file
                .metadata()
                .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
                .len() as usize;
            let check = self.store_checks.as_ref().map(|c| c.of(path, &file, len));
            return Ok(Arc::new(PositionalFile { file, len, check }));
        }
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        files::write_replacing(&self.root.join(path), data, self.access)?;
        self.inner.sync_directory()
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        let path = self.root.join(&lock.filepath);
        let file = match self.lock_file(&path) {
            Ok(file) => file,
            // Readers take the meta lock only to see a consistent meta.json; one that may
            // not create it reads without it rather than not at all.
            Err(e)
                if lock.filepath == META_LOCK.filepath
                    && matches!(
                        e.kind(),
                        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
                    ) =>
            {
                return Ok(DirectoryLock::from(Box::new(Held(None))));
            }
            Err(e) => return Err(LockError::wrap_io_error(e)),
        };
        let operation = if lock.is_blocking {
            libc::LOCK_EX
        } else {
            libc::LOCK_EX | libc::LOCK_NB
        };
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), operation) } != 0 {
            let error = io::Error::last_os_error();
            return Err(if error.kind() == io::ErrorKind::WouldBlock {
                LockError::LockBusy
            } else {
                LockError::wrap_io_error(error)
            });
        }
        Ok(DirectoryLock::from(Box::new(Held(Some(file)))))
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

//! The index directory as tantivy sees it: tantivy's memory-mapped directory, with the files
//! mediawatch is responsible for made safe.
//!
//! `meta.json` and `.managed.json` are written through a fresh temporary file renamed into
//! place, with the index's access mode (tantivy's own writes them 0600, which locked other
//! readers out of a shared index). Lock files are opened without following a symbolic link
//! (a planted link is removed), and a reader that may not create the meta lock — a read-only
//! index, or someone else's — reads without it, so reading needs only read permission.

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

/// An [`MmapDirectory`] with safe lock files and metadata writes.
#[derive(Debug, Clone)]
pub struct SafeDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    access: Access,
}

impl SafeDirectory {
    /// Opens the existing directory `root`; files mediawatch writes there get `access`.
    pub fn open(root: &Path, access: Access) -> Result<SafeDirectory, tantivy::TantivyError> {
        Ok(SafeDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            access,
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

/// Holds a lock until dropped (closing the file releases the `flock`).
struct Held(#[allow(dead_code)] Option<std::fs::File>);

impl Directory for SafeDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
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

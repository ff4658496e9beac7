//! Opening inputs and creating outputs safely: paths in, files that are what they claim to be
//! out.
//!
//! Inputs are opened without blocking and only when they are regular files, so a FIFO,
//! a device or a socket planted in an input tree can never hang or flood a run. Outputs are
//! created fresh (`O_CREAT | O_EXCL | O_NOFOLLOW`): a symbolic link planted where mediawatch
//! writes is removed, never followed, and an existing file is replaced only when mediawatch
//! made it — nothing the user did not ask for is truncated.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Who may read what mediawatch writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    /// Files 0644, directories 0755 (before the umask): anyone on the machine may read.
    #[default]
    Shared,
    /// Files 0600, directories 0700: only the owner.
    Private,
}

impl Access {
    /// Mode bits of a new file.
    pub fn file_mode(self) -> u32 {
        match self {
            Access::Shared => 0o644,
            Access::Private => 0o600,
        }
    }

    /// Mode bits of a new directory.
    pub fn dir_mode(self) -> u32 {
        match self {
            Access::Shared => 0o755,
            Access::Private => 0o700,
        }
    }

    /// The access an existing directory was made with: private when neither group nor others
    /// may enter it.
    pub fn of_dir(dir: &Path) -> Option<Access> {
        let mode = std::fs::metadata(dir).ok()?.permissions().mode();
        Some(if mode & 0o077 == 0 {
            Access::Private
        } else {
            Access::Shared
        })
    }
}

/// What kind of special file a path is, for messages (`None` for regular files, directories and
/// symbolic links).
pub fn special_kind(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if file_type.is_char_device() {
        Some("a character device")
    } else if file_type.is_block_device() {
        Some("a block device")
    } else if file_type.is_socket() {
        Some("a socket")
    } else {
        None
    }
}

fn not_regular(kind: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("not a regular file but {kind}; mediawatch reads regular files only"),
    )
}

/// Opens `path` for reading only if it is a regular file. The open itself does not block
/// (`O_NONBLOCK`: a FIFO swapped in after discovery cannot hang the run), and with
/// `follow = false` a symbolic link is refused (`O_NOFOLLOW`).
pub fn open_regular(path: &Path, follow: bool) -> io::Result<File> {
    let mut flags = libc::O_NONBLOCK | libc::O_CLOEXEC;
    if !follow {
        flags |= libc::O_NOFOLLOW;
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) && !follow {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "is a symbolic link, which is not followed here",
                )
            } else {
                e
            }
        })?;
    let file_type = file.metadata()?.file_type();
    if file_type.is_file() {
        Ok(file)
    } else if file_type.is_dir() {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a directory",
        ))
    } else {
        Err(not_regular(
            special_kind(&file_type).unwrap_or("a special file"),
        ))
    }
}

/// A small file read whole, up to a cap.
#[derive(Debug)]
pub enum Capped {
    /// The file's bytes.
    Whole(Vec<u8>),
    /// The file is larger than the cap: its size (or at least the bytes seen).
    TooLarge(u64),
}

/// Reads a regular file (not through a symbolic link) if it holds at most `cap` bytes; never
/// buffers more than `cap + 1` bytes.
pub fn read_capped(path: &Path, cap: u64) -> io::Result<Capped> {
    let file = open_regular(path, false)?;
    let size = file.metadata()?.len();
    if size > cap {
        return Ok(Capped::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Ok(Capped::TooLarge(bytes.len() as u64));
    }
    Ok(Capped::Whole(bytes))
}

/// Creates `path` as a new, empty regular file with `access`'s mode, never following a
/// symbolic link: a link found there is removed (the link, not its target). An existing
/// regular file is replaced (unlinked, so other hard links keep their contents) only when
/// `ours` says mediawatch made it; otherwise this fails and nothing is touched. An existing
/// character device (`/dev/null`, `/dev/full`) is opened for writing as it is, since the user
/// named it; any other special file or a directory is refused.
pub fn create_fresh(path: &Path, access: Access, ours: &dyn Fn(&Path) -> bool) -> io::Result<File> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::remove_file(path)?,
        Ok(meta) if meta.is_file() => {
            if !ours(path) {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "exists and was not written by mediawatch; remove it or choose another path",
                ));
            }
            std::fs::remove_file(path)?;
        }
        Ok(meta) if meta.file_type().is_char_device() => {
            return OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
                .open(path);
        }
        Ok(meta) if meta.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "is a directory",
            ))
        }
        Ok(meta) => {
            return Err(not_regular(
                special_kind(&meta.file_type()).unwrap_or("a special file"),
            ))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    new_file(path, access)
}

/// Creates a file that must not exist yet (`O_EXCL`, so never through a link).
pub fn new_file(path: &Path, access: Access) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(access.file_mode())
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// Creates `dir` and its missing parents with `access`'s mode.
pub fn create_dir_all(dir: &Path, access: Access) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(access.dir_mode())
        .create(dir)
}

/// A name for a temporary sibling of `path` (`.NAME.TAG-PID-N`), unique within this process.
pub fn temp_sibling(path: &Path, tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{tag}-{}-{n}", std::process::id()))
}

/// Writes `bytes` to `path` through a fresh temporary sibling renamed over it, so the file is
/// either the old one or the new one, and a link at `path` is replaced, never followed.
pub fn write_replacing(path: &Path, bytes: &[u8], access: Access) -> io::Result<()> {
    use std::io::Write;
    let temp = temp_sibling(path, "tmp");
    let mut file = new_file(&temp, access)?;
    let written = file
        .write_all(bytes)
        .and_then(|_| file.sync_all())
        .and_then(|_| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// A directory built beside `target` and swapped in whole by [`StagedDir::commit`], so an
/// interrupted writer leaves either the old directory or the new one, never a mix. A staged
/// directory that is dropped uncommitted is removed; one left by a killed process is removed
/// by the next run that stages the same target.
#[derive(Debug)]
pub struct StagedDir {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

const STAGED_TAG: &str = "staged";

impl StagedDir {
    /// Stages a replacement for `target`. An existing `target` must be a directory that
    /// `replaceable` accepts (it will be deleted as a whole) or a symbolic link (replaced,
    /// never followed).
    pub fn create(
        target: &Path,
        access: Access,
        replaceable: &dyn Fn(&Path) -> Result<(), String>,
    ) -> io::Result<StagedDir> {
        let target = std::path::absolute(target)?;
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "needs a directory name (not `/`, `.` or `..`) so that it can be replaced whole",
            ));
        };
        if name == ".." || name == "." {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "needs a directory name (not `.` or `..`) so that it can be replaced whole",
            ));
        }
        create_dir_all(parent, access)?;
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() => {}
            Ok(meta) if meta.is_dir() => replaceable(&target)
                .map_err(|why| io::Error::new(io::ErrorKind::AlreadyExists, why))?,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "exists and is not a directory",
                ))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        remove_stale_siblings(&target);
        let temp = temp_sibling(&target, STAGED_TAG);
        std::fs::DirBuilder::new()
            .mode(access.dir_mode())
            .create(&temp)?;
        Ok(StagedDir {
            temp,
            target,
            committed: false,
        })
    }

    /// The directory to write into.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Swaps the staged directory in for the target (atomically where the file system can
    /// exchange two names) and removes the old one.
    pub fn commit(mut self) -> io::Result<()> {
        let exists = std::fs::symlink_metadata(&self.target).is_ok();
        if !exists {
            std::fs::rename(&self.temp, &self.target)?;
        } else if let Err(e) = exchange(&self.temp, &self.target) {
            // No atomic exchange here (an old kernel or a file system without it): move the
            // old directory aside, then the new one in — a brief moment without either.
            if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
                return Err(e);
            }
            let old = temp_sibling(&self.target, STAGED_TAG);
            std::fs::rename(&self.target, &old)?;
            std::fs::rename(&self.temp, &self.target)?;
            std::fs::rename(&old, &self.temp)?;
        }
        self.committed = true;
        // The old directory (or link) now sits at the temporary name.
        remove_any(&self.temp)
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_any(&self.temp);
        }
    }
}

/// Removes a directory tree or a single entry, never following a link.
pub(crate) fn remove_any(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Exchanges two paths atomically (`renameat2(RENAME_EXCHANGE)`).
pub(crate) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path with a NUL byte"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths, relative to the working directory.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Removes `.NAME.staged-PID-N` siblings of `target` left by processes that are gone.
fn remove_stale_siblings(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = format!(".{}.{STAGED_TAG}-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_alive(pid)) {
            let _ = remove_any(&entry.path());
        }
    }
}

/// Whether process `pid` is alive (a leftover temporary file of a dead run may be removed).
pub fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 only checks for existence and permission; no signal is sent.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Sets the process umask for as long as the guard lives (so files that libraries create,
/// such as tantivy's segments, get private modes too).
pub struct UmaskGuard(Option<libc::mode_t>);

impl UmaskGuard {
    /// Restricts new files to `access` (no-op for [`Access::Shared`], which keeps the user's
    /// umask).
    pub fn set(access: Access) -> UmaskGuard {
        match access {
            Access::Shared => UmaskGuard(None),
            // SAFETY: umask has no preconditions and cannot fail.
            Access::Private => UmaskGuard(Some(unsafe { libc::umask(0o077) })),
        }
    }
}

impl Drop for UmaskGuard {
    fn drop(&mut self) {
        if let Some(previous) = self.0 {
            // SAFETY: as above.
            unsafe { libc::umask(previous) };
        }
    }
}

/// Makes `dir` and the files directly in it private (0700 / 0600), without following links.
pub fn make_private(dir: &Path) -> io::Result<()> {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let file_type = entry.file_type()?;
        if file_type.is_file() {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

// Repeated shape: the usual test module opening (a temporary directory per test).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifos_are_refused_without_blocking() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let fifo = dir.path().join("pipe.jsonl");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes())?;
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = open_regular(&fifo, true).unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
        Ok(())
    }

    #[test]
    fn links_are_replaced_and_foreign_files_kept() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("target");
        std::fs::write(&target, "keep")?;
        let link = dir.path().join("out.jsonl");
        std::os::unix::fs::symlink(&target, &link)?;
        create_fresh(&link, Access::Shared, &|_| false)?;
        assert_eq!(std::fs::read_to_string(&target)?, "keep");
        assert!(std::fs::symlink_metadata(&link)?.is_file());
        // A regular file that is not ours is refused and left as it is.
        let err = create_fresh(&target, Access::Shared, &|_| false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&target)?, "keep");
        // One that is ours is replaced, and its other hard links keep their contents.
        let hard = dir.path().join("hard");
        std::fs::hard_link(&target, &hard)?;
        create_fresh(&target, Access::Private, &|_| true)?;
        assert_eq!(std::fs::read_to_string(&hard)?, "keep");
        assert_eq!(std::fs::read_to_string(&target)?, "");
        let mode = std::fs::metadata(&target)?.permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{mode:o}");
        Ok(())
    }

    #[test]
    fn capped_reads_stop_at_the_cap() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("f");
        std::fs::write(&path, vec![b'x'; 100])?;
        assert!(matches!(read_capped(&path, 99)?, Capped::TooLarge(100)));
        assert!(matches!(read_capped(&path, 100)?, Capped::Whole(b) if b.len() == 100));
        Ok(())
    }
}

//! Counted windows written to temporary files, one per batch of parts, when a subset's
//! windows would not fit in memory at once: the postings are walked once, and each batch is
//! read back and counted in turn (a part's windows are all in its batch's file).
//!
//! The files are anonymous (see [`tempfile::tempfile`]): nothing is left in the temporary
//! directory, even when the process is killed.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use super::windows::PartedWindows;
use super::{Window, HOLE, PARTS};

/// One temporary file of windows per batch of parts.
pub(super) struct Spill {
    /// Words per window.
    n: usize,
    /// The batch of each part.
    batch_of: Vec<u16>,
    /// Runs of (segment, byte length, windows), each window as its part, its words and its
    /// document.
    files: Vec<Mutex<BufWriter<File>>>,
}

impl Spill {
    /// Empty files for windows of `n` words, each part in batch `batch_of[part]`.
    pub(super) fn new(n: usize, batch_of: Vec<u16>) -> io::Result<Spill> {
        let batches = batch_of.iter().map(|&b| b as usize + 1).max().unwrap_or(1);
        let files = (0..batches)
            .map(|_| -> io::Result<_> {
                Ok(Mutex::new(BufWriter::with_capacity(
                    1 << 20,
                    tempfile::tempfile()?,
                )))
            })
            .collect::<io::Result<_>>()?;
        Ok(Spill { n, batch_of, files })
    }

    /// The number of batches.
    pub(super) fn batches(&self) -> usize {
        self.files.len()
    }

    /// One empty buffer per batch, for [`Spill::add`].
    pub(super) fn buffers(&self) -> Vec<Vec<u8>> {
        vec![Vec::new(); self.files.len()]
    }

    /// Adds a window of `part` in `doc` to its batch's buffer.
    #[inline]
    pub(super) fn add(&self, buffers: &mut [Vec<u8>], part: usize, window: &[u32], doc: u32) {
        let buffer = &mut buffers[self.batch_of[part] as usize];
        buffer.extend_from_slice(&(part as u32).to_ne_bytes());
        for &word in window {
            buffer.extend_from_slice(&word.to_ne_bytes());
        }
        buffer.extend_from_slice(&doc.to_ne_bytes());
    }

    /// Writes the buffers of one run of documents of `segment` to their batches' files (a
    /// run stays in one piece, so a document's windows stay together).
    pub(super) fn write(&self, segment: u32, buffers: Vec<Vec<u8>>) -> io::Result<()> {
        for (batch, buffer) in buffers.iter().enumerate() {
            if buffer.is_empty() {
                continue;
            }
            let mut file = self.files[batch].lock().expect("no writer panics");
            file.write_all(&segment.to_ne_bytes())?;
            file.write_all(&(buffer.len() as u64).to_ne_bytes())?;
            file.write_all(buffer)?;
        }
        Ok(())
    }

    /// The windows of `batch` whose part `keep` holds, per segment (of `segments`), sorted
    /// by part. The file is read twice, to count and then to place each segment's windows,
    /// so that they are held once, not once more while sorted.
    pub(super) fn read(
        &self,
        batch: usize,
        segments: usize,
        keep: &dyn Fn(usize) -> bool,
    ) -> io::Result<Vec<Vec<PartedWindows>>> {
        let mut writer = self.files[batch].lock().expect("no writer panics");
        writer.flush()?;
        let file = writer.get_mut();
        let mut starts: Vec<Vec<u32>> = (0..segments).map(|_| vec![0; PARTS + 1]).collect();
        self.each_window(file, keep, |segment, part, _| {
            starts[segment][part + 1] += 1;
        })?;
        let (n, stride) = (self.n, self.n + 1);
        let mut next = Vec::with_capacity(segments);
        let mut windows = Vec::with_capacity(segments);
        for starts in &mut starts {
            for part in 0..PARTS {
                starts[part + 1] += starts[part];
            }
            next.push(starts.clone());
            windows.push(vec![0u32; starts[PARTS] as usize * stride]);
        }
        self.each_window(file, keep, |segment, part, window| {
            let at = &mut next[segment][part];
            let to = &mut windows[segment][*at as usize * stride..][..stride];
            to[..n].copy_from_slice(&window[..n]);
            to[n] = window[3];
            *at += 1;
        })?;
        Ok(windows
            .into_iter()
            .zip(starts)
            .map(|(windows, starts)| {
                if windows.is_empty() {
                    Vec::new()
                } else {
                    vec![PartedWindows::new(windows, stride, starts)]
                }
            })
            .collect())
    }

    /// Calls `each(segment, part, window)` for every window of `file` whose part `keep`
    /// holds, in the order written.
    fn each_window(
        &self,
        file: &mut File,
        keep: &dyn Fn(usize) -> bool,
        mut each: impl FnMut(usize, usize, Window),
    ) -> io::Result<()> {
        file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::with_capacity(1 << 20, &*file);
        let record = (self.n + 2) * 4;
        let mut header = [0u8; 12];
        let mut run = Vec::new();
        loop {
            match reader.read_exact(&mut header) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
            let segment = u32::from_ne_bytes(header[..4].try_into().expect("4 bytes")) as usize;
            let len = u64::from_ne_bytes(header[4..].try_into().expect("8 bytes")) as usize;
            run.resize(len, 0);
            reader.read_exact(&mut run)?;
            for bytes in run.chunks_exact(record) {
                let word = |i: usize| {
                    u32::from_ne_bytes(bytes[i * 4..i * 4 + 4].try_into().expect("4 bytes"))
                };
                let part = word(0) as usize;
                if !keep(part) {
                    continue;
                }
                let mut window = [HOLE, HOLE, HOLE, word(self.n + 1)];
                for (k, slot) in window[..self.n].iter_mut().enumerate() {
                    *slot = word(k + 1);
                }
                each(segment, part, window);
            }
        }
    }
}

//! Rendering results for people (aligned tables) and scripts (JSON).

use std::io::{self, Write};

use serde::Serialize;

/// Writes `value` as pretty JSON.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Passes on a rendering error, else flushes. A closed pipe (`| head`) surfaces as an error
/// here and `main` treats it as success, in one place for every command.
pub fn finish(written: io::Result<()>, mut out: impl Write) -> io::Result<()> {
    written?;
    out.flush()
}

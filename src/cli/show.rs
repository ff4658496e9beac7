//! The `show` command: one document, whole — as text fitted to the terminal, or JSON.

use std::io;

use mediawatch::index::{self, settings::IndexSettings};
use mediawatch::report::{terminal, views};
use mediawatch::search::show;
use mediawatch::timezone::Zone;

use super::args::{ShowArgs, ShowFormat};
use super::{output, Failure, UsageError};

/// Runs `show`.
pub fn run(args: ShowArgs) -> Result<(), Failure> {
    let index = index::open_nonempty(&args.index.dir)?;
    let zone = match &args.timezone {
        Some(name) => Zone::parse(name).map_err(|e| UsageError(format!("--timezone: {e}")))?,
        None => IndexSettings::of(&index).unwrap_or_default().display_zone,
    };
    let document = show::show(&index, &args.id, args.outlet.as_deref(), zone)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        ShowFormat::Json => output::json(&mut out, &document),
        ShowFormat::Text => {
            terminal::render_within(&mut out, &views::document(&document), output::width())
        }
    };
    Ok(output::finish(written, out)?)
}

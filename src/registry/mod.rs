//! Registries the researcher supplies as CSV: sources (outlet → category), entities
//! (a gazetteer of names in every language) and frames (dictionary patterns).

pub mod entities;
pub mod frames;
pub mod sources;

use std::path::PathBuf;

pub use entities::{AliasPattern, Entity, EntityMatcher, EntityRegistry};
pub use frames::{FrameMatcher, FramePattern, FrameRegistry};
pub use sources::{Outlet, SourceRegistry};

/// Why a registry file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The file could not be opened or read.
    #[error("cannot read registry {path}: {source}")]
    Io {
        /// Registry file.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A row is malformed.
    #[error("{path}:{line}: {message}")]
    Row {
        /// Registry file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong and what was expected.
        message: String,
    },
}

/// The entity gazetteer and frame dictionary files a command counts with (`None`: no such
/// list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFiles {
    /// Entity gazetteer CSV.
    pub entity_list: Option<PathBuf>,
    /// Frame dictionary CSV.
    pub frame_list: Option<PathBuf>,
}

/// Reads a registry CSV (BOM stripped) and maps parse errors to [`RegistryError`].
pub(crate) fn load_with<T>(
    path: &std::path::Path,
    parse: impl FnOnce(&[u8]) -> Result<T, (u64, String)>,
) -> Result<T, RegistryError> {
    let bytes = std::fs::read(path).map_err(|source| RegistryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&bytes).map_err(|(line, message)| RegistryError::Row {
        path: path.to_path_buf(),
        line,
        message,
    })
}

/// A registry CSV reader and its header.
pub(crate) type HeaderedCsv<'a> = (csv::Reader<&'a [u8]>, Header);

/// The trimmed, lowercased column names of a registry CSV.
pub(crate) struct Header(Vec<String>);

impl Header {
    /// The position of column `name`, if the file has it.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.0.iter().position(|h| h == name)
    }
}

/// A CSV reader over registry bytes (BOM stripped), with trimmed lowercase header names.
pub(crate) fn csv_with_header(bytes: &[u8]) -> Result<HeaderedCsv<'_>, (u64, String)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| (1, format!("unreadable header: {e}")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    Ok((reader, Header(header)))
}

/// The records of a registry CSV with their 1-based lines; a malformed one is an error at
/// its line.
pub(crate) fn lines<'r, 'b>(
    reader: &'r mut csv::Reader<&'b [u8]>,
) -> impl Iterator<Item = Result<(u64, csv::StringRecord), (u64, String)>> + use<'r, 'b> {
    reader.records().map(|record| {
        let line = |p: Option<&csv::Position>| p.map_or(0, csv::Position::line);
        match record {
            Ok(record) => Ok((line(record.position()), record)),
            Err(e) => Err((line(e.position()), format!("malformed CSV: {e}"))),
        }
    })
}

/// Hands each record of registry CSV bytes to `each` as its 1-based line and the trimmed
/// cells of `columns` (empty where the row is short or an `optional` column is missing);
/// a header without one of the other columns is an error at line 1 naming them all.
pub(crate) fn rows_with<const N: usize>(
    bytes: &[u8],
    columns: [&str; N],
    optional: &[&str],
    mut each: impl FnMut(u64, [String; N]) -> Result<(), (u64, String)>,
) -> Result<(), (u64, String)> {
    let (mut reader, header) = csv_with_header(bytes)?;
    let positions = columns.map(|name| header.column(name));
    if (columns.iter().zip(&positions)).any(|(name, at)| at.is_none() && !optional.contains(name)) {
        return Err((1, format!("expected header {}", columns.join(","))));
    }
    for row in lines(&mut reader) {
        let (line, record) = row?;
        each(
            line,
            positions.map(|at| at.map_or_else(String::new, |i| cell(&record, i))),
        )?;
    }
    Ok(())
}

/// A trimmed cell of a registry record (empty when the row is short).
pub(crate) fn cell(record: &csv::StringRecord, column: usize) -> String {
    record.get(column).unwrap_or("").trim().to_string()
}

/// A `|`-separated list cell: its trimmed, non-empty items.
pub(crate) fn items(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row `rows_with` hands over: its line and its three cells.
    type Row = (u64, [String; 3]);

    /// The rows `rows_with` hands over, or its error.
    fn rows(csv: &str) -> Result<Vec<Row>, (u64, String)> {
        let mut rows = Vec::new();
        rows_with(csv.as_bytes(), ["a", "b", "c"], &["b"], |line, cells| {
            rows.push((line, cells));
            Ok(())
        })?;
        Ok(rows)
    }

    #[test]
    fn cells_come_in_asked_order_and_missing_optional_columns_are_empty() {
        let got = rows("\u{feff}C, A \nz, x\ny\n").unwrap();
        let cells = |a: &str, c: &str| [a.to_string(), String::new(), c.to_string()];
        assert_eq!(got, [(2, cells("x", "z")), (3, cells("", "y"))]);
    }

    #[test]
    fn a_missing_required_column_is_an_error_at_line_one() {
        let expected = (1, "expected header a,b,c".to_string());
        assert_eq!(rows("a,b\n1,2\n"), Err(expected));
    }
}

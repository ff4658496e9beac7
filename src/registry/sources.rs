//! The source registry: `sources.csv` in, outlet lookups (key or alias → outlet) out.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::lang::LangSet;
use crate::registry::{csv_with_header, load_with, RegistryError};
use crate::timezone::Zone;

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `ReportData`
// (report/data.rs), `SearchRequest` (search/mod.rs) and 1 more: different facts, no shared type.
/// One outlet of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outlet {
    /// Registry key, as documents should name it.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Group label (`state`, `independent`, or any label the user chooses).
    pub category: String,
    /// Default medium of the outlet's documents (`article`, `broadcast`, ...), may be empty.
    pub medium: String,
    /// Country code, may be empty.
    pub country: String,
    /// Languages the outlet publishes in.
    pub languages: Vec<String>,
    /// Alternative names, matched case-insensitively.
    pub aliases: Vec<String>,
    /// Time zone of the outlet's wall-clock times (the `timezone` column), if given.
    pub timezone: Option<Zone>,
    /// `languages` as a set detection is restricted to (`None` when the column is empty).
    #[serde(skip)]
    pub language_set: Option<LangSet>,
}

/// Outlets by key, with case-insensitive lookup by key, display name or alias.
#[derive(Debug, Clone, Default)]
pub struct SourceRegistry {
    outlets: Vec<Outlet>,
    by_name: HashMap<String, usize>,
}

const REQUIRED_COLUMNS: [&str; 3] = ["outlet", "name", "category"];

impl SourceRegistry {
    /// Loads a `sources.csv` with header
    /// `outlet,name,category,medium,country,languages,aliases,timezone` (all but the first
    /// three optional; lists `|`-separated; `timezone` an IANA name or a fixed offset).
    pub fn load(path: &Path) -> Result<SourceRegistry, RegistryError> {
        load_with(path, Self::from_csv)
    }

    /// Parses registry CSV bytes; errors carry the 1-based line and a message.
    pub fn from_csv(bytes: &[u8]) -> Result<SourceRegistry, (u64, String)> {
        let (mut reader, header) = csv_with_header(bytes)?;
        for required in REQUIRED_COLUMNS {
            if header.column(required).is_none() {
                return Err((
                    1,
                    format!(
                        "missing column `{required}`; expected header outlet,name,category,medium,country,languages,aliases"
                    ),
                ));
            }
        }
        let mut registry = SourceRegistry::default();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                (line, format!("malformed CSV: {e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let field = |name: &str| {
                header
                    .column(name)
                    .and_then(|i| record.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let list = |name: &str| -> Vec<String> {
                field(name)
                    .split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let key = field("outlet");
            if key.is_empty() {
                return Err((line, "empty `outlet` key".to_string()));
            }
            let category = field("category");
            if category.is_empty() {
                return Err((line, format!("outlet `{key}` has no category")));
            }
            let timezone = match field("timezone") {
                zone if zone.is_empty() => None,
                zone => {
                    Some(Zone::parse(&zone).map_err(|e| (line, format!("outlet `{key}`: {e}")))?)
                }
            };
            let languages = list("languages");
            let language_set = if languages.is_empty() {
                None
            } else {
                Some(
                    LangSet::parse(&languages)
                        .map_err(|e| (line, format!("outlet `{key}`: languages: {e}")))?,
                )
            };
            registry
                .insert(Outlet {
                    name: field("name"),
                    category,
                    medium: field("medium"),
                    country: field("country"),
                    languages,
                    aliases: list("aliases"),
                    timezone,
                    language_set,
                    key,
                })
                .map_err(|message| (line, message))?;
        }
        Ok(registry)
    }

    fn insert(&mut self, outlet: Outlet) -> Result<(), String> {
        let index = self.outlets.len();
        if self.by_name.contains_key(&name_key(&outlet.key)) {
            return Err(format!("outlet `{}` is listed twice", outlet.key));
        }
        let names = std::iter::once(&outlet.key)
            .chain(std::iter::once(&outlet.name))
            .chain(&outlet.aliases);
        for name in names.filter(|n| !n.is_empty()) {
            // The first outlet to claim a name keeps it; the key always wins over aliases.
            self.by_name.entry(name_key(name)).or_insert(index);
        }
        self.by_name.insert(name_key(&outlet.key), index);
        self.outlets.push(outlet);
        Ok(())
    }

    /// Finds an outlet by key, display name or alias (case-insensitive, surrounding space ignored).
    pub fn lookup(&self, name: &str) -> Option<&Outlet> {
        self.by_name
            .get(&name_key(name))
            .and_then(|&i| self.outlets.get(i))
    }

    /// All outlets in file order.
    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }

    /// Number of outlets.
    pub fn len(&self) -> usize {
        self.outlets.len()
    }

    /// True when the registry has no outlets.
    pub fn is_empty(&self) -> bool {
        self.outlets.is_empty()
    }
}

fn name_key(name: &str) -> String {
    // Invisible format characters (a BOM, a zero-width joiner) never tell two names apart.
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .chars()
        .filter(|&c| !crate::escape::is_format_character(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &str = "outlet,name,category,medium,country,languages,aliases\n\
        khabar,Хабар 24,state,broadcast,KZ,ru|kk,Хабар 24|Khabar24|khabar\n\
        dala,Dala Times,independent,article,KZ,ru,\"Дала Таймс\"\n";

    #[test]
    fn looks_up_keys_names_and_aliases_case_insensitively() {
        let registry = SourceRegistry::from_csv(SOURCES.as_bytes()).unwrap();
        assert_eq!(registry.len(), 2);
        assert_eq!(registry.lookup("KHABAR24").unwrap().key, "khabar");
        assert_eq!(registry.lookup(" хабар  24 ").unwrap().key, "khabar");
        assert_eq!(
            registry.lookup("дала таймс").unwrap().category,
            "independent"
        );
        assert_eq!(registry.lookup("Dala Times").unwrap().languages, vec!["ru"]);
        assert!(registry.lookup("vlast").is_none());
    }

    #[test]
    fn missing_category_column_is_an_error_naming_the_column() {
        let err = SourceRegistry::from_csv(b"outlet,name\nx,X\n").unwrap_err();
        assert_eq!(err.0, 1);
        assert!(err.1.contains("category"), "{}", err.1);
    }

    #[test]
    fn duplicate_outlet_names_its_line() {
        let csv = "outlet,name,category\na,A,state\na,A2,state\n";
        let err = SourceRegistry::from_csv(csv.as_bytes()).unwrap_err();
        assert_eq!(err.0, 3);
    }

    // regression: registry exported with a UTF-8 BOM before the header
    #[test]
    fn bom_before_header_is_ignored() {
        let csv = "\u{feff}outlet,name,category\na,A,state\n";
        let registry = SourceRegistry::from_csv(csv.as_bytes()).unwrap();
        assert_eq!(registry.lookup("a").unwrap().category, "state");
    }
}

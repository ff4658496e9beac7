//! The entity gazetteer: `entities.csv` (id, type, name, aliases) in, entities with their
//! aliases as analyzed term sequences out, so inflected forms match.

use std::path::Path;

use serde::Serialize;

use crate::registry::{csv_with_header, load_with, RegistryError};
use crate::text::{fold_case, strip_kazakh_suffixes, Analyzer};

/// One entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Stable id.
    pub id: String,
    /// `person`, `organisation`, `place`, ...
    pub kind: String,
    /// Canonical display name.
    pub name: String,
    /// Names as written, every language and spelling.
    pub aliases: Vec<String>,
}

/// One alias of an entity, as the matcher compares it with a text's words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AliasPattern {
    /// Analyzed terms of the alias.
    pub terms: Vec<String>,
    /// Lowercased words with Kazakh endings stripped (a second chance for Kazakh words
    /// spelled without Kazakh-only letters, e.g. Алматыда ~ Алматы).
    pub stripped: Vec<String>,
    /// Index of the entity.
    pub entity: usize,
}

/// Entities with their aliases analyzed.
#[derive(Debug, Clone, Default)]
pub struct EntityRegistry {
    entities: Vec<Entity>,
    /// Aliases, longest first.
    patterns: Vec<AliasPattern>,
}

impl EntityRegistry {
    /// Loads `entities.csv` with header `id,type,name,aliases` (aliases `|`-separated).
    pub fn load(path: &Path) -> Result<EntityRegistry, RegistryError> {
        load_with(path, Self::from_csv)
    }

    /// Parses entity CSV bytes; errors carry the 1-based line and a message.
    pub fn from_csv(bytes: &[u8]) -> Result<EntityRegistry, (u64, String)> {
        let (mut reader, header) = csv_with_header(bytes)?;
        let column = |name: &str| header.iter().position(|h| h == name);
        let (Some(id), Some(kind), Some(name)) = (column("id"), column("type"), column("name"))
        else {
            return Err((1, "expected header id,type,name,aliases".to_string()));
        };
        let aliases = column("aliases");
        let mut entities = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                (
                    e.position().map_or(0, |p| p.line()),
                    format!("malformed CSV: {e}"),
                )
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let get = |i: usize| record.get(i).unwrap_or("").trim().to_string();
            let entity = Entity {
                id: get(id),
                kind: get(kind),
                name: get(name),
                aliases: aliases
                    .map(|i| {
                        get(i)
                            .split('|')
                            .map(|a| a.trim().to_string())
                            .filter(|a| !a.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            if entity.id.is_empty() || entity.name.is_empty() {
                return Err((line, "an entity needs an id and a name".to_string()));
            }
            entities.push(entity);
        }
        Ok(Self::new(entities))
    }

    /// Builds the registry from entities (the name counts as an alias).
    pub fn new(entities: Vec<Entity>) -> EntityRegistry {
        let analyzer = Analyzer::default();
        let mut patterns = Vec::new();
        for (index, entity) in entities.iter().enumerate() {
            for alias in std::iter::once(&entity.name).chain(&entity.aliases) {
                let terms = analyzer.terms(alias);
                let stripped = crate::text::words(alias)
                    .map(|(_, w)| strip_kazakh_suffixes(&fold_case(w)).to_string())
                    .collect();
                if !terms.is_empty() {
                    patterns.push(AliasPattern {
                        terms,
                        stripped,
                        entity: index,
                    });
                }
            }
        }
        patterns.sort_by(|a, b| b.terms.len().cmp(&a.terms.len()).then(a.cmp(b)));
        patterns.dedup();
        EntityRegistry { entities, patterns }
    }

    /// The entities in file order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Alias patterns, longest first.
    pub fn patterns(&self) -> &[AliasPattern] {
        &self.patterns
    }

    /// True when the registry has no entities.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_analyzed_sequences() {
        let csv = "id,type,name,aliases\ntokayev,person,Kassym-Jomart Tokayev,Токаев|Тоқаев|Касым-Жомарт Токаев\n";
        let registry = EntityRegistry::from_csv(csv.as_bytes()).unwrap();
        assert_eq!(registry.entities().len(), 1);
        let patterns: Vec<&Vec<String>> = registry.patterns().iter().map(|p| &p.terms).collect();
        assert!(patterns.contains(&&vec!["токаев".to_string()]));
        assert!(patterns.contains(&&vec!["тоқаев".to_string()]));
        assert_eq!(patterns[0].len(), 3); // longest first
    }

    #[test]
    fn missing_columns_are_named() {
        assert!(EntityRegistry::from_csv(b"id,name\nx,y\n")
            .unwrap_err()
            .1
            .contains("id,type,name"));
    }
}

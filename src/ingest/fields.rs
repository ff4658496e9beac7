//! Field-name aliases: input column/key names in, canonical document fields out.

use crate::ingest::record::Fields;

/// A canonical document field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `id`
    Id,
    /// `outlet`
    Outlet,
    /// `published`
    Published,
    /// `title`
    Title,
    /// `text`
    Text,
    /// `url`
    Url,
    /// `lang`
    Lang,
    /// `medium`
    Medium,
    /// `category`
    Category,
}

/// Accepted names for each field, in priority order (the first present wins).
const ALIASES: [(Field, &[&str]); 9] = [
    (Field::Id, &["id", "guid", "doc_id", "stories_id"]),
    (
        Field::Outlet,
        &["outlet", "source", "media_name", "media", "publisher"],
    ),
    (
        Field::Published,
        &[
            "published",
            "date",
            "publish_date",
            "datetime",
            "published_at",
            "pubdate",
        ],
    ),
    (Field::Title, &["title", "headline"]),
    (Field::Text, &["text", "body", "content"]),
    (Field::Url, &["url", "link"]),
    (Field::Lang, &["lang", "language"]),
    (Field::Medium, &["medium"]),
    (Field::Category, &["category"]),
];

/// Maps input names to fields: the built-in aliases plus user-given `field=name` mappings,
/// which take priority.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    custom: Vec<(Field, String)>,
}

impl Field {
    /// Parses a canonical field name.
    pub fn parse(name: &str) -> Option<Field> {
        ALIASES
            .iter()
            .find(|(_, names)| names.first() == Some(&name))
            .map(|(field, _)| *field)
    }

    /// Canonical name.
    pub fn name(self) -> &'static str {
        ALIASES
            .iter()
            .find(|(field, _)| *field == self)
            .and_then(|(_, names)| names.first())
            .copied()
            .unwrap_or("")
    }
}

impl FieldMap {
    /// Adds a mapping `FIELD=NAME` (e.g. `text=article_body`); errors name what was expected.
    pub fn add_mapping(&mut self, spec: &str) -> Result<(), String> {
        let (field, name) = spec.split_once('=').ok_or_else(|| {
            format!("field mapping `{spec}`: expected FIELD=NAME, e.g. text=article_body")
        })?;
        let field = Field::parse(field.trim()).ok_or_else(|| {
            format!(
                "field mapping `{spec}`: unknown field `{}`; expected one of id, outlet, published, title, text, url, lang, medium, category",
                field.trim()
            )
        })?;
        self.custom.push((field, name.trim().to_lowercase()));
        Ok(())
    }

    /// The priority of `name` (lowercased, trimmed) for a field: lower is better.
    pub fn resolve(&self, name: &str) -> Option<(Field, usize)> {
        let name = name.trim().trim_start_matches('\u{feff}').to_lowercase();
        if let Some((field, _)) = self.custom.iter().find(|(_, n)| *n == name) {
            return Some((*field, 0));
        }
        ALIASES.iter().find_map(|(field, names)| {
            names
                .iter()
                .position(|n| *n == name)
                .map(|rank| (*field, rank + 1))
        })
    }
}

/// Added to the rank of blank values so any non-blank alias wins.
const BLANK_PENALTY: usize = 1000;

/// Collects fields from (name, value) pairs, keeping the best-priority name for each field.
#[derive(Debug, Default)]
pub struct FieldCollector {
    fields: Fields,
    ranks: [usize; 9],
}

impl FieldCollector {
    /// Offers one named value; blank values fill a field only when no alias has a real value.
    pub fn offer(&mut self, map: &FieldMap, name: &str, value: String) {
        let Some((field, rank)) = map.resolve(name) else {
            return;
        };
        // A blank value only fills an otherwise empty field, so that a blank `text` is
        // reported as empty text rather than missing, and never hides a real alias.
        let rank = if value.trim().is_empty() {
            rank + BLANK_PENALTY
        } else {
            rank
        };
        let slot_rank = &mut self.ranks[field as usize];
        let slot = slot(&mut self.fields, field);
        if slot.is_none() || rank < *slot_rank {
            *slot = Some(value);
            *slot_rank = rank;
        }
    }

    /// The fields collected.
    pub fn finish(self) -> Fields {
        self.fields
    }
}

/// The slot of `field` in `fields`.
pub fn slot(fields: &mut Fields, field: Field) -> &mut Option<String> {
    match field {
        Field::Id => &mut fields.id,
        Field::Outlet => &mut fields.outlet,
        Field::Published => &mut fields.published,
        Field::Title => &mut fields.title,
        Field::Text => &mut fields.text,
        Field::Url => &mut fields.url,
        Field::Lang => &mut fields.lang,
        Field::Medium => &mut fields.medium,
        Field::Category => &mut fields.category,
    }
}

/// Fields from a JSON object: strings as they are, numbers and booleans as text, other values ignored.
pub fn from_json_object(
    map: &FieldMap,
    object: &serde_json::Map<String, serde_json::Value>,
) -> Fields {
    let mut collector = FieldCollector::default();
    for (name, value) in object {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        collector.offer(map, name, text);
    }
    collector.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_prefer_the_first_listed_name() {
        let map = FieldMap::default();
        let object = serde_json::json!({"content": "c", "body": "b", "source": "s", "id": 7});
        let fields = from_json_object(&map, object.as_object().unwrap());
        assert_eq!(fields.text.as_deref(), Some("b"));
        assert_eq!(fields.outlet.as_deref(), Some("s"));
        assert_eq!(fields.id.as_deref(), Some("7"));
    }

    #[test]
    fn custom_mapping_wins_over_aliases() {
        let mut map = FieldMap::default();
        map.add_mapping("text=Article_Body").unwrap();
        let object = serde_json::json!({"text": "t", "article_body": "a"});
        let fields = from_json_object(&map, object.as_object().unwrap());
        assert_eq!(fields.text.as_deref(), Some("a"));
    }

    #[test]
    fn bad_mapping_says_what_is_expected() {
        let mut map = FieldMap::default();
        assert!(map
            .add_mapping("textbody")
            .unwrap_err()
            .contains("FIELD=NAME"));
        assert!(map
            .add_mapping("body=x")
            .unwrap_err()
            .contains("unknown field"));
    }

    #[test]
    fn empty_values_do_not_hide_later_aliases() {
        let map = FieldMap::default();
        let object = serde_json::json!({"text": "  ", "content": "real"});
        let fields = from_json_object(&map, object.as_object().unwrap());
        assert_eq!(fields.text.as_deref(), Some("real"));
    }
}

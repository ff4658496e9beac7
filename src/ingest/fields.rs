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
    /// `timezone`
    Timezone,
}

/// Accepted names for each field, in priority order (the first present wins). Besides the
/// generic names, these are the field names of the tools researchers collect news with (see
/// the README's tables; the fixtures in `tests/fixtures/tools/` cite each tool's field list):
/// news-please (`maintext`, `date_publish`, `source_domain`, `language`), trafilatura JSON
/// (`source-hostname`, `hostname`; its `source` is the URL, see [`FieldCollector::offer`]),
/// Media Cloud (`media_name`, `publish_date`, `stories_id`, `story_text`) and GDELT
/// (`seendate`).
const ALIASES: [(Field, &[&str]); 10] = [
    (
        Field::Id,
        &["id", "stories_id", "doc_id", "guid", "processed_stories_id"],
    ),
    (
        Field::Outlet,
        &[
            "outlet",
            "source",
            "media_name",
            "source_domain",
            "source-hostname",
            "sitename",
            "hostname",
            "media",
            "publisher",
        ],
    ),
    (
        Field::Published,
        &[
            "published",
            "date",
            "publish_date",
            "date_publish",
            "datetime",
            "published_at",
            "pubdate",
            "seendate",
        ],
    ),
    (
        Field::Title,
        &["title", "headline", "title_page", "title_rss"],
    ),
    (
        Field::Text,
        &["text", "body", "content", "maintext", "story_text"],
    ),
    (Field::Url, &["url", "link"]),
    (Field::Lang, &["lang", "language"]),
    (Field::Medium, &["medium"]),
    (Field::Category, &["category"]),
    (Field::Timezone, &["timezone", "tz"]),
];

/// Names whose presence marks a Media Cloud search download, whose `publish_date` is in UTC.
const MEDIA_CLOUD_MARKS: [&str; 2] = ["indexed_date", "media_url"];

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
                "field mapping `{spec}`: unknown field `{}`; expected one of id, outlet, published, title, text, url, lang, medium, category, timezone",
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
    ranks: [usize; 10],
    /// Media Cloud search-download columns were seen (`publish_date` is then UTC).
    media_cloud: bool,
}

/// Rank of a URL offered under an outlet name: a URL field, after every real one.
const URL_FROM_OUTLET_RANK: usize = 500;

impl FieldCollector {
    /// Offers one named value; blank values fill a field only when no alias has a real value.
    /// A URL offered as the outlet (trafilatura's `source`) is taken as the url instead:
    /// an outlet is a site, never one article's address.
    pub fn offer(&mut self, map: &FieldMap, name: &str, value: String) {
        let Some((mut field, mut rank)) = map.resolve(name) else {
            if MEDIA_CLOUD_MARKS
                .iter()
                .any(|mark| name.trim().eq_ignore_ascii_case(mark))
            {
                self.media_cloud = true;
            }
            return;
        };
        if field == Field::Outlet && rank > 0 && looks_like_url(&value) {
            field = Field::Url;
            rank += URL_FROM_OUTLET_RANK;
        }
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

    /// The fields collected. A Media Cloud search download without a time zone of its own
    /// gets `UTC`, the zone its `publish_date` is written in.
    pub fn finish(mut self) -> Fields {
        if self.media_cloud && self.fields.timezone.is_none() {
            self.fields.timezone = Some("UTC".to_string());
        }
        self.fields
    }
}

/// True for `http://…` and `https://…` values.
fn looks_like_url(value: &str) -> bool {
    let value = value.trim_start();
    ["http://", "https://"].iter().any(|scheme| {
        value
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

/// True when `name` (a column or key) maps to the text field.
pub fn is_text_name(map: &FieldMap, name: &str) -> bool {
    matches!(map.resolve(name), Some((Field::Text, _)))
}

// Repeated shape: one arm per variant, from an enum to its struct field.
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
        Field::Timezone => &mut fields.timezone,
    }
}

/// Fields from a JSON object: strings as they are, numbers and booleans as text, other values ignored.
pub fn from_json_object(
    map: &FieldMap,
    object: &serde_json::Map<String, serde_json::Value>,
) -> Fields {
    from_json_values(
        map,
        object.iter().map(|(name, value)| (name, value.clone())),
    )
}

/// [`from_json_object`] of an object given away: its strings are moved, not copied (a
/// record's text is its largest part).
pub fn from_json_map(map: &FieldMap, object: serde_json::Map<String, serde_json::Value>) -> Fields {
    from_json_values(map, object.into_iter())
}

fn from_json_values<N: AsRef<str>>(
    map: &FieldMap,
    values: impl Iterator<Item = (N, serde_json::Value)>,
) -> Fields {
    let mut collector = FieldCollector::default();
    for (name, value) in values {
        let text = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        collector.offer(map, name.as_ref(), text);
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
    fn a_url_offered_as_outlet_is_the_url() {
        let map = FieldMap::default();
        // trafilatura: `source` is the article's address, `source-hostname` the site.
        let object = serde_json::json!({
            "source": "https://example.kz/news/1",
            "source-hostname": "Example News",
            "hostname": "example.kz",
        });
        let fields = from_json_object(&map, object.as_object().unwrap());
        assert_eq!(fields.outlet.as_deref(), Some("Example News"));
        assert_eq!(fields.url.as_deref(), Some("https://example.kz/news/1"));
        // A real url field wins over the one found under `source`.
        let object =
            serde_json::json!({"source": "https://a/1", "url": "https://b/2", "hostname": "b"});
        let fields = from_json_object(&map, object.as_object().unwrap());
        assert_eq!(fields.url.as_deref(), Some("https://b/2"));
        assert_eq!(fields.outlet.as_deref(), Some("b"));
        // --map outlet=source takes it as it is: the user said so.
        let mut mapped = FieldMap::default();
        mapped.add_mapping("outlet=source").unwrap();
        let fields = from_json_object(&mapped, object.as_object().unwrap());
        assert_eq!(fields.outlet.as_deref(), Some("https://a/1"));
    }

    #[test]
    fn media_cloud_downloads_are_in_utc() {
        let map = FieldMap::default();
        let object = serde_json::json!({"media_name": "x", "publish_date": "2022-01-05 10:00:00", "indexed_date": "2022-01-06"});
        let fields = from_json_object(&map, object.as_object().unwrap());
        assert_eq!(fields.timezone.as_deref(), Some("UTC"));
        let object = serde_json::json!({"media_name": "x", "publish_date": "2022-01-05 10:00:00"});
        assert_eq!(
            from_json_object(&map, object.as_object().unwrap()).timezone,
            None
        );
    }

    #[test]
    fn empty_values_do_not_hide_later_aliases() {
        let map = FieldMap::default();
        let object = serde_json::json!({"text": "  ", "content": "real"});
        let fields = from_json_object(&map, object.as_object().unwrap());
        assert_eq!(fields.text.as_deref(), Some("real"));
    }
}

//! The report's content: statistics results in, one [`ReportData`] value out that holds every
//! number, label and passage the rendered report shows (serialized as `data.json`).

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

pub use crate::search::Passage as ExampleLine;
use crate::stats::entities::UnknownName;
use crate::stats::frames::{FramePoint, FrameShare};
use crate::stats::keyness::{KeyTerm, Keyness, Side};
use crate::stats::scan::GroupBy;
use crate::stats::timeline::{Gap, GapScope, Interval, Timeline};

/// Entities listed in the tables: key entities per direction, co-mentioned pairs.
pub const ENTITY_TOP: usize = 10;
/// Capitalized names proposed for the gazetteer.
pub const UNKNOWN_NAMES: usize = 15;
/// Frames charted over time.
pub const FRAMES_OVER_TIME: usize = 3;

/// Serializes a value by its name (`day`, not `Day`).
fn by_name<T: std::fmt::Display, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Document`
// (model.rs), `Outlet` (registry/sources.rs): different facts, no shared type.
/// Everything a report shows. Renderers only format this value; they compute nothing new,
/// so `data.json` is the report in machine-readable form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    /// Report title.
    pub title: String,
    /// The question asked: groups, query, filters, parameters.
    pub question: Question,
    /// Documents by group, outlet, language and medium.
    pub overview: Overview,
    /// Documents and tokens per group per interval, with gaps.
    pub timeline: Timeline,
    /// Key terms in both directions.
    pub keyness: Keyness,
    /// Share of each group's documents per detected language.
    pub language_mix: Vec<LanguageShare>,
    /// Example passages for the top key terms.
    pub examples: Vec<Example>,
    /// Gazetteer entities: share of voice, keyness, co-mentions, names missing from the list.
    pub entities: EntitySection,
    /// Dictionary frames: share of documents with a hit, over time, keyness.
    pub frames: FrameSection,
    /// Near-duplicate copies per group, who copies whom, talking points.
    pub copies: crate::stats::copies::CopySummary,
    /// Key terms per period and the terms whose conservative Log Ratio changed most between periods.
    pub change: super::dynamics::ChangeSection,
    /// Attention to the query: each group's matching share per interval.
    pub attention: super::dynamics::AttentionSection,
    /// Sections left out because the report's source lacks their data (a report from
    /// partials: no texts for passages, no signatures for copies), each with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
    /// Formulas, thresholds, analyzer settings and caveats.
    pub methods: Methods,
    /// Tool version, index fingerprint, command line.
    pub provenance: Provenance,
}

/// A section a report left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// The section's key in `data.json` (`examples`, `copies`, `change`).
    pub section: String,
    /// Why, and how to get it.
    pub reason: String,
}

/// What was compared, over which documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Grouping field.
    pub by: GroupBy,
    /// Target group label.
    pub target: String,
    /// Reference group label (`all others` when every other group is the reference).
    pub reference: String,
    /// Query text (`*` = every document).
    pub query: String,
    /// Filters as `name`, `value` pairs (empty = none).
    pub filters: Vec<Setting>,
    /// Timeline bucket: `hour`, `day`, `week`, `month` or `year`.
    #[serde(serialize_with = "by_name")]
    pub interval: Interval,
    /// Why the interval is coarser than the one asked for, when it is (too many points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_note: Option<String>,
    /// Time zone of days and hours: an IANA name (`Asia/Almaty`) or `UTC+06:00`.
    pub timezone: String,
    /// Key terms listed per direction.
    pub top: usize,
    /// Minimum combined frequency of a tested term.
    pub min_freq: u64,
    /// Shortest silence listed as a gap, in days.
    pub min_gap_days: u64,
    /// How copies across outlets were counted (`--copies`), and how many were collapsed.
    pub copies: crate::stats::collapse::CopyCounting,
}

/// A named value (a filter, a setting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

impl Setting {
    /// A setting from anything printable.
    pub fn new(name: &str, value: impl ToString) -> Setting {
        Setting {
            name: name.to_string(),
            value: value.to_string(),
        }
    }
}

/// A value and its document count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The value (outlet key, language code, medium).
    pub value: String,
    /// Documents.
    pub documents: u64,
}

/// The first and last calendar day with a document (`YYYY-MM-DD`), both `None` when no
/// document is dated to the day: of the subset ([`Overview`]) or of one group
/// ([`GroupSummary`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DaySpan {
    /// First calendar day with a document.
    pub first_day: Option<String>,
    /// Last calendar day with a document.
    pub last_day: Option<String>,
}

impl DaySpan {
    /// The first and last key of `per_day` (documents per day, keys `YYYY-MM-DD`, so their
    /// order is the calendar's).
    pub fn of(per_day: &BTreeMap<String, u64>) -> DaySpan {
        DaySpan {
            first_day: per_day.keys().next().cloned(),
            last_day: per_day.keys().next_back().cloned(),
        }
    }
}

/// The subset's documents in total and per group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    /// Documents in the subset.
    pub documents: u64,
    /// The days they were published on (JSON: `first_day`, `last_day` at this level).
    #[serde(flatten)]
    pub days: DaySpan,
    /// Groups: target first, then the reference, then any others by label.
    pub groups: Vec<GroupSummary>,
}

/// A group's part in the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The group asked about.
    Target,
    /// Compared with the target.
    Reference,
    /// Neither (shown in the overview only).
    Other,
}

impl Role {
    /// `target`, `reference` or `other`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Target => "target",
            Role::Reference => "reference",
            Role::Other => "other",
        }
    }
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `ChangeSection`
// (report/dynamics.rs), `TimeChart` (report/svg/time.rs) and 1 more: different facts, no shared
// type.
/// One group's documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    /// Group label.
    pub label: String,
    /// Its part in the comparison.
    pub role: Role,
    /// Documents.
    pub documents: u64,
    /// Counted tokens (as keyness counts them).
    pub tokens: u64,
    /// The days its documents were published on (JSON: `first_day`, `last_day` at this
    /// level).
    #[serde(flatten)]
    pub days: DaySpan,
    /// Days with at least one document.
    pub active_days: u64,
    /// Documents per outlet, most first (ties by outlet).
    pub outlets: Vec<Count>,
    /// Documents per detected language, most first.
    pub langs: Vec<Count>,
    /// Documents per medium, most first.
    pub media: Vec<Count>,
}

/// One group's documents in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageShare {
    /// Group label.
    pub group: String,
    /// Detected language code.
    pub lang: String,
    /// Documents.
    pub documents: u64,
    /// Share of the group's documents (0–1).
    pub share: f64,
}

/// Passages showing one key term in use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// Which side over-uses the term.
    pub direction: Side,
    /// The over-using group.
    pub group: String,
    /// Rank of the term in its direction (1 = top).
    pub rank: usize,
    /// The term as shown (a readable word that finds its documents in `search`).
    pub term: String,
    /// The counted index term.
    pub index_term: String,
    /// Its most frequent surface form.
    pub form: String,
    /// Documents of the group containing the term.
    pub documents: u64,
    /// Keyword-in-context lines, oldest first.
    pub lines: Vec<ExampleLine>,
}

/// The list file a section counts with (the gazetteer or the frame dictionary), and why the
/// section is empty when it is: the same facts for the entity and the frame section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListSource {
    /// The list file (empty when none was given).
    pub list: String,
    /// Why the section is empty (no list, or the file does not exist); `None` when it is filled.
    pub missing: Option<String>,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Fields`
// (ingest/record.rs), `Partial` (partial/mod.rs) and 2 more: different facts, no shared type.
// Repeated shape: the entity and frame sections share `ListSource`; the rest are each section's own
// figures.
/// Entities of the gazetteer in the subset.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EntitySection {
    /// The gazetteer file, and why the section is empty.
    #[serde(flatten)]
    pub source: ListSource,
    /// Entity mentions per group, in display order.
    pub groups: Vec<EntityGroup>,
    /// Entities with at least one mention, most mentioned first (ties by id).
    pub entities: Vec<EntityRow>,
    /// Entity keyness of the target against the reference (mentions as tokens).
    pub keyness: Option<Keyness>,
    /// Pairs of entities mentioned in the same documents, most first.
    pub co_mentions: Vec<EntityPair>,
    /// Capitalized names not in the gazetteer, most frequent first: candidates for the list.
    pub unknown_names: Vec<UnknownName>,
}

impl EntitySection {
    /// The section without figures: only the file named and why there is nothing.
    pub fn empty(source: ListSource) -> EntitySection {
        EntitySection {
            source,
            ..EntitySection::default()
        }
    }
}

/// One group's entity mentions in total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityGroup {
    /// Group label.
    pub group: String,
    /// Documents of the group.
    pub documents: u64,
    /// Mentions of any gazetteer entity.
    pub mentions: u64,
}

/// One entity across the groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRow {
    /// Entity id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Type (person, organisation, place, ...).
    pub kind: String,
    /// Mentions in all groups.
    pub mentions: u64,
    /// Documents mentioning it in all groups.
    pub documents: u64,
    /// Its figures per group, in display order (zeros included).
    pub groups: Vec<EntityShare>,
}

/// One entity in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityShare {
    /// Group label.
    pub group: String,
    /// Mentions.
    pub mentions: u64,
    /// Documents mentioning it.
    pub documents: u64,
    /// Share of all entity mentions in the group (0–1; sums to 1 over the entities).
    pub share_of_voice: f64,
}

/// Two entities mentioned in the same documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityPair {
    /// First entity id.
    pub a: String,
    /// Its name.
    pub a_name: String,
    /// Second entity id.
    pub b: String,
    /// Its name.
    pub b_name: String,
    /// Documents mentioning both.
    pub documents: u64,
}

// Repeated shape: the entity and frame sections share `ListSource`; the rest are each section's own
// figures.
/// Frames of the dictionary in the subset.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrameSection {
    /// The dictionary file, and why the section is empty.
    #[serde(flatten)]
    pub source: ListSource,
    /// Share of each group's documents with a hit, per frame (frames sorted, groups in display
    /// order), as `stats frames` gives it.
    pub shares: Vec<FrameShare>,
    /// The frames charted over time: largest difference between target and reference first.
    pub over_time: Vec<FrameGap>,
    /// Per-bucket shares of the charted frames.
    pub series: Vec<FramePoint>,
    /// Frame keyness of the target against the reference (hits as tokens).
    pub keyness: Option<Keyness>,
}

impl FrameSection {
    /// The section without figures: only the file named and why there is nothing.
    pub fn empty(source: ListSource) -> FrameSection {
        FrameSection {
            source,
            ..FrameSection::default()
        }
    }
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `CoMention` (stats/entities.rs), `FramePoint` (stats/frames.rs) and 1 more: different facts, no
// shared type.
/// A frame's overall shares in the target and the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameGap {
    /// Frame name.
    pub frame: String,
    /// Share of the target's documents with a hit.
    pub target_share: f64,
    /// Share of the reference's documents with a hit.
    pub reference_share: f64,
    /// target_share − reference_share.
    pub difference: f64,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with
// `Filters` (search/query/mod.rs): different facts, no shared type.
/// How the numbers were computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Methods {
    /// Measures and their definitions.
    pub measures: Vec<Setting>,
    /// Significance thresholds.
    pub thresholds: Vec<Setting>,
    /// Text analysis and counting settings.
    pub analysis: Vec<Setting>,
    /// What to keep in mind when reading the numbers.
    pub caveats: Vec<String>,
}

/// Where the report comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// mediawatch version.
    pub version: String,
    /// Live documents in the whole index.
    pub index_documents: u64,
    /// Sum of xxh3 hashes of the (outlet + id, text fingerprint) pairs of the whole index (of
    /// every shard, for a report over several).
    pub index_fingerprint: String,
    /// The command line that produced the report.
    pub command_line: String,
    /// Generation time (RFC 3339), only when asked for (`--timestamp`).
    pub generated_at: Option<String>,
}

impl ReportData {
    /// Group labels in display order (target, reference, others).
    pub fn group_labels(&self) -> Vec<&str> {
        self.overview
            .groups
            .iter()
            .map(|g| g.label.as_str())
            .collect()
    }

    /// Display position of a group (its colour index); unknown labels go last.
    pub fn group_position(&self, label: &str) -> usize {
        self.overview
            .groups
            .iter()
            .position(|g| g.label == label)
            .unwrap_or(self.overview.groups.len())
    }

    /// The key items of an item keyness (entities, frames) over-used by `direction`.
    pub fn key_items(keyness: Option<&Keyness>, direction: Side) -> Vec<&KeyTerm> {
        keyness
            .map(|k| {
                k.terms
                    .iter()
                    .filter(|t| t.direction == direction)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Name of an entity id (the id itself when unknown).
    pub fn entity_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.entities
            .entities
            .iter()
            .find(|e| e.id == id)
            .map_or(id, |e| e.name.as_str())
    }

    /// The key terms over-used by `direction`, in rank order.
    pub fn key_terms(&self, direction: Side) -> Vec<&KeyTerm> {
        self.keyness
            .terms
            .iter()
            .filter(|t| t.direction == direction)
            .collect()
    }

    /// Why the report left `section` out (`examples`, `copies`, `change`), when it did.
    pub fn left_out(&self, section: &str) -> Option<&str> {
        self.left_out
            .iter()
            .find(|l| l.section == section)
            .map(|l| l.reason.as_str())
    }

    /// Label of the over-using group of a direction.
    pub fn side_label(&self, direction: Side) -> &str {
        match direction {
            Side::Target => &self.keyness.target.label,
            Side::Reference => &self.keyness.reference.label,
        }
    }

    /// Gaps of whole groups (not single outlets).
    pub fn group_gaps(&self) -> impl Iterator<Item = &Gap> {
        self.timeline
            .gaps
            .iter()
            .filter(|g| g.scope == GapScope::Group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_span_is_the_first_and_last_day_counted() {
        let per_day = BTreeMap::from([
            ("2022-01-07".to_string(), 2),
            ("2021-12-31".to_string(), 1),
            ("2022-01-05".to_string(), 4),
        ]);
        let span = DaySpan::of(&per_day);
        assert_eq!(span.first_day.as_deref(), Some("2021-12-31"));
        assert_eq!(span.last_day.as_deref(), Some("2022-01-07"));
        assert_eq!(DaySpan::of(&BTreeMap::new()), DaySpan::default());
    }

    // regression: `first_day` and `last_day` stay between `documents` and `groups` in
    // data.json.
    #[test]
    fn overview_json_keeps_the_day_keys_in_place() {
        let overview = Overview {
            documents: 3,
            days: DaySpan {
                first_day: Some("2022-01-05".into()),
                last_day: None,
            },
            groups: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&overview).unwrap(),
            r#"{"documents":3,"first_day":"2022-01-05","last_day":null,"groups":[]}"#
        );
    }
}

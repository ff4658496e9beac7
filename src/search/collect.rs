//! Collectors over matching documents: facet counts and (published, address) lists.
//! Both are mergeable per segment, as tantivy's `Collector` requires.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::fasthash::FastMap;
use crate::index::schema;
use crate::index::settings::IndexSettings;
use crate::timezone::{DatePrecision, Published, Zone};

/// A field matching documents can be counted by.
// Declared in alphabetical order: maps keyed by facets list them as JSON always has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    /// Group label (`state`, `independent`, ...).
    Category,
    /// Calendar day of publication.
    Day,
    /// Detected language.
    Lang,
    /// Medium.
    Medium,
    /// Outlet key.
    Outlet,
}

/// A facet name that is not one of `outlet`, `category`, `lang`, `medium`, `day`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a comma-separated list of outlet, category, lang, medium, day")]
pub struct UnknownFacet;

impl std::str::FromStr for Facet {
    type Err = UnknownFacet;

    fn from_str(name: &str) -> Result<Facet, UnknownFacet> {
        match name {
            "outlet" => Ok(Facet::Outlet),
            "category" => Ok(Facet::Category),
            "lang" => Ok(Facet::Lang),
            "medium" => Ok(Facet::Medium),
            "day" => Ok(Facet::Day),
            _ => Err(UnknownFacet),
        }
    }
}

impl Facet {
    /// The index field it counts (also its name).
    pub fn field(self) -> &'static str {
        match self {
            Facet::Outlet => schema::OUTLET,
            Facet::Category => schema::CATEGORY,
            Facet::Lang => schema::LANG,
            Facet::Medium => schema::MEDIUM,
            Facet::Day => schema::DAY,
        }
    }
}

impl std::fmt::Display for Facet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.field())
    }
}

/// The fields that can be faceted, in the collector's slot order.
pub const FACET_FIELDS: [Facet; 5] = [
    Facet::Outlet,
    Facet::Category,
    Facet::Lang,
    Facet::Medium,
    Facet::Day,
];

/// Matching-document counts per value of each facet field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    /// Counts per outlet.
    pub outlet: BTreeMap<String, u64>,
    /// Counts per category.
    pub category: BTreeMap<String, u64>,
    /// Counts per detected language.
    pub lang: BTreeMap<String, u64>,
    /// Counts per medium.
    pub medium: BTreeMap<String, u64>,
    /// Counts per calendar day.
    pub day: BTreeMap<String, u64>,
    /// Counts per day of each value of [`FacetCollector::by`] (empty unless asked for).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_day: BTreeMap<String, BTreeMap<String, u64>>,
}

impl FacetCounts {
    /// The counts of one facet.
    pub fn get(&self, facet: Facet) -> &BTreeMap<String, u64> {
        match facet {
            Facet::Outlet => &self.outlet,
            Facet::Category => &self.category,
            Facet::Lang => &self.lang,
            Facet::Medium => &self.medium,
            Facet::Day => &self.day,
        }
    }

    // Repeated shape: one arm per variant, from an enum to its struct field.
    /// The counts of one facet, to change.
    pub fn get_mut(&mut self, facet: Facet) -> &mut BTreeMap<String, u64> {
        match facet {
            Facet::Outlet => &mut self.outlet,
            Facet::Category => &mut self.category,
            Facet::Lang => &mut self.lang,
            Facet::Medium => &mut self.medium,
            Facet::Day => &mut self.day,
        }
    }

    fn slot(&mut self, i: usize) -> &mut BTreeMap<String, u64> {
        self.get_mut(FACET_FIELDS[i])
    }

    /// Adds `other`'s counts (of other documents) to these.
    pub fn merge(&mut self, other: FacetCounts) {
        for (group, days) in other.by_day {
            let mine = self.by_day.entry(group).or_default();
            for (day, n) in days {
                *mine.entry(day).or_default() += n;
            }
        }
        for (i, map) in [
            other.outlet,
            other.category,
            other.lang,
            other.medium,
            other.day,
        ]
        .into_iter()
        .enumerate()
        {
            let slot = self.slot(i);
            for (k, v) in map {
                *slot.entry(k).or_default() += v;
            }
        }
    }
}

/// Counts matching documents per facet value.
#[derive(Debug, Clone, Copy, Default)]
pub struct FacetCollector {
    /// Count days in this zone instead of the index's display zone (in which the `day`
    /// field is stored); undated documents and those dated to the month or year have none.
    pub day_zone: Option<Zone>,
    /// Also count days per value of this field (not `Day`), in the same pass.
    pub by: Option<Facet>,
}

impl FacetCollector {
    /// A collector whose days are days of `zone` in `index`.
    pub fn in_zone(index: &tantivy::Index, zone: Zone) -> FacetCollector {
        let stored = IndexSettings::of(index).unwrap_or_default().display_zone;
        FacetCollector {
            day_zone: (zone != stored).then_some(zone),
            by: None,
        }
    }

    /// The same collector also counting days per value of `by`.
    pub fn by(self, by: Facet) -> FacetCollector {
        FacetCollector {
            by: (by != Facet::Day).then_some(by),
            ..self
        }
    }
}

/// Slot of a facet in [`FACET_FIELDS`].
fn slot_of(facet: Facet) -> usize {
    FACET_FIELDS.iter().position(|&f| f == facet).unwrap_or(0)
}

/// Per-segment state of [`FacetCollector`]: counts by term ordinal.
pub struct SegmentFacetCollector {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
    /// Days counted anew in another zone than the stored one.
    days: Option<ZoneDays>,
    /// Days per value of the `by` field.
    by: Option<GroupDays>,
}

/// A document's publication date from the `published` and `date_precision` fast fields.
pub fn published_of(
    published: &Column<tantivy::DateTime>,
    precision: &Column<u64>,
    doc: DocId,
) -> Option<Published> {
    published.first(doc).and_then(|at| {
        let at = chrono::DateTime::from_timestamp(at.into_timestamp_secs(), 0)?;
        let precision = precision
            .first(doc)
            .and_then(DatePrecision::from_code)
            .unwrap_or(DatePrecision::Time);
        Some(Published { at, precision })
    })
}

/// Slot of the `by` field, and (group ordinal, day) counts: days as stored ordinals, or as
/// labels counted anew in another zone.
type GroupDays = (
    usize,
    FastMap<(u64, u64), u64>,
    BTreeMap<(u64, String), u64>,
);

/// Days of matching documents in a zone, from their publication time and precision.
pub struct ZoneDays {
    zone: Zone,
    published: Column<tantivy::DateTime>,
    precision: Column<u64>,
    counts: BTreeMap<String, u64>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentFacetCollector;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let mut columns = Vec::new();
        let mut counts = Vec::new();
        for facet in FACET_FIELDS {
            let column = match (facet, self.day_zone) {
                (Facet::Day, Some(_)) => None,
                _ => segment.fast_fields().str(facet.field())?,
            };
            counts.push(vec![0; column.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(column);
        }
        let days = match self.day_zone {
            Some(zone) => Some(ZoneDays {
                zone,
                published: segment.fast_fields().date(schema::PUBLISHED)?,
                precision: segment.fast_fields().u64(schema::DATE_PRECISION)?,
                counts: BTreeMap::new(),
            }),
            None => None,
        };
        Ok(SegmentFacetCollector {
            columns,
            counts,
            days,
            by: self
                .by
                .map(|by| (slot_of(by), FastMap::default(), BTreeMap::new())),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::default();
        for fruit in fruits {
            total.merge(fruit);
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacetCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        // Ordinals of this document per slot (u64::MAX: none), for the per-group days.
        let mut ords = [u64::MAX; FACET_FIELDS.len()];
        for (i, (column, counts)) in self.columns.iter().zip(&mut self.counts).enumerate() {
            if let Some(ord) = column.as_ref().and_then(|c| c.term_ords(doc).next()) {
                ords[i] = ord;
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
        let day_slot = slot_of(Facet::Day);
        if let Some((slot, stored, _)) = &mut self.by {
            if ords[*slot] != u64::MAX && ords[day_slot] != u64::MAX {
                *stored.entry((ords[*slot], ords[day_slot])).or_default() += 1;
            }
        }
        if let Some(days) = &mut self.days {
            let published = published_of(&days.published, &days.precision, doc);
            if let Some(day) = published.and_then(|p| p.day_label(days.zone)) {
                if let Some((slot, _, labelled)) = &mut self.by {
                    if ords[*slot] != u64::MAX {
                        *labelled.entry((ords[*slot], day.clone())).or_default() += 1;
                    }
                }
                *days.counts.entry(day).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut fruit = FacetCounts::default();
        if let Some(days) = self.days {
            fruit.day = days.counts;
        }
        let mut value = String::new();
        if let Some((slot, stored, labelled)) = self.by {
            let label = |column: &Option<StrColumn>, ord: u64| {
                let mut out = String::new();
                let found = column.as_ref()?.ord_to_str(ord, &mut out).ok()?;
                found.then_some(out)
            };
            let day_slot = slot_of(Facet::Day);
            let stored = stored.into_iter().filter_map(|((group, day), n)| {
                Some((group, label(&self.columns[day_slot], day)?, n))
            });
            let labelled = labelled
                .into_iter()
                .map(|((group, day), n)| (group, day, n));
            for (group, day, n) in stored.chain(labelled) {
                if let Some(group) = label(&self.columns[slot], group) {
                    *fruit
                        .by_day
                        .entry(group)
                        .or_default()
                        .entry(day)
                        .or_default() += n;
                }
            }
        }
        for (i, (column, counts)) in self.columns.iter().zip(self.counts).enumerate() {
            let Some(column) = column else { continue };
            for (ord, count) in counts.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                value.clear();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    *fruit.slot(i).entry(value.clone()).or_default() += count;
                }
            }
        }
        fruit
    }
}

/// A matching document with its publication time (seconds) and relevance score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// Where the document is.
    pub address: DocAddress,
    /// Publication time, unix seconds.
    pub published: i64,
    /// Relevance score.
    pub score: Score,
}

/// Collects every matching document with its publication time and score.
pub struct MatchCollector {
    /// Whether scores are needed (relevance order).
    pub scoring: bool,
}

/// Per-segment state of [`MatchCollector`].
pub struct SegmentMatchCollector {
    segment: SegmentOrdinal,
    published: Column<tantivy::DateTime>,
    matches: Vec<Match>,
}

// tantivy's `Collector` shape (`Fruit`, `Child`, `for_segment`, `merge_fruits`), as every
// collector here and in `shards` implements it: `duplicates` pairs those impls by shape.
impl Collector for MatchCollector {
    type Fruit = Vec<Match>;
    type Child = SegmentMatchCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentMatchCollector {
            segment: segment_ord,
            published: segment.fast_fields().date(schema::PUBLISHED)?,
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Match>>) -> tantivy::Result<Vec<Match>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentMatchCollector {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Undated documents sort after every dated one.
        let published = self
            .published
            .first(doc)
            .map_or(i64::MAX, |d| d.into_timestamp_secs());
        self.matches.push(Match {
            address: DocAddress::new(self.segment, doc),
            published,
            score,
        });
    }

    fn harvest(self) -> Vec<Match> {
        self.matches
    }
}

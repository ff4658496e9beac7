//! Reports: an index and a [`ReportRequest`] in, a [`ReportData`] (every number the report
//! shows) and its files out — `report.html` (self-contained, inline SVG), `report.md` with
//! `charts/*.svg`, `data.json` and `tables/*.csv`.
//!
//! [`collect`] runs the statistics ([`crate::stats::compare`] in both directions,
//! [`crate::stats::timeline()`] with gaps, facet counts per group) and picks example passages;
//! [`write()`] renders the data with one module per format and writes the files without
//! following symbolic links. Same index and request → byte-identical files.

pub mod data;
pub mod html;
pub mod markdown;
pub mod svg;
pub mod tables;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::files::{self, Access};

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::{Index, Searcher, Term};

use crate::index::{schema, stored};
use crate::registry::{EntityRegistry, FrameRegistry, RegistryError};
use crate::search::collect::{FacetCollector, FacetCounts, Match, MatchCollector};
use crate::search::kwic::{self, Pattern};
use crate::search::{query, Filters, SearchError};
use crate::stats::counts::TermMode;
use crate::stats::keyness::{KeyTerm, KeynessOptions};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::timeline::{Interval, Timeline};
use crate::stats::{self, CompareRequest, StatsError};
use crate::text::Analyzer;
use crate::timezone::{Published, Zone};
pub use data::ReportData;
use data::{
    Count, EntityGroup, EntityPair, EntityRow, EntitySection, EntityShare, Example, ExampleLine,
    FrameGap, FrameSection, GroupSummary, LanguageShare, Methods, Overview, Provenance, Question,
    Setting,
};

/// Errors of the report stage.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A statistic failed (e.g. a group with no documents).
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// Selecting documents failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The entity or frame list exists but cannot be read or parsed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// A file could not be written.
    // The cause is not repeated in the message: it is the error's source, and the binary
    // prints the whole chain.
    #[error("cannot write {}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
}

impl From<tantivy::TantivyError> for ReportError {
    fn from(error: tantivy::TantivyError) -> Self {
        ReportError::Search(SearchError::Tantivy(error))
    }
}

/// What a report covers and how.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The documents (query and filters).
    pub subset: Subset,
    /// Grouping field.
    pub by: GroupBy,
    /// Target group.
    pub target: String,
    /// Reference group; `None` = all other documents.
    pub reference: Option<String>,
    /// Timeline bucket (days and hours are those of `subset.filters.zone`).
    pub interval: Interval,
    /// Key terms per direction.
    pub top: usize,
    /// Minimum combined frequency of a tested term.
    pub min_freq: u64,
    /// Shortest silence listed as a gap, in days.
    pub min_gap_days: u64,
    /// Key terms per direction that get example passages.
    pub example_terms: usize,
    /// Passages per term.
    pub examples_per_term: usize,
    /// Words of context on each side of a passage's match.
    pub window: usize,
    /// The command line, for provenance.
    pub command_line: Vec<String>,
    /// Generation time to print (`None` keeps the files reproducible).
    pub generated_at: Option<String>,
    /// Entity gazetteer CSV; `None` or a missing file leaves the entities section empty.
    pub entity_list: Option<PathBuf>,
    /// Frame dictionary CSV; `None` or a missing file leaves the frames section empty.
    pub frame_list: Option<PathBuf>,
}

impl Default for ReportRequest {
    fn default() -> Self {
        ReportRequest {
            subset: Subset {
                query: "*".to_string(),
                filters: Filters::default(),
            },
            by: GroupBy::Category,
            target: "state".to_string(),
            reference: Some("independent".to_string()),
            interval: Interval::Day,
            top: 20,
            min_freq: 5,
            min_gap_days: 2,
            example_terms: 5,
            examples_per_term: 3,
            window: 8,
            command_line: Vec::new(),
            generated_at: None,
            entity_list: None,
            frame_list: None,
        }
    }
}

/// A stage of [`collect`], reported to the progress callback as it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Counting documents per group, outlet, language and medium.
    Overview,
    /// Building the timeline and finding gaps.
    Timeline,
    /// Counting terms and testing keyness.
    Keyness,
    /// Picking example passages.
    Examples,
    /// Counting entity mentions and testing entity keyness.
    Entities,
    /// Counting frame hits and testing frame keyness.
    Frames,
    /// Fingerprinting the index.
    Fingerprint,
}

impl Step {
    /// A short description for progress displays.
    pub fn message(self) -> &'static str {
        match self {
            Step::Overview => "counting documents per group",
            Step::Timeline => "building the timeline",
            Step::Keyness => "testing keyness",
            Step::Examples => "picking example passages",
            Step::Entities => "counting entity mentions",
            Step::Frames => "counting frame hits",
            Step::Fingerprint => "fingerprinting the index",
        }
    }
}

/// Collects the report's data without progress reports.
pub fn collect(index: &Index, request: &ReportRequest) -> Result<ReportData, ReportError> {
    collect_with_progress(index, request, &|_| {})
}

/// Collects the report's data, calling `progress` as each [`Step`] starts.
pub fn collect_with_progress(
    index: &Index,
    request: &ReportRequest,
    progress: &dyn Fn(Step),
) -> Result<ReportData, ReportError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let subset_query = query::build(index, &request.subset.query, &request.subset.filters)?;

    progress(Step::Overview);
    let facets = FacetCollector::in_zone(index, request.subset.filters.zone);
    let all = searcher.search(&*subset_query, &facets)?;
    let (interval, interval_note) = fitting_interval(request.interval, &all.day);
    let request = &ReportRequest {
        interval,
        ..request.clone()
    };
    let by_field = index.schema().get_field(request.by.name())?;
    let mut per_group = BTreeMap::new();
    for label in facet(&all, request.by).keys() {
        let restricted = restrict(&*subset_query, by_field, std::slice::from_ref(label));
        per_group.insert(label.clone(), searcher.search(&restricted, &facets)?);
    }

    progress(Step::Timeline);
    let (timeline, _) = stats::timeline(
        index,
        &request.subset,
        request.by,
        request.interval,
        request.min_gap_days,
    )?;

    progress(Step::Keyness);
    let compare = CompareRequest {
        subset: request.subset.clone(),
        by: request.by,
        target: request.target.clone(),
        reference: request.reference.clone(),
        mode: TermMode::Analyzed,
        ngram: 1,
        keep_stopwords: false,
        options: KeynessOptions {
            top: request.top,
            min_freq: request.min_freq,
            ..KeynessOptions::default()
        },
    };
    let keyness = stats::compare(index, &compare)?;

    let overview = overview(request, &all, &per_group, &timeline);
    let language_mix = language_mix(&overview);

    progress(Step::Examples);
    let mut examples = Vec::new();
    for direction in ["target", "reference"] {
        let labels: Vec<String> = if direction == "target" {
            vec![request.target.clone()]
        } else {
            match &request.reference {
                Some(label) => vec![label.clone()],
                None => per_group
                    .keys()
                    .filter(|l| **l != request.target)
                    .cloned()
                    .collect(),
            }
        };
        let group_query = restrict(&*subset_query, by_field, &labels);
        let terms = keyness
            .terms
            .iter()
            .filter(|t| t.direction == direction)
            .take(request.example_terms);
        for (rank, term) in terms.enumerate() {
            let (documents, lines) = passages(index, &searcher, &group_query, term, request)?;
            examples.push(Example {
                direction: direction.to_string(),
                group: if direction == "target" {
                    keyness.target.label.clone()
                } else {
                    keyness.reference.label.clone()
                },
                rank: rank + 1,
                term: term.term.clone(),
                index_term: term.index_term.clone(),
                form: term
                    .forms
                    .first()
                    .cloned()
                    .unwrap_or_else(|| term.term.clone()),
                documents,
                lines,
            });
        }
    }

    progress(Step::Entities);
    let group_order: Vec<String> = overview.groups.iter().map(|g| g.label.clone()).collect();
    let entities = entity_section(index, request, &compare, &group_order)?;
    progress(Step::Frames);
    let frames = frame_section(index, request, &compare, &group_order)?;

    progress(Step::Fingerprint);
    let (index_documents, index_fingerprint) = fingerprint(&searcher)?;

    let reference = keyness.reference.label.clone();
    let mut question = question(request, &reference);
    question.interval_note = interval_note;
    let title = format!(
        "{} vs {}: what each side said, and when",
        request.target, reference
    );
    Ok(ReportData {
        title,
        question,
        overview,
        timeline,
        methods: methods(request, &keyness, &reference),
        keyness,
        language_mix,
        examples,
        entities,
        frames,
        provenance: Provenance {
            version: env!("CARGO_PKG_VERSION").to_string(),
            index_documents,
            index_fingerprint,
            command_line: shell_words(&request.command_line),
            generated_at: request.generated_at.clone(),
        },
    })
}

/// Entities listed in the tables: key entities per direction, co-mentioned pairs.
pub const ENTITY_TOP: usize = 10;
/// Capitalized names proposed for the gazetteer.
pub const UNKNOWN_NAMES: usize = 15;
/// Frames charted over time.
pub const FRAMES_OVER_TIME: usize = 3;

/// A list file's path as shown, and the sentence its section shows when there is no file.
fn list_file(path: Option<&Path>, what: &str, flag: &str) -> (String, Option<String>) {
    match path {
        None => (
            String::new(),
            Some(format!("No {what} was given, so this section is empty.")),
        ),
        Some(p) if !p.exists() => (
            p.display().to_string(),
            Some(format!(
                "No {what}: {} does not exist (pass {flag} FILE), so this section is empty.",
                p.display()
            )),
        ),
        Some(p) => (p.display().to_string(), None),
    }
}

fn entity_section(
    index: &Index,
    request: &ReportRequest,
    compare: &CompareRequest,
    group_order: &[String],
) -> Result<EntitySection, ReportError> {
    let (list, missing) = list_file(
        request.entity_list.as_deref(),
        "entity list",
        "--entity-list",
    );
    let mut section = EntitySection {
        list,
        missing,
        groups: Vec::new(),
        entities: Vec::new(),
        keyness: None,
        co_mentions: Vec::new(),
        unknown_names: Vec::new(),
    };
    let Some(path) = request
        .entity_list
        .as_deref()
        .filter(|_| section.missing.is_none())
    else {
        return Ok(section);
    };
    let registry = std::sync::Arc::new(EntityRegistry::load(path)?);
    let mut keyness_request = compare.clone();
    keyness_request.options.top = ENTITY_TOP;
    // Figures and keyness from one pass over the documents.
    let (stats, keyness) = stats::entities_with_keyness(
        index,
        &keyness_request,
        std::sync::Arc::clone(&registry),
        UNKNOWN_NAMES,
    )?;
    for label in group_order {
        let group = stats.groups.iter().find(|g| g.label == *label);
        section.groups.push(EntityGroup {
            group: label.clone(),
            documents: group.map_or(0, |g| g.documents),
            mentions: group.map_or(0, |g| g.entities.iter().map(|e| e.mentions).sum()),
        });
    }
    for entity in registry.entities() {
        let mut row = EntityRow {
            id: entity.id.clone(),
            name: entity.name.clone(),
            kind: entity.kind.clone(),
            mentions: 0,
            documents: 0,
            groups: Vec::new(),
        };
        for label in group_order {
            let figures = stats
                .groups
                .iter()
                .find(|g| g.label == *label)
                .and_then(|g| g.entities.iter().find(|e| e.id == entity.id));
            let share = EntityShare {
                group: label.clone(),
                mentions: figures.map_or(0, |f| f.mentions),
                documents: figures.map_or(0, |f| f.documents),
                share_of_voice: figures.map_or(0.0, |f| f.share_of_voice),
            };
            row.mentions += share.mentions;
            row.documents += share.documents;
            row.groups.push(share);
        }
        if row.mentions > 0 {
            section.entities.push(row);
        }
    }
    section
        .entities
        .sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
    let name = |id: &str| {
        registry
            .entities()
            .iter()
            .find(|e| e.id == id)
            .map_or(id.to_string(), |e| e.name.clone())
    };
    section.co_mentions = stats
        .co_mentions
        .iter()
        .take(ENTITY_TOP)
        .map(|c| EntityPair {
            a: c.a.clone(),
            a_name: name(&c.a),
            b: c.b.clone(),
            b_name: name(&c.b),
            documents: c.documents,
        })
        .collect();
    section.unknown_names = stats.unknown_names;
    section.keyness = Some(keyness);
    Ok(section)
}

fn frame_section(
    index: &Index,
    request: &ReportRequest,
    compare: &CompareRequest,
    group_order: &[String],
) -> Result<FrameSection, ReportError> {
    let (list, missing) = list_file(request.frame_list.as_deref(), "frame list", "--frame-list");
    let mut section = FrameSection {
        list,
        missing,
        shares: Vec::new(),
        over_time: Vec::new(),
        series: Vec::new(),
        keyness: None,
    };
    let Some(path) = request
        .frame_list
        .as_deref()
        .filter(|_| section.missing.is_none())
    else {
        return Ok(section);
    };
    let registry = std::sync::Arc::new(FrameRegistry::load(path)?);
    let mut keyness_request = compare.clone();
    keyness_request.options.top = ENTITY_TOP;
    // Shares and keyness from one pass over the documents.
    let (stats, keyness) = stats::frames_with_keyness(
        index,
        &keyness_request,
        std::sync::Arc::clone(&registry),
        request.interval,
    )?;
    let position = |label: &str| group_order.iter().position(|g| g == label);
    let mut shares = stats.shares;
    shares.sort_by(|a, b| {
        a.frame
            .cmp(&b.frame)
            .then(position(&a.group).cmp(&position(&b.group)))
            .then(a.group.cmp(&b.group))
    });
    // The reference side pools its groups (one group, or all others).
    let side = |frame: &str, target: bool| {
        let (with_hit, documents) = shares
            .iter()
            .filter(|s| s.frame == frame)
            .filter(|s| {
                let is_target = s.group == request.target;
                if target {
                    is_target
                } else {
                    !is_target && request.reference.as_ref().is_none_or(|r| *r == s.group)
                }
            })
            .fold((0u64, 0u64), |acc, s| {
                (acc.0 + s.documents_with_hit, acc.1 + s.documents)
            });
        if documents == 0 {
            0.0
        } else {
            with_hit as f64 / documents as f64
        }
    };
    let mut gaps: Vec<FrameGap> = registry
        .frames()
        .iter()
        .filter(|f| {
            shares
                .iter()
                .any(|s| s.frame == **f && s.documents_with_hit > 0)
        })
        .map(|f| {
            let (t, r) = (side(f, true), side(f, false));
            FrameGap {
                frame: f.clone(),
                target_share: t,
                reference_share: r,
                difference: t - r,
            }
        })
        .collect();
    gaps.sort_by(|a, b| {
        b.difference
            .abs()
            .total_cmp(&a.difference.abs())
            .then(a.frame.cmp(&b.frame))
    });
    gaps.truncate(FRAMES_OVER_TIME);
    section.series = stats
        .series
        .into_iter()
        .filter(|p| gaps.iter().any(|g| g.frame == p.frame))
        .collect();
    section.series.sort_by(|a, b| {
        (&a.frame, position(&a.group), &a.group, &a.bucket).cmp(&(
            &b.frame,
            position(&b.group),
            &b.group,
            &b.bucket,
        ))
    });
    section.over_time = gaps;
    section.shares = shares;
    section.keyness = Some(keyness);
    Ok(section)
}

/// The facet map of the grouping field.
fn facet(counts: &FacetCounts, by: GroupBy) -> &BTreeMap<String, u64> {
    match by {
        GroupBy::Category => &counts.category,
        GroupBy::Outlet => &counts.outlet,
        GroupBy::Lang => &counts.lang,
        GroupBy::Medium => &counts.medium,
    }
}

/// `base` AND the grouping field equal to one of `labels`.
fn restrict(base: &dyn Query, field: tantivy::schema::Field, labels: &[String]) -> BooleanQuery {
    let terms = labels.iter().map(|l| Term::from_field_text(field, l));
    BooleanQuery::new(vec![
        (Occur::Must, base.box_clone()),
        (Occur::Must, Box::new(TermSetQuery::new(terms))),
    ])
}

/// Counts sorted by documents (most first), ties by value.
fn ranked(map: &BTreeMap<String, u64>) -> Vec<Count> {
    let mut out: Vec<Count> = map
        .iter()
        .map(|(value, documents)| Count {
            value: value.clone(),
            documents: *documents,
        })
        .collect();
    out.sort_by(|a, b| b.documents.cmp(&a.documents).then(a.value.cmp(&b.value)));
    out
}

fn overview(
    request: &ReportRequest,
    all: &FacetCounts,
    per_group: &BTreeMap<String, FacetCounts>,
    timeline: &Timeline,
) -> Overview {
    let reference = request.reference.as_deref();
    let mut groups: Vec<GroupSummary> = per_group
        .iter()
        .map(|(label, counts)| {
            let role = if *label == request.target {
                "target"
            } else if reference.is_none_or(|r| r == label) {
                "reference"
            } else {
                "other"
            };
            let tokens = timeline
                .groups
                .get(label)
                .map_or(0, |series| series.values().map(|v| v.tokens).sum());
            GroupSummary {
                label: label.clone(),
                role: role.to_string(),
                documents: facet(counts, request.by).get(label).copied().unwrap_or(0),
                tokens,
                first_day: counts.day.keys().next().cloned(),
                last_day: counts.day.keys().next_back().cloned(),
                active_days: counts.day.len() as u64,
                outlets: ranked(&counts.outlet),
                langs: ranked(&counts.lang),
                media: ranked(&counts.medium),
            }
        })
        .collect();
    let rank = |g: &GroupSummary| match g.role.as_str() {
        "target" => 0,
        "reference" => 1,
        _ => 2,
    };
    groups.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.label.cmp(&b.label)));
    Overview {
        documents: facet(all, request.by).values().sum(),
        first_day: all.day.keys().next().cloned(),
        last_day: all.day.keys().next_back().cloned(),
        groups,
    }
}

fn language_mix(overview: &Overview) -> Vec<LanguageShare> {
    let mut out = Vec::new();
    for group in &overview.groups {
        let mut langs = group.langs.clone();
        langs.sort_by(|a, b| a.value.cmp(&b.value));
        for count in langs {
            out.push(LanguageShare {
                group: group.label.clone(),
                lang: count.value,
                documents: count.documents,
                share: if group.documents == 0 {
                    0.0
                } else {
                    count.documents as f64 / group.documents as f64
                },
            });
        }
    }
    out
}

/// Example passages of `term` within `group_query`: documents spread over the period
/// (oldest to newest), the first occurrence in each.
fn passages(
    index: &Index,
    searcher: &Searcher,
    group_query: &BooleanQuery,
    term: &KeyTerm,
    request: &ReportRequest,
) -> Result<(u64, Vec<ExampleLine>), ReportError> {
    let schema = index.schema();
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for name in [schema::TEXT, schema::TITLE] {
        let field = schema.get_field(name)?;
        alternatives.push((
            Occur::Should,
            query::term_query(searcher, field, &term.index_term)?,
        ));
    }
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(group_query.clone()) as Box<dyn Query>),
        (Occur::Must, Box::new(BooleanQuery::new(alternatives))),
    ]);
    let matches = searcher.search(&query, &MatchCollector { scoring: false })?;
    let matches = sorted_by_date(searcher, matches)?;
    let wanted = request.examples_per_term;
    let n = matches.len();
    // Evenly spaced documents first (so passages span the period), then the rest in order.
    let mut spread: Vec<usize> = (0..wanted.min(n))
        .map(|j| (2 * j + 1) * n / (2 * wanted))
        .collect();
    spread.dedup();
    let order: Vec<usize> = spread
        .iter()
        .copied()
        .chain((0..n).filter(|i| !spread.contains(i)))
        .take(wanted * 10)
        .collect();
    let analyzer = Analyzer::default();
    let patterns = [Pattern::Term(term.index_term.clone())];
    let mut lines = Vec::new();
    for &i in &order {
        if lines.len() >= wanted {
            break;
        }
        let doc = stored::load(searcher, matches[i].address)?;
        let found = kwic::occurrences(&analyzer, &doc.text, &patterns, request.window)
            .into_iter()
            .next()
            .or_else(|| {
                kwic::occurrences(&analyzer, &doc.title, &patterns, request.window)
                    .into_iter()
                    .next()
            });
        if let Some(occurrence) = found {
            lines.push((
                i,
                ExampleLine {
                    published: request.subset.filters.zone.show_opt(doc.published.as_ref()),
                    id: doc.id,
                    outlet: doc.outlet,
                    day: doc.day,
                    title: doc.title,
                    left: occurrence.left,
                    matched: occurrence.matched,
                    right: occurrence.right,
                },
            ));
        }
    }
    lines.sort_by_key(|(i, _)| *i);
    Ok((n as u64, lines.into_iter().map(|(_, l)| l).collect()))
}

/// Matches sorted by publication time, ties by document id (independent of segment layout).
fn sorted_by_date(searcher: &Searcher, matches: Vec<Match>) -> Result<Vec<Match>, ReportError> {
    let mut keyed = Vec::with_capacity(matches.len());
    let mut id = String::new();
    for m in matches {
        let segment = searcher.segment_reader(m.address.segment_ord);
        id.clear();
        if let Some(column) = segment.fast_fields().str(schema::ID)? {
            if let Some(ord) = column.term_ords(m.address.doc_id).next() {
                column
                    .ord_to_str(ord, &mut id)
                    .map_err(tantivy::TantivyError::from)?;
            }
        }
        keyed.push((m.published, id.clone(), m));
    }
    keyed.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Ok(keyed.into_iter().map(|(_, _, m)| m).collect())
}

/// Live documents and an xxh3 hash over the sorted (outlet + id key, text fingerprint) pairs.
fn fingerprint(searcher: &Searcher) -> Result<(u64, String), ReportError> {
    let mut pairs = Vec::new();
    let mut key = String::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let keys = fast.str(schema::KEY)?;
        let prints = fast.u64(schema::FINGERPRINT)?;
        for doc in segment.doc_ids_alive() {
            key.clear();
            if let Some(column) = &keys {
                if let Some(ord) = column.term_ords(doc).next() {
                    column
                        .ord_to_str(ord, &mut key)
                        .map_err(tantivy::TantivyError::from)?;
                }
            }
            pairs.push((key.clone(), prints.first(doc).unwrap_or(0)));
        }
    }
    pairs.sort();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (key, print) in &pairs {
        hasher.update(key.as_bytes());
        hasher.update(&[0]);
        hasher.update(&print.to_le_bytes());
    }
    Ok((pairs.len() as u64, format!("xxh3:{:016x}", hasher.digest())))
}

fn interval_name(interval: Interval) -> &'static str {
    interval.name()
}

/// Most buckets a timeline series may have in a report; a finer interval over a longer range
/// (one document dated 1900 in a 2022 corpus) gives way to a coarser one, with a note.
pub const MAX_TIMELINE_POINTS: u64 = 5_000;

/// The interval the report uses for the days in `days` (the first and last matter), and a
/// note when it is coarser than the one asked for.
fn fitting_interval(asked: Interval, days: &BTreeMap<String, u64>) -> (Interval, Option<String>) {
    let parse = |d: Option<&String>| d.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let (Some(first), Some(last)) = (parse(days.keys().next()), parse(days.keys().next_back()))
    else {
        return (asked, None);
    };
    let chosen = asked.within(first, last, MAX_TIMELINE_POINTS);
    let note = (chosen != asked).then(|| {
        format!(
            "The timeline is per {} rather than per {}: the documents span {first} to {last}, which per {} would need {} points per series (the limit is {MAX_TIMELINE_POINTS}).",
            chosen.name(),
            asked.name(),
            asked.name(),
            asked.buckets(first, last)
        )
    });
    (chosen, note)
}

/// A time bound as the user would have typed it: a date when it is a local midnight.
fn local_bound(at: chrono::DateTime<Utc>, zone: Zone, end: bool) -> String {
    let local = zone.local(at);
    if local.time() == chrono::NaiveTime::MIN {
        let day = if end {
            local.date() - Duration::days(1)
        } else {
            local.date()
        };
        return day.format("%Y-%m-%d").to_string();
    }
    let shown = if end { at - Duration::seconds(1) } else { at };
    zone.show(&Published::time(shown))
}

fn question(request: &ReportRequest, reference: &str) -> Question {
    let f = &request.subset.filters;
    let mut filters = Vec::new();
    for (name, values) in [
        ("outlet", &f.outlets),
        ("category", &f.categories),
        ("lang", &f.langs),
        ("medium", &f.media),
    ] {
        if !values.is_empty() {
            filters.push(Setting::new(name, values.join(" or ")));
        }
    }
    if let Some(from) = f.from {
        filters.push(Setting::new("from", local_bound(from, f.zone, false)));
    }
    if let Some(until) = f.until {
        filters.push(Setting::new("to", local_bound(until, f.zone, true)));
    }
    let query = request.subset.query.trim();
    Question {
        by: request.by.name().to_string(),
        target: request.target.clone(),
        reference: reference.to_string(),
        query: if query.is_empty() { "*" } else { query }.to_string(),
        filters,
        interval: interval_name(request.interval).to_string(),
        interval_note: None,
        timezone: f.zone.label(),
        top: request.top,
        min_freq: request.min_freq,
        min_gap_days: request.min_gap_days,
    }
}

fn methods(request: &ReportRequest, keyness: &stats::keyness::Keyness, reference: &str) -> Methods {
    let stopwords = stats::counts::STOPWORD_LANGUAGES.join(", ");
    Methods {
        measures: data::measure_definitions(),
        thresholds: data::thresholds(),
        analysis: vec![
            Setting::new("unit", format!("{} (keyness); documents (timeline, overview)", keyness.unit)),
            Setting::new(
                "terms",
                format!("the index's analyzer (analysis version {}): Unicode word segmentation, NFC, lowercase, ё→е; Russian dictionary lemmas (OpenCorpora via rumorph) with a surname rule and Snowball for unknown words, Kazakh suffix analysis with vowel harmony and consonant assimilation, Snowball English; key terms shown as their lemma or most frequent form", crate::analysis::ANALYSIS_VERSION),
            ),
            Setting::new(
                "dropped",
                format!("stopwords (NLTK lists for {stopwords}, plus Kazakh function words), numbers, one-letter words"),
            ),
            Setting::new("n-gram size", 1),
            Setting::new("minimum frequency (a + b)", request.min_freq),
            Setting::new("terms tested", keyness.terms_tested),
            Setting::new(
                "Bonferroni threshold",
                format!("p < {:.3e} (0.05 / {})", keyness.bonferroni_threshold, keyness.terms_tested.max(1)),
            ),
            Setting::new("key terms listed per direction", request.top),
            Setting::new("outlet balancing", "off (frequencies pooled over each group's outlets)"),
            Setting::new(
                "gaps",
                format!(
                    "runs of at least {} days without output inside a group's or outlet's active range",
                    request.min_gap_days
                ),
            ),
            Setting::new(
                "days",
                format!(
                    "calendar days in {}; undated documents, and those dated only to the month or year, are counted everywhere but on the timeline",
                    request.subset.filters.zone.label()
                ),
            ),
            Setting::new(
                "example passages",
                format!(
                    "top {} terms per direction, {} passages each from documents spread over the period, {} words of context",
                    request.example_terms, request.examples_per_term, request.window
                ),
            ),
            Setting::new(
                "entity list",
                request.entity_list.as_ref().map_or("none".to_string(), |p| p.display().to_string()),
            ),
            Setting::new(
                "entity matching",
                "each alias is analyzed like the documents and matched as a sequence of terms (so inflected forms meet: Токаев, Токаева, Токаеву); a word also matches when its Kazakh suffix-stripped form equals the alias's (Алматыда → алматы); a capitalized word may carry up to 3 letters of case ending beyond an alias stem of at least 4 letters; the longest alias wins and a word belongs to one mention",
            ),
            Setting::new(
                "share of voice",
                "an entity's mentions / mentions of all listed entities in the group",
            ),
            Setting::new(
                "gazetteer candidates",
                "runs of capitalized words that are not sentence-initial and match no alias",
            ),
            Setting::new(
                "frame list",
                request.frame_list.as_ref().map_or("none".to_string(), |p| p.display().to_string()),
            ),
            Setting::new(
                "frame matching",
                "a plain word (or phrase) pattern matches the analyzed terms (stem, lowercase, ё→е); pattern* matches lowercased word forms starting with the prefix; patterns of every language apply to every document; a word counts for at most one pattern per frame",
            ),
            Setting::new(
                "frame share",
                "documents of the group with at least one hit of the frame / documents of the group",
            ),
            Setting::new(
                "entity and frame keyness",
                format!("as for terms, with mentions or hits as a and b and all counted tokens as c and d; top {ENTITY_TOP} per direction"),
            ),
        ],
        caveats: data::caveats(reference),
    }
}

/// Arguments joined for display, quoted where a shell would need it.
pub fn shell_words(args: &[String]) -> String {
    args.iter()
        .enumerate()
        .map(|(i, a)| {
            // The program path varies between machines; its name does not.
            let a = if i == 0 {
                Path::new(a)
                    .file_name()
                    .map_or(a.clone(), |n| n.to_string_lossy().into_owned())
            } else {
                a.clone()
            };
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_alphanumeric() || "-_./:=+,@%".contains(c));
            if plain {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A p-value as text: scientific notation with two decimals.
pub fn fmt_p(p: f64) -> String {
    format!("{p:.2e}")
}

/// The report's main findings as plain sentences (escape them for the output format).
pub fn summary(data: &ReportData) -> Vec<String> {
    let mut out = Vec::new();
    for g in &data.overview.groups {
        out.push(format!(
            "{} ({}): {} documents from {} outlet{}, {} to {}.",
            g.label,
            g.role,
            g.documents,
            g.outlets.len(),
            if g.outlets.len() == 1 { "" } else { "s" },
            g.first_day.as_deref().unwrap_or("?"),
            g.last_day.as_deref().unwrap_or("?"),
        ));
    }
    if let Some(note) = data.timeline.off_timeline_note() {
        out.push(format!("{note}."));
    }
    let gaps: Vec<_> = data.group_gaps().collect();
    if gaps.is_empty() {
        out.push(format!(
            "No group fell silent for {} days or more.",
            data.question.min_gap_days
        ));
    }
    for g in gaps {
        let outlets = data
            .timeline
            .gaps
            .iter()
            .filter(|o| {
                o.scope == "outlet" && o.group == g.name && o.from <= g.to && o.to >= g.from
            })
            .count();
        out.push(format!(
            "{} published nothing from {} to {} ({} days; {} of its outlets silent).",
            g.name, g.from, g.to, g.days, outlets
        ));
    }
    for direction in ["target", "reference"] {
        let terms = data.key_terms(direction);
        if terms.is_empty() {
            continue;
        }
        let words: Vec<String> = terms
            .iter()
            .take(8)
            .map(|t| t.forms.first().cloned().unwrap_or_else(|| t.term.clone()))
            .collect();
        out.push(format!(
            "Words over-used by {}: {}.",
            data.side_label(direction),
            words.join(", ")
        ));
    }
    let mut mix = Vec::new();
    for label in data.group_labels() {
        let langs: Vec<String> = data
            .language_mix
            .iter()
            .filter(|l| l.group == label)
            .map(|l| format!("{} {:.0}%", l.lang, l.share * 100.0))
            .collect();
        mix.push(format!("{label}: {}", langs.join(", ")));
    }
    if !mix.is_empty() {
        out.push(format!("Languages: {}.", mix.join("; ")));
    }
    out
}

/// One chart of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File name under `charts/` (e.g. `timeline.svg`).
    pub file: &'static str,
    /// Title (used as alt text in Markdown).
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// Parses a timeline bucket label into its start.
fn bucket_start(label: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(label, "%Y-%m-%dT%H:%M")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(label, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

/// File names of the frame-over-time charts, in the order of [`data::FrameSection::over_time`].
pub const FRAME_TIME_FILES: [&str; FRAMES_OVER_TIME] = [
    "frames_over_time_1.svg",
    "frames_over_time_2.svg",
    "frames_over_time_3.svg",
];

/// The report's charts: timeline, key terms, language mix, and — when the lists were found —
/// entity share of voice, frame shares and frames over time.
pub fn charts(data: &ReportData) -> Vec<Chart> {
    let mut out = vec![
        timeline_chart(data),
        keyness_chart(data),
        language_chart(data),
    ];
    if data.entities.missing.is_none() {
        out.push(entities_chart(data));
    }
    if data.frames.missing.is_none() {
        out.push(frames_chart(data));
        out.extend(frame_time_charts(data));
    }
    out
}

/// The timeline's bucket labels.
fn bucket_labels(data: &ReportData) -> Vec<&String> {
    data.timeline
        .groups
        .values()
        .next()
        .map(|s| s.keys().collect())
        .unwrap_or_default()
}

fn interval_step(interval: &str) -> Duration {
    match interval {
        "hour" => Duration::hours(1),
        "week" => Duration::days(7),
        // Months and years vary in length; charts space them evenly at their mean length.
        "month" => Duration::hours(730),
        "year" => Duration::hours(8766),
        _ => Duration::days(1),
    }
}

fn time_axis_label(data: &ReportData) -> String {
    match data.question.interval.as_str() {
        "hour" => format!("Hour ({})", data.question.timezone),
        "week" => format!("Week starting ({})", data.question.timezone),
        "month" => format!("Month ({})", data.question.timezone),
        "year" => format!("Year ({})", data.question.timezone),
        _ => format!("Day ({})", data.question.timezone),
    }
}

fn timeline_chart(data: &ReportData) -> Chart {
    let interval = data.question.interval.as_str();
    let step = interval_step(interval);
    let labels = bucket_labels(data);
    let starts: Vec<NaiveDateTime> = labels.iter().filter_map(|l| bucket_start(l)).collect();
    let series = data
        .group_labels()
        .into_iter()
        .filter_map(|label| {
            let volumes = data.timeline.groups.get(label)?;
            Some(svg::TimeSeries {
                label: label.to_string(),
                colour: svg::colour(data.group_position(label)).to_string(),
                values: volumes.values().map(|v| v.documents as f64).collect(),
            })
        })
        .collect();
    let shades = gap_shades(data);
    let title = format!("Documents per {interval} by {}", data.question.by);
    let gaps: Vec<String> = data
        .group_gaps()
        .map(|g| format!("{} published nothing from {} to {}", g.name, g.from, g.to))
        .collect();
    let description = format!(
        "Line chart of documents per {interval} for {} from {} to {}. {}",
        data.group_labels().join(", "),
        data.overview.first_day.as_deref().unwrap_or("?"),
        data.overview.last_day.as_deref().unwrap_or("?"),
        if gaps.is_empty() {
            "No gaps.".to_string()
        } else {
            format!("Shaded gaps: {}.", gaps.join("; "))
        }
    );
    let x_label = time_axis_label(data);
    Chart {
        file: "timeline.svg",
        svg: svg::time_chart(&svg::TimeChart {
            id: "chart-timeline".to_string(),
            title: title.clone(),
            description,
            x_label,
            y_label: format!("Documents per {interval}"),
            starts,
            step,
            series,
            shades,
            y_max: None,
        }),
        title,
    }
}

/// Shaded spans of whole-group gaps; gaps with the same span (several groups silent together) share one shade.
fn gap_shades(data: &ReportData) -> Vec<svg::TimeShade> {
    let mut spans: Vec<(&str, &str, u64, Vec<&crate::stats::timeline::Gap>)> = Vec::new();
    for gap in data.group_gaps() {
        match spans
            .iter_mut()
            .find(|(from, to, _, _)| *from == gap.from && *to == gap.to)
        {
            Some(span) => span.3.push(gap),
            None => spans.push((&gap.from, &gap.to, gap.days, vec![gap])),
        }
    }
    spans
        .into_iter()
        .filter_map(|(from, to, days, gaps)| {
            let from = bucket_start(from)?;
            let until = bucket_start(to)? + Duration::days(1);
            let names: Vec<&str> = gaps.iter().map(|g| g.name.as_str()).collect();
            let joined = names.join(", ");
            let who = if names.len() == 1 || joined.chars().count() <= 40 {
                joined
            } else {
                format!("{} groups", names.len())
            };
            let colour = if gaps.len() == 1 {
                svg::colour(data.group_position(&gaps[0].group))
            } else {
                "#777777"
            };
            Some(svg::TimeShade {
                from,
                until,
                label: format!("{who}: no output, {days} days"),
                legend: format!("gap: {who} silent"),
                colour: colour.to_string(),
            })
        })
        .collect()
}

/// How many key terms per direction the chart shows.
pub const CHART_TERMS: usize = 15;

fn keyness_chart(data: &ReportData) -> Chart {
    let target = &data.keyness.target.label;
    let reference = &data.keyness.reference.label;
    let mut bars = Vec::new();
    for direction in ["target", "reference"] {
        let colour = svg::colour(data.group_position(data.side_label(direction)));
        for t in data.key_terms(direction).into_iter().take(CHART_TERMS) {
            bars.push(svg::Bar {
                label: t.forms.first().cloned().unwrap_or_else(|| t.term.clone()),
                value: t.log_ratio,
                colour: colour.to_string(),
                note: format!("{:.2}", t.log_ratio),
            });
        }
    }
    let title = format!("Key terms: {target} vs {reference} (Log Ratio)");
    Chart {
        file: "keyness.svg",
        svg: svg::diverging_bars(&svg::DivergingChart {
            id: "chart-keyness".to_string(),
            title: title.clone(),
            description: format!(
                "Diverging bar chart of the top {CHART_TERMS} key terms per direction, ranked by G²: bars to the right are over-used by {target}, bars to the left by {reference}; bar length is the Log Ratio (binary log of the ratio of relative frequencies). Each term is labelled by its most frequent word form."
            ),
            left_caption: format!("← over-used by {reference}"),
            right_caption: format!("over-used by {target} →"),
            axis_label: "Log Ratio (log2 of relative frequency ratio; ±1 = twice as frequent)"
                .to_string(),
            bars,
        }),
        title,
    }
}

fn language_chart(data: &ReportData) -> Chart {
    let groups: Vec<String> = data.group_labels().iter().map(|s| s.to_string()).collect();
    let langs: Vec<String> = {
        let mut all: Vec<String> = data.language_mix.iter().map(|l| l.lang.clone()).collect();
        all.sort();
        all.dedup();
        all
    };
    let series = langs
        .iter()
        .enumerate()
        .map(|(i, lang)| svg::BarSeries {
            label: lang.clone(),
            colour: svg::colour(i + 2).to_string(),
            values: groups
                .iter()
                .map(|g| {
                    data.language_mix
                        .iter()
                        .find(|l| l.group == *g && l.lang == *lang)
                        .map_or(0.0, |l| l.share)
                })
                .collect(),
        })
        .collect();
    let title = format!("Language mix by {}", data.question.by);
    Chart {
        file: "language_mix.svg",
        svg: svg::grouped_bars(&svg::GroupedChart {
            id: "chart-language".to_string(),
            title: title.clone(),
            description: format!(
                "Grouped bar chart: share of each group's documents per detected language ({}).",
                langs.join(", ")
            ),
            x_label: data.question.by.clone(),
            y_label: "Share of the group's documents".to_string(),
            groups,
            series,
            value_format: (100.0, "%".to_string()),
        }),
        title,
    }
}

/// Entities in the share-of-voice chart.
pub const CHART_ENTITIES: usize = 10;

/// Series of a grouped chart: one per report group, in its colour.
fn group_series(data: &ReportData, value: impl Fn(&str) -> Vec<f64>) -> Vec<svg::BarSeries> {
    data.group_labels()
        .into_iter()
        .map(|label| svg::BarSeries {
            label: label.to_string(),
            colour: svg::colour(data.group_position(label)).to_string(),
            values: value(label),
        })
        .collect()
}

fn entities_chart(data: &ReportData) -> Chart {
    let shown: Vec<&data::EntityRow> = data.entities.entities.iter().take(CHART_ENTITIES).collect();
    let series = group_series(data, |label| {
        shown
            .iter()
            .map(|e| {
                e.groups
                    .iter()
                    .find(|g| g.group == label)
                    .map_or(0.0, |g| g.share_of_voice)
            })
            .collect()
    });
    let title = format!(
        "Share of voice: top {} entities by {}",
        shown.len(),
        data.question.by
    );
    Chart {
        file: "entities.svg",
        svg: svg::grouped_hbars(&svg::GroupedChart {
            id: "chart-entities".to_string(),
            title: title.clone(),
            description: format!(
                "Grouped horizontal bar chart: for the {} most mentioned gazetteer entities ({}), each group's share of all its entity mentions, one bar per group ({}).",
                shown.len(),
                shown.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", "),
                data.group_labels().join(", ")
            ),
            x_label: "Share of the group's entity mentions".to_string(),
            y_label: "Entity".to_string(),
            groups: shown.iter().map(|e| e.name.clone()).collect(),
            series,
            value_format: (100.0, "%".to_string()),
        }),
        title,
    }
}

fn frames_chart(data: &ReportData) -> Chart {
    let mut frames: Vec<&str> = data
        .frames
        .shares
        .iter()
        .map(|s| s.frame.as_str())
        .collect();
    frames.dedup();
    let series = group_series(data, |label| {
        frames
            .iter()
            .map(|f| {
                data.frames
                    .shares
                    .iter()
                    .find(|s| s.frame == *f && s.group == label)
                    .map_or(0.0, |s| s.share)
            })
            .collect()
    });
    let title = format!("Documents with a frame hit by {}", data.question.by);
    Chart {
        file: "frames.svg",
        svg: svg::grouped_hbars(&svg::GroupedChart {
            id: "chart-frames".to_string(),
            title: title.clone(),
            description: format!(
                "Grouped horizontal bar chart: for each frame of the dictionary ({}), the share of each group's documents with at least one hit, one bar per group ({}).",
                frames.join(", "),
                data.group_labels().join(", ")
            ),
            x_label: "Share of the group's documents with at least one hit".to_string(),
            y_label: "Frame".to_string(),
            groups: frames.iter().map(|f| f.to_string()).collect(),
            series,
            value_format: (100.0, "%".to_string()),
        }),
        title,
    }
}

fn frame_time_charts(data: &ReportData) -> Vec<Chart> {
    let interval = data.question.interval.as_str();
    let labels = bucket_labels(data);
    let starts: Vec<NaiveDateTime> = labels.iter().filter_map(|l| bucket_start(l)).collect();
    data.frames
        .over_time
        .iter()
        .zip(FRAME_TIME_FILES)
        .enumerate()
        .map(|(i, (gap, file))| {
            let series = data
                .group_labels()
                .into_iter()
                .map(|label| svg::TimeSeries {
                    label: label.to_string(),
                    colour: svg::colour(data.group_position(label)).to_string(),
                    // Buckets without documents of the group have no share: the line breaks.
                    values: labels
                        .iter()
                        .map(|bucket| {
                            data.frames
                                .series
                                .iter()
                                .find(|p| {
                                    p.frame == gap.frame && p.group == label && p.bucket == **bucket
                                })
                                .map_or(f64::NAN, |p| p.share * 100.0)
                        })
                        .collect(),
                })
                .collect();
            let title = format!("Frame {} over time by {}", gap.frame, data.question.by);
            Chart {
                file,
                svg: svg::time_chart(&svg::TimeChart {
                    id: format!("chart-frame-time-{}", i + 1),
                    title: title.clone(),
                    description: format!(
                        "Line chart of the share of each group's documents per {interval} with at least one hit of the frame {} ({:.1}% of {}'s documents overall vs {:.1}% of {}'s). Lines break where a group published nothing; shaded spans are the timeline's gaps.",
                        gap.frame,
                        gap.target_share * 100.0,
                        data.keyness.target.label,
                        gap.reference_share * 100.0,
                        data.keyness.reference.label
                    ),
                    x_label: time_axis_label(data),
                    y_label: format!("% of documents per {interval} with a hit"),
                    starts: starts.clone(),
                    step: interval_step(interval),
                    series,
                    shades: gap_shades(data),
                    y_max: Some(100.0),
                }),
                title,
            }
        })
        .collect()
}

/// The files a report consists of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFiles {
    /// The self-contained HTML report.
    pub html: PathBuf,
    /// The Markdown report.
    pub markdown: PathBuf,
    /// The data as JSON.
    pub json: PathBuf,
    /// The CSV tables.
    pub tables: Vec<PathBuf>,
    /// The SVG charts (referenced by the Markdown report).
    pub charts: Vec<PathBuf>,
}

/// Writes the report into `dir` as a whole: the files are written into a new sibling
/// directory, which then replaces `dir` in one step, so an interrupted run leaves the old
/// report or the new one, never a mix (and the next run removes what a killed one left).
/// Only report files are written, and a `dir` holding anything else is refused rather than
/// replaced; a symbolic link at `dir` is replaced, never followed.
pub fn write(data: &ReportData, dir: &Path) -> Result<ReportFiles, ReportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Io { path, source }
    };
    let staged =
        files::StagedDir::create(dir, Access::Shared, &report_files_only).map_err(io(dir))?;
    let root = staged.path().to_path_buf();
    let write_file = |rel: &str, bytes: &[u8]| -> Result<PathBuf, ReportError> {
        let mut file =
            files::new_file(&root.join(rel), Access::Shared).map_err(io(&dir.join(rel)))?;
        file.write_all(bytes).map_err(io(&dir.join(rel)))?;
        Ok(dir.join(rel))
    };
    let charts = charts(data);
    let html_path = write_file("report.html", html::render(data, &charts).as_bytes())?;
    let md_path = write_file("report.md", markdown::render(data, &charts).as_bytes())?;
    let mut json = serde_json::to_vec_pretty(data).map_err(|e| ReportError::Io {
        path: dir.join("data.json"),
        source: std::io::Error::other(e),
    })?;
    json.push(b'\n');
    let json_path = write_file("data.json", &json)?;
    for sub in ["charts", "tables"] {
        std::fs::create_dir(root.join(sub)).map_err(io(&dir.join(sub)))?;
    }
    let mut chart_paths = Vec::new();
    for chart in &charts {
        chart_paths.push(write_file(
            &format!("charts/{}", chart.file),
            chart.svg.as_bytes(),
        )?);
    }
    let mut table_paths = Vec::new();
    for (name, bytes) in tables::render(data).map_err(io(&dir.join("tables")))? {
        table_paths.push(write_file(&format!("tables/{name}"), &bytes)?);
    }
    staged.commit().map_err(io(dir))?;
    Ok(ReportFiles {
        html: html_path,
        markdown: md_path,
        json: json_path,
        tables: table_paths,
        charts: chart_paths,
    })
}

/// Accepts an existing `--out` directory only when it holds nothing but a report (its files,
/// `charts/*.svg`, `tables/*.csv`, temporary files of older versions, or links in their
/// place): replacing it then loses nothing else.
fn report_files_only(dir: &Path) -> Result<(), String> {
    let foreign = |path: &Path| {
        Err(format!(
            "holds {}, which is not part of a report; the report directory is replaced as a whole, so choose an empty or new --out (or one holding only a report)",
            path.display()
        ))
    };
    let entries = |dir: &Path| -> Result<Vec<std::fs::DirEntry>, String> {
        std::fs::read_dir(dir)
            .and_then(|e| e.collect::<Result<Vec<_>, _>>())
            .map_err(|e| e.to_string())
    };
    let leftover = |name: &str| name.starts_with('.') && name.ends_with(".tmp");
    for entry in entries(dir)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type().map_err(|e| e.to_string())?;
        let sub = match name.as_str() {
            "report.html" | "report.md" | "data.json" => None,
            "charts" => Some(".svg"),
            "tables" => Some(".csv"),
            _ if leftover(&name) => None,
            _ => return foreign(&entry.path()),
        };
        let Some(extension) = sub.filter(|_| file_type.is_dir()) else {
            if file_type.is_dir() {
                return foreign(&entry.path());
            }
            continue;
        };
        for inner in entries(&entry.path())? {
            let inner_name = inner.file_name().to_string_lossy().into_owned();
            let plain = inner.file_type().is_ok_and(|t| !t.is_dir());
            if !(plain && (inner_name.ends_with(extension) || leftover(&inner_name))) {
                return foreign(&inner.path());
            }
        }
    }
    Ok(())
}

/// A timestamp for `--timestamp` (RFC 3339, UTC, seconds).
pub fn now() -> String {
    Utc.timestamp_opt(Utc::now().timestamp(), 0)
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_read_as_typed() {
        let zone = Zone::parse("+06:00").unwrap();
        let mut filters = Filters::default();
        filters.set_from("2022-01-05", zone).unwrap();
        filters.set_to("2022-01-07", zone).unwrap();
        assert_eq!(
            local_bound(filters.from.unwrap(), zone, false),
            "2022-01-05"
        );
        assert_eq!(
            local_bound(filters.until.unwrap(), zone, true),
            "2022-01-07"
        );
        filters.set_to("2022-01-07T12:30:00+06:00", zone).unwrap();
        assert_eq!(
            local_bound(filters.until.unwrap(), zone, true),
            "2022-01-07T12:30+06:00"
        );
    }

    #[test]
    fn command_lines_are_quoted_for_a_shell() {
        let args: Vec<String> = [
            "/usr/bin/mediawatch",
            "report",
            "мирные жители",
            "--from",
            "it's",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            shell_words(&args),
            "mediawatch report 'мирные жители' --from 'it'\\''s'"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_report_directory_with_other_files_is_not_replaced(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("tables"))?;
        std::fs::write(out.join("report.html"), "old")?;
        std::fs::write(out.join("tables/overview.csv"), "old")?;
        std::fs::write(out.join(".report.html.123.tmp"), "")?;
        std::os::unix::fs::symlink(dir.path(), out.join("charts"))?;
        assert_eq!(report_files_only(&out), Ok(()));
        std::fs::write(out.join("tables/notes.txt"), "mine")?;
        let refused = report_files_only(&out).unwrap_err();
        assert!(refused.contains("notes.txt"), "{refused}");
        Ok(())
    }
}

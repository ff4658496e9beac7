//! A report over the shards of one corpus: partial files (`report --partials`), or several
//! indexes each made into a partial in-process (`report --index A --index B`) — one code
//! path, merged with [`crate::partial`]'s checks. What partials cannot carry at a shippable
//! size (the texts behind example passages, every document's signature for copies, term
//! counts per period) is read from the indexes when the shards are indexes, and left out of
//! a report from partial files, with the reason in `data.json` and in the report.
//!
//! "What changed" without `--periods` compares the periods around the gaps of the whole day
//! timeline, which no shard knows when its partial is made: the report from the partials
//! finds them (`--periods-ask`), every shard counts its terms in them (`partial
//! --periods-from`), and the report is given those counts (`--period-partials`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::index::info;
use crate::partial::passages::{Ask, Asks, Examples};
use crate::partial::{self, Partial, PartialSpec, Shards};
use crate::search::{self, FacetCounts, Passage, PassageQuery};
use crate::stats::attention::Attention;
use crate::stats::collapse::{CopiesMode, CopyCounting};
use crate::stats::copies::{self, CopySummary, Records, DEFAULT_MIN_SIMILARITY};
use crate::stats::counts::{TermChoice, TermCounts};
use crate::stats::fused::{ReportCounts, ReportPass};
use crate::stats::periods::{self, Periods};
use crate::stats::scan::{GroupBy, Subset};
use crate::stats::timeline::{Buckets, Interval, Timeline};
use crate::stats::{CompareItems, CompareRequest, StatsError};

use super::dynamics::TALKING_POINTS;
use super::request::{ReportError, ReportRequest};
use super::source::{Section, Source};

/// The shards of one corpus, read as one index of all their documents.
pub struct Merged {
    shards: Shards,
    /// The report's documents, and its periods of "What changed" when given.
    subset: Subset,
    periods: Option<Periods>,
    /// Digests of the entity and frame lists the report is given (when readable).
    entity_list: Option<String>,
    frame_list: Option<String>,
    /// Every shard's answers to the example passages' queries, when given.
    examples: Option<Examples>,
    /// The passage queries asked while the examples are left out.
    asked: RefCell<Asks>,
    /// Every shard's term counts in the periods of "What changed", when given apart.
    period_files: Option<Vec<partial::Sourced>>,
    /// The report's grouping and shortest gap (where its periods are found).
    by: GroupBy,
    min_gap_days: u64,
    /// The periods at the gaps of the merged day timeline, once asked.
    found: RefCell<Option<Found>>,
}

/// The periods of "What changed" found at the gaps of the shards' merged day timeline.
#[derive(Debug, Clone)]
enum Found {
    /// Found.
    Periods(Periods),
    /// No gap, or no dated document: the section says so, as for one index.
    NoPeriods,
    /// The shards give no day timeline (why, in words).
    Unavailable(String),
}

impl Merged {
    /// The shards, for reports asking what `request` asks (its lists' digests are taken
    /// now: partials must have been counted with the same lists).
    pub fn new(shards: Shards, request: &ReportRequest) -> Merged {
        let digest = |path: &Option<PathBuf>| {
            let bytes = std::fs::read(path.as_ref()?).ok()?;
            Some(partial::digest(&bytes))
        };
        Merged {
            shards,
            subset: request.subset.clone(),
            periods: request.periods.clone(),
            entity_list: digest(&request.lists.entity_list),
            frame_list: digest(&request.lists.frame_list),
            examples: None,
            asked: RefCell::new(Asks::new(&request.subset, request.by)),
            period_files: None,
            by: request.by,
            min_gap_days: request.min_gap_days,
            found: RefCell::new(None),
        }
    }

    /// With every shard's term counts in the periods of "What changed" (`partial
    /// --periods-from`, or `--periods` the report is given). Partials made for other periods
    /// than those the report compares are refused, naming the file.
    pub fn with_period_partials(
        mut self,
        files: Vec<partial::Sourced>,
    ) -> Result<Merged, ReportError> {
        let found = match &self.periods {
            Some(given) => Found::Periods(given.clone()),
            None => self.found(),
        };
        let periods = match found {
            Found::Periods(periods) => periods,
            Found::NoPeriods => {
                let Some(first) = files.first() else {
                    return Ok(self);
                };
                return Err(partial::PartialError::File {
                    path: first.origin.clone(),
                    reason: "counts terms per period, but the partials' day timeline has no gap to split at (What changed has no periods): drop --period-partials".into(),
                }
                .into());
            }
            Found::Unavailable(why) => {
                return Err(ReportError::Unsupported(format!(
                    "--period-partials: What changed finds its periods at the gaps of the day timeline, which the partials do not give ({why})"
                )))
            }
        };
        let asked = periods.to_string();
        for file in &files {
            if file.partial.header.periods.as_deref() != Some(asked.as_str()) {
                return Err(partial::PartialError::Mismatch {
                    path: file.origin.clone(),
                    field: "periods",
                    theirs: file.partial.header.periods.clone().unwrap_or("none".into()),
                    ours: asked,
                    other: "What changed of this report (write them with --periods-ask)".into(),
                }
                .into());
            }
        }
        self.period_files = Some(files);
        Ok(self)
    }

    /// The periods "What changed" compares but the shards have no term counts for: what
    /// `--periods-ask` writes (`None` when the section is complete or has no periods).
    pub fn periods_ask(&self) -> Option<Periods> {
        self.left_out(Section::Change)?;
        match self.found() {
            Found::Periods(periods) => Some(periods),
            _ => None,
        }
    }

    /// The periods at the gaps of the merged day timeline (found once).
    fn found(&self) -> Found {
        if let Some(found) = self.found.borrow().as_ref() {
            return found.clone();
        }
        let found = match self.day_timeline(&self.subset, self.by, self.min_gap_days) {
            Err(why) => Found::Unavailable(why.to_string()),
            Ok(timeline) => match periods::split_timeline(&timeline, self.min_gap_days) {
                Ok(periods) => Found::Periods(periods),
                Err(_) => Found::NoPeriods,
            },
        };
        *self.found.borrow_mut() = Some(found.clone());
        found
    }

    /// Why "What changed" is left out of a report from partial files, or `None` when the
    /// partials carry what it needs.
    fn change_left_out(&self) -> Option<String> {
        if self.periods.is_some() {
            // Partials made without the same --periods are refused, not left out.
            return None;
        }
        let periods = match self.found() {
            Found::NoPeriods => return None,
            Found::Unavailable(why) => {
                return Some(format!(
                    "What changed compares the periods around the gaps of the day timeline, which the partials do not give ({why}): make them with --interval day, give the report and every partial the same --periods, or {ASK_INDEXES}."
                ))
            }
            Found::Periods(periods) => periods,
        };
        let asked = periods.to_string();
        let counted = |files: &[partial::Sourced]| {
            files
                .iter()
                .all(|f| f.partial.header.periods.as_deref() == Some(asked.as_str()))
        };
        let files = self.period_files.as_deref().or(self.shards.files());
        if files.is_some_and(counted) {
            return None;
        }
        Some(format!(
            "What changed compares term counts in the periods around the gaps of the whole timeline ({asked}), which no shard knows when its partial is made: write them with `mediawatch report --partials … --periods-ask FILE`, count them on every shard with `mediawatch partial --index SHARD --periods-from FILE --out SHARD.periods.parquet` (the report's query, filters and --by), and give those files to the report with --period-partials; or name the periods with --periods, or {ASK_INDEXES}."
        ))
    }

    /// With every shard's answers to the report's passage queries (see
    /// [`crate::partial::passages`]): example passages as one index gives them.
    pub fn with_examples(mut self, examples: Examples) -> Merged {
        self.examples = Some(examples);
        self
    }

    /// The passage queries asked while the example passages were left out.
    pub fn asks(&self) -> Asks {
        self.asked.borrow().clone()
    }

    /// The partials of a report counting analyzed single words of `subset` by `by`.
    fn spec<'a>(subset: &Subset, by: GroupBy, interval: Option<Interval>) -> PartialSpec<'a> {
        PartialSpec {
            subset: subset.clone(),
            by,
            terms: TermChoice::default(),
            entities: None,
            frames: None,
            interval,
            report: true,
            periods: None,
            copies: false,
            period_terms_only: false,
        }
    }

    /// The term counts inside one of the report's periods (`narrowed`: the report's filters
    /// narrowed to it) from partial files counted with the same periods (given, or found at
    /// the timeline's gaps), or `None` when `narrowed` is no period's (or the shards are
    /// indexes, counted for it anew).
    fn period_counts(&self, narrowed: &CompareRequest) -> Result<Option<TermCounts>, ReportError> {
        let Some(files) = self.shards.files() else {
            return Ok(None);
        };
        let files = self.period_files.as_deref().unwrap_or(files);
        let periods = match &self.periods {
            Some(given) => given.clone(),
            None => match self.found() {
                Found::Periods(found) => found,
                _ => return Ok(None),
            },
        };
        let periods = &periods;
        let filters = &self.subset.filters;
        let Some(period) = periods.0.iter().find(|p| {
            narrowed.subset.filters != *filters && p.narrow(filters) == narrowed.subset.filters
        }) else {
            return Ok(None);
        };
        let mut spec = Merged::spec(&self.subset, narrowed.by, None);
        spec.periods = Some(periods.clone());
        let counts = partial::merge_period(files.to_vec(), &spec.header(), &period.name)?;
        Ok(Some(counts))
    }

    /// The partials with the counts of `items` made with `spec` (the files', or each index's).
    fn partials(
        &self,
        spec: &PartialSpec,
        items: CompareItems,
    ) -> Result<Vec<partial::Sourced>, ReportError> {
        let count = |index: &crate::index::Index| Partial::of_index_items(index, spec, items);
        Ok(self.shards.partials(count)?)
    }

    /// The shards' partials of `items`, counted with `spec`, merged by `merge`.
    fn merged<T>(
        &self,
        spec: &PartialSpec,
        items: CompareItems,
        merge: fn(Vec<partial::Sourced>, &partial::Header) -> Result<T, partial::PartialError>,
    ) -> Result<T, ReportError> {
        let partials = self.partials(spec, items)?;
        Ok(merge(partials, &spec.header())?)
    }

    /// The merged timeline and attention counts.
    fn dated(
        &self,
        subset: &Subset,
        by: GroupBy,
        buckets: Buckets,
    ) -> Result<partial::Dated, ReportError> {
        let spec = Merged::spec(subset, by, Some(buckets.interval));
        let partials = self
            .shards
            .partials(|index| Partial::of_index_dated(index, &spec))?;
        Ok(partial::merge_dated(partials, &spec.header(), buckets)?)
    }

    /// The indexes, for what partial files do not carry (asked only when not left out).
    fn indexes(&self, section: Section) -> Result<&[crate::index::Index], ReportError> {
        self.shards
            .opened()
            .ok_or_else(|| ReportError::Unsupported(self.left_out(section).unwrap_or_default()))
    }
}

/// How to get a section partials leave out.
const ASK_INDEXES: &str = "run the report over the shard indexes (--index A --index B …) to get it";

impl Source for Merged {
    fn left_out(&self, section: Section) -> Option<String> {
        if self.shards.opened().is_some()
            || (section == Section::Examples && self.examples.is_some())
        {
            return None;
        }
        Some(match section {
            // Partials made without `--copies` are refused, not left out.
            Section::Copies => return None,
            Section::Examples => format!(
                "Example passages quote the documents' texts, which partials do not carry: ask the shards with --passage-asks, `mediawatch passages` and --passages, or {ASK_INDEXES}."
            ),
            Section::Change => return self.change_left_out(),
        })
    }

    fn collapse(
        &self,
        subset: &Subset,
        mode: CopiesMode,
    ) -> Result<(Subset, CopyCounting), ReportError> {
        match mode {
            CopiesMode::Keep => Ok((subset.clone(), CopyCounting::keep())),
            CopiesMode::Collapse => Err(ReportError::Unsupported(
                "--copies collapse finds copies across every document of one index; run the report on one index of all the documents".into(),
            )),
        }
    }

    fn facets(
        &self,
        subset: &Subset,
        by: GroupBy,
    ) -> Result<(FacetCounts, BTreeMap<String, FacetCounts>), ReportError> {
        let spec = Merged::spec(subset, by, None);
        let partials = self
            .shards
            .partials(|index| Partial::of_index_overview(index, &spec))?;
        let overview = partial::merge_overview(partials, &spec.header())?;
        Ok((overview.all, overview.groups))
    }

    fn counts(
        &self,
        subset: &Subset,
        by: GroupBy,
        pass: ReportPass,
    ) -> Result<ReportCounts, ReportError> {
        let timeline = self.dated(subset, by, pass.buckets)?.timeline(
            &subset.query,
            pass.buckets,
            pass.min_gap_days,
        );
        let interval = Some(pass.buckets.interval);
        let spec = || Merged::spec(subset, by, interval);
        let entities = match (pass.entities, &self.entity_list) {
            (Some(matcher), Some(digest)) => {
                let spec = PartialSpec {
                    entities: Some((matcher, digest.clone())),
                    ..spec()
                };
                Some(self.merged(
                    &spec,
                    CompareItems::Entities(matcher),
                    partial::merge_entities,
                )?)
            }
            _ => None,
        };
        let frames = match (pass.frames, &self.frame_list) {
            (Some(matcher), Some(digest)) => {
                let spec = PartialSpec {
                    frames: Some((matcher, digest.clone())),
                    ..spec()
                };
                Some(self.merged(&spec, CompareItems::Frames(matcher), partial::merge_frames)?)
            }
            _ => None,
        };
        Ok(ReportCounts {
            timeline,
            entities,
            frames,
            terms: None,
        })
    }

    fn term_counts(&self, request: &CompareRequest) -> Result<TermCounts, ReportError> {
        if let Some(counts) = self.period_counts(request)? {
            return Ok(counts);
        }
        let spec = Merged::spec(&request.subset, request.by, None);
        let partials = self.partials(&spec, CompareItems::Terms)?;
        Ok(partial::merge(
            partials,
            &spec.header(),
            CompareItems::Terms,
        )?)
    }

    fn asked(&self, query: &PassageQuery) {
        self.asked.borrow_mut().asks.push(Ask::of(query));
    }

    fn passages(&self, query: &PassageQuery) -> Result<(u64, Vec<Passage>), ReportError> {
        if let Some(examples) = &self.examples {
            return Ok(examples.passages(query)?);
        }
        let indexes = self.indexes(Section::Examples)?;
        Ok(search::passages_across(indexes, query)?)
    }

    fn copies(&self, subset: &Subset, by: GroupBy) -> Result<CopySummary, ReportError> {
        let indexes = match &self.shards {
            Shards::Files(files) => {
                let mut spec = Merged::spec(subset, by, None);
                spec.copies = true;
                let found = partial::merge_copies(
                    files.clone(),
                    &spec.header(),
                    DEFAULT_MIN_SIMILARITY,
                    TALKING_POINTS,
                )?;
                return Ok(found.summary);
            }
            Shards::Indexes(indexes, _) => indexes,
        };
        let subset = partial::shard_subset(subset);
        let mut parts = Vec::new();
        let mut group_documents = BTreeMap::new();
        for index in indexes {
            let (records, groups) =
                copies::collect(index, &subset, by).map_err(StatsError::from)?;
            parts.push(records);
            for (group, n) in groups {
                *group_documents.entry(group).or_default() += n;
            }
        }
        let records = Records::concat(parts).finish();
        let found = copies::copies(
            &records,
            &group_documents,
            DEFAULT_MIN_SIMILARITY,
            TALKING_POINTS,
        )
        .map_err(StatsError::from)?;
        Ok(found.summary)
    }

    // Repeated shape: this `Source` method's signature, as each source (one index, merged shards)
    // implements it.
    fn day_timeline(
        &self,
        subset: &Subset,
        by: GroupBy,
        min_gap_days: u64,
    ) -> Result<Timeline, ReportError> {
        let buckets = Buckets::day(subset.filters.zone);
        let dated = self.dated(subset, by, buckets)?;
        Ok(dated.timeline(&subset.query, buckets, min_gap_days))
    }

    fn attention(
        &self,
        subset: &Subset,
        by: GroupBy,
        buckets: Buckets,
    ) -> Result<Attention, ReportError> {
        Ok(self
            .dated(subset, by, buckets)?
            .attention(&subset.query, buckets))
    }

    fn fingerprint(&self) -> Result<(u64, String), ReportError> {
        let (documents, sum) = match &self.shards {
            Shards::Indexes(indexes, _) => {
                let mut total = (0u64, 0u64);
                for index in indexes {
                    let (documents, sum) = info::fingerprint_sum(index)
                        .map_err(|e| ReportError::Fingerprint(e.to_string()))?;
                    total = (total.0 + documents, total.1.wrapping_add(sum));
                }
                total
            }
            Shards::Files(sourced) => {
                let mut total = partial::Overview::default();
                for s in sourced {
                    let overview = s.partial.overview.clone().ok_or_else(|| {
                        partial::PartialError::File {
                            path: s.origin.clone(),
                            reason: "holds no counts for a report; make it with `mediawatch partial --report`".into(),
                        }
                    })?;
                    total.merge(overview);
                }
                (total.index_documents, total.fingerprint)
            }
        };
        Ok((documents, info::fingerprint_text(sum)))
    }
}

//! Search for analysts: a [`SearchRequest`] in, ranked hits with snippets, keyword-in-context
//! lines and facet counts out.

pub mod collect;
pub mod kwic;
pub mod passages;
pub mod query;
pub mod ranks;
pub mod shards;
pub mod show;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Searcher, Term};

use crate::analysis::Analyzer;
use crate::index::{schema, stored, IndexError};
use crate::model::Labels;
pub use collect::{Facet, FacetCounts};
use collect::{FacetCollector, Match, MatchCollector};
use kwic::Pattern;
pub use passages::{
    match_keys, passages, passages_across, passages_from_tried, passages_tried, ranks_tried,
    tried_across, MatchKey, Passage, PassageQuery,
};
pub use query::Filters;
use shards::{At, Shards};

/// Errors of the search layer.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query text does not parse.
    #[error("{0}")]
    Query(String),
    /// A filter value matches nothing in the index.
    #[error("{0}")]
    Filter(String),
    /// A date filter does not parse.
    #[error("bad date {value:?}: {reason}; expected YYYY-MM-DD or a timestamp like 2022-01-05T14:30:00+06:00")]
    BadDate {
        /// The value given.
        value: String,
        /// Why it failed.
        reason: String,
    },
    /// The index cannot be opened.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The index failed while searching.
    #[error("search failed: {0}")]
    Tantivy(tantivy::TantivyError),
}

impl From<tantivy::TantivyError> for SearchError {
    /// A read a document store's check stopped is damage to the index (exit 2, naming the
    /// file); any other tantivy error a failed search.
    fn from(error: tantivy::TantivyError) -> SearchError {
        match crate::index::damage_in(&error) {
            Some(damage) => SearchError::Index(damage),
            None => SearchError::Tantivy(error),
        }
    }
}

/// Order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best score first (ties by id, whatever the index layout).
    #[default]
    Relevance,
    /// Oldest first, ties by id.
    Date,
}

/// Order of keyword-in-context lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KwicSort {
    /// Document order (published, id), then position in the text.
    #[default]
    Document,
    /// By the words left of the match, nearest first.
    Left,
    /// By the words right of the match.
    Right,
    /// By publication time (same as document order).
    Date,
}

/// Keyword-in-context options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KwicOptions {
    /// Words of context on each side.
    pub window: usize,
    /// Line order.
    pub sort: KwicSort,
}

/// Which documents a search or a statistic covers: a query (tantivy syntax; empty or `*` for
/// every document) and filters ANDed with it.
#[derive(Debug, Clone, Default)]
pub struct Subset {
    /// Query text.
    pub query: String,
    /// Filters ANDed with the query.
    pub filters: Filters,
}

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Outlet`
// (registry/sources.rs), `CopySummary` (stats/copies/summary.rs) and 2 more: different facts, no
// shared type.
/// What to search for and what to return.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The documents searched: query and filters.
    pub subset: Subset,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Hit order.
    pub sort: SortOrder,
    /// Facet fields to count.
    pub facets: Vec<Facet>,
    /// Keyword-in-context lines, when wanted.
    pub kwic: Option<KwicOptions>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Publication date in the filters' zone with its offset (`2022-01-05T14:30+06:00`), or
    /// as precise as known (`2022-01-05`, `2022-01`); empty when undated.
    pub published: String,
    /// Outlet, category, language and medium.
    #[serde(flatten)]
    pub labels: Labels,
    /// Title.
    pub title: String,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
    /// When another outlet published this text first: that document.
    pub copy_of: Option<CopyOf>,
    /// A passage of the text around the best matches.
    pub snippet: String,
    /// Byte ranges of matched words inside `snippet`, as `[start, end]`.
    pub highlights: Vec<[usize; 2]>,
    /// The document's URL, when its record had one.
    pub url: Option<String>,
    /// For a broadcast with cue timings: where in the programme the snippet's first match
    /// was spoken (`00:12:31`, the start of its cue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// The document a copy's text was first indexed as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyOf {
    /// Its outlet.
    pub outlet: String,
    /// Its id.
    pub id: String,
}

impl CopyOf {
    /// The original of a stored `copy_of` key.
    pub fn from_key(key: &str) -> CopyOf {
        let (outlet, id) = crate::index::writer::split_key(key);
        CopyOf {
            outlet: outlet.to_string(),
            id: id.to_string(),
        }
    }
}

/// One keyword-in-context line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KwicLine {
    /// Document id.
    pub id: String,
    /// Publication time (RFC 3339).
    pub published: String,
    /// Outlet key.
    pub outlet: String,
    /// Group label.
    pub category: String,
    /// Context before the match.
    pub left: String,
    /// The match as written.
    #[serde(rename = "match")]
    pub matched: String,
    /// Context after the match.
    pub right: String,
    /// For a broadcast with cue timings: the start of the cue the match was spoken in
    /// (`00:12:31`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Number of matching documents (exact).
    pub total: u64,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Counts per requested facet field; `day` includes zero days across the matched range.
    pub facets: BTreeMap<Facet, BTreeMap<String, u64>>,
    /// Keyword-in-context lines (empty unless requested).
    pub kwic: Vec<KwicLine>,
}

/// Matching documents of `query` + `filters`, sorted by publication time then id.
pub fn matching_documents(
    index: &Index,
    searcher: &Searcher,
    query_text: &str,
    filters: &Filters,
) -> Result<Vec<Match>, SearchError> {
    let mut matches = matching_unsorted(index, searcher, query_text, filters)?;
    sort_by_date(searcher, &mut matches)?;
    Ok(matches)
}

/// Sorts matches by publication time, ties by document id (independent of segment layout).
fn sort_by_date(searcher: &Searcher, matches: &mut [Match]) -> Result<(), SearchError> {
    DateOrder::new(searcher)?.sort(matches)
}

/// Reads document ids to order matches by (publication time, id); each segment's id column
/// is opened once (opening it per match cost most of the time of a KWIC over a common word
/// in a large index).
struct DateOrder {
    columns: Vec<Option<tantivy::columnar::StrColumn>>,
}

impl DateOrder {
    fn new(searcher: &Searcher) -> Result<DateOrder, SearchError> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().str(schema::ID))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DateOrder { columns })
    }

    /// Sorts `matches` by publication time, then id.
    fn sort(&self, matches: &mut [Match]) -> Result<(), SearchError> {
        let mut ids = Vec::with_capacity(matches.len());
        let mut id = String::new();
        for m in matches.iter() {
            let column = &self.columns[m.address.segment_ord as usize];
            id.clear();
            if let Some(column) = column {
                if let Some(ord) = column.term_ords(m.address.doc_id).next() {
                    column
                        .ord_to_str(ord, &mut id)
                        .map_err(tantivy::TantivyError::from)?;
                }
            }
            ids.push(id.clone());
        }
        let mut order: Vec<usize> = (0..matches.len()).collect();
        order.sort_by(|&a, &b| {
            matches[a]
                .published
                .cmp(&matches[b].published)
                .then_with(|| ids[a].cmp(&ids[b]))
        });
        let sorted: Vec<Match> = order.iter().map(|&i| matches[i]).collect();
        matches.copy_from_slice(&sorted);
        Ok(())
    }

    /// Puts the earliest `k` matches (and any tied with the last of them on publication
    /// time) at the front of `matches`, in date order; returns how many that is. Only their
    /// ids are read: a page of a million matches needs ids for the page, not for every one.
    fn first(&self, matches: &mut [Match], k: usize) -> Result<usize, SearchError> {
        let mut end = matches.len();
        if k == 0 {
            return Ok(0);
        }
        if k < matches.len() {
            matches.select_nth_unstable_by_key(k - 1, |m| m.published);
            let boundary = matches[k - 1].published;
            end = k;
            for i in k..matches.len() {
                if matches[i].published == boundary {
                    matches.swap(i, end);
                    end += 1;
                }
            }
        }
        self.sort(&mut matches[..end])?;
        Ok(end)
    }
}

/// Matching documents in date order (publication time, then id), handed to `each` one at a
/// time until it returns false; sorted lazily in growing batches, so the first documents of
/// a million matches come without sorting (or reading the ids of) all of them.
pub fn each_in_date_order(
    searcher: &Searcher,
    mut matches: Vec<Match>,
    each: &mut dyn FnMut(Match) -> Result<bool, SearchError>,
) -> Result<(), SearchError> {
    let order = DateOrder::new(searcher)?;
    let (mut start, mut batch) = (0, 64);
    while start < matches.len() {
        let n = order.first(&mut matches[start..], batch)?;
        for m in &matches[start..start + n] {
            if !each(*m)? {
                return Ok(());
            }
        }
        start += n;
        batch = (batch * 4).min(1 << 20);
    }
    Ok(())
}

/// Matching documents of `query` + `filters` in storage order (unsorted).
fn matching_unsorted(
    index: &Index,
    searcher: &Searcher,
    query_text: &str,
    filters: &Filters,
) -> Result<Vec<Match>, SearchError> {
    let query = query::build(index, query_text, filters)?;
    Ok(searcher.search(&*query, &MatchCollector { scoring: false })?)
}

/// Builds hits from matching documents: the snippet around the best matches, the URL, and
/// for broadcasts the programme time of the first match.
struct HitMaker {
    snippets: SnippetGenerator,
    zone: crate::timezone::Zone,
}

impl HitMaker {
    fn new(shards: &Shards, request: &SearchRequest) -> Result<Self, SearchError> {
        let index = &shards.indexes[0];
        let text_field = index.schema().get_field(schema::TEXT)?;
        let snippets = SnippetGenerator::new(
            query::snippet_terms(
                &shards.searchers,
                text_field,
                query::TextField::Text,
                &request.subset.query,
            )?,
            index.tokenizer_for_field(text_field)?,
            text_field,
            240,
        );
        Ok(HitMaker {
            snippets,
            zone: request.subset.filters.zone,
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        score: f32,
        address: DocAddress,
    ) -> Result<Hit, SearchError> {
        let mut doc = stored::load(searcher, address)?;
        let snippet = self.snippets.snippet(&doc.text);
        // Where the first match is in the whole text: the fragment's place plus its offset.
        let at = match (snippet.highlighted().first(), doc.cues.is_empty()) {
            (Some(first), false) => doc
                .text
                .find(snippet.fragment())
                .and_then(|start| show::cue_at(&doc.cues, start + first.start)),
            _ => None,
        };
        let (fragment, highlights) = if snippet.is_empty() {
            let cut: String = doc.text.chars().take(240).collect();
            (cut, Vec::new())
        } else {
            let ranges = snippet
                .highlighted()
                .iter()
                .map(|r| [r.start, r.end])
                .collect();
            (snippet.fragment().to_string(), ranges)
        };
        Ok(Hit {
            published: self.zone.show_opt(doc.published.as_ref()),
            copy_of: doc.copy_of.as_deref().map(CopyOf::from_key),
            labels: Labels::take(&mut doc),
            id: doc.id,
            title: doc.title,
            score,
            snippet: fragment,
            highlights,
            url: doc.url,
            at,
        })
    }
}

/// The addresses (and scores) of hits `offset..offset + limit` in `request`'s order; `total`
/// bounds what a relevance ranking holds.
fn page(
    shards: &Shards,
    query: &dyn Query,
    request: &SearchRequest,
    limit: usize,
    total: u64,
) -> Result<Vec<(f32, At)>, SearchError> {
    let limit = limit.min(usize::try_from(total).unwrap_or(usize::MAX));
    Ok(match request.sort {
        SortOrder::Relevance => {
            let (_, ranked) = shards.top(query, request.offset.saturating_add(limit))?;
            ranked.into_iter().skip(request.offset).collect()
        }
        SortOrder::Date => {
            let mut page = Vec::new();
            if limit > 0 {
                let mut seen = 0usize;
                shards.each_by_date(query, &mut |at| {
                    if seen >= request.offset {
                        page.push((0.0, at));
                    }
                    seen += 1;
                    Ok(page.len() < limit)
                })?;
            }
            page
        }
    })
}

/// Every hit of `request` from its offset on (its `limit` is ignored), in its order, handed
/// to `each` one at a time: only the hits' addresses and scores are held, never their texts,
/// so any number of hits streams in little memory. `each` returns false to stop. Returns the
/// number of matching documents.
pub fn each_hit(
    index: &Index,
    request: &SearchRequest,
    each: &mut dyn FnMut(Hit) -> bool,
) -> Result<u64, SearchError> {
    each_hit_across(std::slice::from_ref(index), request, each)
}

/// [`each_hit`] over several indexes searched as one corpus.
pub fn each_hit_across(
    indexes: &[Index],
    request: &SearchRequest,
    each: &mut dyn FnMut(Hit) -> bool,
) -> Result<u64, SearchError> {
    let shards = Shards::open(indexes)?;
    let query = query::build_across(indexes, &request.subset.query, &request.subset.filters)?;
    let total = shards.count(&*query)?;
    let maker = HitMaker::new(&shards, request)?;
    for (score, at) in page(&shards, &*query, request, usize::MAX, total)? {
        if !each(maker.hit(&shards.searchers[at.shard], score, at.address)?) {
            break;
        }
    }
    Ok(total)
}

/// Every keyword-in-context line of `request` (its kwic options, or the defaults), handed to
/// `each` one document at a time; in document order only the current document's lines are
/// held, with a left or right sort every line is collected and sorted first. `each` returns
/// false to stop.
pub fn each_kwic_line(
    index: &Index,
    request: &SearchRequest,
    each: &mut dyn FnMut(KwicLine) -> bool,
) -> Result<(), SearchError> {
    each_kwic_line_across(std::slice::from_ref(index), request, each)
}

/// [`each_kwic_line`] over several indexes searched as one corpus.
pub fn each_kwic_line_across(
    indexes: &[Index],
    request: &SearchRequest,
    each: &mut dyn FnMut(KwicLine) -> bool,
) -> Result<(), SearchError> {
    let shards = Shards::open(indexes)?;
    let options = request.kwic.unwrap_or(KwicOptions {
        window: 8,
        sort: KwicSort::Document,
    });
    let patterns = query::patterns(&request.subset.query)?;
    if matches!(options.sort, KwicSort::Left | KwicSort::Right) {
        for line in kwic(&shards, request, &patterns, options)? {
            if !each(line) {
                break;
            }
        }
        return Ok(());
    }
    let mut going = true;
    kwic_lines_of(&shards, request, &patterns, options, &mut |line| {
        going = going && each(line);
        going
    })
}

/// Pages up to this long are collected with the total in one pass; a longer page (up to
/// every hit) is sized by the total first, so the ranking never reserves room for more hits
/// than exist.
const ONE_PASS_LIMIT: usize = 10_000;

/// Runs a search.
pub fn search(index: &Index, request: &SearchRequest) -> Result<SearchResults, SearchError> {
    search_across(std::slice::from_ref(index), request)
}

/// Runs a search over several indexes (of one schema, holding no document twice) as over
/// one index holding all their documents: the same total, facets and keyword-in-context
/// lines, and the same hits in the same order with the same scores (term statistics summed
/// over the indexes; ties by id).
pub fn search_across(
    indexes: &[Index],
    request: &SearchRequest,
) -> Result<SearchResults, SearchError> {
    let shards = Shards::open(indexes)?;
    let query = query::build_across(indexes, &request.subset.query, &request.subset.filters)?;
    let (total, addresses) = match request.sort {
        // A page of a relevance ranking and the total in one pass over the matches: a
        // phrase's positions are then read once, not once per collector.
        SortOrder::Relevance if request.limit <= ONE_PASS_LIMIT => {
            let (total, found) = shards.top(&*query, request.offset + request.limit)?;
            let found: Vec<_> = found
                .into_iter()
                .skip(request.offset)
                .take(request.limit)
                .collect();
            (total, found)
        }
        _ => {
            let total = shards.count(&*query)?;
            let found = page(&shards, &*query, request, request.limit, total)?;
            (total, found)
        }
    };
    let maker = HitMaker::new(&shards, request)?;
    let mut hits = Vec::new();
    for (score, at) in addresses {
        hits.push(maker.hit(&shards.searchers[at.shard], score, at.address)?);
    }

    let mut facets = BTreeMap::new();
    if !request.facets.is_empty() {
        let mut counts = FacetCounts::default();
        for (index, searcher) in indexes.iter().zip(&shards.searchers) {
            // Days are stored in the index's display zone; another zone counts them anew.
            let collector = FacetCollector::in_zone(index, request.subset.filters.zone);
            counts.merge(searcher.search(&*query, &collector)?);
        }
        facets = select_facets(counts, &request.facets);
    }

    let mut kwic_lines = Vec::new();
    if let Some(options) = request.kwic {
        let patterns = query::patterns(&request.subset.query)?;
        kwic_lines = kwic(&shards, request, &patterns, options)?;
    }
    Ok(SearchResults {
        total,
        hits,
        facets,
        kwic: kwic_lines,
    })
}

/// The counts of the `wanted` facets as [`SearchResults::facets`] holds them (days filled in).
pub fn select_facets(
    counts: FacetCounts,
    wanted: &[Facet],
) -> BTreeMap<Facet, BTreeMap<String, u64>> {
    wanted
        .iter()
        .map(|&facet| {
            let map = match facet {
                Facet::Day => fill_days(&counts.day),
                other => counts.get(other).clone(),
            };
            (facet, map)
        })
        .collect()
}

/// Documents whose `facet` field is one of some values.
pub type Within<'a> = (Facet, &'a [String]);

/// `base` AND the field of `within` equal to one of its values.
fn restrict(
    index: &Index,
    base: Box<dyn Query>,
    within: Within,
) -> Result<BooleanQuery, SearchError> {
    let field = index.schema().get_field(within.0.field())?;
    let terms = within.1.iter().map(|v| Term::from_field_text(field, v));
    Ok(BooleanQuery::new(vec![
        (Occur::Must, base),
        (Occur::Must, Box::new(TermSetQuery::new(terms))),
    ]))
}

/// The documents matching `query` and `filters` — and, when given, `within` — counted per
/// value of every facet field.
pub fn facet_counts(
    index: &Index,
    query_text: &str,
    filters: &Filters,
    within: Option<Within>,
) -> Result<FacetCounts, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let query = query::build(index, query_text, filters)?;
    // Days are stored in the index's display zone; another zone counts them anew.
    let collector = FacetCollector::in_zone(index, filters.zone);
    Ok(match within {
        Some(within) => searcher.search(&restrict(index, query, within)?, &collector)?,
        None => searcher.search(&*query, &collector)?,
    })
}

/// [`facet_counts`] of every matching document, and of the documents of each value of
/// `facet` among them (by value): a subset's counts overall and per group.
pub fn facet_counts_per_value(
    index: &Index,
    query_text: &str,
    filters: &Filters,
    facet: Facet,
) -> Result<(FacetCounts, BTreeMap<String, FacetCounts>), SearchError> {
    let all = facet_counts(index, query_text, filters, None)?;
    let mut per_value = BTreeMap::new();
    for value in all.get(facet).keys() {
        let within = (facet, std::slice::from_ref(value));
        let counts = facet_counts(index, query_text, filters, Some(within))?;
        per_value.insert(value.clone(), counts);
    }
    Ok((all, per_value))
}

/// [`facet_counts`] of every matching document, with the days of each value of `by` counted
/// in the same pass ([`FacetCounts::by_day`]).
pub fn facet_counts_by(
    index: &Index,
    query_text: &str,
    filters: &Filters,
    by: Facet,
) -> Result<FacetCounts, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let query = query::build(index, query_text, filters)?;
    let collector = FacetCollector::in_zone(index, filters.zone).by(by);
    Ok(searcher.search(&*query, &collector)?)
}

/// The day histogram with every day between the first and last present, zeros included.
pub fn fill_days(days: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    let parse = |d: &String| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let (Some(first), Some(last)) = (
        days.keys().next().and_then(parse),
        days.keys().next_back().and_then(parse),
    ) else {
        return days.clone();
    };
    let mut out = days.clone();
    let mut day = first;
    while day <= last {
        out.entry(day.format("%Y-%m-%d").to_string()).or_insert(0);
        day += Duration::days(1);
    }
    out
}

// Repeated shape: a four-parameter signature returning `Result<Vec<_>, SearchError>`, unrelated to
// its pair.
fn kwic(
    shards: &Shards,
    request: &SearchRequest,
    patterns: &[Pattern],
    options: KwicOptions,
) -> Result<Vec<KwicLine>, SearchError> {
    let mut lines = Vec::new();
    kwic_lines_of(shards, request, patterns, options, &mut |line| {
        lines.push(line);
        true
    })?;
    sort_kwic_lines(&mut lines, options.sort);
    Ok(lines)
}

/// Puts keyword-in-context lines read in document order into `sort`'s order (by the
/// nearest word left or right, then date and id; document and date order are kept).
pub fn sort_kwic_lines(lines: &mut [KwicLine], sort: KwicSort) {
    match sort {
        KwicSort::Document | KwicSort::Date => {}
        KwicSort::Left => lines.sort_by_key(|l| {
            let words: Vec<String> = l
                .left
                .split_whitespace()
                .rev()
                .map(str::to_lowercase)
                .collect();
            (words, l.published.clone(), l.id.clone())
        }),
        KwicSort::Right => {
            lines.sort_by_key(|l| (l.right.to_lowercase(), l.published.clone(), l.id.clone()))
        }
    }
}

/// The keyword-in-context lines of every matching document, in document order, to `each`
/// (which returns false to stop).
fn kwic_lines_of(
    shards: &Shards,
    request: &SearchRequest,
    patterns: &[Pattern],
    options: KwicOptions,
    each: &mut dyn FnMut(KwicLine) -> bool,
) -> Result<(), SearchError> {
    let analyzer = Analyzer::default();
    let query = query::build_across(
        shards.indexes,
        &request.subset.query,
        &request.subset.filters,
    )?;
    shards.each_by_date(&*query, &mut |at| {
        let doc = stored::load(&shards.searchers[at.shard], at.address)?;
        for occurrence in kwic::occurrences(&analyzer, &doc.text, patterns, options.window) {
            let line = KwicLine {
                id: doc.id.clone(),
                published: request.subset.filters.zone.show_opt(doc.published.as_ref()),
                outlet: doc.outlet.clone(),
                category: doc.category.clone(),
                left: occurrence.left,
                matched: occurrence.matched,
                right: occurrence.right,
                at: show::cue_at(&doc.cues, occurrence.start),
            };
            if !each(line) {
                return Ok(false);
            }
        }
        Ok(true)
    })
}

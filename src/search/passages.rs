//! Example passages: a term and a group of documents in, keyword-in-context lines from
//! documents spread over the period out — what a report shows under its key terms.

use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::Index;

use crate::analysis::Analyzer;
use crate::index::{schema, stored};
use crate::search::kwic::{self, Pattern};
use crate::search::query::forms::{self, FormsQuery};
use crate::search::ranks::DateRanks;
use crate::search::shards::Shards;
use crate::search::{query, restrict, Filters, SearchError, Within};

/// One keyword-in-context line with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Calendar day in the corpus time zone.
    pub day: String,
    /// Publication time (RFC 3339, UTC).
    pub published: String,
    /// Document title.
    pub title: String,
    /// Words before the match.
    pub left: String,
    /// The match as written.
    #[serde(rename = "match")]
    pub matched: String,
    /// Words after the match.
    pub right: String,
}

/// Where passages of a term are looked for.
#[derive(Debug, Clone, Copy)]
pub struct PassageQuery<'a> {
    /// Query text selecting the documents.
    pub query: &'a str,
    /// Filters.
    pub filters: &'a Filters,
    /// The group whose documents are searched.
    pub within: Within<'a>,
    /// The analyzed term.
    pub term: &'a str,
    /// Passages wanted.
    pub wanted: usize,
    /// Words of context on each side.
    pub window: usize,
}

/// Passages of the term: documents spread over the period (oldest to newest), the first
/// occurrence in each; with the number of the group's documents containing the term.
pub fn passages(index: &Index, q: &PassageQuery) -> Result<(u64, Vec<Passage>), SearchError> {
    passages_across(std::slice::from_ref(index), q)
}

/// [`passages`] of several indexes (shards of one corpus) as of one index of all their
/// documents: the matches of every shard in one date order (publication time, then id).
pub fn passages_across(
    indexes: &[Index],
    q: &PassageQuery,
) -> Result<(u64, Vec<Passage>), SearchError> {
    let shards = Shards::open(indexes)?;
    let schema = indexes[0].schema();
    let base = query::build_across(indexes, q.query, q.filters)?;
    let group = restrict(&indexes[0], base, q.within)?;
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for name in [schema::TEXT, schema::TITLE] {
        let field = schema.get_field(name)?;
        let tokens = forms::term_tokens_across(&shards.searchers, field, q.term)?;
        alternatives.push((Occur::Should, Box::new(FormsQuery::new(field, tokens))));
    }
    let with_term = BooleanQuery::new(vec![
        (Occur::Must, Box::new(group) as Box<dyn Query>),
        (Occur::Must, Box::new(BooleanQuery::new(alternatives))),
    ]);
    let mut matches = DateRanks::new(&shards, &with_term)?;
    let n = matches.len();
    // Evenly spaced documents first (so passages span the period), then the rest in order;
    // only the ranks looked at are put in date order (see `ranks`).
    let mut spread: Vec<usize> = (0..q.wanted.min(n))
        .map(|j| (2 * j + 1) * n / (2 * q.wanted))
        .collect();
    spread.dedup();
    let order = spread
        .iter()
        .copied()
        .chain((0..n).filter(|i| !spread.contains(i)))
        .take(q.wanted * 10);
    let analyzer = Analyzer::default();
    let patterns = [Pattern::Term(q.term.to_string())];
    let mut lines = Vec::new();
    for i in order {
        if lines.len() >= q.wanted {
            break;
        }
        let at = matches.at(i)?;
        let doc = stored::load(&shards.searchers[at.shard], at.address)?;
        let found = [&doc.text, &doc.title].into_iter().find_map(|text| {
            kwic::occurrences(&analyzer, text, &patterns, q.window)
                .into_iter()
                .next()
        });
        if let Some(occurrence) = found {
            lines.push((
                i,
                Passage {
                    published: q.filters.zone.show_opt(doc.published.as_ref()),
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

//! Example passages: a term and a group of documents in, keyword-in-context lines from
//! documents spread over the period out — what a report shows under its key terms.

use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::Index;

use crate::analysis::Analyzer;
use crate::index::{schema, stored};
use crate::search::collect::MatchCollector;
use crate::search::kwic::{self, Pattern};
use crate::search::query::forms::{self, FormsQuery};
use crate::search::ranks::DateRanks;
use crate::search::shards::{ids_of, Shards};
use crate::search::{query, restrict, Filters, SearchError, Within};

/// One keyword-in-context line with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    let with_term = with_term(indexes, &shards, q)?;
    let mut matches = DateRanks::new(&shards, &with_term)?;
    let n = matches.len();
    let mut lines = Vec::new();
    for i in ranks_tried(n, q.wanted) {
        if lines.len() >= q.wanted {
            break;
        }
        let at = matches.at(i)?;
        if let Some(passage) = cut(&shards.searchers[at.shard], at.address, q)? {
            lines.push((i, passage));
        }
    }
    lines.sort_by_key(|(i, _)| *i);
    Ok((n as u64, lines.into_iter().map(|(_, l)| l).collect()))
}

/// The documents of `q`'s group holding its term (in the text or the title).
fn with_term(
    indexes: &[Index],
    shards: &Shards,
    q: &PassageQuery,
) -> Result<BooleanQuery, SearchError> {
    let schema = indexes[0].schema();
    let base = query::build_across(indexes, q.query, q.filters)?;
    let group = restrict(&indexes[0], base, q.within)?;
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for name in [schema::TEXT, schema::TITLE] {
        let field = schema.get_field(name)?;
        let tokens = forms::term_tokens_across(&shards.searchers, field, q.term)?;
        alternatives.push((Occur::Should, Box::new(FormsQuery::new(field, tokens))));
    }
    Ok(BooleanQuery::new(vec![
        (Occur::Must, Box::new(group) as Box<dyn Query>),
        (Occur::Must, Box::new(BooleanQuery::new(alternatives))),
    ]))
}

/// The date-order ranks (0 = earliest) of `n` matches whose documents are tried for
/// `wanted` passages, in the order tried: evenly spaced ranks first (so passages span the
/// period), then the rest in order — at most ten per passage wanted.
pub fn ranks_tried(n: usize, wanted: usize) -> Vec<usize> {
    let mut spread: Vec<usize> = (0..wanted.min(n))
        .map(|j| (2 * j + 1) * n / (2 * wanted))
        .collect();
    spread.dedup();
    let rest = (0..n).filter(|i| !spread.contains(i));
    spread
        .iter()
        .copied()
        .chain(rest)
        .take(wanted * 10)
        .collect()
}

/// The passage of the document at `address`: the term's first occurrence in its text, else
/// in its title; `None` when no line can be cut around it.
fn cut(
    searcher: &tantivy::Searcher,
    address: tantivy::DocAddress,
    q: &PassageQuery,
) -> Result<Option<Passage>, SearchError> {
    let doc = stored::load(searcher, address)?;
    let patterns = [Pattern::Term(q.term.to_string())];
    let analyzer = Analyzer::default();
    let found = [&doc.text, &doc.title].into_iter().find_map(|text| {
        kwic::occurrences(&analyzer, text, &patterns, q.window)
            .into_iter()
            .next()
    });
    Ok(found.map(|occurrence| Passage {
        published: q.filters.zone.show_opt(doc.published.as_ref()),
        id: doc.id,
        outlet: doc.outlet,
        day: doc.day,
        title: doc.title,
        left: occurrence.left,
        matched: occurrence.matched,
        right: occurrence.right,
    }))
}

/// Where a match stands in the date order of a term's matches across shards: publication
/// time (unix seconds), then id.
pub type MatchKey = (i64, String);

/// One shard's matches of `q` (its filters already of a shard), with their keys in date
/// order: what the driver of a report from partials puts in one order over every shard to
/// find the documents [`passages`] of one index would try.
fn shard_matches(
    index: &Index,
    q: &PassageQuery,
) -> Result<(tantivy::Searcher, Vec<(MatchKey, tantivy::DocAddress)>), SearchError> {
    let indexes = std::slice::from_ref(index);
    let shards = Shards::open(indexes)?;
    let with_term = with_term(indexes, &shards, q)?;
    let searcher = shards.searchers[0].clone();
    let found = searcher.search(&with_term, &MatchCollector { scoring: false })?;
    let ids = ids_of(&searcher, found.iter().map(|m| m.address))?;
    let mut keyed: Vec<(MatchKey, tantivy::DocAddress)> = found
        .iter()
        .zip(ids)
        .map(|(m, id)| ((m.published, id), m.address))
        .collect();
    keyed.sort();
    Ok((searcher, keyed))
}

/// The keys of one shard's matches of `q`, in date order (see [`shard_matches`]).
pub fn match_keys(index: &Index, q: &PassageQuery) -> Result<Vec<MatchKey>, SearchError> {
    Ok(shard_matches(index, q)?
        .1
        .into_iter()
        .map(|(k, _)| k)
        .collect())
}

/// The documents [`passages`] of one index of every shard tries, as ranks in the date
/// order of every shard's match keys (`keys`, one list per shard in date order), each with
/// its key: the ranks of [`ranks_tried`]; with the number of matches.
pub fn tried_across(keys: &[Vec<MatchKey>], wanted: usize) -> (usize, Vec<(usize, MatchKey)>) {
    let mut all: Vec<(&MatchKey, usize)> = keys
        .iter()
        .enumerate()
        .flat_map(|(shard, keys)| keys.iter().map(move |k| (k, shard)))
        .collect();
    all.sort();
    let n = all.len();
    let tried = ranks_tried(n, wanted)
        .into_iter()
        .map(|i| (i, all[i].0.clone()))
        .collect();
    (n, tried)
}

/// The passages of the documents of one shard among `tried` (rank and key, see
/// [`tried_across`]): for each it holds, its rank and its passage (`None`: no line can be
/// cut around the term).
pub fn passages_tried(
    index: &Index,
    q: &PassageQuery,
    tried: &[(usize, MatchKey)],
) -> Result<Vec<(usize, Option<Passage>)>, SearchError> {
    let (searcher, matches) = shard_matches(index, q)?;
    let mut out = Vec::new();
    for (rank, key) in tried {
        let at = matches.partition_point(|(k, _)| k < key);
        if let Some((_, address)) = matches.get(at).filter(|(k, _)| k == key) {
            out.push((*rank, cut(&searcher, *address, q)?));
        }
    }
    Ok(out)
}

/// The passages [`passages`] of one index gives, from every shard's answers for the
/// documents tried (`answers`: rank → passage or none, over all shards): the first `wanted`
/// passages in the order tried, in date order. `None` when a document tried is not answered.
pub fn passages_from_tried(
    n: usize,
    wanted: usize,
    answers: &std::collections::BTreeMap<usize, Option<Passage>>,
) -> Option<Vec<Passage>> {
    let mut lines = Vec::new();
    for i in ranks_tried(n, wanted) {
        if lines.len() >= wanted {
            break;
        }
        if let Some(passage) = answers.get(&i)? {
            lines.push((i, passage.clone()));
        }
    }
    lines.sort_by_key(|(i, _)| *i);
    Some(lines.into_iter().map(|(_, l)| l).collect())
}

//! Query building: the analyst's query text and filters in, one tantivy query out.
//!
//! The text is parsed by [`parse`] (words ANDed by default, `OR`, `NOT`, `-word`, phrases,
//! exact forms, prefixes, regular expressions, field values). Words are analyzed exactly like
//! the documents (so inflected forms match); exact forms, prefixes and expressions match the
//! exact forms the index keeps in each word's token beside its term (see [`forms`]). Filters are ANDed with the query; repeated values of one filter are
//! ORed, and every value is matched case-insensitively against the values the index holds —
//! a value that matches none is an error listing those that exist, closest first.

pub mod forms;
pub mod parse;
mod phrase;

use std::ops::Bound;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use crate::analysis::{fold_case, words, Analyzer};
use crate::index::schema;
use crate::ingest::dates::parse_published;
use crate::search::kwic::Pattern;
use crate::search::SearchError;
use crate::timezone::{DatePrecision, Zone};
pub use parse::{parse, KeywordField, Node, Parsed, TextField};

/// Most words, phrases, prefixes and field values one query may hold. A query of tens of
/// thousands of words would take seconds to run; it is refused with this limit instead.
pub const MAX_QUERY_TERMS: usize = 1024;

// Repeated shape: a plain field list; `duplicates` pairs it by shape alone with `Methods`
// (report/data.rs), `EntityStats` (stats/entities.rs): different facts, no shared type.
/// Which documents to look at besides the query text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Outlet keys (any of).
    pub outlets: Vec<String>,
    /// Categories (any of).
    pub categories: Vec<String>,
    /// Detected languages (any of).
    pub langs: Vec<String>,
    /// Media (any of).
    pub media: Vec<String>,
    /// Published at or after.
    pub from: Option<DateTime<Utc>>,
    /// Published before (exclusive; a date given as `--to` is turned into the next midnight).
    pub until: Option<DateTime<Utc>>,
    /// The zone dates are read and shown in, and calendar days are days of.
    pub zone: Zone,
    /// Documents left out, by upsert key (see [`crate::model::document_key`]): the later
    /// members of each copies cluster under `--copies collapse`.
    pub exclude_keys: Vec<String>,
    /// The index is one shard of a corpus (a partial is being made of it): a filter value it
    /// does not hold selects none of its documents, as another shard may hold it, instead of
    /// being refused as a typo.
    pub of_shard: bool,
}

impl Filters {
    /// Sets `from` from a date (the start of that day, month or year in `zone`) or a
    /// timestamp (an offset in it wins; else a wall-clock time in `zone`).
    pub fn set_from(&mut self, value: &str, zone: Zone) -> Result<(), SearchError> {
        self.from = Some(parse_bound(value, zone, false)?);
        Ok(())
    }

    /// Sets the inclusive end from a date (the whole day, month or year counts) or a
    /// timestamp.
    pub fn set_to(&mut self, value: &str, zone: Zone) -> Result<(), SearchError> {
        self.until = Some(parse_bound(value, zone, true)?);
        Ok(())
    }

    /// True when no filter is set (the zone is not a filter).
    pub fn is_empty(&self) -> bool {
        *self
            == Filters {
                zone: self.zone,
                of_shard: self.of_shard,
                ..Filters::default()
            }
    }
}

fn parse_bound(value: &str, zone: Zone, end: bool) -> Result<DateTime<Utc>, SearchError> {
    let bad = |reason: String| SearchError::BadDate {
        value: value.to_string(),
        reason,
    };
    let parsed = parse_published(value.trim(), zone).map_err(|e| bad(e.reason))?;
    if parsed.precision == DatePrecision::Time {
        // A full timestamp as the end is inclusive: one second later is the exclusive bound.
        return Ok(if end {
            parsed.at + Duration::seconds(1)
        } else {
            parsed.at
        });
    }
    // A day, month or year: from its first midnight in `zone` to the first after it.
    let first = parsed.at.date_naive();
    let start = match parsed.precision {
        DatePrecision::Year => NaiveDate::from_ymd_opt(first.year(), 1, 1),
        _ => Some(first),
    }
    .ok_or_else(|| bad("invalid date".into()))?;
    let next = match parsed.precision {
        DatePrecision::Year => start.checked_add_months(Months::new(12)),
        DatePrecision::Month => start.checked_add_months(Months::new(1)),
        _ => start.succ_opt(),
    }
    .ok_or_else(|| bad("date out of range".into()))?;
    let day = if end { next } else { start };
    zone.instant(day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .ok_or_else(|| bad("time cannot be represented in UTC".into()))
}

fn escape_regex(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = !c.is_alphanumeric();
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

fn field(index: &Index, name: &str) -> Result<Field, SearchError> {
    index
        .schema()
        .get_field(name)
        .map_err(|_| SearchError::Query(format!("unknown field `{name}`")))
}

/// Whether the query `text` reads positions: it has a phrase (a leaf of several words,
/// which [`build`] matches word after word). A query that does not parse is taken to read
/// them. Filters never do.
pub fn reads_positions(text: &str) -> bool {
    fn phrase_in(node: &Node) -> bool {
        match node {
            Node::Words { text, .. } => words(text).nth(1).is_some(),
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().any(phrase_in),
            Node::Not(node) => phrase_in(node),
            Node::All | Node::Prefix { .. } | Node::Regex { .. } | Node::Keyword { .. } => false,
        }
    }
    parse(text).map_or(true, |parsed| phrase_in(&parsed.root))
}

/// Parses `text`, refusing queries over [`MAX_QUERY_TERMS`].
pub fn parse_checked(text: &str) -> Result<Parsed, SearchError> {
    let parsed =
        parse(text).map_err(|e| SearchError::Query(format!("cannot parse query {text:?}: {e}")))?;
    let leaves = parsed.root.leaves();
    if leaves > MAX_QUERY_TERMS {
        return Err(SearchError::Query(format!(
            "the query has {leaves} words, phrases and field values; at most {MAX_QUERY_TERMS} are allowed (split it into several queries)"
        )));
    }
    Ok(parsed)
}

/// How the query's words were read, for the analyst (lowercase operators).
pub fn warnings(text: &str) -> Vec<String> {
    parse(text).map(|p| p.warnings).unwrap_or_default()
}

/// The fields a text leaf searches: title and text or one of them.
struct TextFields {
    title: Field,
    text: Field,
}

impl TextFields {
    fn new(index: &Index) -> Result<TextFields, SearchError> {
        Ok(TextFields {
            title: field(index, schema::TITLE)?,
            text: field(index, schema::TEXT)?,
        })
    }

    fn pick(&self, which: Option<TextField>) -> Vec<Field> {
        match which {
            None => vec![self.title, self.text],
            Some(TextField::Title) => vec![self.title],
            Some(TextField::Text) => vec![self.text],
        }
    }
}

/// Builds the tantivy query of a parsed tree.
struct Builder<'a> {
    /// The indexes searched (one corpus); the first one's schema names the fields.
    indexes: &'a [Index],
    /// Look up which tokens of an analyzed term the indexes hold.
    searchers: Vec<Searcher>,
    fields: TextFields,
    analyzer: Analyzer,
}

/// Documents where `term` (an analyzed term, as the statistics count it) occurs in `field`,
/// in any of its forms, scored as one term.
pub fn term_query(
    searcher: &Searcher,
    field: Field,
    term: &str,
) -> Result<Box<dyn Query>, SearchError> {
    Ok(Box::new(forms::FormsQuery::new(
        field,
        forms::term_tokens(searcher, field, term)?,
    )))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries
            .into_iter()
            .next()
            .unwrap_or_else(|| Box::new(EmptyQuery));
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

impl Builder<'_> {
    /// The exact-form tokens, or the terms, of the words in `text`.
    fn terms(&self, text: &str, exact: bool) -> Vec<String> {
        words(text)
            .map(|(_, w)| {
                if exact {
                    forms::exact_token(&self.analyzer, w)
                } else {
                    self.analyzer.normalize(w)
                }
            })
            .collect()
    }

    /// The query for the words of a leaf in one field: exact tokens are single index
    /// tokens, analyzed terms any of their tokens.
    fn words_query(
        &self,
        f: Field,
        terms: &[String],
        exact: bool,
        slop: u32,
    ) -> Result<Box<dyn Query>, SearchError> {
        if exact {
            let tokens: Vec<Term> = terms.iter().map(|t| Term::from_field_text(f, t)).collect();
            return Ok(if let [token] = tokens.as_slice() {
                Box::new(TermQuery::new(token.clone(), IndexRecordOption::WithFreqs))
            } else {
                let mut phrase = PhraseQuery::new(tokens);
                phrase.set_slop(slop);
                Box::new(phrase)
            });
        }
        let mut positions = Vec::with_capacity(terms.len());
        for term in terms {
            let tokens = forms::term_tokens_across(&self.searchers, f, term)?;
            if tokens.is_empty() {
                return Ok(Box::new(EmptyQuery));
            }
            positions.push((term.clone(), tokens));
        }
        Ok(if positions.len() == 1 {
            Box::new(forms::FormsQuery::new(f, positions.remove(0).1))
        } else {
            Box::new(forms::FormsPhraseQuery::new(f, positions, slop))
        })
    }

    fn node(&self, node: &Node) -> Result<Box<dyn Query>, SearchError> {
        Ok(match node {
            Node::All => Box::new(AllQuery),
            Node::Words {
                text,
                exact,
                slop,
                field,
            } => {
                let terms = self.terms(text, *exact);
                if terms.is_empty() {
                    return Err(SearchError::Query(format!(
                        "{text:?} has no word to search for (letters or digits)"
                    )));
                }
                let per_field = self
                    .fields
                    .pick(*field)
                    .into_iter()
                    .map(|f| self.words_query(f, &terms, *exact, *slop))
                    .collect::<Result<_, _>>()?;
                any_of(per_field)
            }
            Node::Prefix { prefix, field } => {
                let pattern = format!("{}.*", escape_regex(prefix));
                self.regex(&pattern, *field, &format!("{prefix}*"))?
            }
            Node::Regex { pattern, field } => {
                self.regex(pattern, *field, &format!("/{pattern}/"))?
            }
            Node::Keyword { field, value } => self.keyword(*field, value)?,
            Node::And(nodes) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for node in nodes {
                    match node {
                        Node::Not(inner) => clauses.push((Occur::MustNot, self.node(inner)?)),
                        other => clauses.push((Occur::Must, self.node(other)?)),
                    }
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(nodes) => any_of(
                nodes
                    .iter()
                    .map(|n| self.node(n))
                    .collect::<Result<_, _>>()?,
            ),
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.node(inner)?),
            ])),
        })
    }

    fn regex(
        &self,
        pattern: &str,
        which: Option<TextField>,
        shown: &str,
    ) -> Result<Box<dyn Query>, SearchError> {
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        for f in self.fields.pick(which) {
            let regex = forms::ExactFormRegexQuery::new(pattern, f)
                .map_err(|e| SearchError::Query(format!("{shown}: {e}")))?;
            alternatives.push(Box::new(regex));
        }
        Ok(any_of(alternatives))
    }

    fn keyword(&self, which: KeywordField, value: &str) -> Result<Box<dyn Query>, SearchError> {
        let f = field(&self.indexes[0], which.name())?;
        let values = match which {
            KeywordField::Day => {
                NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|e| {
                    SearchError::Query(format!(
                        "day:{value} is not a calendar day ({e}); write day:YYYY-MM-DD"
                    ))
                })?;
                vec![value.to_string()]
            }
            KeywordField::Id | KeywordField::Url => vec![value.to_string()],
            _ => resolve(
                self.indexes,
                which.name(),
                &format!("{}:", which.name()),
                &[value.to_string()],
            )?,
        };
        Ok(Box::new(TermSetQuery::new(
            values.iter().map(|v| Term::from_field_text(f, v)),
        )))
    }
}

/// The values of a keyword field present in the index.
pub fn field_values(index: &Index, name: &str) -> Result<Vec<String>, SearchError> {
    let f = field(index, name)?;
    let reader = index.reader()?;
    let mut values = std::collections::BTreeSet::new();
    for segment in reader.searcher().segment_readers() {
        let inverted = segment.inverted_index(f)?;
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            values.insert(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    Ok(values.into_iter().collect())
}

/// Edit distance between two strings (by characters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// Matches `wanted` values case-insensitively against the values of field `name` in any of
/// the indexes; a value that matches none is an error (`flag` names it) listing the values
/// that exist, closest first.
pub fn resolve(
    indexes: &[Index],
    name: &str,
    flag: &str,
    wanted: &[String],
) -> Result<Vec<String>, SearchError> {
    resolve_in(indexes, name, flag, wanted, false)
}

// Repeated shape: a four-parameter signature returning `Result<Vec<_>, SearchError>`, unrelated to
// its pair.
/// [`resolve`]; `lenient`: a value that matches none is left out, not an error.
fn resolve_in(
    indexes: &[Index],
    name: &str,
    flag: &str,
    wanted: &[String],
    lenient: bool,
) -> Result<Vec<String>, SearchError> {
    let mut existing = Vec::new();
    for index in indexes {
        existing.extend(field_values(index, name)?);
    }
    existing.sort();
    existing.dedup();
    let mut out = Vec::new();
    for value in wanted {
        let folded = fold_case(value.trim());
        let found: Vec<&String> = existing.iter().filter(|e| fold_case(e) == folded).collect();
        if found.is_empty() && !lenient {
            let mut closest: Vec<&String> = existing.iter().collect();
            closest.sort_by_key(|e| (distance(&fold_case(e), &folded), (*e).clone()));
            let list: Vec<&str> = closest.iter().take(20).map(|s| s.as_str()).collect();
            return Err(SearchError::Filter(format!(
                "{flag} {value:?} matches nothing in the index; values there (closest first): {}",
                if list.is_empty() {
                    "none".to_string()
                } else {
                    list.join(", ")
                }
            )));
        }
        out.extend(found.into_iter().cloned());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Builds the query for `text` (may be empty or `*`: everything) and `filters`.
pub fn build(index: &Index, text: &str, filters: &Filters) -> Result<Box<dyn Query>, SearchError> {
    build_across(std::slice::from_ref(index), text, filters)
}

/// Builds one query for `text` and `filters` that runs on every one of `indexes` (at least
/// one, all of one schema) as on one index holding all their documents: an analyzed term
/// stands for its tokens in any of them, a filter value may be held by any of them.
pub fn build_across(
    indexes: &[Index],
    text: &str,
    filters: &Filters,
) -> Result<Box<dyn Query>, SearchError> {
    let parsed = parse_checked(text)?;
    let index = indexes
        .first()
        .ok_or_else(|| SearchError::Query("no index to search".into()))?;
    let builder = Builder {
        indexes,
        searchers: indexes
            .iter()
            .map(|i| Ok(i.reader()?.searcher()))
            .collect::<Result<_, SearchError>>()?,
        fields: TextFields::new(index)?,
        analyzer: Analyzer::default(),
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if parsed.root != Node::All {
        clauses.push((Occur::Must, builder.node(&parsed.root)?));
    }
    for (name, flag, values) in [
        (schema::OUTLET, "--outlet", &filters.outlets),
        (schema::CATEGORY, "--category", &filters.categories),
        (schema::LANG, "--lang", &filters.langs),
        (schema::MEDIUM, "--medium", &filters.media),
    ] {
        if values.is_empty() {
            continue;
        }
        let f = field(index, name)?;
        let resolved = resolve_in(indexes, name, flag, values, filters.of_shard)?;
        let terms = resolved.iter().map(|v| Term::from_field_text(f, v));
        clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
    }
    if filters.from.is_some() || filters.until.is_some() {
        let published = field(index, schema::PUBLISHED)?;
        let term = |at: DateTime<Utc>| {
            Term::from_field_date_for_search(
                published,
                tantivy::DateTime::from_timestamp_secs(at.timestamp()),
            )
        };
        let lower = filters
            .from
            .map_or(Bound::Unbounded, |at| Bound::Included(term(at)));
        let upper = filters
            .until
            .map_or(Bound::Unbounded, |at| Bound::Excluded(term(at)));
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    if !filters.exclude_keys.is_empty() {
        let key = field(index, schema::KEY)?;
        let terms = filters
            .exclude_keys
            .iter()
            .map(|k| Term::from_field_text(key, k));
        // A query of only exclusions matches nothing: it needs something to exclude from.
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        clauses.push((Occur::MustNot, Box::new(TermSetQuery::new(terms))));
    }
    Ok(match clauses.len() {
        0 => Box::new(AllQuery),
        1 => clauses
            .pop()
            .map(|(_, q)| q)
            .unwrap_or_else(|| Box::new(AllQuery)),
        _ => Box::new(BooleanQuery::new(clauses)),
    })
}

/// The tokens a snippet of `field` highlights for the query `text`, with their weights: an
/// analyzed word's tokens weighted as its term (`1 / (1 + document frequency)`, the
/// frequency summed over the tokens), an exact form's token by its own frequency. Words in
/// title-only leaves are left out of the text's snippets, and the reverse.
pub fn snippet_terms(
    searchers: &[Searcher],
    field: Field,
    which: TextField,
    text: &str,
) -> Result<std::collections::BTreeMap<String, f32>, SearchError> {
    let parsed = parse_checked(text)?;
    let analyzer = Analyzer::default();
    let mut leaves = Vec::new();
    collect_words(&parsed.root, &mut leaves);
    let mut out = std::collections::BTreeMap::new();
    let mut weigh = |tokens: Vec<Term>| -> Result<(), SearchError> {
        let mut df = 0;
        for token in &tokens {
            for searcher in searchers {
                df += searcher.doc_freq(token)?;
            }
        }
        if df == 0 {
            return Ok(());
        }
        let weight = 1.0 / (1.0 + df as f32);
        for token in tokens {
            if let Some(text) = token.value().as_str() {
                let entry = out.entry(text.to_string()).or_insert(weight);
                *entry = entry.max(weight);
            }
        }
        Ok(())
    };
    for (words_text, exact, leaf_field) in leaves {
        if leaf_field.is_some_and(|f| f != which) {
            continue;
        }
        for (_, word) in words(words_text) {
            if exact {
                let token = forms::exact_token(&analyzer, word);
                weigh(vec![Term::from_field_text(field, &token)])?;
            } else {
                weigh(forms::term_tokens_across(
                    searchers,
                    field,
                    &analyzer.normalize(word),
                )?)?;
            }
        }
    }
    Ok(out)
}

/// The word leaves of a tree (text, exact, field), negated ones included: snippets show
/// them too.
fn collect_words<'a>(node: &'a Node, out: &mut Vec<(&'a str, bool, Option<TextField>)>) {
    match node {
        Node::Words {
            text, exact, field, ..
        } => out.push((text, *exact, *field)),
        Node::And(nodes) | Node::Or(nodes) => {
            for n in nodes {
                collect_words(n, out);
            }
        }
        Node::Not(inner) => collect_words(inner, out),
        Node::All | Node::Keyword { .. } | Node::Prefix { .. } | Node::Regex { .. } => {}
    }
}

/// The keyword-in-context patterns of a query: its words, phrases, exact forms, prefixes
/// and expressions outside `NOT`.
pub fn patterns(text: &str) -> Result<Vec<Pattern>, SearchError> {
    let parsed = parse_checked(text)?;
    let analyzer = Analyzer::default();
    let mut out = Vec::new();
    collect_patterns(&parsed.root, &analyzer, &mut out);
    out.sort_by_key(|p| format!("{p:?}"));
    out.dedup();
    Ok(out)
}

fn collect_patterns(node: &Node, analyzer: &Analyzer, out: &mut Vec<Pattern>) {
    match node {
        Node::All | Node::Keyword { .. } | Node::Not(_) => {}
        Node::And(nodes) | Node::Or(nodes) => {
            for n in nodes {
                collect_patterns(n, analyzer, out);
            }
        }
        Node::Words { text, exact, .. } => {
            let terms: Vec<String> = words(text)
                .map(|(_, w)| {
                    if *exact {
                        fold_case(w)
                    } else {
                        analyzer.normalize(w)
                    }
                })
                .collect();
            match (terms.len(), exact) {
                (0, _) => {}
                (1, false) => out.push(Pattern::Term(terms[0].clone())),
                (1, true) => out.push(Pattern::Exact(terms[0].clone())),
                (_, false) => out.push(Pattern::Phrase(terms)),
                (_, true) => out.push(Pattern::ExactPhrase(terms)),
            }
        }
        Node::Prefix { prefix, .. } => out.push(Pattern::Prefix(prefix.clone())),
        Node::Regex { pattern, .. } => out.push(Pattern::Regex(pattern.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_positions_exactly_when_it_has_a_phrase() {
        crate::cases::check(
            reads_positions,
            [
                ("", false),
                ("*", false),
                ("газ", false),
                // Words ANDed, each its own leaf.
                ("газ нефть +уголь -торф", false),
                ("газ* OR /н.фть/ outlet:x lang:kk", false),
                ("\"газ нефть\"", true),
                ("\"газ нефть\"~3", true),
                ("title:\"газ нефть\"", true),
                ("уголь OR (торф \"газ нефть\")", true),
                ("-\"газ нефть\"", true),
                // One written word the analyzer reads as two: matched as a phrase.
                ("covid-19", true),
                ("\"газ\"", false),
                // Not a query: taken to read them (building it fails anyway).
                ("(газ", true),
            ],
        );
    }

    #[test]
    fn date_bounds_cover_whole_days_months_and_years_in_the_zone() {
        let almaty = Zone::parse("Asia/Almaty").unwrap();
        let utc = Zone::parse("UTC").unwrap();
        // (sets the upper bound, value, zone) → the bound in UTC.
        let bound = |(to, value, zone): (bool, &str, Zone)| {
            let mut filters = Filters::default();
            if to {
                filters.set_to(value, zone).unwrap();
                filters.until.unwrap().to_rfc3339()
            } else {
                filters.set_from(value, zone).unwrap();
                filters.from.unwrap().to_rfc3339()
            }
        };
        crate::cases::check(
            bound,
            [
                ((false, "2022-01-05", almaty), "2022-01-04T18:00:00+00:00"),
                ((true, "2022-01-05", almaty), "2022-01-05T18:00:00+00:00"),
                // After Almaty moved to UTC+5, its midnight is an hour later in UTC.
                ((false, "2024-06-01", almaty), "2024-05-31T19:00:00+00:00"),
                ((true, "2022-02", almaty), "2022-02-28T18:00:00+00:00"),
                ((false, "2022", utc), "2022-01-01T00:00:00+00:00"),
                (
                    (true, "2022-01-05T10:00:00Z", almaty),
                    "2022-01-05T10:00:01+00:00",
                ),
            ],
        );
        assert!(Filters::default()
            .set_from("5th of January", almaty)
            .is_err());
    }

    // Repeated shape: small tests of a few assertions each.
    #[test]
    fn regex_escaping_keeps_letters() {
        assert_eq!(escape_regex("a.b"), "a\\.b");
        assert_eq!(escape_regex("жаңа"), "жаңа");
    }

    #[test]
    fn edit_distance_by_hand() {
        assert_eq!(distance("state", "State"), 1);
        assert_eq!(distance("stat", "state"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn huge_queries_are_refused_with_the_limit() {
        let words: Vec<String> = (0..10_000).map(|i| format!("w{i}")).collect();
        let err = parse_checked(&words.join(" OR ")).unwrap_err().to_string();
        assert!(err.contains("10000") && err.contains("1024"), "{err}");
    }
}

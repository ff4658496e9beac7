//! Query building: the analyst's query text and filters in, one tantivy query out.
//!
//! The text goes through tantivy's query parser over `title` and `text` (with the index's
//! analyzer, so inflected forms match); terms are ANDed unless `OR` is written. A bare
//! `word*` becomes a prefix query on the normalized (lowercased, ё→е) prefix. Filters are
//! ANDed with the query; repeated values of one filter are ORed.

use std::ops::Bound;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, RegexQuery, TermSetQuery,
};
use tantivy::schema::Field;
use tantivy::{Index, Term};

use crate::index::schema;
use crate::ingest::dates::parse_published;
use crate::search::SearchError;
use crate::text::fold_case;
use crate::timezone::{DatePrecision, Zone};

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

/// Splits bare `word*` / `field:word*` tokens (outside quotes) from the rest of the query;
/// the prefixes come back folded (lowercase, ё→е).
pub fn split_prefixes(query: &str) -> (String, Vec<(Option<String>, String)>) {
    let mut rest = String::new();
    let mut prefixes = Vec::new();
    let mut in_quotes = false;
    for token in query.split_inclusive(char::is_whitespace) {
        let quotes = token.matches('"').count();
        let bare = token.trim();
        if !in_quotes && quotes == 0 && bare.len() > 1 && bare.ends_with('*') {
            let body = bare.trim_end_matches('*');
            let (field, word) = match body.split_once(':') {
                Some((f, w)) => (Some(f.to_string()), w),
                None => (None, body),
            };
            let negated_or_grouped = word.starts_with(['-', '+', '(']);
            if !word.is_empty() && !negated_or_grouped && word.chars().all(char::is_alphanumeric) {
                prefixes.push((field, fold_case(word)));
                continue;
            }
        }
        if quotes % 2 == 1 {
            in_quotes = !in_quotes;
        }
        rest.push_str(token);
    }
    (rest.trim().to_string(), prefixes)
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

/// Builds the query for `text` (may be empty or `*`: everything) and `filters`.
pub fn build(index: &Index, text: &str, filters: &Filters) -> Result<Box<dyn Query>, SearchError> {
    let title = field(index, schema::TITLE)?;
    let body = field(index, schema::TEXT)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let (rest, prefixes) = split_prefixes(text);
    if !rest.is_empty() && rest != "*" {
        let mut parser = QueryParser::for_index(index, vec![title, body]);
        parser.set_conjunction_by_default();
        let parsed = parser
            .parse_query(&rest)
            .map_err(|e| SearchError::Query(describe_parse_error(&rest, &e)))?;
        clauses.push((Occur::Must, parsed));
    }
    for (field_name, prefix) in prefixes {
        let fields = match field_name.as_deref() {
            None => vec![title, body],
            Some(name) if name == schema::TITLE || name == schema::TEXT => {
                vec![field(index, name)?]
            }
            Some(name) => {
                return Err(SearchError::Query(format!(
                    "prefix search works on title and text, not on `{name}`"
                )))
            }
        };
        let pattern = format!("{}.*", escape_regex(&prefix));
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for f in fields {
            let regex = RegexQuery::from_pattern(&pattern, f)
                .map_err(|e| SearchError::Query(format!("prefix `{prefix}*`: {e}")))?;
            alternatives.push((Occur::Should, Box::new(regex)));
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
    }
    for (name, values) in [
        (schema::OUTLET, &filters.outlets),
        (schema::CATEGORY, &filters.categories),
        (schema::LANG, &filters.langs),
        (schema::MEDIUM, &filters.media),
    ] {
        if values.is_empty() {
            continue;
        }
        let f = field(index, name)?;
        let terms = values.iter().map(|v| Term::from_field_text(f, v));
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
    Ok(match clauses.len() {
        0 => Box::new(AllQuery),
        1 => clauses
            .pop()
            .map(|(_, q)| q)
            .unwrap_or_else(|| Box::new(AllQuery)),
        _ => Box::new(BooleanQuery::new(clauses)),
    })
}

fn describe_parse_error(query: &str, error: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    let hint = match error {
        E::SyntaxError(_) if query.matches('"').count() % 2 == 1 => {
            " (unbalanced quote: every \" needs a closing \")".to_string()
        }
        E::SyntaxError(_) if query.matches('(').count() != query.matches(')').count() => {
            " (unbalanced parentheses)".to_string()
        }
        E::FieldDoesNotExist(name) => format!(
            " (searchable fields: title, text, outlet, category, lang, medium, day, id, url; `{name}` is not one)"
        ),
        _ => String::new(),
    };
    format!("cannot parse query {query:?}: {error}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_split_outside_quotes() {
        let (rest, prefixes) = split_prefixes("протест* AND \"мирные ж*\" title:Токаев*");
        assert_eq!(rest, "AND \"мирные ж*\"");
        assert_eq!(
            prefixes,
            vec![
                (None, "протест".to_string()),
                (Some("title".to_string()), "токаев".to_string())
            ]
        );
    }

    #[test]
    fn date_bounds_cover_whole_days_months_and_years_in_the_zone() {
        let almaty = Zone::parse("Asia/Almaty").unwrap();
        let mut filters = Filters::default();
        filters.set_from("2022-01-05", almaty).unwrap();
        filters.set_to("2022-01-05", almaty).unwrap();
        assert_eq!(
            filters.from.unwrap().to_rfc3339(),
            "2022-01-04T18:00:00+00:00"
        );
        assert_eq!(
            filters.until.unwrap().to_rfc3339(),
            "2022-01-05T18:00:00+00:00"
        );
        // After Almaty moved to UTC+5, its midnight is an hour later in UTC.
        filters.set_from("2024-06-01", almaty).unwrap();
        assert_eq!(
            filters.from.unwrap().to_rfc3339(),
            "2024-05-31T19:00:00+00:00"
        );
        filters.set_to("2022-02", almaty).unwrap();
        assert_eq!(
            filters.until.unwrap().to_rfc3339(),
            "2022-02-28T18:00:00+00:00"
        );
        filters
            .set_from("2022", Zone::parse("UTC").unwrap())
            .unwrap();
        assert_eq!(
            filters.from.unwrap().to_rfc3339(),
            "2022-01-01T00:00:00+00:00"
        );
        filters.set_to("2022-01-05T10:00:00Z", almaty).unwrap();
        assert_eq!(
            filters.until.unwrap().to_rfc3339(),
            "2022-01-05T10:00:01+00:00"
        );
        assert!(filters.set_from("5th of January", almaty).is_err());
    }

    #[test]
    fn regex_escaping_keeps_letters() {
        assert_eq!(escape_regex("a.b"), "a\\.b");
        assert_eq!(escape_regex("жаңа"), "жаңа");
    }
}

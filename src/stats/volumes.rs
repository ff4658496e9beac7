//! Documents' sizes and dates from the index (issue 15): each document's group, outlet and
//! date from the fast fields and its counted tokens from the postings, so timelines (and the
//! frame counts of [`super::frame_postings`]) decompress no stored text. The same
//! [`Timeline`] as a [`TimelineCounter`] run over the stored documents.

use chrono::NaiveDate;
use rayon::prelude::*;
use tantivy::{DocId, Searcher, SegmentOrdinal};

use crate::fasthash::FastMap;
use crate::index::{schema, Index};
use crate::search::collect::published_of;
use crate::search::SearchError;
use crate::stats::counts::TermExtractor;
use crate::stats::postings::{keyword_ords, pass_over, subset_docs, SegmentTokens};
use crate::stats::progress;
use crate::stats::scan::{Accumulator, GroupBy, Subset};
use crate::stats::timeline::{Buckets, Dated, Interval, Timeline, TimelineCounter, Volume};
use crate::stats::StatsError;
use crate::timezone::{iso_day, Published, Zone};

/// What the statistics need of each document of one segment's subset, in document order.
pub(super) struct SegmentTable {
    /// The segment.
    pub segment: SegmentOrdinal,
    /// The documents.
    pub docs: Vec<DocId>,
    groups: Vec<String>,
    group_of: Vec<u32>,
    outlets: Vec<String>,
    outlet_of: Vec<u32>,
    published: Vec<Option<Published>>,
    /// Day labels (empty: no day), numbered in order of first appearance.
    days: Vec<String>,
    day_of: Vec<u32>,
    tokens: Vec<u64>,
}

/// A document's group, outlet and day as numbers within its [`SegmentTable`] (and any table
/// [`SegmentTable::restricted`] from it): the same label, the same number; for counters that
/// key by them instead of hashing the labels per document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct RowKeys {
    /// Group number.
    pub group: u32,
    /// Outlet number (not an [`crate::stats::counts::OutletNumbers`] number).
    pub outlet: u32,
    /// Day number.
    pub day: u32,
}

/// One document of a [`SegmentTable`].
pub(super) struct TableRow<'t> {
    /// Outlet, day and date.
    pub dated: Dated<'t>,
    /// Its group (value of the grouping field).
    pub group: &'t str,
    /// Counted tokens of title and text.
    pub tokens: u64,
    /// Group, outlet and day as numbers within the table.
    pub keys: RowKeys,
}

impl SegmentTable {
    /// Reads the fast fields of `docs` (sorted) of segment `segment`; their counted tokens
    /// are 0 until [`SegmentTable::set_tokens`].
    fn new(
        searcher: &Searcher,
        segment: SegmentOrdinal,
        docs: Vec<DocId>,
        by: GroupBy,
        zone: Zone,
    ) -> Result<SegmentTable, SearchError> {
        let reader = searcher.segment_reader(segment);
        let (mut groups, mut outlets) = (Vec::new(), Vec::new());
        let group_of = keyword_ords(
            reader,
            by.name(),
            &docs,
            &mut groups,
            &mut FastMap::default(),
        )?;
        let outlet_of = keyword_ords(
            reader,
            schema::OUTLET,
            &docs,
            &mut outlets,
            &mut FastMap::default(),
        )?;
        let fast = reader.fast_fields();
        let (at, precision) = (
            fast.date(schema::PUBLISHED)?,
            fast.u64(schema::DATE_PRECISION)?,
        );
        let published: Vec<Option<Published>> = docs
            .iter()
            .map(|&doc| published_of(&at, &precision, doc))
            .collect();
        // Days are days of the zone asked for, as in [`crate::stats::scan::scan`]; each
        // distinct day labelled once (a label per document cost 0.3 CPU-s at 1M).
        let (days, day_of) = number_days(&published, zone);
        let tokens = vec![0; docs.len()];
        Ok(SegmentTable {
            segment,
            docs,
            groups,
            group_of,
            outlets,
            outlet_of,
            published,
            days,
            day_of,
            tokens,
        })
    }

    /// Sets the documents' counted tokens from `tokens`, per document of the segment.
    fn set_tokens(&mut self, tokens: &[u64]) {
        for (n, &doc) in self.tokens.iter_mut().zip(&self.docs) {
            *n = tokens[doc as usize];
        }
    }

    /// The `i`th document.
    pub fn row(&self, i: usize) -> TableRow<'_> {
        TableRow {
            dated: Dated {
                outlet: &self.outlets[self.outlet_of[i] as usize],
                day: &self.days[self.day_of[i] as usize],
                published: self.published[i],
            },
            group: &self.groups[self.group_of[i] as usize],
            tokens: self.tokens[i],
            keys: self.keys(i),
        }
    }

    /// The numbers of the `i`th document's group, outlet and day.
    #[inline]
    pub fn keys(&self, i: usize) -> RowKeys {
        RowKeys {
            group: self.group_of[i],
            outlet: self.outlet_of[i],
            day: self.day_of[i],
        }
    }

    /// The documents' counted tokens, in document order.
    pub fn tokens(&self) -> &[u64] {
        &self.tokens
    }

    /// The label of group number `id` (see [`RowKeys`]).
    pub fn group_label(&self, id: u32) -> &str {
        &self.groups[id as usize]
    }

    /// The key of outlet number `id`.
    pub fn outlet_label(&self, id: u32) -> &str {
        &self.outlets[id as usize]
    }

    /// The label of day number `id` (empty: no day).
    pub fn day_label(&self, id: u32) -> &str {
        &self.days[id as usize]
    }

    /// How many group, outlet and day numbers there are: each [`RowKeys`] field is below.
    pub fn key_counts(&self) -> RowKeys {
        RowKeys {
            group: self.groups.len() as u32,
            outlet: self.outlets.len() as u32,
            day: self.days.len() as u32,
        }
    }

    /// The rows of `docs` (sorted, each in this table) only.
    fn restricted(&self, docs: &[DocId]) -> SegmentTable {
        let keep: Vec<usize> = docs
            .iter()
            .filter_map(|doc| self.docs.binary_search(doc).ok())
            .collect();
        SegmentTable {
            segment: self.segment,
            docs: keep.iter().map(|&i| self.docs[i]).collect(),
            groups: self.groups.clone(),
            group_of: keep.iter().map(|&i| self.group_of[i]).collect(),
            outlets: self.outlets.clone(),
            outlet_of: keep.iter().map(|&i| self.outlet_of[i]).collect(),
            published: keep.iter().map(|&i| self.published[i]).collect(),
            days: self.days.clone(),
            day_of: keep.iter().map(|&i| self.day_of[i]).collect(),
            tokens: keep.iter().map(|&i| self.tokens[i]).collect(),
        }
    }
}

/// The day of each of `published` in `zone` as a number, and the labels (`YYYY-MM-DD`,
/// empty for none: undated, or dated to a month or year) by number, in order of first
/// appearance.
fn number_days(published: &[Option<Published>], zone: Zone) -> (Vec<String>, Vec<u32>) {
    let mut labels = Vec::new();
    let mut number: FastMap<Option<NaiveDate>, u32> = FastMap::default();
    // Documents come in index order, often a day's together: the last day is checked first.
    let mut last: Option<(Option<NaiveDate>, u32)> = None;
    let day_of = published
        .iter()
        .map(|p| {
            let day = p.and_then(|p| p.day(zone));
            match last {
                Some((known, n)) if known == day => n,
                _ => {
                    let n = *number.entry(day).or_insert_with(|| {
                        labels.push(day.map(iso_day).unwrap_or_default());
                        labels.len() as u32 - 1
                    });
                    last = Some((day, n));
                    n
                }
            }
        })
        .collect();
    (labels, day_of)
}

/// The documents of a subset, per segment, and (for a query) of the whole filtered corpus.
pub(super) struct Tables {
    /// The subset's documents.
    pub matched: Vec<SegmentTable>,
    /// The same filters without the query, when the subset has a query.
    pub whole: Option<Vec<SegmentTable>>,
}

impl Tables {
    // Repeated shape: a signature of index, searcher, subset and grouping, as the readers of the
    // index take them.
    /// Reads the subset's documents (and the whole's, when `whole_too` and the subset has
    /// a query); counted tokens are read once for both.
    pub fn read(
        index: &Index,
        searcher: &Searcher,
        subset: &Subset,
        by: GroupBy,
        whole_too: bool,
    ) -> Result<Tables, SearchError> {
        let extractor = TermExtractor::default();
        let (mut tables, read) = Tables::read_dates(index, searcher, subset, by, whole_too)?;
        pass_over(&read);
        for (segment, docs) in &read {
            let reader = searcher.segment_reader(*segment);
            let max_doc = reader.max_doc() as usize;
            let mut counted = vec![false; max_doc];
            for &doc in docs {
                counted[doc as usize] = true;
            }
            let tokens = SegmentTokens::new(searcher, reader, &extractor)?
                .doc_tokens(max_doc, &|doc| counted[doc as usize])?;
            tables.set_tokens(*segment, &tokens);
            progress::advanced(docs.len() as u64);
        }
        Ok(tables)
    }

    /// [`Tables::read`] without the counted tokens (all 0 until [`Tables::set_tokens`]):
    /// fast fields only. Also gives the documents whose tokens the timeline needs (the
    /// whole's when there is one, else the subset's), per segment.
    #[allow(clippy::type_complexity)]
    pub fn read_dates(
        index: &Index,
        searcher: &Searcher,
        subset: &Subset,
        by: GroupBy,
        whole_too: bool,
    ) -> Result<(Tables, Vec<(SegmentOrdinal, Vec<DocId>)>), SearchError> {
        let query = subset.query.trim();
        let matched = subset_docs(index, searcher, subset)?;
        let whole = if whole_too && !(query.is_empty() || query == "*") {
            let all = Subset {
                query: String::new(),
                filters: subset.filters.clone(),
            };
            Some(subset_docs(index, searcher, &all)?)
        } else {
            None
        };
        // The whole's documents include the query's.
        let read = whole.as_ref().unwrap_or(&matched);
        let zone = subset.filters.zone;
        let tables = read
            .par_iter()
            .map(|(segment, docs)| SegmentTable::new(searcher, *segment, docs.clone(), by, zone))
            .collect::<Result<Vec<_>, _>>()?;
        let tables = match whole {
            None => Tables {
                matched: tables,
                whole: None,
            },
            Some(_) => {
                let matched = tables
                    .iter()
                    .map(|table| {
                        let docs = matched
                            .iter()
                            .find(|(segment, _)| *segment == table.segment)
                            .map(|(_, docs)| docs.as_slice())
                            .unwrap_or_default();
                        table.restricted(docs)
                    })
                    .collect();
                Tables {
                    matched,
                    whole: Some(tables),
                }
            }
        };
        let read = match &tables.whole {
            Some(whole) => whole,
            None => &tables.matched,
        };
        let read = read.iter().map(|t| (t.segment, t.docs.clone())).collect();
        Ok((tables, read))
    }

    /// Sets the counted tokens of `segment`'s documents, per document of the segment.
    pub fn set_tokens(&mut self, segment: SegmentOrdinal, tokens: &[u64]) {
        let whole = self.whole.iter_mut().flatten();
        for table in self.matched.iter_mut().chain(whole) {
            if table.segment == segment {
                table.set_tokens(tokens);
            }
        }
    }

    /// The timeline of the subset, set within the whole's when there is one.
    pub fn timeline(&self, buckets: Buckets, min_gap_days: u64) -> Timeline {
        let extractor = TermExtractor::default();
        let count = |tables: &[SegmentTable]| {
            let counter = TimelineCounter::new(&extractor, buckets, min_gap_days);
            add_rows(tables, counter).finish()
        };
        let timeline = count(&self.matched);
        match &self.whole {
            Some(whole) => timeline.within(count(whole)),
            None => timeline,
        }
    }
}

/// `counter` with every document of `tables` added. A document dated to a day falls in its
/// day's bucket whatever its time (hours aside), so those are summed per group, outlet and
/// day first and each day's bucket is found once: per document, formatting and parsing
/// dates took most of the timeline's time at 1M documents. Within a table the sums are
/// keyed by the rows' numbers ([`RowKeys`]), not their labels, so no label is hashed per
/// document.
fn add_rows<'e>(tables: &[SegmentTable], mut counter: TimelineCounter<'e>) -> TimelineCounter<'e> {
    let buckets = counter.buckets();
    let by_day = buckets.interval != Interval::Hour;
    // A day label's bucket; `None` for a label that is no date (its documents go one by one).
    let mut bucket_of: FastMap<&str, Option<String>> = FastMap::default();
    let mut sums: FastMap<(&str, &str, &str), Volume> = FastMap::default();
    let mut table_sums: FastMap<RowKeys, Volume> = FastMap::default();
    for table in tables {
        // Per day number: whether its documents are summed (its label a day with a bucket).
        let summed: Vec<bool> = (0..table.key_counts().day)
            .map(|id| {
                let day = table.day_label(id);
                by_day
                    && !day.is_empty()
                    && bucket_of
                        .entry(day)
                        .or_insert_with(|| {
                            // A day that parses is a bucket whatever the date's precision.
                            NaiveDate::parse_from_str(day, "%Y-%m-%d")
                                .ok()
                                .and_then(|_| buckets.of_date(day, None))
                        })
                        .is_some()
            })
            .collect();
        for i in 0..table.docs.len() {
            let keys = table.keys(i);
            if summed[keys.day as usize] {
                let sum = table_sums.entry(keys).or_default();
                sum.documents += 1;
                sum.tokens += table.tokens[i];
                continue;
            }
            let row = table.row(i);
            if let Some(bucket) = counter.bucket(row.dated) {
                counter.add_dated(row.dated, row.group, bucket, row.tokens);
            }
        }
        for (keys, volume) in table_sums.drain() {
            let key = (
                table.group_label(keys.group),
                table.outlet_label(keys.outlet),
                table.day_label(keys.day),
            );
            let sum = sums.entry(key).or_default();
            sum.documents += volume.documents;
            sum.tokens += volume.tokens;
        }
    }
    for ((group, outlet, day), volume) in sums {
        let bucket = bucket_of[day]
            .clone()
            .expect("only days with a bucket are summed");
        let dated = Dated {
            outlet,
            day,
            published: None,
        };
        counter.add_volume(dated, group, bucket, volume);
    }
    counter
}

/// Documents and tokens per group per bucket over the subset, with gaps of ≥ `min_gap_days`.
/// For a query, the matches are set in each group's whole output under the same filters:
/// groups without matches are kept, gaps are silences of the whole output, and the whole's
/// volumes are the timeline's `totals` (see [`Timeline::within`]).
pub fn timeline(
    index: &Index,
    subset: &Subset,
    by: GroupBy,
    buckets: Buckets,
    min_gap_days: u64,
) -> Result<Timeline, StatsError> {
    let reader = index.reader().map_err(SearchError::from)?;
    let searcher = reader.searcher();
    let tables = Tables::read(index, &searcher, subset, by, true)?;
    Ok(tables.timeline(buckets, min_gap_days))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::stats::counter::{Counter, GroupBucket};
    use crate::stats::counts::OutletNumbers;
    use crate::stats::token_sums::TokenSums;
    use crate::stats::word_walk::RowNumbers;
    use crate::timezone::DatePrecision;

    /// A document: group, outlet, (year, month, day, hour) or none, precision, tokens.
    type Doc<'a> = (
        &'a str,
        &'a str,
        Option<(i32, u32, u32, u32)>,
        DatePrecision,
        u64,
    );

    /// A table of `rows`.
    fn table(rows: &[Doc]) -> SegmentTable {
        let zone = Zone::default();
        let mut t = SegmentTable {
            segment: 0,
            docs: (0..rows.len() as u32).collect(),
            groups: Vec::new(),
            group_of: Vec::new(),
            outlets: Vec::new(),
            outlet_of: Vec::new(),
            published: Vec::new(),
            days: Vec::new(),
            day_of: Vec::new(),
            tokens: Vec::new(),
        };
        let number = |list: &mut Vec<String>, name: &str| match list.iter().position(|x| x == name)
        {
            Some(k) => k as u32,
            None => {
                list.push(name.to_string());
                list.len() as u32 - 1
            }
        };
        for &(group, outlet, date, precision, tokens) in rows {
            let published = date.map(|(y, m, d, h)| Published {
                at: Utc.with_ymd_and_hms(y, m, d, h, 30, 0).unwrap(),
                precision,
            });
            t.group_of.push(number(&mut t.groups, group));
            t.outlet_of.push(number(&mut t.outlets, outlet));
            let day = published
                .and_then(|p| p.day_label(zone))
                .unwrap_or_default();
            t.day_of.push(number(&mut t.days, &day));
            t.published.push(published);
            t.tokens.push(tokens);
        }
        t
    }

    #[test]
    fn days_are_numbered_by_label_and_each_number_labelled_as_chrono_writes_the_day() {
        use DatePrecision::{Day, Month, Time, Year};
        let at = |y, m, d, h, precision| {
            Some(Published {
                at: Utc.with_ymd_and_hms(y, m, d, h, 30, 0).unwrap(),
                precision,
            })
        };
        let published = [
            at(2022, 1, 3, 9, Time),
            at(2022, 1, 3, 20, Time),
            None,
            at(2022, 1, 3, 10, Day),
            at(2022, 1, 4, 1, Time),
            at(2022, 2, 1, 12, Month),
            at(2022, 1, 3, 9, Time),
            at(2021, 1, 1, 12, Year),
            None,
        ];
        let zone = Zone::parse("+06:00").unwrap();
        let (labels, day_of) = number_days(&published, zone);
        // Independently: chrono's local day in the zone, `%Y-%m-%d`; none for a month or year.
        let expected: Vec<String> = published
            .iter()
            .map(|p| match p {
                Some(p) if matches!(p.precision, Time) => {
                    p.at.with_timezone(&chrono::FixedOffset::east_opt(6 * 3600).unwrap())
                        .format("%Y-%m-%d")
                        .to_string()
                }
                Some(p) if matches!(p.precision, Day) => p.at.format("%Y-%m-%d").to_string(),
                _ => String::new(),
            })
            .collect();
        let got: Vec<&str> = day_of
            .iter()
            .map(|&n| labels[n as usize].as_str())
            .collect();
        assert_eq!(got, expected);
        // 20:30 UTC is the next day at +06:00; one number per label, in order of first
        // appearance.
        assert_eq!(labels, ["2022-01-03", "2022-01-04", ""]);
        assert_eq!(day_of, [0, 1, 2, 0, 1, 2, 0, 2, 2]);
    }

    /// Rows for the sums and numbers tests: two groups, three outlets, days with a few
    /// documents each, an undated one, dates of a month and of a year, and tokens 0 in one
    /// (group, outlet).
    fn mixed_rows() -> Vec<Doc<'static>> {
        use DatePrecision::{Day, Month, Time, Year};
        vec![
            ("b", "y", Some((2022, 1, 3, 9)), Time, 7),
            ("a", "x", Some((2022, 1, 3, 9)), Time, 10),
            ("a", "x", Some((2022, 1, 3, 17)), Time, 5),
            ("a", "z", None, Time, 4),
            ("b", "x", Some((2022, 1, 12, 12)), Day, 0),
            ("a", "y", Some((2022, 2, 1, 12)), Month, 8),
            ("b", "y", Some((2022, 1, 4, 1)), Time, 2),
            ("b", "y", Some((2021, 1, 1, 12)), Year, 2),
        ]
    }

    #[test]
    fn token_sums_by_row_numbers_are_the_sums_by_labels() {
        let rows = mixed_rows();
        let t = table(&rows);
        let outlets = OutletNumbers::new(["x", "y", "z"]);
        let sums = TokenSums::of(std::slice::from_ref(&t), &outlets);
        // Independently: summed by the labels of each document.
        let mut expected = crate::stats::counts::TermCounts::default();
        let mut days: Counter<GroupBucket> = Counter::default();
        for (i, &(group, outlet, ..)) in rows.iter().enumerate() {
            let tokens = rows[i].4;
            let counts = expected.group_mut(group);
            counts.tokens += tokens;
            counts.outlet_tokens.add(outlets.of(outlet), tokens);
            let day = t.row(i).dated.day.to_string();
            let key = GroupBucket {
                group: group.to_string(),
                bucket: day,
            };
            days.add(key, tokens);
        }
        let mut got = crate::stats::counts::TermCounts::default();
        for group in ["a", "b"] {
            got.group_mut(group);
        }
        sums.add_to(&mut got);
        assert_eq!(got, expected);
        assert_eq!(sums.days(), &days);
        // The (b, x) pair with no tokens is still there, at 0.
        assert_eq!(got.groups["b"].outlet_tokens.iter().count(), 2);
    }

    #[test]
    fn row_numbers_number_labels_in_order_of_first_appearance() {
        let rows = mixed_rows();
        let t = table(&rows);
        let outlets = OutletNumbers::new(["x", "y", "z"]);
        let mut numbers = RowNumbers::default();
        let (mut groups, mut days): (Vec<&str>, Vec<String>) = (Vec::new(), Vec::new());
        for (i, doc) in rows.iter().enumerate() {
            let row = t.row(i);
            let (group, outlet) = numbers.numbers(&row, &outlets);
            let day = numbers.day(&row);
            // Independently: the position of each label among the labels met so far.
            let day_label = row.dated.day.to_string();
            if !groups.contains(&row.group) {
                groups.push(row.group);
            }
            if !days.contains(&day_label) {
                days.push(day_label.clone());
            }
            assert_eq!(groups[group as usize], row.group);
            assert_eq!(days[day as usize], day_label);
            assert_eq!(outlet, outlets.of(doc.1));
            assert_eq!(numbers.group(group), doc.0);
            assert_eq!(numbers.day_label(day), day_label);
        }
        assert_eq!(groups, ["b", "a"]);
        assert_eq!(days.len(), 4);
    }

    #[test]
    fn summing_by_day_adds_what_adding_each_document_adds() {
        use DatePrecision::Time;
        let tables = [
            table(&mixed_rows()),
            table(&[
                ("b", "x", Some((2022, 1, 3, 23)), Time, 1),
                ("a", "x", Some((2022, 3, 30, 0)), Time, 6),
                ("a", "z", Some((2022, 1, 4, 1)), Time, 9),
            ]),
        ];
        let extractor = TermExtractor::default();
        for interval in Interval::ALL {
            let buckets = Buckets {
                interval,
                zone: Zone::default(),
            };
            // Each document on its own, as the counter over stored documents adds them.
            let mut each = TimelineCounter::new(&extractor, buckets, 1);
            for table in &tables {
                for i in 0..table.docs.len() {
                    let row = table.row(i);
                    if let Some(bucket) = each.bucket(row.dated) {
                        each.add_dated(row.dated, row.group, bucket, row.tokens);
                    }
                }
            }
            let summed = add_rows(&tables, TimelineCounter::new(&extractor, buckets, 1));
            let (summed, each) = (summed.into_state(), each.into_state());
            assert_eq!(summed, each, "{interval}");
            assert!(!each.volume.is_empty() && each.undated == 1, "{interval}");
        }
    }
}

//! The rows of a partial beyond the term-count tables (see [`super::file`]): entity series,
//! co-mentions and unknown names; frame documents per bucket; timeline and attention
//! counts. Each is one `kind` of row under its `items`, in the same long table:
//!
//! | items                          | kind               | group | outlet | term   | form     | documents | count    |
//! |--------------------------------|--------------------|-------|--------|--------|----------|-----------|----------|
//! | `entities`                     | `series`           | group |        | entity | day      |           | mentions |
//! | `entities`                     | `day_tokens`       | group |        |        | day      |           | tokens   |
//! | `entities`                     | `co_mention`       | ``    |        | entity | entity   |           | documents|
//! | `entities`                     | `unknown`          | ``    |        | name   | spelling |           | times    |
//! | `frames`                       | `bucket_documents` | group |        |        | bucket   |           | documents|
//! | `frames`                       | `bucket_hits`      | group |        | frame  | bucket   |           | documents|
//! | `timeline`, `timeline_whole`   | `volume`           | group |        |        | bucket   | documents | tokens   |
//! | `timeline`, `timeline_whole`   | `outlet_day`       | ``    | outlet |        | day      |           | 1        |
//! | `timeline`, `timeline_whole`   | `group_day`        | group |        |        | day      |           | 1        |
//! | `timeline`, `timeline_whole`   | `outlet_group`     | group | outlet |        |          |           | 1        |
//! | `timeline`, `timeline_whole`   | `undated`, `imprecise` | `` |       |        |          |           | documents|
//! | `attention`, `attention_whole` | `bucket`           | group |        |        | bucket   |           | documents|
//! | `attention`, `attention_whole` | `off_timeline`     | group |        |        |          |           | documents|

use chrono::NaiveDate;

use super::Dated;
use crate::stats::attention::BucketCounts;
use crate::stats::counter::{GroupBucket, ItemBucket, Pair};
use crate::stats::entities::EntityCounts;
use crate::stats::frames::FrameCounts;
use crate::stats::timeline::{TimelineState, Volume};

/// One row of the extra kinds (the `items` column apart).
#[derive(Debug, Default)]
pub(super) struct Extra<'a> {
    pub kind: &'static str,
    pub group: &'a str,
    pub outlet: Option<&'a str>,
    pub term: Option<&'a str>,
    pub form: Option<&'a str>,
    pub documents: Option<u64>,
    pub count: u64,
}

/// The kinds of row this module reads.
pub(super) const KINDS: [&str; 14] = [
    "series",
    "day_tokens",
    "co_mention",
    "unknown",
    "bucket_documents",
    "bucket_hits",
    "volume",
    "outlet_day",
    "group_day",
    "outlet_group",
    "undated",
    "imprecise",
    "bucket",
    "off_timeline",
];

type Emit<'e> = dyn FnMut(&str, Extra) -> Result<(), String> + 'e;

/// Emits the rows of the entity details.
pub(super) fn entities(counts: &EntityCounts, emit: &mut Emit) -> Result<(), String> {
    for (k, n) in counts.series.iter() {
        let (term, form) = (Some(k.item.as_str()), Some(k.bucket.as_str()));
        emit("entities", row("series", &k.group, None, term, form, n))?;
    }
    for (k, n) in counts.day_tokens.iter() {
        let form = Some(k.bucket.as_str());
        emit("entities", row("day_tokens", &k.group, None, None, form, n))?;
    }
    for (k, n) in counts.co_mentions.iter() {
        let (term, form) = (Some(k.a.as_str()), Some(k.b.as_str()));
        emit("entities", row("co_mention", "", None, term, form, n))?;
    }
    let mut unknown: Vec<(&String, &String, u64)> = counts
        .unknown
        .iter()
        .flat_map(|(name, forms)| forms.iter().map(move |(form, n)| (name, form, *n)))
        .collect();
    unknown.sort_unstable();
    for (name, form, n) in unknown {
        let (term, form) = (Some(name.as_str()), Some(form.as_str()));
        emit("entities", row("unknown", "", None, term, form, n))?;
    }
    Ok(())
}

/// Emits the rows of the frame documents per bucket.
pub(super) fn frames(counts: &FrameCounts, emit: &mut Emit) -> Result<(), String> {
    for (k, n) in counts.bucket_documents.iter() {
        let form = Some(k.bucket.as_str());
        emit(
            "frames",
            row("bucket_documents", &k.group, None, None, form, n),
        )?;
    }
    for (k, n) in counts.bucket_hits.iter() {
        let (term, form) = (Some(k.item.as_str()), Some(k.bucket.as_str()));
        emit("frames", row("bucket_hits", &k.group, None, term, form, n))?;
    }
    Ok(())
}

/// Emits the rows of the timeline and attention counts.
pub(super) fn dated(dated: &Dated, emit: &mut Emit) -> Result<(), String> {
    timeline("timeline", &dated.timeline, emit)?;
    timeline("timeline_whole", &dated.timeline_whole, emit)?;
    attention("attention", &dated.attention, emit)?;
    attention("attention_whole", &dated.attention_whole, emit)
}

fn timeline(items: &'static str, state: &TimelineState, emit: &mut Emit) -> Result<(), String> {
    for (group, buckets) in &state.volume {
        for (bucket, v) in buckets {
            let volume = Extra {
                documents: Some(v.documents),
                ..row("volume", group, None, None, Some(bucket), v.tokens)
            };
            emit(items, volume)?;
        }
    }
    for (outlet, days) in &state.outlet_days {
        for day in days {
            let day = day.format("%Y-%m-%d").to_string();
            emit(
                items,
                row("outlet_day", "", Some(outlet), None, Some(&day), 1),
            )?;
        }
    }
    for (group, days) in &state.group_days {
        for day in days {
            let day = day.format("%Y-%m-%d").to_string();
            emit(items, row("group_day", group, None, None, Some(&day), 1))?;
        }
    }
    for (outlet, group) in &state.outlet_group {
        emit(
            items,
            row("outlet_group", group, Some(outlet), None, None, 1),
        )?;
    }
    emit(items, row("undated", "", None, None, None, state.undated))?;
    emit(
        items,
        row("imprecise", "", None, None, None, state.imprecise),
    )
}

fn attention(
    items: &'static str,
    (counts, off): &BucketCounts,
    emit: &mut Emit,
) -> Result<(), String> {
    for (group, buckets) in counts {
        for (bucket, n) in buckets {
            emit(items, row("bucket", group, None, None, Some(bucket), *n))?;
        }
    }
    for (group, n) in off {
        emit(items, row("off_timeline", group, None, None, None, *n))?;
    }
    Ok(())
}

fn row<'a>(
    kind: &'static str,
    group: &'a str,
    outlet: Option<&'a str>,
    term: Option<&'a str>,
    form: Option<&'a str>,
    count: u64,
) -> Extra<'a> {
    Extra {
        kind,
        group,
        outlet,
        term,
        form,
        documents: None,
        count,
    }
}

/// The extra counts being read back.
#[derive(Debug, Default)]
pub(super) struct Read {
    pub entities: EntityCounts,
    pub frames: FrameCounts,
    pub dated: Dated,
}

impl Read {
    /// Adds one row of an extra kind.
    pub fn add(&mut self, items: &str, r: Extra) -> Result<(), String> {
        let need = |v: Option<&str>, name: &str| {
            v.map(str::to_string)
                .ok_or_else(|| format!("`{name}` is empty on a `{}` row", r.kind))
        };
        let group = r.group.to_string();
        let group_bucket = || -> Result<GroupBucket, String> {
            Ok(GroupBucket {
                group: group.clone(),
                bucket: need(r.form, "form")?,
            })
        };
        let item_bucket = || -> Result<ItemBucket, String> {
            Ok(ItemBucket {
                item: need(r.term, "term")?,
                group: group.clone(),
                bucket: need(r.form, "form")?,
            })
        };
        let day = || -> Result<NaiveDate, String> {
            let text = need(r.form, "form")?;
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|e| format!("day {text}: {e}"))
        };
        let n = r.count;
        match (items, r.kind) {
            ("entities", "series") => self.entities.series.add(item_bucket()?, n),
            ("entities", "day_tokens") => self.entities.day_tokens.add(group_bucket()?, n),
            ("entities", "co_mention") => self.entities.co_mentions.add(
                Pair {
                    a: need(r.term, "term")?,
                    b: need(r.form, "form")?,
                },
                n,
            ),
            ("entities", "unknown") => {
                *self
                    .entities
                    .unknown
                    .entry(need(r.term, "term")?)
                    .or_default()
                    .entry(need(r.form, "form")?)
                    .or_default() += n;
            }
            ("frames", "bucket_documents") => self.frames.bucket_documents.add(group_bucket()?, n),
            ("frames", "bucket_hits") => self.frames.bucket_hits.add(item_bucket()?, n),
            ("attention" | "attention_whole", kind) => {
                let (counts, off) = if items == "attention" {
                    &mut self.dated.attention
                } else {
                    &mut self.dated.attention_whole
                };
                match kind {
                    "bucket" => {
                        let bucket = need(r.form, "form")?;
                        *counts.entry(group).or_default().entry(bucket).or_default() += n;
                    }
                    "off_timeline" => *off.entry(group).or_default() += n,
                    other => return Err(format!("unknown kind `{other}` of {items}")),
                }
            }
            ("timeline" | "timeline_whole", kind) => {
                let state = if items == "timeline" {
                    &mut self.dated.timeline
                } else {
                    &mut self.dated.timeline_whole
                };
                match kind {
                    "volume" => {
                        let documents = r
                            .documents
                            .ok_or_else(|| "`documents` is empty on a `volume` row".to_string())?;
                        let bucket = need(r.form, "form")?;
                        let v: &mut Volume = state
                            .volume
                            .entry(group)
                            .or_default()
                            .entry(bucket)
                            .or_default();
                        v.documents += documents;
                        v.tokens += n;
                    }
                    "outlet_day" => {
                        let outlet = need(r.outlet, "outlet")?;
                        state.outlet_days.entry(outlet).or_default().insert(day()?);
                    }
                    "group_day" => {
                        state.group_days.entry(group).or_default().insert(day()?);
                    }
                    "outlet_group" => {
                        state.outlet_group.insert(need(r.outlet, "outlet")?, group);
                    }
                    "undated" => state.undated += n,
                    "imprecise" => state.imprecise += n,
                    other => return Err(format!("unknown kind `{other}` of {items}")),
                }
            }
            (items, kind) => return Err(format!("unknown kind `{kind}` of {items}")),
        }
        Ok(())
    }
}

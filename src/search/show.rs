//! One document, whole: its metadata, links to the text it copies and to the copies of it,
//! and its text — a broadcast's line by line with the time each cue starts in the
//! programme. What `mediawatch show` prints, for any front end that opens a document.

use chrono::Timelike;
use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Searcher, Term};

use crate::index::schema;
use crate::index::stored::{self, StoredDocument};
use crate::model::{document_key, TimedSpan};
use crate::search::{CopyOf, SearchError};
use crate::timezone::{DatePrecision, Published, Zone};

/// Most copies of one document listed.
const COPIES_LISTED: usize = 100;

/// A document as `show` presents it.
// Its fields repeat `Document`'s on purpose (its languages and copy links are grouped, as
// `show` prints them): this is the serialized shape of `show --format json` — dates shown in a
// zone, copies resolved, text as lines — while the stored one is the index's; one type for both
// would tie the output to the schema. (`duplicates` pairs it by shape alone with `Keyness`.)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentView {
    /// Document id.
    pub id: String,
    /// Outlet key.
    pub outlet: String,
    /// Group label.
    pub category: String,
    /// Medium.
    pub medium: String,
    /// Its languages (JSON: `lang`, `declared_lang`, `lang_shares` at this level).
    #[serde(flatten)]
    pub language: Languages,
    /// Publication date in the zone asked for (empty when undated).
    pub published: String,
    /// Title as stored (may be empty).
    pub title: String,
    /// The title to show: the stored one, or a stand-in when it is empty.
    pub display_title: String,
    /// URL, if the record had one.
    pub url: Option<String>,
    /// Its copy relations (JSON: `copy_of`, `copies` at this level).
    #[serde(flatten)]
    pub links: CopyLinks,
    /// Input file and line it was read from.
    pub source: String,
    /// The text: one line per cue for a broadcast with cue timings, else one per paragraph.
    pub lines: Vec<TextLine>,
}

/// A document's copy relations, both ways: the text it copies and the copies of its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyLinks {
    /// The document another outlet published first, when this one is its copy.
    pub copy_of: Option<CopyOf>,
    /// Documents indexed as copies of this one (at most 100).
    pub copies: Vec<CopyOf>,
}

/// A document's languages: the detected one, the one its record declared and the share of
/// each in its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Languages {
    /// Detected language.
    pub lang: String,
    /// The record's declared language, if any.
    pub declared_lang: Option<String>,
    /// Share of the text's letters per language, largest first.
    pub lang_shares: Vec<LangPart>,
}

impl std::fmt::Display for Languages {
    /// `ru (declared kk); ru 80%, kk 20%`: the detected language, the declared one when
    /// there is one, then the shares.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.lang)?;
        if let Some(declared) = &self.declared_lang {
            write!(f, " (declared {declared})")?;
        }
        for (i, part) in self.lang_shares.iter().enumerate() {
            let lead = if i == 0 { "; " } else { ", " };
            write!(f, "{lead}{} {:.0}%", part.lang, part.share * 100.0)?;
        }
        Ok(())
    }
}

/// A language's share of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LangPart {
    /// Language code.
    pub lang: String,
    /// Share of the letters, 0–1.
    pub share: f64,
}

/// A line of a document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextLine {
    /// Start of the line's cue in the programme (`00:12:31`), for broadcasts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The text.
    pub text: String,
}

/// A programme time as `HH:MM:SS`.
pub fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// The start (`HH:MM:SS`) of the cue holding byte `offset` of the text — or, between cues,
/// of the last cue before it; `None` without cues.
pub fn cue_at(cues: &[TimedSpan], offset: usize) -> Option<String> {
    let index = cues.partition_point(|c| c.text_start <= offset);
    let cue = cues.get(index.checked_sub(1)?)?;
    Some(clock(cue.start_ms))
}

/// A readable stand-in for a missing title: the outlet and the date, with the part of the
/// day when the time is known (`qazaq_efiri, 2022-01-05 evening`).
pub fn stand_in_title(outlet: &str, published: Option<&Published>, zone: Zone) -> String {
    let Some(published) = published else {
        return format!("{outlet}, undated");
    };
    let shown = zone.show(published);
    if published.precision != DatePrecision::Time {
        return format!("{outlet}, {shown}");
    }
    let local = published.at.naive_utc() + zone.offset_at(published.at);
    let part = match local.hour() {
        5..=11 => "morning",
        12..=16 => "afternoon",
        17..=21 => "evening",
        _ => "night",
    };
    format!("{outlet}, {} {part}", local.format("%Y-%m-%d"))
}

/// The title to show for a document: its own, or [`stand_in_title`].
pub fn display_title(doc: &StoredDocument, zone: Zone) -> String {
    if doc.title.trim().is_empty() {
        stand_in_title(&doc.outlet, doc.published.as_ref(), zone)
    } else {
        doc.title.clone()
    }
}

/// The document `id` (of `outlet`, needed only when several outlets use the id), with dates
/// shown in `zone`.
pub fn show(
    index: &Index,
    id: &str,
    outlet: Option<&str>,
    zone: Zone,
) -> Result<DocumentView, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let doc = find(&searcher, index, id, outlet)?;
    let copies = copies_of(
        &searcher,
        index,
        &document_key(&doc.outlet, &doc.id),
        COPIES_LISTED,
    )?;
    Ok(view(doc, copies, zone))
}

/// The stored document `id` (of `outlet`, needed only when several outlets use the id); an
/// error that says what to do when there is none or several.
pub fn find(
    searcher: &Searcher,
    index: &Index,
    id: &str,
    outlet: Option<&str>,
) -> Result<StoredDocument, SearchError> {
    let field = |name: &str| index.schema().get_field(name);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(field(schema::ID)?, id),
            IndexRecordOption::Basic,
        )),
    )];
    if let Some(outlet) = outlet {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(field(schema::OUTLET)?, outlet),
                IndexRecordOption::Basic,
            )),
        ));
    }
    let found = searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;
    let mut docs = found
        .into_iter()
        .map(|address| stored::load(searcher, address))
        .collect::<tantivy::Result<Vec<_>>>()?;
    docs.sort_by(|a, b| a.outlet.cmp(&b.outlet));
    match docs.len() {
        0 => {
            let within = outlet.map_or(String::new(), |o| format!(" of outlet `{o}`"));
            Err(SearchError::Filter(format!(
                "no document with id `{id}`{within} in the index (ids are shown by `search`)"
            )))
        }
        1 => Ok(docs.remove(0)),
        _ => {
            let outlets: Vec<&str> = docs.iter().map(|d| d.outlet.as_str()).collect();
            Err(SearchError::Filter(format!(
                "id `{id}` is used by several outlets ({}); choose one with --outlet",
                outlets.join(", ")
            )))
        }
    }
}

/// At most `most` documents whose `copy_of` is `key` (the writer's marks of exact copies),
/// by outlet and id.
pub fn copies_of(
    searcher: &Searcher,
    index: &Index,
    key: &str,
    most: usize,
) -> Result<Vec<CopyOf>, SearchError> {
    let field = index.schema().get_field(schema::COPY_OF)?;
    let query = TermQuery::new(Term::from_field_text(field, key), IndexRecordOption::Basic);
    let found = searcher.search(&query, &TopDocs::with_limit(most).order_by_score())?;
    let mut copies = found
        .into_iter()
        .map(|(_, address)| {
            stored::load(searcher, address).map(|d| CopyOf {
                outlet: d.outlet,
                id: d.id,
            })
        })
        .collect::<tantivy::Result<Vec<_>>>()?;
    copies.sort_by(|a, b| (&a.outlet, &a.id).cmp(&(&b.outlet, &b.id)));
    Ok(copies)
}

fn view(doc: StoredDocument, copies: Vec<CopyOf>, zone: Zone) -> DocumentView {
    let mut shares: Vec<LangPart> = doc
        .lang_shares
        .iter()
        .map(|s| LangPart {
            lang: s.lang.to_string(),
            share: s.share,
        })
        .collect();
    shares.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.lang.cmp(&b.lang)));
    DocumentView {
        display_title: display_title(&doc, zone),
        published: zone.show_opt(doc.published.as_ref()),
        lines: text_lines(&doc.text, &doc.cues),
        links: CopyLinks {
            copy_of: doc.copy_of.as_deref().map(CopyOf::from_key),
            copies,
        },
        source: format!("{}:{}", doc.source_file, doc.source_line),
        id: doc.id,
        outlet: doc.outlet,
        category: doc.category,
        medium: doc.medium,
        language: Languages {
            lang: doc.lang,
            declared_lang: doc.declared_lang,
            lang_shares: shares,
        },
        title: doc.title,
        url: doc.url,
    }
}

/// A broadcast's text one cue a line with its start; any other text one paragraph a line.
fn text_lines(text: &str, cues: &[TimedSpan]) -> Vec<TextLine> {
    let timed: Vec<TextLine> = cues
        .iter()
        .filter_map(|c| {
            let line = text.get(c.text_start..c.text_end)?.trim();
            Some(TextLine {
                at: Some(clock(c.start_ms)),
                text: line.split_whitespace().collect::<Vec<_>>().join(" "),
            })
        })
        .collect();
    if !timed.is_empty() {
        return timed;
    }
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| TextLine {
            at: None,
            text: l.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn span(start_ms: u64, text_start: usize, text_end: usize) -> TimedSpan {
        TimedSpan {
            start_ms,
            end_ms: start_ms + 1000,
            text_start,
            text_end,
        }
    }

    #[test]
    fn clock_times_are_hours_minutes_seconds() {
        assert_eq!(clock(0), "00:00:00");
        assert_eq!(clock(751_999), "00:12:31");
        assert_eq!(clock(3_723_000), "01:02:03");
    }

    #[test]
    fn an_offset_falls_in_the_cue_that_holds_it() {
        let cues = [
            span(1_000, 0, 5),
            span(61_000, 6, 12),
            span(751_000, 13, 20),
        ];
        assert_eq!(cue_at(&cues, 0).as_deref(), Some("00:00:01"));
        assert_eq!(cue_at(&cues, 7).as_deref(), Some("00:01:01"));
        assert_eq!(cue_at(&cues, 19).as_deref(), Some("00:12:31"));
        assert_eq!(cue_at(&[], 3), None);
        let lines = text_lines("Hello\nworld.\nBye now", &cues);
        assert_eq!(lines[1].at.as_deref(), Some("00:01:01"));
        assert_eq!(lines[1].text, "world.");
    }

    #[test]
    fn missing_titles_get_outlet_date_and_part_of_day() {
        let zone = Zone::parse("Asia/Almaty").unwrap();
        // 13:30 UTC was 19:30 in Almaty (UTC+6 in 2022).
        let at = Utc.with_ymd_and_hms(2022, 1, 5, 13, 30, 0).unwrap();
        let published = Published {
            at,
            precision: DatePrecision::Time,
        };
        let title = stand_in_title("qazaq_efiri", Some(&published), zone);
        assert!(title == "qazaq_efiri, 2022-01-05 evening", "{title}");
        assert_eq!(stand_in_title("x", None, zone), "x, undated");
    }

    #[test]
    fn languages_print_detected_then_declared_then_shares() {
        let part = |lang: &str, share| LangPart {
            lang: lang.to_string(),
            share,
        };
        let mixed = Languages {
            lang: "ru".into(),
            declared_lang: Some("kk".into()),
            lang_shares: vec![part("ru", 0.8), part("kk", 0.2)],
        };
        assert_eq!(mixed.to_string(), "ru (declared kk); ru 80%, kk 20%");
        let bare = Languages {
            lang: "und".into(),
            declared_lang: None,
            lang_shares: Vec::new(),
        };
        assert_eq!(bare.to_string(), "und");
    }

    // regression: the flattened parts keep `show --format json`'s keys where they were.
    #[test]
    fn document_view_json_keys_keep_their_order() {
        let view = DocumentView {
            id: "a".into(),
            outlet: "o".into(),
            category: "c".into(),
            medium: "article".into(),
            language: Languages {
                lang: "ru".into(),
                declared_lang: None,
                lang_shares: Vec::new(),
            },
            published: String::new(),
            title: String::new(),
            display_title: "o, undated".into(),
            url: None,
            links: CopyLinks {
                copy_of: None,
                copies: Vec::new(),
            },
            source: "f.jsonl:1".into(),
            lines: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            concat!(
                r#"{"id":"a","outlet":"o","category":"c","medium":"article","lang":"ru","#,
                r#""declared_lang":null,"lang_shares":[],"published":"","title":"","#,
                r#""display_title":"o, undated","url":null,"copy_of":null,"copies":[],"#,
                r#""source":"f.jsonl:1","lines":[]}"#
            )
        );
    }
}

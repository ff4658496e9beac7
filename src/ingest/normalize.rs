//! Normalization and enrichment: a raw record in, a validated [`Document`] (or a reject reason) out.
//! Joins the source registry, parses the date, cleans the text, detects the language and
//! computes the id and duplicate fingerprint.

use chrono::{Duration, Utc};
use xxhash_rust::xxh3::xxh3_64;

use crate::ingest::dates::parse_published;
use crate::ingest::record::{RawRecord, RejectReason};
use crate::ingest::subtitles::join_cues;
use crate::lang;
use crate::model::{Document, Provenance, TimedSpan, UNDETERMINED_LANG, UNKNOWN_CATEGORY};
use crate::registry::SourceRegistry;

/// What normalization needs besides the record.
#[derive(Debug, Clone, Copy)]
pub struct NormalizeContext<'a> {
    /// Source registry for the outlet join.
    pub registry: &'a SourceRegistry,
    /// Offset from UTC, in minutes, for timestamps without one and for calendar days.
    pub utc_offset_minutes: i32,
}

/// A normalized document and whether its outlet was found in the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// The document.
    pub document: Document,
    /// False when the outlet is not in the registry (category `unknown`).
    pub outlet_known: bool,
}

/// Validates and enriches one record read from `file`.
pub fn normalize(
    record: RawRecord,
    file: &str,
    ctx: NormalizeContext<'_>,
) -> Result<Normalized, RejectReason> {
    let fields = record.fields;
    let (text, cues) = if record.cues.is_empty() {
        (
            clean_text(fields.text.as_deref().ok_or(RejectReason::MissingText)?),
            Vec::new(),
        )
    } else {
        let mut cues = record.cues;
        for cue in &mut cues {
            cue.text = clean_inline(&cue.text);
        }
        cues.retain(|cue| !cue.text.is_empty());
        let (text, ranges) = join_cues(&cues);
        let spans = TimedSpan::from_cues(&cues, &ranges);
        (text, spans)
    };
    if !text.chars().any(char::is_alphanumeric) {
        return Err(RejectReason::EmptyText);
    }
    let outlet_given = fields
        .outlet
        .as_deref()
        .map(clean_identifier)
        .filter(|o| !o.is_empty())
        .ok_or(RejectReason::MissingOutlet)?;
    let published_raw = fields
        .published
        .as_deref()
        .ok_or(RejectReason::MissingDate)?;
    let published = parse_published(published_raw, ctx.utc_offset_minutes)
        .map_err(|e| RejectReason::BadDate(e.to_string()))?;

    let registered = ctx.registry.lookup(&outlet_given);
    let outlet = registered.map_or(outlet_given, |o| o.key.clone());
    let category = label(fields.category.as_deref())
        .or_else(|| registered.map(|o| o.category.clone()))
        .unwrap_or_else(|| UNKNOWN_CATEGORY.to_string());
    let medium = label(fields.medium.as_deref())
        .or_else(|| {
            registered
                .map(|o| o.medium.to_lowercase())
                .filter(|m| !m.is_empty())
        })
        .or_else(|| record.format_medium.map(str::to_string))
        .unwrap_or_else(|| "article".to_string());
    let title = fields
        .title
        .as_deref()
        .map(clean_inline)
        .unwrap_or_default();
    let url = fields
        .url
        .as_deref()
        .map(clean_identifier)
        .filter(|u| !u.is_empty());
    let id = match fields
        .id
        .as_deref()
        .map(clean_identifier)
        .filter(|i| !i.is_empty())
    {
        Some(id) => id,
        None => derived_id(
            &outlet,
            url.as_deref(),
            &published.to_rfc3339(),
            &title,
            &text,
        ),
    };
    let detection = lang::detect(&text);
    let local = published + Duration::minutes(i64::from(ctx.utc_offset_minutes));
    Ok(Normalized {
        document: Document {
            fingerprint: fingerprint(&text),
            day: local.date_naive().format("%Y-%m-%d").to_string(),
            lang: detection.map_or(UNDETERMINED_LANG, |d| d.lang).to_string(),
            lang_confidence: detection.map_or(0.0, |d| d.confidence),
            lang_shares: if may_mix_languages(&text, detection) {
                lang::paragraph_shares(&text)
            } else {
                detection
                    .map(|d| {
                        vec![lang::LangShare {
                            lang: d.lang,
                            share: 1.0,
                        }]
                    })
                    .unwrap_or_default()
            },
            declared_lang: label(fields.lang.as_deref()),
            provenance: Provenance {
                file: file.to_string(),
                line: record.line,
            },
            published: published.with_timezone(&Utc),
            id,
            outlet,
            category,
            medium,
            title,
            text,
            url,
            cues,
        },
        outlet_known: registered.is_some(),
    })
}

/// Confidence below which a Kazakh detection is checked paragraph by paragraph.
const CONFIDENT_KAZAKH: f64 = 0.9;

/// Whether a document may mix languages, so that per-paragraph detection (the costliest
/// part of enrichment) is worth running: it has several paragraphs and either mixes Latin
/// and Cyrillic letters, or has Kazakh-only letters without being confidently Kazakh.
fn may_mix_languages(text: &str, detection: Option<lang::Detection>) -> bool {
    if !text.contains("\n") {
        return false;
    }
    let (mut latin, mut cyrillic, mut kazakh) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyrillic += 1;
            if "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c) {
                kazakh += 1;
            }
        }
    }
    let letters = (latin + cyrillic).max(1);
    let mixed_scripts = latin.min(cyrillic) * 20 > letters;
    let confident_kazakh =
        detection.is_some_and(|d| d.lang == "kk" && d.confidence >= CONFIDENT_KAZAKH);
    mixed_scripts || (kazakh > 0 && !confident_kazakh)
}

/// Trimmed, lowercased label, or `None` when empty.
fn label(value: Option<&str>) -> Option<String> {
    value
        .map(|v| clean_identifier(v).to_lowercase())
        .filter(|v| !v.is_empty())
}

/// An identifier (outlet, id, label, URL): [`clean_inline`], and invisible format characters
/// (BOM, zero-width joiner and space, bidirectional controls such as U+202E) removed, so a
/// name never differs from its look-alike by something no one can see.
pub fn clean_identifier(value: &str) -> String {
    let mut out = clean_inline(value);
    out.retain(|c| !crate::escape::is_format_character(c));
    // A removed character may have stood between two spaces or at an end.
    if out.contains("  ") || out.starts_with(' ') || out.ends_with(' ') {
        out = clean_inline(&out);
    }
    out
}

/// The id of a record that has none: a hash of outlet + url, else of outlet + published + title + text.
pub fn derived_id(
    outlet: &str,
    url: Option<&str>,
    published: &str,
    title: &str,
    text: &str,
) -> String {
    let key = match url {
        Some(url) => format!("{outlet}\u{1f}{url}"),
        None => format!("{outlet}\u{1f}{published}\u{1f}{title}\u{1f}{text}"),
    };
    format!("{:016x}", xxh3_64(key.as_bytes()))
}

/// Hash of a normalized text: equal for exact duplicates.
pub fn fingerprint(text: &str) -> u64 {
    xxh3_64(text.as_bytes())
}

/// One-line text: control characters dropped, whitespace runs collapsed to one space, trimmed.
pub fn clean_inline(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// Body text: control characters dropped (newlines kept), whitespace runs inside lines collapsed,
/// lines trimmed, runs of blank lines collapsed to one (paragraph breaks survive), trimmed.
pub fn clean_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut blank_pending = false;
    let unified = value.replace("\r\n", "\n");
    for line in unified.split(['\n', '\r']) {
        let line = clean_inline(line);
        if line.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_pending { "\n\n" } else { "\n" });
        }
        blank_pending = false;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::record::Fields;

    const SOURCES: &str = "outlet,name,category,medium\nkhabar,Хабар,state,broadcast\n";

    fn record(fields: Fields) -> RawRecord {
        RawRecord {
            line: 3,
            fields,
            format_medium: None,
            cues: Vec::new(),
            raw: String::new(),
        }
    }

    fn good_fields() -> Fields {
        Fields {
            outlet: Some("Хабар".into()),
            published: Some("2022-01-05T23:30:00Z".into()),
            text: Some("  Власти  ввели\r\n\r\n\r\nчрезвычайное\r\nположение.\u{0}".into()),
            ..Fields::default()
        }
    }

    fn run(fields: Fields) -> Result<Normalized, RejectReason> {
        let registry = SourceRegistry::from_csv(SOURCES.as_bytes()).unwrap();
        let ctx = NormalizeContext {
            registry: &registry,
            utc_offset_minutes: 360,
        };
        normalize(record(fields), "f.jsonl", ctx)
    }

    #[test]
    fn joins_registry_and_cleans_text() {
        let n = run(good_fields()).unwrap();
        let doc = n.document;
        assert!(n.outlet_known);
        assert_eq!(doc.outlet, "khabar");
        assert_eq!(doc.category, "state");
        assert_eq!(doc.medium, "broadcast");
        // regression: CRLF inside a CSV field is one line break, not a paragraph break
        assert_eq!(doc.text, "Власти ввели\n\nчрезвычайное\nположение.");
        // 23:30 UTC is already the next day in UTC+6.
        assert_eq!(doc.day, "2022-01-06");
        assert_eq!(doc.provenance.line, 3);
        assert_eq!(doc.id.len(), 16);
    }

    #[test]
    fn record_category_overrides_registry_and_unknown_outlets_are_kept() {
        let mut fields = good_fields();
        fields.category = Some("Independent".into());
        assert_eq!(run(fields).unwrap().document.category, "independent");
        let mut fields = good_fields();
        fields.outlet = Some("Somewhere FM".into());
        let n = run(fields).unwrap();
        assert!(!n.outlet_known);
        assert_eq!(n.document.category, UNKNOWN_CATEGORY);
        assert_eq!(n.document.outlet, "Somewhere FM");
    }

    #[test]
    fn every_missing_piece_has_its_reason() {
        let mut f = good_fields();
        f.text = None;
        assert_eq!(run(f).unwrap_err(), RejectReason::MissingText);
        let mut f = good_fields();
        f.text = Some(" … !!! ".into());
        assert_eq!(run(f).unwrap_err(), RejectReason::EmptyText);
        let mut f = good_fields();
        f.outlet = Some("\u{7}".into());
        assert_eq!(run(f).unwrap_err(), RejectReason::MissingOutlet);
        let mut f = good_fields();
        f.published = None;
        assert_eq!(run(f).unwrap_err(), RejectReason::MissingDate);
        let mut f = good_fields();
        f.published = Some("2022-02-30".into());
        assert_eq!(run(f).unwrap_err().code(), "bad_date");
    }

    #[test]
    fn mixed_kazakh_russian_documents_get_paragraph_shares() {
        let mut f = good_fields();
        f.text = Some(
            "Президент Тоқаев халыққа үндеу жасады. Елде төтенше жағдай енгізілді, тұрғындар үйде отыруы тиіс.\n\n\
             Президент обратился к народу. В стране введено чрезвычайное положение, жителей просят оставаться дома."
                .into(),
        );
        let shares = run(f).unwrap().document.lang_shares;
        let langs: Vec<&str> = shares.iter().map(|s| s.lang).collect();
        assert_eq!(langs.len(), 2, "{shares:?}");
        assert!(langs.contains(&"kk") && langs.contains(&"ru"), "{shares:?}");
        // A plain one-language document is not split.
        let plain = run(good_fields()).unwrap().document.lang_shares;
        assert_eq!(plain.len(), 1);
        assert_eq!(plain[0].share, 1.0);
    }

    #[test]
    fn invisible_format_characters_leave_identifiers() {
        let mut f = good_fields();
        // A BOM from a concatenated CSV, a zero-width joiner and a right-to-left override.
        f.outlet = Some("\u{feff}Хаб\u{200d}ар\u{202e}".into());
        f.id = Some("a\u{200b}1".into());
        f.category = Some("\u{2066}State\u{2069}".into());
        let doc = run(f).unwrap().document;
        assert_eq!(doc.outlet, "khabar");
        assert_eq!(doc.id, "a1");
        assert_eq!(doc.category, "state");
        assert_eq!(clean_identifier("x \u{feff} y"), "x y");
    }

    #[test]
    fn ids_hash_outlet_and_url_when_absent() {
        let mut a = good_fields();
        a.url = Some("https://x/1".into());
        let mut b = a.clone();
        b.text = Some("Другой текст".into());
        assert_eq!(run(a).unwrap().document.id, run(b).unwrap().document.id);
        let mut c = good_fields();
        c.id = Some(" 42 ".into());
        assert_eq!(run(c).unwrap().document.id, "42");
    }
}

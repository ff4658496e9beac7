//! The bundled demo corpus (`mediawatch generate --demo`): the invented outlets of
//! `corpus/sources.csv` covering January 2022 in Russian, Kazakh and English — routine news,
//! the protests, the blackout (independent online outlets silent from 5 to 10 January), the
//! televised "confession", the aftermath — written deterministically in every input format the
//! tool reads. What is planted (which group uses which framing, the blackout, duplicates,
//! wrong language tags, mixed-language articles, sidecars) is described in `data/`; the
//! registries and `planted.csv` (the answer key) are maintained by hand next to the corpus.

pub mod data;
mod files;
pub mod text;
pub mod tv;

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::generate::rng::SplitMix64;
use data::PLAN;
use text::{article, context, in_blackout, jan, mixed, pick_topic, Paragraphs, Piece, EVENT};

/// One document of the demo corpus.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Outlet key.
    pub outlet: String,
    /// `state` or `independent`.
    pub group: &'static str,
    /// `article` or `broadcast`.
    pub medium: &'static str,
    /// Publication day.
    pub day: NaiveDate,
    /// Publication time (local).
    pub at: NaiveDateTime,
    /// Title.
    pub title: String,
    /// Paragraphs with their language.
    pub paragraphs: Paragraphs,
    /// The text's language: `ru`, `kk`, `en` or `mixed`.
    pub lang: &'static str,
    /// The language the record declares.
    pub declared: &'static str,
    /// Topic(s).
    pub topic: String,
    /// Record id (none for outlets whose exports have none).
    pub id: Option<String>,
    /// URL.
    pub url: String,
    /// File it is written to, relative to the corpus.
    pub file: String,
    /// The original, for a planted duplicate.
    pub duplicate_of: Option<String>,
    /// Captions, for broadcasts.
    pub cues: Vec<tv::Cue>,
    /// The programme's slug and the day in its file name, for broadcasts.
    pub programme: Option<(&'static str, NaiveDate)>,
}

impl Doc {
    /// Paragraphs joined by blank lines.
    pub fn text(&self) -> String {
        self.paragraphs
            .iter()
            .map(|p| p.1.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// Counts of what was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents per outlet.
    pub outlets: BTreeMap<String, usize>,
    /// Documents per text language.
    pub langs: BTreeMap<String, usize>,
    /// Documents per group.
    pub groups: BTreeMap<String, usize>,
    /// Planted duplicates: (original outlet/id, copy outlet/id).
    pub duplicates: Vec<(String, String)>,
    /// Records whose declared language is wrong: (id, true language, declared).
    pub wrong_langs: Vec<(String, String, String)>,
}

impl Summary {
    /// Documents in all.
    pub fn documents(&self) -> usize {
        self.outlets.values().sum()
    }
}

/// The corpus period's days.
fn days() -> Vec<NaiveDate> {
    PLAN.start
        .iter_days()
        .take_while(|d| *d <= PLAN.end)
        .collect()
}

/// `pre`, `protest`, `blackout` or `after`: which volume an outlet publishes at.
fn phase(day: NaiveDate) -> &'static str {
    if day < jan(2) {
        "pre"
    } else if day <= jan(4) {
        "protest"
    } else if in_blackout(day) {
        "blackout"
    } else {
        "after"
    }
}

fn local_time(rng: &mut SplitMix64, day: NaiveDate) -> NaiveDateTime {
    let hour = rng.range(7, 22);
    let minute = 5 * rng.below(12);
    day.and_hms_opt(hour, minute, 0).expect("a valid time")
}

/// The language of an outlet's next article: the one furthest below its share.
fn next_lang(shares: &BTreeMap<String, f64>, counts: &mut BTreeMap<String, f64>) -> &'static str {
    let n: f64 = counts.values().sum::<f64>() + 1.0;
    let mut best: Option<(&str, f64)> = None;
    for (lang, share) in shares {
        let deficit = share * n - counts.get(lang).copied().unwrap_or(0.0);
        if best.is_none_or(|b| deficit > b.1) {
            best = Some((lang, deficit));
        }
    }
    let lang = lang_code(best.map_or("ru", |b| b.0));
    *counts.entry(lang.to_string()).or_default() += 1.0;
    lang
}

fn lang_code(lang: &str) -> &'static str {
    match lang {
        "kk" => "kk",
        "en" => "en",
        _ => "ru",
    }
}

fn articles(rng: &mut SplitMix64) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut counts: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let mut mixed_done = Vec::new();
    for day in days() {
        for outlet in PLAN.outlets.iter().filter(|o| !o.volume.is_empty()) {
            let group = if outlet.category == "state" {
                "state"
            } else {
                "independent"
            };
            if group == "independent" && in_blackout(day) {
                continue; // independent online outlets are offline during the blackout
            }
            let (lo, hi) = outlet.volume[phase(day)];
            let counts = counts.entry(outlet.key.clone()).or_default();
            for _ in 0..rng.range(lo, hi) {
                let is_mixed = outlet.key == "kaspiy_tolqyny"
                    && PLAN.mixed_days.contains(&day)
                    && !mixed_done.contains(&day);
                let (topic, title, paragraphs, lang) = if is_mixed {
                    *counts.entry("kk".into()).or_default() += 1.0;
                    let topic = pick_topic(rng, group, day, "kk", Some(&EVENT));
                    let kk = context(rng, day, &outlet.key, "kk");
                    let ru = context(rng, day, &outlet.key, "ru");
                    let (title, paragraphs) = mixed(rng, topic, day, &kk, &ru);
                    mixed_done.push(day);
                    (topic, title, paragraphs, "mixed")
                } else {
                    let lang = next_lang(&outlet.languages, counts);
                    let topic = pick_topic(rng, group, day, lang, None);
                    let ctx = context(rng, day, &outlet.key, lang);
                    let piece = Piece {
                        lang,
                        group,
                        topic,
                        day,
                    };
                    let (title, paragraphs) = article(rng, piece, &ctx, None, true);
                    (topic, title, paragraphs, lang)
                };
                docs.push(Doc {
                    outlet: outlet.key.clone(),
                    group,
                    medium: "article",
                    day,
                    at: local_time(rng, day),
                    title,
                    paragraphs,
                    lang,
                    declared: if lang == "mixed" { "kk" } else { lang },
                    topic: topic.to_string(),
                    id: None,
                    url: String::new(),
                    file: String::new(),
                    duplicate_of: None,
                    cues: Vec::new(),
                    programme: None,
                });
            }
        }
    }
    assert_eq!(
        mixed_done.len(),
        PLAN.mixed_days.len(),
        "mixed documents missing"
    );
    docs
}

fn broadcasts(rng: &mut SplitMix64) -> Vec<Doc> {
    let mut docs = Vec::new();
    let label = |lang: &str, kind: &str| {
        data::SLOTS
            .schedule_labels
            .iter()
            .find(|l| l.lang == lang && l.kind == kind)
            .map_or(String::new(), |l| l.label.clone())
    };
    for day in days() {
        for slot in tv::slots(day) {
            let forced: &[&str] = if day == jan(9) && slot.slug == "evening" {
                &["confession", "unrest"]
            } else {
                &[]
            };
            let (cues, titles) = tv::programme(rng, &slot, day, forced);
            let extension = PLAN
                .outlets
                .iter()
                .find(|o| o.key == slot.outlet)
                .map_or("srt", |o| o.format.as_str());
            let month = |lang: &str| data::SLOTS.months[lang][&day.month().to_string()].clone();
            let title = if slot.lang == "ru" {
                format!(
                    "{} — {} {} {}",
                    label("ru", slot.kind),
                    day.day(),
                    month("ru"),
                    day.year()
                )
            } else {
                format!(
                    "{} — {} жылғы {} {}",
                    label("kk", slot.kind),
                    day.year(),
                    day.day(),
                    month("kk")
                )
            };
            docs.push(Doc {
                outlet: slot.outlet.to_string(),
                group: "state",
                medium: "broadcast",
                day: slot.at.date(),
                at: slot.at,
                title,
                paragraphs: vec![(slot.lang, tv::plain_text(&cues))],
                lang: slot.lang,
                declared: slot.lang,
                topic: titles.join("+"),
                id: None,
                url: String::new(),
                file: format!("tv/{}_{}_{}.{extension}", slot.outlet, day, slot.slug),
                duplicate_of: None,
                cues,
                programme: Some((slot.slug, day)),
            });
        }
    }
    docs
}

/// Ids and URLs in each outlet's own style (some outlets export no id).
fn assign_ids(docs: &mut [Doc]) {
    let mut order: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].medium == "article")
        .collect();
    order.sort_by(|&a, &b| (&docs[a].outlet, docs[a].at).cmp(&(&docs[b].outlet, docs[b].at)));
    let mut per_day: BTreeMap<(String, NaiveDate), u32> = BTreeMap::new();
    let mut serial: BTreeMap<String, u32> = BTreeMap::new();
    for i in order {
        let d = &mut docs[i];
        let n = {
            let n = per_day.entry((d.outlet.clone(), d.day)).or_default();
            *n += 1;
            *n
        };
        let s = {
            let s = serial.entry(d.outlet.clone()).or_default();
            *s += 1;
            *s
        };
        let ymd = d.day.format("%Y%m%d");
        let path = d.day.format("%Y/%m/%d");
        let lang = d.declared;
        let (id, url) = match d.outlet.as_str() {
            "birlik_aqparat" => {
                let id = format!("ba-{ymd}-{n:03}");
                let url = format!("https://birlik-aqparat.example/{lang}/news/{path}/{id}");
                (Some(id), url)
            }
            "zhana_dauir" => {
                let id = format!("zd-{ymd}-{n:02}");
                let url = format!("https://zhana-dauir.example/{lang}/{path}/{id}");
                (Some(id), url)
            }
            "ashyq_alan" => {
                let id = format!("aa-{:05}", 10230 + s);
                let url = format!("https://ashyq-alan.example/{lang}/news/{id}");
                (Some(id), url)
            }
            "steppe_ledger" => (
                Some(format!("sl-{ymd}-{n}")),
                format!("https://steppe-ledger.example/{path}/story-{n}"),
            ),
            "sarap_media" => (None, format!("https://sarap-media.example/{path}/{s:04}")),
            "veter_stepi" => (None, format!("https://veter-stepi.example/news/{ymd}-{n}")),
            _ => {
                let site_lang = if lang == "kk" { "kz" } else { lang };
                d.file = format!("regional/kaspiy_tolqyny_{}_{n}.txt", d.day);
                let url = format!("https://kaspiy-tolqyny.example/{site_lang}/{path}/{n}");
                (None, url)
            }
        };
        d.id = id;
        d.url = url;
    }
}

/// Exact duplicates: two agency items reprinted verbatim by the state newspaper, and one
/// independent item published twice.
fn plant_duplicates(docs: &mut Vec<Doc>) -> Duplicates {
    let mut articles: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].medium == "article")
        .collect();
    articles.sort_by(|&a, &b| (docs[a].at, &docs[a].outlet).cmp(&(docs[b].at, &docs[b].outlet)));
    let find = |docs: &[Doc], outlet: &str, lang: &str, from: NaiveDate| {
        articles
            .iter()
            .copied()
            .find(|&i| {
                let d = &docs[i];
                d.outlet == outlet
                    && d.lang == lang
                    && d.day >= from
                    && EVENT.contains(&d.topic.as_str())
            })
            .expect("a document to copy")
    };
    let mut pairs = Vec::new();
    for (lang, from) in [("ru", jan(7)), ("kk", jan(12))] {
        let source = docs[find(docs, "birlik_aqparat", lang, from)].clone();
        let source_id = source.id.clone().unwrap_or_default();
        let mut copy = source.clone();
        copy.outlet = "zhana_dauir".into();
        copy.at = source.at + Duration::hours(3);
        copy.duplicate_of = Some(source_id.clone());
        let id = format!("zd-{}-r1", source.day.format("%Y%m%d"));
        copy.url = format!(
            "https://zhana-dauir.example/{lang}/{}/{id}",
            source.day.format("%Y/%m/%d")
        );
        copy.id = Some(id.clone());
        pairs.push((
            format!("birlik_aqparat/{source_id}"),
            format!("zhana_dauir/{id}"),
        ));
        docs.push(copy);
    }
    let source = docs[find(docs, "ashyq_alan", "ru", jan(12))].clone();
    let source_id = source.id.clone().unwrap_or_default();
    let mut copy = source.clone();
    copy.at = source.at + Duration::days(1) - Duration::hours(2);
    copy.day = source.day + Duration::days(1);
    copy.duplicate_of = Some(source_id.clone());
    copy.id = Some(format!("{source_id}-2"));
    copy.url = format!("{}-republished", source.url);
    pairs.push((
        format!("ashyq_alan/{source_id}"),
        format!("ashyq_alan/{source_id}-2"),
    ));
    docs.push(copy);
    pairs
}

/// Declared languages deliberately wrong on three agency records.
fn plant_wrong_langs(docs: &mut [Doc]) -> WrongLangs {
    let mut agency: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].outlet == "birlik_aqparat" && docs[i].duplicate_of.is_none())
        .collect();
    agency.sort_by_key(|&i| docs[i].at);
    let mut out = Vec::new();
    for (truth, wrong, from) in [
        ("kk", "ru", jan(6)),
        ("ru", "kk", jan(14)),
        ("en", "ru", jan(3)),
    ] {
        let Some(&i) = agency.iter().find(|&&i| {
            let d = &docs[i];
            d.lang == truth && d.day >= from && d.declared == truth
        }) else {
            continue;
        };
        docs[i].declared = wrong;
        let id = docs[i].id.clone().unwrap_or_default();
        out.push((id, truth.to_string(), wrong.to_string()));
    }
    out
}

/// Planted duplicates: (original, copy) as `outlet/id`.
type Duplicates = Vec<(String, String)>;
/// Wrong language tags: (id, true language, declared).
type WrongLangs = Vec<(String, String, String)>;

/// Every document of the demo corpus, with the duplicates and wrong language tags planted.
pub fn documents() -> (Vec<Doc>, Duplicates, WrongLangs) {
    let mut rng = SplitMix64::named(PLAN.seed, "documents");
    let mut docs = articles(&mut rng);
    docs.extend(broadcasts(&mut rng));
    assign_ids(&mut docs);
    let duplicates = plant_duplicates(&mut docs);
    let wrong_langs = plant_wrong_langs(&mut docs);
    (docs, duplicates, wrong_langs)
}

/// Writes the demo corpus into `dir`: its document folders (`tv/`, `agency/`, `online/`,
/// `regional/`) and `bad/`, each emptied first. Nothing else in `dir` is touched (the
/// registries, `planted.csv`, the README and any other folder stay as they are).
pub fn write(dir: &Path) -> io::Result<Summary> {
    let (mut docs, duplicates, wrong_langs) = documents();
    files::write_all(dir, &mut docs)?;
    let mut summary = Summary {
        duplicates,
        wrong_langs,
        ..Summary::default()
    };
    for d in &docs {
        *summary.outlets.entry(d.outlet.clone()).or_default() += 1;
        *summary.langs.entry(d.lang.to_string()).or_default() += 1;
        *summary.groups.entry(d.group.to_string()).or_default() += 1;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Lowercased word tokens (ё→е), as a corpus tool would count them.
    fn tokens(text: &str) -> Vec<String> {
        text.to_lowercase()
            .replace('ё', "е")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn occurrences(words: &[String], phrase: &[String]) -> usize {
        words.windows(phrase.len()).filter(|w| *w == phrase).count()
    }

    #[test]
    fn the_answer_key_holds_in_the_texts() {
        let (docs, duplicates, wrong) = documents();
        assert_eq!((duplicates.len(), wrong.len()), (3, 3));
        // Tokens per (group, paragraph language, outlet), by the paragraphs' true languages.
        let mut by: BTreeMap<(&str, &str, &str), Vec<Vec<String>>> = BTreeMap::new();
        for d in &docs {
            for (lang, text) in &d.paragraphs {
                by.entry((d.group, lang, &d.outlet))
                    .or_default()
                    .push(tokens(text));
            }
        }
        let planted = include_str!("../../../corpus/planted.csv");
        for line in planted.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            let (term, lang, favours) = (fields[0], fields[1], fields[2]);
            let phrase = tokens(term);
            let other = if favours == "state" {
                "independent"
            } else {
                "state"
            };
            let count = |group: &str| {
                let (mut tokens, mut hits, mut outlets) = (0usize, 0usize, BTreeSet::new());
                for ((g, l, outlet), texts) in &by {
                    if *g == group && *l == lang {
                        for words in texts {
                            tokens += words.len();
                            let n = occurrences(words, &phrase);
                            hits += n;
                            if n > 0 {
                                outlets.insert(*outlet);
                            }
                        }
                    }
                }
                (tokens as f64, hits, outlets.len())
            };
            let (ft, fh, fo) = count(favours);
            let (ot, oh, _) = count(other);
            assert!(fh >= 10, "{term} ({lang}) occurs {fh} times in {favours}");
            assert!(
                fo >= 2,
                "{term} ({lang}) used by {fo} outlet(s) of {favours}"
            );
            let ratio = (fh as f64 / ft) / (oh as f64 / ot);
            assert!(oh == 0 || ratio >= 4.0, "{term} ({lang}): {ratio:.1}x");
        }
    }

    #[test]
    fn independent_outlets_are_silent_in_the_blackout_and_tv_airs_daily() {
        let (docs, _, _) = documents();
        assert!(docs
            .iter()
            .filter(|d| d.group == "independent")
            .all(|d| !in_blackout(d.day)));
        for day in days() {
            for channel in ["qazaq_efiri", "dala_24"] {
                let n = docs
                    .iter()
                    .filter(|d| d.outlet == channel && d.programme.is_some_and(|p| p.1 == day))
                    .count();
                let least = if in_blackout(day) { 3 } else { 1 };
                assert!(n >= least, "{channel} {day}: {n} programmes");
            }
        }
        let kazakh: Vec<&Doc> = docs.iter().filter(|d| d.lang == "kk").collect();
        assert!(
            kazakh.len() * 5 >= docs.len(),
            "{} Kazakh of {}",
            kazakh.len(),
            docs.len()
        );
        for d in kazakh {
            assert!(
                d.text().chars().any(|c| "әғқңөұүһі".contains(c)),
                "{:?}",
                d.id
            );
        }
    }
}

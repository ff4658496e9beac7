//! The benchmark corpus: a [`GenerateConfig`] in, a deterministic stream of JSONL or CSV
//! news documents (Russian, Kazakh, English; state and independent outlets) plus a
//! [`Manifest`] of counts and planted term rates out.
//!
//! The corpus exists for benchmarks and recovery tests, so it is built to be:
//!
//! * **deterministic** — the same config gives byte-identical output and manifest (each
//!   document draws from its own random stream, derived from the seed and its number);
//! * **streamed** — documents are written as they are generated through a fixed-size buffer,
//!   so memory does not grow with [`GenerateConfig::docs`];
//! * **realistic enough to analyse** — 30 invented outlets with Zipf-like sizes, ~60 % Russian,
//!   ~25 % Kazakh, ~15 % English text from Zipf-distributed vocabularies, dates over
//!   2021-10-01 … 2022-03-31 with an internet blackout (2022-01-05 … 2022-01-10) that silences
//!   independent article outlets, and planted key terms whose per-group rates are known and
//!   recorded in [`Manifest::planted`].

mod outlets;
mod output;
mod sample;
#[cfg(test)]
mod tests;
mod vocab;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::rng::SplitMix64;
use outlets::{
    day_labels, is_blackout, outlet_aliases, push_timestamp, LengthModel, Plan, CHUNK_BYTES,
    OUTLETS,
};
use output::{push_csv_record, push_jsonl_record, Scratch};
use vocab::{planted_terms, Lang, LangModel};

/// Smallest accepted [`GenerateConfig::mean_bytes`], also the smallest document text.
pub const MIN_DOC_BYTES: usize = 300;
/// Largest accepted [`GenerateConfig::mean_bytes`]; document texts stay near or below it.
pub const MAX_DOC_BYTES: usize = 20_000;

/// The file format of the generated documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// A header line, then one record per document with every field quoted.
    Csv,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateConfig {
    /// Number of documents.
    pub docs: u64,
    /// Seed of every random choice; equal seeds give equal corpora.
    pub seed: u64,
    /// Output file format.
    pub format: OutputFormat,
    /// Mean length of a document's `text` in bytes (UTF-8), 300..=20000; texts are at least
    /// 300 bytes and at most about 20 KB.
    pub mean_bytes: usize,
}

impl Default for GenerateConfig {
    /// 10 000 JSONL documents of ~3000 bytes with seed 42.
    fn default() -> Self {
        GenerateConfig {
            docs: 10_000,
            seed: 42,
            format: OutputFormat::Jsonl,
            mean_bytes: 3000,
        }
    }
}

/// One planted key term or entity, with its known strength.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlantedTerm {
    /// Dictionary form; Russian and Kazakh documents also use inflected forms of it, and
    /// English ones plural or verb forms (all normalize to the same term in `crate::text`).
    pub term: String,
    /// Language code of the documents the term is planted in (`ru`, `kk`, `en`).
    pub lang: String,
    /// The group that uses the term more: `state` or `independent`.
    pub favours: String,
    /// `frame` (an evaluative word) or `entity` (a name).
    pub kind: String,
    /// Expected occurrences (all forms) per 1000 words of `text` in the favoured group.
    pub rate_favoured: f64,
    /// Expected occurrences (all forms) per 1000 words of `text` in the other group.
    pub rate_other: f64,
}

/// What was generated: counts and the planted differences.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Manifest {
    /// Number of documents written.
    pub docs: u64,
    /// Seed used.
    pub seed: u64,
    /// Bytes written to the output, header included.
    pub bytes: u64,
    /// Documents per outlet category (`state`, `independent`); only categories with documents.
    pub by_category: BTreeMap<String, u64>,
    /// Documents per language code; only languages with documents.
    pub by_lang: BTreeMap<String, u64>,
    /// Documents per medium (`article`, `broadcast`); only media with documents.
    pub by_medium: BTreeMap<String, u64>,
    /// The outlets that published at least one document, in registry order.
    pub outlets: Vec<GeneratedOutlet>,
    /// Every planted term, with its expected rates.
    pub planted: Vec<PlantedTerm>,
    /// Local date (`YYYY-MM-DD`) of the earliest document; empty when no documents.
    pub first_day: String,
    /// Local date (`YYYY-MM-DD`) of the latest document; empty when no documents.
    pub last_day: String,
}

/// One invented outlet of the generated corpus.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GeneratedOutlet {
    /// Registry key, as the documents' `outlet` field names it.
    pub key: String,
    /// Display name.
    pub name: String,
    /// `state` or `independent`.
    pub category: String,
    /// `article` or `broadcast`.
    pub medium: String,
    /// Language codes the outlet publishes in (1–2), main language first.
    pub languages: Vec<String>,
}

/// Writes the documents to `out` (JSONL: one object per line with fields id, outlet, published,
/// title, text, url, lang, medium; CSV: header `id,outlet,published,title,text,url,lang,medium`
/// and quoted fields) and returns the manifest.
///
/// Documents are numbered from 0 (`id` = `g{seed}-{n}`, `url` = `https://{outlet}.example/{n}`)
/// and come in chronological order of day; `published` is local time with a `+06:00` offset.
/// Paragraphs of `text` are separated by a blank line (`\n\n`), so CSV records span several
/// lines. Output is written in chunks of about 64 KiB (no `BufWriter` needed) and `out` is
/// flushed at the end; memory use does not depend on `docs`.
///
/// Planted terms ([`Manifest::planted`]) occur only in `text`, never as a sentence's first
/// word, and replace ordinary words, so their rates are per 1000 whitespace-separated words.
///
/// # Errors
/// `InvalidInput` when `mean_bytes` is outside 300..=20000; any error
/// of `out`, after which the output is incomplete.
pub fn generate(config: &GenerateConfig, out: &mut dyn Write) -> io::Result<Manifest> {
    if !(MIN_DOC_BYTES..=MAX_DOC_BYTES).contains(&config.mean_bytes) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "mean_bytes {} is out of range; expected {MIN_DOC_BYTES}..={MAX_DOC_BYTES}",
                config.mean_bytes
            ),
        ));
    }
    let models = [
        LangModel::build(Lang::Ru)?,
        LangModel::build(Lang::Kk)?,
        LangModel::build(Lang::En)?,
    ];
    let plan = Plan::build()?;
    let days = day_labels();
    let length = LengthModel::new(config.mean_bytes);

    let mut chunk: Vec<u8> = Vec::with_capacity(CHUNK_BYTES + 2 * MAX_DOC_BYTES);
    let mut bytes: u64 = 0;
    if config.format == OutputFormat::Csv {
        chunk.extend_from_slice(b"id,outlet,published,title,text,url,lang,medium\n");
    }
    let mut per_outlet = [0u64; OUTLETS.len()];
    let mut per_lang = [0u64; 3];
    let (mut first_day, mut last_day) = (None, None);
    let mut scratch = Scratch::default();
    let mut day = 0usize;
    for n in 0..config.docs {
        day = plan.day_of(n, config.docs, day);
        let mut rng = SplitMix64::for_document(config.seed, n);
        let (outlet_index, lang) = plan.pick(&mut rng, is_blackout(day));
        let outlet = &OUTLETS[outlet_index];
        let model = &models[lang.index()];
        let group = usize::from(!outlet.is_state());
        scratch.clear();
        let _ = write!(scratch.id, "g{}-{}", config.seed, n);
        let _ = write!(scratch.url, "https://{}.example/{}", outlet.key, n);
        push_timestamp(&mut scratch.published, &days[day], &mut rng);
        model.write_title(&mut rng, &mut scratch.title);
        let target = length.sample(&mut rng);
        model.write_body(&mut rng, group, target, &mut scratch.text);
        let fields = [
            scratch.id.as_str(),
            outlet.key,
            scratch.published.as_str(),
            scratch.title.as_str(),
            scratch.text.as_str(),
            scratch.url.as_str(),
            lang.code(),
            outlet.medium(),
        ];
        match config.format {
            OutputFormat::Jsonl => push_jsonl_record(&mut chunk, &fields),
            OutputFormat::Csv => push_csv_record(&mut chunk, &fields),
        }
        per_outlet[outlet_index] += 1;
        per_lang[lang.index()] += 1;
        first_day.get_or_insert(day);
        last_day = Some(day);
        if chunk.len() >= CHUNK_BYTES {
            out.write_all(&chunk)?;
            bytes += chunk.len() as u64;
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        out.write_all(&chunk)?;
        bytes += chunk.len() as u64;
    }
    out.flush()?;

    let mut by_category = BTreeMap::new();
    let mut by_medium = BTreeMap::new();
    let mut outlets = Vec::new();
    for (outlet, &count) in OUTLETS.iter().zip(&per_outlet) {
        if count == 0 {
            continue;
        }
        *by_category
            .entry(outlet.category().to_string())
            .or_insert(0) += count;
        *by_medium.entry(outlet.medium().to_string()).or_insert(0) += count;
        outlets.push(outlet.generated());
    }
    let by_lang = Lang::ALL
        .iter()
        .zip(&per_lang)
        .filter(|(_, &count)| count > 0)
        .map(|(lang, &count)| (lang.code().to_string(), count))
        .collect();
    let label = |day: Option<usize>| day.map_or_else(String::new, |d| days[d].clone());
    Ok(Manifest {
        docs: config.docs,
        seed: config.seed,
        bytes,
        by_category,
        by_lang,
        by_medium,
        outlets,
        planted: planted_terms(),
        first_day: label(first_day),
        last_day: label(last_day),
    })
}

/// The source registry for the generated outlets, as CSV with header
/// `outlet,name,category,medium,country,languages,aliases` (lists `|`-separated, country `KZ`,
/// aliases a Cyrillic and a compact Latin spelling of the name).
pub fn sources_csv(manifest: &Manifest) -> String {
    let mut csv = String::from("outlet,name,category,medium,country,languages,aliases\n");
    for outlet in &manifest.outlets {
        let fields = [
            outlet.key.clone(),
            outlet.name.clone(),
            outlet.category.clone(),
            outlet.medium.clone(),
            "KZ".to_string(),
            outlet.languages.join("|"),
            outlet_aliases(&outlet.key).join("|"),
        ];
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                csv.push(',');
            }
            if field.contains([',', '"', '\n', '\r']) {
                csv.push('"');
                csv.push_str(&field.replace('"', "\"\""));
                csv.push('"');
            } else {
                csv.push_str(field);
            }
        }
        csv.push('\n');
    }
    csv
}

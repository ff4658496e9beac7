//! Synthetic corpus generator: a [`GenerateConfig`] in, a deterministic stream of JSONL or CSV
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

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

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

/// Every form (dictionary form first) in which the planted `term` of language `lang` appears in
/// the documents; empty for an unknown term.
#[cfg(test)]
fn planted_forms(term: &str, lang: &str) -> Vec<&'static str> {
    PLANTED
        .iter()
        .filter(|set| set.lang.code() == lang)
        .flat_map(|set| set.frames.iter().chain(set.entities.iter()))
        .find(|forms| forms.first() == Some(&term))
        .map(|forms| forms.to_vec())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Randomness and sampling

/// SplitMix64: tiny, fast, statistically sound for this purpose, and fully deterministic.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SplitMix64 {
    /// The generator of document `n`: a hash of seed and `n`, so documents are independent.
    fn for_document(seed: u64, n: u64) -> SplitMix64 {
        SplitMix64(
            mix64(seed ^ 0x6A09_E667_F3BC_C909).wrapping_add(mix64(n ^ 0xBB67_AE85_84CA_A73B)),
        )
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (n ≥ 1).
    fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// A discrete distribution sampled in O(1) expected time from a 32-bit uniform number:
/// a cumulative table scaled to 2^32 plus a guide table into it.
#[derive(Debug, Clone)]
struct Discrete {
    cdf: Vec<u64>,
    guide: Vec<u32>,
    shift: u32,
}

impl Discrete {
    /// `None` when no weight is positive and finite.
    fn new(weights: &[f64]) -> Option<Discrete> {
        let clean = |w: f64| if w.is_finite() && w > 0.0 { w } else { 0.0 };
        let total: f64 = weights.iter().map(|&w| clean(w)).sum();
        if !(total.is_finite() && total > 0.0) {
            return None;
        }
        let scale = (1u64 << 32) as f64;
        let mut acc = 0.0;
        let mut cdf: Vec<u64> = weights
            .iter()
            .map(|&w| {
                acc += clean(w);
                ((acc / total) * scale).round().min(scale) as u64
            })
            .collect();
        // The last positive entry closes the table so every draw lands somewhere.
        let last = weights.iter().rposition(|&w| clean(w) > 0.0)?;
        for c in &mut cdf[last..] {
            *c = 1u64 << 32;
        }
        let bits = (usize::BITS - cdf.len().leading_zeros()).clamp(4, 16);
        let shift = 32 - bits;
        let mut guide = Vec::with_capacity(1 << bits);
        let mut i = 0usize;
        for j in 0..(1u64 << bits) {
            let threshold = j << shift;
            while cdf[i] <= threshold {
                i += 1;
            }
            guide.push(i as u32);
        }
        Some(Discrete { cdf, guide, shift })
    }

    fn sample(&self, u: u32) -> usize {
        let mut i = self.guide[(u >> self.shift) as usize] as usize;
        while self.cdf[i] <= u64::from(u) {
            i += 1;
        }
        i
    }
}

fn internal(what: &str) -> io::Error {
    io::Error::other(format!("generator tables are inconsistent: {what}"))
}

// ---------------------------------------------------------------------------------------------
// Languages, vocabularies and planted terms

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Ru,
    Kk,
    En,
}

impl Lang {
    const ALL: [Lang; 3] = [Lang::Ru, Lang::Kk, Lang::En];

    fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Target share of all documents.
    fn share(self) -> f64 {
        match self {
            Lang::Ru => 0.60,
            Lang::Kk => 0.25,
            Lang::En => 0.15,
        }
    }
}

/// Word forms per language vocabulary (hand-written words first, then synthetic ones).
const VOCAB_SIZE: usize = 4000;
/// Title words skip this many most frequent (function) words.
const TITLE_SKIP: usize = 40;

#[derive(Debug, Clone)]
struct Word {
    lower: Box<str>,
    cap: Box<str>,
}

impl Word {
    fn new(lower: &str) -> Word {
        let mut chars = lower.chars();
        let cap = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
            None => String::new(),
        };
        Word {
            lower: lower.into(),
            cap: cap.into(),
        }
    }
}

/// Picks planted terms for one group: a word slot holds a planted term when the slot's
/// 32-bit draw is below `threshold`.
#[derive(Debug, Clone)]
struct PlantPicker {
    threshold: u64,
    pick: Discrete,
}

#[derive(Debug, Clone)]
struct LangModel {
    words: Vec<Word>,
    zipf: Discrete,
    terms: Vec<Vec<Word>>,
    plant: [PlantPicker; 2],
}

impl LangModel {
    fn build(lang: Lang) -> io::Result<LangModel> {
        let set = PLANTED
            .iter()
            .find(|set| set.lang == lang)
            .ok_or_else(|| internal("planted set"))?;
        let all_forms: Vec<&[&str]> = set
            .frames
            .iter()
            .chain(set.entities.iter())
            .copied()
            .collect();
        let banned: HashSet<String> = all_forms
            .iter()
            .flat_map(|forms| forms.iter())
            .map(|f| f.to_lowercase())
            .collect();
        let banned_prefixes: HashSet<String> = banned
            .iter()
            .filter(|f| f.chars().count() >= 5)
            .map(|f| f.chars().take(5).collect())
            .collect();
        let words = build_vocabulary(lang, &banned, &banned_prefixes);
        let weights: Vec<f64> = (0..words.len())
            .map(|rank| 1.0 / (rank as f64 + 2.7).powf(1.05))
            .collect();
        let zipf = Discrete::new(&weights).ok_or_else(|| internal("vocabulary"))?;
        let terms = all_forms
            .iter()
            .enumerate()
            // Frames are lowercase words; entities (after the 20 frames) keep their capitals.
            .map(|(i, forms)| {
                forms
                    .iter()
                    .map(|f| {
                        Word::new(&if i < 20 {
                            f.to_lowercase()
                        } else {
                            f.to_string()
                        })
                    })
                    .collect()
            })
            .collect();
        let rates = set.rates();
        let picker = |group: usize| -> io::Result<PlantPicker> {
            let weights: Vec<f64> = rates.iter().map(|r| r.for_group(group)).collect();
            let per_word: f64 = weights.iter().sum::<f64>() / 1000.0;
            Ok(PlantPicker {
                threshold: (per_word.clamp(0.0, 1.0) * (1u64 << 32) as f64).round() as u64,
                pick: Discrete::new(&weights).ok_or_else(|| internal("planted rates"))?,
            })
        };
        Ok(LangModel {
            words,
            zipf,
            terms,
            plant: [picker(0)?, picker(1)?],
        })
    }

    /// A title of 4–9 words, first capitalized, no final period.
    fn write_title(&self, rng: &mut SplitMix64, title: &mut String) {
        let n = rng.range(4, 9);
        for w in 0..n {
            if w > 0 {
                title.push(' ');
            }
            let u = rng.next_u64() as u32;
            let mut index = self.zipf.sample(u);
            if index < TITLE_SKIP {
                // Titles are made of content words: remap function words to the next band.
                index = TITLE_SKIP + ((u64::from(u) * 300) >> 32) as usize;
            }
            let word = &self.words[index.min(self.words.len() - 1)];
            title.push_str(if w == 0 { &word.cap } else { &word.lower });
        }
    }

    /// Paragraphs of 2–6 sentences of 6–20 words until `text` reaches `target` bytes; planted
    /// terms replace word slots at the rates of `group` (0 state, 1 independent).
    fn write_body(&self, rng: &mut SplitMix64, group: usize, target: usize, text: &mut String) {
        let plant = &self.plant[group];
        loop {
            let sentences = rng.range(2, 6);
            for s in 0..sentences {
                if s > 0 {
                    text.push(' ');
                }
                let n = rng.range(6, 20);
                // Planted terms never open a sentence (a capitalized common noun can look like
                // a name to the analyzer); the other slots take up the first slot's share.
                let threshold = plant.threshold * u64::from(n) / u64::from(n - 1);
                for w in 0..n {
                    if w > 0 {
                        text.push(' ');
                    }
                    let x = rng.next_u64();
                    let (hi, lo) = ((x >> 32) as u32, x as u32);
                    let word = if w > 0 && u64::from(hi) < threshold {
                        let forms = &self.terms[plant.pick.sample(lo)];
                        &forms[rng.below(forms.len() as u32) as usize]
                    } else {
                        &self.words[self.zipf.sample(lo)]
                    };
                    text.push_str(if w == 0 { &word.cap } else { &word.lower });
                    if w > 0 && w + 1 < n && hi & 15 == 0 {
                        text.push(',');
                    }
                }
                text.push('.');
                if text.len() >= target {
                    return;
                }
            }
            text.push_str("\n\n");
        }
    }
}

fn build_vocabulary(
    lang: Lang,
    banned: &HashSet<String>,
    banned_prefixes: &HashSet<String>,
) -> Vec<Word> {
    let common = match lang {
        Lang::Ru => RU_COMMON,
        Lang::Kk => KK_COMMON,
        Lang::En => EN_COMMON,
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut words = Vec::with_capacity(VOCAB_SIZE);
    for w in common.split_whitespace() {
        if !banned.contains(w) && seen.insert(w.to_string()) {
            words.push(Word::new(w));
        }
    }
    let mut rng =
        SplitMix64(0x243F_6A88_85A3_08D3 ^ (lang.index() as u64 + 1).wrapping_mul(0x9E37_79B9));
    let synth = Synth::new(lang);
    let mut attempts = 0;
    let mut buf = String::new();
    while words.len() < VOCAB_SIZE && attempts < 200_000 {
        attempts += 1;
        buf.clear();
        synth.word(&mut rng, &mut buf);
        let letters = buf.chars().count();
        if !(3..=16).contains(&letters) || banned.contains(&buf) {
            continue;
        }
        let prefix: String = buf.chars().take(5).collect();
        if letters >= 5 && banned_prefixes.contains(&prefix) {
            continue;
        }
        if seen.insert(buf.clone()) {
            words.push(Word::new(&buf));
        }
    }
    words
}

/// Sound inventory of one language (or one Kazakh vowel-harmony class) for synthetic words.
struct Phonology {
    onsets: Vec<&'static str>,
    vowels: Vec<&'static str>,
    codas: Vec<&'static str>,
    endings: Vec<&'static str>,
}

impl Phonology {
    /// Each argument lists items separated by spaces; `-` is the empty item.
    fn new(
        onsets: &'static str,
        vowels: &'static str,
        codas: &'static str,
        endings: &'static str,
    ) -> Phonology {
        let items = |list: &'static str| -> Vec<&'static str> {
            list.split_whitespace()
                .map(|item| if item == "-" { "" } else { item })
                .collect()
        };
        Phonology {
            onsets: items(onsets),
            vowels: items(vowels),
            codas: items(codas),
            endings: items(endings),
        }
    }

    /// Syllables of 1 (45 %), 2 (40 %) or 3 (15 %) onset + vowel (+ coda one time in three);
    /// only the first syllable may lack an onset.
    fn push_stem(&self, rng: &mut SplitMix64, out: &mut String) {
        let syllables = match rng.below(20) {
            0..=8 => 1,
            9..=16 => 2,
            _ => 3,
        };
        for s in 0..syllables {
            let mut onset = pick(rng, &self.onsets);
            while s > 0 && onset.is_empty() {
                onset = pick(rng, &self.onsets);
            }
            out.push_str(onset);
            out.push_str(pick(rng, &self.vowels));
            if rng.below(3) == 0 {
                out.push_str(pick(rng, &self.codas));
            }
        }
    }
}

fn pick<'a>(rng: &mut SplitMix64, items: &[&'a str]) -> &'a str {
    items
        .get(rng.below(items.len() as u32) as usize)
        .copied()
        .unwrap_or("")
}

/// Synthetic words of one language: a stem of syllables plus a language-typical ending.
enum Synth {
    Ru(Phonology),
    Kk { back: Phonology, front: Phonology },
    En(Phonology),
}

impl Synth {
    fn new(lang: Lang) -> Synth {
        match lang {
            Lang::Ru => Synth::Ru(Phonology::new(
                "б в г д ж з к л м н п р с т ф х ц ч ш бр вр гр др кр пр тр ст ск сп пл бл гл кл сл зн в н",
                "а о е и у а о е ы я",
                "н р л с т в д м к",
                "ов ами ения ский ская ское ского ной ные ных ать ить ует али ость ство ник ка ки ом \
                 ей ях ение ции ал ый ая ие ого ков",
            )),
            Lang::Kk => Synth::Kk {
                back: Phonology::new(
                    "б д ж з қ ғ л м н п р с т ш - т қ с",
                    "а о ұ ы а",
                    "н ң р л с т з й қ",
                    "лар дың ға да дан мен ы сы ның тың қа лық шы ды лары дағы мыз",
                ),
                front: Phonology::new(
                    "б д ж з к г л м н п р с т ш - т к с",
                    "е ә ө ү і е",
                    "н ң р л с т з й к",
                    "лер дің ге де ден мен і сі нің тің ке лік ші ді лері дегі міз",
                ),
            },
            Lang::En => Synth::En(Phonology::new(
                "b c d f g h l m n p r s t v w br cr dr fr gr pr tr st sp pl bl cl sh ch th -",
                "a e i o u ea ou ai o e",
                "n r l s t m nd st rt ck",
                "tion ing ed er ers ly ment ness al ity ive ous s es ic - -",
            )),
        }
    }

    fn word(&self, rng: &mut SplitMix64, out: &mut String) {
        match self {
            Synth::Ru(ph) => {
                ph.push_stem(rng, out);
                let ending = pick(rng, &ph.endings);
                const VOWELS: [char; 7] = ['а', 'о', 'е', 'и', 'у', 'ы', 'я'];
                if ending.starts_with(VOWELS) && out.ends_with(VOWELS) {
                    out.push_str(pick(rng, &ph.codas));
                }
                out.push_str(ending);
                // Russian spelling: no ы, я, ю after velars and hushers.
                for (from, to) in [
                    ("кы", "ки"),
                    ("гы", "ги"),
                    ("хы", "хи"),
                    ("жы", "жи"),
                    ("шы", "ши"),
                    ("чы", "чи"),
                    ("цы", "ци"),
                    ("жя", "жа"),
                    ("шя", "ша"),
                    ("чя", "ча"),
                    ("кя", "ка"),
                    ("гя", "га"),
                    ("хя", "ха"),
                    ("ця", "ца"),
                ] {
                    if out.contains(from) {
                        *out = out.replace(from, to);
                    }
                }
            }
            Synth::Kk { back, front } => {
                let ph = if rng.below(2) == 0 { back } else { front };
                ph.push_stem(rng, out);
                if rng.below(10) < 7 {
                    out.push_str(pick(rng, &ph.endings));
                }
            }
            Synth::En(ph) => {
                ph.push_stem(rng, out);
                out.push_str(pick(rng, &ph.endings));
            }
        }
    }
}

/// Frequent real words, most frequent (function words) first.
const RU_COMMON: &str = "\
и в не на что с по как это а к из за о от для до он она они мы вы я его её их так же все всё \
уже также был была были было быть будет будут есть который которая которые которых при после \
перед между через под над без около более менее очень только ещё если когда где здесь там \
сейчас сегодня вчера завтра теперь однако но или ни бы ли даже тоже свой своей своих этот эта \
эти этого этой том тех один одна два три пять десять сто тысяч миллионов процентов \
год года лет время день дня недели месяц человек люди людей страна страны государство \
правительство президент министр министерство область области город города район района село \
работа работы вопрос вопросы решение закон закона суд полиция безопасность экономика экономики \
цены цен газ газа топливо нефть бизнес банк деньги тенге образование школа школы \
здравоохранение больница вакцина коронавирус пандемия заседание встреча заявление сообщение \
информация новости программа проект развитие реформа выборы партия депутат депутаты аким \
акимат жители граждане общество ситуация ситуации меры мер поддержка помощь рост уровень \
население компания компании предприятие сотрудники специалисты данные результаты случае \
условиях связи части место право средства площадь улица улицы центр здание совет комиссия \
управление ведомство служба представители руководство глава заместитель председатель \
сказал сказала заявил заявила сообщил сообщила отметил отметила подчеркнул рассказал \
рассказала прошёл прошла состоялся состоялась принял приняли начался начались завершился \
может могут нужно необходимо должны стало стал стала получили получил провели проведут \
планируется продолжается сообщается известно рассматривается обсудили предложил решили \
работают живут находится новый новые новых нового большой большие главный государственный \
местный местных областной городской национальный международный экономический социальный \
общественный крупный первый второй последний последние основные важный важно";

/// Frequent real Kazakh words, most frequent (function words) first.
const KK_COMMON: &str = "\
және мен бен пен да де та те бұл ол осы сол мұнда онда бар жоқ үшін туралы бойынша арқылы \
кейін дейін бірақ әлі енді тағы өте ең барлық көп аз бір екі үш бес он жүз мың миллион пайыз \
бүгін кеше ертең қазір осылай сондай жаңа үлкен кіші жыл жылы күн күні ай айы апта уақыт адам \
адамдар халық ел елде мемлекет мемлекеттік үкімет үкіметі президент министр министрлік \
министрлігі облыс облысы облыстық қала қаласы қалалық аудан ауданы ауыл жұмыс жұмысы мәселе \
мәселесі шешім шешімі заң заңы сот полиция қауіпсіздік экономика экономикасы баға бағасы газ \
жанармай мұнай бизнес банк ақша теңге білім мектеп мектептер денсаулық аурухана вакцина \
коронавирус пандемия жиын отырыс кездесу мәлімдеме хабарлама ақпарат жаңалық жаңалықтар \
бағдарлама жоба даму реформа сайлау партия депутат депутаттар әкім әкімдік тұрғын тұрғындар \
азамат азаматтар қоғам жағдай жағдайы шара шаралар қолдау көмек өсу деңгей халқы компания \
кәсіпорын қызметкерлер мамандар деректер нәтиже нәтижесі орын қаражат көше орталық ғимарат \
кеңес комиссия басқарма қызмет өкілдері басшылығы басшысы орынбасары төрағасы \
деді айтты мәлімдеді хабарлады жариялады өтті келді кетті берді алды жасады көрсетті шықты \
қабылдады ашылды жабылды басталды аяқталды болды болады болып керек қажет тиіс мүмкін жатыр \
отыр келеді береді алады жүр жүргізілді жоспарлануда талқылады ұсынды шешті істейді тұрады \
ұлттық халықаралық экономикалық әлеуметтік қоғамдық ірі бірінші екінші соңғы негізгі маңызды \
жергілікті";

/// Frequent real English words, most frequent (function words) first.
const EN_COMMON: &str = "\
the of and to in a is that for on was with as by it at from said be has have are were will not \
this an which their they he she its but after also more than about over new year years \
government president minister ministry region regional city district people country countries \
week day days time officials police court law security economy economic prices gas fuel oil \
business bank money tenge school schools health hospital vaccine coronavirus pandemic meeting \
statement report reports information news program project development reform election \
elections party deputy deputies mayor residents citizens society situation measures support \
help growth level population company companies workers specialists data results case \
conditions part place funds area street centre building council commission office service \
representatives leadership head chairman says told announced reported noted stressed explained \
held took began ended can could must should would may became received gave made showed opened \
closed started planned continues discussed proposed decided work live located expected \
according including during between under before while since because however still already \
only very most all some other first second last main important local national international \
social public major one two three five ten hundred thousand million percent";

/// The planted terms of one language: forms of each term, dictionary form first.
struct PlantedSet {
    lang: Lang,
    /// Frames favouring state, then frames favouring independent media.
    frames: [&'static [&'static str]; 20],
    /// Entities favouring state, then entities favouring independent media.
    entities: [&'static [&'static str]; 10],
}

/// Expected rates of one planted term.
#[derive(Debug, Clone, Copy)]
struct Rate {
    state_favoured: bool,
    favoured: f64,
    other: f64,
}

impl Rate {
    fn for_group(self, group: usize) -> f64 {
        if (group == 0) == self.state_favoured {
            self.favoured
        } else {
            self.other
        }
    }
}

/// Entity rates by position: both groups name the first state entity (the president) and the
/// fourth independent one (the city) often, with a modest difference.
const STATE_ENTITY_RATES: [(f64, f64); 5] =
    [(3.0, 2.0), (1.5, 0.2), (1.2, 0.3), (1.0, 0.3), (0.8, 0.2)];
const INDEPENDENT_ENTITY_RATES: [(f64, f64); 5] =
    [(1.5, 0.2), (1.4, 0.4), (1.0, 0.2), (2.0, 1.2), (0.8, 0.1)];

impl PlantedSet {
    /// Rates in the order frames, entities (same order as the form lists).
    fn rates(&self) -> Vec<Rate> {
        let frame = |i: usize| Rate {
            state_favoured: i < 10,
            favoured: 1.9 - 0.1 * (i % 10) as f64,
            other: 0.2,
        };
        let entity = |i: usize| {
            let (favoured, other) = if i < 5 {
                STATE_ENTITY_RATES[i]
            } else {
                INDEPENDENT_ENTITY_RATES[i - 5]
            };
            Rate {
                state_favoured: i < 5,
                favoured,
                other,
            }
        };
        (0..20).map(frame).chain((0..10).map(entity)).collect()
    }
}

const PLANTED: [PlantedSet; 3] = [
    PlantedSet {
        lang: Lang::Ru,
        frames: [
            &["террористы", "террористов", "террористами", "террористам"],
            &["бандиты", "бандитов", "бандитами"],
            &["стабильность", "стабильности"],
            &["порядок"],
            &["мародёры", "мародёров", "мародёрами"],
            &["провокаторы", "провокаторов", "провокаторами"],
            &["миротворцы", "миротворцев", "миротворцами"],
            &["единство", "единства", "единству"],
            &["радикалы", "радикалов", "радикалами"],
            &["экстремисты", "экстремистов", "экстремистами"],
            &["протестующие", "протестующих", "протестующим"],
            &["мирные", "мирных", "мирным"],
            &["журналисты", "журналистов", "журналистам"],
            &["задержанные", "задержанных", "задержанным"],
            &["пытки", "пытках"],
            &["цензура", "цензуры", "цензуру"],
            &["митинг", "митинга", "митинги", "митингов"],
            &["требования", "требований", "требованиями"],
            &["отключение", "отключения", "отключением"],
            &["жертвы", "жертв", "жертвами"],
        ],
        entities: [
            &["Токаев", "Токаева", "Токаеву", "Токаевым"],
            &["ОДКБ"],
            &["Акорда", "Акорды", "Акорде"],
            &["КНБ"],
            &["Минобороны"],
            &["Жанаозен", "Жанаозена"],
            &["Назарбаев", "Назарбаева", "Назарбаеву"],
            &["Масимов", "Масимова", "Масимову"],
            &["Алматы"],
            &["Казахтелеком"],
        ],
    },
    PlantedSet {
        lang: Lang::Kk,
        frames: [
            &["лаңкестер", "лаңкестердің", "лаңкестерге"],
            &["қарақшылар", "қарақшылардың", "қарақшыларды"],
            &["тұрақтылық", "тұрақтылықты", "тұрақтылықтың"],
            &["тәртіп", "тәртіпті", "тәртіпке"],
            &["бұзақылар", "бұзақыларды", "бұзақылардың"],
            &["арандатушылар"],
            &["бітімгерлер", "бітімгерлердің", "бітімгерлерге"],
            &["бірлік", "бірлікті"],
            &["радикалдар"],
            &["экстремистер"],
            &["наразылық", "наразылықтар", "наразылыққа"],
            &["бейбіт"],
            &["тілшілер", "тілшілерді", "тілшілердің"],
            &["ұсталғандар", "ұсталғандардың", "ұсталғандарды"],
            &["азаптау"],
            &["цензура"],
            &["шерушілер", "шерушілерді", "шерушілердің"],
            &["талаптар"],
            &["өшіру", "өшірудің"],
            &["құрбандар", "құрбандардың", "құрбандарға"],
        ],
        entities: [
            &["Тоқаев", "Тоқаевтың", "Тоқаевқа", "Тоқаевты"],
            &["ҰҚШҰ"],
            &["Ақорда", "Ақорданың", "Ақордада"],
            &["ҰҚК"],
            &["Мәжіліс", "Мәжілістің"],
            &["Жаңаөзен", "Жаңаөзенде", "Жаңаөзеннің"],
            &["Назарбаев", "Назарбаевтың", "Назарбаевқа"],
            &["Мәсімов", "Мәсімовтің", "Мәсімовке"],
            &["Алматы"],
            &["Қазақтелеком", "Қазақтелекомның", "Қазақтелекомға"],
        ],
    },
    PlantedSet {
        lang: Lang::En,
        frames: [
            &["terrorists", "terrorist"],
            &["bandits", "bandit"],
            &["stability"],
            &["looters", "looter"],
            &["rioters", "rioter"],
            &["provocateurs", "provocateur"],
            &["peacekeepers", "peacekeeping"],
            &["unity"],
            &["radicals", "radical"],
            &["extremists", "extremist"],
            &["protesters", "protester"],
            &["peaceful"],
            &["journalists", "journalist"],
            &["detained"],
            &["torture", "tortured"],
            &["censorship"],
            &["rally", "rallies"],
            &["demands"],
            &["shutdown"],
            &["victims", "victim"],
        ],
        entities: [
            &["Tokayev"],
            &["CSTO"],
            &["Akorda"],
            &["KNB"],
            &["Mazhilis"],
            &["Zhanaozen"],
            &["Nazarbayev"],
            &["Masimov"],
            &["Almaty"],
            &["Kazakhtelecom"],
        ],
    },
];

/// The manifest's list of planted terms: per language, state frames, independent frames,
/// state entities, independent entities.
fn planted_terms() -> Vec<PlantedTerm> {
    let mut terms = Vec::new();
    for set in &PLANTED {
        let forms = set
            .frames
            .iter()
            .map(|f| (f, "frame"))
            .chain(set.entities.iter().map(|f| (f, "entity")));
        for ((forms, kind), rate) in forms.zip(set.rates()) {
            terms.push(PlantedTerm {
                term: forms.first().copied().unwrap_or_default().to_string(),
                lang: set.lang.code().to_string(),
                favours: if rate.state_favoured {
                    "state"
                } else {
                    "independent"
                }
                .to_string(),
                kind: kind.to_string(),
                rate_favoured: rate.favoured,
                rate_other: rate.other,
            });
        }
    }
    terms
}

// ---------------------------------------------------------------------------------------------
// Outlets, dates and lengths

#[derive(Debug, Clone, Copy)]
struct OutletDef {
    key: &'static str,
    /// Size rank: the outlet's share of documents is proportional to 1 / rank.
    rank: u32,
    languages: &'static [Lang],
}

impl OutletDef {
    fn is_state(&self) -> bool {
        self.key.starts_with("state_")
    }

    fn category(&self) -> &'static str {
        if self.is_state() {
            "state"
        } else {
            "independent"
        }
    }

    fn medium(&self) -> &'static str {
        if self.key.contains("_tv_") {
            "broadcast"
        } else {
            "article"
        }
    }

    fn generated(&self) -> GeneratedOutlet {
        GeneratedOutlet {
            key: self.key.to_string(),
            name: outlet_name(self.key).unwrap_or_else(|| self.key.to_string()),
            category: self.category().to_string(),
            medium: self.medium().to_string(),
            languages: self
                .languages
                .iter()
                .map(|l| l.code().to_string())
                .collect(),
        }
    }
}

use Lang::{En, Kk, Ru};

/// 30 invented outlets: state ranks are odd, independent ranks even, so both groups have a
/// prolific outlet and a long tail of small ones.
const OUTLETS: [OutletDef; 30] = [
    outlet_def("state_news_01", 1, &[Ru, Kk]),
    outlet_def("state_tv_01", 3, &[Ru, Kk]),
    outlet_def("state_tv_02", 5, &[Kk, Ru]),
    outlet_def("state_news_02", 7, &[Ru, En]),
    outlet_def("state_news_03", 9, &[Kk]),
    outlet_def("state_tv_03", 11, &[Ru]),
    outlet_def("state_news_04", 13, &[En]),
    outlet_def("state_news_05", 15, &[Ru, Kk]),
    outlet_def("state_news_06", 17, &[Kk]),
    outlet_def("state_tv_04", 19, &[Kk]),
    outlet_def("state_news_07", 21, &[Ru]),
    outlet_def("state_news_08", 23, &[Ru, En]),
    outlet_def("state_news_09", 25, &[Kk]),
    outlet_def("state_news_10", 27, &[Ru]),
    outlet_def("state_news_11", 29, &[En]),
    outlet_def("indep_news_01", 2, &[Ru, En]),
    outlet_def("indep_tv_01", 4, &[Ru, Kk]),
    outlet_def("indep_news_02", 6, &[Ru]),
    outlet_def("indep_news_03", 8, &[Kk, Ru]),
    outlet_def("indep_news_04", 10, &[En]),
    outlet_def("indep_news_05", 12, &[Ru]),
    outlet_def("indep_tv_02", 14, &[Ru]),
    outlet_def("indep_news_06", 16, &[Kk]),
    outlet_def("indep_news_07", 18, &[Ru, En]),
    outlet_def("indep_news_08", 20, &[Ru]),
    outlet_def("indep_news_09", 22, &[Kk]),
    outlet_def("indep_news_10", 24, &[En, Ru]),
    outlet_def("indep_news_11", 26, &[Ru]),
    outlet_def("indep_news_12", 28, &[Kk]),
    outlet_def("indep_news_13", 30, &[Ru]),
];

const fn outlet_def(key: &'static str, rank: u32, languages: &'static [Lang]) -> OutletDef {
    OutletDef {
        key,
        rank,
        languages,
    }
}

/// Latin and Cyrillic name stems of a generated outlet key, and its number.
fn outlet_parts(key: &str) -> Option<(&'static str, &'static str, u32)> {
    let (stems, number) = if let Some(n) = key.strip_prefix("state_news_") {
        (("Memleket Aqparat", "Мемлекет Ақпарат"), n)
    } else if let Some(n) = key.strip_prefix("state_tv_") {
        (("Memleket TV", "Мемлекет ТВ"), n)
    } else if let Some(n) = key.strip_prefix("indep_news_") {
        (("Erkin Pikir", "Еркін Пікір"), n)
    } else if let Some(n) = key.strip_prefix("indep_tv_") {
        (("Erkin Efir", "Еркін Эфир"), n)
    } else {
        return None;
    };
    Some((stems.0, stems.1, number.parse().ok()?))
}

/// Display name of a generated outlet key (`state_tv_03` → `Memleket TV 3`).
fn outlet_name(key: &str) -> Option<String> {
    outlet_parts(key).map(|(latin, _, n)| format!("{latin} {n}"))
}

/// Aliases of a generated outlet key: Cyrillic name and compact Latin name.
fn outlet_aliases(key: &str) -> Vec<String> {
    match outlet_parts(key) {
        Some((latin, cyrillic, n)) => vec![
            format!("{cyrillic} {n}"),
            format!("{}{n}", latin.replace(' ', "")),
        ],
        None => Vec::new(),
    }
}

/// Days from 2021-10-01 to 2022-03-31.
const DAYS: usize = 182;
/// Day indices of the internet blackout, 2022-01-05 … 2022-01-10.
const BLACKOUT_DAYS: std::ops::RangeInclusive<usize> = 96..=101;

fn is_blackout(day: usize) -> bool {
    BLACKOUT_DAYS.contains(&day)
}

/// `YYYY-MM-DD` of every day of the corpus period.
fn day_labels() -> Vec<String> {
    const MONTHS: [(u32, u32, u32); 6] = [
        (2021, 10, 31),
        (2021, 11, 30),
        (2021, 12, 31),
        (2022, 1, 31),
        (2022, 2, 28),
        (2022, 3, 31),
    ];
    MONTHS
        .iter()
        .flat_map(|&(y, m, len)| (1..=len).map(move |d| format!("{y:04}-{m:02}-{d:02}")))
        .collect()
}

/// Appends `{day}T{hh}:{mm}:{ss}+06:00` with a time between 06:00 and 23:59.
fn push_timestamp(out: &mut String, day: &str, rng: &mut SplitMix64) {
    let hour = rng.range(6, 23);
    let minute = rng.below(60);
    let second = rng.below(60);
    out.push_str(day);
    out.push('T');
    for (i, v) in [hour, minute, second].into_iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(char::from(b'0' + (v / 10) as u8));
        out.push(char::from(b'0' + (v % 10) as u8));
    }
    out.push_str("+06:00");
}

/// Which outlet and language a document gets, and on which day it falls.
#[derive(Debug, Clone)]
struct Plan {
    pairs: Vec<(usize, Lang)>,
    normal: Discrete,
    blackout: Discrete,
    day_cum: Vec<f64>,
}

impl Plan {
    fn build() -> io::Result<Plan> {
        let harmonic: f64 = OUTLETS.iter().map(|o| 1.0 / f64::from(o.rank)).sum();
        let mut pairs = Vec::new();
        let mut weights = Vec::new();
        for (i, outlet) in OUTLETS.iter().enumerate() {
            for &lang in outlet.languages {
                pairs.push((i, lang));
                weights.push(1.0);
            }
        }
        // Iterative proportional fitting: outlet shares follow 1/rank exactly, language shares
        // approach 60/25/15 within what the outlets' languages allow.
        let outlet_share = |i: usize| 1.0 / f64::from(OUTLETS[i].rank) / harmonic;
        for round in 0..=200 {
            let mut row = [0.0f64; OUTLETS.len()];
            for (&(o, _), &w) in pairs.iter().zip(&weights) {
                row[o] += w;
            }
            for (&(o, _), w) in pairs.iter().zip(weights.iter_mut()) {
                *w *= outlet_share(o) / row[o];
            }
            if round == 200 {
                break;
            }
            let mut col = [0.0f64; 3];
            for (&(_, l), &w) in pairs.iter().zip(&weights) {
                col[l.index()] += w;
            }
            for (&(_, l), w) in pairs.iter().zip(weights.iter_mut()) {
                *w *= l.share() / col[l.index()];
            }
        }
        let normal = Discrete::new(&weights).ok_or_else(|| internal("outlet weights"))?;
        let is_quiet = |o: usize| !OUTLETS[o].is_state() && OUTLETS[o].medium() == "article";
        let blackout_weights: Vec<f64> = pairs
            .iter()
            .zip(&weights)
            .map(|(&(o, _), &w)| if is_quiet(o) { 0.0 } else { w })
            .collect();
        let active_share: f64 = blackout_weights.iter().sum::<f64>() / weights.iter().sum::<f64>();
        let blackout =
            Discrete::new(&blackout_weights).ok_or_else(|| internal("blackout weights"))?;
        let mut day_cum = Vec::with_capacity(DAYS);
        let mut acc = 0.0;
        for day in 0..DAYS {
            // 2021-10-01 was a Friday: weekday 0 = Monday.
            let weekday = (day + 4) % 7;
            let weekend = if weekday >= 5 { 0.75 } else { 1.0 };
            let event = match day {
                93..=95 => 1.6,                 // 2022-01-02 … 04: protests spread
                96..=101 => 1.4 * active_share, // blackout: active outlets publish 1.4× more
                102..=111 => 1.3,               // 2022-01-11 … 20: aftermath
                _ => 1.0,
            };
            acc += weekend * event;
            day_cum.push(acc);
        }
        Ok(Plan {
            pairs,
            normal,
            blackout,
            day_cum,
        })
    }

    /// The day of document `n` of `docs`: days are assigned in order, in proportion to their
    /// weight. `from` is the day of document `n - 1` (0 for the first).
    fn day_of(&self, n: u64, docs: u64, from: usize) -> usize {
        let total = self.day_cum.last().copied().unwrap_or(0.0);
        let q = (n as f64 + 0.5) / docs.max(1) as f64 * total;
        let mut day = from;
        while day + 1 < self.day_cum.len() && self.day_cum[day] <= q {
            day += 1;
        }
        day
    }

    fn pick(&self, rng: &mut SplitMix64, blackout: bool) -> (usize, Lang) {
        let table = if blackout {
            &self.blackout
        } else {
            &self.normal
        };
        self.pairs[table.sample(rng.next_u64() as u32)]
    }
}

/// Log-normal text lengths around the configured mean.
#[derive(Debug, Clone, Copy)]
struct LengthModel {
    mu: f64,
}

/// Spread (σ of the log) of document lengths.
const LENGTH_SIGMA: f64 = 0.6;
/// Half a sentence: texts stop at the first sentence end past the target.
const OVERSHOOT: f64 = 80.0;
/// Bytes of output buffered before a write to the caller's writer.
const CHUNK_BYTES: usize = 64 * 1024;

impl LengthModel {
    fn new(mean_bytes: usize) -> LengthModel {
        LengthModel {
            mu: (mean_bytes as f64).ln() - LENGTH_SIGMA * LENGTH_SIGMA / 2.0,
        }
    }

    fn sample(&self, rng: &mut SplitMix64) -> usize {
        let u1 = 1.0 - rng.unit();
        let u2 = rng.unit();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let bytes = (self.mu + LENGTH_SIGMA * z).exp() - OVERSHOOT;
        bytes.clamp(MIN_DOC_BYTES as f64, (MAX_DOC_BYTES - 500) as f64) as usize
    }
}

// ---------------------------------------------------------------------------------------------
// Output

/// Per-document strings, reused so that generation allocates nothing per document.
#[derive(Debug, Default)]
struct Scratch {
    id: String,
    url: String,
    published: String,
    title: String,
    text: String,
}

impl Scratch {
    fn clear(&mut self) {
        self.id.clear();
        self.url.clear();
        self.published.clear();
        self.title.clear();
        self.text.clear();
    }
}

const FIELD_NAMES: [&str; 8] = [
    "id",
    "outlet",
    "published",
    "title",
    "text",
    "url",
    "lang",
    "medium",
];

fn push_jsonl_record(buf: &mut Vec<u8>, fields: &[&str; 8]) {
    buf.push(b'{');
    for (i, (name, value)) in FIELD_NAMES.iter().zip(fields).enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.push(b'"');
        buf.extend_from_slice(name.as_bytes());
        buf.extend_from_slice(b"\":");
        push_json_string(buf, value);
    }
    buf.extend_from_slice(b"}\n");
}

/// JSON escape of each byte: 0 = copy as is, `u` = `\u00XX`, else the letter after `\`.
const JSON_ESCAPES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

fn push_json_string(buf: &mut Vec<u8>, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.push(b'"');
    let bytes = value.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = JSON_ESCAPES[usize::from(b)];
        if escape == 0 {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        buf.push(b'\\');
        buf.push(escape);
        if escape == b'u' {
            buf.extend_from_slice(b"00");
            buf.push(HEX[usize::from(b >> 4)]);
            buf.push(HEX[usize::from(b & 15)]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

fn push_csv_record(buf: &mut Vec<u8>, fields: &[&str; 8]) {
    for (i, value) in fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.push(b'"');
        let mut parts = value.split('"');
        if let Some(first) = parts.next() {
            buf.extend_from_slice(first.as_bytes());
        }
        for part in parts {
            buf.extend_from_slice(b"\"\"");
            buf.extend_from_slice(part.as_bytes());
        }
        buf.push(b'"');
    }
    buf.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(docs: u64, seed: u64, format: OutputFormat) -> GenerateConfig {
        GenerateConfig {
            docs,
            seed,
            format,
            ..GenerateConfig::default()
        }
    }

    fn run(config: &GenerateConfig) -> (Vec<u8>, Manifest) {
        let mut out = Vec::new();
        let manifest = generate(config, &mut out).expect("generate");
        (out, manifest)
    }

    #[derive(serde::Deserialize)]
    struct Doc {
        id: String,
        outlet: String,
        published: String,
        title: String,
        text: String,
        url: String,
        lang: String,
        medium: String,
    }

    fn parse_jsonl(out: &[u8]) -> Vec<Doc> {
        std::str::from_utf8(out)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).expect("valid JSON line"))
            .collect()
    }

    fn categories(manifest: &Manifest) -> HashMap<String, String> {
        manifest
            .outlets
            .iter()
            .map(|o| (o.key.clone(), o.category.clone()))
            .collect()
    }

    #[test]
    fn same_config_gives_identical_output_and_manifest() {
        for format in [OutputFormat::Jsonl, OutputFormat::Csv] {
            let (a, ma) = run(&config(400, 7, format));
            let (b, mb) = run(&config(400, 7, format));
            assert_eq!(a, b);
            assert_eq!(ma, mb);
            let (c, _) = run(&config(400, 8, format));
            assert_ne!(a, c, "a different seed gives a different corpus");
        }
        let (small, _) = run(&config(1, 7, OutputFormat::Jsonl));
        assert_eq!(parse_jsonl(&small)[0].id, "g7-0");
    }

    #[test]
    fn manifest_counts_match_lines_written() {
        let (out, manifest) = run(&config(1500, 3, OutputFormat::Jsonl));
        let docs = parse_jsonl(&out);
        assert_eq!(docs.len() as u64, manifest.docs);
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1500);
        assert_eq!(manifest.bytes, out.len() as u64);
        for map in [
            &manifest.by_category,
            &manifest.by_lang,
            &manifest.by_medium,
        ] {
            assert_eq!(map.values().sum::<u64>(), 1500);
        }
        let mut by_lang: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_medium: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_category: BTreeMap<String, u64> = BTreeMap::new();
        let cats = categories(&manifest);
        for (n, doc) in docs.iter().enumerate() {
            assert_eq!(doc.id, format!("g3-{n}"));
            assert_eq!(doc.url, format!("https://{}.example/{n}", doc.outlet));
            *by_lang.entry(doc.lang.clone()).or_default() += 1;
            *by_medium.entry(doc.medium.clone()).or_default() += 1;
            *by_category.entry(cats[&doc.outlet].clone()).or_default() += 1;
        }
        assert_eq!(by_lang, manifest.by_lang);
        assert_eq!(by_medium, manifest.by_medium);
        assert_eq!(by_category, manifest.by_category);
        assert_eq!(manifest.first_day, docs[0].published[..10]);
        assert_eq!(manifest.last_day, docs[docs.len() - 1].published[..10]);
        assert_eq!(manifest.first_day, "2021-10-01");
        assert_eq!(manifest.last_day, "2022-03-31");
    }

    #[test]
    fn csv_parses_back_with_the_same_number_of_records() {
        let (out, manifest) = run(&config(800, 11, OutputFormat::Csv));
        assert!(out.starts_with(b"id,outlet,published,title,text,url,lang,medium\n"));
        assert_eq!(manifest.bytes, out.len() as u64);
        let mut reader = csv::Reader::from_reader(out.as_slice());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            FIELD_NAMES.to_vec()
        );
        let (jsonl, _) = run(&config(800, 11, OutputFormat::Jsonl));
        let docs = parse_jsonl(&jsonl);
        let mut records = 0;
        for (record, doc) in reader.records().zip(&docs) {
            let record = record.expect("valid CSV record");
            assert_eq!(record.len(), 8);
            let fields = [
                &doc.id,
                &doc.outlet,
                &doc.published,
                &doc.title,
                &doc.text,
                &doc.url,
                &doc.lang,
                &doc.medium,
            ];
            for (got, want) in record.iter().zip(fields) {
                assert_eq!(got, want.as_str());
            }
            records += 1;
        }
        assert_eq!(records, manifest.docs);
    }

    #[test]
    fn independent_articles_are_silent_during_the_blackout() {
        let (out, manifest) = run(&config(6000, 5, OutputFormat::Jsonl));
        let cats = categories(&manifest);
        let in_blackout = |d: &Doc| ("2022-01-05".."2022-01-11").contains(&&d.published[..10]);
        let mut per_day: HashMap<String, u64> = HashMap::new();
        let mut active_in_blackout = 0;
        for doc in parse_jsonl(&out) {
            let quiet = cats[&doc.outlet] == "independent" && doc.medium == "article";
            if in_blackout(&doc) {
                assert!(
                    !quiet,
                    "{} published {} during the blackout",
                    doc.outlet, doc.published
                );
                active_in_blackout += 1;
            } else if !quiet {
                *per_day.entry(doc.published[..10].to_string()).or_default() += 1;
            }
        }
        // State and broadcast outlets publish more per day during the blackout than usually.
        let usual = per_day.values().sum::<u64>() as f64 / per_day.len() as f64;
        assert!(
            active_in_blackout as f64 / 6.0 > 1.15 * usual,
            "{active_in_blackout} vs {usual}/day"
        );
        let labels = day_labels();
        assert_eq!(labels.len(), DAYS);
        assert_eq!(labels[*BLACKOUT_DAYS.start()], "2022-01-05");
        assert_eq!(labels[*BLACKOUT_DAYS.end()], "2022-01-10");
    }

    #[test]
    fn planted_terms_are_more_frequent_in_the_favoured_group() {
        let (out, manifest) = run(&config(5000, 9, OutputFormat::Jsonl));
        let cats = categories(&manifest);
        // (lang, group) → words; (lang, form) → term index in manifest.planted.
        let mut words: HashMap<(String, String), u64> = HashMap::new();
        let mut form_of: HashMap<(String, String), usize> = HashMap::new();
        for (i, term) in manifest.planted.iter().enumerate() {
            let forms = planted_forms(&term.term, &term.lang);
            assert!(!forms.is_empty(), "{} has forms", term.term);
            for form in forms {
                form_of.insert((term.lang.clone(), form.to_lowercase()), i);
            }
        }
        let mut hits: HashMap<(usize, String), u64> = HashMap::new();
        for doc in parse_jsonl(&out) {
            let group = cats[&doc.outlet].clone();
            for token in doc.text.split_whitespace() {
                *words.entry((doc.lang.clone(), group.clone())).or_default() += 1;
                let token = token
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if let Some(&i) = form_of.get(&(doc.lang.clone(), token)) {
                    *hits.entry((i, group.clone())).or_default() += 1;
                }
            }
        }
        let rate = |i: usize, group: &str| {
            let lang = &manifest.planted[i].lang;
            let n = words[&(lang.clone(), group.to_string())] as f64;
            hits.get(&(i, group.to_string())).copied().unwrap_or(0) as f64 * 1000.0 / n
        };
        let (mut expected, mut observed) = (0.0, 0.0);
        for (i, term) in manifest.planted.iter().enumerate() {
            let other = if term.favours == "state" {
                "independent"
            } else {
                "state"
            };
            let (fav, oth) = (rate(i, &term.favours), rate(i, other));
            assert!(
                fav > oth * 1.2,
                "{} ({}): favoured {fav:.2} vs other {oth:.2}",
                term.term,
                term.lang
            );
            expected += term.rate_favoured;
            observed += fav;
        }
        let ratio = observed / expected;
        assert!(
            (0.9..1.1).contains(&ratio),
            "observed/expected favoured rate {ratio:.3}"
        );
    }

    #[test]
    fn every_registered_outlet_appears_in_the_documents() {
        let (out, manifest) = run(&config(3000, 1, OutputFormat::Jsonl));
        let seen: HashSet<String> = parse_jsonl(&out).into_iter().map(|d| d.outlet).collect();
        let sources = sources_csv(&manifest);
        let mut reader = csv::Reader::from_reader(sources.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            [
                "outlet",
                "name",
                "category",
                "medium",
                "country",
                "languages",
                "aliases"
            ]
        );
        let mut keys = HashSet::new();
        for record in reader.records() {
            let record = record.unwrap();
            assert!(seen.contains(&record[0]), "{} never publishes", &record[0]);
            assert!(["state", "independent"].contains(&&record[2]));
            assert!(["article", "broadcast"].contains(&&record[3]));
            assert!(!record[6].is_empty());
            keys.insert(record[0].to_string());
        }
        assert_eq!(keys, seen);
        assert_eq!(keys.len(), OUTLETS.len());
        assert_eq!(
            manifest
                .outlets
                .iter()
                .find(|o| o.key == "state_tv_03")
                .unwrap()
                .name,
            "Memleket TV 3"
        );
    }

    /// Counts what it is given and keeps nothing.
    #[derive(Default)]
    struct CountingSink {
        bytes: u64,
        newlines: u64,
        largest_write: usize,
    }

    impl Write for CountingSink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.bytes += buf.len() as u64;
            self.newlines += buf.iter().filter(|&&b| b == b'\n').count() as u64;
            self.largest_write = self.largest_write.max(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn streams_with_bounded_buffers() {
        for format in [OutputFormat::Jsonl, OutputFormat::Csv] {
            let mut sink = CountingSink::default();
            let cfg = GenerateConfig {
                docs: 20_000,
                seed: 2,
                format,
                mean_bytes: MIN_DOC_BYTES,
            };
            let manifest = generate(&cfg, &mut sink).unwrap();
            assert_eq!(manifest.docs, 20_000);
            assert_eq!(manifest.bytes, sink.bytes);
            assert!(sink.newlines >= 20_000, "{} lines", sink.newlines);
            // Output leaves in chunks of bounded size, whatever the number of documents.
            assert!(
                sink.largest_write < CHUNK_BYTES + 2 * MAX_DOC_BYTES,
                "{}",
                sink.largest_write
            );
            assert!(sink.bytes > 20 * CHUNK_BYTES as u64);
        }
    }

    #[test]
    fn rejects_bad_lengths_and_accepts_empty_corpora() {
        for mean_bytes in [0, 1, MIN_DOC_BYTES - 1, MAX_DOC_BYTES + 1, usize::MAX] {
            let cfg = GenerateConfig {
                mean_bytes,
                ..GenerateConfig::default()
            };
            let err = generate(&cfg, &mut Vec::new()).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        }
        let (out, manifest) = run(&config(0, u64::MAX, OutputFormat::Jsonl));
        assert!(out.is_empty());
        assert_eq!((manifest.docs, manifest.bytes), (0, 0));
        assert!(manifest.outlets.is_empty() && manifest.by_lang.is_empty());
        assert_eq!(manifest.first_day, "");
        assert_eq!(manifest.planted.len(), 90);
        let (out, _) = run(&config(0, 0, OutputFormat::Csv));
        assert_eq!(out, b"id,outlet,published,title,text,url,lang,medium\n");
        assert_eq!(
            sources_csv(&manifest),
            "outlet,name,category,medium,country,languages,aliases\n"
        );
        // Extreme seeds and lengths work.
        for mean_bytes in [MIN_DOC_BYTES, MAX_DOC_BYTES] {
            let cfg = GenerateConfig {
                docs: 20,
                seed: u64::MAX,
                format: OutputFormat::Csv,
                mean_bytes,
            };
            assert_eq!(run(&cfg).1.docs, 20);
        }
    }

    #[test]
    fn shape_of_the_corpus() {
        let (out, manifest) = run(&config(4000, 21, OutputFormat::Jsonl));
        let docs = parse_jsonl(&out);
        // Languages ~60/25/15.
        for (lang, share) in [("ru", 0.60), ("kk", 0.25), ("en", 0.15)] {
            let got = manifest.by_lang[lang] as f64 / 4000.0;
            assert!((got - share).abs() < 0.04, "{lang}: {got:.3}");
        }
        // Skewed outlet sizes: the largest outlet dwarfs the median one.
        let mut sizes: HashMap<&str, u64> = HashMap::new();
        for doc in &docs {
            *sizes.entry(&doc.outlet).or_default() += 1;
        }
        let mut counts: Vec<u64> = sizes.values().copied().collect();
        counts.sort_unstable();
        assert!(
            counts[counts.len() - 1] > 5 * counts[counts.len() / 2],
            "{counts:?}"
        );
        // Outlets publish only in their own languages.
        let langs: HashMap<String, Vec<String>> = manifest
            .outlets
            .iter()
            .map(|o| (o.key.clone(), o.languages.clone()))
            .collect();
        let mut total = 0usize;
        for doc in &docs {
            assert!(langs[&doc.outlet].contains(&doc.lang));
            assert!(doc.text.len() >= MIN_DOC_BYTES && doc.text.len() < MAX_DOC_BYTES + 1000);
            total += doc.text.len();
            let title_words = doc.title.split(' ').count();
            assert!((4..=9).contains(&title_words), "{}", doc.title);
            assert!(doc.published.ends_with("+06:00") && doc.published.len() == 25);
            for paragraph in doc.text.split("\n\n") {
                for sentence in paragraph.split_inclusive(". ") {
                    let sentence = sentence.trim_end();
                    assert!(sentence.ends_with('.'), "{sentence:?}");
                    assert!(
                        sentence.chars().next().unwrap().is_uppercase(),
                        "{sentence:?}"
                    );
                    let n = sentence.split(' ').count();
                    assert!((6..=20).contains(&n), "{n} words: {sentence:?}");
                }
            }
            if doc.lang == "kk" {
                assert!(doc
                    .text
                    .contains(['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і']));
            }
        }
        let mean = total as f64 / docs.len() as f64;
        assert!(
            (mean / 3000.0 - 1.0).abs() < 0.1,
            "mean text bytes {mean:.0}"
        );
    }

    #[test]
    fn vocabularies_are_large_and_avoid_planted_forms() {
        for lang in Lang::ALL {
            let model = LangModel::build(lang).unwrap();
            assert_eq!(model.words.len(), VOCAB_SIZE, "{lang:?}");
            let planted: HashSet<String> = model
                .terms
                .iter()
                .flatten()
                .map(|w| w.lower.to_lowercase())
                .collect();
            assert!(model.words.iter().all(|w| !planted.contains(&*w.lower)));
            assert!(model
                .words
                .iter()
                .all(|w| w.lower.chars().all(char::is_alphabetic)));
        }
    }

    #[test]
    fn discrete_sampler_follows_its_weights() {
        assert!(Discrete::new(&[]).is_none());
        assert!(Discrete::new(&[0.0, f64::NAN]).is_none());
        let d = Discrete::new(&[1.0, 0.0, 3.0, 0.0]).unwrap();
        let mut rng = SplitMix64(1);
        let mut counts = [0u32; 4];
        for _ in 0..40_000 {
            counts[d.sample(rng.next_u64() as u32)] += 1;
        }
        assert_eq!((counts[1], counts[3]), (0, 0));
        assert!(
            (counts[2] as f64 / counts[0] as f64 - 3.0).abs() < 0.2,
            "{counts:?}"
        );
        assert_eq!(d.sample(u32::MAX), 2);
        assert_eq!(d.sample(0), 0);
    }
}

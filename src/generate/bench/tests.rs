//! Tests of the benchmark corpus generator.

use std::collections::{HashMap, HashSet};

use super::outlets::DAYS;
use super::output::FIELD_NAMES;
use super::sample::Discrete;
use super::vocab::{PlantedSet, PLANTED, VOCAB_SIZE};
use super::*;

/// Every form (dictionary form first) in which the planted `term` of language `lang` appears in
/// the documents; empty for an unknown term.
fn planted_forms(term: &str, lang: &str) -> Vec<&'static str> {
    PLANTED
        .iter()
        .filter(|set| set.lang.code() == lang)
        .flat_map(PlantedSet::forms)
        .find(|forms| forms[0] == term)
        .unwrap_or_default()
}

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
    let blackout: Vec<usize> = (0..DAYS).filter(|&d| is_blackout(d)).collect();
    assert_eq!(blackout.len(), 6);
    assert_eq!(labels[blackout[0]], "2022-01-05");
    assert_eq!(labels[blackout[5]], "2022-01-10");
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
    let mut rng = SplitMix64::new(1);
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

// regression: outlet languages are written as codes; the 41 (outlet, language) pairs per
// language were counted in the arrays of `Lang` they replaced.
#[test]
fn every_outlet_language_code_reads_as_a_language() {
    let mut per_lang = [0; 3];
    for outlet in &OUTLETS {
        let langs: Vec<Lang> = outlet.languages().collect();
        assert!(!langs.is_empty(), "{}", outlet.key);
        for lang in langs {
            per_lang[lang.index()] += 1;
        }
    }
    assert_eq!(per_lang, [20, 13, 8]);
    assert_eq!(Lang::from_code("de"), None);
}

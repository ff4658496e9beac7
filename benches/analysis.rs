//! Criterion benches of the hot analysis stages: the analyzer per language, word
//! segmentation, term extraction,
//! accumulator merge and keyness over prepared counts.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mediawatch::stats::counts::{TermCounts, TermExtractor, TermMode};
use mediawatch::stats::keyness::{compare, KeynessOptions, Sides};
use mediawatch::text::Analyzer;
use unicode_segmentation::UnicodeSegmentation;

const RU: &str = "Президент Токаев заявил, что порядок в Алматы восстановлен, а миротворцы ОДКБ охраняют стратегические объекты. Мирные протестующие требовали снизить цены на газ, журналисты были задержаны во время отключения интернета. ";
const KK: &str = "Президент Тоқаев Алматыда тәртіп қалпына келтірілгенін мәлімдеді. Жаңаөзендегі наразылық бейбіт өтті, тұрғындар газ бағасының төмендеуін талап етті, тілшілер ұсталды. ";
const EN: &str = "President Tokayev said order had been restored in Almaty while peacekeepers guarded strategic sites. Peaceful protesters demanded lower fuel prices and journalists were detained during the internet shutdown. ";

/// About 3 KB of text in one language.
fn document(sentences: &str) -> String {
    sentences.repeat(3000 / sentences.len() + 1)
}

fn analyzer(c: &mut Criterion) {
    let analyzer = Analyzer::default();
    let mut group = c.benchmark_group("analyzer");
    for (lang, text) in [
        ("ru", document(RU)),
        ("kk", document(KK)),
        ("en", document(EN)),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(lang, |b| {
            b.iter(|| {
                let mut n = 0usize;
                analyzer.for_each_term(black_box(&text), |t| n += t.term.len());
                n
            })
        });
    }
    group.finish();
}

/// The analyzer on words it has not seen: every word analyzed afresh, without the per-thread
/// memo (what the first occurrence of each distinct word costs during an ingest).
fn analyzer_cold(c: &mut Criterion) {
    let analyzer = Analyzer::default();
    let mut group = c.benchmark_group("analyzer_cold");
    for (lang, text) in [("ru", RU), ("kk", KK), ("en", EN)] {
        let words: Vec<&str> = mediawatch::text::words(text).map(|(_, w)| w).collect();
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(lang, |b| {
            b.iter(|| {
                let mut n = 0usize;
                for word in &words {
                    let folded = mediawatch::text::fold_case(black_box(word));
                    n += analyzer.normalize_folded(word, folded).len();
                }
                n
            })
        });
    }
    group.finish();
}

/// Word segmentation: mediawatch's scan against the full Unicode rules on the same text.
fn segmentation(c: &mut Criterion) {
    let mut group = c.benchmark_group("segmentation");
    let text = format!("{}{}{}", document(RU), document(KK), document(EN));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("scan", |b| {
        b.iter(|| mediawatch::segment::words(black_box(&text)).count())
    });
    group.bench_function("unicode_segmentation", |b| {
        b.iter(|| black_box(&text).unicode_word_indices().count())
    });
    group.finish();
}

fn extraction(c: &mut Criterion) {
    let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
    let text = document(RU);
    let mut group = c.benchmark_group("term_extraction");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("ru_unigrams", |b| {
        b.iter(|| extractor.terms(black_box(&text)).len())
    });
    group.finish();
}

fn prepared_counts() -> Vec<TermCounts> {
    let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
    let texts = [document(RU), document(KK), document(EN)];
    (0..8)
        .map(|part| {
            let mut counts = TermCounts::default();
            for i in 0..50u32 {
                let group = if (i + part) % 2 == 0 {
                    "state"
                } else {
                    "independent"
                };
                let mut terms = extractor.terms(&texts[(i % 3) as usize]);
                // Make documents differ so the vocabulary is not tiny.
                terms.push((format!("term{}", i * 31 + part), "x".into()));
                counts.add_document(group, i % 7, terms);
            }
            counts
        })
        .collect()
}

fn merge_and_keyness(c: &mut Criterion) {
    let parts = prepared_counts();
    c.bench_function("accumulator_merge_8x50_docs", |b| {
        b.iter(|| {
            let mut total = TermCounts::default();
            for part in parts.clone() {
                total.merge(part);
            }
            total.groups.len()
        })
    });
    let mut total = TermCounts::default();
    for part in parts {
        total.merge(part);
    }
    let options = KeynessOptions {
        min_freq: 1,
        ..KeynessOptions::default()
    };
    c.bench_function("keyness_over_prepared_counts", |b| {
        b.iter(|| {
            let sides = Sides::new("state", Some("independent"));
            compare(&total, &sides, black_box(&options)).terms.len()
        })
    });
}

fn entity_matching(c: &mut Criterion) {
    use mediawatch::registry::{EntityMatcher, EntityRegistry};
    use mediawatch::stats::counts::OutletNumbers;
    use mediawatch::stats::entities::EntityCounter;
    use mediawatch::stats::scan::Accumulator;

    let csv = "id,type,name,aliases\n\
        tokayev,person,Kassym-Jomart Tokayev,Tokayev|Токаев|Тоқаев|Касым-Жомарт Токаев\n\
        almaty,place,Almaty,Алматы|Алма-Ата\n\
        csto,organisation,CSTO,ОДКБ|ҰҚШҰ|Collective Security Treaty Organization\n\
        zhanaozen,place,Zhanaozen,Жанаозен|Жаңаөзен\n";
    let matcher = EntityMatcher::new(EntityRegistry::from_csv(csv.as_bytes()).expect("registry"));
    let extractor = TermExtractor::new(TermMode::Analyzed, 1, false);
    let outlets = OutletNumbers::new(["tv"]);
    let text = document(RU) + &document(KK) + &document(EN);
    let doc = mediawatch::index::stored::StoredDocument {
        id: "1".into(),
        outlet: "tv".into(),
        category: "state".into(),
        medium: "broadcast".into(),
        lang: "ru".into(),
        declared_lang: None,
        lang_confidence: 1.0,
        published: None,
        day: "2022-01-05".into(),
        title: String::new(),
        text,
        url: None,
        cues: Vec::new(),
        source_file: String::new(),
        source_line: 0,
        ..Default::default()
    };
    let mut group = c.benchmark_group("entity_matching");
    group.throughput(Throughput::Bytes(doc.text.len() as u64));
    group.bench_function("ru_kk_en_9kb", |b| {
        b.iter(|| {
            let mut counter = EntityCounter::new(&matcher, &extractor, &outlets);
            counter.add(black_box(&doc), "state");
            counter.finish().mentions.groups.len()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    analyzer,
    analyzer_cold,
    segmentation,
    extraction,
    merge_and_keyness,
    entity_matching
);
criterion_main!(benches);

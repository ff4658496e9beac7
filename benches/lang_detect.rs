//! Throughput of language detection on whole ~3 KB documents (Russian, Kazakh, English, mixed
//! Kazakh/Russian), built from sentences written for this bench.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mediawatch::lang::{detect, detect_in, paragraph_shares, LangSet};
use std::hint::black_box;

const KK: &[&str] = &[
    "Астанада өткен жиында үкімет мүшелері елдің экономикалық даму жоспарын талқылады.",
    "Облыс әкімі жаңа аурухананың құрылысы келесі жылы аяқталатынын айтты.",
    "Биыл ауыл шаруашылығы өнімдерінің экспорты өткен жылмен салыстырғанда айтарлықтай өсті.",
    "Мектеп оқушылары қала күніне арналған концертке қатысып, өз өнерлерін көрсетті.",
    "Синоптиктердің болжамы бойынша, демалыс күндері елдің солтүстігінде қар жауады.",
    "Ұлттық құраманың бас бапкері жаңа маусымға дайындық туралы журналистерге сұхбат берді.",
    "Тұрғындар жолдың нашар жағдайына шағымданып, жергілікті билікке хат жазды.",
    "Бұл мәселе бойынша министрлік арнайы комиссия құрып, тексеру жұмыстарын бастады.",
];

const RU: &[&str] = &[
    "В столице прошло заседание правительства, на котором обсуждались меры по сдерживанию цен.",
    "По словам министра, строительство новой школы завершится до конца года.",
    "Жители района пожаловались на плохое состояние дорог и отсутствие освещения.",
    "Синоптики предупреждают о сильном ветре и гололедице на трассах в выходные дни.",
    "Национальная сборная проведёт следующий матч на домашнем стадионе в октябре.",
    "Эксперты считают, что рост инфляции замедлится во втором полугодии.",
    "В музее открылась выставка, посвящённая истории кочевой культуры.",
    "Депутаты одобрили законопроект в первом чтении после долгих обсуждений.",
];

const EN: &[&str] = &[
    "The government announced a new plan to reduce air pollution in the capital.",
    "Officials said the bridge would reopen to traffic by the end of the month.",
    "Farmers in the northern regions expect a good harvest after a wet spring.",
    "The central bank left its key interest rate unchanged on Friday.",
    "Thousands of people gathered in the main square to celebrate the holiday.",
    "Local residents complained about rising prices for heating and electricity.",
    "A new museum dedicated to the history of the steppe opened last week.",
    "The minister told reporters that talks with the neighbouring country would continue.",
];

/// About `target` bytes of text: paragraphs of three sentences, separated by blank lines, taking
/// sentences in turn from each of `langs`.
fn document(langs: &[&[&str]], target: usize) -> String {
    let mut out = String::new();
    let mut i = 0usize;
    while out.len() < target {
        let lang = langs[(i / 3) % langs.len()];
        if i.is_multiple_of(3) && i > 0 {
            out.push_str("\n\n");
        } else if i > 0 {
            out.push(' ');
        }
        out.push_str(lang[i % lang.len()]);
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let docs = [
        ("ru", document(&[RU], 3000)),
        ("kk", document(&[KK], 3000)),
        ("en", document(&[EN], 3000)),
        ("kk_ru", document(&[KK, RU], 3000)),
    ];
    let mut group = c.benchmark_group("detect");
    for (name, doc) in &docs {
        group.throughput(Throughput::Bytes(doc.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), doc, |b, d| {
            b.iter(|| detect(black_box(d)))
        });
    }
    group.finish();
    // Restricted to kk, ru, en, as `--languages kk,ru,en` runs it.
    let allowed = LangSet::parse(&["kk", "ru", "en"]).unwrap();
    let mut group = c.benchmark_group("detect_kk_ru_en");
    for (name, doc) in &docs {
        group.throughput(Throughput::Bytes(doc.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), doc, |b, d| {
            b.iter(|| detect_in(black_box(d), Some(&allowed)))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("paragraph_shares");
    for (name, doc) in &docs {
        group.throughput(Throughput::Bytes(doc.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), doc, |b, d| {
            b.iter(|| paragraph_shares(black_box(d)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

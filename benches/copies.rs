//! Throughput of copy detection per core: MinHash signatures of generated documents (the
//! planted set's texts, two joined to ~3 KB like `generate`'s default documents) and LSH
//! clustering of the signatures, on a one-thread pool.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mediawatch::stats::copies::{clusters, planted, signature, CopyRecord};
use std::hint::black_box;

const DOCS: usize = 20_000;

fn texts() -> Vec<String> {
    let docs = planted::generate(7, DOCS / 2, DOCS / 20);
    // Two planted documents per text: about 3 KB, as `generate --mean-bytes 3000`.
    (0..DOCS)
        .map(|i| {
            let (a, b) = (&docs[i % docs.len()], &docs[(i * 7 + 1) % docs.len()]);
            format!("{} {}", a.text, b.text)
        })
        .collect()
}

fn records(texts: &[String]) -> Vec<CopyRecord> {
    let mut scratch = Vec::new();
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| CopyRecord {
            id: format!("{i:08}"),
            outlet: format!("outlet{}", i % 20),
            category: "state".into(),
            group: "state".into(),
            published: None,
            title: String::new(),
            signature: signature::signature("", t, &mut scratch).unwrap(),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!(
        "copies bench: {DOCS} documents, mean {} bytes",
        bytes / DOCS
    );
    let mut group = c.benchmark_group("copies");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DOCS as u64));
    group.bench_function("signatures_one_core", |b| {
        b.iter(|| black_box(records(&texts)))
    });
    let signed = records(&texts);
    group.bench_function("lsh_clusters_one_core", |b| {
        b.iter(|| pool.install(|| black_box(clusters(&signed, 0.8))))
    });
    group.bench_function("signatures_and_clusters_one_core", |b| {
        b.iter(|| pool.install(|| black_box(clusters(&records(&texts), 0.8))))
    });
    group.finish();
    eprintln!(
        "per-document memory while clustering: signature {} bytes + record strings",
        std::mem::size_of::<[u32; signature::SLOTS]>() + std::mem::size_of::<CopyRecord>()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Throughput of copy detection per core, on one thread: what `stats copies` does with each
//! document after the document store has handed it over (word hashing, MinHash signature,
//! the compact record) and the LSH clustering of the signatures. Generated documents: the
//! planted set's texts, about 3.4 KB each, near `generate`'s default 3 KB, copies included.
//! Elements are documents, so criterion's rate is documents per second on one core; reading
//! the stored documents from an index is measured in-run by `benches/pipeline.sh`
//! (`stats copies` at 100k documents, documents per CPU-second).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mediawatch::stats::copies::{clusters, planted, Fields, Record, Records};
use std::hint::black_box;

const DOCS: usize = 20_000;

fn texts() -> Vec<String> {
    let docs = planted::generate(7, DOCS / 3, DOCS / 20);
    (0..DOCS)
        .map(|i| docs[i % docs.len()].text.clone())
        .collect()
}

fn records(texts: &[String]) -> Records {
    let mut scratch = Vec::new();
    let mut records = Records::default();
    for (i, text) in texts.iter().enumerate() {
        let id = format!("{i:08}");
        let outlet = format!("outlet{}", i % 20);
        let fields = Fields {
            record: Record {
                id: &id,
                outlet: &outlet,
                category: "state",
                group: "state",
                published: None,
            },
            title: "",
            text,
        };
        records.add(&fields, &mut scratch);
    }
    records.finish()
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
        "memory of the records: {} bytes per document",
        signed.heap_bytes() / DOCS
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Search latency on an existing index: p50 and p99 of term, phrase and filtered queries,
//! with and without facets and keyword-in-context, in wall time and in CPU time of the process
//! (all its threads), which a busy shared machine inflates far less than wall time.
//!
//! `MEDIAWATCH_BENCH_INDEX=DIR cargo bench --bench search_latency` (benches/pipeline.sh sets it
//! to the 100k-document index it builds). Without the variable it explains itself and exits.

use std::time::Instant;

use mediawatch::search::{
    search, Facet, Filters, KwicOptions, KwicSort, SearchRequest, SortOrder, Subset,
};

fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    let rank = ((sorted_ms.len() as f64 - 1.0) * p).round() as usize;
    sorted_ms[rank.min(sorted_ms.len() - 1)]
}

/// CPU time the process has used so far (every thread), in milliseconds.
fn cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6
}

fn main() {
    let Ok(dir) = std::env::var("MEDIAWATCH_BENCH_INDEX") else {
        eprintln!("search_latency: set MEDIAWATCH_BENCH_INDEX to an index directory (see benches/pipeline.sh)");
        return;
    };
    let index = match mediawatch::index::open(std::path::Path::new(&dir)) {
        Ok(index) => index,
        Err(e) => {
            eprintln!("search_latency: {e}");
            std::process::exit(2);
        }
    };
    let runs: usize = std::env::var("MEDIAWATCH_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let state = Filters {
        categories: vec!["state".into()],
        ..Filters::default()
    };
    let cases: Vec<(&str, SearchRequest)> = vec![
        (
            "term",
            request("журналисты", Filters::default(), false, false),
        ),
        (
            "phrase",
            request("\"в Алматы\"", Filters::default(), false, false),
        ),
        (
            "filtered",
            request("stability", state.clone(), false, false),
        ),
        (
            "term+facets",
            request("журналисты", Filters::default(), true, false),
        ),
        ("filtered+facets", request("stability", state, true, false)),
        (
            "phrase+kwic",
            request("\"the protesters\"", Filters::default(), false, true),
        ),
    ];
    let mut report = Vec::new();
    for (name, req) in cases {
        let mut times = Vec::with_capacity(runs);
        let mut cpu_times = Vec::with_capacity(runs);
        let mut total = 0;
        let kwic_runs = if req.kwic.is_some() {
            runs.min(20)
        } else {
            runs
        };
        for _ in 0..kwic_runs {
            let (start, cpu_start) = (Instant::now(), cpu_ms());
            let result = search(&index, &req).expect("search");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            cpu_times.push(cpu_ms() - cpu_start);
            total = result.total;
        }
        times.sort_by(f64::total_cmp);
        cpu_times.sort_by(f64::total_cmp);
        let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
        let (cpu50, cpu99) = (percentile(&cpu_times, 0.5), percentile(&cpu_times, 0.99));
        println!(
            "{name:>16}: p50 {p50:7.2} ms  p99 {p99:7.2} ms  CPU p50 {cpu50:7.2} ms  p99 {cpu99:7.2} ms  ({total} hits, {} runs)",
            times.len()
        );
        report.push(serde_json::json!({"query": name, "p50_ms": p50, "p99_ms": p99, "cpu_p50_ms": cpu50, "cpu_p99_ms": cpu99, "hits": total, "runs": times.len()}));
    }
    if let Ok(out) = std::env::var("MEDIAWATCH_BENCH_JSON") {
        let _ = std::fs::write(
            out,
            serde_json::to_string_pretty(&report).unwrap_or_default(),
        );
    }
}

fn request(query: &str, filters: Filters, facets: bool, kwic: bool) -> SearchRequest {
    SearchRequest {
        subset: Subset {
            query: query.into(),
            filters,
        },
        limit: 20,
        offset: 0,
        sort: SortOrder::Relevance,
        facets: if facets {
            vec![
                Facet::Outlet,
                Facet::Category,
                Facet::Lang,
                Facet::Medium,
                Facet::Day,
            ]
        } else {
            Vec::new()
        },
        kwic: kwic.then_some(KwicOptions {
            window: 8,
            sort: KwicSort::Document,
        }),
    }
}

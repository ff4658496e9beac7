#!/usr/bin/env bash
# End-to-end pipeline benchmark: generate (cached) → ingest → compare → report → n-grams and the
# Python peer of compare --plain → search latency,
# mediawatch against bare tantivy-cli on the same documents, 1 thread vs 2.
#
#   bash benches/pipeline.sh            # 100k documents
#   DOCS=10000 bash benches/pipeline.sh # smaller
#   INGEST_ONLY=1 RUNS=5 bash benches/pipeline.sh # the ingest block alone
#   BIN=/tmp/mw-old INGEST_ONLY=1 bash benches/pipeline.sh # another build's binary (old vs new;
#                                                           # nothing is built: no wait on cargo's lock)
#
# Results are printed and written to target/bench/pipeline.json.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${DOCS:-100000}
OUT=target/bench
CORPUS=$OUT/corpus-$DOCS
mkdir -p "$OUT"
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
fi
BIN=${BIN:-target/release/mediawatch}
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
  echo "pipeline.sh needs GNU time (apt-get install time)" >&2
  exit 2
fi

if [ ! -f "$CORPUS/docs.jsonl" ]; then
  $BIN generate --docs "$DOCS" --out "$CORPUS"
fi
BYTES=$(stat -c %s "$CORPUS/docs.jsonl")

# run LABEL CMD... : wall seconds and peak RSS (kB) of one command, via GNU time.
run() {
  local label=$1; shift
  "$TIME" -f "%e %M" -o "$OUT/$label.time" "$@" > "$OUT/$label.out" 2> "$OUT/$label.err"
  read -r wall rss < "$OUT/$label.time"
  echo "$wall $rss"
}

# CORES LABEL: the 1-core runs are pinned to one CPU (taskset) so that the reader thread,
# rayon and tantivy's indexing threads really share one core.
pin() { if [ "$1" = 1 ]; then echo "taskset -c 0"; fi; }

# --- ingest (issue 15): mediawatch with 2 threads, with 1 (pinned to one core) and bare
# tantivy-cli (a schema with the same fields, default tokenizer, `-t 2`) on the same NDJSON,
# alternating, RUNS rounds; medians of wall and CPU seconds, largest peak RSS, and the
# throughput ratios of the medians (above 1: mediawatch indexes faster).
RUNS=${RUNS:-3}
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
# summary LABEL: "median-wall median-cpu max-rss-kB" over LABEL-1 … LABEL-RUNS.
summary() {
  python3 - "$OUT" "$1" "$RUNS" <<'PY'
import statistics, sys
out, label, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [open(f"{out}/{label}-{i}.cpu").read().split() for i in range(1, runs + 1)]
wall = statistics.median(float(r[0]) for r in rows)
cpu = statistics.median(float(r[2]) + float(r[3]) for r in rows)
print(round(wall, 2), round(cpu, 2), max(int(r[1]) for r in rows))
PY
}

measure_ingest() { # CORES LABEL: the index stays in $OUT/index-ingestCORES
  rm -rf "$OUT/index-ingest$1"
  RAYON_NUM_THREADS=$1 "$TIME" -f "%e %M %U %S" -o "$OUT/$2.cpu" $(pin "$1") $BIN ingest "$CORPUS/docs.jsonl" \
    --sources "$CORPUS/sources.csv" --index "$OUT/index-ingest$1" --quiet --format json > "$OUT/$2.out" 2> "$OUT/$2.err"
}

TCLI=$OUT/tantivy-cli/bin/tantivy
if [ ! -x "$TCLI" ]; then
  # Not --locked: tantivy-cli's lock file pins traitobject 0.1.0, which current Rust rejects.
  cargo install tantivy-cli --root "$OUT/tantivy-cli" --quiet ||
    echo "pipeline.sh: tantivy-cli did not install; the peer ratio is left out" >&2
fi
measure_tantivy() { # LABEL
  TIDX=$OUT/tantivy-index
  rm -rf "$TIDX"; mkdir -p "$TIDX"
  cat > "$TIDX/meta.json" <<'JSON'
{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[
{"name":"id","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":true}},
{"name":"outlet","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":true}},
{"name":"lang","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":true}},
{"name":"medium","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":true}},
{"name":"published","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":true}},
{"name":"title","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"default"},"stored":true,"fast":false}},
{"name":"text","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"default"},"stored":true,"fast":false}},
{"name":"url","type":"text","options":{"indexing":{"record":"basic","fieldnorms":false,"tokenizer":"raw"},"stored":true,"fast":false}}
],"opstamp":0}
JSON
  "$TIME" -f "%e %M %U %S" -o "$OUT/$1.cpu" "$TCLI" index -i "$TIDX" -t 2 < "$CORPUS/docs.jsonl" > "$OUT/$1.out" 2>&1 || true
}

for i in $(seq "$RUNS"); do
  measure_ingest 2 "ingest2-$i"
  measure_ingest 1 "ingest1-$i"
  if [ -x "$TCLI" ]; then measure_tantivy "tantivy-$i"; fi
done
read -r ingest_wall ingest_cpu ingest_rss < <(summary ingest2)
read -r ingest1_wall ingest1_cpu ingest1_rss < <(summary ingest1)
index_bytes=$(du -sb "$OUT/index-ingest2" | cut -f1)
tantivy_wall=""; tantivy_rss=""; ratio=""; tantivy_cpu=""; cpu_ratio=""
if [ -x "$TCLI" ]; then
  read -r tantivy_wall tantivy_cpu tantivy_rss < <(summary tantivy)
  ratio=$(python3 -c "print(round($tantivy_wall/$ingest_wall, 3))")
  cpu_ratio=$(python3 -c "print(round($tantivy_cpu/$ingest_cpu, 3))")
fi
if [ "${INGEST_ONLY:-0}" = 1 ]; then
  # INGEST_ONLY=1: the ingest block alone (for measuring ingest changes without the rest).
  echo "ingest 2 threads: wall $ingest_wall s, CPU $ingest_cpu s, peak RSS $((ingest_rss / 1024)) MB, index $((index_bytes / 1000000)) MB"
  echo "ingest 1 thread: wall $ingest1_wall s, CPU $ingest1_cpu s, peak RSS $((ingest1_rss / 1024)) MB; 2 over 1 (wall): $(python3 -c "print(round($ingest1_wall/$ingest_wall, 2))")"
  echo "tantivy-cli: wall $tantivy_wall s, CPU $tantivy_cpu s, peak RSS $(( ${tantivy_rss:-0} / 1024 )) MB; ratio wall $ratio, per CPU s $cpu_ratio"
  exit 0
fi
# --- end ingest

read -r compare_wall compare_rss < <(RAYON_NUM_THREADS=2 run compare2 $BIN compare --index "$OUT/index-ingest2" --format json)
read -r compare1_wall compare1_rss < <(RAYON_NUM_THREADS=1 run compare1 taskset -c 0 $BIN compare --index "$OUT/index-ingest2" --format json)


# --- statistics (issue 15; owned by the stats work): compare --plain, n-grams and the Python
# peers of --plain (benches/peer_compare.py: scikit-learn CountVectorizer, a polars query and
# a DuckDB query, each with numpy G², same token rule, raw JSONL), medians of RUNS runs each
# (wall and CPU seconds), ratios within this run. The peers' venv is made once under
# target/peer/.
stat_runs() { # LABEL CMD... : median wall seconds and max peak RSS (kB) over RUNS runs
  local label=$1; shift; local walls=() rss=0 w r
  for i in $(seq "$RUNS"); do
    read -r w r < <(run "$label-$i" "$@"); walls+=("$w"); [ "$r" -gt "$rss" ] && rss=$r
  done
  echo "$(median "${walls[@]}") $rss"
}
cpu_runs() { # LABEL CMD... : median wall seconds, max peak RSS (kB), median CPU seconds over RUNS runs
  local label=$1; shift; local walls=() cpus=() rss=0 w r u s
  for i in $(seq "$RUNS"); do
    "$TIME" -f "%e %M %U %S" -o "$OUT/$label-$i.cpu" "$@" > "$OUT/$label-$i.out" 2> "$OUT/$label-$i.err"
    read -r w r u s < "$OUT/$label-$i.cpu"
    walls+=("$w"); cpus+=("$(python3 -c "print($u + $s)")"); [ "$r" -gt "$rss" ] && rss=$r
  done
  echo "$(median "${walls[@]}") $rss $(median "${cpus[@]}")"
}
PEER=target/peer/venv/bin/python
if [ ! -x "$PEER" ] || ! $PEER -c "import sklearn, polars, duckdb" 2> /dev/null; then
  python3 -m venv target/peer/venv && $PEER -m pip install --quiet scikit-learn numpy polars duckdb || true
fi
read -r unigram_wall unigram_rss unigram_cpu < <(RAYON_NUM_THREADS=2 cpu_runs unigram $BIN compare --index "$OUT/index-ingest2" --format csv --top 20)
read -r plain_wall plain_rss plain_cpu < <(RAYON_NUM_THREADS=2 cpu_runs plain $BIN compare --plain --index "$OUT/index-ingest2" --format csv --top 20)
read -r ngram2_wall ngram2_rss ngram2_cpu < <(RAYON_NUM_THREADS=2 cpu_runs ngram2 $BIN compare --ngram 2 --index "$OUT/index-ingest2" --format csv --top 20)
read -r ngram3_wall ngram3_rss ngram3_cpu < <(RAYON_NUM_THREADS=2 cpu_runs ngram3 $BIN compare --ngram 3 --index "$OUT/index-ingest2" --format csv --top 20)
# peer ENGINE: "median-wall max-rss median-cpu same-top-terms" of one peer engine, empty when
# the venv is missing; same-top-terms compares its top 20 (term, target and reference counts)
# with mediawatch's --plain target rows.
peer() {
  [ -x "$PEER" ] || return 0
  local wall rss cpu same
  read -r wall rss cpu < <(cpu_runs "peer-$1" $PEER benches/peer_compare.py "$CORPUS/docs.jsonl" "$CORPUS/sources.csv" state 20 "$1")
  same=$(python3 - "$OUT/plain-1.out" "$OUT/peer-$1-1.out" <<'PY'
import csv, sys
ours = [(r["term"], r["target_freq"], r["reference_freq"]) for r in csv.DictReader(open(sys.argv[1])) if r["direction"] == "target"]
theirs = [tuple(line.rsplit(",", 3)[:3]) for line in open(sys.argv[2]).read().splitlines()]
print("true" if ours and sorted(ours) == sorted(theirs) else "false")
PY
  )
  echo "$wall $rss $cpu $same"
}
read -r peer_wall peer_rss peer_cpu peer_same < <(peer sklearn)
read -r polars_wall polars_rss polars_cpu polars_same < <(peer polars)
read -r duckdb_wall duckdb_rss duckdb_cpu duckdb_same < <(peer duckdb)
# --- end statistics

# --- report (issue 15: report ≤ 2× compare on the same index; owned by the report work):
# medians of RUNS runs of `report` and of `compare` next to it, the ratio within this run. Run
# from the repository, the report uses the bundled corpus's entity and frame lists (its
# defaults), as a researcher's would.
read -r report_wall report_rss < <(RAYON_NUM_THREADS=2 stat_runs report2 $BIN report --index "$OUT/index-ingest2" --out "$OUT/report" --quiet)
read -r report_compare_wall _ < <(RAYON_NUM_THREADS=2 stat_runs report-compare $BIN compare --index "$OUT/index-ingest2" --format json)
# --- end report

# --- copies (issue 17): `stats copies` over every document of the index on one thread pinned
# to one core, RUNS runs: median wall and CPU seconds (user + system, stored-text reads
# included) and the rate in documents per CPU-second, largest peak RSS.
for i in $(seq "$RUNS"); do
  RAYON_NUM_THREADS=1 "$TIME" -f "%e %M %U %S" -o "$OUT/copies-$i.cpu" taskset -c 0 $BIN stats copies \
    --index "$OUT/index-ingest2" --format json > "$OUT/copies-$i.out" 2> "$OUT/copies-$i.err"
done
read -r copies_wall copies_cpu copies_rss < <(summary copies)
# --- end copies

MEDIAWATCH_BENCH_INDEX="$OUT/index-ingest2" MEDIAWATCH_BENCH_JSON="$OUT/search.json" \
  cargo bench --quiet --bench search_latency | tee "$OUT/search.txt"

python3 - "$OUT" <<PY
import json, sys
out = sys.argv[1]
docs, mb = $DOCS, $BYTES / 1e6
r = {
  "docs": docs, "input_mb": round(mb, 1),
  "ingest": {"threads": 2, "runs": $RUNS, "wall_s": $ingest_wall, "cpu_s": $ingest_cpu, "docs_per_s": round(docs / $ingest_wall), "mb_per_s": round(mb / $ingest_wall, 1), "peak_rss_mb": round($ingest_rss / 1024), "index_mb": round($index_bytes / 1e6, 1)},
  "ingest_1_core": {"wall_s": $ingest1_wall, "cpu_s": $ingest1_cpu, "peak_rss_mb": round($ingest1_rss / 1024)},
  "ingest_speedup_2_over_1": round($ingest1_wall / $ingest_wall, 2),
  "compare": {"threads": 2, "wall_s": $compare_wall, "peak_rss_mb": round($compare_rss / 1024)},
  "compare_1_core": {"wall_s": $compare1_wall},
  "compare_speedup_2_over_1": round($compare1_wall / $compare_wall, 2),
  "report": {"threads": 2, "median_wall_s": $report_wall, "peak_rss_mb": round($report_rss / 1024), "compare_median_wall_s": $report_compare_wall},
  "report_over_compare": round($report_wall / $report_compare_wall, 2),
  "compare_unigram": {"median_wall_s": $unigram_wall, "median_cpu_s": $unigram_cpu, "peak_rss_mb": round($unigram_rss / 1024)},
  "compare_plain": {"median_wall_s": $plain_wall, "median_cpu_s": $plain_cpu, "peak_rss_mb": round($plain_rss / 1024)},
  "compare_ngram2": {"median_wall_s": $ngram2_wall, "median_cpu_s": $ngram2_cpu, "peak_rss_mb": round($ngram2_rss / 1024), "over_unigram_wall": round($ngram2_wall / $unigram_wall, 2), "over_unigram_cpu": round($ngram2_cpu / $unigram_cpu, 2)},
  "compare_ngram3": {"median_wall_s": $ngram3_wall, "median_cpu_s": $ngram3_cpu, "peak_rss_mb": round($ngram3_rss / 1024), "over_unigram_wall": round($ngram3_wall / $unigram_wall, 2), "over_unigram_cpu": round($ngram3_cpu / $unigram_cpu, 2)},
  "peers": {name: None if not wall else {
      "median_wall_s": float(wall), "median_cpu_s": float(cpu), "peak_rss_mb": round(int(rss) / 1024),
      "same_top_terms": same == "true",
      "plain_speedup_wall": round(float(wall) / $plain_wall, 1), "plain_speedup_cpu": round(float(cpu) / $plain_cpu, 1)}
    for name, wall, rss, cpu, same in [
      ("sklearn", "${peer_wall}", "${peer_rss}", "${peer_cpu}", "${peer_same}"),
      ("polars", "${polars_wall}", "${polars_rss}", "${polars_cpu}", "${polars_same}"),
      ("duckdb", "${duckdb_wall}", "${duckdb_rss}", "${duckdb_cpu}", "${duckdb_same}")]},
  "tantivy_cli": {"wall_s": float("${tantivy_wall}" or 0) or None, "cpu_s": float("${tantivy_cpu}" or 0) or None, "peak_rss_mb": round(int("${tantivy_rss}" or 0) / 1024) or None},
  "throughput_ratio_mediawatch_over_tantivy_cli": float("${ratio}") if "${ratio}" else None,
  "cpu_throughput_ratio_mediawatch_over_tantivy_cli": float("${cpu_ratio}") if "${cpu_ratio}" else None,
  "stats_copies_1_core": {"runs": $RUNS, "median_wall_s": $copies_wall, "median_cpu_s": $copies_cpu, "docs_per_cpu_s": round(docs / $copies_cpu), "peak_rss_mb": round($copies_rss / 1024)},
  "search": json.load(open(out + "/search.json")),
}
json.dump(r, open(out + "/pipeline.json", "w"), indent=2)
print(json.dumps(r, indent=2))
PY

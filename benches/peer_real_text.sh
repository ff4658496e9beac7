#!/usr/bin/env bash
# `compare --plain` against the Python peer on text we did not write (issue 15): the sentences of
# the Universal Dependencies Russian (GSD dev, Taiga dev) and Kazakh (KTB train) treebanks in
# ../shared/eval, five sentences a document, GSD as the `state` side, Taiga and KTB as the
# `independent` side. Prints how many of mediawatch's target-side terms the peer counts
# identically and lists the others (they differ by the token rule: mediawatch keeps `3-й`,
# `из-за`, `l'air` and initials such as `В.Г.Губарева` whole; the peer's `\w+` splits them).
#
#   bash benches/peer_real_text.sh [EVAL_DIR]
#
# Needs python3 with scikit-learn and numpy (the install line is in benches/peer_compare.py);
# PEER=/path/to/python picks the interpreter. The UD *test* splits are not read.
set -euo pipefail
cd "$(dirname "$0")/.."

EVAL=${1:-../shared/eval}
PEER=${PEER:-target/peer/venv/bin/python}
OUT=target/bench/real-text
for f in ru_gsd-ud-dev.conllu ru_taiga-ud-dev.conllu kk_ktb-ud-train.conllu; do
  if [ ! -f "$EVAL/$f" ]; then
    echo "skipped: $EVAL/$f not found (pass the eval folder as the first argument)" >&2
    exit 0
  fi
done
if ! "$PEER" -c 'import sklearn, numpy' 2>/dev/null; then
  echo "skipped: $PEER has no scikit-learn/numpy (see benches/peer_compare.py for the install line)" >&2
  exit 0
fi
cargo build --release --quiet
BIN=target/release/mediawatch
rm -rf "$OUT" && mkdir -p "$OUT"

python3 - "$EVAL" "$OUT" <<'EOF'
import json, sys
eval_dir, out = sys.argv[1], sys.argv[2]
specs = [("ru_gsd-ud-dev.conllu", "gsd_wire"), ("ru_taiga-ud-dev.conllu", "taiga_blog"),
         ("kk_ktb-ud-train.conllu", "ktb_kk")]
with open(f"{out}/docs.jsonl", "w", encoding="utf-8") as docs:
    for name, outlet in specs:
        sentences = [line[9:].strip() for line in open(f"{eval_dir}/{name}", encoding="utf-8")
                     if line.startswith("# text = ")]
        for i in range(0, len(sentences), 5):
            n = i // 5
            docs.write(json.dumps({"id": f"{outlet}-{n}", "outlet": outlet,
                                   "published": f"2022-01-{1 + n % 28:02d}T10:00:00+06:00",
                                   "title": "", "text": " ".join(sentences[i:i + 5])},
                                  ensure_ascii=False) + "\n")
with open(f"{out}/sources.csv", "w", encoding="utf-8") as sources:
    sources.write("outlet,name,category,medium,country,languages,aliases\n"
                  "gsd_wire,GSD Wire,state,article,RU,ru,GSD Wire\n"
                  "taiga_blog,Taiga Blog,independent,article,RU,ru,Taiga Blog\n"
                  "ktb_kk,KTB,independent,article,KZ,kk,KTB\n")
EOF

$BIN ingest "$OUT/docs.jsonl" --sources "$OUT/sources.csv" --index "$OUT/index" --quiet > "$OUT/ingest.out"
$BIN compare --index "$OUT/index" --reference independent --plain --format csv --top 300 > "$OUT/mediawatch.csv"
"$PEER" benches/peer_compare.py "$OUT/docs.jsonl" "$OUT/sources.csv" state 100000 > "$OUT/peer.csv"

python3 - "$OUT" <<'EOF'
import csv, sys
out = sys.argv[1]
ours = {r["term"]: (int(r["target_freq"]), int(r["reference_freq"]))
        for r in csv.DictReader(open(f"{out}/mediawatch.csv", encoding="utf-8"))
        if r["direction"] == "target"}
peer = {}
for line in open(f"{out}/peer.csv", encoding="utf-8"):
    term, a, b, _ = line.rstrip("\n").rsplit(",", 3)
    peer[term] = (int(a), int(b))
same = [t for t in ours if peer.get(t) == ours[t]]
print(f"{len(same)} of {len(ours)} target-side terms counted identically by the peer")
for t in sorted(set(ours) - set(same)):
    print(f"  {t}: mediawatch {ours[t]}, peer {peer.get(t)}")
EOF

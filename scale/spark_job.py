#!/usr/bin/env python3
"""mediawatch on Apache Spark: shard ingest and partial statistics across a cluster.

    python scale/spark_job.py --master local[2] --input DIR --sources FILE --shards N \
        --work DIR --out DIR [--by category --target state --reference R --top 30
        --interval day --entity-list FILE --frame-list FILE --periods SPEC]

(or `spark-submit scale/spark_job.py ...` on a cluster, with mediawatch on every worker's
PATH or given by --mediawatch). The input files are dealt round-robin, in sorted order, to N
shards; each Spark task runs `mediawatch ingest` into its shard's index and `mediawatch
partial --report` on it, and returns the partial's path. The driver then runs `mediawatch
compare --partials ...` (OUT/compare.json) and `mediawatch report --partials ...`
(OUT/report/): exactly the comparison and the report data of one index of every document.
Copies come from every document's signature, which the partials carry (`partial --copies`);
example passages from two more Spark stages over the shards (`mediawatch passages`: each
shard's matches of the report's key terms as date-order keys, then, given every shard's
keys, the passages of the documents one index would quote). Without --periods, "What
changed" compares the periods around the gaps of the whole timeline, which the merged
partials give (`report --periods-ask`): the first of those stages also counts every
shard's terms in them (`partial --periods-from`).

A task that fails is retried by Spark (spark.task.maxFailures on a cluster; in local mode,
which ignores that setting, the master local[N] is run as local[N,3] so tasks are retried
there too); a shard that still cannot be built fails the job with the shard's input files
named. Nothing is written to OUT then.
Shards must not share documents: a document in two input files of different shards counts
twice (one index would keep it once).
"""

import argparse
import os
import re
import shutil
import json
import subprocess
import sys
import time


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLED = {
    "entities": os.path.join(REPO, "corpus", "entities.csv"),
    "frames": os.path.join(REPO, "corpus", "frames.csv"),
}


def report_flags(conf):
    """The flags `partial` and `report` share: the report's counts must be made alike."""
    flags = ["--by", conf["by"], "--interval", conf["interval"],
             "--entity-list", conf["entity_list"], "--frame-list", conf["frame_list"]]
    if conf["periods"]:
        flags += ["--periods", conf["periods"]]
    return flags


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    p.add_argument("--input", required=True, help="directory of input files (walked)")
    p.add_argument("--sources", required=True, help="source registry CSV")
    p.add_argument("--shards", type=int, required=True)
    p.add_argument("--work", required=True, help="shard indexes and partials (shared storage on a cluster)")
    p.add_argument("--out", required=True)
    p.add_argument("--mediawatch", default=shutil.which("mediawatch") or "mediawatch")
    p.add_argument("--by", default="category")
    p.add_argument("--target", default="state")
    p.add_argument("--reference", default=None)
    p.add_argument("--top", default="30")
    p.add_argument("--interval", default="day", help="the report's timeline buckets")
    p.add_argument("--entity-list", default=BUNDLED["entities"],
                   help="gazetteer counted for the report (default: the bundled one)")
    p.add_argument("--frame-list", default=BUNDLED["frames"],
                   help="frame dictionary counted for the report (default: the bundled one)")
    p.add_argument("--periods", default=None,
                   help="periods of the report's \"What changed\" (name=FROM..TO,...), counted per shard")
    p.add_argument("--split-lines", action="store_true",
                   help="also cut every .jsonl/.ndjson file into one line-aligned part per shard "
                        "(for a few big files); a part's rejects name its shard's copy")
    return p.parse_args(argv)


TASK_ATTEMPTS = 3


def with_retries(master):
    """Spark's local mode tries a task once unless the master says how often (local[N,F]);
    spark.task.maxFailures only counts on a cluster. local and local[N] get F attempts."""
    if master == "local":
        return f"local[1,{TASK_ATTEMPTS}]"
    found = re.fullmatch(r"local\[(\d+|\*)\]", master or "")
    return f"local[{found.group(1)},{TASK_ATTEMPTS}]" if found else master


def input_files(root):
    """Every regular file under root, sorted (mediawatch skips what is not an input)."""
    found = []
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            if os.path.isfile(path) and not os.path.islink(path):
                found.append(os.path.abspath(path))
    return sorted(found)


def deal(files, shards, split_lines):
    """Files dealt round-robin to shards: shard i gets files i, i+N, i+2N, ... With
    split_lines, each JSON-lines file is instead cut into N byte ranges at line ends, range
    i to shard i. A piece is (path, start, end); (path, None, None) is the whole file."""
    pieces = [[] for _ in range(shards)]
    whole = [f for f in files if not (split_lines and f.endswith((".jsonl", ".ndjson")))]
    for n, path in enumerate(whole):
        pieces[n % shards].append((path, None, None))
    for path in files:
        if path in whole:
            continue
        cuts = line_cuts(path, shards)
        for i in range(shards):
            if cuts[i] < cuts[i + 1]:
                pieces[i].append((path, cuts[i], cuts[i + 1]))
    return [(i, p) for i, p in enumerate(pieces) if p]


def line_cuts(path, parts):
    """Byte offsets 0 = c0 <= c1 <= ... <= cN = size, each just after a newline."""
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as f:
        for i in range(1, parts):
            f.seek(max(size * i // parts, cuts[-1]))
            if f.tell() > 0:
                f.seek(f.tell() - 1)
                f.readline()  # to the end of the line the guess falls in
            cuts.append(min(max(f.tell(), cuts[-1]), size))
    cuts.append(size)
    return cuts


def materialize(pieces, directory):
    """Input paths for mediawatch: whole files as they are, byte ranges copied out."""
    paths = []
    for n, (path, start, end) in enumerate(pieces):
        if start is None:
            paths.append(path)
            continue
        os.makedirs(directory, exist_ok=True)
        part = os.path.join(directory, f"{n:04d}-{os.path.basename(path)}")
        with open(path, "rb") as src, open(part, "wb") as dst:
            src.seek(start)
            left = end - start
            while left > 0:
                chunk = src.read(min(left, 1 << 22))
                if not chunk:
                    break
                dst.write(chunk)
                left -= len(chunk)
        paths.append(part)
    return paths


def describe(pieces):
    return ", ".join(p if s is None else f"{p} bytes {s}-{e}" for p, s, e in pieces)


def build_shard(shard, pieces, conf):
    """One Spark task: ingest the shard's files into a fresh index, write its partial.
    Returns the partial's path and the task's timings (wall-clock seconds since the epoch at
    its start and end, seconds of each mediawatch step) for OUT/timings.json.

    Re-running (a Spark retry) starts the shard over, so a retried task gives the same
    partial. Raises with the shard's files named when mediawatch fails."""
    started = time.time()
    work = conf["work"]
    index = os.path.join(work, f"shard-{shard:04d}")
    partial = os.path.join(work, f"shard-{shard:04d}.parquet")
    shutil.rmtree(index, ignore_errors=True)
    shutil.rmtree(index + ".input", ignore_errors=True)
    files = materialize(pieces, index + ".input")
    steps = [
        [conf["mediawatch"], "ingest", *files, "--index", index, "--sources", conf["sources"],
         "--rejects", index + ".rejects.jsonl", "--duplicates", index + ".duplicates.jsonl"],
        [conf["mediawatch"], "partial", "--index", index, "--report", "--copies", *report_flags(conf),
         "--out", partial],
    ]
    seconds = {}
    for step in steps:
        before = time.time()
        done = subprocess.run(step, capture_output=True, text=True)
        seconds[step[1]] = time.time() - before
        if done.returncode != 0:
            raise RuntimeError(
                f"shard {shard} failed (`{' '.join(step[:2])}` exit {done.returncode}); "
                f"its input files: {describe(pieces)}\n{done.stderr.strip()}"
            )
    return partial, {"shard": shard, "start": started, "end": time.time(), "steps": seconds}


def passages_step(shard, conf, asks, keys):
    """One Spark task of the example passages: the shard's match keys of the report's asks
    (`keys` empty), or its passages given every shard's keys. Returns the file written."""
    index = os.path.join(conf["work"], f"shard-{shard:04d}")
    step = "passages" if keys else "keys"
    out = os.path.join(conf["work"], f"shard-{shard:04d}.{step}.json")
    flags = [flag for k in keys for flag in ("--keys", k)]
    done = subprocess.run(
        [conf["mediawatch"], "passages", "--index", index, "--by", conf["by"], "--asks", asks,
         *flags, "--out", out],
        capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shard {shard}: `mediawatch passages` ({step}) failed: "
                           f"{done.stderr.strip()}")
    return out


def periods_step(shard, conf, periods_ask):
    """One Spark task of "What changed": the shard's term counts in the periods the report
    asked for (`partial --periods-from`). Returns the file written."""
    index = os.path.join(conf["work"], f"shard-{shard:04d}")
    out = os.path.join(conf["work"], f"shard-{shard:04d}.periods.parquet")
    done = subprocess.run(
        [conf["mediawatch"], "partial", "--index", index, "--by", conf["by"],
         "--periods-from", periods_ask, "--out", out],
        capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shard {shard}: `mediawatch partial --periods-from` failed: "
                           f"{done.stderr.strip()}")
    return out


def timings(began, ready, collected, merged, tasks):
    """Where the time went: JVM and session start, the Spark stage against the tasks'
    own span and their mediawatch steps, the driver's merge."""
    steps = sum(sum(t["steps"].values()) for t in tasks)
    inside = sum(t["end"] - t["start"] for t in tasks)
    span = max(t["end"] for t in tasks) - min(t["start"] for t in tasks)
    return {
        "session_start_s": ready - began,
        "stage_s": collected - ready,
        "tasks_span_s": span,
        "task_seconds_total": inside,
        "mediawatch_seconds_total": steps,
        "python_overhead_per_task_s": (inside - steps) / len(tasks),
        "scheduling_s": (collected - ready) - span,
        "merge_s": merged - collected,
        "total_s": merged - began,
        "tasks": sorted(tasks, key=lambda t: t["shard"]),
    }


def main(argv):
    args = parse_args(argv)
    began = time.time()
    from pyspark.sql import SparkSession  # imported late: --help works without pyspark

    builder = SparkSession.builder.appName("mediawatch")
    if args.master:
        builder = builder.master(with_retries(args.master))
    spark = builder.config("spark.task.maxFailures", str(TASK_ATTEMPTS)).getOrCreate()
    ready = time.time()
    try:
        files = input_files(args.input)
        if not files:
            sys.exit(f"error: no input files under {args.input}")
        os.makedirs(args.work, exist_ok=True)
        conf = {
            "work": os.path.abspath(args.work),
            "mediawatch": args.mediawatch,
            "sources": os.path.abspath(args.sources),
            "by": args.by,
            "interval": args.interval,
            "entity_list": os.path.abspath(args.entity_list),
            "frame_list": os.path.abspath(args.frame_list),
            "periods": args.periods,
        }
        shards = deal(files, args.shards, args.split_lines)
        built = (
            spark.sparkContext.parallelize(shards, len(shards))
            .map(lambda shard: build_shard(shard[0], shard[1], conf))
            .collect()
        )
        collected = time.time()
        partials = []
        for partial, _ in sorted(built):
            partials += ["--partials", partial]
        sides = ["--target", args.target, "--top", args.top]
        if args.reference:
            sides += ["--reference", args.reference]
        # The example passages' queries, known once the partials are merged; then every
        # shard's keys and passages (two more stages), for the report below.
        asks = os.path.join(conf["work"], "passage-asks.json")
        periods_ask = os.path.join(conf["work"], "periods-ask.txt")
        draft = [args.mediawatch, "report", *report_flags(conf), *sides, *partials,
                 "--out", os.path.join(conf["work"], "report-draft"), "--quiet",
                 "--passage-asks", asks, "--periods-ask", periods_ask]
        done = subprocess.run(draft, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"error: the report from the partials failed: {done.stderr.strip()}")
        numbers = [shard for shard, _ in shards]
        # Empty when "What changed" needs no more counts (--periods given, or no gap).
        with open(periods_ask, encoding="utf-8") as f:
            ask_periods = bool(f.read().strip())

        def first_round(shard):
            keys = passages_step(shard, conf, asks, [])
            return keys, periods_step(shard, conf, periods_ask) if ask_periods else None

        firsts = (spark.sparkContext.parallelize(numbers, len(numbers))
                  .map(first_round).collect())
        keys = [k for k, _ in firsts]
        period_partials = [flag for _, p in firsts if p for flag in ("--period-partials", p)]
        answers = (spark.sparkContext.parallelize(numbers, len(numbers))
                   .map(lambda shard: passages_step(shard, conf, asks, keys)).collect())
        passages = [flag for a in answers for flag in ("--passages", a)]
        passages_done = time.time()
    except Exception as error:  # a Spark job failure carries the task's error text
        sys.exit(f"error: the Spark job failed: {error}")
    finally:
        spark.stop()
    os.makedirs(args.out, exist_ok=True)
    compare = [args.mediawatch, "compare", "--format", "json", "--by", args.by, *sides, *partials]
    done = subprocess.run(compare, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"error: merging the partials failed: {done.stderr.strip()}")
    with open(os.path.join(args.out, "compare.json"), "w", encoding="utf-8") as out:
        out.write(done.stdout)
    report = [args.mediawatch, "report", *report_flags(conf), *sides, *partials, *passages,
              *period_partials, "--out", os.path.join(args.out, "report"), "--quiet"]
    done = subprocess.run(report, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"error: the report from the partials failed: {done.stderr.strip()}")
    spent = timings(began, ready, collected, time.time(), [t for _, t in built])
    spent["passages_s"] = passages_done - collected
    with open(os.path.join(args.out, "timings.json"), "w", encoding="utf-8") as out:
        json.dump(spent, out, indent=1)
    print(os.path.join(args.out, "compare.json"))


if __name__ == "__main__":
    main(sys.argv[1:])

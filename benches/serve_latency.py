#!/usr/bin/env python3
"""Speed of `mediawatch serve` pages: a small HTTP client loop, bounded in count and time.

    python3 benches/serve_latency.py [--index index] [--count 20] [--seconds 120] [--query террористы]

Starts `target/release/mediawatch serve --port 0` on the index, requests each page `--count`
times (one warm-up first) against 127.0.0.1, stops early when `--seconds` run out, and prints
per page the server time of the first request and the median and p95 of the next ones' server time (the `Server-Timing` header: from the request
reaching the router to the response being ready) and of the client's wall time.
"""

import argparse
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default="index")
    ap.add_argument("--bin", default="target/release/mediawatch")
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120.0)
    ap.add_argument("--query", default="террористы")
    args = ap.parse_args()
    q = urllib.parse.quote(args.query)
    pages = {
        "start": "/",
        "search": f"/search?q={q}",
        "search-all": "/search",
        "kwic": f"/kwic?q={q}",
        "kwic-left": f"/kwic?q={q}&sort=left",
        "doc": None,
        "compare": "/compare",
        # A new `top` each time: never a cached result (the statistics pages cache per URL).
        "compare-new": "/compare?top={i}",
        # A new selection each time (an outlet that does not exist left out: every document
        # still counted): the term counts are recounted too.
        "compare-recount": "/compare?exclude-outlet=none{i}",
        "timeline": f"/timeline?q={q}",
        "timeline-new": f"/timeline?q={q}&min-gap={{i}}",
        "export-csv": f"/export?view=search&format=csv&q={q}",
    }
    proc = subprocess.Popen([args.bin, "serve", "--index", args.index, "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        base = re.fullmatch(r"listening on (http://\S+)/\n", proc.stdout.readline()).group(1)
        search = urllib.request.urlopen(base + pages["search"]).read().decode()
        pages["doc"] = re.search(r'class="doc-link" href="([^"]+)"', search).group(1).replace("&amp;", "&")
        deadline = time.monotonic() + args.seconds
        print(f"{'page':<12} {'n':>3} {'first':>6} {'server median':>14} {'server p95':>11} {'wall median':>12} {'wall p95':>9}  (ms)")
        for name, path in pages.items():
            with urllib.request.urlopen(base + path.replace("{i}", "1")) as r:  # first request
                r.read()
                first = float(re.search(r"dur=([\d.]+)", r.headers.get("Server-Timing", "")).group(1))
            server, wall = [], []
            for i in range(args.count):
                if time.monotonic() > deadline:
                    break
                t0 = time.perf_counter()
                with urllib.request.urlopen(base + path.replace("{i}", str(i + 2))) as r:
                    r.read()
                    timing = r.headers.get("Server-Timing", "")
                wall.append((time.perf_counter() - t0) * 1000)
                server.append(float(re.search(r"dur=([\d.]+)", timing).group(1)))
            if server:
                print(f"{name:<12} {len(server):>3} {first:>6.1f} {statistics.median(server):>14.1f} {p95(server):>11.1f} {statistics.median(wall):>12.1f} {p95(wall):>9.1f}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

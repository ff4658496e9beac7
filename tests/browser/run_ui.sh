#!/usr/bin/env bash
# Real-browser tests of `mediawatch serve`: pytest + Playwright (pinned in requirements.txt,
# installed from PyPI into target/browser-venv on first use) driving Debian's chromium — no
# browser download — against `mediawatch serve --port 0` on an index of the bundled corpus.
#
#   tests/browser/run_ui.sh [INDEX, default index/ (the main job's)]
#
# Writes target/ui-search.png (the README's screenshot) and target/ui-download.csv.
# Skips with a message when chromium is not installed (CI has it).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
index=${1:-index}
bin="$root/target/release/mediawatch"
venv="$root/target/browser-venv"
req="$root/tests/browser/requirements.txt"

[ -x "$bin" ] || cargo build --release --quiet
[ -f "$index/meta.json" ] || { echo "run_ui: no index at $index (run \`cargo run --release -- run\` first)" >&2; exit 1; }

chromium=""
for c in /usr/lib/chromium/chromium "$(command -v chromium || true)" "$(command -v chromium-browser || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then chromium=$c; break; fi
done
if [ -z "$chromium" ]; then
    echo "run_ui: SKIPPED — chromium is not installed (Debian/Ubuntu: apt-get install -y chromium)" >&2
    exit 0
fi

# The venv is rebuilt when the pinned versions change.
stamp="$venv/.requirements"
if ! cmp -s "$req" "$stamp" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
fi

mkdir -p "$root/target"
export MEDIAWATCH_BIN="$bin" MEDIAWATCH_INDEX="$index" MEDIAWATCH_OUT="$root/target" CHROMIUM="$chromium"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
timeout 300 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/browser/test_ui.py"

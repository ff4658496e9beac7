#!/usr/bin/env bash
# Browser check of a mediawatch report: a report.html in; exit 0 when headless Chromium
# renders it with every chart and no console error, and a screenshot in target/report.png.
#
#   tests/browser/check_report.sh [report/report.html] [expected number of <svg> charts, default 3] [chart id ...]
#
# Uses Debian's `chromium`. When it is missing the script installs it with apt-get if running
# as root, and otherwise fails and says how to install it.
set -euo pipefail

report=${1:-report/report.html}
expected_charts=${2:-3}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out_dir="$root/target"
png="$out_dir/report.png"
dom="$out_dir/report.dom.html"
log="$out_dir/report.console.log"

fail() { echo "check_report: $*" >&2; exit 1; }

[ -f "$report" ] || fail "no report at $report (run \`mediawatch run\` or \`mediawatch report\` first)"
report_abs="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"

browser=""
for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then browser=$name; break; fi
done
if [ -z "$browser" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "check_report: chromium not found; installing it with apt-get" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
            || fail "apt-get install chromium failed"
        browser=chromium
    else
        fail "chromium is not installed; install it (Debian/Ubuntu: sudo apt-get install -y chromium) and rerun"
    fi
fi

mkdir -p "$out_dir"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --disable-default-apps --disable-extensions --mute-audio
       --user-data-dir="$profile" --enable-logging=stderr --v=0)

# 1. The DOM after rendering, with the console on stderr.
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$report_abs" >"$dom" 2>"$log" \
    || fail "chromium --dump-dom failed (see $log)"

# 2. A full-page screenshot.
rm -f "$png"
timeout 120 "$browser" "${flags[@]}" --hide-scrollbars --window-size=1280,4000 \
    --screenshot="$png" "file://$report_abs" >>"$log" 2>&1 \
    || fail "chromium --screenshot failed (see $log)"
[ -s "$png" ] || fail "no screenshot written to $png (see $log)"

charts=$(grep -o '<svg' "$dom" | wc -l)
[ "$charts" -ge "$expected_charts" ] \
    || fail "expected at least $expected_charts <svg> charts in the rendered DOM, found $charts"
for id in chart-timeline chart-keyness chart-language; do
    grep -q "id=\"$id\"" "$dom" || fail "chart #$id missing from the rendered DOM"
done
# The sections of issue 17: copies and talking points, what changed, attention (each renders,
# with its heading); extra chart ids required by the caller (e.g. chart-attention for a report
# with a query) come as further arguments.
for id in copies change attention; do
    grep -q "<section id=\"$id\">" "$dom" || fail "section #$id missing from the rendered DOM"
done
for id in "${@:3}"; do
    grep -q "id=\"$id\"" "$dom" || fail "chart #$id missing from the rendered DOM"
done
if grep -E 'Uncaught|:CONSOLE|Refused to|Content Security Policy|Failed to load resource' "$log" >&2; then
    fail "console errors while rendering $report (full log: $log)"
fi
grep -q '<script' "$dom" && fail "the rendered DOM contains a <script> element"

echo "check_report: $report renders: $charts charts, no console errors; screenshot $png"

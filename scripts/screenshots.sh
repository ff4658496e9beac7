#!/usr/bin/env bash
# Regenerates the README's terminal screenshots. Each block between
#   <!-- screenshot: ARGS -->   and   <!-- /screenshot -->
# becomes "$ mediawatch ARGS" and that command's standard output, run at COLUMNS=100 in a
# scratch directory beside a link to the bundled corpus (blocks run in order: put the main
# job, `run`, first). tests/terminal.rs fails when a block is stale or wider than 100
# columns. Usage: scripts/screenshots.sh (from anywhere; rewrites README.md in place).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/mediawatch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$root/corpus" "$work/corpus"
# The width of the screenshots; one indexing thread, as the goldens, for a stable index size.
export COLUMNS=100 RAYON_NUM_THREADS=1
new="$work/README.md"
skipping=0
while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == '<!-- /screenshot -->' ]]; then
        skipping=0
    fi
    if ((skipping)); then
        continue
    fi
    printf '%s\n' "$line" >>"$new"
    if [[ $line =~ ^'<!-- screenshot: '(.*)' -->'$ ]]; then
        args=${BASH_REMATCH[1]}
        eval "set -- $args"
        {
            printf '```text\n$ mediawatch %s\n' "$args"
            (cd "$work" && "$bin" "$@" 2>/dev/null)
            printf '```\n'
        } >>"$new"
        skipping=1
    fi
done <"$root/README.md"
cp "$new" "$root/README.md"
echo "README.md screenshots regenerated at COLUMNS=$COLUMNS"

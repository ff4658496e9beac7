#!/usr/bin/env bash
# The Spark job for real: installs pyspark (scale/requirements.txt) into a venv under
# target/, builds mediawatch, and runs the Spark integration tests (local[2]): a generated
# 20k-document corpus in 4 shards, OUT/compare.json equal to single-index compare; a task
# failing on its first attempt is retried; a shard that cannot be built fails the job naming
# its input files.
#   bash scale/test.sh            # needs Java 17+ and PyPI (or PYSPARK_TARBALL=path)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/scale-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import pyspark' 2>/dev/null; then
  "$venv/bin/pip" install -q "${PYSPARK_TARBALL:--r scale/requirements.txt}"
fi
MEDIAWATCH_SPARK_PYTHON="$PWD/$venv/bin/python" \
  cargo test --release --test tests scale::spark -- --ignored --nocapture

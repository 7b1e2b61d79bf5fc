#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 300) on nightly, with the committed corpus.
#   fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-300}
for target in toml_files csv_reader plan_folder; do
    echo "== $target ($seconds s)"
    cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=1024 -max_len=65536 2>&1 | grep -E "INITED|DONE|Done|ERROR|panicked|SUMMARY" | tail -4
done

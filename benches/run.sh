#!/usr/bin/env bash
# Benchmark of issue 6: `plan` against a plain `ByteRecord` pass over the same files, in the
# same run. Builds in release mode, generates a plan with a fixed seed into a temporary
# folder, runs every command RUNS times and prints the median wall time, the ratio to the
# baseline and the peak memory (maximum resident set size, from /usr/bin/time).
#
#   benches/run.sh                       # 1 000 000 ledger rows, 10 000 000 respondent rows, 5 runs, seed 6
#   LEDGER_ROWS=200000 RESPONDENT_ROWS=0 RUNS=3 SEED=42 benches/run.sh   # ledger only
#
# Ratios, not absolute times, are the result: they hold from machine to machine, and they
# are measured back to back so that a busy machine slows both sides alike.
set -euo pipefail
cd "$(dirname "$0")/.."

LEDGER_ROWS=${LEDGER_ROWS:-1000000}
RESPONDENT_ROWS=${RESPONDENT_ROWS:-10000000}
RUNS=${RUNS:-5}
SEED=${SEED:-6}
GEN_FLAGS=${GEN_FLAGS:-}
AS_OF=2030-01-01

command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
cargo build --release --quiet --bin plan --example gen --example baseline
PLAN=target/release/plan
BASE=target/release/examples/baseline

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# shellcheck disable=SC2086
target/release/examples/gen --out "$WORK/plan" --ledger-rows "$LEDGER_ROWS" \
  --respondent-rows "$RESPONDENT_ROWS" --seed "$SEED" $GEN_FLAGS
LEDGER="$WORK/plan/ledger.csv"
SURVEY="$WORK/plan/surveys/respondenter.csv"
echo "plan: $LEDGER_ROWS ledger rows, $(du -m "$LEDGER" | cut -f1) MB; $RESPONDENT_ROWS respondent rows$( [ -f "$SURVEY" ] && echo ", $(du -m "$SURVEY" | cut -f1) MB"); seed $SEED, $RUNS runs, $(nproc) cores"
cat "$LEDGER" >/dev/null # into the page cache
[ -f "$SURVEY" ] && cat "$SURVEY" >/dev/null

# measure NAME CMD…: prints "median_seconds peak_kib" for RUNS runs (peak: the largest).
measure() {
  local times=() peak=0
  for _ in $(seq "$RUNS"); do
    local t0 t1 rss
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >/dev/null 2>"$WORK/err" || {
      local rc=$?; [ $rc -le 1 ] || { echo "failed ($rc): $*" >&2; cat "$WORK/err" >&2; exit 1; }; }
    t1=$(date +%s%N)
    rss=$(tail -1 "$WORK/rss")
    times+=("$(( (t1 - t0) / 1000 ))")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $peak"
}

row() { # name median_us peak_kib baseline_us
  awk -v n="$1" -v m="$2" -v p="$3" -v b="$4" \
    'BEGIN { printf "%-34s %9.3f s  %6.2f×  %7.1f MiB\n", n, m/1e6, (b>0 ? m/b : 0), p/1024 }'
}

load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }

printf '%-34s %11s  %7s  %11s\n' command median ratio "peak RSS"
load
read -r base_us base_kib < <(measure "$BASE" ledger "$LEDGER")
row "baseline: ByteRecord ledger pass" "$base_us" "$base_kib" "$base_us"
for cmd in "budget" "budget --by month"; do
  # shellcheck disable=SC2086
  read -r us kib < <(measure "$PLAN" --plan "$WORK/plan" --as-of $AS_OF $cmd)
  row "plan $cmd" "$us" "$kib" "$base_us"
done
budget_us=$us
base_both=$base_us
if [ -f "$SURVEY" ]; then
  load
  read -r sbase_us sbase_kib < <(measure "$BASE" respondents "$SURVEY")
  row "baseline: ByteRecord survey pass" "$sbase_us" "$sbase_kib" "$sbase_us"
  for cmd in "scores" "export scores --by unit"; do
    # shellcheck disable=SC2086
    read -r us kib < <(measure "$PLAN" --plan "$WORK/plan" --as-of $AS_OF $cmd)
    row "plan $cmd" "$us" "$kib" "$sbase_us"
  done
  base_both=$((base_us + sbase_us))
  echo "(plan check and status below: ratio to the sum of both baselines; plan budget --by month + plan scores --by unit export = $(awk -v a="$budget_us" -v b="$us" 'BEGIN { printf "%.3f s", (a+b)/1e6 }'))"
fi
load
for cmd in "check" "status"; do
  # shellcheck disable=SC2086
  read -r us kib < <(measure "$PLAN" --plan "$WORK/plan" --as-of $AS_OF $cmd)
  row "plan $cmd" "$us" "$kib" "$base_both"
done
read -r start_us start_kib < <(measure "$PLAN" --version)
row "process start-up (plan --version)" "$start_us" "$start_kib" "$start_us"
read -r us kib < <(measure "$PLAN" --plan examples/fjordby --as-of 2022-06-30 status)
row "plan status (examples/fjordby)" "$us" "$kib" "$start_us"

#!/usr/bin/env bash
# Benchmark of issues 6, 11 and 19: `plan` against the fastest plain, single-threaded pass over
# the same files that reads every field of every record, as `plan` must to check them
# (`baseline ledger-csv`: the `csv` crate's `ByteRecord`, budgets interned in a foldhash map,
# dates and amounts parsed from the bytes: the yardstick issue 19 describes), in the same run,
# on every shape of ledger the generator knows (examples/gen.rs). A pass that splits each line
# by hand only up to the last column it needs (`baseline ledger`: it never looks at a ref,
# unit or note) is timed beside it, as a row of its own with its ratio to the yardstick:
#
#   ours         the project's own generator: 8 money budgets, a grant per ~16 rows, notes from a list
#   independent  the independent plan of issue 11: 10 money budgets, ~36 000 grants each with its
#                own ref (ANS-2013-00083), 860 000 expenses naming them, 100 000 hours rows,
#                notes mostly unique (a few quoted)
#   few-refs     ours, with three refs per budget
#   grants       the held-out ledger of issue 19: 8 money budgets of ~112 000 rows and an hours
#                budget of 100 000, ~36 000 grants each with its own ref and note, every expense
#                naming its grant's ref and repeating its note, interleaved; 1 095 dates
#   grants-excel grants, every note holding a comma and so quoted, as Excel writes it
#   danish       independent, written as Danish Excel saves it: `;`, 45.000,50, DD-MM-YYYY,
#                CRLF, Windows-1252
#
# and long respondent files: one file for `ours`, the same number of rows over three files
# (three waves) for `independent`.
#
# For `plan budget --by month` (ledger) and `plan scores` (respondent files), each run times,
# alternately, the plain pass and `plan`: wall time, CPU time (user + sys of the process and
# its threads, from getrusage via bash's `times`), and wall time on one core (`taskset -c 0`).
# It prints the medians, each as a ratio to the plain pass's, the peak resident memory
# (maximum over the runs, from GNU time) and the load average, as a markdown table.
#
#   benches/run.sh                                   # 1 M ledger rows, 10 M respondent rows, 7 runs, seed 6
#   SHAPES="ours danish" RESPONDENT_ROWS=0 RUNS=3 benches/run.sh   # two shapes, ledger only
#   BEFORE=/tmp/plan-old benches/run.sh              # also time an older binary, in the same runs
#
# Environment: SHAPES, LEDGER_ROWS, RESPONDENT_ROWS, RESPONDENT_FILES (of `independent`),
# RUNS, SEED, PLAN (the binary; default: built here), BEFORE (an older binary to compare).
# Ratios, not absolute times, are the result: they are measured back to back, so that a busy
# machine slows both sides alike; still, read them with the load average beside them.
set -euo pipefail
cd "$(dirname "$0")/.."

SHAPES=${SHAPES:-ours independent few-refs danish grants grants-excel}
LEDGER_ROWS=${LEDGER_ROWS:-1000000}
RESPONDENT_ROWS=${RESPONDENT_ROWS:-10000000}
RESPONDENT_FILES=${RESPONDENT_FILES:-3}
RUNS=${RUNS:-7}
SEED=${SEED:-6}
BEFORE=${BEFORE:-}
AS_OF=2030-01-01

command -v taskset >/dev/null || { echo "needs taskset (util-linux)" >&2; exit 2; }
# shellcheck source=benches/common.sh
. benches/common.sh

# compare SHAPE COMMAND BASELINE-ARGS -- PLAN-ARGS: RUNS alternating runs of the plain pass,
# `plan` (and the BEFORE binary), each also on one core; prints the table's rows.
compare() {
  local shape=$1 name=$2; shift 2
  local base_args=() plan_args=()
  while [ "$1" != "--" ]; do base_args+=("$1"); shift; done
  shift; plan_args=("$@")
  local l0; l0=$(load)
  local sides=(base csv plan); [ -n "$BEFORE" ] && sides+=(before)
  for side in "${sides[@]}"; do : >"$WORK/$side.wall"; : >"$WORK/$side.cpu"; : >"$WORK/$side.one"; echo 0 >"$WORK/$side.rss"; done
  for _ in $(seq "$RUNS"); do
    for side in "${sides[@]}"; do
      local cmd
      case $side in
        base) cmd=("$BASE" "${base_args[0]}-csv" "${base_args[@]:1}") ;;
        csv) cmd=("$BASE" "${base_args[@]}") ;;
        plan) cmd=("$PLAN" "${plan_args[@]}") ;;
        before) cmd=("$BEFORE" "${plan_args[@]}") ;;
      esac
      read -r wall cpu rss < <(once "${cmd[@]}")
      echo "$wall" >>"$WORK/$side.wall"; echo "$cpu" >>"$WORK/$side.cpu"
      [ "$rss" -gt "$(cat "$WORK/$side.rss")" ] && echo "$rss" >"$WORK/$side.rss"
      read -r wall _ _ < <(once taskset -c 0 "${cmd[@]}")
      echo "$wall" >>"$WORK/$side.one"
    done
  done
  local l1; l1=$(load)
  local bw bc bo
  bw=$(median <"$WORK/base.wall"); bc=$(median <"$WORK/base.cpu"); bo=$(median <"$WORK/base.one")
  for side in "${sides[@]}"; do
    local label
    case $side in
      base) label="plain pass" ;;
      csv) label="plain pass, needed columns only" ;;
      plan) label="\`plan $name\`" ;;
      before) label="\`plan $name\` (before)" ;;
    esac
    awk -v s="$shape" -v n="$label" -v w="$(median <"$WORK/$side.wall")" -v c="$(median <"$WORK/$side.cpu")" \
        -v o="$(median <"$WORK/$side.one")" -v r="$(cat "$WORK/$side.rss")" -v bw="$bw" -v bc="$bc" -v bo="$bo" \
        -v l="$l0–$l1" 'BEGIN {
      printf "| %s | %s | %.3f s | %.2f× | %.3f s | %.2f× | %.3f s | %.2f× | %.1f MiB | %s |\n",
        s, n, w/1e6, w/bw, c/1e6, c/bc, o/1e6, o/bo, r/1024, l }'
  done
}

echo "$LEDGER_ROWS ledger rows, $RESPONDENT_ROWS respondent rows; seed $SEED, $RUNS runs (medians), $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| shape | command | wall | ratio | CPU | ratio | wall, 1 core | ratio | peak RSS | load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for shape in $SHAPES; do
  dir="$WORK/$shape"
  flags=(--ledger-rows "$LEDGER_ROWS" --seed "$SEED")
  case $shape in
    ours) flags+=(--respondent-rows "$RESPONDENT_ROWS") ;;
    independent) flags+=(--shape independent --respondent-rows "$RESPONDENT_ROWS" --respondent-files "$RESPONDENT_FILES") ;;
    few-refs) flags+=(--shape few-refs) ;;
    danish) flags+=(--shape independent --danish) ;;
    grants) flags+=(--shape grants) ;;
    grants-excel) flags+=(--shape grants-excel) ;;
    *) echo "unknown shape $shape" >&2; exit 2 ;;
  esac
  "$GEN" --out "$dir" "${flags[@]}"
  cat "$dir/ledger.csv" >/dev/null # into the page cache
  compare "$shape" "budget --by month" ledger "$dir/ledger.csv" -- \
    --plan "$dir" --as-of $AS_OF budget --by month
  if [ -d "$dir/surveys" ]; then
    surveys=("$dir"/surveys/*.csv)
    cat "${surveys[@]}" >/dev/null
    compare "$shape" "scores" respondents "${surveys[@]}" -- --plan "$dir" --as-of $AS_OF scores
  fi
  rm -rf "$dir"
done

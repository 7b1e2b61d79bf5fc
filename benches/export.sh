#!/usr/bin/env bash
# Benchmark of issue 19, "every export streams": on each generated shape (examples/gen.rs),
#
#   - `plan export ledger` (CSV and JSON) against the plain pass (examples/baseline.rs
#     `ledger-csv`, the yardstick of benches/run.sh), alternating, in the same run: wall, CPU (user + sys) and their ratios, and
#     the peak resident memory (GNU time);
#   - with MORE=1, also `plan export ledger --format xlsx`, `plan export all` (xlsx) and the
#     ledger export of a portfolio whose one member is the shape's plan (CSV);
#   - `plan export ledger | head -n 2`: its wall time (it must end early);
#   - `plan survey add` of a ~200 MB respondent file (SURVEY_ROWS rows): wall, CPU, peak RSS.
#
# Prints a markdown table with the load average before–after each line.
#
#   benches/export.sh                                   # 1 M ledger rows, 5 runs, every shape
#   SHAPES=ours RUNS=3 benches/export.sh
#   BEFORE=/tmp/plan-old benches/export.sh              # also an older binary, same runs
#   MORE=1 SHAPES=ours SURVEY_ROWS=0 benches/export.sh  # also xlsx, export all, portfolio
#
# Environment: SHAPES, LEDGER_ROWS, SURVEY_ROWS (0: no survey add), RUNS, SEED, PLAN (the
# binary; default: built here), BEFORE (an older binary), MORE (1: the other exports).
set -euo pipefail
cd "$(dirname "$0")/.."

SHAPES=${SHAPES:-ours independent few-refs danish grants grants-excel}
LEDGER_ROWS=${LEDGER_ROWS:-1000000}
SURVEY_ROWS=${SURVEY_ROWS:-6000000}
RUNS=${RUNS:-5}
SEED=${SEED:-6}
BEFORE=${BEFORE:-}
MORE=${MORE:-}
AS_OF=2030-01-01

# shellcheck source=benches/common.sh
. benches/common.sh

row() { # shape label wall_us cpu_us rss_kib base_wall base_cpu load
  awk -v s="$1" -v n="$2" -v w="$3" -v c="$4" -v r="$5" -v bw="$6" -v bc="$7" -v l="$8" 'BEGIN {
    rw = bw > 0 ? sprintf("%.2f×", w/bw) : "–"; rc = bc > 0 ? sprintf("%.2f×", c/bc) : "–"
    printf "| %s | %s | %.3f s | %s | %.3f s | %s | %.1f MiB | %s |\n", s, n, w/1e6, rw, c/1e6, rc, r/1024, l }'
}

# compare SHAPE DIR: the plain pass, `plan export ledger` as CSV and JSON (and BEFORE's).
compare() {
  local shape=$1 dir=$2 l0 l1
  l0=$(load)
  local sides=(base csv json); [ -n "$BEFORE" ] && sides+=(before-csv before-json)
  if [ "$MORE" = 1 ]; then
    # A portfolio of one member, the shape's plan.
    mkdir -p "$WORK/pf/p"; ln -sfn "$dir" "$WORK/pf/p/a"
    printf 'format = 1\ntitle = "T"\norganisation = "T"\nmembers = ["p/*"]\n' >"$WORK/pf/portfolio.toml"
    sides+=(xlsx all portfolio); [ -n "$BEFORE" ] && sides+=(before-xlsx before-all before-portfolio)
  fi
  for side in "${sides[@]}"; do : >"$WORK/$side.wall"; : >"$WORK/$side.cpu"; echo 0 >"$WORK/$side.rss"; done
  for _ in $(seq "$RUNS"); do
    for side in "${sides[@]}"; do
      local cmd
      case $side in
        base) cmd=("$BASE" ledger-csv "$dir/ledger.csv") ;;
        csv) cmd=("$PLAN" --plan "$dir" --as-of $AS_OF export ledger) ;;
        json) cmd=("$PLAN" --plan "$dir" --as-of $AS_OF --format json export ledger) ;;
        before-csv) cmd=("$BEFORE" --plan "$dir" --as-of $AS_OF export ledger) ;;
        before-json) cmd=("$BEFORE" --plan "$dir" --as-of $AS_OF --format json export ledger) ;;
        xlsx | before-xlsx) cmd=("$PLAN" --plan "$dir" --as-of $AS_OF --format xlsx export ledger) ;;
        all | before-all) cmd=("$PLAN" --plan "$dir" --as-of $AS_OF --format xlsx export all) ;;
        portfolio | before-portfolio) cmd=("$PLAN" --plan "$WORK/pf" --as-of $AS_OF export ledger) ;;
      esac
      [ "${side#before-}" != "$side" ] && cmd[0]=$BEFORE
      read -r wall cpu rss < <(once "${cmd[@]}")
      echo "$wall" >>"$WORK/$side.wall"; echo "$cpu" >>"$WORK/$side.cpu"
      [ "$rss" -gt "$(cat "$WORK/$side.rss")" ] && echo "$rss" >"$WORK/$side.rss"
    done
  done
  l1=$(load)
  local bw bc
  bw=$(median <"$WORK/base.wall"); bc=$(median <"$WORK/base.cpu")
  for side in "${sides[@]}"; do
    local label
    case $side in
      base) label="plain pass" ;;
      csv) label="\`export ledger\`" ;;
      json) label="\`export ledger\` json" ;;
      before-csv) label="\`export ledger\` (before)" ;;
      before-json) label="\`export ledger\` json (before)" ;;
      xlsx) label="\`export ledger\` xlsx" ;;
      all) label="\`export all\` (xlsx)" ;;
      portfolio) label="portfolio \`export ledger\`" ;;
      before-xlsx) label="\`export ledger\` xlsx (before)" ;;
      before-all) label="\`export all\` (xlsx) (before)" ;;
      before-portfolio) label="portfolio \`export ledger\` (before)" ;;
    esac
    row "$shape" "$label" "$(median <"$WORK/$side.wall")" "$(median <"$WORK/$side.cpu")" \
      "$(cat "$WORK/$side.rss")" "$bw" "$bc" "$l0–$l1"
  done
  # `| head -n 2`: the wall time until the pipeline ends (median), for each binary.
  local bins=("$PLAN"); [ -n "$BEFORE" ] && bins+=("$BEFORE")
  for bin in "${bins[@]}"; do
    : >"$WORK/head"
    l0=$(load)
    for _ in $(seq "$RUNS"); do
      local t0 t1
      t0=$(date +%s%N)
      "$bin" --plan "$dir" --as-of $AS_OF export ledger 2>/dev/null | head -n 2 >/dev/null
      t1=$(date +%s%N)
      echo $(( (t1 - t0) / 1000 )) >>"$WORK/head"
    done
    local label="\`export ledger \\| head -n 2\`"; [ "$bin" = "$PLAN" ] || label="$label (before)"
    row "$shape" "$label" "$(median <"$WORK/head")" 0 0 "$bw" 0 "$l0–$(load)"
  done
}

# survey_add: `plan survey add` of a generated respondent file of SURVEY_ROWS rows.
survey_add() {
  local dir="$WORK/survey"
  "$GEN" --out "$dir" --ledger-rows 1000 --respondent-rows "$SURVEY_ROWS" --seed "$SEED" >/dev/null
  mv "$dir/surveys/respondenter.csv" "$WORK/respondenter.csv"
  # The plan without the [[survey]] that declares it: survey add declares it again.
  awk '/^\[\[survey\]\]/ {skip = 4} skip > 0 {skip--; next} {print}' "$dir/plan.toml" >"$WORK/plan.toml"
  cp "$WORK/plan.toml" "$dir/plan.toml"
  local size; size=$(du -m "$WORK/respondenter.csv" | cut -f1)
  local bins=("$PLAN"); [ -n "$BEFORE" ] && bins+=("$BEFORE")
  for bin in "${bins[@]}"; do
    : >"$WORK/sa.wall"; : >"$WORK/sa.cpu"; echo 0 >"$WORK/sa.rss"
    local l0; l0=$(load)
    for _ in $(seq "$RUNS"); do
      cp "$WORK/plan.toml" "$dir/plan.toml"; rm -f "$dir/surveys/respondenter.csv"
      read -r wall cpu rss < <(once "$bin" --plan "$dir" survey add "$WORK/respondenter.csv" --wave 2024 --date 2024-11-15)
      echo "$wall" >>"$WORK/sa.wall"; echo "$cpu" >>"$WORK/sa.cpu"
      [ "$rss" -gt "$(cat "$WORK/sa.rss")" ] && echo "$rss" >"$WORK/sa.rss"
    done
    local label="\`survey add\` ${size} MB"; [ "$bin" = "$PLAN" ] || label="$label (before)"
    row "respondents" "$label" "$(median <"$WORK/sa.wall")" "$(median <"$WORK/sa.cpu")" \
      "$(cat "$WORK/sa.rss")" 0 0 "$l0–$(load)"
  done
  rm -rf "$dir" "$WORK/respondenter.csv"
}

echo "$LEDGER_ROWS ledger rows; seed $SEED, $RUNS runs (medians; peak RSS: maximum), $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| shape | command | wall | ratio | CPU | ratio | peak RSS | load |"
echo "|---|---|---|---|---|---|---|---|"
for shape in $SHAPES; do
  dir="$WORK/$shape"
  flags=(--ledger-rows "$LEDGER_ROWS" --seed "$SEED")
  case $shape in
    ours) ;;
    independent) flags+=(--shape independent) ;;
    few-refs) flags+=(--shape few-refs) ;;
    danish) flags+=(--shape independent --danish) ;;
    grants) flags+=(--shape grants) ;;
    grants-excel) flags+=(--shape grants-excel) ;;
    *) echo "unknown shape $shape" >&2; exit 2 ;;
  esac
  "$GEN" --out "$dir" "${flags[@]}" >/dev/null
  cat "$dir/ledger.csv" >/dev/null # into the page cache
  compare "$shape" "$dir"
  rm -rf "$dir"
done
[ "$SURVEY_ROWS" -gt 0 ] && survey_add
exit 0

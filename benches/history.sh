#!/usr/bin/env bash
# Benchmark of issue 12 (SPEC 10.5): reading the plan's history against what git itself costs
# on the same repository, in the same run. Builds in release mode, generates a history with
# `examples/gen_history.rs` piped into `git fast-import` (1,000 first-parent commits over three
# years, 50 initiatives, each commit touching one to three files, a ledger growing by appended
# rows to 20,000 rows), then times, RUNS times each:
#
#   plan log                        against  git log -p --first-parent -- plan/   (target ≤ 1.0×)
#   plan diff FIRST LAST            against  plan check on HEAD                    (target ≤ 2.5×)
#   plan --rev HEAD~500 status      against  plan status in a checkout of HEAD~500 (target ≤ 1.5×)
#   plan --rev HEAD~750 log         (250 commits: its peak memory is read against plan log's over
#                                    1,000; its ratios are, like plan log's, to git log -p)
#
# and prints for each the median wall time, the median CPU time (user + sys), the peak memory
# (maximum resident set size) and the ratios of wall and CPU time to the command it is held
# against. The machine's load average is printed before each section: on a shared machine the
# ratios, measured back to back, are the result, not the absolute times.
#
#   benches/history.sh                                   # 1,000 commits, 5 runs, seed 12
#   COMMITS=2000 LEDGER_ROWS=40000 RUNS=3 benches/history.sh
#   LOG=0 benches/history.sh                             # without the plan log rows
#
# HEAD~500 and HEAD~750 are HEAD~(COMMITS/2) and HEAD~(3·COMMITS/4) for another COMMITS.
set -euo pipefail
cd "$(dirname "$0")/.."

COMMITS=${COMMITS:-1000}
INITIATIVES=${INITIATIVES:-50}
LEDGER_ROWS=${LEDGER_ROWS:-20000}
RUNS=${RUNS:-5}
SEED=${SEED:-12}
LOG=${LOG:-1}
AS_OF=2024-01-01
HALF=$((COMMITS / 2))
QUARTER=$((COMMITS * 3 / 4))

command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
cargo build --release --quiet --bin plan --example gen_history
PLAN=$PWD/target/release/plan

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
REPO=$WORK/repo
git init -q -b main "$REPO"
t0=$(date +%s)
target/release/examples/gen_history --commits "$COMMITS" --initiatives "$INITIATIVES" \
  --ledger-rows "$LEDGER_ROWS" --seed "$SEED" | git -C "$REPO" fast-import --quiet
git -C "$REPO" checkout -q main
git -C "$REPO" gc -q
echo "history: $COMMITS commits, $INITIATIVES initiatives, $(($(wc -l <"$REPO/plan/ledger.csv") - 1)) ledger rows at HEAD; generated and imported in $(($(date +%s) - t0)) s; seed $SEED, $RUNS runs, $(nproc) cores"
FIRST=$(git -C "$REPO" rev-list --max-parents=0 HEAD)
OLD=$WORK/old
git -C "$REPO" worktree add -q --detach "$OLD" "HEAD~$HALF"

# measure CMD…: prints "median_wall_us median_cpu_us peak_kib" over RUNS runs (peak: the largest).
measure() {
  local walls=() cpus=() peak=0
  for _ in $(seq "$RUNS"); do
    local t0 t1 user sys rss
    t0=$(date +%s%N)
    /usr/bin/time -f "%U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || {
      local rc=$?; [ $rc -le 1 ] || { echo "failed ($rc): $*" >&2; cat "$WORK/err" >&2; exit 1; }; }
    t1=$(date +%s%N)
    read -r user sys rss < <(tail -1 "$WORK/time")
    walls+=("$(( (t1 - t0) / 1000 ))")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1e6 }')")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  local median='{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | awk "$median") $(printf '%s\n' "${cpus[@]}" | sort -n | awk "$median") $peak"
}

# row NAME WALL CPU KIB [BASE_WALL BASE_CPU]
row() {
  awk -v n="$1" -v w="$2" -v c="$3" -v p="$4" -v bw="${5:-0}" -v bc="${6:-0}" 'BEGIN {
    printf "%-44s %8.3f s %8.3f s %8.1f MiB", n, w/1e6, c/1e6, p/1024
    if (bw > 0) printf "   %5.2f×  %5.2f×", w/bw, (bc > 0 ? c/bc : 0)
    printf "\n" }'
}

load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }

printf '%-44s %10s %10s %12s   %6s  %6s\n' command wall cpu "peak RSS" "wall×" "cpu×"

if [ "$LOG" != 0 ]; then
  load
  read -r gw gc gk < <(cd "$REPO" && measure git log -p --first-parent -- plan/)
  row "git log -p --first-parent -- plan/" "$gw" "$gc" "$gk"
  read -r w c k < <(cd "$REPO" && measure "$PLAN" --as-of $AS_OF log)
  row "plan log                (target ≤ 1.0×)" "$w" "$c" "$k" "$gw" "$gc"
  read -r w c k < <(cd "$REPO" && measure "$PLAN" --as-of $AS_OF --rev "HEAD~$QUARTER" log)
  row "plan --rev HEAD~$QUARTER log ($((COMMITS - QUARTER)) commits)" "$w" "$c" "$k" "$gw" "$gc"
fi

load
read -r cw cc ck < <(cd "$REPO" && measure "$PLAN" --as-of $AS_OF check)
row "plan check (HEAD, work tree)" "$cw" "$cc" "$ck"
read -r w c k < <(cd "$REPO" && measure "$PLAN" --as-of $AS_OF diff "$FIRST" HEAD)
row "plan diff FIRST HEAD    (target ≤ 2.5×)" "$w" "$c" "$k" "$cw" "$cc"

load
read -r sw sc sk < <(cd "$OLD" && measure "$PLAN" --as-of $AS_OF status)
row "plan status (checkout of HEAD~$HALF)" "$sw" "$sc" "$sk"
read -r w c k < <(cd "$REPO" && measure "$PLAN" --as-of $AS_OF --rev "HEAD~$HALF" status)
row "plan --rev HEAD~$HALF status (target ≤ 1.5×)" "$w" "$c" "$k" "$sw" "$sc"
load

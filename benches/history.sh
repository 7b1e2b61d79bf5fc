#!/usr/bin/env bash
# Benchmark of issues 12 and 19 (SPEC 10.5): reading the plan's history against what git itself
# costs on the same repository, in the same run. Builds in release mode, then for every shape in
# SHAPES and every length in COMMITS generates a history with `examples/gen_history.rs --shape`
# piped into `git fast-import` (first-parent commits over three years, 50 initiatives):
#
#   mixed    each commit touches one to three files (ledger rows appended every other commit,
#            to LEDGER_ROWS rows at HEAD; an update; a milestone done or moved; a budget amount)
#   appends  each commit appends an update to one or two initiative files, sometimes moves a
#            milestone's due date or marks it done; every fifth commit appends 100 ledger rows
#            (issue 19's held-out history)
#   small    each commit changes one initiative file (an update appended or its summary
#            changed); every 200th commit appends 20 ledger rows
#
# and times, RUNS times each, alternating the command and what it is held against:
#
#   plan log                        against  git log -p --first-parent -- plan/   (target ≤ 1.0×)
#   plan diff FIRST HEAD            against  plan check on HEAD                    (target ≤ 2.5×)
#   plan --rev HEAD~N status        against  plan status in a checkout of HEAD~N   (target ≤ 1.5×)
#                                   (N = COMMITS/2)
#
# and prints for each the median wall time, the median CPU time (user + sys: the figure the
# targets are read in; the short commands are timed SHORT_REPEAT runs at a time, default 10,
# so that a sample lies well above the clock's grain, and so is the log when one `git log`
# takes under 0.2 s: the times shown are then of that many runs), the peak memory (maximum resident set size) and the ratios of wall and
# CPU time to the command it is held against. The machine's load average is printed before each
# pair: on a shared machine the ratios, measured back to back, are the result, not the absolute
# times. `ONE_CORE=1` runs everything under `taskset -c 0` (the targets hold on one core too).
#
#   benches/history.sh                                   # every shape, 1,000 and 10,000 commits, 5 runs
#   SHAPES=appends COMMITS=1000 RUNS=3 benches/history.sh
#   SHAPES=mixed COMMITS=2000 LEDGER_ROWS=40000 benches/history.sh
#   PLAN=/tmp/plan-before benches/history.sh             # another binary of plan (before/after)
set -euo pipefail
cd "$(dirname "$0")/.."

SHAPES=${SHAPES:-mixed appends small}
COMMITS=${COMMITS:-1000 10000}
INITIATIVES=${INITIATIVES:-50}
LEDGER_ROWS=${LEDGER_ROWS:-20000}
RUNS=${RUNS:-5}
SHORT_REPEAT=${SHORT_REPEAT:-10}
SEED=${SEED:-12}
ONE_CORE=${ONE_CORE:-0}
AS_OF=2024-01-01

# shellcheck source=benches/common.sh
. benches/common.sh
cargo build --release --quiet --example gen_history
GEN_HISTORY=$PWD/target/release/examples/gen_history
PIN=()
[ "$ONE_CORE" = 0 ] || PIN=(taskset -c 0)

# row NAME WALL CPU KIB [BASE_WALL BASE_CPU]
row() {
  awk -v n="$1" -v w="$2" -v c="$3" -v p="$4" -v bw="${5:-0}" -v bc="${6:-0}" 'BEGIN {
    printf "%-46s %8.3f s %8.3f s %8.1f MiB", n, w/1e6, c/1e6, p/1024
    if (bw > 0) printf "   %5.2f×  %5.2f×", w/bw, (bc > 0 ? c/bc : 0)
    printf "\n" }'
}

# pair DIR_A NAME_A DIR_B NAME_B :: CMD_A… :: CMD_B…: RUNS alternating runs of A (the base)
# and B, then a row for each with medians; B's ratios are to A's.
pair() {
  local dir_a=$1 name_a=$2 dir_b=$3 name_b=$4; shift 4; shift
  local a=() b=()
  while [ "$1" != :: ]; do a+=("$1"); shift; done; shift
  b=("$@")
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
  : >"$WORK/a"; : >"$WORK/b"
  for _ in $(seq "$RUNS"); do
    (cd "$dir_a" && once "${a[@]}") >>"$WORK/a"
    (cd "$dir_b" && once "${b[@]}") >>"$WORK/b"
  done
  local aw ac ak bw bc bk
  aw=$(cut -d' ' -f1 "$WORK/a" | median); ac=$(cut -d' ' -f2 "$WORK/a" | median)
  ak=$(cut -d' ' -f3 "$WORK/a" | sort -n | tail -1)
  bw=$(cut -d' ' -f1 "$WORK/b" | median); bc=$(cut -d' ' -f2 "$WORK/b" | median)
  bk=$(cut -d' ' -f3 "$WORK/b" | sort -n | tail -1)
  row "$name_a" "$aw" "$ac" "$ak"
  row "$name_b" "$bw" "$bc" "$bk" "$aw" "$ac"
}

for shape in $SHAPES; do
  for commits in $COMMITS; do
    half=$((commits / 2))
    REPO=$WORK/$shape-$commits
    rm -rf "$REPO"
    git init -q -b main "$REPO"
    t0=$(date +%s)
    "$GEN_HISTORY" --shape "$shape" --commits "$commits" --initiatives "$INITIATIVES" \
      --ledger-rows "$LEDGER_ROWS" --seed "$SEED" 2>/dev/null | git -C "$REPO" fast-import --quiet
    git -C "$REPO" checkout -q main
    git -C "$REPO" gc -q
    echo
    echo "== $shape, $commits commits, $INITIATIVES initiatives, $(($(wc -l <"$REPO/plan/ledger.csv") - 1)) ledger rows at HEAD; generated and imported in $(($(date +%s) - t0)) s; seed $SEED, $RUNS runs, $(nproc) cores${PIN:+, one core}"
    FIRST=$(git -C "$REPO" rev-list --max-parents=0 HEAD)
    OLD=$REPO-old
    git -C "$REPO" worktree add -q --detach "$OLD" "HEAD~$half"
    printf '%-46s %10s %10s %12s   %6s  %6s\n' command wall cpu "peak RSS" "wall×" "cpu×"
    # A log of a few hundredths of a second is timed SHORT_REPEAT runs a sample too: a
    # millisecond, the clock's grain, is 3 % of one run of 1,000 small commits.
    t0=$(date +%s%N)
    git -C "$REPO" log -p --first-parent -- plan/ >/dev/null
    if [ $(($(date +%s%N) - t0)) -lt 200000000 ]; then REPEAT=$SHORT_REPEAT; else REPEAT=1; fi
    echo "the log pair: $REPEAT run(s) a sample"
    pair "$REPO" "git log -p --first-parent -- plan/" "$REPO" "plan log                 (target ≤ 1.0×)" \
      :: git log -p --first-parent -- plan/ :: "$PLAN" --as-of $AS_OF log
    # The short commands run SHORT_REPEAT times a sample, to time them beyond the clock's grain.
    REPEAT=$SHORT_REPEAT
    pair "$REPO" "plan check (HEAD, work tree)" "$REPO" "plan diff FIRST HEAD     (target ≤ 2.5×)" \
      :: "$PLAN" --as-of $AS_OF check :: "$PLAN" --as-of $AS_OF diff "$FIRST" HEAD
    pair "$OLD" "plan status (checkout of HEAD~$half)" "$REPO" "plan --rev HEAD~$half status (target ≤ 1.5×)" \
      :: "$PLAN" --as-of $AS_OF status :: "$PLAN" --as-of $AS_OF --rev "HEAD~$half" status
    echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
    git -C "$REPO" worktree remove --force "$OLD"
    rm -rf "$REPO"
  done
done

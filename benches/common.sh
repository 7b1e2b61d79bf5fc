# Shared by benches/run.sh, export.sh and history.sh (sourced from the repository's root): the
# binaries, a work directory removed on exit, and the timing of a run.
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
if [ -z "${PLAN:-}" ]; then
  cargo build --release --quiet --bin plan
  PLAN=$PWD/target/release/plan
fi
cargo build --release --quiet --example gen --example baseline
BASE=$PWD/target/release/examples/baseline
GEN=$PWD/target/release/examples/gen

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

load() { cut -d' ' -f1 /proc/loadavg; }

# once CMD…: runs CMD REPEAT times (default 1; under PIN, say `taskset -c 0`, when that array
# is set), output to /dev/null; prints "wall_us cpu_us peak_kib": the wall and CPU time of the
# runs together, and the largest peak. CPU time is the user and sys time of the subshell's
# children (GNU time and CMD), from its `times`, to the millisecond.
once() {
  local t0 t1 cpu
  : >"$WORK/rss"
  t0=$(date +%s%N)
  cpu=$( ( for _ in $(seq "${REPEAT:-1}"); do
             /usr/bin/time -f "%M" -a -o "$WORK/rss" ${PIN[@]+"${PIN[@]}"} "$@" >/dev/null 2>"$WORK/err" || {
               rc=$?; [ $rc -le 1 ] || { echo "failed ($rc): $*" >&2; cat "$WORK/err" >&2; exit 1; }; }
           done
           times ) | tail -1 | awk '{
             n = split($1 " " $2, f, " "); s = 0
             for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
             printf "%d", s * 1e6 }')
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 )) $cpu $(sort -n "$WORK/rss" | tail -1)"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Shared by benches/run.sh and benches/export.sh (sourced from the repository's root): the
# binaries, a work directory removed on exit, and the timing of one run.
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
if [ -z "${PLAN:-}" ]; then
  cargo build --release --quiet --bin plan
  PLAN=target/release/plan
fi
cargo build --release --quiet --example gen --example baseline
BASE=target/release/examples/baseline
GEN=target/release/examples/gen

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

load() { cut -d' ' -f1 /proc/loadavg; }

# once CMD…: runs CMD once (output to /dev/null); prints "wall_us cpu_us peak_kib".
once() {
  local t0 t1 cpu
  t0=$(date +%s%N)
  # The subshell's `times` gives the user and sys time of its children: GNU time and CMD.
  cpu=$( ( /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >/dev/null 2>"$WORK/err" || {
             rc=$?; [ $rc -le 1 ] || { echo "failed ($rc): $*" >&2; cat "$WORK/err" >&2; exit 1; }; }
           times ) | tail -1 | awk '{
             n = split($1 " " $2, f, " "); s = 0
             for (i = 1; i <= n; i++) { split(f[i], p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
             printf "%d", s * 1e6 }')
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 )) $cpu $(tail -1 "$WORK/rss")"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

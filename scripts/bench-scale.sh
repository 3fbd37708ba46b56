#!/usr/bin/env bash
# make bench-scale: how Shoebox's library grows with the number of files.
# For each size it builds (or reuses) a folder of small distinct JPEGs
# (scripts/scalelib: 320x240, dated names, 100 a folder) and measures:
#   - the first scan, an unchanged rescan, `report` and `dups` (again with the library file dropped
#     from the page cache): wall time and peak RSS (/usr/bin/time -v)
#   - the library file after the first scan and after the rescan
#   - a cold-ish open: `jobs` right after the library file is dropped from the page cache
#     (posix_fadvise DONTNEED on that file only; the folder stays cached)
# Environment: SIZES (default "10000 100000"; SCALE_1M=1 adds 1000000, about 15 minutes
# to build and as long to scan), OUT (default bench-out).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench-out}
SIZES=${SIZES:-"10000 100000"}
if [ "${SCALE_1M:-}" = 1 ]; then SIZES="$SIZES 1000000"; fi
mkdir -p "$OUT"
go build -trimpath -o "$OUT/shoebox" .
go build -o "$OUT/scalelib" ./scripts/scalelib
SB=$(realpath "$OUT/shoebox")

# measure NAME CMD...: runs CMD once with stdout discarded, prints "wall_s rss_mb".
measure() {
  local log="$OUT/time.log"
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$OUT/stderr.log" || { echo "failed: $*" >&2; cat "$OUT/stderr.log" >&2; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]}
              /Maximum resident set size/ {r=$2/1024}
              END {printf "%.2f %.0f", s, r}' "$log"
}
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b/1e6}'; }
drop() { python3 -c 'import os,sys; fd=os.open(sys.argv[1],os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED)' "$1"; }

printf '%-8s %-22s %9s %9s %11s\n' files what "wall s" "RSS MB" "library MB"
for n in $SIZES; do
  dir="$OUT/scale-$n"
  if [ ! -f "$dir.done" ]; then
    rm -rf "$dir"
    echo "bench-scale: building $n files into $dir" >&2
    "$OUT/scalelib" "$n" "$dir"
    touch "$dir.done"
  fi
  db="$OUT/scale-$n.db"
  rm -rf "$db" "$db"-* # the library, its stamp, and the thumbnails a window left beside it
  find "$dir" -type f -print0 | xargs -0 cat >/dev/null # the folder from memory, for every run alike
  read -r s r <<<"$(measure "$SB" scan --db "$db" "$dir")"
  printf '%-8s %-22s %9s %9s %11s\n' "$n" "first scan" "$s" "$r" "$(mb "$db")"
  read -r s r <<<"$(measure "$SB" scan --db "$db" "$dir")"
  printf '%-8s %-22s %9s %9s %11s\n' "$n" "rescan (unchanged)" "$s" "$r" "$(mb "$db")"
  read -r s r <<<"$(measure "$SB" report --db "$db")"
  printf '%-8s %-22s %9s %9s %11s\n' "$n" "report" "$s" "$r" ""
  read -r s r <<<"$(measure "$SB" dups --db "$db")"
  printf '%-8s %-22s %9s %9s %11s\n' "$n" "dups" "$s" "$r" ""
  drop "$db"
  read -r s r <<<"$(measure "$SB" dups --db "$db")"
  printf '%-8s %-22s %9s %9s %11s\n' "$n" "dups, library cold" "$s" "$r" ""
  drop "$db"
  read -r s r <<<"$(measure "$SB" jobs --db "$db")"
  printf '%-8s %-22s %9s %9s %11s\n' "$n" "open cold-ish (jobs)" "$s" "$r" ""
  read -r s r <<<"$(measure "$SB" jobs --db "$db")"
  printf '%-8s %-22s %9s %9s %11s\n' "$n" "open warm (jobs)" "$s" "$r" ""
done

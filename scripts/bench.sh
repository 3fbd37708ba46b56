#!/usr/bin/env bash
# make bench: builds (or reuses) a realistic photo folder and measures Shoebox
# on it beside ceilings timed in the same run:
#   - SHA-256 alone over the same bytes (sha256sum, 1 and 2 processes)
#   - djpeg -scale 1/8 over the JPEGs, 2 processes (libjpeg-turbo's reduced decode)
#   - cp -r of the folder (the ceiling for jobs that copy photos)
#   - Shoebox: a full scan, then a rescan of the unchanged folder
#   - plan, apply and undo on a copy of the folder, for each action (scripts/bench-apply.sh)
#   - Takeout dates: from-takeout + write --to exif read back with exiftool (scripts/bench-takeout.sh)
#   - per-stage timings of the analysis (scripts/stagebench)
#   - duplicate precision/recall and timestamp accuracy against the ground truth, when shared/bench is there
# Environment: CORPUS (folder to use), N (files to generate, default 200), OUT (default bench-out).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench-out}
N=${N:-200}
CORPUS=${CORPUS:-$OUT/corpus-$N}
SHARED=${SHARED:-../shared/bench}
mkdir -p "$OUT"

if [ ! -d "$CORPUS" ] || [ -z "$(ls -A "$CORPUS" 2>/dev/null)" ]; then
  if [ -f "$SHARED/make-corpus.sh" ]; then
    echo "bench: building a $N-file corpus from real photographs into $CORPUS (a few minutes)"
    bash "$SHARED/make-corpus.sh" 1 "$N" "$CORPUS" >"$OUT/make-corpus.log" 2>&1
  else
    echo "bench: building a $N-file synthetic corpus into $CORPUS"
    bash scripts/gen-corpus.sh "$N" "$CORPUS"
  fi
fi

files=$(find "$CORPUS" -type f ! -name ground-truth.json | wc -l)
bytes=$(find "$CORPUS" -type f ! -name ground-truth.json -printf '%s\n' | awk '{s+=$1} END {print s}')
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}')
echo "bench: $files files, $mb MB in $CORPUS; $(nproc) cores"

go build -trimpath -o "$OUT/shoebox" .
go build -o "$OUT/stagebench" ./scripts/stagebench

# Warm the page cache so every contender reads from memory.
find "$CORPUS" -type f -print0 | xargs -0 cat >/dev/null

secs() { # secs CMD...: wall seconds of one run
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b-a}'
}
row() { # row NAME SECONDS [PEAK_KB]
  awk -v n="$1" -v s="$2" -v f="$files" -v b="$bytes" -v m="${3:-}" 'BEGIN {
    printf "%-36s %8.2f s %9.1f files/s %9.1f MB/s %10s\n", n, s, f/s, b/1e6/s, (m == "" ? "-" : sprintf("%.0f MB", m/1024)) }'
}
list0() { find "$CORPUS" -type f ! -name ground-truth.json -print0; }

printf '%-36s %10s %17s %14s %10s\n' "what" "wall" "files/s" "MB/s" "peak RSS"
row "sha256sum, 1 process (ceiling)" "$(secs bash -c "$(declare -f list0); CORPUS='$CORPUS'; list0 | xargs -0 cat | sha256sum")"
row "sha256sum, 2 processes (ceiling)" "$(secs bash -c "$(declare -f list0); CORPUS='$CORPUS'; list0 | xargs -0 -P2 -n 20 sha256sum")"
# Copying the folder: the ceiling for the jobs that copy or move photos.
copydir="$OUT/cp-ceiling"
rm -rf "$copydir"
row "cp -r of the folder (ceiling)" "$(secs cp -r "$CORPUS" "$copydir")"
rm -rf "$copydir"
if command -v djpeg >/dev/null; then
  jpegs=$(find "$CORPUS" -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | wc -l)
  t=$(secs bash -c "find '$CORPUS' -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -print0 | xargs -0 -P2 -n1 sh -c 'djpeg -scale 1/8 \"\$0\" >/dev/null 2>&1; true'")
  awk -v n="djpeg -scale 1/8, 2 procs ($jpegs JPEGs)" -v s="$t" -v f="$jpegs" 'BEGIN {printf "%-36s %8.2f s %9.1f files/s %9s %10s\n", n, s, f/s, "-", "-"}'
fi

db="$OUT/bench.db"
rm -f "$db"
timed() { # timed NAME CMD...: wall and peak RSS through /usr/bin/time
  local log="$OUT/time.log"
  if [ -x /usr/bin/time ]; then
    local t0 t1; t0=$(date +%s.%N)
    /usr/bin/time -v -o "$log" "${@:2}" >/dev/null 2>"$OUT/last-stderr.log" || true
    t1=$(date +%s.%N)
    row "$1" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b-a}')" "$(awk -F': ' '/Maximum resident/ {print $2}' "$log")"
  else
    row "$1" "$(secs "${@:2}")"
  fi
}
timed "shoebox scan ($(nproc) workers)" "$OUT/shoebox" scan --db "$db" "$CORPUS"
tail -1 "$OUT/last-stderr.log" | sed 's/^/  /'
timed "shoebox rescan, unchanged folder" "$OUT/shoebox" scan --db "$db" "$CORPUS"

echo
echo "Per stage, one core, one file at a time:"
"$OUT/stagebench" "$CORPUS"

"$OUT/shoebox" report --db "$db" --job 1 >"$OUT/report.jsonl"
"$OUT/shoebox" dups --db "$db" --job 1 >"$OUT/dups.json"
if [ -f "$CORPUS/ground-truth.json" ] && [ -f "$SHARED/score.py" ]; then
  # Exact and near groups together are what a person sees as "the same photo".
  python3 - "$OUT/dups.json" "$CORPUS" >"$OUT/groups.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); root = sys.argv[2].rstrip("/")
parent = {}
def find(x):
    while parent.setdefault(x, x) != x:
        parent[x] = parent[parent[x]]; x = parent[x]
    return x
for g in d["exact"] + d["near"]:
    fs = [f if f.startswith("/") else root + "/" + f for f in g["files"]]
    for f in fs[1:]:
        parent[find(f)] = find(fs[0])
groups = {}
for x in list(parent):
    groups.setdefault(find(x), []).append(x)
print(json.dumps({"groups": [sorted(g) for g in groups.values() if len(g) > 1]}))
PY
  echo
  echo "Duplicate groups against the ground truth:"
  python3 "$SHARED/score.py" "$CORPUS/ground-truth.json" groups shoebox "$OUT/groups.json" --root "$CORPUS/" || true
  echo
  echo "Timestamps against the ground truth:"
  python3 scripts/score_timestamps.py "$CORPUS/ground-truth.json" "$OUT/report.jsonl" || true
fi
echo
echo "Acting on the duplicates of a copy of the folder (dry run against apply, undo checked):"
bash scripts/bench-apply.sh "$OUT/shoebox" "$CORPUS" "$OUT"
echo
echo "Organising the folder into a dated library, beside cp -r (scripts/bench-organise.sh):"
bash scripts/bench-organise.sh "$OUT/shoebox" "$CORPUS" "$OUT"
echo
echo "Google Takeout dates written into EXIF, read back with exiftool under two TZ (scripts/bench-takeout.sh):"
bash scripts/bench-takeout.sh "$OUT/shoebox" "$CORPUS" "$OUT"
echo
echo "bench: report in $OUT/report.jsonl, groups in $OUT/dups.json"

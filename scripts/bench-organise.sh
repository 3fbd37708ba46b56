#!/usr/bin/env bash
# Called by scripts/bench.sh: organising the benchmark folder into a dated
# library, timed beside `cp -r` of the same folder in the same run. The
# corpus is only read. Prints MB/s for both (organise: the bytes it copied,
# each one written, flushed, read back and compared by SHA-256), checks the
# dry run's ledger against the run's, and every filed copy's bytes.
# Usage: bench-organise.sh SHOEBOX CORPUS OUT
set -euo pipefail
shoebox=$1 corpus=$2 out=$3
db="$out/organise.db" lib="$out/organise-lib" cpdir="$out/organise-cp"
rm -rf "$db" "$db-"* "$lib" "$cpdir" "$out/backups"
"$shoebox" scan --db "$db" "$corpus" >/dev/null 2>&1 || true

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$out/organise-last.log" || true; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b-a}'; }

"$shoebox" organise --db "$db" --to "$lib" --dry-run --json "$corpus" >"$out/organise-plan.json" 2>/dev/null
cp_s=$(secs cp -r "$corpus" "$cpdir")
org_s=$(secs "$shoebox" organise --db "$db" --to "$lib" "$corpus")
summary=$(tail -1 "$out/organise-last.log")
"$shoebox" ledger --db "$db" --json >"$out/organise-ledger.json"
python3 - "$corpus" "$cp_s" "$org_s" "$out/organise-plan.json" "$out/organise-ledger.json" <<'PY'
import hashlib, json, os, sys
corpus, cp_s, org_s = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
plan, done = json.load(open(sys.argv[4])), json.load(open(sys.argv[5]))
total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs)
copied, bad = 0, 0
for e in done:
    if e["fate"] in ("filed", "unsorted"):
        copied += os.path.getsize(e["dest"])
        if hashlib.sha256(open(e["dest"], "rb").read()).digest() != hashlib.sha256(open(e["source"], "rb").read()).digest():
            bad += 1
same = [(e["source"], e["fate"], e["dest"]) for e in plan] == [(e["source"], e["fate"], e["dest"]) for e in done]
print(f"cp -r     {cp_s:6.2f} s {total/1e6/cp_s:8.1f} MB/s ({total/1e6:.1f} MB)")
print(f"organise  {org_s:6.2f} s {copied/1e6/org_s:8.1f} MB/s ({copied/1e6:.1f} MB copied, {len(done)} files in the ledger)")
print(f"          dry run {'equal to' if same else 'DIFFERENT from'} the run; {bad} copies differ from their source")
sys.exit(0 if same and bad == 0 else 1)
PY
echo "          $summary"
rm -rf "$cpdir" "$lib"

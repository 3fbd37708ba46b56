#!/usr/bin/env bash
# Called by scripts/bench.sh: acting on the duplicates of the benchmark folder,
# on a copy of it (the corpus itself is never changed). For each action it
# times plan, apply and undo beside `cp -a` of the folder, checks that the dry
# run's counts and bytes are what the apply then did, and that undo gives back
# every file byte for byte with its mtime.
# Usage: bench-apply.sh SHOEBOX CORPUS OUT
set -euo pipefail
shoebox=$1 corpus=$2 out=$3
copy="$out/apply-copy"
status=0

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$out/apply-last.log" || true; t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b-a}'; }
fingerprint() { (cd "$1" && find . -type f ! -name ground-truth.json -printf '%P %s %T@\n' | sort && \
  find . -type f ! -name ground-truth.json -print0 | sort -z | xargs -0 sha256sum); }

want=$(fingerprint "$corpus")
for action in quarantine trash hardlink; do
  rm -rf "$copy" "$out/apply.db" "$out/apply.db-"* "$out/quarantine" "$out/backups" "$out/xdg"
  cp_s=$(secs cp -a "$corpus" "$copy")
  db="$out/apply.db"
  export XDG_DATA_HOME="$PWD/$out/xdg" # the trash of this run, not the person's
  mkdir -p "$XDG_DATA_HOME"
  "$shoebox" scan --db "$db" "$copy" >/dev/null 2>&1
  plan_s=$(secs "$shoebox" plan dups --db "$db" --action "$action" --out "$out/plan.json")
  apply_s=$(secs "$shoebox" apply --db "$db" "$out/plan.json")
  applied=$(tail -1 "$out/apply-last.log")
  "$shoebox" runs --db "$db" --json >"$out/runs.json"
  check=$(python3 - "$out/plan.json" "$out/runs.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2]))[0]
same = p["remove_count"] == r["done"] and p["bytes_freed"] == r["bytes"] and r["errors"] == 0
print(("equal" if same else "DIFFERENT") + f": dry run {p['remove_count']} files, {p['bytes_freed']/1e6:.1f} MB; apply {r['done']} files, {r['bytes']/1e6:.1f} MB, {r['errors']} errors")
PY
)
  undo_s=$(secs "$shoebox" undo --db "$db")
  if [ "$(fingerprint "$copy")" = "$want" ]; then back="every file back byte for byte with its mtime"; else back="FILES DIFFER after undo"; status=1; fi
  case $check in equal*) ;; *) status=1 ;; esac
  printf '%-11s cp -a %6.2f s | plan %5.2f s | apply %5.2f s | undo %5.2f s\n' "$action" "$cp_s" "$plan_s" "$apply_s" "$undo_s"
  echo "            $check; undo: $back"
  echo "            $applied"
done
rm -rf "$copy" "$out/xdg"
exit $status

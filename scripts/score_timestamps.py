#!/usr/bin/env python3
"""Scores Shoebox's chosen timestamps (a `shoebox report` JSONL) against a
bench corpus's ground-truth.json (shared/bench/make-corpus.sh).

A timestamp is correct when it is the expected instant (both zones known) or
the expected wall clock to the second (otherwise). Files the report does not
list (clutter such as ._IMG_1234.JPG) are counted apart.
Usage: score_timestamps.py GROUND_TRUTH.json REPORT.jsonl
"""
import json
import sys
from datetime import datetime


def parse(v):
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None


def main():
    gt = json.load(open(sys.argv[1]))
    gt = gt if isinstance(gt, list) else gt["files"]
    rows = {}
    for line in open(sys.argv[2]):
        r = json.loads(line)
        rows[r["path"]] = r
    ok = missing = 0
    wrong = []
    for f in gt:
        exp = f.get("expected_time")
        if not exp:
            continue
        r = rows.get(f["path"])
        if r is None:
            missing += 1
            continue
        got = r.get("timestamp") or ""
        e, g = parse(exp), parse(got) if got else None
        if g is not None and (e == g if (e.tzinfo and g.tzinfo) else got[:19] == exp[:19]):
            ok += 1
        else:
            wrong.append((f["path"], exp, f.get("expected_time_source"), got or "-", r.get("timestamp_source") or "-"))
    total = ok + len(wrong)
    print(f"timestamps: {ok} of {total} listed files correct ({100.0 * ok / max(total, 1):.1f}%), "
          f"{missing} not listed (clutter)")
    for w in wrong:
        print("  differs: %s: expected %s (%s), got %s (%s)" % w)


if __name__ == "__main__":
    main()

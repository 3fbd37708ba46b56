#!/usr/bin/env bash
# bench-takeout.sh BIN CORPUS OUT: the Takeout check of issue 13 on the
# benchmark folder. The corpus has a Takeout/ folder but, as shared/bench
# makes it, no Takeout JSON; so a copy of that folder gets one
# `<name>.json` per photo, as Google Takeout writes it, with a
# photoTakenTime (an instant, in UTC) that differs from the photo's own
# date. Then, under two time zones, in a fresh library each time:
#   shoebox scan; shoebox dates from-takeout; shoebox dates write --to exif
# and every photo's DateTimeOriginal/OffsetTimeOriginal, read back with
# exiftool (its XMP sidecar's for a photo that is not a JPEG), must be
# photoTakenTime in local time: at the photo's own offset when its EXIF
# knows one, else at the zone's offset at that instant. Never UTC.
# The corpus itself is never written. Exits 1 on any mismatch.
set -euo pipefail
BIN=$(realpath "$1"); CORPUS=$2; OUT=$3
if [ ! -d "$CORPUS/Takeout" ]; then
  echo "takeout: no Takeout/ folder in $CORPUS; nothing to check"
  exit 0
fi
if ! command -v exiftool >/dev/null; then
  echo "takeout: exiftool is not installed (make bench installs it)" >&2
  exit 1
fi
work="$OUT/takeout-check"
fail=0
for tz in America/New_York Asia/Tokyo; do
  rm -rf "$work"; mkdir -p "$work"
  cp -a "$CORPUS/Takeout" "$work/"
  python3 - "$work/Takeout" <<'PY'
import json, os, sys, zlib, datetime
root = sys.argv[1]
for d, _, names in os.walk(root):
    for n in names:
        if n.endswith(".json"):
            continue
        # A deterministic instant per name, 2010-2020, whole seconds.
        ts = 1262304000 + zlib.crc32(n.encode()) % 315360000
        fmt = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%d %b %Y, %H:%M:%S UTC")
        with open(os.path.join(d, n + ".json"), "w") as f:
            json.dump({"title": n, "photoTakenTime": {"timestamp": str(ts), "formatted": fmt}}, f)
PY
  db="$work/library.db"
  TZ=$tz "$BIN" scan --db "$db" "$work/Takeout" >/dev/null 2>&1 || true # a bad file in the corpus is an item error, not a stop
  TZ=$tz "$BIN" dates from-takeout --db "$db" >"$work/from-takeout.txt"
  TZ=$tz "$BIN" dates write --db "$db" --to exif >"$work/write.txt" 2>&1
  TZ=$tz python3 - "$work/Takeout" "$CORPUS/Takeout" <<'PY' || fail=1
import json, os, subprocess, sys, datetime, time
root, orig_root = sys.argv[1], sys.argv[2]
time.tzset()
def exif(path, tags):
    out = subprocess.run(["exiftool", "-j"] + ["-" + t for t in tags] + [path], capture_output=True, text=True).stdout
    return json.loads(out)[0] if out.strip() else {}
ok = bad = 0
for d, _, names in sorted(os.walk(root)):
    for n in sorted(names):
        if n.endswith(".json") or n.endswith(".xmp"):
            continue
        path = os.path.join(d, n)
        ts = int(json.load(open(path + ".json"))["photoTakenTime"]["timestamp"])
        orig = os.path.join(orig_root, os.path.relpath(path, root))
        own = exif(orig, ["OffsetTimeOriginal"]).get("OffsetTimeOriginal")
        inst = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
        if own:
            sign = 1 if own[0] == "+" else -1
            off = datetime.timedelta(hours=int(own[1:3]), minutes=int(own[4:6])) * sign
            local = inst.astimezone(datetime.timezone(off))
        else:
            local = inst.astimezone()  # this computer's zone (TZ) at that instant
        want = local.strftime("%Y:%m:%d %H:%M:%S") + " " + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
        if n.lower().endswith((".jpg", ".jpeg")):
            t = exif(path, ["DateTimeOriginal", "OffsetTimeOriginal"])
            got, where = "%s %s" % (t.get("DateTimeOriginal"), t.get("OffsetTimeOriginal")), "EXIF"
        else:
            t = exif(path + ".xmp", ["XMP-exif:DateTimeOriginal"])
            got, where = str(t.get("DateTimeOriginal")).replace("+", " +").replace("-0", " -0").replace("-1", " -1"), "XMP sidecar"
        if got == want:
            ok += 1
        else:
            bad += 1
            print("takeout: MISMATCH %s (%s): wrote %s, photoTakenTime %s is %s local" % (os.path.relpath(path, root), where, got, ts, want))
print("takeout (TZ=%s): %d of %d photos carry photoTakenTime in local time after from-takeout + write --to exif" % (os.environ["TZ"], ok, ok + bad))
sys.exit(1 if bad or ok == 0 else 0)
PY
done
rm -rf "$work"
exit $fail

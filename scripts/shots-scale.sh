#!/usr/bin/env bash
# Opens the real window on an existing (large) library under Xvfb at
# 1920x1080 and takes docs/scale-files.png and docs/scale-duplicates.png,
# printing how long the window took to appear and what it held when shot.
# The window opens the library in place, as a person's would be opened (a
# copy would lose the stamp that spares an open the page walk, store/verified.go).
# Usage: [DUPS_WAIT=s] [DUPS_AFTER=s] [DUPS_SHOTS=n] scripts/shots-scale.sh LIBRARY [BINARY]
# (DUPS_WAIT: seconds more before Duplicates is opened; DUPS_AFTER: before it is shot, default 15;
# DUPS_SHOTS: shots taken back to back as soon as it opens, with their times; DISTANCE: the
# look-alike distance the window's settings give for this library, default the job's)
# e.g. after `make bench-scale`: scripts/shots-scale.sh bench-out/scale-100000.db
# Needs Xvfb, xdotool, ImageMagick.
set -euo pipefail
lib=${1:?usage: $0 LIBRARY [BINARY]}
cd "$(dirname "$0")/.."
bin=${2:-}
if [ -z "$bin" ]; then
	bin=$(mktemp -d)/shoebox
	go build -o "$bin" .
fi
work=$(mktemp -d)
lib=$(realpath "$lib")
display=:93
export XDG_CONFIG_HOME="$work/config" SHOEBOX_DB="$lib" DISPLAY="$display"
if [ -n "${DISTANCE:-}" ]; then
	mkdir -p "$XDG_CONFIG_HOME/fyne/app.shoebox.Shoebox"
	printf '{"library %s settings.near_distance":"%s"}' "$lib" "$DISTANCE" \
		>"$XDG_CONFIG_HOME/fyne/app.shoebox.Shoebox/shoebox-preferences.json"
fi
source scripts/xvfb-session.sh
# Cold: the library file out of the page cache before the window opens it.
python3 -c 'import os,sys; fd=os.open(sys.argv[1],os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED)' "$lib"
start=$(date +%s.%N)
"$bin" >"$work/app.log" 2>&1 &
app=$!
win=
for _ in $(seq 1 300); do
	win=$(xdotool search --name '^Shoebox$' 2>/dev/null | head -1 || true)
	[ -n "$win" ] && break
	sleep 0.05
done
[ -n "$win" ] || { echo "shots-scale: no window" >&2; cat "$work/app.log" >&2; exit 1; }
shown=$(date +%s.%N)
echo "window shown after $(awk -v a="$start" -v b="$shown" 'BEGIN {printf "%.2f", b-a}') s"
sleep 1 # the window sets its remembered size once shown
xdotool windowsize "$win" 1920 1080
xdotool windowmove "$win" 0 0
xdotool key --window "$win" ctrl+2
# The shortcut is sometimes lost while the window settles (the shots then
# show the Scan tab): the Files tab is clicked as well.
sleep 1
xdotool mousemove --window "$win" 118 21 click 1
for t in 1 3 10; do
	sleep "$t"
	import -window root "$work/files-$t.png"
	echo "Files shot $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b-a}') s after start: $work/files-$t.png"
done
cp "$work/files-10.png" docs/scale-files.png
sleep "${DUPS_WAIT:-0}" # more time for Files first, when asked
xdotool key --window "$win" ctrl+3
xdotool mousemove --window "$win" 224 21 click 1 # as for Files
t0=$(date +%s.%N)
echo "Duplicates tab opened at $(date -d "@$t0" +%T.%N)"
# DUPS_SHOTS=n: n shots back to back from the moment the tab opens, each
# with the time it was taken at, to see when the first groups appear.
for i in $(seq 1 "${DUPS_SHOTS:-0}"); do
	a=$(date +%s.%N)
	import -window root "$work/dups-$i.png"
	echo "Duplicates shot $i taken $(awk -v t="$t0" -v a="$a" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f-%.2f", a-t, b-t}') s after the tab opened: $work/dups-$i.png"
done
sleep "${DUPS_AFTER:-15}"
import -window root docs/scale-duplicates.png
echo "Duplicates shot $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b-a}') s after the tab opened"
echo "peak RSS of the window so far: $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$app/status)"
echo "RSS now: $(awk '/RssAnon|RssFile/ {printf "%s %.0f MB ", $1, $2/1024}' /proc/$app/status)(anonymous: the heap; file: the library's pages mapped)"
mkdir -p "${KEEP:-/tmp}/shots-scale"
cp "$work"/files-*.png "${KEEP:-/tmp}/shots-scale/"
cp "$work"/dups-*.png "${KEEP:-/tmp}/shots-scale/" 2>/dev/null || true
cp "$work/app.log" "${KEEP:-/tmp}/shots-scale/"

#!/usr/bin/env bash
# Scans FOLDER in the real window under Xvfb (1920x1080), as a person would:
# a new library, the folder's path typed on the Scan view, the Scan view
# left in front. Samples the window's memory every 2 s (/proc/PID/status:
# VmHWM, VmRSS, RssAnon, RssFile) into OUT/rss.log, takes a shot every
# minute, and stops WAIT_AFTER seconds (default 240) after the library
# says the scan completed, printing the time taken and the peak.
# Usage: scripts/window-scan.sh FOLDER [BINARY]  (OUT, default a new
# temporary folder, keeps the library, the log and the shots)
# e.g. scripts/window-scan.sh bench-out/scale-1000000 (about 26 minutes)
# VIEW=N puts view N in front (Ctrl+N) once the scan has begun: VIEW=2
# watches the scan from Files instead of the Scan view.
# Needs Xvfb, xdotool, ImageMagick.
set -euo pipefail
folder=$(realpath "${1:?usage: $0 FOLDER [BINARY]}")
cd "$(dirname "$0")/.."
bin=${2:-}
if [ -z "$bin" ]; then
	bin=$(mktemp -d)/shoebox
	go build -o "$bin" .
fi
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
display=:90
if [ -e "/tmp/.X${display#:}-lock" ]; then
	echo "window-scan: display $display is in use" >&2
	exit 1
fi
export XDG_CONFIG_HOME="$work/config" SHOEBOX_DB="$out/library.db" DISPLAY="$display"
source scripts/xvfb-session.sh
start=$(date +%s)
"$bin" >"$out/app.log" 2>&1 &
app=$!
win=
for _ in $(seq 1 300); do
	win=$(xdotool search --pid "$app" --name '^Shoebox$' 2>/dev/null | head -1 || true)
	[ -n "$win" ] && break
	sleep 0.1
done
[ -n "$win" ] || { echo "window-scan: no window" >&2; cat "$out/app.log" >&2; exit 1; }
sleep 1
xdotool windowsize "$win" 1920 1080
xdotool windowmove "$win" 0 0
sleep 1
xdotool key --window "$win" Tab # from Choose folder… to the typed path
sleep 0.4
xdotool type --window "$win" "$folder"
sleep 0.3
xdotool key --window "$win" Return
if [ -n "${VIEW:-}" ]; then
	sleep 5
	xdotool key --window "$win" "ctrl+$VIEW"
fi
echo "window-scan: scanning $folder in the window, library $out/library.db, log $out/rss.log"
i=0
done_at=
while kill -0 "$app" 2>/dev/null; do
	echo "$(date +%T) $(awk '/VmHWM|VmRSS|RssAnon|RssFile/ {printf "%s %d ", $1, $2/1024}' "/proc/$app/status")" >>"$out/rss.log"
	if [ $((i % 30)) -eq 0 ]; then import -window root "$out/shot-$(date +%H%M%S).png"; fi
	# The library opens to read only while no job writes: the scan's record
	# says COMPLETED before the window searches for duplicates, compacts
	# the library and reads the rows (a minute or two at 1M): WAIT_AFTER
	# seconds more, default 240, cover them.
	if [ -z "$done_at" ] && [ $((i % 5)) -eq 0 ] &&
		"$bin" jobs --db "$out/library.db" 2>/dev/null | grep -q COMPLETED; then
		done_at=$(date +%s)
		echo "window-scan: completed after $((done_at - start)) s (from the window's start)"
	fi
	if [ -n "$done_at" ] && [ $(($(date +%s) - done_at)) -ge "${WAIT_AFTER:-240}" ]; then
		break
	fi
	i=$((i + 1))
	sleep 2
done
import -window root "$out/shot-end.png"
echo "window-scan: peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$app/status"); shots in $out"

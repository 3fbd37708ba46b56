#!/usr/bin/env bash
# Times the window's start-up against the floor: a bare Fyne window of the
# same module versions (one label, nothing else), under the same Xvfb
# (1920x1080) and the same measure. For each run, in turn, the floor, then
# Shoebox on each library given; each library is dropped from the page cache
# first, the binaries are warm. "shown" is when `xdotool search --name
# '^Shoebox$'` first finds the window (as scripts/shots-scale.sh measures),
# "mapped" when it is also viewable (--onlyvisible). With FRAMES=1, the
# window is then shot back to back (`import -window`, about 0.3 s a shot)
# until a shot is not one flat colour: "drawn" is the time that shot was
# taken in (the floor's label and Shoebox's "Opening your library…" both
# count as drawn).
# Usage: [FRAMES=1] scripts/startup-time.sh RUNS LIBRARY... [BINARY=path]
# e.g. scripts/startup-time.sh 5 bench-out/scale-10000.db bench-out/scale-1000000.db
# Needs Xvfb and xdotool. Nothing is written to the libraries: the window
# opens them read-only while idle and the script closes it untouched.
set -euo pipefail
runs=${1:?usage: $0 RUNS LIBRARY...}
shift
cd "$(dirname "$0")/.."
work=$(mktemp -d)
bin=${BINARY:-$work/shoebox}
[ -n "${BINARY:-}" ] || go build -o "$bin" .
# The floor: a throwaway main in a module of its own, with Shoebox's
# go.mod's versions.
mkdir "$work/floor"
cp go.sum "$work/floor/"
sed -e 's/^module shoebox/module floor/' -e '/quietlocale/d' go.mod >"$work/floor/go.mod"
cat >"$work/floor/main.go" <<'GO'
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("app.shoebox.Floor")
	w := a.NewWindow("Shoebox")
	w.SetContent(widget.NewLabel("floor"))
	w.Resize(fyne.NewSize(1100, 720))
	w.ShowAndRun()
}
GO
(cd "$work/floor" && go build -o "$work/floor-bin" .)
display=${STARTUP_DISPLAY:-:94}
export DISPLAY="$display"
source scripts/xvfb-session.sh
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b-a}'; }
# once LABEL BINARY LIBRARY: one start, timed.
once() {
	local label=$1 exe=$2 lib=$3 start shown mapped drawn= win a
	rm -rf "$work/config"
	[ -f "$lib" ] && python3 -c 'import os,sys; fd=os.open(sys.argv[1],os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED)' "$lib"
	start=$(date +%s.%N)
	XDG_CONFIG_HOME="$work/config" SHOEBOX_DB="$lib" "$exe" >"$work/app.log" 2>&1 &
	app=$!
	shown=
	for _ in $(seq 1 1000); do
		if [ -z "$shown" ] && [ -n "$(xdotool search --name '^Shoebox$' 2>/dev/null | head -1)" ]; then
			shown=$(since "$start")
		fi
		win=
		[ -n "$shown" ] && win=$(xdotool search --onlyvisible --name '^Shoebox$' 2>/dev/null | head -1 || true)
		if [ -n "$win" ]; then
			mapped=$(since "$start")
			break
		fi
		sleep 0.01
	done
	if [ -n "${FRAMES:-}" ] && [ -n "$win" ]; then
		for _ in $(seq 1 20); do
			a=$(since "$start")
			import -window "$win" "$work/frame.png" 2>/dev/null || continue
			if [ "$(convert "$work/frame.png" -format '%[fx:standard_deviation>0.001]' info:)" = 1 ]; then
				drawn=", drawn in the shot taken $a-$(since "$start") s"
				break
			fi
		done
	fi
	echo "$label: shown ${shown:-never} s, mapped ${mapped:-never} s${drawn} (load $(cut -d' ' -f1 /proc/loadavg))"
	sleep 2
	kill "$app" 2>/dev/null || true
	wait "$app" 2>/dev/null || true
	app=
}
for i in $(seq 1 "$runs"); do
	once "run $i floor" "$work/floor-bin" /nonexistent
	for lib in "$@"; do
		once "run $i $(basename "$lib")" "$bin" "$(realpath "$lib")"
	done
done

#!/usr/bin/env bash
# Takes the README screenshots of the real window under Xvfb at 1280x800
# (docs/files.png at 1920x1080, to show the columns using a wide window),
# driving it with the keyboard (xdotool), and the mouse where noted:
#   docs/empty.png       the empty state with recent folders
#   docs/running.png     a scan of a generated corpus in progress
#   docs/duplicates.png  that scan's duplicate groups: HEIC previews (heif-convert) and a video's placeholder
#   docs/files.png       its files table with one file's timestamp candidates, at 1920x1080
#   docs/apply-confirm.png  the confirmation of moving that scan's extra copies
#   docs/run-done.png    the change run finished, with its summary and Undo
#   docs/history.png     History with the scan and the run (Undo offered)
#   docs/settings.png    keeper rules in order, a protected folder, the action
#   docs/halted.png      a scan of a folder of broken .jpg files, halted
#   docs/wipe-check.png  "is this card safe to wipe?" on a card mostly in the library
#   docs/organise-preview.png  Organise…: the family photos and the card, previewed into a new library
#   docs/organise-done.png     that organise run finished: its summary, Undo and Details (the ledger)
#   docs/review.png      Files shown as "Review dates": a doubtful file's candidates and neighbours
#   docs/dates-shift.png Fix dates → Shift a camera's clock: one photo's true time, the camera and a range, previewed
#   docs/dates-zone.png  Fix dates → Correct the time zone of a trip: +09:00, the camera on home time, previewed
#   docs/dates-write.png Write dates to files…: the XMP sidecars the decided dates go to, previewed
# The new views are driven with the mouse at fixed points of the 1280x800
# window (look at the pictures after a layout change).
# Usage: scripts/screenshots.sh CORPUS_DIR [BINARY]
# CORPUS_DIR: e.g. made by `bash shared/bench/make-corpus.sh 1 200 /tmp/corpus200`.
# Needs Xvfb, xdotool, ImageMagick. Uses a throw-away library and preferences.
set -euo pipefail

corpus=${1:?usage: $0 CORPUS_DIR [BINARY]}
cd "$(dirname "$0")/.."
bin=${2:-}
work=$(mktemp -d)
if [ -z "$bin" ]; then
	bin="$work/shoebox"
	go build -o "$bin" .
fi
display=${SCREEN_DISPLAY:-:97}
mkdir -p docs

# A throw-away home, so the window shows ~/Pictures/... paths. The corpus is
# hard-linked (or copied) in, so nothing of it is changed.
export HOME="$work/home"
mkdir -p "$HOME/Pictures"
photos="$HOME/Pictures/Family photos"
cp -al "$corpus" "$photos" 2>/dev/null || cp -a "$corpus" "$photos"

# Previews of what Go cannot decode, at the top of Duplicates (the groups
# that waste the most come first): an iPhone picture backed up five more
# times (HEIC: heif-convert), and a video copied once (no ffmpeg here: its
# placeholder with the length and size). The video is hand-made: an MP4
# header saying 12 s (mvhd: 7200 units of 1/600 s) and 8.5 MB of empty data.
heic=$(find "$photos" -type f -iname '*.heic' -size +1M | sort | head -1)
if [ -n "$heic" ]; then
	for i in 1 2 3 4 5; do
		mkdir -p "$photos/iPhone backup $i"
		cp -p "$heic" "$photos/iPhone backup $i/"
	done
fi
be32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }
mkdir -p "$photos/Videos" "$photos/Videos/Backup"
{
	printf "$(be32 20)ftypqt  $(be32 512)qt  "
	created=$((1619949600 + 2082844800)) # 2021-05-02 10:00 UTC, in seconds since 1904
	printf "$(be32 116)moov$(be32 108)mvhd$(be32 0)$(be32 $created)$(be32 $created)$(be32 600)$(be32 7200)"
	printf "$(be32 65536)\\x01\\x00"
	head -c 10 /dev/zero
	printf "$(be32 65536)$(be32 0)$(be32 0)$(be32 0)$(be32 65536)$(be32 0)$(be32 0)$(be32 0)$(be32 1073741824)"
	head -c 24 /dev/zero
	printf "$(be32 2)"
	printf "$(be32 8500008)mdat"
	head -c 8500000 /dev/zero
} >"$photos/Videos/MVI_0420.MP4"
cp -p "$photos/Videos/MVI_0420.MP4" "$photos/Videos/Backup/MVI_0420.MP4"

# A folder that halts: broken .jpg files with a few good ones first.
broken="$HOME/Pictures/Camera uploads"
mkdir -p "$broken"
for i in $(seq 1 6); do convert -size 640x480 plasma:fractal -quality 80 "$broken/DSC0000$i.jpg"; done
for i in $(seq -w 10 90); do head -c 30000 /dev/urandom >"$broken/IMG_201907${i:0:1}${i:1:1}_1530$i.jpg"; done

# An SD card: copies of some of the corpus's camera photos and two of its own.
card="$HOME/Pictures/SD card"
mkdir -p "$card/DCIM/100CANON"
mapfile -t pics < <(find "$corpus" -type f -iname '*.jpg' ! -name '._*' | sort | head -12)
cp -p "${pics[@]}" "$card/DCIM/100CANON/"
convert -size 800x600 plasma:fractal -quality 85 "$card/DCIM/100CANON/IMG_9001.JPG"
convert -size 800x600 plasma:fractal -quality 85 "$card/DCIM/100CANON/IMG_9002.JPG"

export XDG_CONFIG_HOME="$work/config" SHOEBOX_DB="$work/library.db" DISPLAY="$display"
mkdir -p "$XDG_CONFIG_HOME/fyne/app.shoebox.Shoebox"
printf '{"recent_folders":["%s","%s"]}\n' "$photos" "$broken" >"$XDG_CONFIG_HOME/fyne/app.shoebox.Shoebox/preferences.json"

Xvfb "$display" -screen 0 1920x1080x24 >/dev/null 2>&1 &
xvfb=$!
app=
cleanup() {
	if [ -n "$app" ]; then
		kill "$app" 2>/dev/null || true
		wait "$app" 2>/dev/null || true
	fi
	kill "$xvfb" 2>/dev/null || true
	wait "$xvfb" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
sleep 1

fit() {
	xdotool windowsize "$win" 1280 800
	xdotool windowmove "$win" 0 0
}
# open_window starts the window and waits for it, sized and placed.
open_window() {
	"$bin" >"$work/app.log" 2>&1 &
	app=$!
	win=
	for _ in $(seq 1 50); do
		win=$(xdotool search --name '^Shoebox$' 2>/dev/null | head -1 || true)
		[ -n "$win" ] && break
		sleep 0.2
	done
	[ -n "$win" ] || { echo "screenshots: no window" >&2; cat "$work/app.log" >&2; exit 1; }
	sleep 1
	fit
	sleep 1
}
# close_window quits it, so the command line may write the library.
close_window() {
	kill "$app"
	wait "$app" 2>/dev/null || true
}
open_window
shot() {
	fit
	sleep 0.5
	import -window root -crop 1280x800+0+0 +repage "docs/$1.png"
	echo "screenshots: docs/$1.png"
}
# wide_shot takes the whole 1920x1080 screen with the window filling it.
wide_shot() {
	import -window root "docs/$1.png"
	echo "screenshots: docs/$1.png (1920x1080)"
}
wide() {
	xdotool windowsize "$win" 1920 1080
	xdotool windowmove "$win" 0 0
	sleep 1
}
key() { xdotool key --window "$win" "$@"; sleep 0.4; }

shot empty
# Focus starts on Choose folder…; Tab, Tab, Tab, Tab (past the typed path,
# the safe-to-wipe question and Organise…; Scan is disabled while no path is
# typed) reaches the first recent folder.
key Tab
key Tab
key Tab
key Tab
key space
sleep "${RUNNING_AFTER:-4.5}"
shot running
# The library is locked while the window has it open, so wait a fixed time
# for the scan to finish (DONE_AFTER seconds; 200 files take well under a minute).
sleep "${DONE_AFTER:-45}"
key ctrl+3
sleep 10 # thumbnails decode in the background
shot duplicates

key ctrl+2
wide
sleep 1.5
xdotool mousemove 150 177 click 1
sleep 2
wide_shot files
fit

click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-1}"; }
# typed_folder answers the folder dialog: the path typed over the one
# selected, then Enter; then waits ${2:-1.5} seconds.
typed_folder() { xdotool type --window "$win" "$1"; sleep 0.3; key Return; sleep "${2:-1.5}"; }
# Duplicates: the apply button at the top, then its confirmation.
key ctrl+3
sleep 3
click 177 65 1.5
shot apply-confirm
click 743 482 8 # "Move to the quarantine"; 200 files' copies move in a second or two
xdotool mousemove 1270 790
shot run-done
key ctrl+4
sleep 1.5
shot history
# Settings, scrolled to "Acting on duplicates"; protect Camera uploads. With
# no desktop portal here, a folder is asked for in Shoebox's own dialog: its
# path, selected, is replaced by the one typed (typed_folder).
key ctrl+5
xdotool mousemove 150 500 # beside the form: an entry would take the wheel
for _ in $(seq 1 80); do xdotool click 5; done # to the bottom
sleep 1
click 286 625 1.5  # Add folder…
typed_folder "~/Pictures/Camera uploads"
xdotool mousemove 1270 790
shot settings

key ctrl+1
key ctrl+n
key Tab
key Tab
key Tab
key Tab
key Tab
key space
sleep 4
shot halted

# "Is a card safe to wipe?" on an SD card whose photos are mostly in the
# library: scan the card from the command line (the window must let go of
# the library), open the window again, ask about the card.
close_window
"$bin" scan "$card" >/dev/null 2>&1
open_window
key Tab            # from Choose folder… to the typed path
key Tab            # to the safe-to-wipe button
key space
sleep 1.5
typed_folder "~/Pictures/SD card" 4
shot wipe-check
# Organise the family photos and the SD card into a new folder: open the
# window again (the wipe answer has no Escape), Tab to Organise…, choose
# ~/Pictures/Photo library, untick Camera uploads (the halted scan), preview.
close_window
mkdir -p "$HOME/Pictures/Photo library"
open_window
key Tab # the typed path
key Tab # the safe-to-wipe question
key Tab # Organise into a dated library…
key space
sleep 1.5
click 584 168 1.5  # Choose…
typed_folder "~/Pictures/Photo library"
click 155 290 0.5  # untick Camera uploads, second of the sources (newest scan first)
click 187 665 4    # Preview
xdotool mousemove 1270 790
shot organise-preview
click 890 296 10   # "Copy … files (…) into ~/Pictures/Photo library"
xdotool mousemove 1270 790
shot organise-done

# Review dates: a library of its own with one scan of the family photos (made
# by the command line), opened from History, the Files view switched to
# "Review dates", its first file selected and the detail panel scrolled to
# its candidates and neighbours.
close_window
export SHOEBOX_DB="$work/review.db"
"$bin" scan "$photos" >/dev/null 2>&1
open_window
key ctrl+4
sleep 1.5
click 1130 144 2 # Open, the only scan
click 148 62 1   # Show: the confidence filter
click 110 135 1  # Review dates, second in its list
click 150 138 3  # the first file to review; its preview decodes
xdotool mousemove 1070 500
for _ in $(seq 1 5); do xdotool click 5; done # the preview half in sight
xdotool mousemove 1270 790
shot review
# Bulk date corrections: a library of its own with the corpus copied in as
# "Old phone" (the family photos lost their extra copies to the quarantine
# above), opened from History; in Files three files are selected (a click,
# then a Shift-click), a camera's clock shifted by one photo's true time and
# applied, a trip's time zone previewed, and the write to sidecars previewed.
close_window
export SHOEBOX_DB="$work/dates.db"
phone="$HOME/Pictures/Old phone"
cp -al "$corpus" "$phone" 2>/dev/null || cp -a "$corpus" "$phone"
"$bin" scan "$phone" >/dev/null 2>&1
open_window
key ctrl+4
sleep 1.5
click 1130 144 2 # Open, the only scan
key ctrl+2
sleep 1.5
click 150 338 1.5 # Backup/compressed/IMG_1037.JPG
xdotool keydown shift mousemove 150 418 click 1 keyup shift # Shift-click IMG_1044: three selected
sleep 1
click 605 777 1   # Fix dates
click 640 744 1.5 # Shift a camera's clock…
click 680 165 0.3 # True time, showing the photo's date
key ctrl+a
xdotool type --delay 30 "2016-08-17T10:52:08-07:00"
click 540 357 0.3 # from
xdotool type --delay 30 "2016"
click 880 357 0.3 # until
xdotool type --delay 30 "2017-06"
click 280 431 2   # Preview
xdotool mousemove 1270 790
shot dates-shift
click 712 726 2   # Apply to 3 files
click 605 777 1   # Fix dates
click 640 783 1.5 # Correct the time zone of a trip…; the offset has the focus
xdotool type --delay 30 "+09:00"
click 245 221 0.5 # The camera stayed on home time
click 280 501 2   # Preview
xdotool mousemove 1270 790
shot dates-zone
click 566 726 1   # Cancel
click 757 777 2   # Write dates to files…; its preview comes at once
xdotool mousemove 1270 790
shot dates-write
grep -c "Error in Fyne call thread" "$work/app.log" && echo "screenshots: threading errors (see above)" >&2 || true

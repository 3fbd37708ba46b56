#!/usr/bin/env bash
# gen-corpus.sh N DIR: a synthetic benchmark folder for when shared/bench (real
# photographs) is not at hand: camera-sized JPEGs with fractal texture and
# EXIF dates, byte copies, resized and recompressed copies, and a few bad
# files. Needs ImageMagick and exiftool (scripts/install-deps.sh --bench).
set -euo pipefail
n=${1:?N}; dir=${2:?DIR}
mkdir -p "$dir/DCIM" "$dir/Copies" "$dir/Resized" "$dir/Broken"
originals=$(( n * 5 / 10 ))
for i in $(seq 1 "$originals"); do
  f=$(printf '%s/DCIM/IMG_%04d.jpg' "$dir" "$i")
  convert -seed "$i" -size 4000x3000 plasma:fractal -blur 0x1 -quality 90 "$f"
  d=$(printf '2021:%02d:%02d %02d:%02d:%02d' $(( i % 12 + 1 )) $(( i % 28 + 1 )) $(( i % 24 )) $(( i % 60 )) $(( (i * 7) % 60 )))
  exiftool -q -overwrite_original -Make=Shoebox -Model=Bench -DateTimeOriginal="$d" -CreateDate="$d" "$f"
done
i=0
for f in "$dir"/DCIM/*.jpg; do
  i=$((i + 1)); b=$(basename "$f" .jpg)
  case $(( i % 4 )) in
    0) cp "$f" "$dir/Copies/$b copy.jpg" ;;
    1) convert "$f" -resize 1600x "$dir/Resized/$b-1600.jpg" ;;
    2) convert "$f" -quality 60 "$dir/Resized/$b-q60.jpg" ;;
  esac
done
: >"$dir/Broken/empty.jpg"
head -c 200000 "$(ls "$dir"/DCIM/*.jpg | head -1)" >"$dir/Broken/truncated.jpg"
head -c 50000 /dev/urandom >"$dir/Broken/random.jpg"
printf '<!DOCTYPE html><html><body>404</body></html>' >"$dir/Broken/page.jpg"

#!/usr/bin/env bash
# Regenerates the JPEG fixtures of imagehash/jpegdc and imagehash tests from
# Debian wallpapers (mate-backgrounds 1.26.0-1, lomiri-wallpapers-20.04), e.g.
#   SRC=~/.cache/photo-corpus-src/usr/share/backgrounds bash make-fixtures.sh
# Needs ImageMagick 6 convert and libjpeg-turbo cjpeg/djpeg/jpegtran.
set -euo pipefail
SRC=${SRC:-$HOME/.cache/photo-corpus-src/usr/share/backgrounds}
C="convert -limit thread 1"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
# two scenes, odd sizes (not multiples of 8 or 16) on purpose
$C "$SRC/mate/nature/Garden.jpg" -resize 501x -gravity center -crop 501x373+0+0 +repage "$t/a.ppm"
$C "$SRC/Kleiber_by_Lukas_Baubkus.jpg" -resize 420x -gravity center -crop 420x315+0+0 +repage "$t/b.ppm"
$C "$SRC/mate/nature/Storm.jpg" -resize 384x -gravity center -crop 384x256+0+0 +repage "$t/c.ppm"
cjpeg -quality 90 -sample 2x2 "$t/a.ppm" > a-420.jpg
cjpeg -quality 90 -sample 2x1 "$t/a.ppm" > a-422.jpg
cjpeg -quality 92 -sample 1x1 "$t/a.ppm" > a-444.jpg
cjpeg -quality 85 -sample 1x2 "$t/a.ppm" > a-440.jpg
cjpeg -quality 85 -sample 4x1 "$t/a.ppm" > a-411.jpg
cjpeg -quality 88 -progressive "$t/a.ppm" > a-prog.jpg
cjpeg -quality 88 -progressive -sample 1x1 "$t/a.ppm" > a-prog-444.jpg
cjpeg -quality 90 -restart 1 "$t/a.ppm" > a-rst1.jpg
cjpeg -quality 90 -restart 3B -optimize "$t/a.ppm" > a-rst3b-opt.jpg
cjpeg -quality 80 -progressive -restart 2 "$t/a.ppm" > a-prog-rst.jpg
cjpeg -quality 95 -grayscale "$t/a.ppm" > a-gray.jpg
cjpeg -quality 90 -grayscale -progressive "$t/a.ppm" > a-gray-prog.jpg
cjpeg -quality 75 -rgb "$t/a.ppm" > a-rgb.jpg
cjpeg -quality 50 -sample 2x2 "$t/a.ppm" > a-q50.jpg
$C "$t/a.ppm" -colorspace CMYK -quality 90 a-cmyk.jpg
$C "$t/a.ppm" -resize 50% -quality 80 a-half.jpg
$C "$t/a.ppm" -modulate 110,100,100 -quality 85 a-bright.jpg
cjpeg -quality 90 "$t/b.ppm" > b-420.jpg
cjpeg -quality 85 -progressive "$t/b.ppm" > b-prog.jpg
$C "$t/b.ppm" -colorspace CMYK -interlace JPEG -quality 85 b-cmyk-prog.jpg
cjpeg -quality 90 "$t/c.ppm" > c-420.jpg
$C "$t/c.ppm" -quality 90 -define jpeg:restart-interval=5 c-im-rst.jpg
# orientation fixtures: c rotated 90 CW in the pixels vs. c with orientation flag 6
$C "$t/c.ppm" -rotate 90 ppm:- | cjpeg -quality 90 > c-rot90.jpg
# non-JPEG formats (small: c at half size, d-* below for the agreement test)
$C "$t/c.ppm" c.png
$C "$t/c.ppm" -resize 60% -colors 200 c.gif
$C "$t/c.ppm" -quality 80 c.webp
$C "$t/c.ppm" -resize 50% -compress lzw c.tiff
$C "$t/c.ppm" -resize 50% -type truecolor bmp3:c.bmp
# larger JPEGs (DC image >= 64 px on the short side, like real photos) for the
# fast-path / full-decode agreement test
$C "$SRC/mate/nature/LadyBird.jpg" -resize 1024x640^ -gravity center -crop 1024x640+0+0 +repage "$t/d.ppm"
$C "$SRC/mate/nature/Dune.jpg" -resize 768x544^ -gravity center -crop 768x544+0+0 +repage "$t/e.ppm"
$C "$SRC/Infinite-Sea_by_Aury88.jpg" -resize 640x520^ -gravity center -crop 640x520+0+0 +repage "$t/f.ppm"
cjpeg -quality 75 "$t/d.ppm" > d-420.jpg
cjpeg -quality 70 -progressive -sample 1x1 -restart 4 "$t/d.ppm" > d-prog-444-rst.jpg
cjpeg -quality 75 -sample 2x1 "$t/e.ppm" > e-422.jpg
cjpeg -quality 80 -grayscale "$t/e.ppm" > e-gray.jpg
$C "$t/f.ppm" -colorspace CMYK -quality 70 f-cmyk.jpg
cjpeg -quality 70 -progressive "$t/f.ppm" > f-prog.jpg
# ImageMagick writes CMYK JPEGs as YCCK (Adobe transform 2); make a plain
# Adobe CMYK (transform 0) one by patching the transform byte: both decoders
# then read the same data as inverted CMYK.
python3 -c '
import sys
d = bytearray(open("f-cmyk.jpg", "rb").read())
i = d.find(b"Adobe")
d[i + 11] = 0
open("f-cmyk-transform0.jpg", "wb").write(d)'

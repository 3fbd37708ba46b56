#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, test and run
# Shoebox: the C headers Fyne's GLFW driver compiles against, and libjpeg's
# for the optional libjpeg-turbo decoder that make test checks. Extra groups:
#   --test       exiftool (tests read every written date back with it), dosfstools (the FAT-image test),
#                libheif-examples (heif-enc makes a HEIC for the preview test, heif-convert decodes it) and
#                dbus (the folder chooser's tests start a private dbus-daemon; "dbus" names it on old and new releases)
#   --gui-check  Xvfb, xauth, ImageMagick and xdotool, to look at the window headless
#   --windows    the mingw-w64 cross compiler for the Windows .exe
#   --bench      exiftool, ImageMagick (with Ghostscript fonts for its text), heif-enc and djpeg, to build and measure the benchmark folder
# Packages already installed are not touched; nothing runs apt when nothing is missing.
set -euo pipefail

pkgs=(gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev libjpeg-dev)
for arg in "$@"; do
  case "$arg" in
    --test) pkgs+=(libimage-exiftool-perl dosfstools libheif-examples dbus) ;;
    --gui-check) pkgs+=(xvfb xauth imagemagick xdotool) ;;
    --windows) pkgs+=(gcc-mingw-w64-x86-64) ;;
    --bench) pkgs+=(imagemagick ghostscript gsfonts libimage-exiftool-perl libheif-examples libjpeg-turbo-progs python3 time) ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "install-deps: please install these packages with your package manager: ${missing[*]}" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Go itself: 1.26 or newer.
if ! command -v go >/dev/null; then
  echo "install-deps: Go 1.26 or newer is needed (https://go.dev/dl/); put it on PATH and run again" >&2
  exit 1
fi
v=$(go env GOVERSION | sed 's/^go//')
major=${v%%.*}; rest=${v#*.}; minor=${rest%%.*}
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 26 ]; }; then
  echo "install-deps: Go $v is too old; Shoebox needs Go 1.26 or newer" >&2
  exit 1
fi

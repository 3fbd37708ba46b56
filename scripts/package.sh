#!/usr/bin/env bash
# Builds Shoebox's desktop packages into dist/ (or $OUT):
#   dist/Shoebox.tar.xz   Linux package made by the fyne tool (binary, icon, .desktop file, Makefile to install)
#   dist/Shoebox.exe      Windows build with its icon, cross-compiled with mingw-w64
# On a Mac it builds dist/Shoebox.app instead (needs the Xcode command-line tools).
# Needs: Go, a C compiler and the GL/X11 headers for the Linux build
# (libgl1-mesa-dev xorg-dev), gcc-mingw-w64-x86-64 for the Windows one.
# The fyne tool is installed from the Go module proxy when it is missing.
# `fyne package` rewrites FyneApp.toml (it bumps Build): it is restored afterwards.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=${OUT:-dist}
FYNE_VERSION=v1.7.4
mkdir -p "$OUT"

fyne_bin=$(command -v fyne || true)
if [ -z "$fyne_bin" ]; then
	fyne_bin="$(go env GOPATH)/bin/fyne"
	if [ ! -x "$fyne_bin" ]; then
		echo "package: installing fyne.io/tools/cmd/fyne@$FYNE_VERSION"
		go install "fyne.io/tools/cmd/fyne@$FYNE_VERSION"
	fi
fi

backup=$(mktemp)
cp FyneApp.toml "$backup"
restore() {
	cp "$backup" FyneApp.toml
	rm -f "$backup"
}
trap restore EXIT

if [ "$(uname -s)" = Darwin ]; then
	echo "package: macOS (fyne package)"
	rm -rf Shoebox.app "$OUT/Shoebox.app"
	"$fyne_bin" package --target darwin --release --src .
	mv Shoebox.app "$OUT/Shoebox.app"
	ls -ld "$OUT/Shoebox.app"
	exit 0
fi

echo "package: Linux (fyne package)"
rm -f Shoebox.tar.xz
"$fyne_bin" package --target linux --release --src .
mv Shoebox.tar.xz "$OUT/Shoebox.tar.xz"

echo "package: Windows (mingw-w64)"
# The fyne tool cross-compiles with the same toolchain and also embeds the
# icon and a manifest; the plain build below is the fallback.
rm -f Shoebox.exe
if CGO_ENABLED=1 GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	"$fyne_bin" package --target windows --release --src . && [ -f Shoebox.exe ]; then
	mv Shoebox.exe "$OUT/Shoebox.exe"
else
	echo "package: fyne could not build for Windows; building the .exe without an icon"
	cp "$backup" FyneApp.toml
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		go build -trimpath -ldflags "-H=windowsgui -s -w" -o "$OUT/Shoebox.exe" .
fi

ls -l "$OUT/Shoebox.tar.xz" "$OUT/Shoebox.exe"

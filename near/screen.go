package near

import (
	"bytes"
	"strings"
)

// screenshotWords are the words phones and desktops put in a screenshot's
// file name, lower case: Android, iOS exports, macOS, Windows, GNOME/KDE, in
// the languages the system names them in.
var screenshotWords = []string{
	"screenshot", "screen shot", "screen_shot", "screen-shot", "screencapture", "screen capture",
	"bildschirmfoto", "capture d’écran", "capture d'écran", "captura de pantalla", "captura de tela",
	"schermafbeelding", "schermata", "skärmbild", "skærmbillede", "skjermbilde", "kuvakaappaus",
	"zrzut ekranu", "снимок экрана", "скриншот", "スクリーンショット", "屏幕截图", "截屏", "螢幕擷取畫面", "스크린샷",
}

// IsScreenshotName reports whether a file's name or the folder it is in
// (Android keeps them in Pictures/Screenshots) says the image is a
// screenshot. Near-duplicate grouping holds screenshots to a tighter dHash
// (Item.Screen). It is asked of every file of a job, a million at a time,
// so it allocates nothing for a short ASCII name.
func IsScreenshotName(path string) bool {
	end := len(path)
	for range 2 { // the name, then its folder
		for end > 0 && isPathSep(path[end-1]) {
			end--
		}
		start := end
		for start > 0 && !isPathSep(path[start-1]) {
			start--
		}
		if start == end {
			return false
		}
		if hasScreenshotWord(path[start:end]) {
			return true
		}
		end = start
	}
	return false
}

func isPathSep(c byte) bool { return c == '/' || c == '\\' }

// hasScreenshotWord says whether one part of a path holds a screenshot
// word, in any case.
func hasScreenshotWord(part string) bool {
	var buf [128]byte
	if len(part) > len(buf) || !isASCII(part) {
		n := strings.ToLower(part)
		for _, w := range screenshotWords {
			if strings.Contains(n, w) {
				return true
			}
		}
		return false
	}
	lower := buf[:len(part)]
	for i := range len(part) {
		c := part[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, w := range asciiScreenshotWords {
		if bytes.Contains(lower, w) {
			return true
		}
	}
	return false
}

// asciiScreenshotWords are the screenshot words written in ASCII: the only
// ones an ASCII name can hold.
var asciiScreenshotWords = func() [][]byte {
	var out [][]byte
	for _, w := range screenshotWords {
		if isASCII(w) {
			out = append(out, []byte(w))
		}
	}
	return out
}()

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

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
// (Item.Screen). It allocates nothing for a short ASCII name.
func IsScreenshotName(path string) bool { return screenPath(nil, path) }

// ScreenNames answers IsScreenshotName for the files of a job, a million at
// a time, in path order: the folder shared by a run of files is looked at
// once, not once a file. The zero value is ready.
type ScreenNames struct {
	folder       []byte // the last folder name looked at (a copy)
	folderScreen bool   // what it said
	known        bool
}

// Is is IsScreenshotName(string(path)), remembering the folder's answer.
func (s *ScreenNames) Is(path string) bool { return screenPath(s, path) }

// IsBytes is Is for a path in bytes (a key the store hands over).
func (s *ScreenNames) IsBytes(path []byte) bool { return screenPath(s, path) }

// screenPath is IsScreenshotName, remembering the folder's answer in s
// unless s is nil.
func screenPath[P ~string | ~[]byte](s *ScreenNames, path P) bool {
	name, folder, ok := lastTwoParts(path)
	if !ok {
		return false
	}
	if hasScreenshotWord(name) {
		return true
	}
	if len(folder) == 0 {
		return false
	}
	if s == nil {
		return hasScreenshotWord(folder)
	}
	if !s.known || string(s.folder) != string(folder) {
		s.folder = append(s.folder[:0], folder...)
		s.folderScreen, s.known = hasScreenshotWord(folder), true
	}
	return s.folderScreen
}

// lastTwoParts is a path's name and the name of its folder (empty at the
// top), trailing separators left out; ok is false for a path with no name.
func lastTwoParts[P ~string | ~[]byte](path P) (name, folder P, ok bool) {
	end := len(path)
	var parts [2]P
	for i := range parts {
		for end > 0 && isPathSep(path[end-1]) {
			end--
		}
		start := end
		for start > 0 && !isPathSep(path[start-1]) {
			start--
		}
		parts[i] = path[start:end]
		end = start
	}
	return parts[0], parts[1], len(parts[0]) > 0
}

func isPathSep(c byte) bool { return c == '/' || c == '\\' }

// hasScreenshotWord says whether one part of a path holds a screenshot
// word, in any case.
func hasScreenshotWord[P ~string | ~[]byte](part P) bool {
	var buf [128]byte
	if len(part) > len(buf) || !isASCII(part) {
		n := strings.ToLower(string(part))
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
	// One pass over the name, a word tried only where its first letter
	// is: a million names are asked a search, nearly none holding a word.
	for i, c := range lower {
		for _, w := range asciiWordsByFirst[c] {
			if bytes.HasPrefix(lower[i:], w) {
				return true
			}
		}
	}
	return false
}

// asciiWordsByFirst are the screenshot words written in ASCII (the only
// ones an ASCII name can hold), by their first letter.
var asciiWordsByFirst = func() (by [256][][]byte) {
	for _, w := range screenshotWords {
		if isASCII(w) {
			by[w[0]] = append(by[w[0]], []byte(w))
		}
	}
	return by
}()

func isASCII[P ~string | ~[]byte](s P) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

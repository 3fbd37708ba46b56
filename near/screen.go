package near

import "strings"

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
// (Item.Screen).
func IsScreenshotName(path string) bool {
	parts := strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '\\' })
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	for _, p := range parts {
		n := strings.ToLower(p)
		for _, w := range screenshotWords {
			if strings.Contains(n, w) {
				return true
			}
		}
	}
	return false
}

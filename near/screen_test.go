package near

import (
	"strings"
	"testing"
)

func TestIsScreenshotName(t *testing.T) {
	for name, want := range map[string]bool{
		"Screenshot_20190704-153012.png":                 true,
		"Screenshot_20190704-153012_Chrome.jpg":          true,
		"Screen Shot 2019-07-04 at 7.05.09 PM.png":       true,
		"Screenshot 2023-03-15 at 10.20.30\u202fAM.png":  true,
		"Screenshot from 2024-09-10 07-04-16 - Copy.png": true,
		"Bildschirmfoto 2021-05-06 um 14.22.31.png":      true,
		"Capture d’écran 2021-05-06 à 14.22.31.png":      true,
		"スクリーンショット 2021-05-06 14.22.31.png":              true,
		"Pictures/Screenshots/IMG_1234.PNG":              true,  // the folder says so
		"Screenshots/2019/IMG_1234.PNG":                  false, // only the folder it is in counts
		"IMG_20190704_153012.jpg":                        false,
		"IMG-20180312-WA0007.jpg":                        false,
		"screen.png":                                     false,
		"C:\\Users\\me\\Pictures\\Screenshot (12).png":   true,
	} {
		if got := IsScreenshotName(name); got != want {
			t.Errorf("%q: %v, want %v", name, got, want)
		}
	}
}

// Names past the short-name buffer, or not ASCII, are judged as short ASCII ones are.
func TestIsScreenshotNameLongAndNonASCII(t *testing.T) {
	long := strings.Repeat("x", 200)
	for name, want := range map[string]bool{
		long + "_Screenshot.png":               true,
		long + ".png":                          false,
		"Ünterordner/SCREENSHOT_1.png":         true,
		"Ünterordner/IMG_1.png":                false,
		"a/" + long + "/Screen_Shot/IMG_1.png": true,
		"screenshots//":                        true,
		"//":                                   false,
		"":                                     false,
		"Снимок экрана 2021-05-06 в 14.22.31.png": true,
	} {
		if got := IsScreenshotName(name); got != want {
			t.Errorf("%q: %v, want %v", name, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { IsScreenshotName("Pictures/2019/IMG_20190704_153012.JPG") }); n != 0 {
		t.Errorf("a short ASCII name costs %v allocations, want none", n)
	}
}

// ScreenNames remembers a folder's answer between files: it must still say
// what IsScreenshotName says when the folder changes, for strings and bytes.
func TestScreenNamesAgreeWithIsScreenshotNameFileAfterFile(t *testing.T) {
	paths := []string{
		"Pictures/Screenshots/IMG_1.png", "Pictures/Screenshots/IMG_2.png",
		"Pictures/Camera/IMG_3.png", "Pictures/Camera/Screenshot_4.png",
		"Other/Screenshots/IMG_5.png", "Screenshots/IMG_6.png", "IMG_7.png",
		"Screenshots/Camera/IMG_8.png", "Ünterordner/SCREENSHOT_9.png", "Skärmbild/x.png",
		"a/Screenshots//", "Camera/IMG_10.png",
	}
	var s, b ScreenNames
	for _, p := range paths {
		want := IsScreenshotName(p)
		if got := s.Is(p); got != want {
			t.Errorf("Is(%q) = %v after the paths before it, want %v", p, got, want)
		}
		if got := b.IsBytes([]byte(p)); got != want {
			t.Errorf("IsBytes(%q) = %v after the paths before it, want %v", p, got, want)
		}
	}
	if !IsScreenshotName(paths[0]) || IsScreenshotName(paths[2]) {
		t.Fatal("the table no longer has both answers")
	}
}

// Every screenshot word is found wherever it stands in a name, in any case.
func TestEveryScreenshotWordIsFoundAnywhereInAName(t *testing.T) {
	for _, w := range screenshotWords {
		for _, name := range []string{w + ".png", "IMG " + strings.ToUpper(w) + " 2.png", "a/x" + w + "y.jpg", "a/b" + w + "/c.jpg"} {
			if !IsScreenshotName(name) {
				t.Errorf("%q: not a screenshot name", name)
			}
		}
	}
}

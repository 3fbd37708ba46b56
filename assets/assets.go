package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is Shoebox's application icon: a shoebox with a photo peeking out (512x512 PNG).
func Icon() fyne.Resource {
	return fyne.NewStaticResource("icon.png", iconPNG)
}

package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// brand is Shoebox's cardboard orange.
var brand = color.NRGBA{R: 0xc8, G: 0x70, B: 0x2a, A: 0xff}

// shoeboxTheme is the default theme with Shoebox's warm accent colour.
type shoeboxTheme struct{ fyne.Theme }

func newTheme() fyne.Theme { return shoeboxTheme{theme.DefaultTheme()} }

func (t shoeboxTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return brand
	case theme.ColorNameFocus:
		return color.NRGBA{R: brand.R, G: brand.G, B: brand.B, A: 0x80}
	case theme.ColorNameDisabled:
		// The default disabled grey is too faint for the quiet captions and
		// hints that use it; keep it clearly dimmer than text but readable.
		if v == theme.VariantDark {
			return color.NRGBA{R: 0x86, G: 0x86, B: 0x86, A: 0xff}
		}
		return color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
	case theme.ColorNameSelection:
		return color.NRGBA{R: brand.R, G: brand.G, B: brand.B, A: 0x40}
	}
	return t.Theme.Color(n, v)
}

// Package assets holds Shoebox's embedded images. The icon is drawn by
// gen_icon.go (go run assets/gen_icon.go).
package assets

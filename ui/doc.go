// Package ui is Shoebox's Fyne window. It is the only package that calls
// fyne.Do, and it talks to the engine through the small Engine interface
// (engine.go), which *app.Library satisfies and tests replace with a fake.
package ui

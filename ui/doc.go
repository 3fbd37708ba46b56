// Package ui is Shoebox's Fyne window. It is the only package that calls
// fyne.Do, and it talks to the engine through the small Engine interface
// (engine.go), which *app.Library satisfies and tests replace with a fake.
// Its only other reaches outside the process are asking the system to open a
// file or show it in its folder (reveal.go), through UI.system, and for a
// folder with the system's own chooser (picker.go: the xdg-desktop-portal
// over D-Bus, the Windows shell through COM, osascript on macOS), through
// UI.picker; tests replace both.
package ui

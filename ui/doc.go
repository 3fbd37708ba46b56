// Package ui is Shoebox's Fyne window. It is the only package that calls
// fyne.Do, and it talks to the engine through the small Engine interface
// (engine.go), which *app.Library satisfies and tests replace with a fake.
// Its only other reach outside the process is asking the system to open a
// file or show it in its folder (reveal.go), through UI.system so tests
// record the calls instead.
package ui

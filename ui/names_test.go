package ui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// A Latin-1 name ("Fête") from an old disk is not UTF-8: wherever the window
// shows a path it must be valid text, with the bad byte as U+FFFD.
func TestNamesThatAreNotUTF8AreShownReadably(t *testing.T) {
	r := store.FileRecord{Root: "/mnt/Vacances \xe9t\xe9", RelPath: "DCIM/F\xeate.jpg", MIME: "image/jpeg",
		Status: media.StatusError, Error: "cannot read F\xeate.jpg"}
	shown := map[string]string{
		"file column":  fileCell(new(app.NewRowBuilder().Row(&r)), 0),
		"facts":        fileFacts(r),
		"roots":        rootsLabel([]string{r.Root, "/ok"}),
		"folder":       homeShort(r.Root),
		"elided":       app.ElideMiddle(r.RelPath, 100),
		"middle label": newMiddleLabel(r.RelPath).Full(),
	}
	l := newMiddleLabel("")
	l.SetFull(r.Root + "/" + r.RelPath)
	shown["middle label set"] = l.Full()
	for what, s := range shown {
		if !utf8.ValidString(s) {
			t.Errorf("%s shows %q", what, s)
		}
	}
	if shown["file column"] != "DCIM/F\uFFFDte.jpg" {
		t.Errorf("file column %q", shown["file column"])
	}
	if !strings.Contains(shown["facts"], "Vacances \uFFFDt\uFFFD/DCIM") {
		t.Errorf("facts %q", shown["facts"])
	}
}

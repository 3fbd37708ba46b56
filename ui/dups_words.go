package ui

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/near"
	"shoebox/store"
)

// groupTitle is a group's heading and why its files are one group, in
// plain words; the measurements are one click away (showNumbers).
// same is the groups' extra paths to one file (app.SameFilePaths).
func groupTitle(g store.DupGroup, same map[string]bool) (string, string) {
	if !g.Near {
		aliases := 0
		for _, f := range g.Files {
			if same[f.AbsPath()] {
				aliases++
			}
		}
		if len(g.Files) > 1 && aliases == len(g.Files)-1 {
			return fmt.Sprintf("One file · %d names", len(g.Files)),
				"These paths lead to the same file on disk (hard links, or a folder reached through a link): removing a name would free nothing, so they are left alone."
		}
		spare := app.SpareBytes(g, same)
		return fmt.Sprintf("Exact copies · %d files", len(g.Files)),
			fmt.Sprintf("The same bytes, file for file: keeping one loses nothing and frees %s.", media.SizeText(spare))
	}
	seen, pictures := map[string]bool{}, 0
	for _, f := range g.Files {
		if f.SHA256 == "" || !seen[f.SHA256] {
			pictures++
		}
		seen[f.SHA256] = true
	}
	if pictures < len(g.Files) { // exact copies share a card
		return fmt.Sprintf("Look-alikes · %d pictures, %d files", pictures, len(g.Files)), nearWords(g)
	}
	return fmt.Sprintf("Look-alikes · %d files", len(g.Files)), nearWords(g)
}

// nearWords says why look-alikes were grouped, from what the evidence
// found: their pictures (how many of the 64 points of the pictures'
// fingerprints differ), a colour edit, a crop, or the camera and the
// second they were taken.
func nearWords(g store.DupGroup) string {
	all := strings.Join(g.Evidence, "\n")
	var parts []string
	pixels := strings.Contains(all, "pHash") || len(g.Evidence) == 0
	switch {
	case !pixels:
	case g.MaxDistance == 0:
		parts = append(parts, "Look the same: their pictures match on all 64 points compared")
	case g.MaxDistance == 1:
		parts = append(parts, "Look the same: their pictures differ by 1 of 64 points")
	default:
		parts = append(parts, fmt.Sprintf("Look the same: their pictures differ by up to %d of 64 points", g.MaxDistance))
	}
	if strings.Contains(all, near.ReasonColourEdit) {
		parts = append(parts, "the colours differ, as after an edit")
	}
	if strings.Contains(all, "as after a crop") {
		parts = append(parts, "one looks cropped from the other")
	}
	switch {
	case strings.Contains(all, "same camera"):
		parts = append(parts, "taken by the same camera in the same second")
	case strings.Contains(all, "the same file name"):
		parts = append(parts, "the same name and time of taking")
	}
	if strings.Contains(all, "cannot be decoded here") {
		parts = append(parts, "a picture Shoebox cannot decode was matched by these facts alone")
	}
	if len(parts) == 0 {
		return "Look the same."
	}
	return upperFirst(strings.Join(parts, "; ")) + "."
}

// showNumbers shows the measurements behind a group's words.
func (r *groupRow) showNumbers() {
	if r.v == nil {
		return
	}
	g := r.g
	var lines []string
	if !g.Near {
		lines = append(lines, "SHA-256 of every file: "+g.SHA256)
		for _, f := range g.Files {
			lines = append(lines, fmt.Sprintf("%s: %d bytes", app.ReadablePath(f.AbsPath()), f.Size))
		}
	} else {
		lines = append(lines, fmt.Sprintf("Largest perceptual-hash (pHash) distance in the group: %d of 64 bits.", g.MaxDistance),
			"Each pair that joined the group:")
		for _, e := range g.Evidence {
			lines = append(lines, "• "+app.ReadablePath(e))
		}
	}
	msg := widget.NewLabel(strings.Join(lines, "\n"))
	msg.Wrapping = fyne.TextWrapWord
	msg.Selectable = true
	title, _ := groupTitle(g, r.v.same)
	d := dialog.NewCustom(title+": the numbers", "Close", container.NewVScroll(msg), r.v.u.win)
	d.Resize(fyne.NewSize(680, 400))
	r.v.u.showDialog(d)
}

// upperFirst starts a sentence, leaving names such as pHash and iPhone as
// they are.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

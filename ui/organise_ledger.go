package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// After an organise run: every input's fate (its ledger), filterable by
// fate, and for each source whether it is safe to wipe, which is said only
// when app.SafeToWipe proves it.

// ledgerView is an open ledger. UI goroutine only.
type ledgerView struct {
	all     []app.LedgerEntry
	shown   []app.LedgerEntry
	filter  *widget.Select
	table   *widget.Table
	verdict *widget.Label
}

// allFates is the filter's first choice.
const allFates = "All"

// showLedger reads run id's ledger and shows it in a dialog.
func (u *UI) showLedger(id uint64) {
	u.spawn(func() {
		j, entries, err := u.eng.Ledger(id)
		u.do(func() {
			if err != nil {
				u.showError("Could not read the run's ledger", err)
				return
			}
			lv := newLedgerView(j, entries)
			u.ledger = lv
			// The copied list has each whole path and reason (a cell may cut them).
			copyList := widget.NewButtonWithIcon("Copy the list", theme.ContentCopyIcon(), func() {
				lines := make([]string, 0, len(lv.shown))
				for _, e := range lv.shown {
					lines = append(lines, ledgerRowText(e))
				}
				u.app.Clipboard().SetContent(strings.Join(lines, "\n"))
			})
			bar := container.NewHBox(widget.NewLabel("Show"), lv.filter, layoutSpacer(), copyList)
			d := dialog.NewCustom(fmt.Sprintf("Run %d: where each of %s went", id, plural(len(entries), "file")), "Close",
				container.NewBorder(container.NewVBox(lv.verdict, bar), nil, nil, nil, lv.table), u.win)
			d.Resize(fyne.NewSize(1000, 600))
			u.showDialog(d)
		})
	})
}

func newLedgerView(j store.Job, entries []app.LedgerEntry) *ledgerView {
	lv := &ledgerView{all: entries}
	lv.verdict = widget.NewLabel(wipeVerdicts(j.Roots, entries))
	lv.verdict.Wrapping = fyne.TextWrapWord
	n := fateCounts(entries)
	opts := []string{fmt.Sprintf("%s (%s)", allFates, thousands(len(entries)))}
	for _, f := range fateOrder {
		opts = append(opts, fmt.Sprintf("%s (%s)", f, thousands(n[f])))
	}
	lv.table = widget.NewTable(
		func() (int, int) { return len(lv.shown), len(ledgerColumns) },
		func() fyne.CanvasObject { return newMiddleLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(lv.shown) {
				o.(*middleLabel).SetFull(ledgerCell(lv.shown[id.Row], id.Col))
			}
		})
	lv.table.ShowHeaderRow = true
	lv.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	lv.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(ledgerColumns[id.Col].title)
		}
	}
	for i, c := range ledgerColumns {
		lv.table.SetColumnWidth(i, c.width)
	}
	lv.filter = widget.NewSelect(opts, func(string) { lv.apply() })
	lv.filter.SetSelected(opts[0])
	return lv
}

// fate is the fate the filter shows, or "" for every one.
func (lv *ledgerView) fate() string {
	f, _, _ := strings.Cut(lv.filter.Selected, " (")
	if f == allFates {
		return ""
	}
	return f
}

// apply shows the entries of the chosen fate.
func (lv *ledgerView) apply() {
	want := lv.fate()
	lv.shown = lv.shown[:0]
	for _, e := range lv.all {
		if want == "" || e.Fate == want {
			lv.shown = append(lv.shown, e)
		}
	}
	if lv.table != nil {
		lv.table.Refresh()
	}
}

// ledgerColumns are the ledger table's columns.
var ledgerColumns = []struct {
	title string
	width float32
}{{"File", 420}, {"Fate", 90}, {"Where it went, or why not", 440}}

// ledgerCell is one cell of the ledger table.
func ledgerCell(e app.LedgerEntry, col int) string {
	switch col {
	case 0:
		return homeShort(e.Source)
	case 1:
		return e.Fate
	}
	s := ""
	switch {
	case e.Dest != "":
		s = homeShort(e.Dest)
	case e.Of != "":
		s = "same bytes as " + homeShort(e.Of)
	}
	if e.Reason != "" {
		s = strings.TrimPrefix(s+" — "+e.Reason, " — ")
	}
	return s
}

// ledgerRowText is one file: source → fate → where it went, or why not.
func ledgerRowText(e app.LedgerEntry) string {
	s := homeShort(e.Source) + " → " + e.Fate
	switch {
	case e.Dest != "":
		s += " → " + homeShort(e.Dest)
	case e.Of != "":
		s += " → same bytes as " + homeShort(e.Of)
	}
	if e.Reason != "" {
		s += " — " + e.Reason
	}
	return s
}

// wipeVerdicts says for each source whether it is safe to wipe: only when
// app.SafeToWipe holds for its files is it called safe.
func wipeVerdicts(roots []string, entries []app.LedgerEntry) string {
	if len(roots) == 0 {
		roots = []string{""}
	}
	var lines []string
	for _, r := range roots {
		var mine []app.LedgerEntry
		for _, e := range entries {
			if r == "" || under(e.Source, r) {
				mine = append(mine, e)
			}
		}
		where := "This source"
		if r != "" {
			where = homeShort(r)
		}
		switch {
		case app.SafeToWipe(mine):
			lines = append(lines, fmt.Sprintf("%s is safe to wipe: each of its %s is in the library, verified.", where, plural(len(mine), "file")))
		case len(mine) == 0:
			lines = append(lines, fmt.Sprintf("%s had no files to organise.", where))
		default:
			lines = append(lines, fmt.Sprintf("Do not wipe %s yet: %s not verified in the library; the ledger says why for each.",
				where, notProven(mine)))
		}
	}
	return strings.Join(lines, "\n")
}

// notProven says how many files lack a verified copy in the library.
func notProven(entries []app.LedgerEntry) string {
	n := 0
	for _, e := range entries {
		if !app.SafeToWipe([]app.LedgerEntry{e}) {
			n++
		}
	}
	if n == 1 {
		return "1 file is"
	}
	return thousands(n) + " files are"
}

// under says whether path is dir or inside it.
func under(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// organiseSummaryText is a finished organise run's summary from its
// ledger: what it copied, what it did not and why, and for each source
// whether it is safe to wipe.
func organiseSummaryText(r app.RunSummary, j store.Job, entries []app.LedgerEntry) string {
	n := fateCounts(entries)
	var not []string
	for _, f := range fateOrder[2:] { // filed and unsorted are copied
		if n[f] > 0 {
			not = append(not, fateCountText(n[f], f))
		}
	}
	s := organiseHead(r, entries)
	if len(not) > 0 {
		s += "; not copied: " + strings.Join(not, ", ") + ". Details lists where each file went, or why not."
	} else {
		s += "."
	}
	if r.Undone {
		return s + " This run has been undone."
	}
	if r.Status == store.StateCompleted {
		s += "\n" + wipeVerdicts(j.Roots, entries)
	}
	return s
}

// organiseHead is how the run ended and what it filed, counted from the
// ledger: the run's own counts have a step for each copy and another for
// each source moved.
func organiseHead(r app.RunSummary, entries []app.LedgerEntry) string {
	n := 0
	var bytes int64
	for _, e := range entries {
		if (e.Fate == store.FateFiled || e.Fate == store.FateUnsorted) && e.Verified {
			n++
			bytes += e.Size
		}
	}
	what := fmt.Sprintf("%s copied into the library (%s)", plural(n, "file"), media.SizeText(bytes))
	if r.Action == "move" {
		what += ", each source moved out once its bytes were verified in the library"
	}
	switch r.Status {
	case store.StateCompleted:
		return "Done: " + what
	case store.StateCancelled:
		return "Cancelled: " + what + " before it stopped"
	}
	return "Stopped midway (Resume goes on): " + what + " so far"
}

// showOrganiseSummary replaces a finished organise run's summary with the
// one its ledger tells (read once).
func (u *UI) showOrganiseSummary(r app.RunSummary) {
	if s, ok := u.verdicts[r.ID]; ok {
		u.scan.summary.SetText(s)
		return
	}
	u.spawn(func() {
		j, entries, err := u.eng.Ledger(r.ID)
		u.do(func() {
			if err != nil || u.jobID != r.ID {
				return
			}
			u.verdicts[r.ID] = organiseSummaryText(r, j, entries)
			u.scan.summary.SetText(u.verdicts[r.ID])
		})
	})
}

package ui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
)

// The action choices, in the order shown, with the plan's names.
var actionChoices = []struct{ name, label string }{
	{"quarantine", "Move copies to the quarantine (a folder beside the library)"},
	{"trash", "Move copies to the Trash"},
	{"hardlink", "Replace copies with hard links to the file kept (same folder, no extra space)"},
}

// changeSettings edits the library's preferences for acting on
// duplicates: the keeper rules' order, protected folders, the action. They
// live in the library, so the command line uses them too, and the core
// enforces the protected folders whatever the window sends. UI goroutine
// only.
type changeSettings struct {
	u      *UI
	root   fyne.CanvasObject
	prefs  app.ChangePreferences
	loaded bool

	rules    *fyne.Container
	up, down []*widget.Button // per rule, for tests
	protect  *fyne.Container
	action   *widget.RadioGroup
	status   *widget.Label
}

func newChangeSettings(u *UI) *changeSettings {
	c := &changeSettings{u: u, rules: container.NewVBox(), protect: container.NewVBox()}
	labels := make([]string, len(actionChoices))
	for i, a := range actionChoices {
		labels[i] = a.label
	}
	c.action = widget.NewRadioGroup(labels, nil)
	c.action.Required = true
	c.status = caption("Reading the library's choices…")
	c.status.Wrapping = fyne.TextWrapWord
	reset := widget.NewButtonWithIcon("Reset to default order", theme.HistoryIcon(), func() {
		c.prefs.KeepRules = app.DefaultKeepRules()
		c.changed()
	})
	add := widget.NewButtonWithIcon("Add folder…", theme.FolderNewIcon(), c.chooseProtect)
	intro := widget.NewLabel("Each group of duplicates keeps one file. The rules below choose it, first rule first; " +
		"a later rule only decides between files the earlier ones found equal.")
	intro.Wrapping = fyne.TextWrapWord
	protectHint := caption("Files in these folders are never moved or replaced, whatever a plan says.")
	protectHint.Wrapping = fyne.TextWrapWord
	c.root = container.NewVBox(
		heading("Acting on duplicates"), c.status, intro,
		widget.NewLabelWithStyle("Keeper rules, in order", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.rules, container.NewHBox(reset),
		widget.NewLabelWithStyle("Protected folders", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		protectHint, c.protect, container.NewHBox(add),
		widget.NewLabelWithStyle("What happens to the copies removed", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		c.action)
	c.show()
	return c
}

// load reads the library's preferences.
func (c *changeSettings) load() {
	c.u.spawn(func() {
		p, err := c.u.eng.ChangePreferences()
		c.u.do(func() {
			if err != nil {
				setLabel(c.status, "Could not read the library's choices: "+err.Error(), widget.DangerImportance)
				return
			}
			c.prefs, c.loaded = p, true
			c.prefs.KeepRules = fullRuleOrder(p.KeepRules)
			if c.prefs.Action == "" {
				c.prefs.Action = "quarantine"
			}
			setLabel(c.status, "Saved in the library as you change them; the command line uses them too.", widget.MediumImportance)
			c.show()
		})
	})
}

// fullRuleOrder lists every rule: the named ones first, then the others in
// their default order, as the core reads a shorter list.
func fullRuleOrder(names []string) []string {
	out := []string{}
	for _, n := range names {
		if slices.Contains(app.DefaultKeepRules(), n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, n := range app.DefaultKeepRules() {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// show lays the preferences out again.
func (c *changeSettings) show() {
	rules := fullRuleOrder(c.prefs.KeepRules)
	c.rules.RemoveAll()
	c.up, c.down = c.up[:0], c.down[:0]
	for i, name := range rules {
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { c.moveRule(i, -1) })
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { c.moveRule(i, +1) })
		enableIf(up, c.loaded && i > 0)
		enableIf(down, c.loaded && i < len(rules)-1)
		c.up, c.down = append(c.up, up), append(c.down, down)
		words := keepRuleWords[name]
		if words == "" {
			words = name
		}
		c.rules.Add(container.NewBorder(nil, nil, nil, container.NewHBox(up, down),
			widget.NewLabel(fmt.Sprintf("%d. %s", i+1, upperFirst(words)))))
	}
	c.rules.Refresh()
	c.protect.RemoveAll()
	if len(c.prefs.Protect) == 0 {
		c.protect.Add(caption("None yet."))
	}
	for i, dir := range c.prefs.Protect {
		remove := widget.NewButtonWithIcon("Remove", theme.ContentRemoveIcon(), func() { c.removeProtect(i) })
		c.protect.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), remove, newMiddleLabel(homeShort(dir))))
	}
	c.protect.Refresh()
	c.action.OnChanged = nil
	for _, a := range actionChoices {
		if a.name == c.prefs.Action {
			c.action.SetSelected(a.label)
		}
	}
	c.action.OnChanged = c.actionChosen
	if c.loaded {
		c.action.Enable()
	} else {
		c.action.Disable()
	}
}

func (c *changeSettings) moveRule(i, by int) {
	rules := fullRuleOrder(c.prefs.KeepRules)
	j := i + by
	if !c.loaded || j < 0 || j >= len(rules) {
		return
	}
	rules[i], rules[j] = rules[j], rules[i]
	c.prefs.KeepRules = rules
	c.changed()
}

func (c *changeSettings) chooseProtect() {
	c.u.askFolder("Choose a folder to protect", existingFolder, c.addProtect)
}

func (c *changeSettings) addProtect(dir string) {
	if !c.loaded || slices.Contains(c.prefs.Protect, dir) {
		return
	}
	c.prefs.Protect = append(slices.Clone(c.prefs.Protect), dir)
	c.changed()
}

func (c *changeSettings) removeProtect(i int) {
	if !c.loaded || i >= len(c.prefs.Protect) {
		return
	}
	c.prefs.Protect = slices.Delete(slices.Clone(c.prefs.Protect), i, i+1)
	c.changed()
}

func (c *changeSettings) actionChosen(label string) {
	for _, a := range actionChoices {
		if a.label == label && c.loaded {
			c.prefs.Action = a.name
			c.changed()
		}
	}
}

// changed shows and saves the preferences; the duplicates are planned
// again with them the next time they are shown.
func (c *changeSettings) changed() {
	c.show()
	p := c.prefs
	p.KeepRules = slices.Clone(p.KeepRules)
	p.Protect = slices.Clone(p.Protect)
	c.u.call("The choice was not saved", func() error { return c.u.eng.SetChangePreferences(p) }, func(err error) {
		if err != nil {
			setLabel(c.status, "Not saved: "+err.Error(), widget.DangerImportance)
			c.load() // show what the library holds
			return
		}
		setLabel(c.status, "Saved. Duplicates are planned with these choices from now on.", widget.MediumImportance)
		c.u.dups.loaded = 0
	})
}

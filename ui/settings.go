package ui

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
)

// setting is one knob of app.Settings as an entry in the Settings tab.
type setting struct {
	key   string // preference key
	label string
	hint  string
	get   func(app.Settings) string
	set   func(*app.Settings, string) error
}

func intSetting(key, label, hint string, field func(*app.Settings) *int) setting {
	return setting{
		key: key, label: label, hint: hint,
		get: func(s app.Settings) string { return strconv.Itoa(*field(&s)) },
		set: func(s *app.Settings, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return fmt.Errorf("%s must be a whole number", strings.ToLower(label))
			}
			*field(s) = n
			return nil
		},
	}
}

func settingsList() []setting {
	return []setting{
		intSetting("settings.workers", "Workers", "How many files are analysed at once. More is faster on fast disks; fewer keeps the computer responsive.",
			func(s *app.Settings) *int { return &s.Workers }),
		intSetting("settings.batch_size", "Batch size", "How many results are saved to the library together. Larger batches are faster; a crash loses at most one batch of work.",
			func(s *app.Settings) *int { return &s.BatchSize }),
		{
			key: "settings.max_error_rate", label: "Error threshold (%)",
			hint: "The scan stops when more than this share of files fail, so a wrong folder or a failing disk is noticed early.",
			get:  func(s app.Settings) string { return strconv.FormatFloat(s.MaxErrorRate*100, 'f', -1, 64) },
			set: func(s *app.Settings, v string) error {
				f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "%"), 64)
				if err != nil {
					return fmt.Errorf("the error threshold must be a number of percent, like 10")
				}
				s.MaxErrorRate = f / 100
				return nil
			},
		},
		intSetting("settings.min_sample", "Minimum sample", "How many files must be looked at before the error threshold can stop a scan.",
			func(s *app.Settings) *int { return &s.MinSample }),
		intSetting("settings.min_year", "Minimum valid year", "Dates before this year are treated as wrong (cameras with a flat clock battery say 1970 or 2000).",
			func(s *app.Settings) *int { return &s.MinYear }),
		intSetting("settings.near_distance", "Near-duplicate distance", "How different two pictures may be (0–32 of 64 bits) and still count as look-alikes. Higher finds more, with more false matches. Duplicates uses it at once, not only from the next scan.",
			func(s *app.Settings) *int { return &s.NearDistance }),
		{
			key: "settings.max_pixels", label: "Largest image (megapixels)",
			hint: "Larger images are refused instead of decoded, so one huge or malicious file cannot take all the memory.",
			get:  func(s app.Settings) string { return strconv.FormatFloat(float64(s.MaxPixels)/1e6, 'f', -1, 64) },
			set: func(s *app.Settings, v string) error {
				f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "MP")), 64)
				if err != nil || f*1e6 < 1 || f > 1e6 {
					return fmt.Errorf("the largest image must be a number of megapixels, like 100")
				}
				s.MaxPixels = int64(f * 1e6)
				return nil
			},
		},
		{
			key: "settings.file_timeout", label: "File timeout (seconds)",
			hint: "A file whose analysis takes longer than this (plus 1 s per 50 MB) is marked failed, so a stuck file cannot stall the scan.",
			get: func(s app.Settings) string {
				return strconv.FormatFloat(time.Duration(s.FileTimeout).Seconds(), 'f', -1, 64)
			},
			set: func(s *app.Settings, v string) error {
				f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "s")), 64)
				if err != nil || f < 0.001 || f > 24*3600 {
					return fmt.Errorf("the file timeout must be a number of seconds, like 30")
				}
				s.FileTimeout = app.Duration(time.Duration(f * float64(time.Second)))
				return nil
			},
		},
	}
}

// settingsView edits the settings of the next scan, persisted in the app's preferences.
type settingsView struct {
	u       *UI
	root    fyne.CanvasObject
	list    []setting
	entries []*appEntry
	status  *widget.Label
	change  *changeSettings // acting on duplicates (settings_change.go)

	waiting     []string       // folders chosen while a setting was refused
	scanWaiting *widget.Button // scans them
}

func newSettingsView(u *UI) *settingsView {
	v := &settingsView{u: u, list: settingsList()}
	// The form is made from all its items at once: each Append lays the
	// whole form out again, measuring every wrapped hint (0.2 s at start-up).
	var items []*widget.FormItem
	s := v.stored()
	for _, st := range v.list {
		e := newFormEntry()
		e.SetText(st.get(s))
		e.Validator = func(text string) error {
			var tmp app.Settings = app.DefaultSettings()
			if err := st.set(&tmp, text); err != nil {
				return err
			}
			return tmp.Validate()
		}
		e.OnChanged = func(string) { v.save() }
		v.entries = append(v.entries, e)
		// The hint wraps under the entry; a form's own hint is one line
		// that would set the window's minimum width.
		items = append(items, widget.NewFormItem(st.label, container.NewVBox(e, wrapped(st.hint))))
	}
	form := widget.NewForm(items...)
	v.status = widget.NewLabel("Changes are saved as you type and apply to the next scan.")
	v.status.Wrapping = fyne.TextWrapWord
	reset := widget.NewButtonWithIcon("Reset to defaults", theme.HistoryIcon(), v.reset)
	v.scanWaiting = widget.NewButtonWithIcon("", theme.FolderOpenIcon(), v.scanHeld)
	v.scanWaiting.Importance = widget.HighImportance
	v.scanWaiting.Hide()
	top := container.NewVBox(heading("Settings for the next scan"), v.status, container.NewHBox(v.scanWaiting))
	v.change = newChangeSettings(u)
	v.root = container.NewVScroll(container.New(column{width: 760, top: true}, container.NewPadded(
		container.NewVBox(top, form, container.NewHBox(reset), widget.NewSeparator(), v.change.root))))
	return v
}

// stored reads the saved settings over the defaults.
func (v *settingsView) stored() app.Settings {
	s := app.DefaultSettings()
	p := v.u.prefs
	for _, st := range v.list {
		if raw := p.String(v.u.libKey(st.key)); raw != "" {
			t := s
			if st.set(&t, raw) == nil && t.Validate() == nil {
				s = t
			}
		}
	}
	return s
}

// current is the settings a new job runs with: what the entries say, or
// the first entry's problem, which the status above the form names too.
func (v *settingsView) current() (app.Settings, error) {
	s := app.DefaultSettings()
	for i, st := range v.list {
		e := v.entries[i]
		if err := e.Validator(e.Text); err != nil {
			return s, fmt.Errorf("%s: %w", st.label, err)
		}
		if err := st.set(&s, e.Text); err != nil {
			return s, fmt.Errorf("%s: %w", st.label, err)
		}
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s.WithDefaults(), nil
}

// save writes every valid entry to the preferences.
func (v *settingsView) save() {
	for i, st := range v.list {
		e := v.entries[i]
		if e.Validator(e.Text) == nil {
			v.u.prefs.SetString(v.u.libKey(st.key), strings.TrimSpace(e.Text))
		}
	}
	v.showStatus()
	if v.u.dups != nil {
		v.u.dups.distanceChanged()
	}
}

// showStatus says whether the settings are saved, or names the problem
// (the same one Start names), and offers to scan the folder a problem held back.
func (v *settingsView) showStatus() {
	_, err := v.current()
	switch {
	case err != nil:
		setLabel(v.status, "Not saved: "+err.Error()+".", widget.DangerImportance)
	case len(v.waiting) > 0:
		setLabel(v.status, "Saved. The folder you chose is waiting: scan it with these settings.", widget.MediumImportance)
	default:
		setLabel(v.status, "Saved. The next scan uses these settings.", widget.MediumImportance)
	}
	showIf(v.scanWaiting, len(v.waiting) > 0)
	enableIf(v.scanWaiting, err == nil)
	if len(v.waiting) > 0 {
		v.scanWaiting.SetText("Scan " + folderNames(v.waiting))
	}
}

// folderNames names folders by their last element: "Family photos and 2 more".
func folderNames(roots []string) string {
	if len(roots) == 0 {
		return ""
	}
	name := app.ReadablePath(filepath.Base(roots[0]))
	if len(roots) > 1 {
		name += fmt.Sprintf(" and %d more", len(roots)-1)
	}
	return name
}

// hold keeps the folders a refused setting stopped from being scanned, so
// the person can scan them once the setting is corrected.
func (v *settingsView) hold(roots []string) {
	v.waiting = roots
	v.showStatus()
}

// scanHeld scans the folders held back.
func (v *settingsView) scanHeld() {
	roots := v.waiting
	if _, err := v.current(); err != nil || len(roots) == 0 {
		return
	}
	v.waiting = nil
	v.showStatus()
	v.u.startJob(roots)
}

func (v *settingsView) reset() {
	d := app.DefaultSettings()
	for _, st := range v.list {
		v.u.prefs.RemoveValue(v.u.libKey(st.key))
	}
	for i, st := range v.list {
		v.entries[i].SetText(st.get(d))
	}
	setLabel(v.status, "Back to the defaults. The next scan uses these settings.", widget.MediumImportance)
}

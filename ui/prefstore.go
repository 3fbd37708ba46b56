package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
)

// The window's preferences in a file of its own. Fyne 2.7 saves its
// preferences.json by truncating it and then writing it: a process killed
// in between (or a full disk) leaves it empty, and the next start logs
// "Preferences load error: EOF" and forgets the window's size, the recent
// folders and the scan settings. filePrefs writes the whole file to a
// temporary one beside it, syncs it and renames it over the old: a crash
// at any moment leaves the old preferences or the new ones, whole.

// prefsFileName is the file, in the app's storage folder beside Fyne's.
const prefsFileName = "shoebox-preferences.json"

// filePrefs is a fyne.Preferences saved atomically on every change. Values
// are kept as JSON gives them back (numbers as float64, lists typed by
// their first element), so a value reads the same before and after a
// restart.
type filePrefs struct {
	mu        sync.Mutex
	path      string
	values    map[string]any
	listeners []func()
	// saveErr is the last save's failure, reported once (logged).
	saveErr error
	logf    func(format string, args ...any)
	// step, when set (tests), is called at each stage of a save.
	step func(stage string)
}

var _ fyne.Preferences = (*filePrefs)(nil)

// openFilePrefs reads the preferences at path; when there are none yet, it
// adopts those in adoptFrom (Fyne's own preferences.json, where earlier
// versions kept them) and saves them at path. A file that cannot be read
// is logged and left: the window starts with defaults, and the next change
// replaces it whole.
func openFilePrefs(path, adoptFrom string, logf func(format string, args ...any)) *filePrefs {
	p := &filePrefs{path: path, values: map[string]any{}, logf: logf}
	// A save cut short leaves its temporary file: the preferences are
	// whole without it.
	left, _ := filepath.Glob(path + ".*.tmp")
	for _, f := range left {
		os.Remove(f)
	}
	err := p.readFrom(path)
	if errors.Is(err, fs.ErrNotExist) && adoptFrom != "" {
		if err = p.readFrom(adoptFrom); err == nil {
			p.mu.Lock()
			p.save()
			p.mu.Unlock()
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		err = nil // none yet: the defaults
	}
	if err != nil {
		logf("The window's preferences could not be read (%v); it starts with its defaults.", err)
		p.values = map[string]any{}
	}
	return p
}

// readFrom loads the values of a preferences file.
func (p *filePrefs) readFrom(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	values := map[string]any{}
	if err := json.Unmarshal(data, &values); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for k, v := range values {
		values[k] = typedList(v)
	}
	p.values = values
	return nil
}

// typedList gives a JSON list the type of its first element, as Fyne does.
func typedList(v any) any {
	items, ok := v.([]any)
	if !ok || len(items) == 0 {
		return v
	}
	switch items[0].(type) {
	case bool:
		return listOf[bool](items)
	case float64:
		return listOf[float64](items)
	case string:
		return listOf[string](items)
	}
	return v
}

func listOf[T any](items []any) any {
	out := make([]T, 0, len(items))
	for _, it := range items {
		t, ok := it.(T)
		if !ok {
			return items // mixed: left as it is, read as no list
		}
		out = append(out, t)
	}
	return out
}

// save writes every value to a temporary file, syncs it, and renames it
// over the preferences; p.mu is held.
func (p *filePrefs) save() {
	err := p.write()
	if err != nil && (p.saveErr == nil || p.saveErr.Error() != err.Error()) {
		p.logf("The window's preferences could not be saved: %v", err)
	}
	p.saveErr = err
}

func (p *filePrefs) write() error {
	data, err := json.Marshal(p.values)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p.path), filepath.Base(p.path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	p.stage("written")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	p.stage("synced")
	if err == nil {
		err = os.Rename(tmp.Name(), p.path)
	}
	p.stage("renamed")
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if dir, err := os.Open(filepath.Dir(p.path)); err == nil {
		dir.Sync() // the rename itself, on file systems that need it
		dir.Close()
	}
	return nil
}

func (p *filePrefs) stage(name string) {
	if p.step != nil {
		p.step(name)
	}
}

// set stores a value (nil: removes it), saves, and tells the listeners.
func (p *filePrefs) set(key string, value any) {
	p.mu.Lock()
	if value == nil {
		delete(p.values, key)
	} else {
		p.values[key] = value
	}
	p.save()
	listeners := append([]func(){}, p.listeners...)
	p.mu.Unlock()
	for _, l := range listeners {
		l()
	}
}

// get reads a value as T through conv; fallback when missing or of
// another type.
func get[T any](p *filePrefs, key string, fallback T, conv func(any) (T, bool)) T {
	p.mu.Lock()
	v, ok := p.values[key]
	p.mu.Unlock()
	if !ok {
		return fallback
	}
	if t, ok := conv(v); ok {
		return t
	}
	return fallback
}

func as[T any](v any) (T, bool) { t, ok := v.(T); return t, ok }

func asInt(v any) (int, bool) {
	f, ok := v.(float64)
	return int(f), ok
}

// asList reads a list stored as []T (an empty JSON list as []any).
func asList[T any](v any) ([]T, bool) {
	switch l := v.(type) {
	case []T:
		return append([]T(nil), l...), true
	case []any:
		return []T{}, len(l) == 0
	}
	return nil, false
}

func asIntList(v any) ([]int, bool) {
	fs, ok := asList[float64](v)
	if !ok {
		return nil, false
	}
	out := make([]int, len(fs))
	for i, f := range fs {
		out[i] = int(f)
	}
	return out, true
}

func (p *filePrefs) Bool(key string) bool { return p.BoolWithFallback(key, false) }
func (p *filePrefs) BoolWithFallback(key string, fallback bool) bool {
	return get(p, key, fallback, as[bool])
}
func (p *filePrefs) SetBool(key string, value bool) { p.set(key, value) }
func (p *filePrefs) BoolList(key string) []bool     { return p.BoolListWithFallback(key, []bool{}) }
func (p *filePrefs) BoolListWithFallback(key string, fallback []bool) []bool {
	return get(p, key, fallback, asList[bool])
}
func (p *filePrefs) SetBoolList(key string, value []bool) { p.set(key, append([]bool{}, value...)) }

func (p *filePrefs) Float(key string) float64 { return p.FloatWithFallback(key, 0) }
func (p *filePrefs) FloatWithFallback(key string, fallback float64) float64 {
	return get(p, key, fallback, as[float64])
}
func (p *filePrefs) SetFloat(key string, value float64) { p.set(key, value) }
func (p *filePrefs) FloatList(key string) []float64 {
	return p.FloatListWithFallback(key, []float64{})
}
func (p *filePrefs) FloatListWithFallback(key string, fallback []float64) []float64 {
	return get(p, key, fallback, asList[float64])
}
func (p *filePrefs) SetFloatList(key string, value []float64) {
	p.set(key, append([]float64{}, value...))
}

// Ints are kept as JSON numbers, float64, so that they read the same after
// a restart.
func (p *filePrefs) Int(key string) int { return p.IntWithFallback(key, 0) }
func (p *filePrefs) IntWithFallback(key string, fallback int) int {
	return get(p, key, fallback, asInt)
}
func (p *filePrefs) SetInt(key string, value int) { p.set(key, float64(value)) }
func (p *filePrefs) IntList(key string) []int     { return p.IntListWithFallback(key, []int{}) }
func (p *filePrefs) IntListWithFallback(key string, fallback []int) []int {
	return get(p, key, fallback, asIntList)
}
func (p *filePrefs) SetIntList(key string, value []int) {
	fs := make([]float64, len(value))
	for i, v := range value {
		fs[i] = float64(v)
	}
	p.set(key, fs)
}

func (p *filePrefs) String(key string) string { return p.StringWithFallback(key, "") }
func (p *filePrefs) StringWithFallback(key, fallback string) string {
	return get(p, key, fallback, as[string])
}
func (p *filePrefs) SetString(key string, value string) { p.set(key, value) }
func (p *filePrefs) StringList(key string) []string {
	return p.StringListWithFallback(key, []string{})
}
func (p *filePrefs) StringListWithFallback(key string, fallback []string) []string {
	return get(p, key, fallback, asList[string])
}
func (p *filePrefs) SetStringList(key string, value []string) {
	p.set(key, append([]string{}, value...))
}

func (p *filePrefs) RemoveValue(key string) { p.set(key, nil) }

func (p *filePrefs) AddChangeListener(listener func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.listeners = append(p.listeners, listener)
}

func (p *filePrefs) ChangeListeners() []func() {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]func(){}, p.listeners...)
}

package app

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"shoebox/store"
)

// --max-error-rate 0, --min-sample 0 and --distance 0 mean zero: they are
// stored as zero and the job halts at its first failed file.
func TestCLIZeroMeansZero(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "a.txt"), "not a photo")
	mustWrite(t, filepath.Join(dir, "b.jpg"), "<!DOCTYPE html><html><body>not a photo</body></html>")
	mustWrite(t, filepath.Join(dir, "c.txt"), "not a photo either")
	db := filepath.Join(t.TempDir(), "lib.db")
	code, _, stderr := runCLI(t, "scan", "--db", db, "--max-error-rate", "0", "--min-sample", "0", "--distance", "0", "--workers", "1", dir)
	if code != ExitHalted {
		t.Errorf("scan exit %d, want %d (halted at the first failure): %s", code, ExitHalted, stderr)
	}
	code, out, stderr := runCLI(t, "jobs", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("jobs exit %d: %s", code, stderr)
	}
	var jobs []struct {
		Settings map[string]any `json:"settings"`
	}
	if err := json.Unmarshal([]byte(out), &jobs); err != nil || len(jobs) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	s := jobs[0].Settings
	if s["max_error_rate"] != 0.0 || s["min_sample"] != 0.0 || s["near_distance"] != 0.0 {
		t.Errorf("stored settings %v, want max_error_rate, min_sample and near_distance 0", s)
	}
	var keys []string
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := "[batch_size file_timeout flush_interval max_error_rate max_pixels min_sample min_year near_distance workers]"
	if fmt.Sprint(keys) != want {
		t.Errorf("settings keys %v, want %s", keys, want)
	}
}

// Values that cannot be honoured are refused in words before anything runs.
func TestCLIRefusesSettingsItCannotHonour(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ flag, value, says string }{
		{"--max-error-rate", "nan", "error threshold"},
		{"--max-error-rate", "inf", "error threshold"},
		{"--max-error-rate", "-0.1", "error threshold"},
		{"--max-error-rate", "1.5", "error threshold"},
		{"--distance", "-1", "between 0 and 32"},
		{"--distance", "33", "between 0 and 32"},
		{"--min-sample", "-1", "minimum sample"},
		{"--workers", "0", "workers must be between 1 and 256"},
		{"--batch", "0", "batch size"},
		{"--min-year", "0", "minimum valid year"},
		{"--max-pixels", "0", "pixel limit"},
		{"--max-pixels", "-5", "pixel limit"},
	} {
		db := filepath.Join(t.TempDir(), "lib.db")
		code, _, stderr := runCLI(t, "scan", "--db", db, c.flag, c.value, dir)
		if code != ExitFailure || !strings.Contains(stderr, c.says) || strings.Contains(stderr, "json:") {
			t.Errorf("%s %s: exit %d, %q; want a refusal saying %q", c.flag, c.value, code, stderr, c.says)
		}
	}
}

// Settings stored by earlier versions read back unchanged, keys missing from
// old JSON take their defaults, and a stored zero stays zero.
func TestSettingsJSON(t *testing.T) {
	old := `{"workers":8,"batch_size":10,"flush_interval":"1s","max_error_rate":0.1,"min_sample":10,` +
		`"min_year":2000,"near_distance":8,"max_pixels":100000000,"file_timeout":"30s"}`
	var s Settings
	if err := json.Unmarshal([]byte(old), &s); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(s.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != old {
		t.Errorf("stored settings changed on the way through:\n%s\n%s", old, again)
	}

	var partial Settings
	if err := json.Unmarshal([]byte(`{"workers":2,"max_error_rate":0,"min_sample":0}`), &partial); err != nil {
		t.Fatal(err)
	}
	got := partial.WithDefaults()
	want := DefaultSettings()
	want.Workers, want.MaxErrorRate, want.MinSample = 2, 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read %+v\nwant %+v", got, want)
	}

	// A Settings written as a Go literal: zero fields are the defaults.
	lit := Settings{Workers: 3}.WithDefaults()
	if lit.MaxErrorRate != DefaultMaxErrorRate || lit.MinSample != DefaultMinSample || lit.NearDistance != DefaultNearDistance {
		t.Errorf("literal settings %+v did not take the defaults", lit)
	}
}

// The engine honours a zero error threshold set through DefaultSettings
// (as the window does): the first failed file halts the job.
func TestZeroErrorRateHaltsAtTheFirstFailure(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 20, func(i int) string {
		if i == 3 {
			return "03-bad.jpg"
		}
		return fmt.Sprintf("%02d.jpg", i)
	})
	lib := openTestLibrary(t, &fakeAnalyzer{})
	s := DefaultSettings()
	s.Workers, s.MaxErrorRate, s.MinSample = 1, 0, 0
	j, st := runToEnd(t, lib, []string{dir}, s)
	if st != store.StateHalted {
		t.Fatalf("state %s, want HALTED at the first failure", st)
	}
	if j.ProgressCurrent >= 20 {
		t.Errorf("processed %d files before halting", j.ProgressCurrent)
	}
}

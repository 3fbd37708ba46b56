package app

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// planFolder writes real JPEGs whose copies exercise the safety rules and
// scans them; it returns the library and the folder.
//
//	Pictures/IMG_0001.jpg, WhatsApp Images/IMG_0001.jpg, .Trash-1000/a.jpg  one picture (the scan leaves out the trash)
//	Keep/B.jpg, Keep/B copy.jpg                                             one picture, protected
//	C.jpg, C-link.jpg (a hard link), sub/C (1).jpg                          one picture
//	D1.jpg, D2.jpg                                                          D2 deleted after the scan
func planFolder(t *testing.T) (db, dir string) {
	t.Helper()
	dir = t.TempDir()
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, b, c, d := boldJPEG(t, 1, 90), boldJPEG(t, 2, 90), boldJPEG(t, 3, 90), boldJPEG(t, 4, 90)
	write("Pictures/IMG_0001.jpg", a)
	write("WhatsApp Images/IMG_0001.jpg", a)
	write(".Trash-1000/a.jpg", a)
	write("Keep/B.jpg", b)
	write("Keep/B copy.jpg", b)
	write("C.jpg", c)
	write("sub/C (1).jpg", c)
	if err := os.Link(filepath.Join(dir, "C.jpg"), filepath.Join(dir, "C-link.jpg")); err != nil {
		t.Skip("no hard links here:", err)
	}
	write("D1.jpg", d)
	write("D2.jpg", d)
	db = filepath.Join(t.TempDir(), "lib.db")
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "1"); code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	if err := os.Remove(filepath.Join(dir, "D2.jpg")); err != nil {
		t.Fatal(err)
	}
	return db, dir
}

// snapshot is every file under dir: its bytes and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		out[p] = info.ModTime().Format(time.RFC3339Nano) + " " + string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func runPlan(t *testing.T, args ...string) Plan {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"plan", "dups"}, args...)...)
	if code != 0 {
		t.Fatalf("plan exit %d: %s", code, stderr)
	}
	var p Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return p
}

func TestPlanDupsCommand(t *testing.T) {
	db, dir := planFolder(t)
	before, libBefore := snapshot(t, dir), snapshot(t, filepath.Dir(db))
	p := runPlan(t, "--db", db, "--protect", filepath.Join(dir, "Keep"))
	if after := snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Fatal("planning changed a scanned file")
	}
	if !reflect.DeepEqual(libBefore, snapshot(t, filepath.Dir(db))) {
		t.Error("planning wrote beside or into the library")
	}
	byKeep := map[string]PlanGroup{}
	for _, g := range p.Groups {
		sort.Strings(g.Keep)
		byKeep[strings.Join(rels(dir, g.Keep), "+")] = g
	}
	if len(p.Groups) != 3 || p.Action != "quarantine" {
		t.Fatalf("action %q, groups %v (D1 alone is no group)", p.Action, keysOf(byKeep))
	}
	g := byKeep["Pictures/IMG_0001.jpg"]
	if g.Kind != "exact" || g.Rule != "not-messenger" || !reflect.DeepEqual(rels(dir, g.Remove), []string{"WhatsApp Images/IMG_0001.jpg"}) {
		t.Errorf("picture A: %+v", g)
	}
	if g := byKeep["Keep/B copy.jpg+Keep/B.jpg"]; len(g.Remove) != 0 {
		t.Errorf("protected group removes %v", g.Remove)
	}
	g = byKeep["C-link.jpg"]
	if !reflect.DeepEqual(rels(dir, g.Remove), []string{"sub/C (1).jpg"}) || g.SameFile[filepath.Join(dir, "C.jpg")] != filepath.Join(dir, "C-link.jpg") {
		t.Errorf("hard link: keep %v remove %v same %v", g.Keep, g.Remove, g.SameFile)
	}
	var count int
	var freed int64
	for _, g := range p.Groups {
		count += len(g.Remove)
		for _, r := range g.Remove {
			info, err := os.Stat(r)
			if err != nil || g.Files[r].Size != info.Size() || g.Files[r].Mtime != info.ModTime().UTC().Format(time.RFC3339Nano) || g.Files[r].SHA256 == "" {
				t.Errorf("%s: %+v, on disk %v", r, g.Files[r], err)
			}
			freed += info.Size()
		}
	}
	for _, g := range p.Groups {
		if _, ok := g.Files[filepath.Join(dir, ".Trash-1000", "a.jpg")]; ok {
			t.Errorf("a file in a trash folder was scanned and planned: %v", g.Files)
		}
	}
	if p.RemoveCount != count || p.BytesFreed != freed || count != 2 || p.Ties != 0 {
		t.Errorf("remove_count %d bytes_freed %d ties %d; the removes are %d files, %d bytes", p.RemoveCount, p.BytesFreed, p.Ties, count, freed)
	}
	if probs := CheckPlan(p, CheckOptions{LookAtDisk: true}); len(probs) != 0 {
		t.Errorf("the plan made fails its own check: %v", probs)
	}
}

func keysOf(m map[string]PlanGroup) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestPlanDupsOutWritesTheSameJSON(t *testing.T) {
	db, dir := planFolder(t)
	before := snapshot(t, dir)
	_, stdout, _ := runCLI(t, "plan", "dups", "--db", db, "--keep", "shortest-path")
	out := filepath.Join(t.TempDir(), "plan.json")
	code, printed, stderr := runCLI(t, "plan", "dups", "--db", db, "--keep", "shortest-path", "--out", out)
	if code != 0 || printed != "" {
		t.Fatalf("exit %d, printed %q: %s", code, printed, stderr)
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != stdout {
		t.Errorf("--out wrote %q (%v), stdout was %q", data, err, stdout)
	}
	if !reflect.DeepEqual(before, snapshot(t, dir)) {
		t.Fatal("planning changed a scanned file")
	}
	// --out may not name a planned file.
	code, _, stderr = runCLI(t, "plan", "dups", "--db", db, "--out", filepath.Join(dir, "sub", "C (1).jpg"))
	if code == 0 || !strings.Contains(stderr, "planned files") || !reflect.DeepEqual(before, snapshot(t, dir)) {
		t.Errorf("--out over a photo: exit %d: %s", code, stderr)
	}
}

func TestPlanDupsFlagsInWords(t *testing.T) {
	db, _ := planFolder(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--keep", "pixels,newest"}, `no keeper rule called "newest"`},
		{[]string{"--action", "delete"}, `unknown action "delete"`},
		{[]string{"stray"}, `unexpected argument "stray"`},
	} {
		code, _, stderr := runCLI(t, append([]string{"plan", "dups", "--db", db}, c.args...)...)
		if code != ExitFailure || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d: %s", c.args, code, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "plan", "--db", db); code != ExitFailure || !strings.Contains(stderr, "plan dups") {
		t.Errorf("plan alone: exit %d: %s", code, stderr)
	}
	p := runPlan(t, "--db", db, "--action", "hardlink")
	if p.Action != "hardlink" {
		t.Errorf("action %q", p.Action)
	}
}

// boldJPEG is a 256x192 picture of 4x4 light and dark blocks chosen by
// seed: bold shapes keep their perceptual hash when saved again at another
// quality, and two seeds differ in about half the blocks.
// writeAt writes data to rel under dir, making its folders.
func writeAt(t *testing.T, dir, rel string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o640); err != nil {
		t.Fatal(err)
	}
	return p
}

func boldJPEG(t *testing.T, seed, quality int) []byte {
	t.Helper()
	bits := uint64(seed) * 0x9E3779B97F4A7C15
	img := image.NewRGBA(image.Rect(0, 0, 256, 192))
	for y := range 192 {
		for x := range 256 {
			v := uint8(40)
			if bits>>((y/48)*4+x/64)&1 == 1 {
				v = 220
			}
			img.Set(x, y, color.RGBA{v, v, uint8(int(v)/2 + x/4), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func reencoded(t *testing.T, seed int) []byte { return boldJPEG(t, seed, 75) }

// Look-alike groups come unapproved and uncounted; they never remove what
// an exact group keeps, nor list what it removes.
func TestPlanDupsIncludeNear(t *testing.T) {
	db, dir := planFolder(t)
	os.WriteFile(filepath.Join(dir, "A-again.jpg"), reencoded(t, 1), 0o644)
	os.WriteFile(filepath.Join(dir, "C-saved-again-long-name.jpg"), reencoded(t, 3), 0o644)
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "1"); code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	exactOnly := runPlan(t, "--db", db, "--protect", filepath.Join(dir, "Keep"))
	p := runPlan(t, "--db", db, "--protect", filepath.Join(dir, "Keep"), "--include-near")
	var near []PlanGroup
	exactRemoved := map[string]bool{}
	for _, g := range p.Groups {
		if g.Kind == "near" {
			near = append(near, g)
		}
		for _, r := range g.Remove {
			exactRemoved[r] = exactRemoved[r] || g.Kind == "exact"
		}
	}
	if len(near) != 2 || p.RemoveCount != exactOnly.RemoveCount || p.BytesFreed != exactOnly.BytesFreed {
		t.Fatalf("near groups %+v; remove_count %d (exact only %d)", near, p.RemoveCount, exactOnly.RemoveCount)
	}
	for _, g := range near {
		if g.Approved == nil || *g.Approved {
			t.Errorf("a near group is not marked unapproved: %+v", g)
		}
		for _, f := range append(append([]string{}, g.Keep...), g.Remove...) {
			if exactRemoved[f] {
				t.Errorf("near group lists %s, which an exact group removes", f)
			}
		}
	}
	// The short re-encoded A wins on path length; the exact group's keeper stays.
	if a := near[0]; !reflect.DeepEqual(rels(dir, a.Keep), []string{"A-again.jpg", "Pictures/IMG_0001.jpg"}) || len(a.Remove) != 0 {
		t.Errorf("near A: keep %v remove %v", rels(dir, a.Keep), rels(dir, a.Remove))
	}
	if c := near[1]; !reflect.DeepEqual(rels(dir, c.Remove), []string{"C-saved-again-long-name.jpg"}) {
		t.Errorf("near C: keep %v remove %v", rels(dir, c.Keep), rels(dir, c.Remove))
	}
	// Approving by hand: the counts must then be recomputed.
	*p.Groups[len(p.Groups)-1].Approved = true
	if probs := CheckPlan(p, CheckOptions{}); len(probs) != 1 || !strings.Contains(probs[0].String(), "do not match") {
		t.Errorf("approved without recount: %v", probs)
	}
	p.Recount()
	if p.RemoveCount != exactOnly.RemoveCount+1 || len(CheckPlan(p, CheckOptions{LookAtDisk: true})) != 0 {
		t.Errorf("after approval: remove_count %d", p.RemoveCount)
	}
}

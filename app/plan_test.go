package app

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"shoebox/media"
	"shoebox/store"
)

// onDisk writes a file under root and returns its record, as a scan would
// have stored it (size and modification time from disk).
func onDisk(t *testing.T, root, rel string, edit func(*store.FileRecord)) store.FileRecord {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("the same bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	r := store.FileRecord{Root: root, RelPath: rel, Size: info.Size(), MtimeNS: info.ModTime().UnixNano(),
		Status: media.StatusDone, MIME: "image/jpeg", SHA256: "ab", Width: 100, Height: 100}
	if edit != nil {
		edit(&r)
	}
	return r
}

func mustPlanGroup(t *testing.T, recs []store.FileRecord, keep []string, protect []string) PlanGroup {
	t.Helper()
	rules, err := orderRules(keep)
	if err != nil {
		t.Fatal(err)
	}
	prot, err := cleanProtect(protect)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := planGroup(recs, rules, prot, planned{})
	if !ok {
		t.Fatalf("no group planned for %d files", len(recs))
	}
	return g
}

func rels(root string, paths []string) []string {
	out := []string{}
	for _, p := range paths {
		r, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(r))
	}
	return out
}

// Each rule decides alone: the two files differ in what that rule looks at
// only (paths of equal length, except for shortest-path).
func TestPlanEachRuleDecidesAlone(t *testing.T) {
	exif := func(r *store.FileRecord) {
		r.Camera = "Apple iPhone 13"
		r.Time = media.Timestamp{ZoneKnown: true, Candidates: []media.Candidate{{Source: media.SourceEXIF, Chosen: true}}}
	}
	cases := []struct {
		rule, keep, lose string
		editKeep         func(*store.FileRecord)
		protect          string
	}{
		{rule: "protected", keep: "safe/x.jpg", lose: "else/x.jpg", protect: "safe"},
		{rule: "original-format", keep: "x.heic", lose: "x.jpeg", editKeep: func(r *store.FileRecord) { r.MIME = "image/heic" }},
		{rule: "original-format", keep: "x.dng", lose: "x.png", editKeep: func(r *store.FileRecord) { r.MIME = "image/x-adobe-dng" }},
		{rule: "pixels", keep: "a.jpg", lose: "b.jpg", editKeep: func(r *store.FileRecord) { r.Width = 4000 }},
		{rule: "metadata", keep: "b.jpg", lose: "a.jpg", editKeep: exif},
		{rule: "not-messenger", keep: "holidays/x.jpg", lose: "WhatsApp/x.jpg"},
		{rule: "not-messenger", keep: "pictures/x.jpg", lose: "Download/x.jpg"},
		{rule: "no-copy-name", keep: "xyzab.jpg", lose: "x (1).jpg"},
		{rule: "no-copy-name", keep: "zzzzzzzzzzz.jpg", lose: "Copy of x.jpg"},
		{rule: "no-copy-name", keep: "IMG_0001xx.jpg", lose: "IMG_0001-1.jpg"},
		{rule: "shortest-path", keep: "b.jpg", lose: "aa.jpg"},
	}
	for _, c := range cases {
		t.Run(c.rule+" "+c.keep, func(t *testing.T) {
			root := t.TempDir()
			var lose func(*store.FileRecord)
			if strings.HasSuffix(c.lose, ".png") {
				lose = func(r *store.FileRecord) { r.MIME = "image/png" }
			}
			recs := []store.FileRecord{onDisk(t, root, c.lose, lose), onDisk(t, root, c.keep, c.editKeep)}
			var protect []string
			if c.protect != "" {
				protect = []string{filepath.Join(root, c.protect)}
			}
			g := mustPlanGroup(t, recs, nil, protect)
			if g.Rule != c.rule || g.Tie || !reflect.DeepEqual(rels(root, g.Keep), []string{c.keep}) ||
				!reflect.DeepEqual(rels(root, g.Remove), []string{c.lose}) {
				t.Errorf("rule %q tie %v keep %v remove %v; want %s to keep %s", g.Rule, g.Tie, rels(root, g.Keep), rels(root, g.Remove), c.rule, c.keep)
			}
		})
	}
}

func TestPlanKeepReordersTheRules(t *testing.T) {
	root := t.TempDir()
	recs := []store.FileRecord{
		onDisk(t, root, "small.heic", func(r *store.FileRecord) { r.MIME = "image/heic" }),
		onDisk(t, root, "large.jpg", func(r *store.FileRecord) { r.Width = 4000 }),
	}
	g := mustPlanGroup(t, recs, nil, nil)
	if g.Rule != "original-format" || rels(root, g.Keep)[0] != "small.heic" {
		t.Errorf("default order: rule %q keep %v", g.Rule, g.Keep)
	}
	g = mustPlanGroup(t, recs, []string{"pixels", "original-format"}, nil)
	if g.Rule != "pixels" || rels(root, g.Keep)[0] != "large.jpg" || rels(root, g.Remove)[0] != "small.heic" {
		t.Errorf("--keep pixels: rule %q keep %v remove %v", g.Rule, g.Keep, g.Remove)
	}
	_, err := orderRules([]string{"pixels", "biggest"})
	if err == nil || !strings.Contains(err.Error(), `no keeper rule called "biggest"`) || !strings.Contains(err.Error(), "shortest-path") {
		t.Errorf("unknown rule: %v", err)
	}
	if _, err := orderRules([]string{"pixels", "pixels"}); err == nil {
		t.Error("a rule named twice was accepted")
	}
}

// Two files equal on every rule are a tie: both kept, neither removed; the
// file that lost on a rule is still removed.
func TestPlanTieIsShownNotBroken(t *testing.T) {
	root := t.TempDir()
	recs := []store.FileRecord{onDisk(t, root, "a/x.jpg", nil), onDisk(t, root, "b/x.jpg", nil), onDisk(t, root, "c/x (1).jpg", nil)}
	g := mustPlanGroup(t, recs, nil, nil)
	if !g.Tie || g.Rule != "" || !reflect.DeepEqual(rels(root, g.Keep), []string{"a/x.jpg", "b/x.jpg"}) ||
		!reflect.DeepEqual(rels(root, g.Remove), []string{"c/x (1).jpg"}) {
		t.Errorf("tie %v rule %q keep %v remove %v", g.Tie, g.Rule, rels(root, g.Keep), rels(root, g.Remove))
	}
}

func TestPlanProtectedFilesAreNeverRemoved(t *testing.T) {
	root := t.TempDir()
	inside := []store.FileRecord{onDisk(t, root, "safe/x.jpg", nil), onDisk(t, root, "safe/x copy.jpg", nil)}
	g := mustPlanGroup(t, inside, nil, []string{filepath.Join(root, "safe")})
	if len(g.Remove) != 0 || len(g.Keep) != 2 {
		t.Errorf("a group inside a protected folder: keep %v remove %v", g.Keep, g.Remove)
	}
	// Protected last: the shorter outside path wins, the protected one stays.
	mixed := []store.FileRecord{onDisk(t, root, "safe/long-name.jpg", nil), onDisk(t, root, "o.jpg", nil), onDisk(t, root, "oo.jpg", nil)}
	g = mustPlanGroup(t, mixed, []string{"shortest-path"}, []string{filepath.Join(root, "safe")})
	if !reflect.DeepEqual(rels(root, g.Remove), []string{"oo.jpg"}) || !reflect.DeepEqual(rels(root, g.Keep), []string{"o.jpg", "safe/long-name.jpg"}) {
		t.Errorf("protected last: keep %v remove %v", rels(root, g.Keep), rels(root, g.Remove))
	}
	g = mustPlanGroup(t, mixed, nil, []string{filepath.Join(root, "safe")})
	if g.Rule != "protected" || !reflect.DeepEqual(rels(root, g.Keep), []string{"safe/long-name.jpg"}) {
		t.Errorf("default: rule %q keep %v", g.Rule, rels(root, g.Keep))
	}
}

func TestPlanTrashIsNeverTheKeeper(t *testing.T) {
	root := t.TempDir()
	for _, trash := range []string{".Trash-1000/files", ".Trash", "$RECYCLE.BIN", ".Trashes", "@eaDir", ".thumbnails"} {
		recs := []store.FileRecord{onDisk(t, root, trash+"/a.jpg", nil), onDisk(t, root, "Pictures/much-longer-name.jpg", nil)}
		g := mustPlanGroup(t, recs, nil, nil)
		if !reflect.DeepEqual(rels(root, g.Keep), []string{"Pictures/much-longer-name.jpg"}) || g.Rule != "not-in-trash" {
			t.Errorf("%s: keep %v rule %q", trash, rels(root, g.Keep), g.Rule)
		}
	}
	rules, _ := orderRules(nil)
	only := []store.FileRecord{onDisk(t, root, ".Trash/b.jpg", nil), onDisk(t, root, "@eaDir/b.jpg", nil)}
	if g, ok := planGroup(only, rules, nil, planned{}); ok {
		t.Errorf("a group all in trash was planned: %+v", g)
	}
}

func TestPlanLeavesOutMissingAndChangedFiles(t *testing.T) {
	root := t.TempDir()
	recs := []store.FileRecord{onDisk(t, root, "a.jpg", nil), onDisk(t, root, "b.jpg", nil), onDisk(t, root, "c.jpg", nil)}
	os.Remove(filepath.Join(root, "a.jpg"))
	os.WriteFile(filepath.Join(root, "b.jpg"), []byte("other bytes now!"), 0o644)
	rules, _ := orderRules(nil)
	if g, ok := planGroup(recs, rules, nil, planned{}); ok {
		t.Errorf("a group left with one file was planned: %+v", g)
	}
	recs = append(recs, onDisk(t, root, "dd.jpg", nil))
	g := mustPlanGroup(t, recs, nil, nil)
	if len(g.LeftOut) != 2 || !strings.Contains(g.LeftOut[0].Reason, "cannot be read") || !strings.Contains(g.LeftOut[1].Reason, "changed") {
		t.Errorf("left out %+v", g.LeftOut)
	}
	if !reflect.DeepEqual(rels(root, g.Keep), []string{"c.jpg"}) || !reflect.DeepEqual(rels(root, g.Remove), []string{"dd.jpg"}) {
		t.Errorf("keep %v remove %v", g.Keep, g.Remove)
	}
}

// Two names of one file (a hard link) are one file: never a keep/remove
// pair, and a group of nothing else is no group.
func TestPlanTwoNamesOfOneFileAreOneFile(t *testing.T) {
	root := t.TempDir()
	a := onDisk(t, root, "a.jpg", nil)
	os.MkdirAll(filepath.Join(root, "WhatsApp"), 0o755)
	if err := os.Link(filepath.Join(root, "a.jpg"), filepath.Join(root, "WhatsApp", "a.jpg")); err != nil {
		t.Skip("no hard links here:", err)
	}
	link := a
	link.RelPath = "WhatsApp/a.jpg"
	rules, _ := orderRules(nil)
	if g, ok := planGroup([]store.FileRecord{link, a}, rules, nil, planned{}); ok {
		t.Errorf("one file under two names was planned as a group: %+v", g)
	}
	g := mustPlanGroup(t, []store.FileRecord{link, a, onDisk(t, root, "b/a.jpg", nil)}, nil, []string{filepath.Join(root, "WhatsApp")})
	// The protected name stands for the file; the other name is listed as the same file.
	if !reflect.DeepEqual(rels(root, g.Keep), []string{"WhatsApp/a.jpg"}) || !reflect.DeepEqual(rels(root, g.Remove), []string{"b/a.jpg"}) ||
		g.SameFile[filepath.Join(root, "a.jpg")] != filepath.Join(root, "WhatsApp", "a.jpg") {
		t.Errorf("keep %v remove %v same %v", rels(root, g.Keep), rels(root, g.Remove), g.SameFile)
	}
}

func TestPlanLeavesOutNamesJSONCannotCarry(t *testing.T) {
	root := t.TempDir()
	recs := []store.FileRecord{onDisk(t, root, "a.jpg", nil), onDisk(t, root, "b.jpg", nil), onDisk(t, root, "F\xf6n.jpg", nil)}
	g := mustPlanGroup(t, recs, nil, nil)
	if len(g.Keep)+len(g.Remove) != 2 || len(g.LeftOut) != 1 || !strings.Contains(g.LeftOut[0].Reason, "UTF-8") {
		t.Errorf("keep %v remove %v left out %+v", g.Keep, g.Remove, g.LeftOut)
	}
}

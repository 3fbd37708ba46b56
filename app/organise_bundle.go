package app

import (
	"context"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"shoebox/store"
)

// orgBundle is files that travel together with one destination stem: a
// photo with its sidecars, a Live Photo's picture and video, a RAW and its
// JPEG. The primary gives the date.
type orgBundle struct {
	primary *orgFile
	members []*orgFile
	dated   bool
	want    string // the primary's relative destination, '/' separators, before collisions
	dir     string // the bundle's destination folder, relative
	stem    string // the bundle's destination stem
	// live: a Live Photo paired by content identifier (liveBundles);
	// listed: already returned by bundles for one of its folders.
	live, listed bool
}

// bundler decides every input's fate.
type bundler struct {
	opt  OrganiseOptions
	dest *destIndex
	ctx  context.Context
	seen map[string]string // SHA-256 -> the destination path holding it
	// copyMtimes is the modification time each planned copy will have.
	copyMtimes map[string]int64
}

var takeoutCopy = regexp.MustCompile(`^(.*)\((\d+)\)$`)

// sidecarBase is the name (or stem) of the picture a sidecar belongs to,
// "" when name is not a sidecar: IMG_1.xmp, IMG_1.jpg.xmp, IMG_1.AAE, and
// Google Takeout's IMG_1.jpg.json, IMG_1.jpg.supplemental-metadata.json and
// its names cut short (IMG_1.jpg.supplemen.json, IMG_1.jpg.s.json), and
// IMG_1.jpg(1).json for the picture IMG_1(1).jpg.
func sidecarBase(name string) string {
	ext := strings.ToLower(path.Ext(name))
	base := strings.TrimSuffix(name, path.Ext(name))
	switch ext {
	case ".xmp", ".aae":
		return base
	case ".json":
	default:
		return ""
	}
	n := ""
	if m := takeoutCopy.FindStringSubmatch(base); m != nil {
		base, n = m[1], "("+m[2]+")"
	}
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		if seg := strings.ToLower(base[i:]); len(seg) > 1 && strings.HasPrefix(".supplemental-metadata", seg) {
			base = base[:i]
		}
	}
	if n != "" {
		e := path.Ext(base)
		base = strings.TrimSuffix(base, e) + n + e
	}
	return base
}

func stemOf(name string) string { return strings.TrimSuffix(name, path.Ext(name)) }

// bundles groups the files of one folder. live holds the Live Photo
// bundles paired by content identifier (liveBundles), which may reach into
// other folders: each is listed once, in the first folder that holds one of
// its files. Suffixes are set later, by setSuffixes, once every folder has
// added its sidecars.
func (b *bundler) bundles(files []*orgFile, live map[*orgFile]*orgBundle) []*orgBundle {
	byStem := map[string][]*orgBundle{}
	fileBundle := map[*orgFile]*orgBundle{}
	var out []*orgBundle
	for _, f := range files {
		if !isMedia(f) {
			continue
		}
		key := strings.ToLower(stemOf(f.name))
		if bd := live[f]; bd != nil {
			fileBundle[f], byStem[key] = bd, append(byStem[key], bd)
			if !bd.listed {
				bd.listed = true
				out = append(out, bd)
			}
			continue
		}
		if bd := stemPartner(byStem[key], f); bd != nil {
			bd.members = append(bd.members, f)
			fileBundle[f] = bd
			continue
		}
		// a.jpg beside a.JPG are two pictures, and two shots whose
		// identifiers differ are two Live Photos: not a pair.
		bd := &orgBundle{primary: f}
		fileBundle[f], byStem[key] = bd, append(byStem[key], bd)
		out = append(out, bd)
	}
	for _, bd := range out {
		all := append([]*orgFile{bd.primary}, bd.members...)
		primaryFirst(all)
		bd.primary, bd.members = all[0], all[1:]
	}
	byName := map[string]*orgBundle{}
	for _, bd := range out { // in order: of a.jpg and a.JPG, the later bundle is found by name
		for _, f := range append([]*orgFile{bd.primary}, bd.members...) {
			if fileBundle[f] == bd { // this folder's files only
				byName[strings.ToLower(f.name)] = bd
			}
		}
	}
	for _, f := range files { // a Live Photo's half whose bundle another folder listed
		if bd, n := fileBundle[f], strings.ToLower(f.name); bd != nil && byName[n] == nil {
			byName[n] = bd
		}
	}
	for _, f := range files {
		if isMedia(f) || f.entry.Fate != "" {
			continue
		}
		base := strings.ToLower(sidecarBase(f.name))
		bd := byName[base]
		if bd == nil && len(byStem[base]) > 0 {
			bd = byStem[base][0]
		}
		if bd == nil && base != "" {
			bd = truncatedMatch(base, byName)
		}
		if bd == nil {
			reason := "not a photo or video"
			if base != "" {
				reason = "a sidecar whose photo is not beside it"
			} else if f.rec != nil && f.rec.Error != "" {
				reason = "could not be analysed (" + f.rec.Error + ")"
				f.leave(store.FateError, reason+"; it was left in place")
				continue
			}
			f.leave(store.FateLeft, reason)
			continue
		}
		bd.members = append(bd.members, f)
	}
	return out
}

// stemPartner is the bundle of the same stem that f joins: the first with
// no file of f's extension and no content identifier other than f's.
func stemPartner(same []*orgBundle, f *orgFile) *orgBundle {
	for _, bd := range same {
		if !bd.hasExt(path.Ext(f.name)) && bd.sameShot(f) {
			return bd
		}
	}
	return nil
}

// primaryFirst orders a bundle's pictures: the best-dated first, then a
// picture before a RAW before a video, then by name.
func primaryFirst(all []*orgFile) {
	sort.SliceStable(all, func(i, j int) bool {
		ri, rj := confidenceRank(all[i].rec), confidenceRank(all[j].rec)
		if ri != rj {
			return ri > rj
		}
		if ki, kj := kindRank(all[i]), kindRank(all[j]); ki != kj {
			return ki > kj
		}
		if all[i].name != all[j].name {
			return all[i].name < all[j].name
		}
		return all[i].abs < all[j].abs
	})
}

// setSuffixes gives each member its name after the bundle's stem: what
// follows the primary's stem in its own name, or its extension. A Live
// Photo's picture or video paired by identifier keeps only its extension,
// so that both halves have one stem whatever their names.
func setSuffixes(bd *orgBundle) {
	for _, m := range bd.members {
		m.bundle = bd
		pstem := strings.ToLower(stemOf(bd.primary.name))
		if bd.live {
			pstem = bd.ownerStem(m, pstem)
		}
		switch {
		case bd.live && isMedia(m):
			m.suffix = path.Ext(m.name)
		case strings.HasPrefix(strings.ToLower(m.name), pstem):
			m.suffix = m.name[len(pstem):]
		case strings.IndexByte(m.name, '.') >= 0: // a sidecar named after a truncated or other member's name
			m.suffix = m.name[strings.IndexByte(m.name, '.'):]
		default:
			m.suffix = "-" + m.name
		}
	}
	bd.primary.bundle = bd
}

// truncatedMatch finds the picture a Takeout sidecar whose name was cut at
// Takeout's length limit belongs to: the only one whose name starts so.
func truncatedMatch(base string, byName map[string]*orgBundle) *orgBundle {
	if len(base) < 30 {
		return nil
	}
	var found *orgBundle
	for name, bd := range byName {
		if strings.HasPrefix(name, base) {
			if found != nil && found != bd {
				return nil
			}
			found = bd
		}
	}
	return found
}

// fileAll decides every file's fate and returns the files in the order
// the run takes them: copies first, then the files whose bytes they hold,
// then the files left.
func (b *bundler) fileAll(files []*orgFile) []*orgFile {
	b.seen, b.copyMtimes = map[string]string{}, map[string]int64{}
	byDir := map[string][]*orgFile{}
	var dirs []string
	for _, f := range files {
		key := f.root + "\x00" + relDir(f.rel)
		if byDir[key] == nil {
			dirs = append(dirs, key)
		}
		byDir[key] = append(byDir[key], f)
	}
	sort.Strings(dirs)
	live := liveBundles(files)
	var all []*orgBundle
	for _, d := range dirs {
		all = append(all, b.bundles(byDir[d], live)...)
	}
	for _, bd := range all {
		setSuffixes(bd)
	}
	// The best-dated copy of a picture is the one filed, whatever the order
	// of the folders.
	sort.SliceStable(all, func(i, j int) bool {
		ri, rj := confidenceRank(all[i].primary.rec), confidenceRank(all[j].primary.rec)
		if ri != rj {
			return ri > rj
		}
		return all[i].primary.abs < all[j].primary.abs
	})
	for _, bd := range all {
		b.judgePrimary(bd)
	}
	b.name(all)
	for _, bd := range all {
		b.finishBundle(bd)
	}
	var copies, others, left []*orgFile
	for _, bd := range all {
		for _, f := range append([]*orgFile{bd.primary}, bd.members...) {
			if f.entry.Fate == store.FateFiled || f.entry.Fate == store.FateUnsorted {
				copies = append(copies, f)
			} else {
				others = append(others, f)
			}
		}
	}
	for _, f := range files {
		if f.bundle == nil {
			left = append(left, f)
		}
	}
	return append(append(copies, others...), left...)
}

// judgePrimary finds whether a bundle's picture is already in the library
// or a duplicate of one filed before it; if not, where it wants to go.
func (b *bundler) judgePrimary(bd *orgBundle) {
	f := bd.primary
	if p, mt := b.dest.holding(b.ctx, f.size, f.sum); p != "" {
		f.entry.Fate, f.entry.Of, f.keepMtime = store.FateAlready, p, mt
		f.entry.Reason = "its bytes are already in the library"
		bd.dir, bd.stem = b.relOf(p)
		return
	}
	if twin, ok := b.seen[f.sum]; ok {
		f.entry.Fate, f.entry.Of = store.FateDuplicate, twin // the twin's bundle, named later
		return
	}
	b.seen[f.sum] = "" // claimed: named in b.name
	bd.dated = trusted(f.rec, b.opt)
	tmpl := b.opt.Template
	f.entry.Fate = store.FateFiled
	if !bd.dated {
		tmpl, f.entry.Fate = unsortedTemplate, store.FateUnsorted
	}
	in := templateInput{taken: f.rec.Time.Time, name: f.name, camera: f.rec.Camera, root: filepath.Base(f.root), rel: relDir(f.rel),
		normaliseExt: b.opt.NormaliseExt}
	bd.want = renderTemplate(tmpl, in)
}

func (b *bundler) relOf(abs string) (dir, stem string) {
	rel, _ := filepath.Rel(b.dest.root, abs)
	rel = filepath.ToSlash(rel)
	return pathDir(rel), stemOf(path.Base(rel))
}

// name gives each bundle to copy its destination stem: the one the
// template gives, or, when that name is taken (in the destination, or by
// another input with other bytes), the same with a suffix from its SHA-256.
// Inputs that want one name take it in the order of their SHA-256, so the
// same inputs always get the same paths.
func (b *bundler) name(all []*orgBundle) {
	var want []*orgBundle
	for _, bd := range all {
		if bd.want != "" {
			want = append(want, bd)
		}
	}
	sort.SliceStable(want, func(i, j int) bool {
		fi, fj := b.dest.fold(want[i].want), b.dest.fold(want[j].want)
		if fi != fj {
			return fi < fj
		}
		return want[i].primary.sum < want[j].primary.sum
	})
	for _, bd := range want {
		dir, name := pathDir(bd.want), path.Base(bd.want)
		for n := 0; ; n += 4 {
			cand := name
			if n > 0 {
				cand = withSuffix(name, bd.primary.sum, 4+n)
			}
			if b.bundleFree(bd, dir, stemOf(cand)) || 4+n >= len(bd.primary.sum) {
				bd.dir, bd.stem = dir, stemOf(cand)
				break
			}
		}
		bd.primary.entry.Dest = b.abs(dir, bd.stem+path.Ext(name))
		b.dest.reserve(joinRel(dir, bd.stem+path.Ext(name)))
		for _, m := range bd.members {
			m.entry.Dest = joinRel(dir, validName(bd.stem+m.suffix)) // held for it, relative, until finishBundle
			b.dest.reserve(m.entry.Dest)
		}
		b.seen[bd.primary.sum] = bd.primary.entry.Dest
		b.copyMtimes[bd.primary.entry.Dest] = b.copyMtime(bd.primary, bd.primary)
	}
}

func (b *bundler) bundleFree(bd *orgBundle, dir, stem string) bool {
	if !b.dest.free(joinRel(dir, stem+path.Ext(bd.want))) {
		return false
	}
	for _, m := range bd.members {
		if !b.dest.free(joinRel(dir, validName(stem+m.suffix))) {
			return false
		}
	}
	return true
}

func joinRel(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

func (b *bundler) abs(dir, name string) string {
	return filepath.Join(b.dest.root, filepath.FromSlash(joinRel(dir, name)))
}

// finishBundle resolves a duplicate's twin and files the members beside
// their primary, each judged by its own bytes.
func (b *bundler) finishBundle(bd *orgBundle) {
	f := bd.primary
	if f.entry.Fate == store.FateDuplicate {
		f.entry.Of = b.seen[f.sum]
		f.entry.Reason = "the same bytes as another file organised"
		f.keepMtime = b.keepMtimeOf(f.entry.Of, f)
		bd.dir, bd.stem = b.relOf(f.entry.Of)
	}
	for _, m := range bd.members {
		if m.sum == "" {
			s, err := sha256File(b.ctx, m.abs)
			if err != nil {
				m.entry.Dest = ""
				m.leave(store.FateError, "cannot be read: "+describeFSError(err))
				continue
			}
			m.sum = s
		}
		if p, mt := b.dest.holding(b.ctx, m.size, m.sum); p != "" {
			m.entry.Dest = ""
			m.entry.Fate, m.entry.Of, m.keepMtime = store.FateAlready, p, mt
			m.entry.Reason = "its bytes are already in the library"
			continue
		}
		if twin, ok := b.seen[m.sum]; ok && twin != "" {
			m.entry.Dest = ""
			m.entry.Fate, m.entry.Of = store.FateDuplicate, twin
			m.entry.Reason = "the same bytes as another file organised"
			m.keepMtime = b.keepMtimeOf(twin, m)
			continue
		}
		name := validName(bd.stem + m.suffix)
		held := m.entry.Dest == joinRel(bd.dir, name)
		for n := 8; !held && !b.dest.free(joinRel(bd.dir, name)) && n <= len(m.sum); n += 4 {
			name = withSuffix(validName(bd.stem+m.suffix), m.sum, n)
		}
		b.dest.reserve(joinRel(bd.dir, name))
		m.entry.Fate = store.FateFiled
		if strings.HasPrefix(bd.dir+"/", "Unsorted/") {
			m.entry.Fate = store.FateUnsorted
		}
		m.entry.Dest = b.abs(bd.dir, name)
		b.seen[m.sum] = m.entry.Dest
		b.copyMtimes[m.entry.Dest] = b.copyMtime(m, f)
	}
}

// keepMtimeOf is the modification time the file at dest will have (or has).
func (b *bundler) keepMtimeOf(dest string, f *orgFile) int64 {
	if mt, ok := b.dest.mtimes[dest]; ok {
		return mt
	}
	return b.copyMtimes[dest]
}

// copyMtime is the modification time f's copy gets: its own, or with
// MtimeFromDate its bundle's taken date (a wall clock without a zone is
// read in the machine's zone).
func (b *bundler) copyMtime(f, primary *orgFile) int64 {
	if !b.opt.MtimeFromDate || primary.rec == nil || primary.rec.Time.Time.IsZero() {
		return f.mtime
	}
	t := primary.rec.Time.Time
	if !primary.rec.Time.ZoneKnown {
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.Local)
	}
	return t.UnixNano()
}

// hasExt says whether a picture of the bundle has extension ext, whatever
// its case.
func (bd *orgBundle) hasExt(ext string) bool {
	for _, f := range append([]*orgFile{bd.primary}, bd.members...) {
		if strings.EqualFold(path.Ext(f.name), ext) {
			return true
		}
	}
	return false
}

package timestamp

import (
	"cmp"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"shoebox/datetime"
	"shoebox/media"
)

// SequenceFile is one analysed file as the sequence pass sees it.
type SequenceFile struct {
	Name   string // base name, e.g. "IMG_1234.JPG"
	Folder string // the folder holding it, as shown to the person; files of one folder share it exactly
	Camera string // EXIF make and model, "" when unknown
	// Value and Confidence are the file's chosen timestamp (Timestamp.Value)
	// and its confidence.
	Value      string
	Confidence media.Confidence
}

// SequenceOptions are the settings of the sequence pass.
type SequenceOptions struct {
	// MediumWithin: neighbours less than this far apart make a MEDIUM
	// candidate, further apart a LOW one. 0 means DefaultSequenceMediumWithin.
	MediumWithin time.Duration
}

// DefaultSequenceMediumWithin is SequenceOptions.MediumWithin when 0: the
// issue's "under an hour apart".
const DefaultSequenceMediumWithin = time.Hour

// SequenceCandidate is a date from neighbours for one file.
type SequenceCandidate struct {
	File int // index of the file in the input
	// Candidate has Kind and Source sequence, the midpoint as Value and the
	// interval and both neighbours (names, times) in Detail.
	Candidate  media.Candidate
	Confidence media.Confidence // MEDIUM or LOW, never more
	Time       time.Time        // the midpoint, as Timestamp.Time
	ZoneKnown  bool             // both neighbours knew their zone
	// Earlier and Later are the input indexes of the two neighbours.
	Earlier, Later int
	// From and To are the neighbours' times: the file was taken between them.
	From, To time.Time
}

// seqEntry is one numbered file of a series, kept small (32 bytes): a
// million files make a million of them, twice for those with a camera.
type seqEntry struct {
	file   int
	num    int
	wall   int64 // a dated file's wall clock, as Unix seconds read in UTC
	offset int32 // seconds east of UTC, when zone
	zone   bool  // the offset is known
	dated  bool  // a trusted time: may be a neighbour
	target bool  // no trusted date: may get a candidate
}

// when is a dated entry's time as a civil value.
func (e seqEntry) when() datetime.Civil {
	c := datetime.FromTime(time.Unix(e.wall, 0).UTC(), false)
	c.ZoneKnown, c.Offset = e.zone, int(e.offset)
	return c
}

// seqTimes returns the two times to compare, in seconds: instants when both
// zones are known, wall clocks otherwise (as wallOrInstant).
func seqTimes(a, b seqEntry) (int64, int64) {
	if a.zone && b.zone {
		return a.wall - int64(a.offset), b.wall - int64(b.offset)
	}
	return a.wall, b.wall
}

// Sequence finds, for each file without a trusted date (LOW or NONE) whose
// camera number lies strictly between the numbers of two files of the same
// series with a trusted date (HIGH or MEDIUM, to the second), a candidate:
// the interval between the two neighbours, whose midpoint is the value.
//
// A series is the files of one folder with one numbering prefix and digit
// count (Canon's IMG_/_MG_/MVI_ share one counter, as do Nikon's DSC_/_DSC,
// an iPhone's IMG_E edited copy takes its original's number); failing
// that (no dated number below or above in the folder), the files of one
// camera make and model with that prefix across folders. The neighbours are the nearest dated numbers below and above.
// No candidate is made when they disagree with each other's order (the
// lower number dated later), which is also how a counter that wraps
// (IMG_9999 → IMG_0001) shows: a pair across the wrap is always in the wrong
// order. Neither is one made when their cameras, or the file's, are known
// and differ (an iPhone and a Canon both writing IMG_ into one folder);
// a file refused in its folder is not tried in its camera's series.
//
// It runs in O(n log n) time and O(n) memory: files are grouped by series
// and each group is sorted by number once.
func Sequence(files []SequenceFile, opts SequenceOptions) []SequenceCandidate {
	if opts.MediumWithin == 0 {
		opts.MediumWithin = DefaultSequenceMediumWithin
	}
	byFolder := map[string][]seqEntry{}
	byCamera := map[string][]seqEntry{}
	for i, f := range files {
		e, series, ok := newSeqEntry(i, f)
		if !ok {
			continue
		}
		byFolder[f.Folder+"\x00"+series] = append(byFolder[f.Folder+"\x00"+series], e)
		if f.Camera != "" {
			byCamera[f.Camera+"\x00"+series] = append(byCamera[f.Camera+"\x00"+series], e)
		}
	}
	f := &finder{files: files, opts: opts, at: make([]int32, len(files))}
	for i := range f.at {
		f.at[i] = unseen
	}
	for _, g := range byFolder {
		f.bracket(g, "folder")
	}
	for _, g := range byCamera {
		f.bracket(g, "camera") // only files the folder had no neighbours for
	}
	// Built last, into a slice of the exact size: a million files make
	// hundreds of thousands of candidates.
	slices.SortFunc(f.hits, func(a, b seqHit) int { return cmp.Compare(a.file, b.file) })
	out := make([]SequenceCandidate, len(f.hits))
	for i, h := range f.hits {
		out[i] = makeSequence(h, files, opts)
	}
	return out
}

// seqHit is a target with two neighbours in the right order.
type seqHit struct {
	file   int
	lo, hi seqEntry
	scope  string // "folder" or "camera"
}

// finder collects the candidates of all series.
type finder struct {
	files []SequenceFile
	opts  SequenceOptions
	hits  []seqHit
	at    []int32 // per file: its index in hits, unseen or refused
}

// Marks in finder.at.
const (
	unseen  = -1 // no bracket yet: a camera series may give one
	refused = -2 // neighbours in the wrong order or of other cameras
)

// newSeqEntry reads a file's series and number and whether it is a
// neighbour (trusted, to the second) or a target (untrusted).
func newSeqEntry(i int, f SequenceFile) (seqEntry, string, bool) {
	series, num, ok := SeriesOf(f.Name)
	if !ok {
		return seqEntry{}, "", false
	}
	e := seqEntry{file: i, num: num}
	switch f.Confidence {
	case media.ConfidenceHigh, media.ConfidenceMedium:
		v, ok := datetime.ParseValue(f.Value)
		if !ok || v.Prec != datetime.PrecTime || !v.CalendarOK() {
			return seqEntry{}, "", false
		}
		e.dated, e.zone, e.offset = true, v.ZoneKnown, int32(v.Offset)
		v.Frac, v.ZoneKnown = "", false
		e.wall = v.Time().Unix() // the wall clock read in UTC
	default: // LOW, NONE, or no analysis yet
		e.target = true
	}
	return e, series, true
}

// bracket finds the neighbours of each target of one series group, in two
// sweeps over the group sorted by number, and adds the candidates of the
// targets that have none yet.
func (f *finder) bracket(g []seqEntry, scope string) {
	slices.SortStableFunc(g, func(a, b seqEntry) int { return cmp.Compare(a.num, b.num) })
	below := nearestDated(g, 0, 1, func(a, b int64) bool { return a > b })
	above := nearestDated(g, len(g)-1, -1, func(a, b int64) bool { return a < b })
	for i, e := range g {
		if !e.target || f.at[e.file] != unseen || below[i] < 0 || above[i] < 0 {
			continue
		}
		lo, hi := g[below[i]], g[above[i]]
		if from, to := seqTimes(lo, hi); from > to ||
			!sameCamera(f.files[e.file].Camera, f.files[lo.file].Camera, f.files[hi.file].Camera) {
			// Refused: the numbering around the file is not to be
			// trusted, so neither is a wider series around it.
			f.at[e.file] = refused
			continue
		}
		f.at[e.file] = int32(len(f.hits))
		f.hits = append(f.hits, seqHit{file: e.file, lo: lo, hi: hi, scope: scope})
	}
}

// nearestDated walks g from start by step (1: up the numbers, -1: down)
// and gives each target the position of the dated entry with the nearest
// number behind it, never an equal number, or -1. Among dated entries of
// that one number it takes the one that is "beyond" the others (the latest
// below, the earliest above): the file came after all of those below and
// before all of those above.
func nearestDated(g []seqEntry, start, step int, beyond func(a, b int64) bool) []int {
	out := make([]int, len(g))
	last, run := -1, -1 // last: the best of the previous dated number; run: of the current one
	for i := start; i >= 0 && i < len(g); i += step {
		e := g[i]
		if i != start && e.num != g[i-step].num && run >= 0 {
			last, run = run, -1
		}
		if e.dated && (run < 0 || beyond(seqTimes(e, g[run]))) {
			run = i
		}
		out[i] = last
	}
	return out
}

// makeSequence builds the candidate of a hit: the midpoint between its
// neighbours lo (lower number) and hi, graded by their distance.
func makeSequence(h seqHit, files []SequenceFile, opts SequenceOptions) SequenceCandidate {
	lo, hi, scope := h.lo, h.hi, h.scope
	from, to := seqTimes(lo, hi)
	span := time.Duration(to-from) * time.Second
	mid := time.Unix(from+(to-from)/2, 0).UTC()
	zone := lo.zone && hi.zone
	var v datetime.Civil
	if zone {
		// In the earlier neighbour's zone when theirs differ (a flight).
		v = datetime.FromTime(mid.In(time.FixedZone("", int(lo.offset))), true)
	} else {
		v = datetime.FromTime(mid, false)
	}
	conf := media.ConfidenceLow
	if span < opts.MediumWithin {
		conf = media.ConfidenceMedium
	}
	detail := fmt.Sprintf("midpoint of the %s between its numbered neighbours of the same %s: %s taken %s and %s taken %s",
		formatSpan(span), scope, neighbourName(files, lo.file, scope), lo.when().String(), neighbourName(files, hi.file, scope), hi.when().String())
	return SequenceCandidate{
		File:       h.file,
		Candidate:  media.Candidate{Kind: media.KindSequence, Source: media.SourceSequence, Value: v.String(), Detail: detail},
		Confidence: conf, Time: v.Time(), ZoneKnown: zone,
		Earlier: lo.file, Later: hi.file, From: lo.when().Time(), To: hi.when().Time(),
	}
}

// sameCamera: no two of the known cameras differ.
func sameCamera(cams ...string) bool {
	known := ""
	for _, c := range cams {
		if c == "" {
			continue
		}
		if known != "" && c != known {
			return false
		}
		known = c
	}
	return true
}

// neighbourName is the name shown as evidence: the folder too when the
// neighbour came from the camera series, possibly another folder.
func neighbourName(files []SequenceFile, i int, scope string) string {
	if scope == "camera" {
		return path.Join(strings.ReplaceAll(files[i].Folder, "\\", "/"), files[i].Name)
	}
	return files[i].Name
}

// formatSpan says how far apart the neighbours are: "0s", "4m10s", "3h0m0s", "2d 4h".
func formatSpan(d time.Duration) string {
	if d < 48*time.Hour {
		return d.String()
	}
	return fmt.Sprintf("%dd %dh", d/(24*time.Hour), d%(24*time.Hour)/time.Hour)
}

// seriesNameRE is a camera's numbered name: a prefix of letters or '_' and
// a counter of 4 to 7 digits. GoPro's chapters (GH011234, GX021234) are
// matched first by goproChapterRE.
var (
	seriesNameRE   = regexp.MustCompile(`^([A-Za-z_]{1,5})([0-9]{4,7})$`)
	goproChapterRE = regexp.MustCompile(`^G[PXHL][0-9]{2}([0-9]{4})$`)
)

// seriesAliases are prefixes that share another prefix's counter:
// Canon's Adobe RGB stills (_MG_) and movies (MVI_) count with IMG_; an
// iPhone's edited copy IMG_E1234 is the same shot as IMG_1234 (iOS gives
// it its original's number, and its date is the original's), so it
// belongs to the series at that number; Nikon's Adobe RGB _DSC counts
// with DSC_; Fuji's _DSF with DSCF; Pentax's _IGP with IMGP; a GoPro's
// single files GOPR with its chapters.
var seriesAliases = map[string]string{
	"_MG_": "IMG_", "MVI_": "IMG_", "IMG_E": "IMG_",
	"_DSC": "DSC_", "_DSF": "DSCF", "_IGP": "IMGP",
}

// SeriesOf reads a camera file name's numbering series and number:
// IMG_1234.JPG → ("IMG_#4", 1234). The series names the prefix (after
// aliases) and the digit count, so DSC01031 (Sony, 5 digits) and DSC_0001
// (Nikon) are different series. ok is false for names without a camera
// counter, copies ("IMG_1234 (1).JPG") and names with a date.
func SeriesOf(name string) (series string, num int, ok bool) {
	stem := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if i := strings.IndexByte(stem, '.'); i >= 0 {
		stem = stem[:i]
	}
	stem = strings.ToUpper(stem)
	if m := goproChapterRE.FindStringSubmatch(stem); m != nil {
		n, _ := strconv.Atoi(m[1])
		return "GOPR#4", n, true
	}
	m := seriesNameRE.FindStringSubmatch(stem)
	if m == nil {
		return "", 0, false
	}
	prefix, digits := m[1], m[2]
	if a, ok := seriesAliases[prefix]; ok {
		prefix = a
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return "", 0, false
	}
	return prefix + "#" + strconv.Itoa(len(digits)), n, true
}

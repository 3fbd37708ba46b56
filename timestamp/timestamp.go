package timestamp

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"shoebox/datetime"
	"shoebox/media"
)

// Input is everything Determine looks at.
type Input struct {
	Path    string // absolute path on disk: file name candidates, sidecar lookup next to it
	RelPath string // path relative to the scan root, '/' separators: folder-name candidates come from its directories only
	ModTime time.Time
	// Camera is the camera make and model the file names, "" when none: a
	// camera's own clock with nothing contradicting it is HIGH confidence.
	Camera string
	// Embedded are the dates the file itself holds (EXIF, video atoms),
	// not yet validated.
	Embedded []media.Candidate
}

// Options are the settings of the timestamp analysis.
type Options struct {
	MinYear int       // candidates before this year are rejected; 0 means DefaultMinYear
	Now     time.Time // the scan time; candidates after Now + 1 day are rejected (zero: time.Now())
}

// DefaultMinYear is the minimum valid year when Options.MinYear is 0.
const DefaultMinYear = 2000

// strength is the class of a candidate kind, which decides the confidence.
type strength int

const (
	strengthLast     strength = iota // mtime
	strengthWeak                     // EXIF ModifyDate
	strengthDateOnly                 // folder, date-only file name
	strengthName                     // full date-time file name
	strengthGood                     // EXIF digitized, XMP sidecar
	strengthStrong                   // EXIF original, video creation, Takeout
)

// choiceRule is one row of the choice table.
type choiceRule struct {
	Kind     media.CandidateKind
	Strength strength
	Why      string
}

// choiceRules is the choice table: the valid candidate of the earliest row
// wins (among candidates of one kind, the first found). It is printed in the
// README (see TestChoiceTableText).
var choiceRules = []choiceRule{
	{media.KindEXIFOriginal, strengthStrong, "EXIF DateTimeOriginal (+SubSecTimeOriginal, OffsetTimeOriginal): when the shutter fired"},
	{media.KindVideoCreation, strengthStrong, "QuickTime com.apple.quicktime.creationdate (with offset), then mvhd creation time (UTC)"},
	{media.KindTakeout, strengthStrong, "Google Takeout JSON photoTakenTime (UTC)"},
	{media.KindEXIFDigitized, strengthGood, "EXIF DateTimeDigitized/CreateDate: when it was digitised (scans: the scan)"},
	{media.KindXMP, strengthGood, "XMP sidecar exif:DateTimeOriginal / photoshop:DateCreated"},
	{media.KindFilenameTime, strengthName, "date and time in the file name (camera/app patterns)"},
	{media.KindFilenameDate, strengthDateOnly, "date only in the file name (e.g. WhatsApp IMG-20180312-WA0007)"},
	{media.KindFolder, strengthDateOnly, "folder names: …/2019/05/21/…, 2019-05-21 Trip, Photos from 2002"},
	{media.KindEXIFModify, strengthWeak, "EXIF DateTime/ModifyDate: often the last edit"},
	{media.KindMtime, strengthLast, "file modification time (UTC): copies and downloads reset it"},
}

// choiceTableMarkdown renders choiceRules for the README.
func choiceTableMarkdown() string {
	names := map[strength]string{strengthStrong: "strong", strengthGood: "good", strengthName: "name (date and time)",
		strengthDateOnly: "date only", strengthWeak: "weak", strengthLast: "last resort"}
	var b strings.Builder
	b.WriteString("| rank | candidate kind | timestamp_source | class | what it is |\n|---|---|---|---|---|\n")
	for i, r := range choiceRules {
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s |\n", i+1, r.Kind, kindSource[r.Kind], names[r.Strength], r.Why)
	}
	return b.String()
}

// kindSource is the report-level source of each kind.
var kindSource = map[media.CandidateKind]media.Source{
	media.KindEXIFOriginal: media.SourceEXIF, media.KindEXIFDigitized: media.SourceEXIF, media.KindEXIFModify: media.SourceEXIF,
	media.KindVideoCreation: media.SourceVideo, media.KindTakeout: media.SourceSidecar, media.KindXMP: media.SourceSidecar,
	media.KindFilenameTime: media.SourceFilename, media.KindFilenameDate: media.SourceFilename, media.KindFolder: media.SourceFolder, media.KindMtime: media.SourceMtime,
}

func ruleOf(k media.CandidateKind) (rank int, s strength) {
	for i, r := range choiceRules {
		if r.Kind == k {
			return len(choiceRules) - i, r.Strength
		}
	}
	return 0, strengthLast
}

// factoryDefaultYears are years whose 1 January cameras fall back to when
// their clock was never set (or lost its battery).
var factoryDefaultYears = map[int]bool{2000: true, 2001: true, 2002: true, 2003: true, 2004: true, 2005: true,
	2006: true, 2007: true, 2008: true, 2009: true, 2010: true, 2011: true, 2012: true, 2013: true, 2014: true, 2015: true}

// eval is a candidate under evaluation.
type eval struct {
	c       *media.Candidate
	v       datetime.Civil
	valid   bool
	rank    int
	str     strength
	demoted bool // a trap was detected: treated as the weakest evidence
	noVote  bool // may neither confirm nor contradict (mtime of a messenger copy)
}

// Determine gathers all candidates (embedded, file name, folders,
// sidecars, mtime), validates them, chooses one, grades confidence and
// records conflicts. It opens at most six sidecar names next to Path.
//
// Validation: a candidate is valid when it is a real calendar time, its year
// is at least MinYear and it is not later than Now plus one day; invalid ones
// stay in the list, Rejected, with the Reason.
//
// Choice: the valid candidate of the earliest row of choiceRules.
//
// Confidence:
//   - HIGH: a strong source (EXIF original, video creation, Takeout) that an
//     independent source (another report-level Source) agrees with — same
//     minute, or a whole number of quarter hours up to 14 hours that a time
//     zone explains —
//     or a strong EXIF source from a camera (Make/Model present) that nothing
//     contradicts.
//   - MEDIUM: one strong source alone, EXIF digitized or XMP, or a full
//     date-time file name.
//   - LOW: a date-only name, a folder, EXIF ModifyDate or mtime; strong sources
//     that disagree (Conflict says which); messenger copies named by date.
//   - NONE: no valid candidate.
//
// Traps: EXIF at 1 January while the name, folder, sidecar or video says
// another day is a camera clock never set: the EXIF candidates are kept but
// demoted below mtime, with the reason in their Detail. A messenger copy
// (WhatsApp, Signal, Telegram, …) without an embedded date has its mtime
// flagged as the download time; it neither confirms nor contradicts.
func Determine(in Input, opts Options) media.Timestamp {
	minYear := opts.MinYear
	if minYear == 0 {
		minYear = DefaultMinYear
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	cands, namePat := gather(in)
	evs := validate(cands, minYear, now)
	detectTraps(evs, namePat)

	// Choose.
	var best *eval
	for _, e := range evs {
		if !e.valid {
			continue
		}
		if best == nil || e.effRank() > best.effRank() {
			best = e
		}
	}
	ts := media.Timestamp{Confidence: media.ConfidenceNone}
	if best == nil {
		ts.Candidates = cands
		return ts
	}
	best.c.Chosen = true
	ts.Value = best.c.Value
	ts.Time = best.v.Time()
	ts.ZoneKnown = best.v.ZoneKnown && best.v.Prec == datetime.PrecTime
	ts.Source = best.c.Source
	ts.Confidence, ts.Conflict = grade(best, evs, in.Camera != "", namePat)
	if local, ok := localWallClock(best, evs); ok {
		ts.Value, ts.Time = local.String(), local.Time()
	}
	ts.Candidates = cands
	return ts
}

// gather lists every candidate: the embedded ones (reset, as they may come
// from an earlier analysis), the file name, the folders, the sidecars and
// the mtime. namePat is the file-name pattern that matched, if any.
func gather(in Input) (cands []media.Candidate, namePat *namePattern) {
	var problems []sidecarProblem
	cands = make([]media.Candidate, 0, len(in.Embedded)+6)
	for _, c := range in.Embedded {
		c.Rejected, c.Reason, c.Chosen = false, "", false
		if c.Source == media.SourceNone {
			c.Source = kindSource[c.Kind]
		}
		cands = append(cands, c)
	}
	if name := firstNonEmpty(in.Path, in.RelPath); name != "" {
		base := filepath.Base(filepath.FromSlash(name))
		if c, p, ok := parseFilename(base); ok {
			namePat = p
			cands = append(cands, nameCandidate(base, c, p))
		}
	}
	if c, ok := folderCandidate(in.RelPath); ok {
		cands = append(cands, c)
	}
	if in.Path != "" {
		if c, ok := takeoutCandidate(in.Path, &problems); ok {
			cands = append(cands, c)
		}
		if c, ok := xmpCandidate(in.Path, &problems); ok {
			cands = append(cands, c)
		}
	}
	// A sidecar that exists but cannot be read stays visible as evidence.
	for _, p := range problems {
		cands = append(cands, media.Candidate{Kind: p.kind, Source: media.SourceSidecar, Detail: p.msg, Rejected: true, Reason: "malformed sidecar"})
	}
	if !in.ModTime.IsZero() {
		cands = append(cands, media.Candidate{Kind: media.KindMtime, Source: media.SourceMtime,
			Value: datetime.FromTime(in.ModTime.UTC().Truncate(time.Second), true).String(), Detail: "file modification time (UTC)"})
	}
	return cands, namePat
}

// validate rejects, with the reason, each candidate that is not a real
// calendar time, is before minYear or is later than now plus one day.
func validate(cands []media.Candidate, minYear int, now time.Time) []*eval {
	evs := make([]*eval, len(cands))
	for i := range cands {
		e := &eval{c: &cands[i]}
		e.rank, e.str = ruleOf(cands[i].Kind)
		evs[i] = e
		v, ok := datetime.ParseValue(cands[i].Value)
		switch {
		case cands[i].Rejected:
		case !ok:
			e.c.Rejected, e.c.Reason = true, "unreadable value"
		case !v.CalendarOK():
			e.c.Rejected, e.c.Reason = true, "not a calendar time"
		case v.Year < minYear:
			e.c.Rejected, e.c.Reason = true, fmt.Sprintf("before the minimum valid year %d", minYear)
		case inFuture(v, now):
			e.c.Rejected, e.c.Reason = true, "later than the scan time plus one day"
		default:
			e.v, e.valid = v, true
		}
	}
	return evs
}

// localWallClock: when the chosen time is a UTC instant (a Pixel file name,
// Takeout, a video's mvhd) and a wall clock without a zone (EXIF, an XMP
// sidecar, a file name) reads the same instant shifted by a whole number of
// quarter hours up to 14 hours, that shift is the UTC offset where the
// picture was taken. The person then sees the local time they remember
// (12:47 in New York, not 17:47Z), with the offset and the chosen source's
// fraction of a second. The chosen candidate's Detail says so.
func localWallClock(best *eval, evs []*eval) (datetime.Civil, bool) {
	if best.v.Prec != datetime.PrecTime || !best.v.ZoneKnown || best.v.Offset != 0 {
		return datetime.Civil{}, false
	}
	var wall *eval
	for _, o := range evs {
		if o == best || !o.valid || o.demoted || o.v.Prec != datetime.PrecTime || o.v.ZoneKnown ||
			(o.c.Source != media.SourceEXIF && o.c.Source != media.SourceFilename && o.c.Kind != media.KindXMP) {
			continue
		}
		if wall == nil || o.effRank() > wall.effRank() {
			wall = o
		}
	}
	if wall == nil {
		return datetime.Civil{}, false
	}
	utc := best.v.Time()
	w := wall.v
	w.Frac = "" // seconds are what wall clocks agree on
	d := w.Time().Sub(utc.Truncate(time.Second))
	off := d.Round(zoneStep)
	if off == 0 || off < -14*time.Hour || off > 14*time.Hour || (d-off).Abs() > time.Second {
		return datetime.Civil{}, false
	}
	local := datetime.FromTime(utc.In(time.FixedZone("", int(off/time.Second))), true)
	best.c.Detail += fmt.Sprintf("; local time %s: the %s %s reads the same instant at UTC%s",
		local.String(), wall.c.Kind, wall.c.Value, formatOffsetSigned(int(off/time.Second)))
	return local, true
}

// formatOffsetSigned is formatOffset without the "Z" for zero.
func formatOffsetSigned(off int) string {
	if off == 0 {
		return "+00:00"
	}
	return datetime.FormatOffset(off)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func (e *eval) effRank() int {
	if e.demoted {
		return 0
	}
	return e.rank
}

func (e *eval) effStrength() strength {
	if e.demoted {
		return strengthLast
	}
	return e.str
}

// inFuture reports whether v is later than now plus one day. A wall clock
// without a zone is compared as if it were UTC: the day of margin covers zones.
func inFuture(v datetime.Civil, now time.Time) bool {
	limit := now.Add(24 * time.Hour)
	switch v.Prec {
	case datetime.PrecYear:
		return v.Year > limit.UTC().Year()
	case datetime.PrecDate:
		l := limit.UTC()
		return v.Time().After(time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC))
	}
	if v.ZoneKnown {
		return v.Time().After(limit)
	}
	return v.Time().After(limit.UTC())
}

// detectTraps marks the classic traps in the candidates' details.
func detectTraps(evs []*eval, namePat *namePattern) {
	// A camera clock never set: EXIF at 1 January of a factory-default year
	// while an independent source (name, folder, sidecar, video) says another day.
	for _, e := range evs {
		if !e.valid || e.c.Source != media.SourceEXIF || e.v.Prec != datetime.PrecTime || e.v.Month != 1 || e.v.Day != 1 {
			continue
		}
		for _, o := range evs {
			if !o.valid || o.c.Source == media.SourceEXIF || o.c.Source == media.SourceMtime || o.str < strengthDateOnly {
				continue
			}
			if !sameDay(e.v, o.v) {
				e.demoted = true
				e.c.Detail += fmt.Sprintf("; camera clock probably never set: %04d-01-01 is a factory default, while the %s says %s",
					e.v.Year, describeSource(o.c), o.c.Value)
				break
			}
		}
		if !e.demoted && factoryDefaultYears[e.v.Year] && e.v.Hour == 0 {
			e.c.Detail += "; looks like a camera factory-default date (clock not set?)"
		}
	}
	// A messenger copy: no embedded date (the messenger stripped EXIF) and the
	// mtime is when it was downloaded.
	if namePat != nil && namePat.Messenger {
		embedded := false
		for _, e := range evs {
			if e.valid && (e.c.Kind == media.KindEXIFOriginal || e.c.Kind == media.KindEXIFDigitized || e.c.Kind == media.KindVideoCreation) {
				embedded = true
			}
		}
		if !embedded {
			for _, e := range evs {
				switch e.c.Kind {
				case media.KindMtime:
					e.noVote = true
					e.c.Detail += "; messenger copy without EXIF date: the mtime is probably the download time, not when it was taken"
				case media.KindFilenameTime, media.KindFilenameDate:
					e.c.Detail += "; messenger name: when the picture was sent or saved, not necessarily taken"
				}
			}
		}
	}
}

func describeSource(c *media.Candidate) string {
	switch c.Source {
	case media.SourceFilename:
		return "file name"
	case media.SourceFolder:
		return "folder"
	case media.SourceSidecar:
		return "sidecar"
	case media.SourceVideo:
		return "video metadata"
	}
	return string(c.Source)
}

// grade decides the confidence of the chosen candidate and any conflict
// between strong sources.
func grade(best *eval, evs []*eval, fromCamera bool, namePat *namePattern) (media.Confidence, string) {
	switch best.effStrength() {
	case strengthStrong:
	case strengthGood, strengthName:
		if namePat != nil && namePat.Messenger && best.c.Source == media.SourceFilename {
			return media.ConfidenceLow, ""
		}
		return media.ConfidenceMedium, ""
	default:
		return media.ConfidenceLow, ""
	}
	// Strong sources that disagree: the choice stands, the conflict is recorded.
	for _, o := range evs {
		if o == best || !o.valid || o.effStrength() != strengthStrong {
			continue
		}
		if o.v.Prec == datetime.PrecTime && !agree(best.v, o.v) {
			o.c.Detail += "; disagrees with the chosen " + string(best.c.Kind)
			return media.ConfidenceLow, fmt.Sprintf("%s %s disagrees with %s %s", best.c.Kind, best.c.Value, o.c.Kind, o.c.Value)
		}
	}
	// Confirmed by an independent source.
	for _, o := range evs {
		if o == best || !o.valid || o.noVote || o.demoted || o.c.Source == best.c.Source || o.v.Prec != datetime.PrecTime {
			continue
		}
		if agree(best.v, o.v) {
			best.c.Detail += fmt.Sprintf("; confirmed by %s %s", o.c.Kind, o.c.Value)
			return media.ConfidenceHigh, ""
		}
	}
	// A camera's own clock with nothing contradicting it.
	contradicted := false
	for _, o := range evs {
		if o == best || !o.valid || o.noVote || o.demoted || o.c.Source == best.c.Source ||
			o.str < strengthDateOnly || o.c.Kind == media.KindEXIFDigitized {
			continue
		}
		if !consistent(best.v, o.v) {
			contradicted = true
			o.c.Detail += "; disagrees with the chosen " + string(best.c.Kind)
		}
	}
	factoryLike := best.v.Month == 1 && best.v.Day == 1 && factoryDefaultYears[best.v.Year] && best.v.Hour == 0
	if best.c.Source == media.SourceEXIF && fromCamera && !contradicted && !factoryLike {
		return media.ConfidenceHigh, ""
	}
	return media.ConfidenceMedium, ""
}

// wallOrInstant returns the two times to compare: instants when both zones
// are known, wall clocks otherwise.
func wallOrInstant(a, b datetime.Civil) (time.Time, time.Time) {
	if a.ZoneKnown && b.ZoneKnown {
		return a.Time(), b.Time()
	}
	wa, wb := a, b
	wa.ZoneKnown, wb.ZoneKnown = false, false
	return wa.Time(), wb.Time()
}

// agree: two full times are the same minute, or differ by a whole number of
// quarter hours up to 14 hours that a time zone explains (India is UTC+5:30,
// Nepal UTC+5:45).
func agree(a, b datetime.Civil) bool {
	ta, tb := wallOrInstant(a, b)
	d := ta.Sub(tb)
	if d < 0 {
		d = -d
	}
	if d < time.Minute {
		return true
	}
	if d > 14*time.Hour+time.Minute {
		return false
	}
	r := d % zoneStep
	return r < time.Minute || r > zoneStep-time.Minute
}

// zoneStep is the granularity of UTC offsets: every zone in use is a whole
// number of quarter hours from UTC.
const zoneStep = 15 * time.Minute

// sameDay: a and b can be the same day (one day of slack for time zones).
func sameDay(a, b datetime.Civil) bool {
	if a.Prec == datetime.PrecYear || b.Prec == datetime.PrecYear {
		return consistent(a, b)
	}
	da := time.Date(a.Year, time.Month(a.Month), a.Day, 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year, time.Month(b.Month), b.Day, 0, 0, 0, 0, time.UTC)
	d := da.Sub(db)
	return d <= 24*time.Hour && d >= -24*time.Hour
}

// consistent: b does not contradict a at b's precision.
func consistent(a, b datetime.Civil) bool {
	switch {
	case a.Prec == datetime.PrecTime && b.Prec == datetime.PrecTime:
		return agree(a, b)
	case a.Prec == datetime.PrecYear || b.Prec == datetime.PrecYear:
		// allow a zone to move a time across New Year
		ay, by := a.Year, b.Year
		if ay == by {
			return true
		}
		lo, hi := min(ay, by), max(ay, by)
		if hi-lo != 1 {
			return false
		}
		for _, c := range []datetime.Civil{a, b} {
			if c.Prec != datetime.PrecYear && ((c.Month == 12 && c.Day == 31) || (c.Month == 1 && c.Day == 1)) {
				return true
			}
		}
		return false
	default:
		return sameDay(a, b)
	}
}

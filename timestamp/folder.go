package timestamp

import (
	"fmt"
	"regexp"
	"strings"

	"shoebox/datetime"
	"shoebox/media"
)

// Folder-name dates, weaker than the file name: …/2019/05/21/…,
// …/2019-05-21 Trip/…, "Photos from 2002" (a year only).

var (
	folderDate = regexp.MustCompile(`^((?:19|20)\d\d)[-_. ]?(\d\d)[-_. ]?(\d\d)(?:[^0-9]|$)`)
	folderYear = regexp.MustCompile(`^(?:(?:19|20)\d\d)$`)
	// Google Takeout's year albums, and similar "… 2002" folder names.
	folderYearWords = regexp.MustCompile(`(?i)^(?:photos from|fotos von|photos de|fotos de|pictures|photos|year)\s+((?:19|20)\d\d)$`)
	folderMonth     = regexp.MustCompile(`^(0[1-9]|1[0-2])(?:[^0-9]|$)`)
	folderDay       = regexp.MustCompile(`^(0[1-9]|[12]\d|3[01])(?:[^0-9]|$)`)
)

// folderCandidate returns the most specific date the directories of relPath
// (relative to the scan root, '/' separators, file name last) give, nearest
// directory first among equals.
func folderCandidate(relPath string) (media.Candidate, bool) {
	parts := strings.Split(strings.Trim(relPath, "/"), "/")
	if len(parts) < 2 {
		return media.Candidate{}, false
	}
	dirs := parts[:len(parts)-1]
	var best datetime.Civil
	var bestWhere string
	consider := func(c datetime.Civil, where string) {
		if !c.CalendarOK() {
			return
		}
		if c.Prec > best.Prec || (c.Prec == best.Prec && c.Prec != datetime.PrecNone) {
			best, bestWhere = c, where
		}
	}
	for i, d := range dirs {
		switch {
		case folderYear.MatchString(d):
			y := datetime.Atoi(d)
			// …/2019/05/21/… or …/2019/05/…
			if i+2 < len(dirs) && folderMonth.MatchString(dirs[i+1]) && folderDay.MatchString(dirs[i+2]) {
				mo := datetime.Atoi(folderMonth.FindStringSubmatch(dirs[i+1])[1])
				dd := datetime.Atoi(folderDay.FindStringSubmatch(dirs[i+2])[1])
				consider(datetime.Civil{Year: y, Month: mo, Day: dd, Prec: datetime.PrecDate}, strings.Join(dirs[i:i+3], "/"))
			} else {
				consider(datetime.Civil{Year: y, Prec: datetime.PrecYear}, d)
			}
		case folderDate.MatchString(d):
			m := folderDate.FindStringSubmatch(d)
			consider(datetime.Civil{Year: datetime.Atoi(m[1]), Month: datetime.Atoi(m[2]), Day: datetime.Atoi(m[3]), Prec: datetime.PrecDate}, d)
		case folderYearWords.MatchString(d):
			consider(datetime.Civil{Year: datetime.Atoi(folderYearWords.FindStringSubmatch(d)[1]), Prec: datetime.PrecYear}, d)
		}
	}
	if best.Prec == datetime.PrecNone {
		return media.Candidate{}, false
	}
	return media.Candidate{Kind: media.KindFolder, Source: media.SourceFolder, Value: best.String(),
		Detail: fmt.Sprintf("folder name %q", bestWhere)}, true
}

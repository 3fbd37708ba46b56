package processing

import (
	"fmt"
	"regexp"
	"strings"
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
func folderCandidate(relPath string) (Candidate, bool) {
	parts := strings.Split(strings.Trim(relPath, "/"), "/")
	if len(parts) < 2 {
		return Candidate{}, false
	}
	dirs := parts[:len(parts)-1]
	var best civil
	var bestWhere string
	consider := func(c civil, where string) {
		if !c.calendarOK() {
			return
		}
		if c.Prec > best.Prec || (c.Prec == best.Prec && c.Prec != precNone) {
			best, bestWhere = c, where
		}
	}
	for i, d := range dirs {
		switch {
		case folderYear.MatchString(d):
			y := atoi(d)
			// …/2019/05/21/… or …/2019/05/…
			if i+2 < len(dirs) && folderMonth.MatchString(dirs[i+1]) && folderDay.MatchString(dirs[i+2]) {
				mo := atoi(folderMonth.FindStringSubmatch(dirs[i+1])[1])
				dd := atoi(folderDay.FindStringSubmatch(dirs[i+2])[1])
				consider(civil{Year: y, Month: mo, Day: dd, Prec: precDate}, strings.Join(dirs[i:i+3], "/"))
			} else {
				consider(civil{Year: y, Prec: precYear}, d)
			}
		case folderDate.MatchString(d):
			m := folderDate.FindStringSubmatch(d)
			consider(civil{Year: atoi(m[1]), Month: atoi(m[2]), Day: atoi(m[3]), Prec: precDate}, d)
		case folderYearWords.MatchString(d):
			consider(civil{Year: atoi(folderYearWords.FindStringSubmatch(d)[1]), Prec: precYear}, d)
		}
	}
	if best.Prec == precNone {
		return Candidate{}, false
	}
	return Candidate{Kind: KindFolder, Source: SourceFolder, Value: best.String(),
		Detail: fmt.Sprintf("folder name %q", bestWhere)}, true
}

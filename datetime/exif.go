package datetime

import "strings"

// EXIFStatus says what ParseEXIF made of an EXIF date string.
type EXIFStatus int

const (
	EXIFOK      EXIFStatus = iota // a date, perhaps with a time, fraction and zone
	EXIFEmpty                     // blank or all zeros: the writer did not know
	EXIFGarbage                   // something that is not a date
)

// ParseEXIF parses "YYYY:MM:DD HH:MM:SS" and the variants cameras and
// software write ("-" or "/" date separators, "T", a fraction, a zone). All
// zeros and blanks (the EXIF spelling of "unknown") are EXIFEmpty. The
// result is not calendar-validated: 30 February comes back as written.
func ParseEXIF(raw string) (Civil, EXIFStatus) {
	s := strings.TrimSpace(strings.TrimRight(raw, "\x00"))
	if strings.Trim(s, " :0-/T") == "" {
		return Civil{}, EXIFEmpty
	}
	var c Civil
	if len(s) < 19 {
		// A date alone ("2019:07:04") is still a date.
		if len(s) == 10 && isDigits(s[:4]) && isDigits(s[5:7]) && isDigits(s[8:10]) && isSep(s[4]) && s[4] == s[7] {
			c.Year, c.Month, c.Day = Atoi(s[:4]), Atoi(s[5:7]), Atoi(s[8:10])
			c.Prec = PrecDate
			return c, EXIFOK
		}
		return c, EXIFGarbage
	}
	if !(isDigits(s[:4]) && isSep(s[4]) && isDigits(s[5:7]) && isSep(s[7]) && isDigits(s[8:10]) &&
		(s[10] == ' ' || s[10] == 'T') && isDigits(s[11:13]) && s[13] == ':' && isDigits(s[14:16]) &&
		s[16] == ':' && isDigits(s[17:19])) {
		return c, EXIFGarbage
	}
	c = Civil{Year: Atoi(s[:4]), Month: Atoi(s[5:7]), Day: Atoi(s[8:10]),
		Hour: Atoi(s[11:13]), Min: Atoi(s[14:16]), Sec: Atoi(s[17:19]), Prec: PrecTime}
	rest := strings.TrimSpace(s[19:])
	if strings.HasPrefix(rest, ".") {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		c.Frac, rest = SubSecDigits(rest[1:i]), strings.TrimSpace(rest[i:])
	}
	if rest != "" {
		if off, ok := ParseOffset(rest); ok {
			c.ZoneKnown, c.Offset = true, off
		}
	}
	return c, EXIFOK
}

// SubSecDigits keeps the leading decimal digits of a SubSecTime value (at most 9).
func SubSecDigits(s string) string {
	s = strings.TrimSpace(strings.TrimRight(s, "\x00"))
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

func isSep(b byte) bool { return b == ':' || b == '-' || b == '/' || b == '.' }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Atoi reads a string of decimal digits that a pattern already checked.
func Atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// CleanText trims spaces and NULs and drops control characters.
func CleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

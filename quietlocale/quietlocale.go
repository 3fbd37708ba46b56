package quietlocale

import (
	"os"
	"strings"
)

// changed is the variable set to "C" by init and its original value; written
// once by init, read by Restore. Not state that changes at run time.
var changed struct {
	name, value string
}

func init() {
	name, value := messagesLocale(os.Getenv)
	if name != "" && isCWithCharset(value) {
		changed.name, changed.value = name, value
		os.Setenv(name, "C")
	}
}

// messagesLocale returns the variable that decides the language of messages,
// in gettext's order, and its value.
func messagesLocale(getenv func(string) string) (name, value string) {
	for _, n := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(n); v != "" {
			return n, v
		}
	}
	return "", ""
}

// isCWithCharset reports C.UTF-8, POSIX.utf8 and the like: the C locale with
// a character set, which the locale parsers Fyne uses do not recognise.
func isCWithCharset(v string) bool {
	lang, _, hasCharset := strings.Cut(v, ".")
	return hasCharset && (lang == "C" || lang == "POSIX")
}

// Restore puts back the locale variable init changed, so the rest of the
// program (and anything it starts) sees the environment it was given.
func Restore() {
	if changed.name != "" {
		os.Setenv(changed.name, changed.value)
	}
}

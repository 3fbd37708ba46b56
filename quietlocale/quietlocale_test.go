package quietlocale

import "testing"

func TestOnlyTheCLocaleWithACharsetIsChanged(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		name string
		want bool
	}{
		{map[string]string{"LANG": "C.UTF-8"}, "LANG", true},
		{map[string]string{"LANG": "POSIX.utf8"}, "LANG", true},
		{map[string]string{"LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "LC_ALL", true},
		{map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "C.UTF-8"}, "LC_ALL", false},
		{map[string]string{"LANG": "C"}, "LANG", false},
		{map[string]string{"LANG": "en_GB.UTF-8"}, "LANG", false},
		{map[string]string{}, "", false},
	} {
		name, value := messagesLocale(func(k string) string { return c.env[k] })
		if name != c.name || isCWithCharset(value) != c.want {
			t.Errorf("%v: %s=%q changed=%v", c.env, name, value, isCWithCharset(value))
		}
	}
}

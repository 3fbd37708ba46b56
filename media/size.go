package media

import "fmt"

// SizeText writes a file size for a person, in decimal units as file
// managers show them: 950 B, 4.2 MB, 1.3 GB. The window and the command line
// both use it, so one size reads the same in both.
func SizeText(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

package app

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"time"

	"shoebox/near"
)

// Settings are the knobs of a scan. Each job stores the settings it ran with.
//
// Settings that start from DefaultSettings (the command line and the window
// do) or are read from JSON (a job's stored settings) are explicit: every
// field holds a value chosen on purpose, so a max error rate or a min sample
// of 0 means 0, and a zero that means nothing (0 workers) is refused by
// Validate. In a Settings written as a Go literal a zero field means "the
// default", as it always has.
type Settings struct {
	// Workers is how many files are analysed at once. Default: runtime.NumCPU().
	Workers int `json:"workers"`
	// BatchSize is how many results are committed to the library per transaction. Default 10.
	BatchSize int `json:"batch_size"`
	// FlushInterval is the longest an analysed result waits before it is committed. Default 1s.
	FlushInterval Duration `json:"flush_interval"`
	// MaxErrorRate halts the job when errors/processed exceeds it. Default 0.10.
	MaxErrorRate float64 `json:"max_error_rate"`
	// MinSample is how many files must be processed before the error rate can halt the job. Default 10.
	MinSample int `json:"min_sample"`
	// MinYear is the earliest year a timestamp may have to be believed. Default 2000.
	MinYear int `json:"min_year"`
	// NearDistance is the largest perceptual-hash Hamming distance of a near duplicate.
	NearDistance int `json:"near_distance"`
	// MaxPixels refuses to decode images larger than this. Default 100 megapixels.
	MaxPixels int64 `json:"max_pixels"`
	// FileTimeout marks a file as failed when its analysis takes longer than this
	// (plus one second per 50 MB of file). Default 30s.
	FileTimeout Duration `json:"file_timeout"`
	// Rehash analyses every file again instead of reusing unchanged files' analysis.
	Rehash bool `json:"rehash,omitempty"`

	explicit bool // see above; not stored: stored settings are explicit when read
}

// Default values of Settings.
const (
	DefaultBatchSize     = 10
	DefaultFlushInterval = time.Second
	DefaultMaxErrorRate  = 0.10
	DefaultMinSample     = 10
	DefaultMinYear       = 2000
	DefaultNearDistance  = near.DefaultDistance
	DefaultMaxPixels     = 100_000_000
	DefaultFileTimeout   = 30 * time.Second
)

// DefaultSettings returns the settings a new scan uses unless told otherwise.
func DefaultSettings() Settings {
	s := Settings{}.WithDefaults()
	s.explicit = true
	return s
}

// WithDefaults fills every unset field with its default: a field whose zero
// means nothing, and, in a Go literal, the error threshold and minimum sample
// (see Settings).
func (s Settings) WithDefaults() Settings {
	if s.Workers <= 0 {
		s.Workers = runtime.NumCPU()
	}
	if s.BatchSize <= 0 {
		s.BatchSize = DefaultBatchSize
	}
	if s.FlushInterval <= 0 {
		s.FlushInterval = Duration(DefaultFlushInterval)
	}
	if s.MaxErrorRate <= 0 && !s.explicit {
		s.MaxErrorRate = DefaultMaxErrorRate
	}
	if s.MinSample <= 0 && !s.explicit {
		s.MinSample = DefaultMinSample
	}
	if s.MinYear <= 0 {
		s.MinYear = DefaultMinYear
	}
	if s.NearDistance <= 0 && !s.explicit {
		s.NearDistance = DefaultNearDistance
	}
	if s.MaxPixels <= 0 {
		s.MaxPixels = DefaultMaxPixels
	}
	if s.FileTimeout <= 0 {
		s.FileTimeout = Duration(DefaultFileTimeout)
	}
	return s
}

// Validate reports settings a person must correct. In explicit settings a
// zero is refused where it means nothing (see Settings).
func (s Settings) Validate() error {
	least := 0 // in a Go literal, 0 means the default
	if s.explicit {
		least = 1
	}
	switch {
	case s.Workers < least || s.Workers > 256:
		return fmt.Errorf("workers must be between 1 and 256, not %d", s.Workers)
	case s.BatchSize < least || s.BatchSize > 100000:
		return fmt.Errorf("batch size must be between 1 and 100000, not %d", s.BatchSize)
	case math.IsNaN(s.MaxErrorRate) || s.MaxErrorRate < 0 || s.MaxErrorRate > 1:
		return fmt.Errorf("the error threshold must be between 0 and 1 (0.10 is 10%%), not %g", s.MaxErrorRate)
	case s.MinSample < 0:
		return fmt.Errorf("the minimum sample cannot be negative, not %d", s.MinSample)
	case (s.MinYear != 0 || s.explicit) && (s.MinYear < 1826 || s.MinYear > 2100):
		return fmt.Errorf("the minimum valid year must be between 1826 and 2100, not %d", s.MinYear)
	case s.NearDistance < 0 || s.NearDistance > 32:
		// 0 is honoured: identical perceptual hashes only (near.ExactPHashOnly).
		return fmt.Errorf("the near-duplicate distance must be between 0 and 32, not %d", s.NearDistance)
	case s.MaxPixels < int64(least):
		return fmt.Errorf("the pixel limit must be at least 1, not %d", s.MaxPixels)
	case s.FlushInterval < Duration(least) || s.FileTimeout < Duration(least):
		return fmt.Errorf("the flush interval and the file timeout must be positive, not %s and %s",
			time.Duration(s.FlushInterval), time.Duration(s.FileTimeout))
	}
	return nil
}

// UnmarshalJSON reads stored settings over the defaults: a key missing from
// older JSON takes its default, and a stored value, zero included, is kept.
func (s *Settings) UnmarshalJSON(b []byte) error {
	type plain Settings // without this method
	p := plain(DefaultSettings())
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*s = Settings(p)
	return nil
}

// Duration is a time.Duration that reads and writes as "1.5s" in JSON.
type Duration time.Duration

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a Go duration string or a number of nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*d = Duration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*d = Duration(n)
	return nil
}

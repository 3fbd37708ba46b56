package app

import (
	"encoding/json"
	"fmt"
	"runtime"
	"time"

	"shoebox/processing"
)

// Settings are the knobs of a scan. Each job stores the settings it ran with.
// The zero value of a field means "the default" (see DefaultSettings).
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
}

// Default values of Settings.
const (
	DefaultBatchSize     = 10
	DefaultFlushInterval = time.Second
	DefaultMaxErrorRate  = 0.10
	DefaultMinSample     = 10
	DefaultMinYear       = 2000
	DefaultNearDistance  = processing.DefaultNearDistance
	DefaultMaxPixels     = 100_000_000
	DefaultFileTimeout   = 30 * time.Second
)

// DefaultSettings returns the settings a new scan uses unless told otherwise.
func DefaultSettings() Settings {
	return Settings{}.WithDefaults()
}

// WithDefaults fills every unset field with its default.
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
	if s.MaxErrorRate <= 0 {
		s.MaxErrorRate = DefaultMaxErrorRate
	}
	if s.MinSample <= 0 {
		s.MinSample = DefaultMinSample
	}
	if s.MinYear <= 0 {
		s.MinYear = DefaultMinYear
	}
	if s.NearDistance <= 0 {
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

// Validate reports settings a person must correct.
func (s Settings) Validate() error {
	switch {
	case s.Workers < 0 || s.Workers > 256:
		return fmt.Errorf("workers must be between 1 and 256, not %d", s.Workers)
	case s.BatchSize < 0 || s.BatchSize > 100000:
		return fmt.Errorf("batch size must be between 1 and 100000, not %d", s.BatchSize)
	case s.MaxErrorRate < 0 || s.MaxErrorRate > 1:
		return fmt.Errorf("the error threshold must be between 0 and 1 (0.10 is 10%%), not %g", s.MaxErrorRate)
	case s.MinSample < 0:
		return fmt.Errorf("the minimum sample cannot be negative")
	case s.MinYear != 0 && (s.MinYear < 1826 || s.MinYear > 2100):
		return fmt.Errorf("the minimum valid year must be between 1826 and 2100, not %d", s.MinYear)
	case s.NearDistance < 0 || s.NearDistance > 32:
		return fmt.Errorf("the near-duplicate distance must be between 0 and 32, not %d", s.NearDistance)
	}
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

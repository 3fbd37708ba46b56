package app

import (
	"encoding/json"
	"fmt"

	"shoebox/processing"
	"shoebox/store"
)

// Duplicates are a job's exact and near-duplicate groups.
type Duplicates struct {
	Exact []ExactGroup
	Near  []NearGroup
}

// ExactGroup is a set of files with the same bytes (SHA-256), across all jobs.
type ExactGroup struct {
	SHA256 string
	Files  []store.FileRecord
}

// NearGroup is a connected component of visually near-identical images.
type NearGroup struct {
	Files       []store.FileRecord
	MaxDistance int      // the largest pHash distance inside the group
	Evidence    []string // one line per pair that joined the group
}

// Duplicates finds a job's duplicate groups. distance 0 means the job's
// near-duplicate setting.
func (l *Library) Duplicates(jobID uint64, distance int) (Duplicates, error) {
	var out Duplicates
	exact, err := l.db.ExactDuplicates(jobID)
	if err != nil {
		return out, err
	}
	for _, g := range exact {
		out.Exact = append(out.Exact, ExactGroup{SHA256: g.SHA256, Files: g.Files})
	}
	if distance <= 0 {
		distance = l.jobSettings(jobID).NearDistance
	}
	hashes, err := l.db.PerceptualHashes(jobID)
	if err != nil {
		return out, err
	}
	items := make([]processing.NearItem, len(hashes))
	for i, h := range hashes {
		items[i] = processing.NearItem{ID: uint64(i), PHash: h.PHash, DHash: h.DHash, Width: h.Width, Height: h.Height}
	}
	for _, g := range processing.GroupNear(items, processing.NearOptions{MaxDistance: distance}) {
		ng := NearGroup{MaxDistance: g.MaxDistance}
		names := map[uint64]string{}
		for _, id := range g.IDs {
			rec, err := l.db.FileByKey(hashes[id].Key)
			if err != nil {
				return out, err
			}
			names[id] = rec.RelPath
			ng.Files = append(ng.Files, rec)
		}
		for _, e := range g.Evidence {
			ng.Evidence = append(ng.Evidence, fmt.Sprintf("%s ~ %s: pHash distance %d, dHash distance %d (%s)",
				names[e.A], names[e.B], e.PHashDistance, e.DHashDistance, e.Reason))
		}
		out.Near = append(out.Near, ng)
	}
	return out, nil
}

// jobSettings reads the settings a job ran with (defaults where unreadable).
func (l *Library) jobSettings(jobID uint64) Settings {
	var s Settings
	if j, err := l.db.Job(jobID); err == nil && len(j.Settings) > 0 {
		_ = json.Unmarshal(j.Settings, &s) // damaged settings fall back to defaults
	}
	return s.WithDefaults()
}

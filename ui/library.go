package ui

import (
	"shoebox/app"
)

// libraryEngine adapts *app.Library to Engine.
type libraryEngine struct {
	*app.Library
}

func (l libraryEngine) Duplicates(jobID uint64, distance int) (DupGroups, error) {
	d, err := l.Library.Duplicates(jobID, distance)
	if err != nil {
		return DupGroups{}, err
	}
	var out DupGroups
	for _, g := range d.Exact {
		out.Exact = append(out.Exact, DupGroup{SHA256: g.SHA256, Files: g.Files})
	}
	for _, g := range d.Near {
		out.Near = append(out.Near, DupGroup{Near: true, MaxDistance: g.MaxDistance, Evidence: g.Evidence, Files: g.Files})
	}
	return out, nil
}

package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"shoebox/store"
)

type dupsJSON struct {
	Exact []exactJSON `json:"exact"`
	Near  []nearJSON  `json:"near"`
}

// Files are readable (see ReadablePath); FilesBytes, present only when one
// of them is not valid UTF-8, gives each one's raw bytes in base64 ("" for
// the valid ones), in the same order.
type exactJSON struct {
	SHA256     string   `json:"sha256"`
	Files      []string `json:"files"`
	FilesBytes []string `json:"files_bytes,omitempty"`
}

type nearJSON struct {
	Files       []string `json:"files"`
	FilesBytes  []string `json:"files_bytes,omitempty"`
	MaxDistance int      `json:"max_distance"`
	Evidence    []string `json:"evidence"`
}

// dupPaths names a group's files readably, with their raw bytes when one of
// them needs it.
func dupPaths(files []store.FileRecord, jobID uint64) (names, raw []string) {
	needRaw := false
	for _, f := range files {
		p := dupPath(f, jobID)
		names = append(names, ReadablePath(p))
		raw = append(raw, rawBytes(p))
		needRaw = needRaw || raw[len(raw)-1] != ""
	}
	if !needRaw {
		raw = nil
	}
	return names, raw
}

// dupPath names a file as the report does (relative to its root) when it
// belongs to the job, and by its absolute path when it comes from another job.
func dupPath(f store.FileRecord, jobID uint64) string {
	if f.JobID == jobID {
		return f.RelPath
	}
	return f.AbsPath()
}

// WriteDuplicates writes a job's duplicate groups as JSON or text (text
// without the keeper marks, which need a plan: see cmdDups).
func WriteDuplicates(w io.Writer, d Duplicates, jobID uint64, format string) error {
	out := dupsJSON{Exact: []exactJSON{}, Near: []nearJSON{}}
	for _, g := range d.Exact {
		e := exactJSON{SHA256: g.SHA256}
		e.Files, e.FilesBytes = dupPaths(g.Files, jobID)
		out.Exact = append(out.Exact, e)
	}
	for _, g := range d.Near {
		n := nearJSON{MaxDistance: g.MaxDistance}
		n.Files, n.FilesBytes = dupPaths(g.Files, jobID)
		for _, e := range g.Evidence {
			n.Evidence = append(n.Evidence, ReadablePath(e))
		}
		out.Near = append(out.Near, n)
	}
	switch format {
	case "json", "":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "text":
		return writeDupsText(w, d, nil)
	}
	return fmt.Errorf("unknown format %q (json or text)", format)
}

func cmdDups(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("dups", stderr)
	jobFlag := fs.String("job", "", "job ID (default: the latest)")
	distance := fs.Int("distance", -1, "largest perceptual-hash distance of a near duplicate, 0 for identical hashes only (default: the job's setting)")
	format := fs.String("format", "json", "json or text")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *format != "json" && *format != "text" {
		return fmt.Errorf("unknown format %q (json or text)", *format)
	}
	if *distance < -1 || *distance > 32 {
		return fmt.Errorf("--distance must be between 0 and 32")
	}
	lib, j, err := openJob(*db, *jobFlag)
	if err != nil {
		return err
	}
	defer lib.Close()
	d, err := lib.Duplicates(j.ID, *distance)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return err
	}
	// Damaged records are left out; the groups of the readable ones are
	// written and the error then says how many were not read.
	var werr error
	if *format == "text" {
		// Which copy stays is the plan's decision, by the library's rules.
		// A plan that cannot be made leaves the members unmarked.
		p, perr := lib.planOf(j.ID, d, PlanOptions{IncludeNear: true, NearDistance: *distance})
		pp := &p
		if perr != nil && !errors.Is(perr, store.ErrDamaged) {
			fmt.Fprintf(stderr, "shoebox: which copy to keep is not shown: %v\n", perr)
			pp = nil
		}
		werr = writeDupsText(stdout, d, pp)
	} else {
		werr = WriteDuplicates(stdout, d, j.ID, *format)
	}
	if werr != nil {
		return werr
	}
	return err
}

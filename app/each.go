package app

import (
	"errors"
	"path"
	"path/filepath"

	"shoebox/media"
	"shoebox/store"
	"shoebox/timestamp"
)

// EachFile calls fn with every file of a job as Files shows it (a person's
// decisions, then dates from numbered neighbours, then the decisions again),
// without holding the job's records at once: the store is read in batches
// twice (store.EachFile). The first pass keeps only what the neighbours'
// rule needs of each analysed file (its name, folder, camera and date, the
// folders and cameras shared), the second hands each record to fn with its
// neighbours' date added. A damaged record is left out, and the walk ends
// with the store's *DamagedRecords error; an error from fn stops it.
func (l *Library) EachFile(jobID uint64, fn func(store.FileRecord) error) error {
	decided, err := l.decidedDates()
	if err != nil {
		return err
	}
	var files []timestamp.SequenceFile
	var keys []seqKey // files[i]'s record
	shared := map[string]string{}
	intern := func(s string) string {
		if v, ok := shared[s]; ok {
			return v
		}
		shared[s] = s
		return s
	}
	damaged := l.db.EachFile(jobID, func(r store.FileRecord) error {
		if r.Status != media.StatusDone {
			return nil
		}
		dir, name := path.Split(r.RelPath)
		if _, _, ok := timestamp.SeriesOf(name); !ok {
			// Not a numbered camera name: the rule neither dates it nor
			// dates others by it, so it is not kept (at a million files
			// of dated names, the pass kept 200 MB it never used).
			return nil
		}
		if _, err := decided.apply(&r); err != nil {
			return err
		}
		files = append(files, timestamp.SequenceFile{
			Name: name, Folder: intern(filepath.Join(r.Root, filepath.FromSlash(dir))), Camera: intern(r.Camera),
			Value: r.Time.Value, Confidence: r.Time.Confidence,
		})
		keys = append(keys, seqKey{root: r.RootIndex, rel: r.RelPath})
		return nil
	})
	if damaged != nil && !errors.Is(damaged, store.ErrDamaged) {
		return damaged
	}
	shared = nil
	byKey := map[seqKey]timestamp.SequenceCandidate{}
	for _, c := range timestamp.Sequence(files, timestamp.SequenceOptions{}) {
		byKey[keys[c.File]] = c
	}
	files, keys = nil, nil
	err = l.db.EachFile(jobID, func(r store.FileRecord) error {
		c, isDecided, err := decided.of(r.SHA256)
		if err != nil {
			return err
		}
		var seq *timestamp.SequenceCandidate
		if s, ok := byKey[seqKey{root: r.RootIndex, rel: r.RelPath}]; ok {
			seq = &s
		}
		dateAsShown(&r, seq, c, isDecided)
		return fn(r)
	})
	if err != nil {
		return err
	}
	return damaged
}

// seqKey names a record within its job: its root and path (the path's
// string is the record's own, which the file's name shares).
type seqKey struct {
	root int
	rel  string
}

package store

import (
	"strings"

	"shoebox/media"
)

// Listed is one file as a listing found it: what a scan knows of it before
// analysing it. A listing is held whole and sorted while it is stored, so
// it is kept in this form, 72 bytes and the path, about a quarter of a
// FileRecord's memory (a million files: ~120 MB instead of ~470 MB); a
// record is made from it a chunk at a time (Record).
type Listed struct {
	RelPath string // relative to its root, '/' separators
	// Message is, for a file skipped or failed while listing, why (the
	// record's Note or Error).
	Message string
	Size    int64
	MtimeNS int64
	CtimeNS int64
	Inode   uint64
	Root    uint16 // index in the job's Roots
	Status  ListedStatus
}

// ListedStatus is what a listing made of a file.
type ListedStatus uint8

const (
	// ListedPending is a file to analyse.
	ListedPending ListedStatus = iota
	// ListedSkipped is an entry that is not followed (a link to a folder
	// outside the scanned ones): Message says why.
	ListedSkipped
	// ListedFailed is an entry that could not be read: Message says why.
	ListedFailed
)

// Record is the file record of a listed file for a job (its root taken
// from the job's Roots).
func (l *Listed) Record(j *Job) FileRecord {
	r := FileRecord{
		JobID: j.ID, RootIndex: int(l.Root), RelPath: l.RelPath,
		Size: l.Size, MtimeNS: l.MtimeNS, CtimeNS: l.CtimeNS, Inode: l.Inode,
	}
	if int(l.Root) < len(j.Roots) {
		r.Root = j.Roots[l.Root]
	}
	switch l.Status {
	case ListedSkipped:
		r.Status, r.Note = media.StatusSkipped, l.Message
	case ListedFailed:
		r.Status, r.Error = media.StatusError, l.Message
	default:
		r.Status = media.StatusPending
	}
	return r
}

// compareListed orders listed files as the store keys them: by root, then
// by path.
func compareListed(a, b Listed) int {
	if a.Root != b.Root {
		return int(a.Root) - int(b.Root)
	}
	return strings.Compare(a.RelPath, b.RelPath)
}

// compareListedKey orders a listed file against the file key k of any job
// by root, then path, as the store orders keys within a job, without
// making the listed file's key: a rescan merges a million of them with
// its base (goneFromBase).
func compareListedKey(l *Listed, k []byte) int {
	if root := be.Uint16(k[8:]); l.Root != root {
		return int(l.Root) - int(root)
	}
	switch rel := k[10:]; {
	case l.RelPath < string(rel):
		return -1
	case l.RelPath > string(rel):
		return 1
	}
	return 0
}

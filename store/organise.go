package store

// KindOrganise is an organise run: every photo of the sources copied (or
// moved) into a dated library folder, each file's fate in its journal.
const KindOrganise JobKind = "organise"

// Fates of a file in an organise run's ledger.
const (
	FateFiled     = "filed"     // copied to Dest, filed by its date
	FateUnsorted  = "unsorted"  // copied to Dest under Unsorted/: its date is not trusted
	FateDuplicate = "duplicate" // the same bytes as another input, filed once at Of
	FateAlready   = "already"   // its bytes are already in the destination at Of
	FateLeft      = "left"      // left in place; Reason says why
	FateError     = "error"     // could not be organised; Reason says why
)

// OrganiseEntry is what an organise run's item says for the ledger, beside
// the change item's own fields: the file's planned fate and the folder it
// is organised into. An item with no file operation (a duplicate or a file
// already in the library when sources are copied, a file left) is stored
// finished, skipped, and never touched.
type OrganiseEntry struct {
	Fate string `json:"fate"`
	// Of is, for a duplicate or a file already in the library, the path in
	// the destination that holds its bytes.
	Of string `json:"of,omitempty"`
	// Root is the destination folder of the run: undo removes the folders it
	// made there, up to it, when they are left empty.
	Root string `json:"root,omitempty"`
	// MtimeNS is the modification time the copy gets (the source's, or the
	// taken date when so chosen).
	MtimeNS int64 `json:"mtime_ns,omitempty"`
}

// Package trash moves files to the operating system's trash so that the
// desktop's own "Restore" works, and puts them back for Shoebox's undo.
//
// Trashing is two phases so that the caller can journal its intent between
// them:
//
//   - Prepare chooses the trash for a path and reserves a name in it,
//     touching only the trash folder (on Linux it writes the .trashinfo
//     file, which is the reservation the freedesktop.org specification
//     prescribes). The returned Entry is what to journal.
//   - Commit moves the file in, never replacing anything.
//
// Abandon drops a reservation whose file never went in; Restore puts a
// trashed file back at its original path, refusing (fs.ErrExist) if
// something stands there.
//
// Where the file goes:
//   - Linux and other freedesktop systems: $XDG_DATA_HOME/Trash when the file
//     is on that volume; otherwise $topdir/.Trash/$uid (only when .Trash is a
//     real folder with the sticky bit) or $topdir/.Trash-$uid, with the
//     .trashinfo Path relative to $topdir, as
//     https://specifications.freedesktop.org/trash-spec/latest/ says.
//   - macOS: ~/.Trash on the home volume, $topdir/.Trashes/$uid elsewhere; no
//     info file (Finder's "Put Back" needs its private records, so it will not
//     offer it, but the file is in the trash and Restore works).
//   - Windows: the Recycle Bin through the shell (SHFileOperationW with
//     FOF_ALLOWUNDO); Restore finds the item by reading the bin's $I records.
//
// Crash recovery: after a kill -9 between Prepare and Commit, or during
// Commit, look at the journaled Entry. On Linux and macOS the move is one
// rename, so exactly one of these holds:
//   - e.Original exists and e.File does not: the file was not moved; call
//     Abandon (or Commit again).
//   - e.File exists and e.Original does not: the file is in the trash; the
//     run may record it as trashed (Restore undoes it).
//
// Both existing means something new was put at e.Original after the move;
// neither existing means the file was taken out of the trash by hand. On
// Windows e.File is empty; the file is in the bin exactly when e.Original is
// gone and Restore can find it.
//
// It imports only the standard library, golang.org/x/sys and safefs.
package trash

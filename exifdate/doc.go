// Package exifdate writes a corrected capture date into a JPEG's EXIF and
// proves that nothing else in the file changed.
//
// SetJPEGDate sets DateTimeOriginal and CreateDate (and OffsetTimeOriginal and
// OffsetTime when the UTC offset is known) in the Exif IFD, adding an APP1
// Exif segment when the file has none. It edits the existing TIFF structure
// rather than re-serialising it: a value that fits is overwritten where it
// lies, a value that does not is appended, and an IFD that must gain or lose
// an entry is written anew at the end of the TIFF data with the one pointer to
// it updated. Nothing else moves, so the offsets inside maker notes (which
// many vendors make relative to the TIFF header), the IFD1 thumbnail and every
// other tag stay valid byte for byte. ProveImageUnchanged is the check a
// caller runs on the temporary file before replacing the original: the image
// data from the first SOS on and every segment other than the Exif APP1 are
// identical. ExifSegment and RestoreExifSegment make the undo: the original
// Exif segment (at most 64 KB) is all a journal needs to give the file back
// byte for byte.
//
// A local time is written as it was given, never converted to UTC; a date
// known only to the day is refused unless the caller has agreed to noon; years
// run from 1826 to next year. The package imports only the standard library,
// so that any layer can use it.
package exifdate

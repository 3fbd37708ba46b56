// Package qtdate writes a corrected capture instant into the date fields of
// a QuickTime or ISO base media file (MOV, MP4, M4V, 3GP) and proves that
// nothing else in the file changed.
//
// The fields are fixed-width integers in three boxes of the movie header
// (moov): creation_time and modification_time of the movie header box mvhd
// (ISO/IEC 14496-12 §8.2.2), of each track's header tkhd (§8.3.2) and of
// each track's media header mdhd (§8.4.2). A version 0 box holds them as
// 32-bit seconds since 1904-01-01T00:00:00 UTC, a version 1 box as 64-bit
// ones. They are UTC by the specification, so a caller converts a local
// time with its offset before it comes here; one whose offset is unknown
// must not be written at all.
//
// Locate finds the fields through io.ReaderAt, reading box headers and the
// few bytes of the three boxes only: a video of many gigabytes is never read
// into memory, and the media data (mdat) is skipped by its size wherever it
// lies, before or after the moov, with 32-bit, 64-bit (size 1) or
// to-the-end (size 0) sizes. Set plans the new values, WriteCopy streams the
// file into a new one beside it and writes them at their offsets, and Prove
// streams both files to show that they have the same length, differ nowhere
// but in the planned fields, and that those read back the intended values.
// Nothing changes length, so every offset in the file (the chunk offsets of
// the sample tables included) stays valid. The journal of a write needs only
// the patches (offsets, old and new values): Revert gives the patches that
// put the old values back, byte for byte.
//
// Apple's com.apple.quicktime.creationdate metadata item (a local time with
// its offset, as text in moov/meta) is deliberately left alone: its length
// varies, so changing it could move boxes, and the proof above would not
// hold. Readers that prefer it still see the old value there.
//
// Anything odd is refused with an error in words: no moov or two, a movie
// without tracks, a box that runs past its container, a missing mvhd, tkhd
// or mdhd, a box version other than 0 or 1, an instant before 1904 or past
// what a version 0 field holds (2040-02-06T06:28:15Z). The package imports only the standard
// library, so that any layer can use it.
package qtdate

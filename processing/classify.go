package processing

import (
	"strings"

	"github.com/gabriel-vasile/mimetype"

	"shoebox/meta"
)

type fileKind int

const (
	kindNotMedia    fileKind = iota // skipped
	kindMislabelled                 // named like media, content is something else: an error
	kindImage                       // decoded for a perceptual hash
	kindVideo                       // SHA-256 and metadata only
)

// mediaExtensions are the names people give photos and videos. A file so
// named whose content is not media is damaged or mislabelled (an error);
// any other non-media file is simply skipped.
var mediaExtensions = map[string]fileKind{
	".jpg": kindImage, ".jpeg": kindImage, ".jpe": kindImage, ".jfif": kindImage,
	".png": kindImage, ".gif": kindImage, ".webp": kindImage, ".bmp": kindImage,
	".tif": kindImage, ".tiff": kindImage, ".heic": kindImage, ".heif": kindImage,
	".avif": kindImage, ".cr2": kindImage, ".cr3": kindImage, ".nef": kindImage,
	".arw": kindImage, ".dng": kindImage, ".orf": kindImage, ".rw2": kindImage,
	".raf": kindImage, ".pef": kindImage, ".srw": kindImage,
	".mp4": kindVideo, ".m4v": kindVideo, ".mov": kindVideo, ".3gp": kindVideo,
	".avi": kindVideo, ".mkv": kindVideo, ".mts": kindVideo, ".m2ts": kindVideo,
	".wmv": kindVideo, ".webm": kindVideo, ".mpg": kindVideo, ".mpeg": kindVideo,
}

// IsMediaExtension reports whether a lower-case extension (with its dot)
// names a photo or video.
func IsMediaExtension(ext string) bool {
	_, ok := mediaExtensions[ext]
	return ok
}

// classify decides from the content first and the name second.
func classify(mt *mimetype.MIME, ext string, head []byte) fileKind {
	for m := mt; m != nil; m = m.Parent() {
		s := m.String()
		switch {
		case strings.HasPrefix(s, "image/"):
			if s == "image/svg+xml" || s == "image/vnd.adobe.photoshop" || s == "image/x-icon" || s == "image/vnd.microsoft.icon" {
				break // not photos: skip unless named like one
			}
			return kindImage
		case strings.HasPrefix(s, "video/"):
			return kindVideo
		}
	}
	if k, ok := mediaExtensions[ext]; ok {
		// RAW formats mimetype does not know are TIFF-like: trust the name when
		// meta.Sniff (which knows them) reads the bytes as TIFF or an ISO BMFF
		// box. RAF is not trusted here, as before the packages were split.
		if k == kindImage {
			switch meta.Sniff(head, mt.String()) {
			case meta.TIFF, meta.HEIF, meta.Video, meta.CR3:
				return kindImage
			}
		}
		return kindMislabelled
	}
	return kindNotMedia
}

func describeMIME(mt *mimetype.MIME) string {
	s := mt.String()
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	switch {
	case s == "application/octet-stream":
		return "unrecognised binary data"
	case strings.HasPrefix(s, "text/html"):
		return "a web page (HTML)"
	case strings.HasPrefix(s, "text/"):
		return "text (" + s + ")"
	}
	return s
}

package store

// recordDict is the preset dictionary of compressed file records
// (flagDeflate, codec.go): the JSON a record is made of, its field names,
// the values most records share and the wording of every kind of date
// candidate, so that a record of about 1 KB of JSON is stored in a few
// hundred bytes without a shared table anywhere but here.
//
// Records written with it can only be read with these exact bytes: never
// edit it. A better dictionary needs a new flag, and this one kept for the
// records already written. DEFLATE finds a match faster and codes it shorter
// the nearer it is to the end, so the most common text comes last.
const recordDict = `` +
	// Rare wordings: sidecars, folders, sequences, traps, errors.
	`"detail":"XMP sidecar \"","detail":"Google Takeout sidecar \".json\" photoTakenTime  (UTC)",` +
	`"rejected":true,"reason":"malformed sidecar","reason":"in the future","reason":"before 1900",` +
	`"kind":"xmp","source":"sidecar","kind":"takeout","source":"sidecar","kind":"folder","source":"folder",` +
	`"detail":"folder name \"","kind":"sequence","source":"sequence",` +
	`"detail":"midpoint of the  between its numbered neighbours of the same : taken  and  taken ",` +
	`"Conflict":"EXIF DateTimeOriginal and  disagree by ",` +
	`"status":"error","error":"damaged TIFF: tiff: invalid format: ","error":"damaged JPEG: ","mime":"image/tiff",` +
	`"note":"no perceptual hash: format cannot be hashed: HEIC/HEIF images are not decoded (no pure-Go decoder fast enough)",` +
	`"status":"skipped","note":"not a photo or video (text (text/plain))","mime":"text/plain","mime":"application/octet-stream",` +
	`"status":"pending","time":{"Value":"","Time":"0001-01-01T00:00:00Z","ZoneKnown":false,"Source":"","Confidence":"","Conflict":"","Candidates":null},"analysed_at":"0001-01-01T00:00:00Z"}` +
	// Videos.
	`"mime":"video/mp4","mime":"video/quicktime","Source":"video","Confidence":"MEDIUM",` +
	`{"kind":"video_creation","source":"video","value":"","detail":"QuickTime metadata com.apple.quicktime.creationdate \"+0000\"","rejected":false,"chosen":true},` +
	`{"kind":"video_creation","source":"video","value":"Z","detail":"mvhd creation_time 3 s since 1904-01-01 (UTC)","rejected":false},` +
	// EXIF in the containers it is read from.
	`, in HEIF Exif item (raw \", in PNG eXIf chunk (raw \", in PNG zTXt Raw profile type exif (raw \", in TIFF header (raw \", in CR3 CMT1 (raw \", in CR3 CMT2 (Exif IFD) (raw \", in WebP EXIF chunk (raw \"` +
	`"mime":"image/heic","mime":"image/png","mime":"image/webp","camera":"Apple iPhone ","camera":"Canon Canon EOS ","camera":"NIKON CORPORATION NIKON ","camera":"samsung SM-","camera":"Google Pixel ","camera_serial":"","content_id":"-` +
	`{"kind":"exif_modify","source":"exif","value":"","detail":"EXIF DateTime/ModifyDate (0x0132) + SubSecTime + OffsetTime 0x9010 \"+00:00\", in JPEG APP1 (raw \"2019:07:05 09:00:00\")","rejected":false},` +
	`{"kind":"exif_digitized","source":"exif","value":"","detail":"EXIF DateTimeDigitized/CreateDate (0x9004) + SubSecTimeDigitized + OffsetTime 0x9012 \"+00:00\", in JPEG APP1 (raw \"2019:07:04 15:30:12\")","rejected":false},` +
	`"time":{"Value":"","Time":"Z","ZoneKnown":true,"Source":"exif","Confidence":"HIGH","Conflict":"","Candidates":[` +
	`{"kind":"exif_original","source":"exif","value":"","detail":"EXIF DateTimeOriginal (0x9003) + SubSecTimeOriginal + OffsetTime 0x9011 \"+00:00\", in JPEG APP1 (raw \"2019:07:04 15:30:12\")","rejected":false,"chosen":true},` +
	// File names: the phone and messenger patterns.
	`"kind":"filename_date","source":"filename","value":"","detail":"file name \"IMG-20180312-WA0007.jpg\" matches the WhatsApp (date only) pattern",` +
	`"detail":"file name \"PXL_20210923_184501123.jpg\" matches the Pixel pattern","detail":"file name \"20160812_143022.jpg\" matches the Samsung camera pattern",` +
	// The common record: a photo analysed, dated by its name and its mtime.
	`"status":"done","reused":true,"mime":"image/jpeg","sha256":"","phash":1,"dhash":1,"has_phash":true,"width":4032,"height":3024,"luma_mean":1,"luma_stddev":3,"chroma_cb":-1,"chroma_cr":-1,"analysis":2,` +
	`{"root":"/","size":1,"mtime_ns":1,"ctime_ns":1,"inode":1,"status":"done","mime":"image/jpeg","sha256":"","phash":1,"dhash":1,"has_phash":true,"width":320,"height":240,"luma_mean":1,"luma_stddev":3,"chroma_cb":-1,"chroma_cr":-1,"analysis":2,` +
	`"time":{"Value":"20","Time":"20Z","ZoneKnown":false,"Source":"filename","Confidence":"MEDIUM","Conflict":"","Candidates":[` +
	`{"kind":"filename_datetime","source":"filename","value":"20","detail":"file name \"IMG_20190704_153012.jpg\" matches the Android camera pattern","rejected":false,"chosen":true},` +
	`{"kind":"mtime","source":"mtime","value":"20Z","detail":"file modification time (UTC)","rejected":false}]},"analysed_at":"20`

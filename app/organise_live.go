package app

import "strings"

// Live Photos paired by Apple's content identifier: an iPhone writes one
// identifier into both halves of a Live Photo (the still's maker note, the
// video's QuickTime metadata; package meta reads them), so the pair is known
// even when the names differ (IMG_0001.HEIC beside a renamed or re-exported
// video) or the halves were sorted into different folders. Where a file
// has no identifier (older phones, libraries analysed before it was read,
// files that lost their metadata) the halves are paired by stem, and two
// files whose identifiers differ are never a pair (bundles, sameShot).

// liveBundles pairs, within each source, the stills and videos that carry
// the same content identifier into one bundle, whatever their names and
// folders. An identifier that no still and video of one source share pairs
// nothing here: those files are bundled by their names. It returns each
// paired file's bundle.
func liveBundles(files []*orgFile) map[*orgFile]*orgBundle {
	groups := map[string][]*orgFile{}
	var keys []string
	for _, f := range files {
		if !isMedia(f) || f.rec.ContentID == "" {
			continue
		}
		k := f.root + "\x00" + f.rec.ContentID // one source: identifiers do not pair across sources
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	out := map[*orgFile]*orgBundle{}
	for _, k := range keys {
		g := groups[k]
		var still, video bool
		for _, f := range g {
			still = still || strings.HasPrefix(f.rec.MIME, "image/")
			video = video || strings.HasPrefix(f.rec.MIME, "video/")
		}
		if !still || !video {
			continue
		}
		primaryFirst(g)
		bd := &orgBundle{primary: g[0], members: g[1:], live: true}
		for _, f := range g {
			out[f] = bd
		}
	}
	return out
}

// sameShot says whether f may join bd by its stem: not when f and a file
// of bd carry different content identifiers, which says they are two shots.
func (bd *orgBundle) sameShot(f *orgFile) bool {
	if f.rec == nil || f.rec.ContentID == "" {
		return true
	}
	for _, g := range append([]*orgFile{bd.primary}, bd.members...) {
		if g.rec != nil && g.rec.ContentID != "" && g.rec.ContentID != f.rec.ContentID {
			return false
		}
	}
	return true
}

// ownerStem is the lower-cased stem of the picture or video of a Live Photo
// bundle that the sidecar m is named after ("clip_7" for clip_7.xmp when the
// primary is IMG_0001.HEIC): the longest such stem followed by a dot. It is
// def when m is named after none of them.
func (bd *orgBundle) ownerStem(m *orgFile, def string) string {
	name, best := strings.ToLower(m.name), ""
	for _, g := range append([]*orgFile{bd.primary}, bd.members...) {
		if !isMedia(g) {
			continue
		}
		if s := strings.ToLower(stemOf(g.name)); len(s) > len(best) && strings.HasPrefix(name, s+".") {
			best = s
		}
	}
	if best == "" {
		return def
	}
	return best
}

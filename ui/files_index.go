package ui

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"shoebox/app"
	"shoebox/media"
)

// rowSet is one snapshot of a job's rows with what sorting and filtering
// them needs, each part built once, when first asked, off the UI goroutine:
// a column's order is a permutation of the rows (a descending sort walks it
// backwards), the text filter searches every row's path in lower case
// (files_text.go). The rows never change once in a rowSet, so any
// goroutine may read them.
type rowSet struct {
	job     uint64 // the job whose files the rows are
	rows    []app.FileRow
	dateLen int // the longest date's length, for the date column's width

	orders    [numFileColumns][]int32
	orderOnce [numFileColumns]sync.Once

	// The text filter's: each folder's path in lower case, and the names
	// whose lower case is not found byte by byte (beyond ASCII), by row.
	// Other names are lowered as they are searched (files_text.go).
	lowerDirs  map[*app.RowFolder]string
	lowerNames map[int32]string
	lowerOnce  sync.Once
}

func newRowSet(job uint64, rows []app.FileRow) *rowSet {
	s := &rowSet{job: job, rows: rows}
	for i := range rows {
		s.dateLen = max(s.dateLen, shownDateLen(rows[i].Date))
	}
	return s
}

// order is the rows' order by col, ascending, ties in the rows' own order.
func (s *rowSet) order(col int) []int32 {
	s.orderOnce[col].Do(func() {
		switch col {
		case colName:
			s.orders[col] = s.sortedBy(col)
		case colDate:
			keys := make([]uint64, len(s.rows))
			for i := range s.rows {
				// Flipping the sign bit orders signed numbers as unsigned.
				keys[i] = uint64(s.rows[i].DateNS) ^ (1 << 63)
			}
			s.orders[col] = radixOrder(keys)
		default:
			s.orders[col] = s.countedBy(col)
		}
	})
	return s.orders[col]
}

// sortedBy sorts the rows by col with comparisons: for names, which the
// store already lists nearly in order, so the sort has little to do.
func (s *rowSet) sortedBy(col int) []int32 {
	idx := make([]int32, len(s.rows))
	for i := range idx {
		idx[i] = int32(i)
	}
	rows := s.rows
	slices.SortFunc(idx, func(a, b int32) int {
		if c := compareRows(&rows[a], &rows[b], col); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return idx
}

// countedBy orders the rows by a column of few values (a type, a source,
// a confidence, a status) by counting: each distinct value's rows in
// their own order, the values in the column's order. It takes time in
// proportion to the rows.
func (s *rowSet) countedBy(col int) []int32 {
	var distinct []*app.FileRow // one row for each value
	seen := map[string]int{}    // value → its place in distinct
	value := func(r *app.FileRow) string {
		switch col {
		case colSource:
			return string(r.Source)
		case colConfidence:
			return rankNames[confRank(r)]
		case colType:
			return r.Kind
		}
		return string(r.Status)
	}
	of := make([]int32, len(s.rows)) // each row's value, as its place in distinct
	for i := range s.rows {
		v := value(&s.rows[i])
		k, ok := seen[v]
		if !ok {
			k = len(distinct)
			seen[v] = k
			distinct = append(distinct, &s.rows[i])
		}
		of[i] = int32(k)
	}
	rank := make([]int, len(distinct)) // value's place → its rank in the column's order
	byValue := make([]int, len(distinct))
	for i := range byValue {
		byValue[i] = i
	}
	slices.SortFunc(byValue, func(a, b int) int { return compareRows(distinct[a], distinct[b], col) })
	for r, k := range byValue {
		rank[k] = r
	}
	start := make([]int, len(distinct)+1)
	for _, k := range of {
		start[rank[k]+1]++
	}
	for r := range len(distinct) {
		start[r+1] += start[r]
	}
	idx := make([]int32, len(s.rows))
	for i, k := range of {
		r := rank[k]
		idx[start[r]] = int32(i)
		start[r]++
	}
	return idx
}

// radixOrder is the order of keys, ascending, ties in their own order:
// a least-significant-byte-first radix sort, eight passes over the keys.
func radixOrder(keys []uint64) []int32 {
	n := len(keys)
	idx, tmp := make([]int32, n), make([]int32, n)
	kk, ktmp := keys, make([]uint64, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	for shift := uint(0); shift < 64; shift += 8 {
		var count [257]int
		for _, k := range kk {
			count[(k>>shift)&0xff+1]++
		}
		if n == 0 || count[(kk[0]>>shift)&0xff+1] == n {
			continue // every key has this byte alike: the pass would change nothing
		}
		for b := range 256 {
			count[b+1] += count[b]
		}
		for i, k := range kk {
			b := (k >> shift) & 0xff
			tmp[count[b]] = idx[i]
			ktmp[count[b]] = k
			count[b]++
		}
		idx, tmp = tmp, idx
		kk, ktmp = ktmp, kk
	}
	return idx
}

// prepare builds every column's order and the lower-case paths, so the
// person's sort clicks and typing find them ready.
func (s *rowSet) prepare() {
	for col := range fileColumns {
		s.order(col)
	}
	s.lowerText()
}

// compareRows orders two rows by a column as the table shows it.
func compareRows(a, b *app.FileRow, col int) int {
	switch col {
	case colDate:
		return cmp.Compare(a.DateNS, b.DateNS)
	case colSource:
		// As the words read, whatever their case: "XMP sidecar" after
		// "neighbours". Few distinct values are compared (countedBy).
		return strings.Compare(strings.ToLower(sourceWords(a.Source)), strings.ToLower(sourceWords(b.Source)))
	case colConfidence:
		return cmp.Compare(confRank(a), confRank(b))
	case colType:
		return strings.Compare(a.Kind, b.Kind)
	case colStatus:
		return strings.Compare(string(a.Status), string(b.Status))
	}
	if a.Dir == b.Dir {
		return strings.Compare(a.Name, b.Name)
	}
	return compareJoined(a.Dir.Path, a.Name, b.Dir.Path, b.Name)
}

// compareJoined is strings.Compare(x1+x2, y1+y2) without joining them.
func compareJoined(x1, x2, y1, y2 string) int {
	for {
		if x1 == "" {
			x1, x2 = x2, ""
		}
		if y1 == "" {
			y1, y2 = y2, ""
		}
		if x1 == "" || y1 == "" {
			return cmp.Compare(len(x1), len(y1))
		}
		n := min(len(x1), len(y1))
		if c := strings.Compare(x1[:n], y1[:n]); c != 0 {
			return c
		}
		x1, y1 = x1[n:], y1[n:]
	}
}

// rankNames names confRank's values, so counting them builds no string.
var rankNames = [...]string{"0", "1", "2", "3", "4", "5"}

// confRank orders the confidence column: the trusted first, and the rows
// the column leaves empty (files not analysed) last.
func confRank(r *app.FileRow) int {
	if r.Status != media.StatusDone {
		return 5
	}
	switch r.Confidence {
	case media.ConfidenceHigh:
		return 0
	case media.ConfidenceMedium:
		return 1
	case media.ConfidenceLow:
		return 2
	case media.ConfidenceNone:
		return 3
	}
	return 4
}

// filterSort is the rows of s that pass q, in q's order. It runs off the
// UI goroutine. The rows are tested in their own order, which reads them
// front to back; the walk in the column's order then reads only what the
// test left, a byte a row.
func filterSort(s *rowSet, q filesQuery) filtered {
	f := filtered{set: s, at: -1, dateLen: s.dateLen}
	ord := s.order(q.sortCol)
	var text *textMatch
	if q.text != "" {
		text = s.textMatch(q.text)
	}
	pass := make([]bool, len(s.rows))
	selected := int32(-1)
	for i := range s.rows {
		r := &s.rows[i]
		pass[i] = q.keep(r) && (text == nil || text.has(int32(i)))
		if selected < 0 && q.selected != "" && isRowKey(r, q.selected) {
			selected = int32(i)
		}
	}
	f.rows = make([]int32, 0, len(ord))
	keep := func(i int32) {
		if !pass[i] {
			return
		}
		if i == selected {
			f.at = len(f.rows)
		}
		f.rows = append(f.rows, i)
	}
	if q.sortDesc {
		for k := len(ord) - 1; k >= 0; k-- {
			keep(ord[k])
		}
	} else {
		for _, i := range ord {
			keep(i)
		}
	}
	f.rows = slices.Clip(f.rows)
	return f
}

// rowKey names a file across the roots of a job, as the detail panel and
// the selection know it.
func rowKey(r *app.FileRow) string { return r.Dir.Root + "/" + r.Dir.Path + r.Name }

// isRowKey is rowKey(r) == key, without building the key.
func isRowKey(r *app.FileRow, key string) bool {
	root, dir := r.Dir.Root, r.Dir.Path
	if len(key) != len(root)+1+len(dir)+len(r.Name) {
		return false
	}
	return strings.HasSuffix(key, r.Name) && strings.HasPrefix(key, root) && key[len(root)] == '/' &&
		key[len(root)+1:len(root)+1+len(dir)] == dir
}

package ui

import (
	"fmt"
	"sort"
	"strings"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// The preview of an organise run: how many files meet each fate, and the
// destination's folders with their file counts, bounded so that a plan of
// 100,000 files still shows in a moment.

// fateOrder is the order fates are counted and filtered in.
var fateOrder = []string{store.FateFiled, store.FateUnsorted, store.FateDuplicate, store.FateAlready, store.FateLeft, store.FateError}

// fateCountText says how many files met a fate, in words: "3 filed by
// date", "1 duplicate (filed once)".
func fateCountText(n int, fate string) string {
	switch fate {
	case store.FateFiled:
		return thousands(n) + " filed by date"
	case store.FateUnsorted:
		return thousands(n) + " to Unsorted (no date to trust)"
	case store.FateDuplicate:
		return plural(n, "duplicate") + " (filed once)"
	case store.FateAlready:
		return thousands(n) + " already in the library"
	case store.FateLeft:
		return thousands(n) + " left in place"
	case store.FateError:
		// The scan could not read or analyse it, or its copy failed.
		return thousands(n) + " could not be read, analysed or copied"
	}
	return thousands(n) + " " + fate
}

// fateCounts counts the entries of each fate.
func fateCounts(entries []app.LedgerEntry) map[string]int {
	n := map[string]int{}
	for _, e := range entries {
		n[e.Fate]++
	}
	return n
}

// planCountsText is the preview's counts, one fate a line, then the bytes.
func planCountsText(p app.OrganisePlan) string {
	var b strings.Builder
	n := fateCounts(p.Entries)
	fmt.Fprintf(&b, "%s looked at in %s:\n", plural(len(p.Entries), "file"), sourcesLabel(p.Sources))
	for _, f := range fateOrder {
		line := fateCountText(n[f], f)
		if f == store.FateError { // nothing is copied yet: these are files the scan could not read
			line = thousands(n[f]) + " cannot be copied (unreadable, or the scan could not analyse them)"
		}
		fmt.Fprintf(&b, "    %s\n", line)
	}
	fmt.Fprintf(&b, "%s to copy into %s, in %s.", media.SizeText(p.CopyBytes), homeShort(p.Dest), plural(len(p.Folders), "folder"))
	for _, s := range p.NotScanned {
		fmt.Fprintf(&b, "\n%s has not been scanned: scan it first.", homeShort(s))
	}
	return b.String()
}

// sourcesLabel names the sources: "~/Pictures", "~/A and 2 more".
func sourcesLabel(s []string) string {
	if len(s) == 0 {
		return "no folder"
	}
	return rootsLabel(s)
}

// The tree shows this many levels of folders and at most this many lines.
const (
	planTreeDepth = 3
	planTreeLines = 400
)

// treeNode is one destination folder with the files under it.
type treeNode struct {
	name     string
	files    int // under it, at any depth
	children map[string]*treeNode
}

// planTreeText draws folders (relative path → files) as an indented list:
// the first depth levels, each with the files under it, at most maxLines
// lines.
func planTreeText(folders map[string]int, depth, maxLines int) string {
	root := &treeNode{children: map[string]*treeNode{}}
	for dir, n := range folders {
		root.files += n
		at := root
		for i, part := range strings.Split(dir, "/") {
			if i == depth || part == "" || part == "." {
				break
			}
			c := at.children[part]
			if c == nil {
				c = &treeNode{name: part, children: map[string]*treeNode{}}
				at.children[part] = c
			}
			c.files += n
			at = c
		}
	}
	var lines []string
	more := 0
	var walk func(n *treeNode, level int)
	walk = func(n *treeNode, level int) {
		names := make([]string, 0, len(n.children))
		for k := range n.children {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			c := n.children[k]
			if len(lines) >= maxLines {
				more++
				continue
			}
			lines = append(lines, fmt.Sprintf("%s%s/  %s", strings.Repeat("    ", level), c.name, plural(c.files, "file")))
			walk(c, level+1)
		}
	}
	walk(root, 0)
	if more > 0 {
		lines = append(lines, fmt.Sprintf("… and %s more", plural(more, "folder")))
	}
	return strings.Join(lines, "\n")
}

package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// cmdUnique answers "is this card safe to wipe?": the files under DIR with
// no verified copy elsewhere in the library. It only reads.
func cmdUnique(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("unique", stderr)
	asJSON := fs.Bool("json", false, "print a JSON array of the absolute paths instead of text")
	rehash := fs.Bool("rehash", false, "read every copy and compare its SHA-256 (slower; default: size, time and same-file checks)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errors.New("name one folder: the card or backup you want to know about")
	}
	lib, err := openToRead(*db)
	if err != nil {
		return err
	}
	defer lib.Close()
	rep, err := lib.Unique(context.Background(), pos[0], UniqueOptions{Rehash: *rehash})
	if err != nil {
		return err
	}
	if rep.Warning != "" {
		fmt.Fprintf(stderr, "shoebox unique: %s\n", rep.Warning)
	}
	if *asJSON {
		return writeUniqueJSON(stdout, rep)
	}
	writeUniqueText(stdout, rep)
	return nil
}

// writeUniqueJSON writes the contract: an array of the absolute paths under
// the folder with no verified copy, files unknown to the library included.
func writeUniqueJSON(w io.Writer, rep UniqueReport) error {
	paths := make([]string, 0, len(rep.Files))
	for _, u := range rep.Files {
		paths = append(paths, ReadablePath(u.Path))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(paths)
}

func writeUniqueText(w io.Writer, rep UniqueReport) {
	for _, u := range rep.Files {
		fmt.Fprintf(w, "%s: %s\n", ReadablePath(u.Path), u.Reason)
	}
	fmt.Fprintf(w, "%d of %s %s no copy elsewhere; %s %s not in the library.\n",
		len(rep.Files), count(rep.Total, "file"), agree(len(rep.Files), "has", "have"),
		count(rep.Unknown, "file"), agree(rep.Unknown, "is", "are"))
	if rep.Gone > 0 {
		fmt.Fprintf(w, "%s the library knows under %s %s no longer there (nothing to save).\n",
			count(rep.Gone, "file"), ReadablePath(rep.Dir), agree(rep.Gone, "is", "are"))
	}
	if len(rep.Files) == 0 {
		fmt.Fprintf(w, "Every file under %s has a verified copy elsewhere in the library.\n", ReadablePath(rep.Dir))
	}
}

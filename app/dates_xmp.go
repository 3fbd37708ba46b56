package app

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// The XMP sidecar a dates run writes. It is named after the whole file
// name, IMG_1.jpg.xmp: darktable and digiKam read that name, and it never
// mixes the two files of a RAW+JPEG pair (IMG_1.CR2 and IMG_1.jpg would share
// Lightroom's IMG_1.xmp, which belongs to the raw file; Lightroom keeps a
// JPEG's metadata inside the JPEG and reads no sidecar for it).

const (
	nsEXIF      = "http://ns.adobe.com/exif/1.0/"
	nsPhotoshop = "http://ns.adobe.com/photoshop/1.0/"
	nsRDF       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
)

// SidecarPath is the XMP sidecar of a file: its whole name plus .xmp.
func SidecarPath(path string) string { return path + ".xmp" }

// newSidecar is a sidecar holding only the two dates.
func newSidecar(value string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Shoebox">
 <rdf:RDF xmlns:rdf="` + nsRDF + `">
  <rdf:Description rdf:about=""
    xmlns:exif="` + nsEXIF + `"
    xmlns:photoshop="` + nsPhotoshop + `"
   exif:DateTimeOriginal="` + value + `"
   photoshop:DateCreated="` + value + `"/>
 </rdf:RDF>
</x:xmpmeta>
`)
}

// xmpDateProps are the properties a dates run writes, as prefix:name with
// their namespace.
var xmpDateProps = []struct{ prefix, name, ns string }{
	{"exif", "DateTimeOriginal", nsEXIF},
	{"photoshop", "DateCreated", nsPhotoshop},
}

// updateSidecar sets the two dates in an existing sidecar and keeps
// everything else as it is: a value already there (as an attribute or an
// element) is replaced in place; a missing one is added in a description
// of its own. A sidecar that is not XMP Shoebox can read is refused.
func updateSidecar(old []byte, value string) ([]byte, error) {
	if _, err := readSidecarDates(old); err != nil {
		return nil, err
	}
	s := string(old)
	var missing []string
	for _, p := range xmpDateProps {
		if decl := regexp.MustCompile(`xmlns:` + p.prefix + `\s*=\s*["']([^"']*)["']`).FindStringSubmatch(s); decl != nil && decl[1] != p.ns {
			return nil, fmt.Errorf("its prefix %s: names another namespace (%s), so it is left alone", p.prefix, decl[1])
		}
		q := regexp.QuoteMeta(p.prefix + ":" + p.name)
		attr := regexp.MustCompile(`(\s` + q + `\s*=\s*)("[^"]*"|'[^']*')`)
		elem := regexp.MustCompile(`(<` + q + `>)([^<]*)(</` + q + `>)`)
		found := false
		s = attr.ReplaceAllStringFunc(s, func(m string) string {
			found = true
			sub := attr.FindStringSubmatch(m)
			return sub[1] + `"` + value + `"`
		})
		s = elem.ReplaceAllStringFunc(s, func(m string) string {
			found = true
			sub := elem.FindStringSubmatch(m)
			return sub[1] + value + sub[3]
		})
		if !found {
			missing = append(missing, fmt.Sprintf("\n    xmlns:%s=\"%s\"\n   %s:%s=\"%s\"", p.prefix, p.ns, p.prefix, p.name, value))
		}
	}
	if len(missing) > 0 {
		i := strings.LastIndex(s, "</rdf:RDF>")
		if i < 0 {
			return nil, errors.New("it has no rdf:RDF element to add the dates to, so it is left alone")
		}
		desc := "  <rdf:Description rdf:about=\"\"" + strings.Join(missing, "") + "/>\n "
		s = s[:i] + desc + s[i:]
	}
	return []byte(s), nil
}

// readSidecarDates reads the two date properties of a sidecar, by
// namespace, as attributes or elements: "" for one that is absent. It is the
// read-back of every write, and an error for a sidecar that is not XML.
func readSidecarDates(data []byte) (map[string]string, error) {
	out := map[string]string{}
	d := xml.NewDecoder(bytes.NewReader(data))
	var open *xml.Name
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("it is not readable XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				if k := xmpDateKey(a.Name); k != "" {
					out[k] = a.Value
				}
			}
			if xmpDateKey(t.Name) != "" {
				n := t.Name
				open = &n
				text.Reset()
			}
		case xml.CharData:
			if open != nil {
				text.Write(t)
			}
		case xml.EndElement:
			if open != nil && t.Name == *open {
				out[xmpDateKey(*open)] = strings.TrimSpace(text.String())
				open = nil
			}
		}
	}
}

func xmpDateKey(n xml.Name) string {
	for _, p := range xmpDateProps {
		if n.Space == p.ns && n.Local == p.name {
			return p.prefix + ":" + p.name
		}
	}
	return ""
}

// checkSidecar proves that a sidecar's bytes hold value in both properties.
func checkSidecar(data []byte, value string) error {
	got, err := readSidecarDates(data)
	if err != nil {
		return err
	}
	for _, p := range xmpDateProps {
		if k := p.prefix + ":" + p.name; got[k] != value {
			return fmt.Errorf("reads back %s %q, not %q", k, got[k], value)
		}
	}
	return nil
}

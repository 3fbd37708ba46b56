// Package media holds the plain types that describe what Shoebox learned about
// one file: its status, its timestamp with every candidate and the confidence,
// and the analysis result. It is the leaf of the code base: it imports only the
// standard library, so the store and the window can use these types without
// linking any decoder.
package media

// Command stagebench times each stage of Shoebox's per-file analysis over a
// folder, one file at a time on one core, so `make bench` can say where the
// time goes: read, SHA-256, MIME sniffing, metadata, image hash, timestamps.
package main

//go:build !windows

package main

// attachConsole: elsewhere the command line always has its terminal.
func attachConsole() {}

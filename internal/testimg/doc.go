// Package testimg builds the images and file headers that the tests of
// several packages share, so that each is written once.
package testimg

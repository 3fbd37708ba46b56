package ui

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// errNoDisplay is wrapped by displayProblem's errors.
var errNoDisplay = errors.New("no display")

// x11Display says why the X display named by DISPLAY cannot be reached, or
// nil when something listens there. GLFW panics with a goroutine dump when it
// cannot open the display, so the window checks first and says it in one
// sentence. socketDir is where local X servers listen (/tmp/.X11-unix).
func x11Display(display, socketDir string) error {
	if display == "" {
		return fmt.Errorf("%w: DISPLAY is not set", errNoDisplay)
	}
	host, rest, ok := strings.Cut(display, ":")
	if !ok {
		return fmt.Errorf("%w: DISPLAY=%q is not of the form [host]:number", errNoDisplay, display)
	}
	numText, _, _ := strings.Cut(rest, ".")
	num, err := strconv.Atoi(numText)
	if err != nil || num < 0 {
		return fmt.Errorf("%w: DISPLAY=%q is not of the form [host]:number", errNoDisplay, display)
	}
	network, addr := "unix", fmt.Sprintf("%s/X%d", socketDir, num)
	if host != "" && host != "unix" {
		network, addr = "tcp", net.JoinHostPort(host, strconv.Itoa(6000+num))
	}
	conn, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil && network == "unix" {
		// Linux X servers also listen on the abstract socket of that name.
		conn, err = net.DialTimeout(network, "@"+addr, 2*time.Second)
	}
	if err != nil {
		return fmt.Errorf("%w: nothing answers at DISPLAY=%s", errNoDisplay, display)
	}
	conn.Close()
	return nil
}

// noDisplayMessage is what a person reads when the window cannot open.
func noDisplayMessage(err error) string {
	why := strings.TrimPrefix(err.Error(), errNoDisplay.Error()+": ")
	return fmt.Sprintf("Shoebox found no display to open its window on (%s). "+
		"To use Shoebox without a window, run `shoebox scan DIR` (see `shoebox help`).", why)
}

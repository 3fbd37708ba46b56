//go:build linux || freebsd || netbsd || openbsd

package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// The xdg-desktop-portal's file chooser: the desktop's own dialog (GTK's,
// KDE's), with typed paths, bookmarks and the Pictures folder, reached over
// the session bus without linking any toolkit. Fyne uses it inside Flatpak.
const (
	portalName      = "org.freedesktop.portal.Desktop"
	portalPath      = dbus.ObjectPath("/org/freedesktop/portal/desktop")
	portalChooser   = "org.freedesktop.portal.FileChooser"
	portalRequest   = "org.freedesktop.portal.Request"
	portalRequestNS = "/org/freedesktop/portal/desktop/request/"
	// portalDirectoryVersion is the FileChooser version that knows the
	// "directory" option; older ones would show a file chooser.
	portalDirectoryVersion = 3
)

// systemPicker on these systems is the desktop portal on this session's bus.
func systemPicker(req folderRequest) (string, error) { return portalPicker{}.pick(req) }

// portalPicker asks the xdg-desktop-portal for a folder.
type portalPicker struct {
	// Address is the session bus's D-Bus address; "" = this session's
	// (DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus).
	Address string
	// CallTimeout bounds asking the portal to show its chooser (starting
	// the portal included), not the person's choosing; 0 = 30 seconds.
	CallTimeout time.Duration
}

// pick shows the portal's folder chooser and waits for its answer.
func (p portalPicker) pick(req folderRequest) (string, error) {
	addr := p.Address
	if addr == "" {
		a, err := sessionBusAddress()
		if err != nil {
			return "", err
		}
		addr = a
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		return "", fmt.Errorf("connecting to the session bus at %s: %w", addr, err)
	}
	defer conn.Close()

	token, err := handleToken()
	if err != nil {
		return "", err
	}
	// The spec's advice: subscribe to the request's Response before the
	// call, at the path the portal will use, or a quick answer is missed.
	handle := requestPath(conn.Names()[0], token)
	signals := make(chan *dbus.Signal, 16)
	conn.Signal(signals)
	if err := watchRequest(conn, handle); err != nil {
		return "", err
	}
	// The portal quitting (a crash, a logout) must not leave the window
	// waiting for an answer that will never come.
	if err := conn.AddMatchSignal(dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, portalName)); err != nil {
		return "", fmt.Errorf("watching the desktop portal: %w", err)
	}

	got, err := p.openFile(conn, req, token)
	if err != nil {
		return "", err
	}
	if got != handle {
		// Portals before version 0.9 chose their own path.
		if err := watchRequest(conn, got); err != nil {
			return "", err
		}
	}
	return waitResponse(signals, got)
}

// openFile checks that the portal's chooser can pick folders, asks it to
// show itself, and returns the request's path.
func (p portalPicker) openFile(conn *dbus.Conn, req folderRequest, token string) (dbus.ObjectPath, error) {
	timeout := p.CallTimeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	obj := conn.Object(portalName, portalPath)
	var version uint32
	if err := obj.CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0, portalChooser, "version").Store(&version); err != nil {
		return "", fmt.Errorf("asking the desktop portal's file chooser its version: %w", err)
	}
	if version < portalDirectoryVersion {
		return "", fmt.Errorf("the desktop portal's file chooser is version %d, which cannot choose folders (version %d can)", version, portalDirectoryVersion)
	}
	opts := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token),
		"modal":        dbus.MakeVariant(true),
		"directory":    dbus.MakeVariant(true),
	}
	if req.Start != "" {
		// A byte array ending in NUL, as the spec asks: paths need not be UTF-8.
		opts["current_folder"] = dbus.MakeVariant(append([]byte(req.Start), 0))
	}
	parent := ""
	if req.Parent != 0 {
		parent = fmt.Sprintf("x11:%x", req.Parent)
	}
	var handle dbus.ObjectPath
	if err := obj.CallWithContext(ctx, portalChooser+".OpenFile", 0, parent, req.Title, opts).Store(&handle); err != nil {
		return "", fmt.Errorf("asking the desktop portal for a folder chooser: %w", err)
	}
	return handle, nil
}

// sessionBusAddress is this session's bus, found the way libdbus finds it,
// without godbus's fallback of launching a bus of its own (which would
// hold no portal and outlive the window).
func sessionBusAddress() (string, error) {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return a, nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		p := filepath.Join(dir, "bus")
		if fi, err := os.Stat(p); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return "unix:path=" + p, nil
		}
	}
	return "", errors.New("no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR/bus is missing")
}

// handleToken is a fresh token naming one request.
func handleToken() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a portal request token: %w", err)
	}
	return "shoebox_" + hex.EncodeToString(b), nil
}

// requestPath is where the portal puts the request made by the connection
// with unique name sender (":1.42") under token.
func requestPath(sender, token string) dbus.ObjectPath {
	s := strings.ReplaceAll(strings.TrimPrefix(sender, ":"), ".", "_")
	return dbus.ObjectPath(portalRequestNS + s + "/" + token)
}

func watchRequest(conn *dbus.Conn, handle dbus.ObjectPath) error {
	if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(handle),
		dbus.WithMatchInterface(portalRequest), dbus.WithMatchMember("Response")); err != nil {
		return fmt.Errorf("listening for the desktop portal's answer on %s: %w", handle, err)
	}
	return nil
}

// waitResponse waits for the request's Response, or for the portal or the
// bus to go away.
func waitResponse(signals <-chan *dbus.Signal, handle dbus.ObjectPath) (string, error) {
	for s := range signals {
		switch {
		case s.Path == handle && s.Name == portalRequest+".Response":
			return parseResponse(s.Body)
		case s.Name == "org.freedesktop.DBus.NameOwnerChanged" && len(s.Body) == 3 &&
			s.Body[0] == portalName && s.Body[2] == "":
			return "", errors.New("the desktop portal quit before answering")
		}
	}
	return "", errors.New("the session bus closed before the desktop portal answered")
}

// parseResponse reads a Response: 0 with the chosen folder's URI, 1 when
// the person cancelled, 2 when the chooser failed.
func parseResponse(body []any) (string, error) {
	var code uint32
	var results map[string]dbus.Variant
	if err := dbus.Store(body, &code, &results); err != nil {
		return "", fmt.Errorf("reading the desktop portal's answer: %w", err)
	}
	switch code {
	case 0:
	case 1:
		return "", nil
	default:
		return "", fmt.Errorf("the desktop portal's folder chooser failed (response %d)", code)
	}
	var uris []string
	if v, ok := results["uris"]; ok {
		if err := v.Store(&uris); err != nil {
			return "", fmt.Errorf("reading the folder in the desktop portal's answer: %w", err)
		}
	}
	if len(uris) == 0 {
		return "", errors.New("the desktop portal answered without a folder")
	}
	return pathFromURI(uris[0])
}

// pathFromURI is the local path of a file:// URI, percent-decoded.
func pathFromURI(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", fmt.Errorf("the desktop portal's folder %q: %w", uri, err)
	}
	if u.Scheme != "file" || (u.Host != "" && u.Host != "localhost") || u.Path == "" {
		return "", fmt.Errorf("the desktop portal's folder %q is not a local folder", uri)
	}
	return filepath.FromSlash(u.Path), nil
}

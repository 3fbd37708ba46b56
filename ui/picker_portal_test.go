//go:build linux || freebsd || netbsd || openbsd

package ui

import (
	"bufio"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

// privateBus starts a dbus-daemon of the test's own and returns its
// address. Its configuration is written here rather than --session's, so
// it needs only the daemon and can start no service of the machine's (a
// real portal would answer instead of the fake).
func privateBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon is not installed (Debian/Ubuntu package dbus): the portal tests need a private bus")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+dir+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--print-address=1", "--nofork", "--nopidfile")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	// Its stderr (a warning that it may not raise its file limit) is not
	// the test's business; a daemon that fails shows as no address.
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address (%v): run %s --config-file=%s --nofork to see why", err, daemon, conf)
	}
	return strings.TrimSpace(addr)
}

// fakePortal is org.freedesktop.portal.Desktop's FileChooser on the private
// bus: it records each OpenFile and answers it with code and results on the
// request's path, as xdg-desktop-portal does.
type fakePortal struct {
	conn    *dbus.Conn
	code    uint32
	results map[string]dbus.Variant

	mu    sync.Mutex
	calls []openFileCall
}

type openFileCall struct {
	parent, title string
	opts          map[string]dbus.Variant
}

// OpenFile answers before it returns: the picker must have subscribed first.
func (f *fakePortal) OpenFile(sender dbus.Sender, parent, title string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	f.calls = append(f.calls, openFileCall{parent, title, opts})
	f.mu.Unlock()
	var token string
	if v, ok := opts["handle_token"]; ok {
		_ = v.Store(&token)
	}
	path := requestPath(string(sender), token)
	if err := f.conn.Emit(path, portalRequest+".Response", f.code, f.results); err != nil {
		return "", dbus.MakeFailedError(err)
	}
	return path, nil
}

// startPortal exports the fake portal, with FileChooser version version,
// under the portal's well-known name on the bus at addr.
func startPortal(t *testing.T, addr string, version uint32, code uint32, results map[string]dbus.Variant) *fakePortal {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakePortal{conn: conn, code: code, results: results}
	if err := conn.ExportMethodTable(map[string]any{"OpenFile": f.OpenFile}, portalPath, portalChooser); err != nil {
		t.Fatal(err)
	}
	if _, err := prop.Export(conn, portalPath, prop.Map{portalChooser: {"version": {Value: version}}}); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(portalName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", portalName, reply, err)
	}
	return f
}

func (f *fakePortal) Calls() []openFileCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]openFileCall(nil), f.calls...)
}

func TestPickerPortalReturnsTheChosenFolder(t *testing.T) {
	addr := privateBus(t)
	chosen := filepath.Join(t.TempDir(), "Holiday 2024 – Zürich #1")
	uri := (&url.URL{Scheme: "file", Path: chosen}).String()
	if !strings.Contains(uri, "%20") || !strings.Contains(uri, "%C3%BC") || !strings.Contains(uri, "%23") {
		t.Fatalf("the URI %s is not percent-encoded as a portal sends it", uri)
	}
	f := startPortal(t, addr, 4, 0, map[string]dbus.Variant{"uris": dbus.MakeVariant([]string{uri})})

	start := "/home/ann/Pictures/Été"
	got, err := portalPicker{Address: addr}.pick(folderRequest{Title: "Choose a folder to scan", Start: start, Parent: 0x3a00007})
	if err != nil || got != chosen {
		t.Fatalf("pick = %q, %v; want %q", got, err, chosen)
	}
	calls := f.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d OpenFile calls", len(calls))
	}
	c := calls[0]
	if c.title != "Choose a folder to scan" || c.parent != "x11:3a00007" {
		t.Errorf("title %q, parent %q", c.title, c.parent)
	}
	var dir, modal bool
	var folder []byte
	if err := c.opts["directory"].Store(&dir); err != nil || !dir {
		t.Errorf("directory = %v (%v), want true", c.opts["directory"], err)
	}
	if err := c.opts["modal"].Store(&modal); err != nil || !modal {
		t.Errorf("modal = %v (%v), want true", c.opts["modal"], err)
	}
	if err := c.opts["current_folder"].Store(&folder); err != nil || string(folder) != start+"\x00" {
		t.Errorf("current_folder = %q (%v), want %q with a NUL", folder, err, start)
	}
}

func TestPickerPortalCancelIsNoFolderAndNoError(t *testing.T) {
	addr := privateBus(t)
	startPortal(t, addr, 4, 1, map[string]dbus.Variant{})
	got, err := portalPicker{Address: addr}.pick(folderRequest{Title: "t"})
	if got != "" || err != nil {
		t.Fatalf("pick = %q, %v; want nothing", got, err)
	}
}

func TestPickerPortalFailures(t *testing.T) {
	addr := privateBus(t)
	t.Run("no portal on the bus", func(t *testing.T) {
		if got, err := (portalPicker{Address: addr}).pick(folderRequest{}); err == nil {
			t.Fatalf("pick = %q with no portal", got)
		}
	})
	t.Run("the chooser failed", func(t *testing.T) {
		a := privateBus(t)
		startPortal(t, a, 4, 2, map[string]dbus.Variant{})
		if got, err := (portalPicker{Address: a}).pick(folderRequest{}); err == nil || !strings.Contains(err.Error(), "response 2") {
			t.Fatalf("pick = %q, %v", got, err)
		}
	})
	t.Run("a file chooser too old for folders", func(t *testing.T) {
		a := privateBus(t)
		f := startPortal(t, a, 2, 0, map[string]dbus.Variant{"uris": dbus.MakeVariant([]string{"file:///x"})})
		if got, err := (portalPicker{Address: a}).pick(folderRequest{}); err == nil || len(f.Calls()) != 0 {
			t.Fatalf("pick = %q, %v after %d calls", got, err, len(f.Calls()))
		}
	})
	t.Run("no session bus", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
		t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
		if got, err := (portalPicker{}).pick(folderRequest{}); err == nil || !strings.Contains(err.Error(), "no D-Bus session bus") {
			t.Fatalf("pick = %q, %v", got, err)
		}
	})
}

func TestPickerPortalFolderURIs(t *testing.T) {
	for uri, want := range map[string]string{
		"file:///home/ann/My%20Photos":     "/home/ann/My Photos",
		"file://localhost/srv/caf%C3%A9":   "/srv/café",
		"file:///tmp/100%25%20sure%3F/a+b": "/tmp/100% sure?/a+b",
		"https://example.com/x":            "",
		"file://otherhost/share":           "",
		"file:":                            "",
	} {
		got, err := pathFromURI(uri)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("pathFromURI(%q) = %q, %v; want %q", uri, got, err, want)
		}
	}
}

// With no portal on the bus, "Choose folder…" opens Shoebox's own dialog,
// where a path can be typed.
func TestPickerPortalMissingFallsBackToATypedPath(t *testing.T) {
	addr := privateBus(t)
	u := newTestUI(t, newFake())
	u.picker = portalPicker{Address: addr}.pick
	u.chooseFolder()
	if _, ok := typedFolderOpen(u); !ok {
		t.Fatalf("no typed-path dialog after the portal failed; dialog %q", overlayText(u.win))
	}
}

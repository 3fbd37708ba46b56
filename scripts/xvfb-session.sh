# Sourced (from the repository root) by the scripts that open the window
# under Xvfb: starts Xvfb on $display at 1920x1080, and on exit stops the
# window ($app, when set), Xvfb, and removes $work.
Xvfb "$display" -screen 0 1920x1080x24 >/dev/null 2>&1 &
xvfb=$!
app=
cleanup() {
	[ -n "$app" ] && { kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; }
	kill "$xvfb" 2>/dev/null || true
	wait "$xvfb" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
sleep 1

// Package testproc runs the test binary itself as a child process, for the
// tests that kill or stop a process and then check what it left behind.
// For tests only.
package testproc

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// lineWait is how long WaitFor waits for a line before failing the test.
const lineWait = 60 * time.Second

// Child is the test binary running one of its tests in another process.
type Child struct {
	Cmd   *exec.Cmd
	t     *testing.T
	lines chan string
}

// Start runs the test named test (an exact name) of the current test binary
// in a child process, with env added to this process's environment. The
// child is killed, if still running, when the test ends.
func Start(t *testing.T, test string, env ...string) *Child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &Child{Cmd: cmd, t: t, lines: make(chan string, 64)}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return c
}

// WaitFor returns the first line the child prints from now on that contains
// s, from s on. It fails the test when the child ends first or after 60 s.
func (c *Child) WaitFor(s string) string {
	c.t.Helper()
	deadline := time.After(lineWait)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				c.t.Fatalf("the child ended before printing %q", s)
			}
			if i := strings.Index(l, s); i >= 0 {
				return l[i:]
			}
		case <-deadline:
			c.t.Fatalf("no %q from the child within %s", s, lineWait)
		}
	}
}

// Run runs the test named test (an exact name; "" runs none, for a TestMain
// that acts on env) of the current test binary in a child process to its
// end, with args after the test flags and env added to this process's
// environment, and returns its exit code and output.
func Run(t *testing.T, test string, args []string, env ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^" + test + "$", "-test.count=1"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			t.Fatal(err)
		}
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

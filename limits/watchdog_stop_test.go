//go:build unix

package limits

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"shoebox/internal/testproc"
)

// stopChildEnv makes the test binary run TestWatchdogStoppedChild as the
// child of TestWatchdogIgnoresAStoppedProcess.
const stopChildEnv = "SHOEBOX_WATCHDOG_STOP_CHILD"

// TestWatchdogStoppedChild analyses a slow but healthy file under a 1 s
// limit: it works in 10 ms steps until it notices that its parent stopped it
// (a step that took over 2 s), then 100 ms more. It runs a few hundred ms.
func TestWatchdogStoppedChild(t *testing.T) {
	if os.Getenv(stopChildEnv) == "" {
		t.Skip("run by TestWatchdogIgnoresAStoppedProcess in a child process")
	}
	res, err := Watch(context.Background(), NewRunClock(), time.Second, func(ctx context.Context, _ *FileClock) (string, error) {
		last := time.Now()
		fmt.Println("working")
		stopped := false
		for after := 0; after < 10; {
			if err := ctx.Err(); err != nil {
				return "", err
			}
			time.Sleep(10 * time.Millisecond)
			stopped = stopped || time.Since(last) > 2*time.Second
			last = time.Now()
			if stopped {
				after++
			}
		}
		return "done", nil
	})
	fmt.Printf("result: %v %s\n", err, res)
}

// A process stopped (SIGSTOP, Ctrl-Z) for longer than the file timeout did
// not run during the stop: its files in flight are healthy and must finish.
func TestWatchdogIgnoresAStoppedProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("stops a child process with SIGSTOP; the signal semantics are only checked on Linux")
	}
	child := testproc.Start(t, "TestWatchdogStoppedChild", stopChildEnv+"=1")
	child.WaitFor("working")
	if err := child.Cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second) // the lid is closed: three times the file's limit
	if err := child.Cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if got := child.WaitFor("result:"); got != `result: <nil> done` {
		t.Errorf("after a 3 s stop under a 1 s limit: %s, want the file done", got)
	}
}

// Package mosdevice runs the real MOS device of the tests — device.js in
// ../testdata/mos-device, @mos-connection/connector under Node.js — on free
// loopback ports, and reads back every message it logged. It is shared by
// the MOS client's tests and the end-to-end tests of the newsroom binary.
package mosdevice

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/testutil/testenv"
)

// Ports are one device's loopback ports: its MOS lower, upper and query
// ports, and the NCS ports it connects back to.
type Ports struct {
	MOSLower, MOSUpper, MOSQuery int
	NCSLower, NCSUpper           int
}

// FreePorts picks five free loopback ports.
func FreePorts(t testing.TB) Ports {
	t.Helper()
	var p [5]int
	var lns []net.Listener
	for i := range p {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		p[i] = ln.Addr().(*net.TCPAddr).Port
	}
	for _, ln := range lns {
		ln.Close()
	}
	return Ports{MOSLower: p[0], MOSUpper: p[1], MOSQuery: p[2], NCSLower: p[3], NCSUpper: p[4]}
}

// Dir is the folder of device.js and its package-lock.json.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "mos-device")
}

var (
	npmOnce sync.Once
	npmErr  error
)

// node finds node and the device's node_modules, installing them from the
// lock file if missing. Under CI=true a missing piece fails the test; else it
// skips (testenv.Need: testutil itself cannot be imported here, since it builds
// internal/app, which imports the MOS client whose tests use this package).
func node(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("node")
	testenv.Need(t, "node (Debian packages nodejs npm)", err)
	npmOnce.Do(func() {
		dir := Dir()
		if _, err := os.Stat(filepath.Join(dir, "node_modules", "@mos-connection", "connector")); err == nil {
			return
		}
		if out, err := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--prefix", dir).CombinedOutput(); err != nil {
			npmErr = fmt.Errorf("npm ci in %s: %v\n%s", dir, err, out)
		}
	})
	testenv.Need(t, "the MOS device's node_modules", npmErr)
	return bin
}

// Device is a running device.js.
type Device struct {
	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	log    string
	Stderr *bytes.Buffer
	done   chan struct{}
}

// Event is one line of the device's log: a message it received (its type,
// e.g. roCreate, and the library's parsed object) or a library event.
type Event struct {
	Type string          `json:"type"`
	Time int64           `json:"time"`
	Data json.RawMessage `json:"data"`
}

// Start runs the device as mosID, expecting the NCS ncsID, and waits until it listens.
func Start(t testing.TB, p Ports, mosID, ncsID string) *Device {
	t.Helper()
	bin := node(t)
	d := &Device{t: t, log: filepath.Join(t.TempDir(), "device.jsonl"), Stderr: &bytes.Buffer{}, done: make(chan struct{})}
	d.cmd = exec.Command(bin, "device.js")
	d.cmd.Dir = Dir()
	d.cmd.Env = append(os.Environ(), "MOS_ID="+mosID, "NCS_ID="+ncsID,
		fmt.Sprint("MOS_LOWER=", p.MOSLower), fmt.Sprint("MOS_UPPER=", p.MOSUpper), fmt.Sprint("MOS_QUERY=", p.MOSQuery),
		"NCS_HOST=127.0.0.1", fmt.Sprint("NCS_LOWER=", p.NCSLower), fmt.Sprint("NCS_UPPER=", p.NCSUpper),
		"MOS_LOG="+d.log)
	d.cmd.Stderr = d.Stderr
	var err error
	if d.stdin, err = d.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := d.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = d.cmd.Wait(); close(d.done) }()
	t.Cleanup(d.Stop)
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		ok := false
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "READY" && !ok {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("device.js exited before READY: %s", d.Stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("device.js not READY after 30s: %s", d.Stderr)
	}
	return d
}

// Stop kills the device and waits for it.
func (d *Device) Stop() {
	select {
	case <-d.done:
		return
	default:
	}
	_ = d.cmd.Process.Kill()
	<-d.done
}

// Command sends device.js a JSON command on its standard input.
func (d *Device) Command(v map[string]any) {
	d.t.Helper()
	b, _ := json.Marshal(v)
	if _, err := d.stdin.Write(append(b, '\n')); err != nil {
		d.t.Fatalf("device command: %v", err)
	}
}

// Events are the logged events of one type ("" for all).
func (d *Device) Events(typ string) []Event {
	d.t.Helper()
	raw, err := os.ReadFile(d.log)
	if err != nil && !os.IsNotExist(err) {
		d.t.Fatal(err)
	}
	var out []Event
	for _, line := range strings.Split(string(raw), "\n") {
		var e Event
		if json.Unmarshal([]byte(line), &e) == nil && (typ == "" || e.Type == typ) {
			out = append(out, e)
		}
	}
	return out
}

// WaitN waits (up to 30 s) until the device logged at least n events of typ and returns them.
func (d *Device) WaitN(typ string, n int) []Event {
	d.t.Helper()
	var evs []Event
	defer func() {
		if len(evs) < n {
			d.t.Logf("the MOS device logged %d %s, want %d; log types: %v; stderr: %s", len(evs), typ, n, d.Types(), d.Stderr)
		}
	}()
	testenv.Eventually(d.t, 30*time.Second, fmt.Sprintf("the MOS device to log %d %s", n, typ), func() bool {
		evs = d.Events(typ)
		return len(evs) >= n
	})
	return evs
}

// Types lists the types of the messages logged so far, in order (library noise left out).
func (d *Device) Types() []string {
	var ts []string
	for _, e := range d.Events("") {
		if e.Type != "raw" && e.Type != "libError" && e.Type != "libWarning" {
			ts = append(ts, e.Type)
		}
	}
	return ts
}

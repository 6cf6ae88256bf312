package testutil

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// MinIOVersion is the MinIO server release the tests run against; scripts/test.sh builds it once.
const MinIOVersion = "v0.0.0-20260212201848-7aac2a2c5b7c"

// MinIO credentials of the test server.
const (
	MinIOAccessKey = "newsroomtest"
	MinIOSecretKey = "newsroomtest-secret"
)

// MinIOServer is a real MinIO process started for the tests of one test binary.
type MinIOServer struct {
	// Endpoint is host:port of the S3 API.
	Endpoint  string
	AccessKey string
	SecretKey string

	bin, dir, console string
	mu                sync.Mutex
	cmd               *exec.Cmd
}

var (
	minioOnce   sync.Once
	minioShared *MinIOServer
	minioErr    error
)

// MinIOBinary returns the MinIO server binary from NEWSROOM_TEST_MINIO_BIN, or
// the cache folder scripts/test.sh builds into, or "" when there is none.
func MinIOBinary() string {
	if p := os.Getenv("NEWSROOM_TEST_MINIO_BIN"); p != "" {
		return p
	}
	cache := os.Getenv("NEWSROOM_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, _ := os.UserHomeDir()
			base = home + "/.cache"
		}
		cache = base + "/newsroom"
	}
	p := cache + "/minio-" + MinIOVersion + "/minio"
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
		return p
	}
	return ""
}

// StartMinIO returns the test binary's MinIO server, starting it on first use
// on a free 127.0.0.1 port with a temporary data folder. The process is killed
// when the test binary exits (call StopSharedMinIO from TestMain, and on Linux
// the kernel kills it if the test process dies first). Without a binary the test is
// skipped with instructions, or fails under CI=true.
func StartMinIO(t testing.TB) *MinIOServer {
	t.Helper()
	bin := MinIOBinary()
	if bin == "" {
		Need(t, "a MinIO server binary (scripts/test.sh builds it once into the cache; or set NEWSROOM_TEST_MINIO_BIN "+
			"to a `minio` binary from go install github.com/minio/minio@"+MinIOVersion+")", errors.New("none found"))
	}
	minioOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsroom-minio-")
		if err != nil {
			minioErr = err
			return
		}
		s := &MinIOServer{bin: bin, dir: dir, AccessKey: MinIOAccessKey, SecretKey: MinIOSecretKey}
		minioErr = s.Start()
		minioShared = s
	})
	if minioErr != nil {
		t.Fatalf("testutil: start MinIO (%s): %v", bin, minioErr)
	}
	// A previous test may have stopped it to simulate an outage.
	if err := minioShared.ensureRunning(); err != nil {
		t.Fatalf("testutil: restart MinIO: %v", err)
	}
	return minioShared
}

// StopSharedMinIO stops the shared server, if any, and removes its data; call it from TestMain after m.Run.
func StopSharedMinIO() {
	if minioShared != nil {
		minioShared.Stop()
		_ = os.RemoveAll(minioShared.dir)
	}
}

// Bucket returns a fresh bucket name for one test (the test creates it).
func (s *MinIOServer) Bucket(t testing.TB) string {
	t.Helper()
	return "test-" + randomHex(8)
}

func (s *MinIOServer) ensureRunning() error {
	s.mu.Lock()
	running := s.cmd != nil
	s.mu.Unlock()
	if running {
		return nil
	}
	return s.Start()
}

// Start starts the server process (again, after Stop) on the same address and data folder and waits until it is ready.
func (s *MinIOServer) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return nil
	}
	if s.Endpoint == "" {
		s.Endpoint, s.console = freeAddr(), freeAddr()
	}
	cmd := exec.Command(s.bin, "server", s.dir, "--address", s.Endpoint, "--console-address", s.console, "--quiet")
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+s.AccessKey, "MINIO_ROOT_PASSWORD="+s.SecretKey,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	setPdeathsig(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case <-exited:
			return fmt.Errorf("minio exited: %s", out.String())
		default:
		}
		if serving(s.Endpoint) {
			s.cmd = cmd
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return fmt.Errorf("minio not ready after 90s: %s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop kills the server process (to simulate an outage); Start brings it back.
func (s *MinIOServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	// Wait until the port is free so that Start can bind it again.
	for i := 0; i < 100; i++ {
		c, err := net.DialTimeout("tcp", s.Endpoint, 100*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(50 * time.Millisecond)
	}
	s.cmd = nil
}

// serving reports a server that is ready (GET /minio/health/ready = 200) and
// whose object layer answers S3 calls: right after start the health check can
// pass while requests still get 503 "Server not initialized yet".
func serving(endpoint string) bool {
	for _, path := range []string{"/minio/health/ready", "/"} {
		resp, err := http.Get("http://" + endpoint + path)
		if err != nil {
			return false
		}
		resp.Body.Close()
		if path == "/minio/health/ready" && resp.StatusCode != http.StatusOK || resp.StatusCode == http.StatusServiceUnavailable {
			return false
		}
	}
	return true
}

func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

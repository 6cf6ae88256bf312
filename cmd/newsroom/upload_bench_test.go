package main

// The upload benchmark and an end-to-end check of the MinIO wiring: the
// newsroom binary runs against a real MinIO server (testutil.StartMinIO).
//
//   go test -run XXX -bench UploadLargeFile -benchtime 1x ./cmd/newsroom
//   NEWSROOM_BENCH_UPLOAD_MIB=1024 ... for a 1 GiB file (default 256 MiB)

import (
	"bufio"
	"bytes"
	"context"
	encbin "encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/newsroom-vn/newsroom/internal/blob"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

func TestMain(m *testing.M) {
	testutil.Main(m, func() {
		if binPath != "" {
			_ = os.RemoveAll(filepath.Dir(binPath))
		}
	})
}

// benchBinary is the binary the end-to-end tests build once.
func benchBinary(tb testing.TB) string { return binary(tb) }

// minioServe starts `newsroom serve` on SQLite and the shared MinIO, with a
// reporter account, and returns its base URL, a token and its process.
func minioServe(tb testing.TB, srv *testutil.MinIOServer, bucket string) (base, token string, proc *os.Process) {
	tb.Helper()
	env := append(fastEnv(filepath.Join(tb.TempDir(), "bench.db")),
		"NEWSROOM_STORAGE_KIND=minio", "NEWSROOM_STORAGE_MINIO_ENDPOINT="+srv.Endpoint, "NEWSROOM_STORAGE_MINIO_BUCKET="+bucket,
		"NEWSROOM_STORAGE_MINIO_ACCESS_KEY="+srv.AccessKey, "NEWSROOM_STORAGE_MINIO_SECRET_KEY="+srv.SecretKey,
		"NEWSROOM_STORAGE_LIMITS_VIDEO="+strconv.Itoa(8<<30), "NEWSROOM_LOG_LEVEL=warn")
	bin := benchBinary(tb)
	pw := "Mật-khẩu-đo-tốc-độ-2026"
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--auto-migrate")
	cmd.Env, cmd.Dir = env, tb.TempDir()
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		// A graceful stop lets a rendition in progress remove its temporary
		// folder; SIGKILL only if the server does not stop in time.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listenRe.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case base = <-found:
	case <-time.After(90 * time.Second):
		tb.Fatalf("server did not start: %s", stderr.String())
	}
	add := exec.Command(bin, "user", "add", "--username", "phongvien2", "--role", "reporter", "--password-stdin")
	add.Env, add.Dir, add.Stdin = env, tb.TempDir(), strings.NewReader(pw+"\n")
	if out, err := add.CombinedOutput(); err != nil {
		tb.Fatalf("user add: %v %s", err, out)
	}
	body, _ := json.Marshal(map[string]string{"username": "phongvien2", "password": pw})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		tb.Fatalf("login: %v %d", err, resp.StatusCode)
	}
	return base, out.Token, cmd.Process
}

// videoReader yields size bytes that sniff as MP4: an ftyp box, then
// incompressible bytes made from one random block stamped with a counter.
type videoReader struct {
	size, off int64
	block     []byte
	seed      uint64
}

func newVideoReader(size int64, seed uint64) *videoReader {
	b := make([]byte, 1<<20)
	rand.New(rand.NewSource(int64(seed))).Read(b)
	copy(b, "\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
	return &videoReader{size: size, block: b, seed: seed}
}

func (v *videoReader) Read(p []byte) (int, error) {
	if v.off >= v.size {
		return 0, io.EOF
	}
	i := v.off % int64(len(v.block))
	n := copy(p, v.block[i:])
	if int64(n) > v.size-v.off {
		n = int(v.size - v.off)
	}
	if i == 0 && v.off > 0 && n >= 16 {
		encbin.LittleEndian.PutUint64(p[0:8], uint64(v.off))
		encbin.LittleEndian.PutUint64(p[8:16], v.seed)
	}
	v.off += int64(n)
	return n, nil
}

// apiUpload streams a multipart upload of r and returns the answer.
func apiUpload(base, token string, r io.Reader, filename string) (int, []byte, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
		hdr.Set("Content-Type", "video/mp4")
		part, err := mw.CreatePart(hdr)
		if err == nil {
			_, err = io.CopyBuffer(part, r, make([]byte, 1<<20))
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest("POST", base+"/api/v1/assets", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, nil
}

// peakRSS reads the process's peak resident set size (VmHWM) in bytes.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return -1
}

// resetPeakRSS sets the process's VmHWM back to its current RSS (Linux clear_refs).
func resetPeakRSS(pid int) {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// BenchmarkUploadLargeFile compares POST /api/v1/assets with minio-go's
// PutObject against the same MinIO, and reports the server's peak RSS.
func BenchmarkUploadLargeFile(b *testing.B) {
	mib := int64(256)
	if v, err := strconv.ParseInt(os.Getenv("NEWSROOM_BENCH_UPLOAD_MIB"), 10, 64); err == nil && v > 0 {
		mib = v
	}
	size := mib << 20
	srv := testutil.StartMinIO(b)
	bucket := srv.Bucket(b)
	base, token, proc := minioServe(b, srv, bucket)
	ctx := context.Background()
	direct, err := blob.NewMinIO(ctx, blob.MinIOConfig{Endpoint: srv.Endpoint, Bucket: bucket, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey})
	if err != nil {
		b.Fatal(err)
	}
	rssStart := peakRSS(proc.Pid)
	// Measure the peak during the uploads, not the start-up's (resets VmHWM to the current RSS).
	resetPeakRSS(proc.Pid)
	rssBefore := peakRSS(proc.Pid)
	var apiDur, directDur time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		code, body, err := apiUpload(base, token, newVideoReader(size, uint64(2*i+1)), "bench.mp4")
		apiDur += time.Since(start)
		if err != nil || code != 201 {
			b.Fatalf("API upload: %v %d %s", err, code, body)
		}
		start = time.Now()
		_, err = direct.Client().PutObject(ctx, bucket, fmt.Sprintf("direct/%d", i), newVideoReader(size, uint64(2*i+2)), size,
			minio.PutObjectOptions{ContentType: "video/mp4", PartSize: 16 << 20})
		directDur += time.Since(start)
		if err != nil {
			b.Fatalf("PutObject: %v", err)
		}
	}
	b.StopTimer()
	n := float64(b.N) * float64(size) / (1 << 20)
	apiMBs, directMBs := n/apiDur.Seconds(), n/directDur.Seconds()
	rss := peakRSS(proc.Pid)
	b.ReportMetric(apiMBs, "api_MiB/s")
	b.ReportMetric(directMBs, "direct_MiB/s")
	b.ReportMetric(apiMBs/directMBs, "ratio")
	b.ReportMetric(float64(rss)/(1<<20), "server_peak_RSS_MiB")
	fmt.Printf("upload %d MiB ×%d: API %.1f MiB/s, direct PutObject %.1f MiB/s, ratio %.2f, server peak RSS during the uploads %.1f MiB (%.1f MiB before them; start-up peak %.1f MiB)\n",
		mib, b.N, apiMBs, directMBs, apiMBs/directMBs, float64(rss)/(1<<20), float64(rssBefore)/(1<<20), float64(rssStart)/(1<<20))
}

// TestServeWithMinIO runs the binary on MinIO as production does: an upload
// lands in the bucket, /readyz checks the storage, /media serves it to staff.
func TestServeWithMinIO(t *testing.T) {
	srv := testutil.StartMinIO(t)
	bucket := srv.Bucket(t)
	base, token, _ := minioServe(t, srv, bucket)
	code, body, err := apiUpload(base, token, newVideoReader(3<<20, 7), "clip.mp4")
	if err != nil || code != 201 {
		t.Fatalf("upload: %v %d %s", err, code, body)
	}
	var a struct {
		Kind, URL, Key string
		Size           int64
	}
	_ = json.Unmarshal(body, &a)
	if a.Kind != "video" || a.Size != 3<<20 {
		t.Fatalf("uploaded: %s", body)
	}
	m, err := blob.NewMinIO(context.Background(), blob.MinIOConfig{Endpoint: srv.Endpoint, Bucket: bucket, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	if info, err := m.Stat(context.Background(), a.Key); err != nil || info.Size != a.Size {
		t.Fatalf("object in the bucket: %+v %v", info, err)
	}
	resp, err := http.Get(base + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("GET", base+a.URL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Range", "bytes=10-19")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 206 {
		t.Fatalf("ranged media: %v %v", resp, err)
	}
	resp.Body.Close()
}

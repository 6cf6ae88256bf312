package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/blob"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// stores runs fn once per implementation, each on a fresh store.
func stores(t *testing.T, fn func(t *testing.T, s asset.BlobStore)) {
	t.Run("local", func(t *testing.T) {
		s, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s)
	})
	t.Run("minio", func(t *testing.T) {
		fn(t, newMinIO(t))
	})
}

func newMinIO(t *testing.T) *blob.MinIO {
	srv := testutil.StartMinIO(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := blob.NewMinIO(ctx, blob.MinIOConfig{Endpoint: srv.Endpoint, Bucket: srv.Bucket(t), AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, PartSize: 5 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestContract(t *testing.T) {
	stores(t, func(t *testing.T, s asset.BlobStore) {
		ctx := context.Background()
		data := bytes.Repeat([]byte("newsroom "), 1<<20) // 9 MiB: more than one part
		info, err := s.Put(ctx, "sha256/ab/cd/abcd", bytes.NewReader(data), "application/octet-stream")
		if err != nil {
			t.Fatal(err)
		}
		if info.Size != int64(len(data)) {
			t.Fatalf("put size %d, want %d", info.Size, len(data))
		}
		obj, info, err := s.Get(ctx, "sha256/ab/cd/abcd")
		if err != nil {
			t.Fatal(err)
		}
		if info.Size != int64(len(data)) || info.ETag == "" || info.LastModified.IsZero() {
			t.Fatalf("get info %+v", info)
		}
		if _, err := obj.Seek(9*1000, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		part := make([]byte, 9)
		if _, err := io.ReadFull(obj, part); err != nil || string(part) != "newsroom " {
			t.Fatalf("ranged read %q, %v", part, err)
		}
		obj.Close()

		if _, err := s.Stat(ctx, "sha256/ab/cd/missing"); !errors.Is(err, asset.ErrObjectNotFound) {
			t.Fatalf("stat missing: %v, want ErrObjectNotFound", err)
		}
		if _, _, err := s.Get(ctx, "sha256/ab/cd/missing"); !errors.Is(err, asset.ErrObjectNotFound) {
			t.Fatalf("get missing: %v, want ErrObjectNotFound", err)
		}
		if err := s.Move(ctx, "sha256/ab/cd/abcd", "sha256/ab/cd/abce"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Stat(ctx, "sha256/ab/cd/abcd"); !errors.Is(err, asset.ErrObjectNotFound) {
			t.Fatalf("moved source still there: %v", err)
		}
		if _, err := s.Put(ctx, "sha256/ab/cd/abce-thumbnail.jpg", strings.NewReader("x"), "image/jpeg"); err != nil {
			t.Fatal(err)
		}
		keys, err := s.List(ctx, "sha256/ab/cd/abce")
		if err != nil || len(keys) != 2 {
			t.Fatalf("list: %v %v, want the original and its rendition", keys, err)
		}
		for _, k := range keys {
			if err := s.Delete(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Delete(ctx, "sha256/ab/cd/abce"); err != nil {
			t.Fatalf("delete of a missing key: %v", err)
		}
		if keys, _ := s.List(ctx, "sha256/"); len(keys) != 0 {
			t.Fatalf("left over: %v", keys)
		}
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// failingReader returns some bytes then an error, like a client that disconnects.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

func TestContractAbortedPutLeavesNothing(t *testing.T) {
	stores(t, func(t *testing.T, s asset.BlobStore) {
		ctx := context.Background()
		_, err := s.Put(ctx, "tmp/x", &failingReader{n: 7 << 20}, "")
		if err == nil {
			t.Fatal("put with a failing reader succeeded")
		}
		if _, err := s.Stat(ctx, "tmp/x"); !errors.Is(err, asset.ErrObjectNotFound) {
			t.Fatalf("partial object visible: %v", err)
		}
		if keys, _ := s.List(ctx, ""); len(keys) != 0 {
			t.Fatalf("left over: %v", keys)
		}
	})
}

func TestContractRefusesTraversal(t *testing.T) {
	stores(t, func(t *testing.T, s asset.BlobStore) {
		ctx := context.Background()
		for _, k := range []string{"../etc/passwd", "/abs", "a/../../b", "a//b", "A/B", "a\\b", "", "a/./b", "a\x00b"} {
			if _, err := s.Put(ctx, k, strings.NewReader("x"), ""); err == nil {
				t.Errorf("put %q accepted", k)
			}
			if _, _, err := s.Get(ctx, k); err == nil {
				t.Errorf("get %q accepted", k)
			}
		}
	})
}

func TestMinIOOutageAndRecovery(t *testing.T) {
	s := newMinIO(t)
	srv := testutil.StartMinIO(t)
	ctx := context.Background()
	srv.Stop()
	defer srv.Start()
	if err := s.Ping(ctx); !errors.Is(err, asset.ErrStorageUnavailable) {
		t.Fatalf("ping with MinIO down: %v, want ErrStorageUnavailable", err)
	}
	if _, err := s.Put(ctx, "tmp/y", strings.NewReader("hello"), ""); !errors.Is(err, asset.ErrStorageUnavailable) {
		t.Fatalf("put with MinIO down: %v, want ErrStorageUnavailable", err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("ping after restart: %v", err)
	}
	if _, err := s.Put(ctx, "tmp/y", strings.NewReader("hello"), ""); err != nil {
		t.Fatalf("put after restart: %v", err)
	}
}

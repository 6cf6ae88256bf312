package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/blob"
)

func TestContractMultipart(t *testing.T) {
	stores(t, func(t *testing.T, s asset.BlobStore) {
		ctx := context.Background()
		mp := s.(asset.MultipartStore)
		data := bytes.Repeat([]byte("0123456789abcdef"), (6<<20)/16)
		id, err := mp.NewMultipart(ctx, "tmp/uploads/one", "application/pdf")
		if err != nil {
			t.Fatal(err)
		}
		var parts []asset.CompletedPart
		for i, chunk := range [][]byte{data[:asset.MinPartSize], data[asset.MinPartSize:]} {
			n := i + 1
			url, err := mp.PresignPart(ctx, "tmp/uploads/one", id, n, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			var etag string
			if url != "" && n == 1 {
				// The presigned URL works for a client that holds no credentials.
				req, _ := http.NewRequest("PUT", url, bytes.NewReader(chunk))
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("presigned PUT: %v %v", resp, err)
				}
				resp.Body.Close()
				etag = resp.Header.Get("ETag")
			} else if etag, err = mp.PutPart(ctx, "tmp/uploads/one", id, n, bytes.NewReader(chunk), int64(len(chunk))); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, asset.CompletedPart{Number: n, ETag: etag})
		}
		if _, err := mp.CompleteMultipart(ctx, "tmp/uploads/one", id, []asset.CompletedPart{parts[1], parts[0]}); !errors.Is(err, asset.ErrInvalidParts) {
			t.Fatalf("parts out of order: %v, want ErrInvalidParts", err)
		}
		info, err := mp.CompleteMultipart(ctx, "tmp/uploads/one", id, parts)
		if err != nil || info.Size != int64(len(data)) {
			t.Fatalf("complete: %+v %v", info, err)
		}
		obj, _, err := s.Get(ctx, "tmp/uploads/one")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(obj)
		obj.Close()
		if !bytes.Equal(got, data) {
			t.Fatal("joined object differs")
		}
		_ = s.Delete(ctx, "tmp/uploads/one")

		// A short part refused; an aborted upload leaves nothing.
		id, err = mp.NewMultipart(ctx, "tmp/uploads/two", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mp.PutPart(ctx, "tmp/uploads/two", id, 1, bytes.NewReader(data[:10]), 20); err == nil {
			t.Fatal("a part shorter than its declared size was accepted")
		}
		if _, err := mp.PutPart(ctx, "tmp/uploads/two", id, 1, bytes.NewReader(data[:10]), 10); err != nil {
			t.Fatal(err)
		}
		if n, err := mp.AbortStaleMultipart(ctx, "tmp/", time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("stale sweep took a fresh upload: %d %v", n, err)
		}
		// MinIO lists unfinished uploads of one exact key only (a prefix gives
		// none; its own stale-upload cleanup covers those); the local folder by prefix.
		prefix := "tmp/"
		if _, ok := s.(*blob.MinIO); ok {
			prefix = "tmp/uploads/two"
		}
		if n, err := mp.AbortStaleMultipart(ctx, prefix, time.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("stale sweep: %d %v", n, err)
		}
		if err := mp.AbortMultipart(ctx, "tmp/uploads/two", id); err != nil {
			t.Fatalf("abort twice: %v", err)
		}
		if keys, _ := s.List(ctx, ""); len(keys) != 0 {
			t.Fatalf("left over: %v", keys)
		}
	})
}

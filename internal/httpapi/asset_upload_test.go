package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

type uploadJSON struct {
	ID       string             `json:"id"`
	PartSize int64              `json:"part_size"`
	Parts    []asset.UploadPart `json:"parts"`
}

// partSize offers direct uploads the smallest part size S3 allows.
func partSize() testutil.AppOption {
	return storage(func(s *config.Storage) { s.UploadPartSize = asset.MinPartSize })
}

// pdf is a PDF header followed by n bytes of noise (it does not compress).
func pdf(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	copy(b, "%PDF-1.7\n")
	return b
}

// sendParts PUTs every part where the session says: straight to MinIO with a
// presigned URL, or through the server's part route; it returns the parts for completion.
func (h *assetHarness) sendParts(token string, u uploadJSON, data []byte) []asset.CompletedPart {
	h.t.Helper()
	var done []asset.CompletedPart
	off := int64(0)
	for _, p := range u.Parts {
		chunk := data[off : off+p.Size]
		off += p.Size
		var etag string
		if p.Direct {
			if h.minio == nil || !strings.HasPrefix(p.URL, "http://"+h.minio.Endpoint+"/") {
				h.t.Fatalf("direct part URL %q does not point at MinIO", p.URL)
			}
			req, _ := http.NewRequest("PUT", p.URL, bytes.NewReader(chunk))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				h.t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				h.t.Fatalf("PUT part %d to MinIO: %d", p.Number, resp.StatusCode)
			}
			etag = resp.Header.Get("ETag")
		} else {
			if h.minio != nil || p.URL != asset.PartURL(u.ID, p.Number) {
				h.t.Fatalf("part URL %q on backend %s", p.URL, h.storage)
			}
			r := h.expect(h.raw(token, "PUT", p.URL, bytes.NewReader(chunk), "Content-Type", "application/octet-stream"), 200, "put part")
			etag = r.Header.Get("ETag")
		}
		if etag == "" {
			h.t.Fatalf("part %d: no ETag", p.Number)
		}
		done = append(done, asset.CompletedPart{Number: p.Number, ETag: etag})
	}
	return done
}

// abandoned starts a direct upload of data and sends only its first part, as
// a client that gives up half-way.
func (h *assetHarness) abandoned(token string, data []byte) uploadJSON {
	h.t.Helper()
	var u uploadJSON
	h.expect(h.do(token, "POST", "/api/v1/assets/uploads", map[string]any{"size": len(data)}), 201, "start").json(h.t, &u)
	first := u
	first.Parts = u.Parts[:1]
	h.sendParts(token, first, data)
	return u
}

// expectNothingStored fails unless storage holds no object and, on MinIO, no
// unfinished multipart upload.
func (h *assetHarness) expectNothingStored(after string) {
	h.t.Helper()
	if objs := h.objects(); len(objs) != 0 {
		h.t.Fatalf("left after the %s: %v", after, objs)
	}
	if h.minio != nil {
		if left, _ := h.blobs.(asset.MultipartStore).AbortStaleMultipart(context.Background(), "", time.Now().Add(time.Hour)); left != 0 {
			h.t.Fatalf("%d unfinished multipart uploads left in MinIO", left)
		}
	}
}

// completeBogus asks to complete the upload id with a made-up part.
func (h *assetHarness) completeBogus(token, id string, status int, what string) {
	h.t.Helper()
	h.expect(h.do(token, "POST", "/api/v1/assets/uploads/"+id+"/complete", map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": "x"}}}), status, what)
}

func TestAssetDirectUpload(t *testing.T) {
	forEachAssetBackend(t, []testutil.AppOption{partSize()}, func(t *testing.T, h *assetHarness) {
		sec := h.section("Thời sự", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		other := h.user("phongvien2", user.RoleReporter, sec.ID)
		data := pdf(6<<20+12345, 1)
		sum := sha256.Sum256(data)
		hexSum := hex.EncodeToString(sum[:])

		var u uploadJSON
		h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads", map[string]any{"filename": "bao-cao.pdf", "size": len(data),
			"content_type": "application/pdf", "sha256": hexSum, "meta": map[string]any{"title": "Báo cáo lũ", "credit": "Sở NN"}}), 201, "start").json(t, &u)
		if len(u.Parts) != 2 || u.PartSize != asset.MinPartSize || u.Parts[1].Size != int64(len(data))-asset.MinPartSize {
			t.Fatalf("session = %+v", u)
		}
		if want := h.minio != nil; u.Parts[0].Direct != want {
			t.Fatalf("direct = %v on %s", u.Parts[0].Direct, h.storage)
		}
		if h.minio == nil {
			h.expect(h.raw(other.token, "PUT", u.Parts[0].URL, bytes.NewReader(data[:asset.MinPartSize])), 404, "someone else's upload")
			h.expect(h.raw(reporter.token, "PUT", u.Parts[0].URL, bytes.NewReader(data[:100])), 400, "short part")
			h.expect(h.raw(reporter.token, "PUT", asset.PartURL(u.ID, 3), bytes.NewReader(data[:100])), 400, "part 3 of 2")
		}
		parts := h.sendParts(reporter.token, u, data)
		h.expect(h.do(other.token, "POST", "/api/v1/assets/uploads/"+u.ID+"/complete", map[string]any{"parts": parts}), 404, "complete someone else's")
		var a assetJSON
		h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads/"+u.ID+"/complete", map[string]any{"parts": parts}), 201, "complete").json(t, &a)
		if a.Kind != asset.KindDocument || a.Size != int64(len(data)) || a.SHA256 != hexSum || a.Title != "Báo cáo lũ" || a.Credit != "Sở NN" || a.Filename != "bao-cao.pdf" {
			t.Fatalf("asset = %+v", a.Asset)
		}
		r := h.expect(h.do(reporter.token, "GET", a.URL, nil, "Range", "bytes=5242870-5242889"), 206, "range across parts")
		if !bytes.Equal(r.Body, data[5242870:5242890]) {
			t.Fatal("stored bytes differ across the part boundary")
		}
		h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads/"+u.ID+"/complete", map[string]any{"parts": parts}), 404, "complete twice")
		if objs := h.objects(); len(objs) != 1 {
			t.Fatalf("objects after upload: %v, want only the content-addressed one", objs)
		}
	})
}

func TestAssetDirectUploadRefusals(t *testing.T) {
	forEachAssetBackend(t, []testutil.AppOption{partSize(), storage(func(s *config.Storage) { s.Limits.Image = 1 << 20 })}, func(t *testing.T, h *assetHarness) {
		sec := h.section("Thời sự", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		start := func(body map[string]any) uploadJSON {
			var u uploadJSON
			h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads", body), 201, "start").json(t, &u)
			return u
		}
		complete := func(u uploadJSON, parts []asset.CompletedPart, status int, reason string) {
			t.Helper()
			r := h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads/"+u.ID+"/complete", map[string]any{"parts": parts}), status, "complete "+reason)
			if reason != "" && !strings.Contains(string(r.Body), reason) {
				t.Fatalf("complete: %s, want reason %s", r.Body, reason)
			}
			if objs := h.objects(); len(objs) != 0 {
				t.Fatalf("refused upload (%s) left objects: %v", reason, objs)
			}
			h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads/"+u.ID+"/complete", map[string]any{"parts": parts}), 404, "session removed")
		}
		// Bad declarations: nothing started.
		h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads", map[string]any{"size": 0}), 400, "zero size")
		h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads", map[string]any{"size": 10, "sha256": "XYZ"}), 400, "bad sha256")
		h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads", map[string]any{"size": 10, "filename": "../etc/passwd"}), 400, "path in name")
		h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads", map[string]any{"size": 2 << 20, "content_type": "image/png"}), 413, "over the image limit")

		data := pdf(1000, 2)
		// Checksum mismatch.
		u := start(map[string]any{"size": len(data), "sha256": strings.Repeat("0", 64)})
		complete(u, h.sendParts(reporter.token, u, data), 400, "checksum_mismatch")
		// Declared type does not match the content.
		u = start(map[string]any{"size": len(data), "content_type": "video/mp4"})
		complete(u, h.sendParts(reporter.token, u, data), 415, "")
		// Unknown content.
		junk := bytes.Repeat([]byte("junk"), 250)
		u = start(map[string]any{"size": len(junk)})
		complete(u, h.sendParts(reporter.token, u, junk), 415, "")
		// Wrong ETag.
		u = start(map[string]any{"size": len(data)})
		h.sendParts(reporter.token, u, data)
		complete(u, []asset.CompletedPart{{Number: 1, ETag: `"0123456789abcdef0123456789abcdef"`}}, 400, "invalid_parts")
		// Parts out of order: refused before touching anything.
		u = start(map[string]any{"size": len(data)})
		h.expect(h.do(reporter.token, "POST", "/api/v1/assets/uploads/"+u.ID+"/complete", map[string]any{"parts": []map[string]any{{"part_number": 2, "etag": "x"}}}), 400, "misnumbered")
		if n, err := h.app.Assets.SweepUploads(context.Background()); err != nil || n != 0 {
			t.Fatalf("sweep of a live upload: %d, %v", n, err)
		}
		h.completeBogus(reporter.token, "not-a-uuid", 400, "bad id")
	})
}

func TestAssetDirectUploadSweep(t *testing.T) {
	forEachAssetBackend(t, []testutil.AppOption{partSize(), storage(func(s *config.Storage) { s.UploadExpiry = time.Minute })}, func(t *testing.T, h *assetHarness) {
		sec := h.section("Thời sự", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		data := pdf(6<<20, 3)
		u := h.abandoned(reporter.token, data)
		// A temporary object a crash left behind.
		if _, err := h.blobs.Put(context.Background(), "tmp/crashed", bytes.NewReader(data[:10]), ""); err != nil {
			t.Fatal(err)
		}
		h.app.Assets.SetClock(func() time.Time { return time.Now().UTC().Add(2 * time.Minute) })
		n, err := h.app.Assets.SweepUploads(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n < 2 {
			t.Fatalf("sweep removed %d, want the upload and the temporary object", n)
		}
		h.expectNothingStored("sweep")
		h.completeBogus(reporter.token, u.ID, 404, "swept")
	})
}

func TestAssetCheck(t *testing.T) {
	forEachAssetBackend(t, nil, func(t *testing.T, h *assetHarness) {
		ctx := context.Background()
		sec := h.section("Thời sự", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		var keep, lose, used assetJSON
		h.expect(h.upload(reporter.token, nil, &filePart{"a.pdf", "", pdf(500, 10)}), 201, "upload").json(t, &keep)
		h.expect(h.upload(reporter.token, nil, &filePart{"b.pdf", "", pdf(500, 11)}), 201, "upload").json(t, &lose)
		h.expect(h.upload(reporter.token, nil, &filePart{"c.pdf", "", pdf(500, 12)}), 201, "upload").json(t, &used)
		st := h.newStory(reporter, map[string]any{"section_id": sec.ID, "headline": "Tin", "body": "<p>x</p>"})
		h.expect(h.do(reporter.token, "PATCH", "/api/v1/stories/"+st.ID, map[string]any{"assets": []map[string]string{{"asset_id": used.ID, "role": "gallery"}}}, "If-Match", `"1"`), 200, "attach")
		rep, err := h.app.Assets.Check(ctx, false)
		if err != nil || len(rep.OrphanObjects) != 0 || len(rep.BrokenAssets) != 0 {
			t.Fatalf("clean check: %+v %v", rep, err)
		}
		orphan := asset.ContentKey(strings.Repeat("ab", 32))
		for _, k := range []string{orphan, orphan + "-thumbnail.jpg"} {
			if _, err := h.blobs.Put(ctx, k, strings.NewReader("x"), ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, k := range []string{lose.Key, used.Key} {
			if err := h.blobs.Delete(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		rep, err = h.app.Assets.Check(ctx, false)
		if err != nil || fmt.Sprint(rep.OrphanObjects) != fmt.Sprint([]string{orphan, orphan + "-thumbnail.jpg"}) || len(rep.BrokenAssets) != 2 || rep.RemovedObjects != 0 {
			t.Fatalf("check: %+v %v", rep, err)
		}
		for _, b := range rep.BrokenAssets {
			if (b.ID == used.ID) != (len(b.UsedBy) == 1) {
				t.Fatalf("broken %+v", b)
			}
		}
		if len(h.objects()) != 3 {
			t.Fatalf("check without --fix changed storage: %v", h.objects())
		}
		rep, err = h.app.Assets.Check(ctx, true)
		if err != nil || rep.RemovedObjects != 2 || rep.RemovedAssets != 1 {
			t.Fatalf("fix: %+v %v", rep, err)
		}
		h.expect(h.do(reporter.token, "GET", "/api/v1/assets/"+lose.ID, nil), 404, "broken row removed")
		h.expect(h.do(reporter.token, "GET", "/api/v1/assets/"+used.ID, nil), 200, "used row kept")
		h.expect(h.do(reporter.token, "GET", "/api/v1/assets/"+keep.ID, nil), 200, "good row kept")
		rep, err = h.app.Assets.Check(ctx, false)
		if err != nil || len(rep.OrphanObjects) != 0 || len(rep.BrokenAssets) != 1 {
			t.Fatalf("after fix: %+v %v", rep, err)
		}
	})
}

func TestAssetDirectUploadAbort(t *testing.T) {
	forEachAssetBackend(t, []testutil.AppOption{partSize()}, func(t *testing.T, h *assetHarness) {
		sec := h.section("Thời sự", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		other := h.user("phongvien2", user.RoleReporter, sec.ID)
		data := pdf(6<<20, 4)
		u := h.abandoned(reporter.token, data)

		h.expect(h.do(reporter.token, "DELETE", "/api/v1/assets/uploads/not-a-uuid", nil), 400, "bad id")
		h.expect(h.do(other.token, "DELETE", "/api/v1/assets/uploads/"+u.ID, nil), 404, "someone else's upload")
		h.expect(h.do(reporter.token, "DELETE", "/api/v1/assets/uploads/"+u.ID, nil), 204, "abort")
		h.expectNothingStored("abort")
		h.expect(h.do(reporter.token, "DELETE", "/api/v1/assets/uploads/"+u.ID, nil), 404, "aborted twice")
		h.completeBogus(reporter.token, u.ID, 404, "complete after abort")
	})
}

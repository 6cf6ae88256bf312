package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"math/rand"
	"mime/multipart"
	"net/textproto"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// assetHarness is the app on a real object store: a local folder or a real MinIO.
type assetHarness struct {
	*harness
	blobs   asset.BlobStore
	dir     string                // local backend's folder, "" for MinIO
	minio   *testutil.MinIOServer // nil for the local backend
	storage string
}

// forEachAssetBackend runs fn on every database × {local folder, real MinIO}.
// opts change the app's configuration (limits, part size) or start its background work.
func forEachAssetBackend(t *testing.T, opts []testutil.AppOption, fn func(t *testing.T, h *assetHarness)) {
	for _, dialect := range testutil.Dialects() {
		for _, kind := range []string{"local", "minio"} {
			t.Run(dialect+"/"+kind, func(t *testing.T) {
				h := &assetHarness{storage: kind}
				opts := opts
				if kind == "minio" {
					h.minio = testutil.StartMinIO(t)
					m := config.StorageMinIO{Endpoint: h.minio.Endpoint, Bucket: h.minio.Bucket(t), AccessKey: h.minio.AccessKey, SecretKey: h.minio.SecretKey}
					opts = append([]testutil.AppOption{testutil.WithConfig(func(c *config.Config) { c.Storage.Kind, c.Storage.MinIO = "minio", m })}, opts...)
				}
				h.harness = newHarness(t, dialect, opts...)
				if kind == "local" {
					h.dir = h.app.Config.Storage.Local.Dir
				}
				h.blobs = h.app.Assets.Blobs()
				fn(t, h)
			})
		}
	}
}

// storage changes the storage configuration of the app under test.
func storage(f func(s *config.Storage)) testutil.AppOption {
	return testutil.WithConfig(func(c *config.Config) { f(&c.Storage) })
}

// renditions waits until the background work gave the asset its renditions
// (cond says when) and returns it as the API shows it.
func (h *assetHarness) renditions(token, id string, cond func(a assetJSON) bool) assetJSON {
	h.t.Helper()
	var got assetJSON
	testutil.Eventually(h.t, 60*time.Second, "the renditions of asset "+id, func() bool {
		got = assetJSON{}
		h.expect(h.do(token, "GET", "/api/v1/assets/"+id, nil), 200, "get asset").json(h.t, &got)
		return cond(got)
	})
	return got
}

// filePart is the file of a multipart upload.
type filePart struct {
	filename, contentType string
	data                  []byte
}

// multipartBody builds a form: fields first, then the file (if any).
func multipartBody(t testing.TB, fields [][2]string, f *filePart) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range fields {
		_ = w.WriteField(kv[0], kv[1])
	}
	if f != nil {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, f.filename))
		if f.contentType != "" {
			hdr.Set("Content-Type", f.contentType)
		}
		pw, err := w.CreatePart(hdr)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(f.data)
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func (h *assetHarness) upload(token string, fields [][2]string, f *filePart) resp {
	ct, body := multipartBody(h.t, fields, f)
	return h.raw(token, "POST", "/api/v1/assets", bytes.NewReader(body), "Content-Type", ct)
}

// objects lists every stored object, and for the local folder every file,
// temporary ones included.
func (h *assetHarness) objects() []string {
	h.t.Helper()
	if h.dir != "" {
		var out []string
		filepath.WalkDir(h.dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, p)
			}
			return nil
		})
		return out
	}
	keys, err := h.blobs.List(context.Background(), "")
	if err != nil {
		h.t.Fatal(err)
	}
	return keys
}

// photo is a PNG of noise (so it does not compress) of w×h pixels.
func photo(t testing.TB, w, hgt int, seed int64) []byte {
	r := rand.New(rand.NewSource(seed))
	img := image.NewRGBA(image.Rect(0, 0, w, hgt))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Intn(256))
	}
	img.Set(0, 0, color.RGBA{1, 2, 3, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type assetJSON struct {
	asset.Asset
}

func TestAssetUploadAttachPublish(t *testing.T) {
	forEachAssetBackend(t, []testutil.AppOption{testutil.Started()}, func(t *testing.T, h *assetHarness) {
		sec, reporter, editor := h.desk("Thời sự", 1)
		img := photo(t, 1000, 600, 1)

		r := h.expect(h.upload(reporter.token, [][2]string{{"title", "Lũ ở Hưng Yên"}, {"caption", "Nước dâng cao"},
			{"alt", "Đường ngập nước"}, {"keywords", "lũ lụt, Hưng Yên"}}, &filePart{"lũ-hưng-yên.png", "image/png", img}), 201, "upload photo")
		var a1 assetJSON
		r.json(t, &a1)
		m := r.obj(t)
		for _, k := range []string{"id", "kind", "content_type", "size", "sha256", "url", "renditions"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("upload answer lacks %q: %s", k, r.Body)
			}
		}
		if a1.Kind != asset.KindImage || a1.ContentType != "image/png" || a1.Size != int64(len(img)) || a1.Width != 1000 ||
			!strings.HasPrefix(a1.URL, "/media/obj/") || len(a1.Renditions) != 0 || a1.UploaderID != reporter.ID {
			t.Fatalf("uploaded asset = %+v", a1.Asset)
		}
		// Background renditions.
		got := h.renditions(reporter.token, a1.ID, func(a assetJSON) bool { return len(a.Renditions) > 0 })
		if len(got.Renditions) != 3 || got.Renditions[0].Name != "thumbnail" || got.Renditions[0].Width != 320 ||
			got.Renditions[1].Width != 800 || got.Renditions[2].Width != 1000 || got.Renditions[0].Height != 192 {
			t.Fatalf("renditions = %+v", got.Renditions)
		}

		// The same bytes again: a second record, one stored object.
		var a2 assetJSON
		h.expect(h.upload(editor.token, [][2]string{{"caption", "Ảnh khác chú thích"}}, &filePart{"copy.png", "", img}), 201, "upload again").json(t, &a2)
		if a2.ID == a1.ID || a2.Key != a1.Key || a2.Caption != "Ảnh khác chú thích" {
			t.Fatalf("duplicate = %+v", a2.Asset)
		}
		if keys, _ := h.blobs.List(context.Background(), a1.Key); len(keys) != 4 {
			t.Fatalf("objects for the photo: %v, want the original and 3 renditions", keys)
		}

		// Search: accents folded, kind, keyset pagination.
		var page respond.List[assetJSON]
		h.expect(h.do(reporter.token, "GET", "/api/v1/assets?q=hung+yen&kind=image", nil), 200, "search").json(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID != a1.ID {
			t.Fatalf("search hung yen: %+v", page.Items)
		}
		h.expect(h.do(reporter.token, "GET", "/api/v1/assets?limit=1", nil), 200, "page 1").json(t, &page)
		if len(page.Items) != 1 || page.NextCursor == "" {
			t.Fatalf("page 1: %+v", page)
		}
		first := page.Items[0].ID
		h.expect(h.do(reporter.token, "GET", "/api/v1/assets?limit=1&cursor="+page.NextCursor, nil), 200, "page 2").json(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID == first || page.NextCursor != "" {
			t.Fatalf("page 2: %+v", page)
		}
		h.expect(h.do(reporter.token, "GET", "/api/v1/assets?kind=sound", nil), 400, "bad kind")

		// Staff see the unpublished photo; the public does not.
		thumb := got.Renditions[0].URL
		h.expect(h.do(reporter.token, "GET", thumb, nil), 200, "staff thumbnail")
		h.expect(h.do("", "GET", a1.URL, nil), 404, "public original before publishing")
		rr := h.expect(h.do(reporter.token, "GET", a1.URL, nil, "Range", "bytes=0-99"), 206, "range")
		if len(rr.Body) != 100 || !bytes.Equal(rr.Body, img[:100]) || rr.Header.Get("ETag") == "" {
			t.Fatalf("range answer: %d bytes, etag %q", len(rr.Body), rr.Header.Get("ETag"))
		}

		// Attach as featured; the story lists it.
		st := h.newStory(reporter, map[string]any{"section_id": sec.ID, "headline": "Lũ lên nhanh", "body": "<p>Tin lũ.</p>"})
		path := "/api/v1/stories/" + st.ID
		h.expect(h.do(reporter.token, "PATCH", path, map[string]any{"assets": []map[string]string{{"asset_id": a1.ID, "role": "radio_audio"}}}, "If-Match", `"1"`), 400, "photo as radio audio")
		h.expect(h.do(reporter.token, "PATCH", path, map[string]any{"assets": []map[string]string{{"asset_id": "00000000-0000-0000-0000-000000000000", "role": "gallery"}}}, "If-Match", `"1"`), 400, "missing asset")
		r = h.expect(h.do(reporter.token, "PATCH", path, map[string]any{"assets": []map[string]string{{"asset_id": a1.ID, "role": "featured"}, {"asset_id": a2.ID, "role": "gallery"}}}, "If-Match", `"1"`), 200, "attach")
		var view struct {
			Assets []asset.Attachment `json:"assets"`
		}
		r.json(t, &view)
		if len(view.Assets) != 2 || view.Assets[0].Role != asset.RoleFeatured || view.Assets[0].Asset == nil || view.Assets[0].Asset.Caption != "Nước dâng cao" {
			t.Fatalf("story assets = %+v", view.Assets)
		}
		for _, step := range []struct {
			m      member
			action string
		}{{reporter, "submit"}, {editor, "claim"}, {editor, "approve"}} {
			h.expect(h.do(step.m.token, "POST", path+"/transitions", map[string]any{"action": step.action}), 200, step.action)
		}
		// No credit on the featured photo: publishing is refused and says why.
		e := h.expect(h.do(editor.token, "POST", path+"/transitions", map[string]any{"action": "publish"}), 409, "publish without credit").err(t)
		if !strings.Contains(e.Error.Message, "credit") {
			t.Fatalf("publish refusal message: %q", e.Error.Message)
		}
		h.expect(h.do(reporter.token, "PATCH", "/api/v1/assets/"+a1.ID, map[string]any{"credit": "Ảnh: Minh Anh/TTXVN"}), 200, "add credit")
		h.expect(h.do(editor.token, "POST", path+"/transitions", map[string]any{"action": "publish"}), 200, "publish")

		// Published: the public gets it, cacheable for a year.
		pr := h.expect(h.do("", "GET", thumb, nil), 200, "public thumbnail")
		if pr.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || pr.Header.Get("Content-Type") != "image/jpeg" || pr.Header.Get("Last-Modified") == "" {
			t.Fatalf("public media headers: %v", pr.Header)
		}
		if _, _, err := image.Decode(bytes.NewReader(pr.Body)); err != nil {
			t.Fatalf("thumbnail is not an image: %v", err)
		}
		h.expect(h.do("", "GET", thumb, nil, "If-None-Match", pr.Header.Get("ETag")), 304, "conditional")
		h.expect(h.do("", "GET", "/media/sha256/../../etc/passwd", nil), 404, "traversal")

		// Deleting the published photo is refused, naming the story.
		e = h.expect(h.do(editor.token, "DELETE", "/api/v1/assets/"+a1.ID, nil), 409, "delete published").err(t)
		if !strings.Contains(e.Error.Message, "Lũ lên nhanh") {
			t.Fatalf("409 does not name the story: %q", e.Error.Message)
		}
		// The other record goes; the shared object stays for the first.
		var a3 assetJSON
		h.expect(h.upload(editor.token, nil, &filePart{"copy2.png", "", img}), 201, "upload a third time").json(t, &a3)
		h.expect(h.do(reporter.token, "DELETE", "/api/v1/assets/"+a3.ID, nil), 403, "reporter deletes another's asset")
		h.expect(h.do(editor.token, "DELETE", "/api/v1/assets/"+a3.ID, nil), 204, "delete duplicate")
		h.expect(h.do(editor.token, "GET", "/api/v1/assets/"+a3.ID, nil), 404, "deleted asset")
		if _, err := h.blobs.Stat(context.Background(), a1.Key); err != nil {
			t.Fatalf("shared object removed: %v", err)
		}
	})
}

// failAfter yields n bytes of r, then fails like a dropped connection.
type failAfter struct {
	r io.Reader
	n int
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

func TestAssetBadInput(t *testing.T) {
	forEachAssetBackend(t, []testutil.AppOption{storage(func(s *config.Storage) { s.Limits.Image = 200 << 10 })}, func(t *testing.T, h *assetHarness) {
		sec := h.section("Xã hội", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		big := photo(t, 400, 400, 2) // ~640 KB, over the 200 KiB image limit
		small := photo(t, 50, 50, 3)
		bomb := photo(t, 1, 1, 4)
		copy(bomb[16:24], []byte{0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0})
		binaryCRC(bomb)

		ct, full := multipartBody(t, nil, &filePart{"a.png", "image/png", photo(t, 150, 150, 5)})
		cases := []struct {
			name   string
			send   func() resp
			status int
			code   string
		}{
			{"zero bytes", func() resp { return h.upload(reporter.token, nil, &filePart{"empty.jpg", "", nil}) }, 400, "invalid"},
			{"unknown type", func() resp {
				return h.upload(reporter.token, nil, &filePart{"x.jpg", "", []byte("<html><script>alert(1)</script></html>")})
			}, 415, "unsupported_media"},
			{"declared type mismatch", func() resp { return h.upload(reporter.token, nil, &filePart{"x.jpg", "image/jpeg", small}) }, 415, "unsupported_media"},
			{"path in file name", func() resp { return h.upload(reporter.token, nil, &filePart{"../../etc/x.png", "", small}) }, 400, "invalid"},
			{"control character in file name", func() resp { return h.upload(reporter.token, nil, &filePart{"a\x01b.png", "", small}) }, 400, "invalid"},
			{"image bomb", func() resp { return h.upload(reporter.token, nil, &filePart{"bomb.png", "", bomb}) }, 400, "image_too_many_pixels"},
			{"over the limit", func() resp { return h.upload(reporter.token, nil, &filePart{"big.png", "", big}) }, 413, "too_large"},
			{"truncated body", func() resp {
				return h.raw(reporter.token, "POST", "/api/v1/assets", bytes.NewReader(full[:len(full)/2]), "Content-Type", ct)
			}, 400, "upload_interrupted"},
			{"client disconnects mid-stream", func() resp {
				return h.raw(reporter.token, "POST", "/api/v1/assets", &failAfter{r: bytes.NewReader(full), n: len(full) - 5000}, "Content-Type", ct)
			}, 400, "upload_interrupted"},
			{"not multipart", func() resp {
				return h.raw(reporter.token, "POST", "/api/v1/assets", bytes.NewReader(small), "Content-Type", "image/png")
			}, 415, "unsupported_media"},
			{"no file part", func() resp { return h.upload(reporter.token, [][2]string{{"title", "x"}}, nil) }, 400, "invalid"},
			{"unknown field", func() resp {
				return h.upload(reporter.token, [][2]string{{"owner", "x"}}, &filePart{"a.png", "", small})
			}, 400, "invalid"},
			{"bad source", func() resp {
				return h.upload(reporter.token, [][2]string{{"source", "internet"}}, &filePart{"a.png", "", small})
			}, 400, "invalid"},
			{"anonymous", func() resp { return h.upload("", nil, &filePart{"a.png", "", small}) }, 401, "unauthenticated"},
		}
		for _, c := range cases {
			r := c.send()
			if r.Code != c.status {
				t.Errorf("%s: status %d, want %d: %s", c.name, r.Code, c.status, r.Body)
				continue
			}
			if e := r.err(t); e.Error.Code != c.code || e.Error.Message == "" {
				t.Errorf("%s: error %+v, want code %s", c.name, e.Error, c.code)
			}
			if objs := h.objects(); len(objs) != 0 {
				t.Errorf("%s: objects left behind: %v", c.name, objs)
			}
		}
		var page respond.List[assetJSON]
		h.expect(h.do(reporter.token, "GET", "/api/v1/assets", nil), 200, "list").json(t, &page)
		if len(page.Items) != 0 {
			t.Fatalf("bad uploads left records: %+v", page.Items)
		}
		h.expect(h.do("", "GET", "/healthz", nil), 200, "healthz")
		h.expect(h.upload(reporter.token, nil, &filePart{"ok.png", "", small}), 201, "a good upload afterwards")
	})
}

// binaryCRC fixes the CRC of a PNG's IHDR chunk after its size was edited.
func binaryCRC(b []byte) {
	sum := crcIEEE(b[12:29])
	b[29], b[30], b[31], b[32] = byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum)
}

func TestAssetStorageOutage(t *testing.T) {
	forEachAssetBackend(t, nil, func(t *testing.T, h *assetHarness) {
		if h.minio == nil {
			t.Skip("the outage is simulated by stopping the real MinIO process")
		}
		sec := h.section("Kinh tế", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		h.expect(h.do("", "GET", "/readyz", nil), 200, "ready")
		h.minio.Stop()
		defer h.minio.Start()
		r := h.expect(h.upload(reporter.token, nil, &filePart{"a.png", "", photo(t, 40, 40, 6)}), 503, "upload with MinIO down")
		if e := r.err(t); !strings.Contains(e.Error.Message, "storage") {
			t.Fatalf("503 message: %q", e.Error.Message)
		}
		r = h.expect(h.do("", "GET", "/readyz", nil), 503, "readyz with MinIO down")
		if !strings.Contains(string(r.Body), "storage") {
			t.Fatalf("readyz does not name the storage: %s", r.Body)
		}
		h.expect(h.do("", "GET", "/healthz", nil), 200, "healthz with MinIO down")
		if err := h.minio.Start(); err != nil {
			t.Fatal(err)
		}
		h.expect(h.do("", "GET", "/readyz", nil), 200, "ready after MinIO restart")
		var a assetJSON
		h.expect(h.upload(reporter.token, nil, &filePart{"a.png", "", photo(t, 40, 40, 6)}), 201, "upload after restart").json(t, &a)
		if _, err := h.blobs.Stat(context.Background(), a.Key); err != nil {
			t.Fatal(err)
		}
	})
}

func crcIEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

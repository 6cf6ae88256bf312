package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestMultimediaStoryOnBothStorages is the assets issue's whole path, on
// SQLite with the local folder and on PostgreSQL with a real MinIO: a
// reporter uploads a photo (renditions appear), an audio clip and a video,
// attaches them to a story with captions and credits, and once published the
// article page serves every original and rendition with Range support.
func TestMultimediaStoryOnBothStorages(t *testing.T) {
	ffmpeg, _ := testutil.FFmpeg(t)
	wav := testutil.MakeMedia(t, ffmpeg, "phong-su.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-ac", "1", "-ar", "22050")
	mp4 := testutil.MakeMedia(t, ffmpeg, "hien-truong.mp4", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25", "-pix_fmt", "yuv420p", "-c:v", "libx264")
	for _, d := range testutil.Dialects() {
		t.Run(d, func(t *testing.T) {
			var opts []testutil.AppOption
			if d == store.DialectPostgres {
				srv := testutil.StartMinIO(t)
				opts = append(opts, testutil.WithConfig(func(c *config.Config) {
					c.Storage.Kind = "minio"
					c.Storage.MinIO = config.StorageMinIO{Endpoint: srv.Endpoint, Bucket: srv.Bucket(t), AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}
				}))
			}
			e := newEnv(t, d, append(opts, testutil.Started())...)
			ctx := context.Background()
			tok := loginToken(t, e, "phongvien")

			photo := e.uploadPhoto(tok, testutil.JPEG(t, 1800, 1000), [][2]string{{"title", "Sạt lở ở Hà Giang"},
				{"caption", "Đất đá vùi lấp quốc lộ 4C"}, {"credit", "Ảnh: Lò Văn Sáng"}, {"alt", "Quốc lộ bị đất đá vùi lấp"}})
			sound := e.uploadFile(tok, "phong-su.wav", "audio/wav", wav, [][2]string{{"title", "Phóng sự sạt lở"}, {"caption", "Tiếng người dân kể lại"}, {"credit", "Phát thanh tỉnh"}})
			clip := e.uploadFile(tok, "hien-truong.mp4", "video/mp4", mp4, [][2]string{{"title", "Hiện trường"}, {"caption", "Lực lượng cứu hộ"}, {"credit", "Truyền hình tỉnh"}})
			e.WaitRenditions(2 * time.Minute)
			want := map[string][]string{photo.ID: {"thumbnail", "medium", "large"}, sound.ID: {"podcast"}, clip.ID: {"poster", "hls"}}
			keys := map[string]string{}
			for id, names := range want {
				a, err := e.Assets.FindAssetByID(ctx, e.reporter, id)
				if err != nil {
					t.Fatal(err)
				}
				if len(a.Renditions) != len(names) {
					t.Fatalf("%s renditions: %+v", a.Kind, a.Renditions)
				}
				keys[string(a.Kind)+"/original"] = a.Key
				for i, r := range a.Renditions {
					if r.Name != names[i] {
						t.Fatalf("%s rendition %d = %s, want %s", a.Kind, i, r.Name, names[i])
					}
					keys[string(a.Kind)+"/"+r.Name] = r.Key
				}
			}

			h, sapo, body := "Sạt lở vùi lấp quốc lộ 4C", "Mưa lớn gây sạt lở nghiêm trọng", "<p>Sáng nay, đất đá đổ xuống quốc lộ.</p>"
			refs := []story.AssetRef{{AssetID: photo.ID, Role: "featured"}, {AssetID: sound.ID, Role: "radio_audio"}, {AssetID: clip.ID, Role: "tv_video"}}
			st, err := e.Stories.CreateStory(ctx, e.reporter, story.Content{SectionID: &e.section.ID, Headline: &h, Sapo: &sapo, Body: &body, Assets: &refs})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				e.must("/media/"+k, http.StatusNotFound) // staff only until published
			}
			st = e.approve(st, true)
			page := e.must(story.PublicPath("thoi-su", st.Slug, st.ID), http.StatusOK).Body
			for _, s := range []string{"Đất đá vùi lấp quốc lộ 4C", "Ảnh: Lò Văn Sáng", `alt="Quốc lộ bị đất đá vùi lấp"`,
				"Tiếng người dân kể lại", "Phát thanh tỉnh", "Lực lượng cứu hộ", "Truyền hình tỉnh",
				`<audio controls preload="none" src="/media/` + keys["audio/original"] + `"`,
				`poster="/media/` + keys["video/poster"] + `"`, `<source src="/media/` + keys["video/hls"] + `" type="application/vnd.apple.mpegurl">`,
				`<source src="/media/` + keys["video/original"] + `" type="video/mp4">`} {
				if !strings.Contains(page, s) {
					t.Errorf("article page lacks %s", s)
				}
			}
			// Every /media URL the page links to answers, with Range support.
			linked := regexp.MustCompile(`/media/[^"\s,]+`).FindAllString(page, -1)
			if len(linked) < 5 {
				t.Fatalf("article page links %d media URLs: %v", len(linked), linked)
			}
			for _, u := range append(linked, "/media/"+keys["audio/podcast"]) {
				full := e.must(u, http.StatusOK)
				if !strings.Contains(full.Header.Get("Cache-Control"), "immutable") || full.Header.Get("Accept-Ranges") != "bytes" {
					t.Errorf("%s headers %v", u, full.Header)
				}
				part := e.must(u, http.StatusPartialContent, "Range", "bytes=1-10")
				if len(part.Body) != 10 || part.Body != full.Body[1:11] || !strings.HasPrefix(part.Header.Get("Content-Range"), "bytes 1-10/") {
					t.Errorf("%s range: %d bytes, Content-Range %q", u, len(part.Body), part.Header.Get("Content-Range"))
				}
			}
			if p := e.must("/media/"+keys["audio/podcast"], http.StatusOK); p.Header.Get("Content-Type") != "audio/mpeg" {
				t.Errorf("podcast rendition type %q", p.Header.Get("Content-Type"))
			}
			// HLS: the master playlist names a variant, whose segments are served too.
			master := e.must("/media/"+keys["video/hls"], http.StatusOK)
			if master.Header.Get("Content-Type") != "application/vnd.apple.mpegurl" || !strings.Contains(master.Body, "#EXT-X-STREAM-INF:") {
				t.Fatalf("HLS master %q: %s", master.Header.Get("Content-Type"), master.Body)
			}
			dir := keys["video/hls"][:strings.LastIndexByte(keys["video/hls"], '/')+1]
			variant := regexp.MustCompile(`(?m)^[^#\s]+\.m3u8$`).FindString(master.Body)
			pl := e.must("/media/"+dir+variant, http.StatusOK).Body
			seg := regexp.MustCompile(`(?m)^[^#\s]+\.ts$`).FindString(pl)
			if !strings.Contains(pl, "#EXT-X-TARGETDURATION:") || seg == "" {
				t.Fatalf("variant playlist %s: %s", variant, pl)
			}
			if ts := e.must("/media/"+dir+seg, http.StatusOK); ts.Body == "" || ts.Body[0] != 0x47 || ts.Header.Get("Content-Type") != "video/mp2t" {
				t.Errorf("segment %s: type %q, starts %q", seg, ts.Header.Get("Content-Type"), ts.Body[:min(4, len(ts.Body))])
			}
		})
	}
}

// TestRenditionsAfterPublishRefreshPages: a photo published seconds after its
// upload, before its renditions exist, gets its srcset on the cached article
// page as soon as the background renditions are stored.
func TestRenditionsAfterPublishRefreshPages(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		tok := loginToken(t, e, "phongvien")
		photo := e.uploadPhoto(tok, testutil.JPEG(t, 1200, 800), [][2]string{{"caption", "Cầu Long Biên"}, {"credit", "Ảnh: Hà Thu"}, {"alt", "Cầu sắt qua sông Hồng"}})
		h, body := "Cầu Long Biên sau bão", "<p>Nội dung.</p>"
		refs := []story.AssetRef{{AssetID: photo.ID, Role: "featured"}}
		st, err := e.Stories.CreateStory(ctx, e.reporter, story.Content{SectionID: &e.section.ID, Headline: &h, Body: &body, Assets: &refs})
		if err != nil {
			t.Fatal(err)
		}
		st = e.approve(st, true)
		path := story.PublicPath("thoi-su", st.Slug, st.ID)
		if b := e.must(path, http.StatusOK).Body; strings.Contains(b, "srcset=") {
			t.Fatal("srcset before any rendition exists")
		}
		e.must(path, http.StatusOK) // served from the cache now
		e.WaitRenditions(2 * time.Minute)
		if b := e.must(path, http.StatusOK).Body; !strings.Contains(b, "srcset=") || !strings.Contains(b, "-large.jpg 1200w") && !strings.Contains(b, " 1200w") {
			t.Errorf("article page after renditions lacks the srcset:\n%.600s", b[strings.Index(b, "<figure"):])
		}
	}, testutil.Started())
}

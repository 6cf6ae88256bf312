package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
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
// page as soon as the background renditions are stored. The job runner starts
// only after the first view, so that the renditions cannot win the race.
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
		stop, err := e.Start(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stop(context.Background()) })
		e.WaitRenditions(2 * time.Minute)
		if b := e.must(path, http.StatusOK).Body; !strings.Contains(b, "srcset=") || !strings.Contains(b, "-large.jpg 1200w") && !strings.Contains(b, " 1200w") {
			t.Errorf("article page after renditions lacks the srcset:\n%.600s", b[strings.Index(b, "<figure"):])
		}
	})
}

// TestArticleMedia: a photo uploaded through the API and attached as the
// featured image shows on the article page with caption, credit and a
// srcset of its renditions, in the sharing tags and JSON-LD, as the RSS
// enclosure, in ninjs (valid) and the content API; its /media files turn
// public when the story is published and private again when it is killed;
// a caption change shows on the next request, while editing an asset no
// published story uses leaves the cache alone.
func TestArticleMedia(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		schema := ninjsSchema(t)
		_, key := e.apiKey(0)
		tok := loginToken(t, e, "phongvien")

		photo := e.uploadPhoto(tok, testutil.JPEG(t, 1800, 1000), [][2]string{{"title", "Lũ ở Quảng Trị"},
			{"caption", "Nước lũ ngập phố cổ"}, {"credit", "Ảnh: Trần Bình"}, {"alt", "Phố ngập nước"}})
		other := e.uploadPhoto(tok, testutil.JPEG(t, 640, 480), [][2]string{{"caption", "Ảnh phụ"}, {"credit", "TTXVN"}, {"alt", "Đường"}})
		sound := e.uploadFile(tok, "phong-su.wav", "audio/wav", testutil.SilentWAV(), [][2]string{{"title", "Phóng sự lũ"}, {"credit", "VOV"}})
		spare := e.uploadPhoto(tok, testutil.JPEG(t, 300, 200), [][2]string{{"caption", "Chưa dùng"}})
		e.WaitRenditions(2 * time.Minute)
		full, err := e.Assets.FindAssetByID(ctx, e.reporter, photo.ID)
		if err != nil || len(full.Renditions) != 3 {
			t.Fatalf("renditions of the photo: %v %+v", err, full)
		}
		rend := map[string]asset.Rendition{}
		for _, r := range full.Renditions {
			rend[r.Name] = r
		}

		h, sapo, body, tags := "Lũ lớn ở Quảng Trị", "Mưa lớn kéo dài", "<p>Nội dung</p>", []string{"Lũ"}
		refs := []story.AssetRef{{AssetID: photo.ID, Role: "featured"}, {AssetID: other.ID, Role: "gallery"}, {AssetID: sound.ID, Role: "radio_audio"}}
		st, err := e.Stories.CreateStory(ctx, e.reporter, story.Content{SectionID: &e.section.ID, Headline: &h, Sapo: &sapo, Body: &body, Tags: &tags, Assets: &refs})
		if err != nil {
			t.Fatal(err)
		}
		// Not published yet: the files are staff-only.
		for _, k := range []string{photo.Key, rend["large"].Key} {
			e.must("/media/"+k, http.StatusNotFound)
			if a := e.get("/media/"+k, "Authorization", "Bearer "+tok); a.Code != http.StatusOK {
				t.Fatalf("staff GET /media/%s = %d", k, a.Code)
			}
		}
		st = e.approve(st, true)
		path := story.PublicPath("thoi-su", st.Slug, st.ID)
		largeAbs := "https://bao.example.vn/media/" + rend["large"].Key

		art := e.must(path, http.StatusOK).Body
		srcset := fmt.Sprintf(`srcset="/media/%s 320w, /media/%s 800w, /media/%s 1600w"`, rend["thumbnail"].Key, rend["medium"].Key, rend["large"].Key)
		for _, want := range []string{`<figure class="featured">`, srcset, `alt="Phố ngập nước"`, "Nước lũ ngập phố cổ", "Ảnh: Trần Bình",
			`<meta property="og:image" content="` + largeAbs + `">`, `<meta name="twitter:image" content="` + largeAbs + `">`,
			`"image":[{"@type":"ImageObject"`, `"url":"` + largeAbs + `"`, `class="gallery"`, `alt="Đường"`, `<audio controls preload="none" src="/media/` + sound.Key + `"`, "Phóng sự lũ"} {
			if !strings.Contains(art, want) {
				t.Errorf("article lacks %s", want)
			}
		}
		if !strings.Contains(e.must("/", http.StatusOK).Body, "/media/"+rend["thumbnail"].Key) {
			t.Error("home card lacks the thumbnail")
		}

		// Published: anyone may read the original and its renditions.
		for _, k := range []string{photo.Key, rend["thumbnail"].Key, rend["large"].Key, other.Key, sound.Key} {
			a := e.must("/media/"+k, http.StatusOK)
			if !strings.Contains(a.Header.Get("Cache-Control"), "public") {
				t.Errorf("/media/%s Cache-Control %q", k, a.Header.Get("Cache-Control"))
			}
		}
		e.must("/media/"+spare.Key, http.StatusNotFound)

		// RSS enclosure: the large rendition, with its length and type.
		for _, p := range []string{"/rss.xml", "/rss/thoi-su.xml"} {
			f := parseFeed(t, e.must(p, http.StatusOK).Body)
			if len(f.Items) != 1 || len(f.Items[0].Enclosures) != 1 {
				t.Fatalf("%s: items/enclosures %+v", p, f.Items)
			}
			enc := f.Items[0].Enclosures[0]
			if enc.URL != largeAbs || enc.Length != strconv.FormatInt(rend["large"].Size, 10) || enc.Type != "image/jpeg" {
				t.Errorf("%s enclosure %+v, want %s %d image/jpeg", p, enc, largeAbs, rend["large"].Size)
			}
		}

		// ninjs: valid, with the article's renditions and its media as associations.
		doc := validNinjs(t, schema, e.must("/api/content/v1/articles/"+st.ID+"?format=ninjs", http.StatusOK, "X-Api-Key", key).Body)
		assoc, _ := doc["associations"].([]any)
		if len(assoc) != 3 || assoc[2].(map[string]any)["type"] != "audio" {
			t.Fatalf("ninjs associations: %v", doc["associations"])
		}
		feat := assoc[0].(map[string]any)
		if feat["name"] != "featured" || feat["type"] != "picture" || feat["by"] != "Ảnh: Trần Bình" {
			t.Errorf("featured association %v", feat)
		}
		names := map[string]bool{}
		for _, r := range feat["renditions"].([]any) {
			rm := r.(map[string]any)
			names[rm["name"].(string)] = true
			if rm["name"] == "large" && (rm["href"] != largeAbs || rm["width"] != json.Number("1600") && rm["width"] != float64(1600)) {
				t.Errorf("large rendition %v", rm)
			}
		}
		for _, n := range []string{"original", "thumbnail", "medium", "large"} {
			if !names[n] {
				t.Errorf("ninjs featured lacks rendition %s: %v", n, names)
			}
		}
		if rs, _ := doc["renditions"].([]any); len(rs) == 0 {
			t.Error("ninjs item has no renditions")
		}
		// The JSON form carries the media too.
		var ca struct {
			Media []struct{ Role, URL, Caption, Credit string }
		}
		_ = json.Unmarshal([]byte(e.must("/api/content/v1/articles/"+st.ID, http.StatusOK, "X-Api-Key", key).Body), &ca)
		if len(ca.Media) != 3 || ca.Media[0].Role != "featured" || ca.Media[0].Credit != "Ảnh: Trần Bình" {
			t.Errorf("content API media %+v", ca.Media)
		}

		// Editing an asset no published story uses leaves the cache alone.
		gen := e.Site.Generation()
		if a := e.send(http.MethodPatch, "/api/v1/assets/"+spare.ID, tok, "application/json", []byte(`{"caption":"Vẫn chưa dùng"}`)); a.Code != http.StatusOK {
			t.Fatalf("patch spare = %d %s", a.Code, a.Body)
		}
		if e.Site.Generation() != gen {
			t.Error("an unused asset's caption change dropped the cache")
		}
		// A caption change of the featured image shows on the next request, everywhere.
		if a := e.send(http.MethodPatch, "/api/v1/assets/"+photo.ID, tok, "application/json", []byte(`{"caption":"Phố cổ Hội An chìm trong nước"}`)); a.Code != http.StatusOK {
			t.Fatalf("patch photo = %d %s", a.Code, a.Body)
		}
		if b := e.must(path, http.StatusOK).Body; !strings.Contains(b, "Phố cổ Hội An chìm trong nước") || strings.Contains(b, "Nước lũ ngập phố cổ") {
			t.Error("article still shows the old caption")
		}
		if b := e.must("/api/content/v1/articles/"+st.ID+"?format=ninjs", http.StatusOK, "X-Api-Key", key).Body; !strings.Contains(b, "Phố cổ Hội An chìm trong nước") {
			t.Error("ninjs still shows the old caption")
		}
		// Bad input: an over-long caption is refused and changes nothing.
		long := strings.Repeat("a", asset.MaxText+1)
		if a := e.send(http.MethodPatch, "/api/v1/assets/"+photo.ID, tok, "application/json", []byte(`{"caption":"`+long+`"}`)); a.Code != http.StatusBadRequest || !strings.Contains(a.Body, "caption") {
			t.Errorf("long caption = %d %s", a.Code, a.Body)
		}
		if b := e.must(path, http.StatusOK).Body; !strings.Contains(b, "Phố cổ Hội An chìm trong nước") {
			t.Error("a refused caption changed the page")
		}

		// Killed: the page is 410 and the files are staff-only again.
		if _, err := e.Stories.Transition(ctx, e.chief, st.ID, story.TransitionInput{Action: "kill", Comment: "Sai sự thật"}, nil); err != nil {
			t.Fatal(err)
		}
		e.must(path, http.StatusGone)
		e.must("/media/"+photo.Key, http.StatusNotFound)
		e.must("/media/"+rend["large"].Key, http.StatusNotFound)
	}, testutil.Started())
}

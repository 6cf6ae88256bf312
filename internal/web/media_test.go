package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

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

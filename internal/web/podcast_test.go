package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// podcastEnv is the public site of a radio station, with a producer.
type podcastEnv struct {
	*env
	producer user.Actor
}

func newPodcastEnv(t *testing.T, dialect string) *podcastEnv {
	t.Helper()
	e := newEnv(t, dialect, testutil.WithConfig(func(c *config.Config) {
		c.Site = config.Site{Name: "Đài Phát thanh Tỉnh", BaseURL: "https://dai.example.vn", Licence: "45/GP-BTTTT",
			Email: "toasoan@dai.example.vn", CacheMaxAge: 30 * time.Second, CacheEntries: 1000}
	}), testutil.Started())
	return &podcastEnv{env: e, producer: e.Member("sanxuat", user.RoleProducer, password)}
}

// radioStory writes a story with a radio version and takes it through approval (and publication).
func (e *podcastEnv) radioStory(headline, script string, publish bool) *story.Story {
	e.t.Helper()
	ctx := context.Background()
	body := "<p>Nội dung.</p>"
	chans := []story.Channel{story.ChannelRadio}
	if publish {
		chans = append(chans, story.ChannelWeb)
	}
	st, err := e.Stories.CreateStory(ctx, e.reporter, story.Content{SectionID: &e.section.ID, Headline: &headline, Body: &body,
		Channels: &chans, Radio: &story.RadioVersion{Script: script}})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.approve(st, publish)
}

func (e *podcastEnv) upload(name string, data []byte) *asset.Asset {
	e.t.Helper()
	a, err := e.Assets.Upload(context.Background(), e.producer, asset.Upload{Filename: name}, bytes.NewReader(data))
	if err != nil {
		e.t.Fatalf("upload %s: %v", name, err)
	}
	return a
}

// publicMedia is the status of GET /media/{key} without credentials.
func (e *podcastEnv) publicMedia(key string) int { return e.get("/media/" + key).Code }

// res carries a call's value and error to of, which fails the test on the error.
type res[T any] struct {
	v   T
	err error
}

func val[T any](v T, err error) res[T] { return res[T]{v, err} }

func (r res[T]) of(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeInvalid || e.Details["field"] != field {
		t.Fatalf("want 400 naming %s, got %v", field, err)
	}
}

// TestPodcastFeedAndEpisodePage: a radio programme's aired rundown with its
// recording attached is an episode: the feed (/podcasts/{slug}.xml) parses
// with gofeed and carries every tag podcast apps need, the episode page plays
// the MP3 and lists the running order, and the recording (and the cover
// art) become public on /media only then.
func TestPodcastFeedAndEpisodePage(t *testing.T) {
	ffmpeg, _ := testutil.FFmpeg(t)
	wav := testutil.MakeMedia(t, ffmpeg, "ban-tin.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-ac", "1", "-ar", "22050")
	for _, d := range testutil.Dialects() {
		t.Run(d, func(t *testing.T) {
			e := newPodcastEnv(t, d)
			ctx := context.Background()
			cover := e.upload("bia.jpg", testutil.JPEG(t, 1700, 1700))
			rec := e.upload("thoi-su-sang.wav", wav)
			stray := e.upload("chua-phat.wav", testutil.SilentWAV())
			photo := e.upload("anh.jpg", testutil.JPEG(t, 200, 100))
			e.WaitRenditions(2 * time.Minute)

			pub := e.radioStory("Lúa mùa được giá", "Kính thưa quý vị, giá lúa mùa năm nay tăng mạnh.", true)
			radioOnly := e.radioStory("Mưa lớn ở vùng núi", "Đài khí tượng cho biết mưa lớn còn kéo dài.", false)
			doomed := e.radioStory("Tin sẽ bị gỡ", "Nội dung sẽ bị gỡ.", true)

			explicit := false
			p := val(e.Broadcast.CreateProgramme(ctx, e.producer, broadcast.ProgrammeInput{Name: ptr("Thời sự sáng"), Channel: ptr("radio"),
				Schedule: &broadcast.Schedule{Days: []broadcast.Weekday{"mon", "tue", "wed", "thu", "fri"}, Start: "06:00"}, PlannedSeconds: ptr(900),
				Description: ptr("Bản tin thời sự buổi sáng của Đài Phát thanh Tỉnh."),
				Podcast: &broadcast.Podcast{Author: "Ban Thời sự", OwnerEmail: "podcast@dai.example.vn", Category: "News/Daily News",
					ImageAssetID: cover.ID, Explicit: explicit}})).of(t)
			tvProg := val(e.Broadcast.CreateProgramme(ctx, e.producer, broadcast.ProgrammeInput{Name: ptr("Thời sự tối"), Channel: ptr("tv"), PlannedSeconds: ptr(1800)})).of(t)
			if p.Slug != "thoi-su-sang" {
				t.Fatalf("slug %q", p.Slug)
			}
			// Before any airing: an empty feed, and the cover art is public (it is in the feed).
			f := parseFeed(t, e.must("/podcasts/thoi-su-sang.xml", http.StatusOK).Body)
			if len(f.Items) != 0 || e.publicMedia(cover.Key) != http.StatusOK {
				t.Fatalf("empty feed: %d items; cover %d", len(f.Items), e.publicMedia(cover.Key))
			}
			e.must("/podcasts/khong-co.xml", http.StatusNotFound)
			e.must("/podcasts/"+tvProg.Slug+".xml", http.StatusNotFound)
			e.must("/podcasts/"+tvProg.Slug, http.StatusNotFound)

			onAir := time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC) // 06:00 on 26/11/2026 in Vietnam
			v := val(e.Broadcast.CreateRundown(ctx, e.producer, broadcast.RundownInput{ProgrammeID: p.ID, OnAirAt: &onAir})).of(t)
			for _, id := range []string{pub.ID, radioOnly.ID, doomed.ID} {
				v = val(e.Broadcast.InsertItem(ctx, e.producer, v.ID, broadcast.ItemInput{Kind: "story", StoryID: id}, v.Version)).of(t)
			}
			v = val(e.Broadcast.InsertItem(ctx, e.producer, v.ID, broadcast.ItemInput{Kind: "jingle", PlannedSeconds: ptr(10)}, v.Version)).of(t)
			// The recording must be an audio asset, named in the error; nothing changes.
			for _, bad := range []string{photo.ID, "khong-phai-uuid", "6f1c2a57-0000-4000-8000-000000000000"} {
				_, err := e.Broadcast.UpdateRundown(ctx, e.producer, v.ID, broadcast.RundownChange{RecordingAssetID: ptr(bad)}, v.Version)
				wantField(t, err, "recording_asset_id")
			}
			_, err := e.Broadcast.UpdateRundown(ctx, e.chief, v.ID, broadcast.RundownChange{RecordingAssetID: ptr(rec.ID)}, v.Version)
			if !apperr.Is(err, apperr.CodeForbidden) {
				t.Fatalf("only producers attach recordings: %v", err)
			}
			// Attached before air: not an episode, the recording stays staff-only.
			v = val(e.Broadcast.UpdateRundown(ctx, e.producer, v.ID, broadcast.RundownChange{RecordingAssetID: ptr(stray.ID)}, v.Version)).of(t)
			if v.RecordingAssetID != stray.ID || e.publicMedia(stray.Key) != http.StatusNotFound {
				t.Fatalf("recording %q; planned rundown's recording public: %d", v.RecordingAssetID, e.publicMedia(stray.Key))
			}
			for _, to := range []string{"ready", "on_air"} {
				v = val(e.Broadcast.TransitionRundown(ctx, e.producer, v.ID, to, v.Version)).of(t)
			}
			// On air the rundown is locked, yet the recording may change; still not public.
			_, err = e.Broadcast.UpdateRundown(ctx, e.producer, v.ID, broadcast.RundownChange{PlannedSeconds: ptr(60)}, v.Version)
			if !apperr.Is(err, apperr.CodeConflict) {
				t.Fatalf("locked rundown's length changed: %v", err)
			}
			v = val(e.Broadcast.UpdateRundown(ctx, e.producer, v.ID, broadcast.RundownChange{RecordingAssetID: ptr(rec.ID)}, v.Version)).of(t)
			if e.publicMedia(rec.Key) != http.StatusNotFound || len(parseFeed(t, e.must("/podcasts/thoi-su-sang.xml", http.StatusOK).Body).Items) != 0 {
				t.Fatal("an on-air rundown is already an episode")
			}
			v = val(e.Broadcast.TransitionRundown(ctx, e.producer, v.ID, "done", v.Version)).of(t)
			events := val(e.AuditLog.FindEvents(ctx, audit.Filter{TargetID: v.ID, Limit: 50})).of(t)
			recorded := 0
			for _, ev := range events {
				if ev.Action == "rundown.update" && ev.Details["recording_asset_id"] != nil {
					recorded++
				}
			}
			if recorded != 2 {
				t.Fatalf("recording changes audited: %d", recorded)
			}

			// The story → rundowns lookup behind the MOS resync of a killed or corrected story.
			repo := store.NewBroadcastRepository(e.DB)
			if got := val(repo.FindRundownIDsPlacing(ctx, pub.ID, []broadcast.State{broadcast.Done, broadcast.OnAir})).of(t); len(got) != 1 || got[0] != v.ID {
				t.Fatalf("rundowns placing the story: %v", got)
			}
			if got := val(repo.FindRundownIDsPlacing(ctx, pub.ID, []broadcast.State{broadcast.Ready})).of(t); len(got) != 0 {
				t.Fatalf("ready rundowns placing the story: %v", got)
			}

			rec = val(e.Assets.FindAssetByID(ctx, e.producer, rec.ID)).of(t)
			var mp3 *asset.Rendition
			for i := range rec.Renditions {
				if rec.Renditions[i].Name == "podcast" {
					mp3 = &rec.Renditions[i]
				}
			}
			if mp3 == nil {
				t.Fatalf("no podcast rendition: %+v", rec.Renditions)
			}
			a := e.must("/podcasts/thoi-su-sang.xml", http.StatusOK)
			if !strings.HasPrefix(a.Header.Get("Content-Type"), "application/rss+xml") || a.Header.Get("ETag") == "" ||
				a.Header.Get("Cache-Control") != "public, max-age=30" || a.Header.Get("Last-Modified") == "" {
				t.Fatalf("feed headers: %v", a.Header)
			}
			if e.get("/podcasts/thoi-su-sang.xml", "If-None-Match", a.Header.Get("ETag")).Code != http.StatusNotModified {
				t.Fatal("conditional feed request not 304")
			}
			f = parseFeed(t, a.Body)
			coverURL := "https://dai.example.vn/media/" + cover.Key + "-large.jpg"
			if f.Title != "Thời sự sáng" || f.Link != "https://dai.example.vn/podcasts/thoi-su-sang" || f.Language != "vi" ||
				f.Description != "Bản tin thời sự buổi sáng của Đài Phát thanh Tỉnh." {
				t.Fatalf("channel: %q %q %q %q", f.Title, f.Link, f.Language, f.Description)
			}
			it := f.ITunesExt
			if it == nil || it.Author != "Ban Thời sự" || it.Explicit != "false" || it.Image != coverURL ||
				it.Owner == nil || it.Owner.Email != "podcast@dai.example.vn" || it.Owner.Name != "Đài Phát thanh Tỉnh" ||
				len(it.Categories) != 1 || it.Categories[0].Text != "News" || it.Categories[0].Subcategory == nil ||
				it.Categories[0].Subcategory.Text != "Daily News" {
				t.Fatalf("itunes channel tags: %+v (owner %+v)", it, it.Owner)
			}
			if f.Image == nil || f.Image.URL != coverURL {
				t.Fatalf("rss image: %+v", f.Image)
			}
			if len(f.Items) != 1 {
				t.Fatalf("%d items", len(f.Items))
			}
			item := f.Items[0]
			if item.Title != "Thời sự sáng 26/11/2026" || item.GUID != "urn:uuid:"+v.ID || !strings.Contains(a.Body, `<guid isPermaLink="false">`) ||
				item.Published != "Thu, 26 Nov 2026 06:00:00 +0700" || item.Link != "https://dai.example.vn/podcasts/thoi-su-sang/"+v.ID+".html" {
				t.Fatalf("item: %q %q %q %q", item.Title, item.GUID, item.Published, item.Link)
			}
			for _, h := range []string{pub.Headline, radioOnly.Headline, doomed.Headline} {
				if !strings.Contains(item.Description, h) {
					t.Fatalf("description lacks %q: %q", h, item.Description)
				}
			}
			if len(item.Enclosures) != 1 || item.Enclosures[0].URL != "https://dai.example.vn/media/"+mp3.Key ||
				item.Enclosures[0].Type != "audio/mpeg" || item.Enclosures[0].Length != strconv.FormatInt(mp3.Size, 10) {
				t.Fatalf("enclosure: %+v, want %s %d", item.Enclosures, mp3.Key, mp3.Size)
			}
			if item.ITunesExt == nil || item.ITunesExt.Duration != "00:00:03" || item.ITunesExt.Image != coverURL {
				t.Fatalf("itunes item tags: %+v", item.ITunesExt)
			}
			// In the feed: the MP3 (and the original) are public now.
			if e.publicMedia(mp3.Key) != http.StatusOK || e.publicMedia(rec.Key) != http.StatusOK {
				t.Fatalf("episode audio public: mp3 %d, original %d", e.publicMedia(mp3.Key), e.publicMedia(rec.Key))
			}
			if e.publicMedia(stray.Key) != http.StatusNotFound || e.publicMedia(photo.Key) != http.StatusNotFound {
				t.Fatal("an unattached recording or photo became public")
			}

			// The episode page: player, date, running order linked to the web article.
			val(e.Stories.Transition(ctx, e.chief, doomed.ID, story.TransitionInput{Action: "kill", Comment: "Sai sự thật"}, nil)).of(t)
			page := e.must(item.Link[len("https://dai.example.vn"):], http.StatusOK)
			pubArt := val(e.Site.ArticleByKey(ctx, pub.ID)).of(t)
			for _, want := range []string{`<audio controls`, `src="/media/` + mp3.Key + `"`, "<h1>Thời sự sáng 26/11/2026</h1>", "26/11/2026 06:00",
				`<a href="` + pubArt.Path + `">Lúa mùa được giá</a>`, "<li>Mưa lớn ở vùng núi</li>", "45/GP-BTTTT", `<html lang="vi">`} {
				if !strings.Contains(page.Body, want) {
					t.Fatalf("episode page lacks %q:\n%s", want, page.Body)
				}
			}
			if strings.Contains(page.Body, doomed.Headline) {
				t.Fatal("the episode page still lists a killed story")
			}
			e.must("/podcasts/thoi-su-sang/"+v.ID, http.StatusNotFound)
			e.must("/podcasts/thoi-su-sang/khong-co.html", http.StatusNotFound)
			e.must("/podcasts/"+tvProg.Slug+"/"+v.ID+".html", http.StatusNotFound)

			// The programme page lists its episodes, keyset-paginated.
			list := e.must("/podcasts/thoi-su-sang", http.StatusOK)
			for _, want := range []string{"<h1>Thời sự sáng</h1>", `href="/podcasts/thoi-su-sang/` + v.ID + `.html"`, `href="/podcasts/thoi-su-sang.xml"`, "26/11/2026 06:00", "45/GP-BTTTT"} {
				if !strings.Contains(list.Body, want) {
					t.Fatalf("programme page lacks %q:\n%s", want, list.Body)
				}
			}
			e.must("/podcasts/thoi-su-sang?sau=khong-hop-le", http.StatusBadRequest)
			eps, next, err := e.Broadcast.FindEpisodes(ctx, p, &broadcast.RundownCursor{OnAirAt: onAir.Add(time.Second), ID: v.ID}, 1)
			if err != nil || len(eps) != 1 || next != nil {
				t.Fatalf("episodes after a later cursor: %d %v %v", len(eps), next, err)
			}
			if eps, _, _ = e.Broadcast.FindEpisodes(ctx, p, &broadcast.RundownCursor{OnAirAt: onAir, ID: v.ID}, 1); len(eps) != 0 {
				t.Fatalf("episodes after the last one: %d", len(eps))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

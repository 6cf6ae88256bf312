package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// withPresenters gives Thu Hà her own reading rate (120 syllables a minute).
func withPresenters() testutil.AppOption {
	return testutil.WithConfig(func(c *config.Config) { c.Broadcast.Presenters = []string{"Thu Hà=120"} })
}

// mediaAsset stores an asset record as an upload and ffprobe would leave it.
func mediaAsset(t *testing.T, db *store.DB, uploader string, kind asset.Kind, seconds float64) string {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &asset.Asset{ID: uuid.NewString(), Kind: kind, ContentType: map[asset.Kind]string{asset.KindAudio: "audio/mpeg",
		asset.KindVideo: "video/mp4", asset.KindImage: "image/jpeg"}[kind], Size: 1000, SHA256: strings.Repeat("a", 64),
		Key: "obj/aa/" + strings.ReplaceAll(uuid.NewString(), "-", ""), Filename: "tep." + string(kind), Keywords: []string{},
		Source: asset.SourceStaff, Duration: seconds, UploaderID: uploader, Renditions: []asset.Rendition{}, CreatedAt: now, UpdatedAt: now}
	if err := store.NewAssetRepository(db).CreateAsset(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// fresh empties a story before an answer is decoded into it: omitted fields
// (omitempty) must not keep the values of the previous answer.
func fresh(st *story.Story) *story.Story {
	*st = story.Story{}
	return st
}

// syllables is n Vietnamese syllables of script.
func syllables(n int) string {
	words := strings.Fields("Kính thưa quý vị sáng nay tỉnh Hưng Yên khởi công cầu vượt sông Hồng nối hai bờ")
	out := make([]string, n)
	for i := range out {
		out[i] = words[i%len(words)]
	}
	return strings.Join(out, " ")
}

func TestStoryChannelVersions(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		db := h.app.DB
		sec := h.section("Thời sự", 2)
		rep := h.user("phongvien", user.RoleReporter)
		ed := h.user("bientap", user.RoleEditor, sec.ID)
		eic := h.user("tongbientap", user.RoleEditorInChief)
		audio := mediaAsset(t, db, rep.ID, asset.KindAudio, 42.3)
		video := mediaAsset(t, db, rep.ID, asset.KindVideo, 90)
		unmeasured := mediaAsset(t, db, rep.ID, asset.KindVideo, 0)
		photo := mediaAsset(t, db, rep.ID, asset.KindImage, 0)

		st := h.newStory(rep, map[string]any{"section_id": sec.ID, "headline": "Khởi công cầu vượt sông Hồng",
			"body": "<p>Nội dung.</p>", "channels": []string{"web", "radio", "tv"}}).Story
		if st.Radio != nil || st.TV != nil {
			t.Fatalf("new story has versions: %+v %+v", st.Radio, st.TV)
		}
		path := "/api/v1/stories/" + st.ID

		// Radio script of 160 syllables at the default 160 wpm: 60 s, plus 43 s of audio.
		script := "<p>" + syllables(100) + "</p>\n\n\n" + syllables(60) + "  "
		segments := []map[string]any{
			{"type": "anchor", "script": syllables(16)},                                                                     // 6 s
			{"type": "vo", "script": syllables(40), "video_asset_id": video, "in_seconds": 10, "out_seconds": 40},           // max(15, 30)
			{"type": "sot", "script": "Ông Bình: cây cầu mở ra không gian mới.", "video_asset_id": video, "in_seconds": 60}, // 90-60
			{"type": "graphic", "script": "6,5 km – 2.000 tỷ đồng", "duration_seconds": 5},                                  // 5 s
		}
		var got story.Story
		r := h.expect(h.do(rep.token, "PATCH", path, map[string]any{"radio": map[string]any{"script": script, "audio_asset_id": audio},
			"tv": map[string]any{"segments": segments}}, "If-Match", `"1"`), 200, "set versions")
		r.json(t, &got)
		if r.Header.Get("ETag") != `"2"` || got.Version != 2 {
			t.Fatalf("version after save: %d, ETag %s", got.Version, r.Header.Get("ETag"))
		}
		wantScript := syllables(100) + "\n\n" + syllables(60)
		if got.Radio == nil || got.Radio.Script != wantScript || got.Radio.AudioAssetID != audio {
			t.Fatalf("radio version: %+v", got.Radio)
		}
		if got.Radio.ReadSeconds != 60 || got.Radio.AudioSeconds != 43 || got.Radio.TotalSeconds != 103 {
			t.Fatalf("radio timing: read %d audio %d total %d, want 60 43 103", got.Radio.ReadSeconds, got.Radio.AudioSeconds, got.Radio.TotalSeconds)
		}
		wantDur := []int{6, 30, 30, 5}
		if got.TV == nil || len(got.TV.Segments) != 4 || got.TV.TotalSeconds != 71 {
			t.Fatalf("tv version: %+v", got.TV)
		}
		for i, w := range wantDur {
			if got.TV.Segments[i].DurationSeconds != w {
				t.Errorf("segment %d duration %d, want %d", i, got.TV.Segments[i].DurationSeconds, w)
			}
		}
		if cur := h.current(st.ID); cur.Radio == nil || cur.Radio.TotalSeconds != 103 || cur.TV.TotalSeconds != 71 {
			t.Fatalf("stored versions: %+v %+v", cur.Radio, cur.TV)
		}

		// The presenter's own rate: Thu Hà reads 120 syllables a minute.
		h.expect(h.do(rep.token, "PATCH", path, map[string]any{"radio": map[string]any{"script": syllables(160), "presenter": "thu hà"}},
			"If-Match", `"2"`), 200, "presenter").json(t, fresh(&got))
		if got.Radio.ReadSeconds != 80 || got.Radio.AudioAssetID != "" || got.Radio.TotalSeconds != 80 {
			t.Fatalf("presenter timing: %+v", got.Radio)
		}

		// What GET returns can be sent back as it is (computed fields are ignored).
		var view map[string]any
		h.expect(h.do(rep.token, "GET", path, nil), 200, "get").json(t, &view)
		h.expect(h.do(rep.token, "PATCH", path, map[string]any{"radio": view["radio"], "tv": view["tv"]}, "If-Match", `"3"`), 200, "round trip").json(t, fresh(&got))
		if got.Radio.TotalSeconds != 80 || got.TV.TotalSeconds != 71 {
			t.Fatalf("round trip changed timings: %+v %+v", got.Radio, got.TV)
		}

		// A stale If-Match changes nothing.
		r = h.expect(h.do(rep.token, "PATCH", path, map[string]any{"radio": map[string]any{"script": "Bản cũ"}}, "If-Match", `"2"`), 412, "stale")
		if e := r.err(t); e.Error.Details["current_version"] != float64(4) {
			t.Fatalf("stale details: %+v", e.Error.Details)
		}
		before := h.current(st.ID)
		if before.Version != 4 || before.Radio.Script != syllables(160) {
			t.Fatalf("stale PATCH changed the story: %+v", before.Radio)
		}

		// Bad input: 400 naming the field, nothing saved.
		seg := func(kv ...any) map[string]any {
			m := map[string]any{"type": "vo", "script": "Lời bình."}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		}
		tv := func(segs ...map[string]any) map[string]any {
			return map[string]any{"tv": map[string]any{"segments": segs}}
		}
		many := make([]map[string]any, story.MaxSegments+1)
		for i := range many {
			many[i] = seg()
		}
		bad := []struct {
			name  string
			body  any
			field string
		}{
			{"unknown segment type", tv(seg(), seg(), seg("type", "weather")), "tv.segments[2].type"},
			{"negative duration", tv(seg("type", "graphic", "duration_seconds", -5)), "tv.segments[0].duration_seconds"},
			{"graphic without duration", tv(seg("type", "graphic")), "tv.segments[0].duration_seconds"},
			{"sot without clip or duration", tv(seg("type", "sot")), "tv.segments[0].duration_seconds"},
			{"absurd duration", tv(seg("type", "graphic", "duration_seconds", 7*3600)), "tv.segments[0].duration_seconds"},
			{"negative in point", tv(seg("video_asset_id", video, "in_seconds", -1)), "tv.segments[0].in_seconds"},
			{"out before in", tv(seg("video_asset_id", video, "in_seconds", 30, "out_seconds", 20)), "tv.segments[0].out_seconds"},
			{"out equal to in", tv(seg("video_asset_id", video, "in_seconds", 30, "out_seconds", 30)), "tv.segments[0].out_seconds"},
			{"out past the clip", tv(seg("video_asset_id", video, "out_seconds", 120)), "tv.segments[0].out_seconds"},
			{"in past the clip", tv(seg("video_asset_id", video, "in_seconds", 95)), "tv.segments[0].in_seconds"},
			{"out over 6 hours", tv(seg("video_asset_id", video, "out_seconds", 22000)), "tv.segments[0].out_seconds"},
			{"in/out without clip", tv(seg("in_seconds", 1, "out_seconds", 3)), "tv.segments[0].video_asset_id"},
			{"unmeasured clip without out point", tv(seg("type", "sot", "video_asset_id", unmeasured)), "tv.segments[0].out_seconds"},
			{"clip is an image", tv(seg(), seg("video_asset_id", photo)), "tv.segments[1].video_asset_id"},
			{"clip is audio", tv(seg("video_asset_id", audio)), "tv.segments[0].video_asset_id"},
			{"clip id not a UUID", tv(seg("video_asset_id", "clip-1")), "tv.segments[0].video_asset_id"},
			{"clip does not exist", tv(seg("video_asset_id", uuid.NewString())), "tv.segments[0].video_asset_id"},
			{"too many segments", tv(many...), "tv.segments"},
			{"segment script too long", tv(seg("script", strings.Repeat("a ", story.MaxSegmentScript))), "tv.segments[0].script"},
			{"audio is an image", map[string]any{"radio": map[string]any{"script": "Tin", "audio_asset_id": photo}}, "radio.audio_asset_id"},
			{"audio is a video", map[string]any{"radio": map[string]any{"audio_asset_id": video}}, "radio.audio_asset_id"},
			{"audio id not a UUID", map[string]any{"radio": map[string]any{"audio_asset_id": "ghi-am.mp3"}}, "radio.audio_asset_id"},
			{"audio does not exist", map[string]any{"radio": map[string]any{"audio_asset_id": uuid.NewString()}}, "radio.audio_asset_id"},
			{"radio script too long", map[string]any{"radio": map[string]any{"script": strings.Repeat("ab ", story.MaxRadioScript)}}, "radio.script"},
			{"presenter too long", map[string]any{"radio": map[string]any{"script": "Tin", "presenter": strings.Repeat("x", 101)}}, "radio.presenter"},
			// The strict decoder names wrong types and unknown fields.
			{"radio is a string", rawBody(`{"radio": "Kính thưa quý vị"}`), "radio"},
			{"script is a number", rawBody(`{"radio": {"script": 5}}`), "radio.script"},
			{"segments is an object", rawBody(`{"tv": {"segments": {"type": "vo"}}}`), "tv.segments"},
			{"duration is a string", rawBody(`{"tv": {"segments": [{"type": "graphic", "duration_seconds": "5"}]}}`), "tv.segments.duration_seconds"},
			{"duration is a fraction", rawBody(`{"tv": {"segments": [{"type": "graphic", "duration_seconds": 2.5}]}}`), "tv.segments.duration_seconds"},
			{"in point is a string", rawBody(`{"tv": {"segments": [{"type": "vo", "in_seconds": "00:10"}]}}`), "tv.segments.in_seconds"},
			{"unknown radio field", rawBody(`{"radio": {"scrip": "Tin"}}`), "scrip"},
			{"unknown segment field", rawBody(`{"tv": {"segments": [{"type": "vo", "length": 3}]}}`), "length"},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				send := func(lang ...string) errorBody {
					t.Helper()
					var r resp
					if raw, ok := b.body.(rawBody); ok {
						r = h.do(rep.token, "PATCH", path, raw, append([]string{"If-Match", `"4"`, "Content-Type", "application/json"}, lang...)...)
					} else {
						r = h.do(rep.token, "PATCH", path, b.body, append([]string{"If-Match", `"4"`}, lang...)...)
					}
					h.expect(r, 400, b.name)
					return r.err(t)
				}
				e := send()
				if e.Error.Details["field"] != b.field {
					t.Errorf("field %v, want %s: %s", e.Error.Details["field"], b.field, e.Error.Message)
				}
				// English by default; the Vietnamese text on request.
				if vi := send("Accept-Language", "vi").Error.Message; e.Error.Message == "" || vi == "" || vi == e.Error.Message {
					t.Errorf("message %q has no Vietnamese translation (vi: %q)", e.Error.Message, vi)
				}
				after := h.current(st.ID)
				if after.Version != 4 || after.Radio.Script != before.Radio.Script || after.TV.TotalSeconds != before.TV.TotalSeconds {
					t.Errorf("a refused PATCH changed the story: v%d %+v", after.Version, after.Radio)
				}
			})
		}
		if e := h.expect(h.do(rep.token, "PATCH", path, tv(seg(), seg(), seg("type", "weather")), "If-Match", `"4"`), 400, "type").err(t); !strings.Contains(e.Error.Message, "tv.segments[2].type") || !strings.Contains(e.Error.Message, "weather") {
			t.Errorf("message does not name the segment and the type: %s", e.Error.Message)
		}

		// Revisions keep the versions; the diff shows what changed in them.
		var rev story.Revision
		h.expect(h.do(rep.token, "GET", path+"/revisions/2", nil), 200, "revision 2").json(t, &rev)
		if rev.Snapshot.Radio == nil || rev.Snapshot.Radio.Script != wantScript || rev.Snapshot.TV == nil || len(rev.Snapshot.TV.Segments) != 4 {
			t.Fatalf("snapshot 2: %+v %+v", rev.Snapshot.Radio, rev.Snapshot.TV)
		}
		var d story.Diff
		h.expect(h.do(rep.token, "GET", path+"/diff?from=1&to=2", nil), 200, "diff").json(t, &d)
		fields := map[string]story.FieldDiff{}
		for _, f := range d.Fields {
			fields[f.Field] = f
		}
		for _, f := range []string{"radio.script", "radio.audio_asset_id", "radio.total_seconds", "tv.segments[0]", "tv.segments[3]", "tv.total_seconds"} {
			if _, ok := fields[f]; !ok {
				t.Errorf("diff 1→2 lacks %s: %+v", f, d.Fields)
			}
		}
		if len(fields["radio.script"].Ops) == 0 {
			t.Errorf("radio.script diff has no word ops")
		}
		h.expect(h.do(rep.token, "PATCH", path, tv(segments[0], map[string]any{"type": "vo", "script": "Lời bình mới.", "video_asset_id": video,
			"in_seconds": 10, "out_seconds": 40}, segments[2], segments[3]), "If-Match", `"4"`), 200, "edit segment")
		h.expect(h.do(rep.token, "GET", path+"/diff?from=4&to=5", nil), 200, "diff 4→5").json(t, &d)
		var names []string
		for _, f := range d.Fields {
			names = append(names, f.Field)
		}
		if strings.Join(names, ",") != "tv.segments[1].script" {
			t.Errorf("diff 4→5 fields %v, want only tv.segments[1].script", names)
		}

		// Clearing: an empty object removes a version; null leaves it.
		h.expect(h.do(rep.token, "PATCH", path, rawBody(`{"radio": null, "tv": {"segments": []}}`), "If-Match", `"5"`, "Content-Type", "application/json"), 200, "clear tv").json(t, fresh(&got))
		if got.Radio == nil || got.TV != nil {
			t.Fatalf("after clearing tv: %+v %+v", got.Radio, got.TV)
		}

		// Signing needs the version of every channel the story targets.
		h.expect(h.do(rep.token, "POST", path+"/transitions", map[string]any{"action": "submit"}), 200, "submit")
		h.expect(h.do(ed.token, "POST", path+"/transitions", map[string]any{"action": "claim"}), 200, "claim")
		e := h.expect(h.do(ed.token, "POST", path+"/transitions", map[string]any{"action": "approve"}), 409, "approve without tv").err(t)
		if e.Error.Details["channel"] != "tv" || !strings.Contains(e.Error.Message, "TV version") {
			t.Fatalf("approve without a TV version: %+v", e.Error)
		}
		var cur story.Story
		h.expect(h.do(ed.token, "GET", path, nil), 200, "get").json(t, fresh(&cur))
		h.expect(h.do(ed.token, "PATCH", path, tv(segments...), "If-Match", fmt.Sprintf("%q", fmt.Sprint(cur.Version))), 200, "editor writes tv").json(t, fresh(&cur))
		h.expect(h.do(ed.token, "POST", path+"/transitions", map[string]any{"action": "approve"}), 200, "approve level 1")
		var apps struct {
			Items []story.Approval `json:"items"`
		}
		h.expect(h.do(ed.token, "GET", path+"/approvals", nil), 200, "approvals").json(t, &apps)
		if len(apps.Items) != 1 {
			t.Fatalf("approvals after level 1: %+v", apps.Items)
		}

		// Editing the radio script after a signature voids it, as any edit does.
		h.expect(h.do(ed.token, "GET", path, nil), 200, "get").json(t, fresh(&cur))
		h.expect(h.do(ed.token, "PATCH", path, map[string]any{"radio": map[string]any{"script": "Kính thưa quý vị, bản tin đã sửa."}},
			"If-Match", fmt.Sprintf("%q", fmt.Sprint(cur.Version))), 200, "edit radio after approval")
		h.expect(h.do(ed.token, "GET", path+"/approvals", nil), 200, "approvals").json(t, &apps)
		if len(apps.Items) != 0 {
			t.Fatalf("the level-1 signature survived a radio edit: %+v", apps.Items)
		}
		h.expect(h.do(eic.token, "POST", path+"/transitions", map[string]any{"action": "approve"}), 403, "level 2 before level 1 again")
		h.expect(h.do(ed.token, "POST", path+"/transitions", map[string]any{"action": "approve"}), 200, "re-approve level 1")
		h.expect(h.do(eic.token, "POST", path+"/transitions", map[string]any{"action": "approve"}), 200, "approve level 2").json(t, fresh(&cur))
		if cur.State != "approved" || cur.Radio.Script != "Kính thưa quý vị, bản tin đã sửa." || cur.TV.TotalSeconds != 71 {
			t.Fatalf("approved story: %s %+v %+v", cur.State, cur.Radio, cur.TV)
		}
	}, withPresenters())
}

// TestStoryVersionsRetimed: audio measured after the radio version was saved
// shows in its timing at the next save, even one that does not carry it.
func TestStoryVersionsRetimed(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		db := h.app.DB
		sec := h.section("Xã hội", 1)
		rep := h.user("phongvien", user.RoleReporter)
		audio := mediaAsset(t, db, rep.ID, asset.KindAudio, 0)
		st := h.newStory(rep, map[string]any{"section_id": sec.ID, "headline": "Phát gạo cứu đói",
			"channels": []string{"radio"}, "radio": map[string]any{"script": syllables(16), "audio_asset_id": audio}}).Story
		if st.Radio == nil || st.Radio.AudioSeconds != 0 || st.Radio.ReadSeconds != 6 || st.Radio.TotalSeconds != 6 {
			t.Fatalf("unmeasured audio: %+v", st.Radio)
		}
		repo := store.NewAssetRepository(db)
		a, err := repo.FindAssetByID(context.Background(), audio)
		if err != nil {
			t.Fatal(err)
		}
		if err := repo.SetProbe(context.Background(), a.Key, 30.2, "mp3", 128000); err != nil {
			t.Fatal(err)
		}
		h.expect(h.do(rep.token, "PATCH", "/api/v1/stories/"+st.ID, map[string]any{"headline": "Phát gạo cứu đói dịp Tết"}, "If-Match", `"1"`), 200, "edit headline").json(t, fresh(&st))
		if st.Radio == nil || st.Radio.AudioSeconds != 31 || st.Radio.TotalSeconds != 37 || st.Radio.AudioAssetID != audio {
			t.Fatalf("after measuring: %+v", st.Radio)
		}
	}, withPresenters())
}

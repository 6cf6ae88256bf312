package httpapi_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// bcWorld is a newsroom with a section and its people, watching the
// rundowns' change signals as the desk's live pages do.
type bcWorld struct {
	*harness
	t                                 *testing.T
	sec                               string
	reporter, editor, producer, chief member
	watched                           map[string]<-chan struct{}
}

func newBCWorld(t *testing.T, h *harness) *bcWorld {
	w := &bcWorld{harness: h, t: t, watched: map[string]<-chan struct{}{}}
	w.sec = h.section("Thời sự", 1).ID
	w.reporter = h.user("phongvien", user.RoleReporter, w.sec)
	w.editor = h.user("bientap", user.RoleEditor, w.sec)
	w.producer = h.user("sanxuat", user.RoleProducer)
	w.chief = h.user("tongbientap", user.RoleEditorInChief)
	return w
}

// watch subscribes to a rundown's change signals (app.RundownHub, the
// rundown listener of the desk's live pages); edit then checks that every
// change it makes to the rundown is signalled.
func (w *bcWorld) watch(id string) {
	ch, stop := w.app.RundownHub.Subscribe(id)
	w.t.Cleanup(stop)
	w.watched[id] = ch
}

// signalled fails the test unless the watched rundown's change was signalled.
func (w *bcWorld) signalled(id, what string) {
	w.t.Helper()
	select {
	case <-w.watched[id]:
	case <-time.After(5 * time.Second):
		w.t.Fatalf("%s: no change signal for rundown %s", what, id)
	}
}

// words is a script of n syllables: at the default 160 per minute, 160 read in 60 s.
func words(n int) string { return strings.Repeat("tin ", n) }

// story writes a story as the reporter and takes it to state: draft, approved or published.
func (w *bcWorld) story(headline string, state string, content map[string]any) string {
	w.t.Helper()
	body := map[string]any{"section_id": w.sec, "headline": headline, "body": "<p>Nội dung.</p>"}
	for k, v := range content {
		body[k] = v
	}
	var st storyJSON
	w.expect(w.do(w.reporter.token, "POST", "/api/v1/stories", body), 201, "create "+headline).json(w.t, &st)
	steps := map[string][]string{"draft": nil, "approved": {"submit", "claim", "approve"}, "published": {"submit", "claim", "approve", "publish"}}[state]
	for _, action := range steps {
		m := w.editor
		if action == "submit" {
			m = w.reporter
		}
		w.expect(w.do(m.token, "POST", "/api/v1/stories/"+st.ID+"/transitions", map[string]any{"action": action}), 200, action+" "+headline)
	}
	return st.ID
}

// rundown reads a rundown as the producer.
func (w *bcWorld) rundown(id string) broadcast.RundownView {
	w.t.Helper()
	var v broadcast.RundownView
	r := w.expect(w.do(w.producer.token, "GET", "/api/v1/rundowns/"+id, nil), 200, "get rundown")
	r.json(w.t, &v)
	if r.Header.Get("ETag") != fmt.Sprintf(`"%d"`, v.Version) {
		w.t.Fatalf("rundown ETag %q, version %d", r.Header.Get("ETag"), v.Version)
	}
	return v
}

// edit sends a rundown change as the producer with If-Match and decodes the answer.
func (w *bcWorld) edit(method, path string, version int, body any, status int, what string) broadcast.RundownView {
	w.t.Helper()
	id, _, _ := strings.Cut(strings.TrimPrefix(path, "/api/v1/rundowns/"), "/")
	if ch := w.watched[id]; ch != nil {
		select { // a signal of an earlier change must not stand for this one
		case <-ch:
		default:
		}
	}
	var v broadcast.RundownView
	r := w.expect(w.do(w.producer.token, method, path, body, "If-Match", fmt.Sprintf(`"%d"`, version)), status, what)
	if status < 300 && r.Code != 204 {
		r.json(w.t, &v)
	}
	if status < 300 && w.watched[id] != nil {
		w.signalled(id, what)
	}
	return v
}

func titles(v broadcast.RundownView) []string {
	out := make([]string, len(v.Items))
	for i, it := range v.Items {
		out[i] = it.Title
		if it.Position != i+1 {
			panic(fmt.Sprintf("item %q at index %d has position %d", it.Title, i, it.Position))
		}
	}
	return out
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRundownScenario: a producer builds a radio rundown and a TV rundown
// from stories approved that morning, and the timings add up.
func TestRundownScenario(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		w := newBCWorld(t, h)
		radioA := w.story("Đường về Hưng Yên", "approved", map[string]any{"channels": []string{"web", "radio"}, "radio": map[string]any{"script": words(240)}})
		radioB := w.story("Giá xăng giảm", "approved", map[string]any{"channels": []string{"radio"}, "radio": map[string]any{"script": words(160)}})
		tvA := w.story("Lũ miền Trung", "approved", map[string]any{"channels": []string{"web", "tv"}, "tv": map[string]any{"segments": []map[string]any{
			{"type": "anchor", "script": words(80)}, {"type": "graphic", "duration_seconds": 15}}}})
		tvB := w.story("Khánh thành cầu", "published", map[string]any{"channels": []string{"tv"}, "tv": map[string]any{"segments": []map[string]any{
			{"type": "anchor", "script": words(40)}, {"type": "vo", "script": words(120)}}}})

		// Programmes.
		var radio, tv broadcast.Programme
		r := w.expect(w.do(w.producer.token, "POST", "/api/v1/programmes", map[string]any{"name": "Thời sự sáng", "channel": "radio",
			"schedule": map[string]any{"days": []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, "start": "06:00"}, "planned_seconds": 900,
			"description": "Bản tin buổi sáng", "podcast": map[string]any{"author": "Đài PT-TH", "owner_email": "podcast@example.vn", "category": "News", "explicit": false}}),
			201, "create radio programme")
		r.json(t, &radio)
		if radio.Slug != "thoi-su-sang" || radio.Channel != "radio" || radio.Schedule.Days[0] != "mon" || len(radio.Schedule.Days) != 7 ||
			radio.Podcast.OwnerEmail != "podcast@example.vn" || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("radio programme = %+v (etag %s)", radio, r.Header.Get("ETag"))
		}
		w.expect(w.do(w.producer.token, "POST", "/api/v1/programmes", map[string]any{"name": "Thời sự tối", "channel": "tv",
			"schedule": map[string]any{"days": []string{"mon", "tue", "wed", "thu", "fri"}, "start": "19:00"}, "planned_seconds": 1800}), 201, "create tv programme").json(t, &tv)
		var progs struct{ Items []broadcast.Programme }
		w.expect(w.do(w.editor.token, "GET", "/api/v1/programmes?channel=tv", nil), 200, "editor lists programmes").json(t, &progs)
		if len(progs.Items) != 1 || progs.Items[0].ID != tv.ID {
			t.Fatalf("tv programmes = %+v", progs.Items)
		}

		// The radio rundown of 06:00 (23:00 UTC the day before).
		var v broadcast.RundownView
		r = w.expect(w.do(w.producer.token, "POST", "/api/v1/rundowns", map[string]any{"programme_id": radio.ID, "on_air_at": "2026-11-26T23:00:00Z"}), 201, "create radio rundown")
		r.json(t, &v)
		if v.State != broadcast.Planned || v.Version != 1 || v.PlannedSeconds != 900 || v.Programme.Name != "Thời sự sáng" || len(v.Items) != 0 || v.Timing.OverUnderSeconds != -900 {
			t.Fatalf("new rundown = %+v", v)
		}
		rpath := "/api/v1/rundowns/" + v.ID
		w.watch(v.ID)
		w.expect(w.do(w.producer.token, "POST", "/api/v1/rundowns", map[string]any{"programme_id": radio.ID, "on_air_at": "2026-11-26T23:00:00Z"}), 409, "second rundown at the same time")

		// Stories default to their radio version's length.
		v = w.edit("POST", rpath+"/items", 1, map[string]any{"kind": "story", "story_id": radioA}, 201, "place radio story A")
		if v.Version != 2 || len(v.Items) != 1 || v.Items[0].PlannedSeconds != 90 || v.Items[0].Title != "Đường về Hưng Yên" ||
			v.Items[0].Story == nil || v.Items[0].Story.Radio == nil || v.Items[0].Story.Radio.Script == "" || v.Items[0].Story.TV != nil || v.Items[0].Flag != "" {
			t.Fatalf("after placing A: %+v", v.Items)
		}
		v = w.edit("POST", rpath+"/items", 2, map[string]any{"kind": "story", "story_id": radioB}, 201, "place radio story B")
		if v.Items[1].PlannedSeconds != 60 {
			t.Fatalf("B planned %d, want its radio version's 60 s", v.Items[1].PlannedSeconds)
		}
		v = w.edit("POST", rpath+"/items", 3, map[string]any{"kind": "jingle", "position": 1, "planned_seconds": 10, "notes": "Nhạc hiệu mở đầu"}, 201, "jingle first")
		v = w.edit("POST", rpath+"/items", 4, map[string]any{"kind": "weather", "planned_seconds": 60, "script": "Hà Nội nắng nhẹ."}, 201, "weather")
		v = w.edit("POST", rpath+"/items", 5, map[string]any{"kind": "break", "title": "Quảng cáo giữa giờ", "planned_seconds": 30}, 201, "break")
		if got := titles(v); strings.Join(got, "|") != "Nhạc hiệu|Đường về Hưng Yên|Giá xăng giảm|Thời tiết|Quảng cáo giữa giờ" {
			t.Fatalf("order = %v", got)
		}
		// Duration edit and planned length: 10 + 120 + 95 + 60 + 30 = 315 s against 300 s.
		v = w.edit("PATCH", rpath+"/items/"+v.Items[1].ID, 6, map[string]any{"planned_seconds": 120}, 200, "edit A's duration")
		v = w.edit("PATCH", rpath+"/items/"+v.Items[2].ID, 7, map[string]any{"planned_seconds": 95, "notes": "Đọc chậm"}, 200, "edit B's duration")
		v = w.edit("PATCH", rpath, 8, map[string]any{"planned_seconds": 300}, 200, "shorten the programme")
		v = w.rundown(v.ID)
		if v.Version != 9 || v.Timing.TotalSeconds != 315 || v.Timing.OverUnderSeconds != 15 || v.Timing.PlannedSeconds != 300 ||
			!v.Timing.EndAt.Equal(mustTime(t, "2026-11-26T23:05:15Z")) || !v.Timing.PlannedEndAt.Equal(mustTime(t, "2026-11-26T23:05:00Z")) {
			t.Fatalf("timing = %+v (version %d)", v.Timing, v.Version)
		}
		fronts := []string{"23:00:00", "23:00:10", "23:02:10", "23:03:45", "23:04:45"}
		backs := []string{"22:59:45", "22:59:55", "23:01:55", "23:03:30", "23:04:30"}
		for i, it := range v.Items {
			if it.FrontTime.UTC().Format("15:04:05") != fronts[i] || it.BackTime.UTC().Format("15:04:05") != backs[i] {
				t.Errorf("item %d %q: front %s back %s, want %s %s", i+1, it.Title, it.FrontTime.UTC().Format("15:04:05"), it.BackTime.UTC().Format("15:04:05"), fronts[i], backs[i])
			}
		}
		if v.Items[2].Notes != "Đọc chậm" || v.Items[3].Script != "Hà Nội nắng nhẹ." || v.Items[0].Notes != "Nhạc hiệu mở đầu" {
			t.Fatalf("notes/script lost: %+v", v.Items)
		}

		// Move with If-Match; a stale version changes nothing.
		v = w.edit("PATCH", rpath+"/items/"+v.Items[2].ID, 9, map[string]any{"position": 1}, 200, "move B first")
		if got := strings.Join(titles(v), "|"); got != "Giá xăng giảm|Nhạc hiệu|Đường về Hưng Yên|Thời tiết|Quảng cáo giữa giờ" || v.Version != 10 {
			t.Fatalf("after move: %s (version %d)", got, v.Version)
		}
		e := w.do(w.producer.token, "PATCH", rpath+"/items/"+v.Items[4].ID, map[string]any{"position": 1}, "If-Match", `"9"`)
		if e.Code != 412 || e.err(t).Error.Details["current_version"] != float64(10) {
			t.Fatalf("stale move = %d %s", e.Code, e.Body)
		}
		if e := w.do(w.producer.token, "PATCH", rpath+"/items/"+v.Items[4].ID, map[string]any{"position": 1}); e.Code != 428 || !strings.Contains(e.err(t).Error.Message, "If-Match") {
			t.Fatalf("move without If-Match = %d %s", e.Code, e.Body)
		}
		// Remove.
		v = w.edit("DELETE", rpath+"/items/"+v.Items[3].ID, 10, nil, 200, "remove weather")
		if got := strings.Join(titles(v), "|"); got != "Giá xăng giảm|Nhạc hiệu|Đường về Hưng Yên|Quảng cáo giữa giờ" || v.Timing.TotalSeconds != 255 || v.Timing.OverUnderSeconds != -45 {
			t.Fatalf("after remove: %s total %d", got, v.Timing.TotalSeconds)
		}

		// Two producers reorder at once: one wins, the other gets 412 and nothing of it lands.
		cur := w.rundown(v.ID)
		type result struct {
			code  int
			order string
		}
		results := make([]result, 2)
		var wg sync.WaitGroup
		for i, target := range []string{cur.Items[3].ID, cur.Items[2].ID} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := w.do(w.producer.token, "PATCH", rpath+"/items/"+target, map[string]any{"position": 1}, "If-Match", fmt.Sprintf(`"%d"`, cur.Version))
				results[i].code = r.Code
				if r.Code == 200 {
					var out broadcast.RundownView
					r.json(t, &out)
					results[i].order = strings.Join(titles(out), "|")
				}
			}()
		}
		wg.Wait()
		codes := []int{results[0].code, results[1].code}
		if !(codes[0] == 200 && codes[1] == 412 || codes[0] == 412 && codes[1] == 200) {
			t.Fatalf("concurrent moves answered %v, want one 200 and one 412", codes)
		}
		winner := results[0].order + results[1].order
		after := w.rundown(v.ID)
		if strings.Join(titles(after), "|") != winner || after.Version != cur.Version+1 {
			t.Fatalf("after concurrent moves: %v (version %d), want the winner's %s at version %d", titles(after), after.Version, winner, cur.Version+1)
		}
		v = after

		// A placed story whose radio version changes (published, then corrected) is flagged "changed".
		w.expect(w.do(w.editor.token, "POST", "/api/v1/stories/"+radioB+"/transitions", map[string]any{"action": "publish"}), 200, "publish B")
		if it := w.rundown(v.ID).Items; it[indexOf(titles(v), "Giá xăng giảm")].Flag != "" {
			t.Fatalf("publishing alone flagged the story: %+v", it)
		}
		w.expect(w.do(w.editor.token, "POST", "/api/v1/stories/"+radioB+"/transitions", map[string]any{"action": "correct", "comment": "Sửa giá",
			"changes": map[string]any{"radio": map[string]any{"script": words(320)}}}), 200, "correct B's radio script")
		v = w.rundown(v.ID)
		if it := v.Items[indexOf(titles(v), "Giá xăng giảm")]; it.Flag != broadcast.FlagChanged || it.Story.VersionSeconds != 120 || it.PlannedSeconds != 95 {
			t.Fatalf("changed story: %+v", it)
		}

		// Stories that may not air: a draft, a web-only story, a TV story on radio.
		draft := w.story("Bản nháp chưa duyệt", "draft", map[string]any{"channels": []string{"radio"}, "radio": map[string]any{"script": words(10)}})
		webOnly := w.story("Chỉ đăng báo điện tử", "approved", nil)
		for _, c := range []struct{ id, headline string }{{draft, "Bản nháp chưa duyệt"}, {webOnly, "Chỉ đăng báo điện tử"}, {tvA, "Lũ miền Trung"}} {
			e := w.do(w.producer.token, "POST", rpath+"/items", map[string]any{"kind": "story", "story_id": c.id}, "If-Match", fmt.Sprintf(`"%d"`, v.Version))
			if e.Code != 409 || !strings.Contains(e.err(t).Error.Message, c.headline) {
				t.Fatalf("placing %q = %d %s, want 409 naming it", c.headline, e.Code, e.Body)
			}
		}
		if w.rundown(v.ID).Version != v.Version {
			t.Fatal("a refused placement changed the rundown")
		}

		// A published story placed, then killed: flagged at once, and the rundown cannot go ready with it.
		doomed := w.story("Tin sai sự thật", "published", map[string]any{"channels": []string{"web", "radio"}, "radio": map[string]any{"script": words(16)}})
		v = w.edit("POST", rpath+"/items", v.Version, map[string]any{"kind": "story", "story_id": doomed}, 201, "place the story to be killed")
		doomedItem := v.Items[len(v.Items)-1]
		if doomedItem.PlannedSeconds != 6 || doomedItem.Flag != "" {
			t.Fatalf("placed story = %+v", doomedItem)
		}
		w.expect(w.do(w.editor.token, "POST", "/api/v1/stories/"+doomed+"/transitions", map[string]any{"action": "kill", "comment": "Sai sự thật"}), 200, "kill")
		v = w.rundown(v.ID)
		if it := v.Items[len(v.Items)-1]; it.Flag != broadcast.FlagKilled || !strings.Contains(it.FlagMessage, "gỡ") || it.Story.State != "killed" {
			t.Fatalf("killed story not flagged: %+v", it)
		}
		e = w.do(w.producer.token, "POST", rpath+"/transitions", map[string]any{"to": "ready"}, "If-Match", fmt.Sprintf(`"%d"`, v.Version))
		if e.Code != 409 || !strings.Contains(e.err(t).Error.Message, "Tin sai sự thật") {
			t.Fatalf("ready with a killed story = %d %s", e.Code, e.Body)
		}
		v = w.edit("DELETE", rpath+"/items/"+doomedItem.ID, v.Version, nil, 200, "take the killed story out")

		// States: planned → ready → on_air (locked) → done.
		e = w.do(w.producer.token, "POST", rpath+"/transitions", map[string]any{"to": "done"}, "If-Match", fmt.Sprintf(`"%d"`, v.Version))
		if e.Code != 409 {
			t.Fatalf("planned → done = %d %s", e.Code, e.Body)
		}
		v = w.edit("POST", rpath+"/transitions", v.Version, map[string]any{"to": "ready"}, 200, "ready")
		v = w.edit("POST", rpath+"/transitions", v.Version, map[string]any{"to": "on_air"}, 200, "on air")
		if v.State != broadcast.OnAir {
			t.Fatalf("state %s", v.State)
		}
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", rpath + "/items", map[string]any{"kind": "jingle", "planned_seconds": 5}},
			{"PATCH", rpath + "/items/" + v.Items[0].ID, map[string]any{"position": 2}},
			{"DELETE", rpath + "/items/" + v.Items[0].ID, nil},
			{"PATCH", rpath, map[string]any{"planned_seconds": 600}},
			{"DELETE", rpath, nil},
		} {
			e := w.do(w.producer.token, c.method, c.path, c.body, "If-Match", fmt.Sprintf(`"%d"`, v.Version))
			if e.Code != 409 || !strings.Contains(e.err(t).Error.Message, "locked") && !strings.Contains(e.err(t).Error.Message, "only a planned or ready rundown") {
				t.Fatalf("%s %s on air = %d %s, want 409 locked", c.method, c.path, e.Code, e.Body)
			}
		}
		v = w.edit("POST", rpath+"/transitions", v.Version, map[string]any{"to": "done"}, 200, "done")
		if got := w.rundown(v.ID); got.State != broadcast.Done || len(got.Items) != 4 {
			t.Fatalf("done rundown = %s with %d items", got.State, len(got.Items))
		}

		// The TV rundown: segments, defaults and timings.
		r = w.expect(w.do(w.producer.token, "POST", "/api/v1/rundowns", map[string]any{"programme_id": tv.ID, "on_air_at": "2026-11-27T12:00:00Z", "planned_seconds": 120}), 201, "tv rundown")
		var tvr broadcast.RundownView
		r.json(t, &tvr)
		tpath := "/api/v1/rundowns/" + tvr.ID
		w.watch(tvr.ID)
		tvr = w.edit("POST", tpath+"/items", 1, map[string]any{"kind": "story", "story_id": tvA}, 201, "place TV A")
		tvr = w.edit("POST", tpath+"/items", 2, map[string]any{"kind": "story", "story_id": tvB}, 201, "place TV B")
		tvr = w.edit("POST", tpath+"/items", 3, map[string]any{"kind": "ad", "planned_seconds": 20, "position": 2}, 201, "ad between")
		if strings.Join(titles(tvr), "|") != "Lũ miền Trung|Quảng cáo|Khánh thành cầu" {
			t.Fatalf("tv order %v", titles(tvr))
		}
		a, b := tvr.Items[0], tvr.Items[2]
		if a.PlannedSeconds != 45 || b.PlannedSeconds != 60 || a.Story.TV == nil || len(a.Story.TV.Segments) != 2 || a.Story.TV.Segments[0].Type != "anchor" || a.Story.Radio != nil {
			t.Fatalf("tv items: %+v / %+v", a, b)
		}
		// 45 + 20 + 60 = 125 against 120: 5 s over; back times from 12:02:00.
		if tvr.Timing.TotalSeconds != 125 || tvr.Timing.OverUnderSeconds != 5 ||
			!tvr.Items[1].FrontTime.Equal(mustTime(t, "2026-11-27T12:00:45Z")) || !tvr.Items[1].BackTime.Equal(mustTime(t, "2026-11-27T12:00:40Z")) ||
			!tvr.Items[2].FrontTime.Equal(mustTime(t, "2026-11-27T12:01:05Z")) || !tvr.Items[2].BackTime.Equal(mustTime(t, "2026-11-27T12:01:00Z")) ||
			tvr.Items[0].BackSeconds != -5 {
			t.Fatalf("tv timing %+v items %+v", tvr.Timing, tvr.Items)
		}
		// Listing: both rundowns, bounded by time and by programme, with totals.
		var list struct {
			Items      []broadcast.RundownSummary
			NextCursor string `json:"next_cursor"`
		}
		w.expect(w.do(w.chief.token, "GET", "/api/v1/rundowns?from=2026-11-26T00:00:00Z&to=2026-11-28T00:00:00Z&limit=1", nil), 200, "list").json(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != v.ID || list.NextCursor == "" || list.Items[0].ProgrammeName != "Thời sự sáng" || list.Items[0].ItemCount != 4 {
			t.Fatalf("first page %+v", list)
		}
		w.expect(w.do(w.chief.token, "GET", "/api/v1/rundowns?from=2026-11-26T00:00:00Z&to=2026-11-28T00:00:00Z&limit=1&cursor="+list.NextCursor, nil), 200, "page 2").json(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != tvr.ID || list.NextCursor != "" || list.Items[0].TotalSeconds != 125 || list.Items[0].OverUnderSeconds != 5 {
			t.Fatalf("second page %+v", list)
		}
		w.expect(w.do(w.chief.token, "GET", "/api/v1/rundowns?programme_id="+tv.ID, nil), 200, "by programme").json(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != tvr.ID {
			t.Fatalf("tv programme's rundowns %+v", list)
		}
		// Delete the TV rundown (planned); the desk's live pages hear every
		// change, deletion included (edit checks the signal of each).
		w.edit("DELETE", tpath, tvr.Version, nil, 204, "delete tv rundown")
		w.expect(w.do(w.producer.token, "GET", tpath, nil), 404, "deleted rundown")
		// A programme with rundowns cannot go; one without can.
		if e := w.do(w.producer.token, "DELETE", "/api/v1/programmes/"+radio.ID, nil, "If-Match", `"1"`); e.Code != 409 {
			t.Fatalf("delete programme with rundowns = %d %s", e.Code, e.Body)
		}
		w.expect(w.do(w.adminToken, "DELETE", "/api/v1/programmes/"+tv.ID, nil, "If-Match", `"1"`), 204, "admin deletes the emptied tv programme")

		// Every change is audited.
		var events struct{ Items []map[string]any }
		w.expect(w.do(w.adminToken, "GET", "/api/v1/audit?target_id="+v.ID, nil), 200, "audit").json(t, &events)
		actions := map[string]bool{}
		for _, e := range events.Items {
			actions[e["action"].(string)] = true
		}
		for _, a := range []string{"rundown.create", "rundown.item.insert", "rundown.item.update", "rundown.item.remove", "rundown.update", "rundown.transition.ready", "rundown.transition.on_air", "rundown.transition.done"} {
			if !actions[a] {
				t.Errorf("audit lacks %s: %v", a, actions)
			}
		}
	})
}

// TestRundownBadInputAndPermissions: every refusal names its cause and changes nothing.
func TestRundownBadInputAndPermissions(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		w := newBCWorld(t, h)
		prog := map[string]any{"name": "Thời sự trưa", "channel": "radio", "planned_seconds": 600}

		// Who may do what.
		for _, c := range []struct {
			m                    member
			method, path, reason string
			status               int
		}{
			{w.reporter, "GET", "/api/v1/programmes", "reporter reads programmes", 403},
			{w.reporter, "POST", "/api/v1/programmes", "reporter creates a programme", 403},
			{w.reporter, "GET", "/api/v1/rundowns", "reporter lists rundowns", 403},
			{w.editor, "POST", "/api/v1/programmes", "editor creates a programme", 403},
		} {
			var body any
			if c.method == "POST" {
				body = prog
			}
			e := w.do(c.m.token, c.method, c.path, body)
			if e.Code != c.status || e.err(t).Error.Message == "" {
				t.Fatalf("%s = %d %s", c.reason, e.Code, e.Body)
			}
		}
		if e := w.do(w.reporter.token, "GET", "/api/v1/programmes", nil); !strings.Contains(e.err(t).Error.Message, "reporter role") {
			t.Fatalf("reporter's 403 does not say why: %s", e.Body)
		}
		var p broadcast.Programme
		w.expect(w.do(w.adminToken, "POST", "/api/v1/programmes", prog), 201, "admin creates a programme").json(t, &p)
		w.expect(w.do(w.editor.token, "GET", "/api/v1/programmes/"+p.ID, nil), 200, "editor reads a programme")
		rd := map[string]any{"programme_id": p.ID, "on_air_at": "2026-11-27T05:00:00Z"}
		for _, m := range []member{w.reporter, w.editor, w.chief} {
			if e := w.do(m.token, "POST", "/api/v1/rundowns", rd); e.Code != 403 {
				t.Fatalf("%s creates a rundown = %d %s", m.Username, e.Code, e.Body)
			}
		}
		if e := w.do(w.adminToken, "POST", "/api/v1/rundowns", rd); e.Code != 403 {
			t.Fatalf("admin creates a rundown = %d %s", e.Code, e.Body)
		}

		// Programme input.
		badProg := []struct {
			body  any
			field string
		}{
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": -5}, "planned_seconds"},
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": 86401}, "planned_seconds"},
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": "dài"}, "planned_seconds"},
			{map[string]any{"name": "A", "channel": "web", "planned_seconds": 60}, "channel"},
			{map[string]any{"name": "A", "channel": "radio"}, "planned_seconds"},
			{map[string]any{"name": " ", "channel": "radio", "planned_seconds": 60}, "name"},
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": 60, "schedule": map[string]any{"days": []string{"mon"}, "start": "6h"}}, "schedule.start"},
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": 60, "schedule": map[string]any{"days": []string{"monday"}, "start": "06:00"}}, "schedule.days"},
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": 60, "podcast": map[string]any{"owner_email": "not an email"}}, "podcast.owner_email"},
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": 60, "podcast": map[string]any{"image_asset_id": "7d3c9f2e-0000-4000-8000-000000000001"}}, "podcast.image_asset_id"},
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": 60, "slug": "Có Dấu"}, "slug"},
			{map[string]any{"name": "A", "channel": "radio", "planned_seconds": 60, "colour": "red"}, "colour"},
		}
		for _, c := range badProg {
			e := w.do(w.producer.token, "POST", "/api/v1/programmes", c.body)
			if e.Code != 400 || e.err(t).Error.Details["field"] != c.field {
				t.Errorf("programme %v = %d %s, want 400 naming %s", c.body, e.Code, e.Body, c.field)
			}
		}
		if e := w.do(w.producer.token, "POST", "/api/v1/programmes", map[string]any{"name": "B", "channel": "tv", "planned_seconds": 60, "slug": p.Slug}); e.Code != 409 {
			t.Errorf("taken slug = %d %s", e.Code, e.Body)
		}
		var progs struct{ Items []broadcast.Programme }
		w.expect(w.do(w.producer.token, "GET", "/api/v1/programmes", nil), 200, "list").json(t, &progs)
		if len(progs.Items) != 1 {
			t.Fatalf("refused programmes were stored: %+v", progs.Items)
		}
		ppath := "/api/v1/programmes/" + p.ID
		if e := w.do(w.producer.token, "PATCH", ppath, map[string]any{"name": "Thời sự 12 giờ"}); e.Code != 428 {
			t.Fatalf("programme PATCH without If-Match = %d", e.Code)
		}
		if e := w.do(w.producer.token, "PATCH", ppath, map[string]any{"name": "Thời sự 12 giờ"}, "If-Match", `"7"`); e.Code != 412 {
			t.Fatalf("stale programme PATCH = %d", e.Code)
		}
		w.expect(w.do(w.producer.token, "PATCH", ppath, map[string]any{"name": "Thời sự 12 giờ", "planned_seconds": 900}, "If-Match", `"1"`), 200, "programme PATCH").json(t, &p)
		if p.Name != "Thời sự 12 giờ" || p.PlannedSeconds != 900 || p.Version != 2 || p.Slug != "thoi-su-trua" {
			t.Fatalf("changed programme %+v", p)
		}

		// Rundown input.
		if e := w.do(w.producer.token, "POST", "/api/v1/rundowns", map[string]any{"programme_id": p.ID}); e.Code != 400 || e.err(t).Error.Details["field"] != "on_air_at" {
			t.Fatalf("rundown of an unscheduled programme without on_air_at = %d %s", e.Code, e.Body)
		}
		if e := w.do(w.producer.token, "POST", "/api/v1/rundowns", map[string]any{"programme_id": p.ID, "on_air_at": "tomorrow"}); e.Code != 400 {
			t.Fatalf("on_air_at not a time = %d %s", e.Code, e.Body)
		}
		var v broadcast.RundownView
		w.expect(w.do(w.producer.token, "POST", "/api/v1/rundowns", rd), 201, "rundown").json(t, &v)
		if v.PlannedSeconds != 900 {
			t.Fatalf("planned length %d, want the programme's 900", v.PlannedSeconds)
		}
		rpath := "/api/v1/rundowns/" + v.ID
		v = w.edit("POST", rpath+"/items", 1, map[string]any{"kind": "jingle", "planned_seconds": 10}, 201, "jingle")
		type bad struct {
			method, path string
			body         any
			ifMatch      string
			status       int
			field        string
		}
		item := rpath + "/items/" + v.Items[0].ID
		for _, c := range []bad{
			{"POST", rpath + "/items", map[string]any{"kind": "break", "planned_seconds": -1}, `"2"`, 400, "planned_seconds"},
			{"POST", rpath + "/items", map[string]any{"kind": "break", "planned_seconds": 90000}, `"2"`, 400, "planned_seconds"},
			{"POST", rpath + "/items", map[string]any{"kind": "song", "planned_seconds": 10}, `"2"`, 400, "kind"},
			{"POST", rpath + "/items", map[string]any{"kind": "story"}, `"2"`, 400, "story_id"},
			{"POST", rpath + "/items", map[string]any{"kind": "story", "story_id": "abc"}, `"2"`, 400, "story_id"},
			{"POST", rpath + "/items", map[string]any{"kind": "break", "position": 0}, `"2"`, 400, "position"},
			{"POST", rpath + "/items", map[string]any{"kind": "break", "position": 3}, `"2"`, 400, "position"},
			{"POST", rpath + "/items", map[string]any{"kind": "break", "planned_seconds": 1.5}, `"2"`, 400, "planned_seconds"},
			{"POST", rpath + "/items", rawBody(`{"kind": "break",`), `"2"`, 400, ""},
			{"PATCH", item, map[string]any{"position": "first"}, `"2"`, 400, "position"},
			{"PATCH", item, map[string]any{"position": 2}, `"2"`, 400, "position"},
			{"PATCH", item, map[string]any{"planned_seconds": -30}, `"2"`, 400, "planned_seconds"},
			{"PATCH", item, map[string]any{}, `"2"`, 400, ""},
			{"PATCH", item, map[string]any{"position": 1}, `"abc"`, 412, ""},
			{"PATCH", item, map[string]any{"position": 1}, `W/"2"`, 412, ""},
			{"PATCH", rpath, map[string]any{"planned_seconds": 0}, `"2"`, 400, "planned_seconds"},
			{"PATCH", rpath, map[string]any{"planned_seconds": 100000}, `"2"`, 400, "planned_seconds"},
			{"POST", rpath + "/transitions", map[string]any{"to": "live"}, `"2"`, 400, "to"},
			{"POST", rpath + "/transitions", map[string]any{"to": 3}, `"2"`, 400, "to"},
			{"POST", rpath + "/transitions", map[string]any{"to": "on_air"}, `"2"`, 409, ""},
			{"PATCH", rpath + "/items/7d3c9f2e-0000-4000-8000-000000000001", map[string]any{"position": 1}, `"2"`, 404, ""},
			{"PATCH", rpath + "/items/nope", map[string]any{"position": 1}, `"2"`, 400, "item_id"},
			{"GET", "/api/v1/rundowns/nope", nil, "", 400, "id"},
			{"GET", "/api/v1/rundowns/7d3c9f2e-0000-4000-8000-000000000001", nil, "", 404, ""},
			{"GET", "/api/v1/rundowns?from=yesterday", nil, "", 400, "from"},
			{"GET", "/api/v1/rundowns?programme_id=x", nil, "", 400, "programme_id"},
			{"GET", "/api/v1/rundowns?limit=0", nil, "", 400, "limit"},
			{"GET", "/api/v1/rundowns?cursor=zzz", nil, "", 400, "cursor"},
			{"DELETE", rpath, nil, "", 428, ""},
		} {
			var hdr []string
			if c.ifMatch != "" {
				hdr = []string{"If-Match", c.ifMatch}
			}
			if _, raw := c.body.(rawBody); raw {
				hdr = append(hdr, "Content-Type", "application/json")
			}
			e := w.do(w.producer.token, c.method, c.path, c.body, hdr...)
			if e.Code != c.status {
				t.Errorf("%s %s %v = %d %s, want %d", c.method, c.path, c.body, e.Code, e.Body, c.status)
				continue
			}
			if got := e.err(t); got.Error.Message == "" || c.field != "" && got.Error.Details["field"] != c.field {
				t.Errorf("%s %s %v: %s, want the field %q named", c.method, c.path, c.body, e.Body, c.field)
			}
		}
		if got := w.rundown(v.ID); got.Version != 2 || len(got.Items) != 1 || got.Items[0].PlannedSeconds != 10 || got.PlannedSeconds != 900 || got.State != broadcast.Planned {
			t.Fatalf("refused requests changed the rundown: %+v", got)
		}
	})
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

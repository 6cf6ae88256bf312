package desk_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// bcFixture is a producer, a radio and a TV programme with a rundown each,
// and stories approved for air.
type bcFixture struct {
	producer        user.Actor
	radio, tv       *broadcast.RundownView
	radioStory      *story.Story // approved, radio version
	tvStory         *story.Story // approved, TV version: anchor, SOT, VO
	draftRadioStory *story.Story // not approved
}

const (
	radioScript  = "Sáng nay, tỉnh Hưng Yên khánh thành cây cầu mới bắc qua sông Luộc."
	anchorScript = "Kính chào quý vị, mở đầu bản tin là tin về mùa lúa chín."
	sotScript    = "Lời người nông dân trong băng không phải để đọc."
	voScript     = "Trên những cánh đồng ở Khoái Châu, bà con đang thu hoạch."
)

// approvedStory writes a story with its broadcast versions and takes it through both signatures.
func (e *env) approvedStory(headline string, c story.Content, approve bool) *story.Story {
	e.t.Helper()
	ctx := context.Background()
	body := "<p>Nội dung.</p>"
	c.SectionID, c.Headline, c.Body = &e.section.ID, &headline, &body
	st, err := e.Stories.CreateStory(ctx, e.members["phongvien"], c)
	if err != nil {
		e.t.Fatal(err)
	}
	if !approve {
		return st
	}
	e.transition("phongvien", st.ID, "submit", "")
	e.transition("bientap", st.ID, "claim", "")
	e.transition("bientap", st.ID, "approve", "")
	return e.transition("tongbientap", st.ID, "approve", "")
}

func newBcFixture(t *testing.T, e *env) *bcFixture {
	t.Helper()
	ctx := context.Background()
	f := &bcFixture{producer: e.member("sanxuat", user.RoleProducer, false)}
	radio, tv := []story.Channel{story.ChannelWeb, story.ChannelRadio}, []story.Channel{story.ChannelWeb, story.ChannelTV}
	f.radioStory = e.approvedStory("Khánh thành cầu mới ở Hưng Yên", story.Content{Channels: &radio,
		Radio: &story.RadioVersion{Script: radioScript, Presenter: "Thu Hà"}}, true)
	f.draftRadioStory = e.approvedStory("Bài chưa duyệt", story.Content{Channels: &radio, Radio: &story.RadioVersion{Script: "Chưa duyệt."}}, false)
	f.tvStory = e.approvedStory("Mùa lúa chín", story.Content{Channels: &tv, TV: &story.TVVersion{Segments: []story.TVSegment{
		{Type: story.SegmentAnchor, Script: anchorScript},
		{Type: story.SegmentSOT, Script: sotScript, DurationSeconds: 20},
		{Type: story.SegmentVO, Script: voScript},
	}}}, true)
	prog := func(name, ch string) *broadcast.Programme {
		planned := 600
		p, err := e.Broadcast.CreateProgramme(ctx, f.producer, broadcast.ProgrammeInput{Name: &name, Channel: &ch, PlannedSeconds: &planned,
			Schedule: &broadcast.Schedule{Days: []broadcast.Weekday{"mon", "tue", "wed", "thu", "fri"}, Start: "06:00"}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	onAir := time.Date(2026, 12, 1, 6, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	rundown := func(p *broadcast.Programme) *broadcast.RundownView {
		v, err := e.Broadcast.CreateRundown(ctx, f.producer, broadcast.RundownInput{ProgrammeID: p.ID, OnAirAt: &onAir})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	f.radio, f.tv = rundown(prog("Thời sự sáng", "radio")), rundown(prog("Thời sự tối", "tv"))
	return f
}

func (e *env) rundown(id string) *broadcast.RundownView {
	e.t.Helper()
	v, err := e.Broadcast.FindRundownView(context.Background(), user.System, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// postJSON posts a form as the rundown page's script does (Accept JSON, CSRF header, If-Match).
func (c *client) postScript(path string, form url.Values, csrf string, version int) (page, map[string]any) {
	c.t.Helper()
	p := c.post(path, form, "Accept", "application/json", "X-CSRF-Token", csrf, "If-Match", `"`+strconv.Itoa(version)+`"`)
	var body map[string]any
	_ = json.Unmarshal([]byte(p.Body), &body)
	return p, body
}

func TestRundownPermissionsAndCSRF(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		f := newBcFixture(t, e)
		rd := "/desk/rundowns/" + f.radio.ID

		reporter := e.loggedIn("phongvien")
		for _, path := range []string{"/desk/rundowns", rd, rd + "/prompter", rd + "/script", "/desk/programmes"} {
			p := reporter.get(path)
			expect(t, p, http.StatusForbidden, "reporter GET "+path)
		}
		if strings.Contains(reporter.get("/desk").Body, `href="/desk/rundowns"`) {
			t.Errorf("the reporter's nav links to the rundowns")
		}
		tok := reporter.csrf("/desk")
		p := reporter.post(rd+"/items", url.Values{"csrf_token": {tok}, "version": {"1"}, "kind": {"break"}})
		expect(t, p, http.StatusForbidden, "reporter adds an item")

		editor := e.loggedIn("bientap")
		p = editor.get(rd)
		expect(t, p, http.StatusOK, "editor reads the rundown")
		if strings.Contains(p.Body, `id="add-story-form"`) || strings.Contains(p.Body, `draggable="true"`) {
			t.Errorf("the editor gets the producer's forms")
		}
		p = editor.post(rd+"/items", url.Values{"csrf_token": {editor.csrf("/desk/queue")}, "version": {"1"}, "kind": {"break"}})
		expect(t, p, http.StatusForbidden, "editor adds an item")
		if !strings.Contains(p.Body, "sản xuất") {
			t.Errorf("refusal does not say who may: %.300s", p.Body)
		}

		producer := e.loggedIn("sanxuat")
		if !strings.Contains(producer.get("/desk/queue").Body, `href="/desk/rundowns"`) {
			t.Errorf("the producer's nav lacks the rundowns")
		}
		p = producer.post(rd+"/items", url.Values{"version": {"1"}, "kind": {"break"}})
		expect(t, p, http.StatusForbidden, "producer without CSRF token")
		p = producer.post(rd+"/items/00000000-0000-0000-0000-000000000000", url.Values{"version": {"1"}, "position": {"1"}}, "X-CSRF-Token", "abc")
		expect(t, p, http.StatusForbidden, "move with a wrong CSRF header")
		if v := e.rundown(f.radio.ID); v.Version != 1 || len(v.Items) != 0 {
			t.Fatalf("refused requests changed the rundown: v%d, %d items", v.Version, len(v.Items))
		}
	})
}

func TestRundownEditing(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		f := newBcFixture(t, e)
		rd := "/desk/rundowns/" + f.radio.ID
		c := e.loggedIn("sanxuat")
		tok := c.csrf(rd)

		page0 := c.get(rd)
		expect(t, page0, http.StatusOK, "rundown page")
		if !strings.Contains(page0.Body, f.radioStory.Headline) || strings.Contains(page0.Body, `value="`+f.draftRadioStory.ID+`"`) {
			t.Errorf("the story picker should offer the approved story and not the draft")
		}
		if !strings.Contains(page0.Body, `href="/desk/rundowns/`+f.radio.ID+`/prompter"`) || !strings.Contains(page0.Body, `/script"`) {
			t.Errorf("no prompter or script link")
		}

		// A plain form adds the approved story.
		p := c.post(rd+"/items", url.Values{"csrf_token": {tok}, "version": {"1"}, "kind": {"story"}, "story_id": {f.radioStory.ID}})
		expect(t, p, http.StatusSeeOther, "add the approved story")
		v := e.rundown(f.radio.ID)
		if len(v.Items) != 1 || v.Items[0].StoryID != f.radioStory.ID || v.Items[0].PlannedSeconds != f.radioStory.Radio.TotalSeconds {
			t.Fatalf("after adding: %+v", v.Items)
		}

		// The draft is refused by the domain: 409 naming it, nothing added.
		p = c.post(rd+"/items", url.Values{"csrf_token": {tok}, "version": {"2"}, "kind": {"story"}, "story_id": {f.draftRadioStory.ID}})
		expect(t, p, http.StatusConflict, "add a draft")
		if !strings.Contains(p.Body, "Bài chưa duyệt") || !strings.Contains(p.Body, `role="alert"`) {
			t.Errorf("409 page does not name the story: %.500s", p.Body)
		}
		p, body := c.postScript(rd+"/items", url.Values{"kind": {"story"}, "story_id": {f.draftRadioStory.ID}}, tok, 2)
		expect(t, p, http.StatusConflict, "script adds a draft")
		if msg, _ := body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "Bài chưa duyệt") {
			t.Errorf("409 JSON message %q", msg)
		}

		// The script adds a free item and gets the new live part: timings without a reload.
		p, body = c.postScript(rd+"/items", url.Values{"kind": {"weather"}, "title": {"Thời tiết Bắc Bộ"}, "planned": {"10:30"},
			"script": {"Trời rét, nhiệt độ thấp nhất 12 độ."}}, tok, 2)
		expect(t, p, http.StatusOK, "script adds weather")
		html, _ := body["html"].(string)
		if body["version"].(float64) != 3 || !strings.Contains(html, "Thời tiết Bắc Bộ") || !strings.Contains(html, `id="rd-total"`) {
			t.Fatalf("answer of the insert: %v", body)
		}
		v = e.rundown(f.radio.ID)
		total := v.Items[0].PlannedSeconds + 630
		if !strings.Contains(html, ">"+durText(total)+"<") {
			t.Errorf("live part lacks the total %s", durText(total))
		}
		if !regexp.MustCompile(`id="rd-overunder" class="over"`).MatchString(html) || body["over"] != true {
			t.Errorf("10:30 + the story in a 10:00 programme is not shown over")
		}
		// Front and back times, as an NRCS shows them: the weather starts after the story, the story's back time is 06:00 − over.
		front := time.Date(2026, 12, 1, 6, 0, v.Items[0].PlannedSeconds, 0, time.FixedZone("ICT", 7*3600)).Format("15:04:05")
		if !strings.Contains(html, `<td class="num front">`+front+`</td>`) {
			t.Errorf("weather front time %s missing", front)
		}
		if !strings.Contains(html, `class="num back late"`) {
			t.Errorf("an over-long rundown should mark the back-time late")
		}

		// Move with the current version: the weather goes first.
		weather := v.Items[1].ID
		p, body = c.postScript(rd+"/items/"+weather, url.Values{"position": {"1"}}, tok, 3)
		expect(t, p, http.StatusOK, "move")
		if v = e.rundown(f.radio.ID); v.Items[0].ID != weather || v.Version != 4 {
			t.Fatalf("after the move: v%d first %s", v.Version, v.Items[0].Title)
		}
		// A stale move: 412, the service's message, the fresh rundown for the script, nothing moved.
		p, body = c.postScript(rd+"/items/"+weather, url.Values{"position": {"2"}}, tok, 3)
		expect(t, p, http.StatusPreconditionFailed, "stale move by script")
		if msg, _ := body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "người khác sửa") {
			t.Errorf("412 message %q", msg)
		}
		if body["version"].(float64) != 4 || !strings.Contains(body["html"].(string), "Thời tiết Bắc Bộ") {
			t.Errorf("412 answer lacks the fresh rundown: %v", body["version"])
		}
		p = c.post(rd+"/items/"+weather, url.Values{"csrf_token": {tok}, "version": {"3"}, "position": {"2"}})
		expect(t, p, http.StatusPreconditionFailed, "stale move by form")
		if !strings.Contains(p.Body, "người khác sửa") {
			t.Errorf("412 page lacks the message: %.400s", p.Body)
		}
		// Keyboard fallback (plain form) with the right version, then a duration edit.
		p = c.post(rd+"/items/"+weather, url.Values{"csrf_token": {tok}, "version": {"4"}, "position": {"2"}})
		expect(t, p, http.StatusSeeOther, "move down by form")
		p = c.post(rd+"/items/"+weather, url.Values{"csrf_token": {tok}, "version": {"5"}, "planned": {"abc"}})
		expect(t, p, http.StatusBadRequest, "bad duration")
		if !strings.Contains(p.Body, "abc") {
			t.Errorf("bad duration page does not name the value")
		}
		p = c.post(rd+"/items/"+weather, url.Values{"csrf_token": {tok}, "version": {"5"}, "planned": {"1:30"}})
		expect(t, p, http.StatusSeeOther, "set the duration")
		if v = e.rundown(f.radio.ID); v.Items[1].ID != weather || v.Items[1].PlannedSeconds != 90 || v.Timing.OverUnderSeconds > 0 {
			t.Fatalf("after move and duration: %+v %+v", v.Items, v.Timing)
		}
		// State buttons: ready, back to planned; then remove the weather.
		p = c.post(rd+"/state", url.Values{"csrf_token": {tok}, "version": {"6"}, "to": {"ready"}})
		expect(t, p, http.StatusSeeOther, "mark ready")
		if !strings.Contains(c.get(rd).Body, `id="to-on_air"`) {
			t.Errorf("a ready rundown should offer to go on air")
		}
		p = c.post(rd+"/state", url.Values{"csrf_token": {tok}, "version": {"7"}, "to": {"planned"}})
		expect(t, p, http.StatusSeeOther, "back to planned")
		p = c.post(rd+"/items/"+weather+"/remove", url.Values{"csrf_token": {tok}, "version": {"8"}})
		expect(t, p, http.StatusSeeOther, "remove")
		if v = e.rundown(f.radio.ID); len(v.Items) != 1 || v.State != broadcast.Planned {
			t.Fatalf("after remove: %d items, %s", len(v.Items), v.State)
		}

		// A story killed after it was placed is flagged in the table.
		ctx := context.Background()
		if _, err := e.Stories.Transition(ctx, e.members["tongbientap"], f.radioStory.ID, story.TransitionInput{Action: "publish"}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Stories.Transition(ctx, e.members["tongbientap"], f.radioStory.ID, story.TransitionInput{Action: "kill", Comment: "Sai thông tin"}, nil); err != nil {
			t.Fatal(err)
		}
		if body := c.get(rd).Body; !strings.Contains(body, `class="rd-item flag-killed"`) || !strings.Contains(body, "Bài đã gỡ") {
			t.Errorf("the killed story is not flagged")
		}

		// List page and a new rundown from the form; a bad time is a 400 naming it.
		if body := c.get("/desk/rundowns?date=2026-12-01").Body; !strings.Contains(body, "Thời sự sáng") || !strings.Contains(body, "Thời sự tối") {
			t.Errorf("the list of 01/12/2026 lacks the rundowns")
		}
		p = c.post("/desk/rundowns", url.Values{"csrf_token": {tok}, "programme_id": {f.radio.ProgrammeID}, "on_air_at": {"mai"}})
		expect(t, p, http.StatusBadRequest, "bad on-air time")
		p = c.post("/desk/rundowns", url.Values{"csrf_token": {tok}, "programme_id": {f.radio.ProgrammeID}, "on_air_at": {"2026-12-02T06:00"}, "planned": {"15:00"}})
		expect(t, p, http.StatusSeeOther, "new rundown")
		if loc := p.Header.Get("Location"); !strings.HasPrefix(loc, "/desk/rundowns/") {
			t.Errorf("new rundown goes to %q", loc)
		}
	})
}

func durText(s int) string {
	return strconv.Itoa(s/60) + ":" + strconv.Itoa(s%60/10) + strconv.Itoa(s%10)
}

func TestPrompterAndScript(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		f := newBcFixture(t, e)
		ctx := context.Background()
		script := "Mời quý vị nghe bản tin thời tiết."
		weather := string(broadcast.KindWeather)
		title := "Thời tiết"
		v, err := e.Broadcast.InsertItem(ctx, f.producer, f.tv.ID, broadcast.ItemInput{Kind: "story", StoryID: f.tvStory.ID}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err = e.Broadcast.InsertItem(ctx, f.producer, f.tv.ID, broadcast.ItemInput{Kind: weather, Title: &title, Script: &script}, v.Version); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		c.login("bientap") // the desk reads prompters too
		p := c.get("/desk/rundowns/" + f.tv.ID + "/prompter")
		expect(t, p, http.StatusOK, "prompter")
		ia, iv, iw := strings.Index(p.Body, anchorScript), strings.Index(p.Body, voScript), strings.Index(p.Body, script)
		if ia < 0 || iv < ia || iw < iv {
			t.Errorf("spoken texts not all there in order: anchor %d, vo %d, weather %d", ia, iv, iw)
		}
		if strings.Contains(p.Body, sotScript) {
			t.Errorf("the SOT transcript is shown as text to read")
		}
		if !strings.Contains(p.Body, `<p class="p-cue p-cue-sot">[SOT 0:20]</p>`) {
			t.Errorf("no SOT cue line")
		}
		if !strings.Contains(p.Body, `<p class="p-read">`+anchorScript+`</p>`) || !strings.Contains(p.Body, "1. Mùa lúa chín") {
			t.Errorf("anchor text or slug missing")
		}
		if strings.Contains(p.Body, "<script>") || !strings.Contains(p.Body, "/desk/static/desk/prompter.js") {
			t.Errorf("prompter scripts: inline or missing")
		}
		txt := c.get("/desk/rundowns/" + f.tv.ID + "/prompter/text")
		expect(t, txt, http.StatusOK, "prompter text")
		req, _ := http.NewRequest(http.MethodGet, c.base+"/desk/rundowns/"+f.tv.ID+"/prompter/text", nil)
		req.Header.Set("If-None-Match", txt.Header.Get("ETag"))
		expect(t, c.do(req), http.StatusNotModified, "prompter text unchanged")

		// The radio script: items in order with read times and the presenter.
		v, err = e.Broadcast.InsertItem(ctx, f.producer, f.radio.ID, broadcast.ItemInput{Kind: "story", StoryID: f.radioStory.ID}, 1)
		if err != nil {
			t.Fatal(err)
		}
		brk := "Quảng cáo giữa giờ"
		secs := 60
		if _, err = e.Broadcast.InsertItem(ctx, f.producer, f.radio.ID, broadcast.ItemInput{Kind: "ad", Title: &brk, PlannedSeconds: &secs}, v.Version); err != nil {
			t.Fatal(err)
		}
		p = c.get("/desk/rundowns/" + f.radio.ID + "/script")
		expect(t, p, http.StatusOK, "script")
		read := durText(f.radioStory.Radio.ReadSeconds)
		if f.radioStory.Radio.ReadSeconds == 0 || !strings.Contains(p.Body, `<b class="s-read-time">`+read+`</b>`) {
			t.Errorf("read time %s missing", read)
		}
		i1, i2 := strings.Index(p.Body, radioScript), strings.Index(p.Body, brk)
		if i1 < 0 || i2 < i1 || !strings.Contains(p.Body, "Thu Hà") || !strings.Contains(p.Body, "[Quảng cáo 1:00]") {
			t.Errorf("script items, presenter or cue missing (%d, %d)", i1, i2)
		}
		if !strings.Contains(p.Body, "/desk/static/desk/script.css") {
			t.Errorf("no print stylesheet")
		}
	})
}

func TestRundownEventStream(t *testing.T) {
	e := newEnv(t, "sqlite")
	f := newBcFixture(t, e)
	c := e.loggedIn("sanxuat")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/desk/rundowns/"+f.radio.ID+"/events", nil)
	hc := *c.http
	hc.Timeout = 0
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	wait := func(want string) {
		t.Helper()
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("stream ended before %q", want)
				}
				if l == want {
					return
				}
			case <-ctx.Done():
				t.Fatalf("no %q within the time limit", want)
			}
		}
	}
	wait("event: ready")
	// A change through the page, as a producer makes it.
	p, _ := c.postScript("/desk/rundowns/"+f.radio.ID+"/items", url.Values{"kind": {"jingle"}, "planned": {"5"}}, c.csrf("/desk/queue"), 1)
	expect(t, p, http.StatusOK, "add a jingle")
	wait("event: change")
	// A change of another rundown is not this stream's business; one of this one is.
	v := e.rundown(f.radio.ID)
	if _, err := e.Broadcast.InsertItem(context.Background(), f.producer, f.tv.ID, broadcast.ItemInput{Kind: "break"}, 1); err != nil {
		t.Fatal(err)
	}
	pos := 1
	if _, err := e.Broadcast.InsertItem(context.Background(), f.producer, f.radio.ID, broadcast.ItemInput{Kind: "break", Position: &pos}, v.Version); err != nil {
		t.Fatal(err)
	}
	wait("event: change")
	// Reporters cannot listen.
	r := e.loggedIn("phongvien")
	expect(t, r.get("/desk/rundowns/"+f.radio.ID+"/events"), http.StatusForbidden, "reporter events")
}

func TestStoryBroadcastTabs(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		st := e.draft("Bài có bản phát sóng")
		c := e.loggedIn("phongvien")
		path := "/desk/stories/" + st.ID
		p := c.get(path)
		expect(t, p, http.StatusOK, "editor")
		for _, want := range []string{`id="tab-radio"`, `id="radio-script"`, `name="seg_type"`, `<option value="anchor">Dẫn</option>`, `<option value="graphic">Đồ họa</option>`, "/desk/static/desk/versions.js"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("editor lacks %s", want)
			}
		}
		tok := c.csrf(path)
		// Autosave with the tabs: the server's timings come back.
		in := map[string]any{"section_id": e.section.ID, "headline": st.Headline, "sapo": "", "body": st.Body, "byline": "", "tags": "",
			"channels": []string{"web", "radio", "tv"},
			"radio":    map[string]any{"script": radioScript, "presenter": ""},
			"tv": map[string]any{"segments": []map[string]any{{"type": "anchor", "script": anchorScript},
				{"type": "sot", "script": sotScript, "duration_seconds": 15}}}}
		p = c.autosave(path, tok, `"1"`, in)
		expect(t, p, http.StatusOK, "autosave with versions")
		var out struct {
			Version int                 `json:"version"`
			Radio   *story.RadioVersion `json:"radio"`
			TV      *story.TVVersion    `json:"tv"`
		}
		if err := json.Unmarshal([]byte(p.Body), &out); err != nil {
			t.Fatal(err)
		}
		if out.Radio == nil || out.Radio.ReadSeconds == 0 || out.TV == nil || out.TV.TotalSeconds < 15 {
			t.Fatalf("autosave answer: %s", p.Body)
		}
		cur := e.current(st.ID)
		if cur.Radio == nil || cur.Radio.Script != radioScript || len(cur.TV.Segments) != 2 || cur.TV.Segments[1].DurationSeconds != 15 {
			t.Fatalf("stored versions: %+v %+v", cur.Radio, cur.TV)
		}
		// The same request again is stale: 412, nothing changes.
		expect(t, c.autosave(path, tok, `"1"`, in), http.StatusPreconditionFailed, "stale autosave")
		// A bad segment type answers 400 naming the field.
		in["tv"] = map[string]any{"segments": []map[string]any{{"type": "phong-su", "script": "x"}}}
		p = c.autosave(path, tok, `"`+strconv.Itoa(out.Version)+`"`, in)
		expect(t, p, http.StatusBadRequest, "bad segment type")
		if !strings.Contains(p.Body, "tv.segments[0].type") {
			t.Errorf("400 does not name the field: %s", p.Body)
		}
		// The plain form (no JavaScript) saves the tabs too: a segment row cleared is dropped.
		form := url.Values{"csrf_token": {tok}, "version": {strconv.Itoa(out.Version)}, "headline": {st.Headline}, "section_id": {e.section.ID},
			"body": {st.Body}, "channels": {"web", "tv"}, "versions": {"1"}, "radio_script": {""},
			"seg_type": {"vo", ""}, "seg_script": {voScript, "bỏ"}, "seg_video": {"", ""}, "seg_in": {"", ""}, "seg_out": {"", ""}, "seg_duration": {"", ""}}
		p = c.post(path, form)
		expect(t, p, http.StatusSeeOther, "form save with versions")
		cur = e.current(st.ID)
		if cur.Radio != nil || cur.TV == nil || len(cur.TV.Segments) != 1 || cur.TV.Segments[0].Script != voScript {
			t.Fatalf("after the form save: %+v %+v", cur.Radio, cur.TV)
		}
		// The preview of the saved scripts.
		p = c.get(path + "/broadcast")
		expect(t, p, http.StatusOK, "broadcast preview")
		if !strings.Contains(p.Body, voScript) || !strings.Contains(p.Body, "VO") {
			t.Errorf("preview lacks the VO segment")
		}
	})
}

package main

// The radio and TV outputs issue's "Done when", run against the built binary
// and a real MOS device (@mos-connection/connector under Node.js): stories
// approved this morning with radio and TV versions; a producer builds a radio
// rundown and a TV rundown whose timings add up; the radio rundown airs, gets
// its recording and its podcast feed validates; the teleprompter shows the TV
// scripts; the device logs roCreate with the right stories when the TV
// rundown is marked ready, roReplace after a reorder, and roDelete when the
// rundown is deleted.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsroom-vn/newsroom/internal/broadcast/mos/mosdevice"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// mosDevice is the real MOS device (mosdevice: device.js under Node.js) with
// the ports and IDs the server is configured with.
type mosDevice struct {
	*mosdevice.Device
	ports        mosdevice.Ports
	mosID, ncsID string
}

// startMOSDevice starts the device on free loopback ports.
func startMOSDevice(t *testing.T) *mosDevice {
	t.Helper()
	d := &mosDevice{ports: mosdevice.FreePorts(t), mosID: "PROMPTER.MOS", ncsID: "NEWSROOM"}
	d.Device = mosdevice.Start(t, d.ports, d.mosID, d.ncsID)
	return d
}

// env is the server's MOS settings pointing at the device.
func (d *mosDevice) env() []string {
	p := d.ports
	return []string{"NEWSROOM_MOS_ENABLED=true", "NEWSROOM_MOS_HOST=127.0.0.1",
		fmt.Sprint("NEWSROOM_MOS_LOWER_PORT=", p.MOSLower), fmt.Sprint("NEWSROOM_MOS_UPPER_PORT=", p.MOSUpper),
		"NEWSROOM_MOS_NCS_ID=" + d.ncsID, "NEWSROOM_MOS_MOS_ID=" + d.mosID, "NEWSROOM_MOS_LISTEN_HOST=127.0.0.1",
		fmt.Sprint("NEWSROOM_MOS_NCS_LOWER_PORT=", p.NCSLower), fmt.Sprint("NEWSROOM_MOS_NCS_UPPER_PORT=", p.NCSUpper),
		"NEWSROOM_MOS_HEARTBEAT_INTERVAL=500ms", "NEWSROOM_MOS_REPLY_TIMEOUT=3s",
		"NEWSROOM_MOS_RECONNECT_MIN=50ms", "NEWSROOM_MOS_RECONNECT_MAX=400ms"}
}

// deviceRO is a running order as the device parsed it.
type deviceRO struct {
	ID      string `json:"ID"`
	Slug    string `json:"Slug"`
	Stories []struct {
		ID   string `json:"ID"`
		Slug string `json:"Slug"`
	} `json:"Stories"`
}

func decodeRO(t *testing.T, e mosdevice.Event) deviceRO {
	t.Helper()
	var ro deviceRO
	if err := json.Unmarshal(e.Data, &ro); err != nil {
		t.Fatalf("%s: %v: %s", e.Type, err, e.Data)
	}
	return ro
}

func (ro deviceRO) storyIDs() []string {
	var ids []string
	for _, s := range ro.Stories {
		ids = append(ids, s.ID)
	}
	return ids
}

func coverJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 300))
	for y := range 300 {
		for x := range 300 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts a file to POST /api/v1/assets and returns the asset.
func (c *client) upload(filename, ctype string, data []byte) map[string]any {
	c.t.Helper()
	body, ctypeForm := testutil.MultipartFile(filename, ctype, data, [2]string{"title", filename})
	req, _ := http.NewRequest("POST", c.base+"/api/v1/assets", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctypeForm)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := httpClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		c.t.Fatalf("upload %s: %d %s", filename, resp.StatusCode, raw)
	}
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return out
}

// rundownOf creates the programme's rundown on air at, with the stories of
// ids and then the extra item; it returns the rundown and its path.
func (c *client) rundownOf(prog map[string]any, at time.Time, ids []string, extra map[string]any) (map[string]any, string) {
	c.t.Helper()
	rd := c.must(201, "POST", "/api/v1/rundowns", map[string]any{"programme_id": prog["id"], "on_air_at": at.Format(time.RFC3339)}, nil)
	path := "/api/v1/rundowns/" + rd["id"].(string)
	for _, id := range ids {
		rd = c.must(201, "POST", path+"/items", map[string]any{"kind": "story", "story_id": id}, ifMatch(rd["version"]))
	}
	return c.must(201, "POST", path+"/items", extra, ifMatch(rd["version"])), path
}

func ifMatch(v any) map[string]string {
	return map[string]string{"If-Match": fmt.Sprintf(`"%d"`, int(v.(float64)))}
}

func itemIDs(rundown map[string]any) []string {
	var ids []string
	for _, it := range rundown["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	return ids
}

var deskCSRFRe = regexp.MustCompile(`<meta name="csrf-token" content="([0-9a-f]+)">`)

// deskGet logs in to the desk with its form (cookie session) and reads a page.
func deskGet(t *testing.T, base, username, password, path string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	get := func(p string) (int, string) {
		resp, err := hc.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	_, page := get("/desk/login")
	m := deskCSRFRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("desk login page has no CSRF token:\n%.500s", page)
	}
	resp, err := hc.PostForm(base+"/desk/login", url.Values{"username": {username}, "password": {password}, "csrf_token": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	code, body := get(path)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%.500s", path, code, body)
	}
	return body
}

func TestBroadcastDoneWhen(t *testing.T) {
	t.Parallel()
	dev := startMOSDevice(t)
	env := append(fastEnv(filepath.Join(t.TempDir(), "broadcast.db")), dev.env()...)
	srv := startServer(t, env, "--demo")
	rep, ed, prod := srv.demoLogin(t, "phongvien"), srv.demoLogin(t, "bientap"), srv.demoLogin(t, "sanxuat")

	// This morning's stories, approved with their radio and TV versions.
	secID := ed.sectionID("Xã hội") // one approval level: the editor signs
	type spec struct{ headline, radio, anchor, vo string }
	specs := []spec{
		{"Khánh thành cầu Hưng Hà", "Kính thưa quý vị, sáng nay cầu Hưng Hà chính thức thông xe.",
			"Cầu Hưng Hà nối hai tỉnh đã thông xe sáng nay.", "Cây cầu dài hơn sáu cây số, vốn đầu tư gần sáu nghìn tỷ đồng."},
		{"Giá lúa mùa tăng", "Giá lúa mùa tại các huyện phía nam tỉnh tăng mạnh.",
			"Nông dân phấn khởi vì giá lúa mùa tăng.", "Thương lái thu mua tận ruộng với giá cao hơn năm ngoái."},
	}
	var ids []string
	radioSecs := map[string]float64{}
	for _, s := range specs {
		st := rep.must(201, "POST", "/api/v1/stories", map[string]any{"section_id": secID, "headline": s.headline,
			"body": "<p>Nội dung.</p>", "channels": []string{"web", "radio", "tv"},
			"radio": map[string]any{"script": s.radio},
			"tv": map[string]any{"segments": []map[string]any{{"type": "anchor", "script": s.anchor}, {"type": "vo", "script": s.vo},
				{"type": "graphic", "duration_seconds": 8}}}}, nil)
		id := st["id"].(string)
		steps := []string{"submit", "claim", "approve"}
		if len(ids) == 0 {
			steps = append(steps, "publish") // the first one is on the web too
		}
		for _, action := range steps {
			c := ed
			if action == "submit" {
				c = rep
			}
			c.transition(id, action)
		}
		radioSecs[id] = st["radio"].(map[string]any)["total_seconds"].(float64)
		ids = append(ids, id)
	}

	cover := prod.upload("bia.jpg", "image/jpeg", coverJPEG(t))
	radioProg := prod.must(201, "POST", "/api/v1/programmes", map[string]any{"name": "Thời sự sáng", "channel": "radio",
		"schedule": map[string]any{"days": []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "start": "06:00"}, "planned_seconds": 600,
		"description": "Bản tin sáng của Đài.", "podcast": map[string]any{"author": "Ban Thời sự", "owner_email": "podcast@dai.example.vn",
			"category": "News", "image_asset_id": cover["id"], "explicit": false}}, nil)
	tvProg := prod.must(201, "POST", "/api/v1/programmes", map[string]any{"name": "Thời sự tối", "channel": "tv",
		"schedule": map[string]any{"days": []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "start": "19:00"}, "planned_seconds": 1800}, nil)

	// The radio rundown: two stories and a jingle; the timings add up.
	now := time.Now().In(vntime.Location)
	morning := time.Date(now.Year(), now.Month(), now.Day(), 6, 0, 0, 0, vntime.Location)
	rd, path := prod.rundownOf(radioProg, morning, ids, map[string]any{"kind": "jingle", "planned_seconds": 15})
	timing := rd["timing"].(map[string]any)
	want := radioSecs[ids[0]] + radioSecs[ids[1]] + 15
	if timing["total_seconds"].(float64) != want || timing["over_under_seconds"].(float64) != want-600 {
		t.Fatalf("radio timing %v, want total %v", timing, want)
	}
	if items := rd["items"].([]any); items[1].(map[string]any)["front_time"] == nil || items[2].(map[string]any)["back_time"] == nil {
		t.Fatalf("items without front/back time: %v", items)
	}
	for _, to := range []string{"ready", "on_air"} {
		rd = prod.must(200, "POST", path+"/transitions", map[string]any{"to": to}, ifMatch(rd["version"]))
	}
	// The recording, after air: an audio asset (a photo is refused, naming the field).
	code, body, _ := prod.do("PATCH", path, map[string]any{"recording_asset_id": cover["id"]}, ifMatch(rd["version"]))
	if code != 400 || body["error"].(map[string]any)["details"].(map[string]any)["field"] != "recording_asset_id" {
		t.Fatalf("photo as recording: %d %v", code, body)
	}
	rec := prod.upload("thoi-su-sang.wav", "audio/wav", testutil.SilentWAV())
	rd = prod.must(200, "PATCH", path, map[string]any{"recording_asset_id": rec["id"]}, ifMatch(rd["version"]))
	if rd["recording_asset_id"] != rec["id"] {
		t.Fatalf("recording not attached: %v", rd["recording_asset_id"])
	}
	rd = prod.must(200, "POST", path+"/transitions", map[string]any{"to": "done"}, ifMatch(rd["version"]))

	code, raw := getPublic(t, srv.base+"/podcasts/"+radioProg["slug"].(string)+".xml")
	f, err := gofeed.NewParser().ParseString(string(raw))
	if err != nil || code != 200 {
		t.Fatalf("podcast feed %d does not parse: %v\n%s", code, err, raw)
	}
	it := f.ITunesExt
	if f.Title != "Thời sự sáng" || f.Language != "vi" || f.Link == "" || f.Description == "" || it == nil || it.Author != "Ban Thời sự" ||
		it.Explicit != "false" || it.Image == "" || it.Owner == nil || it.Owner.Email != "podcast@dai.example.vn" || it.Owner.Name == "" ||
		len(it.Categories) != 1 || it.Categories[0].Text != "News" {
		t.Fatalf("podcast channel: %+v itunes %+v", f, it)
	}
	if len(f.Items) != 1 {
		t.Fatalf("%d episodes", len(f.Items))
	}
	ep := f.Items[0]
	if ep.Title != "Thời sự sáng "+morning.Format("02/01/2006") || ep.GUID != "urn:uuid:"+rd["id"].(string) || !strings.HasSuffix(ep.Published, "+0700") ||
		!strings.Contains(ep.Description, specs[0].headline) || len(ep.Enclosures) != 1 || ep.Enclosures[0].URL == "" ||
		ep.Enclosures[0].Length == "" || !strings.HasPrefix(ep.Enclosures[0].Type, "audio/") ||
		ep.ITunesExt == nil || !regexp.MustCompile(`^\d\d:\d\d:\d\d$`).MatchString(ep.ITunesExt.Duration) || ep.ITunesExt.Image == "" {
		t.Fatalf("episode: %+v itunes %+v enclosures %+v", ep, ep.ITunesExt, ep.Enclosures)
	}
	// Its audio is public, like the episode page.
	encl, _ := url.Parse(ep.Enclosures[0].URL)
	for _, p := range []string{encl.Path, "/podcasts/" + radioProg["slug"].(string) + "/" + rd["id"].(string) + ".html"} {
		if code, _ := getPublic(t, srv.base+p); code != 200 {
			t.Fatalf("GET %s (public) = %d", p, code)
		}
	}

	// The TV rundown: the device gets it when it is ready.
	evening := time.Date(now.Year(), now.Month(), now.Day(), 19, 0, 0, 0, vntime.Location)
	tv, tvPath := prod.rundownOf(tvProg, evening, ids, map[string]any{"kind": "break", "planned_seconds": 60})
	if tm := tv["timing"].(map[string]any); tm["total_seconds"].(float64) < 60+2*8 {
		t.Fatalf("tv timing: %v", tm)
	}
	tv = prod.must(200, "POST", tvPath+"/transitions", map[string]any{"to": "ready"}, ifMatch(tv["version"]))
	order := itemIDs(tv)
	created := decodeRO(t, dev.WaitN("roCreate", 1)[0])
	if created.ID != tv["id"] || !slices.Equal(created.storyIDs(), order) || created.Stories[0].Slug != specs[0].headline ||
		created.Stories[1].Slug != specs[1].headline || !strings.HasPrefix(created.Slug, "Thời sự tối ") {
		t.Fatalf("roCreate %+v, want stories %v", created, order)
	}
	var sent []string
	for _, e := range dev.WaitN("roStorySend", 2) {
		sent = append(sent, string(e.Data))
	}
	if all := strings.Join(sent, "\n"); !strings.Contains(all, specs[0].anchor) || !strings.Contains(all, specs[1].vo) {
		t.Fatalf("roStorySend without the scripts:\n%s", all)
	}

	// The teleprompter shows the spoken text, in order.
	prompter := html.UnescapeString(deskGet(t, srv.base, "sanxuat", srv.demoPassword(t, "sanxuat"), "/desk/rundowns/"+tv["id"].(string)+"/prompter"))
	i0, i1 := strings.Index(prompter, specs[0].anchor), strings.Index(prompter, specs[1].vo)
	if i0 < 0 || i1 < 0 || i0 > i1 {
		t.Fatalf("the prompter lacks the scripts in order (%d, %d):\n%.2000s", i0, i1, prompter)
	}

	// A placed story is killed (gỡ bài): the device is told at once, its text gone from the prompter.
	ed.must(200, "POST", "/api/v1/stories/"+ids[0]+"/transitions", map[string]any{"action": "kill", "comment": "Sai sự thật"}, nil)
	killed := decodeRO(t, dev.WaitN("roReplace", 1)[0])
	if !slices.Equal(killed.storyIDs(), order) || !strings.HasPrefix(killed.Stories[0].Slug, "[GỠ") {
		t.Fatalf("roReplace after the kill: %+v", killed)
	}
	blanked := dev.WaitN("roStorySend", 3)[2]
	if strings.Contains(string(blanked.Data), specs[0].anchor) || !strings.Contains(string(blanked.Data), order[0]) {
		t.Fatalf("roStorySend after the kill: %s", blanked.Data)
	}

	// A reorder: the break first; the device gets the whole new order.
	tv = prod.must(200, "GET", tvPath, nil, nil)
	tv = prod.must(200, "PATCH", tvPath+"/items/"+order[2], map[string]any{"position": 1}, ifMatch(tv["version"]))
	replaced := decodeRO(t, dev.WaitN("roReplace", 2)[1])
	if want := []string{order[2], order[0], order[1]}; !slices.Equal(replaced.storyIDs(), want) {
		t.Fatalf("roReplace stories %v, want %v", replaced.storyIDs(), want)
	}

	// Deleted: roDelete of the running order.
	prod.must(204, "DELETE", tvPath, nil, ifMatch(tv["version"]))
	del := dev.WaitN("roDelete", 1)[0]
	var gone struct{ RoID string }
	_ = json.Unmarshal(del.Data, &gone)
	if gone.RoID != tv["id"] {
		t.Fatalf("roDelete of %q, want %v", gone.RoID, tv["id"])
	}
	// The radio rundown never went to the device.
	for _, typ := range []string{"roCreate", "roReplace"} {
		for _, e := range dev.Events(typ) {
			if decodeRO(t, e).ID == rd["id"] {
				t.Fatalf("the radio rundown was sent to the MOS device (%s)", typ)
			}
		}
	}
	srv.stop(t)
}

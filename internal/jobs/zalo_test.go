package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// zaloServer plays the Zalo OA Article API on 127.0.0.1. It checks every
// request (method, path, access_token header, JSON shape) and records the
// problems; verify answers "processing" twice (error -214, then error 0
// without an id) before it gives the article id.
type zaloServer struct {
	*httptest.Server
	token string
	mu    sync.Mutex
	calls []zaloCall
	// failCreates answers the first n create calls with a retryable error.
	failCreates int
	problems    []string
	verifies    map[string]int
	tokenToID   map[string]string
	nextID      int
}

type zaloCall struct {
	path string
	body map[string]any
}

func newZaloServer(t *testing.T, token string) *zaloServer {
	z := &zaloServer{token: token, verifies: map[string]int{}, tokenToID: map[string]string{}}
	z.Server = httptest.NewServer(http.HandlerFunc(z.serve))
	t.Cleanup(z.Close)
	return z
}

func (z *zaloServer) bad(format string, args ...any) {
	z.problems = append(z.problems, fmt.Sprintf(format, args...))
}

func (z *zaloServer) serve(w http.ResponseWriter, r *http.Request) {
	z.mu.Lock()
	defer z.mu.Unlock()
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		z.bad("%s: body is not JSON: %q", r.URL.Path, raw)
	}
	z.calls = append(z.calls, zaloCall{path: r.URL.Path, body: body})
	answer := func(v any) { w.Header().Set("Content-Type", "application/json"); _ = json.NewEncoder(w).Encode(v) }
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		z.bad("%s %s with Content-Type %q, want POST of JSON", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
	}
	if r.Header.Get("access_token") != z.token {
		answer(map[string]any{"error": -216, "message": "Access token is invalid"})
		return
	}
	switch r.URL.Path {
	case "/v2.0/article/create", "/v2.0/article/update":
		z.checkArticle(r.URL.Path, body)
		if r.URL.Path == "/v2.0/article/create" && z.failCreates > 0 {
			z.failCreates--
			answer(map[string]any{"error": -32, "message": "Vượt quá giới hạn gọi API (rate limit)"})
			return
		}
		tok := fmt.Sprintf("tok-%d", len(z.calls))
		if id, ok := body["id"].(string); ok {
			z.tokenToID[tok] = id
		} else {
			z.nextID++
			z.tokenToID[tok] = fmt.Sprintf("art-%d", z.nextID)
		}
		answer(map[string]any{"error": 0, "message": "Success", "data": map[string]any{"token": tok}})
	case "/v2.0/article/verify":
		tok, _ := body["token"].(string)
		id, ok := z.tokenToID[tok]
		if !ok {
			z.bad("verify of unknown token %q", tok)
			answer(map[string]any{"error": -201, "message": "Parameters are invalid"})
			return
		}
		z.verifies[tok]++
		switch z.verifies[tok] {
		case 1:
			answer(map[string]any{"error": -214, "message": "Article is being processed"})
		case 2:
			answer(map[string]any{"error": 0, "message": "Success", "data": map[string]any{}})
		default:
			answer(map[string]any{"error": 0, "message": "Success", "data": map[string]any{"id": id}})
		}
	case "/v2.0/article/remove":
		if _, ok := body["id"].(string); !ok {
			z.bad("remove without id: %v", body)
		}
		answer(map[string]any{"error": 0, "message": "Success"})
	default:
		z.bad("unexpected path %s", r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
	}
}

// checkArticle checks the article JSON of create and update.
func (z *zaloServer) checkArticle(path string, b map[string]any) {
	for _, k := range []string{"title", "author", "description"} {
		if s, _ := b[k].(string); s == "" {
			z.bad("%s: %s missing", path, k)
		}
	}
	if b["type"] != "normal" || b["status"] != "show" || b["comment"] != "show" {
		z.bad("%s: type/status/comment %v/%v/%v", path, b["type"], b["status"], b["comment"])
	}
	cover, _ := b["cover"].(map[string]any)
	if cover["cover_type"] != "photo" || !strings.HasPrefix(fmt.Sprint(cover["photo_url"]), "https://bao.example.vn/media/") || cover["status"] != "show" {
		z.bad("%s: cover %v", path, b["cover"])
	}
	blocks, _ := b["body"].([]any)
	types := []string{}
	for _, x := range blocks {
		bl, _ := x.(map[string]any)
		types = append(types, fmt.Sprint(bl["type"]))
		switch bl["type"] {
		case "text":
			if c := fmt.Sprint(bl["content"]); !strings.HasPrefix(c, "<") || strings.Contains(c, "<script") || strings.Contains(c, "onclick") {
				z.bad("%s: text block %q", path, c)
			}
		case "image":
			if !strings.HasPrefix(fmt.Sprint(bl["url"]), "https://bao.example.vn/") {
				z.bad("%s: image block %v", path, bl)
			}
		default:
			z.bad("%s: block type %v", path, bl["type"])
		}
	}
	if strings.Join(types, ",") != "text,image,text" {
		z.bad("%s: body block types %v, want text,image,text", path, types)
	}
	if path == "/v2.0/article/update" {
		if id, _ := b["id"].(string); id == "" {
			z.bad("update without id")
		}
	}
}

func (z *zaloServer) snapshot() ([]zaloCall, []string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]zaloCall(nil), z.calls...), append([]string(nil), z.problems...)
}

const zaloBody = `<p>Sáng nay cầu mới thông xe.</p><p onclick="alert(1)">Người dân phấn khởi.</p><script>alert(2)</script>` +
	`<figure><img src="/media/2026/cau-moi.jpg" alt="Cầu"><figcaption>Cầu mới lúc bình minh. Ảnh: Minh Anh</figcaption></figure><p>Hết.</p>`

// approvedWith creates a story with this body and tags and takes it to approved.
func (e *env) approvedWith(headline, body string, tags []string) *story.Story {
	e.t.Helper()
	chans := []story.Channel{story.ChannelWeb}
	sapo := "Sapo: " + headline
	return e.approve(story.Content{SectionID: &e.section.ID, Headline: &headline, Sapo: &sapo, Body: &body, Channels: &chans, Tags: &tags})
}

func (e *env) zaloTarget(name, url, token string) *distribution.Target {
	e.t.Helper()
	return e.newTarget("zalo", name, url, token)
}

func targetDelivery(t *testing.T, ds []distribution.Delivery, targetID string) distribution.Delivery {
	t.Helper()
	for _, d := range ds {
		if d.TargetID == targetID {
			return d
		}
	}
	t.Fatalf("no delivery to target %s in %+v", targetID, ds)
	return distribution.Delivery{}
}

// fastZalo polls Zalo's verify call every few milliseconds.
var fastZalo = tuned(func(c *distribution.Config) { c.ZaloVerifyInterval = 5 * time.Millisecond })

func TestZaloPublishCorrectKill(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		z := newZaloServer(t, "oa-access-token")
		tg := e.zaloTarget("Zalo OA Báo Thử", z.URL, "oa-access-token")
		e.start()
		st := e.approvedWith("Thông xe cầu mới", zaloBody, nil)
		st = e.transition(st.ID, "publish", "", nil)
		d := targetDelivery(t, e.waitDelivered(st.ID, st.Version, 2), tg.ID)
		if d.State != distribution.StateDelivered || d.ExternalID != "art-1" || d.LastError != "" {
			t.Fatalf("publish delivery %+v: want delivered with the Zalo article id art-1", d)
		}
		calls, problems := z.snapshot()
		if len(problems) > 0 {
			t.Fatalf("Zalo saw bad requests: %v", problems)
		}
		paths := []string{}
		for _, c := range calls {
			paths = append(paths, c.path)
		}
		if want := "/v2.0/article/create /v2.0/article/verify /v2.0/article/verify /v2.0/article/verify"; strings.Join(paths, " ") != want {
			t.Fatalf("calls %v, want %s", paths, want)
		}
		if calls[0].body["title"] != "Thông xe cầu mới" || calls[0].body["description"] != "Sapo: Thông xe cầu mới" {
			t.Errorf("create sent %v", calls[0].body)
		}
		attempts, err := e.dist.FindAttempts(context.Background(), e.chief, d.ID)
		if err != nil || len(attempts) != 4 || d.Attempts != 4 {
			t.Fatalf("attempts %+v (%v), delivery says %d: want 4 logged (create and 3 verify)", attempts, err, d.Attempts)
		}
		if !strings.Contains(attempts[0].Response, `"token"`) || attempts[0].StatusCode != 200 || !strings.Contains(attempts[3].Response, "art-1") {
			t.Errorf("attempt log %+v", attempts)
		}

		// A correction updates the same article.
		head := "Thông xe cầu mới (đính chính)"
		st = e.transition(st.ID, "correct", "Sửa tiêu đề", &story.Content{Headline: &head})
		d = targetDelivery(t, e.waitDelivered(st.ID, st.Version, 2), tg.ID)
		calls, problems = z.snapshot()
		if d.State != distribution.StateDelivered || d.ExternalID != "art-1" || len(problems) > 0 {
			t.Fatalf("correction delivery %+v, problems %v", d, problems)
		}
		if c := calls[4]; c.path != "/v2.0/article/update" || c.body["id"] != "art-1" || c.body["title"] != head {
			t.Fatalf("correction sent %s %v, want update of art-1 with the new title", c.path, c.body)
		}

		// A kill removes it.
		st = e.transition(st.ID, "kill", "Sai sự thật", nil)
		d = targetDelivery(t, e.waitDelivered(st.ID, st.Version, 2), tg.ID)
		calls, _ = z.snapshot()
		last := calls[len(calls)-1]
		if d.State != distribution.StateDelivered || last.path != "/v2.0/article/remove" || last.body["id"] != "art-1" || d.ExternalID != "art-1" {
			t.Fatalf("kill: delivery %+v, last call %s %v; want remove of art-1", d, last.path, last.body)
		}
		creates := 0
		for _, c := range calls {
			if c.path == "/v2.0/article/create" {
				creates++
			}
		}
		if creates != 1 {
			t.Errorf("%d creates, want 1 (corrections update)", creates)
		}
	}, fastZalo)
}

func TestZaloErrorsRetriedOrDead(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		z := newZaloServer(t, "oa-access-token")
		z.failCreates = 2
		ok := e.zaloTarget("Zalo chập chờn", z.URL, "oa-access-token")
		bad := e.zaloTarget("Zalo sai token", z.URL, "token-cu-da-het-han")
		e.start()
		st := e.approvedWith("Tin bão khẩn cấp", zaloBody, nil)
		st = e.transition(st.ID, "publish", "", nil)
		ds := e.waitDelivered(st.ID, st.Version, 3)
		d := targetDelivery(t, ds, ok.ID)
		if d.State != distribution.StateDelivered || d.ExternalID == "" || d.Attempts != 6 {
			t.Fatalf("delivery %+v: want delivered after 2 failed creates, 1 create and 3 verify", d)
		}
		attempts, _ := e.dist.FindAttempts(context.Background(), e.chief, d.ID)
		for _, a := range attempts[:2] {
			if a.StatusCode != 200 || !strings.Contains(a.Error, "-32") || !strings.Contains(a.Response, "rate limit") {
				t.Errorf("failed attempt %+v: want Zalo's error logged", a)
			}
		}
		dead := targetDelivery(t, ds, bad.ID)
		if dead.State != distribution.StateDead || !strings.Contains(dead.LastError, "-216") || dead.Attempts != 1 {
			t.Fatalf("delivery with a bad token %+v: want dead at once with Zalo's message", dead)
		}
		if _, problems := z.snapshot(); len(problems) > 0 {
			t.Fatalf("Zalo saw bad requests: %v", problems)
		}
	}, fastZalo)
}

func TestZaloTargetValidation(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		s := func(v string) *string { return &v }
		ctx := context.Background()
		_, err := e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Zalo"), Kind: s("zalo")})
		if ae, ok := apperr.As(err); !ok || ae.Details["field"] != "secret" {
			t.Errorf("zalo without a token: %v, want invalid secret", err)
		}
		_, err = e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Zalo"), Kind: s("zalo"), Secret: s("x"), URL: s("http://10.0.0.5")})
		if ae, ok := apperr.As(err); !ok || ae.Details["field"] != "url" {
			t.Errorf("zalo on a private address: %v, want invalid url", err)
		}
		tg, err := e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Zalo"), Kind: s("zalo"), Secret: s("x")})
		if err != nil || tg.URL != distribution.DefaultZaloURL || !tg.HasSecret {
			t.Fatalf("zalo with defaults: %+v, %v", tg, err)
		}
		if _, err := e.dist.UpdateTarget(ctx, e.admin, tg.ID, distribution.TargetInput{Secret: s("")}); !apperr.Is(err, apperr.CodeInvalid) {
			t.Errorf("removing the token of a zalo target: %v, want invalid", err)
		}
		if ts, _ := e.dist.FindTargets(ctx, e.admin); len(ts) != 1 || !ts[0].HasSecret {
			t.Errorf("targets after refusals: %+v", ts)
		}
	})
}

package distribution

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// Zalo Official Account Article API (v2.0), as documented on
// developers.zalo.me ("Article API"): every call is a POST of JSON with the
// OA access token in the access_token header, answered HTTP 200 with
// {"error": 0, "message": "Success", "data": {...}} or a non-zero error.
//   - create: the article (type normal) → data.token; Zalo builds the
//     article asynchronously.
//   - verify {"token"} → data.id, the article id, once Zalo is done.
//   - update: the article again plus its id → a new token, verified alike.
//   - remove {"id"}: deletes the article (what a kill does: a story taken
//     down must not stay on a platform, even hidden).
//
// Assumptions where the documentation we could read is silent, kept in one
// place: while the article is being built, verify answers error -214 ("the
// article is being processed") or error 0 without an id, and both mean "ask
// again"; -201 (invalid parameters), -216 (invalid access token) and -224
// (the OA's plan does not include the Article API) cannot succeed on retry,
// so the delivery is dead with Zalo's message; every other non-zero error is
// retried with the usual backoff.
const (
	// DefaultZaloURL is the Zalo Open API base URL (a zalo target's url).
	DefaultZaloURL = "https://openapi.zalo.me"

	zaloCreatePath = "/v2.0/article/create"
	zaloUpdatePath = "/v2.0/article/update"
	zaloVerifyPath = "/v2.0/article/verify"
	zaloRemovePath = "/v2.0/article/remove"

	zaloErrProcessing = -214
	// zaloTokenPrefix marks, in a delivery's external_id, the token of an
	// article Zalo is still building: stored before polling, so an attempt
	// cut short (timeout, crash) verifies the same token instead of creating
	// the article twice.
	zaloTokenPrefix   = "zalo-token:"
	maxZaloVerifyWait = 10 * time.Second
)

var zaloPermanent = map[int]bool{-201: true, -216: true, -224: true}

// Zalo's limits on article fields (characters).
const (
	ZaloMaxTitle       = 150
	ZaloMaxAuthor      = 50
	ZaloMaxDescription = 300
)

// ZaloArticle is the body of create and update (type normal).
type ZaloArticle struct {
	ID          string      `json:"id,omitempty"`
	Type        string      `json:"type"`
	Title       string      `json:"title"`
	Author      string      `json:"author"`
	Cover       ZaloCover   `json:"cover"`
	Description string      `json:"description"`
	Body        []ZaloBlock `json:"body"`
	Status      string      `json:"status"`
	Comment     string      `json:"comment"`
}

// ZaloCover is an article's cover photo.
type ZaloCover struct {
	CoverType string `json:"cover_type"`
	PhotoURL  string `json:"photo_url"`
	Status    string `json:"status"`
}

// BuildZaloArticle writes a story as a Zalo article: title, author (byline),
// description (sapo, else the start of the text), cover (the featured
// image's large rendition, else the body's first image), the body as blocks,
// shown at once with comments on. Zalo requires a cover: a story without
// any image is refused with a message saying so.
func BuildZaloArticle(a *PublicArticle) (*ZaloArticle, error) {
	blocks := ZaloBlocks(a.BodyHTML, a.BaseURL)
	cover := a.CoverURL
	for _, b := range blocks {
		if cover == "" && b.Type == ZaloImage {
			cover = b.URL
		}
	}
	if cover == "" {
		return nil, apperr.Invalid("distribution.zalo_cover_required")
	}
	desc := strings.TrimSpace(a.Sapo)
	if desc == "" {
		desc = strings.Join(strings.Fields(richtext.PlainText(a.BodyHTML)), " ")
	}
	if desc == "" {
		desc = a.Headline
	}
	author := strings.TrimSpace(a.Author)
	if author == "" {
		author = "Ban biên tập"
	}
	if len(blocks) == 0 {
		blocks = []ZaloBlock{{Type: ZaloText, Content: "<p>" + htmlEscape(desc) + "</p>"}}
	}
	return &ZaloArticle{Type: "normal", Title: truncateRunes(a.Headline, ZaloMaxTitle), Author: truncateRunes(author, ZaloMaxAuthor),
		Cover: ZaloCover{CoverType: "photo", PhotoURL: cover, Status: "show"}, Description: truncateRunes(desc, ZaloMaxDescription),
		Body: blocks, Status: "show", Comment: "show"}, nil
}

func htmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&#34;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// zaloAnswer is Zalo's envelope.
type zaloAnswer struct {
	Error   int             `json:"error"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// field reads data.<name> as a string (Zalo ids are strings; numbers are
// accepted too).
func (a *zaloAnswer) field(names ...string) string {
	var m map[string]any
	if json.Unmarshal(a.Data, &m) != nil {
		return ""
	}
	for _, n := range names {
		switch v := m[n].(type) {
		case string:
			if v != "" {
				return v
			}
		case float64:
			return fmt.Sprintf("%.0f", v)
		}
	}
	return ""
}

type zaloOutcome int

const (
	zaloOK zaloOutcome = iota
	zaloProcessing
	zaloRetry
	zaloDead
)

// zaloCall makes one call to the Zalo API; the attempt describes it (not
// yet logged).
func (s *Service) zaloCall(ctx context.Context, t *Target, accessToken, path string, body any) (*zaloAnswer, *Attempt, zaloOutcome) {
	at := &Attempt{}
	payload, err := json.Marshal(body)
	if err != nil {
		at.At, at.Error = s.now(), err.Error()
		return nil, at, zaloDead
	}
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(t.URL, "/")+path, bytes.NewReader(payload))
	if err != nil {
		at.At, at.Error = s.now(), err.Error()
		return nil, at, zaloDead
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "newsroom-distribution/1")
	req.Header.Set("access_token", accessToken)
	resp, err := s.client(time.Duration(t.TimeoutSeconds) * time.Second).Do(req)
	at.At, at.LatencyMS = s.now(), int(time.Since(start).Milliseconds())
	if err != nil {
		at.Error = path + ": " + err.Error()
		return nil, at, zaloRetry
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	head := raw
	if len(head) > ResponseLogBytes {
		head = head[:ResponseLogBytes]
	}
	at.StatusCode, at.Response = resp.StatusCode, strings.ToValidUTF8(string(head), "")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		at.Error = path + ": HTTP " + resp.Status
		return nil, at, zaloRetry
	}
	var ans zaloAnswer
	if err := json.Unmarshal(raw, &ans); err != nil {
		at.Error = path + ": câu trả lời không phải JSON của Zalo (the answer is not Zalo's JSON)"
		return nil, at, zaloRetry
	}
	switch {
	case ans.Error == 0:
		return &ans, at, zaloOK
	case ans.Error == zaloErrProcessing:
		return &ans, at, zaloProcessing
	}
	at.Error = fmt.Sprintf("%s: Zalo error %d: %s", path, ans.Error, ans.Message)
	if zaloPermanent[ans.Error] {
		return &ans, at, zaloDead
	}
	return &ans, at, zaloRetry
}

// logAttempt logs a call that did not fail the delivery.
func (s *Service) logAttempt(ctx context.Context, d *Delivery, at *Attempt) error {
	d.Attempts++
	at.DeliveryID = d.ID
	return s.repo.CreateAttempt(ctx, at)
}

// zaloDeadEnd logs the attempt and ends the delivery dead with its error.
func (s *Service) zaloDeadEnd(ctx context.Context, d *Delivery, t *Target, at *Attempt) (time.Duration, error) {
	if err := s.logAttempt(ctx, d, at); err != nil {
		return 0, err
	}
	s.log.Warn("delivery dead", "delivery", d.ID, "target", t.Name, "attempts", d.Attempts, "err", at.Error)
	return 0, s.finish(ctx, d, t, StateDead, at.Error)
}

// zaloPrevious finds the Zalo article of the story on this target: this
// delivery's own (a manual redelivery) or the latest earlier revision's. It
// reports waiting when an earlier revision's delivery is still under way,
// so that a correction or kill never overtakes the create it must follow.
func (s *Service) zaloPrevious(ctx context.Context, d *Delivery) (id string, waiting bool, err error) {
	if d.ExternalID != "" && !strings.HasPrefix(d.ExternalID, zaloTokenPrefix) {
		return d.ExternalID, false, nil
	}
	all, err := s.repo.FindDeliveriesByStory(ctx, d.StoryID)
	if err != nil {
		return "", false, err
	}
	for _, x := range all {
		if x.TargetID != d.TargetID || x.StoryVersion >= d.StoryVersion {
			continue
		}
		if x.State == StatePending || x.State == StateRetrying {
			waiting = true
		}
		if x.ExternalID != "" && !strings.HasPrefix(x.ExternalID, zaloTokenPrefix) {
			id = x.ExternalID
		}
	}
	return id, waiting, nil
}

// sendZalo makes one attempt at a delivery to a Zalo OA: create (or, when
// the story already has an article there, update) and verify until Zalo
// gives the article id, stored as the delivery's external id; a kill
// removes the article.
func (s *Service) sendZalo(ctx context.Context, d *Delivery, t *Target) (time.Duration, error) {
	src, ok := s.render.(ArticleSource)
	if !ok {
		return 0, s.finish(ctx, d, t, StateDead, "Máy chủ không dựng được bài cho Zalo (no article source is wired for Zalo targets)")
	}
	if t.SecretEnc == "" {
		return 0, s.finish(ctx, d, t, StateDead, "Đích Zalo chưa có access token trong secret (the zalo target has no access token)")
	}
	if s.cfg.SecretKey == nil {
		return s.failed(ctx, d, t, &Attempt{Error: "distribution.secret_key is not configured: cannot open the Zalo access token"})
	}
	accessToken, err := s.cfg.SecretKey.Open(t.SecretEnc)
	if err != nil {
		return s.failed(ctx, d, t, &Attempt{Error: err.Error()})
	}
	release, err := s.acquire(ctx, t)
	if err != nil {
		return 0, err
	}
	defer release()

	if token, ok := strings.CutPrefix(d.ExternalID, zaloTokenPrefix); ok {
		prev, _, err := s.zaloPrevious(ctx, &Delivery{ID: d.ID, StoryID: d.StoryID, StoryVersion: d.StoryVersion, TargetID: d.TargetID})
		if err != nil {
			return 0, err
		}
		return s.zaloVerify(ctx, d, t, accessToken, token, prev)
	}
	prev, waiting, err := s.zaloPrevious(ctx, d)
	if err != nil {
		return 0, err
	}
	if waiting {
		// Not an attempt: nothing was sent. Look again after a short wait.
		return s.Backoff(1), fmt.Errorf("distribution: deliver %s to %s: an earlier revision is still being delivered: %w", d.ID, t.Name, ErrRetryLater)
	}

	if d.Action == workflow.Kill {
		if prev == "" {
			if err := s.logAttempt(ctx, d, &Attempt{At: s.now(), Response: "Không có bài nào trên Zalo để gỡ (no Zalo article to remove)"}); err != nil {
				return 0, err
			}
			return 0, s.finish(ctx, d, t, StateDelivered, "")
		}
		_, at, out := s.zaloCall(ctx, t, accessToken, zaloRemovePath, map[string]string{"id": prev})
		switch out {
		case zaloOK:
			if err := s.logAttempt(ctx, d, at); err != nil {
				return 0, err
			}
			d.ExternalID, d.LastError = prev, ""
			return 0, s.finish(ctx, d, t, StateDelivered, "")
		case zaloDead:
			return s.zaloDeadEnd(ctx, d, t, at)
		}
		return s.failed(ctx, d, t, at)
	}

	art, err := src.PublicArticle(ctx, d.StoryID)
	if apperr.Is(err, apperr.CodeNotFound) {
		return 0, s.finish(ctx, d, t, StateDead, "Bài không còn công khai (story is no longer public)")
	}
	if err != nil {
		return 0, err
	}
	if art.Killed {
		return 0, s.finish(ctx, d, t, StateDead, "Bài đã bị gỡ trước khi kịp gửi lên Zalo (the story was killed before it reached Zalo)")
	}
	za, err := BuildZaloArticle(art)
	if err != nil {
		return 0, s.finish(ctx, d, t, StateDead, err.Error())
	}
	path := zaloCreatePath
	if prev != "" {
		za.ID, path = prev, zaloUpdatePath
	}
	ans, at, out := s.zaloCall(ctx, t, accessToken, path, za)
	switch out {
	case zaloDead:
		return s.zaloDeadEnd(ctx, d, t, at)
	case zaloRetry, zaloProcessing:
		if out == zaloProcessing {
			at.Error = fmt.Sprintf("%s: Zalo error %d: %s", path, ans.Error, ans.Message)
		}
		return s.failed(ctx, d, t, at)
	}
	token := ans.field("token")
	if token == "" {
		if prev != "" {
			// An update answered without a token: nothing to verify.
			if err := s.logAttempt(ctx, d, at); err != nil {
				return 0, err
			}
			d.ExternalID, d.LastError = prev, ""
			return 0, s.finish(ctx, d, t, StateDelivered, "")
		}
		at.Error = path + ": Zalo không trả token (Zalo answered no token)"
		return s.failed(ctx, d, t, at)
	}
	if err := s.logAttempt(ctx, d, at); err != nil {
		return 0, err
	}
	d.ExternalID, d.UpdatedAt = zaloTokenPrefix+token, s.now()
	if err := s.repo.UpdateDelivery(ctx, d); err != nil {
		return 0, err
	}
	return s.zaloVerify(ctx, d, t, accessToken, token, prev)
}

// zaloVerify polls verify with a growing wait, up to ZaloVerifyTimeout;
// still processing then, the delivery is retried later from this step.
func (s *Service) zaloVerify(ctx context.Context, d *Delivery, t *Target, accessToken, token, prev string) (time.Duration, error) {
	deadline := time.Now().Add(s.cfg.ZaloVerifyTimeout)
	wait := s.cfg.ZaloVerifyInterval
	for {
		ans, at, out := s.zaloCall(ctx, t, accessToken, zaloVerifyPath, map[string]string{"token": token})
		switch out {
		case zaloOK:
			if id := ans.field("id", "article_id"); id != "" {
				if err := s.logAttempt(ctx, d, at); err != nil {
					return 0, err
				}
				d.ExternalID, d.LastError = id, ""
				return 0, s.finish(ctx, d, t, StateDelivered, "")
			}
		case zaloDead:
			// Start over (create, or update prev) on a manual redelivery.
			d.ExternalID = prev
			return s.zaloDeadEnd(ctx, d, t, at)
		case zaloRetry:
			return s.failed(ctx, d, t, at)
		}
		// Still processing.
		if time.Now().Add(wait).After(deadline) {
			at.Error = fmt.Sprintf("%s: Zalo vẫn đang xử lý bài sau %s; sẽ hỏi lại (Zalo is still processing the article; verifying again later)", zaloVerifyPath, s.cfg.ZaloVerifyTimeout)
			return s.failed(ctx, d, t, at)
		}
		if err := s.logAttempt(ctx, d, at); err != nil {
			return 0, err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		wait = min(wait*2, maxZaloVerifyWait)
	}
}

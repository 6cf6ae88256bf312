package desk

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/assets"
	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// TestErrorMessages checks the desk's side of respond.Classify: statuses are
// the shared mapping; what the desk itself knows is said from its catalogue,
// a service's message as it is.
func TestErrorMessages(t *testing.T) {
	cat, err := loadCatalogues(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{cat: cat}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/desk/x", nil)
	svcTooLarge := apperr.TooLarge("Tệp quá lớn (file too large)").WithDetails(map[string]any{"limit": int64(10)})
	cases := []struct {
		err    error
		status int
		msg    string
	}{
		{&http.MaxBytesError{Limit: 10}, 413, cat["vi"].T("error.too_large", int64(10))},
		{svcTooLarge, 413, "Tệp quá lớn (file too large)"},
		{fmt.Errorf("story: x: %w", apperr.Conflict("đã khóa (locked)")), 409, "đã khóa (locked)"},
		{errors.New("boom"), 500, cat["vi"].T("error.internal")},
		{fmt.Errorf("store: find story: %w", driver.ErrBadConn), 503, cat["vi"].T("error.unavailable")},
	}
	for _, tc := range cases {
		if status, msg := h.explain(c, tc.err); status != tc.status || msg != tc.msg {
			t.Errorf("%v: %d %q, want %d %q", tc.err, status, msg, tc.status, tc.msg)
		}
	}
}

// TestRequireGuard checks that an optional service's route group answers in
// the reader's language, as JSON for the desk's scripts, without calling the handler.
func TestRequireGuard(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	cat, err := loadCatalogues(assets.FS)
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{cat: cat}
	r := gin.New()
	g := h.routes(r.Group("/desk", answerJSON, h.errs().Require(false, apperr.Unavailable("desk.assets_unavailable"))))
	g.POST("/assets/:id", func(c *gin.Context) error { c.String(http.StatusOK, "ran"); return nil })
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/desk/assets/1", nil)
	req.AddCookie(&http.Cookie{Name: langCookie, Value: "en"})
	r.ServeHTTP(w, req)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), cat["en"].T("error.no_assets")) || strings.Contains(w.Body.String(), "ran") {
		t.Errorf("guard: %d %s", w.Code, w.Body)
	}
}

package httpapi_test

import (
	"testing"

	"github.com/newsroom-vn/newsroom/internal/store"
)

// TestAnswerLanguage: error messages are English by default and Vietnamese
// when Accept-Language prefers it, for a domain service's error (a refused
// login) and for the server's own (an unknown route).
func TestAnswerLanguage(t *testing.T) {
	h := newHarness(t, store.DialectSQLite)
	badLogin := map[string]string{"username": "quantri", "password": "sai-mật-khẩu"}
	for _, c := range []struct {
		name, method, path string
		body               any
		status             int
		code               string
		lang               []string // Accept-Language, if any
		want               string
	}{
		{"service, no header", "POST", "/api/v1/auth/login", badLogin, 401, "invalid_credentials", nil, "wrong username or password"},
		{"service, English", "POST", "/api/v1/auth/login", badLogin, 401, "invalid_credentials", []string{"Accept-Language", "en-US,en;q=0.9"}, "wrong username or password"},
		{"service, Vietnamese", "POST", "/api/v1/auth/login", badLogin, 401, "invalid_credentials", []string{"Accept-Language", "vi"}, "Sai tên đăng nhập hoặc mật khẩu"},
		{"service, Vietnamese preferred", "POST", "/api/v1/auth/login", badLogin, 401, "invalid_credentials", []string{"Accept-Language", "en;q=0.5, vi-VN"}, "Sai tên đăng nhập hoặc mật khẩu"},
		{"server, no header", "GET", "/api/v1/nothing", nil, 404, "route_not_found", nil, "no such route"},
		{"server, Vietnamese", "GET", "/api/v1/nothing", nil, 404, "route_not_found", []string{"Accept-Language", "vi"}, "Không có địa chỉ này"},
		{"server, other language", "GET", "/api/v1/nothing", nil, 404, "route_not_found", []string{"Accept-Language", "fr"}, "no such route"},
	} {
		r := h.do("", c.method, c.path, c.body, c.lang...)
		e := r.err(t)
		if r.Code != c.status || e.Error.Code != c.code || e.Error.Message != c.want {
			t.Errorf("%s: %d %q %q, want %d %q %q", c.name, r.Code, e.Error.Code, e.Error.Message, c.status, c.code, c.want)
		}
	}
}

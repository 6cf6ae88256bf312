package desk_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// has fails the test unless the page contains every string.
func has(t testing.TB, p page, what string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(p.Body, w) {
			i := strings.Index(p.Body, "<main")
			t.Fatalf("%s: page lacks %q: %.3000s", what, w, p.Body[max(i, 0):])
		}
	}
}

var secretRe = regexp.MustCompile(`id="secret-value" class="secret" value="([^"]+)"`)

func secretOf(t testing.TB, p page) string {
	t.Helper()
	m := secretRe.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no secret on the page: %.1500s", p.Body)
	}
	return m[1]
}

func TestAdminScreensAreAdminOnly(t *testing.T) {
	e := newEnv(t, "sqlite")
	ed := e.loggedIn("thuky")
	for _, path := range []string{"/desk/admin/users", "/desk/admin/sections", "/desk/admin/keys", "/desk/admin/targets"} {
		p := ed.get(path)
		expect(t, p, http.StatusForbidden, "managing editor GET "+path)
		has(t, p, path, "Chỉ quản trị viên", `role="alert"`)
	}
	tok := ed.csrf("/desk/queue")
	for path, form := range map[string]url.Values{
		"/desk/admin/users":    {"username": {"lenlut"}, "role": {"admin"}},
		"/desk/admin/sections": {"name": {"Lén lút"}, "approval_levels": {"1"}, "level1": {"editor"}},
		"/desk/admin/keys":     {"name": {"Lén lút"}},
		"/desk/admin/targets":  {"name": {"Lén lút"}, "kind": {"webhook"}, "url": {"https://lenlut.example/hook"}},
	} {
		form.Set("csrf_token", tok)
		expect(t, ed.post(path, form), http.StatusForbidden, "managing editor POST "+path)
	}
	if _, err := e.Users.FindUserByUsername(t.Context(), "lenlut"); err == nil {
		t.Fatal("a managing editor created an account")
	}
	secs, _ := e.Stories.FindSections(t.Context())
	keys, _ := e.Partners.FindKeys(t.Context(), e.members["quantri"])
	targets, _ := e.Distribution.FindTargets(t.Context(), e.members["quantri"])
	if len(secs) != 1 || len(keys) != 0 || len(targets) != 0 {
		t.Fatalf("refused posts changed data: %d sections, %d keys, %d targets", len(secs), len(keys), len(targets))
	}
	// The nav shows the admin link to admins only.
	if strings.Contains(ed.get("/desk/queue").Body, `href="/desk/admin/users"`) {
		t.Error("the managing editor's nav links to the admin pages")
	}
	ad := e.loggedIn("quantri")
	has(t, ad.get("/desk/queue"), "admin nav", `href="/desk/admin/users"`)
	// axe-core is test data of this package (testdata/axe-core): not in the binary, never served.
	for _, p := range []string{"/desk/static/vendor/axe-core/axe.min.js", "/desk/static/vendor//axe-core/axe.min.js", "/desk/static/desk/../vendor/axe-core/LICENSE"} {
		if got := ad.get(p); got.Code == http.StatusOK {
			t.Errorf("%s is served", p)
		}
	}
	expect(t, ad.get("/desk/static/vendor/trix/trix.css"), http.StatusOK, "trix still served")
}

func TestAdminUsers(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ad := e.loggedIn("quantri")
		p := ad.get("/desk/admin/users")
		expect(t, p, http.StatusOK, "users page")
		has(t, p, "users page", "phongvien", "Phóng viên", "Tổng biên tập", `name="csrf_token"`)
		tok := ad.csrf("/desk/admin/users")

		// Without the token nothing happens.
		expect(t, ad.post("/desk/admin/users", url.Values{"username": {"phongvien2"}, "role": {"reporter"}}), http.StatusForbidden, "create without CSRF")
		// Create: a one-time password, shown once; the account must change it.
		p = ad.post("/desk/admin/users", url.Values{"username": {"phongvien2"}, "display_name": {"Lê Thị Hoa"}, "role": {"reporter"},
			"section_ids": {e.section.ID}, "csrf_token": {tok}})
		expect(t, p, http.StatusOK, "create user")
		has(t, p, "created", "Mật khẩu dùng một lần của phongvien2")
		otp := secretOf(t, p)
		u, err := e.Users.FindUserByUsername(t.Context(), "phongvien2")
		if err != nil || u.Role != user.RoleReporter || !u.MustChangePassword || len(u.SectionIDs) != 1 || u.DisplayName != "Lê Thị Hoa" {
			t.Fatalf("created account: %+v %v", u, err)
		}
		nc := e.client()
		lt := nc.csrf("/desk/login")
		lp := nc.post("/desk/login", url.Values{"username": {"phongvien2"}, "password": {otp}, "csrf_token": {lt}})
		if lp.Code != http.StatusSeeOther || lp.Header.Get("Location") != "/desk/password" {
			t.Fatalf("login with the one-time password: %d %q", lp.Code, lp.Header.Get("Location"))
		}

		// A taken username: 409, the form keeps what was typed, nothing changes.
		p = ad.post("/desk/admin/users", url.Values{"username": {"phongvien2"}, "display_name": {"Người Trùng Tên"}, "role": {"editor"}, "csrf_token": {tok}})
		expect(t, p, http.StatusConflict, "duplicate username")
		has(t, p, "duplicate", "đã tồn tại", `value="Người Trùng Tên"`)
		p = ad.post("/desk/admin/users", url.Values{"username": {"X Y"}, "role": {"reporter"}, "csrf_token": {tok}})
		expect(t, p, http.StatusBadRequest, "bad username")
		has(t, p, "bad username", "Tên đăng nhập không hợp lệ")
		if u2, _ := e.Users.FindUserByUsername(t.Context(), "phongvien2"); u2.DisplayName != "Lê Thị Hoa" || u2.Role != user.RoleReporter {
			t.Fatalf("refused create changed the account: %+v", u2)
		}

		// Change role and sections.
		p = ad.post("/desk/admin/users/"+u.ID, url.Values{"role": {"editor"}, "display_name": {"Lê Thị Hoa"}, "csrf_token": {tok}})
		expect(t, p, http.StatusSeeOther, "change role")
		if u2, _ := e.Users.FindUserByUsername(t.Context(), "phongvien2"); u2.Role != user.RoleEditor || len(u2.SectionIDs) != 0 {
			t.Fatalf("after role change: %+v", u2)
		}
		p = ad.post("/desk/admin/users/"+u.ID, url.Values{"role": {"chief"}, "csrf_token": {tok}})
		expect(t, p, http.StatusBadRequest, "unknown role")
		// The desk speaks Vietnamese first; the same refusal on the English desk is in English.
		has(t, p, "unknown role", "Vai trò &#34;chief&#34; không hợp lệ")
		expect(t, ad.get("/desk/lang/en?next=/desk"), http.StatusSeeOther, "switch to English")
		p = ad.post("/desk/admin/users/"+u.ID, url.Values{"role": {"chief"}, "csrf_token": {tok}})
		has(t, p, "unknown role (en)", "unknown role &#34;chief&#34;")
		if strings.Contains(p.Body, "không hợp lệ") {
			t.Error("the English desk shows the Vietnamese message")
		}
		expect(t, ad.get("/desk/lang/vi?next=/desk"), http.StatusSeeOther, "switch back to Vietnamese")
		// An admin cannot demote themself.
		p = ad.post("/desk/admin/users/"+e.members["quantri"].UserID, url.Values{"role": {"editor"}, "csrf_token": {tok}})
		expect(t, p, http.StatusConflict, "self demotion")

		// Lock and unlock.
		expect(t, ad.post("/desk/admin/users/"+u.ID+"/lock", url.Values{"locked": {"1"}, "csrf_token": {tok}}), http.StatusSeeOther, "lock")
		if u2, _ := e.Users.FindUserByUsername(t.Context(), "phongvien2"); !u2.Locked() {
			t.Fatal("not locked")
		}
		has(t, ad.get("/desk/admin/users?ok=locked"), "locked list", "Đã khóa tài khoản.", `id="unlock-phongvien2"`)
		expect(t, ad.post("/desk/admin/users/"+u.ID+"/lock", url.Values{"locked": {"maybe"}, "csrf_token": {tok}}), http.StatusBadRequest, "bad lock value")
		expect(t, ad.post("/desk/admin/users/"+u.ID+"/lock", url.Values{"locked": {"0"}, "csrf_token": {tok}}), http.StatusSeeOther, "unlock")
		if u2, _ := e.Users.FindUserByUsername(t.Context(), "phongvien2"); u2.Locked() {
			t.Fatal("still locked")
		}

		// Reset password: a new one-time password; the old one stops working.
		p = ad.post("/desk/admin/users/"+e.members["phongvien"].UserID+"/password", url.Values{"csrf_token": {tok}})
		expect(t, p, http.StatusOK, "reset password")
		fresh := secretOf(t, p)
		lp = nc.post("/desk/login", url.Values{"username": {"phongvien"}, "password": {testPassword}, "csrf_token": {nc.csrf("/desk/login")}})
		expect(t, lp, http.StatusUnauthorized, "old password after reset")
		lp = nc.post("/desk/login", url.Values{"username": {"phongvien"}, "password": {fresh}, "csrf_token": {nc.csrf("/desk/login")}})
		if lp.Code != http.StatusSeeOther || lp.Header.Get("Location") != "/desk/password" {
			t.Fatalf("login with the reset password: %d %q", lp.Code, lp.Header.Get("Location"))
		}
	})
}

func TestAdminSections(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ad := e.loggedIn("quantri")
		p := ad.get("/desk/admin/sections")
		expect(t, p, http.StatusOK, "sections page")
		has(t, p, "sections", "Thời sự", "Vai trò được ký cấp 2")
		tok := ad.csrf("/desk/admin/sections")
		expect(t, ad.post("/desk/admin/sections", url.Values{"name": {"Kinh tế"}, "approval_levels": {"1"}, "level1": {"editor"}}), http.StatusForbidden, "no CSRF")

		p = ad.post("/desk/admin/sections", url.Values{"name": {"Kinh tế"}, "approval_levels": {"2"}, "level1": {"editor"},
			"level2": {"editor_in_chief"}, "csrf_token": {tok}})
		expect(t, p, http.StatusSeeOther, "create section")
		secs, _ := e.Stories.FindSections(t.Context())
		var kt string
		for _, s := range secs {
			if s.Name == "Kinh tế" {
				kt = s.ID
				if s.Slug != "kinh-te" || s.ApprovalLevels != 2 || len(s.LevelRoles) < 2 || s.LevelRoles[1][0] != user.RoleEditorInChief {
					t.Fatalf("created section: %+v", s)
				}
			}
		}
		if kt == "" {
			t.Fatal("section not created")
		}
		for name, c := range map[string]struct {
			form   url.Values
			status int
			msg    string
		}{
			"duplicate slug":      {url.Values{"name": {"Kinh Tế"}, "approval_levels": {"1"}, "level1": {"editor"}}, http.StatusConflict, "đã dùng cho chuyên mục"},
			"too many levels":     {url.Values{"name": {"Thể thao"}, "approval_levels": {"5"}, "level1": {"editor"}}, http.StatusBadRequest, "Số cấp duyệt từ 1 đến 3"},
			"level without roles": {url.Values{"name": {"Thể thao"}, "approval_levels": {"2"}, "level1": {"editor"}}, http.StatusBadRequest, "Cấp 2 cần ít nhất một vai trò"},
			"reporter signs":      {url.Values{"name": {"Thể thao"}, "approval_levels": {"1"}, "level1": {"reporter"}}, http.StatusBadRequest, "không được ký duyệt"},
			"levels not a number": {url.Values{"name": {"Thể thao"}, "approval_levels": {"hai"}}, http.StatusBadRequest, "Số cấp duyệt phải là 1, 2 hoặc 3"},
		} {
			c.form.Set("csrf_token", tok)
			p := ad.post("/desk/admin/sections", c.form)
			expect(t, p, c.status, name)
			has(t, p, name, c.msg, `value="`+c.form.Get("name")+`"`)
		}
		if after, _ := e.Stories.FindSections(t.Context()); len(after) != 2 {
			t.Fatalf("refused creates added sections: %d", len(after))
		}
		// Edit: one level, signed by the editor-in-chief only.
		p = ad.post("/desk/admin/sections/"+kt, url.Values{"name": {"Kinh tế"}, "slug": {"kinh-te"}, "approval_levels": {"1"},
			"level1": {"editor_in_chief"}, "csrf_token": {tok}})
		expect(t, p, http.StatusSeeOther, "update section")
		sec, _ := e.Stories.FindSectionByID(t.Context(), kt)
		if sec.ApprovalLevels != 1 || len(sec.LevelRoles[0]) != 1 || sec.LevelRoles[0][0] != user.RoleEditorInChief {
			t.Fatalf("updated section: %+v", sec)
		}
		p = ad.post("/desk/admin/sections/"+kt, url.Values{"name": {"Kinh tế"}, "slug": {"Kinh Tế!"}, "approval_levels": {"1"}, "level1": {"editor"}, "csrf_token": {tok}})
		expect(t, p, http.StatusBadRequest, "bad slug")
		if s2, _ := e.Stories.FindSectionByID(t.Context(), kt); s2.Slug != "kinh-te" || s2.LevelRoles[0][0] != user.RoleEditorInChief {
			t.Fatalf("refused update changed the section: %+v", s2)
		}
	})
}

func TestAdminPartnerKeys(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ad := e.loggedIn("quantri")
		tok := ad.csrf("/desk/admin/keys")
		expect(t, ad.post("/desk/admin/keys", url.Values{"name": {"Báo bạn"}}), http.StatusForbidden, "no CSRF")
		p := ad.post("/desk/admin/keys", url.Values{"name": {"Báo bạn"}, "rate_limit": {"nhiều"}, "csrf_token": {tok}})
		expect(t, p, http.StatusBadRequest, "bad rate")
		has(t, p, "bad rate", "không phải số nguyên", `value="Báo bạn"`)
		p = ad.post("/desk/admin/keys", url.Values{"name": {"  "}, "csrf_token": {tok}})
		expect(t, p, http.StatusBadRequest, "empty name")
		has(t, p, "empty name", "Tên khóa cần 1-100 ký tự")
		if keys, _ := e.Partners.FindKeys(t.Context(), e.members["quantri"]); len(keys) != 0 {
			t.Fatalf("refused creates made keys: %v", keys)
		}
		p = ad.post("/desk/admin/keys", url.Values{"name": {"Báo bạn"}, "rate_limit": {"600"}, "csrf_token": {tok}})
		expect(t, p, http.StatusOK, "create key")
		secret := secretOf(t, p)
		if !strings.HasPrefix(secret, partner.KeyPrefix) {
			t.Fatalf("secret %q", secret)
		}
		k, err := e.Partners.Authenticate(t.Context(), secret)
		if err != nil || k.Name != "Báo bạn" || k.RateLimit != 600 {
			t.Fatalf("the key shown does not work: %+v %v", k, err)
		}
		list := ad.get("/desk/admin/keys")
		has(t, list, "keys list", "Báo bạn", k.Prefix)
		if strings.Contains(list.Body, secret) {
			t.Fatal("the list shows the secret again")
		}
		expect(t, ad.post("/desk/admin/keys/"+k.ID+"/revoke", url.Values{"csrf_token": {tok}}), http.StatusSeeOther, "revoke")
		if _, err := e.Partners.Authenticate(t.Context(), secret); err == nil {
			t.Fatal("revoked key still works")
		}
		has(t, ad.get("/desk/admin/keys"), "revoked list", "Đã thu hồi")
	})
}

func TestAdminTargets(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ad := e.loggedIn("quantri")
		admin := e.members["quantri"]
		tok := ad.csrf("/desk/admin/targets")
		expect(t, ad.post("/desk/admin/targets", url.Values{"name": {"Đối tác"}, "kind": {"webhook"}, "url": {"https://doitac.example/hook"}}), http.StatusForbidden, "no CSRF")
		for name, c := range map[string]struct {
			url, kind, msg string
		}{
			"loopback":     {"http://127.0.0.1:8080/hook", "webhook", "chống SSRF"},
			"private":      {"http://10.1.2.3/hook", "webhook", "chống SSRF"},
			"not http":     {"ftp://doitac.example/x", "webhook", "phải là URL http:// hoặc https://"},
			"unknown kind": {"https://doitac.example/hook", "fax", "không hợp lệ"},
		} {
			p := ad.post("/desk/admin/targets", url.Values{"name": {"Đối tác " + name}, "kind": {c.kind}, "url": {c.url}, "tags": {"bóng đá"}, "active": {"1"}, "csrf_token": {tok}})
			expect(t, p, http.StatusBadRequest, name)
			has(t, p, name, c.msg, `value="Đối tác `+name+`"`, `value="bóng đá"`)
		}
		if ts, _ := e.Distribution.FindTargets(t.Context(), admin); len(ts) != 0 {
			t.Fatalf("refused creates made targets: %v", ts)
		}
		p := ad.post("/desk/admin/targets", url.Values{"name": {"Báo đối tác"}, "kind": {"webhook"}, "url": {"https://doitac.example/hook"},
			"secret": {"bí-mật-ký"}, "format": {"compact"}, "sections": {e.section.ID}, "channels": {"web"}, "tags": {"kinh tế, bóng đá"}, "active": {"1"}, "csrf_token": {tok}})
		expect(t, p, http.StatusSeeOther, "create webhook target")
		ts, _ := e.Distribution.FindTargets(t.Context(), admin)
		if len(ts) != 1 || !ts[0].HasSecret || ts[0].Format != "compact" || !ts[0].Active || len(ts[0].Tags) != 2 || ts[0].Sections[0] != e.section.ID || ts[0].Channels[0] != "web" {
			t.Fatalf("created target: %+v", ts)
		}
		tg := ts[0]
		list := ad.get("/desk/admin/targets")
		has(t, list, "targets list", "Báo đối tác", "Đã có secret", "Thời sự", "#bóng đá")
		if strings.Contains(list.Body, "bí-mật-ký") {
			t.Fatal("the list shows the secret")
		}
		// Edit: an empty secret keeps the stored one; an internal URL is refused with the data unchanged.
		edit := ad.get("/desk/admin/targets/" + tg.ID)
		expect(t, edit, http.StatusOK, "edit page")
		has(t, edit, "edit", `value="https://doitac.example/hook"`, "Để trống để giữ secret")
		p = ad.post("/desk/admin/targets/"+tg.ID, url.Values{"name": {"Báo đối tác mới"}, "url": {"http://192.168.1.10/hook"}, "active": {"1"}, "csrf_token": {tok}})
		expect(t, p, http.StatusBadRequest, "edit to an internal URL")
		has(t, p, "internal URL", "chống SSRF", `value="Báo đối tác mới"`)
		if t2, _ := e.Distribution.FindTargetByID(t.Context(), admin, tg.ID); t2.Name != "Báo đối tác" || t2.URL != "https://doitac.example/hook" {
			t.Fatalf("refused edit changed the target: %+v", t2)
		}
		p = ad.post("/desk/admin/targets/"+tg.ID, url.Values{"name": {"Báo đối tác mới"}, "url": {"https://doitac.example/v2"}, "format": {"ninjs"},
			"tags": {""}, "active": {"1"}, "csrf_token": {tok}})
		expect(t, p, http.StatusSeeOther, "edit target")
		t2, _ := e.Distribution.FindTargetByID(t.Context(), admin, tg.ID)
		if t2.Name != "Báo đối tác mới" || t2.URL != "https://doitac.example/v2" || !t2.HasSecret || len(t2.Tags) != 0 || len(t2.Sections) != 0 || t2.Format != "ninjs" {
			t.Fatalf("edited target: %+v", t2)
		}
		// Deactivate from the list.
		expect(t, ad.post("/desk/admin/targets/"+tg.ID+"/active", url.Values{"active": {"0"}, "csrf_token": {tok}}), http.StatusSeeOther, "deactivate")
		if t3, _ := e.Distribution.FindTargetByID(t.Context(), admin, tg.ID); t3.Active {
			t.Fatal("still active")
		}
		has(t, ad.get("/desk/admin/targets?ok=deactivated"), "deactivated", "Đã tắt đích phân phối.", "Bật")
		// An RSS target: its feed token is shown once.
		p = ad.post("/desk/admin/targets", url.Values{"name": {"Nguồn RSS"}, "kind": {"rss"}, "url": {""}, "active": {"1"}, "csrf_token": {tok}})
		expect(t, p, http.StatusOK, "create rss target")
		if feed := secretOf(t, p); !strings.Contains(feed, "/feeds/") || !strings.Contains(feed, "?token=") {
			t.Fatalf("feed address %q", feed)
		}
	})
}

// seeOther fails the test unless p redirects (303) to loc.
func seeOther(t testing.TB, p page, loc, what string) {
	t.Helper()
	if p.Code != http.StatusSeeOther || p.Header.Get("Location") != loc {
		t.Fatalf("%s: %d to %q, want 303 to %q: %.800s", what, p.Code, p.Header.Get("Location"), loc, p.Body)
	}
}

var (
	mfaSecretRe = regexp.MustCompile(`id="mfa-secret" class="secret" value="([A-Z2-7]+)"`)
	mfaTokenRe  = regexp.MustCompile(`name="mfa_token" value="(nrm_[A-Za-z0-9_-]+)"`)
)

// TestDeskMFAEnrolAndLogin: an admin (a role that requires MFA) is held on
// the enrolment page after the password, enrols TOTP from the QR code page,
// gets recovery codes once, and then logs in with the password and a code on
// a second form that carries the mfa_token, not the password.
func TestDeskMFAEnrolAndLogin(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		var clock atomic.Int64 // the server reads it from its own goroutines
		clock.Store(time.Now().Unix())
		e.Users.SetClock(func() time.Time { return time.Unix(clock.Load(), 0).UTC() })
		code := func(secret string) string {
			c, err := totp.GenerateCode(secret, time.Unix(clock.Load(), 0))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		ad := e.loggedIn("quantri")
		seeOther(t, ad.get("/desk/queue"), "/desk/mfa", "unenrolled admin on the queue")
		p := ad.get("/desk/mfa")
		expect(t, p, http.StatusOK, "enrolment page")
		has(t, p, "enrolment page", "Vai trò của bạn bắt buộc xác thực hai lớp", `id="mfa-start"`)
		tok := ad.csrf("/desk/mfa")
		expect(t, ad.post("/desk/mfa/start", url.Values{"csrf_token": {tok}}), http.StatusSeeOther, "start")
		p = ad.get("/desk/mfa")
		has(t, p, "QR page", `src="data:image/png;base64,`, `id="mfa-confirm"`)
		m := mfaSecretRe.FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no secret on the page: %.2000s", p.Body)
		}
		secret := m[1]
		p = ad.post("/desk/mfa/confirm", url.Values{"csrf_token": {tok}, "code": {"000000"}})
		expect(t, p, http.StatusBadRequest, "wrong code")
		has(t, p, "wrong code", "Mã xác thực không đúng", `id="mfa-qr"`)
		p = ad.post("/desk/mfa/confirm", url.Values{"csrf_token": {tok}, "code": {code(secret)}})
		expect(t, p, http.StatusOK, "confirm")
		has(t, p, "recovery codes", `id="recovery-codes"`, "Mã khôi phục")
		expect(t, ad.get("/desk/queue"), http.StatusOK, "queue once enrolled")
		if strings.Contains(ad.get("/desk/mfa").Body, "recovery-codes") {
			t.Fatal("recovery codes shown twice")
		}

		// The login in two steps.
		clock.Add(30)
		nc := e.client()
		lt := nc.csrf("/desk/login")
		p = nc.post("/desk/login", url.Values{"username": {"quantri"}, "password": {testPassword}, "csrf_token": {lt}})
		expect(t, p, http.StatusOK, "password step")
		has(t, p, "second step", `action="/desk/login/mfa"`, `autocomplete="one-time-code"`)
		if strings.Contains(p.Body, `name="password"`) || strings.Contains(p.Body, testPassword) {
			t.Fatal("the second step carries the password")
		}
		mt := mfaTokenRe.FindStringSubmatch(p.Body)
		if mt == nil {
			t.Fatalf("no mfa_token: %.2000s", p.Body)
		}
		if nc.get("/desk/queue").Code != http.StatusSeeOther {
			t.Fatal("signed in before the second factor")
		}
		p = nc.post("/desk/login/mfa", url.Values{"csrf_token": {lt}, "mfa_token": {mt[1]}, "code": {"999999"}, "next": {"/desk/queue"}})
		expect(t, p, http.StatusUnauthorized, "wrong code")
		has(t, p, "wrong code again", "Mã xác thực không đúng", mt[1])
		p = nc.post("/desk/login/mfa", url.Values{"csrf_token": {lt}, "mfa_token": {mt[1]}, "code": {code(secret)}, "next": {"/desk/admin/users"}})
		seeOther(t, p, "/desk/admin/users", "second step")
		p = nc.get("/desk/admin/users")
		expect(t, p, http.StatusOK, "signed in with MFA")
		has(t, p, "users page", "Có xác thực hai lớp")
		if strings.Contains(p.Body, `id="mfa-reset-quantri"`) {
			t.Fatal("an admin is offered to reset their own MFA")
		}

		// The editor-in-chief enrols too; the admin resets it from the users page (audited).
		eic := e.members["tongbientap"]
		eicUser, err := e.Users.FindUserByUsername(t.Context(), "tongbientap")
		if err != nil {
			t.Fatal(err)
		}
		eicAuth := &user.Auth{User: eicUser, Actor: eic, SessionID: "desk-test"}
		en, err := e.Users.StartTOTP(t.Context(), eicAuth)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Users.ConfirmTOTP(t.Context(), eicAuth, code(en.Secret)); err != nil {
			t.Fatal(err)
		}
		p = nc.get("/desk/admin/users")
		has(t, p, "users page", `id="mfa-reset-tongbientap"`)
		seeOther(t, nc.post("/desk/admin/users/"+eic.UserID+"/mfa", url.Values{"csrf_token": {nc.csrf("/desk/admin/users")}}),
			"/desk/admin/users?ok=mfa_reset", "reset")
		events, _, err := e.Audit.FindEvents(t.Context(), e.members["quantri"], audit.Filter{Action: "mfa.reset", TargetID: eic.UserID})
		if err != nil || len(events) != 1 || events[0].ActorID != e.members["quantri"].UserID {
			t.Fatalf("mfa.reset audit: %+v %v", events, err)
		}
	}, testutil.WithConfig(func(c *config.Config) { c.Security.MFARequiredRoles = []string{"admin"} }))
}

package desk_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
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
	for _, path := range []string{"/desk/admin/users", "/desk/admin/sections", "/desk/admin/keys", "/desk/admin/targets", "/desk/admin/security"} {
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

// The security page lists every control with its verdict, Vietnamese first,
// to admins only; through the trusted proxy over HTTPS, tls passes.
func TestAdminSecurityPage(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ad := e.loggedIn("quantri")
		p := ad.get("/desk/admin/security")
		expect(t, p, http.StatusOK, "admin GET /desk/admin/security")
		has(t, p, "security page", `<h1>An ninh thông tin</h1>`, `href="/desk/admin/security" aria-current="page"`,
			"Đạt", "Cảnh báo", "Không đạt", `class="state verdict-fail"`)
		for _, id := range selfcheck.IDs {
			has(t, p, "security page", `<tr id="control-`+id+`">`)
		}
		tls := regexp.MustCompile(`(?s)<tr id="control-tls">.*?</tr>`)
		if row := tls.FindString(p.Body); !strings.Contains(row, "verdict-fail") || !strings.Contains(row, "HTTP không mã hóa") {
			t.Errorf("plain HTTP: tls row %q", row)
		}
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/desk/admin/security", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		secure := ad.do(req)
		expect(t, secure, http.StatusOK, "security page over HTTPS")
		if row := tls.FindString(secure.Body); !strings.Contains(row, "verdict-pass") || !strings.Contains(row, "Đạt") {
			t.Errorf("HTTPS through the trusted proxy: tls row %q", row)
		}
		has(t, ad.get("/desk/admin/users"), "admin nav", `href="/desk/admin/security"`)

		expect(t, e.loggedIn("tongbientap").get("/desk/admin/security"), http.StatusForbidden, "editor-in-chief GET /desk/admin/security")
		anon := e.client().get("/desk/admin/security")
		if anon.Code != http.StatusSeeOther || !strings.HasPrefix(anon.Header.Get("Location"), "/desk/login") {
			t.Errorf("anonymous: status %d, Location %q, want 303 to the login page", anon.Code, anon.Header.Get("Location"))
		}
	}, testutil.WithConfig(trustLoopback))
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
		// The password page and the users page show the policy in words (issue 13).
		has(t, nc.get("/desk/password"), "password page", "Mật khẩu có ít nhất 12 ký tự, gồm ít nhất 3", `minlength="12"`)
		has(t, ad.get("/desk/admin/users"), "users page policy", `id="password-policy">Mật khẩu có ít nhất 12 ký tự`)

		// Last login (Asia/Ho_Chi_Minh dd/mm/yyyy HH:mm) and state: dormant-disabled, password expired.
		old := time.Now().UTC().Add(-100 * 24 * time.Hour).Format("2006-01-02 15:04:05.000000-07:00")
		if _, err := e.DB.SQL.Exec("UPDATE users SET created_at = $1, last_login_at = $1 WHERE username = 'phongvien2'", old); err != nil {
			t.Fatal(err)
		}
		if _, err := e.DB.SQL.Exec("UPDATE users SET password_changed_at = $1 WHERE username = 'phongvien'", old); err != nil {
			t.Fatal(err)
		}
		if n, err := e.Users.DisableDormant(t.Context(), time.Now().UTC()); n != 1 || err != nil {
			t.Fatalf("DisableDormant = %d, %v", n, err)
		}
		admin, _ := e.Users.FindUserByUsername(t.Context(), "quantri")
		p = ad.get("/desk/admin/users")
		row := func(name string) string {
			i := strings.Index(p.Body, `id="user-`+name+`"`)
			j := strings.Index(p.Body[i:], "</tr>")
			return p.Body[i : i+j]
		}
		if r := row("quantri"); admin.LastLoginAt == nil || !strings.Contains(r, vntime.Format(*admin.LastLoginAt)) || !strings.Contains(r, "Hoạt động") {
			t.Fatalf("admin row lacks its last login: %s", r)
		}
		if r := row("phongvien2"); !strings.Contains(r, "Đã khóa do lâu không dùng") || !strings.Contains(r, vntime.Format(time.Now().Add(-100 * 24 * time.Hour))[:10]) {
			t.Fatalf("dormant row: %s", r)
		}
		if r := row("phongvien"); !strings.Contains(r, "Mật khẩu đã hết hạn") {
			t.Fatalf("expired row: %s", r)
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

var (
	sessionRowRe = regexp.MustCompile(`(?s)<tr id="session-([0-9a-f-]{36})">(.*?)</tr>`)
	vnTimeRe     = regexp.MustCompile(`\d{2}/\d{2}/\d{4} \d{2}:\d{2}`)
)

// sessionIDs reads the session page of c: this session's id and the others'.
func sessionIDs(t testing.TB, c *client) (current string, others []string) {
	t.Helper()
	p := c.get("/desk/me/sessions")
	expect(t, p, http.StatusOK, "sessions page")
	for _, m := range sessionRowRe.FindAllStringSubmatch(p.Body, -1) {
		if strings.Contains(m[2], "Phiên này") {
			current = m[1]
		} else {
			others = append(others, m[1])
		}
	}
	if current == "" {
		t.Fatalf("no current session on the page: %.2000s", p.Body)
	}
	return current, others
}

// signedOut fails the test unless c's session has ended.
func signedOut(t testing.TB, c *client, what string) {
	t.Helper()
	if p := c.get("/desk/queue"); p.Code != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/desk/login") {
		t.Fatalf("%s: still signed in (%d %q)", what, p.Code, p.Header.Get("Location"))
	}
}

// TestDeskSessions (issue 13): the sessions page lists the user's sessions
// in Vietnam time, ends one (CSRF required), all others, or this one; another
// user's session cannot be ended; an admin ends every session of an account.
func TestDeskSessions(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		a, b := e.loggedIn("phongvien"), e.loggedIn("phongvien")
		p := a.get("/desk/me/sessions")
		has(t, p, "sessions page", "Phiên đăng nhập", "Kết thúc mọi phiên khác", `href="/desk/me/tokens"`, "127.0.0.1")
		if !vnTimeRe.MatchString(p.Body) {
			t.Fatal("sessions page shows no dd/mm/yyyy HH:mm time")
		}
		has(t, a.get("/desk/queue"), "header link", `href="/desk/me/sessions"`)
		cur, others := sessionIDs(t, a)
		if len(others) != 1 {
			t.Fatalf("other sessions = %v", others)
		}
		tok := a.csrf("/desk/me/sessions")
		expect(t, a.post("/desk/me/sessions/"+others[0]+"/end", url.Values{}), http.StatusForbidden, "end without CSRF")
		ed := e.loggedIn("bientap")
		ed.get("/desk/lang/en?next=/desk/me/sessions")
		has(t, ed.get("/desk/me/sessions"), "sessions page in English", "Sessions", "This session", "End all other sessions")
		expect(t, ed.post("/desk/me/sessions/"+cur+"/end", url.Values{"csrf_token": {ed.csrf("/desk/me/sessions")}}), http.StatusNotFound, "end another user's session")
		expect(t, b.get("/desk/queue"), http.StatusOK, "session after refused ends")

		p = a.post("/desk/me/sessions/"+others[0]+"/end", url.Values{"csrf_token": {tok}})
		if p.Code != http.StatusSeeOther || p.Header.Get("Location") != "/desk/me/sessions?ok=ended" {
			t.Fatalf("end a session: %d %q", p.Code, p.Header.Get("Location"))
		}
		signedOut(t, b, "ended session")
		has(t, a.get("/desk/me/sessions?ok=ended"), "flash", "Đã kết thúc phiên đăng nhập.")

		c := e.loggedIn("phongvien")
		expect(t, a.post("/desk/me/sessions/end-others", url.Values{"csrf_token": {tok}}), http.StatusSeeOther, "end others")
		signedOut(t, c, "other session")
		expect(t, a.get("/desk/queue"), http.StatusOK, "this session after ending the others")

		// An admin ends every session of the account from the users page.
		ad := e.loggedIn("quantri")
		has(t, ad.get("/desk/admin/users"), "users page", "Kết thúc mọi phiên", `id="end-sessions-phongvien"`)
		expect(t, ed.post("/desk/admin/users/"+e.members["phongvien"].UserID+"/sessions/end", url.Values{"csrf_token": {ed.csrf("/desk/queue")}}), http.StatusForbidden, "editor ends sessions")
		expect(t, a.get("/desk/queue"), http.StatusOK, "after the refused end")
		p = ad.post("/desk/admin/users/"+e.members["phongvien"].UserID+"/sessions/end", url.Values{"csrf_token": {ad.csrf("/desk/admin/users")}})
		if p.Code != http.StatusSeeOther || p.Header.Get("Location") != "/desk/admin/users?ok=sessions_ended" {
			t.Fatalf("admin ends sessions: %d %q", p.Code, p.Header.Get("Location"))
		}
		signedOut(t, a, "after the admin ended every session")
		ev, _, err := e.Audit.FindEvents(t.Context(), e.members["quantri"], audit.Filter{Action: "session.ended_by_admin"})
		if err != nil || len(ev) != 1 || ev[0].TargetID != e.members["phongvien"].UserID {
			t.Fatalf("session.ended_by_admin audit = %+v %v", ev, err)
		}

		// Ending this very session logs out.
		d := e.loggedIn("phongvien")
		cur, _ = sessionIDs(t, d)
		p = d.post("/desk/me/sessions/"+cur+"/end", url.Values{"csrf_token": {d.csrf("/desk/me/sessions")}})
		if p.Code != http.StatusSeeOther || p.Header.Get("Location") != "/desk/login" {
			t.Fatalf("end this session: %d %q", p.Code, p.Header.Get("Location"))
		}
		signedOut(t, d, "after ending this session")
	})
}

var tokenRowRe = regexp.MustCompile(`<tr id="token-([0-9a-f-]{36})">`)

// apiStatus is the status of GET path on the API with the bearer token.
func (e *env) apiStatus(token, path string) int {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestDeskTokens (issue 13): a user creates (shown once), lists and revokes
// personal API tokens in the desk under the API's rules; an admin lists and
// revokes every user's tokens, audited.
func TestDeskTokens(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		rep := e.loggedIn("phongvien")
		p := rep.get("/desk/me/tokens")
		has(t, p, "tokens page", "Mã API", "Chưa có mã API nào.", "2160h", `value="read"`, `value="write"`)
		if strings.Contains(p.Body, `value="admin"`) {
			t.Error("a reporter is offered the admin scope")
		}
		tok := rep.csrf("/desk/me/tokens")
		expect(t, rep.post("/desk/me/tokens", url.Values{"name": {"CMS"}, "scopes": {"read"}}), http.StatusForbidden, "create without CSRF")
		p = rep.post("/desk/me/tokens", url.Values{"name": {"Lén"}, "scopes": {"admin"}, "csrf_token": {tok}})
		expect(t, p, http.StatusForbidden, "reporter asks for the admin scope")
		has(t, p, "admin scope refused", `value="Lén"`)
		p = rep.post("/desk/me/tokens", url.Values{"name": {"CMS"}, "scopes": {"read"}, "csrf_token": {tok}})
		expect(t, p, http.StatusOK, "create token")
		plain := secretOf(t, p)
		if !strings.HasPrefix(plain, "nrt_") || p.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("created token %q, Cache-Control %q", plain, p.Header.Get("Cache-Control"))
		}
		if got := e.apiStatus(plain, "/api/v1/stories"); got != http.StatusOK {
			t.Fatalf("new token: %d", got)
		}
		p = rep.get("/desk/me/tokens")
		has(t, p, "tokens list", "CMS", "<code>read</code>")
		if strings.Contains(p.Body, plain) {
			t.Fatal("the token shows again on the list")
		}
		ids := tokenRowRe.FindAllStringSubmatch(p.Body, -1)
		if len(ids) != 1 {
			t.Fatalf("token rows: %v", ids)
		}
		p = rep.post("/desk/me/tokens/"+ids[0][1]+"/revoke", url.Values{"csrf_token": {tok}})
		if p.Code != http.StatusSeeOther || p.Header.Get("Location") != "/desk/me/tokens?ok=revoked" {
			t.Fatalf("revoke: %d %q", p.Code, p.Header.Get("Location"))
		}
		if got := e.apiStatus(plain, "/api/v1/stories"); got != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", got)
		}
		has(t, rep.get("/desk/me/tokens"), "revoked row", "Đã thu hồi")

		// The admin's own page: the admin scope, held to its shorter lifetime.
		ad := e.loggedIn("quantri")
		atok := ad.csrf("/desk/me/tokens")
		has(t, ad.get("/desk/me/tokens"), "admin's tokens page", `value="admin"`, "24h")
		far := time.Now().In(vntime.Location).Add(48 * time.Hour).Format("2006-01-02T15:04")
		p = ad.post("/desk/me/tokens", url.Values{"name": {"ops"}, "scopes": {"admin"}, "expires_at": {far}, "csrf_token": {atok}})
		expect(t, p, http.StatusBadRequest, "admin token for 48h")
		has(t, p, "48h refused", "24h")
		expect(t, ad.post("/desk/me/tokens", url.Values{"name": {"ops"}, "scopes": {"read"}, "expires_at": {"mai"}, "csrf_token": {atok}}), http.StatusBadRequest, "bad expiry")

		// Every user's tokens: admins only; the admin revokes the reporter's.
		_, other, err := e.Users.CreateAPIToken(t.Context(), &user.Auth{User: mustUser(t, e, "phongvien"), Actor: e.members["phongvien"]},
			user.NewAPIToken{Name: "Zalo bot", Scopes: []string{"read"}})
		if err != nil {
			t.Fatal(err)
		}
		expect(t, rep.get("/desk/admin/tokens"), http.StatusForbidden, "reporter opens the admin tokens page")
		p = ad.get("/desk/admin/tokens")
		has(t, p, "admin tokens page", "Mã API người dùng", "phongvien", "Zalo bot", "CMS")
		var zalo string
		for _, m := range regexp.MustCompile(`(?s)<tr id="token-([0-9a-f-]{36})">(.*?)</tr>`).FindAllStringSubmatch(p.Body, -1) {
			if strings.Contains(m[2], "Zalo bot") {
				zalo = m[1]
			}
		}
		expect(t, rep.post("/desk/admin/tokens/"+zalo+"/revoke", url.Values{"csrf_token": {tok}}), http.StatusForbidden, "reporter revokes through the admin page")
		if got := e.apiStatus(other, "/api/v1/stories"); got != http.StatusOK {
			t.Fatalf("token after the refused revoke: %d", got)
		}
		p = ad.post("/desk/admin/tokens/"+zalo+"/revoke", url.Values{"csrf_token": {ad.csrf("/desk/admin/tokens")}})
		if p.Code != http.StatusSeeOther || p.Header.Get("Location") != "/desk/admin/tokens?ok=revoked_token" {
			t.Fatalf("admin revoke: %d %q", p.Code, p.Header.Get("Location"))
		}
		if got := e.apiStatus(other, "/api/v1/stories"); got != http.StatusUnauthorized {
			t.Fatalf("token revoked by the admin: %d", got)
		}
		ev, _, err := e.Audit.FindEvents(t.Context(), e.members["quantri"], audit.Filter{Action: "token.revoke", TargetID: zalo})
		if err != nil || len(ev) != 1 || ev[0].ActorID != e.members["quantri"].UserID || ev[0].Details["by_admin"] != true ||
			ev[0].Details["user_id"] != e.members["phongvien"].UserID {
			t.Fatalf("admin revoke audit = %+v %v", ev, err)
		}
	})
}

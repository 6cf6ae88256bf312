package desk_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestDistributionDetailForRedeliverersOnly: the distribution page shows
// errors, receivers' answers and the attempt log (with the URLs and resolved
// addresses they name) to the roles that may redeliver; a reporter sees each
// target's name and state only.
func TestDistributionDetailForRedeliverersOnly(t *testing.T) {
	const answer, path, unreachable = "kho-nhan-tu-choi-7731", "/nhan-bai-9931", "http://localhost:9/duong-dan-noi-bo-5150"
	receiverURL, allow := testutil.FailingReceiver(t, `{"error":"`+answer+`"}`)
	forEachEnv(t, func(t *testing.T, e *env) {
		kind := "webhook"
		for name, u := range map[string]string{"Báo đối tác": receiverURL + path, "Cổng nội bộ": unreachable} {
			if _, err := e.Distribution.CreateTarget(t.Context(), e.members["quantri"], distribution.TargetInput{Name: &name, Kind: &kind, URL: &u}); err != nil {
				t.Fatal(err)
			}
		}
		st := e.published("Giá lúa tăng mạnh")
		ds := e.deliverAll(st.ID)
		if ds["Báo đối tác"].State != distribution.StateRetrying || ds["Cổng nội bộ"].State != distribution.StateRetrying {
			t.Fatalf("deliveries after one attempt: %+v", ds)
		}
		page := "/desk/stories/" + st.ID + "/distribution"
		detail := []string{path, answer, "duong-dan-noi-bo-5150", "HTTP 502", "127.0.0.1", `class="attempts"`}

		p := e.loggedIn("phongvien").get(page)
		expect(t, p, http.StatusOK, "reporter's distribution page")
		for _, s := range detail {
			if strings.Contains(p.Body, s) {
				t.Errorf("the reporter's page shows %q", s)
			}
		}
		has(t, p, "reporter", "Báo đối tác", "Cổng nội bộ", "Đang thử lại", `id="dist-no-detail"`)

		p = e.loggedIn("quantri").get(page)
		expect(t, p, http.StatusOK, "admin's distribution page")
		has(t, p, "admin", answer, unreachable, "HTTP 502", `class="attempts"`)
		if strings.Contains(p.Body, `id="dist-no-detail"`) {
			t.Error("the admin's page says the detail is hidden")
		}
	}, allow)
}

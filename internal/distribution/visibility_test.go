package distribution

import (
	"testing"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// The oracle is the rule: detail for managing editors,
// editors-in-chief and admins (and the system), redacted for the others.
func TestViewForRedactsForThoseWhoMayNotRedeliver(t *testing.T) {
	d := Delivery{ID: "d1", TargetName: "Báo đối tác", State: StateDead, Attempts: 3,
		LastError: `Post "http://10.0.0.5/hook": dial tcp 10.0.0.5:80: refused`, ExternalID: "ext-42"}
	for role, detail := range map[user.Role]bool{user.RoleReporter: false, user.RoleEditor: false, user.RoleProducer: false,
		user.RoleManagingEditor: true, user.RoleEditorInChief: true, user.RoleAdmin: true} {
		got := ViewFor(user.Actor{Role: role}, []Delivery{d})[0]
		if SeesDeliveryDetail(user.Actor{Role: role}) != detail {
			t.Errorf("%s: SeesDeliveryDetail = %v", role, !detail)
		}
		if detail && got != d {
			t.Errorf("%s: delivery changed: %+v", role, got)
		}
		if !detail && (got.LastError != "" || got.ExternalID != "" || !got.Redacted ||
			got.TargetName != d.TargetName || got.State != d.State || got.Attempts != d.Attempts) {
			t.Errorf("%s: redacted view %+v", role, got)
		}
	}
	if got := ViewFor(user.System, []Delivery{d})[0]; got != d {
		t.Errorf("system: delivery changed: %+v", got)
	}
}

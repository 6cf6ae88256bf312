package user

import (
	"fmt"
	"slices"
)

// Role is a newsroom job; permissions follow from it.
type Role string

// The roles of a converged newsroom.
const (
	RoleReporter       Role = "reporter"        // phóng viên
	RoleEditor         Role = "editor"          // biên tập viên
	RoleManagingEditor Role = "managing_editor" // thư ký tòa soạn
	RoleEditorInChief  Role = "editor_in_chief" // tổng biên tập
	RoleProducer       Role = "producer"        // radio/TV producer
	RoleAdmin          Role = "admin"           // account and section administrator
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleReporter, RoleEditor, RoleManagingEditor, RoleEditorInChief, RoleProducer, RoleAdmin}

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("unknown role %q (one of reporter, editor, managing_editor, editor_in_chief, producer, admin)", s)
	}
	return r, nil
}

// IsEditorial reports whether the role works on the editorial desk (edits others' stories).
func (r Role) IsEditorial() bool {
	return r == RoleEditor || r == RoleManagingEditor || r == RoleEditorInChief
}

// IsWriter reports whether the role may create stories.
func (r Role) IsWriter() bool { return r == RoleReporter || r.IsEditorial() }

// CoversAllSections reports whether the role acts on every section regardless of assignment.
func (r Role) CoversAllSections() bool {
	return r == RoleManagingEditor || r == RoleEditorInChief || r == RoleAdmin
}

// Label returns the Vietnamese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleReporter:
		return "Phóng viên"
	case RoleEditor:
		return "Biên tập viên"
	case RoleManagingEditor:
		return "Thư ký tòa soạn"
	case RoleEditorInChief:
		return "Tổng biên tập"
	case RoleProducer:
		return "Sản xuất chương trình"
	case RoleAdmin:
		return "Quản trị hệ thống"
	}
	return string(r)
}

// Actor is the authenticated person behind a request, as the domain sees them.
type Actor struct {
	UserID     string
	Username   string
	Role       Role
	SectionIDs []string // sections the user is assigned to; empty means all
	IP         string
	// Scopes limits a personal API token; nil for a session (full rights of the role).
	Scopes []string
}

// InSection reports whether the actor acts on the section: roles that cover
// all sections do, and so does a user with no section assignment (small newsrooms).
func (a Actor) InSection(sectionID string) bool {
	if a.Role.CoversAllSections() || len(a.SectionIDs) == 0 {
		return true
	}
	return slices.Contains(a.SectionIDs, sectionID)
}

// System is the actor for work the server does on its own (scheduled
// publishing) and for the operator's command line. It has no user id, and the
// username "system" is reserved so that no account can pass for it.
var System = Actor{UserID: "", Username: "system", Role: RoleEditorInChief}

// IsSystem reports whether the actor is the server or operator itself.
func (a Actor) IsSystem() bool { return a.UserID == "" && a.Username == System.Username }

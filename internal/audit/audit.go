// Package audit records who did what, when and from where: every editorial
// and administrative action, as level-3 information security requires.
package audit

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// Event is one audited action.
type Event struct {
	ID            int64          `json:"id"`
	Seq           int64          `json:"seq"` // the chain's order: 1, 2, 3... without gaps
	At            time.Time      `json:"at"`
	ActorID       string         `json:"actor_id"`
	ActorName     string         `json:"actor_username"`
	IP            string         `json:"ip"`
	Action        string         `json:"action"`      // e.g. story.transition.approve, user.create, auth.login_failed
	TargetType    string         `json:"target_type"` // story, user, section, session, token
	TargetID      string         `json:"target_id"`
	BeforeVersion int            `json:"before_version,omitempty"`
	AfterVersion  int            `json:"after_version,omitempty"`
	Details       map[string]any `json:"details,omitempty"`
	// Hash is the chain hash (ChainHash over the previous row's Hash).
	Hash string `json:"hash,omitempty"`
}

// Filter selects audit events; zero values select everything.
type Filter struct {
	ActorID    string
	Action     string // exact or prefix ending in '.' ("story.")
	TargetType string
	TargetID   string
	From, To   time.Time
	BeforeID   int64 // keyset cursor: events with id < BeforeID
	Limit      int
}

// Repository stores audit events; it is append-only. Events reach it
// through Record, which caps their strings (MaxStringLen).
type Repository interface {
	RecordEvent(ctx context.Context, e *Event) error
	FindEvents(ctx context.Context, f Filter) ([]Event, error)
}

// CanRead reports whether the actor may read the audit log: administrators
// only (and personal API tokens of theirs with the admin scope, checked at the edge).
func CanRead(a user.Actor) bool { return a.Role == user.RoleAdmin }

// New builds an event for an actor.
func New(a user.Actor, action, targetType, targetID string) *Event {
	return &Event{At: time.Now().UTC(), ActorID: a.UserID, ActorName: a.Username, IP: a.IP,
		Action: action, TargetType: targetType, TargetID: targetID}
}

// Record writes e as done by the actor a: it fills in who and from where,
// and the time when e carries none (services pass their own clock's time,
// so that tests with a fixed clock see fixed times). Every audit write goes
// through here, and every string it stores is capped at MaxStringLen.
func Record(ctx context.Context, repo Repository, a user.Actor, e Event) error {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	e.ActorID, e.ActorName, e.IP = a.UserID, a.Username, a.IP
	e = e.capped()
	return repo.RecordEvent(ctx, &e)
}

// UserFunc adapts a Repository to the user package's AuditFunc.
func UserFunc(repo Repository) user.AuditFunc {
	return func(ctx context.Context, a user.Actor, action, targetType, targetID string, details map[string]any) error {
		return Record(ctx, repo, a, Event{Action: action, TargetType: targetType, TargetID: targetID, Details: details})
	}
}

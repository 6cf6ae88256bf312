package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
)

// auditCursor is the page position in the audit list (newest first).
type auditCursor struct {
	BeforeID int64 `json:"b"`
}

// listAudit lists audit events, newest first (admin).
func (a *api) listAudit(c *gin.Context) {
	if !audit.CanRead(actor(c)) {
		writeError(c, apperr.Forbidden("Chỉ quản trị viên được xem nhật ký (only an admin may read the audit log)"))
		return
	}
	f, err := auditFilter(c)
	if err != nil {
		writeError(c, err)
		return
	}
	want := f.Limit
	f.Limit = want + 1
	items, err := a.audit.FindEvents(c.Request.Context(), f)
	if err != nil {
		writeError(c, err)
		return
	}
	next := ""
	if len(items) > want {
		items = items[:want]
		next = encodeCursor(auditCursor{BeforeID: items[want-1].ID})
	}
	render(c, http.StatusOK, newList(items, next))
}

// auditFilter reads the audit list's query parameters.
func auditFilter(c *gin.Context) (audit.Filter, error) {
	f := audit.Filter{Action: c.Query("action"), TargetType: c.Query("target_type"), TargetID: c.Query("target_id")}
	var err error
	if f.ActorID, err = queryUUID(c, "actor"); err != nil {
		return f, err
	}
	if f.From, err = queryTime(c, "from"); err != nil {
		return f, err
	}
	if f.To, err = queryTime(c, "to"); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(c, "limit", 100, 1, 500); err != nil {
		return f, err
	}
	if s := c.Query("cursor"); s != "" {
		var cur auditCursor
		if err := decodeCursor(s, &cur); err != nil {
			return f, err
		}
		if cur.BeforeID < 1 {
			return f, apperr.InvalidField("cursor", "Tham số cursor không hợp lệ (invalid cursor)")
		}
		f.BeforeID = cur.BeforeID
	}
	return f, nil
}

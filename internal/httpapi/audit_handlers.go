package httpapi

import (
	"io"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// listAudit lists audit events, newest first (admin). With ?format=csv or
// Accept: text/csv it answers the whole selection (no paging, at most
// audit.MaxCSVRows) as a CSV download, and the export is audited.
func (a *api) listAudit(c *gin.Context) error {
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	if c.Query("format") == "csv" || strings.HasPrefix(c.GetHeader("Accept"), "text/csv") {
		return a.exportAuditCSV(c, f)
	}
	items, before, err := a.audit.FindEvents(c.Request.Context(), actor(c), f)
	if err != nil {
		return err
	}
	next := ""
	if before != 0 {
		next = auditCursor.Encode(&auditPosition{BeforeID: before})
	}
	return answerList(c, items, next, nil)
}

// auditFilter reads the audit list's query parameters.
func auditFilter(c *gin.Context) (audit.Filter, error) {
	f := audit.Filter{Action: c.Query("action"), TargetType: c.Query("target_type"), TargetID: c.Query("target_id")}
	var err error
	if f.ActorID, err = queryUUID(c, "actor"); err != nil {
		return f, err
	}
	if f.From, f.To, err = queryPeriod(c, "from", "to"); err != nil {
		return f, err
	}
	var cur *auditPosition
	if f.Limit, cur, err = queryPage(c, auditCursor, 100, 500); cur != nil {
		f.BeforeID = cur.BeforeID
	}
	return f, err
}

// exportAuditCSV writes the audit events f selects as CSV. The rows are
// collected first, so that a refusal is still an ordinary error answer.
func (a *api) exportAuditCSV(c *gin.Context, f audit.Filter) error {
	f.BeforeID = 0
	return respond.Attachment(c, "text/csv; charset=utf-8", "audit.csv", func(w io.Writer) error {
		_, err := a.audit.ExportCSV(c.Request.Context(), actor(c), f, w)
		return err
	})
}

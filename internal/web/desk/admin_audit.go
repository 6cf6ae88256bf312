package desk

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

type auditRow struct {
	ID, Seq                                     int64
	At, Actor, IP, Action, TargetType, TargetID string
	Details                                     string
}

type auditData struct {
	Rows []auditRow
	// The filter form, as typed; From and To are dates (yyyy-mm-dd) in Asia/Ho_Chi_Minh.
	Actor, Action, TargetType, TargetID, From, To string
	Next, CSV                                     string // links to the next page and to the CSV export
}

// auditFilterOf reads the viewer's filter: dates are whole days in
// Asia/Ho_Chi_Minh, To inclusive; before is the keyset cursor (an id).
func auditFilterOf(c *gin.Context) (audit.Filter, auditData, error) {
	d := auditData{Actor: strings.TrimSpace(c.Query("actor")), Action: strings.TrimSpace(c.Query("action")),
		TargetType: strings.TrimSpace(c.Query("target_type")), TargetID: strings.TrimSpace(c.Query("target_id")),
		From: c.Query("from"), To: c.Query("to")}
	f := audit.Filter{ActorID: d.Actor, Action: d.Action, TargetType: d.TargetType, TargetID: d.TargetID, Limit: 50}
	day := func(field, v string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", v, vntime.Location)
		if err != nil {
			return t, apperr.InvalidField(field, "desk.bad_date", v)
		}
		return t, nil
	}
	var err error
	if d.From != "" {
		if f.From, err = day("from", d.From); err != nil {
			return f, d, err
		}
	}
	if d.To != "" {
		if f.To, err = day("to", d.To); err != nil {
			return f, d, err
		}
		f.To = f.To.AddDate(0, 0, 1)
	}
	if b := c.Query("before"); b != "" {
		if f.BeforeID, err = strconv.ParseInt(b, 10, 64); err != nil || f.BeforeID < 1 {
			return f, d, apperr.InvalidField("before", "desk.audit_bad_cursor")
		}
	}
	return f, d, nil
}

func (d auditData) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"actor": d.Actor, "action": d.Action, "target_type": d.TargetType,
		"target_id": d.TargetID, "from": d.From, "to": d.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// adminAudit is /desk/admin/audit: the audit log, newest first, filtered,
// 50 a page (keyset: ?before=<id>), with a link to the CSV of the selection.
func (h *Handler) adminAudit(c *gin.Context) error {
	f, d, err := auditFilterOf(c)
	if err != nil {
		status, msg := h.explain(c, err)
		h.render(c, status, "admin_audit", page{Title: h.tr(c, "admin.audit.title"), Nav: "admin", Error: msg, Data: d})
		return nil
	}
	events, next, err := h.audit.FindEvents(c.Request.Context(), actor(c), f)
	if err != nil {
		return err
	}
	for _, e := range events {
		details := ""
		if e.Details != nil {
			b, _ := json.Marshal(e.Details)
			details = string(b)
		}
		d.Rows = append(d.Rows, auditRow{ID: e.ID, Seq: e.Seq, At: vntime.Format(e.At), Actor: e.ActorName, IP: e.IP,
			Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, Details: details})
	}
	q := d.query()
	d.CSV = "/desk/admin/audit.csv?" + q.Encode()
	if next != 0 {
		q.Set("before", strconv.FormatInt(next, 10))
		d.Next = "/desk/admin/audit?" + q.Encode()
	}
	h.render(c, http.StatusOK, "admin_audit", page{Title: h.tr(c, "admin.audit.title"), Nav: "admin", Data: d})
	return nil
}

// adminAuditCSV is /desk/admin/audit.csv: the whole selection as CSV
// (audit.Service.ExportCSV, which records audit.exported).
func (h *Handler) adminAuditCSV(c *gin.Context) error {
	f, _, err := auditFilterOf(c)
	if err != nil {
		return err
	}
	f.BeforeID = 0
	return respond.Attachment(c, "text/csv; charset=utf-8", "nhat-ky-kiem-toan.csv", func(w io.Writer) error {
		_, err := h.audit.ExportCSV(c.Request.Context(), actor(c), f, w)
		return err
	})
}

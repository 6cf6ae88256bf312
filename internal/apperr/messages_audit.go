package apperr

// auditMessages are the messages of package audit: reading the audit log.
var auditMessages = map[string]text{
	"audit.read_forbidden": {"Chỉ quản trị viên được xem nhật ký", "only an admin may read the audit log"},
}

package apperr

// mfaMessages are the messages of the second factor (package user: TOTP
// enrolment, the login's second step, recovery codes, resets).
var mfaMessages = map[string]text{
	"user.mfa_code_malformed":       {"Mã xác thực phải gồm 6 chữ số, hoặc là một mã khôi phục", "code must be 6 digits or a recovery code"},
	"user.mfa_code_used":            {"Mã xác thực này đã được dùng; hãy đợi mã tiếp theo", "this code was used already; wait for the next one"},
	"user.mfa_code_wrong":           {"Mã xác thực không đúng", "wrong code"},
	"user.mfa_enrolment_required":   {"Vai trò của bạn bắt buộc xác thực hai lớp: hãy đăng ký ứng dụng xác thực trước khi tiếp tục", "your role requires two-factor authentication: enrol an authenticator app first (POST /api/v1/me/mfa/totp)"},
	"user.mfa_no_pending_enrolment": {"Chưa bắt đầu đăng ký xác thực hai lớp", "no pending enrolment: start one with POST /api/v1/me/mfa/totp"},
	"user.mfa_not_enrolled":         {"Tài khoản chưa đăng ký xác thực hai lớp", "the account has no second factor"},
	"user.mfa_required_for_role":    {"Vai trò %s bắt buộc xác thực hai lớp, không thể tắt", "the role %s requires two-factor authentication; it cannot be turned off"},
	"user.mfa_reset_forbidden":      {"Chỉ quản trị viên được đặt lại xác thực hai lớp", "only an admin may reset two-factor authentication"},
	"user.mfa_reset_self":           {"Không thể tự đặt lại xác thực hai lớp của chính mình; hãy nhờ quản trị viên khác", "an admin cannot reset their own second factor; ask another admin"},
	"user.mfa_session_required":     {"Xác thực hai lớp chỉ được thay đổi khi đăng nhập, không qua mã API", "two-factor settings can be changed from a login session only, not with an API token"},
	"user.mfa_token_invalid":        {"Phiên xác thực hai lớp không hợp lệ hoặc đã hết hạn; hãy đăng nhập lại", "mfa_token invalid, used or expired; log in again"},
}

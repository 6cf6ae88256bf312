package apperr

// partnerMessages are the messages of package partner: partner API keys.
var partnerMessages = map[string]text{
	"partner.key_id_not_uuid":         {"Mã khóa không phải UUID", "key id is not a UUID"},
	"partner.key_invalid":             {"Khóa API không hợp lệ hoặc đã bị thu hồi", "the API key is invalid or revoked"},
	"partner.key_required":            {"Cần khóa API đối tác trong tiêu đề X-Api-Key", "a partner API key is required in the X-Api-Key header"},
	"partner.keys_admin_only":         {"Chỉ quản trị viên quản lý khóa API đối tác", "only an admin manages partner API keys"},
	"partner.name_length":             {"Tên khóa cần 1-100 ký tự", "name must be 1-100 characters"},
	"partner.rate_limit_out_of_range": {"rate_limit là số yêu cầu mỗi phút, từ 0 (mặc định) đến 1000000", "rate_limit must be 0 to 1000000 requests per minute"},
}

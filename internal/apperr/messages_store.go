package apperr

// storeMessages are the messages of package store: the repositories (conflicts and stale versions found by the database).
var storeMessages = map[string]text{
	"store.already_exists":          {"Đã tồn tại", "already exists"},
	"store.missing_reference":       {"Tham chiếu tới bản ghi không tồn tại", "refers to a missing record"},
	"store.not_found":               {"Không tìm thấy", "not found"},
	"store.podcast_image_not_found": {"Ảnh podcast %s không tồn tại", "podcast.image_asset_id refers to no asset: %s"},
	"store.programme_changed":       {"Chương trình đã được người khác sửa (phiên bản hiện tại %d); hãy tải lại", "programme changed since you loaded it; current version %d"},
	"store.programme_slug_taken":    {"Đường dẫn %q đã thuộc chương trình khác", "slug %q is taken"},
	"store.rundown_changed":         {"Kịch bản đã được người khác sửa (phiên bản hiện tại %d); hãy tải lại rồi làm lại", "rundown changed since you loaded it; current version %d: reload and retry"},
	"store.rundown_time_taken":      {"Chương trình đã có kịch bản phát sóng lúc %s", "the programme already has a rundown at %s"},
	"store.story_changed":           {"Bài đã được người khác lưu (phiên bản hiện tại %d); hãy tải lại", "story changed since you loaded it; current version %d"},
	"store.story_slug_taken":        {"Đường dẫn %q đã được bài khác dùng", "slug %q is already used by another story"},
}

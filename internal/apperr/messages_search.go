package apperr

// searchMessages are the messages of package search: search queries.
var searchMessages = map[string]text{
	"search.from_must_before":     {"Ngày bắt đầu phải trước ngày kết thúc", "from must be before to"},
	"search.query_empty":          {"Hãy nhập từ cần tìm", "query q must not be empty"},
	"search.query_no_word":        {"Câu tìm kiếm không có từ nào để tìm", "query has no word to look for; exclusions alone are not enough"},
	"search.query_too_long":       {"Câu tìm kiếm dài %d ký tự, tối đa %d", "query is %d characters, at most %d"},
	"search.query_too_many_words": {"Câu tìm kiếm có %d từ, tối đa %d", "query has %d words, at most %d"},
	"search.story_id_not_uuid":    {"Mã bài %q không phải UUID", "story id %q is not a UUID"},
	"search.story_not_found":      {"Không tìm thấy bài %s", "story %s not found"},
}

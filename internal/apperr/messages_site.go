package apperr

// siteMessages are the messages of package site: the public site.
var siteMessages = map[string]text{
	"site.article_not_found":     {"Không tìm thấy bài %q", "article %q not found"},
	"site.no_article_at_address": {"Không tìm thấy bài viết", "no article at this address"},
	"site.no_such_section":       {"Không có chuyên mục %q", "no such section %q"},
}

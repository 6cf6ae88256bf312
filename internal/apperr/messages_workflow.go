package apperr

// workflowMessages are the messages of package workflow: the approval workflow.
var workflowMessages = map[string]text{
	"workflow.action_not_possible":     {"Không thể %s một bài ở trạng thái %q", "action %q is not possible in state %q"},
	"workflow.all_levels_signed":       {"Mọi cấp duyệt đã ký", "every approval level is already signed"},
	"workflow.already_signed":          {"Bạn đã ký một cấp duyệt; cấp %d cần người khác ký", "you already signed a level; another person must sign level %d"},
	"workflow.level_role_may_not_sign": {"Vai trò của bạn không được ký duyệt cấp %d", "your role may not sign approval level %d"},
	"workflow.no_publish_rights":       {"Bạn không có quyền xuất bản bài ở chuyên mục này", "you do not hold publish rights for this section"},
	"workflow.only_author":             {"Chỉ tác giả của bài được làm việc này", "only the story's author may do this"},
	"workflow.only_section_editor":     {"Chỉ biên tập viên phụ trách chuyên mục được làm việc này", "only an editor of this section may do this"},
}

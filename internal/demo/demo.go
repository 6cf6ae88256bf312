// Package demo fills an empty newsroom with a small Vietnamese demo: five
// sections, one account per role and a dozen stories in various states, all
// made through the real services so that revisions and audit trail are real.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Login is a demo account to print for the person who asked for the demo.
type Login struct {
	Username string
	Password string
	Role     user.Role
}

type account struct {
	username, name string
	role           user.Role
}

var accounts = []account{
	{"phongvien", "Nguyễn Văn An", user.RoleReporter},
	{"phongvien2", "Trần Thị Bình", user.RoleReporter},
	{"bientap", "Lê Minh Châu", user.RoleEditor},
	{"thuky", "Phạm Quốc Dũng", user.RoleManagingEditor},
	{"tongbientap", "Hoàng Thị Hạnh", user.RoleEditorInChief},
	{"sanxuat", "Vũ Đức Giang", user.RoleProducer},
	{"quantri", "Đỗ Thanh Hải", user.RoleAdmin},
}

type sectionSpec struct {
	name   string
	levels int
}

var sections = []sectionSpec{{"Thời sự", 2}, {"Kinh tế", 2}, {"Xã hội", 1}, {"Văn hóa", 1}, {"Thể thao", 1}}

type storySpec struct {
	section  int
	author   int // index in accounts
	headline string
	sapo     string
	body     string
	tags     []string
	channels []story.Channel
	target   workflow.State
}

var stories = []storySpec{
	{0, 0, "Hưng Yên khởi công cầu vượt sông Hồng nối hai tỉnh", "Sáng nay, tỉnh Hưng Yên khởi công dự án cầu vượt sông Hồng với tổng vốn hơn 2.000 tỷ đồng.",
		"<p>Dự án dài 6,5 km, dự kiến hoàn thành sau 30 tháng.</p><p>Ông Nguyễn Văn Bình, Phó Chủ tịch UBND tỉnh, cho biết cây cầu sẽ rút ngắn thời gian đi lại giữa hai bờ.</p>",
		[]string{"Hưng Yên", "giao thông"}, []story.Channel{story.ChannelWeb, story.ChannelRadio, story.ChannelTV}, workflow.Published},
	{0, 1, "Kỳ họp HĐND tỉnh thông qua 15 nghị quyết quan trọng", "Kỳ họp thường lệ cuối năm của HĐND tỉnh đã bế mạc sau ba ngày làm việc.",
		"<p>Các đại biểu đã thông qua nghị quyết về kế hoạch phát triển kinh tế - xã hội năm tới.</p>",
		[]string{"HĐND", "nghị quyết"}, []story.Channel{story.ChannelWeb, story.ChannelRadio}, workflow.Approved},
	{0, 0, "Đường về Hưng Yên thông thoáng dịp cuối tuần", "Lực lượng CSGT bố trí 12 chốt phân luồng trên quốc lộ 5.",
		"<p>Lưu lượng phương tiện tăng khoảng 20% so với ngày thường.</p>", []string{"giao thông"}, []story.Channel{story.ChannelWeb}, workflow.InEdit},
	{1, 1, "Giá lúa tăng, nông dân phấn khởi", "Giá lúa tẻ thường tại ruộng tăng 300 đồng mỗi kg so với tuần trước.",
		"<p>Nhiều thương lái về tận ruộng thu mua.</p><ul><li>Lúa tẻ thường: 7.800 đồng/kg</li><li>Lúa chất lượng cao: 8.600 đồng/kg</li></ul>",
		[]string{"nông nghiệp", "giá cả"}, []story.Channel{story.ChannelWeb, story.ChannelRadio}, workflow.Published},
	{1, 0, "Doanh nghiệp FDI mở rộng nhà máy tại khu công nghiệp Phố Nối", "Dự án mở rộng tạo thêm khoảng 1.500 việc làm.",
		"<p>Nhà máy mới dự kiến đi vào hoạt động vào quý III năm sau.</p>", []string{"đầu tư", "việc làm"}, []story.Channel{story.ChannelWeb}, workflow.Submitted},
	{1, 1, "Xuất khẩu nhãn lồng sang thị trường Nhật Bản", "Lô nhãn lồng đầu tiên đạt chuẩn đã được xuất khẩu sang Nhật Bản.",
		"<p>Sản phẩm được chiếu xạ và đóng gói theo tiêu chuẩn nghiêm ngặt.</p>", []string{"nhãn lồng", "xuất khẩu"}, []story.Channel{story.ChannelWeb, story.ChannelTV}, workflow.Scheduled},
	{2, 0, "Trường học vùng sâu đón năm học mới", "Hơn 300 học sinh xã miền núi được nhận sách vở và đồng phục mới.",
		"<p>Chương trình do Hội Khuyến học tỉnh phối hợp tổ chức.</p>", []string{"giáo dục"}, []story.Channel{story.ChannelWeb, story.ChannelRadio}, workflow.Published},
	{2, 1, "Bệnh viện tỉnh triển khai đặt lịch khám trực tuyến", "Người bệnh có thể đặt lịch qua ứng dụng di động từ tháng tới.",
		"<p>Hệ thống giúp giảm thời gian chờ đợi tại bệnh viện.</p>", []string{"y tế", "chuyển đổi số"}, []story.Channel{story.ChannelWeb}, workflow.Draft},
	{3, 0, "Lễ hội đền Mẫu thu hút hàng nghìn du khách", "Lễ hội truyền thống diễn ra trong ba ngày với nhiều hoạt động văn hóa đặc sắc.",
		"<p>Các nghi lễ rước kiệu, hát trống quân được tái hiện sinh động.</p>", []string{"lễ hội", "du lịch"}, []story.Channel{story.ChannelWeb, story.ChannelTV}, workflow.Published},
	{3, 1, "Phục dựng nghệ thuật hát ca trù ở làng cổ", "Câu lạc bộ ca trù của làng có thêm 10 thành viên trẻ.",
		"<p>Nghệ nhân ưu tú trực tiếp truyền dạy mỗi tối thứ Bảy.</p>", []string{"ca trù", "di sản"}, []story.Channel{story.ChannelWeb, story.ChannelRadio}, workflow.Killed},
	{4, 0, "Đội bóng tỉnh thắng trận mở màn giải hạng Nhất", "Đội nhà giành chiến thắng 2-1 trên sân vận động tỉnh.",
		"<p>Hai bàn thắng được ghi trong hiệp hai.</p>", []string{"bóng đá"}, []story.Channel{story.ChannelWeb, story.ChannelRadio, story.ChannelTV}, workflow.Published},
	{4, 1, "Giải chạy việt dã truyền thống thu hút 2.000 vận động viên", "Giải năm nay có thêm cự ly 21 km dành cho vận động viên phong trào.",
		"<p>Ban tổ chức bố trí 8 trạm tiếp nước dọc đường chạy.</p>", []string{"điền kinh"}, []story.Channel{story.ChannelWeb}, workflow.Submitted},
}

// bridgeTV is the hand-written TV version of the first story; the others get
// one made from their sapo and body.
var bridgeTV = []story.TVSegment{
	{Type: story.SegmentAnchor, Script: "Thưa quý vị, sáng nay tỉnh Hưng Yên chính thức khởi công dự án cầu vượt sông Hồng, công trình giao thông lớn nhất của tỉnh trong nhiều năm qua."},
	{Type: story.SegmentVO, Script: "Dự án dài 6,5 km, tổng vốn hơn 2.000 tỷ đồng, dự kiến hoàn thành sau 30 tháng. Khi đi vào sử dụng, cây cầu sẽ nối liền hai bờ sông Hồng, rút ngắn đáng kể thời gian đi lại của người dân."},
	{Type: story.SegmentSOT, Script: "Ông Nguyễn Văn Bình, Phó Chủ tịch UBND tỉnh: \"Cây cầu sẽ mở ra không gian phát triển mới cho cả hai bờ.\"", DurationSeconds: 15},
	{Type: story.SegmentGraphic, Script: "Cầu vượt sông Hồng: 6,5 km – hơn 2.000 tỷ đồng – 30 tháng", DurationSeconds: 6},
	{Type: story.SegmentStandup, Script: "Theo kế hoạch, nhà thầu sẽ thi công đồng thời ở cả hai đầu cầu để kịp tiến độ. Phóng viên Nguyễn Văn An, tường thuật từ Hưng Yên."},
}

// broadcastVersions gives a demo story the radio and TV versions its channels need.
func broadcastVersions(sp storySpec) (*story.RadioVersion, *story.TVVersion) {
	var radio *story.RadioVersion
	var tv *story.TVVersion
	body := richtext.PlainText(sp.body)
	for _, ch := range sp.channels {
		switch ch {
		case story.ChannelRadio:
			radio = &story.RadioVersion{Presenter: "Thu Hà",
				Script: "Kính thưa quý vị và các bạn.\n\n" + sp.sapo + "\n\n" + body}
		case story.ChannelTV:
			segs := bridgeTV
			if sp.headline != stories[0].headline {
				segs = []story.TVSegment{
					{Type: story.SegmentAnchor, Script: "Thưa quý vị, " + sp.sapo},
					{Type: story.SegmentVO, Script: body},
					{Type: story.SegmentGraphic, Script: sp.headline, DurationSeconds: 5},
				}
			}
			tv = &story.TVVersion{Segments: segs}
		}
	}
	return radio, tv
}

type step struct {
	who user.Actor
	in  story.TransitionInput
}

// Load creates the demo newsroom. On a database that already holds the demo
// accounts it does nothing and returns (nil, nil).
func Load(ctx context.Context, users *user.Service, svc *story.Service) ([]Login, error) {
	if _, err := users.FindUserByUsername(ctx, accounts[0].username); err == nil {
		return nil, nil
	} else if !apperr.Is(err, apperr.CodeNotFound) {
		return nil, err
	}
	var secIDs []string
	for _, sp := range sections {
		name, levels := sp.name, sp.levels
		sec, err := svc.CreateSection(ctx, user.System, story.SectionInput{Name: &name, ApprovalLevels: &levels})
		if err != nil {
			if apperr.Is(err, apperr.CodeConflict) {
				continue
			}
			return nil, fmt.Errorf("demo: section %s: %w", name, err)
		}
		secIDs = append(secIDs, sec.ID)
	}
	if len(secIDs) != len(sections) {
		return nil, fmt.Errorf("demo: sections with the demo names already exist; load the demo into an empty database")
	}
	var logins []Login
	actors := make([]user.Actor, len(accounts))
	no := false
	for i, a := range accounts {
		pw := user.RandomPassword()
		u, _, err := users.CreateUser(ctx, user.System, user.NewUser{Username: a.username, DisplayName: a.name,
			Role: string(a.role), Password: pw, MustChangePassword: &no})
		if err != nil {
			return nil, fmt.Errorf("demo: account %s: %w", a.username, err)
		}
		actors[i] = u.Actor("127.0.0.1")
		logins = append(logins, Login{Username: a.username, Password: pw, Role: a.role})
	}
	editor, me, eic := actors[2], actors[3], actors[4]
	for _, sp := range stories {
		sec, body, tags, chans := secIDs[sp.section], sp.body, sp.tags, sp.channels
		headline, sapo := sp.headline, sp.sapo
		author := actors[sp.author]
		radio, tv := broadcastVersions(sp)
		st, err := svc.CreateStory(ctx, author, story.Content{SectionID: &sec, Headline: &headline, Sapo: &sapo, Body: &body, Tags: &tags, Channels: &chans,
			Radio: radio, TV: tv})
		if err != nil {
			return nil, fmt.Errorf("demo: story %q: %w", headline, err)
		}
		levels := sections[sp.section].levels
		steps := []step{{author, story.TransitionInput{Action: "submit"}}}
		if sp.target != workflow.Draft && sp.target != workflow.Submitted {
			steps = append(steps, step{editor, story.TransitionInput{Action: "claim"}})
		}
		approvals := []user.Actor{editor, eic}[:levels]
		if sp.target == workflow.Approved || sp.target == workflow.Scheduled || sp.target == workflow.Published || sp.target == workflow.Killed {
			for _, who := range approvals {
				steps = append(steps, step{who, story.TransitionInput{Action: "approve"}})
			}
		}
		switch sp.target {
		case workflow.Scheduled:
			at := time.Now().Add(36 * time.Hour)
			steps = append(steps, step{me, story.TransitionInput{Action: "schedule", PublishAt: &at}})
		case workflow.Published, workflow.Killed:
			steps = append(steps, step{me, story.TransitionInput{Action: "publish"}})
		}
		if sp.target == workflow.Killed {
			steps = append(steps, step{eic, story.TransitionInput{Action: "kill", Comment: "Gỡ bài theo yêu cầu của nhân vật trong bài."}})
		}
		if sp.target == workflow.Draft {
			steps = nil
		}
		for _, s := range steps {
			if _, err := svc.Transition(ctx, s.who, st.ID, s.in, nil); err != nil {
				return nil, fmt.Errorf("demo: %s %q: %w", s.in.Action, headline, err)
			}
		}
	}
	return logins, nil
}

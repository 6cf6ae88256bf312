// Package searchgen generates realistic Vietnamese stories for the search
// benchmarks (cmd/newsroom-bench gen and the Go benchmarks in package store):
// text drawn from syllable frequencies of Vietnamese news writing, common
// two-syllable words and place names, sections, tags and dates spread over
// ten years. It is deterministic for a given seed.
package searchgen

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// syllables are frequent syllables of Vietnamese news text, most frequent
// first; Zipf sampling over this order gives a realistic spread.
var syllables = strings.Fields(`và của là có được các trong cho một những người với đã không này năm
để đến theo về khi ngày tại từ việc cũng nhiều như ra phát triển sẽ nhà đồng thời đó công tác
đang tỉnh huyện xã thành phố dân kinh tế xã hội chính quyền cán bộ học sinh trường bệnh viện
đường giao thông nông nghiệp sản xuất doanh nghiệp đầu tư dự án tăng trưởng giá thị trường
lúa gạo cây trồng mùa vụ nước mưa bão lũ lụt thiên tai an toàn cứu hộ công an cảnh sát vụ án
điều tra bắt giữ tòa xét xử bóng đá giải đấu đội tuyển vận động viên huy chương văn hóa lễ
hội du lịch khách di tích chùa đền nghệ thuật biểu diễn giáo dục thi cử tuyển sinh y tế dịch
bệnh tiêm chủng vắc xin quốc hội chính phủ bộ trưởng chủ tịch ủy ban nhân dân hội nghị họp
kế hoạch chương trình mục tiêu nhiệm vụ giải pháp thực hiện triển khai kết quả đánh giá
năng lượng điện xăng dầu môi trường rác thải ô nhiễm rừng biển cảng tàu xe máy ô tô cầu
hầm sân bay dương đương mới cũ lớn nhỏ cao thấp nhanh chậm tốt xấu đẹp mạnh yếu hơn nhất
trên dưới trước sau giữa ngoài bên cạnh cùng lúc hôm nay qua tới tháng quý tuần sáng chiều tối`)

// places are two-syllable place names (proper nouns, capitalised).
var places = []string{"Hưng Yên", "Hà Nội", "Hải Phòng", "Thái Bình", "Nam Định", "Ninh Bình", "Hải Dương", "Bắc Ninh",
	"Vĩnh Phúc", "Phú Thọ", "Đà Nẵng", "Huế", "Cần Thơ", "Quảng Ninh", "Lạng Sơn", "Yên Bái", "Lào Cai", "Sơn La",
	"Điện Biên", "Hòa Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Đồng Nai", "Bình Dương"}

// Tags are the tag vocabulary.
var Tags = []string{"kinh tế", "nông nghiệp", "giao thông", "giáo dục", "y tế", "thể thao", "văn hóa", "du lịch",
	"pháp luật", "môi trường", "thời tiết", "đầu tư", "xây dựng", "an ninh", "chuyển đổi số", "Hưng Yên", "Hà Nội",
	"bóng đá", "lễ hội", "doanh nghiệp"}

// Generator makes stories.
type Generator struct {
	rng      *rand.Rand
	zipf     *rand.Zipf
	Sections []string
	AuthorID string
	Now      time.Time
}

// New returns a generator over the sections, for the author, with dates up
// to ten years before now.
func New(seed int64, sections []string, authorID string, now time.Time) *Generator {
	rng := rand.New(rand.NewSource(seed))
	return &Generator{rng: rng, zipf: rand.NewZipf(rng, 1.1, 2, uint64(len(syllables)-1)),
		Sections: sections, AuthorID: authorID, Now: now}
}

func (g *Generator) word() string { return syllables[g.zipf.Uint64()] }

// sentence is 8–25 syllables, sometimes with a place name, capitalised, with a full stop.
func (g *Generator) sentence() string {
	n := 8 + g.rng.Intn(18)
	ws := make([]string, 0, n+2)
	for i := 0; i < n; i++ {
		if g.rng.Intn(12) == 0 {
			ws = append(ws, places[g.rng.Intn(len(places))])
			continue
		}
		ws = append(ws, g.word())
	}
	s := strings.Join(ws, " ")
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r) + "."
}

// Story returns the i-th story: published (85%) or in another state, 3–12
// paragraphs, dated uniformly over ten years.
func (g *Generator) Story() story.Story {
	at := g.Now.Add(-time.Duration(g.rng.Int63n(int64(10 * 365 * 24 * time.Hour)))).UTC().Truncate(time.Microsecond)
	var body strings.Builder
	for p := 3 + g.rng.Intn(10); p > 0; p-- {
		body.WriteString("<p>")
		for s := 2 + g.rng.Intn(4); s > 0; s-- {
			body.WriteString(g.sentence())
			body.WriteByte(' ')
		}
		body.WriteString("</p>")
	}
	headline := strings.TrimSuffix(g.sentence(), ".")
	if r := []rune(headline); len(r) > 120 {
		headline = string(r[:120])
	}
	tags := []string{Tags[g.rng.Intn(len(Tags))]}
	if g.rng.Intn(2) == 0 {
		if t := Tags[g.rng.Intn(len(Tags))]; t != tags[0] {
			tags = append(tags, t)
		}
	}
	state := workflow.Published
	switch x := g.rng.Intn(100); {
	case x < 5:
		state = workflow.Draft
	case x < 10:
		state = workflow.Submitted
	case x < 13:
		state = workflow.Approved
	case x < 15:
		state = workflow.Killed
	}
	st := story.Story{ID: uuid.NewString(), SectionID: g.Sections[g.rng.Intn(len(g.Sections))], Headline: headline,
		Sapo: g.sentence() + " " + g.sentence(), Body: body.String(), Byline: "PV", Tags: tags,
		Channels: []story.Channel{story.ChannelWeb}, State: state, Version: 1, AuthorID: g.AuthorID,
		Slug: fmt.Sprintf("bai-%s", uuid.NewString()[:12]), CreatedAt: at, UpdatedAt: at}
	if state == workflow.Published || state == workflow.Killed {
		st.PublishedAt = &at
	}
	return st
}

// Percentile returns the p-th percentile (0–100) of sorted durations.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// Queries are the benchmark's query kinds with example queries of each.
var Queries = map[string][]string{
	"one-word": {"lúa", "bão", "điện", "rừng", "cảng"},
	"two-word": {"kinh tế", "giao thông", "bóng đá", "du lịch", "môi trường"},
	"phrase":   {`"tăng trưởng"`, `"Hưng Yên"`, `"vắc xin"`, `"sân bay"`, `"xăng dầu"`},
	"folded":   {"kinh te", "giao thong", "hung yen", "du lich", "lu lut"},
	"filtered": {"lúa", "bão", "kinh tế", "giao thông", "đầu tư"}, // with a section and a date range
	"prefix":   {"tăng trư", "hưng y", "giao th", "bóng đ", "du lị"},
}

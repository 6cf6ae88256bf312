package feed_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

var published = time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)

// article is a published article with a featured photo (large rendition
// on a CDN) and one tag.
func article(state workflow.State) *site.Article {
	a := &site.Article{Section: story.Section{ID: "s1", Name: "Thời sự", Slug: "thoi-su"}, Path: "/thoi-su/bai-abc.html",
		Author: site.Author{DisplayName: "Tên phóng viên"},
		Media: []asset.Attachment{{Role: asset.RoleFeatured, Asset: &asset.Asset{ID: "a1", Kind: asset.KindImage, URL: "/media/a1.jpg",
			ContentType: "image/jpeg", Size: 900, Renditions: []asset.Rendition{{Name: "large", URL: "https://cdn.example.vn/a1-large.jpg", ContentType: "image/jpeg", Size: 300}}}}}}
	a.ID, a.Slug, a.Headline, a.Sapo, a.Byline, a.Version = "id1", "bai", "Tiêu đề", "Sapo", " ", 3
	a.Body, a.Tags, a.State, a.PublishedAt, a.UpdatedAt = "<p>Thân ]]> bài</p><script>x</script>", []string{"Hà Nội"}, state, &published, published
	return a
}

func TestFormatterAbs(t *testing.T) {
	f := feed.NewFormatter(feed.Site{Name: "Báo", BaseURL: "https://bao.example.vn/"})
	for in, want := range map[string]string{"/a": "https://bao.example.vn/a", "https://cdn.example.vn/x": "https://cdn.example.vn/x", "http://h/y": "http://h/y"} {
		if got := f.Abs(in); got != want {
			t.Errorf("Abs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNinjsKilledHasNoContent(t *testing.T) {
	f := feed.NewFormatter(feed.Site{Name: "Báo", BaseURL: "https://bao.example.vn"})
	for _, tc := range []struct {
		state                  workflow.State
		status, representation string
		bodies, associations   int
	}{{workflow.Published, "usable", "full", 1, 1}, {workflow.Killed, "canceled", "partial", 0, 0}} {
		n := f.Ninjs(article(tc.state))
		if n.PubStatus != tc.status || n.Representation != tc.representation || len(n.Bodies) != tc.bodies || len(n.Associations) != tc.associations {
			t.Errorf("%s: %+v", tc.state, n)
		}
		if n.CopyrightHolder != "Báo" || n.AltIDs[0].Value != "https://bao.example.vn/thoi-su/bai-abc.html" {
			t.Errorf("%s: holder %q altIds %+v", tc.state, n.CopyrightHolder, n.AltIDs)
		}
	}
	n := f.Ninjs(article(workflow.Published))
	if strings.Contains(n.Bodies[0].Value, "<script>") || n.Subjects[1].URI != "https://bao.example.vn/tu-khoa/H%C3%A0%20N%E1%BB%99i" {
		t.Errorf("body %q subjects %+v", n.Bodies[0].Value, n.Subjects)
	}
}

func TestContentKilledHidesText(t *testing.T) {
	f := feed.NewFormatter(feed.Site{BaseURL: "https://bao.example.vn"})
	c := f.Content(article(workflow.Killed), true)
	if c.Body != nil || c.Sapo != "" || len(c.Media) != 0 || c.Media == nil || c.Headline != "Tiêu đề" {
		t.Errorf("killed content %+v", c)
	}
	c = f.Content(article(workflow.Published), false)
	if c.Body != nil || c.Media[0].URL != "https://bao.example.vn/media/a1.jpg" || c.Section.URL != "https://bao.example.vn/thoi-su" {
		t.Errorf("list content %+v", c)
	}
}

func TestRSSFullTextEscapesCDATAEnd(t *testing.T) {
	f := feed.NewFormatter(feed.Site{BaseURL: "https://bao.example.vn"})
	doc := f.RSS([]site.Article{*article(workflow.Published)}, "Báo", "/", "/rss.xml", true)
	b, err := xml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"<![CDATA[<p>Thân ]]&gt; bài</p>]]>", `<enclosure url="https://cdn.example.vn/a1-large.jpg" length="300" type="image/jpeg">`,
		"<pubDate>Wed, 25 Nov 2026 08:00:00 +0700</pubDate>", "<lastBuildDate>Wed, 25 Nov 2026 08:00:00 +0700</lastBuildDate>"} {
		if !strings.Contains(s, want) {
			t.Errorf("RSS lacks %s:\n%s", want, s)
		}
	}
}

type articles map[string]*site.Article

func (m articles) ArticleByKey(_ context.Context, key string) (*site.Article, error) {
	return m[key], nil
}

func TestRendererNinjsCarriesVersion(t *testing.T) {
	r := feed.NewRenderer(articles{"id1": article(workflow.Published)}, feed.Site{Name: "Báo", BaseURL: "https://bao.example.vn"})
	b, err := r.Render(context.Background(), "id1", distribution.FormatNinjs)
	if err != nil {
		t.Fatal(err)
	}
	var n feed.NinjsItem
	if err := json.Unmarshal(b, &n); err != nil || n.Version != "3" {
		t.Errorf("ninjs version %q (%v)", n.Version, err)
	}
	p, err := r.PublicArticle(context.Background(), "id1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Author != "Tên phóng viên" || p.CoverURL != "https://cdn.example.vn/a1-large.jpg" || p.URL != "https://bao.example.vn/thoi-su/bai-abc.html" || p.BaseURL != "https://bao.example.vn" {
		t.Errorf("public article %+v", p)
	}
}

package search

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// stopWords are Vietnamese function syllables (and a few English ones) that
// never make a tag or a related-story key; compared in exact lower case,
// since folding would confuse "của" with "cua" (crab).
var stopWords = toSet(`và của là có được cho các những một trong với đã đang sẽ này đó khi thì mà để từ theo tại về
không cũng như nhưng hay hoặc nên vì do bị ra vào lên xuống rất nhiều đến trên dưới sau trước lại còn chỉ đều vẫn nếu
thế nào gì ai đây ấy ông bà anh chị em tôi chúng họ mình cùng qua hơn việc tới bởi rằng ở làm người năm ngày tháng
cả mỗi nhất đang vừa mới phải sự nhằm đây điều thêm tin bài the of and a an in to is for on`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// IsStopWord reports whether a lower-case word is a Vietnamese stop word.
func IsStopWord(exact string) bool { return stopWords[exact] }

func (s *Service) findStory(ctx context.Context, id string) (*story.Story, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "search.story_id_not_uuid", id)
	}
	st, err := s.stories.FindStoryByID(ctx, id, false)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return st, nil
}

func (s *Service) readable(ctx context.Context, a user.Actor, id string) (*story.Story, error) {
	st, err := s.findStory(ctx, id)
	if err != nil {
		return nil, err
	}
	if !story.CanRead(a, st) {
		return nil, apperr.NotFound("search.story_not_found", id)
	}
	return st, nil
}

// Related returns up to limit published stories (never killed ones) close to
// the story: sharing its tags (weighted like headlines) or the words of its
// headline and sapo, recent first among equals.
func (s *Service) Related(ctx context.Context, storyID string, limit int) ([]Hit, error) {
	st, err := s.findStory(ctx, storyID)
	if err != nil {
		return nil, err
	}
	return s.related(ctx, st, limit)
}

// RelatedFor is Related for staff: the actor must be able to read the story.
func (s *Service) RelatedFor(ctx context.Context, a user.Actor, storyID string, limit int) ([]Hit, error) {
	st, err := s.readable(ctx, a, storyID)
	if err != nil {
		return nil, err
	}
	return s.related(ctx, st, limit)
}

func (s *Service) related(ctx context.Context, st *story.Story, limit int) ([]Hit, error) {
	if limit <= 0 || limit > 20 {
		limit = 5
	}
	var q Query
	seen := map[string]bool{}
	add := func(w Word) {
		if len(q.Terms) >= MaxQueryWords || seen[w.Folded] || IsStopWord(w.Exact) || len([]rune(w.Folded)) < 2 {
			return
		}
		seen[w.Folded] = true
		q.Terms = append(q.Terms, w)
	}
	for _, t := range st.Tags {
		if ws := Words(t); len(ws) > 1 {
			q.Phrases = append(q.Phrases, ws)
		} else {
			for _, w := range ws {
				add(w)
			}
		}
	}
	for _, w := range Words(st.Headline + " " + st.Sapo) {
		add(w)
	}
	if q.IsEmpty() {
		return []Hit{}, nil
	}
	q.Any = true
	f := Filter{Visibility: story.Visibility{PublishedEverywhere: true}, States: []workflow.State{workflow.Published},
		ExcludeIDs: []string{st.ID}, Limit: limit, HalfLife: s.cfg.HalfLife, Now: s.now()}
	docs, err := s.backend.Search(ctx, q, f)
	if err != nil {
		return nil, fmt.Errorf("search: related: %w", err)
	}
	return s.hits(Query{Terms: q.Terms, Phrases: q.Phrases}, docs), nil
}

// Suggestion is a proposed tag with its TF-IDF score.
type Suggestion struct {
	Tag   string  `json:"tag"`
	Score float64 `json:"score"`
}

// MaxSuggestions is how many tags SuggestTags proposes.
const MaxSuggestions = 10

// SuggestTags proposes tags for a story the actor may read: the words and
// two-syllable words ("Hưng Yên", "kinh tế") of its text that are frequent in
// it and rare in the published archive (TF-IDF), leaving out stop words and
// tags it already has.
func (s *Service) SuggestTags(ctx context.Context, a user.Actor, storyID string) ([]Suggestion, error) {
	st, err := s.readable(ctx, a, storyID)
	if err != nil {
		return nil, err
	}
	cands := Candidates(st.Headline + "\n" + st.Sapo + "\n" + richtext.PlainText(st.Body))
	have := map[string]bool{}
	for _, t := range st.Tags {
		have[foldedKey(Words(t))] = true
	}
	var keep []Candidate
	for _, c := range cands {
		if !have[c.Key] {
			keep = append(keep, c)
		}
	}
	if len(keep) > 40 {
		keep = keep[:40]
	}
	phrases := make([][]Word, len(keep))
	for i, c := range keep {
		phrases[i] = c.Words
	}
	dfs, total, err := s.backend.DocFreq(ctx, phrases)
	if err != nil {
		return nil, fmt.Errorf("search: suggest tags: %w", err)
	}
	out := make([]Suggestion, 0, len(keep))
	for i, c := range keep {
		idf := math.Log(float64(total+1)/float64(dfs[i]+1)) + 1
		score := float64(c.Count) * idf
		if len(c.Words) > 1 {
			score *= 1.5 // a two-syllable word is usually the meaningful unit
		}
		out = append(out, Suggestion{Tag: c.Display, Score: math.Round(score*1000) / 1000})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > MaxSuggestions {
		out = out[:MaxSuggestions]
	}
	return out, nil
}

// Candidate is a word or two-syllable word of a text with its frequency.
type Candidate struct {
	Key     string // folded words joined by spaces
	Display string // as first written
	Words   []Word
	Count   int
}

func foldedKey(ws []Word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Folded
	}
	return strings.Join(parts, " ")
}

// Candidates returns the words and syllable bigrams of text, most frequent
// first: bigrams never span punctuation, no part is a stop word, digits-only
// words are skipped, and single syllables need two letters.
func Candidates(text string) []Candidate {
	byKey := map[string]*Candidate{}
	var order []string
	addC := func(ws []Word, display string) {
		k := foldedKey(ws)
		c, ok := byKey[k]
		if !ok {
			c = &Candidate{Key: k, Display: display, Words: ws}
			byKey[k] = c
			order = append(order, k)
		}
		c.Count++
	}
	useful := func(w Word) bool {
		if IsStopWord(w.Exact) || len([]rune(w.Folded)) < 2 {
			return false
		}
		for _, r := range w.Folded {
			if r < '0' || r > '9' {
				return true
			}
		}
		return false
	}
	var prev *segment
	var prevWord Word
	for _, sg := range segments(text) {
		sg := sg
		if !sg.word {
			if strings.TrimSpace(sg.text) != "" {
				prev = nil // punctuation breaks a bigram
			}
			continue
		}
		ws := Words(sg.text)
		if len(ws) == 0 {
			prev = nil
			continue
		}
		w := ws[0]
		if !useful(w) {
			prev = nil
			continue
		}
		addC([]Word{w}, sg.text)
		if prev != nil {
			addC([]Word{prevWord, w}, prev.text+" "+sg.text)
		}
		prev, prevWord = &sg, w
	}
	out := make([]Candidate, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

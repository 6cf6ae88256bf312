package asset

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // register decoders for DecodeConfig
	_ "image/jpeg" // and for renditions
	_ "image/png"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	_ "golang.org/x/image/webp"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Default per-kind size limits.
const (
	DefaultImageLimit    int64 = 25 << 20
	DefaultAudioLimit    int64 = 500 << 20
	DefaultVideoLimit    int64 = 4 << 30
	DefaultDocumentLimit int64 = 50 << 20
	// DefaultMaxImagePixels refuses images whose declared size would take
	// too much memory to decode (an "image bomb"): 60 megapixels.
	DefaultMaxImagePixels int64 = 60_000_000
	// headLen is how much of an upload is looked at before storing: enough for
	// magic numbers and an image header with its EXIF block.
	headLen = 256 << 10
	// Field limits in characters.
	MaxFilename = 255
	MaxText     = 2000
	MaxKeywords = 50
)

// Config tunes the asset service.
type Config struct {
	// Limits is the largest accepted file per kind, in bytes.
	Limits map[Kind]int64
	// MaxImagePixels is the largest width×height accepted for an image.
	MaxImagePixels int64
	// Workers is the number of background rendition workers (at least 1).
	Workers int
	// FFprobe is the path of ffprobe, or "" when the machine has none.
	FFprobe string
	// FFmpeg is the path of ffmpeg (podcast MP3, poster frame), or "" when the machine has none.
	FFmpeg string
	// NoHLS turns off the HLS rendition (360p and 720p) of videos, which costs
	// an encode of each video on weak machines.
	NoHLS bool
	// UploadExpiry is how long an unfinished direct upload is kept (default DefaultUploadExpiry).
	UploadExpiry time.Duration
	// UploadPartSize is the part size of direct uploads (default DefaultPartSize, at least MinPartSize).
	UploadPartSize int64
	Logger         *slog.Logger
}

// Service is the asset use cases.
type Service struct {
	repo  Repository
	blobs BlobStore
	tx    txn.Runner
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	jobs  chan renditionJob
	// OnUpdate, when set, runs after an asset's description changed (the
	// public site drops its cached pages when a published story uses it).
	OnUpdate func(ctx context.Context, assetID string) error
	// OnPublicRenditions, when set, runs after background renditions of a
	// file that a published story uses were stored (the public site drops
	// its cached pages, so they show the new srcset, poster or HLS stream).
	OnPublicRenditions func(ctx context.Context) error
}

// NewService wires the asset service. Call Start to run the rendition workers.
func NewService(repo Repository, blobs BlobStore, tx txn.Runner, cfg Config) *Service {
	if cfg.Limits == nil {
		cfg.Limits = map[Kind]int64{}
	}
	for k, v := range map[Kind]int64{KindImage: DefaultImageLimit, KindAudio: DefaultAudioLimit, KindVideo: DefaultVideoLimit, KindDocument: DefaultDocumentLimit} {
		if cfg.Limits[k] <= 0 {
			cfg.Limits[k] = v
		}
	}
	if cfg.MaxImagePixels <= 0 {
		cfg.MaxImagePixels = DefaultMaxImagePixels
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.UploadPartSize < MinPartSize {
		cfg.UploadPartSize = DefaultPartSize
	}
	if cfg.UploadExpiry <= 0 {
		cfg.UploadExpiry = DefaultUploadExpiry
	}
	return &Service{repo: repo, blobs: blobs, tx: tx, cfg: cfg, log: cfg.Logger,
		now:  func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		jobs: make(chan renditionJob, 1024)}
}

// Blobs returns the store the service writes to.
func (s *Service) Blobs() BlobStore { return s.blobs }

// Limit returns the size limit of a kind.
func (s *Service) Limit(k Kind) int64 { return s.cfg.Limits[k] }

// MediaURL is the public path of an object key.
func MediaURL(key string) string { return "/media/" + key }

// Upload is what a client says about a file besides its bytes.
type Upload struct {
	Filename     string
	DeclaredType string
	Meta         Meta
}

// CheckFilename refuses names that could be read as paths or that hide
// control characters; the name is only ever kept as metadata.
func CheckFilename(name string) error {
	if name == "" {
		return nil
	}
	if !utf8.ValidString(name) {
		return apperr.InvalidField("filename", "Tên tệp không phải UTF-8 hợp lệ (file name is not valid UTF-8)")
	}
	if utf8.RuneCountInString(name) > MaxFilename {
		return apperr.InvalidField("filename", "Tên tệp dài quá %d ký tự (file name longer than %d characters)", MaxFilename, MaxFilename)
	}
	if strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return apperr.InvalidField("filename", "Tên tệp không được chứa dấu / hoặc \\ (file name must not contain path separators)")
	}
	if strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) >= 0 {
		return apperr.InvalidField("filename", "Tên tệp chứa ký tự điều khiển (file name contains control characters)")
	}
	return nil
}

// errLimit marks a stream that went over its size limit.
var errLimit = errors.New("asset: size limit exceeded")

// limitReader fails with errLimit once more than n bytes are read; it counts
// and hashes what passes.
type limitReader struct {
	r    io.Reader
	left int64
	n    int64
	h    interface{ Write([]byte) (int, error) }
	err  error // the first error of the underlying reader other than EOF
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, errLimit
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		n -= int(-l.left)
		l.n += int64(n)
		l.h.Write(p[:n])
		return n, errLimit
	}
	l.n += int64(n)
	l.h.Write(p[:n])
	if err != nil && err != io.EOF && l.err == nil {
		l.err = err
	}
	return n, err
}

// Inspect looks at the first bytes of an upload: its type by magic number,
// whether it agrees with the declared Content-Type, and for images the
// declared dimensions, refused above maxPixels (an image bomb).
func Inspect(head []byte, declared string, maxPixels int64) (ct string, kind Kind, width, height int, err error) {
	ct, kind, ok := Sniff(head)
	if !ok {
		return "", "", 0, 0, apperr.UnsupportedMedia("Không nhận ra loại tệp; chỉ nhận ảnh JPEG, PNG, WebP, GIF, âm thanh MP3, M4A/AAC, WAV, OGG, video MP4, WebM, MOV và PDF (unrecognised file type)")
	}
	if !DeclaredMatches(declared, ct) {
		return "", "", 0, 0, apperr.UnsupportedMedia("Loại tệp khai báo %q không khớp nội dung %s (declared Content-Type %q does not match the content, which is %s)", declared, ct, declared, ct).
			WithDetails(map[string]any{"declared": declared, "detected": ct})
	}
	if kind != KindImage {
		return ct, kind, 0, 0, nil
	}
	cfg, _, derr := image.DecodeConfig(bytes.NewReader(head))
	if derr != nil {
		return "", "", 0, 0, apperr.UnsupportedMedia("Không đọc được ảnh %s: %v (the image header cannot be read)", ct, derr)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return "", "", 0, 0, apperr.InvalidField("file", "Ảnh khai báo kích thước %d×%d, vượt quá %d điểm ảnh (image declares %d×%d pixels, over the limit of %d)",
			cfg.Width, cfg.Height, maxPixels, cfg.Width, cfg.Height, maxPixels).WithReason("image_too_many_pixels")
	}
	return ct, kind, cfg.Width, cfg.Height, nil
}

// ContentKey is the content-addressed key of a SHA-256 hex digest.
func ContentKey(sum string) string { return "sha256/" + sum[0:2] + "/" + sum[2:4] + "/" + sum }

// Upload streams body into storage and records the asset. The type comes
// from the bytes; the object is stored under a temporary key while it is
// hashed, then moved to its content-addressed key; the row is written only
// after the object is complete.
func (s *Service) Upload(ctx context.Context, a user.Actor, in Upload, body io.Reader) (*Asset, error) {
	if !a.Role.IsWriter() && a.Role != user.RoleProducer {
		return nil, apperr.Forbidden("Bạn không được tải tệp lên (you may not upload files)")
	}
	if err := CheckFilename(in.Filename); err != nil {
		return nil, err
	}
	draft := &Asset{Source: SourceStaff, Keywords: []string{}, Renditions: []Rendition{}}
	if err := applyMeta(draft, in.Meta); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(body, headLen)
	head, err := br.Peek(headLen)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, apperr.Invalid("Tải lên bị cắt ngang (the upload was interrupted: %v)", err).WithReason("upload_interrupted")
	}
	if len(head) == 0 {
		return nil, apperr.InvalidField("file", "Tệp rỗng, 0 byte (the file is empty)")
	}
	ct, kind, w, hgt, err := Inspect(head, in.DeclaredType, s.cfg.MaxImagePixels)
	if err != nil {
		return nil, err
	}
	draft.Width, draft.Height = w, hgt
	limit := s.cfg.Limits[kind]
	h := sha256.New()
	lr := &limitReader{r: br, left: limit, h: h}
	// Stored under a fresh key straight away (no copy afterwards); the
	// database maps the SHA-256 to the key for dedupe.
	key := NewObjectKey()
	_, err = s.blobs.Put(ctx, key, lr, ct)
	if err != nil {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), key)
		switch {
		case errors.Is(err, errLimit) || lr.left < 0:
			return nil, apperr.TooLarge("Tệp %s vượt quá giới hạn %d byte (the %s file is over the %d-byte limit)", kind, limit, kind, limit).
				WithDetails(map[string]any{"kind": kind, "limit": limit})
		case lr.err != nil || ctx.Err() != nil:
			return nil, apperr.Invalid("Tải lên bị cắt ngang, không lưu gì (the upload was interrupted; nothing was stored)").WithReason("upload_interrupted")
		}
		return nil, storageDown(err)
	}
	if lr.err != nil || lr.left < 0 {
		// The store took a failing stream for its end: never keep it.
		_ = s.blobs.Delete(context.WithoutCancel(ctx), key)
		return nil, apperr.Invalid("Tải lên bị cắt ngang, không lưu gì (the upload was interrupted; nothing was stored)").WithReason("upload_interrupted")
	}
	if lr.n == 0 {
		_ = s.blobs.Delete(ctx, key)
		return nil, apperr.InvalidField("file", "Tệp rỗng, 0 byte (the file is empty)")
	}
	sum := hex.EncodeToString(h.Sum(nil))
	key, existed, err := s.dedupe(ctx, sum, key)
	if err != nil {
		return nil, err
	}
	now := s.now()
	draft.ID, draft.Kind, draft.ContentType, draft.Size, draft.SHA256, draft.Key = uuid.NewString(), kind, ct, lr.n, sum, key
	draft.Filename, draft.UploaderID, draft.CreatedAt, draft.UpdatedAt = in.Filename, a.UserID, now, now
	if err := s.repo.CreateAsset(ctx, draft); err != nil {
		if !existed {
			if n, cerr := s.repo.CountAssetsWithKey(context.WithoutCancel(ctx), key); cerr == nil && n == 0 {
				_ = s.blobs.Delete(context.WithoutCancel(ctx), key)
			}
		}
		return nil, fmt.Errorf("asset: record upload: %w", err)
	}
	s.enqueue(renditionJob{key: key, kind: kind, contentType: ct})
	return s.withURLs(draft), nil
}

func storageDown(err error) error {
	return fmt.Errorf("asset: storage: %w", apperr.Unavailable("Kho lưu trữ tệp không phản hồi, hãy thử lại sau (the file storage is not answering; try again later): %v", err).WithReason("storage_unavailable"))
}

func (s *Service) withURLs(a *Asset) *Asset {
	a.URL = MediaURL(a.Key)
	if a.Renditions == nil {
		a.Renditions = []Rendition{}
	}
	for i := range a.Renditions {
		a.Renditions[i].URL = MediaURL(a.Renditions[i].Key)
	}
	if a.Keywords == nil {
		a.Keywords = []string{}
	}
	return a
}

func cleanText(field, v string, max int) (string, error) {
	v = strings.TrimSpace(textvi.NFC(v))
	if !utf8.ValidString(v) {
		return "", apperr.InvalidField(field, "%s không phải UTF-8 hợp lệ (%s is not valid UTF-8)", field, field)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", apperr.InvalidField(field, "%s dài %d ký tự, tối đa %d (%s is %d characters, at most %d)", field, n, max, field, n, max)
	}
	return v, nil
}

// applyMeta validates m onto a.
func applyMeta(a *Asset, m Meta) error {
	for _, f := range []struct {
		name string
		in   *string
		out  *string
	}{{"title", m.Title, &a.Title}, {"caption", m.Caption, &a.Caption}, {"credit", m.Credit, &a.Credit},
		{"copyright", m.Copyright, &a.Copyright}, {"usage_terms", m.UsageTerms, &a.UsageTerms}, {"alt", m.Alt, &a.Alt}} {
		if f.in == nil {
			continue
		}
		v, err := cleanText(f.name, *f.in, MaxText)
		if err != nil {
			return err
		}
		*f.out = v
	}
	if m.Keywords != nil {
		if len(*m.Keywords) > MaxKeywords {
			return apperr.InvalidField("keywords", "Tối đa %d từ khóa (at most %d keywords)", MaxKeywords, MaxKeywords)
		}
		kw := []string{}
		for _, k := range *m.Keywords {
			v, err := cleanText("keywords", k, 100)
			if err != nil {
				return err
			}
			if v != "" && !slices.Contains(kw, v) {
				kw = append(kw, v)
			}
		}
		a.Keywords = kw
	}
	if m.Source != nil {
		if !slices.Contains([]Source{SourceStaff, SourceAgency, SourceReader}, *m.Source) {
			return apperr.InvalidField("source", "Nguồn %q không hợp lệ; staff, agency hoặc reader (source must be staff, agency or reader)", *m.Source)
		}
		a.Source = *m.Source
	}
	return nil
}

// FindAssetByID returns an asset to any staff member.
func (s *Service) FindAssetByID(ctx context.Context, a user.Actor, id string) (*Asset, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "Mã tệp %q không phải UUID (asset id is not a UUID)", id)
	}
	as, err := s.repo.FindAssetByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.withURLs(as), nil
}

// FindAssets lists assets, newest first, with the cursor of the next page.
func (s *Service) FindAssets(ctx context.Context, a user.Actor, f Filter) ([]Asset, *Cursor, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	f.Query = strings.TrimSpace(textvi.NFC(f.Query))
	lim := f.Limit
	f.Limit = lim + 1
	items, err := s.repo.FindAssets(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	var next *Cursor
	if len(items) > lim {
		items = items[:lim]
		last := items[lim-1]
		next = &Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	for i := range items {
		s.withURLs(&items[i])
	}
	return items, next, nil
}

func canManage(a user.Actor, as *Asset) bool {
	return as.UploaderID == a.UserID || a.Role.IsEditorial()
}

// UpdateAsset changes an asset's description (its uploader or an editor).
func (s *Service) UpdateAsset(ctx context.Context, a user.Actor, id string, m Meta) (*Asset, error) {
	as, err := s.FindAssetByID(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !canManage(a, as) {
		return nil, apperr.Forbidden("Chỉ người tải lên hoặc biên tập viên được sửa tệp này (only the uploader or an editor may change this asset)")
	}
	if m == (Meta{}) {
		return nil, apperr.Invalid("Không có trường nào để sửa (no field to change)")
	}
	if err := applyMeta(as, m); err != nil {
		return nil, err
	}
	as.UpdatedAt = s.now()
	if err := s.repo.UpdateAsset(ctx, as); err != nil {
		return nil, err
	}
	if s.OnUpdate != nil {
		if err := s.OnUpdate(ctx, as.ID); err != nil {
			return nil, fmt.Errorf("asset: after update: %w", err)
		}
	}
	return s.withURLs(as), nil
}

// DeleteAsset removes an asset's record, and its object when no other record
// uses it. An asset used by a published story cannot be deleted (409 names the stories).
func (s *Service) DeleteAsset(ctx context.Context, a user.Actor, id string) error {
	as, err := s.FindAssetByID(ctx, a, id)
	if err != nil {
		return err
	}
	if !canManage(a, as) {
		return apperr.Forbidden("Chỉ người tải lên hoặc biên tập viên được xóa tệp này (only the uploader or an editor may delete this asset)")
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		refs, err := s.repo.StoriesUsing(ctx, id)
		if err != nil {
			return err
		}
		var published []StoryRef
		for _, r := range refs {
			if r.State == "published" {
				published = append(published, r)
			}
		}
		if len(published) > 0 {
			names := make([]string, len(published))
			for i, p := range published {
				names[i] = fmt.Sprintf("%q (%s)", p.Headline, p.ID)
			}
			return apperr.Conflict("Tệp đang dùng trong bài đã xuất bản: %s (the asset is used by published stories: %s)", strings.Join(names, ", "), strings.Join(names, ", ")).
				WithDetails(map[string]any{"stories": published})
		}
		return s.repo.DeleteAsset(ctx, id)
	})
	if err != nil {
		return err
	}
	if n, err := s.repo.CountAssetsWithKey(ctx, as.Key); err == nil && n == 0 {
		keys, _ := s.blobs.List(ctx, as.Key)
		for _, k := range keys {
			if err := s.blobs.Delete(ctx, k); err != nil {
				s.log.Warn("asset: delete object", "key", k, "err", err)
			}
		}
	}
	return nil
}

// mediaBase is the original's key for an original or rendition key.
func mediaBase(key string) string {
	i := strings.LastIndexByte(key, '/')
	if j := strings.IndexByte(key[i+1:], '-'); j >= 0 {
		return key[:i+1+j]
	}
	return key
}

// Media is an open original or rendition for GET /media.
type Media struct {
	Object
	Info ObjectInfo
	// Public is true when an asset stored there is attached to a published
	// story: anyone may read it, and shared caches may keep it.
	Public bool
}

// OpenMedia opens an original or a rendition for GET /media. staff is false
// for the public, who see only assets attached to a published story.
func (s *Service) OpenMedia(ctx context.Context, staff bool, key string) (*Media, error) {
	notFound := apperr.NotFound("Không tìm thấy tệp (media not found)")
	if !ValidKey(key) || !strings.HasPrefix(key, "sha256/") && !strings.HasPrefix(key, "obj/") {
		return nil, notFound
	}
	exists, public, err := s.repo.KeyVisibility(ctx, mediaBase(key))
	if err != nil {
		return nil, err
	}
	if !exists || (!public && !staff) {
		return nil, notFound
	}
	obj, info, err := s.blobs.Get(ctx, key)
	if errors.Is(err, ErrObjectNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, storageDown(err)
	}
	return &Media{Object: obj, Info: info, Public: public}, nil
}

// Ping reports whether the storage answers (for /readyz).
func (s *Service) Ping(ctx context.Context) error {
	if err := s.blobs.Ping(ctx); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

// ReplaceStoryAssets implements story.Attachments: it checks the references
// and makes them the story's attachments (inside the story's transaction).
func (s *Service) ReplaceStoryAssets(ctx context.Context, storyID string, refs []story.AssetRef) error {
	if len(refs) > 200 {
		return apperr.InvalidField("assets", "Tối đa 200 tệp mỗi bài (at most 200 assets per story)")
	}
	out := make([]Attachment, 0, len(refs))
	featured := 0
	seen := map[string]bool{}
	for i, r := range refs {
		field := fmt.Sprintf("assets[%d]", i)
		if _, err := uuid.Parse(r.AssetID); err != nil {
			return apperr.InvalidField(field+".asset_id", "asset_id %q không phải UUID (asset_id is not a UUID)", r.AssetID)
		}
		role := Role(r.Role)
		if !slices.Contains(Roles, role) {
			return apperr.InvalidField(field+".role", "Vai trò %q không hợp lệ; một trong %v (role must be one of %v)", r.Role, Roles, Roles)
		}
		if seen[r.AssetID+"/"+r.Role] {
			return apperr.InvalidField(field, "Tệp %s đã gắn với vai trò %s (asset listed twice in the same role)", r.AssetID, r.Role)
		}
		seen[r.AssetID+"/"+r.Role] = true
		as, err := s.repo.FindAssetByID(ctx, r.AssetID)
		if apperr.Is(err, apperr.CodeNotFound) {
			return apperr.InvalidField(field+".asset_id", "Không có tệp %s (asset %s does not exist)", r.AssetID, r.AssetID)
		} else if err != nil {
			return err
		}
		want := map[Role]Kind{RoleFeatured: KindImage, RoleRadioAudio: KindAudio, RoleTVVideo: KindVideo}[role]
		if want != "" && as.Kind != want {
			return apperr.InvalidField(field+".role", "Vai trò %s cần tệp loại %s, tệp này là %s (role %s needs a %s asset; this one is %s)", role, want, as.Kind, role, want, as.Kind)
		}
		if role == RoleFeatured {
			if featured++; featured > 1 {
				return apperr.InvalidField(field+".role", "Chỉ một ảnh đại diện mỗi bài (only one featured image per story)")
			}
		}
		out = append(out, Attachment{StoryID: storyID, AssetID: r.AssetID, Role: role, Position: i})
	}
	return s.repo.ReplaceAttachments(ctx, storyID, out)
}

// MediaInfo implements story.Attachments: the kind of an asset and its
// duration in seconds (0 while ffprobe has not measured it), for the radio
// and TV versions of stories. An unknown asset is NotFound.
func (s *Service) MediaInfo(ctx context.Context, assetID string) (kind string, seconds float64, err error) {
	as, err := s.repo.FindAssetByID(ctx, assetID)
	if err != nil {
		return "", 0, err
	}
	return string(as.Kind), as.Duration, nil
}

// CheckPublishable implements story.Attachments: the featured image needs alt text and a credit.
func (s *Service) CheckPublishable(ctx context.Context, storyID string) error {
	atts, err := s.repo.FindAttachments(ctx, storyID)
	if err != nil {
		return err
	}
	for _, at := range atts {
		if at.Role != RoleFeatured || at.Asset == nil {
			continue
		}
		var missing []string
		if at.Asset.Alt == "" {
			missing = append(missing, "alt")
		}
		if at.Asset.Credit == "" {
			missing = append(missing, "credit")
		}
		if len(missing) > 0 {
			return apperr.Conflict("Ảnh đại diện thiếu %s; hãy bổ sung chú thích thay thế (alt) và tác giả ảnh (credit) trước khi xuất bản (the featured image lacks %s: add alt text and a credit before publishing)",
				strings.Join(missing, ", "), strings.Join(missing, ", ")).
				WithReason("featured_image_incomplete").WithDetails(map[string]any{"asset_id": at.AssetID, "missing": missing})
		}
	}
	return nil
}

// FindStoryAssets lists a story's attachments with their assets (the caller may read the story).
func (s *Service) FindStoryAssets(ctx context.Context, storyID string) ([]Attachment, error) {
	atts, err := s.repo.FindAttachments(ctx, storyID)
	if err != nil {
		return nil, err
	}
	for i := range atts {
		if atts[i].Asset != nil {
			s.withURLs(atts[i].Asset)
		}
	}
	return atts, nil
}

package asset

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Direct (multipart) uploads: the client sends the parts of a large file
// straight to MinIO through presigned URLs (or to the server with the local
// backend), then asks the server to check and register the result.

// DefaultUploadExpiry is how long an unfinished direct upload is kept.
const DefaultUploadExpiry = 24 * time.Hour

// Part sizes of direct uploads: S3 wants at least 5 MiB per part (but the
// last) and at most 10,000 parts.
const (
	MinPartSize int64 = 5 << 20
	// DefaultPartSize is the part size unless the file needs bigger parts.
	DefaultPartSize int64 = 16 << 20
	maxParts              = 10000
)

// CompletedPart is one uploaded part, as the client reports it when it completes the upload.
type CompletedPart struct {
	Number int    `json:"part_number"`
	ETag   string `json:"etag"`
}

// ErrInvalidParts is returned (wrapped) by a MultipartStore when the parts
// named at completion are missing, out of order, too small or do not match.
var ErrInvalidParts = errors.New("invalid parts")

// MultipartStore is the S3 multipart upload of a BlobStore; both backends have it.
type MultipartStore interface {
	// NewMultipart starts an upload of key and returns its backend id.
	NewMultipart(ctx context.Context, key, contentType string) (uploadID string, err error)
	// PresignPart returns a URL the client PUTs part n to, or "" when the
	// backend cannot (the local folder: parts go through the server).
	PresignPart(ctx context.Context, key, uploadID string, n int, expiry time.Duration) (string, error)
	// PutPart stores part n of size bytes read from r and returns its ETag.
	PutPart(ctx context.Context, key, uploadID string, n int, r io.Reader, size int64) (etag string, err error)
	// CompleteMultipart joins the parts into key.
	CompleteMultipart(ctx context.Context, key, uploadID string, parts []CompletedPart) (ObjectInfo, error)
	// AbortMultipart drops an unfinished upload and its parts; an unknown one is not an error.
	AbortMultipart(ctx context.Context, key, uploadID string) error
	// AbortStaleMultipart drops unfinished uploads under prefix started before t.
	AbortStaleMultipart(ctx context.Context, prefix string, before time.Time) (int, error)
}

// UploadSession is a direct upload in progress.
type UploadSession struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256,omitempty"`
	Meta        Meta   `json:"-"`
	// Key is the temporary object the parts are joined into.
	Key       string `json:"-"`
	BackendID string `json:"-"`
	PartSize  int64  `json:"part_size"`
	// Parts says where to send each part (filled in by StartUpload).
	Parts      []UploadPart `json:"parts"`
	UploaderID string       `json:"uploader_id"`
	CreatedAt  time.Time    `json:"created_at"`
	ExpiresAt  time.Time    `json:"expires_at"`
}

// UploadPart is where the client sends one part.
type UploadPart struct {
	Number int    `json:"part_number"`
	Size   int64  `json:"size"`
	Method string `json:"method"`
	URL    string `json:"url"`
	// Direct is true for a presigned storage URL (send no Authorization
	// header), false for the server's own part route (send the bearer token).
	Direct bool `json:"direct"`
}

// StartUploadRequest declares a file to upload directly.
type StartUploadRequest struct {
	Filename    string `json:"filename"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
	Meta        Meta   `json:"meta"`
}

// UploadRepository persists direct upload sessions (store's asset repository implements it).
type UploadRepository interface {
	CreateUpload(ctx context.Context, u *UploadSession) error
	FindUploadByID(ctx context.Context, id string) (*UploadSession, error)
	DeleteUpload(ctx context.Context, id string) error
	// FindExpiredUploads lists sessions whose expiry is before t, oldest first.
	FindExpiredUploads(ctx context.Context, t time.Time, limit int) ([]UploadSession, error)
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// kindOfType is the kind of a canonical content type Sniff returns.
func kindOfType(ct string) (Kind, bool) {
	switch ct {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return KindImage, true
	case "audio/mpeg", "audio/mp4", "audio/aac", "audio/wav", "audio/ogg":
		return KindAudio, true
	case "video/mp4", "video/webm", "video/quicktime":
		return KindVideo, true
	case "application/pdf":
		return KindDocument, true
	}
	return "", false
}

func (s *Service) multipart() (MultipartStore, UploadRepository, error) {
	mp, ok := s.blobs.(MultipartStore)
	ups, ok2 := s.repo.(UploadRepository)
	if !ok || !ok2 {
		return nil, nil, apperr.Unavailable("asset.direct_upload_unsupported")
	}
	return mp, ups, nil
}

// PartURL is the server's own route for a part, used with the local backend.
func PartURL(id string, n int) string {
	return "/api/v1/assets/uploads/" + id + "/parts/" + strconv.Itoa(n)
}

// partSize picks the part size for a file of size bytes.
func partSize(size, p int64) int64 {
	for (size+p-1)/p > maxParts {
		p *= 2
	}
	return p
}

// StartUpload opens a direct upload: it checks what the client declares,
// starts the multipart upload in storage and says where to send each part.
func (s *Service) StartUpload(ctx context.Context, a user.Actor, req StartUploadRequest) (*UploadSession, error) {
	if !a.Role.IsWriter() && a.Role != user.RoleProducer {
		return nil, apperr.Forbidden("asset.upload_forbidden")
	}
	mp, ups, err := s.multipart()
	if err != nil {
		return nil, err
	}
	if err := CheckFilename(req.Filename); err != nil {
		return nil, err
	}
	draft := &Asset{Keywords: []string{}}
	if err := applyMeta(draft, req.Meta); err != nil {
		return nil, err
	}
	if req.Size <= 0 {
		return nil, apperr.InvalidField("size", "asset.size_not_positive")
	}
	if req.SHA256 != "" && !sha256Hex.MatchString(req.SHA256) {
		return nil, apperr.InvalidField("sha256", "asset.sha256_malformed")
	}
	// The declared type bounds the size now; the sniffed type decides at completion.
	limit := int64(0)
	declared := canonicalType(req.ContentType)
	if k, ok := kindOfType(declared); ok {
		limit = s.cfg.Limits[k]
	} else {
		for _, v := range s.cfg.Limits {
			limit = max(limit, v)
		}
	}
	if req.Size > limit {
		return nil, apperr.TooLarge("asset.declared_size_too_large", req.Size, limit).
			WithDetails(map[string]any{"limit": limit})
	}
	id := uuid.NewString()
	now := s.now()
	u := &UploadSession{ID: id, Filename: req.Filename, ContentType: req.ContentType, Size: req.Size, SHA256: req.SHA256,
		Meta: req.Meta, Key: "tmp/uploads/" + id, PartSize: partSize(req.Size, s.cfg.UploadPartSize), UploaderID: a.UserID,
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.UploadExpiry)}
	ct := declared
	if _, ok := kindOfType(ct); !ok {
		ct = "application/octet-stream"
	}
	u.BackendID, err = mp.NewMultipart(ctx, u.Key, ct)
	if err != nil {
		return nil, storageDown(err)
	}
	if err := s.partURLs(ctx, mp, u); err != nil {
		_ = mp.AbortMultipart(context.WithoutCancel(ctx), u.Key, u.BackendID)
		return nil, storageDown(err)
	}
	if err := ups.CreateUpload(ctx, u); err != nil {
		_ = mp.AbortMultipart(context.WithoutCancel(ctx), u.Key, u.BackendID)
		return nil, fmt.Errorf("asset: record upload session: %w", err)
	}
	return u, nil
}

func canonicalType(declared string) string {
	d := normType(declared)
	if c, ok := typeAliases[d]; ok {
		return c
	}
	return d
}

// partURLs fills in u.Parts.
func (s *Service) partURLs(ctx context.Context, mp MultipartStore, u *UploadSession) error {
	n := int((u.Size + u.PartSize - 1) / u.PartSize)
	u.Parts = make([]UploadPart, n)
	for i := range n {
		size := u.PartSize
		if i == n-1 {
			size = u.Size - int64(n-1)*u.PartSize
		}
		p := UploadPart{Number: i + 1, Size: size, Method: "PUT"}
		url, err := mp.PresignPart(ctx, u.Key, u.BackendID, i+1, time.Until(u.ExpiresAt))
		if err != nil {
			return err
		}
		if url != "" {
			p.URL, p.Direct = url, true
		} else {
			p.URL = PartURL(u.ID, i+1)
		}
		u.Parts[i] = p
	}
	return nil
}

// findOwnUpload loads a live session of the caller.
func (s *Service) findOwnUpload(ctx context.Context, a user.Actor, ups UploadRepository, id string) (*UploadSession, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "asset.upload_id_not_uuid", id)
	}
	u, err := ups.FindUploadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.UploaderID != a.UserID {
		return nil, apperr.NotFound("asset.upload_not_found")
	}
	if !s.now().Before(u.ExpiresAt) {
		return nil, apperr.Gone("asset.upload_expired")
	}
	return u, nil
}

// PutUploadPart stores part n of a direct upload sent through the server
// (the local backend's part URLs). size is the request's Content-Length.
func (s *Service) PutUploadPart(ctx context.Context, a user.Actor, id string, n int, size int64, body io.Reader) (string, error) {
	mp, ups, err := s.multipart()
	if err != nil {
		return "", err
	}
	u, err := s.findOwnUpload(ctx, a, ups, id)
	if err != nil {
		return "", err
	}
	count := int((u.Size + u.PartSize - 1) / u.PartSize)
	if n < 1 || n > count {
		return "", apperr.InvalidField("part", "asset.part_does_not_exist", n, count)
	}
	want := u.PartSize
	if n == count {
		want = u.Size - int64(count-1)*u.PartSize
	}
	if size != want {
		return "", apperr.InvalidField("Content-Length", "asset.part_size_wrong", n, want, size).
			WithReason("part_size_mismatch")
	}
	sr := &sourceReader{r: body}
	etag, err := mp.PutPart(ctx, u.Key, u.BackendID, n, sr, size)
	if err != nil {
		if sr.err != nil || ctx.Err() != nil {
			return "", apperr.Invalid("asset.part_upload_interrupted").WithReason("upload_interrupted")
		}
		return "", storageDown(err)
	}
	return etag, nil
}

// sourceReader remembers a read error of the client's body.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF && s.err == nil {
		s.err = err
	}
	return n, err
}

// CompleteUpload joins the parts, checks size, type and checksum by
// reading the object once, and registers the asset. On any mismatch the
// upload and its object are removed and a 4xx names the problem.
func (s *Service) CompleteUpload(ctx context.Context, a user.Actor, id string, parts []CompletedPart) (*Asset, error) {
	mp, ups, err := s.multipart()
	if err != nil {
		return nil, err
	}
	u, err := s.findOwnUpload(ctx, a, ups, id)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return nil, apperr.InvalidField("parts", "asset.parts_required")
	}
	for i, p := range parts {
		if p.Number != i+1 || p.ETag == "" {
			return nil, apperr.InvalidField(fmt.Sprintf("parts[%d]", i), "asset.parts_out_of_order")
		}
	}
	// From here on, any refusal removes everything: the client starts again.
	discard := func(e error) (*Asset, error) {
		bg := context.WithoutCancel(ctx)
		_ = mp.AbortMultipart(bg, u.Key, u.BackendID)
		_ = s.blobs.Delete(bg, u.Key)
		_ = ups.DeleteUpload(bg, u.ID)
		return nil, e
	}
	info, err := mp.CompleteMultipart(ctx, u.Key, u.BackendID, parts)
	if errors.Is(err, ErrInvalidParts) {
		return discard(apperr.InvalidField("parts", "asset.parts_mismatch", err).WithReason("invalid_parts"))
	} else if err != nil {
		return nil, storageDown(err)
	}
	if info.Size != u.Size {
		return discard(apperr.InvalidField("size", "asset.size_mismatch", info.Size, u.Size).
			WithReason("size_mismatch").WithDetails(map[string]any{"declared": u.Size, "received": info.Size}))
	}
	obj, _, err := s.blobs.Get(ctx, u.Key)
	if err != nil {
		return nil, storageDown(err)
	}
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(obj, h), headLen)
	head, _ := br.Peek(headLen)
	ct, kind, w, hgt, ierr := Inspect(head, u.ContentType, s.cfg.MaxImagePixels)
	if ierr != nil {
		obj.Close()
		return discard(ierr)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		obj.Close()
		return nil, storageDown(err)
	}
	obj.Close()
	if limit := s.cfg.Limits[kind]; u.Size > limit {
		return discard(apperr.TooLarge("asset.file_too_large", kind, limit).
			WithDetails(map[string]any{"kind": kind, "limit": limit}))
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if u.SHA256 != "" && sum != u.SHA256 {
		return discard(apperr.InvalidField("sha256", "asset.sha256_mismatch", sum, u.SHA256).
			WithReason("checksum_mismatch"))
	}
	draft := &Asset{Source: SourceStaff, Keywords: []string{}, Renditions: []Rendition{}}
	if err := applyMeta(draft, u.Meta); err != nil {
		return discard(err)
	}
	draft.Width, draft.Height = w, hgt
	key, existed, err := s.dedupe(ctx, sum, u.Key)
	if err != nil {
		return nil, err
	}
	if !existed {
		// Out of tmp/ (which the sweep empties) under a key of its own.
		key = NewObjectKey()
		if err := s.blobs.Move(ctx, u.Key, key); err != nil {
			_ = s.blobs.Delete(context.WithoutCancel(ctx), u.Key)
			return nil, storageDown(err)
		}
	}
	if err := s.recordStored(ctx, a, draft, stored{kind: kind, contentType: ct, size: u.Size, sum: sum, key: key, filename: u.Filename, shared: existed}); err != nil {
		return nil, err
	}
	if err := ups.DeleteUpload(ctx, u.ID); err != nil {
		s.log.Warn("asset: delete finished upload session", "id", u.ID, "err", err)
	}
	return s.withURLs(draft), nil
}

// AbortUpload cancels the caller's unfinished direct upload: the parts
// already sent are removed from storage and the session is forgotten, so a
// reporter who picked the wrong file does not leave gigabytes behind until
// the sweep.
func (s *Service) AbortUpload(ctx context.Context, a user.Actor, id string) error {
	mp, ups, err := s.multipart()
	if err != nil {
		return err
	}
	u, err := s.findOwnUpload(ctx, a, ups, id)
	if err != nil {
		return err
	}
	if err := mp.AbortMultipart(ctx, u.Key, u.BackendID); err != nil {
		return fmt.Errorf("asset: abort upload %s: %w", u.ID, err)
	}
	if err := s.blobs.Delete(ctx, u.Key); err != nil {
		return fmt.Errorf("asset: delete upload %s: %w", u.ID, err)
	}
	return ups.DeleteUpload(ctx, u.ID)
}

// SweepUploads aborts direct uploads past their expiry, and removes
// temporary objects (tmp/) and unfinished multipart uploads older than the
// expiry that a crash left behind. It returns how many it removed.
func (s *Service) SweepUploads(ctx context.Context) (int, error) {
	now := s.now()
	removed := 0
	mp, ups, err := s.multipart()
	if err != nil {
		return 0, nil
	}
	for {
		expired, err := ups.FindExpiredUploads(ctx, now, 100)
		if err != nil {
			return removed, err
		}
		for _, u := range expired {
			if err := mp.AbortMultipart(ctx, u.Key, u.BackendID); err != nil {
				return removed, fmt.Errorf("asset: abort upload %s: %w", u.ID, err)
			}
			if err := s.blobs.Delete(ctx, u.Key); err != nil {
				return removed, fmt.Errorf("asset: delete upload %s: %w", u.ID, err)
			}
			if err := ups.DeleteUpload(ctx, u.ID); err != nil {
				return removed, err
			}
			removed++
		}
		if len(expired) < 100 {
			break
		}
	}
	before := now.Add(-s.cfg.UploadExpiry)
	n, err := mp.AbortStaleMultipart(ctx, "tmp/", before)
	removed += n
	if err != nil {
		return removed, fmt.Errorf("asset: abort stale multipart uploads: %w", err)
	}
	keys, err := s.blobs.List(ctx, "tmp/")
	if err != nil {
		return removed, fmt.Errorf("asset: list temporary objects: %w", err)
	}
	for _, k := range keys {
		info, err := s.blobs.Stat(ctx, k)
		if err != nil || !info.LastModified.Before(before) {
			continue
		}
		if err := s.blobs.Delete(ctx, k); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// normType lowercases a declared Content-Type and drops its parameters.
func normType(declared string) string {
	d := strings.ToLower(strings.TrimSpace(declared))
	if i := strings.IndexByte(d, ';'); i >= 0 {
		d = strings.TrimSpace(d[:i])
	}
	return d
}

// SetClock replaces the service's clock (tests of expiry).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

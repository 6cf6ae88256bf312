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
	"strings"
	"unicode"
	"unicode/utf8"

	_ "golang.org/x/image/webp"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

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
		return apperr.InvalidField("filename", "asset.filename_not_utf8")
	}
	if utf8.RuneCountInString(name) > MaxFilename {
		return apperr.InvalidField("filename", "asset.filename_too_long", MaxFilename)
	}
	if strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return apperr.InvalidField("filename", "asset.filename_has_separator")
	}
	if strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) >= 0 {
		return apperr.InvalidField("filename", "asset.filename_has_control_chars")
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
		return "", "", 0, 0, apperr.UnsupportedMedia("asset.unrecognised_file_type")
	}
	if !DeclaredMatches(declared, ct) {
		return "", "", 0, 0, apperr.UnsupportedMedia("asset.content_type_mismatch", declared, ct).
			WithDetails(map[string]any{"declared": declared, "detected": ct})
	}
	if kind != KindImage {
		return ct, kind, 0, 0, nil
	}
	cfg, _, derr := image.DecodeConfig(bytes.NewReader(head))
	if derr != nil {
		return "", "", 0, 0, apperr.UnsupportedMedia("asset.image_header_unreadable", ct, derr)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return "", "", 0, 0, apperr.InvalidField("file", "asset.image_too_many_pixels", cfg.Width, cfg.Height, maxPixels).WithReason("image_too_many_pixels")
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
		return nil, apperr.Forbidden("asset.upload_forbidden")
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
		return nil, apperr.Invalid("asset.upload_interrupted_detail", err).WithReason("upload_interrupted")
	}
	if len(head) == 0 {
		return nil, apperr.InvalidField("file", "asset.file_empty")
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
			return nil, apperr.TooLarge("asset.file_too_large", kind, limit).
				WithDetails(map[string]any{"kind": kind, "limit": limit})
		case lr.err != nil || ctx.Err() != nil:
			return nil, apperr.Invalid("asset.upload_interrupted").WithReason("upload_interrupted")
		}
		return nil, storageDown(err)
	}
	if lr.err != nil || lr.left < 0 {
		// The store took a failing stream for its end: never keep it.
		_ = s.blobs.Delete(context.WithoutCancel(ctx), key)
		return nil, apperr.Invalid("asset.upload_interrupted").WithReason("upload_interrupted")
	}
	if lr.n == 0 {
		_ = s.blobs.Delete(ctx, key)
		return nil, apperr.InvalidField("file", "asset.file_empty")
	}
	sum := hex.EncodeToString(h.Sum(nil))
	key, existed, err := s.dedupe(ctx, sum, key)
	if err != nil {
		return nil, err
	}
	if err := s.recordStored(ctx, a, draft, stored{kind: kind, contentType: ct, size: lr.n, sum: sum, key: key, filename: in.Filename, shared: existed}); err != nil {
		return nil, err
	}
	return s.withURLs(draft), nil
}

// stored is a file in storage about to become an asset.
type stored struct {
	kind        Kind
	contentType string
	size        int64
	sum, key    string
	filename    string
	shared      bool // the object existed before (identical upload): never deleted here
}

// recordStored completes draft with the stored file and records it with its
// rendition job; when that fails, an object only this upload used is removed.
func (s *Service) recordStored(ctx context.Context, a user.Actor, draft *Asset, f stored) error {
	now := s.now()
	draft.ID, draft.Kind, draft.ContentType, draft.Size, draft.SHA256, draft.Key = uuid.NewString(), f.kind, f.contentType, f.size, f.sum, f.key
	draft.Filename, draft.UploaderID, draft.CreatedAt, draft.UpdatedAt = f.filename, a.UserID, now, now
	if err := s.recordUpload(ctx, a, draft); err != nil {
		if !f.shared {
			if n, cerr := s.repo.CountAssetsWithKey(context.WithoutCancel(ctx), f.key); cerr == nil && n == 0 {
				_ = s.blobs.Delete(context.WithoutCancel(ctx), f.key)
			}
		}
		return fmt.Errorf("asset: record upload: %w", err)
	}
	return nil
}

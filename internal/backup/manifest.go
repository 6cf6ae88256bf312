package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// FormatVersion is the version of the archive layout and manifest this
// build writes; Verify and Restore refuse a newer one.
const FormatVersion = 1

// ManifestName is the manifest's file name inside a backup folder.
const ManifestName = "manifest.json"

// namePrefix starts every backup folder's name: newsroom-20261203T181500Z.
const namePrefix = "newsroom-"

// poolDir is the destination's shared folder of media objects, by content:
// objects/ab/abcdef… (SHA-256). Every backup in a destination references it,
// so an object is copied once however many backups hold it.
const poolDir = "objects"

// Manifest describes one backup: what it holds and the checksum of each part.
type Manifest struct {
	Format          int       `json:"format"`
	NewsroomVersion string    `json:"newsroom_version"`
	Dialect         string    `json:"dialect"`
	SchemaVersion   int64     `json:"schema_version"`
	CreatedAt       time.Time `json:"created_at"`
	Name            string    `json:"name"`
	// Files are the backup folder's own files (db.sqlite or db.pgdump, and
	// distribution.key on SQLite when there is one).
	Files []File `json:"files"`
	// Objects are the media objects; their bytes are in the destination's
	// pool, objects/<sha256[:2]>/<sha256>.
	Objects []Object `json:"objects"`
}

// File is one file of the backup folder.
type File struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Object is one media object of the asset storage.
type Object struct {
	Key         string `json:"key"`
	ETag        string `json:"etag"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type,omitempty"`
}

// poolName is where the bytes of an object with this SHA-256 live, relative
// to the destination.
func poolName(sum string) string { return path.Join(poolDir, sum[:2], sum) }

// validSum reports a lower-case hex SHA-256.
func validSum(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

func (m *Manifest) check() error {
	if m.Format < 1 || m.Format > FormatVersion {
		return fmt.Errorf("backup format %d is not supported by this build (format %d); use a newer newsroom", m.Format, FormatVersion)
	}
	if m.Dialect != dialectSQLite && m.Dialect != dialectPostgres {
		return fmt.Errorf("manifest names an unknown database %q", m.Dialect)
	}
	for _, f := range m.Files {
		if !validSum(f.SHA256) || f.Name == "" || strings.ContainsAny(f.Name, "/\\") || f.Name == ManifestName {
			return fmt.Errorf("manifest has a bad file entry %q", f.Name)
		}
	}
	for _, o := range m.Objects {
		if !validSum(o.SHA256) || o.Key == "" {
			return fmt.Errorf("manifest has a bad object entry %q", o.Key)
		}
	}
	return nil
}

// dbFile is the manifest's database dump.
func (m *Manifest) dbFile() (File, bool) {
	for _, f := range m.Files {
		if f.Name == dbFileName(m.Dialect) {
			return f, true
		}
	}
	return File{}, false
}

func dbFileName(dialect string) string {
	if dialect == dialectPostgres {
		return "db.pgdump"
	}
	return "db.sqlite"
}

func readManifest(ctx context.Context, d dest, dir string) (*Manifest, error) {
	r, err := d.get(ctx, path.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.where(path.Join(dir, ManifestName)), err)
	}
	defer r.Close()
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(r, 1<<30)).Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: not a newsroom backup manifest: %w", d.where(path.Join(dir, ManifestName)), err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", d.where(path.Join(dir, ManifestName)), err)
	}
	return &m, nil
}

// hashReader counts and hashes what is read through it.
type hashReader struct {
	r io.Reader
	h hashState
	n int64
}

type hashState interface {
	io.Writer
	Sum([]byte) []byte
}

func newHashReader(r io.Reader) *hashReader { return &hashReader{r: r, h: sha256.New()} }

func (h *hashReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.n += int64(n)
	_, _ = h.h.Write(p[:n])
	return n, err
}

func (h *hashReader) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

// checkContent reads name from d and compares its size and SHA-256.
func checkContent(ctx context.Context, d dest, name, wantSum string, wantSize int64) error {
	return copyChecked(ctx, d, name, io.Discard, wantSum, wantSize)
}

// copyChecked copies name from d into w and compares its size and SHA-256.
func copyChecked(ctx context.Context, d dest, name string, w io.Writer, wantSum string, wantSize int64) error {
	r, err := d.get(ctx, name)
	if err != nil {
		return fmt.Errorf("%s: missing or unreadable: %w", d.where(name), err)
	}
	defer r.Close()
	h := newHashReader(r)
	if _, err := io.Copy(w, h); err != nil {
		return fmt.Errorf("%s: read: %w", d.where(name), err)
	}
	if h.n != wantSize || h.sum() != wantSum {
		return fmt.Errorf("%s: checksum mismatch (size %d, sha256 %s; the manifest says size %d, sha256 %s)",
			d.where(name), h.n, h.sum(), wantSize, wantSum)
	}
	return nil
}

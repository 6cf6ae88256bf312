package store

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// The shared login throttle (user.ThrottleRepository): token buckets in
// login_throttle and per-source name locks in login_locks. Each change reads
// its row with FOR UPDATE (PostgreSQL; SQLite's IMMEDIATE transactions
// serialise writers) and writes it back in the same transaction, so that
// concurrent attempts in several processes are all counted.

type loginBucketRow struct {
	Key       string `gorm:"primaryKey"`
	Tokens    float64
	UpdatedAt float64 `gorm:"autoUpdateTime:false"` // Unix seconds
}

func (loginBucketRow) TableName() string { return "login_throttle" }

type loginLockRow struct {
	Name        string `gorm:"primaryKey"`
	Source      string `gorm:"primaryKey"`
	Failures    int
	Lockouts    int
	LockedUntil nullTime
	UpdatedAt   dbTime `gorm:"autoUpdateTime:false"`
}

func (loginLockRow) TableName() string { return "login_locks" }

func unixSeconds(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

func fromUnixSeconds(s float64) time.Time { return time.UnixMicro(int64(s * 1e6)).UTC() }

// changeBucket runs change on the bucket key (full when new) with its row
// locked, and writes it back when change reports a change.
func (r *userRepo) changeBucket(ctx context.Context, key string, rate user.Rate, now time.Time, change func(b *user.Bucket) bool) error {
	what := "login throttle " + key
	return r.db.InTx(ctx, func(ctx context.Context) error {
		c := r.db.conn(ctx)
		if err := c.Exec("INSERT INTO login_throttle (key, tokens, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
			key, float64(rate.Burst), unixSeconds(now)).Error; err != nil {
			return wrap(err, what)
		}
		var row loginBucketRow
		if err := r.db.forUpdate(c.Where("key = ?", key)).Take(&row).Error; err != nil {
			return wrap(err, what)
		}
		b := user.Bucket{Tokens: row.Tokens, At: fromUnixSeconds(row.UpdatedAt)}
		if !change(&b) {
			return nil
		}
		return wrap(c.Exec("UPDATE login_throttle SET tokens = ?, updated_at = ? WHERE key = ?",
			b.Tokens, unixSeconds(b.At), key).Error, what)
	})
}

// TakeLoginToken takes one token from the bucket key.
func (r *userRepo) TakeLoginToken(ctx context.Context, key string, rate user.Rate, now time.Time) (ok bool, wait time.Duration, err error) {
	err = r.changeBucket(ctx, key, rate, now, func(b *user.Bucket) bool {
		ok, wait = b.Take(rate, now)
		return ok
	})
	return ok, wait, err
}

// GiveLoginToken gives a token back to the bucket key.
func (r *userRepo) GiveLoginToken(ctx context.Context, key string, rate user.Rate, now time.Time) error {
	return r.changeBucket(ctx, key, rate, now, func(b *user.Bucket) bool {
		b.Give(rate, now)
		return true
	})
}

func (row loginLockRow) toDomain() user.LoginLock {
	return user.LoginLock{Failures: row.Failures, Lockouts: row.Lockouts, LockedUntil: row.LockedUntil.Ptr(), UpdatedAt: row.UpdatedAt.T}
}

// ChangeLoginLock runs change on the lock of name from source, row locked,
// and stores it when change reports a change.
func (r *userRepo) ChangeLoginLock(ctx context.Context, name, source string, change func(l *user.LoginLock) bool) (*user.LoginLock, error) {
	what := "change login lock"
	var out user.LoginLock
	err := r.db.InTx(ctx, func(ctx context.Context) error {
		c := r.db.conn(ctx)
		if err := c.Exec("INSERT INTO login_locks (name, source, failures, lockouts, updated_at) VALUES (?, ?, 0, 0, ?) ON CONFLICT (name, source) DO NOTHING",
			name, source, toDB(time.Time{})).Error; err != nil {
			return wrap(err, what)
		}
		var row loginLockRow
		if err := r.db.forUpdate(c.Where("name = ? AND source = ?", name, source)).Take(&row).Error; err != nil {
			return wrap(err, what)
		}
		out = row.toDomain()
		if out.UpdatedAt.Year() <= 1 {
			out.UpdatedAt = time.Time{} // just made
		}
		if !change(&out) {
			return nil
		}
		out.LockedUntil, out.UpdatedAt = normPtr(out.LockedUntil), norm(out.UpdatedAt)
		return wrap(c.Model(&loginLockRow{}).Where("name = ? AND source = ?", name, source).Updates(map[string]any{
			"failures": out.Failures, "lockouts": out.Lockouts, "locked_until": toNull(out.LockedUntil), "updated_at": toDB(out.UpdatedAt),
		}).Error, what)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ClearLoginLocks forgets the locks of name from source, or from every
// source when source is empty.
func (r *userRepo) ClearLoginLocks(ctx context.Context, name, source string) error {
	q := r.db.conn(ctx).Where("name = ?", name)
	if source != "" {
		q = q.Where("source = ?", source)
	}
	return wrap(q.Delete(&loginLockRow{}).Error, "clear login locks")
}

// PruneLogin drops the buckets untouched since bucketsBefore (full again by
// then) and the locks quiet since locksBefore (forgotten by then).
func (r *userRepo) PruneLogin(ctx context.Context, bucketsBefore, locksBefore time.Time) error {
	c := r.db.conn(ctx)
	if err := c.Where("updated_at < ?", unixSeconds(bucketsBefore)).Delete(&loginBucketRow{}).Error; err != nil {
		return wrap(err, "prune login throttle")
	}
	return wrap(c.Where("updated_at < ? AND (locked_until IS NULL OR locked_until < ?)", toDB(locksBefore), toDB(locksBefore)).
		Delete(&loginLockRow{}).Error, "prune login locks")
}

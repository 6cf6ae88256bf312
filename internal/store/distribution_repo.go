package store

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// distributionRepo is the distribution.Repository on a DB.
type distributionRepo struct{ db *DB }

// NewDistributionRepository returns the targets, deliveries and attempts repository backed by db.
func NewDistributionRepository(db *DB) distribution.Repository { return &distributionRepo{db: db} }

type targetRow struct {
	ID             string `gorm:"primaryKey"`
	Name           string
	Kind           string
	URL            string `gorm:"column:url"`
	SecretEnc      string
	Format         string
	Sections       jsonCol[[]string]
	Channels       jsonCol[[]string]
	Tags           jsonCol[[]string]
	Active         bool
	TimeoutSeconds int
	MaxConcurrency int
	FeedTokenHash  string
	CreatedAt      dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt      dbTime `gorm:"autoUpdateTime:false"`
}

func (targetRow) TableName() string { return "distribution_targets" }

func targetToRow(t *distribution.Target) targetRow {
	return targetRow{ID: t.ID, Name: t.Name, Kind: string(t.Kind), URL: t.URL, SecretEnc: t.SecretEnc, Format: string(t.Format),
		Sections: jsonCol[[]string]{V: list(t.Sections)}, Channels: jsonCol[[]string]{V: list(t.Channels)}, Tags: jsonCol[[]string]{V: list(t.Tags)},
		Active: t.Active, TimeoutSeconds: t.TimeoutSeconds, MaxConcurrency: t.MaxConcurrency, FeedTokenHash: t.FeedTokenHash,
		CreatedAt: toDB(t.CreatedAt), UpdatedAt: toDB(t.UpdatedAt)}
}

func (r targetRow) toDomain() distribution.Target {
	return distribution.Target{ID: r.ID, Name: r.Name, Kind: distribution.Kind(r.Kind), URL: r.URL, SecretEnc: r.SecretEnc,
		HasSecret: r.SecretEnc != "", Format: distribution.Format(r.Format), Sections: list(r.Sections.V), Channels: list(r.Channels.V),
		Tags: list(r.Tags.V), Active: r.Active, TimeoutSeconds: r.TimeoutSeconds, MaxConcurrency: r.MaxConcurrency,
		FeedTokenHash: r.FeedTokenHash, CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T}
}

// CreateTarget inserts a target; a duplicate name is Conflict.
func (r *distributionRepo) CreateTarget(ctx context.Context, t *distribution.Target) error {
	t.CreatedAt, t.UpdatedAt = norm(t.CreatedAt), norm(t.UpdatedAt)
	row := targetToRow(t)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create distribution target "+t.Name)
}

// UpdateTarget saves every field of a target.
func (r *distributionRepo) UpdateTarget(ctx context.Context, t *distribution.Target) error {
	t.UpdatedAt = norm(t.UpdatedAt)
	row := targetToRow(t)
	res := r.db.conn(ctx).Model(&targetRow{}).Where("id = ?", t.ID).Select("*").Omit("id", "created_at").Updates(&row)
	return touchedOne(res, "update distribution target "+t.ID, "distribution target "+t.ID)
}

// DeleteTarget removes a target.
func (r *distributionRepo) DeleteTarget(ctx context.Context, id string) error {
	res := r.db.conn(ctx).Where("id = ?", id).Delete(&targetRow{})
	return touchedOne(res, "delete distribution target "+id, "distribution target "+id)
}

// FindTargetByID returns a target or NotFound.
func (r *distributionRepo) FindTargetByID(ctx context.Context, id string) (*distribution.Target, error) {
	return findFirst[distribution.Target, targetRow](r.db.conn(ctx).Where("id = ?", id), "find distribution target "+id, "distribution target "+id)
}

// FindTargets lists every target by name.
func (r *distributionRepo) FindTargets(ctx context.Context) ([]distribution.Target, error) {
	return findAll[distribution.Target, targetRow](r.db.conn(ctx).Order("name, id"), "find distribution targets")
}

type deliveryRow struct {
	ID             string `gorm:"primaryKey"`
	StoryID        string
	StoryVersion   int
	Action         string
	TargetID       string
	Channel        string
	State          string
	Attempts       int
	LastError      string
	ExternalID     string
	IdempotencyKey string
	TransitionAt   dbTime
	WindowStart    dbTime
	NextAttemptAt  nullTime
	DeliveredAt    nullTime
	CreatedAt      dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt      dbTime `gorm:"autoUpdateTime:false"`
	// CurrentVersion is read (FindDeliveryByID), never written.
	CurrentVersion int `gorm:"->;column:current_version"`
}

func (deliveryRow) TableName() string { return "distribution_deliveries" }

func deliveryToRow(d *distribution.Delivery) deliveryRow {
	return deliveryRow{ID: d.ID, StoryID: d.StoryID, StoryVersion: d.StoryVersion, Action: string(d.Action), TargetID: d.TargetID,
		Channel: d.Channel, State: string(d.State), Attempts: d.Attempts, LastError: d.LastError, ExternalID: d.ExternalID,
		IdempotencyKey: d.IdempotencyKey, TransitionAt: toDB(d.TransitionAt), WindowStart: toDB(d.WindowStart),
		NextAttemptAt: toNull(d.NextAttemptAt), DeliveredAt: toNull(d.DeliveredAt), CreatedAt: toDB(d.CreatedAt), UpdatedAt: toDB(d.UpdatedAt)}
}

func (r deliveryRow) toDomain() distribution.Delivery {
	return distribution.Delivery{ID: r.ID, StoryID: r.StoryID, StoryVersion: r.StoryVersion, Action: workflow.Action(r.Action),
		TargetID: r.TargetID, Channel: r.Channel, State: distribution.State(r.State), Attempts: r.Attempts, LastError: r.LastError,
		ExternalID: r.ExternalID, IdempotencyKey: r.IdempotencyKey, TransitionAt: r.TransitionAt.T, WindowStart: r.WindowStart.T,
		NextAttemptAt: r.NextAttemptAt.Ptr(), DeliveredAt: r.DeliveredAt.Ptr(), CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T,
		CurrentStoryVersion: r.CurrentVersion}
}

// CreateDelivery inserts a delivery; a second one for the same story
// revision and target or channel is Conflict.
func (r *distributionRepo) CreateDelivery(ctx context.Context, d *distribution.Delivery) error {
	row := deliveryToRow(d)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create delivery "+d.ID)
}

// CreateDeliveries inserts a transition's deliveries in one statement.
func (r *distributionRepo) CreateDeliveries(ctx context.Context, ds []*distribution.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	rows := make([]deliveryRow, len(ds))
	for i, d := range ds {
		rows[i] = deliveryToRow(d)
	}
	return wrap(r.db.conn(ctx).Create(&rows).Error, "create deliveries of story "+ds[0].StoryID)
}

// UpdateDelivery saves a delivery's progress.
func (r *distributionRepo) UpdateDelivery(ctx context.Context, d *distribution.Delivery) error {
	row := deliveryToRow(d)
	res := r.db.conn(ctx).Model(&deliveryRow{}).Where("id = ?", d.ID).
		Select("state", "attempts", "last_error", "external_id", "window_start", "next_attempt_at", "delivered_at", "updated_at").Updates(&row)
	return touchedOne(res, "update delivery "+d.ID, "delivery "+d.ID)
}

// saveAttemptPostgres logs the attempt and updates the delivery in one
// statement (one round trip, one commit): every delivery ends with it, so
// it runs hundreds of times a second under a burst of publications.
const saveAttemptPostgres = `WITH a AS (
  INSERT INTO distribution_attempts (delivery_id, at, status_code, latency_ms, error, response)
  VALUES (?, ?, ?, ?, ?, ?) RETURNING id)
UPDATE distribution_deliveries SET state = ?, attempts = ?, last_error = ?, external_id = ?, window_start = ?,
  next_attempt_at = ?, delivered_at = ?, updated_at = ?
FROM a WHERE distribution_deliveries.id = ? RETURNING a.id`

// SaveAttempt logs an attempt and saves the delivery's progress together:
// one statement on PostgreSQL, one transaction on SQLite (which has no
// data-modifying WITH).
func (r *distributionRepo) SaveAttempt(ctx context.Context, d *distribution.Delivery, a *distribution.Attempt) error {
	a.DeliveryID = d.ID
	if r.db.Dialect != DialectPostgres {
		return r.db.InTx(ctx, func(ctx context.Context) error {
			if err := r.CreateAttempt(ctx, a); err != nil {
				return err
			}
			return r.UpdateDelivery(ctx, d)
		})
	}
	row := deliveryToRow(d)
	var ids []int64
	err := r.db.conn(ctx).Raw(saveAttemptPostgres,
		a.DeliveryID, toDB(a.At), a.StatusCode, a.LatencyMS, a.Error, a.Response,
		row.State, row.Attempts, row.LastError, row.ExternalID, row.WindowStart, row.NextAttemptAt, row.DeliveredAt, row.UpdatedAt,
		d.ID).Scan(&ids).Error
	if err != nil {
		return wrap(err, "log attempt of delivery "+d.ID)
	}
	if len(ids) == 0 {
		return notFound("delivery " + d.ID)
	}
	a.ID = ids[0]
	return nil
}

// FindDeliveryByID returns a delivery or NotFound, with the story's current
// version (0 when the story is gone).
func (r *distributionRepo) FindDeliveryByID(ctx context.Context, id string) (*distribution.Delivery, error) {
	q := r.db.conn(ctx).Table("distribution_deliveries").
		Select("distribution_deliveries.*, COALESCE((SELECT s.version FROM stories s WHERE s.id = distribution_deliveries.story_id), 0) AS current_version").
		Where("distribution_deliveries.id = ?", id)
	return findFirst[distribution.Delivery, deliveryRow](r.db.forUpdate(q), "find delivery "+id, "delivery "+id)
}

// FindDeliveriesByStory lists a story's deliveries, oldest first.
func (r *distributionRepo) FindDeliveriesByStory(ctx context.Context, storyID string) ([]distribution.Delivery, error) {
	return findAll[distribution.Delivery, deliveryRow](r.db.conn(ctx).Where("story_id = ?", storyID).Order("story_version, created_at, id"), "find deliveries of story "+storyID)
}

type attemptRow struct {
	ID         int64 `gorm:"primaryKey;autoIncrement"`
	DeliveryID string
	At         dbTime
	StatusCode int
	LatencyMS  int `gorm:"column:latency_ms"`
	Error      string
	Response   string
}

func (attemptRow) TableName() string { return "distribution_attempts" }

// CreateAttempt logs an attempt.
func (r *distributionRepo) CreateAttempt(ctx context.Context, a *distribution.Attempt) error {
	row := attemptRow{DeliveryID: a.DeliveryID, At: toDB(a.At), StatusCode: a.StatusCode, LatencyMS: a.LatencyMS, Error: a.Error, Response: a.Response}
	if err := r.db.conn(ctx).Create(&row).Error; err != nil {
		return wrap(err, "log delivery attempt")
	}
	a.ID = row.ID
	return nil
}

// FindAttempts lists a delivery's attempts, oldest first.
func (r *distributionRepo) FindAttempts(ctx context.Context, deliveryID string) ([]distribution.Attempt, error) {
	return findAll[distribution.Attempt, attemptRow](r.db.conn(ctx).Where("delivery_id = ?", deliveryID).Order("id"), "find attempts of delivery "+deliveryID)
}

func (row attemptRow) toDomain() distribution.Attempt {
	return distribution.Attempt{ID: row.ID, DeliveryID: row.DeliveryID, At: row.At.T, StatusCode: row.StatusCode,
		LatencyMS: row.LatencyMS, Error: row.Error, Response: row.Response}
}

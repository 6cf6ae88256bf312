package jobs_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/jobs"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// upload stores a file as the reporter, with the alt text and credit a
// published featured image needs.
func (e *env) upload(name, contentType string, data []byte) *asset.Asset {
	e.t.Helper()
	alt, credit := "Ảnh "+name, "Ảnh: Minh Anh"
	a, err := e.app.Assets.Upload(context.Background(), e.reporter, asset.Upload{Filename: name, DeclaredType: contentType,
		Meta: asset.Meta{Alt: &alt, Credit: &credit}}, bytes.NewReader(data))
	if err != nil {
		e.t.Fatalf("upload %s: %v", name, err)
	}
	return a
}

// asset reads an asset back.
func (e *env) asset(id string) *asset.Asset {
	e.t.Helper()
	a, err := e.app.Assets.FindAssetByID(context.Background(), e.reporter, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func renditionNames(a *asset.Asset) string {
	var names []string
	for _, r := range a.Renditions {
		names = append(names, r.Name)
	}
	return strings.Join(names, ",")
}

// siteGeneration is the shared page-cache counter every process watches.
func siteGeneration(t testing.TB, db *store.DB) int64 {
	t.Helper()
	var n int64
	if err := db.SQL.QueryRow("SELECT n FROM site_generation WHERE id = 1").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRenditionJobSurvivesRestart: a photo uploaded while no job runner
// runs (the process then stops) keeps its rendition job in the database; a
// new process on the same database and storage makes the renditions, and
// because a published story already uses the photo, the public site's
// cached pages are dropped.
func TestRenditionJobSurvivesRestart(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		photo := e.upload("cau-moi.jpg", "image/jpeg", testutil.JPEG(t, 1000, 600))
		if n := countJobs(t, e.db, jobs.ImageRenditionArgs{}.Kind()); n != 1 {
			t.Fatalf("%d image rendition jobs after the upload, want 1", n)
		}
		st := e.approved("Khánh thành cầu mới", story.AssetRef{AssetID: photo.ID, Role: "featured"})
		e.transition(st.ID, "publish", "", nil)
		if got := e.asset(photo.ID); len(got.Renditions) != 0 {
			t.Fatalf("renditions %s with no runner", renditionNames(got))
		}
		gen := siteGeneration(t, e.db)

		next, err := app.NewWithBase(ctx, app.BaseOn(e.db, e.app.Config, slog.New(slog.NewTextHandler(io.Discard, nil))),
			app.Options{Version: "test", Jobs: jobs.Options{PollInterval: 50 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		stop, err := next.Start(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stop(context.Background()) })
		testutil.Eventually(t, time.Minute, "the new process to make the renditions", func() bool {
			return len(e.asset(photo.ID).Renditions) == 3
		})
		got := e.asset(photo.ID)
		for i, want := range []struct {
			name  string
			width int
		}{{"thumbnail", 320}, {"medium", 800}, {"large", 1000}} {
			if r := got.Renditions[i]; r.Name != want.name || r.Width != want.width || r.ContentType != "image/jpeg" {
				t.Errorf("rendition %d: %+v, want %s %d px wide", i, r, want.name, want.width)
			}
		}
		testutil.Eventually(t, 10*time.Second, "the public pages to be dropped", func() bool { return siteGeneration(t, e.db) > gen })
	})
}

// syncBuffer is a log destination that tests read while the app writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// quickRetry retries failed jobs after 10 ms instead of River's attempt⁴ seconds.
type quickRetry struct{}

func (quickRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(10 * time.Millisecond)
}

// TestFailingRenditionRetriesThenRecordsFailure: a photo whose header reads
// but whose body is cut short fails to decode on every attempt; the job is
// tried its five times, then discarded, and the last failure is logged with
// the file's key while the asset keeps its original only.
func TestFailingRenditionRetriesThenRecordsFailure(t *testing.T) {
	logs := &syncBuffer{}
	forEachEnv(t, func(t *testing.T, e *env) {
		e.start()
		whole := testutil.JPEG(t, 400, 300)
		broken := e.upload("hong.jpg", "image/jpeg", whole[:len(whole)/2])
		e.app.WaitRenditions(time.Minute)
		var state string
		var attempt, maxAttempts int
		if err := e.db.SQL.QueryRow("SELECT state, attempt, max_attempts FROM river_job WHERE kind = $1",
			jobs.ImageRenditionArgs{}.Kind()).Scan(&state, &attempt, &maxAttempts); err != nil {
			t.Fatal(err)
		}
		if state != "discarded" || attempt != 5 || maxAttempts != 5 {
			t.Fatalf("rendition job %s after %d of %d attempts, want discarded after 5 of 5", state, attempt, maxAttempts)
		}
		if got := e.asset(broken.ID); len(got.Renditions) != 0 || got.Key != broken.Key {
			t.Fatalf("asset after failed renditions: %+v", got)
		}
		out := logs.String()
		var last string
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, `msg="asset: make renditions"`) && strings.Contains(line, "key="+broken.Key) {
				last = line
			}
		}
		if !strings.Contains(last, "level=ERROR") || !strings.Contains(last, "decode") {
			t.Fatalf("no error logged for the last attempt at %s:\n%s", broken.Key, out)
		}
		if n := strings.Count(out, `msg="asset renditions failed; retrying" key=`+broken.Key); n != 4 {
			t.Errorf("%d retries logged for %s, want 4", n, broken.Key)
		}
	}, testutil.WithLogger(slog.New(slog.NewTextHandler(logs, nil))),
		testutil.WithAppOptions(func(o *app.Options) { o.Jobs.RetryPolicy = quickRetry{} }))
}

// refuseRenditionJobs makes every insert of an image rendition job fail, as
// a database that refuses the job would.
var refuseRenditionJobs = map[string][]string{
	store.DialectSQLite: {`CREATE TRIGGER refuse_renditions BEFORE INSERT ON river_job
		WHEN NEW.kind = 'asset.renditions.image' BEGIN SELECT RAISE(ABORT, 'rendition jobs refused'); END`},
	store.DialectPostgres: {`CREATE FUNCTION refuse_renditions() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'rendition jobs refused'; END $$`,
		`CREATE TRIGGER refuse_renditions BEFORE INSERT ON river_job
		FOR EACH ROW WHEN (NEW.kind = 'asset.renditions.image') EXECUTE FUNCTION refuse_renditions()`},
}

// TestUploadAndRenditionJobCommitTogether: the asset row and its rendition
// job are one transaction. When the job cannot be inserted the upload fails
// and leaves neither a row nor a stored file; an upload that succeeds has both.
func TestUploadAndRenditionJobCommitTogether(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for _, q := range refuseRenditionJobs[e.db.Dialect] {
			if _, err := e.db.SQL.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		photo := testutil.JPEG(t, 200, 100)
		if _, err := e.app.Assets.Upload(ctx, e.reporter, asset.Upload{Filename: "a.jpg", DeclaredType: "image/jpeg"}, bytes.NewReader(photo)); err == nil ||
			!strings.Contains(err.Error(), "rendition jobs refused") {
			t.Fatalf("upload with the job refused: %v, want the refusal", err)
		}
		var rows int
		if err := e.db.SQL.QueryRow("SELECT count(*) FROM assets").Scan(&rows); err != nil || rows != 0 {
			t.Fatalf("%d asset rows (%v) after an upload whose job was refused, want 0", rows, err)
		}
		if keys, err := e.app.Assets.Blobs().List(ctx, "obj/"); err != nil || len(keys) != 0 {
			t.Fatalf("stored files %v (%v) after the refused upload, want none", keys, err)
		}
		if _, err := e.db.SQL.Exec("DROP TRIGGER refuse_renditions" + map[string]string{store.DialectPostgres: " ON river_job"}[e.db.Dialect]); err != nil {
			t.Fatal(err)
		}
		e.upload("a.jpg", "image/jpeg", photo)
		if err := e.db.SQL.QueryRow("SELECT count(*) FROM assets").Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("%d asset rows (%v), want 1", rows, err)
		}
		if n := countJobs(t, e.db, jobs.ImageRenditionArgs{}.Kind()); n != 1 {
			t.Fatalf("%d rendition jobs, want 1", n)
		}
	})
}

// TestMediaRenditionsWithFFmpeg: audio and video get their own job kinds,
// and the runner makes what ffmpeg makes (podcast MP3; poster and HLS).
func TestMediaRenditionsWithFFmpeg(t *testing.T) {
	ffmpeg, _ := testutil.FFmpeg(t)
	wav := testutil.MakeMedia(t, ffmpeg, "tone.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=1")
	mp4 := testutil.MakeMedia(t, ffmpeg, "clip.mp4", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25", "-pix_fmt", "yuv420p", "-c:v", "libx264")
	forEachEnv(t, func(t *testing.T, e *env) {
		e.start()
		sound := e.upload("ban-tin.wav", "audio/wav", wav)
		clip := e.upload("phong-su.mp4", "video/mp4", mp4)
		e.app.WaitRenditions(2 * time.Minute)
		for _, kind := range []string{jobs.AudioRenditionArgs{}.Kind(), jobs.VideoRenditionArgs{}.Kind()} {
			var state string
			if err := e.db.SQL.QueryRow("SELECT state FROM river_job WHERE kind = $1", kind).Scan(&state); err != nil || state != "completed" {
				t.Fatalf("%s job: %q (%v), want completed", kind, state, err)
			}
		}
		if got := e.asset(sound.ID); renditionNames(got) != "podcast" || got.Duration < 0.9 {
			t.Errorf("audio: renditions %q, duration %v; want the podcast MP3 of a 1 s tone", renditionNames(got), got.Duration)
		}
		if got := e.asset(clip.ID); renditionNames(got) != "poster,hls" || got.Width != 320 || got.Duration < 1.9 {
			t.Errorf("video: renditions %q, %dx%d, %v s; want poster and HLS of a 2 s 320x240 clip", renditionNames(got), got.Width, got.Height, got.Duration)
		}
	})
}

// Package config loads the newsroom configuration: defaults in code, then an
// optional YAML file, then NEWSROOM_* environment variables (nested keys
// joined by '_': http.addr is NEWSROOM_HTTP_ADDR).
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/confmap"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/v2"
)

// Config is every setting of the server. configs/newsroom.yaml documents each key.
type Config struct {
	HTTP      HTTP      `koanf:"http"`
	Database  Database  `koanf:"database"`
	Auth      Auth      `koanf:"auth"`
	Story     Story     `koanf:"story"`
	Scheduler Scheduler `koanf:"scheduler"`
	Log       Log       `koanf:"log"`
	Site      Site      `koanf:"site"`
	Content   Content   `koanf:"content_api"`
	Search    Search    `koanf:"search"`
	Storage   Storage   `koanf:"storage"`
	// Distribution is the publish fan-out to channels and external targets.
	Distribution Distribution `koanf:"distribution"`
	// Broadcast tunes the radio and TV versions of stories.
	Broadcast Broadcast `koanf:"broadcast"`
	// MOS is the link to a MOS device (playout, prompter); see internal/broadcast/mos.
	MOS MOS `koanf:"mos"`
	// Metrics is the Prometheus listener (metrics.addr, metrics.token).
	Metrics Metrics `koanf:"metrics"`
	// Security is the level-3 access controls (security.*).
	Security Security `koanf:"security"`
	// Audit is the audit log's retention (audit.retention).
	Audit Audit `koanf:"audit"`
	// Backup is the scheduled backup (backup.interval, backup.to, backup.keep).
	Backup Backup `koanf:"backup"`
}

// MOS is the newsroom as a MOS NCS towards one device (internal/broadcast/mos.Config).
type MOS struct {
	Enabled   bool   `koanf:"enabled"`
	Host      string `koanf:"host"`
	LowerPort int    `koanf:"lower_port"`
	UpperPort int    `koanf:"upper_port"`
	NCSID     string `koanf:"ncs_id"`
	MOSID     string `koanf:"mos_id"`
	// ListenHost, NCSLowerPort and NCSUpperPort are where the newsroom listens for the device's own connections (0 = do not listen).
	ListenHost        string        `koanf:"listen_host"`
	NCSLowerPort      int           `koanf:"ncs_lower_port"`
	NCSUpperPort      int           `koanf:"ncs_upper_port"`
	HeartbeatInterval time.Duration `koanf:"heartbeat_interval"`
	ReplyTimeout      time.Duration `koanf:"reply_timeout"`
	ReconnectMin      time.Duration `koanf:"reconnect_min"`
	ReconnectMax      time.Duration `koanf:"reconnect_max"`
}

// validate checks the MOS settings when the link is enabled.
func (m MOS) validate() []error {
	if !m.Enabled {
		return nil
	}
	var errs []error
	if strings.TrimSpace(m.Host) == "" {
		errs = append(errs, fmt.Errorf("mos.host must name the MOS device (NEWSROOM_MOS_HOST) when mos.enabled is true"))
	}
	for _, p := range []struct {
		key    string
		v      int
		zeroOK bool
	}{{"mos.lower_port", m.LowerPort, false}, {"mos.upper_port", m.UpperPort, false},
		{"mos.ncs_lower_port", m.NCSLowerPort, true}, {"mos.ncs_upper_port", m.NCSUpperPort, true}} {
		if p.v < 0 || p.v > 65535 || (p.v == 0 && !p.zeroOK) {
			errs = append(errs, fmt.Errorf("%s must be a TCP port between 1 and 65535, got %d", p.key, p.v))
		}
	}
	for _, id := range []struct{ key, v string }{{"mos.ncs_id", m.NCSID}, {"mos.mos_id", m.MOSID}} {
		ok := id.v != "" && len(id.v) <= 128
		for _, r := range id.v {
			ok = ok && r > 0x20 && r < 0x7f
		}
		if !ok {
			errs = append(errs, fmt.Errorf("%s must be 1 to 128 printable ASCII characters without spaces, as configured on the MOS device, got %q", id.key, id.v))
		}
	}
	if m.HeartbeatInterval < 100*time.Millisecond || m.ReplyTimeout < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("mos.heartbeat_interval and mos.reply_timeout must be at least 100ms"))
	}
	if m.ReconnectMin < 10*time.Millisecond || m.ReconnectMax < m.ReconnectMin {
		errs = append(errs, fmt.Errorf("mos.reconnect_min must be at least 10ms and mos.reconnect_max at least mos.reconnect_min"))
	}
	return errs
}

// Broadcast tunes the radio and TV versions of stories.
type Broadcast struct {
	// WordsPerMinute is the default reading rate (syllables per minute) behind read times.
	WordsPerMinute int `koanf:"words_per_minute"`
	// Presenters are "Name=wpm" entries: each presenter's own reading rate.
	Presenters []string `koanf:"presenters"`
}

// PresenterWPM parses Presenters into name -> words per minute.
func (b Broadcast) PresenterWPM() (map[string]int, error) {
	out := make(map[string]int, len(b.Presenters))
	for _, p := range b.Presenters {
		name, rate, ok := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		n, err := strconv.Atoi(strings.TrimSpace(rate))
		if !ok || name == "" || err != nil {
			return nil, fmt.Errorf("broadcast.presenters: %q must be Name=words_per_minute, e.g. \"Thu Hà=150\"", p)
		}
		if n < 60 || n > 400 {
			return nil, fmt.Errorf("broadcast.presenters: %q: the rate must be between 60 and 400 words per minute", p)
		}
		out[name] = n
	}
	return out, nil
}

// Distribution tunes the publish fan-out (webhook targets and channels).
type Distribution struct {
	// SecretKey seals target secrets (AES-256-GCM): 32 bytes as base64 or hex.
	SecretKey string `koanf:"secret_key"`
	// RetryHorizon is how long a failing delivery is retried before it is dead.
	RetryHorizon time.Duration `koanf:"retry_horizon"`
	// AllowHosts are the hosts or host:port pairs the SSRF guard lets through.
	AllowHosts []string `koanf:"allow_hosts"`
	// StuckAfter is how long a job may run before it is taken for the job of
	// a process that died and is run again (jobs.Options.StuckAfter).
	StuckAfter time.Duration `koanf:"stuck_after"`
	// ZaloVerifyTimeout bounds how long one attempt at a Zalo delivery polls
	// Zalo's verify call for the article id before trying again later.
	ZaloVerifyTimeout time.Duration `koanf:"zalo_verify_timeout"`
}

// Storage is where asset files live: a local folder or MinIO/S3.
type Storage struct {
	Kind             string        `koanf:"kind"` // local or minio
	Local            StorageLocal  `koanf:"local"`
	MinIO            StorageMinIO  `koanf:"minio"`
	Limits           StorageLimits `koanf:"limits"`
	MaxImagePixels   int64         `koanf:"max_image_pixels"`
	RenditionWorkers int           `koanf:"rendition_workers"`
	// UploadExpiry is how long an unfinished direct (multipart) upload is kept before the sweep removes it.
	UploadExpiry time.Duration `koanf:"upload_expiry"`
	// HLS makes an HLS rendition (360p and 720p, 6 s segments) of every video when ffmpeg is present.
	HLS bool `koanf:"hls"`
	// UploadPartSize is the part size offered to direct uploads, in bytes (S3 allows 5 MiB to 5 GiB).
	UploadPartSize int64 `koanf:"upload_part_size"`
}

// StorageLocal is the local folder backend.
type StorageLocal struct {
	Dir string `koanf:"dir"`
}

// StorageMinIO is the MinIO/S3 backend; keys and secrets come from the environment or a file kept out of the repository.
type StorageMinIO struct {
	Endpoint  string `koanf:"endpoint"`
	Bucket    string `koanf:"bucket"`
	AccessKey string `koanf:"access_key"`
	SecretKey string `koanf:"secret_key"`
	UseSSL    bool   `koanf:"use_ssl"`
	Region    string `koanf:"region"`
}

// StorageLimits are the largest accepted uploads per kind, in bytes.
type StorageLimits struct {
	Image    int64 `koanf:"image"`
	Audio    int64 `koanf:"audio"`
	Video    int64 `koanf:"video"`
	Document int64 `koanf:"document"`
}

// Search tunes search ranking.
type Search struct {
	// RecencyHalfLife is the age at which a story scores half of a new one with the same words.
	RecencyHalfLife time.Duration `koanf:"recency_half_life"`
}

// Site is the public news site, its feeds and the press-law identification
// its footer must carry.
type Site struct {
	Name          string        `koanf:"name"`
	BaseURL       string        `koanf:"base_url"`
	Licence       string        `koanf:"licence"`
	LicenceDate   string        `koanf:"licence_date"`
	EditorInChief string        `koanf:"editor_in_chief"`
	Address       string        `koanf:"address"`
	Phone         string        `koanf:"phone"`
	Email         string        `koanf:"email"`
	LogoURL       string        `koanf:"logo_url"`
	RSSFullText   bool          `koanf:"rss_full_text"`
	CacheMaxAge   time.Duration `koanf:"cache_max_age"`
	CacheEntries  int           `koanf:"cache_entries"`
}

// Content is the partners' content API.
type Content struct {
	RateLimit int `koanf:"rate_limit"` // requests per minute per key without its own limit
}

// HTTP is the listener.
type HTTP struct {
	Addr            string        `koanf:"addr"`
	MaxBodyBytes    int64         `koanf:"max_body_bytes"`
	TrustedProxies  []string      `koanf:"trusted_proxies"`
	ReadTimeout     time.Duration `koanf:"read_timeout"`
	WriteTimeout    time.Duration `koanf:"write_timeout"`
	ShutdownTimeout time.Duration `koanf:"shutdown_timeout"`
	// TLSCert and TLSKey are PEM files: when both are set the listener serves
	// HTTPS itself; RedirectAddr (e.g. ":80") then answers plain HTTP with 308.
	TLSCert      string `koanf:"tls_cert"`
	TLSKey       string `koanf:"tls_key"`
	RedirectAddr string `koanf:"redirect_addr"`
}

// Database selects and tunes the database.
type Database struct {
	URL         string `koanf:"url"`
	AutoMigrate bool   `koanf:"auto_migrate"`
}

// Story tunes editing.
type Story struct {
	LockTTL time.Duration `koanf:"lock_ttl"`
}

// Scheduler tunes scheduled publishing.
type Scheduler struct {
	Interval time.Duration `koanf:"interval"`
}

// Log tunes logging.
type Log struct {
	Format string `koanf:"format"` // text or json
	Level  string `koanf:"level"`  // debug, info, warn, error
}

// Default returns the embedded default: SQLite in ./data, listening on loopback.
func Default() Config {
	return Config{
		HTTP: HTTP{Addr: "127.0.0.1:8080", MaxBodyBytes: 4 << 20, TrustedProxies: []string{},
			ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, ShutdownTimeout: 20 * time.Second},
		Database: Database{URL: "./data/newsroom.db"},
		Auth: Auth{PasswordMinLength: 12, MaxFailedLogins: 5, IdleTimeout: 15 * time.Minute,
			LockoutDuration: 15 * time.Minute, LockoutMax: 24 * time.Hour,
			ThrottleIPBurst: 30, ThrottleIPPerMinute: 20, ThrottleUserBurst: 10, ThrottleUserPerMinute: 5,
			AdminIdleTimeout: 5 * time.Minute, SessionLifetime: 12 * time.Hour,
			Argon2:           Argon2{MemoryKiB: 64 * 1024, Time: 3, Threads: 2},
			TokenMaxLifetime: 90 * 24 * time.Hour, AdminTokenMaxLifetime: 24 * time.Hour,
			PasswordClasses: 3, PasswordHistory: 5, PasswordMaxAge: 90 * 24 * time.Hour,
			DormantAfter: 90 * 24 * time.Hour, DormantCheckInterval: time.Hour},
		Story:     Story{LockTTL: 2 * time.Minute},
		Scheduler: Scheduler{Interval: 15 * time.Second},
		Log:       Log{Format: "text", Level: "info"},
		Site: Site{Name: "Báo điện tử Tỉnh", BaseURL: "http://127.0.0.1:8080", Licence: "", LicenceDate: "",
			EditorInChief: "", Address: "", Phone: "", Email: "", LogoURL: "/static/logo.svg",
			CacheMaxAge: 30 * time.Second, CacheEntries: 5000},
		Content: Content{RateLimit: 600},
		Search:  Search{RecencyHalfLife: 30 * 24 * time.Hour},
		Storage: Storage{Kind: "local", Local: StorageLocal{Dir: "./data/media"},
			MinIO:          StorageMinIO{Bucket: "newsroom-media"},
			Limits:         StorageLimits{Image: 25 << 20, Audio: 500 << 20, Video: 4 << 30, Document: 50 << 20},
			MaxImagePixels: 60_000_000, RenditionWorkers: 2, UploadExpiry: 24 * time.Hour, UploadPartSize: 16 << 20, HLS: true},
		Distribution: Distribution{SecretKey: "", RetryHorizon: 24 * time.Hour, AllowHosts: []string{}, StuckAfter: 10 * time.Minute, ZaloVerifyTimeout: time.Minute},
		Broadcast:    Broadcast{WordsPerMinute: 160, Presenters: []string{}},
		MOS: MOS{LowerPort: 10540, UpperPort: 10541, NCSID: "NEWSROOM", NCSLowerPort: 10540, NCSUpperPort: 10541,
			HeartbeatInterval: 10 * time.Second, ReplyTimeout: 10 * time.Second, ReconnectMin: time.Second, ReconnectMax: 30 * time.Second},
		Metrics:  defaultMetrics(),
		Security: Security{AdminAllowCIDRs: []string{}, MFARequiredRoles: []string{"admin", "editor_in_chief"}},
		Audit:    Audit{Retention: 365 * 24 * time.Hour, ExportInterval: 24 * time.Hour},
		Backup:   defaultBackup(),
	}
}

// EnvPrefix starts every environment variable the server reads.
const EnvPrefix = "NEWSROOM_"

// Load reads defaults, then path (if not empty), then the environment.
// Unknown keys in the file are an error, so a typo does not pass silently.
func Load(path string) (Config, error) {
	return load(path, os.Environ)
}

func load(path string, environ func() []string) (Config, error) {
	k := koanf.New(".")
	defaults := toMap(reflect.ValueOf(Default()))
	if err := k.Load(confmap.Provider(defaults, "."), nil); err != nil {
		return Config{}, fmt.Errorf("config: defaults: %w", err)
	}
	known := k.Keys()
	if path != "" {
		fk := koanf.New(".")
		if err := fk.Load(file.Provider(path), yaml.Parser()); err != nil {
			return Config{}, fmt.Errorf("config: read %s: %w", path, err)
		}
		for _, key := range fk.Keys() {
			if !slices.Contains(known, key) {
				return Config{}, fmt.Errorf("config: %s: unknown key %q (see configs/newsroom.yaml for every key)", path, key)
			}
		}
		if err := k.Merge(fk); err != nil {
			return Config{}, fmt.Errorf("config: merge %s: %w", path, err)
		}
	}
	envKeys := map[string]string{}
	for _, key := range known {
		envKeys[EnvName(key)] = key
	}
	var unknownEnv []string
	err := k.Load(env.Provider(".", env.Opt{Prefix: EnvPrefix, EnvironFunc: environ,
		TransformFunc: func(name, value string) (string, any) {
			key, ok := envKeys[name]
			if !ok {
				if !strings.HasPrefix(name, EnvPrefix+"TEST_") {
					unknownEnv = append(unknownEnv, name)
				}
				return "", nil
			}
			if _, isList := defaults[key].([]string); isList {
				return key, splitList(value)
			}
			return key, value
		}}), nil)
	if err != nil {
		return Config{}, fmt.Errorf("config: environment: %w", err)
	}
	var c Config
	if err := k.UnmarshalWithConf("", &c, koanf.UnmarshalConf{Tag: "koanf"}); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if len(unknownEnv) > 0 {
		sort.Strings(unknownEnv)
		return Config{}, fmt.Errorf("config: unknown environment variable(s) %s (see configs/newsroom.yaml for every key)", strings.Join(unknownEnv, ", "))
	}
	return c, c.Validate()
}

func splitList(v string) []string {
	out := []string{}
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// EnvName is the environment variable for a key: http.addr -> NEWSROOM_HTTP_ADDR.
func EnvName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// Keys lists every configuration key (for documentation checks).
func Keys() []string {
	k := koanf.New(".")
	_ = k.Load(confmap.Provider(toMap(reflect.ValueOf(Default())), "."), nil)
	return k.Keys()
}

// toMap turns a config struct into a flat "a.b" map using koanf tags.
func toMap(v reflect.Value) map[string]any {
	out := map[string]any{}
	var walk func(prefix string, v reflect.Value)
	walk = func(prefix string, v reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			name := prefix + t.Field(i).Tag.Get("koanf")
			f := v.Field(i)
			if f.Kind() == reflect.Struct {
				walk(name+".", f)
				continue
			}
			if d, ok := f.Interface().(time.Duration); ok {
				out[name] = d.String()
				continue
			}
			out[name] = f.Interface()
		}
	}
	walk("", v)
	return out
}

// Validate checks the values and explains what is wrong in words a system administrator understands.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.HTTP.Addr); err != nil {
		errs = append(errs, fmt.Errorf("http.addr %q must be host:port, e.g. 127.0.0.1:8080", c.HTTP.Addr))
	}
	if c.HTTP.MaxBodyBytes < 1024 {
		errs = append(errs, fmt.Errorf("http.max_body_bytes must be at least 1024"))
	}
	for _, p := range c.HTTP.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("http.trusted_proxies: %q is neither an IP address nor a CIDR range", p))
			}
		}
	}
	if strings.TrimSpace(c.Database.URL) == "" {
		errs = append(errs, fmt.Errorf("database.url must be set: a postgres:// URL or a SQLite file path"))
	}
	if c.Auth.PasswordMinLength < 12 {
		errs = append(errs, fmt.Errorf("auth.password_min_length must be at least 12"))
	}
	if c.Auth.PasswordClasses < 1 || c.Auth.PasswordClasses > 4 {
		errs = append(errs, fmt.Errorf("auth.password_classes must be 1 to 4"))
	}
	if c.Auth.PasswordHistory < 0 || c.Auth.PasswordHistory > 24 {
		errs = append(errs, fmt.Errorf("auth.password_history must be 0 to 24"))
	}
	if c.Auth.PasswordMaxAge < 0 || c.Auth.DormantAfter < 0 {
		errs = append(errs, fmt.Errorf("auth.password_max_age and auth.dormant_after must not be negative (0 turns them off)"))
	}
	if c.Auth.DormantCheckInterval < time.Second {
		errs = append(errs, fmt.Errorf("auth.dormant_check_interval must be at least 1s"))
	}
	if c.Auth.MaxFailedLogins < 1 {
		errs = append(errs, fmt.Errorf("auth.max_failed_logins must be at least 1"))
	}
	if c.Auth.LockoutDuration <= 0 || c.Auth.LockoutMax < c.Auth.LockoutDuration {
		errs = append(errs, fmt.Errorf("auth.lockout_duration must be positive and auth.lockout_max at least as long"))
	}
	if c.Auth.ThrottleIPBurst < 1 || c.Auth.ThrottleIPPerMinute < 1 || c.Auth.ThrottleUserBurst < 1 || c.Auth.ThrottleUserPerMinute < 1 {
		errs = append(errs, fmt.Errorf("auth.throttle_ip_burst, auth.throttle_ip_per_minute, auth.throttle_user_burst and auth.throttle_user_per_minute must be at least 1"))
	}
	if c.Auth.IdleTimeout < time.Minute || c.Auth.AdminIdleTimeout < time.Minute {
		errs = append(errs, fmt.Errorf("auth.idle_timeout and auth.admin_idle_timeout must be at least 1m"))
	}
	if c.Auth.SessionLifetime < c.Auth.IdleTimeout {
		errs = append(errs, fmt.Errorf("auth.session_lifetime must be at least auth.idle_timeout"))
	}
	if c.Auth.Argon2.MemoryKiB < 8*1024 || c.Auth.Argon2.Time < 1 || c.Auth.Argon2.Threads < 1 {
		errs = append(errs, fmt.Errorf("auth.argon2 needs memory_kib >= 8192, time >= 1, threads >= 1"))
	}
	if c.Auth.TokenMaxLifetime < time.Minute || c.Auth.AdminTokenMaxLifetime < time.Minute {
		errs = append(errs, fmt.Errorf("auth.token_max_lifetime and auth.admin_token_max_lifetime must be at least 1m (API tokens cannot be unlimited)"))
	}
	if c.Auth.AdminTokenMaxLifetime > c.Auth.TokenMaxLifetime {
		errs = append(errs, fmt.Errorf("auth.admin_token_max_lifetime must not exceed auth.token_max_lifetime"))
	}
	if c.Audit.Retention < MinAuditRetention {
		errs = append(errs, fmt.Errorf("audit.retention is %s: it must be at least 90 days (2160h); the audit log keeps rows at least that long", c.Audit.Retention))
	}
	if c.Audit.ExportInterval < time.Minute {
		errs = append(errs, fmt.Errorf("audit.export_interval must be at least 1m"))
	}
	if c.Search.RecencyHalfLife < time.Hour {
		errs = append(errs, fmt.Errorf("search.recency_half_life must be at least 1h"))
	}
	if c.Story.LockTTL < 10*time.Second {
		errs = append(errs, fmt.Errorf("story.lock_ttl must be at least 10s"))
	}
	if c.Distribution.RetryHorizon < time.Minute {
		errs = append(errs, fmt.Errorf("distribution.retry_horizon must be at least 1m"))
	}
	if c.Distribution.StuckAfter < time.Second {
		errs = append(errs, fmt.Errorf("distribution.stuck_after must be at least 1s"))
	}
	if c.Distribution.ZaloVerifyTimeout < time.Second || c.Distribution.ZaloVerifyTimeout > 4*time.Minute {
		errs = append(errs, fmt.Errorf("distribution.zalo_verify_timeout must be between 1s and 4m (a job times out at 5m), got %s", c.Distribution.ZaloVerifyTimeout))
	}
	if c.Broadcast.WordsPerMinute < 60 || c.Broadcast.WordsPerMinute > 400 {
		errs = append(errs, fmt.Errorf("broadcast.words_per_minute must be between 60 and 400, got %d", c.Broadcast.WordsPerMinute))
	}
	if _, err := c.Broadcast.PresenterWPM(); err != nil {
		errs = append(errs, err)
	}
	if c.Scheduler.Interval < time.Second {
		errs = append(errs, fmt.Errorf("scheduler.interval must be at least 1s"))
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		errs = append(errs, fmt.Errorf("log.format must be text or json"))
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level) {
		errs = append(errs, fmt.Errorf("log.level must be debug, info, warn or error"))
	}
	if u, err := url.Parse(c.Site.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		errs = append(errs, fmt.Errorf("site.base_url %q must be an absolute http(s) URL without a path, e.g. https://baotinh.vn", c.Site.BaseURL))
	}
	if c.Site.CacheMaxAge < 0 || c.Site.CacheEntries < 0 {
		errs = append(errs, fmt.Errorf("site.cache_max_age and site.cache_entries must not be negative"))
	}
	if c.Content.RateLimit < 1 {
		errs = append(errs, fmt.Errorf("content_api.rate_limit must be at least 1 request per minute"))
	}
	switch c.Storage.Kind {
	case "local":
		if strings.TrimSpace(c.Storage.Local.Dir) == "" {
			errs = append(errs, fmt.Errorf("storage.local.dir must be set when storage.kind is local"))
		}
	case "minio":
		if c.Storage.MinIO.Endpoint == "" || c.Storage.MinIO.Bucket == "" || c.Storage.MinIO.AccessKey == "" || c.Storage.MinIO.SecretKey == "" {
			errs = append(errs, fmt.Errorf("storage.kind is minio: set storage.minio.endpoint, bucket, access_key and secret_key (NEWSROOM_STORAGE_MINIO_ENDPOINT, ..._BUCKET, ..._ACCESS_KEY, ..._SECRET_KEY)"))
		}
	default:
		errs = append(errs, fmt.Errorf("storage.kind must be local or minio, got %q", c.Storage.Kind))
	}
	if l := c.Storage.Limits; l.Image < 1 || l.Audio < 1 || l.Video < 1 || l.Document < 1 {
		errs = append(errs, fmt.Errorf("storage.limits.image, audio, video and document must be positive byte counts"))
	}
	if c.Storage.MaxImagePixels < 1 {
		errs = append(errs, fmt.Errorf("storage.max_image_pixels must be positive"))
	}
	if c.Storage.UploadPartSize < 5<<20 || c.Storage.UploadPartSize > 5<<30 {
		errs = append(errs, fmt.Errorf("storage.upload_part_size must be between 5 MiB (5242880) and 5 GiB, got %d", c.Storage.UploadPartSize))
	}
	if c.Storage.UploadExpiry < time.Minute {
		errs = append(errs, fmt.Errorf("storage.upload_expiry must be at least 1m, got %s", c.Storage.UploadExpiry))
	}
	if c.Storage.RenditionWorkers < 1 || c.Storage.RenditionWorkers > 64 {
		errs = append(errs, fmt.Errorf("storage.rendition_workers must be between 1 and 64"))
	}
	errs = append(errs, c.MOS.validate()...)
	errs = append(errs, c.Metrics.validate()...)
	errs = append(errs, c.Security.validate()...)
	errs = append(errs, c.Security.validateMFA()...)
	errs = append(errs, c.HTTP.validateTLS()...)
	errs = append(errs, c.Backup.validate()...)
	if len(errs) > 0 {
		return fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return nil
}

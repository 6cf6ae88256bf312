package app

import (
	"path/filepath"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/store"
)

// secretKey is the key sealing distribution targets' secrets:
// distribution.secret_key when it is set; otherwise, on the embedded SQLite
// database, the key file distribution.key in the database's folder (the data
// folder), created on first start (KeyFileCreated says where). PostgreSQL
// deployments run several processes, which must share one key, so there an
// unset key stays unset and targets with a secret are refused.
func (a *App) secretKey() (*distribution.Sealer, error) {
	cfg := a.Config
	path, ok := keyFilePath(cfg, a.DB.Dialect)
	if !ok {
		return distribution.ParseKey(cfg.Distribution.SecretKey)
	}
	key, created, err := distribution.LoadOrCreateKey(path)
	if err != nil {
		return nil, err
	}
	if created {
		a.KeyFileCreated = path
		a.Log.Warn("created the key sealing distribution targets' secrets: back it up with the database; without it stored secrets cannot be read",
			"file", path)
	}
	return key, nil
}

// keyFilePath is the distribution key file of the configuration: on SQLite
// without distribution.secret_key, distribution.key in the database's folder.
func keyFilePath(cfg config.Config, dialect string) (string, bool) {
	if strings.TrimSpace(cfg.Distribution.SecretKey) != "" || dialect != store.DialectSQLite {
		return "", false
	}
	p, err := filepath.Abs(filepath.Join(filepath.Dir(strings.TrimPrefix(cfg.Database.URL, "sqlite://")), distribution.KeyFileName))
	return p, err == nil
}

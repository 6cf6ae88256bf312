#!/usr/bin/env bash
# Runs the whole test suite, on SQLite and on a real PostgreSQL.
# It finds or starts what the tests need, so it passes on a fresh machine:
#   - PostgreSQL: $NEWSROOM_TEST_POSTGRES_URL if set; else the server on
#     127.0.0.1:5432 if it accepts user postgres; else a throwaway cluster
#     (installing Debian's postgresql package if needed) on a free port.
# Usage: scripts/test.sh [go test flags/packages...]   (default: ./...)
set -euo pipefail
cd "$(dirname "$0")/.."

export CGO_ENABLED=0
export CI="${CI:-}"
cache="${NEWSROOM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/newsroom}"
mkdir -p "$cache"

log() { printf '==> %s\n' "$*" >&2; }

cleanup_cmds=()
cleanup() { for c in "${cleanup_cmds[@]}"; do eval "$c" || true; done; }
trap cleanup EXIT

pg_ok() { # $1 = URL
  command -v psql >/dev/null 2>&1 || return 1
  psql "$1" -Atqc 'select 1' >/dev/null 2>&1
}

start_own_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    log "installing PostgreSQL (Debian package postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  fi
  local dir port
  dir=$(mktemp -d /tmp/newsroom-pg.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
  chown -R postgres:postgres "$dir" 2>/dev/null || true
  local as=()
  if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
  "${as[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >/dev/null
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  cleanup_cmds+=("${as[*]} $bindir/pg_ctl -D $dir/data -m immediate stop >/dev/null; rm -rf $dir")
  export NEWSROOM_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  log "started a throwaway PostgreSQL on 127.0.0.1:$port"
}

if [ -z "${NEWSROOM_TEST_POSTGRES_URL:-}" ]; then
  default_url="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
  if ! command -v psql >/dev/null 2>&1; then
    log "installing the PostgreSQL client"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq postgresql-client >/dev/null
  fi
  if pg_ok "$default_url"; then
    export NEWSROOM_TEST_POSTGRES_URL="$default_url"
    log "using PostgreSQL on 127.0.0.1:5432"
  else
    if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start >/dev/null 2>&1 || true
      sleep 2
    fi
    if pg_ok "$default_url"; then
      export NEWSROOM_TEST_POSTGRES_URL="$default_url"
      log "started the machine's PostgreSQL on 127.0.0.1:5432"
    else
      start_own_postgres
    fi
  fi
fi

# The PostgreSQL-restart fault test (cmd/newsroom) runs a throwaway cluster of its own
# (initdb, pg_ctl), even when a server answers on 5432: make sure the server binaries exist.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  log "installing the PostgreSQL server binaries (Debian package postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq postgresql postgresql-contrib >/dev/null
fi

# MinIO server for the object-storage tests: built once into the cache (takes minutes), reused after.
minio_version=v0.0.0-20260212201848-7aac2a2c5b7c
if [ -z "${NEWSROOM_TEST_MINIO_BIN:-}" ]; then
  minio_dir="$cache/minio-$minio_version"
  if [ ! -x "$minio_dir/minio" ]; then
    log "building the MinIO server $minio_version once into $minio_dir (several minutes)"
    mkdir -p "$minio_dir"
    GOBIN="$minio_dir" CGO_ENABLED=0 go install "github.com/minio/minio@$minio_version"
  fi
  export NEWSROOM_TEST_MINIO_BIN="$minio_dir/minio"
fi

# ffmpeg/ffprobe for the audio and video renditions and metadata (Debian's package).
if ! command -v ffprobe >/dev/null 2>&1 || ! command -v ffmpeg >/dev/null 2>&1; then
  log "installing ffmpeg (Debian package ffmpeg)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq ffmpeg >/dev/null
fi

# Chromium for the desk's browser tests (chromedp; Debian's package).
if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium (Debian package chromium)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null
fi

# Node.js and the MOS device the MOS client tests drive (@mos-connection/connector,
# pinned in internal/broadcast/mos/testdata/mos-device/package-lock.json; npm's cache stays in ~/.npm).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "installing Node.js (Debian packages nodejs npm)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq nodejs npm >/dev/null
fi
mos_device=internal/broadcast/mos/testdata/mos-device
if [ ! -d "$mos_device/node_modules/@mos-connection/connector" ]; then
  log "installing the MOS test device (npm ci in $mos_device)"
  npm ci --no-audit --no-fund --prefix "$mos_device" >/dev/null
fi

args=("$@")
if [ ${#args[@]} -eq 0 ]; then args=(./...); fi

log "go vet"
go vet ./...
log "go test (SQLite and PostgreSQL)"
go test -count=1 -p 2 -timeout 20m "${args[@]}"

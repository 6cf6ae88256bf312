#!/usr/bin/env bash
# Brute-force measurement of the login path (docs/security.md#brute-force-measurement).
# Builds the server, starts it on a throwaway SQLite folder on loopback with
# http.trusted_proxies=127.0.0.1 (so that X-Forwarded-For names the attacker),
# then for each scenario runs wrk (scripts/bruteforce/login.lua) with wrong
# passwords for DURATION seconds while a legitimate user logs in once a second
# from another address, and reports statuses, the legitimate logins that
# succeeded, and the server's CPU use (from /proc). Needs wrk (Debian package).
# Usage: scripts/bruteforce/run.sh [DURATION=30] [CONNECTIONS=40] [DELAY_MS=200]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-30} conns=${2:-40} pause=${3:-200}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
server=""
work=$(mktemp -d /tmp/newsroom-bruteforce.XXXXXX)
trap '[ -n "$server" ] && kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/newsroom" ./cmd/newsroom
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export NEWSROOM_DATABASE_URL="$work/newsroom.db" NEWSROOM_STORAGE_LOCAL_DIR="$work/media" \
  NEWSROOM_HTTP_ADDR="127.0.0.1:$port" NEWSROOM_HTTP_TRUSTED_PROXIES=127.0.0.1/32 \
  NEWSROOM_METRICS_ADDR=off NEWSROOM_LOG_LEVEL=error NEWSROOM_DISTRIBUTION_SECRET_KEY=$(head -c32 /dev/urandom | base64)
pw='Brute-force-drill 2026!'
for u in admin reporter1; do
  role=admin; [ "$u" = reporter1 ] && role=reporter
  printf '%s\n' "$pw" | "$work/newsroom" user add --username "$u" --role "$role" --name "$u" --password-stdin >/dev/null
done
"$work/newsroom" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
cpu() { awk '{print $14+$15}' "/proc/$server/stat"; }  # clock ticks, user+system
hz=$(getconf CLK_TCK)
login() { # $1 user, $2 source address → HTTP status
  curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "X-Forwarded-For: $2" \
    --data "{\"username\":\"$1\",\"password\":\"$pw\"}" "http://127.0.0.1:$port/api/v1/auth/login"
}
scenario() { # $1 name, $2 MODE, $3 legitimate user, $4 attacker's source (default 203.0.113.7)
  local ok=0 tries=0 c0 c1
  c0=$(cpu)
  ( while :; do s=$(login "$3" 198.51.100.20); echo "$s" >>"$work/legit-$1"; sleep 1; done ) &
  local legit=$!
  MODE=$2 TARGET=admin SOURCE=${4:-203.0.113.7} DELAY_MS=$pause \
    wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s -s scripts/bruteforce/login.lua "http://127.0.0.1:$port" | grep -E '^(STATUS|RATE)'
  kill $legit; wait $legit 2>/dev/null || true
  c1=$(cpu)
  tries=$(wc -l <"$work/legit-$1"); ok=$(grep -c '^200$' "$work/legit-$1" || true)
  echo "LEGIT $ok/$tries logins of $3 from another address succeeded"
  awk -v a="$c0" -v b="$c1" -v hz="$hz" -v d="$duration" 'BEGIN{printf "CPU server %.1f s over %d s = %.0f%% of one core\n", (b-a)/hz, d, 100*(b-a)/hz/d}'
}
echo "== $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "-- one account (admin), one source address, $duration s"
scenario one one admin
echo "-- random accounts, one source address, $duration s"
scenario random random admin
echo "-- random accounts, a new source address for each request (a botnet), $duration s"
scenario botnet random admin random
echo "-- after the runs: admin from a third address"
echo "admin login: HTTP $(login admin 192.0.2.55)"

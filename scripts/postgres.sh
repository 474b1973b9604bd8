#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: Debian's packages, a fresh cluster in a temp dir,
# trust authentication on 127.0.0.1 and a free port. Nothing of the machine's own clusters is touched.
#
# Usage:
#   scripts/postgres.sh start    install postgresql if missing, initdb, start, create database `triage`;
#                                last stdout line: TRIAGE_TEST_POSTGRES=postgresql+psycopg://...
#   scripts/postgres.sh stop     stop the server and delete its data
#   scripts/postgres.sh status   print the URL if it runs (exit 0), else exit 3
#
# Environment: POSTGRES_STATE_DIR (default /tmp/claims-triage-postgres); the URL is also written to
# $POSTGRES_STATE_DIR/url, where tests/conftest.py finds it. The server runs as the `postgres` user
# when started as root (CI), since PostgreSQL refuses to run as root.
set -euo pipefail

STATE_DIR="${POSTGRES_STATE_DIR:-/tmp/claims-triage-postgres}"
DATA="$STATE_DIR/data"
URL_FILE="$STATE_DIR/url"
HOST=127.0.0.1

log() { printf '[postgres.sh] %s\n' "$*" >&2; }

bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    if [ -z "$found" ]; then
        log "installing Debian's postgresql"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
        found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    fi
    echo "$found"
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

running() {
    [ -f "$URL_FILE" ] && [ -f "$DATA/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
    if running; then
        log "already running"
        echo "TRIAGE_TEST_POSTGRES=$(cat "$URL_FILE")"
        return
    fi
    local bin port
    bin=$(bindir)
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$STATE_DIR"
    as_owner "$bin/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --no-sync >"$STATE_DIR/initdb.log" 2>&1 \
        || { cat "$STATE_DIR/initdb.log" >&2; exit 1; }
    port=$(free_port)
    # fsync off: a test database need not survive a power cut, and tests run faster without it.
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$STATE_DIR/server.log" -w -t 60 \
        -o "-p $port -k $STATE_DIR -c listen_addresses=$HOST -c fsync=off -c max_connections=200" start >&2 \
        || { cat "$STATE_DIR/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h "$HOST" -p "$port" -U postgres triage
    echo "postgresql+psycopg://postgres@$HOST:$port/triage" >"$URL_FILE"
    log "running on $HOST:$port"
    echo "TRIAGE_TEST_POSTGRES=$(cat "$URL_FILE")"
}

stop() {
    if [ -f "$DATA/postmaster.pid" ]; then
        as_owner "$(bindir)/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >&2 || true
    fi
    rm -rf "$STATE_DIR"
    log "stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if running; then cat "$URL_FILE"; else exit 3; fi ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

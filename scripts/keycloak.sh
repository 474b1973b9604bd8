#!/usr/bin/env bash
# Run a real Keycloak server (the identity provider the workbench's OpenID Connect sign-in is tested against)
# in development mode on a loopback port, with the test realm imported.
#
# The distribution comes from Maven Central (org.keycloak:keycloak-quarkus-dist, through mvn); no docker.
#
# Usage:
#   scripts/keycloak.sh fetch    download and unpack the distribution into $KEYCLOAK_HOME (idempotent)
#   scripts/keycloak.sh start    fetch if needed, start with the realm imported, wait until its OpenID
#                                configuration answers; last stdout line: KEYCLOAK_URL=http://127.0.0.1:PORT
#   scripts/keycloak.sh stop     SIGTERM, wait (bounded), then SIGKILL; removes the pid file
#   scripts/keycloak.sh status   print whether it runs and its URL (exit 0 running, 3 stopped)
#
# Environment:
#   KEYCLOAK_VERSION       version to fetch (default 26.7.3)
#   KEYCLOAK_HOME          cache dir of the unpacked distribution (default ~/.cache/claims-triage/keycloak-$VERSION)
#   KEYCLOAK_STATE_DIR     pid, port, url, log files and the server's database (default /tmp/claims-triage-keycloak)
#   KEYCLOAK_PORT          pin the HTTP port (default: a free port, then kept in the state dir)
#   KEYCLOAK_REALM_FILE    realm to import (default tests/integration/keycloak/realm.json)
#   KEYCLOAK_START_TIMEOUT seconds to wait for readiness (default 180: the first start builds the server once)
#   KEYCLOAK_JAVA_HOME     a JDK 21 or newer (default: JAVA_HOME if new enough, else the newest in /usr/lib/jvm)
#
# Progress goes to stderr; stdout carries only the KEYCLOAK_URL=... line. The realm is `claims` (issuer
# $KEYCLOAK_URL/realms/claims), the client `claims-triage`; its users and roles are in the realm file.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$SCRIPT_DIR")"
KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.7.3}"
KEYCLOAK_HOME="${KEYCLOAK_HOME:-$HOME/.cache/claims-triage/keycloak-$KEYCLOAK_VERSION}"
KEYCLOAK_STATE_DIR="${KEYCLOAK_STATE_DIR:-/tmp/claims-triage-keycloak}"
KEYCLOAK_REALM_FILE="${KEYCLOAK_REALM_FILE:-$ROOT/tests/integration/keycloak/realm.json}"
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-180}"
KEYCLOAK_STOP_TIMEOUT="${KEYCLOAK_STOP_TIMEOUT:-30}"
HOST=127.0.0.1
REALM=claims

PID_FILE="$KEYCLOAK_STATE_DIR/keycloak.pid"
PORT_FILE="$KEYCLOAK_STATE_DIR/port"
URL_FILE="$KEYCLOAK_STATE_DIR/url"
LOG="$KEYCLOAK_STATE_DIR/keycloak.log"

log() { printf '[keycloak.sh] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

fetched() { [[ -f "$KEYCLOAK_HOME/.fetched" && -x "$KEYCLOAK_HOME/bin/kc.sh" ]]; }

cmd_fetch() {
  if fetched; then
    log "Keycloak $KEYCLOAK_VERSION already unpacked in $KEYCLOAK_HOME"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found on PATH (scripts/system-deps.sh installs Maven)"
  mkdir -p "$(dirname "$KEYCLOAK_HOME")"
  (
    flock 8
    fetched && exit 0
    local tmp="$KEYCLOAK_HOME.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    log "fetching org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION from Maven Central via mvn ..."
    mvn -B -q -Dstyle.color=never dependency:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz" -DoutputDirectory="$tmp" >&2 \
      || { rm -rf "$tmp"; die "mvn could not fetch Keycloak $KEYCLOAK_VERSION"; }
    log "unpacking ..."
    tar -xzf "$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" -C "$tmp" --strip-components=1
    rm -f "$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz"
    rm -rf "$KEYCLOAK_HOME"
    mv "$tmp" "$KEYCLOAK_HOME"
    date -u +%Y-%m-%dT%H:%M:%SZ >"$KEYCLOAK_HOME/.fetched"
    log "unpacked into $KEYCLOAK_HOME"
  ) 8>"$KEYCLOAK_HOME.fetch.lock"
}

# A JDK new enough for Keycloak 26 (21+): the one named, JAVA_HOME, else the newest under /usr/lib/jvm.
java_home() {
  local candidate
  for candidate in "${KEYCLOAK_JAVA_HOME:-}" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
    local major
    major="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
    if [[ -n "$major" && "$major" -ge 21 ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

alive() { kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" && echo "$pid"
  return 0
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Ready = the realm's OpenID configuration answers 200.
ready() {
  python3 - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except OSError:
    sys.exit(1)
PY
}

cmd_start() {
  mkdir -p "$KEYCLOAK_STATE_DIR"
  exec 9>"$KEYCLOAK_STATE_DIR/.lock"
  flock 9
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    log "already running (pid $pid) at $(cat "$URL_FILE")"
    echo "KEYCLOAK_URL=$(cat "$URL_FILE")"
    return 0
  fi
  [[ -f "$KEYCLOAK_REALM_FILE" ]] || die "no realm file at $KEYCLOAK_REALM_FILE"
  cmd_fetch
  local jdk
  jdk="$(java_home)" || die "Keycloak $KEYCLOAK_VERSION needs Java 21 or newer: set KEYCLOAK_JAVA_HOME to such a JDK"
  local port="${KEYCLOAK_PORT:-}"
  [[ -z "$port" && -f "$PORT_FILE" ]] && port="$(cat "$PORT_FILE")"
  [[ -n "$port" ]] || port="$(free_port)"
  echo "$port" >"$PORT_FILE"
  local url="http://$HOST:$port" management
  management="$(free_port)"

  # The distribution reads realms to import from its own data/import; one start at a time uses the cache.
  exec 7>"$KEYCLOAK_HOME.start.lock"
  flock 7
  rm -rf "$KEYCLOAK_HOME/data/import" && mkdir -p "$KEYCLOAK_HOME/data/import"
  cp "$KEYCLOAK_REALM_FILE" "$KEYCLOAK_HOME/data/import/$REALM-realm.json"
  # Its database is kept in the state dir, so later starts skip creating the schema and importing; a changed
  # realm file starts it afresh (an import never overwrites a realm that exists).
  local realm_sum
  realm_sum="$(sha256sum "$KEYCLOAK_REALM_FILE" | cut -d' ' -f1)"
  if [[ "$(cat "$KEYCLOAK_STATE_DIR/realm.sha256" 2>/dev/null)" != "$realm_sum" ]]; then
    rm -rf "$KEYCLOAK_STATE_DIR/data"
    echo "$realm_sum" >"$KEYCLOAK_STATE_DIR/realm.sha256"
  fi
  log "starting Keycloak $KEYCLOAK_VERSION (dev mode, Java at $jdk) on $url; database in $KEYCLOAK_STATE_DIR/data; log $LOG"
  local started=$SECONDS
  # shellcheck disable=SC2016
  JAVA_HOME="$jdk" JAVA_OPTS_KC_HEAP="-Xms128m -Xmx512m" setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' \
    keycloak-sh "$PID_FILE" "$KEYCLOAK_HOME/bin/kc.sh" start-dev --import-realm --db=dev-file "-Dkc.db-url-path=$KEYCLOAK_STATE_DIR" \
    --http-host="$HOST" --http-port="$port" --http-management-port="$management" \
    </dev/null >"$LOG" 2>&1 7>&- 9>&- &
  disown || true

  local deadline=$((SECONDS + KEYCLOAK_START_TIMEOUT)) shown=""
  while [[ ! -s "$PID_FILE" ]] && ((SECONDS < deadline)); do sleep 0.1; done
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "Keycloak did not start (no pid file)"
  until ready "$url/realms/$REALM/.well-known/openid-configuration"; do
    alive "$pid" || { tail -n 40 "$LOG" >&2; rm -f "$PID_FILE"; die "Keycloak exited during startup (see $LOG)"; }
    ((SECONDS < deadline)) || { tail -n 40 "$LOG" >&2; die "not ready after ${KEYCLOAK_START_TIMEOUT}s (see $LOG)"; }
    local step
    step="$(grep -o -E 'Updating the configuration|augmentation completed|Importing from|Realm .* imported' "$LOG" | tail -n 1 || true)"
    [[ -n "$step" && "$step" != "$shown" ]] && { log "... $step ($((SECONDS - started))s)"; shown="$step"; }
    sleep 0.5
  done
  echo "$url" >"$URL_FILE"
  log "ready after $((SECONDS - started))s (pid $pid): issuer $url/realms/$REALM"
  echo "KEYCLOAK_URL=$url"
}

cmd_stop() {
  mkdir -p "$KEYCLOAK_STATE_DIR"
  exec 9>"$KEYCLOAK_STATE_DIR/.lock"
  flock 9
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping Keycloak pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + KEYCLOAK_STOP_TIMEOUT))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid"; then
    log "still alive after ${KEYCLOAK_STOP_TIMEOUT}s; SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true  # its own session: kc.sh and java
  fi
  rm -f "$PID_FILE" "$URL_FILE"
  log "stopped"
}

cmd_status() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    echo "running pid=$pid url=$(cat "$URL_FILE" 2>/dev/null) state_dir=$KEYCLOAK_STATE_DIR"
    echo "KEYCLOAK_URL=$(cat "$URL_FILE" 2>/dev/null)"
    return 0
  fi
  echo "stopped state_dir=$KEYCLOAK_STATE_DIR"
  return 3
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Run a real single-node Apache Kafka broker (KRaft: broker + controller in one
# JVM) for local development, integration and chaos tests.
#
# The broker jars come from Maven Central through mvn (scripts/kafka/pom.xml);
# no tarball, no docker.
#
# Usage:
#   scripts/kafka.sh fetch     download kafka_2.13 + runtime deps into $KAFKA_HOME/libs (idempotent)
#   scripts/kafka.sh start     fetch if needed, format storage once, start the broker, wait until it
#                              serves metadata; last stdout line: KAFKA_BOOTSTRAP=127.0.0.1:PORT
#   scripts/kafka.sh stop      SIGTERM, wait (bounded), then SIGKILL; removes the pid file
#   scripts/kafka.sh restart   stop, then start on the SAME port with the SAME data
#   scripts/kafka.sh status    print whether it runs and its bootstrap (exit 0 running, 3 stopped)
#   scripts/kafka.sh kill      SIGKILL the broker (hard crash, for chaos tests); `start` recovers it
#   scripts/kafka.sh reset     stop and delete the state dir (data, config, logs)
#
# Typical use:
#   eval "export $(scripts/kafka.sh start | tail -n1)"   # -> KAFKA_BOOTSTRAP=127.0.0.1:PORT
#
# Environment:
#   KAFKA_VERSION        Kafka version to fetch (default 3.9.1)
#   KAFKA_HOME           cache dir for the jars (default ~/.cache/claims-triage/kafka-$KAFKA_VERSION)
#   KAFKA_STATE_DIR      config, data, logs, pid, port files (default /tmp/claims-triage-kafka)
#   KAFKA_PORT           pin the client port (default: a free port, then kept in the state dir)
#   KAFKA_CONTROLLER_PORT  pin the controller port (same rules)
#   KAFKA_HEAP_OPTS      JVM heap (default "-Xms256m -Xmx512m")
#   KAFKA_START_TIMEOUT  seconds to wait for readiness (default 90)
#   KAFKA_STOP_TIMEOUT   seconds to wait after SIGTERM before SIGKILL (default 30)
#   KAFKA_EXTRA_CONFIG   extra server.properties lines (newline separated), appended last
#   JAVA                 java binary (default: java on PATH)
#
# All progress messages go to stderr; stdout carries only KAFKA_BOOTSTRAP=... lines.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$SCRIPT_DIR/kafka/pom.xml"

KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
KAFKA_HOME="${KAFKA_HOME:-$HOME/.cache/claims-triage/kafka-$KAFKA_VERSION}"
LIBS="$KAFKA_HOME/libs"
KAFKA_STATE_DIR="${KAFKA_STATE_DIR:-/tmp/claims-triage-kafka}"
JAVA="${JAVA:-java}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HOST=127.0.0.1

PID_FILE="$KAFKA_STATE_DIR/kafka.pid"
PORT_FILE="$KAFKA_STATE_DIR/port"
CPORT_FILE="$KAFKA_STATE_DIR/controller_port"
CLUSTER_ID_FILE="$KAFKA_STATE_DIR/cluster_id"
BOOTSTRAP_FILE="$KAFKA_STATE_DIR/bootstrap"
CONFIG="$KAFKA_STATE_DIR/server.properties"
LOG4J_CONFIG="$KAFKA_STATE_DIR/log4j.properties"
DATA_DIR="$KAFKA_STATE_DIR/data"
LOG_DIR="$KAFKA_STATE_DIR/logs"
CONSOLE_LOG="$LOG_DIR/console.log"

log() { printf '[kafka.sh] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- fetch

fetched() { [[ -f "$KAFKA_HOME/.fetched" && -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]; }

cmd_fetch() {
  if fetched; then
    log "Kafka $KAFKA_VERSION already fetched in $LIBS"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found on PATH"
  [[ -f "$POM" ]] || die "missing $POM"
  mkdir -p "$KAFKA_HOME"
  (
    flock 8
    fetched && exit 0
    local tmp="$KAFKA_HOME/libs.tmp.$$"
    rm -rf "$tmp"
    log "fetching org.apache.kafka:kafka_2.13:$KAFKA_VERSION and runtime deps from Maven Central via mvn ..."
    if ! mvn -B -q -Dstyle.color=never -f "$POM" -Dkafka.version="$KAFKA_VERSION" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" >&2; then
      rm -rf "$tmp"
      die "mvn could not fetch Kafka $KAFKA_VERSION"
    fi
    [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || { rm -rf "$tmp"; die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn run"; }
    rm -rf "$LIBS"
    mv "$tmp" "$LIBS"
    date -u +%Y-%m-%dT%H:%M:%SZ >"$KAFKA_HOME/.fetched"
    log "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars into $LIBS"
  ) 8>"$KAFKA_HOME/.fetch.lock"
}

# ---------------------------------------------------------------- helpers

# Process exists and is not a zombie.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local st
  st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [[ "$st" != Z ]]
}

# After SIGKILL: wait (bounded) until the process is gone.
wait_gone() {
  local i
  for ((i = 0; i < 100; i++)); do alive "$1" || return 0; sleep 0.1; done
  log "WARNING: pid $1 still present 10s after SIGKILL"
}

# pid of our broker if it is alive (and really is our broker), else empty.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  alive "$pid" || return 0
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "kafka.Kafka $CONFIG" || return 0
  fi
  echo "$pid"
}

port_free() {
  python3 - "$HOST" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

# Two distinct free ports, printed as "PORT CPORT".
two_free_ports() {
  python3 - "$HOST" <<'PY'
import socket, sys
socks = []
for _ in range(2):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((sys.argv[1], 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
}

# Kafka's Uuid.randomUuid(): 16 random bytes, URL-safe base64 without padding,
# never starting with '-'.
random_cluster_id() {
  python3 - <<'PY'
import base64, uuid
while True:
    cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
    if not cid.startswith("-") and cid not in ("AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAQ"):
        print(cid)
        break
PY
}

# Ready = the client listener answers a Metadata (v4) request listing >= 1 broker.
# Raw protocol, so it needs no client library. Exit 0 when ready.
probe_ready() {
  python3 - "$HOST" "$1" <<'PY'
import socket, struct, sys
host, port = sys.argv[1], int(sys.argv[2])
def s16(v): return struct.pack(">h", v)
def s32(v): return struct.pack(">i", v)
client = b"kafka.sh"
# header v1: api_key=3 (Metadata), api_version=4, correlation_id, client_id
body = s16(3) + s16(4) + s32(7) + s16(len(client)) + client
body += s32(-1)          # topics: null -> all topics
body += b"\x00"          # allow_auto_topic_creation=false
try:
    with socket.create_connection((host, port), timeout=2) as s:
        s.settimeout(3)
        s.sendall(s32(len(body)) + body)
        def recv(n):
            buf = b""
            while len(buf) < n:
                chunk = s.recv(n - len(buf))
                if not chunk:
                    raise OSError("closed")
                buf += chunk
            return buf
        (size,) = struct.unpack(">i", recv(4))
        resp = recv(size)
        corr, _throttle, nbrokers = struct.unpack(">iii", resp[:12])
        sys.exit(0 if corr == 7 and nbrokers >= 1 else 1)
except (OSError, struct.error):
    sys.exit(1)
PY
}

write_configs() {
  local port="$1" cport="$2"
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  cat >"$CONFIG" <<EOF
# Generated by scripts/kafka.sh -- single-node KRaft broker+controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$cport
listeners=PLAINTEXT://$HOST:$port,CONTROLLER://$HOST:$cport
advertised.listeners=PLAINTEXT://$HOST:$port
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT

log.dirs=$DATA_DIR
metadata.log.dir=$DATA_DIR

num.partitions=2
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true

# Consumer groups and transactions on a single node.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=8
group.initial.rebalance.delay.ms=0

# After a hard kill the controller refuses the new broker incarnation until the
# old session expires (DUPLICATE_BROKER_REGISTRATION); keep that short so
# chaos-test restarts are quick (default 9000/2000).
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=1000

# Small machine (2 cores).
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4

log.retention.hours=168
log.segment.bytes=104857600
log.retention.check.interval.ms=300000
EOF
  if [[ -n "${KAFKA_EXTRA_CONFIG:-}" ]]; then
    printf '\n# KAFKA_EXTRA_CONFIG\n%s\n' "$KAFKA_EXTRA_CONFIG" >>"$CONFIG"
  fi
  cat >"$LOG4J_CONFIG" <<EOF
log4j.rootLogger=INFO, kafkaAppender
log4j.appender.kafkaAppender=org.apache.log4j.RollingFileAppender
log4j.appender.kafkaAppender.File=$LOG_DIR/server.log
log4j.appender.kafkaAppender.MaxFileSize=20MB
log4j.appender.kafkaAppender.MaxBackupIndex=3
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.zookeeper=WARN
EOF
}

# Sets the array JAVA_CMD: java + JVM options + classpath (paths may contain spaces).
java_cmd() {
  local heap
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  JAVA_CMD=("$JAVA" "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$LOG4J_CONFIG" "-Dkafka.logs.dir=$LOG_DIR" -cp "$LIBS/*")
}

# ---------------------------------------------------------------- start / stop

# $1 = "same" to insist on the stored ports (restart), "any" otherwise.
do_start() {
  local mode="${1:-any}"
  mkdir -p "$KAFKA_STATE_DIR"
  exec 9>"$KAFKA_STATE_DIR/.lock"
  flock 9

  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    local bs
    bs="$(cat "$BOOTSTRAP_FILE")"
    log "already running (pid $pid) at $bs"
    echo "KAFKA_BOOTSTRAP=$bs"
    return 0
  fi
  rm -f "$PID_FILE"

  cmd_fetch
  command -v "$JAVA" >/dev/null || die "java not found (set JAVA=...)"

  # Ports: env pin > stored in the state dir > fresh free ports.
  local port="${KAFKA_PORT:-}" cport="${KAFKA_CONTROLLER_PORT:-}"
  [[ -z "$port" && -f "$PORT_FILE" ]] && port="$(cat "$PORT_FILE")"
  [[ -z "$cport" && -f "$CPORT_FILE" ]] && cport="$(cat "$CPORT_FILE")"
  if [[ -n "$port" && -n "$cport" ]]; then
    if ! port_free "$port" || ! port_free "$cport"; then
      if [[ "$mode" == same || -n "${KAFKA_PORT:-}" ]]; then
        die "port $port or $cport on $HOST is in use by another process; cannot start on the same port"
      fi
      log "stored ports $port/$cport are taken by another process; picking new ones (data kept)"
      port="" cport=""
    fi
  fi
  if [[ -z "$port" || -z "$cport" ]]; then
    local pair
    pair="$(two_free_ports)"
    [[ -z "$port" ]] && port="${pair% *}"
    [[ -z "$cport" ]] && cport="${pair#* }"
    [[ "$port" != "$cport" ]] || cport="${pair% *}"
  fi
  echo "$port" >"$PORT_FILE"
  echo "$cport" >"$CPORT_FILE"

  write_configs "$port" "$cport"
  java_cmd

  # Format storage once; later starts reuse the data (restart keeps messages).
  if [[ ! -f "$DATA_DIR/meta.properties" ]]; then
    [[ -s "$CLUSTER_ID_FILE" ]] || random_cluster_id >"$CLUSTER_ID_FILE"
    log "formatting KRaft storage in $DATA_DIR (cluster id $(cat "$CLUSTER_ID_FILE"))"
    "${JAVA_CMD[@]}" kafka.tools.StorageTool format \
      -t "$(cat "$CLUSTER_ID_FILE")" -c "$CONFIG" --ignore-formatted >>"$LOG_DIR/format.log" 2>&1 \
      || { tail -n 30 "$LOG_DIR/format.log" >&2; die "kafka.tools.StorageTool format failed"; }
  fi

  local bs="$HOST:$port"
  log "starting Kafka $KAFKA_VERSION broker on $bs (controller $HOST:$cport), logs in $LOG_DIR"
  local started=$SECONDS
  # setsid: the broker survives the caller's process group / terminal going away.
  # The inner bash writes its own pid, then execs java, so the pid file is java's pid.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' kafka-sh "$PID_FILE" \
    "${JAVA_CMD[@]}" kafka.Kafka "$CONFIG" \
    </dev/null >>"$CONSOLE_LOG" 2>&1 9>&- &
  disown || true

  # Wait for the pid file, then for readiness.
  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while [[ ! -s "$PID_FILE" ]] && ((SECONDS < deadline)); do sleep 0.1; done
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "broker did not start (no pid file)"
  until probe_ready "$port"; do
    if ! alive "$pid"; then
      rm -f "$PID_FILE"
      tail -n 40 "$CONSOLE_LOG" >&2 || true
      tail -n 40 "$LOG_DIR/server.log" >&2 2>/dev/null || true
      die "broker process $pid exited during startup (see $LOG_DIR)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 40 "$LOG_DIR/server.log" >&2 2>/dev/null || true
      die "broker not ready after ${KAFKA_START_TIMEOUT}s (pid $pid still running; see $LOG_DIR)"
    fi
    sleep 0.25
  done
  echo "$bs" >"$BOOTSTRAP_FILE"
  log "ready after $((SECONDS - started))s (pid $pid)"
  echo "KAFKA_BOOTSTRAP=$bs"
}

do_stop() {
  mkdir -p "$KAFKA_STATE_DIR"
  exec 9>"$KAFKA_STATE_DIR/.lock"
  flock 9
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping broker pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid"; then
    log "still alive after ${KAFKA_STOP_TIMEOUT}s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid"
  fi
  rm -f "$PID_FILE"
  log "stopped"
  exec 9>&-
}

cmd_status() {
  local pid bs=""
  pid="$(running_pid)"
  [[ -f "$BOOTSTRAP_FILE" ]] && bs="$(cat "$BOOTSTRAP_FILE")"
  if [[ -n "$pid" ]]; then
    local state="ready"
    probe_ready "${bs##*:}" || state="not answering metadata requests"
    echo "running pid=$pid bootstrap=$bs state=$state state_dir=$KAFKA_STATE_DIR"
    echo "KAFKA_BOOTSTRAP=$bs"
    return 0
  fi
  echo "stopped state_dir=$KAFKA_STATE_DIR${bs:+ last_bootstrap=$bs}"
  return 3
}

cmd_kill() {
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    log "not running"
    return 0
  fi
  log "SIGKILL broker pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid"
  rm -f "$PID_FILE"
}

cmd_reset() {
  do_stop
  log "removing $KAFKA_STATE_DIR"
  rm -rf "$KAFKA_STATE_DIR"
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) do_start any ;;
  stop) do_stop ;;
  restart) (do_stop) && do_start same ;;
  status) cmd_status ;;
  kill) cmd_kill ;;
  reset) cmd_reset ;;
  *)
    sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

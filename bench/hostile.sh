#!/usr/bin/env bash
# Hostile traffic against the Addressable relay and Nchan (nginx), side by side, on loopback only.
#
#   bench/hostile.sh                               every attack against both systems, 20 s each
#   bench/hostile.sh --seconds 10                  shorter phases
#   bench/hostile.sh --attacks "slow-bodies ghost-polls" --systems addressable
#   bench/hostile.sh --relay-jvm "-Xmx512m" --relay-args "--threads 32"
#   bench/hostile.sh --tool-args "--slowloris 2000 --ghost-rate 1000"   counts and rates of the attacks
#   bench/hostile.sh --build                       rebuild the relay and bench jars first
#
# Attacks: baseline (none), slow-bodies, slowloris, ghost-polls, memory, slow-readers. Each runs
# against a freshly started server (so one attack's leftovers never count against the next) while
# a well-behaved probe measures GET /health (Nchan: /nchan_status) and send-to-poll latency.
# The relay runs from relay/target/relay.jar with -Xmx256m unless told otherwise; nginx with the
# nchan module runs with bench/nchan/hostile.conf.in, each from a temporary directory on a free
# port. Only the processes this script started are stopped (by pid, also on Ctrl-C or error).
# One JSON line per system and attack is appended to bench/results/hostile.jsonl; the side-by-side
# Markdown table is printed at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=20
ATTACKS="baseline slow-bodies slowloris ghost-polls memory slow-readers"
SYSTEMS="addressable nchan"
RELAY_JVM=${RELAY_JVM:-"-Xmx256m"}
RELAY_ARGS=${RELAY_ARGS:-""}
RELAY_JAVA=${RELAY_JAVA:-java}
TOOL_ARGS=""
RESULTS="$ROOT/bench/results/hostile.jsonl"
LABEL=""
BUILD=0

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --attacks) ATTACKS="${2//,/ }"; shift 2 ;;
    --systems) SYSTEMS="${2//,/ }"; shift 2 ;;
    --relay-jvm) RELAY_JVM="$2"; shift 2 ;;
    --relay-args) RELAY_ARGS="$2"; shift 2 ;;
    --relay-java) RELAY_JAVA="$2"; shift 2 ;;
    --tool-args) TOOL_ARGS="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    --build) BUILD=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$SECONDS_EACH" in ''|*[!0-9]*) echo "--seconds must be a whole number: $SECONDS_EACH" >&2; exit 2 ;; esac

START=$(date +%s)
log() { printf '=== [%4ds] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
if ! command -v nginx >/dev/null || [ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
  case " $SYSTEMS " in *" nchan "*)
    echo "nginx and its nchan module are needed: apt-get install -y nginx libnginx-mod-nchan" >&2; exit 1 ;;
  esac
fi
RELAY_JAR=${RELAY_JAR:-"$ROOT/relay/target/relay.jar"}
BENCH_JAR=${BENCH_JAR:-"$ROOT/bench/target/bench.jar"}
if [ "$BUILD" = 1 ] || [ ! -f "$RELAY_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  log "building relay and bench"
  (cd "$ROOT" && mvn -B -ntp -q package -DskipTests -pl relay,bench -am)
fi

# --- our own processes only ---------------------------------------------------------------------
WORK=$(mktemp -d /tmp/addressable-hostile.XXXXXX)
# Copies: the jars in the tree may be rebuilt by someone else while this runs.
cp "$RELAY_JAR" "$WORK/relay.jar"
# Which build was measured: others may rebuild the tree's jar between runs.
RELAY_BUILD="jar $(sha256sum "$WORK/relay.jar" | cut -c1-12) built $(date -u -r "$RELAY_JAR" +%Y-%m-%dT%H:%MZ)"
cp "$BENCH_JAR" "$WORK/bench.jar"
# Turns the per-client cap off (see start_addressable), for relays that have it: a RELAY_JAR built
# before --max-polls-per-client would refuse the unknown flag.
NO_CLIENT_CAP=()
if "$RELAY_JAVA" -jar "$WORK/relay.jar" --help 2>/dev/null | grep -- '--max-polls-per-client' >/dev/null; then
  NO_CLIENT_CAP=(--max-polls-per-client 0)
fi
SERVER_PID=""
SERVER_CHILDREN=""
TOOL_PID=""
stop_pid() { # pid [what]: TERM, up to 15 s, then KILL
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "${2:-process $pid} did not stop within 15 s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    # nginx's workers are children of the master we started; note them before it goes, so none
    # can outlive it.
    SERVER_CHILDREN="$SERVER_CHILDREN $(ps -o pid= --ppid "$SERVER_PID" 2>/dev/null || true)"
    stop_pid "$SERVER_PID" "the server (pid $SERVER_PID)"
    for child in $SERVER_CHILDREN; do
      kill -0 "$child" 2>/dev/null && kill -KILL "$child" 2>/dev/null || true
    done
  fi
  SERVER_PID=""
  SERVER_CHILDREN=""
}
cleanup() {
  [ -n "$TOOL_PID" ] && stop_pid "$TOOL_PID"
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ulimit -n 20000

free_port() {
  local p
  for p in $(seq "$1" $(( $1 + 200 ))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port from $1" >&2; exit 1
}

wait_http() { # url, seconds
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited; its log:" >&2; tail -20 "$WORK"/*.log >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not answer $1 within $2 s" >&2; exit 1
}

PORT=""
start_addressable() {
  PORT=$(free_port 19080)
  rm -rf "$WORK/relay-data"
  # --max-polls-per-client 0 (NO_CLIENT_CAP): each relay client holds 16 channels here
  # (Site.CHANNELS_PER_CLIENT), every one with its own poll or stream, as nchan's channels are; the
  # default cap of 4 (a browser's safety net) would answer the rest at once and refuse their
  # streams, and the attacks would no longer meet parked requests alike on both systems.
  # shellcheck disable=SC2086
  "$RELAY_JAVA" $RELAY_JVM -jar "$WORK/relay.jar" --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/relay-data" \
    "${NO_CLIENT_CAP[@]}" $RELAY_ARGS >"$WORK/relay.log" 2>&1 &
  SERVER_PID=$!
  wait_http "http://127.0.0.1:$PORT/health" 30
}

start_nchan() {
  PORT=$(free_port 19280)
  local dir="$WORK/nginx"
  rm -rf "$dir"; mkdir -p "$dir"
  sed -e "s#@WORK@#$dir#g" -e "s#@PORT@#$PORT#g" -e "s#@WORKERS@#$(nproc)#g" \
    "$ROOT/bench/nchan/hostile.conf.in" >"$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$WORK/nginx.log" 2>&1 &
  SERVER_PID=$!
  wait_http "http://127.0.0.1:$PORT/nchan_status" 15
}

if [ -n "${RELAY_COMMIT:-}" ]; then
  COMMIT=$RELAY_COMMIT
else
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [ -n "$(git -C "$ROOT" status --porcelain -- relay 2>/dev/null)" ] && COMMIT="$COMMIT+uncommitted-relay-changes"
fi
label_of() {
  case "$1" in
    addressable) echo "${LABEL:+$LABEL; }relay jvm: $RELAY_JVM${RELAY_ARGS:+; relay args: $RELAY_ARGS}; commit $COMMIT, $RELAY_BUILD" ;;
    nchan) echo "${LABEL:+$LABEL; }nginx $(nginx -v 2>&1 | sed 's#.*/##'), nchan $(dpkg-query -W -f='${Version}' libnginx-mod-nchan 2>/dev/null), workers $(nproc), nchan_max_reserved_memory 256M" ;;
  esac
}

# The machine may be shared: before each phase wait (at most QUIET_WAIT seconds) until other
# processes use less than QUIET_PCT% of one core, then go on regardless. Every record carries what
# other processes used during its phase (other_cpu_pct), so a disturbed figure is visible either way.
QUIET_PCT=${QUIET_PCT:-30}
QUIET_WAIT=${QUIET_WAIT:-6}
busy_pct() { # % of one core busy machine-wide over 2 s
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat); sleep 2
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  echo $(( (b - a) / 2 ))
}
await_quiet() {
  local waited=0 pct
  while pct=$(busy_pct); [ "$pct" -gt "$QUIET_PCT" ]; do
    waited=$(( waited + 2 ))
    if [ "$waited" -ge "$QUIET_WAIT" ]; then
      echo "machine busy (${pct}% of a core used by others); going on" >&2; return
    fi
  done
}

RUN=$(date -u +%Y%m%dT%H%M%SZ)
TOTAL=$(( $(echo $SYSTEMS | wc -w) * $(echo $ATTACKS | wc -w) ))
N=0
SOURCE=2
for system in $SYSTEMS; do
  for attack in $ATTACKS; do
    N=$(( N + 1 ))
    log "$N/$TOTAL $system: $attack ($SECONDS_EACH s)"
    await_quiet
    "start_$system"
    # shellcheck disable=SC2086
    java -Xmx768m -XX:+UseSerialGC -cp "$WORK/bench.jar" dev.addressable.bench.hostile.Hostile \
      --url "http://127.0.0.1:$PORT" --pid "$SERVER_PID" --system "$system" --attacks "$attack" \
      --seconds "$SECONDS_EACH" --results "$RESULTS" --run "$RUN" --label "$(label_of "$system")" \
      --source-base "$SOURCE" --max-seconds $(( SECONDS_EACH + 180 )) $TOOL_ARGS &
    TOOL_PID=$!
    rc=0
    wait "$TOOL_PID" || rc=$?
    TOOL_PID=""
    [ "$rc" = 0 ] || echo "the tool exited with $rc for $system $attack" >&2
    stop_server
    # Each invocation binds its attack sockets to 8 addresses of its own, so the last one's
    # TIME_WAITs never stand in the way.
    SOURCE=$(( SOURCE + 8 > 240 ? 2 : SOURCE + 8 ))
  done
done
log "all attacks done (run $RUN); results in $RESULTS"
echo
java -cp "$WORK/bench.jar" dev.addressable.bench.hostile.HostileReport --results "$RESULTS" --run "$RUN"

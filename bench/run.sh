#!/usr/bin/env bash
# Side-by-side benchmark of the Addressable relay and Nchan (nginx), on loopback only.
#
#   bench/run.sh                      every scenario against both systems, then the table and chart
#   bench/run.sh --quick              a short smoke run (small counts, 3 s phases)
#   bench/run.sh --scenarios "memory" --systems addressable --relay-jvm "-XX:+UseSerialGC -Xmx256m"
#   bench/run.sh --jfr                also record the relay with JFR (settings=profile) in every scenario
#   bench/run.sh --scenarios latency --latency-args "--receivers 2000 --rate 10000"   a heavier fixed rate
#   bench/run.sh --systems "addressable addressable-redis nchan nchan-redis" --scenarios "throughput latency"
#   bench/run.sh --runs 3             three whole runs, then each figure's median and its range
#   bench/run.sh --scale              100,000 parked long-polls on one box (below); about 25 minutes
#   RELAY_JAR=/path/relay.jar RELAY_COMMIT=abc123 bench/run.sh    measure a relay built elsewhere
#   KEEP_WORK=1 bench/run.sh …        keep the servers' logs and configs (the temporary directory)
#
# --scale measures one box holding --scale-receivers (100,000) parked long-polls: memory per
# parked poll with every process counted, latency at 500 sends/s to random receivers, and one topic
# publish to all of them. Systems: addressable-redis as --relays (6) relays sharing one port
# (--reuse-port) and one Redis, every request through that port; nchan and nchan-redis as one nginx
# with --nchan-workers (6) workers listening with reuseport. Six processes because one process may
# open 20,000 files here. The load generator holds the receivers in helpers of 10,000, each on a
# source address of its own (127.0.0.x).
#
# Systems: addressable (one relay, in memory), nchan (nginx, shared memory), addressable-redis
# (--relays N relays over one redis-server, default 2: sends through the first, receivers on the
# others), nchan-redis (Nchan with its Redis store, --nchan-servers N nginx, default 1: sends
# through the first, receivers on the others when there are several). Each -redis
# system gets a fresh redis-server per scenario, started with --save "" --appendonly no and then
# --redis-conf "<args>" (e.g. "--appendonly yes --appendfsync always"), the same for both.
#
# Installs nginx, its nchan module and redis-server from Debian packages if they are missing,
# builds the relay and bench jars if they are missing (or with --build), runs each server from a
# copy in a temporary directory with its own config, and stops exactly the processes it started
# (by pid, also on Ctrl-C or error). Results are appended to bench/results/results.jsonl; the
# table goes to standard output (Report prints it again for any run from the results file) and the
# chart to docs/benchmarks.png (with --scale, docs/benchmarks-scale.png); a run given --systems or
# --scenarios draws to bench/results/charts/<run>.png instead (or wherever --chart says).
set -euo pipefail
ORIGINAL_ARGS=("$@")

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCENARIOS="latency throughput memory fanout"
SYSTEMS="addressable nchan"
# The relay runs through relay/addressable-relay, the command the README gives users, with its
# JVM settings (heap ≈ 100 MB + 12 kB per parked poll, for up to ~20,000; a 32 MB young
# generation, since every page of eden the relay ever fills stays resident): what users run is
# what is measured. --relay-jvm replaces those settings; docs/BENCHMARKS.md has what each step did.
LAUNCHER="$ROOT/relay/addressable-relay"
RELAY_JVM=${RELAY_JVM:-$(sed -n 's/^defaults="\(.*\)"$/\1/p' "$LAUNCHER")}
RELAY_ARGS=${RELAY_ARGS:-""}
RELAY_JAVA=${RELAY_JAVA:-java}
RELAYS=""
NCHAN_SERVERS=1
NCHAN_WORKERS=""
SCALE=0
SCALE_N=100000
SCENARIOS_GIVEN=0
SYSTEMS_GIVEN=0
REDIS_CONF=""
JFR=0
BUILD=0
QUICK=0
MEM_SIZES=""
LAT_ARGS=""
LABEL=""
RUNS=1
RESULTS="$ROOT/bench/results/results.jsonl"
CHART=""

while [ $# -gt 0 ]; do
  case "$1" in
    --scenarios) SCENARIOS="$2"; SCENARIOS_GIVEN=1; shift 2 ;;
    --systems) SYSTEMS="$2"; SYSTEMS_GIVEN=1; shift 2 ;;
    --relay-jvm) RELAY_JVM="$2"; shift 2 ;;
    --relay-args) RELAY_ARGS="$2"; shift 2 ;;
    --relay-java) RELAY_JAVA="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    --chart) CHART="$2"; shift 2 ;;
    --memory-sizes) MEM_SIZES="$2"; shift 2 ;;
    --latency-args) LAT_ARGS="$2"; shift 2 ;;
    --relays) RELAYS="$2"; shift 2 ;;
    --nchan-servers) NCHAN_SERVERS="$2"; shift 2 ;;
    --nchan-workers) NCHAN_WORKERS="$2"; shift 2 ;;
    --scale) SCALE=1; shift ;;
    --scale-receivers) SCALE_N="$2"; shift 2 ;;
    --redis-conf) REDIS_CONF="$2"; shift 2 ;;
    --jfr) JFR=1; shift ;;
    --build) BUILD=1; shift ;;
    --quick) QUICK=1; shift ;;
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '\n=== %s\n' "$*" >&2; }

# --runs N: N whole runs one after another (each its own run id, table and results), then the
# medians table over them (report/Medians): the figure a target is judged on.
case "$RUNS" in ''|*[!0-9]*|0) echo "--runs takes a number from 1" >&2; exit 2 ;; esac
if [ "$RUNS" -gt 1 ]; then
  base=$(date -u +%Y%m%dT%H%M%SZ)
  ids=()
  for ((i = 1; i <= RUNS; i++)); do
    ids+=("$base-$i")
    log "run $i of $RUNS ($base-$i)"
    RUN_ID="$base-$i" "$0" "${ORIGINAL_ARGS[@]}" --runs 1
  done
  (IFS=,; java -cp "$ROOT/bench/target/bench.jar" dev.addressable.bench.report.Medians --results "$RESULTS" --runs "${ids[*]}")
  exit 0
fi

# --scale: its own scenarios and systems unless given; six processes per system.
if [ "$SCALE" = 1 ]; then
  [ "$SCENARIOS_GIVEN" = 1 ] || SCENARIOS="scale-memory scale-latency scale-topic"
  [ "$SYSTEMS_GIVEN" = 1 ] || SYSTEMS="addressable-redis nchan nchan-redis"
  RELAYS=${RELAYS:-6}
  NCHAN_WORKERS=${NCHAN_WORKERS:-6}
  case " $SYSTEMS " in *" addressable "*)
    echo "--scale holds $SCALE_N polls across several relays, which must share their channels: measure addressable-redis, not addressable" >&2; exit 2 ;;
  esac
fi
RELAYS=${RELAYS:-2}
NCHAN_WORKERS=${NCHAN_WORKERS:-$(nproc)}
case "$SCALE_N$NCHAN_WORKERS" in *[!0-9]*) echo "--scale-receivers and --nchan-workers take a number" >&2; exit 2 ;; esac

for system in $SYSTEMS; do
  case "$system" in
    addressable|nchan|addressable-redis|nchan-redis) ;;
    *) echo "unknown system: $system (addressable, addressable-redis, nchan, nchan-redis)" >&2; exit 2 ;;
  esac
done
case "$RELAYS$NCHAN_SERVERS" in *[!0-9]*) echo "--relays and --nchan-servers take a number" >&2; exit 2 ;; esac
[ "$RELAYS" -ge 1 ] && [ "$NCHAN_SERVERS" -ge 1 ] || { echo "--relays and --nchan-servers must be at least 1" >&2; exit 2; }
# --redis-conf is split as a shell would split it, so a value with spaces can be quoted inside:
# --redis-conf "--appendonly yes --save '60 1'".
eval "REDIS_ARGS=($REDIS_CONF)"
uses() { case " $SYSTEMS " in *" $1 "*) return 0 ;; esac; return 1; }

# --- tools -------------------------------------------------------------------------------------
if ! command -v nginx >/dev/null || [ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
  log "installing nginx and the nchan module (Debian packages)"
  if [ "$(id -u)" != 0 ]; then echo "run as root to install nginx, or install nginx and libnginx-mod-nchan first" >&2; exit 1; fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y nginx libnginx-mod-nchan
fi
if { uses addressable-redis || uses nchan-redis; } && [ ! -x /usr/bin/redis-server ]; then
  log "installing redis-server (Debian package)"
  if [ "$(id -u)" != 0 ]; then echo "run as root to install redis-server, or install redis-server first" >&2; exit 1; fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server
fi

RELAY_JAR=${RELAY_JAR:-"$ROOT/relay/target/relay.jar"}
BENCH_JAR=${BENCH_JAR:-"$ROOT/bench/target/bench.jar"}
if [ "$BUILD" = 1 ] || [ ! -f "$RELAY_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  log "building relay and bench"
  (cd "$ROOT" && mvn -B -ntp -q package -DskipTests -pl relay,bench -am)
fi

# --- our own processes only ---------------------------------------------------------------------
WORK=$(mktemp -d /tmp/addressable-bench.XXXXXX)
cp "$RELAY_JAR" "$WORK/relay.jar"
cp "$BENCH_JAR" "$WORK/bench.jar"
# Turns the per-client cap off (see start_relay), for relays that have it: a RELAY_JAR built
# before --max-polls-per-client would refuse the unknown flag.
NO_CLIENT_CAP=()
if "$RELAY_JAVA" -jar "$WORK/relay.jar" --help 2>/dev/null | grep -- '--max-polls-per-client' >/dev/null; then
  NO_CLIENT_CAP=(--max-polls-per-client 0)
fi
# What the current scenario runs on: the system's servers (relays or nginx masters), their ports
# in order (the first takes the sends), and the store (redis-server) if the system has one.
# PIDS holds every process started, in start order; they are stopped in reverse (servers before
# their store), SIGTERM to all, then up to 15 s each, then SIGKILL.
PIDS=()
SERVER_PIDS=()
SERVER_PORTS=()
STORE_PID=""
stop_servers() {
  local i pid
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill -TERM "${PIDS[$i]}" 2>/dev/null || true; done
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    pid=${PIDS[$i]}
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=(); SERVER_PIDS=(); SERVER_PORTS=(); STORE_PID=""
}
RUNNER_PID=""
cleanup() {
  # A scenario under way (run in the background, so a TERM is acted on at once): its helpers
  # end with it (the runner kills them on exit).
  if [ -n "$RUNNER_PID" ]; then kill -TERM "$RUNNER_PID" 2>/dev/null || true; wait "$RUNNER_PID" 2>/dev/null || true; fi
  stop_servers
  if [ -n "${KEEP_WORK:-}" ]; then echo "KEEP_WORK: servers' logs and configs left in $WORK" >&2; else rm -rf "$WORK"; fi
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

wait_http() { # url, seconds, pid, log
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "server exited; its log ($4):" >&2; tail -20 "$4" >&2; explain_exit "$4"; exit 1; }
    sleep 0.1
  done
  echo "server did not answer $1 within $2 s; its log ($4):" >&2; tail -20 "$4" >&2; exit 1
}

# Says in one sentence why a server that exited at start cannot be measured, when its log shows it.
explain_exit() { # log
  if grep -q 'unknown option: --redis' "$1" 2>/dev/null; then
    echo "addressable-redis: this relay has no --redis yet (it refused the flag; cluster mode is issue 16). Measure the other systems, or give RELAY_JAR a relay that has it." >&2
  fi
}

RUN=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)}
# The one-process chart and the one-box (--scale) chart are kept apart; a run of only some
# systems or scenarios leaves the documented charts alone and draws its own under bench/results/charts.
if [ -z "$CHART" ]; then
  if [ "$SYSTEMS_GIVEN" = 1 ] || [ "$SCENARIOS_GIVEN" = 1 ]; then
    mkdir -p "$ROOT/bench/results/charts"
    CHART="$ROOT/bench/results/charts/$RUN.png"
  elif [ "$SCALE" = 1 ]; then
    CHART="$ROOT/docs/benchmarks-scale.png"
  else
    CHART="$ROOT/docs/benchmarks.png"
  fi
fi
JFR_DIR="$ROOT/bench/results/jfr/$RUN"

# With --scale every relay of the system listens on the first one's port (--reuse-port), and
# SERVER_PORTS keeps that one port.
start_relay() { # name jfr-file data-dir [relay args...]
  local name=$1 jfr="" port shared=()
  if [ "$JFR" = 1 ]; then
    mkdir -p "$JFR_DIR"
    jfr="-XX:StartFlightRecording=filename=$JFR_DIR/$2,settings=profile,dumponexit=true"
  fi
  if [ "$SCALE" = 1 ]; then
    shared=(--reuse-port)
    port=${SERVER_PORTS[0]:-$(free_port 18080)}
  else
    port=$(free_port 18080)
  fi
  # --max-polls-per-client 0 (NO_CLIENT_CAP): the load generators make one relay client hold many
  # parked polls and streams (the fan-out scenario's 10,000 tabs, the scale runs' receivers: up to
  # --max-channels-per-client channels of one client). The default cap of 4 is a safety net for a
  # browser's 6 connections per host; here it would answer all but 4 of a client's polls at once
  # with an interval instead of parking them, and refuse its streams past 4.
  JAVA="$RELAY_JAVA" ADDRESSABLE_JAR="$WORK/relay.jar" ADDRESSABLE_JVM="$RELAY_JVM${jfr:+ $jfr}" ADDRESSABLE_JAVA_OPTS="" \
    "$LAUNCHER" --host 127.0.0.1 --port "$port" "${shared[@]}" --data-dir "$3" \
    --max-channels-per-client 20000 --max-polls-per-channel 16 "${NO_CLIENT_CAP[@]}" \
    $RELAY_ARGS "${@:4}" >"$WORK/$name.log" 2>&1 &
  PIDS+=("$!"); SERVER_PIDS+=("$!")
  if [ "${#SERVER_PORTS[@]}" -gt 0 ] && [ "$SCALE" = 1 ]; then
    wait_listening "$port" 30 "$!" "$WORK/$name.log"
  else
    SERVER_PORTS+=("$port")
    wait_http "http://127.0.0.1:$port/health" 30 "$!" "$WORK/$name.log"
  fi
}

# A process joining a shared port: the port answers already, so wait until this pid listens on it
# (a relay listens only once its store is ready).
wait_listening() { # port, seconds, pid, log
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do
    if ss -Hltnp "sport = :$1" 2>/dev/null | grep -q "pid=$3,"; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "server exited; its log ($4):" >&2; tail -20 "$4" >&2; exit 1; }
    sleep 0.1
  done
  echo "server $3 did not listen on port $1 within $2 s; its log ($4):" >&2; tail -20 "$4" >&2; exit 1
}

start_addressable() { # scenario
  start_relay relay "relay-$1.jfr" "$WORK/relay-data"
}

# redis-server on a free port with a fresh directory: no persistence unless --redis-conf says so.
REDIS_PORT=""
start_redis() {
  local dir="$WORK/redis" i
  rm -rf "$dir"; mkdir -p "$dir"
  REDIS_PORT=$(free_port 16379)
  /usr/bin/redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$dir" --daemonize no --logfile "$dir/redis.log" \
    --save "" --appendonly no "${REDIS_ARGS[@]}" >"$WORK/redis.out" 2>&1 &
  STORE_PID=$!; PIDS+=("$STORE_PID")
  # --scale: six servers' processes and ten helpers share 2 cores with Redis, which then got under
  # a tenth of a core and held every script in a queue. Redis gets priority (nice -10) over them,
  # as it would have a core of its own in production; the same for both systems.
  [ "$SCALE" = 1 ] && renice -n -10 -p "$STORE_PID" >/dev/null
  for i in $(seq 1 100); do
    if [ "$(redis_ping "$REDIS_PORT")" = "+PONG" ]; then return 0; fi
    kill -0 "$STORE_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "redis-server did not answer PING on port $REDIS_PORT; its output:" >&2
  tail -20 "$WORK/redis.out" "$dir/redis.log" >&2 2>/dev/null; exit 1
}
redis_ping() { # port → its first answer line
  ( exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'PING\r\n' >&3 && IFS= read -r -t 2 line <&3 && printf '%s' "${line%$'\r'}" ) 2>/dev/null || true
}
redis_version() { /usr/bin/redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p'; }

# N relays sharing one redis-server and one relay secret, each with its own data directory.
start_addressable_redis() { # scenario
  start_redis
  local i
  head -c 32 /dev/urandom | base64 -w0 >"$WORK/relay.secret"
  for i in $(seq 1 "$RELAYS"); do
    rm -rf "$WORK/relay-data-$i"; mkdir -p "$WORK/relay-data-$i"
    install -m 600 "$WORK/relay.secret" "$WORK/relay-data-$i/relay.secret"
    start_relay "relay-$i" "relay-$1-$i.jfr" "$WORK/relay-data-$i" --redis "redis://127.0.0.1:$REDIS_PORT"
  done
  [ "$RELAYS" -gt 1 ] && check_shared_store
  return 0
}

# A channel opened on the second relay must take a send through the first and deliver it: else
# the relays do not share their channels (a relay whose --redis only checks Redis, before issue 16's
# store) and there is nothing to measure.
check_shared_store() {
  local send=${SERVER_PORTS[0]} recv=${SERVER_PORTS[1]:-${SERVER_PORTS[0]}} tab client key cursor path code body
  tab=$(curl -sS -X POST "http://127.0.0.1:$recv/connect" -d channel=preflight)
  client=$(json_field client "$tab"); key=$(json_field key "$tab"); cursor=$(json_field cursor "$tab")
  path=$(json_field url "$tab" | sed 's#^https\?://[^/]*##')
  code=$(curl -sS -o "$WORK/preflight.out" -w '%{http_code}' "http://127.0.0.1:$send$path?message=preflight")
  body=$(cat "$WORK/preflight.out")
  if [ "$code" != 202 ]; then
    echo "addressable-redis: a channel opened on relay 2 is unknown to relay 1 (the send answered $code $body): these relays do not share their channels, so this relay's --redis has no shared store yet (issue 16). Nothing to measure yet: leave addressable-redis out of --systems until then." >&2
    exit 3
  fi
  body=$(curl -sS -H "Authorization: Bearer $key" "http://127.0.0.1:$recv/poll?client=$client&channel=preflight&cursor=$cursor&timeout=5")
  case "$body" in
    *'"data":"preflight"'*) ;;
    *) echo "addressable-redis: a message sent through relay 1 (202) did not reach its receiver on relay 2 within 5 s: $body" >&2; exit 3 ;;
  esac
}
json_field() { # name json → the string value of "name" (the relay's answers are flat and need no unescaping here)
  printf '%s' "$2" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}

start_nginx() { # dir store-lines
  local dir=$1 port
  rm -rf "$dir"; mkdir -p "$dir"
  port=$(free_port 18280)
  sed -e "s#@WORK@#$dir#g" -e "s#@PORT@#$port#g" -e "s#@WORKERS@#$NCHAN_WORKERS#g" -e "s|@STORE@|$2|" \
    -e "s#@REUSEPORT@#$([ "$SCALE" = 1 ] && echo " reuseport")#" \
    "$ROOT/bench/nchan/nginx.conf.in" >"$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/nginx.log" 2>&1 &
  PIDS+=("$!"); SERVER_PIDS+=("$!"); SERVER_PORTS+=("$port")
  wait_http "http://127.0.0.1:$port/nchan_status" 15 "$!" "$dir/error.log"
}

start_nchan() {
  start_nginx "$WORK/nginx" "# messages in nchan's shared memory (nchan-redis puts its Redis store here)"
}

start_nchan_redis() {
  start_redis
  local i
  for i in $(seq 1 "$NCHAN_SERVERS"); do
    start_nginx "$WORK/nginx-$i" "upstream nchan_redis { nchan_redis_server redis://127.0.0.1:$REDIS_PORT; } nchan_redis_pass nchan_redis; nchan_redis_pass_inheritable on;"
    check_nchan_uses_redis "${SERVER_PORTS[$(( i - 1 ))]}"
  done
}

# A publish must go to Redis: nchan's status counts the commands it sent there. (A store nginx
# does not pass on to the locations leaves messages in shared memory without a word.)
check_nchan_uses_redis() { # port
  # Each worker connects to Redis on its own after start, and answers 503 until it has: try for 10 s.
  local i
  for i in $(seq 1 100); do
    curl -fsS -o /dev/null -X POST -H 'Content-Type: text/plain' --data-binary preflight "http://127.0.0.1:$1/pub/preflight" 2>/dev/null && break
    [ "$i" = 100 ] && { echo "nchan-redis: a publish on port $1 still failed after 10 s:" >&2; tail -5 "$WORK"/nginx-*/error.log >&2; exit 3; }
    sleep 0.1
  done
  local sent
  sent=$(curl -fsS "http://127.0.0.1:$1/nchan_status" | sed -n 's/^total redis commands sent: //p')
  if [ "${sent:-0}" -lt 1 ]; then
    echo "nchan-redis: a publish on port $1 sent no command to Redis (nchan_status: total redis commands sent ${sent:-missing}); the store is not in use" >&2
    exit 3
  fi
}

if [ -n "${RELAY_COMMIT:-}" ]; then
  COMMIT=$RELAY_COMMIT                     # said by whoever built the RELAY_JAR given
else
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [ -n "$(git -C "$ROOT" status --porcelain -- relay 2>/dev/null)" ] && COMMIT="$COMMIT+uncommitted-relay-changes"
fi
# The machine may be shared: before each scenario wait (at most QUIET_WAIT seconds) until other
# processes use less than QUIET_PCT% of one core, then go on regardless. Each result records the
# other processes' CPU during its measured phase, so a disturbed figure is visible either way.
QUIET_PCT=${QUIET_PCT:-30}
QUIET_WAIT=${QUIET_WAIT:-120}
busy_pct() { # % of one core busy machine-wide over 3 s
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat); sleep 3
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  echo $(( (b - a) / 3 ))
}
await_quiet() {
  local waited=0 pct
  while pct=$(busy_pct); [ "$pct" -gt "$QUIET_PCT" ]; do
    if [ "$waited" -ge "$QUIET_WAIT" ]; then
      echo "machine still busy (${pct}% of a core used by others) after ${QUIET_WAIT} s; going on" >&2; return
    fi
    echo "machine busy (${pct}% of a core used by others); waiting" >&2
    waited=$(( waited + 3 ))
  done
}

SOURCE=2
FAILED=()
run_one() { # system scenario tag [runner args...]
  local system=$1 scenario=$2 tag=$3; shift 3
  log "$system: $tag"
  await_quiet
  "start_${system//-/_}" "$tag"
  local label="$LABEL" nchan store split="" servers pids
  [ "$NCHAN_SERVERS" -gt 1 ] && split=", sends through the first, receivers on the others"
  nchan="nginx $(nginx -v 2>&1 | sed 's#.*/##'), nchan $(dpkg-query -W -f='${Version}' libnginx-mod-nchan 2>/dev/null), workers $NCHAN_WORKERS"
  [ "$SCALE" = 1 ] && nchan="$nchan, listen reuseport"
  store="redis-server $(redis_version) with --save \"\" --appendonly no${REDIS_CONF:+ $REDIS_CONF}; store cpu: redis-server, apart from the server's (store_cpu_pct); memory: servers and redis-server together"
  case "$system" in
    addressable) label="${LABEL:+$LABEL; }relay jvm: $RELAY_JVM${RELAY_ARGS:+; relay args: $RELAY_ARGS}; commit $COMMIT" ;;
    nchan) label="${LABEL:+$LABEL; }$nchan" ;;
    addressable-redis)
      if [ "$SCALE" = 1 ]; then split="$RELAYS relays on one port (--reuse-port) over one Redis, every request through that port"
      else split="$RELAYS relays over one Redis, sends through relay 1, receivers on the others"; fi
      label="${LABEL:+$LABEL; }$split; server cpu: the relays summed; $store; relay jvm: $RELAY_JVM${RELAY_ARGS:+; relay args: $RELAY_ARGS}; commit $COMMIT" ;;
    nchan-redis) label="${LABEL:+$LABEL; }$nchan; Redis store (nchan_redis_server, nchan_redis_pass, inheritable), $NCHAN_SERVERS nginx$split; server cpu: nginx masters and workers summed; $store" ;;
  esac
  servers=$(printf '127.0.0.1:%s,' "${SERVER_PORTS[@]}"); servers=${servers%,}
  pids=$(IFS=,; echo "${SERVER_PIDS[*]}")
  local limit=540 shared=1 SETUP_WINDOW=""
  if [ "$SCALE" = 1 ]; then
    # 32 receivers setting up at once per helper, 320 in all: a herd of 2,560 connects queued
    # past six relays' --redis-timeout and came back as 503s and retries. Both systems alike.
    SETUP_WINDOW=32
    limit=1440
    case "$system" in addressable*) shared=$RELAYS ;; esac
  fi
  # A scenario that fails (a system that cannot hold the load) is reported and the run goes on.
  timeout $(( limit + 60 )) java -Xmx1g -XX:+UseSerialGC -cp "$WORK/bench.jar" dev.addressable.bench.scenario.Runner \
    --system "$system" --server "$servers" --pid "$pids" ${STORE_PID:+--store-pid "$STORE_PID"} --scenario "$scenario" \
    --results "$RESULTS" --run "$RUN" --label "$label" --source-base "$SOURCE" --max-seconds "$limit" \
    --processes-per-port "$shared" ${SETUP_WINDOW:+--setup-window "$SETUP_WINDOW"} "$@" &
  RUNNER_PID=$!
  if ! wait "$RUNNER_PID"; then
    FAILED+=("$system $tag")
    log "$system $tag failed; going on with the next"
    LAST_OK=0
  else
    LAST_OK=1
  fi
  RUNNER_PID=""
  # The next scenario's helpers take fresh source addresses (one per 10,000 receivers).
  SOURCE=$(( SOURCE + 4 + SCALE * SCALE_N / 10000 ))
  [ "$SOURCE" -lt 230 ] || SOURCE=2
  stop_servers
}

# A timing scenario disturbed by other processes (> RETRY_PCT% of a core during its measured
# phase) is run once more while the whole run is under RETRY_BUDGET seconds; the report takes the
# later record. Memory figures (RSS) are not timing-sensitive and are not retried.
RETRY_PCT=${RETRY_PCT:-50}
RETRY_BUDGET=${RETRY_BUDGET:-600}
run_checked() { # system scenario tag [runner args...]
  run_one "$@"
  [ "$LAST_OK" = 1 ] || return 0
  local other
  other=$(tail -1 "$RESULTS" | grep -o '"other_cpu_pct":[0-9]*' | cut -d: -f2)
  if [ "${other:-0}" -gt "$RETRY_PCT" ] && [ $(( $(date +%s) - START )) -lt "$RETRY_BUDGET" ]; then
    log "$1 $3 was disturbed (other processes used ${other}% of a core); running it once more"
    run_one "$@"
  fi
}

if [ "$QUICK" = 1 ]; then
  LAT=(--receivers 1000 --seconds 3 --warmup 1); THR=(--receivers 500 --seconds 3 --warmup 1)
  MEM=(1000 2000); FAN=(--sizes 100,1000 --rounds 3 --warmup-rounds 1)
else
  LAT=(); THR=(); MEM=(10000 19000); FAN=()
fi
# shellcheck disable=SC2206
[ -n "$MEM_SIZES" ] && MEM=($MEM_SIZES)
# shellcheck disable=SC2206
[ -n "$LAT_ARGS" ] && LAT+=($LAT_ARGS)

# Fail fast: a relay without a shared store under --redis is found before any scenario runs.
if uses addressable-redis; then
  log "addressable-redis: checking that $RELAYS relays over one Redis share their channels"
  JFR=0 start_addressable_redis preflight
  stop_servers
fi

START=$(date +%s)
for scenario in $SCENARIOS; do
  for system in $SYSTEMS; do
    case "$scenario" in
      latency) run_checked "$system" latency latency "${LAT[@]}" ;;
      throughput) run_checked "$system" throughput throughput "${THR[@]}" ;;
      memory) for n in "${MEM[@]}"; do run_one "$system" memory "memory$(( n / 1000 ))k" --receivers "$n"; done ;;
      fanout) run_checked "$system" fanout fanout "${FAN[@]}" ;;
      scale-memory) run_one "$system" memory "memory$(( SCALE_N / 1000 ))k" --receivers "$SCALE_N" ;;
      scale-latency) run_checked "$system" latency "latency$(( SCALE_N / 1000 ))k" "${LAT[@]}" --receivers "$SCALE_N" \
        --name "latency$(( SCALE_N / 1000 ))k" ;;
      scale-topic) run_checked "$system" fanout "topic$(( SCALE_N / 1000 ))k" --topic true --sizes "$SCALE_N" \
        --rounds 5 --warmup-rounds 3 ;;
      *) echo "unknown scenario: $scenario" >&2; exit 2 ;;
    esac
  done
done
log "all scenarios done in $(( $(date +%s) - START )) s (run $RUN)"
[ "${#FAILED[@]}" -eq 0 ] || log "failed, so missing from the table: ${FAILED[*]}"

# The table is printed, not kept: Report makes it again from the results file for any run.
SUMMARY="$WORK/summary-$RUN.md"
java -cp "$WORK/bench.jar" dev.addressable.bench.report.Report --results "$RESULTS" --run "$RUN" \
  --chart "$CHART" --table "$SUMMARY"
cat "$SUMMARY"

#!/usr/bin/env bash
# Side-by-side benchmark of the Addressable relay and Nchan (nginx), on loopback only.
#
#   bench/run.sh                      every scenario against both systems, then the table and chart
#   bench/run.sh --quick              a short smoke run (small counts, 3 s phases)
#   bench/run.sh --scenarios "memory" --systems addressable --relay-jvm "-XX:+UseSerialGC -Xmx256m"
#   bench/run.sh --jfr                also record the relay with JFR (settings=profile) in every scenario
#   bench/run.sh --scenarios latency --latency-args "--receivers 2000 --rate 10000"   a heavier fixed rate
#   RELAY_JAR=/path/relay.jar RELAY_COMMIT=abc123 bench/run.sh    measure a relay built elsewhere
#
# Installs nginx and its nchan module from Debian packages if they are missing, builds the relay
# and bench jars if they are missing (or with --build), runs each server from a copy in a temporary
# directory with its own config, and stops exactly the processes it started (by pid, also on
# Ctrl-C or error). Results are appended to bench/results/results.jsonl; the table goes to
# standard output (Report prints it again for any run from the results file) and the chart to
# docs/benchmarks.png.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCENARIOS="latency throughput memory fanout"
SYSTEMS="addressable nchan"
# The relay's JVM flags for the headline run, as docs/operations.md advises (heap ≈ 100 MB +
# 12 kB per parked poll, for up to ~20,000; a 32 MB young generation, since every page of eden
# the relay ever fills stays resident); docs/BENCHMARKS.md has what each step did.
RELAY_JVM=${RELAY_JVM:-"-XX:+UseSerialGC -Xss256k -Xmx350m -Xmn32m -XX:MaxDirectMemorySize=64m"}
RELAY_ARGS=${RELAY_ARGS:-""}
RELAY_JAVA=${RELAY_JAVA:-java}
JFR=0
BUILD=0
QUICK=0
MEM_SIZES=""
LAT_ARGS=""
LABEL=""
RESULTS="$ROOT/bench/results/results.jsonl"
CHART="$ROOT/docs/benchmarks.png"

while [ $# -gt 0 ]; do
  case "$1" in
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --systems) SYSTEMS="$2"; shift 2 ;;
    --relay-jvm) RELAY_JVM="$2"; shift 2 ;;
    --relay-args) RELAY_ARGS="$2"; shift 2 ;;
    --relay-java) RELAY_JAVA="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    --chart) CHART="$2"; shift 2 ;;
    --memory-sizes) MEM_SIZES="$2"; shift 2 ;;
    --latency-args) LAT_ARGS="$2"; shift 2 ;;
    --jfr) JFR=1; shift ;;
    --build) BUILD=1; shift ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '\n=== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------
if ! command -v nginx >/dev/null || [ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
  log "installing nginx and the nchan module (Debian packages)"
  if [ "$(id -u)" != 0 ]; then echo "run as root to install nginx, or install nginx and libnginx-mod-nchan first" >&2; exit 1; fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y nginx libnginx-mod-nchan
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
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
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

RUN=$(date -u +%Y%m%dT%H%M%SZ)
JFR_DIR="$ROOT/bench/results/jfr/$RUN"
PORT=""

start_addressable() { # scenario
  PORT=$(free_port 18080)
  local jfr=""
  if [ "$JFR" = 1 ]; then
    mkdir -p "$JFR_DIR"
    jfr="-XX:StartFlightRecording=filename=$JFR_DIR/relay-$1.jfr,settings=profile,dumponexit=true"
  fi
  # shellcheck disable=SC2086
  "$RELAY_JAVA" $RELAY_JVM $jfr -jar "$WORK/relay.jar" --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/relay-data" \
    --max-channels-per-client 20000 --max-polls-per-channel 16 $RELAY_ARGS >"$WORK/relay.log" 2>&1 &
  SERVER_PID=$!
  wait_http "http://127.0.0.1:$PORT/health" 30
}

start_nchan() {
  PORT=$(free_port 18280)
  local dir="$WORK/nginx"
  rm -rf "$dir"; mkdir -p "$dir"
  sed -e "s#@WORK@#$dir#g" -e "s#@PORT@#$PORT#g" -e "s#@WORKERS@#$(nproc)#g" \
    "$ROOT/bench/nchan/nginx.conf.in" >"$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$WORK/nginx.log" 2>&1 &
  SERVER_PID=$!
  wait_http "http://127.0.0.1:$PORT/nchan_status" 15
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
run_one() { # system scenario tag [runner args...]
  local system=$1 scenario=$2 tag=$3; shift 3
  log "$system: $tag"
  await_quiet
  "start_$system" "$tag"
  local label="$LABEL"
  [ "$system" = addressable ] && label="${LABEL:+$LABEL; }relay jvm: $RELAY_JVM${RELAY_ARGS:+; relay args: $RELAY_ARGS}; commit $COMMIT"
  [ "$system" = nchan ] && label="${LABEL:+$LABEL; }nginx $(nginx -v 2>&1 | sed 's#.*/##'), nchan $(dpkg-query -W -f='${Version}' libnginx-mod-nchan 2>/dev/null), workers $(nproc)"
  timeout 600 java -Xmx1g -XX:+UseSerialGC -cp "$WORK/bench.jar" dev.addressable.bench.scenario.Runner \
    --system "$system" --server "127.0.0.1:$PORT" --pid "$SERVER_PID" --scenario "$scenario" \
    --results "$RESULTS" --run "$RUN" --label "$label" --source-base "$SOURCE" --max-seconds 540 "$@"
  SOURCE=$(( SOURCE + 4 ))
  stop_server
}

# A timing scenario disturbed by other processes (> RETRY_PCT% of a core during its measured
# phase) is run once more while the whole run is under RETRY_BUDGET seconds; the report takes the
# later record. Memory figures (RSS) are not timing-sensitive and are not retried.
RETRY_PCT=${RETRY_PCT:-50}
RETRY_BUDGET=${RETRY_BUDGET:-600}
run_checked() { # system scenario tag [runner args...]
  run_one "$@"
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

START=$(date +%s)
for scenario in $SCENARIOS; do
  for system in $SYSTEMS; do
    case "$scenario" in
      latency) run_checked "$system" latency latency "${LAT[@]}" ;;
      throughput) run_checked "$system" throughput throughput "${THR[@]}" ;;
      memory) for n in "${MEM[@]}"; do run_one "$system" memory "memory$(( n / 1000 ))k" --receivers "$n"; done ;;
      fanout) run_checked "$system" fanout fanout "${FAN[@]}" ;;
      *) echo "unknown scenario: $scenario" >&2; exit 2 ;;
    esac
  done
done
log "all scenarios done in $(( $(date +%s) - START )) s (run $RUN)"

# The table is printed, not kept: Report makes it again from the results file for any run.
SUMMARY="$WORK/summary-$RUN.md"
java -cp "$WORK/bench.jar" dev.addressable.bench.report.Report --results "$RESULTS" --run "$RUN" \
  --chart "$CHART" --table "$SUMMARY"
cat "$SUMMARY"

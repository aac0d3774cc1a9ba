#!/usr/bin/env bash
# The chaos run of issue 16, bounded in time, on loopback only: one redis-server, three relays
# sharing it (--redis), receivers on all four transports (long-poll, JSONP, SSE, WebSocket),
# senders with a mid per message, relays killed (kill -9) and restarted at random for --seconds
# (default 300) while messages flow. Prints sent, acknowledged, delivered, duplicated (after the
# client's de-dup), lost, reported-missed and 503s; appends them to bench/results/chaos.jsonl;
# exits 1 if a promise of the cluster note (§9, node kill) was broken, 3 if the relay cannot
# run it (no --redis, or relays that do not share their channels yet).
#
#   bench/chaos.sh                                  five minutes, the defaults
#   bench/chaos.sh --seconds 60 --kill-every 3-8    shorter and rougher
#   bench/chaos.sh --redis-conf "--appendonly yes --appendfsync always"
#   bench/chaos.sh --store memory --seconds 30      one relay without Redis: checks the tool itself
#   bench/chaos.sh --help                           every option
#
# Builds the relay and bench jars if they are missing (or with --build, as the first argument).
# redis-server comes from Debian (apt-get install -y redis-server). The tool starts every
# process itself, in a temporary directory, and stops exactly those (by pid, also on Ctrl-C).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RELAY_JAR=${RELAY_JAR:-"$ROOT/relay/target/relay.jar"}
BENCH_JAR=${BENCH_JAR:-"$ROOT/bench/target/bench.jar"}
BUILD=0
if [ "${1:-}" = --build ]; then BUILD=1; shift; fi
if [ "$BUILD" = 1 ] || [ ! -f "$RELAY_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  echo "=== building relay and bench" >&2
  (cd "$ROOT" && mvn -B -ntp -q package -DskipTests -pl relay,bench -am)
fi
for a in "$@"; do
  if [ "$a" = -h ] || [ "$a" = --help ]; then sed -n '2,18p' "$0"; echo; exec java -cp "$BENCH_JAR" dev.addressable.bench.chaos.Chaos --help; fi
done
ulimit -n 20000 2>/dev/null || true
exec java -Xmx512m -XX:+UseSerialGC -cp "$BENCH_JAR" dev.addressable.bench.chaos.Chaos \
  --relay-jar "$RELAY_JAR" --results "$ROOT/bench/results/chaos.jsonl" "$@"
